//! Payback end to end, through the command line: the rule that payback is
//! the time from which the cash *stays* paid back (on the bundled phased
//! scenario), a scenario without a payback target, and ROI where the costs
//! are too small to divide by.
//!
//! The rule itself is tested month by month in `model_hand.rs`, against a
//! closed form in `statistics.rs` and on random cash flows in
//! `properties.rs`; here the files, the report and the printed summary are
//! checked to say it.

mod common;

use common::{BASE, Sandbox, csv_rows, read_json, stdout_of};
use serde_json::Value;
use std::fs;
use std::path::Path;

/// The text of the SVG chart `name` of a result directory.
fn svg(dir: &Path, name: &str) -> String {
    let text = fs::read_to_string(dir.join(format!("{name}.svg"))).unwrap();
    roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{name}.svg parses: {e}"));
    text
}

/// The bundled pilot-then-rollout scenario: a 10k pilot that pays for itself
/// within months, then a roll-out of 120k-250k in month 24. Payback must be
/// the roll-out's, after month 24, in every future; the report must say that
/// the cash was positive earlier and fell back.
#[test]
fn a_pilot_does_not_hide_the_roll_out() {
    let sb = Sandbox::new();
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/pilot-then-rollout.toml");
    let a = sb
        .run(&[
            file.to_str().unwrap(),
            "--trials",
            "4000",
            "--export-trials",
        ])
        .assert()
        .success();
    let dir = sb.out().join("pilot-then-rollout");
    let s = read_json(&dir.join("summary.json"));
    let pb = &s["metrics"]["payback_years"];
    // The roll-out is paid in month 24 and exceeds what the pilot can have
    // earned by then, so no future is paid back before 2 years.
    assert!(pb["p5"].as_f64().unwrap() > 2.0, "{pb}");
    let fell = pb["fell_back_fraction"].as_f64().unwrap();
    assert!(
        fell > 0.9,
        "the pilot pays for itself in nearly every future: {fell}"
    );
    assert!(s["metrics"]["discounted_payback_years"]["fell_back_fraction"].is_number());
    // Every trial agrees: a payback before month 24 would be the pilot's.
    let rows = csv_rows(&dir.join("trials.csv"));
    let col = rows[0].iter().position(|h| h == "payback_years").unwrap();
    for r in &rows[1..] {
        if let Ok(y) = r[col].parse::<f64>() {
            assert!(y > 2.0, "trial {}: payback {y}", r[0]);
        }
    }
    let report = fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(
        report.contains("the cumulative cash flow was positive earlier and fell back below zero"),
        "the report says the cash fell back"
    );
    let out = stdout_of(&a);
    assert!(
        out.contains("was positive earlier and fell back below zero"),
        "{out}"
    );
    assert!(!out.contains("P(payback within 3 years):  100.0%"), "{out}");
}

/// Without `target_payback_years` a scenario runs, and everything reads the
/// payback distribution itself: no target in the files, no target line in
/// the charts, the median payback and the 8-in-10 time in the headline and
/// the printed summary.
#[test]
fn a_scenario_without_a_target_reads_well() {
    let sb = Sandbox::new();
    let text = BASE.replace("target_payback_years = 3\n", "");
    assert_ne!(text, BASE);
    sb.write("free.toml", &text);
    let a = sb
        .run(&["free.toml", "--trials", "3000", "--seed", "3"])
        .assert()
        .success();
    let dir = sb.out().join("free");
    let s = read_json(&dir.join("summary.json"));
    assert_eq!(s["target_payback_years"], Value::Null);
    assert_eq!(s["probabilities"]["payback_within_target"], Value::Null);
    assert_eq!(s["precision"]["payback_within_target_ci95"], Value::Null);
    let median = s["metrics"]["payback_years"]["p50"].as_f64().unwrap();
    let eight = s["eight_in_ten"]["payback_years"].as_f64().unwrap();

    let out = stdout_of(&a);
    assert!(
        !out.contains("years):"),
        "no P(payback within N years):\n{out}"
    );
    let line =
        format!("median payback {median:.2} years; in 8 of 10 futures within {eight:.2} years");
    assert!(out.contains(&line), "`{line}` in\n{out}");

    let report = fs::read_to_string(dir.join("report.html")).unwrap();
    let lead = format!(
        "<p class=\"lead\">Median payback: {median:.1} years; in 8 of 10 futures, within {eight:.1} years.</p>"
    );
    assert!(report.contains(&lead), "{lead}");
    assert!(!report.contains("year target"), "no target in the report");
    assert!(report.contains("payback target: none"));

    for chart in ["fan_chart", "payback"] {
        let text = svg(&dir, chart);
        assert!(!text.contains("Target"), "{chart}: no target line");
        assert!(
            text.contains(&format!("Median payback: {median:.1} years")),
            "{chart}: the median payback is marked"
        );
    }
    // percentiles.csv and the rest are written as usual.
    assert!(dir.join("percentiles.csv").is_file());
}

/// A target survives in every output where it is given (the other side of
/// the test above).
#[test]
fn a_target_is_shown_where_it_is_given() {
    let sb = Sandbox::new();
    sb.write("t.toml", BASE);
    let a = sb.run(&["t.toml", "--trials", "2000"]).assert().success();
    let dir = sb.out().join("t");
    let s = read_json(&dir.join("summary.json"));
    assert_eq!(s["target_payback_years"], 3.0);
    let p = s["probabilities"]["payback_within_target"]
        .as_f64()
        .unwrap();
    assert!((0.0..=1.0).contains(&p));
    assert!(stdout_of(&a).contains("P(payback within 3 years):"));
    assert!(svg(&dir, "payback").contains("Target: 3 years"));
    assert!(
        fs::read_to_string(dir.join("report.html"))
            .unwrap()
            .contains("3-year target")
    );
}

/// Costs so small next to the benefits that ROI overflows (a subnormal
/// amount): ROI is undefined there, like with zero costs, and counted; no
/// file holds `inf`, and summary.json and percentiles.csv agree.
#[test]
fn an_overflowing_roi_is_undefined_not_infinite() {
    let sb = Sandbox::new();
    let text = BASE.replace(
        "amount = { pert = [800, 1000, 1500] }",
        "amount = { discrete = { values = [1e-310, 1000], weights = [1, 1] } }",
    );
    assert_ne!(text, BASE);
    sb.write("tiny.toml", &text);
    sb.run(&[
        "tiny.toml",
        "--trials",
        "2000",
        "--export-trials",
        "--no-charts",
    ])
    .assert()
    .success();
    let dir = sb.out().join("tiny");
    for f in ["trials.csv", "percentiles.csv", "fan.csv"] {
        for row in csv_rows(&dir.join(f)) {
            for cell in row {
                let bad = cell.parse::<f64>().is_ok_and(|v| !v.is_finite());
                assert!(!bad, "{f} holds the non-finite cell {cell}");
            }
        }
    }
    let json = fs::read_to_string(dir.join("summary.json")).unwrap();
    assert!(serde_json::from_str::<Value>(&json).is_ok());
    let s = read_json(&dir.join("summary.json"));
    let roi = &s["metrics"]["roi"];
    let undefined = roi["undefined_fraction"].as_f64().unwrap();
    // Half the trials draw the subnormal cost (±4.5 SE at n = 2000).
    assert!(
        (undefined - 0.5).abs() < 4.5 * (0.25f64 / 2000.0).sqrt(),
        "{undefined}"
    );
    assert!(roi["note"].as_str().unwrap().contains("overflows"), "{roi}");
    let rows = csv_rows(&dir.join("percentiles.csv"));
    let col = |name: &str| rows[0].iter().position(|h| h == name).unwrap();
    let row = rows.iter().find(|r| r[0] == "roi").unwrap();
    let sd: f64 = row[col("sd")].parse().unwrap();
    assert_eq!(
        sd,
        roi["sd"].as_f64().unwrap(),
        "percentiles.csv and summary.json agree"
    );
    let mean: f64 = row[col("mean")].parse().unwrap();
    assert_eq!(mean, roi["mean"].as_f64().unwrap());
}
