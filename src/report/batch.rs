//! The outputs of a batch: `batch_summary.csv` (one row per scenario) and
//! `index.html` (an overview linking every scenario's report, with the
//! comparison chart and, with a baseline, the paired comparison and the
//! section "Choosing between options").

use super::csv_files::text;
use super::html::escape;
use crate::format::{cell, chance, money, percent, thousands, years};
use crate::results::BatchEntry;
use crate::results::compare::Dominance;
use anyhow::Result;
use std::fmt::Write as _;
use std::io::Write;

/// Writes `batch_summary.csv`.
pub fn write_summary_csv(entries: &[BatchEntry], out: &mut dyn Write) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "path",
        "name",
        "trials",
        "target_payback_years",
        "p_payback_within_target",
        "p_payback_within_horizon",
        "p_npv_positive",
        "payback_p10",
        "payback_p50",
        "payback_p90",
        "npv_p10",
        "npv_p50",
        "npv_p90",
        "baseline",
        "p_npv_above_baseline",
        "mean_npv_difference",
        "mean_npv_difference_se",
        "npv_difference_p10",
        "npv_difference_p50",
        "npv_difference_p90",
        "p_payback_sooner",
        "p_payback_same",
        "first_order_dominance",
        "second_order_dominance",
        "npv_expected_shortfall_10",
        "p_best",
        "evpi_of_choice",
        "evpi_of_choice_se",
    ])?;
    for (row, e) in entries.iter().enumerate() {
        let s = &e.results.summary;
        let (pb, npv) = (
            &s.metrics.payback_years.percentiles,
            &s.metrics.npv.percentiles,
        );
        let p = &s.probabilities;
        let paired = e.paired.as_ref();
        let diff = |i: usize| cell(paired.map(|x| x.npv_difference_percentiles[i]));
        let choice = e.choice.as_ref();
        w.write_record([
            text(&e.file),
            text(&s.scenario),
            s.trials.to_string(),
            cell(s.target_payback_years),
            cell(p.payback_within_target),
            p.payback_within_horizon.to_string(),
            p.npv_positive.to_string(),
            cell(pb.p10),
            cell(pb.p50),
            cell(pb.p90),
            cell(npv.p10),
            cell(npv.p50),
            cell(npv.p90),
            paired.map(|x| text(&x.baseline)).unwrap_or_default(),
            cell(paired.map(|x| x.p_npv_above)),
            cell(paired.map(|x| x.mean_npv_difference)),
            cell(paired.and_then(|x| x.mean_npv_difference_se)),
            diff(0),
            diff(1),
            diff(2),
            cell(paired.map(|x| x.p_payback_sooner)),
            cell(paired.map(|x| x.p_payback_same)),
            paired
                .map(|x| x.first_order_dominance.as_str().to_string())
                .unwrap_or_default(),
            paired
                .map(|x| x.second_order_dominance.as_str().to_string())
                .unwrap_or_default(),
            cell(paired.map(|x| x.npv_expected_shortfall_10)),
            cell(choice.and_then(|c| c.p_best.get(row).copied())),
            cell(choice.map(|c| c.evpi)),
            cell(choice.and_then(|c| c.evpi_se)),
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// The overview page's style sheet, inlined into it.
const INDEX_CSS: &str = include_str!("../../assets/index.css");

/// The overview page: `comparison_svg` is the comparison chart, inlined
/// (empty: none). A library built without the `charts` feature has no
/// chart to give, and the page leaves the figure out.
#[cfg_attr(not(feature = "charts"), allow(unused_variables))]
pub fn index_html(entries: &[BatchEntry], failures: &[String], comparison_svg: &str) -> String {
    let mut o = String::new();
    o.push_str(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>CRM ROI: scenario comparison</title>\n<style>\n",
    );
    o.push_str(INDEX_CSS);
    o.push_str("</style>\n</head>\n<body>\n<h1>CRM ROI: scenario comparison</h1>\n");
    let n = entries.len();
    let _ = writeln!(
        o,
        "<p>{n} scenario{} simulated. Each name opens its one-page report; the numbers are in <code>batch_summary.csv</code>.</p>",
        if n == 1 { "" } else { "s" }
    );
    o.push_str(
        "<table>\n<tr><th>Scenario</th><th>File</th><th>Payback target</th>\
         <th>Chance of payback within target</th><th>Median payback</th><th>Chance NPV &gt; 0</th><th>Median NPV</th><th>NPV P10 – P90</th></tr>\n",
    );
    for e in entries {
        let s = &e.results.summary;
        let cur = s.currency.as_deref();
        let npv = &s.metrics.npv.percentiles;
        let payback = s.metrics.payback_years.percentiles.p50.map_or_else(
            || format!("beyond {} years", s.horizon_months / 12),
            |y| format!("{} years", years(y, 1)),
        );
        let m = |x: Option<f64>| x.map_or("–".to_string(), |v| escape(&money(v, cur)));
        let _ = writeln!(
            o,
            "<tr><td><a href=\"{}/report.html\">{}</a></td><td><code>{}</code></td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{} – {}</td></tr>",
            super::text::href_path(&e.dir),
            escape(&s.scenario),
            escape(&e.file),
            s.target_payback_years
                .map_or("–".to_string(), |t| format!("{t} years")),
            s.probabilities
                .payback_within_target
                .map_or("–".to_string(), percent),
            payback,
            percent(s.probabilities.npv_positive),
            m(npv.p50),
            m(npv.p10),
            m(npv.p90),
        );
    }
    o.push_str("</table>\n");

    if let Some(base) = entries
        .iter()
        .find_map(|e| e.paired.as_ref())
        .map(|p| p.baseline.clone())
    {
        let _ = writeln!(
            o,
            "<h2>Compared with {}, future by future</h2>",
            escape(&base)
        );
        o.push_str(
            "<p>Every scenario was simulated with the same random numbers for the assumptions it \
             shares with the others (common random numbers): in trial <i>i</i>, a shared \
             assumption such as the hours saved takes the same value in every scenario. Each \
             trial is therefore one future seen through every option, and the comparison below is \
             paired: it reflects the difference in assumptions, not sampling noise.</p>\n\
             <table>\n<tr><th>Scenario</th><th>Chance its NPV beats the baseline's</th>\
             <th>Mean NPV difference</th><th>Standard error</th><th>Trials paired</th></tr>\n",
        );
        for e in entries {
            let (Some(p), cur) = (&e.paired, e.results.summary.currency.as_deref()) else {
                continue;
            };
            let name = &e.results.summary.scenario;
            let label = if *name == p.baseline {
                format!("{} (the baseline)", escape(name))
            } else {
                escape(name)
            };
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                label,
                percent(p.p_npv_above),
                escape(&money(p.mean_npv_difference, cur)),
                p.mean_npv_difference_se
                    .map_or("–".into(), |se| escape(&money(se, cur))),
                p.trials
            );
        }
        o.push_str(
            "</table>\n<p class=\"note\">The guarantee holds for inputs with the same path \
             (e.g. <code>benefits.Time saved.hours_saved_per_month</code>), the same seed and, \
             under Latin hypercube sampling, the same number of trials. An input that is \
             correlated with others takes its draw from its whole correlation group, so a \
             correlation that differs between two scenarios changes the draws of the inputs it \
             ties together.</p>\n",
        );
        choosing(&mut o, entries, &base);
    }

    #[cfg(feature = "charts")]
    if !comparison_svg.is_empty() {
        let _ = writeln!(
            o,
            "<h2>Payback and NPV side by side</h2>\n<figure>{}<figcaption class=\"note\">{}{}</figcaption></figure>",
            super::html::inline_svg(
                comparison_svg,
                "Scenarios compared",
                super::charts::comparison_size(entries)
            ),
            super::charts::Chart::comparison_caption(),
            if entries.iter().any(|e| e.paired.is_some()) {
                " Beside each option, its median gain: the median of its NPV minus the baseline's, future by future."
            } else {
                ""
            }
        );
    }
    if !failures.is_empty() {
        o.push_str("<h2 class=\"fail\">Scenarios that could not run</h2>\n<ul>\n");
        for f in failures {
            let _ = writeln!(o, "<li class=\"fail\"><code>{}</code></li>", escape(f));
        }
        o.push_str("</ul>\n");
    }
    o.push_str("</body>\n</html>\n");
    o
}

/// An amount with its sign: "+EUR 12k", "−EUR 3k", "EUR 0".
fn gain(v: f64, cur: Option<&str>) -> String {
    let m = money(v.abs(), cur);
    if v > 0.0 {
        format!("+{m}")
    } else if v < 0.0 {
        format!("−{m}")
    } else {
        m
    }
}

/// What the dominance verdicts say to a manager.
fn dominance_words(first: Dominance, second: Dominance) -> &'static str {
    use Dominance::*;
    match (first, second) {
        (Dominates, _) => "better in every range of outcomes (first order)",
        (Dominated, _) => "worse in every range of outcomes (first order)",
        (_, Dominates) => "preferred by any risk-averse buyer (second order)",
        (_, Dominated) => "the baseline is preferred by any risk-averse buyer (second order)",
        (Indistinguishable, _) => "no difference beyond simulation noise",
        _ => "neither dominates: the distributions cross",
    }
}

/// The section "Choosing between options": for each option against the
/// baseline, the median gain, the chance of paying back sooner, dominance
/// and risk; then the value of perfect information about the choice.
fn choosing(o: &mut String, entries: &[BatchEntry], base: &str) {
    let Some(choice) = entries.iter().find_map(|e| e.choice.as_ref()) else {
        return;
    };
    let cur = entries
        .first()
        .and_then(|e| e.results.summary.currency.as_deref());
    let _ = writeln!(
        o,
        "<h2>Choosing between options</h2>\n<p>Each option against {}, over the same {} futures. \
         The gain is the option's NPV minus the baseline's in the same future; the risk columns \
         are the option's own: the NPV it falls below in one future in ten, and the average NPV \
         of its worst tenth of futures.</p>",
        escape(base),
        thousands(choice.trials as f64)
    );
    o.push_str(
        "<table>\n<tr><th>Option</th><th>Median gain (P10 to P90)</th>\
         <th>Chance it pays back sooner</th><th>Dominance over the baseline</th>\
         <th>NPV P10</th><th>Average of the worst 10%</th><th>Best option in</th></tr>\n",
    );
    for (row, e) in entries.iter().enumerate() {
        let Some(p) = &e.paired else { continue };
        let name = &e.results.summary.scenario;
        let best = choice.p_best.get(row).copied().unwrap_or(0.0);
        let npv_p10 = e.results.summary.metrics.npv.percentiles.p10;
        let m = |v: f64| escape(&money(v, cur));
        let g = |v: f64| escape(&gain(v, cur));
        let [d10, d50, d90] = p.npv_difference_percentiles;
        let (versus, sooner, dom) = if *name == p.baseline {
            ("the baseline".to_string(), "–".to_string(), "–".to_string())
        } else {
            (
                format!("{} ({} to {})", g(d50), g(d10), g(d90)),
                format!(
                    "{} (same: {})",
                    chance(p.p_payback_sooner),
                    chance(p.p_payback_same)
                ),
                dominance_words(p.first_order_dominance, p.second_order_dominance).to_string(),
            )
        };
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{} of futures</td></tr>",
            escape(name),
            versus,
            sooner,
            dom,
            npv_p10.map_or("–".into(), m),
            m(p.npv_expected_shortfall_10),
            chance(best),
        );
    }
    o.push_str("</table>\n");
    let by_mean = entries
        .iter()
        .filter(|e| e.paired.is_some())
        .filter_map(|e| e.results.summary.metrics.npv.mean.map(|v| (e, v)))
        .fold(None::<(&BatchEntry, f64)>, |acc, (e, v)| match acc {
            Some((_, w)) if w >= v => acc,
            _ => Some((e, v)),
        });
    if let Some((e, mean)) = by_mean {
        let _ = writeln!(
            o,
            "<p>By expected NPV the best option is <b>{}</b> ({} on average). Knowing in advance \
             which future will come would let you pick the best option in each one; that \
             knowledge is worth <b>{}</b> on average (standard error {}): the expected value of \
             perfect information (EVPI) of this choice. The smaller it is next to the gains \
             above, the less further research could change the decision.</p>",
            escape(&e.results.summary.scenario),
            escape(&money(mean, cur)),
            escape(&money(choice.evpi, cur)),
            choice
                .evpi_se
                .map_or("–".into(), |se| escape(&money(se, cur))),
        );
    }
    o.push_str(
        "<p class=\"note\">Dominance compares the options' NPV distributions as a whole. First \
         order: at every NPV level the option is at least as likely to exceed it. Second order: \
         every buyer who prefers a sure amount to a gamble with the same mean prefers the \
         option. Differences within the sampling error of the two distributions (a DKW band) \
         count as none; see <code>docs/batch.md</code>. A payback beyond the horizon counts as \
         never; \"same\" includes futures in which neither pays back.</p>\n",
    );
}
