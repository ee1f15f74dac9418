//! The corpus of invalid scenarios in `tests/invalid/`: each file starts
//! with `# expect: <fragment>` and `# field: <field path>` (empty for the
//! file as a whole). `validate` and `run` must both exit with code 2, name
//! the file and the field, say what is wrong, write nothing and never
//! panic.

mod common;

use common::{Sandbox, stderr_of};
use std::fs;
use std::path::Path;

fn expectation(text: &str, key: &str) -> String {
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("# {key}:")))
        .unwrap_or_else(|| panic!("no `# {key}:` line"))
        .trim()
        .to_string()
}

#[test]
fn every_invalid_scenario_is_rejected_with_a_clear_message() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/invalid");
    let mut files: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 30, "the corpus has {} files", files.len());
    let sb = Sandbox::new();
    for file in &files {
        let text = fs::read_to_string(file).unwrap();
        let (want, field) = (expectation(&text, "expect"), expectation(&text, "field"));
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        for command in ["validate", "run"] {
            let mut cmd = sb.cmd();
            cmd.arg(command).arg(file);
            if command == "run" {
                cmd.args(["--trials", "50", "--out"]).arg(sb.out());
            }
            let a = cmd.assert().code(2);
            let err = stderr_of(&a);
            assert!(!err.contains("panicked"), "{name}: {err}");
            assert!(err.contains(&name), "{name}: the file is not named:\n{err}");
            assert!(err.contains(&want), "{name}: lacks `{want}`:\n{err}");
            if !field.is_empty() {
                assert!(
                    err.contains(&format!(": {field}")),
                    "{name}: the field `{field}` is not named:\n{err}"
                );
            }
        }
    }
    assert!(!sb.out().exists(), "an invalid scenario wrote results");
}
