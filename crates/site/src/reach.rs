//! Pages a learner cannot reach: kept out of the navigation (`nav: false`) and linked from no
//! page that can be reached.

use didact_content::Course;
use didact_diag::{Diagnostic, Files, Span};
use didact_markdown::{LinkTarget, RenderedPage};

/// Warn about every page that is neither in the navigation nor linked, directly or through
/// other pages, from a page that is.
pub fn check_reachable(
    course: &Course,
    rendered: &[RenderedPage],
    files: &Files,
) -> Vec<Diagnostic> {
    let index_of = |source: &str| course.pages.iter().position(|p| p.source == source);
    let mut reachable: Vec<bool> = course.pages.iter().map(|p| p.in_nav()).collect();
    let mut queue: Vec<usize> = (0..course.pages.len()).filter(|&i| reachable[i]).collect();
    while let Some(page) = queue.pop() {
        for link in &rendered[page].links {
            if let LinkTarget::Page { source, .. } = &link.target {
                if let Some(target) = index_of(source) {
                    if !reachable[target] {
                        reachable[target] = true;
                        queue.push(target);
                    }
                }
            }
        }
    }
    course
        .pages
        .iter()
        .zip(&reachable)
        .filter(|(page, reachable)| !**reachable && !page.source.is_empty())
        .map(|(page, _)| {
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
