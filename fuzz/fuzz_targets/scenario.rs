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
use crm_roi::sampling::Method;
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
        let settings = Settings {
            trials: 48,
            seed: 1,
            method,
        };
        if let Ok(data) = Engine::new(&scenario, settings).run(None, &mut |_| {}) {
            let (summary, fan) = summarize(&scenario, &settings, &data);
            serde_json::to_string(&summary).expect("a summary serialises");
            let p = &summary.probabilities;
            for x in [p.npv_positive, p.payback_within_target, p.payback_within_horizon] {
                assert!((0.0..=1.0).contains(&x), "a probability of {x}");
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
