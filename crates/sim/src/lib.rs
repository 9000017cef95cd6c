//! The simulated Chorus Pro portal: a faithful practice copy for the course's modules on
//! accounts and structures, and (in [`invoice`]) on invoices.
//!
//! Owns the field validators ([`validate`]), the simulated state ([`World`]), the learner's
//! operations ([`Action`], [`apply`]), scenarios ([`Scenario`], [`check_scenario`]) and
//! exercises with their goals ([`Exercise`], [`Goal`], [`evaluate`]).
//! Must not depend on wasm-bindgen, web-sys, js-sys, serde_yaml, or any file or network I/O:
//! it runs natively in tests and unchanged in the browser (through `web`).
//!
//! Start reading at [`apply`]: 1. the browser restores a [`World`] (or builds it with
//! [`World::from_scenario`]), 2. each learner operation is an [`Action`] applied to it,
//! 3. [`evaluate`] ticks the exercise's goals. Every refusal is a list of
//! [`validate::FieldError`]s whose `rule` explains the rule to the learner.
//!
//! Learner-facing text is French, in the portal's wording where it is known; behaviours the
//! domain reference marks unconfirmed are documented as simulator choices.
//!
//! Part 2 wires the invoice domain ([`invoice`]) into the world: [`records`] holds the
//! invoices, provided documents, recipient behaviour, works dossiers and sollicitations;
//! [`clock`] plays what happens by itself when simulated time passes (routing, the recipient's
//! scripted decisions, tacit validation, the scenario's MOE and MOA, the support's answers).
//!
//! **No floating point in money code**, here as in [`invoice`]: amounts are
//! `rust_decimal` values and the float lints below are denied crate-wide.
#![warn(missing_docs)]
#![deny(
    clippy::float_arithmetic,
    clippy::float_cmp,
    clippy::cast_precision_loss,
    clippy::lossy_float_literal
)]

pub mod action;
pub mod clock;
pub mod exercise;
pub mod invoice;
mod invoicing;
pub mod records;
pub mod scenario;
pub mod validate;
pub mod world;

pub use action::{apply, apply_as_current, Action, Outcome, OutcomeData, UserRef};
pub use exercise::{check_exercise, evaluate, Exercise, Goal};
pub use scenario::{check_scenario, Problem, Scenario};
pub use validate::FieldError;
pub use world::{LoadError, World};
