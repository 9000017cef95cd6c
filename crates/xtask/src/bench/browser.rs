//! Browser measurements from `file://` in headless Chromium, through chromedriver and a
//! minimal blocking WebDriver client (a few JSON requests over a plain TCP stream).
//!
//! 1. A copy of a quiz page gets a probe script as the first element of `<head>`: it notes
//!    (`performance.now()`) when `data-runtime` appears on `<html>` (set by `didact.js` once the
//!    widgets are mounted). 2. Chromium opens the copy from `file://`; the time from the `load`
//!    event to widgets ready is read back. 3. If the page has a search box, a query is typed
//!    and the time to the first change of the results is read back.

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};
use serde_json::{json, Value};

use super::incremental::free_port;

/// What one page load measured.
#[derive(Debug, Clone, Copy)]
pub struct PageLoad {
    /// Widgets ready, in ms since navigation start.
    pub ready_since_start_ms: f64,
    /// Widgets ready, in ms after the end of the `load` event (0 when ready before it).
    pub ready_after_load_ms: f64,
    /// Time the bootstrap took to unpack the runtime's module (`didactRuntimeUnpackMs`).
    pub unpack_ms: Option<f64>,
    /// Time from the `input` event in the search box to the first change of the page, in ms;
    /// `None` when the page has no search box.
    pub search_ms: Option<f64>,
}

/// Headless Chromium driven by chromedriver; both stopped when dropped.
pub struct Browser {
    driver: Child,
    port: u16,
    session: String,
    /// Chromium's own pid, so it is stopped even if the session cannot be closed.
    chromium_pid: Option<u32>,
}

/// The probe inserted at the start of `<head>`.
const PROBE: &str = r#"<script>window.__bench={};new MutationObserver(function(){if(!window.__bench.ready&&document.documentElement.getAttribute("data-runtime")){window.__bench.ready=performance.now();window.__bench.state=document.documentElement.getAttribute("data-runtime");}}).observe(document.documentElement,{attributes:true});</script>"#;

/// The search box the runtime or the templates may provide.
const SEARCH_SELECTOR: &str = "input[type=search], [data-search] input, input[data-search]";

impl Browser {
    /// Start chromedriver and a headless Chromium session.
    pub fn start(profile: &Path) -> anyhow::Result<Browser> {
        let chromedriver = super::tools::find_program("chromedriver")
            .context("chromedriver not found (apt-get install chromium chromium-driver)")?;
        let chromium = super::tools::find_program("chromium")
            .context("chromium not found (apt-get install chromium chromium-driver)")?;
        let port = free_port()?;
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("failed to start chromedriver")?;
        let mut browser = Browser {
            driver,
            port,
            session: String::new(),
            chromium_pid: None,
        };
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--disable-background-networking", "--disable-component-update", "--no-first-run",
                         "--window-size=1280,900", format!("--user-data-dir={}", profile.display())]
            }
        }}});
        let deadline = Instant::now() + Duration::from_secs(30);
        let response = loop {
            match browser.request("POST", "/session", &capabilities) {
                Ok(response) => break response,
                Err(_) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(150))
                }
                Err(error) => return Err(error.context("cannot start a Chromium session")),
            }
        };
        browser.session = response["value"]["sessionId"]
            .as_str()
            .context("no session id in the WebDriver answer")?
            .to_string();
        browser.chromium_pid = response["value"]["capabilities"]["goog:processID"]
            .as_u64()
            .and_then(|pid| u32::try_from(pid).ok());
        Ok(browser)
    }

    /// Open `page` (a probe copy made by [`write_probe_page`]) and measure it.
    pub fn measure_page(&mut self, page: &Path) -> anyhow::Result<PageLoad> {
        let url = format!("file://{}", page.display());
        self.command("POST", "url", &json!({"url": "about:blank"}))?;
        self.command("POST", "url", &json!({ "url": url }))?;
        let deadline = Instant::now() + Duration::from_secs(20);
        let timing = loop {
            let value = self.execute(
                "var nav = performance.getEntriesByType('navigation')[0];
                 return {ready: window.__bench && window.__bench.ready || null,
                         state: window.__bench && window.__bench.state || null,
                         unpack: typeof window.didactRuntimeUnpackMs === 'number' ? window.didactRuntimeUnpackMs : null,
                         load: nav ? nav.loadEventEnd : 0};",
            )?;
            if value["ready"].is_number() && value["load"].as_f64().unwrap_or(0.0) > 0.0 {
                break value;
            }
            if Instant::now() > deadline {
                bail!("the widgets of {url} were never ready: {value}");
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        if timing["state"] != "ready" {
            bail!("the runtime of {url} failed to start: {timing}");
        }
        let ready = timing["ready"].as_f64().unwrap_or(0.0);
        let load = timing["load"].as_f64().unwrap_or(0.0);
        let search_ms = self.measure_search()?;
        Ok(PageLoad {
            ready_since_start_ms: ready,
            ready_after_load_ms: (ready - load).max(0.0),
            unpack_ms: timing["unpack"].as_f64(),
            search_ms,
        })
    }

    /// Type `facture` into the search box, if any, and time the first change of the page.
    fn measure_search(&mut self) -> anyhow::Result<Option<f64>> {
        let script = format!(
            "var done = arguments[arguments.length - 1];
             var box = document.querySelector({selector:?});
             if (!box) {{ done(null); return; }}
             var started = performance.now();
             var observer = new MutationObserver(function () {{
               observer.disconnect(); done(performance.now() - started);
             }});
             observer.observe(document.body, {{subtree: true, childList: true, characterData: true, attributes: true}});
             box.focus(); box.value = 'facture';
             box.dispatchEvent(new Event('input', {{bubbles: true}}));
             setTimeout(function () {{ observer.disconnect(); done(-1); }}, 5000);",
            selector = SEARCH_SELECTOR
        );
        let value = self.command(
            "POST",
            "execute/async",
            &json!({"script": script, "args": []}),
        )?;
        Ok(match value["value"].as_f64() {
            Some(ms) if ms >= 0.0 => Some(ms),
            Some(_) => bail!("typing in the search box changed nothing within 5 s"),
            None => None,
        })
    }

    fn execute(&mut self, script: &str) -> anyhow::Result<Value> {
        let value = self.command(
            "POST",
            "execute/sync",
            &json!({"script": script, "args": []}),
        )?;
        Ok(value["value"].clone())
    }

    fn command(&mut self, method: &str, path: &str, body: &Value) -> anyhow::Result<Value> {
        let path = format!("/session/{}/{path}", self.session);
        self.request(method, &path, body)
    }

    /// One WebDriver request; `Connection: close` so the answer is everything until EOF.
    fn request(&self, method: &str, path: &str, body: &Value) -> anyhow::Result<Value> {
        let mut stream =
            TcpStream::connect(("127.0.0.1", self.port)).context("connect to chromedriver")?;
        stream.set_read_timeout(Some(Duration::from_secs(60)))?;
        let body = body.to_string();
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.port,
            body.len()
        )?;
        // chromedriver keeps the connection open despite `Connection: close`: read the head,
        // then exactly Content-Length bytes (or chunks until the last one).
        let mut answer = Vec::new();
        let mut buffer = [0u8; 16 * 1024];
        let (head, payload) = loop {
            let n = stream
                .read(&mut buffer)
                .context("read the WebDriver answer")?;
            answer.extend_from_slice(&buffer[..n]);
            let text = String::from_utf8_lossy(&answer).into_owned();
            if let Some((head, payload)) = text.split_once("\r\n\r\n") {
                let lower = head.to_ascii_lowercase();
                let length = lower
                    .lines()
                    .find_map(|line| line.strip_prefix("content-length:"))
                    .and_then(|length| length.trim().parse::<usize>().ok());
                let complete = match length {
                    Some(length) => payload.len() >= length,
                    None => !lower.contains("chunked") || payload.ends_with("0\r\n\r\n"),
                };
                if complete || n == 0 {
                    let payload = if lower.contains("transfer-encoding: chunked") {
                        dechunk(payload)
                    } else {
                        payload.to_string()
                    };
                    break (head.to_string(), payload);
                }
            }
            if n == 0 {
                bail!("chromedriver closed the connection mid-answer");
            }
        };
        let value: Value = serde_json::from_str(&payload)
            .with_context(|| format!("WebDriver answered {head}: {payload}"))?;
        if !head.starts_with("HTTP/1.1 200") {
            bail!("WebDriver {method} {path} failed: {value}");
        }
        Ok(value)
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.request("DELETE", &format!("/session/{}", self.session), &json!({}));
        }
        if let Some(pid) = self.chromium_pid {
            // Normally gone with the session; this pid is the browser we started.
            let _ = Command::new("kill")
                .arg(pid.to_string())
                .stderr(Stdio::null())
                .status();
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Write a copy of `page` with the probe script, next to it (so relative links still work).
pub fn write_probe_page(page: &Path) -> anyhow::Result<PathBuf> {
    let html = std::fs::read_to_string(page)
        .with_context(|| format!("failed to read {}", page.display()))?;
    let probed = insert_probe(&html).with_context(|| format!("no <head> in {}", page.display()))?;
    let res = page.with_file_name("bench-probe.html");
    std::fs::write(&res, probed).with_context(|| format!("failed to write {}", res.display()))?;
    Ok(res)
}

fn insert_probe(html: &str) -> Option<String> {
    let head = html.find("<head")?;
    let end = head + html[head..].find('>')? + 1;
    Some(format!("{}{PROBE}{}", &html[..end], &html[end..]))
}

fn dechunk(payload: &str) -> String {
    let mut res = String::new();
    let mut rest = payload;
    while let Some((size, after)) = rest.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if size == 0 || after.len() < size {
            break;
        }
        res.push_str(&after[..size]);
        rest = after[size..].trim_start_matches("\r\n");
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_probe_is_the_first_element_of_head() {
        let probed =
            insert_probe("<html><head lang=\"fr\"><title>x</title></head></html>").unwrap();
        assert!(
            probed.starts_with(&format!("<html><head lang=\"fr\">{PROBE}<title>")),
            "{probed}"
        );
        assert_eq!(insert_probe("<p>no head</p>"), None);
    }

    #[test]
    fn chunked_answers_are_joined() {
        assert_eq!(dechunk("4\r\n{\"a\"\r\n3\r\n:1}\r\n0\r\n\r\n"), "{\"a\":1}");
    }
}
