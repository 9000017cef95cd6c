//! `didact build`: atomic, deterministic, quiet when asked.

use std::fs;

use crate::support::{copy_fixture, fixture, run, snapshot, text};

#[test]
fn two_builds_of_the_same_course_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let root = fixture("basic");
    for out in ["one", "two"] {
        let output = run(&[
            "build",
            "--quiet",
            "--root",
            root.to_str().unwrap(),
            "--out",
            dir.path().join(out).to_str().unwrap(),
        ]);
        assert_eq!(output.status.code(), Some(0), "{:?}", text(&output));
    }
    let one = snapshot(&dir.path().join("one"));
    assert!(one.iter().any(|(path, _)| path == "nouveautes.html"));
    assert_eq!(one, snapshot(&dir.path().join("two")));
}

#[test]
fn a_failed_build_leaves_the_previous_output_byte_identical() {
    let (dir, root) = copy_fixture("basic");
    let out = dir.path().join("site");
    let args = [
        "build",
        "--root",
        root.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    assert_eq!(run(&args).status.code(), Some(0));
    let before = snapshot(&out);
    fs::write(
        root.join("content/01-partie/01-page.md"),
        "---\ntitel: \"x\"\n---\n",
    )
    .unwrap();
    let output = run(&args);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr.contains(&format!(
            "nothing was written; {} is unchanged",
            out.display()
        )),
        "{stderr}"
    );
    assert_eq!(snapshot(&out), before);
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 2, "{leftovers:?}");
}

#[test]
fn the_final_line_tells_pages_files_and_time() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let output = run(&[
        "build",
        "--root",
        fixture("basic").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let (stdout, stderr) = text(&output);
    assert_eq!(stderr, "", "no progress when stderr is not a terminal");
    let line = stdout.trim_end();
    assert!(line.starts_with("built 9 pages (17 files) into "), "{line}");
    assert!(line.ends_with(" s"), "{line}");
}

#[test]
fn quiet_prints_nothing_on_success() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let output = run(&[
        "build",
        "-q",
        "--root",
        fixture("basic").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(text(&output), (String::new(), String::new()));
    assert!(out.join("index.html").is_file());
}

#[test]
fn the_output_is_replaced_as_a_whole_and_clean_starts_from_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("stale.html"), "old").unwrap();
    let root = fixture("basic");
    let args = [
        "build",
        "--clean",
        "--root",
        root.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    assert_eq!(run(&args).status.code(), Some(0));
    assert!(!out.join("stale.html").exists());
    assert!(out.join("index.html").is_file());
}

#[test]
fn leftovers_of_an_interrupted_build_are_recovered_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let aside = dir.path().join(".site.previous-1");
    fs::create_dir_all(&aside).unwrap();
    fs::write(aside.join("index.html"), "previous").unwrap();
    let output = run(&[
        "build",
        "--root",
        fixture("invalid/unknown-key").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr.contains("left by an interrupted build"), "{stderr}");
    assert_eq!(
        fs::read_to_string(out.join("index.html")).unwrap(),
        "previous"
    );
}
