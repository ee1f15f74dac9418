//! The fan chart's histogram sketch: one per month of Cum(t), fed by every
//! trial after the pilot (see `engine`), so that a run's fan costs memory
//! per month, not per trial × month.
//!
//! It has the bins of a [`Sketch`](super::Sketch) (2,048 equal bins over
//! the pilot's widened 1–99% range, one bin below and one above), but a
//! bin inside the grid holds only its count: 4 bytes, not a count and
//! the bin's least and largest value (24 bytes). All of a 5-year run's 61
//! months then take 0.5 MB, not 3 MB, and stay in the processor's caches
//! while the trials' values go in (docs/performance.md, sixth round).
//!
//! What the ends gave, reporting exactly a value that many trials share
//! (a fixed cost in month 0, months before go-live), is kept by
//! **atoms**: values that at least two of the pilot's trials share
//! exactly, up to [`MAX_ATOMS`] per month (the most frequent), are counted
//! apart, each in a slot of its own. A value counts as an atom only when
//! it equals one bit for bit, up to the sign of zero (both zeros are one
//! atom, kept as +0.0). The bins below and above the grid keep their
//! least and largest value, as they have no finite edge.
//!
//! An order statistic inside the grid is read from its bin as if the bin's
//! c values (atoms aside) sat at the midpoints of c equal parts of the bin,
//! and the atoms at their values; below and above the grid, spread evenly
//! from the bin's least to its largest value. The error is at most one bin
//! width inside the grid (docs/results.md, "Large runs"). Counts are
//! integers and the atoms come from the pilot, which every part of a run
//! computes whole, so sketches merge exactly, in any order and across
//! machines.

use super::quantile::percentile_by;
use super::sketch::{BINS, SLOTS, layout, slot_of};

/// The most atoms a month's sketch counts apart.
pub const MAX_ATOMS: usize = 8;

/// Slots of a sketch with `atoms` atoms: the grid's, then one per atom.
const fn slots(atoms: usize) -> usize {
    SLOTS + atoms
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MonthSketch {
    lo: f64,
    width: f64,
    /// 1 / width: inserts multiply rather than divide.
    per_width: f64,
    /// The atoms, ascending, each inside the grid.
    atoms: Vec<f64>,
    /// Per slot: below the grid, the `BINS` bins, above the grid, then
    /// one per atom.
    counts: Vec<u32>,
    /// Least and largest value below the grid, and above it.
    below: [f64; 2],
    above: [f64; 2],
    /// Values of +∞ (Cum(t) that overflowed).
    infinite: u64,
}

/// The (least, largest) of no values.
const NONE: [f64; 2] = [f64::INFINITY, f64::NEG_INFINITY];

/// Widens `ends` (least, largest) by `x`; a NaN changes nothing, and
/// either zero is kept as +0.0, so that which thread counted first does
/// not change the bits.
#[inline]
fn widen(ends: &mut [f64; 2], x: f64) {
    let x = x + 0.0;
    if x < ends[0] {
        ends[0] = x;
    }
    if x > ends[1] {
        ends[1] = x;
    }
}

impl MonthSketch {
    /// An empty sketch whose bins and atoms fit the pilot values
    /// (ascending, as `sort_floats` leaves them; may end in +∞).
    pub fn from_pilot(sorted_pilot: &[f64]) -> Self {
        let (lo, width) = layout(sorted_pilot);
        let per_width = 1.0 / width;
        // Runs of equal values (−0.0 == +0.0), longest first, then lowest.
        let mut runs: Vec<(usize, f64)> = Vec::new();
        let mut i = 0;
        while i < sorted_pilot.len() {
            let x = sorted_pilot[i];
            let mut j = i + 1;
            while j < sorted_pilot.len() && sorted_pilot[j] == x {
                j += 1;
            }
            let inside = (1..=BINS).contains(&slot_of(x, lo, per_width));
            if j - i >= 2 && x.is_finite() && inside {
                runs.push((j - i, x + 0.0));
            }
            i = j;
        }
        runs.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.total_cmp(&b.1)));
        let mut atoms: Vec<f64> = runs.iter().take(MAX_ATOMS).map(|r| r.1).collect();
        atoms.sort_by(f64::total_cmp);
        MonthSketch {
            lo,
            width,
            per_width,
            counts: vec![0; slots(atoms.len())],
            atoms,
            below: NONE,
            above: NONE,
            infinite: 0,
        }
    }

    /// A sketch with the same bins and atoms and no values.
    pub fn empty_like(&self) -> Self {
        MonthSketch {
            counts: vec![0; self.counts.len()],
            below: NONE,
            above: NONE,
            infinite: 0,
            ..self.clone()
        }
    }

    /// Whether the sketch is one this program lays out (a sketch read
    /// from a file): its bins, at most [`MAX_ATOMS`] atoms, ascending,
    /// finite and inside the grid, and a count per slot.
    pub fn is_well_formed(&self) -> bool {
        self.width > 0.0
            && self.per_width == 1.0 / self.width
            && self.atoms.len() <= MAX_ATOMS
            && self.counts.len() == slots(self.atoms.len())
            && self.atoms.windows(2).all(|w| w[0] < w[1])
            && (self.atoms.iter())
                .all(|&a| a.is_finite() && (1..=BINS).contains(&self.slot(a)))
    }

    /// Whether `o` has the same bins and atoms, so that the two can merge.
    pub fn same_bins(&self, o: &MonthSketch) -> bool {
        self.lo.to_bits() == o.lo.to_bits()
            && self.width.to_bits() == o.width.to_bits()
            && self.counts.len() == o.counts.len()
            && (self.atoms.iter().map(|a| a.to_bits())).eq(o.atoms.iter().map(|a| a.to_bits()))
    }

    #[inline]
    fn slot(&self, x: f64) -> usize {
        slot_of(x, self.lo, self.per_width)
    }

    /// Counts `values`: first every value's slot (loops the compiler
    /// vectorizes: the grid's slot, then one pass per atom), then the
    /// counts, whose 8 KB stay in the first-level cache.
    pub fn insert_all(&mut self, values: &[f64]) {
        let mut slots = [0u16; 512];
        for part in values.chunks(slots.len()) {
            let slots = &mut slots[..part.len()];
            for (s, &x) in slots.iter_mut().zip(part) {
                *s = self.slot(x) as u16;
            }
            for (k, &a) in self.atoms.iter().enumerate() {
                let atom = (SLOTS + k) as u16;
                for (s, &x) in slots.iter_mut().zip(part) {
                    *s = if x == a { atom } else { *s };
                }
            }
            for (&s, &x) in slots.iter().zip(part) {
                let s = usize::from(s);
                if s == 0 || s == SLOTS - 1 {
                    self.outside(s, x);
                } else {
                    self.counts[s] += 1;
                }
            }
        }
    }

    /// Counts a value below or above the grid (or +∞, or NaN, which is
    /// counted above the grid and changes no end).
    #[cold]
    fn outside(&mut self, slot: usize, x: f64) {
        if x == f64::INFINITY {
            self.infinite += 1;
            return;
        }
        self.counts[slot] += 1;
        widen(if slot == 0 { &mut self.below } else { &mut self.above }, x);
    }

    pub fn merge(&mut self, o: &MonthSketch) {
        debug_assert!(self.same_bins(o));
        for (a, b) in self.counts.iter_mut().zip(&o.counts) {
            *a += b;
        }
        for (ends, other) in [(&mut self.below, o.below), (&mut self.above, o.above)] {
            if other[0] < ends[0] {
                ends[0] = other[0];
            }
            if other[1] > ends[1] {
                ends[1] = other[1];
            }
        }
        self.infinite += o.infinite;
    }

    pub fn count(&self) -> u64 {
        self.infinite + self.counts.iter().map(|&c| u64::from(c)).sum::<u64>()
    }

    /// The order statistic of 0-based rank `r` among the `c` values of a
    /// slot outside the grid, spread evenly over `ends` (the first and the
    /// last are the ends exactly).
    fn spread(ends: [f64; 2], c: u64, r: u64) -> f64 {
        let [a, b] = ends;
        if r == 0 {
            a
        } else if r + 1 == c {
            b
        } else {
            a + (b - a) * r as f64 / (c - 1) as f64
        }
    }

    /// The order statistic of 0-based rank `r` in dense bin `slot`, which
    /// holds `c` values besides its atoms `atoms` (value, count; ascending).
    fn in_bin(&self, slot: usize, c: u64, atoms: &[(f64, u64)], mut r: u64) -> f64 {
        let edge = self.lo + (slot - 1) as f64 * self.width;
        // The j-th of the c values sits at the midpoint of part j.
        let value = |j: u64| edge + self.width * ((j as f64 + 0.5) / c as f64);
        // How many of the c values lie below x.
        let below = |x: f64| {
            let u = (x - edge) * self.per_width * c as f64 - 0.5;
            if u > 0.0 { (u.ceil() as u64).min(c) } else { 0 }
        };
        let mut taken = 0;
        for &(a, m) in atoms {
            let run = below(a).max(taken) - taken;
            if r < run {
                return value(taken + r);
            }
            r -= run;
            taken += run;
            if r < m {
                return a;
            }
            r -= m;
        }
        value(taken + r)
    }

    /// Estimate of the order statistic of 0-based rank `k` (+∞ beyond the
    /// finite values).
    fn order_statistic(&self, k: u64) -> f64 {
        // The atoms (value, count) and their slots, in slot order (they
        // ascend).
        let atoms: Vec<(f64, u64)> = (self.atoms.iter().zip(&self.counts[SLOTS..]))
            .map(|(&a, &m)| (a, u64::from(m)))
            .collect();
        let atom_slots: Vec<usize> = self.atoms.iter().map(|&a| self.slot(a)).collect();
        let (mut before, mut next) = (0u64, 0);
        for slot in 0..SLOTS {
            let first = next;
            while next < atoms.len() && atom_slots[next] == slot {
                next += 1;
            }
            let here = &atoms[first..next];
            let c = u64::from(self.counts[slot]);
            let total = c + here.iter().map(|a| a.1).sum::<u64>();
            if k < before + total {
                let r = k - before;
                return match slot {
                    0 => Self::spread(self.below, c, r),
                    s if s == SLOTS - 1 => Self::spread(self.above, c, r),
                    s => self.in_bin(s, c, here, r),
                };
            }
            before += total;
        }
        f64::INFINITY
    }

    /// The q-percentile (numpy-linear), `None` when empty or beyond +∞.
    pub fn percentile(&self, q: f64) -> Option<f64> {
        percentile_by(self.count() as usize, q, |k| self.order_statistic(k as u64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dist::normal::std_normal_quantile;
    use crate::sampling::keyed::StreamKey;
    use crate::stats::{PERCENTILES, Sketch, percentile_sorted, sort_floats};

    /// The exact values sorted, and a sketch laid out from the first
    /// `pilot` of them and fed all of them.
    fn exact_and_sketch(xs: &[f64], pilot: usize) -> (Vec<f64>, MonthSketch) {
        let mut sorted = xs.to_vec();
        sort_floats(&mut sorted);
        let mut p = xs[..pilot].to_vec();
        sort_floats(&mut p);
        let mut s = MonthSketch::from_pilot(&p);
        s.insert_all(xs);
        (sorted, s)
    }

    fn uniform(i: u64) -> f64 {
        StreamKey::new(7, "month sketch").uniform(i, 0)
    }

    /// Counts are exact per bin, so every order statistic inside the grid
    /// is placed in the bin of the exact one: off by less than one bin
    /// width, and so is every percentile, which lies between two of them.
    #[test]
    fn order_statistics_and_percentiles_within_one_bin_width() {
        let xs: Vec<f64> = (0..200_000)
            .map(|i| (1.2 * std_normal_quantile(uniform(i))).exp() * 1e5 - 3e5)
            .collect();
        let (sorted, s) = exact_and_sketch(&xs, 4096);
        let (lo, hi) = (s.lo, s.lo + BINS as f64 * s.width);
        for k in (0..sorted.len()).step_by(97) {
            let (e, a) = (sorted[k], s.order_statistic(k as u64));
            if e >= lo && e < hi {
                assert!((a - e).abs() < s.width, "rank {k}: {a} vs {e}");
            }
        }
        let spread =
            percentile_sorted(&sorted, 0.95).unwrap() - percentile_sorted(&sorted, 0.05).unwrap();
        for (name, q) in PERCENTILES {
            let e = percentile_sorted(&sorted, q).unwrap();
            let a = s.percentile(q).unwrap();
            assert!((a - e).abs() < s.width, "{name}: {a} vs {e}");
            assert!((a - e).abs() <= 1e-3 * spread, "{name}: {a} vs {e}");
        }
    }

    /// Values many trials share are reported exactly, by the month
    /// sketches (as atoms) and by the metrics' (through each bin's ends):
    /// one value only, and two, as Cum(0) with and without an up-front
    /// cost.
    #[test]
    fn shared_values_are_exact() {
        let constant = vec![-90000.0; 5000];
        let two: Vec<f64> = (0..10_000)
            .map(|i| if i % 4 == 0 { 0.0 } else { -30000.0 })
            .collect();
        for (xs, pilot, atoms) in [(constant, 100, vec![-90000.0]), (two, 4096, vec![-30000.0, 0.0])] {
            let (sorted, s) = exact_and_sketch(&xs, pilot);
            assert_eq!(s.atoms, atoms);
            let mut p = xs[..pilot].to_vec();
            sort_floats(&mut p);
            let mut metric = Sketch::from_pilot(&p);
            metric.insert_all(&xs);
            for (name, q) in PERCENTILES {
                assert_eq!(s.percentile(q), percentile_sorted(&sorted, q), "{name}");
                assert_eq!(metric.percentile(q), percentile_sorted(&sorted, q), "{name}");
            }
        }
    }

    /// An atom amid continuous values in its own bin and around it: every
    /// order statistic within one bin width, in order, and exactly the atom
    /// for each rank that the atom holds with c ranks to spare on either
    /// side, c being the other values in its bin (which the sketch places
    /// evenly around the atom, not where they were).
    #[test]
    fn an_atom_among_continuous_values() {
        let xs: Vec<f64> = (0..50_000)
            .map(|i| {
                let u = uniform(i);
                if u < 0.3 { 1000.0 } else { 2000.0 * (u - 0.3) / 0.7 }
            })
            .collect();
        let (sorted, s) = exact_and_sketch(&xs, 4096);
        assert_eq!(s.atoms, [1000.0]);
        let c = s.counts[s.slot(1000.0)] as usize;
        assert!(c > 0, "the atom's bin holds other values too");
        let atom = |k: usize| sorted.get(k) == Some(&1000.0);
        let (mut previous, mut exact) = (f64::NEG_INFINITY, 0);
        for (k, &e) in sorted.iter().enumerate() {
            let a = s.order_statistic(k as u64);
            assert!((a - e).abs() < s.width, "rank {k}: {a} vs {e}");
            assert!(a >= previous, "rank {k}: {a} after {previous}");
            if k >= c && atom(k - c) && atom(k + c) {
                assert_eq!(a, 1000.0, "rank {k}");
                exact += 1;
            }
            previous = a;
        }
        assert!(exact > 14_000, "{exact} ranks held by the atom");
        assert_eq!(s.percentile(0.5), Some(1000.0));
    }

    /// A value that many trials share but the pilot did not see is still
    /// within one bin width.
    #[test]
    fn an_atom_the_pilot_missed_is_within_a_bin() {
        let mut xs: Vec<f64> = (0..20_000).map(|i| uniform(i) * 100.0).collect();
        xs.extend(std::iter::repeat_n(42.0, 10_000));
        let (sorted, s) = exact_and_sketch(&xs, 4096);
        assert!(s.atoms.is_empty());
        for (name, q) in PERCENTILES {
            let e = percentile_sorted(&sorted, q).unwrap();
            let a = s.percentile(q).unwrap();
            assert!((a - e).abs() < s.width, "{name}: {a} vs {e}");
        }
    }

    /// More repeated values than atoms: the most frequent are kept, the
    /// lower value first among equally frequent ones.
    #[test]
    fn the_most_frequent_values_become_atoms() {
        let mut pilot: Vec<f64> = Vec::new();
        for v in 0..12 {
            // Value v appears 2 + v % 3 times: 4 times for 2, 5, 8, 11.
            pilot.extend(std::iter::repeat_n(f64::from(v), 2 + v as usize % 3));
        }
        pilot.push(100.0);
        sort_floats(&mut pilot);
        let s = MonthSketch::from_pilot(&pilot);
        assert_eq!(s.atoms, [1.0, 2.0, 4.0, 5.0, 7.0, 8.0, 10.0, 11.0]);
        assert!(s.is_well_formed());
    }

    /// Every bit of a sketch, −0.0 apart from +0.0 (`Debug` shows the sign).
    fn bits(s: &MonthSketch) -> String {
        format!("{s:?}")
    }

    #[test]
    fn merge_in_any_order_is_identical() {
        let xs: Vec<f64> = (0..3000)
            .map(|i| ((i * 7919) % 1000) as f64 - if i % 7 == 0 { 5000.0 } else { 0.0 })
            .chain([-1e300, 1e300, f64::INFINITY, 0.0, -0.0])
            .collect();
        let (_, whole) = exact_and_sketch(&xs, 500);
        let mut p = xs[..500].to_vec();
        sort_floats(&mut p);
        let base = MonthSketch::from_pilot(&p);
        let mut parts: Vec<MonthSketch> = [0..1100, 1100..2000, 2000..xs.len()]
            .into_iter()
            .map(|r| {
                let mut s = base.empty_like();
                s.insert_all(&xs[r]);
                s
            })
            .collect();
        let (c, b, a) = (parts.pop().unwrap(), parts.pop().unwrap(), parts.pop().unwrap());
        let mut abc = a.clone();
        abc.merge(&b);
        abc.merge(&c);
        let mut cba = c.clone();
        cba.merge(&b);
        cba.merge(&a);
        assert_eq!(bits(&abc), bits(&cba));
        assert_eq!(bits(&abc), bits(&whole));
        assert_eq!(abc.count(), xs.len() as u64);
    }

    /// Both zeros are one value: one atom, +0.0, whatever came first.
    #[test]
    fn signed_zeros_are_one_value() {
        let xs: Vec<f64> = (0..6000)
            .map(|i| match i % 3 {
                0 => 0.0,
                1 => -0.0,
                _ => uniform(i) * 100.0 - 50.0,
            })
            .collect();
        let (_, s) = exact_and_sketch(&xs, 4096);
        assert_eq!(s.atoms.iter().map(|a| a.to_bits()).collect::<Vec<_>>(), [0]);
        assert_eq!(s.percentile(0.5).map(f64::to_bits), Some(0));
        let reversed: Vec<f64> = xs.iter().rev().copied().collect();
        let mut t = s.empty_like();
        t.insert_all(&reversed);
        assert_eq!(bits(&t), bits(&s));
        // Zeros below the grid keep +0.0 as their ends, in either order.
        let mut p: Vec<f64> = (1000..2000).map(f64::from).collect();
        sort_floats(&mut p);
        let (mut a, mut b) = (MonthSketch::from_pilot(&p), MonthSketch::from_pilot(&p));
        a.insert_all(&[-0.0, 0.0]);
        b.insert_all(&[0.0, -0.0]);
        assert_eq!(bits(&a), bits(&b));
        assert_eq!(a.below.map(f64::to_bits), [0, 0]);
    }

    /// Far outside the grid, subnormal, infinite and NaN values.
    #[test]
    fn extremes() {
        let mut p: Vec<f64> = (0..1000).map(f64::from).collect();
        sort_floats(&mut p);
        let mut s = MonthSketch::from_pilot(&p);
        s.insert_all(&[-1e300, 5e-324, 1e300, f64::NAN, f64::INFINITY, -f64::MAX]);
        assert_eq!(s.count(), 6);
        assert_eq!(s.infinite, 1);
        assert_eq!(s.below, [-f64::MAX, -1e300]);
        // NaN is counted above the grid and changes no end.
        assert_eq!(s.above, [1e300, 1e300]);
        assert_eq!(s.counts[SLOTS - 1], 2);
        assert_eq!(s.percentile(0.0), Some(-f64::MAX));
        assert_eq!(s.order_statistic(1), -1e300);
        assert_eq!(s.order_statistic(4), 1e300);
        assert!((s.order_statistic(2) - 5e-324).abs() < s.width);
        assert_eq!(s.percentile(1.0), None);
        let empty = s.empty_like();
        assert_eq!(empty.percentile(0.5), None);
        assert_eq!(empty.count(), 0);
    }

    /// Sketches read from a file are checked before they are merged.
    #[test]
    fn malformed_sketches_are_recognised() {
        let xs: Vec<f64> = (0..5000).map(|i| f64::from(i % 50)).collect();
        let (_, s) = exact_and_sketch(&xs, 4096);
        assert!(s.is_well_formed());
        assert_eq!(s.atoms.len(), MAX_ATOMS);
        let mut bad = Vec::new();
        let mut t = s.clone();
        t.atoms.swap(0, 1);
        bad.push(t);
        let mut t = s.clone();
        t.atoms[0] = f64::NAN;
        bad.push(t);
        let mut t = s.clone();
        t.atoms[0] = -1e9;
        bad.push(t);
        let mut t = s.clone();
        t.counts.pop();
        bad.push(t);
        let mut t = s.clone();
        t.atoms.push(1e9);
        t.counts.push(0);
        bad.push(t);
        let mut t = s.clone();
        t.width = -t.width;
        bad.push(t);
        for t in &bad {
            assert!(!t.is_well_formed(), "{t:?}");
        }
        assert!(!s.same_bins(&bad[0]));
    }
}
