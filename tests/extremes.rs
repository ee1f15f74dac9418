//! No number makes the program panic or hang: scenarios with extreme
//! parameters (subnormal, 5e-324, 1e300, very uneven pairs, far-tail
//! truncation, amounts that overflow) go through `validate` and `run`, each
//! under a time bound. Every one must end with exit code 0 (it ran) or 2 (a
//! clear error naming the field), never a panic (101), a crash or a hang.
//!
//! The distributions' own constructors are tested at the same extremes next
//! to their code (`src/dist/`); this is the end-to-end guard that one such
//! file cannot stop a batch.

mod common;

use common::{Sandbox, one_year_with_cost, stderr_of};
use std::time::Duration;

/// Generous: a 2,000-trial run of these small scenarios takes well under a
/// second; a hang (the failure this guards against) never ends.
const BOUND: Duration = Duration::from_secs(60);

/// Quantities at the edges of every family's parameters.
const EXTREMES: &[(&str, &str)] = &[
    (
        "beta-subnormal-beta",
        "{ beta = { alpha = 2, beta = 1e-310 } }",
    ),
    (
        "beta-subnormal-alpha",
        "{ beta = { alpha = 1e-310, beta = 2 } }",
    ),
    (
        "beta-smallest-alpha",
        "{ beta = { alpha = 5e-324, beta = 2 } }",
    ),
    ("beta-huge-beta", "{ beta = { alpha = 2, beta = 1e7 } }"),
    ("beta-huge-alpha", "{ beta = { alpha = 1e14, beta = 10 } }"),
    (
        "beta-both-huge",
        "{ beta = { alpha = 1e300, beta = 1e300 } }",
    ),
    ("beta-small-alpha", "{ beta = { alpha = 0.01, beta = 2 } }"),
    (
        "beta-far-tail",
        "{ beta = { alpha = 2, beta = 18 }, min = 0.6 }",
    ),
    (
        "gamma-tiny-shape",
        "{ gamma = { shape = 0.01, scale = 1 } }",
    ),
    (
        "gamma-subnormal-shape",
        "{ gamma = { shape = 1e-310, scale = 1 } }",
    ),
    (
        "gamma-huge-shape",
        "{ gamma = { shape = 1e300, scale = 1 } }",
    ),
    (
        "gamma-huge-scale",
        "{ gamma = { shape = 2, scale = 1e300 } }",
    ),
    (
        "weibull-tiny-shape",
        "{ weibull = { shape = 0.001, scale = 1 } }",
    ),
    (
        "weibull-huge-shape",
        "{ weibull = { shape = 1e300, scale = 1 } }",
    ),
    (
        "weibull-subnormal-scale",
        "{ weibull = { shape = 2, scale = 5e-324 } }",
    ),
    (
        "lognormal-wide",
        "{ lognormal = { p5 = 1e-300, p95 = 1e300 } }",
    ),
    (
        "lognormal-mean-sd-uneven",
        "{ lognormal = { mean = 1, sd = 1e300 } }",
    ),
    ("normal-huge", "{ normal = { mean = 1e300, sd = 1e300 } }"),
    (
        "normal-subnormal-sd",
        "{ normal = { mean = 1, sd = 5e-324 } }",
    ),
    (
        "normal-far-tail",
        "{ normal = { mean = 0, sd = 1 }, min = 30 }",
    ),
    (
        "normal-farther-tail",
        "{ normal = { mean = 0, sd = 1 }, min = 40 }",
    ),
    ("pert-subnormal", "{ pert = [0, 5e-324, 1e-323] }"),
    ("pert-huge", "{ pert = [-1e300, 0, 1e300] }"),
    ("pert-uneven", "{ pert = [0, 1e-300, 1e300] }"),
    ("triangular-uneven", "{ triangular = [0, 1e-320, 1e300] }"),
    ("uniform-whole-line", "{ uniform = [-1e308, 1e308] }"),
    (
        "uniform-one-step",
        "{ uniform = [0.3, 0.30000000000000004] }",
    ),
    (
        "discrete-huge",
        "{ discrete = { values = [-1e308, 1e308], weights = [1, 1] } }",
    ),
    (
        "discrete-subnormal-weight",
        "{ discrete = { values = [1, 2], weights = [5e-324, 1] } }",
    ),
    (
        "percentiles-tight",
        "{ lognormal = { p5 = 1, p95 = 1.0000000000000002 } }",
    ),
    (
        "gamma-percentiles-uneven",
        "{ gamma = { p10 = 1e-300, p90 = 1e300 } }",
    ),
    (
        "weibull-percentiles-uneven",
        "{ weibull = { p10 = 1e-300, p90 = 1e300 } }",
    ),
    (
        "beta-percentiles-edge",
        "{ beta = { p10 = 1e-300, p90 = 0.9999999999999999 } }",
    ),
    ("amount-max", "1.7976931348623157e308"),
    ("amount-subnormal", "5e-324"),
];

/// Runs `crm-roi ARGS` in the sandbox under the time bound; returns the
/// exit code and stderr, failing on a panic, a signal or a hang.
fn bounded(sb: &Sandbox, what: &str, args: &[&str]) -> (i32, String) {
    let a = sb.cmd().args(args).timeout(BOUND).assert();
    let err = stderr_of(&a);
    let code = a.get_output().status.code().unwrap_or_else(|| {
        panic!(
            "{what}: `{}` did not finish within {BOUND:?} or died by a signal\n{err}",
            args.join(" ")
        )
    });
    assert!(!err.contains("panicked"), "{what}: a panic\n{err}");
    assert!(code == 0 || code == 2, "{what}: exit code {code}\n{err}");
    (code, err)
}

#[test]
fn extreme_parameters_end_in_a_result_or_a_clear_error() {
    let sb = Sandbox::new();
    for (name, q) in EXTREMES {
        let file = format!("{name}.toml");
        sb.write(&file, &one_year_with_cost(q));
        let (validated, err) = bounded(&sb, name, &["validate", &file]);
        if validated == 2 {
            // A refusal names the field.
            assert!(err.contains("costs.X.amount"), "{name}: {err}");
        }
        let out = format!("out-{name}");
        let (ran, err) = bounded(
            &sb,
            name,
            &[
                "run",
                &file,
                "--trials",
                "2000",
                "--no-charts",
                "--out",
                &out,
            ],
        );
        if ran == 2 {
            assert!(
                err.contains(&file),
                "{name}: the error names the file\n{err}"
            );
        }
        // What validate accepts, run runs (or stops with a clear error
        // naming the input), and what validate refuses, run refuses.
        if validated == 2 {
            assert_eq!(ran, 2, "{name}: validate refused it, run must too");
        }
    }
}

/// One hostile file must not stop a batch: the others are simulated, the
/// batch ends with exit code 2 and names the broken file.
#[test]
fn one_extreme_file_does_not_stop_a_batch() {
    let sb = Sandbox::new();
    sb.write("scen/a-fine.toml", &one_year_with_cost("1000"));
    sb.write(
        "scen/b-hostile.toml",
        &one_year_with_cost("{ beta = { alpha = 2, beta = 1e-310 } }"),
    );
    sb.write(
        "scen/c-hostile.toml",
        &one_year_with_cost("{ beta = { alpha = 1e14, beta = 10 } }"),
    );
    sb.write("scen/d-fine.toml", &one_year_with_cost("2000"));
    let (_, _) = bounded(
        &sb,
        "batch",
        &[
            "batch",
            "scen",
            "--trials",
            "1000",
            "--no-charts",
            "--out",
            "out",
        ],
    );
    for d in ["a-fine", "d-fine"] {
        assert!(
            sb.path().join("out").join(d).join("summary.json").is_file(),
            "{d} was simulated"
        );
    }
}
