use super::*;

const BOOK: &str = "[course]\nid = \"t\"\ntitle = \"T\"\nupdated = \"2026-01-15\"\n";

/// A course of two modules (`a` with pages p, q, r; `b` with page s) and a standalone page.
fn course() -> Course {
    let (config, _) = didact_config::parse_config(BOOK, FileId(0));
    let pages = [
        ("01-a/index.md", "A"),
        ("01-a/01-p.md", "P"),
        ("01-a/02-q.md", "Q"),
        ("01-a/03-r.md", "R"),
        ("02-b/index.md", "B"),
        ("02-b/01-s.md", "S"),
        ("03-glossaire.md", "G"),
    ];
    let sources = pages
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

#[track_caller]
fn check_showing(source: &str, expected_pages: &[&str]) {
    let course = course();
    let page = course.page_by_source(source).unwrap();
    let showing = pages_showing(&course, &course.reading_order(), page);
    let urls: Vec<&str> = showing
        .pages
        .iter()
        .map(|&p| course.pages[p].url.as_str())
        .collect();
    assert_eq!(urls, expected_pages, "{source}");
    assert!(showing.home);
}

#[test]
fn a_page_title_shows_in_its_module_and_its_neighbours() {
    check_showing("01-a/02-q.md", &["a/index.html", "a/p.html", "a/r.html"]);
    // The last page of a module is followed by the next module's page.
    check_showing(
        "01-a/03-r.md",
        &["a/index.html", "a/p.html", "a/q.html", "b/index.html"],
    );
    check_showing("02-b/01-s.md", &["b/index.html", "glossaire.html"]);
}

#[test]
fn a_module_or_standalone_title_shows_in_its_module_and_neighbours_not_everywhere() {
    // The other pages get the top-level titles from assets/nav.js, rendered with the home.
    check_showing("01-a/index.md", &["a/p.html", "a/q.html", "a/r.html"]);
    check_showing("03-glossaire.md", &["b/s.html"]);
}

#[track_caller]
fn check_edit(old_front: &str, new_front: &str, expected: PageEdit) {
    let (config, _) = didact_config::parse_config(BOOK, FileId(0));
    let config = config.unwrap();
    let parse = |front: &str, body: &str| {
        let source = SourcePage {
            path: "01-a/01-p.md".into(),
            file: FileId(1),
            text: format!("---\n{front}\n---\n{body}").into(),
        };
        let (course, _) = load_course(&config, vec![source]);
        course
            .pages
            .into_iter()
            .find(|p| !p.source.is_empty())
            .unwrap()
    };
    let old = parse(old_front, "Avant.\n");
    let new = parse(new_front, "Après.\n");
    assert_eq!(
        classify_edit(&old, &new),
        expected,
        "{old_front} → {new_front}"
    );
}

#[test]
fn edits_are_classified_by_what_other_pages_show() {
    check_edit("title: P", "title: P", PageEdit::Body);
    check_edit("title: P", "title: P2", PageEdit::FrontMatter);
    check_edit("title: P", "title: P\nduration: 5", PageEdit::FrontMatter);
    check_edit(
        "title: P",
        "title: P\ndescription: Une page",
        PageEdit::FrontMatter,
    );
    check_edit("title: P", "title: P\nweight: 3", PageEdit::Structure);
    check_edit("title: P", "title: P\nnav: false", PageEdit::Structure);
    check_edit("title: P\nnav: true", "title: P", PageEdit::Body);
}

#[track_caller]
fn check_plan(changes: &[InputChange], expected: Plan) {
    let is_page = |source: &str| source == "01-a/01-p.md" || source == "01-a/02-q.md";
    let is_asset = |path: &str| path == "images/a.png";
    assert_eq!(plan_rebuild(changes, is_page, is_asset), expected);
}

fn page(source: &str) -> InputChange {
    InputChange::Page(source.into())
}

#[test]
fn edited_pages_and_files_are_rebuilt_alone() {
    check_plan(
        &[
            page("01-a/01-p.md"),
            InputChange::Ignored,
            page("01-a/02-q.md"),
            page("01-a/01-p.md"),
            InputChange::Asset("images/a.png".into()),
        ],
        Plan::Edits {
            pages: vec!["01-a/01-p.md".into(), "01-a/02-q.md".into()],
            assets: vec!["images/a.png".into()],
        },
    );
    check_plan(
        &[InputChange::Ignored],
        Plan::Edits {
            pages: vec![],
            assets: vec![],
        },
    );
}

#[test]
fn new_or_removed_files_and_course_wide_inputs_need_a_full_build() {
    for change in [
        page("01-a/09-new.md"),
        InputChange::Asset("images/new.png".into()),
        InputChange::Config,
        InputChange::Data("scenarios/s.yaml".into()),
        InputChange::Theme,
        InputChange::Everything,
    ] {
        check_plan(&[page("01-a/01-p.md"), change], Plan::Full);
    }
}

#[test]
fn every_page_the_build_generates_at_the_root_is_reserved_for_it() {
    let reserved: Vec<String> = didact_content::GENERATED_PAGES
        .iter()
        .map(|(slug, _)| format!("{slug}.html"))
        .collect();
    let generated = crate::compile::SPECIAL_PAGES
        .iter()
        .map(|(output, _)| *output)
        .chain(["index.html", "404.html", crate::changelog::CHANGES_PAGE]);
    for output in generated {
        assert!(
            reserved.iter().any(|r| r == output),
            "{output} is not in didact_content::GENERATED_PAGES"
        );
    }
}
