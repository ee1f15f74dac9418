//! A fixed-bin histogram sketch for percentiles of runs too large to keep:
//! the metrics' beyond the kept trials. (The fan chart's months use
//! [`MonthSketch`](super::MonthSketch), on the same grid, counts only.)
//!
//! The bins of a sketch are laid out once, from a pilot sample (the first
//! trials of the run, which are the same whatever the thread count): a dense
//! grid of `BINS` equal bins over the pilot's 1st to 99th percentile, widened
//! by a quarter of that range on each side, plus an underflow and an overflow
//! bin, and a count of +∞ values (censored paybacks). Each bin also records
//! the least and largest value it has seen. Counts are integers, so merging sketches in any order
//! gives the same result, and sketches from different machines merge as
//! long as they share the pilot.
//!
//! A percentile is estimated as the numpy-linear interpolation between two
//! order statistics, each placed inside its bin as if the bin's values were
//! evenly spread between its least and largest value. The error is at most
//! one bin width (0.12% of the pilot's 1–99% range) inside the dense grid,
//! where percentiles from p5 to p95 fall unless the pilot was wildly
//! unrepresentative; a value that many trials share exactly (a fixed cost
//! in month 0, a payback of exactly 0) is reported exactly.

use super::quantile::{percentile_by, percentile_sorted};

/// Dense bins per sketch.
pub const BINS: usize = 2048;

/// Bin 0 holds values below the grid, bin `BINS + 1` values above it.
pub(super) const SLOTS: usize = BINS + 2;

/// One bin: how many values, and the smallest and largest of them. Order
/// statistics are spread between those two, so a bin holding a single value
/// (an atom, like a fixed up-front cost) reports it exactly.
///
/// The two are held as the pair (largest, −least), so that an insert
/// updates both with one two-lane maximum. Files hold them as `least` and
/// `most` ([`StoredBin`]).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(from = "StoredBin", into = "StoredBin")]
struct Bin {
    count: u32,
    /// The largest value and the least value negated (exact).
    top: [f64; 2],
}

/// A bin as shard files hold it.
#[derive(serde::Serialize, serde::Deserialize)]
struct StoredBin {
    count: u32,
    least: f64,
    most: f64,
}

impl From<StoredBin> for Bin {
    fn from(b: StoredBin) -> Bin {
        Bin {
            count: b.count,
            top: [b.most, -b.least],
        }
    }
}

impl From<Bin> for StoredBin {
    fn from(b: Bin) -> StoredBin {
        StoredBin {
            count: b.count,
            least: b.least(),
            most: b.most(),
        }
    }
}

impl Bin {
    const EMPTY: Bin = Bin {
        count: 0,
        top: [f64::NEG_INFINITY, f64::NEG_INFINITY],
    };

    fn least(&self) -> f64 {
        -self.top[1]
    }

    fn most(&self) -> f64 {
        self.top[0]
    }

    /// Takes in `x`, or another bin's (largest, −least) as `pair`: each
    /// lane keeps the larger, as `if new > old { new } else { old }` (one
    /// `maxpd`; no value is NaN).
    #[inline]
    fn widen(&mut self, pair: [f64; 2]) {
        let [a, b] = self.top;
        self.top = [
            if pair[0] > a { pair[0] } else { a },
            if pair[1] > b { pair[1] } else { b },
        ];
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Sketch {
    lo: f64,
    width: f64,
    /// 1 / width: inserts multiply rather than divide.
    per_width: f64,
    /// Count, least and largest value of each bin, side by side so that an
    /// insert touches one cache line.
    bins: Vec<Bin>,
    infinite: u64,
}

impl Sketch {
    /// An empty sketch whose bins fit the pilot values (ascending, may end in +∞).
    pub fn from_pilot(sorted_pilot: &[f64]) -> Self {
        let (lo, width) = layout(sorted_pilot);
        Sketch {
            lo,
            width,
            per_width: 1.0 / width,
            bins: vec![Bin::EMPTY; SLOTS],
            infinite: 0,
        }
    }

    /// Whether the sketch has its bins (a sketch read from a file).
    pub fn is_well_formed(&self) -> bool {
        self.bins.len() == SLOTS && self.width > 0.0 && self.per_width == 1.0 / self.width
    }

    /// Whether `o` has the same bins, so that the two can merge.
    pub fn same_bins(&self, o: &Sketch) -> bool {
        self.lo == o.lo && self.width == o.width && self.bins.len() == o.bins.len()
    }

    /// A sketch with the same bins and no values.
    pub fn empty_like(&self) -> Self {
        Sketch {
            lo: self.lo,
            width: self.width,
            per_width: self.per_width,
            bins: vec![Bin::EMPTY; SLOTS],
            infinite: 0,
        }
    }

    #[inline]
    fn slot(&self, x: f64) -> usize {
        slot_of(x, self.lo, self.per_width)
    }

    /// Counts `x` in `slot`. A bin's ends are kept as +0.0 for either
    /// zero (`x + 0.0`): the comparisons take −0.0 and +0.0 as equal and
    /// would keep whichever came first, and threads flush in any order.
    #[inline]
    fn add(&mut self, slot: usize, x: f64) {
        let x = x + 0.0;
        let b = &mut self.bins[slot];
        b.count += 1;
        b.widen([x, -x]);
    }

    #[inline]
    pub fn insert(&mut self, x: f64) {
        if x == f64::INFINITY {
            self.infinite += 1;
            return;
        }
        self.add(self.slot(x), x);
    }

    /// Inserts many values: first every value's slot (a loop the compiler
    /// vectorizes), then the updates. The bins are read in order first,
    /// which the processor prefetches, so that the updates, which land in
    /// bins at random, find them in cache.
    pub fn insert_all(&mut self, values: &[f64]) {
        let warm = self
            .bins
            .iter()
            .step_by(2)
            .map(|b| b.count)
            .fold(0, u32::wrapping_add);
        std::hint::black_box(warm);
        let mut slots = [0u16; 512];
        for part in values.chunks(slots.len()) {
            for (s, &x) in slots.iter_mut().zip(part) {
                *s = self.slot(x) as u16;
            }
            for (&s, &x) in slots.iter().zip(part) {
                if x == f64::INFINITY {
                    self.infinite += 1;
                } else {
                    self.add(usize::from(s), x);
                }
            }
        }
    }

    pub fn merge(&mut self, o: &Sketch) {
        debug_assert!(self.lo == o.lo && self.width == o.width);
        for i in 0..SLOTS {
            let (b, c) = (&mut self.bins[i], &o.bins[i]);
            b.count += c.count;
            b.widen(c.top);
        }
        self.infinite += o.infinite;
    }

    pub fn count(&self) -> u64 {
        self.infinite + self.bins.iter().map(|b| u64::from(b.count)).sum::<u64>()
    }

    /// Estimate of how many values are <= x: whole bins below x, and the
    /// share of x's bin between its least and largest value.
    pub fn count_le(&self, x: f64) -> f64 {
        let mut n = 0.0;
        for i in 0..SLOTS {
            let c = f64::from(self.bins[i].count);
            if c == 0.0 {
                continue;
            }
            let (a, b) = (self.bins[i].least(), self.bins[i].most());
            if x >= b {
                n += c;
            } else if x >= a {
                // Values spread evenly from a to b, as in `order_statistic`.
                n += if c == 1.0 {
                    1.0
                } else {
                    ((x - a) / (b - a) * (c - 1.0)).floor() + 1.0
                };
            } else {
                break;
            }
        }
        n
    }

    /// Estimate of the order statistic of 0-based rank `k`: the values of
    /// its bin taken as evenly spread from the bin's least to its largest
    /// value, so the bin's first and last order statistics are exact.
    fn order_statistic(&self, k: u64) -> f64 {
        let mut before = 0u64;
        for i in 0..SLOTS {
            let c = u64::from(self.bins[i].count);
            if k < before + c {
                let j = (k - before) as f64;
                let (a, b) = (self.bins[i].least(), self.bins[i].most());
                return if c == 1 {
                    a
                } else {
                    a + (b - a) * j / (c - 1) as f64
                };
            }
            before += c;
        }
        f64::INFINITY
    }

    /// The q-percentile (numpy-linear), `None` when empty or beyond +∞.
    pub fn percentile(&self, q: f64) -> Option<f64> {
        percentile_by(self.count() as usize, q, |k| self.order_statistic(k as u64))
    }

    /// The order statistic of 0-based rank `k`, for confidence intervals.
    pub fn rank_value(&self, k: u64) -> Option<f64> {
        let x = self.order_statistic(k.min(self.count().saturating_sub(1)));
        x.is_finite().then_some(x)
    }
}

/// The grid of a sketch for the pilot values `sorted_pilot` (ascending,
/// may end in +∞): its lower end and bin width. `BINS` equal bins over the
/// pilot's 1st to 99th percentile, widened by a quarter of that range on
/// each side; a (nearly) constant pilot gets a narrow grid centred on its
/// value.
pub(super) fn layout(sorted_pilot: &[f64]) -> (f64, f64) {
    let finite: Vec<f64> = sorted_pilot
        .iter()
        .copied()
        .filter(|x| x.is_finite())
        .collect();
    let (lo, hi) = match (
        percentile_sorted(&finite, 0.01),
        percentile_sorted(&finite, 0.99),
    ) {
        (Some(a), Some(b)) if b > a => {
            let pad = 0.25 * (b - a);
            (a - pad, b + pad)
        }
        (Some(a), _) => {
            // (Nearly) constant pilot: a narrow grid centred on its value.
            let (mn, mx) = (finite[0], finite[finite.len() - 1]);
            let half = ((mx - mn).max(a.abs() * 1e-9)).max(1e-9);
            (a - half, a + half)
        }
        _ => (-1.0, 1.0),
    };
    (lo, (hi - lo) / BINS as f64)
}

/// The slot of a value on the grid starting at `lo` with bins of width
/// 1 / `per_width`: 0 below the grid, `SLOTS - 1` above (and for +∞ and
/// NaN). Without branches, so that the loops that slot a batch of values
/// are vectorized: the position is clamped to [−0.5, BINS] (a NaN to
/// BINS), truncated, and moved up one slot unless it was below the grid.
#[inline]
pub(super) fn slot_of(x: f64, lo: f64, per_width: f64) -> usize {
    const TOP: f64 = BINS as f64;
    let pos = (x - lo) * per_width;
    let clamped = if pos < TOP { pos } else { TOP };
    let clamped = if clamped > -0.5 { clamped } else { -0.5 };
    let below = i32::from(pos < 0.0);
    debug_assert!((-0.5..=TOP).contains(&clamped));
    // SAFETY: `clamped` lies in [−0.5, BINS] (a NaN `pos` became BINS), so
    // it truncates toward zero to 0..=BINS, an i32: without the checks of
    // `as` (saturation, NaN) the loops over a batch use packed conversions.
    let slot = unsafe { clamped.to_int_unchecked::<i32>() };
    (slot + 1 - below) as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dist::normal::std_normal_quantile;
    use crate::stats::PERCENTILES;

    fn exact_and_sketch(xs: &[f64], pilot: usize) -> (Vec<f64>, Sketch) {
        let mut sorted = xs.to_vec();
        sorted.sort_by(f64::total_cmp);
        let mut p = xs[..pilot].to_vec();
        p.sort_by(f64::total_cmp);
        let mut s = Sketch::from_pilot(&p);
        xs.iter().for_each(|&x| s.insert(x));
        (sorted, s)
    }

    /// Skewed data (lognormal-like, with a long right tail): the sketch's
    /// p5..p95 stay within 0.1% of the exact p5–p95 spread.
    #[test]
    fn close_to_exact_on_skewed_data() {
        let n = 200_000;
        let xs: Vec<f64> = (0..n)
            .map(|i| {
                let u = crate::sampling::keyed::StreamKey::new(1, "t").uniform(i as u64, 0);
                (1.2 * std_normal_quantile(u)).exp() * 1e5 - 3e5
            })
            .collect();
        let (sorted, s) = exact_and_sketch(&xs, 4096);
        let spread =
            percentile_sorted(&sorted, 0.95).unwrap() - percentile_sorted(&sorted, 0.05).unwrap();
        for (name, q) in PERCENTILES {
            let e = percentile_sorted(&sorted, q).unwrap();
            let a = s.percentile(q).unwrap();
            assert!((a - e).abs() <= 1e-3 * spread, "{name}: {a} vs {e}");
        }
    }

    #[test]
    fn count_le_matches_exact_counts_closely() {
        let xs: Vec<f64> = (0..20_000)
            .map(|i| ((i * 7919) % 20_000) as f64 * 0.5)
            .collect();
        let (sorted, s) = exact_and_sketch(&xs, 4096);
        for x in [-1.0, 0.0, 17.3, 2500.0, 9999.5, 20_000.0] {
            let exact = sorted.partition_point(|y| *y <= x) as f64;
            // Within one bin's worth of values (20000 / 2048 ≈ 10).
            assert!(
                (s.count_le(x) - exact).abs() <= 12.0,
                "x = {x}: {} vs {exact}",
                s.count_le(x)
            );
        }
    }

    #[test]
    fn infinities_are_beyond() {
        let mut xs: Vec<f64> = (0..1000).map(|i| i as f64).collect();
        xs.extend(std::iter::repeat_n(f64::INFINITY, 1000));
        let (_, s) = exact_and_sketch(&xs, 2000);
        assert!(s.percentile(0.25).is_some());
        assert_eq!(s.percentile(0.75), None);
    }

    #[test]
    fn merge_in_any_order_is_identical() {
        let xs: Vec<f64> = (0..3000).map(|i| ((i * 7919) % 1000) as f64).collect();
        let (_, whole) = exact_and_sketch(&xs, 500);
        let mut p = xs[..500].to_vec();
        p.sort_by(f64::total_cmp);
        let base = Sketch::from_pilot(&p);
        let (mut a, mut b) = (base.empty_like(), base.empty_like());
        xs[..1700].iter().for_each(|&x| a.insert(x));
        xs[1700..].iter().for_each(|&x| b.insert(x));
        let mut ab = a.clone();
        ab.merge(&b);
        b.merge(&a);
        assert_eq!(ab, b);
        assert_eq!(ab, whole);
    }

    #[test]
    fn batch_inserts_equal_single_inserts() {
        let pilot: Vec<f64> = (0..1000).map(|i| i as f64).collect();
        let base = Sketch::from_pilot(&pilot);
        // Inside, below and above the grid, on bin edges, and censored.
        let mut xs: Vec<f64> = (0..5000)
            .map(|i| ((i * 7919) % 2400) as f64 - 700.0)
            .collect();
        xs.extend([f64::INFINITY, base.lo, base.lo + base.width, -1e300, 1e300]);
        let (mut one, mut batch) = (base.empty_like(), base.empty_like());
        xs.iter().for_each(|&x| one.insert(x));
        batch.insert_all(&xs);
        assert_eq!(one, batch);
        assert_eq!(batch.count(), xs.len() as u64);
        assert_eq!(batch.bins[0].least(), -1e300);
        assert_eq!(batch.bins[SLOTS - 1].most(), 1e300);
        assert_eq!(batch.bins[1].least(), base.lo);
    }

    /// Every bit of a sketch's bins: `PartialEq` takes +0.0 and −0.0 as
    /// equal, which is not enough where files hold the bits.
    fn bits(s: &Sketch) -> Vec<(usize, u32, u64, u64)> {
        (s.bins.iter().enumerate())
            .filter(|(_, b)| b.count > 0)
            .map(|(i, b)| (i, b.count, b.least().to_bits(), b.most().to_bits()))
            .collect()
    }

    /// Signed zeros: whichever comes first (threads flush in any order),
    /// the sketch is the same to the bit, by insert, batch and merge, and
    /// a zero read back from it is +0.0.
    #[test]
    fn signed_zeros_give_the_same_bits_in_any_order() {
        let pilot: Vec<f64> = (-500..500).map(f64::from).collect();
        let base = Sketch::from_pilot(&pilot);
        let (mut plus_first, mut minus_first) = (base.empty_like(), base.empty_like());
        [0.0, -0.0, 0.0].iter().for_each(|&x| plus_first.insert(x));
        [-0.0, 0.0, 0.0].iter().for_each(|&x| minus_first.insert(x));
        assert_eq!(bits(&plus_first), bits(&minus_first));
        let mut batch = base.empty_like();
        batch.insert_all(&[-0.0, -0.0, 0.0]);
        assert_eq!(bits(&batch), bits(&plus_first));
        let (mut a, mut b) = (base.empty_like(), base.empty_like());
        a.insert(-0.0);
        b.insert(0.0);
        let mut ab = a.clone();
        ab.merge(&b);
        b.merge(&a);
        assert_eq!(bits(&ab), bits(&b));
        assert_eq!(ab.percentile(0.5).map(f64::to_bits), Some(0.0f64.to_bits()));
    }
}
