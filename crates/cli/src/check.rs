//! `didact check`: every check of the build, nothing written.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::output::{print_diagnostics, summary};
use crate::Format;

/// Options of `didact check`.
#[derive(clap::Args)]
pub struct CheckArgs {
    /// Folder holding book.toml and content/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Output format of the diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// Run `didact check`.
pub fn run(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let result = didact_site::build(&args.root)?;
    print_diagnostics(&result, args.format);
    if args.format == Format::Human {
        eprintln!("{}", summary(&result));
    }
    Ok(if result.error_count() > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
