//! Alertmanager's alert list cut into its elements as the reply arrives, without parsing
//! them: each element is handed on whole (borrowed from the piece it arrived in, copied
//! only when it straddles two pieces) with a digest of what it says. So a reply is never
//! held whole, and an element that says what it said in the last poll is known without
//! being parsed.
//!
//! The digest leaves out the values of `endsAt` and `updatedAt`: Prometheus resends
//! every firing alert each evaluation, which moves both without changing anything clops
//! shows or compares.

use std::borrow::Cow;

use xxhash_rust::xxh3::Xxh3;

use crate::model::hash::Digest;

/// Keys of an alert whose values change on every resend: not digested.
const RESENT_KEYS: [&[u8]; 2] = [b"endsAt", b"updatedAt"];

/// One element of the list: its bytes, where it starts in the reply and its digest.
pub(super) struct Element<'a> {
    pub bytes: &'a [u8],
    pub digest: Digest,
    /// Line (from 1) and column (from 1) of its first byte in the reply.
    pub line: usize,
    pub column: usize,
}

/// Why the reply could not be cut into elements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Broken {
    /// It ends before its list does.
    Truncated,
    /// It is not JSON.
    NotJson,
    /// It is JSON but not a list.
    NotAList,
}

/// Where in the reply something went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct At {
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Before the list's `[`.
    Before,
    /// After `[`, before the first element or the closing `]`.
    First,
    /// Inside an element.
    Inside,
    /// After an element: a comma or the closing `]` comes next.
    After,
    /// After a comma: an element comes next.
    Next,
    /// After the list's `]`: only whitespace may follow.
    Done,
}

/// Cuts a reply into the elements of its top-level list, piece by piece.
pub(super) struct Splitter {
    place: Place,
    /// Bytes of the open element that arrived in earlier pieces.
    carry: Vec<u8>,
    /// Offset in the reply of the current piece's first byte.
    offset: usize,
    /// The current line (from 1) and the offset where it starts, for positions.
    line: usize,
    line_start: usize,
    /// The open element: where it starts, and its line and column.
    start: usize,
    start_at: At,
    /// Nesting inside the open element: 1 inside its own braces.
    depth: u32,
    in_string: bool,
    /// The last byte was a backslash inside a string.
    escaped: bool,
    /// A scalar element (a number, `true`, …): it ends where the list goes on.
    scalar: bool,
    /// At depth 1, whether the next string is a key.
    expect_key: bool,
    /// Where the string being read started.
    string_start: usize,
    /// The last key read was one of [`RESENT_KEYS`]: its string value is not digested.
    skip_value: bool,
    /// Ranges of the open element (offsets in the reply) left out of its digest.
    skips: Vec<(usize, usize)>,
}

impl Splitter {
    pub(super) fn new() -> Splitter {
        Splitter {
            place: Place::Before,
            carry: Vec::new(),
            offset: 0,
            line: 1,
            line_start: 0,
            start: 0,
            start_at: At { line: 1, column: 1 },
            depth: 0,
            in_string: false,
            escaped: false,
            scalar: false,
            expect_key: false,
            string_start: 0,
            skip_value: false,
            skips: Vec::new(),
        }
    }

    /// The position of reply offset `at`.
    fn at(&self, at: usize) -> At {
        At {
            line: self.line,
            column: at - self.line_start + 1,
        }
    }

    /// Reads the next piece of the reply, handing every element completed in it to
    /// `each`, in order. An error from `each` stops the reading and is returned as is.
    pub(super) fn feed<E>(
        &mut self,
        piece: &[u8],
        mut each: impl FnMut(Element<'_>) -> Result<(), E>,
    ) -> Result<(), Fault<E>> {
        let mut i = 0;
        while i < piece.len() {
            if self.place == Place::Inside {
                i = self.scan_element(piece, i, &mut each)?;
                continue;
            }
            let b = piece[i];
            let here = self.offset + i;
            match (self.place, b) {
                (_, b'\n') => {
                    self.line += 1;
                    self.line_start = here + 1;
                }
                (_, b' ' | b'\t' | b'\r') => {}
                (Place::Before, b'[') => self.place = Place::First,
                (Place::Before, b'{' | b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n') => {
                    return Err(Fault::Broken(Broken::NotAList, self.at(here)));
                }
                (Place::First, b']') | (Place::After, b']') => self.place = Place::Done,
                (Place::After, b',') => self.place = Place::Next,
                (Place::First | Place::Next, _) if b != b',' && b != b']' => {
                    self.open(here, b);
                    // The opening byte is read again by the element's own scan.
                    continue;
                }
                _ => return Err(Fault::Broken(Broken::NotJson, self.at(here))),
            }
            i += 1;
        }
        if self.place == Place::Inside {
            let from = self.start.max(self.offset) - self.offset;
            self.carry.extend_from_slice(&piece[from..]);
        }
        self.offset += piece.len();
        Ok(())
    }

    /// The reply has ended: was its list whole?
    pub(super) fn finish<E>(&self) -> Result<(), Fault<E>> {
        match self.place {
            Place::Done => Ok(()),
            Place::Before if self.offset == 0 => {
                Err(Fault::Broken(Broken::Truncated, At { line: 1, column: 1 }))
            }
            _ => Err(Fault::Broken(Broken::Truncated, self.at(self.offset))),
        }
    }

    /// The element the reply broke off in, if it did: its bytes so far, where it starts.
    pub(super) fn unfinished(&self) -> Option<(&[u8], At)> {
        (self.place == Place::Inside).then_some((&self.carry[..], self.start_at))
    }

    fn open(&mut self, here: usize, first: u8) {
        self.place = Place::Inside;
        self.start = here;
        self.start_at = self.at(here);
        self.depth = 0;
        self.in_string = false;
        self.escaped = false;
        self.scalar = !matches!(first, b'{' | b'[' | b'"');
        self.expect_key = false;
        self.skip_value = false;
        self.skips.clear();
        self.carry.clear();
    }

    /// Scans the open element from `i`; returns where scanning stopped (the end of the
    /// piece, or just after the element).
    fn scan_element<E>(
        &mut self,
        piece: &[u8],
        mut i: usize,
        each: &mut impl FnMut(Element<'_>) -> Result<(), E>,
    ) -> Result<usize, Fault<E>> {
        while i < piece.len() {
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                    i += 1;
                    continue;
                }
                // Strings are most of an alert: jump to the next quote or backslash.
                let Some(k) = memchr::memchr2(b'"', b'\\', &piece[i..]) else {
                    return Ok(piece.len());
                };
                let j = i + k;
                if piece[j] == b'\\' {
                    self.escaped = true;
                } else {
                    self.in_string = false;
                    self.close_string(piece, j);
                    if self.depth == 0 {
                        // The element was this string.
                        self.complete(piece, j + 1, each)?;
                        return Ok(j + 1);
                    }
                }
                i = j + 1;
                continue;
            }
            let b = piece[i];
            let here = self.offset + i;
            if self.scalar {
                if matches!(b, b',' | b']' | b' ' | b'\t' | b'\r' | b'\n') {
                    self.complete(piece, i, each)?;
                    return Ok(i);
                }
                i += 1;
                continue;
            }
            match b {
                b'"' => {
                    self.in_string = true;
                    self.string_start = here;
                }
                b'{' | b'[' => {
                    self.depth += 1;
                    if self.depth == 1 {
                        self.expect_key = b == b'{';
                    }
                }
                b'}' | b']' => {
                    self.depth = self.depth.saturating_sub(1);
                    if self.depth == 0 {
                        self.complete(piece, i + 1, each)?;
                        return Ok(i + 1);
                    }
                }
                b',' if self.depth == 1 => {
                    self.expect_key = true;
                    self.skip_value = false;
                }
                b':' if self.depth == 1 => self.expect_key = false,
                b'\n' => {
                    self.line += 1;
                    self.line_start = here + 1;
                }
                _ => {}
            }
            i += 1;
        }
        Ok(i)
    }

    /// A string ended at piece index `j` (its closing quote): a key of the element, or
    /// a value left out of its digest.
    fn close_string(&mut self, piece: &[u8], j: usize) {
        if self.depth != 1 {
            return;
        }
        let end = self.offset + j + 1;
        if self.expect_key {
            let key = self.bytes_between(piece, self.string_start + 1, end - 1);
            self.skip_value = RESENT_KEYS.contains(&&*key);
        } else if self.skip_value {
            self.skips.push((self.string_start, end));
            self.skip_value = false;
        }
    }

    /// Reply bytes `from..to` of the open element, whichever pieces they arrived in.
    fn bytes_between<'p>(&'p self, piece: &'p [u8], from: usize, to: usize) -> Cow<'p, [u8]> {
        if from >= self.offset {
            return Cow::Borrowed(&piece[from - self.offset..to - self.offset]);
        }
        let in_carry = from - self.start;
        // The key's closing quote is in this piece, so `to` is too.
        let mut bytes = self.carry[in_carry..].to_vec();
        bytes.extend_from_slice(&piece[..to - self.offset]);
        Cow::Owned(bytes)
    }

    /// The open element ends just before piece index `end`: hands it on.
    fn complete<E>(
        &mut self,
        piece: &[u8],
        end: usize,
        each: &mut impl FnMut(Element<'_>) -> Result<(), E>,
    ) -> Result<(), Fault<E>> {
        self.place = Place::After;
        let bytes: &[u8] = if self.start >= self.offset {
            &piece[self.start - self.offset..end]
        } else {
            self.carry.extend_from_slice(&piece[..end]);
            &self.carry
        };
        let digest = digest_of(bytes, self.start, &self.skips);
        each(Element {
            bytes,
            digest,
            line: self.start_at.line,
            column: self.start_at.column,
        })
        .map_err(Fault::Element)
    }
}

/// What stopped the reading: the reply, or what was done with an element.
#[derive(Debug)]
pub(super) enum Fault<E> {
    Broken(Broken, At),
    Element(E),
}

/// The digest of an element starting at reply offset `start`, without `skips`.
fn digest_of(bytes: &[u8], start: usize, skips: &[(usize, usize)]) -> Digest {
    let mut h = Xxh3::new();
    let mut from = 0;
    for &(a, b) in skips {
        h.update(&bytes[from..a - start]);
        from = b - start;
    }
    h.update(&bytes[from..]);
    Digest(h.digest128())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An element as text, with its digest, line and column.
    type Cut = (String, Digest, usize, usize);

    /// The elements of `reply` fed in pieces of `size` bytes.
    fn cut(reply: &str, size: usize) -> Result<Vec<Cut>, Fault<()>> {
        let mut splitter = Splitter::new();
        let mut out = Vec::new();
        for piece in reply.as_bytes().chunks(size.max(1)) {
            splitter.feed(piece, |e: Element<'_>| {
                out.push((
                    String::from_utf8(e.bytes.to_vec()).unwrap(),
                    e.digest,
                    e.line,
                    e.column,
                ));
                Ok::<(), ()>(())
            })?;
        }
        splitter.finish()?;
        Ok(out)
    }

    const REPLY: &str = "[{\"annotations\":{\"summary\":\"a \\\"quoted\\\" } brace\"},\"endsAt\":\"2026-12-02T19:00:00Z\",\"labels\":{\"alertname\":\"Up\"},\"updatedAt\":\"2026-12-02T13:00:01Z\",\"receivers\":[{\"name\":\"x\"}]},\n {\"labels\":{\"alertname\":\"Down\",\"k\":\"[\\\\\"}}, 1, \"s\", true]\n";

    #[test]
    fn a_list_is_cut_into_its_elements_however_it_arrives() {
        let whole = cut(REPLY, REPLY.len()).unwrap();
        let texts: Vec<&str> = whole.iter().map(|e| e.0.as_str()).collect();
        assert_eq!(texts.len(), 5);
        assert!(texts[0].starts_with("{\"annotations\"") && texts[0].ends_with("}]}"));
        assert_eq!(
            texts[1],
            "{\"labels\":{\"alertname\":\"Down\",\"k\":\"[\\\\\"}}"
        );
        assert_eq!(&texts[2..], ["1", "\"s\"", "true"]);
        assert_eq!((whole[0].2, whole[0].3), (1, 2));
        assert_eq!((whole[1].2, whole[1].3), (2, 2));
        for size in 1..REPLY.len() {
            assert_eq!(cut(REPLY, size).unwrap(), whole, "in pieces of {size}");
        }
    }

    #[test]
    fn the_digest_ignores_what_a_resend_changes() {
        let digest = |reply: &str| cut(reply, 7).unwrap()[0].1;
        let first = digest(REPLY);
        let resent = REPLY
            .replace("19:00:00Z", "19:01:00Z")
            .replace("13:00:01Z", "13:01:01Z");
        assert_eq!(first, digest(&resent));
        assert_ne!(first, digest(&REPLY.replace("quoted", "quotes")));
        // The same time under a key clops reads is digested.
        assert_ne!(
            digest(r#"[{"startsAt":"2026-12-02T19:00:00Z"}]"#),
            digest(r#"[{"startsAt":"2026-12-02T19:01:00Z"}]"#)
        );
    }

    #[test]
    fn broken_replies_say_how_and_where() {
        let broken = |reply: &str| match cut(reply, 3) {
            Err(Fault::Broken(how, at)) => (how, at.line, at.column),
            other => panic!("{reply:?}: {:?}", other.map(|v| v.len())),
        };
        assert_eq!(broken(""), (Broken::Truncated, 1, 1));
        assert_eq!(broken("[{\"a\":1}"), (Broken::Truncated, 1, 9));
        assert_eq!(broken("[{\"a\":\"b"), (Broken::Truncated, 1, 9));
        assert_eq!(broken("{\"alerts\":[]}"), (Broken::NotAList, 1, 1));
        assert_eq!(broken("[] x"), (Broken::NotJson, 1, 4));
        assert_eq!(broken("[1,,2]"), (Broken::NotJson, 1, 4));
        assert_eq!(broken("[1 2]"), (Broken::NotJson, 1, 4));
        assert_eq!(broken("<html>"), (Broken::NotJson, 1, 1));
        assert!(cut("[]", 1).unwrap().is_empty());
        assert!(cut(" [ ] \n", 1).unwrap().is_empty());
    }
}
