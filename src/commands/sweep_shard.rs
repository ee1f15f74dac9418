//! `sweep --shard K/N`: a deterministic share of a sweep's variants, and
//! `merge` of the shares into the sweep's directory, the same bytes a
//! one-machine sweep writes (see docs/scale-out.md).
//!
//! Every shard plans the whole grid the same way and takes the variants
//! that the batch's balance (estimated cost trials × months, largest first,
//! each to the least loaded shard) gives it. A sweep's table needs only
//! each variant's headline figures, so a shard records those, in its
//! manifest `sweep.K-of-N.crmsweep` (JSON; doubles read back exactly); the
//! merge writes the variant files, `sweep.csv` and the chart.

use super::batch_shard::assign;
use super::common::InvalidInput;
use super::sweep::{Prepared, prepare, relative, write_from_points};
use crate::cli::{MergeArgs, SamplingArg, SweepArgs};
use anyhow::{Context, Result};
use crm_roi::config::Scenario;
use crm_roi::report::write_atomically;
use crm_roi::shard;
use crm_roi::sweep::{self, Headline, Point};
use crm_roi::{Method, RunError, RunOptions};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The extension of sweep manifests.
pub const EXTENSION: &str = "crmsweep";

/// What every shard of one sweep agrees on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    pub version: String,
    /// The base scenario file as given, and its fingerprint.
    pub file: PathBuf,
    pub fingerprint: String,
    /// The fingerprint of every variant, data files read included.
    pub variants_fingerprint: String,
    /// The `--set` arguments as given.
    pub sets: Vec<String>,
    pub trials: u64,
    pub seed: u64,
    pub sampling: String,
    pub variants: usize,
    pub shards: u64,
    /// Each variant's shard.
    pub assigned: Vec<u64>,
}

/// A shard's manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub program: String,
    pub shard: u64,
    pub plan: Plan,
    /// (variant index, its figures), for this shard's variants.
    pub rows: Vec<(usize, Headline)>,
}

fn plan_of(args: &SweepArgs, p: &Prepared, n: u64) -> Plan {
    let costs: Vec<u64> = p
        .months
        .iter()
        .map(|&m| p.settings.trials.saturating_mul(m as u64 + 1))
        .collect();
    Plan {
        version: env!("CARGO_PKG_VERSION").into(),
        file: args.file.clone(),
        fingerprint: shard::fingerprint(&p.base),
        variants_fingerprint: p.fingerprint.clone(),
        sets: args.sets.clone(),
        trials: p.settings.trials,
        seed: p.settings.seed,
        sampling: p.settings.method.name().into(),
        variants: p.variants.len(),
        shards: n,
        assigned: assign(&costs, n),
    }
}

/// Runs shard `k` of `n` of the sweep and writes its manifest into `--out`.
pub fn run_share(args: &SweepArgs, (k, n): (u64, u64)) -> Result<()> {
    let prepared = prepare(args)?;
    let plan = plan_of(args, &prepared, n);
    let target = args.out.join(format!("sweep.{k}-of-{n}.{EXTENSION}"));
    if target.symlink_metadata().is_ok() && read(&target).is_err() {
        return Err(InvalidInput(format!(
            "{} exists and is not a sweep manifest that crm-roi wrote; move it away or choose another --out",
            target.display()
        ))
        .into());
    }
    // Removed again, while empty, if the shard fails or is stopped.
    let made = crm_roi::report::MadeDirs::create(&args.out)?;
    // Each variant's file in a temporary directory, extending the base from
    // there; its figures do not depend on where the file is.
    let tmp = tempfile::Builder::new()
        .prefix(".crm-roi-variants-")
        .tempdir_in(&args.out)?;
    let real_base = args
        .file
        .canonicalize()
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let extends = relative(&tmp.path().canonicalize()?, &real_base);
    let options = RunOptions::new(prepared.settings).cancel_on(crate::interrupt::token());
    let mut rows = Vec::new();
    let mut last: Option<Scenario> = None;
    for (i, v) in prepared.variants.iter().enumerate() {
        if plan.assigned[i] != k {
            continue;
        }
        let file = tmp.path().join(&v.file_name);
        let text = sweep::variant_text(
            &prepared.base,
            v,
            prepared.variants.len(),
            &extends,
            &prepared.settings,
        );
        std::fs::write(&file, text)?;
        let s = Scenario::load(&file)?;
        let headline = sweep::run_variant(&s, &options, &mut ()).map_err(|e| match e {
            RunError::Interrupted => anyhow::Error::from(crate::interrupt::Interrupted),
            e => InvalidInput(format!("{} ({}): {e}", args.file.display(), v.name)).into(),
        })?;
        rows.push((i, headline));
        // Keeps the quantile tables for the next variant (see sweep.rs).
        last = Some(s);
    }
    drop(last);
    crate::interrupt::check()?;
    let text = serde_json::to_string_pretty(&Manifest {
        program: "crm-roi".into(),
        shard: k,
        plan,
        rows,
    })?;
    write_atomically(&target, |temp| Ok(std::fs::write(temp, &text)?))?;
    made.keep();
    if !args.quiet {
        println!(
            "sweep shard {k} of {n} written to {} (merge all {n} with `crm-roi merge {}`)",
            target.display(),
            args.out.display()
        );
    }
    Ok(())
}

fn read(path: &Path) -> Result<Manifest, InvalidInput> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| InvalidInput(format!("{}: cannot read it: {e}", path.display())))?;
    let m: Manifest = serde_json::from_str(&text).map_err(|e| {
        InvalidInput(format!(
            "{}: not a sweep manifest this crm-roi reads: {e}",
            path.display()
        ))
    })?;
    if m.program != "crm-roi" {
        return Err(InvalidInput(format!(
            "{}: not a crm-roi sweep manifest",
            path.display()
        )));
    }
    // Probabilities no run gives (an edited manifest has no checksum).
    let share = |p: f64| (0.0..=1.0).contains(&p);
    if let Some((i, _)) = m.rows.iter().find(|(_, h)| {
        !share(h.p_npv_not_positive) || h.p_payback_within_target.is_some_and(|p| !share(p))
    }) {
        return Err(InvalidInput(format!(
            "{}: variant {} has a probability outside 0..1",
            path.display(),
            i.saturating_add(1)
        )));
    }
    Ok(m)
}

/// Merges the shards of a sweep into `--out`.
pub fn merge(args: &MergeArgs, paths: &[PathBuf]) -> Result<()> {
    let mut manifests = Vec::new();
    for p in paths {
        manifests.push((p.clone(), read(p)?));
    }
    manifests.sort_by_key(|(_, m)| m.shard);
    let (first_path, first) = &manifests[0];
    let plan = &first.plan;
    let n = plan.shards;
    let keys: Vec<(&Path, u64, &str)> = manifests
        .iter()
        .map(|(p, m)| (p.as_path(), m.shard, m.plan.version.as_str()))
        .collect();
    super::shard::check_manifests("sweep", &keys, n, |i| manifests[i].1.plan == *plan)?;
    // The sweep as the shards planned it, planned again here.
    let method = Method::from_name(&plan.sampling)
        .ok_or_else(|| InvalidInput(format!("{}: unknown sampling", first_path.display())))?;
    let sweep_args = SweepArgs {
        file: plan.file.clone(),
        sets: plan.sets.clone(),
        trials: Some(plan.trials),
        seed: Some(plan.seed),
        sampling: Some(SamplingArg::from(method)),
        out: args.out.clone(),
        no_charts: args.no_charts,
        lang: args.lang,
        quiet: args.quiet,
        strict: false,
        shard: None,
        shards: None,
    };
    if !plan.file.is_file() {
        return Err(InvalidInput(format!(
            "{}: its scenario file {} is not there; run `crm-roi merge` from the directory the sweep's shards ran in",
            first_path.display(),
            plan.file.display()
        ))
        .into());
    }
    let prepared = prepare(&sweep_args)?;
    if plan_of(&sweep_args, &prepared, n) != *plan {
        return Err(InvalidInput(format!(
            "{} or a data file that its variants read has changed since the sweep's shards were run; run them again",
            plan.file.display()
        ))
        .into());
    }
    let mut rows: Vec<Option<Headline>> = vec![None; plan.variants];
    for (p, m) in &manifests {
        for (i, h) in &m.rows {
            if plan.assigned.get(*i) != Some(&m.shard) || rows[*i].is_some() {
                return Err(InvalidInput(format!(
                    "{}: variant {} is not this shard's to run",
                    p.display(),
                    i.saturating_add(1)
                ))
                .into());
            }
            rows[*i] = Some(*h);
        }
    }
    let points = prepared
        .variants
        .iter()
        .zip(rows)
        .map(|(v, h)| {
            h.map(|headline| Point {
                variant: v.clone(),
                headline,
            })
            .ok_or_else(|| {
                InvalidInput(format!(
                    "sweep shard {} of {n} did not record {}",
                    plan.assigned[v.number - 1],
                    v.name
                ))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    write_from_points(&sweep_args, &prepared, points, &args.out)
}

/// The sweep manifests directly inside `dirs`.
pub fn manifests_in(dirs: &[PathBuf]) -> Vec<PathBuf> {
    super::shard::files_with(dirs, EXTENSION)
}
