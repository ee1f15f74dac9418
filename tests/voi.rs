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

/// NPV = 12 A₁ + 12 A₂ − C; `{cost_mean}` is replaced by C's mean.
const SCENARIO: &str = "horizon_years = 1\n[finance]\ndiscount_rate = 0\n\
     [[costs]]\nname = \"Licence\"\namount = { normal = { mean = {cost_mean}, sd = 3000 } }\n\
     [[benefits]]\nname = \"Hours\"\nkind = \"custom\"\nramps_with_adoption = false\n\
     amount_per_month = { normal = { mean = 1000, sd = 400 } }\n\
     [[benefits]]\nname = \"Leads\"\nkind = \"custom\"\nramps_with_adoption = false\n\
     amount_per_month = { normal = { mean = 500, sd = 150 } }\n";

fn scenario(cost_mean: f64) -> Scenario {
    let text = SCENARIO.replace("{cost_mean}", &cost_mean.to_string());
    Scenario::from_toml(&text, Path::new("t.toml")).unwrap_or_else(|e| panic!("{e}"))
}

/// E[max(Z, 0)] − max(μ, 0) for Z ~ N(μ, s²).
fn normal_value(mu: f64, s: f64) -> f64 {
    let z = Normal::standard();
    mu * z.cdf(mu / s) + s * z.pdf(mu / s) - mu.max(0.0)
}

/// Within 3 standard errors (a false alarm once in 370 checks), or within
/// 3% of the truth where that is tighter.
#[track_caller]
fn within(what: &str, got: f64, want: f64, se: f64) {
    let tolerance = (3.0 * se).min(0.03 * want.abs());
    assert!(
        (got - want).abs() <= tolerance,
        "{what}: got {got}, want {want} ± {tolerance} (se {se})"
    );
}

fn run(sc: &Scenario, trials: u64, seed: u64, method: Method) -> crm_roi::results::Summary {
    let settings = Settings::new(trials, seed, method);
    let data = Engine::new(sc, settings).run(None, &mut |_| {}).unwrap();
    summarize(sc, &settings, &data).0
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
        let s = run(&sc, n, 11, Method::MonteCarlo);
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
fn latin_hypercube_matches_the_same_closed_forms() {
    // The standard errors are those of independent sampling: conservative
    // under Latin hypercube sampling, so the same tolerance holds.
    let parts = [
        ("benefits.Hours.amount_per_month", 4800.0),
        ("benefits.Leads.amount_per_month", 1800.0),
        ("costs.Licence.amount", 3000.0),
    ];
    let var: f64 = parts.iter().map(|(_, s)| s * s).sum();
    let s = run(&scenario(16_000.0), 65_536, 4, Method::LatinHypercube);
    let v = &s.value_of_information;
    within(
        "EVPI",
        v.evpi.unwrap(),
        normal_value(2000.0, var.sqrt()),
        v.evpi_se.unwrap(),
    );
    for (path, si) in parts {
        let e = v.inputs.iter().find(|e| e.path == path).unwrap();
        within(path, e.evppi, normal_value(2000.0, si), e.se);
    }
}

#[test]
fn correlated_inputs_are_credited_with_their_partners_effect() {
    // Hours and Leads with rank correlation 0.6 through the Gaussian
    // copula: with normal marginals they are bivariate normal with Pearson
    // ρ = 2 sin(π 0.6 / 6). E[NPV | Hours] then has slope 12 + 12 ρ σ_L/σ_H,
    // so s_H = 4800 + 1800 ρ and s_L = 1800 + 4800 ρ. Were the partner
    // taken as a control variate, the estimate would miss the ρ term.
    let text = format!(
        "{}[[correlations]]\nbetween = [\"benefits.Hours.amount_per_month\", \"benefits.Leads.amount_per_month\"]\nrank = 0.6\n",
        SCENARIO.replace("{cost_mean}", "17000")
    );
    let sc = Scenario::from_toml(&text, Path::new("t.toml")).unwrap_or_else(|e| panic!("{e}"));
    let rho = 2.0 * (std::f64::consts::PI * 0.6 / 6.0).sin();
    let var =
        4800.0f64.powi(2) + 1800.0f64.powi(2) + 2.0 * rho * 4800.0 * 1800.0 + 3000.0f64.powi(2);
    let n = 131_072;
    let s = run(&sc, n, 8, Method::MonteCarlo);
    let v = &s.value_of_information;
    for (path, si) in [
        ("benefits.Hours.amount_per_month", 4800.0 + 1800.0 * rho),
        ("benefits.Leads.amount_per_month", 1800.0 + 4800.0 * rho),
        ("costs.Licence.amount", 3000.0),
    ] {
        let e = v.inputs.iter().find(|e| e.path == path).unwrap();
        within(
            &format!("EVPPI of {path}"),
            e.evppi,
            normal_value(1000.0, si),
            e.se,
        );
        let want = si * si / var;
        let se = (4.0 * want * (1.0 - want) / n as f64).sqrt() + 1.0 / n as f64;
        within(
            &format!("S of {path}"),
            e.contribution_to_variance.unwrap(),
            want,
            se,
        );
    }
}

/// A permanent shock that ends every benefit (`benefit_loss = 1`) over two
/// years: one upfront cost of 10,000 and a monthly benefit A uniform on
/// [400, 800]. With the first strike in month M, benefits come in for
/// L = M − 1 months (24 when it never strikes), so
/// NPV = −10,000 + A·L and E[NPV | M] = −10,000 + 600 L.
fn shock_scenario(probability: &str) -> Scenario {
    let text = format!(
        "horizon_years = 2\n[finance]\ndiscount_rate = 0\n\
         [[costs]]\nname = \"Licence\"\namount = 10000\n\
         [[benefits]]\nname = \"Hours\"\nkind = \"custom\"\nramps_with_adoption = false\n\
         amount_per_month = {{ uniform = [400, 800] }}\n\
         [[shocks]]\nname = \"Failure\"\nprobability_per_year = {probability}\nbenefit_loss = 1\n\
         [[shocks]]\nname = \"Never\"\nprobability_per_year = 0\nbenefit_loss = 1\n"
    );
    Scenario::from_toml(&text, Path::new("t.toml")).unwrap_or_else(|e| panic!("{e}"))
}

/// P(L = l), l = 0..=24, for a yearly probability p.
fn months_of_benefit(p_year: f64) -> [f64; 25] {
    let p = 1.0 - (1.0 - p_year).powf(1.0 / 12.0);
    std::array::from_fn(|l| {
        if l < 24 {
            (1.0 - p).powi(l as i32) * p
        } else {
            (1.0 - p).powi(24)
        }
    })
}

/// Σ_l P(l) max(−10,000 + 600 l, 0) − max(Σ_l P(l)(−10,000 + 600 l), 0).
fn decision_value(dist: &[f64; 25]) -> (f64, f64) {
    let npv = |l: usize| -10_000.0 + 600.0 * l as f64;
    let mean: f64 = (0..25).map(|l| dist[l] * npv(l)).sum();
    let value: f64 = (0..25).map(|l| dist[l] * npv(l).max(0.0)).sum();
    (mean, value - mean.max(0.0))
}

#[test]
fn a_shock_is_valued_by_whether_and_when_it_strikes() {
    let sc = shock_scenario("0.3");
    let n = 65_536;
    let s = run(&sc, n, 3, Method::MonteCarlo);
    let v = &s.value_of_information;
    let failure = v
        .inputs
        .iter()
        .find(|e| e.path == "shocks.Failure")
        .unwrap();
    let dist = months_of_benefit(0.3);
    let (mean, want) = decision_value(&dist);
    assert!(mean > 0.0 && want > 2000.0, "{mean} {want}");
    within("EVPPI of the shock", failure.evppi, want, failure.se);
    // S = 600² Var(L) / Var(A L), with E[A²] = 600² + 400²/12.
    let el: f64 = (0..25).map(|l| dist[l] * l as f64).sum();
    let el2: f64 = (0..25).map(|l| dist[l] * (l * l) as f64).sum();
    let ea2 = 600.0 * 600.0 + 400.0 * 400.0 / 12.0;
    let s_want = 600.0 * 600.0 * (el2 - el * el) / (ea2 * el2 - 600.0 * 600.0 * el * el);
    let se = (4.0 * s_want * (1.0 - s_want) / n as f64).sqrt() + 1.0 / n as f64;
    within(
        "S of the shock",
        failure.contribution_to_variance.unwrap(),
        s_want,
        se,
    );
    // A shock that cannot strike is worth nothing.
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
fn a_shock_with_an_uncertain_probability_against_its_closed_form() {
    // probability_per_year uniform on [0.1, 0.5]: the shock's first month
    // and its probability depend on each other, so neither is the other's
    // control variate. E[NPV | M] is as before; P(M) and E[NPV | p] come
    // from integrating over p (Simpson's rule, 2,000 intervals).
    let sc = shock_scenario("{ uniform = [0.1, 0.5] }");
    let s = run(&sc, 131_072, 5, Method::MonteCarlo);
    let v = &s.value_of_information;
    let steps = 2000;
    let h = 0.4 / steps as f64;
    let mut mixture = [0.0; 25];
    let mut by_p = Vec::new();
    for i in 0..=steps {
        let p = 0.1 + i as f64 * h;
        let weight = h / 3.0
            * if i == 0 || i == steps {
                1.0
            } else if i % 2 == 1 {
                4.0
            } else {
                2.0
            }
            / 0.4;
        let dist = months_of_benefit(p);
        for l in 0..25 {
            mixture[l] += weight * dist[l];
        }
        by_p.push((weight, decision_value(&dist).0));
    }
    let (mean, shock_want) = decision_value(&mixture);
    let p_want = by_p.iter().map(|(w, m)| w * m.max(0.0)).sum::<f64>() - mean.max(0.0);
    assert!(
        shock_want > 1000.0 && p_want > 10.0,
        "{shock_want} {p_want}"
    );
    let get = |path: &str| v.inputs.iter().find(|e| e.path == path).unwrap();
    let shock = get("shocks.Failure");
    within("EVPPI of the shock", shock.evppi, shock_want, shock.se);
    let p = get("shocks.Failure.probability_per_year");
    within("EVPPI of its probability", p.evppi, p_want, p.se);
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
