//! The trigamma function ψ₁(x) = d²/dx² ln Γ(x), which statrs does not
//! provide (it has the digamma ψ = d/dx ln Γ). The gamma and beta fits need
//! it for Newton steps and for the Fisher information.
//!
//! Method: the recurrence ψ₁(x) = ψ₁(x + 1) + 1/x² lifts x to at least 10,
//! then the asymptotic series
//! ψ₁(x) ≈ 1/x + 1/(2x²) + Σ B₂ₖ / x²ᵏ⁺¹ (Abramowitz & Stegun 6.4.12),
//! truncated after the x⁻¹¹ term, whose error at x ≥ 10 is below 1e-16
//! relative.

/// ψ₁(x) for x > 0; NaN for x <= 0 or NaN, where it is undefined or the
/// poles lie (the fits never ask there).
pub(super) fn trigamma(x: f64) -> f64 {
    if !(x > 0.0) {
        return f64::NAN;
    }
    let mut x = x;
    let mut acc = 0.0;
    while x < 10.0 {
        acc += 1.0 / (x * x);
        x += 1.0;
    }
    let r = 1.0 / x;
    let r2 = r * r;
    // Bernoulli numbers B₂ = 1/6, B₄ = −1/30, B₆ = 1/42, B₈ = −1/30, B₁₀ = 5/66.
    let tail =
        1.0 / 6.0 - r2 * (1.0 / 30.0 - r2 * (1.0 / 42.0 - r2 * (1.0 / 30.0 - r2 * 5.0 / 66.0)));
    acc + r * (1.0 + 0.5 * r + r2 * tail)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    fn close(got: f64, want: f64) {
        assert!(
            ((got - want) / want).abs() < 1e-13,
            "trigamma: got {got}, want {want}"
        );
    }

    #[test]
    fn closed_forms() {
        // ψ₁(1) = π²/6, ψ₁(1/2) = π²/2, ψ₁(2) = π²/6 − 1 (A&S 6.4.2, 6.4.4).
        close(trigamma(1.0), PI * PI / 6.0);
        close(trigamma(0.5), PI * PI / 2.0);
        close(trigamma(2.0), PI * PI / 6.0 - 1.0);
    }

    #[test]
    fn against_scipy() {
        // scipy.special.polygamma(1, x), scipy 1.17.
        close(trigamma(0.1), 101.43329915079275);
        close(trigamma(3.7), 0.31003785767003833);
        close(trigamma(50.0), 0.02020133322669713);
        close(trigamma(1e-3), 1000001.6425331959);
    }

    #[test]
    fn undefined_at_and_below_zero() {
        assert!(trigamma(0.0).is_nan());
        assert!(trigamma(-1.5).is_nan());
        assert!(trigamma(f64::NAN).is_nan());
    }
}
