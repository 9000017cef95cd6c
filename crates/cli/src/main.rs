//! `didact`: create, check, build and serve a course.
//!
//! The only crate that talks to the terminal: it parses arguments, calls `site`, prints
//! diagnostics like a compiler and chooses the exit code (0 success, 1 the course has errors,
//! 2 usage or system failure). It holds no domain logic. Start with [`Command`]; each
//! subcommand lives in its own module (`build`, `check`, `new`, `serve`).

mod build;
mod check;
mod external;
mod new;
mod output;
mod serve;

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// didact turns a Markdown course into a static, interactive course website that works offline
/// (open index.html from the disk, no server needed).
///
/// Typical session: `didact new mon-cours`, `cd mon-cours`, `didact serve --open`, edit the
/// Markdown files under content/, then `didact check` and `didact build`.
///
/// Exit codes: 0 success (warnings allowed), 1 the course has errors, 2 usage or system failure.
#[derive(Parser)]
#[command(name = "didact", version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the course into a static site (written aside, then swapped in).
    ///
    /// The site is written into a temporary folder next to the output folder and swapped in
    /// only when everything succeeded: a failed or interrupted build leaves the previous
    /// output untouched. Two builds of the same course are byte-identical.
    ///
    /// Example: `didact build --out site`, then open site/index.html.
    Build(build::BuildArgs),
    /// Check the course without writing anything: every mistake, all at once.
    ///
    /// Runs every check of `build` (configuration, front matter, links and anchors, images and
    /// files, quizzes, exercises, unique ids, objectives, templates) and reports pages nobody
    /// can reach. Exits with 0 when there is no error, 1 otherwise.
    ///
    /// Example: `didact check --format json`.
    Check(check::CheckArgs),
    /// Serve the course on this computer, rebuild on every change and reload the browser.
    ///
    /// Watches book.toml, content/ and themes/. A mistake does not stop the server: the last
    /// good build stays online and the browser shows the diagnostics over the page until the
    /// file is fixed. Listens on 127.0.0.1 unless --bind says otherwise. Ctrl-C stops it.
    ///
    /// Example: `didact serve --open`.
    Serve(ServeArgs),
    /// Create a new course in DIR: book.toml, one module, one page with a quiz and an exercise.
    ///
    /// The new course builds and passes `didact check` as it is.
    ///
    /// Example: `didact new mon-cours`.
    New(new::NewArgs),
}

/// Options of `didact serve`.
#[derive(clap::Args)]
pub struct ServeArgs {
    /// Folder holding book.toml and content/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Port to listen on (0 picks a free one; the address is printed).
    #[arg(long, short, default_value_t = 4000)]
    pub port: u16,
    /// Address to listen on. Anything but a loopback address makes the course visible to
    /// other computers of the network.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Open the course in the default browser once it is served.
    #[arg(long)]
    pub open: bool,
    /// Also write the served site into this folder (relative to --root), keeping it up to
    /// date file by file after each rebuild. Without it nothing is written to disk.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// How diagnostics are printed.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Like a compiler: `error[code]: message`, `--> file:line:column`, the line, a caret.
    Human,
    /// A JSON array of diagnostics on stdout.
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build(args) => build::run(args),
        Command::Check(args) => check::run(args),
        Command::Serve(args) => serve::run(args),
        Command::New(args) => new::run(args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}
