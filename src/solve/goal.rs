//! The goals `solve` can seek (`p_payback=0.8`, `p_npv_positive=0.9`,
//! `median_npv=0`, `median_payback=3`), parsed from text, and the figure
//! each one measures over the trials of one simulation.
//!
//! Each goal has a per-trial condition (paid back within the target, NPV
//! above 0, NPV at least the amount, payback within the years) whose share
//! of the trials is what a probability goal measures. A median goal is met
//! exactly when that share is one half, which is what the standard error
//! of the solved value rests on (see `search`).

use crate::stats::percentile_sorted;
use std::fmt;
use std::str::FromStr;

/// What `solve` seeks.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Goal {
    /// P(payback within the scenario's target) equals this probability.
    PPayback(f64),
    /// P(NPV > 0) equals this probability.
    PNpvPositive(f64),
    /// The median NPV equals this amount.
    MedianNpv(f64),
    /// The median payback equals this number of years.
    MedianPayback(f64),
}

const NAMES: [&str; 4] = [
    "p_payback",
    "p_npv_positive",
    "median_npv",
    "median_payback",
];

impl Goal {
    /// Its name, as written on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Goal::PPayback(_) => NAMES[0],
            Goal::PNpvPositive(_) => NAMES[1],
            Goal::MedianNpv(_) => NAMES[2],
            Goal::MedianPayback(_) => NAMES[3],
        }
    }

    /// The figure the goal sets.
    pub fn target(self) -> f64 {
        match self {
            Goal::PPayback(x)
            | Goal::PNpvPositive(x)
            | Goal::MedianNpv(x)
            | Goal::MedianPayback(x) => x,
        }
    }

    /// Whether a higher figure is better (all but the median payback).
    pub fn higher_is_better(self) -> bool {
        !matches!(self, Goal::MedianPayback(_))
    }

    /// Whether the measured figure meets the goal (reaches or beats it).
    pub fn met_by(self, measured: f64) -> bool {
        if self.higher_is_better() {
            measured >= self.target()
        } else {
            measured <= self.target()
        }
    }

    /// The share of trials that the goal's figure is a quantile of: the
    /// probability itself, or one half for a median.
    pub fn share_level(self) -> f64 {
        match self {
            Goal::PPayback(p) | Goal::PNpvPositive(p) => p,
            _ => 0.5,
        }
    }

    /// What the goal measures, in words, e.g. "P(payback within 3 years)".
    pub fn measure(self, target_years: Option<f64>) -> String {
        match self {
            Goal::PPayback(_) => format!(
                "P(payback within {} years)",
                target_years.map_or("the target".into(), |t| t.to_string())
            ),
            Goal::PNpvPositive(_) => "P(NPV > 0)".into(),
            Goal::MedianNpv(_) => "median NPV".into(),
            Goal::MedianPayback(_) => "median payback (years)".into(),
        }
    }

    /// Whether the goal reads the payback (else the NPV) of each trial.
    pub(super) fn reads_payback(self) -> bool {
        matches!(self, Goal::PPayback(_) | Goal::MedianPayback(_))
    }

    /// The goal's figure and the share of trials meeting its per-trial
    /// condition, from one value per trial: the payback in years (+∞
    /// beyond the horizon) or the NPV, as [`Goal::reads_payback`] says.
    /// `target_years` is the scenario's payback target. A median is the
    /// percentile of `run` (linear interpolation, +∞ when it involves a
    /// payback beyond the horizon).
    pub(super) fn evaluate(self, values: &mut [f64], target_years: f64) -> (f64, f64) {
        let n = values.len() as f64;
        let share =
            |cond: &dyn Fn(f64) -> bool| values.iter().filter(|&&v| cond(v)).count() as f64 / n;
        match self {
            Goal::PPayback(_) => {
                let s = share(&|p| p <= target_years);
                (s, s)
            }
            Goal::PNpvPositive(_) => {
                let s = share(&|v| v > 0.0);
                (s, s)
            }
            Goal::MedianNpv(x) => {
                let s = share(&|v| v >= x);
                (median(values).unwrap_or(f64::NAN), s)
            }
            Goal::MedianPayback(y) => {
                let s = share(&|p| p <= y);
                (median(values).unwrap_or(f64::INFINITY), s)
            }
        }
    }
}

/// The median by [`percentile_sorted`], from the two middle order
/// statistics found by selection (no full sort).
fn median(values: &mut [f64]) -> Option<f64> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let lo = (n - 1) / 2;
    let (_, &mut a, upper) = values.select_nth_unstable_by(lo, f64::total_cmp);
    let pair = if n % 2 == 0 {
        let b = upper.iter().copied().min_by(f64::total_cmp).unwrap_or(a);
        vec![a, b]
    } else {
        vec![a]
    };
    let q = if n % 2 == 0 { 0.5 } else { 0.0 };
    percentile_sorted(&pair, q)
}

impl fmt::Display for Goal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.name(), crate::format::exact(self.target()))
    }
}

impl FromStr for Goal {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let forms = "p_payback=P, p_npv_positive=P, median_npv=AMOUNT or median_payback=YEARS, e.g. p_payback=0.8";
        let Some((name, value)) = s.split_once('=') else {
            return Err(format!("`{s}` is not a goal; write {forms}"));
        };
        let name = name.trim();
        let x: f64 = value
            .trim()
            .parse()
            .ok()
            .filter(|x: &f64| x.is_finite())
            .ok_or_else(|| format!("`{}` in `{s}` is not a number", value.trim()))?;
        // A goal is met where the figure reaches it, and every probability
        // reaches 0: a goal of 0 would be met at every value.
        let probability = |x: f64| {
            if x > 0.0 && x <= 1.0 {
                Ok(x)
            } else if x == 0.0 {
                Err(format!(
                    "{name}=0 is met at every value (no probability is below 0); to find where it falls to (almost) nothing, ask for a small one, e.g. {name}=0.001"
                ))
            } else if x > 1.0 && x <= 100.0 {
                Err(format!(
                    "{name} must be a probability within (0, 1] (got {}); did you mean {}?",
                    crate::format::exact(x),
                    crate::format::exact(x / 100.0)
                ))
            } else {
                Err(format!(
                    "{name} must be a probability within (0, 1] (got {})",
                    crate::format::exact(x)
                ))
            }
        };
        match name {
            "p_payback" => probability(x).map(Goal::PPayback),
            "p_npv_positive" => probability(x).map(Goal::PNpvPositive),
            "median_npv" => Ok(Goal::MedianNpv(x)),
            "median_payback" if x > 0.0 => Ok(Goal::MedianPayback(x)),
            "median_payback" => Err(format!(
                "median_payback must be a number of years > 0 (got {x})"
            )),
            _ => Err(
                match crate::config::closest_name(name, NAMES.iter().copied()) {
                    Some(k) => format!("unknown goal `{name}`, did you mean `{k}`?"),
                    None => format!("unknown goal `{name}`; write {forms}"),
                },
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn goals_parse_with_clear_errors() {
        assert_eq!("p_payback=0.8".parse(), Ok(Goal::PPayback(0.8)));
        assert_eq!(" median_npv = -5000".parse(), Ok(Goal::MedianNpv(-5000.0)));
        assert_eq!("median_payback=3".parse(), Ok(Goal::MedianPayback(3.0)));
        assert_eq!(
            "p_payback=80".parse::<Goal>().unwrap_err(),
            "p_payback must be a probability within (0, 1] (got 80); did you mean 0.8?"
        );
        assert_eq!(
            "p_paybak=0.8".parse::<Goal>().unwrap_err(),
            "unknown goal `p_paybak`, did you mean `p_payback`?"
        );
        assert_eq!(
            "median_npv=lots".parse::<Goal>().unwrap_err(),
            "`lots` in `median_npv=lots` is not a number"
        );
        assert!("median_payback=0".parse::<Goal>().is_err());
        // Met everywhere: refused, with what to ask instead.
        for zero in ["p_payback=0", "p_npv_positive=-0", "p_payback=0e5"] {
            let err = zero.parse::<Goal>().unwrap_err();
            assert!(err.contains("=0 is met at every value"), "{err}");
            assert!(err.contains("=0.001"), "{err}");
        }
        assert_eq!("p_payback=1".parse(), Ok(Goal::PPayback(1.0)));
        assert_eq!("p_payback=1e-300".parse(), Ok(Goal::PPayback(1e-300)));
        assert!("p_npv_positive".parse::<Goal>().is_err());
        assert!("median_npv=NaN".parse::<Goal>().is_err());
        // Extreme numbers in a message and in the goal's text: an
        // exponent, not 309 digits.
        assert_eq!(
            "p_payback=1e300".parse::<Goal>().unwrap_err(),
            "p_payback must be a probability within (0, 1] (got 1e300)"
        );
        let huge: Goal = "median_npv=1e308".parse().unwrap();
        assert_eq!(huge.to_string(), "median_npv=1e308");
        assert_eq!(huge.to_string().parse::<Goal>(), Ok(huge));
    }

    /// The median by selection is the percentile of a full sort.
    #[test]
    fn median_agrees_with_the_sorted_percentile() {
        for n in 1..40usize {
            let mut v: Vec<f64> = (0..n).map(|i| ((i * 37) % 11) as f64 * 1.5).collect();
            if n > 5 {
                v[3] = f64::INFINITY;
            }
            let mut sorted = v.clone();
            sorted.sort_by(f64::total_cmp);
            assert_eq!(median(&mut v), percentile_sorted(&sorted, 0.5), "n = {n}");
        }
    }
}
