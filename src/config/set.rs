//! `PATH=VALUE` settings from the command line (`sweep --set PATH=V1,V2,..`,
//! and the `--set` of other commands): one field of a scenario replaced, as
//! a variant file would replace it.
//!
//! A path names a field the way input paths do (docs/scenario-format.md,
//! "Input paths"): any per-trial input (also a default the file does not
//! write, such as `adoption.go_live_month`), a shock's per-occurrence
//! quantity (`shocks.NAME.revenue_loss`, `benefit_loss`, `duration_months`,
//! `cost`), or one of the fields that take a fixed value only
//! ([`FIXED_ONLY`]). A value is written as in a scenario file: a number, or
//! an inline distribution such as `{ pert = [0.5, 0.7, 0.9] }`.
//!
//! The settings become a table that is written over the scenario by the
//! merge rules of `extends` ([`overlay`]); [`load_with`] then validates the
//! result exactly as it validates a file, so that a value out of its
//! field's range gets the file's message. [`SetError`] and [`explain`] name
//! the flag, the path and the value in every message.

use super::{Scenario, ScenarioError, ScenarioErrors, extends, validate};
use crate::dist::write::write_number;
use std::fmt;
use std::path::Path;
use toml::{Table, Value};

/// Fields that take a fixed value only, never a distribution; `NAME` is an
/// item of the section.
pub const FIXED_ONLY: [&str; 5] = [
    "horizon_years",
    "finance.target_payback_years",
    "costs.NAME.at_month",
    "costs.NAME.start_month",
    "costs.NAME.end_month",
];

/// A shock's quantities drawn anew for each occurrence.
const PER_OCCURRENCE: [&str; 4] = ["revenue_loss", "benefit_loss", "duration_months", "cost"];

/// A field set on the command line, as `summary.json` records it (`set`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct SetField {
    /// The field's path, e.g. `adoption.max_level`.
    pub path: String,
    /// The value as a scenario file writes it: `0.7`,
    /// `{ pert = [0.5, 0.7, 0.9] }`.
    pub value: String,
}

/// One field set to one value.
#[derive(Debug, Clone, PartialEq)]
pub struct Setting {
    /// The field, e.g. `adoption.max_level`.
    pub path: String,
    value: Value,
    /// The value as the user wrote it, for messages: TOML writes `1e308`
    /// back as 309 digits.
    written: String,
}

impl Setting {
    /// The value as a scenario file writes it: `0.7`, `{ pert = [0.5, 0.7, 0.9] }`
    /// ([`value_text`]).
    pub fn text(&self) -> String {
        value_text(&self.value)
    }

    /// The setting as a file in another directory writes it: a relative
    /// `file` of an empirical value prefixed with `dir`, the way to the
    /// scenario's directory from there (`extends` rebases its base's data
    /// files the same way).
    pub fn rebased(&self, dir: &str) -> Setting {
        let mut value = self.value.clone();
        if let Some(Value::Table(e)) = value.get_mut("empirical")
            && let Some(Value::String(f)) = e.get_mut("file")
            && Path::new(f.as_str()).is_relative()
            && !dir.is_empty()
        {
            *f = format!("{dir}/{f}");
        }
        Setting {
            path: self.path.clone(),
            value,
            written: self.written.clone(),
        }
    }

    /// The value when it is a number; `None` for a distribution.
    pub fn number(&self) -> Option<f64> {
        match self.value {
            Value::Integer(i) => Some(i as f64),
            Value::Float(x) => Some(x),
            _ => None,
        }
    }
}

/// `PATH=VALUE` as the user wrote the value, for messages.
impl fmt::Display for Setting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.path, self.written)
    }
}

/// A path with its list of values: what one `--set PATH=V1,V2,..` says.
#[derive(Debug, Clone, PartialEq)]
pub struct SetList {
    pub path: String,
    /// In the order written, each with `path`.
    pub values: Vec<Setting>,
}

/// A setting the user must fix (exit code 2): the flag, the path (and
/// value) and what is wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{flag} {what}: {message}")]
pub struct SetError {
    /// `--set`.
    pub flag: String,
    /// `PATH`, `PATH=VALUE` or the argument as written.
    pub what: String,
    pub message: String,
}

fn set_error(flag: &str, what: impl Into<String>, message: impl Into<String>) -> SetError {
    SetError {
        flag: flag.to_string(),
        what: what.into(),
        message: message.into(),
    }
}

/// `PATH=VALUES` split at the `=` that ends the path: the first `=` after
/// which the path is whole (`section.field`, or `section.NAME.field` in
/// the sections of named items), so that an item whose name holds a `=`
/// can be set (`costs.Seats=40.amount=5`); the first `=` when none is.
fn split_setting(arg: &str) -> Option<(&str, &str)> {
    let whole = |path: &str| {
        let parts: Vec<&str> = path.trim().split('.').collect();
        let field =
            |f: &str| !f.is_empty() && f.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
        match parts.as_slice() {
            [section, _, f] => ITEM_SECTIONS.contains(&section.trim()) && field(f),
            [section, f] => !ITEM_SECTIONS.contains(&section.trim()) && field(f),
            [f] => field(f),
            _ => false,
        }
    };
    let mut ends = arg.match_indices('=').map(|(i, _)| i);
    let first = ends.clone().next()?;
    let at = ends.find(|&i| whole(&arg[..i])).unwrap_or(first);
    Some((&arg[..at], &arg[at + 1..]))
}

/// The sections whose fields are set by item: `costs.NAME.amount`.
const ITEM_SECTIONS: [&str; 3] = ["costs", "benefits", "shocks"];

/// Parses `PATH=V1,V2,..` (the argument of `flag`): the path up to the
/// `=` that ends it ([`split_setting`]), then values separated by commas outside brackets, braces and
/// quotes. Checks the syntax of each value, not yet the path.
pub fn parse_list(flag: &str, arg: &str) -> Result<SetList, SetError> {
    let Some((path, list)) = split_setting(arg) else {
        return Err(set_error(
            flag,
            arg,
            "needs PATH=VALUE, e.g. adoption.max_level=0.6,0.8 or \"costs.Licence.amount={ pert = [80000, 90000, 120000] }\"",
        ));
    };
    let path = path.trim();
    if path.is_empty() {
        return Err(set_error(flag, arg, "names no path before `=`"));
    }
    let parts = split_values(list).map_err(|m| set_error(flag, path, m))?;
    let mut values: Vec<Setting> = Vec::with_capacity(parts.len());
    for (k, part) in parts.iter().enumerate() {
        let part = part.trim();
        if part.is_empty() {
            return Err(set_error(
                flag,
                path,
                format!(
                    "value {} of {} is empty; separate values with single commas",
                    k + 1,
                    parts.len()
                ),
            ));
        }
        let value = parse_value(part).map_err(|m| {
            let hint = if thousands(&parts) {
                THOUSANDS_HINT
            } else {
                ""
            };
            set_error(flag, format!("{path}={part}"), format!("{m}{hint}"))
        })?;
        let setting = Setting {
            path: path.to_string(),
            value,
            written: part.to_string(),
        };
        let same = |v: &Setting| same_value(&v.value, &setting.value);
        if values.iter().any(same) {
            return Err(set_error(
                flag,
                path,
                format!("lists the value {} twice", setting.written),
            ));
        }
        values.push(setting);
    }
    Ok(SetList {
        path: path.to_string(),
        values,
    })
}

/// Whether two values are the same setting: numbers by value (`1` and
/// `1.0`, `0.5` and `5e-1`), inline distributions field by field, their
/// numbers by value (`{ pert = [1, 2, 3] }` and `{ pert = [1.0, 2, 3] }`).
fn same_value(a: &Value, b: &Value) -> bool {
    let number = |v: &Value| match *v {
        Value::Integer(i) => Some(i as f64),
        Value::Float(x) => Some(x),
        _ => None,
    };
    match (a, b) {
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same_value(a, b))
        }
        (Value::Table(a), Value::Table(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(k, v)| b.get(k).is_some_and(|w| same_value(v, w)))
        }
        _ => match (number(a), number(b)) {
            (Some(x), Some(y)) => x == y,
            _ => a == b,
        },
    }
}

/// A value as a scenario file writes it: TOML, with each float as
/// [`write_number`] writes it, the shortest form that reads back to the
/// same number, in exponent form at extreme magnitudes (`5e-324`, `1e300`;
/// TOML's own writer gives every digit of them, up to 324).
pub fn value_text(v: &Value) -> String {
    match v {
        Value::Float(x) => write_number(*x),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(value_text).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Table(t) => {
            let fields: Vec<String> = t
                .iter()
                .map(|(k, v)| format!("{} = {}", key_text(k), value_text(v)))
                .collect();
            if fields.is_empty() {
                "{}".to_string()
            } else {
                format!("{{ {} }}", fields.join(", "))
            }
        }
        // Integers, strings, booleans and dates, as TOML writes them.
        other => other.to_string(),
    }
}

/// A key as TOML writes it: bare when it can be, else quoted.
pub fn key_text(k: &str) -> String {
    let bare = !k.is_empty()
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if bare {
        k.to_string()
    } else {
        Value::String(k.to_string()).to_string()
    }
}

/// Parses `PATH=VALUE` (the argument of `flag`) with exactly one value,
/// for a setting of one run.
pub fn parse_one(flag: &str, arg: &str) -> Result<Setting, SetError> {
    let mut list = parse_list(flag, arg)?;
    if list.values.len() != 1 {
        return Err(set_error(
            flag,
            &list.path,
            format!(
                "gives {} values; {flag} takes one (a sweep takes several){}",
                list.values.len(),
                if split_setting(arg)
                    .is_some_and(|(_, l)| thousands(&split_values(l).unwrap_or_default()))
                {
                    THOUSANDS_HINT
                } else {
                    ""
                }
            ),
        ));
    }
    Ok(list.values.remove(0))
}

/// Added to a message about values that look like one number written
/// with thousands separators.
const THOUSANDS_HINT: &str =
    "; commas separate values, so write numbers without thousands separators (1000, not 1,000)";

/// Whether values split at commas look like one number written with
/// thousands separators: `1,000` or `12,500,000` (the first part one to
/// three digits, every later part three).
fn thousands(parts: &[&str]) -> bool {
    let digits = |p: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    };
    let first = parts.first().map(|p| {
        let p = p.trim();
        p.strip_prefix(['-', '+']).unwrap_or(p)
    });
    parts.len() >= 2
        && first.is_some_and(|p| digits(p, 1..=3))
        && parts[1..].iter().all(|p| digits(p.trim(), 3..=3))
}

/// `list` split at the commas that are outside `[..]`, `{..}` and `".."`.
pub fn split_values(list: &str) -> Result<Vec<&str>, String> {
    let mut out = Vec::new();
    let mut depth: i32 = 0;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut start = 0;
    for (i, c) in list.char_indices() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' && q == '"' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' => quote = Some(c),
            '[' | '{' => depth += 1,
            ']' | '}' => {
                depth -= 1;
                if depth < 0 {
                    return Err(format!("has an unmatched `{c}`"));
                }
            }
            ',' if depth == 0 => {
                out.push(&list[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if quote.is_some() {
        return Err("has an unclosed quote".into());
    }
    if depth > 0 {
        return Err("has an unclosed `[` or `{`".into());
    }
    out.push(&list[start..]);
    Ok(out)
}

/// One value: a number or an inline table, in TOML.
fn parse_value(text: &str) -> Result<Value, String> {
    let line = format!("x = {text}");
    super::locate::refuse_underflow(&line)?;
    let table: Table = toml::from_str(&line).map_err(|e| {
        format!(
            "is not a number or an inline distribution such as {{ pert = [1, 2, 4] }}: {}",
            e.message().trim()
        )
    })?;
    // `0.5\ny = 2` parses as two keys: what follows the value is refused,
    // not dropped.
    if table.len() != 1 {
        return Err("has more after the value (one number or inline distribution only)".into());
    }
    match table.get("x") {
        Some(v @ (Value::Integer(_) | Value::Float(_) | Value::Table(_))) => Ok(v.clone()),
        _ => Err(
            "must be a number or an inline distribution such as { pert = [1, 2, 4] }".to_string(),
        ),
    }
}

/// What a path names in a scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// A quantity: a number or a distribution.
    Quantity,
    /// A field that takes a fixed value only.
    FixedOnly,
}

/// What `path` names in `scenario`, or why it cannot be set.
pub fn field_kind(scenario: &Scenario, path: &str) -> Result<FieldKind, String> {
    if scenario.input(path).is_some() {
        return Ok(FieldKind::Quantity);
    }
    let parts: Vec<&str> = path.split('.').collect();
    let shock = |name: &str| scenario.shocks.iter().any(|s| s.name == name);
    let cost = |name: &str| scenario.model.costs.iter().any(|c| c.name == name);
    match parts.as_slice() {
        ["horizon_years"] | ["finance", "target_payback_years"] => return Ok(FieldKind::FixedOnly),
        ["shocks", name, field] if shock(name) && PER_OCCURRENCE.contains(field) => {
            return Ok(FieldKind::Quantity);
        }
        ["costs", name, "at_month" | "start_month" | "end_month"] if cost(name) => {
            return Ok(FieldKind::FixedOnly);
        }
        _ => {}
    }
    let known = settable(scenario);
    let hint = scenario.path_hint(super::closest_name(path, known.iter().map(String::as_str)));
    Err(format!(
        "{} has no field `{path}` that can be set{hint} (docs/scenario-format.md, \"Input paths\")",
        scenario.file.display()
    ))
}

/// Every path of `scenario` that can be set.
fn settable(scenario: &Scenario) -> Vec<String> {
    let mut out: Vec<String> = scenario.inputs.iter().map(|i| i.path.clone()).collect();
    out.push("horizon_years".into());
    out.push("finance.target_payback_years".into());
    for s in &scenario.shocks {
        out.extend(PER_OCCURRENCE.iter().map(|f| format!("{}.{f}", s.path)));
    }
    for c in &scenario.model.costs {
        out.extend(
            ["at_month", "start_month", "end_month"]
                .iter()
                .map(|f| format!("costs.{}.{f}", c.name)),
        );
    }
    out
}

/// Checks that `list` names a field of `scenario` that can be set, and
/// that each value suits it (a distribution only where the field takes
/// one). The values' ranges are checked by validating the scenario with
/// them ([`load_with`]).
pub fn check(flag: &str, scenario: &Scenario, list: &SetList) -> Result<FieldKind, SetError> {
    let kind = field_kind(scenario, &list.path).map_err(|m| set_error(flag, &list.path, m))?;
    if kind == FieldKind::FixedOnly
        && let Some(v) = list.values.iter().find(|v| v.number().is_none())
    {
        return Err(set_error(
            flag,
            v.to_string(),
            format!("`{}` takes a fixed value, not a distribution", list.path),
        ));
    }
    Ok(kind)
}

/// The table that sets every field of `settings`, as a variant file writes
/// it: `[section] field = value`, `[[costs]] name = "NAME" field = value`,
/// or a top-level `field = value`.
pub fn overlay(settings: &[&Setting]) -> Table {
    let mut table = Table::new();
    for s in settings {
        let parts: Vec<&str> = s.path.splitn(3, '.').collect();
        match parts.as_slice() {
            [field] => {
                table.insert(field.to_string(), s.value.clone());
            }
            [section, field] => {
                let entry = table
                    .entry(section.to_string())
                    .or_insert_with(|| Value::Table(Table::new()));
                if let Value::Table(t) = entry {
                    t.insert(field.to_string(), s.value.clone());
                }
            }
            [section, name, field] => {
                let entry = table
                    .entry(section.to_string())
                    .or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(items) = entry {
                    let found = items
                        .iter()
                        .position(|i| i.get("name").and_then(Value::as_str) == Some(name));
                    let k = found.unwrap_or_else(|| {
                        let mut item = Table::new();
                        item.insert("name".into(), Value::String(name.to_string()));
                        items.push(Value::Table(item));
                        items.len() - 1
                    });
                    if let Value::Table(item) = &mut items[k] {
                        item.insert(field.to_string(), s.value.clone());
                    }
                }
            }
            _ => {}
        }
    }
    table
}

/// Loads the scenario `file` (its bases applied) with `settings` written
/// over it, and validates the result as a variant file is validated. A
/// relative `file` in an empirical value is read from the directory of
/// `file`, as if the scenario wrote it. Problems carry no line: they are
/// in the merged text, not in a file.
pub fn load_with(file: &Path, settings: &[&Setting]) -> Result<Scenario, ScenarioErrors> {
    let resolved = extends::resolve(file)?;
    if resolved.is_abstract {
        return Scenario::load(file);
    }
    let base: Table = match toml::from_str(&resolved.text) {
        Ok(t) => t,
        Err(_) => return Scenario::from_toml(&resolved.text, file),
    };
    let merged = extends::overlay(file, base, overlay(settings))?;
    let text = toml::to_string(&merged).map_err(|e| {
        ScenarioErrors(vec![ScenarioError {
            file: file.to_path_buf(),
            line: None,
            column: None,
            path: String::new(),
            message: format!("cannot apply the settings: {e}"),
            span: None,
        }])
    })?;
    let unplace = |e: &mut ScenarioError| {
        e.line = None;
        e.column = None;
        e.span = None;
    };
    match validate::parse_and_validate_as(&text, file, true) {
        Ok(mut s) => {
            s.warnings.iter_mut().for_each(unplace);
            s.set = settings
                .iter()
                .map(|x| SetField {
                    path: x.path.clone(),
                    value: x.text(),
                })
                .collect();
            Ok(s)
        }
        Err(mut e) => {
            e.0.iter_mut().for_each(unplace);
            Err(e)
        }
    }
}

/// The problems of a scenario loaded with `settings` ([`load_with`]), one
/// line each: a problem of a set field as `FLAG PATH=VALUE: reason`, any
/// other (a combination of values, a field the settings depend on) with
/// the settings that caused it.
pub fn explain(errors: &ScenarioErrors, flag: &str, settings: &[&Setting]) -> Vec<String> {
    errors
        .0
        .iter()
        .map(|e| {
            let own = settings.iter().find(|s| {
                e.path == s.path
                    || e.path
                        .strip_prefix(s.path.as_str())
                        .is_some_and(|rest| rest.starts_with('.'))
            });
            match own {
                Some(s) => format!("{flag} {s}: {}", e.message),
                None => {
                    let with: Vec<String> =
                        settings.iter().map(|s| format!("{flag} {s}")).collect();
                    format!("with {}: {e}", with.join(" "))
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_split_at_top_level_commas_only() {
        assert_eq!(split_values("1,2, 3").unwrap(), ["1", "2", " 3"]);
        assert_eq!(
            split_values("{ pert = [0.5, 0.7, 0.9] },0.8").unwrap(),
            ["{ pert = [0.5, 0.7, 0.9] }", "0.8"]
        );
        assert_eq!(
            split_values(r#"{ empirical = { file = "a,b.csv", column = "x" } }"#).unwrap(),
            [r#"{ empirical = { file = "a,b.csv", column = "x" } }"#]
        );
        assert!(split_values("{ pert = [1, 2, 3] ").is_err());
        assert!(split_values("1]").is_err());
    }

    #[test]
    fn lists_parse_or_say_what_is_wrong() {
        let l = parse_list(
            "--set",
            "adoption.max_level=0.6, 0.8,{ pert = [0.5, 0.7, 0.9] }",
        )
        .unwrap();
        assert_eq!(l.path, "adoption.max_level");
        let texts: Vec<String> = l.values.iter().map(Setting::text).collect();
        assert_eq!(texts, ["0.6", "0.8", "{ pert = [0.5, 0.7, 0.9] }"]);
        assert_eq!(l.values[0].number(), Some(0.6));
        assert_eq!(l.values[2].number(), None);
        let err = |a: &str| parse_list("--set", a).unwrap_err().to_string();
        assert_eq!(
            err("adoption.max_level"),
            "--set adoption.max_level: needs PATH=VALUE, e.g. adoption.max_level=0.6,0.8 or \"costs.Licence.amount={ pert = [80000, 90000, 120000] }\""
        );
        assert_eq!(
            err("a.b=1,,2"),
            "--set a.b: value 2 of 3 is empty; separate values with single commas"
        );
        assert_eq!(err("a.b=1,1.0"), "--set a.b: lists the value 1.0 twice");
        assert!(err("a.b=lots").starts_with("--set a.b=lots: is not a number"));
        assert!(
            err("a.b=\"x\"").ends_with(
                "must be a number or an inline distribution such as { pert = [1, 2, 4] }"
            )
        );
        assert_eq!(err("=1"), "--set =1: names no path before `=`");
        // What follows the value on another line is refused, not dropped.
        for tail in ["0.5\nhorizon_years = 9", "0.5\n[simulation]\ntrials = 3"] {
            assert!(
                err(&format!("adoption.max_level={tail}"))
                    .ends_with("has more after the value (one number or inline distribution only)"),
                "{tail:?}"
            );
        }
        assert_eq!(
            parse_list("--set", "a.b=0.5 # a comment").unwrap().values[0].number(),
            Some(0.5)
        );
        let one = parse_one("--set", "costs.Licence.amount={ pert = [1, 2, 4] }").unwrap();
        assert_eq!(one.to_string(), "costs.Licence.amount={ pert = [1, 2, 4] }");
        assert_eq!(
            parse_one("--set", "a.b=1,2").unwrap_err().to_string(),
            "--set a.b: gives 2 values; --set takes one (a sweep takes several)"
        );
    }

    /// Messages show the value as written: TOML writes 1e308 back as 309
    /// digits.
    #[test]
    fn messages_show_the_value_as_written() {
        let s = parse_one("--set", "adoption.max_level=1e308").unwrap();
        assert_eq!(s.to_string(), "adoption.max_level=1e308");
        assert_eq!(s.number(), Some(1e308));
        // Files get TOML's own form, which reads back to the same value.
        assert_eq!(s.text().parse::<f64>(), Ok(1e308));
        assert_eq!(s.rebased("..").to_string(), "adoption.max_level=1e308");
    }

    /// A number below the smallest double is refused, not read as 0; in a
    /// distribution too.
    #[test]
    fn a_number_too_small_for_a_double_is_refused() {
        for (arg, written) in [
            ("a.b=1e-400", "1e-400"),
            ("a.b={ uniform = [-2e-999, 1] }", "-2e-999"),
        ] {
            assert_eq!(
                parse_one("--set", arg).unwrap_err().to_string(),
                format!(
                    "--set {arg}: {written} is too small to be told from 0 (below 5e-324); write 0 or a larger number"
                )
            );
        }
        assert_eq!(
            parse_one("--set", "a.b=5e-324").unwrap().number(),
            Some(5e-324)
        );
        assert_eq!(
            parse_one("--set", "a.b=0e-400").unwrap().number(),
            Some(0.0)
        );
    }

    /// An item whose name holds a `=` can be set: the path ends at the
    /// first `=` after which it is whole.
    #[test]
    fn item_names_may_hold_an_equals_sign() {
        let one = |a: &str| parse_one("--set", a).unwrap();
        let s = one("costs.Seats=40.amount=5");
        assert_eq!(
            (s.path.as_str(), s.number()),
            ("costs.Seats=40.amount", Some(5.0))
        );
        let s = one("costs.a=b.amount={ uniform = [1, 2] }");
        assert_eq!(s.path, "costs.a=b.amount");
        assert_eq!(s.text(), "{ uniform = [1, 2] }");
        let s = one("adoption.max_level={ pert = [0.5, 0.7, 0.9] }");
        assert_eq!(s.path, "adoption.max_level");
        let s = one("horizon_years=7");
        assert_eq!((s.path.as_str(), s.number()), ("horizon_years", Some(7.0)));
        // No whole path: the first `=`, as before (the path is then refused
        // by the scenario's check, naming it).
        let s = one("costs.A=1");
        assert_eq!(s.path, "costs.A");
    }

    /// A distribution written twice in two number forms is the same value
    /// twice, as a number is; different shapes or fields are not.
    #[test]
    fn the_same_distribution_in_other_number_forms_is_refused() {
        let err = |a: &str| parse_list("--set", a).unwrap_err().to_string();
        assert_eq!(
            err("a.b={ pert = [1, 2, 3] },{ pert = [1.0, 2e0, 3] }"),
            "--set a.b: lists the value { pert = [1.0, 2e0, 3] } twice"
        );
        assert_eq!(
            err("a.b={ normal = { mean = 1, sd = 2 } },{ normal = { sd = 2.0, mean = 1 } }"),
            "--set a.b: lists the value { normal = { sd = 2.0, mean = 1 } } twice"
        );
        assert_eq!(err("a.b=0.5,5e-1"), "--set a.b: lists the value 5e-1 twice");
        for ok in [
            "a.b={ pert = [1, 2, 3] },{ pert = [1, 2, 4] }",
            "a.b={ pert = [1, 2, 3] },{ triangular = [1, 2, 3] }",
            "a.b={ normal = { mean = 1, sd = 2 } },{ normal = { mean = 1, sd = 2, min = 0 } }",
            "a.b={ uniform = [1, 2] },1",
        ] {
            assert_eq!(parse_list("--set", ok).unwrap().values.len(), 2, "{ok}");
        }
    }

    /// Files get each number in the shortest form that reads back to it
    /// (`dist::write::write_number`, as `fit` writes its lines): TOML's own
    /// writer gives 5e-324 as 324 digits and 1e15 as 16. Whole numbers are
    /// written without a point, which TOML reads as integers: the same
    /// numbers.
    #[test]
    fn values_are_written_short_and_read_back_the_same() {
        // Every number of a value, in order, as the bits of its double.
        fn bits(v: &Value) -> Vec<u64> {
            match v {
                Value::Integer(i) => vec![(*i as f64).to_bits()],
                Value::Float(x) => vec![x.to_bits()],
                Value::Array(a) => a.iter().flat_map(bits).collect(),
                Value::Table(t) => t.values().flat_map(bits).collect(),
                _ => vec![],
            }
        }
        for (given, written) in [
            ("5e-324", "5e-324"),
            ("-5e-324", "-5e-324"),
            ("1e15", "1e15"),
            ("1.7976931348623157e308", "1.7976931348623157e308"),
            ("1000.0", "1000"),
            ("0.1", "0.1"),
            ("-0.0", "-0.0"),
            ("-0", "0"),
            ("7", "7"),
            (
                "{ pert = [1e-300, 2.5, 1e14] }",
                "{ pert = [1e-300, 2.5, 100000000000000] }",
            ),
            (
                "{ normal = { mean = 1, sd = 2.0 } }",
                "{ normal = { mean = 1, sd = 2 } }",
            ),
            (
                r#"{ empirical = { file = "a b.csv", column = "x" } }"#,
                r#"{ empirical = { column = "x", file = "a b.csv" } }"#,
            ),
        ] {
            let s = parse_one("--set", &format!("a.b={given}")).unwrap();
            assert_eq!(s.text(), written, "{given}");
            // Read back, it is the same value, every number to the bit
            // (-0.0 included).
            let back = parse_value(written).unwrap();
            assert!(same_value(&back, &s.value), "{given}");
            assert_eq!(bits(&back), bits(&s.value), "{given}");
        }
        assert_eq!(key_text("amount"), "amount");
        assert_eq!(key_text("Time saved"), "\"Time saved\"");
    }

    /// `1,000` reads as the two values 1 and 000; a message about it says
    /// that numbers take no thousands separators. A sweep over 1 and 500
    /// (`1,500`) is a valid list and gets no such message.
    #[test]
    fn thousands_separators_are_explained() {
        let hint = "commas separate values, so write numbers without thousands separators (1000, not 1,000)";
        let err = |f: fn(&str, &str) -> Result<(), SetError>, a: &str| {
            f("--set", a).unwrap_err().to_string()
        };
        let list = |f: &str, a: &str| parse_list(f, a).map(|_| ());
        let one = |f: &str, a: &str| parse_one(f, a).map(|_| ());
        for (e, what) in [
            (err(list, "units=1,000"), "--set units=000: "),
            (err(list, "units=12,000,000"), "--set units=000: "),
            (err(one, "units=1,500"), "--set units: gives 2 values"),
            (err(one, "units=-1,500"), "--set units: gives 2 values"),
        ] {
            assert!(e.starts_with(what) && e.ends_with(hint), "{e}");
        }
        assert!(!err(one, "units=1,2").contains("thousands"));
        assert!(!err(one, "units=0.5,500").contains("thousands"));
        assert_eq!(parse_list("--set", "units=1,500").unwrap().values.len(), 2);
    }

    #[test]
    fn overlays_follow_the_sections() {
        let l = |a: &str| parse_list("--set", a).unwrap().values.remove(0);
        let a = l("adoption.max_level=0.7");
        let b = l("costs.Subscription seats.units=40");
        let c = l("costs.Subscription seats.amount={ uniform = [1, 2] }");
        let d = l("horizon_years=7");
        let t = overlay(&[&a, &b, &c, &d]);
        let text = toml::to_string(&t).unwrap();
        assert_eq!(
            text,
            "horizon_years = 7\n\n[adoption]\nmax_level = 0.7\n\n[[costs]]\nname = \"Subscription seats\"\nunits = 40\n\n[costs.amount]\nuniform = [1, 2]\n"
        );
    }
}
