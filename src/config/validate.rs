//! From the raw file to a typed [`Scenario`]: every rule of the model
//! contract that a file can break is checked here, and every broken rule is
//! reported with file, line, field path and reason. Validation goes on after
//! a problem so that one run shows all of them.

use super::raw::{RawBenefit, RawCost, RawQuantity, RawScenario};
use super::{
    Correlation, InputDef, MAX_TRIALS, Scenario, ScenarioError, ScenarioErrors, ShockDef,
    SimulationSettings,
};
use super::{locate, quantity, suggest};
use crate::dist::{Family, Quantity};
use crate::model::{Adoption, Benefit, BenefitKind, Business, Cost, Input, Model, Schedule};
use crate::sampling::Method;
use crate::sampling::copula::build_groups;
use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;
use toml::Spanned;

/// The values a field admits; a quantity's whole support must lie inside.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Allowed {
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

    fn is_rate(self) -> bool {
        matches!(self, Allowed::Unit | Allowed::UnitBelowOne)
    }
}

struct Builder<'a> {
    text: &'a str,
    file: &'a Path,
    errors: Vec<ScenarioError>,
    inputs: Vec<InputDef>,
    /// The line and column of each input, where the file writes it.
    input_lines: Vec<Option<(usize, usize)>>,
    /// Field paths already reported, so that nothing refers back to them
    /// with a follow-on error.
    failed: HashSet<String>,
}

impl<'a> Builder<'a> {
    fn line(&self, span: &Range<usize>) -> usize {
        line_of(self.text, span.start)
    }

    fn error(&mut self, span: Option<Range<usize>>, path: &str, message: impl Into<String>) {
        let line = span.as_ref().map(|s| self.line(s));
        let column = span.as_ref().map(|s| column_of(self.text, s.start));
        self.failed.insert(path.to_string());
        self.errors.push(ScenarioError {
            file: self.file.to_path_buf(),
            line,
            column,
            path: path.to_string(),
            message: message.into(),
            span,
        });
    }

    /// Parses a quantity and checks it against the field's allowed values.
    /// On error, records it and returns a placeholder.
    fn parse_quantity(&mut self, raw: &RawQuantity, path: &str, allowed: Allowed) -> Quantity {
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
    fn input(
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
        });
        Input(self.inputs.len() - 1)
    }

    /// Checks an item name: present, no '.', unique in its section.
    fn item_name(
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

    fn month(&mut self, v: &Spanned<i64>, path: &str, max: usize) -> usize {
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

/// 1-based column, in characters, of byte `offset` in `text`.
fn column_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    let start = text[..end].rfind('\n').map_or(0, |i| i + 1);
    text.get(start..end).map_or(1, |s| s.chars().count() + 1)
}

/// The 1-based line of byte `offset`.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Serde names Rust types in its messages; analysts read numbers.
fn plain_type_names(message: &str) -> String {
    message
        .replace("expected i64", "expected a whole number")
        .replace("expected f64", "expected a number")
        .replace("expected a sequence", "expected an array")
        .replace("expected a boolean", "expected true or false")
}

/// One structural (serde) error as a scenario error.
fn structural_error(text: &str, file: &Path, e: &toml::de::Error) -> ScenarioError {
    let span = e.span();
    let mut message = suggest::unknown_field(&plain_type_names(e.message().trim()));
    let mut duplicate_path = None;
    if message == "duplicate key"
        && let Some((m, p)) = span.clone().and_then(|s| duplicate_key(text, s))
    {
        message = m;
        duplicate_path = Some(p);
    }
    // A missing field of the top level is reported at offset 0, where
    // the first key would be misnamed as its path.
    let top_level =
        message.starts_with("missing field") && span.as_ref().is_some_and(|s| s.start == 0);
    let span = span.filter(|_| !top_level);
    ScenarioError {
        file: file.to_path_buf(),
        line: span.as_ref().map(|s| line_of(text, s.start)),
        column: span.as_ref().map(|s| column_of(text, s.start)),
        path: duplicate_path
            .or_else(|| span.as_ref().and_then(|s| locate::path_at(text, s.start)))
            .unwrap_or_default(),
        message,
        span,
    }
}

/// "duplicate key" with the key and the table it is in, and its field
/// path, found by the nearest `[table]` or `[[array]]` header above it (the
/// parser names neither, and a file with a duplicate key has no syntax tree
/// to search).
fn duplicate_key(text: &str, span: Range<usize>) -> Option<(String, String)> {
    let key = text.get(span.clone())?.trim().trim_matches(['"', '\'']);
    let uncommented = |l: &str| l.split('#').next().unwrap_or("").trim().to_string();
    let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..span.start];
    if before.trim_start().starts_with('[') {
        let header = uncommented(text[line_start..].lines().next().unwrap_or(""));
        return Some((
            format!(
                "duplicate key `{key}`: `{header}` repeats a table defined above; merge the two"
            ),
            key.to_string(),
        ));
    }
    let header = text[..line_start]
        .lines()
        .rev()
        .map(uncommented)
        .find(|l| l.starts_with('['));
    let (table, mut path) = match header {
        Some(h) if h.starts_with("[[") => {
            let n = text[..line_start]
                .lines()
                .filter(|l| uncommented(l) == h)
                .count();
            let name = h.trim_matches(['[', ']']).trim();
            (format!("item {n} of `{h}`"), vec![format!("{name}[{n}]")])
        }
        Some(h) => {
            let name = h.trim_matches(['[', ']']).trim().to_string();
            (format!("table `{h}`"), vec![name])
        }
        None => ("the top level".to_string(), vec![]),
    };
    let mut within = String::new();
    if before.matches('{').count() > before.matches('}').count()
        && let Some((field, _)) = before.split_once('=')
    {
        within = format!(", inside `{}`", field.trim());
        path.push(field.trim().to_string());
    }
    path.push(key.to_string());
    Some((
        format!("duplicate key `{key}` in {table}{within}: each key may be given once"),
        path.join("."),
    ))
}

/// The structural errors of a file that does not deserialise. Serde stops
/// at the first problem; an unknown key (the commonest, a typo) is then
/// blanked out, on a copy with the same byte offsets, and the file read
/// again, so that every misspelt key of a file is reported at once. Other
/// problems, and an unknown table header (whose keys would then land in
/// the wrong table), end the search.
fn structural_errors(text: &str, file: &Path, first: toml::de::Error) -> ScenarioErrors {
    let mut errors = vec![structural_error(text, file, &first)];
    let mut copy = text.as_bytes().to_vec();
    let mut e = first;
    for _ in 0..100 {
        let Some(span) = e.span() else { break };
        if !e.message().starts_with("unknown field") {
            break;
        }
        let start = copy[..span.start]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let end = copy[span.start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(copy.len(), |i| span.start + i);
        if copy[start..end].iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
            break;
        }
        copy[start..end].iter_mut().for_each(|b| *b = b' ');
        let Ok(blanked) = std::str::from_utf8(&copy) else {
            break;
        };
        match toml::from_str::<RawScenario>(blanked) {
            Ok(_) => break,
            Err(next) => {
                if next.span() == Some(span) || !next.message().starts_with("unknown field") {
                    break;
                }
                errors.push(structural_error(text, file, &next));
                e = next;
            }
        }
    }
    errors.sort_by_key(|e| e.line.unwrap_or(usize::MAX));
    ScenarioErrors(errors)
}

pub(super) fn parse_and_validate(text: &str, file: &Path) -> Result<Scenario, ScenarioErrors> {
    let raw: RawScenario = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(first) => return Err(structural_errors(text, file, first)),
    };
    let mut b = Builder {
        text,
        file,
        errors: Vec::new(),
        inputs: Vec::new(),
        input_lines: Vec::new(),
        failed: HashSet::new(),
    };
    let scenario = build(&mut b, raw, file);
    if b.errors.is_empty() {
        Ok(scenario)
    } else {
        // In file order; problems of the file as a whole last.
        b.errors.sort_by_key(|e| e.line.unwrap_or(usize::MAX));
        Err(ScenarioErrors(b.errors))
    }
}

fn build(b: &mut Builder, raw: RawScenario, file: &Path) -> Scenario {
    // Top level.
    let name = match &raw.name {
        Some(n) if n.get_ref().trim().is_empty() => {
            b.error(
                Some(n.span()),
                "name",
                "must not be empty (leave it out to use the file name)",
            );
            String::new()
        }
        Some(n) => n.get_ref().clone(),
        None => file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
    };
    if name.len() > super::MAX_NAME_BYTES {
        let echo: String = name.chars().take(40).collect();
        b.error(
            raw.name.as_ref().map(|n| n.span()),
            "name",
            format!(
                "is {} bytes long; at most {} are allowed, because the results go to a directory named after it{} (got {echo:?}…)",
                name.len(),
                super::MAX_NAME_BYTES,
                if raw.name.is_none() {
                    " (the name is the file name here: set a shorter `name`)"
                } else {
                    ""
                }
            ),
        );
    }
    let years = *raw.horizon_years.get_ref();
    let horizon_years = if (1..=30).contains(&years) {
        years as u32
    } else {
        b.error(
            Some(raw.horizon_years.span()),
            "horizon_years",
            format!("must be a whole number of years in 1..=30 (got {years})"),
        );
        1
    };
    let months = 12 * horizon_years as usize;

    let simulation = simulation(b, &raw);

    // Finance.
    let finance = raw.finance.get_ref();
    let discount_rate = b.input(
        Some(&finance.discount_rate),
        "finance.discount_rate".into(),
        0.0,
        Allowed::AboveMinusOne,
    );
    let target = finance.target_payback_years.as_ref().map(|t| {
        let years = *t.get_ref();
        if !(years > 0.0 && years.is_finite()) {
            b.error(
                Some(t.span()),
                "finance.target_payback_years",
                format!("must be a number of years > 0 (got {years})"),
            );
        }
        years
    });

    // Adoption.
    let ad = raw.adoption.as_ref();
    let adoption = Adoption {
        go_live_month: b.input(
            ad.and_then(|a| a.go_live_month.as_ref()),
            "adoption.go_live_month".into(),
            0.0,
            Allowed::NonNegative,
        ),
        ramp_months: b.input(
            ad.and_then(|a| a.ramp_months.as_ref()),
            "adoption.ramp_months".into(),
            0.0,
            Allowed::NonNegative,
        ),
        max_level: b.input(
            ad.and_then(|a| a.max_level.as_ref()),
            "adoption.max_level".into(),
            1.0,
            Allowed::Unit,
        ),
    };

    // Business: each field an input where the file gives it.
    let bus = raw.business.as_ref().map(|s| s.get_ref());
    let business_field =
        |b: &mut Builder, raw: Option<&RawQuantity>, field: &str, allowed: Allowed| {
            raw.map(|r| b.input(Some(r), format!("business.{field}"), 0.0, allowed))
        };
    let business = Business {
        customers: business_field(
            b,
            bus.and_then(|x| x.customers.as_ref()),
            "customers",
            Allowed::Any,
        ),
        revenue_per_customer: business_field(
            b,
            bus.and_then(|x| x.revenue_per_customer.as_ref()),
            "revenue_per_customer",
            Allowed::Any,
        ),
        gross_margin: business_field(
            b,
            bus.and_then(|x| x.gross_margin.as_ref()),
            "gross_margin",
            Allowed::Unit,
        ),
        annual_churn: business_field(
            b,
            bus.and_then(|x| x.annual_churn.as_ref()),
            "annual_churn",
            Allowed::UnitBelowOne,
        ),
    };

    let costs = costs(b, &raw.costs, months);
    let benefits = benefits(b, &raw.benefits, &business);
    let shocks = shocks(b, &raw);
    let correlations = correlations(b, &raw, &shocks);
    let pairs: Vec<(usize, usize, f64)> = correlations
        .iter()
        .map(|c| (c.a.0, c.b.0, c.rank))
        .collect();
    let paths: Vec<&str> = b.inputs.iter().map(|i| i.path.as_str()).collect();
    let groups = match build_groups(&paths, &pairs) {
        Ok(g) => g,
        Err(e) => {
            let names: Vec<&str> = e
                .members
                .iter()
                .map(|&i| b.inputs[i].path.as_str())
                .collect();
            let msg = format!(
                "the rank correlations among {} are inconsistent: no joint distribution has them all (the correlation matrix is not positive definite); weaken some of them",
                names.join(", ")
            );
            b.error(None, "correlations", msg);
            Vec::new()
        }
    };

    let mut scenario = Scenario {
        file: file.to_path_buf(),
        name,
        description: raw.description.clone(),
        currency: raw.currency.clone(),
        horizon_years,
        target_payback_years: target,
        simulation,
        inputs: std::mem::take(&mut b.inputs),
        shocks,
        correlations,
        groups,
        model: Model {
            months,
            discount_rate,
            adoption,
            business,
            costs,
            benefits,
        },
        warnings: Vec::new(),
    };
    // Only a valid scenario is checked for likely mistakes.
    if b.errors.is_empty() {
        scenario.warnings = super::warnings::warnings(&scenario, &b.input_lines);
    }
    scenario
}

fn simulation(b: &mut Builder, raw: &RawScenario) -> SimulationSettings {
    let Some(sim) = &raw.simulation else {
        return SimulationSettings::default();
    };
    let trials = sim.trials.as_ref().and_then(|t| {
        let n = *t.get_ref();
        if (1..=MAX_TRIALS as i64).contains(&n) {
            Some(n as u64)
        } else {
            b.error(
                Some(t.span()),
                "simulation.trials",
                format!("must be a whole number from 1 to {MAX_TRIALS} (got {n})"),
            );
            None
        }
    });
    let seed = sim.seed.as_ref().and_then(|s| {
        let n = *s.get_ref();
        if n >= 0 {
            Some(n as u64)
        } else {
            b.error(
                Some(s.span()),
                "simulation.seed",
                format!("must be >= 0 (got {n})"),
            );
            None
        }
    });
    let sampling = sim.sampling.as_ref().and_then(|s| {
        let m = Method::from_name(s.get_ref());
        if m.is_none() {
            b.error(
                Some(s.span()),
                "simulation.sampling",
                format!(
                    "must be \"monte-carlo\" or \"latin-hypercube\" (got \"{}\")",
                    s.get_ref()
                ),
            );
        }
        m
    });
    SimulationSettings {
        trials,
        seed,
        sampling,
    }
}

fn costs(b: &mut Builder, raw: &[Spanned<RawCost>], months: usize) -> Vec<Cost> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (i, item) in raw.iter().enumerate() {
        let c = item.get_ref();
        let name = b.item_name("costs", i, &c.name, &mut seen);
        let p = |f: &str| format!("costs.{name}.{f}");
        let amount = b.input(Some(&c.amount), p("amount"), 0.0, Allowed::Any);
        let units = b.input(c.units.as_ref(), p("units"), 1.0, Allowed::Any);
        let (schedule, escalation) = match &c.every {
            None => {
                for (field, present) in [
                    ("start_month", c.start_month.as_ref().map(|s| s.span())),
                    ("end_month", c.end_month.as_ref().map(|s| s.span())),
                    ("escalation", c.escalation.as_ref().map(|s| s.span())),
                ] {
                    if let Some(span) = present {
                        b.error(
                            Some(span),
                            &p(field),
                            format!("`{field}` applies to recurring costs only; add `every = \"month\"` or `\"year\"`, or remove it"),
                        );
                    }
                }
                let month = c
                    .at_month
                    .as_ref()
                    .map_or(0, |m| b.month(m, &p("at_month"), months));
                (Schedule::OneTime { month }, None)
            }
            Some(every) => {
                let step = match every.get_ref().as_str() {
                    "month" => 1,
                    "year" => 12,
                    other => {
                        b.error(
                            Some(every.span()),
                            &p("every"),
                            format!("must be \"month\" or \"year\" (got \"{other}\")"),
                        );
                        1
                    }
                };
                if let Some(at) = &c.at_month {
                    b.error(
                        Some(at.span()),
                        &p("at_month"),
                        "`at_month` is for one-time costs; a recurring cost uses `start_month` and `end_month`",
                    );
                }
                let start = c
                    .start_month
                    .as_ref()
                    .map_or(1, |m| b.month(m, &p("start_month"), months));
                let end = match &c.end_month {
                    None => months,
                    Some(e) => {
                        let v = *e.get_ref();
                        if v < start as i64 {
                            b.error(
                                Some(e.span()),
                                &p("end_month"),
                                format!("must be >= start_month ({start}) (got {v})"),
                            );
                        }
                        v.max(0) as usize
                    }
                };
                let esc = b.input(
                    c.escalation.as_ref(),
                    p("escalation"),
                    0.0,
                    Allowed::AboveMinusOne,
                );
                (Schedule::Recurring { step, start, end }, Some(esc))
            }
        };
        out.push(Cost {
            name,
            amount,
            units,
            escalation,
            schedule,
        });
    }
    out
}

/// The quantity fields of each benefit kind, with their allowed values.
const KINDS: [(&str, &[(&str, Allowed)]); 5] = [
    (
        "efficiency",
        &[
            ("hours_saved_per_month", Allowed::Any),
            ("hourly_cost", Allowed::Any),
        ],
    ),
    (
        "leads",
        &[
            ("extra_leads_per_month", Allowed::Any),
            ("conversion_rate", Allowed::Unit),
            ("deal_value", Allowed::Any),
        ],
    ),
    ("churn_reduction", &[("relative_reduction", Allowed::Unit)]),
    ("cross_sell", &[("uplift", Allowed::Any)]),
    (
        "custom",
        &[
            ("amount_per_year", Allowed::Any),
            ("amount_per_month", Allowed::Any),
        ],
    ),
];

fn benefit_fields(r: &RawBenefit) -> [(&'static str, Option<&RawQuantity>); 9] {
    [
        ("hours_saved_per_month", r.hours_saved_per_month.as_ref()),
        ("hourly_cost", r.hourly_cost.as_ref()),
        ("extra_leads_per_month", r.extra_leads_per_month.as_ref()),
        ("conversion_rate", r.conversion_rate.as_ref()),
        ("deal_value", r.deal_value.as_ref()),
        ("relative_reduction", r.relative_reduction.as_ref()),
        ("uplift", r.uplift.as_ref()),
        ("amount_per_year", r.amount_per_year.as_ref()),
        ("amount_per_month", r.amount_per_month.as_ref()),
    ]
}

fn benefits(b: &mut Builder, raw: &[Spanned<RawBenefit>], business: &Business) -> Vec<Benefit> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (i, item) in raw.iter().enumerate() {
        let r = item.get_ref();
        let name = b.item_name("benefits", i, &r.name, &mut seen);
        let prefix = format!("benefits.{name}");
        let kind_name = r.kind.get_ref().as_str();
        let Some((_, fields)) = KINDS.iter().find(|(k, _)| *k == kind_name) else {
            let kinds: Vec<&str> = KINDS.iter().map(|k| k.0).collect();
            b.error(
                Some(r.kind.span()),
                &format!("{prefix}.kind"),
                match suggest::closest(kind_name, kinds.iter().copied()) {
                    Some(k) => format!("unknown kind \"{kind_name}\", did you mean \"{k}\"?"),
                    None => format!(
                        "unknown kind \"{kind_name}\"; expected one of {}",
                        kinds.join(", ")
                    ),
                },
            );
            continue;
        };
        // Fields of other kinds.
        let own: Vec<&str> = fields.iter().map(|f| f.0).collect();
        for (field, value) in benefit_fields(r) {
            if let Some(v) = value
                && !own.contains(&field)
            {
                b.error(
                    Some(v.span()),
                    &format!("{prefix}.{field}"),
                    format!(
                        "is not a field of the `{kind_name}` kind (its fields: {})",
                        own.join(", ")
                    ),
                );
            }
        }
        if kind_name != "custom" {
            for (field, flag) in [
                ("revenue_linked", r.revenue_linked.as_ref()),
                ("ramps_with_adoption", r.ramps_with_adoption.as_ref()),
            ] {
                if let Some(f) = flag {
                    b.error(
                        Some(f.span()),
                        &format!("{prefix}.{field}"),
                        format!("applies to `custom` benefits only; a `{kind_name}` benefit's linkage is fixed by the model"),
                    );
                }
            }
        }
        let all = benefit_fields(r);
        let get = |f: &str| all.iter().find(|(n, _)| *n == f).and_then(|(_, v)| *v);
        let req = |b: &mut Builder, f: &str| -> Input {
            let allowed = fields
                .iter()
                .find(|(n, _)| *n == f)
                .map_or(Allowed::Any, |x| x.1);
            let path = format!("{prefix}.{f}");
            if get(f).is_none() {
                b.error(
                    Some(item.span()),
                    &path,
                    format!("missing; a `{kind_name}` benefit needs `{f}`"),
                );
            }
            b.input(get(f), path, 0.0, allowed)
        };
        let kind = match kind_name {
            "efficiency" => BenefitKind::Efficiency {
                hours_saved_per_month: req(b, "hours_saved_per_month"),
                hourly_cost: req(b, "hourly_cost"),
            },
            "leads" => BenefitKind::Leads {
                extra_leads_per_month: req(b, "extra_leads_per_month"),
                conversion_rate: req(b, "conversion_rate"),
                deal_value: req(b, "deal_value"),
            },
            "churn_reduction" => BenefitKind::ChurnReduction {
                relative_reduction: req(b, "relative_reduction"),
            },
            "cross_sell" => BenefitKind::CrossSell {
                uplift: req(b, "uplift"),
            },
            _ => {
                let (per_year, field) = match (get("amount_per_year"), get("amount_per_month")) {
                    (Some(_), Some(m)) => {
                        b.error(
                            Some(m.span()),
                            &format!("{prefix}.amount_per_month"),
                            "give either `amount_per_year` or `amount_per_month`, not both",
                        );
                        (true, "amount_per_year")
                    }
                    (None, Some(_)) => (false, "amount_per_month"),
                    (Some(_), None) => (true, "amount_per_year"),
                    (None, None) => {
                        b.error(
                            Some(item.span()),
                            &prefix,
                            "a `custom` benefit needs `amount_per_year` or `amount_per_month`",
                        );
                        (true, "amount_per_year")
                    }
                };
                BenefitKind::Custom {
                    amount: b.input(get(field), format!("{prefix}.{field}"), 0.0, Allowed::Any),
                    per_year,
                    revenue_linked: r.revenue_linked.as_ref().is_some_and(|f| *f.get_ref()),
                    ramps_with_adoption: r
                        .ramps_with_adoption
                        .as_ref()
                        .is_none_or(|f| *f.get_ref()),
                }
            }
        };
        // The business fields this kind needs.
        let needs: &[(&str, Option<Input>)] = match kind_name {
            "leads" => &[("gross_margin", business.gross_margin)],
            "cross_sell" => &[
                ("customers", business.customers),
                ("revenue_per_customer", business.revenue_per_customer),
                ("gross_margin", business.gross_margin),
            ],
            "churn_reduction" => &[
                ("customers", business.customers),
                ("revenue_per_customer", business.revenue_per_customer),
                ("gross_margin", business.gross_margin),
                ("annual_churn", business.annual_churn),
            ],
            _ => &[],
        };
        for (field, have) in needs {
            if have.is_none() {
                b.error(
                    Some(item.span()),
                    &format!("business.{field}"),
                    format!("missing; benefit `{name}` ({kind_name}) needs it in [business]"),
                );
            }
        }
        out.push(Benefit { name, kind });
    }
    out
}

fn shocks(b: &mut Builder, raw: &RawScenario) -> Vec<ShockDef> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (i, item) in raw.shocks.iter().enumerate() {
        let s = item.get_ref();
        let name = b.item_name("shocks", i, &s.name, &mut seen);
        let path = format!("shocks.{name}");
        let probability_per_year = b.input(
            Some(&s.probability_per_year),
            format!("{path}.probability_per_year"),
            0.0,
            Allowed::Unit,
        );
        let revenue_loss = b.parse_quantity(
            &s.revenue_loss,
            &format!("{path}.revenue_loss"),
            Allowed::Unit,
        );
        let duration_months = s
            .duration_months
            .as_ref()
            .map(|d| b.parse_quantity(d, &format!("{path}.duration_months"), Allowed::NonNegative));
        out.push(ShockDef {
            name,
            path,
            probability_per_year,
            revenue_loss,
            duration_months,
        });
    }
    out
}

fn correlations(b: &mut Builder, raw: &RawScenario, shocks: &[ShockDef]) -> Vec<Correlation> {
    let mut out: Vec<Correlation> = Vec::new();
    for (i, item) in raw.correlations.iter().enumerate() {
        let c = item.get_ref();
        let here = format!("correlations[{}]", i + 1);
        let between = c.between.get_ref();
        let span = Some(c.between.span());
        if between.len() != 2 {
            b.error(
                span,
                &format!("{here}.between"),
                format!("needs exactly two input paths (got {})", between.len()),
            );
            continue;
        }
        if between[0] == between[1] {
            b.error(
                span,
                &format!("{here}.between"),
                format!(
                    "names `{}` twice; an input is perfectly correlated with itself",
                    between[0]
                ),
            );
            continue;
        }
        let resolve = |b: &mut Builder, path: &str| -> Option<Input> {
            let per_occurrence = shocks.iter().any(|s| {
                path == format!("{}.revenue_loss", s.path)
                    || path == format!("{}.duration_months", s.path)
            });
            if b.failed.contains(path) {
                return None; // its own problem is reported already
            }
            match b.inputs.iter().position(|d| d.path == path && d.declared) {
                Some(k) if b.inputs[k].quantity.is_fixed() => {
                    b.error(span.clone(), &format!("{here}.between"), format!("`{path}` is a fixed value; only an input with a distribution can be correlated"));
                    None
                }
                Some(k) => Some(Input(k)),
                None if per_occurrence => {
                    b.error(span.clone(), &format!("{here}.between"), format!("`{path}` is drawn anew for each shock occurrence, not once per trial, so it cannot be correlated"));
                    None
                }
                None => {
                    let candidates: Vec<&str> = b
                        .inputs
                        .iter()
                        .filter(|d| d.declared && !d.quantity.is_fixed())
                        .map(|d| d.path.as_str())
                        .collect();
                    let msg = if candidates.is_empty() {
                        format!("no input `{path}`; this scenario has no input with a distribution")
                    } else {
                        format!(
                            "no input `{path}`; inputs with a distribution: {}",
                            candidates.join(", ")
                        )
                    };
                    b.error(span.clone(), &format!("{here}.between"), msg);
                    None
                }
            }
        };
        let a = resolve(b, &between[0]);
        let bb = resolve(b, &between[1]);
        let rank = *c.rank.get_ref();
        if !(rank > -1.0 && rank < 1.0) {
            b.error(
                Some(c.rank.span()),
                &format!("{here}.rank"),
                format!("must be a rank correlation strictly between -1 and 1 (got {rank})"),
            );
            continue;
        }
        let (Some(a), Some(bb)) = (a, bb) else {
            continue;
        };
        if out
            .iter()
            .any(|o| (o.a == a && o.b == bb) || (o.a == bb && o.b == a))
        {
            b.error(
                span,
                &format!("{here}.between"),
                format!(
                    "the pair `{}` / `{}` is correlated twice",
                    between[0], between[1]
                ),
            );
            continue;
        }
        out.push(Correlation { a, b: bb, rank });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "horizon_years = 5\n[finance]\ndiscount_rate = 0.08\ntarget_payback_years = 3\n\
        [[costs]]\nname = \"License\"\namount = 5\n[[costs]]\nname = \"Training\"\namount = 7\n\
        [[benefits]]\nname = \"Time\"\nkind = \"efficiency\"\nhours_saved_per_month = 4\nhourly_cost = 50\n";

    fn first_error(text: &str) -> String {
        let e = Scenario::from_toml(text, Path::new("d.toml")).unwrap_err();
        e.0[0].to_string()
    }

    #[test]
    fn a_duplicate_key_is_named_with_its_table() {
        let cases = [
            (
                (
                    "horizon_years = 5\n",
                    "horizon_years = 5\nhorizon_years = 6\n",
                ),
                "d.toml:2:1: horizon_years: duplicate key `horizon_years` in the top level: each key may be given once",
            ),
            (
                (
                    "discount_rate = 0.08\n",
                    "discount_rate = 0.08\n\"discount_rate\" = 0.1\n",
                ),
                "d.toml:4:1: finance.discount_rate: duplicate key `discount_rate` in table `[finance]`: each key may be given once",
            ),
            (
                ("amount = 7\n", "amount = 7\namount = 8\n"),
                "d.toml:11:1: costs[2].amount: duplicate key `amount` in item 2 of `[[costs]]`: each key may be given once",
            ),
            (
                (
                    "amount = 5\n",
                    "amount = { pert = [1, 2, 3], pert = [1, 2, 4] }\n",
                ),
                "d.toml:7:30: costs[1].amount.pert: duplicate key `pert` in item 1 of `[[costs]]`, inside `amount`: each key may be given once",
            ),
            (
                ("[finance]\n", "[finance]\n[finance]\n"),
                "d.toml:3:2: finance: duplicate key `finance`: `[finance]` repeats a table defined above; merge the two",
            ),
        ];
        for ((old, new), want) in cases {
            assert_eq!(first_error(&BASE.replacen(old, new, 1)), want, "{new}");
        }
    }
}
