//! Benchmarks of the sampling layer: each family's inverse CDF (the path
//! every draw takes, plain, Latin hypercube or through the copula), the
//! keyed uniforms, the Latin hypercube permutation and the copula. Compare
//! families as ratios within one run.

use criterion::{Criterion, criterion_group, criterion_main};
use crm_roi::dist::{
    Beta, Discrete, Dist, Family, Gamma, LogNormal, Normal, Pert, Triangular, Uniform, Weibull,
};
use crm_roi::sampling::copula::build_groups;
use crm_roi::sampling::keyed::StreamKey;
use crm_roi::sampling::lhs::Permutation;
use std::hint::black_box;

fn families(c: &mut Criterion) {
    let cases: Vec<(&str, Dist)> = vec![
        (
            "uniform",
            Dist::new(Family::Uniform(Uniform::new(1.0, 2.0).unwrap())),
        ),
        (
            "triangular",
            Dist::new(Family::Triangular(Triangular::new(3.0, 6.0, 12.0).unwrap())),
        ),
        (
            "pert",
            Dist::new(Family::Pert(Pert::new(60e3, 90e3, 160e3).unwrap())),
        ),
        (
            "normal",
            Dist::new(Family::Normal(Normal::new(6000.0, 600.0).unwrap())),
        ),
        (
            "lognormal",
            Dist::new(Family::LogNormal(
                LogNormal::from_p5_p95(15e3, 60e3).unwrap(),
            )),
        ),
        (
            "beta",
            Dist::new(Family::Beta(Beta::new(2.0, 18.0).unwrap())),
        ),
        (
            "gamma",
            Dist::new(Family::Gamma(Gamma::new(2.0, 1500.0).unwrap())),
        ),
        (
            "weibull",
            Dist::new(Family::Weibull(Weibull::new(1.5, 12.0).unwrap())),
        ),
        (
            "discrete",
            Dist::new(Family::Discrete(
                Discrete::new(&[1.0, 2.0, 3.0, 4.0], &[1.0, 2.0, 3.0, 4.0]).unwrap(),
            )),
        ),
        (
            "normal truncated",
            Dist::truncated(
                Family::Normal(Normal::new(0.1, 0.05).unwrap()),
                Some(0.0),
                None,
            )
            .unwrap(),
        ),
    ];
    let key = StreamKey::new(1, "bench");
    let mut group = c.benchmark_group("inverse CDF");
    for (name, d) in &cases {
        let mut i = 0u64;
        group.bench_function(*name, |b| {
            b.iter(|| {
                i += 1;
                d.quantile(black_box(key.uniform(i, 0)))
            })
        });
    }
    group.finish();

    let mut i = 0u64;
    c.bench_function("keyed uniform", |b| {
        b.iter(|| {
            i += 1;
            key.uniform(black_box(i), 0)
        })
    });
    let perm = Permutation::new(key, 1_000_000);
    let mut i = 0u64;
    c.bench_function("LHS permutation (n = 1e6)", |b| {
        b.iter(|| {
            i = (i + 1) % 1_000_000;
            perm.apply(black_box(i))
        })
    });
    let groups = build_groups(&["a", "b", "c"], &[(0, 1, 0.5), (1, 2, -0.3)]).unwrap();
    let (mut u, mut z) = ([0.3, 0.6, 0.9], [0.0; 3]);
    c.bench_function("copula, group of 3", |b| {
        b.iter(|| {
            u = [0.3, 0.6, 0.9];
            groups[0].apply(black_box(&mut u), &mut z);
        })
    });
}

criterion_group!(benches, families);
criterion_main!(benches);
