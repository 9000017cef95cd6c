//! Running the binary and reaching the fixtures.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The binary under test.
pub fn didact() -> Command {
    Command::new(env!("CARGO_BIN_EXE_didact"))
}

/// Run `didact` with `args` and return its output.
pub fn run(args: &[&str]) -> Output {
    didact().args(args).output().expect("didact runs")
}

/// `tests/fixtures/<case>` of the repository.
pub fn fixture(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(case)
}

/// A copy of a fixture in a new temporary folder, for tests that edit it.
pub fn copy_fixture(case: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("course");
    copy_dir(&fixture(case), &root);
    (dir, root)
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create folder");
    for entry in fs::read_dir(from).expect("read fixture") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// Every file under `dir` with its bytes, by relative path.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut res = Vec::new();
    collect(dir, dir, &mut res);
    res.sort();
    res
}

fn collect(base: &Path, dir: &Path, res: &mut Vec<(String, Vec<u8>)>) {
    for entry in fs::read_dir(dir).expect("read folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            collect(base, &path, res);
        } else {
            let rel = path
                .strip_prefix(base)
                .expect("inside")
                .display()
                .to_string();
            res.push((rel, fs::read(&path).expect("read file")));
        }
    }
}

/// stdout and stderr as text.
pub fn text(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).to_string(),
        String::from_utf8_lossy(&output.stderr).to_string(),
    )
}
