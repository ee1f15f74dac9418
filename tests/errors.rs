//! Error messages of invalid scenarios, checked at library level: each
//! case parses a scenario text with `Scenario::from_toml` and compares the
//! whole message (every problem, in file order, as `file:line:column:
//! field path: reason`) with the text a user sees. The command line prints
//! exactly this text on stderr, followed by "error: N problems found";
//! `cli.rs` and `invalid_corpus.rs` check that end to end (exit code 2,
//! nothing written). The errors of `extends` come from `Scenario::load`,
//! which reads a file and its bases.

mod common;

use common::{BASE, CHURN, SHOCK, Sandbox, base_with};
use crm_roi::Scenario;
use std::path::Path;

/// Every problem of `text`, read as `bad.toml`, as the command line prints
/// them.
fn errors(text: &str) -> String {
    match Scenario::from_toml(text, Path::new("bad.toml")) {
        Ok(_) => panic!("the scenario is valid:\n{text}"),
        Err(e) => e.to_string(),
    }
}

/// Asserts that `text` is rejected with exactly the message `want`.
#[track_caller]
fn rejects(text: &str, want: &str) {
    assert_eq!(errors(text), want, "the scenario:\n{text}");
}

fn correlation(a: &str, b: &str, rank: &str) -> String {
    format!("[[correlations]]\nbetween = [\"{a}\", \"{b}\"]\nrank = {rank}\n")
}

#[test]
fn unknown_top_level_key() {
    rejects(
        &format!("colour = \"blue\"\n{BASE}"),
        "bad.toml:1:1: colour: unknown field `colour`, expected one of `name`, `description`, `currency`, `horizon_years`, `simulation`, `finance`, `adoption`, `business`, `costs`, `benefits`, `shocks`, `correlations`, `extends`, `abstract`",
    );
}

#[test]
fn misspelt_key_in_a_cost_item() {
    rejects(
        &base_with(
            "amount = { pert = [800, 1000, 1500] }\n",
            "amount = { pert = [800, 1000, 1500] }\nat_mnth = 3\n",
        ),
        "bad.toml:8:1: costs.License.at_mnth: unknown field `at_mnth`, did you mean `at_month`?",
    );
}

/// Every misspelt key of a file is reported, in file order, not only the
/// first one serde meets.
#[test]
fn every_misspelt_key_is_reported() {
    let text = format!(
        "{}colour = 3\n",
        BASE.replace("hourly_cost = 50", "hourly_cst = 50")
            .replace("discount_rate = 0.08", "discount_rat = 0.08")
    )
    .replacen(
        "horizon_years = 5\n",
        "horizon_years = 5\ncurrency_code = \"EUR\"\n",
        1,
    );
    // The fourth, after the last item, belongs to that item.
    rejects(
        &text,
        "bad.toml:2:1: currency_code: unknown field `currency_code`, expected one of `name`, `description`, `currency`, `horizon_years`, `simulation`, `finance`, `adoption`, `business`, `costs`, `benefits`, `shocks`, `correlations`, `extends`, `abstract`\n\
         bad.toml:4:1: finance.discount_rat: unknown field `discount_rat`, did you mean `discount_rate`?\n\
         bad.toml:13:1: benefits.Time.hourly_cst: unknown field `hourly_cst`, did you mean `hourly_cost`?\n\
         bad.toml:14:1: benefits.Time.colour: unknown field `colour`, expected one of `name`, `kind`, `hours_saved_per_month`, `hourly_cost`, `extra_leads_per_month`, `conversion_rate`, `deal_value`, `relative_reduction`, `uplift`, `amount_per_year`, `amount_per_month`, `revenue_linked`, `ramps_with_adoption`, `escalation`",
    );
}

#[test]
fn misspelt_key_in_a_distribution_table() {
    rejects(
        &base_with(
            "{ pert = [10, 20, 40] }",
            "{ normal = { mean = 20, sdd = 5 } }",
        ),
        "bad.toml:11:25: benefits.Time.hours_saved_per_month: normal: unknown key `sdd`, did you mean `sd`?",
    );
    // Beside the distribution: a misspelt truncation bound.
    rejects(
        &base_with(
            "{ pert = [10, 20, 40] }",
            "{ pert = [10, 20, 40], mx = 30 }",
        ),
        "bad.toml:11:25: benefits.Time.hours_saved_per_month: unknown key `mx` in a quantity, did you mean `max`?",
    );
    // An unknown distribution family.
    rejects(
        &base_with("{ pert = [10, 20, 40] }", "{ gumbel = [1, 2] }"),
        "bad.toml:11:25: benefits.Time.hours_saved_per_month: unknown key `gumbel` in a quantity; expected one distribution (uniform, triangular, pert, normal, lognormal, beta, gamma, weibull, discrete, empirical) and optionally `min`/`max`",
    );
}

#[test]
fn percentile_forms_name_the_field() {
    rejects(
        &base_with(
            "{ pert = [10, 20, 40] }",
            "{ pert = { p10 = 80, mode = 170, p90 = 160 } }",
        ),
        "bad.toml:11:25: benefits.Time.hours_saved_per_month: pert: pert needs p10 <= mode <= p90 (got p10 = 80, mode = 170, p90 = 160)",
    );
    rejects(
        &base_with(
            "{ pert = [10, 20, 40] }",
            "{ normal = { mean = 20, p90 = 30 } }",
        ),
        "bad.toml:11:25: benefits.Time.hours_saved_per_month: normal: `mean` and `p90` belong to different forms; expected { mean = .., sd = .. } or two percentiles such as { p10 = .., p90 = .. }",
    );
}

#[test]
fn type_errors_and_missing_fields_name_the_field() {
    rejects(
        &base_with("horizon_years = 5", "horizon_years = 5.5"),
        "bad.toml:1:17: horizon_years: invalid type: floating point `5.5`, expected a whole number",
    );
    rejects(
        &base_with("hourly_cost = 50", "hourly_cost = \"fifty\""),
        "bad.toml:12:15: benefits.Time.hourly_cost: expected a number or a distribution table such as { pert = [1, 2, 4] }, found string",
    );
    rejects(
        &base_with("amount = { pert = [800, 1000, 1500] }\n", ""),
        "bad.toml:5:1: costs.License: missing field `amount`",
    );
}

#[test]
fn pert_with_min_above_mode() {
    rejects(
        &base_with("{ pert = [10, 20, 40] }", "{ pert = [30, 20, 40] }"),
        "bad.toml:11:25: benefits.Time.hours_saved_per_month: pert: pert needs min <= mode <= max with min < max (got 30, 20, 40)",
    );
}

#[test]
fn normal_with_non_positive_sd() {
    for sd in ["0", "-1"] {
        rejects(
            &base_with(
                "{ pert = [10, 20, 40] }",
                &format!("{{ normal = {{ mean = 20, sd = {sd} }} }}"),
            ),
            &format!(
                "bad.toml:11:25: benefits.Time.hours_saved_per_month: normal: sd must be > 0 (got {sd})"
            ),
        );
    }
}

#[test]
fn lognormal_with_bad_percentiles() {
    for (p5, p95) in [("40", "20"), ("20", "20"), ("-1", "20")] {
        rejects(
            &base_with(
                "{ pert = [10, 20, 40] }",
                &format!("{{ lognormal = {{ p5 = {p5}, p95 = {p95} }} }}"),
            ),
            &format!(
                "bad.toml:11:25: benefits.Time.hours_saved_per_month: lognormal: lognormal needs 0 < p5 < p95 (got p5 = {p5}, p95 = {p95})"
            ),
        );
    }
}

#[test]
fn discrete_with_bad_weights() {
    rejects(
        &base_with(
            "{ pert = [10, 20, 40] }",
            "{ discrete = { values = [10, 20], weights = [-1, 2] } }",
        ),
        "bad.toml:11:25: benefits.Time.hours_saved_per_month: discrete: discrete weights must be >= 0 (got -1)",
    );
    rejects(
        &base_with(
            "{ pert = [10, 20, 40] }",
            "{ discrete = { values = [10, 20], weights = [0, 0] } }",
        ),
        "bad.toml:11:25: benefits.Time.hours_saved_per_month: discrete: discrete weights must not all be zero",
    );
}

#[test]
fn truncation_with_zero_probability() {
    rejects(
        &base_with(
            "{ pert = [10, 20, 40] }",
            "{ uniform = [10, 20], min = 30, max = 40 }",
        ),
        "bad.toml:11:25: benefits.Time.hours_saved_per_month: truncation to [30, 40] keeps zero probability of the distribution (its support is [10, 20])",
    );
}

#[test]
fn probability_outside_unit_interval() {
    // Fixed values.
    for p in ["1.5", "-0.1"] {
        rejects(
            &format!("{BASE}{}", SHOCK.replace("= 0.1", &format!("= {p}"))),
            &format!(
                "bad.toml:15:24: shocks.Rec.probability_per_year: must be within [0, 1] (got {p})"
            ),
        );
    }
    // A distribution whose support leaves [0, 1].
    rejects(
        &format!(
            "{BASE}{}",
            SHOCK.replace("= 0.1", "= { normal = { mean = 0.1, sd = 0.05 } }")
        ),
        "bad.toml:15:24: shocks.Rec.probability_per_year: must be within [0, 1], but normal(mean 0.1, sd 0.05) can take values from -inf to inf; truncate it with `min`/`max` or choose a bounded distribution",
    );
    rejects(
        &format!(
            "{BASE}{}",
            SHOCK.replace(
                "{ uniform = [0.05, 0.2] }",
                "{ normal = { mean = 0.1, sd = 0.05 } }"
            )
        ),
        "bad.toml:16:16: shocks.Rec.revenue_loss: must be within [0, 1], but normal(mean 0.1, sd 0.05) can take values from -inf to inf; truncate it with `min`/`max` or choose a bounded distribution",
    );
    rejects(
        &format!("{BASE}[adoption]\nmax_level = {{ uniform = [0.5, 1.2] }}\n"),
        "bad.toml:14:13: adoption.max_level: must be within [0, 1], but uniform(0.5, 1.2) can take values from 0.5 to 1.2; truncate it with `min`/`max` or choose a bounded distribution",
    );
}

#[test]
fn gross_margin_as_percent_gets_a_hint() {
    rejects(
        &format!(
            "{BASE}{}",
            CHURN.replace("gross_margin = 0.35", "gross_margin = 35")
        ),
        "bad.toml:16:16: business.gross_margin: must be within [0, 1] (got 35); rates are fractions: did you mean 0.35?",
    );
}

#[test]
fn horizon_out_of_range() {
    for years in ["0", "31"] {
        rejects(
            &base_with("horizon_years = 5", &format!("horizon_years = {years}")),
            &format!(
                "bad.toml:1:17: horizon_years: must be a whole number of years in 1..=30 (got {years})"
            ),
        );
    }
}

#[test]
fn at_month_beyond_the_horizon() {
    rejects(
        &base_with(
            "amount = { pert = [800, 1000, 1500] }\n",
            "amount = { pert = [800, 1000, 1500] }\nat_month = 61\n",
        ),
        "bad.toml:8:12: costs.License.at_month: must be a month in 0..=60 (got 61)",
    );
    // The last month itself is fine (`cli.rs` runs it).
    let edge = base_with(
        "amount = { pert = [800, 1000, 1500] }\n",
        "amount = { pert = [800, 1000, 1500] }\nat_month = 60\n",
    );
    assert!(Scenario::from_toml(&edge, Path::new("edge.toml")).is_ok());
}

#[test]
fn escalation_on_a_one_time_cost() {
    rejects(
        &base_with(
            "amount = { pert = [800, 1000, 1500] }\n",
            "amount = { pert = [800, 1000, 1500] }\nescalation = 0.03\n",
        ),
        "bad.toml:8:14: costs.License.escalation: `escalation` applies to recurring costs only; add `every = \"month\"` or `\"year\"`, or remove it",
    );
}

#[test]
fn unknown_benefit_kind() {
    rejects(
        &base_with("kind = \"efficiency\"", "kind = \"efficency\""),
        "bad.toml:10:8: benefits.Time.kind: unknown kind \"efficency\", did you mean \"efficiency\"?",
    );
    // Nothing close: the list of kinds.
    rejects(
        &base_with("kind = \"efficiency\"", "kind = \"savings\""),
        "bad.toml:10:8: benefits.Time.kind: unknown kind \"savings\"; expected one of efficiency, leads, churn_reduction, cross_sell, custom",
    );
}

#[test]
fn field_of_another_benefit_kind() {
    rejects(
        &base_with("hourly_cost = 50\n", "hourly_cost = 50\nuplift = 0.1\n"),
        "bad.toml:13:10: benefits.Time.uplift: is not a field of the `efficiency` kind (its fields: hours_saved_per_month, hourly_cost)",
    );
}

#[test]
fn missing_business_field_for_churn_reduction() {
    rejects(
        &format!("{BASE}{}", CHURN.replace("gross_margin = 0.35\n", "")),
        "bad.toml:17:1: business.gross_margin: missing; benefit `Churn` (churn_reduction) needs it in [business]",
    );
    // Without [business] at all, every needed field is named.
    let no_business = CHURN.split("[[benefits]]").nth(1).unwrap();
    rejects(
        &format!("{BASE}[[benefits]]{no_business}"),
        "bad.toml:13:1: business.customers: missing; benefit `Churn` (churn_reduction) needs it in [business]\n\
         bad.toml:13:1: business.revenue_per_customer: missing; benefit `Churn` (churn_reduction) needs it in [business]\n\
         bad.toml:13:1: business.gross_margin: missing; benefit `Churn` (churn_reduction) needs it in [business]\n\
         bad.toml:13:1: business.annual_churn: missing; benefit `Churn` (churn_reduction) needs it in [business]",
    );
}

#[test]
fn duplicate_item_names() {
    rejects(
        &format!("{BASE}[[costs]]\nname = \"License\"\namount = 5\n"),
        "bad.toml:14:8: costs[2]: name `License` is used twice in [[costs]]; names must be unique in their section",
    );
    rejects(
        &format!("{BASE}[[benefits]]\nname = \"Time\"\nkind = \"custom\"\namount_per_year = 5\n"),
        "bad.toml:14:8: benefits[2]: name `Time` is used twice in [[benefits]]; names must be unique in their section",
    );
}

#[test]
fn item_name_with_a_dot() {
    rejects(
        &base_with("name = \"License\"", "name = \"License.v2\""),
        "bad.toml:6:8: costs[1]: name `License.v2` must not contain '.', which separates the parts of input paths",
    );
}

#[test]
fn correlation_with_an_unknown_input() {
    rejects(
        &format!(
            "{BASE}{}",
            correlation(
                "benefits.Time.hours_saved_per_month",
                "adoption.max_levl",
                "0.5"
            )
        ),
        "bad.toml:14:11: correlations[1].between: no input `adoption.max_levl`; inputs with a distribution: costs.License.amount, benefits.Time.hours_saved_per_month",
    );
}

#[test]
fn correlation_with_a_fixed_input() {
    rejects(
        &format!(
            "{BASE}{}",
            correlation(
                "benefits.Time.hours_saved_per_month",
                "benefits.Time.hourly_cost",
                "0.5"
            )
        ),
        "bad.toml:14:11: correlations[1].between: `benefits.Time.hourly_cost` is a fixed value; only an input with a distribution can be correlated",
    );
}

#[test]
fn correlation_with_a_shock_revenue_loss() {
    rejects(
        &format!(
            "{BASE}{SHOCK}{}",
            correlation(
                "benefits.Time.hours_saved_per_month",
                "shocks.Rec.revenue_loss",
                "0.5"
            )
        ),
        "bad.toml:18:11: correlations[1].between: `shocks.Rec.revenue_loss` is drawn anew for each shock occurrence, not once per trial, so it cannot be correlated",
    );
}

#[test]
fn inconsistent_correlation_matrix() {
    let (h, c, l) = (
        "benefits.Time.hours_saved_per_month",
        "benefits.Time.hourly_cost",
        "costs.License.amount",
    );
    let text = format!(
        "{}{}{}{}",
        base_with("hourly_cost = 50", "hourly_cost = { uniform = [40, 60] }"),
        correlation(h, c, "0.9"),
        correlation(c, l, "0.9"),
        correlation(h, l, "-0.9"),
    );
    // The message names every input of the inconsistent group.
    rejects(
        &text,
        "bad.toml: correlations: the rank correlations among benefits.Time.hourly_cost, benefits.Time.hours_saved_per_month, costs.License.amount are inconsistent: no joint distribution has them all (the correlation matrix is not positive definite); weaken some of them",
    );
}

#[test]
fn rank_outside_open_interval() {
    let base = base_with("hourly_cost = 50", "hourly_cost = { uniform = [40, 60] }");
    for rank in ["1.0", "-1.0", "-1.5"] {
        let shown = rank.trim_end_matches(".0");
        rejects(
            &format!(
                "{base}{}",
                correlation(
                    "benefits.Time.hours_saved_per_month",
                    "benefits.Time.hourly_cost",
                    rank
                )
            ),
            &format!(
                "bad.toml:15:8: correlations[1].rank: must be a rank correlation strictly between -1 and 1 (got {shown})"
            ),
        );
    }
}

#[test]
fn toml_syntax_error() {
    rejects(
        &base_with("hourly_cost = 50", "hourly_cost = = 50"),
        "bad.toml:12:15: extra `=`, expected nothing",
    );
    rejects(
        &base_with("name = \"Time\"", "name = \"Time"),
        "bad.toml:9:13: invalid basic string, expected `\"`",
    );
}

#[test]
fn three_independent_problems_are_all_reported() {
    let text = base_with("horizon_years = 5", "horizon_years = 0")
        .replace("name = \"License\"", "name = \"Lic.ense\"")
        .replace("{ pert = [10, 20, 40] }", "{ pert = [30, 20, 40] }");
    // In file order.
    rejects(
        &text,
        "bad.toml:1:17: horizon_years: must be a whole number of years in 1..=30 (got 0)\n\
         bad.toml:6:8: costs[1]: name `Lic.ense` must not contain '.', which separates the parts of input paths\n\
         bad.toml:11:25: benefits.Time.hours_saved_per_month: pert: pert needs min <= mode <= max with min < max (got 30, 20, 40)",
    );
}

#[test]
fn missing_top_level_field_is_not_blamed_on_another_key() {
    let no_finance = "horizon_years = 5\n[[costs]]\nname = \"A\"\namount = 1\n";
    // Not `horizon_years: missing ...`, nor `name: missing ...`.
    rejects(no_finance, "bad.toml: missing field `finance`");
    rejects("name = \"x\"\n", "bad.toml: missing field `horizon_years`");
}

#[test]
fn type_errors_avoid_rust_type_names() {
    // Not "expected i64", nor "expected f64".
    rejects(
        &base_with("horizon_years = 5", "horizon_years = 5.5"),
        "bad.toml:1:17: horizon_years: invalid type: floating point `5.5`, expected a whole number",
    );
    rejects(
        &base_with("target_payback_years = 3", "target_payback_years = \"3\""),
        "bad.toml:4:24: finance.target_payback_years: invalid type: string \"3\", expected a number",
    );
}

/// Numbers beyond 1e15 are rejected when the file is read (`cli.rs`
/// checks that amounts overflowing in the simulation stop the run).
#[test]
fn amounts_beyond_the_largest_magnitude_are_rejected() {
    rejects(
        &base_with(
            "amount = { pert = [800, 1000, 1500] }\n",
            "amount = 1e308\nunits = 10\n",
        ),
        "bad.toml:7:10: costs.License.amount: too large (got 1e308; at most 1e15 in magnitude)",
    );
    // An entry of a list, and a named parameter.
    rejects(
        &base_with(
            "amount = { pert = [800, 1000, 1500] }\n",
            "amount = { pert = [1, 2, 1e200] }\nunits = 10\n",
        ),
        "bad.toml:7:10: costs.License.amount: pert: an entry is too large (got 1e200; at most 1e15 in magnitude)",
    );
    rejects(
        &base_with(
            "amount = { pert = [800, 1000, 1500] }\n",
            "amount = { normal = { mean = 1e200, sd = 1 } }\nunits = 10\n",
        ),
        "bad.toml:7:10: costs.License.amount: normal: `mean` is too large (got 1e200; at most 1e15 in magnitude)",
    );
}

// ---------------------------------------------------------------------------
// `extends`: the errors of `Scenario::load`, which reads the file and its
// bases (`batch.rs` checks that a batch goes on past them)
// ---------------------------------------------------------------------------

/// The problems of loading `rel` in `sb`, with the sandbox's path shown as
/// `<dir>`.
fn load_errors(sb: &Sandbox, rel: &str) -> String {
    match Scenario::load(&sb.path().join(rel)) {
        Ok(_) => panic!("{rel} is valid"),
        Err(e) => e
            .to_string()
            .replace(&sb.path().display().to_string(), "<dir>"),
    }
}

#[test]
fn extends_cycle() {
    let sb = Sandbox::new();
    sb.write("x.toml", "extends = \"y.toml\"\n");
    sb.write("y.toml", "extends = \"x.toml\"\n");
    sb.write("self.toml", "extends = \"self.toml\"\n");
    assert_eq!(
        load_errors(&sb, "x.toml"),
        "<dir>/x.toml: extends: in its base <dir>/y.toml: extends: extends forms a cycle: \
         <dir>/x.toml -> <dir>/y.toml -> <dir>/x.toml"
    );
    assert_eq!(
        load_errors(&sb, "self.toml"),
        "<dir>/self.toml: extends: extends forms a cycle: <dir>/self.toml -> <dir>/self.toml"
    );
}

#[test]
fn extends_missing_base() {
    let sb = Sandbox::new();
    sb.write("lost.toml", "extends = \"bases/nowhere.toml\"\n");
    sb.write("mid.toml", "extends = \"gone.toml\"\nhorizon_years = 2\n");
    sb.write("top.toml", "extends = \"mid.toml\"\n");
    assert_eq!(
        load_errors(&sb, "lost.toml"),
        "<dir>/lost.toml: extends: base scenario <dir>/bases/nowhere.toml not found"
    );
    // A chain whose far end is missing names the file that points at it.
    assert_eq!(
        load_errors(&sb, "top.toml"),
        "<dir>/top.toml: extends: in its base <dir>/mid.toml: extends: base scenario \
         <dir>/gone.toml not found"
    );
}

/// A variant's problems have no line: the lines of the merged text are not
/// lines of the user's file.
#[test]
fn a_variant_with_a_bad_value_is_named_without_a_line() {
    let sb = Sandbox::new();
    sb.write("base.toml", BASE);
    sb.write("v.toml", "extends = \"base.toml\"\nhorizon_years = 0\n");
    assert_eq!(
        load_errors(&sb, "v.toml"),
        "<dir>/v.toml: horizon_years: must be a whole number of years in 1..=30 (got 0)"
    );
}

#[test]
fn an_abstract_base_is_not_a_scenario_to_run() {
    let sb = Sandbox::new();
    sb.write("base.toml", &format!("abstract = true\n{BASE}"));
    assert_eq!(
        load_errors(&sb, "base.toml"),
        "<dir>/base.toml: abstract: this is an abstract base (abstract = true), not a scenario \
         to run; run a scenario that extends it"
    );
}

// ---------------------------------------------------------------------------
// Benefit escalation, benefit_loss and shock costs (added 2026-12-01).
// ---------------------------------------------------------------------------

const SHOCK_HEAD: &str = "[[shocks]]\nname = \"Rec\"\nprobability_per_year = 0.1\n";

#[test]
fn a_shock_with_both_losses() {
    rejects(
        &format!("{BASE}{SHOCK_HEAD}revenue_loss = 0.1\nbenefit_loss = 0.2\n"),
        "bad.toml:17:16: shocks.Rec.benefit_loss: give either `revenue_loss` (the revenue base) or `benefit_loss` (every benefit), not both",
    );
}

#[test]
fn a_shock_without_a_loss() {
    // A shock that only costs money still says what it hits: a loss of 0.
    rejects(
        &format!("{BASE}{SHOCK_HEAD}cost = 500\n"),
        "bad.toml:13:1: shocks.Rec: a shock needs `revenue_loss` (a share of the revenue base) or `benefit_loss` (a share of every benefit)",
    );
}

#[test]
fn benefit_loss_and_shock_cost_are_checked_like_other_quantities() {
    rejects(
        &format!("{BASE}{SHOCK_HEAD}benefit_loss = 1.5\ncost = {{ uniform = [5, 1] }}\n"),
        "bad.toml:16:16: shocks.Rec.benefit_loss: must be within [0, 1] (got 1.5)\n\
         bad.toml:17:8: shocks.Rec.cost: uniform: uniform needs min < max (got 5, 1); for a fixed value write the number",
    );
}

#[test]
fn benefit_escalation_must_exceed_minus_one() {
    rejects(
        &format!("{BASE}escalation = -1.5\n"),
        "bad.toml:13:14: benefits.Time.escalation: must be > -1 (got -1.5)",
    );
}

#[test]
fn a_shock_cost_cannot_be_correlated() {
    rejects(
        &format!(
            "{BASE}{SHOCK_HEAD}benefit_loss = 0.5\ncost = {{ uniform = [100, 500] }}\n{}",
            correlation(
                "benefits.Time.hours_saved_per_month",
                "shocks.Rec.cost",
                "0.5"
            )
        ),
        "bad.toml:19:11: correlations[1].between: `shocks.Rec.cost` is drawn anew for each shock occurrence, not once per trial, so it cannot be correlated",
    );
}

#[test]
fn benefit_escalation_gets_the_rate_warning() {
    let sc = Scenario::from_toml(&format!("{BASE}escalation = 8\n"), Path::new("bad.toml"))
        .expect("a warning, not an error");
    let warnings: Vec<String> = sc.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        warnings,
        [
            "bad.toml:13:14: benefits.Time.escalation: is 800% a year; rates are fractions: did you mean 0.08?"
        ]
    );
}
