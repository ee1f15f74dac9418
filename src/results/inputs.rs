//! The scenario's side of the results: the assumptions table, the
//! single-number "spreadsheet" answer, and the mean of each cost and
//! benefit item.

use super::{Assumption, Item, PointCase, positive_zero};
use crate::config::Scenario;
use crate::dist::Quantity;
use crate::engine::RunData;

/// Every declared input, then each shock's per-occurrence quantities, with
/// the P10/P50/P90 of the input's own distribution (from its inverse CDF).
pub(super) fn assumptions(sc: &Scenario) -> Vec<Assumption> {
    let row = |input: String, q: &Quantity, per_occurrence: bool| Assumption {
        input,
        distribution: q.describe(),
        per_occurrence,
        p10: positive_zero(q.value(0.1)),
        p50: positive_zero(q.value(0.5)),
        p90: positive_zero(q.value(0.9)),
    };
    let mut rows: Vec<Assumption> = sc
        .inputs
        .iter()
        .filter(|i| i.declared)
        .map(|i| row(i.path.clone(), &i.quantity, false))
        .collect();
    for s in &sc.shocks {
        for (field, q) in s.per_occurrence() {
            rows.push(row(format!("{}.{field}", s.path), q, true));
        }
    }
    rows
}

/// One trial with every input at its median and no shock: what a
/// single-number spreadsheet would say.
pub(super) fn spreadsheet(sc: &Scenario) -> PointCase {
    let o = sc
        .model
        .run(&sc.median_inputs(), &[], &mut sc.model.scratch(), |_, _| {});
    PointCase {
        payback_years: o.payback_years,
        discounted_payback_years: o.discounted_payback_years,
        npv: positive_zero(o.npv),
        roi: o.roi,
    }
}

pub(super) fn items(sc: &Scenario, data: &RunData) -> Vec<Item> {
    let kinds = sc
        .model
        .costs
        .iter()
        .map(|c| (c.name.clone(), "cost"))
        .chain(
            sc.model
                .shocks
                .iter()
                .filter(|s| s.has_cost)
                .map(|s| (s.name.clone(), "shock")),
        )
        .chain(
            sc.model
                .benefits
                .iter()
                .map(|b| (b.name.clone(), "benefit")),
        );
    kinds
        .zip(&data.item_means)
        .map(|((name, kind), &mean)| Item {
            name,
            kind,
            mean_total: positive_zero(mean),
        })
        .collect()
}
