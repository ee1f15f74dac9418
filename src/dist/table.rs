//! Fast quantiles for the beta family, whose exact inverse (statrs' inverse
//! regularized incomplete beta function, Newton steps on a continued
//! fraction) costs about a microsecond: fifty times a normal quantile, and
//! most of a trial's work in a scenario full of PERT estimates. With the
//! table, all but about one draw in 500 of typical PERT shapes cost a few
//! nanoseconds. The gamma family uses it too, for the same reason.
//!
//! The quantile function Q is tabulated once per distribution at equally
//! spaced probabilities, with its exact derivative Q'(u) = 1/f(Q(u)), and
//! evaluated between knots by cubic Hermite interpolation, whose error is
//! at most h⁴/384 · max|Q⁗| on an interval of width h. Near 0 and 1 the
//! derivatives of Q grow without bound, so a grid of `KNOTS` intervals over
//! [0, 1] is refined by two more grids of `KNOTS` intervals over the outer
//! `TAIL` of each end, 16 times finer. An interval of a grid serves a draw
//! only if the interpolation there, checked against the exact inverse in
//! the middle of the interval (where the error term t²(1 − t)² peaks) when
//! the table is built, is off by at most a tolerance; the outer `EDGE`
//! intervals of every grid at 0 and 1 are never used. Draws no grid serves
//! use the exact inverse. The tolerance is both absolute and relative: the
//! error may be at most `TOLERANCE` for quantiles on [0, 1] (beta, and PERT
//! through it; a family whose values have another scale passes its own:
//! gamma scales it by its standard deviation), and at most `RELATIVE` of
//! the value's distance to the nearer end of the support, so that a tail
//! where the quantiles run down to 1e-300 (a beta with α ≪ 1, a gamma with
//! a small shape) or up to within 1e-300 of 1 (a beta with β ≪ 1) is left
//! to the exact inverse instead of being served to 1e-10 absolute, which
//! there is noise, is not monotone, and may even leave the support. The tests bound the error on a fine grid
//! (below 1e-9 absolute on [0, 1], and 1e-9 relative).
//!
//! Because the knots are exact quantiles and every interval either serves
//! the interpolation accurately or hands over to the exact inverse at its
//! knots, draws are monotone in u, up to rounding. To keep rounding from
//! showing, an interval over which the quantile moves by less than
//! `MIN_RISE` ulps is left to the exact inverse too (a beta with β ≪ 1
//! has quantiles within 1e-12 of 1 over much of its range, where the
//! interpolation is exact to the last bit only most of the time).
//!
//! A table costs up to 12,000 exact quantiles, about half that for typical
//! PERT shapes (the fine grids are built only where the main grid leaves
//! draws to them, see [`fine_ranges`]): milliseconds. So it
//! is built only at a distribution's first draw ([`LazyTable`]): validating
//! a scenario builds none. Tables are shared, through a process-wide cache
//! keyed by the family and the exact bits of its parameters, by every
//! distribution of the same shape (many PERT estimates share a shape), and
//! freed when no distribution holds them any more.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex, OnceLock, PoisonError, Weak};

/// Intervals of each grid.
const KNOTS: usize = 2048;
/// Width of the refined tails, in probability.
const TAIL: f64 = 1.0 / 16.0;
/// Intervals at the ends of [0, 1] left to the exact inverse.
const EDGE: usize = 4;
/// Largest interpolation error accepted at the check points, on [0, 1].
pub(crate) const TOLERANCE: f64 = 1e-10;
/// Largest interpolation error accepted at the check points, relative to
/// the quantile's distance to the nearer end of the support.
const RELATIVE: f64 = 1e-9;

/// The least rise of the quantile over an interval the table serves, in
/// units of the rounding error of the larger end.
const MIN_RISE: f64 = 1e6;

/// The error a table accepts: `absolute`, and `RELATIVE` of the distance
/// to the nearer end of `support`.
#[derive(Debug, Clone, Copy)]
struct Accuracy {
    absolute: f64,
    support: (f64, f64),
}

impl Accuracy {
    fn accepts(&self, error: f64, exact: f64) -> bool {
        let (lo, hi) = self.support;
        error <= self.absolute && error <= RELATIVE * (exact - lo).min(hi - exact)
    }
}

/// Knots over [start, start + KNOTS · h].
#[derive(Debug, Clone, PartialEq)]
struct Grid {
    start: f64,
    /// 1 / h.
    per_h: f64,
    /// Per knot, Q and the Hermite slope Q'(u) · h side by side, so that
    /// a draw reads 32 contiguous bytes, one cache line three times in
    /// four (separate arrays cost it three or four cache misses once a
    /// run's other data has pushed the tables out of the caches).
    knots: Vec<[f64; 2]>,
    /// Per interval, one bit: whether the interpolation is accurate enough
    /// there (256 bytes a grid).
    usable: Vec<u64>,
}

impl Grid {
    /// A grid over [start, start + KNOTS · h] whose knots are computed for
    /// the intervals in `build` only (the others hold no knots and serve no
    /// draw); `skip_low` and `skip_high` intervals at its ends are never
    /// used, nor any interval whose check point is off by more than
    /// `tolerance`.
    fn new(
        start: f64,
        h: f64,
        build: Range<usize>,
        (skip_low, skip_high): (usize, usize),
        accuracy: Accuracy,
        (q, check): (&impl Fn(f64) -> f64, &impl Fn(f64, f64) -> f64),
        pdf: &impl Fn(f64) -> f64,
    ) -> Self {
        // Built on one thread: the table is built on first use, possibly
        // inside a parallel job (see `LazyTable`).
        let knot = |i: usize| (start + i as f64 * h).clamp(0.0, 1.0);
        let mut knots = vec![[f64::NAN, 0.0]; KNOTS + 1];
        if !build.is_empty() {
            for (i, k) in knots
                .iter_mut()
                .enumerate()
                .take(build.end + 1)
                .skip(build.start)
            {
                let xi = q(knot(i));
                // Unused (and possibly infinite) at the knots of the edges.
                let f = pdf(xi);
                *k = [xi, if f > 0.0 && f.is_finite() { h / f } else { 0.0 }];
            }
        }
        let mut grid = Grid {
            start,
            per_h: 1.0 / h,
            knots,
            usable: vec![0; KNOTS.div_ceil(64)],
        };
        for i in skip_low.max(build.start)..(KNOTS - skip_high).min(build.end) {
            let (a, b) = (grid.knots[i][0], grid.knots[i + 1][0]);
            if !(b - a >= MIN_RISE * f64::EPSILON * a.abs().max(b.abs())) {
                continue;
            }
            let guess = grid.hermite(i, 0.5);
            let exact = check(start + (i as f64 + 0.5) * h, guess);
            let error = (guess - exact).abs();
            if accuracy.accepts(error, exact) {
                grid.usable[i / 64] |= 1 << (i % 64);
            }
        }
        grid
    }

    /// The cubic Hermite interpolation at `t` in [0, 1] of interval `i`.
    #[inline]
    fn hermite(&self, i: usize, t: f64) -> f64 {
        let (t2, t3) = (t * t, t * t * t);
        let h00 = 2.0 * t3 - 3.0 * t2 + 1.0;
        let h10 = t3 - 2.0 * t2 + t;
        let h01 = -2.0 * t3 + 3.0 * t2;
        let h11 = t3 - t2;
        let ([x0, s0], [x1, s1]) = (self.knots[i], self.knots[i + 1]);
        h00 * x0 + h10 * s0 + h01 * x1 + h11 * s1
    }

    /// Whether interval `i` serves draws.
    #[inline]
    fn usable(&self, i: usize) -> bool {
        self.usable[i / 64] >> (i % 64) & 1 == 1
    }

    /// Q(u) when u lies in an interval this grid serves.
    #[inline]
    fn get(&self, u: f64) -> Option<f64> {
        let pos = (u - self.start) * self.per_h;
        if !(pos >= 0.0 && pos < KNOTS as f64) {
            return None;
        }
        let i = pos as usize;
        self.usable(i).then(|| self.hermite(i, pos - i as f64))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct QuantileTable {
    /// Over [0, 1].
    main: Grid,
    /// Over [0, TAIL] and [1 − TAIL, 1].
    lower: Grid,
    upper: Grid,
}

impl QuantileTable {
    /// Tabulates the quantile function `q` of a density `pdf` on [0, 1],
    /// accepting an interpolation error of `TOLERANCE`.
    #[cfg(test)]
    pub(crate) fn new(q: impl Fn(f64) -> f64, pdf: impl Fn(f64) -> f64) -> Self {
        Self::with_tolerance(TOLERANCE, (0.0, 1.0), q, pdf)
    }

    /// Tabulates the quantile function `q` of a density `pdf` on `support`,
    /// accepting an interpolation error of `tolerance` (absolute, in the
    /// units of `q`) and `RELATIVE` (of the distance to the support's ends).
    pub(crate) fn with_tolerance(
        tolerance: f64,
        support: (f64, f64),
        q: impl Fn(f64) -> f64,
        pdf: impl Fn(f64) -> f64,
    ) -> Self {
        Self::tabulate(tolerance, support, (&q, &|u, _| q(u)), pdf, false)
    }

    /// [`QuantileTable::new`], with `check(u, guess)`: the quantile at u
    /// computed from a close guess (the interpolation there), which costs
    /// less than from nothing. Each interval's check point is computed so.
    pub(crate) fn with_check(
        q: impl Fn(f64) -> f64,
        check: impl Fn(f64, f64) -> f64,
        pdf: impl Fn(f64) -> f64,
    ) -> Self {
        Self::tabulate(TOLERANCE, (0.0, 1.0), (&q, &check), pdf, false)
    }

    /// [`QuantileTable::new`] with whole fine grids, as tables were built
    /// before [`fine_ranges`]: for the test that the two serve the same
    /// draws.
    #[cfg(test)]
    pub(crate) fn with_whole_fine_grids(q: impl Fn(f64) -> f64, pdf: impl Fn(f64) -> f64) -> Self {
        Self::tabulate(TOLERANCE, (0.0, 1.0), (&q, &|u, _| q(u)), pdf, true)
    }

    /// The table; `whole`: every interval of the fine grids built.
    fn tabulate(
        tolerance: f64,
        support: (f64, f64),
        q: (&impl Fn(f64) -> f64, &impl Fn(f64, f64) -> f64),
        pdf: impl Fn(f64) -> f64,
        whole: bool,
    ) -> Self {
        let accuracy = Accuracy {
            absolute: tolerance,
            support,
        };
        #[cfg(test)]
        BUILT_HERE.with(|n| n.set(n.get() + 1));
        let h = 1.0 / KNOTS as f64;
        let fine = TAIL * h;
        let main = Grid::new(0.0, h, 0..KNOTS, (EDGE, EDGE), accuracy, q, &pdf);
        let (lower, upper) = if whole {
            (0..KNOTS, 0..KNOTS)
        } else {
            fine_ranges(&main)
        };
        QuantileTable {
            lower: Grid::new(0.0, fine, lower, (EDGE, 0), accuracy, q, &pdf),
            upper: Grid::new(1.0 - TAIL, fine, upper, (0, EDGE), accuracy, q, &pdf),
            main,
        }
    }

    /// Q(u) when u lies in an interval the table serves, else `None`.
    #[inline]
    pub(crate) fn get(&self, u: f64) -> Option<f64> {
        self.main.get(u).or_else(|| {
            if u < TAIL {
                self.lower.get(u)
            } else if u > 1.0 - TAIL {
                self.upper.get(u)
            } else {
                None
            }
        })
    }
}

/// The intervals of the fine grids that can serve a draw: a draw reaches a
/// fine grid only where the main grid leaves it (`QuantileTable::get`), so
/// each fine grid is built out from its end of [0, 1] over the main
/// intervals of its tail that the main grid does not serve, and one main
/// interval more, against rounding at their boundary (about a quarter of
/// the fine knots for typical PERT shapes: half the cost of a table). Its
/// knots are the ones a full grid would have, so its draws are the same.
fn fine_ranges(main: &Grid) -> (Range<usize>, Range<usize>) {
    // Fine intervals per main interval, and main intervals per tail.
    let per = (1.0 / TAIL) as usize;
    let tail = KNOTS / per;
    let lower = (0..tail)
        .rev()
        .find(|&i| !main.usable(i))
        .map_or(0, |i| ((i + 2) * per).min(KNOTS));
    let upper = (KNOTS - tail..KNOTS)
        .find(|&i| !main.usable(i))
        .map_or(KNOTS, |i| (i - 1).saturating_sub(KNOTS - tail) * per);
    (0..lower, upper..KNOTS)
}

/// Which table: a family and the bits of its parameters.
type Key = (&'static str, [u64; 2]);

/// The tables alive, by key.
static CACHE: Mutex<Option<HashMap<Key, Weak<QuantileTable>>>> = Mutex::new(None);

#[cfg(test)]
thread_local! {
    /// Tables built on this thread, for the tests.
    static BUILT_HERE: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The number of tables built on this thread so far.
#[cfg(test)]
pub(crate) fn built_here() -> usize {
    BUILT_HERE.with(|n| n.get())
}

/// A distribution's quantile table, built at its first use and shared with
/// every distribution of the same family and parameters. Its `Debug` shows
/// the key only, so that a scenario prints (and fingerprints, see
/// `shard`) the same before and after its tables are built.
#[derive(Clone)]
pub(crate) struct LazyTable {
    key: Key,
    cell: OnceLock<Arc<QuantileTable>>,
}

impl std::fmt::Debug for LazyTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LazyTable").field("key", &self.key).finish()
    }
}

impl LazyTable {
    /// The table of `family` with these parameters, not yet built.
    pub(crate) fn new(family: &'static str, params: [f64; 2]) -> Self {
        LazyTable {
            key: (family, params.map(f64::to_bits)),
            cell: OnceLock::new(),
        }
    }

    /// Q(u) when the table serves u, building the table first if needed.
    /// (Validation and warnings use the exact quantiles and build none.)
    #[inline]
    pub(crate) fn get(&self, u: f64, build: impl FnOnce() -> QuantileTable) -> Option<f64> {
        self.get_or_build(build).get(u)
    }

    /// The table, built by `build` (or taken from another distribution of
    /// the same parameters) on the first call.
    #[inline]
    pub(crate) fn get_or_build(&self, build: impl FnOnce() -> QuantileTable) -> &QuantileTable {
        self.cell.get_or_init(|| shared(self.key, build))
    }
}

/// The live table of `key`, or a new one from `build`. The lock is not
/// held while building, so two threads may build the same table at once;
/// both get equal tables, as building is deterministic.
fn shared(key: Key, build: impl FnOnce() -> QuantileTable) -> Arc<QuantileTable> {
    let lock = || CACHE.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(t) = lock()
        .as_ref()
        .and_then(|m| m.get(&key))
        .and_then(Weak::upgrade)
    {
        return t;
    }
    let table = Arc::new(build());
    let mut guard = lock();
    let map = guard.get_or_insert_with(HashMap::new);
    map.retain(|_, t| t.strong_count() > 0);
    match map.get(&key).and_then(Weak::upgrade) {
        Some(t) => t,
        None => {
            map.insert(key, Arc::downgrade(&table));
            table
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    /// The share of 2²⁰ evenly spread probabilities the table serves.
    pub(crate) fn coverage(t: &QuantileTable) -> f64 {
        let n = 1 << 20;
        let served = (0..n)
            .filter(|&i| t.get((i as f64 + 0.5) / n as f64).is_some())
            .count();
        served as f64 / n as f64
    }

    /// A plain check of the mechanism on a quantile with a closed form:
    /// Q(u) = u² (the density 1/(2√x) on [0, 1]).
    #[test]
    fn interpolates_a_known_quantile() {
        let t = QuantileTable::new(|u| u * u, |x| 0.5 / x.sqrt());
        // A cubic reproduces u² exactly where it is used.
        for u in [0.01, 0.3, 0.5, 0.77, 0.99] {
            let got = t.get(u).expect("interior");
            assert!((got - u * u).abs() < 1e-15, "{u}: {got}");
        }
        let tiny = TAIL / KNOTS as f64;
        assert_eq!(t.get(tiny), None, "the far ends use the exact inverse");
        assert_eq!(
            t.get(1.0 - tiny),
            None,
            "the far ends use the exact inverse"
        );
        let served = (0..KNOTS).filter(|&i| t.main.usable(i)).count();
        assert_eq!(served, KNOTS - 2 * EDGE);
        // The tails are served by the fine grids, down to their edges.
        let got = t.get(5.0 * tiny).expect("the fine lower grid");
        assert!((got - 25.0 * tiny * tiny).abs() < 1e-15);
        assert!(t.get(1.0 - 5.0 * tiny).is_some(), "the fine upper grid");
    }
}
