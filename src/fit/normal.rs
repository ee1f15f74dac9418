//! Normal and lognormal fits, both in closed form: the maximum likelihood
//! estimates of a normal are the sample mean and the standard deviation
//! with divisor n (not the unbiased n − 1); a lognormal is a normal on
//! ln x, so its mu and sigma are the same estimates on the logarithms.

use super::model::Model;

/// Mean and maximum likelihood standard deviation (divisor n), two-pass.
fn mean_sd(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let ss: f64 = xs.iter().map(|x| (x - mean) * (x - mean)).sum();
    (mean, (ss / n).sqrt())
}

pub(super) fn fit_normal(xs: &[f64]) -> Result<Model, String> {
    let (mean, sd) = mean_sd(xs);
    Model::normal(mean, sd)
}

/// Needs every value > 0 (checked by the caller).
pub(super) fn fit_lognormal(xs: &[f64]) -> Result<Model, String> {
    let logs: Vec<f64> = xs.iter().map(|x| x.ln()).collect();
    let (mu, sigma) = mean_sd(&logs);
    Model::lognormal(mu, sigma)
}

#[cfg(test)]
mod tests {
    use super::super::testing::{POSITIVE, sample};
    use super::*;
    use crate::dist::Family;

    /// (mean, sd) of a fitted normal.
    fn normal(m: Model) -> (f64, f64) {
        let Family::Normal(d) = m.dist() else {
            unreachable!()
        };
        (d.mu(), d.sigma())
    }

    /// (mu, sigma) of a fitted lognormal.
    fn lognormal(m: Model) -> (f64, f64) {
        let Family::LogNormal(d) = m.dist() else {
            unreachable!()
        };
        d.params()
    }

    #[test]
    fn against_scipy() {
        // numpy: x.mean(), x.std() (ddof = 0), and the same on np.log(x).
        let (mean, sd) = normal(fit_normal(&POSITIVE).unwrap());
        assert!((mean - 16.89).abs() < 1e-12 && (sd - 7.252372025758192).abs() < 1e-12);
        let (mu, sigma) = lognormal(fit_lognormal(&POSITIVE).unwrap());
        assert!((mu - 2.7353898918687642).abs() < 1e-12);
        assert!((sigma - 0.42908376948968446).abs() < 1e-12);
    }

    #[test]
    fn recovers_normal_parameters() {
        // SE(mean) = sd/√n, SE(sd) ≈ sd/√(2n): 0.67 and 0.47 at n = 2000.
        let n = 2000.0f64;
        let xs = sample(rand_distr::Normal::new(120.0, 30.0).unwrap(), 2000, 11);
        let (mean, sd) = normal(fit_normal(&xs).unwrap());
        assert!((mean - 120.0).abs() < 4.0 * 30.0 / n.sqrt(), "{mean}");
        assert!((sd - 30.0).abs() < 4.0 * 30.0 / (2.0 * n).sqrt(), "{sd}");
    }

    #[test]
    fn recovers_lognormal_parameters() {
        // The same standard errors on the log scale: sigma/√n, sigma/√(2n).
        let n = 2000.0f64;
        let xs = sample(rand_distr::LogNormal::new(5.0, 0.8).unwrap(), 2000, 12);
        let (mu, sigma) = lognormal(fit_lognormal(&xs).unwrap());
        assert!((mu - 5.0).abs() < 4.0 * 0.8 / n.sqrt(), "{mu}");
        assert!(
            (sigma - 0.8).abs() < 4.0 * 0.8 / (2.0 * n).sqrt(),
            "{sigma}"
        );
    }
}
