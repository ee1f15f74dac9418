//! Names the field at a position of a scenario file.
//!
//! The TOML deserializer reports an unknown key, a wrong type or a missing
//! field by position only; this walks the file's spanned syntax tree to the
//! innermost key at that position, so the error can also name the field
//! path (`costs.License.amout`). Items of `[[costs]]` and the like are named
//! by their `name`, or by their 1-based position when they have none.

use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// The field path at byte `offset` of `text`, if any key encloses it.
pub fn path_at(text: &str, offset: usize) -> Option<String> {
    let root = DeTable::parse(text).ok()?;
    search_table(root.get_ref(), offset).map(|parts| parts.join("."))
}

/// The numbers of `text` that TOML reads as 0 but that are not 0: a
/// nonzero number below the smallest double (5e-324), such as `1e-400`,
/// which the parser rounds to 0 without a word. Each with its byte range
/// and as written. (A number too large is the parser's own error.)
pub fn underflows(text: &str) -> Vec<(std::ops::Range<usize>, String)> {
    fn walk(v: &Spanned<DeValue>, out: &mut Vec<(std::ops::Range<usize>, String)>) {
        match v.get_ref() {
            DeValue::Float(f) if reads_as_zero(f.as_str()) => {
                out.push((v.span(), f.as_str().to_string()));
            }
            DeValue::Table(t) => t.iter().for_each(|(_, v)| walk(v, out)),
            DeValue::Array(items) => items.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Ok(root) = DeTable::parse(text) {
        root.get_ref().iter().for_each(|(_, v)| walk(v, &mut out));
    }
    out.sort_by_key(|(span, _)| span.start);
    out
}

/// Whether a number as written (`1e-400`) reads as 0 though a digit of
/// its significand is not 0. (A scenario's numbers and a CSV's cells.)
pub fn reads_as_zero(written: &str) -> bool {
    let significand = written.split(['e', 'E']).next().unwrap_or("");
    written.parse::<f64>() == Ok(0.0) && significand.bytes().any(|b| matches!(b, b'1'..=b'9'))
}

/// What is wrong with such a number, for every message about one.
pub fn below_the_doubles() -> String {
    format!(
        "too small to be told from 0 (below {:e})",
        f64::from_bits(1)
    )
}

/// The message for a number of a scenario that reads as 0 though it is not.
pub fn too_small(written: &str) -> String {
    format!(
        "{written} is {}; write 0 or a larger number",
        below_the_doubles()
    )
}

/// `Err` with [`too_small`] when one value written as TOML (`x = VALUE`:
/// a `--set` value, a line of `fit`) holds a number that reads as 0
/// though it is not.
pub fn refuse_underflow(line: &str) -> Result<(), String> {
    match underflows(line).first() {
        Some((_, written)) => Err(too_small(written)),
        None => Ok(()),
    }
}

/// A table declared by a `[header]` spans only its header, so the search
/// looks into every entry rather than following spans down.
fn search_table(t: &DeTable, offset: usize) -> Option<Vec<String>> {
    t.iter().find_map(|(key, value)| {
        let here = || vec![key.get_ref().to_string()];
        if key.span().contains(&offset) {
            return Some(here());
        }
        if let Some(rest) = search_value(value, offset) {
            let mut parts = here();
            match rest {
                Inner::Index(i) => parts[0].push_str(&format!("[{i}]")),
                Inner::Path(p) => parts.extend(p),
                Inner::IndexPath(i, p) => {
                    parts[0].push_str(&format!("[{i}]"));
                    parts.extend(p);
                }
            }
            return Some(parts);
        }
        value.span().contains(&offset).then(here)
    })
}

enum Inner {
    /// The nth (1-based) item of an array, which has no name.
    Index(usize),
    Path(Vec<String>),
    IndexPath(usize, Vec<String>),
}

fn search_value(v: &Spanned<DeValue>, offset: usize) -> Option<Inner> {
    match v.get_ref() {
        DeValue::Table(t) => search_table(t, offset).map(Inner::Path),
        DeValue::Array(items) => items.iter().enumerate().find_map(|(i, item)| {
            let table = item.get_ref().as_table();
            let name = table
                .and_then(|t| t.iter().find(|(k, _)| k.get_ref() == "name"))
                .and_then(|(_, v)| v.get_ref().as_str().map(str::to_string));
            let inner = table.and_then(|t| search_table(t, offset));
            let inside = inner.is_some() || item.span().contains(&offset);
            inside.then(|| match (name, inner) {
                (Some(n), Some(p)) => Inner::Path(std::iter::once(n).chain(p).collect()),
                (Some(n), None) => Inner::Path(vec![n]),
                (None, Some(p)) => Inner::IndexPath(i + 1, p),
                (None, None) => Inner::Index(i + 1),
            })
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Numbers below the smallest double are found wherever they are
    /// written; zeros written as zeros, and small numbers that are
    /// doubles, are not.
    #[test]
    fn finds_numbers_that_read_as_zero() {
        let text = "a = 1e-400\nb = 0.0\nc = 0e-999\nd = 5e-324\ne = -2.5E-330\n[t]\nf = { pert = [0, 1e-999, 1] }\n[[costs]]\ng = [[0.0, 7e-500]]\nh = 2.4e-324\n";
        let found: Vec<String> = underflows(text).into_iter().map(|(_, w)| w).collect();
        assert_eq!(
            found,
            ["1e-400", "-2.5E-330", "1e-999", "7e-500", "2.4e-324"]
        );
        let (span, _) = &underflows(text)[0];
        assert_eq!(&text[span.clone()], "1e-400");
        assert_eq!(
            path_at(text, underflows(text)[2].0.start).unwrap(),
            "t.f.pert[2]"
        );
        assert!(reads_as_zero("1_0e-400".replace('_', "").as_str()));
        assert!(!reads_as_zero("0.000"));
        assert!(!reads_as_zero("1e-300"));
    }

    #[test]
    fn finds_paths_through_items_and_inline_tables() {
        let text = "horizon_years = 5\n[finance]\ndiscount_rate = { normal = { mean = 1, sdd = 2 } }\n\n[[costs]]\nname = \"License\"\namout = 100\n\n[[correlations]]\nbetween = [\"a\", \"b\"]\nrnak = 0.5\n";
        let at = |needle: &str| path_at(text, text.find(needle).unwrap()).unwrap();
        assert_eq!(at("amout"), "costs.License.amout");
        assert_eq!(at("sdd"), "finance.discount_rate.normal.sdd");
        assert_eq!(at("rnak"), "correlations[1].rnak");
        assert_eq!(at("horizon"), "horizon_years");
    }
}
