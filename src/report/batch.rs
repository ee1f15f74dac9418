//! The outputs of a batch: `batch_summary.csv` (one row per scenario) and
//! `index.html` (an overview linking every scenario's report, with the
//! comparison chart and, with a baseline, the paired comparison and the
//! section "Choosing between options").

use super::csv_files::text;
use super::html::escape;
use crate::format::cell;
use crate::lang::{Lang, Text, fill};
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

/// The overview page in English: `comparison_svg` is the comparison chart,
/// inlined (empty: none). A library built without the `charts` feature has
/// no chart to give, and the page leaves the figure out.
pub fn index_html(entries: &[BatchEntry], failures: &[String], comparison_svg: &str) -> String {
    index_html_in(entries, failures, comparison_svg, Lang::En)
}

/// The overview page in `lang`.
#[cfg_attr(not(feature = "charts"), allow(unused_variables))]
pub fn index_html_in(
    entries: &[BatchEntry],
    failures: &[String],
    comparison_svg: &str,
    lang: Lang,
) -> String {
    let (l, t) = (lang, lang.t());
    let money = |v: f64, cur: Option<&str>| escape(&l.money(v, cur));
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>\n",
        l.code(),
        t.index_title
    );
    o.push_str(INDEX_CSS);
    let _ = writeln!(o, "</style>\n</head>\n<body>\n<h1>{}</h1>", t.index_title);
    let n = entries.len();
    let _ = writeln!(
        o,
        "<p>{}</p>",
        fill(
            if n == 1 {
                t.index_intro_one
            } else {
                t.index_intro_many
            },
            &[("n", &n)]
        )
    );
    let _ = writeln!(
        o,
        "<table>\n<tr><th>{}</th><th>{}</th><th>{}</th>\
         <th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        t.scenario,
        t.index_file,
        t.index_target,
        t.index_chance_target,
        t.index_median_payback,
        t.index_chance_npv,
        t.index_median_npv,
        t.index_npv_range
    );
    let mut dashes = false;
    for e in entries {
        let s = &e.results.summary;
        let cur = s.currency.as_deref();
        let npv = &s.metrics.npv.percentiles;
        let payback = s.metrics.payback_years.percentiles.p50.map_or_else(
            || {
                fill(
                    t.beyond_n,
                    &[("years", &l.n_years(&(s.horizon_months / 12).to_string()))],
                )
            },
            |y| l.n_years(&l.years(y, 1)),
        );
        let mut m = |x: Option<f64>| {
            x.map_or_else(
                || {
                    dashes = true;
                    "–".to_string()
                },
                |v| money(v, cur),
            )
        };
        let (m50, m10, m90) = (m(npv.p50), m(npv.p10), m(npv.p90));
        if s.target_payback_years.is_none() {
            dashes = true;
        }
        let _ = writeln!(
            o,
            "<tr><td><a href=\"{}/report.html\">{}</a></td><td><code>{}</code></td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{m50}</td><td class=\"num\">{}</td></tr>",
            super::text::href_path(&e.dir),
            escape(&s.scenario),
            escape(&e.file),
            s.target_payback_years
                .map_or("–".to_string(), |tp| l.n_years(&l.local(tp.to_string()))),
            s.probabilities
                .payback_within_target
                .map_or("–".to_string(), |x| l.percent(x)),
            payback,
            l.percent(s.probabilities.npv_positive),
            fill(t.index_range, &[("lo", &m10), ("hi", &m90)]),
        );
    }
    o.push_str("</table>\n");
    if dashes {
        let _ = writeln!(o, "<p class=\"note\">{}</p>", t.index_note_dash);
    }

    if let Some(base) = entries
        .iter()
        .find_map(|e| e.paired.as_ref())
        .map(|p| p.baseline.clone())
    {
        let _ = writeln!(
            o,
            "<h2>{}</h2>",
            fill(t.index_paired_heading, &[("baseline", &escape(&base))])
        );
        let _ = writeln!(
            o,
            "<p>{}</p>\n<table>\n<tr><th>{}</th><th>{}</th>\
             <th>{}</th><th>{}</th><th>{}</th></tr>",
            t.index_paired_intro,
            t.scenario,
            t.index_paired_beats,
            t.index_paired_mean,
            t.index_paired_se,
            t.index_paired_trials
        );
        let mut no_se = false;
        for e in entries {
            let (Some(p), cur) = (&e.paired, e.results.summary.currency.as_deref()) else {
                continue;
            };
            let name = &e.results.summary.scenario;
            let label = if *name == p.baseline {
                fill(t.index_the_baseline_named, &[("name", &escape(name))])
            } else {
                escape(name)
            };
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                label,
                l.percent(p.p_npv_above),
                money(p.mean_npv_difference, cur),
                p.mean_npv_difference_se.map_or_else(
                    || {
                        no_se = true;
                        "–".to_string()
                    },
                    |se| money(se, cur)
                ),
                p.trials
            );
        }
        let _ = writeln!(
            o,
            "</table>\n<p class=\"note\">{}{}</p>",
            t.index_paired_note,
            if no_se { t.index_paired_note_dash } else { "" }
        );
        choosing(&mut o, entries, &base, l);
    }

    #[cfg(feature = "charts")]
    if !comparison_svg.is_empty() {
        let _ = writeln!(
            o,
            "<h2>{}</h2>\n<figure>{}<figcaption class=\"note\">{}{}</figcaption></figure>",
            t.index_chart_heading,
            super::html::inline_svg(
                comparison_svg,
                t.chart_comparison_title,
                super::charts::comparison_size(entries)
            ),
            super::charts::Chart::comparison_caption_in(l),
            if entries.iter().any(|e| e.paired.is_some()) {
                t.index_chart_caption_gain
            } else {
                ""
            }
        );
    }
    if !failures.is_empty() {
        let _ = writeln!(
            o,
            "<h2 class=\"fail\">{}</h2>\n<ul>",
            t.index_failures_heading
        );
        for f in failures {
            let _ = writeln!(o, "<li class=\"fail\"><code>{}</code></li>", escape(f));
        }
        o.push_str("</ul>\n");
    }
    o.push_str("</body>\n</html>\n");
    o
}

/// An amount with its sign: "+EUR 12k", "−EUR 3k", "EUR 0".
fn gain(v: f64, cur: Option<&str>, l: Lang) -> String {
    let m = l.money(v.abs(), cur);
    if v > 0.0 {
        format!("+{m}")
    } else if v < 0.0 {
        format!("−{m}")
    } else {
        m
    }
}

/// What the dominance verdicts say to a manager.
fn dominance_words(first: Dominance, second: Dominance, t: &Text) -> &'static str {
    use Dominance::*;
    match (first, second) {
        (Dominates, _) => t.dominance_first_better,
        (Dominated, _) => t.dominance_first_worse,
        (_, Dominates) => t.dominance_second_better,
        (_, Dominated) => t.dominance_second_worse,
        (Indistinguishable, _) => t.dominance_none,
        _ => t.dominance_crossing,
    }
}

/// The section "Choosing between options": for each option against the
/// baseline, the median gain, the chance of paying back sooner, dominance
/// and risk; then the value of perfect information about the choice.
fn choosing(o: &mut String, entries: &[BatchEntry], base: &str, l: Lang) {
    let t = l.t();
    let Some(choice) = entries.iter().find_map(|e| e.choice.as_ref()) else {
        return;
    };
    let cur = entries
        .first()
        .and_then(|e| e.results.summary.currency.as_deref());
    let _ = writeln!(
        o,
        "<h2>{}</h2>\n<p>{}</p>",
        t.choosing_heading,
        fill(
            t.choosing_intro,
            &[
                ("baseline", &escape(base)),
                ("trials", &l.thousands(choice.trials as f64))
            ]
        )
    );
    let _ = writeln!(
        o,
        "<table>\n<tr><th>{}</th><th>{}</th>\
         <th>{}</th><th>{}</th>\
         <th>{}</th><th>{}</th><th>{}</th></tr>",
        t.choosing_option,
        t.choosing_gain,
        t.choosing_sooner,
        t.choosing_dominance,
        t.choosing_npv_p10,
        t.choosing_worst,
        t.choosing_best_in
    );
    let mut no_p10 = false;
    for (row, e) in entries.iter().enumerate() {
        let Some(p) = &e.paired else { continue };
        let name = &e.results.summary.scenario;
        let best = choice.p_best.get(row).copied().unwrap_or(0.0);
        let npv_p10 = e.results.summary.metrics.npv.percentiles.p10;
        let m = |v: f64| escape(&l.money(v, cur));
        let g = |v: f64| escape(&gain(v, cur, l));
        let [d10, d50, d90] = p.npv_difference_percentiles;
        let (versus, sooner, dom) = if *name == p.baseline {
            (t.the_baseline.to_string(), "–".to_string(), "–".to_string())
        } else {
            (
                fill(
                    t.choosing_gain_cell,
                    &[("median", &g(d50)), ("lo", &g(d10)), ("hi", &g(d90))],
                ),
                fill(
                    t.choosing_sooner_cell,
                    &[
                        ("sooner", &l.chance(p.p_payback_sooner)),
                        ("same", &l.chance(p.p_payback_same)),
                    ],
                ),
                dominance_words(p.first_order_dominance, p.second_order_dominance, t).to_string(),
            )
        };
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            escape(name),
            versus,
            sooner,
            dom,
            npv_p10.map_or_else(
                || {
                    no_p10 = true;
                    "–".to_string()
                },
                m
            ),
            m(p.npv_expected_shortfall_10),
            fill(t.choosing_best_cell, &[("chance", &l.chance(best))]),
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
            "<p>{}</p>",
            fill(
                t.choosing_evpi,
                &[
                    ("name", &escape(&e.results.summary.scenario)),
                    ("mean", &escape(&l.money(mean, cur))),
                    ("evpi", &escape(&l.money(choice.evpi, cur))),
                    (
                        "se",
                        &choice
                            .evpi_se
                            .map_or("–".into(), |se| escape(&l.money(se, cur)))
                    ),
                ]
            )
        );
    }
    let _ = writeln!(
        o,
        "<p class=\"note\">{}{}{}</p>",
        t.choosing_note,
        t.choosing_note_dash,
        if no_p10 || choice.evpi_se.is_none() {
            t.choosing_note_undefined
        } else {
            ""
        }
    );
}
