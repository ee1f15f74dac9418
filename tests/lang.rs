//! `--lang`: a Dutch report, overview, charts, workbooks and printed
//! summary, with the machine-readable files the same in every language;
//! the print stylesheet; singular years.

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{Sandbox, stdout_of};
use std::fs;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The text a reader sees in an HTML page: no style sheet, no raw input
/// paths or code, no tags; entities decoded.
fn visible_text(html: &str) -> String {
    let mut s = html.to_string();
    for (open, close) in [
        ("<style>", "</style>"),
        ("<span class=\"path\">", "</span>"),
        ("<code>", "</code>"),
    ] {
        while let Some(a) = s.find(open) {
            let b = s[a..].find(close).map_or(s.len(), |b| a + b + close.len());
            s.replace_range(a..b, " ");
        }
    }
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
}

/// Words of the English report that must not appear in a Dutch one.
const ENGLISH: &[&str] = &[
    "the",
    "and",
    "futures",
    "future",
    "payback",
    "chance",
    "within",
    "years",
    "year",
    "median",
    "Median",
    "assumption",
    "assumptions",
    "shock",
    "when",
    "which",
    "lose",
    "loses",
    "money",
    "Mean",
    "mean",
    "Share",
    "target",
    "beyond",
    "every",
    "Every",
    "Net",
    "present",
    "value",
    "cumulative",
    "Cumulative",
    "worth",
    "before",
    "sign",
    "Key",
    "drivers",
    "Method",
    "fixed",
    "months",
    "percentile",
    "struck",
    "strikes",
    "Trials",
];

/// Whole words of `text` found in `words`.
fn words_in(text: &str, words: &[&str]) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| words.contains(w))
        .map(str::to_string)
        .collect()
}

/// Removes the user's own text (names, description) of
/// scenarios/midsize-b2b.toml, which no language changes.
fn without_scenario_text(text: &str) -> String {
    let mut t = text.to_string();
    for name in [
        "License and implementation",
        "Training and internal time",
        "Subscription",
        "Time saved",
        "More leads",
        "Lower churn",
        "Cross-selling",
        "Fewer spreadsheets",
        "Major customer bankruptcy",
        "Recession",
        "Sales CRM for 40 users",
        "midsize-b2b",
    ] {
        t = t.replace(name, " ");
    }
    t
}

fn run_in(sb: &Sandbox, out: &str, lang: &str) -> String {
    let a = sb
        .cmd()
        .arg("run")
        .arg(repo().join("scenarios/midsize-b2b.toml"))
        .args([
            "--trials", "5000", "--seed", "42", "--lang", lang, "--out", out,
        ])
        .assert()
        .success();
    stdout_of(&a)
}

#[test]
fn a_dutch_run_is_dutch_and_its_numbers_are_the_same() {
    let sb = Sandbox::new();
    let printed = run_in(&sb, "nl", "nl");
    run_in(&sb, "en", "en");
    let dir = |l: &str| sb.path().join(l).join("midsize-b2b");
    let page = fs::read_to_string(dir("nl").join("report.html")).unwrap();
    assert!(page.contains("<html lang=\"nl\">"));
    let text = visible_text(&page);
    for part in [
        "De kans dat het CRM zich terugverdient binnen de beoogde terugverdientijd van 3 jaar is ",
        "netto contante waarde (NCW)",
        "Puntschatting",
        "Belangrijkste aannames",
        "Belangrijkste waardebepalers",
        "Wat moet er misgaan",
        "Voordat u tekent",
        "Methode",
        "Time saved: bespaarde uren per maand",
        "Simulaties: 5.000; seed: 42",
        // The currency joined to its amount by a no-break space.
        "€\u{a0}",
        "jaar",
        // Chart text, inline.
        "cumulatieve netto kasstroom",
        "Jaren na aanschaf",
    ] {
        assert!(text.contains(part), "the Dutch report lacks {part:?}");
    }
    let english = words_in(&without_scenario_text(&text), ENGLISH);
    assert!(
        english.is_empty(),
        "English words in the Dutch report: {english:?}"
    );
    // No line may end between the currency and its amount: no plain
    // space between "€" and a number in the page's flowing text (an SVG
    // text never wraps).
    let mut flowing = page.clone();
    while let Some(a) = flowing.find("<svg") {
        let b = flowing[a..]
            .find("</svg>")
            .map_or(flowing.len(), |b| a + b + 6);
        flowing.replace_range(a..b, " ");
    }
    let flowing = visible_text(&flowing);
    for (i, _) in flowing.match_indices("€ ") {
        let next = flowing[i + "€ ".len()..].chars().next().unwrap_or(' ');
        assert!(
            !(next.is_ascii_digit() || next == '-' || next == '−'),
            "a breakable space after €: {:?}",
            flowing[i..].chars().take(20).collect::<String>()
        );
    }
    // Dutch numbers: no decimal point (a point only groups thousands).
    let text = text.replace(env!("CARGO_PKG_VERSION"), " ");
    let chars: Vec<char> = text.chars().collect();
    for (i, w) in chars.windows(3).enumerate() {
        if w[0].is_ascii_digit() && w[1] == '.' && w[2].is_ascii_digit() {
            let digits = chars[i + 2..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
            let context: String = chars[i.saturating_sub(30)..(i + 30).min(chars.len())]
                .iter()
                .collect();
            assert_eq!(digits, 3, "an English decimal point: {context:?}");
        }
    }
    // Every chart file is Dutch too.
    for chart in ["fan_chart", "payback", "npv", "tornado", "breakdown"] {
        let svg = fs::read_to_string(dir("nl").join(format!("{chart}.svg"))).unwrap();
        let english = words_in(&without_scenario_text(&visible_text(&svg)), ENGLISH);
        assert!(english.is_empty(), "{chart}.svg: {english:?}");
    }
    // The printed summary.
    for part in [
        "midsize-b2b: 5000 simulaties, seed 42",
        "Kans terugverdiend binnen 3 jaar:",
        "Kans NCW > 0:",
        "NCW (€)",
        "belangrijkste waardebepaler van de NCW: Time saved: bespaarde uren per maand",
    ] {
        assert!(
            printed.contains(part),
            "the printed summary lacks {part:?}:\n{printed}"
        );
    }
    // The machine-readable files are the same in every language.
    for file in [
        "summary.json",
        "percentiles.csv",
        "fan.csv",
        "sensitivity.csv",
    ] {
        assert_eq!(
            fs::read(dir("nl").join(file)).unwrap(),
            fs::read(dir("en").join(file)).unwrap(),
            "{file} differs between languages"
        );
    }
}

/// Every sheet of a workbook: its name and its cells.
fn workbook(p: &Path) -> Vec<(String, calamine::Range<Data>)> {
    let mut wb: Xlsx<_> = open_workbook(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    wb.sheet_names()
        .into_iter()
        .map(|name| {
            let range = wb.worksheet_range(&name).unwrap();
            (name, range)
        })
        .collect()
}

/// A Dutch workbook against the English one of the same run: other sheet
/// names, no English word in the text the program wrote (the scenario's
/// own text and input paths aside), and the same numbers in the same
/// cells.
fn assert_dutch_workbook(nl: &Path, en: &Path, sheets: &[&str]) {
    let (nl, en) = (workbook(nl), workbook(en));
    let names: Vec<&str> = nl.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, sheets);
    assert_eq!(nl.len(), en.len());
    for ((name, n), (_, e)) in nl.iter().zip(&en) {
        assert_eq!(n.get_size(), e.get_size(), "sheet {name}");
        for (row, col, cell) in n.used_cells() {
            let english = e.get((row, col)).unwrap_or(&Data::Empty);
            match (cell, english) {
                (Data::Float(a), Data::Float(b)) => {
                    assert_eq!(a.to_bits(), b.to_bits(), "{name} R{row}C{col}")
                }
                (Data::String(a), Data::String(b)) => {
                    // Input paths (`benefits.More leads.deal_value`) are
                    // not translated.
                    let section = a.split('.').next().unwrap_or("");
                    let is_path = a.contains('.')
                        && !a.contains(". ")
                        && !a.ends_with('.')
                        && section.chars().all(|c| c.is_ascii_lowercase() || c == '_');
                    if is_path {
                        continue;
                    }
                    let found = words_in(&without_scenario_text(a), ENGLISH);
                    assert!(
                        found.is_empty(),
                        "{name} R{row}C{col}: {a:?} has English {found:?} (English: {b:?})"
                    );
                }
                (a, b) => assert_eq!(
                    std::mem::discriminant(a),
                    std::mem::discriminant(b),
                    "{name} R{row}C{col}: {a:?} against {b:?}"
                ),
            }
        }
    }
}

#[test]
fn a_dutch_workbook_has_dutch_words_and_the_same_numbers() {
    let sb = Sandbox::new();
    run_in(&sb, "nl", "nl");
    run_in(&sb, "en", "en");
    let file = |l: &str| sb.path().join(l).join("midsize-b2b/results.xlsx");
    assert_dutch_workbook(
        &file("nl"),
        &file("en"),
        &[
            "Samenvatting",
            "Waaier",
            "Gevoeligheid",
            "Posten",
            "Aannames",
        ],
    );
    let sheets = workbook(&file("nl"));
    let summary = &sheets[0].1;
    let headline = match summary.get((2, 0)) {
        Some(Data::String(s)) => s.clone(),
        other => panic!("no headline: {other:?}"),
    };
    assert!(
        headline.starts_with("Het CRM verdient zich in ")
            && headline.contains(" jaar")
            && headline.contains("mediane NCW € "),
        "{headline}"
    );
    // Dutch numbers in the one sentence that writes them as text.
    assert!(
        !headline
            .as_bytes()
            .windows(3)
            .any(|w| w[0].is_ascii_digit() && w[1] == b'.' && w[2].is_ascii_digit()),
        "{headline}"
    );
}

#[test]
fn a_dutch_batch_overview_and_sweep_chart() {
    let sb = Sandbox::new();
    for (lang, out) in [("nl", "nl"), ("en", "en")] {
        sb.cmd()
            .arg("batch")
            .arg(repo().join("scenarios/variants"))
            .args(["--trials", "2000", "--lang", lang, "--out", out, "-q"])
            .assert()
            .success();
    }
    let index = fs::read_to_string(sb.path().join("nl/index.html")).unwrap();
    assert!(index.contains("<html lang=\"nl\">"));
    let text = visible_text(&index);
    for part in [
        "CRM-rendement: scenario's vergeleken",
        "Mediane NCW",
        "Scenario's vergeleken",
    ] {
        assert!(text.contains(part), "index.html lacks {part:?}");
    }
    assert_eq!(
        fs::read(sb.path().join("nl/batch_summary.csv")).unwrap(),
        fs::read(sb.path().join("en/batch_summary.csv")).unwrap()
    );
    assert_dutch_workbook(
        &sb.path().join("nl/batch_summary.xlsx"),
        &sb.path().join("en/batch_summary.xlsx"),
        &["Scenario's"],
    );
    sb.cmd()
        .arg("sweep")
        .arg(repo().join("scenarios/midsize-b2b.toml"))
        .args(["--set", "adoption.max_level=0.6,0.9", "--trials", "1000"])
        .args(["--lang", "nl", "--out", "sweep", "-q"])
        .assert()
        .success();
    sb.cmd()
        .arg("sweep")
        .arg(repo().join("scenarios/midsize-b2b.toml"))
        .args(["--set", "adoption.max_level=0.6,0.9", "--trials", "1000"])
        .args(["--out", "sweep-en", "-q"])
        .assert()
        .success();
    assert_dutch_workbook(
        &sb.path().join("sweep/sweep/midsize-b2b/sweep.xlsx"),
        &sb.path().join("sweep-en/sweep/midsize-b2b/sweep.xlsx"),
        &["Beslistabel"],
    );
    let svg = fs::read_to_string(sb.path().join("sweep/sweep/midsize-b2b/sweep.svg")).unwrap();
    assert!(
        svg.contains("Mediane NCW"),
        "{}",
        &svg[..svg.len().min(600)]
    );
}

/// "1 year", never "1 years": a horizon and a target of one year, in a
/// scenario that never pays back.
#[test]
fn one_year_is_singular() {
    let sb = Sandbox::new();
    sb.write(
        "s.toml",
        "currency = \"EUR\"\nhorizon_years = 1\n[finance]\ndiscount_rate = 0.05\n\
         target_payback_years = 1\n[[costs]]\nname = \"X\"\namount = 100000\n\
         [[benefits]]\nname = \"B\"\nkind = \"custom\"\namount_per_month = { uniform = [100, 200] }\n",
    );
    let a = sb.run(&["s.toml", "--trials", "500"]).assert().success();
    let printed = stdout_of(&a);
    assert!(printed.contains("P(payback within 1 year):"), "{printed}");
    let dir = sb.out().join("s");
    let page = fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(
        page.contains("cumulative costs still exceed cumulative benefits after 1 year."),
        "report.html"
    );
    for chart in ["fan_chart", "payback"] {
        let svg = fs::read_to_string(dir.join(format!("{chart}.svg"))).unwrap();
        assert!(svg.contains("Target: 1 year"), "{chart}.svg");
        assert!(!svg.contains("1 years"), "{chart}.svg");
    }
    assert!(!page.contains("1 years") && !printed.contains("1 years"));
}

/// The print rules that keep the report to three A4 pages with the
/// headline, the spreadsheet answer and the fan chart on the first (the
/// page counts themselves are measured with Chromium: docs/results.md).
#[test]
fn the_report_prints_on_a4_with_the_answer_first() {
    let sb = Sandbox::new();
    sb.cmd()
        .arg("run")
        .arg(repo().join("scenarios/midsize-b2b.toml"))
        .args(["--trials", "2000", "--out", "out", "-q"])
        .assert()
        .success();
    let page = fs::read_to_string(sb.out().join("midsize-b2b/report.html")).unwrap();
    let css = &page[page.find("<style>").unwrap()..page.find("</style>").unwrap()];
    for rule in [
        "@page{size:A4;",
        "@media print{",
        ".path{display:none}",
        ".grid{display:grid;grid-template-columns:1fr 1fr;",
        "tr,figure,.headline{break-inside:avoid}",
    ] {
        assert!(css.contains(rule), "the style sheet lacks {rule}");
    }
    let at = |what: &str| page.find(what).unwrap_or_else(|| panic!("no {what}"));
    let order = [
        at("<div class=\"headline\">"),
        at("<table class=\"answer\">"),
        at("<figure class=\"fan\">"),
        at("<div class=\"grid\">"),
        at("<h2>Key assumptions</h2>"),
    ];
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert_eq!(page.matches("<figure class=\"small\">").count(), 4);
    // Seed and version at the top, for the printed page.
    assert!(page.contains(&format!(
        "<p class=\"meta\">Computed by crm-roi {} with seed 42",
        env!("CARGO_PKG_VERSION")
    )));
}

/// A `run` into a Dutch batch's directory marks its index.html out of date
/// in Dutch, the overview's language (tests/cli.rs checks the English
/// notice and what it leaves alone).
#[test]
fn a_dutch_overview_says_in_dutch_that_it_is_out_of_date() {
    let sb = Sandbox::new();
    sb.cmd()
        .arg("batch")
        .arg(repo().join("scenarios/variants"))
        .args(["--trials", "1000", "--lang", "nl", "--out", "out", "-q"])
        .assert()
        .success();
    // The run's own language does not matter: the notice is part of the
    // overview.
    sb.cmd()
        .arg("run")
        .arg(repo().join("scenarios/variants/vendor-a.toml"))
        .args(["--trials", "1000", "--out", "out", "-q"])
        .assert()
        .success();
    let index = fs::read_to_string(sb.path().join("out/index.html")).unwrap();
    let notice = index
        .lines()
        .find(|l| l.starts_with("<p data-crm-roi-stale"))
        .unwrap_or_else(|| panic!("no notice in {index}"));
    assert!(notice.contains("<strong>Verouderd:</strong>"), "{notice}");
    assert!(notice.contains("<strong>vendor-a</strong>"), "{notice}");
    assert!(!notice.contains("Out of date"), "{notice}");
}

/// `--date`: the run date in each language's words on the report, as a
/// real date in the workbook, as an ISO date in summary.json; no date
/// without it; a date that is not one is refused with exit code 2.
#[test]
fn the_run_date_is_shown_when_given() {
    let sb = Sandbox::new();
    for (lang, words) in [
        ("en", "Run date: 1 December 2026."),
        ("nl", "Datum van de berekening: 1 december 2026."),
    ] {
        sb.cmd()
            .arg("run")
            .arg(repo().join("scenarios/midsize-b2b.toml"))
            .args(["--trials", "1000", "--date", "2026-12-01", "--lang", lang])
            .args(["--out", lang, "-q"])
            .assert()
            .success();
        let dir = sb.path().join(lang).join("midsize-b2b");
        let page = fs::read_to_string(dir.join("report.html")).unwrap();
        assert!(page.contains(words), "{lang}: no {words:?}");
        let json = fs::read_to_string(dir.join("summary.json")).unwrap();
        assert!(json.contains("\"date\": \"2026-12-01\""), "{json}");
        let sheets = workbook(&dir.join("results.xlsx"));
        let summary = &sheets[0].1;
        let row = (0..summary.height() as u32)
            .find(|&r| {
                matches!(summary.get((r as usize, 0)),
                    Some(Data::String(s)) if s == "Run date" || s == "Datum van de berekening")
            })
            .expect("a run date row");
        match summary.get((row as usize, 1)) {
            // Days since 1899-12-30, Excel's epoch (Python:
            // (date(2026, 12, 1) - date(1899, 12, 30)).days).
            Some(Data::DateTime(d)) => assert_eq!(d.as_f64(), 46357.0),
            other => panic!("{lang}: the run date cell is {other:?}"),
        }
    }

    // Without --date: no date anywhere, and the cell is empty.
    run_in(&sb, "none", "en");
    let dir = sb.path().join("none/midsize-b2b");
    let json = fs::read_to_string(dir.join("summary.json")).unwrap();
    assert!(!json.contains("\"date\""));
    let page = fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(!page.contains("Run date"));

    // Only YYYY-MM-DD: not a date without dashes, a date-time or a
    // date with spaces around it.
    for bad in [
        "2026-13-01",
        "1 December 2026",
        "1800-01-01",
        "",
        "20260228",
        "2026-02-28T12:00:00+05:00",
        " 2026-01-05",
    ] {
        let a = sb
            .cmd()
            .arg("run")
            .arg(repo().join("scenarios/midsize-b2b.toml"))
            .args(["--trials", "100", "--date", bad, "--out", "bad"])
            .assert()
            .code(2);
        let err = common::stderr_of(&a);
        assert!(err.contains("--date"), "{bad}: {err}");
    }
    assert!(!sb.path().join("bad").exists());
}
