//! "What has to go wrong" end to end: `tail_analysis` and `shock_impact`
//! in summary.json, recomputed independently from the run's own
//! `trials.csv` (`--export-trials`), which holds every trial's draws, shock
//! occurrences and outputs at full precision. The recomputation shares no
//! code with the program: ranks, medians and shares are computed here the
//! plain way (sort, average the tied ranks, numpy-linear median).

mod common;

use common::{Sandbox, csv_rows, read_json, stdout_of};
use serde_json::Value;

/// The numpy-linear median of `v` (sorted here).
fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let h = (v.len() - 1) as f64 * 0.5;
    let lo = h.floor() as usize;
    v[lo] + (h - lo as f64) * (v[(lo + 1).min(v.len() - 1)] - v[lo])
}

/// Ranks 1..=n, ties averaged.
fn average_ranks(x: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..x.len()).collect();
    idx.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut r = vec![0.0; x.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && x[idx[j + 1]] == x[idx[i]] {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        idx[i..=j].iter().for_each(|&k| r[k] = avg);
        i = j + 1;
    }
    r
}

fn close(what: &str, got: &Value, want: f64) {
    let g = got.as_f64().unwrap_or_else(|| panic!("{what}: {got}"));
    assert!(
        (g - want).abs() <= 1e-9 * want.abs().max(1.0),
        "{what}: {g} vs {want}"
    );
}

#[test]
fn wholesaler_tails_and_shocks_agree_with_the_exported_trials() {
    let sb = Sandbox::new();
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/wholesaler-key-accounts.toml"
    );
    let a = sb
        .run(&[
            file,
            "--trials",
            "20000",
            "--seed",
            "4",
            "--export-trials",
            "--no-charts",
        ])
        .assert()
        .success();
    let dir = sb.out().join("wholesaler-key-accounts");
    let s = read_json(&dir.join("summary.json"));
    let rows = csv_rows(&dir.join("trials.csv"));
    let (head, body) = rows.split_first().unwrap();
    let col = |name: &str| -> Vec<f64> {
        let j = head.iter().position(|h| h == name).unwrap();
        body.iter()
            .map(|r| {
                // An empty cell: a payback beyond the horizon.
                r[j].parse().unwrap_or(f64::INFINITY)
            })
            .collect()
    };
    let m = body.len() as f64;
    let npv = col("npv");
    let payback = col("payback_years");
    let target = s["target_payback_years"].as_f64().unwrap();

    // Shock impact.
    let shocks = s["shock_impact"].as_array().unwrap();
    assert_eq!(shocks.len(), 2);
    for row in shocks {
        let name = row["shock"].as_str().unwrap();
        let hits = col(&format!("shocks.{name}.occurrences"));
        let split = |struck: bool| -> Vec<f64> {
            npv.iter()
                .zip(&hits)
                .filter(|(_, h)| (**h > 0.0) == struck)
                .map(|(v, _)| *v)
                .collect()
        };
        let (yes, no) = (split(true), split(false));
        assert_eq!(row["futures_struck"].as_u64().unwrap(), yes.len() as u64);
        assert_eq!(row["futures_spared"].as_u64().unwrap(), no.len() as u64);
        close("strikes", &row["strikes"], yes.len() as f64 / m);
        let loss = |v: &[f64]| v.iter().filter(|x| **x < 0.0).count() as f64 / v.len() as f64;
        close(
            "median struck",
            &row["npv_median_struck"],
            median(yes.clone()),
        );
        close(
            "median spared",
            &row["npv_median_spared"],
            median(no.clone()),
        );
        close("loss struck", &row["npv_negative_struck"], loss(&yes));
        close("loss spared", &row["npv_negative_spared"], loss(&no));
    }
    // The bankruptcy: about a third of futures, and a lower median NPV.
    let b = &shocks[0];
    assert_eq!(b["shock"], "Major customer bankruptcy");
    assert!(b["npv_median_struck"].as_f64() < b["npv_median_spared"].as_f64());

    // The tails: membership, shares and every input's median rank.
    let ta = &s["tail_analysis"];
    assert_eq!(ta["trials"].as_u64().unwrap(), 20000);
    let tails = [
        (
            "npv_negative",
            npv.iter().map(|v| *v < 0.0).collect::<Vec<bool>>(),
        ),
        (
            "payback_missed",
            payback.iter().map(|p| *p > target).collect(),
        ),
    ];
    for (key, member) in &tails {
        let t = &ta[key];
        let k = member.iter().filter(|b| **b).count();
        assert_eq!(t["futures"].as_u64().unwrap(), k as u64, "{key}");
        close("share", &t["share"], k as f64 / m);
        let inputs = t["inputs"].as_array().unwrap();
        assert!(!inputs.is_empty());
        for i in inputs {
            let path = i["input"].as_str().unwrap();
            let ranks = average_ranks(&col(path));
            let want = median(
                ranks
                    .iter()
                    .zip(member)
                    .filter(|(_, b)| **b)
                    .map(|(r, _)| 100.0 * (r - 0.5) / m)
                    .collect(),
            );
            close(path, &i["median_rank"], want);
            close(path, &i["shift"], want - 50.0);
        }
        for sh in t["shocks"].as_array().unwrap() {
            let name = sh["shock"].as_str().unwrap();
            let hits = col(&format!("shocks.{name}.occurrences"));
            let within = hits
                .iter()
                .zip(member)
                .filter(|(h, b)| **h > 0.0 && **b)
                .count();
            close(name, &sh["strikes_in_tail"], within as f64 / k as f64);
        }
    }
    // The printed line names the tail of losses.
    let out = stdout_of(&a);
    let line = out
        .lines()
        .find(|l| l.contains("what has to go wrong:"))
        .unwrap();
    assert!(line.contains("of futures with NPV < 0, "), "{line}");
}
