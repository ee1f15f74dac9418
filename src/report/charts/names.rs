//! Names as the charts show them: shortened with an ellipsis to the room
//! they have (measured with the embedded font, [`super::glyphs`]), and put
//! in natural order ("option-2" before "option-10"). The full names stay in
//! the result files and the report.

use super::glyphs;
use plotters_backend::BackendTextStyle;
use std::cmp::Ordering;

/// The ellipsis that marks a shortened name.
pub(crate) const ELLIPSIS: char = '…';

/// `text` as it fits `room` pixels in `style`: unchanged when it fits, else
/// its start and its end around an ellipsis ("wholesaler-k…-accounts"), so
/// that names which differ only at the end ("… option 9", "… option 10")
/// stay apart. At least the ellipsis.
pub(crate) fn shorten<S: BackendTextStyle>(text: &str, style: &S, room: f32) -> String {
    if glyphs::width_in(text, style) <= room {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    // The most characters that fit, two thirds from the start.
    let fits = |keep: usize| {
        let head = (keep * 2).div_ceil(3);
        let tail = keep - head;
        let s: String = chars[..head]
            .iter()
            .chain(std::iter::once(&ELLIPSIS))
            .chain(&chars[chars.len() - tail..])
            .collect();
        (glyphs::width_in(&s, style) <= room).then_some(s)
    };
    let (mut lo, mut hi) = (0, chars.len() - 1);
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if fits(mid).is_some() {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    fits(lo).unwrap_or_else(|| ELLIPSIS.to_string())
}

/// Natural order of names: runs of digits compare by their value, the rest
/// character by character, case-insensitively first; ties by the plain
/// text, so that the order is total.
pub(crate) fn natural(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.chars().peekable(), b.chars().peekable());
    loop {
        match (x.peek().copied(), y.peek().copied()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(p), Some(q)) if p.is_ascii_digit() && q.is_ascii_digit() => {
                let digits = |it: &mut std::iter::Peekable<std::str::Chars>| {
                    let mut s = String::new();
                    while let Some(d) = it.next_if(char::is_ascii_digit) {
                        s.push(d);
                    }
                    s
                };
                let (m, n) = (digits(&mut x), digits(&mut y));
                let (m0, n0) = (m.trim_start_matches('0'), n.trim_start_matches('0'));
                let by_value = m0.len().cmp(&n0.len()).then_with(|| m0.cmp(n0));
                if by_value != Ordering::Equal {
                    return by_value;
                }
            }
            (Some(p), Some(q)) => {
                let by_char = p.to_lowercase().cmp(q.to_lowercase());
                if by_char != Ordering::Equal {
                    return by_char;
                }
                x.next();
                y.next();
            }
        }
    }
}

/// Shortened `names`, told apart: where two shorten alike, each gets its
/// place in the list (" #3") appended before shortening again.
pub(crate) fn shorten_all<S: BackendTextStyle>(
    names: &[String],
    style: &S,
    room: f32,
) -> Vec<String> {
    let mut out: Vec<String> = names.iter().map(|n| shorten(n, style, room)).collect();
    let mut seen = std::collections::HashMap::new();
    for (i, s) in out.iter().enumerate() {
        seen.entry(s.clone()).or_insert_with(Vec::new).push(i);
    }
    for (_, same) in seen {
        if same.len() > 1 {
            for i in same {
                let number = format!(" #{}", i + 1);
                let room = room - glyphs::width_in(&number, style);
                out[i] = format!("{}{number}", shorten(&names[i], style, room));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::charts::label_style;

    #[test]
    fn natural_order() {
        let mut v = vec![
            "option-10",
            "option-2",
            "Option-1",
            "option-1",
            "b",
            "a10b",
            "a2c",
            "a02",
        ];
        v.sort_by(|a, b| natural(a, b));
        assert_eq!(
            v,
            [
                "a02",
                "a2c",
                "a10b",
                "b",
                "Option-1",
                "option-1",
                "option-2",
                "option-10"
            ]
        );
        // Digits beyond any integer type still compare by value.
        assert_eq!(
            natural("x99999999999999999999999", "x100000000000000000000000"),
            Ordering::Less
        );
    }

    #[test]
    fn long_names_are_shortened_to_fit() {
        let style = label_style();
        let long = format!("{}-option-10", "very-long-vendor-name-".repeat(9));
        let short = shorten(&long, &style, 200.0);
        assert!(glyphs::width_in(&short, &style) <= 200.0, "{short}");
        assert!(
            short.contains(ELLIPSIS) && short.ends_with("-10"),
            "{short}"
        );
        assert_eq!(shorten("fits", &style, 200.0), "fits");
        assert_eq!(shorten("much too wide", &style, 1.0), "…");
        // Names that shorten alike are told apart.
        let names = [
            long.clone(),
            long.replace("-10", "-11"),
            long.replace("very", "vary"),
        ];
        let shown = shorten_all(&names, &style, 120.0);
        assert_eq!(
            shown.iter().collect::<std::collections::HashSet<_>>().len(),
            3,
            "{shown:?}"
        );
        for s in &shown {
            assert!(glyphs::width_in(s, &style) <= 120.0, "{s}");
        }
    }
}
