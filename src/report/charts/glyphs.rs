//! Chart text, laid out and drawn with the DejaVu Sans fonts compiled into
//! the binary (`assets/fonts`), never a system font.
//!
//! plotters 0.3.7 draws ab_glyph text wrongly: it places each glyph's
//! bounding box at the pen position, dropping the glyph's left side bearing
//! (`px_bounds().min.x`), and rounds every pen position down to a whole
//! pixel. Glyphs with a wide bearing ("i", "h", "t") slide left and leave a
//! gap behind them: "cumulati ve", "wh at", "af ter". Its width estimate
//! also uses a larger em than its SVG backend writes. This module does both
//! jobs itself, the way a text engine does: each glyph at its pen position
//! (sum of advances and kerning, kept in fractions of a pixel) plus its own
//! bearing, rasterised with antialiasing by ab_glyph.
//!
//! Sizes follow plotters' SVG backend, which writes `font-size` as the
//! style's size / 1.24, and its vertical anchors (`dy` of 0.76 em, 0.5 ex
//! and −0.5 ex for top, centre and bottom), so the PNG and the SVG (read
//! with DejaVu Sans) put the same text in the same place, and [`Extent`]
//! gives the box of either.

use ab_glyph::{Font, FontRef, GlyphId, PxScale, ScaleFont, point};
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{BackendTextStyle, FontStyle, FontTransform};
use std::sync::OnceLock;

/// The regular face, as embedded.
pub(crate) const REGULAR: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
/// The bold face, as embedded.
pub(crate) const BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

/// The em of a plotters text size, in pixels (plotters-svg's convention).
pub(crate) fn em(size: f64) -> f32 {
    (size / 1.24) as f32
}

fn face(bold: bool) -> &'static FontRef<'static> {
    static FACES: OnceLock<[FontRef<'static>; 2]> = OnceLock::new();
    let faces = FACES.get_or_init(|| {
        // Compiled in and known to parse: the chart tests draw with both.
        [
            FontRef::try_from_slice(REGULAR).expect("embedded DejaVu Sans"),
            FontRef::try_from_slice(BOLD).expect("embedded DejaVu Sans Bold"),
        ]
    });
    &faces[usize::from(bold)]
}

/// A run of text laid out on one line: each glyph with its pen position.
struct Line {
    font: &'static FontRef<'static>,
    scale: PxScale,
    glyphs: Vec<(GlyphId, f32)>,
    width: f32,
    em: f32,
}

fn line(text: &str, size: f64, bold: bool) -> Line {
    let font = face(bold);
    let em = em(size);
    // ab_glyph scales so that ascent − descent is the given height.
    let units = font.units_per_em().unwrap_or(2048.0);
    let scale = PxScale::from(em * font.height_unscaled() / units);
    let scaled = font.as_scaled(scale);
    let mut pen = 0.0f32;
    let mut prev: Option<GlyphId> = None;
    let mut glyphs = Vec::with_capacity(text.len());
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = prev {
            pen += scaled.kern(p, id);
        }
        glyphs.push((id, pen));
        pen += scaled.h_advance(id);
        prev = Some(id);
    }
    Line {
        font,
        scale,
        glyphs,
        width: pen,
        em,
    }
}

/// The x-height of a face, as a fraction of the em (what CSS calls 1 ex).
fn x_height(bold: bool) -> f32 {
    let font = face(bold);
    let units = font.units_per_em().unwrap_or(2048.0);
    // ab_glyph keeps the top of an outline in `min.y` (its y points down).
    font.outline(font.glyph_id('x'))
        .map_or(0.5, |o| o.bounds.min.y.max(o.bounds.max.y) / units)
}

/// Where a text's baseline lies below its anchor, in pixels, for the
/// vertical anchor `v` (plotters-svg's `dy`).
fn baseline(v: VPos, em: f32, bold: bool) -> f32 {
    match v {
        VPos::Top => 0.76 * em,
        VPos::Center => 0.5 * x_height(bold) * em,
        VPos::Bottom => -0.5 * x_height(bold) * em,
    }
}

/// The box a text takes, relative to its anchor, before any rotation: from
/// the left end to the right end of its advances, from the font's ascent
/// to its descent.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Extent {
    pub left: f32,
    pub right: f32,
    pub top: f32,
    pub bottom: f32,
}

fn is_bold(style: FontStyle) -> bool {
    matches!(style, FontStyle::Bold)
}

/// The width of `text` in pixels, drawn at plotters size `size`.
pub(crate) fn width(text: &str, size: f64, bold: bool) -> f32 {
    line(text, size, bold).width
}

/// The width of `text` in `style`.
pub(crate) fn width_in<S: BackendTextStyle>(text: &str, style: &S) -> f32 {
    width(text, style.size(), is_bold(style.style()))
}

/// The box of `text` in `style` around its anchor (unrotated).
pub(crate) fn extent<S: BackendTextStyle>(text: &str, style: &S) -> Extent {
    let bold = is_bold(style.style());
    let l = line(text, style.size(), bold);
    let anchor = style.anchor();
    let left = match anchor.h_pos {
        HPos::Left => 0.0,
        HPos::Center => -l.width / 2.0,
        HPos::Right => -l.width,
    };
    let base = baseline(anchor.v_pos, l.em, bold);
    let scaled = l.font.as_scaled(l.scale);
    Extent {
        left,
        right: left + l.width,
        top: base - scaled.ascent(),
        bottom: base - scaled.descent(),
    }
}

/// Draws `text` in `style` with its anchor at `pos`, calling `pixel` with
/// each covered pixel and its coverage (0 to 1).
pub(crate) fn draw<S: BackendTextStyle, E>(
    text: &str,
    style: &S,
    pos: (i32, i32),
    mut pixel: impl FnMut(i32, i32, f32) -> Result<(), E>,
) -> Result<(), E> {
    let bold = is_bold(style.style());
    let l = line(text, style.size(), bold);
    let anchor = style.anchor();
    let x0 = match anchor.h_pos {
        HPos::Left => 0.0,
        HPos::Center => -l.width / 2.0,
        HPos::Right => -l.width,
    };
    let y0 = baseline(anchor.v_pos, l.em, bold);
    let transform = style.transform();
    for &(id, pen) in &l.glyphs {
        let glyph = id.with_scale_and_position(l.scale, point(x0 + pen, y0));
        let Some(outlined) = l.font.outline_glyph(glyph) else {
            continue;
        };
        let bounds = outlined.px_bounds();
        let (bx, by) = (bounds.min.x as i32, bounds.min.y as i32);
        let mut covered = Vec::new();
        outlined.draw(|x, y, c| {
            if c > 0.0 {
                covered.push((bx + x as i32, by + y as i32, c.min(1.0)));
            }
        });
        for (x, y, c) in covered {
            let (x, y) = rotate(&transform, x, y);
            pixel(pos.0 + x, pos.1 + y, c)?;
        }
    }
    Ok(())
}

fn rotate(t: &FontTransform, x: i32, y: i32) -> (i32, i32) {
    t.transform(x, y)
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::prelude::*;
    use plotters::style::text_anchor::Pos;

    fn style(size: f64) -> TextStyle<'static> {
        super::super::register_fonts();
        (super::super::FONT, size).into_font().into()
    }

    /// The columns of a word drawn into a PNG as the charts draw it (through
    /// `Visible`), left to right, that hold ink.
    fn inked_columns(text: &str) -> Vec<bool> {
        let s = style(40.0).pos(Pos::new(HPos::Left, VPos::Top));
        let (w, h) = (600u32, 60u32);
        let mut buf = vec![255u8; (w * h * 3) as usize];
        {
            let root = super::super::Visible {
                inner: BitMapBackend::with_buffer(&mut buf, (w, h)),
                raster: true,
            }
            .into_drawing_area();
            root.draw_text(text, &s, (10, 10)).unwrap();
            root.present().unwrap();
        }
        (0..w as usize)
            .map(|x| (0..h as usize).any(|y| buf[(y * w as usize + x) * 3] < 160))
            .collect()
    }

    /// The runs of inked columns: (first, last) of each.
    fn runs(ink: &[bool]) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut start = None;
        for (x, &b) in ink.iter().chain([false].iter()).enumerate() {
            match (b, start) {
                (true, None) => start = Some(x),
                (false, Some(s)) => {
                    out.push((s, x - 1));
                    start = None;
                }
                _ => {}
            }
        }
        out
    }

    #[test]
    fn glyphs_sit_at_their_pen_position_plus_bearing() {
        // DejaVu Sans "i" (fontTools, assets/fonts/DejaVuSans.ttf): advance
        // 569, ink from x = 193 to 377, in 2048 units per em. Drawn at size
        // 40 (an em of 40 / 1.24 px) from x = 10, the k-th "i" of "iii" has
        // ink from 10 + (569 k + 193) s to 10 + (569 k + 377) s, s = em /
        // 2048; antialiasing blurs each edge by up to a pixel. plotters
        // 0.3.7 drew each glyph at its pen position without the bearing,
        // 193 s = 3 px too far left (and the next one after a rounded-down
        // pen position), which opened "cumulati ve".
        let s = (40.0 / 1.24) / 2048.0;
        let found = runs(&inked_columns("iii"));
        assert_eq!(found.len(), 3, "{found:?}");
        for (k, &(a, b)) in found.iter().enumerate() {
            let k = k as f64;
            let (x0, x1) = (
                10.0 + (569.0 * k + 193.0) * s,
                10.0 + (569.0 * k + 377.0) * s,
            );
            assert!(
                (a as f64 - x0).abs() <= 1.0,
                "i #{k}: ink from {a}, not {x0:.1}"
            );
            assert!(
                (b as f64 - x1).abs() <= 1.0,
                "i #{k}: ink to {b}, not {x1:.1}"
            );
        }
    }

    #[test]
    fn x_height_is_the_fonts() {
        // DejaVu Sans: "x" is 1120 units of 2048 high.
        assert!((x_height(false) - 1120.0 / 2048.0).abs() < 1e-6);
    }

    #[test]
    fn widths_are_the_sum_of_advances() {
        // DejaVu Sans: advance of "i" 569, "W" 2025 units of 2048 per em.
        let em = em(124.0);
        assert!((em - 100.0).abs() < 1e-4);
        assert!((width("i", 124.0, false) - 569.0 / 2048.0 * 100.0).abs() < 0.01);
        assert!((width("W", 124.0, false) - 2025.0 / 2048.0 * 100.0).abs() < 0.01);
        assert!(width("W", 124.0, true) > width("W", 124.0, false) - 0.01);
    }
}
