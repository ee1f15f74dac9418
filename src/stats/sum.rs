//! Compensated summation (Neumaier's variant of Kahan's algorithm), for sums
//! of many terms of mixed sign and size, such as a month's cumulative cash
//! flow over ten million trials: the rounding error of each addition is
//! carried along and added back at the end, so the result is as accurate as
//! if the sum were computed in twice the precision (Neumaier 1974,
//! "Rundungsfehleranalyse einiger Verfahren zur Summation endlicher Summen").

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Sum {
    sum: f64,
    compensation: f64,
}

impl Sum {
    #[inline]
    pub fn add(&mut self, x: f64) {
        let t = self.sum + x;
        self.compensation += if self.sum.abs() >= x.abs() {
            (self.sum - t) + x
        } else {
            (x - t) + self.sum
        };
        self.sum = t;
    }

    pub fn value(&self) -> f64 {
        self.sum + self.compensation
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_what_plain_summation_loses() {
        // 1e16 + 1 + 1 − 1e16: plain summation gives 0 (each 1 is lost
        // against 1e16), the exact answer is 2.
        let xs = [1e16, 1.0, 1.0, -1e16];
        let plain: f64 = xs.iter().sum();
        assert_eq!(plain, 0.0);
        let mut s = Sum::default();
        xs.iter().for_each(|&x| s.add(x));
        assert_eq!(s.value(), 2.0);
    }

    #[test]
    fn ten_million_tenths() {
        // 0.1 is not exact in binary; ten million of them drift in plain
        // summation (by about 1.6e-4 here), not with compensation.
        let mut s = Sum::default();
        let mut plain = 0.0f64;
        for _ in 0..10_000_000 {
            s.add(0.1);
            plain += 0.1;
        }
        assert!((s.value() - 1e6).abs() < 1e-9, "{}", s.value());
        assert!(
            (plain - 1e6).abs() > 1e-6,
            "plain summation drifts: {plain}"
        );
    }
}
