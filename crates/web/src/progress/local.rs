//! A page's own `localStorage` as a copy of the progress document.
//!
//! The widgets read and write `didact:<course>:<name>` keys of the page's storage directly.
//! The page also keeps a *snapshot*: the document as it was after the last exchange with the
//! storage hub. Comparing the keys with the snapshot tells what changed since (those entries
//! are stamped with the current time); writing a merged document back is a list of key
//! changes. Both steps are pure functions of plain maps, so they are tested natively.

use didact_map::VecMap;

use super::document::{Document, Entry};

/// One change to make to the page's storage, by storage name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Write {
    /// Save this text under this name.
    Set(String, String),
    /// Remove this name.
    Remove(String),
}

/// The page's document: the `snapshot`, with every name whose current text differs from it
/// stamped `now` (a name that disappeared becomes a removal). `now` is raised above the
/// entry's previous time if the clock went back, so a local change always wins over the
/// copy it replaced.
pub fn local_document(snapshot: &Document, current: &VecMap<String, String>, now: u64) -> Document {
    let mut res = snapshot.clone();
    let stamp = |previous: Option<&Entry>| previous.map_or(now, |entry| now.max(entry.t + 1));
    for (name, text) in current {
        let previous = snapshot.entries.get(name);
        if previous.and_then(|entry| entry.value.as_ref()) != Some(text) {
            let t = stamp(previous).max(snapshot.cleared + 1);
            res.entries.insert(
                name.clone(),
                Entry {
                    t,
                    value: Some(text.clone()),
                },
            );
        }
    }
    for (name, entry) in &snapshot.entries {
        if entry.value.is_some() && !current.contains_key(name) {
            res.entries.insert(
                name.clone(),
                Entry {
                    t: stamp(Some(entry)),
                    value: None,
                },
            );
        }
    }
    res
}

/// The changes that make the page's storage (`current`) hold `document`'s values.
pub fn writes(document: &Document, current: &VecMap<String, String>) -> Vec<Write> {
    let mut res = Vec::new();
    for (name, entry) in &document.entries {
        if let Some(value) = &entry.value {
            if current.get(name) != Some(value) {
                res.push(Write::Set(name.clone(), value.clone()));
            }
        }
    }
    for name in current.keys() {
        if document.value(name).is_none() {
            res.push(Write::Remove(name.clone()));
        }
    }
    res
}

/// A reset at `now`: the snapshot's document with every entry gone.
pub fn reset(document: &Document, now: u64) -> Document {
    let mut res = document.clone();
    res.cleared = now.max(
        document
            .entries
            .values()
            .map(|entry| entry.t)
            .max()
            .unwrap_or(0),
    );
    res.entries.clear();
    res
}
