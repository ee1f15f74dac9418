//! What one trial costs in instructions, for `valgrind --tool=callgrind`:
//! on a shared machine whose speed swings by a third from one minute to
//! the next, instruction counts are the measure that does not move
//! (docs/performance.md, "Fourth round"). Runs one of
//! - `floor`: the floor of issue 14 (`support/floor.rs`);
//! - `keyed`: the engine's keyed draws and the model, one trial after
//!   another, nothing recorded;
//! - `engine`: the engine's whole run of the trials (draws, model,
//!   recording, month sketches), without the results stage;
//! - `whole`: the run and its results, as `simulate` computes them;
//!
//! on the example scenario, once, for the given number of trials. The cost
//! of one trial is the difference between two counts (say 200,000 and
//! 100,000 trials) divided by the difference in trials, which leaves out
//! building the tables and the pilot:
//!
//! ```sh
//! cargo bench --bench trial_cost --no-run   # prints the binary's path
//! RAYON_NUM_THREADS=1 valgrind --tool=callgrind --callgrind-out-file=cg.100k \
//!     target/release/deps/trial_cost-HASH engine 100000
//! RAYON_NUM_THREADS=1 valgrind --tool=callgrind --callgrind-out-file=cg.200k \
//!     target/release/deps/trial_cost-HASH engine 200000
//! callgrind_annotate --inclusive=no cg.200k   # and cg.100k: subtract
//! ```
//!
//! Without arguments (as `cargo bench` runs it) it runs each mode over
//! 10,000 trials and prints the wall time, as a smoke test.

#[path = "support/floor.rs"]
mod floor;

use crm_roi::config::Scenario;
use crm_roi::engine::{Engine, Settings};
use crm_roi::sampling::Method;
use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

const MODES: [&str; 4] = ["floor", "keyed", "engine", "whole"];

fn run(mode: &str, trials: u64) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/midsize-b2b.toml");
    let sc = Scenario::load(&path).expect("the example scenario is valid");
    let settings = Settings::new(trials, 42, Method::MonteCarlo);
    match mode {
        "floor" => {
            black_box(floor::run(trials, 7));
        }
        "keyed" => {
            let engine = Engine::new(&sc, settings);
            let mut ts = engine.scratch();
            let npv: f64 = (0..trials)
                .map(|t| engine.trial(t, &mut ts, |_, _| {}).npv)
                .sum();
            black_box(npv);
        }
        "engine" => {
            black_box(
                Engine::new(&sc, settings)
                    .run(None, &mut |_| {})
                    .expect("no sink, no I/O"),
            );
        }
        "whole" => {
            black_box(
                crm_roi::simulate(&sc, &crm_roi::RunOptions::new(settings), &mut ())
                    .expect("the example runs"),
            );
        }
        _ => unreachable!("checked by main"),
    }
}

fn main() {
    // `cargo bench` passes `--bench`; anything starting with `-` is not a mode.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    match args.as_slice() {
        [mode, trials] if MODES.contains(&mode.as_str()) => {
            let trials = trials.parse().expect("trials: a whole number");
            run(mode, trials);
        }
        [] => {
            for mode in MODES {
                let start = Instant::now();
                run(mode, 10_000);
                println!("{mode}: 10000 trials in {:?}", start.elapsed());
            }
        }
        _ => {
            eprintln!("usage: trial_cost [{}] TRIALS", MODES.join("|"));
            std::process::exit(2);
        }
    }
}
