//! The build driver: read the course, run the pipeline, collect diagnostics, write the site.
//!
//! Steps: 1. [`read_inputs`] reads `book.toml`, `content/` (walkdir) and the theme from disk,
//! 2. [`compile`] runs config → content → markdown → directives → checks → render entirely in
//! memory and returns every diagnostic with the output files, 3. [`write_site`] writes the files
//! aside and swaps them in at the end, so a failed build leaves the previous output untouched.
//! `didact build` instead runs [`Compiler::build_into`] inside [`replace_dir`]: the same steps,
//! each output written aside as soon as it is rendered (the `sink` module), so the site is
//! never held whole in memory.
//! For `serve`, [`Compiler`] keeps a build in memory and rebuilds only what a change needs
//! (see the `state` module and [`incremental`]); [`compile`] is its full build.
//! The only crates that touch the disk are this one and `cli`; this one never prints.

mod changelog;
mod check;
mod compile;
pub mod incremental;
mod inputs;
mod reach;
mod sink;
mod state;
mod widgets;
mod write;

pub use changelog::{Release, CHANGELOG_SOURCE, CHANGES_PAGE};
pub use compile::{compile, Site};
pub use didact_diag::{render_text as render_diagnostic, Diagnostic, Files};
pub use inputs::{read_inputs, Inputs, ThemeFile};
pub use sink::Written;
pub use state::{
    classify_edit, pages_showing, plan_rebuild, BuildKind, Compiler, CourseWideJob,
    CourseWideOutputs, PageEdit, Plan, Showing, Update,
};
pub use write::{replace_dir, write_site};

/// The WebAssembly runtime as one classic script (glue, inlined bytes, bootstrap), built from
/// `crates/web` by this crate's build script.
pub const RUNTIME_JS: &str = include_str!(concat!(env!("OUT_DIR"), "/didact-runtime.js"));

/// The toolchain that compiled [`RUNTIME_JS`]: the pinned nightly of the build script, `stable`
/// when it could not be installed (a larger runtime), `none` with `DIDACT_SKIP_WASM`.
pub const RUNTIME_TOOLCHAIN: &str = env!("DIDACT_RUNTIME_TOOLCHAIN");

mod default_theme {
    include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));
}
pub use default_theme::DEFAULT_THEME;

/// Everything a build produced: diagnostics, the file table they point into, and the site
/// when there was no error.
pub struct BuildResult {
    /// Every problem found.
    pub diagnostics: Vec<didact_diag::Diagnostic>,
    /// Source files for printing diagnostics.
    pub files: didact_diag::Files,
    /// The generated site, `None` when there are errors.
    pub site: Option<Site>,
}

impl BuildResult {
    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.diagnostics.len() - self.error_count()
    }
}

/// Read and compile the course at `root`.
pub fn build(root: &std::path::Path) -> anyhow::Result<BuildResult> {
    let inputs = read_inputs(root)?;
    Ok(compile(inputs))
}
