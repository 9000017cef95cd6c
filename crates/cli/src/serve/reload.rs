//! What a browser tab must do after a rebuild, and the script that asks. Plain functions.

use std::collections::BTreeSet;

/// The live-reload script, served at [`SCRIPT_URL`].
pub const SCRIPT: &str = include_str!("live-reload.js");
/// Where the script is served (never part of the built output).
pub const SCRIPT_URL: &str = "/__didact/live-reload.js";
/// The long-polling endpoint.
pub const EVENTS_URL: &str = "/__didact/events";

/// Which output files changed in each build generation, oldest first, bounded.
#[derive(Debug, Default)]
pub struct History {
    entries: Vec<(u64, BTreeSet<String>)>,
}

impl History {
    const KEPT: usize = 64;

    /// Record that `generation` changed `paths` (empty for a failed build).
    pub fn push(&mut self, generation: u64, paths: BTreeSet<String>) {
        self.entries.push((generation, paths));
        if self.entries.len() > Self::KEPT {
            self.entries.remove(0);
        }
    }

    /// Whether a tab showing output `page`, loaded at generation `since`, must reload now.
    ///
    /// It reloads when its own page changed, or any stylesheet, script or image changed (the
    /// search index excepted: pages load it only when searching). A tab older than the kept
    /// history reloads to be safe.
    pub fn needs_reload(&self, since: u64, page: &str) -> bool {
        let first_kept = self.entries.first().map_or(u64::MAX, |(g, _)| *g);
        if since + 1 < first_kept && self.entries.iter().any(|(g, _)| *g > since) {
            return true;
        }
        self.entries
            .iter()
            .filter(|(generation, _)| *generation > since)
            .flat_map(|(_, paths)| paths)
            .any(|path| path == page || (!path.ends_with(".html") && path != SEARCH_INDEX))
    }
}

const SEARCH_INDEX: &str = "assets/search-index.js";

/// Add the live-reload script to a served HTML page, just before `</body>`.
pub fn inject_script(html: &[u8], generation: u64) -> Vec<u8> {
    let tag = format!("<script src=\"{SCRIPT_URL}\" data-generation=\"{generation}\"></script>");
    let text = String::from_utf8_lossy(html);
    let mut res = match text.rfind("</body>") {
        Some(at) => format!("{}{tag}{}", &text[..at], &text[at..]),
        None => format!("{text}{tag}"),
    };
    res.shrink_to_fit();
    res.into_bytes()
}

/// The JSON answer of [`EVENTS_URL`].
pub fn event_json(generation: u64, errors: Option<&str>, reload: bool) -> String {
    format!(
        "{{\"generation\":{generation},\"errors\":{},\"reload\":{reload}}}",
        errors.map_or_else(|| "null".to_string(), didact_diag::json_string)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn history(entries: &[(u64, &[&str])]) -> History {
        let mut res = History::default();
        for (generation, paths) in entries {
            res.push(*generation, paths.iter().map(|p| p.to_string()).collect());
        }
        res
    }

    #[test]
    fn a_tab_reloads_when_its_page_changed_since_it_loaded() {
        let h = history(&[(1, &["m/p.html", "assets/search-index.js"]), (2, &[])]);
        assert!(h.needs_reload(0, "m/p.html"));
        assert!(!h.needs_reload(1, "m/p.html"));
        assert!(!h.needs_reload(0, "m/q.html"));
    }

    #[test]
    fn a_changed_stylesheet_reloads_every_tab() {
        let h = history(&[(1, &["assets/didact.css"])]);
        assert!(h.needs_reload(0, "index.html"));
    }

    #[test]
    fn a_tab_older_than_the_history_reloads() {
        let mut h = History::default();
        for generation in 1..=100 {
            h.push(generation, BTreeSet::new());
        }
        assert!(h.needs_reload(3, "index.html"));
        assert!(!h.needs_reload(100, "index.html"));
    }

    #[test]
    fn the_script_goes_before_the_end_of_body() {
        let html = inject_script(b"<html><body><p>x</p></body></html>", 7);
        assert_eq!(
            String::from_utf8(html).unwrap(),
            "<html><body><p>x</p><script src=\"/__didact/live-reload.js\" data-generation=\"7\"></script></body></html>"
        );
    }

    #[test]
    fn events_are_json() {
        assert_eq!(
            event_json(3, Some("error[x]: \"y\"\n"), false),
            r#"{"generation":3,"errors":"error[x]: \"y\"\n","reload":false}"#
        );
        assert_eq!(
            event_json(4, None, true),
            r#"{"generation":4,"errors":null,"reload":true}"#
        );
    }
}
