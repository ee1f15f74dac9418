//! Likely mistakes in a valid scenario: values the model accepts but that a
//! person rarely means. They are printed as warnings and become errors
//! with `--strict`.
//!
//! - a rate above 1 where rates may exceed 1 (`discount_rate = 8`: 800% a
//!   year, or 8% written as a percentage?), judged at its 99.9th
//!   percentile ([`HIGH_RATE`]);
//! - a discount rate below -20% a year at its 0.1st percentile
//!   ([`LOW_DISCOUNT_RATE`]), which makes the NPV explode;
//! - a distribution whose 90% range spans more than a factor of 1000
//!   (usually a unit slip, such as euros and thousands of euros);
//! - truncation that removes more than half of a distribution;
//! - a benefit that can never be positive;
//! - a horizon shorter than the target payback time;
//! - costs that are all zero (ROI is then undefined).

use super::{InputDef, Scenario, ScenarioError};
use crate::dist::{Dist, Quantity};
use crate::format::{message_percent, number, significant};
use crate::model::Input;

/// A yearly rate whose 99.9th percentile is above this (100% a year) is
/// most likely a percentage written as a number (`8` for 8%).
pub const HIGH_RATE: f64 = 1.0;
/// A discount rate whose 0.1st percentile is below this (-20% a year)
/// makes later cash count many times its face value: at -20%, cash in year
/// 10 counts 9.3 times, and near -100% the NPV explodes.
pub const LOW_DISCOUNT_RATE: f64 = -0.2;
/// The percentiles at which rates are judged: a bound of the support would
/// flag every normal distribution, however unlikely its tail.
const RATE_HIGH_P: f64 = 0.999;
const RATE_LOW_P: f64 = 0.001;

/// Warnings of a scenario; `places[i]` is the line and column of input `i`,
/// if known.
pub(super) fn warnings(sc: &Scenario, places: &[Option<(usize, usize)>]) -> Vec<ScenarioError> {
    let mut out = Vec::new();
    let mut warn = |input: Option<Input>, path: &str, message: String| {
        let place = input.and_then(|i| places.get(i.0).copied().flatten());
        out.push(ScenarioError {
            file: sc.file.clone(),
            line: place.map(|p| p.0),
            path: path.to_string(),
            message,
            span: None,
            column: place.map(|p| p.1),
        });
    };

    let m = &sc.model;
    let mut rates = vec![m.discount_rate];
    rates.extend(m.costs.iter().filter_map(|c| c.escalation));
    rates.extend(m.benefits.iter().filter_map(|b| b.escalation));
    for r in rates {
        let def = &sc.inputs[r.0];
        if let Some(what) = high_rate(&def.quantity) {
            warn(Some(r), &def.path, what);
        }
    }
    let discount = &sc.inputs[m.discount_rate.0];
    if let Some(what) = low_discount_rate(&discount.quantity, sc.horizon_years) {
        warn(Some(m.discount_rate), &discount.path, what);
    }

    for (i, def) in sc.inputs.iter().enumerate() {
        let Quantity::Random(d) = &def.quantity else {
            continue;
        };
        wide_range(d, def, |msg| warn(Some(Input(i)), &def.path, msg));
        heavy_truncation(d, |msg| warn(Some(Input(i)), &def.path, msg));
    }

    for b in &m.benefits {
        let factors = b.kind.factors(&m.business);
        let (_, hi) = product_range(factors.iter().map(|f| sc.inputs[f.0].quantity.support()));
        if !(hi > 0.0) {
            let first = factors.first().copied();
            warn(
                first,
                &format!("benefits.{}", b.name),
                format!(
                    "can never be positive: its inputs allow at most {} a month",
                    number(hi)
                ),
            );
        }
    }

    if let Some(target) = sc.target_payback_years
        && (sc.horizon_years as f64) < target
    {
        warn(
            None,
            "finance.target_payback_years",
            format!(
                "the target of {} years is beyond the horizon of {} years, so payback within the target means payback within the horizon",
                number(target),
                sc.horizon_years
            ),
        );
    }

    let all_zero = m.costs.iter().all(|c| {
        [c.amount, c.units]
            .iter()
            .any(|i| matches!(sc.inputs[i.0].quantity, Quantity::Fixed(x) if x == 0.0))
    });
    if all_zero {
        warn(
            None,
            "costs",
            "every cost is zero: ROI is undefined and payback is immediate".into(),
        );
    }
    out
}

/// A rate above [`HIGH_RATE`] (at its 99.9th percentile). "Did you mean
/// x/100?" only where that reading is itself a plausible rate (x <= 100).
fn high_rate(q: &Quantity) -> Option<String> {
    match q {
        Quantity::Fixed(x) if *x > HIGH_RATE => {
            let hint = if *x <= 100.0 {
                format!("did you mean {}?", number(x / 100.0))
            } else {
                "0.08 means 8%".to_string()
            };
            Some(format!(
                "is {} a year; rates are fractions: {hint}",
                message_percent(*x)
            ))
        }
        Quantity::Random(d) => {
            let hi = d.exact_quantile(RATE_HIGH_P);
            (hi > HIGH_RATE).then(|| {
                format!(
                    "reaches {} a year at its 99.9th percentile; rates are fractions (0.08 for 8%)",
                    message_percent(hi)
                )
            })
        }
        Quantity::Fixed(_) => None,
    }
}

/// A discount rate below [`LOW_DISCOUNT_RATE`] (at its 0.1st percentile).
fn low_discount_rate(q: &Quantity, horizon_years: u32) -> Option<String> {
    let (lo, how, at) = match q {
        Quantity::Fixed(x) => (*x, "is", ""),
        Quantity::Random(d) => (
            d.exact_quantile(RATE_LOW_P),
            "falls to",
            " at its 0.1st percentile",
        ),
    };
    (lo < LOW_DISCOUNT_RATE).then(|| {
        let weight = (1.0 + lo).powf(-f64::from(horizon_years));
        format!(
            "{how} {} a year{at}, so that cash at the {horizon_years}-year horizon counts {} times its face value; a discount rate below {} is rarely meant (a sign slip?)",
            near_minus_one(lo),
            weight_text(weight),
            message_percent(LOW_DISCOUNT_RATE)
        )
    })
}

/// A rate as a percentage, unless that rounds to an impossible -100%:
/// then as written (`-0.9999999999999999, just above -100%,`).
fn near_minus_one(x: f64) -> String {
    let p = message_percent(x);
    if p == "-100%" {
        format!("{x} (just above -100%)")
    } else {
        p
    }
}

/// 9.31, 3.3e80.
fn weight_text(x: f64) -> String {
    if x == f64::INFINITY {
        "more than 1e308".to_string()
    } else if x >= 1e6 {
        format!("{x:.1e}")
    } else {
        significant((x * 100.0).round() / 100.0)
    }
}

/// The 90% range of a positive distribution spans more than a factor of 1000.
fn wide_range(d: &Dist, def: &InputDef, mut warn: impl FnMut(String)) {
    let (p5, p95) = (d.exact_quantile(0.05), d.exact_quantile(0.95));
    if p5 > 0.0 && p95 > 1000.0 * p5 {
        warn(format!(
            "its 90% range, {} to {}, spans more than a factor of 1000; check the units of {}",
            number(p5),
            number(p95),
            def.path
        ));
    }
}

/// Truncation keeps less than half of the distribution.
fn heavy_truncation(d: &Dist, mut warn: impl FnMut(String)) {
    if let Some(kept) = d.kept_mass()
        && kept < 0.5
    {
        let (lo, hi) = d.bounds();
        let b = |x: Option<f64>, inf: &str| x.map_or(inf.to_string(), number);
        warn(format!(
            "truncating to [{}, {}] keeps only {} of the distribution; are min and max meant for it?",
            b(lo, "-inf"),
            b(hi, "inf"),
            message_percent(kept)
        ));
    }
}

/// The range of a product of factors with the given ranges.
fn product_range(ranges: impl Iterator<Item = (f64, f64)>) -> (f64, f64) {
    ranges.fold((1.0, 1.0), |(lo, hi), (a, b)| {
        let c = [lo * a, lo * b, hi * a, hi * b];
        let c = c.map(|x| if x.is_nan() { 0.0 } else { x });
        (
            c.iter().copied().fold(f64::INFINITY, f64::min),
            c.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warnings_of(text: &str) -> Vec<String> {
        let sc = Scenario::from_toml(text, std::path::Path::new("w.toml")).unwrap();
        sc.warnings.iter().map(|w| w.to_string()).collect()
    }

    const BASE: &str = r#"horizon_years = 5
[finance]
discount_rate = 0.08
target_payback_years = 3
[[costs]]
name = "License"
amount = { pert = [800, 1000, 1500] }
[[benefits]]
name = "Time"
kind = "efficiency"
hours_saved_per_month = { pert = [10, 20, 40] }
hourly_cost = 50
"#;

    #[test]
    fn a_sound_scenario_has_none() {
        assert!(warnings_of(BASE).is_empty());
    }

    #[test]
    fn each_likely_mistake_is_named() {
        let cases = [
            (
                ("discount_rate = 0.08", "discount_rate = 8"),
                "w.toml:3:17: finance.discount_rate: is 800% a year; rates are fractions: did you mean 0.08?",
            ),
            (
                (
                    "hourly_cost = 50",
                    "hourly_cost = { lognormal = { p5 = 1, p95 = 5000 } }",
                ),
                "w.toml:12:15: benefits.Time.hourly_cost: its 90% range, 1 to 5000, spans more than a factor of 1000",
            ),
            (
                (
                    "hourly_cost = 50",
                    "hourly_cost = { normal = { mean = 50, sd = 10 }, min = 70 }",
                ),
                "keeps only 2.275",
            ),
            (
                ("hourly_cost = 50", "hourly_cost = { uniform = [-20, -5] }"),
                "w.toml:11:25: benefits.Time: can never be positive",
            ),
            (
                ("target_payback_years = 3", "target_payback_years = 6"),
                "finance.target_payback_years: the target of 6 years is beyond the horizon of 5 years",
            ),
            (
                ("amount = { pert = [800, 1000, 1500] }", "amount = 0"),
                "costs: every cost is zero",
            ),
        ];
        for ((old, new), want) in cases {
            let text = BASE.replace(old, new);
            let got = warnings_of(&text);
            assert!(
                got.iter().any(|w| w.contains(want)),
                "{new}: {got:?} lacks {want}"
            );
        }
    }

    #[test]
    fn rates_are_judged_by_a_high_percentile_not_by_their_support() {
        // Unbounded above, but 0.1 + 3.09 x 0.05 = 0.25 at the 99.9th
        // percentile: the example of docs/scenario-format.md.
        for rate in [
            "{ normal = { mean = 0.1, sd = 0.05 }, min = 0 }",
            "{ normal = { mean = 0.08, sd = 0.015 }, min = 0 }",
            "{ lognormal = { p5 = 0.05, p95 = 0.2 } }",
            "-0.02",
        ] {
            let text = BASE.replace("discount_rate = 0.08", &format!("discount_rate = {rate}"));
            assert!(
                warnings_of(&text).is_empty(),
                "{rate}: {:?}",
                warnings_of(&text)
            );
        }
        // uniform(0.05, 1.2): P99.9 = 0.05 + 0.999 x 1.15 = 1.19885.
        let text = BASE.replace(
            "discount_rate = 0.08",
            "discount_rate = { uniform = [0.05, 1.2] }",
        );
        assert_eq!(
            warnings_of(&text),
            [
                "w.toml:3:17: finance.discount_rate: reaches 119.885% a year at its 99.9th percentile; rates are fractions (0.08 for 8%)"
            ]
        );
    }

    #[test]
    fn the_percentage_reading_is_suggested_only_when_plausible() {
        let with = |rate: &str| {
            warnings_of(&BASE.replace("discount_rate = 0.08", &format!("discount_rate = {rate}")))
        };
        assert_eq!(
            with("12.5"),
            [
                "w.toml:3:17: finance.discount_rate: is 1250% a year; rates are fractions: did you mean 0.125?"
            ]
        );
        assert_eq!(
            with("1e14"),
            [
                "w.toml:3:17: finance.discount_rate: is 1e16% a year; rates are fractions: 0.08 means 8%"
            ]
        );
    }

    #[test]
    fn a_discount_rate_near_minus_one_is_named() {
        let with = |rate: &str| {
            warnings_of(&BASE.replace("discount_rate = 0.08", &format!("discount_rate = {rate}")))
        };
        // (1 - 0.25)^-5 = 4.21; (1e-16)^-5 = 1e80 (the horizon is 5 years).
        assert_eq!(
            with("-0.25"),
            [
                "w.toml:3:17: finance.discount_rate: is -25% a year, so that cash at the 5-year horizon counts 4.21 times its face value; a discount rate below -20% is rarely meant (a sign slip?)"
            ]
        );
        let got = with("-0.9999999999999999");
        assert_eq!(got.len(), 1);
        assert!(
            got[0].contains("is -0.9999999999999999 (just above -100%) a year, so that cash at the 5-year horizon counts 5.9e79 times its face value"),
            "{got:?}"
        );
        // (1e-13)^-360 overflows: no "inf times".
        let got = warnings_of(
            &BASE
                .replace("discount_rate = 0.08", "discount_rate = -0.9999999999999")
                .replace("horizon_years = 5", "horizon_years = 30"),
        );
        assert!(
            got.iter()
                .any(|w| w.contains("counts more than 1e308 times its face value")),
            "{got:?}"
        );
        let got = with("{ uniform = [-0.5, 0.1] }");
        assert!(
            got[0].contains("falls to -49.94% a year at its 0.1st percentile"),
            "{got:?}"
        );
    }

    #[test]
    fn products_of_ranges() {
        assert_eq!(
            product_range([(1.0, 2.0), (3.0, 4.0)].into_iter()),
            (3.0, 8.0)
        );
        assert_eq!(
            product_range([(-1.0, 2.0), (3.0, 4.0)].into_iter()),
            (-4.0, 8.0)
        );
        assert_eq!(
            product_range([(-2.0, -1.0), (0.0, 0.0)].into_iter()),
            (0.0, 0.0)
        );
    }
}
