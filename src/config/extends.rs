//! Variants: a scenario may say `extends = "base.toml"` and override any
//! part of its base.
//!
//! The base path is relative to the extending file. Top-level values and
//! the fields of `[simulation]`, `[finance]`, `[adoption]` and `[business]`
//! are overridden key by key (a quantity is replaced whole, never mixed with
//! the base's distribution). Items of `[[costs]]`, `[[benefits]]` and
//! `[[shocks]]` merge by `name`, items of `[[correlations]]` by their pair of
//! inputs: a matching item overrides the base item's fields, a new one is
//! added, and `remove = true` deletes the base item. Chains of bases work;
//! a cycle or a missing base is an error.
//!
//! Paths inside a base (the `file` of an empirical quantity) stay relative
//! to the base's own directory.
//!
//! Two keys are never inherited: `name` (a variant is named after its own
//! file unless it says otherwise) and `abstract` (`abstract = true` marks a
//! base that is not meant to run alone; batches skip it).

use super::files::{self, ReadError};
use super::validate::error_at;
use super::{ScenarioError, ScenarioErrors};
use std::path::{Path, PathBuf};
use toml::{Table, Value};

/// Sections whose items merge by name.
const NAMED_ITEMS: [&str; 3] = ["costs", "benefits", "shocks"];
/// Sections whose fields merge key by key.
const SECTIONS: [&str; 4] = ["simulation", "finance", "adoption", "business"];

/// A scenario file with its bases applied.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// TOML text to parse and validate.
    pub text: String,
    /// True when bases were merged in: line numbers of `text` then do not
    /// point into the user's file.
    pub merged: bool,
    /// `abstract = true`: a base, not a scenario to run.
    pub is_abstract: bool,
}

fn error(file: &Path, path: &str, message: impl Into<String>) -> ScenarioErrors {
    ScenarioErrors(vec![ScenarioError {
        file: file.to_path_buf(),
        line: None,
        path: path.to_string(),
        message: message.into(),
        span: None,
        column: None,
    }])
}

/// The most a scenario file may hold (far beyond any written by hand or
/// by `sweep`); a larger one is refused before it is read.
pub const MAX_SCENARIO_BYTES: u64 = 16 << 20;

/// The text of a scenario file: a regular file (a named pipe or a device
/// is refused before it is opened, so that a wrong path cannot block or
/// fill the memory) of at most [`MAX_SCENARIO_BYTES`] of UTF-8.
fn read(file: &Path) -> Result<String, ScenarioErrors> {
    files::read_text(file, MAX_SCENARIO_BYTES)
        .map_err(|e| {
            let message = match e {
                ReadError::NotFound(e) | ReadError::Io(e) => format!("cannot read the file: {e}"),
                ReadError::NotRegular(kind) => format!("is {kind}, not a scenario file"),
                ReadError::TooLarge => format!(
                    "is larger than {} MiB, the most a scenario file may hold",
                    MAX_SCENARIO_BYTES >> 20
                ),
                ReadError::NotUtf8(at) => format!("is not UTF-8 text ({at} is not)"),
            };
            error(file, "", message)
        })
        .and_then(|text| refuse_underflows(file, text))
}

/// `text`, or an error for each number in it that TOML would read as 0
/// though it is not (`1e-400`): a misread number is worse than a refusal.
fn refuse_underflows(file: &Path, text: String) -> Result<String, ScenarioErrors> {
    let found = super::locate::underflows(&text);
    if found.is_empty() {
        return Ok(text);
    }
    Err(ScenarioErrors(
        found
            .into_iter()
            .map(|(span, written)| {
                let path = super::locate::path_at(&text, span.start).unwrap_or_default();
                error_at(
                    file,
                    &text,
                    Some(span),
                    &path,
                    super::locate::too_small(&written),
                )
            })
            .collect(),
    ))
}

/// An error for each key of an abstract base's own `text` that the
/// format does not have: a base is not validated in full (it may leave
/// out what its variants add), but a misspelt key in it would otherwise
/// be found only through a variant, or never.
fn refuse_unknown_keys(file: &Path, text: &str) -> Result<(), ScenarioErrors> {
    let found = super::schema::unknown_keys(text);
    if found.is_empty() {
        return Ok(());
    }
    Err(ScenarioErrors(
        found
            .into_iter()
            .map(|(span, path, message)| error_at(file, text, Some(span), &path, message))
            .collect(),
    ))
}

/// Reads `file` and applies its chain of bases.
pub fn resolve(file: &Path) -> Result<Resolved, ScenarioErrors> {
    let text = read(file)?;
    // A file that does not parse as TOML goes to the validator as it is,
    // which reports the syntax error with its line.
    let Ok(mut table) = toml::from_str::<Table>(&text) else {
        return Ok(Resolved {
            text,
            merged: false,
            is_abstract: false,
        });
    };
    let is_abstract = match table.remove("abstract") {
        None => false,
        Some(Value::Boolean(b)) => b,
        Some(_) => return Err(error(file, "abstract", "must be true or false")),
    };
    if is_abstract {
        refuse_unknown_keys(file, &text)?;
    }
    if !table.contains_key("extends") {
        let text = if is_abstract {
            toml::to_string(&table).unwrap_or(text)
        } else {
            text
        };
        return Ok(Resolved {
            text,
            merged: is_abstract,
            is_abstract,
        });
    }
    let mut chain = vec![canonical(file)];
    let merged = merge_chain(file, table, &mut chain).map_err(|e| attribute(file, e))?;
    let text = toml::to_string(&merged)
        .map_err(|e| error(file, "", format!("cannot merge with its base: {e}")))?;
    Ok(Resolved {
        text,
        merged: true,
        is_abstract,
    })
}

/// Problems found in a base are reported against the file the user asked
/// for, naming the base in the message, so that the failing scenario is the
/// one named.
fn attribute(top: &Path, mut errors: ScenarioErrors) -> ScenarioErrors {
    for e in &mut errors.0 {
        if e.file != top {
            let what = if e.path.is_empty() {
                e.message.clone()
            } else {
                format!("{}: {}", e.path, e.message)
            };
            let line = e.line.map_or(String::new(), |l| format!(" line {l}"));
            e.message = format!("in its base {}{line}: {what}", e.file.display());
            // The position is in the base, not in the file named.
            (e.line, e.column, e.span) = (None, None, None);
            e.file = top.to_path_buf();
            e.path = "extends".into();
        }
    }
    errors
}

fn canonical(p: &Path) -> PathBuf {
    p.canonicalize().unwrap_or_else(|_| p.to_path_buf())
}

/// `table` (read from `file`) with its bases applied, recursively.
fn merge_chain(
    file: &Path,
    mut table: Table,
    chain: &mut Vec<PathBuf>,
) -> Result<Table, ScenarioErrors> {
    let Some(base_ref) = table.remove("extends") else {
        return Ok(table);
    };
    let Value::String(base_ref) = base_ref else {
        return Err(error(
            file,
            "extends",
            "must be the path of the base scenario, as a string",
        ));
    };
    let base_path = file.parent().unwrap_or(Path::new(".")).join(&base_ref);
    match std::fs::metadata(&base_path) {
        Err(_) => {
            return Err(error(
                file,
                "extends",
                format!("base scenario {} not found", base_path.display()),
            ));
        }
        Ok(m) if !m.is_file() => {
            return Err(error(
                file,
                "extends",
                format!(
                    "base scenario {} is {}, not a scenario file",
                    base_path.display(),
                    super::files::kind_of(&m)
                ),
            ));
        }
        Ok(_) => {}
    }
    let key = canonical(&base_path);
    if chain.contains(&key) {
        let cycle: Vec<String> = chain
            .iter()
            .chain([&key])
            .map(|p| p.display().to_string())
            .collect();
        return Err(error(
            file,
            "extends",
            format!("extends forms a cycle: {}", cycle.join(" -> ")),
        ));
    }
    chain.push(key);
    let text = read(&base_path)?;
    let mut base: Table = toml::from_str(&text).map_err(|e| {
        error(
            &base_path,
            "",
            format!(
                "cannot read the base of {}: {}",
                file.display(),
                e.message().trim()
            ),
        )
    })?;
    // Never inherited.
    base.remove("name");
    base.remove("abstract");
    let mut base = merge_chain(&base_path, base, chain)?;
    // The base's data files are relative to the base, not to this file.
    if let Some(dir) = Path::new(&base_ref)
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
    {
        rebase_data_files(&mut base, dir);
    }
    overlay(file, base, table)
}

/// Prefixes the relative `file` of every empirical quantity in `table`
/// with `dir`.
fn rebase_data_files(table: &mut Table, dir: &Path) {
    for (key, value) in table.iter_mut() {
        match value {
            Value::Table(t) if key == "empirical" => {
                if let Some(Value::String(f)) = t.get_mut("file")
                    && Path::new(f.as_str()).is_relative()
                {
                    *f = dir.join(f.as_str()).to_string_lossy().into_owned();
                }
            }
            Value::Table(t) => rebase_data_files(t, dir),
            Value::Array(items) => {
                for item in items {
                    if let Value::Table(t) = item {
                        rebase_data_files(t, dir);
                    }
                }
            }
            _ => {}
        }
    }
}

/// `child` written over `base` by the merge rules of `extends` (`file`
/// names the child in errors).
pub(crate) fn overlay(file: &Path, mut base: Table, child: Table) -> Result<Table, ScenarioErrors> {
    for (key, value) in child {
        if SECTIONS.contains(&key.as_str()) {
            if let (Some(Value::Table(b)), Value::Table(c)) = (base.get_mut(&key), &value) {
                for (k, v) in c {
                    b.insert(k.clone(), v.clone());
                }
                continue;
            }
        }
        if NAMED_ITEMS.contains(&key.as_str()) || key == "correlations" {
            let items = merge_items(file, &key, base.remove(&key), value)?;
            base.insert(key, items);
            continue;
        }
        base.insert(key, value);
    }
    Ok(base)
}

/// How an item is matched with the base's items.
fn item_key(section: &str, item: &Table) -> Option<String> {
    if section == "correlations" {
        let pair = item.get("between")?.as_array()?;
        let mut names: Vec<&str> = pair.iter().filter_map(Value::as_str).collect();
        names.sort_unstable();
        Some(names.join(" <-> "))
    } else {
        item.get("name")?.as_str().map(str::to_string)
    }
}

fn merge_items(
    file: &Path,
    section: &str,
    base: Option<Value>,
    child: Value,
) -> Result<Value, ScenarioErrors> {
    let as_tables = |v: Value, whose: &str| -> Result<Vec<Table>, ScenarioErrors> {
        match v {
            Value::Array(a) => a
                .into_iter()
                .map(|x| match x {
                    Value::Table(t) => Ok(t),
                    _ => Err(error(
                        file,
                        section,
                        format!("{whose} [[{section}]] must be tables"),
                    )),
                })
                .collect(),
            _ => Err(error(
                file,
                section,
                format!("{whose} `{section}` must be [[{section}]] items"),
            )),
        }
    };
    let mut items = match base {
        Some(b) => as_tables(b, "the base's")?,
        None => Vec::new(),
    };
    for (i, mut item) in as_tables(child, "its")?.into_iter().enumerate() {
        let here = format!("{section}[{}]", i + 1);
        let remove = match item.remove("remove") {
            None => false,
            Some(Value::Boolean(b)) => b,
            Some(_) => {
                return Err(error(
                    file,
                    &format!("{here}.remove"),
                    "must be true or false",
                ));
            }
        };
        if remove {
            let id = if section == "correlations" {
                "between"
            } else {
                "name"
            };
            let others: Vec<String> = item
                .keys()
                .filter(|k| *k != id)
                .map(|k| format!("`{k}`"))
                .collect();
            if !others.is_empty() {
                let what =
                    item_key(section, &item).map_or(here.clone(), |k| format!("{section}.{k}"));
                return Err(error(
                    file,
                    &what,
                    format!(
                        "`remove = true` deletes the base's item, so its other fields ({}) would be ignored; give only `{id}` and `remove`, or drop `remove` to change the item",
                        others.join(", ")
                    ),
                ));
            }
        }
        let Some(key) = item_key(section, &item) else {
            // Invalid items are the validator's business.
            items.push(item);
            continue;
        };
        let found = items
            .iter()
            .position(|b| item_key(section, b).as_deref() == Some(key.as_str()));
        match (found, remove) {
            (Some(k), true) => {
                items.remove(k);
            }
            (None, true) => {
                return Err(error(
                    file,
                    &format!("{section}.{key}"),
                    "`remove = true`, but the base has no such item to remove",
                ));
            }
            (Some(k), false) => {
                for (f, v) in item {
                    items[k].insert(f, v);
                }
            }
            (None, false) => items.push(item),
        }
    }
    Ok(Value::Array(items.into_iter().map(Value::Table).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        fs::write(&p, text).unwrap();
        p
    }

    const BASE: &str = r#"
abstract = true
name = "base"
horizon_years = 5
[finance]
discount_rate = 0.08
target_payback_years = 3
[[costs]]
name = "Licence"
amount = { pert = [1, 2, 4] }
at_month = 0
[[costs]]
name = "Seats"
amount = 10
every = "month"
[[correlations]]
between = ["a", "b"]
rank = 0.5
"#;

    #[test]
    fn overrides_merge_and_remove() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "base.toml", BASE);
        let child = write(
            dir.path(),
            "child.toml",
            r#"
extends = "base.toml"
horizon_years = 7
[finance]
discount_rate = { uniform = [0.05, 0.1] }
[[costs]]
name = "Licence"
amount = 5
[[costs]]
name = "Seats"
remove = true
[[costs]]
name = "Training"
amount = 3
[[correlations]]
between = ["b", "a"]
rank = -0.2
"#,
        );
        let r = resolve(&child).unwrap();
        assert!(r.merged && !r.is_abstract);
        let t: Table = toml::from_str(&r.text).unwrap();
        assert_eq!(t["horizon_years"].as_integer(), Some(7));
        assert!(t.get("name").is_none(), "name is not inherited");
        assert!(t["finance"]["discount_rate"].get("uniform").is_some());
        assert_eq!(t["finance"]["target_payback_years"].as_integer(), Some(3));
        let costs = t["costs"].as_array().unwrap();
        let names: Vec<&str> = costs.iter().map(|c| c["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["Licence", "Training"]);
        assert_eq!(costs[0]["amount"].as_integer(), Some(5));
        assert_eq!(
            costs[0]["at_month"].as_integer(),
            Some(0),
            "fields not overridden stay"
        );
        let corr = t["correlations"].as_array().unwrap();
        assert_eq!(corr.len(), 1);
        assert_eq!(corr[0]["rank"].as_float(), Some(-0.2));
    }

    #[test]
    fn chains_cycles_and_missing_bases() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "base.toml", BASE);
        write(
            dir.path(),
            "mid.toml",
            "extends = \"base.toml\"\nhorizon_years = 6\n",
        );
        let top = write(
            dir.path(),
            "top.toml",
            "extends = \"mid.toml\"\ncurrency = \"EUR\"\n",
        );
        let t: Table = toml::from_str(&resolve(&top).unwrap().text).unwrap();
        assert_eq!(t["horizon_years"].as_integer(), Some(6));
        assert_eq!(t["currency"].as_str(), Some("EUR"));
        assert_eq!(t["costs"].as_array().unwrap().len(), 2);

        write(dir.path(), "x.toml", "extends = \"y.toml\"\n");
        let y = write(dir.path(), "y.toml", "extends = \"x.toml\"\n");
        let e = resolve(&y).unwrap_err().to_string();
        assert!(e.contains("cycle"), "{e}");

        let lost = write(dir.path(), "lost.toml", "extends = \"nowhere.toml\"\n");
        let e = resolve(&lost).unwrap_err().to_string();
        assert!(e.contains("extends") && e.contains("not found"), "{e}");

        let bad = write(
            dir.path(),
            "bad.toml",
            "extends = \"base.toml\"\n[[costs]]\nname = \"Nope\"\nremove = true\n",
        );
        let e = resolve(&bad).unwrap_err().to_string();
        assert!(
            e.contains("costs.Nope") && e.contains("no such item"),
            "{e}"
        );

        let both = write(
            dir.path(),
            "both.toml",
            "extends = \"base.toml\"\n[[costs]]\nname = \"Licence\"\nremove = true\namount = 5\n",
        );
        let e = resolve(&both).unwrap_err().to_string();
        assert!(
            e.ends_with("both.toml: costs.Licence: `remove = true` deletes the base's item, so its other fields (`amount`) would be ignored; give only `name` and `remove`, or drop `remove` to change the item"),
            "{e}"
        );
    }

    #[test]
    fn abstract_is_reported_not_inherited() {
        let dir = tempfile::tempdir().unwrap();
        let base = write(dir.path(), "base.toml", BASE);
        assert!(resolve(&base).unwrap().is_abstract);
        let child = write(dir.path(), "child.toml", "extends = \"base.toml\"\n");
        assert!(!resolve(&child).unwrap().is_abstract);
    }
}
