//! The `sweep` command: a decision table. Parses the `--set` lists,
//! expands the grid ([`crm_roi::sweep::grid`]), validates every variant as
//! a file before anything runs, then writes each variant's scenario file
//! into the staged result directory `OUT/sweep/<scenario name>/variants/`,
//! loads it back and runs it (so the row is what `crm-roi run` on that file
//! gives), with a progress bar over the grid points. The table and chart
//! are written by `report::sweep`, and the directory replaces an earlier
//! one only when complete and only if crm-roi wrote it.

use super::common::{InvalidInput, check_warnings, refuse_a_run_directory, resolve_settings};
use crate::cli::SweepArgs;
use anyhow::{Context, Result};
use crm_roi::config::set::{self, SetList};
use crm_roi::config::{Scenario, ScenarioErrors};
use crm_roi::format::thousands;
use crm_roi::report::replace::Kind;
use crm_roi::report::text::terminal;
use crm_roi::report::{self, ResultDir};
use crm_roi::sweep::{self, Point, Table};
use crm_roi::{RunError, RunOptions, Settings};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

const FLAG: &str = "--set";

/// A sweep planned and checked: the same on every shard.
pub struct Prepared {
    pub base: Scenario,
    pub lists: Vec<SetList>,
    pub variants: Vec<sweep::Variant>,
    pub settings: Settings,
    /// Each variant's months, for the shards' balance.
    pub months: Vec<usize>,
    /// SHA-256 (hex) of the variants' fingerprints in grid order: what a
    /// sharded sweep's merge checks, so that a data file read by a `--set`
    /// value cannot change between the shards unseen.
    pub fingerprint: String,
}

/// Parses the `--set` lists, expands the grid and validates every variant.
pub fn prepare(args: &SweepArgs) -> Result<Prepared> {
    if args.file.is_dir() {
        return Err(InvalidInput(format!(
            "{} is a directory; `sweep` takes one scenario file",
            args.file.display()
        ))
        .into());
    }
    let base = check_warnings(Scenario::load(&args.file)?, args.strict, args.quiet)?;
    let lists: Vec<SetList> = args
        .sets
        .iter()
        .map(|a| set::parse_list(FLAG, a))
        .collect::<Result<_, _>>()
        .map_err(|e| InvalidInput(e.to_string()))?;
    let variants = sweep::grid(&base, &lists, FLAG).map_err(|e| InvalidInput(e.to_string()))?;
    let settings = resolve_settings(args.trials, args.seed, args.sampling, &base);

    // Every variant is validated before anything is written or run.
    let base_warnings: BTreeSet<String> = base.warnings.iter().map(|w| w.to_string()).collect();
    let mut warned = BTreeSet::new();
    let mut months = Vec::with_capacity(variants.len());
    let mut all = <sha2::Sha256 as sha2::Digest>::new();
    for v in &variants {
        let refs = v.setting_refs();
        let s = set::load_with(&args.file, &refs)
            .map_err(|e| InvalidInput(set::explain(&e, FLAG, &refs).join("\n")))?;
        months.push(s.months());
        sha2::Digest::update(&mut all, crm_roi::shard::fingerprint(&s));
        let new: Vec<_> = s
            .warnings
            .into_iter()
            .filter(|w| !base_warnings.contains(&w.to_string()))
            .collect();
        if new.is_empty() {
            continue;
        }
        let lines = set::explain(&ScenarioErrors(new), FLAG, &refs);
        if args.strict {
            return Err(InvalidInput(
                lines
                    .iter()
                    .map(|l| format!("{l} (an error under --strict)"))
                    .collect::<Vec<_>>()
                    .join("\n"),
            )
            .into());
        }
        for l in lines {
            if !args.quiet && warned.insert(l.clone()) {
                eprintln!("warning: {}", terminal(&l));
            }
        }
    }
    let fingerprint = crm_roi::shard::hex(&sha2::Digest::finalize(all));
    Ok(Prepared {
        base,
        lists,
        variants,
        settings,
        months,
        fingerprint,
    })
}

pub fn sweep_command(args: &SweepArgs) -> Result<()> {
    let Prepared {
        base,
        lists,
        variants,
        settings,
        ..
    } = prepare(args)?;
    let (dir, staged_variants, extends) = staged_dir(&args.out, &args.file, &base)?;

    let bar =
        ProgressBar::with_draw_target(Some(variants.len() as u64), ProgressDrawTarget::hidden());
    bar.set_style(
        ProgressStyle::with_template("{prefix} [{bar:40}] {pos}/{len} variants, {eta} left")
            .expect("a valid progress template")
            .progress_chars("=> "),
    );
    bar.set_prefix(terminal(&base.name).into_owned());
    let started = std::time::Instant::now();
    let options = RunOptions::new(settings).cancel_on(crate::interrupt::token());
    let mut points = Vec::with_capacity(variants.len());
    // The last variant run: its distributions hold their quantile tables,
    // which the next variant, sharing most distributions, then finds in
    // the process-wide cache instead of building them again (dist/table.rs).
    let mut last: Option<Scenario> = None;
    for v in variants.iter() {
        let file = staged_variants.join(&v.file_name);
        let text = sweep::variant_text(&base, v, variants.len(), &extends, &settings);
        std::fs::write(&file, text).with_context(|| {
            format!(
                "cannot write {}",
                dir.target().join("variants").join(&v.file_name).display()
            )
        })?;
        let s = Scenario::load(&file)?;
        let headline = sweep::run_variant(&s, &options, &mut ()).map_err(|e| match e {
            RunError::Interrupted => anyhow::Error::from(crate::interrupt::Interrupted),
            e => InvalidInput(format!(
                "{} with {}: {e}",
                args.file.display(),
                v.settings
                    .iter()
                    .map(|s| format!("{FLAG} {s}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            ))
            .into(),
        })?;
        points.push(Point {
            variant: v.clone(),
            headline,
        });
        last = Some(s);
        if !args.quiet && bar.is_hidden() && started.elapsed().as_secs_f64() > 1.0 {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    drop(last);
    let table = Table::new(
        &base,
        lists.iter().map(|l| l.path.clone()).collect(),
        points,
    );
    report::sweep::write(&dir, &table, !args.no_charts, args.lang.into())?;
    crate::interrupt::check()?;
    let written = dir.commit()?;
    if !args.quiet {
        print(&table, &settings, &written)?;
    }
    Ok(())
}

/// Writes the sweep's result directory from rows computed elsewhere (the
/// shards of a sweep): the variant files, `sweep.csv` and the chart, as
/// [`sweep_command`] writes them.
pub fn write_from_points(
    args: &SweepArgs,
    prepared: &Prepared,
    points: Vec<Point>,
    out: &Path,
) -> Result<()> {
    let Prepared {
        base,
        lists,
        variants,
        settings,
        ..
    } = prepared;
    let (dir, staged_variants, extends) = staged_dir(out, &args.file, base)?;
    for v in variants {
        let text = sweep::variant_text(base, v, variants.len(), &extends, settings);
        std::fs::write(staged_variants.join(&v.file_name), text).with_context(|| {
            format!(
                "cannot write {}",
                dir.target().join("variants").join(&v.file_name).display()
            )
        })?;
    }
    let table = Table::new(base, lists.iter().map(|l| l.path.clone()).collect(), points);
    report::sweep::write(&dir, &table, !args.no_charts, args.lang.into())?;
    crate::interrupt::check()?;
    let written = dir.commit()?;
    if !args.quiet {
        print(&table, settings, &written)?;
    }
    Ok(())
}

/// The sweep's staged result directory `OUT/sweep/<name>/` with its
/// `variants/` folder, and the variants' `extends`: the base file from
/// where the variants will be once the directory is in place.
fn staged_dir(out: &Path, file: &Path, base: &Scenario) -> Result<(ResultDir, PathBuf, String)> {
    let out = out.join("sweep");
    refuse_a_run_directory(&out, "sweep")?;
    let dir_name = report::safe_dir_name(&base.name);
    let dir = ResultDir::create(&out, &dir_name, Kind::Sweep)?;
    let staged_variants = dir.staging_path("variants");
    std::fs::create_dir(&staged_variants)
        .with_context(|| format!("cannot create {}", staged_variants.display()))?;
    let real_out = out
        .canonicalize()
        .with_context(|| format!("cannot read {}", out.display()))?;
    let real_base = file
        .canonicalize()
        .with_context(|| format!("cannot read {}", file.display()))?;
    let extends = relative(&real_out.join(&dir_name).join("variants"), &real_base);
    Ok((dir, staged_variants, extends))
}

/// The path of `to` relative to the directory `from`, both absolute and
/// free of `..`, with `/` between components (as a scenario file writes
/// `extends`).
pub fn relative(from: &Path, to: &Path) -> String {
    let a: Vec<Component> = from.components().collect();
    let b: Vec<Component> = to.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = vec!["..".to_string(); a.len() - common];
    parts.extend(
        b[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

fn print(table: &Table, settings: &Settings, dir: &Path) -> std::io::Result<()> {
    use std::fmt::Write as _;
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{}: sweep of {} variant{} over {}",
        table.scenario,
        table.points.len(),
        if table.points.len() == 1 { "" } else { "s" },
        table.paths.join(" × ")
    );
    let _ = writeln!(
        o,
        "  {} trials per variant, seed {}, {}",
        thousands(settings.trials as f64),
        settings.seed,
        settings.method.name()
    );
    let file = |name: &str| -> PathBuf { dir.join(name) };
    let _ = writeln!(o, "  table:    {}", file(report::sweep::CSV).display());
    let _ = writeln!(o, "  variants: {}", file("variants").display());
    std::io::stdout().lock().write_all(terminal(&o).as_bytes())
}
