//! The `fit` command: reads columns of past results from a CSV file, fits
//! candidate distributions to each (`crm_roi::fit`), prints a table per
//! column with the best fit as a line to paste into a scenario, and draws
//! the data against the best fits.

use crate::app::InvalidInput;
use crate::cli::FitArgs;
use anyhow::Result;
use crm_roi::config::history;
use crm_roi::dist::significant;
use crm_roi::fit::{self, FitFamily};
use crm_roi::report::charts::fit::{Curve, FitChart};
use crm_roi::report::text::terminal;
use crm_roi::report::{ResultDir, safe_dir_name};
use crm_roi::stats::{percentile_sorted, sort_floats};
use serde::Serialize;
use std::io::Write;
use std::path::Path;

/// Everything `fit` finds, and what `--json` prints.
#[derive(Debug, Serialize)]
struct Report {
    /// The CSV file, as given.
    file: String,
    columns: Vec<ColumnReport>,
    /// Where the charts are, when drawn.
    charts: Option<String>,
}

#[derive(Debug, Serialize)]
struct ColumnReport {
    column: String,
    /// Number of values.
    n: usize,
    min: f64,
    median: f64,
    max: f64,
    /// The fits, best (lowest AIC) first, and the families ruled out.
    fits: Vec<fit::Fit>,
    excluded: Vec<fit::Excluded>,
    /// Why nothing could be fitted (too few values, constant data).
    error: Option<String>,
    /// Fewer than 10 values: any fit is weak.
    weak: bool,
    /// The best fit, as a scenario line.
    suggestion: Option<String>,
    /// The data itself, as an empirical quantity.
    empirical: String,
    /// A PERT from (min, median, max).
    pert: String,
}

pub fn fit_command(args: &FitArgs) -> Result<()> {
    let shown = args.data.display().to_string();
    let table = history::read_table(&args.data, &shown).map_err(InvalidInput)?;
    if table.is_empty() {
        return Err(InvalidInput(format!("`{shown}` has a header row but no data")).into());
    }
    // Each column's name and values, read once.
    let columns: Vec<(&str, Vec<f64>)> = if args.columns.is_empty() {
        let numeric: Vec<(&str, Vec<f64>)> = table
            .headers
            .iter()
            .enumerate()
            .filter_map(|(i, h)| Some((h.as_str(), table.numbers(i, &shown).ok()?)))
            .collect();
        if numeric.is_empty() {
            return Err(InvalidInput(format!(
                "`{shown}` has no column of numbers only; name one with --column to see which cell is not a number"
            ))
            .into());
        }
        numeric
    } else {
        args.columns
            .iter()
            .map(|c| {
                let i = table.column_index(c, &shown)?;
                Ok((c.as_str(), table.numbers(i, &shown)?))
            })
            .collect::<Result<_, String>>()
            .map_err(InvalidInput)?
    };
    let families: Vec<FitFamily> = if args.families.is_empty() {
        FitFamily::ALL.to_vec()
    } else {
        args.families.clone()
    };

    let reports: Vec<ColumnReport> = columns
        .iter()
        .map(|(name, values)| column_report(&shown, name, values, &families))
        .collect();

    let charts = if args.no_charts {
        None
    } else {
        let stem = args
            .data
            .file_stem()
            .map_or("data".into(), |s| s.to_string_lossy().into_owned());
        let dir = ResultDir::create(&args.out.join("fit"), &safe_dir_name(&stem))?;
        for (r, (_, values)) in reports.iter().zip(&columns) {
            write_chart(&dir, r, values)?;
        }
        Some(dir.commit()?.display().to_string())
    };
    let report = Report {
        file: shown,
        columns: reports,
        charts,
    };

    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        // Column names come from the file: no control character reaches
        // the terminal.
        let mut text = Vec::new();
        print_report(&mut text, &report)?;
        out.write_all(terminal(&String::from_utf8_lossy(&text)).as_bytes())?;
    }
    if let Some(bad) = report.columns.iter().find(|c| c.error.is_some()) {
        return Err(InvalidInput(format!(
            "column `{}`: {}",
            bad.column,
            bad.error.as_deref().unwrap_or_default()
        ))
        .into());
    }
    Ok(())
}

fn column_report(file: &str, column: &str, values: &[f64], families: &[FitFamily]) -> ColumnReport {
    let mut sorted = values.to_vec();
    sort_floats(&mut sorted);
    let key = toml_key(column);
    let (fits, excluded, error) = match fit::fit_sample(values, families) {
        Ok(r) => (r.fits, r.excluded, None),
        Err(e) => (Vec::new(), Vec::new(), Some(e.to_string())),
    };
    ColumnReport {
        column: column.to_string(),
        n: sorted.len(),
        min: sorted[0],
        median: percentile_sorted(&sorted, 0.5).unwrap_or(sorted[0]),
        max: sorted[sorted.len() - 1],
        weak: sorted.len() < fit::WEAK_BELOW,
        suggestion: fits
            .first()
            .map(|f| format!("{key} = {}", f.scenario_syntax)),
        empirical: format!(
            "{key} = {{ empirical = {{ file = {}, column = {} }} }}",
            toml_string(file),
            toml_string(column)
        ),
        pert: fit::pert_suggestion(values)
            .map(|p| format!("{key} = {}", p.scenario_syntax()))
            .unwrap_or_default(),
        fits,
        excluded,
        error,
    }
}

fn write_chart(dir: &ResultDir, r: &ColumnReport, values: &[f64]) -> Result<()> {
    let fits = &r.fits[..r.fits.len().min(3)];
    let densities: Vec<Box<dyn Fn(f64) -> f64 + '_>> = fits
        .iter()
        .map(|f| Box::new(move |x| f.pdf(x)) as Box<dyn Fn(f64) -> f64>)
        .collect();
    let chart = FitChart {
        column: &r.column,
        values,
        curves: fits
            .iter()
            .zip(&densities)
            .map(|(f, d)| Curve {
                label: format!("{} (AIC {:.1})", f.family.name(), f.aic),
                density: d.as_ref(),
            })
            .collect(),
    };
    let stem = safe_dir_name(&r.column);
    std::fs::write(dir.staging_path(&format!("{stem}.svg")), chart.svg()?)?;
    chart.png(&dir.staging_path(&format!("{stem}.png")))?;
    Ok(())
}

fn print_report(out: &mut impl Write, report: &Report) -> std::io::Result<()> {
    for (k, c) in report.columns.iter().enumerate() {
        if k > 0 {
            writeln!(out)?;
        }
        writeln!(
            out,
            "{}: {} ({} values, min {}, median {}, max {})",
            report.file,
            c.column,
            c.n,
            significant(c.min),
            significant(c.median),
            significant(c.max)
        )?;
        if let Some(e) = &c.error {
            writeln!(out, "  cannot fit: {e}")?;
            writeln!(out, "  instead:     {}", c.pert)?;
            continue;
        }
        writeln!(
            out,
            "  {:<11} {:>10} {:>7} {:>7}  parameters",
            "family", "AIC", "KS D", "KS p"
        )?;
        for f in &c.fits {
            writeln!(
                out,
                "  {:<11} {:>10.1} {:>7.3} {:>7.3}  {}",
                f.family.name(),
                f.aic,
                f.ks_statistic,
                f.ks_p_value,
                f.scenario_syntax
            )?;
        }
        for x in &c.excluded {
            writeln!(out, "  {:<11} ruled out: {}", x.family.name(), x.reason)?;
        }
        if c.weak {
            writeln!(
                out,
                "  warning: only {} values; a fit to so few says little. Consider the data itself or a PERT:",
                c.n
            )?;
            writeln!(out, "    {}", c.empirical)?;
            writeln!(out, "    {}", c.pert)?;
        }
        let close: Vec<&str> = c
            .fits
            .iter()
            .skip(1)
            .filter(|f| f.aic - c.fits[0].aic < 2.0)
            .map(|f| f.family.name())
            .collect();
        if !close.is_empty() {
            writeln!(
                out,
                "  within 2 of the best AIC, so fitting about as well: {}",
                close.join(", ")
            )?;
        }
        if let Some(s) = &c.suggestion {
            writeln!(out, "  best fit (lowest AIC), ready to paste:")?;
            writeln!(out, "    {s}")?;
            if !c.weak {
                writeln!(
                    out,
                    "  or resample the data itself (the file path is relative to the scenario file):"
                )?;
                writeln!(out, "    {}", c.empirical)?;
            }
        }
    }
    if let Some(dir) = &report.charts {
        writeln!(out)?;
        writeln!(out, "charts: {}", Path::new(dir).display())?;
    }
    Ok(())
}

/// A TOML key: bare when it can be, else quoted.
fn toml_key(name: &str) -> String {
    let bare = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if bare {
        name.to_string()
    } else {
        toml_string(name)
    }
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_quoted_only_when_needed() {
        assert_eq!(toml_key("hours_saved"), "hours_saved");
        assert_eq!(toml_key("hours saved"), "\"hours saved\"");
        assert_eq!(toml_string("history/x.csv"), "\"history/x.csv\"");
        // Whatever the name, the line reads back as that key and string.
        for name in ["hours saved", "a\"b", "c'd", "p\\q", "ü"] {
            let line = format!("{} = {}", toml_key(name), toml_string(name));
            let t: toml::Table = toml::from_str(&line).unwrap();
            assert_eq!(t[name].as_str(), Some(name), "{line}");
        }
    }
}
