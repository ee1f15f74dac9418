//! Lognormal distribution, given either by two percentiles (such as a 90%
//! interval, the way experts state ranges) or by its arithmetic mean and
//! standard deviation.
//!
//! From percentiles `x1` at probability `a` and `x2` at `b`, in logs as for
//! the normal: `sigma = (ln x2 − ln x1) / (z(b) − z(a))` and
//! `mu = (ln x1 + ln x2)/2 − sigma · (z(a) + z(b))/2`. For a 90% interval
//! `[lo, hi]` (p5 and p95) that is `mu = (ln lo + ln hi) / 2`,
//! `sigma = (ln hi − ln lo) / (2 · 1.6448536)`: z of p5 and p95 is the
//! constant of docs/scenario-format.md, z₀.₉₅ to 7 decimals; other percentiles
//! use the exact Φ⁻¹. From mean m and sd s: `sigma² = ln(1 + s²/m²)`,
//! `mu = ln m − sigma²/2`.

use super::normal::{std_normal_cdf, std_normal_draw, std_normal_quantile};
use super::{Continuous, DistError, Range, Univariate, check_percentiles, finite};
use statrs::consts::LN_SQRT_2PI;

/// z of the 95th percentile as docs/scenario-format.md states it.
pub const Z95: f64 = 1.6448536;

#[derive(Debug, Clone, PartialEq)]
pub struct LogNormal {
    mu: f64,
    sigma: f64,
}

impl LogNormal {
    /// The lognormal whose 5th and 95th percentiles are `p5` and `p95`.
    pub fn from_p5_p95(p5: f64, p95: f64) -> Result<Self, DistError> {
        Self::from_percentiles(0.05, p5, 0.95, p95)
    }

    /// The lognormal whose quantiles at probabilities `a` and `b` are `x1`
    /// and `x2` (`0 < a < b < 1`, `0 < x1 < x2`).
    pub fn from_percentiles(a: f64, x1: f64, b: f64, x2: f64) -> Result<Self, DistError> {
        check_percentiles("lognormal", Range::Positive, (a, x1), (b, x2))?;
        let (za, zb) = (contract_z(a), contract_z(b));
        let (l, h) = (x1.ln(), x2.ln());
        let sigma = (h - l) / (zb - za);
        // For p5 and p95, za + zb is exactly 0 and zb − za exactly 2 · Z95:
        // the formulas of docs/scenario-format.md, bit for bit.
        Ok(LogNormal {
            mu: 0.5 * (l + h) - sigma * 0.5 * (za + zb),
            sigma,
        })
    }

    /// The lognormal with arithmetic mean `mean` and standard deviation `sd`.
    pub fn from_mean_sd(mean: f64, sd: f64) -> Result<Self, DistError> {
        finite("mean", mean)?;
        finite("sd", sd)?;
        if !(mean > 0.0) {
            return Err(DistError::LogNormalMean(mean));
        }
        if !(sd > 0.0) {
            return Err(DistError::Sd(sd));
        }
        // sd²/mean² unless a square under- or overflows.
        let ratio = if (mean * mean).is_normal() && (sd * sd).is_normal() {
            sd * sd / (mean * mean)
        } else {
            (sd / mean).powi(2)
        };
        let s2 = finite("(sd / mean)²", ratio)?.ln_1p();
        Self::checked(mean.ln() - 0.5 * s2, s2.sqrt())
    }

    /// The lognormal of these parameters, if its spread shows in a double:
    /// σ of at least 1e-15 (about the relative precision of exp(μ)).
    fn checked(mu: f64, sigma: f64) -> Result<Self, DistError> {
        if !(sigma >= 1e-15 && sigma.is_finite() && mu.is_finite()) {
            return Err(DistError::TooNarrow {
                family: "lognormal",
            });
        }
        Ok(LogNormal { mu, sigma })
    }

    /// The lognormal whose logarithm has mean `mu` and standard deviation
    /// `sigma` (at least 1e-15, see [`LogNormal::from_mean_sd`]).
    pub fn new(mu: f64, sigma: f64) -> Result<Self, DistError> {
        finite("mu", mu)?;
        finite("sigma", sigma)?;
        Self::checked(mu, sigma)
    }

    /// (mu, sigma) of the underlying normal.
    pub fn params(&self) -> (f64, f64) {
        (self.mu, self.sigma)
    }
}

/// Φ⁻¹(p), with the scenario format's ±`Z95` at the 5th and 95th percentiles.
fn contract_z(p: f64) -> f64 {
    if p == 0.05 {
        -Z95
    } else if p == 0.95 {
        Z95
    } else {
        std_normal_quantile(p)
    }
}

impl Univariate for LogNormal {
    fn cdf(&self, x: f64) -> f64 {
        if x <= 0.0 {
            0.0
        } else {
            std_normal_cdf((x.ln() - self.mu) / self.sigma)
        }
    }

    fn sf(&self, x: f64) -> f64 {
        if x <= 0.0 {
            1.0
        } else {
            std_normal_cdf((self.mu - x.ln()) / self.sigma)
        }
    }

    fn quantile(&self, u: f64) -> f64 {
        (self.mu + self.sigma * std_normal_draw(u)).exp()
    }

    fn quantile_sf(&self, s: f64) -> f64 {
        (self.mu - self.sigma * std_normal_draw(s)).exp()
    }

    /// Without the table (validation and warnings, see `dist::table`).
    fn exact_quantile(&self, u: f64) -> f64 {
        (self.mu + self.sigma * std_normal_quantile(u)).exp()
    }

    fn exact_quantile_sf(&self, s: f64) -> f64 {
        (self.mu - self.sigma * std_normal_quantile(s)).exp()
    }

    fn support(&self) -> (f64, f64) {
        (0.0, f64::INFINITY)
    }

    fn mean(&self) -> f64 {
        (self.mu + 0.5 * self.sigma * self.sigma).exp()
    }

    fn variance(&self) -> f64 {
        let s2 = self.sigma * self.sigma;
        s2.exp_m1() * (2.0 * self.mu + s2).exp()
    }
}

/// The normal's log-density of ln x, less ln x (the Jacobian):
/// `−z²/2 − ln √(2π) − ln σ − ln x` with `z = (ln x − μ)/σ`; −∞ for x ≤ 0.
impl Continuous for LogNormal {
    fn ln_pdf(&self, x: f64) -> f64 {
        if !(x > 0.0 && x < f64::INFINITY) {
            return f64::NEG_INFINITY;
        }
        let lx = x.ln();
        let z = (lx - self.mu) / self.sigma;
        -0.5 * z * z - LN_SQRT_2PI - self.sigma.ln() - lx
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dist::testutil::*;
    use statrs::distribution::{ContinuousCDF, LogNormal as S};
    use statrs::statistics::Distribution;

    #[test]
    fn interval_form_hits_its_percentiles() {
        let d = LogNormal::from_p5_p95(15000.0, 60000.0).unwrap();
        // The contract's constant differs from z0.95 by 3e-8 relative.
        assert!((d.quantile(0.05) / 15000.0 - 1.0).abs() < 1e-6);
        assert!((d.quantile(0.95) / 60000.0 - 1.0).abs() < 1e-6);
        assert!((d.quantile(0.5) - (15000.0f64 * 60000.0).sqrt()).abs() < 1e-6);
    }

    /// p5 and p95 keep the scenario format's formulas exactly. Any pair is hit to
    /// within the accuracy of Φ⁻¹ (about 1e-11 relative in z), except that
    /// the scenario format's z of p5 and p95 differs from Φ⁻¹ by 2.7e-8: sigma
    /// times that, below 1e-7 relative for these cases.
    #[test]
    fn percentile_form_hits_its_percentiles() {
        for (lo, hi) in [(15000.0, 60000.0), (2.0, 15.0), (0.01, 0.011)] {
            let d = LogNormal::from_p5_p95(lo, hi).unwrap();
            let (l, h): (f64, f64) = (lo.ln(), hi.ln());
            assert_eq!(d.params(), (0.5 * (l + h), (h - l) / (2.0 * Z95)));
            assert_eq!(LogNormal::from_percentiles(0.05, lo, 0.95, hi).unwrap(), d);
        }
        for (a, x1, b, x2) in [
            (0.1, 80.0, 0.9, 160.0),
            (0.05, 3.0, 0.5, 4.0),
            (0.01, 1e-3, 0.99, 1e3),
            (0.5, 1e6, 0.95, 1.1e6),
            (0.25, 7.0, 0.75, 7.5),
        ] {
            let d = LogNormal::from_percentiles(a, x1, b, x2).unwrap();
            assert!((d.quantile(a) / x1 - 1.0).abs() < 1e-7, "p{a}");
            assert!((d.quantile(b) / x2 - 1.0).abs() < 1e-7, "p{b}");
        }
    }

    #[test]
    fn mean_sd_form_against_statrs() {
        let d = LogNormal::from_mean_sd(100.0, 30.0).unwrap();
        let (mu, sigma) = d.params();
        let s = S::new(mu, sigma).unwrap();
        assert!((d.mean() - 100.0).abs() < 1e-9);
        assert!((d.variance().sqrt() - 30.0).abs() < 1e-9);
        assert!((s.mean().unwrap() - 100.0).abs() < 1e-9);
        for u in [0.05, 0.5, 0.95] {
            assert!((d.quantile(u) - s.inverse_cdf(u)).abs() < 1e-6 * d.quantile(u));
        }
        // statrs' erfc_inv is accurate to about 1e-11 relative.
        assert_inverse(&d, 1e-10);
    }

    #[test]
    fn rejects_bad_parameters() {
        assert!(LogNormal::from_p5_p95(-1.0, 5.0).is_err());
        assert!(LogNormal::from_p5_p95(0.0, 5.0).is_err());
        assert!(LogNormal::from_p5_p95(5.0, 5.0).is_err());
        assert_eq!(
            LogNormal::from_p5_p95(-1.0, 5.0).unwrap_err().to_string(),
            "lognormal needs 0 < p5 < p95 (got p5 = -1, p95 = 5)"
        );
        assert!(LogNormal::from_percentiles(0.1, 5.0, 0.9, 4.0).is_err());
        assert!(LogNormal::from_percentiles(0.9, 4.0, 0.1, 5.0).is_err());
        assert!(LogNormal::from_percentiles(0.1, -5.0, 0.9, 4.0).is_err());
        assert!(LogNormal::from_mean_sd(-1.0, 5.0).is_err());
        assert!(LogNormal::from_mean_sd(1.0, 0.0).is_err());
    }
}
