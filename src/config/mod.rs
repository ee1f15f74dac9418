//! Scenario files: parse, then validate into typed values.
//!
//! Two stages, as in ripgrep's low-level and high-level arguments: `raw`
//! holds what the user wrote (serde, every key checked), `validate` turns it
//! into a [`Scenario`] of typed quantities and the cash-flow `Model`.
//! Nothing downstream sees TOML. Every problem becomes a [`ScenarioError`]
//! naming the file, the line, the field path and the reason; validation
//! reports all problems of a file, not only the first.

pub mod extends;
mod files;
pub mod history;
mod locate;
mod quantity;
mod raw;
mod schema;
pub mod set;
mod suggest;
mod units;
mod validate;
mod warnings;

use crate::dist::Quantity;
use crate::model::{Hits, Input, Model};
use crate::sampling::copula::Group;
use crate::sampling::{Method, ShockDraws};
use std::fmt;
use std::path::{Path, PathBuf};

pub use quantity::{FAMILIES, MAX_MAGNITUDE};
pub use schema::{quantity_fields, scenario_schema, scenario_schema_text};
pub use units::unit;

/// Parses one quantity as a scenario file writes it (`{ pert = [1, 2, 4] }`,
/// `7`), by the rules of a field that takes any number; a relative
/// empirical `file` is read from `dir`. `fit` checks every line it
/// suggests with it.
pub fn parse_quantity(text: &str, dir: &Path) -> Result<Quantity, String> {
    let line = format!("x = {text}");
    locate::refuse_underflow(&line)?;
    let table: toml::Table = toml::from_str(&line).map_err(|e| e.message().to_string())?;
    quantity::parse(&table["x"], dir)
}

/// The known name closest to a misspelt `word`, if one is close (the
/// rule of "did you mean" for misspelt keys).
pub fn closest_name<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    suggest::closest(word, known)
}

/// Default number of trials when neither the file nor the command line says.
pub const DEFAULT_TRIALS: u64 = 100_000;
/// The most trials a run may ask for (the command line enforces it too).
pub const MAX_TRIALS: u64 = 1_000_000_000;
/// The longest scenario `name`, in bytes: results go to a directory named
/// after it, and a file name has at most 255 bytes, of which the temporary
/// directory beside it needs up to 27 more.
pub const MAX_NAME_BYTES: usize = 200;
/// Default seed: runs are reproducible unless the seed changes.
pub const DEFAULT_SEED: u64 = 1;

/// One problem in a scenario file.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ScenarioError {
    pub file: PathBuf,
    /// 1-based line, where the file has one for the problem.
    pub line: Option<usize>,
    /// 1-based column (in characters) on that line, where known.
    pub column: Option<usize>,
    /// Field path such as `costs.Subscription.amount`; empty for the file as a whole.
    pub path: String,
    pub message: String,
    /// Byte range of the offending text in the file, where known (for
    /// showing the source with the span underlined).
    pub span: Option<std::ops::Range<usize>>,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
            if let Some(c) = self.column {
                write!(f, ":{c}")?;
            }
        }
        if !self.path.is_empty() {
            write!(f, ": {}", self.path)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// All problems found in one scenario file.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioErrors(pub Vec<ScenarioError>);

impl fmt::Display for ScenarioErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioErrors {}

/// A per-trial input quantity and its path (`costs.Subscription.amount`).
#[derive(Debug, Clone)]
pub struct InputDef {
    pub path: String,
    pub quantity: Quantity,
    /// False for defaults the file did not write (e.g. `adoption.go_live_month = 0`).
    pub declared: bool,
    /// The least and greatest fixed value the field admits (a field
    /// without limits: ±[`MAX_MAGNITUDE`]; an open end such as `> -1`:
    /// the nearest number inside). `solve` searches within it.
    pub range: [f64; 2],
}

/// A shock: its yearly probability is a per-trial input; loss, duration
/// and cost are drawn anew for each occurrence.
#[derive(Debug, Clone)]
pub struct ShockDef {
    pub name: String,
    /// `shocks.NAME`, the key of its random stream.
    pub path: String,
    pub probability_per_year: Input,
    /// `revenue_loss` or `benefit_loss`, as `hits` says.
    pub loss: Quantity,
    pub hits: Hits,
    /// `None`: permanent.
    pub duration_months: Option<Quantity>,
    /// `None`: the shock costs nothing.
    pub cost: Option<Quantity>,
}

impl ShockDef {
    /// The field name of its loss: `revenue_loss` or `benefit_loss`.
    pub fn loss_field(&self) -> &'static str {
        match self.hits {
            Hits::Revenue => "revenue_loss",
            Hits::Benefits => "benefit_loss",
        }
    }

    /// What each occurrence draws, for the sampler.
    pub fn draws(&self) -> ShockDraws {
        ShockDraws {
            loss: self.loss.clone(),
            hits: self.hits,
            duration: self.duration_months.clone(),
            cost: self.cost.clone(),
        }
    }

    /// The quantities drawn per occurrence, with their field names.
    pub fn per_occurrence(&self) -> impl Iterator<Item = (&'static str, &Quantity)> {
        [
            Some((self.loss_field(), &self.loss)),
            self.duration_months
                .as_ref()
                .map(|d| ("duration_months", d)),
            self.cost.as_ref().map(|c| ("cost", c)),
        ]
        .into_iter()
        .flatten()
    }
}

/// A rank correlation between two inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct Correlation {
    pub a: Input,
    pub b: Input,
    pub rank: f64,
}

/// Settings a scenario may carry in `[simulation]`.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct SimulationSettings {
    pub trials: Option<u64>,
    pub seed: Option<u64>,
    pub sampling: Option<Method>,
}

/// A validated scenario.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub file: PathBuf,
    pub name: String,
    pub description: Option<String>,
    pub currency: Option<String>,
    pub horizon_years: u32,
    /// "We want the investment back within N years"; optional.
    pub target_payback_years: Option<f64>,
    pub simulation: SimulationSettings,
    /// Every per-trial input quantity, in file order.
    pub inputs: Vec<InputDef>,
    pub shocks: Vec<ShockDef>,
    pub correlations: Vec<Correlation>,
    /// Copula groups over `inputs`.
    pub groups: Vec<Group>,
    pub model: Model,
    /// Likely mistakes that do not stop a run (see `warnings`); errors
    /// under `--strict`.
    pub warnings: Vec<ScenarioError>,
    /// The fields set on the command line (`--set PATH=VALUE`,
    /// [`set::load_with`]), in the order given; empty for a file as it is.
    pub set: Vec<set::SetField>,
}

impl Scenario {
    /// Parses and validates scenario text; `file` names it in errors and
    /// gives the default name (its stem). (Not `FromStr`: it needs the
    /// file, for error messages and for paths relative to it.)
    pub fn from_toml(text: &str, file: &Path) -> Result<Scenario, ScenarioErrors> {
        validate::parse_and_validate(text, file)
    }

    /// Reads a scenario file, applies its bases (`extends`), then parses
    /// and validates it. An abstract base is an error: it is not meant to
    /// run alone.
    pub fn load(file: &Path) -> Result<Scenario, ScenarioErrors> {
        Self::load_unless_abstract(file)?.ok_or_else(|| {
            ScenarioErrors(vec![ScenarioError {
                file: file.to_path_buf(),
                line: None,
                path: "abstract".into(),
                message: "this is an abstract base (abstract = true), not a scenario to run; run a scenario that extends it".into(),
                span: None,
                column: None,
            }])
        })
    }

    /// Like [`Scenario::load`], but `None` for an abstract base, which is
    /// then not validated (a base may leave out what its variants add).
    pub fn load_unless_abstract(file: &Path) -> Result<Option<Scenario>, ScenarioErrors> {
        let resolved = extends::resolve(file)?;
        if resolved.is_abstract {
            return Ok(None);
        }
        validate::parse_and_validate_as(&resolved.text, file, resolved.merged)
            .map(|mut s| {
                if resolved.merged {
                    s.warnings.iter_mut().for_each(|w| {
                        w.line = None;
                        w.column = None;
                        w.span = None;
                    });
                }
                Some(s)
            })
            .map_err(|mut e| {
                if resolved.merged {
                    // Lines of the merged text are not lines of the user's file.
                    for err in &mut e.0 {
                        err.line = None;
                        err.column = None;
                        err.span = None;
                    }
                }
                e
            })
    }

    /// T, the horizon in months.
    pub fn months(&self) -> usize {
        self.model.months
    }

    /// Every input at its median (the value for u = 0.5): what a
    /// single-number spreadsheet would assume. Indexed like `inputs`.
    pub fn median_inputs(&self) -> Vec<f64> {
        self.inputs.iter().map(|i| i.quantity.value(0.5)).collect()
    }

    /// Index of the input with this path.
    pub fn input(&self, path: &str) -> Option<Input> {
        self.inputs.iter().position(|i| i.path == path).map(Input)
    }

    /// The input path closest to a misspelt `path`, if one is close
    /// (Damerau-Levenshtein distance, as for misspelt keys).
    pub fn closest_input(&self, path: &str) -> Option<&str> {
        suggest::closest(path, self.inputs.iter().map(|i| i.path.as_str()))
    }

    /// The end of an "unknown path" message: "; did you mean `X`?" with a
    /// close name, else "; its inputs are `A`, `B`, ...".
    pub fn path_hint(&self, closest: Option<&str>) -> String {
        match closest {
            Some(k) => format!("; did you mean `{k}`?"),
            None => format!(
                "; its inputs are {}",
                self.inputs
                    .iter()
                    .map(|i| format!("`{}`", i.path))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}
