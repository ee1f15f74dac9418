//! Normal distribution, and the standard normal CDF and quantile that the
//! copula and the lognormal share.
//!
//! The quantile uses statrs' inverse complementary error function, which is
//! accurate in both tails; the survival side uses the symmetry
//! `S(x) = Φ(−z)` so that truncation far in the upper tail keeps precision.

use super::{DistError, Univariate, finite};
use statrs::function::erf;
use std::f64::consts::SQRT_2;

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
        self.mu + self.sigma * std_normal_quantile(u)
    }

    fn quantile_sf(&self, s: f64) -> f64 {
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

    #[test]
    fn rejects_bad_sd() {
        assert!(Normal::new(0.0, 0.0).is_err());
        assert!(Normal::new(0.0, -1.0).is_err());
        assert!(Normal::new(0.0, f64::NAN).is_err());
    }
}
