//! Ctrl-C: a request to stop that long work checks at safe points.
//!
//! The binary's signal handler calls [`request`]; the engine checks
//! [`requested`] between waves of trials and the commands check it before
//! results are moved into place, so an interrupted run stops within a
//! fraction of a second and leaves the previous results as they were (its
//! own half-written files live in a temporary directory that is removed).

use std::sync::atomic::{AtomicBool, Ordering};

static REQUESTED: AtomicBool = AtomicBool::new(false);

/// Asks running work to stop. Returns whether it had been asked before.
pub fn request() -> bool {
    REQUESTED.swap(true, Ordering::SeqCst)
}

/// Whether work should stop.
pub fn requested() -> bool {
    REQUESTED.load(Ordering::Relaxed)
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
