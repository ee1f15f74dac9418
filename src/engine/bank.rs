//! The sketches that the trials after the pilot feed (see [`Bank`]): one
//! per month of Cum(t) ([`MonthSketch`]), shared by the worker threads,
//! and one per metric when not every trial is kept, per thread.

use super::CHUNK;
use crate::stats::{MonthSketch, Sketch};
use std::sync::Mutex;

/// A worker thread's share of feeding the sketches after the pilot.
///
/// The month sketches are shared by every thread, each behind its own
/// lock; a thread's Cum(t) values wait in its `pending` buffer, month by
/// month, and go into a month's sketch a few thousand at a time: a month's
/// sketch stays in cache while its values go in, where inserting each
/// trial's path as it comes would touch every month's sketch (megabytes)
/// per trial. Each thread starts its flushes at another month, so that
/// threads flushing at once seldom wait for the same lock. A sketch's state
/// (integer counts, the least and largest values outside its grid) does
/// not depend on the order of its inserts, so which thread ran which
/// chunk, and when it flushed, do not change the result.
#[derive(Debug)]
pub(super) struct Bank<'s> {
    months: &'s [Mutex<MonthSketch>],
    /// The month this thread's flushes start at.
    first_month: usize,
    /// The metric sketches this thread feeds, when not every trial is kept.
    pub(super) metrics: Option<Vec<Sketch>>,
    /// Month-major: the values of month t at `t * capacity ..`.
    pub(super) pending: Vec<f64>,
    /// Values waiting per month.
    pub(super) filled: usize,
    pub(super) capacity: usize,
}

/// Bytes of Cum(t) values a bank holds before inserting them.
const PENDING_BYTES: usize = 1 << 20;

impl<'s> Bank<'s> {
    /// The bank of thread `thread` of `threads`, for `trials` more trials at
    /// most, feeding `months`.
    pub(super) fn new(
        months: &'s [Mutex<MonthSketch>],
        metrics: Option<Vec<Sketch>>,
        trials: u64,
        (thread, threads): (usize, usize),
    ) -> Bank<'s> {
        let capacity = (PENDING_BYTES / 8 / months.len())
            .min(trials as usize)
            .max(CHUNK as usize);
        Bank {
            months,
            first_month: thread * months.len() / threads.max(1),
            metrics,
            pending: vec![0.0; capacity * months.len()],
            filled: 0,
            capacity,
        }
    }

    /// Makes room for `len` more values per month.
    pub(super) fn reserve(&mut self, len: usize) {
        if self.filled + len > self.capacity {
            self.flush();
        }
    }

    /// Inserts the pending values into the month sketches.
    pub(super) fn flush(&mut self) {
        if self.filled == 0 {
            return;
        }
        let m = self.months.len();
        for t in (self.first_month..m).chain(0..self.first_month) {
            let values = &self.pending[t * self.capacity..t * self.capacity + self.filled];
            self.months[t]
                .lock()
                .expect("no insert panics")
                .insert_all(values);
        }
        self.filled = 0;
    }
}
