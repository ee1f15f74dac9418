//! The approximate paths of large runs against exact results on runs small
//! enough to hold exactly: the per-month fan-chart histograms (promised
//! within 0.5% of the p5–p95 spread, designed for 0.1%) and the metric
//! sketches used beyond the keep limit.

use crm_roi::config::Scenario;
use crm_roi::engine::{Engine, Fan, Settings};
use crm_roi::results::summarize;
use crm_roi::sampling::Method;
use crm_roi::stats::{PERCENTILES, percentile_sorted};
use std::path::Path;

fn example() -> Scenario {
    Scenario::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/midsize-b2b.toml"))
        .unwrap()
}

fn settings(trials: u64) -> Settings {
    Settings::new(trials, 11, Method::MonteCarlo)
}

#[test]
fn fan_sketch_is_within_a_tenth_of_a_percent_of_the_spread() {
    let sc = example();
    let n = 30_000u64;
    let engine = Engine::new(&sc, settings(n));
    let data = engine.run(None, &mut |_| {}).unwrap();
    let Fan::Sketch(sketches) = &data.fan else {
        panic!("30000 trials are beyond the pilot: the fan must be sketched");
    };
    // Exact monthly values from the same keyed trials, one at a time.
    let months = sc.months();
    let mut by_month = vec![Vec::with_capacity(n as usize); months + 1];
    let mut ts = engine.scratch();
    for trial in 0..n {
        engine.trial(trial, &mut ts, |t, cum| by_month[t].push(cum));
    }
    let (_, fan) = summarize(&sc, &settings(n), &data);
    let mut worst = 0.0f64;
    for (t, values) in by_month.iter_mut().enumerate() {
        values.sort_by(f64::total_cmp);
        let spread =
            percentile_sorted(values, 0.95).unwrap() - percentile_sorted(values, 0.05).unwrap();
        let mean = values.iter().sum::<f64>() / n as f64;
        assert!(
            (fan[t].mean - mean).abs() <= 1e-9 * (1.0 + mean.abs()),
            "month {t} mean"
        );
        for (k, (name, q)) in PERCENTILES.iter().enumerate() {
            let exact = percentile_sorted(values, *q).unwrap();
            let approx = fan[t].percentiles.values()[k].unwrap();
            assert_eq!(Some(approx), sketches[t].percentile(*q));
            let err = (approx - exact).abs();
            if spread > 0.0 {
                worst = worst.max(err / spread);
                assert!(
                    err <= 1e-3 * spread,
                    "month {t} {name}: {approx} vs exact {exact} (spread {spread})"
                );
            } else {
                assert_eq!(
                    approx, exact,
                    "month {t} {name}: a constant month must be exact"
                );
            }
        }
    }
    eprintln!(
        "worst fan error: {:.5}% of the p5-p95 spread",
        100.0 * worst
    );
}

#[test]
fn small_runs_have_an_exact_fan() {
    let sc = example();
    let data = Engine::new(&sc, settings(3000))
        .run(None, &mut |_| {})
        .unwrap();
    assert!(matches!(data.fan, Fan::Exact(_)));
    let (summary, _) = summarize(&sc, &settings(3000), &data);
    assert!(summary.approximation.exact_fan && summary.approximation.exact_percentiles);
}

#[test]
fn metric_sketches_beyond_the_keep_limit() {
    let sc = example();
    let n = 40_000u64;
    let exact = Engine::new(&sc, settings(n))
        .run(None, &mut |_| {})
        .unwrap();
    let approx = Engine::new(&sc, settings(n))
        .with_keep_limit(8192)
        .run(None, &mut |_| {})
        .unwrap();
    let (se, _) = summarize(&sc, &settings(n), &exact);
    let (sa, _) = summarize(&sc, &settings(n), &approx);
    assert!(se.approximation.exact_percentiles);
    assert!(!sa.approximation.exact_percentiles);
    assert_eq!(sa.approximation.sensitivity_trials, 8192);
    // Counts, means and sds do not depend on what is kept.
    assert_eq!(se.probabilities, sa.probabilities);
    for ((name, e), (_, a)) in se.metrics.iter().into_iter().zip(sa.metrics.iter()) {
        assert_eq!(e.mean, a.mean, "{name} mean");
        assert_eq!(e.sd, a.sd, "{name} sd");
        assert_eq!(e.censored_fraction, a.censored_fraction, "{name}");
        let ev = e.percentiles.values();
        let spread = ev[6].unwrap() - ev[0].unwrap();
        for (k, (p, _)) in PERCENTILES.iter().enumerate() {
            let (x, y) = (ev[k].unwrap(), a.percentiles.values()[k].unwrap());
            assert!(
                (x - y).abs() <= 1e-3 * spread,
                "{name} {p}: sketch {y} vs exact {x}"
            );
        }
    }
    // Sensitivity from 8192 of 40000 trials: the same coefficient for the
    // strongest driver within sampling error. The kept trials are a subset,
    // so the difference has SE ≈ (1 − ρ²)·√(1/8192 − 1/40000) ≈ 0.003 at
    // ρ ≈ 0.66; allow 5 SE.
    let top = &se.sensitivity[0];
    let same = sa
        .sensitivity
        .iter()
        .find(|s| s.input == top.input)
        .unwrap();
    assert!((top.spearman_npv.unwrap() - same.spearman_npv.unwrap()).abs() < 0.015);
}
