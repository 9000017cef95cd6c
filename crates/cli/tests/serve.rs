//! `didact serve` over real HTTP: refusals, rebuilds, the error state, Ctrl-C.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::support::{copy_fixture, didact};

/// A running `didact serve` on a free port, stopped with SIGINT on drop.
struct Server {
    child: Child,
    port: u16,
    banner: String,
}

impl Server {
    fn start(root: &Path) -> Server {
        let mut child = didact()
            .args(["serve", "--port", "0", "--root", root.to_str().unwrap()])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("didact serve starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut lines = BufReader::new(stdout).lines();
        let banner = loop {
            let line = lines
                .next()
                .expect("serve prints its address")
                .expect("utf-8");
            if line.starts_with("serving ") {
                break line;
            }
        };
        let port = banner
            .rsplit_once(':')
            .and_then(|(_, rest)| rest.split('/').next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port in {banner:?}"));
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server {
            child,
            port,
            banner,
        }
    }

    /// `GET path` with the raw request target; returns the status and body.
    fn get(&self, path: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(40)))
            .unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).expect("read response");
        let response = String::from_utf8_lossy(&response).to_string();
        let status = response
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no status in {response:?}"));
        let body = response
            .split_once("\r\n\r\n")
            .map_or("", |(_, b)| b)
            .to_string();
        (status, body)
    }

    /// Wait for the next build after `since` and return the event for `page`.
    fn next_event(&self, since: u64, page: &str) -> Value {
        let (status, body) = self.get(&format!(
            "/__didact/events?since={since}&wait=1&page={page}"
        ));
        assert_eq!(status, 200, "{body}");
        serde_json::from_str(&body).expect("json event")
    }

    /// Wait for the first build after `since` whose event for `page` satisfies `wanted`
    /// (course-wide outputs are published as builds of their own, after the edited page).
    fn event_where(&self, mut since: u64, page: &str, wanted: impl Fn(&Value) -> bool) -> Value {
        for _ in 0..20 {
            let event = self.next_event(since, page);
            if wanted(&event) {
                return event;
            }
            since = event["generation"].as_u64().expect("a generation");
        }
        panic!("no such event for {page} after {since}");
    }

    fn interrupt(&mut self) -> (Option<i32>, String) {
        let status = std::process::Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
        let status = self.child.wait().expect("serve exits");
        (status.code(), self.banner.clone())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn paths_outside_the_output_are_refused_and_folders_never_listed() {
    let (_dir, root) = copy_fixture("basic");
    let server = Server::start(&root);
    assert!(
        server.banner.contains("http://127.0.0.1:"),
        "loopback by default: {}",
        server.banner
    );
    assert_eq!(server.get("/").0, 200);
    assert_eq!(server.get("/partie/page.html").0, 200);
    for path in [
        "/../book.toml",
        "/partie/../../book.toml",
        "/%2e%2e/book.toml",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/..%2fbook.toml",
        "/..%5cbook.toml",
        "/partie/%252e%252e/%252e%252e/book.toml",
    ] {
        let (status, body) = server.get(path);
        assert!(status == 403 || status == 400, "{path} answered {status}");
        assert!(!body.contains("[course]"), "{path} leaked book.toml");
    }
    // Folders: an index page or nothing, never a listing.
    let (status, body) = server.get("/assets/");
    assert_eq!(status, 404);
    assert!(
        body.contains("Page introuvable"),
        "the 404 page, not a listing: {body}"
    );
    let (status, _) = server.get("/content/01-partie/01-page.md");
    assert_eq!(status, 404);
    assert_eq!(server.get("/partie").0, 301);
}

#[test]
fn a_burst_of_kept_alive_connections_is_answered_on_each_one() {
    // A browser opens several connections at once and keeps them alive; each must get its
    // answer while the others stay open (tiny_http 0.12's pool lost some: vendor/README.md).
    let (_dir, root) = copy_fixture("basic");
    for _ in 0..3 {
        let server = Server::start(&root);
        let mut streams: Vec<TcpStream> = (0..8)
            .map(|_| TcpStream::connect(("127.0.0.1", server.port)).expect("connect"))
            .collect();
        for stream in &mut streams {
            write!(
                stream,
                "GET /assets/didact.css HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n"
            )
            .unwrap();
        }
        for (idx, stream) in streams.iter_mut().enumerate() {
            stream
                .set_read_timeout(Some(Duration::from_secs(10)))
                .unwrap();
            let mut head = [0u8; 12];
            stream
                .read_exact(&mut head)
                .unwrap_or_else(|e| panic!("connection {idx} got no answer: {e}"));
            assert_eq!(&head, b"HTTP/1.1 200", "connection {idx}");
        }
    }
}

#[test]
fn served_pages_get_the_live_reload_script_and_built_pages_do_not() {
    let (_dir, root) = copy_fixture("basic");
    let server = Server::start(&root);
    let (_, page) = server.get("/partie/page.html");
    assert!(page.contains("/__didact/live-reload.js"));
    let (status, script) = server.get("/__didact/live-reload.js");
    assert_eq!(status, 200);
    assert!(script.contains("/__didact/events"));
    let (_, css) = server.get("/assets/didact.css");
    assert!(!css.contains("__didact"));
}

#[test]
fn an_edit_rebuilds_an_error_keeps_the_last_good_build_and_a_fix_clears_it() {
    let (_dir, root) = copy_fixture("basic");
    let server = Server::start(&root);
    let page = root.join("content/01-partie/01-page.md");
    let original = fs::read_to_string(&page).unwrap();

    fs::write(&page, original.replace("Texte original", "Texte modifié")).unwrap();
    let event = server.next_event(1, "/partie/page.html");
    assert_eq!(event["reload"], true, "{event}");
    assert_eq!(event["errors"], Value::Null);
    assert!(server.get("/partie/page.html").1.contains("Texte modifié"));
    // Another page, untouched, does not reload.
    let since = event["generation"].as_u64().unwrap();

    fs::write(&page, original.replace("title:", "titel:")).unwrap();
    let event = server.event_where(since, "/index.html", |e| !e["errors"].is_null());
    assert_eq!(event["reload"], false, "{event}");
    let errors = event["errors"].as_str().expect("errors while broken");
    assert!(
        errors.contains("error[front-matter-unknown-key]"),
        "{errors}"
    );
    assert!(
        errors.contains("content/01-partie/01-page.md:2:1"),
        "{errors}"
    );
    assert!(
        server.get("/partie/page.html").1.contains("Texte modifié"),
        "the last good build is still served"
    );
    let since = event["generation"].as_u64().unwrap();

    fs::write(&page, original.replace("Texte original", "Texte corrigé")).unwrap();
    let event = server.event_where(since, "/partie/page.html", |e| e["errors"].is_null());
    assert_eq!(event["reload"], true);
    assert!(server.get("/partie/page.html").1.contains("Texte corrigé"));
}

#[test]
fn ctrl_c_stops_the_server_gracefully() {
    let (_dir, root) = copy_fixture("basic");
    let mut server = Server::start(&root);
    assert_eq!(server.get("/").0, 200);
    let (code, _) = server.interrupt();
    assert_eq!(code, Some(0));
}
