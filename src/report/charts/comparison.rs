//! The comparison chart of a batch: one row per scenario, in natural order
//! of their names ("option-2" before "option-10"), the name once at the
//! left; in the left panel the spread of payback times, in the right panel
//! the spread of NPV, each as a box plot (box P25 to P75, line at the
//! median, whiskers P5 to P95). Beside each NPV row, in a column of its
//! own, the median, and with a baseline the median of the paired NPV
//! difference from it.
//!
//! Rows rather than overlaid curves: 2 or 50 scenarios read alike, every
//! name labels its row directly (shortened with an ellipsis to the name
//! column), one colour per panel needs no legend, and no text sits on the
//! data. The canvas grows with the number of rows.
//!
//! NPV shares one axis, linear when every scenario's P5 to P95 spans at
//! least a few pixels on it, else symmetric-logarithmic (linear within
//! ±C, one decade per step beyond, C a power of ten set by the smallest
//! scenario), so that an option of 10³ stays visible beside one of 10⁸;
//! its ticks then read 0, ±C, ±10C, … and the axis title says so.

use super::{
    DrawResult, axis_style, glyphs, house_mesh, label_style, names, palette, title_style, with_unit,
};
use crate::lang::{Lang, fill};
use crate::results::BatchEntry;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Width of the comparison chart, and its least height (for four
/// scenarios or more): two panels.
pub const SIZE: (u32, u32) = (1600, 800);

/// Height of a row, in pixels: one line of text, or two with a baseline.
const ROW: u32 = 28;
const ROW_PAIRED: u32 = 44;
/// Height taken by the title, the panel captions and the axes.
const FRAME: u32 = 250;
/// The widest the name column and the median column get, in pixels.
const NAMES: f32 = 300.0;
const MEDIANS: f32 = 260.0;
/// The least width of a scenario's P5 to P95 on a linear NPV axis.
const VISIBLE: f64 = 12.0;

fn paired(entries: &[BatchEntry]) -> bool {
    entries.iter().any(|e| e.paired.is_some())
}

/// The least height for one to three scenarios: their rows would stand
/// lost in the full height.
const FEW_HEIGHT: u32 = 500;

/// The pixel size of the comparison chart of `entries`.
pub fn size(entries: &[BatchEntry]) -> (u32, u32) {
    let row = if paired(entries) { ROW_PAIRED } else { ROW };
    let rows = entries.len().max(1) as u32;
    let least = if rows <= 3 { FEW_HEIGHT } else { SIZE.1 };
    (SIZE.0, least.max(FRAME + rows * row))
}

/// The entries in natural order of their scenario names.
fn ordered(entries: &[BatchEntry]) -> Vec<&BatchEntry> {
    let mut v: Vec<&BatchEntry> = entries.iter().collect();
    v.sort_by(|a, b| names::natural(&a.results.summary.scenario, &b.results.summary.scenario));
    v
}

pub(super) fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    entries: &[BatchEntry],
    lang: Lang,
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let root = root.titled(lang.t().chart_comparison_title, title_style())?;
    let rows = ordered(entries);
    let full: Vec<String> = rows
        .iter()
        .map(|e| e.results.summary.scenario.clone())
        .collect();
    let label = label_style();
    let shown = names::shorten_all(&full, &label, NAMES);
    let name_w = shown
        .iter()
        .map(|n| glyphs::width_in(n, &label))
        .fold(0.0f32, f32::max);
    let medians = median_labels(&rows, lang);
    let median_w = medians
        .iter()
        .flat_map(|(a, b)| {
            [
                glyphs::width_in(a, &label),
                b.as_deref().map_or(0.0, |b| glyphs::width_in(b, &label)),
            ]
        })
        .fold(0.0f32, f32::max)
        .min(MEDIANS);
    let (w, _) = root.dim_in_pixel();
    let names_area = name_w.ceil() as u32 + 16;
    let medians_area = median_w.ceil() as u32 + 16;
    // The panels share what the two text columns leave.
    let split = names_area + (w - names_area - medians_area) * 9 / 20;
    let (left, right) = root.split_horizontally(split);
    payback(&left, &rows, &shown, names_area, lang)?;
    npv(&right, &rows, &medians, medians_area, lang)
}

/// Each row's median label and, with a baseline, its median gain label.
fn median_labels(rows: &[&BatchEntry], lang: Lang) -> Vec<(String, Option<String>)> {
    let (l, t) = (lang, lang.t());
    let cur = rows
        .first()
        .and_then(|e| e.results.summary.currency.clone());
    let cur = cur.as_deref();
    let label = label_style();
    rows.iter()
        .map(|e| {
            let median = match e.results.summary.metrics.npv.percentiles.p50 {
                Some(m) => fill(
                    t.chart_comparison_median,
                    &[("npv", &crate::format::minus(&l.money(m, cur)))],
                ),
                None => String::new(),
            };
            let gain = e
                .paired
                .as_ref()
                .filter(|p| p.baseline != e.results.summary.scenario)
                .map(|p| p.npv_difference_percentiles[1])
                .map(|g| {
                    let sign = if g > 0.0 {
                        "+"
                    } else if g < 0.0 {
                        "−"
                    } else {
                        ""
                    };
                    fill(
                        t.chart_comparison_gain,
                        &[("gain", &format!("{sign}{}", l.money(g.abs(), cur)))],
                    )
                });
            (
                names::shorten(&median, &label, MEDIANS),
                gain.map(|g| names::shorten(&g, &label, MEDIANS)),
            )
        })
        .collect()
}

/// The box plot of one row: whiskers from `p5` to `p95`, the box from
/// `p25` to `p75`, the median; in pixels of `area`, the row centred at `y`.
#[allow(clippy::too_many_arguments)]
fn box_plot<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    [p5, p25, p50, p75, p95]: [i32; 5],
    y: i32,
    half: i32,
    colour: RGBColor,
    open_end: bool,
) -> DrawResult<DB> {
    let line = colour.stroke_width(2);
    area.draw(&PathElement::new([(p5, y), (p25, y)], line))?;
    area.draw(&PathElement::new([(p75, y), (p95, y)], line))?;
    area.draw(&Rectangle::new(
        [(p25, y - half), (p75.max(p25 + 1), y + half)],
        colour.mix(0.35).filled(),
    ))?;
    if !open_end {
        area.draw(&Rectangle::new(
            [(p50 - 2, y - half - 2), (p50 + 2, y + half + 2)],
            colour.filled(),
        ))?;
    }
    Ok(())
}

/// Half the height of a box, in pixels, from the pixel rows of two
/// neighbouring row boundaries: a quarter of the row, 2 to 9 pixels.
fn box_half(a: i32, b: i32) -> i32 {
    ((a - b).abs() / 4).clamp(2, 9)
}

fn payback<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    rows: &[&BatchEntry],
    shown: &[String],
    names_area: u32,
    lang: Lang,
) -> DrawResult<DB> {
    let (l, t) = (lang, lang.t());
    let horizon = rows
        .iter()
        .map(|e| e.results.summary.horizon_months as f64 / 12.0)
        .fold(1.0, f64::max);
    let k = rows.len().max(1);
    let mut chart = ChartBuilder::on(area)
        .caption(t.chart_comparison_payback_boxes, axis_style())
        .margin(20)
        .margin_left(8)
        .x_label_area_size(55)
        .y_label_area_size(names_area)
        .build_cartesian_2d(0.0..horizon * 1.02, 0.0..k as f64)?;
    house_mesh(&mut chart.configure_mesh())
        .disable_y_mesh()
        .x_desc(t.chart_years_after_purchase)
        .x_label_formatter(&|v| l.years(*v, if horizon <= 3.0 { 1 } else { 0 }))
        .x_labels((horizon as usize + 1).clamp(4, 11))
        .y_labels(0)
        .draw()?;
    let base = area.get_base_pixel();
    let px = |x: f64, slot: usize| {
        let (a, b) = chart.backend_coord(&(x, slot as f64 + 0.5));
        (a - base.0, b - base.1)
    };
    let half = box_half(
        chart.backend_coord(&(0.0, 0.0)).1,
        chart.backend_coord(&(0.0, 1.0)).1,
    );
    // The names label the rows, first on top.
    let left = px(0.0, 0).0;
    for (i, name) in shown.iter().enumerate() {
        area.draw(&Text::new(
            name.clone(),
            (left - 8, px(0.0, k - 1 - i).1),
            label_style().pos(Pos::new(HPos::Right, VPos::Center)),
        ))?;
    }
    for (i, e) in rows.iter().enumerate() {
        let slot = k - 1 - i;
        let h = e.results.summary.horizon_months as f64 / 12.0;
        let y = px(0.0, slot).1;
        // This scenario's horizon: what lies beyond it is unknown.
        let end = px(h, slot).0;
        area.draw(&PathElement::new(
            [(end, y - half - 3), (end, y + half + 3)],
            palette::GREY.stroke_width(2),
        ))?;
        let [p5, _, p25, p50, p75, _, p95] =
            e.results.summary.metrics.payback_years.percentiles.values();
        let Some(p5) = p5 else {
            continue;
        };
        let at = |p: Option<f64>| px(p.unwrap_or(h), slot).0;
        box_plot(
            area,
            [at(Some(p5)), at(p25), at(p50), at(p75), at(p95)],
            y,
            half,
            palette::BLUE,
            p50.is_none(),
        )?;
    }
    Ok(())
}

/// The NPV axis: linear, or symmetric-logarithmic around ±`c`.
#[derive(Clone, Copy)]
enum Axis {
    Linear,
    SymLog { c: f64 },
}

impl Axis {
    fn to(self, x: f64) -> f64 {
        match self {
            Axis::Linear => x,
            Axis::SymLog { c } => {
                let a = x.abs() / c;
                let t = if a <= 1.0 { a } else { 1.0 + a.log10() };
                t.copysign(x)
            }
        }
    }

    fn from(self, t: f64) -> f64 {
        match self {
            Axis::Linear => t,
            Axis::SymLog { c } => {
                let a = t.abs();
                let x = if a <= 1.0 {
                    a * c
                } else {
                    c * 10f64.powf(a - 1.0)
                };
                x.copysign(t)
            }
        }
    }
}

fn npv<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    rows: &[&BatchEntry],
    medians: &[(String, Option<String>)],
    medians_area: u32,
    lang: Lang,
) -> DrawResult<DB> {
    let (l, t) = (lang, lang.t());
    let cur = rows
        .first()
        .and_then(|e| e.results.summary.currency.clone());
    let cur = cur.as_deref();
    let q = |e: &BatchEntry| e.results.summary.metrics.npv.percentiles.values();
    let values: Vec<f64> = rows
        .iter()
        .flat_map(|e| q(e).into_iter().flatten())
        .collect();
    let (lo, hi) = values
        .iter()
        .fold((0.0f64, 0.0f64), |(a, b), &v| (a.min(v), b.max(v)));
    let (lo, hi) = super::axis_range(lo, hi);
    // Linear when every spread shows on it; the plot is about this wide.
    let plot_w = area.dim_in_pixel().0.saturating_sub(medians_area + 60) as f64;
    let spreads = rows.iter().filter_map(|e| {
        let v = q(e);
        Some(v[6]? - v[0]?).filter(|s| *s > 0.0)
    });
    let linear = spreads.clone().all(|s| s / (hi - lo) * plot_w >= VISIBLE);
    let axis = if linear {
        Axis::Linear
    } else {
        // C: the power of ten at or below the smallest scenario's scale.
        let smallest = rows
            .iter()
            .filter_map(|e| {
                let v = q(e);
                Some(v[0]?.abs().max(v[6]?.abs()))
            })
            .filter(|s| *s > 0.0)
            .fold(f64::INFINITY, f64::min);
        let c = 10f64.powf(smallest.log10().floor());
        if c.is_finite() && c > 0.0 {
            Axis::SymLog { c }
        } else {
            Axis::Linear
        }
    };
    let (t0, t1) = (axis.to(lo), axis.to(hi));
    let pad = 0.04 * (t1 - t0);
    let (t0, t1) = super::axis_range(t0 - pad, t1 + pad);
    // Symmetric-log ticks fall on whole steps (0, ±C, ±10C, …).
    let labels = match axis {
        Axis::Linear => 6,
        Axis::SymLog { .. } => ((t1 - t0).floor() as usize + 1).clamp(2, 9),
    };
    let k = rows.len().max(1);
    let desc = match axis {
        Axis::Linear => with_unit(t.npv, cur.map(|c| l.currency(c))),
        Axis::SymLog { c } => fill(
            t.chart_comparison_log_axis,
            &[
                ("axis", &with_unit(t.npv, cur.map(|c| l.currency(c)))),
                ("c", &l.money(c, None)),
            ],
        ),
    };
    let mut chart = ChartBuilder::on(area)
        .caption(t.chart_comparison_boxes, axis_style())
        .margin(20)
        .margin_right(medians_area)
        .x_label_area_size(55)
        .y_label_area_size(12)
        .build_cartesian_2d(t0..t1, 0.0..k as f64)?;
    house_mesh(&mut chart.configure_mesh())
        .disable_y_mesh()
        .x_desc(desc)
        .x_labels(labels)
        .light_line_style(TRANSPARENT)
        .x_label_formatter(&|t| match axis {
            Axis::SymLog { .. } if t.fract().abs() > 1e-9 => String::new(),
            _ => crate::format::minus(&l.money(axis.from(*t), cur)),
        })
        .y_labels(0)
        .draw()?;
    let base = area.get_base_pixel();
    let px = |x: f64, slot: usize| {
        let (a, b) = chart.backend_coord(&(axis.to(x), slot as f64 + 0.5));
        (a - base.0, b - base.1)
    };
    // Zero.
    if t0 < 0.0 && t1 > 0.0 {
        let (x, _) = px(0.0, 0);
        let (_, top) = chart.backend_coord(&(0.0, k as f64));
        let (_, bottom) = chart.backend_coord(&(0.0, 0.0));
        area.draw(&PathElement::new(
            [(x, top - base.1), (x, bottom - base.1)],
            palette::GREY.stroke_width(2),
        ))?;
    }
    let (right, _) = chart.backend_coord(&(t1, 0.0));
    let text_x = right - base.0 + 12;
    let half = box_half(
        chart.backend_coord(&(t0, 0.0)).1,
        chart.backend_coord(&(t0, 1.0)).1,
    );
    for (i, e) in rows.iter().enumerate() {
        let slot = k - 1 - i;
        let [p5, _, p25, p50, p75, _, p95] = q(e);
        let y = px(0.0, slot).1;
        if let (Some(p5), Some(p25), Some(p50), Some(p75), Some(p95)) = (p5, p25, p50, p75, p95) {
            let at = |v: f64| px(v, slot).0;
            box_plot(
                area,
                [at(p5), at(p25), at(p50), at(p75), at(p95)],
                y,
                half,
                palette::GREEN,
                false,
            )?;
        }
        let (median, gain) = &medians[i];
        match gain {
            None => area.draw(&Text::new(
                median.clone(),
                (text_x, y),
                label_style().pos(Pos::new(HPos::Left, VPos::Center)),
            ))?,
            Some(g) => {
                area.draw(&Text::new(
                    median.clone(),
                    (text_x, y - 1),
                    label_style().pos(Pos::new(HPos::Left, VPos::Bottom)),
                ))?;
                area.draw(&Text::new(
                    g.clone(),
                    (text_x, y + 1),
                    label_style().pos(Pos::new(HPos::Left, VPos::Top)),
                ))?;
            }
        }
    }
    Ok(())
}
