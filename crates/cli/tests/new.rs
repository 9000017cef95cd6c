//! `didact new`: a course that builds and passes `check` at once.

use crate::support::{run, text};

#[test]
fn a_new_course_passes_check_and_builds() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("Mon cours");
    let output = run(&["new", root.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{:?}", text(&output));
    let book = std::fs::read_to_string(root.join("book.toml")).unwrap();
    assert!(book.contains("id = \"mon-cours\""), "{book}");

    let output = run(&["check", "--root", root.to_str().unwrap()]);
    assert_eq!(text(&output).1, "0 errors, 0 warnings\n");
    assert_eq!(output.status.code(), Some(0));

    let out = dir.path().join("site");
    let output = run(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{:?}", text(&output));
    let page = std::fs::read_to_string(out.join("premiers-pas/bienvenue.html")).unwrap();
    assert!(page.contains("data-quiz"), "the page has its quiz");
    assert!(page.contains("data-exercise"), "the page has its exercise");
    assert!(out.join("nouveautes.html").is_file());
}

#[test]
fn new_refuses_a_folder_that_is_not_empty() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let output = run(&["new", dir.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output).1.contains("not empty"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("notes.txt")).unwrap(),
        "mine"
    );
}
