//! One hostile scenario (`tests/fixtures/hostile.toml`) carrying markup,
//! NUL, ESC, a carriage return, DEL, a C1 control, a right-to-left override
//! and U+FFFF in every text field, the file name of its CSV and of the
//! scenario itself, run through every command and output format:
//!
//! - HTML (report.html, index.html): only the program's own elements and
//!   attributes, the text shown escaped, no control character;
//! - SVG (charts, and the charts inlined in the HTML): well-formed XML;
//! - CSV: the text reads back as written, control characters as U+FFFD,
//!   a leading `=` neutralised;
//! - PNG: decodes;
//! - the terminal (summary, warnings, `validate`, `batch`, `fit`, errors):
//!   no control character but line feed.

mod common;

use common::{Sandbox, csv_rows, stderr_of, stdout_of};
use std::fs;
use std::path::{Path, PathBuf};

const FIXTURE: &str = include_str!("fixtures/hostile.toml");

/// The hostile tail of every text field, as the fixture writes it.
const HOSTILE: &str = "\"'&\u{0}\u{1b}[31m\r\u{7f}\u{9b}\u{202e}\u{ffff}=1+1";

/// What the outputs show of it: each control, the override and U+FFFF as
/// U+FFFD.
const SHOWN: &str = "\"'&\u{fffd}\u{fffd}[31m\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}=1+1";

const CSV_FILE: &str = "history/<i>'&\u{1b}[31m\r\u{202e}.csv";
const COLUMN: &str = "Column <script>";
const SCENARIO_FILE: &str = "s/x\"><img src=x onerror=alert(6)>\u{1b}[2J.toml";

/// A sandbox holding the hostile scenario (under a hostile file name) and
/// its CSV.
fn sandbox() -> Sandbox {
    let sb = Sandbox::new();
    let column = format!("{COLUMN}{HOSTILE}");
    let mut csv = format!("project,\"{}\"\n", column.replace('"', "\"\""));
    for (i, h) in [30, 10, 20, 50, 20, 40].iter().enumerate() {
        csv.push_str(&format!("P{i},{h}\n"));
    }
    sb.write(&format!("s/{CSV_FILE}"), &csv);
    sb.write(SCENARIO_FILE, FIXTURE);
    sb
}

/// Output for a terminal: no control character but line feed.
fn assert_terminal_safe(text: &str, what: &str) {
    let bad: Vec<char> = text
        .chars()
        .filter(|c| (c.is_control() && *c != '\n') || ('\u{202a}'..='\u{202e}').contains(c))
        .collect();
    assert!(bad.is_empty(), "{what} holds {bad:?}:\n{text}");
}

/// No control character but tab and line feed, no U+FFFF.
fn assert_visible(text: &str, what: &str) {
    let bad: Vec<char> = text
        .chars()
        .filter(|c| {
            (c.is_control() && *c != '\n' && *c != '\t')
                || ('\u{202a}'..='\u{202e}').contains(c)
                || *c == '\u{ffff}'
        })
        .collect();
    assert!(bad.is_empty(), "{what} holds {bad:?}");
}

/// The program's own HTML elements and attributes: anything else was
/// injected.
const ELEMENTS: &[&str] = &[
    "!DOCTYPE",
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "h1",
    "h2",
    "p",
    "div",
    "table",
    "tr",
    "th",
    "td",
    "span",
    "a",
    "code",
    "i",
    "strong",
    "br",
    "ul",
    "li",
    "figure",
    "figcaption",
    "footer",
    "svg",
    "rect",
    "line",
    "polyline",
    "polygon",
    "path",
    "circle",
    "text",
    "g",
];
const ATTRIBUTES: &[&str] = &[
    "lang",
    "charset",
    "name",
    "content",
    "class",
    "href",
    "width",
    "height",
    "viewBox",
    "role",
    "aria-label",
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "cx",
    "cy",
    "r",
    "points",
    "d",
    "fill",
    "stroke",
    "stroke-width",
    "opacity",
    "fill-opacity",
    "stroke-opacity",
    "font-family",
    "font-size",
    "font-weight",
    "font-style",
    "transform",
    "text-anchor",
    "dominant-baseline",
    "dy",
    "dx",
    "html",
];

/// Every tag of `page`, with its attribute names. Text between tags holds
/// no `<` (it is escaped), attribute values are quoted and hold no `"`.
fn tags(page: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let mut rest = page;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        if rest.starts_with("/") {
            continue;
        }
        let end = rest.find('>').expect("a closed tag");
        let tag = &rest[..end];
        // Attribute values (quoted, with no quote inside) dropped, then
        // the name and the attribute names split on white space.
        let unquoted: String = tag.split('"').step_by(2).collect::<Vec<_>>().join(" ");
        let parts: Vec<String> = unquoted
            .split(|c: char| c.is_whitespace() || c == '/')
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect();
        let name = parts.first().cloned().unwrap_or_default();
        let attrs = parts[1.min(parts.len())..]
            .iter()
            .map(|a| a.split('=').next().unwrap().to_string())
            .collect();
        out.push((name, attrs));
        rest = &rest[end..];
    }
    out
}

fn assert_safe_html(path: &Path, must_show: &[&str]) {
    let page = fs::read_to_string(path).unwrap();
    let what = path.display().to_string();
    assert_visible(&page, &what);
    for (name, attrs) in tags(&page) {
        assert!(
            ELEMENTS.contains(&name.as_str()),
            "{what}: element <{name}>"
        );
        for a in attrs {
            assert!(
                ATTRIBUTES.contains(&a.as_str()),
                "{what}: attribute `{a}` in <{name}>"
            );
        }
    }
    for s in must_show {
        assert!(page.contains(s), "{what} does not show {s}");
    }
    // The inlined charts are well-formed XML too.
    let mut rest = page.as_str();
    let mut n = 0;
    while let Some(i) = rest.find("<svg") {
        let end = rest[i..].find("</svg>").expect("a closed svg") + i + 6;
        roxmltree::Document::parse(&rest[i..end])
            .unwrap_or_else(|e| panic!("{what}: inline svg {n}: {e}"));
        rest = &rest[end..];
        n += 1;
    }
}

fn assert_well_formed_svgs(dir: &Path) -> usize {
    let mut n = 0;
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        match p.extension().and_then(|x| x.to_str()) {
            Some("svg") => {
                let text = fs::read_to_string(&p).unwrap();
                roxmltree::Document::parse(&text)
                    .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
                assert_visible(&text, &p.display().to_string());
                n += 1;
            }
            Some("png") => {
                let decoder =
                    png::Decoder::new(std::io::BufReader::new(fs::File::open(&p).unwrap()));
                decoder.read_info().expect("a PNG that decodes");
            }
            _ => {}
        }
    }
    n
}

fn only_dir(parent: &Path) -> PathBuf {
    let dirs: Vec<PathBuf> = fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    assert_eq!(dirs.len(), 1, "{dirs:?}");
    dirs[0].clone()
}

#[test]
fn a_run_shows_hostile_text_but_never_obeys_it() {
    let sb = sandbox();
    let a = sb
        .run(&[SCENARIO_FILE, "--trials", "500", "--export-trials"])
        .assert()
        .success();
    let (out, err) = (stdout_of(&a), stderr_of(&a));
    assert_terminal_safe(&out, "the printed summary");
    assert_terminal_safe(&err, "the warnings");
    assert!(err.contains("can never be positive"), "{err}");
    assert!(out.contains("Name <img src=x onerror=alert(1)>"), "{out}");

    let dir = only_dir(&sb.out());
    assert_safe_html(
        &dir.join("report.html"),
        &[
            "Name &lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;\u{fffd}\u{fffd}[31m",
            "Description &lt;script&gt;alert(2)&lt;/script&gt;",
            "&lt;img src=x onerror=alert(document.domain)&gt;",
            "=Cost &lt;b onmouseover=alert(3)&gt;",
        ],
    );
    assert_eq!(assert_well_formed_svgs(&dir), 5);

    // CSV cells read back as the text shown everywhere else.
    let trials = csv_rows(&dir.join("trials.csv"));
    let cost = format!("'costs.=Cost <b onmouseover=alert(3)>{SHOWN}.amount");
    let cost_plain = cost.trim_start_matches('\'').to_string();
    assert!(trials[0].contains(&cost_plain), "{:?}", trials[0]);
    let sensitivity = csv_rows(&dir.join("sensitivity.csv"));
    let inputs: Vec<&String> = sensitivity[1..].iter().map(|r| &r[0]).collect();
    assert!(
        inputs.contains(&&format!(
            "benefits.Benefit <svg onload=alert(4)>{SHOWN}.hours_saved_per_month"
        )),
        "{inputs:?}"
    );
    for f in [
        "trials.csv",
        "sensitivity.csv",
        "percentiles.csv",
        "fan.csv",
    ] {
        assert_visible(&fs::read_to_string(dir.join(f)).unwrap(), f);
    }
}

#[test]
fn a_batch_overview_escapes_every_name_and_label() {
    let sb = sandbox();
    let a = sb.batch(&["s", "--trials", "500"]).assert().success();
    assert_terminal_safe(&stdout_of(&a), "batch's output");
    assert_terminal_safe(&stderr_of(&a), "batch's warnings");
    let index = sb.out().join("index.html");
    assert_safe_html(
        &index,
        &[
            // The currency label of issue 11, shown and not run.
            "&lt;img src=x onerror=alert(document.domain)&gt;&quot;&#39;&amp;",
            "Name &lt;img src=x onerror=alert(1)&gt;",
        ],
    );
    // Links to the reports: relative, no scheme, nothing but URL-safe bytes.
    let page = fs::read_to_string(&index).unwrap();
    let hrefs: Vec<&str> = page
        .split("href=\"")
        .skip(1)
        .map(|h| &h[..h.find('"').unwrap()])
        .collect();
    assert_eq!(hrefs.len(), 1, "{hrefs:?}");
    for h in hrefs {
        assert!(
            h.starts_with("./")
                && h.ends_with("/report.html")
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-._~/%".contains(&b)),
            "{h}"
        );
    }
    let rows = csv_rows(&sb.out().join("batch_summary.csv"));
    assert_eq!(
        rows[1][1],
        format!("Name <img src=x onerror=alert(1)>{SHOWN}")
    );
    assert!(
        rows[1][0].contains("onerror=alert(6)>\u{fffd}[2J"),
        "{:?}",
        rows[1]
    );
    assert_visible(
        &fs::read_to_string(sb.out().join("batch_summary.csv")).unwrap(),
        "batch_summary.csv",
    );
    let svg = fs::read_to_string(sb.out().join("comparison.svg")).unwrap();
    roxmltree::Document::parse(&svg).expect("a well-formed comparison chart");
    assert_visible(&svg, "comparison.svg");
}

#[test]
fn validate_fit_and_errors_print_no_control_character() {
    let sb = sandbox();
    let a = sb
        .cmd()
        .args(["validate", SCENARIO_FILE])
        .assert()
        .success();
    assert_terminal_safe(&stdout_of(&a), "validate");
    assert_terminal_safe(&stderr_of(&a), "validate's warnings");

    let csv = format!("s/{CSV_FILE}");
    let a = sb
        .cmd()
        .args(["fit", &csv, "--out"])
        .arg(sb.out())
        .assert()
        .success();
    let out = stdout_of(&a);
    assert_terminal_safe(&out, "fit");
    assert!(out.contains(COLUMN), "{out}");
    let charts = only_dir(&sb.out().join("fit"));
    assert!(assert_well_formed_svgs(&charts) >= 1);

    // An error that quotes the hostile text: a misspelt key.
    sb.write(
        "bad.toml",
        &FIXTURE.replace(
            "horizon_years = 3",
            "horizon_years = 3\n\"\\u001b[2Jx\\u0000\" = 1",
        ),
    );
    let a = sb.cmd().args(["validate", "bad.toml"]).assert().code(2);
    let err = stderr_of(&a);
    assert!(err.contains("unknown field"), "{err}");
    assert_terminal_safe(&err, "the error");
    // A CSV file that is not valid: its name is in the error.
    sb.write(&format!("s/{CSV_FILE}"), "project,\"x\u{1b}\"\nA,1,2\n");
    let a = sb.cmd().args(["fit", &csv]).assert().code(2);
    let err = stderr_of(&a);
    assert!(err.contains("1 field") || err.contains("3 fields"), "{err}");
    assert_terminal_safe(&err, "the fit error");
}
