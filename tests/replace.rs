//! Result directories: only a directory this program wrote is replaced;
//! the replacement survives failures (faults injected with strace), kills
//! and concurrent runs; names leave room for the temporary directories.
//!
//! Every test works in its own temporary directory.

mod common;

use common::{
    BASE, Sandbox, assert_no_hidden, assert_same, entries, read_json, snapshot, stderr_of,
};
use std::fs;
use std::process::Command;

/// `crm-roi run FILE --trials 300 --no-charts -q --out out`, the quick run
/// of these tests.
fn quick(sb: &Sandbox, file: &str) -> assert_cmd::Command {
    let mut c = sb.run(&[file, "--no-charts", "-q"]);
    c.args(["--trials", "300"]);
    c
}

/// A run into `--out .` named like a folder of someone else's files
/// refuses, and deletes nothing.
#[test]
fn a_folder_that_holds_no_results_is_not_replaced() {
    let sb = Sandbox::new();
    sb.write("docs.toml", BASE);
    sb.write("docs/thesis.txt", "years of work");
    let a = sb
        .cmd()
        .args(["run", "docs.toml", "--trials", "300", "-q", "--out", "."])
        .assert()
        .code(2);
    let err = stderr_of(&a);
    assert!(
        err.contains("docs") && err.contains("not replaced") && err.contains("no crm-roi results"),
        "{err}"
    );
    assert_eq!(entries(&sb.path().join("docs")), ["thesis.txt"]);
    assert_eq!(
        fs::read_to_string(sb.path().join("docs/thesis.txt")).unwrap(),
        "years of work"
    );
    assert_no_hidden(sb.path());
}

/// A batch into its own scenario folder: `history.toml` would replace the
/// folder `history/` that holds its data. It fails; the others run.
#[test]
fn a_batch_into_its_own_folder_keeps_the_data() {
    let sb = Sandbox::new();
    sb.write("sc/history.toml", BASE);
    sb.write("sc/other.toml", BASE);
    sb.write("sc/history/rollouts.csv", "month,hours\n1,20\n");
    let a = sb
        .cmd()
        .args(["batch", "sc", "--trials", "300", "--no-charts", "-q"])
        .args(["--out", "sc"])
        .assert()
        .code(2);
    let err = stderr_of(&a);
    assert!(
        err.contains("history.toml") && err.contains("not replaced"),
        "{err}"
    );
    assert_eq!(entries(&sb.path().join("sc/history")), ["rollouts.csv"]);
    assert!(sb.path().join("sc/other/summary.json").exists());
    assert_no_hidden(&sb.path().join("sc"));
}

/// A file the user put into a result directory makes the next run refuse,
/// naming it; without it the run replaces the directory.
#[test]
fn a_file_added_to_results_is_not_deleted() {
    let sb = Sandbox::new();
    sb.write("s.toml", BASE);
    quick(&sb, "s.toml").assert().success();
    let dir = sb.out().join("s");
    fs::write(dir.join("notes.txt"), "my notes").unwrap();
    let a = quick(&sb, "s.toml").assert().code(2);
    assert!(stderr_of(&a).contains("notes.txt"), "{}", stderr_of(&a));
    assert_eq!(
        fs::read_to_string(dir.join("notes.txt")).unwrap(),
        "my notes"
    );
    fs::remove_file(dir.join("notes.txt")).unwrap();
    quick(&sb, "s.toml").assert().success();
    assert_no_hidden(&sb.out());
}

/// Results written before directories carried the marker are replaced
/// when they hold only result files; with anything else they are kept.
#[test]
fn results_of_earlier_versions_are_replaced_only_when_plain() {
    let sb = Sandbox::new();
    sb.write("s.toml", BASE);
    sb.run(&["s.toml", "--trials", "300", "-q", "--export-trials"])
        .assert()
        .success();
    let dir = sb.out().join("s");
    // An earlier version wrote neither the marker nor the workbook.
    let as_earlier = || {
        fs::remove_file(dir.join(".crm-roi")).unwrap();
        fs::remove_file(dir.join("results.xlsx")).unwrap();
    };
    as_earlier();
    quick(&sb, "s.toml").assert().success();
    assert_eq!(entries(&dir), common::NUMBER_FILES, "trials.csv survived");

    as_earlier();
    fs::write(dir.join("budget.xlsx"), "mine").unwrap();
    let a = quick(&sb, "s.toml").assert().code(2);
    assert!(stderr_of(&a).contains("budget.xlsx"), "{}", stderr_of(&a));
    assert!(dir.join("budget.xlsx").exists());
}

/// A file or a symbolic link at the target is refused with exit code 2.
#[test]
fn a_file_or_link_at_the_target_is_refused() {
    let sb = Sandbox::new();
    sb.write("s.toml", BASE);
    sb.write("out/s", "a file");
    let a = quick(&sb, "s.toml").assert().code(2);
    assert!(
        stderr_of(&a).contains("not a directory"),
        "{}",
        stderr_of(&a)
    );
    assert_eq!(fs::read_to_string(sb.out().join("s")).unwrap(), "a file");
    #[cfg(unix)]
    {
        fs::remove_file(sb.out().join("s")).unwrap();
        sb.write("elsewhere/keep.txt", "x");
        std::os::unix::fs::symlink(sb.path().join("elsewhere"), sb.out().join("s")).unwrap();
        let a = quick(&sb, "s.toml").assert().code(2);
        assert!(stderr_of(&a).contains("symbolic link"), "{}", stderr_of(&a));
        assert!(sb.path().join("elsewhere/keep.txt").exists());
    }
}

/// Whether strace can trace and inject faults here (it needs ptrace). The
/// injections name x86_64 system calls (`rename`, `renameat2`).
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
fn strace_works() -> bool {
    let ok = Command::new("strace")
        .args([
            "-o",
            "/dev/null",
            "-e",
            "inject=rename:error=ENOSPC",
            "true",
        ])
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        eprintln!("strace cannot trace here: fault injection tests skipped");
    }
    ok
}

/// `crm-roi ARGS` under `strace -f` with the given injections; returns
/// the exit code and stderr.
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
fn under_strace(sb: &Sandbox, inject: &[&str], args: &[&str]) -> (Option<i32>, String) {
    let mut c = Command::new("strace");
    c.current_dir(sb.path())
        .args(["-f", "-qq", "-o", "/dev/null"]);
    for i in inject {
        c.args(["-e", &format!("inject={i}")]);
    }
    let out = c
        .arg(assert_cmd::cargo::cargo_bin!("crm-roi"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The swap fails: as one exchange, or at the second of two renames
/// (ENOSPC). The previous results stay in place, nothing hidden is left.
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
#[test]
fn a_failed_swap_keeps_the_previous_results() {
    if !strace_works() {
        return;
    }
    let sb = Sandbox::new();
    sb.write("s.toml", BASE);
    quick(&sb, "s.toml").assert().success();
    let before = snapshot(&sb.out());
    let out = sb.out().display().to_string();
    let run = [
        "run",
        "s.toml",
        "--trials",
        "500",
        "--no-charts",
        "-q",
        "--out",
        &out,
    ];
    for inject in [
        &["renameat2:error=ENOSPC"][..],
        // No exchange (as on file systems without it): two renames, the
        // second fails and the first is undone.
        &["renameat2:error=EINVAL", "rename:error=ENOSPC:when=2"][..],
    ] {
        let (code, err) = under_strace(&sb, inject, &run);
        assert_eq!(code, Some(1), "{inject:?}: {err}");
        assert!(err.contains("No space left on device"), "{inject:?}: {err}");
        assert_same(&before, &snapshot(&sb.out()), "results after a failed swap");
        assert_no_hidden(&sb.out());
    }
    // Without faults the fallback replaces the results.
    let (code, err) = under_strace(&sb, &["renameat2:error=EINVAL"], &run);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(read_json(&sb.out().join("s/summary.json"))["trials"], 500);
    assert_no_hidden(&sb.out());
}

/// A run killed between its two renames leaves its previous results only
/// under a hidden name. The next run into the same place puts them back
/// first: even when that run is itself interrupted, they are in place.
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
#[test]
fn results_set_aside_by_a_killed_run_come_back() {
    if !strace_works() {
        return;
    }
    let sb = Sandbox::new();
    sb.write("s.toml", BASE);
    quick(&sb, "s.toml").assert().success();
    let before = snapshot(&sb.out());
    let out = sb.out().display().to_string();
    let (code, err) = under_strace(
        &sb,
        &["renameat2:error=EINVAL", "rename:signal=KILL:when=2"],
        &[
            "run",
            "s.toml",
            "--trials",
            "500",
            "--no-charts",
            "-q",
            "--out",
            &out,
        ],
    );
    assert_eq!(code, None, "not killed: {err}");
    let left = entries(&sb.out());
    assert_eq!(left.len(), 2, "{left:?}");
    assert!(left.iter().any(|e| e.starts_with(".s.old-")), "{left:?}");
    assert!(
        left.iter().any(|e| e.starts_with(".s.partial-")),
        "{left:?}"
    );

    // The next run starts, puts the old results back, and is stopped.
    let mut child = Command::new(assert_cmd::cargo::cargo_bin!("crm-roi"))
        .current_dir(sb.path())
        .args([
            "run",
            "s.toml",
            "--trials",
            "500000000",
            "-q",
            "--out",
            &out,
        ])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Interrupted once the old results are back in place.
    common::wait_until("the old results to be put back", || {
        entries(&sb.out()).iter().any(|e| e == "s")
    });
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(130));
    assert_same(&before, &snapshot(&sb.out()), "results after recovery");
    assert_no_hidden(&sb.out());
}

/// Four processes run ten times each into the same place: every run
/// succeeds, the last complete results are in place, nothing is left over.
#[test]
fn concurrent_runs_replace_each_other_whole() {
    let sb = Sandbox::new();
    sb.write("s.toml", BASE);
    let out = sb.out().display().to_string();
    let workers: Vec<_> = (0..4)
        .map(|w| {
            let dir = sb.path().to_path_buf();
            let out = out.clone();
            std::thread::spawn(move || {
                for round in 0..10 {
                    let trials = (200 + 10 * w + round).to_string();
                    let o = Command::new(assert_cmd::cargo::cargo_bin!("crm-roi"))
                        .current_dir(&dir)
                        .args(["run", "s.toml", "--no-charts", "-q", "--trials", &trials])
                        .args(["--out", &out])
                        .output()
                        .unwrap();
                    assert!(
                        o.status.success(),
                        "worker {w}, round {round}: {}",
                        String::from_utf8_lossy(&o.stderr)
                    );
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    assert_eq!(entries(&sb.out()), ["s"]);
    let dir = sb.out().join("s");
    assert_eq!(entries(&dir), common::NUMBER_FILES);
    let trials = read_json(&dir.join("summary.json"))["trials"]
        .as_u64()
        .unwrap();
    assert!((200..240).contains(&trials), "{trials}");
}

/// A name that fits a file name but not the temporary directory beside it
/// is refused by `validate` and `run`, naming `name`, with a short echo.
#[test]
fn names_leave_room_for_the_temporary_directory() {
    let sb = Sandbox::new();
    for (file, n) in [("a.toml", 250), ("b.toml", 10_000)] {
        sb.write(file, &format!("name = \"{}\"\n{BASE}", "x".repeat(n)));
        for args in [vec!["validate", file], vec!["run", file, "--trials", "300"]] {
            let a = sb.cmd().args(&args).assert().code(2);
            let err = stderr_of(&a);
            assert!(
                err.contains(&format!("{file}:1:8: name: is {n} bytes long")),
                "{err}"
            );
            assert!(err.len() < 400, "{} bytes: {err}", err.len());
        }
    }
    // At the limit, the run works.
    sb.write("c.toml", &format!("name = \"{}\"\n{BASE}", "x".repeat(200)));
    quick(&sb, "c.toml").assert().success();
    assert!(sb.out().join("x".repeat(200)).join("summary.json").exists());
    assert_no_hidden(&sb.out());
}

/// The name defaults to the file stem: a long file name is refused too,
/// and in a batch (whose directories follow the file names) it fails
/// alone.
#[test]
fn long_file_names_are_refused() {
    let sb = Sandbox::new();
    let stem = "y".repeat(230);
    sb.write(&format!("sc/{stem}.toml"), BASE);
    sb.write(
        &format!("named/{stem}.toml"),
        &format!("name = \"short\"\n{BASE}"),
    );
    sb.write("sc/ok.toml", BASE);
    let a = sb
        .cmd()
        .args(["validate", &format!("sc/{stem}.toml")])
        .assert()
        .code(2);
    assert!(
        stderr_of(&a).contains("name: is 230 bytes long"),
        "{}",
        stderr_of(&a)
    );
    assert!(
        stderr_of(&a).contains("set a shorter `name`"),
        "{}",
        stderr_of(&a)
    );
    let a = sb
        .batch(&["sc", "named", "--trials", "300", "--no-charts", "-q"])
        .assert()
        .code(2);
    let err = stderr_of(&a);
    assert!(err.contains("230 bytes long"), "{err}");
    assert!(sb.out().join("ok/summary.json").exists());
    assert_no_hidden(&sb.out());
}

/// Scenario files named like the overview files keep their results apart
/// from the overview, run after run.
#[test]
fn scenarios_named_like_overview_files_do_not_break_it() {
    let sb = Sandbox::new();
    for f in [
        "index.html",
        "batch_summary.csv",
        "comparison.svg",
        "Comparison.PNG",
    ] {
        sb.write(&format!("sc/{f}.toml"), BASE);
    }
    for _ in 0..2 {
        sb.batch(&["sc", "--trials", "300", "-q"])
            .assert()
            .success();
    }
    let out = sb.out();
    for f in [
        "index.html",
        "batch_summary.csv",
        "comparison.svg",
        "comparison.png",
    ] {
        assert!(out.join(f).is_file(), "{f}");
    }
    for d in [
        "index.html_",
        "batch_summary.csv_",
        "comparison.svg_",
        "Comparison.PNG_",
    ] {
        assert!(out.join(d).join("summary.json").is_file(), "{d}");
    }
    let rows = common::csv_rows(&out.join("batch_summary.csv"));
    assert_eq!(rows.len(), 5);
    let index = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        index.contains("index.html_/report.html"),
        "links to the results"
    );
    assert_no_hidden(&out);
}

/// A batch into a folder with an `index.html` of its own refuses before
/// running anything; overview files of an earlier batch are replaced.
#[test]
fn the_overview_replaces_only_overview_files() {
    let sb = Sandbox::new();
    sb.write("sc/a.toml", BASE);
    sb.write("site/index.html", "<h1>my site</h1>");
    let a = sb
        .batch_to("site", &["sc", "--trials", "300", "-q"])
        .assert()
        .code(2);
    let err = stderr_of(&a);
    assert!(
        err.contains("index.html") && err.contains("did not write"),
        "{err}"
    );
    assert_eq!(entries(&sb.path().join("site")), ["index.html"]);
    assert_eq!(
        fs::read_to_string(sb.path().join("site/index.html")).unwrap(),
        "<h1>my site</h1>"
    );

    // An earlier version's overview (no marker) is replaced.
    sb.batch(&["sc", "--trials", "300", "-q"])
        .assert()
        .success();
    fs::remove_file(sb.out().join(".crm-roi-batch")).unwrap();
    sb.batch(&["sc", "--trials", "400", "-q", "--no-charts"])
        .assert()
        .success();
    // ... and the index.html it kept is still ours afterwards.
    sb.batch(&["sc", "--trials", "500", "-q"])
        .assert()
        .success();
    let rows = common::csv_rows(&sb.out().join("batch_summary.csv"));
    assert_eq!(rows[1][2], "500");
    assert_no_hidden(&sb.out());

    // An overview file edited since is the user's: kept, and named.
    let index = sb.out().join("index.html");
    let edited = fs::read_to_string(&index).unwrap() + "<!-- my notes -->";
    fs::write(&index, &edited).unwrap();
    let a = sb.batch(&["sc", "--trials", "600", "-q"]).assert().code(2);
    let err = stderr_of(&a);
    assert!(
        err.contains("index.html was changed after crm-roi wrote it"),
        "{err}"
    );
    assert_eq!(fs::read_to_string(&index).unwrap(), edited);
}

/// A run killed outright (SIGKILL) leaves its temporary directory; the
/// next run into the same place removes it.
#[cfg(unix)]
#[test]
fn a_killed_runs_temporary_directory_is_removed_by_the_next_run() {
    let sb = Sandbox::new();
    sb.write("s.toml", BASE);
    let out = sb.out().display().to_string();
    let mut child = Command::new(assert_cmd::cargo::cargo_bin!("crm-roi"))
        .current_dir(sb.path())
        .args([
            "run",
            "s.toml",
            "--trials",
            "500000000",
            "-q",
            "--export-trials",
        ])
        .args(["--out", &out])
        .spawn()
        .unwrap();
    common::wait_until("the run's temporary directory", || {
        sb.out().is_dir()
            && entries(&sb.out())
                .iter()
                .any(|e| e.starts_with(".s.partial-"))
    });
    child.kill().unwrap();
    child.wait().unwrap();
    let left = entries(&sb.out());
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(left[0].starts_with(".s.partial-"), "{left:?}");
    quick(&sb, "s.toml").assert().success();
    assert_eq!(entries(&sb.out()), ["s"]);
}
