//! The charts, drawn from a `Results` (never from raw trials): every chart
//! renders as a PNG of the promised size that decodes, and as an SVG that
//! parses, for a typical run and for edge cases a reader could meet (every
//! future censored, no uncertain input, no currency, hostile names).

use crm_roi::config::Scenario;
use crm_roi::engine::{Engine, Settings};
use crm_roi::report::charts::{Chart, SIZE};
use crm_roi::results::Results;
use crm_roi::sampling::Method;
use std::path::Path;

fn run(text: &str, trials: u64) -> Results {
    let sc = Scenario::from_toml(text, Path::new("t.toml")).unwrap_or_else(|e| panic!("{e}"));
    let settings = Settings::new(trials, 5, Method::MonteCarlo);
    let data = Engine::new(&sc, settings).run(None, &mut |_| {}).unwrap();
    Results::new(&sc, &settings, &data)
}

const TYPICAL: &str = r#"
name = "typical"
currency = "EUR"
horizon_years = 4
[finance]
discount_rate = 0.08
target_payback_years = 2
[adoption]
ramp_months = { uniform = [2, 8] }
[[costs]]
name = "Licence"
amount = { pert = [40000, 50000, 80000] }
[[costs]]
name = "Seats"
amount = 60
units = 25
every = "month"
[[benefits]]
name = "Time saved"
kind = "efficiency"
hours_saved_per_month = { lognormal = { p5 = 40, p95 = 160 } }
hourly_cost = 45
[[shocks]]
name = "Recession"
probability_per_year = 0.2
revenue_loss = 0.1
"#;

/// Renders every chart both ways and checks the files.
fn check_all(r: &Results, label: &str) {
    let dir = tempfile::tempdir().unwrap();
    for chart in Chart::ALL {
        let svg = chart.svg(r).unwrap_or_else(|e| panic!("{label}: {e}"));
        let doc = roxmltree::Document::parse(&svg)
            .unwrap_or_else(|e| panic!("{label} {}.svg: {e}", chart.file_stem()));
        assert_eq!(doc.root_element().tag_name().name(), "svg");
        // The scenario is named in the title.
        assert!(
            svg.contains(&r.summary.scenario),
            "{label}: {} lacks the scenario name",
            chart.file_stem()
        );

        let path = dir.path().join(format!("{}.png", chart.file_stem()));
        chart
            .png(r, &path)
            .unwrap_or_else(|e| panic!("{label}: {e}"));
        let decoder = png::Decoder::new(std::fs::File::open(&path).unwrap());
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!(
            (info.width, info.height),
            SIZE,
            "{label}: {}",
            chart.file_stem()
        );
        assert!(SIZE.0 >= 1200 && SIZE.1 >= 700);
        // Not a blank image: text and marks in several colours.
        let pixels: std::collections::HashSet<&[u8]> =
            buf.chunks(info.line_size / info.width as usize).collect();
        assert!(
            pixels.len() > 20,
            "{label}: {} looks empty",
            chart.file_stem()
        );
    }
}

#[test]
fn typical_run() {
    let r = run(TYPICAL, 3000);
    check_all(&r, "typical");
    // The fan chart's axis is in the scenario's currency, compactly.
    let svg = Chart::Fan.svg(&r).unwrap();
    assert!(svg.contains("EUR 0"), "no compact currency ticks");
    assert!(svg.contains("Target: 2 years"));
}

#[test]
fn every_future_censored() {
    let text = TYPICAL
        .replace(
            "amount = { pert = [40000, 50000, 80000] }",
            "amount = 90000000",
        )
        .replace("name = \"typical\"", "name = \"censored\"");
    let r = run(&text, 500);
    assert_eq!(r.summary.probabilities.payback_within_horizon, 0.0);
    check_all(&r, "censored");
    let svg = Chart::Payback.svg(&r).unwrap();
    assert!(svg.contains("Not within 4 years: 100%"));
}

#[test]
fn no_uncertainty_no_currency() {
    let text = r#"
name = "fixed"
horizon_years = 1
[finance]
discount_rate = 0
target_payback_years = 3
[[costs]]
name = "Licence"
amount = 1000
[[benefits]]
name = "Saving"
kind = "custom"
amount_per_month = 100
ramps_with_adoption = false
"#;
    let r = run(text, 200);
    assert!(r.summary.sensitivity.is_empty());
    check_all(&r, "fixed");
    // Without a currency the amounts carry no label.
    let svg = Chart::Breakdown.svg(&r).unwrap();
    assert!(svg.contains("1.2k"), "{svg}");
}

#[test]
fn hostile_names_stay_text() {
    let text = TYPICAL
        .replace(
            "name = \"typical\"",
            "name = \"<script>alert(1)</script> & co\"",
        )
        .replace(
            "name = \"Licence\"",
            "name = \"\\\"><img src=x onerror=alert(1)>\"",
        );
    let r = run(&text, 300);
    for chart in Chart::ALL {
        let svg = chart.svg(&r).unwrap();
        assert!(
            roxmltree::Document::parse(&svg).is_ok(),
            "{}",
            chart.file_stem()
        );
        assert!(!svg.contains("<script"), "{}", chart.file_stem());
        assert!(!svg.contains("<img"), "{}", chart.file_stem());
    }
}

/// Draws every chart of `r` both ways on another thread, failing when that
/// takes more than a minute (a chart takes milliseconds): a hang detector.
fn draws_in_bounded_time(r: Results, label: &str) {
    let (tx, rx) = std::sync::mpsc::channel();
    let what = label.to_string();
    std::thread::spawn(move || {
        check_all(&r, &what);
        let _ = tx.send(());
    });
    match rx.recv_timeout(std::time::Duration::from_secs(60)) {
        Ok(()) => {}
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            panic!("{label}: still drawing after 60 s")
        }
        Err(e) => panic!("{label}: drawing failed ({e})"),
    }
}

#[test]
fn degenerate_amounts_draw_in_bounded_time() {
    // Every trial identical, amounts at the largest magnitude a scenario
    // allows, amounts one rounding step apart, tiny and subnormal amounts,
    // nothing at all: each chart draws (issue 11, item 3).
    let scenario = |name: &str, cost: &str, benefit: &str| {
        format!(
            r#"
name = "{name}"
horizon_years = 2
[finance]
discount_rate = 0
target_payback_years = 1
[[costs]]
name = "Licence"
amount = {cost}
[[benefits]]
name = "Saving"
kind = "custom"
amount_per_month = {benefit}
ramps_with_adoption = false
"#
        )
    };
    for (name, cost, benefit) in [
        ("identical", "1000", "100"),
        ("huge", "1e15", "{ uniform = [999999999999999.8, 1e15] }"),
        (
            "one step",
            "{ uniform = [0.3, 0.30000000000000004] }",
            "{ uniform = [0.3, 0.30000000000000004] }",
        ),
        (
            "tiny",
            "{ uniform = [1e-300, 1.0000000000000002e-300] }",
            "{ uniform = [1e-300, 2e-300] }",
        ),
        ("subnormal", "{ uniform = [5e-324, 1e-322] }", "5e-324"),
        ("nothing", "0", "0"),
    ] {
        let r = run(&scenario(name, cost, benefit), 300);
        draws_in_bounded_time(r, name);
    }
}
