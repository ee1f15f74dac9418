//! crm-roi: a Monte Carlo simulator for the payback, NPV and ROI of a CRM
//! investment.
//!
//! Data flows one way:
//! scenario file → [`config`] (parse, validate into typed values) →
//! `sampling` (keyed uniforms → copula → inverse CDFs, per trial) →
//! `model` (one trial's monthly cash flows → payback, NPV, ROI) →
//! [`engine`] (chunks of trials in parallel, merged in chunk order) →
//! [`results`] (summary statistics) → [`report`] (CSV, JSON, charts and
//! the HTML report).
//!
//! Beside the pipeline, [`solve`] finds the value of one input at which a
//! goal is met (break-even, goal seek), [`sweep`] runs a scenario over a
//! grid of values of its inputs (decision tables), and [`fit`] fits candidate distributions to past data
//! by maximum likelihood, so that a scenario quantity can start from
//! evidence.
//!
//! The library runs a scenario end to end with [`simulate`]:
//!
//! ```
//! use crm_roi::{Method, RunOptions, Scenario, Settings, simulate};
//!
//! let text = r#"
//!     horizon_years = 3
//!     [finance]
//!     discount_rate = 0.08
//!     target_payback_years = 2
//!     [[costs]]
//!     name = "Licence"
//!     amount = 50000
//!     [[benefits]]
//!     name = "Time saved"
//!     kind = "efficiency"
//!     hours_saved_per_month = { pert = [40, 60, 100] }
//!     hourly_cost = 50
//! "#;
//! let scenario = Scenario::from_toml(text, std::path::Path::new("example.toml")).unwrap();
//! let settings = Settings::new(2000, 1, Method::MonteCarlo);
//! // `&mut ()` shows no progress; a `Cancel` token can stop the run.
//! let run = simulate(&scenario, &RunOptions::new(settings), &mut ()).unwrap();
//! let summary = &run.results.summary;
//! // 2,000 to 5,000 a month against 50,000: paid back in 10 to 25 months.
//! assert_eq!(summary.probabilities.payback_within_horizon, 1.0);
//! let median = summary.metrics.payback_years.percentiles.p50.unwrap();
//! assert!(median > 10.0 / 12.0 && median < 25.0 / 12.0);
//! assert_eq!(run.results.fan.len(), 37);
//! ```

// Parameter checks are written `if !(x > 0.0)` on purpose, as in rand_distr:
// unlike `x <= 0.0`, the negated form also rejects NaN.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

/// Declares modules that only the crate itself uses: `pub(crate)`, or `pub`
/// (and hidden from the documentation) under the `internals` feature, which
/// the integration tests and benches turn on through the crate's
/// dev-dependency on itself (see Cargo.toml). They are not part of the
/// library's interface.
macro_rules! internal_modules {
    ($($name:ident),* $(,)?) => {$(
        #[cfg(feature = "internals")]
        #[doc(hidden)]
        pub mod $name;
        #[cfg(not(feature = "internals"))]
        pub(crate) mod $name;
    )*};
}

/// Declares items as [`internal_modules`] declares modules.
macro_rules! internal {
    ($(#[$attr:meta])* pub $($item:tt)*) => {
        #[cfg(feature = "internals")]
        $(#[$attr])*
        #[doc(hidden)]
        pub $($item)*
        #[cfg(not(feature = "internals"))]
        $(#[$attr])*
        pub(crate) $($item)*
    };
}

pub mod config;
pub mod engine;
pub mod fit;
pub mod format;
pub mod lang;
pub mod report;
pub mod results;
pub mod shard;
pub mod simulation;
pub mod solve;
pub mod sweep;
internal_modules!(dist, model, sampling, stats);

// The facade: what running a scenario from Rust needs.
pub use config::Scenario;
pub use engine::Settings;
pub use results::Summary;
pub use sampling::Method;
pub use simulation::{
    Progress, Run, RunError, RunOptions, merge_parts, simulate, simulate_shard,
    simulate_with_export,
};
