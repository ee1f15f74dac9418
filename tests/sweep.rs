//! `sweep` (decision tables): the table and chart of a two-field grid,
//! variant files that rerun alone to the numbers of their row, common
//! random numbers across variants (Monte Carlo and Latin hypercube, with a
//! correlated input fixed), the same bytes on any thread count, errors
//! that name the flag (exit 2, nothing written) and the result directory's
//! safety rules.

mod common;

use common::{EXAMPLE, Sandbox, assert_same, csv_rows, entries, read_json, snapshot, stderr_of};
use crm_roi::Scenario;
use crm_roi::config::set;
use std::fs;
use std::path::Path;

/// `crm-roi sweep <args> --out <sandbox>/out`.
fn sweep(sb: &Sandbox, args: &[&str]) -> assert_cmd::Command {
    let mut c = sb.cmd();
    c.arg("sweep").args(args).arg("--out").arg(sb.out());
    c
}

/// The cells of column `name` of a CSV's rows (header first).
fn column(rows: &[Vec<String>], name: &str) -> Vec<String> {
    let k = rows[0]
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {:?}", rows[0]));
    rows[1..].iter().map(|r| r[k].clone()).collect()
}

fn number(cell: &str) -> Option<f64> {
    (!cell.is_empty()).then(|| cell.parse().unwrap())
}

const TWO: [&str; 4] = [
    "--set",
    "adoption.max_level=0.6,0.9",
    "--set",
    "costs.Subscription.amount=80,{ pert = [90, 100, 130] }",
];

#[test]
fn a_two_field_table_its_heatmap_and_variants_that_rerun_alone() {
    let sb = Sandbox::new();
    sb.write("scen/example.toml", EXAMPLE);
    sweep(
        &sb,
        &[&["scen/example.toml", "-n", "3000", "-q"][..], &TWO].concat(),
    )
    .assert()
    .success();
    let dir = sb.out().join("sweep/midsize-b2b");
    assert_eq!(
        entries(&dir),
        [
            ".crm-roi",
            "sweep.csv",
            "sweep.png",
            "sweep.svg",
            "sweep.xlsx",
            "variants"
        ]
    );
    assert_eq!(
        entries(&dir.join("variants")),
        [
            "variant-01.toml",
            "variant-02.toml",
            "variant-03.toml",
            "variant-04.toml"
        ]
    );
    let rows = csv_rows(&dir.join("sweep.csv"));
    assert_eq!(
        rows[0],
        [
            "variant",
            "adoption.max_level",
            "costs.Subscription.amount",
            "p_payback_within_target",
            "median_payback_years",
            "npv_mean",
            "npv_median",
            "p_npv_not_positive",
            "npv_p10",
            "npv_p90",
            "roi_mean"
        ]
    );
    assert_eq!(
        column(&rows, "adoption.max_level"),
        ["0.6", "0.6", "0.9", "0.9"]
    );
    assert_eq!(
        column(&rows, "costs.Subscription.amount"),
        [
            "80",
            "{ pert = [90, 100, 130] }",
            "80",
            "{ pert = [90, 100, 130] }"
        ]
    );
    // The heatmaps: both panels, a label in every cell.
    let svg = fs::read_to_string(dir.join("sweep.svg")).unwrap();
    assert!(svg.contains("Chance of payback within 3 years"));
    assert!(svg.contains("Median NPV (EUR)"));
    let p = column(&rows, "p_payback_within_target");
    for cell in &p {
        let label = crm_roi::format::percent(cell.parse().unwrap());
        assert!(
            svg.contains(&format!(">\n{label}\n<")),
            "no cell label {label}"
        );
    }
    assert!(fs::metadata(dir.join("sweep.png")).unwrap().len() > 10_000);

    // Each variant, run alone, gives its row.
    for (i, variant) in column(&rows, "variant").iter().enumerate() {
        let file = dir.join("variants").join(format!("{variant}.toml"));
        sb.run(&[file.to_str().unwrap(), "--no-charts", "-q"])
            .assert()
            .success();
        let s = read_json(
            &sb.out()
                .join(format!("midsize-b2b-{:02}", i + 1))
                .join("summary.json"),
        );
        assert_eq!(s["trials"], 3000);
        let row = |name: &str| number(&column(&rows, name)[i]);
        // serde_json's default float parser may be one unit in the last
        // place off the text; both files write the shortest text that
        // reads back exactly, so the figures are equal to that unit.
        let same = |name: &str, v: &serde_json::Value| match (row(name), v.as_f64()) {
            (Some(a), Some(b)) => assert!(
                a == b || (a - b).abs() <= f64::EPSILON * a.abs(),
                "{variant} {name}: {a} against {b}"
            ),
            (a, b) => assert_eq!(a, b, "{variant} {name}"),
        };
        let npv = &s["metrics"]["npv"];
        same(
            "p_payback_within_target",
            &s["probabilities"]["payback_within_target"],
        );
        same(
            "median_payback_years",
            &s["metrics"]["payback_years"]["p50"],
        );
        same("npv_mean", &npv["mean"]);
        // And in the text itself, digit for digit.
        let text = fs::read_to_string(
            sb.out()
                .join(format!("midsize-b2b-{:02}", i + 1))
                .join("summary.json"),
        )
        .unwrap();
        let mean = &column(&rows, "npv_mean")[i];
        assert!(text.contains(&format!("\"mean\": {mean},")), "{mean}");
        same("npv_median", &npv["p50"]);
        same("npv_p10", &npv["p10"]);
        same("npv_p90", &npv["p90"]);
        same("roi_mean", &s["metrics"]["roi"]["mean"]);
        let positive = s["probabilities"]["npv_positive"].as_f64().unwrap();
        let not_positive = row("p_npv_not_positive").unwrap();
        assert!((not_positive - (1.0 - positive)).abs() < 1e-12);
        assert!(not_positive > 0.0);
    }
}

#[test]
fn one_field_draws_lines_and_a_scenario_without_target_reports_no_chance() {
    let sb = Sandbox::new();
    let text = EXAMPLE.replace("target_payback_years = 3", "");
    assert_ne!(text, EXAMPLE);
    sb.write("example.toml", &text);
    sweep(
        &sb,
        &[
            "example.toml",
            "-n",
            "1000",
            "-q",
            "--set",
            "finance.discount_rate=0.04,0.08,0.12",
        ],
    )
    .assert()
    .success();
    let dir = sb.out().join("sweep/midsize-b2b");
    let rows = csv_rows(&dir.join("sweep.csv"));
    assert!(!rows[0].contains(&"p_payback_within_target".to_string()));
    assert_eq!(rows.len(), 4);
    // Discounting harder lowers NPV, draw by draw.
    let npv: Vec<f64> = column(&rows, "npv_median")
        .iter()
        .map(|c| c.parse().unwrap())
        .collect();
    assert!(npv[0] > npv[1] && npv[1] > npv[2], "{npv:?}");
    let svg = fs::read_to_string(dir.join("sweep.svg")).unwrap();
    assert!(svg.contains("Median payback (years)") && svg.contains("Median NPV (EUR)"));
}

/// The cells of `name` in a run's trials.csv.
fn trial_column(dir: &Path, name: &str) -> Vec<String> {
    column(&csv_rows(&dir.join("trials.csv")), name)
}

#[test]
fn every_variant_sees_the_same_futures() {
    for sampling in ["monte-carlo", "latin-hypercube"] {
        let sb = Sandbox::new();
        sb.write("example.toml", EXAMPLE);
        let common = ["-n", "2000", "--sampling", sampling, "-q", "--no-charts"];
        sb.run(&[&["example.toml", "--export-trials"][..], &common].concat())
            .assert()
            .success();
        // adoption.max_level is correlated with the cross-selling uplift:
        // as in the file, then fixed low and high.
        sweep(
            &sb,
            &[
                &["example.toml", "--set"][..],
                &["adoption.max_level={ pert = [0.6, 0.85, 0.95] },0.6,0.9"],
                &common,
            ]
            .concat(),
        )
        .assert()
        .success();
        let base = sb.out().join("midsize-b2b");
        let variants = sb.out().join("sweep/midsize-b2b/variants");
        let mut runs = Vec::new();
        for k in 1..=3 {
            let file = variants.join(format!("variant-{k:02}.toml"));
            let out = sb.path().join(format!("v{k}"));
            sb.cmd()
                .args([
                    "run",
                    file.to_str().unwrap(),
                    "--export-trials",
                    "-q",
                    "--no-charts",
                ])
                .arg("--out")
                .arg(&out)
                .assert()
                .success();
            runs.push(out.join(format!("midsize-b2b-{k:02}")));
        }
        // A variant equal to the base: the very same trials.
        for col in ["npv", "payback_years", "benefits.Cross-selling.uplift"] {
            assert_eq!(
                trial_column(&base, col),
                trial_column(&runs[0], col),
                "{sampling}: {col}"
            );
        }
        // Fixed variants: every other input is drawn as in the base, the
        // correlated partner included; only the outputs move.
        let header = csv_rows(&base.join("trials.csv")).remove(0);
        let inputs: Vec<&String> = header
            .iter()
            .filter(|h| h.contains('.') && *h != "adoption.max_level")
            .collect();
        assert!(inputs.len() > 15 && header.contains(&"benefits.Cross-selling.uplift".into()));
        for run in &runs[1..] {
            for col in &inputs {
                assert_eq!(
                    trial_column(&base, col),
                    trial_column(run, col),
                    "{sampling}: {col}"
                );
            }
            assert_ne!(trial_column(&base, "npv"), trial_column(run, "npv"));
        }
        assert!(
            trial_column(&runs[1], "adoption.max_level")
                .iter()
                .all(|c| c == "0.6")
        );
    }
}

#[test]
fn the_same_bytes_whatever_the_thread_count() {
    let sb = Sandbox::new();
    sb.write("example.toml", EXAMPLE);
    let mut snaps = Vec::new();
    for threads in ["1", "2"] {
        let out = sb.path().join(format!("out-{threads}"));
        sb.cmd()
            .arg("sweep")
            .args([&["example.toml", "-n", "3000", "-q"][..], &TWO].concat())
            .arg("--out")
            .arg(&out)
            .env("RAYON_NUM_THREADS", threads)
            .assert()
            .success();
        snaps.push(snapshot(&out.join("sweep")));
    }
    assert!(snaps[0].keys().any(|k| k.ends_with("sweep.png")));
    assert_same(&snaps[0], &snaps[1], "sweep on 1 and 2 threads");
}

#[test]
fn bad_settings_name_the_flag_and_write_nothing() {
    let sb = Sandbox::new();
    sb.write("example.toml", EXAMPLE);
    let many: Vec<String> = (1..=101).map(|i| (1000 * i).to_string()).collect();
    let a = format!("costs.Subscription.amount={}", many.join(","));
    let b = format!("benefits.Time saved.hourly_cost={}", many.join(","));
    let cases: [(&[&str], &str); 7] = [
        (
            &["--set", "adoption.max_levl=0.5"],
            "error: --set adoption.max_levl: ",
        ),
        (
            &["--set", "adoption.max_levl=0.5"],
            "did you mean `adoption.max_level`?",
        ),
        (
            &[
                "--set",
                "finance.target_payback_years=2,{ uniform = [2, 3] }",
            ],
            "error: --set finance.target_payback_years={ uniform = [2, 3] }: `finance.target_payback_years` takes a fixed value, not a distribution",
        ),
        (
            &["--set", "adoption.max_level=0.5,1.5"],
            "error: --set adoption.max_level=1.5: must be within [0, 1] (got 1.5)",
        ),
        (
            &["--set", "adoption.max_level={ pert = [0.5, 0.7] }"],
            "error: --set adoption.max_level={ pert = [0.5, 0.7] }: ",
        ),
        (
            &["--set", &a, "--set", &b],
            "error: the grid of 101 × 101 values has more than 10000 points; sweep fewer values",
        ),
        (
            &["--set", "adoption.max_level"],
            "error: --set adoption.max_level: needs PATH=VALUE",
        ),
    ];
    for (args, message) in cases {
        let a = sweep(&sb, &[&["example.toml", "-n", "100"][..], args].concat())
            .assert()
            .code(2);
        let err = stderr_of(&a);
        assert!(err.contains(message), "{args:?}: {err}");
        assert!(!sb.out().join("sweep").exists(), "{args:?} wrote results");
    }
}

#[test]
fn a_sweep_replaces_only_its_own_results() {
    let sb = Sandbox::new();
    sb.write("example.toml", EXAMPLE);
    let go = |values: &str| {
        sweep(
            &sb,
            &[
                "example.toml",
                "-n",
                "200",
                "-q",
                "--no-charts",
                "--set",
                values,
            ],
        )
        .assert()
    };
    go("adoption.max_level=0.5,0.6,0.7").success();
    let variants = sb.out().join("sweep/midsize-b2b/variants");
    assert_eq!(entries(&variants).len(), 3);
    go("adoption.max_level=0.5,0.6").success();
    assert_eq!(entries(&variants), ["variant-01.toml", "variant-02.toml"]);
    // Something of the user's among the variants: refused, kept.
    fs::write(variants.join("notes.txt"), "mine").unwrap();
    let a = go("adoption.max_level=0.5").code(2);
    assert!(
        stderr_of(&a).contains("variants/notes.txt, which crm-roi did not write there"),
        "{}",
        stderr_of(&a)
    );
    assert_eq!(
        fs::read_to_string(variants.join("notes.txt")).unwrap(),
        "mine"
    );
    assert_eq!(entries(&variants).len(), 3);

    // A variant edited in place (docs/sweep.md invites it) is the user's.
    fs::remove_file(variants.join("notes.txt")).unwrap();
    let edited = variants.join("variant-02.toml");
    let text = fs::read_to_string(&edited).unwrap() + "\n# my changes\n";
    fs::write(&edited, &text).unwrap();
    let a = go("adoption.max_level=0.5").code(2);
    assert!(
        stderr_of(&a).contains("variants/variant-02.toml was changed after crm-roi wrote it"),
        "{}",
        stderr_of(&a)
    );
    assert_eq!(fs::read_to_string(&edited).unwrap(), text);
    assert_eq!(entries(&variants).len(), 2);
}

#[test]
fn a_variant_may_fix_a_correlated_input_of_its_base() {
    let sb = Sandbox::new();
    let base = sb.write("example.toml", EXAMPLE);
    // A file of its own may not correlate a fixed value...
    let alone = EXAMPLE.replace(
        "max_level = { pert = [0.6, 0.85, 0.95] }",
        "max_level = 0.8",
    );
    assert_ne!(alone, EXAMPLE);
    let e = Scenario::from_toml(&alone, Path::new("alone.toml"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("`adoption.max_level` is a fixed value"), "{e}");
    // ... a variant may: the input stays in its copula group.
    let variant = sb.write(
        "variant.toml",
        "extends = \"example.toml\"\n[adoption]\nmax_level = 0.8\n",
    );
    for s in [
        Scenario::load(&variant).unwrap(),
        set::load_with(
            &base,
            &[&set::parse_list("--set", "adoption.max_level=0.8")
                .unwrap()
                .values[0]],
        )
        .unwrap(),
    ] {
        let i = s.input("adoption.max_level").unwrap().0;
        assert!(s.inputs[i].quantity.is_fixed());
        assert_eq!(s.correlations.len(), 1);
        assert!(s.groups.iter().any(|g| g.members.contains(&i)));
    }
}

#[test]
fn a_data_file_in_a_value_is_read_from_the_scenarios_directory() {
    let sb = Sandbox::new();
    sb.write("scen/example.toml", EXAMPLE);
    let data: String = std::iter::once("adoption".to_string())
        .chain((0..12).map(|i| format!("0.{}", 55 + 3 * i)))
        .collect::<Vec<_>>()
        .join("\n");
    sb.write("scen/history/rollouts.csv", &data);
    sweep(
        &sb,
        &[
            "scen/example.toml",
            "-n",
            "500",
            "-q",
            "--no-charts",
            "--set",
            "adoption.max_level={ empirical = { file = \"history/rollouts.csv\", column = \"adoption\" } },0.8",
        ],
    )
    .assert()
    .success();
    let variant = sb.out().join("sweep/midsize-b2b/variants/variant-01.toml");
    let text = fs::read_to_string(&variant).unwrap();
    assert!(
        text.contains("file = \"../../../../scen/history/rollouts.csv\""),
        "{text}"
    );
    let rows = csv_rows(&sb.out().join("sweep/midsize-b2b/sweep.csv"));
    sb.run(&[variant.to_str().unwrap(), "--no-charts", "-q"])
        .assert()
        .success();
    let s = read_json(&sb.out().join("midsize-b2b-01/summary.json"));
    assert_eq!(
        number(&column(&rows, "npv_p10")[0]),
        s["metrics"]["npv"]["p10"].as_f64()
    );
}

#[test]
fn settings_are_validated_as_a_file_and_errors_name_the_flag() {
    let sb = Sandbox::new();
    let base = sb.write("example.toml", EXAMPLE);
    let one = |a: &str| set::parse_one("--set", a).unwrap();
    let explain = |settings: &[&set::Setting]| {
        let e = set::load_with(&base, settings).unwrap_err();
        set::explain(&e, "--set", settings)
    };
    let level = one("adoption.max_level=1.5");
    assert_eq!(
        explain(&[&level]),
        ["--set adoption.max_level=1.5: must be within [0, 1] (got 1.5)"]
    );
    let pert = one("adoption.max_level={ pert = [0.9, 0.5, 0.95] }");
    let e = explain(&[&pert]);
    assert!(
        e[0].starts_with("--set adoption.max_level={ pert = [0.9, 0.5, 0.95] }: "),
        "{e:?}"
    );
    // A problem of a field that no setting names: all the settings.
    let late = EXAMPLE.replace("at_month = 1\n", "at_month = 20\n");
    assert_ne!(late, EXAMPLE);
    let late = sb.write("late.toml", &late);
    let short = one("horizon_years=1");
    let target = one("finance.target_payback_years=1");
    let e = set::load_with(&late, &[&short, &target]).unwrap_err();
    assert_eq!(
        set::explain(&e, "--set", &[&short, &target]),
        [format!(
            "with --set horizon_years=1 --set finance.target_payback_years=1: {}: costs.Training and internal time.at_month: must be a month in 0..=12 (got 20)",
            late.display()
        )]
    );
    // The same value as the file: the same scenario.
    let same = one("costs.Subscription.amount=95");
    let s = set::load_with(&base, &[&same]).unwrap();
    let i = s.input("costs.Subscription.amount").unwrap().0;
    assert_eq!(s.inputs[i].quantity.value(0.5), 95.0);
}
