//! Writing a quantity back as scenario text: the inverse of the scenario
//! parser (`config::parse_quantity`). It lives with the distributions, below
//! both `fit`, which writes the quantities it suggests, and `config`, so
//! that neither imports a module above it.
//!
//! A [`RawQuantity`] is a quantity as a scenario file writes it (a number,
//! or a family by its own parameters, optionally truncated); it is what a
//! program that suggests quantities, such as `fit`, builds.
//! [`write_quantity`] turns it into an inline TOML value that
//! `parse_quantity` reads back to exactly the quantity
//! [`RawQuantity::to_quantity`] builds: every number is written in Rust's
//! shortest form that reads back to the same double (plain decimals from
//! 1e-5 to 1e15, an exponent outside, `-0.0` for negative zero), so no bit
//! is lost. [`round_until`] rounds numbers for a reader first, where a
//! caller wants that.
//!
//! Percentile forms and empirical quantities (which name a file) are not
//! written: a family is written by its own parameters, a lognormal by its
//! 5th and 95th percentiles as `docs/scenario-format.md` gives it.

use super::{
    Beta, Discrete, Dist, DistError, Family, Gamma, LogNormal, Normal, Pert, Quantity, Triangular,
    Uniform, Weibull,
};

/// A family by the parameters a scenario file names.
#[derive(Debug, Clone, PartialEq)]
pub enum RawFamily {
    Uniform {
        min: f64,
        max: f64,
    },
    Triangular {
        min: f64,
        mode: f64,
        max: f64,
    },
    Pert {
        min: f64,
        mode: f64,
        max: f64,
    },
    Normal {
        mean: f64,
        sd: f64,
    },
    /// Given by its 5th and 95th percentiles.
    LogNormal {
        p5: f64,
        p95: f64,
    },
    Beta {
        alpha: f64,
        beta: f64,
    },
    Gamma {
        shape: f64,
        scale: f64,
    },
    Weibull {
        shape: f64,
        scale: f64,
    },
    // Written by no command yet (fit writes continuous families); the
    // round-trip property covers it.
    #[cfg_attr(not(feature = "internals"), allow(dead_code))]
    Discrete {
        values: Vec<f64>,
        weights: Vec<f64>,
    },
}

/// A quantity as a scenario file writes it.
#[derive(Debug, Clone, PartialEq)]
pub enum RawQuantity {
    Fixed(f64),
    /// A family, truncated to `[min, max]` where a bound is given.
    Random {
        family: RawFamily,
        min: Option<f64>,
        max: Option<f64>,
    },
}

impl RawFamily {
    /// The scenario format's key: `uniform`, `pert`, ...
    pub fn key(&self) -> &'static str {
        match self {
            RawFamily::Uniform { .. } => "uniform",
            RawFamily::Triangular { .. } => "triangular",
            RawFamily::Pert { .. } => "pert",
            RawFamily::Normal { .. } => "normal",
            RawFamily::LogNormal { .. } => "lognormal",
            RawFamily::Beta { .. } => "beta",
            RawFamily::Gamma { .. } => "gamma",
            RawFamily::Weibull { .. } => "weibull",
            RawFamily::Discrete { .. } => "discrete",
        }
    }

    /// The family these parameters give, as the scenario parser builds it.
    #[cfg_attr(not(feature = "internals"), allow(dead_code))]
    pub fn to_family(&self) -> Result<Family, DistError> {
        Ok(match *self {
            RawFamily::Uniform { min, max } => Family::Uniform(Uniform::new(min, max)?),
            RawFamily::Triangular { min, mode, max } => {
                Family::Triangular(Triangular::new(min, mode, max)?)
            }
            RawFamily::Pert { min, mode, max } => Family::Pert(Pert::new(min, mode, max)?),
            RawFamily::Normal { mean, sd } => Family::Normal(Normal::new(mean, sd)?),
            RawFamily::LogNormal { p5, p95 } => Family::LogNormal(LogNormal::from_p5_p95(p5, p95)?),
            RawFamily::Beta { alpha, beta } => Family::Beta(Beta::new(alpha, beta)?),
            RawFamily::Gamma { shape, scale } => Family::Gamma(Gamma::new(shape, scale)?),
            RawFamily::Weibull { shape, scale } => Family::Weibull(Weibull::new(shape, scale)?),
            RawFamily::Discrete {
                ref values,
                ref weights,
            } => Family::Discrete(Discrete::new(values, weights)?),
        })
    }

    /// The family as the value of its key: `[1, 2, 4]` or
    /// `{ mean = 1, sd = 2 }`.
    fn write(&self) -> String {
        let list = |xs: &[f64]| {
            let xs: Vec<String> = xs.iter().map(|&x| write_number(x)).collect();
            format!("[{}]", xs.join(", "))
        };
        let table = |fields: &[(&str, f64)]| {
            let fields: Vec<String> = fields
                .iter()
                .map(|&(k, v)| format!("{k} = {}", write_number(v)))
                .collect();
            format!("{{ {} }}", fields.join(", "))
        };
        match *self {
            RawFamily::Uniform { min, max } => list(&[min, max]),
            RawFamily::Triangular { min, mode, max } | RawFamily::Pert { min, mode, max } => {
                list(&[min, mode, max])
            }
            RawFamily::Normal { mean, sd } => table(&[("mean", mean), ("sd", sd)]),
            RawFamily::LogNormal { p5, p95 } => table(&[("p5", p5), ("p95", p95)]),
            RawFamily::Beta { alpha, beta } => table(&[("alpha", alpha), ("beta", beta)]),
            RawFamily::Gamma { shape, scale } | RawFamily::Weibull { shape, scale } => {
                table(&[("shape", shape), ("scale", scale)])
            }
            RawFamily::Discrete {
                ref values,
                ref weights,
            } => format!(
                "{{ values = {}, weights = {} }}",
                list(values),
                list(weights)
            ),
        }
    }
}

impl RawQuantity {
    /// The quantity these numbers give, as the scenario parser builds it
    /// (without its check that draws stay within 1e15).
    #[cfg_attr(not(feature = "internals"), allow(dead_code))]
    pub fn to_quantity(&self) -> Result<Quantity, DistError> {
        match self {
            RawQuantity::Fixed(x) => Ok(Quantity::Fixed(*x)),
            RawQuantity::Random { family, min, max } => {
                Dist::truncated(family.to_family()?, *min, *max).map(Quantity::Random)
            }
        }
    }
}

/// The quantity as an inline TOML value: `7`, `{ pert = [1, 2, 4] }`,
/// `{ normal = { mean = 0.1, sd = 0.05 }, min = 0 }`.
pub fn write_quantity(q: &RawQuantity) -> String {
    match q {
        RawQuantity::Fixed(x) => write_number(*x),
        RawQuantity::Random { family, min, max } => {
            let mut s = format!("{{ {} = {}", family.key(), family.write());
            for (name, bound) in [("min", min), ("max", max)] {
                if let Some(b) = bound {
                    s.push_str(&format!(", {name} = {}", write_number(*b)));
                }
            }
            s.push_str(" }");
            s
        }
    }
}

/// A number as TOML reads it back to the same double: Rust's shortest
/// round-trip digits, plain between 1e-5 and 1e15 in magnitude (whole
/// numbers without a decimal point, which TOML reads as integers, exact
/// below 1e15), with an exponent outside (`1e20`, `2.5e-9`, a float);
/// `-0.0` for negative zero, `nan`, `inf` and `-inf` as TOML spells them.
pub fn write_number(x: f64) -> String {
    let a = x.abs();
    if x.is_nan() {
        "nan".to_string()
    } else if a == f64::INFINITY {
        if x > 0.0 { "inf" } else { "-inf" }.to_string()
    } else if a == 0.0 {
        if x.is_sign_negative() { "-0.0" } else { "0" }.to_string()
    } else if (1e-5..1e15).contains(&a) {
        x.to_string()
    } else {
        format!("{x:e}")
    }
}

/// The numbers rounded to `digits` significant digits for a reader, with
/// more digits where rounding would make the first and the last equal
/// although they differ (a range's min and max, a lognormal's p5 and p95),
/// and as many more as `accept` asks for the rounded numbers (up to 17,
/// where every double is written exactly): the lines of `crm-roi fit` take
/// the digits they need to draw like the fit. Numbers in between may round
/// onto an end: `[14.99999993, 14.99999994, 198.2]` becomes `[15, 15,
/// 198.2]`, a PERT with its mode at its minimum. Negative zero becomes 0.
pub fn round_until(values: &[f64], digits: usize, accept: impl Fn(&[f64]) -> bool) -> Vec<f64> {
    let mut digits = digits.max(1);
    let last = values.len().saturating_sub(1);
    loop {
        let rounded: Vec<f64> = values.iter().map(|&x| round_sig(x, digits) + 0.0).collect();
        let collapsed = last > 0 && values[0] != values[last] && rounded[0] == rounded[last];
        if digits >= 17 || (!collapsed && accept(&rounded)) {
            return rounded;
        }
        digits += 1;
    }
}

/// `x` rounded to `digits` significant digits (decimal).
fn round_sig(x: f64, digits: usize) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    format!("{:.*e}", digits - 1, x).parse().unwrap_or(x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::parse_quantity;
    use proptest::prelude::*;
    use std::path::Path;

    /// `x` as TOML reads the text `write_number` gives.
    fn read_number(x: f64) -> f64 {
        let t: toml::Table = toml::from_str(&format!("x = {}", write_number(x))).unwrap();
        match t["x"] {
            toml::Value::Integer(i) => i as f64,
            toml::Value::Float(f) => f,
            ref v => panic!("{v:?}"),
        }
    }

    #[test]
    fn numbers_read_back_bit_for_bit() {
        for x in [
            0.0,
            -0.0,
            1.0,
            -3.0,
            0.1,
            1e-5,
            9.99999e-6,
            1e15,
            999999999999999.9,
            2f64.powi(53) + 2.0,
            2f64.powi(60),
            1e300,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            -2.5e-9,
        ] {
            assert_eq!(read_number(x).to_bits(), x.to_bits(), "{x:e}");
        }
        assert_eq!(write_number(-0.0), "-0.0");
        assert_eq!(write_number(1e20), "1e20");
        assert_eq!(write_number(1234567.0), "1234567");
        assert_eq!(write_number(2f64.powi(53) + 2.0), "9.007199254740994e15");
    }

    #[test]
    fn quantities_read_as_scenario_text() {
        let q = RawQuantity::Random {
            family: RawFamily::Normal {
                mean: 0.1,
                sd: 0.05,
            },
            min: Some(0.0),
            max: None,
        };
        assert_eq!(
            write_quantity(&q),
            "{ normal = { mean = 0.1, sd = 0.05 }, min = 0 }"
        );
        let d = RawQuantity::Random {
            family: RawFamily::Discrete {
                values: vec![1.0, 2.5],
                weights: vec![1.0, 3.0],
            },
            min: None,
            max: Some(2.0),
        };
        assert_eq!(
            write_quantity(&d),
            "{ discrete = { values = [1, 2.5], weights = [1, 3] }, max = 2 }"
        );
        assert_eq!(write_quantity(&RawQuantity::Fixed(-0.0)), "-0.0");
    }

    #[test]
    fn rounding_keeps_different_numbers_apart() {
        let round_apart = |v: &[f64], digits| round_until(v, digits, |_| true);
        assert_eq!(round_apart(&[1000.01, 1000.02], 4), [1000.01, 1000.02]);
        assert_eq!(round_apart(&[2.0, 2.0, 3.0], 4), [2.0, 2.0, 3.0]);
        assert_eq!(
            round_apart(&[14.99999993, 14.99999994, 198.189872], 4),
            [15.0, 15.0, 198.2]
        );
        let r = round_apart(&[-0.0, 1e20, -2.5e-9], 4);
        assert_eq!(r, [0.0, 1e20, -2.5e-9]);
        assert!(r[0].is_sign_positive());
    }

    /// A number of any magnitude a scenario accepts (up to 1e15), of any
    /// sign, zeros of both signs among them.
    fn number() -> impl Strategy<Value = f64> {
        prop_oneof![
            Just(0.0),
            Just(-0.0),
            -1e15..1e15f64,
            (-300i32..15, any::<bool>(), 1.0..10.0f64).prop_map(|(e, neg, m)| if neg {
                -m
            } else {
                m
            } * 10f64.powi(e)),
            any::<u64>().prop_map(|b| f64::from_bits(b) % 1e15),
        ]
        .prop_filter("finite", |x| x.is_finite())
    }

    /// A number from `lo` to `hi` (> 0), evenly spread in its logarithm.
    fn log_uniform(lo: f64, hi: f64) -> impl Strategy<Value = f64> {
        (lo.ln()..hi.ln()).prop_map(f64::exp)
    }

    /// (min, mode, max) with min < max and the mode between them.
    fn three() -> impl Strategy<Value = (f64, f64, f64)> {
        (-1e6..1e6f64, log_uniform(1e-3, 1e6), 0.0..=1.0f64)
            .prop_map(|(min, w, t)| (min, min + t * w, min + w))
    }

    fn family() -> impl Strategy<Value = RawFamily> {
        prop_oneof![
            (-1e6..1e6f64, log_uniform(1e-3, 1e6))
                .prop_map(|(min, w)| RawFamily::Uniform { min, max: min + w }),
            three().prop_map(|(min, mode, max)| RawFamily::Triangular { min, mode, max }),
            three().prop_map(|(min, mode, max)| RawFamily::Pert { min, mode, max }),
            (-1e6..1e6f64, log_uniform(1e-6, 1e6))
                .prop_map(|(mean, sd)| RawFamily::Normal { mean, sd }),
            (log_uniform(1e-3, 1e6), log_uniform(1e-3, 100.0)).prop_map(|(p5, r)| {
                RawFamily::LogNormal {
                    p5,
                    p95: p5 * (1.0 + r),
                }
            }),
            (log_uniform(1e-3, 1e5), log_uniform(1e-3, 1e5))
                .prop_map(|(alpha, beta)| RawFamily::Beta { alpha, beta }),
            (log_uniform(0.01, 1e4), log_uniform(1e-3, 1e3))
                .prop_map(|(shape, scale)| RawFamily::Gamma { shape, scale }),
            (log_uniform(0.2, 20.0), log_uniform(1e-3, 1e3))
                .prop_map(|(shape, scale)| RawFamily::Weibull { shape, scale }),
            prop::collection::vec((-1e6..1e6f64, 0.0..10.0f64), 1..6).prop_map(|pairs| {
                let (values, mut weights): (Vec<f64>, Vec<f64>) = pairs.into_iter().unzip();
                weights[0] += 1.0;
                RawFamily::Discrete { values, weights }
            }),
        ]
    }

    /// A family, truncated at some of its own quantiles (so that the kept
    /// probability is not zero), or a fixed number.
    fn quantity() -> impl Strategy<Value = RawQuantity> {
        let bound = prop::option::of(0.0..1.0f64);
        prop_oneof![
            number().prop_map(RawQuantity::Fixed),
            (family(), bound.clone(), bound).prop_map(|(family, a, b)| {
                let d = Dist::new(family.to_family().unwrap());
                let (a, b) = match (a, b) {
                    (Some(a), Some(b)) => (Some(a.min(b)), Some(a.max(b))),
                    ab => ab,
                };
                let at = |u: f64| d.exact_quantile(u.clamp(1e-9, 1.0 - 1e-9));
                RawQuantity::Random {
                    family,
                    min: a.map(at),
                    max: b.map(at),
                }
            }),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Written and read back, a number is the same double.
        #[test]
        fn number_round_trips(x in number()) {
            prop_assert_eq!(read_number(x).to_bits(), x.to_bits());
        }

        /// parse(write(q)) == q: the text reads back to exactly the
        /// quantity the numbers give.
        #[test]
        fn quantity_round_trips(q in quantity()) {
            let built = q.to_quantity();
            prop_assume!(built.is_ok());
            let text = write_quantity(&q);
            let parsed = parse_quantity(&text, Path::new("."));
            prop_assert_eq!(parsed, Ok(built.unwrap()), "{}", text);
        }
    }
}
