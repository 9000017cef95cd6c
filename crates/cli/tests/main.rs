//! The `didact` binary, driven as an author would: exit codes, stdout, stderr, files on disk,
//! and the dev server over real HTTP. One test binary, as STYLE.md asks.

mod build;
mod check;
mod external;
mod help;
mod new;
mod serve;
mod support;
