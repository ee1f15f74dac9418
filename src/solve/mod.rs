//! Break-even and goal seek: the value of one input at which a goal is met
//! exactly, e.g. the largest licence cost that still gives an 80% chance of
//! payback within the target.
//!
//! The input at a path is replaced by a fixed value, and the scenario is
//! simulated with the same keyed draws for every candidate value (common
//! random numbers: every other input's draw depends only on the seed, the
//! trial and its own path). A correlated input that is fixed keeps drawing
//! its own latent uniform, unused, so its partners keep exactly the draws
//! they have in the file: fixing it does not condition them (see
//! `sampling`). The goal's figure is then a deterministic function of the
//! value, and [`search`] brackets and bisects it.
//!
//! Each candidate runs the engine's trials alone (`Engine::trial`, chunks
//! in parallel on rayon, collected in order) and keeps one number per trial
//! (its payback or NPV): the figures are those `run` reports for a file
//! with that fixed value (the same counts and the same percentile), at a
//! fraction of the cost of the full results. The rules for users are in
//! docs/decisions.md ("Break-even and goal seek").

mod goal;
pub mod search;

pub use goal::Goal;

use crate::config::Scenario;
use crate::dist::Quantity;
use crate::engine::{CHUNK, Cancel, Engine, Settings};
use rayon::prelude::*;
use search::{Failure, Found, Point};
use serde::Serialize;

/// The most trials per simulation: percentiles are exact up to here, as in
/// `run` (and one number per trial is kept).
pub const MAX_TRIALS: u64 = crate::engine::EXACT_LIMIT;

/// How to solve: the draws, an optional search range, a cancellation token.
#[derive(Debug, Clone)]
pub struct SolveOptions {
    settings: Settings,
    between: Option<[f64; 2]>,
    cancel: Cancel,
}

impl SolveOptions {
    /// Every simulation runs `settings`; the range is found automatically.
    pub fn new(settings: Settings) -> Self {
        SolveOptions {
            settings,
            between: None,
            cancel: Cancel::new(),
        }
    }

    /// Searches only `[lo, hi]` (never grown).
    pub fn between(mut self, range: Option<[f64; 2]>) -> Self {
        self.between = range;
        self
    }

    /// Stops with [`SolveError::Interrupted`] once `cancel` is cancelled.
    pub fn cancel_on(mut self, cancel: &Cancel) -> Self {
        self.cancel = cancel.clone();
        self
    }
}

/// Told how a solve advances; does nothing by default (`&mut ()`).
pub trait SolveProgress {
    /// `done` simulations have run of the `planned` now expected.
    fn simulations(&mut self, _done: u32, _planned: u32) {}
}

impl SolveProgress for () {}

/// Why a solve found no value.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SolveError {
    #[error("{file}: no input `{path}`{hint}")]
    UnknownInput {
        file: String,
        path: String,
        /// "; did you mean `x`?" or the list of inputs.
        hint: String,
    },
    #[error(
        "{file}: `{path}` is drawn anew for each occurrence of the shock, not once per trial; solve varies per-trial inputs only (docs/scenario-format.md, \"Input paths\")"
    )]
    PerOccurrence { file: String, path: String },
    #[error(
        "{file}: the goal {goal} needs a payback target, and the scenario has none; add finance.target_payback_years, or seek median_payback=YEARS"
    )]
    NoTarget { file: String, goal: String },
    #[error(
        "{file}: the goal {goal} lies beyond the horizon of {years} years, where no payback is measured (a later one counts as beyond the horizon); seek a median payback within {years} years, or lengthen horizon_years"
    )]
    BeyondHorizon {
        file: String,
        goal: String,
        years: u32,
    },
    #[error("{0}")]
    BadRange(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{trials} trials per simulation asked; solve runs at most {MAX_TRIALS}")]
    TooManyTrials { trials: u64 },
    #[error(
        "{file}: some trials produced amounts too large to compute (floating-point overflow) {}; check the scale of amounts, units and escalation",
        value.map_or("in the scenario as the file has it".into(), |v| format!("with {path} = {}", crate::format::exact(v)))
    )]
    Overflow {
        file: String,
        path: String,
        /// The value tried; `None` for the scenario as the file has it.
        value: Option<f64>,
    },
    #[error("interrupted")]
    Interrupted,
}

/// The input's value for comparison: as the file fixes it, or the median
/// of its distribution.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Current {
    /// The file's fixed value, or the median of its distribution.
    pub value: f64,
    /// `"fixed"` or `"median"`.
    pub kind: &'static str,
    /// The goal's figure for the scenario as the file has it (the input
    /// drawn from its distribution).
    pub reached: f64,
}

/// A value of the input with the goal's figure there.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Evaluated {
    /// The input's value.
    pub value: f64,
    /// The goal's figure with the input fixed there (a probability, an
    /// amount, or years; +∞ years for a median payback beyond the horizon,
    /// written as null).
    #[serde(serialize_with = "finite_or_null")]
    pub reached: f64,
}

/// The answer: what `solve.json` holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Solution {
    /// The scenario's name and file.
    pub scenario: String,
    pub file: String,
    /// The input path that was varied.
    pub input: String,
    /// The goal as written, e.g. `p_payback=0.8`.
    pub goal: String,
    /// What the goal measures, e.g. "P(payback within 3 years)".
    pub measure: String,
    /// Trials per simulation, seed and sampling method.
    pub trials: u64,
    pub seed: u64,
    pub sampling: &'static str,
    /// The solved value: the end of the final interval at which the goal is
    /// met (reached or beaten), and the figure there.
    pub value: f64,
    #[serde(serialize_with = "finite_or_null")]
    pub reached: f64,
    /// `"below"` when the goal is met at this value and below it (within
    /// the searched range), `"above"` when at this value and above.
    pub met: &'static str,
    /// The other end of the final interval, where the goal is not met.
    pub just_beyond: Evaluated,
    /// Standard error of the solved value from the Monte Carlo sampling
    /// (same unit as the input); null when it cannot be estimated.
    pub value_se: Option<f64>,
    /// The input as the file has it, for comparison.
    pub current: Current,
    /// The range scanned for the answer, [low, high].
    pub searched: [f64; 2],
    /// The bisection's tolerance: the final interval is at most this
    /// wide (search::TOLERANCE of the searched range and of the answer's
    /// magnitude).
    pub tolerance: f64,
    /// Whether the figure moved one way only across every value tried.
    pub monotone: bool,
    /// Simulations run, the comparison with the file included.
    pub simulations: u32,
}

fn finite_or_null<S: serde::Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
    if x.is_finite() {
        s.serialize_f64(*x)
    } else {
        s.serialize_none()
    }
}

/// Finds the value of the input at `path` at which `goal` is met.
pub fn solve(
    scenario: &Scenario,
    path: &str,
    goal: Goal,
    options: &SolveOptions,
    progress: &mut impl SolveProgress,
) -> Result<Solution, SolveError> {
    let file = scenario.file.display().to_string();
    let settings = options.settings;
    if settings.trials > MAX_TRIALS {
        return Err(SolveError::TooManyTrials {
            trials: settings.trials,
        });
    }
    let index = input_index(scenario, path)?;
    let target = match (goal, scenario.target_payback_years) {
        (Goal::PPayback(_), None) => {
            return Err(SolveError::NoTarget {
                file,
                goal: goal.to_string(),
            });
        }
        (Goal::MedianPayback(y), _) if y > f64::from(scenario.horizon_years) => {
            return Err(SolveError::BeyondHorizon {
                file,
                goal: goal.to_string(),
                years: scenario.horizon_years,
            });
        }
        (_, t) => t.unwrap_or(f64::NAN),
    };
    let def = &scenario.inputs[index];
    let limits = def.range;
    let exact = crate::format::exact;
    let (start, grow) = match options.between {
        Some([lo, hi]) => {
            if !(lo < hi) {
                return Err(SolveError::BadRange(format!(
                    "the search range needs low < high (got {} and {})",
                    exact(lo),
                    exact(hi)
                )));
            }
            if lo < limits[0] || hi > limits[1] {
                return Err(SolveError::BadRange(format!(
                    "the search range [{}, {}] leaves the values {path} admits ([{}, {}])",
                    exact(lo),
                    exact(hi),
                    exact(limits[0]),
                    exact(limits[1])
                )));
            }
            ([lo, hi], false)
        }
        None => (auto_range(&def.quantity, limits), true),
    };

    let measure_text = goal.measure(scenario.target_payback_years);
    let mut pinned = scenario.clone();
    let done = std::cell::Cell::new(0u32);
    let planned = std::cell::Cell::new(2 + search::EXPANSIONS + 2 * search::CELLS as u32 + 17);
    let run = |s: &Scenario, value: Option<f64>| -> Result<Point, SolveError> {
        let p = evaluate(s, settings, goal, target, &options.cancel).map_err(|e| match e {
            Eval::Interrupted => SolveError::Interrupted,
            Eval::Overflow => SolveError::Overflow {
                file: file.clone(),
                path: path.to_string(),
                value,
            },
        })?;
        Ok(Point {
            value: value.unwrap_or(f64::NAN),
            measured: p.0,
            share: p.1,
        })
    };
    // The scenario as the file has it, for comparison.
    let current = run(scenario, None)?;
    done.set(1);
    progress.simulations(1, planned.get());
    let found: Result<Found, Failure<SolveError>> = search::search(
        start,
        limits,
        grow,
        |m| goal.met_by(m),
        goal.higher_is_better(),
        &mut |v| {
            pinned.inputs[index].quantity = Quantity::Fixed(v);
            let p = run(&pinned, Some(v))?;
            done.set(done.get() + 1);
            progress.simulations(done.get(), planned.get().max(done.get()));
            Ok(p)
        },
        &mut |n| planned.set(n + 1),
    );
    let show = |x: f64| crate::format::number(x);
    let found = found.map_err(|f| match f {
        Failure::Eval(e) => e,
        Failure::NotBracketed { lo, hi } => {
            let (a, b) = (show(lo.value), show(hi.value));
            let grown = if grow {
                " (the input's own range, widened as far as it would go)"
            } else {
                ""
            };
            let what = if lo.measured == hi.measured {
                format!(
                    "{measure_text} is {} at both ends (it may not depend on {path})",
                    show_figure(goal, lo.measured)
                )
            } else {
                format!(
                    "{measure_text} goes from {} at {a} to {} at {b}",
                    show_figure(goal, lo.measured),
                    show_figure(goal, hi.measured)
                )
            };
            let ends = if goal.met_by(lo.measured) {
                "met at both ends"
            } else {
                "met at neither end"
            };
            SolveError::NotFound(format!(
                "{file}: the goal {goal} cannot be bracketed for {path} between {a} and {b}{grown}: {what}, so the goal is {ends}; give a range where it is met at one end only"
            ))
        }
        Failure::Several { bracket, changes } => SolveError::NotFound(format!(
            "{file}: the goal {goal} is met on more than one stretch of {path} between {} and {}: {measure_text} crosses it between {}; it is not monotone in {path}, so give a range around one crossing",
            show(bracket[0]),
            show(bracket[1]),
            changes
                .iter()
                .map(|[a, b]| format!("{} and {}", show(*a), show(*b)))
                .collect::<Vec<_>>()
                .join(", and between ")
        )),
    })?;
    let value_se = search::value_se(&found, goal.share_level(), settings.trials);
    let kind = if def.quantity.is_fixed() {
        "fixed"
    } else {
        "median"
    };
    Ok(Solution {
        scenario: scenario.name.clone(),
        file,
        input: path.to_string(),
        goal: goal.to_string(),
        measure: measure_text,
        trials: settings.trials,
        seed: settings.seed,
        sampling: settings.method.name(),
        value: found.met.value,
        reached: found.met.measured,
        met: if found.met.value < found.missed.value {
            "below"
        } else {
            "above"
        },
        just_beyond: Evaluated {
            value: found.missed.value,
            reached: found.missed.measured,
        },
        value_se,
        current: Current {
            value: def.quantity.value(0.5),
            kind,
            reached: current.measured,
        },
        searched: found.bracket,
        tolerance: found.tolerance,
        monotone: found.monotone,
        simulations: done.get(),
    })
}

/// A goal's figure in words: a probability as a percentage, years with
/// two decimals, amounts with thousands separators.
pub fn show_figure(goal: Goal, x: f64) -> String {
    match goal {
        Goal::PPayback(_) | Goal::PNpvPositive(_) => crate::format::percent1(x),
        Goal::MedianPayback(_) if !x.is_finite() => "beyond the horizon".into(),
        Goal::MedianPayback(_) => crate::format::years(x, 2),
        Goal::MedianNpv(_) => crate::format::thousands(x),
    }
}

/// The index of the per-trial input at `path`, or why there is none.
fn input_index(scenario: &Scenario, path: &str) -> Result<usize, SolveError> {
    let file = scenario.file.display().to_string();
    if let Some(i) = scenario.input(path) {
        return Ok(i.0);
    }
    let per_occurrence = scenario.shocks.iter().any(|s| {
        s.per_occurrence()
            .any(|(f, _)| path == format!("{}.{f}", s.path))
    });
    if per_occurrence {
        return Err(SolveError::PerOccurrence {
            file,
            path: path.to_string(),
        });
    }
    let hint = scenario.path_hint(scenario.closest_input(path));
    Err(SolveError::UnknownInput {
        file,
        path: path.to_string(),
        hint,
    })
}

/// The starting range: the input's P0.1 to P99.9, widened by half its width
/// on each side; for a fixed value x, [x − |x|, x + |x|] (x = 0: [−1, 1]);
/// then cut to the values the field admits. Never empty.
pub fn auto_range(q: &Quantity, limits: [f64; 2]) -> [f64; 2] {
    let (a, b) = match q {
        Quantity::Fixed(x) if *x == 0.0 => (-1.0, 1.0),
        Quantity::Fixed(x) => (x - x.abs(), x + x.abs()),
        Quantity::Random(_) => {
            let (lo, hi) = (q.value(0.001), q.value(0.999));
            let w = (hi - lo).max(lo.abs().max(hi.abs()) * 1e-6).max(1e-9);
            (lo - w / 2.0, hi + w / 2.0)
        }
    };
    let (lo, hi) = (a.max(limits[0]), b.min(limits[1]));
    if lo < hi {
        [lo, hi]
    } else {
        // Cut to nothing (a value at the field's limit): the whole field,
        // as far as the starting width reaches.
        let w = b - a;
        [limits[0].max(lo.min(hi) - w), limits[1].min(lo.max(hi) + w)]
    }
}

enum Eval {
    Interrupted,
    Overflow,
}

/// One simulation of `scenario`: the goal's figure and share.
fn evaluate(
    scenario: &Scenario,
    settings: Settings,
    goal: Goal,
    target: f64,
    cancel: &Cancel,
) -> Result<(f64, f64), Eval> {
    let engine = Engine::new(scenario, settings);
    let n = settings.trials;
    let payback = goal.reads_payback();
    let chunks: Vec<Option<(Vec<f64>, bool)>> = (0..n.div_ceil(CHUNK))
        .into_par_iter()
        .map(|c| {
            if cancel.is_cancelled() {
                return None;
            }
            let mut ts = engine.scratch();
            let mut finite = true;
            let values = (c * CHUNK..((c + 1) * CHUNK).min(n))
                .map(|t| {
                    let o = engine.trial(t, &mut ts, |_, _| {});
                    finite &= o.npv.is_finite();
                    if payback {
                        o.payback_years.unwrap_or(f64::INFINITY)
                    } else {
                        o.npv
                    }
                })
                .collect();
            Some((values, finite))
        })
        .collect();
    if cancel.is_cancelled() {
        return Err(Eval::Interrupted);
    }
    let mut values = Vec::with_capacity(n as usize);
    for (v, finite) in chunks.into_iter().flatten() {
        if !finite {
            return Err(Eval::Overflow);
        }
        values.extend(v);
    }
    Ok(goal.evaluate(&mut values, target))
}
