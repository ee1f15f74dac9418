//! Beta distribution on [0, 1], a validated wrapper over statrs. The
//! quantile comes from a table of statrs' exact inverse (the inverse
//! regularized incomplete beta function, AS 64 / AS 109 with Newton steps)
//! with cubic Hermite interpolation between knots, and from the exact
//! inverse in the far tails (see `table`).
//!
//! Given by two percentiles, `x1` at probability `a` and `x2` at `b`, the
//! shapes solve `I(x1; α, β) = a` and `I(x2; α, β) = b`, with I the
//! regularized incomplete beta function. Such shapes exist and are unique
//! (J. R. van Dorp and T. A. Mazzuchi, "Solving for the parameters of a
//! beta distribution under two quantile constraints", *J. Statist. Comput.
//! Simul.* 67, 2000). They are found by nested one-dimensional solves in
//! logs, each with Brent's method: I falls as α grows and rises as β grows,
//! so for each α one β puts probability `a` below `x1`; along that curve
//! the distribution narrows as α grows, and the probability below `x2`
//! rises to meet `b`.

use super::solve::brent;
use super::table::QuantileTable;
use super::{DistError, Range, Univariate, check_percentiles, finite};
use statrs::distribution::{Beta as StatrsBeta, Continuous, ContinuousCDF};
use statrs::function::beta::beta_reg;
use std::sync::Arc;

/// The shapes a beta given by percentiles may take. Below 1e-3 nearly all
/// the probability sits within a hair of 0 and 1; above 1e5 statrs'
/// incomplete beta function loses digits (1e-9 relative at 1e5, worse
/// beyond, as its prefactor cancels terms of order α ln α).
const SHAPES: (f64, f64) = (1e-3, 1e5);

#[derive(Debug, Clone, PartialEq)]
pub struct Beta {
    alpha: f64,
    beta: f64,
    inner: StatrsBeta,
    table: Arc<QuantileTable>,
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
        let table = Arc::new(QuantileTable::new(
            |u| inner.inverse_cdf(u),
            |x| inner.pdf(x),
        ));
        Ok(Beta {
            alpha,
            beta,
            inner,
            table,
        })
    }

    /// The beta whose quantiles at probabilities `a` and `b` are `x1` and
    /// `x2` (`0 < a < b < 1`, `0 < x1 < x2 < 1`).
    pub fn from_percentiles(a: f64, x1: f64, b: f64, x2: f64) -> Result<Self, DistError> {
        check_percentiles("beta", Range::Unit, (a, x1), (b, x2))?;
        let no_fit = |why| DistError::NoFit {
            family: "beta",
            a,
            x1,
            b,
            x2,
            why,
        };
        const OUTSIDE: &str = "it would need shapes outside 0.001 to 100000";
        let (lo, hi) = (SHAPES.0.ln(), SHAPES.1.ln());
        // 1e-14 in logs: the shapes to a few ulps of their own.
        const TOL: f64 = 1e-14;
        // P(X <= x1) − a, falling in ln α and rising in ln β.
        let below_x1 = |la: f64, lb: f64| beta_reg(la.exp(), lb.exp(), x1) - a;
        // The ln α range where some β in range puts `a` below x1: from
        // where the smallest β does to where the largest does.
        let la_min = if below_x1(lo, lo) <= 0.0 {
            lo
        } else {
            brent(|la| below_x1(la, lo), lo, hi, TOL).ok_or_else(|| no_fit(OUTSIDE))?
        };
        let la_max = if below_x1(hi, hi) >= 0.0 {
            hi
        } else {
            brent(|la| below_x1(la, hi), lo, hi, TOL).ok_or_else(|| no_fit(OUTSIDE))?
        };
        // The ln β for ln α, at the edge of the range where rounding puts
        // the root just outside (NaN if the solve fails: then no fit).
        let lb_of = |la: f64| {
            if below_x1(la, lo) >= 0.0 {
                lo
            } else if below_x1(la, hi) <= 0.0 {
                hi
            } else {
                brent(|lb| below_x1(la, lb), lo, hi, TOL).unwrap_or(f64::NAN)
            }
        };
        // P(X <= x2) − b along the curve, rising in ln α.
        let below_x2 = |la: f64| beta_reg(la.exp(), lb_of(la).exp(), x2) - b;
        if !(below_x2(la_min) <= 0.0) {
            return Err(no_fit(
                "it would need shapes below 0.001 (the values are too far apart)",
            ));
        }
        if !(below_x2(la_max) >= 0.0) {
            return Err(no_fit(
                "it would need shapes above 100000 (the values are too close together, or too close to 0 or 1)",
            ));
        }
        let la = brent(below_x2, la_min, la_max, TOL)
            .ok_or_else(|| no_fit("the solver did not converge"))?;
        let (alpha, beta) = (la.exp(), lb_of(la).exp());
        // The fit is checked, not assumed.
        let (f1, f2) = (beta_reg(alpha, beta, x1), beta_reg(alpha, beta, x2));
        if !((f1 - a).abs() < 1e-9 && (f2 - b).abs() < 1e-9) {
            return Err(no_fit("the solver did not converge"));
        }
        Self::new(alpha, beta)
    }

    /// The exact quantile (statrs), bypassing the table.
    pub fn exact_quantile(&self, u: f64) -> f64 {
        self.inner.inverse_cdf(u.clamp(0.0, 1.0))
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

    #[inline]
    fn quantile(&self, u: f64) -> f64 {
        match self.table.get(u) {
            Some(x) => x,
            None => self.exact_quantile(u),
        }
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

    /// The table against the exact inverse, on a fine grid and near the
    /// edges of the tabulated range, for the shapes scenarios use: PERT
    /// shapes (α + β = 6, from a mode at an end to the middle), beta inputs
    /// for rates (2, 18), U-shaped (0.5, 0.5), J-shaped (5, 1), uniform.
    #[test]
    fn table_matches_the_exact_inverse() {
        let shapes = [
            (1.0, 5.0),
            (2.2, 3.8),
            (3.0, 3.0),
            (3.86, 2.14),
            (5.0, 1.0),
            (2.0, 18.0),
            (0.5, 0.5),
            (1.0, 1.0),
            (20.0, 30.0),
        ];
        for (a, b) in shapes {
            let d = Beta::new(a, b).unwrap();
            let mut worst = 0.0f64;
            let n = 200_000;
            for i in 0..=n {
                let u = (i as f64 + 0.5) / (n as f64 + 1.0);
                worst = worst.max((d.quantile(u) - d.exact_quantile(u)).abs());
            }
            // The tails, where the fine grids serve, just as finely.
            for i in 0..=n {
                let v = (i as f64 + 0.5) / (n as f64 + 1.0) / 8.0;
                for u in [v, 1.0 - v] {
                    worst = worst.max((d.quantile(u) - d.exact_quantile(u)).abs());
                }
            }
            // Where one grid hands over to another.
            for k in [4.0 / 2048.0, 1.0 / 16.0, 4.0 / 2048.0 / 16.0] {
                for du in [-1e-12, 0.0, 1e-12] {
                    for u in [k + du, 1.0 - k + du] {
                        worst = worst.max((d.quantile(u) - d.exact_quantile(u)).abs());
                    }
                }
            }
            assert!(worst < 1e-9, "beta({a}, {b}): table error {worst:e}");
        }
    }

    /// The table serves all but about one draw in 500 of the shapes
    /// scenarios use (the rest take the exact inverse, 20 to 50 times
    /// slower).
    #[test]
    fn table_serves_nearly_every_draw() {
        for (a, b) in [
            (2.2, 3.8),
            (3.0, 3.0),
            (3.86, 2.14),
            (2.0, 18.0),
            (1.0, 5.0),
        ] {
            let d = Beta::new(a, b).unwrap();
            let served = crate::dist::table::tests::coverage(&d.table);
            assert!(served > 0.997, "beta({a}, {b}): {served}");
        }
    }

    /// The shapes are solved to a few ulps on statrs' incomplete beta
    /// function: the exact quantiles hit both percentiles to a few 1e-12
    /// relative (checked at 1e-9), the drawn ones to the table's 1e-9
    /// absolute (checked at 1e-6 relative, as for every family given by
    /// percentiles). The cases: a conversion rate, a tiny rate with large
    /// shapes, the uniform, a narrow interval, a J shape, a U shape, and
    /// skewed pairs.
    #[test]
    fn percentile_form_hits_its_percentiles() {
        for (a, x1, b, x2) in [
            (0.1, 0.02, 0.9, 0.05),
            (0.05, 0.001, 0.95, 0.002),
            (0.1, 0.1, 0.9, 0.9),
            (0.1, 0.45, 0.9, 0.46),
            (0.01, 0.3, 0.99, 0.99),
            (0.5, 0.5, 0.6, 0.99),
            (0.25, 0.6, 0.75, 0.8),
            (0.01, 1e-6, 0.5, 0.2),
        ] {
            let d = Beta::from_percentiles(a, x1, b, x2).unwrap();
            let rel = |x: f64, y: f64| (x / y - 1.0).abs();
            let (qa, qb) = (d.exact_quantile(a), d.exact_quantile(b));
            assert!(
                rel(qa, x1) < 1e-9 && rel(qb, x2) < 1e-9,
                "{:?}: {qa} {qb}",
                d.shapes()
            );
            assert!(rel(d.quantile(a), x1) < 1e-6 && rel(d.quantile(b), x2) < 1e-6);
        }
        // p10 = 0.1 and p90 = 0.9 are the uniform's: Beta(1, 1).
        let d = Beta::from_percentiles(0.1, 0.1, 0.9, 0.9).unwrap();
        let (al, be) = d.shapes();
        assert!(
            (al - 1.0).abs() < 1e-9 && (be - 1.0).abs() < 1e-9,
            "{al} {be}"
        );
    }

    #[test]
    fn percentile_form_rejects_what_no_beta_fits() {
        let p = Beta::from_percentiles;
        for (x1, x2) in [(0.0, 0.5), (-0.1, 0.5), (0.5, 1.0), (0.6, 0.5), (0.5, 0.5)] {
            assert!(
                matches!(p(0.1, x1, 0.9, x2), Err(DistError::PercentileValues { .. })),
                "{x1} {x2}"
            );
        }
        assert!(matches!(
            p(0.9, 0.1, 0.1, 0.2),
            Err(DistError::PercentileOrder { .. })
        ));
        // Too narrow for shapes up to 1e5.
        let e = p(0.1, 0.5, 0.9, 0.5000001).err().unwrap().to_string();
        assert!(e.contains("too close together"), "{e}");
        // Too wide for shapes down to 1e-3: 80% of the probability within
        // 1e-300 of 0 and 1.
        let e = p(0.1, 1e-300, 0.9, 1.0 - 1e-16).err().unwrap().to_string();
        assert!(e.starts_with("no beta distribution has"), "{e}");
    }

    #[test]
    fn rejects_bad_shapes() {
        assert!(Beta::new(0.0, 1.0).is_err());
        assert!(Beta::new(1.0, -2.0).is_err());
        assert!(Beta::new(f64::NAN, 1.0).is_err());
    }
}
