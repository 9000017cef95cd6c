//! `book.toml` text → validated [`Config`].
//!
//! Knows nothing about the file system: the caller reads `book.toml` and passes its text with
//! its [`FileId`]. Unknown keys are errors at their line (`#[serde(deny_unknown_fields)]`), and
//! every problem comes back as a [`Diagnostic`] so `check` can report them all at once.
#![warn(missing_docs)]

use didact_diag::{Diagnostic, FileId, Span};
use serde::Deserialize;

/// The validated course configuration.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Course metadata.
    pub course: Course,
    /// The course's learning objectives, in display order.
    #[serde(default)]
    pub objectives: Vec<Objective>,
}

/// `[course]` in `book.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Course {
    /// Storage namespace in the browser: letters, digits and dashes.
    pub id: String,
    /// Course title.
    pub title: String,
    /// Organisation responsible for the course.
    #[serde(default)]
    pub organisation: String,
    /// Identifier of the training offer.
    #[serde(default)]
    pub offer_id: String,
    /// « Date de mise à jour », `YYYY-MM-DD`.
    pub updated: String,
    /// Version of the course content.
    #[serde(default = "default_version")]
    pub version: String,
    /// Certification statement, e.g. « Formation non certifiante ».
    #[serde(default)]
    pub certification: String,
    /// Who the course is for.
    #[serde(default)]
    pub audience: String,
    /// What learners need before starting.
    #[serde(default)]
    pub prerequisites: String,
    /// One-paragraph description, Markdown.
    #[serde(default)]
    pub description: String,
    /// Page language; French by default.
    #[serde(default = "default_language")]
    pub language: String,
    /// RGAA compliance status shown in every page's footer with a link to the course's
    /// accessibility statement (`accessibilite.html`): « non conforme », « partiellement
    /// conforme » or « totalement conforme ». No link when absent.
    #[serde(default)]
    pub accessibility: Option<String>,
}

/// One `[[objectives]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Objective {
    /// Identifier used in front matter and quizzes.
    pub id: String,
    /// Text shown to learners.
    pub label: String,
}

fn default_version() -> String {
    "1.0".into()
}

fn default_language() -> String {
    "fr".into()
}

impl Config {
    /// Ids of the declared objectives.
    pub fn objective_ids(&self) -> Vec<&str> {
        self.objectives.iter().map(|o| o.id.as_str()).collect()
    }

    /// The French long form of [`Course::updated`], e.g. « 29 novembre 2026 ».
    pub fn updated_long(&self) -> String {
        format_date_fr(&self.course.updated).unwrap_or_else(|| self.course.updated.clone())
    }
}

const KEYS_COURSE: &[&str] = &[
    "id",
    "title",
    "organisation",
    "offer_id",
    "updated",
    "version",
    "certification",
    "audience",
    "prerequisites",
    "description",
    "language",
    "accessibility",
];
const KEYS_TOP: &[&str] = &["course", "objectives"];
const KEYS_OBJECTIVE: &[&str] = &["id", "label"];

/// Parse and validate `book.toml`. Returns the config when it could be read, and every problem.
pub fn parse_config(text: &str, file: FileId) -> (Option<Config>, Vec<Diagnostic>) {
    let config: Config = match toml::from_str(text) {
        Ok(config) => config,
        Err(error) => {
            let range = error.span().unwrap_or(0..0);
            let span = Span::new(file, range.start, range.end);
            let message = error.message().to_string();
            let mut diagnostic = Diagnostic::error(
                "config-invalid",
                format!("invalid book.toml: {message}"),
                span,
            );
            if let Some(key) = unknown_field(&message) {
                diagnostic.code = "config-unknown-key";
                diagnostic.message = format!("unknown key `{key}` in book.toml");
                // The keys of the table the unknown key is in (serde lists them).
                let expected = expected_fields(&message);
                let table = [KEYS_TOP, KEYS_OBJECTIVE, KEYS_COURSE]
                    .into_iter()
                    .find(|table| {
                        !expected.is_empty() && expected.iter().all(|k| table.contains(k))
                    })
                    .unwrap_or(KEYS_COURSE);
                diagnostic = if table == KEYS_TOP && KEYS_COURSE.contains(&key) {
                    diagnostic.with_help(format!(
                        "`{key}` belongs to the course: write it under the `[course]` line"
                    ))
                } else {
                    match didact_diag::suggest(key, table) {
                        Some(s) => diagnostic.with_help(format!("did you mean `{s}`?")),
                        None => {
                            diagnostic.with_help(format!("known keys here: {}", table.join(", ")))
                        }
                    }
                };
            }
            return (None, vec![diagnostic]);
        }
    };
    let diagnostics = check_config(&config, text, file);
    (Some(config), diagnostics)
}

/// The keys serde's "unknown field `x`, expected `a`, `b` or `c`" message lists.
fn expected_fields(message: &str) -> Vec<&str> {
    let Some((_, expected)) = message.split_once("expected") else {
        return Vec::new();
    };
    expected.split('`').skip(1).step_by(2).collect()
}

/// Extract the key from serde's "unknown field `x`, expected ..." message.
fn unknown_field(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("unknown field `")?;
    rest.split('`').next()
}

/// The RGAA compliance statuses an accessibility statement may declare.
pub const ACCESSIBILITY_STATUSES: &[&str] = &[
    "non conforme",
    "partiellement conforme",
    "totalement conforme",
];

fn check_config(config: &Config, text: &str, file: FileId) -> Vec<Diagnostic> {
    let mut res = Vec::new();
    let at = |key: &str, value: &str| -> Span {
        // Point at the value when it can be found after the key, else at the file start.
        text.find(&format!("{key} ="))
            .map(|start| {
                let value_start = text[start..]
                    .find(value)
                    .map(|v| start + v)
                    .unwrap_or(start);
                Span::new(file, value_start, value_start + value.len())
            })
            .unwrap_or(Span::file_start(file))
    };
    let course = &config.course;
    if course.id.is_empty()
        || !course
            .id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        res.push(
            Diagnostic::error(
                "config-invalid-id",
                "course id must be letters, digits and dashes",
                at("id", &course.id),
            )
            .with_help("the id namespaces saved progress in the browser, e.g. `chorus-pro`"),
        );
    }
    if course.title.trim().is_empty() {
        res.push(Diagnostic::error(
            "config-empty-title",
            "course title is empty",
            at("title", &course.title),
        ));
    }
    if format_date_fr(&course.updated).is_none() {
        res.push(
            Diagnostic::error(
                "config-invalid-date",
                format!("`updated` is not a date: `{}`", course.updated),
                at("updated", &course.updated),
            )
            .with_help("write the date as YYYY-MM-DD, e.g. 2026-11-29"),
        );
    }
    if let Some(status) = &course.accessibility {
        if !ACCESSIBILITY_STATUSES.contains(&status.as_str()) {
            res.push(
                Diagnostic::error(
                    "config-invalid-accessibility",
                    format!("`accessibility` is not an RGAA status: `{status}`"),
                    at("accessibility", status),
                )
                .with_help(format!("use one of: {}", ACCESSIBILITY_STATUSES.join(", "))),
            );
        }
    }
    let mut seen = Vec::new();
    for objective in &config.objectives {
        if seen.contains(&objective.id.as_str()) {
            res.push(Diagnostic::error(
                "config-duplicate-objective",
                format!("objective `{}` is declared twice", objective.id),
                at("id", &objective.id),
            ));
        }
        seen.push(&objective.id);
    }
    res
}

/// `2026-11-29` → « 29 novembre 2026 »; `None` when the text is not a valid date.
pub fn format_date_fr(date: &str) -> Option<String> {
    const MONTHS: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    let mut parts = date.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d): (u32, usize, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let month = MONTHS.get(m.checked_sub(1)?)?;
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ][m - 1];
    if d == 0 || d > days {
        return None;
    }
    let day = if d == 1 {
        "1er".to_string()
    } else {
        d.to_string()
    };
    Some(format!("{day} {month} {y}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"[course]
id = "demo"
title = "Démo"
updated = "2026-11-29"
"#;

    #[track_caller]
    fn check(text: &str) -> (Option<Config>, Vec<(&'static str, usize)>) {
        let (config, diagnostics) = parse_config(text, FileId(0));
        (
            config,
            diagnostics.iter().map(|d| (d.code, d.span.start)).collect(),
        )
    }

    #[test]
    fn minimal_config_is_valid() {
        let (config, problems) = check(MINIMAL);
        assert!(problems.is_empty(), "{problems:?}");
        let config = config.unwrap();
        assert_eq!(config.course.language, "fr");
        assert_eq!(config.updated_long(), "29 novembre 2026");
    }

    #[test]
    fn unknown_key_is_an_error_at_its_line() {
        let text = format!("{MINIMAL}titel = \"x\"\n");
        let (config, diagnostics) = parse_config(&text, FileId(0));
        assert!(config.is_none());
        assert_eq!(diagnostics[0].code, "config-unknown-key");
        assert_eq!(
            diagnostics[0].help.as_deref(),
            Some("did you mean `title`?")
        );
        assert_eq!(
            &text[diagnostics[0].span.start..diagnostics[0].span.end],
            "titel"
        );
    }

    #[test]
    fn a_course_key_outside_the_course_table_says_where_it_goes() {
        let text = format!("title = \"x\"\n{MINIMAL}");
        let (_, diagnostics) = parse_config(&text, FileId(0));
        assert_eq!(diagnostics[0].code, "config-unknown-key");
        assert_eq!(
            diagnostics[0].help.as_deref(),
            Some("`title` belongs to the course: write it under the `[course]` line")
        );
        let text = format!("{MINIMAL}[[objectives]]\nid = \"a\"\nlabl = \"A\"\n");
        let (_, diagnostics) = parse_config(&text, FileId(0));
        assert_eq!(
            diagnostics[0].help.as_deref(),
            Some("did you mean `label`?")
        );
    }

    #[test]
    fn bad_date_and_id_are_reported_together() {
        let text = MINIMAL
            .replace("2026-11-29", "29/11/2026")
            .replace("\"demo\"", "\"d mo\"");
        let (_, problems) = check(&text);
        let codes: Vec<_> = problems.iter().map(|p| p.0).collect();
        assert_eq!(codes, ["config-invalid-id", "config-invalid-date"]);
    }

    #[test]
    fn accessibility_status_must_be_an_rgaa_status() {
        let (config, problems) = check(&format!(
            "{MINIMAL}accessibility = \"partiellement conforme\"\n"
        ));
        assert!(problems.is_empty());
        assert_eq!(
            config.unwrap().course.accessibility.as_deref(),
            Some("partiellement conforme")
        );
        let (_, problems) = check(&format!("{MINIMAL}accessibility = \"conforme\"\n"));
        assert_eq!(
            problems.iter().map(|p| p.0).collect::<Vec<_>>(),
            ["config-invalid-accessibility"]
        );
    }

    #[test]
    fn dates_are_validated_and_written_in_french() {
        assert_eq!(
            format_date_fr("2024-02-29").as_deref(),
            Some("29 février 2024")
        );
        assert_eq!(format_date_fr("2023-02-29"), None);
        assert_eq!(
            format_date_fr("2026-08-01").as_deref(),
            Some("1er août 2026")
        );
    }
}
