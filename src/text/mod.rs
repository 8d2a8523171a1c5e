//! Text and time for whatever prints: outside text made safe for a terminal, text
//! fitted into columns, and every way a duration or an instant is read or written
//! ([`time`]). The bottom floor: it imports nothing from the crate.

mod clean;
mod digits;
mod fit;
pub mod time;

pub use clean::{clean_line, clean_text, is_clean};
pub use digits::Digits;
pub use fit::{columns, fit, pad, pad_left, plural};
