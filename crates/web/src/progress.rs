//! Saved progress: the same learner data on every page, including from `file://` in Firefox
//! where every page has its own `localStorage`.
//!
//! 1. Every page embeds a hidden `storage.html` (the *storage hub*): always the same file,
//!    hence always the same storage, whatever page hosts it. It keeps the course's
//!    [`document::Document`] under `didact-hub:<course>`.
//! 2. Widgets keep reading and writing the page's own `didact:<course>:<name>` keys. The
//!    page's glue (`didact.js`) sends [`progress_local`] to the hub when the page opens and
//!    [`progress_changes`] after each interaction; the hub merges it into its copy with
//!    [`progress_merge`] and answers with the result, which the page writes back to its keys
//!    with [`progress_apply`]. Nothing is overwritten blindly: every exchange is a merge.
//! 3. Export is the merged document as a file; import validates a file
//!    ([`document::parse_import`]) and merges it the same way; reset records a reset time
//!    that removes every older entry everywhere it meets one.
//! 4. [`progress_mount`] marks the page read and fills « Ma progression », the navigation
//!    indicator and the sidebar's « lue » marks from the merged values.
//!
//! The merge, the validation and the counting are pure (`document`, `local`, `summary`) and
//! tested natively; this file only moves strings between them and the browser.

pub mod document;
pub mod local;
pub mod summary;
#[cfg(test)]
mod tests;

use didact_map::VecMap;

use wasm_bindgen::prelude::*;
use web_sys::{Document as HtmlDocument, Element, Storage};

use document::{merge, merge_import, parse, parse_import, Document};
use local::{local_document, writes, Write};
use summary::{summarise, Item, ItemKind, Saved, Tally, READ_PREFIX};

/// The page-local key holding the snapshot: `didact-sync:<course>`.
const SNAPSHOT_PREFIX: &str = "didact-sync:";

/// The page's document: its snapshot plus what changed since (see [`local::local_document`]).
#[wasm_bindgen]
pub fn progress_local(course: &str, now: f64) -> String {
    let (snapshot, current) = read_local(course);
    local_document(&snapshot, &current, now as u64).to_json()
}

/// The page's document when something changed since the last exchange with the hub, so the
/// glue only sends a message when there is news.
#[wasm_bindgen]
pub fn progress_changes(course: &str, now: f64) -> Option<String> {
    let (snapshot, current) = read_local(course);
    let local = local_document(&snapshot, &current, now as u64);
    (local != snapshot).then(|| local.to_json())
}

/// For the hub: merges `incoming` (a page's document) into `stored` (the hub's copy, empty
/// when it has none). Fails when either is not a document of `course`; the hub then sets
/// its unreadable copy aside and keeps `incoming`.
#[wasm_bindgen]
pub fn progress_merge(stored: &str, incoming: &str, course: &str) -> Result<String, JsError> {
    let incoming = parse(incoming, course).map_err(|error| JsError::new(&error.to_string()))?;
    if stored.trim().is_empty() {
        return Ok(incoming.to_json());
    }
    let stored = parse(stored, course).map_err(|error| JsError::new(&error.to_string()))?;
    Ok(merge(&stored, &incoming).to_json())
}

/// Writes the hub's `merged` document into the page's keys, merged with what changed locally
/// meanwhile, and keeps `merged` as the snapshot: what the hub is known to hold, so a local
/// change made during the exchange still counts as news next time. Returns whether a value
/// the page holds changed.
#[wasm_bindgen]
pub fn progress_apply(course: &str, merged: &str, now: f64) -> Result<bool, JsError> {
    let merged = parse(merged, course).map_err(|error| JsError::new(&error.to_string()))?;
    let (snapshot, current) = read_local(course);
    let local = local_document(&snapshot, &current, now as u64);
    let values = merge(&local, &merged);
    Ok(write_local(course, &values, &merged, &current))
}

/// The export file: the page's document (just merged with the hub by the glue), indented,
/// with the export date.
#[wasm_bindgen]
pub fn progress_export(course: &str, now: f64, date: &str) -> String {
    let (snapshot, current) = read_local(course);
    let mut res = local_document(&snapshot, &current, now as u64);
    res.exported = Some(date.to_owned());
    res.to_pretty_json()
}

/// Imports the file `text`: validated, then merged into the page's keys. Returns the new
/// document for the glue to send to the hub; fails with a French message for the learner,
/// leaving everything as it was.
#[wasm_bindgen]
pub fn progress_import(course: &str, text: &str, now: f64) -> Result<String, JsError> {
    let file = parse_import(text, course).map_err(|error| JsError::new(&error.to_string()))?;
    let (snapshot, current) = read_local(course);
    let local = local_document(&snapshot, &current, now as u64);
    let res = merge_import(&local, &file);
    // The imported document becomes the snapshot: a flush running before the hub answers
    // (the glue flushes after every `change` event, the file input's included) must see
    // nothing new, or it would stamp every imported entry with the current time.
    write_local(course, &res, &res, &current);
    Ok(res.to_json())
}

/// Forgets the learner's progress (« Réinitialiser »). Returns the new document for the glue
/// to send to the hub, where the reset time removes every older copy.
#[wasm_bindgen]
pub fn progress_reset(course: &str, now: f64) -> String {
    let (snapshot, current) = read_local(course);
    let local = local_document(&snapshot, &current, now as u64);
    let res = local::reset(&local, now as u64);
    write_local(course, &res, &res, &current);
    res.to_json()
}

/// Marks the current page read (pages whose `<body>` has `data-track-read`), then shows the
/// progress in the navigation and, on « Ma progression », in its tables.
#[wasm_bindgen]
pub fn progress_mount() -> Result<(), JsValue> {
    let document = web_sys::window()
        .and_then(|window| window.document())
        .ok_or_else(|| JsValue::from_str("no document"))?;
    let Some(body) = document.body() else {
        return Ok(());
    };
    let course = body.get_attribute("data-course").unwrap_or_default();
    if course.is_empty() {
        return Ok(());
    }
    if body.has_attribute("data-track-read") {
        if let (Some(storage), Some(page)) = (local_storage(), body.get_attribute("data-page")) {
            let key = format!("didact:{course}:{READ_PREFIX}{page}");
            if storage.get_item(&key).ok().flatten().is_none() {
                // A refusal (quota) only means the page is not marked read.
                let _ = storage.set_item(&key, "1");
            }
        }
    }
    let (snapshot, current) = read_local(&course);
    let saved = Saved::from_document(&local_document(&snapshot, &current, 0));
    show_navigation(&document, &saved);
    show_progress_page(&document, &saved);
    Ok(())
}

fn local_storage() -> Option<Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The page's snapshot and its current `didact:<course>:*` values by storage name.
fn read_local(course: &str) -> (Document, VecMap<String, String>) {
    let Some(storage) = local_storage() else {
        return (Document::new(course), VecMap::new());
    };
    // The storage lists its keys in no order, and a course of thousands of pages has
    // thousands of `read:` keys: sorted once, they fill the map without shifting it.
    let mut current = Vec::new();
    let prefix = format!("didact:{course}:");
    let n_keys = storage.length().unwrap_or(0);
    for index in 0..n_keys {
        let Some(key) = storage.key(index).ok().flatten() else {
            continue;
        };
        let Some(name) = key.strip_prefix(&prefix) else {
            continue;
        };
        if !document::is_valid_name(name) {
            continue;
        }
        if let Some(value) = storage.get_item(&key).ok().flatten() {
            current.push((name.to_owned(), value));
        }
    }
    current.sort_unstable_by(|a: &(String, String), b| a.0.cmp(&b.0));
    let current: VecMap<String, String> = current.into_iter().collect();
    let snapshot = storage
        .get_item(&format!("{SNAPSHOT_PREFIX}{course}"))
        .ok()
        .flatten()
        .and_then(|text| parse(&text, course).ok())
        .unwrap_or_else(|| Document::new(course));
    (snapshot, current)
}

/// Makes the page's keys hold `document`'s values, saves `snapshot`, and says whether a key
/// changed.
fn write_local(
    course: &str,
    document: &Document,
    snapshot: &Document,
    current: &VecMap<String, String>,
) -> bool {
    let Some(storage) = local_storage() else {
        return false;
    };
    let changes = writes(document, current);
    for change in &changes {
        // A refused write (quota) leaves the old value, which the next exchange retries.
        let _ = match change {
            Write::Set(name, value) => storage.set_item(&format!("didact:{course}:{name}"), value),
            Write::Remove(name) => storage.remove_item(&format!("didact:{course}:{name}")),
        };
    }
    let _ = storage.set_item(&format!("{SNAPSHOT_PREFIX}{course}"), &snapshot.to_json());
    !changes.is_empty()
}

fn all(document: &HtmlDocument, selector: &str) -> Vec<Element> {
    let Ok(list) = document.query_selector_all(selector) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|index| list.item(index))
        .filter_map(|node| wasm_bindgen::JsCast::dyn_into::<Element>(node).ok())
        .collect()
}

/// The header's indicator and the sidebar's « lue » marks.
fn show_navigation(document: &HtmlDocument, saved: &Saved) {
    let links = all(document, "#sidebar a[data-page]");
    let mut n_pages: u32 = 0;
    let mut n_read: u32 = 0;
    for link in &links {
        let Some(page) = link.get_attribute("data-page") else {
            continue;
        };
        let page_id = page.trim_end_matches(".html");
        if page_id == "index" {
            continue;
        }
        n_pages += 1;
        if !saved.read.contains(page_id) {
            continue;
        }
        n_read += 1;
        if link.query_selector(".nav-read").ok().flatten().is_none() {
            let mark = document
                .create_element("span")
                .expect("creating a span cannot fail");
            mark.set_class_name("nav-read");
            mark.set_text_content(Some(" (lue)"));
            let _ = link.append_child(&mark);
        }
    }
    for indicator in all(document, "[data-progress-indicator]") {
        let percent = (n_read * 100).checked_div(n_pages).unwrap_or(0);
        indicator.set_text_content(Some(&format!("{percent} %")));
        let _ = indicator.set_attribute(
            "title",
            &format!(
                "{n_read} page{} lue{} sur {n_pages}",
                plural(n_read),
                plural(n_read)
            ),
        );
    }
}

/// Fills « Ma progression » (rows marked `data-progress-item`, totals marked
/// `data-progress-module`, `data-progress-objective` and `data-progress-course`).
fn show_progress_page(document: &HtmlDocument, saved: &Saved) {
    let rows = all(document, "[data-progress-item]");
    if rows.is_empty() {
        return;
    }
    let mut items = Vec::new();
    for row in &rows {
        let kind = match row.get_attribute("data-progress-item").as_deref() {
            Some("page") => ItemKind::Page,
            Some("quiz") => ItemKind::Quiz,
            Some("exercise") => ItemKind::Exercise,
            _ => continue,
        };
        let item = Item {
            kind,
            id: row.get_attribute("data-id").unwrap_or_default(),
            module: row.get_attribute("data-module").unwrap_or_default(),
            objectives: row
                .get_attribute("data-objectives")
                .unwrap_or_default()
                .split_whitespace()
                .map(str::to_owned)
                .collect(),
        };
        if let Some(cell) = row.query_selector("[data-progress-status]").ok().flatten() {
            let (text, state) = item_status(&item, saved);
            cell.set_text_content(Some(&text));
            let _ = row.set_attribute("data-state", state);
        }
        items.push(item);
    }
    let summary = summarise(&items, saved);
    for element in all(document, "[data-progress-course]") {
        element.set_text_content(Some(&tally_text(&summary.course, false)));
    }
    for element in all(document, "[data-progress-module]") {
        let module = element
            .get_attribute("data-progress-module")
            .unwrap_or_default();
        if let Some(tally) = summary.modules.get(&module) {
            element.set_text_content(Some(&tally_text(tally, false)));
        }
    }
    for element in all(document, "[data-progress-objective]") {
        let objective = element
            .get_attribute("data-progress-objective")
            .unwrap_or_default();
        if let Some(tally) = summary.objectives.get(&objective) {
            element.set_text_content(Some(&tally_text(tally, true)));
        }
    }
    for element in all(document, "[data-progress-bar]") {
        let percent = summary.course.percent_done();
        let _ = element.set_attribute("value", &percent.to_string());
    }
    for element in all(document, "[data-progress-empty]") {
        let started =
            !saved.read.is_empty() || !saved.quizzes.is_empty() || !saved.exercises_done.is_empty();
        if started {
            let _ = element.set_attribute("hidden", "");
        } else {
            let _ = element.remove_attribute("hidden");
        }
    }
}

/// A row's status text and its `data-state` (`done`, `started`, `todo`).
fn item_status(item: &Item, saved: &Saved) -> (String, &'static str) {
    match item.kind {
        ItemKind::Page if saved.read.contains(&item.id) => ("Lue".to_owned(), "done"),
        ItemKind::Page => ("Non lue".to_owned(), "todo"),
        ItemKind::Exercise if saved.exercises_done.contains(&item.id) => {
            ("Réussi".to_owned(), "done")
        }
        ItemKind::Exercise => ("À faire".to_owned(), "todo"),
        ItemKind::Quiz => match saved.quizzes.get(&item.id) {
            None => ("Non commencé".to_owned(), "todo"),
            Some(result) => {
                let percent = summary::format_percent(&result.percent);
                let verdict = match result.passed {
                    Some(true) => " (réussi)",
                    Some(false) => " (non réussi)",
                    None => "",
                };
                if result.completed {
                    (format!("Terminé : {percent} %{verdict}"), "done")
                } else {
                    (format!("En cours : {percent} %"), "started")
                }
            }
        },
    }
}

/// « 3 pages lues sur 5 · 1 quiz terminé sur 2 · … ».
fn tally_text(tally: &Tally, per_objective: bool) -> String {
    let mut parts = Vec::new();
    if tally.pages.1 > 0 {
        parts.push(format!(
            "{} page{} lue{} sur {}",
            tally.pages.0,
            plural(tally.pages.0),
            plural(tally.pages.0),
            tally.pages.1
        ));
    }
    if tally.quizzes.1 > 0 {
        parts.push(format!(
            "{} quiz terminé{} sur {}",
            tally.quizzes.0,
            plural(tally.quizzes.0),
            tally.quizzes.1
        ));
    }
    if tally.exercises.1 > 0 {
        parts.push(format!(
            "{} exercice{} réussi{} sur {}",
            tally.exercises.0,
            plural(tally.exercises.0),
            plural(tally.exercises.0),
            tally.exercises.1
        ));
    }
    if let Some(score) = tally.score() {
        let label = if per_objective {
            "score aux questions de cet objectif"
        } else {
            "score moyen aux quiz terminés"
        };
        parts.push(format!("{label} : {score} %"));
    }
    if parts.is_empty() {
        return "Rien à faire ici.".to_owned();
    }
    parts.join(" · ")
}

fn plural(n: u32) -> &'static str {
    if n > 1 {
        "s"
    } else {
        ""
    }
}
