//! `solve` (break-even and goal seek) against closed forms, its errors at
//! library level, common random numbers with correlated inputs, and the
//! command line: solve.json, exit codes, the result directory, Ctrl-C.
//!
//! The closed form (tests/fixtures/closed-form.toml): an upfront cost U at
//! month 0, a fee of 1,000 a month and benefits of 50·h a month with hours
//! h ~ U[200, 400], over one year. Payback is U / (50 h − 1000) months, so
//! a trial pays back within 6 months iff U ≤ c = 6 (50 h − 1000), and
//! P(payback ≤ 6 months) = 0.5 at U = c(median h) = 84,000.
//!
//! Monte Carlo tolerance: the solved U is the sample median of c, whose
//! standard error is 1 / (2 f √n) with f the density of c = 300 h − 6000,
//! uniform on [54,000, 114,000]: f = 1/60,000, so SE = 30,000 / √n = 212
//! at n = 20,000 trials (0.25% of 84,000). The 1% is 4 SE.

mod common;

use common::{Sandbox, read_json, stderr_of, stdout_of};
use crm_roi::engine::{Engine, Settings};
use crm_roi::simulate;
use crm_roi::solve::{Goal, SolveError, SolveOptions, solve};
use crm_roi::{Method, RunOptions, Scenario};
use std::path::Path;

const CLOSED_FORM: &str = include_str!("fixtures/closed-form.toml");
const TRIALS: u64 = 20_000;

fn scenario(text: &str) -> Scenario {
    Scenario::from_toml(text, Path::new("closed-form.toml")).unwrap()
}

fn options(trials: u64) -> SolveOptions {
    SolveOptions::new(Settings::new(trials, 7, Method::MonteCarlo))
}

/// The hours drawn in each trial of the closed form (trial order).
fn hours(s: &Scenario, trials: u64) -> Vec<f64> {
    let run = simulate(
        s,
        &RunOptions::new(Settings::new(trials, 7, Method::MonteCarlo)),
        &mut (),
    )
    .unwrap();
    let i = s
        .input("benefits.Time saved.hours_saved_per_month")
        .unwrap()
        .0;
    run.data
        .kept_inputs
        .iter()
        .find(|(k, _)| *k == i)
        .unwrap()
        .1
        .clone()
}

fn sorted(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_by(f64::total_cmp);
    v
}

#[test]
fn p_payback_half_is_met_at_84000() {
    let s = scenario(CLOSED_FORM);
    let goal: Goal = "p_payback=0.5".parse().unwrap();
    let sol = solve(&s, "costs.Upfront.amount", goal, &options(TRIALS), &mut ()).unwrap();
    // Within 1% (4 SE, see the header) of the closed form.
    assert!(
        (sol.value - 84_000.0).abs() < 840.0,
        "{} (SE {:?})",
        sol.value,
        sol.value_se
    );
    // Exactly, for these draws: met iff #{c_i >= U} >= n/2, i.e. for U up
    // to the (n/2 + 1)-th smallest c_i, to the bisection's tolerance.
    let c = sorted(
        hours(&s, TRIALS)
            .iter()
            .map(|h| 6.0 * (50.0 * h - 1000.0))
            .collect(),
    );
    let exact = c[TRIALS as usize / 2];
    assert!(sol.value <= exact + 1e-6 && sol.just_beyond.value > exact - 1e-6);
    assert!(
        exact - sol.value <= sol.tolerance + 1e-6,
        "{} vs {exact}",
        sol.value
    );
    assert_eq!(sol.reached, 0.5);
    assert_eq!(sol.met, "below");
    // The estimated SE agrees with 212 within the error of its slope
    // estimate (a bin of at least √n = 141 trials: ±10% or so, 3 sd).
    let se = sol.value_se.unwrap();
    assert!((se - 212.1).abs() < 0.3 * 212.1, "{se}");
    // The file's own value, for comparison: U = 100,000 needs c >= 100,000,
    // i.e. h >= 353.3: P = (400 - 353.33) / 200 = 0.2333.
    assert_eq!(sol.current.value, 100_000.0);
    assert_eq!(sol.current.kind, "fixed");
    assert!((sol.current.reached - 0.2333).abs() < 4.0 * (0.2333f64 * 0.7667 / 20_000.0).sqrt());
    assert!(sol.monotone);
    assert!(sol.simulations <= 47);
}

/// What solve reports at its value is what `run` reports for a file with
/// that value.
#[test]
fn the_figure_is_what_run_reports_with_the_value_fixed() {
    let s = scenario(CLOSED_FORM);
    let goal: Goal = "p_payback=0.8".parse().unwrap();
    let sol = solve(&s, "costs.Upfront.amount", goal, &options(5000), &mut ()).unwrap();
    let fixed = CLOSED_FORM.replace("amount = 100000", &format!("amount = {:?}", sol.value));
    let run = simulate(
        &scenario(&fixed),
        &RunOptions::new(Settings::new(5000, 7, Method::MonteCarlo)),
        &mut (),
    )
    .unwrap();
    assert_eq!(
        run.results.summary.probabilities.payback_within_target,
        Some(sol.reached)
    );
    assert!(sol.reached >= 0.8 && sol.just_beyond.reached < 0.8);
}

/// median_npv = 0 with a discount rate of 8%: NPV = A (50 h − 1000) − U
/// with A = Σ_{t=1..12} 1.08^(−t/12) = 11.512857852328935 (python:
/// `sum(1.08**(-t/12) for t in range(1,13))`), so U = 14,000 A =
/// 161,180.0 at the median h. SE = 50 A · 100/√n = 407 at n = 20,000;
/// the bound is 4 SE. Exactly, for these draws: U = A (50 m − 1000) with m
/// the sample median of h (NPV is linear in h, so its median is).
#[test]
fn median_npv_zero_matches_the_discounted_closed_form() {
    let s = scenario(&CLOSED_FORM.replace("discount_rate = 0", "discount_rate = 0.08"));
    let a = 11.512857852328935;
    let goal: Goal = "median_npv=0".parse().unwrap();
    let sol = solve(&s, "costs.Upfront.amount", goal, &options(TRIALS), &mut ()).unwrap();
    assert!((sol.value - 161_180.0).abs() < 4.0 * 407.0, "{}", sol.value);
    let h = sorted(hours(&s, TRIALS));
    let m = (h[TRIALS as usize / 2 - 1] + h[TRIALS as usize / 2]) / 2.0;
    let exact = a * (50.0 * m - 1000.0);
    assert!(
        (sol.value - exact).abs() <= sol.tolerance + 1e-6 * exact,
        "{} vs {exact}",
        sol.value
    );
    assert!(
        sol.reached >= 0.0 && sol.reached.abs() < 1.0,
        "{}",
        sol.reached
    );
}

/// median_payback = 0.5 years: the median of U / (50 h − 1000) months is
/// U / (50 m − 1000) (a decreasing function of h), so U = 84,000 again,
/// within 4 SE; met at or below it (a lower cost pays back sooner).
#[test]
fn median_payback_and_p_npv_positive_closed_forms() {
    let s = scenario(CLOSED_FORM);
    let sol = solve(
        &s,
        "costs.Upfront.amount",
        "median_payback=0.5".parse().unwrap(),
        &options(TRIALS),
        &mut (),
    )
    .unwrap();
    assert!((sol.value - 84_000.0).abs() < 4.0 * 212.1, "{}", sol.value);
    assert_eq!(sol.met, "below");
    assert!(sol.reached <= 0.5);
    // P(NPV > 0) = 0.9 with d = 0: U = 12 (50 h_0.1 − 1000) = 120,000 at
    // h_0.1 = 220; SE = 12·50·√(0.09/n)·200 = 254.6 at n = 20,000.
    let sol = solve(
        &s,
        "costs.Upfront.amount",
        "p_npv_positive=0.9".parse().unwrap(),
        &options(TRIALS),
        &mut (),
    )
    .unwrap();
    assert!((sol.value - 120_000.0).abs() < 4.0 * 254.6, "{}", sol.value);
}

/// The benefit side: hours are random in the file; pinned, the goal
/// P(payback within 6 months) at U = 100,000 needs 50 h − 1000 >= 16,666.7,
/// h >= 353.33 in every trial: the step is the same for all trials.
#[test]
fn a_random_input_is_compared_with_its_median() {
    let s = scenario(CLOSED_FORM);
    let sol = solve(
        &s,
        "benefits.Time saved.hours_saved_per_month",
        "p_payback=0.5".parse().unwrap(),
        &options(2000),
        &mut (),
    )
    .unwrap();
    assert!((sol.value - 1060.0 / 3.0).abs() < 1e-3, "{}", sol.value);
    assert_eq!(sol.reached, 1.0);
    assert_eq!(sol.just_beyond.reached, 0.0);
    assert_eq!(sol.met, "above");
    assert_eq!(sol.current.kind, "median");
    assert!((sol.current.value - 300.0).abs() < 1e-9);
    // The automatic range of U[200, 400]: P0.1..P99.9 widened by half.
    assert!(sol.searched[0] <= 200.0 && sol.searched[1] >= 400.0);
}

fn error(text: &str, path: &str, goal: &str, between: Option<[f64; 2]>) -> String {
    let s = scenario(text);
    let o = options(1000).between(between);
    solve(&s, path, goal.parse().unwrap(), &o, &mut ())
        .unwrap_err()
        .to_string()
}

#[test]
fn errors_name_the_file_the_path_and_the_reason() {
    // Amounts that overflow in the file's own scenario, before any value
    // is tried: no value to name.
    let overflows = "name = \"ovf\"\nhorizon_years = 30\n[finance]\ndiscount_rate = 0.1\n\
        [[costs]]\nname = \"Fee\"\namount = 1e15\nevery = \"month\"\nescalation = 1e14\n";
    assert_eq!(
        error(overflows, "costs.Fee.amount", "median_npv=-1e20", None),
        "closed-form.toml: some trials produced amounts too large to compute (floating-point overflow) in the scenario as the file has it; check the scale of amounts, units and escalation"
    );
    assert_eq!(
        error(CLOSED_FORM, "costs.Upfront.amout", "p_payback=0.5", None),
        "closed-form.toml: no input `costs.Upfront.amout`; did you mean `costs.Upfront.amount`?"
    );
    let far = error(CLOSED_FORM, "business.customers", "p_payback=0.5", None);
    assert!(
        far.starts_with("closed-form.toml: no input `business.customers`; its inputs are `finance.discount_rate`, `adoption.go_live_month`"),
        "{far}"
    );
    assert_eq!(
        error(
            &CLOSED_FORM.replace("target_payback_years = 0.5", ""),
            "costs.Upfront.amount",
            "p_payback=0.5",
            None
        ),
        "closed-form.toml: the goal p_payback=0.5 needs a payback target, and the scenario has none; add finance.target_payback_years, or seek median_payback=YEARS"
    );
    let shock = format!(
        "{CLOSED_FORM}\n[[shocks]]\nname = \"Crash\"\nprobability_per_year = 0.1\nrevenue_loss = 0.2\n"
    );
    assert_eq!(
        error(&shock, "shocks.Crash.revenue_loss", "median_npv=0", None),
        "closed-form.toml: `shocks.Crash.revenue_loss` is drawn anew for each occurrence of the shock, not once per trial; solve varies per-trial inputs only (docs/scenario-format.md, \"Input paths\")"
    );
    // Below 54,000 every trial pays back within 6 months.
    assert_eq!(
        error(
            CLOSED_FORM,
            "costs.Upfront.amount",
            "p_payback=0.5",
            Some([0.0, 50_000.0])
        ),
        "closed-form.toml: the goal p_payback=0.5 cannot be bracketed for costs.Upfront.amount between 0 and 50000: P(payback within 0.5 years) is 100.0% at both ends (it may not depend on costs.Upfront.amount), so the goal is met at both ends; give a range where it is met at one end only"
    );
    // The discount rate does not move the undiscounted payback: fixed at
    // 0, its range [-1, 1] grows upwards 10 times (below -1 is not
    // admitted; -1 is the nearest number above it, rounded).
    assert_eq!(
        error(CLOSED_FORM, "finance.discount_rate", "p_payback=0.5", None),
        "closed-form.toml: the goal p_payback=0.5 cannot be bracketed for finance.discount_rate between -1 and 2047 (the input's own range, widened as far as it would go): P(payback within 0.5 years) is 23.3% at both ends (it may not depend on finance.discount_rate), so the goal is met at neither end; give a range where it is met at one end only"
    );
    assert_eq!(
        error(
            CLOSED_FORM,
            "adoption.max_level",
            "p_payback=0.5",
            Some([0.5, 2.0])
        ),
        "the search range [0.5, 2] leaves the values adoption.max_level admits ([0, 1])"
    );
    // Extreme numbers with an exponent, not hundreds of digits.
    assert_eq!(
        error(
            CLOSED_FORM,
            "costs.Upfront.amount",
            "p_payback=0.5",
            Some([-1e300, 1e300])
        ),
        "the search range [-1e300, 1e300] leaves the values costs.Upfront.amount admits ([-1e15, 1e15])"
    );
    // A median payback beyond the horizon is not measured: it was solved
    // as if it were the horizon itself.
    let s = scenario(CLOSED_FORM);
    let beyond = format!("median_payback={}", s.horizon_years + 1);
    assert_eq!(
        error(CLOSED_FORM, "costs.Upfront.amount", &beyond, None),
        format!(
            "closed-form.toml: the goal {beyond} lies beyond the horizon of {y} years, where no payback is measured (a later one counts as beyond the horizon); seek a median payback within {y} years, or lengthen horizon_years",
            y = s.horizon_years
        )
    );
    let e = SolveError::TooManyTrials { trials: 2_000_000 };
    assert_eq!(
        e.to_string(),
        "2000000 trials per simulation asked; solve runs at most 1048576"
    );
}

/// Pinning a correlated input leaves its partner's draws as they are in
/// the file, trial by trial, under both sampling methods; so does pinning
/// an uncorrelated one for every other input.
#[test]
fn pinning_an_input_leaves_the_other_draws_unchanged() {
    let text = CLOSED_FORM.replace("hourly_cost = 50", "hourly_cost = { uniform = [40, 60] }")
        + "\n[[correlations]]\nbetween = [\"benefits.Time saved.hours_saved_per_month\", \"benefits.Time saved.hourly_cost\"]\nrank = 0.7\n";
    let s = scenario(&text);
    let hours = s
        .input("benefits.Time saved.hours_saved_per_month")
        .unwrap()
        .0;
    let rate = s.input("benefits.Time saved.hourly_cost").unwrap().0;
    for method in [Method::MonteCarlo, Method::LatinHypercube] {
        let settings = Settings::new(500, 3, method);
        for (pin, other) in [(hours, rate), (rate, hours)] {
            let mut pinned = s.clone();
            pinned.inputs[pin].quantity = crm_roi::dist::Quantity::Fixed(1.0);
            let (a, b) = (Engine::new(&s, settings), Engine::new(&pinned, settings));
            let (mut sa, mut sb) = (a.scratch(), b.scratch());
            for t in 0..500 {
                a.trial(t, &mut sa, |_, _| {});
                b.trial(t, &mut sb, |_, _| {});
                assert_eq!(
                    sa.inputs()[other],
                    sb.inputs()[other],
                    "{method:?} trial {t}"
                );
                assert_eq!(sb.inputs()[pin], 1.0);
            }
        }
    }
}

#[test]
fn the_command_writes_solve_json_and_prints_the_answer() {
    let sb = Sandbox::new();
    sb.write("cf.toml", CLOSED_FORM);
    let a = sb
        .cmd()
        .args(["solve", "cf.toml", "--vary", "costs.Upfront.amount"])
        .args(["--goal", "p_payback=0.5", "--seed", "7", "--out", "out"])
        .assert()
        .success();
    let out = stdout_of(&a);
    assert!(
        out.contains("closed-form: costs.Upfront.amount for p_payback=0.5"),
        "{out}"
    );
    assert!(
        out.contains("reached:  P(payback within 0.5 years) = 50.0%"),
        "{out}"
    );
    assert!(
        out.contains("current:  100,000 (fixed in the file)"),
        "{out}"
    );
    let dir = sb.path().join("out/solve/closed-form");
    let json = read_json(&dir.join("solve.json"));
    assert_eq!(json["input"], "costs.Upfront.amount");
    assert_eq!(json["goal"], "p_payback=0.5");
    assert_eq!(json["trials"], 20_000);
    let v = json["value"].as_f64().unwrap();
    assert!((v - 84_000.0).abs() < 840.0, "{v}");
    assert_eq!(common::entries(&dir), [".crm-roi", "solve.json"]);

    // A refused solve: exit 2, its message.
    let refused = |vary: &str, goal: &str, out: &str| {
        let a = sb
            .cmd()
            .args(["solve", "cf.toml", "--vary", vary])
            .args(["--goal", goal, "--out", out])
            .assert()
            .code(2);
        stderr_of(&a)
    };

    // Another solve replaces it whole; a foreign file there is kept, and
    // the solve refuses before simulating.
    sb.write("out/solve/closed-form/notes.txt", "mine");
    let err = refused("costs.Upfront.amount", "p_payback=0.5", "out");
    assert!(err.contains("notes.txt"), "{err}");
    assert!(dir.join("notes.txt").exists() && dir.join("solve.json").exists());

    // Bad input: exit 2 with the library's message, nothing written.
    let err = refused("costs.Upfront.amout", "p_payback=0.5", "out2");
    assert!(
        err.contains("did you mean `costs.Upfront.amount`?"),
        "{err}"
    );
    assert!(!sb.path().join("out2/solve/closed-form").exists());
    let err = refused("costs.Upfront.amount", "p_payback=80", "out3");
    assert!(err.contains("did you mean 0.8?"), "{err}");
    // A probability of 0 is reached at every value: refused before any
    // simulation, with the goal to ask instead.
    let err = refused("costs.Upfront.amount", "p_payback=0", "out3");
    assert!(
        err.contains("p_payback=0 is met at every value") && err.contains("p_payback=0.001"),
        "{err}"
    );
    assert!(!sb.path().join("out3").exists());
}

/// A run into `OUT/solve` writes a result directory where a solve puts
/// its own: neither replaces the other's results (both refuse with exit
/// 2 and leave them as they are).
#[test]
fn solve_and_run_do_not_replace_each_other() {
    let sb = Sandbox::new();
    sb.write("cf.toml", CLOSED_FORM);
    let solve = |out: &str| {
        let mut cmd = sb.cmd();
        cmd.args(["solve", "cf.toml", "--vary", "costs.Upfront.amount"])
            .args(["--goal", "p_payback=0.5", "-n", "500", "--out", out]);
        cmd
    };
    let run = |out: &str| {
        let mut cmd = sb.cmd();
        cmd.args([
            "run",
            "cf.toml",
            "-n",
            "500",
            "--no-charts",
            "-q",
            "--out",
            out,
        ]);
        cmd
    };
    run("a/solve").assert().success();
    let a = solve("a").assert().code(2);
    assert!(
        stderr_of(&a)
            .contains("holds the results of a run (summary.json), which a solve does not replace"),
        "{}",
        stderr_of(&a)
    );
    let dir = sb.path().join("a/solve/closed-form");
    assert!(dir.join("summary.json").exists() && !dir.join("solve.json").exists());

    solve("b").assert().success();
    let a = run("b/solve").assert().code(2);
    assert!(
        stderr_of(&a)
            .contains("holds the results of a solve (solve.json), which a run does not replace"),
        "{}",
        stderr_of(&a)
    );
    assert_eq!(
        common::entries(&sb.path().join("b/solve/closed-form")),
        [".crm-roi", "solve.json"]
    );
    // Each still replaces its own.
    solve("b").assert().success();
    run("a/solve").assert().success();
}

/// The same solve on 1 and on 2 threads writes the same bytes: the trials
/// of each candidate are drawn by key and collected in order.
#[test]
fn solve_json_does_not_depend_on_the_thread_count() {
    let sb = Sandbox::new();
    sb.write("cf.toml", CLOSED_FORM);
    let mut files = Vec::new();
    for threads in ["1", "2"] {
        let out = format!("out{threads}");
        sb.cmd()
            .env("RAYON_NUM_THREADS", threads)
            .args(["solve", "cf.toml", "--vary", "costs.Upfront.amount"])
            .args(["--goal", "p_payback=0.5", "--trials", "5000", "--quiet"])
            .args(["--out", &out])
            .assert()
            .success();
        files
            .push(std::fs::read(sb.path().join(out).join("solve/closed-form/solve.json")).unwrap());
    }
    assert!(!files[0].is_empty());
    assert_eq!(
        files[0], files[1],
        "solve.json differs between 1 and 2 threads"
    );
}

/// Ctrl-C stops a long solve with exit code 130 and writes nothing.
#[cfg(unix)]
#[test]
fn ctrl_c_stops_a_solve() {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    let sb = Sandbox::new();
    sb.write(
        "cf.toml",
        &CLOSED_FORM.replace("horizon_years = 1", "horizon_years = 30"),
    );
    let mut child = Command::new(assert_cmd::cargo::cargo_bin!("crm-roi"))
        .current_dir(sb.path())
        .args(["solve", "cf.toml", "--vary", "costs.Upfront.amount"])
        .args([
            "--goal",
            "median_npv=0",
            "--trials",
            "1000000",
            "--out",
            "out",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the solve ended too soon for the test"
    );
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let started = Instant::now();
    let code = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s.code();
        }
        assert!(started.elapsed() < Duration::from_secs(20), "did not stop");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(code, Some(130));
    // Nothing written, not even the output directories it made.
    assert!(!sb.path().join("out").exists());
}
