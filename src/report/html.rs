//! `report.html`: one self-contained page per scenario for management.

use crate::results::Results;
use anyhow::Result;

/// The report page.
pub fn render(r: &Results) -> Result<String> {
    Ok(format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{}</title></head><body></body></html>\n",
        escape(&r.summary.scenario)
    ))
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
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
