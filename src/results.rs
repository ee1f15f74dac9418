//! Summary statistics of a run: the export schema of `summary.json`.
//!
//! The structs here *are* the schema (as in hyperfine's
//! `benchmark_result.rs`): every field carries its unit. Percentiles are
//! numpy-linear; a payback percentile that falls among the censored trials
//! (no payback within the horizon) is `null`. JSON never contains NaN or
//! infinity: anything undefined is `null`.

use crate::config::Scenario;
use crate::engine::{Fan, Metric, RunData, Settings};
use crate::stats::rank::{average_ranks, pearson};
use crate::stats::{PERCENTILES, percentile_sorted};
use rayon::prelude::*;
use serde::Serialize;

/// −0.0 as 0.0, so that files never show "-0".
fn positive_zero(x: f64) -> f64 {
    x + 0.0
}

/// Percentiles p5..p95 of one quantity; `null` where undefined or beyond the horizon.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Percentiles {
    pub p5: Option<f64>,
    pub p10: Option<f64>,
    pub p25: Option<f64>,
    pub p50: Option<f64>,
    pub p75: Option<f64>,
    pub p90: Option<f64>,
    pub p95: Option<f64>,
}

impl Percentiles {
    /// Builds from a function of the level q.
    pub fn from_fn(f: impl Fn(f64) -> Option<f64>) -> Self {
        let v: Vec<Option<f64>> = PERCENTILES
            .iter()
            .map(|(_, q)| f(*q).map(positive_zero))
            .collect();
        Percentiles {
            p5: v[0],
            p10: v[1],
            p25: v[2],
            p50: v[3],
            p75: v[4],
            p90: v[5],
            p95: v[6],
        }
    }

    /// In the order of [`PERCENTILES`].
    pub fn values(&self) -> [Option<f64>; 7] {
        [
            self.p5, self.p10, self.p25, self.p50, self.p75, self.p90, self.p95,
        ]
    }
}

/// Distribution of one per-trial output.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricSummary {
    /// Percentiles, in the metric's unit (years, currency, or a ratio for ROI).
    #[serde(flatten)]
    pub percentiles: Percentiles,
    /// Mean (over paid-back trials for payback metrics).
    pub mean: Option<f64>,
    /// Sample standard deviation, n − 1 (over paid-back trials for payback metrics).
    pub sd: Option<f64>,
    /// Payback metrics: share of trials that do not pay back within the horizon (0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub censored_fraction: Option<f64>,
    /// ROI: share of trials with zero total costs, where ROI is undefined (0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub undefined_fraction: Option<f64>,
}

/// The per-trial outputs, in schema order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metrics {
    /// Years until cumulative cash flow turns non-negative.
    pub payback_years: MetricSummary,
    /// Years until discounted cumulative cash flow turns non-negative.
    pub discounted_payback_years: MetricSummary,
    /// Net present value over the horizon, in currency.
    pub npv: MetricSummary,
    /// (total benefits − total costs) / total costs, undiscounted; 0.25 = 25%.
    pub roi: MetricSummary,
    /// Undiscounted costs over months 0..T, in currency.
    pub total_costs: MetricSummary,
    /// Undiscounted benefits over months 1..T, in currency.
    pub total_benefits: MetricSummary,
}

impl Metrics {
    /// (name, summary) in schema order.
    pub fn iter(&self) -> [(&'static str, &MetricSummary); 6] {
        [
            (Metric::PaybackYears.name(), &self.payback_years),
            (
                Metric::DiscountedPaybackYears.name(),
                &self.discounted_payback_years,
            ),
            (Metric::Npv.name(), &self.npv),
            (Metric::Roi.name(), &self.roi),
            (Metric::TotalCosts.name(), &self.total_costs),
            (Metric::TotalBenefits.name(), &self.total_benefits),
        ]
    }
}

/// Probabilities over all trials (0..1).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Probabilities {
    /// P(payback_years <= target_payback_years).
    pub payback_within_target: f64,
    /// P(payback within the horizon).
    pub payback_within_horizon: f64,
    /// P(npv > 0).
    pub npv_positive: f64,
}

/// Spearman rank correlation of one input's draws with the outputs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sensitivity {
    /// Input path, e.g. `costs.Subscription.amount`.
    pub input: String,
    /// Rank correlation with NPV (−1..1); `null` if NPV is constant.
    pub spearman_npv: Option<f64>,
    /// Rank correlation with payback years, censored trials ranked last (−1..1).
    pub spearman_payback: Option<f64>,
}

/// How precise the Monte Carlo estimates are.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Precision {
    /// Standard error of mean NPV (sd / √n), in currency. Conservative under
    /// Latin hypercube sampling, whose error is smaller.
    pub npv_mean_se: Option<f64>,
    /// Distribution-free 95% interval of the median payback, in years
    /// (order statistics n/2 ± 0.98 √n); `null` ends are beyond the horizon.
    pub payback_median_ci95: [Option<f64>; 2],
    /// Wilson 95% interval of P(payback within target).
    pub payback_within_target_ci95: [f64; 2],
}

/// Where the statistics are estimates beyond Monte Carlo error.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Approximation {
    /// True when metric percentiles come from every trial's value.
    pub exact_percentiles: bool,
    /// True when fan-chart percentiles come from every trial's value;
    /// otherwise from per-month histograms, whose error is at most about one
    /// bin: near 0.15% of the p5–p95 spread for bell-shaped months, more for
    /// very skewed ones (0.04% measured on the bundled example).
    pub exact_fan: bool,
    /// Trials the sensitivity analysis uses (the first ones).
    pub sensitivity_trials: u64,
}

/// The whole result of a run: `summary.json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Scenario name.
    pub scenario: String,
    pub description: Option<String>,
    /// Currency label of all money amounts.
    pub currency: Option<String>,
    pub trials: u64,
    pub seed: u64,
    /// "monte-carlo" or "latin-hypercube".
    pub sampling: &'static str,
    /// T, months after the purchase.
    pub horizon_months: usize,
    /// Years.
    pub target_payback_years: f64,
    /// Version of crm-roi that computed this.
    pub version: &'static str,
    pub metrics: Metrics,
    pub probabilities: Probabilities,
    /// Inputs with a distribution, strongest effect on NPV first.
    pub sensitivity: Vec<Sensitivity>,
    pub precision: Precision,
    pub approximation: Approximation,
}

/// One row of the fan chart: the distribution of Cum(t).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FanRow {
    /// Month t (0 = purchase).
    pub month: usize,
    /// Percentiles of cumulative net cash flow, in currency.
    #[serde(flatten)]
    pub percentiles: Percentiles,
    /// Mean cumulative net cash flow, in currency.
    pub mean: f64,
}

/// Summary statistics and fan chart of a run.
pub fn summarize(sc: &Scenario, settings: &Settings, data: &RunData) -> (Summary, Vec<FanRow>) {
    let n = data.trials;
    let exact = data.kept == n;
    let mut sorted: Vec<Vec<f64>> = data
        .kept_metrics
        .par_iter()
        .map(|col| {
            let mut v: Vec<f64> = col.iter().copied().filter(|x| !x.is_nan()).collect();
            v.sort_by(f64::total_cmp);
            v
        })
        .collect();
    let summary_of = |k: usize, m: Metric| -> MetricSummary {
        let percentiles = if exact {
            Percentiles::from_fn(|q| percentile_sorted(&sorted[k], q))
        } else {
            let s = &data
                .metric_sketches
                .as_ref()
                .expect("sketches when not every trial is kept")[k];
            Percentiles::from_fn(|q| s.percentile(q))
        };
        let mom = &data.moments[k];
        MetricSummary {
            percentiles,
            mean: mom.mean().map(positive_zero),
            sd: mom.sd(),
            censored_fraction: m.is_payback().then(|| (n - mom.count()) as f64 / n as f64),
            undefined_fraction: (m == Metric::Roi)
                .then(|| (n - data.counts.roi_defined) as f64 / n as f64),
        }
    };
    let s: Vec<MetricSummary> = Metric::ALL
        .iter()
        .enumerate()
        .map(|(k, &m)| summary_of(k, m))
        .collect();
    let metrics = Metrics {
        payback_years: s[0].clone(),
        discounted_payback_years: s[1].clone(),
        npv: s[2].clone(),
        roi: s[3].clone(),
        total_costs: s[4].clone(),
        total_benefits: s[5].clone(),
    };
    let c = &data.counts;
    let share = |k: u64| k as f64 / n as f64;
    let probabilities = Probabilities {
        payback_within_target: share(c.payback_within_target),
        payback_within_horizon: share(c.payback_within_horizon),
        npv_positive: share(c.npv_positive),
    };

    // Median payback interval: order statistics at n/2 ∓ 1.96 √n / 2 (1-based).
    let half = 0.98 * (n as f64).sqrt();
    let lo_rank = ((n as f64 / 2.0 - half).floor().max(1.0) as u64) - 1;
    let hi_rank = ((n as f64 / 2.0 + half).ceil().min(n as f64) as u64) - 1;
    let payback_rank = |r: u64| -> Option<f64> {
        if exact {
            let v = sorted[0][r as usize];
            v.is_finite().then_some(v)
        } else {
            data.metric_sketches
                .as_ref()
                .and_then(|s| s[0].rank_value(r))
        }
    };
    let precision = Precision {
        npv_mean_se: data.moments[2].sd().map(|sd| sd / (n as f64).sqrt()),
        payback_median_ci95: [payback_rank(lo_rank), payback_rank(hi_rank)],
        payback_within_target_ci95: wilson(c.payback_within_target, n),
    };
    sorted.clear();

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
        metrics,
        probabilities,
        sensitivity: sensitivity(sc, data),
        precision,
        approximation: Approximation {
            exact_percentiles: exact,
            exact_fan: matches!(data.fan, Fan::Exact(_)),
            sensitivity_trials: data.kept,
        },
    };
    (summary, fan_rows(data))
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

fn sensitivity(sc: &Scenario, data: &RunData) -> Vec<Sensitivity> {
    let npv_ranks = average_ranks(&data.kept_metrics[2]);
    let payback_ranks = average_ranks(&data.kept_metrics[0]);
    let mut rows: Vec<Sensitivity> = data
        .kept_inputs
        .par_iter()
        .map(|(i, col)| {
            let r = average_ranks(col);
            Sensitivity {
                input: sc.inputs[*i].path.clone(),
                spearman_npv: pearson(&r, &npv_ranks),
                spearman_payback: pearson(&r, &payback_ranks),
            }
        })
        .collect();
    // Strongest effect on NPV first; undefined last; ties keep file order.
    rows.sort_by(|a, b| {
        let key = |s: &Sensitivity| s.spearman_npv.map_or(-1.0, f64::abs);
        key(b).total_cmp(&key(a))
    });
    rows
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
