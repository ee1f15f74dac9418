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
//! spline). The bin means carry noise of variance s_b²/n_b, which inflates
//! the spread of E[NPV | X] and biases EVPPI and S upwards. Both are
//! corrected: the between-bin variance loses its expected noise,
//! Σ s_b² (1 − n_b/n) / n (the one-way ANOVA correction), and the bin means
//! are shrunk towards the overall mean until their spread matches the
//! corrected variance, before EVPPI is read off them. The shrinkage is exact
//! when E[NPV | X] is normal and removes most of the bias otherwise (the
//! tests check a normal, a uniform and a two-point case against their
//! closed forms).
//!
//! The standard errors are first-order (delta method, the influence
//! function of the plug-in estimator): EVPI = mean of
//! ψ_j = max(y_j, 0) − 1[ȳ > 0] y_j, EVPPI = mean of
//! ψ_j = 1[ĝ_j > 0] y_j − 1[ȳ > 0] y_j with ĝ_j the trial's (shrunk) bin
//! mean; SE = sd(ψ)/√n. They are Monte Carlo errors under independent
//! sampling (conservative under Latin hypercube) and leave out the
//! remaining bias of the regression. docs/results.md states the rules.
//!
//! Everything runs over kept data in trial order, with sequential sums, so
//! the results do not depend on the number of threads.

use super::{InputValue, Sensitivity, ValueOfInformation, positive_zero};
use crate::config::Scenario;
use crate::engine::{Metric, RunData};
use crate::stats::Sum;
use rayon::prelude::*;

/// Fewest trials for the regression on an input (four bins of four).
pub const MIN_TRIALS: usize = 16;

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
/// binned regression of `y` on `x` (see the module header); `None` with
/// fewer than [`MIN_TRIALS`] trials, lengths that differ, or a non-finite
/// y. `x` may hold +∞ (a shock that never strikes); it must not hold NaN.
pub fn evppi(x: &[f64], y: &[f64]) -> Option<Partial> {
    let n = y.len();
    if n < MIN_TRIALS || x.len() != n || !y.iter().all(|v| v.is_finite()) {
        return None;
    }
    // Trials in order of x, ties in trial order (a stable radix sort).
    let mut pairs: Vec<(f64, u32)> = x.iter().copied().zip(0..).collect();
    radsort::sort_by_key(&mut pairs, |p| p.0);
    let bins = bins(&pairs);

    // Per bin: size, mean and sum of squared deviations of y.
    let stats: Vec<(f64, f64, f64)> = bins
        .iter()
        .map(|r| {
            let ys = pairs[r.clone()].iter().map(|&(_, j)| y[j as usize]);
            let k = r.len() as f64;
            let m = mean_iter(ys.clone(), r.len());
            let mut ss = Sum::default();
            ys.for_each(|v| ss.add((v - m) * (v - m)));
            (k, m, ss.value())
        })
        .collect();
    let nf = n as f64;
    let mut total = Sum::default();
    stats.iter().for_each(|&(k, m, _)| total.add(k * m));
    let ybar = total.value() / nf;
    let (mut between, mut within, mut noise) = (Sum::default(), Sum::default(), Sum::default());
    for &(k, m, ss) in &stats {
        between.add(k * (m - ybar) * (m - ybar));
        within.add(ss);
        if k > 1.0 {
            noise.add(ss / (k - 1.0) * (1.0 - k / nf));
        }
    }
    let v_raw = between.value() / nf;
    let v_y = (between.value() + within.value()) / nf;
    let v = (v_raw - noise.value() / nf).max(0.0);
    let shrink = if v_raw > 0.0 { (v / v_raw).sqrt() } else { 0.0 };

    // EVPPI from the shrunk bin means; ψ per trial for its standard error.
    let buy = ybar > 0.0;
    let mut value = Sum::default();
    let mut psi_mean = Sum::default();
    let mut parts = Vec::with_capacity(stats.len());
    for &(k, m, ss) in &stats {
        let g = ybar + shrink * (m - ybar);
        value.add(k * g.max(0.0));
        // ψ = y (g > 0, not buying by default), −y (g ≤ 0, buying), else 0.
        let sign = match (g > 0.0, buy) {
            (true, false) => 1.0,
            (false, true) => -1.0,
            _ => 0.0,
        };
        psi_mean.add(k * sign * m);
        parts.push((k, sign * m, sign * sign * ss));
    }
    let evppi = (value.value() / nf - ybar.max(0.0)).max(0.0);
    let psi_bar = psi_mean.value() / nf;
    let mut psi_ss = Sum::default();
    for (k, a, ss) in parts {
        psi_ss.add(ss + k * (a - psi_bar) * (a - psi_bar));
    }
    let se = (psi_ss.value() / (nf - 1.0)).max(0.0).sqrt() / nf.sqrt();
    Some(Partial {
        evppi: positive_zero(evppi),
        se,
        contribution_to_variance: (v_y > 0.0).then(|| (v / v_y).clamp(0.0, 1.0)),
    })
}

/// Bins of the sorted pairs: ranges of about √n trials each, never
/// splitting a run of equal x; a last bin of fewer than half that joins
/// the one before.
fn bins(pairs: &[(f64, u32)]) -> Vec<std::ops::Range<usize>> {
    let n = pairs.len();
    let size = ((n as f64).sqrt().round() as usize).max(1);
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < n {
        i += 1;
        let full = i - start >= size;
        let tie = i < n && pairs[i].0.total_cmp(&pairs[i - 1].0).is_eq();
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
/// Also fills each sensitivity row's contribution to variance.
pub(super) fn value_of_information(
    sc: &Scenario,
    data: &RunData,
    sensitivity: &mut [Sensitivity],
) -> ValueOfInformation {
    let npv = data.metric(Metric::Npv);
    let (evpi, evpi_se) = evpi(npv).unzip();
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
    let results: Vec<Option<Partial>> = columns.par_iter().map(|(_, x)| evppi(x, y)).collect();
    for row in sensitivity.iter_mut() {
        row.contribution_to_variance = columns
            .iter()
            .zip(&results)
            .find(|((p, _), _)| *p == row.input)
            .and_then(|(_, r)| r.and_then(|r| r.contribution_to_variance));
    }
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
    ValueOfInformation {
        evpi,
        evpi_se,
        trials: y.len() as u64,
        inputs,
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
        let mut pairs: Vec<(f64, u32)> = x.iter().copied().zip(0..).collect();
        radsort::sort_by_key(&mut pairs, |p| p.0);
        let b = bins(&pairs);
        let never = b.iter().filter(|r| pairs[r.start].0.is_infinite()).count();
        assert_eq!(never, 1, "the trials that never strike share one bin");
        for r in &b {
            if r.end < n {
                assert_ne!(pairs[r.end - 1].0, pairs[r.end].0, "a tie split");
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

    #[test]
    fn bins_cover_every_trial_in_about_root_n() {
        let pairs: Vec<(f64, u32)> = (0..110).map(|i| (i as f64, i)).collect();
        let b = bins(&pairs);
        // √110 ≈ 10.5 → 10 per bin; the last 10 make a bin of their own.
        assert_eq!(b.len(), 11);
        assert!(b.iter().all(|r| r.len() == 10));
        let pairs: Vec<(f64, u32)> = (0..104).map(|i| (i as f64, i)).collect();
        let b = bins(&pairs);
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
