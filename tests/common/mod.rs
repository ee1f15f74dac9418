//! Helpers shared by the command-line integration tests (`cli.rs`,
//! `batch.rs` and others):
//!
//! - [`Sandbox`]: a test's own temporary working directory, with `out/` as
//!   its output directory, file writing, and `crm-roi` commands run inside
//!   it (`run`, `batch`, `batch_to`);
//! - [`stdout_of`], [`stderr_of`]: a finished command's output as text;
//! - [`entries`], [`snapshot`], [`assert_same`], [`assert_no_hidden`]:
//!   listing and byte-for-byte comparison of directory trees;
//! - [`wait_until`]: waiting for a running process to reach a state;
//!   [`mkfifo`]: a named pipe;
//! - [`read_json`], [`csv_rows`]: parsing result files;
//! - [`BASE`] (`tests/fixtures/base.toml`), [`CHURN`] and [`SHOCK`] (to
//!   append to it), [`base_with`], [`one_year_with_cost`] and [`EXAMPLE`]
//!   (`scenarios/midsize-b2b.toml`): scenario texts used by several test
//!   files.
//!
//! Each test binary uses only some of these, hence `dead_code` is allowed.

#![allow(dead_code)]

use assert_cmd::Command;
use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// The files of a run's result directory, sorted by name: the marker of a
/// result directory, numbers, the workbook, five charts in two formats,
/// and the report.
pub const RESULT_FILES: [&str; 17] = [
    ".crm-roi",
    "breakdown.png",
    "breakdown.svg",
    "fan.csv",
    "fan_chart.png",
    "fan_chart.svg",
    "npv.png",
    "npv.svg",
    "payback.png",
    "payback.svg",
    "percentiles.csv",
    "report.html",
    "results.xlsx",
    "sensitivity.csv",
    "summary.json",
    "tornado.png",
    "tornado.svg",
];

/// The files of a run's result directory with `--no-charts`.
pub const NUMBER_FILES: [&str; 6] = [
    ".crm-roi",
    "fan.csv",
    "percentiles.csv",
    "results.xlsx",
    "sensitivity.csv",
    "summary.json",
];

/// A test's working directory.
pub struct Sandbox {
    dir: TempDir,
}

impl Sandbox {
    pub fn new() -> Self {
        Sandbox {
            dir: TempDir::new().expect("a temporary directory"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn out(&self) -> PathBuf {
        self.path().join("out")
    }

    /// Writes a file (creating parent directories) and returns its path.
    pub fn write(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.path().join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, text).unwrap();
        p
    }

    /// `crm-roi` with the sandbox as working directory.
    pub fn cmd(&self) -> Command {
        let mut c = cargo_bin_cmd!("crm-roi");
        c.current_dir(self.path());
        c
    }

    /// `crm-roi <command> <args> --out <sandbox>/<out>`.
    fn command_to(&self, command: &str, out: &str, args: &[&str]) -> Command {
        let mut c = self.cmd();
        c.arg(command)
            .args(args)
            .arg("--out")
            .arg(self.path().join(out));
        c
    }

    /// `crm-roi run <args> --out <sandbox>/out`.
    pub fn run(&self, args: &[&str]) -> Command {
        self.command_to("run", "out", args)
    }

    /// `crm-roi batch <args> --out <sandbox>/<out>`.
    pub fn batch_to(&self, out: &str, args: &[&str]) -> Command {
        self.command_to("batch", out, args)
    }

    /// `crm-roi batch <args> --out <sandbox>/out`.
    pub fn batch(&self, args: &[&str]) -> Command {
        self.batch_to("out", args)
    }
}

pub fn stdout_of(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stdout).into_owned()
}

pub fn stderr_of(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

/// Sorted entry names of a directory.
pub fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Waits until `ready()` holds, checking every 20 ms, for at most 30 s:
/// tests that signal a running process wait for the state they are about,
/// not for a fixed time that a loaded machine may not keep.
pub fn wait_until(what: &str, mut ready: impl FnMut() -> bool) {
    let started = std::time::Instant::now();
    while !ready() {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "waited 30 s for {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Makes a named pipe at `path` (which a reader would block on).
#[cfg(unix)]
pub fn mkfifo(path: &Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(made.success(), "mkfifo {}", path.display());
}

/// Every file below `root` with its bytes, keyed by relative path.
pub fn snapshot(root: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
            if p.is_dir() {
                out.insert(format!("{rel}/"), Vec::new());
                walk(root, &p, out);
            } else {
                out.insert(rel, fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

/// Asserts two snapshots are byte-identical, naming the first difference.
pub fn assert_same(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>, what: &str) {
    let ka: Vec<&String> = a.keys().collect();
    let kb: Vec<&String> = b.keys().collect();
    assert_eq!(ka, kb, "{what}: different files");
    for (k, v) in a {
        assert!(v == &b[k], "{what}: {k} differs");
    }
}

/// No entry directly in `dir` (if it exists) is hidden, but for the marker
/// of a batch's overview files: no leftover temporary files.
pub fn assert_no_hidden(dir: &Path) {
    if dir.exists() {
        for e in entries(dir) {
            assert!(
                !e.starts_with('.') || e == ".crm-roi-batch" || e == ".crm-roi-fit",
                "leftover temporary entry {e} in {}",
                dir.display()
            );
        }
    }
}

pub fn read_json(p: &Path) -> Value {
    let text = fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", p.display()))
}

/// Rows of a CSV file (header included), parsed with the csv crate.
pub fn csv_rows(p: &Path) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(p)
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    r.records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect()
}

/// A small valid scenario (`tests/fixtures/base.toml`). Line numbers matter
/// to the tests:
/// 1 horizon_years, 5 [[costs]], 6 cost name, 7 cost amount,
/// 8 [[benefits]], 9 benefit name, 10 kind, 11 hours_saved_per_month,
/// 12 hourly_cost.
pub const BASE: &str = include_str!("../fixtures/base.toml");

/// Appended to [`BASE`] (`tests/fixtures/churn.toml`): a baseline (lines
/// 13..=17) and a churn benefit that needs it (its header on line 18).
pub const CHURN: &str = include_str!("../fixtures/churn.toml");

/// Appended to [`BASE`] (`tests/fixtures/shock.toml`): a shock (header on
/// line 13, probability on 15, revenue_loss on 16).
pub const SHOCK: &str = include_str!("../fixtures/shock.toml");

/// [`BASE`] with one piece of text replaced (it must occur exactly once).
pub fn base_with(old: &str, new: &str) -> String {
    assert_eq!(
        BASE.matches(old).count(),
        1,
        "`{old}` must occur once in BASE"
    );
    BASE.replacen(old, new, 1)
}

/// A one-year scenario (`tests/fixtures/one-year.toml`) whose one-time
/// cost has the amount `q` (a number or a distribution table).
pub fn one_year_with_cost(q: &str) -> String {
    let text = include_str!("../fixtures/one-year.toml");
    assert_eq!(text.matches("amount = 1\n").count(), 1);
    text.replacen("amount = 1\n", &format!("amount = {q}\n"), 1)
}

/// The bundled example, `scenarios/midsize-b2b.toml`.
pub const EXAMPLE: &str = include_str!("../../scenarios/midsize-b2b.toml");
