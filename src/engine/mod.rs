//! Runs the trials of a scenario in parallel and reduces them
//! deterministically. No I/O: per-trial rows for an export go to a
//! [`TrialSink`] the caller supplies.
//!
//! Trials run in fixed chunks of [`CHUNK`] on rayon. Every random number is
//! keyed by (seed, trial, input path), so a chunk's result does not depend
//! on which thread ran it; chunk results are merged strictly in chunk order,
//! so floating-point sums are the same for any thread count. Histogram
//! counts are integers and merge in any order.
//!
//! Memory does not grow with trials × months. The first [`PILOT`] trials
//! keep their monthly cumulative cash flows: when they are the whole run
//! the fan chart is exact, otherwise they lay out the bins of one
//! histogram sketch per month that every later trial feeds (one set,
//! shared by the worker threads). Per-trial outputs are kept for the first
//! [`EXACT_LIMIT`] trials: NPV and payback as values, the four others, when
//! every trial is kept, as 4-byte keys that keep their order, from which
//! exact percentiles are read by running again the few trials they need
//! (`stats::select`, `Engine::metric_values`); beyond that
//! limit, percentiles come from sketches. The draws of the random inputs
//! are kept for the first [`SENSITIVITY_LIMIT`] trials (the sensitivity
//! analysis, whose rank correlations then have a standard error below
//! 0.003). Each chunk writes what it keeps into its slice of the part's
//! columns, allocated whole at the start.

mod bank;
mod data;
mod part;

pub use data::{Counts, Fan, Metric, RunData, TrialRows, TrialSink};
pub use part::{ChunkRecord, Part, PartError};

use crate::config::Scenario;
use crate::model::{Input, Occurrence, Outcome, Scratch};
use crate::sampling::{DrawScratch, Method, Sampler, ShockStream};
use crate::stats::{KeyCode, Moments, MonthSketch, Sketch, Sum, sort_floats};
use bank::Bank;
use part::merge_sketches;
use rayon::prelude::*;
use std::ops::Range;
use std::sync::Mutex;

/// Trials per chunk: the unit of parallel work and of merging.
pub const CHUNK: u64 = 1024;
/// Trials whose monthly paths lay out the fan-chart sketches.
pub const PILOT: u64 = 4 * CHUNK;
/// Trials whose outputs and inputs are kept for exact statistics.
pub const EXACT_LIMIT: u64 = 1024 * CHUNK;
/// Trials whose input draws are kept for the sensitivity analysis.
pub const SENSITIVITY_LIMIT: u64 = 128 * CHUNK;
/// Chunks per wave: the unit of progress reports and of streaming exports.
const WAVE: u64 = 64;

/// How a metric's per-trial values are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Keep {
    Values,
    Keys,
    No,
}

/// One chunk's share of a part's kept columns: empty slices where the
/// chunk's trials are not kept.
struct Slot<'p> {
    metrics: [&'p mut [f64]; 6],
    keys: [&'p mut [u32]; 6],
    inputs: Vec<&'p mut [f64]>,
    shocks: Vec<&'p mut [f64]>,
    /// How many of the chunk's trials have their draws kept.
    input_rows: usize,
}

/// The kept columns of a part, for the trials from its first chunk on.
struct Columns {
    metrics: [Vec<f64>; 6],
    keys: [Vec<u32>; 6],
    inputs: Vec<Vec<f64>>,
    shocks: Vec<Vec<f64>>,
}

impl Columns {
    /// Each of `chunks` chunks' slices, in order.
    fn slots(&mut self, chunks: usize) -> Vec<Slot<'_>> {
        fn split<T>(col: &mut [T], chunks: usize) -> impl Iterator<Item = &mut [T]> {
            col.chunks_mut(CHUNK as usize)
                .chain(std::iter::repeat_with(<&mut [T]>::default))
                .take(chunks)
        }
        let input_len = self.inputs.first().or(self.shocks.first()).map(Vec::len);
        let mut metrics = self.metrics.each_mut().map(|c| split(c, chunks));
        let mut keys = self.keys.each_mut().map(|c| split(c, chunks));
        let mut inputs: Vec<_> = self.inputs.iter_mut().map(|c| split(c, chunks)).collect();
        let mut shocks: Vec<_> = self.shocks.iter_mut().map(|c| split(c, chunks)).collect();
        (0..chunks)
            .map(|j| Slot {
                metrics: metrics
                    .each_mut()
                    .map(|c| c.next().expect("a slice per chunk")),
                keys: keys
                    .each_mut()
                    .map(|c| c.next().expect("a slice per chunk")),
                inputs: inputs
                    .iter_mut()
                    .map(|c| c.next().expect("a slice per chunk"))
                    .collect(),
                shocks: shocks
                    .iter_mut()
                    .map(|c| c.next().expect("a slice per chunk"))
                    .collect(),
                input_rows: input_len.map_or(0, |l| {
                    l.saturating_sub(j * CHUNK as usize).min(CHUNK as usize)
                }),
            })
            .collect()
    }
}

/// How a run is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Settings {
    /// How many trials to run (the most, with a precision target).
    pub trials: u64,
    /// The seed every random stream is keyed by.
    pub seed: u64,
    /// Monte Carlo or Latin hypercube sampling.
    pub method: Method,
}

impl Settings {
    /// `trials` trials drawn by `method` from `seed`. Settings are built
    /// here rather than as a literal, so that a later setting can come with
    /// a default without breaking callers.
    pub fn new(trials: u64, seed: u64, method: Method) -> Self {
        Settings {
            trials,
            seed,
            method,
        }
    }
}

/// What one chunk yields.
struct ChunkOut {
    moments: [Moments; 6],
    counts: Counts,
    month_sums: Vec<f64>,
    item_sums: Vec<f64>,
    /// Pilot chunks: per metric, every trial's value (later chunks write
    /// theirs into their [`Slot`]).
    metrics: Option<[Vec<f64>; 6]>,
    /// Pilot chunks: per kept input, every trial's draw.
    inputs: Vec<Vec<f64>>,
    /// Pilot chunks: per shock, the month of its first occurrence (+∞:
    /// none).
    shocks: Vec<Vec<f64>>,
    /// Pilot chunks: Cum(t) month-major, the chunk's trials of month t at
    /// `t * len ..`.
    paths: Vec<f64>,
    export: Option<TrialRows>,
}

internal! {
    /// Per-thread buffers of a trial; after [`Engine::trial`] they hold its draws.
    pub struct TrialScratch {
        draw: DrawScratch,
        model: Scratch,
        x: Vec<f64>,
        occurrences: Vec<Occurrence>,
    }
}

// For the tests, which check one trial by hand.
#[cfg_attr(not(feature = "internals"), allow(dead_code))]
impl TrialScratch {
    /// The last trial's input values, indexed like the scenario's inputs.
    pub fn inputs(&self) -> &[f64] {
        &self.x
    }

    /// The last trial's shock occurrences.
    pub fn occurrences(&self) -> &[Occurrence] {
        &self.occurrences
    }
}

internal! {
    /// A scenario prepared for running: sampler, shock streams, what to keep.
    pub struct Engine<'a> {
        scenario: &'a Scenario,
        settings: Settings,
        sampler: Sampler,
        shocks: Vec<(ShockStream, Input)>,
        /// Inputs with a distribution (kept for sensitivity).
        random_inputs: Vec<usize>,
        /// Inputs the file declares (exported).
        export_inputs: Vec<usize>,
        /// Trials kept for exact statistics (a multiple of [`CHUNK`]).
        keep_limit: u64,
        /// Trials whose input draws are kept (a multiple of [`CHUNK`]).
        input_limit: u64,
        /// Asked between waves of trials whether to stop.
        cancel: Option<Cancel>,
    }
}

/// A request to stop a run, shared between the caller (a signal handler,
/// a user interface) and the engine, which checks it between waves of
/// trials and then returns [`EngineError::Cancelled`]. Clones share the
/// request.
#[derive(Debug, Clone, Default)]
pub struct Cancel(std::sync::Arc<std::sync::atomic::AtomicBool>);

impl Cancel {
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks the runs that hold this token (or a clone) to stop.
    pub fn cancel(&self) {
        self.0.store(true, std::sync::atomic::Ordering::SeqCst);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// Why a run stopped before the end.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EngineError {
    /// The [`Cancel`] token was cancelled.
    #[error("the run was cancelled")]
    Cancelled,
    /// The trial sink could not take the rows.
    #[error(transparent)]
    Sink(#[from] std::io::Error),
}

/// The inputs a per-trial export holds, as indices into the scenario's
/// inputs, in column order: those the file declares.
pub fn export_columns(scenario: &Scenario) -> Vec<usize> {
    (0..scenario.inputs.len())
        .filter(|&i| scenario.inputs[i].declared)
        .collect()
}

impl<'a> Engine<'a> {
    pub fn new(scenario: &'a Scenario, settings: Settings) -> Self {
        assert!(settings.trials >= 1, "a run needs at least one trial");
        // Quantile tables are built at a distribution's first draw; build
        // them now, in parallel across distributions, rather than one after
        // another as the first trials reach them (see `dist::table`). The
        // shocks' quantities too: the scenario's copies then hold the
        // tables the engine's copies use, which the results read again.
        {
            use rayon::prelude::*;
            let quantities: Vec<&crate::dist::Quantity> = (scenario.inputs.iter())
                .map(|i| &i.quantity)
                .chain(
                    scenario
                        .shocks
                        .iter()
                        .flat_map(|s| s.per_occurrence().map(|(_, q)| q)),
                )
                .collect();
            quantities.par_iter().for_each(|q| q.prepare());
        }
        let pairs: Vec<(&str, &crate::dist::Quantity)> = scenario
            .inputs
            .iter()
            .map(|i| (i.path.as_str(), &i.quantity))
            .collect();
        let sampler = Sampler::new(
            settings.seed,
            settings.trials,
            settings.method,
            &pairs,
            scenario.groups.clone(),
        );
        let shocks = scenario
            .shocks
            .iter()
            .map(|s| {
                (
                    ShockStream::new(settings.seed, &s.path, s.draws()),
                    s.probability_per_year,
                )
            })
            .collect();
        let random_inputs = (0..scenario.inputs.len())
            .filter(|&i| !scenario.inputs[i].quantity.is_fixed())
            .collect();
        let export_inputs = export_columns(scenario);
        Engine {
            scenario,
            settings,
            sampler,
            shocks,
            random_inputs,
            export_inputs,
            keep_limit: EXACT_LIMIT,
            input_limit: SENSITIVITY_LIMIT,
            cancel: None,
        }
    }

    /// Stops the run between waves of trials once `cancel` is cancelled.
    pub fn cancel_on(mut self, cancel: &Cancel) -> Self {
        self.cancel = Some(cancel.clone());
        self
    }

    /// Keeps per-trial values for at most `limit` trials (rounded up to
    /// whole chunks, at least the pilot) instead of [`EXACT_LIMIT`]; larger
    /// runs then use sketches. For tests of the approximate path.
    #[cfg_attr(not(feature = "internals"), allow(dead_code))]
    pub fn with_keep_limit(mut self, limit: u64) -> Self {
        self.keep_limit = limit.div_ceil(CHUNK).max(PILOT / CHUNK) * CHUNK;
        self.input_limit = self.input_limit.min(self.keep_limit);
        self
    }

    /// How `m` is kept per trial: NPV and payback as values (the decision
    /// analyses and paired comparisons read them); the others as keys when
    /// every trial is kept (exact percentiles, see `stats::select`),
    /// else not at all (their percentiles come from their sketches).
    fn keep(&self, m: Metric) -> Keep {
        if matches!(m, Metric::Npv | Metric::PaybackYears) {
            Keep::Values
        } else if self.settings.trials <= self.keep_limit {
            Keep::Keys
        } else {
            Keep::No
        }
    }

    /// The exact values of metric `m` in the given trials, in order: the
    /// trials run again, in parallel (their draws are keyed, so they give
    /// the values they gave in the run, bit for bit).
    pub fn metric_values(&self, m: Metric, trials: &[usize]) -> Vec<f64> {
        trials
            .par_iter()
            .map_init(
                || self.scratch(),
                |s, &t| m.value(&self.trial(t as u64, s, |_, _| {})),
            )
            .collect()
    }

    /// Cost and benefit items of the scenario.
    fn items(&self) -> usize {
        self.scenario.model.items()
    }

    fn chunks(&self) -> u64 {
        self.settings.trials.div_ceil(CHUNK)
    }

    /// Runs all trials. `sink` receives per-trial rows in order when given;
    /// `progress` is told the number of trials done after each wave.
    pub fn run(
        &self,
        sink: Option<&mut dyn TrialSink>,
        progress: &mut dyn FnMut(u64),
    ) -> Result<RunData, EngineError> {
        let part = self.run_part(0..self.chunks(), sink, progress)?;
        Ok(self
            .combine(vec![part], false)
            .expect("one part of every chunk"))
    }

    /// The chunks of shard `k` of `n` (1-based): contiguous ranges, in
    /// order, as equal as whole chunks allow (the first ones one chunk
    /// longer). A shard beyond the chunks gets an empty range.
    pub fn shard_chunks(&self, k: u64, n: u64) -> Range<u64> {
        shard_chunks(self.settings.trials, k, n)
    }

    /// Runs the trials of the chunks in `range` (see [`Part`]); `sink`
    /// receives their rows in order, `progress` the number of the range's
    /// trials done. The pilot chunks are run in every part (their paths lay
    /// out the fan sketches) but count only in the part whose range holds
    /// them.
    pub fn run_part(
        &self,
        range: Range<u64>,
        mut sink: Option<&mut dyn TrialSink>,
        progress: &mut dyn FnMut(u64),
    ) -> Result<Part, EngineError> {
        let n = self.settings.trials;
        let months = self.scenario.months();
        let kept = n.min(self.keep_limit);
        let exporting = sink.is_some();
        let range = range.start.min(self.chunks())..range.end.min(self.chunks());
        let mut part = Part {
            chunks: range.clone(),
            records: Vec::with_capacity((range.end - range.start) as usize),
            counts: Counts::default(),
            kept_metrics: std::array::from_fn(|_| Vec::new()),
            kept_keys: std::array::from_fn(|_| Vec::new()),
            key_codes: Default::default(),
            kept_inputs: Vec::new(),
            kept_shocks: Vec::new(),
            fan_exact: None,
            fan_sketches: None,
            metric_sketches: None,
        };
        // The part's kept values, in columns allocated whole at the start
        // (their pages are touched as the trials come in), which every
        // chunk writes its share of in place.
        let within = |limit: u64| trials_in(n.min(limit), &range);
        let (kept_here, inputs_here) = (within(kept) as usize, within(self.input_limit) as usize);
        let mut columns = Columns {
            metrics: Metric::ALL.map(|m| match self.keep(m) {
                Keep::Values => vec![0.0; kept_here],
                _ => Vec::new(),
            }),
            keys: Metric::ALL.map(|m| match self.keep(m) {
                Keep::Keys => vec![0; kept_here],
                _ => Vec::new(),
            }),
            // Each column allocated zeroed, not cloned from one: its pages
            // are then touched first by the worker threads that fill them,
            // not copied on this thread before the trials start.
            inputs: zeroed_columns(self.random_inputs.len(), inputs_here),
            shocks: zeroed_columns(self.shocks.len(), inputs_here),
        };

        // Pilot: the first chunks, with their monthly paths.
        let pilot_chunks = PILOT.div_ceil(CHUNK).min(self.chunks());
        let mut pilot: Vec<ChunkOut> = (0..pilot_chunks)
            .into_par_iter()
            .map(|c| self.run_chunk(c, true, None, exporting && range.contains(&c), None))
            .collect();
        let pilot_trials = (pilot_chunks * CHUNK).min(n) as usize;
        let by_month: Vec<Vec<f64>> = (0..=months)
            .into_par_iter()
            .map(|t| {
                let mut v = Vec::with_capacity(pilot_trials);
                for out in &pilot {
                    let len = out.paths.len() / (months + 1);
                    v.extend_from_slice(&out.paths[t * len..(t + 1) * len]);
                }
                sort_floats(&mut v);
                v
            })
            .collect();
        let owned = |c: u64| range.contains(&c);

        // The sketches' bins come from the whole pilot's paths; the part's
        // own pilot chunks go into them.
        let month_sketches = (n > pilot_trials as u64).then(|| {
            let mut sketches: Vec<MonthSketch> = by_month
                .par_iter()
                .map(|v| MonthSketch::from_pilot(v))
                .collect();
            for (c, out) in pilot.iter().enumerate() {
                if owned(c as u64) {
                    let len = out.paths.len() / (months + 1);
                    for (t, s) in sketches.iter_mut().enumerate() {
                        s.insert_all(&out.paths[t * len..(t + 1) * len]);
                    }
                }
            }
            sketches
        });
        if n <= pilot_trials as u64 {
            // The pilot is the whole run: its paths are the exact fan.
            part.fan_exact = Some(by_month);
        } else {
            drop(by_month);
        }
        pilot.iter_mut().for_each(|out| out.paths = Vec::new());
        let pilot_values = |m: Metric| {
            pilot.iter().flat_map(move |out| {
                out.metrics.as_ref().expect("pilot chunks are kept")[m.index()]
                    .iter()
                    .copied()
            })
        };
        let metric_layout = (n > kept).then(|| {
            Metric::ALL.map(|m| {
                let mut values: Vec<f64> = pilot_values(m).filter(|x| !x.is_nan()).collect();
                sort_floats(&mut values);
                let mut s = Sketch::from_pilot(&values);
                for (c, out) in pilot.iter().enumerate() {
                    if owned(c as u64) {
                        let own = &out.metrics.as_ref().expect("pilot chunks are kept")[m.index()];
                        let own: Vec<f64> = own.iter().copied().filter(|x| !x.is_nan()).collect();
                        // Later trials feed it in their chunks.
                        s.insert_all(&own);
                    }
                }
                s
            })
        });
        // Keys are coded from the whole pilot, which every part runs.
        part.key_codes = Metric::ALL.map(|m| match self.keep(m) {
            Keep::Keys => KeyCode::from_sample(&pilot_values(m).collect::<Vec<_>>()),
            _ => KeyCode::default(),
        });
        let codes = &part.key_codes;
        let mut slots = columns
            .slots((range.end - range.start) as usize)
            .into_iter();
        for (c, out) in pilot.into_iter().enumerate() {
            if owned(c as u64) {
                let mut slot = slots.next().expect("a slot per chunk");
                let metrics = out.metrics.as_ref().expect("pilot chunks are kept");
                for (k, m) in Metric::ALL.iter().enumerate() {
                    match self.keep(*m) {
                        Keep::Values => slot.metrics[k].copy_from_slice(&metrics[k]),
                        Keep::Keys => {
                            for (key, &v) in slot.keys[k].iter_mut().zip(&metrics[k]) {
                                *key = codes[k].key(v);
                            }
                        }
                        Keep::No => {}
                    }
                }
                for (col, draws) in slot.inputs.iter_mut().zip(&out.inputs) {
                    col.copy_from_slice(draws);
                }
                for (col, months) in slot.shocks.iter_mut().zip(&out.shocks) {
                    col.copy_from_slice(months);
                }
                self.absorb(&mut part.records, &mut part.counts, out, &mut sink)?;
            }
        }
        let pilot_range = range.start..range.end.min(pilot_chunks);
        progress(if pilot_range.is_empty() {
            0
        } else {
            trials_in(n, &pilot_range)
        });

        if let Some(sketches) = month_sketches {
            // One set of month sketches, shared; one bank of waiting
            // values per worker thread, kept across waves; the first
            // bank's metric sketches hold the pilot's values.
            let sketches: Vec<Mutex<MonthSketch>> = sketches.into_iter().map(Mutex::new).collect();
            let threads = rayon::current_num_threads();
            let empty: Option<Vec<Sketch>> = metric_layout
                .as_ref()
                .map(|l| l.iter().map(Sketch::empty_like).collect());
            let mut layout = metric_layout.map(Vec::from);
            let banks: Vec<Mutex<Bank>> = (0..threads)
                .map(|i| {
                    let metrics = if i == 0 { layout.take() } else { empty.clone() };
                    let bank = Bank::new(&sketches, metrics, n - pilot_trials as u64, (i, threads));
                    Mutex::new(bank)
                })
                .collect();
            let mut wave = range.start.max(pilot_chunks);
            while wave < range.end {
                let end = (wave + WAVE).min(range.end);
                let wave_slots: Vec<Slot> = slots.by_ref().take((end - wave) as usize).collect();
                let outs: Vec<ChunkOut> = wave_slots
                    .into_par_iter()
                    .enumerate()
                    .map(|(j, slot)| {
                        let c = wave + j as u64;
                        let i = rayon::current_thread_index().unwrap_or(0) % banks.len();
                        let mut b = banks[i].lock().expect("no chunk panics");
                        self.run_chunk(c, false, Some(&mut b), exporting, Some((slot, codes)))
                    })
                    .collect();
                for out in outs {
                    self.absorb(&mut part.records, &mut part.counts, out, &mut sink)?;
                }
                progress(trials_in(n, &(range.start..end)));
                if self.cancel.as_ref().is_some_and(Cancel::is_cancelled) {
                    return Err(EngineError::Cancelled);
                }
                wave = end;
            }
            let mut metrics: Option<Vec<Sketch>> = None;
            for b in banks {
                let mut b = b.into_inner().expect("no chunk panics");
                b.flush();
                match (&mut metrics, b.metrics) {
                    (Some(a), Some(b)) => a.iter_mut().zip(&b).for_each(|(x, y)| x.merge(y)),
                    (a, b) => *a = a.take().or(b),
                }
            }
            part.fan_sketches = Some(
                sketches
                    .into_iter()
                    .map(|s| s.into_inner().expect("no insert panics"))
                    .collect(),
            );
            part.metric_sketches = metrics;
        }
        drop(slots);
        part.kept_metrics = columns.metrics;
        part.kept_keys = columns.keys;
        part.kept_inputs = columns.inputs;
        part.kept_shocks = columns.shocks;
        Ok(part)
    }

    /// Merges the parts of a run, which must cover its chunks exactly, into
    /// what [`Engine::run`] returns: chunk results fold in chunk order, as
    /// in one process, so the result is the same to the last bit.
    pub fn merge(&self, parts: Vec<Part>) -> Result<RunData, PartError> {
        self.combine(parts, true)
    }

    /// [`Engine::merge`]; `replay`: check each part by running some of its
    /// trials again (parts from elsewhere, not this engine's own run).
    fn combine(&self, mut parts: Vec<Part>, replay: bool) -> Result<RunData, PartError> {
        parts.sort_by_key(|p| p.chunks.start);
        let n = self.settings.trials;
        let months = self.scenario.months();
        let mut next = 0;
        for p in &parts {
            if p.chunks.start < next {
                return Err(PartError(format!(
                    "chunks {} to {} come twice",
                    p.chunks.start,
                    p.chunks.end.min(next) - 1
                )));
            }
            if p.chunks.start > next {
                return Err(PartError(format!(
                    "chunks {next} to {} are missing",
                    p.chunks.start - 1
                )));
            }
            next = p.chunks.end;
            self.check_part(p)?;
            if p.key_codes != parts[0].key_codes {
                return Err(PartError(
                    "its keys have another code than the first part's".into(),
                ));
            }
            if replay {
                self.check_replay(p)?;
            }
        }
        if next != self.chunks() {
            return Err(PartError(format!(
                "chunks {next} to {} are missing",
                self.chunks() - 1
            )));
        }
        let kept = n.min(self.keep_limit);
        let mut data = RunData {
            trials: n,
            months,
            moments: [Moments::default(); 6],
            counts: Counts::default(),
            kept,
            // Filled by moving the first part's columns in (see `append`).
            kept_metrics: std::array::from_fn(|_| Vec::new()),
            kept_keys: std::array::from_fn(|_| Vec::new()),
            key_codes: parts
                .first()
                .map(|p| p.key_codes.clone())
                .unwrap_or_default(),
            kept_inputs: self
                .random_inputs
                .iter()
                .map(|&i| (i, Vec::new()))
                .collect(),
            kept_shocks: self.shocks.iter().map(|_| Vec::new()).collect(),
            metric_sketches: None,
            fan: Fan::Exact(Vec::new()),
            fan_mean: vec![0.0; months + 1],
            item_means: vec![0.0; self.items()],
        };
        // Across chunks, sums are compensated: ten million trials of
        // amounts in the millions add up without losing digits.
        let mut month_sums = vec![Sum::default(); months + 1];
        let mut item_sums = vec![Sum::default(); self.items()];
        let mut fan_sketches: Option<Vec<MonthSketch>> = None;
        for p in parts {
            for r in &p.records {
                for (a, b) in data.moments.iter_mut().zip(&r.moments) {
                    a.merge(b);
                }
                for (a, b) in item_sums.iter_mut().zip(&r.item_sums) {
                    a.add(*b);
                }
                for (a, b) in month_sums.iter_mut().zip(&r.month_sums) {
                    a.add(*b);
                }
            }
            data.counts.add(&p.counts);
            for (col, part) in data.kept_metrics.iter_mut().zip(p.kept_metrics) {
                append(col, part);
            }
            for (col, part) in data.kept_keys.iter_mut().zip(p.kept_keys) {
                append(col, part);
            }
            for ((_, col), part) in data.kept_inputs.iter_mut().zip(p.kept_inputs) {
                append(col, part);
            }
            for (col, part) in data.kept_shocks.iter_mut().zip(p.kept_shocks) {
                append(col, part);
            }
            if let Some(fan) = p.fan_exact
                && matches!(&data.fan, Fan::Exact(v) if v.is_empty())
            {
                data.fan = Fan::Exact(fan);
            }
            merge_sketches(
                &mut fan_sketches,
                p.fan_sketches,
                MonthSketch::same_bins,
                MonthSketch::merge,
            )?;
            merge_sketches(
                &mut data.metric_sketches,
                p.metric_sketches,
                Sketch::same_bins,
                Sketch::merge,
            )?;
        }
        if let Some(s) = fan_sketches {
            data.fan = Fan::Sketch(s);
        }
        for (m, s) in data.fan_mean.iter_mut().zip(&month_sums) {
            *m = s.value() / n as f64;
        }
        for (m, s) in data.item_means.iter_mut().zip(&item_sums) {
            *m = s.value() / n as f64;
        }
        Ok(data)
    }

    /// Whether a part has the shape this run's parts have.
    fn check_part(&self, p: &Part) -> Result<(), PartError> {
        let n = self.settings.trials;
        let months = self.scenario.months();
        let chunks = p.chunks.end.saturating_sub(p.chunks.start);
        let bad = |what: &str| Err(PartError(format!("{what} do not fit this run")));
        if p.chunks.end > self.chunks() || p.records.len() as u64 != chunks {
            return bad("its chunks");
        }
        if p.records
            .iter()
            .any(|r| r.month_sums.len() != months + 1 || r.item_sums.len() != self.items())
        {
            return bad("its sums");
        }
        // A chunk's moments count at most its trials (not the non-finite).
        let chunk_trials = |c: u64| ((c + 1) * CHUNK).min(n).saturating_sub(c * CHUNK);
        if p.records
            .iter()
            .zip(p.chunks.clone())
            .any(|(r, c)| r.moments.iter().any(|m| m.count() > chunk_trials(c)))
        {
            return bad("its moments");
        }
        let within = |limit: u64| trials_in(n.min(limit), &p.chunks) as usize;
        let kept = within(self.keep_limit);
        let inputs = within(self.input_limit);
        let len = |keep: Keep, m: Metric| if self.keep(m) == keep { kept } else { 0 };
        if Metric::ALL.iter().any(|&m| {
            p.kept_metrics[m.index()].len() != len(Keep::Values, m)
                || p.kept_keys[m.index()].len() != len(Keep::Keys, m)
        }) || !p.key_codes.iter().all(KeyCode::is_well_formed)
            || p.kept_inputs.len() != self.random_inputs.len()
            || p.kept_inputs.iter().any(|c| c.len() != inputs)
            || p.kept_shocks.len() != self.shocks.len()
            || p.kept_shocks.iter().any(|c| c.len() != inputs)
        {
            return bad("its kept values");
        }
        let pilot = (PILOT.div_ceil(CHUNK).min(self.chunks()) * CHUNK).min(n);
        fn sketches_ok<S>(
            s: &Option<Vec<S>>,
            want: Option<usize>,
            ok: impl Fn(&S) -> bool,
        ) -> bool {
            match (s, want) {
                (None, None) => true,
                (Some(s), Some(k)) => s.len() == k && s.iter().all(ok),
                _ => false,
            }
        }
        // Every trial of the part counts once in each month's sketch, and
        // at most once in each metric's (not when NaN): no count can
        // overflow when the parts' sketches merge.
        let trials = within(u64::MAX) as u64;
        let c = &p.counts;
        if [
            c.payback_within_target,
            c.payback_within_horizon,
            c.fell_back,
            c.discounted_fell_back,
            c.npv_positive,
            c.roi_defined,
            c.non_finite,
        ]
        .iter()
        .any(|&k| k > trials)
        {
            return bad("its counts");
        }
        let exact = n <= pilot;
        if exact != p.fan_exact.is_some()
            || p.fan_exact
                .as_ref()
                .is_some_and(|f| f.len() != months + 1 || f.iter().any(|v| v.len() as u64 != n))
            || !sketches_ok(&p.fan_sketches, (!exact).then_some(months + 1), |s| {
                s.is_well_formed() && s.count() == trials
            })
            || !sketches_ok(
                &p.metric_sketches,
                (!exact && n > self.keep_limit).then_some(6),
                |s| s.is_well_formed() && s.count() <= trials,
            )
        {
            return bad("its fan or sketches");
        }
        Ok(())
    }

    /// Whether some of a part's kept trials run again to the values it
    /// holds: up to [`REPLAYED`] of them, spread evenly. The results read
    /// its keys back by running trials again, so a part made with other
    /// settings than its shard header gives (an edited file), or by a build
    /// that computes differently, is refused here rather than found out
    /// half-way through the results.
    fn check_replay(&self, p: &Part) -> Result<(), PartError> {
        let limit = self.settings.trials.min(self.keep_limit);
        let (lo, hi) = (
            (p.chunks.start * CHUNK).min(limit),
            (p.chunks.end * CHUNK).min(limit),
        );
        if lo == hi {
            return Ok(());
        }
        let count = (hi - lo).min(REPLAYED);
        let mut s = self.scratch();
        for j in 0..count {
            let t = lo + j * (hi - 1 - lo) / (count - 1).max(1);
            let outcome = self.trial(t, &mut s, |_, _| {});
            let r = (t - lo) as usize;
            for m in Metric::ALL {
                let v = m.value(&outcome);
                let values = &p.kept_metrics[m.index()];
                let keys = &p.kept_keys[m.index()];
                let same = values.get(r).is_none_or(|x| x.to_bits() == v.to_bits())
                    && keys
                        .get(r)
                        .is_none_or(|&k| k == p.key_codes[m.index()].key(v));
                if !same {
                    return Err(PartError(format!(
                        "trial {t} does not run again to the {} it holds: it was made with other settings than its header gives, or by a build that computes differently",
                        m.name()
                    )));
                }
            }
        }
        Ok(())
    }

    /// Buffers for [`Engine::trial`], one set per thread.
    pub fn scratch(&self) -> TrialScratch {
        TrialScratch {
            draw: self.sampler.scratch(),
            model: self.scenario.model.scratch(),
            x: vec![0.0; self.scenario.inputs.len()],
            occurrences: Vec::new(),
        }
    }

    /// Runs trial `trial` alone: draws its inputs and shock occurrences
    /// (keyed, so the same in any context) and runs the model;
    /// `on_month(t, Cum(t))` sees its monthly path. The draws stay readable
    /// in the scratch afterwards.
    #[inline]
    pub fn trial(
        &self,
        trial: u64,
        s: &mut TrialScratch,
        mut on_month: impl FnMut(usize, f64),
    ) -> Outcome {
        let outcome = self.walk(trial, s);
        for (t, &cum) in s.model.path().iter().enumerate() {
            on_month(t, cum);
        }
        outcome
    }

    /// [`Engine::trial`], its monthly path left in the scratch
    /// (`s.model.path()`).
    #[inline]
    fn walk(&self, trial: u64, s: &mut TrialScratch) -> Outcome {
        self.sampler.draw(trial, &mut s.draw, &mut s.x);
        s.occurrences.clear();
        let months = self.scenario.model.months;
        for (k, (stream, p)) in self.shocks.iter().enumerate() {
            stream.occurrences(k, trial, s.x[p.0], months, &mut s.occurrences);
        }
        self.scenario.model.walk(&s.x, &s.occurrences, &mut s.model)
    }

    /// Adds one chunk's sums and counts to a part's, in chunk order, and
    /// passes its rows to the sink (its kept values are in place already).
    fn absorb(
        &self,
        records: &mut Vec<ChunkRecord>,
        counts: &mut Counts,
        out: ChunkOut,
        sink: &mut Option<&mut dyn TrialSink>,
    ) -> std::io::Result<()> {
        counts.add(&out.counts);
        records.push(ChunkRecord {
            moments: out.moments,
            month_sums: out.month_sums,
            item_sums: out.item_sums,
        });
        if let (Some(s), Some(rows)) = (sink.as_deref_mut(), &out.export) {
            s.rows(rows)?;
        }
        Ok(())
    }

    /// Runs the trials of chunk `index`. Pilot chunks (`keep_paths`) keep
    /// their paths, every metric and their draws in the [`ChunkOut`]; later
    /// chunks write what is kept into their `slot`, keys of the given codes.
    fn run_chunk(
        &self,
        index: u64,
        keep_paths: bool,
        mut bank: Option<&mut Bank>,
        export: bool,
        mut slot: Option<(Slot, &[KeyCode; 6])>,
    ) -> ChunkOut {
        let sc = self.scenario;
        let model = &sc.model;
        let months = model.months;
        let start = index * CHUNK;
        let end = (start + CHUNK).min(self.settings.trials);
        let len = (end - start) as usize;
        // Pilot chunks are always kept (the limits are at least the pilot).
        let keep = keep_paths;
        let keep_inputs = keep_paths;
        let input_rows = slot.as_ref().map_or(0, |(s, _)| s.input_rows);
        let target = sc.target_payback_years.unwrap_or(f64::NAN);

        let mut ts = self.scratch();
        let mut out = ChunkOut {
            moments: [Moments::default(); 6],
            counts: Counts::default(),
            month_sums: vec![0.0; months + 1],
            item_sums: vec![0.0; self.items()],
            metrics: keep.then(|| std::array::from_fn(|_| Vec::with_capacity(len))),
            inputs: if keep_inputs {
                self.random_inputs
                    .iter()
                    .map(|_| Vec::with_capacity(len))
                    .collect()
            } else {
                Vec::new()
            },
            shocks: if keep_inputs {
                self.shocks
                    .iter()
                    .map(|_| Vec::with_capacity(len))
                    .collect()
            } else {
                Vec::new()
            },
            paths: vec![0.0; if keep_paths { len * (months + 1) } else { 0 }],
            export: export.then(|| TrialRows {
                first_trial: start,
                inputs: self
                    .export_inputs
                    .iter()
                    .map(|_| Vec::with_capacity(len))
                    .collect(),
                outcomes: Vec::with_capacity(len),
                shock_counts: self
                    .shocks
                    .iter()
                    .map(|_| Vec::with_capacity(len))
                    .collect(),
            }),
        };

        // Chunks that feed the month sketches leave Cum(t) in the bank's
        // pending values, month-major.
        let (offset, stride) = match bank.as_deref_mut() {
            Some(b) => {
                b.reserve(len);
                (b.filled, b.capacity)
            }
            None => (0, 0),
        };
        for trial in start..end {
            let row = offset + (trial - start) as usize;
            let outcome = self.walk(trial, &mut ts);
            let path = ts.model.path();
            for (sum, &cum) in out.month_sums.iter_mut().zip(path) {
                *sum += cum;
            }
            // The path goes month-major into the bank's pending values or
            // the pilot's paths.
            let (column, stride) = match bank.as_deref_mut() {
                Some(b) => (&mut b.pending[row..], stride),
                None if keep_paths => (&mut out.paths[row..], len),
                None => (&mut [][..], 1),
            };
            debug_assert!(column.is_empty() || column.len() > months * stride);
            for (x, &cum) in column.iter_mut().step_by(stride).zip(path) {
                *x = cum;
            }
            let (x, occurrences) = (&ts.x, &ts.occurrences);
            for (a, b) in out.item_sums.iter_mut().zip(ts.model.item_totals()) {
                *a += b;
            }

            for (k, m) in Metric::ALL.iter().enumerate() {
                let v = m.value(&outcome);
                if v.is_finite() {
                    out.moments[k].push(v);
                }
                if let Some(cols) = &mut out.metrics {
                    cols[k].push(v);
                }
                if let Some((slot, codes)) = &mut slot {
                    let r = (trial - start) as usize;
                    if let Some(x) = slot.metrics[k].get_mut(r) {
                        *x = v;
                    }
                    if let Some(key) = slot.keys[k].get_mut(r) {
                        *key = codes[k].key(v);
                    }
                }
                if let Some(Some(sk)) = bank.as_deref_mut().map(|b| b.metrics.as_mut())
                    && !v.is_nan()
                {
                    sk[k].insert(v);
                }
            }
            let c = &mut out.counts;
            if let Some(p) = outcome.payback_years {
                c.payback_within_horizon += 1;
                // NaN (no target) counts nothing.
                if p <= target {
                    c.payback_within_target += 1;
                }
            }
            c.fell_back += u64::from(outcome.fell_back);
            c.discounted_fell_back += u64::from(outcome.discounted_fell_back);
            if outcome.npv > 0.0 {
                c.npv_positive += 1;
            }
            if outcome.roi.is_some() {
                c.roi_defined += 1;
            }
            if !(outcome.npv.is_finite()
                && outcome.total_costs.is_finite()
                && outcome.total_benefits.is_finite())
            {
                c.non_finite += 1;
            }
            // Occurrences come in month order per shock.
            let first_month = |k: usize| {
                let first = occurrences.iter().find(|o| o.shock == k);
                first.map_or(f64::INFINITY, |o| o.month as f64)
            };
            if keep_inputs {
                for (col, &i) in out.inputs.iter_mut().zip(&self.random_inputs) {
                    col.push(x[i]);
                }
                for (k, col) in out.shocks.iter_mut().enumerate() {
                    col.push(first_month(k));
                }
            }
            let r = (trial - start) as usize;
            if r < input_rows
                && let Some((slot, _)) = &mut slot
            {
                for (col, &i) in slot.inputs.iter_mut().zip(&self.random_inputs) {
                    col[r] = x[i];
                }
                for (k, col) in slot.shocks.iter_mut().enumerate() {
                    col[r] = first_month(k);
                }
            }
            if let Some(rows) = &mut out.export {
                for (col, &i) in rows.inputs.iter_mut().zip(&self.export_inputs) {
                    col.push(x[i]);
                }
                rows.outcomes.push(outcome);
                for (k, col) in rows.shock_counts.iter_mut().enumerate() {
                    col.push(occurrences.iter().filter(|o| o.shock == k).count() as u32);
                }
            }
        }
        if let Some(b) = bank {
            b.filled += len;
        }
        out
    }
}

/// How many of a part's kept trials [`Engine::merge`] runs again to check
/// them.
const REPLAYED: u64 = 16;

/// The chunks of shard `k` of `n` (1-based) of a run of `trials` trials:
/// contiguous ranges, in order, as equal as whole chunks allow (the first
/// ones one chunk longer). A shard beyond the chunks gets an empty range.
pub fn shard_chunks(trials: u64, k: u64, n: u64) -> Range<u64> {
    assert!(n >= 1 && (1..=n).contains(&k), "shard {k} of {n}");
    let total = trials.div_ceil(CHUNK);
    let (base, extra) = (total / n, total % n);
    let start = (k - 1) * base + (k - 1).min(extra);
    let len = base + u64::from(k <= extra);
    start..start + len
}

/// How many of a run's `trials` trials the chunks `chunks` hold.
pub fn trials_in(trials: u64, chunks: &Range<u64>) -> u64 {
    let at = |c: u64| c.saturating_mul(CHUNK).min(trials);
    at(chunks.end) - at(chunks.start)
}

/// `count` columns of `len` zeros.
fn zeroed_columns(count: usize, len: usize) -> Vec<Vec<f64>> {
    (0..count).map(|_| vec![0.0; len]).collect()
}

/// Appends a part's column to the run's: the first part's column is moved
/// in rather than copied, so that a run of one part (every run in one
/// process) holds its kept values once, not twice while they are copied.
fn append<T>(col: &mut Vec<T>, part: Vec<T>) {
    if col.is_empty() {
        *col = part;
    } else {
        col.extend(part);
    }
}
