//! Tests of `fit_sample` as a whole: model selection, the KS p-values of
//! right and wrong families, exclusions, small and degenerate samples, the
//! JSON shape, and that no finite sample makes it panic.

use super::testing::sample;
use super::*;
use proptest::prelude::*;

#[test]
fn lowest_aic_is_the_true_family() {
    // The expected AIC gap between the true family and its closest rival
    // at n = 2000, and its sd, from 200,000 draws fitted by scipy (gap =
    // 2n E[ln f_true − ln f_rival] + 2Δk, sd = 2√(n Var[…])):
    // - normal(100, 20): gamma 67 ± 20, Weibull 52 ± 16 (3.4 sd). A smaller
    //   sd makes the gamma closer (normal(100, 10): 15 ± 8), a larger one
    //   the Weibull, so this is about the clearest normal with no
    //   negative values to rule the positive families out;
    // - lognormal(ln 100, 0.8): gamma 202 ± 35 (5.8 sd);
    // - uniform(50, 150): PERT 475 ± 35 (13 sd);
    // - beta(0.5, 0.5): uniform 972 ± 81 (12 sd). The beta(2, 8) that comes
    //   to mind first is a poor test: a Weibull fits it almost as well
    //   (3 ± 4).
    // So each case fails with probability below 0.1% for a fresh seed.
    let cases = [
        (
            sample(rand_distr::Normal::new(100.0, 20.0).unwrap(), 2000, 81),
            FitFamily::Normal,
        ),
        (
            sample(
                rand_distr::LogNormal::new(100f64.ln(), 0.8).unwrap(),
                2000,
                82,
            ),
            FitFamily::LogNormal,
        ),
        (
            sample(rand_distr::Uniform::new(50.0, 150.0).unwrap(), 2000, 83),
            FitFamily::Uniform,
        ),
        (
            sample(rand_distr::Beta::new(0.5, 0.5).unwrap(), 2000, 84),
            FitFamily::Beta,
        ),
    ];
    for (xs, truth) in cases {
        let fit = fit_sample(&xs, &FitFamily::ALL).unwrap();
        let ranking: Vec<_> = fit.fits.iter().map(|f| (f.family, f.aic)).collect();
        assert_eq!(fit.fits[0].family, truth, "{ranking:?}");
    }
}

#[test]
fn ks_p_value_separates_right_from_wrong() {
    // Under the true family with fitted parameters the p-value is
    // conservative, so P(p < 0.001) < 0.001, and P(D > 0.05) < 1e-4. A
    // normal fitted to a lognormal with sigma 0.8 has D → 0.164 as n grows
    // (scipy, 10⁶ draws); at n = 2000 D fluctuates by about 0.02, and even
    // D = 0.1 has p = 7e-18 (scipy.stats.kstwo.sf(0.1, 2000)).
    let xs = sample(
        rand_distr::LogNormal::new(100f64.ln(), 0.8).unwrap(),
        2000,
        91,
    );
    let fit = fit_sample(&xs, &[FitFamily::LogNormal, FitFamily::Normal]).unwrap();
    let get = |f| fit.fits.iter().find(|x| x.family == f).unwrap();
    let (right, wrong) = (get(FitFamily::LogNormal), get(FitFamily::Normal));
    assert!(right.ks_p_value > 0.001, "{}", right.ks_p_value);
    assert!(right.ks_statistic < 0.05, "{}", right.ks_statistic);
    assert!(wrong.ks_statistic > 0.1, "{}", wrong.ks_statistic);
    assert!(wrong.ks_p_value < 1e-6, "{}", wrong.ks_p_value);
}

#[test]
fn aic_and_order() {
    let xs = sample(rand_distr::Gamma::new(3.0, 10.0).unwrap(), 200, 92);
    let fit = fit_sample(&xs, &FitFamily::ALL).unwrap();
    assert_eq!(fit.n, 200);
    assert!(!fit.weak);
    for w in fit.fits.windows(2) {
        assert!(w[0].aic <= w[1].aic);
    }
    for f in &fit.fits {
        assert_eq!(f.k, f.family.parameter_count());
        assert_eq!(f.aic, 2.0 * f.k as f64 - 2.0 * f.log_likelihood);
        let direct: f64 = xs.iter().map(|&x| f.pdf(x).ln()).sum();
        assert!(
            (direct - f.log_likelihood).abs() < 1e-8 * direct.abs(),
            "{:?}",
            f.family
        );
    }
    // Every family is either fitted or excluded: beta here (values > 1).
    assert_eq!(fit.fits.len() + fit.excluded.len(), 8);
    assert_eq!(fit.excluded.len(), 1);
    assert_eq!(fit.excluded[0].family, FitFamily::Beta);
}

#[test]
fn densities_integrate_to_one() {
    // The trapezoid rule over [−100, 300] in steps of 1e-3 (the data lie
    // in about [1, 110]; no fit has mass 1e-4 outside). The densities are
    // continuous except at the uniform's and triangular's ends, where one
    // step costs at most 1e-3 · max density < 1e-4.
    let xs = sample(rand_distr::Gamma::new(3.0, 10.0).unwrap(), 200, 93);
    let fit = fit_sample(&xs, &FitFamily::ALL).unwrap();
    let h = 1e-3;
    for f in &fit.fits {
        let grid = (0..400_000).map(|i| -100.0 + h * i as f64);
        let total: f64 = grid.map(|x| f.pdf(x) + f.pdf(x + h)).sum::<f64>() * h / 2.0;
        assert!((total - 1.0).abs() < 2e-3, "{:?}: {total}", f.family);
        assert!((f.cdf(300.0) - f.cdf(-100.0) - total).abs() < 2e-3);
    }
}

#[test]
fn support_rules_families_out_with_a_reason() {
    let xs = [-3.0, 1.0, 2.0, 4.0, 8.0, 9.0];
    let fit = fit_sample(&xs, &FitFamily::ALL).unwrap();
    let out: Vec<_> = fit.excluded.iter().map(|e| e.family).collect();
    assert_eq!(
        out,
        [
            FitFamily::LogNormal,
            FitFamily::Gamma,
            FitFamily::Weibull,
            FitFamily::Beta
        ]
    );
    assert!(
        fit.excluded[0].reason.contains("> 0 (smallest: -3)"),
        "{}",
        fit.excluded[0].reason
    );
    // A zero is not > 0 either, and a 0 or a 1 rules beta out.
    for xs in [[0.0, 0.2, 0.3, 0.5, 0.9], [0.1, 0.2, 0.3, 0.5, 1.0]] {
        let fit = fit_sample(&xs, &[FitFamily::Beta, FitFamily::Gamma]).unwrap();
        let out: Vec<_> = fit.excluded.iter().map(|e| e.family).collect();
        assert!(out.contains(&FitFamily::Beta));
        assert_eq!(out.contains(&FitFamily::Gamma), xs[0] == 0.0);
    }
    let fit = fit_sample(&[0.1, 0.2, 0.3, 0.5, 0.9], &[FitFamily::Beta]).unwrap();
    assert!(fit.excluded.is_empty() && fit.fits.len() == 1);
}

#[test]
fn small_and_degenerate_samples() {
    let four = [1.0, 2.0, 3.0, 4.0];
    assert_eq!(
        fit_sample(&four, &FitFamily::ALL).unwrap_err(),
        FitError::TooFew { n: 4 }
    );
    assert_eq!(
        FitError::TooFew { n: 4 }.to_string(),
        "too few values to fit: 4; give a PERT instead"
    );
    let nine: Vec<f64> = (1..=9).map(f64::from).collect();
    assert!(fit_sample(&nine[..5], &FitFamily::ALL).unwrap().weak);
    assert!(fit_sample(&nine, &FitFamily::ALL).unwrap().weak);
    let ten: Vec<f64> = (1..=10).map(f64::from).collect();
    assert!(!fit_sample(&ten, &FitFamily::ALL).unwrap().weak);

    let constant = [7.0; 12];
    assert_eq!(
        fit_sample(&constant, &FitFamily::ALL).unwrap_err(),
        FitError::Constant { n: 12, value: 7.0 }
    );
    let nan = [1.0, 2.0, f64::NAN, 4.0, 5.0];
    assert!(matches!(
        fit_sample(&nan, &FitFamily::ALL),
        Err(FitError::NotFinite { index: 2, .. })
    ));
    assert!(matches!(
        fit_sample(&[f64::INFINITY; 6], &FitFamily::ALL),
        Err(FitError::NotFinite { index: 0, .. })
    ));
}

#[test]
fn pert_suggestion_from_min_median_max() {
    let s = pert_suggestion(&[9.0, 3.0, 5.0]).unwrap();
    assert_eq!(
        s,
        Suggestion::Pert {
            min: 3.0,
            mode: 5.0,
            max: 9.0
        }
    );
    assert_eq!(s.scenario_syntax(), "{ pert = [3, 5, 9] }");
    let s = pert_suggestion(&[1.0, 2.0, 4.0, 10.0]).unwrap();
    assert_eq!(
        s,
        Suggestion::Pert {
            min: 1.0,
            mode: 3.0,
            max: 10.0
        }
    );
    assert_eq!(
        pert_suggestion(&[4.5, 4.5]).unwrap(),
        Suggestion::Fixed(4.5)
    );
    assert_eq!(Suggestion::Fixed(4.5).scenario_syntax(), "4.5");
    assert_eq!(pert_suggestion(&[]).unwrap_err(), FitError::Empty);
}

#[test]
fn families_by_name() {
    for f in FitFamily::ALL {
        assert_eq!(FitFamily::from_name(f.name()), Some(f));
        assert_eq!(f.to_string(), f.name());
    }
    assert_eq!(
        FitFamily::from_name("LogNormal"),
        Some(FitFamily::LogNormal)
    );
    assert_eq!(FitFamily::from_name("cauchy"), None);
    // Duplicates are fitted once.
    let xs: Vec<f64> = (1..=20).map(f64::from).collect();
    let fit = fit_sample(&xs, &[FitFamily::Normal, FitFamily::Normal]).unwrap();
    assert_eq!(fit.fits.len(), 1);
}

#[test]
fn json_shape() {
    let xs = [1.0, 2.0, 2.5, 3.0, 4.0, 4.5, 6.0];
    let fit = fit_sample(&xs, &[FitFamily::Normal, FitFamily::Beta]).unwrap();
    let v = serde_json::to_value(&fit).unwrap();
    assert_eq!(v["n"], 7);
    assert_eq!(v["weak"], true);
    assert_eq!(v["fits"][0]["family"], "normal");
    assert_eq!(v["fits"][0]["params"]["mean"], 23.0 / 7.0);
    assert_eq!(v["fits"][0]["k"], 2);
    assert!(
        v["fits"][0]["scenario_syntax"]
            .as_str()
            .unwrap()
            .starts_with("{ normal = { mean = 3.286")
    );
    assert_eq!(v["excluded"][0]["family"], "beta");
    assert!(v["fits"][0].get("model").is_none());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn never_panics_on_finite_samples(
        xs in prop::collection::vec(
            prop::num::f64::NORMAL | prop::num::f64::SUBNORMAL | prop::num::f64::ZERO,
            5..60,
        )
    ) {
        check(&xs)?;
    }

    #[test]
    fn never_panics_on_everyday_samples(
        xs in prop::collection::vec(
            prop_oneof![-1e6..1e6f64, 0.0..1.0f64, 1.0..1.0001f64, Just(0.5)],
            5..60,
        )
    ) {
        check(&xs)?;
    }
}

/// fit_sample returns a result or one of its errors; every family is
/// accounted for, and every fit has finite numbers in range.
fn check(xs: &[f64]) -> Result<(), TestCaseError> {
    match fit_sample(xs, &FitFamily::ALL) {
        Ok(fit) => {
            prop_assert_eq!(fit.fits.len() + fit.excluded.len(), 8);
            for f in &fit.fits {
                prop_assert!(f.log_likelihood.is_finite() && f.aic.is_finite());
                prop_assert!((0.0..=1.0).contains(&f.ks_statistic));
                prop_assert!((0.0..=1.0).contains(&f.ks_p_value));
                prop_assert!(f.params.iter().all(|p| p.1.is_finite()));
            }
        }
        Err(e) => prop_assert!(matches!(e, FitError::Constant { .. }), "{}", e),
    }
    Ok(())
}

/// A Weibull of large shape fitted to values far from 0 (years): its
/// log-likelihood is finite. With statrs' density, x^k overflowed to
/// infinity against a scale^(−k) of 0 and the fit was ruled out with a
/// log-likelihood of NaN; `dist` computes (x/λ)^k.
#[test]
fn weibull_of_large_shape_has_a_finite_likelihood() {
    let years: Vec<f64> = (0..24).map(|i| 2018.0 + (i % 7) as f64).collect();
    let fit = fit_sample(&years, &[FitFamily::Weibull]).unwrap();
    assert!(fit.excluded.is_empty(), "{:?}", fit.excluded);
    let w = &fit.fits[0];
    assert!(w.params[0].1 > 500.0, "shape {}", w.params[0].1);
    assert!(w.log_likelihood.is_finite() && w.log_likelihood < 0.0);
}
