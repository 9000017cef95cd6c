//! Integration tests of the build driver: whole courses in, files and diagnostics out.

mod support;

mod build;
mod diagnostics;
mod course;
mod offline;
