//! Pages a learner cannot reach: no chain of links from the home page leads to them. The walk
//! runs on the rendered output, so links written in templates (footer, sidebar) count too.

use std::collections::BTreeSet;

use didact_content::Course;
use didact_diag::{Diagnostic, Files, Span};

/// The output pages (`.html`, relative to the site root) that the page `url` links to, sorted.
pub fn page_links(url: &str, bytes: &[u8]) -> Vec<String> {
    let html = String::from_utf8_lossy(bytes);
    let mut res: Vec<String> = hrefs(&html)
        .filter_map(|href| resolve_href(url, href))
        .filter(|target| target.ends_with(".html"))
        .collect();
    res.sort_unstable();
    res.dedup();
    res
}

/// Warn about every page of `course` that no chain of links from `index.html` reaches:
/// `links(url)` gives the pages the output page `url` links to, `None` when there is no such
/// output; `everywhere` are the pages every page links to (the sidebar's top-level entries,
/// which come from `assets/nav.js` rather than from the pages' HTML).
pub fn check_reachable<'a, L: AsRef<[String]>>(
    course: &Course,
    everywhere: impl Iterator<Item = &'a str>,
    mut links: impl FnMut(&str) -> Option<L>,
    files: &Files,
) -> Vec<Diagnostic> {
    let mut reached: BTreeSet<String> = BTreeSet::new();
    let mut queue = vec!["index.html".to_string()];
    queue.extend(everywhere.map(str::to_owned));
    while let Some(url) = queue.pop() {
        if !reached.insert(url.clone()) {
            continue;
        }
        let Some(targets) = links(&url) else {
            continue;
        };
        for target in targets.as_ref() {
            if !reached.contains(target) {
                queue.push(target.clone());
            }
        }
    }
    course
        .pages
        .iter()
        .filter(|page| !page.source.is_empty() && !reached.contains(&page.url))
        .map(|page| {
            let text = &files.get(page.file).text;
            let span = text
                .find("nav:")
                .map(|start| {
                    let end = text[start..].find('\n').map_or(text.len(), |n| start + n);
                    Span::new(page.file, start, end)
                })
                .unwrap_or_else(|| Span::file_start(page.file));
            Diagnostic::warning(
                "page-unreachable",
                format!(
                    "`content/{}` is not in the navigation and no page links to it",
                    page.source
                ),
                span,
            )
            .with_help("link to it from another page, or remove `nav: false`")
        })
        .collect()
}

/// Every `href="…"` value of an HTML document.
fn hrefs(html: &str) -> impl Iterator<Item = &str> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
}

/// The output path `href` points at from the page `from`, when it stays inside the site.
fn resolve_href(from: &str, href: &str) -> Option<String> {
    let href = href.split(['#', '?']).next()?;
    if href.is_empty() || href.contains(':') || href.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for segment in href.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut res = parts.join("/");
    if href.ends_with('/') {
        res.push_str(if res.is_empty() {
            "index.html"
        } else {
            "/index.html"
        });
    }
    Some(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hrefs_resolve_relative_to_the_page() {
        assert_eq!(
            resolve_href("m/p.html", "../q.html#a"),
            Some("q.html".into())
        );
        assert_eq!(resolve_href("m/p.html", "r.html"), Some("m/r.html".into()));
        assert_eq!(
            resolve_href("index.html", "m/"),
            Some("m/index.html".into())
        );
        assert_eq!(resolve_href("index.html", "https://x.fr/a.html"), None);
        assert_eq!(resolve_href("index.html", "../out.html"), None);
        assert_eq!(resolve_href("index.html", "#top"), None);
    }
}
