//! Value of information for the decision "buy or don't buy" (buying pays
//! NPV, not buying pays 0), and each input's contribution to the variance
//! of NPV, from the trials already run.
//!
//! - **EVPI** = E[max(NPV, 0)] − max(E[NPV], 0): what knowing every
//!   uncertain quantity before deciding would be worth.
//! - **EVPPI** of one input X (or of a shock, as "whether and when it first
//!   strikes") = E[max(E[NPV | X], 0)] − max(E[NPV], 0).
//! - **Contribution to variance** (first-order sensitivity index)
//!   S = Var(E[NPV | X]) / Var(NPV).
//!
//! E[NPV | X] is estimated by nonparametric regression: the trials sorted
//! by X are cut into bins of about √n trials (a run of equal values of X,
//! such as the draws of a discrete input or the trials where a shock never
//! strikes, stays in one bin), and the bin means estimate it (a regressogram;
//! the single-parameter method of Strong and Oakley 2013, "An efficient
//! method for computing single-parameter partial expected value of perfect
//! information", Medical Decision Making 33(6), with bins instead of a
//! spline). Three refinements take the Monte Carlo noise out:
//!
//! 1. **Control variates.** An additive model y ≈ ȳ + Σ_l g_l(X_l), one
//!    bin-wise g_l per column, is fitted by backfitting (the GAM of Strong,
//!    Oakley and Brennan 2014, with regressograms as smoothers). For column
//!    i, the regression runs on y − β (c − E[c]), where c is the sum of the
//!    fitted effects of the columns independent of X_i, E[c] its expectation
//!    under their distributions, and β = Cov(y, c)/Var(c). Since c does not
//!    depend on X_i, E[y − β(c − E[c]) | X_i] = E[y | X_i]: the estimate
//!    keeps its target and loses the other inputs' spread. Columns that may
//!    depend on each other (a copula group; a shock and its uncertain
//!    probability) form a family and are never each other's control
//!    variates.
//! 2. **Weights from the distribution.** Each bin weighs its probability
//!    under X's distribution (F at its edges) instead of its share of the
//!    trials, which takes out the noise of how the draws of X happened to
//!    fall. Shocks with a fixed probability have a closed-form distribution
//!    of the first month; a shock with an uncertain probability falls back
//!    to the shares.
//! 3. **Noise correction.** The bin means carry noise of variance s_b²/n_b,
//!    which inflates the spread of E[NPV | X] and biases EVPPI and S
//!    upwards. The between-bin variance loses its expected noise,
//!    Σ (w_b − w_b²) s_b²/n_b (the one-way ANOVA correction), and the bin
//!    means are shrunk towards their weighted mean until their spread
//!    matches the corrected variance, before EVPPI is read off them. The
//!    shrinkage is exact when E[NPV | X] is normal and removes most of the
//!    bias otherwise (the tests check normal, uniform, correlated and
//!    shock cases against their closed forms).
//!
//! The standard errors are first-order (delta method, the influence
//! function of the estimator): EVPI = mean of
//! ψ_j = max(y_j, 0) − 1[ȳ > 0] y_j; EVPPI = Σ_b w_b max(g_b, 0) − max(Σ_b
//! w_b g_b, 0) with ĝ the shrunk bin means, whose influence is
//! ψ_j = s_b (n w_b / n_b)(ỹ_j − m_b), s_b = ±1 in the bins where knowing X
//! would change the decision (0 elsewhere), ỹ the response with control
//! variates and m_b its bin mean; with shares for weights ψ_j = s_b ỹ_j.
//! SE = sd(ψ)/√n. They are Monte Carlo errors under independent sampling
//! (conservative under Latin hypercube) and leave out the remaining bias
//! of the regression and the estimation of the control variates.
//! docs/results.md states the rules.
//!
//! Everything runs over kept data in trial order, with sequential sums, so
//! the results do not depend on the number of threads.

use super::{InputValue, Sensitivity, ValueOfInformation, positive_zero};
use crate::config::Scenario;
use crate::dist::{Dist, Quantity};
use crate::engine::{Metric, RunData};
use crate::stats::Sum;
use crate::stats::rank::{Ranked, order};
use rayon::prelude::*;
use std::borrow::Cow;

/// Fewest trials for the regression on an input (four bins of four).
pub const MIN_TRIALS: usize = 16;

/// Most backfitting sweeps; the fit usually settles in three or four.
const MAX_SWEEPS: usize = 25;

/// A sweep that moves no bin's effect by more than this share of sd(y)
/// ends the backfitting.
const SETTLED: f64 = 1e-4;

/// EVPI and the analysis of one input, from the same regression.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Partial {
    /// EVPPI, in the unit of y.
    pub evppi: f64,
    /// Its first-order Monte Carlo standard error.
    pub se: f64,
    /// Var(E[y | x]) / Var(y) (0..1); `None` when y is constant.
    pub contribution_to_variance: Option<f64>,
}

/// What is known of a column's distribution, for the weights of its bins.
#[derive(Debug, Clone, Copy)]
pub enum Marginal<'a> {
    /// Nothing: each bin weighs its share of the trials.
    Sample,
    /// The distribution the column was drawn from.
    Drawn(&'a Dist),
    /// A shock's first month within the horizon (1..=`months`) or +∞
    /// (never), the shock occurring in each month independently with
    /// probability `p`.
    FirstStrike { p: f64, months: f64 },
}

impl Marginal<'_> {
    /// P(X ≤ x); `None` for [`Marginal::Sample`].
    fn cdf(&self, x: f64) -> Option<f64> {
        match *self {
            Marginal::Sample => None,
            Marginal::Drawn(d) => Some(d.cdf(x)),
            Marginal::FirstStrike { p, months } => Some(if x == f64::INFINITY {
                1.0
            } else if x < 1.0 {
                0.0
            } else {
                // 1 − (1 − p)^⌊x⌋, exact for p near 0 and p = 1.
                -(x.floor().min(months) * (-p).ln_1p()).exp_m1()
            }),
        }
    }
}

/// One column of trials for [`evppi_all`].
#[derive(Debug, Clone, Copy)]
pub struct Column<'a> {
    /// The value per trial; +∞ allowed (a shock that never strikes), NaN
    /// not.
    pub x: &'a [f64],
    /// Columns of the same family may depend on each other (a copula
    /// group; a shock and its uncertain probability) and are never each
    /// other's control variates; columns of different families are
    /// independent.
    pub family: usize,
    pub marginal: Marginal<'a>,
}

/// EVPI of the decision "take y or 0" and its standard error, over the
/// trials in `y`; `None` with fewer than 2 trials or a non-finite value.
pub fn evpi(y: &[f64]) -> Option<(f64, f64)> {
    if y.len() < 2 || !y.iter().all(|v| v.is_finite()) {
        return None;
    }
    let mean = mean(y);
    let buy = mean > 0.0;
    // Per trial: the gain of deciding with the trial's NPV known.
    let psi = |v: f64| if buy { (-v).max(0.0) } else { v.max(0.0) };
    let (m, sd) = mean_sd(y.iter().map(|&v| psi(v)), y.len());
    Some((positive_zero(m), sd / (y.len() as f64).sqrt()))
}

/// EVPPI of `x` and its contribution to the variance of `y`, from the
/// binned regression of `y` on `x` alone: no control variates, each bin
/// weighted by its share of the trials (see the module header); `None`
/// with fewer than [`MIN_TRIALS`] trials, lengths that differ, or a
/// non-finite y. `x` may hold +∞; it must not hold NaN.
pub fn evppi(x: &[f64], y: &[f64]) -> Option<Partial> {
    let column = Column {
        x,
        family: 0,
        marginal: Marginal::Sample,
    };
    evppi_all(&[column], y)[0]
}

/// EVPPI and contribution to variance of every column, each from the
/// binned regression on its column of y with the main effects of the
/// columns of other families as control variates, and each bin weighted
/// by its probability where the column's distribution is known (see the
/// module header). Every entry is `None` in the cases where [`evppi`]
/// gives `None`.
pub fn evppi_all(columns: &[Column], y: &[f64]) -> Vec<Option<Partial>> {
    evppi_all_ordered(columns, &[], y)
}

/// [`evppi_all`], with the first columns already sorted (`ranked[i]`
/// that of `columns[i]`): the columns are sorted once for every analysis
/// that reads them.
fn evppi_all_ordered(columns: &[Column], ranked: &[Ranked], y: &[f64]) -> Vec<Option<Partial>> {
    let n = y.len();
    if n < MIN_TRIALS || columns.iter().any(|c| c.x.len() != n) || !y.iter().all(|v| v.is_finite())
    {
        return vec![None; columns.len()];
    }
    let frames: Vec<Frame> = columns
        .par_iter()
        .enumerate()
        .map(|(i, c)| {
            let sorted = match ranked.get(i) {
                Some(r) => {
                    debug_assert_eq!(r.order.len(), c.x.len(), "the sort of column {i}");
                    Cow::Borrowed(r.order.as_slice())
                }
                None => Cow::Owned(order(c.x)),
            };
            Frame::new(c, sorted)
        })
        .collect();
    let (ybar, var_y) = moments(y);
    let effects = backfit(&frames, y, ybar, var_y);
    // The fitted sum of every main effect per trial, and its expectation.
    let mut fitted = vec![0.0; n];
    for (f, e) in frames.iter().zip(&effects) {
        f.scatter(e, &mut fitted, 1.0);
    }
    let expected: Vec<f64> = frames
        .iter()
        .zip(&effects)
        .map(|(f, e)| dot(&f.weights, e))
        .collect();
    (0..columns.len())
        .into_par_iter()
        // One buffer per task for the controlled response, not one per
        // column (each a fresh megabyte at 131,072 trials).
        .map_init(Vec::new, |c: &mut Vec<f64>, i| {
            let family = columns[i].family;
            let outside = columns.iter().any(|c| c.family != family);
            let response = if outside {
                // c: the main effects of the columns outside i's family.
                c.clear();
                c.extend_from_slice(&fitted);
                let mut expect = Sum::default();
                for (l, (f, e)) in frames.iter().zip(&effects).enumerate() {
                    if columns[l].family == family {
                        f.scatter(e, c, -1.0);
                    } else {
                        expect.add(expected[l]);
                    }
                }
                controlled(y, ybar, c, expect.value(), var_y)
            } else {
                y
            };
            Some(regress(&frames[i], response, var_y))
        })
        .collect()
}

/// y − β (c − E[c]), with β = Cov(y, c) / Var(c), the coefficient that
/// minimises the variance, written over `c` (one column per input in
/// flight, not two); y itself when c explains (almost) nothing.
fn controlled<'a>(
    y: &'a [f64],
    ybar: f64,
    c: &'a mut [f64],
    expected: f64,
    var_y: f64,
) -> &'a [f64] {
    let (cbar, var_c) = moments(c);
    if var_c <= 1e-9 * var_y {
        return y;
    }
    let mut cov = Sum::default();
    for (a, b) in y.iter().zip(c.iter()) {
        cov.add((a - ybar) * (b - cbar));
    }
    let beta = cov.value() / y.len() as f64 / var_c;
    for (b, a) in c.iter_mut().zip(y) {
        *b = a - beta * (*b - expected);
    }
    c
}

/// The additive model y ≈ ȳ + Σ_l g_l(x_l), each g_l constant on the bins
/// of column l, fitted by backfitting (Hastie and Tibshirani 1990,
/// "Generalized Additive Models", §4.3): sweep over the columns in order,
/// setting each g_l to the bin means of the partial residual
/// y − ȳ − Σ_{m≠l} g_m, until a sweep moves no effect by more than
/// [`SETTLED`] sd(y), at most [`MAX_SWEEPS`] times. Returns each column's
/// effect per bin.
fn backfit(frames: &[Frame], y: &[f64], ybar: f64, var_y: f64) -> Vec<Vec<f64>> {
    let mut r: Vec<f64> = y.iter().map(|v| v - ybar).collect();
    let mut effects: Vec<Vec<f64>> = frames.iter().map(|f| vec![0.0; f.bins.len()]).collect();
    let settled = SETTLED * var_y.sqrt();
    for _ in 0..MAX_SWEEPS {
        let mut moved: f64 = 0.0;
        for (f, e) in frames.iter().zip(effects.iter_mut()) {
            for (b, range) in f.bins.iter().enumerate() {
                let members = &f.order[range.clone()];
                // The bin mean of the partial residual r + g_l, less g_l
                // (a plain sum: r is centred, and a bin holds about √n).
                let s: f64 = members.iter().map(|&t| r[t as usize]).sum();
                let step = s / members.len() as f64;
                members.iter().for_each(|&t| r[t as usize] -= step);
                e[b] += step;
                moved = moved.max(step.abs());
            }
        }
        if moved <= settled {
            break;
        }
    }
    effects
}

/// Trials sorted by one column, cut into bins, and the bins' weights.
struct Frame<'a> {
    /// Trial indices in order of x, ties in trial order.
    order: Cow<'a, [u32]>,
    bins: Vec<std::ops::Range<usize>>,
    /// Each bin's probability (summing to 1).
    weights: Vec<f64>,
    /// Whether the weights are the bins' shares of the trials (no known
    /// distribution), which leaves the sampling of x in the estimate.
    shares: bool,
}

impl<'a> Frame<'a> {
    /// `order`: the column's [`order`](crate::stats::rank::order).
    fn new(column: &Column, order: Cow<'a, [u32]>) -> Frame<'a> {
        let sorted: Vec<f64> = order.iter().map(|&t| column.x[t as usize]).collect();
        let bins = bins(&sorted);
        let (weights, shares) = match weights(&sorted, &bins, column.marginal) {
            Some(w) => (w, false),
            None => {
                let n = sorted.len() as f64;
                (bins.iter().map(|r| r.len() as f64 / n).collect(), true)
            }
        };
        Frame {
            order,
            bins,
            weights,
            shares,
        }
    }

    /// Adds `sign` × the effect of each trial's bin to `out[trial]`.
    fn scatter(&self, effect: &[f64], out: &mut [f64], sign: f64) {
        for (range, e) in self.bins.iter().zip(effect) {
            for &t in &self.order[range.clone()] {
                out[t as usize] += sign * e;
            }
        }
    }
}

/// The probability of each bin. Between two bins, the boundary in
/// probability is the midpoint of F(last x of the one) and P(X < first x
/// of the next): exact for a discrete column (no value in between), off by
/// O(1/n) for a continuous one. `None` without a known distribution, or
/// if it gives no number.
fn weights(
    sorted: &[f64],
    bins: &[std::ops::Range<usize>],
    marginal: Marginal,
) -> Option<Vec<f64>> {
    let mut bounds = Vec::with_capacity(bins.len() + 1);
    bounds.push(0.0);
    for w in bins.windows(2) {
        let last = sorted[w[0].end - 1];
        let first = sorted[w[1].start];
        let u = 0.5 * (marginal.cdf(last)? + marginal.cdf(below(first))?);
        if !u.is_finite() {
            return None;
        }
        let before = bounds[bounds.len() - 1];
        bounds.push(u.clamp(before, 1.0));
    }
    bounds.push(1.0);
    Some(bounds.windows(2).map(|b| b[1] - b[0]).collect())
}

/// The binned regression of `response` (y, or y with control variates: the
/// same expectation, conditional on the frame's column) on the frame's
/// column: the corrected and shrunk bin means, EVPPI from them, their
/// share of `var_y`, and the standard error (see the module header).
fn regress(frame: &Frame, response: &[f64], var_y: f64) -> Partial {
    let n = response.len() as f64;
    // Per bin: weight, size, mean and sum of squared deviations.
    let stats: Vec<(f64, f64, f64, f64)> = frame
        .bins
        .iter()
        .zip(&frame.weights)
        .map(|(r, &w)| {
            let ys = frame.order[r.clone()].iter().map(|&j| response[j as usize]);
            let k = r.len() as f64;
            let m = mean_iter(ys.clone(), r.len());
            let mut ss = Sum::default();
            ys.for_each(|v| ss.add((v - m) * (v - m)));
            (w, k, m, ss.value())
        })
        .collect();
    let mut level = Sum::default();
    stats.iter().for_each(|&(w, _, m, _)| level.add(w * m));
    let level = level.value();
    // The spread of the bin means, less the part their noise adds:
    // E[Σ w (m − m̄)²] = Var + Σ (w − w²) s²/k.
    let (mut between, mut noise) = (Sum::default(), Sum::default());
    for &(w, k, m, ss) in &stats {
        between.add(w * (m - level) * (m - level));
        if k > 1.0 {
            noise.add((w - w * w) * ss / (k - 1.0) / k);
        }
    }
    let v_raw = between.value();
    let v = (v_raw - noise.value()).max(0.0);
    let shrink = if v_raw > 0.0 { (v / v_raw).sqrt() } else { 0.0 };

    // EVPPI from the shrunk bin means; the influence ψ of each trial for
    // the standard error, as sums per bin.
    let buy = level > 0.0;
    let shares = frame.shares;
    let mut value = Sum::default();
    let (mut psi, mut psi2) = (Sum::default(), Sum::default());
    for &(w, k, m, ss) in &stats {
        let g = level + shrink * (m - level);
        // max(g, 0) − max(level, 0) summed with the weights (which give
        // Σ w g = level): exactly 0 when no bin mean crosses zero.
        value.add(w * if buy { (-g).max(0.0) } else { g.max(0.0) });
        // Deciding differently from today in this bin: not buying today
        // and g > 0 (+1), or buying today and g ≤ 0 (−1).
        let sign: f64 = match (g > 0.0, buy) {
            (true, false) => 1.0,
            (false, true) => -1.0,
            _ => 0.0,
        };
        // ψ = sign · ((n w / k)(y − m) + m · [weights are shares]).
        let scale = n * w / k;
        let centre = if shares { m } else { 0.0 };
        psi.add(sign * k * centre);
        psi2.add(sign * sign * (scale * scale * ss + k * centre * centre));
    }
    let evppi = value.value();
    let var_psi = (psi2.value() - psi.value() * psi.value() / n) / (n - 1.0);
    let se = var_psi.max(0.0).sqrt() / n.sqrt();
    Partial {
        evppi: positive_zero(evppi),
        se,
        contribution_to_variance: (var_y > 0.0).then(|| (v / var_y).clamp(0.0, 1.0)),
    }
}

/// The largest double below `x` (`f64::next_down`, which needs Rust 1.86).
fn below(x: f64) -> f64 {
    if x.is_nan() || x == f64::NEG_INFINITY {
        x
    } else if x == 0.0 {
        -f64::from_bits(1)
    } else if x > 0.0 {
        f64::from_bits(x.to_bits() - 1)
    } else {
        f64::from_bits(x.to_bits() + 1)
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut s = Sum::default();
    a.iter().zip(b).for_each(|(a, b)| s.add(a * b));
    s.value()
}

/// Bins of the sorted values: ranges of about √n trials each, never
/// splitting a run of equal x; a last bin of fewer than half that joins
/// the one before.
fn bins(sorted: &[f64]) -> Vec<std::ops::Range<usize>> {
    let n = sorted.len();
    let size = ((n as f64).sqrt().round() as usize).max(1);
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < n {
        i += 1;
        let full = i - start >= size;
        let tie = i < n && sorted[i].total_cmp(&sorted[i - 1]).is_eq();
        if i == n || (full && !tie) {
            out.push(start..i);
            start = i;
        }
    }
    if out.len() >= 2 && out[out.len() - 1].len() < size.div_ceil(2) {
        let last = out.pop().expect("two bins");
        let before = out.last_mut().expect("one bin");
        before.end = last.end;
    }
    out
}

fn mean(y: &[f64]) -> f64 {
    mean_iter(y.iter().copied(), y.len())
}

fn mean_iter(y: impl Iterator<Item = f64>, n: usize) -> f64 {
    let mut s = Sum::default();
    y.for_each(|v| s.add(v));
    s.value() / n as f64
}

/// Mean and population variance (divided by n) of `y`, in two passes.
fn moments(y: &[f64]) -> (f64, f64) {
    let m = mean(y);
    let mut ss = Sum::default();
    y.iter().for_each(|v| ss.add((v - m) * (v - m)));
    (m, ss.value() / y.len() as f64)
}

/// Mean and sample sd (n − 1) of `n` values, in two passes.
fn mean_sd(y: impl Iterator<Item = f64> + Clone, n: usize) -> (f64, f64) {
    let m = mean_iter(y.clone(), n);
    let mut ss = Sum::default();
    y.for_each(|v| ss.add((v - m) * (v - m)));
    (m, (ss.value() / (n as f64 - 1.0)).sqrt())
}

/// The value of information of a run: EVPI over the kept NPVs, EVPPI of
/// every uncertain input and of every shock over the trials whose draws are
/// kept, largest EVPPI first (ties by contribution to variance, then in
/// scenario order: inputs, then shocks).
/// Also gives each column's contribution to variance, for
/// [`fill_contributions`]. `ranked`: each kept input's draws sorted, as
/// [`analyses`](super::analyses) gives them.
pub(super) fn value_of_information(
    sc: &Scenario,
    data: &RunData,
    ranked: &[Ranked],
) -> (ValueOfInformation, Contributions) {
    let npv = data.metric(Metric::Npv);
    let m = data
        .kept_inputs
        .first()
        .map(|(_, c)| c.len())
        .or_else(|| data.kept_shocks.first().map(Vec::len))
        .unwrap_or(0);
    let y = &npv[..m.min(npv.len())];
    let columns: Vec<(String, &[f64])> = data
        .kept_inputs
        .iter()
        .map(|(i, c)| (sc.inputs[*i].path.clone(), c.as_slice()))
        .chain(
            sc.shocks
                .iter()
                .zip(&data.kept_shocks)
                .map(|(s, c)| (s.path.clone(), c.as_slice())),
        )
        .collect();
    // Families of columns that may depend on each other: an input's copula
    // group (by its first member), a shock with its probability input.
    let family_of = |input: usize| {
        sc.groups
            .iter()
            .find(|g| g.members.contains(&input))
            .map_or(input, |g| g.members[0])
    };
    let drawn = |input: usize| match &sc.inputs[input].quantity {
        Quantity::Random(d) => Marginal::Drawn(d),
        Quantity::Fixed(_) => Marginal::Sample,
    };
    let specs: Vec<Column> = data
        .kept_inputs
        .iter()
        .map(|(i, c)| Column {
            x: c,
            family: family_of(*i),
            marginal: drawn(*i),
        })
        .chain(
            sc.shocks
                .iter()
                .zip(&data.kept_shocks)
                .enumerate()
                .map(|(k, (s, c))| {
                    let p = s.probability_per_year.0;
                    let (family, marginal) = match sc.inputs[p].quantity {
                        // 1 − (1 − p_year)^(1/12), as the model draws it.
                        Quantity::Fixed(p_year) => (
                            sc.inputs.len() + k,
                            Marginal::FirstStrike {
                                p: -((-p_year).ln_1p() / 12.0).exp_m1(),
                                months: sc.months() as f64,
                            },
                        ),
                        Quantity::Random(_) => (family_of(p), Marginal::Sample),
                    };
                    Column {
                        x: c,
                        family,
                        marginal,
                    }
                }),
        )
        .collect();
    // EVPI reads every trial's NPV, the rest the kept trials: side by side,
    // the partial values (the longer, with its serial backfitting) started
    // here, EVPI left for another thread to take.
    let (results, (evpi, evpi_se)) = rayon::join(
        || evppi_all_ordered(&specs, ranked, y),
        || evpi(npv).unzip(),
    );
    let contributions = Contributions(
        columns
            .iter()
            .zip(&results)
            .map(|((p, _), r)| (p.clone(), r.and_then(|r| r.contribution_to_variance)))
            .collect(),
    );
    let mut inputs: Vec<InputValue> = columns
        .into_iter()
        .zip(results)
        .filter_map(|((path, _), r)| {
            r.map(|r| InputValue {
                path,
                evppi: r.evppi,
                se: r.se,
                contribution_to_variance: r.contribution_to_variance,
            })
        })
        .collect();
    // Ties (often 0: no single input changes the decision) by share of
    // variance, then in scenario order.
    let share = |e: &InputValue| e.contribution_to_variance.unwrap_or(-1.0);
    inputs.sort_by(|a, b| {
        b.evppi
            .total_cmp(&a.evppi)
            .then(share(b).total_cmp(&share(a)))
    });
    (
        ValueOfInformation {
            evpi,
            evpi_se,
            trials: y.len() as u64,
            inputs,
        },
        contributions,
    )
}

/// Each column's path and contribution to variance, in scenario order
/// (inputs, then shocks).
pub(super) struct Contributions(Vec<(String, Option<f64>)>);

/// Fills each sensitivity row's contribution to variance: that of the
/// first column of its input's path.
pub(super) fn fill_contributions(sensitivity: &mut [Sensitivity], c: &Contributions) {
    for row in sensitivity.iter_mut() {
        row.contribution_to_variance =
            c.0.iter()
                .find(|(p, _)| *p == row.input)
                .and_then(|(_, r)| *r);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::Xoshiro256PlusPlus;
    use rand_distr::{Distribution, StandardNormal};
    use statrs::distribution::{Continuous, ContinuousCDF, Normal};

    /// E[max(Z, 0)] − max(μ, 0) for Z ~ N(μ, s²): μΦ(μ/s) + sφ(μ/s) − max(μ, 0).
    fn normal_value(mu: f64, s: f64) -> f64 {
        let z = Normal::standard();
        mu * z.cdf(mu / s) + s * z.pdf(mu / s) - mu.max(0.0)
    }

    fn normals(n: usize, seed: u64) -> Vec<f64> {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        (0..n).map(|_| StandardNormal.sample(&mut rng)).collect()
    }

    /// y = c + Σ b_i x_i with x_i ~ N(0, 1).
    fn linear(c: f64, b: &[f64], xs: &[Vec<f64>]) -> Vec<f64> {
        (0..xs[0].len())
            .map(|j| c + b.iter().zip(xs).map(|(b, x)| b * x[j]).sum::<f64>())
            .collect()
    }

    /// Within 3 standard errors of the truth (a false alarm once in 370
    /// checks; every check here passes within 2), or within `floor` for a
    /// value that is practically 0.
    fn close(what: &str, est: f64, se: f64, truth: f64, floor: f64) {
        let tol = (3.0 * se).max(floor);
        assert!(
            (est - truth).abs() <= tol,
            "{what}: {est} against {truth} (se {se}, tolerance {tol})"
        );
    }

    #[test]
    fn linear_normal_against_closed_forms() {
        // Three inputs of different weight; μ > 0, μ < 0 and μ = 0.
        let n = 131_072;
        let b = [60.0, 30.0, 10.0];
        let xs: Vec<Vec<f64>> = (0..3).map(|i| normals(n, 10 + i)).collect();
        let s_total = b.iter().map(|b| b * b).sum::<f64>().sqrt();
        for (case, c) in [20.0, -35.0, 0.0].into_iter().enumerate() {
            let y = linear(c, &b, &xs);
            let (v, se) = evpi(&y).unwrap();
            // 0.01% of the sd of y: an EVPPI below it counts as 0 (here
            // 0.0006 for the third input when μ = −35, 3.5 sd from 0).
            let floor = 1e-4 * s_total;
            close(
                &format!("case {case} EVPI"),
                v,
                se,
                normal_value(c, s_total),
                floor,
            );
            for (i, x) in xs.iter().enumerate() {
                let p = evppi(x, &y).unwrap();
                let what = format!("case {case} input {i}");
                close(
                    &format!("{what} EVPPI"),
                    p.evppi,
                    p.se,
                    normal_value(c, b[i].abs()),
                    floor,
                );
                // S_i = b_i² / Σ b_j²; its sampling sd is about
                // 2 √(S(1 − S)/n) + the bins' own error ~ 1/√n.
                let s = b[i] * b[i] / (s_total * s_total);
                let s_se = (4.0 * s * (1.0 - s) / n as f64).sqrt() + 1.0 / n as f64;
                close(
                    &format!("{what} S"),
                    p.contribution_to_variance.unwrap(),
                    s_se,
                    s,
                    0.0,
                );
            }
        }
    }

    #[test]
    fn correction_removes_the_noise_of_the_bins() {
        // An input with no effect, NPV centred on 0: the raw bin means
        // (noise sd 20/√256 = 1.25) would show an EVPPI of about
        // 0.4 × 1.25 = 0.5; the corrected one stays well below that, and its
        // share of variance near 0.
        let n = 65_536;
        let x = normals(n, 1);
        let y = normals(n, 2).iter().map(|v| 20.0 * v).collect::<Vec<_>>();
        let p = evppi(&x, &y).unwrap();
        assert!(p.evppi < 0.3, "{p:?}");
        assert!(p.contribution_to_variance.unwrap() < 1e-3, "{p:?}");
    }

    #[test]
    fn uniform_input_against_closed_form() {
        // y = c + a (2u − 1) + noise with u ~ U(0, 1): E[y | u] is uniform on
        // [c − a, c + a], so EVPPI = (c + a)² / (4a) − max(c, 0) for |c| < a.
        let n = 131_072;
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
        let u: Vec<f64> = (0..n)
            .map(|_| rand::RngExt::random::<f64>(&mut rng))
            .collect();
        let e = normals(n, 8);
        for c in [15.0, -10.0] {
            let a = 40.0;
            let y: Vec<f64> = (0..n)
                .map(|j| c + a * (2.0 * u[j] - 1.0) + 50.0 * e[j])
                .collect();
            let truth = (c + a) * (c + a) / (4.0 * a) - f64::max(c, 0.0);
            let p = evppi(&u, &y).unwrap();
            close(&format!("c = {c}"), p.evppi, p.se, truth, 0.0);
            // Var(E[y|u]) = a²/3 against a²/3 + 2500.
            let s = (a * a / 3.0) / (a * a / 3.0 + 2500.0);
            // sd of the estimate: about 2 √(S(1 − S)/n) ≈ 0.002.
            close("S", p.contribution_to_variance.unwrap(), 0.002, s, 0.0);
        }
    }

    #[test]
    fn ties_stay_in_one_bin_and_two_points_are_exact() {
        // A shock-like input: the month of the first strike, or +∞ (never,
        // 70%). E[y | never] = 30, E[y | strikes] = −50 whatever the month:
        // EVPPI = 0.3 × 50 = 15 (buying by default, mean 6).
        let n = 100_000;
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        let e = normals(n, 4);
        let mut x = Vec::with_capacity(n);
        let mut y = Vec::with_capacity(n);
        for ej in &e {
            let u: f64 = rand::RngExt::random(&mut rng);
            let strikes = u < 0.3;
            x.push(if strikes {
                (u / 0.3 * 60.0).floor() + 1.0
            } else {
                f64::INFINITY
            });
            y.push(if strikes { -50.0 } else { 30.0 } + 40.0 * ej);
        }
        let mut sorted = x.to_vec();
        sorted.sort_by(f64::total_cmp);
        let b = bins(&sorted);
        let never = b.iter().filter(|r| sorted[r.start].is_infinite()).count();
        assert_eq!(never, 1, "the trials that never strike share one bin");
        for r in &b {
            if r.end < n {
                assert_ne!(sorted[r.end - 1], sorted[r.end], "a tie split");
            }
        }
        let p = evppi(&x, &y).unwrap();
        close("two points", p.evppi, p.se, 15.0, 0.0);
        // Var(E[y|x]) = 0.21 × 80² = 1344 against 1344 + 1600.
        close(
            "S",
            p.contribution_to_variance.unwrap(),
            0.002,
            1344.0 / 2944.0,
            0.0,
        );
    }

    fn independent<'a>(xs: &'a [Vec<f64>], marginal: Marginal<'a>) -> Vec<Column<'a>> {
        xs.iter()
            .enumerate()
            .map(|(i, x)| Column {
                x,
                family: i,
                marginal,
            })
            .collect()
    }

    #[test]
    fn control_variates_take_the_other_inputs_noise_out() {
        // y = 1 + 3 x₀ + 1 x₁ + 4 x₂ (standard normal x): alone, the
        // regression on x₁ keeps the noise of 3 x₀ + 4 x₂ (sd 5); with the
        // other main effects as control variates and the bins weighted by
        // their probability, its standard error falls at least fivefold
        // and every estimate lands within 3% of the closed form.
        let n = 65_536;
        let b = [3.0, 1.0, 4.0];
        let xs: Vec<Vec<f64>> = (0..3).map(|i| normals(n, 20 + i)).collect();
        let y = linear(1.0, &b, &xs);
        let alone = evppi(&xs[1], &y).unwrap();
        let z = Dist::new(crate::dist::Family::Normal(
            crate::dist::Normal::new(0.0, 1.0).unwrap(),
        ));
        let all = evppi_all(&independent(&xs, Marginal::Drawn(&z)), &y);
        for (i, p) in all.iter().enumerate() {
            let p = p.unwrap();
            let truth = normal_value(1.0, b[i]);
            let tol = (3.0 * p.se).min(0.03 * truth);
            close(
                &format!("input {i}"),
                p.evppi,
                p.se.min(tol / 3.0),
                truth,
                0.0,
            );
            let s = b[i] * b[i] / 26.0;
            close(
                &format!("S {i}"),
                p.contribution_to_variance.unwrap(),
                0.002,
                s,
                0.0,
            );
        }
        let with = all[1].unwrap();
        assert!(with.se * 5.0 < alone.se, "{with:?} against {alone:?}");
    }

    #[test]
    fn a_dependent_column_is_not_a_control_variate() {
        // x₁ = x₀ + noise: E[y | x₀] for y = x₀ + x₁ has slope 2. Taking
        // x₁'s main effect out as a control variate would leave slope ≈ 1;
        // as one family the two are regressed on y as it is.
        let n = 65_536;
        let x0 = normals(n, 30);
        let e = normals(n, 31);
        let x1: Vec<f64> = x0.iter().zip(&e).map(|(a, e)| a + e).collect();
        let y: Vec<f64> = x0.iter().zip(&x1).map(|(a, b)| 0.5 + a + b).collect();
        // Var(y) = Var(2 x₀ + e) = 5; E[y | x₀] = 0.5 + 2 x₀.
        let family = |f: usize| {
            evppi_all(
                &[
                    Column {
                        x: &x0,
                        family: 0,
                        marginal: Marginal::Sample,
                    },
                    Column {
                        x: &x1,
                        family: f,
                        marginal: Marginal::Sample,
                    },
                ],
                &y,
            )[0]
            .unwrap()
        };
        let p = family(0);
        close("one family", p.evppi, p.se, normal_value(0.5, 2.0), 0.0);
        close("S", p.contribution_to_variance.unwrap(), 0.005, 0.8, 0.0);
        let wrong = family(1);
        assert!(
            (wrong.evppi - normal_value(0.5, 2.0)).abs() > 10.0 * wrong.se,
            "treating them as independent would have to show: {wrong:?}"
        );
    }

    #[test]
    fn weights_follow_the_distribution() {
        // A discrete column: each value's bin weighs its probability
        // exactly, whatever the draws' shares.
        let d = Dist::new(crate::dist::Family::Discrete(
            crate::dist::Discrete::new(&[1.0, 2.0, 3.0], &[0.2, 0.5, 0.3]).unwrap(),
        ));
        let x: Vec<f64> = (0..100).map(|i| [1.0, 2.0, 3.0][i % 3]).collect();
        let mut sorted = x.to_vec();
        sorted.sort_by(f64::total_cmp);
        let b = bins(&sorted);
        assert_eq!(b.len(), 3);
        let w = weights(&sorted, &b, Marginal::Drawn(&d)).unwrap();
        for (got, want) in w.iter().zip([0.2, 0.5, 0.3]) {
            assert!((got - want).abs() < 1e-15, "{w:?}");
        }
        // A shock's first month: P(M ≤ 2) = 1 − 0.9² in the first bin of
        // months 1 and 2, the rest up to month 3 in the second, never last.
        let x = [1.0, 2.0, 1.0, 2.0, 3.0, 3.0, 3.0, f64::INFINITY];
        let mut sorted = x.to_vec();
        sorted.sort_by(f64::total_cmp);
        let b = vec![0..4, 4..7, 7..8];
        let w = weights(
            &sorted,
            &b,
            Marginal::FirstStrike {
                p: 0.1,
                months: 3.0,
            },
        )
        .unwrap();
        let want = [0.19, 0.081, 0.729];
        for (got, want) in w.iter().zip(want) {
            assert!((got - want).abs() < 1e-15, "{w:?}");
        }
        assert_eq!(weights(&sorted, &b, Marginal::Sample), None);
    }

    #[test]
    fn below_is_the_next_double_down() {
        assert_eq!(below(1.0), 1.0 - f64::EPSILON / 2.0);
        assert_eq!(below(-1.0), -1.0 - f64::EPSILON);
        assert_eq!(below(0.0), -f64::from_bits(1));
        assert_eq!(below(f64::INFINITY), f64::MAX);
        assert!(below(f64::from_bits(1)) == 0.0);
    }

    #[test]
    fn bins_cover_every_trial_in_about_root_n() {
        let sorted: Vec<f64> = (0..110).map(|i| i as f64).collect();
        let b = bins(&sorted);
        // √110 ≈ 10.5 → 10 per bin; the last 10 make a bin of their own.
        assert_eq!(b.len(), 11);
        assert!(b.iter().all(|r| r.len() == 10));
        let sorted: Vec<f64> = (0..104).map(|i| i as f64).collect();
        let b = bins(&sorted);
        // 4 left over join the last bin.
        assert_eq!(b.len(), 10);
        assert_eq!(b.last().unwrap().len(), 14);
        assert_eq!(b.iter().map(|r| r.len()).sum::<usize>(), 104);
    }

    #[test]
    fn degenerate_inputs() {
        assert_eq!(evpi(&[1.0]), None);
        assert_eq!(evpi(&[1.0, f64::NAN]), None);
        assert_eq!(evpi(&[3.0, 5.0]), Some((0.0, 0.0)));
        assert_eq!(evppi(&[1.0; 10], &[1.0; 10]), None);
        // y constant: no share of variance, no value.
        let x: Vec<f64> = (0..100).map(f64::from).collect();
        let p = evppi(&x, &[5.0; 100]).unwrap();
        assert_eq!(
            (p.evppi, p.se, p.contribution_to_variance),
            (0.0, 0.0, None)
        );
        // x constant: one bin, nothing learnt.
        let y: Vec<f64> = (0..100).map(|i| f64::from(i) - 50.0).collect();
        let p = evppi(&[2.0; 100], &y).unwrap();
        assert_eq!((p.evppi, p.contribution_to_variance), (0.0, Some(0.0)));
    }
}
