//! Percentiles by linear interpolation between order statistics: numpy's
//! default (`method="linear"`, Hyndman & Fan type 7). For n sorted values
//! and level q, h = (n − 1) q and the percentile is
//! x[⌊h⌋] + (h − ⌊h⌋) (x[⌊h⌋ + 1] − x[⌊h⌋]).
//!
//! Censored values (payback beyond the horizon) are +∞ and sort last; a
//! percentile that depends on one of them is beyond the horizon (`None`).

/// The levels reported for every metric and every month of the fan chart.
pub const PERCENTILES: [(&str, f64); 7] = [
    ("p5", 0.05),
    ("p10", 0.10),
    ("p25", 0.25),
    ("p50", 0.50),
    ("p75", 0.75),
    ("p90", 0.90),
    ("p95", 0.95),
];

/// Sorts `values` ascending in IEEE total order (`f64::total_cmp`, so
/// −0 before +0 and +∞ last), by radix sort: linear in the number of
/// values, several times faster than a comparison sort on a million trials.
pub fn sort_floats(values: &mut [f64]) {
    radsort::sort(values);
}

/// The q-percentile of ascending `sorted` (which may end in +∞ values);
/// `None` if `sorted` is empty or the result involves +∞.
pub fn percentile_sorted(sorted: &[f64], q: f64) -> Option<f64> {
    percentile_by(sorted.len(), q, |k| sorted[k])
}

/// The q-percentile of `n` values whose order statistic of 0-based rank k
/// is `value(k)`: the arithmetic of [`percentile_sorted`], for columns
/// that are not sorted whole ([`Selection`](super::select::Selection)).
pub(crate) fn percentile_by(n: usize, q: f64, mut value: impl FnMut(usize) -> f64) -> Option<f64> {
    if n == 0 {
        return None;
    }
    let h = (n - 1) as f64 * q;
    let lo = (h.floor() as usize).min(n - 1);
    let g = h - lo as f64;
    let a = value(lo);
    if g == 0.0 || lo + 1 == n {
        return a.is_finite().then_some(a);
    }
    let b = value(lo + 1);
    if !(a.is_finite() && b.is_finite()) {
        return None;
    }
    Some(a + g * (b - a))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn radix_order_is_total_order() {
        let mut v = vec![
            3.5,
            -0.0,
            f64::INFINITY,
            0.0,
            -2.0,
            f64::NEG_INFINITY,
            1e-300,
            -1e300,
            2.0,
            f64::MIN_POSITIVE / 4.0,
        ];
        let mut expected = v.clone();
        expected.sort_by(f64::total_cmp);
        sort_floats(&mut v);
        assert_eq!(
            v.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
            expected.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
        );
    }

    proptest! {
        #[test]
        fn radix_sort_agrees_with_total_cmp(mut v in proptest::collection::vec(any::<f64>().prop_filter("not NaN", |x| !x.is_nan()), 0..400)) {
            let mut expected = v.clone();
            expected.sort_by(f64::total_cmp);
            sort_floats(&mut v);
            prop_assert_eq!(
                v.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
                expected.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn matches_numpy_linear() {
        // numpy.percentile([1, 2, 3, 4, 10], [5, 25, 50, 90]) = [1.2, 2, 3, 7.6]
        let x = [1.0, 2.0, 3.0, 4.0, 10.0];
        let got: Vec<f64> = [0.05, 0.25, 0.5, 0.9]
            .iter()
            .map(|&q| percentile_sorted(&x, q).unwrap())
            .collect();
        for (g, e) in got.iter().zip([1.2, 2.0, 3.0, 7.6]) {
            assert!((g - e).abs() < 1e-12, "{g} vs {e}");
        }
        assert_eq!(percentile_sorted(&[7.0], 0.95), Some(7.0));
        assert_eq!(percentile_sorted(&[], 0.5), None);
    }

    #[test]
    fn censored_values_make_upper_percentiles_unknown() {
        let x = [1.0, 2.0, 3.0, f64::INFINITY, f64::INFINITY];
        assert_eq!(percentile_sorted(&x, 0.5), Some(3.0)); // h = 2 exactly
        assert_eq!(percentile_sorted(&x, 0.55), None); // between 3 and +inf
        assert_eq!(percentile_sorted(&x, 0.25), Some(2.0));
    }

    proptest! {
        #[test]
        fn monotone_in_q(mut xs in prop::collection::vec(-1e9f64..1e9, 1..100)) {
            xs.sort_by(f64::total_cmp);
            let mut prev = f64::NEG_INFINITY;
            for (_, q) in PERCENTILES {
                let p = percentile_sorted(&xs, q).unwrap();
                prop_assert!(p >= prev);
                prop_assert!(p >= xs[0] && p <= xs[xs.len() - 1]);
                prev = p;
            }
        }
    }
}
