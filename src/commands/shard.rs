//! `--shard`: which share of a run this process takes (K of N, given or
//! from the scheduler's environment), and running one scenario's share into
//! a shard file. `merge` (in `merge.rs`) combines the shard files.

use super::common::InvalidInput;
use super::stage::{self, Staged};
use crate::cli::{ShardArg, SimArgs};
use anyhow::{Context, Result};
use crm_roi::config::Scenario;
use crm_roi::engine::export_columns;
use crm_roi::report::ResultDir;
use crm_roi::report::text::terminal;
use crm_roi::report::{self, TrialsCsv};
use crm_roi::shard::{self, Header, Shard};
use crm_roi::{RunOptions, Settings, merge_parts, simulate_shard};
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// K and N (1-based) from `--shard` and `--shards`, reading the scheduler's
/// environment for `auto` through `env`.
pub fn resolve(
    arg: ShardArg,
    shards: Option<u64>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<(u64, u64), InvalidInput> {
    let number = |name: &str| -> Result<Option<u64>, InvalidInput> {
        env(name)
            .map(|v| {
                v.trim().parse::<u64>().map_err(|_| {
                    InvalidInput(format!("--shard auto: {name} is `{v}`, not a whole number"))
                })
            })
            .transpose()
    };
    let (k, n) = match arg {
        ShardArg::Fixed(k, n) => {
            if let Some(m) = shards.filter(|&m| m != n) {
                return Err(InvalidInput(format!(
                    "--shard {k}/{n} and --shards {m} disagree; give one of them"
                )));
            }
            (k, n)
        }
        ShardArg::Auto => {
            if let Some(id) = number("SLURM_ARRAY_TASK_ID")? {
                let min = number("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0);
                let count = match (number("SLURM_ARRAY_TASK_COUNT")?, shards) {
                    (Some(c), Some(s)) if c != s => {
                        return Err(InvalidInput(format!(
                            "--shards {s} but the Slurm array has {c} tasks (SLURM_ARRAY_TASK_COUNT)"
                        )));
                    }
                    (Some(c), _) | (None, Some(c)) => c,
                    (None, None) => {
                        return Err(InvalidInput(
                            "--shard auto: SLURM_ARRAY_TASK_COUNT is not set; give --shards N"
                                .into(),
                        ));
                    }
                };
                if id < min {
                    return Err(InvalidInput(format!(
                        "--shard auto: SLURM_ARRAY_TASK_ID {id} is below SLURM_ARRAY_TASK_MIN {min}"
                    )));
                }
                // Shard K is task MIN + K - 1: a step (`--array=1-7:2`) or
                // a list with gaps (`--array=1-3,7`) would number the
                // shards wrongly.
                let contiguous =
                    "--shard auto needs an array of one contiguous range (--array=1-N)";
                if let Some(step) = number("SLURM_ARRAY_TASK_STEP")?.filter(|&s| s != 1) {
                    return Err(InvalidInput(format!(
                        "{contiguous}; this one has a step of {step} (SLURM_ARRAY_TASK_STEP)"
                    )));
                }
                if let Some(max) = number("SLURM_ARRAY_TASK_MAX")?
                    && (max < min || max - min != count.saturating_sub(1))
                {
                    return Err(InvalidInput(format!(
                        "{contiguous}; this one has {count} tasks from {min} to {max} (SLURM_ARRAY_TASK_COUNT, _MIN, _MAX)"
                    )));
                }
                ((id - min).saturating_add(1), count)
            } else if let Some(index) = number("JOB_COMPLETION_INDEX")? {
                let n = shards.ok_or_else(|| {
                    InvalidInput(
                        "--shard auto under Kubernetes (JOB_COMPLETION_INDEX) needs --shards N, the Job's completions".into(),
                    )
                })?;
                (index.saturating_add(1), n)
            } else {
                return Err(InvalidInput(
                    "--shard auto needs a Slurm array task (SLURM_ARRAY_TASK_ID) or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX); give --shard K/N otherwise".into(),
                ));
            }
        }
    };
    if !shard::is_shard_of(k, n) {
        return Err(InvalidInput(format!(
            "--shard auto: shard {k} of {n} is not a shard (K from 1 to N, N at most {})",
            crate::cli::MAX_SHARDS
        )));
    }
    Ok((k, n))
}

/// The shard file of shard `k` of `n` of the scenario named `name` in `out`.
pub fn path(out: &Path, name: &str, (k, n): (u64, u64)) -> PathBuf {
    out.join(format!(
        "{}.{k}-of-{n}.{}",
        report::safe_dir_name(name),
        shard::EXTENSION
    ))
}

/// Refuses to write over anything but a shard file.
pub fn check_target(path: &Path) -> Result<(), InvalidInput> {
    if path.symlink_metadata().is_ok() && !(path.is_file() && shard::is_shard(path)) {
        return Err(InvalidInput(format!(
            "{} exists and is not a shard file that crm-roi wrote; move it away or choose another --out",
            path.display()
        )));
    }
    Ok(())
}

/// Runs shard `k` of `n` of `s` and writes its shard file; returns its path.
pub fn run_one(
    s: &Scenario,
    settings: &Settings,
    (k, n): (u64, u64),
    args: &SimArgs,
) -> Result<PathBuf> {
    let target = path(&args.out, &s.name, (k, n));
    check_target(&target)?;
    // A shard of another scenario whose name gives the same file name
    // (`team x`, `team_x`) is not replaced.
    if let Ok(old) = shard::read(&target)
        && old.header.scenario != s.name
    {
        return Err(InvalidInput(format!(
            "{} holds shard {k} of {n} of `{}` ({}), not of `{}` ({}); choose another --out or another name",
            target.display(),
            old.header.scenario,
            old.header.file.display(),
            s.name,
            s.file.display()
        ))
        .into());
    }
    crm_roi::report::create_dir_all(&args.out)?;
    shard::remove_leftovers(&args.out)?;
    let options = RunOptions::new(*settings).cancel_on(crate::interrupt::token());
    let mut progress = super::stage::bar(s, settings.trials, args.quiet, false);
    let (part, export) = if args.export_trials {
        let tmp = tempfile::Builder::new()
            .prefix(&crm_roi::report::replace::temp_prefix(shard::TRIALS_KIND))
            .tempfile_in(&args.out)
            .with_context(|| format!("cannot write in {}", args.out.display()))?;
        let file = std::io::BufWriter::new(tmp.reopen()?);
        let mut sink =
            TrialsCsv::new(file, s, &export_columns(s)).context("cannot write the trials")?;
        let part = simulate_shard(s, &options, (k, n), &mut progress, Some(&mut sink))
            .map_err(|e| super::stage::run_error(e, s))?;
        sink.finish().context("cannot write the trials")?;
        (part, Some(tmp))
    } else {
        let part = simulate_shard(s, &options, (k, n), &mut progress, None)
            .map_err(|e| super::stage::run_error(e, s))?;
        (part, None)
    };
    progress.finish();
    crate::interrupt::check()?;
    let header = Header::new(s, settings, (k, n), &part, args.export_trials);
    shard::write(&target, &header, &part, export.as_ref().map(|t| t.path()))
        .with_context(|| format!("cannot write {}", target.display()))?;
    Ok(target)
}

/// The files with extension `ext` directly inside the directories among
/// `dirs` (sorted per directory).
pub fn files_with(dirs: &[PathBuf], ext: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for d in dirs.iter().filter(|d| d.is_dir()) {
        let mut here: Vec<PathBuf> = std::fs::read_dir(d)
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|f| f.is_file() && f.extension().is_some_and(|x| x == ext))
            .collect();
        here.sort();
        found.extend(here);
    }
    found
}

/// Checks the manifests of a sharded batch or sweep (`what`), sorted by K:
/// written by this version, all of one plan (`same`), every K of N exactly
/// once. `shards[i]` = (file, K, version).
pub fn check_manifests(
    what: &str,
    shards: &[(&Path, u64, &str)],
    n: u64,
    same: impl Fn(usize) -> bool,
) -> Result<(), InvalidInput> {
    let ours = env!("CARGO_PKG_VERSION");
    let max = crate::cli::MAX_SHARDS;
    if n == 0 || n > max {
        return Err(InvalidInput(format!(
            "{}: says the {what} has {n} shards; N must run from 1 to {max}",
            shards[0].0.display()
        )));
    }
    if let Some((p, k, _)) = shards.iter().find(|s| !(1..=n).contains(&s.1)) {
        return Err(InvalidInput(format!(
            "{}: says it is shard {k} of {n}; K must run from 1 to N",
            p.display()
        )));
    }
    for (i, (p, _, version)) in shards.iter().enumerate() {
        if *version != ours {
            return Err(InvalidInput(format!(
                "{}: written by crm-roi {version}; this is crm-roi {ours}, and shards merge only with the version that wrote them",
                p.display()
            )));
        }
        if !same(i) {
            return Err(InvalidInput(format!(
                "{} and {} are not shards of one {what} (their scenarios, settings or N differ)",
                shards[0].0.display(),
                p.display()
            )));
        }
    }
    for pair in shards.windows(2) {
        if pair[0].1 == pair[1].1 {
            return Err(InvalidInput(format!(
                "{} and {} are both shard {} of {n} of the {what}",
                pair[0].0.display(),
                pair[1].0.display(),
                pair[0].1
            )));
        }
    }
    let missing: Vec<String> = (1..=n)
        .filter(|k| shards.iter().all(|s| s.1 != *k))
        .map(|k| k.to_string())
        .collect();
    if !missing.is_empty() {
        return Err(InvalidInput(format!(
            "{what} shard{} {} of {n} {} missing",
            if missing.len() > 1 { "s" } else { "" },
            missing.join(", "),
            if missing.len() > 1 { "are" } else { "is" }
        )));
    }
    Ok(())
}

/// Settings as the shards' header records them.
fn settings(h: &Header, path: &Path) -> Result<Settings, InvalidInput> {
    let method = h.method().ok_or_else(|| {
        InvalidInput(format!(
            "{}: unknown sampling method `{}`",
            path.display(),
            h.sampling
        ))
    })?;
    if h.trials == 0 {
        return Err(InvalidInput(format!(
            "{}: a run of 0 trials",
            path.display()
        )));
    }
    Ok(Settings::new(h.trials, h.seed, method))
}

/// Merges one scenario's shards (in K order) and writes its results into
/// `dir`, as `run` writes them; for `merge` of runs and of batches.
pub fn merge_into(
    s: &Scenario,
    group: Vec<Shard>,
    dir: ResultDir,
    no_charts: bool,
    lang: crm_roi::lang::Lang,
    date: Option<jiff::civil::Date>,
) -> Result<Staged> {
    let first = &group[0];
    let settings = settings(&first.header, &first.path)?;
    if first.header.export_trials {
        // The header line as `run` writes it, then every shard's rows.
        let columns = export_columns(s);
        let head = TrialsCsv::new(Vec::new(), s, &columns)?.finish()?;
        let mut out = TrialsCsv::new(dir.file("trials.csv")?, s, &columns)?.finish()?;
        for shard in &group {
            shard
                .copy_export(&mut out, &head)
                .map_err(|e| InvalidInput(e.to_string()))?;
        }
        out.flush().context("cannot write trials.csv")?;
    }
    let paths: Vec<PathBuf> = group.iter().map(|g| g.path.clone()).collect();
    let parts = group.into_iter().map(|g| g.part).collect();
    let run = merge_parts(s, &settings, parts).map_err(|e| {
        InvalidInput(format!(
            "the shards of `{}` ({}) do not make up its run: {e}",
            terminal(&s.name),
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })?;
    stage::staged(run, dir, no_charts, lang, date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            vars.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn slurm_arrays_count_from_their_minimum() {
        // `sbatch --array=5-8`: tasks 5..8 are shards 1..4 of 4.
        let vars = [
            ("SLURM_ARRAY_TASK_ID", "7"),
            ("SLURM_ARRAY_TASK_MIN", "5"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
        ];
        assert_eq!(resolve(ShardArg::Auto, None, env(&vars)).unwrap(), (3, 4));
        // `--array=0-3` without a minimum in the environment: from 0.
        let vars = [
            ("SLURM_ARRAY_TASK_ID", "0"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
        ];
        assert_eq!(resolve(ShardArg::Auto, None, env(&vars)).unwrap(), (1, 4));
        let vars = [
            ("SLURM_ARRAY_TASK_ID", "x"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
        ];
        let err = resolve(ShardArg::Auto, None, env(&vars)).unwrap_err();
        assert!(err.0.contains("SLURM_ARRAY_TASK_ID is `x`"), "{err}");
        let vars = [
            ("SLURM_ARRAY_TASK_ID", "2"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
        ];
        let err = resolve(ShardArg::Auto, Some(3), env(&vars)).unwrap_err();
        assert!(
            err.0.contains("--shards 3 but the Slurm array has 4"),
            "{err}"
        );
    }

    #[test]
    fn slurm_arrays_with_a_step_or_gaps_are_refused() {
        // `--array=1-7:2`: tasks 1, 3, 5, 7; task 3 is not shard 3.
        let stepped = [
            ("SLURM_ARRAY_TASK_ID", "3"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
            ("SLURM_ARRAY_TASK_MAX", "7"),
            ("SLURM_ARRAY_TASK_STEP", "2"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
        ];
        let err = resolve(ShardArg::Auto, None, env(&stepped)).unwrap_err();
        assert!(err.0.contains("a step of 2"), "{err}");
        // `--array=1-3,7`: four tasks from 1 to 7.
        let gaps = [
            ("SLURM_ARRAY_TASK_ID", "2"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
            ("SLURM_ARRAY_TASK_MAX", "7"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
        ];
        let err = resolve(ShardArg::Auto, None, env(&gaps)).unwrap_err();
        assert!(err.0.contains("4 tasks from 1 to 7"), "{err}");
        // `--array=1-4` as Slurm describes it: step 1, 4 tasks from 1 to 4.
        let plain = [
            ("SLURM_ARRAY_TASK_ID", "4"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
            ("SLURM_ARRAY_TASK_MAX", "4"),
            ("SLURM_ARRAY_TASK_STEP", "1"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
        ];
        assert_eq!(resolve(ShardArg::Auto, None, env(&plain)).unwrap(), (4, 4));
    }

    #[test]
    fn kubernetes_indexes_count_from_zero_and_need_the_count() {
        let vars = [("JOB_COMPLETION_INDEX", "0")];
        assert_eq!(
            resolve(ShardArg::Auto, Some(10), env(&vars)).unwrap(),
            (1, 10)
        );
        let err = resolve(ShardArg::Auto, None, env(&vars)).unwrap_err();
        assert!(err.0.contains("needs --shards N"), "{err}");
        let vars = [("JOB_COMPLETION_INDEX", "10")];
        assert!(resolve(ShardArg::Auto, Some(10), env(&vars)).is_err());
    }

    #[test]
    fn auto_outside_a_scheduler_and_disagreeing_counts_are_errors() {
        let err = resolve(ShardArg::Auto, Some(4), env(&[])).unwrap_err();
        assert!(err.0.contains("needs a Slurm array task"), "{err}");
        let err = resolve(ShardArg::Fixed(2, 4), Some(5), env(&[])).unwrap_err();
        assert!(err.0.contains("disagree"), "{err}");
        assert_eq!(
            resolve(ShardArg::Fixed(2, 4), None, env(&[])).unwrap(),
            (2, 4)
        );
    }
}
