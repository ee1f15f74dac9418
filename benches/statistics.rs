//! Benchmarks of the statistics layer: the accumulators every trial feeds
//! (moments, histogram sketches) and the work after a run (sorting kept
//! outputs for percentiles, ranking inputs for the sensitivity analysis,
//! the value-of-information regression).
//! Compare them as ratios within one run.

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use crm_roi::results::voi::evppi;
use crm_roi::stats::rank::ranks_and_order;
use crm_roi::stats::{Moments, MonthSketch, Sketch, sort_floats};
use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use std::hint::black_box;

/// Values shaped like NPVs: a skewed spread around a large mean.
fn values(n: usize, seed: u64) -> Vec<f64> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    (0..n)
        .map(|_| {
            let u: f64 = rng.random();
            250_000.0 + 90_000.0 * (u / (1.0 - u)).ln() + 40_000.0 * u * u
        })
        .collect()
}

fn statistics(c: &mut Criterion) {
    let xs = values(4096, 1);
    let mut pilot = values(4096, 2);
    sort_floats(&mut pilot);

    let mut group = c.benchmark_group("accumulators");
    group.throughput(Throughput::Elements(xs.len() as u64));
    group.bench_function("moments: push 4096 values", |b| {
        b.iter(|| {
            let mut m = Moments::default();
            xs.iter().for_each(|&x| m.push(x));
            black_box(m)
        })
    });
    let empty = Sketch::from_pilot(&pilot);
    group.bench_function("sketch: insert 4096 values one by one", |b| {
        let mut s = empty.clone();
        b.iter(|| xs.iter().for_each(|&x| s.insert(black_box(x))))
    });
    group.bench_function("sketch: insert 4096 values in one batch", |b| {
        let mut s = empty.clone();
        b.iter(|| s.insert_all(black_box(&xs)))
    });
    let empty_month = MonthSketch::from_pilot(&pilot);
    group.bench_function("month sketch: insert 4096 values in one batch", |b| {
        let mut s = empty_month.clone();
        b.iter(|| s.insert_all(black_box(&xs)))
    });
    let mut full = empty.clone();
    full.insert_all(&values(100_000, 3));
    group.throughput(Throughput::Elements(1));
    group.bench_function("sketch: merge two", |b| {
        let mut s = empty.clone();
        b.iter(|| s.merge(black_box(&full)))
    });
    group.bench_function("sketch: one percentile", |b| {
        b.iter(|| full.percentile(black_box(0.37)))
    });
    group.finish();

    let mut group = c.benchmark_group("after the run");
    group.sample_size(20);
    let big = values(1 << 20, 4);
    group.throughput(Throughput::Elements(big.len() as u64));
    group.bench_function("sort 1,048,576 outputs: radix sort", |b| {
        b.iter_batched_ref(|| big.clone(), |v| sort_floats(v), BatchSize::LargeInput)
    });
    group.bench_function("sort 1,048,576 outputs: comparison sort", |b| {
        b.iter_batched_ref(
            || big.clone(),
            |v| v.sort_unstable_by(f64::total_cmp),
            BatchSize::LargeInput,
        )
    });
    let draws = values(1 << 17, 5);
    group.throughput(Throughput::Elements(draws.len() as u64));
    group.bench_function("rank 131,072 input draws", |b| {
        b.iter(|| ranks_and_order(black_box(&draws)))
    });
    // The value-of-information regression of one input (sort, bins,
    // corrected bin means), per input and shock after a run.
    let npv = values(1 << 17, 6);
    group.bench_function("EVPPI of one input over 131,072 trials", |b| {
        b.iter(|| evppi(black_box(&draws), black_box(&npv)))
    });
    group.finish();
}

criterion_group!(benches, statistics);
criterion_main!(benches);
