//! The comparison chart of a batch: on the left the payback S-curves of all
//! scenarios on one axis (the chance of having paid back by each time), on
//! the right their NPV distributions side by side as box plots (box P25 to
//! P75, line at the median, whiskers P5 to P95). With a baseline, each
//! option's median label carries the median of its paired NPV difference
//! from the baseline below it.

use super::{
    DrawResult, axis_style, house_mesh, label_style, legend, padded, palette, title_style,
    with_unit,
};
use crate::lang::{Lang, fill};
use crate::results::BatchEntry;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Pixel size of the comparison chart: two panels.
pub const SIZE: (u32, u32) = (1600, 800);

/// Distinct line colours for up to ten scenarios, then repeated.
const LINES: [RGBColor; 10] = [
    palette::BLUE,
    palette::ORANGE,
    palette::GREEN,
    palette::RED,
    RGBColor(128, 90, 170),
    RGBColor(140, 100, 60),
    RGBColor(210, 100, 170),
    palette::GREY,
    RGBColor(170, 170, 30),
    RGBColor(30, 170, 200),
];

pub(super) fn color(i: usize) -> RGBColor {
    LINES[i % LINES.len()]
}

pub(super) fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    entries: &[BatchEntry],
    lang: Lang,
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let root = root.titled(lang.t().chart_comparison_title, title_style())?;
    let (left, right) = root.split_horizontally(SIZE.0 / 2);
    s_curves(&left, entries, lang)?;
    boxes(&right, entries, lang)
}

fn s_curves<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[BatchEntry],
    lang: Lang,
) -> DrawResult<DB> {
    let (l, t) = (lang, lang.t());
    let horizon = entries
        .iter()
        .map(|e| e.results.summary.horizon_months as f64 / 12.0)
        .fold(1.0, f64::max);
    let mut chart = ChartBuilder::on(area)
        .caption(t.chart_payback_curve, axis_style())
        .margin(20)
        .x_label_area_size(55)
        .y_label_area_size(70)
        .build_cartesian_2d(0.0..horizon, 0.0..1.0)?;
    house_mesh(&mut chart.configure_mesh())
        .x_desc(t.chart_years_after_purchase)
        .y_desc(t.chart_comparison_paid_back)
        // plotters' own numbers, in the language's convention.
        .x_label_formatter(&|v| {
            l.local(<plotters::coord::types::RangedCoordf64 as plotters::coord::ranged1d::ValueFormatter<f64>>::format(v))
        })
        .y_label_formatter(&|v| l.percent(*v))
        .draw()?;
    for (i, e) in entries.iter().enumerate() {
        let h = &e.results.payback_histogram;
        let total = h.total.max(1.0);
        let mut acc = 0.0;
        let curve: Vec<(f64, f64)> = std::iter::once((0.0, 0.0))
            .chain(h.edges[1..].iter().zip(&h.counts).map(|(&x, &c)| {
                acc += c / total;
                (x, acc)
            }))
            .collect();
        let style = color(i).stroke_width(3);
        chart
            .draw_series(LineSeries::new(curve, style))?
            .label(e.results.summary.scenario.clone())
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 24, y)], style));
    }
    legend(&mut chart, SeriesLabelPosition::LowerRight)
}

fn boxes<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[BatchEntry],
    lang: Lang,
) -> DrawResult<DB> {
    let (l, t) = (lang, lang.t());
    let cur = entries
        .first()
        .and_then(|e| e.results.summary.currency.clone());
    let cur = cur.as_deref();
    let q = |e: &BatchEntry| e.results.summary.metrics.npv.percentiles.values();
    let values = entries.iter().flat_map(|e| q(e).into_iter().flatten());
    let (lo, hi) = values.fold((0.0f64, 0.0f64), |(a, b), v| (a.min(v), b.max(v)));
    // Room on the right for the median's label (and, with a baseline, the
    // median gain over it below).
    let paired = entries.iter().any(|e| e.paired.is_some());
    let room = if paired { 0.6 } else { 0.3 };
    let (x0, x1) = padded(lo, hi + room * (hi - lo));
    let k = entries.len().max(1);
    let mut chart = ChartBuilder::on(area)
        .caption(t.chart_comparison_boxes, axis_style())
        .margin(20)
        .x_label_area_size(55)
        .y_label_area_size(190)
        .build_cartesian_2d(x0..x1, (0..k - 1).into_segmented())?;
    let names: Vec<String> = entries
        .iter()
        .map(|e| e.results.summary.scenario.clone())
        .collect();
    house_mesh(&mut chart.configure_mesh())
        .disable_y_mesh()
        .x_desc(with_unit(t.npv, cur.map(|c| l.currency(c))))
        .x_label_formatter(&|v| l.money(*v, cur))
        .x_labels(6)
        .y_labels(k)
        .y_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) if *i < names.len() => names[names.len() - 1 - i].clone(),
            _ => String::new(),
        })
        .draw()?;
    chart.draw_series(LineSeries::new(
        [(0.0, SegmentValue::Exact(0)), (0.0, SegmentValue::Exact(k))],
        palette::GREY.stroke_width(2),
    ))?;
    // Boxes take the middle half of their row.
    let row = area.dim_in_pixel().1.saturating_sub(170) / k as u32;
    let margin = row / 4;
    for (i, e) in entries.iter().enumerate() {
        let slot = k - 1 - i;
        let [p5, _, p25, p50, p75, _, p95] = q(e);
        let (Some(p5), Some(p25), Some(p50), Some(p75), Some(p95)) = (p5, p25, p50, p75, p95)
        else {
            continue;
        };
        let c = color(i);
        let mut body = Rectangle::new(
            [
                (p25, SegmentValue::Exact(slot)),
                (p75, SegmentValue::Exact(slot + 1)),
            ],
            c.mix(0.35).filled(),
        );
        body.set_margin(margin, margin, 0, 0);
        chart.draw_series(std::iter::once(body))?;
        let mid = SegmentValue::CenterOf(slot);
        chart.draw_series(std::iter::once(PathElement::new(
            [(p5, mid.clone()), (p25, mid.clone())],
            c.stroke_width(2),
        )))?;
        chart.draw_series(std::iter::once(PathElement::new(
            [(p75, mid.clone()), (p95, mid.clone())],
            c.stroke_width(2),
        )))?;
        let mut median = Rectangle::new(
            [
                (p50, SegmentValue::Exact(slot)),
                (p50, SegmentValue::Exact(slot + 1)),
            ],
            c.stroke_width(4),
        );
        median.set_margin(margin.saturating_sub(4), margin.saturating_sub(4), 0, 0);
        chart.draw_series(std::iter::once(median))?;
        // The median's value, right of the upper whisker; with a baseline,
        // the median of the paired NPV difference below it.
        let dx = 0.01 * (x1 - x0);
        let gain = e
            .paired
            .as_ref()
            .filter(|p| p.baseline != e.results.summary.scenario)
            .map(|p| p.npv_difference_percentiles[1]);
        match gain {
            None => {
                chart.draw_series(std::iter::once(Text::new(
                    fill(t.chart_comparison_median, &[("npv", &l.money(p50, cur))]),
                    (p95 + dx, mid),
                    label_style().pos(Pos::new(HPos::Left, VPos::Center)),
                )))?;
            }
            Some(g) => {
                let sign = if g > 0.0 {
                    "+"
                } else if g < 0.0 {
                    "−"
                } else {
                    ""
                };
                chart.draw_series(std::iter::once(Text::new(
                    fill(t.chart_comparison_median, &[("npv", &l.money(p50, cur))]),
                    (p95 + dx, mid.clone()),
                    label_style().pos(Pos::new(HPos::Left, VPos::Bottom)),
                )))?;
                chart.draw_series(std::iter::once(Text::new(
                    fill(
                        t.chart_comparison_gain,
                        &[("gain", &format!("{sign}{}", l.money(g.abs(), cur)))],
                    ),
                    (p95 + dx, mid),
                    label_style().pos(Pos::new(HPos::Left, VPos::Top)),
                )))?;
            }
        }
    }
    Ok(())
}
