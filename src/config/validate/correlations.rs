//! The `[[correlations]]`: each pair of input paths resolved to inputs
//! with a distribution (never a fixed value, a per-occurrence shock field
//! or an input whose own problem is reported already), a rank strictly
//! between -1 and 1, no pair twice; then the copula groups, which exist
//! only if the ranks are consistent with one another.
//!
//! One exception: a variant (a scenario that `extends` a base) may fix an
//! input that a correlation names, e.g. a `sweep` variant or a "what if
//! adoption were 80%" file. The fixed input stays in its copula group and
//! keeps drawing its latent uniform, unused, so that its partners keep
//! exactly the draws they have in the base (common random numbers; the
//! sampler's `drawn`). Its partners are not conditioned on the fixed value.

use super::builder::Builder;
use crate::config::raw::RawScenario;
use crate::config::{Correlation, ShockDef};
use crate::model::Input;
use crate::sampling::copula::{Group, build_groups};

pub(super) fn correlations(
    b: &mut Builder,
    raw: &RawScenario,
    shocks: &[ShockDef],
    variant: bool,
) -> Vec<Correlation> {
    let mut out: Vec<Correlation> = Vec::new();
    for (i, item) in raw.correlations.iter().enumerate() {
        let c = item.get_ref();
        let here = format!("correlations[{}]", i + 1);
        let between = c.between.get_ref();
        let span = Some(c.between.span());
        if between.len() != 2 {
            b.error(
                span,
                &format!("{here}.between"),
                format!("needs exactly two input paths (got {})", between.len()),
            );
            continue;
        }
        if between[0] == between[1] {
            b.error(
                span,
                &format!("{here}.between"),
                format!(
                    "names `{}` twice; an input is perfectly correlated with itself",
                    between[0]
                ),
            );
            continue;
        }
        let resolve = |b: &mut Builder, path: &str| -> Option<Input> {
            let per_occurrence = shocks.iter().any(|s| {
                ["revenue_loss", "benefit_loss", "duration_months", "cost"]
                    .iter()
                    .any(|f| path == format!("{}.{f}", s.path))
            });
            if b.failed.contains(path) {
                return None; // its own problem is reported already
            }
            match b.inputs.iter().position(|d| d.path == path && d.declared) {
                Some(k) if b.inputs[k].quantity.is_fixed() && !variant => {
                    b.error(span.clone(), &format!("{here}.between"), format!("`{path}` is a fixed value; only an input with a distribution can be correlated"));
                    None
                }
                Some(k) => Some(Input(k)),
                None if per_occurrence => {
                    b.error(span.clone(), &format!("{here}.between"), format!("`{path}` is drawn anew for each shock occurrence, not once per trial, so it cannot be correlated"));
                    None
                }
                None => {
                    let candidates: Vec<&str> = b
                        .inputs
                        .iter()
                        .filter(|d| d.declared && !d.quantity.is_fixed())
                        .map(|d| d.path.as_str())
                        .collect();
                    let msg = if candidates.is_empty() {
                        format!("no input `{path}`; this scenario has no input with a distribution")
                    } else {
                        format!(
                            "no input `{path}`; inputs with a distribution: {}",
                            candidates.join(", ")
                        )
                    };
                    b.error(span.clone(), &format!("{here}.between"), msg);
                    None
                }
            }
        };
        let a = resolve(b, &between[0]);
        let bb = resolve(b, &between[1]);
        let rank = *c.rank.get_ref();
        if !(rank > -1.0 && rank < 1.0) {
            b.error(
                Some(c.rank.span()),
                &format!("{here}.rank"),
                format!("must be a rank correlation strictly between -1 and 1 (got {rank})"),
            );
            continue;
        }
        let (Some(a), Some(bb)) = (a, bb) else {
            continue;
        };
        if out
            .iter()
            .any(|o| (o.a == a && o.b == bb) || (o.a == bb && o.b == a))
        {
            b.error(
                span,
                &format!("{here}.between"),
                format!(
                    "the pair `{}` / `{}` is correlated twice",
                    between[0], between[1]
                ),
            );
            continue;
        }
        out.push(Correlation { a, b: bb, rank });
    }
    out
}

/// The copula groups of the correlated inputs; an error on `correlations`
/// as a whole if no joint distribution has all the ranks.
pub(super) fn groups(b: &mut Builder, correlations: &[Correlation]) -> Vec<Group> {
    let pairs: Vec<(usize, usize, f64)> = correlations
        .iter()
        .map(|c| (c.a.0, c.b.0, c.rank))
        .collect();
    let paths: Vec<&str> = b.inputs.iter().map(|i| i.path.as_str()).collect();
    match build_groups(&paths, &pairs) {
        Ok(g) => g,
        Err(e) => {
            let names: Vec<&str> = e
                .members
                .iter()
                .map(|&i| b.inputs[i].path.as_str())
                .collect();
            let msg = format!(
                "the rank correlations among {} are inconsistent: no joint distribution has them all (the correlation matrix is not positive definite); weaken some of them",
                names.join(", ")
            );
            b.error(None, "correlations", msg);
            Vec::new()
        }
    }
}
