//! `didact check`: every check of the build, nothing written; `--external` also asks every
//! `http(s)://` link over the network (see `external`).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use didact_site::Compiler;

use crate::external::{check_external_links, Options};
use crate::output::{print_diagnostics, summary, Report};
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
    /// Also check every external http(s) link over the network (HEAD, then GET when refused,
    /// redirects followed); a broken one is a warning `external-link-broken`. Without it,
    /// check makes no network access at all.
    #[arg(long)]
    pub external: bool,
    /// Seconds allowed for each external link request.
    #[arg(long, default_value_t = 10, value_name = "SECONDS")]
    pub timeout: u64,
    /// External link requests in flight at once.
    #[arg(long, default_value_t = 8)]
    pub jobs: usize,
}

/// Run `didact check`.
pub fn run(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let inputs = didact_site::read_inputs(&args.root)?;
    let mut compiler = Compiler::new();
    compiler.build(&inputs);
    let mut diagnostics = compiler.diagnostics().to_vec();
    if args.external {
        let options = Options {
            timeout: Duration::from_secs(args.timeout),
            concurrency: args.jobs,
        };
        let mut broken = check_external_links(&compiler.external_links(), options);
        didact_diag::sort(&mut broken, compiler.files());
        diagnostics.extend(broken);
    }
    let report = Report {
        diagnostics: &diagnostics,
        files: compiler.files(),
    };
    print_diagnostics(report, args.format);
    if args.format == Format::Human {
        eprintln!("{}", summary(report));
    }
    Ok(if report.error_count() > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
