//! The commands of the binary, one file each: `run`, `batch`, `validate`,
//! `fit`, `solve`, `sweep` and `merge` (with `shard.rs` and `batch_shard.rs`
//! for `--shard`), and `docs.rs` for `schema`, `completions` and `man`. This file only dispatches. What the commands share lives in
//! [`common`] (exit-code error kinds, settings, warnings, file discovery,
//! diagnostics) and [`stage`] (one scenario run into a staged result
//! directory, for `run` and `batch`). Imports run one way: this file →
//! a command → `stage` → `common`.

pub mod batch;
pub mod batch_shard;
pub mod common;
pub mod docs;
pub mod fit;
pub mod merge;
pub mod run;
pub mod shard;
pub mod solve;
pub mod stage;
pub mod sweep;
pub mod sweep_shard;
pub mod validate;

use crate::cli::{Cli, Command};

/// Runs the command the user asked for.
pub fn dispatch(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Run(args) => run::run_command(&args),
        Command::Validate(args) => validate::validate_command(&args),
        Command::Batch(args) => match args.sim.shard {
            Some(arg) => {
                let k_n = shard::resolve(arg, args.sim.shards, |v| std::env::var(v).ok())?;
                batch_shard::run_share(&args, k_n)
            }
            None => batch::batch_command(&args),
        },
        Command::Fit(args) => fit::fit_command(&args),
        Command::Solve(args) => solve::solve_command(&args),
        Command::Merge(args) => merge::merge_command(&args),
        Command::Sweep(args) => match args.shard {
            Some(arg) => {
                let k_n = shard::resolve(arg, args.shards, |v| std::env::var(v).ok())?;
                sweep_shard::run_share(&args, k_n)
            }
            None => sweep::sweep_command(&args),
        },
        Command::Schema => docs::schema_command(),
        Command::Completions(args) => docs::completions_command(&args),
        Command::Man(args) => docs::man_command(&args),
    }
}
