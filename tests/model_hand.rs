//! The one-trial cash-flow model (`Model::run`) against hand-computed trials.
//!
//! Why: every statistic the simulator reports is built from this function,
//! so it must follow the formulas of docs/scenario-format.md exactly. Each test
//! builds a scenario whose inputs are all fixed (so `median_inputs()` is
//! their value), forces the shock occurrences by hand, and compares CF(t),
//! Cum(t) month by month, payback (with the in-month interpolation),
//! discounted payback, NPV, totals and ROI with numbers worked out by hand
//! from docs/scenario-format.md (in the comments and literals below), never by calling
//! the code under test. Tolerance: 1e-9 relative (absolute 1e-9 near zero).

use crm_roi::config::Scenario;
use crm_roi::model::{Occurrence, Outcome};
use std::path::Path;

fn scenario(text: &str) -> Scenario {
    Scenario::from_toml(text, Path::new("t.toml"))
        .unwrap_or_else(|e| panic!("scenario should be valid:\n{e}\n---\n{text}"))
}

/// Runs one trial at the (fixed) inputs; returns the outcome and Cum(0..=T).
fn run(sc: &Scenario, occurrences: &[Occurrence]) -> (Outcome, Vec<f64>) {
    let x = sc.median_inputs();
    for (def, v) in sc.inputs.iter().zip(&x) {
        assert!(def.quantity.is_fixed(), "{} must be fixed here", def.path);
        assert!(v.is_finite());
    }
    let mut cum = Vec::new();
    let out = sc
        .model
        .run(&x, occurrences, &mut sc.model.scratch(), |t, c| {
            assert_eq!(t, cum.len(), "months must be reported in order");
            cum.push(c);
        });
    assert_eq!(cum.len(), sc.months() + 1, "Cum(t) for t = 0..=T");
    (out, cum)
}

#[track_caller]
fn close(what: &str, got: f64, want: f64) {
    let tol = 1e-9 * want.abs().max(1.0);
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got}, want {want} (diff {})",
        got - want
    );
}

#[track_caller]
fn close_opt(what: &str, got: Option<f64>, want: Option<f64>) {
    match (got, want) {
        (Some(g), Some(w)) => close(what, g, w),
        (None, None) => {}
        _ => panic!("{what}: got {got:?}, want {want:?}"),
    }
}

/// Checks CF(t) (as Cum(t) − Cum(t−1)) against the hand-computed flows and
/// Cum(t) against their running sum.
#[track_caller]
fn check_flows(cum: &[f64], cf: &[f64]) {
    assert_eq!(cum.len(), cf.len(), "months");
    let mut running = 0.0;
    for t in 0..cf.len() {
        running += cf[t];
        close(&format!("Cum({t})"), cum[t], running);
        let got_cf = if t == 0 { cum[0] } else { cum[t] - cum[t - 1] };
        close(&format!("CF({t})"), got_cf, cf[t]);
    }
}

#[track_caller]
fn check_cum(cum: &[f64], want: &[f64]) {
    assert_eq!(cum.len(), want.len(), "months");
    for (t, (&g, &w)) in cum.iter().zip(want).enumerate() {
        close(&format!("Cum({t})"), g, w);
    }
}

struct Want {
    payback: Option<f64>,
    discounted_payback: Option<f64>,
    npv: f64,
    total_costs: f64,
    total_benefits: f64,
    roi: Option<f64>,
}

#[track_caller]
fn check_outcome(o: &Outcome, w: Want) {
    close_opt("payback_years", o.payback_years, w.payback);
    close_opt(
        "discounted_payback_years",
        o.discounted_payback_years,
        w.discounted_payback,
    );
    close("npv", o.npv, w.npv);
    close("total_costs", o.total_costs, w.total_costs);
    close("total_benefits", o.total_benefits, w.total_benefits);
    close_opt("roi", o.roi, w.roi);
}

const ONE_YEAR_NO_DISCOUNT: &str = r#"
horizon_years = 1
[finance]
discount_rate = 0
target_payback_years = 1
"#;

/// Flat benefit of 300 a month; one-time costs at months 0 (default), 5 and
/// T = 12 (allowed: at_month in 0..=T).
#[test]
fn one_time_costs_at_later_months() {
    let sc = scenario(&format!(
        r#"{ONE_YEAR_NO_DISCOUNT}
[[costs]]
name = "Setup"
amount = 1000

[[costs]]
name = "Upgrade"
amount = 400
units = 2
at_month = 5

[[costs]]
name = "Exit"
amount = 100
at_month = 12

[[benefits]]
name = "Flat"
kind = "custom"
amount_per_month = 300
ramps_with_adoption = false
"#
    ));
    let (o, cum) = run(&sc, &[]);
    // CF: month 0 −1000; months 1..4 +300; month 5 300 − 400·2 = −500;
    // months 6..11 +300; month 12 300 − 100 = 200.
    let cf = [
        -1000.0, 300.0, 300.0, 300.0, 300.0, -500.0, 300.0, 300.0, 300.0, 300.0, 300.0, 300.0,
        200.0,
    ];
    check_flows(&cum, &cf);
    check_cum(
        &cum,
        &[
            -1000.0, -700.0, -400.0, -100.0, 200.0, -300.0, 0.0, 300.0, 600.0, 900.0, 1200.0,
            1500.0, 1700.0,
        ],
    );
    // Cum(t) stays >= 0 from month 6 on; the last month below zero is s = 5
    // (Cum = −300), so payback is (5 + 300/CF(6))/12 = (5 + 300/300)/12 =
    // 0.5 years. The first crossing, inside month 4, does not count: the
    // cash fell back below zero in month 5.
    let payback = 0.5;
    assert!(
        o.fell_back && o.discounted_fell_back,
        "positive in month 4, negative in month 5"
    );
    check_outcome(
        &o,
        Want {
            payback: Some(payback),
            discounted_payback: Some(payback),
            npv: 1700.0,
            total_costs: 1900.0,
            total_benefits: 3600.0,
            roi: Some(1700.0 / 1900.0),
        },
    );
}

/// Monthly subscriptions: one from start_month 3 to end_month 7, one with
/// the defaults (1..=T).
#[test]
fn monthly_recurring_costs_with_start_and_end() {
    let sc = scenario(&format!(
        r#"{ONE_YEAR_NO_DISCOUNT}
[[costs]]
name = "Setup"
amount = 150

[[costs]]
name = "Subscription"
amount = 50
units = 4
every = "month"
start_month = 3
end_month = 7

[[costs]]
name = "Support"
amount = 10
every = "month"

[[benefits]]
name = "Flat"
kind = "custom"
amount_per_year = 1200
ramps_with_adoption = false
"#
    ));
    let (o, cum) = run(&sc, &[]);
    // Benefit 1200/12 = 100 a month; Support 10 in months 1..12;
    // Subscription 50·4 = 200 in months 3..7.
    // CF: −150; 90, 90; −110 ×5 (3..7); 90 ×5 (8..12).
    let cf = [
        -150.0, 90.0, 90.0, -110.0, -110.0, -110.0, -110.0, -110.0, 90.0, 90.0, 90.0, 90.0, 90.0,
    ];
    check_flows(&cum, &cf);
    check_cum(
        &cum,
        &[
            -150.0, -60.0, 30.0, -80.0, -190.0, -300.0, -410.0, -520.0, -430.0, -340.0, -250.0,
            -160.0, -70.0,
        ],
    );
    // Cum crosses zero inside month 2 but falls back in month 3 and ends
    // below zero (Cum(12) = −70): no payback within the horizon.
    assert!(o.fell_back, "Cum(2) = 30 > 0, then Cum(3) < 0");
    check_outcome(
        &o,
        Want {
            payback: None,
            discounted_payback: None,
            npv: -70.0,
            total_costs: 150.0 + 5.0 * 200.0 + 12.0 * 10.0,
            total_benefits: 1200.0,
            roi: Some(-70.0 / 1270.0),
        },
    );
}

/// Yearly and monthly escalated costs over 4 years: the exponent is
/// floor((p − start_month)/12), counted from the cost's own start.
#[test]
fn recurring_costs_with_escalation_over_several_years() {
    let sc = scenario(
        r#"
horizon_years = 4
[finance]
discount_rate = 0
target_payback_years = 2

[[costs]]
name = "Setup"
amount = 500

[[costs]]
name = "Licence"
amount = 1000
units = 2
every = "year"
escalation = 0.1

[[costs]]
name = "Hosting"
amount = 100
every = "year"
start_month = 6
end_month = 100
escalation = 0.2

[[costs]]
name = "Support"
amount = 10
every = "month"
start_month = 5
end_month = 30
escalation = 0.5
"#,
    );
    let (o, cum) = run(&sc, &[]);
    let mut cost = [0.0; 49];
    cost[0] = 500.0;
    // Licence: months 1, 13, 25, 37; exponents 0, 1, 2, 3 on 1000·2.
    cost[1] += 2000.0;
    cost[13] += 2200.0;
    cost[25] += 2420.0;
    cost[37] += 2662.0;
    // Hosting: months 6, 18, 30, 42 (end_month 100 is cut at T = 48);
    // exponents 0..3 on 100 at 20%.
    cost[6] += 100.0;
    cost[18] += 120.0;
    cost[30] += 144.0;
    cost[42] += 172.8;
    // Support: months 5..=30; (p − 5)/12 is 0 for p 5..16, 1 for 17..28,
    // 2 for 29..30 → 10, 15, 22.5.
    for c in &mut cost[5..=16] {
        *c += 10.0;
    }
    for c in &mut cost[17..=28] {
        *c += 15.0;
    }
    cost[29] += 22.5;
    cost[30] += 22.5;
    let cf: Vec<f64> = cost.iter().map(|c| -c).collect();
    check_flows(&cum, &cf);
    // 500 + (2000 + 2200 + 2420 + 2662) + (100 + 120 + 144 + 172.8)
    //   + (12·10 + 12·15 + 2·22.5) = 500 + 9282 + 536.8 + 345 = 10663.8
    let total = 10663.8;
    check_outcome(
        &o,
        Want {
            payback: None,
            discounted_payback: None,
            npv: -total,
            total_costs: total,
            total_benefits: 0.0,
            roi: Some(-1.0),
        },
    );
}

/// Go-live 2 and a fractional ramp of 2.5 months at full level;
/// then go-live 1.5, ramp 2, max_level 0.8.
#[test]
fn go_live_and_linear_ramp() {
    let sc = scenario(&format!(
        r#"{ONE_YEAR_NO_DISCOUNT}
[adoption]
go_live_month = 2
ramp_months = 2.5

[[costs]]
name = "Setup"
amount = 1000

[[benefits]]
name = "Time"
kind = "efficiency"
hours_saved_per_month = 10
hourly_cost = 30
"#
    ));
    let (o, cum) = run(&sc, &[]);
    // a(t) = clamp((t − 2)/2.5, 0, 1): t1 0, t2 0, t3 0.4, t4 0.8, t5.. 1.
    // Benefit 10·30 = 300 · a(t): 0, 0, 120, 240, 300 × 8.
    let cf = [
        -1000.0, 0.0, 0.0, 120.0, 240.0, 300.0, 300.0, 300.0, 300.0, 300.0, 300.0, 300.0, 300.0,
    ];
    check_flows(&cum, &cf);
    check_cum(
        &cum,
        &[
            -1000.0, -1000.0, -1000.0, -880.0, -640.0, -340.0, -40.0, 260.0, 560.0, 860.0, 1160.0,
            1460.0, 1760.0,
        ],
    );
    // Payback at t = 7: (6 + 40/300)/12 = (92/15)/12 = 23/45.
    check_outcome(
        &o,
        Want {
            payback: Some(23.0 / 45.0),
            discounted_payback: Some(23.0 / 45.0),
            npv: 1760.0,
            total_costs: 1000.0,
            total_benefits: 2760.0,
            roi: Some(1.76),
        },
    );

    let sc = scenario(&format!(
        r#"{ONE_YEAR_NO_DISCOUNT}
[adoption]
go_live_month = 1.5
ramp_months = 2
max_level = 0.8

[[costs]]
name = "Setup"
amount = 1000

[[benefits]]
name = "Time"
kind = "efficiency"
hours_saved_per_month = 10
hourly_cost = 50
"#
    ));
    let (o, cum) = run(&sc, &[]);
    // a(t) = 0.8·clamp((t − 1.5)/2, 0, 1): t1 0, t2 0.2, t3 0.6, t4.. 0.8.
    // Benefit 500·a: 0, 100, 300, 400 × 9.
    let cf = [
        -1000.0, 0.0, 100.0, 300.0, 400.0, 400.0, 400.0, 400.0, 400.0, 400.0, 400.0, 400.0, 400.0,
    ];
    check_flows(&cum, &cf);
    // Cum: −1000, −1000, −900, −600, −200, 200 → t = 5: (4 + 200/400)/12.
    check_outcome(
        &o,
        Want {
            payback: Some(4.5 / 12.0),
            discounted_payback: Some(4.5 / 12.0),
            npv: 3000.0,
            total_costs: 1000.0,
            total_benefits: 4000.0,
            roi: Some(3.0),
        },
    );
}

/// ramp_months = 0: a(t) = L·[t > g], a step strictly after go-live; with
/// max_level 0.75.
#[test]
fn ramp_zero_is_a_step_after_go_live() {
    let text = |go_live: &str, ramp: &str| {
        format!(
            r#"{ONE_YEAR_NO_DISCOUNT}
[adoption]
go_live_month = {go_live}
{ramp}
max_level = 0.75

[[costs]]
name = "Setup"
amount = 1000

[[benefits]]
name = "Time"
kind = "efficiency"
hours_saved_per_month = 8
hourly_cost = 50
"#
        )
    };
    // g = 3 (ramp written as 0): a(3) = 0 since 3 > 3 is false; 0.75 from
    // t = 4. Benefit 400·0.75 = 300 in months 4..12.
    let (o, cum) = run(&scenario(&text("3", "ramp_months = 0")), &[]);
    let mut cf = vec![-1000.0, 0.0, 0.0, 0.0];
    cf.extend([300.0; 9]);
    check_flows(&cum, &cf);
    // Cum(6) = −100, Cum(7) = 200 → (6 + 100/300)/12 = 19/36.
    check_outcome(
        &o,
        Want {
            payback: Some(19.0 / 36.0),
            discounted_payback: Some(19.0 / 36.0),
            npv: 1700.0,
            total_costs: 1000.0,
            total_benefits: 2700.0,
            roi: Some(1.7),
        },
    );

    // g = 2.5 (ramp left at its default 0): step at t = 3.
    let (o, cum) = run(&scenario(&text("2.5", "")), &[]);
    let mut cf = vec![-1000.0, 0.0, 0.0];
    cf.extend([300.0; 10]);
    check_flows(&cum, &cf);
    // Cum(5) = −100, Cum(6) = 200 → (5 + 1/3)/12 = 4/9.
    check_outcome(
        &o,
        Want {
            payback: Some(4.0 / 9.0),
            discounted_payback: Some(4.0 / 9.0),
            npv: 2000.0,
            total_costs: 1000.0,
            total_benefits: 3000.0,
            roi: Some(2.0),
        },
    );
}

/// Every benefit kind but churn, alone and together, with adoption ramping
/// and a 3-month shock, so that each kind's linkage to a(t) and m(t) shows.
#[test]
fn benefit_kinds_follow_adoption_and_shocks_as_specified() {
    let header = format!(
        r#"{ONE_YEAR_NO_DISCOUNT}
[adoption]
ramp_months = 4
max_level = 0.8

[business]
customers = 100
revenue_per_customer = 1200
gross_margin = 0.5
"#
    );
    // a(t) = 0.8·min(t/4, 1) for t = 1..12.
    let a = [
        0.0, 0.2, 0.4, 0.6, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8,
    ];
    // One occurrence in month 6 with loss 0.5 lasting 3 months: m = 0.5 in 6..8.
    let shock = [Occurrence {
        shock: 0,
        month: 6,
        loss: 0.5,
        duration: Some(3),
    }];
    let m = [
        1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 1.0, 1.0, 1.0, 1.0,
    ];
    // B = 100·1200/12 = 10000 a month; M = 0.5.
    // (TOML, monthly amount K at full adoption, times a(t)?, times m(t)?)
    let kinds: [(&str, f64, bool, bool); 7] = [
        // efficiency: 20·50 = 1000 · a
        (
            "kind = \"efficiency\"\nhours_saved_per_month = 20\nhourly_cost = 50",
            1000.0,
            true,
            false,
        ),
        // leads: 10·0.2·1000·0.5 = 1000 · a · m
        (
            "kind = \"leads\"\nextra_leads_per_month = 10\nconversion_rate = 0.2\ndeal_value = 1000",
            1000.0,
            true,
            true,
        ),
        // cross_sell: 0.03·10000·0.5 = 150 · a · m
        ("kind = \"cross_sell\"\nuplift = 0.03", 150.0, true, true),
        // custom per year, defaults (ramps, not linked): 2400/12 = 200 · a
        (
            "kind = \"custom\"\namount_per_year = 2400",
            200.0,
            true,
            false,
        ),
        // custom per month, flat, linked: 100 · m
        (
            "kind = \"custom\"\namount_per_month = 100\nramps_with_adoption = false\nrevenue_linked = true",
            100.0,
            false,
            true,
        ),
        // custom per month, flat, not linked: 50
        (
            "kind = \"custom\"\namount_per_month = 50\nramps_with_adoption = false",
            50.0,
            false,
            false,
        ),
        // custom per year, ramps (default) and linked: 1200/12 = 100 · a · m
        (
            "kind = \"custom\"\namount_per_year = 1200\nrevenue_linked = true",
            100.0,
            true,
            true,
        ),
    ];
    let expected = |k: f64, ramps: bool, linked: bool| -> Vec<f64> {
        (0..=12)
            .map(|t| {
                if t == 0 {
                    0.0
                } else {
                    k * if ramps { a[t] } else { 1.0 } * if linked { m[t] } else { 1.0 }
                }
            })
            .collect()
    };
    // Sums over t = 1..12: Σa = 0.2 + 0.4 + 0.6 + 9·0.8 = 8.4;
    // Σa·m = 8.4 − 3·0.8·0.5 = 7.2; Σm = 12 − 3·0.5 = 10.5.
    let hand_total = |k: f64, ramps: bool, linked: bool| match (ramps, linked) {
        (true, true) => k * 7.2,
        (true, false) => k * 8.4,
        (false, true) => k * 10.5,
        (false, false) => k * 12.0,
    };

    let mut all_text = header.clone();
    let mut all_cf = vec![0.0; 13];
    let mut all_total = 0.0;
    for (i, &(body, k, ramps, linked)) in kinds.iter().enumerate() {
        let item = format!("\n[[benefits]]\nname = \"B{i}\"\n{body}\n");
        all_text.push_str(&item);
        let sc = scenario(&format!("{header}{item}"));
        let (o, cum) = run(&sc, &shock);
        let cf = expected(k, ramps, linked);
        check_flows(&cum, &cf);
        let total = hand_total(k, ramps, linked);
        // No costs: Cum(0) = 0 → payback 0; ROI undefined.
        check_outcome(
            &o,
            Want {
                payback: Some(0.0),
                discounted_payback: Some(0.0),
                npv: total,
                total_costs: 0.0,
                total_benefits: total,
                roi: None,
            },
        );
        for (s, c) in all_cf.iter_mut().zip(&cf) {
            *s += c;
        }
        all_total += total;
    }
    // 1000·8.4 + 1000·7.2 + 150·7.2 + 200·8.4 + 100·10.5 + 50·12 + 100·7.2
    assert!((all_total - 20730.0).abs() < 1e-9);
    let (o, cum) = run(&scenario(&all_text), &shock);
    check_flows(&cum, &all_cf);
    close("total_benefits (all kinds)", o.total_benefits, 20730.0);
    assert_eq!(o.total_costs, 0.0);
    assert_eq!(o.roi, None);
}

/// The retained-customer stock S(t) of churn_reduction over 12 months,
/// with a permanent shock from month 4 that cuts the benefit but not the
/// stock.
#[test]
fn churn_reduction_stock() {
    // annual_churn = 1 − 0.9^12 = 0.717570463519 so that the monthly churn
    // c = 1 − (1 − annual)^(1/12) = 0.1.
    let sc = scenario(&format!(
        r#"{ONE_YEAR_NO_DISCOUNT}
[adoption]
ramp_months = 2

[business]
customers = 1000
revenue_per_customer = 1200
gross_margin = 0.5
annual_churn = 0.717570463519

[[costs]]
name = "Setup"
amount = 5000

[[benefits]]
name = "Retention"
kind = "churn_reduction"
relative_reduction = 0.5
"#
    ));
    let shock = [Occurrence {
        shock: 0,
        month: 4,
        loss: 0.2,
        duration: None,
    }];
    let (o, cum) = run(&sc, &shock);
    // a(1) = 0.5, a(t >= 2) = 1. Inflow customers·c·rr·a = 1000·0.1·0.5·a = 50a.
    // S(t) = 0.9·S(t−1) + 50a(t):
    let s = [
        0.0,
        25.0,            // 0 + 25
        72.5,            // 22.5 + 50
        115.25,          // 65.25 + 50
        153.725,         // 103.725 + 50
        188.3525,        // 138.3525 + 50
        219.51725,       // 169.51725 + 50
        247.565525,      // 197.565525 + 50
        272.8089725,     // 222.8089725 + 50
        295.52807525,    // 245.52807525 + 50
        315.975267725,   // 265.975267725 + 50
        334.3777409525,  // 284.3777409525 + 50
        350.93996685725, // 300.93996685725 + 50
    ];
    // Cross-check of the arithmetic: S(t) = 500 − 427.5·0.9^(t−2) for t >= 2.
    for (t, &st) in s.iter().enumerate().skip(2) {
        let closed = 500.0 - 427.5 * 0.9f64.powi(t as i32 - 2);
        assert!((st - closed).abs() < 1e-9, "hand S({t})");
    }
    // Benefit S(t)·(1200/12)·0.5·m(t) = 50·S(t)·m(t), m = 0.8 from month 4.
    let mut cf = vec![-5000.0];
    for (t, &st) in s.iter().enumerate().skip(1) {
        let m = if t >= 4 { 0.8 } else { 1.0 };
        cf.push(50.0 * st * m);
    }
    check_flows(&cum, &cf);
    // Benefits 1250, 3625, 5762.5, then 40·S(t).
    close("CF(3)", cf[3], 5762.5);
    // Cum: −5000, −3750, −125, 5637.5 → t = 3: (2 + 125/5762.5)/12.
    let payback = (2.0 + 125.0 / 5762.5) / 12.0;
    let benefits = 50.0 * (s[1] + s[2] + s[3]) + 40.0 * s[4..].iter().sum::<f64>();
    check_outcome(
        &o,
        Want {
            payback: Some(payback),
            discounted_payback: Some(payback),
            npv: benefits - 5000.0,
            total_costs: 5000.0,
            total_benefits: benefits,
            roi: Some((benefits - 5000.0) / 5000.0),
        },
    );
}

/// Forced shocks: one with a duration, a permanent one overlapping it (the
/// same shock occurring twice), a one-month one, and one whose duration
/// runs past T. Active occurrences multiply; efficiency is not affected.
#[test]
fn shock_occurrences_multiply_while_active() {
    let sc = scenario(&format!(
        r#"{ONE_YEAR_NO_DISCOUNT}
[[costs]]
name = "Setup"
amount = 2000

[[benefits]]
name = "Revenue"
kind = "custom"
amount_per_month = 1000
ramps_with_adoption = false
revenue_linked = true

[[benefits]]
name = "Time"
kind = "efficiency"
hours_saved_per_month = 1
hourly_cost = 100
"#
    ));
    let occ = [
        // months 3..=6
        Occurrence {
            shock: 0,
            month: 3,
            loss: 0.1,
            duration: Some(4),
        },
        // months 5..=12
        Occurrence {
            shock: 0,
            month: 5,
            loss: 0.5,
            duration: None,
        },
        // months 11..=15, cut at T = 12
        Occurrence {
            shock: 1,
            month: 11,
            loss: 0.2,
            duration: Some(5),
        },
        // month 1 only
        Occurrence {
            shock: 1,
            month: 1,
            loss: 0.3,
            duration: Some(1),
        },
    ];
    // m: t1 0.7; t2 1; t3, t4 0.9; t5, t6 0.9·0.5 = 0.45; t7..10 0.5;
    // t11, t12 0.5·0.8 = 0.4. Benefit 1000·m + 100 (a = 1 for t >= 1).
    let cf = [
        -2000.0, 800.0, 1100.0, 1000.0, 1000.0, 550.0, 550.0, 600.0, 600.0, 600.0, 600.0, 500.0,
        500.0,
    ];
    let want_cum = [
        -2000.0, -1200.0, -100.0, 900.0, 1900.0, 2450.0, 3000.0, 3600.0, 4200.0, 4800.0, 5400.0,
        5900.0, 6400.0,
    ];
    // Cum(2) = −100, CF(3) = 1000 → (2 + 0.1)/12.
    let want = || Want {
        payback: Some(2.1 / 12.0),
        discounted_payback: Some(2.1 / 12.0),
        npv: 6400.0,
        total_costs: 2000.0,
        total_benefits: 8400.0,
        roi: Some(3.2),
    };
    let (o, cum) = run(&sc, &occ);
    check_flows(&cum, &cf);
    check_cum(&cum, &want_cum);
    check_outcome(&o, want());

    // The order of the occurrences does not matter.
    let mut rev = occ;
    rev.reverse();
    let (o, cum) = run(&sc, &rev);
    check_cum(&cum, &want_cum);
    check_outcome(&o, want());

    // And the scratch is reset between trials: no shocks → m = 1.
    let x = sc.median_inputs();
    let mut scratch = sc.model.scratch();
    sc.model.run(&x, &occ, &mut scratch, |_, _| {});
    let o = sc.model.run(&x, &[], &mut scratch, |_, _| {});
    close("total_benefits without shocks", o.total_benefits, 13200.0);
}

/// Discounting at d = 10% a year: the discount factor of month t is
/// (1 + d)^(−t/12). Undiscounted payback lands exactly on a month end
/// (Cum(10) = 0), the discounted one a month later.
#[test]
fn discounting() {
    let sc = scenario(
        r#"
horizon_years = 2
[finance]
discount_rate = 0.1
target_payback_years = 1

[[costs]]
name = "Setup"
amount = 1000

[[costs]]
name = "Renewal"
amount = 600
at_month = 12

[[benefits]]
name = "Flat"
kind = "custom"
amount_per_month = 100
ramps_with_adoption = false
"#,
    );
    let (o, cum) = run(&sc, &[]);
    let mut cf = vec![-1000.0];
    cf.extend([100.0; 24]);
    cf[12] -= 600.0;
    check_flows(&cum, &cf);
    // Undiscounted: Cum(t) = −1000 + 100t for t < 12, and −1600 + 100t from
    // month 12 on: Cum(10) = 0 is undone by the renewal (Cum(12) = −400);
    // the last month below zero is 15 (Cum = −100): (15 + 100/100)/12 = 16/12.
    // Discounted, v = 1.1^(−1/12): DCum(t) = −1000 + 100·v(1 − v^t)/(1 − v)
    // − 600·v^12 for t >= 12 (geometric series). mpmath (30 digits):
    // DCum(16) = −48.9045978865189, DCum(17) = +38.4650051885668, so the
    // last crossing is inside month 17; payback 1.37997865406012563 years.
    let v = 1.1f64.powf(-1.0 / 12.0);
    let geo = |t: i32| v * (1.0 - v.powi(t)) / (1.0 - v);
    let dcum = |t: i32| -1000.0 + 100.0 * geo(t) - 600.0 * v.powi(12);
    close("DCum(16)", dcum(16), -48.904_597_886_518_94);
    close("DCum(17)", dcum(17), 38.465_005_188_566_78);
    let dpayback = (16.0 + (-dcum(16)) / (100.0 * v.powi(17))) / 12.0;
    close(
        "discounted payback (mpmath)",
        dpayback,
        1.379_978_654_060_125_6,
    );
    assert!(o.fell_back && o.discounted_fell_back);
    // NPV = −1000 + 100·Σ_{k=1}^{24} v^k − 600·v^12, v^12 = 1/1.1.
    let npv = -1000.0 + 100.0 * geo(24) - 600.0 / 1.1;
    assert!((npv - 631.0).abs() < 0.1, "hand value {npv}");
    check_outcome(
        &o,
        Want {
            payback: Some(16.0 / 12.0),
            discounted_payback: Some(dpayback),
            npv,
            total_costs: 1600.0,
            total_benefits: 2400.0,
            roi: Some(800.0 / 1600.0),
        },
    );
}

/// Cum(0) >= 0 is no payback when Cum(t) turns negative later: payback is
/// the time from which the cash stays paid back.
#[test]
fn payback_counts_from_the_last_crossing_when_month_zero_is_not_negative() {
    let sc = scenario(
        r#"
horizon_years = 1
[finance]
discount_rate = 0.05
target_payback_years = 1

[[costs]]
name = "Later"
amount = 500
at_month = 3

[[benefits]]
name = "Flat"
kind = "custom"
amount_per_month = 100
ramps_with_adoption = false
"#,
    );
    let (o, cum) = run(&sc, &[]);
    check_cum(
        &cum,
        &[
            0.0, 100.0, 200.0, -200.0, -100.0, 0.0, 100.0, 200.0, 300.0, 400.0, 500.0, 600.0, 700.0,
        ],
    );
    // NPV = 100·Σ_{t=1}^{12} v^t − 500·v^3, v = 1.05^(−1/12).
    let v = 1.05f64.powf(-1.0 / 12.0);
    let npv = 100.0 * v * (1.0 - v.powi(12)) / (1.0 - v) - 500.0 * v.powi(3);
    // Undiscounted: the last month below zero is s = 4 (Cum = −100), and
    // Cum(5) = 0 counts as paid back: (4 + 100/100)/12 = 5/12 years.
    // Discounted: DCum(4) = 100(v + v² + v³ + v⁴) − 500v³ ≈ −97.979 (mpmath,
    // 30 digits: −97.9794356774793508711), DCum(5) ≈ +0.00817 > 0, so the
    // crossing is inside month 5: (4 + (−DCum(4)) / (100 v⁵))/12.
    let dcum4 = 100.0 * (v + v * v + v.powi(3) + v.powi(4)) - 500.0 * v.powi(3);
    close("DCum(4) against mpmath", dcum4, -97.979_435_677_479_35);
    let dpayback = (4.0 + (-dcum4) / (100.0 * v.powi(5))) / 12.0;
    check_outcome(
        &o,
        Want {
            payback: Some(5.0 / 12.0),
            discounted_payback: Some(dpayback),
            npv,
            total_costs: 500.0,
            total_benefits: 1200.0,
            roi: Some(1.4),
        },
    );
    // Cum(0) = 0 is not "in the black": the cash was positive in months 1
    // and 2 and fell back in month 3.
    assert!(o.fell_back && o.discounted_fell_back);
}

/// Cum(t) >= 0 in every month, month 0 included: payback is exactly 0.
#[test]
fn payback_is_zero_when_the_cash_never_goes_below_zero() {
    let sc = scenario(&format!(
        r#"{ONE_YEAR_NO_DISCOUNT}
[[costs]]
name = "Later"
amount = 50
at_month = 3

[[benefits]]
name = "Flat"
kind = "custom"
amount_per_month = 100
ramps_with_adoption = false
"#
    ));
    let (o, cum) = run(&sc, &[]);
    // 0, 100, 200, 250, 350, ...: never below zero.
    let want: Vec<f64> = (0..=12)
        .map(|t| 100.0 * t as f64 - if t >= 3 { 50.0 } else { 0.0 })
        .collect();
    check_cum(&cum, &want);
    assert_eq!(o.payback_years, Some(0.0), "exactly 0");
    assert_eq!(o.discounted_payback_years, Some(0.0), "exactly 0");
    assert!(!o.fell_back && !o.discounted_fell_back);
}

/// A pilot that pays for itself, then a roll-out that pushes the cash under
/// water and several later crossings: payback is the last crossing, and a
/// trial whose cash ends below zero has not paid back at all, however long
/// it was positive before.
#[test]
fn pilot_then_roll_out_pays_back_at_the_last_crossing() {
    let text = |rollout: u32| {
        format!(
            r#"{ONE_YEAR_NO_DISCOUNT}
[[costs]]
name = "Pilot"
amount = 100

[[costs]]
name = "Roll-out"
amount = {rollout}
at_month = 4

[[costs]]
name = "Upgrade"
amount = 350
at_month = 8

[[benefits]]
name = "Flat"
kind = "custom"
amount_per_month = 100
ramps_with_adoption = false
"#
        )
    };
    // Roll-out 600: CF = −100, 100, 100, 100, −500, 100, 100, 100, −250,
    // 100, 100, 100, 100. Cum = −100, 0, 100, 200, −300, −200, −100, 0,
    // −250, −150, −50, 50, 150. The last month below zero is s = 10
    // (Cum = −50): payback (10 + 50/100)/12 = 10.5/12 years. Crossings at
    // months 1 and 7 do not count.
    let sc = scenario(&text(600));
    let (o, cum) = run(&sc, &[]);
    check_cum(
        &cum,
        &[
            -100.0, 0.0, 100.0, 200.0, -300.0, -200.0, -100.0, 0.0, -250.0, -150.0, -50.0, 50.0,
            150.0,
        ],
    );
    check_outcome(
        &o,
        Want {
            payback: Some(10.5 / 12.0),
            discounted_payback: Some(10.5 / 12.0),
            npv: 150.0,
            total_costs: 1050.0,
            total_benefits: 1200.0,
            roi: Some(150.0 / 1050.0),
        },
    );
    assert!(
        o.fell_back,
        "positive in months 2 and 3, negative in month 4"
    );

    // Roll-out 800: Cum(12) = −50 < 0, so no payback within the horizon
    // (censored), although the cash was positive in months 2 and 3.
    let sc = scenario(&text(800));
    let (o, cum) = run(&sc, &[]);
    close("Cum(12)", cum[12], -50.0);
    assert_eq!(o.payback_years, None);
    assert_eq!(o.discounted_payback_years, None);
    assert!(o.fell_back && o.discounted_fell_back);
}

/// A trial that never pays back within the horizon: payback None (censored).
#[test]
fn never_pays_back() {
    let sc = scenario(
        r#"
horizon_years = 1
[finance]
discount_rate = 0.05
target_payback_years = 1

[[costs]]
name = "Setup"
amount = 10000

[[benefits]]
name = "Flat"
kind = "custom"
amount_per_month = 100
ramps_with_adoption = false
"#,
    );
    let (o, cum) = run(&sc, &[]);
    let want: Vec<f64> = (0..=12).map(|t| -10000.0 + 100.0 * t as f64).collect();
    check_cum(&cum, &want);
    let v = 1.05f64.powf(-1.0 / 12.0);
    let npv = -10000.0 + 100.0 * v * (1.0 - v.powi(12)) / (1.0 - v);
    check_outcome(
        &o,
        Want {
            payback: None,
            discounted_payback: None,
            npv,
            total_costs: 10000.0,
            total_benefits: 1200.0,
            roi: Some(-0.88),
        },
    );
}

/// ROI is undefined (None) when total costs are zero, including a cost item
/// whose amount is 0.
#[test]
fn roi_is_none_without_costs() {
    let sc = scenario(&format!(
        r#"{ONE_YEAR_NO_DISCOUNT}
[[costs]]
name = "Free tier"
amount = 0
every = "month"

[[benefits]]
name = "Flat"
kind = "custom"
amount_per_month = 10
"#
    ));
    let (o, cum) = run(&sc, &[]);
    // Ramps with adoption by default; a(t) = 1 for t >= 1 (g = 0, r = 0).
    let want: Vec<f64> = (0..=12).map(|t| 10.0 * t as f64).collect();
    check_cum(&cum, &want);
    assert_eq!(o.total_costs, 0.0);
    check_outcome(
        &o,
        Want {
            payback: Some(0.0),
            discounted_payback: Some(0.0),
            npv: 120.0,
            total_costs: 0.0,
            total_benefits: 120.0,
            roi: None,
        },
    );
}

/// The per-item totals (for the cost and benefit breakdown) add up to the
/// trial's totals, on random trials of the bundled example, which has every
/// benefit kind, recurring costs with escalation and shocks.
#[test]
fn item_totals_add_up_to_the_totals() {
    use crm_roi::engine::{Engine, Settings};
    use crm_roi::sampling::Method;
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/midsize-b2b.toml");
    let sc = Scenario::load(&path).unwrap();
    let settings = Settings::new(500, 3, Method::MonteCarlo);
    let engine = Engine::new(&sc, settings);
    let mut ts = engine.scratch();
    let n_costs = sc.model.costs.len();
    // Re-derive the same trial's items by running the model on its draws.
    let mut model_scratch = sc.model.scratch();
    for trial in 0..500 {
        let out = engine.trial(trial, &mut ts, |_, _| {});
        sc.model
            .run(ts.inputs(), ts.occurrences(), &mut model_scratch, |_, _| {});
        let items = model_scratch.item_totals();
        let costs: f64 = items[..n_costs].iter().sum();
        let benefits: f64 = items[n_costs..].iter().sum();
        close("sum of cost items", costs, out.total_costs);
        assert!((benefits - out.total_benefits).abs() <= 1e-9 * out.total_benefits.abs().max(1.0));
    }
}
