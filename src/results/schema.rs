//! The export schema of `summary.json`: every field carries its unit.

use crate::engine::Metric;
use crate::stats::PERCENTILES;
use serde::Serialize;

/// −0.0 as 0.0, so that files never show "-0".
pub(crate) fn positive_zero(x: f64) -> f64 {
    x + 0.0
}

/// Percentiles p5..p95 of one quantity; `null` where undefined or beyond the horizon.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
#[non_exhaustive]
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

    /// p5, p10, p25, p50, p75, p90, p95, in this order.
    pub fn values(&self) -> [Option<f64>; 7] {
        [
            self.p5, self.p10, self.p25, self.p50, self.p75, self.p90, self.p95,
        ]
    }
}

/// Distribution of one per-trial output.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
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
    /// Payback metrics: share of trials whose cumulative cash flow (discounted
    /// for discounted payback) was above zero in some month and fell below
    /// zero in a later one, e.g. after a pilot paid for itself and a roll-out
    /// followed (0..1). Payback is the time from which the cash *stays* paid
    /// back, so such an early crossing does not count.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fell_back_fraction: Option<f64>,
    /// ROI: share of trials with zero total costs, where ROI is undefined (0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub undefined_fraction: Option<f64>,
    /// Why statistics are `null` or leave trials out, in words; absent when
    /// every trial counts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The per-trial outputs, in schema order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Metrics {
    /// Years from which the cumulative cash flow stays non-negative through
    /// the horizon.
    pub payback_years: MetricSummary,
    /// Years from which the discounted cumulative cash flow stays
    /// non-negative through the horizon.
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
#[non_exhaustive]
pub struct Probabilities {
    /// P(payback_years <= target_payback_years); `null` when the scenario
    /// states no target.
    pub payback_within_target: Option<f64>,
    /// P(payback within the horizon).
    pub payback_within_horizon: f64,
    /// P(npv > 0).
    pub npv_positive: f64,
}

/// Spearman rank correlation of one input's draws with the outputs.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Sensitivity {
    /// Input path, e.g. `costs.Subscription.amount`.
    pub input: String,
    /// Rank correlation with NPV (−1..1); `null` if NPV is constant.
    pub spearman_npv: Option<f64>,
    /// Rank correlation with payback years, censored trials ranked last (−1..1).
    pub spearman_payback: Option<f64>,
    /// Mean NPV of the trials where this input is in its lowest 10%, in currency.
    pub npv_mean_low: Option<f64>,
    /// Mean NPV of the trials where this input is in its highest 10%, in currency.
    pub npv_mean_high: Option<f64>,
    /// Share of the variance of NPV explained by this input alone,
    /// Var(E[NPV | input]) / Var(NPV) (0..1); `null` if NPV is constant or
    /// too few trials. See [`ValueOfInformation`].
    pub contribution_to_variance: Option<f64>,
}

/// What knowing more before deciding "buy or don't buy" would be worth
/// (buying pays NPV, not buying 0): docs/results.md, "Value of information".
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ValueOfInformation {
    /// E[max(NPV, 0)] − max(E[NPV], 0) over the kept trials, in currency:
    /// the expected value of perfect information; `null` when NPV is not a
    /// finite number in some trial.
    pub evpi: Option<f64>,
    /// Its Monte Carlo standard error, in currency.
    pub evpi_se: Option<f64>,
    /// Trials the per-input values use (the first ones, as for sensitivity).
    pub trials: u64,
    /// Every uncertain input and every shock (`shocks.NAME`: whether and
    /// when it first strikes), largest `evppi` first; ties by
    /// `contribution_to_variance`, largest first.
    pub inputs: Vec<InputValue>,
}

/// The value of knowing one input exactly before deciding.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct InputValue {
    /// Input path, or `shocks.NAME` for a shock.
    pub path: String,
    /// E[max(E[NPV | input], 0)] − max(E[NPV], 0), in currency: the expected
    /// value of partial perfect information.
    pub evppi: f64,
    /// Its Monte Carlo standard error, in currency.
    pub se: f64,
    /// Var(E[NPV | input]) / Var(NPV) (0..1); `null` if NPV is constant.
    pub contribution_to_variance: Option<f64>,
}

/// One assumption as the scenario states it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Assumption {
    /// Input path, e.g. `costs.Subscription.amount`.
    pub input: String,
    /// The distribution in words, e.g. `PERT(60000, 90000, 160000)`.
    pub distribution: String,
    /// True for shock losses and durations, drawn anew for each occurrence.
    pub per_occurrence: bool,
    /// 10th, 50th and 90th percentile of the input itself, in its unit.
    pub p10: f64,
    pub p50: f64,
    pub p90: f64,
}

/// Mean undiscounted total of one cost or benefit item over the horizon.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Item {
    /// The item's name in the scenario.
    pub name: String,
    /// "cost", "shock" (the costs of a shock's occurrences) or "benefit".
    pub kind: &'static str,
    /// Mean total over months 0..T, in currency.
    pub mean_total: f64,
}

/// Payback, NPV and ROI of one deterministic trial.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct PointCase {
    /// Years; `null` beyond the horizon.
    pub payback_years: Option<f64>,
    /// Years; `null` beyond the horizon.
    pub discounted_payback_years: Option<f64>,
    /// Currency.
    pub npv: f64,
    /// Ratio; `null` when total costs are zero.
    pub roi: Option<f64>,
}

/// Values that 8 in 10 simulated futures reach or beat.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct EightInTen {
    /// 80th percentile of payback, in years (`null` beyond the horizon).
    pub payback_years: Option<f64>,
    /// 20th percentile of NPV, in currency.
    pub npv: Option<f64>,
    /// 20th percentile of ROI.
    pub roi: Option<f64>,
}

/// How precise the Monte Carlo estimates are.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Precision {
    /// Standard error of mean NPV (sd / √n), in currency. Conservative under
    /// Latin hypercube sampling, whose error is smaller.
    pub npv_mean_se: Option<f64>,
    /// Distribution-free 95% interval of the median payback, in years
    /// (order statistics n/2 ± 0.98 √n); `null` ends are beyond the horizon.
    pub payback_median_ci95: [Option<f64>; 2],
    /// Wilson 95% interval of P(payback within target); `null` without a
    /// target.
    pub payback_within_target_ci95: Option<[f64; 2]>,
}

/// How a run with `--precision` chose its number of trials: rounds of
/// growing size until the 95% intervals were narrow enough, or the ceiling.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Stopping {
    /// The precision asked for (`--precision REL`), relative: 0.01 = 1%.
    pub target_precision: f64,
    /// True when all the half-widths below are within their targets: the
    /// two relative ones within `target_precision`, the probability's within
    /// 0.005 (absolute; only when the scenario has a payback target).
    pub reached: bool,
    /// Rounds run, the last one being the results (its trials are `trials`).
    pub rounds: u32,
    /// Half-width of the 95% interval of mean NPV (1.96 × `npv_mean_se`),
    /// relative to |mean NPV|; `null` when mean NPV is 0 or has no standard
    /// error.
    pub npv_mean_relative: Option<f64>,
    /// Half the width of `payback_median_ci95`, relative to the median
    /// payback; `null` when an end of the interval is beyond the horizon.
    pub payback_median_relative: Option<f64>,
    /// Half the width of `payback_within_target_ci95`, absolute (0..1; 0.004
    /// = 0.4 percentage points); `null` without a payback target.
    pub payback_within_target_absolute: Option<f64>,
}

/// Where the statistics are estimates beyond Monte Carlo error.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
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
#[non_exhaustive]
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
    /// Years; `null` when the scenario states no target.
    pub target_payback_years: Option<f64>,
    /// Version of crm-roi that computed this.
    pub version: &'static str,
    /// The run date given with `--date` (ISO 8601: "2026-12-01"). Absent
    /// without it: the outputs then carry no date, so that the same
    /// scenario, seed and version give the same bytes on any day.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<jiff::civil::Date>,
    /// The fields set on the command line for this run (`--set
    /// PATH=VALUE`), in the order given: each field's path and its value
    /// as a scenario file writes it. Absent when the file ran as it is.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub set: Vec<crate::config::set::SetField>,
    pub metrics: Metrics,
    pub probabilities: Probabilities,
    /// Inputs with a distribution, strongest effect on NPV first.
    pub sensitivity: Vec<Sensitivity>,
    /// The single-number answer: every input at its median, no shocks, as
    /// a spreadsheet would compute it.
    pub spreadsheet: PointCase,
    /// The cautious simulated answer: reached or beaten in 8 of 10 futures.
    pub eight_in_ten: EightInTen,
    /// Every assumption the file states, section by section (finance,
    /// adoption, business, costs, benefits, shocks), then the shock
    /// quantities drawn per occurrence.
    pub inputs: Vec<Assumption>,
    /// Mean total of each cost and benefit item.
    pub items: Vec<Item>,
    /// What the futures that lose money, or miss the payback target, have
    /// in common.
    pub tail_analysis: TailAnalysis,
    /// Per shock, in scenario order: how often it strikes and what it does
    /// to NPV.
    pub shock_impact: Vec<ShockImpact>,
    /// What knowing more before signing would be worth.
    pub value_of_information: ValueOfInformation,
    pub precision: Precision,
    pub approximation: Approximation,
    /// Only with `--precision`: how the number of trials was chosen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopping: Option<Stopping>,
}

impl Summary {
    /// The payback target and the chance of meeting it, when the scenario
    /// states a target (the two fields are set together).
    pub fn target(&self) -> Option<(f64, f64)> {
        self.target_payback_years
            .zip(self.probabilities.payback_within_target)
    }

    /// The inputs with a money effect on NPV, largest effect first, at most
    /// [`TOP_DRIVERS`]: the bars of the tornado chart and the rows of the
    /// report's drivers.
    pub fn top_drivers(&self) -> Vec<&Sensitivity> {
        let mut rows: Vec<&Sensitivity> = self
            .sensitivity
            .iter()
            .filter(|s| s.npv_mean_low.is_some() && s.npv_mean_high.is_some())
            .collect();
        let effect = |s: &Sensitivity| {
            (s.npv_mean_high.unwrap_or(0.0) - s.npv_mean_low.unwrap_or(0.0)).abs()
        };
        rows.sort_by(|a, b| effect(b).total_cmp(&effect(a)));
        rows.truncate(TOP_DRIVERS);
        rows
    }
}

/// How many inputs [`Summary::top_drivers`] ranks.
pub const TOP_DRIVERS: usize = 10;

/// One row of the fan chart: the distribution of Cum(t).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct FanRow {
    /// Month t (0 = purchase).
    pub month: usize,
    /// Percentiles of cumulative net cash flow, in currency.
    #[serde(flatten)]
    pub percentiles: Percentiles,
    /// Mean cumulative net cash flow, in currency.
    pub mean: f64,
}

// --- What has to go wrong (tail analysis and shock impact) ---------------

/// What the futures in the tails have in common (see `docs/results.md`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct TailAnalysis {
    /// Trials analysed: the first ones, those whose input draws are kept
    /// (`approximation.sensitivity_trials`).
    pub trials: u64,
    /// The futures with NPV < 0.
    pub npv_negative: Tail,
    /// The futures that pay back later than the target (or not within the
    /// horizon); without a target, those that do not pay back within the
    /// horizon.
    pub payback_missed: Tail,
}

/// One tail: which futures are in it and which inputs and shocks set them
/// apart.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Tail {
    /// What puts a future in this tail, in words.
    pub definition: String,
    /// Futures in the tail, of `trials`.
    pub futures: u64,
    /// `futures / trials` (0..1).
    pub share: f64,
    /// |shift| above which an input stands out, in percentile points; `null`
    /// when the tail has too few futures to compare.
    pub threshold: Option<f64>,
    /// Every input with a distribution, largest |shift| first (ties in
    /// scenario order); empty when the tail has too few futures.
    pub inputs: Vec<TailInput>,
    /// Every shock, in scenario order; empty when the tail has too few futures.
    pub shocks: Vec<TailShock>,
    /// Why `inputs` and `shocks` are empty, in words; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Where an input's draws sit in the futures of one tail.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct TailInput {
    /// Input path, e.g. `costs.Subscription.amount`.
    pub input: String,
    /// Median, over the tail's futures, of the percentile rank (0..100) of
    /// the input's draw among all analysed trials; 50 = no different.
    pub median_rank: f64,
    /// `median_rank - 50`, in percentile points: negative when the input
    /// sits low in the tail, positive when it sits high.
    pub shift: f64,
    /// True when |shift| exceeds the tail's `threshold`.
    pub stands_out: bool,
}

/// How often a shock struck in the futures of one tail.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct TailShock {
    /// The shock's name in the scenario.
    pub shock: String,
    /// Share of the tail's futures in which it struck within the horizon (0..1).
    pub strikes_in_tail: f64,
    /// Share of all analysed futures in which it struck (0..1).
    pub strikes_overall: f64,
    /// |strikes_in_tail - strikes_overall| above which it stands out (0..1).
    pub threshold: f64,
    /// True when the difference exceeds `threshold`.
    pub stands_out: bool,
}

/// What one shock does to NPV: the futures where it strikes within the
/// horizon against those where it does not.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ShockImpact {
    /// The shock's name in the scenario.
    pub shock: String,
    /// Share of the analysed futures in which it strikes at least once
    /// within the horizon (0..1).
    pub strikes: f64,
    /// Futures in which it strikes.
    pub futures_struck: u64,
    /// Futures in which it does not.
    pub futures_spared: u64,
    /// Median NPV where it strikes, in currency; `null` when fewer than
    /// 30 futures.
    pub npv_median_struck: Option<f64>,
    /// Median NPV where it does not, in currency; `null` when fewer than
    /// 30 futures.
    pub npv_median_spared: Option<f64>,
    /// P(NPV < 0) where it strikes (0..1); `null` when fewer than 30 futures.
    pub npv_negative_struck: Option<f64>,
    /// P(NPV < 0) where it does not (0..1); `null` when fewer than 30 futures.
    pub npv_negative_spared: Option<f64>,
}
