//! Likely mistakes in a valid scenario: values the model accepts but that a
//! person rarely means. They are printed as warnings and become errors
//! with `--strict`.
//!
//! - a rate above 1 where rates may exceed 1 (`discount_rate = 8`: 800% a
//!   year, or 8% written as a percentage?);
//! - a distribution whose 90% range spans more than a factor of 1000
//!   (usually a unit slip, such as euros and thousands of euros);
//! - truncation that removes more than half of a distribution;
//! - a benefit that can never be positive;
//! - a horizon shorter than the target payback time;
//! - costs that are all zero (ROI is then undefined).

use super::{InputDef, Scenario, ScenarioError};
use crate::dist::{Dist, Quantity, significant};
use crate::model::Input;

/// Warnings of a scenario; `lines[i]` is the line of input `i`, if known.
pub(super) fn warnings(sc: &Scenario, lines: &[Option<usize>]) -> Vec<ScenarioError> {
    let mut out = Vec::new();
    let mut warn = |input: Option<Input>, path: &str, message: String| {
        out.push(ScenarioError {
            file: sc.file.clone(),
            line: input.and_then(|i| lines.get(i.0).copied().flatten()),
            path: path.to_string(),
            message,
            span: None,
            column: None,
        });
    };

    let m = &sc.model;
    let mut rates = vec![m.discount_rate];
    rates.extend(m.costs.iter().filter_map(|c| c.escalation));
    for r in rates {
        let def = &sc.inputs[r.0];
        let (_, hi) = def.quantity.support();
        if hi > 1.0 {
            let what = match &def.quantity {
                Quantity::Fixed(x) => format!(
                    "is {} a year; rates are fractions: did you mean {}?",
                    percent(*x),
                    significant(x / 100.0)
                ),
                Quantity::Random(_) => format!(
                    "can reach {} a year; rates are fractions (0.08 for 8%)",
                    percent(hi)
                ),
            };
            warn(Some(r), &def.path, what);
        }
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
                    significant(hi)
                ),
            );
        }
    }

    if (sc.horizon_years as f64) < sc.target_payback_years {
        warn(
            None,
            "finance.target_payback_years",
            format!(
                "the target of {} years is beyond the horizon of {} years, so payback within the target means payback within the horizon",
                significant(sc.target_payback_years),
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

/// The 90% range of a positive distribution spans more than a factor of 1000.
fn wide_range(d: &Dist, def: &InputDef, mut warn: impl FnMut(String)) {
    let (p5, p95) = (d.exact_quantile(0.05), d.exact_quantile(0.95));
    if p5 > 0.0 && p95 > 1000.0 * p5 {
        warn(format!(
            "its 90% range, {} to {}, spans more than a factor of 1000; check the units of {}",
            significant(p5),
            significant(p95),
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
        let b = |x: Option<f64>, inf: &str| x.map_or(inf.to_string(), significant);
        warn(format!(
            "truncating to [{}, {}] keeps only {} of the distribution; are min and max meant for it?",
            b(lo, "-inf"),
            b(hi, "inf"),
            percent(kept)
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

fn percent(x: f64) -> String {
    format!("{}%", significant(100.0 * x))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warnings_of(text: &str) -> Vec<String> {
        let sc = Scenario::from_str(text, std::path::Path::new("w.toml")).unwrap();
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
                "w.toml:3: finance.discount_rate: is 800% a year; rates are fractions: did you mean 0.08?",
            ),
            (
                (
                    "hourly_cost = 50",
                    "hourly_cost = { lognormal = { p5 = 1, p95 = 5000 } }",
                ),
                "w.toml:12: benefits.Time.hourly_cost: its 90% range, 1 to 5000, spans more than a factor of 1000",
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
                "w.toml:11: benefits.Time: can never be positive",
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
