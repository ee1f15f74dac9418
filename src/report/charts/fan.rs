//! The fan chart: cumulative net cash flow by month, with the bands that
//! hold 90%, 80% and 50% of the simulated futures, the median, the zero
//! line and the target payback year.

use super::{
    DrawResult, Key, Legend, house_mesh, padded, palette, payback_marker, title_for, title_style,
    with_unit,
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
        (0, 6, 0.15, t.chart_fan_band_90),
        (1, 5, 0.22, t.chart_fan_band_80),
        (2, 4, 0.32, t.chart_fan_band_50),
    ];
    let median_style = palette::BLUE.stroke_width(4);
    // The target payback year, or without a target the median payback.
    let marker = payback_marker(s, lang).filter(|(at, _)| *at <= x1);
    // The legend sits below the chart, off the bands.
    let mut legend = Legend::new();
    for (_, _, alpha, label) in bands {
        legend.push(Key::Fill(palette::BLUE.mix(alpha)), label);
    }
    legend.push(Key::Line(palette::BLUE, 4), t.chart_fan_median);
    if let Some((_, label)) = &marker {
        legend.push(Key::Dashed(palette::ORANGE, 3), label.clone());
    }
    let (root, strip) = legend.below(root);

    let mut chart = ChartBuilder::on(&root)
        .caption(
            title_for(
                &s.scenario,
                |n| fill(t.chart_fan_title, &[("name", &n)]),
                root.dim_in_pixel().0 - 48,
            ),
            title_style(),
        )
        .margin(24)
        .x_label_area_size(60)
        .y_label_area_size(110)
        .build_cartesian_2d(0.0..x1, y0..y1)?;
    house_mesh(&mut chart.configure_mesh())
        .x_desc(t.chart_years_after_purchase)
        .y_desc(with_unit(t.chart_fan_axis, unit))
        .y_label_formatter(&|v| l.money(*v, cur))
        // Whole years, or quarters for short horizons.
        .x_label_formatter(&|v| {
            if x1 <= 3.0 {
                l.years(*v, 2)
            } else {
                l.years(*v, 0)
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
