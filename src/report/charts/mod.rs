//! The charts of a run, drawn with plotters from the [`Results`] (never from
//! raw trials), each written as SVG and PNG: one chart per file here.
//!
//! Text in PNGs is rendered with DejaVu Sans, embedded in the binary
//! (`assets/fonts`, with its licence), so charts look the same on a machine
//! without any fonts and the binary links neither fontconfig nor freetype.
//! Text is measured and, in PNGs, drawn by [`glyphs`] (plotters' own text
//! drawing misplaces glyphs). SVGs name the font family (DejaVu Sans, then
//! sans-serif) and let the viewer render the text. Legends sit below the
//! plot and notes above it, never over data; names too long for their
//! place are shortened with an ellipsis ([`names`]). Every
//! chart draws through `visible::Visible`, which cleans the text it draws
//! of control characters (`docs/results.md`, "User text in the outputs").

mod breakdown;
mod comparison;
mod fan;
pub mod fit;
mod glyphs;
mod names;
mod npv;
mod payback;
mod sweep;
mod tornado;
mod visible;

use visible::Visible;

use crate::lang::{Lang, fill};
use crate::results::Results;
use anyhow::{Result, anyhow};
use plotters::chart::MeshStyle;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::Path;
use std::sync::Once;

/// Pixel size of every chart: readable on a slide.
pub const SIZE: (u32, u32) = (1200, 700);

/// The font family every chart uses: the name under which the embedded
/// fonts are registered, and the SVG's `font-family`, so that a viewer with
/// DejaVu Sans draws the SVG as the PNG (and as the layout measured it),
/// and one without falls back to its sans-serif, mostly narrower.
pub(crate) const FONT: &str = "DejaVu Sans, sans-serif";

/// One palette for all charts.
pub(crate) mod palette {
    use plotters::style::RGBColor;
    /// Bands and lines of the simulated distribution.
    pub const BLUE: RGBColor = RGBColor(31, 94, 158);
    /// Benefits, positive outcomes.
    pub const GREEN: RGBColor = RGBColor(42, 157, 143);
    /// Costs, losses, negative outcomes.
    pub const RED: RGBColor = RGBColor(200, 72, 60);
    /// The target and other markers.
    pub const ORANGE: RGBColor = RGBColor(230, 130, 20);
    /// What lies outside the horizon; zero lines.
    pub const GREY: RGBColor = RGBColor(120, 120, 120);
    /// Text.
    pub const INK: RGBColor = RGBColor(40, 40, 40);
}

/// The five charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Chart {
    Fan,
    Payback,
    Npv,
    Tornado,
    Breakdown,
}

type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

impl Chart {
    pub const ALL: [Chart; 5] = [
        Chart::Fan,
        Chart::Payback,
        Chart::Npv,
        Chart::Tornado,
        Chart::Breakdown,
    ];

    /// File name without extension.
    pub fn file_stem(self) -> &'static str {
        match self {
            Chart::Fan => "fan_chart",
            Chart::Payback => "payback",
            Chart::Npv => "npv",
            Chart::Tornado => "tornado",
            Chart::Breakdown => "breakdown",
        }
    }

    /// A one-line caption for the report, in English.
    pub fn caption(self) -> &'static str {
        self.caption_in(Lang::En)
    }

    /// A one-line caption for the report, in `lang`.
    pub fn caption_in(self, lang: Lang) -> &'static str {
        let t = lang.t();
        match self {
            Chart::Fan => t.caption_fan,
            Chart::Payback => t.caption_payback,
            Chart::Npv => t.caption_npv,
            Chart::Tornado => t.caption_tornado,
            Chart::Breakdown => t.caption_breakdown,
        }
    }

    fn draw<DB: DrawingBackend>(
        self,
        root: &DrawingArea<DB, Shift>,
        r: &Results,
        lang: Lang,
    ) -> DrawResult<DB> {
        root.fill(&WHITE)?;
        match self {
            Chart::Fan => fan::draw(root, r, lang),
            Chart::Payback => payback::draw(root, r, lang),
            Chart::Npv => npv::draw(root, r, lang),
            Chart::Tornado => tornado::draw(root, r, lang),
            Chart::Breakdown => breakdown::draw(root, r, lang),
        }
    }

    /// The chart as an SVG document, in English.
    pub fn svg(self, r: &Results) -> Result<String> {
        self.svg_in(r, Lang::En)
    }

    /// The chart as an SVG document, in `lang`.
    pub fn svg_in(self, r: &Results, lang: Lang) -> Result<String> {
        to_svg(SIZE, self.file_stem(), |root| self.draw(root, r, lang))
    }

    /// The chart as a PNG file at `path`, in English.
    pub fn png(self, r: &Results, path: &Path) -> Result<()> {
        self.png_in(r, path, Lang::En)
    }

    /// The chart as a PNG file at `path`, in `lang`.
    pub fn png_in(self, r: &Results, path: &Path, lang: Lang) -> Result<()> {
        to_png(SIZE, path, |root| self.draw(root, r, lang))
    }
}

/// Draws a chart of `size` into an SVG document.
fn to_svg(
    size: (u32, u32),
    what: &str,
    draw: impl FnOnce(
        &DrawingArea<Visible<SVGBackend>, Shift>,
    ) -> DrawResult<Visible<SVGBackend<'static>>>,
) -> Result<String> {
    register_fonts();
    let mut out = String::new();
    {
        let root = Visible {
            inner: SVGBackend::with_string(&mut out, size),
            raster: false,
        }
        .into_drawing_area();
        draw(&root).map_err(|e| anyhow!("cannot draw {what}: {e}"))?;
        root.present()
            .map_err(|e| anyhow!("cannot draw {what}: {e}"))?;
    }
    Ok(out)
}

/// Draws a chart of `size` into a PNG file.
fn to_png(
    size: (u32, u32),
    path: &Path,
    draw: impl FnOnce(
        &DrawingArea<Visible<BitMapBackend>, Shift>,
    ) -> DrawResult<Visible<BitMapBackend<'static>>>,
) -> Result<()> {
    register_fonts();
    let root = Visible {
        inner: BitMapBackend::new(path, size),
        raster: true,
    }
    .into_drawing_area();
    draw(&root).map_err(|e| anyhow!("cannot draw {}: {e}", path.display()))?;
    root.present()
        .map_err(|e| anyhow!("cannot write {}: {e}", path.display()))?;
    Ok(())
}

impl Chart {
    /// A caption for the batch comparison chart, in English.
    pub fn comparison_caption() -> &'static str {
        Self::comparison_caption_in(Lang::En)
    }

    /// A caption for the batch comparison chart, in `lang`.
    pub fn comparison_caption_in(lang: Lang) -> &'static str {
        lang.t().caption_comparison
    }
}

/// The batch comparison chart as an SVG document.
pub fn comparison_svg(entries: &[crate::results::BatchEntry], lang: Lang) -> Result<String> {
    to_svg(comparison::size(entries), "the comparison", |root| {
        comparison::draw(root, entries, lang)
    })
}

/// The batch comparison chart as a PNG file.
pub fn comparison_png(
    entries: &[crate::results::BatchEntry],
    path: &Path,
    lang: Lang,
) -> Result<()> {
    to_png(comparison::size(entries), path, |root| {
        comparison::draw(root, entries, lang)
    })
}

/// The pixel size of the comparison chart of `entries`: 1600 wide, and
/// tall enough for a row per scenario (at least 800).
pub use comparison::size as comparison_size;

/// The chart of a sweep (one or two swept fields) as an SVG document.
pub fn sweep_svg(table: &crate::sweep::Table, lang: Lang) -> Result<String> {
    to_svg(sweep::SIZE, "the sweep chart", |root| {
        sweep::draw(root, table, lang)
    })
}

/// The chart of a sweep as a PNG file.
pub fn sweep_png(table: &crate::sweep::Table, path: &Path, lang: Lang) -> Result<()> {
    to_png(sweep::SIZE, path, |root| sweep::draw(root, table, lang))
}

/// Registers the embedded fonts with plotters, once per process.
pub fn register_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The fonts are compiled in and known to parse; a failure here is a
        // broken build, caught by the chart tests. plotters needs them for
        // its own text styles; the text itself is measured and drawn by
        // `glyphs`.
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, glyphs::REGULAR);
        let _ = plotters::style::register_font(FONT, FontStyle::Bold, glyphs::BOLD);
    });
}

/// Text styles shared by the charts.
pub(crate) fn title_style() -> TextStyle<'static> {
    (FONT, 30)
        .into_font()
        .style(FontStyle::Bold)
        .color(&palette::INK)
}

pub(crate) fn label_style() -> TextStyle<'static> {
    (FONT, 18).into_font().color(&palette::INK)
}

pub(crate) fn axis_style() -> TextStyle<'static> {
    (FONT, 20).into_font().color(&palette::INK)
}

pub(crate) fn note_style() -> TextStyle<'static> {
    (FONT, 20)
        .into_font()
        .style(FontStyle::Bold)
        .color(&palette::INK)
}

/// The grid and text of every chart's axes.
pub(crate) fn house_mesh<'a, 'b, X: Ranged, Y: Ranged, DB: DrawingBackend>(
    mesh: &'b mut MeshStyle<'a, 'b, X, Y, DB>,
) -> &'b mut MeshStyle<'a, 'b, X, Y, DB> {
    mesh.label_style(label_style())
        .axis_desc_style(axis_style())
        .light_line_style(RGBAColor(0, 0, 0, 0.05))
        .bold_line_style(RGBAColor(0, 0, 0, 0.12))
}

/// The key of a legend entry: what the entry's marks look like.
#[derive(Clone, Copy)]
pub(crate) enum Key {
    /// A filled swatch (bars, bands).
    Fill(RGBAColor),
    /// A solid line of a width.
    Line(RGBColor, u32),
    /// A dashed line of a width.
    Dashed(RGBColor, u32),
}

/// A legend drawn in a strip below a chart, outside its plot, so that it
/// never covers data: entries flow left to right in rows, centred, each a
/// key and its label; a label wider than the strip is shortened.
pub(crate) struct Legend {
    entries: Vec<(Key, String)>,
}

/// Legend geometry, in pixels.
const KEY_WIDTH: f32 = 28.0;
const KEY_GAP: f32 = 8.0;
const ENTRY_GAP: f32 = 30.0;
const LEGEND_ROW: u32 = 28;
const LEGEND_PAD: u32 = 8;

impl Legend {
    pub(crate) fn new() -> Self {
        Legend {
            entries: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, key: Key, label: impl Into<String>) {
        self.entries.push((key, label.into()));
    }

    /// The entries' labels as drawn in a strip `width` wide, and their
    /// rows: each row the indices of its entries and its width.
    fn layout(&self, width: u32) -> (Vec<String>, Vec<(Vec<usize>, f32)>) {
        let style = label_style();
        let room = width as f32 - 2.0 * LEGEND_PAD as f32 - KEY_WIDTH - KEY_GAP;
        let labels: Vec<String> = self
            .entries
            .iter()
            .map(|(_, l)| names::shorten(l, &style, room))
            .collect();
        let mut rows: Vec<(Vec<usize>, f32)> = Vec::new();
        for (i, l) in labels.iter().enumerate() {
            let w = KEY_WIDTH + KEY_GAP + glyphs::width_in(l, &style);
            match rows.last_mut() {
                Some((row, used))
                    if *used + ENTRY_GAP + w <= width as f32 - 2.0 * LEGEND_PAD as f32 =>
                {
                    row.push(i);
                    *used += ENTRY_GAP + w;
                }
                _ => rows.push((vec![i], w)),
            }
        }
        (labels, rows)
    }

    /// The height of the strip the legend needs at `width`.
    pub(crate) fn height(&self, width: u32) -> u32 {
        let rows = self.layout(width).1.len() as u32;
        if rows == 0 {
            0
        } else {
            rows * LEGEND_ROW + 2 * LEGEND_PAD
        }
    }

    /// Splits `area` into the chart above and the legend's strip below.
    pub(crate) fn below<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> (DrawingArea<DB, Shift>, DrawingArea<DB, Shift>) {
        let (w, h) = area.dim_in_pixel();
        area.split_vertically(h.saturating_sub(self.height(w)))
    }

    /// Draws the legend into its strip.
    pub(crate) fn draw<DB: DrawingBackend>(
        &self,
        strip: &DrawingArea<DB, Shift>,
    ) -> DrawResult<DB> {
        let (w, _) = strip.dim_in_pixel();
        let (labels, rows) = self.layout(w);
        let style = label_style().pos(Pos::new(HPos::Left, VPos::Center));
        for (r, (row, used)) in rows.iter().enumerate() {
            let y = (LEGEND_PAD + r as u32 * LEGEND_ROW + LEGEND_ROW / 2) as i32;
            let mut x = (w as f32 - used) / 2.0;
            for &i in row {
                let (x0, x1) = (x.round() as i32, (x + KEY_WIDTH).round() as i32);
                match self.entries[i].0 {
                    Key::Fill(c) => {
                        strip.draw(&Rectangle::new([(x0, y - 8), (x1, y + 8)], c.filled()))?
                    }
                    Key::Line(c, width) => {
                        strip.draw(&PathElement::new([(x0, y), (x1, y)], c.stroke_width(width)))?
                    }
                    Key::Dashed(c, width) => {
                        let style = c.stroke_width(width);
                        strip.draw(&PathElement::new([(x0, y), (x0 + 10, y)], style))?;
                        strip.draw(&PathElement::new([(x1 - 10, y), (x1, y)], style))?;
                    }
                }
                let text_x = x + KEY_WIDTH + KEY_GAP;
                strip.draw(&Text::new(
                    labels[i].clone(),
                    (text_x.round() as i32, y),
                    style.clone(),
                ))?;
                x = text_x + glyphs::width_in(&labels[i], &style) + ENTRY_GAP;
            }
        }
        Ok(())
    }
}

/// A chart title naming `name`: `template` applied to the name, the name
/// shortened with an ellipsis so that the title fits `width` pixels.
pub(crate) fn title_for(name: &str, template: impl Fn(&str) -> String, width: u32) -> String {
    let style = title_style();
    let rest = glyphs::width_in(&template(""), &style);
    template(&names::shorten(name, &style, width as f32 - rest))
}

/// Draws a one-line note just above a chart's plot, beside the pixel `x`
/// of the plot's top edge `top`, within [`left`, `right`]: right of `x`
/// when it fits, else left of it, else as far right as fits.
pub(crate) fn note_above<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    x: i32,
    top: i32,
    (left, right): (i32, i32),
) -> DrawResult<DB> {
    let style = note_style();
    // `x`, `top`, `left` and `right` are canvas pixels; `area` may be shifted.
    let (bx, by) = area.get_base_pixel();
    let (x, top, left, right) = (x - bx, top - by, left - bx, right - bx);
    let text = names::shorten(text, &style, (right - left) as f32);
    let w = glyphs::width_in(&text, &style).ceil() as i32;
    let x0 = if x + 6 + w <= right {
        x + 6
    } else if x - 6 - w >= left {
        x - 6 - w
    } else {
        (right - w).max(left)
    };
    area.draw(&Text::new(
        text,
        (x0, top - 10),
        style.pos(Pos::new(HPos::Left, VPos::Bottom)),
    ))
}

/// Room above a plot for [`note_above`], in pixels.
pub(crate) const NOTE_ROOM: u32 = 34;

/// The margin of every chart, in pixels.
pub(crate) const MARGIN: u32 = 24;

/// `area` below a chart title, set as plotters sets a chart's caption
/// (after the top margin), for charts that need room between the title and
/// the plot: plotters puts its caption right above the plot.
pub(crate) fn below_title<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
) -> Result<DrawingArea<DB, Shift>, DrawingAreaErrorKind<DB::ErrorType>> {
    area.margin(MARGIN as i32, 0, MARGIN as i32, MARGIN as i32)
        .titled(title, title_style())
}

/// A right margin wide enough for half the widest of the money labels of
/// an axis over [lo, hi], the last of which may sit on the plot's edge.
pub(crate) fn edge_margin(lo: f64, hi: f64, currency: Option<&str>, lang: Lang) -> u32 {
    let style = label_style();
    let w = [lo, hi]
        .iter()
        .map(|v| glyphs::width_in(&lang.money(*v, currency), &style))
        .fold(0.0f32, f32::max);
    MARGIN.max((w / 2.0).ceil() as u32 + 8)
}

/// "Cumulative net cash flow (EUR)" or without the unit when there is none.
pub(crate) fn with_unit(label: &str, currency: Option<&str>) -> String {
    match currency {
        Some(c) if !c.is_empty() => format!("{label} ({c})"),
        _ => label.to_string(),
    }
}

/// The payback marker of the fan and payback charts: the target, with the
/// chance of meeting it, or, for a scenario without a target, the median
/// payback with the time that 8 in 10 futures meet. `None` when the
/// scenario has no target and the median payback is beyond the horizon.
pub(crate) fn payback_marker(s: &crate::results::Summary, lang: Lang) -> Option<(f64, String)> {
    let (l, t) = (lang, lang.t());
    match s.target() {
        Some((tp, p)) => Some((
            tp,
            fill(
                t.chart_target_chance,
                &[
                    ("years", &l.n_years(&l.local(tp.to_string()))),
                    ("chance", &l.percent(p)),
                ],
            ),
        )),
        None => {
            let median = s.metrics.payback_years.percentiles.p50?;
            let label = match s.eight_in_ten.payback_years {
                Some(e) => fill(
                    t.chart_median_payback_8_in_10,
                    &[
                        ("median", &l.n_years(&l.years(median, 1))),
                        ("p80", &l.n_years(&l.years(e, 1))),
                    ],
                ),
                None => fill(
                    t.chart_median_payback,
                    &[("median", &l.n_years(&l.years(median, 1)))],
                ),
            };
            Some((median, label))
        }
    }
}

/// Axis bounds around [lo, hi] with a 5% margin, guarded by [`axis_range`].
pub(crate) fn padded(lo: f64, hi: f64) -> (f64, f64) {
    let (lo, hi) = axis_range(lo, hi);
    let margin = 0.05 * (hi - lo);
    axis_range(lo - margin, hi + margin)
}

/// The largest magnitude of an axis bound.
const AXIS_LIMIT: f64 = 1e300;
/// The smallest span of an axis, relative to the magnitude of its bounds.
const AXIS_MIN_RELATIVE_SPAN: f64 = 1e-6;
/// The smallest span of an axis, absolute: well clear of subnormals.
const AXIS_MIN_SPAN: f64 = 1e-200;

/// An axis range that plotters draws in bounded time, for every chart: the
/// bounds of `lo` and `hi` in order, unchanged when they are already safe.
///
/// plotters' tick search (`compute_f64_key_points`) divides its step by ten
/// until enough ticks fit, and never ends when the span is only a few
/// units in the last place of the bounds (0.3 to 0.30000000000000004,
/// 1 to 1 + 2⁻⁵²), is subnormal or is not finite; a NaN bound panics. So a
/// bound is clamped to ±1e300 (NaN becomes 0), and a span below 1e-6 of the
/// bounds' magnitude, or below 1e-200, is widened to 1% of that magnitude
/// on either side of its centre (at least 1e-200; ±1 around 0).
pub fn axis_range(lo: f64, hi: f64) -> (f64, f64) {
    let clamp = |x: f64| {
        if x.is_nan() {
            0.0
        } else {
            x.clamp(-AXIS_LIMIT, AXIS_LIMIT)
        }
    };
    let (a, b) = (clamp(lo), clamp(hi));
    let (a, b) = (a.min(b), a.max(b));
    let magnitude = a.abs().max(b.abs());
    if b - a >= (AXIS_MIN_RELATIVE_SPAN * magnitude).max(AXIS_MIN_SPAN) {
        return (a, b);
    }
    let centre = 0.5 * a + 0.5 * b;
    let half = if magnitude == 0.0 {
        1.0
    } else {
        (0.01 * magnitude).max(AXIS_MIN_SPAN)
    };
    (
        (centre - half).max(-AXIS_LIMIT),
        (centre + half).min(AXIS_LIMIT),
    )
}

/// Runs `f` on its own thread and returns its result, or panics naming
/// `what` when it has not finished within a minute: a hang detector for
/// drawing (a chart takes milliseconds).
#[cfg(test)]
pub(crate) fn finishes<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(std::time::Duration::from_secs(60)) {
        Ok(t) => t,
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            panic!("{what}: still drawing after 60 s")
        }
        Err(e) => panic!("{what}: the drawing thread failed ({e})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bounds that hang or panic plotters' tick search unguarded.
    const HOSTILE: [(f64, f64); 12] = [
        (0.3, 0.30000000000000004),
        (1.0, 1.0000000000000002),
        (-7.0, -7.000000000000001),
        (1e15, 1e15 + 0.125),
        (1e-300, 1.0000000000000002e-300),
        (5e-324, 1.5e-323),
        (0.0, 5e-324),
        (1e300, 1.0000000000000002e300),
        (-f64::MAX, f64::MAX),
        (0.0, f64::INFINITY),
        (f64::NAN, 1.0),
        (f64::NEG_INFINITY, f64::NAN),
    ];

    #[test]
    fn axis_ranges_are_drawable() {
        for (lo, hi) in HOSTILE
            .into_iter()
            .chain([(3.0, 3.0), (0.0, 0.0), (2.0, -2.0)])
        {
            let (a, b) = axis_range(lo, hi);
            assert!(
                a.is_finite() && b.is_finite() && a < b,
                "{lo}, {hi}: {a}, {b}"
            );
            let magnitude = a.abs().max(b.abs());
            assert!(
                b - a >= 1e-6 * magnitude && b - a >= 1e-200,
                "{lo}, {hi}: {a}, {b}"
            );
            // The guarded range draws, axes and grid included, in bounded time.
            let svg = finishes(&format!("an axis over [{lo}, {hi}]"), move || {
                to_svg(SIZE, "an axis", |root| {
                    let mut chart = ChartBuilder::on(root)
                        .x_label_area_size(40)
                        .y_label_area_size(40)
                        .build_cartesian_2d(a..b, a..b)?;
                    house_mesh(&mut chart.configure_mesh()).draw()
                })
            });
            assert!(svg.is_ok(), "{lo}, {hi}");
        }
        // Ranges that are already drawable are kept as they are.
        assert_eq!(axis_range(0.3, 0.31), (0.3, 0.31));
        assert_eq!(axis_range(1000.01, 1000.02), (1000.01, 1000.02));
        assert_eq!(axis_range(-1e300, 1e300), (-1e300, 1e300));
        assert_eq!(axis_range(-5.0, 2.0), (-5.0, 2.0));
        // Degenerate ones are widened around their centre.
        assert_eq!(axis_range(3.0, 3.0), (2.97, 3.03));
        assert_eq!(axis_range(0.0, 0.0), (-1.0, 1.0));
        assert_eq!(padded(0.0, 10.0), (-0.5, 10.5));
    }
}
