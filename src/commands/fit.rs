//! The `fit` command: reads columns of past results from a CSV file, fits
//! candidate distributions to each (`crm_roi::fit`), prints a table per
//! column with the best fit as a line to paste into a scenario, and draws
//! the data against the best fits.
//!
//! Every line offered for pasting is first parsed as a scenario quantity
//! (`config::parse_quantity`): a fit whose line would not validate (a
//! lognormal of near-constant data whose p5 and p95 coincide, numbers
//! beyond the scenario format's 1e15) is listed as ruled out with the
//! reason, and when nothing can be written the output says so.
//!
//! Charts go to `OUT/fit/<file stem>/<column>.svg` and `.png`; each file
//! is written beside its target and renamed over it, so a run replaces the
//! charts of the columns it fits and nothing else. The directory's marker
//! (`.crm-roi-fit`) lists the charts fits wrote there: a file of a chart's
//! name that is not listed (the user's) is never drawn over. A column or file name
//! that is not a safe file name gets its safe form plus a hash of the name
//! ([`chart_stem`]), so that two columns never share a file.

use super::common::InvalidInput;
use crate::cli::FitArgs;
use anyhow::{Context, Result};
use crm_roi::config::{MAX_MAGNITUDE, history, parse_quantity};
use crm_roi::fit::{self, FitFamily};
use crm_roi::format::number;
use crm_roi::report::charts::fit::{Curve, FitChart};
use crm_roi::report::replace::Listing;
use crm_roi::report::text::terminal;
use crm_roi::report::{safe_dir_name, write_atomically};
use crm_roi::results::{percentile_sorted, sort_floats};
use serde::Serialize;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Everything `fit` finds, and what `--json` prints.
#[derive(Debug, Serialize)]
struct Report {
    /// The CSV file, as given.
    file: String,
    /// `--scenario`, as given: the empirical lines' paths are relative to
    /// its folder (else absolute).
    scenario: Option<String>,
    columns: Vec<ColumnReport>,
    /// The directory of the charts, when drawn.
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
    /// The best fit, as a scenario line: `FIELD = quantity`, where FIELD
    /// is the column's name when it is a field of the format, else the
    /// placeholder [`PLACEHOLDER`].
    suggestion: Option<String>,
    /// The data itself, as an empirical quantity, when it validates.
    empirical: Option<String>,
    /// A PERT from (min, median, max), or the fixed number when all values
    /// are equal, when it validates.
    pert: Option<String>,
    /// Why a line is not offered.
    notes: Vec<String>,
    /// The chart files, when drawn.
    chart: Option<Vec<String>>,
}

pub fn fit_command(args: &FitArgs) -> Result<()> {
    let shown = args.data.display().to_string();
    let table = history::read_table(&args.data, &shown).map_err(InvalidInput)?;
    if table.is_empty() {
        return Err(InvalidInput(format!("`{shown}` has a header row but no data")).into());
    }
    // Each column's name and values, read once.
    let columns: Vec<(&str, Vec<f64>)> = if args.columns.is_empty() {
        // Columns that are not numbers are skipped, each with its reason
        // on stderr, so that no column is passed over in silence (an
        // ambiguous `1.234` column says why it was not read).
        let mut numeric: Vec<(&str, Vec<f64>)> = Vec::new();
        for (i, h) in table.headers.iter().enumerate() {
            match table.numbers(i, &shown) {
                Ok(v) => numeric.push((h.as_str(), v)),
                Err(why) => eprintln!("note: column `{}` skipped: {}", terminal(h), terminal(&why)),
            }
        }
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

    let data = DataRef::new(&args.data, args.scenario.as_deref())?;
    let fields = crm_roi::config::quantity_fields();
    let mut reports: Vec<ColumnReport> = columns
        .iter()
        .map(|(name, values)| column_report(&data, &fields, name, values, &families))
        .collect();

    let charts = if args.no_charts {
        None
    } else {
        let stems = chart_stems(columns.iter().map(|c| c.0)).map_err(InvalidInput)?;
        let file_stem = args
            .data
            .file_stem()
            .map_or("data".into(), |s| s.to_string_lossy().into_owned());
        let dir = args.out.join("fit").join(chart_stem(&file_stem));
        crm_roi::report::create_dir_all(&dir)?;
        // Nothing is replaced that an earlier fit did not write.
        let mut written = charts_written(&dir)?;
        for stem in &stems {
            for ext in ["svg", "png"] {
                check_chart_target(&dir, &written, &format!("{stem}.{ext}"))?;
            }
        }
        // Listed by name before they are written: a file listed but not
        // there yet is harmless, and one being drawn is ours by name. Each
        // is listed with its SHA-256 once drawn.
        written.extend(
            stems
                .iter()
                .flat_map(|s| [(format!("{s}.svg"), None), (format!("{s}.png"), None)]),
        );
        record_charts(&dir, &written)?;
        for ((r, (_, values)), stem) in reports.iter_mut().zip(&columns).zip(&stems) {
            // Ctrl-C stops between charts; each file is whole or untouched.
            crate::interrupt::check()?;
            r.chart = Some(write_chart(&dir, r, values, stem)?);
        }
        for stem in &stems {
            for ext in ["svg", "png"] {
                let name = format!("{stem}.{ext}");
                let hash = crm_roi::report::replace::hash_of(&dir, &name)?;
                written.insert(name, Some(hash));
            }
        }
        record_charts(&dir, &written)?;
        Some(dir.display().to_string())
    };
    let report = Report {
        file: shown,
        scenario: args.scenario.as_ref().map(|s| s.display().to_string()),
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
    // Nothing to paste for a column: the data are beyond what a scenario
    // holds (1e300), which is bad input, not a result.
    if let Some(bare) = (report.columns.iter())
        .find(|c| c.fits.is_empty() && c.pert.is_none() && c.empirical.is_none())
    {
        return Err(InvalidInput(format!(
            "column `{}`: no line can be offered to paste (the notes above say why)",
            bare.column
        ))
        .into());
    }
    Ok(())
}

/// The key of a line to paste, in place of the field it gives.
const PLACEHOLDER: &str = "<field>";

/// The data file as an empirical line names it: relative to the folder of
/// `--scenario`, or absolute, so that the line works where the scenario
/// reads it (a scenario's paths are relative to its own folder).
struct DataRef {
    /// The path to write in the line.
    text: String,
    /// The folder the line is read from.
    dir: PathBuf,
}

impl DataRef {
    fn new(data: &Path, scenario: Option<&Path>) -> Result<DataRef> {
        let absolute = data
            .canonicalize()
            .with_context(|| format!("cannot resolve the path of {}", data.display()))?;
        let Some(scenario) = scenario else {
            return Ok(DataRef {
                text: absolute.to_string_lossy().into_owned(),
                dir: PathBuf::from("/"),
            });
        };
        let folder = match scenario.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let dir = folder.canonicalize().map_err(|e| {
            InvalidInput(format!(
                "--scenario {}: its folder {} cannot be used: {e}",
                scenario.display(),
                folder.display()
            ))
        })?;
        Ok(DataRef {
            text: relative_path(&absolute, &dir)
                .to_string_lossy()
                .into_owned(),
            dir,
        })
    }
}

/// `target` as seen from the folder `base` (both absolute and canonical):
/// `../history/a.csv`.
fn relative_path(target: &Path, base: &Path) -> PathBuf {
    let t: Vec<_> = target.components().collect();
    let b: Vec<_> = base.components().collect();
    let common = t.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &t[common..] {
        out.push(c);
    }
    out
}

fn column_report(
    data: &DataRef,
    fields: &[String],
    column: &str,
    values: &[f64],
    families: &[FitFamily],
) -> ColumnReport {
    let mut sorted = values.to_vec();
    sort_floats(&mut sorted);
    // A column named like a field of the format gives that field; any
    // other name is no key of a scenario.
    let key = if fields.iter().any(|f| f == column) {
        column.to_string()
    } else {
        PLACEHOLDER.to_string()
    };
    let (fits, mut excluded, error) = match fit::fit_sample(values, families) {
        Ok(r) => (r.fits, r.excluded, None),
        Err(e) => (Vec::new(), Vec::new(), Some(e.to_string())),
    };
    // Only lines that validate are offered.
    let mut notes = Vec::new();
    let mut offered = Vec::new();
    for f in fits {
        match writable(&f.scenario_syntax) {
            Ok(()) => offered.push(f),
            Err(reason) => excluded.push(fit::Excluded {
                family: f.family,
                reason,
            }),
        }
    }
    let fits = offered;
    let pert = fit::pert_suggestion(values)
        .map_err(|e| e.to_string())
        .and_then(|p| {
            let q = p.scenario_syntax();
            writable(&q).map(|()| format!("{key} = {q}"))
        })
        .map_err(|e| notes.push(format!("no PERT or fixed number to offer: {e}")))
        .ok();
    let empirical_quantity = format!(
        "{{ empirical = {{ file = {}, column = {} }} }}",
        toml_string(&data.text),
        toml_string(column)
    );
    let empirical = match parse_quantity(&empirical_quantity, &data.dir) {
        Ok(_) => Some(format!("{key} = {empirical_quantity}")),
        Err(e) => {
            notes.push(format!("the data cannot be resampled as they are: {e}"));
            None
        }
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
        empirical,
        pert,
        notes,
        chart: None,
        fits,
        excluded,
        error,
    }
}

/// Whether `quantity` validates as a scenario quantity, and why not: numbers
/// beyond the scenario format's largest are named briefly, other problems
/// in the scenario parser's words.
fn writable(quantity: &str) -> Result<(), String> {
    let numbers = quantity
        .split(|c: char| !(c.is_ascii_alphanumeric() || "+-.".contains(c)))
        .filter_map(|w| w.parse::<f64>().ok());
    if let Some(big) = numbers
        .filter(|x| x.is_finite())
        .find(|x| x.abs() > MAX_MAGNITUDE)
    {
        return Err(format!(
            "{} is beyond {MAX_MAGNITUDE:e}, the largest number a scenario accepts; express the values in a larger unit (thousands, millions)",
            number(big)
        ));
    }
    parse_quantity(quantity, Path::new("."))
        .map(|_| ())
        .map_err(|e| format!("{quantity} is not a valid scenario quantity: {e}"))
}

/// The file names (without extension) of the charts of `columns`, or why
/// two of them would share one (names that differ only in case, on a file
/// system that ignores case).
fn chart_stems<'a>(columns: impl Iterator<Item = &'a str>) -> Result<Vec<String>, String> {
    let mut seen: HashMap<String, &str> = HashMap::new();
    let mut stems = Vec::new();
    for column in columns {
        let stem = chart_stem(column);
        if let Some(other) = seen.insert(stem.to_lowercase(), column) {
            // Two columns with no name are two columns, not one asked twice.
            if column.is_empty() {
                return Err(format!(
                    "two columns without a name would both be drawn to {stem}.svg; name the columns in the header row, or give --no-charts"
                ));
            }
            if other != column {
                return Err(format!(
                    "columns `{other}` and `{column}` would both be drawn to {stem}.svg (file names may ignore case); fit them in separate runs with different --out, or give --no-charts"
                ));
            }
        }
        stems.push(stem);
    }
    Ok(stems)
}

/// A column's chart file name without extension: the column name itself
/// when it is a safe file name of at most 100 bytes (letters, digits, `-`,
/// `_`, `.`, not starting with a dot), else its safe form cut to 80 bytes
/// with 8 hex digits of the name's FNV-1a hash, so that `hours saved` and
/// `hours_saved` do not share a file.
fn chart_stem(column: &str) -> String {
    let safe = safe_dir_name(column);
    if safe == column && column.len() <= 100 {
        return safe;
    }
    let mut cut = safe;
    let mut end = cut.len().min(80);
    while !cut.is_char_boundary(end) {
        end -= 1;
    }
    cut.truncate(end);
    let hash = column.bytes().fold(0x811c_9dc5u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    format!("{cut}-{hash:08x}")
}

/// The marker of a fit's chart directory: the chart files fits wrote
/// there, each after its SHA-256, which a later fit may replace while they
/// hold what was drawn.
const CHARTS_MARKER: &str = ".crm-roi-fit";
const CHARTS_MARKER_HEADER: &str = "# crm-roi fit charts, format 2";
/// An earlier version's marker: names only.
const CHARTS_MARKER_HEADER_1: &str = "# crm-roi fit charts, format 1";

/// The chart files that fits wrote in `dir`, as its marker lists them.
fn charts_written(dir: &Path) -> Result<Listing> {
    let path = dir.join(CHARTS_MARKER);
    let text = match std::fs::read_to_string(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Default::default()),
        read => read.with_context(|| format!("cannot read {}", path.display()))?,
    };
    let headers = [CHARTS_MARKER_HEADER, CHARTS_MARKER_HEADER_1];
    crm_roi::report::replace::marker_entries(&text, &headers).ok_or_else(|| {
        InvalidInput(format!(
            "{} is not a marker this version of crm-roi wrote; move the directory away or choose another --out",
            path.display()
        ))
        .into()
    })
}

/// Refuses to write `dir/name` over anything but a chart file a fit wrote
/// and nobody changed since.
fn check_chart_target(dir: &Path, written: &Listing, name: &str) -> Result<()> {
    match crm_roi::report::replace::not_ours(dir, name, written)? {
        None => Ok(()),
        Some(why) => Err(InvalidInput(format!(
            "{} {why}, so the chart is not drawn over it; move it away, choose another --out, or give --no-charts",
            dir.join(name).display()
        ))
        .into()),
    }
}

/// Writes the marker of `dir` listing `written`.
fn record_charts(dir: &Path, written: &Listing) -> Result<()> {
    let text = crm_roi::report::replace::marker_text(
        CHARTS_MARKER_HEADER,
        ": the charts of `crm-roi fit` in this directory,\n# which the next fit into it may replace while they hold what it drew.",
        written,
    );
    write_atomically(&dir.join(CHARTS_MARKER), |temp| {
        Ok(std::fs::write(temp, &text)?)
    })
}

/// Draws the chart of one column to `dir/<stem>.svg` and `.png`, each
/// written beside its target and renamed over it; returns the two paths.
fn write_chart(dir: &Path, r: &ColumnReport, values: &[f64], stem: &str) -> Result<Vec<String>> {
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
    let svg = chart.svg()?;
    let (svg_path, png_path) = (
        dir.join(format!("{stem}.svg")),
        dir.join(format!("{stem}.png")),
    );
    write_atomically(&svg_path, |temp| Ok(std::fs::write(temp, &svg)?))?;
    write_atomically(&png_path, |temp| chart.png(temp))?;
    Ok(vec![
        svg_path.display().to_string(),
        png_path.display().to_string(),
    ])
}

/// Where the data path of an empirical line is read from.
fn path_note(report: &Report) -> String {
    match &report.scenario {
        Some(s) => format!("the path is relative to the folder of {s}, as that scenario reads it"),
        None => "an absolute path; with --scenario FILE it is relative to that scenario's folder"
            .to_string(),
    }
}

fn print_report(out: &mut impl Write, report: &Report) -> std::io::Result<()> {
    for (k, c) in report.columns.iter().enumerate() {
        if k > 0 {
            writeln!(out)?;
        }
        writeln!(
            out,
            "{}: {} ({} value{}, min {}, median {}, max {})",
            report.file,
            c.column,
            c.n,
            if c.n == 1 { "" } else { "s" },
            number(c.min),
            number(c.median),
            number(c.max)
        )?;
        if let Some(e) = &c.error {
            writeln!(out, "  cannot fit: {e}")?;
            if let Some(p) = &c.pert {
                writeln!(out, "  instead:     {p}")?;
            }
            for n in &c.notes {
                writeln!(out, "  note: {n}")?;
            }
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
        if c.fits.is_empty() {
            writeln!(
                out,
                "  no family can be fitted and written as a scenario quantity"
            )?;
            if let Some(p) = &c.pert {
                writeln!(
                    out,
                    "  instead, a PERT from the minimum, median and maximum:"
                )?;
                writeln!(out, "    {p}")?;
            }
        } else if c.weak {
            writeln!(
                out,
                "  warning: only {} values; a fit to so few says little. Consider the data itself or a PERT:",
                c.n
            )?;
            for line in c.empirical.iter().chain(&c.pert) {
                writeln!(out, "    {line}")?;
            }
            if c.empirical.is_some() {
                writeln!(out, "  (in the empirical line, {})", path_note(report))?;
            }
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
            if let (false, Some(e)) = (c.weak, &c.empirical) {
                writeln!(
                    out,
                    "  or resample the data itself ({}):",
                    path_note(report)
                )?;
                writeln!(out, "    {e}")?;
            }
            if s.starts_with(PLACEHOLDER) {
                writeln!(
                    out,
                    "  replace {PLACEHOLDER} with the field these values give, such as hours_saved_per_month (`{}` is no field of a scenario)",
                    c.column
                )?;
            }
        }
        for n in &c.notes {
            writeln!(out, "  note: {n}")?;
        }
    }
    if let Some(dir) = &report.charts {
        writeln!(out)?;
        writeln!(out, "charts: {}", Path::new(dir).display())?;
    }
    Ok(())
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crm_roi::config::Scenario;
    use proptest::prelude::*;

    /// Whether `quantity` validates in a whole scenario, as the amount of a
    /// custom benefit (a field that takes any number).
    fn validates_in_a_scenario(quantity: &str) -> Result<(), String> {
        let text = format!(
            "horizon_years = 1\n[finance]\ndiscount_rate = 0\ntarget_payback_years = 1\n\
             [[costs]]\nname = \"c\"\namount = 1\n\
             [[benefits]]\nname = \"b\"\nkind = \"custom\"\namount_per_month = {quantity}\n"
        );
        Scenario::from_toml(&text, Path::new("t.toml"))
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    /// Every line `fit` offers for `values`: the best fit, every fitted
    /// family's quantity, the PERT or fixed number.
    fn offered(values: &[f64]) -> (ColumnReport, Vec<String>) {
        let data = DataRef {
            text: "no-such-file.csv".into(),
            dir: PathBuf::from("."),
        };
        let r = column_report(&data, &[], "x", values, &FitFamily::ALL);
        let mut lines: Vec<String> = r.fits.iter().map(|f| f.scenario_syntax.clone()).collect();
        for line in r.suggestion.iter().chain(&r.pert).chain(&r.empirical) {
            lines.push(line.strip_prefix("<field> = ").unwrap().to_string());
        }
        (r, lines)
    }

    #[test]
    fn chart_file_names_never_collide() {
        assert_eq!(chart_stem("hours_saved"), "hours_saved");
        // FNV-1a of "hours saved" (Python: h = 0x811c9dc5; for each byte,
        // h = ((h ^ b) * 0x01000193) & 0xffffffff) is 0x9060b7e7.
        assert_eq!(chart_stem("hours saved"), "hours_saved-9060b7e7");
        assert_ne!(chart_stem("x/y"), chart_stem("x y"));
        assert!(chart_stem(".hidden").starts_with("hidden-"));
        assert!(chart_stem("").starts_with("scenario-"));
        let long = "é".repeat(200);
        let stem = chart_stem(&long);
        assert!(
            stem.len() <= 89
                && stem.ends_with(&format!("{:08x}", {
                    long.bytes().fold(0x811c_9dc5u32, |h, b| {
                        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
                    })
                })),
            "{stem}"
        );
        assert!(chart_stems(["a", "b", "a"].into_iter()).is_ok());
        let clash = chart_stems(["Hours", "hours"].into_iter()).unwrap_err();
        assert!(clash.contains("`Hours` and `hours`"), "{clash}");
        let unnamed = chart_stems(["", "x", ""].into_iter()).unwrap_err();
        assert!(
            unnamed.starts_with("two columns without a name"),
            "{unnamed}"
        );
    }

    #[test]
    fn near_constant_data_offer_no_invalid_lognormal() {
        // Issue 11: near-constant data gave { lognormal = { p5 = 1, p95 = 1 } }.
        let values = [
            1.0,
            1.0,
            1.0,
            1.0,
            1.0,
            1.0,
            1.0,
            1.0,
            1.0,
            1.0000000000000002,
        ];
        let (r, lines) = offered(&values);
        for line in &lines {
            assert!(validates_in_a_scenario(line).is_ok(), "{line}");
        }
        assert!(r.suggestion.is_some());
        // Constant data: a clear error and the fixed number.
        let (r, lines) = offered(&[3.5; 8]);
        assert!(
            r.error
                .as_deref()
                .unwrap()
                .contains("all 8 values equal 3.5")
        );
        assert_eq!(lines, ["3.5"]);
        // Beyond the largest number a scenario takes: nothing to paste, and
        // why.
        let (r, lines) = offered(&[1e300, 2e300, 3e300, 1.5e300, 2.5e300, 1.2e300]);
        assert!(lines.is_empty(), "{lines:?}");
        assert!(r.notes[0].contains("1e300 is beyond 1e15"), "{:?}", r.notes);
        assert!(
            r.excluded.iter().all(|x| x.reason.len() < 200),
            "{:?}",
            r.excluded
        );
    }

    /// Samples of the awkward kinds: near-constant, tiny, huge, negative,
    /// two-valued, and ordinary.
    fn awkward_sample() -> impl Strategy<Value = Vec<f64>> {
        let n = 5usize..30;
        prop_oneof![
            (-1e6f64..1e6, n.clone(), prop::collection::vec(0u32..4, 30)).prop_map(
                |(base, n, steps)| {
                    let mut x = base;
                    steps[..n]
                        .iter()
                        .map(|&k| {
                            for _ in 0..k {
                                x = x.next_up();
                            }
                            x
                        })
                        .collect()
                }
            ),
            prop::collection::vec(1e-310f64..1e-290, 5..30),
            prop::collection::vec(1e13f64..1e17, 5..30),
            prop::collection::vec(1e200f64..1e300, 5..30),
            prop::collection::vec(-1e6f64..-1e-3, 5..30),
            (-1e6f64..1e6, -1e6f64..1e6, n.clone(), 1usize..4).prop_map(|(a, b, n, k)| {
                (0..n)
                    .map(|i| if i % (k + 1) == 0 { a } else { b })
                    .collect()
            }),
            prop::collection::vec(0.0f64..1.0, 5..30),
            prop::collection::vec(-1e6f64..1e6, 5..30),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(120))]

        #[test]
        fn every_offered_line_validates(values in awkward_sample()) {
            let (r, lines) = offered(&values);
            for line in &lines {
                let checked = validates_in_a_scenario(line);
                prop_assert!(checked.is_ok(), "{} from {:?}: {:?}", line, values, checked);
            }
            // Something is offered, or the output says why not.
            prop_assert!(!lines.is_empty() || !r.notes.is_empty(), "{:?}", values);
        }
    }

    #[test]
    fn strings_read_back() {
        assert_eq!(toml_string("history/x.csv"), "\"history/x.csv\"");
        for name in ["hours saved", "a\"b", "c'd", "p\\q", "ü"] {
            let line = format!("x = {}", toml_string(name));
            let t: toml::Table = toml::from_str(&line).unwrap();
            assert_eq!(t["x"].as_str(), Some(name), "{line}");
        }
    }

    /// The line's key is the column's name only when that is a field of
    /// the format; else the placeholder, never a key that is no field.
    #[test]
    fn keys_are_fields_or_the_placeholder() {
        let data = DataRef {
            text: "a.csv".into(),
            dir: PathBuf::from("."),
        };
        let fields = crm_roi::config::quantity_fields();
        let values = [3.0, 4.0, 5.0, 4.5, 3.5, 4.2, 3.8, 4.1, 4.4, 3.9, 4.6, 4.3];
        let r = column_report(
            &data,
            &fields,
            "hours_saved_per_month",
            &values,
            &FitFamily::ALL,
        );
        assert!(
            r.suggestion
                .unwrap()
                .starts_with("hours_saved_per_month = {")
        );
        let r = column_report(
            &data,
            &fields,
            "hours_saved_per_user",
            &values,
            &FitFamily::ALL,
        );
        assert!(r.suggestion.unwrap().starts_with("<field> = {"));
    }

    #[test]
    fn relative_paths_climb_to_the_common_folder() {
        let p = |s: &str| PathBuf::from(s);
        assert_eq!(relative_path(&p("/a/b/c.csv"), &p("/a/b")), p("c.csv"));
        assert_eq!(
            relative_path(&p("/a/history/c.csv"), &p("/a/scenarios")),
            p("../history/c.csv")
        );
        assert_eq!(
            relative_path(&p("/a/c.csv"), &p("/a/x/y")),
            p("../../c.csv")
        );
    }
}
