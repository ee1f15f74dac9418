//! `crm-roi fit` through the command line: the chart files it writes and
//! keeps (issue 11, item 5), and that it finishes and offers only lines
//! that validate on degenerate data (items 3 and 7).
//!
//! Every test works in its own temporary directory.

mod common;

use common::{Sandbox, assert_no_hidden, entries, stderr_of, stdout_of};
use std::time::Duration;

/// Ten rows of three numeric columns.
const DATA: &str = "a,b,c\n\
    1,10,0.1\n2,14,0.4\n3,11,0.2\n5,19,0.3\n4,12,0.5\n\
    6,15,0.25\n2.5,13,0.35\n3.5,17,0.15\n4.5,16,0.45\n5.5,18,0.3\n";

#[test]
fn fit_keeps_the_charts_of_other_columns() {
    let sb = Sandbox::new();
    sb.write("data.csv", DATA);
    let fit = |column: &str| {
        sb.cmd()
            .args(["fit", "data.csv", "-c", column, "--out", "out"])
            .assert()
            .success();
    };
    fit("a");
    let dir = sb.out().join("fit/data");
    let a_svg = std::fs::read(dir.join("a.svg")).unwrap();
    // A file of the user's in the chart directory.
    sb.write("out/fit/data/notes.txt", "mine");

    // A second fit of another column keeps the first one's chart.
    fit("b");
    assert_eq!(
        entries(&dir),
        [
            ".crm-roi-fit",
            "a.png",
            "a.svg",
            "b.png",
            "b.svg",
            "notes.txt"
        ]
    );
    assert_eq!(std::fs::read(dir.join("a.svg")).unwrap(), a_svg);
    // Fitting a again replaces only its own charts.
    fit("a");
    assert_eq!(entries(&dir).len(), 6);
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.txt")).unwrap(),
        "mine"
    );
    assert_no_hidden(&dir);

    // A chart edited since it was drawn is the user's: kept, and named.
    let edited = String::from_utf8(a_svg)
        .unwrap()
        .replace("</svg>", "<!-- mine --></svg>");
    std::fs::write(dir.join("a.svg"), &edited).unwrap();
    let err = refused(&sb, "a", "out");
    assert!(
        err.contains("a.svg was changed after crm-roi wrote it"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(dir.join("a.svg")).unwrap(), edited);
}

/// `crm-roi fit data.csv -c COLUMN --out OUT`, which must exit with 2;
/// its stderr.
fn refused(sb: &Sandbox, column: &str, out: &str) -> String {
    let a = sb
        .cmd()
        .args(["fit", "data.csv", "-c", column, "--out", out])
        .assert()
        .code(2);
    stderr_of(&a)
}

/// A file of a chart's name that no fit wrote is not drawn over, nor is
/// a directory in its place; an output path through a file is refused.
/// Each with exit code 2 and nothing changed.
#[test]
fn fit_draws_over_no_file_it_did_not_write() {
    let sb = Sandbox::new();
    sb.write("data.csv", DATA);
    sb.write("out/fit/data/a.svg", "my own drawing");
    let err = refused(&sb, "a", "out");
    assert!(
        err.contains("a.svg exists and crm-roi did not write it"),
        "{err}"
    );
    let dir = sb.out().join("fit/data");
    assert_eq!(entries(&dir), ["a.svg"]);
    assert_eq!(
        std::fs::read_to_string(dir.join("a.svg")).unwrap(),
        "my own drawing"
    );
    // A directory where a chart goes.
    std::fs::create_dir(dir.join("b.png")).unwrap();
    let err = refused(&sb, "b", "out");
    assert!(
        err.contains("b.png exists and crm-roi did not write it"),
        "{err}"
    );
    // Through a file.
    sb.write("afile", "x");
    let err = refused(&sb, "c", "afile");
    assert!(err.contains("afile is a file, not a directory"), "{err}");
    assert_eq!(
        std::fs::read_to_string(sb.path().join("afile")).unwrap(),
        "x"
    );
    // Its own charts it replaces.
    for _ in 0..2 {
        sb.cmd()
            .args(["fit", "data.csv", "-c", "c", "--out", "out"])
            .assert()
            .success();
    }
}

/// Data beyond what a scenario holds: nothing can be offered, which is
/// an error (exit code 2), not a result.
#[test]
fn nothing_to_paste_is_an_error() {
    let sb = Sandbox::new();
    sb.write("huge.csv", "x\n1e300\n2e300\n3e300\n1.5e300\n2.5e300\n");
    let out = sb
        .cmd()
        .args(["fit", "huge.csv", "--no-charts"])
        .assert()
        .code(2);
    assert!(
        stderr_of(&out).contains("column `x`: no line can be offered to paste"),
        "{}",
        stderr_of(&out)
    );
    assert!(
        stdout_of(&out).contains("no family can be fitted"),
        "{}",
        stdout_of(&out)
    );
}

#[test]
fn columns_with_alike_file_names_get_their_own_charts() {
    let sb = Sandbox::new();
    // Three names whose safe file forms are all `x_y`.
    let rows: String = (1..=8)
        .map(|i| format!("{i},{},{}\n", i * 2, i * i))
        .collect();
    sb.write("d.csv", &format!("x y,x_y,x/y\n{rows}"));
    sb.cmd()
        .args(["fit", "d.csv", "--out", "out"])
        .assert()
        .success();
    let dir = sb.out().join("fit/d");
    let files: Vec<String> = entries(&dir)
        .into_iter()
        .filter(|f| f != ".crm-roi-fit")
        .collect();
    assert_eq!(files.len(), 6, "{files:?}");
    assert!(files.contains(&"x_y.svg".to_string()), "{files:?}");
    // Each chart is titled with its own column.
    for (column, file) in [("x y", "x y"), ("x/y", "x/y"), ("x_y", "x_y")] {
        let found = files.iter().filter(|f| f.ends_with(".svg")).any(|f| {
            std::fs::read_to_string(dir.join(f))
                .unwrap()
                .contains(&format!("{file}: data and fitted distributions"))
        });
        assert!(found, "no chart of `{column}` in {files:?}");
    }
    // Fitting one of them again, alone, rewrites its own file only.
    let before = common::snapshot(&dir);
    sb.cmd()
        .args(["fit", "d.csv", "-c", "x y", "--out", "out"])
        .assert()
        .success();
    common::assert_same(&before, &common::snapshot(&dir), "refit of `x y`");

    // Names that differ only in case would share a file where case is
    // ignored: a clear error, and nothing written.
    sb.write(
        "e.csv",
        &format!("Hours,hours\n{}", "1,2\n2,3\n3,5\n4,4\n5,6\n"),
    );
    let a = sb
        .cmd()
        .args(["fit", "e.csv", "--out", "out"])
        .assert()
        .code(2);
    assert!(
        stderr_of(&a).contains("columns `Hours` and `hours` would both be drawn to"),
        "{}",
        stderr_of(&a)
    );
    assert!(!sb.out().join("fit/e").exists());
}

#[test]
fn degenerate_columns_finish_and_offer_only_valid_lines() {
    let sb = Sandbox::new();
    // One rounding step apart, near-constant, tiny, subnormal, huge.
    let columns = [
        [
            "0.3",
            "0.30000000000000004",
            "0.3",
            "0.30000000000000004",
            "0.3",
            "0.3",
        ],
        ["1", "1", "1", "1", "1", "1.0000000000000002"],
        [
            "1e-300",
            "1.0000001e-300",
            "1e-300",
            "1.00000002e-300",
            "1.0000003e-300",
            "1e-300",
        ],
        ["5e-324", "1e-323", "5e-324", "1.5e-323", "5e-324", "1e-323"],
        ["1e300", "2e300", "3e300", "1.5e300", "2.5e300", "1.2e300"],
    ];
    let mut csv = String::from("ulp,near,tiny,subnormal,huge\n");
    for row in 0..6 {
        let cells: Vec<&str> = columns.iter().map(|c| c[row]).collect();
        csv.push_str(&cells.join(","));
        csv.push('\n');
    }
    sb.write("deg.csv", &csv);
    // It finishes every column, then exits with code 2: nothing can be
    // offered for the huge one (as for a column with too few values).
    let a = sb
        .cmd()
        .args(["fit", "deg.csv", "--out", "out"])
        .timeout(Duration::from_secs(120))
        .assert()
        .code(2);
    assert!(
        stderr_of(&a).contains("column `huge`: no line can be offered to paste"),
        "{}",
        stderr_of(&a)
    );
    let out = stdout_of(&a);
    for name in ["ulp", "near", "tiny", "subnormal", "huge"] {
        assert!(sb.out().join(format!("fit/deg/{name}.png")).is_file());
    }
    // Every line offered for pasting validates as the amount of a custom
    // benefit (a field that takes any number).
    // (No column is named like a field, so each line's key is the
    // placeholder `<field>`.)
    let lines: Vec<&str> = out
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("<field> = "))
        .collect();
    assert!(lines.len() >= 8, "{out}");
    for line in lines {
        let quantity = line.split_once(" = ").unwrap().1;
        let scenario = format!(
            "horizon_years = 1\n[finance]\ndiscount_rate = 0\ntarget_payback_years = 1\n\
             [[costs]]\nname = \"c\"\namount = 1\n\
             [[benefits]]\nname = \"b\"\nkind = \"custom\"\namount_per_month = {quantity}\n"
        );
        sb.write("s.toml", &scenario);
        let v = sb.cmd().args(["validate", "s.toml"]).assert();
        assert!(v.get_output().status.success(), "{line}: {}", stderr_of(&v));
    }
    // The huge column: nothing to paste, and why.
    assert!(
        out.contains("no family can be fitted and written as a scenario quantity"),
        "{out}"
    );
    assert!(out.contains("1e300 is beyond 1e15"), "{out}");
}

/// Without `--column`, every column is tried; one that is not read (text,
/// or numbers that may carry thousands separators) is named on stderr with
/// its reason rather than passed over in silence.
#[test]
fn skipped_columns_are_named_with_their_reason() {
    let sb = Sandbox::new();
    sb.write(
        "g.csv",
        "project;amount;hours\nA;1.234;1\nB;2.500;2\nC;3.750;3\nD;4.125;4\nE;5.500;5\nF;6.250;6\n",
    );
    let a = sb
        .cmd()
        .args(["fit", "g.csv", "--no-charts"])
        .timeout(Duration::from_secs(60))
        .assert()
        .success();
    let err = stderr_of(&a);
    assert!(err.contains("column `project` skipped"), "{err}");
    assert!(
        err.contains("column `amount` skipped") && err.contains("thousands"),
        "{err}"
    );
    let out = stdout_of(&a);
    assert!(out.contains("g.csv: hours"), "{out}");
    assert!(!out.contains("g.csv: amount"), "{out}");
}

/// A file saved in another encoding than UTF-8 (Excel's plain "CSV" writes
/// é as one byte) is refused with the line to look at, and nothing is
/// written.
#[test]
fn a_file_not_in_utf8_is_refused_with_its_line() {
    let sb = Sandbox::new();
    let mut latin1 = b"city,sales\nParis,10\nLyon,12\nCaf".to_vec();
    latin1.extend([0xe9, b',', b'9', b'\n']);
    std::fs::write(sb.path().join("data.csv"), latin1).unwrap();
    let err = refused(&sb, "sales", "out");
    assert!(
        err.contains(
            "`data.csv` is not UTF-8 text (line 4, byte 4 of the line is not); save it as CSV UTF-8"
        ),
        "{err}"
    );
    assert!(!sb.out().exists());
}
