//! The workbooks of many runs: `batch_summary.xlsx`, the rows of
//! `batch_summary.csv` (one per scenario, in its column order), and
//! `sweep.xlsx`, the rows of `sweep.csv` (one per grid point). Each row's
//! money is in its scenario's currency.

use super::{Formats, Words, headers, number, text, workbook};
use crate::results::BatchEntry;
use crate::sweep::Table;
use anyhow::Result;
use rust_xlsxwriter::Worksheet;
use std::collections::BTreeMap;

/// The file name of the batch's workbook.
pub const BATCH_XLSX: &str = "batch_summary.xlsx";
/// The file name of the sweep's workbook.
pub const SWEEP_XLSX: &str = "sweep.xlsx";

/// The formats of each currency label met, made once.
struct ByCurrency<'w> {
    words: &'w Words,
    formats: BTreeMap<Option<String>, Formats>,
}

impl<'w> ByCurrency<'w> {
    fn new(words: &'w Words) -> Self {
        ByCurrency {
            words,
            formats: BTreeMap::new(),
        }
    }

    fn get(&mut self, currency: Option<&str>) -> &Formats {
        self.formats
            .entry(currency.map(String::from))
            .or_insert_with(|| Formats::new(currency, self.words))
    }
}

/// A cell's kind in an overview row.
enum Cell<'a> {
    Text(&'a str),
    Count(u64),
    Years(Option<f64>),
    Money(Option<f64>),
    Percent(Option<f64>),
    Plain(Option<f64>),
}

fn write_row(ws: &mut Worksheet, row: u32, cells: &[Cell], f: &Formats) -> Result<()> {
    for (c, cell) in cells.iter().enumerate() {
        let col = c as u16;
        match *cell {
            Cell::Text(s) => text(ws, row, col, s)?,
            Cell::Count(n) => {
                ws.write_number_with_format(row, col, n as f64, &f.count)?;
            }
            Cell::Years(v) => number(ws, row, col, v, &f.years)?,
            Cell::Money(v) => number(ws, row, col, v, &f.money)?,
            Cell::Percent(v) => number(ws, row, col, v, &f.percent)?,
            Cell::Plain(v) => number(ws, row, col, v, &f.plain)?,
        }
    }
    Ok(())
}

fn sheet(name: &str, head: &[&str], f: &Formats) -> Result<Worksheet> {
    let mut ws = super::sheet();
    ws.set_name(name)?;
    headers(&mut ws, 0, 0, head, f)?;
    ws.set_freeze_panes(1, 0)?;
    for c in 0..head.len() {
        ws.set_column_width(c as u16, if c < 2 { 28 } else { 15 })?;
    }
    Ok(ws)
}

/// The bytes of `batch_summary.xlsx`: the columns of `batch_summary.csv`.
pub fn batch_workbook(entries: &[BatchEntry], w: &Words) -> Result<Vec<u8>> {
    let mut wb = workbook("batch_summary")?;
    let mut formats = ByCurrency::new(w);
    let head = [
        w.file,
        w.name,
        w.trials,
        w.target,
        w.p_within_target,
        w.p_within_horizon,
        w.p_npv_positive,
        w.payback_p10,
        w.payback_p50,
        w.payback_p90,
        w.npv_p10,
        w.npv_p50,
        w.npv_p90,
        w.baseline,
        w.p_npv_above_baseline,
        w.mean_npv_difference,
        w.mean_npv_difference_se,
        w.npv_difference_p10,
        w.npv_difference_p50,
        w.npv_difference_p90,
        w.p_payback_sooner,
        w.p_payback_same,
        w.first_order_dominance,
        w.second_order_dominance,
        w.npv_expected_shortfall_10,
        w.p_best,
        w.evpi_of_choice,
        w.evpi_of_choice_se,
    ];
    let mut ws = sheet(w.sheet_scenarios, &head, formats.get(None))?;
    for (row, e) in entries.iter().enumerate() {
        let s = &e.results.summary;
        let (pb, npv) = (
            &s.metrics.payback_years.percentiles,
            &s.metrics.npv.percentiles,
        );
        let p = &s.probabilities;
        let paired = e.paired.as_ref();
        let diff = |i: usize| Cell::Money(paired.map(|x| x.npv_difference_percentiles[i]));
        let choice = e.choice.as_ref();
        let cells = [
            Cell::Text(&e.file),
            Cell::Text(&s.scenario),
            Cell::Count(s.trials),
            Cell::Years(s.target_payback_years),
            Cell::Percent(p.payback_within_target),
            Cell::Percent(Some(p.payback_within_horizon)),
            Cell::Percent(Some(p.npv_positive)),
            Cell::Years(pb.p10),
            Cell::Years(pb.p50),
            Cell::Years(pb.p90),
            Cell::Money(npv.p10),
            Cell::Money(npv.p50),
            Cell::Money(npv.p90),
            Cell::Text(paired.map_or("", |x| x.baseline.as_str())),
            Cell::Percent(paired.map(|x| x.p_npv_above)),
            Cell::Money(paired.map(|x| x.mean_npv_difference)),
            Cell::Money(paired.and_then(|x| x.mean_npv_difference_se)),
            diff(0),
            diff(1),
            diff(2),
            Cell::Percent(paired.map(|x| x.p_payback_sooner)),
            Cell::Percent(paired.map(|x| x.p_payback_same)),
            Cell::Text(paired.map_or("", |x| w.dominance(x.first_order_dominance))),
            Cell::Text(paired.map_or("", |x| w.dominance(x.second_order_dominance))),
            Cell::Money(paired.map(|x| x.npv_expected_shortfall_10)),
            Cell::Percent(choice.and_then(|c| c.p_best.get(row).copied())),
            Cell::Money(choice.map(|c| c.evpi)),
            Cell::Money(choice.and_then(|c| c.evpi_se)),
        ];
        write_row(
            &mut ws,
            1 + row as u32,
            &cells,
            formats.get(s.currency.as_deref()),
        )?;
    }
    wb.push_worksheet(ws);
    Ok(wb.save_to_buffer()?)
}

/// The bytes of `sweep.xlsx`: the columns of `sweep.csv`, a swept value
/// as a number where it is one, else as written (an inline distribution).
pub fn sweep_workbook(table: &Table, w: &Words) -> Result<Vec<u8>> {
    let mut wb = workbook(&table.scenario)?;
    let mut formats = ByCurrency::new(w);
    let target = table.has_target();
    let mut head: Vec<&str> = vec![w.variant];
    head.extend(table.paths.iter().map(String::as_str));
    if target {
        head.push(w.p_within_target);
    }
    head.extend([
        w.median_payback_years,
        w.npv_mean,
        w.npv_median,
        w.p_npv_not_positive,
        w.npv_p10,
        w.npv_p90,
        w.roi_mean,
    ]);
    let f = formats.get(table.currency.as_deref());
    let mut ws = sheet(w.sheet_sweep, &head, f)?;
    for (row, p) in table.points.iter().enumerate() {
        let h = &p.headline;
        let name = p
            .variant
            .file_name
            .strip_suffix(".toml")
            .unwrap_or(&p.variant.file_name);
        let texts: Vec<String> = p.variant.settings.iter().map(|s| s.text()).collect();
        let mut cells = vec![Cell::Text(name)];
        for (s, t) in p.variant.settings.iter().zip(&texts) {
            cells.push(match s.number() {
                Some(x) => Cell::Plain(Some(x)),
                None => Cell::Text(t),
            });
        }
        if target {
            cells.push(Cell::Percent(h.p_payback_within_target));
        }
        cells.extend([
            Cell::Years(h.median_payback_years),
            Cell::Money(h.npv_mean),
            Cell::Money(h.npv_median),
            Cell::Percent(Some(h.p_npv_not_positive)),
            Cell::Money(h.npv_p10),
            Cell::Money(h.npv_p90),
            Cell::Percent(h.roi_mean),
        ]);
        write_row(&mut ws, 1 + row as u32, &cells, f)?;
    }
    wb.push_worksheet(ws);
    Ok(wb.save_to_buffer()?)
}
