//! The report's section "What has to go wrong": what the futures that lose
//! money, or miss the payback target, have in common, and what each shock
//! does to NPV, in sentences and two tables. `results::tails` computes the
//! figures; this file only words them. Scenario text goes through
//! [`escape`], every number through `format`.

use super::{Page, escape};
use crate::format::percentile_rank;
use crate::lang::fill;
use crate::results::tails::{FLOOR, MIN_FUTURES};
use crate::results::{ShockImpact, Tail, TailInput, TailShock};
use anyhow::Result;
use std::fmt::Write;

/// Inputs a tail's sentence names.
const NAMED: usize = 3;

/// Inputs the table lists at most (the ten that stand out most).
const TABLE_ROWS: usize = 10;

/// A tail's verb phrase: plural ("futures that lose money") and singular.
struct What {
    plural: String,
    singular: String,
    /// The table's column heading.
    column: String,
}

/// The section, after the drivers.
pub(super) fn section(o: &mut String, p: &Page) -> Result<()> {
    let (s, l, t) = (p.s, p.l, p.t);
    writeln!(o, "<h2>{}</h2>", t.tails_heading)?;
    let ta = &s.tail_analysis;
    let horizon = p.horizon();
    let loses = What {
        plural: t.tails_lose_plural.into(),
        singular: t.tails_lose_singular.into(),
        column: t.tails_lose_column.into(),
    };
    let late = match s.target_payback_years {
        Some(tp) => {
            let target = [("target", &l.trim(tp) as &dyn std::fmt::Display)];
            What {
                plural: fill(t.tails_miss_plural, &target),
                singular: fill(t.tails_miss_singular, &target),
                column: fill(t.tails_miss_column, &target),
            }
        }
        None => {
            let h = [("horizon", &horizon as &dyn std::fmt::Display)];
            What {
                plural: fill(t.tails_never_plural, &h),
                singular: fill(t.tails_never_singular, &h),
                column: t.tails_never_column.into(),
            }
        }
    };
    for (tail, what) in [(&ta.npv_negative, &loses), (&ta.payback_missed, &late)] {
        writeln!(o, "<p>{}</p>", tail_sentence(p, tail, what))?;
    }
    tail_table(
        o,
        p,
        [&ta.npv_negative, &ta.payback_missed],
        [&loses, &late],
    )?;
    shocks(o, p, &horizon)?;
    let first = if ta.trials < s.trials {
        fill(
            t.tails_note_first,
            &[
                ("used", &p.thousands(ta.trials as f64)),
                ("trials", &p.thousands(s.trials as f64)),
            ],
        )
    } else {
        String::new()
    };
    writeln!(
        o,
        "<p class=\"note\">{}{first}</p>",
        fill(
            t.tails_note,
            &[("floor", &l.trim(FLOOR)), ("min", &MIN_FUTURES)]
        )
    )?;
    Ok(())
}

/// "sits low (median at the 10th percentile)" for the first input named,
/// "low (12th)" for the next ones.
fn input_words(p: &Page, i: &TailInput, first: bool) -> String {
    let t = p.t;
    let side = if i.shift < 0.0 { t.low } else { t.high };
    let rank = p.l.ordinal(percentile_rank(i.median_rank));
    let name = p.input(&i.input);
    let args = [
        ("name", &name as &dyn std::fmt::Display),
        ("side", &side),
        ("rank", &rank),
    ];
    if first {
        fill(t.tails_input_first, &args)
    } else {
        fill(t.tails_input_next, &args)
    }
}

/// "Project fails struck in 89% of them (9.6% of all futures)" for the
/// first shock named, "Key users leave in 47% (41%)" for the next ones.
fn shock_words(p: &Page, sh: &TailShock, first: bool) -> String {
    let name = escape(&sh.shock);
    let (tail, all) = (
        p.l.chance1(sh.strikes_in_tail),
        p.l.chance1(sh.strikes_overall),
    );
    let args = [
        ("name", &name as &dyn std::fmt::Display),
        ("tail", &tail),
        ("all", &all),
    ];
    if first {
        fill(p.t.tails_shock_first, &args)
    } else {
        fill(p.t.tails_shock_next, &args)
    }
}

/// How far a shock's share of struck futures in a tail is from its share
/// overall.
fn shock_shift(sh: &TailShock) -> f64 {
    (sh.strikes_in_tail - sh.strikes_overall).abs()
}

/// "a, b and c".
fn join(p: &Page, items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{}{}{last}", rest.join(", "), p.t.and),
    }
}

/// One tail in a sentence.
fn tail_sentence(p: &Page, tl: &Tail, what: &What) -> String {
    let t = p.t;
    let k = tl.futures;
    if k == 0 {
        return fill(t.tails_none, &[("what", &what.singular)]);
    }
    if k < MIN_FUTURES {
        return fill(
            t.tails_too_few,
            &[("n", &p.thousands(k as f64)), ("what", &what.plural)],
        );
    }
    if tl.share == 1.0 {
        return fill(t.tails_every, &[("what", &what.singular)]);
    }
    let opening = fill(
        t.tails_opening,
        &[("share", &p.l.chance1(tl.share)), ("what", &what.plural)],
    );
    let inputs: Vec<&TailInput> = tl.inputs.iter().filter(|i| i.stands_out).collect();
    let mut shocks: Vec<&TailShock> = tl.shocks.iter().filter(|s| s.stands_out).collect();
    shocks.sort_by(|a, b| shock_shift(b).total_cmp(&shock_shift(a)));
    if inputs.is_empty() && shocks.is_empty() {
        return fill(t.tails_nothing_stands_out, &[("opening", &opening)]);
    }
    let mut named: Vec<String> = inputs
        .iter()
        .take(NAMED)
        .enumerate()
        .map(|(j, i)| input_words(p, i, j == 0))
        .collect();
    let more = inputs.len().saturating_sub(NAMED);
    if more > 0 {
        named.push(fill(
            if more == 1 {
                t.tails_more_one
            } else {
                t.tails_more_many
            },
            &[("n", &more)],
        ));
    }
    let struck: Vec<String> = shocks
        .iter()
        .enumerate()
        .map(|(j, sh)| shock_words(p, sh, j == 0))
        .collect();
    let parts: Vec<String> = [join(p, &named), join(p, &struck)]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect();
    format!("{opening}, {}.", parts.join("; "))
}

/// The assumptions and shocks that stand out in either tail, with where
/// they sit in both.
fn tail_table(o: &mut String, p: &Page, tails: [&Tail; 2], what: [&What; 2]) -> Result<()> {
    let t = p.t;
    // Inputs in the order of their largest |shift| over the two tails.
    let mut paths: Vec<(&str, f64)> = Vec::new();
    for tl in tails {
        for i in tl.inputs.iter().filter(|i| i.stands_out) {
            match paths.iter_mut().find(|(p, _)| *p == i.input) {
                Some((_, s)) => *s = s.max(i.shift.abs()),
                None => paths.push((&i.input, i.shift.abs())),
            }
        }
    }
    paths.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut shocks: Vec<(&str, f64)> = Vec::new();
    for tl in tails {
        for sh in tl.shocks.iter().filter(|s| s.stands_out) {
            match shocks.iter_mut().find(|(n, _)| *n == sh.shock) {
                Some((_, d)) => *d = d.max(shock_shift(sh)),
                None => shocks.push((&sh.shock, shock_shift(sh))),
            }
        }
    }
    shocks.sort_by(|a, b| b.1.total_cmp(&a.1));
    if paths.is_empty() && shocks.is_empty() {
        return Ok(());
    }
    let more = paths.len().saturating_sub(TABLE_ROWS);
    paths.truncate(TABLE_ROWS);
    writeln!(
        o,
        "<table>\n<tr><th class=\"w40\">{}</th><th class=\"num\">{}</th>\
         <th class=\"num\">{}</th></tr>",
        t.tails_assumption_or_shock,
        escape(&what[0].column),
        escape(&what[1].column)
    )?;
    let mut dashes = false;
    for (path, _) in &paths {
        let cells = tails.map(|tl| {
            if tl.threshold.is_none() {
                dashes = true;
                return "–".to_string();
            }
            tl.inputs.iter().find(|i| i.input == *path).map_or_else(
                || {
                    dashes = true;
                    "–".to_string()
                },
                |i| {
                    let rank = fill(
                        t.tails_percentile,
                        &[("rank", &p.l.ordinal(percentile_rank(i.median_rank)))],
                    );
                    match (i.stands_out, i.shift < 0.0) {
                        (true, true) => format!("<strong>{rank}</strong> ({})", t.low),
                        (true, false) => format!("<strong>{rank}</strong> ({})", t.high),
                        (false, _) => rank,
                    }
                },
            )
        });
        writeln!(
            o,
            "<tr><td>{}<span class=\"path\">{}</span></td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            p.input(path),
            escape(path),
            cells[0],
            cells[1]
        )?;
    }
    for (name, _) in &shocks {
        let cells = tails.map(|tl| {
            tl.shocks.iter().find(|sh| sh.shock == *name).map_or_else(
                || {
                    dashes = true;
                    "–".to_string()
                },
                |sh| {
                    let tail = p.l.chance1(sh.strikes_in_tail);
                    let struck = fill(t.tails_struck_in, &[("share", &tail)]);
                    let text = if sh.stands_out {
                        format!("<strong>{struck}</strong>")
                    } else {
                        struck
                    };
                    fill(
                        t.tails_struck_overall,
                        &[("struck", &text), ("all", &p.l.chance1(sh.strikes_overall))],
                    )
                },
            )
        });
        writeln!(
            o,
            "<tr><td>{}<span class=\"path\">{}</span></td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            escape(name),
            t.shock,
            cells[0],
            cells[1]
        )?;
    }
    o.push_str("</table>\n");
    let mut notes = Vec::new();
    if dashes {
        notes.push(fill(t.tails_note_dash, &[("min", &MIN_FUTURES)]));
    }
    if more > 0 {
        notes.push(fill(
            if more == 1 {
                t.tails_table_more_one
            } else {
                t.tails_table_more_many
            },
            &[("n", &more)],
        ));
    }
    if !notes.is_empty() {
        writeln!(o, "<p class=\"note\">{}</p>", notes.join(" "))?;
    }
    Ok(())
}

/// What each shock does to NPV: a sentence for the one that lowers median
/// NPV most, and a table of all.
fn shocks(o: &mut String, p: &Page, horizon: &str) -> Result<()> {
    let (s, l, t) = (p.s, p.l, p.t);
    if s.shock_impact.is_empty() {
        writeln!(o, "<p>{}</p>", t.shocks_none)?;
        return Ok(());
    }
    let drop = |r: &ShockImpact| match (r.npv_median_spared, r.npv_median_struck) {
        (Some(a), Some(b)) => Some(a - b),
        _ => None,
    };
    let worst = s
        .shock_impact
        .iter()
        .filter_map(|r| drop(r).map(|d| (r, d)))
        .reduce(|a, b| if b.1 > a.1 { b } else { a });
    match worst {
        Some((r, _)) => {
            let (Some(hit), Some(spared)) = (r.npv_median_struck, r.npv_median_spared) else {
                unreachable!("both medians")
            };
            let chances = match (r.npv_negative_struck, r.npv_negative_spared) {
                (Some(a), Some(b)) => fill(
                    t.shocks_worst_chances,
                    &[("struck", &l.chance1(a)), ("spared", &l.chance1(b))],
                ),
                _ => String::new(),
            };
            writeln!(
                o,
                "<p>{}</p>",
                fill(
                    t.shocks_worst,
                    &[
                        ("name", &escape(&r.shock)),
                        ("horizon", &horizon),
                        ("share", &l.chance1(r.strikes)),
                        ("struck", &p.money(hit)),
                        ("spared", &p.money(spared)),
                        ("chances", &chances),
                    ]
                )
            )?;
        }
        None => writeln!(o, "<p>{}</p>", t.shocks_none_comparable)?,
    }
    writeln!(
        o,
        "<table>\n<tr><th class=\"w25\">{}</th><th class=\"num\">{}</th>\
         <th class=\"num\">{}</th><th class=\"num\">{}</th>\
         <th class=\"num\">{}</th><th class=\"num\">{}</th></tr>",
        t.shock_heading,
        t.shocks_strikes,
        t.shocks_median_struck,
        t.shocks_median_spared,
        t.shocks_loss_struck,
        t.shocks_loss_spared
    )?;
    let mut dashes = false;
    for r in &s.shock_impact {
        let mut m = |v: Option<f64>| {
            v.map_or_else(
                || {
                    dashes = true;
                    "–".to_string()
                },
                |x| p.money(x),
            )
        };
        let (a, b) = (m(r.npv_median_struck), m(r.npv_median_spared));
        let c = |v: Option<f64>| v.map_or("–".to_string(), |x| l.chance1(x));
        writeln!(
            o,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{a}</td><td class=\"num\">{b}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            escape(&r.shock),
            l.chance1(r.strikes),
            c(r.npv_negative_struck),
            c(r.npv_negative_spared)
        )?;
    }
    o.push_str("</table>\n");
    if dashes
        || s.shock_impact
            .iter()
            .any(|r| r.npv_negative_struck.is_none() || r.npv_negative_spared.is_none())
    {
        writeln!(
            o,
            "<p class=\"note\">{}</p>",
            fill(t.shocks_note_dash, &[("min", &MIN_FUTURES)])
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::config::Scenario;
    use crate::engine::{Engine, Settings};
    use crate::sampling::Method;

    fn page(text: &str) -> String {
        let sc = Scenario::from_toml(text, std::path::Path::new("t.toml")).unwrap();
        let settings = Settings::new(5000, 1, Method::MonteCarlo);
        let data = Engine::new(&sc, settings).run(None, &mut |_| {}).unwrap();
        let r = crate::results::Results::new(&sc, &settings, &data);
        let mut o = String::new();
        let lang = crate::lang::Lang::En;
        let p = super::Page {
            s: &r.summary,
            l: lang,
            t: lang.t(),
        };
        super::section(&mut o, &p).unwrap();
        o
    }

    /// Hours drive NPV (a loss below 260 hours, 30% of futures); a shock
    /// with a name full of markup ends the project in some futures.
    const SCENARIO: &str = r#"
currency = "EUR"
horizon_years = 1
[finance]
discount_rate = 0
target_payback_years = 0.75
[[costs]]
name = "Licence"
amount = 156000
[[benefits]]
name = "Time"
kind = "efficiency"
hours_saved_per_month = { uniform = [200, 400] }
hourly_cost = 50
[[shocks]]
name = "<b>Fails</b> & stops"
probability_per_year = 0.3
benefit_loss = 1
"#;

    #[test]
    fn words_the_tails_and_the_shock() {
        let o = page(SCENARIO);
        for part in [
            "<h2>What has to go wrong</h2>",
            "of futures that lose money (NPV below zero), <strong>Time: hours saved per month</strong> sits low (median at the ",
            "percentile)",
            "of futures that miss the 0.75-year payback target, ",
            "<strong>&lt;b&gt;Fails&lt;/b&gt; &amp; stops</strong> struck in ",
            "strikes within the 1-year horizon in ",
            "where it strikes, median NPV is EUR\u{a0}",
            "and the chance of a loss ",
            "<th class=\"num\">In the futures that miss the 0.75-year target</th>",
        ] {
            assert!(o.contains(part), "lacks {part}:\n{o}");
        }
        assert!(!o.contains("<b>"), "markup must be escaped");
    }

    #[test]
    fn says_so_when_nothing_goes_wrong() {
        let safe = SCENARIO
            .replace("156000", "100000")
            .replace("0.75", "2")
            .replace("probability_per_year = 0.3", "probability_per_year = 0");
        let o = page(&safe);
        for part in [
            "No simulated future loses money (NPV below zero).",
            "No simulated future misses the 2-year payback target.",
            // A shock that never strikes: nothing to compare.
            "Each shock strikes in too few futures",
        ] {
            assert!(o.contains(part), "lacks {part}:\n{o}");
        }
        assert!(
            !o.contains("<table>\n<tr><th class=\"w40\">"),
            "no tail table:\n{o}"
        );
    }
}
