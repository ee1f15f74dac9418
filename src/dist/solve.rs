//! One-dimensional root finding for the families given by percentiles.
//!
//! Fitting a gamma, PERT, triangular or beta distribution to two
//! percentiles comes down to equations in one unknown whose root is
//! bracketed by an interval where the function changes sign. Brent's method
//! (R. P. Brent, *Algorithms for Minimization without Derivatives*, 1973,
//! ch. 4; the `zeroin` form of Numerical Recipes, 3rd ed., §9.3) keeps such
//! a bracket and takes inverse quadratic interpolation steps where they
//! are safe and bisection steps where they are not: it never leaves the
//! bracket and converges superlinearly on smooth functions.

/// Most function evaluations one solve may take; bisection alone halves
/// any bracket of doubles to one ulp in far fewer.
const MAX_EVALUATIONS: usize = 300;

/// The root of `f` in `[lo, hi]`, to within `tol` (absolute, plus a few
/// ulps of the root), when `f(lo)` and `f(hi)` differ in sign or one is
/// zero. `None` when they do not, when `f` returns NaN, or (never seen) when
/// the method does not converge.
pub(crate) fn brent(mut f: impl FnMut(f64) -> f64, lo: f64, hi: f64, tol: f64) -> Option<f64> {
    let (mut a, mut b) = (lo, hi);
    let (mut fa, mut fb) = (f(a), f(b));
    if fa == 0.0 {
        return Some(a);
    }
    if fb == 0.0 {
        return Some(b);
    }
    // Also false for NaN.
    if !((fa < 0.0 && fb > 0.0) || (fa > 0.0 && fb < 0.0)) {
        return None;
    }
    let (mut c, mut fc) = (b, fb);
    let (mut d, mut e) = (b - a, b - a);
    for _ in 0..MAX_EVALUATIONS {
        if (fb > 0.0) == (fc > 0.0) {
            // Keep the root between b and c.
            (c, fc) = (a, fa);
            d = b - a;
            e = d;
        }
        if fc.abs() < fb.abs() {
            // b is the best estimate so far.
            (a, fa) = (b, fb);
            (b, fb) = (c, fc);
            (c, fc) = (a, fa);
        }
        let tol1 = 2.0 * f64::EPSILON * b.abs() + 0.5 * tol;
        let xm = 0.5 * (c - b);
        if xm.abs() <= tol1 || fb == 0.0 {
            return Some(b);
        }
        if e.abs() >= tol1 && fa.abs() > fb.abs() {
            // Secant (a == c) or inverse quadratic interpolation.
            let s = fb / fa;
            let (mut p, mut q);
            if a == c {
                p = 2.0 * xm * s;
                q = 1.0 - s;
            } else {
                let (qa, r) = (fa / fc, fb / fc);
                p = s * (2.0 * xm * qa * (qa - r) - (b - a) * (r - 1.0));
                q = (qa - 1.0) * (r - 1.0) * (s - 1.0);
            }
            if p > 0.0 {
                q = -q;
            } else {
                p = -p;
            }
            if 2.0 * p < (3.0 * xm * q - (tol1 * q).abs()).min((e * q).abs()) {
                e = d;
                d = p / q;
            } else {
                d = xm;
                e = d;
            }
        } else {
            d = xm;
            e = d;
        }
        (a, fa) = (b, fb);
        b += if d.abs() > tol1 { d } else { tol1.copysign(xm) };
        fb = f(b);
        if fb.is_nan() {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_known_roots() {
        // x = cos x at 0.7390851332151607 (the Dottie number).
        let r = brent(|x| x - x.cos(), 0.0, 1.0, 1e-15).unwrap();
        assert!((r - 0.739_085_133_215_160_7).abs() < 4e-16, "{r}");
        let r = brent(|x| x * x * x - 2.0, -3.0, 5.0, 1e-15).unwrap();
        assert!((r - 2f64.cbrt()).abs() < 4e-16, "{r}");
        // A root at a bracket end is returned as is.
        assert_eq!(brent(|x| x - 1.0, 1.0, 2.0, 1e-15), Some(1.0));
        // A step function: bisection still closes in on the jump.
        let r = brent(|x| if x < 0.3 { -1.0 } else { 1.0 }, 0.0, 1.0, 1e-12).unwrap();
        assert!((r - 0.3).abs() < 1e-12, "{r}");
    }

    #[test]
    fn refuses_what_is_not_bracketed() {
        assert_eq!(brent(|x| x * x + 1.0, -1.0, 1.0, 1e-12), None);
        assert_eq!(brent(|_| f64::NAN, -1.0, 1.0, 1e-12), None);
        assert_eq!(brent(|x| x.ln(), -1.0, 2.0, 1e-12), None);
    }
}
