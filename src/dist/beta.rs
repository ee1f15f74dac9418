//! Beta distribution on [0, 1], a thin validated wrapper over statrs, whose
//! inverse regularized incomplete beta function (AS 64 / AS 109 with Newton
//! steps) gives the quantile.

use super::{DistError, Univariate, finite};
use statrs::distribution::{Beta as StatrsBeta, ContinuousCDF};

#[derive(Debug, Clone, PartialEq)]
pub struct Beta {
    alpha: f64,
    beta: f64,
    inner: StatrsBeta,
}

impl Beta {
    pub fn new(alpha: f64, beta: f64) -> Result<Self, DistError> {
        finite("alpha", alpha)?;
        finite("beta", beta)?;
        if !(alpha > 0.0 && beta > 0.0) {
            return Err(DistError::BetaShape { alpha, beta });
        }
        let inner =
            StatrsBeta::new(alpha, beta).map_err(|_| DistError::BetaShape { alpha, beta })?;
        Ok(Beta { alpha, beta, inner })
    }

    /// (alpha, beta).
    pub fn shapes(&self) -> (f64, f64) {
        (self.alpha, self.beta)
    }
}

impl Univariate for Beta {
    fn cdf(&self, x: f64) -> f64 {
        self.inner.cdf(x.clamp(0.0, 1.0))
    }

    fn sf(&self, x: f64) -> f64 {
        self.inner.sf(x.clamp(0.0, 1.0))
    }

    fn quantile(&self, u: f64) -> f64 {
        self.inner.inverse_cdf(u.clamp(0.0, 1.0))
    }

    fn support(&self) -> (f64, f64) {
        (0.0, 1.0)
    }

    fn mean(&self) -> f64 {
        self.alpha / (self.alpha + self.beta)
    }

    fn variance(&self) -> f64 {
        let s = self.alpha + self.beta;
        self.alpha * self.beta / (s * s * (s + 1.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dist::testutil::*;
    use statrs::statistics::Distribution;

    #[test]
    fn against_statrs_and_quadrature() {
        for (a, b) in [(2.0, 18.0), (0.5, 0.5), (5.0, 1.0), (1.0, 1.0)] {
            let d = Beta::new(a, b).unwrap();
            let s = StatrsBeta::new(a, b).unwrap();
            assert!((d.mean() - s.mean().unwrap()).abs() < 1e-12);
            assert!((d.variance() - s.variance().unwrap()).abs() < 1e-12);
            assert_inverse(&d, 1e-9);
            let (m, v) = moments_by_quantile(&d, 200_000);
            assert!((m - d.mean()).abs() < 1e-4, "({a},{b}) mean {m}");
            assert!((v / d.variance() - 1.0).abs() < 2e-3, "({a},{b}) var {v}");
        }
        // Beta(1,1) is uniform: quantiles are exact.
        let d = Beta::new(1.0, 1.0).unwrap();
        for u in [0.05, 0.5, 0.95] {
            assert!((d.quantile(u) - u).abs() < 1e-9);
        }
    }

    #[test]
    fn rejects_bad_shapes() {
        assert!(Beta::new(0.0, 1.0).is_err());
        assert!(Beta::new(1.0, -2.0).is_err());
        assert!(Beta::new(f64::NAN, 1.0).is_err());
    }
}
