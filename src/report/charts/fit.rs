//! The chart of `crm-roi fit`: a column's data as a histogram scaled to a
//! density, with the densities of the best fitted distributions drawn over
//! it, so that the eye can judge what the statistics rank.
//!
//! The chart knows nothing of fitting: it takes the values and, for each
//! curve, a label and a density function.

use super::{
    DrawResult, Key, Legend, axis_range, house_mesh, palette, title_for, title_style, to_png,
    to_svg,
};
use crate::format::axis;
use anyhow::Result;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

/// One fitted density to draw over the data.
pub struct Curve<'a> {
    pub label: String,
    pub density: &'a dyn Fn(f64) -> f64,
}

/// What the chart shows: `values` (finite, at least one) of `column`.
pub struct FitChart<'a> {
    pub column: &'a str,
    pub values: &'a [f64],
    /// Best first; the first three are drawn.
    pub curves: Vec<Curve<'a>>,
}

/// Colours of the curves, best fit first.
const CURVE_COLOURS: [RGBColor; 3] = [palette::INK, palette::ORANGE, palette::RED];

/// Points per curve.
const STEPS: usize = 240;

impl FitChart<'_> {
    pub fn svg(&self) -> Result<String> {
        to_svg(super::SIZE, "the fit chart", |root| self.draw(root))
    }

    pub fn png(&self, path: &Path) -> Result<()> {
        to_png(super::SIZE, path, |root| self.draw(root))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        root.fill(&WHITE)?;
        // Data beyond what the axes can show are drawn in a unit of a power
        // of ten, the densities per that unit.
        let unit = unit_of(self.values);
        let scaled: Vec<f64>;
        let values = if unit == 1.0 {
            self.values
        } else {
            scaled = self.values.iter().map(|v| v / unit).collect();
            &scaled
        };
        let n = values.len() as f64;
        let edges = edges(values);
        let width = edges[1] - edges[0];
        let bins = edges.len() - 1;
        let mut counts = vec![0usize; bins];
        for &v in values {
            let i = ((v - edges[0]) / width).floor().max(0.0) as usize;
            counts[i.min(bins - 1)] += 1;
        }
        let densities: Vec<f64> = counts.iter().map(|&c| c as f64 / (n * width)).collect();

        // The x range shows the data and a margin where the fits continue.
        let (lo, hi) = (edges[0], edges[edges.len() - 1]);
        let pad = 0.15 * (hi - lo);
        let (x0, x1) = axis_range(lo - pad, hi + pad);
        let curves: Vec<(&Curve, Vec<(f64, f64)>)> = self
            .curves
            .iter()
            .take(CURVE_COLOURS.len())
            .map(|c| {
                let pts = (0..=STEPS)
                    .map(|i| x0 + (x1 - x0) * i as f64 / STEPS as f64)
                    .map(|x| (x, (c.density)(x * unit) * unit))
                    .filter(|(_, y)| y.is_finite())
                    .collect();
                (c, pts)
            })
            .collect();
        let top_bar = densities.iter().copied().fold(0.0, f64::max);
        // Curves may spike (a J-shaped beta); the axis follows the bars.
        let top_curve = curves
            .iter()
            .flat_map(|(_, pts)| pts.iter().map(|p| p.1))
            .fold(0.0, f64::max)
            .min(3.0 * top_bar);
        let (_, y1) = axis_range(0.0, top_bar.max(top_curve) * 1.15);

        // The legend sits below the chart, off the bars and curves.
        let bars = palette::BLUE.mix(0.35);
        let mut legend = Legend::new();
        legend.push(
            Key::Fill(bars),
            format!("Data: {} values", self.values.len()),
        );
        for ((curve, _), colour) in curves.iter().zip(CURVE_COLOURS) {
            legend.push(Key::Line(colour, 3), curve.label.clone());
        }
        let (root, strip) = legend.below(root);
        let mut chart = ChartBuilder::on(&root)
            .caption(
                title_for(
                    self.column,
                    |n| format!("{n}: data and fitted distributions"),
                    root.dim_in_pixel().0 - 48,
                ),
                title_style(),
            )
            .margin(24)
            .x_label_area_size(60)
            .y_label_area_size(90)
            .build_cartesian_2d(x0..x1, 0.0..y1)?;
        house_mesh(&mut chart.configure_mesh())
            .x_desc(x_label(self.column, unit))
            .y_desc("Density")
            .x_label_formatter(&|v| axis(*v))
            .y_label_formatter(&|v| axis(*v))
            .draw()?;

        chart.draw_series(
            edges
                .windows(2)
                .zip(&densities)
                .map(|(e, &d)| Rectangle::new([(e[0], 0.0), (e[1], d)], bars.filled())),
        )?;
        for ((_, pts), colour) in curves.into_iter().zip(CURVE_COLOURS) {
            let style = colour.stroke_width(3);
            let clipped = pts.into_iter().map(|(x, y)| (x, y.min(y1)));
            chart.draw_series(LineSeries::new(clipped, style))?;
        }
        legend.draw(&strip)
    }
}

/// Bin edges: about √n equal bins (5 to 40) over the range of `values`,
/// widened by [`axis_range`] where it is too narrow to draw.
fn edges(values: &[f64]) -> Vec<f64> {
    let (lo, hi) = range(values);
    let bins = ((values.len() as f64).sqrt().ceil() as usize).clamp(5, 40);
    let width = (hi - lo) / bins as f64;
    (0..=bins).map(|i| lo + i as f64 * width).collect()
}

/// Above this magnitude data are drawn in a larger unit ([`unit_of`]):
/// the axes reach ±1e300 ([`axis_range`]), and the chart adds a margin of
/// 15% of the range on either side, which must not overflow.
const LARGEST_DRAWN: f64 = 1e297;

/// The unit in which `values` are drawn: 1, or, when some value lies
/// beyond [`LARGEST_DRAWN`] in magnitude, the power of ten at or below the
/// largest magnitude (1e308 for values up to `f64::MAX`).
fn unit_of(values: &[f64]) -> f64 {
    let largest = values.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
    if largest > LARGEST_DRAWN && largest.is_finite() {
        // The double nearest 10^e, as the text `1e{e}` reads (powi rounds
        // on the way: 1.0000000000000006e308).
        let power = |e: i32| format!("1e{e}").parse::<f64>().unwrap_or(1.0);
        let e = largest.log10().floor() as i32;
        if power(e) > largest {
            power(e - 1)
        } else {
            power(e)
        }
    } else {
        1.0
    }
}

/// The x axis's label: the column, and the unit when it is not 1.
fn x_label(column: &str, unit: f64) -> String {
    if unit == 1.0 {
        column.to_string()
    } else {
        format!("{column} (in units of {})", crate::format::exact(unit))
    }
}

/// The data's range, widened where it is too narrow to draw.
fn range(values: &[f64]) -> (f64, f64) {
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    axis_range(lo, hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_data_and_curves() {
        let values: Vec<f64> = (0..50).map(|i| 10.0 + (i as f64 * 0.37) % 5.0).collect();
        let flat = |x: f64| if (10.0..15.0).contains(&x) { 0.2 } else { 0.0 };
        let chart = FitChart {
            column: "hours <saved>",
            values: &values,
            curves: vec![Curve {
                label: "uniform(10, 15)".into(),
                density: &flat,
            }],
        };
        let svg = chart.svg().unwrap();
        assert!(svg.contains("uniform(10, 15)"));
        assert!(svg.contains("Data: 50 values"));
        // Text from the data file is escaped.
        assert!(svg.contains("hours &lt;saved&gt;"), "{}", &svg[..400]);
        // Constant data still draws.
        let same = [3.0; 6];
        let chart = FitChart {
            column: "c",
            values: &same,
            curves: vec![],
        };
        assert!(chart.svg().is_ok());
    }

    /// The heights of the histogram's bars in an SVG of the chart (the
    /// legend's key, 16 pixels high below the plot, left out).
    fn bar_heights(svg: &str) -> Vec<f64> {
        let doc = roxmltree::Document::parse(svg).unwrap();
        doc.descendants()
            .filter(|n| n.has_tag_name("rect") && n.attribute("opacity") == Some("0.35"))
            .filter(|n| n.attribute("width") != Some("28"))
            .map(|n| n.attribute("height").unwrap().parse().unwrap())
            .collect()
    }

    /// Data beyond what the axes reach (±1e300) are drawn in a unit of a
    /// power of ten, named on the axis, with every value in a bar: they
    /// were drawn as an empty chart on an axis that missed them.
    #[test]
    fn data_near_the_largest_doubles_are_drawn_in_a_larger_unit() {
        let ten = |a: f64, step: f64| (0..10).map(|i| a + step * i as f64).collect::<Vec<_>>();
        for (values, unit) in [
            (ten(1.0, 0.07), None),
            (ten(1e308, 7e306), Some("1e308")),
            (
                vec![
                    -1.6e308, -1.2e308, -8e307, -4e307, 0.0, 4e307, 8e307, 1.2e308, 1.6e308,
                    1.7e308,
                ],
                Some("1e308"),
            ),
            (vec![-f64::MAX, f64::MAX, 0.0, 1.0, 2.0], Some("1e308")),
            (ten(1e300, 2e299), Some("1e300")),
            (ten(-3e298, 1e297), Some("1e298")),
        ] {
            let s = values[values.len() - 1].abs();
            let normal = |x: f64| (-0.5 * (x / s).powi(2)).exp() / s;
            let chart = FitChart {
                column: "x",
                values: &values,
                curves: vec![Curve {
                    label: "curve".into(),
                    density: &normal,
                }],
            };
            let svg = chart.svg().unwrap();
            let heights = bar_heights(&svg);
            assert!(heights.len() >= 5, "{values:?}: {heights:?}");
            // Every bar stands on the axis, and together they hold the
            // data: the tallest is visible.
            assert!(
                heights.iter().cloned().fold(0.0, f64::max) > 50.0,
                "{values:?}: {heights:?}"
            );
            // (The SVG draws its text as shapes: the label is checked apart.)
            let label = x_label("x", unit_of(&values));
            match unit {
                Some(u) => assert_eq!(label, format!("x (in units of {u})"), "{values:?}"),
                None => assert_eq!(label, "x", "{values:?}"),
            }
        }
        assert_eq!(unit_of(&[1e297, -1e297]), 1.0);
        assert_eq!(unit_of(&[f64::MAX]), 1e308);
        assert_eq!(unit_of(&[-9.99e299]), 1e299);
    }

    #[test]
    fn degenerate_data_draw_in_bounded_time() {
        // Values one rounding step apart hung in plotters' tick search, as
        // did tiny, subnormal and huge ones (issue 11, item 3).
        let samples: Vec<Vec<f64>> = vec![
            vec![0.3, 0.30000000000000004, 0.3, 0.30000000000000004, 0.3, 0.3],
            vec![1.0, 1.0, 1.0, 1.0, 1.0, 1.0000000000000002],
            vec![
                1e-300,
                1.0000001e-300,
                1e-300,
                1.00000002e-300,
                1.0000003e-300,
            ],
            vec![5e-324, 1e-323, 5e-324, 1.5e-323, 5e-324],
            vec![1e300, 2e300, 3e300, 1.5e300, 2.5e300, 1.2e300],
            vec![-f64::MAX, f64::MAX, 0.0, 1.0, 2.0],
            vec![1e15, 1e15 + 0.125, 1e15, 1e15 + 0.125, 1e15],
            vec![-2.5; 7],
            vec![0.0; 7],
        ];
        for values in samples {
            let what = format!("the fit chart of {values:?}");
            let svg = crate::report::charts::finishes(&what, move || {
                // A density that spikes, overflows and is undefined in places.
                let wild = |x: f64| {
                    if x.is_sign_negative() {
                        f64::NAN
                    } else {
                        1.0 / (x - 0.3).abs()
                    }
                };
                let chart = FitChart {
                    column: "x",
                    values: &values,
                    curves: vec![Curve {
                        label: "wild".into(),
                        density: &wild,
                    }],
                };
                let dir = tempfile::tempdir().unwrap();
                chart
                    .png(&dir.path().join("x.png"))
                    .map_err(|e| e.to_string())?;
                chart.svg().map_err(|e| e.to_string())
            });
            let svg = svg.unwrap_or_else(|e| panic!("{e}"));
            assert!(roxmltree::Document::parse(&svg).is_ok());
        }
    }
}
