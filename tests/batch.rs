//! Tests of the `batch` command, of scenario variants (`extends`) and of
//! common random numbers.
//!
//! - `batch`: recursive discovery and the mirrored output tree,
//!   `batch_summary.csv` (exact columns, one row per scenario in path order),
//!   `index.html`, the comparison chart, broken files among good ones,
//!   abstract bases, `--baseline` by name and by path, `--no-charts`, and
//!   byte-identical results when run twice.
//! - `extends`: overriding scalars, distributions and named items, removing
//!   items, chains, cycles and missing bases, through the library and the
//!   command line.
//! - Common random numbers: two scenarios that differ by one fixed cost
//!   differ in NPV by exactly its discounted amount in every trial (library
//!   and `batch --baseline`), and the draws of shared inputs do not depend
//!   on the order of items or on unrelated inputs (plain Monte Carlo; Latin
//!   hypercube with equal trial counts).
//!
//! Every test works in its own temporary directory and writes its results to
//! `<tempdir>/out` (or siblings of it).

mod common;

use common::{
    NUMBER_FILES, RESULT_FILES, Sandbox, assert_no_hidden, csv_rows, entries, read_json, snapshot,
    stderr_of, stdout_of,
};
use crm_roi::config::Scenario;
use crm_roi::dist::Quantity;
use crm_roi::engine::{Engine, Metric, Settings};
use crm_roi::model::Schedule;
use crm_roi::results::compare;
use crm_roi::sampling::Method;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

// ---------------------------------------------------------------------------
// Scenarios
// ---------------------------------------------------------------------------

/// A small valid scenario: a one-time and a recurring cost, an efficiency
/// and a revenue-linked custom benefit. Fixed discount rate 0.08.
const PLAIN: &str = r#"horizon_years = 3
[finance]
discount_rate = 0.08
target_payback_years = 2
[adoption]
go_live_month = 1
ramp_months = { triangular = [2, 4, 8] }
max_level = { pert = [0.6, 0.85, 0.95] }
[[costs]]
name = "License"
amount = { pert = [20000, 30000, 50000] }
at_month = 0
[[costs]]
name = "Seats"
amount = { uniform = [40, 60] }
units = 20
every = "month"
[[benefits]]
name = "Time"
kind = "efficiency"
hours_saved_per_month = { pert = [40, 80, 160] }
hourly_cost = 45
[[benefits]]
name = "Extra revenue"
kind = "custom"
amount_per_month = { normal = { mean = 1500, sd = 300 } }
revenue_linked = true
"#;

/// Appended to [`PLAIN`]: two shocks (one with a random probability, one
/// permanent) and two correlations.
const SHOCKS_AND_CORRELATIONS: &str = r#"[[shocks]]
name = "Recession"
probability_per_year = { uniform = [0.05, 0.3] }
revenue_loss = { pert = [0.05, 0.1, 0.3] }
duration_months = { uniform = [3, 12] }
[[shocks]]
name = "Bankruptcy"
probability_per_year = 0.2
revenue_loss = { uniform = [0.02, 0.08] }
[[correlations]]
between = ["adoption.max_level", "benefits.Time.hours_saved_per_month"]
rank = 0.6
[[correlations]]
between = ["costs.License.amount", "costs.Seats.amount"]
rank = 0.4
"#;

/// The fixed one-time cost of the common-random-numbers tests.
const MIGRATION: &str = r#"[[costs]]
name = "Migration"
amount = 5000
at_month = 6
"#;
/// Its amount, month and the discount rate of [`PLAIN`].
const C: f64 = 5000.0;
const M0: f64 = 6.0;
const D: f64 = 0.08;

/// `text` with `item` inserted before its first `[[benefits]]`.
fn with_cost(text: &str, item: &str) -> String {
    let at = text.find("[[benefits]]").expect("a [[benefits]] item");
    format!("{}{item}{}", &text[..at], &text[at..])
}

/// `text` with `old` (which must occur exactly once) replaced.
fn replace_once(text: &str, old: &str, new: &str) -> String {
    assert_eq!(text.matches(old).count(), 1, "`{old}` must occur once");
    text.replacen(old, new, 1)
}

/// The exact columns of `batch_summary.csv`.
const SUMMARY_COLUMNS: [&str; 28] = [
    "path",
    "name",
    "trials",
    "target_payback_years",
    "p_payback_within_target",
    "p_payback_within_horizon",
    "p_npv_positive",
    "payback_p10",
    "payback_p50",
    "payback_p90",
    "npv_p10",
    "npv_p50",
    "npv_p90",
    "baseline",
    "p_npv_above_baseline",
    "mean_npv_difference",
    "mean_npv_difference_se",
    "npv_difference_p10",
    "npv_difference_p50",
    "npv_difference_p90",
    "p_payback_sooner",
    "p_payback_same",
    "first_order_dominance",
    "second_order_dominance",
    "npv_expected_shortfall_10",
    "p_best",
    "evpi_of_choice",
    "evpi_of_choice_se",
];

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// `batch_summary.csv`: its header, and its rows as column → value maps.
fn summary_csv(out: &Path) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    let mut rows = csv_rows(&out.join("batch_summary.csv"));
    assert!(!rows.is_empty(), "batch_summary.csv has no header");
    let header = rows.remove(0);
    let maps = rows
        .into_iter()
        .map(|row| {
            assert_eq!(row.len(), header.len(), "row width: {row:?}");
            header.iter().cloned().zip(row).collect()
        })
        .collect();
    (header, maps)
}

fn num(row: &BTreeMap<String, String>, col: &str) -> f64 {
    row[col]
        .parse()
        .unwrap_or_else(|e| panic!("{col} = `{}` is not a number: {e}", row[col]))
}

/// `a` and `b` are equal to `rel` relative precision.
fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * b.abs().max(a.abs())
}

/// What the [`MIGRATION`] cost subtracts from the NPV of every trial.
fn discounted_migration() -> f64 {
    C * (1.0 + D).powf(-M0 / 12.0)
}

fn scenario(text: &str, name: &str) -> Scenario {
    Scenario::from_toml(text, Path::new(name))
        .unwrap_or_else(|e| panic!("{name} should be valid:\n{e}"))
}

/// The NPV of every trial of `sc`.
fn npvs(sc: &Scenario, trials: u64, seed: u64, method: Method) -> Vec<f64> {
    let data = Engine::new(sc, Settings::new(trials, seed, method))
        .run(None, &mut |_| {})
        .unwrap();
    assert_eq!(Metric::ALL[2], Metric::Npv);
    assert_eq!(data.kept, trials);
    data.metric(crm_roi::engine::Metric::Npv).to_vec()
}

// ---------------------------------------------------------------------------
// 1. Discovery and the mirrored output tree
// ---------------------------------------------------------------------------

#[test]
fn discovers_recursively_and_mirrors_the_tree() {
    let sb = Sandbox::new();
    sb.write("scen/a.toml", PLAIN);
    sb.write(
        "scen/vendors/b.toml",
        &replace_once(PLAIN, "hourly_cost = 45", "hourly_cost = 55"),
    );
    // c has a longer horizon and states no payback target.
    sb.write(
        "scen/vendors/deep/c.toml",
        &replace_once(
            &replace_once(PLAIN, "horizon_years = 3", "horizon_years = 4"),
            "target_payback_years = 2\n",
            "",
        ),
    );
    // Not a scenario: ignored.
    sb.write("scen/vendors/notes.txt", "not toml");
    let a = sb.batch(&["scen", "--trials", "1000"]).assert().success();
    let stdout = stdout_of(&a);
    assert!(stdout.contains("3 scenarios simulated"), "{stdout}");

    let out = sb.out();
    assert_eq!(
        entries(&out),
        [
            ".crm-roi-batch",
            "a",
            "batch_summary.csv",
            "batch_summary.xlsx",
            "comparison.png",
            "comparison.svg",
            "index.html",
            "vendors"
        ]
    );
    assert_eq!(entries(&out.join("vendors")), ["b", "deep"]);
    assert_eq!(entries(&out.join("vendors/deep")), ["c"]);
    for (dir, name, months) in [
        ("a", "a", 36),
        ("vendors/b", "b", 36),
        ("vendors/deep/c", "c", 48),
    ] {
        let d = out.join(dir);
        assert_eq!(entries(&d), RESULT_FILES, "{dir}");
        let s = read_json(&d.join("summary.json"));
        assert_eq!(s["scenario"], name, "{dir}");
        assert_eq!(s["trials"], 1000, "{dir}");
        assert_eq!(s["horizon_months"], months, "{dir}");
    }
    assert_no_hidden(&out);
    assert_no_hidden(&out.join("vendors"));
    assert_no_hidden(&out.join("vendors/deep"));

    // batch_summary.csv: the documented columns, one row per scenario in
    // sorted path order, no baseline columns filled.
    let (header, rows) = summary_csv(&out);
    assert_eq!(header, SUMMARY_COLUMNS);
    let paths: Vec<&str> = rows.iter().map(|r| r["path"].as_str()).collect();
    let scen = Path::new("scen");
    let expect: Vec<String> = [
        scen.join("a.toml"),
        scen.join("vendors").join("b.toml"),
        scen.join("vendors").join("deep").join("c.toml"),
    ]
    .iter()
    .map(|p| p.display().to_string())
    .collect();
    assert_eq!(paths, expect);
    let names: Vec<&str> = rows.iter().map(|r| r["name"].as_str()).collect();
    assert_eq!(names, ["a", "b", "c"]);
    // The target in a column of its own; c has none, so its target and
    // its chance of payback within the target are empty cells.
    let targets: Vec<&str> = rows
        .iter()
        .map(|r| r["target_payback_years"].as_str())
        .collect();
    assert_eq!(targets, ["2", "2", ""]);
    assert_eq!(rows[2]["p_payback_within_target"], "");
    for r in &rows {
        assert_eq!(r["trials"], "1000");
        let mut cols = vec!["p_payback_within_horizon", "p_npv_positive"];
        if !r["target_payback_years"].is_empty() {
            cols.push("p_payback_within_target");
        }
        for col in cols {
            let p = num(r, col);
            assert!((0.0..=1.0).contains(&p), "{col} = {p}");
        }
        assert!(num(r, "npv_p10") <= num(r, "npv_p50") && num(r, "npv_p50") <= num(r, "npv_p90"));
        for &col in &SUMMARY_COLUMNS[13..] {
            assert_eq!(r[col], "", "{col} without --baseline");
        }
    }
    // The csv agrees with each summary.json (to a few ULP: serde_json's
    // default float parser is not always correctly rounded).
    for (r, dir) in rows.iter().zip(["a", "vendors/b", "vendors/deep/c"]) {
        let s = read_json(&out.join(dir).join("summary.json"));
        for (col, json) in [
            ("npv_p10", &s["metrics"]["npv"]["p10"]),
            ("npv_p50", &s["metrics"]["npv"]["p50"]),
            ("payback_p50", &s["metrics"]["payback_years"]["p50"]),
            ("p_npv_positive", &s["probabilities"]["npv_positive"]),
        ] {
            let j = json.as_f64().unwrap();
            assert!(
                close(num(r, col), j, 1e-15),
                "{dir} {col}: {} vs {j}",
                r[col]
            );
        }
    }

    // index.html links every report, in order.
    let index = fs::read_to_string(out.join("index.html")).unwrap();
    let links: Vec<usize> = ["a", "vendors/b", "vendors/deep/c"]
        .iter()
        .map(|d| {
            let link = format!("href=\"./{d}/report.html\"");
            index
                .find(&link)
                .unwrap_or_else(|| panic!("index.html lacks {link}"))
        })
        .collect();
    assert!(links.windows(2).all(|w| w[0] < w[1]), "links out of order");
    assert!(index.contains("3 scenarios simulated"));
    // Each row's target in a column of its own; "–" for c, which has none.
    let row_of = |d: &str| {
        let start = index.find(&format!("href=\"./{d}/report.html\"")).unwrap();
        let end = start + index[start..].find("</tr>").unwrap();
        index[start..end].to_string()
    };
    assert!(index.contains("<th>Payback target</th>"));
    assert!(
        row_of("a").contains("<td class=\"num\">2 years</td>"),
        "{}",
        row_of("a")
    );
    let c = row_of("vendors/deep/c");
    assert_eq!(c.matches("<td class=\"num\">–</td>").count(), 2, "{c}");
    assert!(index.contains("<svg"), "the comparison chart is inlined");
    assert!(
        !index.contains("Compared with"),
        "no paired section without --baseline"
    );
    assert!(
        !index.contains("Choosing between options") && !index.contains("median gain"),
        "no choice section nor gains on the chart without --baseline"
    );

    // The comparison chart: SVG that parses, PNG that decodes.
    let svg = fs::read_to_string(out.join("comparison.svg")).unwrap();
    let doc = roxmltree::Document::parse(&svg).expect("comparison.svg parses");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    let decoder = png::Decoder::new(fs::File::open(out.join("comparison.png")).unwrap());
    let mut reader = decoder.read_info().expect("comparison.png is a PNG");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("comparison.png decodes");
    assert!(info.width > 100 && info.height > 100);
}

#[test]
fn files_and_directories_can_be_mixed() {
    // A file argument lands under its stem; a directory argument mirrors
    // its tree.
    let sb = Sandbox::new();
    sb.write("one.toml", PLAIN);
    sb.write("scen/x/two.toml", PLAIN);
    sb.batch(&["one.toml", "scen", "--trials", "1000", "--no-charts", "-q"])
        .assert()
        .success();
    assert_eq!(
        entries(&sb.out()),
        [
            ".crm-roi-batch",
            "batch_summary.csv",
            "batch_summary.xlsx",
            "one",
            "x"
        ]
    );
    assert_eq!(entries(&sb.out().join("one")), NUMBER_FILES);
    assert_eq!(entries(&sb.out().join("x/two")), NUMBER_FILES);
}

// ---------------------------------------------------------------------------
// 2. A broken file among good ones
// ---------------------------------------------------------------------------

#[test]
fn broken_file_does_not_stop_the_others() {
    let sb = Sandbox::new();
    sb.write("scen/a.toml", PLAIN);
    // Line 8 of PLAIN is max_level.
    sb.write(
        "scen/b.toml",
        &replace_once(
            PLAIN,
            "max_level = { pert = [0.6, 0.85, 0.95] }",
            "max_level = 1.5",
        ),
    );
    sb.write("scen/c/d.toml", PLAIN);
    let a = sb.batch(&["scen", "--trials", "1000"]).assert().code(2);
    let err = stderr_of(&a);
    let bad = Path::new("scen").join("b.toml");
    let bad = bad.display().to_string();
    assert!(err.contains("1 scenario file(s) failed"), "{err}");
    assert!(
        err.contains(&format!(
            "{bad}:8:13: adoption.max_level: must be within [0, 1]"
        )),
        "stderr should name file, line, field and reason:\n{err}"
    );

    let out = sb.out();
    assert!(!out.join("b").exists(), "no results for the broken file");
    assert_eq!(entries(&out.join("a")), RESULT_FILES);
    assert_eq!(entries(&out.join("c/d")), RESULT_FILES);
    let (_, rows) = summary_csv(&out);
    let names: Vec<&str> = rows.iter().map(|r| r["name"].as_str()).collect();
    assert_eq!(names, ["a", "d"]);
    // The overview lists the failure too.
    let index = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("could not run") && index.contains("adoption.max_level"));
    assert!(
        index.contains("href=\"./a/report.html\"") && index.contains("href=\"./c/d/report.html\"")
    );
}

// ---------------------------------------------------------------------------
// 3. Abstract bases
// ---------------------------------------------------------------------------

/// An abstract base that is incomplete on its own (no target payback).
const ABSTRACT_BASE: &str = r#"abstract = true
name = "the base"
horizon_years = 3
[finance]
discount_rate = 0.08
[[costs]]
name = "License"
amount = { pert = [20000, 30000, 50000] }
[[benefits]]
name = "Time"
kind = "efficiency"
hours_saved_per_month = { pert = [40, 80, 160] }
hourly_cost = 45
"#;

/// With `--out` inside the scenarios' folder, a later batch does not take
/// the variant files of a sweep written there for scenarios; a dangling
/// link or a named pipe named `*.toml` is reported, not left out.
#[test]
fn outputs_inside_the_scenarios_folder_are_not_scenarios() {
    let sb = Sandbox::new();
    sb.write("scen/a.toml", common::EXAMPLE);
    sb.cmd()
        .args([
            "sweep",
            "scen/a.toml",
            "--set",
            "adoption.max_level=0.5,0.6",
            "-n",
            "300",
            "-q",
            "--no-charts",
            "--out",
            "scen/out",
        ])
        .assert()
        .success();
    let a = sb
        .batch_to(
            "scen/out",
            &["scen", "--trials", "300", "--no-charts", "-q"],
        )
        .assert()
        .success();
    let (_, rows) = summary_csv(&sb.path().join("scen/out"));
    assert_eq!(rows.len(), 1, "{}", stdout_of(&a));

    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("gone.toml", sb.path().join("scen/link.toml")).unwrap();
        let v = sb.cmd().args(["validate", "scen"]).assert().code(2);
        assert!(
            stdout_of(&v).contains("scen/link.toml: cannot read the file")
                || stderr_of(&v).contains("scen/link.toml: cannot read the file"),
            "{}{}",
            stdout_of(&v),
            stderr_of(&v)
        );
    }
}

/// A batch over abstract bases only has nothing to run: exit 2 and
/// nothing written, not an empty overview with exit 0.
#[test]
fn a_batch_of_abstract_bases_only_is_an_error() {
    let sb = Sandbox::new();
    sb.write("scen/base.toml", ABSTRACT_BASE);
    let a = sb.batch(&["scen", "--trials", "1000"]).assert().code(2);
    assert!(
        stderr_of(&a)
            .contains("nothing to run in scen: every scenario file there is an abstract base"),
        "{}",
        stderr_of(&a)
    );
    assert!(!sb.out().exists());
}

#[test]
fn abstract_base_is_skipped_and_its_variants_run() {
    let sb = Sandbox::new();
    sb.write("scen/base.toml", ABSTRACT_BASE);
    sb.write(
        "scen/cautious.toml",
        "extends = \"base.toml\"\n[finance]\ntarget_payback_years = 2\n",
    );
    sb.write(
        "scen/vendors/bold.toml",
        "extends = \"../base.toml\"\nhorizon_years = 5\n[finance]\ntarget_payback_years = 3\n",
    );
    let a = sb
        .batch(&["scen", "--trials", "1000", "--no-charts"])
        .assert()
        .success();
    let stdout = stdout_of(&a);
    assert!(
        stdout.contains("2 scenarios simulated, 1 abstract base(s) skipped"),
        "{stdout}"
    );
    let out = sb.out();
    assert!(!out.join("base").exists(), "the abstract base must not run");
    assert_eq!(
        entries(&out),
        [
            ".crm-roi-batch",
            "batch_summary.csv",
            "batch_summary.xlsx",
            "cautious",
            "vendors"
        ]
    );
    assert_eq!(entries(&out.join("vendors")), ["bold"]);
    let cautious = read_json(&out.join("cautious/summary.json"));
    // `name` is not inherited: each variant is named after its file.
    assert_eq!(cautious["scenario"], "cautious");
    assert_eq!(cautious["horizon_months"], 36);
    assert_eq!(cautious["target_payback_years"], 2.0);
    let bold = read_json(&out.join("vendors/bold/summary.json"));
    assert_eq!(bold["scenario"], "bold");
    assert_eq!(bold["horizon_months"], 60);
    assert_eq!(bold["target_payback_years"], 3.0);
    let (_, rows) = summary_csv(&out);
    let names: Vec<&str> = rows.iter().map(|r| r["name"].as_str()).collect();
    assert_eq!(names, ["cautious", "bold"]);

    // validate accepts the tree and says what the base is.
    let v = sb.cmd().args(["validate", "scen"]).assert().success();
    assert!(stdout_of(&v).contains("abstract base"), "{}", stdout_of(&v));
    // run refuses the base itself.
    let r = sb
        .cmd()
        .args(["run", "scen/base.toml", "--trials", "100", "-q", "--out"])
        .arg(sb.out())
        .assert()
        .code(2);
    assert!(stderr_of(&r).contains("abstract"), "{}", stderr_of(&r));
    // A batch of nothing but the base has nothing to run: an error, and
    // nothing written.
    let a = sb
        .batch_to("out2", &["scen/base.toml", "--trials", "100", "-q"])
        .assert()
        .code(2);
    assert!(
        stderr_of(&a).contains("nothing to run"),
        "{}",
        stderr_of(&a)
    );
    assert!(!sb.path().join("out2").exists());
}

// ---------------------------------------------------------------------------
// 4. extends
// ---------------------------------------------------------------------------

/// A runnable base for the `extends` tests: line order matters to nobody.
const BASE: &str = r#"name = "base"
currency = "EUR"
horizon_years = 5
[finance]
discount_rate = 0.08
target_payback_years = 3
[adoption]
ramp_months = 4
max_level = { pert = [0.6, 0.85, 0.95] }
[[costs]]
name = "License"
amount = { pert = [20000, 30000, 50000] }
at_month = 0
[[costs]]
name = "Training"
amount = { uniform = [5000, 9000] }
at_month = 1
[[costs]]
name = "Seats"
amount = 50
units = 20
every = "month"
[[benefits]]
name = "Time"
kind = "efficiency"
hours_saved_per_month = { pert = [40, 80, 160] }
hourly_cost = 45
[[benefits]]
name = "Extra revenue"
kind = "custom"
amount_per_month = 1000
revenue_linked = true
[[shocks]]
name = "Recession"
probability_per_year = 0.1
revenue_loss = { uniform = [0.05, 0.2] }
[[correlations]]
between = ["adoption.max_level", "benefits.Time.hours_saved_per_month"]
rank = 0.5
"#;

/// The variant of the `extends` tests.
const VARIANT: &str = r#"extends = "base.toml"
horizon_years = 3
[adoption]
max_level = 0.9
[[costs]]
name = "License"
amount = 25000
[[costs]]
name = "Training"
remove = true
[[costs]]
name = "Support"
amount = 200
every = "month"
[[costs]]
name = "Seats"
amount = { uniform = [40, 60] }
[[shocks]]
name = "Recession"
probability_per_year = 0.3
[[correlations]]
between = ["benefits.Time.hours_saved_per_month", "costs.Seats.amount"]
rank = 0.2
[[correlations]]
between = ["benefits.Time.hours_saved_per_month", "adoption.max_level"]
remove = true
"#;

fn fixed(sc: &Scenario, path: &str) -> Option<f64> {
    let i = sc
        .input(path)
        .unwrap_or_else(|| panic!("{}: no input {path}", sc.name));
    match sc.inputs[i.0].quantity {
        Quantity::Fixed(x) => Some(x),
        Quantity::Random(_) => None,
    }
}

#[test]
fn extends_overrides_and_removes_through_the_library() {
    let sb = Sandbox::new();
    sb.write("base.toml", BASE);
    let variant = sb.write("variant.toml", VARIANT);
    let base = Scenario::load(&sb.path().join("base.toml")).unwrap();
    let v = Scenario::load(&variant).unwrap_or_else(|e| panic!("{e}"));

    // Top level: overridden scalar, inherited label, own name.
    assert_eq!(v.name, "variant");
    assert_eq!(v.horizon_years, 3);
    assert_eq!(v.months(), 36);
    assert_eq!(v.currency.as_deref(), Some("EUR"));
    // Section fields: overridden one by one; a distribution replaced by a
    // fixed value, the other fields kept.
    assert!(fixed(&base, "adoption.max_level").is_none());
    assert_eq!(fixed(&v, "adoption.max_level"), Some(0.9));
    assert_eq!(fixed(&v, "adoption.ramp_months"), Some(4.0));
    assert_eq!(fixed(&v, "finance.discount_rate"), Some(0.08));
    assert_eq!(v.target_payback_years, Some(3.0));
    // Named items: License's amount overridden (its month kept), Training
    // removed, Seats kept in place with a new amount, Support added last.
    let costs: Vec<&str> = v.model.costs.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(costs, ["License", "Seats", "Support"]);
    assert_eq!(fixed(&v, "costs.License.amount"), Some(25000.0));
    assert_eq!(
        v.model.costs[0].schedule,
        Schedule::OneTime { month: 0 },
        "fields the variant does not name stay"
    );
    assert!(v.input("costs.Training.amount").is_none());
    assert!(fixed(&v, "costs.Seats.amount").is_none());
    assert_eq!(fixed(&v, "costs.Seats.units"), Some(20.0));
    assert_eq!(
        v.model.costs[2].schedule,
        Schedule::Recurring {
            step: 1,
            start: 1,
            end: 36
        }
    );
    // Benefits untouched.
    let benefits: Vec<&str> = v.model.benefits.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(benefits, ["Time", "Extra revenue"]);
    // Shocks merge by name: the probability changes, the loss stays.
    assert_eq!(v.shocks.len(), 1);
    assert_eq!(
        fixed(&v, "shocks.Recession.probability_per_year"),
        Some(0.3)
    );
    assert!(!v.shocks[0].loss.is_fixed());
    // Correlations merge by pair (in either order): one removed, one added.
    assert_eq!(v.correlations.len(), 1);
    let c = &v.correlations[0];
    let mut pair = [v.inputs[c.a.0].path.as_str(), v.inputs[c.b.0].path.as_str()];
    pair.sort_unstable();
    assert_eq!(
        pair,
        ["benefits.Time.hours_saved_per_month", "costs.Seats.amount"]
    );
    assert_eq!(c.rank, 0.2);
}

#[test]
fn extends_chain_of_two() {
    let sb = Sandbox::new();
    sb.write("base.toml", BASE);
    sb.write(
        "mid.toml",
        "extends = \"base.toml\"\nhorizon_years = 4\n[[costs]]\nname = \"Training\"\nremove = true\n",
    );
    let top = sb.write(
        "sub/top.toml",
        "extends = \"../mid.toml\"\ncurrency = \"USD\"\n[finance]\ndiscount_rate = { uniform = [0.05, 0.1] }\n[[costs]]\nname = \"License\"\namount = 1\n",
    );
    let t = Scenario::load(&top).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(t.name, "top");
    assert_eq!(t.horizon_years, 4, "from mid");
    assert_eq!(t.currency.as_deref(), Some("USD"), "own");
    assert!(fixed(&t, "finance.discount_rate").is_none(), "own");
    assert_eq!(t.target_payback_years, Some(3.0), "from base");
    assert_eq!(fixed(&t, "costs.License.amount"), Some(1.0));
    let costs: Vec<&str> = t.model.costs.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(costs, ["License", "Seats"], "Training removed by mid");
}

#[test]
fn extends_through_the_command_line() {
    let sb = Sandbox::new();
    sb.write("scen/base.toml", BASE);
    sb.write("scen/variant.toml", VARIANT);
    sb.write(
        "scen/z/top.toml",
        "extends = \"../variant.toml\"\nhorizon_years = 2\n",
    );
    sb.batch(&["scen", "--trials", "1000", "--no-charts", "-q"])
        .assert()
        .success();
    let out = sb.out();
    let base = read_json(&out.join("base/summary.json"));
    let v = read_json(&out.join("variant/summary.json"));
    let top = read_json(&out.join("z/top/summary.json"));
    assert_eq!(base["horizon_months"], 60);
    assert_eq!(v["scenario"], "variant");
    assert_eq!(v["horizon_months"], 36);
    assert_eq!(v["currency"], "EUR");
    assert_eq!(top["scenario"], "top");
    assert_eq!(top["horizon_months"], 24);

    let items = |s: &Value| -> Vec<String> {
        s["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                format!(
                    "{}:{}",
                    i["kind"].as_str().unwrap(),
                    i["name"].as_str().unwrap()
                )
            })
            .collect()
    };
    assert_eq!(
        items(&base),
        [
            "cost:License",
            "cost:Training",
            "cost:Seats",
            "benefit:Time",
            "benefit:Extra revenue"
        ]
    );
    let expect = [
        "cost:License",
        "cost:Seats",
        "cost:Support",
        "benefit:Time",
        "benefit:Extra revenue",
    ];
    assert_eq!(items(&v), expect);
    assert_eq!(items(&top), expect);
    // The License is a fixed 25,000 at month 0 in the variant.
    let license = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == "License")
        .unwrap();
    assert_eq!(license["mean_total"].as_f64(), Some(25000.0));
    // max_level is fixed now: it has no sensitivity row any more.
    let sens = |s: &Value| -> Vec<String> {
        s["sensitivity"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["input"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(sens(&base).contains(&"adoption.max_level".to_string()));
    assert!(!sens(&v).contains(&"adoption.max_level".to_string()));
    assert!(!sens(&v).contains(&"costs.License.amount".to_string()));
    assert!(!sens(&v).contains(&"costs.Training.amount".to_string()));
}

#[test]
fn extends_cycle_is_an_error() {
    let sb = Sandbox::new();
    sb.write("scen/good.toml", PLAIN);
    sb.write("scen/x.toml", "extends = \"y.toml\"\n");
    sb.write("scen/y.toml", "extends = \"x.toml\"\n");
    sb.write("scen/self.toml", "extends = \"self.toml\"\n");
    let a = sb
        .batch(&["scen", "--trials", "1000", "--no-charts", "-q"])
        .assert()
        .code(2);
    let err = stderr_of(&a);
    assert!(err.contains("3 scenario file(s) failed"), "{err}");
    for f in ["x.toml", "y.toml", "self.toml"] {
        assert!(
            err.lines()
                .any(|l| l.contains(f) && l.contains("extends") && l.contains("cycle")),
            "{f} should be reported as a cycle:\n{err}"
        );
    }
    let (_, rows) = summary_csv(&sb.out());
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["name"], "good");
    // `run` and `validate` say the same.
    let r = sb
        .cmd()
        .args(["run", "scen/x.toml", "-q", "--out"])
        .arg(sb.path().join("out2"))
        .assert()
        .code(2);
    assert!(stderr_of(&r).contains("cycle"), "{}", stderr_of(&r));
    let v = sb.cmd().args(["validate", "scen"]).assert().code(2);
    assert!(stderr_of(&v).contains("cycle"), "{}", stderr_of(&v));
}

#[test]
fn extends_missing_base_is_an_error() {
    let sb = Sandbox::new();
    sb.write("scen/good.toml", PLAIN);
    sb.write("scen/lost.toml", "extends = \"bases/nowhere.toml\"\n");
    // A chain whose far end is missing names the file that points at it.
    sb.write(
        "scen/mid.toml",
        "extends = \"gone.toml\"\nhorizon_years = 2\n",
    );
    sb.write("scen/top.toml", "extends = \"mid.toml\"\n");
    let a = sb
        .batch(&["scen", "--trials", "1000", "--no-charts", "-q"])
        .assert()
        .code(2);
    let err = stderr_of(&a);
    let missing = Path::new("scen").join("bases/nowhere.toml");
    assert!(
        err.contains(&format!(
            "extends: base scenario {} not found",
            missing.display()
        )),
        "{err}"
    );
    let gone = Path::new("scen").join("gone.toml");
    let mid_line = err
        .lines()
        .filter(|l| l.contains(&format!("base scenario {} not found", gone.display())))
        .count();
    assert_eq!(mid_line, 2, "mid and top both fail on gone.toml:\n{err}");
    assert!(err.contains("3 scenario file(s) failed"), "{err}");
    assert!(sb.out().join("good/summary.json").is_file());
    assert!(!sb.out().join("lost").exists());
}

// ---------------------------------------------------------------------------
// 5. Common random numbers: exact pairing
// ---------------------------------------------------------------------------

/// Checks that `extra` (= `base` + MIGRATION) loses exactly the discounted
/// migration cost in every trial, and that `paired` reports it.
fn assert_exact_pairing(base: &str, method: Method) {
    let sa = scenario(base, "base.toml");
    let sb = scenario(&with_cost(base, MIGRATION), "extra.toml");
    let n = 3000;
    let a = npvs(&sa, n, 11, method);
    let b = npvs(&sb, n, 11, method);
    let expect = discounted_migration();
    let spread = a.iter().cloned().fold(f64::NEG_INFINITY, f64::max)
        - a.iter().cloned().fold(f64::INFINITY, f64::min);
    assert!(spread > 10.0 * expect, "the NPVs should vary: {spread}");
    for (t, (x, y)) in a.iter().zip(&b).enumerate() {
        assert!(
            close(x - y, expect, 1e-9),
            "trial {t}: NPV difference {} instead of {expect}",
            x - y
        );
    }
    let pb = |npv: &[f64]| vec![f64::INFINITY; npv.len()];
    let (pa, pbb) = (pb(&a), pb(&b));
    let t = |npv, payback_years| compare::OptionTrials { npv, payback_years };
    let p = compare::paired(t(&b, &pbb), t(&a, &pa), "base");
    assert_eq!(p.trials, n);
    assert_eq!(p.p_npv_above, 0.0);
    assert!(close(p.mean_npv_difference, -expect, 1e-9), "{p:?}");
    assert!(p.mean_npv_difference_se.unwrap() < 1e-9 * expect, "{p:?}");
    let q = compare::paired(t(&a, &pa), t(&b, &pbb), "extra");
    assert_eq!(q.p_npv_above, 1.0);
    assert!(close(q.mean_npv_difference, expect, 1e-9), "{q:?}");
    // An independent run (another seed) is nowhere near as precise.
    let c = npvs(&sb, n, 12, method);
    let pc = pb(&c);
    let r = compare::paired(t(&c, &pc), t(&a, &pa), "base");
    assert!(r.p_npv_above > 0.1, "{r:?}");
    assert!(r.mean_npv_difference_se.unwrap() > 10.0, "{r:?}");
}

#[test]
fn crn_one_fixed_cost_differs_exactly_library() {
    assert_exact_pairing(PLAIN, Method::MonteCarlo);
}

#[test]
fn crn_one_fixed_cost_differs_exactly_with_shocks_and_correlations() {
    let rich = format!("{PLAIN}{SHOCKS_AND_CORRELATIONS}");
    assert_exact_pairing(&rich, Method::MonteCarlo);
}

#[test]
fn crn_one_fixed_cost_differs_exactly_under_latin_hypercube() {
    let rich = format!("{PLAIN}{SHOCKS_AND_CORRELATIONS}");
    assert_exact_pairing(&rich, Method::LatinHypercube);
}

/// `batch --baseline` on `base.toml` and `extra.toml` (base + MIGRATION).
fn assert_exact_pairing_cli(base: &str, extra: &str) {
    let sb = Sandbox::new();
    sb.write("scen/base.toml", base);
    sb.write("scen/extra.toml", extra);
    let expect = discounted_migration();

    sb.batch(&[
        "scen",
        "--baseline",
        "base",
        "--trials",
        "2000",
        "--no-charts",
        "-q",
    ])
    .assert()
    .success();
    let (_, rows) = summary_csv(&sb.out());
    let names: Vec<&str> = rows.iter().map(|r| r["name"].as_str()).collect();
    assert_eq!(names, ["base", "extra"]);
    let (b, e) = (&rows[0], &rows[1]);
    for r in &rows {
        assert_eq!(r["baseline"], "base");
        assert_eq!(r["trials"], "2000");
    }
    // The baseline against itself.
    assert_eq!(num(b, "p_npv_above_baseline"), 0.0);
    assert_eq!(num(b, "mean_npv_difference"), 0.0);
    assert_eq!(num(b, "mean_npv_difference_se"), 0.0);
    // The variant: below the baseline in every trial, by the discounted cost.
    assert_eq!(num(e, "p_npv_above_baseline"), 0.0);
    assert!(
        close(num(e, "mean_npv_difference"), -expect, 1e-6),
        "mean_npv_difference {} instead of {}",
        e["mean_npv_difference"],
        -expect
    );
    assert!(
        num(e, "mean_npv_difference_se") < 1e-6 * expect,
        "se {}",
        e["mean_npv_difference_se"]
    );
    // The difference is a point: P10 = P50 = P90 = −C·(1 + d)^(−m/12). The
    // shift is small next to the spread, so the distributions cannot be told
    // apart beyond Monte Carlo noise (DKW band of 2,000 trials each).
    for col in [
        "npv_difference_p10",
        "npv_difference_p50",
        "npv_difference_p90",
    ] {
        assert!(close(num(e, col), -expect, 1e-6), "{col}: {}", e[col]);
        assert_eq!(num(b, col), 0.0, "{col}");
    }
    // The migration falls in month 6: payback comes later or the same.
    assert_eq!(num(e, "p_payback_sooner"), 0.0);
    assert_eq!(num(b, "p_payback_same"), 1.0);
    assert_eq!(b["first_order_dominance"], "indistinguishable");
    // Expected shortfall: shifted by the constant too, and below the P10.
    assert!(close(
        num(b, "npv_expected_shortfall_10") - num(e, "npv_expected_shortfall_10"),
        expect,
        1e-6
    ));
    assert!(num(b, "npv_expected_shortfall_10") < num(b, "npv_p10"));
    // The base is better in every future: it is always the best option, and
    // knowing the future would change nothing.
    assert_eq!((num(b, "p_best"), num(e, "p_best")), (1.0, 0.0));
    for r in &rows {
        assert_eq!(num(r, "evpi_of_choice"), 0.0);
        assert_eq!(num(r, "evpi_of_choice_se"), 0.0);
    }
    // The NPV percentiles shift by the same amount (a constant shift).
    for col in ["npv_p10", "npv_p50", "npv_p90"] {
        assert!(
            close(num(b, col) - num(e, col), expect, 1e-6),
            "{col}: {} vs {}",
            b[col],
            e[col]
        );
    }

    // The other way round: the cheaper scenario beats the baseline always.
    sb.batch_to(
        "out2",
        &[
            "scen",
            "--baseline",
            "extra",
            "--trials",
            "2000",
            "--no-charts",
            "-q",
        ],
    )
    .assert()
    .success();
    let (_, rows) = summary_csv(&sb.path().join("out2"));
    assert_eq!(rows[0]["baseline"], "extra");
    assert_eq!(num(&rows[0], "p_npv_above_baseline"), 1.0);
    assert!(close(num(&rows[0], "mean_npv_difference"), expect, 1e-6));
    assert_eq!(num(&rows[1], "p_npv_above_baseline"), 0.0);
}

#[test]
fn crn_batch_baseline_pairs_exactly() {
    assert_exact_pairing_cli(PLAIN, &with_cost(PLAIN, MIGRATION));
}

#[test]
fn crn_batch_baseline_pairs_exactly_with_shocks_and_correlations() {
    let rich = format!("{PLAIN}{SHOCKS_AND_CORRELATIONS}");
    assert_exact_pairing_cli(&rich, &with_cost(&rich, MIGRATION));
}

#[test]
fn crn_batch_baseline_pairs_exactly_for_a_variant() {
    // The variant written with `extends`: the same pairing.
    let rich = format!("{PLAIN}{SHOCKS_AND_CORRELATIONS}");
    assert_exact_pairing_cli(&rich, &format!("extends = \"base.toml\"\n{MIGRATION}"));
}

// ---------------------------------------------------------------------------
// 6. Input order and unrelated inputs
// ---------------------------------------------------------------------------

/// Many kinds of input: business fields, a recurring cost with random
/// units and escalation, two benefits, two shocks, one correlation.
const ORDER_A: &str = r#"horizon_years = 3
[finance]
discount_rate = { uniform = [0.05, 0.1] }
target_payback_years = 2
[adoption]
ramp_months = { triangular = [2, 4, 8] }
max_level = { pert = [0.6, 0.85, 0.95] }
[business]
customers = { uniform = [200, 400] }
revenue_per_customer = 5000
gross_margin = { pert = [0.3, 0.35, 0.45] }
[[costs]]
name = "License"
amount = { pert = [20000, 30000, 50000] }
[[costs]]
name = "Seats"
amount = { uniform = [40, 60] }
units = { discrete = { values = [20, 25, 30], weights = [1, 2, 1] } }
every = "month"
escalation = { uniform = [0.0, 0.05] }
[[benefits]]
name = "Time"
kind = "efficiency"
hours_saved_per_month = { pert = [40, 80, 160] }
hourly_cost = { uniform = [40, 55] }
[[benefits]]
name = "Cross"
kind = "cross_sell"
uplift = { pert = [0.0, 0.01, 0.03] }
[[shocks]]
name = "Recession"
probability_per_year = { uniform = [0.1, 0.4] }
revenue_loss = { pert = [0.05, 0.1, 0.3] }
duration_months = { uniform = [3, 12] }
[[shocks]]
name = "Bankruptcy"
probability_per_year = 0.2
revenue_loss = { uniform = [0.02, 0.08] }
[[correlations]]
between = ["adoption.max_level", "benefits.Cross.uplift"]
rank = 0.5
"#;

/// [`ORDER_A`] with every section's items (and some keys) in another order.
const ORDER_B: &str = r#"horizon_years = 3
[[correlations]]
between = ["benefits.Cross.uplift", "adoption.max_level"]
rank = 0.5
[[shocks]]
name = "Bankruptcy"
revenue_loss = { uniform = [0.02, 0.08] }
probability_per_year = 0.2
[[shocks]]
name = "Recession"
probability_per_year = { uniform = [0.1, 0.4] }
revenue_loss = { pert = [0.05, 0.1, 0.3] }
duration_months = { uniform = [3, 12] }
[[benefits]]
name = "Cross"
kind = "cross_sell"
uplift = { pert = [0.0, 0.01, 0.03] }
[[benefits]]
name = "Time"
kind = "efficiency"
hourly_cost = { uniform = [40, 55] }
hours_saved_per_month = { pert = [40, 80, 160] }
[[costs]]
name = "Seats"
every = "month"
escalation = { uniform = [0.0, 0.05] }
units = { discrete = { values = [20, 25, 30], weights = [1, 2, 1] } }
amount = { uniform = [40, 60] }
[[costs]]
name = "License"
amount = { pert = [20000, 30000, 50000] }
[business]
gross_margin = { pert = [0.3, 0.35, 0.45] }
revenue_per_customer = 5000
customers = { uniform = [200, 400] }
[adoption]
max_level = { pert = [0.6, 0.85, 0.95] }
ramp_months = { triangular = [2, 4, 8] }
[finance]
target_payback_years = 2
discount_rate = { uniform = [0.05, 0.1] }
"#;

/// An unrelated random cost, placed first among the costs.
const CONSULTING: &str = r#"[[costs]]
name = "Consulting"
amount = { lognormal = { p5 = 2000, p95 = 9000 } }
units = { uniform = [1, 3] }
at_month = 2
"#;

/// [`ORDER_A`] with [`CONSULTING`] before its first cost.
fn order_c() -> String {
    let at = ORDER_A.find("[[costs]]").unwrap();
    format!("{}{CONSULTING}{}", &ORDER_A[..at], &ORDER_A[at..])
}

/// Shock occurrences of one trial by shock name: (month, loss, duration).
type Occ = BTreeMap<String, Vec<(usize, u64, Option<usize>)>>;

/// Draws of every input (by path) and shock occurrences of trials 0..n.
fn draws(sc: &Scenario, settings: Settings, n: u64) -> (Vec<BTreeMap<String, f64>>, Vec<Occ>) {
    let engine = Engine::new(sc, settings);
    let mut scratch = engine.scratch();
    let mut inputs = Vec::new();
    let mut occurrences = Vec::new();
    for t in 0..n {
        engine.trial(t, &mut scratch, |_, _| {});
        let x = scratch.inputs();
        assert_eq!(x.len(), sc.inputs.len());
        inputs.push(
            sc.inputs
                .iter()
                .zip(x)
                .map(|(d, &v)| (d.path.clone(), v))
                .collect(),
        );
        let mut occ = Occ::new();
        for s in &sc.shocks {
            occ.insert(s.name.clone(), Vec::new());
        }
        for o in scratch.occurrences() {
            occ.get_mut(&sc.shocks[o.shock].name).unwrap().push((
                o.month,
                o.loss.to_bits(),
                o.duration,
            ));
        }
        occurrences.push(occ);
    }
    (inputs, occurrences)
}

/// Asserts that every input path of `a` that `b` has too gets bit-identical
/// draws in every trial, and that shock occurrences agree; returns the
/// number of shared paths.
fn assert_same_draws(a: &Scenario, b: &Scenario, sa: Settings, sb: Settings, n: u64) -> usize {
    let (xa, oa) = draws(a, sa, n);
    let (xb, ob) = draws(b, sb, n);
    let shared: Vec<&String> = xa[0].keys().filter(|p| xb[0].contains_key(*p)).collect();
    for t in 0..n as usize {
        for p in &shared {
            assert_eq!(
                xa[t][*p].to_bits(),
                xb[t][*p].to_bits(),
                "trial {t}, {p}: {} ({}) vs {} ({})",
                xa[t][*p],
                a.name,
                xb[t][*p],
                b.name
            );
        }
        assert_eq!(oa[t], ob[t], "trial {t}: shock occurrences");
    }
    // The comparison is not vacuous: draws vary and shocks occur.
    let license: Vec<f64> = xa.iter().map(|x| x["costs.License.amount"]).collect();
    assert!(license.windows(2).any(|w| w[0] != w[1]));
    assert!(oa.iter().filter(|o| !o["Recession"].is_empty()).count() > n as usize / 20);
    shared.len()
}

fn mc(trials: u64) -> Settings {
    Settings::new(trials, 5, Method::MonteCarlo)
}

fn lhs(trials: u64) -> Settings {
    Settings::new(trials, 5, Method::LatinHypercube)
}

#[test]
fn draws_do_not_depend_on_item_order() {
    let a = scenario(ORDER_A, "a.toml");
    let b = scenario(ORDER_B, "b.toml");
    // Same inputs, other order.
    let mut pa: Vec<&str> = a.inputs.iter().map(|i| i.path.as_str()).collect();
    let mut pb: Vec<&str> = b.inputs.iter().map(|i| i.path.as_str()).collect();
    assert_ne!(pa, pb, "the input order differs");
    pa.sort_unstable();
    pb.sort_unstable();
    assert_eq!(pa, pb);
    let shared = assert_same_draws(&a, &b, mc(2000), mc(2000), 2000);
    assert_eq!(shared, a.inputs.len());
}

#[test]
fn draws_do_not_depend_on_unrelated_inputs() {
    let a = scenario(ORDER_A, "a.toml");
    let c = scenario(&order_c(), "c.toml");
    assert_eq!(c.inputs.len(), a.inputs.len() + 2);
    assert!(
        c.input("costs.Consulting.amount").unwrap().0 < c.input("costs.License.amount").unwrap().0,
        "the new input comes before the shared ones"
    );
    let shared = assert_same_draws(&a, &c, mc(2000), mc(2000), 2000);
    assert_eq!(shared, a.inputs.len());
    // Both at once: reordered, and with the extra input.
    let b = scenario(ORDER_B, "b.toml");
    assert_same_draws(&b, &c, mc(2000), mc(2000), 2000);
}

#[test]
fn monte_carlo_draws_do_not_depend_on_the_trial_count() {
    let a = scenario(ORDER_A, "a.toml");
    let c = scenario(&order_c(), "c.toml");
    assert_same_draws(&a, &c, mc(1000), mc(3000), 1000);
}

#[test]
fn latin_hypercube_pairs_exactly_with_equal_trial_counts() {
    let a = scenario(ORDER_A, "a.toml");
    let b = scenario(ORDER_B, "b.toml");
    let c = scenario(&order_c(), "c.toml");
    assert_same_draws(&a, &b, lhs(2000), lhs(2000), 2000);
    assert_same_draws(&a, &c, lhs(2000), lhs(2000), 2000);
}

#[test]
fn latin_hypercube_draws_depend_on_the_trial_count() {
    // The documented limit: the strata depend on the number of trials, so
    // runs with different counts do not share the draws of random inputs.
    let a = scenario(ORDER_A, "a.toml");
    let n = 1000u64;
    let (x1, o1) = draws(&a, lhs(n), n);
    let (x2, _) = draws(&a, lhs(2 * n), n);
    let (xm, om) = draws(&a, mc(n), n);
    for d in &a.inputs {
        let p = &d.path;
        let same = (0..n as usize).filter(|&t| x1[t][p] == x2[t][p]).count();
        let same_as_mc = (0..n as usize).filter(|&t| x1[t][p] == xm[t][p]).count();
        if d.quantity.is_fixed() {
            assert_eq!(same, n as usize, "{p} is fixed");
        } else if p == "costs.Seats.units" {
            // A discrete input takes one of three values: draws agree often
            // by chance, but not always.
            assert!(same < n as usize, "{p}: {same} of {n} equal");
        } else {
            assert!(same < 5, "{p}: {same} of {n} draws equal");
            assert!(
                same_as_mc < 5,
                "{p}: {same_as_mc} of {n} equal to Monte Carlo"
            );
        }
    }
    // Shock occurrences are always plain Monte Carlo, but follow the
    // (stratified) yearly probability: only a fixed probability keeps them.
    for t in 0..n as usize {
        assert_eq!(o1[t]["Bankruptcy"], om[t]["Bankruptcy"], "trial {t}");
    }
    // Each random input fills every stratum exactly once (the first member
    // of a correlated group included).
    for p in [
        "finance.discount_rate",
        "adoption.max_level",
        "costs.License.amount",
    ] {
        let q = &a.inputs[a.input(p).unwrap().0].quantity;
        let mut hit = vec![0u32; n as usize];
        for x in &x1 {
            // Invert the draw through the distribution: the stratum of u.
            let u = bisect_cdf(q, x[p]);
            hit[((u * n as f64) as usize).min(n as usize - 1)] += 1;
        }
        assert!(hit.iter().all(|&h| h == 1), "{p}: strata not all hit once");
    }
}

/// The u in (0, 1) with q.value(u) = x, by bisection (q increasing).
fn bisect_cdf(q: &Quantity, x: f64) -> f64 {
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if q.value(mid) < x {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// [`ORDER_A`] with a correlation between the two costs it swaps in
/// [`ORDER_B`]; and [`ORDER_B`] with the same correlation.
const COST_CORRELATION: &str = r#"[[correlations]]
between = ["costs.License.amount", "costs.Seats.amount"]
rank = 0.7
"#;

#[test]
fn correlated_draws_do_not_depend_on_item_order() {
    let a = scenario(&format!("{ORDER_A}{COST_CORRELATION}"), "a.toml");
    let b = scenario(&format!("{ORDER_B}{COST_CORRELATION}"), "b.toml");
    assert_same_draws(&a, &b, mc(2000), mc(2000), 2000);
}

// ---------------------------------------------------------------------------
// 7. --baseline and --no-charts
// ---------------------------------------------------------------------------

/// Three scenarios: scen/a.toml, scen/vendors/b.toml (named "Vendor B"),
/// scen/vendors/deep/c.toml.
fn three(sb: &Sandbox) {
    sb.write("scen/a.toml", PLAIN);
    sb.write(
        "scen/vendors/b.toml",
        &format!(
            "name = \"Vendor B\"\n{}",
            replace_once(PLAIN, "hourly_cost = 45", "hourly_cost = 55")
        ),
    );
    sb.write("scen/vendors/deep/c.toml", &with_cost(PLAIN, MIGRATION));
}

#[test]
fn unknown_baseline_lists_the_names() {
    let sb = Sandbox::new();
    three(&sb);
    let a = sb
        .batch(&["scen", "--baseline", "nope", "--trials", "1000"])
        .assert()
        .code(2);
    let err = stderr_of(&a);
    assert!(err.contains("--baseline nope"), "{err}");
    assert!(err.contains("names: a, Vendor B, c"), "{err}");
    assert!(
        !sb.out().join("batch_summary.csv").exists(),
        "nothing is simulated"
    );
}

/// A baseline that names a file of the batch that does not run says why,
/// rather than that no scenario has that name.
#[test]
fn a_baseline_that_does_not_run_says_why() {
    let sb = Sandbox::new();
    three(&sb);
    sb.write("scen/broken.toml", "name = \"broken\"\nhorizon_years = 5\n");
    sb.write("scen/base.toml", &format!("abstract = true\n{PLAIN}"));
    for (key, why) in [
        ("broken", "broken.toml: missing field `finance`"),
        (
            "base",
            "base.toml is an abstract base (abstract = true), not a scenario to run",
        ),
    ] {
        let a = sb
            .batch(&["scen", "--baseline", key, "--trials", "1000"])
            .assert()
            .code(2);
        let err = stderr_of(&a);
        assert!(
            err.contains(&format!(
                "--baseline {key}: that scenario does not run in this batch: "
            )) && err.contains(why),
            "{err}"
        );
    }
    assert!(!sb.out().exists(), "nothing is simulated");
}

#[test]
fn baseline_by_name_or_by_relative_path() {
    let sb = Sandbox::new();
    three(&sb);
    for (i, key) in ["vendors/b", "Vendor B"].iter().enumerate() {
        let out = format!("out{i}");
        sb.batch_to(
            &out,
            &[
                "scen",
                "--baseline",
                key,
                "--trials",
                "1000",
                "--no-charts",
                "-q",
            ],
        )
        .assert()
        .success();
        let (_, rows) = summary_csv(&sb.path().join(&out));
        let names: Vec<&str> = rows.iter().map(|r| r["name"].as_str()).collect();
        assert_eq!(names, ["a", "Vendor B", "c"]);
        for r in &rows {
            assert_eq!(r["baseline"], "Vendor B", "{key}");
        }
        // B's hourly cost is higher: it beats a in every trial.
        assert_eq!(num(&rows[0], "p_npv_above_baseline"), 0.0);
        assert!(num(&rows[0], "mean_npv_difference") < 0.0);
        assert_eq!(num(&rows[1], "mean_npv_difference"), 0.0);
        // c = a + migration: exactly the discounted cost below a.
        let ac = num(&rows[0], "mean_npv_difference") - num(&rows[2], "mean_npv_difference");
        assert!(close(ac, discounted_migration(), 1e-6), "{ac}");
    }
    // With charts, the overview has the paired section.
    sb.batch_to(
        "out9",
        &["scen", "--baseline", "vendors/b", "--trials", "1000", "-q"],
    )
    .assert()
    .success();
    let index = fs::read_to_string(sb.path().join("out9/index.html")).unwrap();
    assert!(index.contains("Compared with Vendor B"), "paired section");
    // The choice: a + migration = c is worse than a in every future; the
    // EVPI is stated; the chart marks each option's median gain.
    assert!(index.contains("<h2>Choosing between options</h2>"));
    assert!(index.contains("expected value of perfect information"));
    assert!(index.contains("median gain"), "the chart's gain labels");
    let (_, rows) = summary_csv(&sb.path().join("out9"));
    let p_best: f64 = rows.iter().map(|r| num(r, "p_best")).sum();
    assert!((p_best - 1.0).abs() < 1e-12, "shares of best add up to 1");
    assert_eq!(rows[2]["p_best"], "0", "c is never the best");
    assert_eq!(rows[1]["first_order_dominance"], "indistinguishable");
    // B's hourly cost is higher than a's: in every future a is below it.
    assert_eq!(num(&rows[0], "npv_difference_p90").signum(), -1.0);
    assert!(index.contains("href=\"./vendors/b/report.html\""));
}

#[test]
fn no_charts_writes_only_the_numbers() {
    let sb = Sandbox::new();
    three(&sb);
    let a = sb
        .batch(&["scen", "--trials", "1000", "--no-charts"])
        .assert()
        .success();
    assert!(stdout_of(&a).contains("batch_summary.csv"));
    let out = sb.out();
    assert_eq!(
        entries(&out),
        [
            ".crm-roi-batch",
            "a",
            "batch_summary.csv",
            "batch_summary.xlsx",
            "vendors"
        ]
    );
    for d in ["a", "vendors/b", "vendors/deep/c"] {
        assert_eq!(entries(&out.join(d)), NUMBER_FILES, "{d}");
    }
    let (header, rows) = summary_csv(&out);
    assert_eq!(header, SUMMARY_COLUMNS);
    assert_eq!(rows.len(), 3);
}

// ---------------------------------------------------------------------------
// 8. Determinism
// ---------------------------------------------------------------------------

#[test]
fn batch_twice_gives_identical_results() {
    let sb = Sandbox::new();
    three(&sb);
    sb.write("scen/base.toml", ABSTRACT_BASE);
    sb.write(
        "scen/variant.toml",
        "extends = \"base.toml\"\n[finance]\ntarget_payback_years = 2\n",
    );
    let args = ["scen", "--baseline", "a", "--trials", "1500", "-q"];
    sb.batch_to("out1", &args).assert().success();
    sb.batch_to("out2", &args).assert().success();
    let (s1, s2) = (
        snapshot(&sb.path().join("out1")),
        snapshot(&sb.path().join("out2")),
    );
    assert_eq!(
        s1.keys().collect::<Vec<_>>(),
        s2.keys().collect::<Vec<_>>(),
        "different files"
    );
    for must in [
        "batch_summary.csv",
        "a/summary.json",
        "vendors/b/summary.json",
        "vendors/deep/c/summary.json",
        "variant/summary.json",
    ] {
        let k = must.replace('/', std::path::MAIN_SEPARATOR_STR);
        assert!(s1.contains_key(&k), "{must} missing");
    }
    for (k, v) in &s1 {
        assert!(v == &s2[k], "{k} differs between two identical batches");
    }
    // Again into the same directory: the results are replaced, identical.
    sb.batch_to("out1", &args).assert().success();
    let s3 = snapshot(&sb.path().join("out1"));
    assert!(
        s1 == s3,
        "a rerun into the same directory changed the results"
    );
}

#[test]
fn batch_baseline_same_bytes_whatever_the_threads() {
    // The paired statistics, dominance, shortfall and EVPI are reductions
    // over kept trials in trial order: one thread or two, the same bytes.
    let sb = Sandbox::new();
    three(&sb);
    let mut files = Vec::new();
    for threads in ["1", "2"] {
        let out = format!("out-{threads}");
        sb.batch_to(&out, &["scen", "--baseline", "a", "--trials", "3000", "-q"])
            .env("RAYON_NUM_THREADS", threads)
            .assert()
            .success();
        let dir = sb.path().join(&out);
        files.push(
            [
                "batch_summary.csv",
                "batch_summary.xlsx",
                "index.html",
                "comparison.svg",
            ]
            .map(|f| fs::read(dir.join(f)).unwrap()),
        );
    }
    for (i, f) in [
        "batch_summary.csv",
        "batch_summary.xlsx",
        "index.html",
        "comparison.svg",
    ]
    .iter()
    .enumerate()
    {
        assert!(
            files[0][i] == files[1][i],
            "{f} differs between 1 and 2 threads"
        );
    }
}

// ---------------------------------------------------------------------------
// Output tree collisions
// ---------------------------------------------------------------------------

#[test]
fn a_file_and_a_directory_of_the_same_stem_keep_both_results() {
    let sb = Sandbox::new();
    sb.write("scen/a.toml", PLAIN);
    sb.write("scen/a/b.toml", PLAIN);
    let a = sb
        .batch(&["scen", "--trials", "1000", "--no-charts", "-q"])
        .assert();
    let code = a.get_output().status.code();
    let (_, rows) = summary_csv(&sb.out());
    // Either both ran and both results exist, or the clash was reported.
    if code == Some(0) {
        assert_eq!(rows.len(), 2);
        assert!(sb.out().join("a/summary.json").is_file());
        assert!(
            sb.out().join("a/b/summary.json").is_file(),
            "b's results, listed in batch_summary.csv, are gone: {:?}",
            entries(&sb.out().join("a"))
        );
    } else {
        assert_eq!(code, Some(2));
        for r in &rows {
            let dir = if r["name"] == "a" { "a" } else { "a/b" };
            assert!(sb.out().join(dir).join("summary.json").is_file(), "{dir}");
        }
    }
}

// ---------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------

#[test]
fn a_file_failing_through_its_base_is_named() {
    let sb = Sandbox::new();
    sb.write(
        "scen/mid.toml",
        "extends = \"gone.toml\"\nhorizon_years = 2\n",
    );
    sb.write("scen/top.toml", "extends = \"mid.toml\"\n");
    let a = sb
        .batch(&["scen/top.toml", "--trials", "100", "--no-charts", "-q"])
        .assert()
        .code(2);
    // The failing file first, then the base that is missing.
    assert_eq!(
        stderr_of(&a),
        "1 scenario file(s) failed:\n  \
         scen/top.toml: extends: in its base scen/mid.toml: extends: base scenario scen/gone.toml not found\n\
         error: 1 of the batch's scenario files failed\n"
    );
}

#[test]
fn the_overview_it_points_to_exists() {
    let sb = Sandbox::new();
    sb.write("scen/base.toml", ABSTRACT_BASE);
    sb.write(
        "scen/cautious.toml",
        "extends = \"base.toml\"\n[finance]\ntarget_payback_years = 2\n",
    );
    let a = sb.batch(&["scen", "--trials", "100"]).assert().success();
    let stdout = stdout_of(&a);
    let overview = stdout
        .split("overview: ")
        .nth(1)
        .unwrap_or_else(|| panic!("no overview printed: {stdout}"))
        .trim();
    assert!(
        Path::new(overview).exists(),
        "{overview} is printed but does not exist"
    );
}
