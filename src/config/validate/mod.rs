//! From the raw file to a typed [`Scenario`]: every rule of
//! `docs/scenario-format.md` that a file can break is checked here, and
//! every broken rule is reported with file, line, field path and reason.
//! Validation goes on after a problem so that one run shows all of them.
//!
//! This file builds the top level (name, horizon, `[simulation]`,
//! `[finance]`, `[adoption]`, `[business]`) and assembles the scenario;
//! `costs`, `benefits`, `shocks` and `correlations` build a section each,
//! through the shared checks of `builder`; `diagnostics` places each
//! problem in the file and explains a file that does not deserialise.

mod benefits;
mod builder;
mod correlations;
mod costs;
mod diagnostics;
mod shocks;

pub(super) use benefits::kind_fields;
pub(super) use diagnostics::error_at;

use super::raw::{RawQuantity, RawScenario};
use super::{MAX_NAME_BYTES, MAX_TRIALS, Scenario, ScenarioErrors, SimulationSettings, warnings};
use crate::model::{Adoption, Business, Model, Shock};
use crate::sampling::Method;
use builder::{Allowed, Builder};
use std::collections::HashSet;
use std::path::Path;

pub(super) fn parse_and_validate(text: &str, file: &Path) -> Result<Scenario, ScenarioErrors> {
    parse_and_validate_as(text, file, false)
}

/// [`parse_and_validate`] for the text of a variant, its bases merged in
/// (`extends`): such a scenario may fix an input that a correlation names
/// (see `correlations`).
pub(super) fn parse_and_validate_as(
    text: &str,
    file: &Path,
    variant: bool,
) -> Result<Scenario, ScenarioErrors> {
    let raw: RawScenario = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(first) => return Err(diagnostics::structural_errors(text, file, first)),
    };
    let mut b = Builder {
        text,
        file,
        errors: Vec::new(),
        inputs: Vec::new(),
        input_lines: Vec::new(),
        failed: HashSet::new(),
    };
    let scenario = build(&mut b, raw, file, variant);
    if b.errors.is_empty() {
        Ok(scenario)
    } else {
        // In file order; problems of the file as a whole last.
        b.errors.sort_by_key(|e| e.line.unwrap_or(usize::MAX));
        Err(ScenarioErrors(b.errors))
    }
}

fn build(b: &mut Builder, raw: RawScenario, file: &Path, variant: bool) -> Scenario {
    // Top level.
    let name = match &raw.name {
        Some(n) if n.get_ref().trim().is_empty() => {
            b.error(
                Some(n.span()),
                "name",
                "must not be empty (leave it out to use the file name)",
            );
            String::new()
        }
        Some(n) => n.get_ref().clone(),
        None => file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
    };
    if name.len() > MAX_NAME_BYTES {
        let echo: String = name.chars().take(40).collect();
        b.error(
            raw.name.as_ref().map(|n| n.span()),
            "name",
            format!(
                "is {} bytes long; at most {} are allowed, because the results go to a directory named after it{} (got {echo:?}…)",
                name.len(),
                MAX_NAME_BYTES,
                if raw.name.is_none() {
                    " (the name is the file name here: set a shorter `name`)"
                } else {
                    ""
                }
            ),
        );
    }
    let years = *raw.horizon_years.get_ref();
    let horizon_years = if (1..=30).contains(&years) {
        years as u32
    } else {
        b.error(
            Some(raw.horizon_years.span()),
            "horizon_years",
            format!("must be a whole number of years in 1..=30 (got {years})"),
        );
        1
    };
    let months = 12 * horizon_years as usize;

    let simulation = simulation(b, &raw);

    // Finance.
    let finance = raw.finance.get_ref();
    let discount_rate = b.input(
        Some(&finance.discount_rate),
        "finance.discount_rate".into(),
        0.0,
        Allowed::AboveMinusOne,
    );
    let target = finance.target_payback_years.as_ref().map(|t| {
        let years = *t.get_ref();
        if !(years > 0.0 && years.is_finite()) {
            b.error(
                Some(t.span()),
                "finance.target_payback_years",
                format!("must be a number of years > 0 (got {years})"),
            );
        }
        years
    });

    // Adoption.
    let ad = raw.adoption.as_ref();
    let adoption = Adoption {
        go_live_month: b.input(
            ad.and_then(|a| a.go_live_month.as_ref()),
            "adoption.go_live_month".into(),
            0.0,
            Allowed::NonNegative,
        ),
        ramp_months: b.input(
            ad.and_then(|a| a.ramp_months.as_ref()),
            "adoption.ramp_months".into(),
            0.0,
            Allowed::NonNegative,
        ),
        max_level: b.input(
            ad.and_then(|a| a.max_level.as_ref()),
            "adoption.max_level".into(),
            1.0,
            Allowed::Unit,
        ),
    };

    // Business: each field an input where the file gives it.
    let bus = raw.business.as_ref().map(|s| s.get_ref());
    let business_field =
        |b: &mut Builder, raw: Option<&RawQuantity>, field: &str, allowed: Allowed| {
            raw.map(|r| b.input(Some(r), format!("business.{field}"), 0.0, allowed))
        };
    let business = Business {
        customers: business_field(
            b,
            bus.and_then(|x| x.customers.as_ref()),
            "customers",
            Allowed::Any,
        ),
        revenue_per_customer: business_field(
            b,
            bus.and_then(|x| x.revenue_per_customer.as_ref()),
            "revenue_per_customer",
            Allowed::Any,
        ),
        gross_margin: business_field(
            b,
            bus.and_then(|x| x.gross_margin.as_ref()),
            "gross_margin",
            Allowed::Unit,
        ),
        annual_churn: business_field(
            b,
            bus.and_then(|x| x.annual_churn.as_ref()),
            "annual_churn",
            Allowed::UnitBelowOne,
        ),
    };

    let costs = costs::costs(b, &raw.costs, months);
    let benefits = benefits::benefits(b, &raw.benefits, &business);
    let shocks = shocks::shocks(b, &raw);
    let correlations = correlations::correlations(b, &raw, &shocks, variant);
    let model_shocks = shocks
        .iter()
        .map(|s| Shock {
            name: s.name.clone(),
            has_cost: s.cost.is_some(),
        })
        .collect();
    let groups = correlations::groups(b, &correlations);

    let mut scenario = Scenario {
        file: file.to_path_buf(),
        name,
        description: raw.description.clone(),
        currency: raw.currency.clone(),
        horizon_years,
        target_payback_years: target,
        simulation,
        inputs: std::mem::take(&mut b.inputs),
        shocks,
        correlations,
        groups,
        model: Model {
            months,
            discount_rate,
            adoption,
            business,
            costs,
            benefits,
            shocks: model_shocks,
        },
        warnings: Vec::new(),
        set: Vec::new(),
    };
    // Only a valid scenario is checked for likely mistakes.
    if b.errors.is_empty() {
        scenario.warnings = warnings::warnings(&scenario, &b.input_lines);
    }
    scenario
}

fn simulation(b: &mut Builder, raw: &RawScenario) -> SimulationSettings {
    let Some(sim) = &raw.simulation else {
        return SimulationSettings::default();
    };
    let trials = sim.trials.as_ref().and_then(|t| {
        let n = *t.get_ref();
        if (1..=MAX_TRIALS as i64).contains(&n) {
            Some(n as u64)
        } else {
            b.error(
                Some(t.span()),
                "simulation.trials",
                format!("must be a whole number from 1 to {MAX_TRIALS} (got {n})"),
            );
            None
        }
    });
    let seed = sim.seed.as_ref().and_then(|s| {
        let n = *s.get_ref();
        if n >= 0 {
            Some(n as u64)
        } else {
            b.error(
                Some(s.span()),
                "simulation.seed",
                format!("must be >= 0 (got {n})"),
            );
            None
        }
    });
    let sampling = sim.sampling.as_ref().and_then(|s| {
        let m = Method::from_name(s.get_ref());
        if m.is_none() {
            b.error(
                Some(s.span()),
                "simulation.sampling",
                format!(
                    "must be \"monte-carlo\" or \"latin-hypercube\" (got \"{}\")",
                    s.get_ref()
                ),
            );
        }
        m
    });
    SimulationSettings {
        trials,
        seed,
        sampling,
    }
}
