//! Count, mean and variance in one pass, mergeable.
//!
//! Welford's update within a chunk of trials and Chan, Golub & LeVeque's
//! pairwise combination across chunks (*Updating formulae and a pairwise
//! algorithm for computing sample variances*, 1979): numerically stable when
//! the mean is large against the spread (NPVs in the millions, spread in the
//! thousands), and mergeable, so chunks run anywhere and merge later. Merging
//! in a fixed (chunk) order keeps results bit-identical.

#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Moments {
    n: u64,
    mean: f64,
    m2: f64,
}

impl Moments {
    #[inline]
    pub fn push(&mut self, x: f64) {
        self.n += 1;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
    }

    pub fn merge(&mut self, o: &Moments) {
        if o.n == 0 {
            return;
        }
        if self.n == 0 {
            *self = *o;
            return;
        }
        let n = self.n + o.n;
        let d = o.mean - self.mean;
        self.mean += d * o.n as f64 / n as f64;
        self.m2 += o.m2 + d * d * (self.n as f64 * o.n as f64 / n as f64);
        self.n = n;
    }

    pub fn count(&self) -> u64 {
        self.n
    }

    /// `None` without observations.
    pub fn mean(&self) -> Option<f64> {
        (self.n > 0).then_some(self.mean)
    }

    /// Sample standard deviation (n − 1 in the denominator); `None` below two
    /// observations.
    pub fn sd(&self) -> Option<f64> {
        (self.n > 1).then(|| (self.m2.max(0.0) / (self.n - 1) as f64).sqrt())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn direct(xs: &[f64]) -> (f64, f64) {
        let n = xs.len() as f64;
        let m = xs.iter().sum::<f64>() / n;
        let v = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0);
        (m, v.sqrt())
    }

    #[test]
    fn large_offset_keeps_precision() {
        let xs: Vec<f64> = (0..1000).map(|i| 1e9 + (i % 10) as f64).collect();
        let mut m = Moments::default();
        xs.iter().for_each(|&x| m.push(x));
        let (dm, ds) = direct(&xs);
        // A naive sum of squares loses everything here (1e18 · ε ≈ 100);
        // Welford keeps the sd to ~1e9 · ε relative to the data's offset.
        assert!((m.mean().unwrap() - dm).abs() < 1e-6);
        assert!((m.sd().unwrap() - ds).abs() < 1e-6 * ds);
    }

    proptest! {
        /// Merging in any split equals one pass.
        #[test]
        fn merge_equals_one_pass(xs in prop::collection::vec(-1e6f64..1e6, 2..200), cut in 0usize..200) {
            let cut = cut.min(xs.len());
            let mut all = Moments::default();
            xs.iter().for_each(|&x| all.push(x));
            let (mut a, mut b) = (Moments::default(), Moments::default());
            xs[..cut].iter().for_each(|&x| a.push(x));
            xs[cut..].iter().for_each(|&x| b.push(x));
            a.merge(&b);
            prop_assert_eq!(a.count(), all.count());
            let scale = 1.0 + all.mean().unwrap().abs();
            prop_assert!((a.mean().unwrap() - all.mean().unwrap()).abs() < 1e-9 * scale);
            let sd = all.sd().unwrap();
            prop_assert!((a.sd().unwrap() - sd).abs() < 1e-7 * (1.0 + sd));
        }
    }
}
