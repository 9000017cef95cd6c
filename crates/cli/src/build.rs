//! `didact build`: render and write aside, then swap in.
//!
//! 1. Recover from an earlier interrupted build (leftover temporary folders, or an output
//!    moved aside but not yet replaced), 2. build with a progress indicator on a terminal,
//!    each output written aside as soon as it is rendered (`Compiler::build_into` inside
//!    `didact_site::replace_dir`), then swapped in when there is no error, 3. print the
//!    diagnostics and one final line.

use std::fs;
use std::io::{IsTerminal, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;

use crate::output::{plural, print_diagnostics, summary};
use crate::Format;

/// Options of `didact build`.
#[derive(clap::Args)]
pub struct BuildArgs {
    /// Folder holding book.toml and content/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Output folder (relative to the current folder). Its whole content is replaced.
    #[arg(long, short, default_value = "site")]
    pub out: PathBuf,
    /// Delete the output folder first. When the build then fails, nothing is left.
    #[arg(long)]
    pub clean: bool,
    /// Print nothing but errors (no progress, no final line).
    #[arg(long, short)]
    pub quiet: bool,
}

/// Run `didact build`.
pub fn run(args: BuildArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    for note in recover_interrupted(&args.out)? {
        eprintln!("note: {note}");
    }
    if args.clean && args.out.exists() {
        fs::remove_dir_all(&args.out)
            .with_context(|| format!("failed to delete {}", args.out.display()))?;
    }
    let show_progress = !args.quiet && std::io::stderr().is_terminal();
    let inputs = didact_site::read_inputs(&args.root)?;
    // Each page is written into a temporary folder as soon as it is rendered (the site is
    // never held whole in memory), which is swapped in only when the build has no error.
    let interrupted = stop_on_ctrl_c(args.out.clone());
    let mut compiler = didact_site::Compiler::new();
    // On a worker of its own pool, the build's sequential steps reuse the memory its parallel
    // steps freed: glibc gives each thread its own arena, and from the main thread the peak
    // at 5 000 pages was 24 MB higher (BENCHMARKS.md, "Peak memory at 5 000 pages").
    let pool = rayon::ThreadPoolBuilder::new().build()?;
    let written = with_progress(show_progress, || {
        pool.install(|| {
            didact_site::replace_dir(&args.out, |staging| compiler.build_into(&inputs, staging))
        })
    });
    interrupted.store(false, Ordering::SeqCst);
    // The course's problems first, even when writing failed.
    print_diagnostics(&compiler, Format::Human);
    let written = written?;
    let unchanged = if args.clean {
        "the output folder was deleted by --clean".to_string()
    } else {
        format!("{} is unchanged", args.out.display())
    };
    let Some(written) = written else {
        eprintln!("{} — nothing was written; {unchanged}", summary(&compiler));
        return Ok(ExitCode::from(1));
    };
    if !args.quiet {
        let warnings = if compiler.diagnostics().is_empty() {
            String::new()
        } else {
            format!(" — {}", summary(&compiler))
        };
        println!(
            "built {} ({} files) into {} in {:.2} s{warnings}",
            plural(written.pages, "page"),
            written.files,
            args.out.display(),
            started.elapsed().as_secs_f64(),
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Temporary folders `didact_site::replace_dir` uses next to `out`: `.NAME.building-PID` and
/// `.NAME.previous-PID`.
fn leftovers(out: &Path) -> anyhow::Result<(Vec<PathBuf>, Vec<PathBuf>)> {
    let parent = parent_of(out);
    let Some(name) = out.file_name().map(|n| n.to_string_lossy().to_string()) else {
        return Ok((Vec::new(), Vec::new()));
    };
    let (mut building, mut previous) = (Vec::new(), Vec::new());
    let Ok(entries) = fs::read_dir(parent) else {
        return Ok((building, previous));
    };
    for entry in entries {
        let entry = entry.with_context(|| format!("failed to list {}", parent.display()))?;
        let file_name = entry.file_name().to_string_lossy().to_string();
        if file_name.starts_with(&format!(".{name}.building-")) {
            building.push(entry.path());
        } else if file_name.starts_with(&format!(".{name}.previous-")) {
            previous.push(entry.path());
        }
    }
    building.sort();
    previous.sort();
    Ok((building, previous))
}

/// Undo what an interrupted build left: delete half-written sites, and put back a previous
/// output that was moved aside but never replaced. Returns what was done, to tell the author.
fn recover_interrupted(out: &Path) -> anyhow::Result<Vec<String>> {
    let mut res = Vec::new();
    let (building, previous) = leftovers(out)?;
    for dir in building {
        fs::remove_dir_all(&dir).with_context(|| format!("failed to delete {}", dir.display()))?;
        res.push(format!(
            "deleted {}, left by an interrupted build",
            dir.display()
        ));
    }
    for dir in previous {
        if out.exists() {
            fs::remove_dir_all(&dir)
                .with_context(|| format!("failed to delete {}", dir.display()))?;
        } else {
            fs::rename(&dir, out)
                .with_context(|| format!("failed to restore {}", out.display()))?;
            res.push(format!(
                "restored {} from {}, left by an interrupted build",
                out.display(),
                dir.display()
            ));
        }
    }
    Ok(res)
}

fn parent_of(out: &Path) -> &Path {
    out.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// While the returned flag is true, Ctrl-C deletes this build's temporary folder, says the
/// output is unchanged and exits with 130.
fn stop_on_ctrl_c(out: PathBuf) -> Arc<AtomicBool> {
    let writing = Arc::new(AtomicBool::new(true));
    let flag = Arc::clone(&writing);
    // Failing to install the handler only loses the tidy message: the next build recovers.
    let _ = ctrlc::set_handler(move || {
        if flag.load(Ordering::SeqCst) {
            let name = out
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            let staging = parent_of(&out).join(format!(".{name}.building-{}", std::process::id()));
            let _ = fs::remove_dir_all(staging);
            eprintln!(
                "\ninterrupted — nothing was written; {} is unchanged",
                out.display()
            );
        }
        std::process::exit(130);
    });
    writing
}

/// Run `work`, showing a spinner with the elapsed time on stderr when `show` is true.
fn with_progress<T>(show: bool, work: impl FnOnce() -> T) -> T {
    if !show {
        return work();
    }
    let done = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&done);
    let started = Instant::now();
    let spinner = std::thread::spawn(move || {
        const FRAMES: [char; 4] = ['|', '/', '-', '\\'];
        let mut frame = 0;
        // Quick builds finish before anything is drawn.
        std::thread::sleep(Duration::from_millis(300));
        while !flag.load(Ordering::SeqCst) {
            let mut stderr = std::io::stderr().lock();
            let _ = write!(
                stderr,
                "\r{} building the course… {:.1} s",
                FRAMES[frame % FRAMES.len()],
                started.elapsed().as_secs_f64()
            );
            let _ = stderr.flush();
            frame += 1;
            drop(stderr);
            std::thread::sleep(Duration::from_millis(100));
        }
        if frame > 0 {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
        }
    });
    let res = work();
    done.store(true, Ordering::SeqCst);
    let _ = spinner.join();
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_output_moved_aside_and_never_replaced_is_restored() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let aside = dir.path().join(".site.previous-42");
        fs::create_dir_all(&aside).unwrap();
        fs::write(aside.join("index.html"), "old").unwrap();
        fs::create_dir_all(dir.path().join(".site.building-42")).unwrap();
        let notes = recover_interrupted(&out).unwrap();
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
        assert!(!aside.exists());
        assert!(!dir.path().join(".site.building-42").exists());
    }

    #[test]
    fn nothing_to_recover_says_nothing() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("site")).unwrap();
        assert!(recover_interrupted(&dir.path().join("site"))
            .unwrap()
            .is_empty());
    }
}
