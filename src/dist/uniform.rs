//! Uniform distribution on `[min, max]`.

use super::{DistError, Univariate, finite};

#[derive(Debug, Clone, PartialEq)]
pub struct Uniform {
    min: f64,
    max: f64,
}

impl Uniform {
    pub fn new(min: f64, max: f64) -> Result<Self, DistError> {
        finite("min", min)?;
        finite("max", max)?;
        if !(min < max) {
            return Err(DistError::UniformBounds { min, max });
        }
        Ok(Uniform { min, max })
    }

    pub fn min(&self) -> f64 {
        self.min
    }

    pub fn max(&self) -> f64 {
        self.max
    }
}

impl Univariate for Uniform {
    fn cdf(&self, x: f64) -> f64 {
        ((x - self.min) / (self.max - self.min)).clamp(0.0, 1.0)
    }

    fn quantile(&self, u: f64) -> f64 {
        self.min + u * (self.max - self.min)
    }

    fn support(&self) -> (f64, f64) {
        (self.min, self.max)
    }

    fn mean(&self) -> f64 {
        0.5 * (self.min + self.max)
    }

    fn variance(&self) -> f64 {
        (self.max - self.min).powi(2) / 12.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dist::testutil::*;
    use statrs::distribution::{ContinuousCDF, Uniform as S};
    use statrs::statistics::Distribution;

    #[test]
    fn against_statrs() {
        let d = Uniform::new(3.0, 7.0).unwrap();
        let s = S::new(3.0, 7.0).unwrap();
        assert!((d.mean() - s.mean().unwrap()).abs() < 1e-12);
        assert!((d.variance() - s.variance().unwrap()).abs() < 1e-12);
        for u in [0.05, 0.5, 0.95] {
            assert!((d.quantile(u) - s.inverse_cdf(u)).abs() < 1e-12);
        }
        assert_inverse(&d, 1e-12);
    }

    #[test]
    fn rejects_bad_bounds() {
        assert!(Uniform::new(1.0, 1.0).is_err());
        assert!(Uniform::new(2.0, 1.0).is_err());
        assert!(Uniform::new(f64::NAN, 1.0).is_err());
        assert!(Uniform::new(0.0, f64::INFINITY).is_err());
    }
}
