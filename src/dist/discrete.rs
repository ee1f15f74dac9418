//! Discrete distribution on a finite set of values with relative weights.
//!
//! The values are put in ascending order (with their weights); the quantile
//! function maps u to the smallest value whose cumulative weight share is
//! >= u, as docs/scenario-format.md defines it. Weights need not sum to 1.

use super::{DistError, Univariate, finite};

#[derive(Debug, Clone, PartialEq)]
pub struct Discrete {
    /// Ascending, distinct.
    values: Vec<f64>,
    /// Cumulative weight share; the last entry is exactly 1.
    cumulative: Vec<f64>,
}

impl Discrete {
    pub fn new(values: &[f64], weights: &[f64]) -> Result<Self, DistError> {
        if values.len() != weights.len() {
            return Err(DistError::DiscreteLengths {
                values: values.len(),
                weights: weights.len(),
            });
        }
        if values.is_empty() {
            return Err(DistError::DiscreteEmpty);
        }
        for &v in values {
            finite("value", v)?;
        }
        for &w in weights {
            finite("weight", w)?;
            if !(w >= 0.0) {
                return Err(DistError::DiscreteNegativeWeight(w));
            }
        }
        let mut pairs: Vec<(f64, f64)> = values
            .iter()
            .copied()
            .zip(weights.iter().copied())
            .collect();
        pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
        // Merge repeated values.
        let mut merged: Vec<(f64, f64)> = Vec::with_capacity(pairs.len());
        for (v, w) in pairs {
            match merged.last_mut() {
                Some(last) if last.0 == v => last.1 += w,
                _ => merged.push((v, w)),
            }
        }
        Self::from_sorted(merged).ok_or(DistError::DiscreteZeroWeights)
    }

    /// From ascending distinct (value, weight) pairs; `None` if all weights are zero.
    fn from_sorted(mut pairs: Vec<(f64, f64)>) -> Option<Self> {
        let mut total: f64 = pairs.iter().map(|p| p.1).sum();
        if total == f64::INFINITY {
            // Weights near the largest double: only their ratios matter.
            let largest = pairs.iter().map(|p| p.1).fold(0.0, f64::max);
            pairs = pairs.into_iter().map(|(v, w)| (v, w / largest)).collect();
            total = pairs.iter().map(|p| p.1).sum();
        }
        if !(total > 0.0) {
            return None;
        }
        let mut acc = 0.0;
        let mut values = Vec::new();
        let mut cumulative = Vec::new();
        for (v, w) in pairs {
            if w == 0.0 {
                continue; // a value of weight zero can never be drawn
            }
            acc += w;
            values.push(v);
            cumulative.push(acc / total);
        }
        *cumulative.last_mut()? = 1.0;
        Some(Discrete { values, cumulative })
    }

    /// The distribution conditioned on `[lo, hi]`, `None` if that has zero probability.
    pub(crate) fn restricted(&self, lo: f64, hi: f64) -> Option<Self> {
        let mut prev = 0.0;
        let mut kept = Vec::new();
        for (v, c) in self.values.iter().zip(&self.cumulative) {
            if *v >= lo && *v <= hi {
                kept.push((*v, c - prev));
            }
            prev = *c;
        }
        Self::from_sorted(kept)
    }

    /// The values that can be drawn, ascending.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// Probability of each value, in the order of `values`.
    pub fn probabilities(&self) -> Vec<f64> {
        let mut prev = 0.0;
        self.cumulative
            .iter()
            .map(|c| {
                let p = c - prev;
                prev = *c;
                p
            })
            .collect()
    }
}

impl Univariate for Discrete {
    fn cdf(&self, x: f64) -> f64 {
        let n = self.values.partition_point(|v| *v <= x);
        if n == 0 { 0.0 } else { self.cumulative[n - 1] }
    }

    fn quantile(&self, u: f64) -> f64 {
        let i = self.cumulative.partition_point(|c| *c < u);
        self.values[i.min(self.values.len() - 1)]
    }

    fn support(&self) -> (f64, f64) {
        (
            self.values[0],
            *self.values.last().unwrap_or(&self.values[0]),
        )
    }

    fn mean(&self) -> f64 {
        self.values
            .iter()
            .zip(self.probabilities())
            .map(|(v, p)| v * p)
            .sum()
    }

    fn variance(&self) -> f64 {
        let m = self.mean();
        self.values
            .iter()
            .zip(self.probabilities())
            .map(|(v, p)| p * (v - m) * (v - m))
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverse_cdf_rule() {
        // Unsorted input, weights summing to 4.
        let d = Discrete::new(&[30.0, 10.0, 20.0], &[1.0, 2.0, 1.0]).unwrap();
        assert_eq!(d.values(), &[10.0, 20.0, 30.0]);
        // Shares 0.5, 0.75, 1.
        assert_eq!(d.quantile(0.2), 10.0);
        assert_eq!(d.quantile(0.5), 10.0); // cumulative share >= u
        assert_eq!(d.quantile(0.5000001), 20.0);
        assert_eq!(d.quantile(0.75), 20.0);
        assert_eq!(d.quantile(0.99), 30.0);
        assert!((d.mean() - (10.0 * 0.5 + 20.0 * 0.25 + 30.0 * 0.25)).abs() < 1e-12);
        let var = 0.5 * 56.25 + 0.25 * 6.25 + 0.25 * 156.25;
        assert!((d.variance() - var).abs() < 1e-9);
        assert_eq!(d.cdf(19.9), 0.5);
        assert_eq!(d.cdf(20.0), 0.75);
    }

    #[test]
    fn restriction_renormalises() {
        let d = Discrete::new(&[1.0, 2.0, 3.0, 4.0], &[1.0, 1.0, 1.0, 1.0]).unwrap();
        let r = d.restricted(2.0, 3.0).unwrap();
        assert_eq!(r.values(), &[2.0, 3.0]);
        assert_eq!(r.quantile(0.5), 2.0);
        assert_eq!(r.quantile(0.51), 3.0);
        assert!(d.restricted(4.5, 9.0).is_none());
    }

    #[test]
    fn rejects_bad_weights() {
        assert!(Discrete::new(&[1.0], &[-1.0]).is_err());
        assert!(Discrete::new(&[1.0, 2.0], &[0.0, 0.0]).is_err());
        assert!(Discrete::new(&[1.0, 2.0], &[1.0]).is_err());
        assert!(Discrete::new(&[], &[]).is_err());
    }
}
