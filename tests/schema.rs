//! The JSON Schema of the scenario format (`crm-roi schema`,
//! `docs/scenario.schema.json`): the committed copy is the one the program
//! generates, every bundled scenario and every valid fixture validates
//! against it with a real JSON Schema validator (jsonschema), and files the
//! program rejects for an unknown or misplaced key are rejected by the
//! schema too.

use assert_cmd::Command;
use crm_roi::Scenario;
use serde_json::Value;
use std::path::{Path, PathBuf};

mod common;

const COMMITTED: &str = "docs/scenario.schema.json";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join(COMMITTED)).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::draft7::new(&schema).expect("the committed schema is a valid draft-7 schema")
}

/// A scenario's text as JSON, as an editor's TOML support sees it.
fn as_json(text: &str) -> Value {
    toml::from_str(text).expect("TOML")
}

/// The schema's complaints about `text`, one line each.
fn problems(v: &jsonschema::Validator, text: &str) -> Vec<String> {
    v.iter_errors(&as_json(text))
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

#[test]
fn committed_schema_is_fresh() {
    let committed = std::fs::read_to_string(root().join(COMMITTED)).unwrap_or_default();
    assert!(
        committed == crm_roi::config::scenario_schema_text(),
        "{COMMITTED} is stale: it differs from what `crm-roi schema` prints. Refresh it with\n    cargo run --release -- schema > {COMMITTED}\nand commit it."
    );
}

#[test]
fn schema_command_prints_the_schema() {
    let out = Command::cargo_bin("crm-roi")
        .unwrap()
        .arg("schema")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        crm_roi::config::scenario_schema_text()
    );
}

fn toml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            toml_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "toml") {
            out.push(p);
        }
    }
}

#[test]
fn every_bundled_scenario_validates_and_points_to_the_schema() {
    let v = validator();
    let mut files = Vec::new();
    toml_files(&root().join("scenarios"), &mut files);
    assert!(files.len() >= 12, "{files:?}");
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let errors = problems(&v, &text);
        assert!(errors.is_empty(), "{}: {errors:#?}", f.display());
        // The first line points editors to the committed schema, relative
        // to the file (Taplo's `#:schema` directive).
        let first = text.lines().next().unwrap_or_default();
        let target = first
            .strip_prefix("#:schema ")
            .unwrap_or_else(|| panic!("{}: first line is {first:?}", f.display()));
        let schema = f.parent().unwrap().join(target);
        assert_eq!(
            schema.canonicalize().unwrap(),
            root().join(COMMITTED).canonicalize().unwrap(),
            "{}",
            f.display()
        );
    }
}

#[test]
fn every_valid_fixture_validates() {
    let v = validator();
    let mut files = Vec::new();
    toml_files(&root().join("tests/fixtures"), &mut files);
    let mut checked = 0;
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        if Scenario::load_unless_abstract(f).is_ok() {
            let errors = problems(&v, &text);
            assert!(errors.is_empty(), "{}: {errors:#?}", f.display());
            checked += 1;
        }
    }
    assert!(checked >= 3, "only {checked} fixtures are valid");
    // The snippets that tests append to the base fixture.
    for snippet in [common::CHURN, common::SHOCK] {
        let text = format!("{}\n{snippet}", common::BASE);
        Scenario::from_toml(&text, Path::new("x.toml")).unwrap();
        let errors = problems(&v, &text);
        assert!(errors.is_empty(), "{text}: {errors:#?}");
    }
}

/// Every form of a quantity that the parser accepts.
#[test]
fn every_quantity_form_validates() {
    let v = validator();
    for q in [
        "1200",
        "0.08",
        "-5",
        "{ uniform = [1, 2] }",
        "{ triangular = [3, 6, 12] }",
        "{ pert = [0.6, 0.85, 0.95] }",
        "{ normal = { mean = 6000, sd = 600 } }",
        "{ lognormal = { p5 = 2, p95 = 15 } }",
        "{ lognormal = { mean = 10, sd = 3 } }",
        "{ beta = { alpha = 2, beta = 18 } }",
        "{ discrete = { values = [1, 2], weights = [1, 3] } }",
        "{ normal = { mean = 0.1, sd = 0.05 }, min = 0 }",
        "{ normal = { mean = 0.1, sd = 0.05 }, min = 0, max = 0.2 }",
        "{ gamma = { shape = 2, scale = 1500 } }",
        "{ weibull = { shape = 1.5, scale = 12 } }",
        "{ uniform = { p10 = 1, p90 = 2 } }",
        "{ triangular = { p10 = 80, mode = 100, p90 = 160 } }",
        "{ pert = { p10 = 80, mode = 100, p90 = 160 } }",
        "{ normal = { p10 = 80, p90 = 160 } }",
        "{ beta = { p10 = 0.02, p90 = 0.05 } }",
        "{ gamma = { p10 = 80, p90 = 160 }, max = 500 }",
        "{ weibull = { p1 = 2, p99 = 300 } }",
        "{ empirical = { file = \"history/rollouts.csv\", column = \"hours\", scale = 2 } }",
    ] {
        let text = common::base_with("hourly_cost = 50", &format!("hourly_cost = {q}"));
        let errors = problems(&v, &text);
        assert!(errors.is_empty(), "{q}: {errors:#?}");
    }
}

/// Mistakes that the program rejects for a key it does not know or a
/// shape it does not accept: the schema rejects them too, so an editor
/// shows them as you type.
#[test]
fn mistakes_are_rejected_by_the_schema_and_the_program() {
    let v = validator();
    let with = |old: &str, new: &str| {
        let t = common::BASE.replacen(old, new, 1);
        assert_ne!(t, common::BASE, "{old} is not in the base fixture");
        t
    };
    let cases = [
        (
            "unknown top-level key",
            format!("colour = \"red\"\n{}", common::BASE),
        ),
        (
            "misspelt field",
            with("discount_rate = 0.08", "discount_rat = 0.08"),
        ),
        (
            "misspelt distribution",
            with(
                "discount_rate = 0.08",
                "discount_rate = { pret = [0.05, 0.08, 0.1] }",
            ),
        ),
        (
            "two distributions",
            with(
                "discount_rate = 0.08",
                "discount_rate = { uniform = [0, 1], pert = [0, 0.5, 1] }",
            ),
        ),
        (
            "a percentile key that is not one",
            with(
                "discount_rate = 0.08",
                "discount_rate = { normal = { p0 = 1, p90 = 2 } }",
            ),
        ),
        (
            "a text for a number",
            with("discount_rate = 0.08", "discount_rate = \"8%\""),
        ),
        ("no horizon", with("horizon_years = 5", "")),
        (
            "a horizon beyond 30 years",
            with("horizon_years = 5", "horizon_years = 31"),
        ),
        (
            "remove outside a variant",
            format!(
                "{}\n[[costs]]\nname = \"X\"\namount = 1\nremove = true\n",
                common::BASE
            ),
        ),
        (
            "a field of another benefit kind",
            format!(
                "{}\n[[benefits]]\nname = \"B\"\nkind = \"efficiency\"\nhours_saved_per_month = 1\nhourly_cost = 1\nuplift = 0.1\n",
                common::BASE
            ),
        ),
        (
            "an unknown kind",
            format!(
                "{}\n[[benefits]]\nname = \"B\"\nkind = \"savings\"\n",
                common::BASE
            ),
        ),
        (
            "an unknown repetition",
            format!(
                "{}\n[[costs]]\nname = \"X\"\namount = 1\nevery = \"week\"\n",
                common::BASE
            ),
        ),
    ];
    for (what, text) in cases {
        assert!(
            !problems(&v, &text).is_empty(),
            "{what}: the schema accepts\n{text}"
        );
        assert!(
            Scenario::from_toml(&text, Path::new("x.toml")).is_err(),
            "{what}: the program accepts\n{text}"
        );
    }
}

/// A variant states only what differs: no required field, and `remove`
/// in items holding only their name.
#[test]
fn variants_may_leave_out_what_their_base_gives() {
    let v = validator();
    let variant = "extends = \"base.toml\"\n[finance]\ntarget_payback_years = 3\n\
                   [[costs]]\nname = \"Licence\"\nremove = true\n\
                   [[costs]]\nname = \"Seats\"\nunits = 40\n";
    assert_eq!(problems(&v, variant), Vec::<String>::new());
    let base = "abstract = true\n[[benefits]]\nname = \"Time\"\nkind = \"efficiency\"\n";
    assert_eq!(problems(&v, base), Vec::<String>::new());
    // `remove = true` with another field: the program refuses it.
    let both =
        "extends = \"base.toml\"\n[[costs]]\nname = \"Licence\"\nremove = true\namount = 5\n";
    assert!(!problems(&v, both).is_empty());
    // Unknown keys stay unknown in a variant.
    let typo = "extends = \"base.toml\"\n[finance]\ntarget_payback = 3\n";
    assert!(!problems(&v, typo).is_empty());
}

/// Every field says what it is, with its default (or that it is
/// required), and every quantity its unit.
#[test]
fn every_field_has_a_description_with_unit_and_default() {
    let schema = crm_roi::config::scenario_schema();
    let mut objects = vec![("(top level)".to_string(), &schema)];
    for (name, def) in schema["definitions"].as_object().unwrap() {
        if name != "Quantity" {
            objects.push((name.clone(), def));
        }
    }
    let mut fields = 0;
    for (owner, object) in objects {
        for (field, s) in object["properties"].as_object().unwrap() {
            let d = s["description"].as_str().unwrap_or_default();
            let lower = d.to_lowercase();
            if field == "remove" {
                continue;
            }
            assert!(
                lower.contains("default") || lower.contains("required"),
                "{owner}.{field}: {d:?} gives no default"
            );
            let quantity = s.to_string().contains("#/definitions/Quantity");
            assert!(
                !quantity || d.contains("Unit:"),
                "{owner}.{field}: {d:?} gives no unit"
            );
            fields += 1;
        }
    }
    assert!(fields >= 45, "{fields} fields");
}
