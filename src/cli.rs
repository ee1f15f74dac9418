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
    /// Check scenario files without simulating.
    ///
    /// Takes files or directories (searched recursively for *.toml) and
    /// reports every problem with file, line, field and reason. Exits with 2
    /// when any file is invalid.
    ///
    /// Example: crm-roi validate scenarios
    Validate(ValidateArgs),
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario files (TOML).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

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

    /// Directory for results; each scenario writes OUT/<name>/.
    ///
    /// Example: --out results/2027-budget
    #[arg(short, long, value_name = "DIR", default_value = "output")]
    pub out: PathBuf,

    /// Also write trials.csv: every trial's input draws and outputs.
    #[arg(long)]
    pub export_trials: bool,

    /// Write only the numbers: no charts, no report.html.
    #[arg(long)]
    pub no_charts: bool,

    /// Print nothing but errors (no progress bar, no summary).
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Scenario files or directories.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SamplingArg {
    MonteCarlo,
    LatinHypercube,
}
