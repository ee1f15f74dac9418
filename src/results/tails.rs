//! What has to go wrong: which inputs and shocks set apart the futures
//! that lose money (NPV < 0) or miss the payback target, and what each
//! shock does to NPV. A scenario analysis of the tails, from the trials
//! already run (no extra runs).
//!
//! **Where an input sits in a tail.** Each analysed trial's draw of an
//! input gets its percentile rank among all m analysed trials,
//! 100 (r − ½) / m for its average rank r (ties averaged), so that the
//! ranks spread evenly over 0..100 around 50. The median of these ranks
//! over a tail's k futures says where the input sits there: 50 means "no
//! different from usual", 18 that in the typical losing future the input
//! is lower than in 82% of all futures. The median is numpy-linear, and
//! read off the input's one sort: walking the trials in the input's order,
//! the j-th tail member met has the j-th smallest rank.
//!
//! **Which inputs stand out.** Were an input unrelated to the tail, the
//! tail's futures would be a random subset of the analysed trials, and
//! their ranks a sample without replacement from an even spread over
//! 0..100. The median of k draws from the uniform distribution on (0, 1)
//! has the asymptotic variance q (1 − q) / (k f(ξ)²) of a sample quantile
//! with q = ½ and density f = 1, that is 1 / (4k); drawing without
//! replacement multiplies it by the finite-population correction
//! (m − k) / (m − 1). In percentile points the standard error is
//! se = 50 √((m − k) / ((m − 1) k)). An input stands out when its |shift|
//! exceeds both z·se and [`FLOOR`] points, where z is the two-sided
//! Bonferroni critical value that keeps at 5% the chance that anything in
//! the tail (its inputs and shocks) stands out by chance alone. The floor
//! keeps out shifts that are real but too small to describe the tail: a
//! median between the 45th and the 55th percentile. A shock's share of
//! struck futures in the tail is held to the same rules, its standard
//! error under no relation being the hypergeometric
//! √(p (1 − p) (m − k) / ((m − 1) k)) for the share p of all futures.
//!
//! **Tiny tails.** A tail (or a shock's group of futures) with fewer than
//! [`MIN_FUTURES`] futures gets counts only: too few for the normal
//! approximations above, and for a median that means anything.
//!
//! The analyses use the first trials, those whose input draws and shock
//! months the engine keeps (`approximation.sensitivity_trials`); every
//! figure is computed per input or shock in trial order, so results are
//! the same for any thread count.

use super::{ShockImpact, Tail, TailAnalysis, TailInput, TailShock, positive_zero};
use crate::config::Scenario;
use crate::engine::{Metric, RunData};
use crate::format::trim;
use crate::stats::rank::Ranked;
use crate::stats::{percentile_sorted, sort_floats};
use rayon::prelude::*;

/// Fewest futures in a tail, or in a shock's group, for anything but counts.
pub const MIN_FUTURES: u64 = 30;

/// Smallest |shift| that stands out, in percentile points (for a shock:
/// 0.05 of the share of struck futures).
pub const FLOOR: f64 = 5.0;

/// Chance that anything in a tail stands out by chance alone (family-wise,
/// Bonferroni).
const FAMILY_ERROR: f64 = 0.05;

/// The trials the analyses use: the first ones, whose draws are kept.
fn analysed(data: &RunData) -> usize {
    data.kept_inputs
        .first()
        .map(|(_, c)| c.len())
        .or_else(|| data.kept_shocks.first().map(Vec::len))
        .unwrap_or(data.kept as usize)
}

/// The two tails: which futures lose money and which miss the payback
/// target (or, without one, do not pay back within the horizon).
/// `ranked`: each kept input's draws sorted, as
/// [`analyses`](super::analyses) gives them.
pub(super) fn tail_analysis(sc: &Scenario, data: &RunData, ranked: &[Ranked]) -> TailAnalysis {
    let m = analysed(data);
    let npv = &data.metric(Metric::Npv)[..m];
    let payback = &data.metric(Metric::PaybackYears)[..m];
    let loses: Vec<bool> = npv.iter().map(|&v| v < 0.0).collect();
    // Complementary to `probabilities.payback_within_target` (payback <=
    // target; a payback beyond the horizon is +∞, never NaN).
    let (late, late_definition): (Vec<bool>, String) = match sc.target_payback_years {
        Some(t) => (
            payback.iter().map(|&p| p > t).collect(),
            format!(
                "payback later than the {}-year target, or none within the horizon",
                trim(t)
            ),
        ),
        None => (
            payback.iter().map(|p| p.is_infinite()).collect(),
            format!(
                "no payback within the {}-year horizon (the scenario states no payback target)",
                trim(data.months as f64 / 12.0)
            ),
        ),
    };
    let members = [&loses, &late];
    let counts = members.map(|t| t.iter().filter(|&&b| b).count());
    // One sort per input (shared with the other analyses), both tails
    // read off it.
    let medians: Vec<[Option<f64>; 2]> = ranked
        .par_iter()
        .map(|r| {
            debug_assert_eq!(r.order.len(), m);
            [0, 1].map(|j| median_rank(r, members[j], counts[j]))
        })
        .collect();
    let struck: Vec<(&str, Vec<bool>)> = sc
        .shocks
        .iter()
        .zip(&data.kept_shocks)
        .map(|(s, months)| {
            (
                s.name.as_str(),
                months[..m].iter().map(|x| x.is_finite()).collect(),
            )
        })
        .collect();
    let tail = |j: usize, definition: String| {
        let inputs: Vec<(&str, Option<f64>)> = data
            .kept_inputs
            .iter()
            .zip(&medians)
            .map(|((i, _), med)| (sc.inputs[*i].path.as_str(), med[j]))
            .collect();
        build_tail(definition, members[j], &inputs, &struck)
    };
    TailAnalysis {
        trials: m as u64,
        npv_negative: tail(0, "NPV < 0".to_string()),
        payback_missed: tail(1, late_definition),
    }
}

/// The numpy-linear median of the percentile ranks of the `k` members,
/// from the average ranks (1..=m) and the order of one input's draws;
/// `None` when there are no members.
fn median_rank(ranked: &Ranked, member: &[bool], k: usize) -> Option<f64> {
    if k == 0 {
        return None;
    }
    let m = ranked.order.len() as f64;
    // The (k−1)/2-th and k/2-th member in rank order (0-based; the same
    // one for odd k).
    let (lo, hi) = ((k - 1) / 2, k / 2);
    let (mut seen, mut a) = (0, f64::NAN);
    for (i, rank) in ranked.sorted_ranks() {
        if member[i] {
            if seen == lo {
                a = rank;
            }
            if seen == hi {
                return Some(100.0 * ((a + rank) / 2.0 - 0.5) / m);
            }
            seen += 1;
        }
    }
    unreachable!("k members in the order")
}

/// The two-sided Bonferroni critical value for `tests` comparisons at a
/// family-wise error of [`FAMILY_ERROR`]: P(|Z| > z) = FAMILY_ERROR / tests.
fn critical_value(tests: usize) -> f64 {
    std::f64::consts::SQRT_2 * statrs::function::erf::erfc_inv(FAMILY_ERROR / tests.max(1) as f64)
}

/// One tail from its members, the inputs' median ranks in it and each
/// shock's struck futures.
fn build_tail(
    definition: String,
    member: &[bool],
    inputs: &[(&str, Option<f64>)],
    struck: &[(&str, Vec<bool>)],
) -> Tail {
    let m = member.len();
    let k = member.iter().filter(|&&b| b).count();
    let share = if m == 0 { 0.0 } else { k as f64 / m as f64 };
    let mut tail = Tail {
        definition,
        futures: k as u64,
        share,
        threshold: None,
        inputs: Vec::new(),
        shocks: Vec::new(),
        note: None,
    };
    if (k as u64) < MIN_FUTURES {
        tail.note = Some(if k == 0 {
            "no analysed future is in this tail".to_string()
        } else {
            format!(
                "only {k} of the {m} analysed futures are in this tail: too few (fewer than {MIN_FUTURES}) to say which inputs sit unusually high or low there"
            )
        });
        return tail;
    }
    let (kf, mf) = (k as f64, m as f64);
    // Finite-population correction over the sample size: sampling k of m
    // without replacement.
    let fpc_over_k = (mf - kf) / ((mf - 1.0) * kf);
    let z = critical_value(inputs.len() + struck.len());
    let threshold = FLOOR.max(z * 50.0 * fpc_over_k.sqrt());
    tail.threshold = Some(threshold);
    tail.inputs = inputs
        .iter()
        .map(|&(path, med)| {
            let median_rank = med.expect("a median for a non-empty tail");
            let shift = median_rank - 50.0;
            TailInput {
                input: path.to_string(),
                median_rank,
                shift,
                stands_out: shift.abs() > threshold,
            }
        })
        .collect();
    // Largest |shift| first; the sort is stable, so ties keep scenario order.
    tail.inputs
        .sort_by(|a, b| b.shift.abs().total_cmp(&a.shift.abs()));
    tail.shocks = struck
        .iter()
        .map(|(name, hit)| {
            let all = hit.iter().filter(|&&b| b).count() as f64;
            let within = hit.iter().zip(member).filter(|(h, t)| **h && **t).count() as f64;
            let p = all / mf;
            let in_tail = within / kf;
            let threshold = (FLOOR / 100.0).max(z * (p * (1.0 - p) * fpc_over_k).sqrt());
            TailShock {
                shock: name.to_string(),
                strikes_in_tail: in_tail,
                strikes_overall: p,
                threshold,
                stands_out: (in_tail - p).abs() > threshold,
            }
        })
        .collect();
    tail
}

/// Per shock: the chance that it strikes within the horizon, and NPV in
/// the futures where it does against those where it does not.
pub(super) fn shock_impact(sc: &Scenario, data: &RunData) -> Vec<ShockImpact> {
    let m = analysed(data);
    let npv = &data.metric(Metric::Npv)[..m];
    sc.shocks
        .iter()
        .zip(&data.kept_shocks)
        .map(|(s, months)| {
            let (mut struck, mut spared) = (Vec::new(), Vec::new());
            for (&v, month) in npv.iter().zip(&months[..m]) {
                if month.is_finite() {
                    struck.push(v);
                } else {
                    spared.push(v);
                }
            }
            let (futures_struck, futures_spared) = (struck.len() as u64, spared.len() as u64);
            let [
                (npv_median_struck, npv_negative_struck),
                (npv_median_spared, npv_negative_spared),
            ] = [struck, spared].map(group_npv);
            ShockImpact {
                shock: s.name.clone(),
                strikes: if m == 0 {
                    0.0
                } else {
                    futures_struck as f64 / m as f64
                },
                futures_struck,
                futures_spared,
                npv_median_struck,
                npv_median_spared,
                npv_negative_struck,
                npv_negative_spared,
            }
        })
        .collect()
}

/// Median NPV and P(NPV < 0) of a group of futures; `None` for fewer than
/// [`MIN_FUTURES`]. An undefined NPV (overflow) counts in the group but
/// not in the median, as in the NPV statistics.
fn group_npv(mut v: Vec<f64>) -> (Option<f64>, Option<f64>) {
    if (v.len() as u64) < MIN_FUTURES {
        return (None, None);
    }
    let negative = v.iter().filter(|&&x| x < 0.0).count() as f64 / v.len() as f64;
    v.retain(|x| !x.is_nan());
    sort_floats(&mut v);
    (
        percentile_sorted(&v, 0.5).map(positive_zero),
        Some(negative),
    )
}

#[cfg(test)]
mod tests;
