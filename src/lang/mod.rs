//! The languages of what a person reads in the outputs: report.html,
//! index.html, the charts and the printed summary. One catalogue per
//! language ([`en`], [`nl`]) holds every sentence, label and heading as a
//! field of [`Text`], so that a language that lacks a string does not
//! compile; [`Lang`] writes numbers, money, percentages and years the way
//! that language does (English `1,234.5` and `EUR 1.2M`; Dutch `1.234,5`
//! and `€ 1,2 mln`), on top of the rules of [`crate::format`].
//!
//! The machine-readable files (summary.json, the CSV files) are the same in
//! every language: they go through `format` directly, never through here.
//!
//! A catalogue string may hold placeholders, `{name}`, which [`fill`]
//! replaces; a test checks that every language uses the same placeholders
//! in each string.

use crate::format;
use std::fmt::Display;

mod catalogue;
pub mod en;
pub mod nl;

pub use catalogue::Text;

/// A language of the outputs; English unless asked otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
#[non_exhaustive]
pub enum Lang {
    #[default]
    En,
    Nl,
}

impl Lang {
    /// Every language, English first.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Nl];

    /// The ISO 639-1 code: "en", "nl" (also the `lang` of the HTML pages).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Nl => "nl",
        }
    }

    /// The language of an ISO 639-1 code, in any case.
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(code.trim()))
    }

    /// The catalogue.
    pub fn t(self) -> &'static Text {
        match self {
            Lang::En => &en::EN,
            Lang::Nl => &nl::NL,
        }
    }

    /// A number as `format` writes it (decimal point, comma between
    /// thousands), in this language's convention: Dutch swaps the two.
    pub fn local(self, english: String) -> String {
        match self {
            Lang::En => english,
            Lang::Nl => english
                .chars()
                .map(|c| match c {
                    '.' => ',',
                    ',' => '.',
                    c => c,
                })
                .collect(),
        }
    }

    /// [`format::compact`]: "1.2M" / "1,2 mln", "250k" in both,
    /// "3B" / "3 mld", "2T" / "2 bln".
    pub fn compact(self, v: f64) -> String {
        self.magnitude(format::compact(v))
    }

    /// A number written with an "M" or "B" suffix, as this language writes
    /// it: "1.2M" / "1,2 mln", "3B" / "3 mld".
    fn magnitude(self, s: String) -> String {
        match self {
            Lang::En => s,
            Lang::Nl => {
                let s = self.local(s);
                if let Some(x) = s.strip_suffix('M') {
                    format!("{x} mln")
                } else if let Some(x) = s.strip_suffix('B') {
                    format!("{x} mld")
                } else if let Some(x) = s.strip_suffix('T') {
                    format!("{x} bln")
                } else {
                    s
                }
            }
        }
    }

    /// [`format::thousands`]: "1,234,568" / "1.234.568".
    pub fn thousands(self, v: f64) -> String {
        self.local(format::thousands(v))
    }

    /// A currency label as this language writes it: Dutch writes the euro
    /// as "€"; every other label stays as the scenario has it.
    pub fn currency(self, c: &str) -> &str {
        match (self, c) {
            (Lang::Nl, "EUR") => "€",
            _ => c,
        }
    }

    /// [`format::money`]: "EUR 250k" / "€ 250k", "-250k" without a currency.
    pub fn money(self, v: f64, currency: Option<&str>) -> String {
        match currency.filter(|c| !c.is_empty()) {
            Some(c) => format!("{} {}", self.currency(c), self.compact(v)),
            None => self.compact(v),
        }
    }

    /// [`format::percent`]: "1.2%" / "1,2%".
    pub fn percent(self, p: f64) -> String {
        self.local(format::percent(p))
    }

    /// [`format::percent1`]: "80.2%" / "80,2%".
    pub fn percent1(self, p: f64) -> String {
        self.local(format::percent1(p))
    }

    /// [`format::years`]: a number of years to `decimals` places, without
    /// the unit: "2.35" / "2,35".
    pub fn years(self, x: f64, decimals: usize) -> String {
        self.local(format::years(x, decimals))
    }

    /// A duration with its unit, singular for exactly one: "1 year",
    /// "2.5 years" / "1 jaar", "2,5 jaar". `number` is already written.
    pub fn n_years(self, number: &str) -> String {
        let t = self.t();
        let template = if number == "1" {
            t.n_years_one
        } else {
            t.n_years_many
        };
        fill(template, &[("n", &number)])
    }

    /// [`format::trim`]: "2.5" / "2,5", "3".
    pub fn trim(self, x: f64) -> String {
        self.local(format::trim(x))
    }

    /// [`format::signed`]: "+0.46" / "+0,46".
    pub fn signed(self, x: f64, decimals: usize) -> String {
        self.local(format::signed(x, decimals))
    }

    /// [`format::input_value`]: "6,000", "4.64", "95.1k" / "6.000", "4,64",
    /// "95,1k".
    pub fn input_value(self, v: f64) -> String {
        self.magnitude(format::input_value(v))
    }

    /// [`format::two_digits`]: "0.012" / "0,012".
    pub fn two_digits(self, x: f64) -> String {
        self.local(format::two_digits(x))
    }

    /// [`format::chance`]: "72%", "less than 1%" / "minder dan 1%".
    pub fn chance(self, p: f64) -> String {
        self.chance_words(format::chance(p))
    }

    /// [`format::chance1`]: "6.5%", "less than 0.1%" / "6,5%",
    /// "minder dan 0,1%".
    pub fn chance1(self, p: f64) -> String {
        self.chance_words(format::chance1(p))
    }

    fn chance_words(self, english: String) -> String {
        let t = self.t();
        if let Some(rest) = english.strip_prefix("less than ") {
            fill(t.less_than, &[("x", &self.local(rest.to_string()))])
        } else if let Some(rest) = english.strip_prefix("more than ") {
            fill(t.more_than, &[("x", &self.local(rest.to_string()))])
        } else {
            self.local(english)
        }
    }

    /// The name of a field or section of the scenario format in this
    /// language ("bespaarde uren per maand"); `None` where the language
    /// keeps the name as written, with spaces for underscores (English).
    pub fn field_label(self, name: &str) -> Option<&'static str> {
        match self {
            Lang::En => None,
            Lang::Nl => nl::FIELDS
                .iter()
                .find(|(field, _)| *field == name)
                .map(|(_, label)| *label),
        }
    }

    /// A distribution as `Quantity::describe` writes it, in this
    /// language: Dutch translates the words and writes the numbers its
    /// way, with semicolons between them: "PERT(0.6, 0.85, 0.95)" →
    /// "PERT(0,6; 0,85; 0,95)", "fixed 0.08" → "vast 0,08". The source
    /// of an empirical distribution (a file and column) stays as written.
    pub fn distribution(self, english: &str) -> String {
        if self == Lang::En {
            return english.to_string();
        }
        let (head, source, rest) = match english.strip_prefix("empirical(") {
            Some(after) => match after.find(", ") {
                Some(i) => ("empirical(", &after[..i], &after[i..]),
                None => ("", "", english),
            },
            None => ("", "", english),
        };
        let mut out = self.distribution_words(head);
        out.push_str(source);
        out.push_str(&self.distribution_words(rest));
        out
    }

    fn distribution_words(self, text: &str) -> String {
        const WORDS: &[(&str, &str)] = &[
            ("fixed", "vast"),
            ("triangular", "driehoek"),
            ("normal", "normaal"),
            ("lognormal", "lognormaal"),
            ("mean", "gem."),
            ("shape", "vorm"),
            ("scale", "schaal"),
            ("discrete", "discreet"),
            ("values", "waarden"),
            ("empirical", "empirisch"),
            ("scaled", "geschaald"),
            ("by", "met"),
            ("truncated", "afgekapt"),
            ("to", "tot"),
        ];
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::with_capacity(text.len() + 8);
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            let starts_number = c.is_ascii_digit()
                || (c == '-' && chars.get(i + 1).is_some_and(char::is_ascii_digit));
            if starts_number {
                let start = i;
                i += 1;
                while i < chars.len()
                    && (chars[i].is_ascii_digit()
                        || matches!(chars[i], '.' | 'e' | 'E')
                        || (matches!(chars[i], '-' | '+') && matches!(chars[i - 1], 'e' | 'E')))
                {
                    i += 1;
                }
                let number: String = chars[start..i].iter().collect();
                out.push_str(&number.replace('.', ","));
            } else if c.is_alphabetic() {
                let start = i;
                while i < chars.len() && chars[i].is_alphanumeric() {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                match WORDS.iter().find(|(en, _)| *en == word) {
                    Some((_, nl)) => out.push_str(nl),
                    None => out.push_str(&word),
                }
            } else if c == ',' {
                out.push(';');
                i += 1;
            } else {
                out.push(c);
                i += 1;
            }
        }
        out
    }

    /// A date as this language writes it in full: "1 December 2026" /
    /// "1 december 2026".
    pub fn date(self, d: jiff::civil::Date) -> String {
        let month = self
            .t()
            .month_names
            .split(' ')
            .nth(usize::try_from(d.month() - 1).unwrap_or(0))
            .unwrap_or_default();
        format!("{} {month} {}", d.day(), d.year())
    }

    /// An ordinal: "1st", "22nd" / "1e", "22e".
    pub fn ordinal(self, n: u32) -> String {
        match self {
            Lang::En => format::ordinal(n),
            Lang::Nl => format!("{n}e"),
        }
    }
}

/// `template` with every `{name}` replaced by the value of `name` in
/// `args`. A placeholder without a value is left as it is (a test of each
/// catalogue checks that the languages agree on the placeholders).
pub fn fill(template: &str, args: &[(&str, &dyn Display)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close)
                if after[..close]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_')
                    && !after[..close].is_empty() =>
            {
                let name = &after[..close];
                match args.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(&v.to_string()),
                    None => out.push_str(&rest[open..open + close + 2]),
                }
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The placeholders of a template, sorted and without repeats.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close)
                if !after[..close].is_empty()
                    && after[..close]
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_') =>
            {
                names.push(&after[..close]);
                rest = &after[close + 1..];
            }
            _ => rest = after,
        }
    }
    names.sort_unstable();
    names.dedup();
    names
}

#[cfg(test)]
mod tests;
