//! Every word the workbooks show: sheet names, headers, labels, the unit
//! words of the number formats and the headline sentence, in one
//! [`Words`] per language ([`ENGLISH`] here, `DUTCH` in `dutch.rs`;
//! [`Words::of`] picks one). Numbers never pass through here as text,
//! except in the headline sentence, which writes them as its
//! [`Words::lang`] does.

use crate::lang::Lang;
use crate::results::compare::Dominance;

/// The words of the workbooks in one language.
///
/// Sheet names have at most 31 characters and none of `[]:*?/\` (Excel's
/// rule; a test checks [`ENGLISH`]).
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Words {
    /// The language of the rest of the workbook's text: the numbers of the
    /// headline sentence, input labels (`crate::report::pretty_input_in`),
    /// distributions as written, the currency label.
    pub lang: Lang,

    // --- Sheet names ---
    pub sheet_summary: &'static str,
    pub sheet_fan: &'static str,
    pub sheet_sensitivity: &'static str,
    pub sheet_items: &'static str,
    pub sheet_inputs: &'static str,
    /// The sheet of `batch_summary.xlsx`.
    pub sheet_scenarios: &'static str,
    /// The sheet of `sweep.xlsx`.
    pub sheet_sweep: &'static str,

    // --- The headline sentence ---
    /// `{horizon}`: whole years.
    pub never_pays_back: &'static str,
    /// `{chance}`, `{target}` (years).
    pub pays_back_within_target: &'static str,
    /// `{chance}`, `{horizon}` (years).
    pub pays_back_within_horizon: &'static str,
    /// `{years}`.
    pub median_payback: &'static str,
    pub median_payback_beyond: &'static str,
    /// `{chance}`, `{money}`.
    pub npv_positive: &'static str,

    // --- Summary ---
    pub scenario: &'static str,
    pub description: &'static str,
    pub trials: &'static str,
    pub seed: &'static str,
    pub sampling: &'static str,
    pub horizon: &'static str,
    pub target: &'static str,
    pub currency: &'static str,
    pub computed_by: &'static str,
    /// The run date (`--date`).
    pub run_date: &'static str,
    pub probabilities: &'static str,
    pub p_within_target: &'static str,
    pub p_within_horizon: &'static str,
    pub p_npv_positive: &'static str,
    pub npv_mean_se: &'static str,
    pub percentiles: &'static str,
    pub metric: &'static str,
    pub mean: &'static str,
    pub sd: &'static str,
    pub beyond_horizon: &'static str,
    pub undefined: &'static str,
    pub empty_cell_note: &'static str,
    pub payback: &'static str,
    pub discounted_payback: &'static str,
    pub npv: &'static str,
    pub roi: &'static str,
    pub total_costs: &'static str,
    pub total_benefits: &'static str,
    pub single_number: &'static str,
    pub single_number_estimate: &'static str,
    pub median: &'static str,
    pub eight_in_ten: &'static str,
    /// The unit of years in number formats: `0.00 "years"`.
    pub years_unit: &'static str,
    /// The unit of months in number formats and headers.
    pub months_unit: &'static str,

    // --- Fan ---
    pub month: &'static str,
    pub fan_title: &'static str,
    pub cumulative_cash_flow: &'static str,

    // --- Sensitivity ---
    pub input: &'static str,
    pub path: &'static str,
    pub spearman_npv: &'static str,
    pub spearman_payback: &'static str,
    pub npv_mean_low: &'static str,
    pub npv_mean_high: &'static str,
    pub contribution_to_variance: &'static str,
    pub tornado: &'static str,
    pub tornado_title: &'static str,
    pub change_low: &'static str,
    pub change_high: &'static str,
    pub change_in_mean_npv: &'static str,
    pub mean_npv: &'static str,
    pub value_of_information: &'static str,
    pub evpi: &'static str,
    pub standard_error: &'static str,
    pub trials_used: &'static str,
    pub evppi: &'static str,

    // --- Items ---
    pub item: &'static str,
    pub kind: &'static str,
    pub mean_total: &'static str,
    pub cost: &'static str,
    pub shock: &'static str,
    pub benefit: &'static str,

    // --- Inputs ---
    pub distribution: &'static str,
    pub per_occurrence: &'static str,
    pub yes: &'static str,
    pub unit: &'static str,
    pub per_year: &'static str,
    pub per_month: &'static str,
    pub per_unit_per_payment: &'static str,
    pub per_customer_per_year: &'static str,
    pub per_hour: &'static str,
    pub per_won_deal: &'static str,
    pub per_occurrence_unit: &'static str,
    pub share: &'static str,
    pub customers: &'static str,
    pub units: &'static str,
    pub hours_per_month: &'static str,
    pub leads_per_month: &'static str,

    // --- Batch ---
    pub file: &'static str,
    pub name: &'static str,
    pub payback_p10: &'static str,
    pub payback_p50: &'static str,
    pub payback_p90: &'static str,
    pub npv_p10: &'static str,
    pub npv_p50: &'static str,
    pub npv_p90: &'static str,
    pub baseline: &'static str,
    pub p_npv_above_baseline: &'static str,
    pub mean_npv_difference: &'static str,
    pub mean_npv_difference_se: &'static str,
    pub npv_difference_p10: &'static str,
    pub npv_difference_p50: &'static str,
    pub npv_difference_p90: &'static str,
    pub p_payback_sooner: &'static str,
    pub p_payback_same: &'static str,
    pub first_order_dominance: &'static str,
    pub second_order_dominance: &'static str,
    pub npv_expected_shortfall_10: &'static str,
    pub p_best: &'static str,
    pub evpi_of_choice: &'static str,
    pub evpi_of_choice_se: &'static str,
    pub dominates: &'static str,
    pub dominated: &'static str,
    pub neither: &'static str,
    pub indistinguishable: &'static str,

    // --- Sweep ---
    pub variant: &'static str,
    pub median_payback_years: &'static str,
    pub npv_mean: &'static str,
    pub npv_median: &'static str,
    pub p_npv_not_positive: &'static str,
    pub roi_mean: &'static str,
}

impl Words {
    /// The words of `lang`.
    pub fn of(lang: Lang) -> &'static Words {
        match lang {
            Lang::En => &ENGLISH,
            Lang::Nl => &super::dutch::DUTCH,
        }
    }

    /// A dominance verdict in words.
    pub fn dominance(&self, d: Dominance) -> &'static str {
        match d {
            Dominance::Dominates => self.dominates,
            Dominance::Dominated => self.dominated,
            Dominance::Neither => self.neither,
            Dominance::Indistinguishable => self.indistinguishable,
        }
    }

    /// Every sheet name.
    pub fn sheet_names(&self) -> [&'static str; 7] {
        [
            self.sheet_summary,
            self.sheet_fan,
            self.sheet_sensitivity,
            self.sheet_items,
            self.sheet_inputs,
            self.sheet_scenarios,
            self.sheet_sweep,
        ]
    }
}

/// The English words.
pub const ENGLISH: Words = Words {
    lang: Lang::En,

    sheet_summary: "Summary",
    sheet_fan: "Fan",
    sheet_sensitivity: "Sensitivity",
    sheet_items: "Items",
    sheet_inputs: "Inputs",
    sheet_scenarios: "Scenarios",
    sheet_sweep: "Sweep",

    never_pays_back: "The investment does not pay back within the {horizon}-year horizon in any simulated future.",
    pays_back_within_target: "The CRM pays for itself within the {target}-year target in {chance} of simulated futures.",
    pays_back_within_horizon: "The CRM pays for itself within the {horizon}-year horizon in {chance} of simulated futures.",
    median_payback: "Median payback: {years} years.",
    median_payback_beyond: "Median payback: beyond the horizon.",
    npv_positive: "NPV is positive in {chance} of futures; median NPV {money}.",

    scenario: "Scenario",
    description: "Description",
    trials: "Trials",
    seed: "Seed",
    sampling: "Sampling",
    horizon: "Horizon",
    target: "Payback target",
    currency: "Currency",
    computed_by: "Computed by",
    run_date: "Run date",
    probabilities: "Probabilities",
    p_within_target: "Chance of payback within the target",
    p_within_horizon: "Chance of payback within the horizon",
    p_npv_positive: "Chance that NPV is positive",
    npv_mean_se: "Standard error of mean NPV",
    percentiles: "Percentiles",
    metric: "Metric",
    mean: "Mean",
    sd: "Standard deviation",
    beyond_horizon: "No payback within the horizon",
    undefined: "ROI undefined (no costs)",
    empty_cell_note: "An empty cell is a payback beyond the horizon, or a value that is undefined.",
    payback: "Payback",
    discounted_payback: "Discounted payback",
    npv: "NPV",
    roi: "ROI",
    total_costs: "Total costs",
    total_benefits: "Total benefits",
    single_number: "The single number against the simulation",
    single_number_estimate: "Single-number estimate (every input at its median)",
    median: "Median",
    eight_in_ten: "8 in 10 futures at least this good",
    years_unit: "years",
    months_unit: "months",

    month: "Month",
    fan_title: "Cumulative net cash flow by month",
    cumulative_cash_flow: "Cumulative net cash flow",

    input: "Input",
    path: "Path",
    spearman_npv: "Rank correlation with NPV",
    spearman_payback: "Rank correlation with payback",
    npv_mean_low: "Mean NPV, input in its lowest 10%",
    npv_mean_high: "Mean NPV, input in its highest 10%",
    contribution_to_variance: "Contribution to the variance of NPV",
    tornado: "What drives NPV (the tornado chart's data)",
    tornado_title: "What drives NPV",
    change_low: "Input in its lowest 10%",
    change_high: "Input in its highest 10%",
    change_in_mean_npv: "Change in mean NPV",
    mean_npv: "Mean NPV",
    value_of_information: "Value of information",
    evpi: "Value of perfect information (EVPI)",
    standard_error: "Standard error",
    trials_used: "Trials used",
    evppi: "Value of knowing it exactly (EVPPI)",

    item: "Item",
    kind: "Kind",
    mean_total: "Mean total over the horizon",
    cost: "cost",
    shock: "shock",
    benefit: "benefit",

    distribution: "Distribution",
    per_occurrence: "Drawn per occurrence",
    yes: "yes",
    unit: "Unit",
    per_year: "per year",
    per_month: "per month",
    per_unit_per_payment: "per unit per payment",
    per_customer_per_year: "per customer per year",
    per_hour: "per hour",
    per_won_deal: "per won deal",
    per_occurrence_unit: "per occurrence",
    share: "share",
    customers: "customers",
    units: "units",
    hours_per_month: "hours per month",
    leads_per_month: "leads per month",

    file: "File",
    name: "Name",
    payback_p10: "Payback P10",
    payback_p50: "Payback P50",
    payback_p90: "Payback P90",
    npv_p10: "NPV P10",
    npv_p50: "NPV P50",
    npv_p90: "NPV P90",
    baseline: "Baseline",
    p_npv_above_baseline: "Chance NPV beats the baseline's",
    mean_npv_difference: "Mean NPV difference",
    mean_npv_difference_se: "Its standard error",
    npv_difference_p10: "NPV difference P10",
    npv_difference_p50: "NPV difference P50",
    npv_difference_p90: "NPV difference P90",
    p_payback_sooner: "Chance it pays back sooner",
    p_payback_same: "Chance it pays back in the same month",
    first_order_dominance: "First-order dominance",
    second_order_dominance: "Second-order dominance",
    npv_expected_shortfall_10: "Average NPV of the worst 10%",
    p_best: "Chance it is the best option",
    evpi_of_choice: "Value of perfect information about the choice",
    evpi_of_choice_se: "Its standard error",
    dominates: "dominates",
    dominated: "dominated",
    neither: "neither",
    indistinguishable: "indistinguishable",

    variant: "Variant",
    median_payback_years: "Median payback",
    npv_mean: "Mean NPV",
    npv_median: "Median NPV",
    p_npv_not_positive: "Chance NPV is not positive",
    roi_mean: "Mean ROI",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_in_excel() {
        for lang in Lang::ALL {
            check_sheet_names(Words::of(lang));
        }
    }

    fn check_sheet_names(words: &Words) {
        let names = words.sheet_names();
        for n in names {
            assert!(!n.is_empty() && n.chars().count() <= 31, "{n}");
            assert!(!n.contains(['[', ']', ':', '*', '?', '/', '\\']), "{n}");
            assert!(!n.starts_with('\'') && !n.ends_with('\''), "{n}");
        }
        for (i, a) in names.iter().enumerate() {
            for b in &names[i + 1..] {
                assert!(!a.eq_ignore_ascii_case(b), "{a} twice");
            }
        }
    }

    use crate::lang::fill;

    #[test]
    fn templates_are_filled() {
        assert_eq!(
            fill(ENGLISH.median_payback, &[("years", &"2.3")]),
            "Median payback: 2.3 years."
        );
        let nl = Words::of(Lang::Nl);
        assert_eq!(
            fill(nl.median_payback, &[("years", &nl.lang.years(2.347, 1))]),
            "Mediane terugverdientijd: 2,3 jaar."
        );
    }

    /// Every language's templates hold the same placeholders as the
    /// English ones, and every words differ from the English somewhere
    /// (a language is not a copy).
    #[test]
    fn languages_agree_on_placeholders() {
        let e = &ENGLISH;
        for lang in Lang::ALL {
            let w = Words::of(lang);
            assert_eq!(w.lang, lang);
            for (a, b) in [
                (e.never_pays_back, w.never_pays_back),
                (e.pays_back_within_target, w.pays_back_within_target),
                (e.pays_back_within_horizon, w.pays_back_within_horizon),
                (e.median_payback, w.median_payback),
                (e.npv_positive, w.npv_positive),
            ] {
                assert_eq!(
                    crate::lang::placeholders(a),
                    crate::lang::placeholders(b),
                    "{lang:?}: {b}"
                );
            }
        }
        assert_ne!(Words::of(Lang::Nl).sheet_summary, ENGLISH.sheet_summary);
    }
}
