//! Spearman rank correlation with average ranks for ties.
//!
//! Spearman's ρ is Pearson's correlation of the ranks. Tied values share the
//! average of the ranks they span, so +∞ (a payback beyond the horizon)
//! ties above every finite value, as docs/scenario-format.md asks.

/// Ranks 1..=n of `xs`, ties averaged. NaN sorts last and ranks as a tie.
pub fn average_ranks(xs: &[f64]) -> Vec<f64> {
    ranks_in(xs, &order(xs))
}

/// The ranks of [`average_ranks`] and the order they come from: the indices
/// of `xs` sorted by value, ties by index.
// Outside the crate's tests, only the benchmarks call it.
#[cfg_attr(not(feature = "internals"), allow(dead_code))]
pub fn ranks_and_order(xs: &[f64]) -> (Vec<f64>, Vec<usize>) {
    let order = order(xs);
    let ranks = ranks_in(xs, &order);
    (ranks, order.into_iter().map(|k| k as usize).collect())
}

/// The indices of `xs` sorted by value, ties by index (NaN last): the order
/// of [`ranks_and_order`], in 4 bytes an index. Sorting once, several
/// analyses of the same column share it.
pub fn order(xs: &[f64]) -> Vec<u32> {
    assert!(xs.len() <= u32::MAX as usize, "at most 2^32 values");
    // A stable radix sort of (value, index) pairs: ties keep index order.
    let mut pairs: Vec<(f64, u32)> = xs.iter().copied().zip(0..).collect();
    radsort::sort_by_key(&mut pairs, |p| p.0);
    pairs.into_iter().map(|(_, k)| k).collect()
}

/// The average ranks 1..=n of `xs` from its [`order`].
pub fn ranks_in(xs: &[f64], order: &[u32]) -> Vec<f64> {
    debug_assert_eq!(xs.len(), order.len());
    let mut ranks = vec![0.0; xs.len()];
    let mut i = 0;
    while i < order.len() {
        let x = xs[order[i] as usize];
        let mut j = i + 1;
        while j < order.len() && xs[order[j] as usize].total_cmp(&x).is_eq() {
            j += 1;
        }
        // Positions i..j (0-based) hold ranks i+1..=j; their mean:
        let r = (i + j + 1) as f64 / 2.0;
        for &k in &order[i..j] {
            ranks[k as usize] = r;
        }
        i = j;
    }
    ranks
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
