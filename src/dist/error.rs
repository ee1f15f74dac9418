//! Why a distribution's parameters are rejected ([`DistError`], one variant
//! per broken rule), and the checks the families share to find out: finite
//! parameters, ranges not too wide to multiply, and the rules of the
//! percentile forms. Each check is written so that NaN fails it too
//! (`if !(min < max)`, as in `rand_distr`).

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
    #[error("has {n} value{}; at least 5 are needed to resample past experience", if *n == 1 { "" } else { "s" })]
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
const WIDEST: f64 = 1e150;

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
