//! Fitting candidate distributions to a sample by maximum likelihood, for
//! turning past data into a scenario quantity.
//!
//! [`fit_sample`] fits each requested family by maximum likelihood (one file
//! per family says how), then ranks the fits by Akaike's information
//! criterion AIC = 2k − 2 ln L (Akaike, *A new look at the statistical model
//! identification*, IEEE TAC 19, 1974): the lowest AIC is the family the
//! data support best, with k the number of parameters as the price of
//! flexibility. Each fit also carries the Kolmogorov-Smirnov distance to
//! the data and its p-value (see `ks.rs`; the p-value is optimistic because
//! the parameters were estimated from the same data), and the quantity in
//! the scenario format's own syntax.
//!
//! A family whose support cannot hold the data is reported as excluded,
//! with the reason, never dropped silently: lognormal, gamma and Weibull
//! need every value > 0, beta every value strictly inside (0, 1). A fit
//! that fails numerically is excluded the same way.
//!
//! Fewer than [`MIN_VALUES`] values are too few to fit; fewer than
//! [`WEAK_BELOW`] fit, but the result is flagged `weak`, and
//! [`pert_suggestion`] offers the PERT a reader would write instead.
//!
//! A fit is a family of `crate::dist` (see `model.rs`): the likelihoods and
//! the distribution functions of the KS test are those the simulation
//! draws from. The triangular and PERT optimisers sum a faster form of the
//! same log-density, checked against `dist` in their tests.

mod beta;
mod gamma;
mod ks;
mod model;
mod normal;
mod optim;
mod pert;
mod special;
#[cfg(test)]
mod testing;
#[cfg(test)]
mod tests;
mod triangular;
mod uniform;
mod weibull;

use crate::dist::write::{RawFamily, RawQuantity, round_until, write_quantity};
use model::Model;
use serde::{Serialize, Serializer};
use thiserror::Error;

/// Fewer values than this are an error.
pub const MIN_VALUES: usize = 5;
/// Fewer values than this give a `weak` result.
pub const WEAK_BELOW: usize = 10;

/// A family that can be fitted, named as the scenario format names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum FitFamily {
    Normal,
    LogNormal,
    Gamma,
    Weibull,
    Uniform,
    Triangular,
    Pert,
    Beta,
}

impl FitFamily {
    /// Every family, in the order of the scenario format's table.
    pub const ALL: [FitFamily; 8] = [
        FitFamily::Normal,
        FitFamily::LogNormal,
        FitFamily::Gamma,
        FitFamily::Weibull,
        FitFamily::Uniform,
        FitFamily::Triangular,
        FitFamily::Pert,
        FitFamily::Beta,
    ];

    /// The scenario format's key: `normal`, `lognormal`, `gamma`, `weibull`,
    /// `uniform`, `triangular`, `pert`, `beta`.
    pub fn name(self) -> &'static str {
        match self {
            FitFamily::Normal => "normal",
            FitFamily::LogNormal => "lognormal",
            FitFamily::Gamma => "gamma",
            FitFamily::Weibull => "weibull",
            FitFamily::Uniform => "uniform",
            FitFamily::Triangular => "triangular",
            FitFamily::Pert => "pert",
            FitFamily::Beta => "beta",
        }
    }

    /// The family of a scenario key, ignoring ASCII case.
    pub fn from_name(name: &str) -> Option<FitFamily> {
        FitFamily::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
    }

    /// Number of parameters, k in the AIC.
    pub fn parameter_count(self) -> usize {
        match self {
            FitFamily::Triangular | FitFamily::Pert => 3,
            _ => 2,
        }
    }

    /// Why the support of this family cannot hold the ascending `sorted`
    /// data, if it cannot.
    fn support_violation(self, sorted: &[f64]) -> Option<String> {
        let (lo, hi) = (sorted[0], sorted[sorted.len() - 1]);
        match self {
            FitFamily::LogNormal | FitFamily::Gamma | FitFamily::Weibull if !(lo > 0.0) => {
                Some(format!(
                    "{} needs every value > 0 (smallest: {})",
                    self.name(),
                    model::shown(lo)
                ))
            }
            FitFamily::Beta if !(lo > 0.0 && hi < 1.0) => Some(format!(
                "beta needs every value strictly between 0 and 1 (values span {} to {})",
                model::shown(lo),
                model::shown(hi)
            )),
            _ => None,
        }
    }
}

impl std::fmt::Display for FitFamily {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One family fitted to the data.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Fit {
    pub family: FitFamily,
    /// The parameters under the scenario syntax's names, at full
    /// precision, in the data's unit (shapes and `alpha`/`beta` have none):
    /// `mean`, `sd` (normal); `p5`, `p95` (lognormal: its 5th and 95th
    /// percentiles); `shape`, `scale` (gamma, Weibull); `min`, `max`
    /// (uniform); `min`, `mode`, `max` (triangular, PERT); `alpha`, `beta`.
    #[serde(serialize_with = "as_map")]
    pub params: Vec<(&'static str, f64)>,
    /// ln L, the log-likelihood of the data at the estimates (densities in
    /// the data's unit⁻¹).
    pub log_likelihood: f64,
    /// Number of estimated parameters.
    pub k: usize,
    /// 2k − 2 ln L; lower is better. Only differences between fits to the
    /// same data mean anything.
    pub aic: f64,
    /// Kolmogorov-Smirnov D, the largest distance between the empirical
    /// and the fitted distribution function (0 to 1).
    pub ks_statistic: f64,
    /// P(D ≥ observed) if the data came from this very distribution.
    /// Optimistic (too large), since the parameters were fitted to the
    /// same data: small values flag a bad fit, large ones prove nothing.
    pub ks_p_value: f64,
    /// The quantity as a scenario file writes it, 4 significant digits,
    /// e.g. `{ normal = { mean = 120.5, sd = 30.2 } }`.
    pub scenario_syntax: String,
    #[serde(skip)]
    model: Model,
}

impl Fit {
    /// The fitted density at `x` (per unit of the data), e.g. to overlay on
    /// a histogram; 0 outside the support.
    pub fn pdf(&self, x: f64) -> f64 {
        self.model.pdf(x)
    }

    /// The fitted distribution function at `x`.
    pub fn cdf(&self, x: f64) -> f64 {
        self.model.cdf(x)
    }
}

fn as_map<S: Serializer>(params: &[(&'static str, f64)], s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(params.iter().map(|(k, v)| (k, v)))
}

/// A family that was not fitted, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Excluded {
    pub family: FitFamily,
    pub reason: String,
}

/// The fits of one column of data.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct ColumnFit {
    /// Number of values.
    pub n: usize,
    /// The fitted families, best (lowest AIC) first.
    pub fits: Vec<Fit>,
    /// The requested families that could not be fitted.
    pub excluded: Vec<Excluded>,
    /// Fewer than [`WEAK_BELOW`] values: any fit is a guess; prefer the
    /// empirical values or [`pert_suggestion`].
    pub weak: bool,
}

/// Why a sample cannot be fitted at all.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum FitError {
    #[error("no values")]
    Empty,
    #[error("value {index} is not a finite number ({value})")]
    NotFinite { index: usize, value: f64 },
    #[error("too few values to fit: {n}; give a PERT instead")]
    TooFew { n: usize },
    #[error("all {n} values equal {}; give a fixed number instead", model::shown(*value))]
    Constant { n: usize, value: f64 },
}

/// Fits each of `families` (duplicates ignored) to `values` by maximum
/// likelihood and ranks the fits by AIC. Errors if a value is not finite,
/// if there are fewer than [`MIN_VALUES`] values or if all are equal.
pub fn fit_sample(values: &[f64], families: &[FitFamily]) -> Result<ColumnFit, FitError> {
    let sorted = sorted_finite(values)?;
    let n = sorted.len();
    if n < MIN_VALUES {
        return Err(FitError::TooFew { n });
    }
    if sorted[0] == sorted[n - 1] {
        return Err(FitError::Constant {
            n,
            value: sorted[0],
        });
    }
    let mut fits = Vec::new();
    let mut excluded = Vec::new();
    for (i, &family) in families.iter().enumerate() {
        if families[..i].contains(&family) {
            continue;
        }
        match fit_family(family, &sorted) {
            Ok(fit) => fits.push(fit),
            Err(reason) => excluded.push(Excluded { family, reason }),
        }
    }
    fits.sort_by(|a, b| a.aic.total_cmp(&b.aic));
    Ok(ColumnFit {
        n,
        fits,
        excluded,
        weak: n < WEAK_BELOW,
    })
}

fn fit_family(family: FitFamily, sorted: &[f64]) -> Result<Fit, String> {
    if let Some(reason) = family.support_violation(sorted) {
        return Err(reason);
    }
    let model = match family {
        FitFamily::Normal => normal::fit_normal(sorted)?,
        FitFamily::LogNormal => normal::fit_lognormal(sorted)?,
        FitFamily::Gamma => gamma::fit(sorted)?,
        FitFamily::Weibull => weibull::fit(sorted)?,
        FitFamily::Uniform => uniform::fit(sorted)?,
        FitFamily::Triangular => triangular::fit(sorted)?,
        FitFamily::Pert => pert::fit(sorted)?,
        FitFamily::Beta => beta::fit(sorted)?,
    };
    let log_likelihood: f64 = sorted.iter().map(|&x| model.ln_pdf(x)).sum();
    if !log_likelihood.is_finite() {
        return Err(format!(
            "the fitted {family} gives the data a log-likelihood of {log_likelihood}"
        ));
    }
    let ks_statistic = ks::statistic(sorted, |x| model.cdf(x));
    if !(0.0..=1.0).contains(&ks_statistic) {
        return Err(format!(
            "the fitted {family} has no usable distribution function"
        ));
    }
    let params = model.params();
    if let Some((name, value)) = params.iter().find(|p| !p.1.is_finite()) {
        return Err(format!("the fitted {family} has {name} = {value}"));
    }
    let k = family.parameter_count();
    Ok(Fit {
        family,
        scenario_syntax: model.scenario_syntax(),
        params,
        log_likelihood,
        k,
        aic: 2.0 * k as f64 - 2.0 * log_likelihood,
        ks_statistic,
        ks_p_value: ks::p_value(sorted.len(), ks_statistic),
        model,
    })
}

/// The values sorted ascending, or the first that is not finite.
fn sorted_finite(values: &[f64]) -> Result<Vec<f64>, FitError> {
    if let Some((index, &value)) = values.iter().enumerate().find(|(_, x)| !x.is_finite()) {
        return Err(FitError::NotFinite { index, value });
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    Ok(sorted)
}

/// What to write instead of a fit when the data are few.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Suggestion {
    /// PERT(min, median, max) of the data.
    Pert { min: f64, mode: f64, max: f64 },
    /// All values are equal.
    Fixed(f64),
}

impl Suggestion {
    /// The quantity in scenario syntax, 4 significant digits, or more where
    /// needed to keep each number within `WRITTEN_PRECISION` of the range
    /// (and so min, mode and max apart): `{ pert = [3, 5, 9] }`; a fixed
    /// number exactly as the data hold it: `7`, `123456`.
    pub fn scenario_syntax(&self) -> String {
        let q = match *self {
            Suggestion::Pert { min, mode, max } => {
                let values = [min, mode, max];
                let close = |v: &[f64]| {
                    v.iter()
                        .zip(&values)
                        .all(|(a, b)| (a - b).abs() <= model::WRITTEN_PRECISION * (max - min))
                };
                let v = round_until(&values, 4, close);
                RawQuantity::Random {
                    family: RawFamily::Pert {
                        min: v[0],
                        mode: v[1],
                        max: v[2],
                    },
                    min: None,
                    max: None,
                }
            }
            Suggestion::Fixed(x) => RawQuantity::Fixed(x + 0.0),
        };
        write_quantity(&q)
    }
}

/// A PERT from the data's minimum, median (as mode) and maximum, or the
/// fixed number if all values are equal: a reader's estimate for samples
/// too small to fit. Needs at least one value, all finite.
pub fn pert_suggestion(values: &[f64]) -> Result<Suggestion, FitError> {
    let sorted = sorted_finite(values)?;
    let n = sorted.len();
    if n == 0 {
        return Err(FitError::Empty);
    }
    let (min, max) = (sorted[0], sorted[n - 1]);
    if min == max {
        return Ok(Suggestion::Fixed(min));
    }
    let mode = if n % 2 == 1 {
        sorted[n / 2]
    } else {
        0.5 * sorted[n / 2 - 1] + 0.5 * sorted[n / 2]
    };
    Ok(Suggestion::Pert { min, mode, max })
}
