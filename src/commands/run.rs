//! The `run` command: validates every scenario file first, runs each
//! (nothing is replaced until all have run), then prints a summary per
//! scenario.

use super::common::{InvalidInput, apply_sets, check_warnings, parse_sets, settings};
use super::stage::{Run, simulate};
use crate::cli::RunArgs;
use anyhow::{Context, Result};
use crm_roi::config::{Scenario, ScenarioErrors};
use crm_roi::lang::{Lang, fill};
use crm_roi::report::replace::Kind;
use crm_roi::report::text::terminal;
use crm_roi::report::{self, ResultDir};
use crm_roi::results::Summary;
use std::path::Path;

pub fn run_command(args: &RunArgs) -> Result<()> {
    for f in &args.files {
        if f.is_dir() {
            let shown = f.display();
            return Err(InvalidInput(format!(
                "{shown} is a directory; `run` takes scenario files. To run every scenario in it and compare them, use `crm-roi batch {shown}` (check them first with `crm-roi validate {shown}`)"
            ))
            .into());
        }
    }
    let sets = parse_sets(&args.sim.sets)?;
    // Validate every file first: nothing is simulated when one is broken.
    let mut scenarios = Vec::new();
    let mut errors = Vec::new();
    let mut set_errors = Vec::new();
    for f in &args.files {
        let loaded = Scenario::load(f).map(|s| apply_sets(s, &sets));
        match loaded {
            Ok(Ok(s)) => match check_warnings(s, args.sim.strict, args.sim.quiet) {
                Ok(s) => scenarios.push(s),
                Err(e) => errors.extend(e.0),
            },
            Ok(Err(why)) => set_errors.push(why),
            Err(e) => errors.extend(e.0),
        }
    }
    if !errors.is_empty() {
        return Err(ScenarioErrors(errors).into());
    }
    if !set_errors.is_empty() {
        return Err(InvalidInput(set_errors.join("\n")).into());
    }
    super::common::one_directory_each(&scenarios, &args.sim.out)?;
    if let Some(arg) = args.sim.shard {
        let (k, n) = super::shard::resolve(arg, args.sim.shards, |v| std::env::var(v).ok())?;
        // Removed again, while empty, if a shard fails or is stopped.
        let made = report::MadeDirs::create(&args.sim.out)?;
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
        made.keep();
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
            Kind::Run,
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
    let names: Vec<&str> = scenarios.iter().map(|s| s.name.as_str()).collect();
    mark_overview_stale(&args.sim.out, &names, args.sim.quiet)?;
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

/// The notice that a batch overview is out of date; one line per
/// scenario rerun, each with this attribute and the scenario's name.
const STALE: &str = "data-crm-roi-stale";

/// After a `run` (or a `merge` of run shards) into the output directory of
/// a batch: the batch's
/// `index.html` still shows the figures of the batch run and links to
/// reports that now hold other figures. It cannot be rebuilt from the files
/// alone (the paired comparison needs every trial), so it is marked: a
/// notice at the top names each scenario rerun since and says to run the
/// batch again. Only an `index.html` that a batch wrote (listed in its
/// marker) is touched, and it is replaced whole or not at all.
/// (docs/batch.md, "Runs into a batch's directory".)
pub(super) fn mark_overview_stale(out: &Path, names: &[&str], quiet: bool) -> Result<()> {
    let ours = match super::batch::overview_files_ours(out) {
        Ok(files) => files,
        // Overview files that crm-roi did not write are not touched.
        Err(_) => return Ok(()),
    };
    if !ours.contains(&"index.html") {
        return Ok(());
    }
    let index = out.join("index.html");
    let html = std::fs::read_to_string(&index)
        .with_context(|| format!("cannot read {}", index.display()))?;
    let Some(body) = html
        .find("<body")
        .and_then(|i| html[i..].find('>').map(|j| i + j + 1))
    else {
        return Ok(());
    };
    // The notice is in the overview's language, from its `<html lang>`.
    let lang = html
        .find("<html lang=\"")
        .and_then(|i| html[i + 12..].split('"').next())
        .and_then(Lang::from_code)
        .unwrap_or(Lang::En);
    let mut notice = String::new();
    for name in names {
        let escaped = crm_roi::report::html::escape(name);
        if html.contains(&format!("{STALE}=\"{escaped}\"")) {
            continue;
        }
        notice += &format!(
            "<p {STALE}=\"{escaped}\" role=\"alert\" style=\"background:#fff3cd;border:1px solid #d39e00;padding:0.6em 0.9em;margin:0.5em 0\">{}</p>\n",
            fill(lang.t().index_stale, &[("name", &escaped)])
        );
    }
    if notice.is_empty() {
        return Ok(());
    }
    let marked = format!("{}\n{notice}{}", &html[..body], &html[body..]);
    super::batch::rewrite_overview_file(out, "index.html", marked.as_bytes())?;
    if !quiet {
        eprintln!(
            "note: {} is the overview of an earlier batch and now says that it is out of date for {}; run the batch again to refresh it",
            terminal(&index.display().to_string()),
            terminal(&names.join(", "))
        );
    }
    Ok(())
}
