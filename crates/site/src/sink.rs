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
    /// is returned as it is.
    fn put_with(
        &self,
        path: &str,
        write: &mut dyn FnMut(&mut dyn Write) -> Result<(), Diagnostic>,
    ) -> Result<(), Diagnostic>;
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
    files: AtomicUsize,
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
            files: AtomicUsize::new(0),
            pages: AtomicUsize::new(0),
        }
    }

    /// What was written and the links of every page, or the first failure to write.
    pub fn finish(self) -> anyhow::Result<(Written, HashMap<String, Vec<String>>)> {
        if let Some(error) = self.error.into_inner().expect("no thread panicked") {
            return Err(error);
        }
        let written = Written {
            files: self.files.into_inner(),
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

    fn failed(&self) -> bool {
        self.error.lock().expect("no thread panicked").is_some()
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

    fn count(&self, path: &str) {
        self.files.fetch_add(1, Ordering::Relaxed);
        if path.ends_with(".html") {
            self.pages.fetch_add(1, Ordering::Relaxed);
        }
    }
}

impl Folder {
    /// Write a file copied as it is (a theme or content file): neither a page nor links,
    /// even when its name ends in `.html`, as in a site built in memory.
    pub fn copy(&self, path: &str, bytes: &[u8]) {
        if !self.failed() && self.write_file(path, bytes) {
            self.files.fetch_add(1, Ordering::Relaxed);
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
                    let id = u32::try_from(self.names.len()).expect("fewer than 4 billion pages");
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

impl<W: Write> Write for Recording<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.inner.write(buf) {
            Ok(n) => {
                if let Some(hrefs) = &mut self.hrefs {
                    hrefs.feed(&buf[..n]);
                }
                Ok(n)
            }
            Err(error) => {
                self.error
                    .get_or_insert_with(|| io::Error::new(error.kind(), error.to_string()));
                Err(error)
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush().inspect_err(|error| {
            self.error
                .get_or_insert_with(|| io::Error::new(error.kind(), error.to_string()));
        })
    }
}
