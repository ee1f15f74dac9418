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
//! One family per file, each with a validating constructor in the style of
//! `rand_distr` (the checks are written so that NaN fails them too); their
//! errors and shared checks are in `error.rs`, truncation to `[min, max]`
//! ([`Dist`]) in `truncate.rs`. This file holds what they share: the
//! [`Univariate`] trait (distribution and quantile functions), the
//! [`Continuous`] trait (densities, through which `fit` fits the families
//! to data), the [`Family`] enum that dispatches to them, and [`Quantity`].

mod beta;
#[cfg(test)]
mod density_tests;
mod discrete;
pub mod empirical;
mod error;
#[cfg(test)]
mod extremes;
mod gamma;
mod lognormal;
pub mod normal;
mod pert;
mod solve;
mod table;
mod triangular;
mod truncate;
mod uniform;
mod weibull;
pub mod write;

pub use beta::Beta;
pub use discrete::Discrete;
pub use empirical::Empirical;
pub use error::{DistError, Range};
pub(crate) use error::{check_percentiles, check_percentiles_and_mode, check_width, finite};
pub use gamma::Gamma;
pub use lognormal::{LogNormal, Z95};
pub use normal::Normal;
pub use pert::Pert;
pub use triangular::Triangular;
pub use truncate::Dist;
pub use uniform::Uniform;
pub use weibull::Weibull;

use crate::format::{exact, number};

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

/// What every continuous family offers besides [`Univariate`]: its
/// density, for fitting families to data by maximum likelihood (see
/// `fit`). `ln_pdf` is −∞ outside the support and +∞ where the density
/// has a pole (a gamma, Weibull or beta of shape below 1 at its bound).
pub trait Continuous: Univariate {
    /// ln f(x), the log-density at `x`.
    fn ln_pdf(&self, x: f64) -> f64;
    /// f(x), the density at `x`.
    fn pdf(&self, x: f64) -> f64 {
        self.ln_pdf(x).exp()
    }
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

    /// The family's density, `None` for discrete and empirical.
    pub fn as_continuous(&self) -> Option<&dyn Continuous> {
        Some(match self {
            Family::Uniform(d) => d,
            Family::Triangular(d) => d,
            Family::Pert(d) => d,
            Family::Normal(d) => d,
            Family::LogNormal(d) => d,
            Family::Beta(d) => d,
            Family::Gamma(d) => d,
            Family::Weibull(d) => d,
            Family::Discrete(_) | Family::Empirical(_) => return None,
        })
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
            d.family().as_dyn().prepare();
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
}
