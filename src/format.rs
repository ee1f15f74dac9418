//! Number formatting for everything a person reads: the printed summary,
//! warnings and error messages, chart labels, the HTML report and the CSV
//! cells.
//!
//! Every way this crate turns an `f64` into text lives here, so that the
//! rules stay consistent (a percentage reads the same in a chart and in the
//! report) and so that a change of convention, such as a Dutch report with
//! `1.234.567,8`, touches one file. The module sits at the bottom of the
//! dependency graph: it imports nothing of the crate, and every layer may
//! use it.
//!
//! Two rules hold throughout:
//!
//! - A number in a message or a CSV cell never runs to hundreds of digits:
//!   outside [`PLAIN_RANGE`] it is written with an exponent (`5e-324`,
//!   `1.79769e308`), which Rust's `{}` for `f64` never does on its own.
//! - A CSV cell round-trips: it is Rust's shortest representation that
//!   parses back to the same `f64` (`{}`), or `{:e}` at extreme magnitudes,
//!   which also round-trips.
//!
//! Formatters that label a chart or the report round for reading; those for
//! messages keep six significant digits; only [`csv()`] keeps every digit.

/// Magnitudes written without an exponent in messages and CSV cells
/// (besides zero): from one millionth up to, not including, 10¹⁵.
pub const PLAIN_RANGE: std::ops::Range<f64> = 1e-6..1e15;

/// Whether `x` is finite, not zero, and outside [`PLAIN_RANGE`].
fn is_extreme(x: f64) -> bool {
    x.is_finite() && x != 0.0 && !PLAIN_RANGE.contains(&x.abs())
}

/// Text with trailing decimal zeros (and a bare point) removed:
/// "2.50" → "2.5", "3.00" → "3"; text without a point is returned as is.
fn trim_zeros(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// A compact amount: 1234567 → "1.2M", -250000 → "-250k", 950 → "950".
/// One decimal below 100 of the unit, none from there on; trillions are
/// "T" up to 10¹⁵ (2.8e14 → "280T", not "279869B"), beyond which
/// [`number`] writes it.
pub fn compact(v: f64) -> String {
    let a = v.abs();
    if a >= PLAIN_RANGE.end && a.is_finite() {
        return number(v);
    }
    let sign = if v < 0.0 && a >= 0.5 { "-" } else { "" };
    let (x, unit) = if a >= 1e12 {
        (a / 1e12, "T")
    } else if a >= 1e9 {
        (a / 1e9, "B")
    } else if a >= 1e6 {
        (a / 1e6, "M")
    } else if a >= 1e3 {
        (a / 1e3, "k")
    } else {
        (a, "")
    };
    let digits = if unit.is_empty() || x >= 100.0 { 0 } else { 1 };
    format!("{sign}{}{unit}", trim_zeros(format!("{x:.digits$}")))
}

/// A whole amount with thousands separators: -1234567.8 → "-1,234,568";
/// from 10¹⁵ on as [`number`] writes it ("1e300", not 400 characters).
pub fn thousands(x: f64) -> String {
    if x.abs() >= PLAIN_RANGE.end && x.is_finite() {
        return number(x);
    }
    let digits = format!("{:.0}", x.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if x.round() < 0.0 {
        out.insert(0, '-');
    }
    out
}

/// A compact amount with the currency label: "EUR 250k", or just "250k"
/// without a currency.
pub fn money(v: f64, currency: Option<&str>) -> String {
    match currency {
        Some(c) if !c.is_empty() => format!("{c} {}", compact(v)),
        _ => compact(v),
    }
}

/// A leading ASCII hyphen of `s` as a true minus sign (U+2212), for text
/// set in a typeface: "-250k" → "−250k"; an exponent's sign is kept.
pub fn minus(s: &str) -> String {
    match s.strip_prefix('-') {
        Some(rest) => format!("−{rest}"),
        None => s.to_string(),
    }
}

/// A percentage for labels: 0.802 → "80%", 0.0123 → "1.2%" (one decimal
/// below 10%, none from there on); from 10¹⁵% on as [`number`] writes it.
pub fn percent(p: f64) -> String {
    let x = 100.0 * p;
    if x.abs() >= PLAIN_RANGE.end && x.is_finite() {
        format!("{}%", number(x))
    } else if x != 0.0 && x.abs() < 10.0 {
        format!("{x:.1}%")
    } else {
        format!("{x:.0}%")
    }
}

/// A percentage to one decimal, for the printed summary and confidence
/// intervals: 0.8023 → "80.2%"; from 10¹⁵% on as [`number`] writes it.
pub fn percent1(p: f64) -> String {
    let x = 100.0 * p;
    if x.abs() >= PLAIN_RANGE.end && x.is_finite() {
        format!("{}%", number(x))
    } else {
        format!("{x:.1}%")
    }
}

/// A chance as a whole percentage, never rounded to an untrue 0% or 100%:
/// 0.004 → "less than 1%", 0.996 → "more than 99%".
pub fn chance(p: f64) -> String {
    let k = (100.0 * p).round();
    if k == 0.0 && p > 0.0 {
        "less than 1%".to_string()
    } else if k == 100.0 && p < 1.0 {
        "more than 99%".to_string()
    } else {
        format!("{k:.0}%")
    }
}

/// A duration in years to `decimals` places: `years(2.345, 2)` → "2.35".
pub fn years(x: f64, decimals: usize) -> String {
    format!("{x:.decimals$}")
}

/// A number with its sign always written, to `decimals` places:
/// `signed(0.4567, 2)` → "+0.46", `signed(-0.1, 2)` → "-0.10".
pub fn signed(x: f64, decimals: usize) -> String {
    format!("{x:+.decimals$}")
}

/// At most two decimals, without trailing zeros: 3.0 → "3", 2.5 → "2.5".
pub fn trim(x: f64) -> String {
    trim_zeros(format!("{x:.2}"))
}

/// A small positive number with two significant digits at most, and at
/// least one decimal below 10: 0.5 → "0.5", 1.0 → "1", 0.0123 → "0.012";
/// with an exponent outside [`PLAIN_RANGE`] (1e-298 → "1e-298", not 300
/// digits).
pub fn two_digits(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    if is_extreme(x) {
        return rounded_exponent(x, 1);
    }
    let decimals = (1 - x.abs().log10().floor() as i32).max(0) as usize;
    trim_zeros(format!("{x:.decimals$}"))
}

/// An axis label: 3 significant digits (6 decimals at most), compact
/// ("12k") from 10,000 on.
pub fn axis(v: f64) -> String {
    let a = v.abs();
    if a >= 1e4 {
        compact(v)
    } else if a == 0.0 {
        "0".into()
    } else {
        let digits = (2 - a.log10().floor() as i32).clamp(0, 6) as usize;
        trim_zeros(format!("{v:.digits$}"))
    }
}

/// An input value for the report: large amounts compact, mid-sized ones
/// whole with separators, small ones with up to 3 significant digits; a
/// true minus sign throughout; below 10⁻⁶ as [`number`] writes it.
pub fn input_value(v: f64) -> String {
    let a = v.abs();
    if is_extreme(v) && a < 1.0 {
        minus(&number(v))
    } else if a >= 1e4 {
        minus(&compact(v))
    } else if a >= 100.0 {
        minus(&thousands(v))
    } else if a == 0.0 {
        "0".to_string()
    } else {
        let decimals = (2 - a.log10().floor() as i32).max(0) as usize;
        minus(&trim_zeros(format!("{v:.decimals$}")))
    }
}

/// A number as written when whole, else to 6 significant digits without
/// trailing zeros: 1234567 → "1234567", 14999.99983 → "15000", 0.1 → "0.1".
/// For reading, not for parsing. Every digit of a whole number is kept,
/// however large: use [`number`] in messages.
pub fn significant(x: f64) -> String {
    if x.fract() == 0.0 || !x.is_finite() {
        return x.to_string();
    }
    format!("{x:.5e}")
        .parse::<f64>()
        .map_or_else(|_| x.to_string(), |r| r.to_string())
}

/// A number for a message: as [`significant`] writes it, with an exponent
/// outside [`PLAIN_RANGE`]: 0.25 → "0.25", 1e300 → "1e300",
/// 5.725571e-300 → "5.72557e-300".
pub fn number(x: f64) -> String {
    if is_extreme(x) {
        rounded_exponent(x, 5)
    } else {
        significant(x)
    }
}

/// `x` in exponent form with at most `decimals` decimals in its mantissa,
/// trailing zeros dropped: (5.725571e-300, 5) → "5.72557e-300",
/// (1e-298, 1) → "1e-298".
fn rounded_exponent(x: f64, decimals: usize) -> String {
    let rounded: f64 = format!("{x:.decimals$e}").parse().unwrap_or(x);
    format!("{rounded:e}")
}

/// A number for a message, every digit kept: as Rust writes it, with an
/// exponent outside [`PLAIN_RANGE`] (5e-324 rather than 324 digits).
pub fn exact(x: f64) -> String {
    if is_extreme(x) {
        format!("{x:e}")
    } else {
        x.to_string()
    }
}

/// A rate for a message as a percentage: 0.08 → "8%", as [`number`]
/// writes it, except that from a million percent on every digit is kept
/// in exponent form: 1e14 → "1e16%", 5.7e-300 → "5.7e-298%".
pub fn message_percent(x: f64) -> String {
    let p = 100.0 * x;
    if p.abs() >= 1e6 {
        format!("{p:e}%")
    } else {
        format!("{}%", number(p))
    }
}

/// A number as a CSV cell: the shortest text that reads back as the same
/// `f64`, with an exponent outside [`PLAIN_RANGE`] (`1e300`, not 301
/// digits). Non-finite values are written as Rust writes them; use
/// [`cell`] where they must be empty.
pub fn csv(x: f64) -> String {
    exact(x)
}

/// An optional number as a CSV cell: empty when undefined or not finite
/// (a CSV cell never holds `inf` or `NaN`, and agrees with `null` in
/// summary.json), else [`csv()`].
pub fn cell(x: Option<f64>) -> String {
    x.filter(|v| v.is_finite()).map(csv).unwrap_or_default()
}

// --- What has to go wrong: percentile ranks and chances -----------------

/// A percentile rank (0..100) as a whole number for reading: rounded and
/// kept within 1..=99, so that a median rank of 0.3 reads "1st" rather
/// than an untrue "0th" (nothing lies below every future).
pub fn percentile_rank(x: f64) -> u32 {
    if x.is_nan() {
        return 50;
    }
    x.round().clamp(1.0, 99.0) as u32
}

/// An English ordinal: 1 → "1st", 2 → "2nd", 3 → "3rd", 11 → "11th",
/// 22 → "22nd".
pub fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// A chance to one decimal below 10% and whole from there on, never
/// rounded to an untrue 0% or 100%: 0.065 → "6.5%", 0.354 → "35%",
/// 0.0004 → "less than 0.1%", 0.997 → "more than 99%".
pub fn chance1(p: f64) -> String {
    let text = percent(p);
    if p > 0.0 && (text == "0.0%" || text == "0%") {
        "less than 0.1%".to_string()
    } else if p < 1.0 && text == "100%" {
        "more than 99%".to_string()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The extremes every formatter is tried on.
    const EXTREMES: [f64; 10] = [
        0.0,
        -0.0,
        1e-310,
        5e-324,
        1e300,
        -1e300,
        f64::MAX,
        f64::MIN,
        f64::INFINITY,
        f64::NEG_INFINITY,
    ];

    #[test]
    fn compact_rounds_to_units() {
        assert_eq!(compact(1_234_567.0), "1.2M");
        assert_eq!(compact(-250_000.0), "-250k");
        assert_eq!(compact(950.0), "950");
        assert_eq!(compact(250_000.0), "250k");
        assert_eq!(compact(-50_000.0), "-50k");
        assert_eq!(compact(2_500.0), "2.5k");
        assert_eq!(compact(-0.2), "0");
        assert_eq!(compact(3.0e9), "3B");
        // Trillions keep a unit and few digits (not "279869B").
        assert_eq!(compact(2.7987e14), "280T");
        assert_eq!(compact(-1.26e12), "-1.3T");
        assert_eq!(compact(0.0), "0");
        assert_eq!(compact(-0.0), "0");
        assert_eq!(compact(-0.4), "0");
        assert_eq!(compact(-0.5), "-0");
        assert_eq!(compact(999.4), "999");
        // Rounding boundaries: the unit is chosen before rounding.
        assert_eq!(compact(999.5), "1000");
        assert_eq!(compact(999_999.5), "1000k");
        assert_eq!(compact(99_950.0), "100k");
        assert_eq!(compact(123_456.0), "123k");
        assert_eq!(compact(1.5e9), "1.5B");
        assert_eq!(compact(1e12), "1T");
        assert_eq!(compact(999.96e9), "1000B");
        assert_eq!(compact(1e-310), "0");
        assert_eq!(compact(5e-324), "0");
        assert_eq!(compact(f64::INFINITY), "infT");
        assert_eq!(compact(f64::NAN), "NaN");
        // Up to 10¹⁵ in trillions, beyond with an exponent, never 293 digits.
        assert_eq!(compact(999_999_999_999_999.0), "1000T");
        assert_eq!(compact(1e15), "1e15");
        assert_eq!(compact(-1e300), "-1e300");
        assert_eq!(compact(f64::MAX), "1.79769e308");
    }

    #[test]
    fn thousands_groups_by_three() {
        assert_eq!(thousands(-1_234_567.8), "-1,234,568");
        assert_eq!(thousands(216_683.0), "216,683");
        assert_eq!(thousands(999.0), "999");
        assert_eq!(thousands(999.4), "999");
        assert_eq!(thousands(-0.2), "0");
        assert_eq!(thousands(1000.0), "1,000");
        assert_eq!(thousands(999_999.5), "1,000,000");
        assert_eq!(thousands(0.0), "0");
        assert_eq!(thousands(-0.0), "0");
        assert_eq!(thousands(-0.4), "0");
        // Formatting rounds half to even, the sign rounds half away from zero,
        // so -0.5 reads "-0" (pinned as it is today).
        assert_eq!(thousands(-0.5), "-0");
        assert_eq!(thousands(2.5), "2");
        assert_eq!(thousands(5e-324), "0");
        assert_eq!(thousands(1e-310), "0");
        assert_eq!(thousands(f64::NAN), "NaN");
        assert_eq!(thousands(f64::INFINITY), "inf");
        assert_eq!(thousands(f64::NEG_INFINITY), "-inf");
        assert_eq!(thousands(999_999_999_999_999.0), "999,999,999,999,999");
        assert_eq!(thousands(1e15), "1e15");
        assert_eq!(thousands(f64::MAX), "1.79769e308");
        assert_eq!(thousands(f64::MIN), "-1.79769e308");
    }

    #[test]
    fn money_adds_the_currency() {
        assert_eq!(money(1_700_000.0, Some("EUR")), "EUR 1.7M");
        assert_eq!(money(-250_000.0, Some("USD")), "USD -250k");
        assert_eq!(money(1_700_000.0, Some("")), "1.7M");
        assert_eq!(money(1_700_000.0, None), "1.7M");
        assert_eq!(minus(&compact(-2500.0)), "−2.5k");
        assert_eq!(minus("-1,000"), "−1,000");
        assert_eq!(minus("1-2-3"), "1-2-3");
        assert_eq!(minus("-2.5e-7"), "−2.5e-7");
    }

    #[test]
    fn percent_keeps_one_decimal_below_ten() {
        assert_eq!(percent(0.802), "80%");
        assert_eq!(percent(0.0123), "1.2%");
        assert_eq!(percent(0.0), "0%");
        assert_eq!(percent(-0.0), "-0%");
        assert_eq!(percent(1.0), "100%");
        assert_eq!(percent(0.0999), "10.0%");
        assert_eq!(percent(0.09999), "10.0%");
        assert_eq!(percent(-0.05), "-5.0%");
        assert_eq!(percent(5e-324), "0.0%");
        assert_eq!(percent(f64::NAN), "NaN%");
        assert_eq!(percent(f64::INFINITY), "inf%");
        assert_eq!(percent(9.9e12), "990000000000000%");
        assert_eq!(percent(1e13), "1e15%");
        assert_eq!(percent(1e300), "1e302%");
        assert_eq!(percent1(-2.843_942_769_126_862e33), "-2.84394e35%");
        assert_eq!(percent1(0.8023), "80.2%");
        assert_eq!(percent1(0.99995), "100.0%");
        assert_eq!(percent1(0.0), "0.0%");
        assert_eq!(percent1(f64::NAN), "NaN%");
    }

    #[test]
    fn chance_is_never_an_untrue_zero_or_hundred() {
        assert_eq!(chance(0.72), "72%");
        assert_eq!(chance(0.0), "0%");
        assert_eq!(chance(1.0), "100%");
        assert_eq!(chance(0.004), "less than 1%");
        assert_eq!(chance(5e-324), "less than 1%");
        assert_eq!(chance(0.005), "1%");
        assert_eq!(chance(0.996), "more than 99%");
        assert_eq!(chance(1.0 - f64::EPSILON), "more than 99%");
        assert_eq!(chance(0.994), "99%");
        assert_eq!(chance(0.80223), "80%");
    }

    #[test]
    fn years_trim_and_two_digits() {
        assert_eq!(years(2.345, 2), "2.35");
        assert_eq!(years(2.0, 1), "2.0");
        assert_eq!(years(0.0, 2), "0.00");
        assert_eq!(signed(0.4567, 2), "+0.46");
        assert_eq!(signed(-0.1, 2), "-0.10");
        assert_eq!(signed(0.0, 2), "+0.00");
        assert_eq!(signed(-0.0, 2), "-0.00");
        assert_eq!(trim(3.0), "3");
        assert_eq!(trim(2.5), "2.5");
        assert_eq!(trim(2.499), "2.5");
        assert_eq!(trim(0.001), "0");
        assert_eq!(trim(-0.001), "-0");
        assert_eq!(two_digits(0.5), "0.5");
        assert_eq!(two_digits(1.0), "1");
        assert_eq!(two_digits(0.0123), "0.012");
        assert_eq!(two_digits(0.6123), "0.61");
        assert_eq!(two_digits(0.01), "0.01");
        assert_eq!(two_digits(100.0 * 0.07), "7");
        assert_eq!(two_digits(12.34), "12");
        assert_eq!(two_digits(0.0), "0");
        // Beyond the plain range, an exponent (a `--precision 1e-300`).
        assert_eq!(two_digits(1e-298), "1e-298");
        assert_eq!(two_digits(2.54e-300), "2.5e-300");
        assert_eq!(two_digits(3.0e20), "3e20");
        assert_eq!(two_digits(1.5e-6), "0.0000015");
        assert_eq!(two_digits(f64::NAN), "NaN");
        assert_eq!(two_digits(f64::INFINITY), "inf");
    }

    #[test]
    fn axis_and_input_labels_keep_three_digits() {
        assert_eq!(axis(0.0), "0");
        assert_eq!(axis(0.125), "0.125");
        assert_eq!(axis(0.5), "0.5");
        assert_eq!(axis(12.5), "12.5");
        assert_eq!(axis(350.0), "350");
        assert_eq!(axis(25_000.0), "25k");
        assert_eq!(axis(1234.56), "1235");
        assert_eq!(axis(12.345), "12.3");
        assert_eq!(axis(0.012345), "0.0123");
        assert_eq!(axis(1e-9), "0");
        assert_eq!(axis(12_345.0), "12.3k");
        assert_eq!(axis(-0.5), "-0.5");
        assert_eq!(input_value(0.0), "0");
        assert_eq!(input_value(95099.9), "95.1k");
        assert_eq!(input_value(6000.0), "6,000");
        assert_eq!(input_value(4.6431), "4.64");
        assert_eq!(input_value(0.028349), "0.0283");
        assert_eq!(input_value(0.08), "0.08");
        assert_eq!(input_value(40.0), "40");
        assert_eq!(input_value(1e-6), "0.000001");
        assert_eq!(input_value(-2.5e-7), "−2.5e-7");
        assert_eq!(input_value(5e-324), "5e-324");
        assert_eq!(input_value(1e300), "1e300");
        assert_eq!(axis(1e-310), "0");
        assert_eq!(input_value(-1234.0), "−1,234");
        assert_eq!(input_value(25_000.0), "25k");
        assert_eq!(input_value(-25_000.0), "−25k");
        assert_eq!(input_value(0.0345), "0.0345");
        assert_eq!(input_value(2.5), "2.5");
        assert_eq!(input_value(99.99), "100");
    }

    #[test]
    fn significant_keeps_six_digits() {
        assert_eq!(significant(1_234_567.0), "1234567");
        assert_eq!(significant(14999.99983), "15000");
        assert_eq!(significant(0.1), "0.1");
        assert_eq!(significant(-1_234_567.25), "-1234570");
        assert_eq!(significant(0.0), "0");
        assert_eq!(significant(-0.0), "-0");
        assert_eq!(significant(f64::NAN), "NaN");
        assert_eq!(significant(f64::INFINITY), "inf");
        // Whole numbers keep every digit: this is why messages use `number`.
        assert_eq!(significant(1e300).len(), 301);
    }

    #[test]
    fn messages_use_an_exponent_at_extremes() {
        assert_eq!(number(0.25), "0.25");
        assert_eq!(number(14999.99983), "15000");
        assert_eq!(number(0.0), "0");
        assert_eq!(number(-0.0), "-0");
        assert_eq!(number(1e-6), "0.000001");
        assert_eq!(number(9.99e-7), "9.99e-7");
        assert_eq!(number(999_999_999_999_999.0), "999999999999999");
        assert_eq!(number(1e15), "1e15");
        assert_eq!(number(1e300), "1e300");
        assert_eq!(number(-1e300), "-1e300");
        assert_eq!(number(f64::MAX), "1.79769e308");
        assert_eq!(number(f64::MIN), "-1.79769e308");
        assert_eq!(number(1e-310), "1e-310");
        assert_eq!(number(5e-324), "5e-324");
        assert_eq!(number(5.725571234e-300), "5.72557e-300");
        assert_eq!(number(f64::NAN), "NaN");
        assert_eq!(number(f64::INFINITY), "inf");
        assert_eq!(number(f64::NEG_INFINITY), "-inf");
        assert_eq!(exact(0.1), "0.1");
        assert_eq!(exact(5e-324), "5e-324");
        assert_eq!(exact(f64::MAX), "1.7976931348623157e308");
        assert_eq!(exact(-2.5e-7), "-2.5e-7");
        assert_eq!(exact(123_456_789.125), "123456789.125");
        assert_eq!(message_percent(0.08), "8%");
        assert_eq!(message_percent(1e14), "1e16%");
        assert_eq!(message_percent(5.725571e-300), "5.72557e-298%");
        assert_eq!(message_percent(0.0), "0%");
        assert_eq!(message_percent(12_345.678_9), "1.2345678900000001e6%");
        assert_eq!(message_percent(9999.0), "999900%");
        assert_eq!(message_percent(-0.5), "-50%");
        for x in EXTREMES {
            for f in [compact, thousands, percent, percent1, axis, input_value] {
                assert!(f(x).len() <= 14, "{x}: {}", f(x));
            }
            assert!(number(x).len() <= 12, "{x}: {}", number(x));
            assert!(exact(x).len() <= 24, "{x}: {}", exact(x));
            assert!(message_percent(x).len() <= 13, "{x}");
        }
    }

    #[test]
    fn csv_cells_round_trip_and_stay_short() {
        assert_eq!(csv(0.1), "0.1");
        assert_eq!(csv(-216_683.25), "-216683.25");
        assert_eq!(csv(0.0), "0");
        assert_eq!(csv(-0.0), "-0");
        assert_eq!(csv(1e300), "1e300");
        assert_eq!(csv(5e-324), "5e-324");
        assert_eq!(cell(None), "");
        assert_eq!(cell(Some(f64::NAN)), "");
        assert_eq!(cell(Some(f64::INFINITY)), "");
        assert_eq!(cell(Some(f64::NEG_INFINITY)), "");
        assert_eq!(cell(Some(2.5)), "2.5");
        let values = [
            0.1,
            1.0 / 3.0,
            -2.0 / 3.0 * 1e14,
            999_999_999_999_999.9,
            1e15,
            9.999_999_999_999e-7,
            1e-6,
            1e-310,
            5e-324,
            1.234_567_890_123_4e300,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            -0.0,
        ];
        for x in values {
            let s = csv(x);
            let back: f64 = s.parse().unwrap();
            assert_eq!(back.to_bits(), x.to_bits(), "{x} → {s}");
            assert!(s.len() <= 24, "{x} → {s}");
        }
    }

    #[test]
    fn ranks_ordinals_and_chances() {
        let ranks = [0.0, 0.3, 1.49, 17.5, 50.0, 98.7, 99.6, 100.0];
        assert_eq!(ranks.map(percentile_rank), [1, 1, 1, 18, 50, 99, 99, 99]);
        let ords = [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 99].map(ordinal);
        assert_eq!(
            ords,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "99th"
            ]
        );
        let chances = [0.0, 0.0004, 0.0006, 0.018, 0.065, 0.354, 0.996, 1.0];
        assert_eq!(
            chances.map(chance1),
            [
                "0%",
                "less than 0.1%",
                "0.1%",
                "1.8%",
                "6.5%",
                "35%",
                "more than 99%",
                "100%"
            ]
        );
    }
}
