//! The `[[shocks]]` items: a yearly probability (a per-trial input), and
//! drawn anew for each occurrence a loss (exactly one of `revenue_loss`
//! and `benefit_loss`), a duration and a cost (both optional).

use super::builder::{Allowed, Builder};
use crate::config::ShockDef;
use crate::config::raw::RawScenario;
use crate::model::Hits;
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
        let (field, loss, hits) = match (&s.revenue_loss, &s.benefit_loss) {
            (Some(r), None) => ("revenue_loss", r, Hits::Revenue),
            (None, Some(l)) => ("benefit_loss", l, Hits::Benefits),
            (Some(r), Some(l)) => {
                b.error(
                    Some(l.span()),
                    &format!("{path}.benefit_loss"),
                    "give either `revenue_loss` (the revenue base) or `benefit_loss` (every benefit), not both",
                );
                ("revenue_loss", r, Hits::Revenue)
            }
            (None, None) => {
                b.error(
                    Some(item.span()),
                    &path,
                    "a shock needs `revenue_loss` (a share of the revenue base) or `benefit_loss` (a share of every benefit)",
                );
                continue;
            }
        };
        let loss = b.parse_quantity(loss, &format!("{path}.{field}"), Allowed::Unit);
        let duration_months = s
            .duration_months
            .as_ref()
            .map(|d| b.parse_quantity(d, &format!("{path}.duration_months"), Allowed::NonNegative));
        let cost = s
            .cost
            .as_ref()
            .map(|c| b.parse_quantity(c, &format!("{path}.cost"), Allowed::Any));
        out.push(ShockDef {
            name,
            path,
            probability_per_year,
            loss,
            hits,
            duration_months,
            cost,
        });
    }
    out
}
