//! A fitted distribution: a `crate::dist` family, which knows its density
//! and distribution function, with the parameters under the scenario
//! syntax's names and how a scenario file writes it.
//!
//! The structured parameters are those of the scenario syntax, so that a
//! caller can write the quantity at full precision: a lognormal is given by
//! its 5th and 95th percentiles, `exp(mu ∓ 1.6448536 sigma)` with the same
//! z as the scenario format (`docs/scenario-format.md`, "Quantities"), so
//! that the written quantity maps back to the fitted mu and sigma. The
//! syntax string rounds each number to 4 significant digits, or more where
//! 4 would make two different numbers of one quantity equal (a uniform on
//! [1000.01, 1000.02] must not become `[1000, 1000]`), and is written by
//! `dist::write`, the inverse of the scenario parser.

use crate::dist::write::{RawFamily, RawQuantity, round_until, write_number, write_quantity};
use crate::dist::{
    Beta, Continuous, DistError, Family, Gamma, LogNormal, Normal, Pert, Triangular, Uniform,
    Weibull, Z95,
};

/// One of the continuous families of `crate::dist`, fitted to data.
#[derive(Debug, Clone)]
pub(super) struct Model(Family);

/// The family's verdict on the estimates, as an exclusion reason.
fn checked<D>(family: &str, r: Result<D, DistError>) -> Result<D, String> {
    r.map_err(|e| format!("the {family} estimates are unusable: {e}"))
}

impl Model {
    pub(super) fn normal(mean: f64, sd: f64) -> Result<Self, String> {
        let d = checked("normal", Normal::new(mean, sd))?;
        Ok(Model(Family::Normal(d)))
    }

    pub(super) fn lognormal(mu: f64, sigma: f64) -> Result<Self, String> {
        let d = checked("lognormal", LogNormal::new(mu, sigma))?;
        Ok(Model(Family::LogNormal(d)))
    }

    pub(super) fn gamma(shape: f64, scale: f64) -> Result<Self, String> {
        let d = checked("gamma", Gamma::new(shape, scale))?;
        Ok(Model(Family::Gamma(d)))
    }

    pub(super) fn weibull(shape: f64, scale: f64) -> Result<Self, String> {
        let d = checked("weibull", Weibull::new(shape, scale))?;
        Ok(Model(Family::Weibull(d)))
    }

    pub(super) fn uniform(min: f64, max: f64) -> Result<Self, String> {
        let d = checked("uniform", Uniform::new(min, max))?;
        Ok(Model(Family::Uniform(d)))
    }

    /// A broken rule reads as the scenario parser's: `triangular needs
    /// min <= mode <= max with min < max (got ..)`.
    pub(super) fn triangular(min: f64, mode: f64, max: f64) -> Result<Self, String> {
        let d = Triangular::new(min, mode, max).map_err(|e| e.to_string())?;
        Ok(Model(Family::Triangular(d)))
    }

    /// As [`Model::triangular`].
    pub(super) fn pert(min: f64, mode: f64, max: f64) -> Result<Self, String> {
        let d = Pert::new(min, mode, max).map_err(|e| e.to_string())?;
        Ok(Model(Family::Pert(d)))
    }

    pub(super) fn beta(alpha: f64, beta: f64) -> Result<Self, String> {
        let d = checked("beta", Beta::new(alpha, beta))?;
        Ok(Model(Family::Beta(d)))
    }

    /// The `dist` family.
    #[cfg(test)]
    pub(super) fn dist(&self) -> &Family {
        &self.0
    }

    fn continuous(&self) -> &dyn Continuous {
        self.0
            .as_continuous()
            .expect("a fitted model is built by a continuous constructor above")
    }

    pub(super) fn pdf(&self, x: f64) -> f64 {
        self.continuous().pdf(x)
    }

    pub(super) fn ln_pdf(&self, x: f64) -> f64 {
        self.continuous().ln_pdf(x)
    }

    pub(super) fn cdf(&self, x: f64) -> f64 {
        self.continuous().cdf(x)
    }

    /// The parameters under the names of the scenario syntax.
    pub(super) fn params(&self) -> Vec<(&'static str, f64)> {
        match &self.0 {
            Family::Normal(d) => vec![("mean", d.mu()), ("sd", d.sigma())],
            Family::LogNormal(d) => {
                let (mu, sigma) = d.params();
                vec![
                    ("p5", (mu - Z95 * sigma).exp()),
                    ("p95", (mu + Z95 * sigma).exp()),
                ]
            }
            Family::Gamma(d) => {
                let (shape, scale) = d.params();
                vec![("shape", shape), ("scale", scale)]
            }
            Family::Weibull(d) => {
                let (shape, scale) = d.params();
                vec![("shape", shape), ("scale", scale)]
            }
            Family::Uniform(d) => vec![("min", d.min()), ("max", d.max())],
            Family::Triangular(d) => {
                let (min, mode, max) = d.params();
                vec![("min", min), ("mode", mode), ("max", max)]
            }
            Family::Pert(d) => {
                let (min, mode, max) = d.params();
                vec![("min", min), ("mode", mode), ("max", max)]
            }
            Family::Beta(d) => {
                let (alpha, beta) = d.shapes();
                vec![("alpha", alpha), ("beta", beta)]
            }
            Family::Discrete(_) | Family::Empirical(_) => Vec::new(),
        }
    }

    /// The model of this family with the parameters `v` (as [`Model::params`]
    /// lists them), if they make one.
    fn with_params(&self, v: &[f64]) -> Option<Model> {
        match self.0 {
            Family::Normal(_) => Model::normal(v[0], v[1]),
            Family::LogNormal(_) => {
                let (lo, hi) = (v[0].ln(), v[1].ln());
                Model::lognormal(0.5 * (lo + hi), (hi - lo) / (2.0 * Z95))
            }
            Family::Gamma(_) => Model::gamma(v[0], v[1]),
            Family::Weibull(_) => Model::weibull(v[0], v[1]),
            Family::Uniform(_) => Model::uniform(v[0], v[1]),
            Family::Triangular(_) => Model::triangular(v[0], v[1], v[2]),
            Family::Pert(_) => Model::pert(v[0], v[1], v[2]),
            Family::Beta(_) => Model::beta(v[0], v[1]),
            Family::Discrete(_) | Family::Empirical(_) => return None,
        }
        .ok()
    }

    /// Whether `other` draws as this model does, to the precision of the
    /// written line: its 5th, 50th and 95th percentiles within
    /// [`WRITTEN_PRECISION`] of this model's 5-95% spread (any, when that
    /// spread is not a finite positive number).
    fn draws_like(&self, other: &Model) -> bool {
        let q = |m: &Model, u: f64| m.continuous().quantile(u);
        let spread = q(self, 0.95) - q(self, 0.05);
        // A spread beyond the doubles (a Weibull of shape 1e-6) gives no
        // scale to judge by: the 4 digits stand.
        if !(spread.is_finite() && spread > 0.0) {
            return true;
        }
        [0.05, 0.5, 0.95]
            .iter()
            .all(|&u| (q(other, u) - q(self, u)).abs() <= WRITTEN_PRECISION * spread)
    }

    /// The quantity as a scenario file writes it, each number rounded to
    /// 4 significant digits, or more where the rounded quantity would draw
    /// otherwise (data far from zero and close together: a mean of
    /// 1000005.8 with an sd of 3.7 is not written as 1000000; see
    /// [`Model::draws_like`]) or where the first and the last number would
    /// meet (`round_until`), e.g. `{ normal = { mean = 120.5, sd = 30.2 } }`.
    pub(super) fn scenario_syntax(&self) -> String {
        let values: Vec<f64> = self.params().iter().map(|p| p.1).collect();
        let v = round_until(&values, 4, |v| {
            self.with_params(v).is_some_and(|m| self.draws_like(&m))
        });
        let family = match self.0 {
            Family::Normal(_) => RawFamily::Normal {
                mean: v[0],
                sd: v[1],
            },
            Family::LogNormal(_) => RawFamily::LogNormal {
                p5: v[0],
                p95: v[1],
            },
            Family::Gamma(_) => RawFamily::Gamma {
                shape: v[0],
                scale: v[1],
            },
            Family::Weibull(_) => RawFamily::Weibull {
                shape: v[0],
                scale: v[1],
            },
            Family::Uniform(_) => RawFamily::Uniform {
                min: v[0],
                max: v[1],
            },
            Family::Triangular(_) => RawFamily::Triangular {
                min: v[0],
                mode: v[1],
                max: v[2],
            },
            Family::Pert(_) => RawFamily::Pert {
                min: v[0],
                mode: v[1],
                max: v[2],
            },
            Family::Beta(_) => RawFamily::Beta {
                alpha: v[0],
                beta: v[1],
            },
            Family::Discrete(_) | Family::Empirical(_) => {
                unreachable!("a fitted model is built by a continuous constructor above")
            }
        };
        write_quantity(&RawQuantity::Random {
            family,
            min: None,
            max: None,
        })
    }
}

/// How far a written line's percentiles may lie from the fitted
/// distribution's, as a share of its 5-95% spread.
pub(super) const WRITTEN_PRECISION: f64 = 1e-3;

/// A number as a message shows it: as a scenario file would write it,
/// without the sign of a negative zero.
pub(super) fn shown(x: f64) -> String {
    write_number(x + 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_of_each_family() {
        let cases = [
            (
                Model::normal(120.4999, 30.2).unwrap(),
                "{ normal = { mean = 120.5, sd = 30.2 } }",
            ),
            (
                Model::gamma(2.5, 41.23456).unwrap(),
                "{ gamma = { shape = 2.5, scale = 41.23 } }",
            ),
            (
                Model::weibull(1.7, 300.0).unwrap(),
                "{ weibull = { shape = 1.7, scale = 300 } }",
            ),
            (
                Model::uniform(-3.0, 1234567.0).unwrap(),
                "{ uniform = [-3, 1235000] }",
            ),
            (
                Model::triangular(0.5, 2.0, 9.87654).unwrap(),
                "{ triangular = [0.5, 2, 9.877] }",
            ),
            (
                Model::pert(60000.0, 90000.0, 160000.0).unwrap(),
                "{ pert = [60000, 90000, 160000] }",
            ),
            // So skewed that 4 digits move its 95th percentile by more than
            // WRITTEN_PRECISION of its spread: one digit more.
            (
                Model::beta(0.01234567, 8.0).unwrap(),
                "{ beta = { alpha = 0.012346, beta = 8 } }",
            ),
            (
                Model::weibull(0.000001234567, 300.0).unwrap(),
                "{ weibull = { shape = 1.235e-6, scale = 300 } }",
            ),
        ];
        for (model, want) in cases {
            assert_eq!(model.scenario_syntax(), want);
        }
    }

    #[test]
    fn lognormal_percentiles_map_back_to_mu_and_sigma() {
        // The scenario format's rule: mu = (ln p5 + ln p95)/2,
        // sigma = (ln p95 − ln p5)/(2 · 1.6448536).
        let m = Model::lognormal(5.0, 0.4).unwrap();
        let p = m.params();
        assert_eq!((p[0].0, p[1].0), ("p5", "p95"));
        let (l, h) = (p[0].1.ln(), p[1].1.ln());
        assert!((0.5 * (l + h) - 5.0).abs() < 1e-12);
        assert!(((h - l) / (2.0 * Z95) - 0.4).abs() < 1e-12);
        // exp(5 ∓ 1.6448536 · 0.4) = 76.87…, 286.6…
        assert_eq!(
            m.scenario_syntax(),
            "{ lognormal = { p5 = 76.87, p95 = 286.6 } }"
        );
    }

    #[test]
    fn pert_density_is_the_stretched_beta() {
        // PERT(0, 2, 10): alpha = 1.8, beta = 4.2 on [0, 10]; at x = 3 the
        // density is Beta(1.8, 4.2).pdf(0.3) / 10.
        let m = Model::pert(0.0, 2.0, 10.0).unwrap();
        use statrs::distribution::{Beta, Continuous, ContinuousCDF};
        let b = Beta::new(1.8, 4.2).unwrap();
        assert!((m.pdf(3.0) - b.pdf(0.3) / 10.0).abs() < 1e-15);
        assert!((m.ln_pdf(3.0) - m.pdf(3.0).ln()).abs() < 1e-12);
        assert!((m.cdf(3.0) - b.cdf(0.3)).abs() < 1e-15);
        assert_eq!(m.pdf(-1.0), 0.0);
    }

    /// Data far from zero and close together: 4 significant digits would
    /// move the written distribution by more than its own spread (a mean
    /// of 1000005.8 with an sd of 3.7 written as 1000000), so the line
    /// takes the digits it needs, in every family.
    #[test]
    fn lines_keep_the_digits_their_spread_needs() {
        let models = [
            Model::normal(1_000_005.8, 3.69),
            Model::lognormal((1e6f64).ln(), 1e-6),
            Model::weibull(296_012.9, 1_000_007.6),
            Model::gamma(1e4, 100.0123),
            Model::uniform(999_999.586, 1_000_012.414),
            Model::triangular(1e6, 1e6 + 1.0, 1e6 + 15.124),
            Model::pert(999_998.45, 1_000_004.68, 1_000_017.07),
            Model::beta(3.0, 5.0),
        ];
        for m in models {
            let m = m.unwrap();
            let line = m.scenario_syntax();
            let q = crate::config::parse_quantity(&line, std::path::Path::new("."))
                .unwrap_or_else(|e| panic!("{line}: {e}"));
            let want = |u: f64| m.continuous().quantile(u);
            let spread = want(0.95) - want(0.05);
            for u in [0.05, 0.5, 0.95] {
                let got = q.value(u);
                assert!(
                    (got - want(u)).abs() <= WRITTEN_PRECISION * spread,
                    "{line}: percentile {u} is {got}, fitted {}",
                    want(u)
                );
            }
        }
        // Four digits where they suffice.
        assert_eq!(
            Model::normal(120.5, 30.2).unwrap().scenario_syntax(),
            "{ normal = { mean = 120.5, sd = 30.2 } }"
        );
    }
}
