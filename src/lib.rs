//! crm-roi: a Monte Carlo simulator for the payback, NPV and ROI of a CRM
//! investment.
//!
//! Data flows one way:
//! scenario file → [`config`] (parse, validate into typed values) →
//! [`sampling`] (keyed uniforms → copula → inverse CDFs, per trial) →
//! [`model`] (one trial's monthly cash flows → payback, NPV, ROI) →
//! [`engine`] (chunks of trials in parallel, merged in chunk order) →
//! [`results`] (summary statistics) → [`report`] (CSV and JSON files).

pub mod config;
pub mod dist;
pub mod engine;
pub mod model;
pub mod report;
pub mod results;
pub mod sampling;
pub mod stats;
