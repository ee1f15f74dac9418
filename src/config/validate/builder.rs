//! The state of one validation and the checks every section shares: a
//! quantity against the values its field admits, the per-trial inputs in
//! file order, item names and months. Each error is recorded with the
//! file, line, column and field path where it arises, and validation goes
//! on, so that one run reports every problem of a file.

use super::diagnostics::{column_of, error_at, line_of};
use crate::config::raw::RawQuantity;
use crate::config::{InputDef, ScenarioError, quantity};
use crate::dist::{Family, Quantity};
use crate::model::Input;
use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;
use toml::Spanned;

/// The values a field admits; a quantity's whole support must lie inside.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Allowed {
    Any,
    NonNegative,
    Unit,
    UnitBelowOne,
    AboveMinusOne,
}

impl Allowed {
    fn describe(self) -> &'static str {
        match self {
            Allowed::Any => "a number",
            Allowed::NonNegative => ">= 0",
            Allowed::Unit => "within [0, 1]",
            Allowed::UnitBelowOne => "within [0, 1)",
            Allowed::AboveMinusOne => "> -1",
        }
    }

    /// Whether values in [lo, hi] are allowed; for a continuous distribution
    /// an open end of the range may touch its support's end (probability 0).
    fn admits(self, lo: f64, hi: f64, continuous: bool) -> bool {
        match self {
            Allowed::Any => true,
            Allowed::NonNegative => lo >= 0.0,
            Allowed::Unit => lo >= 0.0 && hi <= 1.0,
            Allowed::UnitBelowOne => lo >= 0.0 && (hi < 1.0 || (continuous && hi <= 1.0)),
            Allowed::AboveMinusOne => lo > -1.0,
        }
    }

    /// The least and greatest fixed value admitted.
    fn range(self) -> [f64; 2] {
        use crate::config::MAX_MAGNITUDE as M;
        match self {
            Allowed::Any => [-M, M],
            Allowed::NonNegative => [0.0, M],
            Allowed::Unit => [0.0, 1.0],
            Allowed::UnitBelowOne => [0.0, 1.0 - f64::EPSILON / 2.0],
            Allowed::AboveMinusOne => [-1.0 + f64::EPSILON / 2.0, M],
        }
    }

    fn is_rate(self) -> bool {
        matches!(self, Allowed::Unit | Allowed::UnitBelowOne)
    }
}

pub(super) struct Builder<'a> {
    pub(super) text: &'a str,
    pub(super) file: &'a Path,
    pub(super) errors: Vec<ScenarioError>,
    pub(super) inputs: Vec<InputDef>,
    /// The line and column of each input, where the file writes it.
    pub(super) input_lines: Vec<Option<(usize, usize)>>,
    /// Field paths already reported, so that nothing refers back to them
    /// with a follow-on error.
    pub(super) failed: HashSet<String>,
}

impl<'a> Builder<'a> {
    pub(super) fn error(
        &mut self,
        span: Option<Range<usize>>,
        path: &str,
        message: impl Into<String>,
    ) {
        self.failed.insert(path.to_string());
        self.errors
            .push(error_at(self.file, self.text, span, path, message));
    }

    /// Parses a quantity and checks it against the field's allowed values.
    /// On error, records it and returns a placeholder.
    pub(super) fn parse_quantity(
        &mut self,
        raw: &RawQuantity,
        path: &str,
        allowed: Allowed,
    ) -> Quantity {
        let span = raw.span();
        let dir = self.file.parent().unwrap_or(Path::new("."));
        let q = match quantity::parse(raw.get_ref(), dir) {
            Ok(q) => q,
            Err(msg) => {
                self.error(Some(span), path, msg);
                return Quantity::Fixed(0.0);
            }
        };
        let (lo, hi) = q.support();
        let continuous = match &q {
            Quantity::Fixed(_) => false,
            Quantity::Random(d) => {
                !matches!(d.family(), Family::Discrete(_) | Family::Empirical(_))
            }
        };
        if !allowed.admits(lo, hi, continuous) {
            let msg = match &q {
                Quantity::Fixed(x) => {
                    let mut m = format!("must be {} (got {x})", allowed.describe());
                    if allowed.is_rate() && *x >= 2.0 && *x <= 100.0 {
                        m.push_str(&format!(
                            "; rates are fractions: did you mean {}?",
                            x / 100.0
                        ));
                    }
                    m
                }
                Quantity::Random(d) => format!(
                    "must be {}, but {} can take values from {lo} to {hi}; truncate it with `min`/`max` or choose a bounded distribution",
                    allowed.describe(),
                    d.describe()
                ),
            };
            self.error(Some(span), path, msg);
            return Quantity::Fixed(0.0);
        }
        q
    }

    /// Registers a per-trial input; `default` applies when the file omits it.
    pub(super) fn input(
        &mut self,
        raw: Option<&RawQuantity>,
        path: String,
        default: f64,
        allowed: Allowed,
    ) -> Input {
        let (quantity, declared) = match raw {
            Some(r) => (self.parse_quantity(r, &path, allowed), true),
            None => (Quantity::Fixed(default), false),
        };
        self.input_lines.push(raw.map(|r| {
            let start = r.span().start;
            (line_of(self.text, start), column_of(self.text, start))
        }));
        self.inputs.push(InputDef {
            path,
            quantity,
            declared,
            range: allowed.range(),
        });
        Input(self.inputs.len() - 1)
    }

    /// Checks an item name: present, no '.', unique in its section.
    pub(super) fn item_name(
        &mut self,
        section: &str,
        index: usize,
        name: &Spanned<String>,
        seen: &mut HashSet<String>,
    ) -> String {
        let n = name.get_ref().clone();
        let here = format!("{section}[{}]", index + 1);
        if n.trim().is_empty() {
            self.error(Some(name.span()), &here, "name must not be empty");
        } else if n.contains('.') {
            self.error(
                Some(name.span()),
                &here,
                format!(
                    "name `{n}` must not contain '.', which separates the parts of input paths"
                ),
            );
        } else if !seen.insert(n.clone()) {
            self.error(
                Some(name.span()),
                &here,
                format!("name `{n}` is used twice in [[{section}]]; names must be unique in their section"),
            );
        }
        n
    }

    pub(super) fn month(&mut self, v: &Spanned<i64>, path: &str, max: usize) -> usize {
        let m = *v.get_ref();
        if m < 0 || m > max as i64 {
            self.error(
                Some(v.span()),
                path,
                format!("must be a month in 0..={max} (got {m})"),
            );
            return 0;
        }
        m as usize
    }
}
