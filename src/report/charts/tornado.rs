//! The tornado: the ten assumptions that move NPV most, in money. Each bar
//! runs from the mean NPV of the futures where the assumption is in its
//! lowest 10% to the mean NPV where it is in its highest 10%, around the
//! overall mean NPV; the label gives the Spearman rank correlation too, and
//! the assumption's first-order contribution to the variance of NPV
//! (docs/results.md, "Value of information").

use super::{DrawResult, axis_style, house_mesh, legend, padded, palette, title_style, with_unit};
use crate::lang::{Lang, fill};
use crate::report::pretty_input_in;
use crate::results::Results;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Empty bar slots below the bars, for the legend.
const LEGEND_ROWS: usize = 3;

pub(super) fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: &Results,
    lang: Lang,
) -> DrawResult<DB> {
    let (l, t) = (lang, lang.t());
    let s = &r.summary;
    let cur = s.currency.as_deref();
    let unit = cur.map(|c| l.currency(c));
    let rows = s.top_drivers();
    if rows.is_empty() {
        let (w, h) = root.dim_in_pixel();
        root.draw(&Text::new(
            fill(t.chart_tornado_title, &[("name", &s.scenario)]),
            (w as i32 / 2, 40),
            title_style().pos(Pos::new(HPos::Center, VPos::Center)),
        ))?;
        root.draw(&Text::new(
            if s.sensitivity.is_empty() {
                t.chart_tornado_all_fixed
            } else {
                t.drivers_too_few
            },
            (w as i32 / 2, h as i32 / 2),
            axis_style().pos(Pos::new(HPos::Center, VPos::Center)),
        ))?;
        return Ok(());
    }
    let base = s.metrics.npv.mean.unwrap_or(0.0);
    let lo = rows
        .iter()
        .filter_map(|s| s.npv_mean_low)
        .chain(rows.iter().filter_map(|s| s.npv_mean_high));
    let (mn, mx) = lo.fold((base, base), |(a, b), v| (a.min(v), b.max(v)));
    let (x0, x1) = padded(mn, mx);
    let k = rows.len().max(1);
    let labels: Vec<String> = rows
        .iter()
        .map(|d| {
            let rho = l.signed(d.spearman_npv.unwrap_or(0.0), 2);
            match d.contribution_to_variance {
                Some(cv) => fill(
                    t.chart_tornado_label_variance,
                    &[
                        ("name", &pretty_input_in(&d.input, l)),
                        ("rho", &rho),
                        ("share", &l.percent(cv)),
                    ],
                ),
                None => fill(
                    t.chart_tornado_label,
                    &[("name", &pretty_input_in(&d.input, l)), ("rho", &rho)],
                ),
            }
        })
        .collect();

    let mut chart = ChartBuilder::on(root)
        .caption(
            fill(t.chart_tornado_title, &[("name", &s.scenario)]),
            title_style(),
        )
        .margin(24)
        .x_label_area_size(60)
        .y_label_area_size(600)
        // The bottom LEGEND_ROWS slots hold the legend, the bars sit above.
        .build_cartesian_2d(x0..x1, (0..k + LEGEND_ROWS - 1).into_segmented())?;
    house_mesh(&mut chart.configure_mesh())
        .disable_y_mesh()
        .x_desc(with_unit(t.chart_tornado_axis, unit))
        .x_label_formatter(&|v| l.money(*v, cur))
        .y_labels(k + LEGEND_ROWS)
        .y_label_formatter(&|v| match v {
            // Largest effect on top.
            SegmentValue::CenterOf(i) if *i >= LEGEND_ROWS && *i - LEGEND_ROWS < labels.len() => {
                labels[labels.len() - 1 - (*i - LEGEND_ROWS)].clone()
            }
            _ => String::new(),
        })
        .draw()?;

    // Neutral colours: a low input is good news for a cost, bad for a benefit.
    let low = palette::ORANGE.mix(0.75).filled();
    let high = palette::BLUE.mix(0.75).filled();
    let n = rows.len() + LEGEND_ROWS;
    let bar = |x_a: f64, x_b: f64, slot: usize, style: ShapeStyle| {
        let mut rect = Rectangle::new(
            [
                (x_a.min(x_b), SegmentValue::Exact(slot)),
                (x_a.max(x_b), SegmentValue::Exact(slot + 1)),
            ],
            style,
        );
        rect.set_margin(8, 8, 0, 0);
        rect
    };
    chart
        .draw_series(
            rows.iter()
                .enumerate()
                .map(|(i, d)| bar(base, d.npv_mean_low.unwrap_or(base), n - 1 - i, low)),
        )?
        .label(t.chart_tornado_low)
        .legend(move |(x, y)| Rectangle::new([(x, y - 7), (x + 24, y + 7)], low));
    chart
        .draw_series(
            rows.iter()
                .enumerate()
                .map(|(i, d)| bar(base, d.npv_mean_high.unwrap_or(base), n - 1 - i, high)),
        )?
        .label(t.chart_tornado_high)
        .legend(move |(x, y)| Rectangle::new([(x, y - 7), (x + 24, y + 7)], high));
    chart
        .draw_series(LineSeries::new(
            [
                (base, SegmentValue::Exact(LEGEND_ROWS)),
                (base, SegmentValue::Exact(n)),
            ],
            palette::INK.stroke_width(2),
        ))?
        .label(fill(t.chart_tornado_mean, &[("npv", &l.money(base, cur))]))
        .legend(|(x, y)| {
            PathElement::new(
                [(x + 12, y - 8), (x + 12, y + 8)],
                palette::INK.stroke_width(2),
            )
        });
    legend(&mut chart, SeriesLabelPosition::LowerLeft)?;
    Ok(())
}
