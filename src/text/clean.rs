//! Sanitizing of strings that come from outside (labels, annotations, error bodies).
//!
//! Anything a backend or another user wrote could carry terminal escape sequences or
//! characters that change how the text around them reads without showing themselves;
//! they are removed before the text reaches a terminal or an export.
//!
//! Removed: control characters (general category Cc, escape sequences with them) and the
//! invisible format characters and separators (Cf, Zl, Zp): bidirectional overrides
//! (which can make `rm` look like `mr`), zero-width spaces, the byte order mark, Unicode
//! tag characters (invisible ASCII look-alikes), U+2028/U+2029. Line and paragraph
//! separators and NEL count as line breaks. Kept: U+200D ZERO WIDTH JOINER between two
//! emoji (👩‍💻 is one glyph, not two), and U+200C ZERO WIDTH NON-JOINER between two
//! non-ASCII letters or marks, where Persian and Indic scripts need it to shape words.
//! Variation selectors such as VS16 (U+FE0F) are marks, not format characters, and stay.

use unicode_properties::{GeneralCategory, UnicodeEmoji, UnicodeGeneralCategory};

const ZWJ: char = '\u{200d}';
const ZWNJ: char = '\u{200c}';

/// One line of outside text: escape sequences and hidden characters removed, tabs and
/// line breaks folded into single spaces.
pub fn clean_line(raw: &str) -> String {
    clean(raw, false)
}

/// Multi-line outside text: like [`clean_line`] but line breaks are kept (as `\n`).
pub fn clean_text(raw: &str) -> String {
    clean(raw, true)
}

/// True when `s` holds nothing [`clean_text`] would remove or change.
pub fn is_clean(s: &str) -> bool {
    let bytes = s.as_bytes();
    // Labels are nearly always ASCII: there only C0 controls and DEL can hide, and one
    // pass over the bytes settles it.
    let Some(at) = bytes
        .iter()
        .position(|&b| b >= 0x80 || (b < 0x20 && b != b'\n') || b == 0x7f)
    else {
        return true;
    };
    if bytes[at] < 0x80 {
        return false;
    }
    // Everything before `at` is ASCII, so `at` starts a character.
    let mut chars = s[at..].char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let hidden = c != '\n' && (is_line_break(c) || is_hidden(c));
        if hidden && !joiner_stays(&s[..at + i], c, chars.peek().map(|&(_, n)| n)) {
            return false;
        }
    }
    true
}

/// Characters no reader sees: controls (Cc), format characters (Cf) and the line and
/// paragraph separators (Zl, Zp).
fn is_hidden(c: char) -> bool {
    if c < '\u{a0}' {
        return c.is_control();
    }
    may_be_format(c)
        && matches!(
            c.general_category(),
            GeneralCategory::Format
                | GeneralCategory::LineSeparator
                | GeneralCategory::ParagraphSeparator
        )
}

/// The blocks that hold format characters and separators (a test checks it against
/// every character): text in most scripts, CJK and emoji is spared the table lookup.
fn may_be_format(c: char) -> bool {
    matches!(c,
        '\u{ad}' | '\u{600}'..='\u{61c}' | '\u{6dd}' | '\u{70f}' | '\u{890}'..='\u{8e2}'
        | '\u{180e}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}'
        | '\u{2060}'..='\u{206f}' | '\u{feff}' | '\u{fff0}'..='\u{ffff}'
        | '\u{11000}'..='\u{1d1ff}' | '\u{e0000}'..='\u{e0fff}')
}

/// Line breaks besides `\n` and `\r`: NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR.
fn is_line_break(c: char) -> bool {
    matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// A pictographic emoji: an emoji that is not an ASCII digit, `#` or `*` (those are
/// emoji only inside keycap sequences, and a joiner between digits only hides).
fn is_emoji(c: Option<char>) -> bool {
    c.is_some_and(|c| !c.is_ascii() && c.is_emoji_char())
}

/// What may stand between an emoji and the joiner after it: VS16, a skin tone, or
/// the joiner of an earlier pair.
fn extends_emoji(c: char) -> bool {
    matches!(c, '\u{fe0f}' | ZWJ | '\u{1f3fb}'..='\u{1f3ff}')
}

/// A letter or mark outside ASCII.
fn is_script_letter(c: Option<char>) -> bool {
    use unicode_properties::GeneralCategoryGroup::{Letter, Mark};
    c.is_some_and(|c| !c.is_ascii() && matches!(c.general_category_group(), Letter | Mark))
}

/// Whether the hidden character `c`, after the text `kept` so far and before `next`,
/// shapes a glyph and stays.
fn joiner_stays(kept: &str, c: char, next: Option<char>) -> bool {
    match c {
        ZWJ => is_emoji(next) && is_emoji(kept.chars().rev().find(|&k| !extends_emoji(k))),
        ZWNJ => is_script_letter(kept.chars().next_back()) && is_script_letter(next),
        _ => false,
    }
}

fn clean(raw: &str, keep_newlines: bool) -> String {
    if is_clean(raw) && (keep_newlines || !raw.contains('\n')) {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            // C1 control sequence introducers (CSI, OSC, DCS, …) act like ESC forms.
            '\u{9b}' => skip_csi(&mut chars),
            '\u{9d}' | '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' if keep_newlines => out.push('\n'),
            c if keep_newlines && is_line_break(c) => out.push('\n'),
            '\n' | '\r' | '\t' => push_space(&mut out),
            c if is_line_break(c) => push_space(&mut out),
            c if is_hidden(c) && !joiner_stays(&out, c, chars.peek().copied()) => {}
            c => out.push(c),
        }
    }
    out
}

fn push_space(out: &mut String) {
    if !out.ends_with(' ') {
        out.push(' ');
    }
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

fn skip_escape(chars: &mut Chars) {
    match chars.next() {
        Some('[') => skip_csi(chars),
        Some(']') | Some('P') | Some('X') | Some('^') | Some('_') => skip_string(chars),
        // Two-character escapes such as ESC ( B: swallow the intermediate and final byte.
        Some(c) if ('\u{20}'..='\u{2f}').contains(&c) => {
            chars.next();
        }
        _ => {}
    }
}

/// CSI: parameter and intermediate bytes, then one final byte in @..~.
fn skip_csi(chars: &mut Chars) {
    for c in chars.by_ref() {
        if ('\u{40}'..='\u{7e}').contains(&c) {
            break;
        }
    }
}

/// OSC/DCS/PM/APC strings end with BEL or ST (ESC \ or U+009C).
fn skip_string(chars: &mut Chars) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => break,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                break;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_untouched() {
        assert_eq!(clean_line("checkout 5xx > 2%"), "checkout 5xx > 2%");
        assert_eq!(clean_text("a\nb"), "a\nb");
    }

    #[test]
    fn colour_and_cursor_sequences_are_removed() {
        assert_eq!(clean_line("\u{1b}[31mred\u{1b}[0m"), "red");
        assert_eq!(clean_line("x\u{1b}[2J\u{1b}[Hy"), "xy");
        assert_eq!(clean_line("a\u{9b}31mb"), "ab");
    }

    #[test]
    fn title_and_clipboard_strings_are_removed() {
        assert_eq!(clean_line("a\u{1b}]0;pwned\u{7}b"), "ab");
        assert_eq!(clean_line("a\u{1b}]52;c;ZWNobyBoaQ==\u{1b}\\b"), "ab");
        assert_eq!(clean_line("a\u{1b}P1$qm\u{1b}\\b"), "ab");
    }

    #[test]
    fn control_characters_go_and_line_breaks_fold() {
        assert_eq!(clean_line("a\u{7}\u{8}\u{0}b"), "ab");
        assert_eq!(clean_line("one\r\ntwo\tthree"), "one two three");
        assert_eq!(clean_text("one\r\ntwo\rthree"), "one\ntwo\nthree");
        assert!(is_clean(&clean_text("\u{1b}[1mx\u{85}\u{2028}")));
    }

    #[test]
    fn invisible_formatting_characters_go() {
        assert_eq!(clean_line("safe\u{202e}txt.exe"), "safetxt.exe");
        assert_eq!(clean_line("zero\u{200b}width\u{feff}"), "zerowidth");
        assert!(!is_clean("a\u{2066}b"));
        assert_eq!(
            clean_line("naïve café 日本"),
            "naïve café 日本",
            "letters stay"
        );
    }

    #[test]
    fn separators_and_tags_go_line_breaks_become_breaks() {
        assert_eq!(clean_line("up\u{2028}down"), "up down");
        assert_eq!(clean_text("up\u{2029}down\u{85}x"), "up\ndown\nx");
        assert!(!is_clean("a\u{2028}b"));
        // Tag characters spell invisible ASCII: `rm -rf` hidden in a label.
        let tags: String = "rm -rf"
            .chars()
            .map(|c| char::from_u32(0xe0000 + c as u32).unwrap())
            .collect();
        assert_eq!(clean_line(&format!("ok{tags}")), "ok");
        assert!(!is_clean(&tags));
        assert_eq!(
            clean_line("a\u{180e}b\u{fff9}c\u{0600}d"),
            "abcd",
            "other format characters"
        );
    }

    #[test]
    fn emoji_keep_their_joiners() {
        for emoji in [
            "👩\u{200d}💻",
            "👨\u{200d}👩\u{200d}👧",
            "❤\u{fe0f}",
            "🏳\u{fe0f}\u{200d}🌈",
            "👍🏽\u{200d}🔥",
        ] {
            assert!(is_clean(emoji), "{emoji:?}");
            assert_eq!(clean_line(emoji), emoji);
            assert_eq!(
                clean_line(&format!("a\u{1b}[1m{emoji}")),
                format!("a{emoji}")
            );
        }
        assert_eq!(clean_line("r\u{200d}m"), "rm", "no emoji, no joiner");
        assert_eq!(
            clean_line("1\u{200d}2"),
            "12",
            "digits are emoji only in keycaps"
        );
        assert_eq!(
            clean_line("👩\u{200d}"),
            "👩",
            "a joiner at the end joins nothing"
        );
        assert_eq!(clean_line("👩\u{200d}x"), "👩x");
        assert_eq!(clean_line("x\u{200d}👩"), "x👩");
        assert_eq!(
            clean_line("🏴\u{e0067}\u{e0062}\u{e0065}\u{e006e}\u{e0067}\u{e007f}"),
            "🏴"
        );
    }

    #[test]
    fn non_joiner_stays_only_inside_words_that_need_it() {
        let persian = "می\u{200c}خواهم";
        assert!(is_clean(persian));
        assert_eq!(clean_line(persian), persian);
        let devanagari = "क्\u{200c}ष";
        assert_eq!(clean_line(devanagari), devanagari);
        assert_eq!(clean_line("r\u{200c}m"), "rm");
        assert_eq!(clean_line("ی\u{200c}"), "ی");
    }

    #[test]
    fn every_format_character_is_where_the_fast_path_looks() {
        for c in (0..=0x10_ffff).filter_map(char::from_u32) {
            let format = matches!(
                c.general_category(),
                GeneralCategory::Format
                    | GeneralCategory::LineSeparator
                    | GeneralCategory::ParagraphSeparator
            );
            assert!(!format || may_be_format(c), "U+{:04X}", u32::from(c));
            let control = c.general_category() == GeneralCategory::Control;
            assert_eq!(is_hidden(c), format || control, "U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn unterminated_sequences_do_not_leak() {
        assert_eq!(clean_line("a\u{1b}[31"), "a");
        assert_eq!(clean_line("a\u{1b}]0;never ends"), "a");
        assert_eq!(clean_line("a\u{1b}"), "a");
    }
}
