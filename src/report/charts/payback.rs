//! The payback chart: how payback times are distributed (bars), the chance
//! of having paid back by each time (the S-curve, on the right axis), the
//! target (or, without one, the median payback), and the futures that do
//! not pay back within the horizon as a bar of their own. The legend sits
//! below the chart and the target's chance above the plot, so that no text
//! covers a bar or the curve.

use super::{
    DrawResult, Key, Legend, NOTE_ROOM, axis_style, below_title, house_mesh, label_style,
    note_above, palette, payback_marker, title_for,
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
    let h = &r.payback_histogram;
    let horizon = s.horizon_months as f64 / 12.0;
    let total = h.total.max(1.0);
    let shares: Vec<f64> = h.counts.iter().map(|c| c / total).collect();
    let censored = h.beyond / total;
    // The "not within the horizon" bar stands apart, right of the horizon.
    let gap = horizon * 0.04;
    let bar_w = horizon * 0.08;
    let x1 = horizon + 2.0 * gap + bar_w;
    let y1 = shares.iter().copied().fold(censored, f64::max).max(1e-9) * 1.18;

    // The target, with the chance of meeting it above the plot; without a
    // target, the median payback.
    let (marker, note) = match s.target() {
        Some((tp, p)) => (
            Some((
                tp,
                fill(
                    t.chart_target,
                    &[("years", &l.n_years(&l.local(tp.to_string())))],
                ),
            )),
            Some(fill(
                t.chart_payback_target_note,
                &[
                    ("chance", &l.percent(p)),
                    ("years", &l.n_years(&l.local(tp.to_string()))),
                ],
            )),
        ),
        _ => (payback_marker(s, lang), None),
    };
    let marker = marker.filter(|(at, _)| *at <= horizon);
    let note = note.filter(|_| marker.is_some());
    let bars = palette::BLUE.mix(0.55);
    let grey = palette::GREY.mix(0.6);
    let mut legend = Legend::new();
    legend.push(Key::Fill(bars), t.chart_payback_bars);
    legend.push(
        Key::Fill(grey),
        fill(
            t.chart_payback_not_within,
            &[
                ("years", &l.n_years(&format!("{horizon:.0}"))),
                ("share", &l.percent(censored)),
            ],
        ),
    );
    legend.push(Key::Line(palette::BLUE, 4), t.chart_payback_curve);
    if let Some((_, label)) = &marker {
        legend.push(Key::Dashed(palette::ORANGE, 3), label.clone());
    }
    let (root, strip) = legend.below(root);

    let body = below_title(
        &root,
        &title_for(
            &s.scenario,
            |n| fill(t.chart_payback_title, &[("name", &n)]),
            root.dim_in_pixel().0 - 48,
        ),
    )?;
    let mut chart = ChartBuilder::on(&body)
        .margin(24)
        .margin_top(if note.is_some() { NOTE_ROOM } else { 0 })
        .x_label_area_size(60)
        .y_label_area_size(90)
        .right_y_label_area_size(90)
        .build_cartesian_2d(0.0..x1, 0.0..y1)?
        .set_secondary_coord(0.0..x1, 0.0..1.05);
    house_mesh(&mut chart.configure_mesh())
        .x_desc(t.chart_payback_axis)
        .y_desc(t.chart_payback_bars_axis)
        .y_label_formatter(&|v| l.percent(*v))
        .x_label_formatter(&|v| {
            if *v <= horizon + 1e-9 {
                l.years(*v, 1)
            } else {
                String::new()
            }
        })
        .draw()?;
    chart
        .configure_secondary_axes()
        .y_desc(t.chart_payback_curve_axis)
        .y_label_formatter(&|v| l.percent(*v))
        .label_style(label_style())
        .axis_desc_style(axis_style())
        .draw()?;

    chart.draw_series(
        h.edges
            .windows(2)
            .zip(&shares)
            .map(|(e, &p)| Rectangle::new([(e[0], 0.0), (e[1], p)], bars.filled())),
    )?;

    // Not within the horizon.
    let cx = horizon + gap;
    chart.draw_series(std::iter::once(Rectangle::new(
        [(cx, 0.0), (cx + bar_w, censored)],
        grey.filled(),
    )))?;

    // The S-curve: the cumulative share paid back by the end of each bin.
    let mut acc = 0.0;
    let curve: Vec<(f64, f64)> = std::iter::once((0.0, 0.0))
        .chain(h.edges[1..].iter().zip(&shares).map(|(&e, &p)| {
            acc += p;
            (e, acc)
        }))
        .collect();
    chart.draw_secondary_series(LineSeries::new(curve, palette::BLUE.stroke_width(4)))?;

    if let Some((at, _)) = marker {
        let style = palette::ORANGE.stroke_width(3);
        chart.draw_series(DashedLineSeries::new([(at, 0.0), (at, y1)], 10, 6, style))?;
        if let Some(note) = note {
            // Above the plot, beside the line where it fits.
            let (x, top) = chart.backend_coord(&(at, y1));
            let (left, _) = chart.backend_coord(&(0.0, y1));
            let (right, _) = chart.backend_coord(&(x1, y1));
            note_above(&body, &note, x, top, (left, right))?;
        }
    }
    legend.draw(&strip)
}
