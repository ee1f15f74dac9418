//! Truncation: a family conditioned on `[min, max]` ([`Dist`]).
//!
//! Truncation conditions the distribution on `[min, max]` (it never clamps):
//! `x = F⁻¹(F(min) + u · (F(max) − F(min)))`. When the kept range lies in the
//! upper tail the same is done on the survival function, so a normal truncated
//! far out in its right tail keeps full precision. A discrete or empirical
//! distribution keeps the values inside `[min, max]`, with their weights.

use super::{DistError, Family, U_EXTREMES, finite};

/// A distribution conditioned on `[min, max]` (or not truncated at all).
#[derive(Debug, Clone, PartialEq)]
pub struct Dist {
    family: Family,
    /// Truncation bounds as given (infinite when absent).
    min: f64,
    max: f64,
    /// The support of the truncated distribution, which draws never leave.
    lo: f64,
    hi: f64,
    /// How the truncated quantile is computed.
    window: Window,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Window {
    /// No truncation: `quantile(u)`.
    Full,
    /// `quantile(lo + u (hi - lo))` with lo = F(min), hi = F(max).
    Lower { lo: f64, hi: f64 },
    /// `quantile_sf(slo - u (slo - shi))` with slo = S(min), shi = S(max):
    /// used when the kept range lies in the upper tail.
    Upper { slo: f64, shi: f64 },
}

impl Dist {
    /// An untruncated distribution.
    pub fn new(family: Family) -> Self {
        Self::windowed(family, f64::NEG_INFINITY, f64::INFINITY, Window::Full)
    }

    /// The distribution with these bounds and window; its support is the
    /// family's within the bounds.
    fn windowed(family: Family, min: f64, max: f64, window: Window) -> Self {
        let (lo, hi) = family.as_dyn().support();
        Dist {
            family,
            min,
            max,
            lo: lo.max(min),
            hi: hi.min(max),
            window,
        }
    }

    /// The distribution conditioned on `[min, max]`; either bound may be absent.
    pub fn truncated(
        family: Family,
        min: Option<f64>,
        max: Option<f64>,
    ) -> Result<Self, DistError> {
        if min.is_none() && max.is_none() {
            return Ok(Self::new(family));
        }
        if let Some(m) = min {
            finite("min", m)?;
        }
        if let Some(m) = max {
            finite("max", m)?;
        }
        let lo_x = min.unwrap_or(f64::NEG_INFINITY);
        let hi_x = max.unwrap_or(f64::INFINITY);
        if !(lo_x <= hi_x) {
            return Err(DistError::TruncationOrder {
                min: lo_x,
                max: hi_x,
            });
        }
        let d = family.as_dyn();
        let (s_lo, s_hi) = d.support();
        let empty = || DistError::TruncationEmpty {
            min: lo_x,
            max: hi_x,
            lo: s_lo,
            hi: s_hi,
        };
        // A discrete or empirical distribution conditioned on [min, max]
        // keeps the values inside it, with their weights.
        let kept = match &family {
            Family::Discrete(d) => Some(Family::Discrete(
                d.restricted(lo_x, hi_x).ok_or_else(empty)?,
            )),
            Family::Empirical(d) => Some(Family::Empirical(
                d.restricted(lo_x, hi_x).ok_or_else(empty)?,
            )),
            _ => None,
        };
        if let Some(family) = kept {
            return Ok(Self::windowed(family, lo_x, hi_x, Window::Full));
        }
        // P(X < min) for a continuous family equals F(min).
        let f_lo = if lo_x == f64::NEG_INFINITY {
            0.0
        } else {
            d.cdf(lo_x)
        };
        let f_hi = if hi_x == f64::INFINITY {
            1.0
        } else {
            d.cdf(hi_x)
        };
        let window = if f_lo > 0.5 {
            let slo = d.sf(lo_x);
            let shi = if hi_x == f64::INFINITY {
                0.0
            } else {
                d.sf(hi_x)
            };
            if !(slo > shi) {
                return Err(empty());
            }
            Window::Upper { slo, shi }
        } else {
            if !(f_hi > f_lo) {
                return Err(empty());
            }
            Window::Lower { lo: f_lo, hi: f_hi }
        };
        Ok(Self::windowed(family, lo_x, hi_x, window))
    }

    /// The probability the truncation keeps, `None` when the distribution
    /// is not truncated by probability (untruncated, discrete, empirical).
    pub fn kept_mass(&self) -> Option<f64> {
        match self.window {
            Window::Full => None,
            Window::Lower { lo, hi } => Some(hi - lo),
            Window::Upper { slo, shi } => Some(slo - shi),
        }
    }

    pub fn family(&self) -> &Family {
        &self.family
    }

    /// Truncation bounds, `None` where absent.
    pub fn bounds(&self) -> (Option<f64>, Option<f64>) {
        let b = |x: f64| x.is_finite().then_some(x);
        (b(self.min), b(self.max))
    }

    /// The inverse CDF of the (truncated) distribution, `u` in (0, 1).
    #[inline]
    pub fn quantile(&self, u: f64) -> f64 {
        let d = self.family.as_dyn();
        let x = match self.window {
            Window::Full => d.quantile(u),
            Window::Lower { lo, hi } => match lower_p(lo, hi, u) {
                Ok(p) => d.quantile(p),
                Err(s) => d.quantile_sf(s),
            },
            Window::Upper { slo, shi } => d.quantile_sf(slo - u * (slo - shi)),
        };
        // Guards only against rounding at the window's edges.
        x.clamp(self.lo, self.hi)
    }

    /// [`Dist::quantile`] without quantile tables: the same value to the
    /// tables' accuracy, for the few quantiles validation and warnings
    /// need, so that they build no table (see `table`).
    pub fn exact_quantile(&self, u: f64) -> f64 {
        let d = self.family.as_dyn();
        let x = match self.window {
            Window::Full => d.exact_quantile(u),
            Window::Lower { lo, hi } => match lower_p(lo, hi, u) {
                Ok(p) => d.exact_quantile(p),
                Err(s) => d.exact_quantile_sf(s),
            },
            Window::Upper { slo, shi } => d.exact_quantile_sf(slo - u * (slo - shi)),
        };
        x.clamp(self.lo, self.hi)
    }

    /// The smallest and largest value a draw can take: the quantiles at
    /// [`U_EXTREMES`]. Unlike the support, it is finite for every family
    /// whose draws do not overflow.
    pub fn draw_range(&self) -> (f64, f64) {
        (
            self.exact_quantile(U_EXTREMES.0),
            self.exact_quantile(U_EXTREMES.1),
        )
    }

    /// P(X <= x) of the (truncated) distribution.
    pub fn cdf(&self, x: f64) -> f64 {
        let d = self.family.as_dyn();
        if x < self.min {
            return 0.0;
        }
        if x >= self.max {
            return 1.0;
        }
        match self.window {
            Window::Full => d.cdf(x),
            Window::Lower { lo, hi } => ((d.cdf(x) - lo) / (hi - lo)).clamp(0.0, 1.0),
            Window::Upper { slo, shi } => ((slo - d.sf(x)) / (slo - shi)).clamp(0.0, 1.0),
        }
    }

    /// Smallest and largest value the (truncated) distribution can take.
    pub fn support(&self) -> (f64, f64) {
        (self.lo, self.hi)
    }

    /// The distribution in words: `PERT(1, 2, 4) truncated to [1.5, inf]`.
    pub fn describe(&self) -> String {
        let base = self.family.describe();
        match self.bounds() {
            (None, None) => base,
            (lo, hi) => {
                let f = |b: Option<f64>, inf: &str| b.map_or(inf.to_string(), |x| x.to_string());
                format!("{base} truncated to [{}, {}]", f(lo, "-inf"), f(hi, "inf"))
            }
        }
    }
}

/// The probability `p = lo + u (hi − lo)` of the lower window, or
/// `Err(1 − p)` where `p` rounds to 1 (u within an ulp of 1 and hi = 1:
/// the quantile there would be the support's end, infinite for a normal),
/// computed as `(1 − u)(hi − lo) + (1 − hi)`, which keeps its digits.
#[inline]
fn lower_p(lo: f64, hi: f64, u: f64) -> Result<f64, f64> {
    let p = lo + u * (hi - lo);
    if p < 1.0 {
        Ok(p)
    } else {
        Err((1.0 - u) * (hi - lo) + (1.0 - hi))
    }
}

#[cfg(test)]
mod tests {
    use super::super::*;

    #[test]
    fn truncated_normal_matches_closed_form() {
        // Normal(0.1, 0.05) truncated at 0: P(X <= x | X >= 0).
        let n = Normal::new(0.1, 0.05).unwrap();
        let d = Dist::truncated(Family::Normal(n.clone()), Some(0.0), None).unwrap();
        let z = statrs::distribution::Normal::new(0.1, 0.05).unwrap();
        use statrs::distribution::ContinuousCDF;
        let p0 = z.cdf(0.0);
        for &u in &[0.01, 0.25, 0.5, 0.75, 0.99] {
            let x = d.quantile(u);
            assert!(x >= 0.0);
            let expect = z.inverse_cdf(p0 + u * (1.0 - p0));
            assert!((x - expect).abs() < 1e-9, "u={u}: {x} vs {expect}");
            assert!((d.cdf(x) - u).abs() < 1e-9);
        }
    }

    #[test]
    fn truncation_in_far_upper_tail_keeps_precision() {
        // N(0,1) conditioned on X >= 9: F(9) rounds to 1 in f64, the survival
        // form does not. The conditional median is about 9 + ln2/9.
        let d = Dist::truncated(
            Family::Normal(Normal::new(0.0, 1.0).unwrap()),
            Some(9.0),
            None,
        )
        .unwrap();
        let med = d.quantile(0.5);
        assert!(med > 9.0 && med < 9.2, "median {med}");
        assert!((med - (9.0 + std::f64::consts::LN_2 / 9.0)).abs() < 0.01);
    }

    #[test]
    fn truncation_errors() {
        let u = Family::Uniform(Uniform::new(0.0, 1.0).unwrap());
        assert!(matches!(
            Dist::truncated(u.clone(), Some(2.0), Some(1.0)),
            Err(DistError::TruncationOrder { .. })
        ));
        assert!(matches!(
            Dist::truncated(u.clone(), Some(2.0), Some(3.0)),
            Err(DistError::TruncationEmpty { .. })
        ));
        assert!(matches!(
            Dist::truncated(u, Some(f64::NAN), None),
            Err(DistError::NotFinite { .. })
        ));
    }

    /// Truncated below only, at a point with F(min) ≤ ½, the largest
    /// uniform a draw uses (1 − 2⁻⁵³) made lo + u (1 − lo) round to 1, and
    /// the draw was the normal's quantile at 1: infinity.
    #[test]
    fn largest_uniform_draws_a_finite_value_below_only_truncation() {
        let ln = LogNormal::from_p5_p95(1.0, 1.0027389934648432).unwrap();
        let d = Dist::truncated(Family::LogNormal(ln), Some(1.0008344010309944), None).unwrap();
        let u = 1.0 - f64::EPSILON / 2.0;
        for x in [d.quantile(u), d.exact_quantile(u), d.draw_range().1] {
            assert!(x.is_finite() && x > 1.0 && x < 1.01, "{x}");
        }
    }

    #[test]
    fn truncation_never_clamps() {
        // Clamping would put mass 0.5 at exactly 0.5; conditioning does not.
        let u = Family::Uniform(Uniform::new(0.0, 1.0).unwrap());
        let d = Dist::truncated(u, None, Some(0.5)).unwrap();
        assert!((d.quantile(0.5) - 0.25).abs() < 1e-12);
        assert!((d.quantile(0.9) - 0.45).abs() < 1e-12);
    }
}
