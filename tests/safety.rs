//! Safety of what a run leaves behind and of what a scenario can inject:
//! Ctrl-C, SIGTERM and SIGHUP stop a run with exit code 130, 143 or 129
//! and leave the previous results as they were; hostile names are neutralised in CSV files; warnings and
//! `--strict`.
//!
//! Every test works in its own temporary directory.

mod common;

use common::{
    BASE, EXAMPLE, Sandbox, assert_no_hidden, assert_same, csv_rows, snapshot, stderr_of,
};
use std::time::{Duration, Instant};

/// Sends SIGINT to a run after `after`, and returns its exit code and
/// stderr.
#[cfg(unix)]
fn interrupt_run(sb: &Sandbox, args: &[&str], after: Duration) -> (Option<i32>, String) {
    signal_run(sb, args, after, "INT")
}

/// `crm-roi ARGS` started in the sandbox, its stderr piped.
#[cfg(unix)]
fn spawn(sb: &Sandbox, args: &[&str]) -> std::process::Child {
    use std::process::{Command, Stdio};
    Command::new(assert_cmd::cargo::cargo_bin!("crm-roi"))
        .current_dir(sb.path())
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Sends `signal` (`INT`, `TERM`, `HUP`) to a run after `after`, and
/// returns its exit code and stderr.
#[cfg(unix)]
fn signal_run(sb: &Sandbox, args: &[&str], after: Duration, signal: &str) -> (Option<i32>, String) {
    use std::io::Read;
    use std::process::Command;
    let mut child = spawn(sb, args);
    std::thread::sleep(after);
    let status = Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success(), "kill -{signal} failed");
    let started = Instant::now();
    let code = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s.code();
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the run did not stop within 20 s of SIG{signal}"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    (code, err)
}

/// An earlier run's results survive an interrupted run untouched, and no
/// temporary directory is left behind.
#[cfg(unix)]
#[test]
fn ctrl_c_keeps_the_previous_results() {
    let sb = Sandbox::new();
    sb.write("s.toml", EXAMPLE);
    sb.run(&["s.toml", "--trials", "2000", "-q"])
        .assert()
        .success();
    let before = snapshot(&sb.out());
    let out = sb.out().display().to_string();
    // Far more trials than can finish in the time allowed.
    let (code, err) = interrupt_run(
        &sb,
        &["run", "s.toml", "--trials", "500000000", "--out", &out],
        Duration::from_millis(1500),
    );
    assert_eq!(code, Some(130), "stderr: {err}");
    assert!(err.contains("interrupted"), "{err}");
    assert_same(&before, &snapshot(&sb.out()), "results after Ctrl-C");
    assert_no_hidden(&sb.out());
}

/// SIGTERM (`timeout`, `docker stop`, CI cancellation) and SIGHUP (a
/// closed terminal) stop a run like Ctrl-C, with their own exit codes.
#[cfg(unix)]
#[test]
fn sigterm_and_sighup_keep_the_previous_results() {
    let sb = Sandbox::new();
    sb.write("s.toml", EXAMPLE);
    sb.run(&["s.toml", "--trials", "2000", "-q"])
        .assert()
        .success();
    let before = snapshot(&sb.out());
    let out = sb.out().display().to_string();
    for (signal, code) in [("TERM", 143), ("HUP", 129)] {
        let (got, err) = signal_run(
            &sb,
            &[
                "run",
                "s.toml",
                "--trials",
                "500000000",
                "--export-trials",
                "--out",
                &out,
            ],
            Duration::from_millis(1500),
            signal,
        );
        assert_eq!(got, Some(code), "SIG{signal}: {err}");
        assert!(err.contains("interrupted"), "{err}");
        assert_same(&before, &snapshot(&sb.out()), "results after a signal");
        assert_no_hidden(&sb.out());
    }
}

/// A batch stopped after some of its scenarios ran replaces none of the
/// previous results: the tree stays that of the previous batch, and the
/// message saying so is true.
#[cfg(unix)]
#[test]
fn an_interrupted_batch_replaces_nothing() {
    let sb = Sandbox::new();
    let quick = EXAMPLE.replace("trials = 100000 ", "trials = 1000   ");
    assert_ne!(quick, EXAMPLE);
    sb.write("sc/a.toml", &quick);
    sb.write("sc/b.toml", &quick);
    sb.batch(&["sc", "--trials", "500", "--no-charts", "-q"])
        .assert()
        .success();
    let before = snapshot(&sb.out());
    // `a` runs at once, `b` runs until stopped.
    sb.write(
        "sc/b.toml",
        &EXAMPLE.replace("trials = 100000 ", "trials = 500000000 "),
    );
    let out = sb.out().display().to_string();
    let (code, err) = interrupt_run(
        &sb,
        &["batch", "sc", "--no-charts", "--out", &out, "-q"],
        Duration::from_millis(3000),
    );
    assert_eq!(code, Some(130), "stderr: {err}");
    assert!(err.contains("no new results were written"), "{err}");
    assert_same(&before, &snapshot(&sb.out()), "the batch after Ctrl-C");
    assert_no_hidden(&sb.out());
}

/// A batch into a new `--out`, stopped after its first scenarios ran,
/// leaves no directory behind: the first run's directory, which made
/// `--out`, is dropped after the others (it was dropped first, found the
/// others' temporary directories still there, and left `--out` empty).
#[cfg(unix)]
#[test]
fn an_interrupted_batch_leaves_no_new_out() {
    let sb = Sandbox::new();
    // Two quick scenarios run (staged), the third runs until stopped.
    let quick = EXAMPLE.replace("trials = 100000 ", "trials = 1000   ");
    sb.write("sc/a.toml", &quick);
    sb.write("sc/b.toml", &quick);
    sb.write(
        "sc/c.toml",
        &EXAMPLE.replace("trials = 100000 ", "trials = 500000000 "),
    );
    let (code, err) = interrupt_run(
        &sb,
        &["batch", "sc", "--no-charts", "--out", "fresh/out", "-q"],
        Duration::from_millis(3000),
    );
    assert_eq!(code, Some(130), "stderr: {err}");
    assert!(!sb.path().join("fresh").exists(), "{err}");
}

/// A batch stops too, without writing its overview.
#[cfg(unix)]
#[test]
fn ctrl_c_stops_a_batch() {
    let sb = Sandbox::new();
    sb.write("sc/a.toml", EXAMPLE);
    sb.write("sc/b.toml", EXAMPLE);
    let out = sb.out().display().to_string();
    let (code, err) = interrupt_run(
        &sb,
        &["batch", "sc", "--trials", "500000000", "--out", &out],
        Duration::from_millis(1500),
    );
    assert_eq!(code, Some(130), "stderr: {err}");
    assert!(!sb.out().join("batch_summary.csv").exists());
    assert!(!sb.out().join("a").exists());
    assert_no_hidden(&sb.out());
}

/// Names a scenario controls reach CSV cells as text, never as formulas.
#[test]
fn hostile_names_are_not_formulas_in_csv_files() {
    let sb = Sandbox::new();
    let text = EXAMPLE
        .replace(
            "name = \"midsize-b2b\"",
            "name = \"=HYPERLINK(\\\"http://evil.example\\\",\\\"x\\\")\"",
        )
        .replace("name = \"Time saved\"", "name = \"+cmd|' /C calc'!A0\"");
    sb.write("sc/evil.toml", &text);
    sb.batch(&["sc", "--trials", "300", "--export-trials", "-q"])
        .assert()
        .success();
    let rows = csv_rows(&sb.out().join("batch_summary.csv"));
    assert!(rows[1][1].starts_with("'=HYPERLINK"), "{:?}", rows[1]);
    let dir = sb.out().join("evil");
    for file in ["sensitivity.csv", "trials.csv"] {
        for row in csv_rows(&dir.join(file)) {
            for cell in row {
                let formula = cell.starts_with(['=', '+', '@', '\t', '\r'])
                    || (cell.starts_with('-') && cell.parse::<f64>().is_err());
                assert!(!formula, "{file}: {cell:?}");
            }
        }
    }
    // Negative numbers stay numbers.
    let rows = csv_rows(&dir.join("trials.csv"));
    assert!(rows[1..].iter().flatten().any(|c| c.starts_with('-')));
}

#[test]
fn warnings_are_printed_and_strict_makes_them_errors() {
    let sb = Sandbox::new();
    let text = EXAMPLE.replace(
        "discount_rate = 0.08          # (q) annual",
        "discount_rate = 8",
    );
    sb.write("w.toml", &text);
    let a = sb
        .run(&["w.toml", "--trials", "300", "--no-charts"])
        .assert()
        .success();
    let err = stderr_of(&a);
    assert!(
        err.contains("warning: w.toml:13:17: finance.discount_rate: is 800% a year; rates are fractions: did you mean 0.08?"),
        "{err}"
    );
    let a = sb
        .run(&["w.toml", "--trials", "300", "--strict"])
        .assert()
        .code(2);
    assert!(stderr_of(&a).contains("(an error under --strict)"));
    assert!(!sb.out().join("w").exists());
    sb.cmd()
        .args(["validate", "--strict", "w.toml"])
        .assert()
        .code(2);
    // -q silences warnings.
    let a = sb
        .run(&["w.toml", "--trials", "300", "--no-charts", "-q"])
        .assert()
        .success();
    assert!(stderr_of(&a).is_empty());
}

/// Statistics that cannot exist are `null`, with a note saying why; no
/// NaN or infinity anywhere.
#[test]
fn undefined_statistics_are_null_with_a_reason() {
    let sb = Sandbox::new();
    sb.write(
        "free.toml",
        &BASE.replace("amount = { pert = [800, 1000, 1500] }", "amount = 0"),
    );
    sb.write(
        "never.toml",
        &BASE.replace("hourly_cost = 50", "hourly_cost = 0.01"),
    );
    sb.run(&["free.toml", "never.toml", "--trials", "1000", "-q"])
        .assert()
        .success();
    let text = std::fs::read_to_string(sb.out().join("free/summary.json")).unwrap();
    // The key `value_of_information` holds "inf"; no value may.
    let values = text.replace("value_of_information", "");
    assert!(!values.contains("NaN") && !values.contains("inf"), "{text}");
    let free = common::read_json(&sb.out().join("free/summary.json"));
    let roi = &free["metrics"]["roi"];
    assert!(roi["p50"].is_null() && roi["mean"].is_null());
    assert_eq!(roi["undefined_fraction"], 1.0);
    assert!(
        roi["note"]
            .as_str()
            .unwrap()
            .contains("total costs are zero")
    );

    let never = common::read_json(&sb.out().join("never/summary.json"));
    let pb = &never["metrics"]["payback_years"];
    assert!(pb["p5"].is_null() && pb["p95"].is_null() && pb["mean"].is_null());
    assert_eq!(pb["censored_fraction"], 1.0);
    assert!(
        pb["note"]
            .as_str()
            .unwrap()
            .contains("no simulated future pays back")
    );
    let report = std::fs::read_to_string(sb.out().join("never/report.html")).unwrap();
    assert!(
        report.contains("does not pay back within the horizon in any simulated future"),
        "the report says it plainly"
    );
}

/// `crm-roi ... | head -1`: a closed stdout ends the output quietly,
/// without a panic, and with exit code 0.
#[cfg(unix)]
#[test]
fn a_closed_stdout_is_not_an_error() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let sb = Sandbox::new();
    sb.write("sc/a.toml", EXAMPLE);
    sb.write("sc/b.toml", EXAMPLE);
    let out = sb.out().display().to_string();
    for args in [
        vec![
            "run",
            "sc/a.toml",
            "--trials",
            "2000",
            "--no-charts",
            "--out",
            &out,
        ],
        vec![
            "batch",
            "sc",
            "--trials",
            "2000",
            "--no-charts",
            "--out",
            &out,
        ],
        vec!["validate", "sc"],
    ] {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin!("crm-roi"))
            .current_dir(sb.path())
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Close the reading end before the program writes.
        drop(child.stdout.take());
        let status = child.wait().unwrap();
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_eq!(status.code(), Some(0), "{args:?}: {err}");
    }
}

/// A scenario path naming a named pipe blocked `run` forever, and
/// `/dev/zero` was read until memory ran out; both are refused before
/// they are opened, by every command, with exit code 2.
#[cfg(unix)]
#[test]
fn a_scenario_that_is_not_a_regular_file_is_refused() {
    let sb = Sandbox::new();
    common::mkfifo(&sb.path().join("pipe.toml"));
    sb.write("s.toml", "extends = \"pipe.toml\"\n");
    for (args, says) in [
        (
            vec!["run", "pipe.toml"],
            "pipe.toml: is a named pipe (FIFO), not a scenario file",
        ),
        (
            vec!["validate", "pipe.toml"],
            "is a named pipe (FIFO), not a scenario file",
        ),
        (
            vec!["run", "/dev/zero"],
            "/dev/zero: is a device, not a scenario file",
        ),
        (
            vec!["validate", "/dev/zero"],
            "is a device, not a scenario file",
        ),
        (
            vec!["batch", "pipe.toml"],
            "is a named pipe (FIFO), not a scenario file",
        ),
        (
            vec!["run", "s.toml"],
            "is a named pipe (FIFO), not a scenario file",
        ),
    ] {
        let a = sb
            .cmd()
            .args(&args)
            .timeout(Duration::from_secs(20))
            .assert()
            .code(2);
        assert!(stderr_of(&a).contains(says), "{args:?}: {}", stderr_of(&a));
    }
    // Larger than any scenario: refused, not read.
    sb.write("big.toml", &"#".repeat((16 << 20) + 1));
    let a = sb.cmd().args(["validate", "big.toml"]).assert().code(2);
    assert!(
        stderr_of(&a).contains("larger than 16 MiB"),
        "{}",
        stderr_of(&a)
    );
}

/// `--out` naming a file (or a path through one): a clear refusal with
/// exit code 2, and the file as it was.
#[test]
fn an_output_path_through_a_file_is_refused() {
    let sb = Sandbox::new();
    sb.write("s.toml", BASE);
    sb.write("afile", "mine");
    for extra in [
        vec!["--out", "afile"],
        vec!["--out", "afile/sub"],
        vec!["--out", "afile", "--shard", "1/2"],
    ] {
        let a = sb
            .cmd()
            .args(["run", "s.toml", "-n", "200", "-q"])
            .args(&extra)
            .assert()
            .code(2);
        assert!(
            stderr_of(&a).contains("afile is a file, not a directory"),
            "{extra:?}: {}",
            stderr_of(&a)
        );
    }
    assert_eq!(
        std::fs::read_to_string(sb.path().join("afile")).unwrap(),
        "mine"
    );
}

/// An interrupted run into an output directory that it made (with its
/// parent) leaves no empty directory behind (one that was there stays).
#[cfg(unix)]
#[test]
fn an_interrupted_run_removes_the_output_directory_it_made() {
    let sb = Sandbox::new();
    sb.write("s.toml", EXAMPLE);
    std::fs::create_dir(sb.path().join("mine")).unwrap();
    for out in ["fresh/sub", "mine"] {
        let (code, err) = interrupt_run(
            &sb,
            &["run", "s.toml", "--trials", "500000000", "--out", out],
            Duration::from_millis(1500),
        );
        assert_eq!(code, Some(130), "stderr: {err}");
        // A shard as well (with its trials.csv rows in a temporary file).
        let (code, err) = interrupt_run(
            &sb,
            &[
                "run",
                "s.toml",
                "--trials",
                "500000000",
                "--shard",
                "1/2",
                "--export-trials",
                "--out",
                out,
            ],
            Duration::from_millis(1500),
        );
        assert_eq!(code, Some(130), "stderr: {err}");
    }
    assert!(!sb.path().join("fresh").exists(), "the directory it made");
    assert!(sb.path().join("mine").is_dir(), "the user's directory");
    assert!(common::entries(&sb.path().join("mine")).is_empty());

    // A shard that fails leaves no directory either.
    // (Cash discounted at nearly -100% a year over 30 years overflows.)
    sb.write(
        "bad.toml",
        r#"
horizon_years = 30
[finance]
discount_rate = -0.9999999999999
[[costs]]
name = "Licence"
amount = { uniform = [1e14, 1e15] }
[[benefits]]
name = "Gain"
kind = "custom"
amount_per_month = { uniform = [1e13, 1e15] }
"#,
    );
    let a = sb
        .cmd()
        .args([
            "run", "bad.toml", "-n", "2000", "--shard", "1/2", "-q", "--out", "fresh2/a",
        ])
        .assert()
        .failure();
    assert!(
        !sb.path().join("fresh2").exists(),
        "{}",
        common::stderr_of(&a)
    );
}

/// `timeout` sends its signal twice at once (to the process, then to its
/// group; here 50 ms apart): that is one request to stop, which leaves no
/// temporary directory, not a second one that ends the process at once.
#[cfg(unix)]
#[test]
fn the_same_signal_twice_at_once_is_one_request() {
    use std::process::Command;
    let sb = Sandbox::new();
    sb.write("s.toml", EXAMPLE);
    let child = spawn(
        &sb,
        &[
            "run",
            "s.toml",
            "--trials",
            "500000000",
            "--export-trials",
            "--out",
            "o",
        ],
    );
    common::wait_until("the run's temporary directory", || {
        sb.path().join("o").is_dir() && !common::entries(&sb.path().join("o")).is_empty()
    });
    let pid = child.id().to_string();
    let status = Command::new("sh")
        .args([
            "-c",
            &format!("kill -TERM {pid}; sleep 0.05; kill -TERM {pid}"),
        ])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(143), "stderr: {err}");
    assert!(
        !sb.path().join("o").exists(),
        "left: {:?}",
        common::entries(&sb.path().join("o"))
    );
}
