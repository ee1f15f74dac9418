//! Uniform distribution on `[min, max]`.
//!
//! Given by two percentiles, `x1` at probability `a` and `x2` at `b`: the
//! width is `(x2 − x1) / (b − a)`, `min = x1 − a · width` and
//! `max = x2 + (1 − b) · width`.

use super::{Continuous, DistError, Range, Univariate, check_percentiles, check_width, finite};

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
        check_width("uniform", min, max)?;
        Ok(Uniform { min, max })
    }

    /// The uniform whose quantiles at probabilities `a` and `b` are `x1` and
    /// `x2` (`0 < a < b < 1`, `x1 < x2`).
    pub fn from_percentiles(a: f64, x1: f64, b: f64, x2: f64) -> Result<Self, DistError> {
        check_percentiles("uniform", Range::Real, (a, x1), (b, x2))?;
        let width = (x2 - x1) / (b - a);
        Self::new(x1 - a * width, x2 + (1.0 - b) * width)
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

/// `−ln(max − min)` on `[min, max]`, both bounds included.
impl Continuous for Uniform {
    fn ln_pdf(&self, x: f64) -> f64 {
        if x >= self.min && x <= self.max {
            -(self.max - self.min).ln()
        } else {
            f64::NEG_INFINITY
        }
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

    /// Rounding alone separates the percentiles from their targets.
    #[test]
    fn percentile_form_hits_its_percentiles() {
        let d = Uniform::from_percentiles(0.1, 80.0, 0.9, 160.0).unwrap();
        assert!((d.min() - 70.0).abs() < 1e-12 && (d.max() - 170.0).abs() < 1e-12);
        for (a, x1, b, x2) in [(0.05, -3.0, 0.5, 7.0), (0.25, 0.1, 0.99, 0.11)] {
            let d = Uniform::from_percentiles(a, x1, b, x2).unwrap();
            assert!((d.quantile(a) / x1 - 1.0).abs() < 1e-12, "p{a}");
            assert!((d.quantile(b) / x2 - 1.0).abs() < 1e-12, "p{b}");
        }
        assert!(Uniform::from_percentiles(0.1, 2.0, 0.9, 1.0).is_err());
        assert!(Uniform::from_percentiles(0.9, 1.0, 0.1, 2.0).is_err());
    }

    #[test]
    fn rejects_bad_bounds() {
        assert!(Uniform::new(1.0, 1.0).is_err());
        assert!(Uniform::new(2.0, 1.0).is_err());
        assert!(Uniform::new(f64::NAN, 1.0).is_err());
        assert!(Uniform::new(0.0, f64::INFINITY).is_err());
    }
}
