//! A command as it will run, with nothing hidden: a long run of spaces becomes `␠×N`
//! (3000 spaces can push `; touch /tmp/x` past the edge of any screen), a tab `<TAB>`,
//! and every character that shows nothing or moves the cursor, `<U+200B>`. Unlike the
//! sanitizer, nothing is removed: what is shown is what `y` agrees to run.

use finl_unicode::categories::CharacterCategories;
use unicode_width::UnicodeWidthChar;

/// Spaces in a row beyond this are shown as a count: indentation and alignment stay
/// as written, anything longer could hide what follows.
pub const SPACE_RUN: usize = 8;

/// A stretch of a shown line: the command's own text, or a marker standing for what
/// cannot be seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub marker: bool,
}

impl Piece {
    fn text(s: &str) -> Piece {
        Piece {
            text: s.to_string(),
            marker: false,
        }
    }

    fn marker(s: String) -> Piece {
        Piece {
            text: s,
            marker: true,
        }
    }

    /// Columns it takes on a terminal.
    pub fn width(&self) -> usize {
        self.text.chars().map(|c| c.width().unwrap_or(0)).sum()
    }
}

/// One shown line.
pub type Shown = Vec<Piece>;

/// True for characters a terminal shows as nothing (or as something else): controls,
/// format characters (zero-width, bidirectional overrides, tags), spaces other than
/// the plain one, private and unassigned code points, and the few letters that are
/// blank by design.
pub fn is_hidden(c: char) -> bool {
    if c == ' ' {
        return false;
    }
    c.is_control()
        || c.is_other()
        || c.is_separator()
        || c.width() == Some(0) && !c.is_mark()
        || matches!(c,
            '\u{034f}' | '\u{115f}' | '\u{1160}' | '\u{17b4}' | '\u{17b5}' | '\u{2800}'
            | '\u{3164}' | '\u{ffa0}' | '\u{fe00}'..='\u{fe0f}' | '\u{e0100}'..='\u{e01ef}')
}

/// `command` line by line (split at `\n` only), each line in pieces.
pub fn lines(command: &str) -> Vec<Shown> {
    command.split('\n').map(line).collect()
}

/// One line (without `\n`) in pieces.
pub fn line(text: &str) -> Shown {
    let mut out: Shown = Vec::new();
    let mut plain = String::new();
    let mut chars = text.chars().peekable();
    let flush = |plain: &mut String, out: &mut Shown| {
        if !plain.is_empty() {
            out.push(Piece::text(plain));
            plain.clear();
        }
    };
    while let Some(c) = chars.next() {
        if c == ' ' {
            let mut run = 1;
            while chars.peek() == Some(&' ') {
                chars.next();
                run += 1;
            }
            if run > SPACE_RUN {
                flush(&mut plain, &mut out);
                out.push(Piece::marker(format!("␠×{run}")));
            } else {
                plain.extend(std::iter::repeat_n(' ', run));
            }
        } else if c == '\t' {
            flush(&mut plain, &mut out);
            out.push(Piece::marker("<TAB>".into()));
        } else if is_hidden(c) {
            flush(&mut plain, &mut out);
            out.push(Piece::marker(format!("<U+{:04X}>", u32::from(c))));
        } else {
            plain.push(c);
        }
    }
    flush(&mut plain, &mut out);
    out
}

/// The command as plain text with its markers, for a shell's output.
pub fn plain(command: &str) -> String {
    lines(command)
        .iter()
        .map(|l| l.iter().map(|p| p.text.as_str()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

/// `text` on one line, line breaks shown as markers too: for values (labels, paths).
pub fn plain_line(text: &str) -> String {
    line(text).into_iter().map(|p| p.text).collect()
}

/// True when showing `command` needs a marker: something in it cannot be seen as is.
pub fn has_markers(command: &str) -> bool {
    lines(command).iter().flatten().any(|p| p.marker)
}

/// `shown` cut into rows of at most `width` columns; nothing is dropped. A marker is
/// kept whole when it fits a row.
pub fn wrap(shown: &Shown, width: usize) -> Vec<Shown> {
    let width = width.max(1);
    let mut rows: Vec<Shown> = vec![Vec::new()];
    let mut used = 0;
    let push = |rows: &mut Vec<Shown>, piece: Piece| {
        let row = rows.last_mut().expect("there is always a row");
        match row.last_mut() {
            Some(last) if last.marker == piece.marker && !piece.marker => {
                last.text.push_str(&piece.text)
            }
            _ => row.push(piece),
        }
    };
    for piece in shown {
        let w = piece.width();
        if piece.marker && w <= width {
            if used + w > width {
                rows.push(Vec::new());
                used = 0;
            }
            push(&mut rows, piece.clone());
            used += w;
            continue;
        }
        for c in piece.text.chars() {
            let cw = c.width().unwrap_or(0);
            if used + cw > width && used > 0 {
                rows.push(Vec::new());
                used = 0;
            }
            push(
                &mut rows,
                Piece {
                    text: c.to_string(),
                    marker: piece.marker,
                },
            );
            used += cw;
        }
    }
    rows
}

/// [`wrap`] with the first row already holding `used` columns: the first piece
/// returned fills the rest of that row.
fn wrap_from(shown: &Shown, width: usize, used: usize) -> Vec<Shown> {
    let room = width.saturating_sub(used);
    let mut first: Shown = Vec::new();
    let mut filled = 0;
    let mut rest: Shown = Vec::new();
    for piece in shown {
        if !rest.is_empty() || piece.marker {
            rest.push(piece.clone());
            continue;
        }
        let mut cut = None;
        for (i, c) in piece.text.char_indices() {
            let cw = c.width().unwrap_or(0);
            if filled + cw > room {
                cut = Some(i);
                break;
            }
            filled += cw;
        }
        match cut {
            None => first.push(piece.clone()),
            Some(i) => {
                if i > 0 {
                    first.push(Piece::text(&piece.text[..i]));
                }
                rest.push(Piece::text(&piece.text[i..]));
            }
        }
    }
    let mut rows = vec![first];
    if !rest.is_empty() {
        rows.extend(wrap(&rest, width));
    }
    rows
}

/// Like [`wrap`] for prose: rows break between words where they can, and a word
/// longer than a row is cut.
pub fn wrap_words(shown: &Shown, width: usize) -> Vec<Shown> {
    let width = width.max(1);
    // Words with the spaces after them, markers on their own.
    let mut words: Vec<Shown> = Vec::new();
    for piece in shown {
        if piece.marker {
            words.push(vec![piece.clone()]);
            continue;
        }
        for word in piece.text.split_inclusive(' ') {
            words.push(vec![Piece::text(word)]);
        }
    }
    let mut rows: Vec<Shown> = vec![Vec::new()];
    let mut used = 0;
    for word in words {
        let w: usize = word.iter().map(Piece::width).sum();
        let visible_w = w - word
            .iter()
            .map(|p| p.text.len() - p.text.trim_end().len())
            .sum::<usize>();
        if w > width {
            // Longer than a row: it starts on a row of its own, or after the indent
            // when only white space is before it, and is cut at each row's end.
            let only_indent = rows
                .last()
                .is_some_and(|r| r.iter().all(|p| !p.marker && p.text.trim().is_empty()));
            if used > 0 && !only_indent {
                rows.push(Vec::new());
                used = 0;
            }
            for row in wrap_from(&word, width, used) {
                if rows.last().is_some_and(|r| !r.is_empty()) && used >= width {
                    rows.push(Vec::new());
                    used = 0;
                }
                used += row.iter().map(Piece::width).sum::<usize>();
                rows.last_mut().expect("a row").extend(row);
                if used >= width {
                    rows.push(Vec::new());
                    used = 0;
                }
            }
            if rows.len() > 1 && rows.last().is_some_and(Vec::is_empty) {
                rows.pop();
                used = rows.last().map_or(0, |r| r.iter().map(Piece::width).sum());
            }
            continue;
        }
        if used > 0 && used + visible_w > width {
            rows.push(Vec::new());
            used = 0;
        }
        used += w;
        rows.last_mut().expect("a row").extend(word);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(shown: &Shown) -> Vec<(&str, bool)> {
        shown.iter().map(|p| (p.text.as_str(), p.marker)).collect()
    }

    #[test]
    fn a_long_run_of_spaces_is_counted_and_short_ones_stay() {
        let command = format!("echo hello{}; touch /tmp/x", " ".repeat(3000));
        assert_eq!(plain(&command), "echo hello␠×3000; touch /tmp/x");
        assert_eq!(
            texts(&line(&command)),
            [
                ("echo hello", false),
                ("␠×3000", true),
                ("; touch /tmp/x", false)
            ]
        );
        let indented = "for i in 1 2; do\n    echo \"  $i\"\ndone";
        assert_eq!(plain(indented), indented);
        assert!(!has_markers(indented));
    }

    #[test]
    fn invisible_characters_and_controls_are_named() {
        assert_eq!(plain("rm\u{200b} -rf"), "rm<U+200B> -rf");
        assert_eq!(plain("echo \u{202e}fdsa"), "echo <U+202E>fdsa");
        assert_eq!(plain("a\tb\rc\u{1b}[2J"), "a<TAB>b<U+000D>c<U+001B>[2J");
        assert_eq!(plain("a\u{a0}b\u{3000}c"), "a<U+00A0>b<U+3000>c");
        assert_eq!(plain("x\u{e0041}\u{3164}"), "x<U+E0041><U+3164>");
        // Letters of any script, combining accents and emoji are text.
        assert_eq!(plain("café ünï 東京 ✓"), "café ünï 東京 ✓");
        assert!(has_markers("a\u{feff}"));
        assert_eq!(plain_line("one\ntwo"), "one<U+000A>two");
    }

    #[test]
    fn wrapping_keeps_every_character_and_markers_whole() {
        let shown = line("abcdefgh␠x");
        let rows = wrap(&shown, 4);
        let joined: String = rows.iter().flatten().map(|p| p.text.as_str()).collect();
        assert_eq!(joined, "abcdefgh␠x");
        assert!(
            rows.iter()
                .all(|r| r.iter().map(Piece::width).sum::<usize>() <= 4)
        );

        let shown = line(&format!("ab{}cd", " ".repeat(20)));
        let rows = wrap(&shown, 5);
        assert_eq!(
            rows.iter().map(texts).collect::<Vec<_>>(),
            [
                vec![("ab", false)],
                vec![("␠×20", true), ("c", false)],
                vec![("d", false)]
            ]
        );
        let rows = wrap_words(&line("one two three fourfivesix"), 9);
        let rows: Vec<String> = rows
            .iter()
            .map(|r| r.iter().map(|p| p.text.as_str()).collect())
            .collect();
        assert_eq!(rows, ["one two ", "three ", "fourfives", "ix"]);
        // An indented long word keeps its indent and fills the row.
        let rows = wrap_words(&line("  abcdefghij"), 6);
        let rows: Vec<String> = rows
            .iter()
            .map(|r| r.iter().map(|p| p.text.as_str()).collect())
            .collect();
        assert_eq!(rows, ["  abcd", "efghij"]);
        // Wide characters move to the next row rather than spill over the edge.
        let rows = wrap(&line("a東京"), 4);
        assert_eq!(rows.len(), 2);
    }
}
