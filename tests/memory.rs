//! The memory of a run and of summarising it (docs/performance.md, "How
//! cost grows"): the engine keeps four of the six outputs as 4-byte keys,
//! and the results read the outputs' order statistics in place, never from
//! a copy. A counting allocator measures the heap that the engine holds
//! after a run, and that [`Results::new`] adds at its peak over it.
//!
//! The scenario (tests/fixtures/closed-form.toml) has one uncertain input
//! and a one-year horizon, so that the decision analyses over the first
//! 131,072 trials (a few MB) stay well below one output's column of a
//! million trials (8 MB), which is what this test is about.

use crm_roi::config::Scenario;
use crm_roi::engine::{Engine, Settings};
use crm_roi::results::Results;
use crm_roi::sampling::Method;
use std::alloc::{GlobalAlloc, Layout, System};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// The system allocator, counting the bytes in use and their peak.
struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grow(bytes: usize) {
    let now = IN_USE.fetch_add(bytes, Relaxed) + bytes;
    PEAK.fetch_max(now, Relaxed);
}

// SAFETY: every call is passed on to the system allocator unchanged; only
// the counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grow(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grow(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        IN_USE.fetch_sub(layout.size(), Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            IN_USE.fetch_sub(layout.size(), Relaxed);
            grow(new_size);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The counters are the process's: one test measures at a time.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[test]
fn summarising_copies_no_output() {
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/closed-form.toml");
    let sc = Scenario::load(&path).unwrap();
    let n = 1_000_000u64;
    let settings = Settings::new(n, 5, Method::MonteCarlo);
    let data = Engine::new(&sc, settings).run(None, &mut |_| {}).unwrap();
    assert_eq!(data.kept, n, "every trial kept: exact percentiles");

    // Summarised on one thread: side by side, each analysis running holds
    // its own scratch at the same time, so the peak depends on how many
    // threads there are and how they happen to interleave (on two threads
    // 6.9 MB or, when two analyses overlap, 8.9 MB; on four up to 10 MB).
    // On one thread the peak is the same every time, and a copy of a
    // column shows in it as surely.
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let before = IN_USE.load(Relaxed);
    PEAK.store(before, Relaxed);
    let results = one.install(|| Results::new(&sc, &settings, &data));
    let added = PEAK.load(Relaxed) - before;
    drop(results);

    // One output's column: 8 MB. A copy sorted by radix sort, with its
    // scratch column, added twice that; a copy selected in, once that. The
    // order statistics are now counted in place, with no copy: what is
    // added is the decision analyses' scratch (5.8 MB here).
    let column = 8 * n as usize;
    assert!(
        added < column,
        "summarising added {added} bytes at its peak; one column is {column}"
    );
}

/// The engine keeps NPV and payback per trial as doubles and the four other
/// outputs as 4-byte keys: 32 bytes a trial where six doubles took 48.
#[test]
fn a_run_keeps_four_outputs_as_keys() {
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/closed-form.toml");
    let sc = Scenario::load(&path).unwrap();
    let n = 1_000_000u64;
    let settings = Settings::new(n, 5, Method::MonteCarlo);
    let before = IN_USE.load(Relaxed);
    let data = Engine::new(&sc, settings).run(None, &mut |_| {}).unwrap();
    let held = IN_USE.load(Relaxed) - before;
    assert_eq!(data.kept, n);
    // 32 MB of kept outputs, 1 MB of draws of the one uncertain input,
    // the fan's sketches (13 months); six doubles alone were 48 MB.
    let doubles = 6 * 8 * n as usize;
    assert!(
        held < doubles * 3 / 4,
        "the run holds {held} bytes; six doubles a trial are {doubles}"
    );
}
