//! Spearman rank correlation with average ranks for ties.
//!
//! Spearman's ρ is Pearson's correlation of the ranks. Tied values share the
//! average of the ranks they span, so +∞ (a payback beyond the horizon)
//! ties above every finite value, as docs/scenario-format.md asks.

/// Ranks 1..=n of `xs`, ties averaged. NaN sorts last and ranks as a tie.
pub fn average_ranks(xs: &[f64]) -> Vec<f64> {
    Ranked::new(xs).ranks()
}

/// The ranks of [`average_ranks`] and the order they come from: the indices
/// of `xs` sorted by value, ties by index.
// Outside the crate's tests, only the benchmarks call it.
#[cfg_attr(not(feature = "internals"), allow(dead_code))]
pub fn ranks_and_order(xs: &[f64]) -> (Vec<f64>, Vec<usize>) {
    let r = Ranked::new(xs);
    (r.ranks(), r.order.iter().map(|&k| k as usize).collect())
}

/// The indices of `xs` sorted by value, ties by index (NaN last): the order
/// of [`ranks_and_order`], in 4 bytes an index. A stable radix sort of the
/// indices by their values: no copy of the values beside them (4 bytes a
/// value and as much scratch, not 16 and 16).
pub fn order(xs: &[f64]) -> Vec<u32> {
    assert!(xs.len() < u32::MAX as usize, "fewer than 2^32 - 1 values");
    let mut order: Vec<u32> = (0..xs.len() as u32).collect();
    radsort::sort_by_key(&mut order, |&k| xs[k as usize]);
    order
}

/// The [`order`] of a column and where its ties are, from one sort, for
/// the several analyses that read its ranks: 4 bytes and 1 bit a value.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    /// The indices sorted by value, ties by index.
    pub order: Vec<u32>,
    /// Bit p: sorted position p holds the same value as p − 1.
    tied: Vec<u64>,
}

impl Ranked {
    pub fn new(xs: &[f64]) -> Ranked {
        let order = order(xs);
        let mut tied = vec![0u64; order.len().div_ceil(64)];
        for p in 1..order.len() {
            let (a, b) = (xs[order[p] as usize], xs[order[p - 1] as usize]);
            if a.total_cmp(&b).is_eq() {
                tied[p / 64] |= 1 << (p % 64);
            }
        }
        Ranked { order, tied }
    }

    /// Whether sorted position `p` holds the same value as `p − 1`.
    #[inline]
    fn tied(&self, p: usize) -> bool {
        self.tied[p / 64] >> (p % 64) & 1 == 1
    }

    /// The end of the run of equal values that starts at sorted position
    /// `i`.
    #[inline]
    fn run_end(&self, i: usize) -> usize {
        let mut j = i + 1;
        while j < self.order.len() && self.tied(j) {
            j += 1;
        }
        j
    }

    /// The average ranks 1..=n, in the values' order.
    pub fn ranks(&self) -> Vec<f64> {
        let mut ranks = vec![0.0; self.order.len()];
        let mut i = 0;
        while i < self.order.len() {
            let j = self.run_end(i);
            // Positions i..j (0-based) hold ranks i+1..=j; their mean:
            let r = (i + j + 1) as f64 / 2.0;
            for &k in &self.order[i..j] {
                ranks[k as usize] = r;
            }
            i = j;
        }
        ranks
    }

    /// The indices in sorted order, each with its average rank.
    pub fn sorted_ranks(&self) -> impl Iterator<Item = (usize, f64)> + '_ {
        let (mut i, mut j) = (0, 0);
        self.order.iter().enumerate().map(move |(p, &k)| {
            if p == j {
                (i, j) = (p, self.run_end(p));
            }
            (k as usize, (i + j + 1) as f64 / 2.0)
        })
    }
}

/// Pearson correlation; `None` when either side is constant.
pub fn pearson(a: &[f64], b: &[f64]) -> Option<f64> {
    let n = a.len() as f64;
    if a.len() != b.len() || a.len() < 2 {
        return None;
    }
    let ma = a.iter().sum::<f64>() / n;
    let mb = b.iter().sum::<f64>() / n;
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        let (dx, dy) = (x - ma, y - mb);
        sab += dx * dy;
        saa += dx * dx;
        sbb += dy * dy;
    }
    (saa > 0.0 && sbb > 0.0).then(|| (sab / (saa * sbb).sqrt()).clamp(-1.0, 1.0))
}

/// Spearman's ρ of two equally long samples; `None` when either is constant.
// Outside the crate's tests, only the integration tests call it.
#[cfg_attr(not(feature = "internals"), allow(dead_code))]
pub fn spearman(a: &[f64], b: &[f64]) -> Option<f64> {
    pearson(&average_ranks(a), &average_ranks(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Average ranks by definition: 1 + the values below, + half of the
    /// other values equal (as `total_cmp` orders them: −0 below +0, NaN
    /// last).
    fn naive_ranks(xs: &[f64]) -> Vec<f64> {
        xs.iter()
            .map(|x| {
                let below = xs.iter().filter(|y| y.total_cmp(x).is_lt()).count();
                let equal = xs.iter().filter(|y| y.total_cmp(x).is_eq()).count();
                below as f64 + (equal as f64 + 1.0) / 2.0
            })
            .collect()
    }

    proptest! {
        /// [`Ranked`]'s order, ranks and sorted ranks agree with the
        /// definition, over few distinct values (long runs of ties that
        /// cross the 64-bit words of its tie bits), ±0, ±∞ and NaN.
        #[test]
        fn ranked_agrees_with_the_definition(
            xs in proptest::collection::vec(
                prop_oneof![
                    (0u8..4).prop_map(f64::from),
                    Just(-0.0),
                    Just(0.0),
                    Just(f64::INFINITY),
                    Just(f64::NEG_INFINITY),
                    Just(f64::NAN),
                    -1e300..1e300f64,
                ],
                0..300,
            )
        ) {
            let r = Ranked::new(&xs);
            let want = naive_ranks(&xs);
            prop_assert_eq!(r.ranks(), want.clone());
            // The order sorts by value, ties by index.
            for w in r.order.windows(2) {
                let (a, b) = (w[0] as usize, w[1] as usize);
                let c = xs[a].total_cmp(&xs[b]);
                prop_assert!(c.is_lt() || (c.is_eq() && a < b));
            }
            let mut seen = vec![false; xs.len()];
            for (k, rank) in r.sorted_ranks() {
                prop_assert_eq!(rank, want[k]);
                seen[k] = true;
            }
            prop_assert!(seen.iter().all(|&s| s));
            prop_assert_eq!(order(&xs), r.order.clone());
        }
    }

    #[test]
    fn ties_get_average_ranks() {
        let r = average_ranks(&[10.0, f64::INFINITY, 5.0, f64::INFINITY, 10.0]);
        assert_eq!(r, vec![2.5, 4.5, 1.0, 4.5, 2.5]);
    }

    #[test]
    fn spearman_known_values() {
        let a = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert!((spearman(&a, &[2.0, 4.0, 8.0, 16.0, 32.0]).unwrap() - 1.0).abs() < 1e-12);
        assert!((spearman(&a, &[5.0, 4.0, 3.0, 2.0, 1.0]).unwrap() + 1.0).abs() < 1e-12);
        // d = (0, 0, 1, -1, 0): rho = 1 - 6*2/(5*24) = 0.9
        assert!((spearman(&a, &[1.0, 2.0, 4.0, 3.0, 5.0]).unwrap() - 0.9).abs() < 1e-12);
        assert_eq!(spearman(&a, &[1.0; 5]), None);
    }
}
