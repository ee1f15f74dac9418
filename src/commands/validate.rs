//! The `validate` command: checks scenario files (and every `*.toml`
//! below directories) without running them, and lists each with its name
//! and number of inputs; with `--inputs`, also each input with the P10,
//! P50 and P90 of its distribution and its unit. Nothing is written.

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
        return Err(InvalidInput(format!(
            "no scenario files (*.toml) found in {}",
            super::common::paths_text(&args.paths)
        ))
        .into());
    }
    let mut errors = Vec::new();
    for f in &files {
        let loaded = Scenario::load_unless_abstract(f)
            .and_then(|s| s.map(|s| check_warnings(s, args.strict, false)).transpose());
        match loaded {
            Ok(Some(s)) => {
                writeln!(
                    std::io::stdout(),
                    "{}",
                    terminal(&format!(
                        "ok  {} ({}, {} inputs)",
                        f.display(),
                        s.name,
                        s.inputs.iter().filter(|i| i.declared).count()
                    ))
                )?;
                if args.inputs {
                    std::io::stdout().write_all(terminal(&input_table(&s)).as_bytes())?;
                }
            }
            Ok(None) => writeln!(
                std::io::stdout(),
                "{}",
                terminal(&format!(
                    "ok  {} (abstract base: its keys checked, its values through its variants)",
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

/// Each input the file states (then each shock's per-occurrence
/// quantities) with the P10, P50 and P90 of its distribution (from the
/// inverse distribution function, as the report's assumptions table) and
/// its unit, one line each, indented under the file's line.
fn input_table(s: &Scenario) -> String {
    use crm_roi::format::input_value;
    let mut rows: Vec<[String; 5]> = Vec::new();
    let mut row = |path: String, q: &dyn Fn(f64) -> f64, note: &str| {
        let unit = crm_roi::config::unit(&path, s.currency.as_deref()).unwrap_or_default();
        rows.push([
            path,
            input_value(q(0.1)),
            input_value(q(0.5)),
            input_value(q(0.9)),
            format!("{unit}{note}"),
        ]);
    };
    for i in s.inputs.iter().filter(|i| i.declared) {
        row(i.path.clone(), &|u| i.quantity.value(u), "");
    }
    for sh in &s.shocks {
        for (field, q) in sh.per_occurrence() {
            row(
                format!("{}.{field}", sh.path),
                &|u| q.value(u),
                ", drawn per occurrence",
            );
        }
    }
    let width = rows
        .iter()
        .map(|r| r[0].chars().count())
        .max()
        .unwrap_or(0)
        .max("input".len());
    let mut out = format!(
        "    {:<width$}  {:>10}  {:>10}  {:>10}  unit\n",
        "input", "P10", "P50", "P90"
    );
    for [path, p10, p50, p90, unit] in rows {
        let pad = width - path.chars().count();
        out += &format!(
            "    {path}{}  {p10:>10}  {p50:>10}  {p90:>10}  {unit}\n",
            " ".repeat(pad)
        );
    }
    out
}
