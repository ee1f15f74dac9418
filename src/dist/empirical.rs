//! The empirical distribution of past observations, resampled with equal
//! weight: the quantity draws one of the observed values, each equally
//! likely, by the inverse of the empirical distribution function.
//!
//! With the n values in ascending order x(1) <= ... <= x(n), a uniform u in
//! (0, 1) gives x(⌈u·n⌉): the smallest value whose share of the sample at or
//! below it reaches u. Being an inverse CDF, it works with correlations and
//! Latin hypercube sampling like every other family. Repeated values keep
//! their weight (a value observed twice is drawn twice as often).

use super::{DistError, Univariate};
use std::sync::Arc;

/// The fewest values an empirical quantity accepts: fewer say more about
/// luck than about the spread, and a PERT says it more honestly.
pub const MIN_VALUES: usize = 5;

#[derive(Debug, Clone, PartialEq)]
pub struct Empirical {
    /// Ascending, already scaled.
    sorted: Arc<[f64]>,
    /// Where the values come from, for descriptions.
    source: String,
    scale: f64,
}

impl Empirical {
    /// The values (before scaling) of `source` (for descriptions, such as
    /// `history/rollouts.csv: hours_saved`), each multiplied by `scale`.
    pub fn new(values: &[f64], scale: f64, source: impl Into<String>) -> Result<Self, DistError> {
        if !(scale.is_finite() && scale > 0.0) {
            return Err(DistError::EmpiricalScale(scale));
        }
        if let Some(&bad) = values.iter().find(|v| !v.is_finite()) {
            return Err(DistError::NotFinite {
                what: "an empirical value",
                got: bad,
            });
        }
        let mut sorted: Vec<f64> = values.iter().map(|v| v * scale).collect();
        if let Some(i) = sorted.iter().position(|v| !v.is_finite()) {
            return Err(DistError::NotFinite {
                what: "an empirical value times the scale",
                got: sorted[i],
            });
        }
        sorted.sort_by(f64::total_cmp);
        if sorted.len() < MIN_VALUES {
            return Err(DistError::EmpiricalTooFew { n: sorted.len() });
        }
        Ok(Empirical {
            sorted: sorted.into(),
            source: source.into(),
            scale,
        })
    }

    /// The values that can be drawn, ascending, scaled, repeats included.
    pub fn values(&self) -> &[f64] {
        &self.sorted
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    pub fn scale(&self) -> f64 {
        self.scale
    }

    /// The distribution conditioned on `[lo, hi]`: the values inside,
    /// still equally likely. `None` if no value is inside.
    pub(crate) fn restricted(&self, lo: f64, hi: f64) -> Option<Self> {
        let kept: Vec<f64> = self
            .sorted
            .iter()
            .copied()
            .filter(|v| *v >= lo && *v <= hi)
            .collect();
        (!kept.is_empty()).then(|| Empirical {
            sorted: kept.into(),
            source: self.source.clone(),
            scale: self.scale,
        })
    }
}

impl Univariate for Empirical {
    fn cdf(&self, x: f64) -> f64 {
        self.sorted.partition_point(|v| *v <= x) as f64 / self.sorted.len() as f64
    }

    #[inline]
    fn quantile(&self, u: f64) -> f64 {
        let n = self.sorted.len();
        // ⌈u·n⌉ is 1..=n for u in (0, 1]; the index is one less.
        let k = (u * n as f64).ceil() as usize;
        self.sorted[k.clamp(1, n) - 1]
    }

    fn support(&self) -> (f64, f64) {
        (self.sorted[0], self.sorted[self.sorted.len() - 1])
    }

    fn mean(&self) -> f64 {
        self.sorted.iter().sum::<f64>() / self.sorted.len() as f64
    }

    /// The variance of a draw: the sample's variance with divisor n, since
    /// each value is drawn with probability 1/n.
    fn variance(&self) -> f64 {
        let m = self.mean();
        self.sorted.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / self.sorted.len() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Empirical {
        Empirical::new(&[30.0, 10.0, 20.0, 20.0, 50.0], 1.0, "test").unwrap()
    }

    /// u in ((k−1)/n, k/n] draws the k-th smallest value.
    #[test]
    fn resamples_by_the_ceiling_rule() {
        let e = sample();
        assert_eq!(e.values(), &[10.0, 20.0, 20.0, 30.0, 50.0]);
        for (u, want) in [
            (1e-12, 10.0),
            (0.2, 10.0),
            (0.2 + 1e-12, 20.0),
            (0.4, 20.0),
            (0.5, 20.0),
            (0.6, 20.0),
            (0.61, 30.0),
            (0.8, 30.0),
            (0.81, 50.0),
            (1.0 - 1e-12, 50.0),
        ] {
            assert_eq!(e.quantile(u), want, "u = {u}");
        }
    }

    #[test]
    fn each_value_is_drawn_with_weight_one_over_n() {
        let e = sample();
        // A fine grid of u: 20 is drawn twice as often as each other value.
        let n = 100_000;
        let twenties = (0..n)
            .filter(|i| e.quantile((*i as f64 + 0.5) / n as f64) == 20.0)
            .count();
        assert_eq!(twenties, 2 * n / 5);
        assert_eq!(e.cdf(20.0), 0.6);
        assert_eq!(e.cdf(9.0), 0.0);
        assert_eq!(e.cdf(50.0), 1.0);
        assert_eq!(e.mean(), 26.0);
        // (16² + 6² + 6² + 4² + 24²) / 5 = 184
        assert!((e.variance() - 184.0).abs() < 1e-12);
        assert_eq!(e.support(), (10.0, 50.0));
    }

    #[test]
    fn scale_multiplies_every_value() {
        let e = Empirical::new(&[100.0, 200.0, 300.0, 400.0, 500.0], 1.05, "costs").unwrap();
        assert_eq!(e.values()[0], 105.0);
        assert_eq!(e.quantile(0.99), 525.0);
        assert!(matches!(
            Empirical::new(&[1.0; 5], 0.0, "x"),
            Err(DistError::EmpiricalScale(_))
        ));
        assert!(matches!(
            Empirical::new(&[1.0; 5], f64::NAN, "x"),
            Err(DistError::EmpiricalScale(_))
        ));
    }

    /// The suggestion of a distribution instead is added where the values
    /// are read (`config::quantity`), with the fit module's PERT.
    #[test]
    fn too_few_values_are_refused() {
        let err = Empirical::new(&[12.0, 8.0, 20.0], 1.0, "x").unwrap_err();
        assert_eq!(err, DistError::EmpiricalTooFew { n: 3 });
        assert!(err.to_string().contains("3 values"), "{err}");
        assert!(Empirical::new(&[1.0, 2.0, f64::INFINITY, 3.0, 4.0], 1.0, "x").is_err());
    }

    #[test]
    fn restriction_keeps_the_values_inside() {
        let e = sample().restricted(15.0, 35.0).unwrap();
        assert_eq!(e.values(), &[20.0, 20.0, 30.0]);
        assert_eq!(e.quantile(0.5), 20.0);
        assert_eq!(e.quantile(0.9), 30.0);
        assert!(sample().restricted(60.0, 70.0).is_none());
    }
}
