//! Tests of every continuous family's log-density ([`Continuous::ln_pdf`])
//! against scipy 1.17.1 (`scipy.stats`, the call above each row), inside
//! the support, at its bounds (poles and zeros of the density) and at the
//! extremes of the shapes the families accept.
//!
//! At the largest shapes scipy itself is off (gamma.logpdf(1e4, a=1e4) by
//! 1.5e-11, beta.logpdf(0.5, 1e5, 1e5) by 6e-10): those two rows hold
//! mpmath's values at 40 digits instead, with the expression beside them.
//!
//! Finite values must agree to 1e-13 of the largest of 1, the result and
//! the terms the formula sums: each formula is a handful of logarithms, a
//! square and (gamma, beta) statrs' ln Γ or ln B, accurate to about 1e-15
//! of their own size (ln B(1e5, 1e5) ≈ −1.4e5 is off by about 8e-10), and
//! the terms cancel down to a result many times smaller (ln Γ(10000) ≈
//! 82000 against a result of −5.5). Infinite values (outside the support,
//! poles, zeros at a bound) must match exactly.

// The references are pasted as scipy and mpmath print them: ln 2 among
// them, and mpmath's digits beyond a double's.
#![allow(clippy::approx_constant, clippy::excessive_precision)]

use super::*;
use statrs::function::beta::ln_beta;
use statrs::function::gamma::ln_gamma;

/// `got` against `want`, for a formula whose largest term is about `terms`.
fn check(family: &str, got: f64, want: f64, terms: f64, case: &str) {
    if want.is_infinite() {
        assert_eq!(got, want, "{family} {case}");
    } else {
        let tol = 1e-13 * want.abs().max(terms.abs()).max(1.0);
        assert!(
            (got - want).abs() <= tol,
            "{family} {case}: ln_pdf = {got:e}, scipy {want:e}, off by {:e}",
            got - want
        );
    }
}

#[test]
fn normal_ln_pdf_matches_scipy() {
    #[rustfmt::skip]
    let cases: &[(f64, f64, f64, f64)] = &[
        // stats.norm.logpdf(0, loc=0, scale=1)
        (0.0, 1.0, 0.0, -0.9189385332046727),
        // stats.norm.logpdf(5, loc=0, scale=1)
        (0.0, 1.0, 5.0, -13.418938533204672),
        // stats.norm.logpdf(-40, loc=0, scale=1)
        (0.0, 1.0, -40.0, -800.9189385332047),
        // stats.norm.logpdf(1000000.000003, loc=1000000.0, scale=1e-06)
        (1000000.0, 1e-06, 1000000.000003, 8.396503494058358),
        // stats.norm.logpdf(1000.0, loc=-3, scale=2)
        (-3.0, 2.0, 1000.0, -125752.73708571376),
    ];
    for c in cases {
        let d = Normal::new(c.0, c.1).unwrap();
        check("normal", d.ln_pdf(c.2), c.3, 0.0, &format!("{c:?}"));
    }
}

#[test]
fn lognormal_ln_pdf_matches_scipy() {
    #[rustfmt::skip]
    let cases: &[(f64, f64, f64, f64)] = &[
        // stats.lognorm.logpdf(1, s=1, scale=np.exp(0))
        (0.0, 1.0, 1.0, -0.9189385332046727),
        // stats.lognorm.logpdf(1e-300, s=1, scale=np.exp(0))
        (0.0, 1.0, 1e-300, -237895.55838216288),
        // stats.lognorm.logpdf(1e+300, s=1, scale=np.exp(0))
        (0.0, 1.0, 1e+300, -239277.10943795933),
        // stats.lognorm.logpdf(np.float64(7.38905609893065), s=0.001, scale=np.exp(2))
        (2.0, 0.001, 7.38905609893065, 3.9888167457774646),
        // stats.lognorm.logpdf(100, s=0.4, scale=np.exp(5))
        (5.0, 0.4, 100.0, -5.0949760561707285),
        // stats.lognorm.logpdf(0, s=1, scale=np.exp(0))
        (0.0, 1.0, 0.0, f64::NEG_INFINITY),
    ];
    for c in cases {
        let d = LogNormal::new(c.0, c.1).unwrap();
        check("lognormal", d.ln_pdf(c.2), c.3, 0.0, &format!("{c:?}"));
    }
}

#[test]
fn gamma_ln_pdf_matches_scipy() {
    #[rustfmt::skip]
    let cases: &[(f64, f64, f64, f64)] = &[
        // stats.gamma.logpdf(1e-10, a=0.01, scale=1)
        (0.01, 1.0, 1e-10, 18.196112542499034),
        // stats.gamma.logpdf(1, a=0.01, scale=1)
        (0.01, 1.0, 1.0, -5.599479878042022),
        // stats.gamma.logpdf(0, a=1, scale=2)
        (1.0, 2.0, 0.0, -0.6931471805599453),
        // stats.gamma.logpdf(0, a=0.5, scale=1)
        (0.5, 1.0, 0.0, f64::INFINITY),
        // stats.gamma.logpdf(0, a=2, scale=3)
        (2.0, 3.0, 0.0, f64::NEG_INFINITY),
        // mpmath: (k - 1) * log(k) - k - loggamma(k), k = 10000
        (10000.0, 1.0, 10000.0, -5.524117052526094665),
        // stats.gamma.logpdf(100, a=2.5, scale=41.2)
        (2.5, 41.2, 100.0, -5.1002076983989015),
        // stats.gamma.logpdf(5e-06, a=3, scale=1e-06)
        (3.0, 1e-06, 5e-06, 11.34123920227253),
        // stats.gamma.logpdf(1000.0, a=7.08, scale=0.4543)
        (7.08, 0.4543, 1000.0, -2160.3329507340313),
    ];
    for c in cases {
        let d = Gamma::new(c.0, c.1).unwrap();
        check(
            "gamma",
            d.ln_pdf(c.2),
            c.3,
            ln_gamma(c.0),
            &format!("{c:?}"),
        );
    }
}

#[test]
fn weibull_ln_pdf_matches_scipy() {
    #[rustfmt::skip]
    let cases: &[(f64, f64, f64, f64)] = &[
        // stats.weibull_min.logpdf(1e-08, c=0.5, scale=1)
        (0.5, 1.0, 1e-08, 8.517093191416238),
        // stats.weibull_min.logpdf(0, c=1, scale=3)
        (1.0, 3.0, 0.0, -1.0986122886681098),
        // stats.weibull_min.logpdf(0, c=0.5, scale=1)
        (0.5, 1.0, 0.0, f64::INFINITY),
        // stats.weibull_min.logpdf(0, c=2, scale=1)
        (2.0, 1.0, 0.0, f64::NEG_INFINITY),
        // stats.weibull_min.logpdf(5, c=20, scale=5)
        (20.0, 5.0, 5.0, 0.3862943611198906),
        // stats.weibull_min.logpdf(10000000.0, c=2, scale=1000000.0)
        (2.0, 1000000.0, 10000000.0, -110.81977828441028),
        // stats.weibull_min.logpdf(250, c=1.7, scale=300)
        (1.7, 300.0, 250.0, -6.034265402543728),
    ];
    for c in cases {
        let d = Weibull::new(c.0, c.1).unwrap();
        check("weibull", d.ln_pdf(c.2), c.3, 0.0, &format!("{c:?}"));
    }
}

#[test]
fn uniform_ln_pdf_matches_scipy() {
    #[rustfmt::skip]
    let cases: &[(f64, f64, f64, f64)] = &[
        // stats.uniform.logpdf(-3, loc=-3, scale=1234567 - -3)
        (-3.0, 1234567.0, -3.0, -14.026233289278482),
        // stats.uniform.logpdf(1234567, loc=-3, scale=1234567 - -3)
        (-3.0, 1234567.0, 1234567.0, -14.026233289278482),
        // stats.uniform.logpdf(0, loc=-3, scale=1234567 - -3)
        (-3.0, 1234567.0, 0.0, -14.026233289278482),
        // stats.uniform.logpdf(-3.5, loc=-3, scale=1234567 - -3)
        (-3.0, 1234567.0, -3.5, f64::NEG_INFINITY),
        // stats.uniform.logpdf(0.15, loc=0.1, scale=0.2 - 0.1)
        (0.1, 0.2, 0.15, 2.3025850929940455),
    ];
    for c in cases {
        let d = Uniform::new(c.0, c.1).unwrap();
        check("uniform", d.ln_pdf(c.2), c.3, 0.0, &format!("{c:?}"));
    }
}

#[test]
fn triangular_ln_pdf_matches_scipy() {
    #[rustfmt::skip]
    let cases: &[(f64, f64, f64, f64, f64)] = &[
        // stats.triang.logpdf(0, c=(0 - 0) / (1 - 0), loc=0, scale=1 - 0)
        (0.0, 0.0, 1.0, 0.0, 0.6931471805599453),
        // stats.triang.logpdf(0.25, c=(0 - 0) / (1 - 0), loc=0, scale=1 - 0)
        (0.0, 0.0, 1.0, 0.25, 0.4054651081081644),
        // stats.triang.logpdf(1, c=(1 - 0) / (1 - 0), loc=0, scale=1 - 0)
        (0.0, 1.0, 1.0, 1.0, 0.6931471805599453),
        // stats.triang.logpdf(2, c=(2 - 0.5) / (9.87654 - 0.5), loc=0.5, scale=9.87654 - 0.5)
        (0.5, 2.0, 9.87654, 2.0, -1.5450636444729042),
        // stats.triang.logpdf(1, c=(2 - 0.5) / (9.87654 - 0.5), loc=0.5, scale=9.87654 - 0.5)
        (0.5, 2.0, 9.87654, 1.0, -2.6436759331410142),
        // stats.triang.logpdf(9, c=(2 - 0.5) / (9.87654 - 0.5), loc=0.5, scale=9.87654 - 0.5)
        (0.5, 2.0, 9.87654, 9.0, -3.7407253052313205),
        // stats.triang.logpdf(0.5, c=(2 - 0.5) / (9.87654 - 0.5), loc=0.5, scale=9.87654 - 0.5)
        (0.5, 2.0, 9.87654, 0.5, f64::NEG_INFINITY),
        // stats.triang.logpdf(10, c=(2 - 0.5) / (9.87654 - 0.5), loc=0.5, scale=9.87654 - 0.5)
        (0.5, 2.0, 9.87654, 10.0, f64::NEG_INFINITY),
    ];
    for c in cases {
        let d = Triangular::new(c.0, c.1, c.2).unwrap();
        check("triangular", d.ln_pdf(c.3), c.4, 0.0, &format!("{c:?}"));
    }
}

#[test]
fn beta_ln_pdf_matches_scipy() {
    #[rustfmt::skip]
    let cases: &[(f64, f64, f64, f64)] = &[
        // stats.beta.logpdf(1e-10, 0.001, 100000.0)
        (0.001, 100000.0, 1e-10, 16.107149114300338),
        // mpmath: -log(beta(a, a)) + (a - 1) * log(0.25), a = 100000
        (100000.0, 100000.0, 0.5, 5.877243720120359438),
        // stats.beta.logpdf(1e-12, 0.5, 0.5)
        (0.5, 0.5, 1e-12, 12.670780672115374),
        // stats.beta.logpdf(0, 1, 1)
        (1.0, 1.0, 0.0, 0.0),
        // stats.beta.logpdf(0, 1, 3)
        (1.0, 3.0, 0.0, 1.0986122886681098),
        // stats.beta.logpdf(1, 2, 1)
        (2.0, 1.0, 1.0, 0.6931471805599453),
        // stats.beta.logpdf(0, 2, 3)
        (2.0, 3.0, 0.0, f64::NEG_INFINITY),
        // stats.beta.logpdf(0, 0.5, 2)
        (0.5, 2.0, 0.0, f64::INFINITY),
        // stats.beta.logpdf(0.2, 2.5, 8)
        (2.5, 8.0, 0.2, 1.1546192600148113),
        // stats.beta.logpdf(0.5, 0.001, 0.001)
        (0.001, 0.001, 0.5, -6.215992750249576),
        // stats.beta.logpdf(1.5, 3, 4)
        (3.0, 4.0, 1.5, f64::NEG_INFINITY),
    ];
    for c in cases {
        let d = Beta::new(c.0, c.1).unwrap();
        check(
            "beta",
            d.ln_pdf(c.2),
            c.3,
            ln_beta(c.0, c.1),
            &format!("{c:?}"),
        );
    }
}

#[test]
fn pert_ln_pdf_matches_scipy() {
    #[rustfmt::skip]
    let cases: &[(f64, f64, f64, f64, f64)] = &[
        // stats.beta.logpdf((3 - 0) / 10, 1.8, 4.2) - np.log(10)
        (0.0, 2.0, 10.0, 3.0, -1.5971031783229108),
        // stats.beta.logpdf((0 - 0) / 10, 1.8, 4.2) - np.log(10)
        (0.0, 2.0, 10.0, 0.0, f64::NEG_INFINITY),
        // stats.beta.logpdf((5 - 5) / 35, 1.0, 5.0) - np.log(35)
        (5.0, 5.0, 40.0, 5.0, -1.9459101490553132),
        // stats.beta.logpdf((39 - 5) / 35, 1.0, 5.0) - np.log(35)
        (5.0, 5.0, 40.0, 39.0, -16.167302395012968),
        // stats.beta.logpdf((100000 - 60000) / 100000, 2.2, 3.8) - np.log(100000)
        (60000.0, 90000.0, 160000.0, 100000.0, -10.898564022941486),
    ];
    for c in cases {
        let d = Pert::new(c.0, c.1, c.2).unwrap();
        check("pert", d.ln_pdf(c.3), c.4, 0.0, &format!("{c:?}"));
    }
}
