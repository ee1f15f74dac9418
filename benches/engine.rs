//! Benchmarks of the simulator's layers on the example scenario of the
//! model (scenarios/midsize-b2b.toml): one trial of the model, one trial's
//! input draws, the engine against the same keyed draws and model pass with
//! nothing recorded, the decision analyses against a whole 1M-trial run
//! with its summary, and a whole run (every result file but the charts)
//! against the floor of issue 14: the same distributions and month model
//! drawn directly with rand_distr, nothing recorded ([`floor`]). Compare
//! them as ratios within one run; absolute times on shared machines are
//! noisy.

#[path = "support/floor.rs"]
mod floor;

use criterion::{Criterion, criterion_group, criterion_main};
use crm_roi::config::Scenario;
use crm_roi::engine::{Engine, Settings};
use crm_roi::model::Occurrence;
use crm_roi::report;
use crm_roi::results::{Results, decision_analyses};
use crm_roi::sampling::{Method, Sampler};
use std::hint::black_box;
use std::path::Path;

fn example() -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/midsize-b2b.toml");
    Scenario::load(&path).expect("the example scenario is valid")
}

fn layers(c: &mut Criterion) {
    let sc = example();
    let pairs: Vec<_> = sc
        .inputs
        .iter()
        .map(|i| (i.path.as_str(), &i.quantity))
        .collect();

    let x = sc.median_inputs();
    let mut scratch = sc.model.scratch();
    let shocks = [Occurrence {
        shock: 1,
        month: 20,
        loss: 0.1,
        duration: Some(12),
        ..Default::default()
    }];
    c.bench_function("model: one trial", |b| {
        b.iter(|| {
            sc.model
                .run(black_box(&x), &shocks, &mut scratch, |_, _| {})
        })
    });
    // Most trials of the example have no shock occurrence.
    c.bench_function("model: one trial without shocks", |b| {
        b.iter(|| sc.model.run(black_box(&x), &[], &mut scratch, |_, _| {}))
    });

    for method in [Method::MonteCarlo, Method::LatinHypercube] {
        let sampler = Sampler::new(1, 100_000, method, &pairs, sc.groups.clone());
        let mut draw = sampler.scratch();
        let mut out = vec![0.0; pairs.len()];
        let mut trial = 0;
        c.bench_function(
            &format!("sampler: one trial's inputs ({})", method.name()),
            |b| {
                b.iter(|| {
                    trial = (trial + 1) % 100_000;
                    sampler.draw(black_box(trial), &mut draw, &mut out);
                })
            },
        );
    }

    // The full engine against the same keyed draws and one pass of the
    // model over the months per trial, in parallel chunks, with no
    // statistics kept ("keyed floor"). Read the result as the ratio of the
    // two: what recording costs.
    let mut group = c.benchmark_group("engine");
    group.sample_size(10);
    for trials in [10_000u64, 100_000, 1_000_000] {
        let settings = Settings::new(trials, 1, Method::MonteCarlo);
        group.bench_function(format!("full run, {trials} trials"), |b| {
            b.iter(|| {
                Engine::new(&sc, settings)
                    .run(None, &mut |_| {})
                    .expect("no sink, no I/O")
            })
        });
        let engine = Engine::new(&sc, settings);
        group.bench_function(format!("keyed floor, {trials} trials"), |b| {
            b.iter(|| keyed_floor(&engine, trials))
        });
    }
    group.finish();

    // A whole run as `crm-roi run FILE -n 1000000 --no-charts` does it
    // (read the scenario, run, summarise, write every result file but the
    // charts) against the floor of issue 14, in the same criterion run: the
    // ratio of the two is the figure docs/performance.md reports.
    let mut group = c.benchmark_group("whole run against the floor");
    group.sample_size(10);
    let trials = 1_000_000u64;
    let check = floor::run(trials, 7);
    eprintln!(
        "floor: mean NPV {:.0} over {trials} trials (a sanity check against summary.json)",
        check.npv_sum / trials as f64
    );
    group.bench_function(format!("floor, {trials} trials"), |b| {
        b.iter(|| floor::run(black_box(trials), 7))
    });
    let out = tempfile::tempdir().expect("a temporary directory");
    group.bench_function(format!("whole run, {trials} trials"), |b| {
        b.iter(|| whole_run(out.path(), trials))
    });
    group.finish();

    // The decision analyses (value of information, contribution to
    // variance, tail analysis, shock impact) against a whole run of 1M
    // trials with its summary: their cost is the ratio of the two.
    let mut group = c.benchmark_group("decision analyses");
    group.sample_size(10);
    let settings = Settings::new(1_000_000, 1, Method::MonteCarlo);
    group.bench_function("run and summary, 1000000 trials", |b| {
        b.iter(|| {
            let data = Engine::new(&sc, settings)
                .run(None, &mut |_| {})
                .expect("no sink, no I/O");
            Results::new(&sc, &settings, &data)
        })
    });
    let data = Engine::new(&sc, settings)
        .run(None, &mut |_| {})
        .expect("no sink, no I/O");
    let mut sensitivity = Results::new(&sc, &settings, &data).summary.sensitivity;
    group.bench_function("decision analyses alone, 1000000 trials", |b| {
        b.iter(|| decision_analyses(&sc, &data, &mut sensitivity))
    });
    group.finish();
}

/// A whole run of the example without charts, as the command line does
/// it: the scenario read, the trials run, the results summarised and
/// written (summary.json, the CSV files and results.xlsx) into `out`.
fn whole_run(out: &Path, trials: u64) {
    let sc = example();
    let settings = Settings::new(trials, 42, Method::MonteCarlo);
    let run = crm_roi::simulate(&sc, &crm_roi::RunOptions::new(settings), &mut ())
        .expect("the example runs");
    let dir = report::ResultDir::create(out, "midsize-b2b", report::replace::Kind::Run)
        .expect("a result directory");
    for e in report::standard_exports(crm_roi::lang::Lang::En) {
        dir.write(e.as_ref(), &run.results)
            .expect("the files are written");
    }
    dir.commit().expect("the results are put in place");
}

/// The least work the engine can do with its keyed draws: every trial drawn
/// and run through the model, nothing recorded but a checksum.
fn keyed_floor(engine: &Engine, trials: u64) -> f64 {
    use rayon::prelude::*;
    (0..trials.div_ceil(1024) as usize)
        .into_par_iter()
        .map(|c| {
            let mut ts = engine.scratch();
            let start = c as u64 * 1024;
            (start..(start + 1024).min(trials))
                .map(|t| engine.trial(t, &mut ts, |_, _| {}).npv)
                .sum::<f64>()
        })
        .sum()
}

criterion_group!(benches, layers);
criterion_main!(benches);
