//! `didact check --external`: is every `http(s)://` link of the course still alive?
//!
//! 1. Each distinct URL is asked once, by a few worker threads.
//! 2. A `HEAD` request comes first; when the server answers it with an error status, a `GET`
//!    follows (many servers refuse or mishandle `HEAD`). Redirects are followed.
//! 3. A URL still failing becomes one `external-link-broken` warning per place it is written.
//!
//! Nothing here runs without `--external`: a plain `check` makes no network access.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

use didact_diag::{Diagnostic, Span};

/// How to check external links.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Time allowed for each request (connecting included).
    pub timeout: Duration,
    /// Requests in flight at once.
    pub concurrency: usize,
}

/// What asking a URL gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// The final status after redirects.
    Status(u16),
    /// No HTTP answer: the error, in words.
    Failed(String),
}

/// Check every link of `links` (URL, where it is written); one warning per broken use.
pub fn check_external_links(links: &[(String, Span)], options: Options) -> Vec<Diagnostic> {
    let mut by_url: BTreeMap<&str, Vec<Span>> = BTreeMap::new();
    for (url, span) in links {
        by_url.entry(url).or_default().push(*span);
    }
    let urls: Vec<&str> = by_url.keys().copied().collect();
    let verdicts = ask_all(&urls, options);
    let mut res = Vec::new();
    for (url, verdict) in urls.iter().zip(verdicts) {
        let Some(reason) = verdict else { continue };
        for span in &by_url[url] {
            res.push(
                Diagnostic::warning(
                    "external-link-broken",
                    format!("link to `{url}` is broken: {reason}"),
                    *span,
                )
                .with_help("open it in a browser; fix the address or remove the link"),
            );
        }
    }
    res
}

/// Why a URL counts as broken, from the `HEAD` answer and the `GET` answer when one was
/// needed; `None` when it is alive.
pub fn verdict(head: &Answer, get: Option<&Answer>) -> Option<String> {
    let answer = match (head, get) {
        (Answer::Status(status), _) if *status < 400 => return None,
        (Answer::Status(_), Some(get)) => get,
        (head, _) => head,
    };
    match answer {
        Answer::Status(status) if *status < 400 => None,
        Answer::Status(status) => Some(format!("HTTP {status}")),
        Answer::Failed(error) => Some(error.clone()),
    }
}

/// Whether a `HEAD` answer calls for a `GET`: an error status (a transport failure would only
/// fail again, after another timeout).
pub fn needs_get(head: &Answer) -> bool {
    matches!(head, Answer::Status(status) if *status >= 400)
}

/// The verdict of each URL, in order, asked by `options.concurrency` threads.
fn ask_all(urls: &[&str], options: Options) -> Vec<Option<String>> {
    let agent = ureq::AgentBuilder::new()
        .timeout(options.timeout)
        .redirects(10)
        .user_agent(concat!(
            "didact/",
            env!("CARGO_PKG_VERSION"),
            " (link check)"
        ))
        .build();
    let next = Mutex::new(0usize);
    let results = Mutex::new(vec![None; urls.len()]);
    std::thread::scope(|scope| {
        for _ in 0..options.concurrency.clamp(1, urls.len().max(1)) {
            scope.spawn(|| loop {
                let i = {
                    let mut next = next.lock().unwrap_or_else(|p| p.into_inner());
                    let i = *next;
                    *next += 1;
                    i
                };
                let Some(url) = urls.get(i) else { break };
                let head = ask(&agent, "HEAD", url);
                let get = needs_get(&head).then(|| ask(&agent, "GET", url));
                let verdict = verdict(&head, get.as_ref());
                results.lock().unwrap_or_else(|p| p.into_inner())[i] = verdict;
            });
        }
    });
    results.into_inner().unwrap_or_else(|p| p.into_inner())
}

fn ask(agent: &ureq::Agent, method: &str, url: &str) -> Answer {
    match agent.request(method, url).call() {
        Ok(response) => Answer::Status(response.status()),
        Err(ureq::Error::Status(status, _)) => Answer::Status(status),
        Err(ureq::Error::Transport(error)) => Answer::Failed(transport_error(&error)),
    }
}

/// A transport error in a few words: `connection refused`, `timed out`, `dns failed`…
fn transport_error(error: &ureq::Transport) -> String {
    let kind = error.kind().to_string();
    let detail = std::error::Error::source(error)
        .map(|s| s.to_string())
        .or_else(|| error.message().map(str::to_string));
    match detail {
        Some(detail) => format!("{}: {detail}", kind.to_lowercase()),
        None => kind.to_lowercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(head: Answer, get: Option<Answer>, expected: Option<&str>) {
        assert_eq!(verdict(&head, get.as_ref()).as_deref(), expected);
    }

    #[test]
    fn a_good_head_answer_is_enough() {
        check(Answer::Status(200), None, None);
        check(Answer::Status(204), None, None);
        assert!(!needs_get(&Answer::Status(200)));
    }

    #[test]
    fn a_refused_head_is_retried_with_get() {
        assert!(needs_get(&Answer::Status(405)));
        check(Answer::Status(405), Some(Answer::Status(200)), None);
        check(
            Answer::Status(404),
            Some(Answer::Status(404)),
            Some("HTTP 404"),
        );
        check(
            Answer::Status(403),
            Some(Answer::Failed("timed out".into())),
            Some("timed out"),
        );
    }

    #[test]
    fn a_transport_failure_is_not_retried() {
        let refused = Answer::Failed("connection failed: connection refused".into());
        assert!(!needs_get(&refused));
        check(refused, None, Some("connection failed: connection refused"));
    }
}
