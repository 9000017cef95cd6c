use std::fs;

use didact_site::incremental::InputChange;
use didact_site::{
    compile, read_inputs, replace_dir, write_site, BuildKind, Compiler, Inputs, Site,
};

use crate::support::*;

#[test]
fn fixture_course_builds_every_page_and_asset() {
    let files = build_ok(&fixture("site"));
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    for expected in [
        "index.html",
        "404.html",
        "accueil.html",
        "premiers-pas/index.html",
        "premiers-pas/compte.html",
        "premiers-pas/facture.html",
        "glossaire.html",
        "images/schema.svg",
        "assets/didact-runtime.js",
        "assets/didact.css",
        "assets/didact.js",
        "assets/search-index.js",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} missing from {names:?}"
        );
    }
}

#[test]
fn content_page_renders_markdown_extensions_and_navigation() {
    let files = build_ok(&fixture("site"));
    insta::assert_snapshot!("compte_main", main_of(&files["premiers-pas/compte.html"]));
}

#[test]
fn home_page_shows_course_facts_and_programme() {
    let files = build_ok(&fixture("site"));
    insta::assert_snapshot!("home_main", main_of(&files["index.html"]));
}

#[test]
fn module_page_lists_its_pages() {
    let files = build_ok(&fixture("site"));
    insta::assert_snapshot!("module_main", main_of(&files["premiers-pas/index.html"]));
}

#[test]
fn every_page_is_french_and_shows_the_update_date_and_version() {
    let files = build_ok(&fixture("site"));
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        assert!(html.contains("<html lang=\"fr\">"), "{path}");
        if path != "storage.html" {
            assert!(
                html.contains("29 novembre 2026"),
                "{path} lacks the update date"
            );
            assert!(html.contains("version 2.3"), "{path} lacks the version");
        }
    }
}

#[test]
fn sidebar_marks_the_current_page_only() {
    let files = build_ok(&fixture("site"));
    let html = String::from_utf8_lossy(&files["premiers-pas/compte.html"]);
    assert_eq!(
        html.matches("aria-current=\"page\"").count(),
        2,
        "sidebar link and breadcrumb"
    );
    assert!(html.contains("<a href=\"../premiers-pas/compte.html\" data-page=\"premiers-pas/compte.html\" aria-current=\"page\">"));
}

#[test]
fn two_builds_of_the_same_input_are_byte_identical() {
    let first = build_ok(&fixture("site"));
    let second = build_ok(&fixture("site"));
    assert!(first == second, "the build is not deterministic");
}

#[test]
fn a_failed_build_leaves_the_previous_output_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let good = compile(read_inputs(&fixture("site")).unwrap())
        .site
        .unwrap();
    write_site(&good, &out).unwrap();
    let before = snapshot_dir(&out);

    // A course with errors produces no site at all: nothing to write.
    let broken = compile(inputs(&[("00-accueil.md", "---\ntitel: x\n---\n")]));
    assert!(broken.site.is_none());

    // A write that fails half-way (a file where a folder must go) leaves `out` untouched.
    let mut failing = Site::default();
    failing.files.insert("a".into(), b"file".to_vec());
    failing
        .files
        .insert("a/b.html".into(), b"needs a folder named a".to_vec());
    let error = write_site(&failing, &out).unwrap_err();
    assert!(format!("{error:#}").contains("is unchanged"), "{error:#}");
    assert_eq!(before, snapshot_dir(&out));
    only_the_output_is_left(dir.path());
}

#[test]
fn a_successful_build_replaces_the_previous_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    fs::create_dir_all(out.join("old")).unwrap();
    fs::write(out.join("old/stale.html"), "stale").unwrap();
    let good = compile(read_inputs(&fixture("site")).unwrap())
        .site
        .unwrap();
    write_site(&good, &out).unwrap();
    assert!(!out.join("old/stale.html").exists());
    assert!(out.join("index.html").is_file());
}

/// What `build_into` did in a fresh folder.
struct BuiltInto {
    /// The diagnostics, as text.
    diagnostics: Vec<String>,
    /// What it says it wrote.
    written: Option<didact_site::Written>,
    /// The files found in the folder.
    files: Vec<(String, Vec<u8>)>,
}

fn built_into(inputs: &Inputs) -> BuiltInto {
    let dir = tempfile::tempdir().unwrap();
    let mut compiler = Compiler::new();
    let written = compiler.build_into(inputs, dir.path()).unwrap();
    let diagnostics = compiler
        .diagnostics()
        .iter()
        .map(|d| didact_site::render_diagnostic(d, compiler.files()))
        .collect();
    BuiltInto {
        diagnostics,
        written,
        files: snapshot_dir(dir.path()),
    }
}

/// The diagnostics of `compile` as text, and its files.
fn compiled(inputs: Inputs) -> (Vec<String>, Option<Site>) {
    let result = compile(inputs);
    let diagnostics = result
        .diagnostics
        .iter()
        .map(|d| didact_site::render_diagnostic(d, &result.files))
        .collect();
    (diagnostics, result.site)
}

#[test]
fn writing_as_it_renders_gives_the_site_built_in_memory() {
    // The fixture, and the bundled course (quizzes, exercises, warnings).
    for root in [fixture("site"), repo_root()] {
        let inputs = read_inputs(&root).unwrap();
        let BuiltInto {
            diagnostics,
            written,
            files,
        } = built_into(&inputs);
        let (expected_diagnostics, site) = compiled(inputs);
        let site = site.unwrap();
        assert_eq!(diagnostics, expected_diagnostics, "{}", root.display());
        let expected: Vec<(String, Vec<u8>)> = site.files.into_iter().collect();
        let paths = |files: &[(String, Vec<u8>)]| -> Vec<String> {
            files.iter().map(|(p, _)| p.clone()).collect()
        };
        assert_eq!(paths(&files), paths(&expected), "{}", root.display());
        for ((path, bytes), (_, expected)) in files.iter().zip(&expected) {
            assert!(bytes == expected, "{path} differs in {}", root.display());
        }
        let written = written.unwrap();
        assert_eq!(written.files, expected.len());
        assert_eq!(written.pages, site.pages_written);
    }
}

#[test]
fn a_course_with_errors_writes_nothing_and_says_why() {
    let inputs = inputs(&[("00-accueil.md", "---\ntitel: x\n---\n")]);
    let BuiltInto {
        diagnostics,
        written,
        files,
    } = built_into(&inputs);
    let (expected, _) = compiled(inputs);
    assert!(written.is_none());
    assert!(files.is_empty(), "{files:?}");
    assert_eq!(diagnostics, expected);
    assert!(!diagnostics.is_empty());
}

#[test]
fn a_template_failing_half_way_leaves_the_previous_output() {
    let dir = tempfile::tempdir().unwrap();
    let (out, good, before) = fixture_written_into(dir.path());

    // The printable version fails once every page is written.
    let mut broken = good.clone();
    let print = broken
        .theme
        .iter_mut()
        .find(|f| f.path == "templates/print.html")
        .unwrap();
    print.bytes =
        b"{% for entry in entries %}{{ entry.content | nosuchfilter }}{% endfor %}".to_vec();
    let mut compiler = Compiler::new();
    let written = replace_dir(&out, |staging| compiler.build_into(&broken, staging)).unwrap();
    assert!(written.is_none());
    let codes: Vec<&str> = compiler.diagnostics().iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        ["template-render"],
        "the same error as a build in memory"
    );
    assert_eq!(
        compile(broken)
            .diagnostics
            .iter()
            .map(|d| d.code)
            .collect::<Vec<_>>(),
        codes
    );
    assert_eq!(before, snapshot_dir(&out));
    only_the_output_is_left(dir.path());
}

#[test]
fn a_file_that_cannot_be_written_is_an_error_and_the_output_is_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let (out, good, before) = fixture_written_into(dir.path());
    let error = replace_dir(&out, |staging| {
        // A file where the build needs a folder.
        fs::write(staging.join("assets"), "in the way").unwrap();
        Compiler::new().build_into(&good, staging)
    })
    .unwrap_err();
    let message = format!("{error:#}");
    assert!(message.contains("assets"), "{message}");
    assert!(message.contains("is unchanged"), "{message}");
    assert_eq!(before, snapshot_dir(&out));
    only_the_output_is_left(dir.path());
}

#[test]
fn a_rebuild_after_writing_is_a_full_build() {
    let dir = tempfile::tempdir().unwrap();
    let good = read_inputs(&fixture("site")).unwrap();
    let mut broken = good.clone();
    broken
        .pages
        .push(("99-casse.md".into(), "---\ntitel: x\n---\n".into()));
    // After a build written to disk, with or without errors, nothing is kept to patch.
    for first in [&good, &broken] {
        let mut compiler = Compiler::new();
        compiler.build_into(first, dir.path()).unwrap();
        assert!(compiler.site().is_none());
        let mut edited = good.clone();
        let (source, text) = edited
            .pages
            .iter_mut()
            .find(|(p, _)| p.ends_with("compte.md"))
            .unwrap();
        *text = format!("{text}\nUne phrase ajoutée.\n").into();
        let change = InputChange::Page(source.clone());
        let update = compiler.rebuild(&edited, &[change]);
        assert_eq!(update.kind, BuildKind::Full);
        let expected = compile(edited).site.unwrap();
        assert!(compiler.site().unwrap().files == expected.files);
    }
}

/// The fixture course written by `build_into` into `parent/site`: that folder, the inputs
/// and the files written.
fn fixture_written_into(
    parent: &std::path::Path,
) -> (std::path::PathBuf, Inputs, Vec<(String, Vec<u8>)>) {
    let out = parent.join("site");
    let good = read_inputs(&fixture("site")).unwrap();
    replace_dir(&out, |staging| Compiler::new().build_into(&good, staging)).unwrap();
    let before = snapshot_dir(&out);
    (out, good, before)
}

/// `parent` holds the output folder `site` and nothing else: no temporary folder is left.
#[track_caller]
fn only_the_output_is_left(parent: &std::path::Path) {
    let leftovers: Vec<_> = fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, vec![std::ffi::OsString::from("site")]);
}

fn snapshot_dir(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut res: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().display().to_string(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    res.sort();
    res
}

#[test]
fn progress_page_lists_each_module_then_the_other_pages() {
    let files = build_ok(&fixture("site"));
    let html = String::from_utf8_lossy(&files["progression.html"]);
    let rows: Vec<(&str, &str)> = html
        .split("<tr data-progress-item=\"page\" data-id=\"")
        .skip(1)
        .map(|row| {
            let id = row.split('"').next().unwrap();
            let module = row
                .split("data-module=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .unwrap();
            (id, module)
        })
        .collect();
    let modules: Vec<&str> = rows.iter().map(|(_, module)| *module).collect();
    let (first, rest) = modules.split_first().unwrap();
    assert!(!first.is_empty(), "the module comes first: {rows:?}");
    assert_eq!(&rows[0].0, &"premiers-pas/index", "{rows:?}");
    let n_module = 1 + rest.iter().take_while(|m| *m == first).count();
    assert_eq!(n_module, 3, "index and two pages: {rows:?}");
    assert!(
        modules[n_module..].iter().all(|m| m.is_empty()),
        "then the standalone pages, untitled: {rows:?}"
    );
    assert!(rows.iter().any(|(id, _)| *id == "glossaire"), "{rows:?}");
    assert_eq!(html.matches("<h3 id=\"progression-").count(), 2);
    assert!(html.contains(">Autres pages</h3>"));
}
