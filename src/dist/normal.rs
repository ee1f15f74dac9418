//! Normal distribution, and the standard normal CDF and quantile that the
//! copula and the lognormal share.
//!
//! The exact quantile uses statrs' inverse complementary error function,
//! which is accurate in both tails; draws read it from a quantile table
//! ([`std_normal_draw`]). The survival side uses the symmetry
//! `S(x) = Φ(−z)` so that truncation far in the upper tail keeps precision.
//!
//! Given by two percentiles, `x1` at probability `a` and `x2` at `b`, with
//! `z = Φ⁻¹`: `sd = (x2 − x1) / (z(b) − z(a))` and
//! `mean = (x1 + x2)/2 − sd · (z(a) + z(b))/2`, the midpoint form, exact for
//! symmetric pairs such as p10 and p90.

use super::table::{QuantileTable, TOLERANCE};
use super::{Continuous, DistError, Range, Univariate, check_percentiles, finite};
use statrs::consts::LN_SQRT_2PI;
use statrs::function::erf;
use std::f64::consts::SQRT_2;
use std::sync::OnceLock;

/// Φ(z), the standard normal CDF.
#[inline]
pub fn std_normal_cdf(z: f64) -> f64 {
    0.5 * erf::erfc(-z / SQRT_2)
}

/// Φ⁻¹(u), the standard normal quantile, for u in (0, 1).
#[inline]
pub fn std_normal_quantile(u: f64) -> f64 {
    -SQRT_2 * erf::erfc_inv(2.0 * u)
}

/// Φ⁻¹(u) for draws (the normal and lognormal inputs, the copula): from a
/// quantile table of the standard normal (see `dist::table`), built once
/// per process in well under a millisecond, within 1e-10 of
/// [`std_normal_quantile`] (which statrs computes to about 1e-11
/// relative), and from [`std_normal_quantile`] itself in the far tails
/// the table leaves to it. A table lookup costs a few nanoseconds, where
/// statrs' inverse error function costs about twenty: five or more of
/// them a trial in a scenario with normal or lognormal inputs and a
/// correlation.
#[inline]
pub fn std_normal_draw(u: f64) -> f64 {
    static TABLE: OnceLock<QuantileTable> = OnceLock::new();
    TABLE
        .get_or_init(|| {
            QuantileTable::with_tolerance(
                TOLERANCE,
                (f64::NEG_INFINITY, f64::INFINITY),
                std_normal_quantile,
                |z| STANDARD.pdf(z),
            )
        })
        .get(u)
        .unwrap_or_else(|| std_normal_quantile(u))
}

/// N(0, 1).
const STANDARD: Normal = Normal {
    mu: 0.0,
    sigma: 1.0,
};

#[derive(Debug, Clone, PartialEq)]
pub struct Normal {
    mu: f64,
    sigma: f64,
}

impl Normal {
    pub fn new(mean: f64, sd: f64) -> Result<Self, DistError> {
        finite("mean", mean)?;
        finite("sd", sd)?;
        if !(sd > 0.0) {
            return Err(DistError::Sd(sd));
        }
        Ok(Normal {
            mu: mean,
            sigma: sd,
        })
    }

    /// The normal whose quantiles at probabilities `a` and `b` are `x1` and
    /// `x2` (`0 < a < b < 1`, `x1 < x2`).
    pub fn from_percentiles(a: f64, x1: f64, b: f64, x2: f64) -> Result<Self, DistError> {
        check_percentiles("normal", Range::Real, (a, x1), (b, x2))?;
        let (za, zb) = (std_normal_quantile(a), std_normal_quantile(b));
        let sd = (x2 - x1) / (zb - za);
        Self::new(0.5 * (x1 + x2) - sd * 0.5 * (za + zb), sd)
    }

    pub fn mu(&self) -> f64 {
        self.mu
    }

    pub fn sigma(&self) -> f64 {
        self.sigma
    }
}

impl Univariate for Normal {
    fn cdf(&self, x: f64) -> f64 {
        std_normal_cdf((x - self.mu) / self.sigma)
    }

    fn sf(&self, x: f64) -> f64 {
        std_normal_cdf((self.mu - x) / self.sigma)
    }

    fn quantile(&self, u: f64) -> f64 {
        self.mu + self.sigma * std_normal_draw(u)
    }

    fn quantile_sf(&self, s: f64) -> f64 {
        self.mu - self.sigma * std_normal_draw(s)
    }

    /// Without the table (validation and warnings, see `dist::table`).
    fn exact_quantile(&self, u: f64) -> f64 {
        self.mu + self.sigma * std_normal_quantile(u)
    }

    fn exact_quantile_sf(&self, s: f64) -> f64 {
        self.mu - self.sigma * std_normal_quantile(s)
    }

    fn support(&self) -> (f64, f64) {
        (f64::NEG_INFINITY, f64::INFINITY)
    }

    fn mean(&self) -> f64 {
        self.mu
    }

    fn variance(&self) -> f64 {
        self.sigma * self.sigma
    }
}

/// `−z²/2 − ln √(2π) − ln σ` with `z = (x − μ)/σ`.
impl Continuous for Normal {
    fn ln_pdf(&self, x: f64) -> f64 {
        let z = (x - self.mu) / self.sigma;
        -0.5 * z * z - LN_SQRT_2PI - self.sigma.ln()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dist::testutil::*;
    use statrs::distribution::{ContinuousCDF, Normal as S};

    #[test]
    fn against_statrs() {
        let d = Normal::new(6000.0, 600.0).unwrap();
        let s = S::new(6000.0, 600.0).unwrap();
        for u in [0.05, 0.5, 0.95, 1e-9, 1.0 - 1e-9] {
            let q = d.quantile(u);
            assert!((q - s.inverse_cdf(u)).abs() < 1e-6, "u={u}");
        }
        assert!((d.quantile(0.95) - (6000.0 + 600.0 * 1.6448536269514722)).abs() < 1e-6);
        // statrs' erfc_inv is accurate to about 1e-11 relative.
        assert_inverse(&d, 1e-10);
        let (m, v) = moments_by_quantile(&d, 400_000);
        assert!((m - 6000.0).abs() < 1e-6);
        // The midpoint rule misses a little of the tails' variance.
        assert!((v / d.variance() - 1.0).abs() < 2e-3);
    }

    #[test]
    fn symmetric_tails() {
        for u in [1e-12, 1e-6, 0.01, 0.3] {
            assert!(
                (std_normal_quantile(u) + std_normal_quantile(1.0 - u)).abs()
                    < 1e-6 * (1.0 + std_normal_quantile(u).abs())
            );
            let d = Normal::new(1.0, 2.0).unwrap();
            assert!((d.quantile_sf(u) - d.quantile(1.0 - u)).abs() < 1e-5);
        }
    }

    /// The percentile form hits both percentiles: the normal quantile is
    /// accurate to about 1e-11 relative in z, so 1e-9 of the spread bounds
    /// the error with room to spare.
    #[test]
    fn percentile_form_hits_its_percentiles() {
        for (a, x1, b, x2) in [
            (0.1, 80.0, 0.9, 160.0),
            (0.05, -3.0, 0.95, 7.0),
            (0.01, 0.2, 0.5, 0.25),
            (0.5, 1e6, 0.99, 1.5e6),
            (0.3, -20.0, 0.31, -19.9),
        ] {
            let d = Normal::from_percentiles(a, x1, b, x2).unwrap();
            let tol = 1e-9 * (x2 - x1);
            assert!((d.quantile(a) - x1).abs() < tol, "p{a}: {}", d.quantile(a));
            assert!((d.quantile(b) - x2).abs() < tol, "p{b}: {}", d.quantile(b));
        }
        // Symmetric percentiles put the mean exactly in the middle.
        let d = Normal::from_percentiles(0.1, 80.0, 0.9, 160.0).unwrap();
        assert!((d.mu() - 120.0).abs() < 1e-12);
        assert!((d.sigma() - 40.0 / 1.2815515655446004).abs() < 1e-9);
    }

    #[test]
    fn percentile_form_rejects_bad_percentiles() {
        let e = |a, x1, b, x2| Normal::from_percentiles(a, x1, b, x2).unwrap_err();
        assert!(matches!(
            e(0.9, 1.0, 0.1, 2.0),
            DistError::PercentileOrder { .. }
        ));
        assert!(matches!(
            e(0.5, 1.0, 0.5, 2.0),
            DistError::PercentileOrder { .. }
        ));
        assert!(matches!(
            e(0.0, 1.0, 0.5, 2.0),
            DistError::PercentileOrder { .. }
        ));
        assert!(matches!(
            e(0.1, 1.0, 1.0, 2.0),
            DistError::PercentileOrder { .. }
        ));
        assert!(matches!(
            e(f64::NAN, 1.0, 0.5, 2.0),
            DistError::PercentileOrder { .. }
        ));
        assert!(matches!(
            e(0.1, 2.0, 0.9, 1.0),
            DistError::PercentileValues { .. }
        ));
        assert!(matches!(
            e(0.1, 2.0, 0.9, 2.0),
            DistError::PercentileValues { .. }
        ));
        assert!(matches!(
            e(0.1, f64::NAN, 0.9, 2.0),
            DistError::PercentileValues { .. }
        ));
        assert_eq!(
            e(0.1, 200.0, 0.9, 100.0).to_string(),
            "normal needs p10 < p90 (got p10 = 200, p90 = 100)"
        );
        assert_eq!(
            e(0.9, 1.0, 0.1, 2.0).to_string(),
            "percentiles must lie strictly between p0 and p100, the lower one first (got p90 and p10)"
        );
    }

    #[test]
    fn rejects_bad_sd() {
        assert!(Normal::new(0.0, 0.0).is_err());
        assert!(Normal::new(0.0, -1.0).is_err());
        assert!(Normal::new(0.0, f64::NAN).is_err());
    }
}
