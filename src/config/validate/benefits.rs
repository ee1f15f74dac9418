//! The `[[benefits]]` items: each kind's own fields (and no field of
//! another kind), the `custom` kind's amount per year or per month and its
//! linkage flags, and the `[business]` fields a kind needs.

use super::builder::{Allowed, Builder};
use crate::config::raw::{RawBenefit, RawQuantity};
use crate::config::suggest;
use crate::model::{Benefit, BenefitKind, Business, Input};
use std::collections::HashSet;
use toml::Spanned;

/// The quantity fields of each benefit kind, with their allowed values.
const KINDS: [(&str, &[(&str, Allowed)]); 5] = [
    (
        "efficiency",
        &[
            ("hours_saved_per_month", Allowed::Any),
            ("hourly_cost", Allowed::Any),
        ],
    ),
    (
        "leads",
        &[
            ("extra_leads_per_month", Allowed::Any),
            ("conversion_rate", Allowed::Unit),
            ("deal_value", Allowed::Any),
        ],
    ),
    ("churn_reduction", &[("relative_reduction", Allowed::Unit)]),
    ("cross_sell", &[("uplift", Allowed::Any)]),
    (
        "custom",
        &[
            ("amount_per_year", Allowed::Any),
            ("amount_per_month", Allowed::Any),
        ],
    ),
];

/// Each kind with its own quantity fields, for the JSON Schema (which
/// forbids the fields of other kinds as validation does).
pub(in crate::config) fn kind_fields() -> impl Iterator<Item = (&'static str, Vec<&'static str>)> {
    KINDS
        .iter()
        .map(|(kind, fields)| (*kind, fields.iter().map(|f| f.0).collect()))
}

fn benefit_fields(r: &RawBenefit) -> [(&'static str, Option<&RawQuantity>); 9] {
    [
        ("hours_saved_per_month", r.hours_saved_per_month.as_ref()),
        ("hourly_cost", r.hourly_cost.as_ref()),
        ("extra_leads_per_month", r.extra_leads_per_month.as_ref()),
        ("conversion_rate", r.conversion_rate.as_ref()),
        ("deal_value", r.deal_value.as_ref()),
        ("relative_reduction", r.relative_reduction.as_ref()),
        ("uplift", r.uplift.as_ref()),
        ("amount_per_year", r.amount_per_year.as_ref()),
        ("amount_per_month", r.amount_per_month.as_ref()),
    ]
}

pub(super) fn benefits(
    b: &mut Builder,
    raw: &[Spanned<RawBenefit>],
    business: &Business,
) -> Vec<Benefit> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (i, item) in raw.iter().enumerate() {
        let r = item.get_ref();
        let name = b.item_name("benefits", i, &r.name, &mut seen);
        let prefix = format!("benefits.{name}");
        let kind_name = r.kind.get_ref().as_str();
        let Some((_, fields)) = KINDS.iter().find(|(k, _)| *k == kind_name) else {
            let kinds: Vec<&str> = KINDS.iter().map(|k| k.0).collect();
            b.error(
                Some(r.kind.span()),
                &format!("{prefix}.kind"),
                match suggest::closest(kind_name, kinds.iter().copied()) {
                    Some(k) => format!("unknown kind \"{kind_name}\", did you mean \"{k}\"?"),
                    None => format!(
                        "unknown kind \"{kind_name}\"; expected one of {}",
                        kinds.join(", ")
                    ),
                },
            );
            continue;
        };
        // Fields of other kinds.
        let own: Vec<&str> = fields.iter().map(|f| f.0).collect();
        for (field, value) in benefit_fields(r) {
            if let Some(v) = value
                && !own.contains(&field)
            {
                b.error(
                    Some(v.span()),
                    &format!("{prefix}.{field}"),
                    format!(
                        "is not a field of the `{kind_name}` kind (its fields: {})",
                        own.join(", ")
                    ),
                );
            }
        }
        if kind_name != "custom" {
            for (field, flag) in [
                ("revenue_linked", r.revenue_linked.as_ref()),
                ("ramps_with_adoption", r.ramps_with_adoption.as_ref()),
            ] {
                if let Some(f) = flag {
                    b.error(
                        Some(f.span()),
                        &format!("{prefix}.{field}"),
                        format!("applies to `custom` benefits only; a `{kind_name}` benefit's linkage is fixed by the model"),
                    );
                }
            }
        }
        let all = benefit_fields(r);
        let get = |f: &str| all.iter().find(|(n, _)| *n == f).and_then(|(_, v)| *v);
        let req = |b: &mut Builder, f: &str| -> Input {
            let allowed = fields
                .iter()
                .find(|(n, _)| *n == f)
                .map_or(Allowed::Any, |x| x.1);
            let path = format!("{prefix}.{f}");
            if get(f).is_none() {
                b.error(
                    Some(item.span()),
                    &path,
                    format!("missing; a `{kind_name}` benefit needs `{f}`"),
                );
            }
            b.input(get(f), path, 0.0, allowed)
        };
        let kind = match kind_name {
            "efficiency" => BenefitKind::Efficiency {
                hours_saved_per_month: req(b, "hours_saved_per_month"),
                hourly_cost: req(b, "hourly_cost"),
            },
            "leads" => BenefitKind::Leads {
                extra_leads_per_month: req(b, "extra_leads_per_month"),
                conversion_rate: req(b, "conversion_rate"),
                deal_value: req(b, "deal_value"),
            },
            "churn_reduction" => BenefitKind::ChurnReduction {
                relative_reduction: req(b, "relative_reduction"),
            },
            "cross_sell" => BenefitKind::CrossSell {
                uplift: req(b, "uplift"),
            },
            _ => {
                let (per_year, field) = match (get("amount_per_year"), get("amount_per_month")) {
                    (Some(_), Some(m)) => {
                        b.error(
                            Some(m.span()),
                            &format!("{prefix}.amount_per_month"),
                            "give either `amount_per_year` or `amount_per_month`, not both",
                        );
                        (true, "amount_per_year")
                    }
                    (None, Some(_)) => (false, "amount_per_month"),
                    (Some(_), None) => (true, "amount_per_year"),
                    (None, None) => {
                        b.error(
                            Some(item.span()),
                            &prefix,
                            "a `custom` benefit needs `amount_per_year` or `amount_per_month`",
                        );
                        (true, "amount_per_year")
                    }
                };
                BenefitKind::Custom {
                    amount: b.input(get(field), format!("{prefix}.{field}"), 0.0, Allowed::Any),
                    per_year,
                    revenue_linked: r.revenue_linked.as_ref().is_some_and(|f| *f.get_ref()),
                    ramps_with_adoption: r
                        .ramps_with_adoption
                        .as_ref()
                        .is_none_or(|f| *f.get_ref()),
                }
            }
        };
        // The business fields this kind needs.
        let needs: &[(&str, Option<Input>)] = match kind_name {
            "leads" => &[("gross_margin", business.gross_margin)],
            "cross_sell" => &[
                ("customers", business.customers),
                ("revenue_per_customer", business.revenue_per_customer),
                ("gross_margin", business.gross_margin),
            ],
            "churn_reduction" => &[
                ("customers", business.customers),
                ("revenue_per_customer", business.revenue_per_customer),
                ("gross_margin", business.gross_margin),
                ("annual_churn", business.annual_churn),
            ],
            _ => &[],
        };
        for (field, have) in needs {
            if have.is_none() {
                b.error(
                    Some(item.span()),
                    &format!("business.{field}"),
                    format!("missing; benefit `{name}` ({kind_name}) needs it in [business]"),
                );
            }
        }
        // After the kind's fields, so that it follows them in the input
        // order; an input only when written.
        let escalation = r.escalation.as_ref().map(|e| {
            b.input(
                Some(e),
                format!("{prefix}.escalation"),
                0.0,
                Allowed::AboveMinusOne,
            )
        });
        out.push(Benefit {
            name,
            kind,
            escalation,
        });
    }
    out
}
