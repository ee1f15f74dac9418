//! Tests of the tail analysis and the shock impact: the median rank
//! against a direct computation, its standard error under no relation
//! against a simulation, and both analyses on scenarios whose answers are
//! known in closed form (tolerances from standard errors, fixed seeds).

use super::*;
use crate::config::Scenario;
use crate::engine::{Engine, Settings};
use crate::results::{Results, Summary};
use crate::sampling::Method;
use crate::stats::rank::{Ranked, average_ranks};
use rand::rngs::Xoshiro256PlusPlus;
use rand::{Rng, SeedableRng};

fn summary(text: &str, trials: u64, seed: u64) -> Summary {
    let sc = Scenario::from_toml(text, std::path::Path::new("t.toml")).unwrap();
    let settings = Settings::new(trials, seed, Method::MonteCarlo);
    let data = Engine::new(&sc, settings).run(None, &mut |_| {}).unwrap();
    Results::new(&sc, &settings, &data).summary
}

/// The median percentile rank of the members, computed the plain way:
/// collect their ranks, sort, take the numpy-linear median.
fn direct_median(x: &[f64], member: &[bool]) -> Option<f64> {
    let r = average_ranks(x);
    let m = x.len() as f64;
    let mut v: Vec<f64> = r
        .iter()
        .zip(member)
        .filter(|(_, t)| **t)
        .map(|(r, _)| 100.0 * (r - 0.5) / m)
        .collect();
    v.sort_by(f64::total_cmp);
    percentile_sorted(&v, 0.5)
}

#[test]
fn median_rank_agrees_with_sorting_the_members_ranks() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
    for case in 0..200 {
        let n = 1 + (rng.next_u64() % 60) as usize;
        // Few distinct values, so that ties are common.
        let x: Vec<f64> = (0..n).map(|_| (rng.next_u64() % 7) as f64).collect();
        let member: Vec<bool> = (0..n).map(|_| rng.next_u64() % 3 == 0).collect();
        let k = member.iter().filter(|&&b| b).count();
        let ranked = Ranked::new(&x);
        let got = median_rank(&ranked, &member, k);
        let want = direct_median(&x, &member);
        match (got, want) {
            (Some(g), Some(w)) => assert!((g - w).abs() < 1e-9, "case {case}: {g} vs {w}"),
            (None, None) => assert_eq!(k, 0),
            _ => panic!("case {case}: {got:?} vs {want:?}"),
        }
    }
    // By hand: values 10, 30, 20, 40 have percentile ranks 12.5, 62.5,
    // 37.5, 87.5; members 0, 1, 3 → median 62.5; members 0, 2 → 25.
    let x = [10.0, 30.0, 20.0, 40.0];
    let ranked = Ranked::new(&x);
    let m1 = [true, true, false, true];
    assert_eq!(median_rank(&ranked, &m1, 3), Some(62.5));
    let m2 = [true, false, true, false];
    assert_eq!(median_rank(&ranked, &m2, 2), Some(25.0));
}

/// Under no relation the median rank of k of m futures has the standard
/// error 50 √((m − k) / ((m − 1) k)). Checked on random subsets: the
/// standard deviation of the median over 4,000 subsets estimates it with a
/// relative standard error of about 1/√(2 · 4000) = 1.1%; tolerance 5%.
#[test]
fn null_standard_error_of_the_median_rank() {
    let m = 2000;
    let x: Vec<f64> = (0..m).map(|i| i as f64).collect();
    let ranked = Ranked::new(&x);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
    for k in [200, 1000] {
        let reps = 4000;
        let mut idx: Vec<usize> = (0..m).collect();
        let medians: Vec<f64> = (0..reps)
            .map(|_| {
                // A random k-subset: a partial Fisher–Yates shuffle.
                for i in 0..k {
                    let j = i + (rng.next_u64() % (m - i) as u64) as usize;
                    idx.swap(i, j);
                }
                let mut member = vec![false; m];
                idx[..k].iter().for_each(|&i| member[i] = true);
                median_rank(&ranked, &member, k).unwrap()
            })
            .collect();
        let mean = medians.iter().sum::<f64>() / reps as f64;
        let sd =
            (medians.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (reps - 1) as f64).sqrt();
        let (kf, mf) = (k as f64, m as f64);
        let se = 50.0 * ((mf - kf) / ((mf - 1.0) * kf)).sqrt();
        assert!((sd / se - 1.0).abs() < 0.05, "k = {k}: sd {sd} vs {se}");
        // And the mean is 50 within 4 standard errors of a mean.
        assert!((mean - 50.0).abs() < 4.0 * se / (reps as f64).sqrt());
    }
}

#[test]
fn bonferroni_critical_values() {
    // scipy 1.x: scipy.stats.norm.isf(0.05 / (2 * tests)) for tests = 1,
    // 10, 30.
    for (tests, z) in [
        (1, 1.9599639845400545),
        (10, 2.8070337683438042),
        (30, 3.1439802870690796),
    ] {
        assert!((critical_value(tests) - z).abs() < 1e-9, "{tests}");
    }
}

/// One cost U = 156,000 at month 0, no discounting, a year's horizon, and
/// a saving of 50 × hours a month, hours uniform on [200, 400]: NPV =
/// −156,000 + 600 hours, negative exactly when hours < 260 (chance 0.3).
/// Payback is 3,120 / hours months (260 / hours years), later than the
/// 0.75-year target when hours < 346.67 (chance 0.7333). The escalation
/// of the benefit first applies in month 13, beyond the horizon: it has
/// nothing to do with either.
const DRIVER: &str = r#"
horizon_years = 1
[finance]
discount_rate = 0
target_payback_years = 0.75
[[costs]]
name = "Licence"
amount = 156000
[[benefits]]
name = "Time"
kind = "efficiency"
hours_saved_per_month = { uniform = [200, 400] }
hourly_cost = 50
escalation = { uniform = [0, 0.05] }
"#;

#[test]
fn driver_and_bystander() {
    let m: f64 = 20_000.0;
    let s = summary(DRIVER, 20_000, 3);
    let ta = &s.tail_analysis;
    assert_eq!(ta.trials, 20_000);
    for (tail, q) in [(&ta.npv_negative, 0.3), (&ta.payback_missed, 11.0 / 15.0)] {
        // The share within 4 binomial standard errors.
        let se: f64 = (q * (1.0 - q) / m).sqrt();
        assert!(
            (tail.share - q).abs() < 4.0 * se,
            "{}: {}",
            tail.definition,
            tail.share
        );
        assert_eq!(tail.share, tail.futures as f64 / m);
        let k = tail.futures as f64;
        let [driver, bystander] = [0, 1].map(|i| &tail.inputs[i]);
        // NPV and payback are monotone in hours, so the tail holds the k
        // lowest draws, ranks 1..=k: median percentile rank
        // 100 ((k + 1)/2 − ½) / m = 50 k / m, that is 50 q for the share q.
        assert_eq!(driver.input, "benefits.Time.hours_saved_per_month");
        assert!((driver.median_rank - 50.0 * k / m).abs() < 1e-9);
        assert!((driver.shift - (driver.median_rank - 50.0)).abs() < 1e-12);
        assert!(driver.stands_out);
        // The bystander: 50 within 4 standard errors of the null.
        assert_eq!(bystander.input, "benefits.Time.escalation");
        let se = 50.0 * ((m - k) / ((m - 1.0) * k)).sqrt();
        assert!(bystander.shift.abs() < 4.0 * se, "{}", bystander.shift);
        assert!(!bystander.stands_out);
        let threshold = tail.threshold.unwrap();
        assert!(threshold >= FLOOR && threshold < driver.shift.abs());
        assert!(tail.shocks.is_empty() && tail.note.is_none());
    }
    assert_eq!(
        ta.payback_missed.definition,
        "payback later than the 0.75-year target, or none within the horizon"
    );
    assert!(s.shock_impact.is_empty());
}

#[test]
fn empty_and_tiny_tails_give_counts_only() {
    // No loss at all (the cost is below the smallest benefit), and no
    // target: the payback tail is the futures without payback, none here.
    let none = DRIVER
        .replace("156000", "100000")
        .replace("target_payback_years = 0.75\n", "");
    let s = summary(&none, 5_000, 1);
    for tail in [
        &s.tail_analysis.npv_negative,
        &s.tail_analysis.payback_missed,
    ] {
        assert_eq!((tail.futures, tail.share, tail.threshold), (0, 0.0, None));
        assert!(tail.inputs.is_empty() && tail.shocks.is_empty());
        assert_eq!(
            tail.note.as_deref(),
            Some("no analysed future is in this tail")
        );
    }
    assert_eq!(
        s.tail_analysis.payback_missed.definition,
        "no payback within the 1-year horizon (the scenario states no payback target)"
    );
    // A loss when hours < 200.1: chance 0.0005, about 10 of 20,000.
    let tiny = DRIVER.replace("156000", "120060");
    let t = summary(&tiny, 20_000, 1).tail_analysis.npv_negative;
    assert!(t.futures > 0 && t.futures < MIN_FUTURES, "{}", t.futures);
    assert!(t.inputs.is_empty() && t.threshold.is_none());
    assert!(t.note.unwrap().contains("too few"));
}

/// Hours fixed (10,000 a month of benefit against U = 60,000), no
/// discounting, two years, and a permanent shock that ends every benefit
/// (benefit_loss = 1) with a 75% chance a year: p_m = 1 − 0.25^(1/12).
/// It strikes within T = 24 months with chance 1 − 0.25² = 0.9375. Struck
/// first in month s, the benefits of months 1..s−1 remain: NPV = −60,000 +
/// 10,000 (s − 1), negative exactly when s ≤ 6, with chance
/// (1 − 0.25^(6/12)) / 0.9375 = 0.5/0.9375 among the struck futures. The
/// conditional CDF of s is 0.468 at 5 and 0.533 at 6: the median month is
/// 6, the median NPV −10,000. Spared, NPV = −60,000 + 240,000 = 180,000.
const FAILS: &str = r#"
horizon_years = 2
[finance]
discount_rate = 0
[[costs]]
name = "Licence"
amount = 60000
[[benefits]]
name = "Time"
kind = "efficiency"
hours_saved_per_month = 200
hourly_cost = 50
[[shocks]]
name = "Project fails"
probability_per_year = 0.75
benefit_loss = 1
"#;

#[test]
fn shock_impact_in_closed_form() {
    let m: f64 = 20_000.0;
    let s = summary(FAILS, 20_000, 5);
    let [row] = s.shock_impact.as_slice() else {
        panic!("one shock")
    };
    assert_eq!(row.shock, "Project fails");
    let p = 0.9375;
    let se = (p * (1.0 - p) / m).sqrt();
    assert!((row.strikes - p).abs() < 4.0 * se, "{}", row.strikes);
    assert_eq!(row.futures_struck + row.futures_spared, 20_000);
    assert_eq!(row.strikes, row.futures_struck as f64 / m);
    // The sample median month is 6 unless the empirical CDF moved by more
    // than 0.03 (about 9 standard errors): the median NPV is exact.
    assert_eq!(row.npv_median_struck, Some(-10_000.0));
    assert_eq!(row.npv_median_spared, Some(180_000.0));
    let q = 0.5 / 0.9375;
    let n = row.futures_struck as f64;
    let got = row.npv_negative_struck.unwrap();
    assert!((got - q).abs() < 4.0 * (q * (1.0 - q) / n).sqrt(), "{got}");
    assert_eq!(row.npv_negative_spared, Some(0.0));
    // In the tail of losses every future was struck.
    let tail = &s.tail_analysis.npv_negative;
    assert_eq!(tail.shocks[0].strikes_in_tail, 1.0);
    assert_eq!(tail.shocks[0].strikes_overall, row.strikes);
    assert!(tail.shocks[0].stands_out);
    // No uncertain input: nothing to rank.
    assert!(tail.inputs.is_empty());
}

#[test]
fn a_rare_shock_gives_counts_only() {
    // 0.01% a year over 2 years: about 4 of 20,000 futures are struck.
    let rare = FAILS.replace("0.75", "0.0001");
    let s = summary(&rare, 20_000, 5);
    let row = &s.shock_impact[0];
    assert!(row.futures_struck < MIN_FUTURES);
    assert_eq!(
        (row.npv_median_struck, row.npv_negative_struck),
        (None, None)
    );
    assert_eq!(row.npv_median_spared, Some(180_000.0));
    assert_eq!(row.npv_negative_spared, Some(0.0));
}
