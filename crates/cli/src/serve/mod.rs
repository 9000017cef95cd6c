//! `didact serve`: build in memory, serve on loopback, watch, rebuild, reload the browser.
//!
//! 1. Read the inputs once and compile them; the last good site is held in memory (nothing
//!    is written to disk). 2. A `notify` watcher thread collects changed paths, refreshes only
//!    those inputs (`didact_site::incremental`), compiles again and swaps in the new site,
//!    recording which output files changed. 3. The HTTP server (`tiny_http`, one thread per
//!    request) answers from memory and injects a small script into HTML pages; the script
//!    long-polls `/__didact/events`, reloads the tab when its page changed and shows the
//!    diagnostics of a failed build over the page. 4. Ctrl-C stops the server cleanly.

mod paths;
mod reload;

use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use didact_site::incremental::{apply_changes, changed_outputs};
use didact_site::{BuildResult, Inputs};
use notify::Watcher as _;
use tiny_http::{Header, Request, Response};

use crate::output::{diagnostics_text, plural, print_diagnostics, summary};
use crate::{Format, ServeArgs};
use paths::{content_type, resolve, Lookup, Refusal};
use reload::History;

/// How long a long poll waits for a rebuild before answering anyway.
const POLL_TIMEOUT: Duration = Duration::from_secs(25);
/// Changes closer together than this are rebuilt once (editors write in several steps).
const DEBOUNCE: Duration = Duration::from_millis(80);

/// What the server holds between builds.
struct State {
    /// The last good build: output path → bytes.
    files: Arc<BTreeMap<String, Vec<u8>>>,
    /// Bumped by every build, good or failed.
    generation: u64,
    /// The diagnostics of the last build when it failed.
    errors: Option<String>,
    history: History,
}

struct Shared {
    state: Mutex<State>,
    rebuilt: Condvar,
    stopping: AtomicBool,
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Run `didact serve` until Ctrl-C.
pub fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let root = args
        .root
        .canonicalize()
        .with_context(|| format!("no course folder at {}", args.root.display()))?;
    // Watch before the first read, so no edit made meanwhile is missed.
    let (sender, receiver) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event {
            if !matches!(event.kind, notify::EventKind::Access(_)) {
                let _ = sender.send(event.paths);
            }
        }
    })
    .context("failed to start watching files")?;
    watcher
        .watch(&root, notify::RecursiveMode::Recursive)
        .with_context(|| format!("failed to watch {}", root.display()))?;
    let mut inputs = didact_site::read_inputs(&root)?;
    let started = Instant::now();
    let result = didact_site::compile(inputs.clone());
    print_diagnostics(&result, Format::Human);
    let shared = Arc::new(Shared {
        state: Mutex::new(State {
            files: Arc::new(BTreeMap::new()),
            generation: 0,
            errors: None,
            history: History::default(),
        }),
        rebuilt: Condvar::new(),
        stopping: AtomicBool::new(false),
    });
    record_build(&shared, result, started);

    let address = SocketAddr::new(args.bind, args.port);
    let server = tiny_http::Server::http(address)
        .map_err(|e| anyhow::anyhow!("cannot listen on {address}: {e}"))?;
    let server = Arc::new(server);
    let port = server
        .server_addr()
        .to_ip()
        .map(|a| a.port())
        .unwrap_or(args.port);
    let url_host = match args.bind {
        std::net::IpAddr::V6(ip) => format!("[{ip}]"),
        ip => ip.to_string(),
    };
    let url = format!("http://{url_host}:{port}/");
    if !args.bind.is_loopback() {
        eprintln!(
            "warning: listening on {}: other computers of the network can see the course",
            args.bind
        );
    }
    println!("serving {} on {url} (Ctrl-C to stop)", root.display());

    {
        let shared = Arc::clone(&shared);
        let root = root.clone();
        std::thread::spawn(move || watch_loop(&root, &mut inputs, &receiver, &shared));
    }
    {
        let shared = Arc::clone(&shared);
        let server = Arc::clone(&server);
        ctrlc::set_handler(move || {
            shared.stopping.store(true, Ordering::SeqCst);
            shared.rebuilt.notify_all();
            server.unblock();
        })
        .context("failed to handle Ctrl-C")?;
    }
    if args.open {
        open_browser(&url);
    }
    for request in server.incoming_requests() {
        let shared = Arc::clone(&shared);
        std::thread::spawn(move || {
            // A client that went away is not our failure.
            let _ = respond(request, &shared);
        });
    }
    drop(watcher);
    println!("stopped");
    Ok(ExitCode::SUCCESS)
}

/// Wait for changes, debounce them, rebuild and record the result, until stopped.
fn watch_loop(
    root: &Path,
    inputs: &mut Inputs,
    receiver: &mpsc::Receiver<Vec<PathBuf>>,
    shared: &Shared,
) {
    while let Ok(first) = receiver.recv() {
        let mut changed: BTreeSet<String> = BTreeSet::new();
        let mut add = |paths: Vec<PathBuf>| {
            for path in paths {
                if let Ok(rel) = path.strip_prefix(root) {
                    let rel: Vec<String> = rel
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy().to_string())
                        .collect();
                    changed.insert(rel.join("/"));
                }
            }
        };
        add(first);
        while let Ok(more) = receiver.recv_timeout(DEBOUNCE) {
            add(more);
        }
        if shared.stopping.load(Ordering::SeqCst) {
            return;
        }
        let changed: Vec<String> = changed.into_iter().collect();
        let started = Instant::now();
        match apply_changes(inputs, root, &changed) {
            Ok(false) => continue,
            Ok(true) => {}
            Err(error) => {
                // A file can vanish between the event and the read (editors rename): say it
                // and keep serving; the next event brings the final state.
                eprintln!("error: {error:#}");
                continue;
            }
        }
        let result = didact_site::compile(inputs.clone());
        print_diagnostics(&result, Format::Human);
        record_build(shared, result, started);
    }
}

/// Swap in a good build or keep the last one and remember the errors; wake the long polls.
fn record_build(shared: &Shared, result: BuildResult, started: Instant) {
    let mut state = shared.lock();
    state.generation += 1;
    let generation = state.generation;
    let elapsed = started.elapsed().as_millis();
    match result.site {
        Some(ref site) => {
            let old = didact_site::Site {
                files: (*state.files).clone(),
                pages_written: 0,
            };
            let changed = changed_outputs(&old, site);
            println!(
                "built in {elapsed} ms: {} changed{}",
                plural(changed.len(), "file"),
                if result.warning_count() > 0 {
                    format!(" — {}", summary(&result))
                } else {
                    String::new()
                }
            );
            state.files = Arc::new(site.files.clone());
            state.errors = None;
            state.history.push(generation, changed);
        }
        None => {
            eprintln!("{} — still serving the last good build", summary(&result));
            state.errors = Some(diagnostics_text(&result));
            state.history.push(generation, BTreeSet::new());
        }
    }
    drop(state);
    shared.rebuilt.notify_all();
}

fn respond(request: Request, shared: &Shared) -> std::io::Result<()> {
    if !matches!(
        request.method(),
        tiny_http::Method::Get | tiny_http::Method::Head
    ) {
        return request.respond(text_response(405, "method not allowed"));
    }
    let url = request.url().to_string();
    if url == reload::SCRIPT_URL {
        return request.respond(
            Response::from_data(reload::SCRIPT.as_bytes())
                .with_header(header("Content-Type", "text/javascript; charset=utf-8"))
                .with_header(header("Cache-Control", "no-store")),
        );
    }
    if url.starts_with(reload::EVENTS_URL) {
        let body = wait_for_event(&url, shared);
        return request.respond(
            Response::from_data(body.into_bytes())
                .with_header(header("Content-Type", "application/json"))
                .with_header(header("Cache-Control", "no-store")),
        );
    }
    let (files, generation, failed) = {
        let state = shared.lock();
        (
            Arc::clone(&state.files),
            state.generation,
            state.errors.is_some(),
        )
    };
    match resolve(&url, |path| files.contains_key(path)) {
        Err(Refusal::Forbidden) => request.respond(text_response(403, "forbidden")),
        Err(Refusal::BadRequest) => request.respond(text_response(400, "bad request")),
        Ok(Lookup::Redirect(location)) => {
            request.respond(Response::empty(301).with_header(header("Location", &location)))
        }
        Ok(Lookup::File(path)) => {
            let (status, path, bytes) = match files.get(&path) {
                Some(bytes) => (200, path, bytes.clone()),
                None if files.is_empty() && failed && path.ends_with(".html") => {
                    // No good build yet: a blank page that shows the overlay.
                    let page = b"<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>didact</title></head><body></body></html>";
                    (200, path, page.to_vec())
                }
                // Browsers ask for it on their own; a course without one is not an error.
                None if path == "favicon.ico" => return request.respond(Response::empty(204)),
                None => match files.get("404.html") {
                    Some(bytes) => (404, "404.html".to_string(), bytes.clone()),
                    None => return request.respond(text_response(404, "not found")),
                },
            };
            let bytes = if path.ends_with(".html") {
                reload::inject_script(&bytes, generation)
            } else {
                bytes
            };
            request.respond(
                Response::from_data(bytes)
                    .with_status_code(status)
                    .with_header(header("Content-Type", content_type(&path)))
                    .with_header(header("Cache-Control", "no-store")),
            )
        }
    }
}

/// Answer a long poll: at once when the tab is behind or asked not to wait, otherwise when
/// the next build is done (or after [`POLL_TIMEOUT`]).
fn wait_for_event(url: &str, shared: &Shared) -> String {
    let query = url.split_once('?').map_or("", |(_, q)| q);
    let param = |name: &str| {
        query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.to_string())
    };
    let since: u64 = param("since").and_then(|s| s.parse().ok()).unwrap_or(0);
    let wait = param("wait").as_deref() != Some("0");
    let page = param("page")
        .and_then(|p| paths::percent_decode(&p))
        .unwrap_or_default();
    let page = match resolve(&page, |_| true) {
        Ok(Lookup::File(path)) => path,
        _ => String::new(),
    };
    let deadline = Instant::now() + POLL_TIMEOUT;
    let mut state = shared.lock();
    while wait && state.generation == since && !shared.stopping.load(Ordering::SeqCst) {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        state = shared
            .rebuilt
            .wait_timeout(state, left)
            .unwrap_or_else(|p| p.into_inner())
            .0;
    }
    let reload = state.history.needs_reload(since, &page);
    reload::event_json(state.generation, state.errors.as_deref(), reload)
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes())
        .expect("header names and values are ASCII")
}

fn text_response(status: u16, text: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    Response::from_data(text.as_bytes().to_vec())
        .with_status_code(status)
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
}

/// Open `url` with the desktop's default browser; only a note when there is none.
fn open_browser(url: &str) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(error) = std::process::Command::new(program)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        eprintln!("note: could not open a browser ({program}: {error}); open {url} yourself");
    }
}
