//! The `crm-roi` binary: parses the command line, runs the command and maps
//! errors to exit codes (0 ok, 2 invalid input or usage, 1 anything else).
//! A closed stdout (`crm-roi ... | head`) is not an error.

mod app;
mod batch;
mod cli;

use clap::Parser;
use crm_roi::config::ScenarioErrors;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match app::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            if let Some(errs) = e.downcast_ref::<ScenarioErrors>() {
                eprintln!("{errs}");
                let n = errs.0.len();
                eprintln!("error: {n} problem{} found", if n == 1 { "" } else { "s" });
                return ExitCode::from(2);
            }
            eprintln!("error: {e:#}");
            if e.downcast_ref::<app::InvalidInput>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
