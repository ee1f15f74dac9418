//! What a run yields before any statistics: the per-trial metrics, the
//! counts of events, the fan of Cum(t), and the rows of a per-trial
//! export. The engine (`super`) fills these; `results` reads them, by
//! metric ([`RunData::metric`]), never by position.

use crate::model::Outcome;
use crate::stats::{KeyCode, Moments, MonthSketch, Sketch};

/// The per-trial outputs, in the order of the results schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Metric {
    PaybackYears,
    DiscountedPaybackYears,
    Npv,
    Roi,
    TotalCosts,
    TotalBenefits,
}

impl Metric {
    pub const ALL: [Metric; 6] = [
        Metric::PaybackYears,
        Metric::DiscountedPaybackYears,
        Metric::Npv,
        Metric::Roi,
        Metric::TotalCosts,
        Metric::TotalBenefits,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Metric::PaybackYears => "payback_years",
            Metric::DiscountedPaybackYears => "discounted_payback_years",
            Metric::Npv => "npv",
            Metric::Roi => "roi",
            Metric::TotalCosts => "total_costs",
            Metric::TotalBenefits => "total_benefits",
        }
    }

    /// The metric's place in [`Metric::ALL`] and in the per-metric arrays.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Payback metrics can be censored (beyond the horizon).
    pub fn is_payback(self) -> bool {
        matches!(self, Metric::PaybackYears | Metric::DiscountedPaybackYears)
    }

    /// The metric as stored: +∞ for a payback beyond the horizon, NaN for an
    /// undefined ROI (zero total costs).
    pub(super) fn value(self, o: &Outcome) -> f64 {
        match self {
            Metric::PaybackYears => o.payback_years.unwrap_or(f64::INFINITY),
            Metric::DiscountedPaybackYears => o.discounted_payback_years.unwrap_or(f64::INFINITY),
            Metric::Npv => o.npv,
            Metric::Roi => o.roi.unwrap_or(f64::NAN),
            Metric::TotalCosts => o.total_costs,
            Metric::TotalBenefits => o.total_benefits,
        }
    }
}

/// The rows of one chunk for a per-trial export, in trial order.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TrialRows {
    pub first_trial: u64,
    /// One column per exported input, in the order of [`export_columns`](super::export_columns).
    pub inputs: Vec<Vec<f64>>,
    pub outcomes: Vec<Outcome>,
    /// Occurrences per shock and trial: `shock_counts[shock][row]`.
    pub shock_counts: Vec<Vec<u32>>,
}

/// Receives per-trial rows in trial order.
pub trait TrialSink {
    fn rows(&mut self, rows: &TrialRows) -> std::io::Result<()>;
}

/// Counts of events over all trials.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Counts {
    /// Paid back within the target (0 when the scenario has no target).
    pub payback_within_target: u64,
    pub payback_within_horizon: u64,
    /// Trials whose Cum(t) was > 0 in a month and < 0 in a later one.
    pub fell_back: u64,
    /// The same on DCum(t).
    pub discounted_fell_back: u64,
    pub npv_positive: u64,
    pub roi_defined: u64,
    /// Trials whose amounts overflowed (an infinite or undefined NPV or total).
    pub non_finite: u64,
}

impl Counts {
    pub(super) fn add(&mut self, o: &Counts) {
        self.payback_within_target += o.payback_within_target;
        self.payback_within_horizon += o.payback_within_horizon;
        self.fell_back += o.fell_back;
        self.discounted_fell_back += o.discounted_fell_back;
        self.npv_positive += o.npv_positive;
        self.roi_defined += o.roi_defined;
        self.non_finite += o.non_finite;
    }
}

/// Distribution of Cum(t) per month.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Fan {
    /// Every trial's value, sorted, per month (small runs).
    Exact(Vec<Vec<f64>>),
    /// One sketch per month.
    Sketch(Vec<MonthSketch>),
}

/// Everything a run yields before summary statistics.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RunData {
    pub trials: u64,
    pub months: usize,
    /// Per metric; over paid-back trials for payback, defined trials for ROI.
    pub moments: [Moments; 6],
    pub counts: Counts,
    /// How many trials were kept (the first ones).
    pub kept: u64,
    /// Kept per-trial values of NPV and payback, in trial order, per
    /// [`Metric::ALL`]; the other metrics' columns are empty.
    pub kept_metrics: [Vec<f64>; 6],
    /// When every trial is kept, the other metrics' values as 32-bit keys
    /// of `key_codes`, in trial order (NPV's and payback's are empty). Their
    /// exact order statistics come from the keys and the few trials run
    /// again (`stats::select`); when not every trial is kept, from
    /// `metric_sketches`.
    pub kept_keys: [Vec<u32>; 6],
    /// The code of each metric's keys, from the pilot's values.
    pub key_codes: [KeyCode; 6],
    /// Draws of each input with a distribution, for the first trials (up to
    /// [`SENSITIVITY_LIMIT`](super::SENSITIVITY_LIMIT)): (input index, column).
    pub kept_inputs: Vec<(usize, Vec<f64>)>,
    /// For the same trials, per shock (in scenario order): the month of its
    /// first occurrence, or +∞ when it did not strike within the horizon.
    /// "Whether and when it strikes", for the decision analyses.
    pub kept_shocks: Vec<Vec<f64>>,
    /// Sketches of the metrics when not every trial was kept.
    pub metric_sketches: Option<Vec<Sketch>>,
    pub fan: Fan,
    /// Mean of Cum(t), t = 0..=T.
    pub fan_mean: Vec<f64>,
    /// Mean undiscounted total of each item over the horizon: costs in
    /// scenario order, then benefits.
    pub item_means: Vec<f64>,
}

impl RunData {
    /// The kept per-trial values of one metric, in trial order (+∞ for a
    /// payback beyond the horizon); empty but for NPV and payback.
    pub fn metric(&self, m: Metric) -> &[f64] {
        &self.kept_metrics[m.index()]
    }

    /// The kept per-trial values of one metric, taken out of the run.
    pub fn into_metric(mut self, m: Metric) -> Vec<f64> {
        std::mem::take(&mut self.kept_metrics[m.index()])
    }

    /// Count, mean and sd of one metric (over paid-back trials for payback,
    /// defined trials for ROI).
    pub fn moments_of(&self, m: Metric) -> &Moments {
        &self.moments[m.index()]
    }
}
