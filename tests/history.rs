//! Past experience in scenarios: empirical quantities read from CSV files
//! (the resampling rule, paths relative to the scenario file and to a base,
//! `scale`, truncation, correlation, and every error case with its line).
//!
//! Every test works in its own temporary directory.

mod common;

use common::{Sandbox, csv_rows, read_json, stderr_of};
use std::collections::BTreeMap;

/// A scenario whose hours saved come from `history/past.csv`; `{extra}` is
/// appended to the empirical table (scale, truncation).
fn scenario(hours: &str) -> String {
    format!(
        r#"horizon_years = 3
[finance]
discount_rate = 0.05
target_payback_years = 2
[[costs]]
name = "License"
amount = {{ pert = [800, 1000, 1500] }}
[[benefits]]
name = "Time"
kind = "efficiency"
hours_saved_per_month = {hours}
hourly_cost = {{ pert = [40, 50, 60] }}
"#
    )
}

const PAST: &str = "project,hours,note\nA,30,ok\nB,10,ok\nC,20,late\nD,50,ok\nE,20,ok\n";
const HOURS: &str = r#"{ empirical = { file = "history/past.csv", column = "hours" } }"#;
const PATH: &str = "benefits.Time.hours_saved_per_month";

/// The `inputs` entry of the hours saved in run `name`'s summary.json.
fn hours_input(sb: &Sandbox, name: &str) -> serde_json::Value {
    let summary = read_json(&sb.out().join(name).join("summary.json"));
    summary["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["input"] == PATH)
        .expect("the hours input")
        .clone()
}

/// How often each value of the input was drawn, from trials.csv.
fn drawn(sb: &Sandbox, name: &str) -> BTreeMap<String, usize> {
    let rows = csv_rows(&sb.out().join(name).join("trials.csv"));
    let col = rows[0].iter().position(|h| h == PATH).expect("the column");
    let mut counts = BTreeMap::new();
    for r in &rows[1..] {
        *counts.entry(r[col].clone()).or_insert(0) += 1;
    }
    counts
}

/// Five values, each stratum of a Latin hypercube of 10,000 trials: the
/// k-th smallest value is drawn for u in ((k−1)/5, k/5], so exactly 2,000
/// times per value, and 20 (observed twice) 4,000 times.
#[test]
fn values_are_resampled_with_equal_weight() {
    let sb = Sandbox::new();
    sb.write("scenarios/history/past.csv", PAST);
    sb.write("scenarios/s.toml", &scenario(HOURS));
    // Run from elsewhere: the CSV path is relative to the scenario file.
    sb.run(&[
        "scenarios/s.toml",
        "--trials",
        "10000",
        "--sampling",
        "latin-hypercube",
        "--export-trials",
        "--no-charts",
        "-q",
    ])
    .assert()
    .success();
    let counts = drawn(&sb, "s");
    let want: BTreeMap<String, usize> = [("10", 2000), ("20", 4000), ("30", 2000), ("50", 2000)]
        .into_iter()
        .map(|(v, c)| (v.to_string(), c))
        .collect();
    assert_eq!(counts, want);

    let input = hours_input(&sb, "s");
    assert_eq!(
        input["distribution"],
        "empirical(history/past.csv: hours, 5 values)"
    );
    // The input's percentiles follow the same rule: p50 is the 3rd value.
    assert_eq!(input["p50"], 20.0);
    assert_eq!(input["p90"], 50.0);
}

/// Monte Carlo draws: each of the five rows about a fifth of the time
/// (binomial sd of a count out of 20,000 at p = 0.2 is 57; 4 sd allowed).
#[test]
fn monte_carlo_draws_each_row_a_fifth_of_the_time() {
    let sb = Sandbox::new();
    sb.write("history/past.csv", PAST);
    sb.write("s.toml", &scenario(HOURS));
    sb.run(&[
        "s.toml",
        "--trials",
        "20000",
        "--export-trials",
        "--no-charts",
        "-q",
    ])
    .assert()
    .success();
    let counts = drawn(&sb, "s");
    for (value, rows) in [("10", 1.0f64), ("20", 2.0), ("30", 1.0), ("50", 1.0)] {
        let got = counts[value] as f64;
        let want = 4000.0 * rows;
        let sd = (20000.0 * 0.2 * rows * (1.0 - 0.2 * rows)).sqrt();
        assert!((got - want).abs() < 4.0 * sd, "{value}: {got} vs {want}");
    }
}

#[test]
fn scale_and_truncation_apply_to_the_values() {
    let sb = Sandbox::new();
    sb.write("history/past.csv", PAST);
    let hours =
        r#"{ empirical = { file = "history/past.csv", column = "hours", scale = 1.5 }, max = 45 }"#;
    sb.write("s.toml", &scenario(hours));
    sb.run(&[
        "s.toml",
        "--trials",
        "3000",
        "--export-trials",
        "--no-charts",
        "-q",
    ])
    .assert()
    .success();
    let counts = drawn(&sb, "s");
    // 10, 20, 20, 30, 50 times 1.5, and 75 is beyond max = 45.
    assert_eq!(counts.keys().collect::<Vec<_>>(), ["15", "30", "45"]);
    // 30 is two of the four values kept.
    let share = counts["30"] as f64 / 3000.0;
    assert!(
        (share - 0.5).abs() < 4.0 * (0.25f64 / 3000.0).sqrt(),
        "{share}"
    );
}

/// A base in another directory keeps its data files relative to itself.
#[test]
fn a_base_reads_its_files_relative_to_itself() {
    let sb = Sandbox::new();
    sb.write("bases/history/past.csv", PAST);
    sb.write(
        "bases/base.toml",
        &format!("abstract = true\n{}", scenario(HOURS)),
    );
    sb.write(
        "variants/v.toml",
        "extends = \"../bases/base.toml\"\n[finance]\ndiscount_rate = 0.1\n",
    );
    sb.run(&["variants/v.toml", "--trials", "500", "--no-charts", "-q"])
        .assert()
        .success();
    assert_eq!(
        hours_input(&sb, "v")["distribution"],
        "empirical(../bases/history/past.csv: hours, 5 values)"
    );
}

#[test]
fn an_empirical_input_can_be_correlated() {
    let sb = Sandbox::new();
    sb.write("history/past.csv", PAST);
    let text = format!(
        "{}[[correlations]]\nbetween = [\"{PATH}\", \"benefits.Time.hourly_cost\"]\nrank = 0.8\n",
        scenario(HOURS)
    );
    sb.write("s.toml", &text);
    sb.run(&[
        "s.toml",
        "--trials",
        "2000",
        "--export-trials",
        "--no-charts",
        "-q",
    ])
    .assert()
    .success();
    // Trials that draw the largest value (50) have a higher hourly cost on
    // average than those that draw the smallest (10).
    let rows = csv_rows(&sb.out().join("s/trials.csv"));
    let h = rows[0].iter().position(|c| c == PATH).unwrap();
    let c = rows[0]
        .iter()
        .position(|c| c == "benefits.Time.hourly_cost")
        .unwrap();
    let mean_cost = |value: &str| {
        let xs: Vec<f64> = rows[1..]
            .iter()
            .filter(|r| r[h] == value)
            .map(|r| r[c].parse::<f64>().unwrap())
            .collect();
        xs.iter().sum::<f64>() / xs.len() as f64
    };
    assert!(mean_cost("50") > mean_cost("10") + 5.0);
}

/// `validate` on a scenario whose CSV is `csv`; exit code 2 and every
/// needle in stderr.
fn rejected(hours: &str, csv: Option<&str>, needles: &[&str]) {
    let sb = Sandbox::new();
    if let Some(text) = csv {
        sb.write("history/past.csv", text);
    }
    sb.write("s.toml", &scenario(hours));
    let a = sb.cmd().args(["validate", "s.toml"]).assert().code(2);
    let err = stderr_of(&a);
    // The scenario file, the line of the quantity and the field path.
    for n in ["s.toml:11", PATH].iter().chain(needles) {
        assert!(err.contains(n), "stderr lacks `{n}`:\n{err}");
    }
}

#[test]
fn a_missing_file_is_named() {
    rejected(HOURS, None, &["file `history/past.csv` not found"]);
}

#[test]
fn a_missing_column_lists_the_columns() {
    let hours = r#"{ empirical = { file = "history/past.csv", column = "hour" } }"#;
    rejected(
        hours,
        Some(PAST),
        &["has no column `hour`; its columns are `project`, `hours`, `note`"],
    );
}

#[test]
fn a_cell_that_is_not_a_number_is_named_by_line() {
    let csv = "project,hours\nA,30\nB,10\nC,about 20\nD,50\nE,20\n";
    rejected(
        HOURS,
        Some(csv),
        &["`history/past.csv` line 4: column `hours` holds `about 20`, which is not a number"],
    );
}

#[test]
fn an_empty_or_missing_cell_is_named_by_line() {
    let csv = "project,hours\nA,30\nB,10\nC,20\nD,\nE,20\n";
    rejected(HOURS, Some(csv), &["line 5: column `hours` is empty"]);
    // A row that stops short is ragged, whichever column is read.
    let csv = "project,hours\nA,30\nB,10\nC,20\nD,50\nE\n";
    rejected(
        HOURS,
        Some(csv),
        &["line 6: 1 field where the header has 2"],
    );
}

/// `1,234.5` was read as 1 and `1.234,5` as 1.234, with exit 0.
#[test]
fn a_thousands_separator_or_decimal_comma_is_refused_not_misread() {
    for (csv, needle) in [
        (
            "project,hours\nA,30\nB,1,234.5\nC,20\nD,50\nE,20\n",
            "`history/past.csv` line 3: 3 fields where the header has 2; a number written with a thousands separator or a decimal comma",
        ),
        (
            "project,hours\nA,30\nB,1.234,5\nC,20\nD,50\nE,20\n",
            "`history/past.csv` line 3: 3 fields where the header has 2",
        ),
        (
            "project;hours\nA;30\nB;1.234,5\nC;20\nD;50\nE;20\n",
            "`history/past.csv` line 3: column `hours` holds `1.234,5`: thousands separators and decimal commas are not read",
        ),
        (
            "project;hours\nA;30\nB;1.234\nC;20\nD;50\nE;20\n",
            "`history/past.csv` line 3: column `hours` holds `1.234`, which in a file separated by semicolons may be 1234",
        ),
    ] {
        rejected(HOURS, Some(csv), &[needle]);
    }
}

#[test]
fn a_duplicated_column_name_is_refused() {
    let csv = "project,hours,hours\nA,30,1\nB,10,1\nC,20,1\nD,50,1\nE,20,1\n";
    rejected(
        HOURS,
        Some(csv),
        &["`history/past.csv` has two columns named `hours` (columns 2 and 3)"],
    );
}

/// Each value times `scale` is held to the 1e15 of every scenario number;
/// 1e308 used to pass validation and fail the run with a generic overflow.
#[test]
fn a_value_too_large_is_caught_by_validation() {
    let csv = "project,hours\nA,30\nB,10\nC,1e308\nD,50\nE,20\n";
    rejected(
        HOURS,
        Some(csv),
        &[
            "`history/past.csv` line 4: column `hours` holds 1e308, which is too large (at most 1e15",
        ],
    );
    let scaled = r#"{ empirical = { file = "history/past.csv", column = "hours", scale = 1e14 } }"#;
    rejected(
        scaled,
        Some(PAST),
        &[
            "`history/past.csv` line 2: column `hours` holds 30, 3e15 once scaled, which is too large",
        ],
    );
}

/// `/dev/zero` was read until memory ran out, a FIFO blocked forever.
#[cfg(unix)]
#[test]
fn a_file_that_is_not_a_regular_file_is_refused() {
    let sb = Sandbox::new();
    common::mkfifo(&sb.path().join("pipe.csv"));
    for (file, what) in [
        ("/dev/zero", "is a device"),
        ("pipe.csv", "is a named pipe (FIFO)"),
        (".", "is a directory"),
    ] {
        let hours = format!(r#"{{ empirical = {{ file = "{file}", column = "hours" }} }}"#);
        sb.write("s.toml", &scenario(&hours));
        let a = sb
            .cmd()
            .args(["validate", "s.toml"])
            .timeout(std::time::Duration::from_secs(20))
            .assert()
            .code(2);
        let err = stderr_of(&a);
        assert!(
            err.contains(&format!("`{file}` {what}; it must be a CSV file")),
            "{err}"
        );
        let a = sb
            .cmd()
            .args(["fit", &file.replace("pipe.csv", "./pipe.csv")])
            .timeout(std::time::Duration::from_secs(20))
            .assert()
            .code(2);
        assert!(stderr_of(&a).contains(what), "{}", stderr_of(&a));
    }
}

#[test]
fn fewer_than_five_values_suggest_a_pert() {
    let csv = "project,hours\nA,30\nB,10\nC,20\nD,50\n";
    rejected(
        HOURS,
        Some(csv),
        &[
            "has 4 values; at least 5 are needed",
            "{ pert = [10, 25, 50] }",
        ],
    );
    let csv = "project,hours\nA,12\nB,8\nC,20\n";
    rejected(
        HOURS,
        Some(csv),
        &["has 3 values", "{ pert = [8, 12, 20] }"],
    );
    // The suggestion is of the scaled values.
    let scaled = r#"{ empirical = { file = "history/past.csv", column = "hours", scale = 2 } }"#;
    rejected(scaled, Some(csv), &["{ pert = [16, 24, 40] }"]);
    let csv = "project,hours\nA,4\nB,4\n";
    rejected(
        HOURS,
        Some(csv),
        &["has 2 values", "give the fixed value 4 instead"],
    );
}

#[test]
fn the_empirical_table_is_checked() {
    let typo = r#"{ empirical = { file = "history/past.csv", colum = "hours" } }"#;
    rejected(typo, Some(PAST), &["unknown key `colum`"]);
    let no_file = r#"{ empirical = { column = "hours" } }"#;
    rejected(no_file, Some(PAST), &["missing `file`"]);
    let number = r#"{ empirical = { file = 3, column = "hours" } }"#;
    rejected(number, Some(PAST), &["`file` must be a string"]);
    let scale = r#"{ empirical = { file = "history/past.csv", column = "hours", scale = -1 } }"#;
    rejected(scale, Some(PAST), &["scale must be a number > 0"]);
}

// ---------------------------------------------------------------------------
// crm-roi fit
// ---------------------------------------------------------------------------

/// 2,000 hours from a lognormal with median 200 and sigma 0.5 (fixed seed),
/// a column of uniform shares in (0, 1), and a text column.
fn synthetic_csv() -> String {
    use rand::{RngExt, SeedableRng};
    use rand_distr::{Distribution, LogNormal};
    let mut rng = rand::rngs::Xoshiro256PlusPlus::seed_from_u64(2026);
    let hours = LogNormal::new(200f64.ln(), 0.5).unwrap();
    let mut text = String::from("project,hours,share\n");
    for i in 0..2000 {
        let h: f64 = hours.sample(&mut rng);
        let s: f64 = rng.random_range(0.2..0.8);
        text.push_str(&format!("P{i},{h:.4},{s:.5}\n"));
    }
    text
}

#[test]
fn fit_finds_the_family_and_its_line_runs() {
    let sb = Sandbox::new();
    sb.write("history/past.csv", &synthetic_csv());
    let a = sb
        .cmd()
        .args([
            "fit",
            "history/past.csv",
            "--column",
            "hours",
            "--out",
            "out",
        ])
        .assert()
        .success();
    let out = common::stdout_of(&a);
    // The best fit is a lognormal, and its line is ready to paste.
    let line = out
        .lines()
        .skip_while(|l| !l.contains("ready to paste"))
        .nth(1)
        .unwrap_or_else(|| panic!("no suggestion in:\n{out}"))
        .trim()
        .to_string();
    // `hours` is no field of a scenario: the key is a placeholder.
    assert!(
        line.starts_with("<field> = { lognormal = { p5 = "),
        "{line}"
    );
    assert!(out.contains("ruled out"), "{out}");
    assert!(sb.out().join("fit/past/hours.svg").is_file());
    assert!(sb.out().join("fit/past/hours.png").is_file());

    // Pasted into a scenario, it runs, and its median is the true 200: the
    // fitted mu has a standard error of 0.5/√2000 = 0.011, so the median
    // one of 1.1%; 5% allows 4.5 of them.
    let quantity = line.trim_start_matches("<field> = ");
    sb.write("s.toml", &scenario(quantity));
    sb.run(&["s.toml", "--trials", "500", "--no-charts", "-q"])
        .assert()
        .success();
    let input = hours_input(&sb, "s");
    let p50 = input["p50"].as_f64().unwrap();
    assert!((p50 / 200.0 - 1.0).abs() < 0.05, "median {p50}");
}

#[test]
fn fit_json_lists_every_family_or_why_not() {
    let sb = Sandbox::new();
    sb.write("past.csv", &synthetic_csv());
    let a = sb
        .cmd()
        .args(["fit", "past.csv", "--json", "--no-charts"])
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_str(&common::stdout_of(&a)).unwrap();
    // Without --column: every column of numbers, not the text column.
    let columns = v["columns"].as_array().unwrap();
    let names: Vec<&str> = columns
        .iter()
        .map(|c| c["column"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["hours", "share"]);
    for c in columns {
        let fitted = c["fits"].as_array().unwrap().len();
        let excluded = c["excluded"].as_array().unwrap().len();
        assert_eq!(fitted + excluded, 8, "{c}");
        let aics: Vec<f64> = c["fits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["aic"].as_f64().unwrap())
            .collect();
        assert!(aics.windows(2).all(|w| w[0] <= w[1]), "ranked by AIC");
    }
    // Shares in (0, 1) admit a beta; the uniform fits them best.
    assert_eq!(columns[1]["fits"][0]["family"], "uniform");
    assert!(v["charts"].is_null());
    assert!(!sb.out().exists());
}

#[test]
fn fit_families_can_be_chosen() {
    let sb = Sandbox::new();
    sb.write("past.csv", &synthetic_csv());
    let a = sb
        .cmd()
        .args([
            "fit",
            "past.csv",
            "-c",
            "hours",
            "-f",
            "normal",
            "-f",
            "gamma",
            "--json",
            "--no-charts",
        ])
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_str(&common::stdout_of(&a)).unwrap();
    let fams: Vec<&str> = v["columns"][0]["fits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["family"].as_str().unwrap())
        .collect();
    assert_eq!(fams, ["gamma", "normal"]);
    sb.cmd()
        .args(["fit", "past.csv", "-f", "cauchy"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("unknown family `cauchy`"));
}

#[test]
fn fit_small_samples_warn_and_suggest() {
    let sb = Sandbox::new();
    sb.write("few.csv", "x\n12\n15\n9\n20\n14\n11\n30\n");
    let a = sb
        .cmd()
        .args(["fit", "few.csv", "--no-charts"])
        .assert()
        .success();
    let out = common::stdout_of(&a);
    assert!(out.contains("warning: only 7 values"), "{out}");
    // `x` is no field of a scenario: the key is the placeholder, and the
    // data file's path is absolute, so the line works from any folder.
    assert!(out.contains("<field> = { pert = [9, 14, 30] }"), "{out}");
    let file = sb.path().canonicalize().unwrap().join("few.csv");
    assert!(
        out.contains(&format!(
            "<field> = {{ empirical = {{ file = \"{}\", column = \"x\" }} }}",
            file.display()
        )),
        "{out}"
    );

    sb.write("four.csv", "x\n12\n15\n9\n20\n");
    let a = sb
        .cmd()
        .args(["fit", "four.csv", "--no-charts"])
        .assert()
        .code(2);
    assert!(stderr_of(&a).contains("column `x`"), "{}", stderr_of(&a));
    assert!(common::stdout_of(&a).contains("<field> = { pert = [9, 13.5, 20] }"));
}

#[test]
fn fit_errors_name_the_column_and_line() {
    let sb = Sandbox::new();
    sb.write("bad.csv", "x,y\n1,2\n3,oops\n4,5\n");
    let a = sb
        .cmd()
        .args(["fit", "bad.csv", "-c", "y"])
        .assert()
        .code(2);
    assert!(
        stderr_of(&a).contains("`bad.csv` line 3: column `y` holds `oops`"),
        "{}",
        stderr_of(&a)
    );
    let a = sb
        .cmd()
        .args(["fit", "bad.csv", "-c", "z"])
        .assert()
        .code(2);
    assert!(stderr_of(&a).contains("no column `z`; its columns are `x`, `y`"));
    let a = sb.cmd().args(["fit", "missing.csv"]).assert().code(2);
    assert!(stderr_of(&a).contains("file `missing.csv` not found"));
}

/// `fit` reads through the same rules as empirical quantities.
#[test]
fn fit_refuses_ragged_rows_separators_and_duplicate_names() {
    let sb = Sandbox::new();
    for (csv, needle) in [
        (
            "x,y\n1,2\n3,1,234.5\n4,5\n",
            "`bad.csv` line 3: 3 fields where the header has 2",
        ),
        (
            "x,y,x\n1,2,3\n3,4,5\n",
            "`bad.csv` has two columns named `x` (columns 1 and 3)",
        ),
        (
            "x;y\n1;2\n3;4,5\n",
            "`bad.csv` line 3: column `y` holds `4,5`: thousands separators and decimal commas are not read",
        ),
    ] {
        sb.write("bad.csv", csv);
        let a = sb
            .cmd()
            .args(["fit", "bad.csv", "-c", "y", "--no-charts"])
            .assert()
            .code(2);
        assert!(stderr_of(&a).contains(needle), "{csv}: {}", stderr_of(&a));
    }
}
