//! The chart of a sweep (docs/sweep.md). Two panels: on the left the
//! chance of payback within the target (the median payback in years when
//! no variant has a target), on the right the median NPV. One swept field:
//! each panel is a line over the field's values (a numeric axis when every
//! value is a number, else one slot per value). Two swept fields: each
//! panel is a heatmap, the first field's values as rows (first on top),
//! the second's as columns, every cell labelled with its figure.

use super::{DrawResult, axis_style, house_mesh, label_style, padded, palette, title_style};
use crate::lang::Lang;
use crate::report::text::terminal;
use crate::sweep::{Headline, Table};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Pixel size of the sweep chart: two panels.
pub const SIZE: (u32, u32) = (1600, 800);

/// What a panel shows.
#[derive(Clone, Copy)]
enum Figure {
    PPayback,
    MedianPayback,
    MedianNpv,
}

impl Figure {
    fn of(self, h: &Headline) -> Option<f64> {
        match self {
            Figure::PPayback => h.p_payback_within_target,
            Figure::MedianPayback => h.median_payback_years,
            Figure::MedianNpv => h.npv_median,
        }
    }

    fn title(self, table: &Table, lang: Lang) -> String {
        let (l, t) = (lang, lang.t());
        match self {
            Figure::PPayback => {
                // One target for every variant: say it.
                let mut targets = table.points.iter().map(|p| p.headline.target_payback_years);
                let first = targets.next().flatten();
                match first {
                    Some(tp) if targets.all(|x| x == Some(tp)) => crate::lang::fill(
                        t.chart_sweep_within,
                        &[("years", &l.n_years(&l.trim(tp)))],
                    ),
                    _ => t.chart_sweep_within_target.into(),
                }
            }
            Figure::MedianPayback => t.chart_sweep_median_payback.into(),
            Figure::MedianNpv => super::with_unit(
                t.chart_sweep_median_npv,
                table.currency.as_deref().map(|c| l.currency(c)),
            ),
        }
    }

    fn show(self, x: Option<f64>, currency: Option<&str>, lang: Lang) -> String {
        let (l, t) = (lang, lang.t());
        match (self, x) {
            (Figure::PPayback, Some(p)) => l.percent(p),
            (Figure::MedianPayback, Some(y)) => l.years(y, 1),
            (Figure::MedianPayback, None) => t.beyond.into(),
            (Figure::MedianNpv, Some(v)) => crate::format::minus(&l.money(v, currency)),
            (_, None) => t.not_available.into(),
        }
    }
}

pub(super) fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    table: &Table,
    lang: Lang,
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let paths = table.paths.join(" × ");
    let title = super::title_for(
        &terminal(&table.scenario),
        |n| format!("{}: {}", n, terminal(&paths)),
        SIZE.0 - 48,
    );
    let root = root.titled(&title, title_style())?;
    let (left, right) = root.split_horizontally(SIZE.0 / 2);
    let first = if table.has_target() {
        Figure::PPayback
    } else {
        Figure::MedianPayback
    };
    match table.paths.len() {
        1 => {
            line(&left, table, first, lang)?;
            line(&right, table, Figure::MedianNpv, lang)
        }
        _ => {
            heatmap(&left, table, first, lang)?;
            heatmap(&right, table, Figure::MedianNpv, lang)
        }
    }
}

/// Value labels of the swept field `j`, in grid order.
fn labels(table: &Table, j: usize, lang: Lang) -> Vec<String> {
    table
        .values(j)
        .iter()
        .map(|s| s.number().map_or_else(|| s.text(), |v| lang.input_value(v)))
        .collect()
}

fn line<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    table: &Table,
    figure: Figure,
    lang: Lang,
) -> DrawResult<DB> {
    let l = lang;
    let cur = table.currency.as_deref();
    let names = labels(table, 0, lang);
    let numeric: Option<Vec<f64>> = table.values(0).iter().map(|s| s.number()).collect();
    let xs: Vec<f64> = match &numeric {
        Some(v) => v.clone(),
        None => (0..names.len()).map(|i| i as f64).collect(),
    };
    let points: Vec<(f64, Option<f64>)> = table
        .points
        .iter()
        .zip(&xs)
        .map(|(p, &x)| (x, figure.of(&p.headline)))
        .collect();
    let (x0, x1) = match &numeric {
        Some(v) => {
            let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            padded(lo, hi)
        }
        None => (-0.5, names.len() as f64 - 0.5),
    };
    let ys = points.iter().filter_map(|p| p.1);
    let (y0, y1) = match figure {
        Figure::PPayback => (0.0, 1.0),
        _ => {
            let (lo, hi) = ys.fold((0.0f64, 0.0f64), |(a, b), v| (a.min(v), b.max(v)));
            padded(lo, hi)
        }
    };
    let mut chart = ChartBuilder::on(area)
        .caption(figure.title(table, lang), axis_style())
        .margin(20)
        .x_label_area_size(55)
        .y_label_area_size(90)
        .build_cartesian_2d(x0..x1, y0..y1)?;
    let x_desc = crate::report::pretty_input_in(&table.paths[0], lang);
    let by_index = |v: &f64| -> String {
        let i = v.round();
        if (v - i).abs() < 1e-9 && i >= 0.0 && (i as usize) < names.len() {
            names[i as usize].clone()
        } else {
            String::new()
        }
    };
    let x_fmt = |v: &f64| {
        if numeric.is_some() {
            l.local(crate::format::axis(*v))
        } else {
            by_index(v)
        }
    };
    let y_fmt = |v: &f64| match figure {
        Figure::PPayback => l.percent(*v),
        Figure::MedianPayback => l.years(*v, 1),
        Figure::MedianNpv => crate::format::minus(&l.money(*v, cur)),
    };
    house_mesh(&mut chart.configure_mesh())
        .x_desc(terminal(&x_desc).into_owned())
        .x_label_formatter(&x_fmt)
        .x_labels(if numeric.is_some() { 10 } else { names.len() })
        .y_label_formatter(&y_fmt)
        .draw()?;
    if matches!(figure, Figure::MedianNpv) && y0 < 0.0 && y1 > 0.0 {
        chart.draw_series(LineSeries::new(
            [(x0, 0.0), (x1, 0.0)],
            palette::GREY.stroke_width(2),
        ))?;
    }
    let color = match figure {
        Figure::MedianNpv => palette::GREEN,
        _ => palette::BLUE,
    };
    // Lines join consecutive defined points only.
    let mut run: Vec<(f64, f64)> = Vec::new();
    for &(x, y) in points.iter().chain([(f64::NAN, None)].iter()) {
        match y {
            Some(y) if x.is_finite() => run.push((x, y)),
            _ => {
                chart.draw_series(LineSeries::new(run.drain(..), color.stroke_width(3)))?;
            }
        }
    }
    chart.draw_series(
        points
            .iter()
            .filter_map(|&(x, y)| y.map(|y| Circle::new((x, y), 6, color.filled()))),
    )?;
    if points.len() <= 12 {
        let dy = 0.02 * (y1 - y0);
        chart.draw_series(points.iter().filter_map(|&(x, y)| {
            y.map(|y| {
                Text::new(
                    figure.show(Some(y), cur, lang),
                    (x, y + dy),
                    label_style().pos(Pos::new(HPos::Center, VPos::Bottom)),
                )
            })
        }))?;
    }
    Ok(())
}

/// A cell's fill: probabilities from red (0) to green (1); amounts red
/// below zero and green above, deeper with the size; grey when undefined.
fn fill(figure: Figure, x: Option<f64>, largest: f64) -> RGBColor {
    let mix = |c: RGBColor, t: f64| {
        let t = t.clamp(0.0, 1.0) * 0.8;
        let m = |a: u8| (255.0 + (a as f64 - 255.0) * t).round() as u8;
        RGBColor(m(c.0), m(c.1), m(c.2))
    };
    match (figure, x) {
        (_, None) => RGBColor(220, 220, 220),
        (Figure::PPayback, Some(p)) if p >= 0.5 => mix(palette::GREEN, 2.0 * p - 1.0),
        (Figure::PPayback, Some(p)) => mix(palette::RED, 1.0 - 2.0 * p),
        // Longer payback is worse: deeper red up to the longest shown.
        (Figure::MedianPayback, Some(y)) => mix(palette::RED, y / largest.max(f64::MIN_POSITIVE)),
        (Figure::MedianNpv, Some(v)) if v >= 0.0 => {
            mix(palette::GREEN, v / largest.max(f64::MIN_POSITIVE))
        }
        (Figure::MedianNpv, Some(v)) => mix(palette::RED, -v / largest.max(f64::MIN_POSITIVE)),
    }
}

fn heatmap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    table: &Table,
    figure: Figure,
    lang: Lang,
) -> DrawResult<DB> {
    let rows = labels(table, 0, lang);
    let cols = labels(table, 1, lang);
    let (nr, nc) = (rows.len().max(1), cols.len().max(1));
    let largest = table
        .points
        .iter()
        .filter_map(|p| figure.of(&p.headline))
        .fold(0.0f64, |a, v| a.max(v.abs()));
    let mut chart = ChartBuilder::on(area)
        .caption(figure.title(table, lang), axis_style())
        .margin(20)
        .x_label_area_size(55)
        .y_label_area_size(150)
        .build_cartesian_2d((0..nc - 1).into_segmented(), (0..nr - 1).into_segmented())?;
    let (xd, yd) = (
        terminal(&crate::report::pretty_input_in(&table.paths[1], lang)).into_owned(),
        terminal(&crate::report::pretty_input_in(&table.paths[0], lang)).into_owned(),
    );
    house_mesh(&mut chart.configure_mesh())
        .disable_mesh()
        .x_desc(xd)
        .y_desc(yd)
        .x_labels(nc)
        .y_labels(nr)
        .x_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) if *i < cols.len() => cols[*i].clone(),
            _ => String::new(),
        })
        .y_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) if *i < rows.len() => rows[rows.len() - 1 - i].clone(),
            _ => String::new(),
        })
        .draw()?;
    let cells: Vec<(usize, usize, Option<f64>)> = table
        .points
        .iter()
        .enumerate()
        .map(|(k, p)| (k / nc, k % nc, figure.of(&p.headline)))
        .collect();
    chart.draw_series(cells.iter().map(|&(r, c, x)| {
        let slot = nr - 1 - r;
        Rectangle::new(
            [
                (SegmentValue::Exact(c), SegmentValue::Exact(slot)),
                (SegmentValue::Exact(c + 1), SegmentValue::Exact(slot + 1)),
            ],
            fill(figure, x, largest).filled(),
        )
    }))?;
    if nr * nc <= 400 {
        // The unit is in the panel's title; smaller text in narrow cells.
        let size = if nc > 8 { 14 } else { 18 };
        let style = (super::FONT, size)
            .into_font()
            .color(&palette::INK)
            .pos(Pos::new(HPos::Center, VPos::Center));
        chart.draw_series(cells.iter().map(|&(r, c, x)| {
            Text::new(
                figure.show(x, None, lang),
                (
                    SegmentValue::CenterOf(c),
                    SegmentValue::CenterOf(nr - 1 - r),
                ),
                style.clone(),
            )
        }))?;
    }
    Ok(())
}
