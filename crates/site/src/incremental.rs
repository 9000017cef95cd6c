//! Rebuilding after a change, for `serve`.
//!
//! 1. [`classify_change`] says which input a changed path (relative to the course root) is.
//! 2. [`apply_changes`] refreshes only those inputs in the cached [`Inputs`], reading just the
//!    changed files (the theme or an unclear change falls back to a full [`read_inputs`]).
//! 3. The caller hands the refreshed inputs and the changes to [`crate::Compiler::rebuild`],
//!    which rebuilds only what they need and says which output files changed, so only those
//!    are swapped in and only the browser tabs showing them reload.
//! 4. [`changed_outputs`] compares two whole sites, for full builds.

use std::cmp::Ordering;
use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use anyhow::Context as _;

use crate::{read_inputs, Inputs, Site};

/// Which input a changed path is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputChange {
    /// `book.toml`.
    Config,
    /// A Markdown page: path relative to `content/`.
    Page(String),
    /// A YAML data file (scenario, quiz, changelog): path relative to `content/`.
    Data(String),
    /// Any other file of `content/`, copied as is: path relative to `content/`.
    Asset(String),
    /// A file of the course's theme overrides (`themes/…`).
    Theme,
    /// Not an input: editor backups, hidden files, the output folder, anything else.
    Ignored,
    /// A folder appeared or vanished, or the theme changed: every input was read again.
    /// [`classify_change`] never returns it; [`apply_changes`] does.
    Everything,
}

/// Classify a changed path, given relative to the course root with `/` separators.
pub fn classify_change(path: &str) -> InputChange {
    let path = path.trim_start_matches("./");
    let components: Vec<&str> = path.split('/').filter(|c| !c.is_empty()).collect();
    let Some(name) = components.last() else {
        return InputChange::Ignored;
    };
    let is_editor_file = name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.starts_with('#')
        || name == &"4913";
    if is_editor_file || components.iter().any(|c| c.starts_with('.')) {
        return InputChange::Ignored;
    }
    match components.as_slice() {
        ["book.toml"] => InputChange::Config,
        ["content", rest @ ..] if !rest.is_empty() => {
            let rel = rest.join("/");
            if rel.ends_with(".md") {
                InputChange::Page(rel)
            } else if rel.ends_with(".yaml") || rel.ends_with(".yml") {
                InputChange::Data(rel)
            } else {
                InputChange::Asset(rel)
            }
        }
        ["themes", _, ..] => InputChange::Theme,
        _ => InputChange::Ignored,
    }
}

/// Refresh `inputs` for the changed `paths` (relative to `root`). Returns the input changes
/// applied, empty when no rebuild is needed; `[Everything]` when all inputs were read again.
pub fn apply_changes(
    inputs: &mut Inputs,
    root: &Path,
    paths: &[String],
) -> anyhow::Result<Vec<InputChange>> {
    let mut res = Vec::new();
    for path in paths {
        let change = classify_change(path);
        let on_disk = root.join(path);
        // A folder appearing or disappearing moves many files at once: read everything again.
        let unclear =
            on_disk.is_dir() || (!on_disk.exists() && Path::new(path).extension().is_none());
        match &change {
            InputChange::Ignored => continue,
            InputChange::Theme | InputChange::Everything => {
                *inputs = read_inputs(root)?;
                return Ok(vec![InputChange::Everything]);
            }
            _ if unclear => {
                *inputs = read_inputs(root)?;
                return Ok(vec![InputChange::Everything]);
            }
            InputChange::Config => {
                inputs.book_toml = fs::read_to_string(&on_disk)
                    .with_context(|| format!("failed to read {}", on_disk.display()))?;
            }
            InputChange::Page(rel) => {
                let text = read_text(&on_disk)?;
                upsert(&mut inputs.pages, rel.clone(), text.map(Into::into));
            }
            InputChange::Data(rel) => {
                let text = read_text(&on_disk)?;
                upsert(&mut inputs.data, rel.clone(), text);
            }
            InputChange::Asset(rel) => {
                let bytes = if on_disk.is_file() {
                    Some(
                        fs::read(&on_disk)
                            .with_context(|| format!("failed to read {}", on_disk.display()))?,
                    )
                } else {
                    None
                };
                upsert(&mut inputs.assets, rel.clone(), bytes);
            }
        }
        res.push(change);
    }
    Ok(res)
}

/// Output paths that differ between two builds: added, removed or with other bytes.
pub fn changed_outputs(old: &Site, new: &Site) -> BTreeSet<String> {
    let mut res = BTreeSet::new();
    for (path, bytes) in &new.files {
        if old.files.get(path) != Some(bytes) {
            res.insert(path.clone());
        }
    }
    for path in old.files.keys() {
        if !new.files.contains_key(path) {
            res.insert(path.clone());
        }
    }
    res
}

/// The text of a file, or `None` when it no longer exists.
fn read_text(path: &Path) -> anyhow::Result<Option<String>> {
    if !path.is_file() {
        return Ok(None);
    }
    fs::read_to_string(path)
        .map(Some)
        .with_context(|| format!("failed to read {}", path.display()))
}

/// Replace, insert (in the order `read_inputs` uses) or remove the entry for `rel`.
fn upsert<T>(entries: &mut Vec<(String, T)>, rel: String, value: Option<T>) {
    let position = entries.binary_search_by(|(path, _)| walk_order(path, &rel));
    match (position, value) {
        (Ok(i), Some(value)) => entries[i].1 = value,
        (Ok(i), None) => {
            entries.remove(i);
        }
        (Err(i), Some(value)) => entries.insert(i, (rel, value)),
        (Err(_), None) => {}
    }
}

/// The order of a depth-first walk sorted by file name: component by component.
fn walk_order(a: &str, b: &str) -> Ordering {
    a.split('/').cmp(b.split('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(path: &str, expected: InputChange) {
        assert_eq!(classify_change(path), expected, "{path}");
    }

    #[test]
    fn inputs_are_classified_by_where_they_live() {
        check("book.toml", InputChange::Config);
        check(
            "content/01-a/02-b.md",
            InputChange::Page("01-a/02-b.md".into()),
        );
        check("./content/x.md", InputChange::Page("x.md".into()));
        check(
            "content/scenarios/s.yaml",
            InputChange::Data("scenarios/s.yaml".into()),
        );
        check(
            "content/images/a.png",
            InputChange::Asset("images/a.png".into()),
        );
        check("themes/default/templates/page.html", InputChange::Theme);
    }

    #[test]
    fn editor_files_hidden_files_and_other_folders_are_ignored() {
        for path in [
            "content/.page.md.swp",
            "content/page.md~",
            "content/#page.md#",
            "content/4913",
            ".git/index",
            "site/index.html",
            "target/debug/didact",
            ".site.building-12/index.html",
            "README.md",
            "themes",
        ] {
            check(path, InputChange::Ignored);
        }
    }

    #[test]
    fn walk_order_puts_a_folder_contents_right_after_its_name() {
        let mut paths = vec!["a-b.md", "a/z.md", "a/b/c.md", "0.md"];
        paths.sort_by(|a, b| walk_order(a, b));
        assert_eq!(paths, ["0.md", "a/b/c.md", "a/z.md", "a-b.md"]);
    }

    const BOOK: &str = "[course]\nid = \"t\"\ntitle = \"T\"\nupdated = \"2026-01-15\"\n";

    fn course() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("content/01-m")).unwrap();
        fs::write(dir.path().join("book.toml"), BOOK).unwrap();
        fs::write(
            dir.path().join("content/01-m/index.md"),
            "---\ntitle: \"M\"\n---\nIntro.\n",
        )
        .unwrap();
        fs::write(
            dir.path().join("content/01-m/01-p.md"),
            "---\ntitle: \"P\"\n---\nAvant.\n",
        )
        .unwrap();
        dir
    }

    /// Refreshing the cached inputs gives the same site as reading everything again.
    #[track_caller]
    fn check_same_as_full_read(root: &Path, inputs: &Inputs) {
        let fresh = read_inputs(root).unwrap();
        assert_eq!(inputs.book_toml, fresh.book_toml);
        assert_eq!(inputs.pages, fresh.pages);
        assert_eq!(inputs.data, fresh.data);
        assert_eq!(inputs.assets, fresh.assets);
        let incremental = crate::compile(inputs.clone()).site.unwrap();
        let full = crate::compile(fresh).site.unwrap();
        assert_eq!(incremental.files, full.files);
    }

    #[test]
    fn an_edited_page_is_reread_and_only_its_outputs_change() {
        let dir = course();
        let root = dir.path();
        let mut inputs = read_inputs(root).unwrap();
        let before = crate::compile(inputs.clone()).site.unwrap();
        fs::write(
            root.join("content/01-m/01-p.md"),
            "---\ntitle: \"P\"\n---\nAprès.\n",
        )
        .unwrap();
        assert_eq!(
            apply_changes(&mut inputs, root, &["content/01-m/01-p.md".into()]).unwrap(),
            [InputChange::Page("01-m/01-p.md".into())]
        );
        check_same_as_full_read(root, &inputs);
        let after = crate::compile(inputs).site.unwrap();
        let changed = changed_outputs(&before, &after);
        assert!(changed.contains("m/p.html"), "{changed:?}");
        assert!(!changed.contains("m/index.html"), "{changed:?}");
    }

    #[test]
    fn added_and_removed_files_are_followed() {
        let dir = course();
        let root = dir.path();
        let mut inputs = read_inputs(root).unwrap();
        fs::write(
            root.join("content/01-m/00-q.md"),
            "---\ntitle: \"Q\"\n---\nNouveau.\n",
        )
        .unwrap();
        fs::create_dir_all(root.join("content/images")).unwrap();
        fs::write(root.join("content/images/a.png"), b"png").unwrap();
        fs::remove_file(root.join("content/01-m/01-p.md")).unwrap();
        let paths = [
            "content/01-m/00-q.md",
            "content/images/a.png",
            "content/01-m/01-p.md",
        ]
        .map(String::from);
        assert_eq!(apply_changes(&mut inputs, root, &paths).unwrap().len(), 3);
        check_same_as_full_read(root, &inputs);
    }

    #[test]
    fn ignored_paths_need_no_rebuild() {
        let dir = course();
        let mut inputs = read_inputs(dir.path()).unwrap();
        let paths = ["content/01-m/01-p.md~".to_string(), "site/x.html".into()];
        assert!(apply_changes(&mut inputs, dir.path(), &paths)
            .unwrap()
            .is_empty());
    }
}
