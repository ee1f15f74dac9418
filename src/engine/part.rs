//! A part of a run: what the chunks of a contiguous range of trials yield,
//! kept chunk by chunk where the order of merging matters, so that parts
//! run in different processes or on different machines merge into the very
//! result one process gives ([`Engine::merge`](super::Engine::merge)).
//!
//! Floating-point sums and moments are kept per chunk (they fold in chunk
//! order); counts add in any order; kept per-trial values and keys
//! concatenate in chunk order (keys of one code, from the pilot that every
//! part runs); sketches hold integer counts and extremes, which merge in
//! any order. A part is plain data (serde), for the shard files of
//! `crm-roi run --shard` (see docs/scale-out.md).

use super::data::Counts;
use crate::stats::{KeyCode, Moments, MonthSketch, Sketch};
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// What one chunk adds to the floating-point sums of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChunkRecord {
    /// Per metric, in the order of [`Metric::ALL`](super::Metric::ALL).
    pub moments: [Moments; 6],
    /// Sum of Cum(t) over the chunk's trials, t = 0..=T.
    pub month_sums: Vec<f64>,
    /// Sum of each item's undiscounted total over the chunk's trials.
    pub item_sums: Vec<f64>,
}

/// The results of the chunks in `chunks`, before merging.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Part {
    /// The chunks this part ran (chunk c holds trials c·1024 .. (c+1)·1024).
    pub chunks: Range<u64>,
    /// One per chunk, in order.
    pub records: Vec<ChunkRecord>,
    pub counts: Counts,
    /// The part's trials among those kept for exact statistics: NPV and
    /// payback as values.
    pub kept_metrics: [Vec<f64>; 6],
    /// The same trials' other metrics as keys, when every trial is kept.
    pub kept_keys: [Vec<u32>; 6],
    /// The code of those keys (the same in every part: from the pilot).
    pub key_codes: [KeyCode; 6],
    /// The part's trials among those whose draws are kept, per random input.
    pub kept_inputs: Vec<Vec<f64>>,
    /// The same trials' first month of each shock (+∞: none).
    pub kept_shocks: Vec<Vec<f64>>,
    /// Every trial's Cum(t), sorted per month, when the pilot is the whole
    /// run (the same in every part).
    pub fan_exact: Option<Vec<Vec<f64>>>,
    /// The part's trials in the month sketches, when the run has more
    /// trials than the pilot.
    pub fan_sketches: Option<Vec<MonthSketch>>,
    /// The part's trials in the metric sketches, when not every trial is
    /// kept.
    pub metric_sketches: Option<Vec<Sketch>>,
}

/// Parts that do not make up one run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct PartError(pub String);

/// Adds the sketches of a part to those merged so far, when they have the
/// same bins (`same_bins`), by `merge`.
pub(super) fn merge_sketches<S>(
    into: &mut Option<Vec<S>>,
    part: Option<Vec<S>>,
    same_bins: fn(&S, &S) -> bool,
    merge: fn(&mut S, &S),
) -> Result<(), PartError> {
    match (into.as_mut(), part) {
        (None, part) => *into = part,
        (Some(a), Some(b)) => {
            if a.len() != b.len() || a.iter().zip(&b).any(|(x, y)| !same_bins(x, y)) {
                return Err(PartError(
                    "its sketches have other bins than the first part's".into(),
                ));
            }
            a.iter_mut().zip(&b).for_each(|(x, y)| merge(x, y));
        }
        (Some(_), None) => {}
    }
    Ok(())
}
