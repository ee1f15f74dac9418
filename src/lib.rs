//! crm-roi: a Monte Carlo simulator for the payback, NPV and ROI of a CRM
//! investment.
//!
//! Data flows one way:
//! scenario file → [`config`] (parse, validate into typed values) →
//! [`sampling`] (keyed uniforms → copula → inverse CDFs, per trial) →
//! [`model`] (one trial's monthly cash flows → payback, NPV, ROI) →
//! [`engine`] (chunks of trials in parallel, merged in chunk order) →
//! [`results`] (summary statistics) → [`report`] (CSV and JSON files).
//!
//! Beside the pipeline, [`fit`] fits candidate distributions to past data
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
//! let settings = Settings { trials: 2000, seed: 1, method: Method::MonteCarlo };
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

pub mod config;
pub mod dist;
pub mod engine;
pub mod fit;
pub mod format;
pub mod model;
pub mod report;
pub mod results;
pub mod sampling;
pub mod simulation;
pub mod stats;

// The facade: what running a scenario from Rust needs.
pub use config::Scenario;
pub use engine::Settings;
pub use results::Summary;
pub use sampling::Method;
pub use simulation::{Progress, Run, RunError, RunOptions, simulate, simulate_with_export};
