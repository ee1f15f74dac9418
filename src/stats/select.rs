//! Exact order statistics of a column of values, without sorting it or
//! copying it, and from 4-byte keys in place of the values.
//!
//! A run's statistics read a few dozen order statistics of each output
//! (seven percentiles and their neighbours, p20 and p80, the median's
//! interval, the histogram's central 99%), never the whole sorted column.
//!
//! Values are counted by *bucket*. [`KeyCode`] maps every double to one
//! of 2^31 buckets, keeping IEEE total order (`f64::total_cmp`, the order
//! [`sort_floats`](super::sort_floats) sorts in): 2^30 equal buckets over
//! the range of a sample (the run's pilot, widened by half its width on
//! each side), and outside it buckets of the doubles' bits (a relative
//! width of 2^-17). [`Selection`] finds the bucket of each wanted rank by
//! counting: one pass counts the values per group of 2^15 buckets, one
//! more pass counts, inside the groups that hold a wanted rank, per
//! bucket. A last pass gathers the values of each wanted bucket, which are
//! sorted in total order: the k-th value is the very value a full sort puts
//! at k, bit for bit.
//!
//! A column need not hold its values: a key codes each value in 32 bits,
//! its bucket and a flag saying whether the value is the bucket's
//! *canonical* value: a value that repeats in the sample (a fixed total
//! cost), or outside the sample's range the bucket's roundest double (±∞
//! for a censored payback). The values of a wanted bucket are then known
//! from their flag or asked for by position: the engine runs those trials
//! again, which gives the same values bit for bit, since every draw is
//! keyed by (seed, trial, input). Canonical values are counted, never
//! gathered, so that many trials sharing one value need neither memory nor
//! running again; a continuous output has about one value per bucket near
//! a wanted rank.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::BTreeMap;

/// The key of NaN, above every other key; a [`Selection`] leaves NaN out.
pub const NAN_KEY: u32 = u32::MAX;

/// Buckets per group of the first counting pass (the low bits of a bucket).
const LOW_BITS: u32 = 15;
/// Groups: the high bits of a 31-bit bucket.
const GROUPS: usize = 1 << (31 - LOW_BITS);
/// Groups counted bucket by bucket in one pass (128 KB each).
const GROUPS_PER_PASS: usize = 16;
/// Buckets below the sample's range: those of the doubles' top 29 bits.
const BELOW: u32 = 1 << 29;
/// Equal buckets over the sample's range.
const RANGE: u32 = 1 << 30;
/// The first bucket above the sample's range.
const ABOVE: u32 = BELOW + RANGE;
/// Low bits of a double that a bucket outside the range leaves out.
const OUTSIDE_BITS: u32 = 35;
/// Values of a column of values that make up its code's sample.
pub const SAMPLE: usize = 4096;

/// The place of `x` in IEEE total order, as an unsigned integer.
fn ordered(x: f64) -> u64 {
    let b = x.to_bits();
    if b >> 63 == 1 { !b } else { b | 1 << 63 }
}

/// The double at place `o` of IEEE total order.
fn from_ordered(o: u64) -> f64 {
    f64::from_bits(if o >> 63 == 1 { o & !(1 << 63) } else { !o })
}

/// The double of the bits-bucket `b` (not one of NaN) whose last
/// [`OUTSIDE_BITS`] bits are zero: ±∞, and the roundest numbers.
fn round(b: u32) -> f64 {
    let any = from_ordered(u64::from(b) << OUTSIDE_BITS);
    f64::from_bits(any.to_bits() & !((1 << OUTSIDE_BITS) - 1))
}

/// How the values of one output are coded in 32 bits each: the bucket,
/// then a flag set when the value is the bucket's canonical value. Built
/// from a sample (the run's pilot trials, the same in every shard).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyCode {
    /// The range of equal buckets, [lo, hi]; one bucket when lo = hi.
    lo: f64,
    hi: f64,
    /// Buckets per unit: 2^30 / (hi - lo), or 0 when lo = hi.
    scale: f64,
    /// Values that repeat in the sample: (bucket, value), ascending by
    /// bucket, one per bucket at most.
    atoms: Vec<(u32, f64)>,
}

impl Default for KeyCode {
    /// The code of an empty sample.
    fn default() -> Self {
        KeyCode::from_sample(&[])
    }
}

impl KeyCode {
    /// The code of a sample: equal buckets over the range of its finite
    /// values widened by half its width on each side, and as canonical
    /// values those occurring at least twice (bit for bit), the most
    /// frequent one where several share a bucket (the least on a tie).
    pub fn from_sample(sample: &[f64]) -> KeyCode {
        let mut v: Vec<f64> = sample.iter().copied().filter(|x| !x.is_nan()).collect();
        v.sort_by(f64::total_cmp);
        let finite: Vec<f64> = v.iter().copied().filter(|x| x.is_finite()).collect();
        let (min, max) = match (finite.first(), finite.last()) {
            (Some(&a), Some(&b)) => (a, b),
            _ => (0.0, 0.0),
        };
        let half = (max - min) / 2.0;
        let (lo, hi) = match (min - half, max + half) {
            (lo, hi) if (hi - lo).is_finite() => (lo, hi),
            _ => (min, max),
        };
        let mut code = match Self::scale(lo, hi) {
            Some(scale) => KeyCode {
                lo,
                hi,
                scale,
                atoms: Vec::new(),
            },
            None => KeyCode {
                lo: min,
                hi: min,
                scale: 0.0,
                atoms: Vec::new(),
            },
        };
        let mut atoms: Vec<(u32, f64, usize)> = Vec::new();
        for run in v.chunk_by(|a, b| a.to_bits() == b.to_bits()) {
            if run.len() < 2 {
                continue;
            }
            let (b, x) = (code.bucket(run[0]), run[0]);
            match atoms.last_mut() {
                Some(last) if last.0 == b => {
                    if run.len() > last.2 {
                        *last = (b, x, run.len());
                    }
                }
                _ => atoms.push((b, x, run.len())),
            }
        }
        code.atoms = atoms.into_iter().map(|(b, x, _)| (b, x)).collect();
        code
    }

    /// Buckets per unit over [lo, hi], when that range has a finite width.
    fn scale(lo: f64, hi: f64) -> Option<f64> {
        let scale = f64::from(RANGE) / (hi - lo);
        (lo.is_finite() && hi.is_finite() && scale.is_finite() && scale > 0.0).then_some(scale)
    }

    /// The bucket of `x` (not NaN). Ascending in total order: each part of
    /// the map is, and they follow one another.
    #[inline]
    pub fn bucket(&self, x: f64) -> u32 {
        if x < self.lo {
            (ordered(x) >> OUTSIDE_BITS) as u32
        } else if x <= self.hi {
            BELOW + (((x - self.lo) * self.scale) as u64).min(u64::from(RANGE) - 1) as u32
        } else {
            ABOVE + (ordered(x) >> OUTSIDE_BITS) as u32
        }
    }

    /// The key of `x`: [`NAN_KEY`] for NaN, else its bucket and whether it
    /// is the bucket's canonical value.
    #[inline]
    pub fn key(&self, x: f64) -> u32 {
        if x.is_nan() {
            return NAN_KEY;
        }
        let b = self.bucket(x);
        (b << 1) | u32::from(self.canonical(b).to_bits() == x.to_bits())
    }

    /// The value that a key of bucket `b` with its flag set stands for:
    /// the sample's repeated value in that bucket, if any, else outside
    /// the sample's range the bucket's roundest double; NaN (none) inside.
    #[inline]
    pub fn canonical(&self, b: u32) -> f64 {
        if !self.atoms.is_empty()
            && let Ok(i) = self.atoms.binary_search_by_key(&b, |a| a.0)
        {
            return self.atoms[i].1;
        }
        match b {
            b if b < BELOW => round(b),
            b if b >= ABOVE => round(b - ABOVE),
            _ => f64::NAN,
        }
    }

    /// The value `key` stands for, when its flag says it is exact.
    #[inline]
    pub fn exact(&self, key: u32) -> Option<f64> {
        (key != NAN_KEY && key & 1 == 1).then(|| self.canonical(key >> 1))
    }

    /// Whether the code is one [`KeyCode::from_sample`] can make (a code
    /// read from a file is checked before it is trusted).
    pub fn is_well_formed(&self) -> bool {
        let range = match Self::scale(self.lo, self.hi) {
            Some(scale) => self.scale == scale,
            None => self.lo == self.hi && self.lo.is_finite() && self.scale == 0.0,
        };
        range
            && self
                .atoms
                .iter()
                .all(|&(b, x)| !x.is_nan() && self.bucket(x) == b)
            && self.atoms.windows(2).all(|w| w[0].0 < w[1].0)
    }
}

/// The exact values of the given positions of a column of keys, in order.
pub type Resolve<'a> = &'a dyn Fn(&[usize]) -> Vec<f64>;

/// Where a [`Selection`] reads its values.
#[derive(Clone, Copy)]
pub enum Column<'a> {
    /// The values themselves; NaN is left out. Their code comes from the
    /// first [`SAMPLE`] of them.
    Values(&'a [f64]),
    /// Keys of `code`; the values of unflagged keys come from `resolve`.
    /// [`NAN_KEY`] is left out.
    Keys {
        keys: &'a [u32],
        code: &'a KeyCode,
        resolve: Resolve<'a>,
    },
}

/// Order statistics of a column (see the module's documentation), read
/// lazily; [`Selection::prepare`] reads many ranks in the same passes.
pub struct Selection<'a> {
    column: Column<'a>,
    code: KeyCode,
    /// Values (NaN aside) whose group is below g, for g = 0..=GROUPS.
    below: Vec<u32>,
    resolved: RefCell<BTreeMap<usize, f64>>,
}

impl std::fmt::Debug for Selection<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Selection")
            .field("len", &self.len())
            .field("code", &self.code)
            .field("resolved", &self.resolved.borrow())
            .finish()
    }
}

impl<'a> Selection<'a> {
    /// Counts the column's values per group: one pass.
    pub fn new(column: Column<'a>) -> Self {
        let (len, code) = match column {
            Column::Values(v) => (v.len(), KeyCode::from_sample(&v[..v.len().min(SAMPLE)])),
            Column::Keys { keys, code, .. } => (keys.len(), code.clone()),
        };
        assert!(len < u32::MAX as usize, "at most 2^32 - 1 values");
        let mut s = Selection {
            column,
            code,
            below: vec![0u32; GROUPS + 1],
            resolved: RefCell::new(BTreeMap::new()),
        };
        let mut below = std::mem::take(&mut s.below);
        s.for_each(|_, b| below[(b >> LOW_BITS) as usize + 1] += 1);
        for g in 1..=GROUPS {
            below[g] += below[g - 1];
        }
        s.below = below;
        s
    }

    /// Calls `f(position, bucket)` for every value but NaN, in order.
    #[inline]
    fn for_each(&self, mut f: impl FnMut(usize, u32)) {
        match self.column {
            Column::Values(v) => v
                .iter()
                .enumerate()
                .filter(|(_, x)| !x.is_nan())
                .for_each(|(i, &x)| f(i, self.code.bucket(x))),
            Column::Keys { keys, .. } => keys
                .iter()
                .enumerate()
                .filter(|(_, k)| **k != NAN_KEY)
                .for_each(|(i, &k)| f(i, k >> 1)),
        }
    }

    /// Whether the value at `i` (not NaN) is its bucket's canonical value.
    #[inline]
    fn is_canonical(&self, i: usize) -> bool {
        match self.column {
            Column::Values(v) => self.code.key(v[i]) & 1 == 1,
            Column::Keys { keys, .. } => keys[i] & 1 == 1,
        }
    }

    /// The exact values at `positions`, none of them canonical: read, or
    /// resolved (and checked against their keys).
    fn values(&self, positions: &[usize]) -> Vec<f64> {
        match self.column {
            Column::Values(v) => positions.iter().map(|&i| v[i]).collect(),
            Column::Keys { keys, resolve, .. } => {
                if positions.is_empty() {
                    return Vec::new();
                }
                let found = resolve(positions);
                assert_eq!(found.len(), positions.len(), "one value per position");
                for (&v, &i) in found.iter().zip(positions) {
                    // A value other than the one coded means that the
                    // trials were not run again as they ran.
                    assert_eq!(
                        self.code.key(v),
                        keys[i],
                        "position {i} gives another value than it did"
                    );
                }
                found
            }
        }
    }

    /// How many values (NaN aside).
    pub fn len(&self) -> usize {
        self.below[GROUPS] as usize
    }

    #[cfg_attr(not(feature = "internals"), allow(dead_code))]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The order statistic of 0-based rank `k` (IEEE total order), which
    /// must be below [`Selection::len`].
    pub fn get(&self, k: usize) -> f64 {
        assert!(k < self.len(), "rank {k} of {} values", self.len());
        if let Some(&v) = self.resolved.borrow().get(&k) {
            return v;
        }
        self.prepare([k]);
        self.resolved.borrow()[&k]
    }

    /// The q-percentile, numpy-linear, as
    /// [`percentile_sorted`](super::percentile_sorted) reads it from the
    /// sorted column.
    pub fn percentile(&self, q: f64) -> Option<f64> {
        super::quantile::percentile_by(self.len(), q, |k| self.get(k))
    }

    /// Reads the order statistics that the percentiles of levels `qs` need
    /// and those of `ranks`, all in the same passes.
    pub fn prepare_for(&self, qs: &[f64], ranks: &[usize]) {
        let mut ranks = ranks.to_vec();
        for &q in qs {
            // Records the ranks the percentile reads (the values are
            // finite stand-ins, so that both ranks are recorded).
            super::quantile::percentile_by(self.len(), q, |k| {
                ranks.push(k);
                0.0
            });
        }
        self.prepare(ranks);
    }

    /// Reads the order statistics of the given ranks (those beyond the
    /// column are ignored): two passes over the column for all of them,
    /// and the values of their buckets.
    pub fn prepare(&self, ranks: impl IntoIterator<Item = usize>) {
        let mut todo: Vec<usize> = {
            let resolved = self.resolved.borrow();
            ranks
                .into_iter()
                .filter(|k| *k < self.len() && !resolved.contains_key(k))
                .collect()
        };
        todo.sort_unstable();
        todo.dedup();
        if todo.is_empty() {
            return;
        }
        // The group of each rank: below[g] <= k < below[g + 1].
        let group = |k: usize| self.below.partition_point(|&c| c as usize <= k) - 1;
        let mut groups: Vec<usize> = todo.iter().map(|&k| group(k)).collect();
        groups.dedup();

        // The bucket of each rank, counting inside its group: (bucket,
        // values in lower buckets, rank).
        let mut wanted: Vec<(u32, usize, usize)> = Vec::with_capacity(todo.len());
        let mut slot_of = vec![u8::MAX; GROUPS];
        let width = 1usize << LOW_BITS;
        for pass in groups.chunks(GROUPS_PER_PASS) {
            for (s, &g) in pass.iter().enumerate() {
                slot_of[g] = s as u8;
            }
            let mut counts = vec![0u32; pass.len() * width];
            self.for_each(|_, b| {
                let s = slot_of[(b >> LOW_BITS) as usize];
                if s != u8::MAX {
                    counts[s as usize * width + (b as usize & (width - 1))] += 1;
                }
            });
            for (s, &g) in pass.iter().enumerate() {
                let counts = &counts[s * width..(s + 1) * width];
                let mut seen = self.below[g] as usize;
                let mut low = 0;
                for &k in todo.iter().filter(|&&k| group(k) == g) {
                    while seen + counts[low] as usize <= k {
                        seen += counts[low] as usize;
                        low += 1;
                    }
                    wanted.push((((g as u32) << LOW_BITS) | low as u32, seen, k));
                }
            }
            for &g in pass {
                slot_of[g] = u8::MAX;
            }
        }

        // The values of each wanted bucket: its canonical ones counted,
        // the others gathered by position.
        let mut buckets: Vec<u32> = wanted.iter().map(|w| w.0).collect();
        buckets.sort_unstable();
        buckets.dedup();
        let mut canonical = vec![0usize; buckets.len()];
        let mut others: Vec<Vec<usize>> = vec![Vec::new(); buckets.len()];
        let mut has = vec![false; GROUPS];
        for &b in &buckets {
            has[(b >> LOW_BITS) as usize] = true;
        }
        self.for_each(|i, b| {
            if has[(b >> LOW_BITS) as usize]
                && let Ok(j) = buckets.binary_search(&b)
            {
                if self.is_canonical(i) {
                    canonical[j] += 1;
                } else {
                    others[j].push(i);
                }
            }
        });
        let all: Vec<usize> = others.iter().flatten().copied().collect();
        let mut values = self.values(&all).into_iter();
        let mut resolved = self.resolved.borrow_mut();
        for (j, &b) in buckets.iter().enumerate() {
            let mut v: Vec<f64> = values.by_ref().take(others[j].len()).collect();
            v.sort_by(f64::total_cmp);
            // The canonical value, `canonical[j]` times, among the others.
            let c = self.code.canonical(b);
            let at = v.partition_point(|y| y.total_cmp(&c).is_lt());
            for &(_, seen, k) in wanted.iter().filter(|w| w.0 == b) {
                let r = k - seen;
                let value = if r < at {
                    v[r]
                } else if r < at + canonical[j] {
                    c
                } else {
                    v[r - canonical[j]]
                };
                resolved.insert(k, value);
            }
        }
    }

    /// How many values are below `edges[0]`, and for each edge how many
    /// are ≤ it; `edges` ascending, not NaN. One pass over the column; for
    /// keys, the values of the buckets that hold an edge (or a zero of the
    /// other sign: IEEE `<` holds −0 and +0 equal) too.
    pub fn counts(&self, edges: &[f64]) -> (usize, Vec<usize>) {
        debug_assert!(edges.windows(2).all(|w| w[0] <= w[1]), "edges ascending");
        // first[j]: values whose first edge ≥ them is edge j; `below`:
        // values below edges[0]. Counts add up exactly in any order, so
        // parts of the column are tallied side by side.
        struct Tally {
            below: usize,
            first: Vec<usize>,
        }
        impl Tally {
            fn add(&mut self, (lower, j): (bool, usize)) {
                self.below += usize::from(lower);
                self.first[j] += 1;
            }
            fn merge(mut self, o: Tally) -> Tally {
                self.below += o.below;
                self.first.iter_mut().zip(o.first).for_each(|(a, b)| *a += b);
                self
            }
        }
        let empty = || Tally {
            below: 0,
            first: vec![0; edges.len() + 1],
        };
        let by_value = |v: f64| {
            (
                edges.first().is_some_and(|&e| v < e),
                edges.partition_point(|&e| e < v),
            )
        };
        const PART: usize = 1 << 16;
        let mut exact = Vec::new();
        let mut tally = match self.column {
            Column::Values(values) => values
                .par_chunks(PART)
                .map(|part| {
                    let mut t = empty();
                    part.iter()
                        .filter(|x| !x.is_nan())
                        .for_each(|&v| t.add(by_value(v)));
                    t
                })
                .reduce(empty, Tally::merge),
            Column::Keys { keys, .. } => {
                // A value of a bucket that holds no edge compares to the
                // edges as its bucket does to theirs.
                let at: Vec<u32> = edges.iter().map(|&e| self.code.bucket(e)).collect();
                let mut ambiguous: Vec<u32> = at.clone();
                ambiguous.extend(
                    edges
                        .iter()
                        .filter(|&&e| e == 0.0)
                        .map(|&e| self.code.bucket(-e)),
                );
                ambiguous.sort_unstable();
                let mut t = empty();
                for (i, &k) in keys.iter().enumerate() {
                    if k == NAN_KEY {
                        continue;
                    }
                    let b = k >> 1;
                    if let Some(v) = self.code.exact(k) {
                        t.add(by_value(v));
                    } else if ambiguous.binary_search(&b).is_ok() {
                        exact.push(i);
                    } else {
                        t.add((
                            at.first().is_some_and(|&e| b < e),
                            at.partition_point(|&e| e < b),
                        ));
                    }
                }
                t
            }
        };
        for v in self.values(&exact) {
            tally.add(by_value(v));
        }
        let (below, first) = (tally.below, tally.first);
        let mut at = Vec::with_capacity(edges.len());
        let mut sum = 0;
        for &c in &first[..edges.len()] {
            sum += c;
            at.push(sum);
        }
        (below, at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::{percentile_sorted, sort_floats};
    use proptest::prelude::*;
    use std::cell::Cell;

    fn values() -> impl Strategy<Value = Vec<f64>> {
        // Ties, signed zeros, infinities, NaN, values a bucket apart or
        // sharing one, and wide magnitudes.
        let one = prop_oneof![
            any::<f64>(),
            Just(0.0),
            Just(-0.0),
            Just(f64::INFINITY),
            Just(f64::NEG_INFINITY),
            Just(f64::NAN),
            Just(1.5),
            Just(1.5 + 1e-12),
            Just(1.5 - 1e-12),
            Just(123_456.789),
            (-50i32..50).prop_map(f64::from),
            (0.0f64..1.0).prop_map(|x| 1000.0 + x * 1e-3),
        ];
        proptest::collection::vec(one, 1..400)
    }

    /// The values but NaN, sorted in total order: what the selection must
    /// give.
    fn sorted(v: &[f64]) -> Vec<f64> {
        let mut s: Vec<f64> = v.iter().copied().filter(|x| !x.is_nan()).collect();
        sort_floats(&mut s);
        s
    }

    /// Checks every way of reading `v`'s order statistics against the
    /// sorted values, for one column.
    fn check(column: Column, v: &[f64], picks: &[prop::sample::Index]) -> Result<(), TestCaseError> {
        let sorted = sorted(v);
        let s = Selection::new(column);
        prop_assert_eq!(s.len(), sorted.len());
        if sorted.is_empty() {
            return Ok(());
        }
        for k in picks.iter().map(|i| i.index(sorted.len())) {
            prop_assert_eq!(s.get(k).to_bits(), sorted[k].to_bits());
        }
        let s = Selection::new(column);
        s.prepare(picks.iter().map(|i| i.index(sorted.len())));
        for k in (0..sorted.len()).rev() {
            prop_assert_eq!(s.get(k).to_bits(), sorted[k].to_bits());
        }
        let s = Selection::new(column);
        let qs = [0.0, 0.005, 0.05, 0.2, 0.5, 0.8, 0.95, 0.995, 1.0];
        s.prepare_for(&qs, &[]);
        for q in qs {
            prop_assert_eq!(
                s.percentile(q).map(f64::to_bits),
                percentile_sorted(&sorted, q).map(f64::to_bits)
            );
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn buckets_keep_total_order(sample in values(), mut v in values()) {
            let code = KeyCode::from_sample(&sample);
            prop_assert!(code.is_well_formed());
            v.retain(|x| !x.is_nan());
            v.sort_by(f64::total_cmp);
            let keys: Vec<u32> = v.iter().map(|&x| code.key(x)).collect();
            prop_assert!(keys.windows(2).all(|w| w[0] >> 1 <= w[1] >> 1));
            for (&x, &k) in v.iter().zip(&keys) {
                prop_assert!(k < NAN_KEY);
                if let Some(c) = code.exact(k) {
                    prop_assert_eq!(c.to_bits(), x.to_bits());
                }
            }
        }

        #[test]
        fn every_rank_is_the_sorted_value(v in values(), picks in proptest::collection::vec(any::<prop::sample::Index>(), 1..40)) {
            check(Column::Values(&v), &v, &picks)?;
        }

        #[test]
        fn keys_give_the_very_values(v in values(), picks in proptest::collection::vec(any::<prop::sample::Index>(), 1..40), sample in proptest::collection::vec(any::<prop::sample::Index>(), 0..60)) {
            // The code comes from part of the values, as the pilot is part
            // of a run: some repeated values are canonical, some not.
            let sample: Vec<f64> = sample.iter().map(|i| v[i.index(v.len())]).collect();
            let code = KeyCode::from_sample(&sample);
            prop_assert!(code.is_well_formed());
            let keys: Vec<u32> = v.iter().map(|&x| code.key(x)).collect();
            let resolve = |p: &[usize]| p.iter().map(|&i| v[i]).collect();
            let column = Column::Keys { keys: &keys, code: &code, resolve: &resolve };
            check(column, &v, &picks)?;
        }

        #[test]
        fn counts_match_the_sorted_column(v in values(), edges in proptest::collection::vec(prop_oneof![-100.0f64..100.0, Just(0.0), Just(-0.0), Just(1.5)], 1..12)) {
            let sorted = sorted(&v);
            let mut edges = edges;
            edges.sort_by(f64::total_cmp);
            let code = KeyCode::from_sample(&v[..v.len() / 2]);
            let keys: Vec<u32> = v.iter().map(|&x| code.key(x)).collect();
            let resolve = |p: &[usize]| p.iter().map(|&i| v[i]).collect();
            for column in [Column::Values(&v), Column::Keys { keys: &keys, code: &code, resolve: &resolve }] {
                let (below, at) = Selection::new(column).counts(&edges);
                prop_assert_eq!(below, sorted.partition_point(|y| *y < edges[0]));
                for (e, n) in edges.iter().zip(at) {
                    prop_assert_eq!(n, sorted.partition_point(|y| y <= e));
                }
            }
        }
    }

    #[test]
    fn an_empty_column_has_no_percentile() {
        let s = Selection::new(Column::Values(&[]));
        assert!(s.is_empty());
        assert_eq!(s.percentile(0.5), None);
        assert_eq!(s.counts(&[0.0, 1.0]), (0, vec![0, 0]));
        let s = Selection::new(Column::Values(&[f64::NAN]));
        assert!(s.is_empty());
    }

    #[test]
    fn keys_keep_total_order() {
        let code = KeyCode::default();
        let mut v = vec![
            f64::NEG_INFINITY,
            -1e300,
            -1.0,
            -1e-300,
            -0.0,
            0.0,
            1e-300,
            1.0,
            1.0 + f64::EPSILON,
            1e300,
            f64::INFINITY,
        ];
        let keys: Vec<u32> = v.iter().map(|&x| code.key(x)).collect();
        assert!(keys.windows(2).all(|w| w[0] >> 1 <= w[1] >> 1));
        assert!(keys.iter().all(|&k| k < NAN_KEY));
        assert_eq!(code.key(f64::NAN), NAN_KEY);
        assert_eq!(code.key(-f64::NAN), NAN_KEY);
        // ±∞ and round numbers are their bucket's canonical value.
        for x in [f64::INFINITY, f64::NEG_INFINITY, 1.0, -2.0, 120_000.0] {
            assert_eq!(code.exact(code.key(x)), Some(x));
        }
        // Outside the sample's range, 1 and the next double share a
        // bucket, of which 1 is the canonical value.
        assert_eq!(code.bucket(v[7]), code.bucket(v[8]));
        assert_eq!(code.exact(code.key(v[8])), None);
        // Inside it, a continuous sample's values have buckets of their own.
        let sample: Vec<f64> = (0..1000).map(|i| 1e6 + f64::from(i) * 1e-3).collect();
        let code = KeyCode::from_sample(&sample);
        assert!(code.is_well_formed());
        let buckets: Vec<u32> = sample.iter().map(|&x| code.bucket(x)).collect();
        assert!(buckets.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(code.exact(code.key(sample[5])), None);
        v.iter_mut().for_each(|x| *x = from_ordered(ordered(*x)));
        assert_eq!(v[4].to_bits(), (-0.0f64).to_bits());
    }

    /// A value many trials share is never resolved again once the sample
    /// has seen it twice: the values of its bucket are known from its key.
    #[test]
    fn repeated_values_need_no_resolving() {
        let atom = 1234.567_f64;
        let mut v = vec![atom; 10_000];
        for (i, x) in v.iter_mut().enumerate().step_by(10) {
            *x = 1000.0 + i as f64 * 0.0123;
        }
        let code = KeyCode::from_sample(&v[..100]);
        let keys: Vec<u32> = v.iter().map(|&x| code.key(x)).collect();
        let asked = Cell::new(0);
        let resolve = |p: &[usize]| {
            asked.set(asked.get() + p.len());
            p.iter().map(|&i| v[i]).collect()
        };
        let s = Selection::new(Column::Keys {
            keys: &keys,
            code: &code,
            resolve: &resolve,
        });
        let sorted = sorted(&v);
        s.prepare_for(&[0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95], &[]);
        assert_eq!(s.percentile(0.5), percentile_sorted(&sorted, 0.5));
        assert_eq!(s.percentile(0.05), percentile_sorted(&sorted, 0.05));
        // Only the scattered values of the wanted buckets were asked for.
        assert!(asked.get() <= 20, "{} values resolved", asked.get());
    }

    /// Values that differ in the sixth digit (a fixed cost and a small
    /// uncertain one) still fall in buckets of their own: few are asked for.
    #[test]
    fn a_narrow_spread_needs_few_values_resolved() {
        let v: Vec<f64> = (0..100_000u32)
            .map(|i| 1e6 + f64::from(i.wrapping_mul(2_654_435_761) % 100_000) * 1e-5)
            .collect();
        let code = KeyCode::from_sample(&v[..SAMPLE]);
        let keys: Vec<u32> = v.iter().map(|&x| code.key(x)).collect();
        let asked = Cell::new(0);
        let resolve = |p: &[usize]| {
            asked.set(asked.get() + p.len());
            p.iter().map(|&i| v[i]).collect()
        };
        let s = Selection::new(Column::Keys {
            keys: &keys,
            code: &code,
            resolve: &resolve,
        });
        let qs = [0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95];
        s.prepare_for(&qs, &[]);
        let sorted = sorted(&v);
        for q in qs {
            assert_eq!(s.percentile(q), percentile_sorted(&sorted, q));
        }
        assert!(asked.get() <= 2 * 2 * qs.len(), "{} values resolved", asked.get());
    }

    #[test]
    #[should_panic(expected = "gives another value")]
    fn a_resolved_value_must_match_its_key() {
        let v = [1.0 + 1e-9, 2.0 + 1e-9];
        let code = KeyCode::default();
        let keys: Vec<u32> = v.iter().map(|&x| code.key(x)).collect();
        let resolve = |p: &[usize]| p.iter().map(|_| 5.5).collect();
        let s = Selection::new(Column::Keys {
            keys: &keys,
            code: &code,
            resolve: &resolve,
        });
        s.get(0);
    }
}
