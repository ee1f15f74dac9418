//! Pins what the program writes, byte for byte.
//!
//! - Snapshot tests (insta): `summary.json`, `percentiles.csv`, `fan.csv`,
//!   `sensitivity.csv` and the printed summary of `scenarios/midsize-b2b.toml`
//!   at 20,000 trials and seed 42, and `batch_summary.csv` of a batch of
//!   `scenarios/variants/`. Runs are deterministic, so the snapshots in
//!   `tests/snapshots/` are exact; machine-dependent paths are replaced by
//!   `[TMP]` and `[REPO]` before comparison.
//! - `docs/samples/`: the summary, report and charts of the example at its
//!   own trials and seed (100,000, seed 42), the comparison chart of a batch
//!   of `scenarios/` and the fit chart of `scenarios/history/rollouts.csv`
//!   must be what the program writes now.
//!
//! When an output changes on purpose, review the new snapshots with
//! `cargo insta review` (or accept them all with
//! `INSTA_UPDATE=always cargo test --release --test snapshots`), and
//! regenerate `docs/samples/` with the commands in [`docs_samples_match`].

mod common;

use common::{Sandbox, stderr_of, stdout_of};
use std::fs;
use std::path::{Path, PathBuf};

/// The repository root (where `scenarios/` and `docs/` are).
fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `text`, checked for what insta's comparison ignores (it normalises line
/// endings and trailing newlines): no carriage return, and exactly one
/// newline at the end.
fn exact(text: String, what: &str) -> String {
    assert!(!text.contains('\r'), "{what} has a carriage return");
    assert!(
        text.ends_with('\n') && !text.ends_with("\n\n"),
        "{what} does not end with exactly one newline"
    );
    text
}

/// A text result file, checked as by [`exact`].
fn text_file(p: &Path) -> String {
    let text = fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    exact(text, &p.display().to_string())
}

/// `text` with the sandbox and repository paths replaced by `[TMP]` and
/// `[REPO]`, so that the snapshot does not depend on the machine.
fn normalise(text: &str, sb: &Sandbox) -> String {
    text.replace(&sb.path().display().to_string(), "[TMP]")
        .replace(&repo().display().to_string(), "[REPO]")
}

#[test]
fn example_run_matches_snapshots() {
    let sb = Sandbox::new();
    let scenario = repo().join("scenarios/midsize-b2b.toml");
    // `--out out` relative to the sandbox, as a user would type it.
    let a = sb
        .cmd()
        .arg("run")
        .arg(&scenario)
        .args(["--trials", "20000", "--seed", "42", "--no-charts"])
        .args(["--out", "out"])
        .assert()
        .success();
    assert_eq!(stderr_of(&a), "", "no warnings expected");
    let printed = exact(stdout_of(&a), "the printed summary");
    insta::assert_snapshot!("printed_summary", normalise(&printed, &sb));

    let dir = sb.out().join("midsize-b2b");
    for (name, file) in [
        ("summary_json", "summary.json"),
        ("percentiles_csv", "percentiles.csv"),
        ("fan_csv", "fan.csv"),
        ("sensitivity_csv", "sensitivity.csv"),
    ] {
        insta::assert_snapshot!(name, text_file(&dir.join(file)));
    }
}

#[test]
fn variants_batch_summary_matches_snapshot() {
    let sb = Sandbox::new();
    // Run from the repository root with a relative directory, so that the
    // `path` column reads `scenarios/variants/...` on every machine.
    let mut c = sb.cmd();
    c.current_dir(repo())
        .arg("batch")
        .arg("scenarios/variants")
        .args(["--trials", "20000", "--seed", "42", "--no-charts"])
        .arg("--out")
        .arg(sb.out());
    let a = c.assert().success();
    assert_eq!(stderr_of(&a), "", "no warnings expected");
    let csv = text_file(&sb.out().join("batch_summary.csv"));
    insta::assert_snapshot!("variants_batch_summary_csv", normalise(&csv, &sb));
}

/// `docs/samples/` holds what the program writes now. To regenerate:
///
/// ```text
/// crm-roi run scenarios/midsize-b2b.toml --out /tmp/s
/// cp /tmp/s/midsize-b2b/{summary.json,report.html,results.xlsx,*.png} docs/samples/
/// crm-roi run scenarios/midsize-b2b.toml --lang nl --out /tmp/nl
/// cp /tmp/nl/midsize-b2b/report.html docs/samples/report-nl.html
/// crm-roi batch scenarios --out /tmp/b
/// cp /tmp/b/comparison.png docs/samples/
/// crm-roi fit scenarios/history/rollouts.csv --column hours_saved_per_user --out /tmp/f
/// cp /tmp/f/fit/rollouts/hours_saved_per_user.png docs/samples/fit.png
/// ```
///
/// The two screenshots are not compared (they are a browser's and a
/// spreadsheet's rendering, not the program's output); they were made with
///
/// ```text
/// chromium --headless --window-size=1000,1300 --screenshot=docs/samples/report-nl.png \
///     file:///tmp/nl/midsize-b2b/report.html
/// soffice --headless --convert-to pdf --outdir /tmp /tmp/s/midsize-b2b/results.xlsx
/// pdftoppm -png -r 130 -f 3 -l 3 -x 80 -y 95 -W 1340 -H 540 /tmp/results.pdf /tmp/wb
/// cp /tmp/wb-3.png docs/samples/workbook.png   # the Sensitivity sheet
/// ```
#[test]
fn docs_samples_match() {
    let sb = Sandbox::new();
    let samples = repo().join("docs/samples");
    let mut differ = Vec::new();

    // The example at its own trials and seed (100,000, seed 42), with charts.
    sb.cmd()
        .current_dir(repo())
        .args(["run", "scenarios/midsize-b2b.toml", "--out"])
        .arg(sb.path().join("run"))
        .assert()
        .success();
    let run = sb.path().join("run/midsize-b2b");
    for file in [
        "summary.json",
        "report.html",
        "results.xlsx",
        "fan_chart.png",
        "payback.png",
        "npv.png",
        "tornado.png",
        "breakdown.png",
    ] {
        if fs::read(run.join(file)).unwrap() != fs::read(samples.join(file)).unwrap() {
            differ.push(file);
        }
    }

    // The Dutch report.
    sb.cmd()
        .current_dir(repo())
        .args(["run", "scenarios/midsize-b2b.toml", "--lang", "nl", "--out"])
        .arg(sb.path().join("nl"))
        .assert()
        .success();
    let file = "report-nl.html";
    if fs::read(sb.path().join("nl/midsize-b2b/report.html")).unwrap()
        != fs::read(samples.join(file)).unwrap()
    {
        differ.push(file);
    }

    // The comparison chart of a batch of the bundled scenarios.
    sb.cmd()
        .current_dir(repo())
        .args(["batch", "scenarios", "--out"])
        .arg(sb.path().join("batch"))
        .assert()
        .success();
    let file = "comparison.png";
    if fs::read(sb.path().join("batch").join(file)).unwrap()
        != fs::read(samples.join(file)).unwrap()
    {
        differ.push(file);
    }

    // The fit chart of docs/calibration.md.
    sb.cmd()
        .current_dir(repo())
        .args([
            "fit",
            "scenarios/history/rollouts.csv",
            "--column",
            "hours_saved_per_user",
            "--out",
        ])
        .arg(sb.path().join("fit"))
        .assert()
        .success();
    let written = sb.path().join("fit/fit/rollouts/hours_saved_per_user.png");
    if fs::read(written).unwrap() != fs::read(samples.join("fit.png")).unwrap() {
        differ.push("fit.png");
    }

    assert!(
        differ.is_empty(),
        "docs/samples/ differs from what the program writes now: {differ:?} \
         (see this test's doc comment to regenerate them)"
    );
}
