//! The `[[costs]]` items: amount and units as per-trial inputs, and the
//! schedule, one-time (`at_month`) or recurring (`every`, `start_month`,
//! `end_month`, `escalation`), with each field checked against the
//! schedule it belongs to and the horizon.

use super::builder::{Allowed, Builder};
use crate::config::raw::RawCost;
use crate::model::{Cost, Schedule};
use std::collections::HashSet;
use toml::Spanned;

pub(super) fn costs(b: &mut Builder, raw: &[Spanned<RawCost>], months: usize) -> Vec<Cost> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (i, item) in raw.iter().enumerate() {
        let c = item.get_ref();
        let name = b.item_name("costs", i, &c.name, &mut seen);
        let p = |f: &str| format!("costs.{name}.{f}");
        let amount = b.input(Some(&c.amount), p("amount"), 0.0, Allowed::Any);
        let units = b.input(c.units.as_ref(), p("units"), 1.0, Allowed::Any);
        let (schedule, escalation) = match &c.every {
            None => {
                for (field, present) in [
                    ("start_month", c.start_month.as_ref().map(|s| s.span())),
                    ("end_month", c.end_month.as_ref().map(|s| s.span())),
                    ("escalation", c.escalation.as_ref().map(|s| s.span())),
                ] {
                    if let Some(span) = present {
                        b.error(
                            Some(span),
                            &p(field),
                            format!("`{field}` applies to recurring costs only; add `every = \"month\"` or `\"year\"`, or remove it"),
                        );
                    }
                }
                let month = c
                    .at_month
                    .as_ref()
                    .map_or(0, |m| b.month(m, &p("at_month"), months));
                (Schedule::OneTime { month }, None)
            }
            Some(every) => {
                let step = match every.get_ref().as_str() {
                    "month" => 1,
                    "year" => 12,
                    other => {
                        b.error(
                            Some(every.span()),
                            &p("every"),
                            format!("must be \"month\" or \"year\" (got \"{other}\")"),
                        );
                        1
                    }
                };
                if let Some(at) = &c.at_month {
                    b.error(
                        Some(at.span()),
                        &p("at_month"),
                        "`at_month` is for one-time costs; a recurring cost uses `start_month` and `end_month`",
                    );
                }
                let start = c
                    .start_month
                    .as_ref()
                    .map_or(1, |m| b.month(m, &p("start_month"), months));
                let end = match &c.end_month {
                    None => months,
                    Some(e) => {
                        let v = *e.get_ref();
                        if v < start as i64 {
                            b.error(
                                Some(e.span()),
                                &p("end_month"),
                                format!("must be >= start_month ({start}) (got {v})"),
                            );
                        }
                        v.max(0) as usize
                    }
                };
                let esc = b.input(
                    c.escalation.as_ref(),
                    p("escalation"),
                    0.0,
                    Allowed::AboveMinusOne,
                );
                (Schedule::Recurring { step, start, end }, Some(esc))
            }
        };
        out.push(Cost {
            name,
            amount,
            units,
            escalation,
            schedule,
        });
    }
    out
}
