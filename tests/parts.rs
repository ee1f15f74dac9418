//! A run split into parts (the shards of `run --shard`) and merged gives
//! the very data one process gives, for any split, under Monte Carlo and
//! Latin hypercube, with an exact fan (a run no longer than the pilot), with
//! sketched fans, and with sketched metrics (fewer trials kept than run).

use crm_roi::config::Scenario;
use crm_roi::engine::{CHUNK, Engine, Metric, Settings};
use crm_roi::results::Results;
use crm_roi::sampling::Method;
use crm_roi::stats::KeyCode;
use std::path::Path;

/// Shocks and correlations: the wholesaler example.
fn scenario() -> Scenario {
    Scenario::load(Path::new("scenarios/wholesaler-key-accounts.toml"))
        .unwrap_or_else(|e| panic!("{e}"))
}

fn whole(engine: &Engine) -> String {
    format!("{:?}", engine.run(None, &mut |_| {}).unwrap())
}

fn split(engine: &Engine, n: u64) -> String {
    let parts: Vec<_> = (1..=n)
        .map(|k| {
            engine
                .run_part(engine.shard_chunks(k, n), None, &mut |_| {})
                .unwrap()
        })
        .collect();
    format!("{:?}", engine.merge(parts).unwrap())
}

#[test]
fn parts_merge_into_the_whole_run() {
    let sc = scenario();
    for method in [Method::MonteCarlo, Method::LatinHypercube] {
        // 3,000: the pilot is the run (exact fan); 10,000 and 40,000:
        // sketched fan; with 8,192 kept, sketched metrics too.
        for (trials, keep) in [(3_000, None), (10_000, None), (40_000, Some(8 * CHUNK))] {
            let settings = Settings::new(trials, 7, method);
            let make = || {
                let e = Engine::new(&sc, settings);
                match keep {
                    Some(k) => e.with_keep_limit(k),
                    None => e,
                }
            };
            let engine = make();
            let one = whole(&engine);
            for n in [1, 2, 3, 7, 50] {
                assert!(
                    split(&engine, n) == one,
                    "{method:?}, {trials} trials, {n} parts"
                );
            }
            // And so do the results computed from them.
            let parts: Vec<_> = (1..=3)
                .map(|k| {
                    engine
                        .run_part(engine.shard_chunks(k, 3), None, &mut |_| {})
                        .unwrap()
                })
                .collect();
            let merged = engine.merge(parts).unwrap();
            let direct = make().run(None, &mut |_| {}).unwrap();
            assert_eq!(
                Results::new(&sc, &settings, &merged),
                Results::new(&sc, &settings, &direct)
            );
        }
    }
}

#[test]
fn shard_ranges_cover_the_chunks_in_order() {
    let sc = scenario();
    let engine = Engine::new(&sc, Settings::new(10 * CHUNK + 5, 1, Method::MonteCarlo));
    // 11 chunks in 3: 4, 4, 3.
    let ranges: Vec<_> = (1..=3).map(|k| engine.shard_chunks(k, 3)).collect();
    assert_eq!(ranges, [0..4, 4..8, 8..11]);
    // More shards than chunks: the last ones are empty.
    let ranges: Vec<_> = (1..=13).map(|k| engine.shard_chunks(k, 13)).collect();
    assert_eq!(ranges[10], 10..11);
    assert!(ranges[11].is_empty() && ranges[12].is_empty());
}

#[test]
fn parts_that_do_not_make_a_run_are_refused() {
    let sc = scenario();
    let engine = Engine::new(&sc, Settings::new(10_000, 7, Method::MonteCarlo));
    let part = |k| {
        engine
            .run_part(engine.shard_chunks(k, 3), None, &mut |_| {})
            .unwrap()
    };
    let err = engine.merge(vec![part(1), part(3)]).unwrap_err();
    assert_eq!(err.to_string(), "chunks 4 to 6 are missing");
    let err = engine.merge(vec![part(1), part(2)]).unwrap_err();
    assert_eq!(err.to_string(), "chunks 7 to 9 are missing");
    let err = engine
        .merge(vec![part(1), part(1), part(2), part(3)])
        .unwrap_err();
    assert_eq!(err.to_string(), "chunks 0 to 3 come twice");
    // A part whose shape is not this run's (a corrupted or foreign part;
    // the shard file's header catches another run of the same shape).
    let mut short = part(1);
    short.records.pop();
    let err = engine.merge(vec![short, part(2), part(3)]).unwrap_err();
    assert_eq!(err.to_string(), "its chunks do not fit this run");
    let mut short = part(2);
    short.kept_metrics[0].pop();
    let err = engine.merge(vec![part(1), short, part(3)]).unwrap_err();
    assert_eq!(err.to_string(), "its kept values do not fit this run");
    let mut short = part(2);
    short.kept_keys[Metric::Roi.index()].pop();
    let err = engine.merge(vec![part(1), short, part(3)]).unwrap_err();
    assert_eq!(err.to_string(), "its kept values do not fit this run");
    // Keys of another code (from another pilot) do not compare.
    let mut other = part(3);
    other.key_codes[Metric::Roi.index()] = KeyCode::default();
    let err = engine.merge(vec![part(1), part(2), other]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "its keys have another code than the first part's"
    );
    // Kept values that the trials do not give when run again (a part of
    // another seed, or from a build that computes differently).
    let mut other = part(2);
    other.kept_metrics[Metric::Npv.index()][0] += 1.0;
    let err = engine.merge(vec![part(1), other, part(3)]).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("trial 4096 does not run again to the npv it holds"),
        "{err}"
    );
    let mut short = part(3);
    short.fan_sketches = None;
    let err = engine.merge(vec![part(1), part(2), short]).unwrap_err();
    assert_eq!(err.to_string(), "its fan or sketches do not fit this run");
    // A month sketch that counts more values than the part has trials (as
    // a crafted file could, to overflow the counts when they merge).
    let mut inflated = part(3);
    let other = part(2).fan_sketches.expect("10,000 trials sketch the fan");
    inflated.fan_sketches.as_mut().expect("sketched")[5].merge(&other[5]);
    let err = engine.merge(vec![part(1), part(2), inflated]).unwrap_err();
    assert_eq!(err.to_string(), "its fan or sketches do not fit this run");
    // Counts beyond the part's trials (P(NPV > 0) above 1 after the merge).
    let mut inflated = part(2);
    inflated.counts.npv_positive = 1_000_000_000_000;
    let err = engine.merge(vec![part(1), inflated, part(3)]).unwrap_err();
    assert_eq!(err.to_string(), "its counts do not fit this run");
    // A chunk's moments counting more values than the chunk has trials.
    let mut inflated = part(2);
    let once = inflated.records[0].moments[0];
    inflated.records[0].moments[0].merge(&once);
    let err = engine.merge(vec![part(1), inflated, part(3)]).unwrap_err();
    assert_eq!(err.to_string(), "its moments do not fit this run");
}

/// A trial run again gives the values the run kept, bit for bit: NPV and
/// payback as kept, the other outputs as their keys say. The exact
/// percentiles of those outputs rest on this (`stats::select`).
#[test]
fn trials_run_again_give_the_kept_values() {
    let sc = scenario();
    for method in [Method::MonteCarlo, Method::LatinHypercube] {
        let n = 6 * CHUNK + 17;
        let engine = Engine::new(&sc, Settings::new(n, 11, method));
        let data = engine.run(None, &mut |_| {}).unwrap();
        let all: Vec<usize> = (0..n as usize).collect();
        for m in Metric::ALL {
            let again = engine.metric_values(m, &all);
            let keys = &data.kept_keys[m.index()];
            if m == Metric::Npv || m == Metric::PaybackYears {
                assert!(keys.is_empty());
                let kept: Vec<u64> = data.metric(m).iter().map(|x| x.to_bits()).collect();
                let again: Vec<u64> = again.iter().map(|x| x.to_bits()).collect();
                assert_eq!(kept, again, "{method:?}, {}", m.name());
            } else {
                let code = &data.key_codes[m.index()];
                let again: Vec<u32> = again.iter().map(|&x| code.key(x)).collect();
                assert_eq!(keys, &again, "{method:?}, {}", m.name());
            }
        }
    }
}
