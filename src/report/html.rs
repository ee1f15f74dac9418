//! `report.html`: one self-contained page per scenario for management.
//!
//! The page answers "will the CRM pay for itself, and how sure are we?" in
//! plain words first, then sets the spreadsheet's single number next to the
//! simulated distribution, shows the five charts as inline SVG, and lists
//! the assumptions, the drivers, what has to go wrong (`html/tails.rs`) and
//! the method. Everything is inline (CSS, SVG; no script, no fonts or
//! images by URL), so the file opens offline or as an e-mail attachment.
//! All scenario text goes through [`escape`].

use crate::format::{self, chance, compact, input_value, minus, percent, percent1, signed, trim};
#[cfg(feature = "charts")]
use crate::report::charts::{Chart, SIZE};
use crate::report::pretty_input;
use crate::results::{Results, Sensitivity, Summary};
use anyhow::Result;
use std::fmt::Write;

mod tails;

/// The report's style sheet, inlined into the page.
const CSS: &str = include_str!("../../assets/report.css");

/// The report page.
pub fn render(r: &Results) -> Result<String> {
    let s = &r.summary;
    let mut o = String::with_capacity(400_000);
    let name = escape(&s.scenario);
    write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{name} – CRM investment report</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n\
         <h1>{name}</h1>\n"
    )?;
    if let Some(d) = s.description.as_deref().filter(|d| !d.trim().is_empty()) {
        writeln!(o, "<p class=\"desc\">{}</p>", escape(d))?;
    }
    let (lead, rest) = headline(s);
    writeln!(
        o,
        "<div class=\"headline\"><p class=\"lead\">{lead}</p><p>{rest}</p></div>"
    )?;
    spreadsheet_section(&mut o, s)?;
    #[cfg(feature = "charts")]
    charts_section(&mut o, r)?;
    assumptions_section(&mut o, s)?;
    drivers_section(&mut o, s)?;
    tails::section(&mut o, s)?;
    before_you_sign_section(&mut o, s)?;
    method_section(&mut o, s)?;
    writeln!(
        o,
        "<footer>Computed by crm-roi {} from {}.</footer>\n</body>\n</html>",
        escape(s.version),
        name
    )?;
    Ok(o)
}

/// Section 2: the chance of meeting the target (or, without a target, the
/// payback distribution itself), payback times and NPV, in words.
fn headline(s: &Summary) -> (String, String) {
    let pb = &s.metrics.payback_years;
    let horizon = trim(s.horizon_months as f64 / 12.0);
    let never = chance(pb.censored_fraction.unwrap_or(0.0));
    let payback = match (pb.percentiles.p50, s.eight_in_ten.payback_years) {
        (Some(m), Some(e)) => {
            format!("Median payback: {m:.1} years; in 8 of 10 futures, within {e:.1} years.")
        }
        (Some(m), None) => format!(
            "Median payback: {m:.1} years; but in {never} of the futures it does not pay back \
             within the {horizon}-year horizon at all."
        ),
        (None, _) => format!(
            "It does not pay back within the {horizon}-year horizon in half of the futures \
             or more ({never})."
        ),
    };
    let target = s.target();
    let (lead, mut rest) = if s.probabilities.payback_within_horizon == 0.0 {
        let lead = format!(
            "The investment does not pay back within the horizon in any simulated future: \
             in all {} futures, cumulative costs still exceed cumulative benefits after {horizon} years.",
            thousands(s.trials as f64)
        );
        (lead, String::new())
    } else if let Some((t, p)) = target {
        let target = format!("{}-year target", trim(t));
        let lead = if p == 0.0 {
            format!("In no simulated future does the CRM pay for itself within the {target}.")
        } else if p == 1.0 {
            format!("In every simulated future the CRM pays for itself within the {target}.")
        } else {
            format!(
                "There is {} chance that the CRM pays for itself within the {target}.",
                with_article(&chance(p))
            )
        };
        (lead, format!("{payback} "))
    } else {
        // No target: the payback distribution is the headline.
        (payback, String::new())
    };
    if let Some(f) = pb.fell_back_fraction.filter(|&f| f > 0.0) {
        let _ = write!(
            rest,
            "In {} of futures the cumulative cash flow was positive earlier and fell back below \
             zero (a later outlay or a shock); payback counts from the month it stays positive. ",
            chance(f)
        );
    }
    let npv = &s.metrics.npv;
    let median = npv
        .percentiles
        .p50
        .map(|m| format!("; median NPV {}", money(m, s)))
        .unwrap_or_default();
    let q = s.probabilities.npv_positive;
    let _ = if q == 0.0 {
        write!(rest, "NPV is not positive in any simulated future{median}.")
    } else if q == 1.0 {
        write!(rest, "NPV is positive in every simulated future{median}.")
    } else {
        write!(rest, "NPV is positive in {} of futures{median}.", chance(q))
    };
    (lead, rest)
}

/// Section 3: the single-number answer against the simulated one.
fn spreadsheet_section(o: &mut String, s: &Summary) -> Result<()> {
    let (sp, m, e) = (&s.spreadsheet, &s.metrics, &s.eight_in_ten);
    let beyond = format!("beyond {}", trim(s.horizon_months as f64 / 12.0));
    let yr = |v: Option<f64>| v.map_or(beyond.clone(), |y| format::years(y, 1));
    let mo = |v: Option<f64>| v.map_or("–".to_string(), |x| money(x, s));
    let roi = |v: Option<f64>| v.map_or("undefined".to_string(), |x| minus(&percent(x)));
    let (pb, dpb) = (
        &m.payback_years.percentiles,
        &m.discounted_payback_years.percentiles,
    );
    let rows = [
        (
            "Payback (years)",
            [yr(sp.payback_years), yr(pb.p50), yr(e.payback_years)],
        ),
        (
            "Discounted payback (years)",
            [yr(sp.discounted_payback_years), yr(dpb.p50), "–".into()],
        ),
        (
            "NPV",
            [mo(Some(sp.npv)), mo(m.npv.percentiles.p50), mo(e.npv)],
        ),
        ("ROI", [roi(sp.roi), roi(m.roi.percentiles.p50), roi(e.roi)]),
    ];
    o.push_str(
        "<h2>The spreadsheet answer next to the simulated one</h2>\n<table>\n<tr><th class=\"w25\"></th>\
         <th class=\"num\">Single-number estimate<br><span class=\"sub\">every input at its median, no shocks</span></th>\
         <th class=\"num\">Simulated median (P50)</th>\
         <th class=\"num\">8 in 10 futures at least this good (P80)</th></tr>\n",
    );
    for (label, [a, b, c]) in rows {
        let td = |x: &str| format!("<td class=\"num\">{x}</td>");
        writeln!(o, "<tr><th>{label}</th>{}{}{}</tr>", td(&a), td(&b), td(&c))?;
    }
    o.push_str("</table>\n<p class=\"note\">P80 column: for payback, 8 in 10 futures pay back at least this fast; \
        for NPV and ROI, 8 in 10 futures reach at least this value (their 20th percentile).</p>\n");
    let Some(med) = m.npv.percentiles.p50 else {
        return Ok(());
    };
    let diff = sp.npv - med;
    let (gap, both) = (
        money(diff.abs(), s),
        format!("NPV {} against {}", money(sp.npv, s), money(med, s)),
    );
    let mut text = if money(sp.npv, s) == money(med, s) {
        format!(
            "The single-number estimate matches the median future (NPV {}), but it cannot show the risk.",
            money(med, s)
        )
    } else if diff > 0.0 {
        format!(
            "The single-number estimate is {gap} more optimistic than the median future ({both}): \
             averages hide the downside (the flaw of averages)."
        )
    } else {
        format!(
            "The single-number estimate is {gap} more pessimistic than the median future ({both}): \
             here the upside of the uncertain inputs outweighs their downside, which a single number cannot show either."
        )
    };
    if let Some(p20) = e.npv {
        let neg = 1.0 - s.probabilities.npv_positive;
        let tail = if neg == 1.0 {
            ", and in no future is it positive".to_string()
        } else if neg > 0.0 {
            format!(", and in {} of futures it is zero or negative", chance(neg))
        } else {
            String::new()
        };
        let _ = write!(
            text,
            " In 2 of 10 futures NPV is below {}{tail}.",
            money(p20, s)
        );
    }
    writeln!(o, "<p>{text}</p>")?;
    Ok(())
}

/// Section 4: the charts, inline. A library built without the `charts`
/// feature leaves the section out (docs/results.md).
#[cfg(feature = "charts")]
fn charts_section(o: &mut String, r: &Results) -> Result<()> {
    o.push_str("<h2>The picture in five charts</h2>\n");
    for chart in Chart::ALL {
        writeln!(
            o,
            "<figure>\n{}\n<figcaption>{}</figcaption>\n</figure>",
            inline_svg(&chart.svg(r)?, chart.caption(), SIZE),
            escape(chart.caption())
        )?;
    }
    Ok(())
}

/// Section 5: every assumption with its distribution and percentiles.
fn assumptions_section(o: &mut String, s: &Summary) -> Result<()> {
    o.push_str(
        "<h2>Key assumptions</h2>\n<table>\n<tr><th class=\"w40\">Assumption</th><th>Distribution</th>\
         <th class=\"num\">P10</th><th class=\"num\">P50</th><th class=\"num\">P90</th></tr>\n",
    );
    for a in &s.inputs {
        let tag = if a.per_occurrence {
            "<span class=\"tag\">per occurrence</span>"
        } else {
            ""
        };
        writeln!(
            o,
            "<tr><td>{}<span class=\"path\">{}</span></td><td>{}{tag}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            escape(&pretty_input(&a.input)),
            escape(&a.input),
            escape(&a.distribution),
            input_value(a.p10),
            input_value(a.p50),
            input_value(a.p90)
        )?;
    }
    o.push_str(
        "</table>\n<p class=\"note\">Values in the units of the scenario file. Shock losses and \
        durations marked “per occurrence” are drawn anew each time the shock strikes.</p>\n",
    );
    Ok(())
}

/// Section 6: the drivers of NPV as a table.
fn drivers_section(o: &mut String, s: &Summary) -> Result<()> {
    o.push_str("<h2>Top drivers</h2>\n");
    let rows = s.top_drivers();
    let Some(first) = rows.first() else {
        o.push_str(if s.sensitivity.is_empty() {
            "<p>No assumption is uncertain, so there is nothing to rank.</p>\n"
        } else {
            "<p>Too few trials (fewer than 10) to rank the assumptions.</p>\n"
        });
        return Ok(());
    };
    let pair = |d: &Sensitivity| match (d.npv_mean_low, d.npv_mean_high) {
        (Some(a), Some(b)) if money(a, s) == money(b, s) => [a, b].map(|x| full_money(x, s)),
        (a, b) => [a, b].map(|v| v.map_or("–".to_string(), |x| money(x, s))),
    };
    let [lo, hi] = pair(first);
    writeln!(
        o,
        "<p>The uncertainty about <strong>{}</strong> moves NPV most: from {lo} when it is in its \
         lowest 10% to {hi} when it is in its highest 10%.</p>",
        escape(&pretty_input(&first.input)),
    )?;
    o.push_str(
        "<table>\n<tr><th class=\"w40\">Assumption</th><th class=\"num\">Rank correlation with NPV (ρ)</th>\
         <th class=\"num\">Mean NPV when the assumption is in its lowest 10%</th>\
         <th class=\"num\">Mean NPV when it is in its highest 10%</th></tr>\n",
    );
    for d in &rows {
        let rho = d
            .spearman_npv
            .map_or("–".to_string(), |x| minus(&signed(x, 2)));
        let [lo, hi] = pair(d);
        writeln!(
            o,
            "<tr><td>{}<span class=\"path\">{}</span></td><td class=\"num\">{rho}</td>\
             <td class=\"num\">{lo}</td><td class=\"num\">{hi}</td></tr>",
            escape(&pretty_input(&d.input)),
            escape(&d.input),
        )?;
    }
    o.push_str(
        "</table>\n<p class=\"note\">ρ is the Spearman rank correlation between the assumption's \
        draws and NPV: +1 means NPV rises with it, −1 that it falls, 0 no effect.</p>\n",
    );
    Ok(())
}

/// The inputs "Before you sign" names: worth at least a tenth of perfect
/// information and clear of their Monte Carlo error (2 SE), at most three.
pub const WORTH_RESEARCHING: usize = 3;

/// Section "Before you sign": what knowing more before signing is worth
/// (`value_of_information`), in money.
fn before_you_sign_section(o: &mut String, s: &Summary) -> Result<()> {
    let v = &s.value_of_information;
    let Some(evpi) = v.evpi else {
        return Ok(());
    };
    o.push_str("<h2>Before you sign</h2>\n");
    let buy = s.metrics.npv.mean.is_some_and(|m| m > 0.0);
    let today = if buy {
        "On today's figures the CRM is worth buying (its mean NPV is positive)"
    } else {
        "On today's figures the CRM is not worth buying (its mean NPV is not positive)"
    };
    if money(evpi, s) == money(0.0, s) {
        writeln!(
            o,
            "<p>{today}, and no simulated future says otherwise: knowing more before signing \
             cannot change the decision, so no study or pilot is worth paying for to decide.</p>"
        )?;
        return Ok(());
    }
    let change = if buy {
        "to walk away in the futures where the CRM loses money"
    } else {
        "to buy in the futures where the CRM pays off"
    };
    writeln!(
        o,
        "<p>{today}. Knowing every uncertain assumption exactly before signing would be worth \
         up to <strong>{}</strong> on average: the money it would save by letting you decide {change}. \
         No study, pilot or consultant can be worth more than that to this decision.</p>",
        money(evpi, s)
    )?;
    let worth: Vec<_> = v
        .inputs
        .iter()
        .filter(|e| e.evppi > 2.0 * e.se && e.evppi >= 0.1 * evpi)
        .take(WORTH_RESEARCHING)
        .collect();
    if worth.is_empty() {
        o.push_str(
            "<p>No single assumption is worth researching on its own: each one, known exactly, \
             would be worth less than a tenth of that.</p>\n",
        );
    } else {
        o.push_str("<ul>\n");
        for e in &worth {
            let what = if e.path.starts_with("shocks.") {
                format!(
                    "whether and when <strong>{}</strong> strikes",
                    escape(e.path.trim_start_matches("shocks."))
                )
            } else {
                format!("<strong>{}</strong>", escape(&pretty_input(&e.path)))
            };
            writeln!(
                o,
                "<li>Knowing {what} exactly before signing would be worth up to {}: \
                 a pilot or study that measures it is worth running if it costs less.</li>",
                money(e.evppi, s)
            )?;
        }
        o.push_str("</ul>\n");
    }
    o.push_str(
        "<p class=\"note\">Expected value of (partial) perfect information for the choice between \
        buying (NPV) and not buying (0), from the simulated futures; see docs/results.md, \
        “Value of information”. Values of different assumptions overlap and do not add up.</p>\n",
    );
    Ok(())
}

/// Section 7: how the figures were computed and how precise they are.
fn method_section(o: &mut String, s: &Summary) -> Result<()> {
    let (pr, ap) = (&s.precision, &s.approximation);
    let n = thousands(s.trials as f64);
    let sampling = match s.sampling {
        "monte-carlo" => "Monte Carlo (independent random draws)".to_string(),
        "latin-hypercube" => "Latin hypercube (stratified random draws)".to_string(),
        other => escape(other),
    };
    let [lo, hi] = pr.payback_median_ci95.map(|y| {
        y.map_or("beyond the horizon".into(), |y| {
            format!("{} years", format::years(y, 2))
        })
    });
    let hi = if lo == hi {
        String::new()
    } else {
        format!(" to {hi}")
    };
    let target = s
        .target_payback_years
        .map_or("none".to_string(), |t| format!("{} years", trim(t)));
    write!(
        o,
        "<h2>Method</h2>\n<p>All figures come from {n} simulated futures; every assumption is a \
         distribution rather than a single number, each future draws one value from each, and the \
         results describe the spread of outcomes across all futures.</p>\n<ul>\n\
         <li>Trials: {n}; seed: {}; sampling: {sampling}.</li>\n\
         <li>Horizon: {} months ({} years); payback target: {target}.</li>\n\
         <li>Payback is the time from which the cumulative cash flow stays at or above zero \
         through the horizon, interpolated inside its month.</li>\n",
        s.seed,
        s.horizon_months,
        trim(s.horizon_months as f64 / 12.0),
    )?;
    if let (Some(mean), Some(se)) = (s.metrics.npv.mean, pr.npv_mean_se) {
        writeln!(
            o,
            "<li>Monte Carlo precision: mean NPV {} ± {} (one standard error).</li>",
            full_money(mean, s),
            thousands(se)
        )?;
    }
    writeln!(o, "<li>95% interval of the median payback: {lo}{hi}.</li>")?;
    if let Some(ci) = pr.payback_within_target_ci95 {
        let ci = ci.map(percent1);
        writeln!(
            o,
            "<li>95% interval of the chance of payback within the target: {} to {}.</li>",
            ci[0], ci[1]
        )?;
    }
    if let Some(st) = &s.stopping {
        let target = format!("{}%", trim(100.0 * st.target_precision));
        let probability = if st.payback_within_target_absolute.is_some() {
            " (±0.5 points for the chance of payback within the target)"
        } else {
            ""
        };
        writeln!(
            o,
            "<li>The number of trials was chosen by a precision target of {target}{probability}: {} after {} round{}.</li>",
            if st.reached {
                "reached"
            } else {
                "not reached within the trial ceiling"
            },
            st.rounds,
            if st.rounds == 1 { "" } else { "s" }
        )?;
    }
    let all = ap.sensitivity_trials >= s.trials;
    let notes = [
        (!ap.exact_percentiles, "Percentiles of payback, NPV and ROI are read from histogram sketches rather than \
            from every trial's value; their error is small next to the spread they describe.".to_string()),
        (!ap.exact_fan, "The fan chart's monthly percentiles come from per-month histograms, accurate to about \
            one histogram bin (a fraction of a percent of the band width).".to_string()),
        (!all, format!("The sensitivity analysis (top drivers, tornado) uses the first {} trials.", thousands(ap.sensitivity_trials as f64))),
        (ap.exact_percentiles && ap.exact_fan && all, "Every statistic is computed from every trial's value.".to_string()),
    ];
    for (_, note) in notes.iter().filter(|(show, _)| *show) {
        writeln!(o, "<li>{note}</li>")?;
    }
    writeln!(o, "<li>Program: crm-roi {}.</li>\n</ul>", escape(s.version))?;
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

/// Money with the (escaped) currency label, compact and with a true minus sign.
fn money(v: f64, s: &Summary) -> String {
    match s.currency.as_deref().filter(|c| !c.is_empty()) {
        Some(c) => format!("{} {}", escape(c), minus(&compact(v))),
        None => minus(&compact(v)),
    }
}

/// Money to the unit: "EUR 216,683".
fn full_money(v: f64, s: &Summary) -> String {
    match s.currency.as_deref().filter(|c| !c.is_empty()) {
        Some(c) => format!("{} {}", escape(c), thousands(v)),
        None => thousands(v),
    }
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

/// A whole number with thousands separators and a true minus sign.
fn thousands(v: f64) -> String {
    minus(&format::thousands(v))
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
        assert_eq!(page.matches("<figure>").count(), charts);
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
            "median NPV EUR ",
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
            "Knowing every uncertain assumption exactly before signing would be worth up to <strong>EUR ",
            "<li>Knowing <strong>Time saved: hours saved per month</strong> exactly before signing would be worth up to EUR ",
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
        assert_eq!(thousands(-1234567.0), "−1,234,567");
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
