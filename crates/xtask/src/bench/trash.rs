//! Old outputs set aside during a benchmark and deleted at its end.
//!
//! Profile finding (5 000 pages, `perf record`): on an ext4 file system without a journal, as
//! this machine's, creating a file right after thousands were deleted costs time in
//! proportion to the number deleted: the kernel's inode allocator skips every inode deleted
//! in the last 60 s (`recently_deleted`, 22 % of the samples of a 5 000-page build that
//! followed the deletion of the previous output). Deleting each tool's output just before
//! timing its next build would thus make every tool look quadratic, by an amount that
//! depends on what the run deleted before. Folders are renamed aside instead (a rename
//! frees no inode) and deleted once everything is measured.

use std::cell::Cell;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

/// A folder of folders to delete later.
pub struct Trash {
    dir: PathBuf,
    next: Cell<usize>,
}

impl Trash {
    /// Trash in `work/trash`, which may hold what an interrupted run left.
    pub fn new(work: &Path) -> anyhow::Result<Self> {
        let dir = work.join("trash");
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("failed to create {}", dir.display()))?;
        Ok(Trash {
            dir,
            next: Cell::new(0),
        })
    }

    /// Move `path`, if it exists, out of the way (same file system: a rename), under the
    /// first free number.
    pub fn discard(&self, path: &Path) -> anyhow::Result<()> {
        if !path.exists() {
            return Ok(());
        }
        loop {
            let target = self.dir.join(self.next.get().to_string());
            self.next.set(self.next.get() + 1);
            if target.exists() {
                continue;
            }
            return std::fs::rename(path, &target).with_context(|| {
                format!("failed to move {} to {}", path.display(), target.display())
            });
        }
    }

    /// Delete everything discarded (after the measurements).
    pub fn empty(self) -> anyhow::Result<()> {
        std::fs::remove_dir_all(&self.dir)
            .with_context(|| format!("failed to delete {}", self.dir.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discarded_folders_move_aside_then_go() {
        let work = tempfile::tempdir().unwrap();
        let trash = Trash::new(work.path()).unwrap();
        for _ in 0..2 {
            let out = work.path().join("out");
            std::fs::create_dir_all(out.join("a")).unwrap();
            std::fs::write(out.join("a/page.html"), "x").unwrap();
            trash.discard(&out).unwrap();
            assert!(!out.exists());
        }
        trash.discard(&work.path().join("missing")).unwrap();
        assert_eq!(
            std::fs::read_dir(work.path().join("trash"))
                .unwrap()
                .count(),
            2
        );
        trash.empty().unwrap();
        assert!(!work.path().join("trash").exists());
    }
}
