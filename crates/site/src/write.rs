//! Writing the site: aside first, then swapped in, so a failure never damages the previous output.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use rayon::prelude::*;

use crate::Site;

/// Write `site` to `out`: into a sibling temporary folder first, then swap it in.
/// When anything fails before the swap, `out` is left exactly as it was.
pub fn write_site(site: &Site, out: &Path) -> anyhow::Result<()> {
    replace_dir(out, |staging| write_all(site, staging).map(Some)).map(|_| ())
}

/// Replace the folder `out` by what `fill` writes into an empty sibling temporary folder
/// (`.NAME.building-PID`), swapped in only when `fill` returns `Some`. When `fill` fails or
/// returns `None`, the temporary folder is deleted and `out` is left exactly as it was.
pub fn replace_dir<T>(
    out: &Path,
    fill: impl FnOnce(&Path) -> anyhow::Result<Option<T>>,
) -> anyhow::Result<Option<T>> {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent).with_context(|| format!("failed to create {}", parent.display()))?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "site".into());
    let staging = parent.join(format!(".{name}.building-{}", std::process::id()));
    let previous = parent.join(format!(".{name}.previous-{}", std::process::id()));
    let _ = fs::remove_dir_all(&staging);
    fs::create_dir(&staging).with_context(|| format!("failed to create {}", staging.display()))?;
    // Deleted on every way out but the swap, a panic included.
    let mut guard = Staging {
        path: &staging,
        keep: false,
    };
    let value = match fill(&staging) {
        Ok(Some(value)) => value,
        Ok(None) => return Ok(None),
        Err(error) => {
            return Err(error.context(format!(
                "the build was not written; {} is unchanged",
                out.display()
            )))
        }
    };
    // Swap: out → previous, staging → out, then delete previous.
    let had_previous = out.exists();
    if had_previous {
        fs::rename(out, &previous)
            .with_context(|| format!("failed to move the previous {} aside", out.display()))?;
    }
    if let Err(error) = fs::rename(&staging, out) {
        if had_previous {
            let _ = fs::rename(&previous, out);
        }
        return Err(anyhow::Error::new(error).context(format!(
            "failed to move the new site into {}",
            out.display()
        )));
    }
    guard.keep = true;
    if had_previous {
        let _ = fs::remove_dir_all(&previous);
    }
    Ok(Some(value))
}

/// A temporary folder deleted when dropped, unless kept.
struct Staging<'a> {
    path: &'a Path,
    keep: bool,
}

impl Drop for Staging<'_> {
    fn drop(&mut self) {
        if !self.keep {
            let _ = fs::remove_dir_all(self.path);
        }
    }
}

fn write_all(site: &Site, dir: &Path) -> anyhow::Result<()> {
    // Folders first, each once (BTreeSet: parents before children), then the files on every
    // core: a write is independent of the others, and at thousands of pages the system calls
    // (file creation above all) are most of the time.
    let folders: BTreeSet<PathBuf> = site
        .files
        .keys()
        .filter_map(|path| dir.join(path).parent().map(Path::to_path_buf))
        .collect();
    for folder in &folders {
        fs::create_dir_all(folder)
            .with_context(|| format!("failed to create {}", folder.display()))?;
    }
    site.files.par_iter().try_for_each(|(path, bytes)| {
        let target = dir.join(path);
        fs::write(&target, bytes).with_context(|| format!("failed to write {}", target.display()))
    })
}
