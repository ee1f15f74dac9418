//! Where a problem is and what it is called: the line and column of a byte
//! offset, and the errors of a file that does not deserialise at all:
//! serde's message in plain words with a "did you mean" for a misspelt key
//! (`suggest`), the field path at the position (`locate`), a duplicate key
//! named with its table, and the retry that finds every unknown key of a
//! file rather than only the first.

use crate::config::raw::RawScenario;
use crate::config::{ScenarioError, ScenarioErrors, locate, suggest};
use std::ops::Range;
use std::path::Path;

/// 1-based column, in characters, of byte `offset` in `text`.
pub(super) fn column_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    let start = text[..end].rfind('\n').map_or(0, |i| i + 1);
    text.get(start..end).map_or(1, |s| s.chars().count() + 1)
}

/// The 1-based line of byte `offset`.
pub(super) fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// An error of `file` (whose text is `text`) at the bytes `span`, if
/// known, with its line and column.
pub(in crate::config) fn error_at(
    file: &Path,
    text: &str,
    span: Option<Range<usize>>,
    path: &str,
    message: impl Into<String>,
) -> ScenarioError {
    ScenarioError {
        file: file.to_path_buf(),
        line: span.as_ref().map(|s| line_of(text, s.start)),
        column: span.as_ref().map(|s| column_of(text, s.start)),
        path: path.to_string(),
        message: message.into(),
        span,
    }
}

/// Serde names Rust types in its messages; analysts read numbers.
fn plain_type_names(message: &str) -> String {
    let plain = message
        .replace("expected i64", "expected a whole number")
        .replace("expected f64", "expected a number")
        .replace("expected a sequence", "expected an array")
        .replace("expected a boolean", "expected true or false");
    too_large_integer(&plain).unwrap_or(plain)
}

/// A whole number beyond TOML's 64-bit integers, which the parser reports
/// as "invalid value: integer `N`, expected a whole number" (as if N were
/// not one), said plainly.
///
/// Where any number may stand (an amount, a rate: "expected any valid TOML
/// value", the integer named "as i128"), it says how to write a larger
/// number: with a decimal point or an exponent. A number the parser could
/// not even hold ("integer number overflowed") is said to be too large,
/// without the hint, as the field is not known there.
fn too_large_integer(message: &str) -> Option<String> {
    if message == "integer number overflowed" {
        return Some(format!(
            "this whole number is too large: whole numbers in a scenario file stop at {}",
            i64::MAX
        ));
    }
    let rest = message
        .strip_prefix("invalid value: integer `")
        .or_else(|| message.strip_prefix("invalid type: integer `"))?;
    let (number, tail) = rest.split_once('`')?;
    let any_number = tail.ends_with("expected any valid TOML value");
    if !(tail.ends_with("expected a whole number") || any_number) {
        return None;
    }
    Some(format!(
        "{number} is too large: whole numbers in a scenario file stop at {}{}",
        i64::MAX,
        if any_number {
            "; a larger number can be written with a decimal point or an exponent (1e20)"
        } else {
            ""
        }
    ))
}

/// One structural (serde) error as a scenario error.
fn structural_error(text: &str, file: &Path, e: &toml::de::Error) -> ScenarioError {
    let span = e.span();
    let at = span.as_ref().and_then(|s| locate::path_at(text, s.start));
    let mut message = plain_type_names(e.message().trim());
    // `extends` and `abstract` are read before serde sees the top level
    // (config/extends.rs), so its list of the top level's keys lacks them.
    if at
        .as_deref()
        .is_some_and(|p| !p.contains(['.', '[']) && !p.is_empty())
    {
        message = suggest::with_known(&message, &["extends", "abstract"]);
    }
    let mut message = suggest::unknown_field(&message);
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
            .or(at.filter(|_| span.is_some()))
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
pub(super) fn structural_errors(text: &str, file: &Path, first: toml::de::Error) -> ScenarioErrors {
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

#[cfg(test)]
mod tests {
    use crate::config::Scenario;
    use std::path::Path;

    const BASE: &str = "horizon_years = 5\n[finance]\ndiscount_rate = 0.08\ntarget_payback_years = 3\n\
        [[costs]]\nname = \"License\"\namount = 5\n[[costs]]\nname = \"Training\"\namount = 7\n\
        [[benefits]]\nname = \"Time\"\nkind = \"efficiency\"\nhours_saved_per_month = 4\nhourly_cost = 50\n";

    fn first_error(text: &str) -> String {
        let e = Scenario::from_toml(text, Path::new("d.toml")).unwrap_err();
        e.0[0].to_string()
    }

    /// Whole numbers beyond TOML's 64 bits, said plainly wherever they
    /// stand, with how to write a larger amount where any number may.
    #[test]
    fn too_large_whole_numbers_are_said_plainly() {
        let cases = [
            (
                ("amount = 7\n", "amount = 99999999999999999999\n"),
                "d.toml:10:10: costs.Training.amount: 99999999999999999999 is too large: whole numbers in a scenario file stop at 9223372036854775807; a larger number can be written with a decimal point or an exponent (1e20)",
            ),
            (
                (
                    "amount = 7\n",
                    "amount = 999999999999999999999999999999999999999999\n",
                ),
                "d.toml:10:10: costs.Training.amount: this whole number is too large: whole numbers in a scenario file stop at 9223372036854775807",
            ),
            (
                (
                    "horizon_years = 5\n",
                    "horizon_years = 99999999999999999999\n",
                ),
                "d.toml:1:17: horizon_years: 99999999999999999999 is too large: whole numbers in a scenario file stop at 9223372036854775807",
            ),
        ];
        for ((from, to), want) in cases {
            let text = BASE.replacen(from, to, 1);
            assert_eq!(first_error(&text), want, "{text}");
        }
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

    /// `extends` and `abstract` are top-level keys that serde does not
    /// see (they are read first), so its list of known keys lacked them.
    #[test]
    fn a_misspelt_extends_or_abstract_is_suggested() {
        let text = format!("extend = \"base.toml\"\n{BASE}");
        assert_eq!(
            first_error(&text),
            "d.toml:1:1: extend: unknown field `extend`, did you mean `extends`?"
        );
        let text = format!("abstrakt = true\n{BASE}");
        assert_eq!(
            first_error(&text),
            "d.toml:1:1: abstrakt: unknown field `abstrakt`, did you mean `abstract`?"
        );
        // Not inside a table: `[finance]` has no `extends`.
        let text = BASE.replacen("discount_rate", "extends = 1\ndiscount_rate", 1);
        let e = first_error(&text);
        assert!(
            e.contains("finance.extends: unknown field `extends`") && !e.contains("abstract"),
            "{e}"
        );
    }

    /// TOML's whole numbers are 64-bit: a larger one is not "not a whole
    /// number", as the parser put it.
    #[test]
    fn a_whole_number_beyond_64_bits_is_called_too_large() {
        for (field, value) in [
            ("horizon_years = 5", "horizon_years = 99999999999999999999"),
            (
                "horizon_years = 5",
                "horizon_years = 5\n[simulation]\nseed = 9223372036854775808",
            ),
        ] {
            let e = first_error(&BASE.replacen(field, value, 1));
            assert!(
                e.ends_with(
                    "is too large: whole numbers in a scenario file stop at 9223372036854775807"
                ) && (e.contains("99999999999999999999") || e.contains("9223372036854775808")),
                "{e}"
            );
        }
    }
}
