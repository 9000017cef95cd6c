//! Full-text search for a course: the French tokenizer, the index builder and the query
//! engine.
//!
//! The build calls [`build_index`] on the course's [`Document`]s and writes
//! [`index_script`]`(&index.to_json(), …)` next to the pages; in the browser, `web` loads that
//! string with [`Index::from_json`] and answers each keystroke with [`Index::search`].
//! Both sides analyse text with [`tokens`]' rules, so a word always becomes the same term.
//!
//! This crate knows nothing about the file system, Markdown, templates or the browser: text
//! comes in, an index and hits come out. It compiles unchanged to `wasm32-unknown-unknown`.
//!
//! Measured with `examples/measure.rs` (1 000 generated pages of ~900 words, 5 sections each,
//! default [`IndexOptions`]): JSON 5.6 MB (1.5 MB gzipped), of which 3.2 MB is the excerpt
//! store; native release build 1 s, load 20–40 ms, a query about 1 ms. A wasm `cdylib` that
//! loads and searches an index weighs about 150 KB (62 KB gzipped) with `opt-level = "z"` and
//! LTO; the Snowball French stemmer is about 24 KB of it (the other languages of
//! `rust-stemmers` are not linked).
//!
//! Start reading at `analyse` (what a term is), then `index` (what is stored and the JSON
//! format), then `query` (matching, ranking, excerpts).
#![warn(missing_docs)]

mod analyse;
mod hash;
mod index;
mod query;
mod script;

pub use analyse::{fold_accents, tokens, Token};
pub use index::{
    build_index, build_index_with, DocKind, Document, Index, IndexOptions, LoadError, Section,
    FORMAT_VERSION, HEADING_WEIGHT, INDEX_VAR, TEXTS_VAR,
};
pub use query::{utf16_ranges, Hit, PREFIX_FACTOR, TITLE_WEIGHT};
pub use script::{index_script, strings_script};

#[cfg(test)]
mod tests;
