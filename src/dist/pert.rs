//! PERT distribution: a beta distribution rescaled to `[min, max]` with
//! shapes `alpha = 1 + 4 (mode − min)/(max − min)` and
//! `beta = 1 + 4 (max − mode)/(max − min)` (the classic PERT, λ = 4), so
//! that its mean is `(min + 4 mode + max) / 6`.

use super::{Beta, DistError, Univariate, finite};

#[derive(Debug, Clone, PartialEq)]
pub struct Pert {
    min: f64,
    mode: f64,
    max: f64,
    beta: Beta,
}

impl Pert {
    pub fn new(min: f64, mode: f64, max: f64) -> Result<Self, DistError> {
        finite("min", min)?;
        finite("mode", mode)?;
        finite("max", max)?;
        if !(min <= mode && mode <= max && min < max) {
            return Err(DistError::ModeBounds {
                family: "pert",
                min,
                mode,
                max,
            });
        }
        let r = max - min;
        let beta = Beta::new(1.0 + 4.0 * (mode - min) / r, 1.0 + 4.0 * (max - mode) / r)?;
        Ok(Pert {
            min,
            mode,
            max,
            beta,
        })
    }

    /// (min, mode, max).
    pub fn params(&self) -> (f64, f64, f64) {
        (self.min, self.mode, self.max)
    }

    fn range(&self) -> f64 {
        self.max - self.min
    }
}

impl Univariate for Pert {
    fn cdf(&self, x: f64) -> f64 {
        self.beta.cdf((x - self.min) / self.range())
    }

    fn sf(&self, x: f64) -> f64 {
        self.beta.sf((x - self.min) / self.range())
    }

    fn quantile(&self, u: f64) -> f64 {
        self.min + self.range() * self.beta.quantile(u)
    }

    fn support(&self) -> (f64, f64) {
        (self.min, self.max)
    }

    fn mean(&self) -> f64 {
        (self.min + 4.0 * self.mode + self.max) / 6.0
    }

    fn variance(&self) -> f64 {
        let m = self.mean();
        (m - self.min) * (self.max - m) / 7.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dist::testutil::*;
    use statrs::distribution::{Beta as S, ContinuousCDF};

    #[test]
    fn matches_scaled_beta() {
        let d = Pert::new(60000.0, 90000.0, 160000.0).unwrap();
        let r = 100000.0;
        let s = S::new(1.0 + 4.0 * 0.3, 1.0 + 4.0 * 0.7).unwrap();
        for u in [0.05, 0.5, 0.95] {
            let expect = 60000.0 + r * s.inverse_cdf(u);
            assert!((d.quantile(u) - expect).abs() < 1e-6, "u={u}");
        }
        assert!((d.mean() - (60000.0 + 4.0 * 90000.0 + 160000.0) / 6.0).abs() < 1e-9);
        let (m, v) = moments_by_quantile(&d, 200_000);
        assert!((m / d.mean() - 1.0).abs() < 1e-6);
        assert!((v / d.variance() - 1.0).abs() < 1e-3);
        assert_inverse(&d, 1e-9);
    }

    #[test]
    fn mode_at_an_end_is_allowed() {
        let d = Pert::new(0.0, 0.0, 0.03).unwrap();
        assert!(d.quantile(0.5) > 0.0 && d.quantile(0.5) < 0.03);
    }

    #[test]
    fn rejects_mode_outside() {
        assert!(Pert::new(5.0, 3.0, 9.0).is_err());
        assert!(Pert::new(2.0, 2.0, 2.0).is_err());
    }
}
