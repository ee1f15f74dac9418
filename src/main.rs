//! The `crm-roi` binary: parses the command line, runs the command and maps
//! errors to exit codes (0 ok, 2 invalid input or usage, 1 anything else).
//! A closed stdout (`crm-roi ... | head`) is not an error. Ctrl-C, SIGTERM
//! and SIGHUP stop the work at a safe point, which removes half-written
//! results; the exit code is then 128 + the signal (130, 143, 129).

mod app;
mod batch;
mod cli;
mod fitting;
mod interrupt;

use clap::Parser;
use crm_roi::config::ScenarioErrors;
use crm_roi::report::text::terminal;
use std::io::Write as _;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    // `validate` writes nothing: the signals keep their default action
    // there (the process ends at once).
    if !matches!(cli.command, cli::Command::Validate(_)) {
        stop_on_signals();
    }
    match app::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            if is_interrupt(&e) {
                // After SIGHUP the terminal may be gone: no panic if the
                // message cannot be written.
                let _ = writeln!(
                    std::io::stderr(),
                    "interrupted: no new results were written"
                );
                return ExitCode::from(crate::interrupt::exit_code());
            }
            if let Some(errs) = e.downcast_ref::<ScenarioErrors>() {
                print_scenario_errors(errs);
                let n = errs.0.len();
                eprintln!("error: {n} problem{} found", if n == 1 { "" } else { "s" });
                return ExitCode::from(2);
            }
            eprintln!("error: {}", terminal(&format!("{e:#}")));
            let invalid = e
                .chain()
                .any(|c| c.is::<app::InvalidInput>() || c.is::<crm_roi::report::Refused>());
            ExitCode::from(if invalid { 2 } else { 1 })
        }
    }
}

/// The first signal asks the work to stop at a safe point, which removes
/// the half-written results; a second one ends the process at once (what
/// it leaves behind is cleaned up by the next run into the same place).
#[cfg(unix)]
fn stop_on_signals() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    std::thread::spawn(move || {
        for signal in signals.forever() {
            if crate::interrupt::request(signal) {
                std::process::exit(128 + signal);
            }
        }
    });
}

#[cfg(not(unix))]
fn stop_on_signals() {
    let _ = ctrlc::set_handler(|| {
        if crate::interrupt::request(crate::interrupt::SIGINT) {
            std::process::exit(128 + crate::interrupt::SIGINT);
        }
    });
}

/// Whether work stopped on request (a signal).
fn is_interrupt(e: &anyhow::Error) -> bool {
    use crate::interrupt::Interrupted;
    e.chain().any(|c| c.is::<Interrupted>())
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// One line per problem; on a terminal, each with the offending source
/// text underlined (codespan-reporting), where the file has it.
fn print_scenario_errors(errs: &ScenarioErrors) {
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
