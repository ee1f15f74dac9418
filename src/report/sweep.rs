//! The files of a sweep (docs/sweep.md): `sweep.csv`, one row per grid
//! point in grid order, the same table as a workbook (`sweep.xlsx`,
//! [`super::xlsx`]), and the chart (`sweep.svg`, `sweep.png`): a line
//! chart over one swept field, heatmaps over two. Takes the finished
//! [`Table`], however its points were run.

use super::ResultDir;
use crate::format::{cell, csv};
use crate::lang::Lang;
use crate::sweep::Table;
use anyhow::{Context, Result};
use std::io::Write;

/// The file name of the table.
pub const CSV: &str = "sweep.csv";
/// The file stem of the chart.
pub const CHART: &str = "sweep";

/// Writes `sweep.csv` to `out`: `variant`, one column per swept path (its
/// value as written: a number, or the inline distribution), then the
/// headline figures. `p_payback_within_target` only when some variant has
/// a target; an empty cell is undefined (no target, a median payback
/// beyond the horizon, no defined ROI).
pub fn write_csv(table: &Table, out: &mut dyn Write) -> Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    let target = table.has_target();
    let mut header: Vec<String> = vec!["variant".into()];
    header.extend(table.paths.iter().cloned());
    if target {
        header.push("p_payback_within_target".into());
    }
    header.extend(
        [
            "median_payback_years",
            "npv_mean",
            "npv_median",
            "p_npv_not_positive",
            "npv_p10",
            "npv_p90",
            "roi_mean",
        ]
        .map(String::from),
    );
    w.write_record(&header)?;
    for p in &table.points {
        let h = &p.headline;
        let mut row: Vec<String> = vec![
            p.variant
                .file_name
                .strip_suffix(".toml")
                .unwrap_or(&p.variant.file_name)
                .to_string(),
        ];
        row.extend(
            p.variant
                .settings
                .iter()
                .map(|s| s.number().map_or_else(|| s.text(), csv)),
        );
        if target {
            row.push(cell(h.p_payback_within_target));
        }
        row.extend([
            cell(h.median_payback_years),
            cell(h.npv_mean),
            cell(h.npv_median),
            csv(h.p_npv_not_positive),
            cell(h.npv_p10),
            cell(h.npv_p90),
            cell(h.roi_mean),
        ]);
        w.write_record(&row)?;
    }
    w.flush()?;
    Ok(())
}

/// Writes the table, its workbook and, with `charts` and one or two
/// swept paths, the chart into `dir`.
pub fn write(dir: &ResultDir, table: &Table, charts: bool, lang: Lang) -> Result<()> {
    let mut f = dir.file(CSV)?;
    write_csv(table, &mut f)
        .and_then(|()| f.flush().map_err(Into::into))
        .with_context(|| format!("cannot write {}", dir.target().join(CSV).display()))?;
    let xlsx = super::xlsx::SWEEP_XLSX;
    super::xlsx::sweep_workbook(table, super::xlsx::Words::of(lang))
        .and_then(|bytes| Ok(std::fs::write(dir.staging_path(xlsx), bytes)?))
        .with_context(|| format!("cannot write {}", dir.target().join(xlsx).display()))?;
    #[cfg(feature = "charts")]
    if charts && (1..=2).contains(&table.paths.len()) {
        let svg = super::charts::sweep_svg(table, lang)?;
        std::fs::write(dir.staging_path(&format!("{CHART}.svg")), svg).with_context(|| {
            format!(
                "cannot write {}",
                dir.target().join(format!("{CHART}.svg")).display()
            )
        })?;
        super::charts::sweep_png(table, &dir.staging_path(&format!("{CHART}.png")), lang)?;
    }
    #[cfg(not(feature = "charts"))]
    let _ = (charts, lang);
    Ok(())
}
