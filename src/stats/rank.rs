//! Spearman rank correlation with average ranks for ties.
//!
//! Spearman's ρ is Pearson's correlation of the ranks. Tied values share the
//! average of the ranks they span, so +∞ (a payback beyond the horizon)
//! ties above every finite value, as docs/scenario-format.md asks.

/// Ranks 1..=n of `xs`, ties averaged. NaN sorts last and ranks as a tie.
pub fn average_ranks(xs: &[f64]) -> Vec<f64> {
    Ranked::new(xs).ranks().collect()
}

/// The ranks of [`average_ranks`] and the order they come from: the indices
/// of `xs` sorted by value, ties by index.
// Outside the crate's tests, only the benchmarks call it.
#[cfg_attr(not(feature = "internals"), allow(dead_code))]
pub fn ranks_and_order(xs: &[f64]) -> (Vec<f64>, Vec<usize>) {
    let r = Ranked::new(xs);
    (r.ranks().collect(), r.order.iter().map(|&k| k as usize).collect())
}

/// The indices of `xs` sorted by value, ties by index (NaN last): the order
/// of [`ranks_and_order`], in 4 bytes an index.
pub fn order(xs: &[f64]) -> Vec<u32> {
    sorted_pairs(xs).into_iter().map(|(_, k)| k).collect()
}

/// `xs` with their indices, sorted by value, ties by index.
fn sorted_pairs(xs: &[f64]) -> Vec<(f64, u32)> {
    assert!(xs.len() < u32::MAX as usize, "fewer than 2^32 - 1 values");
    // A stable radix sort of (value, index) pairs: ties keep index order.
    let mut pairs: Vec<(f64, u32)> = xs.iter().copied().zip(0..).collect();
    radsort::sort_by_key(&mut pairs, |p| p.0);
    pairs
}

/// The [`order`] and average ranks of a column, from one sort, for the
/// several analyses that read them: 8 bytes a value.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    /// The indices sorted by value, ties by index.
    pub order: Vec<u32>,
    /// Twice each value's average rank (a whole number).
    twice: Vec<u32>,
}

impl Ranked {
    pub fn new(xs: &[f64]) -> Ranked {
        let pairs = sorted_pairs(xs);
        let mut twice = vec![0u32; xs.len()];
        let mut i = 0;
        while i < pairs.len() {
            let mut j = i + 1;
            while j < pairs.len() && pairs[j].0.total_cmp(&pairs[i].0).is_eq() {
                j += 1;
            }
            // Positions i..j (0-based) hold ranks i+1..=j; their mean is
            // (i + j + 1) / 2.
            for &(_, k) in &pairs[i..j] {
                twice[k as usize] = (i + j + 1) as u32;
            }
            i = j;
        }
        Ranked {
            order: pairs.into_iter().map(|(_, k)| k).collect(),
            twice,
        }
    }

    /// The average rank (1..=n) of value `i`.
    #[inline]
    pub fn rank(&self, i: usize) -> f64 {
        f64::from(self.twice[i]) / 2.0
    }

    /// The average ranks, in the values' order.
    pub fn ranks(&self) -> impl ExactSizeIterator<Item = f64> + Clone + '_ {
        self.twice.iter().map(|&t| f64::from(t) / 2.0)
    }
}

/// Pearson correlation; `None` when either side is constant.
pub fn pearson(a: &[f64], b: &[f64]) -> Option<f64> {
    if a.len() != b.len() {
        return None;
    }
    pearson_of(a.iter().copied(), b.iter().copied())
}

/// [`pearson`] of two equally long sequences.
pub fn pearson_of(
    a: impl ExactSizeIterator<Item = f64> + Clone,
    b: impl Iterator<Item = f64> + Clone,
) -> Option<f64> {
    let len = a.len();
    let n = len as f64;
    if len < 2 {
        return None;
    }
    let ma = a.clone().sum::<f64>() / n;
    let mb = b.clone().sum::<f64>() / n;
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in a.zip(b) {
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
