//! The commands of the binary, one file each: `run`, `batch`, `validate`,
//! `fit`, `solve` and `sweep`. This file only dispatches. What the commands share lives in
//! [`common`] (exit-code error kinds, settings, warnings, file discovery,
//! diagnostics) and [`stage`] (one scenario run into a staged result
//! directory, for `run` and `batch`). Imports run one way: this file →
//! a command → `stage` → `common`.

pub mod batch;
pub mod common;
pub mod fit;
pub mod run;
pub mod solve;
pub mod stage;
pub mod sweep;
pub mod validate;

use crate::cli::{Cli, Command};

/// Runs the command the user asked for.
pub fn dispatch(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Run(args) => run::run_command(&args),
        Command::Validate(args) => validate::validate_command(&args),
        Command::Batch(args) => batch::batch_command(&args),
        Command::Fit(args) => fit::fit_command(&args),
        Command::Solve(args) => solve::solve_command(&args),
        Command::Sweep(args) => sweep::sweep_command(&args),
    }
}
