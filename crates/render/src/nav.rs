//! The sidebar navigation, rendered once and marked per page.
//!
//! The sidebar lists every top-level entry (modules and standalone pages) and expands the
//! pages of the current module only, so its size per page is bounded by the module's size,
//! not the course's.

use std::fmt::Write as _;

use didact_content::{Course, Item};
use didact_markdown::escape_attr;

/// Pre-rendered navigation pieces.
pub struct Navigation {
    /// `entries[item]` = the `<li>` of a top-level item, collapsed, with root-relative hrefs
    /// prefixed by the `{{ROOT}}` marker.
    entries: Vec<String>,
    /// `module_lists[module]` = the `<ul>` of a module's pages, with the `{{ROOT}}` marker.
    module_lists: Vec<String>,
    /// For each page: (item index, module index).
    page_item: Vec<(usize, Option<usize>)>,
}

const ROOT: &str = "{{ROOT}}";

impl Navigation {
    /// Render the navigation pieces of `course` once.
    pub fn new(course: &Course) -> Self {
        let mut entries = Vec::new();
        let mut module_lists = vec![String::new(); course.modules.len()];
        let mut page_item = vec![(0, None); course.pages.len()];
        for (item_idx, item) in course.items.iter().enumerate() {
            match *item {
                Item::Page(p) => {
                    let page = &course.pages[p];
                    page_item[p] = (item_idx, None);
                    entries.push(if page.in_nav() {
                        link_li(&page.url, &page.front.title, "nav-page")
                    } else {
                        String::new()
                    });
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
        }
    }

    /// The sidebar for page `page` whose URL is `url`, with links relative to `root`.
    /// `page` is `None` for the home page and the 404 page.
    pub fn render(&self, page: Option<usize>, url: &str, root: &str) -> String {
        let (current_item, current_module) = page
            .map(|p| self.page_item[p])
            .unwrap_or((usize::MAX, None));
        let mut res = String::with_capacity(4096);
        res.push_str("<ul class=\"nav-list\">");
        for (i, entry) in self.entries.iter().enumerate() {
            if entry.is_empty() {
                continue;
            }
            res.push_str(entry);
            if let (true, Some(m)) = (i == current_item, current_module) {
                res.push_str(&self.module_lists[m]);
            }
            if entry.starts_with("<li class=\"nav-module\"") {
                res.push_str("</li>");
            }
        }
        res.push_str("</ul>");
        let marker = format!("data-page=\"{}\"", escape_attr(url));
        let res = res.replace(&marker, &format!("{marker} aria-current=\"page\""));
        res.replace(ROOT, root)
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
