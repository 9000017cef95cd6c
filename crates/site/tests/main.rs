//! Integration tests of the build driver: whole courses in, files and diagnostics out.

mod support;

#[path = "../runtime/pack.rs"]
mod pack;

mod build;
mod course;
mod diagnostics;
mod incremental;
mod offline;
