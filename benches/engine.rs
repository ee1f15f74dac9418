//! Benchmarks of the simulator's layers on the example scenario of the
//! model (scenarios/midsize-b2b.toml): one trial of the model, one trial's
//! input draws, and the whole engine. Compare them as ratios within one
//! run; absolute times on shared machines are noisy.

use criterion::{Criterion, criterion_group, criterion_main};
use crm_roi::config::Scenario;
use crm_roi::engine::{Engine, Settings};
use crm_roi::model::Occurrence;
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
    }];
    c.bench_function("model: one trial", |b| {
        b.iter(|| {
            sc.model
                .run(black_box(&x), &shocks, &mut scratch, |_, _| {})
        })
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

    let mut group = c.benchmark_group("engine");
    group.sample_size(10);
    for trials in [10_000u64, 100_000] {
        let settings = Settings {
            trials,
            seed: 1,
            method: Method::MonteCarlo,
        };
        group.bench_function(format!("{trials} trials"), |b| {
            b.iter(|| {
                Engine::new(&sc, settings)
                    .run(None, &mut |_| {})
                    .expect("no sink, no I/O")
            })
        });
    }
    group.finish();
}

criterion_group!(benches, layers);
criterion_main!(benches);
