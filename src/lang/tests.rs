//! The catalogues agree with one another, and numbers read as each
//! language writes them.

use super::*;

/// Dutch strings that are the same as the English ones on purpose: names
/// and symbols that Dutch finance uses as they are.
const SAME_IN_DUTCH: &[&str] = &[
    "scenario",
    "tails_input_next",
    "tails_shock_next",
    "sum_tails_side",
    "sum_tails_input_next",
];

#[test]
fn every_language_has_the_same_placeholders() {
    let en = Lang::En.t().entries();
    for lang in Lang::ALL {
        let entries = lang.t().entries();
        assert_eq!(entries.len(), en.len());
        for ((key, english), (key2, text)) in en.iter().zip(&entries) {
            assert_eq!(key, key2);
            assert_eq!(
                placeholders(english),
                placeholders(text),
                "{}: {key} uses other placeholders than in English",
                lang.code()
            );
            assert!(!text.trim().is_empty(), "{}: {key} is empty", lang.code());
        }
    }
}

#[test]
fn dutch_is_translated() {
    let en = Lang::En.t().entries();
    let nl = Lang::Nl.t().entries();
    let same: Vec<&str> = en
        .iter()
        .zip(&nl)
        .filter(|((_, a), (_, b))| a == b)
        .map(|((k, _), _)| *k)
        .collect();
    assert_eq!(
        same, SAME_IN_DUTCH,
        "Dutch strings equal to the English ones, and not listed as such on purpose"
    );
    // Every field and section of the scenario format has a Dutch label.
    for field in [
        "adoption",
        "business",
        "finance",
        "discount_rate",
        "go_live_month",
        "ramp_months",
        "max_level",
        "customers",
        "revenue_per_customer",
        "gross_margin",
        "annual_churn",
        "amount",
        "units",
        "escalation",
        "hours_saved_per_month",
        "hourly_cost",
        "extra_leads_per_month",
        "conversion_rate",
        "deal_value",
        "relative_reduction",
        "uplift",
        "amount_per_year",
        "amount_per_month",
        "probability_per_year",
        "revenue_loss",
        "benefit_loss",
        "duration_months",
        "cost",
    ] {
        assert!(Lang::Nl.field_label(field).is_some(), "{field}");
    }
}

#[test]
fn fill_replaces_named_placeholders() {
    assert_eq!(fill("{a} and {b}", &[("a", &1), ("b", &"x")]), "1 and x");
    assert_eq!(fill("{a}{a}", &[("a", &2)]), "22");
    // Unknown names and braces that are no placeholder stay as they are.
    assert_eq!(fill("{c} {} { x}", &[("a", &1)]), "{c} {} { x}");
    assert_eq!(placeholders("{b} {a} {b} {}"), ["a", "b"]);
}

#[test]
fn dutch_numbers() {
    let (en, nl) = (Lang::En, Lang::Nl);
    assert_eq!(nl.thousands(1234.5), "1.234");
    assert_eq!(nl.thousands(-1_234_567.0), "-1.234.567");
    assert_eq!(en.thousands(-1_234_567.0), "-1,234,567");
    assert_eq!(nl.years(2.345, 1), "2,3");
    assert_eq!(nl.n_years(&nl.years(2.345, 1)), "2,3 jaar");
    assert_eq!(en.n_years("1"), "1 year");
    assert_eq!(en.n_years("1.0"), "1.0 years");
    assert_eq!(en.n_years("3"), "3 years");
    assert_eq!(nl.money(210_000.0, Some("EUR")), "€ 210k");
    assert_eq!(en.money(210_000.0, Some("EUR")), "EUR 210k");
    assert_eq!(nl.money(1_234_567.0, Some("EUR")), "€ 1,2 mln");
    assert_eq!(nl.money(3e9, Some("USD")), "USD 3 mld");
    assert_eq!(nl.money(2.5e12, Some("IDR")), "IDR 2,5 bln");
    assert_eq!(nl.money(-2500.0, None), "-2,5k");
    assert_eq!(nl.percent(0.0123), "1,2%");
    assert_eq!(nl.percent1(0.8023), "80,2%");
    assert_eq!(nl.chance(0.004), "minder dan 1%");
    assert_eq!(nl.chance1(0.0004), "minder dan 0,1%");
    assert_eq!(nl.chance1(0.997), "meer dan 99%");
    assert_eq!(en.chance1(0.997), "more than 99%");
    assert_eq!(nl.input_value(1234.5), "1.234");
    assert_eq!(nl.input_value(4.6431), "4,64");
    assert_eq!(nl.input_value(2.5e6), "2,5 mln");
    assert_eq!(nl.signed(-0.1, 2), "-0,10");
    assert_eq!(nl.ordinal(10), "10e");
    assert_eq!(en.ordinal(22), "22nd");
    // English is `format` unchanged.
    for x in [0.0, -1e300, 1234.5678, 0.012, 1e15] {
        assert_eq!(en.compact(x), crate::format::compact(x));
        assert_eq!(en.thousands(x), crate::format::thousands(x));
        assert_eq!(en.percent(x), crate::format::percent(x));
        assert_eq!(en.input_value(x), crate::format::input_value(x));
    }
    assert_eq!(
        nl.distribution("PERT(0.6, 0.85, 0.95)"),
        "PERT(0,6; 0,85; 0,95)"
    );
    assert_eq!(nl.distribution("fixed 0.08"), "vast 0,08");
    assert_eq!(
        nl.distribution("normal(mean 6000, sd 600) truncated to [-inf, 1e-7]"),
        "normaal(gem. 6000; sd 600) afgekapt tot [-inf; 1e-7]"
    );
    assert_eq!(
        nl.distribution("empirical(h/a.csv:x, 12 values, scaled by 0.5)"),
        "empirisch(h/a.csv:x; 12 waarden; geschaald met 0,5)"
    );
    assert_eq!(en.distribution("fixed 0.08"), "fixed 0.08");
    assert_eq!(Lang::from_code("NL"), Some(Lang::Nl));
    assert_eq!(Lang::from_code("de"), None);
}
