//! `--help` names every command and option.

use crate::support::{run, text};

#[track_caller]
fn check(args: &[&str], expected: &[&str]) {
    let output = run(args);
    assert_eq!(output.status.code(), Some(0));
    let (stdout, _) = text(&output);
    for word in expected {
        assert!(
            stdout.contains(word),
            "`didact {}` does not mention {word}:\n{stdout}",
            args.join(" ")
        );
    }
}

#[test]
fn every_command_and_option_is_documented() {
    check(
        &["--help"],
        &["build", "check", "serve", "new", "Exit codes"],
    );
    check(
        &["build", "--help"],
        &["--root", "--out", "--clean", "--quiet", "byte-identical"],
    );
    check(&["check", "--help"], &["--root", "--format", "json"]);
    check(
        &["serve", "--help"],
        &["--root", "--port", "--bind", "--open", "127.0.0.1"],
    );
    check(&["new", "--help"], &["<DIR>", "--title"]);
}

#[test]
fn a_wrong_option_is_a_usage_failure() {
    assert_eq!(run(&["build", "--nope"]).status.code(), Some(2));
}
