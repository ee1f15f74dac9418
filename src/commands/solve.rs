//! The `solve` command: break-even and goal seek. Loads one scenario,
//! runs the library's [`crm_roi::solve::solve`] with a progress bar and the
//! interrupt token, prints the answer beside the input as the file has it,
//! and writes `OUT/solve/<scenario name>/solve.json` as a result directory
//! of its own (written whole, replacing only a directory crm-roi wrote).

use super::common::{InvalidInput, check_warnings, refuse_a_run_directory, resolve_settings};
use crate::cli::SolveArgs;
use anyhow::{Context, Result};
use crm_roi::config::Scenario;
use crm_roi::format::{number, thousands};
use crm_roi::report::replace::Kind;
use crm_roi::report::text::terminal;
use crm_roi::report::{self, ResultDir};
use crm_roi::solve::{self, Solution, SolveError, SolveOptions, SolveProgress, show_figure};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::Write as _;
use std::path::Path;

/// The progress bar: simulations done of those planned, shown once the
/// solve has taken a second, on a terminal only.
struct Bar {
    bar: ProgressBar,
    quiet: bool,
    started: std::time::Instant,
}

impl SolveProgress for Bar {
    fn simulations(&mut self, done: u32, planned: u32) {
        if !self.quiet && self.bar.is_hidden() && self.started.elapsed().as_secs_f64() > 1.0 {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        self.bar.set_length(u64::from(planned));
        self.bar.set_position(u64::from(done));
    }
}

pub fn solve_command(args: &SolveArgs) -> Result<()> {
    if args.file.is_dir() {
        return Err(InvalidInput(format!(
            "{} is a directory; `solve` takes one scenario file",
            args.file.display()
        ))
        .into());
    }
    let s = check_warnings(Scenario::load(&args.file)?, args.strict, args.quiet)?;
    // `--trials` has its own default here (solve runs many simulations).
    let settings = resolve_settings(Some(args.trials), args.seed, args.sampling, &s);
    // The result directory is checked before any simulation.
    let out = args.out.join("solve");
    refuse_a_run_directory(&out, "solve")?;
    let dir = ResultDir::create(&out, &report::safe_dir_name(&s.name), Kind::Solve)?;

    let bar = ProgressBar::with_draw_target(Some(1), ProgressDrawTarget::hidden());
    bar.set_style(
        ProgressStyle::with_template("{prefix} [{bar:40}] {pos}/{len} simulations, {eta} left")
            .expect("a valid progress template")
            .progress_chars("=> "),
    );
    bar.set_prefix(terminal(&s.name).into_owned());
    let mut progress = Bar {
        bar,
        quiet: args.quiet,
        started: std::time::Instant::now(),
    };
    let options = SolveOptions::new(settings)
        .between(args.between.as_ref().map(|b| [b[0], b[1]]))
        .cancel_on(crate::interrupt::token());
    let solution = solve::solve(&s, &args.vary, args.goal, &options, &mut progress);
    progress.bar.finish_and_clear();
    let solution = solution.map_err(|e| match e {
        SolveError::Interrupted => anyhow::Error::from(crate::interrupt::Interrupted),
        e => InvalidInput(e.to_string()).into(),
    })?;
    let mut json = serde_json::to_string_pretty(&solution).context("cannot write solve.json")?;
    json.push('\n');
    let mut f = dir.file("solve.json")?;
    f.write_all(json.as_bytes())
        .and_then(|()| f.flush())
        .with_context(|| format!("cannot write {}", dir.target().join("solve.json").display()))?;
    drop(f);
    crate::interrupt::check()?;
    let written = dir.commit()?;
    if !args.quiet {
        print(&solution, &written.join("solve.json"))?;
    }
    Ok(())
}

/// An input's value for reading: thousands separators from 1,000 up,
/// else four significant digits.
fn show(x: f64) -> String {
    if x.abs() >= 1000.0 {
        thousands(x)
    } else {
        number(format!("{x:.3e}").parse().unwrap_or(x))
    }
}

fn print(s: &Solution, file: &Path) -> std::io::Result<()> {
    use std::fmt::Write as _;
    let goal: solve::Goal = s.goal.parse().expect("the goal as parsed");
    let mut o = String::new();
    let _ = writeln!(o, "{}: {} for {}", s.scenario, s.input, s.goal);
    let _ = writeln!(
        o,
        "  {} trials per simulation, seed {}, {}; {} simulations",
        thousands(s.trials as f64),
        s.seed,
        s.sampling,
        s.simulations
    );
    let se = s
        .value_se
        .map_or("  (sampling error not estimated)".into(), |se| {
            format!("  (± {} from sampling, 1 SE)", show(se))
        });
    let _ = writeln!(o, "  value:    {}{se}", show(s.value));
    let _ = writeln!(
        o,
        "  reached:  {} = {} (goal {}); met at this value and {} it",
        s.measure,
        show_figure(goal, s.reached),
        show_figure(goal, goal.target()),
        s.met
    );
    let _ = writeln!(
        o,
        "  current:  {} ({} in the file): {} = {}",
        show(s.current.value),
        if s.current.kind == "fixed" {
            "fixed"
        } else {
            "median"
        },
        s.measure,
        show_figure(goal, s.current.reached)
    );
    if !s.monotone {
        let _ = writeln!(
            o,
            "  note: {} does not move one way only as {} changes; the value is one crossing of the goal in [{}, {}]",
            s.measure,
            s.input,
            show(s.searched[0]),
            show(s.searched[1])
        );
    }
    let _ = writeln!(o, "  results:  {}", file.display());
    std::io::stdout().lock().write_all(terminal(&o).as_bytes())
}
