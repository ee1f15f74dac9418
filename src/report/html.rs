//! `report.html`: one self-contained page per scenario for management.
//!
//! The page answers "will the CRM pay for itself, and how sure are we?" in
//! plain words first, then sets the spreadsheet's single number next to the
//! simulated distribution, shows the five charts as inline SVG, and lists
//! the assumptions, the drivers, what has to go wrong (`html/tails.rs`) and
//! the method. Everything is inline (CSS, SVG; no script, no fonts or
//! images by URL), so the file opens offline or as an e-mail attachment.
//! All scenario text goes through [`escape`].

use crate::format::minus;
use crate::lang::{Lang, Text, fill};
#[cfg(feature = "charts")]
use crate::report::charts::{Chart, SIZE};
use crate::report::pretty_input_in;
use crate::results::{Results, Sensitivity, Summary};
use anyhow::Result;
use std::fmt::Write;

mod tails;
mod units;

/// The report's style sheet, inlined into the page.
const CSS: &str = include_str!("../../assets/report.css");

/// What every section writes with: the summary, the language and its
/// catalogue.
#[derive(Clone, Copy)]
pub(crate) struct Page<'a> {
    pub s: &'a Summary,
    pub l: Lang,
    pub t: &'static Text,
}

impl Page<'_> {
    /// An amount already written, after the (escaped) currency label when
    /// the scenario has one. A no-break space joins the two, so that a
    /// line never ends between them.
    pub fn with_currency(&self, amount: String) -> String {
        match self.s.currency.as_deref().filter(|c| !c.is_empty()) {
            Some(c) => format!("{}\u{a0}{amount}", escape(self.l.currency(c))),
            None => amount,
        }
    }

    /// Money, compact, with a true minus sign: "EUR −250k", "€ −250k".
    pub fn money(&self, v: f64) -> String {
        self.with_currency(minus(&self.l.compact(v)))
    }

    /// Money to the unit: "EUR 216,683", "€ 216.683".
    pub fn full_money(&self, v: f64) -> String {
        self.with_currency(self.thousands(v))
    }

    /// A whole number with thousands separators and a true minus sign.
    pub fn thousands(&self, v: f64) -> String {
        minus(&self.l.thousands(v))
    }

    /// An input path in words, escaped.
    pub fn input(&self, path: &str) -> String {
        escape(&pretty_input_in(path, self.l))
    }

    /// The horizon in years, as a number: "5", "2,5".
    pub fn horizon(&self) -> String {
        self.l.trim(self.s.horizon_months as f64 / 12.0)
    }
}

/// The report page in English.
pub fn render(r: &Results) -> Result<String> {
    render_in(r, Lang::En)
}

/// The report page in `lang`.
pub fn render_in(r: &Results, lang: Lang) -> Result<String> {
    let s = &r.summary;
    let p = Page {
        s,
        l: lang,
        t: lang.t(),
    };
    let t = p.t;
    let mut o = String::with_capacity(400_000);
    let name = escape(&s.scenario);
    write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n\
         <h1>{name}</h1>\n",
        lang.code(),
        fill(t.report_title, &[("name", &name)]),
    )?;
    if let Some(d) = s.description.as_deref().filter(|d| !d.trim().is_empty()) {
        writeln!(o, "<p class=\"desc\">{}</p>", escape(d))?;
    }
    let date = s.date.map_or(String::new(), |d| {
        format!(" {}", fill(t.report_date, &[("date", &lang.date(d))]))
    });
    writeln!(
        o,
        "<p class=\"meta\">{}{date}</p>",
        fill(
            t.report_meta,
            &[
                ("version", &escape(s.version)),
                ("seed", &s.seed),
                ("trials", &p.thousands(s.trials as f64)),
            ]
        )
    )?;
    let (lead, rest) = headline(&p);
    writeln!(
        o,
        "<div class=\"headline\"><p class=\"lead\">{lead}</p><p>{rest}</p></div>"
    )?;
    spreadsheet_section(&mut o, &p)?;
    #[cfg(feature = "charts")]
    charts_section(&mut o, r, &p)?;
    assumptions_section(&mut o, &p)?;
    drivers_section(&mut o, &p)?;
    tails::section(&mut o, &p)?;
    before_you_sign_section(&mut o, &p)?;
    method_section(&mut o, &p)?;
    writeln!(
        o,
        "<footer>{}</footer>\n</body>\n</html>",
        fill(
            t.report_footer,
            &[("version", &escape(s.version)), ("name", &name)]
        )
    )?;
    Ok(o)
}

/// Section 2: the chance of meeting the target (or, without a target, the
/// payback distribution itself), payback times and NPV, in words.
fn headline(p: &Page) -> (String, String) {
    let (s, l, t) = (p.s, p.l, p.t);
    let pb = &s.metrics.payback_years;
    let horizon = p.horizon();
    let never = l.chance(pb.censored_fraction.unwrap_or(0.0));
    let payback = match (pb.percentiles.p50, s.eight_in_ten.payback_years) {
        (Some(m), Some(e)) => fill(
            t.headline_payback_8_in_10,
            &[("median", &l.years(m, 1)), ("p80", &l.years(e, 1))],
        ),
        (Some(m), None) => fill(
            t.headline_payback_often_never,
            &[
                ("median", &l.years(m, 1)),
                ("never", &never),
                ("horizon", &horizon),
            ],
        ),
        (None, _) => fill(
            t.headline_payback_mostly_never,
            &[("never", &never), ("horizon", &horizon)],
        ),
    };
    let target = s.target();
    let (lead, mut rest) = if s.probabilities.payback_within_horizon == 0.0 {
        let lead = fill(
            t.headline_never,
            &[
                ("trials", &p.thousands(s.trials as f64)),
                ("horizon_years", &l.n_years(&horizon)),
            ],
        );
        (lead, String::new())
    } else if let Some((tp, q)) = target {
        let target = fill(t.the_target, &[("target", &l.trim(tp))]);
        let lead = if q == 0.0 {
            fill(t.headline_target_none, &[("target", &target)])
        } else if q == 1.0 {
            fill(t.headline_target_all, &[("target", &target)])
        } else {
            let chance = match l {
                Lang::En => with_article(&l.chance(q)),
                _ => l.chance(q),
            };
            fill(
                t.headline_target_chance,
                &[("chance", &chance), ("target", &target)],
            )
        };
        (lead, format!("{payback} "))
    } else {
        // No target: the payback distribution is the headline.
        (payback, String::new())
    };
    if let Some(f) = pb.fell_back_fraction.filter(|&f| f > 0.0) {
        rest.push_str(&fill(t.headline_fell_back, &[("share", &l.chance(f))]));
    }
    let npv = &s.metrics.npv;
    let median = npv
        .percentiles
        .p50
        .map(|m| fill(t.headline_median_npv, &[("npv", &p.money(m))]))
        .unwrap_or_default();
    let q = s.probabilities.npv_positive;
    rest.push_str(&if q == 0.0 {
        fill(t.headline_npv_none, &[("median", &median)])
    } else if q == 1.0 {
        fill(t.headline_npv_all, &[("median", &median)])
    } else {
        fill(
            t.headline_npv_some,
            &[("chance", &l.chance(q)), ("median", &median)],
        )
    });
    (lead, rest)
}

/// Section 3: the single-number answer against the simulated one.
fn spreadsheet_section(o: &mut String, p: &Page) -> Result<()> {
    let (s, l, t) = (p.s, p.l, p.t);
    let (sp, m, e) = (&s.spreadsheet, &s.metrics, &s.eight_in_ten);
    let beyond = fill(t.beyond_horizon_short, &[("horizon", &p.horizon())]);
    let yr = |v: Option<f64>| v.map_or(beyond.clone(), |y| l.years(y, 1));
    let mo = |v: Option<f64>| v.map_or("–".to_string(), |x| p.money(x));
    let roi = |v: Option<f64>| v.map_or(t.undefined.to_string(), |x| minus(&l.percent(x)));
    let (pb, dpb) = (
        &m.payback_years.percentiles,
        &m.discounted_payback_years.percentiles,
    );
    let rows = [
        (
            t.row_payback_years,
            [yr(sp.payback_years), yr(pb.p50), yr(e.payback_years)],
        ),
        (
            t.row_discounted_payback_years,
            [yr(sp.discounted_payback_years), yr(dpb.p50), "–".into()],
        ),
        (
            t.npv,
            [mo(Some(sp.npv)), mo(m.npv.percentiles.p50), mo(e.npv)],
        ),
        (t.roi, [roi(sp.roi), roi(m.roi.percentiles.p50), roi(e.roi)]),
    ];
    writeln!(
        o,
        "<h2>{}</h2>\n<table class=\"answer\">\n<tr><th class=\"w25\"></th>\
         <th class=\"num\">{}<br><span class=\"sub\">{}</span></th>\
         <th class=\"num\">{}</th>\
         <th class=\"num\">{}</th></tr>",
        t.spreadsheet_heading,
        t.spreadsheet_single,
        t.spreadsheet_single_sub,
        t.spreadsheet_median,
        t.spreadsheet_p80
    )?;
    for (label, [a, b, c]) in rows {
        let td = |x: &str| format!("<td class=\"num\">{x}</td>");
        writeln!(o, "<tr><th>{label}</th>{}{}{}</tr>", td(&a), td(&b), td(&c))?;
    }
    writeln!(
        o,
        "</table>\n<p class=\"note\">{} {} {}</p>",
        t.spreadsheet_note_single,
        t.spreadsheet_note_p80,
        fill(t.spreadsheet_note_dash, &[("horizon", &p.horizon())])
    )?;
    let Some(med) = m.npv.percentiles.p50 else {
        return Ok(());
    };
    let diff = sp.npv - med;
    let (gap, both) = (
        p.money(diff.abs()),
        fill(
            t.spreadsheet_both,
            &[("single", &p.money(sp.npv)), ("median", &p.money(med))],
        ),
    );
    let mut text = if p.money(sp.npv) == p.money(med) {
        fill(t.spreadsheet_matches, &[("npv", &p.money(med))])
    } else if diff > 0.0 {
        fill(t.spreadsheet_optimistic, &[("gap", &gap), ("both", &both)])
    } else {
        fill(t.spreadsheet_pessimistic, &[("gap", &gap), ("both", &both)])
    };
    if let Some(p20) = e.npv {
        let neg = 1.0 - s.probabilities.npv_positive;
        let tail = if neg == 1.0 {
            t.spreadsheet_never_positive.to_string()
        } else if neg > 0.0 {
            fill(
                t.spreadsheet_sometimes_negative,
                &[("chance", &l.chance(neg))],
            )
        } else {
            String::new()
        };
        text.push_str(&fill(
            t.spreadsheet_p20,
            &[("npv", &p.money(p20)), ("tail", &tail)],
        ));
    }
    writeln!(o, "<p>{text}</p>")?;
    Ok(())
}

/// Section 4: the charts, inline; the fan chart in full width (on the
/// first printed page), the four others two by two in print. A library
/// built without the `charts` feature leaves the section out
/// (docs/results.md).
#[cfg(feature = "charts")]
fn charts_section(o: &mut String, r: &Results, p: &Page) -> Result<()> {
    writeln!(o, "<h2>{}</h2>", p.t.charts_heading)?;
    for chart in Chart::ALL {
        let caption = chart.caption_in(p.l);
        let class = if chart == Chart::Fan { "fan" } else { "small" };
        if chart == Chart::Payback {
            o.push_str("<div class=\"grid\">\n");
        }
        writeln!(
            o,
            "<figure class=\"{class}\">\n{}\n<figcaption>{}</figcaption>\n</figure>",
            inline_svg(&chart.svg_in(r, p.l)?, caption, SIZE),
            escape(caption)
        )?;
    }
    o.push_str("</div>\n");
    Ok(())
}

/// Section 5: every assumption with its distribution and percentiles, in
/// its unit.
fn assumptions_section(o: &mut String, p: &Page) -> Result<()> {
    let t = p.t;
    writeln!(
        o,
        "<h2>{}</h2>\n<table>\n<tr><th class=\"w40\">{}</th><th>{}</th>\
         <th class=\"num\">P10</th><th class=\"num\">P50</th><th class=\"num\">P90</th></tr>",
        t.assumptions_heading, t.assumption, t.distribution
    )?;
    for a in &p.s.inputs {
        let tag = if a.per_occurrence {
            format!("<span class=\"tag\">{}</span>", t.per_occurrence)
        } else {
            String::new()
        };
        let unit = units::Unit::of(&a.input);
        writeln!(
            o,
            "<tr><td>{}<span class=\"path\">{}</span></td><td>{}{tag}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            p.input(&a.input),
            escape(&a.input),
            escape(&p.l.distribution(&a.distribution)),
            unit.show(a.p10, p),
            unit.show(a.p50, p),
            unit.show(a.p90, p)
        )?;
    }
    let currency =
        p.s.currency
            .as_deref()
            .filter(|c| !c.is_empty())
            .map(|c| {
                fill(
                    t.assumptions_note_currency,
                    &[("currency", &escape(p.l.currency(c)))],
                )
            })
            .unwrap_or_default();
    writeln!(
        o,
        "</table>\n<p class=\"note\">{}{currency} {}</p>",
        t.assumptions_note, t.assumptions_note_occurrence
    )?;
    Ok(())
}

/// Section 6: the drivers of NPV as a table.
fn drivers_section(o: &mut String, p: &Page) -> Result<()> {
    let (s, l, t) = (p.s, p.l, p.t);
    writeln!(o, "<h2>{}</h2>", t.drivers_heading)?;
    let rows = s.top_drivers();
    let Some(first) = rows.first() else {
        writeln!(
            o,
            "<p>{}</p>",
            if s.sensitivity.is_empty() {
                t.drivers_none_uncertain
            } else {
                t.drivers_too_few
            }
        )?;
        return Ok(());
    };
    let pair = |d: &Sensitivity| match (d.npv_mean_low, d.npv_mean_high) {
        (Some(a), Some(b)) if p.money(a) == p.money(b) => [a, b].map(|x| p.full_money(x)),
        (a, b) => [a, b].map(|v| v.map_or("–".to_string(), |x| p.money(x))),
    };
    let [lo, hi] = pair(first);
    writeln!(
        o,
        "<p>{}</p>",
        fill(
            t.drivers_first,
            &[
                ("name", &p.input(&first.input)),
                ("low", &lo),
                ("high", &hi)
            ]
        )
    )?;
    writeln!(
        o,
        "<table>\n<tr><th class=\"w40\">{}</th><th class=\"num\">{}</th>\
         <th class=\"num\">{}</th><th class=\"num\">{}</th></tr>",
        t.assumption, t.drivers_rho, t.drivers_low, t.drivers_high
    )?;
    for d in &rows {
        let rho = d
            .spearman_npv
            .map_or("–".to_string(), |x| minus(&l.signed(x, 2)));
        let [lo, hi] = pair(d);
        writeln!(
            o,
            "<tr><td>{}<span class=\"path\">{}</span></td><td class=\"num\">{rho}</td>\
             <td class=\"num\">{lo}</td><td class=\"num\">{hi}</td></tr>",
            p.input(&d.input),
            escape(&d.input),
        )?;
    }
    let dash = if rows.iter().any(|d| d.spearman_npv.is_none()) {
        format!(" {}", t.drivers_note_dash)
    } else {
        String::new()
    };
    writeln!(
        o,
        "</table>\n<p class=\"note\">{}{dash}</p>",
        t.drivers_note
    )?;
    Ok(())
}

/// The inputs "Before you sign" names: worth at least a tenth of perfect
/// information and clear of their Monte Carlo error (2 SE), at most three.
pub const WORTH_RESEARCHING: usize = 3;

/// Section "Before you sign": what knowing more before signing is worth
/// (`value_of_information`), in money.
fn before_you_sign_section(o: &mut String, p: &Page) -> Result<()> {
    let (s, t) = (p.s, p.t);
    let v = &s.value_of_information;
    let Some(evpi) = v.evpi else {
        return Ok(());
    };
    writeln!(o, "<h2>{}</h2>", t.sign_heading)?;
    let buy = s.metrics.npv.mean.is_some_and(|m| m > 0.0);
    let today = if buy { t.sign_buy } else { t.sign_do_not_buy };
    if p.money(evpi) == p.money(0.0) {
        writeln!(
            o,
            "<p>{}</p>",
            fill(t.sign_nothing_to_learn, &[("today", &today)])
        )?;
        return Ok(());
    }
    let change = if buy {
        t.sign_change_walk_away
    } else {
        t.sign_change_buy
    };
    writeln!(
        o,
        "<p>{}</p>",
        fill(
            t.sign_evpi,
            &[
                ("today", &today),
                ("evpi", &p.money(evpi)),
                ("change", &change)
            ]
        )
    )?;
    let worth: Vec<_> = v
        .inputs
        .iter()
        .filter(|e| e.evppi > 2.0 * e.se && e.evppi >= 0.1 * evpi)
        .take(WORTH_RESEARCHING)
        .collect();
    if worth.is_empty() {
        writeln!(o, "<p>{}</p>", t.sign_nothing_single)?;
    } else {
        o.push_str("<ul>\n");
        for e in &worth {
            let what = if e.path.starts_with("shocks.") {
                fill(
                    t.sign_what_shock,
                    &[("name", &escape(e.path.trim_start_matches("shocks.")))],
                )
            } else {
                format!("<strong>{}</strong>", p.input(&e.path))
            };
            writeln!(
                o,
                "<li>{}</li>",
                fill(
                    t.sign_evppi,
                    &[("what", &what), ("evppi", &p.money(e.evppi))]
                )
            )?;
        }
        o.push_str("</ul>\n");
    }
    writeln!(o, "<p class=\"note\">{}</p>", t.sign_note)?;
    Ok(())
}

/// Section 7: how the figures were computed and how precise they are.
fn method_section(o: &mut String, p: &Page) -> Result<()> {
    let (s, l, t) = (p.s, p.l, p.t);
    let (pr, ap) = (&s.precision, &s.approximation);
    let n = p.thousands(s.trials as f64);
    let sampling = match s.sampling {
        "monte-carlo" => t.sampling_monte_carlo.to_string(),
        "latin-hypercube" => t.sampling_latin_hypercube.to_string(),
        other => escape(other),
    };
    let [lo, hi] = pr.payback_median_ci95.map(|y| {
        y.map_or(t.beyond_the_horizon.to_string(), |y| {
            l.n_years(&l.years(y, 2))
        })
    });
    let hi = if lo == hi {
        String::new()
    } else {
        fill(t.method_to, &[("hi", &hi)])
    };
    let target = s
        .target_payback_years
        .map_or(t.none.to_string(), |tp| l.n_years(&l.trim(tp)));
    writeln!(
        o,
        "<h2>{}</h2>\n<p>{}</p>\n<ul class=\"method\">",
        t.method_heading,
        fill(t.method_intro, &[("trials", &n)])
    )?;
    for line in [
        fill(
            t.method_trials,
            &[("trials", &n), ("seed", &s.seed), ("sampling", &sampling)],
        ),
        fill(
            t.method_horizon,
            &[
                ("months", &s.horizon_months),
                ("years", &l.n_years(&p.horizon())),
                ("target", &target),
            ],
        ),
        t.method_payback.to_string(),
    ] {
        writeln!(o, "<li>{line}</li>")?;
    }
    if let (Some(mean), Some(se)) = (s.metrics.npv.mean, pr.npv_mean_se) {
        writeln!(
            o,
            "<li>{}</li>",
            fill(
                t.method_precision,
                &[("mean", &p.full_money(mean)), ("se", &p.thousands(se))]
            )
        )?;
    }
    writeln!(
        o,
        "<li>{}</li>",
        fill(t.method_median_ci, &[("lo", &lo), ("hi", &hi)])
    )?;
    if let Some(ci) = pr.payback_within_target_ci95 {
        let ci = ci.map(|x| l.percent1(x));
        writeln!(
            o,
            "<li>{}</li>",
            fill(t.method_target_ci, &[("lo", &ci[0]), ("hi", &ci[1])])
        )?;
    }
    if let Some(st) = &s.stopping {
        let target = format!("{}%", l.trim(100.0 * st.target_precision));
        let probability = if st.payback_within_target_absolute.is_some() {
            t.method_stopping_probability
        } else {
            ""
        };
        let outcome = if st.reached {
            t.method_stopping_reached
        } else {
            t.method_stopping_not_reached
        };
        let rounds = if st.rounds == 1 {
            t.method_one_round
        } else {
            t.method_rounds
        };
        writeln!(
            o,
            "<li>{}</li>",
            fill(
                t.method_stopping,
                &[
                    ("target", &target),
                    ("probability", &probability),
                    ("outcome", &outcome),
                    ("rounds", &fill(rounds, &[("n", &st.rounds)])),
                ]
            )
        )?;
    }
    let all = ap.sensitivity_trials >= s.trials;
    let notes = [
        (
            !ap.exact_percentiles,
            t.method_sketched_percentiles.to_string(),
        ),
        (!ap.exact_fan, t.method_sketched_fan.to_string()),
        (
            !all,
            fill(
                t.method_sensitivity_first,
                &[("trials", &p.thousands(ap.sensitivity_trials as f64))],
            ),
        ),
        (
            ap.exact_percentiles && ap.exact_fan && all,
            t.method_exact.to_string(),
        ),
    ];
    for (_, note) in notes.iter().filter(|(show, _)| *show) {
        writeln!(o, "<li>{note}</li>")?;
    }
    writeln!(
        o,
        "<li>{}</li>\n</ul>",
        fill(t.method_program, &[("version", &escape(s.version))])
    )?;
    Ok(())
}

/// A chart SVG made fit for inlining: no XML declaration or doctype, no
/// namespace URL, a viewBox so that CSS can scale it, and an accessible label.
#[cfg(feature = "charts")]
pub(crate) fn inline_svg(svg: &str, label: &str, size: (u32, u32)) -> String {
    let mut body = svg.trim_start();
    for prefix in ["<?xml", "<!DOCTYPE", "<!doctype"] {
        if body.starts_with(prefix) {
            body = body[body.find('>').map_or(body.len(), |i| i + 1)..].trim_start();
        }
    }
    let Some(start) = body.find("<svg") else {
        return String::new();
    };
    let Some(len) = body[start..].find('>') else {
        return String::new();
    };
    let mut tag = body[start..start + len].to_string();
    // The namespace is implied in HTML; its URL would only look like a request.
    while let Some(i) = tag.find(" xmlns") {
        let end = tag[i..]
            .find('"')
            .and_then(|q| tag[i + q + 1..].find('"').map(|q2| i + q + 1 + q2 + 1))
            .unwrap_or(tag.len());
        tag.replace_range(i..end, "");
    }
    let (tag, close) = match tag.strip_suffix('/') {
        Some(t) => (t.to_string(), "</svg>"),
        None => (tag, ""),
    };
    let view_box = if tag.contains("viewBox") {
        String::new()
    } else {
        format!(" viewBox=\"0 0 {} {}\"", size.0, size.1)
    };
    format!(
        "{tag}{view_box} role=\"img\" aria-label=\"{}\">{}{close}",
        escape(label),
        &body[start + len + 1..]
    )
}

/// "a 72%", "an 80%", "less than a 1%", "a more than 99%".
fn with_article(c: &str) -> String {
    if let Some(rest) = c.strip_prefix("less than ") {
        return format!("less than {}", with_article(rest));
    }
    let n: u32 = c
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or(0);
    let an = c.starts_with(|ch: char| ch.is_ascii_digit())
        && (n == 8 || n == 11 || n == 18 || (80..=89).contains(&n));
    format!("{} {c}", if an { "an" } else { "a" })
}

/// Escapes text for HTML element content and attribute values, and
/// replaces control characters (see [`super::text`]).
pub use super::text::html as escape;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Scenario;
    use crate::engine::{Engine, Settings};
    use crate::sampling::Method;

    fn run(text: &str) -> String {
        let sc = Scenario::from_toml(text, std::path::Path::new("t.toml")).unwrap();
        let settings = Settings::new(2000, 1, Method::MonteCarlo);
        let data = Engine::new(&sc, settings).run(None, &mut |_| {}).unwrap();
        render(&crate::results::Results::new(&sc, &settings, &data)).unwrap()
    }

    fn scenario(name: &str, cost: &str, item: &str, hours: &str) -> String {
        format!(
            "name = {name}\ndescription = \"A test\"\ncurrency = \"EUR\"\nhorizon_years = 3\n\
             [finance]\ndiscount_rate = 0.08\ntarget_payback_years = 2\n\
             [[costs]]\nname = {item}\namount = {cost}\n\
             [[benefits]]\nname = \"Time saved\"\nkind = \"efficiency\"\n\
             hours_saved_per_month = {{ pert = {hours} }}\nhourly_cost = 50\n"
        )
    }

    fn has(page: &str, parts: &[&str]) {
        for p in parts {
            assert!(page.contains(p), "page lacks {p}");
        }
        for bad in [
            "http://", "https://", "src=", "<link", "@import", "<script", "<img", "<?xml",
        ] {
            assert!(!page.contains(bad), "page contains {bad}");
        }
        // The five charts, or none (nor their heading) without `charts`.
        let charts = if cfg!(feature = "charts") { 5 } else { 0 };
        assert_eq!(page.matches("<svg").count(), charts);
        assert_eq!(page.matches("viewBox=\"0 0 1200 700\"").count(), charts);
        assert_eq!(page.matches("<figure class=").count(), charts);
        assert_eq!(page.contains("five charts"), charts > 0);
    }

    #[test]
    fn full_page() {
        let cost = "{ pert = [40000, 50000, 70000] }";
        let page = run(&scenario("\"Pilot\"", cost, "\"Licence\"", "[40, 60, 100]"));
        assert!(page.starts_with("<!DOCTYPE html>"));
        let parts = [
            "<h1>Pilot</h1>",
            "A test",
            "chance that the CRM pays for itself within the 2-year target.",
            "Median payback: ",
            "in 8 of 10 futures, within ",
            "NPV is positive in ",
            "median NPV EUR\u{a0}",
            "The spreadsheet answer next to the simulated one",
            "Single-number estimate",
            "Simulated median (P50)",
            "<th>Discounted payback (years)</th>",
            "than the median future",
            "Key assumptions",
            "costs.Licence.amount",
            "PERT(40000, 50000, 70000)",
            "moves NPV most",
            "<h2>Before you sign</h2>",
            "All figures come from 2,000 simulated futures",
        ];
        has(&page, &parts);
        if cfg!(feature = "charts") {
            has(&page, &["<figcaption>Cumulative net cash flow"]);
        }
    }

    #[test]
    fn before_you_sign_names_what_is_worth_knowing() {
        // Benefits of 50 × hours × a(t) over 3 years against a cost near
        // them: the decision is a close call, driven by the hours.
        let cost = "{ pert = [95000, 105000, 115000] }";
        let page = run(&scenario("\"Close\"", cost, "\"Licence\"", "[20, 60, 100]"));
        let start = page.find("<h2>Before you sign</h2>").expect("the section");
        let section = &page[start..page[start..].find("<h2>Method").unwrap() + start];
        for part in [
            "Knowing every uncertain assumption exactly before signing would be worth up to <strong>EUR\u{a0}",
            "<li>Knowing <strong>Time saved: hours saved per month</strong> exactly before signing would be worth up to EUR\u{a0}",
        ] {
            assert!(section.contains(part), "{section}");
        }
        // A certain decision: nothing is worth knowing.
        let page = run(&scenario(
            "\"Sure\"",
            "1000",
            "\"Licence\"",
            "[40, 60, 100]",
        ));
        has(&page, &["cannot change the decision"]);
    }

    #[test]
    fn scenario_text_is_escaped() {
        let name = "\"<script>alert(1)</script>\"";
        let page = run(&scenario(
            name,
            "50000",
            "'\"><img onerror=x>'",
            "[40, 60, 100]",
        ));
        has(
            &page,
            &[
                "&lt;script&gt;alert(1)&lt;/script&gt;",
                "&quot;&gt;&lt;img onerror=x&gt;",
            ],
        );
    }

    #[test]
    fn never_pays_back() {
        let page = run(&scenario(
            "\"Hopeless\"",
            "10000000",
            "\"Licence\"",
            "[1, 2, 3]",
        ));
        let parts = [
            "does not pay back within the horizon in any simulated future",
            "NPV is not positive in any simulated future",
            "<td class=\"num\">beyond 3</td>",
        ];
        has(&page, &parts);
    }

    #[test]
    fn words_and_numbers() {
        assert_eq!(with_article("80%"), "an 80%");
        assert_eq!(with_article("8%"), "an 8%");
        assert_eq!(with_article("18%"), "an 18%");
        assert_eq!(with_article("72%"), "a 72%");
        assert_eq!(with_article("1%"), "a 1%");
        assert_eq!(with_article("less than 1%"), "less than a 1%");
        assert_eq!(with_article("more than 99%"), "a more than 99%");
        assert_eq!(
            crate::format::minus(&Lang::En.thousands(-1234567.0)),
            "−1,234,567"
        );
        assert_eq!(
            crate::format::minus(&Lang::Nl.thousands(-1234567.0)),
            "−1.234.567"
        );
    }

    #[cfg(feature = "charts")]
    #[test]
    fn svgs_are_inlined() {
        let svg = "<?xml version=\"1.0\"?>\n<svg width=\"1200\" height=\"700\" xmlns=\"http://www.w3.org/2000/svg\">\n<rect/></svg>";
        let out = inline_svg(svg, "A & B", SIZE);
        assert!(out.starts_with("<svg width=\"1200\" height=\"700\" viewBox=\"0 0 1200 700\" role=\"img\" aria-label=\"A &amp; B\">"));
        assert!(!out.contains("http") && out.ends_with("</svg>"));
    }
}
