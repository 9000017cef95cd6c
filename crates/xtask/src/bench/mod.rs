//! `cargo xtask bench`: didact against mdBook, Zola and Hugo on the same generated French
//! course, reported as medians, spreads and ratios measured in the same run.
//!
//! Steps: 1. build didact in release mode and find (or install) the other tools,
//! 2. for each tier (100, 1 000, 5 000 pages) generate the course in every tool's format
//! ([`corpus`]), 3. run clean full builds, the tools in a different order each run, recording
//! wall time and peak memory ([`process`]), 4. measure one-page rebuilds under each tool's dev
//! server ([`incremental`]), 5. measure widgets and search in headless Chromium from
//! `file://` ([`browser`]) and the sizes of the output, 6. print the report and, with
//! `--update-doc`, write it into BENCHMARKS.md between its markers. Work files go to
//! `$TMPDIR/didact-bench/`, the last report to `target/bench-report.md`.
//! `--check` is the quick regression guard: 100 pages, didact against mdBook only.

pub mod browser;
pub mod corpus;
pub mod incremental;
pub mod process;
pub mod stats;
pub mod tools;
pub mod trash;

#[path = "../../../site/runtime/pack.rs"]
mod pack;

#[cfg(test)]
mod regression;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};

use corpus::{Corpus, CorpusOptions};
use stats::{format_bytes, format_ratio, format_seconds, secs, summarize};
use tools::{Tool, TOOLS};

/// The corpus seed: fixed, so every run of the harness builds the same course.
pub const SEED: u64 = 2026;

/// Command-line options of `cargo xtask bench`.
#[derive(Debug, Clone)]
pub struct BenchOptions {
    /// Page counts to measure.
    pub tiers: Vec<usize>,
    /// Full-build runs per tool and tier; `None` picks 5 up to 1 000 pages, 3 above.
    pub runs: Option<usize>,
    /// Tools to compare with (didact is always measured).
    pub tools: Vec<Tool>,
    /// Install missing tools (`cargo install mdbook`, `apt-get install hugo`).
    pub install: bool,
    /// Measure one-page rebuilds.
    pub incremental: bool,
    /// Measure in headless Chromium.
    pub browser: bool,
    /// Rewrite the report section of BENCHMARKS.md.
    pub update_doc: bool,
    /// Regression mode: 100 pages, didact against mdBook, fail above this ratio.
    pub check: Option<f64>,
    /// A didact binary to use instead of building one.
    pub didact: Option<PathBuf>,
}

impl Default for BenchOptions {
    fn default() -> Self {
        BenchOptions {
            tiers: vec![100, 1000, 5000],
            runs: None,
            tools: TOOLS.to_vec(),
            install: true,
            incremental: true,
            browser: true,
            update_doc: false,
            check: None,
            didact: None,
        }
    }
}

/// Usage text of `cargo xtask bench`.
pub const USAGE: &str =
    "cargo xtask bench [--tiers 100,1000,5000] [--runs N] [--tools mdbook,zola,hugo]
                  [--no-install] [--no-incremental] [--no-browser] [--update-doc]
                  [--didact PATH] [--check [MAX_RATIO]]";

/// Parse the arguments after `bench`.
pub fn parse_args(args: &[String]) -> anyhow::Result<BenchOptions> {
    let mut res = BenchOptions::default();
    let mut args = args.iter().peekable();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().with_context(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--tiers" => {
                res.tiers = value("--tiers")?
                    .split(',')
                    .map(|tier| {
                        tier.trim()
                            .parse()
                            .with_context(|| format!("bad tier {tier:?}"))
                    })
                    .collect::<anyhow::Result<_>>()?;
            }
            "--runs" => res.runs = Some(value("--runs")?.parse().context("bad --runs")?),
            "--tools" => {
                let mut tools = vec![Tool::Didact];
                for name in value("--tools")?.split(',') {
                    let tool = TOOLS
                        .into_iter()
                        .find(|tool| tool.name().eq_ignore_ascii_case(name.trim()))
                        .with_context(|| format!("unknown tool {name:?} (mdbook, zola, hugo)"))?;
                    if !tools.contains(&tool) {
                        tools.push(tool);
                    }
                }
                res.tools = tools;
            }
            "--no-install" => res.install = false,
            "--no-incremental" => res.incremental = false,
            "--no-browser" => res.browser = false,
            "--update-doc" => res.update_doc = true,
            "--didact" => res.didact = Some(PathBuf::from(value("--didact")?)),
            "--check" => {
                let max = match args.peek() {
                    Some(next) if !next.starts_with("--") => args
                        .next()
                        .expect("peeked")
                        .parse()
                        .context("bad --check ratio")?,
                    _ => CHECK_MAX_RATIO,
                };
                res.check = Some(max);
            }
            "--help" | "-h" => {
                println!("usage: {USAGE}");
                std::process::exit(0);
            }
            other => bail!("unknown argument {other:?}\nusage: {USAGE}"),
        }
    }
    if res.check.is_some() {
        res.tiers = vec![100];
        res.tools = vec![Tool::Didact, Tool::MdBook];
        res.incremental = false;
        res.browser = false;
    }
    Ok(res)
}

/// Default bound of `--check`: didact's 100-page build at most this fraction of mdBook's
/// (the target at 5 000 pages is 0.05 and 100 pages measure about 0.3–0.5; small builds are dominated by fixed costs, hence the
/// generous margin).
pub const CHECK_MAX_RATIO: f64 = 1.0;

/// Run the benchmark; `workspace` is the repository root.
pub fn run(workspace: &Path, options: &BenchOptions) -> anyhow::Result<()> {
    let started = Instant::now();
    // Outside the repository: mdBook's watcher obeys the `.gitignore` it finds above the book,
    // and ours ignores `/target`, so `mdbook serve` would never see the edits there.
    let work = std::env::temp_dir().join("didact-bench");
    std::fs::create_dir_all(&work)
        .with_context(|| format!("failed to create {}", work.display()))?;
    let didact = match &options.didact {
        Some(path) => path.clone(),
        None => tools::build_didact(workspace)?,
    };
    let mut binaries: HashMap<Tool, PathBuf> = HashMap::from([(Tool::Didact, didact)]);
    let mut skipped: Vec<(Tool, String)> = Vec::new();
    for &tool in options.tools.iter().filter(|&&tool| tool != Tool::Didact) {
        match tool.find() {
            Some(path) => {
                binaries.insert(tool, path);
            }
            None if options.install => match tool.install()? {
                Ok(path) => {
                    binaries.insert(tool, path);
                }
                Err(reason) => skipped.push((tool, reason)),
            },
            None => skipped.push((tool, "not installed (--no-install)".into())),
        }
    }
    let measured: Vec<Tool> = TOOLS
        .into_iter()
        .filter(|tool| binaries.contains_key(tool))
        .collect();
    if options.check.is_some() && !measured.contains(&Tool::MdBook) {
        bail!("--check needs mdBook: cargo install mdbook --locked");
    }
    let trash = trash::Trash::new(&work)?;
    let mut report = Report::default();
    for &tool in &measured {
        report.versions.push((tool, tool.version(&binaries[&tool])));
    }
    for &pages in &options.tiers {
        let corpus = corpus::generate(CorpusOptions { pages, seed: SEED });
        let tier_dir = work.join(format!("corpus-{pages}"));
        for &tool in &measured {
            trash.discard(&tier_dir.join(tool.name()))?;
            corpus::write_files(&tier_dir.join(tool.name()), &tool.files(&corpus))?;
        }
        let runs = options.runs.unwrap_or(if pages > 1000 { 3 } else { 5 });
        let tier = measure_tier(
            &corpus,
            &tier_dir,
            &measured,
            &binaries,
            runs,
            pages <= 1000,
            &trash,
        )?;
        report.tiers.push(tier);
        let didact_dir = tier_dir.join(Tool::Didact.name());
        if options.incremental && pages >= 1000 {
            for &tool in &measured {
                // A tool whose server misbehaves is reported, not fatal to the whole run.
                match measure_incremental(
                    &corpus,
                    &tier_dir.join(tool.name()),
                    tool,
                    &binaries[&tool],
                ) {
                    Ok((how, latencies)) => report.incremental.push((pages, tool, how, latencies)),
                    Err(error) => {
                        eprintln!("    {} rebuild not measured: {error:#}", tool.name());
                        report.failures.push(format!(
                            "one-page rebuild of {} at {pages} pages: {}",
                            tool.name(),
                            first_line(&error)
                        ));
                    }
                }
            }
        }
        if pages == 1000 || (options.tiers.len() == 1 && report.sizes.is_none()) {
            report.sizes = Some(measure_sizes(&didact_dir.join("site"), pages)?);
            if options.browser {
                match measure_browser(&corpus, &didact_dir, &work) {
                    Ok(loads) => report.browser = Some((pages, loads)),
                    Err(error) => {
                        eprintln!("    browser not measured: {error:#}");
                        report
                            .failures
                            .push(format!("browser at {pages} pages: {}", first_line(&error)));
                    }
                }
            }
        }
    }
    report.skipped = skipped;
    report.elapsed = started.elapsed();
    println!("==> deleting the old outputs set aside during the run");
    trash.empty()?;
    let text = report.to_markdown(&command_line(options));
    println!("\n{text}");
    let out = workspace.join("target/bench-report.md");
    std::fs::write(&out, &text).with_context(|| format!("failed to write {}", out.display()))?;
    println!("report written to {}", out.display());
    if options.update_doc {
        update_doc(&workspace.join("BENCHMARKS.md"), &text)?;
        println!("BENCHMARKS.md updated");
    }
    if let Some(max) = options.check {
        let ratio = report.tiers[0]
            .ratio(Tool::MdBook)
            .context("no mdBook ratio")?;
        if ratio.median > max {
            bail!(
                "regression: didact's 100-page build takes {:.3}× mdBook's (median), above {max}",
                ratio.median
            );
        }
        println!(
            "==> bench check: didact / mdBook = {:.3}× ≤ {max}: ok",
            ratio.median
        );
    }
    Ok(())
}

/// Full builds of one tier.
struct Tier {
    pages: usize,
    runs: usize,
    /// Per tool: (wall seconds, peak bytes) of every run, in run order.
    samples: HashMap<Tool, Vec<(f64, f64)>>,
    order: Vec<Tool>,
}

impl Tier {
    /// didact's time over `other`'s, run by run.
    fn ratio(&self, other: Tool) -> Option<stats::Summary> {
        let didact = self.samples.get(&Tool::Didact)?;
        let other = self.samples.get(&other)?;
        let ratios: Vec<f64> = didact.iter().zip(other).map(|(d, o)| d.0 / o.0).collect();
        summarize(&ratios)
    }

    fn wall(&self, tool: Tool) -> Option<stats::Summary> {
        summarize(
            &self
                .samples
                .get(&tool)?
                .iter()
                .map(|s| s.0)
                .collect::<Vec<_>>(),
        )
    }

    fn peak(&self, tool: Tool) -> Option<stats::Summary> {
        summarize(
            &self
                .samples
                .get(&tool)?
                .iter()
                .map(|s| s.1)
                .collect::<Vec<_>>(),
        )
    }
}

fn measure_tier(
    corpus: &Corpus,
    tier_dir: &Path,
    measured: &[Tool],
    binaries: &HashMap<Tool, PathBuf>,
    runs: usize,
    warm_up: bool,
    trash: &trash::Trash,
) -> anyhow::Result<Tier> {
    let pages = corpus.page_count();
    let build = |tool: Tool| -> anyhow::Result<process::Measurement> {
        let dir = tier_dir.join(tool.name());
        // A clean build: the last output is moved aside, not deleted (see `trash`).
        trash.discard(&dir.join(tool.out_dir()))?;
        process::measure(&binaries[&tool], &tool.build_args(), &dir)
    };
    if warm_up {
        for &tool in measured {
            build(tool)?;
        }
    }
    let mut samples: HashMap<Tool, Vec<(f64, f64)>> = HashMap::new();
    for run in 0..runs {
        // A different tool goes first each run, so drift in the machine's load is shared.
        let mut order = measured.to_vec();
        order.rotate_left(run % measured.len());
        for tool in order {
            let measurement = build(tool)?;
            println!(
                "    {pages:>5} pages, run {}/{runs}: {:<7} {:>8.3} s {:>9}",
                run + 1,
                tool.name(),
                secs(measurement.wall),
                format_bytes(measurement.peak_rss as f64)
            );
            samples
                .entry(tool)
                .or_default()
                .push((secs(measurement.wall), measurement.peak_rss as f64));
        }
    }
    Ok(Tier {
        pages,
        runs,
        samples,
        order: measured.to_vec(),
    })
}

fn measure_incremental(
    corpus: &Corpus,
    dir: &Path,
    tool: Tool,
    binary: &Path,
) -> anyhow::Result<(String, Vec<f64>)> {
    let (source, output) = tool.page_paths(corpus, corpus.probe_page());
    let port = incremental::free_port()?;
    // The page's URL path on a dev server that keeps the site in memory.
    let served = output
        .strip_prefix(tool.out_dir())
        .unwrap_or(&output)
        .trim_end_matches("index.html")
        .to_string();
    let (serve_args, http) = match tool {
        // `didact serve` keeps the site in memory: fetch the page from it.
        Tool::Didact => match didact_serve_args(binary, port) {
            Some(args) => (Some(args), Some((port, served))),
            None => (None, None),
        },
        // `zola serve` (0.17) too: it writes nothing to `public/`.
        Tool::Zola => (tool.serve_args(port), Some((port, served))),
        _ => (tool.serve_args(port), None),
    };
    let probe = incremental::Probe {
        dir,
        source: &source,
        output: &output,
        out_dir: tool.out_dir(),
        http,
    };
    let tool_command = tool.name().to_lowercase();
    let how = match (&serve_args, &probe.http) {
        (Some(args), Some(_)) => {
            format!(
                "`{tool_command} {}`, page fetched over HTTP (served from memory)",
                args[0]
            )
        }
        (Some(args), None) => {
            let shown: Vec<&str> = args
                .iter()
                .map(String::as_str)
                .take_while(|arg| *arg != "--port")
                .collect();
            format!("`{tool_command} {}`, page read from disk", shown.join(" "))
        }
        (None, _) => format!(
            "no watching server: full `{tool_command} {}` after the edit",
            tool.build_args().join(" ")
        ),
    };
    let rebuild = match serve_args {
        Some(args) => incremental::Rebuild::Serve {
            program: binary,
            args,
        },
        None => incremental::Rebuild::Build {
            program: binary,
            args: tool.build_args(),
        },
    };
    println!(
        "==> incremental rebuild: {} at {} pages",
        tool.name(),
        corpus.page_count()
    );
    let latencies = incremental::measure_rebuilds(&rebuild, &probe, 5, Duration::from_secs(20))?;
    Ok((how, latencies.into_iter().map(secs).collect()))
}

/// `didact serve` arguments, when this didact has a `serve` command.
fn didact_serve_args(binary: &Path, port: u16) -> Option<Vec<String>> {
    let help = std::process::Command::new(binary)
        .args(["serve", "--help"])
        .output()
        .ok()?;
    if !help.status.success() || !String::from_utf8_lossy(&help.stdout).contains("--port") {
        return None;
    }
    Some(vec![
        "serve".into(),
        "--root".into(),
        ".".into(),
        "--port".into(),
        port.to_string(),
    ])
}

/// Sizes of the didact output.
struct Sizes {
    pages: usize,
    site: u64,
    search_raw: u64,
    search_gz: u64,
    runtime_raw: u64,
    runtime_gz: u64,
    /// The wasm module packed inside the runtime, raw and gzipped.
    module_raw: u64,
    module_gz: u64,
}

fn measure_sizes(site: &Path, pages: usize) -> anyhow::Result<Sizes> {
    let site_bytes: u64 = walkdir::WalkDir::new(site)
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.metadata().ok())
        .filter(|meta| meta.is_file())
        .map(|meta| meta.len())
        .sum();
    let (search_raw, search_gz) = raw_and_gzipped(&site.join("assets/search-index.js"))?;
    let runtime = site.join("assets/didact-runtime.js");
    let (runtime_raw, runtime_gz) = raw_and_gzipped(&runtime)?;
    let module = tempfile::NamedTempFile::new().context("temp file")?;
    let text = std::fs::read_to_string(&runtime).context("reading the runtime")?;
    let bytes = pack::module_of_runtime(&text).map_err(anyhow::Error::msg)?;
    std::fs::write(module.path(), bytes).context("writing the module")?;
    let (module_raw, module_gz) = raw_and_gzipped(module.path())?;
    Ok(Sizes {
        pages,
        site: site_bytes,
        search_raw,
        search_gz,
        runtime_raw,
        runtime_gz,
        module_raw,
        module_gz,
    })
}

fn raw_and_gzipped(path: &Path) -> anyhow::Result<(u64, u64)> {
    let raw = std::fs::metadata(path)
        .with_context(|| format!("no {}", path.display()))?
        .len();
    let gzip = std::process::Command::new("gzip")
        .args(["-9", "-c"])
        .arg(path)
        .output()
        .context("failed to run gzip")?;
    if !gzip.status.success() {
        bail!("gzip {} failed", path.display());
    }
    Ok((raw, gzip.stdout.len() as u64))
}

fn measure_browser(
    corpus: &Corpus,
    didact_dir: &Path,
    work: &Path,
) -> anyhow::Result<Vec<browser::PageLoad>> {
    let (_, output) = Tool::Didact.page_paths(corpus, corpus.probe_page());
    let probe_page = browser::write_probe_page(&didact_dir.join(output))?;
    let profile = work.join("chromium-profile");
    let _ = std::fs::remove_dir_all(&profile);
    println!("==> browser: widgets and search from file:// in headless Chromium");
    let mut chromium = browser::Browser::start(&profile)?;
    // The first load warms the browser's own caches; it is not reported.
    chromium.measure_page(&probe_page)?;
    (0..5).map(|_| chromium.measure_page(&probe_page)).collect()
}

#[derive(Default)]
struct Report {
    versions: Vec<(Tool, String)>,
    tiers: Vec<Tier>,
    /// (pages, tool, how it was rebuilt, latencies in seconds).
    incremental: Vec<(usize, Tool, String, Vec<f64>)>,
    sizes: Option<Sizes>,
    browser: Option<(usize, Vec<browser::PageLoad>)>,
    skipped: Vec<(Tool, String)>,
    /// Measurements that failed, with the first line of their error.
    failures: Vec<String>,
    elapsed: Duration,
}

impl Report {
    fn to_markdown(&self, command: &str) -> String {
        let mut res = String::new();
        let _ = writeln!(
            res,
            "Command: `{command}` — took {:.1} min.\n",
            self.elapsed.as_secs_f64() / 60.0
        );
        let _ = writeln!(res, "Machine: {}.\n", machine());
        let versions: Vec<String> = self
            .versions
            .iter()
            .map(|(tool, version)| format!("{}: `{version}`", tool.name()))
            .collect();
        let _ = writeln!(res, "Tools: {}.\n", versions.join("; "));
        for (tool, reason) in &self.skipped {
            let _ = writeln!(res, "Skipped {}: {reason}.\n", tool.name());
        }
        for failure in &self.failures {
            let _ = writeln!(res, "Failed: {failure}.\n");
        }
        res.push_str(&self.targets());
        res.push_str("\n### Full clean builds\n\n");
        res.push_str("Wall time, median (min–max) over the runs; the tools alternate run by run. ");
        res.push_str(
            "Ratio = didact's time / the other tool's time in the same run, median (min–max).\n\n",
        );
        res.push_str("| pages | runs | tool | wall time | peak memory | didact ratio |\n| ---: | ---: | --- | --- | --- | --- |\n");
        for tier in &self.tiers {
            for &tool in &tier.order {
                let (Some(wall), Some(peak)) = (tier.wall(tool), tier.peak(tool)) else {
                    continue;
                };
                let ratio = if tool == Tool::Didact {
                    "—".to_string()
                } else {
                    tier.ratio(tool).map(format_ratio).unwrap_or_default()
                };
                let _ = writeln!(
                    res,
                    "| {} | {} | {} | {} | {} ({}–{}) | {ratio} |",
                    tier.pages,
                    tier.runs,
                    tool.name(),
                    format_seconds(wall),
                    format_bytes(peak.median),
                    format_bytes(peak.min),
                    format_bytes(peak.max),
                );
            }
        }
        if !self.incremental.is_empty() {
            res.push_str("\n### One-page rebuild (edit → new page on disk, or served)\n\n");
            res.push_str("| pages | tool | how | latency, median (min–max) | edits |\n| ---: | --- | --- | --- | ---: |\n");
            for (pages, tool, how, latencies) in &self.incremental {
                if let Some(summary) = summarize(latencies) {
                    let _ = writeln!(
                        res,
                        "| {pages} | {} | {how} | {} | {} |",
                        tool.name(),
                        format_seconds(summary),
                        latencies.len()
                    );
                }
            }
        }
        if let Some(sizes) = &self.sizes {
            let _ = writeln!(res, "\n### Sizes (didact, {} pages)\n", sizes.pages);
            res.push_str("| what | raw | gzip -9 |\n| --- | ---: | ---: |\n");
            let _ = writeln!(
                res,
                "| whole site | {} | — |",
                format_bytes(sizes.site as f64)
            );
            let _ = writeln!(
                res,
                "| search index (`assets/search-index.js`) | {} | {} |",
                format_bytes(sizes.search_raw as f64),
                format_bytes(sizes.search_gz as f64)
            );
            let _ = writeln!(
                res,
                "| wasm runtime (`assets/didact-runtime.js`, wasm packed inside) | {} | {} |",
                format_bytes(sizes.runtime_raw as f64),
                format_bytes(sizes.runtime_gz as f64)
            );
            let _ = writeln!(
                res,
                "| the wasm module it unpacks | {} | {} |",
                format_bytes(sizes.module_raw as f64),
                format_bytes(sizes.module_gz as f64)
            );
        }
        if let Some((pages, loads)) = &self.browser {
            let _ = writeln!(
                res,
                "\n### In the browser (headless Chromium, `file://`, {pages} pages, {} loads)\n",
                loads.len()
            );
            res.push_str("| what | median (min–max) |\n| --- | --- |\n");
            let ms = |values: Vec<f64>| {
                summarize(&values).map(|s| {
                    format_seconds(stats::Summary {
                        median: s.median / 1e3,
                        min: s.min / 1e3,
                        max: s.max / 1e3,
                    })
                })
            };
            if let Some(text) = ms(loads.iter().map(|l| l.ready_after_load_ms).collect()) {
                let _ = writeln!(res, "| widgets ready after the `load` event | {text} |");
            }
            if let Some(text) = ms(loads.iter().map(|l| l.ready_since_start_ms).collect()) {
                let _ = writeln!(res, "| widgets ready after navigation start | {text} |");
            }
            if let Some(text) = ms(loads.iter().filter_map(|l| l.unpack_ms).collect()) {
                let _ = writeln!(res, "| of which unpacking the runtime's module | {text} |");
            }
            match ms(loads.iter().filter_map(|l| l.search_ms).collect()) {
                Some(text) => {
                    let _ = writeln!(res, "| search: typing → results shown | {text} |");
                }
                None => res.push_str("| search: typing → results shown | not measured: the page has no search box yet |\n"),
            }
        }
        res
    }

    fn targets(&self) -> String {
        let mut res =
            String::from("### Targets\n\n| target | measured | status |\n| --- | --- | --- |\n");
        let tier = |pages: usize| self.tiers.iter().find(|tier| tier.pages == pages);
        let mut row = |target: String, measured: Option<(String, bool)>, missing: &str| {
            let (text, status) = match measured {
                Some((text, ok)) => (text, if ok { "met" } else { "**not met**" }),
                None => (missing.to_string(), "not measured"),
            };
            let _ = writeln!(res, "| {target} | {text} | {status} |");
        };
        for pages in [1000, 5000] {
            for (other, max) in [(Tool::Zola, 0.5), (Tool::Hugo, 0.5), (Tool::MdBook, 0.05)] {
                if other == Tool::MdBook && pages != 5000 {
                    continue;
                }
                let measured = tier(pages)
                    .and_then(|tier| tier.ratio(other))
                    .map(|ratio| (format_ratio(ratio), ratio.median <= max));
                row(
                    format!("full build, {pages} pages ≤ {max} × {}", other.name()),
                    measured,
                    "tool or tier not run",
                );
            }
        }
        let linear = tier(1000).zip(tier(5000)).and_then(|(small, large)| {
            let ratio = large.wall(Tool::Didact)?.median / small.wall(Tool::Didact)?.median;
            Some((format!("5 000 / 1 000 = {ratio:.2}"), ratio <= 6.0))
        });
        row(
            "linear growth: 5 000 pages ≤ 6 × 1 000".into(),
            linear,
            "tier not run",
        );
        let memory = tier(5000).and_then(|tier| {
            let didact = tier.peak(Tool::Didact)?.median;
            let zola = tier.peak(Tool::Zola)?.median;
            Some((
                format!("{} vs {}", format_bytes(didact), format_bytes(zola)),
                didact < zola,
            ))
        });
        row(
            "peak memory at 5 000 pages < Zola's".into(),
            memory,
            "Zola or the 5 000-page tier not run",
        );
        for pages in [1000, 5000] {
            let median = |tool: Tool| {
                self.incremental
                    .iter()
                    .find(|(p, t, _, _)| *p == pages && *t == tool)
                    .and_then(|(_, _, _, latencies)| summarize(latencies))
            };
            let measured = median(Tool::Didact)
                .zip(median(Tool::Zola))
                .map(|(didact, zola)| {
                    (
                        format!(
                            "{:.0} ms vs {:.0} ms",
                            didact.median * 1e3,
                            zola.median * 1e3
                        ),
                        didact.median < zola.median,
                    )
                });
            let fallback = match median(Tool::Didact) {
                Some(didact) => format!("Zola not run; didact {:.0} ms", didact.median * 1e3),
                None => "tier not run".into(),
            };
            row(
                format!("one-page rebuild at {pages} pages < Zola --fast"),
                measured,
                &fallback,
            );
        }
        let browser_pages = self.browser.as_ref().map_or(0, |(pages, _)| *pages);
        let loads = self
            .browser
            .as_ref()
            .map(|(_, loads)| loads.as_slice())
            .unwrap_or(&[]);
        let search =
            summarize(&loads.iter().filter_map(|l| l.search_ms).collect::<Vec<_>>()).map(|s| {
                (
                    format!("{:.0} ms at {browser_pages} pages", s.median),
                    s.median <= 100.0,
                )
            });
        row(
            "search ≤ 100 ms after typing, 1 000 pages".into(),
            search,
            "no search box on the pages yet",
        );
        let wasm = self.sizes.as_ref().map(|sizes| {
            (
                format!(
                    "{} gzipped (the module inside: {} raw, {} gzipped)",
                    format_bytes(sizes.runtime_gz as f64),
                    format_bytes(sizes.module_raw as f64),
                    format_bytes(sizes.module_gz as f64)
                ),
                sizes.runtime_gz <= 250_000,
            )
        });
        row("wasm script ≤ 250 kB gzipped".into(), wasm, "not run");
        let widgets = summarize(
            &loads
                .iter()
                .map(|l| l.ready_after_load_ms)
                .collect::<Vec<_>>(),
        )
        .map(|s| (format!("{:.0} ms after load", s.median), s.median <= 300.0));
        row(
            "widgets interactive ≤ 300 ms after load".into(),
            widgets,
            "browser not run",
        );
        res
    }
}

fn first_line(error: &anyhow::Error) -> String {
    format!("{error:#}")
        .lines()
        .next()
        .unwrap_or("")
        .to_string()
}

fn command_line(options: &BenchOptions) -> String {
    let mut res = String::from("cargo xtask bench");
    if options.check.is_some() {
        res.push_str(" --check");
        return res;
    }
    if options.tiers != BenchOptions::default().tiers {
        let tiers: Vec<String> = options.tiers.iter().map(usize::to_string).collect();
        let _ = write!(res, " --tiers {}", tiers.join(","));
    }
    if let Some(runs) = options.runs {
        let _ = write!(res, " --runs {runs}");
    }
    if !options.incremental {
        res.push_str(" --no-incremental");
    }
    if !options.browser {
        res.push_str(" --no-browser");
    }
    if options.update_doc {
        res.push_str(" --update-doc");
    }
    res
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|line| line.starts_with("model name"))
                .map(|line| line.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .next()
                .and_then(|line| line.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or("?".to_string(), |kb| format!("{:.0} GB RAM", kb / 1e6));
    format!(
        "{cpu}, {cores} cores available, {memory}, {}",
        std::env::consts::OS
    )
}

const DOC_BEGIN: &str = "<!-- bench:begin (written by cargo xtask bench --update-doc) -->";
const DOC_END: &str = "<!-- bench:end -->";

/// Replace the text between the report markers of BENCHMARKS.md.
fn update_doc(path: &Path, report: &str) -> anyhow::Result<()> {
    let doc = std::fs::read_to_string(path)
        .with_context(|| format!("failed to read {}", path.display()))?;
    let updated = replace_between_markers(&doc, report).with_context(|| {
        format!(
            "{} lacks the markers {DOC_BEGIN} … {DOC_END}",
            path.display()
        )
    })?;
    std::fs::write(path, updated).with_context(|| format!("failed to write {}", path.display()))
}

fn replace_between_markers(doc: &str, report: &str) -> Option<String> {
    let begin = doc.find(DOC_BEGIN)? + DOC_BEGIN.len();
    let end = begin + doc[begin..].find(DOC_END)?;
    Some(format!(
        "{}\n\n{}\n{}",
        &doc[..begin],
        report.trim_end(),
        &doc[end..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn check_mode_measures_100_pages_against_mdbook_only() {
        let options = parse_args(&args("--check 0.4")).unwrap();
        assert_eq!(options.tiers, vec![100]);
        assert_eq!(options.tools, vec![Tool::Didact, Tool::MdBook]);
        assert_eq!(options.check, Some(0.4));
        assert_eq!(
            parse_args(&args("--check")).unwrap().check,
            Some(CHECK_MAX_RATIO)
        );
    }

    #[test]
    fn tiers_and_tools_are_parsed() {
        let options =
            parse_args(&args("--tiers 100,1000 --tools hugo,mdbook --no-browser")).unwrap();
        assert_eq!(options.tiers, vec![100, 1000]);
        assert_eq!(options.tools, vec![Tool::Didact, Tool::Hugo, Tool::MdBook]);
        assert!(!options.browser);
        assert!(parse_args(&args("--tools jekyll")).is_err());
        assert!(parse_args(&args("--frobnicate")).is_err());
    }

    #[test]
    fn the_report_replaces_only_the_text_between_the_markers() {
        let doc = format!("# Benchmarks\nintro\n{DOC_BEGIN}\nold table\n{DOC_END}\nafter\n");
        let updated = replace_between_markers(&doc, "new table\n").unwrap();
        assert_eq!(
            updated,
            format!("# Benchmarks\nintro\n{DOC_BEGIN}\n\nnew table\n{DOC_END}\nafter\n")
        );
        assert_eq!(replace_between_markers("no markers", "x"), None);
    }

    #[test]
    fn ratios_pair_runs_of_the_same_index() {
        let tier = Tier {
            pages: 100,
            runs: 3,
            samples: HashMap::from([
                (Tool::Didact, vec![(1.0, 0.0), (2.0, 0.0), (3.0, 0.0)]),
                (Tool::Hugo, vec![(4.0, 0.0), (4.0, 0.0), (4.0, 0.0)]),
            ]),
            order: vec![Tool::Didact, Tool::Hugo],
        };
        let ratio = tier.ratio(Tool::Hugo).unwrap();
        assert_eq!((ratio.median, ratio.min, ratio.max), (0.5, 0.25, 0.75));
        assert!(tier.ratio(Tool::Zola).is_none());
    }
}
