//! The commands that describe the program itself rather than run it:
//! `schema` (the JSON Schema of the scenario format, for editors),
//! `completions` (a shell's completion script, clap_complete) and `man`
//! (the manual page in roff, clap_mangen). Each prints to stdout.

use super::common::InvalidInput;
use crate::cli::{Cli, CompletionsArgs, ManArgs};
use anyhow::Result;
use clap::CommandFactory;
use std::io::Write;

/// `crm-roi schema`.
pub fn schema_command() -> Result<()> {
    std::io::stdout()
        .lock()
        .write_all(crm_roi::config::scenario_schema_text().as_bytes())?;
    Ok(())
}

/// `crm-roi completions SHELL`.
pub fn completions_command(args: &CompletionsArgs) -> Result<()> {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "crm-roi", &mut out);
    std::io::stdout().lock().write_all(&out)?;
    Ok(())
}

/// `crm-roi man [COMMAND]`.
pub fn man_command(args: &ManArgs) -> Result<()> {
    let mut cmd = Cli::command();
    cmd.build();
    let man = match &args.command {
        None => clap_mangen::Man::new(cmd),
        Some(name) => {
            let names: Vec<String> = cmd
                .get_subcommands()
                .map(|c| c.get_name().to_string())
                .filter(|n| n != "help")
                .collect();
            let Some(sub) = cmd.find_subcommand(name) else {
                return Err(InvalidInput(format!(
                    "man {name}: no such command; the commands are {}",
                    names.join(", ")
                ))
                .into());
            };
            // The page of a command is titled crm-roi-COMMAND, as git's are.
            let title = format!("crm-roi-{}", sub.get_name());
            clap_mangen::Man::new(sub.clone()).title(title)
        }
    };
    let mut out = Vec::new();
    man.render(&mut out)?;
    std::io::stdout().lock().write_all(&out)?;
    Ok(())
}
