//! `batch --shard K/N`: a deterministic share of a batch's scenarios, and
//! `merge` of the shares into the batch's output tree and overview, the
//! same bytes a one-machine batch writes (see docs/scale-out.md).
//!
//! Every shard plans the whole batch the same way (discovery, loading,
//! checks, baseline), then takes the scenarios the plan assigns it: the
//! scenarios, by estimated cost (trials × months) from the largest, each go
//! to the shard with the least cost so far (ties to the lower K). Each
//! scenario runs whole into a shard file `jobs/NNNNN.crmshard`; the shard's
//! manifest `batch.K-of-N.crmbatch` (JSON, written last) records the plan
//! and what became of each of its scenarios.

use super::batch::{Job, Overview, Plan, job_dir, overview_files_ours, plan};
use super::common::{InvalidInput, settings};
use super::stage::Staged;
use crate::cli::{BatchArgs, MergeArgs};
use anyhow::{Context, Result};
use crm_roi::config::Scenario;
use crm_roi::engine::export_columns;
use crm_roi::report::{TrialsCsv, write_atomically};
use crm_roi::shard::{self, Header};
use crm_roi::{RunOptions, Settings, simulate_shard};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The extension of batch manifests.
pub const EXTENSION: &str = "crmbatch";

/// What every shard of one batch agrees on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Batch {
    pub version: String,
    pub shards: u64,
    /// `--baseline` as given.
    pub baseline: Option<String>,
    /// Its place among `jobs`.
    pub baseline_index: Option<usize>,
    pub export_trials: bool,
    pub jobs: Vec<JobRecord>,
    /// The scenario files that could not run, as the batch reports them.
    pub failures: Vec<String>,
    pub skipped: usize,
}

/// One scenario of the batch and how it runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobRecord {
    pub file: PathBuf,
    pub rel: PathBuf,
    pub name: String,
    pub fingerprint: String,
    pub trials: u64,
    pub seed: u64,
    pub sampling: String,
    /// The shard that runs it.
    pub shard: u64,
}

/// What became of one scenario of the shard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Outcome {
    /// Its shard file, relative to the manifest's directory.
    Ran(PathBuf),
    /// Why it failed, as the batch reports it.
    Failed(String),
}

/// A shard's manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub program: String,
    pub shard: u64,
    pub batch: Batch,
    /// Per scenario of this shard (index into `batch.jobs`).
    pub outcomes: Vec<(usize, Outcome)>,
}

/// Each job's shard (1-based): the largest cost first, each to the shard
/// with the least cost so far, ties to the lower K.
pub fn assign(costs: &[u64], n: u64) -> Vec<u64> {
    let mut order: Vec<usize> = (0..costs.len()).collect();
    order.sort_by(|&a, &b| costs[b].cmp(&costs[a]).then(a.cmp(&b)));
    let mut load = vec![0u128; n as usize];
    let mut shard = vec![0u64; costs.len()];
    for i in order {
        let k = (0..load.len())
            .min_by_key(|&k| (load[k], k))
            .expect("at least one shard");
        load[k] += u128::from(costs[i]);
        shard[i] = k as u64 + 1;
    }
    shard
}

fn manifest_path(out: &Path, (k, n): (u64, u64)) -> PathBuf {
    out.join(format!("batch.{k}-of-{n}.{EXTENSION}"))
}

fn job_file(i: usize) -> PathBuf {
    Path::new("jobs").join(format!("{i:05}.{}", shard::EXTENSION))
}

/// Runs shard `k` of `n` of the batch into `--out`.
pub fn run_share(args: &BatchArgs, (k, n): (u64, u64)) -> Result<()> {
    let out = &args.sim.out;
    let Plan {
        loaded,
        failures,
        skipped,
        baseline,
    } = plan(args)?;
    let settings: Vec<Settings> = loaded.iter().map(|(_, s)| settings(&args.sim, s)).collect();
    let costs: Vec<u64> = loaded
        .iter()
        .zip(&settings)
        .map(|((_, s), st)| st.trials.saturating_mul(s.months() as u64 + 1))
        .collect();
    let shards = assign(&costs, n);
    let batch = Batch {
        version: env!("CARGO_PKG_VERSION").into(),
        shards: n,
        baseline: args.baseline.clone(),
        baseline_index: baseline,
        export_trials: args.sim.export_trials,
        jobs: loaded
            .iter()
            .zip(&settings)
            .zip(&shards)
            .map(|(((job, s), st), &shard)| JobRecord {
                file: job.file.clone(),
                rel: job.rel.clone(),
                name: s.name.clone(),
                fingerprint: shard::fingerprint(s),
                trials: st.trials,
                seed: st.seed,
                sampling: st.method.name().into(),
                shard,
            })
            .collect(),
        failures,
        skipped,
    };
    let manifest = manifest_path(out, (k, n));
    if manifest.symlink_metadata().is_ok() && read_manifest(&manifest).is_err() {
        return Err(InvalidInput(format!(
            "{} exists and is not a batch manifest that crm-roi wrote; move it away or choose another --out",
            manifest.display()
        ))
        .into());
    }
    // Removed again, while empty, if the shard fails or is stopped.
    let made = crm_roi::report::MadeDirs::create(&out.join("jobs"))?;
    shard::remove_leftovers(&out.join("jobs"))?;
    let mut outcomes = Vec::new();
    for (i, ((job, s), st)) in loaded.iter().zip(&settings).enumerate() {
        if shards[i] != k {
            continue;
        }
        let target = out.join(job_file(i));
        super::shard::check_target(&target)?;
        match run_job(s, st, &target, args) {
            Ok(()) => outcomes.push((i, Outcome::Ran(job_file(i)))),
            Err(e) if crate::interrupt::is_interrupt(&e) => return Err(e),
            Err(e) => outcomes.push((i, Outcome::Failed(format!("{}: {e:#}", job.file.display())))),
        }
        if !args.sim.quiet {
            println!("shard {k} of {n}: {}", job.file.display());
        }
    }
    crate::interrupt::check()?;
    if !args.sim.quiet {
        // As a one-machine batch, the merge lists them and exits with 2;
        // the shard itself succeeds, so that a merge job that depends on it
        // still runs.
        let failed = batch
            .failures
            .iter()
            .chain(outcomes.iter().filter_map(|(_, o)| match o {
                Outcome::Failed(m) => Some(m),
                Outcome::Ran(_) => None,
            }));
        for f in failed {
            eprintln!(
                "warning: {} (the merge will list it)",
                crm_roi::report::text::terminal(f)
            );
        }
    }
    let text = serde_json::to_string_pretty(&Manifest {
        program: "crm-roi".into(),
        shard: k,
        batch,
        outcomes,
    })?;
    write_atomically(&manifest, |temp| Ok(std::fs::write(temp, &text)?))?;
    made.keep();
    if !args.sim.quiet {
        println!(
            "batch shard {k} of {n} written to {} (merge all {n} with `crm-roi merge {}`)",
            manifest.display(),
            out.display()
        );
    }
    Ok(())
}

/// One scenario of the shard, whole, into its shard file.
fn run_job(s: &Scenario, st: &Settings, target: &Path, args: &BatchArgs) -> Result<()> {
    let options = RunOptions::new(*st).cancel_on(crate::interrupt::token());
    let mut progress = super::stage::bar(s, st.trials, args.sim.quiet, false);
    let dir = target.parent().unwrap_or(Path::new("."));
    let (part, export) = if args.sim.export_trials {
        let tmp = tempfile::Builder::new()
            .prefix(&crm_roi::report::replace::temp_prefix(shard::TRIALS_KIND))
            .tempfile_in(dir)?;
        let mut sink = TrialsCsv::new(
            std::io::BufWriter::new(tmp.reopen()?),
            s,
            &export_columns(s),
        )?;
        let part = simulate_shard(s, &options, (1, 1), &mut progress, Some(&mut sink))
            .map_err(|e| super::stage::run_error(e, s))?;
        sink.finish()?;
        (part, Some(tmp))
    } else {
        let part = simulate_shard(s, &options, (1, 1), &mut progress, None)
            .map_err(|e| super::stage::run_error(e, s))?;
        (part, None)
    };
    progress.finish();
    let header = Header::new(s, st, (1, 1), &part, args.sim.export_trials);
    shard::write(target, &header, &part, export.as_ref().map(|t| t.path()))
        .with_context(|| format!("cannot write {}", target.display()))?;
    Ok(())
}

fn read_manifest(path: &Path) -> Result<Manifest, InvalidInput> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| InvalidInput(format!("{}: cannot read it: {e}", path.display())))?;
    let m: Manifest = serde_json::from_str(&text).map_err(|e| {
        InvalidInput(format!(
            "{}: not a batch manifest this crm-roi reads: {e}",
            path.display()
        ))
    })?;
    if m.program != "crm-roi" {
        return Err(InvalidInput(format!(
            "{}: not a crm-roi batch manifest",
            path.display()
        )));
    }
    // Results go to `--out`/rel, and shard files are read beside the
    // manifest: neither may lead anywhere else (an absolute path, `..`).
    let plain = |p: &Path| {
        p.components().count() > 0
            && p.components()
                .all(|c| matches!(c, std::path::Component::Normal(_)))
    };
    if let Some(j) = m.batch.jobs.iter().find(|j| !plain(&j.rel)) {
        return Err(InvalidInput(format!(
            "{}: the result directory of {} is `{}`, which is not a plain relative path",
            path.display(),
            j.file.display(),
            j.rel.display()
        )));
    }
    for (_, o) in &m.outcomes {
        if let Outcome::Ran(file) = o
            && !plain(file)
        {
            return Err(InvalidInput(format!(
                "{}: names the shard file `{}`, which is not a plain relative path",
                path.display(),
                file.display()
            )));
        }
    }
    Ok(m)
}

/// The batch manifests directly inside `dirs` (sorted per directory).
pub fn manifests_in(dirs: &[PathBuf]) -> Vec<PathBuf> {
    super::shard::files_with(dirs, EXTENSION)
}

/// Merges the shards of a batch into `--out`.
pub fn merge(args: &MergeArgs, paths: &[PathBuf]) -> Result<()> {
    let mut manifests = Vec::new();
    for p in paths {
        manifests.push((p.clone(), read_manifest(p)?));
    }
    manifests.sort_by_key(|(_, m)| m.shard);
    let first = &manifests[0].1;
    let n = first.batch.shards;
    let keys: Vec<(&Path, u64, &str)> = manifests
        .iter()
        .map(|(p, m)| (p.as_path(), m.shard, m.batch.version.as_str()))
        .collect();
    super::shard::check_manifests("batch", &keys, n, |i| manifests[i].1.batch == first.batch)?;
    let batch = &first.batch;
    // Each scenario's outcome, from the shard the plan gave it to.
    let mut outcomes: Vec<Option<(PathBuf, Outcome)>> = vec![None; batch.jobs.len()];
    for (p, m) in &manifests {
        for (i, o) in &m.outcomes {
            let right = batch.jobs.get(*i).is_some_and(|j| j.shard == m.shard);
            if !right || outcomes[*i].is_some() {
                return Err(InvalidInput(format!(
                    "{}: scenario {i} is not this shard's to run",
                    p.display()
                ))
                .into());
            }
            let dir = p.parent().unwrap_or(Path::new(".")).to_path_buf();
            outcomes[*i] = Some((dir, o.clone()));
        }
    }
    // Every shard file in the batch's directories must be one of its runs:
    // any other (a `run --shard` written there) would be left out.
    let ran: Vec<PathBuf> = outcomes
        .iter()
        .flatten()
        .filter_map(|(dir, o)| match o {
            Outcome::Ran(file) => Some(dir.join(file)),
            Outcome::Failed(_) => None,
        })
        .collect();
    // (A batch writes its runs' shards under `jobs/`; one that `run
    // --shard` wrote beside the manifests would be left out unseen.)
    let dirs: Vec<PathBuf> = manifests
        .iter()
        .map(|(p, _)| p.parent().unwrap_or(Path::new(".")).to_path_buf())
        .collect();
    if let Some(stray) = super::shard::files_with(&dirs, shard::EXTENSION)
        .into_iter()
        .find(|f| !ran.contains(f))
    {
        return Err(InvalidInput(format!(
            "{} is not a run of the sharded batch beside it; move it away (merge runs and batches separately)",
            stray.display()
        ))
        .into());
    }
    if let Some(i) = outcomes.iter().position(Option::is_none) {
        return Err(InvalidInput(format!(
            "batch shard {} of {n} did not record {}",
            batch.jobs[i].shard,
            batch.jobs[i].file.display()
        ))
        .into());
    }
    let out = &args.out;
    overview_files_ours(out)?;
    // Load every scenario and check its shard before writing anything.
    let mut loaded: Vec<(Job, Scenario)> = Vec::new();
    let mut shards = Vec::new();
    for (record, outcome) in batch.jobs.iter().zip(outcomes) {
        let (dir, outcome) = outcome.expect("checked above");
        let scenario = Scenario::load(&record.file).map_err(|e| {
            InvalidInput(format!(
                "{}: cannot load it again for the merge (run `crm-roi merge` from the directory the batch ran in): {e}",
                record.file.display()
            ))
        })?;
        if shard::fingerprint(&scenario) != record.fingerprint {
            return Err(InvalidInput(format!(
                "{} has changed since the batch's shards were run; run them again",
                record.file.display()
            ))
            .into());
        }
        let shard = match outcome {
            Outcome::Ran(file) => {
                let path = dir.join(file);
                let s = shard::read(&path).map_err(|e| InvalidInput(e.to_string()))?;
                let h = &s.header;
                if h.fingerprint != record.fingerprint
                    || h.trials != record.trials
                    || h.seed != record.seed
                    || h.sampling != record.sampling
                    || (h.shard, h.shards) != (1, 1)
                    || h.export_trials != batch.export_trials
                {
                    return Err(InvalidInput(format!(
                        "{}: not the run of {} that the batch's manifest records",
                        path.display(),
                        record.file.display()
                    ))
                    .into());
                }
                Ok(s)
            }
            Outcome::Failed(message) => Err(message),
        };
        shards.push(shard);
        loaded.push((
            Job {
                file: record.file.clone(),
                rel: record.rel.clone(),
            },
            scenario,
        ));
    }
    let mut staged: Vec<(usize, Staged)> = Vec::new();
    let mut failures = batch.failures.clone();
    for (i, (shard, (job, s))) in shards.into_iter().zip(&loaded).enumerate() {
        match shard {
            Ok(sh) => {
                let dir = job_dir(out, job)?;
                staged.push((
                    i,
                    super::shard::merge_into(
                        s,
                        vec![sh],
                        dir,
                        args.no_charts,
                        args.lang.into(),
                        args.date,
                    )?,
                ));
            }
            Err(message) => failures.push(message),
        }
    }
    crate::interrupt::check()?;
    Overview {
        out,
        quiet: args.quiet,
        charts: !args.no_charts,
        lang: args.lang.into(),
        baseline: batch.baseline.as_deref(),
    }
    .finish(
        &loaded,
        batch.baseline_index,
        staged,
        failures,
        batch.skipped,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn costs_are_balanced_largest_first() {
        // 9 + 2 | 8 + 3 | 5 + 4 + 1 + 1 over three shards.
        let costs = [9, 8, 5, 4, 3, 2, 1, 1];
        let shards = assign(&costs, 3);
        assert_eq!(shards, [1, 2, 3, 3, 2, 1, 3, 3]);
        let load = |k| -> u64 {
            costs
                .iter()
                .zip(&shards)
                .filter(|(_, s)| **s == k)
                .map(|(c, _)| c)
                .sum()
        };
        assert_eq!((load(1), load(2), load(3)), (11, 11, 11));
        // More shards than scenarios: the last shards get none.
        assert_eq!(assign(&[5, 5], 4), [1, 2]);
        // Equal costs go round in order.
        assert_eq!(assign(&[1, 1, 1, 1], 2), [1, 2, 1, 2]);
    }
}
