//! Property tests (proptest) of what must hold for any input:
//! - any quantity table a user could write parses to a quantity or to an
//!   error, and a valid one simulates, without a panic;
//! - accumulators merge associatively (moments up to rounding, histogram
//!   sketches exactly), so the order chunks finish in does not matter;
//! - percentiles never decrease with the level, exact or from a sketch;
//! - payback is the last crossing of the cumulative cash flow, read off
//!   Cum(t) month by month.

use crm_roi::config::Scenario;
use crm_roi::engine::{Engine, Settings};
use crm_roi::results::summarize;
use crm_roi::sampling::Method;
use crm_roi::stats::{Moments, PERCENTILES, Sketch, percentile_sorted, sort_floats};
use proptest::prelude::*;
use std::path::Path;

/// Numbers a hand-written file might hold, the awkward ones included.
fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        (-5i64..200).prop_map(|i| i.to_string()),
        (-1e6f64..1e6).prop_map(|x| format!("{x:?}")),
        (0.0f64..1.0).prop_map(|x| format!("{x:?}")),
        Just("0".to_string()),
        Just("1e300".to_string()),
        Just("-1e300".to_string()),
        Just("nan".to_string()),
        Just("inf".to_string()),
        Just("\"ten\"".to_string()),
    ]
}

const KEYS: [&str; 18] = [
    "mean", "sd", "p5", "p95", "p10", "p90", "p50", "mode", "alpha", "beta", "shape", "scale",
    "values", "weights", "file", "column", "min", "max",
];
const FAMILIES: [&str; 11] = [
    "uniform",
    "triangular",
    "pert",
    "normal",
    "lognormal",
    "beta",
    "gamma",
    "weibull",
    "discrete",
    "empirical",
    "cauchy",
];

/// A family's parameters: an array of numbers or a table of keys.
fn params() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(number(), 0..5).prop_map(|v| format!("[{}]", v.join(", "))),
        prop::collection::vec((prop::sample::select(KEYS.to_vec()), number()), 0..4).prop_map(
            |kv| {
                let mut seen = std::collections::HashSet::new();
                let fields: Vec<String> = kv
                    .into_iter()
                    .filter(|(k, _)| seen.insert(*k))
                    .map(|(k, v)| {
                        if k == "values" || k == "weights" {
                            format!("{k} = [{v}, {v}]")
                        } else {
                            format!("{k} = {v}")
                        }
                    })
                    .collect();
                format!("{{ {} }}", fields.join(", "))
            }
        ),
    ]
}

/// A quantity: a number, or a table with a family and maybe bounds.
fn quantity() -> impl Strategy<Value = String> {
    prop_oneof![
        number(),
        (
            prop::sample::select(FAMILIES.to_vec()),
            params(),
            prop::option::of(number()),
            prop::option::of(number())
        )
            .prop_map(|(f, p, lo, hi)| {
                let mut s = format!("{{ {f} = {p}");
                if let Some(lo) = lo {
                    s.push_str(&format!(", min = {lo}"));
                }
                if let Some(hi) = hi {
                    s.push_str(&format!(", max = {hi}"));
                }
                s + " }"
            }),
    ]
}

fn scenario(hours: &str, cost: &str) -> String {
    format!(
        r#"horizon_years = 2
[finance]
discount_rate = 0.08
target_payback_years = 1
[[costs]]
name = "License"
amount = {cost}
[[benefits]]
name = "Time"
kind = "efficiency"
hours_saved_per_month = {hours}
hourly_cost = 50
"#
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn any_quantity_parses_or_errs_and_valid_ones_run(hours in quantity(), cost in quantity()) {
        let text = scenario(&hours, &cost);
        if let Ok(sc) = Scenario::from_toml(&text, Path::new("prop.toml")) {
            let settings = Settings::new(32, 1, Method::LatinHypercube);
            let data = Engine::new(&sc, settings).run(None, &mut |_| {}).unwrap();
            let (summary, _) = summarize(&sc, &settings, &data);
            let p = summary.probabilities.npv_positive;
            prop_assert!((0.0..=1.0).contains(&p));
        }
    }

    #[test]
    fn moments_merge_associatively(
        a in prop::collection::vec(-1e6f64..1e6, 0..40),
        b in prop::collection::vec(-1e6f64..1e6, 0..40),
        c in prop::collection::vec(-1e6f64..1e6, 0..40),
    ) {
        let m = |xs: &[f64]| {
            let mut m = Moments::default();
            xs.iter().for_each(|&x| m.push(x));
            m
        };
        let (ma, mb, mc) = (m(&a), m(&b), m(&c));
        let mut left = ma;
        left.merge(&mb);
        left.merge(&mc);
        let mut bc = mb;
        bc.merge(&mc);
        let mut right = ma;
        right.merge(&bc);
        prop_assert_eq!(left.count(), right.count());
        // Up to rounding: a few ulps of the largest magnitude involved.
        let close = |x: Option<f64>, y: Option<f64>| match (x, y) {
            (Some(x), Some(y)) => (x - y).abs() <= 1e-9 * (1.0 + x.abs().max(y.abs())),
            (x, y) => x.is_none() && y.is_none(),
        };
        prop_assert!(close(left.mean(), right.mean()));
        prop_assert!(close(left.sd(), right.sd()));
    }

    #[test]
    fn sketches_merge_associatively_and_exactly(
        pilot in prop::collection::vec(-1e3f64..1e3, 1..50),
        a in prop::collection::vec(-2e3f64..2e3, 0..60),
        b in prop::collection::vec(-2e3f64..2e3, 0..60),
        c in prop::collection::vec(-2e3f64..2e3, 0..60),
    ) {
        let mut pilot = pilot;
        sort_floats(&mut pilot);
        let base = Sketch::from_pilot(&pilot);
        let s = |xs: &[f64]| {
            let mut s = base.empty_like();
            s.insert_all(xs);
            s
        };
        let (sa, sb, sc) = (s(&a), s(&b), s(&c));
        let mut left = sa.clone();
        left.merge(&sb);
        left.merge(&sc);
        let mut bc = sb.clone();
        bc.merge(&sc);
        let mut right = sa.clone();
        right.merge(&bc);
        prop_assert_eq!(&left, &right);
        // And equal to inserting everything into one sketch.
        let all: Vec<f64> = a.iter().chain(&b).chain(&c).copied().collect();
        prop_assert_eq!(&left, &s(&all));
    }

    #[test]
    fn percentiles_never_decrease(
        xs in prop::collection::vec(-1e9f64..1e9, 1..300),
        censored in 0usize..20,
    ) {
        let mut sorted = xs.clone();
        sorted.extend(std::iter::repeat_n(f64::INFINITY, censored));
        sort_floats(&mut sorted);
        let exact: Vec<Option<f64>> = PERCENTILES
            .iter()
            .map(|(_, q)| percentile_sorted(&sorted, *q))
            .collect();
        let mut sketch = Sketch::from_pilot(&sorted[..sorted.len().min(50)]);
        sketch.insert_all(&sorted);
        let sketched: Vec<Option<f64>> = PERCENTILES
            .iter()
            .map(|(_, q)| sketch.percentile(*q))
            .collect();
        for levels in [exact, sketched] {
            let known: Vec<f64> = levels.iter().flatten().copied().collect();
            prop_assert!(known.windows(2).all(|w| w[0] <= w[1]), "{:?}", levels);
            // Censored values only ever make the upper percentiles null.
            let first_null = levels.iter().position(Option::is_none).unwrap_or(levels.len());
            prop_assert!(levels[first_null..].iter().all(Option::is_none), "{:?}", levels);
        }
    }
}

/// A scenario of one year without discounting: a flat benefit and one-time
/// costs at the given months, so that Cum(t) can go up and down any number
/// of times.
fn phased(benefit: u32, costs: &[(u32, u32)]) -> String {
    let mut text = format!(
        "horizon_years = 1\n[finance]\ndiscount_rate = 0\n\
         [[benefits]]\nname = \"Flat\"\nkind = \"custom\"\namount_per_month = {benefit}\n\
         ramps_with_adoption = false\n"
    );
    for (k, (month, amount)) in costs.iter().enumerate() {
        text += &format!("[[costs]]\nname = \"C{k}\"\namount = {amount}\nat_month = {month}\n");
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Payback is the time from which Cum(t) stays >= 0 (docs/scenario-format.md),
    /// read here straight off the month-by-month Cum(t) the model reports:
    /// 0 when no month is below zero, none when Cum(T) < 0, else inside the
    /// month after the last one below zero. The cash "fell back" when a month
    /// above zero comes before a month below zero.
    #[test]
    fn payback_is_the_last_crossing_of_the_cumulative_cash(
        benefit in 0u32..500,
        costs in prop::collection::vec((0u32..=12, 0u32..3000), 0..6),
    ) {
        let sc = Scenario::from_toml(&phased(benefit, &costs), Path::new("p.toml")).unwrap();
        let x = sc.median_inputs();
        let mut cum = Vec::new();
        let o = sc.model.run(&x, &[], &mut sc.model.scratch(), |_, c| cum.push(c));
        let want = match cum.iter().rposition(|&c| c < 0.0) {
            None => Some(0.0),
            Some(s) if s + 1 == cum.len() => None,
            Some(s) => Some((s as f64 + (-cum[s]) / (cum[s + 1] - cum[s])) / 12.0),
        };
        match (o.payback_years, want) {
            (Some(g), Some(w)) => prop_assert!((g - w).abs() <= 1e-12, "{g} vs {w}, Cum {cum:?}"),
            (g, w) => prop_assert_eq!(g, w, "Cum {:?}", cum),
        }
        // No discounting: the discounted payback is the same.
        prop_assert_eq!(o.discounted_payback_years, o.payback_years);
        let fell = (0..cum.len()).any(|i| cum[i] > 0.0 && cum[i + 1..].iter().any(|&c| c < 0.0));
        prop_assert_eq!(o.fell_back, fell, "Cum {:?}", cum);
        // Once paid back, the cash never goes below zero again.
        if let Some(p) = o.payback_years {
            let from = (12.0 * p).ceil() as usize;
            prop_assert!(cum[from..].iter().all(|&c| c >= 0.0), "{p}: Cum {cum:?}");
        }
    }
}
