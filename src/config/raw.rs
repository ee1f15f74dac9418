//! What the user wrote: serde structs that mirror the scenario file, with
//! `deny_unknown_fields` everywhere so that a misspelt key is an error, never
//! silently ignored. Quantities stay TOML values (with their position in the
//! file) until `validate` turns them into typed distributions.
//!
//! The same structs derive the JSON Schema of the format (`crm-roi schema`,
//! `docs/scenario.schema.json`, see `schema`): each field's doc comment is
//! its description there, with its unit and default, so the field tables of
//! `docs/scenario-format.md` and these comments say the same.

use super::schema::{QuantitySchema, one_of_strings};
use schemars::JsonSchema;
use serde::Deserialize;
use toml::{Spanned, Value};

/// A quantity as written: a number or a distribution table.
pub type RawQuantity = Spanned<Value>;

/// A crm-roi scenario: the assumptions of one CRM investment, each a
/// number or a distribution. See docs/scenario-format.md.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "crm-roi scenario")]
pub struct RawScenario {
    /// Name of the scenario; labels the results and names their directory.
    /// Non-empty, at most 200 bytes. Default: the file name without `.toml`.
    #[schemars(with = "Option<String>", length(min = 1))]
    pub name: Option<Spanned<String>>,
    /// What the scenario is about, in words. Default: none.
    pub description: Option<String>,
    /// Label of every money amount, such as "EUR"; nothing is converted.
    /// Default: none.
    pub currency: Option<String>,
    /// The horizon. Unit: years; a whole number from 1 to 30. Required
    /// (unless the file `extends` a base that gives it).
    #[schemars(with = "i64", range(min = 1, max = 30))]
    pub horizon_years: Spanned<i64>,
    /// How many trials, which seed and which sampling; each overridden by
    /// the command line. Default: the defaults of its fields.
    pub simulation: Option<RawSimulation>,
    /// Discount rate and payback target. Required (unless the file
    /// `extends` a base that gives it).
    #[schemars(with = "RawFinance")]
    pub finance: Spanned<RawFinance>,
    /// How fast and how far the organisation takes up the CRM. Optional;
    /// default: full adoption from month 0.
    pub adoption: Option<RawAdoption>,
    /// The company's baseline (customers, revenue, margin, churn), needed
    /// only by benefits that depend on revenue or customers. Default: none.
    #[schemars(with = "Option<RawBusiness>")]
    pub business: Option<Spanned<RawBusiness>>,
    /// Costs, one-time or recurring ([[costs]] items). Default: none.
    #[serde(default)]
    #[schemars(with = "Vec<RawCost>")]
    pub costs: Vec<Spanned<RawCost>>,
    /// Benefits, each of one kind ([[benefits]] items). Default: none.
    #[serde(default)]
    #[schemars(with = "Vec<RawBenefit>")]
    pub benefits: Vec<Spanned<RawBenefit>>,
    /// Bad events beyond anyone's control ([[shocks]] items). Default: none.
    #[serde(default)]
    #[schemars(with = "Vec<RawShock>")]
    pub shocks: Vec<Spanned<RawShock>>,
    /// Rank correlations between pairs of inputs ([[correlations]] items).
    /// Default: none (every input drawn independently).
    #[serde(default)]
    #[schemars(with = "Vec<RawCorrelation>")]
    pub correlations: Vec<Spanned<RawCorrelation>>,
}

/// `[simulation]`: options that `--trials`, `--seed` and `--sampling`
/// override one by one.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Simulation")]
pub struct RawSimulation {
    /// Number of trials; a whole number from 1 to 1,000,000,000. Default: 100000.
    #[schemars(with = "Option<i64>", range(min = 1, max = 1_000_000_000), extend("default" = 100_000))]
    pub trials: Option<Spanned<i64>>,
    /// Random seed; a whole number >= 0. The same scenario, seed, trials and
    /// version give the same results. Default: 1.
    #[schemars(with = "Option<i64>", range(min = 0), extend("default" = 1))]
    pub seed: Option<Spanned<i64>>,
    /// Sampling method: "monte-carlo" or "latin-hypercube". Default: "monte-carlo".
    #[serde(default)]
    #[schemars(schema_with = "sampling_schema")]
    pub sampling: Option<Spanned<String>>,
}

fn sampling_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    one_of_strings(&["monte-carlo", "latin-hypercube"], Some("monte-carlo"))
}

/// `[finance]`: the discount rate and the payback target.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Finance")]
pub struct RawFinance {
    /// Yearly discount rate for the NPV. Unit: fraction per year (0.08 =
    /// 8%); allowed: > -1. Quantity. Required.
    #[schemars(with = "QuantitySchema")]
    pub discount_rate: RawQuantity,
    /// "We want the investment back within N years": the results report
    /// the probability of that. Unit: years; a number > 0. Default: none.
    #[schemars(with = "Option<f64>", extend("exclusiveMinimum" = 0))]
    pub target_payback_years: Option<Spanned<f64>>,
}

/// `[adoption]`: adoption is 0 until go-live, rises in a straight line
/// over the ramp, then stays at `max_level`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Adoption")]
pub struct RawAdoption {
    /// Month of go-live. Unit: months after the purchase; allowed: >= 0,
    /// need not be whole. Quantity. Default: 0.
    #[schemars(with = "Option<QuantitySchema>", extend("default" = 0))]
    pub go_live_month: Option<RawQuantity>,
    /// Length of the ramp from go-live to full adoption. Unit: months;
    /// allowed: >= 0. Quantity. Default: 0 (full level right after go-live).
    #[schemars(with = "Option<QuantitySchema>", extend("default" = 0))]
    pub ramp_months: Option<RawQuantity>,
    /// Adoption level reached after the ramp. Unit: fraction of the full
    /// benefit; allowed: within [0, 1]. Quantity. Default: 1.
    #[schemars(with = "Option<QuantitySchema>", extend("default" = 1))]
    pub max_level: Option<RawQuantity>,
}

/// `[business]`: the company's baseline; the benefits that need a field
/// say which.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Business")]
pub struct RawBusiness {
    /// Number of customers. Unit: customers. Quantity. Default: none.
    #[schemars(with = "Option<QuantitySchema>")]
    pub customers: Option<RawQuantity>,
    /// Revenue per customer. Unit: currency per customer per year.
    /// Quantity. Default: none.
    #[schemars(with = "Option<QuantitySchema>")]
    pub revenue_per_customer: Option<RawQuantity>,
    /// Gross margin. Unit: fraction of revenue; allowed: within [0, 1].
    /// Quantity. Default: none.
    #[schemars(with = "Option<QuantitySchema>")]
    pub gross_margin: Option<RawQuantity>,
    /// Share of customers lost per year. Unit: fraction per year; allowed:
    /// within [0, 1). Quantity. Default: none.
    #[schemars(with = "Option<QuantitySchema>")]
    pub annual_churn: Option<RawQuantity>,
}

/// One `[[costs]]` item: one-time (without `every`) or recurring.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Cost")]
pub struct RawCost {
    /// Name of the cost: non-empty, no `.`, unique among costs. Required.
    #[schemars(with = "String", length(min = 1), regex(pattern = r"^[^.]*$"))]
    pub name: Spanned<String>,
    /// Amount per unit per payment. Unit: currency; any number (negative:
    /// a credit). Quantity. Required.
    #[schemars(with = "QuantitySchema")]
    pub amount: RawQuantity,
    /// Number of units; each payment is amount x units. Unit: units
    /// (seats, licences). Quantity. Default: 1.
    #[schemars(with = "Option<QuantitySchema>", extend("default" = 1))]
    pub units: Option<RawQuantity>,
    /// One-time costs only: the month of payment. Unit: month (0 = the
    /// purchase); a whole number from 0 to the horizon. Default: 0.
    #[schemars(with = "Option<i64>", range(min = 0), extend("default" = 0))]
    pub at_month: Option<Spanned<i64>>,
    /// Makes the cost recurring: paid every "month" or every "year".
    /// Default: none (one-time).
    #[serde(default)]
    #[schemars(schema_with = "every_schema")]
    pub every: Option<Spanned<String>>,
    /// Recurring costs only: the month of the first payment. Unit: month;
    /// a whole number from 0 to the horizon. Default: 1.
    #[schemars(with = "Option<i64>", range(min = 0), extend("default" = 1))]
    pub start_month: Option<Spanned<i64>>,
    /// Recurring costs only: the last month paid. Unit: month; a whole
    /// number >= start_month (beyond the horizon acts as the horizon).
    /// Default: the horizon.
    #[schemars(with = "Option<i64>", range(min = 0))]
    pub end_month: Option<Spanned<i64>>,
    /// Recurring costs only: the yearly price rise, counted from
    /// start_month. Unit: fraction per year; allowed: > -1. Quantity.
    /// Default: 0.
    #[schemars(with = "Option<QuantitySchema>", extend("default" = 0))]
    pub escalation: Option<RawQuantity>,
}

fn every_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    one_of_strings(&["month", "year"], None)
}

/// One `[[benefits]]` item: the fields of all kinds, so that a field of
/// another kind is reported by name instead of as an unknown key.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Benefit")]
pub struct RawBenefit {
    /// Name of the benefit: non-empty, no `.`, unique among benefits. Required.
    #[schemars(with = "String", length(min = 1), regex(pattern = r"^[^.]*$"))]
    pub name: Spanned<String>,
    /// The kind of benefit, which decides its fields: "efficiency" (time
    /// saved), "leads" (more leads), "cross_sell", "churn_reduction" or
    /// "custom". Required.
    #[schemars(schema_with = "kind_schema")]
    pub kind: Spanned<String>,
    /// kind = "efficiency": hours saved by the whole team. Unit: hours per
    /// month at full adoption. Quantity. Required for this kind.
    #[schemars(with = "Option<QuantitySchema>")]
    pub hours_saved_per_month: Option<RawQuantity>,
    /// kind = "efficiency": what an hour costs. Unit: currency per hour.
    /// Quantity. Required for this kind.
    #[schemars(with = "Option<QuantitySchema>")]
    pub hourly_cost: Option<RawQuantity>,
    /// kind = "leads": extra leads. Unit: leads per month at full adoption.
    /// Quantity. Required for this kind.
    #[schemars(with = "Option<QuantitySchema>")]
    pub extra_leads_per_month: Option<RawQuantity>,
    /// kind = "leads": share of the leads won. Unit: fraction; allowed:
    /// within [0, 1]. Quantity. Required for this kind.
    #[schemars(with = "Option<QuantitySchema>")]
    pub conversion_rate: Option<RawQuantity>,
    /// kind = "leads": revenue per won deal. Unit: currency. Quantity.
    /// Required for this kind.
    #[schemars(with = "Option<QuantitySchema>")]
    pub deal_value: Option<RawQuantity>,
    /// kind = "churn_reduction": share of the baseline churn avoided.
    /// Unit: fraction; allowed: within [0, 1]. Quantity. Required for this kind.
    #[schemars(with = "Option<QuantitySchema>")]
    pub relative_reduction: Option<RawQuantity>,
    /// kind = "cross_sell": extra revenue. Unit: fraction of the baseline
    /// revenue. Quantity. Required for this kind.
    #[schemars(with = "Option<QuantitySchema>")]
    pub uplift: Option<RawQuantity>,
    /// kind = "custom": the amount, as profit. Unit: currency per year
    /// (divided by 12). Quantity. Required for this kind: exactly one of
    /// amount_per_year and amount_per_month.
    #[schemars(with = "Option<QuantitySchema>")]
    pub amount_per_year: Option<RawQuantity>,
    /// kind = "custom": the amount, as profit. Unit: currency per month.
    /// Quantity. Required for this kind: exactly one of amount_per_year
    /// and amount_per_month.
    #[schemars(with = "Option<QuantitySchema>")]
    pub amount_per_month: Option<RawQuantity>,
    /// kind = "custom": true multiplies the amount by the revenue shock
    /// multiplier. Default: false.
    #[schemars(with = "Option<bool>", extend("default" = false))]
    pub revenue_linked: Option<Spanned<bool>>,
    /// kind = "custom": true multiplies the amount by adoption; false: the
    /// full amount from month 1. Default: true.
    #[schemars(with = "Option<bool>", extend("default" = true))]
    pub ramps_with_adoption: Option<Spanned<bool>>,
    /// Every kind: yearly growth of the benefit's value. Unit: fraction per
    /// year; allowed: > -1. Quantity, drawn once per trial. Default: 0.
    #[schemars(with = "Option<QuantitySchema>", extend("default" = 0))]
    pub escalation: Option<RawQuantity>,
}

fn kind_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    one_of_strings(&super::schema::BENEFIT_KINDS, None)
}

/// One `[[shocks]]` item: a bad event that cuts the revenue base
/// (`revenue_loss`) or every benefit (`benefit_loss`) for a while, and may
/// cost money.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Shock")]
pub struct RawShock {
    /// Name of the shock: non-empty, no `.`, unique among shocks. Required.
    #[schemars(with = "String", length(min = 1), regex(pattern = r"^[^.]*$"))]
    pub name: Spanned<String>,
    /// Chance that the shock happens in a year. Unit: probability per year;
    /// allowed: within [0, 1]. Quantity, drawn once per trial. Required.
    #[schemars(with = "QuantitySchema")]
    pub probability_per_year: RawQuantity,
    /// Share of the revenue base lost while active. Unit: fraction; allowed:
    /// within [0, 1]. Quantity, drawn anew for each occurrence. Required:
    /// exactly one of `revenue_loss` and `benefit_loss`.
    #[schemars(with = "Option<QuantitySchema>")]
    pub revenue_loss: Option<RawQuantity>,
    /// Share of every benefit lost while active. Unit: fraction; allowed:
    /// within [0, 1]. Quantity, drawn anew for each occurrence. Required:
    /// exactly one of `revenue_loss` and `benefit_loss`.
    #[schemars(with = "Option<QuantitySchema>")]
    pub benefit_loss: Option<RawQuantity>,
    /// How long an occurrence lasts. Unit: months (rounded to whole
    /// months, at least 1); allowed: >= 0. Quantity, drawn anew for each
    /// occurrence. Default: none (permanent).
    #[schemars(with = "Option<QuantitySchema>")]
    pub duration_months: Option<RawQuantity>,
    /// What each occurrence costs, paid in the month it happens. Unit:
    /// currency per occurrence. Quantity, drawn anew for each occurrence.
    /// Default: none (no cost).
    #[schemars(with = "Option<QuantitySchema>")]
    pub cost: Option<RawQuantity>,
}

/// One `[[correlations]]` item: a Spearman rank correlation between two
/// inputs that the file gives as distributions.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Correlation")]
pub struct RawCorrelation {
    /// The two input paths, such as ["adoption.max_level",
    /// "benefits.Cross-selling.uplift"] (docs/scenario-format.md, "Input
    /// paths"). Required.
    #[schemars(with = "[String; 2]")]
    pub between: Spanned<Vec<String>>,
    /// Spearman rank correlation; strictly between -1 and 1. Required.
    #[schemars(with = "f64", extend("exclusiveMinimum" = -1, "exclusiveMaximum" = 1))]
    pub rank: Spanned<f64>,
}
