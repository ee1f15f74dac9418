//! A drawing backend that passes everything through to another one, but
//! draws text only after [`crate::report::text::visible`]: every chart
//! text (scenario and item names, the currency label, column names) is
//! cleaned in one place, for the SVG (where NUL or ESC would make the XML
//! ill-formed) and the PNG alike. plotters escapes `<`, `&` and quotes in
//! the SVG itself.

use crate::report::text::visible;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};

/// `DB`, drawing only visible text.
pub struct Visible<DB>(pub DB);

type Res<DB> = Result<(), DrawingErrorKind<<DB as DrawingBackend>::ErrorType>>;

impl<DB: DrawingBackend> DrawingBackend for Visible<DB> {
    type ErrorType = DB::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.0.get_size()
    }

    fn ensure_prepared(&mut self) -> Res<DB> {
        self.0.ensure_prepared()
    }

    fn present(&mut self) -> Res<DB> {
        self.0.present()
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Res<DB> {
        self.0.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Res<DB> {
        self.0.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Res<DB> {
        self.0.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Res<DB> {
        self.0.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Res<DB> {
        self.0.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Res<DB> {
        self.0.fill_polygon(vert, style)
    }

    fn draw_text<TStyle: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &TStyle,
        pos: BackendCoord,
    ) -> Res<DB> {
        self.0.draw_text(&visible(text), style, pos)
    }

    fn estimate_text_size<TStyle: BackendTextStyle>(
        &self,
        text: &str,
        style: &TStyle,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        self.0.estimate_text_size(&visible(text), style)
    }

    fn blit_bitmap(&mut self, pos: BackendCoord, size: (u32, u32), src: &[u8]) -> Res<DB> {
        self.0.blit_bitmap(pos, size, src)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::charts::{label_style, register_fonts};
    use plotters::prelude::*;

    /// The pixels of `text` drawn on a small bitmap through `wrap`.
    fn pixels(text: &str, wrap: bool) -> Vec<u8> {
        register_fonts();
        let mut buf = vec![255u8; 400 * 40 * 3];
        {
            let backend = BitMapBackend::with_buffer(&mut buf, (400, 40));
            let style = label_style();
            if wrap {
                let root = Visible(backend).into_drawing_area();
                root.draw_text(text, &style, (5, 10)).unwrap();
                root.present().unwrap();
            } else {
                let root = backend.into_drawing_area();
                root.draw_text(text, &style, (5, 10)).unwrap();
                root.present().unwrap();
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
            let root = Visible(plotters::backend::SVGBackend::with_string(
                &mut svg,
                (200, 40),
            ))
            .into_drawing_area();
            root.draw_text("<a>\u{0}\u{1b}&", &label_style(), (5, 10))
                .unwrap();
            root.present().unwrap();
        }
        assert!(svg.contains("&lt;a&gt;\u{fffd}\u{fffd}&amp;"), "{svg}");
        assert!(!svg.contains('\u{0}') && !svg.contains('\u{1b}'));
    }
}
