//! `didact check --external` against a small HTTP server on 127.0.0.1 (never another host).

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use serde_json::Value;

use crate::support::{copy_fixture, run, text};

/// A loopback server: `/ok` 200, `/no-head` 405 to HEAD but 200 to GET, `/moved` 301 to
/// `/ok`, anything else 404. Counts the connections it accepted.
fn start_server() -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let port = listener.local_addr().unwrap().port();
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&connections);
    // Serves until the test process ends; each connection is one request.
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            counter.fetch_add(1, Ordering::SeqCst);
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).is_err() {
                continue;
            }
            // Skip the headers.
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let mut parts = request_line.split_whitespace();
            let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
            let (status, extra) = match (method, path) {
                (_, "/ok") => ("200 OK", String::new()),
                ("HEAD", "/no-head") => ("405 Method Not Allowed", String::new()),
                ("GET", "/no-head") => ("200 OK", String::new()),
                (_, "/moved") => (
                    "301 Moved Permanently",
                    format!("Location: http://127.0.0.1:{port}/ok\r\n"),
                ),
                _ => ("404 Not Found", String::new()),
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\n{extra}Content-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    (port, connections)
}

/// A port with nothing listening on it.
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// The basic fixture with a page linking to `urls`.
fn course_linking(urls: &[String]) -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, root) = copy_fixture("basic");
    let page = root.join("content/01-partie/01-page.md");
    let mut text = fs::read_to_string(&page).unwrap();
    text.push_str("\nLiens :\n\n");
    for (i, url) in urls.iter().enumerate() {
        text.push_str(&format!("- [lien {i}]({url})\n"));
    }
    fs::write(&page, text).unwrap();
    (dir, root)
}

fn check_json(root: &Path, extra: &[&str]) -> (Option<i32>, Vec<(String, String, String)>) {
    let mut args = vec![
        "check",
        "--root",
        root.to_str().unwrap(),
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let output = run(&args);
    let (stdout, stderr) = text(&output);
    let diagnostics: Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}{stderr}"));
    let found = diagnostics
        .as_array()
        .expect("an array")
        .iter()
        .filter(|d| d["code"] == "external-link-broken")
        .map(|d| {
            (
                format!("{}:{}", d["file"].as_str().unwrap(), d["line"]),
                d["message"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    (output.status.code(), found)
}

#[test]
fn broken_external_links_are_warnings_at_their_line() {
    let (port, _) = start_server();
    let dead = closed_port();
    let urls = [
        format!("http://127.0.0.1:{port}/ok"),
        format!("http://127.0.0.1:{port}/no-head"),
        format!("http://127.0.0.1:{port}/moved"),
        format!("http://127.0.0.1:{port}/missing"),
        format!("http://127.0.0.1:{dead}/"),
    ];
    let (_dir, root) = course_linking(&urls);
    let (code, found) = check_json(&root, &["--external", "--timeout", "5"]);
    assert_eq!(code, Some(0), "warnings only: {found:?}");
    let lines: Vec<&str> = found.iter().map(|(at, _, _)| at.as_str()).collect();
    let page = "content/01-partie/01-page.md";
    let text = fs::read_to_string(root.join(page)).unwrap();
    let line_of = |url: &str| {
        text.lines()
            .position(|l| l.contains(&format!("({url})")))
            .unwrap()
            + 1
    };
    assert_eq!(
        lines,
        [
            format!("{page}:{}", line_of(&urls[3])),
            format!("{page}:{}", line_of(&urls[4])),
        ]
    );
    assert!(found.iter().all(|(_, _, severity)| severity == "warning"));
    assert!(found[0].1.contains("HTTP 404"), "{:?}", found[0]);
    assert!(
        found[1].1.contains(&format!("127.0.0.1:{dead}")),
        "{:?}",
        found[1]
    );
}

#[test]
fn without_external_no_request_is_made() {
    let (port, connections) = start_server();
    let (_dir, root) = course_linking(&[format!("http://127.0.0.1:{port}/missing")]);
    let (code, found) = check_json(&root, &[]);
    assert_eq!(code, Some(0));
    assert!(found.is_empty(), "{found:?}");
    assert_eq!(connections.load(Ordering::SeqCst), 0);
}
