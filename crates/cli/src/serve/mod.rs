//! `didact serve`: build in memory, serve on loopback, watch, rebuild, reload the browser.
//!
//! 1. Read the inputs once and build them with a `didact_site::Compiler`, which keeps the
//!    build in memory; the last good site is served from memory (written to disk only with
//!    `--out`). 2. A `notify` watcher thread collects changed paths, refreshes only those
//!    inputs (`didact_site::incremental`) and has the compiler rebuild only what they need
//!    (an edited page: that page and the pages showing its title). The changed output files
//!    are swapped in and the reload published at once; then the course-wide outputs (search
//!    index, printable version) are rebuilt and published in a second step (see
//!    `watch_loop`). 3. The HTTP server (`tiny_http`, one thread per
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
use didact_site::incremental::{apply_changes, InputChange};
use didact_site::{BuildKind, Compiler, CourseWideOutputs, Inputs, Update};
use notify::Watcher as _;
use tiny_http::{Header, Request, Response};

use crate::output::{diagnostics_text, plural, print_diagnostics, summary, Report};
use crate::{Format, ServeArgs};
use paths::{content_type, resolve, Lookup, Refusal};
use reload::History;

/// How long a long poll waits for a rebuild before answering anyway.
const POLL_TIMEOUT: Duration = Duration::from_secs(25);
/// Changes closer together than this are rebuilt once (editors write in several steps). Short,
/// because it adds to every rebuild's latency and a rebuild of an edited page is cheap: a
/// half-written file costs one extra rebuild, and its last write always triggers another.
const DEBOUNCE: Duration = Duration::from_millis(10);

/// What the server holds between builds.
struct State {
    /// The last good build: output path → bytes (shared, so answering never copies the site).
    files: BTreeMap<String, Arc<[u8]>>,
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
    let watch_sender = sender.clone();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let message = match event {
            // The system's event queue overflowed: which files changed is unknown.
            Ok(event) if event.need_rescan() => {
                Event::Lost("the system dropped file events".to_owned())
            }
            Ok(event) if matches!(event.kind, notify::EventKind::Access(_)) => return,
            Ok(event) => Event::Changed(event.paths),
            Err(error) => Event::Lost(error.to_string()),
        };
        let _ = watch_sender.send(message);
    })
    .context("failed to start watching files")?;
    watcher
        .watch(&root, notify::RecursiveMode::Recursive)
        .with_context(|| format!("failed to watch {}", root.display()))?;
    let mut inputs = didact_site::read_inputs(&root)?;
    let started = Instant::now();
    let mut compiler = Compiler::new();
    let update = compiler.build(&inputs);
    print_diagnostics(&compiler, Format::Human);
    let shared = Arc::new(Shared {
        state: Mutex::new(State {
            files: BTreeMap::new(),
            generation: 0,
            errors: None,
            history: History::default(),
        }),
        rebuilt: Condvar::new(),
        stopping: AtomicBool::new(false),
    });
    let mirror = args.out.as_ref().map(|out| root.join(out));
    publish(&shared, &compiler, &update, started, mirror.as_deref())?;

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
        std::thread::spawn(move || {
            let mut session = Session {
                root: &root,
                inputs: &mut inputs,
                compiler: &mut compiler,
                mirror: mirror.as_deref(),
            };
            watch_loop(&mut session, &receiver, &sender, &shared);
        });
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

/// What the watcher thread works on.
struct Session<'a> {
    root: &'a Path,
    inputs: &'a mut Inputs,
    compiler: &'a mut Compiler,
    /// Where to mirror the output (`--out`), if anywhere.
    mirror: Option<&'a Path>,
}

/// What the watcher thread receives.
enum Event {
    /// Paths the file watcher reported.
    Changed(Vec<PathBuf>),
    /// The watcher failed or missed events (why): every input is read again.
    Lost(String),
    /// The course-wide outputs built on their own thread, and when that started.
    CourseWide(CourseWideOutputs, Instant),
}

/// Whether to start building the course-wide outputs: when they are out of date and no
/// build of them is running (a running one is dropped by the compiler if the course changed
/// meanwhile; one at a time keeps a burst of saves from piling up work).
fn start_course_wide(out_of_date: bool, running: bool) -> bool {
    out_of_date && !running
}

/// Wait for changes, debounce them, rebuild and publish the result, until stopped. The
/// course-wide outputs are built on another thread, so the next edit never waits for them.
fn watch_loop(
    session: &mut Session,
    receiver: &mpsc::Receiver<Event>,
    sender: &mpsc::Sender<Event>,
    shared: &Shared,
) {
    let mut running = false;
    while let Ok(event) = receiver.recv() {
        let (first, mut lost) = match event {
            Event::CourseWide(outputs, started) => {
                running = false;
                let update = session.compiler.apply_course_wide(outputs);
                if update.kind == BuildKind::CourseWide {
                    if let Err(error) =
                        publish(shared, session.compiler, &update, started, session.mirror)
                    {
                        eprintln!("error: {error:#}");
                    }
                }
                (Vec::new(), None)
            }
            Event::Changed(paths) => (paths, None),
            Event::Lost(why) => (Vec::new(), Some(why)),
        };
        if !first.is_empty() || lost.is_some() {
            // The latency we report runs from the moment the change is noticed.
            let noticed = Instant::now();
            let mut changed: BTreeSet<String> = BTreeSet::new();
            let root = session.root;
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
                match more {
                    Event::Changed(paths) => add(paths),
                    Event::Lost(why) => lost = Some(why),
                    // Built before these changes: out of date, rebuilt below if still needed.
                    Event::CourseWide(..) => running = false,
                }
            }
            if shared.stopping.load(Ordering::SeqCst) {
                return;
            }
            let changed: Vec<String> = changed.into_iter().collect();
            let changes = match lost {
                Some(why) => {
                    eprintln!("warning: file watching: {why}; reading the whole course again");
                    didact_site::read_inputs(root).map(|inputs| {
                        *session.inputs = inputs;
                        vec![InputChange::Everything]
                    })
                }
                None => apply_changes(session.inputs, root, &changed),
            };
            match changes {
                Ok(changes) => {
                    let update = session.compiler.rebuild(session.inputs, &changes);
                    if update.kind != BuildKind::Nothing {
                        print_diagnostics(&*session.compiler, Format::Human);
                        if let Err(error) =
                            publish(shared, session.compiler, &update, noticed, session.mirror)
                        {
                            eprintln!("error: {error:#}");
                        }
                    }
                }
                // A file can vanish between the event and the read (editors rename): say
                // it and keep serving; the next event brings the final state.
                Err(error) => eprintln!("error: {error:#}"),
            }
        }
        if start_course_wide(session.compiler.course_wide_pending(), running) {
            if let Some(job) = session.compiler.course_wide_job() {
                running = true;
                let sender = sender.clone();
                std::thread::spawn(move || {
                    let started = Instant::now();
                    let _ = sender.send(Event::CourseWide(job.run(), started));
                });
            }
        }
    }
}

/// Swap in the changed files of a good build, or keep the last ones and remember the errors;
/// wake the long polls; mirror the changes to disk when asked.
fn publish(
    shared: &Shared,
    compiler: &Compiler,
    update: &Update,
    started: Instant,
    mirror: Option<&Path>,
) -> anyhow::Result<()> {
    let report = Report::from(compiler);
    let failed = report.error_count() > 0;
    let mut state = shared.lock();
    state.generation += 1;
    let generation = state.generation;
    if failed {
        state.errors = Some(diagnostics_text(report));
        state.history.push(generation, BTreeSet::new());
    } else {
        let site = compiler.site().expect("a build without errors has a site");
        for path in &update.changed {
            match site.files.get(path) {
                Some(bytes) => {
                    state
                        .files
                        .insert(path.clone(), Arc::from(bytes.as_slice()));
                }
                None => {
                    state.files.remove(path);
                }
            }
        }
        state.errors = None;
        state.history.push(generation, update.changed.clone());
    }
    drop(state);
    shared.rebuilt.notify_all();
    let elapsed = started.elapsed().as_secs_f64() * 1000.0;
    if failed {
        eprintln!("{} — still serving the last good build", summary(report));
        return Ok(());
    }
    let what = match update.kind {
        BuildKind::Full => "built".to_string(),
        BuildKind::Pages(n) => format!("rebuilt {}", plural(n, "edited page")),
        BuildKind::CourseWide => "rebuilt the search index and course-wide pages".to_string(),
        BuildKind::Nothing => "updated".to_string(),
    };
    println!(
        "{what} in {elapsed:.1} ms: {} changed{}",
        plural(update.changed.len(), "file"),
        if report.warning_count() > 0 && update.kind != BuildKind::CourseWide {
            format!(" — {}", summary(report))
        } else {
            String::new()
        }
    );
    if let (Some(out), Some(site)) = (mirror, compiler.site()) {
        mirror_changes(out, &site.files, &update.changed)?;
    }
    Ok(())
}

/// Write the `changed` output files under `out` (or remove those no longer in `files`).
fn mirror_changes(
    out: &Path,
    files: &BTreeMap<String, Vec<u8>>,
    changed: &BTreeSet<String>,
) -> anyhow::Result<()> {
    for path in changed {
        let target = out.join(path);
        match files.get(path) {
            Some(bytes) => {
                if let Some(parent) = target.parent() {
                    std::fs::create_dir_all(parent)
                        .with_context(|| format!("failed to create {}", parent.display()))?;
                }
                std::fs::write(&target, bytes)
                    .with_context(|| format!("failed to write {}", target.display()))?;
            }
            None => {
                if target.is_file() {
                    std::fs::remove_file(&target)
                        .with_context(|| format!("failed to remove {}", target.display()))?;
                }
            }
        }
    }
    Ok(())
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
    let state = shared.lock();
    let (generation, failed, empty) = (
        state.generation,
        state.errors.is_some(),
        state.files.is_empty(),
    );
    let lookup = resolve(&url, |path| state.files.contains_key(path));
    let found = |path: &str| state.files.get(path).map(Arc::clone);
    let (wanted, not_found) = match &lookup {
        Ok(Lookup::File(path)) => (found(path), found("404.html")),
        _ => (None, None),
    };
    drop(state);
    match lookup {
        Err(Refusal::Forbidden) => request.respond(text_response(403, "forbidden")),
        Err(Refusal::BadRequest) => request.respond(text_response(400, "bad request")),
        Ok(Lookup::Redirect(location)) => {
            request.respond(Response::empty(301).with_header(header("Location", &location)))
        }
        Ok(Lookup::File(path)) => {
            let (status, path, bytes) = match wanted {
                Some(bytes) => (200, path, bytes.to_vec()),
                None if empty && failed && path.ends_with(".html") => {
                    // No good build yet: a blank page that shows the overlay.
                    let page = b"<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>didact</title></head><body></body></html>";
                    (200, path, page.to_vec())
                }
                // Browsers ask for it on their own; a course without one is not an error.
                None if path == "favicon.ico" => return request.respond(Response::empty(204)),
                None => match not_found {
                    Some(bytes) => (404, "404.html".to_string(), bytes.to_vec()),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn course_wide_outputs_are_built_once_at_a_time() {
        assert!(start_course_wide(true, false));
        assert!(!start_course_wide(true, true));
        assert!(!start_course_wide(false, false));
    }

    #[test]
    fn mirrored_changes_are_written_and_removals_removed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        std::fs::create_dir_all(out.join("m")).unwrap();
        std::fs::write(out.join("m/old.html"), "old").unwrap();
        let files = BTreeMap::from([("m/p.html".to_string(), b"new".to_vec())]);
        let changed = BTreeSet::from(["m/p.html".to_string(), "m/old.html".to_string()]);
        mirror_changes(out, &files, &changed).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("m/p.html")).unwrap(),
            "new"
        );
        assert!(!out.join("m/old.html").exists());
    }
}
