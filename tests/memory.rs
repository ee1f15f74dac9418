//! The memory of summarising a run (docs/performance.md, "How cost
//! grows"): the results read an output's order statistics from one copy of
//! its kept values at a time, never from a copy and a sorting buffer. A
//! counting allocator measures the heap that [`Results::new`] adds at its
//! peak over what the run already holds.
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

#[test]
fn summarising_holds_one_copy_of_an_output_at_a_time() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/closed-form.toml");
    let sc = Scenario::load(&path).unwrap();
    let n = 1_000_000u64;
    let settings = Settings::new(n, 5, Method::MonteCarlo);
    let data = Engine::new(&sc, settings).run(None, &mut |_| {}).unwrap();
    assert_eq!(data.kept, n, "every trial kept: exact percentiles");

    let before = IN_USE.load(Relaxed);
    PEAK.store(before, Relaxed);
    let results = Results::new(&sc, &settings, &data);
    let added = PEAK.load(Relaxed) - before;
    drop(results);

    // One output's column: 8 MB. A copy sorted by radix sort, with its
    // scratch column, added twice that.
    let column = 8 * n as usize;
    assert!(
        added < column * 3 / 2,
        "summarising added {added} bytes at its peak; one column is {column}"
    );
}
