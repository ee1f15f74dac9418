//! Tests of the paired comparison and of the choice among options, against
//! hand-computed cases and closed forms (fixed seeds, tolerances of four
//! standard errors).

use super::*;
use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use rand_distr::{Distribution, StandardNormal};

/// scipy.stats.norm.ppf(0.1), norm.ppf(0.9) = −ppf(0.1), and
/// norm.pdf(norm.ppf(0.1)) (scipy 1.x).
const Z10: f64 = -1.2815515655446004;
const PHI_Z10: f64 = 0.17549833193248685;

fn normals(n: usize, seed: u64) -> Vec<f64> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    (0..n).map(|_| StandardNormal.sample(&mut rng)).collect()
}

fn never(n: usize) -> Vec<f64> {
    vec![f64::INFINITY; n]
}

fn trials<'a>(npv: &'a [f64], payback_years: &'a [f64]) -> OptionTrials<'a> {
    OptionTrials { npv, payback_years }
}

#[test]
fn paired_statistics() {
    let a = [10.0, 20.0, 30.0, 40.0];
    let b = [12.0, 15.0, 30.0, 35.0];
    let inf = never(4);
    let p = paired(trials(&a, &inf), trials(&b, &inf), "base");
    assert_eq!(p.trials, 4);
    assert_eq!(p.p_npv_above, 0.5); // 20 > 15, 40 > 35; 30 = 30 is not above
    // differences -2, 5, 0, 5: mean 2, sd sqrt(((-4)^2 + 3^2 + (-2)^2 + 3^2)/3) = sqrt(38/3)
    assert!((p.mean_npv_difference - 2.0).abs() < 1e-12);
    assert!((p.mean_npv_difference_se.unwrap() - (38.0f64 / 3.0).sqrt() / 2.0).abs() < 1e-12);
    // sorted differences -2, 0, 5, 5: h = 3q; P10 at h = 0.3: -2 + 0.3·2 =
    // -1.4; P50 at 1.5: 0 + 0.5·5 = 2.5; P90 at 2.7: 5.
    let [p10, p50, p90] = p.npv_difference_percentiles;
    assert!((p10 + 1.4).abs() < 1e-12 && (p50 - 2.5).abs() < 1e-12 && p90 == 5.0);
    // The worst 10% of 4 values: k = 0.4, all of it the lowest value.
    assert_eq!(p.npv_expected_shortfall_10, 10.0);
}

#[test]
fn payback_sooner_and_ties() {
    let npv = [0.0; 5];
    let inf = f64::INFINITY;
    let a = [1.0, 2.0, inf, inf, 3.0];
    let b = [2.0, 2.0, 4.0, inf, 1.0];
    // 1 < 2 sooner; 2 = 2 same; never vs 4 later; never vs never same; 3 > 1 later.
    let p = paired(trials(&npv, &a), trials(&npv, &b), "b");
    assert_eq!((p.p_payback_sooner, p.p_payback_same), (0.2, 0.4));
    let q = paired(trials(&npv, &b), trials(&npv, &a), "a");
    assert_eq!((q.p_payback_sooner, q.p_payback_same), (0.4, 0.4));
}

#[test]
fn a_constant_difference_is_a_point_and_dominates() {
    let n = 10_000;
    let b: Vec<f64> = normals(n, 7)
        .iter()
        .map(|z| 50_000.0 + 20_000.0 * z)
        .collect();
    let a: Vec<f64> = b.iter().map(|x| x + 25_000.0).collect();
    let inf = never(n);
    let p = paired(trials(&a, &inf), trials(&b, &inf), "b");
    for d in p.npv_difference_percentiles {
        assert!((d - 25_000.0).abs() < 1e-9, "{d}");
    }
    assert_eq!(p.p_npv_above, 1.0);
    assert_eq!(p.first_order_dominance, Dominance::Dominates);
    assert_eq!(p.second_order_dominance, Dominance::Dominates);
    let q = paired(trials(&b, &inf), trials(&a, &inf), "a");
    assert_eq!(q.first_order_dominance, Dominance::Dominated);
    assert_eq!(q.second_order_dominance, Dominance::Dominated);
    // Against itself: nothing to tell apart.
    let r = paired(trials(&b, &inf), trials(&b, &inf), "b");
    assert_eq!(r.first_order_dominance, Dominance::Indistinguishable);
    assert_eq!(r.npv_difference_percentiles, [0.0; 3]);
}

#[test]
fn a_normal_difference_has_normal_percentiles() {
    // A = B + D, D ~ N(μ, s) independent of B: the difference's P10, P50,
    // P90 are μ + s z_q. SE of a sample quantile: √(q(1 − q)/n) / f(x_q).
    let (n, mu, s) = (100_000, 3_000.0, 10_000.0);
    let b: Vec<f64> = normals(n, 8).iter().map(|z| 40_000.0 * z).collect();
    let d = normals(n, 9);
    let a: Vec<f64> = b.iter().zip(&d).map(|(x, z)| x + mu + s * z).collect();
    let inf = never(n);
    let p = paired(trials(&a, &inf), trials(&b, &inf), "b");
    let phi0 = 1.0 / (2.0 * std::f64::consts::PI).sqrt();
    for (got, (z, density)) in
        p.npv_difference_percentiles
            .iter()
            .zip([(Z10, PHI_Z10), (0.0, phi0), (-Z10, PHI_Z10)])
    {
        let q = if z < 0.0 {
            0.1
        } else if z > 0.0 {
            0.9
        } else {
            0.5
        };
        let se = (q * (1.0 - q) / n as f64).sqrt() / (density / s);
        let expect = mu + s * z;
        assert!(
            (got - expect).abs() < 4.0 * se,
            "{got} vs {expect} (se {se})"
        );
    }
}

/// The asymptotic standard error of the expected shortfall of the worst 10%
/// of `sorted`: √((E[(X − q)² | tail] − α (ES − q)²) / (α n)), from its
/// influence function, estimated on the sample.
fn es_se(sorted: &[f64], es: f64) -> f64 {
    let n = sorted.len();
    let k = n / 10;
    let q = sorted[k];
    let m2 = sorted[..k].iter().map(|x| (x - q).powi(2)).sum::<f64>() / k as f64;
    ((m2 - 0.1 * (es - q).powi(2)) / (0.1 * n as f64)).sqrt()
}

#[test]
fn expected_shortfall_interpolation_rule() {
    // 1..=15: k = 1.5, the lowest whole and half the next: (1 + 0.5·2) / 1.5.
    let v: Vec<f64> = (1..=15).map(f64::from).collect();
    assert!((expected_shortfall_10(&v).unwrap() - 4.0 / 3.0).abs() < 1e-15);
    // 1..=20: the two lowest: 1.5.
    let v: Vec<f64> = (1..=20).map(f64::from).collect();
    assert_eq!(expected_shortfall_10(&v), Some(1.5));
    assert_eq!(expected_shortfall_10(&[]), None);
}

#[test]
fn expected_shortfall_of_uniform_and_normal() {
    // U(0, 1): the worst 10% average 0.05.
    let n = 200_000;
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(10);
    let mut u: Vec<f64> = (0..n)
        .map(|_| rand_distr::Uniform::new(0.0, 1.0).unwrap().sample(&mut rng))
        .collect();
    sort_floats(&mut u);
    let es = expected_shortfall_10(&u).unwrap();
    assert!((es - 0.05).abs() < 4.0 * es_se(&u, es), "{es}");
    // N(μ, σ): μ − σ φ(z_0.1) / 0.1.
    let (mu, sigma) = (100_000.0, 50_000.0);
    let mut x: Vec<f64> = normals(n, 11).iter().map(|z| mu + sigma * z).collect();
    sort_floats(&mut x);
    let es = expected_shortfall_10(&x).unwrap();
    let expect = mu - sigma * PHI_Z10 / 0.1;
    let se = es_se(&x, es);
    assert!((es - expect).abs() < 4.0 * se, "{es} vs {expect} (se {se})");
    assert!(se < 0.01 * sigma, "a precise test: se {se}");
}

#[test]
fn evpi_of_two_jointly_normal_options_is_clarks() {
    // Clark (1961): E[max(A, B)] = μ_A Φ(α) + μ_B Φ(−α) + θ φ(α),
    // θ = √(σ_A² + σ_B² − 2ρσ_Aσ_B), α = (μ_A − μ_B)/θ. For μ = (100, 120),
    // σ = (50, 30), ρ = 0.4: θ = 46.9041575982343, α = −0.42640143271122083,
    // E[max] = 130.38783413627186 and EVPI = 10.387834136271863 (scipy 1.x:
    // norm.cdf, norm.pdf).
    let (ma, mb, sa, sb, rho) = (100.0, 120.0, 50.0, 30.0, 0.4);
    let n = 200_000;
    let (z1, z2) = (normals(n, 12), normals(n, 13));
    let a: Vec<f64> = z1.iter().map(|z| ma + sa * z).collect();
    let b: Vec<f64> = z1
        .iter()
        .zip(&z2)
        .map(|(x, y)| mb + sb * (rho * x + (1.0f64 - rho * rho).sqrt() * y))
        .collect();
    let c = choice(&[&a, &b]);
    let se = c.evpi_se.unwrap();
    assert_eq!(c.trials, n as u64);
    assert!(
        (c.evpi - 10.387834136271863).abs() < 4.0 * se,
        "{} (se {se})",
        c.evpi
    );
    assert!(se < 0.03 * 10.39, "a precise test: se {se}");
    // P(A > B) = Φ(α) = 0.33490 (scipy norm.cdf(-0.42640143271122083)).
    let p_se = (0.3349f64 * 0.6651 / n as f64).sqrt();
    assert!(
        (c.p_best[0] - 0.334906).abs() < 4.0 * p_se,
        "{:?}",
        c.p_best
    );
    assert!((c.p_best[0] + c.p_best[1] - 1.0).abs() < 1e-12);
}

#[test]
fn choice_hand_computed() {
    // Futures: A best, tie, B best, C best.
    let a = [5.0, 3.0, 0.0, 0.0];
    let b = [1.0, 3.0, 4.0, 0.0];
    let c = [0.0, 0.0, 0.0, 8.0];
    let ch = choice(&[&a, &b, &c]);
    assert_eq!(ch.p_best, [0.375, 0.375, 0.25]);
    // Means 2, 2, 2: the first (A) is k*. max per future 5, 3, 4, 8 → mean 5;
    // EVPI = 5 − 2 = 3; regrets 0, 0, 4, 8: sd √(((−3)²·2 + 1 + 25)/3) = √(44/3).
    assert!((ch.evpi - 3.0).abs() < 1e-12);
    assert!((ch.evpi_se.unwrap() - (44.0f64 / 3.0).sqrt() / 2.0).abs() < 1e-12);
    // One option: nothing to learn.
    let one = choice(&[&a]);
    assert_eq!((one.evpi, one.p_best.clone()), (0.0, vec![1.0]));
}
