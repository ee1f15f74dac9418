//! Orchestration of the commands: load, run, write, print.

use crate::cli::{Cli, Command, RunArgs, SamplingArg, SimArgs, ValidateArgs};
use anyhow::{Context, Result};
use crm_roi::Method;
use crm_roi::config::{DEFAULT_SEED, DEFAULT_TRIALS, Scenario, ScenarioErrors};
use crm_roi::engine::{Metric, Settings, export_columns};
use crm_roi::format::{self, percent1, thousands, two_digits};
use crm_roi::report::text::terminal;
use crm_roi::report::{self, ResultDir, TrialsCsv};
use crm_roi::results::{Results, Stopping, Summary};
use crm_roi::{Progress, RunError, RunOptions, simulate_with_export};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Input the user must fix (exit code 2), as opposed to a failure (exit 1).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InvalidInput(pub String);

pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Run(args) => run_command(&args),
        Command::Validate(args) => validate_command(&args),
        Command::Batch(args) => crate::batch::batch_command(&args),
        Command::Fit(args) => crate::fitting::fit_command(&args),
    }
}

fn run_command(args: &RunArgs) -> Result<()> {
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
        .map(Staged::commit)
        .collect::<Result<_>>()?;
    if !args.sim.quiet {
        for run in &runs {
            print_summary(&run.results.summary, &run.dir)?;
        }
    }
    Ok(())
}

/// The run settings: the command line first, then the file, then defaults.
pub fn settings(args: &SimArgs, s: &Scenario) -> Settings {
    Settings::new(
        args.trials
            .or(s.simulation.trials)
            .unwrap_or(DEFAULT_TRIALS),
        args.seed.or(s.simulation.seed).unwrap_or(DEFAULT_SEED),
        match args.sampling {
            Some(SamplingArg::MonteCarlo) => Method::MonteCarlo,
            Some(SamplingArg::LatinHypercube) => Method::LatinHypercube,
            None => s.simulation.sampling.unwrap_or_default(),
        },
    )
}

/// A finished run: its results, where they are, and the NPV of each kept
/// trial (for paired comparisons).
pub struct Run {
    pub results: Results,
    pub dir: PathBuf,
    pub npv: Vec<f64>,
}

/// A run whose results are written but not yet in place.
pub struct Staged {
    pub results: Results,
    pub dir: ResultDir,
    pub npv: Vec<f64>,
}

impl Staged {
    /// Moves the results into place.
    pub fn commit(self) -> Result<Run> {
        Ok(Run {
            dir: self.dir.commit()?,
            results: self.results,
            npv: self.npv,
        })
    }
}

/// The progress bar of a run: it appears once a run has taken a second,
/// and only on a terminal (indicatif draws nothing when stderr is not one).
struct Bar {
    bar: ProgressBar,
    name: String,
    quiet: bool,
    started: std::time::Instant,
    rounds: bool,
}

impl Progress for Bar {
    fn round(&mut self, round: u32, trials: u64) {
        self.bar.reset();
        self.bar.set_length(trials);
        if self.rounds {
            self.bar
                .set_prefix(format!("{} (round {round})", self.name));
        }
    }

    fn trials_done(&mut self, done: u64) {
        if !self.quiet && self.bar.is_hidden() && self.started.elapsed().as_secs_f64() > 1.0 {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        self.bar.set_position(done);
    }
}

/// Runs one scenario (through the library's [`crm_roi::simulate`]) and
/// writes its results into `dir`, without moving them into place.
pub fn simulate(
    s: &Scenario,
    settings: &Settings,
    dir: ResultDir,
    args: &SimArgs,
) -> Result<Staged> {
    let bar = ProgressBar::with_draw_target(Some(settings.trials), ProgressDrawTarget::hidden());
    bar.set_style(
        ProgressStyle::with_template(
            "{prefix} [{bar:40}] {human_pos}/{human_len} trials, {rate} trials/s, {eta} left",
        )
        .expect("a valid progress template")
        .with_key(
            "rate",
            |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{}", thousands(state.per_sec()));
            },
        )
        .progress_chars("=> "),
    );
    let name = terminal(&s.name).into_owned();
    bar.set_prefix(name.clone());
    let mut progress = Bar {
        bar,
        name,
        quiet: args.quiet,
        started: std::time::Instant::now(),
        rounds: args.precision.is_some(),
    };
    let options = RunOptions::new(*settings)
        .precision(args.precision)
        .cancel_on(crate::interrupt::token());
    let run = if args.export_trials {
        let file = dir.file("trials.csv")?;
        let mut sink =
            TrialsCsv::new(file, s, &export_columns(s)).context("cannot write trials.csv")?;
        let run = simulate_with_export(s, &options, &mut progress, Some(&mut sink));
        let run = run.map_err(|e| with_file(e, s))?;
        sink.finish().context("cannot write trials.csv")?;
        run
    } else {
        crm_roi::simulate(s, &options, &mut progress).map_err(|e| with_file(e, s))?
    };
    progress.bar.finish_and_clear();
    let results = run.results;
    for e in report::standard_exports() {
        dir.write(e.as_ref(), &results)?;
    }
    if !args.no_charts {
        dir.write_charts(&results)?;
        dir.write_report(&results)?;
    }
    // Interrupted while writing: the previous results stay as they were.
    crate::interrupt::check()?;
    let npv = run.data.into_metric(Metric::Npv);
    Ok(Staged { results, dir, npv })
}

/// A library run error as the command reports it: an interruption as such
/// (exit code of the signal), an overflow as invalid input naming the file.
fn with_file(e: RunError, s: &Scenario) -> anyhow::Error {
    match e {
        RunError::Interrupted => crate::interrupt::Interrupted.into(),
        RunError::Overflow { .. } => InvalidInput(format!("{}: {e}", s.file.display())).into(),
        e => anyhow::Error::new(e).context("cannot write trials.csv"),
    }
}

fn validate_command(args: &ValidateArgs) -> Result<()> {
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

/// Prints a scenario's warnings (unless `quiet`), or fails with them under
/// `--strict`.
pub fn check_warnings(s: Scenario, strict: bool, quiet: bool) -> Result<Scenario, ScenarioErrors> {
    if strict && !s.warnings.is_empty() {
        let errors = s
            .warnings
            .into_iter()
            .map(|mut w| {
                w.message.push_str(" (an error under --strict)");
                w
            })
            .collect();
        return Err(ScenarioErrors(errors));
    }
    if !quiet {
        for w in &s.warnings {
            eprintln!("warning: {}", terminal(&w.to_string()));
        }
    }
    Ok(s)
}

/// Scenario files under `p`: `p` itself if a file, else every `*.toml`
/// below it, sorted.
pub fn collect_toml(p: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    if p.is_file() {
        out.push(p.to_path_buf());
        return Ok(());
    }
    if !p.exists() {
        return Err(InvalidInput(format!("{}: no such file or directory", p.display())).into());
    }
    // Symbolic links to directories are not followed (no loops, no
    // scenarios counted twice); linked files are.
    let mut entries: Vec<(PathBuf, bool)> = std::fs::read_dir(p)
        .and_then(|rd| {
            rd.map(|e| e.and_then(|e| Ok((e.path(), e.file_type()?.is_dir()))))
                .collect()
        })
        .with_context(|| format!("cannot read the directory {}", p.display()))?;
    entries.sort();
    for (e, is_dir) in entries {
        if is_dir {
            collect_toml(&e, out)?;
        } else if e.extension().is_some_and(|x| x == "toml") && e.is_file() {
            out.push(e);
        }
    }
    Ok(())
}

fn print_summary(s: &Summary, dir: &Path) -> std::io::Result<()> {
    use std::fmt::Write as _;
    use std::io::Write as _;
    let mut o = String::new();
    let cur = s.currency.as_deref().unwrap_or("");
    let pct = percent1;
    let years = |x: Option<f64>| x.map_or("beyond".to_string(), |v| format::years(v, 2));
    let money = |x: Option<f64>| x.map_or("-".to_string(), thousands);
    let ratio = |x: Option<f64>| x.map_or("-".to_string(), percent1);
    let p = &s.probabilities;
    let m = &s.metrics;
    let _ = writeln!(
        o,
        "{}: {} trials, seed {}, {}, horizon {} months",
        s.scenario, s.trials, s.seed, s.sampling, s.horizon_months
    );
    match (
        s.target_payback_years,
        p.payback_within_target,
        s.precision.payback_within_target_ci95,
    ) {
        (Some(target), Some(within), Some(ci)) => {
            let _ = writeln!(
                o,
                "  P(payback within {} years):  {}  (95% CI {} to {})",
                target,
                pct(within),
                pct(ci[0]),
                pct(ci[1])
            );
        }
        // No target: the payback distribution itself is the headline.
        _ => {
            let pb = &m.payback_years.percentiles;
            let _ = match (pb.p50, s.eight_in_ten.payback_years) {
                (Some(median), Some(e)) => writeln!(
                    o,
                    "  median payback {} years; in 8 of 10 futures within {} years",
                    format::years(median, 2),
                    format::years(e, 2)
                ),
                (Some(median), None) => writeln!(
                    o,
                    "  median payback {} years; in more than 2 of 10 futures beyond the horizon",
                    format::years(median, 2)
                ),
                (None, _) => writeln!(o, "  median payback beyond the horizon"),
            };
        }
    }
    let _ = writeln!(
        o,
        "  P(payback within horizon):  {}",
        pct(p.payback_within_horizon)
    );
    let _ = writeln!(o, "  P(NPV > 0):                 {}", pct(p.npv_positive));
    let _ = writeln!(o, "  {:<26}{:>14}{:>14}{:>14}", "", "P10", "P50", "P90");
    let row = |o: &mut String,
               label: &str,
               f: &dyn Fn(Option<f64>) -> String,
               ms: &crm_roi::results::MetricSummary| {
        let q = &ms.percentiles;
        let _ = writeln!(
            o,
            "  {:<26}{:>14}{:>14}{:>14}",
            label,
            f(q.p10),
            f(q.p50),
            f(q.p90)
        );
    };
    row(&mut o, "payback (years)", &years, &m.payback_years);
    row(
        &mut o,
        "discounted payback (years)",
        &years,
        &m.discounted_payback_years,
    );
    let npv_label = if cur.is_empty() {
        "NPV".to_string()
    } else {
        format!("NPV ({cur})")
    };
    row(&mut o, &npv_label, &money, &m.npv);
    row(&mut o, "ROI", &ratio, &m.roi);
    if let Some(f) = m.payback_years.fell_back_fraction.filter(|&f| f > 0.0) {
        let _ = writeln!(
            o,
            "  in {} of futures the cumulative cash was positive earlier and fell back below zero; payback counts from when it stays positive",
            pct(f)
        );
    }
    if let Some(se) = s.precision.npv_mean_se {
        let [lo, hi] = s.precision.payback_median_ci95;
        let _ = writeln!(
            o,
            "  precision: mean NPV {} +/- {} (1 SE); median payback 95% CI [{}, {}] years",
            money(m.npv.mean),
            money(Some(se)),
            years(lo),
            years(hi)
        );
    }
    if let Some(st) = &s.stopping {
        let _ = writeln!(o, "  {}", stopping_line(st, s.trials));
    }
    if let Some(top) = s.top_drivers().first() {
        let _ = writeln!(
            o,
            "  strongest driver of NPV: {} (mean NPV {} when it is low, {} when high)",
            top.input,
            money(top.npv_mean_low),
            money(top.npv_mean_high)
        );
    }
    let _ = writeln!(o, "  results: {}", dir.display());
    std::io::stdout().lock().write_all(terminal(&o).as_bytes())
}

/// The printed outcome of `--precision`, e.g. "stopped after 40,000 trials
/// (3 rounds): precision 1% reached (mean NPV ±0.5%, ...)".
fn stopping_line(st: &Stopping, trials: u64) -> String {
    let rel = |x: Option<f64>| {
        x.map_or("unbounded".to_string(), |v| {
            format!("±{}%", two_digits(100.0 * v))
        })
    };
    let mut achieved = format!(
        "mean NPV {}, median payback {}",
        rel(st.npv_mean_relative),
        rel(st.payback_median_relative),
    );
    if let Some(h) = st.payback_within_target_absolute {
        achieved += &format!(", P(within target) ±{} points", two_digits(100.0 * h));
    }
    let target = format!("{}%", two_digits(100.0 * st.target_precision));
    let rounds = if st.rounds == 1 {
        "1 round".to_string()
    } else {
        format!("{} rounds", st.rounds)
    };
    if st.reached {
        format!(
            "stopped after {} trials ({rounds}): precision {target} reached ({achieved})",
            thousands(trials as f64)
        )
    } else {
        format!(
            "ceiling of {} trials reached before {target} precision ({rounds}; {achieved})",
            thousands(trials as f64)
        )
    }
}
