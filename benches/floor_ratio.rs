//! The speed target of issue 14 as one figure: a whole run of a million
//! trials of the example, as one process (`crm-roi run
//! scenarios/midsize-b2b.toml -n 1000000 --no-charts`: every result file
//! but the charts), against the floor (`floor.rs`), timed in interleaved
//! pairs and reported as the median of the pairs' ratios.
//!
//! The whole run is the program itself, started as a process, so that it
//! is measured as users run it: with its allocator settings (see
//! `return_large_blocks` in `src/main.rs`) and its start-up. (In-process,
//! as in `engine.rs`'s criterion group, glibc's default settings make the
//! run zero its reused heap memory itself, and it is slower.)
//!
//! Criterion's `whole run against the floor` group in `engine.rs` times all
//! samples of the floor, then all of the whole run; on a shared machine
//! whose speed drifts by 10 to 30% within a minute, the ratio of those two
//! medians drifts with it. Here each pair is timed within about a second,
//! the order within a pair alternates, and the median of the ratios
//! leaves out the pairs a burst of other work fell into.
//!
//! `cargo bench --bench floor_ratio` (`PAIRS=21` for more pairs).

#[path = "support/floor.rs"]
mod floor;

use std::hint::black_box;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const TRIALS: u64 = 1_000_000;

fn time(f: impl FnOnce()) -> Duration {
    let start = Instant::now();
    f();
    start.elapsed()
}

/// The median of `v`, which it sorts.
fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let pairs: usize = std::env::var("PAIRS")
        .ok()
        .and_then(|p| p.parse().ok())
        .filter(|&p| p > 0)
        .unwrap_or(11);
    let out = tempfile::tempdir().expect("a temporary directory");
    let floor = || {
        black_box(floor::run(black_box(TRIALS), 7));
    };
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/midsize-b2b.toml");
    let whole = || {
        let status = Command::new(env!("CARGO_BIN_EXE_crm-roi"))
            .arg("run")
            .arg(&example)
            .args([
                "-n",
                &TRIALS.to_string(),
                "--seed",
                "42",
                "--no-charts",
                "--quiet",
            ])
            .arg("--out")
            .arg(out.path())
            .status()
            .expect("crm-roi starts");
        assert!(status.success(), "crm-roi run failed: {status}");
    };
    // Warm up: the page cache (binary, scenario), the floor's threads.
    floor();
    whole();
    let (mut floors, mut wholes, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..pairs {
        let (f, w) = if i % 2 == 0 {
            let f = time(floor);
            (f, time(whole))
        } else {
            let w = time(whole);
            (time(floor), w)
        };
        let (f, w) = (f.as_secs_f64(), w.as_secs_f64());
        println!(
            "pair {:>2}: floor {:.3} s, whole run {:.3} s, ratio {:.2}",
            i + 1,
            f,
            w,
            w / f
        );
        floors.push(f);
        wholes.push(w);
        ratios.push(w / f);
    }
    // Sorted by `median`: the lowest and highest ratios are its ends.
    let ratio = median(&mut ratios);
    println!(
        "{pairs} pairs of {TRIALS} trials: floor {:.3} s, whole run {:.3} s (medians); \
         ratio median {ratio:.2}, lowest {:.2}, highest {:.2}",
        median(&mut floors),
        median(&mut wholes),
        ratios[0],
        ratios[pairs - 1]
    );
}
