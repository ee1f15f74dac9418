//! Text from the user made safe for each output. Scenario names,
//! descriptions, currency labels, item names, file and column names may
//! hold anything a TOML string or a file name can: markup, control
//! characters (NUL, ESC and its terminal escape sequences, carriage
//! returns) and Unicode direction overrides. No output may run, hide or
//! reorder anything because of them (the rule is stated in
//! `docs/results.md`, "User text in the outputs"):
//!
//! - [`visible`]: every control character but tab and line feed, every
//!   direction control and the non-characters U+FFFE/U+FFFF (which XML
//!   forbids) become U+FFFD (�), so that the text stays visible and every
//!   SVG is well-formed XML; used for CSV cells and chart text;
//! - [`html`]: [`visible`], then `& < > " '` as entities: for HTML element
//!   content and quoted attribute values;
//! - [`terminal`]: control characters but tab and line feed, and direction
//!   controls, shown as `\u{1b}`, so that no escape sequence reaches the
//!   terminal and the user still sees what the file holds.

use std::borrow::Cow;

/// Characters no output shows as they are.
fn hidden(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `s` with every control character except tab and line feed, every
/// direction control and U+FFFE/U+FFFF replaced by U+FFFD.
pub fn visible(s: &str) -> Cow<'_, str> {
    if !s
        .chars()
        .any(|c| hidden(c) || matches!(c, '\u{fffe}' | '\u{ffff}'))
    {
        return Cow::Borrowed(s);
    }
    s.chars()
        .map(|c| {
            if hidden(c) || matches!(c, '\u{fffe}' | '\u{ffff}') {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}

/// `s` for HTML (and XML) text and attribute values.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in visible(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// `s` for the terminal: control characters other than tab and line feed,
/// and direction controls, written as `\u{..}` escapes.
pub fn terminal(s: &str) -> Cow<'_, str> {
    if !s.chars().any(hidden) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if hidden(c) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A relative path as the `href` of a link: every byte but letters, digits,
/// `-._~` and `/` percent-encoded, after `./`, so that no name (such as
/// `javascript:alert(1)` or `a?b#c`) reads as a scheme, a query or a
/// fragment. Safe inside a quoted attribute as it is.
pub fn href_path(path: &str) -> String {
    let mut out = String::from("./");
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Like [`terminal`], but each hidden character becomes as many `?` as it
/// has bytes, so that byte offsets into `s` stay valid (for showing a
/// file's source with a span underlined).
pub fn terminal_same_offsets(s: &str) -> Cow<'_, str> {
    if !s.chars().any(hidden) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if hidden(c) {
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = "a\0b\x1b[31mc\rd\u{7f}e\u{9b}f\u{202e}g\u{fffe}h\ti\nj";

    #[test]
    fn every_output_form_hides_nothing() {
        assert_eq!(visible("plain text, € and ü"), "plain text, € and ü");
        assert!(matches!(visible("plain"), Cow::Borrowed(_)));
        assert_eq!(
            visible(HOSTILE),
            "a\u{fffd}b\u{fffd}[31mc\u{fffd}d\u{fffd}e\u{fffd}f\u{fffd}g\u{fffd}h\ti\nj"
        );
        assert_eq!(
            html("<img src=x onerror='alert(1)'>&\"\0"),
            "&lt;img src=x onerror=&#39;alert(1)&#39;&gt;&amp;&quot;\u{fffd}"
        );
        assert_eq!(
            terminal(HOSTILE),
            "a\\u{0}b\\u{1b}[31mc\\u{d}d\\u{7f}e\\u{9b}f\\u{202e}g\u{fffe}h\ti\nj"
        );
        assert_eq!(
            href_path("sub/javascript:alert(1) ü?#\"<"),
            "./sub/javascript%3Aalert%281%29%20%C3%BC%3F%23%22%3C"
        );
        let same = terminal_same_offsets(HOSTILE);
        assert_eq!(same.len(), HOSTILE.len());
        assert!(!same.chars().any(hidden));
    }
}
