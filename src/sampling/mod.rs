//! From keyed uniforms to the input values of one trial.
//!
//! Per trial and input: a uniform keyed by (seed, trial, input path) — or,
//! under Latin hypercube sampling, the input's stratum for this trial plus a
//! keyed jitter — then the Gaussian copula for correlated groups, then the
//! input's inverse CDF. Shock occurrences come from a stream keyed by
//! (seed, trial, shock path): geometric waiting times between occurrences,
//! which is exactly the month-by-month Bernoulli process of the model, drawn
//! with one draw per occurrence instead of one per month.
//!
//! Guarantee (common random numbers): for plain Monte Carlo the draw of an
//! uncorrelated input depends only on the seed, the trial index and the
//! input's path; under Latin hypercube also on the trial count; for a
//! correlated input also on the draws of its group and the correlations.

pub mod copula;
mod geometric;
pub mod keyed;
pub mod lhs;

use crate::dist::Quantity;
use crate::model::{Hits, Occurrence};
use copula::Group;
use geometric::Gaps;
use keyed::{StreamKey, open01};
use lhs::Permutation;
use rand::Rng;
use std::sync::OnceLock;

/// How the uniforms of the inputs are laid out over the trials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Method {
    #[default]
    MonteCarlo,
    LatinHypercube,
}

impl Method {
    /// The name used in scenario files, the command line and results.
    pub fn name(self) -> &'static str {
        match self {
            Method::MonteCarlo => "monte-carlo",
            Method::LatinHypercube => "latin-hypercube",
        }
    }

    pub fn from_name(s: &str) -> Option<Self> {
        match s {
            "monte-carlo" => Some(Method::MonteCarlo),
            "latin-hypercube" => Some(Method::LatinHypercube),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
struct Stream {
    quantity: Quantity,
    key: StreamKey,
    strata: Option<Permutation>,
    /// Whether the stream draws a uniform: an input with a distribution,
    /// or a fixed value in a copula group. Only a variant (`extends`) may
    /// correlate a fixed value, and `solve` pins a correlated input to one:
    /// its uniform is still drawn, so that its partners' draws stay what
    /// they were.
    drawn: bool,
}

/// Draws the per-trial inputs of a scenario.
#[derive(Debug, Clone)]
pub struct Sampler {
    n: u64,
    streams: Vec<Stream>,
    groups: Vec<Group>,
    widest_group: usize,
}

impl Sampler {
    /// `inputs` are (path, quantity) in the scenario's input order; `groups`
    /// the copula groups over those indices.
    pub fn new(
        seed: u64,
        trials: u64,
        method: Method,
        inputs: &[(&str, &Quantity)],
        groups: Vec<Group>,
    ) -> Self {
        let streams = inputs
            .iter()
            .enumerate()
            .map(|(i, (path, q))| {
                let drawn = !q.is_fixed() || groups.iter().any(|g| g.members.contains(&i));
                Stream {
                    quantity: (*q).clone(),
                    key: StreamKey::new(seed, path),
                    strata: (method == Method::LatinHypercube && drawn).then(|| {
                        Permutation::new(StreamKey::new(seed, &format!("{path}#lhs")), trials)
                    }),
                    drawn,
                }
            })
            .collect();
        let widest_group = groups.iter().map(|g| g.members.len()).max().unwrap_or(0);
        Sampler {
            n: trials,
            streams,
            groups,
            widest_group,
        }
    }

    /// Scratch the caller keeps per thread for [`Sampler::draw`].
    pub fn scratch(&self) -> DrawScratch {
        DrawScratch {
            u: vec![0.0; self.streams.len()],
            z: vec![0.0; self.widest_group],
        }
    }

    /// Fills `x` (one slot per input) with the values of `trial`.
    #[inline]
    pub fn draw(&self, trial: u64, scratch: &mut DrawScratch, x: &mut [f64]) {
        let u = &mut scratch.u;
        for (ui, s) in u.iter_mut().zip(&self.streams) {
            if !s.drawn {
                continue; // a fixed value outside any copula group
            }
            *ui = self.uniform(s, trial);
        }
        for g in &self.groups {
            g.apply(u, &mut scratch.z);
        }
        for ((xi, s), &ui) in x.iter_mut().zip(&self.streams).zip(u.iter()) {
            *xi = s.quantity.value(ui);
        }
    }

    /// The uniform of input `i` in `trial` before the copula (for tests).
    #[cfg_attr(not(feature = "internals"), allow(dead_code))]
    pub fn raw_uniform(&self, i: usize, trial: u64) -> f64 {
        self.uniform(&self.streams[i], trial)
    }

    /// A stream's uniform in `trial`: keyed, or its Latin hypercube stratum
    /// plus a keyed jitter.
    #[inline]
    fn uniform(&self, s: &Stream, trial: u64) -> f64 {
        match s.strata {
            None => s.key.uniform(trial, 0),
            Some(p) => (p.apply(trial) as f64 + s.key.uniform(trial, 1)) / self.n as f64,
        }
    }
}

/// Per-thread scratch of the sampler.
#[derive(Debug, Clone)]
pub struct DrawScratch {
    u: Vec<f64>,
    z: Vec<f64>,
}

/// The occurrences of one shock: loss, duration and cost drawn per
/// occurrence, in that order, from the shock's own stream (a shock without
/// a duration or a cost draws nothing for it, so adding a `cost` to one
/// shock changes no other shock's draws).
#[derive(Debug, Clone)]
pub struct ShockStream {
    key: StreamKey,
    draws: ShockDraws,
    /// The waiting times for the yearly probability (its bits) of the
    /// first trial drawn, set up once with their powers tabulated: those
    /// of every trial when the probability is fixed. Another probability
    /// sets up its own.
    first: OnceLock<Option<(u64, Gaps)>>,
}

/// What a shock draws per occurrence: its loss and what it hits, and,
/// when given, its duration and cost.
#[derive(Debug, Clone)]
pub struct ShockDraws {
    pub loss: Quantity,
    pub hits: Hits,
    pub duration: Option<Quantity>,
    pub cost: Option<Quantity>,
}

impl ShockStream {
    pub fn new(seed: u64, path: &str, draws: ShockDraws) -> Self {
        ShockStream {
            key: StreamKey::new(seed, path),
            draws,
            first: OnceLock::new(),
        }
    }

    /// Appends the occurrences in months 1..=months of `trial` to `out`.
    ///
    /// Each month the shock occurs with probability
    /// p_m = 1 − (1 − p_year)^(1/12), independently; the gaps between
    /// occurrences are therefore geometric, which is how they are drawn.
    pub fn occurrences(
        &self,
        shock: usize,
        trial: u64,
        p_year: f64,
        months: usize,
        out: &mut Vec<Occurrence>,
    ) {
        if !(p_year > 0.0) {
            return;
        }
        let set_up = |tabulate: bool| {
            let p_month = monthly_probability(p_year);
            if tabulate {
                Gaps::with_powers(p_month)
            } else {
                Gaps::new(p_month)
            }
        };
        let first = self
            .first
            .get_or_init(|| set_up(true).map(|g| (p_year.to_bits(), g)));
        let other;
        let gap = match first {
            Some((bits, g)) if *bits == p_year.to_bits() => g,
            _ => match set_up(false) {
                Some(g) => {
                    other = g;
                    &other
                }
                None => return,
            },
        };
        let mut rng = self.key.rng(trial);
        let mut month = 0u64;
        loop {
            // Failures before the next success, then the success itself,
            // unless the next occurrence is sure to fall beyond the horizon
            // (`month` <= `months` here).
            let Some(failures) = gap.sample_below(&mut rng, months as u64 - month) else {
                return;
            };
            month = month.saturating_add(failures).saturating_add(1);
            if month > months as u64 {
                return;
            }
            let draws = &self.draws;
            let loss = draws.loss.value(open01(rng.next_u64()));
            let duration = draws
                .duration
                .as_ref()
                .map(|d| (d.value(open01(rng.next_u64())).round().max(1.0)) as usize);
            let cost = draws
                .cost
                .as_ref()
                .map_or(0.0, |c| c.value(open01(rng.next_u64())));
            out.push(Occurrence {
                shock,
                month: month as usize,
                loss,
                duration,
                hits: draws.hits,
                cost,
            });
        }
    }
}

/// p_m = 1 − (1 − p)^(1/12), computed without cancellation.
pub fn monthly_probability(p_year: f64) -> f64 {
    if p_year >= 1.0 {
        1.0
    } else {
        -((-p_year).ln_1p() / 12.0).exp_m1()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dist::{Dist, Family, Uniform};

    fn q_uniform() -> Quantity {
        Quantity::Random(Dist::new(Family::Uniform(Uniform::new(0.0, 1.0).unwrap())))
    }

    #[test]
    fn monthly_probability_compounds_to_yearly() {
        for p in [0.0, 0.05, 0.5, 0.99] {
            let pm = monthly_probability(p);
            assert!((1.0 - (1.0 - pm).powi(12) - p).abs() < 1e-12);
        }
        assert_eq!(monthly_probability(1.0), 1.0);
    }

    #[test]
    fn lhs_fills_every_stratum_once() {
        let q = q_uniform();
        let n = 997u64;
        let s = Sampler::new(
            3,
            n,
            Method::LatinHypercube,
            &[("a", &q), ("b", &q)],
            vec![],
        );
        for i in 0..2 {
            let mut hit = vec![0u32; n as usize];
            for t in 0..n {
                let u = s.raw_uniform(i, t);
                hit[(u * n as f64) as usize] += 1;
            }
            assert!(hit.iter().all(|&h| h == 1), "input {i}");
        }
    }

    #[test]
    fn draws_do_not_depend_on_input_order_or_neighbours() {
        let q = q_uniform();
        let a = Sampler::new(5, 100, Method::MonteCarlo, &[("x", &q), ("y", &q)], vec![]);
        let b = Sampler::new(
            5,
            100,
            Method::MonteCarlo,
            &[("z", &q), ("y", &q), ("x", &q)],
            vec![],
        );
        let (mut sa, mut sb) = (a.scratch(), b.scratch());
        let (mut xa, mut xb) = (vec![0.0; 2], vec![0.0; 3]);
        for t in 0..100 {
            a.draw(t, &mut sa, &mut xa);
            b.draw(t, &mut sb, &mut xb);
            assert_eq!(xa[0], xb[2]);
            assert_eq!(xa[1], xb[1]);
        }
    }

    /// The number of occurrences in T months is Binomial(T, p_m): check its
    /// mean within 5 standard errors.
    #[test]
    fn shock_occurrence_rate() {
        let draws = ShockDraws {
            loss: Quantity::Fixed(0.1),
            hits: Hits::Revenue,
            duration: None,
            cost: None,
        };
        let s = ShockStream::new(1, "shocks.R", draws);
        let (trials, months, p) = (50_000u64, 60usize, 0.3);
        let pm = monthly_probability(p);
        let mut out = Vec::new();
        let mut total = 0usize;
        for t in 0..trials {
            out.clear();
            s.occurrences(0, t, p, months, &mut out);
            assert!(out.iter().all(|o| o.month >= 1 && o.month <= months));
            assert!(out.windows(2).all(|w| w[0].month < w[1].month));
            total += out.len();
        }
        let mean = total as f64 / trials as f64;
        let expect = months as f64 * pm;
        let se = (months as f64 * pm * (1.0 - pm) / trials as f64).sqrt();
        assert!((mean - expect).abs() < 5.0 * se, "{mean} vs {expect}");
    }
}
