//! Stopping on request: Ctrl-C (SIGINT), SIGTERM and SIGHUP ask long work
//! to stop at a safe point.
//!
//! The binary's signal handler calls [`request`] with the signal. That
//! cancels the [`token`] the commands hand to the library's runs (the
//! engine checks it between waves of trials), and the commands check
//! [`requested`] before results are moved into place, so a stopped run ends
//! within a fraction of a second and leaves the previous results as they
//! were (its own half-written files live in a temporary directory that is
//! removed). The exit code is that of a shell for the signal:
//! [`exit_code`], 128 + the signal number. [`install`] sets up the
//! handler: SIGINT, SIGTERM and SIGHUP on Unix (signal-hook), Ctrl-C
//! elsewhere (ctrlc).

use crm_roi::engine::Cancel;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicI32, Ordering};

static SIGNAL: AtomicI32 = AtomicI32::new(0);
static TOKEN: LazyLock<Cancel> = LazyLock::new(Cancel::new);

/// The cancellation token that a signal cancels, for the library's runs.
pub fn token() -> &'static Cancel {
    &TOKEN
}

/// SIGINT, the signal of Ctrl-C (the same number on every Unix).
pub const SIGINT: i32 = 2;

/// Asks running work to stop because of `signal` (a signal number; the
/// first one is kept). Returns whether it had been asked before.
pub fn request(signal: i32) -> bool {
    let before = SIGNAL
        .compare_exchange(0, signal, Ordering::SeqCst, Ordering::SeqCst)
        .is_err();
    TOKEN.cancel();
    before
}

/// Whether work should stop.
pub fn requested() -> bool {
    TOKEN.is_cancelled()
}

/// The exit code of work stopped by the first signal received: 128 + its
/// number (130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP).
pub fn exit_code() -> u8 {
    match SIGNAL.load(Ordering::SeqCst) {
        s @ 1..=127 => 128 + s as u8,
        _ => 128 + SIGINT as u8,
    }
}

/// The error of work stopped on request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("interrupted")]
pub struct Interrupted;

/// `Err(Interrupted)` once a stop was requested.
pub fn check() -> Result<(), Interrupted> {
    if requested() {
        Err(Interrupted)
    } else {
        Ok(())
    }
}

/// Whether an error is (or wraps) [`Interrupted`].
pub fn is_interrupt(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.is::<Interrupted>())
}

/// How long after a signal the same signal again is taken as the same
/// request: `timeout` and some process managers send it twice at once (to
/// the process, then to its group), which is one request to stop, not a
/// second one to end at once.
#[cfg(unix)]
const ECHO: std::time::Duration = std::time::Duration::from_millis(250);

/// Installs the handler: the first signal asks the work to stop at a safe
/// point, which removes the half-written results; a second one ends the
/// process at once (what it leaves behind is cleaned up by the next run
/// into the same place), unless it is the same signal within [`ECHO`] of
/// the first.
#[cfg(unix)]
pub fn install() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    std::thread::spawn(move || {
        let mut first: Option<(i32, std::time::Instant)> = None;
        for signal in signals.forever() {
            let echo = first.is_some_and(|(s, at)| s == signal && at.elapsed() < ECHO);
            if request(signal) && !echo {
                std::process::exit(128 + signal);
            }
            first.get_or_insert((signal, std::time::Instant::now()));
        }
    });
}

/// Installs the handler: the first Ctrl-C asks the work to stop at a safe
/// point; a second one ends the process at once.
#[cfg(not(unix))]
pub fn install() {
    let _ = ctrlc::set_handler(|| {
        if request(SIGINT) {
            std::process::exit(128 + SIGINT);
        }
    });
}
