//! Reading the course from disk.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};
use walkdir::WalkDir;

/// One file of the theme, after applying the course's overrides.
#[derive(Debug, Clone)]
pub struct ThemeFile {
    /// Path relative to the theme root, e.g. `templates/page.html`.
    pub path: String,
    /// Path shown in diagnostics (relative to the course root, or `<built-in>/…`).
    pub display: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// Everything read from disk for one build.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// `book.toml` text.
    pub book_toml: String,
    /// Markdown pages: path relative to `content/`, text (shared with the file table and the
    /// course model, so each source is held once).
    pub pages: Vec<(String, std::sync::Arc<str>)>,
    /// YAML data files (`scenarios/`, `quizzes/`): path relative to `content/`, text.
    pub data: Vec<(String, String)>,
    /// Other files of `content/` copied as they are: path relative to `content/`, bytes.
    pub assets: Vec<(String, Vec<u8>)>,
    /// The theme, default files overlaid by the course's `themes/default/` files.
    pub theme: Vec<ThemeFile>,
}

/// Read `book.toml`, `content/` and the theme of the course at `root`.
pub fn read_inputs(root: &Path) -> anyhow::Result<Inputs> {
    let book = root.join("book.toml");
    if !book.is_file() {
        bail!(
            "no book.toml in {}: is this a didact course? (create one with `didact new`)",
            root.display()
        );
    }
    let book_toml =
        fs::read_to_string(&book).with_context(|| format!("failed to read {}", book.display()))?;
    let mut inputs = Inputs {
        book_toml,
        ..Inputs::default()
    };

    let content = root.join("content");
    if !content.is_dir() {
        bail!("no content/ folder in {}", root.display());
    }
    let mut entries: Vec<PathBuf> = Vec::new();
    for entry in WalkDir::new(&content)
        .follow_links(true)
        .sort_by_file_name()
    {
        let entry = entry.with_context(|| format!("failed to walk {}", content.display()))?;
        let name = entry.file_name().to_string_lossy();
        if name.starts_with('.') && entry.depth() > 0 {
            continue;
        }
        if entry.file_type().is_file() {
            entries.push(entry.into_path());
        }
    }
    for path in entries {
        let rel = relative(&content, &path);
        if rel.ends_with(".md") {
            let text = fs::read_to_string(&path)
                .with_context(|| format!("failed to read {}", path.display()))?;
            inputs.pages.push((rel, text.into()));
        } else if rel.ends_with(".yaml") || rel.ends_with(".yml") {
            let text = fs::read_to_string(&path)
                .with_context(|| format!("failed to read {}", path.display()))?;
            inputs.data.push((rel, text));
        } else {
            let bytes =
                fs::read(&path).with_context(|| format!("failed to read {}", path.display()))?;
            inputs.assets.push((rel, bytes));
        }
    }

    // The built-in theme, overlaid file by file by the course's `themes/default/`.
    let mut theme: Vec<ThemeFile> = crate::DEFAULT_THEME
        .iter()
        .map(|(path, bytes)| ThemeFile {
            path: path.to_string(),
            display: format!("<built-in theme>/{path}"),
            bytes: bytes.to_vec(),
        })
        .collect();
    let overlay = root.join("themes/default");
    if overlay.is_dir() {
        for entry in WalkDir::new(&overlay).sort_by_file_name() {
            let entry = entry.with_context(|| format!("failed to walk {}", overlay.display()))?;
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = relative(&overlay, entry.path());
            let bytes = fs::read(entry.path())
                .with_context(|| format!("failed to read {}", entry.path().display()))?;
            let display = format!("themes/default/{rel}");
            match theme.iter_mut().find(|f| f.path == rel) {
                Some(file) => {
                    file.bytes = bytes;
                    file.display = display;
                }
                None => theme.push(ThemeFile {
                    path: rel,
                    display,
                    bytes,
                }),
            }
        }
    }
    inputs.theme = theme;
    Ok(inputs)
}

fn relative(base: &Path, path: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
