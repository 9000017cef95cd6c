//! Workspace-level tests live in `browser/` (real browsers through WebDriver) and are run by
//! `cargo test --workspace`. This library is empty on purpose: the package exists to hold them.
