//! The JSON Schema of the scenario format (`crm-roi schema`, committed as
//! `docs/scenario.schema.json`), for editors that complete and check
//! fields as you type (Taplo, VS Code's Even Better TOML).
//!
//! It is derived (schemars) from the raw serde structs of `raw`, whose doc
//! comments become the descriptions, then completed here with what serde
//! does not see, so that the schema accepts what the program accepts:
//!
//! - a quantity ([`QuantitySchema`]): a number, or a table of exactly one
//!   distribution in one of its forms (parameters or two percentiles),
//!   optionally with `min`/`max`, as `quantity` parses it;
//! - variants (docs/scenario-format.md, "Variants"): `extends` and
//!   `abstract` at the top, `remove` in items; a file with `extends` (or an
//!   abstract base) may leave out any field its base gives, so the required
//!   fields are required only of a file without them, and `remove` only in
//!   them;
//! - a benefit may not use the fields of another kind.
//!
//! Unknown keys are rejected everywhere, as `deny_unknown_fields` does. The
//! schema cannot check what needs more than one field's value (a range
//! that every value of a distribution must respect, unique names, input
//! paths of correlations): `crm-roi validate` does.
//!
//! Written as JSON Schema draft 7, the draft that Taplo and most editors
//! support.

use schemars::{JsonSchema, Schema, SchemaGenerator, generate::SchemaSettings};
use serde_json::{Map, Value, json};
use std::borrow::Cow;

/// The kinds of benefit, in the order of the docs.
pub(super) const BENEFIT_KINDS: [&str; 5] = [
    "efficiency",
    "leads",
    "cross_sell",
    "churn_reduction",
    "custom",
];

/// The fields that only a `custom` benefit has besides its amounts.
const CUSTOM_FLAGS: [&str; 2] = ["revenue_linked", "ramps_with_adoption"];

/// The JSON Schema of a scenario file, as a JSON value.
pub fn scenario_schema() -> Value {
    let generator = SchemaGenerator::new(SchemaSettings::draft07());
    let schema = generator.into_root_schema_for::<super::raw::RawScenario>();
    let mut root = schema.to_value();
    strip_null(&mut root);
    complete(&mut root);
    ref_alone(&mut root);
    root
}

/// [`scenario_schema`] as `docs/scenario.schema.json` holds it: pretty
/// JSON with a final newline.
pub fn scenario_schema_text() -> String {
    let mut text =
        serde_json::to_string_pretty(&scenario_schema()).expect("a JSON value always serialises");
    text.push('\n');
    text
}

/// The names of the fields that take a quantity (`discount_rate`,
/// `hours_saved_per_month`, ...), sorted: `fit` names its suggestion after
/// a column only when the column is named like one of them.
pub fn quantity_fields() -> Vec<String> {
    let schema = scenario_schema();
    let mut names: Vec<String> = schema["definitions"]
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(name, _)| *name != "Quantity")
        .filter_map(|(_, def)| def["properties"].as_object())
        .flatten()
        .filter(|(_, s)| s.to_string().contains("#/definitions/Quantity"))
        .map(|(field, _)| field.clone())
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// A string that is one of `values` (with its default, if any).
pub(super) fn one_of_strings(values: &[&str], default: Option<&str>) -> Schema {
    let mut s = Map::new();
    s.insert("type".into(), "string".into());
    s.insert("enum".into(), json!(values));
    if let Some(d) = default {
        s.insert("default".into(), d.into());
    }
    Schema::from(s)
}

/// A quantity: a number or a distribution table (see `quantity`).
pub(super) struct QuantitySchema;

impl JsonSchema for QuantitySchema {
    fn schema_name() -> Cow<'static, str> {
        "Quantity".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        Schema::try_from(quantity()).expect("the quantity schema is an object")
    }
}

/// The largest magnitude of a number in a scenario (`MAX_MAGNITUDE`).
fn number() -> Value {
    json!({
        "type": "number",
        "minimum": -super::MAX_MAGNITUDE,
        "maximum": super::MAX_MAGNITUDE,
    })
}

/// `N` numbers in a list (`[min, max]`, `[min, mode, max]`).
fn numbers(n: usize, what: &str) -> Value {
    json!({
        "description": what,
        "type": "array",
        "items": number(),
        "minItems": n,
        "maxItems": n,
    })
}

/// A percentile key: `p1` to `p99`, no leading zero.
const PERCENTILE_KEY: &str = "^p[1-9][0-9]?$";

/// Two percentiles (and the mode, `with_mode`): `{ p10 = .., p90 = .. }`.
fn percentiles(with_mode: bool) -> Value {
    let mut s = json!({
        "description": if with_mode {
            "Two percentiles and the mode, such as { p10 = 80, mode = 100, p90 = 160 }; percentile keys are p1 to p99."
        } else {
            "Two percentiles, such as { p10 = 80, p90 = 160 }; percentile keys are p1 to p99."
        },
        "type": "object",
        "patternProperties": { PERCENTILE_KEY: number() },
        "additionalProperties": false,
        "minProperties": 2,
        "maxProperties": 2,
    });
    if with_mode {
        s["properties"] = json!({ "mode": number() });
        s["required"] = json!(["mode"]);
        s["minProperties"] = json!(3);
        s["maxProperties"] = json!(3);
    }
    s
}

/// A table of exactly the named parameters.
fn named(names: &[&str]) -> Value {
    let props: Map<String, Value> = names.iter().map(|n| (n.to_string(), number())).collect();
    json!({
        "type": "object",
        "properties": props,
        "required": names,
        "additionalProperties": false,
    })
}

/// The forms of each distribution key, as `quantity` accepts them.
fn families() -> Vec<(&'static str, &'static str, Value)> {
    let either = |a: Value, b: Value| json!({ "anyOf": [a, b] });
    vec![
        (
            "uniform",
            "Uniform: [min, max] or two percentiles.",
            either(numbers(2, "[min, max]"), percentiles(false)),
        ),
        (
            "triangular",
            "Triangular: [min, mode, max] or { p10 = .., mode = .., p90 = .. }.",
            either(numbers(3, "[min, mode, max]"), percentiles(true)),
        ),
        (
            "pert",
            "PERT: [min, mode, max] or { p10 = .., mode = .., p90 = .. }.",
            either(numbers(3, "[min, mode, max]"), percentiles(true)),
        ),
        (
            "normal",
            "Normal: { mean = .., sd = .. } or two percentiles; unbounded, so truncate it with min/max for a field with a limited range.",
            either(named(&["mean", "sd"]), percentiles(false)),
        ),
        (
            "lognormal",
            "Lognormal: { p5 = .., p95 = .. } (any two percentiles) or { mean = .., sd = .. }; positive values.",
            either(named(&["mean", "sd"]), percentiles(false)),
        ),
        (
            "beta",
            "Beta on [0, 1]: { alpha = .., beta = .. } or two percentiles.",
            either(named(&["alpha", "beta"]), percentiles(false)),
        ),
        (
            "gamma",
            "Gamma: { shape = .., scale = .. } (mean shape x scale) or two percentiles.",
            either(named(&["shape", "scale"]), percentiles(false)),
        ),
        (
            "weibull",
            "Weibull: { shape = .., scale = .. } or two percentiles.",
            either(named(&["shape", "scale"]), percentiles(false)),
        ),
        (
            "discrete",
            "A few distinct values with weights: { values = [..], weights = [..] }, as many weights as values.",
            json!({
                "type": "object",
                "properties": {
                    "values": { "type": "array", "items": number(), "minItems": 1 },
                    "weights": { "type": "array", "items": { "type": "number", "minimum": 0 }, "minItems": 1 },
                },
                "required": ["values", "weights"],
                "additionalProperties": false,
            }),
        ),
        (
            "empirical",
            "Past data: { file = \"history.csv\", column = \"name\" } (the file relative to the scenario's folder), optionally with scale = ...",
            json!({
                "type": "object",
                "properties": {
                    "file": { "type": "string", "description": "CSV file with a header row, relative to the scenario's folder." },
                    "column": { "type": "string", "description": "The column's name in the header row." },
                    "scale": { "type": "number", "exclusiveMinimum": 0, "default": 1, "description": "Every value is multiplied by it. Default: 1." },
                },
                "required": ["file", "column"],
                "additionalProperties": false,
            }),
        ),
    ]
}

/// The schema of a quantity.
fn quantity() -> Value {
    let mut props = Map::new();
    let mut one_of = Vec::new();
    for (key, description, mut schema) in families() {
        schema["description"] = description.into();
        props.insert(key.to_string(), schema);
        one_of.push(json!({ "required": [key] }));
    }
    let mut min = number();
    min["description"] =
        "Truncation: no value below it (the distribution is cut and renormalised).".into();
    let mut max = number();
    max["description"] =
        "Truncation: no value above it (the distribution is cut and renormalised).".into();
    props.insert("min".into(), min);
    props.insert("max".into(), max);
    let mut fixed = number();
    fixed["description"] = "A fixed value.".into();
    json!({
        "description": "A number, or a table of exactly one distribution, optionally truncated with min/max: { pert = [60000, 90000, 160000] }, { lognormal = { p5 = 15000, p95 = 60000 } }, { normal = { mean = 0.1, sd = 0.05 }, min = 0 } (docs/scenario-format.md, \"Quantities\").",
        "anyOf": [
            fixed,
            {
                "type": "object",
                "properties": props,
                "additionalProperties": false,
                "oneOf": one_of,
            },
        ],
    })
}

/// TOML has no null: `Option` fields are absent, never null. Removes the
/// `null` that schemars allows for them.
fn strip_null(v: &mut Value) {
    match v {
        Value::Object(o) => {
            if let Some(Value::Array(types)) = o.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let t = types.remove(0);
                    o.insert("type".into(), t);
                }
            }
            for key in ["anyOf", "oneOf"] {
                if let Some(Value::Array(alts)) = o.get_mut(key) {
                    alts.retain(|a| a.get("type").is_none_or(|t| t != "null"));
                    if alts.len() == 1 {
                        let only = alts.remove(0);
                        o.remove(key);
                        if let Value::Object(inner) = only {
                            for (k, x) in inner {
                                o.entry(k).or_insert(x);
                            }
                        }
                    }
                }
            }
            o.values_mut().for_each(strip_null);
        }
        Value::Array(a) => a.iter_mut().for_each(strip_null),
        _ => {}
    }
}

/// Draft 7 ignores the keywords beside a `$ref`: a reference with a
/// description or a default moves into an `allOf` of its own, as
/// schemars' `RemoveRefSiblings` does.
fn ref_alone(v: &mut Value) {
    match v {
        Value::Object(o) => {
            if o.len() > 1
                && let Some(r) = o.remove("$ref")
            {
                match o.get_mut("allOf") {
                    Some(Value::Array(all)) => all.insert(0, json!({ "$ref": r })),
                    _ => {
                        o.insert("allOf".into(), json!([{ "$ref": r }]));
                    }
                }
            }
            o.values_mut().for_each(ref_alone);
        }
        Value::Array(a) => a.iter_mut().for_each(ref_alone),
        _ => {}
    }
}

/// Adds what the derive does not know (see the module's header).
fn complete(root: &mut Value) {
    let defs = "definitions";
    // The top level of a variant.
    root["properties"]["extends"] = json!({
        "type": "string",
        "description": "Makes this file a variant: the path of its base scenario, relative to this file; this file then states only what differs (docs/scenario-format.md, \"Variants\"). Default: none.",
    });
    root["properties"]["abstract"] = json!({
        "type": "boolean",
        "default": false,
        "description": "true marks a base that is not meant to run alone: batch skips it, run refuses it. Not inherited. Default: false.",
    });

    // Required fields: of a complete scenario only.
    let mut strict = Map::new();
    let mut strict_props = Map::new();
    if let Some(req) = root.as_object_mut().and_then(|o| o.remove("required")) {
        strict.insert("required".into(), req);
    }
    if let Some(req) = root[defs]["Finance"]
        .as_object_mut()
        .and_then(|o| o.remove("required"))
    {
        strict_props.insert("finance".into(), json!({ "required": req }));
    }
    for (section, def, identity) in [
        ("costs", "Cost", "name"),
        ("benefits", "Benefit", "name"),
        ("shocks", "Shock", "name"),
        ("correlations", "Correlation", "between"),
    ] {
        let item = &mut root[defs][def];
        let req = item
            .as_object_mut()
            .and_then(|o| o.remove("required"))
            .unwrap_or_else(|| json!([]));
        // An item of a variant names the base item it changes or removes.
        item["required"] = json!([identity]);
        item["properties"]["remove"] = json!({
            "type": "boolean",
            "description": format!("In a variant (a file with `extends`): true deletes the base's item of this {identity}; the item then holds only `{identity}` and `remove`."),
        });
        item["if"] =
            json!({ "properties": { "remove": { "const": true } }, "required": ["remove"] });
        item["then"] = json!({ "maxProperties": 2 });
        strict_props.insert(
            section.into(),
            json!({ "items": { "required": req, "properties": { "remove": false } } }),
        );
    }
    strict.insert("properties".into(), Value::Object(strict_props));
    root["if"] = json!({
        "anyOf": [
            { "required": ["extends"] },
            { "properties": { "abstract": { "const": true } }, "required": ["abstract"] },
        ],
    });
    root["else"] = Value::Object(strict);

    // A benefit has the fields of its kind only.
    let fields: Vec<(&str, Vec<&str>)> = super::validate::kind_fields().collect();
    let all: Vec<&str> = fields
        .iter()
        .flat_map(|(_, f)| f.iter().copied())
        .chain(CUSTOM_FLAGS)
        .collect();
    let rules: Vec<Value> = fields
        .iter()
        .map(|(kind, own)| {
            let foreign: Map<String, Value> = all
                .iter()
                .filter(|f| {
                    let its_own =
                        own.contains(f) || (*kind == "custom" && CUSTOM_FLAGS.contains(f));
                    !its_own
                })
                .map(|f| (f.to_string(), Value::Bool(false)))
                .collect();
            json!({
                "if": { "properties": { "kind": { "const": kind } }, "required": ["kind"] },
                "then": { "properties": foreign },
            })
        })
        .collect();
    root[defs]["Benefit"]["allOf"] = Value::Array(rules);
}

/// The keys of a scenario file's text that the format does not have, for
/// a file that is not validated in full (an abstract base, which may leave
/// out what its variants add): each with its byte range, its field path
/// and a message in the validator's words ("unknown field `discount_rat`,
/// did you mean `discount_rate`?"). The sections, items and their fields
/// are checked against [`scenario_schema`]; a quantity's inside is not (a
/// variant checks it in full).
pub(crate) fn unknown_keys(text: &str) -> Vec<(std::ops::Range<usize>, String, String)> {
    use toml::de::{DeTable, DeValue};
    let root = scenario_schema();
    // A property's schema, through `$ref` and `allOf: [{ $ref }]`.
    fn resolved<'a>(root: &'a Value, s: &'a Value) -> &'a Value {
        let target = s
            .get("$ref")
            .or_else(|| s.pointer("/allOf/0/$ref"))
            .and_then(Value::as_str)
            .and_then(|r| root.pointer(r.trim_start_matches('#')));
        target.unwrap_or(s)
    }
    fn walk(
        root: &Value,
        schema: &Value,
        table: &DeTable,
        path: &str,
        out: &mut Vec<(std::ops::Range<usize>, String, String)>,
    ) {
        let Some(props) = schema.get("properties").and_then(Value::as_object) else {
            return;
        };
        for (key, value) in table.iter() {
            let k = key.get_ref().as_ref();
            let here = if path.is_empty() {
                k.to_string()
            } else {
                format!("{path}.{k}")
            };
            let Some(prop) = props.get(k) else {
                let hint = super::suggest::closest(k, props.keys().map(String::as_str))
                    .map_or(String::new(), |c| format!(", did you mean `{c}`?"));
                out.push((key.span(), here, format!("unknown field `{k}`{hint}")));
                continue;
            };
            let prop = resolved(root, prop);
            match value.get_ref() {
                // A section.
                DeValue::Table(t) if prop.get("properties").is_some() => {
                    walk(root, prop, t, &here, out);
                }
                // Items, named by their `name` or their position.
                DeValue::Array(items) => {
                    let Some(item) = prop.get("items").map(|s| resolved(root, s)) else {
                        continue;
                    };
                    for (i, v) in items.iter().enumerate() {
                        if let DeValue::Table(t) = v.get_ref() {
                            let name = t
                                .iter()
                                .find(|(k, _)| k.get_ref().as_ref() == "name")
                                .and_then(|(_, v)| v.get_ref().as_str().map(str::to_string));
                            let at = name.unwrap_or_else(|| format!("[{}]", i + 1));
                            let sep = if at.starts_with('[') { "" } else { "." };
                            walk(root, item, t, &format!("{here}{sep}{at}"), out);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    if let Ok(t) = DeTable::parse(text) {
        walk(&root, &root, t.get_ref(), "", &mut out);
    }
    out.sort_by_key(|(span, _, _)| span.start);
    out
}

#[cfg(test)]
mod tests {

    /// Every key of the bundled scenarios (each benefit kind, shocks with
    /// every field, correlations, quantities of every form, variants) is
    /// known; misspelt keys of a base are found in every section and item,
    /// with their paths.
    #[test]
    fn unknown_keys_are_found_and_known_ones_are_not() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let mut files = vec![];
        for d in [dir.clone(), dir.join("variants")] {
            for e in std::fs::read_dir(d).unwrap() {
                let p = e.unwrap().path();
                if p.extension().is_some_and(|x| x == "toml") {
                    files.push(p);
                }
            }
        }
        assert!(files.len() >= 10);
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            assert_eq!(unknown_keys(&text), vec![], "{}", f.display());
        }
        let text = "abstract = true\ncolour = 1\n[finance]\ndiscount_rat = 0.1\n\
            [[costs]]\nname = \"Lic\"\namout = 6\n[[benefits]]\nkind = \"efficiency\"\nhourly_cots = 5\n\
            [[shocks]]\nname = \"R\"\nrevenue_los = 0.1\n[simulation]\ntrails = 5\n";
        let found: Vec<(String, String)> = unknown_keys(text)
            .into_iter()
            .map(|(span, path, message)| {
                assert!(message.starts_with(&format!("unknown field `{}`", &text[span])));
                (path, message)
            })
            .collect();
        let paths: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "colour",
                "finance.discount_rat",
                "costs.Lic.amout",
                "benefits[1].hourly_cots",
                "shocks.R.revenue_los",
                "simulation.trails"
            ]
        );
        assert_eq!(
            found[1].1,
            "unknown field `discount_rat`, did you mean `discount_rate`?"
        );
    }

    use super::*;

    #[test]
    fn benefit_kinds_are_the_validators() {
        let kinds: Vec<&str> = super::super::validate::kind_fields().map(|k| k.0).collect();
        let mut a = kinds.clone();
        a.sort_unstable();
        let mut b = BENEFIT_KINDS.to_vec();
        b.sort_unstable();
        assert_eq!(a, b);
    }

    #[test]
    fn quantity_fields_are_the_fields_of_quantities() {
        let fields = quantity_fields();
        for f in [
            "discount_rate",
            "max_level",
            "amount",
            "hours_saved_per_month",
            "cost",
        ] {
            assert!(fields.iter().any(|x| x == f), "{f}: {fields:?}");
        }
        for f in ["name", "horizon_years", "at_month", "rank", "kind"] {
            assert!(!fields.iter().any(|x| x == f), "{f}: {fields:?}");
        }
    }

    #[test]
    fn quantity_families_are_the_parsers() {
        let names: Vec<&str> = families().iter().map(|f| f.0).collect();
        assert_eq!(names, super::super::FAMILIES);
    }
}
