//! `didact check` on broken courses: each mistake's code, place and exit code.

use serde_json::Value;

use crate::support::{fixture, run, text};

/// Check `tests/fixtures/invalid/<case>` and expect exactly one diagnostic.
#[track_caller]
fn check(case: &str, code: &str, location: &str, exit: i32) {
    let root = fixture(&format!("invalid/{case}"));
    let output = run(&[
        "check",
        "--root",
        root.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(exit), "{case}: {stdout}{stderr}");
    let diagnostics: Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{case}: {e}: {stdout}"));
    let found: Vec<(String, String)> = diagnostics
        .as_array()
        .expect("an array")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                format!(
                    "{}:{}:{}",
                    d["file"].as_str().unwrap(),
                    d["line"],
                    d["column"]
                ),
            )
        })
        .collect();
    assert_eq!(found, [(code.to_string(), location.to_string())], "{case}");
}

#[test]
fn front_matter_that_is_not_yaml() {
    check(
        "bad-yaml",
        "front-matter-invalid",
        "content/01-page.md:4:1",
        1,
    );
}

#[test]
fn page_without_front_matter() {
    check(
        "no-front-matter",
        "front-matter-missing",
        "content/01-page.md:1:1",
        1,
    );
}

#[test]
fn unknown_front_matter_key_is_an_error() {
    check(
        "unknown-key",
        "front-matter-unknown-key",
        "content/01-page.md:3:1",
        1,
    );
}

#[test]
fn page_without_title() {
    check(
        "missing-title",
        "front-matter-missing-title",
        "content/01-page.md:1:1",
        1,
    );
}

#[test]
fn link_to_a_page_that_does_not_exist() {
    check("broken-link", "broken-link", "content/01-page.md:5:6", 1);
}

#[test]
fn link_to_an_anchor_that_does_not_exist() {
    check(
        "missing-anchor",
        "missing-anchor",
        "content/01-page.md:7:6",
        1,
    );
}

#[test]
fn image_that_does_not_exist() {
    check(
        "missing-image",
        "missing-image",
        "content/01-page.md:5:1",
        1,
    );
}

#[test]
fn linked_file_that_does_not_exist() {
    check("missing-file", "missing-file", "content/01-page.md:5:13", 1);
}

#[test]
fn quiz_without_a_correct_choice() {
    check(
        "invalid-quiz",
        "quiz-single-correct-count",
        "content/01-page.md:11:5",
        1,
    );
}

#[test]
fn quiz_question_with_an_undeclared_objective() {
    check(
        "quiz-unknown-objective",
        "quiz-unknown-objective",
        "content/01-page.md:10:5",
        1,
    );
}

#[test]
fn exercise_with_a_missing_scenario() {
    check(
        "invalid-exercise",
        "exercise-missing-scenario",
        "content/01-page.md:7:1",
        1,
    );
}

#[test]
fn the_same_quiz_id_on_two_pages() {
    check("duplicate-id", "duplicate-id", "content/02-autre.md:6:1", 1);
}

#[test]
fn page_objective_not_declared_in_book_toml() {
    check(
        "unknown-objective",
        "unknown-objective",
        "content/01-page.md:3:14",
        1,
    );
}

#[test]
fn template_syntax_error_points_into_the_theme_override() {
    check(
        "template-syntax",
        "template-syntax",
        "themes/default/templates/page.html:3:33",
        1,
    );
}

#[test]
fn unknown_book_toml_key_is_an_error() {
    check("unknown-book-key", "config-unknown-key", "book.toml:5:1", 1);
}

#[test]
fn update_date_that_is_not_a_date() {
    check("invalid-date", "config-invalid-date", "book.toml:4:12", 1);
}

#[test]
fn module_folder_without_index() {
    check(
        "module-without-index",
        "module-missing-index",
        "content/01-partie/01-page.md:1:1",
        1,
    );
}

#[test]
fn changelog_with_an_unknown_key() {
    check(
        "invalid-changelog",
        "changelog-invalid",
        "content/changelog.yaml:4:5",
        1,
    );
}

#[test]
fn page_nobody_can_reach_is_a_warning_and_exits_0() {
    check(
        "unreachable-page",
        "page-unreachable",
        "content/02-cachee.md:3:1",
        0,
    );
}

#[test]
fn human_output_looks_like_a_compiler() {
    let root = fixture("invalid/unknown-key");
    let output = run(&["check", "--root", root.to_str().unwrap()]);
    let (_, stderr) = text(&output);
    assert_eq!(
        stderr,
        "error[front-matter-unknown-key]: unknown front matter key `titel`\n \
         --> content/01-page.md:3:1\n  |\n3 | titel: \"Page\"\n  | ^^^^^\n  = help: did you mean `title`?\n\n\
         1 error, 0 warnings\n"
    );
}

#[test]
fn a_clean_course_exits_0() {
    let output = run(&["check", "--root", fixture("basic").to_str().unwrap()]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert_eq!(stderr, "0 errors, 0 warnings\n");
}

#[test]
fn a_folder_without_book_toml_is_a_usage_failure() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(&["check", "--root", dir.path().to_str().unwrap()]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr.contains("no book.toml"), "{stderr}");
}

#[test]
fn every_invalid_fixture_is_covered_by_a_test() {
    let source = include_str!("check.rs");
    let dir = fixture("invalid");
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().to_string();
        assert!(
            source.contains(&format!("\"{name}\",")),
            "no test for invalid/{name}"
        );
    }
}
