//! Finding where a goal is met: bracket, scan, bisect.
//!
//! The objective f(v) is the goal's figure with the input fixed at v.
//! Draws are keyed, so every candidate sees the same futures (common random
//! numbers) and f is a deterministic function of v: a step function for a
//! probability (each trial switches at its own threshold), and, where the
//! model is monotone in the input, monotone. The search:
//!
//! 1. evaluates both ends of the starting range; when the goal is met at
//!    one end and not the other, the range brackets it. Otherwise, if the
//!    range may grow, it grows on the side where the figure moves towards
//!    the goal (both sides when the figure is the same at both ends) by the
//!    range's own width, up to [`EXPANSIONS`] times and never past the
//!    values the field admits;
//! 2. scans the range at [`CELLS`] − 1 interior points, bracketed or not:
//!    no change between met and not met is an error (not bracketed), more
//!    than one means the goal is met on several separate stretches (an
//!    error: the answer is not one value; this also finds a goal met only
//!    inside a range whose ends both miss it), and a figure that rises and
//!    falls is reported as not monotone;
//! 3. bisects the cell where the goal changes until it is at most
//!    [`TOLERANCE`] of the bracket wide and [`TOLERANCE`] of the answer's
//!    magnitude (an answer of 100,000 in a bracket of 10¹² is found to
//!    0.1, not to 10⁶, which would report 0), but no narrower than
//!    [`TOLERANCE`] · [`FINEST`] of the bracket (an answer at 0 has no
//!    magnitude to be relative to), keeping the end where the goal is met
//!    as the answer.
//!
//! At most 2 + 2 · [`EXPANSIONS`] + [`CELLS`] − 1 + ⌈log2(1 / ([`CELLS`] ·
//! [`TOLERANCE`] · [`FINEST`]))⌉ simulations run (76); 46 when the answer
//! is as large as the bracket.

/// Bisection stops when the interval is at most this share of the bracket
/// and of the answer's magnitude.
pub const TOLERANCE: f64 = 1e-6;
/// The answer's magnitude counts down to this share of the bracket.
pub const FINEST: f64 = 1e-9;
/// Cells of the scan of the bracket.
pub const CELLS: usize = 8;
/// The most times the starting range grows.
pub const EXPANSIONS: u32 = 10;

/// The figure at one value of the input.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// The input's value.
    pub value: f64,
    /// The goal's figure there.
    pub measured: f64,
    /// The share of trials meeting the goal's per-trial condition.
    pub share: f64,
}

/// Where the search ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// The end of the final interval where the goal is met.
    pub met: Point,
    /// The other end, where it is not.
    pub missed: Point,
    /// The width at which the bisection stopped (the interval between
    /// `met` and `missed` is at most this wide).
    pub tolerance: f64,
    /// The bracket that was scanned.
    pub bracket: [f64; 2],
    /// Whether every figure seen was in order of the values (never rising
    /// then falling).
    pub monotone: bool,
    /// Every point evaluated, in order of evaluation.
    pub points: Vec<Point>,
}

/// Why no single value meets the goal in the range.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure<E> {
    /// The goal is met at both ends or at neither, after any growth.
    NotBracketed { lo: Point, hi: Point },
    /// The goal changes between met and not met more than once.
    Several {
        bracket: [f64; 2],
        changes: Vec<[f64; 2]>,
    },
    /// The evaluation failed (interrupted, overflow).
    Eval(E),
}

impl<E> From<E> for Failure<E> {
    fn from(e: E) -> Self {
        Failure::Eval(e)
    }
}

/// Searches `start` (growing it within `limits` when `grow`) for the
/// value at which `met` changes, evaluating `eval`. `met(point)` says
/// whether the goal is met there; `planned(n)` is told how many
/// simulations the search now expects in all.
pub fn search<E>(
    start: [f64; 2],
    limits: [f64; 2],
    grow: bool,
    met: impl Fn(f64) -> bool,
    higher_is_better: bool,
    eval: &mut dyn FnMut(f64) -> Result<Point, E>,
    planned: &mut dyn FnMut(u32),
) -> Result<Found, Failure<E>> {
    let mut points = Vec::new();
    let mut at = |v: f64, points: &mut Vec<Point>| -> Result<Point, E> {
        let p = eval(v)?;
        points.push(p);
        Ok(p)
    };
    let mut lo = at(start[0], &mut points)?;
    let mut hi = at(start[1], &mut points)?;
    let mut grown = 0;
    while grow && met(lo.measured) == met(hi.measured) && grown < EXPANSIONS {
        let width = hi.value - lo.value;
        // Which way the goal lies: the figure is better at one end; the
        // goal is beyond the better end when neither meets it, beyond the
        // worse end when both do.
        let better_hi = match lo.measured.partial_cmp(&hi.measured) {
            Some(std::cmp::Ordering::Less) => Some(higher_is_better),
            Some(std::cmp::Ordering::Greater) => Some(!higher_is_better),
            _ => None,
        };
        let up = better_hi.map(|b| b != met(lo.measured));
        let (grow_lo, grow_hi) = match up {
            Some(true) => (false, true),
            Some(false) => (true, false),
            None => (true, true),
        };
        let new_lo = if grow_lo {
            (lo.value - width).max(limits[0])
        } else {
            lo.value
        };
        let new_hi = if grow_hi {
            (hi.value + width).min(limits[1])
        } else {
            hi.value
        };
        if new_lo == lo.value && new_hi == hi.value {
            break; // at the limits of the field
        }
        grown += 1;
        if new_lo != lo.value {
            lo = at(new_lo, &mut points)?;
        }
        if new_hi != hi.value {
            hi = at(new_hi, &mut points)?;
        }
    }
    let bracket = [lo.value, hi.value];
    let width = hi.value - lo.value;
    let bracketed = met(lo.measured) != met(hi.measured);
    let steps = ((1.0 / (CELLS as f64 * TOLERANCE)).log2().ceil()) as u32;
    planned(points.len() as u32 + (CELLS as u32 - 1) + if bracketed { steps } else { 0 });

    // Scan, also when the ends do not bracket the goal: it may be met on
    // a stretch inside.
    let mut grid = vec![lo];
    for k in 1..CELLS {
        let v = lo.value + width * k as f64 / CELLS as f64;
        grid.push(at(v, &mut points)?);
    }
    grid.push(hi);
    let changes: Vec<usize> = (0..CELLS)
        .filter(|&k| met(grid[k].measured) != met(grid[k + 1].measured))
        .collect();
    if changes.is_empty() {
        return Err(Failure::NotBracketed { lo, hi });
    }
    if changes.len() > 1 {
        return Err(Failure::Several {
            bracket,
            changes: changes
                .iter()
                .map(|&k| [grid[k].value, grid[k + 1].value])
                .collect(),
        });
    }
    let mut monotone = in_order(&grid.iter().map(|p| p.measured).collect::<Vec<_>>());

    // Bisect the cell where the goal changes.
    let k = changes[0];
    let (mut a, mut b) = (grid[k], grid[k + 1]);
    let limit = |a: &Point, b: &Point| {
        TOLERANCE
            * width
                .min(a.value.abs().max(b.value.abs()))
                .max(FINEST * width)
    };
    while b.value - a.value > limit(&a, &b) {
        let mid = a.value + (b.value - a.value) / 2.0;
        if !(mid > a.value && mid < b.value) {
            break; // adjacent numbers
        }
        let m = at(mid, &mut points)?;
        monotone &= in_order(&[a.measured, m.measured, b.measured]);
        if met(m.measured) == met(a.measured) {
            a = m;
        } else {
            b = m;
        }
    }
    let tolerance = limit(&a, &b);
    let (met_point, missed) = if met(a.measured) { (a, b) } else { (b, a) };
    Ok(Found {
        met: met_point,
        missed,
        tolerance,
        bracket,
        monotone,
        points,
    })
}

/// Whether `xs` never rises and falls (non-decreasing or non-increasing;
/// +∞ counts as a number, NaN as anything).
fn in_order(xs: &[f64]) -> bool {
    let up = xs.windows(2).all(|w| !(w[1] < w[0]));
    let down = xs.windows(2).all(|w| !(w[1] > w[0]));
    up || down
}

/// The fewest trials expected on either side of the goal's level for
/// [`value_se`] to give a standard error (the usual rule for the normal
/// approximation of a binomial count).
pub const FEWEST_ON_A_SIDE: f64 = 5.0;

/// The standard error of the solved value from the sampling error of the
/// figure: the goal is met where the share s(v) of trials meeting the
/// per-trial condition crosses the level p (the probability, or 1/2 for a
/// median), so by the delta method SE(v) = √(p (1 − p) / n) / |s′(v)|, the
/// standard error of a quantile of the trials' thresholds. s′ is the
/// difference quotient over the narrowest pair of evaluated values around
/// the answer whose shares differ by at least max(√n, 20) trials (a
/// histogram estimate of the thresholds' density with at least that many
/// in the bin). `None` when no pair qualifies, and when fewer than
/// [`FEWEST_ON_A_SIDE`] trials are expected on one side of the level
/// (n · min(p, 1 − p)): there the normal approximation behind the formula
/// fails, and at p = 1 or 0 (the goal asks for every trial, or none) the
/// formula would give 0 for an answer set by the most extreme trial,
/// which moves from one seed to the next. Exact for plain Monte Carlo;
/// an upper bound under Latin hypercube sampling.
pub fn value_se(found: &Found, level: f64, n: u64) -> Option<f64> {
    let v = found.met.value;
    let nf = n as f64;
    if nf * level.min(1.0 - level) < FEWEST_ON_A_SIDE {
        return None;
    }
    let least = nf.sqrt().max(20.0) / nf;
    let mut best: Option<(f64, f64)> = None; // (width, slope)
    for l in found.points.iter().filter(|p| p.value <= v) {
        for r in found.points.iter().filter(|p| p.value >= v) {
            let w = r.value - l.value;
            let ds = (r.share - l.share).abs();
            if w > 0.0 && ds >= least && best.is_none_or(|(bw, _)| w < bw) {
                best = Some((w, ds / w));
            }
        }
    }
    best.map(|(_, slope)| (level * (1.0 - level) / nf).sqrt() / slope)
}

#[cfg(test)]
mod tests {
    use super::*;

    type R = Result<Found, Failure<()>>;

    /// Searches a function of v, with the goal f >= target (or <=).
    fn run(f: impl Fn(f64) -> f64, target: f64, higher: bool, start: [f64; 2], grow: bool) -> R {
        let met = move |m: f64| if higher { m >= target } else { m <= target };
        search(
            start,
            [-1e15, 1e15],
            grow,
            met,
            higher,
            &mut |v| {
                let m = f(v);
                Ok(Point {
                    value: v,
                    measured: m,
                    share: m,
                })
            },
            &mut |_| {},
        )
    }

    /// An answer far smaller than the bracket is found to its own
    /// magnitude, not to a millionth of the bracket (which reported 0 for
    /// an answer of 100,000 searched up to 10¹²); an answer at 0 ends the
    /// bisection at its floor.
    #[test]
    fn a_small_answer_in_a_wide_bracket_is_found_to_its_magnitude() {
        // Magnitudes down to FINEST of the bracket (2,000 here).
        for threshold in [100_007.25, 2.5e3, -4.2e6] {
            let f = move |v: f64| if v <= threshold { 1.0 } else { 0.0 };
            let found = run(f, 0.5, true, [-1e12, 1e12], false).unwrap();
            assert!(found.met.value <= threshold && found.missed.value > threshold);
            let gap = found.missed.value - found.met.value;
            assert!(gap <= TOLERANCE * threshold.abs(), "{threshold}: {gap}");
            assert!(gap <= found.tolerance);
            assert!(
                found.points.len() <= 2 + CELLS - 1 + 47,
                "{}",
                found.points.len()
            );
        }
        // Below that, and at 0: to TOLERANCE · FINEST of the bracket.
        for threshold in [0.0, 3.5e-3] {
            let f = move |v: f64| if v <= threshold { 1.0 } else { 0.0 };
            let found = run(f, 0.5, true, [-1.0, 1.0], false).unwrap();
            assert!(found.met.value <= threshold && found.missed.value > threshold);
            let gap = found.missed.value - found.met.value;
            assert!(
                gap <= TOLERANCE * FINEST.max(threshold) * 2.0,
                "{threshold}: {gap}"
            );
            assert!(
                found.points.len() <= 2 + CELLS - 1 + 47,
                "{}",
                found.points.len()
            );
        }
    }

    #[test]
    fn a_decreasing_step_function_is_solved_to_the_tolerance() {
        // The share of 1000 thresholds at 0.5, 1.5, ... that lie above v.
        let f = |v: f64| (0..1000).filter(|&i| i as f64 + 0.5 > v).count() as f64 / 1000.0;
        let found = run(f, 0.8, true, [0.0, 1000.0], false).unwrap();
        // Met (share >= 0.8) for v <= 200.5; not met just above.
        assert!(found.met.value <= 200.5 && found.missed.value > 200.5);
        // To a millionth of the answer (about 200), which is a fifth of
        // the bracket: ⌈log2(1000 / 8 / (1e-6 · 200))⌉ = 20 bisection steps.
        assert!(found.missed.value - found.met.value <= 201.0 * TOLERANCE);
        assert_eq!(found.met.measured, 0.8);
        assert!(found.monotone);
        assert!(
            found.points.len() <= 2 + CELLS - 1 + 20,
            "{}",
            found.points.len()
        );
    }

    #[test]
    fn the_range_grows_towards_the_goal() {
        let found = run(|v| v, 1000.0, true, [0.0, 10.0], true).unwrap();
        assert!((found.met.value - 1000.0).abs() < 1e-3 * 1280.0);
        assert!(found.bracket[1] >= 1000.0);
        // Lower is better: 1 / v <= 0.001 needs v >= 1000.
        let found = run(|v| 1.0 / v, 0.001, false, [1.0, 2.0], true).unwrap();
        assert!((found.met.value - 1000.0).abs() < 1.0);
    }

    #[test]
    fn a_goal_out_of_reach_or_flat_is_not_bracketed() {
        let e = run(|v| v.min(5.0), 10.0, true, [0.0, 10.0], true).unwrap_err();
        let Failure::NotBracketed { lo, hi } = e else {
            panic!("{e:?}")
        };
        // Grown upwards, where the figure is better, 10 times.
        assert_eq!((lo.value, hi.value), (0.0, 10.0 * 1024.0));
        assert_eq!((lo.measured, hi.measured), (0.0, 5.0));
        assert!(matches!(
            run(|v| v, 100.0, true, [0.0, 10.0], false),
            Err(Failure::NotBracketed { .. })
        ));
    }

    #[test]
    fn a_goal_met_on_two_stretches_is_an_error_and_a_bump_is_not_monotone() {
        // Rises then falls: met between 3 and 7 only.
        let e = run(|v| 25.0 - (v - 5.0).powi(2), 21.0, true, [0.0, 16.0], false).unwrap_err();
        let Failure::Several { changes, .. } = e else {
            panic!("{e:?}")
        };
        assert_eq!(changes, [[2.0, 4.0], [6.0, 8.0]]);
        let found = run(|v| 25.0 - (v - 5.0).powi(2), 0.0, true, [0.0, 16.0], false).unwrap();
        assert!(!found.monotone);
        assert!((found.met.value - 10.0).abs() < 1e-4);
    }

    #[test]
    fn the_standard_error_is_that_of_a_quantile() {
        // Shares of n = 10,000 uniform thresholds on [0, 100] above v:
        // s'(v) = 1/100, so SE = sqrt(0.25 / n) * 100 = 0.5.
        let n = 10_000u64;
        let f = move |v: f64| (1.0 - v / 100.0).clamp(0.0, 1.0);
        let found = run(f, 0.5, true, [0.0, 100.0], false).unwrap();
        let se = value_se(&found, 0.5, n).unwrap();
        assert!((se - 0.5).abs() < 1e-6, "{se}");
        // At p = 0.9: sqrt(0.09 / n) * 100 = 0.3.
        let found = run(f, 0.9, true, [0.0, 100.0], false).unwrap();
        let se = value_se(&found, 0.9, n).unwrap();
        assert!((se - 0.3).abs() < 1e-6, "{se}");
    }

    /// At a level of 1 (every trial) or 0, and wherever fewer than 5
    /// trials are expected on one side of it, the formula does not hold:
    /// no standard error rather than a false 0.
    #[test]
    fn no_standard_error_at_the_extreme_levels() {
        let n = 10_000u64;
        let f = move |v: f64| (1.0 - v / 100.0).clamp(0.0, 1.0);
        // (The points of a search at 0.5 serve: only the level differs.)
        let found = run(f, 0.5, true, [0.0, 100.0], false).unwrap();
        for level in [1.0, 0.0, 0.9996, 0.0004] {
            assert_eq!(value_se(&found, level, n), None, "{level}");
        }
        assert!(value_se(&found, 0.999, n).is_some());
        assert!(value_se(&found, 0.001, n).is_some());
    }
}
