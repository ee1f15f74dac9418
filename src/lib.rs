//! crm-roi: a Monte Carlo simulator for the payback, NPV and ROI of a CRM
//! investment.
//!
//! Data flows one way:
//! scenario file → [`config`] (parse, validate into typed values) →
//! [`sampling`] (keyed uniforms → copula → inverse CDFs, per trial) →
//! [`model`] (one trial's monthly cash flows → payback, NPV, ROI) →
//! [`engine`] (chunks of trials in parallel, merged in chunk order) →
//! [`results`] (summary statistics) → [`report`] (CSV and JSON files).

// Parameter checks are written `if !(x > 0.0)` on purpose, as in rand_distr:
// unlike `x <= 0.0`, the negated form also rejects NaN.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

pub mod config;
pub mod dist;
pub mod engine;
pub mod model;
pub mod report;
pub mod results;
pub mod sampling;
pub mod stats;
