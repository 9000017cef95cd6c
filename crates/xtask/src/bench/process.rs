//! Running a tool once: wall time and peak memory (from `wait4`'s rusage, so no
//! `/usr/bin/time` is needed), with its output kept for the error message.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};

/// One measured run of a command.
#[derive(Debug, Clone, Copy)]
pub struct Measurement {
    /// Wall time from spawn to exit.
    pub wall: Duration,
    /// Peak resident set size of the process, in bytes.
    pub peak_rss: u64,
}

/// Run `program args` in `dir`, wait for it, and fail with its output if it fails.
pub fn measure(program: &Path, args: &[&str], dir: &Path) -> anyhow::Result<Measurement> {
    let log = dir.join(".bench-log");
    let log_file = std::fs::File::create(&log)
        .with_context(|| format!("failed to create {}", log.display()))?;
    let started = Instant::now();
    let child = Command::new(program)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::from(
            log_file.try_clone().context("clone the log file")?,
        ))
        .stderr(Stdio::from(log_file))
        .spawn()
        .with_context(|| format!("failed to start {}", program.display()))?;
    let (status, peak_rss) = wait_with_rusage(child.id())?;
    let wall = started.elapsed();
    // The child was reaped by wait4; dropping the handle neither waits nor kills.
    drop(child);
    if status != 0 {
        bail!(
            "`{} {}` failed in {} (wait status {status}):\n{}",
            program.display(),
            args.join(" "),
            dir.display(),
            tail(&std::fs::read_to_string(&log).unwrap_or_default(), 40)
        );
    }
    Ok(Measurement { wall, peak_rss })
}

/// Wait for the process `pid` and return its raw wait status (0 on a clean exit 0) and its
/// peak resident set size in bytes.
fn wait_with_rusage(pid: u32) -> anyhow::Result<(i32, u64)> {
    let pid = libc::pid_t::try_from(pid).context("pid out of range")?;
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero rusage is a valid value of this plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: both pointers refer to live locals of the right types; `pid` is our own child.
        let ret = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if ret == pid {
            break;
        }
        let error = std::io::Error::last_os_error();
        if error.kind() != std::io::ErrorKind::Interrupted {
            return Err(error).context("wait4");
        }
    }
    // Linux reports ru_maxrss in kibibytes.
    let peak_rss = u64::try_from(usage.ru_maxrss).unwrap_or(0) * 1024;
    Ok((status, peak_rss))
}

fn tail(text: &str, n_lines: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n_lines)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peak_memory_of_a_child_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        // `sh` allocates a few hundred kilobytes at least; the point is that it is not zero.
        let measurement = measure(Path::new("/bin/sh"), &["-c", "true"], dir.path()).unwrap();
        assert!(measurement.peak_rss > 100 * 1024, "{measurement:?}");
    }

    #[test]
    fn a_failing_command_is_an_error_with_its_output() {
        let dir = tempfile::tempdir().unwrap();
        let error = measure(
            Path::new("/bin/sh"),
            &["-c", "echo boom >&2; exit 3"],
            dir.path(),
        )
        .unwrap_err();
        assert!(format!("{error:#}").contains("boom"), "{error:#}");
    }
}
