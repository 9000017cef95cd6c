//! Tera templates and their context types → HTML pages, and the navigation.
//!
//! Templates arrive as strings (the theme is read by `site`), so this crate never touches the
//! file system. The navigation is rendered once per depth and marked per page with one string
//! replacement, so the cost of a page does not grow with the course.
//! **Invariant:** knows nothing about the file system or Markdown parsing.
#![warn(missing_docs)]

mod nav;

use didact_config::Config;
use didact_content::{Course, Item};
use didact_diag::{Diagnostic, FileId, Span};
pub use nav::{Navigation, NAV_SCRIPT};
use serde::Serialize;

/// A template file of the theme.
#[derive(Debug, Clone)]
pub struct TemplateSource {
    /// Name relative to the theme's `templates/` folder, e.g. `page.html`.
    pub name: String,
    /// Template text.
    pub text: String,
    /// File id for diagnostics.
    pub file: FileId,
}

/// The compiled templates.
pub struct Templates {
    tera: tera::Tera,
    files: Vec<(String, FileId)>,
}

/// The templates every theme must provide.
pub const REQUIRED_TEMPLATES: &[&str] = &["home.html", "page.html", "module.html", "404.html"];

impl Templates {
    /// Compile the theme's templates; syntax errors come back as diagnostics at their line.
    pub fn compile(sources: &[TemplateSource]) -> Result<Templates, Vec<Diagnostic>> {
        let mut diagnostics = Vec::new();
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![".html"]);
        // Tera's default also escapes `/`, which is harmless but makes every href unreadable.
        tera.set_escape_fn(escape_html);
        // Check each template alone first, so every syntax error is reported at its file.
        for source in sources {
            if let Err(error) = tera::Template::new(&source.name, None, &source.text) {
                diagnostics.push(template_diagnostic(&error, source));
            }
        }
        if diagnostics.is_empty() {
            let all: Vec<(&str, &str)> = sources
                .iter()
                .map(|s| (s.name.as_str(), s.text.as_str()))
                .collect();
            if let Err(error) = tera.add_raw_templates(all) {
                let source = sources.first().expect("a theme has templates");
                diagnostics.push(template_diagnostic(&error, source));
            }
        }
        for required in REQUIRED_TEMPLATES {
            if !sources.iter().any(|s| s.name == *required) {
                let file = sources.first().map(|s| s.file).unwrap_or(FileId(0));
                diagnostics.push(Diagnostic::error(
                    "template-missing",
                    format!("the theme has no `templates/{required}`"),
                    Span::file_start(file),
                ));
            }
        }
        if !diagnostics.is_empty() {
            return Err(diagnostics);
        }
        Ok(Templates {
            tera,
            files: sources.iter().map(|s| (s.name.clone(), s.file)).collect(),
        })
    }

    /// True when the theme has template `name`.
    pub fn has(&self, name: &str) -> bool {
        self.files.iter().any(|(n, _)| n == name)
    }

    /// Render template `name` with `context`.
    pub fn render(&self, name: &str, context: &tera::Context) -> Result<String, Diagnostic> {
        self.tera
            .render(name, context)
            .map_err(|error| self.failure(name, &error))
    }

    /// Render template `name` with `context` into `out` as it goes, for outputs too large to
    /// hold whole (the printable version of a course of thousands of pages).
    pub fn render_to(
        &self,
        name: &str,
        context: &tera::Context,
        out: impl std::io::Write,
    ) -> Result<(), Diagnostic> {
        self.tera
            .render_to(name, context, out)
            .map_err(|error| self.failure(name, &error))
    }

    fn failure(&self, name: &str, error: &tera::Error) -> Diagnostic {
        let file = self
            .files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, f)| *f)
            .unwrap_or(FileId(0));
        Diagnostic::error(
            "template-render",
            format!("template `{name}` failed: {}", error_chain(error)),
            Span::file_start(file),
        )
        .with_help("check the variables and filters the template uses")
    }
}

/// Escape text for HTML content and attribute values.
fn escape_html(text: &str) -> String {
    let mut res = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => res.push_str("&amp;"),
            '<' => res.push_str("&lt;"),
            '>' => res.push_str("&gt;"),
            '"' => res.push_str("&quot;"),
            '\'' => res.push_str("&#39;"),
            c => res.push(c),
        }
    }
    res
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut res = error.to_string();
    let mut source = error.source();
    while let Some(s) = source {
        res.push_str(": ");
        res.push_str(&s.to_string());
        source = s.source();
    }
    res
}

/// Turn a tera parse error into a diagnostic at the template's line and column.
fn template_diagnostic(error: &tera::Error, source: &TemplateSource) -> Diagnostic {
    let text = error_chain(error);
    // pest errors contain ` --> LINE:COL`.
    let position = text.split("--> ").nth(1).and_then(|rest| {
        let mut numbers = rest
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty());
        Some((
            numbers.next()?.parse::<usize>().ok()?,
            numbers.next()?.parse::<usize>().ok()?,
        ))
    });
    let offset = position
        .map(|(line, col)| {
            let line_start: usize = source
                .text
                .split_inclusive('\n')
                .take(line - 1)
                .map(str::len)
                .sum();
            let line_text = source.text[line_start..].lines().next().unwrap_or("");
            line_start
                + line_text
                    .char_indices()
                    .nth(col - 1)
                    .map(|(i, _)| i)
                    .unwrap_or(0)
        })
        .unwrap_or(0);
    let summary = text
        .lines()
        .rev()
        .find(|l| l.trim_start().starts_with("= "))
        .map(|l| l.trim_start().trim_start_matches("= ").to_string());
    Diagnostic::error(
        "template-syntax",
        format!(
            "template syntax error in `{}`{}",
            source.name,
            summary.map(|s| format!(": {s}")).unwrap_or_default()
        ),
        Span::new(source.file, offset, offset + 1),
    )
    .with_help("see the Tera documentation for the template syntax")
}

/// A link in the rendered page.
#[derive(Debug, Clone, Serialize)]
pub struct LinkContext {
    /// Visible text.
    pub title: String,
    /// Relative href.
    pub href: String,
}

/// What a content page's template receives besides the course.
#[derive(Debug, Clone, Serialize)]
pub struct PageContext {
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// Relative path to the site root (`""` or `"../"`).
    pub root: String,
    /// Output URL relative to the root.
    pub url: String,
    /// Body HTML.
    pub content: String,
    /// Estimated duration in minutes (from front matter, else reading time).
    pub duration: Option<u32>,
    /// Reading time in minutes from the word count.
    pub reading_minutes: u32,
    /// Labels of the page's objectives.
    pub objectives: Vec<String>,
    /// Level-2 headings: the page's table of contents.
    pub toc: Vec<LinkContext>,
    /// Breadcrumbs from the home page to the parent.
    pub breadcrumbs: Vec<LinkContext>,
    /// Previous page in reading order.
    pub prev: Option<LinkContext>,
    /// Next page in reading order.
    pub next: Option<LinkContext>,
    /// For a module page: its pages.
    pub children: Vec<ChildContext>,
    /// For a module page: « Partie I ».
    pub module_label: Option<String>,
    /// A stable id for progress tracking (the URL without `.html`).
    pub page_id: String,
}

/// A page listed on a module page or the home page.
#[derive(Debug, Clone, Serialize)]
pub struct ChildContext {
    /// Title.
    pub title: String,
    /// Relative href.
    pub href: String,
    /// Description.
    pub description: Option<String>,
    /// Minutes.
    pub duration: Option<u32>,
    /// « Partie I » for modules.
    pub label: Option<String>,
    /// Sub-entries (a module's pages on the home page).
    pub children: Vec<ChildContext>,
}

/// The course-level context shared by every page.
#[derive(Debug, Clone, Serialize)]
pub struct CourseContext {
    /// Config `[course]`.
    pub id: String,
    /// Title.
    pub title: String,
    /// Organisation.
    pub organisation: String,
    /// Offer id.
    pub offer_id: String,
    /// `YYYY-MM-DD`.
    pub updated: String,
    /// « 29 novembre 2026 ».
    pub updated_long: String,
    /// Content version.
    pub version: String,
    /// Certification statement.
    pub certification: String,
    /// Audience.
    pub audience: String,
    /// Prerequisites.
    pub prerequisites: String,
    /// Description HTML.
    pub description: String,
    /// Language code.
    pub language: String,
    /// RGAA compliance status, when the course has an accessibility statement.
    pub accessibility: Option<String>,
    /// Objectives.
    pub objectives: Vec<ObjectiveContext>,
    /// didact's version.
    pub generator: String,
}

/// An objective.
#[derive(Debug, Clone, Serialize)]
pub struct ObjectiveContext {
    /// Id.
    pub id: String,
    /// Label.
    pub label: String,
}

impl CourseContext {
    /// Build from the config; `description_html` is the rendered description.
    pub fn new(config: &Config, description_html: String) -> Self {
        let c = &config.course;
        CourseContext {
            id: c.id.clone(),
            title: c.title.clone(),
            organisation: c.organisation.clone(),
            offer_id: c.offer_id.clone(),
            updated: c.updated.clone(),
            updated_long: config.updated_long(),
            version: c.version.clone(),
            certification: c.certification.clone(),
            audience: c.audience.clone(),
            prerequisites: c.prerequisites.clone(),
            description: description_html,
            language: c.language.clone(),
            accessibility: c.accessibility.clone(),
            objectives: config
                .objectives
                .iter()
                .map(|o| ObjectiveContext {
                    id: o.id.clone(),
                    label: o.label.clone(),
                })
                .collect(),
            generator: format!("didact {}", env!("CARGO_PKG_VERSION")),
        }
    }
}

/// Roman numeral for module labels (« Partie IV »).
pub fn roman(mut n: usize) -> String {
    const TABLE: &[(usize, &str)] = &[
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut res = String::new();
    for &(value, numeral) in TABLE {
        while n >= value {
            res.push_str(numeral);
            n -= value;
        }
    }
    res
}

/// Entries of the home page: modules with their pages, and standalone pages.
pub fn home_children(course: &Course) -> Vec<ChildContext> {
    course
        .items
        .iter()
        .filter_map(|item| match *item {
            Item::Module(m) => {
                let module = &course.modules[m];
                let index = &course.pages[module.index_page];
                Some(ChildContext {
                    title: index.front.title.clone(),
                    href: index.url.clone(),
                    description: index.front.description.clone(),
                    duration: Some(
                        module
                            .pages
                            .iter()
                            .filter_map(|&p| course.pages[p].front.duration)
                            .sum::<u32>(),
                    )
                    .filter(|d| *d > 0),
                    label: Some(format!("Partie {}", roman(module.number))),
                    children: module
                        .pages
                        .iter()
                        .map(|&p| &course.pages[p])
                        .filter(|p| p.in_nav())
                        .map(|p| ChildContext {
                            title: p.front.title.clone(),
                            href: p.url.clone(),
                            description: None,
                            duration: p.front.duration,
                            label: None,
                            children: vec![],
                        })
                        .collect(),
                })
            }
            Item::Page(p) => {
                let page = &course.pages[p];
                page.in_nav().then(|| ChildContext {
                    title: page.front.title.clone(),
                    href: page.url.clone(),
                    description: page.front.description.clone(),
                    duration: page.front.duration,
                    label: None,
                    children: vec![],
                })
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_syntax_errors_point_at_their_line() {
        let source = TemplateSource {
            name: "page.html".into(),
            text: "<p>\n{{ page.title }\n</p>".into(),
            file: FileId(3),
        };
        let diagnostics = Templates::compile(&[source]).err().unwrap();
        let syntax = diagnostics
            .iter()
            .find(|d| d.code == "template-syntax")
            .unwrap();
        assert_eq!(syntax.span.file, FileId(3));
        let line = "<p>\n{{ page.title }\n</p>"[..syntax.span.start]
            .matches('\n')
            .count()
            + 1;
        assert_eq!(line, 2);
    }

    #[test]
    fn roman_numerals() {
        assert_eq!(roman(4), "IV");
        assert_eq!(roman(9), "IX");
        assert_eq!(roman(14), "XIV");
    }
}
