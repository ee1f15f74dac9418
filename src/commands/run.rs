//! The `run` command: validates every scenario file first, runs each
//! (nothing is replaced until all have run), then prints a summary per
//! scenario.

use super::common::{InvalidInput, check_warnings, settings};
use super::stage::{Run, simulate};
use crate::cli::RunArgs;
use anyhow::Result;
use crm_roi::config::{Scenario, ScenarioErrors};
use crm_roi::format::{self, percent1, thousands, two_digits};
use crm_roi::report::text::terminal;
use crm_roi::report::{self, ResultDir};
use crm_roi::results::{Stopping, Summary};
use std::collections::HashMap;
use std::path::Path;

pub fn run_command(args: &RunArgs) -> Result<()> {
    for f in &args.files {
        if f.is_dir() {
            return Err(InvalidInput(format!(
                "{} is a directory; `run` takes scenario files (check a directory with `crm-roi validate`)",
                f.display()
            ))
            .into());
        }
    }
    // Validate every file first: nothing is simulated when one is broken.
    let mut scenarios = Vec::new();
    let mut errors = Vec::new();
    for f in &args.files {
        match Scenario::load(f).and_then(|s| check_warnings(s, args.sim.strict, args.sim.quiet)) {
            Ok(s) => scenarios.push(s),
            Err(e) => errors.extend(e.0),
        }
    }
    if !errors.is_empty() {
        return Err(ScenarioErrors(errors).into());
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
    if !args.sim.quiet {
        for run in &runs {
            print_summary(&run.results.summary, &run.dir)?;
        }
    }
    Ok(())
}

fn print_summary(s: &Summary, dir: &Path) -> std::io::Result<()> {
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
