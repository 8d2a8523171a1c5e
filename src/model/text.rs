//! Sanitizing of strings that come from outside (labels, annotations, error bodies).
//!
//! Anything a backend or another user wrote could carry terminal escape sequences; they
//! are removed before the text reaches a terminal or an export.

/// One line of outside text: escape sequences and control characters removed, tabs and
/// line breaks folded into single spaces.
pub fn clean_line(raw: &str) -> String {
    clean(raw, false)
}

/// Multi-line outside text: like [`clean_line`] but line breaks are kept (as `\n`).
pub fn clean_text(raw: &str) -> String {
    clean(raw, true)
}

/// True when `s` holds nothing [`clean_text`] would remove.
pub fn is_clean(s: &str) -> bool {
    !s.chars()
        .any(|c| c != '\n' && (c.is_control() || is_invisible(c)))
}

/// Characters that change how text around them reads without showing themselves:
/// bidirectional overrides (which can make `rm` look like `mr`), zero-width spaces and
/// joiners, and the byte order mark.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}' | '\u{feff}' | '\u{061c}' | '\u{00ad}')
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
            '\n' | '\r' | '\t' => push_space(&mut out),
            c if c.is_control() || is_invisible(c) => {}
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
    fn unterminated_sequences_do_not_leak() {
        assert_eq!(clean_line("a\u{1b}[31"), "a");
        assert_eq!(clean_line("a\u{1b}]0;never ends"), "a");
        assert_eq!(clean_line("a\u{1b}"), "a");
    }
}
