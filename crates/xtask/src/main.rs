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
            "-e",
            "normal",
            "-i",
            "web-sys",
        ])
        .output()
        .context("cargo tree")?;
    if tree.status.success() && !String::from_utf8_lossy(&tree.stdout).trim().is_empty() {
        bail!(
            "boundary broken: didact-quiz or didact-sim depends on web-sys:\n{}",
            String::from_utf8_lossy(&tree.stdout)
        );
    }
    println!("==> boundaries: quiz and sim do not depend on web-sys: ok");
    run(
        "docs",
        "cargo",
        &["doc", "--workspace", "--no-deps", "--quiet"],
        &[("RUSTDOCFLAGS", "-D warnings")],
    )?;
    // Unit, integration and browser tests (Chromium and Firefox from file://) in one command,
    // so features are unified once and nothing is built twice.
    run("tests", "cargo", &["test", "--workspace"], &[])?;
    println!(
        "==> all checks passed in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
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
