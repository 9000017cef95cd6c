//! WebDriver plumbing: drivers, sessions with the real file:// defaults, console errors.

use std::collections::HashMap;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

/// The two browsers every interactive feature is tested in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Browser {
    Chromium,
    Firefox,
}

pub const BROWSERS: [Browser; 2] = [Browser::Chromium, Browser::Firefox];

/// Browser tests run one at a time: the machines have two cores.
pub fn serial() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is inside the repository")
        .to_path_buf()
}

/// Build the course at `root` into a new temporary folder and return it (kept for the run).
pub fn build_course(root: &Path) -> PathBuf {
    let result = didact_site::build(root).expect("the course can be read");
    let errors: Vec<String> = result
        .diagnostics
        .iter()
        .map(|d| didact_diag_text(d, &result))
        .collect();
    let site = result
        .site
        .as_ref()
        .unwrap_or_else(|| panic!("the course has errors:\n{}", errors.join("\n")));
    let dir = tempfile::Builder::new()
        .prefix("didact-e2e-")
        .tempdir()
        .expect("temp dir")
        .keep();
    let out = dir.join("site");
    didact_site::write_site(site, &out).expect("site written");
    out
}

fn didact_diag_text(d: &didact_site::Diagnostic, result: &didact_site::BuildResult) -> String {
    didact_site::render_diagnostic(d, &result.files)
}

/// The bundled course, built once per test run.
pub fn bundled_site() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| build_course(&repo_root()))
}

/// The course of `tests/fixtures/<name>`, built once per test run.
pub fn fixture_site(name: &'static str) -> &'static Path {
    static SITES: Mutex<Option<HashMap<&'static str, &'static Path>>> = Mutex::new(None);
    let mut sites = SITES
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    sites
        .get_or_insert_with(HashMap::new)
        .entry(name)
        .or_insert_with(|| {
            let site = build_course(&repo_root().join("tests/fixtures").join(name));
            Box::leak(site.into_boxed_path())
        })
}

/// `file://` URL of `path` inside `site`.
pub fn file_url(site: &Path, path: &str) -> String {
    format!("file://{}/{}", site.display(), path)
}

/// A running WebDriver server, killed on drop.
pub struct Driver {
    child: Child,
    pub port: u16,
    pub log: PathBuf,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind a free port")
        .local_addr()
        .expect("local addr")
        .port()
}

fn find_program(names: &[&str], hint: &str) -> PathBuf {
    for name in names {
        if let Some(path) = std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|dir| dir.join(name))
                .find(|candidate| candidate.is_file())
        }) {
            return path;
        }
        let path = PathBuf::from(name);
        if path.is_absolute() && path.is_file() {
            return path;
        }
    }
    panic!("{} not found. {hint}", names[0]);
}

impl Browser {
    fn start_driver(self) -> Driver {
        let port = free_port();
        let log = tempfile::Builder::new()
            .prefix("didact-driver-")
            .suffix(".log")
            .tempfile()
            .expect("log file")
            .keep()
            .expect("keep log")
            .1;
        let log_file = std::fs::File::create(&log).expect("log file");
        let mut command = match self {
            Browser::Chromium => {
                let driver = find_program(
                    &["chromedriver", "/usr/bin/chromedriver"],
                    "Install it with: apt-get install chromium chromium-driver (or run .ci/run)",
                );
                let mut c = Command::new(driver);
                c.arg(format!("--port={port}"));
                c
            }
            Browser::Firefox => {
                let driver = find_program(&["geckodriver"], "Install it with: cargo install geckodriver --version 0.37.1 (and apt-get install firefox-esr), or run .ci/run");
                let mut c = Command::new(driver);
                c.args(["--port", &port.to_string(), "--log", "info"]);
                c
            }
        };
        let child = command
            .stdout(Stdio::from(log_file.try_clone().expect("clone log")))
            .stderr(Stdio::from(log_file))
            .spawn()
            .unwrap_or_else(|e| panic!("failed to start the {self:?} WebDriver: {e}"));
        Driver { child, port, log }
    }

    fn capabilities(self, profile: &Path) -> serde_json::Map<String, Value> {
        let caps = match self {
            Browser::Chromium => {
                let binary = find_program(
                    &["chromium", "/usr/bin/chromium"],
                    "Install it with: apt-get install chromium chromium-driver (or run .ci/run)",
                );
                json!({
                    "browserName": "chrome",
                    "goog:loggingPrefs": {"browser": "ALL"},
                    "goog:chromeOptions": {
                        "binary": binary,
                        "args": [
                            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                            "--disable-quic", "--disable-background-networking", "--disable-component-update",
                            "--disable-sync", "--no-first-run", "--window-size=1280,900",
                            format!("--user-data-dir={}", profile.display()),
                        ]
                    }
                })
            }
            Browser::Firefox => {
                let binary = find_program(
                    &["firefox-esr", "/usr/bin/firefox-esr", "firefox"],
                    "Install it with: apt-get install firefox-esr (or run .ci/run)",
                );
                json!({
                    "browserName": "firefox",
                    "moz:firefoxOptions": {
                        "binary": binary,
                        "args": ["-headless", "-profile", profile.display().to_string()],
                        "prefs": {
                            // The real defaults for file://, which automation may relax.
                            "privacy.file_unique_origin": true,
                            "security.fileuri.strict_origin_policy": true,
                            // Console messages to stdout, so the harness can see errors.
                            "devtools.console.stdout.content": true,
                            "browser.dom.window.dump.enabled": true,
                            "network.proxy.type": 0,
                            "app.update.enabled": false,
                            "browser.shell.checkDefaultBrowser": false,
                            // No background traffic on this closed network.
                            "app.normandy.enabled": false,
                            "messaging-system.rsexperimentloader.enabled": false,
                            "datareporting.policy.dataSubmissionEnabled": false,
                            "browser.region.update.enabled": false,
                        }
                    }
                })
            }
        };
        caps.as_object().expect("an object").clone()
    }
}

/// One browser session with its driver; checks for console errors when finished.
pub struct Session {
    pub client: Client,
    pub browser: Browser,
    driver: Driver,
    /// The browser's profile folder, deleted when the session finishes unless
    /// [`Session::profile_for_restart`] asked to keep it.
    profile: PathBuf,
    keep_profile: std::cell::Cell<bool>,
}

impl Session {
    /// Start `browser` with a new profile folder.
    pub async fn start(browser: Browser) -> Session {
        let profile = tempfile::Builder::new()
            .prefix("didact-profile-")
            .tempdir()
            .expect("profile")
            .keep();
        Self::start_with_profile(browser, profile).await
    }

    /// Start `browser` on an existing profile folder (a "browser restart").
    pub async fn start_with_profile(browser: Browser, profile: PathBuf) -> Session {
        let driver = browser.start_driver();
        let url = format!("http://127.0.0.1:{}", driver.port);
        let deadline = Instant::now() + Duration::from_secs(30);
        let client = loop {
            let mut builder =
                ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
            builder.capabilities(browser.capabilities(&profile));
            match builder.connect(&url).await {
                Ok(client) => break client,
                Err(error) if Instant::now() < deadline => {
                    let _ = error;
                    tokio::time::sleep(Duration::from_millis(150)).await;
                }
                Err(error) => panic!(
                    "cannot start a {browser:?} session: {error}\ndriver log:\n{}",
                    std::fs::read_to_string(&driver.log).unwrap_or_default()
                ),
            }
        };
        client
            .set_window_size(1280, 900)
            .await
            .expect("window size");
        Session {
            client,
            browser,
            driver,
            profile,
            keep_profile: std::cell::Cell::new(false),
        }
    }

    /// Open `url` and wait until the interactive runtime reports ready (or failed).
    pub async fn open(&self, url: &str) {
        self.goto(url).await;
        self.wait_runtime().await;
    }

    /// Open `url` without waiting for the runtime: for test pages that have none.
    pub async fn goto(&self, url: &str) {
        self.client
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("cannot open {url}: {e}"));
    }

    /// Reload the page and wait for the runtime again.
    pub async fn reload(&self) {
        self.client.refresh().await.expect("reload");
        self.wait_runtime().await;
    }

    /// Run `script` in the page and return its value.
    pub async fn js(&self, script: &str) -> Value {
        self.client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("script failed: {script}: {e}"))
    }

    /// The JSON value saved under `key` in `localStorage`.
    pub async fn storage(&self, key: &str) -> Value {
        let text = self
            .js(&format!("return localStorage.getItem({key:?})"))
            .await;
        let text = text
            .as_str()
            .unwrap_or_else(|| panic!("nothing saved under {key}"));
        serde_json::from_str(text)
            .unwrap_or_else(|e| panic!("{key} holds invalid JSON {text}: {e}"))
    }

    /// Press and release each key in turn.
    pub async fn keys(&self, keys: &[Key]) {
        let values = keys
            .iter()
            .map(|key| key.chars().next().expect("a key code"));
        self.press(values, "keys").await;
    }

    /// Type `text` key by key, as a keyboard would.
    pub async fn type_text(&self, text: &str) {
        self.press(text.chars(), "typing").await;
    }

    async fn press(&self, values: impl Iterator<Item = char>, what: &str) {
        let mut actions = KeyActions::new("keyboard".to_owned());
        for value in values {
            actions = actions
                .then(KeyAction::Down { value })
                .then(KeyAction::Up { value });
        }
        self.client
            .perform_actions(actions)
            .await
            .unwrap_or_else(|e| panic!("{what}: {e}"));
    }

    /// Alt + `key` on the focused element.
    pub async fn alt(&self, key: Key) {
        let alt = Key::Alt.chars().next().expect("a key code");
        let value = key.chars().next().expect("a key code");
        let actions = KeyActions::new("keyboard".to_owned())
            .then(KeyAction::Down { value: alt })
            .then(KeyAction::Down { value })
            .then(KeyAction::Up { value })
            .then(KeyAction::Up { value: alt });
        self.client
            .perform_actions(actions)
            .await
            .expect("alt chord");
    }

    /// Presses Tab (`tries` times at most) until the focus reaches `css`.
    pub async fn tab_to(&self, css: &str, tries: usize) {
        let script = format!("return document.activeElement.matches({css:?})");
        for _ in 0..tries {
            if self.js(&script).await == true {
                return;
            }
            self.keys(&[Key::Tab]).await;
        }
        let active = self
            .js("return document.activeElement.outerHTML.slice(0, 200)")
            .await;
        panic!(
            "{:?}: Tab never reached {css}; focus is on {active}",
            self.browser
        );
    }

    /// Waits until the focused element matches `css`.
    pub async fn expect_focus(&self, css: &str) {
        let script =
            format!("return document.activeElement && document.activeElement.matches({css:?})");
        self.wait_value(&script, |v| v == true).await;
    }

    /// Wait for `<html data-runtime>` to be set by didact.js.
    pub async fn wait_runtime(&self) {
        let state = self
            .wait_value(
                "return document.documentElement.getAttribute('data-runtime')",
                |v| v.is_string(),
            )
            .await;
        assert_eq!(state, json!("ready"), "the wasm runtime did not start");
    }

    /// Poll a script until `ok(value)` (10 s at most) and return the value.
    pub async fn wait_value(&self, script: &str, ok: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let value = self
                .client
                .execute(script, vec![])
                .await
                .unwrap_or(Value::Null);
            if ok(&value) {
                return value;
            }
            if Instant::now() > deadline {
                panic!("timed out waiting for `{script}` (last value {value})");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Wait until the element matching `css` shows text containing `needle`; return the text.
    pub async fn wait_text(&self, css: &str, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let text = match self.client.find(Locator::Css(css)).await {
                Ok(element) => element.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if text.contains(needle) {
                return text;
            }
            if Instant::now() > deadline {
                panic!("timed out waiting for `{needle}` in `{css}` (text was {text:?})");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Click the element matching `css`.
    pub async fn click(&self, css: &str) {
        let element = self
            .client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element `{css}`: {e}"));
        element
            .click()
            .await
            .unwrap_or_else(|e| panic!("cannot click `{css}`: {e}"));
    }

    /// Current page path relative to `site`.
    pub async fn current_path(&self, site: &Path) -> String {
        let url = self
            .client
            .current_url()
            .await
            .expect("current url")
            .to_string();
        let prefix = format!("file://{}/", site.display());
        url.strip_prefix(&prefix)
            .unwrap_or(&url)
            .split('#')
            .next()
            .unwrap_or("")
            .to_string()
    }

    /// Every console error the browser reported so far.
    pub async fn console_errors(&self) -> Vec<String> {
        match self.browser {
            Browser::Chromium => {
                let logs = self
                    .client
                    .issue_cmd(ChromiumLog)
                    .await
                    .unwrap_or(Value::Null);
                logs.as_array()
                    .map(|entries| {
                        entries
                            .iter()
                            .filter(|e| e["level"] == "SEVERE")
                            .map(|e| e["message"].as_str().unwrap_or("").to_string())
                            .collect()
                    })
                    .unwrap_or_default()
            }
            Browser::Firefox => {
                let log = std::fs::read_to_string(&self.driver.log).unwrap_or_default();
                log.lines()
                    .filter(|l| is_content_error(l))
                    .map(str::to_string)
                    .collect()
            }
        }
    }

    /// The profile folder, kept when this session finishes, for a "browser restart" with
    /// [`Session::start_with_profile`] (that session deletes it in turn).
    pub fn profile_for_restart(&self) -> PathBuf {
        self.keep_profile.set(true);
        self.profile.clone()
    }

    /// Close the browser and delete its profile (unless kept for a restart): a profile is
    /// tens of MB, and a run of the suite starts about a hundred sessions.
    async fn close(self) {
        let Session {
            client,
            driver,
            profile,
            keep_profile,
            ..
        } = self;
        let _ = client.close().await;
        // The driver stops (and its browser with it) before the profile goes.
        drop(driver);
        if !keep_profile.get() {
            let _ = std::fs::remove_dir_all(&profile);
        }
    }

    /// End the session; fail when the browser reported a console error.
    pub async fn finish(self) {
        let errors = self.console_errors().await;
        let browser = self.browser;
        self.close().await;
        assert!(
            errors.is_empty(),
            "{:?} console errors:\n{}",
            browser,
            errors.join("\n")
        );
    }

    /// End the session and return the console errors instead of failing on them.
    pub async fn finish_collecting(self) -> Vec<String> {
        let errors = self.console_errors().await;
        self.close().await;
        errors
    }
}

/// Whether a line of Firefox's stdout (with `devtools.console.stdout.content`) is an error
/// of the page. Firefox's own chrome code logs too (`console.error: RSLoader: …`,
/// `JavaScript error: resource://…`); those are not the page's.
fn is_content_error(line: &str) -> bool {
    if let Some(rest) = line.strip_prefix("JavaScript error: ") {
        return !rest.starts_with("resource://") && !rest.starts_with("chrome://");
    }
    if let Some(rest) = line.strip_prefix("console.error: ") {
        // Chrome-code consoles print a `Prefix: ` first; page messages print their values.
        let chrome_prefix = rest.split_once(": ").is_some_and(|(prefix, _)| {
            !prefix.is_empty() && prefix.chars().all(|c| c.is_ascii_alphanumeric())
        });
        return !chrome_prefix && !rest.trim().ends_with(':');
    }
    false
}

#[test]
fn firefox_console_lines_are_classified() {
    assert!(is_content_error(r#"console.error: "CONTENT-ERR" ({a:1})"#));
    assert!(is_content_error(
        "JavaScript error: file:///tmp/c.html, line 1: Error: boom"
    ));
    assert!(!is_content_error("console.error: RSLoader: "));
    assert!(!is_content_error(
        "JavaScript error: resource://gre/modules/X.sys.mjs, line 50: TypeError"
    ));
    assert!(!is_content_error(r#"console.warn: "careful""#));
}

/// Chromium's log endpoint (`goog:loggingPrefs` must ask for the browser log).
#[derive(Debug)]
struct ChromiumLog;

impl fantoccini::wd::WebDriverCompatibleCommand for ChromiumLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/se/log", session_id.unwrap_or("")))
    }
    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({"type": "browser"}).to_string()),
        )
    }
}

/// Run an async browser test on a fresh runtime, serialised with the other browser tests.
pub fn run<F: std::future::Future<Output = ()>>(test: F) {
    let _guard = serial();
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime")
        .block_on(test);
}
