//! Text helpers for whatever prints: ages, clocks, fitting text into columns.

use chrono::{DateTime, FixedOffset, Utc};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Compact age at minute resolution: `<1m`, `42m`, `3h05m`, `2d`.
pub fn age(now: DateTime<Utc>, then: DateTime<Utc>) -> String {
    let secs = (now - then).num_seconds().max(0);
    match secs {
        s if s < 60 => "<1m".into(),
        s if s < 3600 => format!("{}m", s / 60),
        s if s < 86_400 => format!("{}h{:02}m", s / 3600, s % 3600 / 60),
        s => format!("{}d", s / 86_400),
    }
}

/// `20:15 UTC`, plus the local time and its offset when the local zone is not UTC:
/// `20:15 UTC · 21:15 +01`.
pub fn clock(now: DateTime<Utc>, local: FixedOffset) -> String {
    let utc = now.format("%H:%M UTC").to_string();
    let offset = local.local_minus_utc();
    if offset == 0 {
        return utc;
    }
    let sign = if offset < 0 { '-' } else { '+' };
    let (h, m) = (offset.abs() / 3600, offset.abs() % 3600 / 60);
    let zone = if m == 0 {
        format!("{sign}{h:02}")
    } else {
        format!("{sign}{h:02}:{m:02}")
    };
    format!(
        "{utc} · {} {zone}",
        now.with_timezone(&local).format("%H:%M")
    )
}

/// `1 alert`, `3 alerts`; only the first word of a longer noun takes the plural:
/// `3 alerts now matching`.
pub fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        return format!("1 {noun}");
    }
    match noun.split_once(' ') {
        Some((first, rest)) => format!("{n} {first}s {rest}"),
        None => format!("{n} {noun}s"),
    }
}

/// How many terminal columns `s` takes, measured grapheme by grapheme as the console's
/// buffer places them.
pub fn columns(s: &str) -> usize {
    if s.is_ascii() {
        return s.width();
    }
    s.graphemes(true).map(UnicodeWidthStr::width).sum()
}

/// Cuts `s` to at most `width` columns, ending with `…` when something was cut. Cuts
/// fall between graphemes, as the terminal draws them: an emoji sequence such as 👩‍💻 is
/// one glyph two columns wide, kept whole or left out whole.
pub fn fit(s: &str, width: usize) -> String {
    if columns(s) <= width {
        return s.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for g in s.graphemes(true) {
        let w = g.width();
        if used + w > width - 1 {
            break;
        }
        out.push_str(g);
        used += w;
    }
    // A non-joiner that ended up before the cut joins nothing now.
    let kept = out.trim_end_matches(['\u{200c}', '\u{200d}']).len();
    out.truncate(kept);
    out.push('…');
    out
}

/// `s` cut or padded with spaces to exactly `width` columns.
pub fn pad(s: &str, width: usize) -> String {
    let f = fit(s, width);
    let w = columns(&f);
    format!("{f}{}", " ".repeat(width.saturating_sub(w)))
}

/// `s` cut or padded on the left to exactly `width` columns.
pub fn pad_left(s: &str, width: usize) -> String {
    let f = fit(s, width);
    let w = columns(&f);
    format!("{}{f}", " ".repeat(width.saturating_sub(w)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    #[test]
    fn ages_read_at_a_glance() {
        let now = Utc.with_ymd_and_hms(2026, 11, 21, 20, 0, 0).unwrap();
        let ago = |s| age(now, now - Duration::seconds(s));
        assert_eq!(ago(5), "<1m");
        assert_eq!(ago(125), "2m");
        assert_eq!(ago(3 * 3600 + 5 * 60), "3h05m");
        assert_eq!(ago(3 * 86_400), "3d");
        assert_eq!(ago(-30), "<1m", "clock skew never shows a negative age");
    }

    #[test]
    fn clock_shows_local_time_only_when_it_differs() {
        let now = Utc.with_ymd_and_hms(2026, 11, 21, 20, 15, 0).unwrap();
        assert_eq!(clock(now, FixedOffset::east_opt(0).unwrap()), "20:15 UTC");
        assert_eq!(
            clock(now, FixedOffset::east_opt(3600).unwrap()),
            "20:15 UTC · 21:15 +01"
        );
        assert_eq!(
            clock(now, FixedOffset::west_opt(16_200).unwrap()),
            "20:15 UTC · 15:45 -04:30"
        );
    }

    #[test]
    fn fitting_respects_display_width() {
        assert_eq!(fit("checkout", 20), "checkout");
        assert_eq!(fit("checkout", 5), "chec…");
        assert_eq!(fit("日本語テキスト", 5), "日本…");
        let coder = "👩\u{200d}💻";
        assert_eq!(
            fit(&format!("{coder}{coder}{coder}"), 5),
            format!("{coder}{coder}…")
        );
        assert_eq!(fit(&format!("ab{coder}"), 3), "ab…", "never half a glyph");
        assert_eq!(
            fit("می\u{200c}خواهم", 3),
            "می…",
            "no joiner left before the cut"
        );
        assert_eq!(pad("ab", 4), "ab  ");
        assert_eq!(pad_left("ab", 4), "  ab");
    }
}
