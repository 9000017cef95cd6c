//! End-to-end tests in real headless Chromium and Firefox, pages opened from `file://`.
//!
//! The bundled course is built once per run (in memory, then written to a temporary folder)
//! and every test opens it through WebDriver (Debian's chromedriver, geckodriver from
//! crates.io). Tests run one at a time (two cores) and fail on any browser console error.
//! A missing browser or driver is a failure with an install hint, never a skip.

mod harness;
#[path = "../../crates/site/runtime/pack.rs"]
mod pack;
mod portal;

mod course_exercises;
mod course_invoices;
mod file_origin;
mod foundation;
mod learner;
mod positioning;
mod quiz;
mod serve;
mod sim;
mod sim_invoices;
mod sim_works_end;
mod sim_works_subcontract;
mod unpack;
