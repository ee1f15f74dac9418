//! The `crm-roi` binary: parses the command line, runs the command and maps
//! errors to exit codes (0 ok, 2 invalid input or usage, 1 anything else).
//! A closed stdout (`crm-roi ... | head`) is not an error; Ctrl-C exits
//! with 130 after removing half-written results.

mod app;
mod batch;
mod cli;
mod fitting;

use clap::Parser;
use crm_roi::config::ScenarioErrors;
use crm_roi::report::text::terminal;
use std::process::ExitCode;

/// The exit code of a run stopped by Ctrl-C (128 + SIGINT), as shells use.
const INTERRUPTED: u8 = 130;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    // Ctrl-C asks the work to stop at a safe point, which removes the
    // half-written results; a second Ctrl-C stops at once.
    let _ = ctrlc::set_handler(|| {
        if crm_roi::interrupt::request() {
            std::process::exit(INTERRUPTED.into());
        }
    });
    match app::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            if is_interrupt(&e) {
                eprintln!("interrupted: no new results were written");
                return ExitCode::from(INTERRUPTED);
            }
            if let Some(errs) = e.downcast_ref::<ScenarioErrors>() {
                print_scenario_errors(errs);
                let n = errs.0.len();
                eprintln!("error: {n} problem{} found", if n == 1 { "" } else { "s" });
                return ExitCode::from(2);
            }
            eprintln!("error: {}", terminal(&format!("{e:#}")));
            if e.downcast_ref::<app::InvalidInput>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}

/// Whether work stopped because of Ctrl-C.
fn is_interrupt(e: &anyhow::Error) -> bool {
    use crm_roi::interrupt::Interrupted;
    e.chain().any(|c| {
        c.is::<Interrupted>()
            || c.downcast_ref::<std::io::Error>()
                .and_then(|io| io.get_ref())
                .is_some_and(|inner| inner.is::<Interrupted>())
    })
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
            .filter(|(span, text)| span.end <= text.len());
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
