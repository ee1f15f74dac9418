//! One scenario run into a staged result directory, as `run` and `batch`
//! do it: the library's [`crm_roi::simulate`] with a progress bar and the
//! interrupt token, then every result file written into a temporary
//! directory that [`Staged::commit`] moves into place.

use super::common::InvalidInput;
use crate::cli::SimArgs;
use anyhow::{Context, Result};
use crm_roi::config::Scenario;
use crm_roi::engine::{Metric, export_columns};
use crm_roi::format::thousands;
use crm_roi::report::text::terminal;
use crm_roi::report::{self, ResultDir, TrialsCsv};
use crm_roi::results::Results;
use crm_roi::{Progress, RunError, RunOptions, Settings, simulate_with_export};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use std::path::PathBuf;

/// A finished run: its results, where they are, and the NPV of each kept
/// trial and its payback in years, +∞ beyond the horizon (for paired
/// comparisons).
pub struct Run {
    pub results: Results,
    pub dir: PathBuf,
    pub npv: Vec<f64>,
    pub payback_years: Vec<f64>,
}

/// A run whose results are written but not yet in place.
pub struct Staged {
    pub results: Results,
    pub dir: ResultDir,
    pub npv: Vec<f64>,
    pub payback_years: Vec<f64>,
}

impl Staged {
    /// Moves the results into place.
    pub fn commit(self) -> Result<Run> {
        Ok(Run {
            dir: self.dir.commit()?,
            results: self.results,
            npv: self.npv,
            payback_years: self.payback_years,
        })
    }
}

/// The progress bar of a run: it appears once a run has taken a second,
/// and only on a terminal (indicatif draws nothing when stderr is not one).
pub struct Bar {
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

impl Bar {
    /// Clears the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// The progress bar of a run of `s` (`rounds`: with a precision target).
pub fn bar(s: &Scenario, trials: u64, quiet: bool, rounds: bool) -> Bar {
    let bar = ProgressBar::with_draw_target(Some(trials), ProgressDrawTarget::hidden());
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
    Bar {
        bar,
        name,
        quiet,
        started: std::time::Instant::now(),
        rounds,
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
    let mut progress = bar(s, settings.trials, args.quiet, args.precision.is_some());
    let options = RunOptions::new(*settings)
        .precision(args.precision)
        .cancel_on(crate::interrupt::token());
    let run = if args.export_trials {
        let file = dir.file("trials.csv")?;
        let mut sink =
            TrialsCsv::new(file, s, &export_columns(s)).context("cannot write trials.csv")?;
        let run = simulate_with_export(s, &options, &mut progress, Some(&mut sink));
        let run = run.map_err(|e| run_error(e, s))?;
        sink.finish().context("cannot write trials.csv")?;
        run
    } else {
        crm_roi::simulate(s, &options, &mut progress).map_err(|e| run_error(e, s))?
    };
    progress.finish();
    staged(run, dir, args.no_charts, args.lang.into(), args.date)
}

/// Writes the result files of a finished run into `dir` (trials.csv, if
/// any, is already there) and keeps its NPV and payback per kept trial.
/// `date`: the run date (`--date`) the outputs show.
pub fn staged(
    run: crm_roi::Run,
    dir: ResultDir,
    no_charts: bool,
    lang: crm_roi::lang::Lang,
    date: Option<jiff::civil::Date>,
) -> Result<Staged> {
    let mut results = run.results;
    results.summary.date = date;
    for e in report::standard_exports(lang) {
        dir.write(e.as_ref(), &results)?;
    }
    if !no_charts {
        dir.write_charts(&results, lang)?;
        dir.write_report(&results, lang)?;
    }
    // Interrupted while writing: the previous results stay as they were.
    crate::interrupt::check()?;
    let mut data = run.data;
    let payback_years = std::mem::take(&mut data.kept_metrics[Metric::PaybackYears.index()]);
    let npv = data.into_metric(Metric::Npv);
    Ok(Staged {
        results,
        dir,
        npv,
        payback_years,
    })
}

/// A library run error as the command reports it: an interruption as such
/// (exit code of the signal), an overflow as invalid input naming the file.
pub fn run_error(e: RunError, s: &Scenario) -> anyhow::Error {
    match e {
        RunError::Interrupted => crate::interrupt::Interrupted.into(),
        RunError::Overflow { .. } => InvalidInput(format!("{}: {e}", s.file.display())).into(),
        e => anyhow::Error::new(e).context("cannot write trials.csv"),
    }
}
