use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use didact_site::{compile, read_inputs, BuildResult, Inputs};

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repository root")
}

pub fn fixture(name: &str) -> PathBuf {
    repo_root().join("tests/fixtures").join(name)
}

/// Build a course folder in memory; panic with the diagnostics when it has errors.
#[track_caller]
pub fn build_ok(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let result = compile(read_inputs(root).expect("course readable"));
    let text: Vec<String> = result
        .diagnostics
        .iter()
        .map(|d| didact_site::render_diagnostic(d, &result.files))
        .collect();
    result
        .site
        .unwrap_or_else(|| panic!("build failed:\n{}", text.join("\n")))
        .files
}

/// A one-page course in memory, with `pages` added (path relative to content/, text).
pub fn inputs(pages: &[(&str, &str)]) -> Inputs {
    let mut inputs = read_inputs(&fixture("site")).expect("fixture readable");
    for (path, text) in pages {
        inputs.pages.retain(|(p, _)| p != path);
        inputs.pages.push((path.to_string(), (*text).into()));
    }
    inputs
}

/// `code file:line:column` of every diagnostic.
pub fn located(result: &BuildResult) -> Vec<String> {
    result
        .diagnostics
        .iter()
        .map(|d| {
            let (path, line, col) = result.files.location(d.span);
            format!("{} {path}:{line}:{col}", d.code)
        })
        .collect()
}

/// The `<main>` element of an HTML page, with volatile text replaced.
pub fn main_of(html: &[u8]) -> String {
    let html = String::from_utf8_lossy(html);
    let start = html.find("<main").expect("page has <main>");
    let end = html.find("</main>").expect("page has </main>") + "</main>".len();
    html[start..end].replace(env!("CARGO_PKG_VERSION"), "[VERSION]")
}
