//! Triangular distribution on `[min, max]` with its peak at `mode`.
//!
//! Closed-form CDF and quantile function (see e.g. Kotz & van Dorp, *Beyond
//! Beta*, ch. 1).

use super::{DistError, Univariate, finite};

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
        Ok(Triangular { min, mode, max })
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

    #[test]
    fn rejects_mode_outside() {
        assert!(Triangular::new(5.0, 3.0, 9.0).is_err());
        assert!(Triangular::new(1.0, 1.0, 1.0).is_err());
        assert!(Triangular::new(1.0, f64::NAN, 2.0).is_err());
    }
}
