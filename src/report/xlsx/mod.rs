//! The Excel workbooks (rust_xlsxwriter): `results.xlsx` for a run
//! ([`ResultsXlsx`], sheets in `run.rs`), `batch_summary.xlsx` for a batch
//! and `sweep.xlsx` for a sweep (`overview.rs`).
//!
//! Finance works in Excel, and a CSV file of full-precision numbers with
//! decimal points is misread by a Dutch Excel. A workbook holds numbers as
//! numbers: every cell is a real number with a number format (money with
//! the scenario's currency, percentages, years), so Excel shows it in the
//! reader's own locale. Its two charts (the fan and the tornado) are native
//! Excel charts over the sheets' cells, which finance can restyle. Every
//! value comes from the same [`Results`] that `summary.json` is written
//! from; nothing per trial goes in.
//!
//! The words (sheet names, headers, the headline, input labels) are those
//! of one [`Words`] per language ([`Words::of`]: English or Dutch). Text from the scenario is shown, never obeyed
//! (xlsx cells are typed, so `=1+1` stays text) and made visible like in
//! the CSV files ([`super::text::visible`]).
//!
//! Reproducible: a workbook is a zip archive, whose entries rust_xlsxwriter
//! dates 1980-01-01, and whose document properties carry a creation date,
//! fixed here at the same date ([`CREATED`]); so the same run gives the
//! same bytes.

mod dutch;
mod overview;
mod run;
mod words;

pub use overview::{BATCH_XLSX, SWEEP_XLSX, batch_workbook, sweep_workbook};
pub use run::results_workbook;
pub use words::{ENGLISH, Words};

use super::Export;
use crate::results::Results;
use anyhow::Result;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatBorder, Workbook, Worksheet, XlsxError,
};
use std::io::Write;

/// `results.xlsx` in the language of its [`Words`].
pub struct ResultsXlsx(pub &'static Words);

impl Export for ResultsXlsx {
    fn file_name(&self) -> &'static str {
        "results.xlsx"
    }

    fn write(&self, results: &Results, out: &mut dyn Write) -> Result<()> {
        out.write_all(&results_workbook(results, self.0)?)?;
        Ok(())
    }
}

/// The creation date in every workbook's document properties (year,
/// month, day): the date rust_xlsxwriter gives the archive's entries, so
/// that nothing in the file depends on the clock.
pub const CREATED: (u16, u8, u8) = (1980, 1, 1);

/// Excel's longest text in a cell, in characters.
const MAX_TEXT: usize = 32_767;

/// A currency label longer than this stays out of the number format
/// (Excel allows 255 characters in a format code); the amounts then have
/// no label, and the Summary sheet names the currency.
const MAX_LABEL: usize = 24;

/// A new workbook with fixed document properties.
fn workbook(title: &str) -> Result<Workbook> {
    let mut wb = Workbook::new();
    let (y, m, d) = CREATED;
    let properties = DocProperties::new()
        .set_title(visible(title))
        .set_author("crm-roi")
        .set_comment(format!("Written by crm-roi {}", env!("CARGO_PKG_VERSION")))
        .set_creation_datetime(&ExcelDateTime::from_ymd(y, m, d)?);
    wb.set_properties(&properties);
    Ok(wb)
}

/// Scenario text as a cell shows it: control characters as U+FFFD (as in
/// the CSV files), and cut with an ellipsis at Excel's limit.
fn visible(s: &str) -> String {
    let v = super::text::visible(s);
    if v.chars().count() <= MAX_TEXT {
        return v.into_owned();
    }
    let mut cut: String = v.chars().take(MAX_TEXT - 1).collect();
    cut.push('…');
    cut
}

/// A literal text inside an Excel number format code: `"EUR "`, with a
/// double quote written as `\"` outside the quotes.
fn literal(s: &str) -> String {
    s.split('"')
        .map(|part| format!("\"{part}\""))
        .collect::<Vec<_>>()
        .join("\\\"")
}

/// The number format of money: `"EUR "#,##0;"EUR "-#,##0` (whole units,
/// thousands grouped; `decimals` more places), without a label when there
/// is none or it is long.
pub fn money_format_code(currency: Option<&str>, decimals: usize) -> String {
    let number = if decimals == 0 {
        "#,##0".to_string()
    } else {
        format!("#,##0.{}", "0".repeat(decimals))
    };
    let label = currency
        .map(|c| super::text::visible(c).trim().to_string())
        .filter(|c| !c.is_empty() && c.chars().count() <= MAX_LABEL);
    match label {
        Some(c) => {
            let l = literal(&format!("{c} "));
            format!("{l}{number};{l}-{number}")
        }
        None => number,
    }
}

/// The number formats of one workbook (one currency).
struct Formats {
    title: Format,
    bold: Format,
    header: Format,
    note: Format,
    money: Format,
    /// The number format code of `money`, for the charts' axes.
    money_code: String,
    /// Money to the cent, for inputs.
    cents: Format,
    percent: Format,
    fine_percent: Format,
    years: Format,
    months: Format,
    date: Format,
    correlation: Format,
    count: Format,
    plain: Format,
}

impl Formats {
    fn new(currency: Option<&str>, words: &Words) -> Formats {
        let unit = |u: &str| literal(&format!(" {u}"));
        // The label as the language writes it: € for EUR in Dutch.
        let currency = currency.map(|c| words.lang.currency(c));
        let money_code = money_format_code(currency, 0);
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            bold: Format::new().set_bold(),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_border_bottom(FormatBorder::Thin),
            note: Format::new().set_italic(),
            money: Format::new().set_num_format(&money_code),
            money_code,
            cents: Format::new().set_num_format(money_format_code(currency, 2)),
            percent: Format::new().set_num_format("0.0%"),
            fine_percent: Format::new().set_num_format("0.00%"),
            years: Format::new().set_num_format(format!("0.00{}", unit(words.years_unit))),
            months: Format::new().set_num_format(format!("0{}", unit(words.months_unit))),
            date: Format::new().set_num_format("d mmmm yyyy"),
            correlation: Format::new().set_num_format("0.00"),
            count: Format::new().set_num_format("#,##0"),
            plain: Format::new().set_num_format("General"),
        }
    }
}

/// A new sheet set up to print as people expect: landscape A4, each sheet
/// one page wide (as many pages long as it needs), rather than its
/// columns split over pages.
fn sheet() -> Worksheet {
    let mut ws = Worksheet::new();
    // 9: A4 in Excel's numbering of paper sizes.
    ws.set_paper_size(9)
        .set_landscape()
        .set_print_fit_to_pages(1, 0);
    ws
}

/// Writes a number, or an empty cell in the same format for `None` (and,
/// defensively, for a value that is not finite).
fn number(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    v: Option<f64>,
    f: &Format,
) -> Result<(), XlsxError> {
    match v.filter(|x| x.is_finite()) {
        Some(x) => ws.write_number_with_format(row, col, x, f)?,
        None => ws.write_blank(row, col, f)?,
    };
    Ok(())
}

/// Writes scenario or program text.
fn text(ws: &mut Worksheet, row: u32, col: u16, s: &str) -> Result<(), XlsxError> {
    if !s.is_empty() {
        ws.write_string(row, col, visible(s))?;
    }
    Ok(())
}

/// Writes a row of headers from `col` on, wrapped, the row tall enough
/// for the longest header's lines, at least three when one wraps (Excel
/// does not grow a row for wrapped text by itself).
fn headers(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    names: &[&str],
    f: &Formats,
) -> Result<(), XlsxError> {
    for (i, h) in names.iter().enumerate() {
        ws.write_string_with_format(row, col + i as u16, *h, &f.header)?;
    }
    // About 13 characters a line in the narrowest (14-wide) columns.
    let lines = names
        .iter()
        .map(|h| h.chars().count().div_ceil(13))
        .max()
        .unwrap_or(1);
    if lines > 1 {
        ws.set_row_height(row, 15.0 * lines.max(3) as f64)?;
    }
    Ok(())
}

/// A whole number that a double holds exactly (a seed may not be).
fn exact_count(ws: &mut Worksheet, row: u32, col: u16, n: u64, f: &Format) -> Result<()> {
    if n <= 1 << 53 {
        ws.write_number_with_format(row, col, n as f64, f)?;
    } else {
        ws.write_string(row, col, n.to_string())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_formats_quote_the_label() {
        assert_eq!(
            money_format_code(Some("EUR"), 0),
            "\"EUR \"#,##0;\"EUR \"-#,##0"
        );
        assert_eq!(money_format_code(None, 0), "#,##0");
        assert_eq!(money_format_code(None, 2), "#,##0.00");
        assert_eq!(money_format_code(Some("  "), 0), "#,##0");
        assert_eq!(money_format_code(Some(&"X".repeat(300)), 0), "#,##0");
        // A quote in the label cannot end the literal early.
        assert_eq!(
            money_format_code(Some("a\"b"), 0),
            "\"a\"\\\"\"b \"#,##0;\"a\"\\\"\"b \"-#,##0"
        );
    }

    #[test]
    fn long_text_is_cut_at_excels_limit() {
        let long = "x".repeat(MAX_TEXT + 10);
        let v = visible(&long);
        assert_eq!(v.chars().count(), MAX_TEXT);
        assert!(v.ends_with('…'));
        assert_eq!(visible("a\u{1b}b"), "a\u{fffd}b");
    }
}
