//! The `batch` command: every scenario below some directories, run one
//! after another (each in parallel inside), written into an output tree that
//! mirrors the input tree, then compared in `batch_summary.csv` (and its
//! workbook `batch_summary.xlsx`), a comparison chart and `index.html`. A
//! broken scenario does not stop the others: failures are collected,
//! listed at the end, and make the exit code 2.

use super::common::{InvalidInput, apply_sets, check_warnings, collect_toml, parse_sets, settings};
use super::stage::{Staged, simulate};
use crate::cli::BatchArgs;
use anyhow::Result;
use crm_roi::config::Scenario;
use crm_roi::report::replace::Kind;
use crm_roi::report::text::terminal;
use crm_roi::report::{self, batch, charts, xlsx};
use crm_roi::report::{ResultDir, write_atomically};
use crm_roi::results::{BatchEntry, compare};
use std::collections::HashMap;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// A scenario file and where its results go, relative to the output directory.
pub struct Job {
    pub file: PathBuf,
    /// Result directory relative to OUT, e.g. `vendors/a`.
    pub rel: PathBuf,
}

/// The scenario files under the arguments, each with its mirrored place.
fn discover(dirs: &[PathBuf]) -> Result<Vec<Job>> {
    let mut jobs = Vec::new();
    for d in dirs {
        let mut files = Vec::new();
        collect_toml(d, &mut files)?;
        for file in files {
            let below = if d.is_file() {
                PathBuf::from(file.file_stem().unwrap_or_default())
            } else {
                file.strip_prefix(d).unwrap_or(&file).with_extension("")
            };
            // Each part made safe, so nothing lands outside OUT.
            let mut rel: PathBuf = below
                .components()
                .map(|c| report::safe_dir_name(&c.as_os_str().to_string_lossy()))
                .collect();
            // `index.html.toml` must not take the place of the overview.
            if rel.components().count() == 1 && is_overview_file(&rel.to_string_lossy()) {
                rel.as_mut_os_string().push("_");
            }
            jobs.push(Job { file, rel });
        }
    }
    Ok(jobs)
}

/// The files a batch writes at the top of its output directory.
const OVERVIEW_FILES: [&str; 5] = [
    "batch_summary.csv",
    "batch_summary.xlsx",
    "comparison.png",
    "comparison.svg",
    "index.html",
];

/// Whether a top-level result directory of this name would collide with
/// an overview file (in any case: some file systems ignore it).
fn is_overview_file(name: &str) -> bool {
    OVERVIEW_FILES.iter().any(|f| f.eq_ignore_ascii_case(name))
}

pub fn rel_name(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// What a batch runs, decided before anything runs: the same on every
/// machine of a sharded batch.
pub struct Plan {
    /// The scenarios to run, in order.
    pub loaded: Vec<(Job, Scenario)>,
    /// Scenario files that cannot run, in the order the batch reports them.
    pub failures: Vec<String>,
    /// Abstract bases skipped.
    pub skipped: usize,
    /// The baseline's place in `loaded`.
    pub baseline: Option<usize>,
}

/// Finds, loads and checks the batch's scenarios.
pub fn plan(args: &BatchArgs) -> Result<Plan> {
    let out = &args.sim.out;
    let sets = parse_sets(&args.sim.sets)?;
    let jobs = discover(&args.dirs)?;
    if jobs.is_empty() {
        return Err(InvalidInput(format!(
            "no scenario files (*.toml) found in {}",
            super::common::paths_text(&args.dirs)
        ))
        .into());
    }
    let mut failures: Vec<String> = Vec::new();
    let mut loaded: Vec<(Job, Scenario)> = Vec::new();
    let mut skipped = 0;
    let mut targets: HashMap<PathBuf, PathBuf> = HashMap::new();
    // The path (as `--baseline` names it) of each file that does not run,
    // with why: a baseline that names one says so.
    let mut not_run: Vec<(String, String)> = Vec::new();
    for job in jobs {
        let name = rel_name(&job.rel);
        let scenario = match Scenario::load_unless_abstract(&job.file) {
            Ok(Some(s)) => apply_sets(s, &sets)
                .and_then(|s| {
                    check_warnings(s, args.sim.strict, args.sim.quiet).map_err(|e| e.to_string())
                })
                .map(Some),
            Ok(None) => Ok(None),
            Err(e) => Err(e.to_string()),
        };
        match scenario {
            Ok(Some(s)) => {
                if let Some(other) = targets.insert(job.rel.clone(), job.file.clone()) {
                    let why = format!(
                        "{}: would write {} like {}; skipped",
                        job.file.display(),
                        out.join(&job.rel).display(),
                        other.display()
                    );
                    not_run.push((name, why.clone()));
                    failures.push(why);
                    continue;
                }
                loaded.push((job, s));
            }
            Ok(None) => {
                skipped += 1;
                not_run.push((
                    name,
                    format!(
                        "{} is an abstract base (abstract = true), not a scenario to run",
                        job.file.display()
                    ),
                ));
            }
            Err(why) => {
                not_run.push((name, why.clone()));
                failures.push(why);
            }
        }
    }
    if loaded.is_empty() && failures.is_empty() {
        // Every file is an abstract base: an empty overview would say
        // nothing ran, and exit 0 would say all went well.
        return Err(InvalidInput(format!(
            "nothing to run in {}: every scenario file there is an abstract base (abstract = true), which only variants extend",
            super::common::paths_text(&args.dirs)
        ))
        .into());
    }
    // A scenario whose results would hold another's (a.toml and a/b.toml)
    // cannot run: replacing its directory would delete the other's results.
    let holders: Vec<usize> = (0..loaded.len())
        .filter(|&i| {
            let rel = &loaded[i].0.rel;
            loaded
                .iter()
                .any(|(j, _)| j.rel != *rel && j.rel.starts_with(rel))
        })
        .collect();
    for &i in holders.iter().rev() {
        let (job, _) = loaded.remove(i);
        let why = format!(
            "{}: its results would go to {}, which holds the results of scenarios in the directory of the same name; rename the file or the directory",
            job.file.display(),
            out.join(&job.rel).display()
        );
        not_run.push((rel_name(&job.rel), why.clone()));
        failures.push(why);
    }
    let baseline = match &args.baseline {
        None => None,
        Some(b) => Some(find_baseline(&loaded, b, &not_run)?),
    };
    Ok(Plan {
        loaded,
        failures,
        skipped,
        baseline,
    })
}

/// The place in `loaded` of the scenario that `--baseline b` names: by its
/// `name`, or by its path below the batch directory without `.toml`. A
/// name that several scenarios share (or that is one's name and another's
/// path) is an error listing them, never a silent first pick: the paired
/// comparison would otherwise be against an option nobody chose. A
/// baseline that names a file of the batch that does not run (`not_run`:
/// its path and why) gets that reason.
fn find_baseline(
    loaded: &[(Job, Scenario)],
    b: &str,
    not_run: &[(String, String)],
) -> Result<usize> {
    let matches: Vec<usize> = (0..loaded.len())
        .filter(|&i| {
            let (j, s) = &loaded[i];
            s.name == b || rel_name(&j.rel) == b
        })
        .collect();
    match matches[..] {
        [i] => Ok(i),
        [] => {
            if let Some((_, why)) = not_run.iter().find(|(path, _)| path == b) {
                return Err(InvalidInput(format!(
                    "--baseline {b}: that scenario does not run in this batch: {why}"
                ))
                .into());
            }
            let names: Vec<&str> = loaded.iter().map(|(_, s)| s.name.as_str()).collect();
            Err(InvalidInput(format!(
                "--baseline {b}: no scenario of this batch has that name or path (names: {})",
                names.join(", ")
            ))
            .into())
        }
        _ => {
            let which: Vec<String> = matches
                .iter()
                .map(|&i| {
                    let (j, s) = &loaded[i];
                    format!(
                        "{} (name `{}`, path `{}`)",
                        j.file.display(),
                        s.name,
                        rel_name(&j.rel)
                    )
                })
                .collect();
            // A path that no other scenario has as its name or path names
            // one scenario.
            let unique = matches
                .iter()
                .map(|&i| rel_name(&loaded[i].0.rel))
                .find(|p| {
                    loaded
                        .iter()
                        .filter(|(j, s)| s.name == *p || rel_name(&j.rel) == *p)
                        .count()
                        == 1
                });
            let how = match unique {
                Some(p) => format!(
                    "name one by its path below the batch directory (e.g. --baseline {p}), or give them different `name`s"
                ),
                None => "give them different `name`s".to_string(),
            };
            Err(InvalidInput(format!(
                "--baseline {b} is ambiguous: {} scenarios match it: {}; {how}",
                matches.len(),
                which.join("; "),
            ))
            .into())
        }
    }
}

/// The directory of a job's results: its parent under `out` and its name.
pub fn job_dir(out: &Path, job: &Job) -> Result<ResultDir> {
    let parent = job.rel.parent().unwrap_or(Path::new(""));
    let name = job
        .rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    ResultDir::create(&out.join(parent), &name, Kind::Run)
}

pub fn batch_command(args: &BatchArgs) -> Result<()> {
    let out = &args.sim.out;
    // Before anything runs: the overview must not replace files of others.
    overview_files_ours(out)?;
    let Plan {
        loaded,
        mut failures,
        skipped,
        baseline,
    } = plan(args)?;

    // Every scenario runs into its own temporary directory; none replaces
    // its previous results until all have run, so a batch stopped half-way
    // leaves the whole output tree as it was.
    let mut staged = Vec::new();
    for (i, (job, s)) in loaded.iter().enumerate() {
        let run =
            job_dir(out, job).and_then(|dir| simulate(s, &settings(&args.sim, s), dir, &args.sim));
        match run {
            Ok(run) => staged.push((i, run)),
            Err(e) if crate::interrupt::is_interrupt(&e) => {
                discard(staged);
                return Err(e);
            }
            Err(e) => failures.push(format!("{}: {e:#}", job.file.display())),
        }
    }
    if let Err(e) = crate::interrupt::check() {
        discard(staged);
        return Err(e.into());
    }
    let overview = Overview {
        out,
        quiet: args.sim.quiet,
        charts: !args.sim.no_charts,
        lang: args.sim.lang.into(),
        baseline: args.baseline.as_deref(),
    };
    overview.finish(&loaded, baseline, staged, failures, skipped)
}

/// Drops the staged runs of a stopped batch, the last first: the first
/// run's directory holds the output directories the batch made, which it
/// removes while empty, so it must go after the others' (dropped first,
/// it found them still there and left an empty `--out`).
fn discard(staged: Vec<(usize, Staged)>) {
    staged.into_iter().rev().for_each(drop);
}

/// How the overview of a batch is written.
pub struct Overview<'a> {
    pub out: &'a Path,
    pub quiet: bool,
    pub charts: bool,
    /// The language of index.html, the charts and the printed lines.
    pub lang: crm_roi::lang::Lang,
    /// `--baseline` as given.
    pub baseline: Option<&'a str>,
}

impl Overview<'_> {
    /// Moves the staged runs into place (in the order of `loaded`), compares
    /// them with the baseline, writes the overview files, prints a line per
    /// scenario and the failures, and gives the batch's exit status.
    pub fn finish(
        &self,
        loaded: &[(Job, Scenario)],
        baseline: Option<usize>,
        staged: Vec<(usize, Staged)>,
        mut failures: Vec<String>,
        skipped: usize,
    ) -> Result<()> {
        let out = self.out;
        let mut entries: Vec<BatchEntry> = Vec::new();
        let mut kept: Vec<(Vec<f64>, Vec<f64>)> = Vec::new();
        let mut base_entry = None;
        for (i, staged) in staged {
            let job = &loaded[i].0;
            match staged.commit() {
                Ok(run) => {
                    if !self.quiet {
                        let line = crm_roi::report::printed::batch_line(
                            &run.results.summary,
                            &job.file,
                            &run.dir,
                            self.lang,
                        );
                        writeln!(std::io::stdout(), "{}", terminal(&line))?;
                    }
                    if baseline == Some(i) {
                        base_entry = Some(entries.len());
                    }
                    entries.push(BatchEntry::new(
                        job.file.display().to_string(),
                        rel_name(&job.rel),
                        run.results,
                    ));
                    kept.push((run.npv, run.payback_years));
                }
                Err(e) => failures.push(format!("{}: {e:#}", job.file.display())),
            }
        }
        if let Some(b) = base_entry {
            let name = entries[b].results.summary.scenario.clone();
            let options: Vec<compare::OptionTrials> = kept
                .iter()
                .map(|(npv, payback_years)| compare::OptionTrials { npv, payback_years })
                .collect();
            let (pairs, choice) = compare::compare_options(&options, b, &name);
            for (e, p) in entries.iter_mut().zip(pairs) {
                e.paired = Some(p);
                e.choice = Some(choice.clone());
            }
        } else if let Some(b) = self.baseline {
            failures.push(format!(
                "--baseline {b}: the baseline did not run, so nothing is compared"
            ));
        }

        write_batch_files(out, &entries, &failures, self.charts, self.lang)?;
        if !self.quiet {
            writeln!(
                std::io::stdout(),
                "{} scenario{} simulated{}; overview: {}",
                entries.len(),
                if entries.len() == 1 { "" } else { "s" },
                if skipped > 0 {
                    format!(", {skipped} abstract base(s) skipped")
                } else {
                    String::new()
                },
                out.join(if self.charts {
                    "index.html"
                } else {
                    "batch_summary.csv"
                })
                .display()
            )?;
        }
        if failures.is_empty() {
            return Ok(());
        }
        eprintln!("{} scenario file(s) failed:", failures.len());
        for f in &failures {
            for line in f.lines() {
                eprintln!("  {}", terminal(line));
            }
        }
        Err(InvalidInput(format!(
            "{} of the batch's scenario files failed",
            failures.len()
        ))
        .into())
    }
}

/// The marker of a batch output directory: the overview files crm-roi
/// wrote there, each after its SHA-256, which the next batch may replace
/// while they hold what was written.
const OVERVIEW_MARKER: &str = ".crm-roi-batch";
const OVERVIEW_MARKER_HEADER: &str = "# crm-roi batch overview, format 2";
/// An earlier version's marker: names only.
const OVERVIEW_MARKER_HEADER_1: &str = "# crm-roi batch overview, format 1";

/// The overview files present in `out` that crm-roi wrote: those listed in
/// its [`OVERVIEW_MARKER`] and unchanged since; without one (an earlier
/// version), all of them if `batch_summary.csv` is ours (its header starts
/// with `path,name,`). Refuses ([`report::Refused`]) when an overview file
/// is present that is not ours.
pub fn overview_files_ours(out: &Path) -> Result<Vec<&'static str>> {
    use crm_roi::report::replace::{Listing, marker_entries, not_ours};
    let listed: Listing = match fs::read_to_string(out.join(OVERVIEW_MARKER)) {
        Ok(text) => marker_entries(&text, &[OVERVIEW_MARKER_HEADER, OVERVIEW_MARKER_HEADER_1])
            .unwrap_or_default(),
        Err(_) => {
            let header = fs::read_to_string(out.join("batch_summary.csv")).unwrap_or_default();
            if header.starts_with("path,name,") {
                OVERVIEW_FILES
                    .iter()
                    .map(|f| (f.to_string(), None))
                    .collect()
            } else {
                Listing::new()
            }
        }
    };
    let present: Vec<&'static str> = OVERVIEW_FILES
        .into_iter()
        .filter(|f| fs::symlink_metadata(out.join(f)).is_ok())
        .collect();
    for f in &present {
        if let Some(why) = not_ours(out, f, &listed)? {
            return Err(report::Refused(format!(
                "{} {why}, so the batch overview does not replace it; move it away or choose another --out",
                out.join(f).display()
            ))
            .into());
        }
    }
    Ok(present)
}

/// Writes the batch outputs, each complete before it replaces an older one.
fn write_batch_files(
    out: &Path,
    entries: &[BatchEntry],
    failures: &[String],
    charts_too: bool,
    lang: crm_roi::lang::Lang,
) -> Result<()> {
    crm_roi::report::create_dir_all(out)?;
    // Checked again: the directory may have changed during the runs.
    let mut ours = overview_files_ours(out)?;
    ours.extend(["batch_summary.csv", "batch_summary.xlsx"]);
    if charts_too {
        ours.push("index.html");
        if !entries.is_empty() {
            ours.extend(["comparison.svg", "comparison.png"]);
        }
    }
    ours.sort_unstable();
    ours.dedup();
    // The marker first, names only: a file it lists that is not there yet
    // is harmless, and one being written is ours by name. Once all are
    // written, it lists each with its SHA-256.
    mark_overview(out, &ours, false)?;
    write_overview(out, entries, failures, charts_too, lang)?;
    mark_overview(out, &ours, true)
}

/// Replaces the overview file `name` of `out` (one that a batch wrote, as
/// [`overview_files_ours`] found) with `bytes`, and its line in the marker.
pub fn rewrite_overview_file(out: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    let ours = overview_files_ours(out)?;
    mark_overview(out, &ours, false)?;
    replace(&out.join(name), bytes)?;
    mark_overview(out, &ours, true)
}

/// Writes the [`OVERVIEW_MARKER`] of `out`, listing the overview files
/// `ours`: by name only (`hashed` false: being written), or each present
/// one after its SHA-256.
fn mark_overview(out: &Path, ours: &[&str], hashed: bool) -> Result<()> {
    use crm_roi::report::replace::{Listing, hash_of, marker_text};
    let listing = ours
        .iter()
        .filter(|f| !hashed || out.join(f).is_file())
        .map(|f| Ok((f.to_string(), hashed.then(|| hash_of(out, f)).transpose()?)))
        .collect::<Result<Listing>>()?;
    let text = marker_text(
        OVERVIEW_MARKER_HEADER,
        ": the batch overview files in this directory,\n# which the next batch into it replaces while they hold what it wrote.",
        &listing,
    );
    replace(&out.join(OVERVIEW_MARKER), text.as_bytes())
}

/// Writes the overview files themselves, each whole or not at all.
fn write_overview(
    out: &Path,
    entries: &[BatchEntry],
    failures: &[String],
    charts_too: bool,
    lang: crm_roi::lang::Lang,
) -> Result<()> {
    let mut csv = Vec::new();
    batch::write_summary_csv(entries, &mut csv)?;
    replace(&out.join("batch_summary.csv"), &csv)?;
    replace(
        &out.join(xlsx::BATCH_XLSX),
        &xlsx::batch_workbook(entries, xlsx::Words::of(lang))?,
    )?;
    if charts_too {
        let svg = if entries.is_empty() {
            String::new()
        } else {
            let svg = charts::comparison_svg(entries, lang)?;
            replace(&out.join("comparison.svg"), svg.as_bytes())?;
            write_atomically(&out.join("comparison.png"), |temp| {
                charts::comparison_png(entries, temp, lang)
            })?;
            svg
        };
        replace(
            &out.join("index.html"),
            batch::index_html_in(entries, failures, &svg, lang).as_bytes(),
        )?;
    }
    Ok(())
}

/// Writes `path` whole or not at all.
fn replace(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomically(path, |temp| Ok(fs::write(temp, bytes)?))
}
