//! The NPV histogram: the share of futures by net present value, the losing
//! side shaded red, and the chance that NPV is positive (above the plot;
//! the legend below it, so that no text covers a bar).

use super::{
    DrawResult, Key, Legend, NOTE_ROOM, below_title, edge_margin, house_mesh, note_above, palette,
    title_for, with_unit,
};
use crate::lang::{Lang, fill};
use crate::results::Results;
use plotters::coord::Shift;
use plotters::prelude::*;

pub(super) fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: &Results,
    lang: Lang,
) -> DrawResult<DB> {
    let (l, t) = (lang, lang.t());
    let s = &r.summary;
    let cur = s.currency.as_deref();
    let unit = cur.map(|c| l.currency(c));
    let h = &r.npv_histogram;
    let total = h.total.max(1.0);
    let shares: Vec<f64> = h.counts.iter().map(|c| c / total).collect();
    let (x0, x1) = (h.edges[0], h.edges[h.edges.len() - 1]);
    let (x0, x1) = super::axis_range(
        x0.min(0.0) - 0.02 * (x1 - x0),
        x1.max(0.0) + 0.02 * (x1 - x0),
    );
    let y1 = shares.iter().copied().fold(0.0, f64::max).max(1e-9) * 1.2;

    let gain = palette::GREEN.mix(0.7);
    let loss = palette::RED.mix(0.7);
    let median = s.metrics.npv.percentiles.p50;
    let mut legend = Legend::new();
    legend.push(Key::Fill(loss), t.chart_npv_loss);
    legend.push(Key::Fill(gain), t.chart_npv_gain);
    if let Some(median) = median {
        legend.push(
            Key::Dashed(palette::INK, 2),
            fill(t.chart_npv_median, &[("npv", &l.money(median, cur))]),
        );
    }
    let (root, strip) = legend.below(root);

    let body = below_title(
        &root,
        &title_for(
            &s.scenario,
            |n| fill(t.chart_npv_title, &[("name", &n)]),
            root.dim_in_pixel().0 - 48,
        ),
    )?;
    let mut chart = ChartBuilder::on(&body)
        .margin(24)
        .margin_top(NOTE_ROOM)
        .margin_right(edge_margin(x0, x1, cur, lang))
        .x_label_area_size(60)
        .y_label_area_size(90)
        .build_cartesian_2d(x0..x1, 0.0..y1)?;
    house_mesh(&mut chart.configure_mesh())
        .x_desc(with_unit(t.chart_npv_axis, unit))
        .y_desc(t.chart_share_of_futures)
        .x_label_formatter(&|v| l.money(*v, cur))
        .y_label_formatter(&|v| l.percent(*v))
        .draw()?;

    let (gain, loss) = (gain.filled(), loss.filled());
    // A bin that straddles zero is split at zero, each part in its colour.
    let mut bars = Vec::new();
    for (e, &p) in h.edges.windows(2).zip(&shares) {
        if e[1] <= 0.0 {
            bars.push(Rectangle::new([(e[0], 0.0), (e[1], p)], loss));
        } else if e[0] >= 0.0 {
            bars.push(Rectangle::new([(e[0], 0.0), (e[1], p)], gain));
        } else {
            bars.push(Rectangle::new([(e[0], 0.0), (0.0, p)], loss));
            bars.push(Rectangle::new([(0.0, 0.0), (e[1], p)], gain));
        }
    }
    chart.draw_series(bars)?;
    chart.draw_series(LineSeries::new(
        [(0.0, 0.0), (0.0, y1)],
        palette::GREY.stroke_width(2),
    ))?;

    if let Some(median) = median {
        let style = palette::INK.stroke_width(2);
        chart.draw_series(DashedLineSeries::new(
            [(median, 0.0), (median, y1)],
            8,
            6,
            style,
        ))?;
    }
    // Above the plot, at its left end.
    let (left, top) = chart.backend_coord(&(x0, y1));
    let (right, _) = chart.backend_coord(&(x1, y1));
    note_above(
        &body,
        &fill(
            t.chart_npv_chance,
            &[("chance", &l.percent(s.probabilities.npv_positive))],
        ),
        left - 6,
        top,
        (left, right),
    )?;
    legend.draw(&strip)
}
