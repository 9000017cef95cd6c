//! `Compiler::rebuild` after each kind of edit gives the same files and diagnostics as a fresh
//! `compile` of the final inputs.

use std::path::Path;

use didact_site::incremental::InputChange;
use didact_site::{compile, read_inputs, render_diagnostic, BuildKind, Compiler, Inputs};

use crate::support::{fixture, repo_root};

/// A course kept in memory and edited step by step.
struct Session {
    inputs: Inputs,
    compiler: Compiler,
}

impl Session {
    #[track_caller]
    fn start(root: &Path) -> Self {
        let inputs = read_inputs(root).expect("course readable");
        let mut compiler = Compiler::new();
        let update = compiler.build(&inputs);
        assert_eq!(update.kind, BuildKind::Full);
        assert_eq!(compiler.error_count(), 0, "{}", diagnostics(&compiler));
        Session { inputs, compiler }
    }

    /// Replace `from` by `to` in page `source`, rebuild, and check against a full build.
    /// Returns how much the rebuild built.
    #[track_caller]
    fn edit_page(&mut self, source: &str, from: &str, to: &str) -> BuildKind {
        let (_, text) = self
            .inputs
            .pages
            .iter_mut()
            .find(|(p, _)| p == source)
            .unwrap_or_else(|| panic!("no page {source}"));
        assert!(text.contains(from), "{source} has no `{from}`");
        *text = text.replacen(from, to, 1).into();
        self.rebuild(&[InputChange::Page(source.into())])
    }

    #[track_caller]
    fn rebuild(&mut self, changes: &[InputChange]) -> BuildKind {
        let update = self.compiler.rebuild(&self.inputs, changes);
        let full = compile(self.inputs.clone());
        if let (Some(site), Some(expected)) = (self.compiler.site(), &full.site) {
            // Before `finish`, every changed HTML page is already the final one.
            for path in update.changed.iter().filter(|p| p.ends_with(".html")) {
                assert!(
                    site.files.get(path) == expected.files.get(path),
                    "{path} differs before finish"
                );
            }
        }
        self.compiler.finish();
        let expected: Vec<String> = full
            .diagnostics
            .iter()
            .map(|d| render_diagnostic(d, &full.files))
            .collect();
        let actual: Vec<String> = self
            .compiler
            .diagnostics()
            .iter()
            .map(|d| render_diagnostic(d, self.compiler.files()))
            .collect();
        assert_eq!(actual, expected, "diagnostics differ");
        if let Some(expected) = &full.site {
            let site = self.compiler.site().expect("a site without errors");
            let differing: std::collections::BTreeSet<&String> = expected
                .files
                .keys()
                .chain(site.files.keys())
                .filter(|p| site.files.get(*p) != expected.files.get(*p))
                .collect();
            assert!(differing.is_empty(), "files differ: {differing:?}");
            assert_eq!(site.pages_written, expected.pages_written);
        }
        update.kind
    }
}

fn diagnostics(compiler: &Compiler) -> String {
    compiler
        .diagnostics()
        .iter()
        .map(|d| render_diagnostic(d, compiler.files()))
        .collect()
}

#[test]
fn rebuilds_of_the_bundled_course_equal_a_full_build() {
    let mut course = Session::start(&repo_root());
    let aide = "05-aide-sollicitation/01-aide.md";

    // A body edit renders one page.
    assert_eq!(
        course.edit_page(
            "01-vocabulaire/02-echeancier.md",
            "\n## ",
            "\nUn paragraphe ajouté.\n\n## "
        ),
        BuildKind::Pages(1)
    );
    // Renaming an anchor others link to breaks their links, then mends them.
    course.edit_page(aide, "{#suivi-facture}", "{#suivi}");
    assert!(course.compiler.error_count() > 0);
    assert!(diagnostics(&course.compiler).contains("missing-anchor"));
    course.edit_page(aide, "{#suivi}", "{#suivi-facture}");
    assert_eq!(course.compiler.error_count(), 0);
    // A broken link in the edited page, while other pages are edited, then fixed: the pages
    // edited meanwhile are rendered by the first build without errors.
    course.edit_page(
        aide,
        "(../95-glossaire.md#claudia)",
        "(../95-glossaire.md#nulle-part)",
    );
    course.edit_page(
        "01-vocabulaire/01-generalites.md",
        "\n## ",
        "\nAjout.\n\n## ",
    );
    course.edit_page("95-glossaire.md", "\n### ", "\nAjout au glossaire.\n\n### ");
    course.edit_page(
        aide,
        "(../95-glossaire.md#nulle-part)",
        "(../95-glossaire.md#claudia)",
    );
    assert_eq!(course.compiler.error_count(), 0);
    // Titles: of a module page, of a module, of a standalone page.
    assert_eq!(
        course.edit_page(
            "01-vocabulaire/02-echeancier.md",
            "title: \"",
            "title: \"Nouveau — "
        ),
        BuildKind::Pages(1)
    );
    course.edit_page(
        "01-vocabulaire/index.md",
        "title: \"",
        "title: \"Nouveau — ",
    );
    course.edit_page("95-glossaire.md", "title: \"", "title: \"Nouveau — ");
    assert_eq!(course.compiler.error_count(), 0);
    // A quiz id used twice across pages, then unique again.
    course.edit_page(
        "02-compte-structure/07-quiz.md",
        "id: quiz-p2-compte-structure",
        "id: quiz-p1-vocabulaire",
    );
    assert!(diagnostics(&course.compiler).contains("duplicate-id"));
    course.edit_page(
        "02-compte-structure/07-quiz.md",
        "id: quiz-p1-vocabulaire",
        "id: quiz-p2-compte-structure",
    );
    // A front matter mistake, then fixed.
    course.edit_page(
        "01-vocabulaire/03-modes-acces.md",
        "title:",
        "titel: x\ntitle:",
    );
    assert!(course.compiler.error_count() > 0);
    course.edit_page(
        "01-vocabulaire/03-modes-acces.md",
        "titel: x\ntitle:",
        "title:",
    );
    // A new weight moves the page: a full build.
    assert_eq!(
        course.edit_page(
            "01-vocabulaire/03-modes-acces.md",
            "title:",
            "weight: 99\ntitle:"
        ),
        BuildKind::Full
    );
    // Nothing to do for an ignored path.
    assert_eq!(course.rebuild(&[InputChange::Ignored]), BuildKind::Nothing);
}

#[test]
fn rebuilds_of_the_basic_fixture_equal_a_full_build() {
    let mut course = Session::start(&fixture("basic"));
    let page = "01-partie/01-page.md";
    assert_eq!(
        course.edit_page(page, "Texte original", "Texte modifié"),
        BuildKind::Pages(1)
    );
    course.edit_page(page, "## Détails {#details}", "## Précisions {#precisions}");
    course.edit_page(
        page,
        "prompt: \"Une facture a une date.\"",
        "prompt: \"Une facture a un numéro.\"",
    );
    course.edit_page(page, "title: \"Une page\"", "title: \"Une autre page\"");
    course.edit_page(
        "01-partie/index.md",
        "title:",
        "description: \"Tout sur la partie\"\ntitle:",
    );
    // An image edited in place is copied again; a new one needs a full build.
    let (_, bytes) = course
        .inputs
        .assets
        .iter_mut()
        .find(|(p, _)| p == "images/schema.svg")
        .expect("the fixture has an image");
    bytes.extend_from_slice(b"<!-- edited -->");
    assert_eq!(
        course.rebuild(&[InputChange::Asset("images/schema.svg".into())]),
        BuildKind::Pages(0)
    );
    course
        .inputs
        .assets
        .push(("images/new.svg".into(), b"<svg/>".to_vec()));
    assert_eq!(
        course.rebuild(&[InputChange::Asset("images/new.svg".into())]),
        BuildKind::Full
    );
    // A removed page needs a full build too.
    course.inputs.pages.retain(|(p, _)| p != page);
    assert_eq!(
        course.rebuild(&[InputChange::Page(page.into())]),
        BuildKind::Full
    );
}

#[test]
fn a_body_edit_changes_only_the_page_then_the_course_wide_outputs() {
    let mut course = Session::start(&fixture("basic"));
    let page = "01-partie/01-page.md";
    let (_, text) = course
        .inputs
        .pages
        .iter_mut()
        .find(|(p, _)| p == page)
        .unwrap();
    *text = text.replace("Texte original", "Texte modifié").into();
    let update = course
        .compiler
        .rebuild(&course.inputs, &[InputChange::Page(page.into())]);
    assert_eq!(
        update.changed.iter().collect::<Vec<_>>(),
        ["partie/page.html"]
    );
    assert!(update.pending);
    let update = course.compiler.finish();
    assert_eq!(update.kind, BuildKind::CourseWide);
    assert!(!update.pending);
    assert!(
        update.changed.contains("assets/search-index.js"),
        "{:?}",
        update.changed
    );
    assert!(!update.changed.contains("partie/page.html"));
    assert!(!update.changed.contains("index.html"));
}

#[test]
fn course_wide_outputs_of_an_older_state_are_dropped() {
    let mut course = Session::start(&fixture("basic"));
    let page = "01-partie/01-page.md";
    let edit = |course: &mut Session, from: &str, to: &str| {
        let (_, text) = course
            .inputs
            .pages
            .iter_mut()
            .find(|(p, _)| p == page)
            .unwrap();
        *text = text.replace(from, to).into();
        course
            .compiler
            .rebuild(&course.inputs, &[InputChange::Page(page.into())])
    };
    edit(&mut course, "Texte original", "Premier jet");
    let job = course
        .compiler
        .course_wide_job()
        .expect("outputs to rebuild");
    // The author saves again while the job runs: its outputs are out of date.
    edit(&mut course, "Premier jet", "Second jet");
    let update = course.compiler.apply_course_wide(job.run());
    assert_eq!(update.kind, BuildKind::Nothing);
    assert!(update.pending);
    let job = course.compiler.course_wide_job().expect("still to rebuild");
    let update = course.compiler.apply_course_wide(job.run());
    assert_eq!(update.kind, BuildKind::CourseWide);
    assert!(!update.pending);
    let expected = compile(course.inputs.clone()).site.unwrap();
    assert!(expected.files == course.compiler.site().unwrap().files);
}
