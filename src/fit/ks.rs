//! The Kolmogorov-Smirnov test of a sample against a fitted distribution.
//!
//! The statistic is D = supₓ |Fₙ(x) − F(x)|, the largest distance between
//! the empirical and the fitted distribution function, computed at the
//! order statistics: D = maxᵢ max(F(x₍ᵢ₎) − (i − 1)/n, i/n − F(x₍ᵢ₎)).
//!
//! Its p-value P(Dₙ ≥ d) comes from the Kolmogorov distribution:
//! - for n ≤ 1000, exactly, by the algorithm of Marsaglia, Tsang & Wang,
//!   *Evaluating Kolmogorov's distribution*, Journal of Statistical Software
//!   8(18), 2003 (the m × m matrix power of their eq. 2, with m = 2⌊nd⌋ + 1,
//!   scaled to avoid overflow), including their own shortcut
//!   `2 exp(−(2.000071 + 0.331/√n + 1.409/n) n d²)` in the far right tail,
//!   accurate there to about 7 digits;
//! - for larger n, where the matrix grows with √n, by the limiting
//!   distribution with Stephens' correction: P(Dₙ ≥ d) ≈ Q((√n + 0.12 +
//!   0.11/√n) d), Q(λ) = 2 Σ (−1)ʲ⁻¹ exp(−2j²λ²) (Stephens, *Use of the
//!   Kolmogorov-Smirnov, Cramér-von Mises and related statistics without
//!   extensive tables*, JRSS B 32, 1970; Press et al., *Numerical Recipes*,
//!   §14.3).
//!
//! The p-value assumes F was fixed before seeing the data. Here F was
//! fitted to the same data, which pulls it towards them, so D is smaller
//! than under that assumption and the p-value is **optimistic** (too
//! large): read it as a screen for fits that are clearly wrong, not as a
//! calibrated test (Lilliefors 1967 shows the effect for the normal).

/// Largest n for the exact algorithm; beyond it Stephens' approximation.
const EXACT_MAX_N: usize = 1000;

/// D for ascending `sorted` data against the distribution function `cdf`.
pub(super) fn statistic(sorted: &[f64], cdf: impl Fn(f64) -> f64) -> f64 {
    let n = sorted.len() as f64;
    let mut d: f64 = 0.0;
    for (i, &x) in sorted.iter().enumerate() {
        let f = cdf(x);
        if f.is_nan() {
            return f64::NAN;
        }
        let f = f.clamp(0.0, 1.0);
        d = d.max(f - i as f64 / n).max((i + 1) as f64 / n - f);
    }
    d
}

/// P(Dₙ ≥ d) for a sample of `n` values from a fully specified continuous
/// distribution.
pub(super) fn p_value(n: usize, d: f64) -> f64 {
    if n == 0 || !(d > 0.0) {
        return 1.0;
    }
    if d >= 1.0 {
        return 0.0;
    }
    let p = if n <= EXACT_MAX_N {
        marsaglia_tsang_wang(n, d)
    } else {
        stephens(n, d)
    };
    p.clamp(0.0, 1.0)
}

/// Marsaglia, Tsang & Wang (2003): P(Dₙ ≥ d) = 1 − n!/nⁿ · (Hⁿ)ₖₖ.
fn marsaglia_tsang_wang(n: usize, d: f64) -> f64 {
    let nf = n as f64;
    let s = d * d * nf;
    if s > 7.24 || (s > 3.76 && n > 99) {
        return 2.0 * (-(2.000071 + 0.331 / nf.sqrt() + 1.409 / nf) * s).exp();
    }
    let k = (nf * d) as usize + 1;
    let m = 2 * k - 1;
    let h = k as f64 - nf * d;
    let mut hm = vec![0.0; m * m];
    for i in 0..m {
        for j in 0..m {
            if i + 1 >= j {
                hm[i * m + j] = 1.0;
            }
        }
    }
    for i in 0..m {
        hm[i * m] -= h.powi(i as i32 + 1);
        hm[(m - 1) * m + i] -= h.powi((m - i) as i32);
    }
    if 2.0 * h - 1.0 > 0.0 {
        hm[(m - 1) * m] += (2.0 * h - 1.0).powi(m as i32);
    }
    for i in 0..m {
        for j in 0..m {
            if i + 1 > j {
                for g in 1..=(i + 1 - j) {
                    hm[i * m + j] /= g as f64;
                }
            }
        }
    }
    let (q, mut e) = matrix_power(&hm, m, n);
    // s = n!/nⁿ · Q[k−1][k−1], kept in range with a decimal exponent e.
    let mut s = q[(k - 1) * m + k - 1];
    for i in 1..=n {
        s = s * i as f64 / nf;
        if s < 1e-140 {
            s *= 1e140;
            e -= 140;
        }
    }
    1.0 - s * 10f64.powi(e)
}

/// Aⁿ for an m × m row-major matrix, as (matrix, decimal exponent): the
/// product is rescaled by 10⁻¹⁴⁰ whenever its centre entry exceeds 10¹⁴⁰.
fn matrix_power(a: &[f64], m: usize, n: usize) -> (Vec<f64>, i32) {
    if n == 1 {
        return (a.to_vec(), 0);
    }
    let (half, e_half) = matrix_power(a, m, n / 2);
    let sq = multiply(&half, &half, m);
    let (mut v, mut e) = if n % 2 == 0 {
        (sq, 2 * e_half)
    } else {
        (multiply(a, &sq, m), 2 * e_half)
    };
    if v[(m / 2) * m + m / 2] > 1e140 {
        v.iter_mut().for_each(|x| *x *= 1e-140);
        e += 140;
    }
    (v, e)
}

fn multiply(a: &[f64], b: &[f64], m: usize) -> Vec<f64> {
    let mut c = vec![0.0; m * m];
    for i in 0..m {
        for l in 0..m {
            let ail = a[i * m + l];
            if ail != 0.0 {
                let (row, brow) = (&mut c[i * m..(i + 1) * m], &b[l * m..(l + 1) * m]);
                row.iter_mut().zip(brow).for_each(|(c, b)| *c += ail * b);
            }
        }
    }
    c
}

/// Stephens' approximation Q((√n + 0.12 + 0.11/√n) d).
fn stephens(n: usize, d: f64) -> f64 {
    let sn = (n as f64).sqrt();
    kolmogorov_q((sn + 0.12 + 0.11 / sn) * d)
}

/// Q(λ) = P(K ≥ λ) for the Kolmogorov distribution K. Below λ = 1.18 the
/// alternating series converges slowly, so the equivalent theta-function
/// form 1 − √(2π)/λ Σ exp(−(2j − 1)²π²/(8λ²)) is used there (both to
/// double precision with the terms kept).
fn kolmogorov_q(lambda: f64) -> f64 {
    use std::f64::consts::PI;
    if !(lambda > 0.0) {
        return 1.0;
    }
    if lambda < 1.18 {
        let y = (-PI * PI / (8.0 * lambda * lambda)).exp();
        let sum = y + y.powi(9) + y.powi(25) + y.powi(49);
        1.0 - (2.0 * PI).sqrt() / lambda * sum
    } else {
        let x = (-2.0 * lambda * lambda).exp();
        2.0 * (x - x.powi(4) + x.powi(9) - x.powi(16))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(got: f64, want: f64, rel: f64) {
        assert!(
            ((got - want) / want).abs() < rel,
            "got {got}, want {want} (relative {rel})"
        );
    }

    #[test]
    fn statistic_by_hand() {
        // Against U(0, 1): F(x) = x. At 0.1: max(0.1 − 0, 1/3 − 0.1);
        // at 0.4: max(0.4 − 1/3, 2/3 − 0.4); at 0.7: max(0.7 − 2/3, 1 − 0.7).
        // The largest is 1 − 0.7 = 0.3.
        let d = statistic(&[0.1, 0.4, 0.7], |x| x.clamp(0.0, 1.0));
        assert!((d - 0.3).abs() < 1e-15, "{d}");
        // Ties: two values at 0.5 make the empirical CDF jump from 0 to 1
        // there, so D = 0.5.
        let d = statistic(&[0.5, 0.5], |x| x);
        assert!((d - 0.5).abs() < 1e-15, "{d}");
    }

    #[test]
    fn small_n_in_closed_form() {
        // n = 1: P(D₁ ≥ d) = 2 − 2d for d ≥ ½ (one point, D = max(u, 1 − u)).
        close(p_value(1, 0.7), 0.6, 1e-12);
        // n = 2: P(D₂ < d) = 2(2d − ½)² on [¼, ½] and 1 − 2(1 − d)² on [½, 1].
        close(p_value(2, 0.3), 1.0 - 2.0 * 0.1f64.powi(2), 1e-12);
        close(p_value(2, 0.6), 2.0 * 0.4f64.powi(2), 1e-12);
        // D₃ = 0.3 of `statistic_by_hand`: scipy.stats.kstwo.sf(0.3, 3).
        close(p_value(3, 0.3), 0.8862222222222222, 1e-12);
        // Dₙ ≥ 1/(2n) always.
        assert_eq!(p_value(10, 0.04), 1.0);
    }

    #[test]
    fn exact_algorithm_against_references() {
        // n <= 140: scipy.stats.kstwo.sf(d, n), scipy 1.17, exact there
        // (Simard & L'Ecuyer 2011). Larger n: scipy switches to the
        // Pelz-Good asymptotic series, so the reference is the same
        // matrix algorithm evaluated in 60-digit arithmetic (mpmath). n d²
        // stays below the shortcut's thresholds: all take the matrix.
        for (n, d, want) in [
            (10, 0.274, 0.3715203845434957),
            (50, 0.1, 0.6623112704658186),
            (100, 0.12, 0.1033037490181987),
            (500, 0.05, 0.15866263922062),
            (1000, 0.03, 0.3226902464132999),
            (1000, 0.05, 0.013012071309966901),
        ] {
            close(p_value(n, d), want, 1e-10);
        }
    }

    #[test]
    fn far_tail_shortcut() {
        // n = 100, d = 0.2: n d² = 4 > 3.76 takes the shortcut, which MTW
        // give as accurate to 7 digits of P(D < d); the exact value is
        // scipy.stats.kstwo.sf(0.2, 100) = 0.000555192732802810.
        let p = p_value(100, 0.2);
        assert!((p - 0.000555192732802810).abs() < 5e-7, "{p}");
    }

    #[test]
    fn stephens_beyond_the_exact_range() {
        // scipy.stats.kstwo.sf(d, n) (Pelz-Good series at these n, good to
        // about 5 digits). Stephens' correction is off by 0.06% to 0.6% of
        // the p-value here; by 1.2% in the far tail (n = 2000, d = 0.045,
        // p = 6e-4), where only the order of magnitude matters.
        close(p_value(2000, 0.03), 0.05354694793932557, 0.01);
        close(p_value(2000, 0.02), 0.3953133626892045, 0.01);
        close(p_value(5000, 0.01), 0.6954557253913853, 0.01);
        // Both methods at the switch agree within that accuracy.
        close(stephens(1000, 0.03), marsaglia_tsang_wang(1000, 0.03), 0.01);
    }

    #[test]
    fn limiting_distribution() {
        // scipy.stats.kstwobign.sf(λ), on both sides of the switch at 1.18.
        close(kolmogorov_q(0.5), 0.9639452436648751, 1e-12);
        close(kolmogorov_q(1.0), 0.26999967167735456, 1e-12);
        close(kolmogorov_q(1.36), 0.049485876755377876, 1e-12);
    }

    #[test]
    fn p_value_edges() {
        assert_eq!(p_value(10, 0.0), 1.0);
        assert_eq!(p_value(10, f64::NAN), 1.0);
        assert_eq!(p_value(10, 1.0), 0.0);
        assert_eq!(p_value(0, 0.5), 1.0);
    }
}
