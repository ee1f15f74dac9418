//! A drawing backend that passes everything through to another one, but
//! draws text only after [`crate::report::text::visible`]: every chart
//! text (scenario and item names, the currency label, column names) is
//! cleaned in one place, for the SVG (where NUL or ESC would make the XML
//! ill-formed) and the PNG alike. plotters escapes `<`, `&` and quotes in
//! the SVG itself.
//!
//! It also owns the geometry of text: every size estimate comes from
//! [`super::glyphs`], and in a PNG (`raster`) the text is drawn by it too,
//! glyph by glyph with the embedded fonts, instead of by plotters' ab_glyph
//! path, which misplaces glyphs (see that module).

use crate::report::text::visible;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};

/// `DB`, drawing only visible text; with `raster`, drawing it itself as
/// pixels (for bitmaps), else through `DB` (for SVG, whose viewer draws it).
pub struct Visible<DB> {
    pub inner: DB,
    pub raster: bool,
}

type Res<DB> = Result<(), DrawingErrorKind<<DB as DrawingBackend>::ErrorType>>;

impl<DB: DrawingBackend> DrawingBackend for Visible<DB> {
    type ErrorType = DB::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Res<DB> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Res<DB> {
        self.inner.present()
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Res<DB> {
        self.inner.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Res<DB> {
        self.inner.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Res<DB> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Res<DB> {
        self.inner.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Res<DB> {
        self.inner.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Res<DB> {
        self.inner.fill_polygon(vert, style)
    }

    fn draw_text<TStyle: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &TStyle,
        pos: BackendCoord,
    ) -> Res<DB> {
        let text = visible(text);
        if !self.raster {
            return self.inner.draw_text(&text, style, pos);
        }
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let inner = &mut self.inner;
        super::glyphs::draw(&text, style, pos, |x, y, c| {
            inner.draw_pixel(
                (x, y),
                BackendColor {
                    alpha: color.alpha * f64::from(c),
                    rgb: color.rgb,
                },
            )
        })
    }

    fn estimate_text_size<TStyle: BackendTextStyle>(
        &self,
        text: &str,
        style: &TStyle,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        let e = super::glyphs::extent(&visible(text), style);
        let h = super::glyphs::em(style.size());
        Ok(((e.right - e.left).ceil() as u32, h.round() as u32))
    }

    fn blit_bitmap(&mut self, pos: BackendCoord, size: (u32, u32), src: &[u8]) -> Res<DB> {
        self.inner.blit_bitmap(pos, size, src)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::charts::{label_style, register_fonts};
    use plotters::prelude::*;

    /// The pixels of `text` drawn on a small bitmap, through `Visible`
    /// (`clean`) or straight by the glyph drawing, as it is.
    fn pixels(text: &str, clean: bool) -> Vec<u8> {
        register_fonts();
        let mut buf = vec![255u8; 400 * 40 * 3];
        {
            let mut backend = BitMapBackend::with_buffer(&mut buf, (400, 40));
            let style = label_style();
            if clean {
                let root = Visible {
                    inner: backend,
                    raster: true,
                }
                .into_drawing_area();
                root.draw_text(text, &style, (5, 10)).unwrap();
                root.present().unwrap();
            } else {
                let color = style.color;
                crate::report::charts::glyphs::draw(text, &style, (5, 10), |x, y, c| {
                    let color = BackendColor {
                        alpha: f64::from(c),
                        rgb: color.rgb,
                    };
                    backend.draw_pixel((x, y), color)
                })
                .unwrap();
                backend.present().unwrap();
            }
        }
        buf
    }

    #[test]
    fn a_png_draws_the_visible_text() {
        let hostile = "Name\u{0}\u{1b}[31m\r\u{202e}x";
        let shown = "Name\u{fffd}\u{fffd}[31m\u{fffd}\u{fffd}x";
        assert_eq!(pixels(hostile, true), pixels(shown, false));
        assert_eq!(pixels("plain", true), pixels("plain", false));
        // Drawn as they are, the controls would show differently.
        assert_ne!(pixels(hostile, false), pixels(shown, false));
    }

    #[test]
    fn an_svg_stays_well_formed() {
        let mut svg = String::new();
        {
            let root = Visible {
                inner: plotters::backend::SVGBackend::with_string(&mut svg, (200, 40)),
                raster: false,
            }
            .into_drawing_area();
            root.draw_text("<a>\u{0}\u{1b}&", &label_style(), (5, 10))
                .unwrap();
            root.present().unwrap();
        }
        assert!(svg.contains("&lt;a&gt;\u{fffd}\u{fffd}&amp;"), "{svg}");
        assert!(!svg.contains('\u{0}') && !svg.contains('\u{1b}'));
    }
}
