//! `trials.csv` (with `--export-trials`): every trial's input draws and
//! outputs, streamed in trial order while the run goes on, for an audit
//! trail in a spreadsheet. A payback beyond the horizon and an undefined ROI
//! are empty cells; `shocks.NAME.occurrences` counts a shock's occurrences.

use crate::config::Scenario;
use crate::engine::{TrialRows, TrialSink};
use crate::format::csv;
use std::io::Write;

pub struct TrialsCsv<W: Write> {
    writer: csv::Writer<W>,
    columns: usize,
}

impl<W: Write> TrialsCsv<W> {
    /// Writes the header: trial, the exported inputs, shock counts, outputs.
    pub fn new(out: W, scenario: &Scenario, export_inputs: &[usize]) -> std::io::Result<Self> {
        let mut writer = csv::Writer::from_writer(out);
        let mut header = vec!["trial".to_string()];
        header.extend(
            export_inputs
                .iter()
                .map(|&i| scenario.inputs[i].path.clone()),
        );
        header.extend(
            scenario
                .shocks
                .iter()
                .map(|s| format!("{}.occurrences", s.path)),
        );
        header.extend(
            [
                "payback_years",
                "discounted_payback_years",
                "npv",
                "roi",
                "total_costs",
                "total_benefits",
            ]
            .map(String::from),
        );
        let header: Vec<String> = header.iter().map(|h| super::csv_files::text(h)).collect();
        writer
            .write_record(&header)
            .map_err(std::io::Error::other)?;
        Ok(TrialsCsv {
            writer,
            columns: header.len(),
        })
    }

    pub fn finish(mut self) -> std::io::Result<W> {
        self.writer.flush()?;
        self.writer.into_inner().map_err(|e| e.into_error())
    }
}

impl<W: Write> TrialSink for TrialsCsv<W> {
    fn rows(&mut self, rows: &TrialRows) -> std::io::Result<()> {
        let opt = |x: Option<f64>| x.map(csv).unwrap_or_default();
        let mut row: Vec<String> = Vec::with_capacity(self.columns);
        for (r, o) in rows.outcomes.iter().enumerate() {
            row.clear();
            row.push((rows.first_trial + r as u64).to_string());
            row.extend(rows.inputs.iter().map(|col| csv(col[r])));
            row.extend(rows.shock_counts.iter().map(|col| col[r].to_string()));
            row.extend([
                opt(o.payback_years),
                opt(o.discounted_payback_years),
                csv(o.npv),
                opt(o.roi),
                csv(o.total_costs),
                csv(o.total_benefits),
            ]);
            self.writer
                .write_record(&row)
                .map_err(std::io::Error::other)?;
        }
        Ok(())
    }
}
