//! The CI guard on build speed: not a timed test, a ratio measured in the same process.
//!
//! A 100-page generated course is built by didact (in process, through `didact_site`) and by
//! a reference workload compiled with the same profile: the least any static site generator
//! does (split the front matter, render Markdown with pulldown-cmark, wrap every page in a
//! layout holding the navigation of all pages, write it). Both run on the same machine, in
//! the same build profile, alternately, so machine speed, debug or release and CI load cancel
//! out; the best of three runs of each is kept, which removes most scheduling noise. The test
//! fails if didact becomes more than [`MAX_RATIO_TO_REFERENCE`] times the reference: a
//! generous margin that only an accidental quadratic step, per-page template recompilation or
//! the like crosses. When the test is built with optimisations and mdBook is installed,
//! didact is also compared with `mdbook build` (see BENCHMARKS.md).

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use super::corpus::{self, CorpusOptions};

/// Upper bound of didact's build time over the reference workload's (best of three each).
///
/// Measured on the 2-core development machine in the debug test profile: 24–29× (didact
/// also parses quizzes and exercises, renders tera templates, builds the search index,
/// checks links and writes the 100-kB-scale runtime, all unoptimised). About twice that
/// leaves room for noisy CI machines and still catches a step that multiplies the time.
const MAX_RATIO_TO_REFERENCE: f64 = 60.0;

/// Upper bound of didact's 100-page build over mdBook's, when both are optimised builds.
const MAX_RATIO_TO_MDBOOK: f64 = 1.0;

const RUNS: usize = 3;

#[test]
fn a_100_page_build_stays_within_a_small_multiple_of_the_reference_workload() {
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = corpus::generate(CorpusOptions {
        pages: 100,
        seed: super::SEED,
    });
    let course = dir.path().join("course");
    corpus::write_files(&course, &corpus::didact_files(&corpus)).expect("course written");

    let mut didact = Vec::new();
    let mut reference = Vec::new();
    for run in 0..RUNS {
        // Alternate which goes first, so a burst of load on the machine hits both.
        if run.is_multiple_of(2) {
            didact.push(build_with_didact(&course, &dir.path().join("didact-out")));
            reference.push(build_reference(&course, &dir.path().join("reference-out")));
        } else {
            reference.push(build_reference(&course, &dir.path().join("reference-out")));
            didact.push(build_with_didact(&course, &dir.path().join("didact-out")));
        }
    }
    let best = |times: &[Duration]| times.iter().min().expect("at least one run").as_secs_f64();
    let ratio = best(&didact) / best(&reference);
    assert!(
        ratio <= MAX_RATIO_TO_REFERENCE,
        "didact takes {ratio:.2}× the reference workload on 100 pages (best of {RUNS}: {:.3} s vs {:.3} s), above {MAX_RATIO_TO_REFERENCE}×; profile it (BENCHMARKS.md)",
        best(&didact),
        best(&reference)
    );
    // The reference really did the work: one page per source page, with the navigation.
    let written = walkdir::WalkDir::new(dir.path().join("reference-out"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .count();
    assert_eq!(written, corpus.page_count());

    if cfg!(debug_assertions) {
        return;
    }
    let Some(mdbook) = super::tools::find_program("mdbook") else {
        return;
    };
    let book = dir.path().join("mdbook");
    corpus::write_files(&book, &corpus::mdbook_files(&corpus)).expect("book written");
    let mut mdbook_times = Vec::new();
    for _ in 0..RUNS {
        let _ = std::fs::remove_dir_all(book.join("book"));
        let measurement =
            super::process::measure(&mdbook, &["build"], &book).expect("mdbook build");
        mdbook_times.push(measurement.wall);
    }
    let ratio = best(&didact) / best(&mdbook_times);
    assert!(
        ratio <= MAX_RATIO_TO_MDBOOK,
        "didact takes {ratio:.2}× mdBook on 100 pages, above {MAX_RATIO_TO_MDBOOK}×"
    );
}

#[test]
fn the_generated_course_builds_without_diagnostics() {
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = corpus::generate(CorpusOptions {
        pages: 45,
        seed: super::SEED,
    });
    corpus::write_files(dir.path(), &corpus::didact_files(&corpus)).expect("course written");
    let result = didact_site::build(dir.path()).expect("the course can be read");
    let printed: Vec<String> = result
        .diagnostics
        .iter()
        .map(|d| didact_site::render_diagnostic(d, &result.files))
        .collect();
    assert!(printed.is_empty(), "{}", printed.join("\n"));
    let site = result.site.expect("no errors, so a site");
    assert!(
        site.pages_written >= corpus.page_count(),
        "{} pages written",
        site.pages_written
    );
}

fn build_with_didact(course: &Path, out: &Path) -> Duration {
    let started = Instant::now();
    let result = didact_site::build(course).expect("the course can be read");
    let site = result
        .site
        .as_ref()
        .expect("the generated course has no errors");
    didact_site::write_site(site, out).expect("site written");
    started.elapsed()
}

/// The reference static site generator (see the module documentation).
fn build_reference(course: &Path, out: &Path) -> Duration {
    let started = Instant::now();
    let content = course.join("content");
    let mut pages: Vec<(String, String, String)> = Vec::new();
    for entry in walkdir::WalkDir::new(&content).sort_by_file_name() {
        let entry = entry.expect("walk the course");
        let path = entry.path();
        if path.extension().is_none_or(|ext| ext != "md") {
            continue;
        }
        let text = std::fs::read_to_string(path).expect("read a page");
        let rest = text.strip_prefix("---\n").expect("front matter");
        let (front, body) = rest.split_once("\n---\n").expect("end of front matter");
        let title = front
            .lines()
            .find_map(|line| line.strip_prefix("title: "))
            .unwrap_or("")
            .trim_matches('"')
            .to_string();
        let rel = path
            .strip_prefix(&content)
            .expect("inside content/")
            .with_extension("html");
        pages.push((rel.to_string_lossy().into_owned(), title, body.to_string()));
    }
    let mut nav = String::from("<nav><ul>");
    for (rel, title, _) in &pages {
        let _ = write!(nav, "<li><a href=\"/{rel}\">{title}</a></li>");
    }
    nav.push_str("</ul></nav>");
    let options = pulldown_cmark::Options::ENABLE_TABLES
        | pulldown_cmark::Options::ENABLE_FOOTNOTES
        | pulldown_cmark::Options::ENABLE_STRIKETHROUGH
        | pulldown_cmark::Options::ENABLE_SMART_PUNCTUATION;
    let _ = std::fs::remove_dir_all(out);
    for (rel, title, body) in &pages {
        let mut html = format!("<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>{title}</title></head><body>{nav}<main><h1>{title}</h1>");
        pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new_ext(body, options));
        html.push_str("</main></body></html>");
        let path = out.join(rel);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("create a folder");
        std::fs::write(&path, html).expect("write a page");
    }
    started.elapsed()
}
