//! Numbers written in decimal without allocating, for code that writes many.

/// Room to write a number in decimal without allocating.
#[derive(Default)]
pub struct Digits([u8; 24]);

impl Digits {
    /// `n` in decimal.
    pub fn of(&mut self, n: usize) -> &str {
        self.with(n as u64, "")
    }

    /// `n` in decimal, then `unit` (a few ASCII letters).
    pub fn with(&mut self, mut n: u64, unit: &str) -> &str {
        let end = self.0.len();
        let mut at = end - unit.len();
        self.0[at..].copy_from_slice(unit.as_bytes());
        loop {
            at -= 1;
            self.0[at] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        std::str::from_utf8(&self.0[at..]).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_units() {
        let mut room = Digits::default();
        assert_eq!(room.of(0), "0");
        assert_eq!(room.of(10_042), "10042");
        assert_eq!(room.with(u64::MAX, "ms"), "18446744073709551615ms");
    }
}
