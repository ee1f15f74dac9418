//! Knowing when to stop (`--precision REL`): the schedule of round sizes,
//! and how precise a round's estimates are against the target.
//!
//! Each round is a complete run of its size with the same seed, so the
//! result of a run to a precision is as deterministic as any other run.

use super::{Stopping, Summary};

/// Trials of the first round of a run to a precision (`--precision`).
pub const FIRST_ROUND: u64 = 10_000;
/// Target half-width of the 95% interval of P(payback within target),
/// absolute, whatever the relative precision asked for.
pub const PROBABILITY_HALF_WIDTH: f64 = 0.005;

/// Round sizes of a run to a precision: [`FIRST_ROUND`] trials (or the
/// ceiling if smaller), doubling each round, the last capped at the ceiling.
pub fn schedule(ceiling: u64) -> Vec<u64> {
    let mut n = FIRST_ROUND.min(ceiling);
    let mut rounds = vec![n];
    while n < ceiling {
        n = n.saturating_mul(2).min(ceiling);
        rounds.push(n);
    }
    rounds
}

/// How precise a round's estimates are, measured against `target` (REL).
pub fn stopping(s: &Summary, target: f64, rounds: u32) -> Stopping {
    let p = &s.precision;
    let relative = |half: f64, of: f64| {
        if half == 0.0 {
            Some(0.0)
        } else if of != 0.0 {
            Some(half / of.abs())
        } else {
            None
        }
    };
    let npv_mean_relative = match (p.npv_mean_se, s.metrics.npv.mean) {
        (Some(se), Some(mean)) => relative(1.96 * se, mean),
        _ => None,
    };
    let payback_median_relative = match (
        p.payback_median_ci95,
        s.metrics.payback_years.percentiles.p50,
    ) {
        ([Some(lo), Some(hi)], Some(median)) => relative((hi - lo) / 2.0, median),
        _ => None,
    };
    // Without a payback target there is no such probability to pin down.
    let payback_within_target_absolute =
        p.payback_within_target_ci95.map(|[lo, hi]| (hi - lo) / 2.0);
    let within = |x: Option<f64>| x.is_some_and(|v| v <= target);
    Stopping {
        target_precision: target,
        reached: within(npv_mean_relative)
            && within(payback_median_relative)
            && payback_within_target_absolute.is_none_or(|h| h <= PROBABILITY_HALF_WIDTH),
        rounds,
        npv_mean_relative,
        payback_median_relative,
        payback_within_target_absolute,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn schedule_doubles_up_to_the_ceiling() {
        assert_eq!(super::schedule(5_000), vec![5_000]);
        assert_eq!(super::schedule(10_000), vec![10_000]);
        assert_eq!(super::schedule(20_000), vec![10_000, 20_000]);
        assert_eq!(
            super::schedule(100_000),
            vec![10_000, 20_000, 40_000, 80_000, 100_000]
        );
        assert_eq!(super::schedule(1), vec![1]);
    }
}
