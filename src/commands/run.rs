//! The `run` command: validates every scenario file first, runs each
//! (nothing is replaced until all have run), then prints a summary per
//! scenario.

use super::common::{InvalidInput, check_warnings, settings};
use super::stage::{Run, simulate};
use crate::cli::RunArgs;
use anyhow::Result;
use crm_roi::config::{Scenario, ScenarioErrors};
use crm_roi::lang::Lang;
use crm_roi::report::text::terminal;
use crm_roi::report::{self, ResultDir};
use crm_roi::results::Summary;
use std::collections::HashMap;
use std::path::Path;

pub fn run_command(args: &RunArgs) -> Result<()> {
    for f in &args.files {
        if f.is_dir() {
            return Err(InvalidInput(format!(
                "{} is a directory; `run` takes scenario files (check a directory with `crm-roi validate`)",
                f.display()
            ))
            .into());
        }
    }
    // Validate every file first: nothing is simulated when one is broken.
    let mut scenarios = Vec::new();
    let mut errors = Vec::new();
    for f in &args.files {
        match Scenario::load(f).and_then(|s| check_warnings(s, args.sim.strict, args.sim.quiet)) {
            Ok(s) => scenarios.push(s),
            Err(e) => errors.extend(e.0),
        }
    }
    if !errors.is_empty() {
        return Err(ScenarioErrors(errors).into());
    }
    let mut dirs: HashMap<String, &Path> = HashMap::new();
    for s in &scenarios {
        let dir = report::safe_dir_name(&s.name);
        if let Some(other) = dirs.insert(dir.clone(), &s.file) {
            return Err(InvalidInput(format!(
                "{} and {} would both write {}; give them different `name`s",
                other.display(),
                s.file.display(),
                args.sim.out.join(&dir).display()
            ))
            .into());
        }
    }
    if let Some(arg) = args.sim.shard {
        let (k, n) = super::shard::resolve(arg, args.sim.shards, |v| std::env::var(v).ok())?;
        for s in &scenarios {
            let path = super::shard::run_one(s, &settings(&args.sim, s), (k, n), &args.sim)?;
            if !args.sim.quiet {
                println!(
                    "{}: shard {k} of {n} written to {} (merge all {n} with `crm-roi merge {}`)",
                    terminal(&s.name),
                    terminal(&path.display().to_string()),
                    terminal(&args.sim.out.display().to_string()),
                );
            }
        }
        return Ok(());
    }
    // Every result directory is checked before any scenario runs, and all
    // are replaced together at the end: a run stopped half-way replaces
    // nothing.
    let mut dirs = Vec::new();
    for s in &scenarios {
        dirs.push(ResultDir::create(
            &args.sim.out,
            &report::safe_dir_name(&s.name),
        )?);
    }
    let mut staged = Vec::new();
    for (s, dir) in scenarios.iter().zip(dirs) {
        staged.push(simulate(s, &settings(&args.sim, s), dir, &args.sim)?);
    }
    crate::interrupt::check()?;
    let runs: Vec<Run> = staged
        .into_iter()
        .map(|s| s.commit())
        .collect::<Result<_>>()?;
    if !args.sim.quiet {
        for run in &runs {
            print_summary(&run.results.summary, &run.dir, args.sim.lang.into())?;
        }
    }
    Ok(())
}

/// Prints the summary of a run whose results are in `dir`
/// (`report::printed`), made safe for the terminal.
pub fn print_summary(s: &Summary, dir: &Path, lang: Lang) -> std::io::Result<()> {
    use std::io::Write as _;
    let o = report::printed::summary(s, dir, lang);
    std::io::stdout().lock().write_all(terminal(&o).as_bytes())
}
