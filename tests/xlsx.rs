//! The workbooks (`results.xlsx`, `batch_summary.xlsx`, `sweep.xlsx`) read
//! back with calamine: every cell equals the number of summary.json or of
//! the CSV file of the same table, blank where those are null or empty;
//! the sheets are there, the two native charts exist (in the archive)
//! and the cells carry their number formats (in `xl/styles.xml`); scenario
//! text stays text; the same run gives the same bytes.

mod common;

use calamine::{Data, Range, Reader, Xlsx, open_workbook};
use common::{BASE, EXAMPLE, Sandbox, base_with, csv_rows, read_json};
use serde_json::Value;
use std::collections::HashMap;
use std::fs;
use std::io::Read;
use std::path::Path;

fn open(p: &Path) -> Xlsx<std::io::BufReader<fs::File>> {
    open_workbook(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn sheet(p: &Path, name: &str) -> Range<Data> {
    open(p)
        .worksheet_range(name)
        .unwrap_or_else(|e| panic!("{}: sheet {name}: {e}", p.display()))
}

/// A cell as a number; `None` for an empty cell. Panics on text.
fn num(r: &Range<Data>, row: u32, col: u32) -> Option<f64> {
    match r.get_value((row, col)) {
        None | Some(Data::Empty) => None,
        Some(Data::Float(x)) => Some(*x),
        Some(Data::Int(i)) => Some(*i as f64),
        Some(other) => panic!("({row}, {col}) is not a number: {other:?}"),
    }
}

/// A cell as text; "" for an empty cell. Panics on a number.
fn text(r: &Range<Data>, row: u32, col: u32) -> String {
    match r.get_value((row, col)) {
        None | Some(Data::Empty) => String::new(),
        Some(Data::String(s)) => s.clone(),
        Some(other) => panic!("({row}, {col}) is not text: {other:?}"),
    }
}

/// The first row at or after `from` whose column A reads `label`.
fn row_of(r: &Range<Data>, label: &str, from: u32) -> u32 {
    let (h, _) = r.get_size();
    (from..h as u32)
        .find(|&i| matches!(r.get_value((i, 0)), Some(Data::String(s)) if s == label))
        .unwrap_or_else(|| panic!("no row {label:?} from row {from}"))
}

/// A JSON number or null.
fn opt(v: &Value) -> Option<f64> {
    if v.is_null() {
        None
    } else {
        Some(v.as_f64().unwrap_or_else(|| panic!("{v} is not a number")))
    }
}

/// A CSV cell as a number; `None` when empty.
fn csv_num(cell: &str) -> Option<f64> {
    (!cell.is_empty()).then(|| {
        cell.parse()
            .unwrap_or_else(|e| panic!("{cell:?} is not a number: {e}"))
    })
}

/// Every row of a CSV file against the rows of a sheet from its top: a
/// number equal to the number, an empty cell where the CSV's is empty,
/// else the same text (`text_cols` are text even when they read as
/// numbers).
fn assert_same_table(csv: &[Vec<String>], r: &Range<Data>, text_cols: &[usize]) {
    assert_eq!(r.get_size().0, csv.len(), "rows");
    for (i, row) in csv.iter().enumerate().skip(1) {
        for (j, cell) in row.iter().enumerate() {
            let (ri, cj) = (i as u32, j as u32);
            if text_cols.contains(&j) || cell.parse::<f64>().is_err() {
                assert_eq!(&text(r, ri, cj), cell, "row {i}, column {j}");
            } else {
                assert_eq!(num(r, ri, cj), csv_num(cell), "row {i}, column {j}");
            }
        }
    }
}

/// The archive's files by name.
fn archive(p: &Path) -> HashMap<String, String> {
    let mut z = zip::ZipArchive::new(fs::File::open(p).unwrap()).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut s = String::new();
            f.read_to_string(&mut s).unwrap();
            (f.name().unwrap().to_string(), s)
        })
        .collect()
}

/// The number format code of cell `a1` of `xl/worksheets/sheetN.xml`.
fn format_of(files: &HashMap<String, String>, sheet_n: usize, a1: &str) -> String {
    let styles = roxmltree::Document::parse(&files["xl/styles.xml"]).unwrap();
    let mut codes: HashMap<String, String> = [
        ("0", "General"),
        ("2", "0.00"),
        ("3", "#,##0"),
        ("9", "0%"),
        ("10", "0.00%"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    for n in styles.descendants().filter(|n| n.has_tag_name("numFmt")) {
        codes.insert(
            n.attribute("numFmtId").unwrap().into(),
            n.attribute("formatCode").unwrap().into(),
        );
    }
    let xfs: Vec<String> = styles
        .descendants()
        .find(|n| n.has_tag_name("cellXfs"))
        .unwrap()
        .children()
        .filter(|n| n.has_tag_name("xf"))
        .map(|n| n.attribute("numFmtId").unwrap_or("0").to_string())
        .collect();
    let ws =
        roxmltree::Document::parse(&files[&format!("xl/worksheets/sheet{sheet_n}.xml")]).unwrap();
    let c = ws
        .descendants()
        .find(|n| n.has_tag_name("c") && n.attribute("r") == Some(a1))
        .unwrap_or_else(|| panic!("no cell {a1} in sheet {sheet_n}"));
    let s: usize = c.attribute("s").unwrap_or("0").parse().unwrap();
    codes[&xfs[s]].clone()
}

/// "B14" for (row 13, column 1), both from 0.
fn a1(row: u32, col: u32) -> String {
    format!("{}{}", (b'A' + col as u8) as char, row + 1)
}

const METRICS: [(&str, &str); 6] = [
    ("Payback", "payback_years"),
    ("Discounted payback", "discounted_payback_years"),
    ("NPV", "npv"),
    ("ROI", "roi"),
    ("Total costs", "total_costs"),
    ("Total benefits", "total_benefits"),
];

fn example_run(sb: &Sandbox, extra: &[&str]) -> std::path::PathBuf {
    sb.write("example.toml", EXAMPLE);
    sb.run(&[&["example.toml", "--trials", "20000", "-q"], extra].concat())
        .assert()
        .success();
    sb.out().join("midsize-b2b")
}

#[test]
fn results_workbook_cells_equal_summary_json_and_the_csv_files() {
    let sb = Sandbox::new();
    let dir = example_run(&sb, &["--no-charts"]);
    let book = dir.join("results.xlsx");
    let j = read_json(&dir.join("summary.json"));
    assert_eq!(
        open(&book).sheet_names(),
        ["Summary", "Fan", "Sensitivity", "Items", "Inputs"]
    );

    // Summary: the run, the probabilities, every percentile.
    let s = sheet(&book, "Summary");
    assert_eq!(text(&s, 0, 0), "midsize-b2b");
    let headline = text(&s, 2, 0);
    assert!(
        headline.starts_with("The CRM pays for itself within the 3-year target in 80% of"),
        "{headline}"
    );
    let value = |label: &str| num(&s, row_of(&s, label, 0), 1);
    assert_eq!(value("Trials"), Some(20000.0));
    assert_eq!(value("Seed"), opt(&j["seed"]));
    assert_eq!(value("Horizon"), opt(&j["horizon_months"]));
    assert_eq!(value("Payback target"), opt(&j["target_payback_years"]));
    let p = &j["probabilities"];
    assert_eq!(
        value("Chance of payback within the target"),
        opt(&p["payback_within_target"])
    );
    assert_eq!(
        value("Chance of payback within the horizon"),
        opt(&p["payback_within_horizon"])
    );
    assert_eq!(
        value("Chance that NPV is positive"),
        opt(&p["npv_positive"])
    );
    assert_eq!(
        value("Standard error of mean NPV"),
        opt(&j["precision"]["npv_mean_se"])
    );
    let table = row_of(&s, "Percentiles", 0);
    let fields = [
        "p5",
        "p10",
        "p25",
        "p50",
        "p75",
        "p90",
        "p95",
        "mean",
        "sd",
        "censored_fraction",
        "undefined_fraction",
    ];
    for (label, key) in METRICS {
        let row = row_of(&s, label, table);
        for (c, f) in fields.iter().enumerate() {
            let want = j["metrics"][key].get(f).and_then(opt);
            assert_eq!(num(&s, row, 1 + c as u32), want, "{key}.{f}");
        }
    }
    // The single number against the simulation.
    let single = row_of(&s, "The single number against the simulation", table);
    for (label, key, eight) in [
        ("Payback", "payback_years", Some("payback_years")),
        ("Discounted payback", "discounted_payback_years", None),
        ("NPV", "npv", Some("npv")),
        ("ROI", "roi", Some("roi")),
    ] {
        let row = row_of(&s, label, single);
        assert_eq!(num(&s, row, 1), opt(&j["spreadsheet"][key]), "{key}");
        assert_eq!(num(&s, row, 2), opt(&j["metrics"][key]["p50"]), "{key}");
        assert_eq!(
            num(&s, row, 3),
            eight.and_then(|e| opt(&j["eight_in_ten"][e])),
            "{key}"
        );
    }

    // Fan: every cell of fan.csv.
    let fan = csv_rows(&dir.join("fan.csv"));
    assert_eq!(fan.len(), 62, "a header and months 0 to 60");
    assert_same_table(&fan, &sheet(&book, "Fan"), &[]);

    // Sensitivity: the rows of sensitivity.csv (the path in column B),
    // then the tornado's changes and the value of information.
    let sens = csv_rows(&dir.join("sensitivity.csv"));
    let r = sheet(&book, "Sensitivity");
    for (i, row) in sens.iter().enumerate().skip(1) {
        assert_eq!(text(&r, i as u32, 1), row[0]);
        for c in 1..row.len() {
            assert_eq!(num(&r, i as u32, 1 + c as u32), csv_num(&row[c]), "{row:?}");
        }
    }
    let mean = opt(&j["metrics"]["npv"]["mean"]).unwrap();
    let at = row_of(&r, "Mean NPV", 0);
    assert_eq!(num(&r, at, 1), Some(mean));
    let top = &j["sensitivity"]
        .as_array()
        .unwrap()
        .iter()
        .max_by(|a, b| {
            let e = |x: &Value| {
                (x["npv_mean_high"].as_f64().unwrap() - x["npv_mean_low"].as_f64().unwrap()).abs()
            };
            e(a).total_cmp(&e(b))
        })
        .unwrap();
    assert_eq!(
        num(&r, at + 2, 1),
        Some(top["npv_mean_low"].as_f64().unwrap() - mean),
        "the top bar of the tornado"
    );
    assert_eq!(
        num(&r, at + 2, 2),
        Some(top["npv_mean_high"].as_f64().unwrap() - mean)
    );
    let voi = &j["value_of_information"];
    let at = row_of(&r, "Value of perfect information (EVPI)", 0);
    assert_eq!(num(&r, at, 1), opt(&voi["evpi"]));
    assert_eq!(num(&r, at + 1, 1), opt(&voi["evpi_se"]));
    assert_eq!(num(&r, at + 2, 1), opt(&voi["trials"]));
    let values = voi["inputs"].as_array().unwrap();
    assert!(!values.is_empty());
    for (k, v) in values.iter().enumerate() {
        let row = at + 4 + k as u32;
        assert_eq!(text(&r, row, 1), v["path"].as_str().unwrap());
        assert_eq!(num(&r, row, 2), opt(&v["evppi"]));
        assert_eq!(num(&r, row, 3), opt(&v["se"]));
        assert_eq!(num(&r, row, 4), opt(&v["contribution_to_variance"]));
    }

    // Items and Inputs.
    let r = sheet(&book, "Items");
    let items = j["items"].as_array().unwrap();
    assert_eq!(r.get_size().0, 1 + items.len());
    for (k, it) in items.iter().enumerate() {
        let row = 1 + k as u32;
        assert_eq!(text(&r, row, 0), it["name"].as_str().unwrap());
        assert_eq!(text(&r, row, 1), it["kind"].as_str().unwrap());
        assert_eq!(num(&r, row, 2), opt(&it["mean_total"]));
    }
    let r = sheet(&book, "Inputs");
    let inputs = j["inputs"].as_array().unwrap();
    assert_eq!(r.get_size().0, 1 + inputs.len());
    for (k, a) in inputs.iter().enumerate() {
        let row = 1 + k as u32;
        assert_eq!(text(&r, row, 1), a["input"].as_str().unwrap());
        assert_eq!(text(&r, row, 2), a["distribution"].as_str().unwrap());
        assert_eq!(
            text(&r, row, 3),
            if a["per_occurrence"].as_bool().unwrap() {
                "yes"
            } else {
                ""
            }
        );
        for (c, f) in ["p10", "p50", "p90"].iter().enumerate() {
            assert_eq!(num(&r, row, 5 + c as u32), opt(&a[f]), "{a}");
        }
    }
    let at = |path: &str| {
        (1 + inputs
            .iter()
            .position(|a| a["input"] == path)
            .unwrap_or_else(|| panic!("no input {path}"))) as u32
    };
    assert_eq!(
        text(&r, at("costs.Subscription.amount"), 4),
        "EUR per unit per payment"
    );
    assert_eq!(text(&r, at("adoption.max_level"), 4), "share");
}

#[test]
fn null_is_an_empty_cell() {
    // Never pays back: every payback statistic is null in summary.json.
    let sb = Sandbox::new();
    sb.write(
        "s.toml",
        &base_with("hourly_cost = 50", "hourly_cost = 0.1"),
    );
    sb.run(&["s.toml", "-n", "2000", "-q", "--no-charts"])
        .assert()
        .success();
    let dir = sb.out().join("s");
    let j = read_json(&dir.join("summary.json"));
    assert!(j["metrics"]["payback_years"]["p5"].is_null());
    let s = sheet(&dir.join("results.xlsx"), "Summary");
    assert_eq!(
        text(&s, 2, 0),
        "The investment does not pay back within the 5-year horizon in any simulated future."
    );
    let row = row_of(&s, "Payback", row_of(&s, "Percentiles", 0));
    for c in 1..=9 {
        assert_eq!(num(&s, row, c), None, "column {c}");
    }
    assert_eq!(
        num(&s, row, 10),
        Some(1.0),
        "every trial is beyond the horizon"
    );
    assert_eq!(value_right_of(&s, "Chance that NPV is positive"), Some(0.0));
}

fn value_right_of(s: &Range<Data>, label: &str) -> Option<f64> {
    num(s, row_of(s, label, 0), 1)
}

#[test]
fn the_workbook_has_two_native_charts_and_number_formats() {
    let sb = Sandbox::new();
    let dir = example_run(&sb, &["--no-charts"]);
    let book = dir.join("results.xlsx");
    let files = archive(&book);

    // The fan: a line chart of the seven percentiles over the Fan sheet's
    // 61 months; the tornado: a horizontal bar chart of two series over
    // the Sensitivity sheet.
    let fan = &files["xl/charts/chart1.xml"];
    assert!(fan.contains("<c:lineChart>"), "{fan}");
    assert_eq!(fan.matches("<c:ser>").count(), 7);
    assert!(fan.contains("Fan!$B$2:$B$62") && fan.contains("Fan!$H$2:$H$62"));
    let tornado = &files["xl/charts/chart2.xml"];
    assert!(tornado.contains("<c:barChart>") && tornado.contains("<c:barDir val=\"bar\"/>"));
    assert_eq!(tornado.matches("<c:ser>").count(), 2);
    assert!(tornado.contains("Sensitivity!$B$"));
    assert!(files.contains_key("xl/drawings/drawing1.xml"));
    assert!(files.contains_key("xl/drawings/drawing2.xml"));

    // Every sheet prints landscape on A4, one page wide, not with its
    // columns split over pages.
    for n in 1..=5 {
        let ws = &files[&format!("xl/worksheets/sheet{n}.xml")];
        assert!(ws.contains("<pageSetUpPr fitToPage=\"1\"/>"), "sheet {n}");
        assert!(
            ws.contains("<pageSetup paperSize=\"9\" fitToHeight=\"0\" orientation=\"landscape\""),
            "sheet {n}"
        );
    }

    // Number formats: money with the currency, percentages, years.
    let s = sheet(&book, "Summary");
    let money = "\"EUR \"#,##0;\"EUR \"-#,##0";
    let table = row_of(&s, "Percentiles", 0);
    let npv = row_of(&s, "NPV", table);
    assert_eq!(format_of(&files, 1, &a1(npv, 4)), money);
    let roi = row_of(&s, "ROI", table);
    assert_eq!(format_of(&files, 1, &a1(roi, 4)), "0.0%");
    let payback = row_of(&s, "Payback", table);
    assert_eq!(format_of(&files, 1, &a1(payback, 4)), "0.00\" years\"");
    assert_eq!(format_of(&files, 1, &a1(payback, 10)), "0.0%");
    let p = row_of(&s, "Chance that NPV is positive", 0);
    assert_eq!(format_of(&files, 1, &a1(p, 1)), "0.0%");
    assert_eq!(
        format_of(&files, 1, &a1(row_of(&s, "Horizon", 0), 1)),
        "0\" months\""
    );
    // Fan: money; Sensitivity: correlations and shares.
    assert_eq!(format_of(&files, 2, "D30"), money);
    assert_eq!(format_of(&files, 3, "C2"), "0.00");
    assert_eq!(format_of(&files, 3, "G2"), "0.0%");
    // Inputs: money to the cent, shares as percentages.
    let r = sheet(&book, "Inputs");
    let row = |path: &str| {
        (0..r.get_size().0 as u32)
            .find(|&i| text(&r, i, 1) == path)
            .unwrap()
    };
    assert_eq!(
        format_of(&files, 5, &a1(row("costs.Subscription.amount"), 6)),
        "\"EUR \"#,##0.00;\"EUR \"-#,##0.00"
    );
    assert_eq!(
        format_of(&files, 5, &a1(row("adoption.max_level"), 6)),
        "0.00%"
    );
}

#[test]
fn the_same_run_gives_the_same_workbook() {
    let sb = Sandbox::new();
    sb.write("example.toml", EXAMPLE);
    let mut books = Vec::new();
    for (out, threads) in [("a", "1"), ("b", "3")] {
        sb.cmd()
            .env("RAYON_NUM_THREADS", threads)
            .args([
                "run",
                "example.toml",
                "-n",
                "5000",
                "-q",
                "--no-charts",
                "--out",
                out,
            ])
            .assert()
            .success();
        books.push(fs::read(sb.path().join(out).join("midsize-b2b/results.xlsx")).unwrap());
        // A second later the clock has moved on; the file must not.
        std::thread::sleep(std::time::Duration::from_millis(1100));
    }
    assert!(
        books[0] == books[1],
        "results.xlsx differs between two runs"
    );
    let files = archive(&sb.path().join("a/midsize-b2b/results.xlsx"));
    assert!(
        files["docProps/core.xml"].contains("1980-01-01T00:00:00Z"),
        "{}",
        files["docProps/core.xml"]
    );
}

#[test]
fn scenario_text_stays_text() {
    let sb = Sandbox::new();
    let text_in = base_with("name = \"License\"", "name = \"=SUM(A1) \\u001b[31m\"").replacen(
        "horizon_years = 5",
        "horizon_years = 5\ncurrency = \"a\\\"b\"",
        1,
    );
    sb.write("s.toml", &text_in);
    sb.run(&["s.toml", "-n", "2000", "-q", "--no-charts"])
        .assert()
        .success();
    let book = sb.out().join("s/results.xlsx");
    let r = sheet(&book, "Items");
    assert_eq!(text(&r, 1, 0), "=SUM(A1) \u{fffd}[31m");
    let files = archive(&book);
    assert!(!files["xl/worksheets/sheet4.xml"].contains("<f>"));
    // A quote in the currency label cannot end the format's literal.
    let s = sheet(&book, "Summary");
    let npv = row_of(&s, "NPV", row_of(&s, "Percentiles", 0));
    assert_eq!(
        format_of(&files, 1, &a1(npv, 4)),
        "\"a\"\\\"\"b \"#,##0;\"a\"\\\"\"b \"-#,##0"
    );
}

#[test]
fn batch_workbook_equals_batch_summary_csv() {
    let sb = Sandbox::new();
    sb.write("scen/a.toml", BASE);
    sb.write(
        "scen/b.toml",
        &base_with("hourly_cost = 50", "hourly_cost = 45"),
    );
    sb.batch(&[
        "scen",
        "--baseline",
        "a",
        "--trials",
        "3000",
        "-q",
        "--no-charts",
    ])
    .assert()
    .success();
    let book = sb.out().join("batch_summary.xlsx");
    assert_eq!(open(&book).sheet_names(), ["Scenarios"]);
    let csv = csv_rows(&sb.out().join("batch_summary.csv"));
    let r = sheet(&book, "Scenarios");
    assert_eq!(text(&r, 0, 0), "File");
    assert_eq!(r.get_size().1, csv[0].len());
    // File, name and baseline are text.
    assert_same_table(&csv, &r, &[0, 1, 13]);
    assert!(num(&r, 2, 14).is_some(), "the paired comparison is there");
}

#[test]
fn sweep_workbook_equals_sweep_csv() {
    let sb = Sandbox::new();
    sb.write("example.toml", EXAMPLE);
    sb.cmd()
        .args(["sweep", "example.toml", "-n", "2000", "-q", "--no-charts"])
        .args(["--set", "adoption.max_level=0.6,0.9"])
        .args([
            "--set",
            "costs.Subscription.amount=80,{ pert = [90, 100, 130] }",
        ])
        .arg("--out")
        .arg(sb.out())
        .assert()
        .success();
    let dir = sb.out().join("sweep/midsize-b2b");
    let csv = csv_rows(&dir.join("sweep.csv"));
    let r = sheet(&dir.join("sweep.xlsx"), "Sweep");
    assert_eq!(r.get_size().1, csv[0].len());
    assert_same_table(&csv, &r, &[0]);
    assert_eq!(text(&r, 2, 2), "{ pert = [90, 100, 130] }");
    assert_eq!(num(&r, 1, 1), Some(0.6));
}
