//! Which assumptions drive the result: Spearman rank correlation of each
//! input with NPV and with payback, and the tornado's effect in money.
//!
//! The money effect is the mean NPV of the trials where the input lies in
//! its lowest 10% against those where it lies in its highest 10%, from the
//! same trials (no extra runs), as @RISK's tornado shows it in output units.
//! Trials are ordered by the input's value, ties by trial number, so the
//! two groups have exactly ⌊n/10⌋ trials each.

use super::Sensitivity;
use crate::config::Scenario;
use crate::engine::{Metric, RunData};
use crate::stats::rank::{Ranked, average_ranks, pearson};
use rayon::prelude::*;

/// `ranked`: each kept input's draws sorted, as
/// [`analyses`](super::analyses) gives them.
pub(super) fn sensitivity(sc: &Scenario, data: &RunData, ranked: &[Ranked]) -> Vec<Sensitivity> {
    // The first trials, as many as the input draws kept.
    let m = data.kept_inputs.first().map_or(0, |(_, c)| c.len());
    let npv = &data.metric(Metric::Npv)[..m];
    let (npv_ranks, payback_ranks) = rayon::join(
        || average_ranks(npv),
        || average_ranks(&data.metric(Metric::PaybackYears)[..m]),
    );
    let mut rows: Vec<Sensitivity> = data
        .kept_inputs
        .par_iter()
        .zip(ranked)
        .map(|((i, _), r)| {
            let ranks = r.ranks();
            let (low, high) = tail_means(&r.order, npv);
            Sensitivity {
                input: sc.inputs[*i].path.clone(),
                spearman_npv: pearson(&ranks, &npv_ranks),
                spearman_payback: pearson(&ranks, &payback_ranks),
                npv_mean_low: low,
                npv_mean_high: high,
                // Filled by the value-of-information analysis (`voi`).
                contribution_to_variance: None,
            }
        })
        .collect();
    // Strongest effect on NPV first; undefined last; ties keep file order.
    rows.sort_by(|a, b| {
        let key = |s: &Sensitivity| s.spearman_npv.map_or(-1.0, f64::abs);
        key(b).total_cmp(&key(a))
    });
    rows
}

/// Mean of `y` over the first and the last 10% of the trials in `order`
/// (the trials sorted by an input's value).
fn tail_means(order: &[u32], y: &[f64]) -> (Option<f64>, Option<f64>) {
    let k = order.len() / 10;
    if k == 0 {
        return (None, None);
    }
    let mean = |idx: &[u32]| idx.iter().map(|&i| y[i as usize]).sum::<f64>() / idx.len() as f64;
    (
        Some(mean(&order[..k])),
        Some(mean(&order[order.len() - k..])),
    )
}

#[cfg(test)]
mod tests {
    use super::tail_means;

    #[test]
    fn tails_are_the_lowest_and_highest_tenth() {
        let x: Vec<f64> = (0..100).map(|i| ((i * 37) % 100) as f64).collect();
        let y: Vec<f64> = x.iter().map(|v| 2.0 * v).collect();
        let order = crate::stats::rank::order(&x);
        // x in 0..=9 → mean 4.5; x in 90..=99 → mean 94.5.
        assert_eq!(tail_means(&order, &y), (Some(9.0), Some(189.0)));
        assert_eq!(tail_means(&[0; 9], &[1.0; 9]), (None, None));
    }
}
