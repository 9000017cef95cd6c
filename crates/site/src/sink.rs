//! Where a build's outputs go as they are rendered: kept in memory ([`Collect`], for `serve`
//! and [`crate::compile`]) or written straight into a folder ([`Folder`], for `didact build`,
//! which then never holds the whole site: at 5 000 pages the HTML alone is over 100 MB).

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use anyhow::Context as _;
use didact_diag::Diagnostic;

use crate::reach::Hrefs;

/// Takes the output files of a build, from any thread.
pub(crate) trait Sink: Sync {
    /// Take output file `path` (relative to the site root, `/` separated).
    fn put(&self, path: &str, bytes: Cow<'_, [u8]>);

    /// Take output file `path`, whose bytes `write` writes piece by piece, so a large output
    /// (the printable page, the search index) need not be held whole. A failure of `write`
    /// is returned as it is, unless the sink's own writer failed: that failure is the sink's
    /// to report (see [`Folder::finish`]), and so is one that happened before (`write` is then
    /// not called).
    fn put_with(
        &self,
        path: &str,
        write: &mut dyn FnMut(&mut dyn Write) -> Result<(), Diagnostic>,
    ) -> Result<(), Diagnostic>;

    /// True once the sink cannot take more outputs: the build may stop rendering them.
    fn failed(&self) -> bool {
        false
    }
}

/// Keeps every output in memory.
#[derive(Default)]
pub(crate) struct Collect(Mutex<Vec<(String, Vec<u8>)>>);

impl Collect {
    /// The outputs taken, in no particular order.
    pub fn into_outputs(self) -> Vec<(String, Vec<u8>)> {
        self.0
            .into_inner()
            .expect("no thread panicked holding the outputs")
    }
}

impl Sink for Collect {
    fn put(&self, path: &str, bytes: Cow<'_, [u8]>) {
        let entry = (path.to_owned(), bytes.into_owned());
        self.0.lock().expect("no thread panicked").push(entry);
    }

    fn put_with(
        &self,
        path: &str,
        write: &mut dyn FnMut(&mut dyn Write) -> Result<(), Diagnostic>,
    ) -> Result<(), Diagnostic> {
        let mut bytes = Vec::new();
        write(&mut bytes)?;
        // Grown by doubling: `serve` keeps it.
        bytes.shrink_to_fit();
        self.put(path, Cow::Owned(bytes));
        Ok(())
    }
}

/// What `Compiler::build_into` wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    /// Files written.
    pub files: usize,
    /// HTML pages among them.
    pub pages: usize,
}

/// Writes every output into a folder as soon as it comes, keeping only the links of the HTML
/// pages (for the reachability check). The first failure to write is kept and every later
/// output skipped: see [`Folder::finish`].
pub(crate) struct Folder {
    dir: PathBuf,
    /// Folders known to exist, so each is created once.
    made: Mutex<HashSet<PathBuf>>,
    /// The output pages each page links to.
    links: Mutex<LinkTable>,
    error: Mutex<Option<anyhow::Error>>,
    /// Every path written, once (an output written twice is one file, as in a site in memory).
    files: Mutex<HashSet<String>>,
    /// Pages rendered (not copied) and written.
    pages: AtomicUsize,
}

impl Folder {
    /// Write into `dir`, which is created when missing.
    pub fn new(dir: &Path) -> Self {
        Folder {
            dir: dir.to_path_buf(),
            made: Mutex::default(),
            links: Mutex::default(),
            error: Mutex::default(),
            files: Mutex::default(),
            pages: AtomicUsize::new(0),
        }
    }

    /// What was written and the links of every page, or the first failure to write.
    pub fn finish(self) -> anyhow::Result<(Written, HashMap<String, Vec<String>>)> {
        if let Some(error) = self.error.into_inner().expect("no thread panicked") {
            return Err(error);
        }
        let written = Written {
            files: self.files.into_inner().expect("no thread panicked").len(),
            pages: self.pages.into_inner(),
        };
        let links = self.links.into_inner().expect("no thread panicked");
        Ok((written, links.into_map()))
    }

    fn record_links(&self, page: &str, links: Vec<String>) {
        self.links
            .lock()
            .expect("no thread panicked")
            .add(page, links);
    }

    fn fail(&self, error: anyhow::Error) {
        self.error
            .lock()
            .expect("no thread panicked")
            .get_or_insert(error);
    }

    /// The path of output `path`, its folder created.
    fn target(&self, path: &str) -> anyhow::Result<PathBuf> {
        let target = self.dir.join(path);
        if let Some(folder) = target.parent() {
            if !self
                .made
                .lock()
                .expect("no thread panicked")
                .contains(folder)
            {
                fs::create_dir_all(folder)
                    .with_context(|| format!("failed to create {}", folder.display()))?;
                self.made
                    .lock()
                    .expect("no thread panicked")
                    .insert(folder.to_path_buf());
            }
        }
        Ok(target)
    }

    /// Count a rendered output written.
    fn count(&self, path: &str) {
        self.count_file(path);
        if path.ends_with(".html") {
            self.pages.fetch_add(1, Ordering::Relaxed);
        }
    }

    fn count_file(&self, path: &str) {
        self.files
            .lock()
            .expect("no thread panicked")
            .insert(path.to_owned());
    }
}

impl Folder {
    /// Write a file copied as it is (a theme or content file): neither a page nor links,
    /// even when its name ends in `.html`, as in a site built in memory.
    pub fn copy(&self, path: &str, bytes: &[u8]) {
        if !self.failed() && self.write_file(path, bytes) {
            self.count_file(path);
        }
    }

    /// Write one file; false (the error kept) when that failed.
    fn write_file(&self, path: &str, bytes: &[u8]) -> bool {
        let written = self.target(path).and_then(|target| {
            fs::write(&target, bytes)
                .with_context(|| format!("failed to write {}", target.display()))
        });
        match written {
            Ok(()) => true,
            Err(error) => {
                self.fail(error);
                false
            }
        }
    }
}

impl Sink for Folder {
    fn failed(&self) -> bool {
        self.error.lock().expect("no thread panicked").is_some()
    }

    fn put(&self, path: &str, bytes: Cow<'_, [u8]>) {
        if self.failed() {
            return;
        }
        if path.ends_with(".html") {
            self.record_links(path, crate::reach::page_links(path, &bytes));
        }
        if self.write_file(path, &bytes) {
            self.count(path);
        }
    }

    fn put_with(
        &self,
        path: &str,
        write: &mut dyn FnMut(&mut dyn Write) -> Result<(), Diagnostic>,
    ) -> Result<(), Diagnostic> {
        if self.failed() {
            return Ok(());
        }
        let target = match self.target(path) {
            Ok(target) => target,
            Err(error) => {
                self.fail(error);
                return Ok(());
            }
        };
        let file = match fs::File::create(&target) {
            Ok(file) => file,
            Err(error) => {
                self.fail(
                    anyhow::Error::new(error)
                        .context(format!("failed to write {}", target.display())),
                );
                return Ok(());
            }
        };
        let mut out = Recording {
            inner: BufWriter::with_capacity(256 * 1024, file),
            error: None,
            hrefs: path.ends_with(".html").then(Hrefs::default),
        };
        let result = write(&mut out);
        let flushed = out.flush();
        if let Some(error) = out.error.take().or(flushed.err()) {
            // The file's failure, not the template's: reported as such by `finish`.
            self.fail(
                anyhow::Error::new(error).context(format!("failed to write {}", target.display())),
            );
            return Ok(());
        }
        result?;
        if let Some(hrefs) = out.hrefs {
            self.record_links(path, hrefs.links(path));
        }
        self.count(path);
        Ok(())
    }
}

/// The links between the pages written, each target page held once: 5 000 pages link to
/// about 50 pages each, mostly the same ones.
#[derive(Default)]
struct LinkTable {
    ids: HashMap<String, u32>,
    names: Vec<String>,
    pages: Vec<(String, Vec<u32>)>,
}

impl LinkTable {
    fn add(&mut self, page: &str, links: Vec<String>) {
        let ids = links
            .into_iter()
            .map(|link| match self.ids.get(&link) {
                Some(&id) => id,
                None => {
                    let id =
                        u32::try_from(self.names.len()).expect("fewer than 4 billion link targets");
                    self.names.push(link.clone());
                    self.ids.insert(link, id);
                    id
                }
            })
            .collect();
        self.pages.push((page.to_owned(), ids));
    }

    /// Page → the pages it links to, as `crate::reach::page_links` gives them.
    fn into_map(self) -> HashMap<String, Vec<String>> {
        let names = self.names;
        self.pages
            .into_iter()
            .map(|(page, ids)| {
                let links = ids.iter().map(|&id| names[id as usize].clone()).collect();
                (page, links)
            })
            .collect()
    }
}

/// A file writer that keeps its first error, so a failure to write is told apart from a
/// failure of what was writing (a template), and reads the links of a page as it goes.
struct Recording<W> {
    inner: W,
    error: Option<io::Error>,
    hrefs: Option<Hrefs>,
}

impl<W: Write> Recording<W> {
    fn record(&mut self, error: &io::Error) {
        self.error
            .get_or_insert_with(|| io::Error::new(error.kind(), error.to_string()));
    }
}

impl<W: Write> Write for Recording<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.inner.write(buf) {
            Ok(0) if !buf.is_empty() => {
                let error = io::Error::new(io::ErrorKind::WriteZero, "the file took no more bytes");
                self.record(&error);
                Err(error)
            }
            Ok(n) => {
                if let Some(hrefs) = &mut self.hrefs {
                    hrefs.feed(&buf[..n]);
                }
                Ok(n)
            }
            // Tried again by `write_all`: not a failure yet.
            Err(error) if error.kind() == io::ErrorKind::Interrupted => Err(error),
            Err(error) => {
                self.record(&error);
                Err(error)
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        let flushed = self.inner.flush();
        if let Err(error) = &flushed {
            if error.kind() != io::ErrorKind::Interrupted {
                self.record(error);
            }
        }
        flushed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Takes `room` bytes, then fails as `then` says.
    struct Full {
        room: usize,
        then: Option<io::ErrorKind>,
        interrupted_once: bool,
    }

    impl Write for Full {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.interrupted_once {
                self.interrupted_once = false;
                return Err(io::ErrorKind::Interrupted.into());
            }
            if self.room == 0 {
                return match self.then {
                    Some(kind) => Err(kind.into()),
                    None => Ok(0),
                };
            }
            let n = buf.len().min(self.room);
            self.room -= n;
            Ok(n)
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn recording(full: Full) -> Recording<Full> {
        Recording {
            inner: full,
            error: None,
            hrefs: Some(Hrefs::default()),
        }
    }

    #[test]
    fn a_failing_file_is_recorded_as_the_writers_failure() {
        let mut out = recording(Full {
            room: 4,
            then: Some(io::ErrorKind::StorageFull),
            interrupted_once: false,
        });
        assert!(out.write_all(b"<a href=\"a.html\">").is_err());
        assert_eq!(
            out.error.map(|e| e.kind()),
            Some(io::ErrorKind::StorageFull)
        );
    }

    #[test]
    fn a_file_that_takes_nothing_more_is_a_failure_to_write() {
        let mut out = recording(Full {
            room: 2,
            then: None,
            interrupted_once: false,
        });
        assert!(out.write_all(b"abcdef").is_err());
        assert_eq!(out.error.map(|e| e.kind()), Some(io::ErrorKind::WriteZero));
    }

    #[test]
    fn an_interrupted_write_tried_again_is_no_failure() {
        let mut out = recording(Full {
            room: 100,
            then: None,
            interrupted_once: true,
        });
        out.write_all(b"<a href=\"a.html\">").unwrap();
        assert!(out.error.is_none());
        let links = out.hrefs.take().unwrap().links("index.html");
        assert_eq!(links, ["a.html"]);
    }

    #[test]
    fn a_template_failing_in_a_file_is_the_templates_failure() {
        let dir = tempfile::tempdir().unwrap();
        let folder = Folder::new(dir.path());
        let problem = Diagnostic::error(
            "template-render",
            "failed",
            didact_diag::Span::file_start(didact_diag::FileId(0)),
        );
        let result = folder.put_with("imprimer.html", &mut |out| {
            out.write_all(b"<p>").expect("the file takes it");
            Err(problem.clone())
        });
        assert_eq!(result.unwrap_err().code, "template-render");
        let (written, _) = folder.finish().unwrap();
        assert_eq!(written.files, 0);
    }

    #[test]
    fn an_output_written_twice_is_one_file() {
        let dir = tempfile::tempdir().unwrap();
        let folder = Folder::new(dir.path());
        folder.put("imprimer.html", Cow::Borrowed(b"page"));
        folder.copy("imprimer.html", b"content file");
        let (written, links) = folder.finish().unwrap();
        assert_eq!(written, Written { files: 1, pages: 1 });
        assert!(links.contains_key("imprimer.html"));
        let on_disk = fs::read(dir.path().join("imprimer.html")).unwrap();
        assert_eq!(on_disk, b"content file");
    }
}
