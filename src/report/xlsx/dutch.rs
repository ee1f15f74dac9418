//! The Dutch words of the workbooks ([`DUTCH`]), in the terms of the
//! Dutch report (`crate::lang::nl`): terugverdientijd, netto contante
//! waarde (NCW), kans, rendement, baten en kosten. Numbers in cells are
//! real numbers whatever the language (Excel shows them in its own
//! locale); only the headline sentence writes numbers as text, the Dutch
//! way: "2,3 jaar", "€ 210k", "80%".

use super::words::Words;
use crate::lang::Lang;

fn chance(p: f64) -> String {
    Lang::Nl.chance(p)
}

fn years(y: f64) -> String {
    Lang::Nl.years(y, 1)
}

fn money(v: f64, currency: Option<&str>) -> String {
    Lang::Nl.money(v, currency)
}

/// The Dutch words.
pub const DUTCH: Words = Words {
    lang: Lang::Nl,

    sheet_summary: "Samenvatting",
    sheet_fan: "Waaier",
    sheet_sensitivity: "Gevoeligheid",
    sheet_items: "Posten",
    sheet_inputs: "Aannames",
    sheet_scenarios: "Scenario's",
    sheet_sweep: "Beslistabel",

    never_pays_back: "De investering verdient zich in geen enkele simulatie terug binnen de horizon van {horizon} jaar.",
    pays_back_within_target: "Het CRM verdient zich in {chance} van de simulaties terug binnen de beoogde {target} jaar.",
    pays_back_within_horizon: "Het CRM verdient zich in {chance} van de simulaties terug binnen de horizon van {horizon} jaar.",
    median_payback: "Mediane terugverdientijd: {years} jaar.",
    median_payback_beyond: "Mediane terugverdientijd: na de horizon.",
    npv_positive: "De NCW is positief in {chance} van de simulaties; mediane NCW {money}.",
    chance,
    years,
    money,

    scenario: "Scenario",
    description: "Omschrijving",
    trials: "Simulaties",
    seed: "Seed",
    sampling: "Steekproefmethode",
    horizon: "Horizon",
    target: "Beoogde terugverdientijd",
    currency: "Valuta",
    computed_by: "Berekend met",
    run_date: "Datum van de berekening",
    probabilities: "Kansen",
    p_within_target: "Kans op terugverdienen binnen de beoogde termijn",
    p_within_horizon: "Kans op terugverdienen binnen de horizon",
    p_npv_positive: "Kans dat de NCW positief is",
    npv_mean_se: "Standaardfout van de gemiddelde NCW",
    percentiles: "Percentielen",
    metric: "Uitkomst",
    mean: "Gemiddelde",
    sd: "Standaarddeviatie",
    beyond_horizon: "Niet terugverdiend binnen de horizon",
    undefined: "Rendement niet gedefinieerd (geen kosten)",
    empty_cell_note: "Een lege cel is een terugverdientijd na de horizon, of een waarde die niet gedefinieerd is.",
    payback: "Terugverdientijd",
    discounted_payback: "Verdisconteerde terugverdientijd",
    npv: "NCW",
    roi: "Rendement (ROI)",
    total_costs: "Totale kosten",
    total_benefits: "Totale baten",
    single_number: "De puntschatting naast de simulatie",
    single_number_estimate: "Puntschatting (elke aanname op haar mediaan)",
    median: "Mediaan",
    eight_in_ten: "In 8 van de 10 simulaties minstens zo goed",
    years_unit: "jaar",
    months_unit: "maanden",

    month: "Maand",
    fan_title: "Cumulatieve netto kasstroom per maand",
    cumulative_cash_flow: "Cumulatieve netto kasstroom",

    input: "Aanname",
    path: "Pad",
    spearman_npv: "Rangcorrelatie met de NCW",
    spearman_payback: "Rangcorrelatie met de terugverdientijd",
    npv_mean_low: "Gemiddelde NCW, aanname in de laagste 10%",
    npv_mean_high: "Gemiddelde NCW, aanname in de hoogste 10%",
    contribution_to_variance: "Bijdrage aan de variantie van de NCW",
    tornado: "Wat de NCW bepaalt (de gegevens van de tornadografiek)",
    tornado_title: "Wat de NCW bepaalt",
    change_low: "Aanname in de laagste 10%",
    change_high: "Aanname in de hoogste 10%",
    change_in_mean_npv: "Verandering van de gemiddelde NCW",
    mean_npv: "Gemiddelde NCW",
    value_of_information: "Waarde van informatie",
    evpi: "Waarde van perfecte informatie (EVPI)",
    standard_error: "Standaardfout",
    trials_used: "Gebruikte simulaties",
    evppi: "Waarde van precieze kennis (EVPPI)",

    item: "Post",
    kind: "Soort",
    mean_total: "Gemiddeld totaal over de horizon",
    cost: "kosten",
    shock: "risicogebeurtenis",
    benefit: "baat",

    distribution: "Verdeling",
    per_occurrence: "Per keer getrokken",
    yes: "ja",
    unit: "Eenheid",
    per_year: "per jaar",
    per_month: "per maand",
    per_unit_per_payment: "per eenheid per betaling",
    per_customer_per_year: "per klant per jaar",
    per_hour: "per uur",
    per_won_deal: "per gewonnen order",
    per_occurrence_unit: "per keer",
    share: "aandeel",
    customers: "klanten",
    units: "eenheden",
    hours_per_month: "uur per maand",
    leads_per_month: "leads per maand",

    file: "Bestand",
    name: "Naam",
    payback_p10: "Terugverdientijd P10",
    payback_p50: "Terugverdientijd P50",
    payback_p90: "Terugverdientijd P90",
    npv_p10: "NCW P10",
    npv_p50: "NCW P50",
    npv_p90: "NCW P90",
    baseline: "Referentiescenario",
    p_npv_above_baseline: "Kans dat de NCW die van het referentiescenario overtreft",
    mean_npv_difference: "Gemiddeld verschil in NCW",
    mean_npv_difference_se: "Standaardfout daarvan",
    npv_difference_p10: "Verschil in NCW P10",
    npv_difference_p50: "Verschil in NCW P50",
    npv_difference_p90: "Verschil in NCW P90",
    p_payback_sooner: "Kans dat het zich eerder terugverdient",
    p_payback_same: "Kans dat het zich in dezelfde maand terugverdient",
    first_order_dominance: "Dominantie van de eerste orde",
    second_order_dominance: "Dominantie van de tweede orde",
    npv_expected_shortfall_10: "Gemiddelde NCW van de slechtste 10%",
    p_best: "Kans dat het de beste optie is",
    evpi_of_choice: "Waarde van perfecte informatie over de keuze",
    evpi_of_choice_se: "Standaardfout daarvan",
    dominates: "domineert",
    dominated: "gedomineerd",
    neither: "geen van beide",
    indistinguishable: "niet te onderscheiden",

    variant: "Variant",
    median_payback_years: "Mediane terugverdientijd",
    npv_mean: "Gemiddelde NCW",
    npv_median: "Mediane NCW",
    p_npv_not_positive: "Kans dat de NCW niet positief is",
    roi_mean: "Gemiddeld rendement",
};
