//! Comparing scenarios of a batch, trial by trial.
//!
//! Every input is drawn from a stream keyed by (seed, trial, input path), so
//! two scenarios run with the same seed see the same draws of every
//! assumption they share: trial i of one and trial i of the other are the
//! same future as far as their common assumptions go (common random
//! numbers). The difference of their NPVs in a trial is then due to the
//! assumptions that differ, not to sampling noise, and its mean has a far
//! smaller standard error than the difference of two independent runs.

use super::Results;
use serde::Serialize;

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
}

/// Compares `npv` with the baseline's `base_npv`, trial by trial.
pub fn paired(npv: &[f64], base_npv: &[f64], baseline: &str) -> Paired {
    let n = npv.len().min(base_npv.len());
    let mut above = 0u64;
    let mut moments = crate::stats::Moments::default();
    for (a, b) in npv[..n].iter().zip(&base_npv[..n]) {
        if a > b {
            above += 1;
        }
        moments.push(a - b);
    }
    Paired {
        baseline: baseline.to_string(),
        trials: n as u64,
        p_npv_above: if n == 0 { 0.0 } else { above as f64 / n as f64 },
        mean_npv_difference: moments.mean().unwrap_or(0.0) + 0.0,
        mean_npv_difference_se: moments.sd().map(|sd| sd / (n as f64).sqrt()),
    }
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
}

impl BatchEntry {
    /// The scenario `file`, run into `dir`, without a paired comparison.
    pub fn new(file: String, dir: String, results: Results) -> Self {
        BatchEntry {
            file,
            dir,
            results,
            paired: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paired_statistics() {
        let a = [10.0, 20.0, 30.0, 40.0];
        let b = [12.0, 15.0, 30.0, 35.0];
        let p = paired(&a, &b, "base");
        assert_eq!(p.trials, 4);
        assert_eq!(p.p_npv_above, 0.5); // 20 > 15, 40 > 35; 30 = 30 is not above
        // differences -2, 5, 0, 5: mean 2, sd sqrt(((-4)^2 + 3^2 + (-2)^2 + 3^2)/3) = sqrt(38/3)
        assert!((p.mean_npv_difference - 2.0).abs() < 1e-12);
        assert!((p.mean_npv_difference_se.unwrap() - (38.0f64 / 3.0).sqrt() / 2.0).abs() < 1e-12);
    }
}
