//! Quizzes: the spec types authors write, their checks, deterministic arrangement, responses
//! and grading.
//!
//! The same code runs in the build (which deserialises the ```` ```quiz ```` directive into
//! [`Quiz`], calls [`check_quiz`] and renders the Markdown fields with [`Quiz::map_text`]) and
//! in the browser through the `web` crate (which reads the quiz embedded in the page, calls
//! [`arrangement`] and [`grade`]/[`grade_quiz`]). It builds on serde, rust_decimal and `didact_map` only and
//! knows nothing about wasm-bindgen, web-sys, YAML, Markdown rendering, files or the network;
//! callers bring their own serde format. It compiles unchanged to `wasm32-unknown-unknown`.
//!
//! Start reading at `spec.rs` (the format of docs/formats.md as types), then `grade.rs`.
//! Text comparison and number reading live in `normalize.rs`, the checks in `check.rs`, the
//! shuffle and pool draw in `arrange.rs`, and the page obfuscation in `obfuscate.rs`.
#![warn(missing_docs)]

mod arrange;
mod check;
mod grade;
mod normalize;
mod obfuscate;
mod spec;
mod tagged;

pub use arrange::{arrangement, Arrangement, Placement};
pub use check::{check_quiz, CheckContext, Problem, Severity};
pub use grade::{
    grade, grade_quiz, Advice, Answer, Grade, ObjectiveGrade, QuizGrade, Response, Responses,
};
pub use normalize::{normalize_text, parse_number};
pub use obfuscate::{deobfuscate, obfuscate, DecodeError};
pub use spec::{
    blank_segments, ids, Blank, Choice, Markup, Mode, Pair, Question, QuestionKind, Quiz, Segment,
};
pub use tagged::EmbeddedQuiz;
