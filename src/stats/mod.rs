//! Statistics over trials: mergeable accumulators, percentiles, rank
//! correlation and fixed-bin histogram sketches for runs too large to keep
//! (the metrics' and the fan chart's months').

pub mod moments;
pub mod month_sketch;
pub mod quantile;
pub mod rank;
pub mod select;
pub mod sketch;
pub mod sum;

pub use moments::Moments;
pub use month_sketch::MonthSketch;
pub use quantile::{PERCENTILES, percentile_sorted, sort_floats};
pub use select::{Column, KeyCode, Selection};
pub use sketch::Sketch;
pub use sum::Sum;
