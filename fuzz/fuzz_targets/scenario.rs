//! Fuzz target: any bytes as a scenario file go through parsing and
//! validation; a valid scenario is simulated with a few trials and
//! summarised. Nothing may panic: every problem must be an error.
//!
//! Run it from the repository root (see docs/fuzzing.md):
//! `cargo fuzz run scenario -s none fuzz/corpus/scenario fuzz/seeds`

#![no_main]

use crm_roi::config::Scenario;
use crm_roi::engine::{Engine, Settings};
use crm_roi::results::summarize;
use crm_roi::Method;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(scenario) = Scenario::from_toml(text, Path::new("fuzz.toml")) else {
        return;
    };
    for method in [Method::MonteCarlo, Method::LatinHypercube] {
        let settings = Settings::new(48, 1, method);
        if let Ok(data) = Engine::new(&scenario, settings).run(None, &mut |_| {}) {
            let (summary, fan) = summarize(&scenario, &settings, &data);
            serde_json::to_string(&summary).expect("a summary serialises");
            let p = &summary.probabilities;
            let shares = [p.npv_positive, p.payback_within_horizon]
                .into_iter()
                .chain(p.payback_within_target);
            // The decision analyses: shares in [0, 1], median ranks in
            // [0, 100], values of information not below zero.
            let tails = &summary.tail_analysis;
            let tail_shares = [&tails.npv_negative, &tails.payback_missed]
                .into_iter()
                .flat_map(|t| {
                    std::iter::once(t.share).chain(
                        t.shocks
                            .iter()
                            .flat_map(|s| [s.strikes_in_tail, s.strikes_overall]),
                    )
                });
            let impact = summary.shock_impact.iter().map(|s| s.strikes);
            for x in shares.chain(tail_shares).chain(impact) {
                assert!((0.0..=1.0).contains(&x), "a probability of {x}");
            }
            for t in [&tails.npv_negative, &tails.payback_missed] {
                for i in &t.inputs {
                    assert!((0.0..=100.0).contains(&i.median_rank), "a rank of {}", i.median_rank);
                }
            }
            let voi = &summary.value_of_information;
            for v in voi.evpi.into_iter().chain(voi.inputs.iter().map(|i| i.evppi)) {
                assert!(v >= 0.0, "a value of information of {v}");
            }
            // Percentiles never decrease, for metrics and fan-chart months.
            let rows = summary
                .metrics
                .iter()
                .into_iter()
                .map(|(_, m)| m.percentiles.values())
                .chain(fan.iter().map(|r| r.percentiles.values()));
            for row in rows {
                let known: Vec<f64> = row.iter().flatten().copied().collect();
                assert!(
                    known.windows(2).all(|w| w[0] <= w[1]),
                    "percentiles out of order: {row:?}"
                );
            }
        }
    }
});
