//! The payback chart: how payback times are distributed (bars), the chance
//! of having paid back by each time (the S-curve, on the right axis), the
//! target (or, without one, the median payback), and the futures that do not pay back within the horizon as a bar
//! of their own.

use super::{
    DrawResult, axis_style, house_mesh, label_style, legend, note_style, palette, payback_marker,
    title_style,
};
use crate::lang::{Lang, fill};
use crate::results::Results;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

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

    let mut chart = ChartBuilder::on(root)
        .caption(
            fill(t.chart_payback_title, &[("name", &s.scenario)]),
            title_style(),
        )
        .margin(24)
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

    let bars = palette::BLUE.mix(0.55).filled();
    chart
        .draw_series(
            h.edges
                .windows(2)
                .zip(&shares)
                .map(|(e, &p)| Rectangle::new([(e[0], 0.0), (e[1], p)], bars)),
        )?
        .label(t.chart_payback_bars)
        .legend(move |(x, y)| Rectangle::new([(x, y - 7), (x + 24, y + 7)], bars));

    // Not within the horizon.
    let cx = horizon + gap;
    let grey = palette::GREY.mix(0.6).filled();
    chart.draw_series(std::iter::once(Rectangle::new(
        [(cx, 0.0), (cx + bar_w, censored)],
        grey,
    )))?;
    let area = chart.plotting_area();
    area.draw(&Text::new(
        fill(
            t.chart_payback_not_within,
            &[
                ("years", &l.n_years(&format!("{horizon:.0}"))),
                ("share", &l.percent(censored)),
            ],
        ),
        (cx + bar_w / 2.0, censored + y1 * 0.02),
        label_style().pos(Pos::new(HPos::Right, VPos::Bottom)),
    ))?;

    // The S-curve: the cumulative share paid back by the end of each bin.
    let mut acc = 0.0;
    let curve: Vec<(f64, f64)> = std::iter::once((0.0, 0.0))
        .chain(h.edges[1..].iter().zip(&shares).map(|(&e, &p)| {
            acc += p;
            (e, acc)
        }))
        .collect();
    chart
        .draw_secondary_series(LineSeries::new(curve, palette::BLUE.stroke_width(4)))?
        .label(t.chart_payback_curve)
        .legend(|(x, y)| PathElement::new([(x, y), (x + 24, y)], palette::BLUE.stroke_width(4)));

    // The target, with the chance of meeting it beside the line; without a
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
    if let Some((at, label)) = marker
        && at <= horizon
    {
        let style = palette::ORANGE.stroke_width(3);
        chart
            .draw_series(DashedLineSeries::new([(at, 0.0), (at, y1)], 10, 6, style))?
            .label(label)
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 24, y)], style));
        if let Some(note) = note {
            chart.plotting_area().draw(&Text::new(
                note,
                (at + horizon * 0.012, y1 * 0.72),
                note_style().pos(Pos::new(HPos::Left, VPos::Top)),
            ))?;
        }
    }
    // A tall "not within the horizon" bar takes the right side.
    let position = if censored > 0.3 {
        SeriesLabelPosition::UpperLeft
    } else {
        SeriesLabelPosition::MiddleRight
    };
    legend(&mut chart, position)?;
    Ok(())
}
