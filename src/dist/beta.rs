//! Beta distribution on [0, 1]. The CDF and survival function are statrs'
//! regularized incomplete beta function I_x(α, β) (a continued fraction,
//! Numerical Recipes §6.4), on the side of x = ½ where it keeps its
//! relative precision. The exact quantile is this module's own inverse of
//! it (statrs' AS 64 / AS 109 inverse loops forever for shapes such as
//! (2, 1e7) or (1e14, 10), and returns noise below about 1e-8 for α ≪ 1):
//! for a quantile below ½ it solves I_x(α, β) = u, for one above ½ it
//! solves I_y(β, α) = 1 − u for y = 1 − x, so that both tails keep their
//! relative precision (see [`inverse`]). Draws come from a quantile table
//! with cubic Hermite interpolation between knots, and from the exact
//! inverse where the table is not accurate enough (see `table`); the table
//! is built at the first draw, and shared by every beta (and PERT) of the
//! same shapes.
//!
//! The shapes must lie between 0.001 and 100000 (`SHAPES`): beyond them
//! statrs' incomplete beta function loses digits, and nearly all the
//! probability sits within a hair of 0 or 1.
//!
//! Given by two percentiles, `x1` at probability `a` and `x2` at `b`, the
//! shapes solve `I(x1; α, β) = a` and `I(x2; α, β) = b`, with I the
//! regularized incomplete beta function. Such shapes exist and are unique
//! (J. R. van Dorp and T. A. Mazzuchi, "Solving for the parameters of a
//! beta distribution under two quantile constraints", *J. Statist. Comput.
//! Simul.* 67, 2000). They are found by nested one-dimensional solves in
//! logs, each with Brent's method: I falls as α grows and rises as β grows,
//! so for each α one β puts probability `a` below `x1`; along that curve
//! the distribution narrows as α grows, and the probability below `x2`
//! rises to meet `b`.

use super::solve::brent;
use super::table::{LazyTable, QuantileTable};
use super::{Continuous, DistError, Range, Univariate, check_percentiles, finite};
use statrs::function::beta::{beta_reg, ln_beta};

/// The shapes a beta may take, as parameters or given by percentiles.
/// Below 1e-3 nearly all the probability sits within a hair of 0 and 1;
/// above 1e5 statrs' incomplete beta function loses digits (1e-9 relative
/// at 1e5, worse beyond, as its prefactor cancels terms of order α ln α).
const SHAPES: (f64, f64) = (1e-3, 1e5);

#[derive(Debug, Clone)]
pub struct Beta {
    alpha: f64,
    beta: f64,
    /// ln B(α, β).
    ln_b: f64,
    /// I_½(α, β): the quantiles at probabilities up to it lie below ½.
    below_half: f64,
    /// 1 − I_½(α, β), computed as I_½(β, α).
    above_half: f64,
    table: LazyTable,
}

/// Two betas are equal when their shapes are (the table follows from them).
impl PartialEq for Beta {
    fn eq(&self, other: &Self) -> bool {
        self.shapes() == other.shapes()
    }
}

impl Beta {
    /// The beta of shapes α and β, each from 0.001 to 100000.
    pub fn new(alpha: f64, beta: f64) -> Result<Self, DistError> {
        finite("alpha", alpha)?;
        finite("beta", beta)?;
        let inside = |s: f64| s >= SHAPES.0 && s <= SHAPES.1;
        if !(inside(alpha) && inside(beta)) {
            return Err(DistError::BetaShape { alpha, beta });
        }
        Ok(Beta {
            alpha,
            beta,
            ln_b: ln_beta(alpha, beta),
            below_half: beta_reg(alpha, beta, 0.5),
            above_half: beta_reg(beta, alpha, 0.5),
            table: LazyTable::new("beta", [alpha, beta]),
        })
    }

    /// The beta whose quantiles at probabilities `a` and `b` are `x1` and
    /// `x2` (`0 < a < b < 1`, `0 < x1 < x2 < 1`).
    pub fn from_percentiles(a: f64, x1: f64, b: f64, x2: f64) -> Result<Self, DistError> {
        check_percentiles("beta", Range::Unit, (a, x1), (b, x2))?;
        let no_fit = |why| DistError::NoFit {
            family: "beta",
            a,
            x1,
            b,
            x2,
            why,
        };
        const OUTSIDE: &str = "it would need shapes outside 0.001 to 100000";
        let (lo, hi) = (SHAPES.0.ln(), SHAPES.1.ln());
        // 1e-14 in logs: the shapes to a few ulps of their own.
        const TOL: f64 = 1e-14;
        // P(X <= x1) − a, falling in ln α and rising in ln β.
        let below_x1 = |la: f64, lb: f64| beta_reg(la.exp(), lb.exp(), x1) - a;
        // The ln α range where some β in range puts `a` below x1: from
        // where the smallest β does to where the largest does.
        let la_min = if below_x1(lo, lo) <= 0.0 {
            lo
        } else {
            brent(|la| below_x1(la, lo), lo, hi, TOL).ok_or_else(|| no_fit(OUTSIDE))?
        };
        let la_max = if below_x1(hi, hi) >= 0.0 {
            hi
        } else {
            brent(|la| below_x1(la, hi), lo, hi, TOL).ok_or_else(|| no_fit(OUTSIDE))?
        };
        // The ln β for ln α, at the edge of the range where rounding puts
        // the root just outside (NaN if the solve fails: then no fit).
        let lb_of = |la: f64| {
            if below_x1(la, lo) >= 0.0 {
                lo
            } else if below_x1(la, hi) <= 0.0 {
                hi
            } else {
                brent(|lb| below_x1(la, lb), lo, hi, TOL).unwrap_or(f64::NAN)
            }
        };
        // P(X <= x2) − b along the curve, rising in ln α.
        let below_x2 = |la: f64| beta_reg(la.exp(), lb_of(la).exp(), x2) - b;
        if !(below_x2(la_min) <= 0.0) {
            return Err(no_fit(
                "it would need shapes below 0.001 (the values are too far apart)",
            ));
        }
        if !(below_x2(la_max) >= 0.0) {
            return Err(no_fit(
                "it would need shapes above 100000 (the values are too close together, or too close to 0 or 1)",
            ));
        }
        let la = brent(below_x2, la_min, la_max, TOL)
            .ok_or_else(|| no_fit("the solver did not converge"))?;
        let (alpha, beta) = (la.exp(), lb_of(la).exp());
        // The fit is checked, not assumed.
        let (f1, f2) = (beta_reg(alpha, beta, x1), beta_reg(alpha, beta, x2));
        if !((f1 - a).abs() < 1e-9 && (f2 - b).abs() < 1e-9) {
            return Err(no_fit("the solver did not converge"));
        }
        Self::new(alpha, beta)
    }

    /// The exact quantile, bypassing the table.
    pub fn exact_quantile(&self, u: f64) -> f64 {
        self.solve(u, 1.0 - u)
    }

    /// The x with P(X ≤ x) = p and P(X > x) = q, p + q = 1, each as
    /// precise as the caller has it: below ½ on I_x(α, β), above on
    /// I_{1−x}(β, α).
    fn solve(&self, p: f64, q: f64) -> f64 {
        self.solve_with(p, q, None, None)
    }

    /// [`Beta::solve`], given the [`Ends`] of (α, β) and of (β, α) when
    /// many quantiles are wanted (a table): the same result, computed with
    /// two fewer evaluations of I per quantile; and, when given, a `guess`
    /// of the quantile to start from (a table's interpolation, checked
    /// against the quantile): Newton's steps then converge in two or three
    /// evaluations instead of five to eight, to the same root within a few
    /// ulps.
    fn solve_with(&self, p: f64, q: f64, ends: Option<&[Ends; 2]>, guess: Option<f64>) -> f64 {
        let (a, b, ln_b) = (self.alpha, self.beta, self.ln_b);
        if !(p > 0.0) {
            0.0
        } else if !(q > 0.0) {
            1.0
        } else if p <= self.below_half {
            inverse_with(a, b, ln_b, p, q, ends.map(|e| &e[0]), guess)
        } else {
            let guess = guess.map(|x| 1.0 - x);
            1.0 - inverse_with(b, a, ln_b, q, p, ends.map(|e| &e[1]), guess)
        }
    }

    /// (alpha, beta).
    pub fn shapes(&self) -> (f64, f64) {
        (self.alpha, self.beta)
    }

    /// The table, built on the first call.
    #[cfg(test)]
    fn table(&self) -> &QuantileTable {
        self.table.get_or_build(|| self.build_table())
    }

    fn build_table(&self) -> QuantileTable {
        let ends = [
            Ends::of(self.alpha, self.beta),
            Ends::of(self.beta, self.alpha),
        ];
        QuantileTable::with_check(
            |u| self.solve_with(u, 1.0 - u, Some(&ends), None),
            |u, guess| self.solve_with(u, 1.0 - u, Some(&ends), Some(guess)),
            |x| self.open_pdf(x),
        )
    }

    /// The density inside (0, 1), and 0 at the bounds and beyond (where a
    /// shape below 1 has a pole), for the quantile table.
    fn open_pdf(&self, x: f64) -> f64 {
        if !(x > 0.0 && x < 1.0) {
            return 0.0;
        }
        self.ln_pdf(x).exp()
    }
}

/// `(α − 1) ln x + (β − 1) ln(1 − x) − ln B(α, β)` on [0, 1]. At a bound a
/// shape of 1 contributes 0 (not 0 · ∞), a shape below 1 a pole (+∞), one
/// above 1 a zero (−∞).
impl Continuous for Beta {
    fn ln_pdf(&self, x: f64) -> f64 {
        if !(0.0..=1.0).contains(&x) {
            return f64::NEG_INFINITY;
        }
        let term = |shape: f64, ln: f64| {
            if shape == 1.0 {
                0.0
            } else {
                (shape - 1.0) * ln
            }
        };
        term(self.alpha, x.ln()) + term(self.beta, (-x).ln_1p()) - self.ln_b
    }
}

/// The largest number of steps [`inverse`] takes. Bisection alone narrows
/// ln x from the whole range of doubles (about 745 wide) to 1e-16 in 63
/// steps; Newton's steps, when they are taken, only shrink the bracket
/// faster.
const MAX_STEPS: usize = 200;

/// The x in [0, ½] with I_x(a, b) = p, that is 1 − I_x(a, b) = q
/// (`ln_b` = ln B(a, b)), or ½ when I_½(a, b) falls short of p by
/// rounding, or 0 when the root lies below the smallest positive double.
///
/// Newton's method on h(t) = ln(I(eᵗ) / p) in t = ln x, or on
/// h(t) = ln(S(eᵗ) / q) with S = 1 − I when q is the smaller, so that the
/// upper tail keeps its relative precision too. In the lower tail
/// I ≈ xᵃ / (a B(a, b)), a straight line in these coordinates, so the
/// first step from the power-law start t₀ = (ln p + ln a + ln B) / a is
/// nearly exact however small a is; elsewhere the curve bends gently. The
/// root stays bracketed, and a step that would leave the bracket bisects
/// it instead, so the search ends within `MAX_STEPS` whatever the shapes.
fn inverse(a: f64, b: f64, ln_b: f64, p: f64, q: f64) -> f64 {
    inverse_with(a, b, ln_b, p, q, None, None)
}

/// The smallest positive double, where [`inverse`] gives up on a root.
const TINY: f64 = 5e-324;

/// I_x(a, b).
fn cdf(a: f64, b: f64, x: f64) -> f64 {
    beta_reg(a, b, x)
}

/// 1 − I_x(a, b), from the other side where statrs computes I as a
/// complement (as in `Univariate::sf`).
fn sf(a: f64, b: f64, x: f64) -> f64 {
    if x < (a + 1.0) / (a + b + 2.0) {
        1.0 - beta_reg(a, b, x)
    } else {
        beta_reg(b, a, 1.0 - x)
    }
}

/// What [`inverse`] first checks for shapes (a, b), the same for every
/// quantile: I and 1 − I at ½ and at [`TINY`].
#[derive(Debug, Clone, Copy)]
struct Ends {
    cdf_half: f64,
    cdf_tiny: f64,
    sf_half: f64,
    sf_tiny: f64,
}

impl Ends {
    fn of(a: f64, b: f64) -> Self {
        Ends {
            cdf_half: cdf(a, b, 0.5),
            cdf_tiny: cdf(a, b, TINY),
            sf_half: sf(a, b, 0.5),
            sf_tiny: sf(a, b, TINY),
        }
    }
}

/// [`inverse`], with the [`Ends`] of (a, b) given or computed here, and
/// starting from `guess` (in (0, ½]) when one is given instead of the
/// power-law start.
fn inverse_with(
    a: f64,
    b: f64,
    ln_b: f64,
    p: f64,
    q: f64,
    ends: Option<&Ends>,
    guess: Option<f64>,
) -> f64 {
    let cdf = |x: f64| cdf(a, b, x);
    let sf = |x: f64| sf(a, b, x);
    let upper = q < p;
    let (at_half, at_tiny) = match (ends, upper) {
        (Some(e), true) => (e.sf_half >= q, e.sf_tiny <= q),
        (Some(e), false) => (e.cdf_half <= p, e.cdf_tiny >= p),
        (None, true) => (sf(0.5) >= q, sf(TINY) <= q),
        (None, false) => (cdf(0.5) <= p, cdf(TINY) >= p),
    };
    if at_half {
        return 0.5;
    }
    if at_tiny {
        return 0.0;
    }
    let (mut lo, mut hi) = (TINY.ln(), 0.5f64.ln());
    let ln_target = if upper { q.ln() } else { p.ln() };
    let start = match guess {
        Some(x) if x > 0.0 => x.ln(),
        _ => (p.ln() + a.ln() + ln_b) / a,
    };
    let mut t = start.clamp(lo, hi);
    for _ in 0..MAX_STEPS {
        let x = t.exp();
        let r = if upper { sf(x) } else { cdf(x) };
        let h = r.ln() - ln_target;
        if h == 0.0 {
            return x;
        }
        // h rises with t for I and falls for S.
        if (h > 0.0) != upper {
            hi = t;
        } else {
            lo = t;
        }
        // dh/dt = ±x f(x) / R(x), in logs.
        let slope = (a * t + (b - 1.0) * (-x).ln_1p() - ln_b - r.ln()).exp();
        let slope = if upper { -slope } else { slope };
        let mut next = t - h / slope;
        if !(next > lo && next < hi) {
            next = 0.5 * (lo + hi);
        }
        // Converged: x moves by a few ulps, or the bracket is that narrow.
        if (next - t).abs() <= 4.0 * f64::EPSILON || hi - lo <= 4.0 * f64::EPSILON {
            return next.exp();
        }
        t = next;
    }
    t.exp()
}

impl Univariate for Beta {
    fn cdf(&self, x: f64) -> f64 {
        if !(x > 0.0) {
            0.0
        } else if !(x < 1.0) {
            1.0
        } else if self.shapes() == (1.0, 1.0) {
            x
        } else {
            beta_reg(self.alpha, self.beta, x)
        }
    }

    /// I_{1−x}(β, α) where statrs computes the CDF as its complement
    /// (x at or above (α + 1)/(α + β + 2)), else 1 − I_x(α, β), so that
    /// `1 − x` does not round away a tiny x (as statrs' own `sf`).
    fn sf(&self, x: f64) -> f64 {
        if !(x > 0.0) {
            1.0
        } else if !(x < 1.0) {
            0.0
        } else if self.shapes() == (1.0, 1.0) {
            1.0 - x
        } else if x < (self.alpha + 1.0) / (self.alpha + self.beta + 2.0) {
            1.0 - beta_reg(self.alpha, self.beta, x)
        } else {
            beta_reg(self.beta, self.alpha, 1.0 - x)
        }
    }

    #[inline]
    fn quantile(&self, u: f64) -> f64 {
        self.table
            .get(u, || self.build_table())
            .unwrap_or_else(|| self.exact_quantile(u))
    }

    /// The exact inverse on the upper side where the quantile lies above ½;
    /// below, the table at 1 − s where it serves (its rounding moves the
    /// result by far less than the table's tolerance there), else the
    /// exact inverse with s as given, which keeps its precision for any s.
    fn quantile_sf(&self, s: f64) -> f64 {
        if s > 0.0 && s < self.above_half {
            1.0 - inverse(self.beta, self.alpha, self.ln_b, s, 1.0 - s)
        } else {
            self.table
                .get(1.0 - s, || self.build_table())
                .unwrap_or_else(|| self.solve(1.0 - s, s))
        }
    }

    fn exact_quantile(&self, u: f64) -> f64 {
        Beta::exact_quantile(self, u)
    }

    fn prepare(&self) {
        self.table.get_or_build(|| self.build_table());
    }

    fn exact_quantile_sf(&self, s: f64) -> f64 {
        if s > 0.0 && s < self.above_half {
            1.0 - inverse(self.beta, self.alpha, self.ln_b, s, 1.0 - s)
        } else {
            self.solve(1.0 - s, s)
        }
    }

    fn support(&self) -> (f64, f64) {
        (0.0, 1.0)
    }

    fn mean(&self) -> f64 {
        self.alpha / (self.alpha + self.beta)
    }

    fn variance(&self) -> f64 {
        let s = self.alpha + self.beta;
        self.alpha * self.beta / (s * s * (s + 1.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dist::testutil::*;
    use statrs::statistics::Distribution;

    #[test]
    fn against_statrs_and_quadrature() {
        for (a, b) in [(2.0, 18.0), (0.5, 0.5), (5.0, 1.0), (1.0, 1.0)] {
            let d = Beta::new(a, b).unwrap();
            let s = statrs::distribution::Beta::new(a, b).unwrap();
            assert!((d.mean() - s.mean().unwrap()).abs() < 1e-12);
            assert!((d.variance() - s.variance().unwrap()).abs() < 1e-12);
            assert_inverse(&d, 1e-9);
            let (m, v) = moments_by_quantile(&d, 200_000);
            assert!((m - d.mean()).abs() < 1e-4, "({a},{b}) mean {m}");
            assert!((v / d.variance() - 1.0).abs() < 2e-3, "({a},{b}) var {v}");
        }
        // Beta(1,1) is uniform: quantiles are exact.
        let d = Beta::new(1.0, 1.0).unwrap();
        for u in [0.05, 0.5, 0.95] {
            assert!((d.quantile(u) - u).abs() < 1e-9);
        }
    }

    /// The table against the exact inverse, on a fine grid and near the
    /// edges of the tabulated range, for the shapes scenarios use: PERT
    /// shapes (α + β = 6, from a mode at an end to the middle), beta inputs
    /// for rates (2, 18), U-shaped (0.5, 0.5), J-shaped (5, 1), uniform.
    #[test]
    fn precomputed_ends_give_the_same_quantiles() {
        // The table's knots use `solve_with` and the given ends; any other
        // quantile computes them: the two must agree to the bit.
        for (a, b) in [(2.2, 3.8), (0.5, 0.5), (2.0, 18.0), (1e-3, 2.0), (3.0, 1e-3)] {
            let d = Beta::new(a, b).unwrap();
            let ends = [Ends::of(a, b), Ends::of(b, a)];
            let us = (1..2000)
                .map(|i| i as f64 / 2000.0)
                .chain([1e-300, 1e-20, 1e-9, 0.5, 1.0 - 1e-9, 1.0 - 1e-16]);
            for u in us {
                let given = d.solve_with(u, 1.0 - u, Some(&ends), None);
                assert_eq!(given.to_bits(), d.solve(u, 1.0 - u).to_bits(), "{a}, {b}: {u}");
                // From a guess as close as a table's interpolation (and a
                // poor one), Newton's steps end at the same root: within a
                // few ulps (of 1 − x where x is near 1), and within 1e-11
                // relative where the root is ill-conditioned (α = 0.001: x
                // moves by 1000 times the relative rounding of I), 100
                // times below the tables' relative tolerance.
                for off in [1e-10, -1e-10, 0.3] {
                    let guess = (given * (1.0 + off)).min(1.0);
                    let got = d.solve_with(u, 1.0 - u, Some(&ends), Some(guess));
                    let (x, y) = (given.min(1.0 - given), got.min(1.0 - got));
                    assert!(
                        (got - given).abs() <= 1e-11 * x.max(y) + 4.0 * f64::EPSILON * given,
                        "{a}, {b}: {u} from {guess}: {got} against {given}"
                    );
                }
            }
        }
    }

    #[test]
    fn table_matches_the_exact_inverse() {
        let shapes = [
            (1.0, 5.0),
            (2.2, 3.8),
            (3.0, 3.0),
            (3.86, 2.14),
            (5.0, 1.0),
            (2.0, 18.0),
            (0.5, 0.5),
            (1.0, 1.0),
            (20.0, 30.0),
        ];
        for (a, b) in shapes {
            let d = Beta::new(a, b).unwrap();
            let mut worst = 0.0f64;
            let n = 200_000;
            for i in 0..=n {
                let u = (i as f64 + 0.5) / (n as f64 + 1.0);
                worst = worst.max((d.quantile(u) - d.exact_quantile(u)).abs());
            }
            // The tails, where the fine grids serve, just as finely.
            for i in 0..=n {
                let v = (i as f64 + 0.5) / (n as f64 + 1.0) / 8.0;
                for u in [v, 1.0 - v] {
                    worst = worst.max((d.quantile(u) - d.exact_quantile(u)).abs());
                }
            }
            // Where one grid hands over to another.
            for k in [4.0 / 2048.0, 1.0 / 16.0, 4.0 / 2048.0 / 16.0] {
                for du in [-1e-12, 0.0, 1e-12] {
                    for u in [k + du, 1.0 - k + du] {
                        worst = worst.max((d.quantile(u) - d.exact_quantile(u)).abs());
                    }
                }
            }
            assert!(worst < 1e-9, "beta({a}, {b}): table error {worst:e}");
        }
    }

    /// The fine grids are built only where the main grid leaves draws to
    /// them (`table::fine_ranges`), and the check points are solved from
    /// the interpolation (`Beta::solve_with`): every draw is the same, to
    /// the bit, as from fine grids built whole and checked against the
    /// quantile solved from the power-law start. Checked on a grid of 2²⁰ probabilities
    /// per tail and around every main knot of the tails, where the grids
    /// hand over to each other.
    #[test]
    fn fine_grids_built_where_needed_serve_the_same_draws() {
        use crate::dist::table::QuantileTable;
        for (a, b) in [
            (2.2, 3.8),
            (3.86, 2.14),
            (2.0, 18.0),
            (1.0, 5.0),
            (0.5, 0.5),
            (0.01, 3.0),
            (40.0, 1.5),
        ] {
            let d = Beta::new(a, b).unwrap();
            let ends = [Ends::of(a, b), Ends::of(b, a)];
            let q = |u: f64| d.solve_with(u, 1.0 - u, Some(&ends), None);
            let pdf = |x: f64| d.open_pdf(x);
            let check = |u: f64, guess: f64| d.solve_with(u, 1.0 - u, Some(&ends), Some(guess));
            let needed = QuantileTable::with_check(q, check, pdf);
            let whole = QuantileTable::with_whole_fine_grids(q, pdf);
            // For PERT-like shapes most fine knots are left out (for
            // beta(0.01, 3) none: the main grid serves none of its lower tail).
            if a > 1.0 && b > 1.0 {
                assert!(needed != whole, "beta({a}, {b}): some fine knots are left out");
            }
            let n = 1 << 20;
            let mut probabilities: Vec<f64> = (0..n)
                .flat_map(|i| {
                    let v = (i as f64 + 0.5) / n as f64 / 16.0;
                    [v, 1.0 - v]
                })
                .collect();
            for k in 0..=128 {
                let edge = k as f64 / 2048.0;
                for du in [-1e-15, -1e-12, 0.0, 1e-12, 1e-15] {
                    probabilities.extend([edge + du, 1.0 - edge + du]);
                }
            }
            for u in probabilities.into_iter().filter(|u| *u > 0.0 && *u < 1.0) {
                assert_eq!(
                    needed.get(u).map(f64::to_bits),
                    whole.get(u).map(f64::to_bits),
                    "beta({a}, {b}) at u = {u:e}"
                );
            }
        }
    }

    /// The table serves all but about one draw in 500 of the shapes
    /// scenarios use (the rest take the exact inverse, 20 to 50 times
    /// slower).
    #[test]
    fn table_serves_nearly_every_draw() {
        for (a, b) in [
            (2.2, 3.8),
            (3.0, 3.0),
            (3.86, 2.14),
            (2.0, 18.0),
            (1.0, 5.0),
        ] {
            let d = Beta::new(a, b).unwrap();
            let served = crate::dist::table::tests::coverage(d.table());
            assert!(served > 0.997, "beta({a}, {b}): {served}");
        }
    }

    /// The shapes are solved to a few ulps on statrs' incomplete beta
    /// function: the exact quantiles hit both percentiles to a few 1e-12
    /// relative (checked at 1e-9), the drawn ones to the table's 1e-9
    /// absolute (checked at 1e-6 relative, as for every family given by
    /// percentiles). The cases: a conversion rate, a tiny rate with large
    /// shapes, the uniform, a narrow interval, a J shape, a U shape, and
    /// skewed pairs.
    #[test]
    fn percentile_form_hits_its_percentiles() {
        for (a, x1, b, x2) in [
            (0.1, 0.02, 0.9, 0.05),
            (0.05, 0.001, 0.95, 0.002),
            (0.1, 0.1, 0.9, 0.9),
            (0.1, 0.45, 0.9, 0.46),
            (0.01, 0.3, 0.99, 0.99),
            (0.5, 0.5, 0.6, 0.99),
            (0.25, 0.6, 0.75, 0.8),
            (0.01, 1e-6, 0.5, 0.2),
        ] {
            let d = Beta::from_percentiles(a, x1, b, x2).unwrap();
            let rel = |x: f64, y: f64| (x / y - 1.0).abs();
            let (qa, qb) = (d.exact_quantile(a), d.exact_quantile(b));
            assert!(
                rel(qa, x1) < 1e-9 && rel(qb, x2) < 1e-9,
                "{:?}: {qa} {qb}",
                d.shapes()
            );
            assert!(rel(d.quantile(a), x1) < 1e-6 && rel(d.quantile(b), x2) < 1e-6);
        }
        // p10 = 0.1 and p90 = 0.9 are the uniform's: Beta(1, 1).
        let d = Beta::from_percentiles(0.1, 0.1, 0.9, 0.9).unwrap();
        let (al, be) = d.shapes();
        assert!(
            (al - 1.0).abs() < 1e-9 && (be - 1.0).abs() < 1e-9,
            "{al} {be}"
        );
    }

    #[test]
    fn percentile_form_rejects_what_no_beta_fits() {
        let p = Beta::from_percentiles;
        for (x1, x2) in [(0.0, 0.5), (-0.1, 0.5), (0.5, 1.0), (0.6, 0.5), (0.5, 0.5)] {
            assert!(
                matches!(p(0.1, x1, 0.9, x2), Err(DistError::PercentileValues { .. })),
                "{x1} {x2}"
            );
        }
        assert!(matches!(
            p(0.9, 0.1, 0.1, 0.2),
            Err(DistError::PercentileOrder { .. })
        ));
        // Too narrow for shapes up to 1e5.
        let e = p(0.1, 0.5, 0.9, 0.5000001).err().unwrap().to_string();
        assert!(e.contains("too close together"), "{e}");
        // Too wide for shapes down to 1e-3: 80% of the probability within
        // 1e-300 of 0 and 1.
        let e = p(0.1, 1e-300, 0.9, 1.0 - 1e-16).err().unwrap().to_string();
        assert!(e.starts_with("no beta distribution has"), "{e}");
    }

    /// Draws of small shapes against mpmath: each reference is the root of
    /// `mpmath.betainc(a, b, 0, x, regularized=True) = u` (for u > ½ the
    /// root y of `betainc(b, a, 0, y, regularized=True) = 1 − u`, and
    /// x = 1 − y), found by 300 bisections in ln x at 60 digits (mpmath
    /// 1.3). The power-law tail runs from 1e-301 to 1e-8 for α = 0.01,
    /// where statrs' inverse returned noise of 1e-18 to 1e-8, and where
    /// the table must not serve. statrs' incomplete beta function is
    /// accurate to about 1e-15 relative there, which moves x by 1e-15 / α:
    /// checked at 1e-12 relative.
    #[test]
    #[allow(clippy::excessive_precision)] // 17 digits as mpmath prints them
    fn small_shapes_against_mpmath() {
        #[rustfmt::skip]
        let cases = [
            (0.01, 2.0, 1e-3, 3.6971121232912535e-301),
            (0.01, 2.0, 1e-2, 3.6971121232912358e-201),
            (0.01, 2.0, 0.05, 2.9165072162831016e-131),
            (0.01, 2.0, 0.1, 3.6971121232912309e-101),
            (0.01, 2.0, 0.3, 1.9054084799700748e-53),
            (0.01, 2.0, 0.5, 2.9165072162830714e-31),
            (0.01, 2.0, 0.85, 3.2341131264061978e-8),
            (0.01, 2.0, 0.99, 1.5830981524637404e-1),
            (0.01, 2.0, 0.999999, 9.8599332307781228e-1),
            (0.2, 3.0, 1e-12, 2.4953435372426371e-61),
            (0.2, 3.0, 1e-6, 2.4953435372426272e-31),
            (0.2, 3.0, 1e-3, 2.4953435372426243e-16),
            (0.2, 3.0, 1e-2, 2.4953435373464007e-11),
            (0.2, 3.0, 0.06, 1.9403797620720169e-7),
            (0.2, 3.0, 0.5, 7.9012290908642219e-3),
            (0.2, 3.0, 0.9, 2.0598151392294754e-1),
            (0.2, 3.0, 1.0 - 1e-9, 9.9775278962892641e-1),
            (2.2, 3.8, 1e-12, 1.2034042542013051e-6),
            (2.2, 3.8, 1e-6, 6.4258123907625458e-4),
            (2.2, 3.8, 1e-2, 4.3930331711178501e-2),
            (2.2, 3.8, 0.5, 3.5099948494911802e-1),
            (2.2, 3.8, 0.99, 8.0506989589254716e-1),
        ];
        for (a, b, u, want) in cases {
            let d = Beta::new(a, b).unwrap();
            // The table: 1e-9 of the distance to the nearer end.
            for (how, x, tol) in [
                ("exact", d.exact_quantile(u), 1e-12),
                ("drawn", d.quantile(u), 1e-9),
            ] {
                // Above ½, x is 1 − y and carries the absolute error of y.
                let err = if want > 0.5 {
                    (x - want).abs() / (1.0 - want)
                } else {
                    (x / want - 1.0).abs()
                };
                assert!(err < tol, "beta({a}, {b}) {how} at {u}: {x:e} vs {want:e}");
            }
        }
        // At the corner of the accepted shapes, statrs' prefactor cancels
        // ln Γ(a + b) ≈ 1.05e6 against ln Γ(b): the CDF is good to about
        // 1.05e6 · 2.2e-16 = 2.3e-10 relative, which moves x by that over
        // α = 0.001: 2.3e-7 relative (the median here is 5.2e-307).
        let d = Beta::new(0.001, 1e5).unwrap();
        let (x, want) = (d.quantile(0.5), 5.2442326031979803e-307);
        assert!((x / want - 1.0).abs() < 2.3e-7, "{x:e} vs {want:e}");
    }

    /// Draws are monotone in u, over a fine grid across (0, 1) and over
    /// the tails down to 1e-300, for small, uneven and PERT shapes.
    #[test]
    fn draws_are_monotone_in_u() {
        for (a, b) in [
            (0.01, 2.0),
            (0.2, 3.0),
            (2.0, 0.01),
            (1e-3, 1e5),
            (2.2, 3.8),
            (0.5, 0.5),
        ] {
            let d = Beta::new(a, b).unwrap();
            let n = 400_000;
            let grid = (1..n).map(|i| i as f64 / n as f64);
            let tails = (1..=3000).map(|i| 10f64.powf(-0.1 * i as f64));
            let mut us: Vec<f64> = grid
                .chain(tails.clone())
                .chain(tails.map(|t| 1.0 - t))
                .collect();
            us.sort_by(f64::total_cmp);
            us.dedup();
            let xs: Vec<f64> = us.iter().map(|&u| d.quantile(u)).collect();
            let down = xs.windows(2).filter(|w| w[1] < w[0]).count();
            assert_eq!(down, 0, "beta({a}, {b}): {down} downward steps");
            assert!(xs.iter().all(|x| (0.0..=1.0).contains(x)), "beta({a}, {b})");
        }
    }

    /// Conditioned on a far upper tail: beta(2, 18) on [0.6, 1] keeps
    /// S(0.6) = 8.108898254848e-7 of the probability. The conditional
    /// quantile at u is 1 − y with I_y(18, 2) = S(0.6) (1 − u), from mpmath
    /// as above. Through the survival function the error is a few 1e-16;
    /// checked at 1e-12 (the docs promise 1e-9).
    #[test]
    #[allow(clippy::excessive_precision)] // 17 digits as mpmath prints them
    fn far_upper_truncation_against_mpmath() {
        let d = crate::dist::Dist::truncated(
            crate::dist::Family::Beta(Beta::new(2.0, 18.0).unwrap()),
            Some(0.6),
            None,
        )
        .unwrap();
        let kept = d.kept_mass().unwrap();
        assert!((kept / 8.108898254848e-7 - 1.0).abs() < 1e-12, "{kept:e}");
        for (u, want) in [
            (1e-6, 0.60000002300196012),
            (0.1, 0.60241576007333071),
            (0.5, 0.61561344162960172),
            (0.9, 0.64945012355927565),
            (0.999, 0.73021242436847977),
        ] {
            let x = d.quantile(u);
            assert!((x - want).abs() < 1e-12, "u = {u}: {x} vs {want}");
        }
    }

    /// At the corners of the accepted shapes, the exact inverse and the
    /// CDF agree, and draws stay in [0, 1]. The tolerance is statrs'
    /// accuracy there: its continued fraction, cut at 140 terms, is off by
    /// up to 6e-7 of the CDF at the centre of beta(1e5, 1e5) (scipy's
    /// `betainc(1e5, 1e5, 0.5)` is 0.49999999999999895, statrs gives
    /// 0.49999969504052444), which moves x there by only 6e-7 / f = 2e-9.
    #[test]
    fn corners_of_the_shapes_round_trip() {
        let (lo, hi) = SHAPES;
        for (a, b) in [(lo, lo), (lo, hi), (hi, lo), (hi, hi), (lo, 1.0), (1.0, hi)] {
            let d = Beta::new(a, b).unwrap();
            for u in [1e-300, 1e-12, 0.01, 0.3, 0.5, 0.7, 0.99, 1.0 - 1e-12] {
                let x = d.exact_quantile(u);
                assert!((0.0..=1.0).contains(&x), "beta({a}, {b}) at {u}: {x}");
                // Where x is a normal double away from 0 and 1, the CDF
                // returns u (the tails of tiny shapes underflow to 0 or 1).
                if x > 1e-290 && x < 1.0 - 1e-9 {
                    let back = if u <= 0.5 {
                        d.cdf(x) / u
                    } else {
                        d.sf(x) / (1.0 - u)
                    };
                    assert!((back - 1.0).abs() < 1e-6, "beta({a}, {b}) at {u}: {back}");
                }
                assert!((0.0..=1.0).contains(&d.quantile(u)));
            }
        }
    }

    #[test]
    fn rejects_bad_shapes() {
        assert!(Beta::new(0.0, 1.0).is_err());
        assert!(Beta::new(1.0, -2.0).is_err());
        assert!(Beta::new(f64::NAN, 1.0).is_err());
        // Outside [0.001, 100000]: statrs panicked on the first and looped
        // forever on the others.
        for (a, b) in [
            (2.0, 1e-310),
            (2.0, 1e7),
            (1e14, 10.0),
            (5e-324, 1.0),
            (1e300, 1e300),
        ] {
            assert!(
                matches!(Beta::new(a, b), Err(DistError::BetaShape { .. })),
                "({a}, {b})"
            );
        }
        assert!(Beta::new(1e-3, 1e5).is_ok() && Beta::new(1e5, 1e-3).is_ok());
    }
}
