//! Exact order statistics of many values without sorting them all.
//!
//! A run's statistics read a few dozen order statistics of each output
//! (seven percentiles and their neighbours, p20 and p80, the median's
//! interval, the histogram's central 99%), never the whole sorted column.
//! [`Selection`] finds each one by quickselect (`select_nth_unstable_by`
//! in IEEE total order, as [`sort_floats`](super::sort_floats) sorts)
//! on the part of the column that earlier selections have not already put
//! in place, so that the k-th value is the very value a full sort puts at
//! k, bit for bit, while the column is permuted in place: no second
//! column, where a radix sort needs a scratch column of the same size.
//! Counts below given edges (for histograms) take one pass over the
//! values.

use std::cell::RefCell;

/// A column of values (no NaN; +∞ allowed and last), partly ordered by the
/// order statistics read so far.
#[derive(Debug)]
pub struct Selection {
    values: RefCell<Vec<f64>>,
    /// Ascending positions whose value is the order statistic of that
    /// rank: every value before one is ≤ it, every value after ≥ it.
    placed: RefCell<Vec<usize>>,
}

impl Selection {
    /// Takes `values`, which must hold no NaN (debug builds check it).
    pub fn new(values: Vec<f64>) -> Self {
        debug_assert!(values.iter().all(|x| !x.is_nan()), "NaN in a selection");
        Selection {
            values: RefCell::new(values),
            placed: RefCell::new(Vec::new()),
        }
    }

    pub fn len(&self) -> usize {
        self.values.borrow().len()
    }

    #[cfg_attr(not(feature = "internals"), allow(dead_code))]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The order statistic of 0-based rank `k` (IEEE total order), which
    /// must be below [`Selection::len`].
    pub fn get(&self, k: usize) -> f64 {
        let mut values = self.values.borrow_mut();
        let mut placed = self.placed.borrow_mut();
        let i = match placed.binary_search(&k) {
            Ok(_) => return values[k],
            Err(i) => i,
        };
        // The values between the placed neighbours of k hold rank k.
        let lo = if i == 0 { 0 } else { placed[i - 1] + 1 };
        let hi = placed.get(i).copied().unwrap_or(values.len());
        values[lo..hi].select_nth_unstable_by(k - lo, f64::total_cmp);
        placed.insert(i, k);
        values[k]
    }

    /// The q-percentile, numpy-linear, as
    /// [`percentile_sorted`](super::percentile_sorted) reads it from the
    /// sorted column.
    pub fn percentile(&self, q: f64) -> Option<f64> {
        super::quantile::percentile_by(self.len(), q, |k| self.get(k))
    }

    /// How many values are below `edges[0]`, and for each edge how many
    /// are ≤ it; `edges` ascending. One pass over the values.
    pub fn counts(&self, edges: &[f64]) -> (usize, Vec<usize>) {
        debug_assert!(edges.windows(2).all(|w| w[0] <= w[1]), "edges ascending");
        let values = self.values.borrow();
        // at_most[j]: values whose first edge ≥ them is edge j.
        let mut first = vec![0usize; edges.len() + 1];
        let mut below = 0;
        for &v in values.iter() {
            below += usize::from(edges.first().is_some_and(|&e| v < e));
            first[edges.partition_point(|&e| e < v)] += 1;
        }
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

    fn values() -> impl Strategy<Value = Vec<f64>> {
        // Ties, signed zeros, infinities and wide magnitudes.
        let one = prop_oneof![
            any::<f64>().prop_filter("not NaN", |x| !x.is_nan()),
            Just(0.0),
            Just(-0.0),
            Just(f64::INFINITY),
            Just(1.5),
            (-50i32..50).prop_map(f64::from),
        ];
        proptest::collection::vec(one, 1..300)
    }

    proptest! {
        #[test]
        fn every_rank_is_the_sorted_value(v in values(), picks in proptest::collection::vec(any::<prop::sample::Index>(), 1..40)) {
            let mut sorted = v.clone();
            sort_floats(&mut sorted);
            let s = Selection::new(v);
            for k in picks.iter().map(|i| i.index(sorted.len())) {
                prop_assert_eq!(s.get(k).to_bits(), sorted[k].to_bits());
            }
            // Then every rank, in an order that mixes placed and new ones.
            for k in (0..sorted.len()).rev() {
                prop_assert_eq!(s.get(k).to_bits(), sorted[k].to_bits());
            }
        }

        #[test]
        fn percentiles_and_counts_match_the_sorted_column(v in values(), edges in proptest::collection::vec(-100.0f64..100.0, 1..12)) {
            let mut sorted = v.clone();
            sort_floats(&mut sorted);
            let s = Selection::new(v);
            for q in [0.0, 0.005, 0.05, 0.2, 0.5, 0.8, 0.95, 0.995, 1.0] {
                prop_assert_eq!(
                    s.percentile(q).map(f64::to_bits),
                    percentile_sorted(&sorted, q).map(f64::to_bits)
                );
            }
            let mut edges = edges;
            edges.sort_by(f64::total_cmp);
            let (below, at) = s.counts(&edges);
            prop_assert_eq!(below, sorted.partition_point(|y| *y < edges[0]));
            for (e, n) in edges.iter().zip(at) {
                prop_assert_eq!(n, sorted.partition_point(|y| y <= e));
            }
        }
    }

    #[test]
    fn an_empty_column_has_no_percentile() {
        let s = Selection::new(Vec::new());
        assert!(s.is_empty());
        assert_eq!(s.percentile(0.5), None);
        assert_eq!(s.counts(&[0.0, 1.0]), (0, vec![0, 0]));
    }
}
