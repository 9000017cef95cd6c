//! The sidebar navigation, with a size per page that does not grow with the course.
//!
//! A page's HTML holds only its own part of the sidebar: the entry of its module with the
//! module's pages (or its own entry, for a standalone page), so a page weighs the same in a
//! course of 50 or 5 000 pages. The list of every top-level entry (modules and standalone
//! pages) is written once, in `assets/nav.js` ([`Navigation::script`]), with the script that,
//! loaded right after the sidebar, inserts those entries around the page's own before the
//! content is shown (`nav-builder.js`). Without JavaScript the sidebar keeps the current module
//! and « Accueil », whose page lists every module.

use std::fmt::Write as _;

use didact_content::{Course, Item};
use didact_markdown::escape_attr;

/// Output path of the generated list of top-level entries.
pub const NAV_SCRIPT: &str = "assets/nav.js";

/// Pre-rendered navigation pieces.
pub struct Navigation {
    /// `entries[item]` = the `<li>` of a top-level item, collapsed and unclosed (a module's
    /// `<ul>` of pages goes before its `</li>`), with root-relative hrefs prefixed by the
    /// `{{ROOT}}` marker; empty for a page out of the navigation.
    entries: Vec<String>,
    /// `module_lists[module]` = the `<ul>` of a module's pages, with the `{{ROOT}}` marker.
    module_lists: Vec<String>,
    /// For each page: (item index, module index).
    page_item: Vec<(usize, Option<usize>)>,
    /// Every top-level entry in order: (URL, title, is a module).
    top: Vec<(String, String, bool)>,
}

const ROOT: &str = "{{ROOT}}";

/// The script that inserts the entries into the sidebar (`window.didactNav`), written at the
/// top of [`NAV_SCRIPT`]: one request, not two (see ARCHITECTURE.md on `serve`'s server).
const NAV_BUILDER: &str = include_str!("nav-builder.js");

impl Navigation {
    /// Render the navigation pieces of `course` once.
    pub fn new(course: &Course) -> Self {
        let mut entries = Vec::new();
        let mut module_lists = vec![String::new(); course.modules.len()];
        let mut page_item = vec![(0, None); course.pages.len()];
        let mut top = Vec::new();
        for (item_idx, item) in course.items.iter().enumerate() {
            match *item {
                Item::Page(p) => {
                    let page = &course.pages[p];
                    page_item[p] = (item_idx, None);
                    if page.in_nav() {
                        entries.push(link_li(&page.url, &page.front.title, "nav-page"));
                        top.push((page.url.clone(), page.front.title.clone(), false));
                    } else {
                        entries.push(String::new());
                    }
                }
                Item::Module(m) => {
                    let module = &course.modules[m];
                    let index = &course.pages[module.index_page];
                    page_item[module.index_page] = (item_idx, Some(m));
                    entries.push(format!(
                        "<li class=\"nav-module\"><a href=\"{ROOT}{}\" data-page=\"{}\">{}</a>",
                        escape_attr(&index.url),
                        escape_attr(&index.url),
                        html_escape(&index.front.title)
                    ));
                    top.push((index.url.clone(), index.front.title.clone(), true));
                    let mut list = String::from("<ul>");
                    for &p in &module.pages {
                        page_item[p] = (item_idx, Some(m));
                        let page = &course.pages[p];
                        if page.in_nav() {
                            list.push_str(&link_li(&page.url, &page.front.title, "nav-page"));
                        }
                    }
                    list.push_str("</ul>");
                    module_lists[m] = list;
                }
            }
        }
        Navigation {
            entries,
            module_lists,
            page_item,
            top,
        }
    }

    /// The sidebar's HTML for page `page` whose URL is `url`, with links relative to `root`:
    /// the page's own top-level entry, its module expanded. `page` is `None` for the pages
    /// outside the course's tree (home, 404, course-wide pages), whose list starts empty.
    pub fn render(&self, page: Option<usize>, url: &str, root: &str) -> String {
        let mut res = String::with_capacity(1024);
        res.push_str("<ul class=\"nav-list\">");
        if let Some((item, module)) = page.map(|p| self.page_item[p]) {
            let entry = &self.entries[item];
            if !entry.is_empty() {
                res.push_str(entry);
                if let Some(m) = module {
                    res.push_str(&self.module_lists[m]);
                    res.push_str("</li>");
                }
            }
        }
        res.push_str("</ul>");
        let marker = format!("data-page=\"{}\"", escape_attr(url));
        let res = res.replace(&marker, &format!("{marker} aria-current=\"page\""));
        res.replace(ROOT, root)
    }

    /// The URLs of the top-level entries, which every page's sidebar links to.
    pub fn top_urls(&self) -> impl Iterator<Item = &str> {
        self.top.iter().map(|(url, _, _)| url.as_str())
    }

    /// The content of [`NAV_SCRIPT`]: a call of the theme's `didactNav` with every top-level
    /// entry as `[url, title, isModule]`, URLs relative to the site's root.
    pub fn script(&self) -> String {
        let entries: Vec<(&str, &str, u8)> = self
            .top
            .iter()
            .map(|(url, title, module)| (url.as_str(), title.as_str(), u8::from(*module)))
            .collect();
        let json = serde_json::to_string(&entries).expect("strings always serialise");
        format!("{NAV_BUILDER}didactNav({json});\n")
    }
}

fn link_li(url: &str, title: &str, class: &str) -> String {
    let mut res = String::new();
    let _ = write!(
        res,
        "<li class=\"{class}\"><a href=\"{ROOT}{}\" data-page=\"{}\">{}</a></li>",
        escape_attr(url),
        escape_attr(url),
        html_escape(title)
    );
    res
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use didact_config::parse_config;
    use didact_content::{load_course, SourcePage};
    use didact_diag::FileId;

    use super::*;

    const BOOK: &str = "[course]\nid = \"t\"\ntitle = \"T\"\nupdated = \"2026-01-15\"\n";

    fn course() -> Course {
        let (config, problems) = parse_config(BOOK, FileId(0));
        assert!(problems.is_empty(), "{problems:?}");
        let sources = [
            ("01-a/index.md", "Module A"),
            ("01-a/01-p.md", "P"),
            ("01-a/02-q.md", "Q <&>"),
            ("02-b/index.md", "Module B"),
            ("02-b/01-s.md", "S"),
            ("03-glossaire.md", "Glossaire"),
        ];
        let sources = sources
            .iter()
            .enumerate()
            .map(|(i, (path, title))| SourcePage {
                path: path.to_string(),
                file: FileId(i as u32 + 1),
                text: format!("---\ntitle: \"{title}\"\n---\nCorps.\n").into(),
            })
            .collect();
        let (course, problems) = load_course(&config.unwrap(), sources);
        assert!(problems.is_empty(), "{problems:?}");
        course
    }

    #[test]
    fn a_page_holds_its_own_module_only_and_marks_itself() {
        let course = course();
        let nav = Navigation::new(&course);
        let q = course.page_by_source("01-a/02-q.md").unwrap();
        let html = nav.render(Some(q), "a/q.html", "../");
        assert_eq!(
            html,
            "<ul class=\"nav-list\"><li class=\"nav-module\"><a href=\"../a/index.html\" data-page=\"a/index.html\">Module A</a>\
             <ul><li class=\"nav-page\"><a href=\"../a/p.html\" data-page=\"a/p.html\">P</a></li>\
             <li class=\"nav-page\"><a href=\"../a/q.html\" data-page=\"a/q.html\" aria-current=\"page\">Q &lt;&amp;&gt;</a></li></ul></li></ul>"
        );
        assert!(!html.contains("Module B"), "other modules come from nav.js");
        let glossary = course.page_by_source("03-glossaire.md").unwrap();
        assert_eq!(
            nav.render(Some(glossary), "glossaire.html", ""),
            "<ul class=\"nav-list\"><li class=\"nav-page\"><a href=\"glossaire.html\" data-page=\"glossaire.html\" aria-current=\"page\">Glossaire</a></li></ul>"
        );
        assert_eq!(
            nav.render(None, "index.html", ""),
            "<ul class=\"nav-list\"></ul>"
        );
    }

    #[test]
    fn the_script_lists_every_top_level_entry_as_json() {
        let nav = Navigation::new(&course());
        let script = nav.script();
        assert!(script.starts_with(NAV_BUILDER));
        assert_eq!(
            script.lines().last().unwrap(),
            r#"didactNav([["a/index.html","Module A",1],["b/index.html","Module B",1],["glossaire.html","Glossaire",0]]);"#
        );
        assert_eq!(
            nav.top_urls().collect::<Vec<_>>(),
            ["a/index.html", "b/index.html", "glossaire.html"]
        );
    }

    #[test]
    fn the_page_part_does_not_grow_with_the_number_of_modules() {
        let (config, _) = parse_config(BOOK, FileId(0));
        let sources: Vec<SourcePage> = (1..=200)
            .flat_map(|m| {
                [
                    format!("{m:03}-m{m}/index.md"),
                    format!("{m:03}-m{m}/01-p.md"),
                ]
            })
            .enumerate()
            .map(|(i, path)| SourcePage {
                path,
                file: FileId(i as u32 + 1),
                text: "---\ntitle: T\n---\nCorps.\n".into(),
            })
            .collect();
        let (course, _) = load_course(&config.unwrap(), sources);
        let nav = Navigation::new(&course);
        let last = course.pages.len() - 1;
        let html = nav.render(Some(last), &course.pages[last].url, "../");
        assert!(html.len() < 300, "{} bytes: {html}", html.len());
    }
}
