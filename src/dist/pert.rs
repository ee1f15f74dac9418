//! PERT distribution: a beta distribution rescaled to `[min, max]` with
//! shapes `alpha = 1 + 4 (mode − min)/(max − min)` and
//! `beta = 1 + 4 (max − mode)/(max − min)` (the classic PERT, λ = 4), so
//! that its mean is `(min + 4 mode + max) / 6`.
//!
//! Given by a percentile `x1` at probability `a`, the mode `m` and a
//! percentile `x2` at `b`: the shapes depend only on where the mode sits in
//! [min, max], `w = (m − min)/(max − min)`, and so do the standard
//! quantiles `q_a(w)` and `q_b(w)` of Beta(1 + 4w, 1 + 4(1 − w)). The mode
//! sits at the share `(w − q_a)/(q_b − q_a)` of the way from `x1` to `x2`,
//! which is below 0 at w = 0 and above 1 at w = 1; Brent's method finds the
//! w where it equals `(m − x1)/(x2 − x1)`, and then
//! `max − min = (x2 − x1)/(q_b − q_a)` and `min = x1 − (max − min) q_a`.
//! The quantiles are the beta's exact inverse (no table is built while
//! solving).

use super::solve::brent;
use super::{
    Beta, Continuous, DistError, Univariate, check_percentiles_and_mode, check_width, finite,
};

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
        check_width("pert", min, max)?;
        let r = max - min;
        let beta = Beta::new(1.0 + 4.0 * (mode - min) / r, 1.0 + 4.0 * (max - mode) / r)?;
        Ok(Pert {
            min,
            mode,
            max,
            beta,
        })
    }

    /// The PERT distribution with mode `mode` whose quantiles at
    /// probabilities `a` and `b` are `x1` and `x2` (`0 < a < b < 1`,
    /// `x1 <= mode <= x2`, `x1 < x2`).
    pub fn from_percentiles(
        a: f64,
        x1: f64,
        mode: f64,
        b: f64,
        x2: f64,
    ) -> Result<Self, DistError> {
        check_percentiles_and_mode("pert", (a, x1), mode, (b, x2))?;
        // Standard quantiles at a and b for the mode at w in [0, 1].
        let quantiles = |w: f64| {
            Beta::new(1.0 + 4.0 * w, 1.0 + 4.0 * (1.0 - w))
                .map(|d| (d.exact_quantile(a), d.exact_quantile(b)))
                .unwrap_or((f64::NAN, f64::NAN))
        };
        let target = (mode - x1) / (x2 - x1);
        let excess = |w: f64| {
            let (qa, qb) = quantiles(w);
            (w - qa) / (qb - qa) - target
        };
        let no_fit = || DistError::NoFit {
            family: "pert",
            a,
            x1,
            b,
            x2,
            why: "the solver did not converge",
        };
        // 1e-15 in w: the shapes to rounding.
        let w = brent(excess, 0.0, 1.0, 1e-15).ok_or_else(no_fit)?;
        let (qa, qb) = quantiles(w);
        let range = (x2 - x1) / (qb - qa);
        let min = x1 - range * qa;
        Self::new(min, mode, min + range).map_err(|_| no_fit())
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

    fn quantile_sf(&self, s: f64) -> f64 {
        self.min + self.range() * self.beta.quantile_sf(s)
    }

    fn exact_quantile(&self, u: f64) -> f64 {
        self.min + self.range() * self.beta.exact_quantile(u)
    }

    fn prepare(&self) {
        self.beta.prepare();
    }

    fn exact_quantile_sf(&self, s: f64) -> f64 {
        self.min + self.range() * Univariate::exact_quantile_sf(&self.beta, s)
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

/// The beta's log-density at `(x − min)/(max − min)`, less
/// `ln(max − min)`.
impl Continuous for Pert {
    fn ln_pdf(&self, x: f64) -> f64 {
        self.beta.ln_pdf((x - self.min) / self.range()) - self.range().ln()
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

    /// statrs' inverse is accurate to about 1e-14 and the table to 1e-9 of
    /// the range: both percentiles are hit to 1e-8 of the spread between
    /// them (so to 1e-6 relative and better), and the mode is kept exactly.
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
            let d = Pert::from_percentiles(a, x1, m, b, x2).unwrap();
            let tol = 1e-8 * (x2 - x1);
            assert!((d.quantile(a) - x1).abs() < tol, "p{a}: {}", d.quantile(a));
            assert!((d.quantile(b) - x2).abs() < tol, "p{b}: {}", d.quantile(b));
            assert_eq!(d.params().1, m);
        }
        // Symmetric about the mode: min and max are too.
        let d = Pert::from_percentiles(0.1, 90.0, 100.0, 0.9, 110.0).unwrap();
        let (lo, _, hi) = d.params();
        assert!((lo + hi - 200.0).abs() < 1e-9, "{lo} {hi}");
    }

    #[test]
    fn percentile_form_rejects_bad_input() {
        let p = Pert::from_percentiles;
        assert!(matches!(
            p(0.1, 80.0, 170.0, 0.9, 160.0),
            Err(DistError::PercentileMode { .. })
        ));
        assert!(matches!(
            p(0.1, 80.0, 79.0, 0.9, 160.0),
            Err(DistError::PercentileMode { .. })
        ));
        assert!(matches!(
            p(0.1, 160.0, 100.0, 0.9, 80.0),
            Err(DistError::PercentileValues { .. })
        ));
        assert!(matches!(
            p(0.5, 80.0, 100.0, 0.5, 160.0),
            Err(DistError::PercentileOrder { .. })
        ));
    }

    #[test]
    fn rejects_mode_outside() {
        assert!(Pert::new(5.0, 3.0, 9.0).is_err());
        assert!(Pert::new(2.0, 2.0, 2.0).is_err());
    }
}
