//! `didact`: build, check and serve a course.
//!
//! The only crate that talks to the terminal: it parses arguments, calls `site`, prints
//! diagnostics like a compiler and chooses the exit code (0 success, 1 the course has errors,
//! 2 usage or system failure). It holds no domain logic.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};

/// didact turns a Markdown course into a static, interactive course website that works offline.
#[derive(Parser)]
#[command(name = "didact", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the course into a static site (written aside, then swapped in).
    ///
    /// Example: `didact build --root . --out site`, then open site/index.html.
    Build {
        /// Folder holding book.toml and content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder (relative to the current folder).
        #[arg(long, default_value = "site")]
        out: PathBuf,
        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Check the course without writing anything: every mistake, all at once.
    ///
    /// Example: `didact check --format json`.
    Check {
        /// Folder holding book.toml and content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output format of the diagnostics.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// Like a compiler: `error[code]: message`, `--> file:line:column`, the line, a caret.
    Human,
    /// A JSON array of diagnostics on stdout.
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Build { root, out, quiet } => {
            let started = Instant::now();
            let result = didact_site::build(&root)?;
            print_diagnostics(&result, Format::Human);
            let Some(site) = &result.site else {
                eprintln!(
                    "{} — nothing was written; {} is unchanged",
                    summary(&result),
                    out.display()
                );
                return Ok(ExitCode::from(1));
            };
            didact_site::write_site(site, &out)?;
            if !quiet {
                println!(
                    "built {} pages ({} files) into {} in {:.2} s{}",
                    site.pages_written,
                    site.files.len(),
                    out.display(),
                    started.elapsed().as_secs_f64(),
                    if result.warning_count() > 0 {
                        format!(" — {}", summary(&result))
                    } else {
                        String::new()
                    }
                );
                println!("open {} in a browser", out.join("index.html").display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { root, format } => {
            let result = didact_site::build(&root)?;
            print_diagnostics(&result, format);
            if matches!(format, Format::Human) {
                eprintln!("{}", summary(&result));
            }
            Ok(if result.error_count() > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}

fn print_diagnostics(result: &didact_site::BuildResult, format: Format) {
    match format {
        Format::Human => {
            for diagnostic in &result.diagnostics {
                eprintln!("{}", didact_diag::render_text(diagnostic, &result.files));
            }
        }
        Format::Json => println!(
            "{}",
            didact_diag::render_json(&result.diagnostics, &result.files)
        ),
    }
}

fn summary(result: &didact_site::BuildResult) -> String {
    let (errors, warnings) = (result.error_count(), result.warning_count());
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}
