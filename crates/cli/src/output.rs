//! Printing diagnostics and summaries.

use crate::Format;

/// Print every diagnostic of `result`: human text on stderr, or one JSON array on stdout.
pub fn print_diagnostics(result: &didact_site::BuildResult, format: Format) {
    match format {
        Format::Human => {
            for diagnostic in &result.diagnostics {
                eprintln!("{}", didact_diag::render_text(diagnostic, &result.files));
            }
        }
        Format::Json => println!(
            "{}",
            didact_diag::render_json(&result.diagnostics, &result.files)
        ),
    }
}

/// Every diagnostic as text, one after the other (for the browser overlay).
pub fn diagnostics_text(result: &didact_site::BuildResult) -> String {
    let mut res = String::new();
    for diagnostic in &result.diagnostics {
        res.push_str(&didact_diag::render_text(diagnostic, &result.files));
        res.push('\n');
    }
    res.push_str(&summary(result));
    res
}

/// `2 errors, 1 warning`.
pub fn summary(result: &didact_site::BuildResult) -> String {
    let (errors, warnings) = (result.error_count(), result.warning_count());
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
