//! Checks across pages: every internal link, anchor and file reference resolves.
//!
//! Checked page by page ([`check_page_links`]), so an edit re-checks only the edited page and
//! the pages linking to its anchors ([`anchor_targets`]).

use std::collections::HashMap;

use didact_content::Course;
use didact_diag::Diagnostic;
use didact_markdown::{LinkTarget, RenderedPage};

/// Course pages by source path, built once per check.
pub struct PageIndex<'c> {
    by_source: HashMap<&'c str, usize>,
}

impl<'c> PageIndex<'c> {
    /// Index the pages of `course` that have a source file.
    pub fn new(course: &'c Course) -> Self {
        PageIndex {
            by_source: course
                .pages
                .iter()
                .enumerate()
                .filter(|(_, p)| !p.source.is_empty())
                .map(|(i, p)| (p.source.as_str(), i))
                .collect(),
        }
    }

    /// The page whose source is `source`.
    pub fn get(&self, source: &str) -> Option<usize> {
        self.by_source.get(source).copied()
    }
}

/// Pages whose anchors the links of `page` depend on (links to another page with a fragment).
pub fn anchor_targets(page: &RenderedPage, pages: &PageIndex) -> Vec<usize> {
    let mut res: Vec<usize> = page
        .links
        .iter()
        .filter_map(|link| match &link.target {
            LinkTarget::Page {
                source,
                fragment: Some(_),
            } => pages.get(source),
            _ => None,
        })
        .collect();
    res.sort_unstable();
    res.dedup();
    res
}

/// Check the links and images of page `i`, against the anchors of the pages they point at.
pub fn check_page_links(
    course: &Course,
    rendered: &[std::sync::Arc<RenderedPage>],
    pages: &PageIndex,
    i: usize,
    assets: &[&str],
) -> Vec<Diagnostic> {
    let mut res = Vec::new();
    let by_source = &pages.by_source;
    let has_anchor = |page: usize, anchor: &str| {
        rendered[page].headings.iter().any(|h| h.id == anchor)
            || rendered[page].html.contains(&format!("id=\"{anchor}\""))
    };
    let page = &rendered[i];
    for link in &page.links {
        match &link.target {
            LinkTarget::Page { source, fragment } => match by_source.get(source.as_str()) {
                None => {
                    let known: Vec<&str> = by_source.keys().copied().collect();
                    let mut d = Diagnostic::error(
                        "broken-link",
                        format!("link to `{source}`, which is not a page of the course"),
                        link.span,
                    );
                    d = match didact_diag::suggest(source, &known) {
                        Some(s) => d.with_help(format!(
                            "did you mean `{s}`? paths are relative to this page's file"
                        )),
                        None => d.with_help(
                            "write the path of the target `.md` file relative to this page",
                        ),
                    };
                    res.push(d);
                }
                Some(&target) => {
                    if let Some(fragment) = fragment {
                        if !has_anchor(target, fragment) {
                            res.push(missing_anchor(
                                fragment,
                                source,
                                &rendered[target],
                                link.span,
                            ));
                        }
                    }
                }
            },
            LinkTarget::SamePage(fragment) => {
                if !fragment.is_empty() && !has_anchor(i, fragment) {
                    res.push(missing_anchor(
                        fragment,
                        &course.pages[i].source,
                        page,
                        link.span,
                    ));
                }
            }
            LinkTarget::Asset(path) => {
                if !assets.contains(&path.as_str()) {
                    let what = if link.is_image { "image" } else { "file" };
                    res.push(
                        Diagnostic::error(
                            if link.is_image {
                                "missing-image"
                            } else {
                                "missing-file"
                            },
                            format!("{what} `content/{path}` does not exist"),
                            link.span,
                        )
                        .with_help(
                            "put the file under content/ and write its path relative to this page",
                        ),
                    );
                }
            }
            LinkTarget::External(_) => {}
        }
    }
    res
}

fn missing_anchor(
    fragment: &str,
    source: &str,
    target: &RenderedPage,
    span: didact_diag::Span,
) -> Diagnostic {
    let ids: Vec<&str> = target.headings.iter().map(|h| h.id.as_str()).collect();
    let d = Diagnostic::error(
        "missing-anchor",
        format!("`{source}` has no heading with the anchor `#{fragment}`"),
        span,
    );
    match didact_diag::suggest(fragment, &ids) {
        Some(s) => d.with_help(format!("did you mean `#{s}`?")),
        None => d.with_help(format!(
            "anchors of that page: {}",
            if ids.is_empty() {
                "none".into()
            } else {
                ids.join(", ")
            }
        )),
    }
}
