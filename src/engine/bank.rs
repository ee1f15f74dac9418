//! The sketches a worker thread feeds with the trials after the pilot
//! (see [`Bank`]): one per month of Cum(t), and one per metric when not
//! every trial is kept.

use super::CHUNK;
use crate::stats::Sketch;

/// Sketches fed by the trials after the pilot.
///
/// Each worker thread feeds a bank of its own. A sketch's state (integer
/// counts, least and largest values) does not depend on the order of its
/// inserts, so which thread ran which chunk does not change the merged
/// result. Cum(t) values wait in `pending`, month by month, and go into a
/// month's sketch a few thousand at a time: a month's sketch stays in cache
/// while its values go in, where inserting each trial's path as it comes
/// would touch every month's sketch (megabytes) per trial.
#[derive(Debug, Clone)]
pub(super) struct Bank {
    pub(super) months: Vec<Sketch>,
    pub(super) metrics: Option<Vec<Sketch>>,
    /// Month-major: the values of month t at `t * capacity ..`.
    pub(super) pending: Vec<f64>,
    /// Values waiting per month.
    pub(super) filled: usize,
    pub(super) capacity: usize,
}

/// Bytes of Cum(t) values a bank holds before inserting them.
const PENDING_BYTES: usize = 2 << 20;

impl Bank {
    /// A bank for `trials` more trials at most.
    pub(super) fn new(months: Vec<Sketch>, trials: u64) -> Bank {
        let capacity = (PENDING_BYTES / 8 / months.len())
            .min(trials as usize)
            .max(CHUNK as usize);
        Bank {
            pending: vec![0.0; capacity * months.len()],
            months,
            metrics: None,
            filled: 0,
            capacity,
        }
    }

    pub(super) fn empty_like(&self) -> Bank {
        Bank {
            months: self.months.iter().map(Sketch::empty_like).collect(),
            metrics: self
                .metrics
                .as_ref()
                .map(|m| m.iter().map(Sketch::empty_like).collect()),
            pending: vec![0.0; self.pending.len()],
            filled: 0,
            capacity: self.capacity,
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
        for (sketch, values) in self
            .months
            .iter_mut()
            .zip(self.pending.chunks_exact(self.capacity))
        {
            sketch.insert_all(&values[..self.filled]);
        }
        self.filled = 0;
    }

    pub(super) fn merge(&mut self, o: &Bank) {
        for (a, b) in self.months.iter_mut().zip(&o.months) {
            a.merge(b);
        }
        if let (Some(a), Some(b)) = (&mut self.metrics, &o.metrics) {
            for (x, y) in a.iter_mut().zip(b) {
                x.merge(y);
            }
        }
    }
}
