//! A whole run of the example scenario (scenarios/midsize-b2b.toml) as
//! `crm-roi run FILE -n N --no-charts` does it, in the process: what the
//! floor of issue 14 (`floor.rs`) is compared with, in `engine.rs` and
//! `floor_ratio.rs`.

use crm_roi::config::Scenario;
use crm_roi::engine::Settings;
use crm_roi::report;
use crm_roi::sampling::Method;
use std::path::Path;

/// The example scenario, read from its file.
pub fn example() -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/midsize-b2b.toml");
    Scenario::load(&path).expect("the example scenario is valid")
}

/// The scenario read, the trials run, the results summarised and written
/// (summary.json, the CSV files and results.xlsx) into `out`.
pub fn run(out: &Path, trials: u64) {
    let sc = example();
    let settings = Settings::new(trials, 42, Method::MonteCarlo);
    let run = crm_roi::simulate(&sc, &crm_roi::RunOptions::new(settings), &mut ())
        .expect("the example runs");
    let dir = report::ResultDir::create(out, "midsize-b2b").expect("a result directory");
    for e in report::standard_exports(crm_roi::lang::Lang::En) {
        dir.write(e.as_ref(), &run.results)
            .expect("the files are written");
    }
    dir.commit().expect("the results are put in place");
}
