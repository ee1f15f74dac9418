//! `run --shard K/N` and `merge`: a run split into shards and merged writes
//! the very bytes of the one-machine run, in every file; shards that do not
//! belong together are refused with exit code 2.

mod common;

use common::{Sandbox, assert_same, snapshot, stderr_of};
use std::fs;
use std::path::Path;

/// Shocks (a permanent and a temporary one) and correlations.
const SCENARIO: &str = "scenarios/wholesaler-key-accounts.toml";

/// A sandbox with the example (scenarios/midsize-b2b.toml) as `s.toml`.
fn example() -> Sandbox {
    let sb = Sandbox::new();
    sb.write(
        "s.toml",
        &fs::read_to_string("scenarios/midsize-b2b.toml").unwrap(),
    );
    sb
}

fn sandbox() -> Sandbox {
    let sb = Sandbox::new();
    sb.write("s.toml", &fs::read_to_string(SCENARIO).unwrap());
    sb
}

/// Runs `s.toml` in `n` shards into `shards/`, merges them into `merged/`,
/// runs it on one machine into `one/`, and compares every file.
fn split_and_compare(sb: &Sandbox, n: u64, args: &[&str]) {
    for k in 1..=n {
        sb.cmd()
            .args([
                "run",
                "s.toml",
                "--shard",
                &format!("{k}/{n}"),
                "--out",
                "shards",
                "-q",
            ])
            .args(args)
            .assert()
            .success();
    }
    sb.cmd()
        .args(["merge", "shards", "--out", "merged", "-q"])
        .assert()
        .success();
    sb.cmd()
        .args(["run", "s.toml", "--out", "one", "-q"])
        .args(args)
        .assert()
        .success();
    let one = snapshot(&sb.path().join("one"));
    assert!(
        one.len() >= 16 && one.keys().any(|k| k.ends_with("results.xlsx")),
        "{:?}",
        one.keys()
    );
    assert_same(
        &one,
        &snapshot(&sb.path().join("merged")),
        &format!("{n} shards, {args:?}"),
    );
}

#[test]
fn shards_merge_byte_for_byte_small_runs() {
    // 3,000 trials: the pilot is the whole run (exact fan); 10,000: the
    // fan in sketches. With trials.csv. Monte Carlo and Latin hypercube.
    for trials in ["3000", "10000"] {
        for sampling in ["monte-carlo", "latin-hypercube"] {
            let sb = sandbox();
            let args = [
                "-n",
                trials,
                "--seed",
                "5",
                "--sampling",
                sampling,
                "--export-trials",
            ];
            split_and_compare(&sb, 3, &args);
        }
    }
}

#[test]
fn shards_merge_byte_for_byte_beyond_the_kept_trials() {
    // 1.2M trials: more than are kept for exact percentiles, so the metrics
    // too come from sketches (approximate percentiles).
    for sampling in ["monte-carlo", "latin-hypercube"] {
        let sb = sandbox();
        split_and_compare(
            &sb,
            3,
            &["-n", "1200000", "--seed", "9", "--sampling", sampling],
        );
    }
}

#[test]
fn more_shards_than_chunks_still_merge() {
    // 5,000 trials are 5 chunks of 1,024: shards 6 to 8 run nothing.
    let sb = sandbox();
    split_and_compare(&sb, 8, &["-n", "5000", "--export-trials"]);
}

fn shard(sb: &Sandbox, k: u64, n: u64, extra: &[&str]) {
    sb.cmd()
        .args([
            "run",
            "s.toml",
            "-n",
            "5000",
            "--shard",
            &format!("{k}/{n}"),
            "-q",
        ])
        .args(extra)
        .assert()
        .success();
}

fn merge_fails(sb: &Sandbox, dir: &str) -> String {
    let a = sb
        .cmd()
        .args(["merge", dir, "--out", "merged", "-q"])
        .assert()
        .code(2);
    assert!(!sb.path().join("merged").exists(), "nothing is written");
    stderr_of(&a)
}

fn file(k: u64, n: u64) -> String {
    format!("wholesaler-key-accounts.{k}-of-{n}.crmshard")
}

#[test]
fn shards_of_different_runs_are_refused() {
    let sb = sandbox();
    shard(&sb, 1, 3, &["--out", "a"]);
    shard(&sb, 2, 3, &["--out", "a", "--seed", "2"]);
    shard(&sb, 3, 3, &["--out", "a"]);
    let err = merge_fails(&sb, "a");
    assert!(
        err.contains(&file(1, 3)) && err.contains(&file(2, 3)),
        "{err}"
    );
    assert!(err.contains("seed 1 against 2"), "{err}");

    // Another trial count, another N.
    let sb = sandbox();
    shard(&sb, 1, 2, &["--out", "a"]);
    sb.cmd()
        .args([
            "run", "s.toml", "-n", "6000", "--shard", "2/2", "--out", "a", "-q",
        ])
        .assert()
        .success();
    assert!(merge_fails(&sb, "a").contains("trials 5000 against 6000"));
    let sb = sandbox();
    shard(&sb, 1, 2, &["--out", "a"]);
    shard(&sb, 2, 3, &["--out", "a"]);
    assert!(merge_fails(&sb, "a").contains("N (shards) 2 against 3"));
}

#[test]
fn a_missing_or_repeated_shard_is_refused() {
    let sb = sandbox();
    shard(&sb, 1, 4, &["--out", "a"]);
    shard(&sb, 3, 4, &["--out", "a"]);
    let err = merge_fails(&sb, "a");
    assert!(
        err.contains("shards 2, 4 of 4 of `wholesaler-key-accounts` are missing"),
        "{err}"
    );

    // The same K twice (a copy under another name).
    let sb = sandbox();
    for k in 1..=2 {
        shard(&sb, k, 2, &["--out", "a"]);
    }
    fs::copy(
        sb.path().join("a").join(file(2, 2)),
        sb.path().join("a/copy.crmshard"),
    )
    .unwrap();
    let err = merge_fails(&sb, "a");
    assert!(err.contains("are both shard 2 of 2"), "{err}");
    assert!(err.contains("copy.crmshard"), "{err}");
}

#[test]
fn a_damaged_shard_or_a_changed_scenario_is_refused() {
    let sb = sandbox();
    for k in 1..=2 {
        shard(&sb, k, 2, &["--out", "a"]);
    }
    // One byte changed in the middle of shard 2.
    let p = sb.path().join("a").join(file(2, 2));
    let mut bytes = fs::read(&p).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x40;
    fs::write(&p, &bytes).unwrap();
    let err = merge_fails(&sb, "a");
    assert!(
        err.contains(&file(2, 2)) && err.contains("checksum"),
        "{err}"
    );
    // Cut short.
    fs::write(&p, &bytes[..mid]).unwrap();
    assert!(merge_fails(&sb, "a").contains("damaged or incomplete"));
    // Not a shard at all.
    fs::write(&p, "hello").unwrap();
    assert!(merge_fails(&sb, "a").contains("not a crm-roi shard file"));

    // The scenario edited between the shards and the merge.
    let sb = sandbox();
    for k in 1..=2 {
        shard(&sb, k, 2, &["--out", "a"]);
    }
    let text = fs::read_to_string(sb.path().join("s.toml")).unwrap();
    sb.write(
        "s.toml",
        &text.replacen("horizon_years = 5", "horizon_years = 6", 1),
    );
    let err = merge_fails(&sb, "a");
    assert!(
        err.contains("has changed since the shards were run"),
        "{err}"
    );
    // A comment changes nothing that matters.
    sb.write("s.toml", &format!("# a note\n{text}"));
    sb.cmd()
        .args(["merge", "a", "--out", "merged", "-q"])
        .assert()
        .success();
}

#[test]
fn shard_options_are_checked() {
    let sb = sandbox();
    for bad in ["0/3", "4/3", "3", "a/b", "1/0"] {
        let a = sb
            .cmd()
            .args(["run", "s.toml", "--shard", bad])
            .assert()
            .code(2);
        assert!(
            stderr_of(&a).contains("--shard"),
            "{bad}: {}",
            stderr_of(&a)
        );
    }
    let a = sb
        .cmd()
        .args(["run", "s.toml", "--shard", "1/2", "--precision", "0.01"])
        .assert()
        .code(2);
    assert!(
        stderr_of(&a).contains("cannot be used with"),
        "{}",
        stderr_of(&a)
    );
    // What only the results show belongs to `merge`: a shard refuses it
    // rather than ignore it.
    for (command, extra) in [
        ("run", &["--lang", "nl"][..]),
        ("run", &["--date", "2026-12-01"][..]),
        ("run", &["--no-charts"][..]),
        ("batch", &["--lang", "en"][..]),
    ] {
        let a = sb
            .cmd()
            .args([command, "s.toml", "--shard", "1/2"])
            .args(extra)
            .assert()
            .code(2);
        let err = stderr_of(&a);
        assert!(
            err.contains("cannot be used with") && err.contains(extra[0]),
            "{command} {extra:?}: {err}"
        );
    }
    // `auto` outside a scheduler.
    let a = sb
        .cmd()
        .env_remove("SLURM_ARRAY_TASK_ID")
        .env_remove("JOB_COMPLETION_INDEX")
        .args(["run", "s.toml", "--shard", "auto"])
        .assert()
        .code(2);
    assert!(
        stderr_of(&a).contains("needs a Slurm array task"),
        "{}",
        stderr_of(&a)
    );
    // Under Slurm: task 11 of an array 10-12 is shard 2 of 3.
    sb.cmd()
        .env("SLURM_ARRAY_TASK_ID", "11")
        .env("SLURM_ARRAY_TASK_MIN", "10")
        .env("SLURM_ARRAY_TASK_COUNT", "3")
        .args([
            "run", "s.toml", "-n", "3000", "--shard", "auto", "--out", "a", "-q",
        ])
        .assert()
        .success();
    assert!(sb.path().join("a").join(file(2, 3)).is_file());
}

#[test]
fn a_shard_never_replaces_what_crm_roi_did_not_write() {
    let sb = sandbox();
    let target = sb.write(&format!("a/{}", file(1, 2)), "my notes");
    let a = sb
        .cmd()
        .args([
            "run", "s.toml", "-n", "3000", "--shard", "1/2", "--out", "a",
        ])
        .assert()
        .code(2);
    assert!(stderr_of(&a).contains("is not a shard file that crm-roi wrote"));
    assert_eq!(fs::read_to_string(&target).unwrap(), "my notes");
    // Its own shard file it replaces.
    fs::remove_file(&target).unwrap();
    shard(&sb, 1, 2, &["--out", "a"]);
    shard(&sb, 1, 2, &["--out", "a"]);
    assert!(Path::new(&target).is_file());
}

/// Runs `batch <args>` in `n` shards into `shards/` and merges them into
/// `merged/`; runs the batch on one machine into `one/`; compares every
/// file and the exit codes.
fn batch_split_and_compare(sb: &Sandbox, n: u64, args: &[&str], code: i32) {
    for k in 1..=n {
        sb.cmd()
            .arg("batch")
            .args(args)
            .args(["--shard", &format!("{k}/{n}"), "--out", "shards", "-q"])
            .assert()
            .success();
    }
    sb.cmd()
        .args(["merge", "shards", "--out", "merged", "-q"])
        .assert()
        .code(code);
    sb.cmd()
        .arg("batch")
        .args(args)
        .args(["--out", "one", "-q"])
        .assert()
        .code(code);
    let one = snapshot(&sb.path().join("one"));
    assert!(
        ["batch_summary.csv", "batch_summary.xlsx", "index.html"]
            .iter()
            .all(|f| one.contains_key(*f)),
        "{:?}",
        one.keys()
    );
    assert_same(
        &one,
        &snapshot(&sb.path().join("merged")),
        &format!("batch in {n} shards"),
    );
}

/// `scenarios/variants` as `v/`, with the base two of them extend.
fn variants() -> Sandbox {
    let sb = Sandbox::new();
    sb.write(
        "midsize-b2b.toml",
        &fs::read_to_string("scenarios/midsize-b2b.toml").unwrap(),
    );
    for entry in fs::read_dir("scenarios/variants").unwrap() {
        let p = entry.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        sb.write(&format!("v/{name}"), &fs::read_to_string(&p).unwrap());
    }
    sb
}

#[test]
fn a_sharded_batch_with_a_baseline_merges_byte_for_byte() {
    let sb = variants();
    batch_split_and_compare(
        &sb,
        3,
        &[
            "v",
            "--baseline",
            "vendor-a",
            "-n",
            "20000",
            "--export-trials",
        ],
        0,
    );
    // More shards than scenarios, Latin hypercube.
    let sb = variants();
    batch_split_and_compare(
        &sb,
        6,
        &[
            "v",
            "--baseline",
            "vendor-b",
            "-n",
            "5000",
            "--sampling",
            "latin-hypercube",
        ],
        0,
    );
}

#[test]
fn a_sharded_batch_reports_broken_scenarios_as_the_batch_does() {
    let sb = variants();
    sb.write(
        "v/broken.toml",
        "horizon_years = 5\n[finance]\ndiscount_rat = 0.1\n",
    );
    batch_split_and_compare(&sb, 2, &["v", "-n", "5000"], 2);
    let index = fs::read_to_string(sb.path().join("merged/index.html")).unwrap();
    assert!(index.contains("broken.toml"), "the failure is listed");
}

#[test]
fn a_missing_batch_shard_is_refused() {
    let sb = variants();
    for k in [1, 3] {
        sb.cmd()
            .args([
                "batch",
                "v",
                "-n",
                "3000",
                "--shard",
                &format!("{k}/3"),
                "--out",
                "shards",
                "-q",
            ])
            .assert()
            .success();
    }
    let err = merge_fails(&sb, "shards");
    assert!(err.contains("batch shard 2 of 3 is missing"), "{err}");
}

#[test]
fn a_sharded_sweep_merges_byte_for_byte() {
    let sb = example();
    let sweep = [
        "sweep",
        "s.toml",
        "--set",
        "costs.License and implementation.amount=60000,{ pert = [60000, 90000, 160000] },120000",
        "--set",
        "adoption.max_level=0.6,0.9",
        "-n",
        "3000",
        "-q",
    ];
    for k in 1..=4 {
        sb.cmd()
            .args(sweep)
            .args(["--shard", &format!("{k}/4"), "--out", "shards"])
            .assert()
            .success();
    }
    sb.cmd()
        .args(["merge", "shards", "--out", "merged", "-q"])
        .assert()
        .success();
    sb.cmd()
        .args(sweep)
        .args(["--out", "one"])
        .assert()
        .success();
    let one = snapshot(&sb.path().join("one"));
    assert!(
        one.keys().any(|k| k.ends_with("sweep.csv"))
            && one.keys().any(|k| k.ends_with("sweep.xlsx")),
        "{:?}",
        one.keys()
    );
    assert_same(
        &one,
        &snapshot(&sb.path().join("merged")),
        "sweep in 4 shards",
    );

    // A missing shard is refused.
    fs::remove_file(sb.path().join("shards/sweep.2-of-4.crmsweep")).unwrap();
    let a = sb
        .cmd()
        .args(["merge", "shards", "--out", "merged2", "-q"])
        .assert()
        .code(2);
    assert!(
        stderr_of(&a).contains("sweep shard 2 of 4 is missing"),
        "{}",
        stderr_of(&a)
    );
}

/// Rewrites shard file `p`'s JSON header, body and export with `edit` and
/// stores a valid checksum again: a file edited by hand, which only its
/// contents can give away (layout in docs/scale-out.md).
fn edit_shard(p: &Path, edit: impl FnOnce(&mut serde_json::Value, &mut Vec<u8>, &mut Vec<u8>)) {
    use sha2::Digest;
    let bytes = fs::read(p).unwrap();
    let mut at = 12;
    let field = |at: &mut usize| {
        let len = u64::from_le_bytes(bytes[*at..*at + 8].try_into().unwrap()) as usize;
        *at += 8 + len;
        bytes[*at - len..*at].to_vec()
    };
    let mut head: serde_json::Value = serde_json::from_slice(&field(&mut at)).unwrap();
    let mut body = field(&mut at);
    let mut export = field(&mut at);
    assert_eq!(at + 32, bytes.len(), "the layout of docs/scale-out.md");
    edit(&mut head, &mut body, &mut export);
    let mut out = bytes[..12].to_vec();
    for part in [serde_json::to_vec(&head).unwrap(), body, export] {
        out.extend((part.len() as u64).to_le_bytes());
        out.extend(part);
    }
    let digest = sha2::Sha256::digest(&out);
    out.extend(digest);
    fs::write(p, out).unwrap();
}

/// [`edit_shard`] of one header field.
fn edit_header(p: &Path, key: &str, value: serde_json::Value) {
    edit_shard(p, |head, _, _| head[key] = value);
}

#[test]
fn a_shard_header_no_run_can_have_is_refused() {
    use serde_json::json;
    for (key, value, says) in [
        ("fingerprint", json!("x"), "malformed scenario fingerprint"),
        (
            "fingerprint",
            json!("0123456789aé"),
            "malformed scenario fingerprint",
        ),
        // Counting the missing shards out to N would fill the memory.
        (
            "shards",
            json!(1_000_000_000_000_000_000u64),
            "N at most 100000",
        ),
        ("shard", json!(0), "K must run from 1 to N"),
        ("chunks", json!([3, 1]), "run backwards"),
        ("program", json!("not-crm-roi"), "not crm-roi"),
        // A header that disagrees with its body, or K with its chunks
        // (5000 trials are chunks 0 to 4; shard 2 of 2 runs 3 and 4).
        (
            "chunks",
            json!([0, 3]),
            "says it ran chunks 0 to 2 but holds chunks 3 to 4",
        ),
        (
            "shard",
            json!(1),
            "holds chunks 3 to 4 where shard 1 of 2 of 5000 trials runs chunks 0 to 2",
        ),
        (
            "export_trials",
            json!(true),
            "says it holds trials.csv rows but holds none",
        ),
    ] {
        let sb = sandbox();
        for k in 1..=2 {
            shard(&sb, k, 2, &["--out", "a"]);
        }
        edit_header(&sb.path().join("a").join(file(2, 2)), key, value);
        let err = merge_fails(&sb, "a");
        assert!(
            err.contains(&file(2, 2)) && err.contains(says),
            "{key}: {err}"
        );
    }
}

/// Edited bodies and exports, and shards whose trials do not run again to
/// what they hold (their seed edited in every header alike: nothing else
/// gives that away), are refused with exit 2 instead of merged wrongly or
/// failing half-way.
#[test]
fn a_shard_whose_contents_do_not_fit_its_header_is_refused() {
    let sb = sandbox();
    for k in 1..=2 {
        shard(&sb, k, 2, &["--out", "a", "--export-trials"]);
    }
    for (dir, says, edit) in [
        (
            "trailing",
            "has 10 bytes after the end of its body",
            (|_: &mut serde_json::Value, body: &mut Vec<u8>, _: &mut Vec<u8>| body.extend([0; 10]))
                as fn(&mut _, &mut _, &mut _),
        ),
        (
            "rows",
            "holds 1831 trials.csv rows for its 1928 trials",
            |_, _, export| {
                let text = String::from_utf8(export.clone()).unwrap();
                let lines: Vec<&str> = text.split_inclusive('\n').collect();
                *export = [&lines[..1], &lines[98..]].concat().concat().into_bytes();
            },
        ),
    ] {
        let copy = sb.path().join(dir);
        fs::create_dir(&copy).unwrap();
        for k in 1..=2 {
            fs::copy(sb.path().join("a").join(file(k, 2)), copy.join(file(k, 2))).unwrap();
        }
        edit_shard(&copy.join(file(2, 2)), edit);
        let err = merge_fails(&sb, dir);
        assert!(
            err.contains(&file(2, 2)) && err.contains(says),
            "{dir}: {err}"
        );
    }

    // The same seed edited in both: every check of the headers passes.
    for k in 1..=2 {
        edit_header(&sb.path().join("a").join(file(k, 2)), "seed", 2.into());
    }
    let err = merge_fails(&sb, "a");
    assert!(
        err.contains("trial 0 does not run again to the") && err.contains("other settings"),
        "{err}"
    );
}

#[test]
fn scenarios_whose_names_give_one_directory_are_refused() {
    let sb = sandbox();
    let text = fs::read_to_string(sb.path().join("s.toml")).unwrap();
    let named = |name: &str| {
        text.replacen(
            "name = \"wholesaler-key-accounts\"",
            &format!("name = \"{name}\""),
            1,
        )
    };
    sb.write("x1.toml", &named("team x"));
    sb.write("x2.toml", &named("team_x"));
    for (f, out) in [("x1.toml", "a"), ("x2.toml", "b")] {
        sb.cmd()
            .args(["run", f, "-n", "2000", "--shard", "1/1", "--out", out, "-q"])
            .assert()
            .success();
    }
    let a = sb
        .cmd()
        .args(["merge", "a", "b", "--out", "merged", "-q"])
        .assert()
        .code(2);
    assert!(
        stderr_of(&a).contains("would both write"),
        "{}",
        stderr_of(&a)
    );
    // Nor does `run --shard` replace the other scenario's shard file.
    let a = sb
        .cmd()
        .args([
            "run", "x2.toml", "-n", "2000", "--shard", "1/1", "--out", "a", "-q",
        ])
        .assert()
        .code(2);
    assert!(
        stderr_of(&a).contains("not of `team_x`"),
        "{}",
        stderr_of(&a)
    );
}

#[test]
fn paths_of_different_kinds_are_merged_separately() {
    let sb = variants();
    sb.write(
        "s.toml",
        &fs::read_to_string(sb.path().join("midsize-b2b.toml")).unwrap(),
    );
    for k in 1..=2 {
        let kn = format!("{k}/2");
        sb.cmd()
            .args([
                "run", "s.toml", "-n", "2000", "--shard", &kn, "--out", "runs", "-q",
            ])
            .assert()
            .success();
        sb.cmd()
            .args([
                "batch", "v", "-n", "2000", "--shard", &kn, "--out", "batch", "-q",
            ])
            .assert()
            .success();
        sb.cmd()
            .args(["sweep", "s.toml", "--set", "adoption.max_level=0.6,0.9"])
            .args(["-n", "2000", "--shard", &kn, "--out", "sweep", "-q"])
            .assert()
            .success();
    }
    for dirs in [["sweep", "runs"], ["runs", "sweep"], ["sweep", "batch"]] {
        let a = sb
            .cmd()
            .args(["merge", dirs[0], dirs[1], "--out", "merged", "-q"])
            .assert()
            .code(2);
        assert!(
            stderr_of(&a).contains("merge runs, batches and sweeps separately"),
            "{dirs:?}: {}",
            stderr_of(&a)
        );
    }
    // A manifest given as a file.
    let a = sb
        .cmd()
        .args([
            "merge",
            "sweep/sweep.1-of-2.crmsweep",
            "--out",
            "merged",
            "-q",
        ])
        .assert()
        .code(2);
    assert!(
        stderr_of(&a).contains("give the directory"),
        "{}",
        stderr_of(&a)
    );
    // A run shard written beside a batch's manifests is not left out.
    fs::copy(
        sb.path().join("runs/midsize-b2b.1-of-2.crmshard"),
        sb.path().join("batch/midsize-b2b.1-of-2.crmshard"),
    )
    .unwrap();
    let err = merge_fails(&sb, "batch");
    assert!(err.contains("is not a run of the sharded batch"), "{err}");
    fs::remove_file(sb.path().join("batch/midsize-b2b.1-of-2.crmshard")).unwrap();
    sb.cmd()
        .args(["merge", "batch", "--out", "merged", "-q"])
        .assert()
        .success();
}

#[test]
fn a_batch_manifest_cannot_send_results_outside_out() {
    let sb = variants();
    for k in 1..=2 {
        sb.cmd()
            .args(["batch", "v", "-n", "2000", "--shard", &format!("{k}/2")])
            .args(["--out", "shards", "-q"])
            .assert()
            .success();
    }
    for rel in ["../victim/x", "/tmp/x"] {
        let sb2 = Sandbox::new();
        for k in 1..=2 {
            let p = sb.path().join(format!("shards/batch.{k}-of-2.crmbatch"));
            let mut m: serde_json::Value =
                serde_json::from_str(&fs::read_to_string(&p).unwrap()).unwrap();
            m["batch"]["jobs"][0]["rel"] = serde_json::json!(rel);
            fs::write(
                sb2.path().join(format!("batch.{k}-of-2.crmbatch")),
                m.to_string(),
            )
            .unwrap();
        }
        let a = sb2
            .cmd()
            .args(["merge", ".", "--out", "merged", "-q"])
            .assert()
            .code(2);
        assert!(
            stderr_of(&a).contains("not a plain relative path"),
            "{rel}: {}",
            stderr_of(&a)
        );
        assert!(!sb2.path().join("merged").exists());
    }
}

#[test]
fn a_sweep_notices_a_changed_data_file_of_a_set_value() {
    let sb = example();
    let set = "adoption.max_level={ empirical = { file = \"h.csv\", column = \"x\" } },0.6";
    for (k, data) in [
        (1, "x\n0.5\n0.6\n0.7\n0.8\n0.55\n"),
        (2, "x\n0.1\n0.1\n0.15\n0.12\n0.11\n"),
    ] {
        sb.write("h.csv", data);
        sb.cmd()
            .args(["sweep", "s.toml", "--set", set, "-n", "1000", "-q"])
            .args(["--shard", &format!("{k}/2"), "--out", "shards"])
            .assert()
            .success();
    }
    let err = merge_fails(&sb, "shards");
    assert!(err.contains("not shards of one sweep"), "{err}");
}

#[test]
fn an_edited_sweep_manifest_is_refused() {
    let sb = example();
    for (edit, says) in [
        (
            ("rows", "p_npv_not_positive", serde_json::json!(7.5)),
            "has a probability outside 0..1",
        ),
        (
            ("rows", "bogus", serde_json::json!(1)),
            "unknown field `bogus`",
        ),
        (
            ("plan", "shards", serde_json::json!(0)),
            "N must run from 1 to 100000",
        ),
    ] {
        let out = format!("shards-{}", edit.1);
        for k in 1..=2 {
            sb.cmd()
                .args(["sweep", "s.toml", "--set", "adoption.max_level=0.6,0.9"])
                .args([
                    "-n",
                    "1000",
                    "-q",
                    "--shard",
                    &format!("{k}/2"),
                    "--out",
                    &out,
                ])
                .assert()
                .success();
        }
        let p = sb.path().join(&out).join("sweep.1-of-2.crmsweep");
        let mut m: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(&p).unwrap()).unwrap();
        match edit {
            ("rows", key, v) => m["rows"][0][1][key] = v,
            (_, key, v) => m["plan"][key] = v,
        }
        fs::write(&p, m.to_string()).unwrap();
        let err = merge_fails(&sb, &out);
        assert!(err.contains(says), "{}: {err}", edit.1);
    }
}
