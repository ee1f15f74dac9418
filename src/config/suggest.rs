//! "Did you mean ...?": the closest known name to a misspelt one.
//!
//! Closeness is the Damerau-Levenshtein distance (insertions, deletions,
//! substitutions and swaps of neighbours, `strsim`). A name is suggested
//! only when it is close for its length: at most one edit for names of up to
//! four letters, and at most a third of the letters beyond that, so that
//! `hourly_cst` finds `hourly_cost` but `colour` finds nothing in a list of
//! unrelated keys.

/// The known name closest to `word`, if close enough.
pub fn closest<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    known
        .into_iter()
        .map(|k| (strsim::damerau_levenshtein(word, k), k))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Serde's "unknown field `x`, expected one of `a`, `b`" with `more`
/// known names added to its list: keys that are read before serde sees the
/// table (the top level's `extends` and `abstract`, which serde's list
/// leaves out).
pub fn with_known(message: &str, more: &[&str]) -> String {
    if !message.starts_with("unknown field `") || !message.contains("`, expected one of `") {
        return message.to_string();
    }
    let mut message = message.to_string();
    for name in more {
        message.push_str(&format!(", `{name}`"));
    }
    message
}

/// Serde's "unknown field `x`, expected one of `a`, `b`" (or "expected `a`
/// or `b`"), with "did you mean `a`?" when one of them is close.
pub fn unknown_field(message: &str) -> String {
    let Some(rest) = message.strip_prefix("unknown field `") else {
        return message.to_string();
    };
    let Some((word, expected)) = rest.split_once("`, expected ") else {
        return message.to_string();
    };
    let known: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    match closest(word, known) {
        Some(k) => format!("unknown field `{word}`, did you mean `{k}`?"),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let keys = ["hourly_cost", "hours_saved_per_month", "name", "kind"];
        assert_eq!(closest("hourly_cst", keys), Some("hourly_cost"));
        assert_eq!(closest("nmae", keys), Some("name"));
        assert_eq!(closest("colour", keys), None);
        assert_eq!(closest("x", keys), None);
    }

    #[test]
    fn rewrites_serde_messages() {
        assert_eq!(
            unknown_field(
                "unknown field `hourly_cst`, expected one of `name`, `kind`, `hourly_cost`"
            ),
            "unknown field `hourly_cst`, did you mean `hourly_cost`?"
        );
        assert_eq!(
            unknown_field("unknown field `at_mnth`, expected `at_month` or `every`"),
            "unknown field `at_mnth`, did you mean `at_month`?"
        );
        let far = "unknown field `colour`, expected one of `name`, `description`";
        assert_eq!(unknown_field(far), far);
        assert_eq!(unknown_field("missing field `x`"), "missing field `x`");
    }

    #[test]
    fn adds_the_keys_serde_does_not_see() {
        let top = "unknown field `extend`, expected one of `name`, `costs`";
        let more = with_known(top, &["extends", "abstract"]);
        assert_eq!(
            more,
            "unknown field `extend`, expected one of `name`, `costs`, `extends`, `abstract`"
        );
        assert_eq!(
            unknown_field(&more),
            "unknown field `extend`, did you mean `extends`?"
        );
        assert_eq!(
            with_known("missing field `x`", &["extends"]),
            "missing field `x`"
        );
    }
}
