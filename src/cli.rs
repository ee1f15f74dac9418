//! Command-line definitions (clap derive), and nothing else.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Monte Carlo simulation of what a CRM investment returns: payback time,
/// NPV and ROI as distributions, from assumptions stated as distributions.
#[derive(Debug, Parser)]
#[command(name = "crm-roi", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate scenario files and write their results.
    ///
    /// Writes OUT/<scenario name>/ with summary.json, percentiles.csv,
    /// fan.csv and sensitivity.csv, five charts (fan_chart, payback, npv,
    /// tornado, breakdown; SVG and PNG) and report.html (with
    /// --export-trials also trials.csv), and prints a short summary.
    ///
    /// Example: crm-roi run scenarios/midsize-b2b.toml --trials 200000 --seed 7
    Run(RunArgs),
    /// Simulate every scenario under directories and compare them.
    ///
    /// Finds every *.toml below each DIR (sorted; abstract bases skipped),
    /// runs each one into OUT following the input tree
    /// (scenarios/vendors/a.toml → OUT/vendors/a/), and writes
    /// batch_summary.csv, a comparison chart and index.html to OUT. A broken
    /// scenario does not stop the others; the failures are listed at the end
    /// and the exit code is then 2.
    ///
    /// Example: crm-roi batch scenarios --baseline midsize-b2b
    Batch(BatchArgs),
    /// Check scenario files without simulating.
    ///
    /// Takes files or directories (searched recursively for *.toml) and
    /// reports every problem with file, line, field and reason. Exits with 2
    /// when any file is invalid.
    ///
    /// Example: crm-roi validate scenarios
    Validate(ValidateArgs),
    /// Fit distributions to past results in a CSV file.
    ///
    /// For each column of numbers (or each --column), fits normal,
    /// lognormal, gamma, Weibull, uniform, triangular, PERT and, for data
    /// within (0, 1), beta distributions by maximum likelihood, ranks them
    /// by AIC with the Kolmogorov-Smirnov statistic and p-value, and prints
    /// the best fit as a line to paste into a scenario. Draws the data
    /// against the best three fits to OUT/fit/<file name>/<column>.svg and
    /// .png.
    ///
    /// Example: crm-roi fit scenarios/history/rollouts.csv --column hours_saved_per_user
    Fit(FitArgs),
    /// Find the value of one input at which a goal is met (break-even,
    /// goal seek).
    ///
    /// Replaces the input at PATH by a fixed value and searches for the
    /// value at which the goal is met exactly, every candidate seeing the
    /// same simulated futures. Prints the value, the goal's figure there
    /// and the input as the file has it, and writes
    /// OUT/solve/<scenario name>/solve.json.
    ///
    /// Example: crm-roi solve scenarios/midsize-b2b.toml --vary "costs.License and implementation.amount" --goal p_payback=0.8
    Solve(SolveArgs),
    /// Combine the shard files of runs split with --shard into their
    /// results.
    ///
    /// Reads every *.crmshard file in the directories (or the files) given,
    /// checks that the shards of each scenario belong together (same
    /// version, scenario, trials, seed and sampling; every K of N exactly
    /// once), and writes OUT/<scenario name>/ exactly as a one-machine
    /// `run` with the same trials, seed and sampling writes it, byte for
    /// byte. The scenario file is read again from where `run --shard` read
    /// it (relative to the current directory) and must not have changed.
    ///
    /// Example: crm-roi merge shards/ --out output
    Merge(MergeArgs),
    /// Run a scenario over a grid of values of its inputs: a decision table.
    ///
    /// Each --set PATH=V1,V2,... gives the values of one field (a number,
    /// or an inline distribution); the grid is the product of the lists.
    /// Every variant sees the same simulated futures in everything it does
    /// not change. Writes OUT/sweep/<scenario name>/ with sweep.csv (one row
    /// per grid point), a chart (a line for one field, heatmaps for two)
    /// and variants/, one scenario file per grid point that `extends` the
    /// base, to rerun any one alone with `crm-roi run`.
    ///
    /// Example: crm-roi sweep scenarios/midsize-b2b.toml --set costs.Subscription.amount=80,95,110 --set "adoption.max_level=0.6,0.75,0.9"
    Sweep(SweepArgs),
    /// Print the JSON Schema of the scenario format.
    ///
    /// Derived from the program's own definition of a scenario file, with
    /// every field's description, unit and default. Editors complete and
    /// check scenario files with it: the bundled scenarios point to the
    /// committed copy, docs/scenario.schema.json, with a first line
    /// `#:schema ../docs/scenario.schema.json` (Taplo, VS Code's Even
    /// Better TOML; see docs/scenario-format.md "Editor support").
    ///
    /// Example: crm-roi schema > scenario.schema.json
    Schema,
    /// Print a completion script for a shell.
    ///
    /// Example: crm-roi completions bash > ~/.local/share/bash-completion/completions/crm-roi
    Completions(CompletionsArgs),
    /// Print the manual page (roff), of crm-roi or of one command.
    ///
    /// Example: crm-roi man > crm-roi.1 && man ./crm-roi.1
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// A command, for its own page (crm-roi-run(1)) [default: the page of
    /// crm-roi, which lists the commands].
    ///
    /// Example: crm-roi man run
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
}

/// Which share of a run or batch this process runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShardArg {
    /// Shard K of N (1-based).
    Fixed(u64, u64),
    /// From the scheduler's environment (Slurm array, Kubernetes Indexed Job).
    Auto,
}

/// `K/N` with 1 <= K <= N, or `auto`.
fn parse_shard(s: &str) -> Result<ShardArg, String> {
    if s == "auto" {
        return Ok(ShardArg::Auto);
    }
    let usage = || format!("`{s}` is not K/N (for example 2/8) or auto");
    let (k, n) = s.split_once('/').ok_or_else(usage)?;
    let (k, n): (u64, u64) = (
        k.trim().parse().map_err(|_| usage())?,
        n.trim().parse().map_err(|_| usage())?,
    );
    if n == 0 || n > MAX_SHARDS {
        return Err(format!("N must be between 1 and {MAX_SHARDS} (got {s})"));
    }
    if !(1..=n).contains(&k) {
        return Err(format!(
            "K must be between 1 and N (got {s}); shards count from 1"
        ));
    }
    Ok(ShardArg::Fixed(k, n))
}

/// The most shards a run may be split into.
pub use crm_roi::shard::MAX_SHARDS;

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Directories holding shard files (*.crmshard), or shard files.
    #[arg(required = true, value_name = "SHARDS")]
    pub paths: Vec<PathBuf>,

    /// Directory for results: each scenario writes DIR/NAME/, replacing
    /// only a directory that crm-roi wrote.
    #[arg(short, long, value_name = "DIR", default_value = "output")]
    pub out: PathBuf,

    /// Write only the numbers: no charts, no report.html.
    #[arg(long)]
    pub no_charts: bool,

    /// Language of report.html, index.html, the charts, the workbooks and
    /// the printed summary: en (English) or nl (Dutch: 1.234,5; € 210k).
    /// CSV files and summary.json are the same in every language.
    ///
    /// Example: --lang nl
    #[arg(long, value_enum, value_name = "LANG", default_value = "en")]
    pub lang: LangArg,

    /// The run date to show on report.html and results.xlsx and to record
    /// in summary.json: YYYY-MM-DD, or `today` (in the local time zone).
    /// Without it the outputs carry no date, so that the same scenario,
    /// seed and version give the same bytes on any day.
    ///
    /// Example: --date today
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub date: Option<jiff::civil::Date>,

    /// Print nothing but errors.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct SweepArgs {
    /// A scenario file (TOML).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// A field and its values: PATH=V1,V2,... (repeat for a grid). PATH is
    /// an input path (docs/scenario-format.md "Input paths"), a shock's
    /// per-occurrence field, horizon_years, finance.target_payback_years or
    /// a cost's at_month, start_month or end_month. A value is a number or
    /// an inline distribution; commas inside brackets and braces do not
    /// separate values. At most 10,000 grid points.
    ///
    /// Example: --set "costs.License and implementation.amount=80000,{ pert = [60000, 90000, 160000] }"
    #[arg(
        long = "set",
        value_name = "PATH=V1,V2,...",
        required = true,
        allow_hyphen_values = true
    )]
    pub sets: Vec<String>,

    /// Trials per variant [default: the file's [simulation] trials, else 100000].
    ///
    /// Example: --trials 20000
    #[arg(short = 'n', long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=crm_roi::config::MAX_TRIALS))]
    pub trials: Option<u64>,

    /// Random seed [default: the file's [simulation] seed, else 1].
    #[arg(short, long, value_name = "S")]
    pub seed: Option<u64>,

    /// Sampling method [default: the file's, else monte-carlo].
    #[arg(long, value_enum, value_name = "METHOD")]
    pub sampling: Option<SamplingArg>,

    /// Directory for results: writes DIR/sweep/<scenario name>/, replacing
    /// only a directory that crm-roi wrote.
    #[arg(short, long, value_name = "DIR", default_value = "output")]
    pub out: PathBuf,

    /// Write only sweep.csv and the variants: no chart. (With --shard,
    /// give it to `merge`.)
    #[arg(long, conflicts_with = "shard")]
    pub no_charts: bool,

    /// Language of the chart, sweep.xlsx and the printed summary: en
    /// (English) or nl (Dutch: 1.234,5; € 210k). sweep.csv is the same in
    /// every language. (With --shard, give it to `merge`.)
    ///
    /// Example: --lang nl
    #[arg(
        long,
        value_enum,
        value_name = "LANG",
        default_value = "en",
        conflicts_with = "shard"
    )]
    pub lang: LangArg,

    /// Print nothing but errors.
    #[arg(short, long)]
    pub quiet: bool,

    /// Treat warnings about likely mistakes (in the file or a variant) as errors.
    #[arg(long)]
    pub strict: bool,

    /// Run only shard K of N of the grid's variants and write their rows to
    /// OUT/sweep.K-of-N.crmsweep; `crm-roi merge OUT` writes the sweep's
    /// directory as one machine would. `auto`: from a Slurm array or a
    /// Kubernetes Indexed Job (see docs/scale-out.md).
    ///
    /// Example: --shard 3/8
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    pub shard: Option<ShardArg>,

    /// N for `--shard auto` under Kubernetes.
    #[arg(long, value_name = "N", requires = "shard", value_parser = clap::value_parser!(u64).range(1..=MAX_SHARDS))]
    pub shards: Option<u64>,
}

#[derive(Debug, Args)]
pub struct SolveArgs {
    /// A scenario file (TOML).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The input to vary: a per-trial input path, as in
    /// docs/scenario-format.md "Input paths".
    ///
    /// Example: --vary "benefits.Time saved.hours_saved_per_month"
    #[arg(long, value_name = "PATH")]
    pub vary: String,

    /// The goal: p_payback=P (P(payback within the file's target) = P),
    /// p_npv_positive=P, median_npv=AMOUNT or median_payback=YEARS.
    ///
    /// Example: --goal p_payback=0.8
    #[arg(long, value_name = "GOAL", value_parser = parse_goal, allow_hyphen_values = true)]
    pub goal: crm_roi::solve::Goal,

    /// Search only between LO and HI [default: the input's own range
    /// (P0.1 to P99.9, widened by half on each side; for a fixed value x,
    /// 0 to 2x), grown up to 10 times towards the goal].
    ///
    /// Example: --between 50000 200000
    #[arg(long, num_args = 2, value_names = ["LO", "HI"], allow_negative_numbers = true)]
    pub between: Option<Vec<f64>>,

    /// Trials per simulation (a solve runs up to 47 simulations).
    ///
    /// Example: --trials 100000
    #[arg(short = 'n', long, value_name = "N", default_value_t = 20_000, value_parser = clap::value_parser!(u64).range(1..=crm_roi::solve::MAX_TRIALS))]
    pub trials: u64,

    /// Random seed [default: the file's [simulation] seed, else 1].
    #[arg(short, long, value_name = "S")]
    pub seed: Option<u64>,

    /// Sampling method [default: the file's, else monte-carlo].
    #[arg(long, value_enum, value_name = "METHOD")]
    pub sampling: Option<SamplingArg>,

    /// Directory for results: writes DIR/solve/<scenario name>/solve.json,
    /// replacing only a directory that crm-roi wrote.
    #[arg(short, long, value_name = "DIR", default_value = "output")]
    pub out: PathBuf,

    /// Print nothing but errors.
    #[arg(short, long)]
    pub quiet: bool,

    /// Treat warnings about likely mistakes as errors.
    #[arg(long)]
    pub strict: bool,
}

fn parse_goal(s: &str) -> Result<crm_roi::solve::Goal, String> {
    s.parse()
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario files (TOML).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    #[command(flatten)]
    pub sim: SimArgs,
}

#[derive(Debug, Args)]
pub struct BatchArgs {
    /// Directories (searched recursively) or scenario files.
    #[arg(required = true, value_name = "DIR")]
    pub dirs: Vec<PathBuf>,

    /// Compare every scenario with this one, trial by trial: its `name`, or
    /// its path below DIR without .toml (e.g. vendors/a).
    ///
    /// Example: --baseline vendor-a
    #[arg(long, value_name = "NAME")]
    pub baseline: Option<String>,

    #[command(flatten)]
    pub sim: SimArgs,
}

/// Options shared by `run` and `batch`.
#[derive(Debug, Args)]
pub struct SimArgs {
    /// Number of trials [default: the file's [simulation] trials, else 100000].
    ///
    /// Example: --trials 1000000
    #[arg(short = 'n', long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=crm_roi::config::MAX_TRIALS))]
    pub trials: Option<u64>,

    /// Random seed [default: the file's [simulation] seed, else 1]. The same
    /// scenario, seed, trials and version give byte-identical results.
    ///
    /// Example: --seed 42
    #[arg(short, long, value_name = "S")]
    pub seed: Option<u64>,

    /// Sampling method [default: the file's, else monte-carlo].
    ///
    /// latin-hypercube stratifies every input into equal-probability strata,
    /// which tightens estimates of means for the same number of trials.
    #[arg(long, value_enum, value_name = "METHOD")]
    pub sampling: Option<SamplingArg>,

    /// Run until the estimates are this precise, with the trial count
    /// (--trials, else the file's, else 100000) as a ceiling.
    ///
    /// Runs rounds of 10,000, 20,000, 40,000, ... trials (each a complete
    /// run; only the last is written) until the 95% intervals of mean NPV and
    /// of median payback are within ±REL of them, and that of P(payback
    /// within target) within ±0.005. REL is relative, between 0 and 1.
    ///
    /// Example: --precision 0.01 --trials 1000000
    #[arg(long, value_name = "REL", value_parser = parse_precision, allow_negative_numbers = true)]
    pub precision: Option<f64>,

    /// Directory for results: each scenario writes DIR/NAME/, replacing
    /// only a directory that crm-roi wrote (anything else there makes the
    /// run refuse, exit code 2).
    ///
    /// Example: --out results/2027-budget
    #[arg(short, long, value_name = "DIR", default_value = "output")]
    pub out: PathBuf,

    /// Also write trials.csv: every trial's input draws and outputs.
    #[arg(long)]
    pub export_trials: bool,

    /// Set one field for this run without editing the file: PATH=VALUE
    /// (repeat for several). PATH is an input path (docs/scenario-format.md
    /// "Input paths"), a shock's per-occurrence field, horizon_years,
    /// finance.target_payback_years or a cost's at_month, start_month or
    /// end_month; VALUE is a number or an inline distribution. The values
    /// are checked as the file's are, and recorded in summary.json (`set`).
    ///
    /// Example: --set "adoption.max_level={ pert = [0.5, 0.7, 0.9] }"
    #[arg(
        long = "set",
        value_name = "PATH=VALUE",
        allow_hyphen_values = true,
        conflicts_with = "shard"
    )]
    pub sets: Vec<String>,

    /// Run only shard K of N of each scenario (contiguous ranges of trials)
    /// and write a shard file OUT/NAME.K-of-N.crmshard instead of results;
    /// `crm-roi merge` combines the N shards into the results one process
    /// would write. `auto` takes K and N from a Slurm array job
    /// (SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_MIN, SLURM_ARRAY_TASK_COUNT)
    /// or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX, with --shards N).
    /// See docs/scale-out.md.
    ///
    /// Example: --shard 3/8
    #[arg(long, value_name = "K/N", value_parser = parse_shard, conflicts_with = "precision")]
    pub shard: Option<ShardArg>,

    /// N for `--shard auto` under Kubernetes (JOB_COMPLETION_INDEX gives K
    /// only).
    #[arg(long, value_name = "N", requires = "shard", value_parser = clap::value_parser!(u64).range(1..=MAX_SHARDS))]
    pub shards: Option<u64>,

    /// Write only the numbers: no charts, no report.html. (With --shard,
    /// give it to `merge`, which writes the results.)
    #[arg(long, conflicts_with = "shard")]
    pub no_charts: bool,

    /// Language of report.html, index.html, the charts, the workbooks and
    /// the printed summary: en (English) or nl (Dutch: 1.234,5; € 210k).
    /// CSV files and summary.json are the same in every language. (With
    /// --shard, give it to `merge`.)
    ///
    /// Example: --lang nl
    #[arg(
        long,
        value_enum,
        value_name = "LANG",
        default_value = "en",
        conflicts_with = "shard"
    )]
    pub lang: LangArg,

    /// The run date to show on report.html and results.xlsx and to record
    /// in summary.json: YYYY-MM-DD, or `today` (in the local time zone).
    /// Without it the outputs carry no date, so that the same scenario,
    /// seed and version give the same bytes on any day. (With --shard,
    /// give it to `merge`.)
    ///
    /// Example: --date today
    #[arg(long, value_name = "DATE", value_parser = parse_date, conflicts_with = "shard")]
    pub date: Option<jiff::civil::Date>,

    /// Print nothing but errors (no progress bar, no summary, no warnings).
    #[arg(short, long)]
    pub quiet: bool,
    /// Treat warnings about likely mistakes (a rate above 1, a 90% range
    /// wider than a factor of 1000, ...) as errors.
    #[arg(long)]
    pub strict: bool,
}

/// A relative precision: a number strictly between 0 and 1.
fn parse_precision(s: &str) -> Result<f64, String> {
    let x: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a number; give a fraction such as 0.01 for 1%"))?;
    if x > 0.0 && x < 1.0 {
        Ok(x)
    } else {
        Err(format!(
            "must be greater than 0 and less than 1 (got {s}); give a fraction such as 0.01 for 1%"
        ))
    }
}

#[derive(Debug, Args)]
pub struct FitArgs {
    /// A CSV file with a header row naming its columns (comma, semicolon or
    /// tab separated).
    #[arg(value_name = "DATA.csv")]
    pub data: PathBuf,
    /// A column to fit (repeat for several) [default: every column of
    /// numbers only].
    ///
    /// Example: --column hours_saved_per_user
    #[arg(short, long = "column", value_name = "NAME")]
    pub columns: Vec<String>,
    /// A family to try (repeat for several) [default: all]: normal,
    /// lognormal, gamma, weibull, uniform, triangular, pert, beta.
    ///
    /// Example: --family lognormal --family gamma
    #[arg(short, long = "family", value_name = "F", value_parser = parse_family)]
    pub families: Vec<crm_roi::fit::FitFamily>,
    /// The scenario file the lines are for: the path of the data in the
    /// empirical line is then written relative to its folder, as that
    /// scenario reads it [default: an absolute path]. The file need not
    /// exist yet; its folder must.
    ///
    /// Example: --scenario scenarios/from-history.toml
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<PathBuf>,
    /// Print the results as JSON instead of tables.
    #[arg(long)]
    pub json: bool,
    /// Directory for the charts (under OUT/fit/).
    #[arg(short, long, value_name = "DIR", default_value = "output")]
    pub out: PathBuf,
    /// Draw no charts.
    #[arg(long)]
    pub no_charts: bool,
}

fn parse_family(s: &str) -> Result<crm_roi::fit::FitFamily, String> {
    crm_roi::fit::FitFamily::from_name(s).ok_or_else(|| {
        format!(
            "unknown family `{s}`; choose from {}",
            crm_roi::fit::FitFamily::ALL
                .iter()
                .map(|f| f.name())
                .collect::<Vec<_>>()
                .join(", ")
        )
    })
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Scenario files or directories.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Treat warnings about likely mistakes as errors.
    #[arg(long)]
    pub strict: bool,
    /// Also list each input of each scenario with its P10, P50 and P90 and
    /// its unit, so that a value off by a factor of 1000 shows at a glance.
    #[arg(long)]
    pub inputs: bool,
}

/// `--date`: `today` in the local time zone, or an ISO date that a
/// spreadsheet can show (years 1900 to 9999).
fn parse_date(s: &str) -> Result<jiff::civil::Date, String> {
    let date = if s.eq_ignore_ascii_case("today") {
        jiff::Zoned::now().date()
    } else {
        // Exactly YYYY-MM-DD: jiff also reads 20260228 and date-times,
        // which a finance user did not mean as a report date.
        let iso = s.len() == 10
            && s.bytes().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            });
        if !iso {
            return Err(format!(
                "{s:?} is not a date as YYYY-MM-DD (2026-12-31), nor `today`"
            ));
        }
        s.parse::<jiff::civil::Date>()
            .map_err(|e| format!("not a date as YYYY-MM-DD, nor `today`: {e}"))?
    };
    if !(1900..=9999).contains(&date.year()) {
        return Err(format!(
            "{date}: the year must be from 1900 to 9999 (a date a spreadsheet can hold)"
        ));
    }
    Ok(date)
}

/// A language of the outputs people read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// English.
    En,
    /// Dutch.
    Nl,
}

impl From<LangArg> for crm_roi::lang::Lang {
    fn from(a: LangArg) -> Self {
        match a {
            LangArg::En => crm_roi::lang::Lang::En,
            LangArg::Nl => crm_roi::lang::Lang::Nl,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SamplingArg {
    MonteCarlo,
    LatinHypercube,
}

impl From<SamplingArg> for crm_roi::Method {
    fn from(a: SamplingArg) -> Self {
        match a {
            SamplingArg::MonteCarlo => crm_roi::Method::MonteCarlo,
            SamplingArg::LatinHypercube => crm_roi::Method::LatinHypercube,
        }
    }
}

impl From<crm_roi::Method> for SamplingArg {
    fn from(m: crm_roi::Method) -> Self {
        match m {
            crm_roi::Method::LatinHypercube => SamplingArg::LatinHypercube,
            _ => SamplingArg::MonteCarlo,
        }
    }
}
