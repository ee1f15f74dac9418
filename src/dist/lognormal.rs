//! Lognormal distribution, given either as a 90% interval (the way experts
//! state ranges) or by its arithmetic mean and standard deviation.
//!
//! From a 90% interval `[lo, hi]`: `mu = (ln lo + ln hi) / 2`,
//! `sigma = (ln hi − ln lo) / (2 · 1.6448536)` (the constant of the model
//! contract, z₀.₉₅ to 7 decimals). From mean m and sd s:
//! `sigma² = ln(1 + s²/m²)`, `mu = ln m − sigma²/2`.

use super::normal::{std_normal_cdf, std_normal_quantile};
use super::{DistError, Univariate, finite};

/// z of the 95th percentile as the model contract states it.
pub const Z95: f64 = 1.6448536;

#[derive(Debug, Clone, PartialEq)]
pub struct LogNormal {
    mu: f64,
    sigma: f64,
}

impl LogNormal {
    /// The lognormal whose 5th and 95th percentiles are `p5` and `p95`.
    pub fn from_p5_p95(p5: f64, p95: f64) -> Result<Self, DistError> {
        finite("p5", p5)?;
        finite("p95", p95)?;
        if !(p5 > 0.0 && p5 < p95) {
            return Err(DistError::LogNormalInterval { p5, p95 });
        }
        let (l, h) = (p5.ln(), p95.ln());
        Ok(LogNormal {
            mu: 0.5 * (l + h),
            sigma: (h - l) / (2.0 * Z95),
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
        let s2 = (sd * sd / (mean * mean)).ln_1p();
        Ok(LogNormal {
            mu: mean.ln() - 0.5 * s2,
            sigma: s2.sqrt(),
        })
    }

    /// (mu, sigma) of the underlying normal.
    pub fn params(&self) -> (f64, f64) {
        (self.mu, self.sigma)
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
        (self.mu + self.sigma * std_normal_quantile(u)).exp()
    }

    fn quantile_sf(&self, s: f64) -> f64 {
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
        assert!(LogNormal::from_mean_sd(-1.0, 5.0).is_err());
        assert!(LogNormal::from_mean_sd(1.0, 0.0).is_err());
    }
}
