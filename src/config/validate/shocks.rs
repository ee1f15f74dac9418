//! The `[[shocks]]` items: a yearly probability (a per-trial input), and
//! a revenue loss and duration drawn anew for each occurrence.

use super::builder::{Allowed, Builder};
use crate::config::ShockDef;
use crate::config::raw::RawScenario;
use std::collections::HashSet;

pub(super) fn shocks(b: &mut Builder, raw: &RawScenario) -> Vec<ShockDef> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (i, item) in raw.shocks.iter().enumerate() {
        let s = item.get_ref();
        let name = b.item_name("shocks", i, &s.name, &mut seen);
        let path = format!("shocks.{name}");
        let probability_per_year = b.input(
            Some(&s.probability_per_year),
            format!("{path}.probability_per_year"),
            0.0,
            Allowed::Unit,
        );
        let revenue_loss = b.parse_quantity(
            &s.revenue_loss,
            &format!("{path}.revenue_loss"),
            Allowed::Unit,
        );
        let duration_months = s
            .duration_months
            .as_ref()
            .map(|d| b.parse_quantity(d, &format!("{path}.duration_months"), Allowed::NonNegative));
        out.push(ShockDef {
            name,
            path,
            probability_per_year,
            revenue_loss,
            duration_months,
        });
    }
    out
}
