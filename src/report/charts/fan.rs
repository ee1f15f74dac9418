//! The fan chart: cumulative net cash flow by month, with the bands that
//! hold 90%, 80% and 50% of the simulated futures, the median, the zero
//! line and the target payback year.

use super::{
    DrawResult, Key, Legend, house_mesh, padded, palette, payback_marker, title_for, title_style,
    with_unit,
};
use crate::format::{self, money};
use crate::results::Results;
use plotters::coord::Shift;
use plotters::prelude::*;

pub(super) fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: &Results,
) -> DrawResult<DB> {
    let s = &r.summary;
    let cur = s.currency.as_deref();
    let years = |m: usize| m as f64 / 12.0;
    let band = |row: &crate::results::FanRow, lo: usize, hi: usize| {
        let v = row.percentiles.values();
        (v[lo].unwrap_or(row.mean), v[hi].unwrap_or(row.mean))
    };
    let lo = r.fan.iter().map(|f| band(f, 0, 6).0).fold(0.0f64, f64::min);
    let hi = r.fan.iter().map(|f| band(f, 0, 6).1).fold(0.0f64, f64::max);
    let (y0, y1) = padded(lo, hi);
    let x1 = years(s.horizon_months);
    let bands = [
        (0, 6, 0.15, "90% of futures (P5–P95)"),
        (1, 5, 0.22, "80% of futures (P10–P90)"),
        (2, 4, 0.32, "50% of futures (P25–P75)"),
    ];
    let median_style = palette::BLUE.stroke_width(4);
    // The target payback year, or without a target the median payback.
    let marker = payback_marker(s).filter(|(at, _)| *at <= x1);
    // The legend sits below the chart, off the bands.
    let mut legend = Legend::new();
    for (_, _, alpha, label) in bands {
        legend.push(Key::Fill(palette::BLUE.mix(alpha)), label);
    }
    legend.push(Key::Line(palette::BLUE, 4), "Median future");
    if let Some((_, label)) = &marker {
        legend.push(Key::Dashed(palette::ORANGE, 3), label.clone());
    }
    let (root, strip) = legend.below(root);

    let mut chart = ChartBuilder::on(&root)
        .caption(
            title_for(
                &s.scenario,
                |n| format!("{n}: cumulative net cash flow"),
                root.dim_in_pixel().0 - 48,
            ),
            title_style(),
        )
        .margin(24)
        .x_label_area_size(60)
        .y_label_area_size(110)
        .build_cartesian_2d(0.0..x1, y0..y1)?;
    house_mesh(&mut chart.configure_mesh())
        .x_desc("Years after purchase")
        .y_desc(with_unit("Cumulative net cash flow", cur))
        .y_label_formatter(&|v| money(*v, cur))
        // Whole years, or quarters for short horizons.
        .x_label_formatter(&|v| {
            if x1 <= 3.0 {
                format::years(*v, 2)
            } else {
                format::years(*v, 0)
            }
        })
        .x_labels(if x1 <= 3.0 {
            (x1 * 4.0) as usize + 1
        } else {
            (x1 as usize + 1).min(31)
        })
        .draw()?;

    // Bands, widest first so the narrower ones sit on top.
    for (lo_k, hi_k, alpha, _) in bands {
        let mut points: Vec<(f64, f64)> = r
            .fan
            .iter()
            .map(|f| (years(f.month), band(f, lo_k, hi_k).0))
            .collect();
        points.extend(
            r.fan
                .iter()
                .rev()
                .map(|f| (years(f.month), band(f, lo_k, hi_k).1)),
        );
        let fill = palette::BLUE.mix(alpha).filled();
        chart.draw_series(std::iter::once(Polygon::new(points, fill)))?;
    }
    // The zero line: above it, the investment has paid for itself.
    chart.draw_series(LineSeries::new(
        [(0.0, 0.0), (x1, 0.0)],
        palette::GREY.stroke_width(2),
    ))?;
    chart.draw_series(LineSeries::new(
        r.fan
            .iter()
            .map(|f| (years(f.month), f.percentiles.p50.unwrap_or(f.mean))),
        median_style,
    ))?;
    if let Some((at, _)) = marker {
        let style = palette::ORANGE.stroke_width(3);
        chart.draw_series(DashedLineSeries::new([(at, y0), (at, y1)], 10, 6, style))?;
    }
    legend.draw(&strip)
}
