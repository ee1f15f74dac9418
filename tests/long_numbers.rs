//! No number that the program writes runs to hundreds of digits: at extreme
//! magnitudes (a subnormal cost, a far-tail truncation, an ROI of 10¹⁸⁷)
//! messages, the printed summary and every result file write an exponent
//! (`5e-324`), and CSV cells still read back as the same numbers. The rules
//! live in `src/format.rs`; this is the end-to-end check.

mod common;

use common::{Sandbox, csv_rows, one_year_with_cost, stderr_of, stdout_of};
use std::fs;
use std::path::Path;

/// Costs that make payback, total costs and ROI extreme, or that a warning
/// or an error message must quote.
const CASES: &[(&str, &str)] = &[
    // Costs from 1e-131 up: ROI up to 1e187, payback down to 1e-130 years.
    ("beta-small-alpha", "{ beta = { alpha = 0.01, beta = 2 } }"),
    ("amount-subnormal", "5e-324"),
    ("pert-subnormal", "{ pert = [0, 5e-324, 1e-323] }"),
    // Keeps 4.9e-198 of the distribution (a warning).
    (
        "normal-far-tail",
        "{ normal = { mean = 0, sd = 1 }, min = 30 }",
    ),
    // Refused, quoting p10 = 1e-300.
    (
        "beta-percentiles-edge",
        "{ beta = { p10 = 1e-300, p90 = 0.9999999999999999 } }",
    ),
];

/// The longest run of digits and points in `text`.
fn longest_number(text: &str) -> usize {
    text.split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .map(str::len)
        .max()
        .unwrap_or(0)
}

/// Every non-PNG file below `dir`.
fn text_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            text_files(&p, out);
        } else if p.extension().is_none_or(|x| x != "png") {
            out.push(p);
        }
    }
}

/// The XML files inside a workbook, one after the other, but for the
/// charts: their caches of the cells' values (which Excel recomputes from
/// the cells) are written by rust_xlsxwriter without an exponent, so at
/// these magnitudes they do run to hundreds of digits. The cells, which
/// are what a reader sees and copies, must not.
fn xlsx_text(p: &Path) -> String {
    let mut z = zip::ZipArchive::new(fs::File::open(p).unwrap()).unwrap();
    let mut all = String::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        if f.name().unwrap().starts_with("xl/charts/") {
            continue;
        }
        std::io::Read::read_to_string(&mut f, &mut all).unwrap();
        all.push('\n');
    }
    all
}

/// 0.30000000000000004 has 19 characters: a round-trip f64 needs at most
/// 17 significant digits, a sign, a point and a few leading zeros.
const LONGEST: usize = 24;

#[test]
fn numbers_at_extreme_magnitudes_stay_short() {
    let sb = Sandbox::new();
    for (name, q) in CASES {
        let file = format!("{name}.toml");
        sb.write(&file, &one_year_with_cost(q));
        let out = format!("out-{name}");
        let a = sb
            .cmd()
            .args(["run", &file, "--trials", "2000", "--export-trials"])
            .args(["--out", &out])
            .assert();
        let (stdout, stderr) = (stdout_of(&a), stderr_of(&a));
        let code = a.get_output().status.code();
        assert!(
            code == Some(0) || code == Some(2),
            "{name}: {code:?}\n{stderr}"
        );
        assert!(
            longest_number(&stdout) <= LONGEST,
            "{name}: the printed summary\n{stdout}"
        );
        assert!(
            longest_number(&stderr) <= LONGEST,
            "{name}: the messages\n{stderr}"
        );
        let dir = sb.path().join(&out);
        if !dir.exists() {
            continue;
        }
        let mut files = Vec::new();
        text_files(&dir, &mut files);
        for f in files {
            let text = if f.extension().is_some_and(|x| x == "xlsx") {
                xlsx_text(&f)
            } else {
                fs::read_to_string(&f).unwrap()
            };
            assert!(
                longest_number(&text) <= LONGEST,
                "{name}: {} holds a number of {} characters",
                f.display(),
                longest_number(&text)
            );
            if f.extension().is_some_and(|x| x == "csv") {
                for row in csv_rows(&f).iter().skip(1) {
                    for cell in row.iter().skip(1).filter(|c| !c.is_empty()) {
                        assert!(
                            cell.parse::<f64>().is_ok(),
                            "{name}: {}: {cell} is not a number",
                            f.display()
                        );
                    }
                }
            }
        }
    }
}

/// The messages quote extreme numbers in exponent form.
#[test]
fn messages_quote_extremes_with_an_exponent() {
    let sb = Sandbox::new();
    sb.write(
        "tail.toml",
        &one_year_with_cost("{ normal = { mean = 0, sd = 1 }, min = 30 }"),
    );
    let a = sb.cmd().args(["validate", "tail.toml"]).assert().success();
    let err = stderr_of(&a);
    assert!(
        err.contains("keeps only 4.90671e-196% of the distribution"),
        "{err}"
    );
    sb.write(
        "edge.toml",
        &one_year_with_cost("{ beta = { p10 = 1e-300, p90 = 0.9999999999999999 } }"),
    );
    let a = sb.cmd().args(["validate", "edge.toml"]).assert().code(2);
    let err = stderr_of(&a);
    assert!(
        err.contains("no beta distribution has p10 = 1e-300 and p90 = 0.9999999999999999"),
        "{err}"
    );
}

/// The CSV cell of the ROI mean is the same number as summary.json's,
/// in exponent form rather than hundreds of digits.
#[test]
fn csv_cells_at_extremes_round_trip() {
    let sb = Sandbox::new();
    sb.write(
        "s.toml",
        &one_year_with_cost("{ beta = { alpha = 0.01, beta = 2 } }"),
    );
    sb.run(&["s.toml", "--trials", "2000", "--no-charts"])
        .assert()
        .success();
    let dir = sb.out().join("s");
    let summary = common::read_json(&dir.join("summary.json"));
    let mean = summary["metrics"]["roi"]["mean"].as_f64().unwrap();
    assert!(mean > 1e15, "the case is extreme: {mean}");
    let rows = csv_rows(&dir.join("percentiles.csv"));
    let col = rows[0].iter().position(|h| h == "mean").unwrap();
    let roi = rows.iter().find(|r| r[0] == "roi").unwrap();
    assert!(roi[col].contains('e'), "{}", roi[col]);
    assert_eq!(roi[col].parse::<f64>().unwrap().to_bits(), mean.to_bits());
}
