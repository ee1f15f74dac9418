//! Statistics over trials: mergeable accumulators, percentiles, rank
//! correlation and a fixed-bin histogram sketch for runs too large to keep.

pub mod moments;
pub mod quantile;
pub mod rank;
pub mod select;
pub mod sketch;
pub mod sum;

pub use moments::Moments;
pub use quantile::{PERCENTILES, percentile_sorted, sort_floats};
pub use select::{Column, KeyCode, Selection};
pub use sketch::Sketch;
pub use sum::Sum;
