//! Developer automation: `cargo xtask ci` runs every check CI runs, in CI's order;
//! `cargo xtask bench` compares didact with mdBook, Zola and Hugo (see BENCHMARKS.md).
//!
//! Nothing ships from here. Each step is a plain command so a failure shows the command to
//! rerun by hand.

use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context as _};

mod bench;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("ci") => ci(),
        Some("bench") => {
            let options = bench::parse_args(&args[1..])?;
            let workspace = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../..")
                .canonicalize()
                .context("find the workspace root")?;
            bench::run(&workspace, &options)
        }
        _ => {
            eprintln!(
                "usage: cargo xtask ci | {}\n\n  ci       format, lint, test (unit, integration, browser), boundaries, docs\n  bench    build-speed, memory, rebuild, size and browser benchmarks (BENCHMARKS.md)",
                bench::USAGE
            );
            std::process::exit(2);
        }
    }
}

fn ci() -> anyhow::Result<()> {
    let started = Instant::now();
    check_prerequisites()?;
    run("format", "cargo", &["fmt", "--all", "--check"], &[])?;
    run(
        "lint",
        "cargo",
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
        &[],
    )?;
    // The pure domain crates compile unchanged to wasm and never pull in web crates.
    run(
        "boundaries: pure crates build for wasm",
        "cargo",
        &[
            "check",
            "-p",
            "didact-quiz",
            "-p",
            "didact-sim",
            "-p",
            "didact-search",
            "-p",
            "didact-map",
            "--target",
            "wasm32-unknown-unknown",
        ],
        &[],
    )?;
    let tree = Command::new("cargo")
        .args([
            "tree",
            "-p",
            "didact-quiz",
            "-p",
            "didact-sim",
            "-p",
            "didact-map",
            "-e",
            "normal",
            "-i",
            "web-sys",
        ])
        .output()
        .context("cargo tree")?;
    if tree.status.success() && !String::from_utf8_lossy(&tree.stdout).trim().is_empty() {
        bail!(
            "boundary broken: didact-quiz, didact-sim or didact-map depends on web-sys:\n{}",
            String::from_utf8_lossy(&tree.stdout)
        );
    }
    println!("==> boundaries: quiz, sim and map do not depend on web-sys: ok");
    run(
        "docs",
        "cargo",
        &["doc", "--workspace", "--no-deps", "--quiet"],
        &[("RUSTDOCFLAGS", "-D warnings")],
    )?;
    // Unit, integration and browser tests (Chromium and Firefox from file://) in one command,
    // so features are unified once and nothing is built twice.
    let (passed, failed) = run_tests(&["test", "--workspace"])?;
    println!(
        "==> the wasm runtime was built with {}",
        runtime_toolchain()
            .unwrap_or_else(|| "? (no runtime found under target/debug/build)".into())
    );
    println!(
        "==> all checks passed in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    // The last line: one total over every test binary (cargo prints one line per binary, and
    // the last of those is often a crate's empty doc-test run).
    println!("tests: {passed} passed, {failed} failed");
    Ok(())
}

/// The toolchain named in the header of the newest debug runtime (`crates/site/build.rs` writes
/// it there): the pinned nightly, or `stable` when the build fell back to it.
fn runtime_toolchain() -> Option<String> {
    let target = std::env::var_os("CARGO_TARGET_DIR").unwrap_or_else(|| "target".into());
    let newest = std::fs::read_dir(std::path::Path::new(&target).join("debug/build"))
        .ok()?
        .filter_map(|entry| entry.ok())
        .filter(|entry| {
            entry
                .file_name()
                .to_string_lossy()
                .starts_with("didact-site-")
        })
        .map(|entry| entry.path().join("out/didact-runtime.js"))
        .filter_map(|path| Some((path.metadata().ok()?.modified().ok()?, path)))
        .max()?
        .1;
    let mut header = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(std::fs::File::open(newest).ok()?),
        &mut header,
    )
    .ok()?;
    let (_, rest) = header.split_once('(')?;
    Some(rest.split_once(')')?.0.to_owned())
}

fn run(step: &str, program: &str, args: &[&str], env: &[(&str, &str)]) -> anyhow::Result<()> {
    println!("==> {step}: {program} {}", args.join(" "));
    let started = Instant::now();
    let mut command = Command::new(program);
    command.args(args);
    for (key, value) in env {
        command.env(key, value);
    }
    let status = command
        .status()
        .with_context(|| format!("failed to run {program}"))?;
    if !status.success() {
        bail!(
            "step `{step}` failed ({status}); rerun: {program} {}",
            args.join(" ")
        );
    }
    println!("    {step}: ok in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// Run `cargo test …`, echoing its output, and add up its `test result:` lines.
fn run_tests(args: &[&str]) -> anyhow::Result<(u64, u64)> {
    use std::io::{BufRead, BufReader};
    println!("==> tests: cargo {}", args.join(" "));
    let started = Instant::now();
    let mut child = Command::new("cargo")
        .args(args)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .context("failed to run cargo test")?;
    let (mut passed, mut failed) = (0, 0);
    let stdout = child.stdout.take().expect("stdout is piped");
    for line in BufReader::new(stdout).lines() {
        let line = line.context("reading cargo test output")?;
        println!("{line}");
        if let Some((p, f)) = parse_test_result(&line) {
            passed += p;
            failed += f;
        }
    }
    let status = child.wait().context("waiting for cargo test")?;
    if !status.success() {
        bail!(
            "step `tests` failed ({status}): {passed} passed, {failed} failed; rerun: cargo {}",
            args.join(" ")
        );
    }
    println!("    tests: ok in {:.1} s", started.elapsed().as_secs_f64());
    Ok((passed, failed))
}

/// `(passed, failed)` of a libtest summary line such as
/// `test result: ok. 17 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; …`.
fn parse_test_result(line: &str) -> Option<(u64, u64)> {
    let rest = line.trim().strip_prefix("test result: ")?;
    let count = |word: &str| -> Option<u64> {
        let end = rest.find(&format!(" {word}"))?;
        rest[..end].rsplit([' ', '.', ';']).next()?.parse().ok()
    };
    Some((count("passed")?, count("failed")?))
}

#[test]
fn libtest_summaries_are_added_up() {
    assert_eq!(parse_test_result("test result: ok. 17 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s"), Some((17, 0)));
    assert_eq!(
        parse_test_result("test result: FAILED. 3 passed; 2 failed; 0 ignored"),
        Some((3, 2))
    );
    assert_eq!(parse_test_result("running 3 tests"), None);
}

/// The browser tests need these; say how to get each one instead of failing obscurely.
fn check_prerequisites() -> anyhow::Result<()> {
    let tools: &[(&str, &str)] = &[
        ("chromium", "apt-get install chromium chromium-driver"),
        ("chromedriver", "apt-get install chromium chromium-driver"),
        ("firefox-esr", "apt-get install firefox-esr"),
        ("geckodriver", "cargo install geckodriver --version 0.37.1"),
    ];
    let mut missing = Vec::new();
    for (tool, hint) in tools {
        let found = std::env::var_os("PATH")
            .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(tool).is_file()));
        if !found {
            missing.push(format!("  {tool}: {hint}"));
        }
    }
    let sysroot = Command::new("rustc")
        .args(["--print", "sysroot"])
        .output()
        .context("rustc")?;
    let sysroot = String::from_utf8_lossy(&sysroot.stdout).trim().to_string();
    if !std::path::Path::new(&sysroot)
        .join("lib/rustlib/wasm32-unknown-unknown")
        .is_dir()
    {
        missing
            .push("  wasm32-unknown-unknown std: rustup target add wasm32-unknown-unknown".into());
    }
    let axe = std::env::var_os("DIDACT_AXE")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::PathBuf::from("tests/browser/node_modules/axe-core/axe.min.js")
        });
    if !axe.is_file() {
        missing.push(
            "  axe-core (accessibility checks): npm install --no-save --prefix tests/browser axe-core@4.14.1".into(),
        );
    }
    if !missing.is_empty() {
        bail!(
            "missing prerequisites (bash .ci/run installs them all):\n{}",
            missing.join("\n")
        );
    }
    println!("==> prerequisites: chromium, chromedriver, firefox-esr, geckodriver, wasm32 std, axe-core: ok");
    Ok(())
}
