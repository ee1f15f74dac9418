//! Histograms of payback and NPV for the charts, from the exact values or
//! the sketches.

use super::MetricDist;
use serde::Serialize;

/// Counts in equal bins; `beyond` counts what the bins do not show.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Histogram {
    /// Bin edges, ascending; bin i holds `(edges[i], edges[i + 1]]`, the first
    /// bin also everything below.
    pub edges: Vec<f64>,
    /// Trials per bin (estimated for sketched runs).
    pub counts: Vec<f64>,
    /// Trials below the first edge: the lowest 0.5% for NPV.
    pub below: f64,
    /// Trials above the last edge: censored paybacks for the payback
    /// histogram, the top 0.5% for NPV.
    pub beyond: f64,
    /// All trials.
    pub total: f64,
}

/// Bins of the payback histogram.
const PAYBACK_BINS: usize = 40;
/// Bins of the NPV histogram.
const NPV_BINS: usize = 50;

impl Histogram {
    /// Counts in (edges[i], edges[i + 1]], the first bin closed on the left.
    fn from_edges(d: MetricDist, edges: Vec<f64>) -> Self {
        let total = d.count();
        let (below, at) = d.counts(&edges);
        let mut counts: Vec<f64> = at.windows(2).map(|w| w[1] - w[0]).collect();
        counts[0] = at[1] - below;
        Histogram {
            below,
            beyond: total - at[at.len() - 1],
            edges,
            counts,
            total,
        }
    }

    /// Payback in years over [0, horizon]; censored trials are `beyond`.
    pub(super) fn payback(d: MetricDist, horizon_years: f64) -> Self {
        let edges = (0..=PAYBACK_BINS)
            .map(|i| horizon_years * i as f64 / PAYBACK_BINS as f64)
            .collect();
        Self::from_edges(d, edges)
    }

    /// The central 99% (P0.5 to P99.5); the outer tails are left out.
    pub(super) fn central(d: MetricDist) -> Self {
        let edges = match (d.percentile(0.005), d.percentile(0.995)) {
            (Some(lo), Some(hi)) if hi > lo => (0..=NPV_BINS)
                .map(|i| lo + (hi - lo) * i as f64 / NPV_BINS as f64)
                .collect(),
            // (Nearly) one value: one bar around it.
            (Some(a), _) => {
                let half = 0.02 * a.abs().max(1.0);
                vec![a - half, a + half]
            }
            _ => vec![-0.5, 0.5],
        };
        Self::from_edges(d, edges)
    }

    /// Bin width.
    pub fn width(&self) -> f64 {
        self.edges[1] - self.edges[0]
    }
}
