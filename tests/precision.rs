//! Command-line tests of `--precision REL` ("knowing when to stop"): rounds
//! of 10,000, 20,000, 40,000, ... trials until the 95% intervals of mean NPV
//! and median payback are within ±REL (relative) and that of P(payback
//! within target) within ±0.005 (absolute), with the trial count as a
//! ceiling. Checked on the example scenario: where it stops and what
//! `summary.json` and the printed summary say, that the stop is the first
//! round that meets the targets, determinism across runs and thread counts,
//! the ceiling, `batch`, and the rejection of invalid values (exit code 2).
//!
//! Every test works in its own temporary directory and writes its results to
//! `<tempdir>/out`.

mod common;

use common::{
    EXAMPLE, Sandbox, assert_no_hidden, assert_same, read_json, snapshot, stderr_of, stdout_of,
};
use serde_json::Value;
use std::fs;

/// The first round's trials; each later round doubles, up to the ceiling.
const FIRST_ROUND: u64 = 10_000;

/// A sandbox holding the example scenario as `midsize-b2b.toml`.
fn sandbox() -> Sandbox {
    let sb = Sandbox::new();
    sb.write("midsize-b2b.toml", EXAMPLE);
    sb
}

/// The summary.json of the example in `sb`'s output directory.
fn summary(sb: &Sandbox) -> Value {
    read_json(&sb.out().join("midsize-b2b/summary.json"))
}

fn number(v: &Value, what: &str) -> f64 {
    v.as_f64()
        .unwrap_or_else(|| panic!("{what} is not a number: {v}"))
}

/// The trials of round `r` (1-based) below a ceiling.
fn round_trials(r: u64, ceiling: u64) -> u64 {
    (FIRST_ROUND << (r - 1)).min(ceiling)
}

#[test]
fn stops_at_the_first_round_that_is_precise_enough() {
    let sb = sandbox();
    let ceiling = 400_000;
    let a = sb
        .run(&[
            "midsize-b2b.toml",
            "--precision",
            "0.01",
            "--trials",
            &ceiling.to_string(),
            "--no-charts",
        ])
        .assert()
        .success();
    let s = summary(&sb);
    let st = &s["stopping"];
    assert_eq!(st["target_precision"], 0.01);
    assert_eq!(st["reached"], true, "{st}");
    let trials = s["trials"].as_u64().unwrap();
    let rounds = st["rounds"].as_u64().unwrap();
    assert!(rounds >= 1);
    assert_eq!(trials, round_trials(rounds, ceiling), "{st}");
    assert!(trials < ceiling, "stopped at the ceiling: {st}");

    // The achieved half-widths are within the targets and agree with the
    // precision block.
    let npv = number(&st["npv_mean_relative"], "npv_mean_relative");
    let payback = number(&st["payback_median_relative"], "payback_median_relative");
    let prob = number(
        &st["payback_within_target_absolute"],
        "payback_within_target_absolute",
    );
    assert!(npv > 0.0 && npv <= 0.01, "{st}");
    assert!(payback > 0.0 && payback <= 0.01, "{st}");
    assert!(prob > 0.0 && prob <= 0.005, "{st}");
    let p = &s["precision"];
    let se = number(&p["npv_mean_se"], "npv_mean_se");
    let mean = number(&s["metrics"]["npv"]["mean"], "mean NPV");
    assert!((npv - 1.96 * se / mean.abs()).abs() < 1e-12 * npv.max(1.0));
    let ci = &p["payback_median_ci95"];
    let median = number(&s["metrics"]["payback_years"]["p50"], "median payback");
    let half = (number(&ci[1], "ci high") - number(&ci[0], "ci low")) / 2.0;
    assert!((payback - half / median).abs() < 1e-12);
    let w = &p["payback_within_target_ci95"];
    let half = (number(&w[1], "wilson high") - number(&w[0], "wilson low")) / 2.0;
    assert!((prob - half).abs() < 1e-12);

    // The printed summary says so.
    let out = stdout_of(&a);
    let trials_text = format!("{},{:03}", trials / 1000, trials % 1000);
    let rounds_text = if rounds == 1 {
        "1 round".to_string()
    } else {
        format!("{rounds} rounds")
    };
    assert!(
        out.contains(&format!(
            "stopped after {trials_text} trials ({rounds_text}): precision 1% reached"
        )),
        "{out}"
    );
    assert_no_hidden(&sb.out());

    // The round before would not have been enough: with it as the ceiling
    // the targets are not reached.
    if rounds > 1 {
        let before = round_trials(rounds - 1, ceiling);
        sb.run(&[
            "midsize-b2b.toml",
            "--precision",
            "0.01",
            "--trials",
            &before.to_string(),
            "--no-charts",
            "--quiet",
        ])
        .assert()
        .success();
        let s = summary(&sb);
        assert_eq!(s["trials"].as_u64().unwrap(), before);
        assert_eq!(s["stopping"]["reached"], false, "{}", s["stopping"]);
        assert_eq!(s["stopping"]["rounds"].as_u64().unwrap(), rounds - 1);
    }
}

#[test]
fn same_command_same_bytes_whatever_the_threads() {
    let args = [
        "midsize-b2b.toml",
        "--precision",
        "0.01",
        "--trials",
        "400000",
        "--no-charts",
        "--quiet",
    ];
    let results: Vec<_> = [None, None, Some("1"), Some("2")]
        .into_iter()
        .map(|threads| {
            let sb = sandbox();
            let mut cmd = sb.run(&args);
            if let Some(t) = threads {
                cmd.env("RAYON_NUM_THREADS", t);
            }
            cmd.assert().success();
            let json = fs::read(sb.out().join("midsize-b2b/summary.json")).unwrap();
            (json, snapshot(&sb.out()))
        })
        .collect();
    assert!(String::from_utf8_lossy(&results[0].0).contains("\"stopping\""));
    assert!(
        results[0].0 == results[1].0,
        "two runs: summary.json differs"
    );
    assert!(
        results[2].0 == results[3].0,
        "1 vs 2 threads: summary.json differs"
    );
    assert!(
        results[0].0 == results[2].0,
        "default vs 1 thread: summary.json differs"
    );
    assert_same(&results[0].1, &results[1].1, "two runs");
    assert_same(&results[2].1, &results[3].1, "1 vs 2 threads");
}

#[test]
fn a_precision_too_tight_stops_at_the_ceiling() {
    let sb = sandbox();
    let a = sb
        .run(&[
            "midsize-b2b.toml",
            "--precision",
            "0.0001",
            "--trials",
            "20000",
            "--no-charts",
        ])
        .assert()
        .success();
    let s = summary(&sb);
    let st = &s["stopping"];
    assert_eq!(s["trials"], 20000);
    assert_eq!(st["reached"], false, "{st}");
    assert_eq!(st["rounds"], 2, "{st}");
    assert_eq!(st["target_precision"], 0.0001);
    assert!(number(&st["npv_mean_relative"], "npv_mean_relative") > 0.0001);
    let out = stdout_of(&a);
    assert!(
        out.contains("ceiling of 20,000 trials reached before 0.01% precision"),
        "{out}"
    );

    // A ceiling below the first round is the only round.
    sb.run(&[
        "midsize-b2b.toml",
        "--precision",
        "0.5",
        "--trials",
        "3000",
        "--no-charts",
        "--quiet",
    ])
    .assert()
    .success();
    let s = summary(&sb);
    assert_eq!(s["trials"], 3000);
    assert_eq!(s["stopping"]["rounds"], 1);
}

#[test]
fn without_the_flag_nothing_changes() {
    let sb = sandbox();
    sb.run(&["midsize-b2b.toml", "--trials", "5000", "--no-charts", "-q"])
        .assert()
        .success();
    let s = summary(&sb);
    assert_eq!(s["trials"], 5000);
    assert!(s.get("stopping").is_none(), "{}", s["stopping"]);
}

#[test]
fn batch_takes_the_flag_too() {
    let sb = Sandbox::new();
    sb.write("scen/midsize-b2b.toml", EXAMPLE);
    sb.batch(&["scen", "--precision", "0.02", "--no-charts", "--quiet"])
        .assert()
        .success();
    let s = summary(&sb);
    assert_eq!(s["stopping"]["target_precision"], 0.02);
    assert_eq!(s["stopping"]["reached"], true);
    let rounds = s["stopping"]["rounds"].as_u64().unwrap();
    assert_eq!(s["trials"].as_u64().unwrap(), round_trials(rounds, 100_000));
}

#[test]
fn invalid_precisions_are_usage_errors() {
    let sb = sandbox();
    for bad in ["0", "1.5", "abc", "1", "-0.01", "NaN"] {
        let a = sb
            .run(&["midsize-b2b.toml", "--precision", bad])
            .assert()
            .code(2);
        let err = stderr_of(&a);
        assert!(err.contains("--precision"), "{bad}: {err}");
    }
    assert!(!sb.out().exists(), "an invalid run wrote results");
}
