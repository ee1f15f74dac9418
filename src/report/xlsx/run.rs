//! The sheets of `results.xlsx`: Summary (the headline, the run, the
//! probabilities, the percentiles of every metric, the single number
//! against the simulation), Fan (the monthly percentiles, with a native
//! line chart), Sensitivity (rank correlations, effect in money,
//! contribution to variance, the tornado's data with a native bar chart,
//! and the value of information), Items and Inputs.

use super::{Formats, Words, exact_count, headers, number, text, workbook};
use crate::lang::fill;
use crate::report::pretty_input_in;
use crate::results::{MetricSummary, Results, Summary};
use crate::stats::PERCENTILES;
use anyhow::Result;
use rust_xlsxwriter::{
    Chart, ChartAxisCrossing, ChartAxisLabelPosition, ChartEmptyCells, ChartFormat, ChartLine,
    ChartSolidFill, Format, Worksheet, XlsxError,
};

/// The bytes of `results.xlsx`.
pub fn results_workbook(r: &Results, words: &Words) -> Result<Vec<u8>> {
    let s = &r.summary;
    let f = Formats::new(s.currency.as_deref(), words);
    let mut wb = workbook(&s.scenario)?;
    wb.push_worksheet(summary_sheet(s, words, &f)?);
    wb.push_worksheet(fan_sheet(r, words, &f)?);
    wb.push_worksheet(sensitivity_sheet(s, words, &f)?);
    wb.push_worksheet(items_sheet(s, words, &f)?);
    wb.push_worksheet(inputs_sheet(s, words, &f)?);
    Ok(wb.save_to_buffer()?)
}

/// The headline sentence: the chance of paying back (within the target,
/// else within the horizon), the median payback, and NPV.
pub(super) fn headline(s: &Summary, w: &Words) -> String {
    let l = w.lang;
    let horizon = l.trim(s.horizon_months as f64 / 12.0);
    if s.probabilities.payback_within_horizon == 0.0 {
        return fill(w.never_pays_back, &[("horizon", &horizon)]);
    }
    let mut out = match s.target() {
        Some((t, p)) => fill(
            w.pays_back_within_target,
            &[("target", &l.trim(t)), ("chance", &l.chance(p))],
        ),
        None => fill(
            w.pays_back_within_horizon,
            &[
                ("horizon", &horizon),
                ("chance", &l.chance(s.probabilities.payback_within_horizon)),
            ],
        ),
    };
    out.push(' ');
    out.push_str(&match s.metrics.payback_years.percentiles.p50 {
        Some(y) => fill(w.median_payback, &[("years", &l.years(y, 1))]),
        None => w.median_payback_beyond.to_string(),
    });
    if let Some(m) = s.metrics.npv.percentiles.p50 {
        out.push(' ');
        out.push_str(&fill(
            w.npv_positive,
            &[
                ("chance", &l.chance(s.probabilities.npv_positive)),
                ("money", &l.money(m, s.currency.as_deref())),
            ],
        ));
    }
    out
}

/// Each metric's name, summary and number format, in schema order.
fn metric_rows<'a>(
    s: &'a Summary,
    w: &Words,
    f: &'a Formats,
) -> [(&'static str, &'a MetricSummary, &'a Format); 6] {
    let m = &s.metrics;
    [
        (w.payback, &m.payback_years, &f.years),
        (w.discounted_payback, &m.discounted_payback_years, &f.years),
        (w.npv, &m.npv, &f.money),
        (w.roi, &m.roi, &f.percent),
        (w.total_costs, &m.total_costs, &f.money),
        (w.total_benefits, &m.total_benefits, &f.money),
    ]
}

fn summary_sheet(s: &Summary, w: &Words, f: &Formats) -> Result<Worksheet> {
    let mut ws = super::sheet();
    ws.set_name(w.sheet_summary)?;
    ws.set_column_width(0, 44)?;
    for c in 1..=11 {
        ws.set_column_width(c, 14)?;
    }
    ws.write_string_with_format(0, 0, super::visible(&s.scenario), &f.title)?;
    if let Some(d) = s.description.as_deref() {
        text(&mut ws, 1, 0, d)?;
    }
    ws.write_string_with_format(2, 0, super::visible(&headline(s, w)), &f.bold)?;

    let mut row = 4;
    // A label in column A on the next row; its value goes in column B.
    fn pair(ws: &mut Worksheet, row: &mut u32, label: &str) -> Result<u32, XlsxError> {
        ws.write_string(*row, 0, label)?;
        *row += 1;
        Ok(*row - 1)
    }
    let r = pair(&mut ws, &mut row, w.trials)?;
    ws.write_number_with_format(r, 1, s.trials as f64, &f.count)?;
    let r = pair(&mut ws, &mut row, w.seed)?;
    exact_count(&mut ws, r, 1, s.seed, &f.plain)?;
    let r = pair(&mut ws, &mut row, w.sampling)?;
    ws.write_string(r, 1, s.sampling)?;
    let r = pair(&mut ws, &mut row, w.horizon)?;
    ws.write_number_with_format(r, 1, s.horizon_months as f64, &f.months)?;
    let r = pair(&mut ws, &mut row, w.target)?;
    number(&mut ws, r, 1, s.target_payback_years, &f.years)?;
    let r = pair(&mut ws, &mut row, w.currency)?;
    text(&mut ws, r, 1, s.currency.as_deref().unwrap_or(""))?;
    let r = pair(&mut ws, &mut row, w.computed_by)?;
    ws.write_string(r, 1, format!("crm-roi {}", s.version))?;
    // A real date, which Excel shows in its own language; empty without
    // `--date`.
    let r = pair(&mut ws, &mut row, w.run_date)?;
    match s.date {
        Some(d) => ws.write_datetime_with_format(r, 1, d, &f.date)?,
        None => ws.write_blank(r, 1, &f.date)?,
    };

    row += 1;
    ws.write_string_with_format(row, 0, w.probabilities, &f.bold)?;
    row += 1;
    let p = &s.probabilities;
    let r = pair(&mut ws, &mut row, w.p_within_target)?;
    number(&mut ws, r, 1, p.payback_within_target, &f.percent)?;
    let r = pair(&mut ws, &mut row, w.p_within_horizon)?;
    number(&mut ws, r, 1, Some(p.payback_within_horizon), &f.percent)?;
    let r = pair(&mut ws, &mut row, w.p_npv_positive)?;
    number(&mut ws, r, 1, Some(p.npv_positive), &f.percent)?;
    let r = pair(&mut ws, &mut row, w.npv_mean_se)?;
    number(&mut ws, r, 1, s.precision.npv_mean_se, &f.money)?;

    row += 1;
    ws.write_string_with_format(row, 0, w.percentiles, &f.bold)?;
    row += 1;
    let names: Vec<String> = PERCENTILES.iter().map(|p| p.0.to_uppercase()).collect();
    let mut head: Vec<&str> = vec![w.metric];
    head.extend(names.iter().map(String::as_str));
    head.extend([w.mean, w.sd, w.beyond_horizon, w.undefined]);
    headers(&mut ws, row, 0, &head, f)?;
    row += 1;
    for (name, m, fmt) in metric_rows(s, w, f) {
        ws.write_string(row, 0, name)?;
        for (i, v) in m.percentiles.values().into_iter().enumerate() {
            number(&mut ws, row, 1 + i as u16, v, fmt)?;
        }
        number(&mut ws, row, 8, m.mean, fmt)?;
        number(&mut ws, row, 9, m.sd, fmt)?;
        number(&mut ws, row, 10, m.censored_fraction, &f.percent)?;
        number(&mut ws, row, 11, m.undefined_fraction, &f.percent)?;
        row += 1;
    }
    ws.write_string_with_format(row, 0, w.empty_cell_note, &f.note)?;

    row += 2;
    ws.write_string_with_format(row, 0, w.single_number, &f.bold)?;
    row += 1;
    headers(
        &mut ws,
        row,
        0,
        &[w.metric, w.single_number_estimate, w.median, w.eight_in_ten],
        f,
    )?;
    row += 1;
    let (sp, m, e) = (&s.spreadsheet, &s.metrics, &s.eight_in_ten);
    let rows = [
        (
            w.payback,
            sp.payback_years,
            m.payback_years.percentiles.p50,
            e.payback_years,
            &f.years,
        ),
        (
            w.discounted_payback,
            sp.discounted_payback_years,
            m.discounted_payback_years.percentiles.p50,
            None,
            &f.years,
        ),
        (w.npv, Some(sp.npv), m.npv.percentiles.p50, e.npv, &f.money),
        (w.roi, sp.roi, m.roi.percentiles.p50, e.roi, &f.percent),
    ];
    for (name, single, median, eight, fmt) in rows {
        ws.write_string(row, 0, name)?;
        number(&mut ws, row, 1, single, fmt)?;
        number(&mut ws, row, 2, median, fmt)?;
        number(&mut ws, row, 3, eight, fmt)?;
        row += 1;
    }
    Ok(ws)
}

/// The fan's lines, lightest (P5, P95) to darkest (P50), as the fan
/// chart's bands.
const FAN_COLOURS: [u32; 7] = [
    0xBDD7EE, 0x9DC3E6, 0x5B9BD5, 0x1F4E79, 0x5B9BD5, 0x9DC3E6, 0xBDD7EE,
];

fn fan_sheet(r: &Results, w: &Words, f: &Formats) -> Result<Worksheet> {
    let mut ws = super::sheet();
    ws.set_name(w.sheet_fan)?;
    let names: Vec<String> = PERCENTILES.iter().map(|p| p.0.to_uppercase()).collect();
    let mut head: Vec<&str> = vec![w.month];
    head.extend(names.iter().map(String::as_str));
    head.push(w.mean);
    headers(&mut ws, 0, 0, &head, f)?;
    ws.set_column_width(0, 8)?;
    for c in 1..=8 {
        ws.set_column_width(c, 13)?;
    }
    ws.set_freeze_panes(1, 1)?;
    for (i, row) in r.fan.iter().enumerate() {
        let at = 1 + i as u32;
        ws.write_number(at, 0, row.month as f64)?;
        for (j, v) in row.percentiles.values().into_iter().enumerate() {
            number(&mut ws, at, 1 + j as u16, v, &f.money)?;
        }
        number(&mut ws, at, 8, Some(row.mean), &f.money)?;
    }
    if r.fan.is_empty() {
        return Ok(ws);
    }
    let last = r.fan.len() as u32;
    let sheet = w.sheet_fan;
    let mut chart = Chart::new_line();
    for (j, colour) in FAN_COLOURS.iter().enumerate() {
        let col = 1 + j as u16;
        let width = if j == 3 { 2.5 } else { 1.25 };
        chart
            .add_series()
            .set_name((sheet, 0, col))
            .set_categories((sheet, 1, 0, last, 0))
            .set_values((sheet, 1, col, last, col))
            .set_format(
                ChartFormat::new().set_line(ChartLine::new().set_color(*colour).set_width(width)),
            );
    }
    chart.title().set_name(w.fan_title);
    chart
        .x_axis()
        .set_name(w.month)
        .set_label_position(ChartAxisLabelPosition::Low)
        .set_label_interval(12)
        .set_tick_interval(12);
    chart
        .y_axis()
        .set_name(w.cumulative_cash_flow)
        .set_num_format(&f.money_code);
    chart.show_empty_cells_as(ChartEmptyCells::Gaps);
    chart.set_width(760).set_height(420);
    ws.insert_chart(1, 10, &chart)?;
    Ok(ws)
}

fn sensitivity_sheet(s: &Summary, w: &Words, f: &Formats) -> Result<Worksheet> {
    let mut ws = super::sheet();
    ws.set_name(w.sheet_sensitivity)?;
    ws.set_column_width(0, 40)?;
    ws.set_column_width(1, 40)?;
    for c in 2..=6 {
        ws.set_column_width(c, 16)?;
    }
    headers(
        &mut ws,
        0,
        0,
        &[
            w.input,
            w.path,
            w.spearman_npv,
            w.spearman_payback,
            w.npv_mean_low,
            w.npv_mean_high,
            w.contribution_to_variance,
        ],
        f,
    )?;
    let mut row = 1;
    for x in &s.sensitivity {
        text(&mut ws, row, 0, &pretty_input_in(&x.input, w.lang))?;
        text(&mut ws, row, 1, &x.input)?;
        number(&mut ws, row, 2, x.spearman_npv, &f.correlation)?;
        number(&mut ws, row, 3, x.spearman_payback, &f.correlation)?;
        number(&mut ws, row, 4, x.npv_mean_low, &f.money)?;
        number(&mut ws, row, 5, x.npv_mean_high, &f.money)?;
        number(&mut ws, row, 6, x.contribution_to_variance, &f.percent)?;
        row += 1;
    }

    // The tornado: the top drivers, each bar the change in mean NPV from
    // the overall mean when the input is in its lowest or highest 10%.
    let drivers = s.top_drivers();
    let mean = s.metrics.npv.mean;
    row += 1;
    ws.write_string_with_format(row, 0, w.tornado, &f.bold)?;
    row += 1;
    ws.write_string(row, 0, w.mean_npv)?;
    number(&mut ws, row, 1, mean, &f.money)?;
    row += 1;
    headers(&mut ws, row, 0, &[w.input, w.change_low, w.change_high], f)?;
    let first = row + 1;
    for d in &drivers {
        row += 1;
        text(&mut ws, row, 0, &pretty_input_in(&d.input, w.lang))?;
        let change = |v: Option<f64>| v.zip(mean).map(|(v, m)| v - m);
        number(&mut ws, row, 1, change(d.npv_mean_low), &f.money)?;
        number(&mut ws, row, 2, change(d.npv_mean_high), &f.money)?;
    }
    if !drivers.is_empty() {
        tornado_chart(&mut ws, w, f, first - 1, first, row)?;
    }

    row += 2;
    let v = &s.value_of_information;
    ws.write_string_with_format(row, 0, w.value_of_information, &f.bold)?;
    row += 1;
    ws.write_string(row, 0, w.evpi)?;
    number(&mut ws, row, 1, v.evpi, &f.money)?;
    row += 1;
    ws.write_string(row, 0, w.standard_error)?;
    number(&mut ws, row, 1, v.evpi_se, &f.money)?;
    row += 1;
    ws.write_string(row, 0, w.trials_used)?;
    ws.write_number_with_format(row, 1, v.trials as f64, &f.count)?;
    row += 1;
    headers(
        &mut ws,
        row,
        0,
        &[
            w.input,
            w.path,
            w.evppi,
            w.standard_error,
            w.contribution_to_variance,
        ],
        f,
    )?;
    for x in &v.inputs {
        row += 1;
        text(&mut ws, row, 0, &pretty_input_in(&x.path, w.lang))?;
        text(&mut ws, row, 1, &x.path)?;
        number(&mut ws, row, 2, Some(x.evppi), &f.money)?;
        number(&mut ws, row, 3, Some(x.se), &f.money)?;
        number(&mut ws, row, 4, x.contribution_to_variance, &f.percent)?;
    }
    Ok(ws)
}

/// The tornado as a native bar chart over rows `first..=last` (names in
/// `header`): two series overlapping, the top driver on top.
fn tornado_chart(
    ws: &mut Worksheet,
    w: &Words,
    f: &Formats,
    header: u32,
    first: u32,
    last: u32,
) -> Result<(), XlsxError> {
    let sheet = w.sheet_sensitivity;
    let mut chart = Chart::new_bar();
    for (col, colour) in [(1u16, 0xC0504D_u32), (2, 0x4F81BD)] {
        chart
            .add_series()
            .set_name((sheet, header, col))
            .set_categories((sheet, first, 0, last, 0))
            .set_values((sheet, first, col, last, col))
            .set_format(ChartFormat::new().set_solid_fill(ChartSolidFill::new().set_color(colour)))
            .set_overlap(100)
            .set_gap(40);
    }
    chart.title().set_name(w.tornado_title);
    // In a bar chart the x axis is the value axis.
    chart
        .x_axis()
        .set_name(w.change_in_mean_npv)
        .set_num_format(&f.money_code);
    chart
        .y_axis()
        .set_reverse()
        .set_crossing(ChartAxisCrossing::Max)
        .set_label_position(ChartAxisLabelPosition::Low);
    chart
        .set_width(760)
        .set_height(60 + 36 * (last - first + 1).max(4));
    ws.insert_chart(1, 8, &chart)?;
    Ok(())
}

fn items_sheet(s: &Summary, w: &Words, f: &Formats) -> Result<Worksheet> {
    let mut ws = super::sheet();
    ws.set_name(w.sheet_items)?;
    ws.set_column_width(0, 36)?;
    ws.set_column_width(1, 10)?;
    ws.set_column_width(2, 18)?;
    headers(&mut ws, 0, 0, &[w.item, w.kind, w.mean_total], f)?;
    for (i, item) in s.items.iter().enumerate() {
        let row = 1 + i as u32;
        text(&mut ws, row, 0, &item.name)?;
        let kind = match item.kind {
            "cost" => w.cost,
            "shock" => w.shock,
            _ => w.benefit,
        };
        ws.write_string(row, 1, kind)?;
        number(&mut ws, row, 2, Some(item.mean_total), &f.money)?;
    }
    Ok(ws)
}

/// How an input's values read: money, a share (as a percentage) or a
/// plain number, with the words of its unit (docs/scenario-format.md).
enum Unit {
    Money(&'static str),
    Share(&'static str),
    Plain(&'static str),
}

fn unit(path: &str, w: &Words) -> Unit {
    let field = path.rsplit('.').next().unwrap_or(path);
    match field {
        "revenue_per_customer" => Unit::Money(w.per_customer_per_year),
        "amount" => Unit::Money(w.per_unit_per_payment),
        "hourly_cost" => Unit::Money(w.per_hour),
        "deal_value" => Unit::Money(w.per_won_deal),
        "amount_per_year" => Unit::Money(w.per_year),
        "amount_per_month" => Unit::Money(w.per_month),
        "cost" => Unit::Money(w.per_occurrence_unit),
        "discount_rate" | "annual_churn" | "escalation" | "probability_per_year" => {
            Unit::Share(w.per_year)
        }
        "max_level" | "gross_margin" | "conversion_rate" | "uplift" | "relative_reduction"
        | "revenue_loss" | "benefit_loss" => Unit::Share(w.share),
        "go_live_month" | "ramp_months" | "duration_months" => Unit::Plain(w.months_unit),
        "customers" => Unit::Plain(w.customers),
        "units" => Unit::Plain(w.units),
        "hours_saved_per_month" => Unit::Plain(w.hours_per_month),
        "extra_leads_per_month" => Unit::Plain(w.leads_per_month),
        _ => Unit::Plain(""),
    }
}

fn inputs_sheet(s: &Summary, w: &Words, f: &Formats) -> Result<Worksheet> {
    let mut ws = super::sheet();
    ws.set_name(w.sheet_inputs)?;
    for (c, width) in [40.0, 40.0, 36.0, 12.0, 24.0, 14.0, 14.0, 14.0]
        .into_iter()
        .enumerate()
    {
        ws.set_column_width(c as u16, width)?;
    }
    headers(
        &mut ws,
        0,
        0,
        &[
            w.input,
            w.path,
            w.distribution,
            w.per_occurrence,
            w.unit,
            "P10",
            "P50",
            "P90",
        ],
        f,
    )?;
    let currency = s
        .currency
        .as_deref()
        .map(|c| super::visible(w.lang.currency(c)))
        .unwrap_or_default();
    for (i, a) in s.inputs.iter().enumerate() {
        let row = 1 + i as u32;
        text(&mut ws, row, 0, &pretty_input_in(&a.input, w.lang))?;
        text(&mut ws, row, 1, &a.input)?;
        text(&mut ws, row, 2, &w.lang.distribution(&a.distribution))?;
        if a.per_occurrence {
            ws.write_string(row, 3, w.yes)?;
        }
        let (words, fmt) = match unit(&a.input, w) {
            Unit::Money(per) => (format!("{currency} {per}").trim().to_string(), &f.cents),
            Unit::Share(u) => (u.to_string(), &f.fine_percent),
            Unit::Plain(u) => (u.to_string(), &f.plain),
        };
        text(&mut ws, row, 4, &words)?;
        for (j, v) in [a.p10, a.p50, a.p90].into_iter().enumerate() {
            number(&mut ws, row, 5 + j as u16, Some(v), fmt)?;
        }
    }
    Ok(ws)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Scenario;
    use crate::engine::{Engine, Settings};
    use crate::report::xlsx::ENGLISH;
    use crate::sampling::Method;

    fn results(text: &str) -> Results {
        let sc = Scenario::from_toml(text, std::path::Path::new("t.toml")).unwrap();
        let settings = Settings::new(2000, 1, Method::MonteCarlo);
        let data = Engine::new(&sc, settings).run(None, &mut |_| {}).unwrap();
        Results::new(&sc, &settings, &data)
    }

    const TEXT: &str = "currency = \"EUR\"\nhorizon_years = 3\n\
        [finance]\ndiscount_rate = 0.08\n\
        [[costs]]\nname = \"Licence\"\namount = { pert = [800, 1000, 1500] }\n\
        [[benefits]]\nname = \"Time\"\nkind = \"efficiency\"\n\
        hours_saved_per_month = { pert = [10, 20, 40] }\nhourly_cost = 50\n";

    /// Without a target, the headline is the chance of paying back within
    /// the horizon; with one, within the target.
    #[test]
    fn headline_with_and_without_a_target() {
        let r = results(TEXT);
        let h = headline(&r.summary, &ENGLISH);
        assert!(
            h.starts_with("The CRM pays for itself within the 3-year horizon in "),
            "{h}"
        );
        assert!(
            h.contains("Median payback: ") && h.contains("median NPV EUR "),
            "{h}"
        );
        let r = results(&TEXT.replace("0.08\n", "0.08\ntarget_payback_years = 1.5\n"));
        let h = headline(&r.summary, &ENGLISH);
        assert!(
            h.starts_with("The CRM pays for itself within the 1.5-year target in "),
            "{h}"
        );
        // Every number of the sentence as the language writes it, the
        // target too.
        let h = headline(&r.summary, Words::of(crate::lang::Lang::Nl));
        assert!(
            h.starts_with("Het CRM verdient zich in ")
                && h.contains(" van de simulaties terug binnen de beoogde 1,5 jaar."),
            "{h}"
        );
    }

    /// A catalogue whose sheet names hold spaces (as a translation may):
    /// the charts' references quote them.
    #[test]
    fn chart_references_quote_sheet_names() {
        let words = Words {
            sheet_fan: "Cash flow by month",
            sheet_sensitivity: "What drives it",
            ..ENGLISH
        };
        let bytes = results_workbook(&results(TEXT), &words).unwrap();
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut read = |name: &str| {
            let mut s = String::new();
            std::io::Read::read_to_string(&mut z.by_name(name).unwrap(), &mut s).unwrap();
            s
        };
        assert!(read("xl/charts/chart1.xml").contains("'Cash flow by month'!$B$2:$B$38"));
        assert!(read("xl/charts/chart2.xml").contains("'What drives it'!$B$"));
    }
}
