//! The CSV result files: `percentiles.csv` (one row per metric), `fan.csv`
//! (one row per month) and `sensitivity.csv` (one row per input). An
//! undefined value or a percentile beyond the horizon is an empty cell.

use super::Export;
use crate::format::{cell, csv};
use crate::results::Results;
use crate::stats::PERCENTILES;
use anyhow::Result;
use std::io::Write;

/// Text from a scenario as a CSV cell that a spreadsheet shows as text:
/// a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return
/// would be read as a formula, so it gets a leading `'` (OWASP's advice
/// on CSV injection); control characters become U+FFFD
/// ([`super::text::visible`]). The csv writer quotes cells holding a
/// comma, a quote or a line break. Numbers never pass through here.
pub(crate) fn text(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{}", super::text::visible(s))
    } else {
        super::text::visible(s).into_owned()
    }
}

pub struct PercentilesCsv;

impl Export for PercentilesCsv {
    fn file_name(&self) -> &'static str {
        "percentiles.csv"
    }

    fn write(&self, r: &Results, out: &mut dyn Write) -> Result<()> {
        let s = &r.summary;
        let mut w = csv::Writer::from_writer(out);
        let mut header = vec!["metric"];
        header.extend(PERCENTILES.iter().map(|p| p.0));
        header.extend(["mean", "sd", "censored_fraction", "undefined_fraction"]);
        w.write_record(&header)?;
        for (name, m) in s.metrics.iter() {
            let mut row = vec![name.to_string()];
            row.extend(m.percentiles.values().iter().map(|v| cell(*v)));
            row.extend([
                cell(m.mean),
                cell(m.sd),
                cell(m.censored_fraction),
                cell(m.undefined_fraction),
            ]);
            w.write_record(&row)?;
        }
        w.flush()?;
        Ok(())
    }
}

pub struct FanCsv;

impl Export for FanCsv {
    fn file_name(&self) -> &'static str {
        "fan.csv"
    }

    fn write(&self, r: &Results, out: &mut dyn Write) -> Result<()> {
        let fan = &r.fan;
        let mut w = csv::Writer::from_writer(out);
        let mut header = vec!["month"];
        header.extend(PERCENTILES.iter().map(|p| p.0));
        header.push("mean");
        w.write_record(&header)?;
        for r in fan {
            let mut row = vec![r.month.to_string()];
            row.extend(r.percentiles.values().iter().map(|v| cell(*v)));
            row.push(csv(r.mean));
            w.write_record(&row)?;
        }
        w.flush()?;
        Ok(())
    }
}

pub struct SensitivityCsv;

impl Export for SensitivityCsv {
    fn file_name(&self) -> &'static str {
        "sensitivity.csv"
    }

    fn write(&self, r: &Results, out: &mut dyn Write) -> Result<()> {
        let s = &r.summary;
        let mut w = csv::Writer::from_writer(out);
        w.write_record([
            "input",
            "spearman_npv",
            "spearman_payback",
            "npv_mean_low",
            "npv_mean_high",
            "contribution_to_variance",
        ])?;
        for row in &s.sensitivity {
            w.write_record([
                text(&row.input),
                cell(row.spearman_npv),
                cell(row.spearman_payback),
                cell(row.npv_mean_low),
                cell(row.npv_mean_high),
                cell(row.contribution_to_variance),
            ])?;
        }
        w.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::text;

    #[test]
    fn formulas_are_neutralised() {
        for hostile in ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx"] {
            let t = text(hostile);
            assert_eq!(t, format!("'{hostile}"), "{hostile:?}");
        }
        // A carriage return is neutralised, and shown as U+FFFD like every
        // control character but tab and line feed.
        assert_eq!(text("\rx"), "'\u{fffd}x");
        assert_eq!(text("a\u{0}b\u{1b}c"), "a\u{fffd}b\u{fffd}c");
        for plain in ["costs.License.amount", "midsize-b2b", "a=b", ""] {
            assert_eq!(text(plain), plain);
        }
    }
}
