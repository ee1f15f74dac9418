//! The `run` command: validates every scenario file first, runs each
//! (nothing is replaced until all have run), then prints a summary per
//! scenario.

use super::common::{InvalidInput, apply_sets, check_warnings, parse_sets, settings};
use super::stage::{Run, simulate};
use crate::cli::RunArgs;
use anyhow::{Context, Result};
use crm_roi::config::{Scenario, ScenarioErrors};
use crm_roi::format::{self, percent1, thousands, two_digits};
use crm_roi::report::text::terminal;
use crm_roi::report::{self, ResultDir};
use crm_roi::results::tails::MIN_FUTURES;
use crm_roi::results::{Stopping, Summary, Tail};
use std::collections::HashMap;
use std::path::Path;

pub fn run_command(args: &RunArgs) -> Result<()> {
    for f in &args.files {
        if f.is_dir() {
            let shown = f.display();
            return Err(InvalidInput(format!(
                "{shown} is a directory; `run` takes scenario files. To run every scenario in it and compare them, use `crm-roi batch {shown}` (check them first with `crm-roi validate {shown}`)"
            ))
            .into());
        }
    }
    let sets = parse_sets(&args.sim.sets)?;
    // Validate every file first: nothing is simulated when one is broken.
    let mut scenarios = Vec::new();
    let mut errors = Vec::new();
    let mut set_errors = Vec::new();
    for f in &args.files {
        let loaded = Scenario::load(f).map(|s| apply_sets(s, &sets));
        match loaded {
            Ok(Ok(s)) => match check_warnings(s, args.sim.strict, args.sim.quiet) {
                Ok(s) => scenarios.push(s),
                Err(e) => errors.extend(e.0),
            },
            Ok(Err(why)) => set_errors.push(why),
            Err(e) => errors.extend(e.0),
        }
    }
    if !errors.is_empty() {
        return Err(ScenarioErrors(errors).into());
    }
    if !set_errors.is_empty() {
        return Err(InvalidInput(set_errors.join("\n")).into());
    }
    let mut dirs: HashMap<String, &Path> = HashMap::new();
    for s in &scenarios {
        let dir = report::safe_dir_name(&s.name);
        if let Some(other) = dirs.insert(dir.clone(), &s.file) {
            return Err(InvalidInput(format!(
                "{} and {} would both write {}; give them different `name`s",
                other.display(),
                s.file.display(),
                args.sim.out.join(&dir).display()
            ))
            .into());
        }
    }
    if let Some(arg) = args.sim.shard {
        let (k, n) = super::shard::resolve(arg, args.sim.shards, |v| std::env::var(v).ok())?;
        for s in &scenarios {
            let path = super::shard::run_one(s, &settings(&args.sim, s), (k, n), &args.sim)?;
            if !args.sim.quiet {
                println!(
                    "{}: shard {k} of {n} written to {} (merge all {n} with `crm-roi merge {}`)",
                    terminal(&s.name),
                    terminal(&path.display().to_string()),
                    terminal(&args.sim.out.display().to_string()),
                );
            }
        }
        return Ok(());
    }
    // Every result directory is checked before any scenario runs, and all
    // are replaced together at the end: a run stopped half-way replaces
    // nothing.
    let mut dirs = Vec::new();
    for s in &scenarios {
        dirs.push(ResultDir::create(
            &args.sim.out,
            &report::safe_dir_name(&s.name),
        )?);
    }
    let mut staged = Vec::new();
    for (s, dir) in scenarios.iter().zip(dirs) {
        staged.push(simulate(s, &settings(&args.sim, s), dir, &args.sim)?);
    }
    crate::interrupt::check()?;
    let runs: Vec<Run> = staged
        .into_iter()
        .map(|s| s.commit())
        .collect::<Result<_>>()?;
    let names: Vec<&str> = scenarios.iter().map(|s| s.name.as_str()).collect();
    mark_overview_stale(&args.sim.out, &names, args.sim.quiet)?;
    if !args.sim.quiet {
        for run in &runs {
            print_summary(&run.results.summary, &run.dir)?;
        }
    }
    Ok(())
}

pub fn print_summary(s: &Summary, dir: &Path) -> std::io::Result<()> {
    use std::fmt::Write as _;
    use std::io::Write as _;
    let mut o = String::new();
    let cur = s.currency.as_deref().unwrap_or("");
    let pct = percent1;
    let years = |x: Option<f64>| x.map_or("beyond".to_string(), |v| format::years(v, 2));
    let money = |x: Option<f64>| x.map_or("-".to_string(), thousands);
    let ratio = |x: Option<f64>| x.map_or("-".to_string(), percent1);
    let p = &s.probabilities;
    let m = &s.metrics;
    let _ = writeln!(
        o,
        "{}: {} trials, seed {}, {}, horizon {} months",
        s.scenario, s.trials, s.seed, s.sampling, s.horizon_months
    );
    match (
        s.target_payback_years,
        p.payback_within_target,
        s.precision.payback_within_target_ci95,
    ) {
        (Some(target), Some(within), Some(ci)) => {
            let _ = writeln!(
                o,
                "  P(payback within {} years):  {}  (95% CI {} to {})",
                target,
                pct(within),
                pct(ci[0]),
                pct(ci[1])
            );
        }
        // No target: the payback distribution itself is the headline.
        _ => {
            let pb = &m.payback_years.percentiles;
            let _ = match (pb.p50, s.eight_in_ten.payback_years) {
                (Some(median), Some(e)) => writeln!(
                    o,
                    "  median payback {} years; in 8 of 10 futures within {} years",
                    format::years(median, 2),
                    format::years(e, 2)
                ),
                (Some(median), None) => writeln!(
                    o,
                    "  median payback {} years; in more than 2 of 10 futures beyond the horizon",
                    format::years(median, 2)
                ),
                (None, _) => writeln!(o, "  median payback beyond the horizon"),
            };
        }
    }
    let _ = writeln!(
        o,
        "  P(payback within horizon):  {}",
        pct(p.payback_within_horizon)
    );
    let _ = writeln!(o, "  P(NPV > 0):                 {}", pct(p.npv_positive));
    let _ = writeln!(o, "  {:<26}{:>14}{:>14}{:>14}", "", "P10", "P50", "P90");
    let row = |o: &mut String,
               label: &str,
               f: &dyn Fn(Option<f64>) -> String,
               ms: &crm_roi::results::MetricSummary| {
        let q = &ms.percentiles;
        let _ = writeln!(
            o,
            "  {:<26}{:>14}{:>14}{:>14}",
            label,
            f(q.p10),
            f(q.p50),
            f(q.p90)
        );
    };
    row(&mut o, "payback (years)", &years, &m.payback_years);
    row(
        &mut o,
        "discounted payback (years)",
        &years,
        &m.discounted_payback_years,
    );
    let npv_label = if cur.is_empty() {
        "NPV".to_string()
    } else {
        format!("NPV ({cur})")
    };
    row(&mut o, &npv_label, &money, &m.npv);
    row(&mut o, "ROI", &ratio, &m.roi);
    if let Some(f) = m.payback_years.fell_back_fraction.filter(|&f| f > 0.0) {
        let _ = writeln!(
            o,
            "  in {} of futures the cumulative cash was positive earlier and fell back below zero; payback counts from when it stays positive",
            pct(f)
        );
    }
    if let Some(se) = s.precision.npv_mean_se {
        let [lo, hi] = s.precision.payback_median_ci95;
        let _ = writeln!(
            o,
            "  precision: mean NPV {} +/- {} (1 SE); median payback 95% CI [{}, {}] years",
            money(m.npv.mean),
            money(Some(se)),
            years(lo),
            years(hi)
        );
    }
    if let Some(st) = &s.stopping {
        let _ = writeln!(o, "  {}", stopping_line(st, s.trials));
    }
    if let Some(top) = s.top_drivers().first() {
        let _ = writeln!(
            o,
            "  strongest driver of NPV: {} (mean NPV {} when it is low, {} when high)",
            top.input,
            money(top.npv_mean_low),
            money(top.npv_mean_high)
        );
    }
    let _ = writeln!(o, "  {}", tails_line(s));
    if let Some(line) = voi_line(s) {
        let _ = writeln!(o, "  {line}");
    }
    let _ = writeln!(o, "  results: {}", dir.display());
    std::io::stdout().lock().write_all(terminal(&o).as_bytes())
}

/// "value of information: perfect information worth EUR 31k; most:
/// benefits.Time saved.hours_saved_per_month (EUR 23k)".
fn voi_line(s: &Summary) -> Option<String> {
    let v = &s.value_of_information;
    let cur = s.currency.as_deref();
    let mut line = format!(
        "value of information: perfect information worth {}",
        format::money(v.evpi?, cur)
    );
    if let Some(top) = v.inputs.first().filter(|e| e.evppi > 0.0) {
        line += &format!("; most: {} ({})", top.path, format::money(top.evppi, cur));
    }
    Some(line)
}

/// The printed outcome of `--precision`, e.g. "stopped after 40,000 trials
/// (3 rounds): precision 1% reached (mean NPV ±0.5%, ...)".
fn stopping_line(st: &Stopping, trials: u64) -> String {
    let rel = |x: Option<f64>| {
        x.map_or("unbounded".to_string(), |v| {
            format!("±{}%", two_digits(100.0 * v))
        })
    };
    let mut achieved = format!(
        "mean NPV {}, median payback {}",
        rel(st.npv_mean_relative),
        rel(st.payback_median_relative),
    );
    if let Some(h) = st.payback_within_target_absolute {
        achieved += &format!(", P(within target) ±{} points", two_digits(100.0 * h));
    }
    let target = format!("{}%", two_digits(100.0 * st.target_precision));
    let rounds = if st.rounds == 1 {
        "1 round".to_string()
    } else {
        format!("{} rounds", st.rounds)
    };
    if st.reached {
        format!(
            "stopped after {} trials ({rounds}): precision {target} reached ({achieved})",
            thousands(trials as f64)
        )
    } else {
        format!(
            "ceiling of {} trials reached before {target} precision ({rounds}; {achieved})",
            thousands(trials as f64)
        )
    }
}

/// The printed line of "What has to go wrong": what the futures with NPV <
/// 0 have in common (or, when there are too few of them, those that miss
/// the payback target), at most three inputs or shocks, strongest first:
/// "what has to go wrong: in the 3.4% of futures with NPV < 0,
/// adoption.max_level sits low (P10), ...".
fn tails_line(s: &Summary) -> String {
    use crm_roi::format::{chance1, percentile_rank};
    let ta = &s.tail_analysis;
    let late = match s.target_payback_years {
        Some(t) => format!("miss the {}-year payback target", format::trim(t)),
        None => "do not pay back within the horizon".to_string(),
    };
    // What stands out in a tail, strongest (in points) first; the first
    // input named "sits" low or high.
    let describe = |t: &Tail| {
        let mut items: Vec<(f64, Option<String>, String)> = t
            .inputs
            .iter()
            .filter(|i| i.stands_out)
            .map(|i| {
                let side = if i.shift < 0.0 { "low" } else { "high" };
                let rank = percentile_rank(i.median_rank);
                (
                    i.shift.abs(),
                    Some(i.input.clone()),
                    format!("{side} (P{rank})"),
                )
            })
            .collect();
        items.extend(t.shocks.iter().filter(|sh| sh.stands_out).map(|sh| {
            (
                100.0 * (sh.strikes_in_tail - sh.strikes_overall).abs(),
                None,
                format!(
                    "{} struck in {} ({} overall)",
                    sh.shock,
                    chance1(sh.strikes_in_tail),
                    chance1(sh.strikes_overall)
                ),
            )
        }));
        // Stable: ties keep inputs (largest shift first) before shocks.
        items.sort_by(|a, b| b.0.total_cmp(&a.0));
        if items.is_empty() {
            return "nothing stands out".to_string();
        }
        let mut sits = "sits ";
        let words: Vec<String> = items
            .into_iter()
            .take(3)
            .map(|(_, input, words)| match input {
                Some(path) => format!("{path} {}{words}", std::mem::take(&mut sits)),
                None => words,
            })
            .collect();
        words.join(", ")
    };
    let npv = &ta.npv_negative;
    let head = "what has to go wrong:";
    if npv.futures >= MIN_FUTURES {
        if npv.share == 1.0 {
            return format!("{head} every future has NPV < 0");
        }
        return format!(
            "{head} in the {} of futures with NPV < 0, {}",
            chance1(npv.share),
            describe(npv)
        );
    }
    let none = if npv.futures == 0 {
        "no future has NPV < 0".to_string()
    } else {
        format!("only {} futures have NPV < 0", npv.futures)
    };
    let pb = &ta.payback_missed;
    if pb.futures >= MIN_FUTURES && pb.share < 1.0 {
        format!(
            "{head} {none}; in the {} that {late}, {}",
            chance1(pb.share),
            describe(pb)
        )
    } else {
        format!("{head} {none}")
    }
}

/// The notice that a batch overview is out of date; one line per
/// scenario rerun, each with this attribute and the scenario's name.
const STALE: &str = "data-crm-roi-stale";

/// After a `run` into the output directory of a batch: the batch's
/// `index.html` still shows the figures of the batch run and links to
/// reports that now hold other figures. It cannot be rebuilt from the files
/// alone (the paired comparison needs every trial), so it is marked: a
/// notice at the top names each scenario rerun since and says to run the
/// batch again. Only an `index.html` that a batch wrote (listed in its
/// marker) is touched, and it is replaced whole or not at all.
/// (docs/batch.md, "Runs into a batch's directory".)
fn mark_overview_stale(out: &Path, names: &[&str], quiet: bool) -> Result<()> {
    let ours = match super::batch::overview_files_ours(out) {
        Ok(files) => files,
        // Overview files that crm-roi did not write are not touched.
        Err(_) => return Ok(()),
    };
    if !ours.contains(&"index.html") {
        return Ok(());
    }
    let index = out.join("index.html");
    let html = std::fs::read_to_string(&index)
        .with_context(|| format!("cannot read {}", index.display()))?;
    let Some(body) = html
        .find("<body")
        .and_then(|i| html[i..].find('>').map(|j| i + j + 1))
    else {
        return Ok(());
    };
    let mut notice = String::new();
    for name in names {
        let escaped = crm_roi::report::html::escape(name);
        if html.contains(&format!("{STALE}=\"{escaped}\"")) {
            continue;
        }
        notice += &format!(
            "<p {STALE}=\"{escaped}\" role=\"alert\" style=\"background:#fff3cd;border:1px solid #d39e00;padding:0.6em 0.9em;margin:0.5em 0\"><strong>Out of date:</strong> after this overview was written, <code>crm-roi run</code> replaced the results of <strong>{escaped}</strong>. Its report no longer matches the figures, chart and comparison below (nor <code>batch_summary.csv</code>); run the batch again to bring them together.</p>\n"
        );
    }
    if notice.is_empty() {
        return Ok(());
    }
    let marked = format!("{}\n{notice}{}", &html[..body], &html[body..]);
    crm_roi::report::write_atomically(&index, |temp| Ok(std::fs::write(temp, marked.as_bytes())?))?;
    if !quiet {
        eprintln!(
            "note: {} is the overview of an earlier batch and now says that it is out of date for {}; run the batch again to refresh it",
            terminal(&index.display().to_string()),
            terminal(&names.join(", "))
        );
    }
    Ok(())
}
