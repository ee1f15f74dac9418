//! The two numerical workhorses of the fits.
//!
//! [`newton_bracketed`] finds the root of a monotone function of one
//! variable: Newton steps while they stay inside a bracket that shrinks
//! with every evaluation, bisection otherwise ("rtsafe", Press et al.,
//! *Numerical Recipes*, 3rd ed., §9.4). It serves the gamma and Weibull
//! shape equations, where Newton alone can overshoot to a negative shape.
//!
//! [`minimize`] is the Nelder-Mead simplex method (Nelder & Mead 1965, with
//! the standard coefficients of Lagarias et al. 1998: reflection 1,
//! expansion 2, contraction ½, shrink ½), restarted from its best point
//! until a restart no longer improves, the usual remedy for a simplex that
//! collapsed early. It serves the triangular and PERT fits, whose
//! likelihoods have kinks and bounds that rule out derivatives. NaN counts
//! as +∞, so the objective may refuse a point by returning NaN.

/// Root of `f` in the bracket `[a, b]`, where `f(a)` and `f(b)` have
/// opposite signs; `f` returns the value and the derivative. Starts at `x0`
/// (or the midpoint if `x0` is outside). `None` if the bracket does not
/// bracket or `f` is not finite at its ends.
pub(super) fn newton_bracketed(
    f: impl Fn(f64) -> (f64, f64),
    a: f64,
    b: f64,
    x0: f64,
) -> Option<f64> {
    let (fa, fb) = (f(a).0, f(b).0);
    if !(fa.is_finite() && fb.is_finite()) {
        return None;
    }
    if fa == 0.0 {
        return Some(a);
    }
    if fb == 0.0 {
        return Some(b);
    }
    if fa.signum() == fb.signum() {
        return None;
    }
    // Orient the bracket so that f(neg) < 0 < f(pos).
    let (mut neg, mut pos) = if fa < 0.0 { (a, b) } else { (b, a) };
    let inside = |x: f64, neg: f64, pos: f64| x > neg.min(pos) && x < neg.max(pos);
    let mut x = if inside(x0, neg, pos) {
        x0
    } else {
        0.5 * (neg + pos)
    };
    for _ in 0..300 {
        let (fx, dfx) = f(x);
        if fx == 0.0 {
            return Some(x);
        }
        if fx < 0.0 {
            neg = x;
        } else if fx > 0.0 {
            pos = x;
        } else {
            return None; // NaN
        }
        let newton = x - fx / dfx;
        let next = if inside(newton, neg, pos) {
            newton
        } else {
            0.5 * (neg + pos)
        };
        let tol = 4.0 * f64::EPSILON * next.abs();
        if (next - x).abs() <= tol || (pos - neg).abs() <= tol {
            return Some(next);
        }
        x = next;
    }
    Some(x)
}

/// Minimises `f` by Nelder-Mead from `x0`, with an initial simplex of
/// `step` along each coordinate, restarting from the best point found
/// while a restart improves by more than `tol` (relative). Returns the best
/// point and its value. At most `max_evals` evaluations per start.
pub(super) fn minimize(
    f: impl Fn(&[f64]) -> f64,
    x0: &[f64],
    step: f64,
    tol: f64,
    max_evals: usize,
) -> (Vec<f64>, f64) {
    let f = |x: &[f64]| {
        let y = f(x);
        if y.is_nan() { f64::INFINITY } else { y }
    };
    let (mut best, mut fbest) = nelder_mead(&f, x0, step, tol, max_evals);
    for _ in 0..10 {
        let (x, fx) = nelder_mead(&f, &best, step, tol, max_evals);
        let improved = fbest - fx > tol * (fbest.abs() + tol);
        if fx < fbest {
            (best, fbest) = (x, fx);
        }
        if !improved {
            break;
        }
    }
    (best, fbest)
}

/// One Nelder-Mead run; stops when the values at the vertices agree within
/// `tol` (relative) or after `max_evals` evaluations.
fn nelder_mead(
    f: &impl Fn(&[f64]) -> f64,
    x0: &[f64],
    step: f64,
    tol: f64,
    max_evals: usize,
) -> (Vec<f64>, f64) {
    let d = x0.len();
    let mut simplex: Vec<(Vec<f64>, f64)> = (0..=d)
        .map(|i| {
            let mut x = x0.to_vec();
            if i > 0 {
                x[i - 1] += step;
            }
            let fx = f(&x);
            (x, fx)
        })
        .collect();
    let mut evals = d + 1;
    // x + t (y − x), the point at "time" t on the line from x through y.
    let along = |x: &[f64], y: &[f64], t: f64| -> Vec<f64> {
        x.iter().zip(y).map(|(a, b)| a + t * (b - a)).collect()
    };
    while evals < max_evals {
        simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
        let (lo, hi) = (simplex[0].1, simplex[d].1);
        if (hi - lo).abs() <= tol * (lo.abs() + tol) {
            break;
        }
        let centroid: Vec<f64> = (0..d)
            .map(|j| simplex[..d].iter().map(|v| v.0[j]).sum::<f64>() / d as f64)
            .collect();
        let worst = simplex[d].0.clone();
        let reflected = along(&centroid, &worst, -1.0);
        let fr = f(&reflected);
        evals += 1;
        if fr < lo {
            let expanded = along(&centroid, &worst, -2.0);
            let fe = f(&expanded);
            evals += 1;
            simplex[d] = if fe < fr {
                (expanded, fe)
            } else {
                (reflected, fr)
            };
        } else if fr < simplex[d - 1].1 {
            simplex[d] = (reflected, fr);
        } else {
            // Contract towards the better of the worst and its reflection.
            let (t, fref) = if fr < hi { (-0.5, fr) } else { (0.5, hi) };
            let contracted = along(&centroid, &worst, t);
            let fc = f(&contracted);
            evals += 1;
            if fc < fref {
                simplex[d] = (contracted, fc);
            } else {
                let best = simplex[0].0.clone();
                for v in simplex.iter_mut().skip(1) {
                    v.0 = along(&best, &v.0, 0.5);
                    v.1 = f(&v.0);
                }
                evals += d;
            }
        }
    }
    simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
    simplex.swap_remove(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newton_finds_a_root_that_plain_newton_overshoots() {
        // atan has its root at 0; plain Newton from 2 diverges
        // (|x| grows each step), the bracket keeps it on course.
        let f = |x: f64| (x.atan(), 1.0 / (1.0 + x * x));
        let r = newton_bracketed(f, -1.0, 3.0, 2.0).unwrap();
        assert!(r.abs() < 1e-12, "{r}");
        // x³ = 2, bracket given in decreasing order of f.
        let g = |x: f64| (2.0 - x * x * x, -3.0 * x * x);
        let r = newton_bracketed(g, 0.0, 5.0, 4.0).unwrap();
        assert!((r - 2f64.cbrt()).abs() < 1e-14, "{r}");
    }

    #[test]
    fn newton_refuses_a_non_bracket() {
        assert_eq!(
            newton_bracketed(|x| (x * x + 1.0, 2.0 * x), -1.0, 1.0, 0.5),
            None
        );
        assert_eq!(newton_bracketed(|x| (x, 1.0), f64::NAN, 1.0, 0.5), None);
    }

    #[test]
    fn nelder_mead_minimises_rosenbrock() {
        // Minimum 0 at (1, 1), at the end of a curved valley.
        let f = |p: &[f64]| (1.0 - p[0]).powi(2) + 100.0 * (p[1] - p[0] * p[0]).powi(2);
        let (x, fx) = minimize(f, &[-1.2, 1.0], 0.5, 1e-14, 5000);
        assert!(fx < 1e-9, "{fx}");
        assert!(
            (x[0] - 1.0).abs() < 1e-4 && (x[1] - 1.0).abs() < 1e-4,
            "{x:?}"
        );
    }

    #[test]
    fn nelder_mead_treats_nan_as_infinite() {
        // The objective refuses x < 0; the minimum 0 lies at the edge x = 0.
        let f = |p: &[f64]| {
            if p[0] < 0.0 {
                f64::NAN
            } else {
                (p[0] - 0.0).powi(2) + (p[1] - 2.0).powi(2)
            }
        };
        let (x, fx) = minimize(f, &[3.0, 0.0], 1.0, 1e-14, 5000);
        assert!(fx < 1e-9 && x[0] >= 0.0, "{x:?} {fx}");
    }
}
