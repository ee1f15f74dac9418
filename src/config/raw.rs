//! What the user wrote: serde structs that mirror the scenario file, with
//! `deny_unknown_fields` everywhere so that a misspelt key is an error, never
//! silently ignored. Quantities stay TOML values (with their position in the
//! file) until `validate` turns them into typed distributions.

use serde::Deserialize;
use toml::{Spanned, Value};

/// A quantity as written: a number or a distribution table.
pub type RawQuantity = Spanned<Value>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub name: Option<Spanned<String>>,
    pub description: Option<String>,
    pub currency: Option<String>,
    pub horizon_years: Spanned<i64>,
    pub simulation: Option<RawSimulation>,
    pub finance: Spanned<RawFinance>,
    pub adoption: Option<RawAdoption>,
    pub business: Option<Spanned<RawBusiness>>,
    #[serde(default)]
    pub costs: Vec<Spanned<RawCost>>,
    #[serde(default)]
    pub benefits: Vec<Spanned<RawBenefit>>,
    #[serde(default)]
    pub shocks: Vec<Spanned<RawShock>>,
    #[serde(default)]
    pub correlations: Vec<Spanned<RawCorrelation>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSimulation {
    pub trials: Option<Spanned<i64>>,
    pub seed: Option<Spanned<i64>>,
    pub sampling: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFinance {
    pub discount_rate: RawQuantity,
    pub target_payback_years: Option<Spanned<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAdoption {
    pub go_live_month: Option<RawQuantity>,
    pub ramp_months: Option<RawQuantity>,
    pub max_level: Option<RawQuantity>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBusiness {
    pub customers: Option<RawQuantity>,
    pub revenue_per_customer: Option<RawQuantity>,
    pub gross_margin: Option<RawQuantity>,
    pub annual_churn: Option<RawQuantity>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCost {
    pub name: Spanned<String>,
    pub amount: RawQuantity,
    pub units: Option<RawQuantity>,
    pub at_month: Option<Spanned<i64>>,
    pub every: Option<Spanned<String>>,
    pub start_month: Option<Spanned<i64>>,
    pub end_month: Option<Spanned<i64>>,
    pub escalation: Option<RawQuantity>,
}

/// One benefit: the fields of all kinds, so that a field of another kind is
/// reported by name instead of as an unknown key.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBenefit {
    pub name: Spanned<String>,
    pub kind: Spanned<String>,
    pub hours_saved_per_month: Option<RawQuantity>,
    pub hourly_cost: Option<RawQuantity>,
    pub extra_leads_per_month: Option<RawQuantity>,
    pub conversion_rate: Option<RawQuantity>,
    pub deal_value: Option<RawQuantity>,
    pub relative_reduction: Option<RawQuantity>,
    pub uplift: Option<RawQuantity>,
    pub amount_per_year: Option<RawQuantity>,
    pub amount_per_month: Option<RawQuantity>,
    pub revenue_linked: Option<Spanned<bool>>,
    pub ramps_with_adoption: Option<Spanned<bool>>,
    pub escalation: Option<RawQuantity>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawShock {
    pub name: Spanned<String>,
    pub probability_per_year: RawQuantity,
    /// Exactly one of `revenue_loss` and `benefit_loss`.
    pub revenue_loss: Option<RawQuantity>,
    pub benefit_loss: Option<RawQuantity>,
    pub duration_months: Option<RawQuantity>,
    pub cost: Option<RawQuantity>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCorrelation {
    pub between: Spanned<Vec<String>>,
    pub rank: Spanned<f64>,
}
