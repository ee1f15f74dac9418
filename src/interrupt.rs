//! Stopping on request: Ctrl-C (SIGINT), SIGTERM and SIGHUP ask long work
//! to stop at a safe point.
//!
//! The binary's signal handler calls [`request`] with the signal; the
//! engine checks [`requested`] between waves of trials and the commands
//! check it before results are moved into place, so a stopped run ends
//! within a fraction of a second and leaves the previous results as they
//! were (its own half-written files live in a temporary directory that is
//! removed). The exit code is that of a shell for the signal:
//! [`exit_code`], 128 + the signal number.

use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

static REQUESTED: AtomicBool = AtomicBool::new(false);
static SIGNAL: AtomicI32 = AtomicI32::new(0);

/// SIGINT, the signal of Ctrl-C (the same number on every Unix).
pub const SIGINT: i32 = 2;

/// Asks running work to stop because of `signal` (a signal number; the
/// first one is kept). Returns whether it had been asked before.
pub fn request(signal: i32) -> bool {
    let _ = SIGNAL.compare_exchange(0, signal, Ordering::SeqCst, Ordering::SeqCst);
    REQUESTED.swap(true, Ordering::SeqCst)
}

/// Whether work should stop.
pub fn requested() -> bool {
    REQUESTED.load(Ordering::Relaxed)
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

/// The I/O error the engine returns when stopped.
pub fn io_error() -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::Interrupted, Interrupted)
}
