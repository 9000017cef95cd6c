//! `didact new <dir>`: a minimal French course that builds and passes `check` as it is.
//! The files are embedded from `crates/cli/templates/new/`; `{{id}}`, `{{title}}` and
//! `{{date}}` are filled in.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{bail, Context as _};

/// Options of `didact new`.
#[derive(clap::Args)]
pub struct NewArgs {
    /// Folder to create (it must not exist, or be empty).
    pub dir: PathBuf,
    /// Title of the course (default: « Mon cours »).
    #[arg(long)]
    pub title: Option<String>,
}

/// The files of a new course: path relative to the course root, text.
const FILES: &[(&str, &str)] = &[
    ("book.toml", include_str!("../templates/new/book.toml")),
    (
        "content/01-premiers-pas/index.md",
        include_str!("../templates/new/content/01-premiers-pas/index.md"),
    ),
    (
        "content/01-premiers-pas/01-bienvenue.md",
        include_str!("../templates/new/content/01-premiers-pas/01-bienvenue.md"),
    ),
    (
        "content/scenarios/exemple.yaml",
        include_str!("../templates/new/content/scenarios/exemple.yaml"),
    ),
    (
        "content/changelog.yaml",
        include_str!("../templates/new/content/changelog.yaml"),
    ),
];

/// Run `didact new`.
pub fn run(args: NewArgs) -> anyhow::Result<ExitCode> {
    let dir = &args.dir;
    if dir.exists() {
        let mut entries =
            fs::read_dir(dir).with_context(|| format!("{} is not a folder", dir.display()))?;
        if entries.next().is_some() {
            bail!(
                "{} already exists and is not empty: choose a new folder",
                dir.display()
            );
        }
    }
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let id = course_id(&name);
    let title = args.title.unwrap_or_else(|| "Mon cours".to_string());
    let date = today();
    for (path, text) in FILES {
        let text = text
            .replace("{{id}}", &id)
            .replace("{{title}}", &title.replace('"', "\\\""))
            .replace("{{date}}", &date);
        write(&dir.join(path), &text)?;
    }
    println!("created the course « {title} » in {}", dir.display());
    println!("next: cd {} && didact serve --open", dir.display());
    Ok(ExitCode::SUCCESS)
}

fn write(path: &Path, text: &str) -> anyhow::Result<()> {
    let parent = path.parent().expect("a template path has a parent");
    fs::create_dir_all(parent).with_context(|| format!("failed to create {}", parent.display()))?;
    fs::write(path, text).with_context(|| format!("failed to write {}", path.display()))
}

/// A course id from a folder name: lower-case ASCII letters, digits and single dashes.
fn course_id(name: &str) -> String {
    let mut res = String::new();
    for c in name.chars() {
        let c = fold_accent(c).to_ascii_lowercase();
        if c.is_ascii_alphanumeric() {
            res.push(c);
        } else if !res.is_empty() && !res.ends_with('-') {
            res.push('-');
        }
    }
    let res = res.trim_end_matches('-').to_string();
    if res.is_empty() {
        "cours".to_string()
    } else {
        res
    }
}

fn fold_accent(c: char) -> char {
    match c {
        'à' | 'â' | 'ä' | 'À' | 'Â' => 'a',
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' => 'e',
        'î' | 'ï' | 'Î' => 'i',
        'ô' | 'ö' | 'Ô' => 'o',
        'ù' | 'û' | 'ü' | 'Û' => 'u',
        'ç' | 'Ç' => 'c',
        c => c,
    }
}

/// Today's date (UTC) as `YYYY-MM-DD`.
fn today() -> String {
    let days = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() / 86_400)
        .unwrap_or(0);
    civil_date(days as i64)
}

/// Days since 1970-01-01 → `YYYY-MM-DD` (Howard Hinnant's `civil_from_days`).
fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn course_ids_are_folded_to_letters_digits_and_dashes() {
        assert_eq!(course_id("Mon Cours élémentaire"), "mon-cours-elementaire");
        assert_eq!(course_id("__"), "cours");
        assert_eq!(course_id("chorus-pro-2"), "chorus-pro-2");
    }

    #[test]
    fn civil_dates_are_right_around_leap_days() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(19_782), "2024-02-29");
        assert_eq!(civil_date(20_421), "2025-11-29");
    }
}
