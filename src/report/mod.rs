//! Writes the results of a run: one format per file behind [`Export`], and
//! all output paths built in one place ([`ResultDir`]).
//!
//! Results never appear half-written: everything goes to a hidden temporary
//! directory beside the target, which replaces the target only once every
//! file is complete. A failed run leaves the previous results untouched.

pub mod batch;
pub mod charts;
mod csv_files;
pub mod html;
mod json;
pub mod text;
mod trials;

pub use csv_files::{FanCsv, PercentilesCsv, SensitivityCsv};
pub use json::SummaryJson;
pub use trials::TrialsCsv;

use crate::results::Results;
use anyhow::{Context, Result};
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// One result file.
pub trait Export {
    fn file_name(&self) -> &'static str;
    fn write(&self, results: &Results, out: &mut dyn Write) -> Result<()>;
}

/// The result files every run writes.
pub fn standard_exports() -> Vec<Box<dyn Export>> {
    vec![
        Box::new(SummaryJson),
        Box::new(PercentilesCsv),
        Box::new(FanCsv),
        Box::new(SensitivityCsv),
    ]
}

/// A scenario name made safe as one directory name: letters, digits, `-`,
/// `_` and `.` are kept, anything else becomes `_`, and a leading `.` is
/// dropped, so that no name can point outside the output directory.
pub fn safe_dir_name(name: &str) -> String {
    let mapped: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let trimmed = mapped.trim_start_matches('.');
    if trimmed.is_empty() {
        "scenario".to_string()
    } else {
        trimmed.to_string()
    }
}

/// A result directory being written: files go to a temporary sibling until
/// [`ResultDir::commit`] moves it into place.
pub struct ResultDir {
    target: PathBuf,
    temp: PathBuf,
    committed: bool,
}

impl ResultDir {
    /// Prepares `out/<dir_name>`; creates `out` if needed.
    pub fn create(out: &Path, dir_name: &str) -> Result<Self> {
        fs::create_dir_all(out)
            .with_context(|| format!("cannot create the output directory {}", out.display()))?;
        let target = out.join(dir_name);
        if target.exists() && !target.is_dir() {
            anyhow::bail!(
                "{} exists and is not a directory; move it away or choose another --out",
                target.display()
            );
        }
        let temp = out.join(format!(".{dir_name}.partial-{}", std::process::id()));
        if temp.exists() {
            fs::remove_dir_all(&temp)
                .with_context(|| format!("cannot remove {}", temp.display()))?;
        }
        fs::create_dir(&temp).with_context(|| format!("cannot create {}", temp.display()))?;
        Ok(ResultDir {
            target,
            temp,
            committed: false,
        })
    }

    /// Where the results will be once committed.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Where a file is written before the commit (for writers that take a path).
    pub fn staging_path(&self, name: &str) -> PathBuf {
        self.temp.join(name)
    }

    /// Writes every chart as SVG and PNG, the charts in parallel (drawing
    /// them costs as much as a small run).
    pub fn write_charts(&self, results: &Results) -> Result<()> {
        use rayon::prelude::*;
        charts::Chart::ALL.par_iter().try_for_each(|chart| {
            let stem = chart.file_stem();
            let svg = chart.svg(results)?;
            fs::write(self.staging_path(&format!("{stem}.svg")), svg).with_context(|| {
                format!(
                    "cannot write {}",
                    self.target.join(format!("{stem}.svg")).display()
                )
            })?;
            chart.png(results, &self.staging_path(&format!("{stem}.png")))
        })
    }

    /// Writes `report.html`.
    pub fn write_report(&self, results: &Results) -> Result<()> {
        let page = html::render(results)?;
        fs::write(self.staging_path("report.html"), page)
            .with_context(|| format!("cannot write {}", self.target.join("report.html").display()))
    }

    /// Creates a file in the temporary directory.
    pub fn file(&self, name: &str) -> Result<BufWriter<fs::File>> {
        let p = self.temp.join(name);
        let f = fs::File::create(&p).with_context(|| format!("cannot create {}", p.display()))?;
        Ok(BufWriter::new(f))
    }

    /// Writes one export.
    pub fn write(&self, export: &dyn Export, results: &Results) -> Result<()> {
        let mut w = self.file(export.file_name())?;
        export
            .write(results, &mut w)
            .and_then(|()| w.flush().map_err(Into::into))
            .with_context(|| {
                format!(
                    "cannot write {}",
                    self.target.join(export.file_name()).display()
                )
            })
    }

    /// Replaces the target with the complete results.
    pub fn commit(mut self) -> Result<PathBuf> {
        if self.target.exists() {
            let old = self.target.with_file_name(format!(
                ".{}.old-{}",
                file_name(&self.target),
                std::process::id()
            ));
            fs::rename(&self.target, &old)
                .with_context(|| format!("cannot replace {}", self.target.display()))?;
            fs::rename(&self.temp, &self.target)
                .with_context(|| format!("cannot move results to {}", self.target.display()))?;
            fs::remove_dir_all(&old).with_context(|| format!("cannot remove {}", old.display()))?;
        } else {
            fs::rename(&self.temp, &self.target)
                .with_context(|| format!("cannot move results to {}", self.target.display()))?;
        }
        self.committed = true;
        Ok(self.target.clone())
    }
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

impl Drop for ResultDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.temp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_cannot_escape() {
        assert_eq!(safe_dir_name("midsize-b2b"), "midsize-b2b");
        assert_eq!(safe_dir_name("../../etc"), "_.._etc");
        assert_eq!(safe_dir_name("a/b\\c"), "a_b_c");
        assert_eq!(safe_dir_name(".."), "scenario");
        assert_eq!(safe_dir_name("Vendor A (2027)"), "Vendor_A__2027_");
    }
}
