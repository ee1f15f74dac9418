//! The `merge` command: reads shard files (`run --shard K/N`), checks that
//! the shards of each scenario belong together, and writes each scenario's
//! result directory exactly as a one-machine `run` writes it (see
//! docs/scale-out.md).

use super::common::InvalidInput;
use super::run::print_summary;
use super::stage::{self, Staged};
use crate::cli::MergeArgs;
use anyhow::{Context, Result};
use crm_roi::config::Scenario;
use crm_roi::report::replace::Kind;
use crm_roi::report::{self, ResultDir};
use crm_roi::shard::{self, Shard};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub fn merge_command(args: &MergeArgs) -> Result<()> {
    use super::{batch_shard, sweep_shard};
    for p in args.paths.iter().filter(|p| p.is_file()) {
        let ext = p.extension().and_then(|x| x.to_str());
        if ext == Some(sweep_shard::EXTENSION) || ext == Some(batch_shard::EXTENSION) {
            return Err(InvalidInput(format!(
                "{} is a manifest of a sharded {}; give the directory that holds it and the other shards",
                p.display(),
                if ext == Some(sweep_shard::EXTENSION) { "sweep" } else { "batch" }
            ))
            .into());
        }
    }
    let sweeps = sweep_shard::manifests_in(&args.paths);
    if !sweeps.is_empty() {
        // A sweep's directories hold its manifests and nothing else to
        // merge: anything else given with them would be left out.
        let holds = |p: &PathBuf| sweeps.iter().any(|m| m.parent() == Some(p.as_path()));
        let others = batch_shard::manifests_in(&args.paths)
            .into_iter()
            .chain(super::shard::files_with(&args.paths, shard::EXTENSION))
            .next()
            .or_else(|| args.paths.iter().find(|p| !holds(p)).cloned());
        if let Some(p) = others {
            return Err(InvalidInput(format!(
                "{} is not part of the sharded sweep that the other paths hold; merge runs, batches and sweeps separately",
                p.display()
            ))
            .into());
        }
        return sweep_shard::merge(args, &sweeps);
    }
    let batches = batch_shard::manifests_in(&args.paths);
    if !batches.is_empty() {
        let has_manifest = |p: &PathBuf| batches.iter().any(|b| b.parent() == Some(p.as_path()));
        if let Some(p) = args.paths.iter().find(|p| !has_manifest(p)) {
            return Err(InvalidInput(format!(
                "{} holds no batch manifest (*.{}) while the other directories hold a sharded batch; merge runs and batches separately",
                p.display(),
                batch_shard::EXTENSION
            ))
            .into());
        }
        return batch_shard::merge(args, &batches);
    }
    let files = shard_files(&args.paths)?;
    let mut shards = Vec::with_capacity(files.len());
    for f in &files {
        shards.push(shard::read(f).map_err(|e| InvalidInput(e.to_string()))?);
    }
    // The shards of each scenario, by name, in the order of their names.
    let mut runs: BTreeMap<String, Vec<Shard>> = BTreeMap::new();
    for s in shards {
        runs.entry(s.header.scenario.clone()).or_default().push(s);
    }
    // Check every group and load its scenario before writing anything.
    let mut plans = Vec::new();
    for (name, mut group) in runs {
        group.sort_by_key(|s| s.header.shard);
        check_group(&name, &group)?;
        let scenario = load(&group[0])?;
        plans.push((scenario, group));
    }
    // As `run` refuses them.
    super::common::one_directory_each(plans.iter().map(|(s, _)| s), &args.out)?;
    let mut dirs = Vec::new();
    for (s, _) in &plans {
        dirs.push(ResultDir::create(
            &args.out,
            &report::safe_dir_name(&s.name),
            Kind::Run,
        )?);
    }
    let mut staged: Vec<Staged> = Vec::new();
    for ((scenario, group), dir) in plans.into_iter().zip(dirs) {
        staged.push(super::shard::merge_into(
            &scenario,
            group,
            dir,
            args.no_charts,
            args.lang.into(),
            args.date,
        )?);
    }
    crate::interrupt::check()?;
    let runs: Vec<stage::Run> = staged
        .into_iter()
        .map(Staged::commit)
        .collect::<Result<_>>()?;
    let names: Vec<&str> = runs
        .iter()
        .map(|r| r.results.summary.scenario.as_str())
        .collect();
    super::run::mark_overview_stale(&args.out, &names, args.quiet)?;
    if !args.quiet {
        for run in &runs {
            print_summary(&run.results.summary, &run.dir, args.lang.into())?;
        }
    }
    Ok(())
}

/// The shard files among `paths`: files as given, and every *.crmshard
/// directly inside a directory (sorted).
fn shard_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(p)
                .with_context(|| format!("cannot read {}", p.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.is_file() && f.extension().is_some_and(|x| x == shard::EXTENSION))
                .collect();
            if found.is_empty() {
                return Err(InvalidInput(format!(
                    "{} holds no shard files (*.{}); write them with `crm-roi run FILE --shard K/N --out {}`",
                    p.display(),
                    shard::EXTENSION,
                    p.display()
                ))
                .into());
            }
            found.sort();
            files.extend(found);
        } else if p.is_file() {
            files.push(p.clone());
        } else {
            return Err(InvalidInput(format!("{}: no such file or directory", p.display())).into());
        }
    }
    Ok(files)
}

/// Whether the shards of one scenario belong together: the same run
/// (version, scenario, trials, seed, sampling, N, export) and every K of N
/// exactly once. Names the file and the reason.
fn check_group(name: &str, group: &[Shard]) -> Result<(), InvalidInput> {
    let first = &group[0];
    let ours = env!("CARGO_PKG_VERSION");
    for s in group {
        let h = &s.header;
        if h.version != ours {
            return Err(InvalidInput(format!(
                "{}: written by crm-roi {}; this is crm-roi {ours}, and shards merge only with the version that wrote them",
                s.path.display(),
                h.version
            )));
        }
        let differs = |what: &str, a: String, b: String| {
            InvalidInput(format!(
                "{} and {} are not shards of one run of `{name}`: {what} {a} against {b}",
                first.path.display(),
                s.path.display()
            ))
        };
        let f = &first.header;
        if h.fingerprint != f.fingerprint {
            return Err(differs(
                "the scenario differs:",
                format!("{} ({})", f.file.display(), &f.fingerprint[..12]),
                format!("{} ({})", h.file.display(), &h.fingerprint[..12]),
            ));
        }
        for (what, a, b) in [
            ("trials", f.trials, h.trials),
            ("seed", f.seed, h.seed),
            ("N (shards)", f.shards, h.shards),
        ] {
            if a != b {
                return Err(differs(what, a.to_string(), b.to_string()));
            }
        }
        if h.sampling != f.sampling {
            return Err(differs("sampling", f.sampling.clone(), h.sampling.clone()));
        }
        if h.export_trials != f.export_trials {
            return Err(differs(
                "--export-trials",
                f.export_trials.to_string(),
                h.export_trials.to_string(),
            ));
        }
        if h.file != f.file {
            return Err(differs(
                "scenario file",
                f.file.display().to_string(),
                h.file.display().to_string(),
            ));
        }
    }
    let n = first.header.shards;
    for pair in group.windows(2) {
        let same_file = |a: &Path, b: &Path| {
            a == b || matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
        };
        if same_file(&pair[0].path, &pair[1].path) {
            return Err(InvalidInput(format!(
                "{} is given twice (each shard once: a directory and a file in it, or one directory twice)",
                pair[0].path.display()
            )));
        }
        if pair[0].header.shard == pair[1].header.shard {
            return Err(InvalidInput(format!(
                "{} and {} are both shard {} of {n} of `{name}`",
                pair[0].path.display(),
                pair[1].path.display(),
                pair[0].header.shard
            )));
        }
    }
    let missing: Vec<String> = (1..=n)
        .filter(|k| group.iter().all(|s| s.header.shard != *k))
        .map(|k| k.to_string())
        .collect();
    if !missing.is_empty() {
        return Err(InvalidInput(format!(
            "shard{} {} of {n} of `{name}` {} missing (found {} in {})",
            if missing.len() > 1 { "s" } else { "" },
            list(&missing),
            if missing.len() > 1 { "are" } else { "is" },
            group.len(),
            first.path.parent().unwrap_or(Path::new(".")).display()
        )));
    }
    if let Some(s) = group.iter().find(|s| s.header.shard > n) {
        return Err(InvalidInput(format!(
            "{}: shard {} of {n} is not a shard of {n}",
            s.path.display(),
            s.header.shard
        )));
    }
    Ok(())
}

/// At most ten numbers, then how many more.
fn list(items: &[String]) -> String {
    if items.len() <= 10 {
        items.join(", ")
    } else {
        format!("{} and {} more", items[..10].join(", "), items.len() - 10)
    }
}

/// The scenario of a group, read again from its file, which must be the
/// one the shards ran.
fn load(first: &Shard) -> Result<Scenario> {
    let h = &first.header;
    if !h.file.is_file() {
        return Err(InvalidInput(format!(
            "{}: its scenario file {} is not there; run `crm-roi merge` from the directory `crm-roi run --shard` ran in",
            first.path.display(),
            h.file.display()
        ))
        .into());
    }
    let scenario = Scenario::load(&h.file)?;
    if shard::fingerprint(&scenario) != h.fingerprint {
        return Err(InvalidInput(format!(
            "{}: the scenario file {} has changed since the shards were run; run the shards again",
            first.path.display(),
            h.file.display()
        ))
        .into());
    }
    if scenario.name != h.scenario {
        return Err(InvalidInput(format!(
            "{}: {} is named `{}`, not `{}`",
            first.path.display(),
            h.file.display(),
            scenario.name,
            h.scenario
        ))
        .into());
    }
    Ok(scenario)
}
