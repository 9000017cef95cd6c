//! One-page incremental rebuild latency: the time from writing a changed source page to the
//! new page being complete on disk, with each tool's own watching dev server.

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};

/// How a tool rebuilds after an edit.
pub enum Rebuild<'a> {
    /// A dev server that watches the sources and writes the output folder; started with these
    /// arguments in the source folder.
    Serve {
        program: &'a Path,
        args: Vec<String>,
    },
    /// No watching server (yet): run this full build after each edit.
    Build {
        program: &'a Path,
        args: Vec<&'a str>,
    },
}

/// What to edit and where to look.
pub struct Probe<'a> {
    /// The tool's source folder.
    pub dir: &'a Path,
    /// Source page, relative to `dir`.
    pub source: &'a str,
    /// Output page, relative to `dir`.
    pub output: &'a str,
    /// The output folder, relative to `dir` (for waiting until the first build settles).
    pub out_dir: &'a str,
    /// For a server that keeps the site in memory (`didact serve`): its port and the page's
    /// URL path; the page is then fetched over HTTP instead of read from disk.
    pub http: Option<(u16, String)>,
}

/// Where the rebuilt page is read from.
enum Output {
    File(PathBuf),
    Http { port: u16, path: String },
}

/// Latencies of `reps` edits (fewer when one edit takes longer than `slow`, to bound the run).
pub fn measure_rebuilds(
    rebuild: &Rebuild,
    probe: &Probe,
    reps: usize,
    slow: Duration,
) -> anyhow::Result<Vec<Duration>> {
    let source = probe.dir.join(probe.source);
    let output = match &probe.http {
        Some((port, path)) => Output::Http {
            port: *port,
            path: path.clone(),
        },
        None => Output::File(probe.dir.join(probe.output)),
    };
    let original = std::fs::read_to_string(&source)
        .with_context(|| format!("failed to read {}", source.display()))?;
    let mut server = match rebuild {
        Rebuild::Serve { program, args } => {
            let log = std::fs::File::create(probe.dir.join(".serve-log")).context("serve log")?;
            let child = Command::new(program)
                .args(args)
                .current_dir(probe.dir)
                .stdin(Stdio::null())
                .stdout(Stdio::from(log.try_clone().context("clone the log")?))
                .stderr(Stdio::from(log))
                .spawn()
                .with_context(|| format!("failed to start {}", program.display()))?;
            let server = Server(child);
            wait_for_first_build(
                &output,
                &probe.dir.join(probe.out_dir),
                Duration::from_secs(600),
            )
            .with_context(|| {
                format!(
                    "the dev server never produced {}; its log:\n{}",
                    probe.output,
                    std::fs::read_to_string(probe.dir.join(".serve-log")).unwrap_or_default()
                )
            })?;
            warm_up_watcher(&source, &original, &output, probe)?;
            Some(server)
        }
        Rebuild::Build { .. } => None,
    };
    let mut res = Vec::new();
    for rep in 0..reps {
        let marker = format!("bench-edit-{rep}-{}", std::process::id());
        let edited = format!("{original}\nParagraphe modifié : {marker}.\n");
        let started = Instant::now();
        std::fs::write(&source, &edited)
            .with_context(|| format!("failed to write {}", source.display()))?;
        match rebuild {
            Rebuild::Serve { .. } => {
                wait_for_marker(&output, &marker, Duration::from_secs(600)).with_context(|| {
                    format!(
                        "the dev server did not rebuild {}; its log:\n{}",
                        probe.output,
                        std::fs::read_to_string(probe.dir.join(".serve-log")).unwrap_or_default()
                    )
                })?;
            }
            Rebuild::Build { program, args } => {
                let status = Command::new(program)
                    .args(args)
                    .current_dir(probe.dir)
                    .stdout(Stdio::null())
                    .status()
                    .with_context(|| format!("failed to run {}", program.display()))?;
                if !status.success() {
                    bail!("rebuild failed ({status})");
                }
                wait_for_marker(&output, &marker, Duration::from_secs(1))?;
            }
        }
        let elapsed = started.elapsed();
        res.push(elapsed);
        // Let watchers settle (debounce windows, trailing writes) before the next edit.
        std::thread::sleep(Duration::from_millis(700));
        if elapsed > slow {
            break;
        }
    }
    std::fs::write(&source, &original)
        .with_context(|| format!("failed to restore {}", source.display()))?;
    if let Some(server) = server.as_mut() {
        server.stop();
    }
    Ok(res)
}

/// A free TCP port on 127.0.0.1 for a dev server.
pub fn free_port() -> anyhow::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")
        .context("bind a free port")?
        .local_addr()?
        .port())
}

/// The dev server we started; stopped (by its own pid) when dropped.
struct Server(Child);

impl Server {
    fn stop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Make sure the server's watcher is live before timing: servers start watching only after
/// their first build, and an edit made before that is never seen. Edit (unmeasured) until the
/// server reacts, then let it settle.
fn warm_up_watcher(
    source: &Path,
    original: &str,
    output: &Output,
    probe: &Probe,
) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(600);
    // Any warm-up edit showing counts: a server whose rebuild takes longer than the wait
    // between edits (mdBook at 5 000 pages: a minute) shows an older one.
    let seen = format!("bench-warm-up-{}-", std::process::id());
    for attempt in 0.. {
        let marker = format!("{seen}{attempt}");
        std::fs::write(
            source,
            format!("{original}\nParagraphe modifié : {marker}.\n"),
        )
        .with_context(|| format!("failed to write {}", source.display()))?;
        if wait_for_marker(output, &seen, Duration::from_secs(15)).is_ok() {
            break;
        }
        if Instant::now() > deadline {
            bail!(
                "the dev server never reacted to an edit of {}",
                source.display()
            );
        }
    }
    wait_for_first_build(
        output,
        &probe.dir.join(probe.out_dir),
        Duration::from_secs(600),
    )
}

fn wait_for_first_build(page: &Output, out_dir: &Path, timeout: Duration) -> anyhow::Result<()> {
    let deadline = Instant::now() + timeout;
    while read_output(page).is_none_or(|text| !text.trim_end().ends_with("</html>")) {
        if Instant::now() > deadline {
            bail!("timed out after {timeout:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    // The first build is over when the output folder stops changing for a second.
    let mut last = folder_fingerprint(out_dir);
    let mut stable_since = Instant::now();
    while stable_since.elapsed() < Duration::from_secs(1) {
        if Instant::now() > deadline {
            bail!("the output folder never settled within {timeout:?}");
        }
        std::thread::sleep(Duration::from_millis(250));
        let now = folder_fingerprint(out_dir);
        if now != last {
            last = now;
            stable_since = Instant::now();
        }
    }
    Ok(())
}

fn wait_for_marker(page: &Output, marker: &str, timeout: Duration) -> anyhow::Result<()> {
    let deadline = Instant::now() + timeout;
    loop {
        // The page is complete once it holds the marker and its closing tag (tools may write
        // in several chunks).
        if let Some(text) = read_output(page) {
            if text.contains(marker) && text.trim_end().ends_with("</html>") {
                return Ok(());
            }
        }
        if Instant::now() > deadline {
            bail!("the page did not show {marker} within {timeout:?}");
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// The page's current text, if it can be read (file) or fetched with status 200 (HTTP).
fn read_output(output: &Output) -> Option<String> {
    match output {
        Output::File(path) => std::fs::read_to_string(path).ok(),
        Output::Http { port, path } => http_get(*port, path),
    }
}

/// A minimal `GET` on 127.0.0.1 (`Connection: close`, body read to the end).
fn http_get(port: u16, path: &str) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    // One write: `write!` would send the pieces of the format in separate segments.
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).ok()?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).ok()?;
    let answer = String::from_utf8_lossy(&answer);
    let (head, body) = answer.split_once("\r\n\r\n")?;
    head.split_whitespace()
        .nth(1)
        .filter(|status| *status == "200")?;
    Some(body.to_string())
}

/// (number of files, total bytes, latest modification) of a folder.
fn folder_fingerprint(dir: &Path) -> (u64, u64, Option<std::time::SystemTime>) {
    let mut res = (0, 0, None);
    for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if let Ok(meta) = entry.metadata() {
            if meta.is_file() {
                res.0 += 1;
                res.1 += meta.len();
                res.2 = res.2.max(meta.modified().ok());
            }
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_build_after_each_edit_is_measured_until_the_page_changes() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("page.md"), "Bonjour\n").unwrap();
        // A "tool" that copies the source into an HTML page.
        let rebuild = Rebuild::Build {
            program: Path::new("/bin/sh"),
            args: vec![
                "-c",
                "mkdir -p out && { cat page.md; echo '</html>'; } > out/page.html",
            ],
        };
        let probe = Probe {
            dir: dir.path(),
            source: "page.md",
            output: "out/page.html",
            out_dir: "out",
            http: None,
        };
        let latencies = measure_rebuilds(&rebuild, &probe, 2, Duration::from_secs(60)).unwrap();
        assert_eq!(latencies.len(), 2);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("page.md")).unwrap(),
            "Bonjour\n"
        );
    }

    #[test]
    fn a_page_served_from_memory_is_fetched_over_http() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            // The whole head, however the client's segments arrive.
            let mut request = Vec::new();
            let mut chunk = [0u8; 1024];
            while !request.ends_with(b"\r\n\r\n") {
                let n = stream.read(&mut chunk).unwrap();
                assert!(n > 0, "the request ended early: {request:?}");
                request.extend_from_slice(&chunk[..n]);
            }
            assert!(String::from_utf8_lossy(&request).starts_with("GET /m/p.html HTTP/1.1"));
            stream
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n<p>marker-1</p></html>")
                .unwrap();
        });
        let page = Output::Http {
            port,
            path: "/m/p.html".into(),
        };
        wait_for_marker(&page, "marker-1", Duration::from_secs(10)).unwrap();
        server.join().unwrap();
    }
}
