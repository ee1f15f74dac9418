//! The `crm-roi` binary: parses the command line, runs the command and maps
//! errors to exit codes (0 ok, 2 invalid input or usage, 1 anything else).
//! A closed stdout (`crm-roi ... | head`) is not an error. Ctrl-C, SIGTERM
//! and SIGHUP stop the work at a safe point, which removes half-written
//! results; the exit code is then 128 + the signal (130, 143, 129).
//! The commands live in `commands/`, one file each.

mod cli;
mod commands;
mod interrupt;

use clap::Parser;
use commands::common::{InvalidInput, is_broken_pipe, print_scenario_errors};
use crm_roi::config::ScenarioErrors;
use crm_roi::report::text::terminal;
use std::io::Write as _;
use std::process::ExitCode;

fn main() -> ExitCode {
    return_large_blocks();
    // Read while the process has one thread (see `report::umask`).
    #[cfg(unix)]
    crm_roi::report::umask();
    let cli = cli::Cli::parse();
    // `validate`, `schema`, `completions` and `man` write no files: the
    // signals keep their default action there (the process ends at once).
    use cli::Command::{Completions, Man, Schema, Validate};
    if !matches!(cli.command, Validate(_) | Schema | Completions(_) | Man(_)) {
        interrupt::install();
    }
    match commands::dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => exit_code(&e),
    }
}

/// Says what went wrong and gives the exit code for it.
fn exit_code(e: &anyhow::Error) -> ExitCode {
    if is_broken_pipe(e) {
        return ExitCode::SUCCESS;
    }
    if interrupt::is_interrupt(e) {
        // After SIGHUP the terminal may be gone: no panic if the message
        // cannot be written.
        let _ = writeln!(
            std::io::stderr(),
            "interrupted: no new results were written"
        );
        return ExitCode::from(interrupt::exit_code());
    }
    if let Some(errs) = e.downcast_ref::<ScenarioErrors>() {
        print_scenario_errors(errs);
        let n = errs.0.len();
        eprintln!("error: {n} problem{} found", if n == 1 { "" } else { "s" });
        return ExitCode::from(2);
    }
    eprintln!("error: {}", terminal(&format!("{e:#}")));
    let invalid = e
        .chain()
        .any(|c| c.is::<InvalidInput>() || c.is::<crm_roi::report::Refused>());
    ExitCode::from(if invalid { 2 } else { 1 })
}

/// Blocks of 128 KiB and more (a run's per-trial columns, a month's
/// sketches) come straight from the system and go straight back when
/// freed. By default glibc raises that threshold as large blocks are freed
/// and then keeps them in its heap: the results stage would then run on top
/// of the engine's freed columns (8 MB more peak memory at a million
/// trials; docs/performance.md). Results are the same either way.
fn return_large_blocks() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a tuning parameter of the allocator; it is
    // called before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}
