//! The NPV histogram: the share of futures by net present value, the losing
//! side shaded red, and the chance that NPV is positive (above the plot;
//! the legend below it, so that no text covers a bar).

use super::{
    DrawResult, Key, Legend, NOTE_ROOM, below_title, edge_margin, house_mesh, note_above, palette,
    title_for, with_unit,
};
use crate::format::{money, percent};
use crate::results::Results;
use plotters::coord::Shift;
use plotters::prelude::*;

pub(super) fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: &Results,
) -> DrawResult<DB> {
    let s = &r.summary;
    let cur = s.currency.as_deref();
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
    legend.push(Key::Fill(loss), "NPV below zero: the CRM loses money");
    legend.push(Key::Fill(gain), "NPV above zero");
    if let Some(median) = median {
        legend.push(
            Key::Dashed(palette::INK, 2),
            format!("Median: {}", money(median, cur)),
        );
    }
    let (root, strip) = legend.below(root);

    let body = below_title(
        &root,
        &title_for(
            &s.scenario,
            |n| format!("{n}: net present value"),
            root.dim_in_pixel().0 - 48,
        ),
    )?;
    let mut chart = ChartBuilder::on(&body)
        .margin(24)
        .margin_top(NOTE_ROOM)
        .margin_right(edge_margin(x0, x1, cur))
        .x_label_area_size(60)
        .y_label_area_size(90)
        .build_cartesian_2d(x0..x1, 0.0..y1)?;
    house_mesh(&mut chart.configure_mesh())
        .x_desc(with_unit("Net present value", cur))
        .y_desc("Share of futures")
        .x_label_formatter(&|v| money(*v, cur))
        .y_label_formatter(&|v| percent(*v))
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
        &format!(
            "Chance that NPV > 0: {}",
            percent(s.probabilities.npv_positive)
        ),
        left - 6,
        top,
        (left, right),
    )?;
    legend.draw(&strip)
}
