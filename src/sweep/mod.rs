//! Decision tables: one scenario run over a grid of values of one or more
//! of its fields (`crm-roi sweep FILE --set PATH=V1,V2,..`).
//!
//! The grid is the product of the value lists, the first list varying
//! slowest ([`grid`]). Each grid point is a variant of the scenario: a
//! scenario file that `extends` the base and sets the point's values
//! ([`variant_text`]), validated and run exactly like any file, so that
//! `crm-roi run` on it gives the numbers of its row. Draws are keyed by
//! (seed, trial, input path), so every variant sees the same futures in
//! everything it does not change (common random numbers): a fixed value
//! that replaces a correlated input keeps drawing its latent uniform, so
//! its partners keep their draws (`config::validate::correlations`), and
//! under Latin hypercube each input's strata depend only on its path and
//! the trial count. [`Headline`] takes the figures of one variant's run
//! that `sweep.csv` reports; the command writes the table and chart
//! through `report::sweep`. User rules: docs/sweep.md.

use crate::config::set::{self, SetList, Setting};
use crate::config::{MAX_NAME_BYTES, Scenario};
use crate::engine::Settings;
use crate::simulation::{Progress, Run, RunError, RunOptions, simulate};
use std::fmt::Write as _;

/// The most grid points a sweep runs.
pub const MAX_POINTS: usize = 10_000;

/// One grid point: a variant of the base scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// 1-based place in the grid.
    pub number: usize,
    /// The variant's scenario name, `BASE-NNN`.
    pub name: String,
    /// Its file name, `variant-NNN.toml`.
    pub file_name: String,
    /// Its values, one per list of the grid, in the lists' order.
    pub settings: Vec<Setting>,
}

impl Variant {
    /// The settings as references, for `config::set`.
    pub fn setting_refs(&self) -> Vec<&Setting> {
        self.settings.iter().collect()
    }
}

/// Why a grid cannot be built.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum GridError {
    #[error(transparent)]
    Set(#[from] set::SetError),
    #[error("{0}")]
    Grid(String),
}

/// The variants of `base` over the product of `lists` (given with `flag`),
/// in grid order: the first list varies slowest. Checks every path and
/// value kind against `base` and the size against [`MAX_POINTS`]; the
/// values' ranges are checked when each variant is loaded
/// (`config::set::load_with`).
pub fn grid(base: &Scenario, lists: &[SetList], flag: &str) -> Result<Vec<Variant>, GridError> {
    if lists.is_empty() {
        return Err(GridError::Grid(format!(
            "a sweep needs at least one {flag} PATH=V1,V2,..."
        )));
    }
    for (i, l) in lists.iter().enumerate() {
        set::check(flag, base, l)?;
        if lists[..i].iter().any(|o| o.path == l.path) {
            return Err(GridError::Grid(format!(
                "{flag} {}: the path is given twice; list all its values in one {flag}",
                l.path
            )));
        }
    }
    let size = lists
        .iter()
        .try_fold(1usize, |n, l| n.checked_mul(l.values.len()))
        .filter(|&n| n <= MAX_POINTS);
    let Some(size) = size else {
        let sizes: Vec<String> = lists.iter().map(|l| l.values.len().to_string()).collect();
        return Err(GridError::Grid(format!(
            "the grid of {} values has more than {MAX_POINTS} points; sweep fewer values",
            sizes.join(" × ")
        )));
    };
    let width = size.to_string().len().max(2);
    let stem = truncate(&base.name, MAX_NAME_BYTES - width - 1);
    let mut out = Vec::with_capacity(size);
    for k in 0..size {
        // Mixed radix, the last list fastest.
        let mut rest = k;
        let mut settings = vec![None; lists.len()];
        for (j, l) in lists.iter().enumerate().rev() {
            settings[j] = Some(l.values[rest % l.values.len()].clone());
            rest /= l.values.len();
        }
        let number = k + 1;
        out.push(Variant {
            number,
            name: format!("{stem}-{number:0width$}"),
            file_name: format!("variant-{number:0width$}.toml"),
            settings: settings.into_iter().flatten().collect(),
        });
    }
    Ok(out)
}

/// `s` cut to at most `max` bytes at a character boundary.
fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// The scenario file of a variant: it `extends` the base at `extends`
/// (relative to the variant's own directory), names itself, fixes the
/// draws (`settings`: trials, seed and sampling of the sweep), and sets the
/// variant's values. `crm-roi run` on it reproduces the variant's row.
pub fn variant_text(
    base: &Scenario,
    v: &Variant,
    of: usize,
    extends: &str,
    settings: &Settings,
) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "# Variant {} of {of} of a sweep of {} (crm-roi sweep): the base with",
        v.number,
        one_line(&base.name)
    );
    for s in &v.settings {
        let _ = writeln!(o, "#   {} = {}", one_line(&s.path), s.text());
    }
    let _ = writeln!(
        o,
        "# and the sweep's trials, seed and sampling. Run it alone with crm-roi run."
    );
    let quote = |s: &str| toml::Value::String(s.to_string()).to_string();
    let _ = writeln!(o, "extends = {}", quote(extends));
    let _ = writeln!(o, "name = {}", quote(&v.name));
    // A data file of a value is relative to the base's directory.
    let base_dir = extends.rsplit_once('/').map_or("", |(d, _)| d);
    let rebased: Vec<Setting> = v.settings.iter().map(|s| s.rebased(base_dir)).collect();
    let table = set::overlay(&rebased.iter().collect::<Vec<_>>());
    // Top-level values first, then sections, then items.
    let text = set::value_text;
    let key = |k: &str| set::key_text(k);
    for (k, val) in &table {
        if !matches!(val, toml::Value::Table(_) | toml::Value::Array(_)) {
            let _ = writeln!(o, "{} = {}", key(k), text(val));
        }
    }
    let _ = writeln!(
        o,
        "\n[simulation]\ntrials = {}\nseed = {}\nsampling = {}",
        settings.trials,
        settings.seed,
        quote(settings.method.name())
    );
    for (section, val) in &table {
        if let toml::Value::Table(fields) = val {
            let _ = writeln!(o, "\n[{}]", key(section));
            for (k, v) in fields {
                let _ = writeln!(o, "{} = {}", key(k), text(v));
            }
        }
    }
    for (section, val) in &table {
        if let toml::Value::Array(items) = val {
            for item in items.iter().filter_map(toml::Value::as_table) {
                let _ = writeln!(o, "\n[[{}]]", key(section));
                if let Some(name) = item.get("name") {
                    let _ = writeln!(o, "name = {}", text(name));
                }
                for (k, v) in item.iter().filter(|(k, _)| *k != "name") {
                    let _ = writeln!(o, "{} = {}", key(k), text(v));
                }
            }
        }
    }
    o
}

/// Text for a comment line: line breaks and control characters as spaces.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The figures of one variant that `sweep.csv` reports: those of its
/// `summary.json`. (Serde: the shards of a sweep record them for `merge`.)
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Headline {
    /// The variant's payback target, years; `None` without one.
    pub target_payback_years: Option<f64>,
    /// P(payback within the target) (0..1); `None` without a target.
    pub p_payback_within_target: Option<f64>,
    /// Median payback, years; `None` when beyond the horizon.
    pub median_payback_years: Option<f64>,
    /// Mean and median NPV, currency.
    pub npv_mean: Option<f64>,
    pub npv_median: Option<f64>,
    /// P(NPV ≤ 0) = 1 − P(NPV > 0) (0..1), from the count of trials.
    pub p_npv_not_positive: f64,
    /// NPV P10 and P90, currency.
    pub npv_p10: Option<f64>,
    pub npv_p90: Option<f64>,
    /// Mean ROI (0.25 = 25%), over the trials where it is defined.
    pub roi_mean: Option<f64>,
}

impl Headline {
    /// The figures of a finished run.
    pub fn of(run: &Run) -> Headline {
        let s = &run.results.summary;
        let npv = &s.metrics.npv;
        let trials = run.data.trials;
        Headline {
            target_payback_years: s.target_payback_years,
            p_payback_within_target: s.probabilities.payback_within_target,
            median_payback_years: s.metrics.payback_years.percentiles.p50,
            npv_mean: npv.mean,
            npv_median: npv.percentiles.p50,
            p_npv_not_positive: (trials - run.data.counts.npv_positive) as f64 / trials as f64,
            npv_p10: npv.percentiles.p10,
            npv_p90: npv.percentiles.p90,
            roi_mean: s.metrics.roi.mean,
        }
    }
}

/// Runs one variant (as `run` would) and takes its headline figures.
pub fn run_variant(
    scenario: &Scenario,
    options: &RunOptions,
    progress: &mut impl Progress,
) -> Result<Headline, RunError> {
    simulate(scenario, options, progress).map(|r| Headline::of(&r))
}

/// One row of the table: a variant and its figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub variant: Variant,
    pub headline: Headline,
}

/// A finished sweep, in grid order: what `sweep.csv` and the chart show.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Table {
    /// The base scenario's name and currency.
    pub scenario: String,
    pub currency: Option<String>,
    /// The swept paths, in the order of the grid's lists.
    pub paths: Vec<String>,
    /// One per grid point, in grid order.
    pub points: Vec<Point>,
}

impl Table {
    pub fn new(base: &Scenario, paths: Vec<String>, points: Vec<Point>) -> Table {
        Table {
            scenario: base.name.clone(),
            currency: base.currency.clone(),
            paths,
            points,
        }
    }

    /// Whether some variant has a payback target.
    pub fn has_target(&self) -> bool {
        self.points
            .iter()
            .any(|p| p.headline.target_payback_years.is_some())
    }

    /// The distinct values of list `j`, in grid order.
    pub fn values(&self, j: usize) -> Vec<&Setting> {
        let mut out: Vec<&Setting> = Vec::new();
        for p in &self.points {
            let s = &p.variant.settings[j];
            if !out.contains(&s) {
                out.push(s);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sampling::Method;

    const BASE: &str = r#"
name = "base"
horizon_years = 3
[finance]
discount_rate = 0.08
target_payback_years = 2
[adoption]
max_level = { pert = [0.5, 0.7, 0.9] }
[[costs]]
name = "Licence"
amount = 50000
[[benefits]]
name = "Time"
kind = "efficiency"
hours_saved_per_month = { pert = [40, 60, 100] }
hourly_cost = 50
"#;

    fn lists(args: &[&str]) -> Vec<SetList> {
        args.iter()
            .map(|a| set::parse_list("--set", a).unwrap())
            .collect()
    }

    #[test]
    fn the_grid_is_the_product_first_list_slowest() {
        let s = Scenario::from_toml(BASE, std::path::Path::new("base.toml")).unwrap();
        let g = grid(
            &s,
            &lists(&["adoption.max_level=0.6,0.8", "costs.Licence.amount=1,2,3"]),
            "--set",
        )
        .unwrap();
        let shown: Vec<String> = g
            .iter()
            .map(|v| {
                v.settings
                    .iter()
                    .map(|s| s.text())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        assert_eq!(
            shown,
            ["0.6 1", "0.6 2", "0.6 3", "0.8 1", "0.8 2", "0.8 3"]
        );
        assert_eq!(g[4].name, "base-05");
        assert_eq!(g[4].file_name, "variant-05.toml");

        let err = |a: &[&str]| grid(&s, &lists(a), "--set").unwrap_err().to_string();
        assert!(err(&["adoption.max_levl=0.5"]).contains("did you mean `adoption.max_level`?"));
        assert_eq!(
            err(&["finance.target_payback_years={ uniform = [1, 2] }"]),
            "--set finance.target_payback_years={ uniform = [1, 2] }: `finance.target_payback_years` takes a fixed value, not a distribution"
        );
        assert_eq!(
            err(&["adoption.max_level=0.5", "adoption.max_level=0.6"]),
            "--set adoption.max_level: the path is given twice; list all its values in one --set"
        );
        let many: String = (0..101)
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(",");
        let a = format!("costs.Licence.amount={many}");
        let b = format!("benefits.Time.hourly_cost={many}");
        assert_eq!(
            err(&[&a, &b]),
            "the grid of 101 × 101 values has more than 10000 points; sweep fewer values"
        );
    }

    #[test]
    fn a_variant_file_sets_its_values_and_draws() {
        let s = Scenario::from_toml(BASE, std::path::Path::new("base.toml")).unwrap();
        let g = grid(
            &s,
            &lists(&[
                "adoption.max_level={ pert = [0.6, 0.8, 0.9] }",
                "costs.Licence.amount=60000",
                "horizon_years=4",
            ]),
            "--set",
        )
        .unwrap();
        let text = variant_text(
            &s,
            &g[0],
            1,
            "../../../base.toml",
            &Settings::new(5000, 7, Method::LatinHypercube),
        );
        assert_eq!(
            text,
            r#"# Variant 1 of 1 of a sweep of base (crm-roi sweep): the base with
#   adoption.max_level = { pert = [0.6, 0.8, 0.9] }
#   costs.Licence.amount = 60000
#   horizon_years = 4
# and the sweep's trials, seed and sampling. Run it alone with crm-roi run.
extends = "../../../base.toml"
name = "base-01"
horizon_years = 4

[simulation]
trials = 5000
seed = 7
sampling = "latin-hypercube"

[adoption]
max_level = { pert = [0.6, 0.8, 0.9] }

[[costs]]
name = "Licence"
amount = 60000
"#
        );
    }
}
