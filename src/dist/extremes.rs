//! Tests of every family at the edges of what a number can be: no input
//! makes a constructor or a draw panic or hang, every draw stays in the
//! support, and validation builds no quantile table.
//!
//! A hang cannot be caught inside the thread that hangs, so each case runs
//! on a thread of its own and the test waits for it with a generous time
//! limit (`LIMIT`): a detector of endless loops, not a benchmark.

use super::*;
use proptest::prelude::*;
use std::sync::mpsc;
use std::time::Duration;

/// Far more than any case takes (milliseconds), even on a loaded machine.
const LIMIT: Duration = Duration::from_secs(20);

/// Runs `case` on its own thread; fails the test if it panics or has not
/// finished within `LIMIT`.
fn bounded(what: String, case: impl FnOnce() + Send + 'static) {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        case();
        let _ = tx.send(());
    });
    match rx.recv_timeout(LIMIT) {
        Ok(()) => {}
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{what}: no answer in {LIMIT:?}"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{what}: panicked"),
    }
}

/// Draws at the extreme uniforms and in between; each must be a number in
/// the support (which may include infinity: overflowing draws are refused
/// by validation, see `Dist::draw_range`), and they must not decrease.
/// `scale` is the magnitude of the untruncated distribution's values, whose
/// rounding error draws may carry (a PERT over [-1e72, 1e72] truncated
/// to values near 0 can only draw the noise of 1e72 − 1e72).
fn check_draws(what: &str, d: &Dist, scale: f64) {
    let (lo, hi) = d.support();
    let us = [
        U_EXTREMES.0,
        1e-300,
        2f64.powi(-53),
        1e-9,
        0.01,
        0.3,
        0.5,
        0.7,
        0.99,
        1.0 - 1e-9,
        1.0 - 2f64.powi(-53),
        U_EXTREMES.1,
    ];
    // The draws (through the quantile tables) and the exact inverse are
    // each monotone; they are not compared with each other here: they
    // differ by up to the tables' accuracy (`table`), which at the edge of
    // a truncation window can exceed the rounding allowed below.
    let mut prev = [f64::NEG_INFINITY; 2];
    for u in us {
        for (x, prev) in [d.quantile(u), d.exact_quantile(u)].into_iter().zip(&mut prev) {
            assert!(
                x >= lo && x <= hi,
                "{what}: draw {x} at u = {u} outside [{lo}, {hi}]"
            );
            // Monotone up to rounding: of the exact inverse's last bits,
            // and of u mapped into a truncation window, where 1 − u·F(max)
            // keeps only a few digits near u = 1 (an overflow to infinity,
            // which validation refuses, is as large as the last).
            assert!(
                x == *prev || !(x < *prev - 1e-12 * prev.abs().max(scale)),
                "{what}: draw {x} at u = {u} below {prev}"
            );
            *prev = x;
        }
        let c = d.cdf(prev[0]);
        assert!((0.0..=1.0).contains(&c), "{what}: cdf {c}");
    }
    let _ = d.draw_range();
}

/// The magnitude of a family's values: its largest at p1 and p99.
fn scale_of(f: &Family) -> f64 {
    let d = Dist::new(f.clone());
    d.quantile(0.01).abs().max(d.quantile(0.99).abs())
}

/// Builds a family (any result is fine), and when it exists, draws from it
/// untruncated and truncated.
fn exercise(what: String, build: impl FnOnce() -> Result<Family, DistError> + Send + 'static) {
    bounded(what.clone(), move || {
        let Ok(f) = build() else { return };
        let scale = scale_of(&f);
        check_draws(&what, &Dist::new(f.clone()), scale);
        let (lo, hi) = Dist::new(f.clone()).support();
        let mid = Dist::new(f.clone()).quantile(0.5);
        for (a, b) in [(Some(mid), None), (None, Some(mid)), (Some(lo), Some(hi))] {
            if let Ok(d) = Dist::truncated(
                f.clone(),
                a.filter(|x| x.is_finite()),
                b.filter(|x| x.is_finite()),
            ) {
                check_draws(&format!("{what} truncated to {a:?}..{b:?}"), &d, scale);
            }
        }
    });
}

/// Numbers at the edges of f64: subnormal, the smallest positive, tiny,
/// ordinary, huge, and signs, zero, infinities and NaN.
const EDGES: [f64; 14] = [
    5e-324,
    1e-310,
    1e-300,
    1e-3,
    0.5,
    1.0,
    2.0,
    1e7,
    1e14,
    1e300,
    -1e300,
    0.0,
    f64::INFINITY,
    f64::NAN,
];

#[test]
fn every_two_parameter_constructor_at_the_extremes() {
    for a in EDGES {
        for b in EDGES {
            let name = |f: &str| format!("{f}({a:e}, {b:e})");
            exercise(name("beta"), move || Beta::new(a, b).map(Family::Beta));
            exercise(name("gamma"), move || Gamma::new(a, b).map(Family::Gamma));
            exercise(name("weibull"), move || {
                Weibull::new(a, b).map(Family::Weibull)
            });
            exercise(name("normal"), move || {
                Normal::new(a, b).map(Family::Normal)
            });
            exercise(name("lognormal"), move || {
                LogNormal::from_mean_sd(a, b).map(Family::LogNormal)
            });
            exercise(name("uniform"), move || {
                Uniform::new(a, b).map(Family::Uniform)
            });
            exercise(name("discrete"), move || {
                Discrete::new(&[a, b, 1.0], &[b, a, 1e300]).map(Family::Discrete)
            });
            exercise(name("empirical"), move || {
                Empirical::new(&[a, b, 1.0, 2.0, 3.0], b, "x").map(Family::Empirical)
            });
        }
    }
}

#[test]
fn every_three_parameter_constructor_at_the_extremes() {
    let edges = [
        -1e300,
        -1.0,
        -5e-324,
        0.0,
        5e-324,
        1e-300,
        1.0,
        1e14,
        1e300,
        f64::NAN,
    ];
    for a in edges {
        for m in edges {
            for b in edges {
                let name = |f: &str| format!("{f}({a:e}, {m:e}, {b:e})");
                exercise(name("pert"), move || Pert::new(a, m, b).map(Family::Pert));
                exercise(name("triangular"), move || {
                    Triangular::new(a, m, b).map(Family::Triangular)
                });
            }
        }
    }
}

/// Percentile forms with extreme values and very uneven pairs.
#[test]
fn percentile_forms_at_the_extremes() {
    let values = [
        5e-324,
        1e-300,
        1e-9,
        0.5,
        1.0 - 1e-16,
        1.0,
        1e7,
        1e14,
        1e300,
    ];
    for (p, q) in [(0.01, 0.99), (0.1, 0.9), (0.5, 0.51)] {
        for x1 in values {
            for x2 in values {
                let name = |f: &str| format!("{f}(p{p} = {x1:e}, p{q} = {x2:e})");
                exercise(name("beta"), move || {
                    Beta::from_percentiles(p, x1, q, x2).map(Family::Beta)
                });
                exercise(name("gamma"), move || {
                    Gamma::from_percentiles(p, x1, q, x2).map(Family::Gamma)
                });
                exercise(name("weibull"), move || {
                    Weibull::from_percentiles(p, x1, q, x2).map(Family::Weibull)
                });
                exercise(name("lognormal"), move || {
                    LogNormal::from_percentiles(p, x1, q, x2).map(Family::LogNormal)
                });
                exercise(name("normal"), move || {
                    Normal::from_percentiles(p, -x1, q, x2).map(Family::Normal)
                });
                exercise(name("uniform"), move || {
                    Uniform::from_percentiles(p, -x1, q, x2).map(Family::Uniform)
                });
                let mode = 0.5 * (x1 + x2);
                exercise(name("pert"), move || {
                    Pert::from_percentiles(p, x1, mode, q, x2).map(Family::Pert)
                });
                exercise(name("triangular"), move || {
                    Triangular::from_percentiles(p, x1, mode, q, x2).map(Family::Triangular)
                });
            }
        }
    }
}

/// A number anywhere from 1e-320 to 1e300 in magnitude, spread evenly in
/// logs, with either sign.
fn wide() -> impl Strategy<Value = f64> {
    (-320.0f64..300.0, any::<bool>()).prop_map(|(e, neg)| {
        let x = 10f64.powf(e);
        if neg { -x } else { x }
    })
}

/// A positive number from 1e-320 to 1e300, spread evenly in logs.
fn positive() -> impl Strategy<Value = f64> {
    (-320.0f64..300.0).prop_map(|e| 10f64.powf(e))
}

/// A probability for a percentile, p1 to p99.
fn percent() -> impl Strategy<Value = f64> {
    (1u32..100).prop_map(|n| f64::from(n) / 100.0)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Construction and drawing finish for shapes over the whole range of
    /// doubles, concentrated where the accepted ranges end.
    #[test]
    fn shapes_anywhere_finish(a in positive(), b in positive(), near in -4.0f64..6.0) {
        let s = 10f64.powf(near);
        exercise(format!("beta({a:e}, {b:e})"), move || Beta::new(a, b).map(Family::Beta));
        exercise(format!("beta({s:e}, {b:e})"), move || Beta::new(s, b).map(Family::Beta));
        exercise(format!("beta({a:e}, {s:e})"), move || Beta::new(a, s).map(Family::Beta));
        exercise(format!("gamma({s:e}, {b:e})"), move || Gamma::new(s, b).map(Family::Gamma));
        exercise(format!("weibull({a:e}, {b:e})"), move || Weibull::new(a, b).map(Family::Weibull));
    }

    /// The same for every percentile form and truncation bounds.
    #[test]
    fn percentile_forms_anywhere_finish(
        p in percent(), q in percent(), x1 in wide(), x2 in wide(), m in wide(),
        lo in wide(), hi in wide(),
    ) {
        let (p, q) = (p.min(q), p.max(q));
        let cut = move |f: Family| Dist::truncated(f, Some(lo), Some(hi));
        let name = |f: &str| format!("{f}(p{p} = {x1:e}, p{q} = {x2:e}, mode {m:e}) on [{lo:e}, {hi:e}]");
        for f in ["beta", "gamma", "weibull", "lognormal", "normal", "uniform", "pert", "triangular"] {
            let what = name(f);
            bounded(what.clone(), move || {
                let family = match f {
                    "beta" => Beta::from_percentiles(p, x1, q, x2).map(Family::Beta),
                    "gamma" => Gamma::from_percentiles(p, x1, q, x2).map(Family::Gamma),
                    "weibull" => Weibull::from_percentiles(p, x1, q, x2).map(Family::Weibull),
                    "lognormal" => LogNormal::from_percentiles(p, x1, q, x2).map(Family::LogNormal),
                    "normal" => Normal::from_percentiles(p, x1, q, x2).map(Family::Normal),
                    "uniform" => Uniform::from_percentiles(p, x1, q, x2).map(Family::Uniform),
                    "pert" => Pert::from_percentiles(p, x1, m, q, x2).map(Family::Pert),
                    _ => Triangular::from_percentiles(p, x1, m, q, x2).map(Family::Triangular),
                };
                if let Ok(f) = family {
                    let scale = scale_of(&f);
                    check_draws(&what, &Dist::new(f.clone()), scale);
                    if let Ok(d) = cut(f) {
                        check_draws(&what, &d, scale);
                    }
                }
            });
        }
    }
}

/// Validating a thousand PERT estimates builds no quantile table (each
/// costs up to 12,000 exact quantiles); drawing builds one per shape, and
/// estimates of the same shape share it. Before tables were built lazily
/// and shared, validation built 1,000 here.
#[test]
fn validation_builds_no_table_and_shapes_share_one() {
    let mut text = String::from(
        "horizon_years = 5\n[finance]\ndiscount_rate = 0.08\ntarget_payback_years = 3\n",
    );
    // Three shapes (the mode at 3.375, 7.625 and 11.875 sixteenths of the
    // range, exact in binary) at many places; odd values keep them apart
    // from other tests' shapes.
    for i in 0..1000 {
        let min = 16.0 * i as f64;
        let mode = min + [3.375, 7.625, 11.875][i % 3];
        text.push_str(&format!(
            "[[costs]]\nname = \"C{i}\"\namount = {{ pert = [{min}, {mode}, {}] }}\n",
            min + 16.0
        ));
    }
    text.push_str("[[benefits]]\nname = \"T\"\nkind = \"efficiency\"\nhours_saved_per_month = 10\nhourly_cost = 50\n");
    let before = table::built_here();
    let sc = crate::config::Scenario::from_toml(&text, std::path::Path::new("many.toml"))
        .expect("a valid scenario");
    assert_eq!(table::built_here(), before, "validation built tables");
    let drawn: Vec<f64> = sc.inputs.iter().map(|i| i.quantity.value(0.3)).collect();
    assert!(drawn.iter().all(|x| x.is_finite()));
    let built = table::built_here() - before;
    assert!(built <= 3, "{built} tables for 3 shapes");
    assert!(built >= 1, "drawing uses the tables");
}

/// A quantity whose draws overflow is refused when the scenario is
/// validated, naming the field (it used to pass, then fail the run with a
/// generic overflow message); so are shapes outside the documented ranges.
#[test]
fn validation_names_the_field_of_an_unusable_distribution() {
    for (amount, want) in [
        (
            "{ weibull = { shape = 0.001, scale = 1 } }",
            "can draw values as large as inf",
        ),
        (
            "{ beta = { alpha = 1e14, beta = 10 } }",
            "from 0.001 to 100000",
        ),
        (
            "{ beta = { alpha = 5e-324, beta = 1 } }",
            "got alpha = 5e-324",
        ),
    ] {
        let text = format!(
            "horizon_years = 5\n[finance]\ndiscount_rate = 0.08\ntarget_payback_years = 3\n\
             [[costs]]\nname = \"License\"\namount = {amount}\n\
             [[benefits]]\nname = \"T\"\nkind = \"efficiency\"\nhours_saved_per_month = 10\nhourly_cost = 50\n"
        );
        let errors = crate::config::Scenario::from_toml(&text, std::path::Path::new("s.toml"))
            .expect_err("refused")
            .0;
        assert_eq!(errors.len(), 1, "{amount}");
        let e = &errors[0];
        assert_eq!(e.path, "costs.License.amount");
        assert!(e.message.contains(want), "{amount}: {}", e.message);
    }
}
