use super::*;

fn config() -> Config {
    let text = "[course]\nid = \"t\"\ntitle = \"T\"\nupdated = \"2026-01-02\"\n[[objectives]]\nid = \"comptes\"\nlabel = \"C\"\n";
    didact_config::parse_config(text, FileId(99)).0.unwrap()
}

#[track_caller]
fn load(files: &[(&str, &str)]) -> (Course, Vec<Diagnostic>) {
    let sources = files
        .iter()
        .enumerate()
        .map(|(i, (path, text))| SourcePage {
            path: path.to_string(),
            file: FileId(i as u32),
            text: (*text).into(),
        })
        .collect();
    load_course(&config(), sources)
}

#[test]
fn modules_and_pages_are_ordered_by_prefix_then_weight() {
    let (course, problems) = load(&[
        ("02-b/index.md", "---\ntitle: B\n---\n"),
        ("02-b/02-y.md", "---\ntitle: Y\n---\n"),
        ("02-b/01-x.md", "---\ntitle: X\nweight: 5\n---\n"),
        ("01-a/index.md", "---\ntitle: A\n---\nIntro"),
        ("glossaire.md", "---\ntitle: G\n---\n"),
        ("00-start.md", "---\ntitle: S\n---\n"),
    ]);
    assert!(problems.is_empty(), "{problems:?}");
    let urls: Vec<_> = course.pages.iter().map(|p| p.url.as_str()).collect();
    assert_eq!(
        urls,
        [
            "start.html",
            "a/index.html",
            "b/index.html",
            "b/y.html",
            "b/x.html",
            "glossaire.html"
        ]
    );
    assert_eq!(course.modules[1].number, 2);
    assert_eq!(course.pages[1].body(), "Intro");
}

#[test]
fn unknown_front_matter_key_is_an_error_with_a_hint() {
    let (_, problems) = load(&[("p.md", "---\ntitle: P\ntitel: x\n---\n")]);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].code, "front-matter-unknown-key");
    assert_eq!(problems[0].span.start, "---\ntitle: P\n".len());
    assert_eq!(problems[0].help.as_deref(), Some("did you mean `title`?"));
}

#[test]
fn every_problem_is_reported_in_one_pass() {
    let (_, problems) = load(&[
        ("a.md", "no front matter"),
        ("b.md", "---\ntitle: B\nobjectives: [compte]\n---\n"),
        ("c/01-x.md", "---\ntitle: X\n---\n"),
    ]);
    let codes: Vec<_> = problems.iter().map(|p| p.code).collect();
    assert_eq!(
        codes,
        [
            "front-matter-missing",
            "unknown-objective",
            "module-missing-index"
        ]
    );
    assert_eq!(problems[1].help.as_deref(), Some("did you mean `comptes`?"));
}

#[test]
fn data_folders_are_not_pages() {
    let (course, problems) = load(&[("quizzes/x.md", "junk"), ("p.md", "---\ntitle: P\n---\n")]);
    assert!(problems.is_empty());
    assert_eq!(course.pages.len(), 1);
}

#[test]
fn relative_urls_climb_to_the_root() {
    assert_eq!(relative_url("a/b.html", "c/d.html"), "../c/d.html");
    assert_eq!(relative_url("b.html", "c/d.html"), "c/d.html");
}

#[test]
fn a_page_named_like_a_generated_page_is_an_error() {
    for name in [
        "index.md",
        "00-imprimer.md",
        "progression.md",
        "nouveautes.md",
    ] {
        let (_, problems) = load(&[(name, "---\ntitle: P\n---\n")]);
        let codes: Vec<&str> = problems.iter().map(|p| p.code).collect();
        assert_eq!(codes, ["content-reserved-name"], "{name}");
        assert!(
            problems[0].message.contains("which is"),
            "{}",
            problems[0].message
        );
    }
    // In a module, the same names are the module's own pages.
    let (_, problems) = load(&[
        ("01-a/index.md", "---\ntitle: A\n---\n"),
        ("01-a/imprimer.md", "---\ntitle: I\n---\n"),
    ]);
    assert!(problems.is_empty(), "{problems:?}");
}
