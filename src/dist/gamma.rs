//! Gamma distribution with shape k and scale θ (mean kθ, variance kθ²), for
//! positive, right-skewed amounts such as hours or costs.
//!
//! The CDF and survival function are statrs' regularized incomplete gamma
//! functions P(k, x/θ) and Q(k, x/θ) (the Cephes series and continued
//! fraction). The exact quantile of the standard gamma (θ = 1) solves
//! P(k, x) = u for u ≤ ½ and Q(k, x) = 1 − u above, so that the upper tail
//! keeps its relative precision: Newton's method on ln P or ln Q against
//! ln x, started as in Numerical Recipes (3rd ed., §6.2.1, `invgammp`) from
//! the Wilson–Hilferty approximation for k > 1 and from a small-shape
//! approximation otherwise, and kept inside a bracket that is bisected
//! whenever a step would leave it. That costs a few incomplete gamma
//! functions, a microsecond or more, so draws come from a `QuantileTable`
//! of the standard gamma, multiplied by θ, built at the first draw and
//! shared by every gamma of the same shape. The table's absolute tolerance
//! is in the units of its values, so it is set to `table::TOLERANCE` times
//! the standard deviation √k: the interpolation is off by at most about
//! 1e-10 of a standard deviation, and 1e-10 of the value, wherever the
//! table serves, for any shape, and the exact inverse serves the rest.
//!
//! The shape must lie between 0.01 and 10000 (`SHAPES`), the scale must be
//! positive.
//!
//! Given by two percentiles, `x1` at probability `a` and `x2` at `b`, the
//! shape alone sets the ratio `Q₁(k, b) / Q₁(k, a)` of standard quantiles,
//! and that ratio falls steadily from infinity (k → 0) to 1 (k → ∞); the
//! shape solving `Q₁(k, b) / Q₁(k, a) = x2 / x1` is found by Brent's method
//! in ln k, and the scale is `θ = x1 / Q₁(k, a)`.

use super::solve::brent;
use super::table::{LazyTable, QuantileTable, TOLERANCE};
use super::{Continuous, DistError, Range, Univariate, check_percentiles, finite};
use statrs::function::gamma::{gamma_lr, gamma_ur, ln_gamma};

/// The largest shape. Beyond it the gamma is a normal for any practical
/// purpose (skewness 2/√k below 0.02), statrs' incomplete gamma functions
/// lose digits (their prefactor exp(k ln x − x − ln Γ(k)) cancels terms of
/// order k ln k: about 1e-9 relative at k = 1e6, too coarse for the table's
/// check) and each costs thousands of terms.
const MAX_SHAPE: f64 = 1e4;

/// The shapes a gamma may take, as parameters or given by percentiles:
/// below 0.01 almost all of the probability sits at values too small for
/// a double.
const SHAPES: (f64, f64) = (0.01, MAX_SHAPE);

#[derive(Debug, Clone)]
pub struct Gamma {
    shape: f64,
    scale: f64,
    /// Quantiles of the standard gamma (scale 1).
    table: LazyTable,
}

/// Two gammas are equal when their parameters are (the table follows).
impl PartialEq for Gamma {
    fn eq(&self, other: &Self) -> bool {
        self.params() == other.params()
    }
}

impl Gamma {
    pub fn new(shape: f64, scale: f64) -> Result<Self, DistError> {
        finite("shape", shape)?;
        finite("scale", scale)?;
        if !(shape > 0.0 && scale > 0.0) {
            return Err(DistError::ShapeScale {
                family: "gamma",
                shape,
                scale,
            });
        }
        if !(shape >= SHAPES.0 && shape <= SHAPES.1) {
            return Err(DistError::GammaShapeLimit(shape));
        }
        Ok(Gamma {
            shape,
            scale,
            table: LazyTable::new("gamma", [shape, 1.0]),
        })
    }

    /// The quantile table of the standard gamma of this shape, built on
    /// the first call.
    #[cfg(test)]
    fn table(&self) -> &QuantileTable {
        self.table.get_or_build(|| self.build_table())
    }

    fn build_table(&self) -> QuantileTable {
        let k = self.shape;
        QuantileTable::with_tolerance(
            TOLERANCE * k.sqrt(),
            (0.0, f64::INFINITY),
            |u| std_quantile(k, u),
            |x| std_pdf(k, x),
        )
    }

    /// The gamma whose quantiles at probabilities `a` and `b` are `x1` and
    /// `x2` (`0 < a < b < 1`, `0 < x1 < x2`).
    pub fn from_percentiles(a: f64, x1: f64, b: f64, x2: f64) -> Result<Self, DistError> {
        check_percentiles("gamma", Range::Positive, (a, x1), (b, x2))?;
        let target = (x2 / x1).ln();
        // ln of the ratio of standard quantiles, falling in t = ln k.
        let excess = |t: f64| {
            let k = t.exp();
            (std_quantile(k, b) / std_quantile(k, a)).ln() - target
        };
        let no_fit = |why| DistError::NoFit {
            family: "gamma",
            a,
            x1,
            b,
            x2,
            why,
        };
        let (lo, hi) = (SHAPES.0.ln(), SHAPES.1.ln());
        if !(excess(lo) >= 0.0) {
            return Err(no_fit(
                "it would need a shape below 0.01 (the values are too far apart)",
            ));
        }
        if !(excess(hi) <= 0.0) {
            return Err(no_fit(
                "it would need a shape above 10000 (the values are too close together; use a normal)",
            ));
        }
        // 1e-14 in ln k: the shape to a few ulps of its own.
        let t =
            brent(excess, lo, hi, 1e-14).ok_or_else(|| no_fit("the solver did not converge"))?;
        let shape = t.exp();
        Self::new(shape, x1 / std_quantile(shape, a))
    }

    /// (shape k, scale θ).
    pub fn params(&self) -> (f64, f64) {
        (self.shape, self.scale)
    }

    /// The exact quantile, bypassing the table.
    pub fn exact_quantile(&self, u: f64) -> f64 {
        self.scale * std_quantile(self.shape, u)
    }
}

/// P(k, x): the standard gamma's CDF, total (no panic) for x of any sign.
fn lower(k: f64, x: f64) -> f64 {
    if x <= 0.0 {
        0.0
    } else if x == f64::INFINITY {
        1.0
    } else {
        gamma_lr(k, x)
    }
}

/// Q(k, x) = 1 − P(k, x), computed directly.
fn upper(k: f64, x: f64) -> f64 {
    if x <= 0.0 {
        1.0
    } else if x == f64::INFINITY {
        0.0
    } else {
        gamma_ur(k, x)
    }
}

/// The standard gamma's density x^(k−1) e^(−x) / Γ(k), in logs.
fn std_pdf(k: f64, x: f64) -> f64 {
    if x > 0.0 {
        ((k - 1.0) * x.ln() - x - ln_gamma(k)).exp()
    } else if k < 1.0 {
        f64::INFINITY
    } else if k == 1.0 {
        1.0
    } else {
        0.0
    }
}

/// The quantile of the standard gamma of shape `k` at `u` in (0, 1).
pub(crate) fn std_quantile(k: f64, u: f64) -> f64 {
    if u > 0.5 {
        std_inverse(k, 1.0 - u, true)
    } else {
        std_inverse(k, u, false)
    }
}

/// The x with P(k, x) = p, or with Q(k, x) = p when `upper_tail`.
fn std_inverse(k: f64, p: f64, upper_tail: bool) -> f64 {
    if !(p > 0.0) {
        return if upper_tail { f64::INFINITY } else { 0.0 };
    }
    if !(p < 1.0) {
        return if upper_tail { 0.0 } else { f64::INFINITY };
    }
    let x0 = start(k, p, upper_tail);
    if !(x0 > 0.0) {
        // The quantile is below the smallest positive double.
        return 0.0;
    }
    let ln_gk = ln_gamma(k);
    // Newton's method on h(t) = ln(R(x) / p) in t = ln x, where R is P or
    // Q: in the lower tail P ≈ c x^k, a straight line in these
    // coordinates, and in the upper tail ln Q ≈ −x + (k − 1) ln x, gently
    // curved, so steps are nearly exact where plain Newton on P or Q
    // would crawl. The root stays bracketed by (lo, hi); a step that would
    // leave the bracket bisects it instead.
    let (mut lo, mut hi) = (f64::NEG_INFINITY, f64::INFINITY);
    let mut t = x0.ln();
    for _ in 0..100 {
        let x = t.exp();
        let r = if upper_tail { upper(k, x) } else { lower(k, x) };
        let ratio = r / p;
        let h = if ratio.is_finite() {
            ratio.ln()
        } else {
            r.ln() - p.ln()
        };
        if h == 0.0 {
            return x;
        }
        // h rises with t for P and falls for Q.
        if (h > 0.0) != upper_tail {
            hi = t;
        } else {
            lo = t;
        }
        // dh/dt = ±x f(x) / R(x), in logs.
        let slope = ((k - 1.0) * x.ln() - x - ln_gk + x.ln() - r.ln()).exp();
        let slope = if upper_tail { -slope } else { slope };
        let mut next = t - h / slope;
        if !(next > lo && next < hi) {
            next = match (lo.is_finite(), hi.is_finite()) {
                (true, true) => 0.5 * (lo + hi),
                (false, _) => hi - 1.0,
                (_, false) => lo + 1.0,
            };
        }
        // Converged: x moves by a few ulps, or the bracket is that narrow.
        if (next - t).abs() <= 4.0 * f64::EPSILON || hi - lo <= 4.0 * f64::EPSILON {
            return next.exp();
        }
        t = next;
    }
    t.exp()
}

/// A starting point for `std_inverse`, as in NR's `invgammp`: the
/// Wilson–Hilferty approximation for k > 1 ((X/k)^(1/3) is nearly normal),
/// else P(k, x) ≈ t x^k below 1 and an exponential tail above.
fn start(k: f64, p: f64, upper_tail: bool) -> f64 {
    if k > 1.0 {
        let z = super::normal::std_normal_quantile(p);
        let z = if upper_tail { -z } else { z };
        let c = 1.0 - 1.0 / (9.0 * k) + z / (3.0 * k.sqrt());
        (k * c * c * c).max(1e-3)
    } else {
        let t = 1.0 - k * (0.253 + k * 0.12);
        let pl = if upper_tail { 1.0 - p } else { p };
        if pl < t {
            (pl / t).powf(1.0 / k)
        } else if upper_tail {
            1.0 - (p / (1.0 - t)).ln()
        } else {
            1.0 - (-(p - t) / (1.0 - t)).ln_1p()
        }
    }
}

impl Univariate for Gamma {
    fn cdf(&self, x: f64) -> f64 {
        lower(self.shape, x / self.scale)
    }

    fn sf(&self, x: f64) -> f64 {
        upper(self.shape, x / self.scale)
    }

    #[inline]
    fn quantile(&self, u: f64) -> f64 {
        let x = self
            .table
            .get(u, || self.build_table())
            .unwrap_or_else(|| std_quantile(self.shape, u));
        self.scale * x
    }

    /// The table where it serves 1 − s (there, rounding 1 − s moves the
    /// result by far less than the table's tolerance), else the exact
    /// inverse on Q, which keeps its precision for any small s.
    fn quantile_sf(&self, s: f64) -> f64 {
        let x = self
            .table
            .get(1.0 - s, || self.build_table())
            .unwrap_or_else(|| std_inverse(self.shape, s, true));
        self.scale * x
    }

    fn exact_quantile(&self, u: f64) -> f64 {
        Gamma::exact_quantile(self, u)
    }

    fn prepare(&self) {
        self.table.get_or_build(|| self.build_table());
    }

    fn exact_quantile_sf(&self, s: f64) -> f64 {
        self.scale * std_inverse(self.shape, s, true)
    }

    fn support(&self) -> (f64, f64) {
        (0.0, f64::INFINITY)
    }

    fn mean(&self) -> f64 {
        self.shape * self.scale
    }

    fn variance(&self) -> f64 {
        self.shape * self.scale * self.scale
    }
}

/// `(k − 1) ln(x/θ) − x/θ − ln Γ(k) − ln θ` for x > 0, with ln(x/θ) as
/// ln x − ln θ so that it neither under- nor overflows. At 0 the density
/// has a pole for k < 1, is 1/θ for k = 1 and 0 for k > 1.
impl Continuous for Gamma {
    fn ln_pdf(&self, x: f64) -> f64 {
        let (k, theta) = (self.shape, self.scale);
        if x > 0.0 && x < f64::INFINITY {
            (k - 1.0) * (x.ln() - theta.ln()) - x / theta - ln_gamma(k) - theta.ln()
        } else if x == 0.0 && k < 1.0 {
            f64::INFINITY
        } else if x == 0.0 && k == 1.0 {
            -theta.ln()
        } else {
            f64::NEG_INFINITY
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dist::testutil::*;
    use statrs::distribution::{ContinuousCDF, Gamma as S};
    use statrs::statistics::Distribution;

    /// Shapes from 0.5 (a J-shaped density with a pole at 0) through the
    /// exponential (1) to nearly normal (50).
    const SHAPES_TESTED: [f64; 7] = [0.5, 0.8, 1.0, 2.0, 4.5, 12.0, 50.0];

    /// The exact inverse against reference values from mpmath (50 digits,
    /// rounded to the nearest double), in both tails and the middle. The
    /// incomplete gamma functions R (P or Q) are accurate to about 1e-15
    /// relative; that moves x by 1e-15 over x f(x) / R(x), which is about k
    /// in the lower tail and about x in the upper: a few 1e-15 relative
    /// here, checked at 1e-13. (statrs' own inverse, which bisects on the
    /// CDF, is off by 15 orders of magnitude at u = 1e-12 for k = 0.5.)
    #[test]
    fn exact_inverse_against_references() {
        #[rustfmt::skip]
        let lower = [
            (0.5, 1e-12, 7.853981633974483e-25), (0.5, 0.01, 7.854392895485099e-5),
            (0.5, 0.5, 0.2274682115597864),
            (2.0, 1e-12, 1.4142142290401938e-6), (2.0, 0.01, 0.14855474025326595),
            (2.0, 0.5, 1.6783469900166608),
            (12.0, 1e-12, 0.5517805131624026), (12.0, 0.01, 5.42818073776614),
            (12.0, 0.5, 11.668363153044766),
        ];
        #[rustfmt::skip]
        let upper = [
            (0.5, 0.01, 3.3174483005106077), (0.5, 1e-12, 25.422063955909078),
            (0.5, 1e-100, 226.9715411193995),
            (2.0, 0.01, 6.638352067993813), (2.0, 1e-12, 31.099873195769153),
            (2.0, 1e-100, 235.72541016192412),
            (12.0, 0.01, 21.48991006967582), (12.0, 1e-12, 54.286668029405),
            (12.0, 1e-100, 274.56395911674764),
        ];
        for (k, p, want) in lower {
            let x = std_quantile(k, p);
            assert!((x / want - 1.0).abs() < 1e-13, "k={k} P={p}: {x} vs {want}");
        }
        for (k, p, want) in upper {
            let x = std_inverse(k, p, true);
            assert!((x / want - 1.0).abs() < 1e-13, "k={k} Q={p}: {x} vs {want}");
            if p > 1e-17 {
                let y = std_quantile(k, 1.0 - p);
                // 1 − p itself is rounded, by up to 1e-16 / p relative in p.
                assert!(
                    (y / want - 1.0).abs() < 1e-13 + 1e-16 / p,
                    "k={k} u=1-{p}: {y}"
                );
            }
        }
        // The extremes: nothing overflows, nothing panics.
        assert_eq!(std_quantile(0.01, 1e-300), 0.0);
        assert!(std_inverse(50.0, 1e-300, true).is_finite());
        assert!(std_quantile(1e6, 0.5).is_finite());
    }

    #[test]
    fn against_statrs_and_quadrature() {
        for k in SHAPES_TESTED {
            for theta in [1.0, 0.02, 350.0] {
                let d = Gamma::new(k, theta).unwrap();
                let s = S::new(k, 1.0 / theta).unwrap();
                let rel = |x: f64, y: f64| (x / y - 1.0).abs();
                assert!(rel(d.mean(), s.mean().unwrap()) < 1e-14);
                assert!(rel(d.variance(), s.variance().unwrap()) < 1e-14);
                for x in [0.1, 1.0, 3.0, 40.0].map(|x| x * theta) {
                    assert_eq!(d.cdf(x), s.cdf(x));
                    assert_eq!(d.sf(x), s.sf(x));
                }
                // The table's error of 1e-9 sd moves the CDF by at most
                // 1e-9 · f(x) · sd, below 1e-9 where the table serves.
                assert_inverse(&d, 1e-9);
                let (m, v) = moments_by_quantile(&d, 400_000);
                // The midpoint rule misses a little of the right tail.
                assert!(rel(m, d.mean()) < 1e-5, "k={k} mean {m}");
                assert!(rel(v, d.variance()) < 2e-3, "k={k} var {v}");
            }
        }
    }

    /// The table against the exact inverse on a fine grid, over the tails
    /// just as finely, and where one grid hands over to another, as for
    /// beta. Each interval the table serves was checked at its middle to
    /// 1e-10 standard deviations; between check points the error may be
    /// somewhat larger, hence the bound of 1e-9 standard deviations.
    #[test]
    fn table_matches_the_exact_inverse() {
        for k in SHAPES_TESTED {
            let d = Gamma::new(k, 1.0).unwrap();
            let sd = d.variance().sqrt();
            let mut worst = 0.0f64;
            let mut check = |u: f64| {
                worst = worst.max((d.quantile(u) - d.exact_quantile(u)).abs() / sd);
            };
            let n = 200_000;
            for i in 0..=n {
                let v = (i as f64 + 0.5) / (n as f64 + 1.0);
                check(v);
                check(v / 8.0);
                check(1.0 - v / 8.0);
            }
            for edge in [4.0 / 2048.0, 1.0 / 16.0, 4.0 / 2048.0 / 16.0] {
                for du in [-1e-12, 0.0, 1e-12] {
                    check(edge + du);
                    check(1.0 - edge + du);
                }
            }
            assert!(worst < 1e-9, "gamma({k}): table error {worst:e} sd");
        }
    }

    /// The table serves all but about one draw in 200, up to the largest
    /// shape (the rest take the exact inverse, about 2 µs). The upper tail
    /// limits it: there Q(u) grows like −ln(1 − u), whose fourth
    /// derivative, 6/(1 − u)⁴, defeats the interpolation on the finest
    /// grid beyond 1 − u ≈ 0.004.
    #[test]
    fn table_serves_nearly_every_draw() {
        for k in SHAPES_TESTED.into_iter().chain([MAX_SHAPE]) {
            let d = Gamma::new(k, 1.0).unwrap();
            let served = crate::dist::table::tests::coverage(d.table());
            assert!(served > 0.995, "gamma({k}): {served}");
        }
    }

    /// Truncation far in the upper tail goes through the survival side.
    #[test]
    fn far_upper_tail_keeps_precision() {
        let d = Gamma::new(2.0, 3.0).unwrap();
        for sv in [1e-3, 1e-20, 1e-250] {
            let x = d.quantile_sf(sv);
            assert!((d.sf(x) / sv - 1.0).abs() < 1e-11, "s={sv}: {}", d.sf(x));
        }
    }

    /// The shape is solved to a few ulps: the exact quantiles hit both
    /// percentiles to about 1e-13 relative (checked at 1e-11), the drawn
    /// ones to the table's 1e-9 sd (checked at 1e-6 relative, as for every
    /// family given by percentiles).
    #[test]
    fn percentile_form_hits_its_percentiles() {
        for (a, x1, b, x2) in [
            (0.1, 80.0, 0.9, 160.0),
            (0.05, 2.0, 0.95, 200.0),
            (0.5, 10.0, 0.99, 11.0),
            (0.01, 1e-3, 0.02, 5e-3),
            (0.1, 1000.0, 0.9, 1100.0),
            (0.25, 40.0, 0.75, 400.0),
        ] {
            let d = Gamma::from_percentiles(a, x1, b, x2).unwrap();
            let rel = |x: f64, y: f64| (x / y - 1.0).abs();
            assert!(
                rel(d.exact_quantile(a), x1) < 1e-11,
                "p{a}: {}",
                d.exact_quantile(a)
            );
            assert!(
                rel(d.exact_quantile(b), x2) < 1e-11,
                "p{b}: {}",
                d.exact_quantile(b)
            );
            assert!(rel(d.quantile(a), x1) < 1e-6 && rel(d.quantile(b), x2) < 1e-6);
        }
        // The exponential: p50 at ln 2, p90 at ln 10 gives k = 1, θ = 1.
        let d = Gamma::from_percentiles(0.5, 2f64.ln(), 0.9, 10f64.ln()).unwrap();
        let (k, theta) = d.params();
        assert!(
            (k - 1.0).abs() < 1e-12 && (theta - 1.0).abs() < 1e-12,
            "{k} {theta}"
        );
    }

    /// Small shapes against mpmath: the root of
    /// `mpmath.gammainc(k, 0, x, regularized=True) = u`, by 300 bisections
    /// in ln x at 60 digits (mpmath 1.3). The table's absolute tolerance
    /// once served this tail with negative draws (shape 0.05: 37 in 200k);
    /// now every draw is within 1e-9 relative (the exact inverse 1e-12), and
    /// none leaves the support.
    #[test]
    #[allow(clippy::excessive_precision)] // 17 digits as mpmath prints them
    fn small_shapes_against_mpmath() {
        #[rustfmt::skip]
        let cases = [
            (0.05, 1e-6, 5.8446320572865841e-121), (0.05, 1e-3, 5.844632057286547e-61),
            (0.05, 1e-2, 5.844632057286532e-41), (0.05, 0.1, 5.8446320572865211e-21),
            (0.05, 0.3, 2.0378971887326644e-11), (0.05, 0.5, 5.5738784407462475e-7),
            (0.01, 1e-2, 5.6607381470619473e-201), (0.01, 0.1, 5.6607381470619398e-101),
            (0.01, 0.5, 4.4655350189103551e-31), (0.01, 0.9, 1.5035936230702949e-5),
        ];
        for (k, u, want) in cases {
            let d = Gamma::new(k, 1.0).unwrap();
            // The table: 1e-9 relative.
            for (x, tol) in [(d.exact_quantile(u), 1e-12), (d.quantile(u), 1e-9)] {
                assert!(
                    (x / want - 1.0).abs() < tol,
                    "gamma({k}) at {u}: {x:e} vs {want:e}"
                );
            }
        }
        for k in [0.01, 0.05, 0.2] {
            let d = Gamma::new(k, 3.0).unwrap();
            let n = 400_000;
            let xs: Vec<f64> = (1..n).map(|i| d.quantile(i as f64 / n as f64)).collect();
            assert!(xs.iter().all(|&x| x >= 0.0), "gamma({k}): a negative draw");
            let down = xs.windows(2).filter(|w| w[1] < w[0]).count();
            assert_eq!(down, 0, "gamma({k}): {down} downward steps");
        }
    }

    #[test]
    fn rejects_bad_parameters() {
        assert!(Gamma::new(0.0, 1.0).is_err());
        assert!(Gamma::new(1.0, -1.0).is_err());
        assert!(Gamma::new(f64::NAN, 1.0).is_err());
        assert!(Gamma::new(1.0, f64::NAN).is_err());
        assert!(Gamma::new(1e4, 1.0).is_ok());
        assert!(Gamma::new(0.01, 1.0).is_ok());
        for k in [1.0001e4, 0.0099, 5e-324, 1e300] {
            assert!(matches!(
                Gamma::new(k, 1.0),
                Err(DistError::GammaShapeLimit(_))
            ));
        }
        assert_eq!(
            Gamma::new(2.0, 0.0).err().unwrap().to_string(),
            "gamma needs shape > 0 and scale > 0 (got shape = 2, scale = 0)"
        );
        let p = Gamma::from_percentiles;
        for (a, x1, b, x2) in [
            (0.1, -1.0, 0.9, 2.0),
            (0.1, 0.0, 0.9, 2.0),
            (0.1, 3.0, 0.9, 2.0),
            (0.1, 2.0, 0.9, 2.0),
        ] {
            assert!(matches!(
                p(a, x1, b, x2),
                Err(DistError::PercentileValues { .. })
            ));
        }
        assert!(matches!(
            p(0.9, 1.0, 0.1, 2.0),
            Err(DistError::PercentileOrder { .. })
        ));
        // Too narrow for any shape up to 1e4 (that takes about 6.6e4).
        let e = p(0.1, 1000.0, 0.9, 1010.0).err().unwrap().to_string();
        assert!(e.contains("too close together"), "{e}");
        // Too wide for any shape down to 0.01.
        let e = p(0.1, 1e-200, 0.9, 1.0).err().unwrap().to_string();
        assert!(e.contains("too far apart"), "{e}");
    }
}
