//! The course model: modules, pages, front matter, order, slugs and output URLs.
//!
//! Takes `(path, text)` pairs from `site` and never touches the file system.
//! Process: 1. split each page's YAML front matter from its body, 2. parse the front matter
//! (unknown keys are errors), 3. group pages into modules by folder, 4. order siblings by
//! `weight`, else numeric prefix, else name, 5. compute slugs, URLs and the reading order.
//! Knows nothing about Markdown rendering or templates.
#![warn(missing_docs)]

mod front;

use std::collections::BTreeMap;

use didact_config::Config;
use didact_diag::{Diagnostic, FileId, Span};
pub use front::{split_front_matter, FrontMatter, FRONT_MATTER_KEYS};

/// One Markdown source file handed in by the caller.
#[derive(Debug, Clone)]
pub struct SourcePage {
    /// Path relative to `content/`, with `/` separators, e.g. `01-vocabulaire/02-echeancier.md`.
    pub path: String,
    /// Its id in the diagnostics' file table.
    pub file: FileId,
    /// Full text (shared with the file table, never copied).
    pub text: std::sync::Arc<str>,
}

/// The whole course, ordered.
#[derive(Debug, Clone, Default)]
pub struct Course {
    /// Every page (module index pages included), in reading order.
    pub pages: Vec<Page>,
    /// Every module, in order.
    pub modules: Vec<Module>,
    /// Top-level entries of the navigation, in order.
    pub items: Vec<Item>,
}

/// A top-level navigation entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    /// Index into [`Course::modules`].
    Module(usize),
    /// Index into [`Course::pages`] of a standalone page.
    Page(usize),
}

/// A module: a folder of pages.
#[derive(Debug, Clone)]
pub struct Module {
    /// URL segment, e.g. `vocabulaire`.
    pub slug: String,
    /// Folder path relative to `content/`.
    pub dir: String,
    /// 1-based position among modules, for « Partie I ».
    pub number: usize,
    /// Index into [`Course::pages`] of the module's own page (from `index.md`, or generated).
    pub index_page: usize,
    /// Indices into [`Course::pages`] of the module's pages, in order (index page excluded).
    pub pages: Vec<usize>,
}

/// One page of the course.
#[derive(Debug, Clone)]
pub struct Page {
    /// Source path relative to `content/`; empty for a generated module page.
    pub source: String,
    /// File id for diagnostics.
    pub file: FileId,
    /// URL segment.
    pub slug: String,
    /// Output path relative to the site root, e.g. `vocabulaire/generalites.html`.
    pub url: String,
    /// The module this page belongs to.
    pub module: Option<usize>,
    /// True for a module's own page.
    pub is_module_index: bool,
    /// Parsed front matter.
    pub front: FrontMatter,
    /// Byte offset of the Markdown body in the file.
    pub body_offset: usize,
    /// The file's full text, shared with the file table ([`Page::body`] is its Markdown body).
    pub text: std::sync::Arc<str>,
}

impl Page {
    /// How many `../` lead from this page back to the site root.
    pub fn depth(&self) -> usize {
        self.url.matches('/').count()
    }
    /// The Markdown body: the text after the front matter.
    pub fn body(&self) -> &str {
        &self.text[self.body_offset..]
    }
    /// True when the page appears in navigation and prev/next.
    pub fn in_nav(&self) -> bool {
        self.front.nav.unwrap_or(true)
    }
}

/// Folders that hold course data, not pages.
pub const DATA_DIRS: &[&str] = &["scenarios", "quizzes", "images", "files"];

/// The pages the build generates at the site's root, by slug, with what they are: a page of
/// the course with one of these slugs would be overwritten (`didact-site` checks that its
/// generated pages are all here).
pub const GENERATED_PAGES: &[(&str, &str)] = &[
    ("index", "the home page, made from book.toml"),
    ("404", "the page shown for a missing address"),
    ("imprimer", "the printable version of the course"),
    ("progression", "« Ma progression »"),
    ("storage", "the page that keeps the learner's progress"),
    ("nouveautes", "« Nouveautés », made from the changelog"),
];

/// Build the course model from the Markdown files of `content/`.
pub fn load_course(config: &Config, sources: Vec<SourcePage>) -> (Course, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let objective_ids = config.objective_ids();

    struct Entry {
        key: (i64, String),
        page: Page,
    }
    // Parse every file, then group by top-level folder.
    let mut top: Vec<Entry> = Vec::new();
    let mut by_dir: BTreeMap<String, (Option<Entry>, Vec<Entry>)> = BTreeMap::new();
    for source in sources {
        let segments: Vec<&str> = source.path.split('/').collect();
        if segments.iter().any(|s| DATA_DIRS.contains(s)) {
            continue;
        }
        if segments.len() > 2 {
            diagnostics.push(
                Diagnostic::error(
                    "content-nested-too-deep",
                    format!("`{}` is nested more than one folder deep", source.path),
                    Span::file_start(source.file),
                )
                .with_help(
                    "a course has modules (folders) holding pages; move the page up one level",
                ),
            );
            continue;
        }
        let (front, body_offset, mut problems) =
            front::parse_page(&source.text, source.file, &objective_ids);
        diagnostics.append(&mut problems);
        let file_name = segments[segments.len() - 1];
        let stem = file_name.trim_end_matches(".md");
        let (prefix, slug) = split_prefix(stem);
        let is_index = segments.len() == 2 && stem == "index";
        let key = (
            front.weight.or(prefix).unwrap_or(i64::MAX),
            stem.to_string(),
        );
        if slug.is_empty()
            || !slug
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            diagnostics.push(
                Diagnostic::error("content-bad-file-name", format!("`{file_name}` cannot be used in a URL"), Span::file_start(source.file))
                    .with_help("use lower-case letters without accents, digits and dashes, e.g. `02-echeancier.md`"),
            );
        }
        let page = Page {
            source: source.path.clone(),
            file: source.file,
            slug: slug.to_string(),
            url: String::new(),
            module: None,
            is_module_index: is_index,
            text: std::sync::Arc::clone(&source.text),
            body_offset,
            front,
        };
        let entry = Entry { key, page };
        if segments.len() == 1 {
            top.push(entry);
        } else {
            let slot = by_dir.entry(segments[0].to_string()).or_default();
            if is_index {
                slot.0 = Some(entry);
            } else {
                slot.1.push(entry);
            }
        }
    }

    // Order top-level pages and modules together.
    enum Node {
        Page(Entry),
        Module(String, Option<Entry>, Vec<Entry>),
    }
    let mut nodes: Vec<((i64, String), Node)> = top
        .into_iter()
        .map(|e| (e.key.clone(), Node::Page(e)))
        .collect();
    for (dir, (index, pages)) in by_dir {
        let (prefix, _) = split_prefix(&dir);
        let weight = index.as_ref().and_then(|i| i.page.front.weight);
        nodes.push((
            (weight.or(prefix).unwrap_or(i64::MAX), dir.clone()),
            Node::Module(dir, index, pages),
        ));
    }
    nodes.sort_by(|a, b| a.0.cmp(&b.0));

    let mut course = Course::default();
    let mut used_urls: BTreeMap<String, String> = BTreeMap::new();
    let mut claim = |url: &str, source: &str, file: FileId, diagnostics: &mut Vec<Diagnostic>| {
        if let Some(other) = used_urls.insert(url.to_string(), source.to_string()) {
            diagnostics.push(
                Diagnostic::error(
                    "content-duplicate-slug",
                    format!("`{source}` and `{other}` would both be written to `{url}`"),
                    Span::file_start(file),
                )
                .with_help("rename one of the files"),
            );
        }
    };
    for (_, node) in nodes {
        match node {
            Node::Page(mut entry) => {
                entry.page.url = format!("{}.html", entry.page.slug);
                if let Some((_, what)) = GENERATED_PAGES
                    .iter()
                    .find(|(slug, _)| *slug == entry.page.slug)
                {
                    diagnostics.push(
                        Diagnostic::error(
                            "content-reserved-name",
                            format!(
                                "`{}` would be written to `{}`, which is {what}",
                                entry.page.source, entry.page.url
                            ),
                            Span::file_start(entry.page.file),
                        )
                        .with_help("rename this file"),
                    );
                }
                claim(
                    &entry.page.url,
                    &entry.page.source,
                    entry.page.file,
                    &mut diagnostics,
                );
                course.items.push(Item::Page(course.pages.len()));
                course.pages.push(entry.page);
            }
            Node::Module(dir, index, mut pages) => {
                let module_idx = course.modules.len();
                let (_, slug) = split_prefix(&dir);
                let slug = slug.to_string();
                let index_page = match index {
                    Some(mut entry) => {
                        entry.page.slug = slug.clone();
                        entry.page
                    }
                    None => {
                        let file = pages.first().map(|p| p.page.file).unwrap_or(FileId(0));
                        diagnostics.push(
                            Diagnostic::error("module-missing-index", format!("module folder `{dir}` has no `index.md`"), Span::file_start(file))
                                .with_help(format!("create `content/{dir}/index.md` with a `title:` in its front matter")),
                        );
                        Page {
                            source: String::new(),
                            file,
                            slug: slug.clone(),
                            url: String::new(),
                            module: None,
                            is_module_index: true,
                            front: FrontMatter {
                                title: slug.clone(),
                                ..FrontMatter::default()
                            },
                            body_offset: 0,
                            text: std::sync::Arc::from(""),
                        }
                    }
                };
                let index_idx = course.pages.len();
                let mut index_page = index_page;
                index_page.url = format!("{slug}/index.html");
                index_page.module = Some(module_idx);
                claim(
                    &index_page.url,
                    &index_page.source,
                    index_page.file,
                    &mut diagnostics,
                );
                course.pages.push(index_page);
                pages.sort_by(|a, b| a.key.cmp(&b.key));
                let mut page_ids = Vec::new();
                for mut entry in pages {
                    entry.page.url = format!("{slug}/{}.html", entry.page.slug);
                    entry.page.module = Some(module_idx);
                    claim(
                        &entry.page.url,
                        &entry.page.source,
                        entry.page.file,
                        &mut diagnostics,
                    );
                    page_ids.push(course.pages.len());
                    course.pages.push(entry.page);
                }
                course.items.push(Item::Module(module_idx));
                course.modules.push(Module {
                    slug,
                    dir,
                    number: module_idx + 1,
                    index_page: index_idx,
                    pages: page_ids,
                });
            }
        }
    }
    (course, diagnostics)
}

impl Course {
    /// Pages in reading order that appear in the navigation.
    pub fn reading_order(&self) -> Vec<usize> {
        (0..self.pages.len())
            .filter(|&i| self.pages[i].in_nav())
            .collect()
    }

    /// The page whose source path (relative to `content/`) is `source`.
    pub fn page_by_source(&self, source: &str) -> Option<usize> {
        self.pages.iter().position(|p| p.source == source)
    }
}

/// `"01-generalites"` → `(Some(1), "generalites")`; `"glossaire"` → `(None, "glossaire")`.
pub fn split_prefix(stem: &str) -> (Option<i64>, &str) {
    let digits = stem.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && stem[digits..].starts_with('-') && stem.len() > digits + 1 {
        (stem[..digits].parse().ok(), &stem[digits + 1..])
    } else {
        (None, stem)
    }
}

/// The relative path from the page at `from` (a site-relative URL) to `to`.
pub fn relative_url(from: &str, to: &str) -> String {
    let depth = from.matches('/').count();
    format!("{}{}", "../".repeat(depth), to)
}

#[cfg(test)]
mod tests;
