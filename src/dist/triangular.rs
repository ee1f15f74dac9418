//! Triangular distribution on `[min, max]` with its peak at `mode`.
//!
//! Closed-form CDF and quantile function (see e.g. Kotz & van Dorp, *Beyond
//! Beta*, ch. 1).
//!
//! Given by a percentile `x1` at probability `a` below the mode `m` and
//! one, `x2` at `b`, above it, min and max follow from one equation. With
//! `L = m − min`, `R = max − m` and width `W = L + R`, the CDF on each side
//! of the mode gives `(L − (m − x1))² = a W L` and
//! `(R − (x2 − m))² = (1 − b) W R`; for a given W each is a quadratic in
//! √L (√R) with one admissible root, and W solves `L(W) + R(W) = W`. In
//! `τ = (x2 − x1)/W`, the ratio `(L(W) + R(W))/W` rises steadily from
//! `a + 1 − b < 1` at τ = 0 to above 1 at τ = 1, so one root lies in
//! (0, 1], found by Brent's method.

use super::solve::brent;
use super::{Continuous, DistError, Univariate, check_percentiles_and_mode, check_width, finite};

#[derive(Debug, Clone, PartialEq)]
pub struct Triangular {
    min: f64,
    mode: f64,
    max: f64,
}

impl Triangular {
    pub fn new(min: f64, mode: f64, max: f64) -> Result<Self, DistError> {
        finite("min", min)?;
        finite("mode", mode)?;
        finite("max", max)?;
        if !(min <= mode && mode <= max && min < max) {
            return Err(DistError::ModeBounds {
                family: "triangular",
                min,
                mode,
                max,
            });
        }
        check_width("triangular", min, max)?;
        Ok(Triangular { min, mode, max })
    }

    /// The triangular distribution with mode `mode` whose quantiles at
    /// probabilities `a` and `b` are `x1` and `x2` (`0 < a < b < 1`,
    /// `x1 <= mode <= x2`, `x1 < x2`).
    pub fn from_percentiles(
        a: f64,
        x1: f64,
        mode: f64,
        b: f64,
        x2: f64,
    ) -> Result<Self, DistError> {
        check_percentiles_and_mode("triangular", (a, x1), mode, (b, x2))?;
        let spread = x2 - x1;
        let (d1, d2) = ((mode - x1) / spread, (x2 - mode) / spread);
        let c = 1.0 - b;
        // L/W and R/W at τ = spread / W: the admissible roots of the
        // quadratics, ((√p + √(p + 4 d τ)) / 2)².
        let share = |p: f64, d: f64, tau: f64| {
            let r = 0.5 * (p.sqrt() + (p + 4.0 * d * tau).sqrt());
            r * r
        };
        let excess = |tau: f64| share(a, d1, tau) + share(c, d2, tau) - 1.0;
        let no_fit = || DistError::NoFit {
            family: "triangular",
            a,
            x1,
            b,
            x2,
            why: "the solver did not converge",
        };
        let tau = brent(excess, 0.0, 1.0, 1e-16).ok_or_else(no_fit)?;
        if !(tau > 0.0) {
            return Err(no_fit());
        }
        let width = spread / tau;
        let min = mode - width * share(a, d1, tau);
        let max = mode + width * share(c, d2, tau);
        Self::new(min, mode, max)
    }

    /// (min, mode, max).
    pub fn params(&self) -> (f64, f64, f64) {
        (self.min, self.mode, self.max)
    }
}

impl Univariate for Triangular {
    fn cdf(&self, x: f64) -> f64 {
        let (a, c, b) = (self.min, self.mode, self.max);
        if x <= a {
            0.0
        } else if x >= b {
            1.0
        } else if x <= c {
            (x - a) * (x - a) / ((b - a) * (c - a))
        } else {
            1.0 - (b - x) * (b - x) / ((b - a) * (b - c))
        }
    }

    fn quantile(&self, u: f64) -> f64 {
        let (a, c, b) = (self.min, self.mode, self.max);
        let fc = (c - a) / (b - a);
        if u <= fc {
            a + (u * (b - a) * (c - a)).sqrt()
        } else {
            b - ((1.0 - u) * (b - a) * (b - c)).sqrt()
        }
    }

    fn support(&self) -> (f64, f64) {
        (self.min, self.max)
    }

    fn mean(&self) -> f64 {
        (self.min + self.mode + self.max) / 3.0
    }

    fn variance(&self) -> f64 {
        let (a, c, b) = (self.min, self.mode, self.max);
        (a * a + b * b + c * c - a * b - a * c - b * c) / 18.0
    }
}

/// `2 (x − min)/((max − min)(mode − min))` up to the mode,
/// `2 (max − x)/((max − min)(max − mode))` beyond it, and `2/(max − min)`
/// at the mode, also where the mode is a bound.
impl Continuous for Triangular {
    fn ln_pdf(&self, x: f64) -> f64 {
        let (min, mode, max) = (self.min, self.mode, self.max);
        let (near, side) = if x < mode {
            (x - min, mode - min)
        } else if x > mode {
            (max - x, max - mode)
        } else {
            (1.0, 1.0)
        };
        if !(near >= 0.0) {
            f64::NEG_INFINITY
        } else {
            std::f64::consts::LN_2 + near.ln() - (max - min).ln() - side.ln()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dist::testutil::*;
    use statrs::distribution::{ContinuousCDF, Triangular as S};
    use statrs::statistics::Distribution;

    #[test]
    fn against_statrs() {
        for (a, c, b) in [(3.0, 6.0, 12.0), (0.0, 0.0, 1.0), (0.0, 1.0, 1.0)] {
            let d = Triangular::new(a, c, b).unwrap();
            let s = S::new(a, b, c).unwrap();
            assert!((d.mean() - s.mean().unwrap()).abs() < 1e-12);
            assert!((d.variance() - s.variance().unwrap()).abs() < 1e-12);
            for u in [0.05, 0.5, 0.95] {
                let q = d.quantile(u);
                assert!((s.cdf(q) - u).abs() < 1e-12, "{a},{c},{b} u={u}");
            }
            assert_inverse(&d, 1e-12);
            let (m, v) = moments_by_quantile(&d, 200_000);
            assert!((m - d.mean()).abs() < 1e-4 * (b - a));
            assert!((v - d.variance()).abs() < 1e-4 * (b - a) * (b - a));
        }
    }

    /// The solve leaves rounding errors only: both percentiles are hit to
    /// 1e-12 of the spread between them (so to 1e-6 relative and better),
    /// and the mode is kept exactly.
    #[test]
    fn percentile_form_hits_its_percentiles() {
        for (a, x1, m, b, x2) in [
            (0.1, 80.0, 100.0, 0.9, 160.0),
            (0.1, 80.0, 80.0, 0.9, 160.0),
            (0.1, 80.0, 160.0, 0.9, 160.0),
            (0.05, -3.0, 0.0, 0.95, 7.0),
            (0.5, 10.0, 10.5, 0.51, 11.0),
            (0.01, 0.2, 0.21, 0.99, 0.9),
            (0.3, 1e6, 1.2e6, 0.4, 1.3e6),
        ] {
            let d = Triangular::from_percentiles(a, x1, m, b, x2).unwrap();
            let tol = 1e-12 * (x2 - x1);
            assert!((d.quantile(a) - x1).abs() < tol, "p{a}: {}", d.quantile(a));
            assert!((d.quantile(b) - x2).abs() < tol, "p{b}: {}", d.quantile(b));
            assert_eq!(d.params().1, m);
        }
        // Symmetric about the mode: min and max are too.
        let d = Triangular::from_percentiles(0.1, 90.0, 100.0, 0.9, 110.0).unwrap();
        let (lo, _, hi) = d.params();
        assert!((lo + hi - 200.0).abs() < 1e-12, "{lo} {hi}");
    }

    #[test]
    fn percentile_form_rejects_bad_input() {
        let t = Triangular::from_percentiles;
        assert!(matches!(
            t(0.1, 80.0, 170.0, 0.9, 160.0),
            Err(DistError::PercentileMode { .. })
        ));
        assert!(matches!(
            t(0.1, 80.0, 70.0, 0.9, 160.0),
            Err(DistError::PercentileMode { .. })
        ));
        assert!(matches!(
            t(0.1, 80.0, f64::NAN, 0.9, 160.0),
            Err(DistError::NotFinite { .. })
        ));
        assert!(matches!(
            t(0.1, 160.0, 100.0, 0.9, 80.0),
            Err(DistError::PercentileValues { .. })
        ));
        assert!(matches!(
            t(0.9, 80.0, 100.0, 0.1, 160.0),
            Err(DistError::PercentileOrder { .. })
        ));
        assert_eq!(
            t(0.1, 80.0, 170.0, 0.9, 160.0).err().unwrap().to_string(),
            "triangular needs p10 <= mode <= p90 (got p10 = 80, mode = 170, p90 = 160)"
        );
    }

    #[test]
    fn rejects_mode_outside() {
        assert!(Triangular::new(5.0, 3.0, 9.0).is_err());
        assert!(Triangular::new(1.0, 1.0, 1.0).is_err());
        assert!(Triangular::new(1.0, f64::NAN, 2.0).is_err());
    }
}
