//! Running a scenario end to end, as a library call: [`simulate`] runs the
//! trials (in rounds of growing size when a precision is asked for), checks
//! that no amount overflowed, and computes the [`Results`]. The command
//! line is one caller; anyone who runs scenarios from Rust is another, and
//! neither has to repeat the rounds, the export or the cancellation.
//!
//! Progress is reported through [`Progress`]; cancellation through the
//! [`Cancel`] token in [`RunOptions`], which the caller owns (a signal
//! handler, a button): there is no global state. Writing files is the
//! caller's business, except the per-trial export, which goes to a
//! [`TrialSink`] during the run ([`simulate_with_export`]).

use crate::config::Scenario;
use crate::engine::{Cancel, Engine, EngineError, Part, PartError, RunData, Settings, TrialSink};
use crate::results::Results;
use crate::results::stopping::{schedule, stopping};

/// How to run a scenario: the draws ([`Settings`]), an optional precision
/// that chooses the number of trials, and a cancellation token.
#[derive(Debug, Clone)]
pub struct RunOptions {
    settings: Settings,
    precision: Option<f64>,
    cancel: Cancel,
}

impl RunOptions {
    /// `settings.trials` trials, no precision target, never cancelled.
    pub fn new(settings: Settings) -> Self {
        RunOptions {
            settings,
            precision: None,
            cancel: Cancel::new(),
        }
    }

    /// Runs rounds of 10,000, 20,000, ... trials, up to `settings.trials`,
    /// until the estimates are precise to `relative` (0.01 = 1%); see
    /// docs/results.md, "Knowing when to stop".
    pub fn precision(mut self, relative: Option<f64>) -> Self {
        self.precision = relative;
        self
    }

    /// Stops the run, with [`RunError::Interrupted`], once `cancel` is
    /// cancelled.
    pub fn cancel_on(mut self, cancel: &Cancel) -> Self {
        self.cancel = cancel.clone();
        self
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }
}

/// Told how a run advances. Both methods do nothing by default, so `&mut
/// ()` is a valid progress that shows nothing.
pub trait Progress {
    /// Round `round` (1-based) of `trials` trials starts; a run without a
    /// precision target has one round.
    fn round(&mut self, _round: u32, _trials: u64) {}
    /// `done` trials of the current round are finished.
    fn trials_done(&mut self, _done: u64) {}
}

impl Progress for () {}

/// A finished run: its results, and what the engine kept of its trials
/// (for paired comparisons and further analysis): NPV and payback per kept
/// trial and the kept input draws; the other outputs' kept values are freed
/// once their percentiles are known ([`Results::new_releasing`]).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Run {
    pub results: Results,
    pub data: RunData,
}

/// Why a run did not finish.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    /// The [`Cancel`] token was cancelled.
    #[error("interrupted")]
    Interrupted,
    /// Amounts too large to compute in some trials.
    #[error(
        "{overflowed} of {trials} trials produced amounts too large to compute (floating-point overflow); check the scale of amounts, units and escalation"
    )]
    Overflow { overflowed: u64, trials: u64 },
    /// The per-trial export could not be written.
    #[error("cannot write the per-trial export")]
    Export(#[source] std::io::Error),
}

/// Runs `scenario` as `options` say and computes its results.
pub fn simulate(
    scenario: &Scenario,
    options: &RunOptions,
    progress: &mut impl Progress,
) -> Result<Run, RunError> {
    simulate_with_export(scenario, options, progress, None)
}

/// [`simulate`], writing every trial of the kept round to `export` (its
/// columns are [`crate::engine::export_columns`]). With a precision
/// target, the kept round is run once more with the export: draws are
/// keyed, so it repeats that round exactly.
pub fn simulate_with_export(
    scenario: &Scenario,
    options: &RunOptions,
    progress: &mut impl Progress,
    mut export: Option<&mut dyn TrialSink>,
) -> Result<Run, RunError> {
    let settings = options.settings;
    let rounds = match options.precision {
        Some(_) => schedule(settings.trials),
        None => vec![settings.trials],
    };
    let mut last: Option<(Results, RunData)> = None;
    for (i, &trials) in rounds.iter().enumerate() {
        let round = Settings { trials, ..settings };
        progress.round(i as u32 + 1, trials);
        // A new round replaces the last: free its kept values first.
        drop(last.take());
        // The export is written once: during the only round, or after the
        // rounds for the one that is kept.
        let sink: Option<&mut dyn TrialSink> = match &mut export {
            Some(sink) if rounds.len() == 1 => Some(&mut **sink),
            _ => None,
        };
        let data = run_once(scenario, options, round, sink, &mut |done| {
            progress.trials_done(done)
        })?;
        if data.counts.non_finite > 0 {
            return Err(RunError::Overflow {
                overflowed: data.counts.non_finite,
                trials: data.trials,
            });
        }
        let mut data = data;
        let mut results = Results::new_releasing(scenario, &round, &mut data);
        let done = match options.precision {
            Some(target) => {
                let stop = stopping(&results.summary, target, i as u32 + 1);
                results.summary.stopping = Some(stop);
                stop.reached
            }
            None => true,
        };
        last = Some((results, data));
        if done {
            break;
        }
    }
    let (results, data) = last.expect("at least one round");
    if rounds.len() > 1
        && let Some(sink) = export
    {
        let kept = Settings {
            trials: data.trials,
            ..settings
        };
        run_once(scenario, options, kept, Some(sink), &mut |_| {})?;
    }
    if options.cancel.is_cancelled() {
        return Err(RunError::Interrupted);
    }
    Ok(Run { results, data })
}

/// Runs shard `k` of `n` (1-based) of the run `options` describe: the
/// trials of the `k`-th of `n` contiguous ranges of chunks, writing them to
/// `export` when given. [`merge_parts`] combines the parts of all `n`
/// shards into what [`simulate`] returns. A precision target needs the
/// whole run between rounds and is not allowed here.
pub fn simulate_shard(
    scenario: &Scenario,
    options: &RunOptions,
    (k, n): (u64, u64),
    progress: &mut impl Progress,
    export: Option<&mut dyn TrialSink>,
) -> Result<Part, RunError> {
    assert!(
        options.precision.is_none(),
        "a shard runs a fixed number of trials"
    );
    let engine = Engine::new(scenario, options.settings).cancel_on(&options.cancel);
    let range = engine.shard_chunks(k, n);
    let trials = (range.end * crate::engine::CHUNK)
        .min(options.settings.trials)
        .saturating_sub(range.start * crate::engine::CHUNK);
    progress.round(1, trials);
    let part = engine
        .run_part(range, export, &mut |done| progress.trials_done(done))
        .map_err(|e| match e {
            EngineError::Cancelled => RunError::Interrupted,
            EngineError::Sink(e) => RunError::Export(e),
        })?;
    if part.counts.non_finite > 0 {
        return Err(RunError::Overflow {
            overflowed: part.counts.non_finite,
            trials,
        });
    }
    Ok(part)
}

/// Combines the parts of every shard of a run (see [`simulate_shard`])
/// into the run one process gives: the same [`Results`] and data, to the
/// last bit.
pub fn merge_parts(
    scenario: &Scenario,
    settings: &Settings,
    parts: Vec<Part>,
) -> Result<Run, PartError> {
    let mut data = Engine::new(scenario, *settings).merge(parts)?;
    let results = Results::new_releasing(scenario, settings, &mut data);
    Ok(Run { results, data })
}

/// One run of `round`, cancelled by the options' token.
fn run_once(
    scenario: &Scenario,
    options: &RunOptions,
    round: Settings,
    sink: Option<&mut dyn TrialSink>,
    progress: &mut dyn FnMut(u64),
) -> Result<RunData, RunError> {
    Engine::new(scenario, round)
        .cancel_on(&options.cancel)
        .run(sink, progress)
        .map_err(|e| match e {
            EngineError::Cancelled => RunError::Interrupted,
            EngineError::Sink(e) => RunError::Export(e),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sampling::Method;

    const TEXT: &str = r#"
horizon_years = 2
[finance]
discount_rate = 0.05
[[costs]]
name = "Licence"
amount = { pert = [800, 1000, 1500] }
[[benefits]]
name = "Time"
kind = "custom"
amount_per_month = { uniform = [50, 150] }
"#;

    fn scenario() -> Scenario {
        Scenario::from_toml(TEXT, std::path::Path::new("t.toml")).unwrap()
    }

    fn settings(trials: u64) -> Settings {
        Settings::new(trials, 3, Method::MonteCarlo)
    }

    /// Counts rounds and the last progress of each.
    #[derive(Default)]
    struct Seen(Vec<(u32, u64, u64)>);

    impl Progress for Seen {
        fn round(&mut self, round: u32, trials: u64) {
            self.0.push((round, trials, 0));
        }
        fn trials_done(&mut self, done: u64) {
            self.0.last_mut().expect("a round first").2 = done;
        }
    }

    #[test]
    fn a_cancelled_token_stops_the_run() {
        let cancel = Cancel::new();
        cancel.cancel();
        let options = RunOptions::new(settings(200_000)).cancel_on(&cancel);
        let err = simulate(&scenario(), &options, &mut ()).unwrap_err();
        assert!(matches!(err, RunError::Interrupted), "{err:?}");
    }

    #[test]
    fn one_round_without_precision_and_rounds_with_it() {
        let sc = scenario();
        let mut seen = Seen::default();
        let run = simulate(&sc, &RunOptions::new(settings(5000)), &mut seen).unwrap();
        assert_eq!(seen.0, [(1, 5000, 5000)]);
        assert_eq!(run.results.summary.trials, 5000);
        assert!(run.results.summary.stopping.is_none());

        // An unreachable precision runs every round up to the ceiling.
        let mut seen = Seen::default();
        let options = RunOptions::new(settings(40_000)).precision(Some(1e-9));
        let run = simulate(&sc, &options, &mut seen).unwrap();
        assert_eq!(
            seen.0,
            [
                (1, 10_000, 10_000),
                (2, 20_000, 20_000),
                (3, 40_000, 40_000)
            ]
        );
        let stop = run.results.summary.stopping.expect("a precision run");
        assert!(!stop.reached);
        assert_eq!(stop.rounds, 3);
        assert_eq!(run.results.summary.trials, 40_000);
    }

    /// The same run through the facade and through the engine gives the
    /// same numbers.
    #[test]
    fn the_facade_is_the_engine() {
        let sc = scenario();
        let run = simulate(&sc, &RunOptions::new(settings(3000)), &mut ()).unwrap();
        let data = Engine::new(&sc, settings(3000))
            .run(None, &mut |_| {})
            .unwrap();
        assert_eq!(run.results, Results::new(&sc, &settings(3000), &data));
    }
}
