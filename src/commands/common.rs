//! What the commands share: the kind of error that means "fix your input"
//! (exit code 2), the run settings from the command line and the file,
//! warnings, scenario-file discovery, broken-pipe detection and the
//! located diagnostics of invalid scenarios.

use crate::cli::{SamplingArg, SimArgs};
use anyhow::{Context, Result};
use crm_roi::config::set::{self, SetList, Setting};
use crm_roi::config::{DEFAULT_SEED, DEFAULT_TRIALS, Scenario, ScenarioErrors};
use crm_roi::report::text::terminal;
use crm_roi::{Method, Settings};
use std::path::{Path, PathBuf};

/// Input the user must fix (exit code 2), as opposed to a failure (exit 1).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InvalidInput(pub String);

/// The run settings of `run` and `batch` (see [`resolve_settings`]).
pub fn settings(args: &SimArgs, s: &Scenario) -> Settings {
    resolve_settings(args.trials, args.seed, args.sampling, s)
}

/// The run settings: the command line first, then the file, then defaults.
pub fn resolve_settings(
    trials: Option<u64>,
    seed: Option<u64>,
    sampling: Option<SamplingArg>,
    s: &Scenario,
) -> Settings {
    Settings::new(
        trials.or(s.simulation.trials).unwrap_or(DEFAULT_TRIALS),
        seed.or(s.simulation.seed).unwrap_or(DEFAULT_SEED),
        sampling.map_or_else(|| s.simulation.sampling.unwrap_or_default(), Method::from),
    )
}

/// The `--set PATH=VALUE` arguments of `run` and `batch`, each checked
/// for its syntax (exit code 2 for a bad one, or a field given twice).
pub fn parse_sets(args: &[String]) -> Result<Vec<Setting>> {
    let mut out: Vec<Setting> = Vec::new();
    for a in args {
        let s = set::parse_one(SET_FLAG, a).map_err(|e| InvalidInput(e.to_string()))?;
        if let Some(first) = out.iter().find(|o| o.path == s.path) {
            return Err(InvalidInput(format!(
                "{SET_FLAG} {}: set twice ({first} and {s}); give each field once",
                s.path
            ))
            .into());
        }
        out.push(s);
    }
    Ok(out)
}

/// The flag of [`parse_sets`].
const SET_FLAG: &str = "--set";

/// The scenario `s` (loaded from its file) with `sets` written over it,
/// validated as a variant file is (`config::set::load_with`); unchanged
/// when there are none. The error names the file, the flag, the field and
/// what is wrong, one line per problem (an unknown field with the closest
/// one, a value out of the field's range).
pub fn apply_sets(s: Scenario, sets: &[Setting]) -> Result<Scenario, String> {
    if sets.is_empty() {
        return Ok(s);
    }
    for one in sets {
        let list = SetList {
            path: one.path.clone(),
            values: vec![one.clone()],
        };
        set::check(SET_FLAG, &s, &list).map_err(|e| e.to_string())?;
    }
    let refs: Vec<&Setting> = sets.iter().collect();
    set::load_with(&s.file, &refs).map_err(|e| {
        set::explain(&e, SET_FLAG, &refs)
            .into_iter()
            .map(|line| {
                if line.starts_with(SET_FLAG) {
                    format!("{}: {line}", s.file.display())
                } else {
                    line
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    })
}

/// Prints a scenario's warnings (unless `quiet`), or fails with them under
/// `--strict`.
pub fn check_warnings(s: Scenario, strict: bool, quiet: bool) -> Result<Scenario, ScenarioErrors> {
    if strict && !s.warnings.is_empty() {
        let errors = s
            .warnings
            .into_iter()
            .map(|mut w| {
                w.message.push_str(" (an error under --strict)");
                w
            })
            .collect();
        return Err(ScenarioErrors(errors));
    }
    if !quiet {
        for w in &s.warnings {
            eprintln!("warning: {}", terminal(&w.to_string()));
        }
    }
    Ok(s)
}

/// Scenario files under `p`: `p` itself if a file, else every `*.toml`
/// below it, sorted.
pub fn collect_toml(p: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    if p.is_file() {
        out.push(p.to_path_buf());
        return Ok(());
    }
    match std::fs::metadata(p) {
        Err(_) => {
            return Err(InvalidInput(format!("{}: no such file or directory", p.display())).into());
        }
        // A named pipe or a device: refused by its load, with its kind.
        Ok(m) if !m.is_dir() => {
            out.push(p.to_path_buf());
            return Ok(());
        }
        Ok(_) => {}
    }
    walk_toml(p, out)
}

/// The `*.toml` entries below directory `p`, sorted. Symbolic links to
/// directories are not followed (no loops, no scenarios counted twice);
/// linked files are. An entry that is no regular file (a dangling link, a
/// named pipe) is listed too, so that its load names what it is rather
/// than it being left out silently. Result directories below `p` (holding
/// a `.crm-roi` marker: a sweep's variants, say, when `--out` lies inside
/// the scenarios' folder) are outputs, not scenarios, and are skipped.
fn walk_toml(p: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let mut entries: Vec<(PathBuf, bool)> = std::fs::read_dir(p)
        .and_then(|rd| {
            rd.map(|e| e.and_then(|e| Ok((e.path(), e.file_type()?.is_dir()))))
                .collect()
        })
        .with_context(|| format!("cannot read the directory {}", p.display()))?;
    entries.sort();
    for (e, is_dir) in entries {
        if is_dir {
            if !e.join(crm_roi::report::replace::MARKER).is_file() {
                walk_toml(&e, out)?;
            }
        } else if e.extension().is_some_and(|x| x == "toml") {
            out.push(e);
        }
    }
    Ok(())
}

/// Whether the error is a closed stdout (`crm-roi ... | head`), which is
/// not a failure.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// One line per problem; on a terminal, each with the offending source
/// text underlined (codespan-reporting), where the file has it.
pub fn print_scenario_errors(errs: &ScenarioErrors) {
    use codespan_reporting::diagnostic::{Diagnostic, Label};
    use codespan_reporting::files::SimpleFile;
    use codespan_reporting::term::{self, termcolor};
    use std::io::IsTerminal;

    if !std::io::stderr().is_terminal() {
        eprintln!("{}", terminal(&errs.to_string()));
        return;
    }
    let writer = termcolor::StandardStream::stderr(termcolor::ColorChoice::Auto);
    let config = term::Config::default();
    for e in &errs.0 {
        let source = e
            .span
            .as_ref()
            .and_then(|span| Some((span, std::fs::read_to_string(&e.file).ok()?)))
            .filter(|(span, text)| span.end <= text.len())
            // A huge line (a 10,000-character name) is not quoted.
            .filter(|(span, text)| {
                let (Some(before), Some(after)) = (text.get(..span.start), text.get(span.end..))
                else {
                    return false;
                };
                let start = before.rfind('\n').map_or(0, |i| i + 1);
                let end = after.find('\n').map_or(text.len(), |i| span.end + i);
                end - start <= 1000
            });
        let Some((span, text)) = source else {
            eprintln!("{}", terminal(&e.to_string()));
            continue;
        };
        // Control characters in the file's text would reach the terminal:
        // replaced byte for byte, so that the span still fits.
        let text = crm_roi::report::text::terminal_same_offsets(&text).into_owned();
        let file = SimpleFile::new(terminal(&e.file.display().to_string()).into_owned(), text);
        let what = if e.path.is_empty() {
            terminal(&e.message).into_owned()
        } else {
            terminal(&format!("{}: {}", e.path, e.message)).into_owned()
        };
        let diagnostic = Diagnostic::error()
            .with_message(what)
            .with_labels(vec![Label::primary((), span.clone())]);
        if term::emit_to_write_style(&mut writer.lock(), &config, &file, &diagnostic).is_err() {
            eprintln!("{}", terminal(&e.to_string()));
        }
    }
}

/// `OUT/solve` and `OUT/sweep` are where every solve and sweep goes; a
/// `run` of a scenario named like the `command` would have made it a
/// result directory, which is not mixed with them (it holds only files,
/// each listed in its marker).
pub fn refuse_a_run_directory(out: &Path, command: &str) -> Result<()> {
    if out.join(crm_roi::report::replace::MARKER).is_file() {
        return Err(crm_roi::report::Refused(format!(
            "{} holds the results of a run (a scenario named `{command}`), not {command}s; move it away or choose another --out",
            out.display()
        ))
        .into());
    }
    Ok(())
}

/// Refuses scenarios whose names give one result directory under `out`
/// (`team x` and `team_x`): one would replace the other's results.
pub fn one_directory_each<'a>(
    scenarios: impl IntoIterator<Item = &'a Scenario>,
    out: &Path,
) -> Result<(), InvalidInput> {
    let mut dirs: std::collections::HashMap<String, &Path> = std::collections::HashMap::new();
    for s in scenarios {
        let dir = crm_roi::report::safe_dir_name(&s.name);
        if let Some(other) = dirs.insert(dir.clone(), &s.file) {
            return Err(InvalidInput(format!(
                "{} and {} would both write {}; give them different `name`s",
                other.display(),
                s.file.display(),
                out.join(&dir).display()
            )));
        }
    }
    Ok(())
}

/// Paths for a message: `a, b and c`, each as given, made safe for the
/// terminal.
pub fn paths_text(paths: &[std::path::PathBuf]) -> String {
    let shown: Vec<String> = paths
        .iter()
        .map(|p| crm_roi::report::text::terminal(&p.display().to_string()).into_owned())
        .collect();
    match shown.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}
