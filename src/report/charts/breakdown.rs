//! The breakdown: the mean total of each cost and each benefit over the
//! horizon, so that management sees where the value comes from and where
//! the money goes.

use super::{DrawResult, house_mesh, label_style, legend, palette, title_style, with_unit};
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
    // Benefits first, then costs, each largest first.
    let mut items: Vec<&crate::results::Item> = s.items.iter().collect();
    items.sort_by(|a, b| {
        (a.kind != "benefit")
            .cmp(&(b.kind != "benefit"))
            .then(b.mean_total.abs().total_cmp(&a.mean_total.abs()))
    });
    let k = items.len().max(1);
    let mx = items.iter().map(|i| i.mean_total).fold(0.0f64, f64::max);
    let mn = items.iter().map(|i| i.mean_total).fold(0.0f64, f64::min);
    let span = (mx - mn).max(1.0);
    let (x0, x1) = super::axis_range(mn - 0.02 * span, mx + 0.18 * span);
    let labels: Vec<String> = items
        .iter()
        .map(|i| format!("{} ({})", i.name, t.item_kind(i.kind)))
        .collect();
    let years = s.horizon_months as f64 / 12.0;

    let mut chart = ChartBuilder::on(root)
        .caption(
            fill(t.chart_breakdown_title, &[("name", &s.scenario)]),
            title_style(),
        )
        .margin(24)
        .x_label_area_size(60)
        .y_label_area_size(360)
        .build_cartesian_2d(x0..x1, (0..k - 1).into_segmented())?;
    house_mesh(&mut chart.configure_mesh())
        .disable_y_mesh()
        .x_desc(with_unit(
            &fill(
                t.chart_breakdown_axis,
                &[("years", &l.n_years(&l.local(years.to_string())))],
            ),
            unit,
        ))
        .x_label_formatter(&|v| l.money(*v, cur))
        .y_labels(k)
        .y_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) if *i < labels.len() => labels[labels.len() - 1 - i].clone(),
            _ => String::new(),
        })
        .draw()?;

    let benefit = palette::GREEN.mix(0.8).filled();
    let cost = palette::RED.mix(0.8).filled();
    let n = items.len();
    for (i, item) in items.iter().enumerate() {
        let slot = n - 1 - i;
        let style = if item.kind == "benefit" {
            benefit
        } else {
            cost
        };
        let mut rect = Rectangle::new(
            [
                (item.mean_total.min(0.0), SegmentValue::Exact(slot)),
                (item.mean_total.max(0.0), SegmentValue::Exact(slot + 1)),
            ],
            style,
        );
        rect.set_margin(8, 8, 0, 0);
        chart.draw_series(std::iter::once(rect))?;
        chart.draw_series(std::iter::once(Text::new(
            l.money(item.mean_total, cur),
            (
                item.mean_total.max(0.0) + 0.01 * span,
                SegmentValue::CenterOf(slot),
            ),
            label_style().pos(Pos::new(HPos::Left, VPos::Center)),
        )))?;
    }
    let total_b: f64 = items
        .iter()
        .filter(|i| i.kind == "benefit")
        .map(|i| i.mean_total)
        .sum();
    // The costs of shocks are costs too.
    let total_c: f64 = items
        .iter()
        .filter(|i| i.kind != "benefit")
        .map(|i| i.mean_total)
        .sum();
    chart
        .draw_series(std::iter::empty::<Rectangle<(f64, SegmentValue<usize>)>>())?
        .label(fill(
            t.chart_breakdown_benefits,
            &[("total", &l.money(total_b, cur))],
        ))
        .legend(move |(x, y)| Rectangle::new([(x, y - 7), (x + 24, y + 7)], benefit));
    chart
        .draw_series(std::iter::empty::<Rectangle<(f64, SegmentValue<usize>)>>())?
        .label(fill(
            t.chart_breakdown_costs,
            &[("total", &l.money(total_c, cur))],
        ))
        .legend(move |(x, y)| Rectangle::new([(x, y - 7), (x + 24, y + 7)], cost));
    legend(&mut chart, SeriesLabelPosition::LowerRight)?;
    Ok(())
}
