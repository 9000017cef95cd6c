//! Pages a learner cannot reach: no chain of links from the home page leads to them. The walk
//! runs on the rendered output, so links written in templates (footer, sidebar) count too.

use std::collections::BTreeSet;

use didact_content::Course;
use didact_diag::{Diagnostic, Files, Span};

/// The output pages (`.html`, relative to the site root) that the page `url` links to, sorted.
pub fn page_links(url: &str, bytes: &[u8]) -> Vec<String> {
    let mut hrefs = Hrefs::default();
    hrefs.feed(bytes);
    hrefs.links(url)
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

/// The `href="…"` values of an HTML document fed in pieces of any size (a page held whole,
/// or the printable page as it is written to disk): the text after each `href="` up to the
/// next `"` or the next `href="`, whichever comes first.
#[derive(Debug, Default)]
pub(crate) struct Hrefs {
    /// How many bytes of `href="` end what was fed, while no value is being read.
    matched: usize,
    /// The value being read.
    value: Option<Vec<u8>>,
    values: Vec<String>,
}

const HREF: &[u8] = b"href=\"";

impl Hrefs {
    /// Read the next piece of the document.
    pub fn feed(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() {
            if let Some(value) = &mut self.value {
                let Some(end) = memchr::memchr(b'"', bytes) else {
                    value.extend_from_slice(bytes);
                    return;
                };
                value.extend_from_slice(&bytes[..end]);
                bytes = &bytes[end + 1..];
                let value = self.value.take().unwrap_or_default();
                match value.strip_suffix(&HREF[..HREF.len() - 1]) {
                    // That quote ends another `href="`: a new value starts.
                    Some(before) => {
                        self.values
                            .push(String::from_utf8_lossy(before).into_owned());
                        self.value = Some(Vec::new());
                    }
                    None => self
                        .values
                        .push(String::from_utf8_lossy(&value).into_owned()),
                }
            } else if self.matched > 0 {
                // `href="` was cut between two pieces.
                if bytes[0] == HREF[self.matched] {
                    self.matched += 1;
                    bytes = &bytes[1..];
                    if self.matched == HREF.len() {
                        self.matched = 0;
                        self.value = Some(Vec::new());
                    }
                } else {
                    // No prefix of `href="` is also its suffix: start again at this byte.
                    self.matched = 0;
                }
            } else if let Some(at) = memchr::memmem::find(bytes, HREF) {
                bytes = &bytes[at + HREF.len()..];
                self.value = Some(Vec::new());
            } else {
                self.matched = (1..HREF.len())
                    .rev()
                    .find(|&n| bytes.ends_with(&HREF[..n]))
                    .unwrap_or(0);
                return;
            }
        }
    }

    /// The output pages (sorted, once each) that the values fed so far point at from `url`.
    pub fn links(mut self, url: &str) -> Vec<String> {
        if let Some(value) = self.value.take() {
            self.values
                .push(String::from_utf8_lossy(&value).into_owned());
        }
        let mut res: Vec<String> = self
            .values
            .iter()
            .filter_map(|href| resolve_href(url, href))
            .filter(|target| target.ends_with(".html"))
            .collect();
        res.sort_unstable();
        res.dedup();
        res
    }
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

    /// What the values are by definition: the document split at each `href="`, each piece
    /// kept up to its first `"`.
    fn split_values(html: &str) -> Vec<String> {
        html.split("href=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .map(str::to_owned)
            .collect()
    }

    fn values_in_pieces(html: &str, piece: usize) -> Vec<String> {
        let mut hrefs = Hrefs::default();
        for chunk in html.as_bytes().chunks(piece) {
            hrefs.feed(chunk);
        }
        if let Some(value) = hrefs.value.take() {
            hrefs.values.push(String::from_utf8(value).unwrap());
        }
        hrefs.values
    }

    #[test]
    fn hrefs_fed_in_pieces_are_those_of_the_whole_text() {
        let documents = [
            r##"<a href="a.html">x</a> <a class="b" href="m/b.html#c">y</a>"##,
            r##"href="" href="#top" href="a href="b.html" tail"##,
            r##"hrefhref="x.html"hhref="y.html"href=""##,
            r##"<a href="unterminated"##,
            r##"no link at all, hre f="x" href ="y""##,
            r##"é href="é.html" ü"##,
        ];
        for html in documents {
            let expected = split_values(html);
            for piece in 1..=html.len() {
                assert_eq!(values_in_pieces(html, piece), expected, "{html} / {piece}");
            }
        }
    }

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
