//! Front matter: the YAML between `---` lines at the top of a page.

use didact_diag::{Diagnostic, FileId, Span};
use serde::Deserialize;

/// Every key a page's front matter may hold.
pub const FRONT_MATTER_KEYS: &[&str] = &[
    "title",
    "description",
    "objectives",
    "duration",
    "weight",
    "nav",
];

/// A page's front matter.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// Page title (required).
    pub title: String,
    /// One-sentence summary.
    #[serde(default)]
    pub description: Option<String>,
    /// Learning objectives (ids from `book.toml`).
    #[serde(default)]
    pub objectives: Vec<String>,
    /// Estimated duration in minutes.
    #[serde(default)]
    pub duration: Option<u32>,
    /// Ordering weight, overriding the file name's numeric prefix.
    #[serde(default)]
    pub weight: Option<i64>,
    /// `false` keeps the page out of the navigation.
    #[serde(default)]
    pub nav: Option<bool>,
}

/// Split `text` into `(yaml, yaml_offset, body_offset)`; `None` when there is no front matter.
pub fn split_front_matter(text: &str) -> Option<(&str, usize, usize)> {
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))?;
    let yaml_start = text.len() - rest.len();
    let mut offset = yaml_start;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Some((&text[yaml_start..offset], yaml_start, offset + line.len()));
        }
        offset += line.len();
    }
    None
}

/// Parse a page's front matter; returns it (default when broken), the body offset and problems.
pub(crate) fn parse_page(
    text: &str,
    file: FileId,
    objective_ids: &[&str],
) -> (FrontMatter, usize, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let Some((yaml, yaml_offset, body_offset)) = split_front_matter(text) else {
        problems.push(
            Diagnostic::error(
                "front-matter-missing",
                "page has no front matter",
                Span::file_start(file),
            )
            .with_help("start the page with `---`, a line `title: \"…\"`, and `---`"),
        );
        return (FrontMatter::default(), 0, problems);
    };
    let front: FrontMatter = match serde_yaml::from_str(yaml) {
        Ok(front) => front,
        Err(error) => {
            let start = error
                .location()
                .map(|l| l.index())
                .unwrap_or(0)
                .min(yaml.len());
            let message = error.to_string();
            let message = message
                .split(" at line ")
                .next()
                .unwrap_or(&message)
                .to_string();
            let mut diagnostic;
            if let Some(key) = message
                .strip_prefix("unknown field `")
                .and_then(|r| r.split('`').next())
            {
                // Point at the key itself.
                let key_start = find_key(yaml, key).unwrap_or(start);
                diagnostic = Diagnostic::error(
                    "front-matter-unknown-key",
                    format!("unknown front matter key `{key}`"),
                    Span::new(
                        file,
                        yaml_offset + key_start,
                        yaml_offset + key_start + key.len(),
                    ),
                );
                diagnostic = match didact_diag::suggest(key, FRONT_MATTER_KEYS) {
                    Some(s) => diagnostic.with_help(format!("did you mean `{s}`?")),
                    None => diagnostic
                        .with_help(format!("known keys: {}", FRONT_MATTER_KEYS.join(", "))),
                };
            } else if message.starts_with("missing field `title`") {
                diagnostic = Diagnostic::error(
                    "front-matter-missing-title",
                    "front matter has no `title`",
                    Span::new(file, 0, 3),
                )
                .with_help("add a line `title: \"…\"`");
            } else {
                diagnostic = Diagnostic::error(
                    "front-matter-invalid",
                    format!("invalid front matter: {message}"),
                    Span::new(file, yaml_offset + start, yaml_offset + start),
                )
                .with_help(
                    "front matter is YAML: `key: value` per line; quote values that contain `:`",
                );
            }
            problems.push(diagnostic);
            return (FrontMatter::default(), body_offset, problems);
        }
    };
    if front.title.trim().is_empty() {
        problems.push(Diagnostic::error(
            "front-matter-missing-title",
            "page title is empty",
            Span::new(file, yaml_offset, yaml_offset),
        ));
    }
    for objective in &front.objectives {
        if !objective_ids.contains(&objective.as_str()) {
            let at = yaml.find(objective.as_str()).unwrap_or(0);
            let mut diagnostic = Diagnostic::error(
                "unknown-objective",
                format!("objective `{objective}` is not declared in book.toml"),
                Span::new(file, yaml_offset + at, yaml_offset + at + objective.len()),
            );
            diagnostic = match didact_diag::suggest(objective, objective_ids) {
                Some(s) => diagnostic.with_help(format!("did you mean `{s}`?")),
                None => diagnostic
                    .with_help(format!("declared objectives: {}", objective_ids.join(", "))),
            };
            problems.push(diagnostic);
        }
    }
    (front, body_offset, problems)
}

fn find_key(yaml: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    for line in yaml.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with(key) && trimmed[key.len()..].trim_start().starts_with(':') {
            return Some(offset + line.len() - trimmed.len());
        }
        offset += line.len();
    }
    None
}
