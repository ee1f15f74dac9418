//! The report's section "What has to go wrong": what the futures that lose
//! money, or miss the payback target, have in common, and what each shock
//! does to NPV, in sentences and two tables. `results::tails` computes the
//! figures; this file only words them. Scenario text goes through
//! [`escape`], every number through `format`.

use super::{escape, money, thousands};
use crate::format::{chance1, ordinal, percentile_rank, trim};
use crate::report::pretty_input;
use crate::results::tails::{FLOOR, MIN_FUTURES};
use crate::results::{ShockImpact, Summary, Tail, TailInput, TailShock};
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
pub(super) fn section(o: &mut String, s: &Summary) -> Result<()> {
    o.push_str("<h2>What has to go wrong</h2>\n");
    let ta = &s.tail_analysis;
    let horizon = trim(s.horizon_months as f64 / 12.0);
    let loses = What {
        plural: "lose money (NPV below zero)".into(),
        singular: "loses money (NPV below zero)".into(),
        column: "In the futures that lose money".into(),
    };
    let late = match s.target_payback_years {
        Some(t) => What {
            plural: format!("miss the {}-year payback target", trim(t)),
            singular: format!("misses the {}-year payback target", trim(t)),
            column: format!("In the futures that miss the {}-year target", trim(t)),
        },
        None => What {
            plural: format!("do not pay back within the {horizon}-year horizon"),
            singular: format!("does not pay back within the {horizon}-year horizon"),
            column: "In the futures without payback within the horizon".into(),
        },
    };
    for (tail, what) in [(&ta.npv_negative, &loses), (&ta.payback_missed, &late)] {
        writeln!(o, "<p>{}</p>", tail_sentence(tail, what))?;
    }
    tail_table(o, [&ta.npv_negative, &ta.payback_missed], [&loses, &late])?;
    shocks(o, s, &horizon)?;
    let first = if ta.trials < s.trials {
        format!(
            " These figures use the first {} of the {} futures.",
            thousands(ta.trials as f64),
            thousands(s.trials as f64)
        )
    } else {
        String::new()
    };
    writeln!(
        o,
        "<p class=\"note\">Each assumption's drawn values are ranked among all simulated futures \
         (0 to 100); the percentile shown is the median of those ranks within a group of futures. \
         The 50th means no different from usual. An assumption or shock is named when it sits more \
         than {} points from usual and further than chance alone would place it. The chance of a \
         loss is the share of futures with NPV below zero. Groups of fewer than {MIN_FUTURES} \
         futures show no figures.{first}</p>",
        trim(FLOOR)
    )?;
    Ok(())
}

/// "sits low (median at the 10th percentile)" for the first input named,
/// "low (12th)" for the next ones.
fn input_words(i: &TailInput, first: bool) -> String {
    let side = if i.shift < 0.0 { "low" } else { "high" };
    let rank = ordinal(percentile_rank(i.median_rank));
    let name = escape(&pretty_input(&i.input));
    if first {
        format!("<strong>{name}</strong> sits {side} (median at the {rank} percentile)")
    } else {
        format!("<strong>{name}</strong> {side} ({rank})")
    }
}

/// "Project fails struck in 89% of them (9.6% of all futures)" for the
/// first shock named, "Key users leave in 47% (41%)" for the next ones.
fn shock_words(sh: &TailShock, first: bool) -> String {
    let name = escape(&sh.shock);
    let (tail, all) = (chance1(sh.strikes_in_tail), chance1(sh.strikes_overall));
    if first {
        format!("<strong>{name}</strong> struck in {tail} of them ({all} of all futures)")
    } else {
        format!("<strong>{name}</strong> in {tail} ({all})")
    }
}

/// How far a shock's share of struck futures in a tail is from its share
/// overall.
fn shock_shift(sh: &TailShock) -> f64 {
    (sh.strikes_in_tail - sh.strikes_overall).abs()
}

/// "a, b and c".
fn join(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// One tail in a sentence.
fn tail_sentence(t: &Tail, what: &What) -> String {
    let k = t.futures;
    if k == 0 {
        return format!("No simulated future {}.", what.singular);
    }
    if k < MIN_FUTURES {
        return format!(
            "Only {} of the simulated futures {}: too few to say what they have in common.",
            thousands(k as f64),
            what.plural
        );
    }
    if t.share == 1.0 {
        return format!(
            "Every simulated future {}, so no assumption sets some of them apart.",
            what.singular
        );
    }
    let opening = format!(
        "In the {} of futures that {}",
        chance1(t.share),
        what.plural
    );
    let inputs: Vec<&TailInput> = t.inputs.iter().filter(|i| i.stands_out).collect();
    let mut shocks: Vec<&TailShock> = t.shocks.iter().filter(|s| s.stands_out).collect();
    shocks.sort_by(|a, b| shock_shift(b).total_cmp(&shock_shift(a)));
    if inputs.is_empty() && shocks.is_empty() {
        return format!(
            "{opening}, no assumption sits far from its usual values and no shock strikes \
             unusually often: it takes several things going a little wrong together."
        );
    }
    let mut named: Vec<String> = inputs
        .iter()
        .take(NAMED)
        .enumerate()
        .map(|(j, i)| input_words(i, j == 0))
        .collect();
    let more = inputs.len().saturating_sub(NAMED);
    if more > 0 {
        named.push(format!(
            "{more} more assumption{} (see the table)",
            if more == 1 { "" } else { "s" }
        ));
    }
    let struck: Vec<String> = shocks
        .iter()
        .enumerate()
        .map(|(j, sh)| shock_words(sh, j == 0))
        .collect();
    let parts: Vec<String> = [join(&named), join(&struck)]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect();
    format!("{opening}, {}.", parts.join("; "))
}

/// The assumptions and shocks that stand out in either tail, with where
/// they sit in both.
fn tail_table(o: &mut String, tails: [&Tail; 2], what: [&What; 2]) -> Result<()> {
    // Inputs in the order of their largest |shift| over the two tails.
    let mut paths: Vec<(&str, f64)> = Vec::new();
    for t in tails {
        for i in t.inputs.iter().filter(|i| i.stands_out) {
            match paths.iter_mut().find(|(p, _)| *p == i.input) {
                Some((_, s)) => *s = s.max(i.shift.abs()),
                None => paths.push((&i.input, i.shift.abs())),
            }
        }
    }
    paths.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut shocks: Vec<(&str, f64)> = Vec::new();
    for t in tails {
        for sh in t.shocks.iter().filter(|s| s.stands_out) {
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
        "<table>\n<tr><th class=\"w40\">Assumption or shock</th><th class=\"num\">{}</th>\
         <th class=\"num\">{}</th></tr>",
        escape(&what[0].column),
        escape(&what[1].column)
    )?;
    for (path, _) in &paths {
        let cells = tails.map(|t| {
            if t.threshold.is_none() {
                return "–".to_string();
            }
            t.inputs
                .iter()
                .find(|i| i.input == *path)
                .map_or("–".to_string(), |i| {
                    let rank = format!("{} percentile", ordinal(percentile_rank(i.median_rank)));
                    match (i.stands_out, i.shift < 0.0) {
                        (true, true) => format!("<strong>{rank}</strong> (low)"),
                        (true, false) => format!("<strong>{rank}</strong> (high)"),
                        (false, _) => rank,
                    }
                })
        });
        writeln!(
            o,
            "<tr><td>{}<span class=\"path\">{}</span></td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            escape(&pretty_input(path)),
            escape(path),
            cells[0],
            cells[1]
        )?;
    }
    for (name, _) in &shocks {
        let cells = tails.map(|t| {
            t.shocks
                .iter()
                .find(|sh| sh.shock == *name)
                .map_or("–".to_string(), |sh| {
                    let tail = chance1(sh.strikes_in_tail);
                    let text = if sh.stands_out {
                        format!("<strong>struck in {tail}</strong>")
                    } else {
                        format!("struck in {tail}")
                    };
                    format!("{text} ({} overall)", chance1(sh.strikes_overall))
                })
        });
        writeln!(
            o,
            "<tr><td>{}<span class=\"path\">shock</span></td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            escape(name),
            cells[0],
            cells[1]
        )?;
    }
    o.push_str("</table>\n");
    if more > 0 {
        writeln!(
            o,
            "<p class=\"note\">{more} more assumption{} stand{} out less; summary.json lists them all \
             (<code>tail_analysis</code>).</p>",
            if more == 1 { "" } else { "s" },
            if more == 1 { "s" } else { "" }
        )?;
    }
    Ok(())
}

/// What each shock does to NPV: a sentence for the one that lowers median
/// NPV most, and a table of all.
fn shocks(o: &mut String, s: &Summary, horizon: &str) -> Result<()> {
    if s.shock_impact.is_empty() {
        o.push_str("<p>The scenario has no shocks (risk events such as a recession).</p>\n");
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
                (Some(a), Some(b)) => format!(
                    ", and the chance of a loss {} instead of {}",
                    chance1(a),
                    chance1(b)
                ),
                _ => String::new(),
            };
            writeln!(
                o,
                "<p><strong>{}</strong> strikes within the {horizon}-year horizon in {} of futures; \
                 where it strikes, median NPV is {} instead of {}{chances}.</p>",
                escape(&r.shock),
                chance1(r.strikes),
                money(hit, s),
                money(spared, s)
            )?;
        }
        None => o.push_str(
            "<p>Each shock strikes in too few futures, or in too many, to compare the futures \
             where it strikes with those where it does not.</p>\n",
        ),
    }
    o.push_str(
        "<table>\n<tr><th class=\"w25\">Shock</th><th class=\"num\">Strikes within the horizon</th>\
         <th class=\"num\">Median NPV when it strikes</th><th class=\"num\">when it does not</th>\
         <th class=\"num\">Chance of a loss when it strikes</th><th class=\"num\">when it does not</th></tr>\n",
    );
    for r in &s.shock_impact {
        let m = |v: Option<f64>| v.map_or("–".to_string(), |x| money(x, s));
        let c = |v: Option<f64>| v.map_or("–".to_string(), chance1);
        writeln!(
            o,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            escape(&r.shock),
            chance1(r.strikes),
            m(r.npv_median_struck),
            m(r.npv_median_spared),
            c(r.npv_negative_struck),
            c(r.npv_negative_spared)
        )?;
    }
    o.push_str("</table>\n");
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
        super::section(&mut o, &r.summary).unwrap();
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
            "where it strikes, median NPV is EUR ",
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
