//! Comparing scenarios of a batch, trial by trial, and choosing between them.
//!
//! Every input is drawn from a stream keyed by (seed, trial, input path), so
//! two scenarios run with the same seed see the same draws of every
//! assumption they share: trial i of one and trial i of the other are the
//! same future as far as their common assumptions go (common random
//! numbers). The difference of their NPVs in a trial is then due to the
//! assumptions that differ, not to sampling noise, and its mean has a far
//! smaller standard error than the difference of two independent runs.
//!
//! Over these paired trials, [`compare_options`] measures for each option
//! against the baseline what a choice needs (docs/batch.md, "Choosing
//! between options"): the distribution of the NPV difference, the chance of
//! paying back sooner, stochastic dominance ([`dominance`]), the expected
//! shortfall of the worst 10% of futures, the chance of being the best
//! option, and the expected value of perfect information (EVPI) of the
//! choice among all options.

mod dominance;

pub use dominance::{Dominance, dkw_band, dominance};

use super::Results;
use crate::stats::quantile::{percentile_sorted, sort_floats};
use crate::stats::{Moments, Sum};
use serde::Serialize;

/// The kept per-trial outcomes of one option, in trial order.
#[derive(Debug, Clone, Copy)]
pub struct OptionTrials<'a> {
    /// NPV of each trial, in currency.
    pub npv: &'a [f64],
    /// Payback of each trial in years, +∞ when beyond the horizon.
    pub payback_years: &'a [f64],
}

/// A scenario compared with the batch's baseline over their common trials.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Paired {
    /// The baseline scenario's name.
    pub baseline: String,
    /// Trials compared (the first ones both runs kept).
    pub trials: u64,
    /// Share of trials in which this scenario's NPV exceeds the baseline's (0..1).
    pub p_npv_above: f64,
    /// Mean of NPV(this) − NPV(baseline), in currency.
    pub mean_npv_difference: f64,
    /// Standard error of that mean (sd of the differences / √n), in currency.
    pub mean_npv_difference_se: Option<f64>,
    /// P10, P50 and P90 of NPV(this) − NPV(baseline) over the paired trials
    /// (linear interpolation, numpy's default), in currency.
    pub npv_difference_percentiles: [f64; 3],
    /// Share of trials in which this scenario pays back strictly sooner than
    /// the baseline (a payback beyond the horizon counts as +∞) (0..1).
    pub p_payback_sooner: f64,
    /// Share of trials with the same payback (both beyond the horizon
    /// included) (0..1).
    pub p_payback_same: f64,
    /// First-order stochastic dominance of this NPV distribution over the baseline's.
    pub first_order_dominance: Dominance,
    /// Second-order stochastic dominance of this NPV distribution over the baseline's.
    pub second_order_dominance: Dominance,
    /// Mean NPV of the worst 10% of this scenario's trials, in currency.
    pub npv_expected_shortfall_10: f64,
}

/// The choice among all options of a batch, over the trials they all kept.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Choice {
    /// Trials compared (the first ones every option kept).
    pub trials: u64,
    /// Per option, in batch order: share of trials in which it has the
    /// highest NPV, ties shared equally (0..1).
    pub p_best: Vec<f64>,
    /// E[max_k NPV_k] − max_k E[NPV_k], in currency: what knowing the future
    /// before choosing would be worth.
    pub evpi: f64,
    /// Its Monte Carlo standard error, in currency (None below 2 trials).
    pub evpi_se: Option<f64>,
}

/// Compares `option` with the baseline `base`, trial by trial, over the
/// trials both kept.
pub fn paired(option: OptionTrials, base: OptionTrials, baseline: &str) -> Paired {
    let n = option
        .npv
        .len()
        .min(base.npv.len())
        .min(option.payback_years.len())
        .min(base.payback_years.len());
    let (a, b) = (&option.npv[..n], &base.npv[..n]);
    let mut above = 0u64;
    let mut moments = Moments::default();
    let mut diff = Vec::with_capacity(n);
    for (x, y) in a.iter().zip(b) {
        if x > y {
            above += 1;
        }
        moments.push(x - y);
        diff.push(x - y);
    }
    sort_floats(&mut diff);
    let q = |p: f64| percentile_sorted(&diff, p).unwrap_or(0.0) + 0.0;
    let (mut sooner, mut same) = (0u64, 0u64);
    for (x, y) in option.payback_years[..n]
        .iter()
        .zip(&base.payback_years[..n])
    {
        if x < y {
            sooner += 1;
        } else if x == y {
            same += 1;
        }
    }
    let mut sa = a.to_vec();
    let mut sb = b.to_vec();
    sort_floats(&mut sa);
    sort_floats(&mut sb);
    let (first, second) = dominance(&sa, &sb);
    let share = |k: u64| if n == 0 { 0.0 } else { k as f64 / n as f64 };
    Paired {
        baseline: baseline.to_string(),
        trials: n as u64,
        p_npv_above: share(above),
        mean_npv_difference: moments.mean().unwrap_or(0.0) + 0.0,
        mean_npv_difference_se: moments.sd().map(|sd| sd / (n as f64).sqrt()),
        npv_difference_percentiles: [q(0.1), q(0.5), q(0.9)],
        p_payback_sooner: share(sooner),
        p_payback_same: share(same),
        first_order_dominance: first,
        second_order_dominance: second,
        npv_expected_shortfall_10: expected_shortfall_10(&sa).unwrap_or(0.0),
    }
}

/// Mean of the worst 10% of `sorted` (ascending): the integral of the
/// empirical quantile function over (0, 0.1], divided by 0.1. With k = n/10,
/// the ⌊k⌋ lowest values count whole and the next one with weight k − ⌊k⌋
/// (Acerbi and Tasche 2002), so the measure is continuous in n and exact
/// for n a multiple of 10. None for no values.
pub fn expected_shortfall_10(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let (whole, part) = (n / 10, (n % 10) as f64 / 10.0);
    let mut sum = Sum::default();
    for &x in &sorted[..whole] {
        sum.add(x);
    }
    if part > 0.0 {
        sum.add(part * sorted[whole]);
    }
    Some(sum.value() / (n as f64 / 10.0))
}

/// The choice among `options` (each one's NPV per trial, in trial order)
/// over the trials they all kept: who is best how often, and the EVPI
/// E[max_k NPV_k] − max_k E[NPV_k]. Its standard error is that of the mean
/// of max_k NPV_k − NPV_k* per trial, k* the option of highest mean; it
/// ignores the (second-order) uncertainty in which option k* is.
pub fn choice(options: &[&[f64]]) -> Choice {
    let n = options.iter().map(|o| o.len()).min().unwrap_or(0);
    let k = options.len();
    let mut sums = vec![Sum::default(); k];
    let mut best = vec![0.0f64; k];
    for t in 0..n {
        let max = options
            .iter()
            .map(|o| o[t])
            .fold(f64::NEG_INFINITY, f64::max);
        let ties = options.iter().filter(|o| o[t] == max).count() as f64;
        for (i, o) in options.iter().enumerate() {
            sums[i].add(o[t]);
            if o[t] == max {
                best[i] += 1.0 / ties;
            }
        }
    }
    // The option of highest mean; the first of equals.
    let star = (0..k).fold(0, |s, i| {
        if sums[i].value() > sums[s].value() {
            i
        } else {
            s
        }
    });
    let mut regret = Moments::default();
    if k > 0 {
        for t in 0..n {
            let max = options
                .iter()
                .map(|o| o[t])
                .fold(f64::NEG_INFINITY, f64::max);
            regret.push(max - options[star][t]);
        }
    }
    Choice {
        trials: n as u64,
        p_best: best
            .iter()
            .map(|b| if n == 0 { 0.0 } else { b / n as f64 })
            .collect(),
        evpi: regret.mean().unwrap_or(0.0).max(0.0) + 0.0,
        evpi_se: regret.sd().map(|sd| sd / (n as f64).sqrt()),
    }
}

/// Every option compared with the one at `baseline` (named `name`), and
/// the choice among them all.
pub fn compare_options(
    options: &[OptionTrials],
    baseline: usize,
    name: &str,
) -> (Vec<Paired>, Choice) {
    let pairs = options
        .iter()
        .map(|o| paired(*o, options[baseline], name))
        .collect();
    let npvs: Vec<&[f64]> = options.iter().map(|o| o.npv).collect();
    (pairs, choice(&npvs))
}

/// One scenario of a batch.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct BatchEntry {
    /// The scenario file as found.
    pub file: String,
    /// Its result directory, relative to the batch's output directory.
    pub dir: String,
    pub results: Results,
    /// The comparison with the baseline, when the batch has one.
    pub paired: Option<Paired>,
    /// The choice among all the batch's options, when it has a baseline
    /// (the same on every entry).
    pub choice: Option<Choice>,
}

impl BatchEntry {
    /// The scenario `file`, run into `dir`, without a paired comparison.
    pub fn new(file: String, dir: String, results: Results) -> Self {
        BatchEntry {
            file,
            dir,
            results,
            paired: None,
            choice: None,
        }
    }
}

#[cfg(test)]
mod tests;
