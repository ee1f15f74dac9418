//! Quantities and their probability distributions.
//!
//! Every numeric assumption of a scenario is a [`Quantity`]: a fixed number or
//! a distribution, optionally truncated to `[min, max]`. The simulator samples
//! every distribution by its **inverse CDF** (quantile function) from one
//! uniform number, because the same uniform then serves plain Monte Carlo,
//! Latin hypercube strata and the Gaussian copula alike, and because keying
//! one uniform per input and trial gives common random numbers across
//! scenarios (see `sampling`).
//!
//! Truncation conditions the distribution on `[min, max]` (it never clamps):
//! `x = F⁻¹(F(min) + u · (F(max) − F(min)))`. When the kept range lies in the
//! upper tail the same is done on the survival function, so a normal truncated
//! far out in its right tail keeps full precision.
//!
//! One family per file, each with a validating constructor in the style of
//! `rand_distr` (the checks are written so that NaN fails them too).

mod beta;
mod discrete;
pub mod empirical;
#[cfg(test)]
mod extremes;
mod gamma;
mod lognormal;
pub mod normal;
mod pert;
mod solve;
mod table;
mod triangular;
mod uniform;
mod weibull;

pub use beta::Beta;
pub use discrete::Discrete;
pub use empirical::Empirical;
pub use gamma::Gamma;
pub use lognormal::LogNormal;
pub use normal::Normal;
pub use pert::Pert;
pub use triangular::Triangular;
pub use uniform::Uniform;
pub use weibull::Weibull;

use crate::format::{exact, number};
use thiserror::Error;

/// Why a distribution's parameters are rejected. Each variant is one broken rule.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum DistError {
    #[error("{what} must be a finite number (got {got})")]
    NotFinite { what: &'static str, got: f64 },
    #[error(
        "uniform needs min < max (got {}, {}); for a fixed value write the number",
        exact(*.min),
        exact(*.max)
    )]
    UniformBounds { min: f64, max: f64 },
    #[error(
        "{family} needs min <= mode <= max with min < max (got {}, {}, {})",
        exact(*.min),
        exact(*.mode),
        exact(*.max)
    )]
    ModeBounds {
        family: &'static str,
        min: f64,
        mode: f64,
        max: f64,
    },
    #[error(
        "{family} needs max - min to be at most 1e150 (got min = {}, max = {})",
        exact(*.min),
        exact(*.max)
    )]
    TooWide {
        family: &'static str,
        min: f64,
        max: f64,
    },
    #[error(
        "{family} is too narrow to draw from: its spread is below the precision of a double at its median"
    )]
    TooNarrow { family: &'static str },
    #[error("sd must be > 0 (got {})", exact(*.0))]
    Sd(f64),
    #[error("lognormal needs mean > 0 (got {})", exact(*.0))]
    LogNormalMean(f64),
    #[error(
        "beta needs alpha and beta from 0.001 to 100000 (got alpha = {}, beta = {})",
        exact(*.alpha),
        exact(*.beta)
    )]
    BetaShape { alpha: f64, beta: f64 },
    #[error(
        "{family} needs shape > 0 and scale > 0 (got shape = {}, scale = {})",
        exact(*.shape),
        exact(*.scale)
    )]
    ShapeScale {
        family: &'static str,
        shape: f64,
        scale: f64,
    },
    #[error(
        "gamma needs a shape from 0.01 to 10000 (got {}); below 0.01 nearly all its values are too small for a double, above 10000 it is a normal for any practical purpose",
        exact(*.0)
    )]
    GammaShapeLimit(f64),
    #[error(
        "percentiles must lie strictly between p0 and p100, the lower one first (got p{} and p{})",
        pct(*.a),
        pct(*.b)
    )]
    PercentileOrder { a: f64, b: f64 },
    #[error(
        "{family} needs {}p{} < p{}{} (got p{} = {}, p{} = {})",
        .range.below(),
        pct(*.a),
        pct(*.b),
        .range.above(),
        pct(*.a),
        exact(*.x1),
        pct(*.b),
        exact(*.x2)
    )]
    PercentileValues {
        family: &'static str,
        range: Range,
        a: f64,
        x1: f64,
        b: f64,
        x2: f64,
    },
    #[error(
        "{family} needs p{} <= mode <= p{} (got p{} = {}, mode = {}, p{} = {})",
        pct(*.a),
        pct(*.b),
        pct(*.a),
        exact(*.x1),
        exact(*.mode),
        pct(*.b),
        exact(*.x2)
    )]
    PercentileMode {
        family: &'static str,
        a: f64,
        x1: f64,
        mode: f64,
        b: f64,
        x2: f64,
    },
    #[error(
        "no {family} distribution has p{} = {} and p{} = {}: {why}",
        pct(*.a),
        exact(*.x1),
        pct(*.b),
        exact(*.x2)
    )]
    NoFit {
        family: &'static str,
        a: f64,
        x1: f64,
        b: f64,
        x2: f64,
        why: &'static str,
    },
    #[error("discrete needs as many weights as values (got {values} values, {weights} weights)")]
    DiscreteLengths { values: usize, weights: usize },
    #[error("discrete needs at least one value")]
    DiscreteEmpty,
    #[error("discrete weights must be >= 0 (got {})", exact(*.0))]
    DiscreteNegativeWeight(f64),
    #[error("discrete weights must not all be zero")]
    DiscreteZeroWeights,
    #[error("has {n} values; at least 5 are needed to resample past experience")]
    EmpiricalTooFew { n: usize },
    #[error("empirical scale must be a number > 0 (got {})", exact(*.0))]
    EmpiricalScale(f64),
    #[error(
        "truncation needs min <= max (got min = {}, max = {})",
        exact(*.min),
        exact(*.max)
    )]
    TruncationOrder { min: f64, max: f64 },
    #[error(
        "truncation to [{}, {}] keeps zero probability of the distribution (its support is [{}, {}])",
        exact(*.min),
        exact(*.max),
        exact(*.lo),
        exact(*.hi)
    )]
    TruncationEmpty {
        min: f64,
        max: f64,
        lo: f64,
        hi: f64,
    },
}

/// Where the values of a family given by percentiles must lie.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Range {
    /// Any real numbers.
    Real,
    /// Above 0.
    Positive,
    /// Strictly between 0 and 1.
    Unit,
}

impl Range {
    fn below(self) -> &'static str {
        match self {
            Range::Real => "",
            Range::Positive | Range::Unit => "0 < ",
        }
    }

    fn above(self) -> &'static str {
        match self {
            Range::Real | Range::Positive => "",
            Range::Unit => " < 1",
        }
    }
}

/// The widest range (max − min) of uniform, triangular and PERT: their
/// quantiles multiply two ranges, which must not overflow.
pub(crate) const WIDEST: f64 = 1e150;

/// Checks `min < max` is not wider than [`WIDEST`].
pub(crate) fn check_width(family: &'static str, min: f64, max: f64) -> Result<(), DistError> {
    if max - min <= WIDEST {
        Ok(())
    } else {
        Err(DistError::TooWide { family, min, max })
    }
}

/// A probability as a percentile number: 0.9 → "90", 0.025 → "2.5".
fn pct(p: f64) -> String {
    number(100.0 * p)
}

/// The rules every percentile form shares: probabilities `0 < a < b < 1`
/// and finite values `x1 < x2` inside `range`.
pub(crate) fn check_percentiles(
    family: &'static str,
    range: Range,
    (a, x1): (f64, f64),
    (b, x2): (f64, f64),
) -> Result<(), DistError> {
    if !(a > 0.0 && a < b && b < 1.0) {
        return Err(DistError::PercentileOrder { a, b });
    }
    let inside = match range {
        Range::Real => x1.is_finite() && x2.is_finite(),
        Range::Positive => x1 > 0.0 && x2.is_finite(),
        Range::Unit => x1 > 0.0 && x2 < 1.0,
    };
    if !(inside && x1 < x2) {
        return Err(DistError::PercentileValues {
            family,
            range,
            a,
            x1,
            b,
            x2,
        });
    }
    Ok(())
}

/// The rules of a percentile form with a mode (triangular, PERT): those of
/// [`check_percentiles`], and a finite mode between the two values.
pub(crate) fn check_percentiles_and_mode(
    family: &'static str,
    (a, x1): (f64, f64),
    mode: f64,
    (b, x2): (f64, f64),
) -> Result<(), DistError> {
    check_percentiles(family, Range::Real, (a, x1), (b, x2))?;
    finite("mode", mode)?;
    if !(x1 <= mode && mode <= x2) {
        return Err(DistError::PercentileMode {
            family,
            a,
            x1,
            mode,
            b,
            x2,
        });
    }
    Ok(())
}

/// Checks that a parameter is finite, naming it in the error.
pub(crate) fn finite(what: &'static str, x: f64) -> Result<f64, DistError> {
    if x.is_finite() {
        Ok(x)
    } else {
        Err(DistError::NotFinite { what, got: x })
    }
}

/// What every family offers: distribution function, quantile function and
/// moments. `quantile` takes `u` in the open interval (0, 1).
pub trait Univariate {
    /// P(X <= x).
    fn cdf(&self, x: f64) -> f64;
    /// P(X > x). Families override it where `1 - cdf` loses precision.
    fn sf(&self, x: f64) -> f64 {
        1.0 - self.cdf(x)
    }
    /// The smallest x with P(X <= x) >= u.
    fn quantile(&self, u: f64) -> f64;
    /// The x with P(X > x) = s; families override it where `quantile(1 - s)`
    /// loses precision.
    fn quantile_sf(&self, s: f64) -> f64 {
        self.quantile(1.0 - s)
    }
    /// `quantile` without a quantile table (families with one override
    /// it), for the few quantiles validation needs: no table is built.
    fn exact_quantile(&self, u: f64) -> f64 {
        self.quantile(u)
    }
    /// Builds the family's quantile table, if it has one.
    fn prepare(&self) {}
    /// `quantile_sf` without a quantile table.
    fn exact_quantile_sf(&self, s: f64) -> f64 {
        self.quantile_sf(s)
    }
    /// Smallest and largest possible value (may be infinite).
    fn support(&self) -> (f64, f64);
    // For the tests (the closed forms they check draws against).
    #[cfg_attr(not(feature = "internals"), allow(dead_code))]
    fn mean(&self) -> f64;
    #[cfg_attr(not(feature = "internals"), allow(dead_code))]
    fn variance(&self) -> f64;
}

/// One of the families a scenario may name.
#[derive(Debug, Clone, PartialEq)]
pub enum Family {
    Uniform(Uniform),
    Triangular(Triangular),
    Pert(Pert),
    Normal(Normal),
    LogNormal(LogNormal),
    Beta(Beta),
    Gamma(Gamma),
    Weibull(Weibull),
    Discrete(Discrete),
    Empirical(Empirical),
}

impl Family {
    fn as_dyn(&self) -> &dyn Univariate {
        match self {
            Family::Uniform(d) => d,
            Family::Triangular(d) => d,
            Family::Pert(d) => d,
            Family::Normal(d) => d,
            Family::LogNormal(d) => d,
            Family::Beta(d) => d,
            Family::Gamma(d) => d,
            Family::Weibull(d) => d,
            Family::Discrete(d) => d,
            Family::Empirical(d) => d,
        }
    }

    /// The family in words, for reports: `PERT(60000, 90000, 160000)`.
    pub fn describe(&self) -> String {
        let g = number;
        match self {
            Family::Uniform(d) => format!("uniform({}, {})", g(d.min()), g(d.max())),
            Family::Triangular(d) => {
                let (a, m, b) = d.params();
                format!("triangular({}, {}, {})", g(a), g(m), g(b))
            }
            Family::Pert(d) => {
                let (a, m, b) = d.params();
                format!("PERT({}, {}, {})", g(a), g(m), g(b))
            }
            Family::Normal(d) => format!("normal(mean {}, sd {})", g(d.mu()), g(d.sigma())),
            Family::LogNormal(d) => format!(
                "lognormal(p5 {}, p95 {})",
                g(d.quantile(0.05)),
                g(d.quantile(0.95))
            ),
            Family::Beta(d) => {
                let (a, b) = d.shapes();
                format!("beta(alpha {}, beta {})", g(a), g(b))
            }
            Family::Gamma(d) => {
                let (k, theta) = d.params();
                format!("gamma(shape {}, scale {})", g(k), g(theta))
            }
            Family::Weibull(d) => {
                let (k, lambda) = d.params();
                format!("Weibull(shape {}, scale {})", g(k), g(lambda))
            }
            Family::Discrete(d) => format!("discrete({} values)", d.values().len()),
            Family::Empirical(d) => {
                let scale = if d.scale() == 1.0 {
                    String::new()
                } else {
                    format!(", scaled by {}", g(d.scale()))
                };
                format!(
                    "empirical({}, {} values{scale})",
                    d.source(),
                    d.values().len()
                )
            }
        }
    }
}

/// The most extreme uniforms a quantile is ever asked for: the Gaussian
/// copula keeps u within [`f64::MIN_POSITIVE`, 1 − ε/2] (see
/// `sampling::copula`), and the other uniforms lie within [2⁻⁵³, 1 − 2⁻⁵³].
pub(crate) const U_EXTREMES: (f64, f64) = (f64::MIN_POSITIVE, 1.0 - f64::EPSILON / 2.0);

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
        Dist {
            family,
            min: f64::NEG_INFINITY,
            max: f64::INFINITY,
            lo: f64::NEG_INFINITY,
            hi: f64::INFINITY,
            window: Window::Full,
        }
        .with_support()
    }

    /// Sets the support of the truncated distribution from the family's
    /// and the bounds.
    fn with_support(mut self) -> Self {
        let (lo, hi) = self.family.as_dyn().support();
        (self.lo, self.hi) = (lo.max(self.min), hi.min(self.max));
        self
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
            return Ok(Dist {
                family,
                min: lo_x,
                max: hi_x,
                lo: lo_x,
                hi: hi_x,
                window: Window::Full,
            }
            .with_support());
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
        Ok(Dist {
            family,
            min: lo_x,
            max: hi_x,
            lo: lo_x,
            hi: hi_x,
            window,
        }
        .with_support())
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
            Window::Lower { lo, hi } => d.quantile(lo + u * (hi - lo)),
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
            Window::Lower { lo, hi } => d.exact_quantile(lo + u * (hi - lo)),
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

/// A numeric input: a fixed value or a distribution.
#[derive(Debug, Clone, PartialEq)]
pub enum Quantity {
    Fixed(f64),
    Random(Dist),
}

impl Quantity {
    /// The value for uniform `u` (ignored for a fixed value).
    #[inline]
    pub fn value(&self, u: f64) -> f64 {
        match self {
            Quantity::Fixed(x) => *x,
            Quantity::Random(d) => d.quantile(u),
        }
    }

    /// Builds the quantile table a draw would build (see `table`), so
    /// that a run can build them all at once, in parallel.
    pub fn prepare(&self) {
        if let Quantity::Random(d) = self {
            d.family.as_dyn().prepare();
        }
    }

    pub fn is_fixed(&self) -> bool {
        matches!(self, Quantity::Fixed(_))
    }

    /// Smallest and largest possible value.
    pub fn support(&self) -> (f64, f64) {
        match self {
            Quantity::Fixed(x) => (*x, *x),
            Quantity::Random(d) => d.support(),
        }
    }

    /// The quantity in words, for reports and the key-assumptions table.
    pub fn describe(&self) -> String {
        match self {
            Quantity::Fixed(x) => format!("fixed {}", exact(*x)),
            Quantity::Random(d) => d.describe(),
        }
    }
}

#[cfg(test)]
pub(crate) mod testutil {
    //! Shared checks for the per-family tests.
    use super::Univariate;

    /// Mean and variance by numerical integration of the quantile function
    /// (midpoint rule on a fine grid), to test `mean`/`variance` and
    /// `quantile` against each other.
    pub fn moments_by_quantile(d: &dyn Univariate, n: usize) -> (f64, f64) {
        let xs: Vec<f64> = (0..n)
            .map(|i| d.quantile((i as f64 + 0.5) / n as f64))
            .collect();
        let m = xs.iter().sum::<f64>() / n as f64;
        let v = xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / n as f64;
        (m, v)
    }

    /// quantile(cdf(x)) == x and cdf(quantile(u)) == u on a grid.
    pub fn assert_inverse(d: &dyn Univariate, tol: f64) {
        for i in 1..100 {
            let u = i as f64 / 100.0;
            let x = d.quantile(u);
            let back = d.cdf(x);
            assert!((back - u).abs() < tol, "cdf(quantile({u})) = {back}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn descriptions_read_well() {
        let ln = Family::LogNormal(LogNormal::from_p5_p95(15000.0, 60000.0).unwrap());
        assert_eq!(Dist::new(ln).describe(), "lognormal(p5 15000, p95 60000)");
        let g = Family::Gamma(Gamma::new(2.0, 1500.0).unwrap());
        assert_eq!(g.describe(), "gamma(shape 2, scale 1500)");
        let w = Family::Weibull(Weibull::new(1.5, 12.0).unwrap());
        assert_eq!(w.describe(), "Weibull(shape 1.5, scale 12)");
        // Given by percentiles, a family reads as its resulting parameters.
        let p = Family::Pert(Pert::from_percentiles(0.1, 80.0, 100.0, 0.9, 160.0).unwrap());
        assert_eq!(p.describe(), "PERT(63.7118, 100, 238.304)");
        let n = Family::Normal(Normal::from_percentiles(0.1, 80.0, 0.9, 160.0).unwrap());
        assert_eq!(n.describe(), "normal(mean 120, sd 31.2122)");
        let ln = Family::LogNormal(LogNormal::from_percentiles(0.1, 80.0, 0.9, 160.0).unwrap());
        assert_eq!(ln.describe(), "lognormal(p5 72.5139, p95 176.518)");
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
