//! « Nouveautés »: the page listing what changed in each version of the course.
//!
//! The author keeps `content/changelog.yaml` (format in docs/changelog-format.md):
//! 1. [`parse_changelog`] reads and checks it (unknown keys, dates, unique versions, the newest
//!    version matching `book.toml`), 2. [`render_changes_page`] renders `nouveautes.html` with the
//!    theme's `changes.html`. No changelog, no page.

use didact_diag::{Diagnostic, FileId, Files, Span};
use serde::{Deserialize, Serialize};

/// Where the changelog lives, relative to `content/`.
pub const CHANGELOG_SOURCE: &str = "changelog.yaml";
/// The generated page.
pub const CHANGES_PAGE: &str = "nouveautes.html";
/// The template that renders it.
pub const CHANGES_TEMPLATE: &str = "changes.html";

/// One version of the course, as the template sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Release {
    /// The version, as in `book.toml` (`version = "1.1"`).
    pub version: String,
    /// Publication date, `YYYY-MM-DD`.
    pub date: String,
    /// The date written out in French, e.g. « 15 décembre 2026 ».
    pub date_long: String,
    /// What changed, each entry as inline HTML (written in Markdown).
    pub changes: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChangelogFile {
    releases: Vec<ReleaseFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReleaseFile {
    version: String,
    date: String,
    changes: Vec<String>,
}

/// Read and check the changelog among the course's data files, newest release first.
/// Returns no release when the course has no changelog.
pub fn parse_changelog(
    data: &[(String, String)],
    files: &mut Files,
    current_version: &str,
) -> (Vec<Release>, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let Some((_, text)) = data.iter().find(|(path, _)| path == CHANGELOG_SOURCE) else {
        return (Vec::new(), problems);
    };
    let file = files.add(format!("content/{CHANGELOG_SOURCE}"), text.clone());
    let parsed: ChangelogFile = match serde_yaml::from_str(text) {
        Ok(parsed) => parsed,
        Err(error) => {
            let start = error
                .location()
                .map(|l| l.index())
                .unwrap_or(0)
                .min(text.len());
            let message = error.to_string();
            let message = message.split(" at line ").next().unwrap_or(&message);
            problems.push(
                Diagnostic::error("changelog-invalid", message.to_string(), Span::new(file, start, start))
                    .with_help("see docs/changelog-format.md: `releases:`, then `version`, `date` and `changes` for each"),
            );
            return (Vec::new(), problems);
        }
    };
    let mut res: Vec<Release> = Vec::new();
    for release in parsed.releases {
        let span = value_span(text, file, "version", &release.version);
        if res.iter().any(|r| r.version == release.version) {
            problems.push(
                Diagnostic::error(
                    "changelog-duplicate-version",
                    format!(
                        "version `{}` appears twice in the changelog",
                        release.version
                    ),
                    span,
                )
                .with_help("merge the two entries"),
            );
        }
        let date_long = match didact_config::format_date_fr(&release.date) {
            Some(date) => date,
            None => {
                problems.push(
                    Diagnostic::error(
                        "changelog-invalid-date",
                        format!("`{}` is not a date", release.date),
                        value_span(text, file, "date", &release.date),
                    )
                    .with_help("write the date as YYYY-MM-DD, e.g. 2026-12-15"),
                );
                String::new()
            }
        };
        if release.changes.is_empty() {
            problems.push(Diagnostic::error(
                "changelog-no-changes",
                format!("version `{}` lists no change", release.version),
                span,
            ));
        }
        if let Some(previous) = res.last() {
            if previous.date < release.date {
                problems.push(
                    Diagnostic::warning(
                        "changelog-order",
                        format!(
                            "version `{}` is newer than `{}` above it",
                            release.version, previous.version
                        ),
                        span,
                    )
                    .with_help("list the newest version first"),
                );
            }
        }
        res.push(Release {
            version: release.version,
            date: release.date,
            date_long,
            changes: release
                .changes
                .iter()
                .map(|c| didact_markdown::render_inline(c))
                .collect(),
        });
    }
    if let Some(newest) = res.first() {
        if newest.version != current_version {
            problems.push(
                Diagnostic::warning(
                    "changelog-version-mismatch",
                    format!(
                        "the newest version of the changelog is `{}` but book.toml says `{current_version}`",
                        newest.version
                    ),
                    value_span(text, file, "version", &newest.version),
                )
                .with_help("add an entry for the current version, or update `version` in book.toml"),
            );
        }
    }
    (res, problems)
}

/// Render « Nouveautés » when there are releases and the theme has the template.
pub fn render_changes_page(
    releases: &[Release],
    templates: &didact_render::Templates,
    base: &tera::Context,
    nav_html: &str,
) -> Result<Option<(String, Vec<u8>)>, Diagnostic> {
    if releases.is_empty() || !templates.has(CHANGES_TEMPLATE) {
        return Ok(None);
    }
    let mut context = base.clone();
    context.insert("releases", releases);
    context.insert("nav", nav_html);
    context.insert("root", "");
    let html = templates.render(CHANGES_TEMPLATE, &context)?;
    Ok(Some((CHANGES_PAGE.to_string(), html.into_bytes())))
}

/// The span of `key: value` in the YAML text (the first one), or the file start.
fn value_span(text: &str, file: FileId, key: &str, value: &str) -> Span {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start().trim_start_matches("- ");
        if let Some(rest) = trimmed.strip_prefix(key).and_then(|r| r.strip_prefix(':')) {
            if rest.trim().trim_matches(['"', '\'']) == value {
                let column = line.find(rest.trim()).unwrap_or(0);
                let start = offset + column;
                return Span::new(file, start, start + rest.trim().len());
            }
        }
        offset += line.len();
    }
    Span::file_start(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(text: &str, version: &str) -> (Vec<Release>, Vec<(&'static str, String)>) {
        let mut files = Files::new();
        let data = vec![(CHANGELOG_SOURCE.to_string(), text.to_string())];
        let (releases, problems) = parse_changelog(&data, &mut files, version);
        let problems = problems
            .iter()
            .map(|d| {
                let (_, line, col) = files.location(d.span);
                (d.code, format!("{line}:{col}"))
            })
            .collect();
        (releases, problems)
    }

    const TWO_RELEASES: &str = r#"releases:
  - version: "1.1"
    date: "2026-12-01"
    changes:
      - "Nouvelle partie **V**"
  - version: "1.0"
    date: "2026-11-29"
    changes:
      - "Première version"
"#;

    #[test]
    fn releases_are_read_newest_first_with_inline_markdown() {
        let (releases, problems) = check(TWO_RELEASES, "1.1");
        assert_eq!(problems, vec![]);
        assert_eq!(releases.len(), 2);
        assert_eq!(releases[0].date_long, "1er décembre 2026");
        assert_eq!(releases[0].changes, ["Nouvelle partie <strong>V</strong>"]);
    }

    #[test]
    fn a_newest_version_other_than_book_toml_is_a_warning_at_its_line() {
        let (_, problems) = check(TWO_RELEASES, "1.2");
        assert_eq!(
            problems,
            [("changelog-version-mismatch", "2:14".to_string())]
        );
    }

    #[test]
    fn bad_dates_duplicates_and_unknown_keys_are_errors() {
        let text = "releases:\n  - version: \"1.0\"\n    date: \"hier\"\n    changes: [a]\n  - version: \"1.0\"\n    date: \"2026-01-01\"\n    changes: [b]\n";
        let (_, problems) = check(text, "1.0");
        let codes: Vec<&str> = problems.iter().map(|p| p.0).collect();
        assert_eq!(
            codes,
            ["changelog-invalid-date", "changelog-duplicate-version"]
        );
        let (_, problems) = check("releases:\n  - version: \"1.0\"\n    dat: x\n", "1.0");
        assert_eq!(problems[0].0, "changelog-invalid");
        assert_eq!(problems[0].1, "3:5");
    }

    #[test]
    fn no_changelog_no_releases() {
        let mut files = Files::new();
        assert_eq!(parse_changelog(&[], &mut files, "1.0"), (vec![], vec![]));
    }
}
