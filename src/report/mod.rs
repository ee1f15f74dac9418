//! Writes the results of a run: one format per file behind [`Export`], and
//! all output paths built in one place ([`ResultDir`]).
//!
//! Results never appear half-written: everything goes to a hidden temporary
//! directory beside the target, which replaces the target only once every
//! file is complete. A failed run leaves the previous results untouched,
//! and only a directory this program wrote is ever replaced ([`replace`]).

pub mod batch;
#[cfg(feature = "charts")]
pub mod charts;
mod csv_files;
pub mod html;
mod json;
pub mod printed;
pub mod replace;
pub mod sweep;
pub mod text;
mod trials;
pub mod xlsx;

pub use csv_files::{FanCsv, PercentilesCsv, SensitivityCsv};
pub use json::SummaryJson;
pub use replace::Refused;
pub use trials::TrialsCsv;
pub use xlsx::ResultsXlsx;

use crate::lang::Lang;
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

/// Gives a file written under a temporary name (0600) the permissions a
/// new file gets (0666 less the umask): results, shards and manifests are
/// read by others, such as a merge job running as another user of the
/// group.
pub fn with_new_file_mode(file: &fs::File) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(fs::Permissions::from_mode(0o666 & !umask()))?;
    }
    #[cfg(not(unix))]
    let _ = file;
    Ok(())
}

/// The process's umask, read once. Linux shows it in /proc/self/status;
/// elsewhere it is read by setting it and setting it back, at the first
/// call (before any worker thread writes files: `main` calls this first).
#[cfg(unix)]
pub fn umask() -> u32 {
    static UMASK: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    *UMASK.get_or_init(|| {
        let from_proc = fs::read_to_string("/proc/self/status").ok().and_then(|t| {
            t.lines()
                .find_map(|l| l.strip_prefix("Umask:"))
                .and_then(|v| u32::from_str_radix(v.trim(), 8).ok())
        });
        from_proc.unwrap_or_else(|| {
            let old = rustix::process::umask(rustix::fs::Mode::empty());
            rustix::process::umask(old);
            old.bits()
        })
    })
}

/// Writes the single file `path` whole or not at all: `write` fills a
/// temporary file beside it (named `.NAME.XXXXXX.partial.EXT`, so that a
/// writer that goes by the extension, like the PNG encoder, still sees
/// it), which tempfile's `persist` then renames over `path`. On any failure
/// the temporary file is removed and `path` is as it was. The file gets
/// the permissions of a new file.
pub fn write_atomically(path: &Path, write: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_stem()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let ext = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    let temp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(&format!(".partial{ext}"))
        .tempfile_in(dir)
        .with_context(|| format!("cannot write {}", path.display()))?;
    write(temp.path()).with_context(|| format!("cannot write {}", path.display()))?;
    with_new_file_mode(temp.as_file())
        .with_context(|| format!("cannot write {}", path.display()))?;
    temp.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// The result files every run writes, the workbook's words in `lang` (the
/// other files are the same in every language).
pub fn standard_exports(lang: Lang) -> Vec<Box<dyn Export>> {
    vec![
        Box::new(SummaryJson),
        Box::new(PercentilesCsv),
        Box::new(FanCsv),
        Box::new(SensitivityCsv),
        Box::new(ResultsXlsx(xlsx::Words::of(lang))),
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

/// An input path in words for charts, the report and the printed summary:
/// `benefits.Time saved.hours_saved_per_month` → "Time saved: hours saved per month",
/// `adoption.max_level` → "Adoption: max level".
pub fn pretty_input(path: &str) -> String {
    pretty_input_in(path, Lang::En)
}

/// [`pretty_input`] in `lang`: the section and field names in its words
/// (Dutch: "Time saved: bespaarde uren per maand"); item names as written.
pub fn pretty_input_in(path: &str, lang: Lang) -> String {
    let parts: Vec<&str> = path.split('.').collect();
    let words = |s: &str| {
        lang.field_label(s)
            .map_or_else(|| s.replace('_', " "), str::to_string)
    };
    match parts.as_slice() {
        [section, field] => {
            let section = lang.field_label(section).unwrap_or(section);
            let mut c = section.chars();
            let head = c
                .next()
                .map(|f| f.to_uppercase().collect::<String>())
                .unwrap_or_default();
            format!("{head}{}: {}", c.as_str(), words(field))
        }
        [_, item, field] => format!("{item}: {}", words(field)),
        _ => path.to_string(),
    }
}

/// A result directory being written: files go to a temporary sibling until
/// [`ResultDir::commit`] moves it into place. Dropped uncommitted, the
/// temporary directory is removed.
pub struct ResultDir {
    target: PathBuf,
    /// `None` once committed.
    temp: Option<tempfile::TempDir>,
    /// The directories [`ResultDir::create`] made for `out`: removed
    /// again, while empty, when a run fails (never a directory that was
    /// there); `None` once committed.
    made: Option<MadeDirs>,
}

/// Directories a command made for its output, removed again (while
/// empty) unless [`MadeDirs::keep`] is called: a failed or stopped command
/// leaves no empty `--out` behind.
#[must_use = "dropping it removes the directories it made"]
pub struct MadeDirs(Vec<PathBuf>);

impl MadeDirs {
    /// Creates `dir` and its parents ([`create_dir_all`]), remembering
    /// those that did not exist, deepest first.
    pub fn create(dir: &Path) -> Result<Self> {
        let made = dir
            .ancestors()
            .filter(|a| !a.as_os_str().is_empty())
            .take_while(|a| !a.exists())
            .map(Path::to_path_buf)
            .collect();
        create_dir_all(dir)?;
        Ok(MadeDirs(made))
    }

    /// The command succeeded: its directories stay.
    pub fn keep(mut self) {
        self.0.clear();
    }
}

impl Drop for MadeDirs {
    fn drop(&mut self) {
        remove_made(&self.0);
    }
}

/// Removes `made` (innermost first) while each is empty.
fn remove_made(made: &[PathBuf]) {
    for dir in made {
        if fs::remove_dir(dir).is_err() {
            break;
        }
    }
}

impl Drop for ResultDir {
    /// Not committed: the temporary directory goes, and then (`made`,
    /// dropped after this) `out` with it when this made it and nothing
    /// else is in it.
    fn drop(&mut self) {
        if let Some(temp) = self.temp.take() {
            let _ = temp.close();
        }
    }
}

/// Creates directory `dir` and its parents, as `fs::create_dir_all`; when
/// `dir` or one of its parents exists as something else than a directory
/// (a file given as `--out`), refuses ([`Refused`], exit code 2) naming it.
pub fn create_dir_all(dir: &Path) -> Result<()> {
    if let Some(blocking) = dir
        .ancestors()
        .filter(|a| !a.as_os_str().is_empty())
        .find(|a| a.exists() && !a.is_dir())
    {
        return Err(Refused(format!(
            "{} is a file, not a directory; choose another --out",
            blocking.display()
        ))
        .into());
    }
    fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the directory {}", dir.display()))
}

impl ResultDir {
    /// Prepares `out/<dir_name>`; creates `out` if needed. Refuses
    /// ([`Refused`]) a name too long for the temporary directory beside it,
    /// and a target that is not a result directory of this program, before
    /// any work is done. Puts back results that a killed run left aside.
    pub fn create(out: &Path, dir_name: &str, kind: replace::Kind) -> Result<Self> {
        replace::check_dir_name(dir_name)?;
        let made = MadeDirs::create(out)?;
        let target = out.join(dir_name);
        let temp = (|| -> Result<tempfile::TempDir> {
            let _lock = replace::lock(out)?;
            replace::recover(out, dir_name)?;
            replace::check_replaceable(&target)?;
            replace::check_kind(&target, kind)?;
            let temp = tempfile::Builder::new()
                .prefix(&replace::staging_prefix(dir_name))
                .rand_bytes(6)
                .tempdir_in(out)
                .with_context(|| {
                    format!("cannot create a temporary directory in {}", out.display())
                })?;
            replace::mark_staging(temp.path())?;
            Ok(temp)
        })();
        // On an error, `made` goes: the directories it made, while empty.
        Ok(ResultDir {
            target,
            temp: Some(temp?),
            made: Some(made),
        })
    }

    fn temp(&self) -> &Path {
        self.temp.as_ref().expect("not committed").path()
    }

    /// Where the results will be once committed.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Where a file is written before the commit (for writers that take a path).
    pub fn staging_path(&self, name: &str) -> PathBuf {
        self.temp().join(name)
    }

    /// Writes every chart as SVG and PNG, the charts in parallel (drawing
    /// them costs as much as a small run).
    #[cfg(feature = "charts")]
    pub fn write_charts(&self, results: &Results, lang: Lang) -> Result<()> {
        use rayon::prelude::*;
        charts::Chart::ALL.par_iter().try_for_each(|chart| {
            let stem = chart.file_stem();
            let svg = chart.svg_in(results, lang)?;
            fs::write(self.staging_path(&format!("{stem}.svg")), svg).with_context(|| {
                format!(
                    "cannot write {}",
                    self.target.join(format!("{stem}.svg")).display()
                )
            })?;
            chart.png_in(results, &self.staging_path(&format!("{stem}.png")), lang)
        })
    }

    /// Writes `report.html`.
    pub fn write_report(&self, results: &Results, lang: Lang) -> Result<()> {
        let page = html::render_in(results, lang)?;
        fs::write(self.staging_path("report.html"), page)
            .with_context(|| format!("cannot write {}", self.target.join("report.html").display()))
    }

    /// Creates a file in the temporary directory.
    pub fn file(&self, name: &str) -> Result<BufWriter<fs::File>> {
        let p = self.staging_path(name);
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

    /// Replaces the target with the complete results, marked as ours.
    /// Under the lock of the parent directory: concurrent runs replace one
    /// another whole. Checks again that the target may be replaced (it may
    /// have changed during the run).
    pub fn commit(mut self) -> Result<PathBuf> {
        replace::write_marker(self.temp())?;
        let parent = self.target.parent().unwrap_or(Path::new("."));
        let name = file_name(&self.target);
        let lock = replace::lock(parent)?;
        replace::recover(parent, &name)?;
        replace::check_replaceable(&self.target)?;
        let temp = self.temp.take().expect("not committed").keep();
        let old = match replace::swap(&temp, &self.target) {
            Ok(old) => old,
            Err(e) => {
                let _ = fs::remove_dir_all(&temp);
                return Err(e);
            }
        };
        drop(lock);
        if let Some(made) = self.made.take() {
            made.keep();
        }
        // The previous results, now under a hidden name of this process:
        // if this removal fails or is cut short, the next run into the same
        // place removes the rest (this process is dead by then).
        if let Some(old) = old {
            let _ = fs::remove_dir_all(&old);
        }
        Ok(self.target.clone())
    }
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretty_inputs() {
        assert_eq!(
            pretty_input("benefits.Time saved.hours_saved_per_month"),
            "Time saved: hours saved per month"
        );
        assert_eq!(pretty_input("adoption.max_level"), "Adoption: max level");
    }

    #[test]
    fn names_cannot_escape() {
        assert_eq!(safe_dir_name("midsize-b2b"), "midsize-b2b");
        assert_eq!(safe_dir_name("../../etc"), "_.._etc");
        assert_eq!(safe_dir_name("a/b\\c"), "a_b_c");
        assert_eq!(safe_dir_name(".."), "scenario");
        assert_eq!(safe_dir_name("Vendor A (2027)"), "Vendor_A__2027_");
    }

    /// A file is replaced whole, or left as it was with no temporary file
    /// beside it when the writer fails.
    #[test]
    fn files_are_written_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index.html");
        fs::write(&path, "old").unwrap();
        let err = write_atomically(&path, |temp| {
            assert!(
                temp.to_string_lossy().ends_with(".html"),
                "{}",
                temp.display()
            );
            fs::write(temp, "half")?;
            anyhow::bail!("the disk is full")
        });
        assert!(err.is_err());
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        let names = |d: &Path| -> Vec<String> {
            let mut v: Vec<String> = fs::read_dir(d)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            v.sort();
            v
        };
        assert_eq!(names(dir.path()), ["index.html"]);
        write_atomically(&path, |temp| Ok(fs::write(temp, "new")?)).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(names(dir.path()), ["index.html"]);
    }
}
