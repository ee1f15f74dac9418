//! The import rules of the README's "How it works", checked on the source:
//! the library's modules import only modules listed before them in
//! [`LAYERS`] (the building blocks, then the stages of a run in their
//! order), and the binary's files import each other without a circle.
//! Test code (`#[cfg(test)]` modules) is not counted: a test may build a
//! scenario to test a distribution.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The library's top-level modules, each allowed to import only those
/// before it: the building blocks (numbers as text, statistics,
/// distributions, the cash-flow model of one trial, the sampler, fitting),
/// then the stages of a run (scenario → engine → results → report), with
/// `solve` (which runs the engine for many values of one input) and
/// `sweep` (which runs variants of a scenario over a grid) before the
/// report, and the shard files of a run split across machines (which hold
/// a part of the engine's data and the report's per-trial rows) last.
const LAYERS: [&str; 15] = [
    "format",
    "lang",
    "stats",
    "dist",
    "model",
    "sampling",
    "fit",
    "config",
    "engine",
    "results",
    "simulation",
    "solve",
    "sweep",
    "report",
    "shard",
];

/// The source of a file without its test code: a `#[cfg(test)]` item and
/// everything after it (the test module comes last in every file).
fn non_test(text: &str) -> &str {
    match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => text,
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Files declared as test-only (`#[cfg(test)] mod name;`), by path.
fn test_only_files(files: &[PathBuf]) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::new();
    for f in files {
        let text = std::fs::read_to_string(f).unwrap();
        let dir = if f.file_name().unwrap() == "mod.rs" || f.file_name().unwrap() == "lib.rs" {
            f.parent().unwrap().to_path_buf()
        } else {
            f.with_extension("")
        };
        let mut lines = text.lines().peekable();
        while let Some(line) = lines.next() {
            if line.trim() == "#[cfg(test)]"
                && let Some(next) = lines.peek()
                && let Some(name) = next
                    .trim()
                    .strip_prefix("mod ")
                    .and_then(|r| r.strip_suffix(';'))
            {
                out.insert(dir.join(format!("{name}.rs")));
                out.insert(dir.join(name).join("mod.rs"));
            }
        }
    }
    out
}

/// The names `prefix` is followed by in `text` (`crate::dist::Quantity`
/// gives `dist`).
fn imported(text: &str, prefix: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (i, _) in text.match_indices(prefix) {
        let name: String = text[i + prefix.len()..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            out.insert(name);
        }
    }
    out
}

#[test]
fn library_modules_import_only_the_layers_below() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut violations = Vec::new();
    let mut files = Vec::new();
    for (rank, module) in LAYERS.iter().enumerate() {
        let dir = src.join(module);
        let mut module_files = Vec::new();
        if dir.is_dir() {
            rust_files(&dir, &mut module_files);
        } else {
            module_files.push(src.join(format!("{module}.rs")));
        }
        let skip = test_only_files(&module_files);
        for f in module_files.into_iter().filter(|f| !skip.contains(f)) {
            let text = std::fs::read_to_string(&f).unwrap();
            for dep in imported(non_test(&text), "crate::") {
                match LAYERS.iter().position(|l| *l == dep) {
                    Some(r) if r > rank => violations.push(format!(
                        "{} ({module}) imports {dep}, a later layer",
                        f.display()
                    )),
                    _ => {}
                }
            }
            files.push(f);
        }
    }
    // Every library module is in LAYERS, so none escapes the rule: those
    // declared `pub mod name;` and those declared through
    // `internal_modules!(a, b, ...)`.
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let mut declared = Vec::new();
    for line in lib.lines().map(str::trim) {
        if let Some(list) = line
            .strip_prefix("internal_modules!(")
            .and_then(|r| r.strip_suffix(");"))
        {
            declared.extend(list.split(',').map(|n| n.trim().to_string()));
        } else if let Some(name) = line
            .split_whitespace()
            .skip_while(|w| *w != "mod")
            .nth(1)
            .and_then(|n| n.strip_suffix(';'))
            .filter(|n| !n.starts_with('$'))
        {
            declared.push(name.to_string());
        }
    }
    declared.sort();
    let mut placed: Vec<String> = LAYERS.iter().map(|l| l.to_string()).collect();
    placed.sort();
    assert_eq!(declared, placed, "the modules of lib.rs and LAYERS differ");
    assert!(files.len() > 40, "found only {} files", files.len());
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[test]
fn the_binary_files_import_each_other_without_a_circle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    // Node names: `main`, `cli`, `interrupt`, `commands`, `commands::run`...
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut command_files = Vec::new();
    rust_files(&src.join("commands"), &mut command_files);
    let mut nodes: Vec<(String, PathBuf)> = vec![
        ("main".into(), src.join("main.rs")),
        ("cli".into(), src.join("cli.rs")),
        ("interrupt".into(), src.join("interrupt.rs")),
    ];
    for f in command_files {
        let stem = f.file_stem().unwrap().to_string_lossy().into_owned();
        let name = if stem == "mod" {
            "commands".to_string()
        } else {
            format!("commands::{stem}")
        };
        nodes.push((name, f));
    }
    let known: BTreeSet<String> = nodes.iter().map(|(n, _)| n.clone()).collect();
    assert!(known.contains("commands::run") && known.contains("commands::batch"));
    for (name, file) in &nodes {
        let text = std::fs::read_to_string(file).unwrap();
        let text = non_test(&text);
        let mut deps = BTreeSet::new();
        for d in imported(text, "crate::") {
            if d == "commands" {
                for sub in imported(text, "crate::commands::") {
                    deps.insert(format!("commands::{sub}"));
                }
            } else {
                deps.insert(d);
            }
        }
        for sub in imported(text, "super::") {
            deps.insert(format!("commands::{sub}"));
        }
        // `main` names its commands through `commands::dispatch` and
        // `commands::common::...`; `commands/mod.rs` through `run::...`.
        let local = if name == "main" {
            Some("commands::")
        } else if name == "commands" {
            Some("")
        } else {
            None
        };
        if let Some(prefix) = local {
            for (other, _) in &nodes {
                if let Some(sub) = other.strip_prefix("commands::")
                    && text.contains(&format!("{prefix}{sub}::"))
                {
                    deps.insert(other.clone());
                }
            }
            if name == "main" && text.contains("commands::dispatch") {
                deps.insert("commands".into());
            }
        }
        deps.retain(|d| known.contains(d) && d != name);
        edges.insert(name.clone(), deps);
    }
    // Depth-first search for a circle.
    fn visit(
        n: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == n) {
            let mut circle = path[i..].to_vec();
            circle.push(n.to_string());
            return Some(circle);
        }
        if done.contains(n) {
            return None;
        }
        path.push(n.to_string());
        for d in edges.get(n).into_iter().flatten() {
            if let Some(c) = visit(d, edges, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(n.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for n in edges.keys() {
        if let Some(circle) = visit(n, &edges, &mut Vec::new(), &mut done) {
            panic!("import circle: {}", circle.join(" -> "));
        }
    }
    // The graph is what the commands' header says: dispatch reaches every
    // command, and no command reaches the dispatcher or main.
    assert!(edges["commands"].contains("commands::batch"));
    assert!(edges["commands::batch"].contains("commands::stage"));
    for (n, deps) in &edges {
        assert!(!deps.contains("main"), "{n} imports main");
        if n.starts_with("commands::") {
            assert!(!deps.contains("commands"), "{n} imports the dispatcher");
        }
    }
}
