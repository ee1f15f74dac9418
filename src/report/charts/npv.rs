//! The NPV histogram: the share of futures by net present value, the losing
//! side shaded red, and the chance that NPV is positive.

use super::{DrawResult, house_mesh, legend, note_style, palette, title_style, with_unit};
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

    let mut chart = ChartBuilder::on(root)
        .caption(
            fill(t.chart_npv_title, &[("name", &s.scenario)]),
            title_style(),
        )
        .margin(24)
        .x_label_area_size(60)
        .y_label_area_size(90)
        .build_cartesian_2d(x0..x1, 0.0..y1)?;
    house_mesh(&mut chart.configure_mesh())
        .x_desc(with_unit(t.chart_npv_axis, unit))
        .y_desc(t.chart_share_of_futures)
        .x_label_formatter(&|v| l.money(*v, cur))
        .y_label_formatter(&|v| l.percent(*v))
        .draw()?;

    let gain = palette::GREEN.mix(0.7).filled();
    let loss = palette::RED.mix(0.7).filled();
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
    chart
        .draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())?
        .label(t.chart_npv_loss)
        .legend(move |(x, y)| Rectangle::new([(x, y - 7), (x + 24, y + 7)], loss));
    chart
        .draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())?
        .label(t.chart_npv_gain)
        .legend(move |(x, y)| Rectangle::new([(x, y - 7), (x + 24, y + 7)], gain));
    chart.draw_series(LineSeries::new(
        [(0.0, 0.0), (0.0, y1)],
        palette::GREY.stroke_width(2),
    ))?;

    if let Some(median) = s.metrics.npv.percentiles.p50 {
        let style = palette::INK.stroke_width(2);
        chart
            .draw_series(DashedLineSeries::new(
                [(median, 0.0), (median, y1)],
                8,
                6,
                style,
            ))?
            .label(fill(t.chart_npv_median, &[("npv", &l.money(median, cur))]))
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 24, y)], style));
    }
    chart.plotting_area().draw(&Text::new(
        fill(
            t.chart_npv_chance,
            &[("chance", &l.percent(s.probabilities.npv_positive))],
        ),
        (x0 + 0.02 * (x1 - x0), y1 * 0.97),
        note_style().pos(Pos::new(HPos::Left, VPos::Top)),
    ))?;
    legend(&mut chart, SeriesLabelPosition::UpperRight)?;
    Ok(())
}
