//! Weibull distribution with shape k and scale λ, for durations and times
//! to an event (shape below 1: failures that thin out; above 1: wear-out),
//! and for data fitted elsewhere.
//!
//! Everything is closed form (see e.g. Johnson, Kotz & Balakrishnan,
//! *Continuous Univariate Distributions*, vol. 1, ch. 21):
//! `F(x) = 1 − exp(−(x/λ)^k)`, computed as `−expm1(−(x/λ)^k)` so small
//! probabilities keep their digits, and `Q(u) = λ (−ln(1 − u))^(1/k)`, with
//! `ln_1p(−u)` for small `u` and `ln s` for the survival side `s = 1 − u`.
//! Mean `λ Γ(1 + 1/k)`, variance `λ² (Γ(1 + 2/k) − Γ(1 + 1/k)²)`.
//!
//! Given by two percentiles, `x1` at probability `a` and `x2` at `b`, both
//! parameters follow from `ln(−ln(1 − u)) = k ln x − k ln λ`:
//! `k = ln(ln(1 − b) / ln(1 − a)) / ln(x2 / x1)` and
//! `λ = x1 / (−ln(1 − a))^(1/k)`.

use super::{Continuous, DistError, Range, Univariate, check_percentiles, finite};
use statrs::function::gamma::gamma;

#[derive(Debug, Clone, PartialEq)]
pub struct Weibull {
    shape: f64,
    scale: f64,
}

impl Weibull {
    pub fn new(shape: f64, scale: f64) -> Result<Self, DistError> {
        finite("shape", shape)?;
        finite("scale", scale)?;
        if !(shape > 0.0 && scale > 0.0) {
            return Err(DistError::ShapeScale {
                family: "weibull",
                shape,
                scale,
            });
        }
        Ok(Weibull { shape, scale })
    }

    /// The Weibull whose quantiles at probabilities `a` and `b` are `x1` and
    /// `x2` (`0 < a < b < 1`, `0 < x1 < x2`).
    pub fn from_percentiles(a: f64, x1: f64, b: f64, x2: f64) -> Result<Self, DistError> {
        check_percentiles("weibull", Range::Positive, (a, x1), (b, x2))?;
        // −ln(1 − u) for both probabilities: positive, increasing.
        let (ha, hb) = (-(-a).ln_1p(), -(-b).ln_1p());
        let shape = (hb / ha).ln() / (x2 / x1).ln();
        Self::new(shape, x1 / ha.powf(1.0 / shape))
    }

    /// (shape k, scale λ).
    pub fn params(&self) -> (f64, f64) {
        (self.shape, self.scale)
    }

    /// (x/λ)^k, the cumulative hazard.
    fn hazard(&self, x: f64) -> f64 {
        (x / self.scale).powf(self.shape)
    }
}

impl Univariate for Weibull {
    fn cdf(&self, x: f64) -> f64 {
        if x <= 0.0 {
            0.0
        } else {
            -(-self.hazard(x)).exp_m1()
        }
    }

    fn sf(&self, x: f64) -> f64 {
        if x <= 0.0 {
            1.0
        } else {
            (-self.hazard(x)).exp()
        }
    }

    fn quantile(&self, u: f64) -> f64 {
        self.scale * (-(-u).ln_1p()).powf(1.0 / self.shape)
    }

    fn quantile_sf(&self, s: f64) -> f64 {
        self.scale * (-s.ln()).powf(1.0 / self.shape)
    }

    fn support(&self) -> (f64, f64) {
        (0.0, f64::INFINITY)
    }

    fn mean(&self) -> f64 {
        self.scale * gamma(1.0 + 1.0 / self.shape)
    }

    fn variance(&self) -> f64 {
        let g1 = gamma(1.0 + 1.0 / self.shape);
        self.scale * self.scale * (gamma(1.0 + 2.0 / self.shape) - g1 * g1)
    }
}

/// `ln k + (k − 1) ln(x/λ) − (x/λ)^k − ln λ` for x > 0, with ln(x/λ) as
/// ln x − ln λ. At 0 the density has a pole for k < 1, is 1/λ for k = 1
/// and 0 for k > 1.
impl Continuous for Weibull {
    fn ln_pdf(&self, x: f64) -> f64 {
        let (k, lambda) = (self.shape, self.scale);
        if x > 0.0 && x < f64::INFINITY {
            k.ln() + (k - 1.0) * (x.ln() - lambda.ln()) - self.hazard(x) - lambda.ln()
        } else if x == 0.0 && k < 1.0 {
            f64::INFINITY
        } else if x == 0.0 && k == 1.0 {
            -lambda.ln()
        } else {
            f64::NEG_INFINITY
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dist::testutil::*;
    use statrs::distribution::{ContinuousCDF, Weibull as S};
    use statrs::statistics::Distribution;

    /// statrs computes the same closed forms in another order: agreement to
    /// a few ulps, checked at 1e-12 relative. The moments against the
    /// quantile function by the midpoint rule, whose error is dominated by
    /// the tails (up to 1e-3 of the variance for the heavy-tailed k = 0.7).
    #[test]
    fn against_statrs_and_quadrature() {
        for (k, l) in [
            (0.7, 3.0),
            (1.0, 1.0),
            (1.5, 40.0),
            (3.6, 1000.0),
            (20.0, 2.0),
        ] {
            let d = Weibull::new(k, l).unwrap();
            let s = S::new(k, l).unwrap();
            let rel = |x: f64, y: f64| (x / y - 1.0).abs();
            assert!(rel(d.mean(), s.mean().unwrap()) < 1e-12, "k={k} mean");
            assert!(
                rel(d.variance(), s.variance().unwrap()) < 1e-10,
                "k={k} var"
            );
            for u in [1e-9, 0.05, 0.5, 0.95, 1.0 - 1e-9] {
                let q = d.quantile(u);
                assert!(rel(q, s.inverse_cdf(u)) < 1e-12, "k={k} u={u}");
                assert!((d.cdf(q) - s.cdf(q)).abs() < 1e-15, "k={k} u={u}");
                assert!(rel(d.sf(q), s.sf(q)) < 1e-12, "k={k} u={u}");
            }
            assert_inverse(&d, 1e-14);
            let (m, v) = moments_by_quantile(&d, 400_000);
            assert!(rel(m, d.mean()) < 1e-4, "k={k} mean {m}");
            assert!(rel(v, d.variance()) < 2e-3, "k={k} var {v}");
        }
    }

    /// The survival side keeps full relative precision where `1 − s`
    /// rounds: at s = 1e-300 the quantile is λ · 690.8^(1/k).
    #[test]
    fn far_upper_tail_keeps_precision() {
        let d = Weibull::new(2.0, 10.0).unwrap();
        let want = 10.0 * (300.0 * std::f64::consts::LN_10).sqrt();
        assert!((d.quantile_sf(1e-300) / want - 1.0).abs() < 1e-14);
        assert!((d.sf(want) / 1e-300 - 1.0).abs() < 1e-12);
        // And the lower tail: Q(u) ≈ λ u^(1/k) for small u.
        assert!((d.quantile(1e-20) / 1e-9 - 1.0).abs() < 1e-14);
    }

    /// Both closed forms together hit the percentiles to rounding (checked
    /// at 1e-12 relative), also for skewed pairs and near-equal values.
    #[test]
    fn percentile_form_hits_its_percentiles() {
        for (a, x1, b, x2) in [
            (0.1, 80.0, 0.9, 160.0),
            (0.05, 2.0, 0.95, 200.0),
            (0.5, 10.0, 0.99, 11.0),
            (0.01, 1e-3, 0.02, 5e-3),
            (0.1, 100.0, 0.9, 100.5),
        ] {
            let d = Weibull::from_percentiles(a, x1, b, x2).unwrap();
            assert!((d.quantile(a) / x1 - 1.0).abs() < 1e-12, "p{a}");
            assert!((d.quantile(b) / x2 - 1.0).abs() < 1e-12, "p{b}");
        }
        // The exponential: p50 at ln 2, p90 at ln 10 (λ = 1) gives k = 1.
        let d = Weibull::from_percentiles(0.5, 2f64.ln(), 0.9, 10f64.ln()).unwrap();
        let (k, l) = d.params();
        assert!(
            (k - 1.0).abs() < 1e-14 && (l - 1.0).abs() < 1e-14,
            "{k} {l}"
        );
    }

    #[test]
    fn rejects_bad_parameters() {
        assert!(Weibull::new(0.0, 1.0).is_err());
        assert!(Weibull::new(1.0, -1.0).is_err());
        assert!(Weibull::new(f64::NAN, 1.0).is_err());
        assert!(Weibull::new(1.0, f64::INFINITY).is_err());
        assert_eq!(
            Weibull::new(-2.0, 1.0).unwrap_err().to_string(),
            "weibull needs shape > 0 and scale > 0 (got shape = -2, scale = 1)"
        );
        let p = Weibull::from_percentiles;
        assert!(matches!(
            p(0.1, -1.0, 0.9, 2.0),
            Err(DistError::PercentileValues { .. })
        ));
        assert!(matches!(
            p(0.1, 0.0, 0.9, 2.0),
            Err(DistError::PercentileValues { .. })
        ));
        assert!(matches!(
            p(0.1, 3.0, 0.9, 2.0),
            Err(DistError::PercentileValues { .. })
        ));
        assert!(matches!(
            p(0.9, 1.0, 0.1, 2.0),
            Err(DistError::PercentileOrder { .. })
        ));
    }
}
