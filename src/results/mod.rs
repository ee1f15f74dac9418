//! Summary statistics of a run, and everything the charts and the report
//! need, computed from the engine's [`RunData`] once.
//!
//! Percentiles are numpy-linear; a payback percentile that falls among the
//! censored trials (no payback within the horizon) is `null`. Statistics
//! are exact when every trial was kept, else read from histogram sketches
//! (see `engine`). JSON never contains NaN or infinity: anything undefined
//! is `null`.

pub mod compare;
mod histogram;
mod inputs;
mod schema;
mod sensitivity;
pub mod stopping;
pub mod tails;
pub mod voi;

/// The percentile convention of every result (numpy-linear over values
/// sorted in IEEE total order), for callers that summarise data of their own.
pub use crate::stats::{percentile_sorted, sort_floats};
pub use compare::{BatchEntry, Paired};
pub use histogram::Histogram;
pub use schema::*;

use crate::config::Scenario;
use crate::engine::{Engine, Fan, Metric, RunData, Settings};
use crate::stats::rank::Ranked;
use crate::stats::{Column, PERCENTILES, Selection, Sketch};
use rayon::prelude::*;
use std::sync::OnceLock;

/// Everything a run yields for its files, charts and report.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Results {
    /// The contents of `summary.json`.
    pub summary: Summary,
    /// The contents of `fan.csv`: Cum(t) by month.
    pub fan: Vec<FanRow>,
    /// Payback in years over [0, horizon]; censored trials are `beyond`.
    pub payback_histogram: Histogram,
    /// NPV over its central 99%; `below` and `beyond` count the 0.5% tails.
    pub npv_histogram: Histogram,
}

/// The distribution of one metric, exact or sketched.
#[derive(Clone, Copy)]
pub(crate) enum MetricDist<'a> {
    /// Every kept value (+∞ for censored paybacks), read by selection.
    Exact(&'a Selection<'a>),
    Sketch(&'a Sketch),
}

impl MetricDist<'_> {
    pub(crate) fn percentile(&self, q: f64) -> Option<f64> {
        match self {
            MetricDist::Exact(v) => v.percentile(q),
            MetricDist::Sketch(s) => s.percentile(q),
        }
    }

    /// The order statistic of 0-based rank `k`; `None` if +∞.
    pub(crate) fn rank_value(&self, k: u64) -> Option<f64> {
        match self {
            MetricDist::Exact(v) => (k < v.len() as u64)
                .then(|| v.get(k as usize))
                .filter(|x| x.is_finite()),
            MetricDist::Sketch(s) => s.rank_value(k),
        }
    }

    /// How many values are < `edges[0]`, and for each of the ascending
    /// `edges` how many are <= it (estimated from a sketch, where the
    /// first count is that of <= `edges[0]`).
    pub(crate) fn counts(&self, edges: &[f64]) -> (f64, Vec<f64>) {
        match self {
            MetricDist::Exact(v) => {
                let (below, at) = v.counts(edges);
                (below as f64, at.into_iter().map(|c| c as f64).collect())
            }
            MetricDist::Sketch(s) => (
                s.count_le(edges[0]),
                edges.iter().map(|&x| s.count_le(x)).collect(),
            ),
        }
    }

    /// How many values there are (+∞ included).
    pub(crate) fn count(&self) -> f64 {
        match self {
            MetricDist::Exact(v) => v.len() as f64,
            MetricDist::Sketch(s) => s.count() as f64,
        }
    }
}

/// What the results read from one metric's distribution.
struct MetricFacts {
    summary: MetricSummary,
    p20: Option<f64>,
    p80: Option<f64>,
    /// Payback only: the 95% interval of the median.
    median_ci: Option<[Option<f64>; 2]>,
    /// Payback and NPV only.
    histogram: Option<Histogram>,
}

internal! {
    /// The decision analyses of a run, as [`Results::new`] computes them
    /// (side by side, sharing one sort of each kept input):
    /// value of information (which also fills each sensitivity row's
    /// contribution to variance), the tail analysis and the shocks' impact.
    /// Apart so that the benchmark `engine` can set their cost against a
    /// whole run's.
    #[cfg_attr(not(feature = "internals"), allow(dead_code))]
    pub fn decision_analyses(
        sc: &Scenario,
        data: &RunData,
        sensitivity: &mut [Sensitivity],
    ) -> (ValueOfInformation, TailAnalysis, Vec<ShockImpact>) {
        let a = analyses(sc, data, false);
        voi::fill_contributions(sensitivity, &a.contributions);
        (a.voi, a.tails, a.shocks)
    }
}

/// What [`analyses`] gives.
struct Analyses {
    /// Empty unless asked for.
    sensitivity: Vec<Sensitivity>,
    voi: ValueOfInformation,
    contributions: voi::Contributions,
    tails: TailAnalysis,
    shocks: Vec<ShockImpact>,
}

/// The sensitivity (when `with_sensitivity`) and the decision analyses,
/// side by side (each is the same whatever runs beside it: every figure is
/// computed in trial order), with one sort of each kept input for all of
/// them.
fn analyses(sc: &Scenario, data: &RunData, with_sensitivity: bool) -> Analyses {
    let ranked: Vec<Ranked> = data
        .kept_inputs
        .par_iter()
        .map(|(_, c)| Ranked::new(c))
        .collect();
    let ranked = ranked.as_slice();
    // The value of information first: its backfitting runs on one thread,
    // and the other analyses fill the others meanwhile.
    let (((voi, contributions), shocks), (sensitivity, tails)) = rayon::join(
        || {
            rayon::join(
                || voi::value_of_information(sc, data, ranked),
                || tails::shock_impact(sc, data),
            )
        },
        || {
            rayon::join(
                || {
                    if with_sensitivity {
                        sensitivity::sensitivity(sc, data, ranked)
                    } else {
                        Vec::new()
                    }
                },
                || tails::tail_analysis(sc, data, ranked),
            )
        },
    );
    Analyses {
        sensitivity,
        voi,
        contributions,
        tails,
        shocks,
    }
}

impl Results {
    /// Summary statistics, fan chart and histograms of a run.
    pub fn new(sc: &Scenario, settings: &Settings, data: &RunData) -> Results {
        Self::build(sc, settings, data, Default::default())
    }

    /// [`Results::new`], freeing the kept keys of the outputs that only
    /// their percentiles read (all but NPV and payback, which the decision
    /// analyses and paired comparisons read) once those are known: the same
    /// results with less memory. `data` keeps everything else.
    pub fn new_releasing(sc: &Scenario, settings: &Settings, data: &mut RunData) -> Results {
        let taken = data.kept_keys.each_mut().map(|k| Some(std::mem::take(k)));
        Self::build(sc, settings, data, taken)
    }

    /// `taken`: columns of keys moved out of `data`, used (and freed) in
    /// place of theirs.
    fn build(
        sc: &Scenario,
        settings: &Settings,
        data: &RunData,
        taken: [Option<Vec<u32>>; 6],
    ) -> Results {
        let n = data.trials;
        let exact = data.kept == n;
        // Median payback interval: order statistics at n/2 ∓ 1.96 √n / 2 (1-based).
        let half = 0.98 * (n as f64).sqrt();
        let lo_rank = ((n as f64 / 2.0 - half).floor().max(1.0) as u64) - 1;
        let hi_rank = ((n as f64 / 2.0 + half).ceil().min(n as f64) as u64) - 1;
        // Every level read below, and the histogram's central 99%.
        let levels: Vec<f64> = PERCENTILES
            .iter()
            .map(|p| p.1)
            .chain([0.2, 0.8, 0.005, 0.995])
            .collect();
        // The run's engine, made at the first need: the exact values of
        // outputs kept as keys come from their trials run again.
        let engine = OnceLock::new();
        let run = Settings {
            trials: n,
            ..*settings
        };

        // Everything read from a metric's distribution, the metrics side by
        // side; its order statistics are selected from its kept values or
        // keys in place, with no copy.
        let fact = |m: Metric, own: Option<Vec<u32>>| {
            // Freed when this metric's facts are known.
            let own = own.filter(|k| !k.is_empty());
            let keys = own.as_deref().unwrap_or(&data.kept_keys[m.index()]);
            let resolve = |trials: &[usize]| {
                engine
                    .get_or_init(|| Engine::new(sc, run))
                    .metric_values(m, trials)
            };
            let selection: Selection;
            let dist = if exact {
                let column = if keys.is_empty() {
                    Column::Values(data.metric(m))
                } else {
                    Column::Keys {
                        keys,
                        code: &data.key_codes[m.index()],
                        resolve: &resolve,
                    }
                };
                selection = Selection::new(column);
                let ranks = if m == Metric::PaybackYears {
                    vec![lo_rank as usize, hi_rank as usize]
                } else {
                    Vec::new()
                };
                selection.prepare_for(&levels, &ranks);
                MetricDist::Exact(&selection)
            } else {
                MetricDist::Sketch(
                    &data
                        .metric_sketches
                        .as_ref()
                        .expect("sketches when not every trial is kept")[m.index()],
                )
            };
            let mom = data.moments_of(m);
            MetricFacts {
                summary: MetricSummary {
                    percentiles: Percentiles::from_fn(|q| dist.percentile(q)),
                    // Never ±∞ (values near the largest double): `null`, in
                    // summary.json and the CSV files alike.
                    mean: mom.mean().filter(|v| v.is_finite()).map(positive_zero),
                    sd: mom.sd().filter(|v| v.is_finite()),
                    censored_fraction: m.is_payback().then(|| (n - mom.count()) as f64 / n as f64),
                    fell_back_fraction: match m {
                        Metric::PaybackYears => Some(data.counts.fell_back as f64 / n as f64),
                        Metric::DiscountedPaybackYears => {
                            Some(data.counts.discounted_fell_back as f64 / n as f64)
                        }
                        _ => None,
                    },
                    undefined_fraction: (m == Metric::Roi)
                        .then(|| (n - data.counts.roi_defined) as f64 / n as f64),
                    note: note(m, n, mom.count(), data.counts.roi_defined, overflow(mom)),
                },
                p20: dist.percentile(0.2).map(positive_zero),
                p80: dist.percentile(0.8).map(positive_zero),
                median_ci: (m == Metric::PaybackYears)
                    .then(|| [dist.rank_value(lo_rank), dist.rank_value(hi_rank)]),
                histogram: match m {
                    Metric::PaybackYears => Some(Histogram::payback(dist, sc.horizon_years as f64)),
                    Metric::Npv => Some(Histogram::central(dist)),
                    _ => None,
                },
            }
        };
        // The outputs kept as keys first, each freeing its keys when its
        // facts are known; then NPV and payback (kept as values, which the
        // analyses read too) beside the other analyses, whose memory thus
        // comes once the keys are freed, and which leave a thread idle
        // while the value of information's backfitting runs alone. One
        // sort of each kept input serves all the analyses.
        let (late, early): (Vec<_>, Vec<_>) = Metric::ALL
            .into_iter()
            .zip(taken)
            .partition(|(m, _)| matches!(m, Metric::PaybackYears | Metric::Npv));
        let tagged = |(m, own)| (m, fact(m, own));
        let mut facts: Vec<(Metric, MetricFacts)> = early.into_par_iter().map(tagged).collect();
        let (late, a) = rayon::join(
            || late.into_par_iter().map(tagged).collect::<Vec<_>>(),
            || analyses(sc, data, true),
        );
        facts.extend(late);
        facts.sort_by_key(|(m, _)| m.index());
        let facts: Vec<MetricFacts> = facts.into_iter().map(|(_, f)| f).collect();
        let mut sensitivity = a.sensitivity;
        voi::fill_contributions(&mut sensitivity, &a.contributions);
        let (value_of_information, tail_analysis, shock_impact) = (a.voi, a.tails, a.shocks);
        let [payback, dpayback, npv, roi, costs, benefits] = <[MetricFacts; 6]>::try_from(facts)
            .unwrap_or_else(|_| unreachable!("one entry per metric"));
        let metrics = Metrics {
            payback_years: payback.summary.clone(),
            discounted_payback_years: dpayback.summary,
            npv: npv.summary.clone(),
            roi: roi.summary.clone(),
            total_costs: costs.summary,
            total_benefits: benefits.summary,
        };
        let c = &data.counts;
        let share = |k: u64| k as f64 / n as f64;
        let probabilities = Probabilities {
            payback_within_target: sc
                .target_payback_years
                .map(|_| share(c.payback_within_target)),
            payback_within_horizon: share(c.payback_within_horizon),
            npv_positive: share(c.npv_positive),
        };

        let precision = Precision {
            npv_mean_se: data
                .moments_of(Metric::Npv)
                .sd()
                .map(|sd| sd / (n as f64).sqrt()),
            payback_median_ci95: payback.median_ci.unwrap_or([None, None]),
            payback_within_target_ci95: sc
                .target_payback_years
                .map(|_| wilson(c.payback_within_target, n)),
        };

        let summary = Summary {
            scenario: sc.name.clone(),
            description: sc.description.clone(),
            currency: sc.currency.clone(),
            trials: n,
            seed: settings.seed,
            sampling: settings.method.name(),
            horizon_months: data.months,
            target_payback_years: sc.target_payback_years,
            version: env!("CARGO_PKG_VERSION"),
            date: None,
            set: sc.set.clone(),
            metrics,
            probabilities,
            sensitivity,
            spreadsheet: inputs::spreadsheet(sc),
            eight_in_ten: EightInTen {
                payback_years: payback.p80,
                npv: npv.p20,
                roi: roi.p20,
            },
            inputs: inputs::assumptions(sc),
            items: inputs::items(sc, data),
            tail_analysis,
            shock_impact,
            value_of_information,
            precision,
            approximation: Approximation {
                exact_percentiles: exact,
                exact_fan: matches!(data.fan, Fan::Exact(_)),
                sensitivity_trials: data
                    .kept_inputs
                    .first()
                    .map_or(data.kept, |(_, c)| c.len() as u64),
            },
            stopping: None,
        };
        Results {
            summary,
            fan: fan_rows(data),
            payback_histogram: payback.histogram.expect("the payback histogram"),
            npv_histogram: npv.histogram.expect("the NPV histogram"),
        }
    }
}

/// Summary statistics and fan chart of a run (see [`Results::new`]).
pub fn summarize(sc: &Scenario, settings: &Settings, data: &RunData) -> (Summary, Vec<FanRow>) {
    let r = Results::new(sc, settings, data);
    (r.summary, r.fan)
}

/// Whether the mean or sd exist but exceed the largest double (values near
/// 1e308, or a spread whose square overflows).
fn overflow(mom: &crate::stats::Moments) -> bool {
    mom.mean().is_some_and(|v| !v.is_finite()) || mom.sd().is_some_and(|v| !v.is_finite())
}

/// Why a metric's statistics are missing or leave trials out.
fn note(m: Metric, n: u64, counted: u64, roi_defined: u64, overflow: bool) -> Option<String> {
    let why = why_missing(m, n, counted, roi_defined);
    if !overflow {
        return why;
    }
    let big =
        "the mean or sd exceed the largest floating-point number (about 1.8e308) and are null";
    Some(match why {
        Some(w) => format!("{w}; {big}"),
        None => big.to_string(),
    })
}

fn why_missing(m: Metric, n: u64, counted: u64, roi_defined: u64) -> Option<String> {
    let share = |k: u64| crate::format::percent(k as f64 / n as f64);
    match m {
        Metric::Roi if roi_defined == 0 => Some(
            "undefined in every trial: total costs are zero (or so small that ROI = (benefits - costs) / costs exceeds the largest number), and the ratio divides by them"
                .into(),
        ),
        Metric::Roi if roi_defined < n => Some(format!(
            "total costs are zero (or so small that the ratio overflows) in {} of the trials, where ROI is undefined; the statistics use the others",
            share(n - roi_defined)
        )),
        _ if m.is_payback() && counted == 0 => Some(
            "no simulated future pays back within the horizon: every percentile, the mean and the sd are beyond it"
                .into(),
        ),
        _ if m.is_payback() && counted < n => Some(format!(
            "{} of the futures do not pay back within the horizon; percentiles among them are null, the mean and sd are over the others",
            share(n - counted)
        )),
        _ => None,
    }
}

/// Wilson score interval at 95% for k successes in n trials.
pub fn wilson(k: u64, n: u64) -> [f64; 2] {
    let z = 1.959_963_984_540_054_f64;
    let (nf, p) = (n as f64, k as f64 / n as f64);
    let denom = 1.0 + z * z / nf;
    let centre = (p + z * z / (2.0 * nf)) / denom;
    let half = z * (p * (1.0 - p) / nf + z * z / (4.0 * nf * nf)).sqrt() / denom;
    [(centre - half).max(0.0), (centre + half).min(1.0)]
}

fn fan_rows(data: &RunData) -> Vec<FanRow> {
    (0..=data.months)
        .map(|t| FanRow {
            month: t,
            percentiles: match &data.fan {
                Fan::Exact(v) => Percentiles::from_fn(|q| percentile_sorted(&v[t], q)),
                Fan::Sketch(s) => Percentiles::from_fn(|q| s[t].percentile(q)),
            },
            mean: positive_zero(data.fan_mean[t]),
        })
        .collect()
}
