//! The summary `run` and `merge` print for each scenario: the headline
//! chances, the percentiles of payback, NPV and ROI, the precision, the
//! strongest driver, what has to go wrong and the value of information, in
//! a dozen lines, in the language of the report. Inputs are named by the
//! labels the report uses ("Time saved: hours saved per month"), not by
//! their paths.

use crate::lang::{Lang, Text, fill};
use crate::report::pretty_input_in;
use crate::results::tails::MIN_FUTURES;
use crate::results::{MetricSummary, Stopping, Summary, Tail};
use std::fmt::Write as _;
use std::path::Path;

/// The printed summary of a run whose results are in `dir`, as text (not
/// yet made safe for the terminal: see `text::terminal`).
pub fn summary(s: &Summary, dir: &Path, lang: Lang) -> String {
    let (l, t) = (lang, lang.t());
    let mut o = String::new();
    let cur = s.currency.as_deref().unwrap_or("");
    let pct = |x: f64| l.percent1(x);
    let years = |x: Option<f64>| x.map_or(t.beyond.to_string(), |v| l.years(v, 2));
    let money = |x: Option<f64>| x.map_or("-".to_string(), |v| l.thousands(v));
    let ratio = |x: Option<f64>| x.map_or("-".to_string(), |v| l.percent1(v));
    let p = &s.probabilities;
    let m = &s.metrics;
    let _ = writeln!(
        o,
        "{}",
        fill(
            t.sum_head,
            &[
                ("name", &s.scenario),
                ("trials", &s.trials),
                ("seed", &s.seed),
                ("sampling", &s.sampling),
                ("months", &s.horizon_months),
            ]
        )
    );
    // Labels padded to one width: the longest label of this language.
    let width = [
        t.sum_within_target,
        t.sum_within_horizon,
        t.sum_npv_positive,
    ]
    .iter()
    .map(|x| {
        fill(
            x,
            &[(
                "years",
                &l.n_years(&l.trim(s.target_payback_years.unwrap_or(0.0))),
            )],
        )
        .chars()
        .count()
    })
    .max()
    .unwrap_or(0)
        + 2;
    let line = |o: &mut String, label: String, value: String| {
        let pad = width.saturating_sub(label.chars().count());
        let _ = writeln!(o, "  {label}{}{value}", " ".repeat(pad));
    };
    match (
        s.target_payback_years,
        p.payback_within_target,
        s.precision.payback_within_target_ci95,
    ) {
        (Some(target), Some(within), Some(ci)) => {
            let label = fill(
                t.sum_within_target,
                &[("years", &l.n_years(&l.local(target.to_string())))],
            );
            let value = fill(
                t.sum_within_target_ci,
                &[
                    ("p", &pct(within)),
                    ("lo", &pct(ci[0])),
                    ("hi", &pct(ci[1])),
                ],
            );
            line(&mut o, label, value);
        }
        // No target: the payback distribution itself is the headline.
        _ => {
            let pb = &m.payback_years.percentiles;
            let text = match (pb.p50, s.eight_in_ten.payback_years) {
                (Some(median), Some(e)) => fill(
                    t.sum_median_payback_8_in_10,
                    &[("median", &l.years(median, 2)), ("p80", &l.years(e, 2))],
                ),
                (Some(median), None) => fill(
                    t.sum_median_payback_often_never,
                    &[("median", &l.years(median, 2))],
                ),
                (None, _) => t.sum_median_payback_never.to_string(),
            };
            let _ = writeln!(o, "  {text}");
        }
    }
    line(
        &mut o,
        t.sum_within_horizon.to_string(),
        pct(p.payback_within_horizon),
    );
    line(&mut o, t.sum_npv_positive.to_string(), pct(p.npv_positive));
    let npv_label = if cur.is_empty() {
        t.npv.to_string()
    } else {
        format!("{} ({})", t.npv, l.currency(cur))
    };
    let labels = [
        t.sum_payback_years.to_string(),
        t.sum_discounted_payback_years.to_string(),
        npv_label,
        t.roi.to_string(),
    ];
    let w = labels
        .iter()
        .map(|x| x.chars().count())
        .max()
        .unwrap_or(0)
        .max(26);
    // Each row's P10, P50 and P90 as written; the columns are 14 wide, or
    // wider for long numbers (billions of a small currency unit), always
    // with two spaces between them.
    type Format<'f> = &'f dyn Fn(Option<f64>) -> String;
    let rows: [(&str, Format, &MetricSummary); 4] = [
        (&labels[0], &years, &m.payback_years),
        (&labels[1], &years, &m.discounted_payback_years),
        (&labels[2], &money, &m.npv),
        (&labels[3], &ratio, &m.roi),
    ];
    let cells: Vec<[String; 3]> = rows
        .iter()
        .map(|(_, f, ms)| {
            let q = &ms.percentiles;
            [f(q.p10), f(q.p50), f(q.p90)]
        })
        .collect();
    let c = cells
        .iter()
        .flatten()
        .map(|x| x.chars().count() + 2)
        .max()
        .unwrap_or(0)
        .max(14);
    let _ = writeln!(o, "  {:<w$}{:>c$}{:>c$}{:>c$}", "", "P10", "P50", "P90");
    for ((label, ..), [p10, p50, p90]) in rows.iter().zip(&cells) {
        let _ = writeln!(o, "  {label:<w$}{p10:>c$}{p50:>c$}{p90:>c$}");
    }
    if let Some(f) = m.payback_years.fell_back_fraction.filter(|&f| f > 0.0) {
        let _ = writeln!(o, "  {}", fill(t.sum_fell_back, &[("share", &pct(f))]));
    }
    if let Some(se) = s.precision.npv_mean_se {
        let [lo, hi] = s.precision.payback_median_ci95;
        let _ = writeln!(
            o,
            "  {}",
            fill(
                t.sum_precision,
                &[
                    ("mean", &money(m.npv.mean)),
                    ("se", &money(Some(se))),
                    ("lo", &years(lo)),
                    ("hi", &years(hi)),
                ]
            )
        );
    }
    if let Some(st) = &s.stopping {
        let _ = writeln!(o, "  {}", stopping_line(st, s.trials, l));
    }
    if let Some(top) = s.top_drivers().first() {
        let _ = writeln!(
            o,
            "  {}",
            fill(
                t.sum_driver,
                &[
                    ("name", &pretty_input_in(&top.input, l)),
                    ("low", &money(top.npv_mean_low)),
                    ("high", &money(top.npv_mean_high)),
                ]
            )
        );
    }
    let _ = writeln!(o, "  {}", tails_line(s, l));
    if let Some(line) = voi_line(s, l) {
        let _ = writeln!(o, "  {line}");
    }
    let _ = writeln!(o, "  {}", fill(t.sum_results, &[("dir", &dir.display())]));
    o
}

/// "value of information: perfect information worth EUR 31k; most:
/// Time saved: hours saved per month (EUR 23k)".
fn voi_line(s: &Summary, l: Lang) -> Option<String> {
    let t = l.t();
    let v = &s.value_of_information;
    let cur = s.currency.as_deref();
    let mut line = fill(t.sum_voi, &[("evpi", &l.money(v.evpi?, cur))]);
    if let Some(top) = v.inputs.first().filter(|e| e.evppi > 0.0) {
        let name = match top.path.strip_prefix("shocks.") {
            Some(shock) => shock.to_string(),
            None => pretty_input_in(&top.path, l),
        };
        line += &fill(
            t.sum_voi_most,
            &[("name", &name), ("evppi", &l.money(top.evppi, cur))],
        );
    }
    Some(line)
}

/// The printed outcome of `--precision`, e.g. "stopped after 40,000 trials
/// (3 rounds): precision 1% reached (mean NPV ±0.5%, ...)".
fn stopping_line(st: &Stopping, trials: u64, l: Lang) -> String {
    let t = l.t();
    let rel = |x: Option<f64>| {
        x.map_or(t.sum_unbounded.to_string(), |v| {
            format!("±{}%", l.two_digits(100.0 * v))
        })
    };
    let mut achieved = fill(
        t.sum_achieved,
        &[
            ("npv", &rel(st.npv_mean_relative)),
            ("payback", &rel(st.payback_median_relative)),
        ],
    );
    if let Some(h) = st.payback_within_target_absolute {
        achieved += &fill(
            t.sum_achieved_target,
            &[("points", &l.two_digits(100.0 * h))],
        );
    }
    let target = format!("{}%", l.two_digits(100.0 * st.target_precision));
    let rounds = fill(
        if st.rounds == 1 {
            t.method_one_round
        } else {
            t.method_rounds
        },
        &[("n", &st.rounds)],
    );
    let args = [
        (
            "trials",
            &l.thousands(trials as f64) as &dyn std::fmt::Display,
        ),
        ("rounds", &rounds),
        ("target", &target),
        ("achieved", &achieved),
    ];
    if st.reached {
        fill(t.sum_stopped, &args)
    } else {
        fill(t.sum_ceiling, &args)
    }
}

/// The printed line of "What has to go wrong": what the futures with NPV <
/// 0 have in common (or, when there are too few of them, those that miss
/// the payback target), at most three inputs or shocks, strongest first:
/// "what has to go wrong: in the 3.4% of futures with NPV < 0,
/// Adoption: max level sits low (P10), ...".
fn tails_line(s: &Summary, l: Lang) -> String {
    use crate::format::percentile_rank;
    let t: &Text = l.t();
    let ta = &s.tail_analysis;
    let late = match s.target_payback_years {
        Some(tp) => fill(t.sum_tails_miss, &[("target", &l.trim(tp))]),
        None => t.sum_tails_never.to_string(),
    };
    // What stands out in a tail, strongest (in points) first; the first
    // input named "sits" low or high.
    let describe = |tl: &Tail| {
        let mut items: Vec<(f64, Option<String>, String)> = tl
            .inputs
            .iter()
            .filter(|i| i.stands_out)
            .map(|i| {
                let side = if i.shift < 0.0 { t.low } else { t.high };
                let rank = percentile_rank(i.median_rank);
                (
                    i.shift.abs(),
                    Some(pretty_input_in(&i.input, l)),
                    fill(t.sum_tails_side, &[("side", &side), ("rank", &rank)]),
                )
            })
            .collect();
        items.extend(tl.shocks.iter().filter(|sh| sh.stands_out).map(|sh| {
            (
                100.0 * (sh.strikes_in_tail - sh.strikes_overall).abs(),
                None,
                fill(
                    t.sum_tails_shock,
                    &[
                        ("name", &sh.shock),
                        ("tail", &l.chance1(sh.strikes_in_tail)),
                        ("all", &l.chance1(sh.strikes_overall)),
                    ],
                ),
            )
        }));
        // Stable: ties keep inputs (largest shift first) before shocks.
        items.sort_by(|a, b| b.0.total_cmp(&a.0));
        if items.is_empty() {
            return t.sum_tails_nothing.to_string();
        }
        let mut first = true;
        let words: Vec<String> = items
            .into_iter()
            .take(3)
            .map(|(_, input, words)| match input {
                Some(name) => {
                    let template = if std::mem::take(&mut first) {
                        t.sum_tails_input_first
                    } else {
                        t.sum_tails_input_next
                    };
                    fill(template, &[("name", &name), ("words", &words)])
                }
                None => words,
            })
            .collect();
        words.join(", ")
    };
    let npv = &ta.npv_negative;
    let head = t.sum_tails_head;
    if npv.futures >= MIN_FUTURES {
        if npv.share == 1.0 {
            return format!("{head} {}", t.sum_tails_every);
        }
        return format!(
            "{head} {}",
            fill(
                t.sum_tails_npv,
                &[("share", &l.chance1(npv.share)), ("what", &describe(npv))]
            )
        );
    }
    let none = if npv.futures == 0 {
        t.sum_tails_none.to_string()
    } else {
        fill(t.sum_tails_only, &[("n", &npv.futures)])
    };
    let pb = &ta.payback_missed;
    if pb.futures >= MIN_FUTURES && pb.share < 1.0 {
        format!(
            "{head} {}",
            fill(
                t.sum_tails_late,
                &[
                    ("none", &none),
                    ("share", &l.chance1(pb.share)),
                    ("late", &late),
                    ("what", &describe(pb)),
                ]
            )
        )
    } else {
        format!("{head} {none}")
    }
}

/// The line `batch` prints for a scenario that ran: "ok  FILE -> DIR
/// (payback within 3 years: 80%, median NPV EUR 210k)".
pub fn batch_line(s: &Summary, file: &Path, dir: &Path, lang: Lang) -> String {
    let (l, t) = (lang, lang.t());
    let payback = match s.target() {
        Some((tp, p)) => fill(
            t.sum_batch_within,
            &[
                ("years", &l.n_years(&l.local(tp.to_string()))),
                ("chance", &l.percent(p)),
            ],
        ),
        _ => s.metrics.payback_years.percentiles.p50.map_or_else(
            || t.sum_median_payback_never.to_string(),
            |y| fill(t.sum_batch_median, &[("years", &l.n_years(&l.years(y, 1)))]),
        ),
    };
    fill(
        t.sum_batch_line,
        &[
            ("file", &file.display()),
            ("dir", &dir.display()),
            ("payback", &payback),
            (
                "npv",
                &s.metrics
                    .npv
                    .percentiles
                    .p50
                    .map_or("–".into(), |v| l.money(v, s.currency.as_deref())),
            ),
        ],
    )
}
