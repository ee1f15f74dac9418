//! The breakdown: the mean total of each cost and each benefit over the
//! horizon, so that management sees where the value comes from and where
//! the money goes. Long item names are shortened with an ellipsis; the
//! legend sits below the chart.

use super::{
    DrawResult, Key, Legend, edge_margin, glyphs, house_mesh, label_style, names, palette,
    title_for, title_style, with_unit,
};
use crate::lang::{Lang, fill};
use crate::results::Results;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The widest the label column gets, in pixels.
const LABELS: f32 = 400.0;

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
    // The item's name is shortened to what the label column leaves it.
    let label_font = label_style();
    let labels: Vec<String> = items
        .iter()
        .map(|i| {
            let label = |name: &str| format!("{} ({})", name, t.item_kind(i.kind));
            let room = LABELS - glyphs::width_in(&label(""), &label_font);
            label(&names::shorten(&i.name, &label_font, room))
        })
        .collect();
    let column = labels
        .iter()
        .map(|label| glyphs::width_in(label, &label_font))
        .fold(0.0f32, f32::max);
    let years = s.horizon_months as f64 / 12.0;
    let benefit = palette::GREEN.mix(0.8);
    let cost = palette::RED.mix(0.8);
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
    let mut legend = Legend::new();
    legend.push(
        Key::Fill(benefit),
        fill(
            t.chart_breakdown_benefits,
            &[("total", &l.money(total_b, cur))],
        ),
    );
    legend.push(
        Key::Fill(cost),
        fill(
            t.chart_breakdown_costs,
            &[("total", &l.money(total_c, cur))],
        ),
    );
    let (root, strip) = legend.below(root);

    let mut chart = ChartBuilder::on(&root)
        .caption(
            title_for(
                &s.scenario,
                |n| fill(t.chart_breakdown_title, &[("name", &n)]),
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

    let (benefit, cost) = (benefit.filled(), cost.filled());
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
    legend.draw(&strip)
}
