//! The tornado: the ten assumptions that move NPV most, in money. Each bar
//! runs from the mean NPV of the futures where the assumption is in its
//! lowest 10% to the mean NPV where it is in its highest 10%, around the
//! overall mean NPV; the label gives the Spearman rank correlation too, and
//! the assumption's first-order contribution to the variance of NPV
//! (docs/results.md, "Value of information"). Long input names are
//! shortened with an ellipsis to the label column; the legend sits below.

use super::{
    DrawResult, Key, Legend, axis_style, edge_margin, glyphs, house_mesh, label_style, names,
    padded, palette, title_for, title_style, with_unit,
};
use crate::lang::{Lang, fill};
use crate::report::pretty_input_in;
use crate::results::Results;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The widest the label column gets, in pixels.
const LABELS: f32 = 560.0;

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
            title_for(
                &s.scenario,
                |n| fill(t.chart_tornado_title, &[("name", &n)]),
                w - 48,
            ),
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
    // The input's name is shortened to what the column leaves it.
    let label_font = label_style();
    let labels: Vec<String> = rows
        .iter()
        .map(|d| {
            let rho = l.signed(d.spearman_npv.unwrap_or(0.0), 2);
            let label = |name: &str| match d.contribution_to_variance {
                Some(cv) => fill(
                    t.chart_tornado_label_variance,
                    &[("name", &name), ("rho", &rho), ("share", &l.percent(cv))],
                ),
                None => fill(t.chart_tornado_label, &[("name", &name), ("rho", &rho)]),
            };
            let room = LABELS - glyphs::width_in(&label(""), &label_font);
            label(&names::shorten(
                &pretty_input_in(&d.input, l),
                &label_font,
                room,
            ))
        })
        .collect();
    let column = labels
        .iter()
        .map(|label| glyphs::width_in(label, &label_font))
        .fold(0.0f32, f32::max);

    let low = palette::ORANGE.mix(0.75);
    let high = palette::BLUE.mix(0.75);
    let mut legend = Legend::new();
    legend.push(Key::Fill(low), t.chart_tornado_low);
    legend.push(Key::Fill(high), t.chart_tornado_high);
    legend.push(
        Key::Line(palette::INK, 2),
        fill(t.chart_tornado_mean, &[("npv", &l.money(base, cur))]),
    );
    let (root, strip) = legend.below(root);

    let mut chart = ChartBuilder::on(&root)
        .caption(
            title_for(
                &s.scenario,
                |n| fill(t.chart_tornado_title, &[("name", &n)]),
                root.dim_in_pixel().0 - 48,
            ),
            title_style(),
        )
        .margin(24)
        .margin_right(edge_margin(x0, x1, cur, lang))
        .x_label_area_size(60)
        .y_label_area_size(column.ceil() as u32 + 20)
        .build_cartesian_2d(x0..x1, (0..k - 1).into_segmented())?;
    house_mesh(&mut chart.configure_mesh())
        .disable_y_mesh()
        .x_desc(with_unit(t.chart_tornado_axis, unit))
        .x_label_formatter(&|v| l.money(*v, cur))
        .y_labels(k)
        .y_label_formatter(&|v| match v {
            // Largest effect on top.
            SegmentValue::CenterOf(i) if *i < labels.len() => labels[labels.len() - 1 - i].clone(),
            _ => String::new(),
        })
        .draw()?;

    // Neutral colours: a low input is good news for a cost, bad for a benefit.
    let (low, high) = (low.filled(), high.filled());
    let n = rows.len();
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
    chart.draw_series(
        rows.iter()
            .enumerate()
            .map(|(i, d)| bar(base, d.npv_mean_low.unwrap_or(base), n - 1 - i, low)),
    )?;
    chart.draw_series(
        rows.iter()
            .enumerate()
            .map(|(i, d)| bar(base, d.npv_mean_high.unwrap_or(base), n - 1 - i, high)),
    )?;
    chart.draw_series(LineSeries::new(
        [
            (base, SegmentValue::Exact(0)),
            (base, SegmentValue::Exact(n)),
        ],
        palette::INK.stroke_width(2),
    ))?;
    legend.draw(&strip)
}
