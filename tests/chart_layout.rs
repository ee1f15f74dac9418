//! The chart stress test: every chart drawn for extreme inputs (one
//! scenario, fifty, scales of 10³ against 10⁸, 200-character names, a
//! payback target equal to the horizon), its SVG parsed and its layout
//! checked: no text over other text, no text over a data mark (a bar, a
//! band, a curve, a box, a legend key), every text inside the canvas; and
//! for the comparison chart: rows in natural order, each scenario's NPV
//! visible.
//!
//! Text boxes are estimated from the embedded font (assets/fonts, DejaVu
//! Sans) and the SVG's own attributes, as a viewer lays them out: the
//! advance widths and kerning of the glyphs at `font-size`, placed by
//! `text-anchor`, the baseline at `y` + `dy` (plotters writes `0.76em`,
//! `0.5ex` or `-0.5ex`), from cap height (0.76 em above the baseline) to
//! the descender (0.24 em below), rotated by `transform`.
//!
//! Set `CRM_ROI_CHART_DIR` to keep the PNGs of every case there, to look
//! at them.

mod common;

use ab_glyph::{Font, FontRef};
use common::Sandbox;
use crm_roi::config::Scenario;
use crm_roi::engine::{Engine, Settings};
use crm_roi::report::charts::Chart;
use crm_roi::results::Results;
use crm_roi::sampling::Method;
use std::path::Path;

const REGULAR: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../assets/fonts/DejaVuSans-Bold.ttf");

/// An axis-aligned box: x0, y0, x1, y1.
#[derive(Debug, Clone, Copy)]
struct Bx(f64, f64, f64, f64);

impl Bx {
    fn shrink(self, d: f64) -> Bx {
        Bx(self.0 + d, self.1 + d, self.2 - d, self.3 - d)
    }
    fn grow(self, d: f64) -> Bx {
        self.shrink(-d)
    }
    fn meets(&self, o: &Bx) -> bool {
        self.0 < o.2 && o.0 < self.2 && self.1 < o.3 && o.1 < self.3
    }
    /// Whether the segment from `a` to `b` passes through the box
    /// (Liang–Barsky clipping).
    fn cut_by(&self, a: (f64, f64), b: (f64, f64)) -> bool {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let (mut t0, mut t1) = (0.0f64, 1.0f64);
        for (p, q) in [
            (-dx, a.0 - self.0),
            (dx, self.2 - a.0),
            (-dy, a.1 - self.1),
            (dy, self.3 - a.1),
        ] {
            if p == 0.0 {
                if q < 0.0 {
                    return false;
                }
            } else {
                let r = q / p;
                if p < 0.0 {
                    t0 = t0.max(r);
                } else {
                    t1 = t1.min(r);
                }
                if t0 > t1 {
                    return false;
                }
            }
        }
        true
    }
}

struct Label {
    text: String,
    bx: Bx,
    anchor: String,
}

enum Mark {
    Area(Bx),
    Path(Vec<(f64, f64)>, f64),
}

struct Layout {
    size: (f64, f64),
    labels: Vec<Label>,
    marks: Vec<(Mark, String)>,
}

fn num(n: &roxmltree::Node, a: &str) -> f64 {
    n.attribute(a)
        .unwrap_or_else(|| panic!("<{}> lacks {a}", n.tag_name().name()))
        .parse()
        .unwrap_or_else(|e| panic!("{a}: {e}"))
}

fn points(s: &str) -> Vec<(f64, f64)> {
    s.split_whitespace()
        .map(|p| {
            let (x, y) = p.split_once(',').expect("x,y");
            (x.parse().unwrap(), y.parse().unwrap())
        })
        .collect()
}

/// The width of `text` at an em of `size` pixels: advances and kerning.
fn text_width(font: &FontRef, text: &str, size: f64) -> f64 {
    let units = f64::from(font.units_per_em().unwrap());
    let mut w = 0.0;
    let mut prev = None;
    for c in text.chars() {
        let id = font.glyph_id(c);
        if let Some(p) = prev {
            w += f64::from(font.kern_unscaled(p, id));
        }
        w += f64::from(font.h_advance_unscaled(id));
        prev = Some(id);
    }
    w * size / units
}

fn layout(svg: &str) -> Layout {
    let regular = FontRef::try_from_slice(REGULAR).unwrap();
    let bold = FontRef::try_from_slice(BOLD).unwrap();
    let doc = roxmltree::Document::parse(svg).expect("well-formed SVG");
    let root = doc.root_element();
    let size = (num(&root, "width"), num(&root, "height"));
    let mut labels = Vec::new();
    let mut marks = Vec::new();
    for n in doc.descendants().filter(|n| n.is_element()) {
        let opacity: f64 = n.attribute("opacity").map_or(1.0, |o| o.parse().unwrap());
        let colour = n
            .attribute("stroke")
            .filter(|s| *s != "none")
            .or(n.attribute("fill"))
            .unwrap_or("")
            .to_string();
        match n.tag_name().name() {
            "text" => {
                let text = n.text().unwrap_or("").trim().to_string();
                if text.is_empty() {
                    continue;
                }
                let fs = num(&n, "font-size");
                let font = if n.attribute("font-weight") == Some("bold") {
                    &bold
                } else {
                    &regular
                };
                let units = f64::from(font.units_per_em().unwrap());
                let ex = font
                    .outline(font.glyph_id('x'))
                    // ab_glyph keeps the top of an outline in `min.y`.
                    .map(|o| f64::from(o.bounds.min.y.max(o.bounds.max.y)) / units)
                    .unwrap();
                let w = text_width(font, &text, fs);
                let (x, y) = (num(&n, "x"), num(&n, "y"));
                let dy = match n.attribute("dy").unwrap_or("0") {
                    "0.76em" => 0.76 * fs,
                    "0.5ex" => 0.5 * ex * fs,
                    "-0.5ex" => -0.5 * ex * fs,
                    other => panic!("unexpected dy {other}"),
                };
                let anchor = n.attribute("text-anchor").unwrap_or("start").to_string();
                let x0 = match anchor.as_str() {
                    "start" => x,
                    "middle" => x - w / 2.0,
                    "end" => x - w,
                    a => panic!("unexpected anchor {a}"),
                };
                let base = y + dy;
                let mut bx = Bx(x0, base - 0.76 * fs, x0 + w, base + 0.24 * fs);
                if let Some(t) = n.attribute("transform") {
                    let inner = t
                        .strip_prefix("rotate(")
                        .and_then(|t| t.strip_suffix(')'))
                        .unwrap_or_else(|| panic!("unexpected transform {t}"));
                    let v: Vec<f64> = inner
                        .split(',')
                        .map(|s| s.trim().parse().unwrap())
                        .collect();
                    let (a, cx, cy) = (v[0].to_radians(), v[1], v[2]);
                    let rot = |(px, py): (f64, f64)| {
                        let (dx, dy) = (px - cx, py - cy);
                        (
                            cx + dx * a.cos() - dy * a.sin(),
                            cy + dx * a.sin() + dy * a.cos(),
                        )
                    };
                    let c = [
                        rot((bx.0, bx.1)),
                        rot((bx.2, bx.1)),
                        rot((bx.0, bx.3)),
                        rot((bx.2, bx.3)),
                    ];
                    bx = Bx(
                        c.iter().map(|p| p.0).fold(f64::INFINITY, f64::min),
                        c.iter().map(|p| p.1).fold(f64::INFINITY, f64::min),
                        c.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max),
                        c.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max),
                    );
                }
                labels.push(Label { text, bx, anchor });
            }
            // Grid lines are faint; axes and ticks are thin black lines;
            // the background is white. Everything else is data or a key.
            _ if opacity < 0.2 => {}
            "rect" => {
                if n.attribute("fill") == Some("#FFFFFF") {
                    continue;
                }
                let (x, y) = (num(&n, "x"), num(&n, "y"));
                let (x1, y1) = (x + num(&n, "width"), y + num(&n, "height"));
                if n.attribute("fill") == Some("none") {
                    // A frame: only its outline.
                    let sw: f64 = n
                        .attribute("stroke-width")
                        .map_or(1.0, |w| w.parse().unwrap());
                    let p = vec![(x, y), (x1, y), (x1, y1), (x, y1), (x, y)];
                    marks.push((Mark::Path(p, sw), colour));
                } else {
                    marks.push((Mark::Area(Bx(x, y, x1, y1)), colour));
                }
            }
            "polygon" => {
                let p = points(n.attribute("points").unwrap());
                let bx = Bx(
                    p.iter().map(|p| p.0).fold(f64::INFINITY, f64::min),
                    p.iter().map(|p| p.1).fold(f64::INFINITY, f64::min),
                    p.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max),
                    p.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max),
                );
                marks.push((Mark::Area(bx), colour));
            }
            "circle" => {
                let (x, y, r) = (num(&n, "cx"), num(&n, "cy"), num(&n, "r"));
                marks.push((Mark::Area(Bx(x - r, y - r, x + r, y + r)), colour));
            }
            "polyline" | "line" => {
                if colour == "#000000" {
                    continue;
                }
                let sw: f64 = n
                    .attribute("stroke-width")
                    .map_or(1.0, |w| w.parse().unwrap());
                let p = match n.attribute("points") {
                    Some(p) => points(p),
                    None => vec![
                        (num(&n, "x1"), num(&n, "y1")),
                        (num(&n, "x2"), num(&n, "y2")),
                    ],
                };
                marks.push((Mark::Path(p, sw), colour));
            }
            _ => {}
        }
    }
    Layout {
        size,
        labels,
        marks,
    }
}

/// What is wrong with the layout of `svg`.
fn problems(svg: &str) -> Vec<String> {
    let l = layout(svg);
    let mut out = Vec::new();
    let canvas = Bx(0.0, 0.0, l.size.0, l.size.1).grow(1.0);
    for (i, a) in l.labels.iter().enumerate() {
        let b = a.bx;
        if !(b.0 >= canvas.0 && b.1 >= canvas.1 && b.2 <= canvas.2 && b.3 <= canvas.3) {
            out.push(format!("{:?} leaves the canvas: {b:?}", a.text));
        }
        for o in &l.labels[i + 1..] {
            if a.bx.shrink(0.5).meets(&o.bx.shrink(0.5)) {
                out.push(format!("{:?} overlaps {:?}", a.text, o.text));
            }
        }
        let inner = a.bx.shrink(1.0);
        for (m, colour) in &l.marks {
            let hit = match m {
                Mark::Area(r) => inner.meets(r),
                Mark::Path(p, sw) => {
                    let bx = inner.grow(sw / 2.0);
                    p.windows(2).any(|s| bx.cut_by(s[0], s[1]))
                }
            };
            if hit {
                out.push(format!("{:?} covers a mark ({colour})", a.text));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

fn assert_clean(svg: &str, what: &str) {
    let p = problems(svg);
    assert!(
        p.is_empty(),
        "{what}: {} problems:\n{}",
        p.len(),
        p.join("\n")
    );
}

/// Keeps a PNG to look at, when `CRM_ROI_CHART_DIR` is set.
fn keep(png: &Path, name: &str) {
    if let Some(dir) = std::env::var_os("CRM_ROI_CHART_DIR") {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(png, Path::new(&dir).join(name)).unwrap();
    }
}

/// A scenario of scale `s` (its licence costs about `s`), named `name`,
/// with a target of `target` years over `horizon` years.
fn scenario(name: &str, s: f64, horizon: u32, target: u32, item: &str) -> String {
    format!(
        r#"
name = "{name}"
currency = "EUR"
horizon_years = {horizon}
[finance]
discount_rate = 0.08
target_payback_years = {target}
[[costs]]
name = "Licence{item}"
amount = {{ pert = [{a}, {b}, {c}] }}
[[costs]]
name = "Seats"
amount = {seat}
units = 25
every = "month"
[[benefits]]
name = "Saving{item}"
kind = "custom"
amount_per_month = {{ uniform = [{lo}, {hi}] }}
ramps_with_adoption = false
"#,
        a = 0.8 * s,
        b = s,
        c = 1.5 * s,
        seat = s / 2000.0,
        lo = s / 60.0,
        hi = s / 12.0,
    )
}

fn run(text: &str, trials: u64) -> Results {
    let sc = Scenario::from_toml(text, Path::new("t.toml")).unwrap_or_else(|e| panic!("{e}"));
    let settings = Settings::new(trials, 5, Method::MonteCarlo);
    let data = Engine::new(&sc, settings).run(None, &mut |_| {}).unwrap();
    Results::new(&sc, &settings, &data)
}

fn long_name(tag: &str) -> String {
    let mut s = format!("{tag}-");
    while s.chars().count() < 200 {
        s.push_str("very-long-name-");
    }
    s.chars().take(200).collect()
}

#[test]
fn single_charts_at_the_extremes() {
    let cases = [
        ("small", scenario("small", 1e3, 4, 2, "")),
        ("large", scenario("large", 1e8, 4, 2, "")),
        (
            "target-at-horizon",
            scenario("target at horizon", 1e5, 3, 3, ""),
        ),
        ("target-at-horizon-1y", scenario("one year", 1e5, 1, 1, "")),
        (
            "long-names",
            scenario(&long_name("scenario"), 1e5, 5, 5, &long_name("item")),
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for (tag, text) in cases {
        let r = run(&text, 400);
        for chart in Chart::ALL {
            let what = format!("{tag} {}", chart.file_stem());
            let svg = chart.svg(&r).unwrap();
            let p = problems(&svg);
            if !p.is_empty() {
                failures.push(format!("{what}:\n  {}", p.join("\n  ")));
            }
            let png = dir.path().join("c.png");
            chart.png(&r, &png).unwrap();
            keep(&png, &format!("{tag}-{}.png", chart.file_stem()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Runs a batch of `files` (name, text) and returns the comparison SVG.
fn batch(files: &[(String, String)], extra: &[&str], tag: &str) -> String {
    let sb = Sandbox::new();
    for (i, (_, text)) in files.iter().enumerate() {
        sb.write(&format!("in/s{i:02}.toml"), text);
    }
    let mut args = vec!["in", "--trials", "300", "--quiet"];
    args.extend_from_slice(extra);
    sb.batch(&args).assert().success();
    keep(
        &sb.out().join("comparison.png"),
        &format!("{tag}-comparison.png"),
    );
    keep(
        &sb.out().join("comparison.svg"),
        &format!("{tag}-comparison.svg"),
    );
    std::fs::read_to_string(sb.out().join("comparison.svg")).unwrap()
}

/// The row names of a comparison chart top to bottom (right-aligned text
/// left of the first panel), and each one's vertical centre.
fn rows(svg: &str) -> Vec<(String, f64)> {
    let l = layout(svg);
    let mut v: Vec<(String, f64)> = l
        .labels
        .iter()
        .filter(|t| t.anchor == "end" && t.bx.2 < 0.3 * l.size.0)
        .map(|t| (t.text.clone(), (t.bx.1 + t.bx.3) / 2.0))
        .collect();
    v.sort_by(|a, b| a.1.total_cmp(&b.1));
    v
}

/// Whether `shown` is `full`, or `full` shortened around an ellipsis.
fn shows(shown: &str, full: &str) -> bool {
    match shown.split_once('…') {
        None => shown == full,
        Some((head, tail)) => {
            let tail = tail.split(" #").next().unwrap();
            full.starts_with(head) && full.ends_with(tail)
        }
    }
}

/// The horizontal extent, in pixels, of the NPV marks (green) of the row
/// centred at `y`.
fn npv_extent(svg: &str, y: f64) -> f64 {
    let l = layout(svg);
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for (m, colour) in &l.marks {
        if colour != "#2A9D8F" {
            continue;
        }
        let b = match m {
            Mark::Area(b) => *b,
            Mark::Path(p, _) => Bx(
                p.iter().map(|p| p.0).fold(f64::INFINITY, f64::min),
                p.iter().map(|p| p.1).fold(f64::INFINITY, f64::min),
                p.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max),
                p.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max),
            ),
        };
        if b.1 - 1.0 <= y && y <= b.3 + 1.0 {
            lo = lo.min(b.0);
            hi = hi.max(b.2);
        }
    }
    hi - lo
}

/// Checks a comparison chart of scenarios `names` (in natural order).
fn check_comparison(svg: &str, names: &[String], what: &str) {
    assert_clean(svg, what);
    let rows = rows(svg);
    assert_eq!(rows.len(), names.len(), "{what}: {rows:?}");
    for ((shown, y), full) in rows.iter().zip(names) {
        assert!(shows(shown, full), "{what}: row {shown:?} is not {full:?}");
        let e = npv_extent(svg, *y);
        assert!(e >= 8.0, "{what}: the NPV of {full} spans {e} px");
    }
}

#[test]
fn comparison_of_one_scenario() {
    let files = vec![("only".to_string(), scenario("only", 1e5, 4, 2, ""))];
    let svg = batch(&files, &[], "one");
    check_comparison(&svg, &["only".into()], "one scenario");
    // One row does not stand lost in the height made for many.
    let doc = roxmltree::Document::parse(&svg).unwrap();
    assert_eq!(num(&doc.root_element(), "height"), 500.0);
}

#[test]
fn comparison_of_two_scales() {
    let files = vec![
        ("tiny".to_string(), scenario("tiny", 1e3, 4, 2, "")),
        ("huge".to_string(), scenario("huge", 1e8, 4, 2, "")),
    ];
    let svg = batch(&files, &[], "scales");
    check_comparison(&svg, &["huge".into(), "tiny".into()], "1e3 against 1e8");
}

#[test]
fn comparison_of_fifty_scenarios() {
    // option-1 … option-50 at scales from 10³ to 10⁸, written in file order
    // s00 … s49 that is not their natural order, a few with 200-character
    // names that differ only at their end, against a baseline.
    let mut files = Vec::new();
    for i in 0..50usize {
        let k = (i * 17) % 50 + 1;
        let name = if k % 10 == 3 {
            format!("{}-option-{k}", long_name("vendor"))
                .chars()
                .skip(10)
                .collect()
        } else {
            format!("option-{k}")
        };
        let scale = 1e3 * 10f64.powf(5.0 * (k - 1) as f64 / 49.0);
        files.push((
            name.clone(),
            scenario(&name, scale, 3 + (k % 3) as u32, 2, ""),
        ));
    }
    let mut names: Vec<String> = files.iter().map(|f| f.0.clone()).collect();
    names.sort_by(|a, b| natural_order(a, b));
    assert_eq!(names[1], "option-2");
    let svg = batch(&files, &["--baseline", "option-1"], "fifty");
    check_comparison(&svg, &names, "fifty scenarios");
}

/// Natural order, written out independently of the program's.
fn natural_order(a: &str, b: &str) -> std::cmp::Ordering {
    fn key(s: &str) -> Vec<(String, u128)> {
        let mut out = Vec::new();
        let mut text = String::new();
        let mut digits = String::new();
        for c in s.chars() {
            if c.is_ascii_digit() {
                digits.push(c);
            } else {
                if !digits.is_empty() {
                    out.push((std::mem::take(&mut text), digits.parse().unwrap()));
                    digits.clear();
                }
                text.extend(c.to_lowercase());
            }
        }
        out.push((text, digits.parse().unwrap_or(0)));
        out
    }
    key(a).cmp(&key(b)).then(a.cmp(b))
}

#[test]
fn the_checks_can_fail() {
    // Text over text, over a bar and off the canvas are each found.
    let svg = r##"<svg width="200" height="100" xmlns="http://www.w3.org/2000/svg">
<rect x="0" y="0" width="200" height="100" fill="#FFFFFF"/>
<rect x="10" y="50" width="30" height="40" opacity="0.5" fill="#1F5E9E"/>
<text x="12" y="60" dy="0.5ex" text-anchor="start" font-size="14">on the bar</text>
<text x="100" y="10" dy="0.76em" text-anchor="start" font-size="14">beyond the edge</text>
<text x="100" y="14" dy="0.76em" text-anchor="middle" font-size="14">overlapping</text>
</svg>"##;
    let p = problems(svg);
    assert!(
        p.iter().any(|p| p.contains("\"on the bar\" covers a mark")),
        "{p:?}"
    );
    assert!(
        p.iter()
            .any(|p| p.contains("\"beyond the edge\" leaves the canvas")),
        "{p:?}"
    );
    assert!(p.iter().any(|p| p.contains("overlaps")), "{p:?}");
    assert_eq!(p.len(), 3, "{p:?}");
}
