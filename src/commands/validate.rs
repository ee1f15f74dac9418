//! The `validate` command: checks scenario files (and every `*.toml`
//! below directories) without running them, and lists each with its name
//! and number of inputs. Nothing is written.

use super::common::{InvalidInput, check_warnings, collect_toml};
use crate::cli::ValidateArgs;
use anyhow::Result;
use crm_roi::config::{Scenario, ScenarioErrors};
use crm_roi::report::text::terminal;
use std::io::Write as _;

pub fn validate_command(args: &ValidateArgs) -> Result<()> {
    let mut files = Vec::new();
    for p in &args.paths {
        collect_toml(p, &mut files)?;
    }
    if files.is_empty() {
        return Err(InvalidInput("no scenario files (*.toml) found".into()).into());
    }
    let mut errors = Vec::new();
    for f in &files {
        let loaded = Scenario::load_unless_abstract(f)
            .and_then(|s| s.map(|s| check_warnings(s, args.strict, false)).transpose());
        match loaded {
            Ok(Some(s)) => writeln!(
                std::io::stdout(),
                "{}",
                terminal(&format!(
                    "ok  {} ({}, {} inputs)",
                    f.display(),
                    s.name,
                    s.inputs.iter().filter(|i| i.declared).count()
                ))
            )?,
            Ok(None) => writeln!(
                std::io::stdout(),
                "{}",
                terminal(&format!(
                    "ok  {} (abstract base, checked through its variants)",
                    f.display()
                ))
            )?,
            Err(e) => errors.extend(e.0),
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ScenarioErrors(errors).into())
    }
}
