//! The unit of each input, in words, as the field tables of
//! `docs/scenario-format.md` give it: what `validate --inputs` prints
//! beside each input's percentiles, so that a value off by a factor of
//! 1000 (or a rate written as 8 instead of 0.08) shows at a glance.

/// The unit of the input at `path` (`section.field` or
/// `section.ITEM.field`, or a shock's per-occurrence `shocks.NAME.field`),
/// money in `currency` (or the word "currency" when the scenario names
/// none). `None` for a path that is no input of the format.
pub fn unit(path: &str, currency: Option<&str>) -> Option<String> {
    let cur = currency
        .filter(|c| !c.trim().is_empty())
        .unwrap_or("currency");
    let section = path.split('.').next()?;
    let field = path.rsplit('.').next()?;
    let text = match (section, field) {
        ("finance", "discount_rate") => "fraction per year",
        ("adoption", "go_live_month") => "month",
        ("adoption", "ramp_months") => "months",
        ("adoption", "max_level") => "fraction of the full benefit",
        ("business", "customers") => "customers",
        ("business", "revenue_per_customer") => {
            return Some(format!("{cur} per customer per year"));
        }
        ("business", "gross_margin") => "fraction of revenue",
        ("business", "annual_churn") => "fraction of customers per year",
        ("costs", "amount") => return Some(format!("{cur} per unit per payment")),
        ("costs", "units") => "units",
        ("costs" | "benefits", "escalation") => "fraction per year",
        ("benefits", "hours_saved_per_month") => "hours per month",
        ("benefits", "hourly_cost") => return Some(format!("{cur} per hour")),
        ("benefits", "extra_leads_per_month") => "leads per month",
        ("benefits", "conversion_rate") => "fraction of leads won",
        ("benefits", "deal_value") => return Some(format!("{cur} per deal")),
        ("benefits", "relative_reduction") => "fraction of churn avoided",
        ("benefits", "uplift") => "fraction of baseline revenue",
        ("benefits", "amount_per_year") => return Some(format!("{cur} per year")),
        ("benefits", "amount_per_month") => return Some(format!("{cur} per month")),
        ("shocks", "probability_per_year") => "probability per year",
        ("shocks", "revenue_loss") => "fraction of the revenue base",
        ("shocks", "benefit_loss") => "fraction of every benefit",
        ("shocks", "duration_months") => "months",
        ("shocks", "cost") => return Some(format!("{cur} per occurrence")),
        _ => return None,
    };
    Some(text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Scenario;
    use std::path::Path;

    #[test]
    fn money_takes_the_currency() {
        assert_eq!(
            unit("benefits.Time saved.hourly_cost", Some("EUR")).as_deref(),
            Some("EUR per hour")
        );
        assert_eq!(
            unit("costs.Licence.amount", None).as_deref(),
            Some("currency per unit per payment")
        );
        assert_eq!(
            unit("finance.discount_rate", Some("EUR")).as_deref(),
            Some("fraction per year")
        );
        assert_eq!(unit("finance.colour", None), None);
    }

    /// Every input of every bundled scenario, and every shock's
    /// per-occurrence quantity, has a unit.
    #[test]
    fn every_input_of_the_bundled_scenarios_has_a_unit() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let mut files = Vec::new();
        for d in [dir.clone(), dir.join("variants")] {
            for e in std::fs::read_dir(d).unwrap() {
                let p = e.unwrap().path();
                if p.extension().is_some_and(|x| x == "toml") {
                    files.push(p);
                }
            }
        }
        let mut checked = 0;
        for f in files {
            let Some(s) = Scenario::load_unless_abstract(&f).unwrap() else {
                continue;
            };
            let paths = s
                .inputs
                .iter()
                .map(|i| i.path.clone())
                .chain(s.shocks.iter().flat_map(|sh| {
                    sh.per_occurrence()
                        .map(|(field, _)| format!("{}.{field}", sh.path))
                        .collect::<Vec<_>>()
                }));
            for p in paths {
                assert!(unit(&p, None).is_some(), "{}: {p}", f.display());
                checked += 1;
            }
        }
        assert!(checked > 100, "{checked}");
    }
}
