//! `summary.json`: the [`Summary`] struct as pretty JSON. serde_json writes
//! `None` as `null` and the summary holds no NaN or infinity by
//! construction, which `write` double-checks.

use super::Export;
use crate::results::Results;
use anyhow::{Result, ensure};
use std::io::Write;

pub struct SummaryJson;

impl Export for SummaryJson {
    fn file_name(&self) -> &'static str {
        "summary.json"
    }

    fn write(&self, results: &Results, out: &mut dyn Write) -> Result<()> {
        let summary = &results.summary;
        let value = serde_json::to_value(summary)?;
        ensure!(
            all_finite(&value),
            "internal error: a summary value is not finite"
        );
        serde_json::to_writer_pretty(&mut *out, summary)?;
        writeln!(out)?;
        Ok(())
    }
}

/// serde_json turns non-finite floats into `null`; a `null` where a number
/// belongs is allowed by the schema, so this only guards numbers that slip
/// through as something else.
fn all_finite(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::Number(n) => n.as_f64().is_none_or(f64::is_finite),
        serde_json::Value::Array(a) => a.iter().all(all_finite),
        serde_json::Value::Object(o) => o.values().all(all_finite),
        _ => true,
    }
}
