//! The unit of each input, for the report's table of assumptions: rates
//! as percentages, money with the currency, durations in months, hours as
//! hours, and counts as plain numbers. The unit follows from the field's
//! name, which fixes it (docs/scenario-format.md): `discount_rate` is a
//! fraction per year, `amount` a sum of money, `ramp_months` months.

use super::Page;
use crate::format::minus;
use crate::lang::fill;

/// How an input's values read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Unit {
    /// A fraction shown as a percentage: 0.08 → "8%".
    Rate,
    /// An amount in the scenario's currency.
    Money,
    /// A number of months.
    Months,
    /// A number of hours.
    Hours,
    /// A count (seats, customers, leads): the number alone.
    Count,
}

impl Unit {
    /// The unit of the input at `path` (`section.field` or
    /// `section.ITEM.field`), by its field; a shock's loss and
    /// probability are rates, its cost money and its duration months.
    pub(super) fn of(path: &str) -> Unit {
        let field = path.rsplit('.').next().unwrap_or(path);
        match field {
            "discount_rate"
            | "max_level"
            | "gross_margin"
            | "annual_churn"
            | "conversion_rate"
            | "relative_reduction"
            | "uplift"
            | "escalation"
            | "probability_per_year"
            | "revenue_loss"
            | "benefit_loss" => Unit::Rate,
            "amount"
            | "hourly_cost"
            | "deal_value"
            | "revenue_per_customer"
            | "amount_per_year"
            | "amount_per_month"
            | "cost" => Unit::Money,
            "go_live_month" | "ramp_months" | "duration_months" => Unit::Months,
            "hours_saved_per_month" => Unit::Hours,
            _ => Unit::Count,
        }
    }

    /// `v` in this unit, for the page: "8%", "EUR 90k", "6 months".
    pub(super) fn show(self, v: f64, p: &Page) -> String {
        let (l, t) = (p.l, p.t);
        match self {
            // Three significant digits of the percentage: 0.0283 → "2.83%".
            Unit::Rate => format!("{}%", l.input_value(100.0 * v)),
            Unit::Money => {
                if v.abs() < 1e4 {
                    p.with_currency(l.input_value(v))
                } else {
                    p.money(v)
                }
            }
            Unit::Months => fill(t.unit_months, &[("n", &l.input_value(v))]),
            Unit::Hours => fill(t.unit_hours, &[("n", &l.input_value(v))]),
            Unit::Count => minus(&l.input_value(v)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Unit;

    #[test]
    fn units_follow_the_field() {
        assert_eq!(Unit::of("finance.discount_rate"), Unit::Rate);
        assert_eq!(Unit::of("adoption.max_level"), Unit::Rate);
        assert_eq!(Unit::of("costs.Subscription.escalation"), Unit::Rate);
        assert_eq!(Unit::of("shocks.Recession.revenue_loss"), Unit::Rate);
        assert_eq!(Unit::of("costs.Licence.amount"), Unit::Money);
        assert_eq!(Unit::of("benefits.Time saved.hourly_cost"), Unit::Money);
        assert_eq!(Unit::of("adoption.ramp_months"), Unit::Months);
        assert_eq!(
            Unit::of("benefits.Time saved.hours_saved_per_month"),
            Unit::Hours
        );
        assert_eq!(Unit::of("costs.Subscription.units"), Unit::Count);
        assert_eq!(Unit::of("business.customers"), Unit::Count);
        // An item named like a field does not confuse it: the last part counts.
        assert_eq!(Unit::of("costs.amount.units"), Unit::Count);
    }
}
