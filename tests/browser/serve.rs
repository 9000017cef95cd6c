//! `didact serve` live reload in Chromium: an edit shows up by itself, an error shows the
//! diagnostics overlay over the last good page, and the fix clears it.
//!
//! The test starts the real `didact` binary, which `cargo test --workspace` builds (the
//! `didact-cli` package is a workspace member). Running only this package? Build it first:
//! `cargo build -p didact-cli`.

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::json;

use crate::harness::{repo_root, run, Browser, Session};

/// `target/<profile>/didact`, next to this test binary's `deps/` folder.
fn didact_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary has a path");
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("test binaries live in target/<profile>/deps");
    let binary = profile_dir.join(format!("didact{}", std::env::consts::EXE_SUFFIX));
    assert!(
        binary.is_file(),
        "{} not found: run `cargo build -p didact-cli` (or `cargo test --workspace`) first",
        binary.display()
    );
    binary
}

/// `didact serve` on a free port; killed on drop.
struct Serve {
    child: Child,
    url: String,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(root: &Path) -> Serve {
    let mut child = Command::new(didact_binary())
        .args([
            "serve",
            "--port",
            "0",
            "--root",
            root.to_str().expect("utf-8 path"),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("didact serve starts");
    let mut lines = BufReader::new(child.stdout.take().expect("piped stdout")).lines();
    let banner = loop {
        let line = lines
            .next()
            .expect("serve prints its address")
            .expect("utf-8");
        if line.starts_with("serving ") {
            break line;
        }
    };
    std::thread::spawn(move || for _ in lines {});
    let url = banner
        .split_whitespace()
        .find(|word| word.starts_with("http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("no loopback address in {banner:?}"))
        .to_string();
    Serve { child, url }
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

#[test]
fn serve_reloads_on_edit_and_shows_then_clears_the_error_overlay() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("course");
    copy_dir(&repo_root().join("tests/fixtures/basic"), &root);
    let page = root.join("content/01-partie/01-page.md");
    let original = fs::read_to_string(&page).expect("fixture page");
    let server = serve(&root);
    run(async {
        let session = Session::start(Browser::Chromium).await;
        session
            .open(&format!("{}partie/page.html", server.url))
            .await;
        session.wait_text("main", "Texte original").await;

        fs::write(&page, original.replace("Texte original", "Texte modifié")).expect("edit");
        session.wait_text("main", "Texte modifié").await;
        session.wait_runtime().await;

        fs::write(&page, original.replace("title:", "titel:")).expect("break");
        let overlay = session
            .wait_text("#didact-overlay", "front-matter-unknown-key")
            .await;
        assert!(
            overlay.contains("content/01-partie/01-page.md:2:1"),
            "{overlay}"
        );
        session.wait_text("main", "Texte modifié").await;

        fs::write(&page, original.replace("Texte original", "Texte corrigé")).expect("fix");
        session.wait_text("main", "Texte corrigé").await;
        session
            .wait_value(
                "return document.getElementById('didact-overlay') === null",
                |v| *v == json!(true),
            )
            .await;
        session.finish().await;
    });
}
