//! Printing diagnostics and summaries.

use didact_diag::{Diagnostic, Files};

use crate::Format;

/// The diagnostics of one build and the file table they point into.
#[derive(Clone, Copy)]
pub struct Report<'a> {
    /// Every problem found.
    pub diagnostics: &'a [Diagnostic],
    /// Source files for printing them.
    pub files: &'a Files,
}

impl<'a> From<&'a didact_site::BuildResult> for Report<'a> {
    fn from(result: &'a didact_site::BuildResult) -> Self {
        Report {
            diagnostics: &result.diagnostics,
            files: &result.files,
        }
    }
}

impl<'a> From<&'a didact_site::Compiler> for Report<'a> {
    fn from(compiler: &'a didact_site::Compiler) -> Self {
        Report {
            diagnostics: compiler.diagnostics(),
            files: compiler.files(),
        }
    }
}

impl Report<'_> {
    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.diagnostics.len() - self.error_count()
    }
}

/// Print every diagnostic: human text on stderr, or one JSON array on stdout.
pub fn print_diagnostics<'a>(report: impl Into<Report<'a>>, format: Format) {
    let report = report.into();
    match format {
        Format::Human => {
            for diagnostic in report.diagnostics {
                eprintln!("{}", didact_diag::render_text(diagnostic, report.files));
            }
        }
        Format::Json => println!(
            "{}",
            didact_diag::render_json(report.diagnostics, report.files)
        ),
    }
}

/// Every diagnostic as text, one after the other (for the browser overlay).
pub fn diagnostics_text<'a>(report: impl Into<Report<'a>>) -> String {
    let report = report.into();
    let mut res = String::new();
    for diagnostic in report.diagnostics {
        res.push_str(&didact_diag::render_text(diagnostic, report.files));
        res.push('\n');
    }
    res.push_str(&summary(report));
    res
}

/// `2 errors, 1 warning`.
pub fn summary<'a>(report: impl Into<Report<'a>>) -> String {
    let report = report.into();
    let (errors, warnings) = (report.error_count(), report.warning_count());
    format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

/// `1 page`, `2 pages`.
pub fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}
