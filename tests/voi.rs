//! Value of information and contribution to variance through the whole
//! engine, against closed forms.
//!
//! The scenario makes NPV linear in three independent normal inputs: a
//! one-year horizon, no discounting, two custom benefits paid in full from
//! month 1 (`ramps_with_adoption = false`) and one upfront cost, so that
//! NPV = 12 A₁ + 12 A₂ − C. Then E[NPV | X_i] is normal with mean μ = E[NPV]
//! and sd s_i = |b_i| σ_i, and
//! EVPPI_i = μ Φ(μ/s_i) + s_i φ(μ/s_i) − max(μ, 0) (EVPI likewise with
//! s = sd(NPV)), S_i = s_i² / Σ_j s_j².

use crm_roi::config::Scenario;
use crm_roi::engine::{Engine, Settings};
use crm_roi::results::summarize;
use crm_roi::sampling::Method;
use statrs::distribution::{Continuous, ContinuousCDF, Normal};
use std::path::Path;

fn scenario(cost_mean: f64) -> Scenario {
    let text = format!(
        "horizon_years = 1\n[finance]\ndiscount_rate = 0\n\
         [[costs]]\nname = \"Licence\"\namount = {{ normal = {{ mean = {cost_mean}, sd = 3000 }} }}\n\
         [[benefits]]\nname = \"Hours\"\nkind = \"custom\"\nramps_with_adoption = false\n\
         amount_per_month = {{ normal = {{ mean = 1000, sd = 400 }} }}\n\
         [[benefits]]\nname = \"Leads\"\nkind = \"custom\"\nramps_with_adoption = false\n\
         amount_per_month = {{ normal = {{ mean = 500, sd = 150 }} }}\n"
    );
    Scenario::from_toml(&text, Path::new("t.toml")).unwrap_or_else(|e| panic!("{e}"))
}

/// E[max(Z, 0)] − max(μ, 0) for Z ~ N(μ, s²).
fn normal_value(mu: f64, s: f64) -> f64 {
    let z = Normal::standard();
    mu * z.cdf(mu / s) + s * z.pdf(mu / s) - mu.max(0.0)
}

/// Within 3 standard errors (a false alarm once in 370 checks).
#[track_caller]
fn within(what: &str, got: f64, want: f64, se: f64) {
    assert!(
        (got - want).abs() <= 3.0 * se,
        "{what}: got {got}, want {want} ± 3 × {se}"
    );
}

#[test]
fn evpi_evppi_and_contribution_match_the_linear_closed_form() {
    // (path, s_i): 12 × 400, 12 × 150, 3000.
    let parts = [
        ("benefits.Hours.amount_per_month", 4800.0),
        ("benefits.Leads.amount_per_month", 1800.0),
        ("costs.Licence.amount", 3000.0),
    ];
    let var: f64 = parts.iter().map(|(_, s)| s * s).sum();
    // μ = 12 × 1500 − cost mean: +2000 and −2000.
    for (cost_mean, mu) in [(16_000.0, 2000.0), (20_000.0, -2000.0)] {
        let sc = scenario(cost_mean);
        let n = 131_072;
        let settings = Settings::new(n, 11, Method::MonteCarlo);
        let data = Engine::new(&sc, settings).run(None, &mut |_| {}).unwrap();
        let (s, _) = summarize(&sc, &settings, &data);
        let v = &s.value_of_information;
        assert_eq!(v.trials, n);
        within(
            &format!("μ {mu}: EVPI"),
            v.evpi.unwrap(),
            normal_value(mu, var.sqrt()),
            v.evpi_se.unwrap(),
        );
        assert_eq!(v.inputs.len(), 3);
        for (path, si) in parts {
            let e = v.inputs.iter().find(|e| e.path == path).unwrap();
            within(
                &format!("μ {mu}: EVPPI of {path}"),
                e.evppi,
                normal_value(mu, si),
                e.se,
            );
            // sd of the estimate ≈ 2 √(S(1 − S)/n) + 1/n.
            let want = si * si / var;
            let se = (4.0 * want * (1.0 - want) / n as f64).sqrt() + 1.0 / n as f64;
            let row = s.sensitivity.iter().find(|r| r.input == path).unwrap();
            within(
                &format!("μ {mu}: S of {path}"),
                row.contribution_to_variance.unwrap(),
                want,
                se,
            );
            assert_eq!(e.contribution_to_variance, row.contribution_to_variance);
        }
        // Largest value first.
        assert!(v.inputs.windows(2).all(|w| w[0].evppi >= w[1].evppi));
        assert_eq!(v.inputs[0].path, "benefits.Hours.amount_per_month");
    }
}

#[test]
fn a_shock_is_valued_by_whether_and_when_it_strikes() {
    // A permanent shock that ends every benefit: EVPPI is positive and the
    // shock is listed by its path; a shock that cannot strike is worth 0.
    let text = "horizon_years = 2\n[finance]\ndiscount_rate = 0\n\
         [[costs]]\nname = \"Licence\"\namount = 10000\n\
         [[benefits]]\nname = \"Hours\"\nkind = \"custom\"\nramps_with_adoption = false\n\
         amount_per_month = { uniform = [400, 800] }\n\
         [[shocks]]\nname = \"Failure\"\nprobability_per_year = 0.3\nbenefit_loss = 1\n\
         [[shocks]]\nname = \"Never\"\nprobability_per_year = 0\nbenefit_loss = 1\n";
    let sc = Scenario::from_toml(text, Path::new("t.toml")).unwrap_or_else(|e| panic!("{e}"));
    let settings = Settings::new(20_000, 3, Method::MonteCarlo);
    let data = Engine::new(&sc, settings).run(None, &mut |_| {}).unwrap();
    let (s, _) = summarize(&sc, &settings, &data);
    let v = &s.value_of_information;
    let failure = v
        .inputs
        .iter()
        .find(|e| e.path == "shocks.Failure")
        .unwrap();
    assert!(failure.evppi > 3.0 * failure.se, "{failure:?}");
    assert!(
        failure.contribution_to_variance.unwrap() > 0.3,
        "{failure:?}"
    );
    let never = v.inputs.iter().find(|e| e.path == "shocks.Never").unwrap();
    assert_eq!((never.evppi, never.se), (0.0, 0.0));
    assert_eq!(never.contribution_to_variance, Some(0.0));
    // Shocks have no sensitivity row.
    assert!(
        s.sensitivity
            .iter()
            .all(|r| !r.input.starts_with("shocks."))
    );
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let sc = scenario(17_000.0);
    let settings = Settings::new(20_000, 5, Method::MonteCarlo);
    let json = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let data = Engine::new(&sc, settings).run(None, &mut |_| {}).unwrap();
            let (s, _) = summarize(&sc, &settings, &data);
            serde_json::to_string(&(&s.value_of_information, &s.sensitivity)).unwrap()
        })
    };
    assert_eq!(json(1), json(2));
}
