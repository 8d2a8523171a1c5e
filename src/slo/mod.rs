//! Service level objectives: how fast an SLO's error budget is burning and how much of
//! it is left.
//!
//! Pure functions only: callers query the measurements (Prometheus, the demo world)
//! and pass in numbers, so the math is tested without a server or a clock.

pub mod burn;
