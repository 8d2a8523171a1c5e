//! Fitting text into terminal columns, and counting things in words.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

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
