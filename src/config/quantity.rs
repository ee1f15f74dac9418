//! Turns a quantity as written (a number or a one-key distribution table,
//! optionally with `min`/`max` truncation) into a typed [`Quantity`].
//! Errors are plain sentences; the caller adds file, line and field path.
//!
//! An empirical quantity reads its values from a CSV file, whose path is
//! relative to the directory of the scenario file (`dir`).

use super::history;
use crate::dist::{
    Beta, Discrete, Dist, Empirical, Family, LogNormal, Normal, Pert, Quantity, Triangular, Uniform,
};
use std::path::Path;
use toml::{Table, Value};

/// The distribution keys a quantity table may use.
pub const FAMILIES: [&str; 8] = [
    "uniform",
    "triangular",
    "pert",
    "normal",
    "lognormal",
    "beta",
    "discrete",
    "empirical",
];

/// Parses a quantity of a scenario file in directory `dir`.
pub fn parse(v: &Value, dir: &Path) -> Result<Quantity, String> {
    match v {
        Value::Integer(_) | Value::Float(_) => number(v, "the value").map(Quantity::Fixed),
        Value::Table(t) => parse_table(t, dir),
        other => Err(format!(
            "expected a number or a distribution table such as {{ pert = [1, 2, 4] }}, found {}",
            other.type_str()
        )),
    }
}

fn parse_table(t: &Table, dir: &Path) -> Result<Quantity, String> {
    let mut family_keys = Vec::new();
    for k in t.keys() {
        if FAMILIES.contains(&k.as_str()) {
            family_keys.push(k.as_str());
        } else if k != "min" && k != "max" {
            return Err(format!(
                "unknown key `{k}` in a quantity; expected one distribution ({}) and optionally `min`/`max`",
                FAMILIES.join(", ")
            ));
        }
    }
    let key = match family_keys.as_slice() {
        [k] => *k,
        [] => {
            return Err(format!(
                "a distribution table needs exactly one of {}",
                FAMILIES.join(", ")
            ));
        }
        many => {
            return Err(format!(
                "a quantity has one distribution, found {}",
                many.join(" and ")
            ));
        }
    };
    let bound = |name: &str| -> Result<Option<f64>, String> {
        t.get(name).map(|v| number(v, name)).transpose()
    };
    let (min, max) = (bound("min")?, bound("max")?);
    let family = parse_family(key, &t[key], dir).map_err(|e| format!("{key}: {e}"))?;
    Dist::truncated(family, min, max)
        .map(Quantity::Random)
        .map_err(|e| e.to_string())
}

fn parse_family(key: &str, v: &Value, dir: &Path) -> Result<Family, String> {
    let e = |e: crate::dist::DistError| e.to_string();
    Ok(match key {
        "uniform" => {
            let [a, b] = numbers::<2>(v, "[min, max]")?;
            Family::Uniform(Uniform::new(a, b).map_err(e)?)
        }
        "triangular" => {
            let [a, m, b] = numbers::<3>(v, "[min, mode, max]")?;
            Family::Triangular(Triangular::new(a, m, b).map_err(e)?)
        }
        "pert" => {
            let [a, m, b] = numbers::<3>(v, "[min, mode, max]")?;
            Family::Pert(Pert::new(a, m, b).map_err(e)?)
        }
        "normal" => {
            let f = fields(v, &["mean", "sd"], "{ mean = .., sd = .. }")?;
            Family::Normal(Normal::new(f[0], f[1]).map_err(e)?)
        }
        "lognormal" => {
            let t = v
                .as_table()
                .ok_or("expected { p5 = .., p95 = .. } or { mean = .., sd = .. }")?;
            if t.contains_key("p5") || t.contains_key("p95") {
                let f = fields(v, &["p5", "p95"], "{ p5 = .., p95 = .. }")?;
                Family::LogNormal(LogNormal::from_p5_p95(f[0], f[1]).map_err(e)?)
            } else {
                let f = fields(
                    v,
                    &["mean", "sd"],
                    "{ p5 = .., p95 = .. } or { mean = .., sd = .. }",
                )?;
                Family::LogNormal(LogNormal::from_mean_sd(f[0], f[1]).map_err(e)?)
            }
        }
        "beta" => {
            let f = fields(v, &["alpha", "beta"], "{ alpha = .., beta = .. }")?;
            Family::Beta(Beta::new(f[0], f[1]).map_err(e)?)
        }
        "discrete" => {
            let shape = "{ values = [..], weights = [..] }";
            let t = v.as_table().ok_or(format!("expected {shape}"))?;
            for k in t.keys() {
                if k != "values" && k != "weights" {
                    return Err(format!("unknown key `{k}`; expected {shape}"));
                }
            }
            let list = |name: &str| -> Result<Vec<f64>, String> {
                let arr = t
                    .get(name)
                    .ok_or(format!("missing `{name}`; expected {shape}"))?
                    .as_array()
                    .ok_or(format!("`{name}` must be an array of numbers"))?;
                arr.iter().map(|x| number(x, name)).collect()
            };
            Family::Discrete(Discrete::new(&list("values")?, &list("weights")?).map_err(e)?)
        }
        "empirical" => empirical(v, dir)?,
        _ => unreachable!("family keys are checked by the caller"),
    })
}

/// `{ file = "..", column = "..", scale = .. }`: the column's values.
fn empirical(v: &Value, dir: &Path) -> Result<Family, String> {
    let shape = "{ file = \"history.csv\", column = \"name\" }, optionally with scale = ..";
    let t = v.as_table().ok_or(format!("expected {shape}"))?;
    for k in t.keys() {
        if !["file", "column", "scale"].contains(&k.as_str()) {
            return Err(format!("unknown key `{k}`; expected {shape}"));
        }
    }
    let text = |name: &str| -> Result<&str, String> {
        t.get(name)
            .ok_or(format!("missing `{name}`; expected {shape}"))?
            .as_str()
            .ok_or(format!("`{name}` must be a string"))
    };
    let (file, column) = (text("file")?, text("column")?);
    let scale = t
        .get("scale")
        .map(|s| number(s, "scale"))
        .transpose()?
        .unwrap_or(1.0);
    let values = history::read_column(&dir.join(file), file, column)?;
    Empirical::new(&values, scale, format!("{file}: {column}"))
        .map(Family::Empirical)
        .map_err(|e| format!("`{file}` column `{column}` {e}"))
}

/// The largest magnitude a number in a scenario may have: far beyond any
/// budget, and small enough that products of amounts, units and months
/// cannot overflow.
pub const MAX_MAGNITUDE: f64 = 1e15;

fn number(v: &Value, what: &str) -> Result<f64, String> {
    match v {
        Value::Integer(i) if (*i as f64).abs() <= MAX_MAGNITUDE => Ok(*i as f64),
        Value::Float(f) if f.abs() <= MAX_MAGNITUDE => Ok(*f),
        Value::Integer(i) => Err(format!(
            "`{what}` is too large (got {i}; at most 1e15 in magnitude)"
        )),
        Value::Float(f) if f.is_finite() => Err(format!(
            "`{what}` is too large (got {f}; at most 1e15 in magnitude)"
        )),
        Value::Float(f) => Err(format!("`{what}` must be a finite number (got {f})")),
        other => Err(format!(
            "`{what}` must be a number, found {}",
            other.type_str()
        )),
    }
}

fn numbers<const N: usize>(v: &Value, shape: &str) -> Result<[f64; N], String> {
    let arr = v
        .as_array()
        .filter(|a| a.len() == N)
        .ok_or(format!("expected {N} numbers {shape}"))?;
    let mut out = [0.0; N];
    for (o, x) in out.iter_mut().zip(arr) {
        *o = number(x, "each entry")?;
    }
    Ok(out)
}

/// Exactly the named numeric fields of a table, in order.
fn fields(v: &Value, names: &[&str], shape: &str) -> Result<Vec<f64>, String> {
    let t = v.as_table().ok_or(format!("expected {shape}"))?;
    for k in t.keys() {
        if !names.contains(&k.as_str()) {
            return Err(format!("unknown key `{k}`; expected {shape}"));
        }
    }
    names
        .iter()
        .map(|n| {
            number(
                t.get(*n)
                    .ok_or(format!("missing `{n}`; expected {shape}"))?,
                n,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Result<Quantity, String> {
        let t: Table = toml::from_str(&format!("x = {s}")).unwrap();
        parse(&t["x"], Path::new("."))
    }

    #[test]
    fn all_forms_parse() {
        assert_eq!(q("1200").unwrap(), Quantity::Fixed(1200.0));
        assert_eq!(q("0.08").unwrap(), Quantity::Fixed(0.08));
        for s in [
            "{ uniform = [1, 2] }",
            "{ triangular = [3, 6, 12] }",
            "{ pert = [0.6, 0.85, 0.95] }",
            "{ normal = { mean = 6000, sd = 600 } }",
            "{ lognormal = { p5 = 2, p95 = 15 } }",
            "{ lognormal = { mean = 10, sd = 3 } }",
            "{ beta = { alpha = 2, beta = 18 } }",
            "{ discrete = { values = [1, 2], weights = [1, 3] } }",
            "{ normal = { mean = 0.1, sd = 0.05 }, min = 0 }",
            "{ normal = { mean = 0.1, sd = 0.05 }, min = 0, max = 0.2 }",
        ] {
            assert!(matches!(q(s), Ok(Quantity::Random(_))), "{s}: {:?}", q(s));
        }
    }

    #[test]
    fn errors_say_what_is_wrong() {
        let cases = [
            (
                "{ pert = [5, 3, 9] }",
                "pert: pert needs min <= mode <= max",
            ),
            ("{ normal = { mean = 1, sd = 0 } }", "sd must be > 0"),
            ("{ lognormal = { p5 = -1, p95 = 5 } }", "0 < p5 < p95"),
            ("{ normal = { mean = 1, sdd = 2 } }", "unknown key `sdd`"),
            (
                "{ normal = { mean = 1, sd = 1 }, uniform = [1, 2] }",
                "one distribution",
            ),
            ("{ gamma = [1, 2] }", "unknown key `gamma`"),
            ("{ uniform = [0, 1], min = 2 }", "zero probability"),
            (
                "{ discrete = { values = [1], weights = [0] } }",
                "must not all be zero",
            ),
            ("{ uniform = [1, 2, 3] }", "expected 2 numbers"),
            ("\"ten\"", "found string"),
            ("nan", "finite"),
        ];
        for (s, want) in cases {
            let e = q(s).unwrap_err();
            assert!(e.contains(want), "{s}: {e}");
        }
    }
}
