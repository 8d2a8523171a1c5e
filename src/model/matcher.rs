//! Label matchers exactly as Alertmanager reads them (`pkg/labels/parse.go` of 0.25,
//! which amtool, routes and inhibit rules share): `name=value`, `name!=value`,
//! `name=~regex`, `name!~regex`, values bare or double-quoted with `\"`, `\\` and `\n`
//! escapes, lists separated by commas outside quotes and optionally wrapped in braces.
//!
//! What Alertmanager accepts gives the same name, operator and value here, byte for
//! byte; what it refuses is refused, with the column where it goes wrong. Regexes are
//! anchored and read with Go's meaning of `\d`, `\w`, `\s` and `\b` (ASCII only).

use std::fmt;

use regex::Regex;

use super::LabelSet;

/// How a matcher compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MatchOp {
    Equal,
    NotEqual,
    Regex,
    NotRegex,
}

impl MatchOp {
    /// The operator as written: `=`, `!=`, `=~` or `!~`.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchOp::Equal => "=",
            MatchOp::NotEqual => "!=",
            MatchOp::Regex => "=~",
            MatchOp::NotRegex => "!~",
        }
    }

    /// True for `=~` and `!~`.
    pub fn is_regex(self) -> bool {
        matches!(self, MatchOp::Regex | MatchOp::NotRegex)
    }

    /// True for `=` and `=~` (Alertmanager's `isEqual`).
    pub fn is_equal(self) -> bool {
        matches!(self, MatchOp::Equal | MatchOp::Regex)
    }

    /// The operator of Alertmanager's `isRegex`/`isEqual` pair.
    pub fn from_flags(is_regex: bool, is_equal: bool) -> MatchOp {
        match (is_regex, is_equal) {
            (false, true) => MatchOp::Equal,
            (false, false) => MatchOp::NotEqual,
            (true, true) => MatchOp::Regex,
            (true, false) => MatchOp::NotRegex,
        }
    }
}

/// One label matcher.
#[derive(Debug, Clone)]
pub struct Matcher {
    pub name: String,
    pub op: MatchOp,
    pub value: String,
    regex: Option<Regex>,
}

impl PartialEq for Matcher {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.op == other.op && self.value == other.value
    }
}

impl Eq for Matcher {}

/// Text that does not read as matchers: what is wrong and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatcherError {
    /// The whole text as given.
    pub input: String,
    /// Byte offset into `input` where the problem is.
    pub at: usize,
    pub reason: String,
}

impl MatcherError {
    fn new(input: &str, at: usize, reason: impl Into<String>) -> MatcherError {
        MatcherError {
            input: input.to_string(),
            at: at.min(input.len()),
            reason: reason.into(),
        }
    }

    /// The 1-based character column of the problem.
    pub fn column(&self) -> usize {
        self.input
            .get(..self.at)
            .map_or(self.at, |before| before.chars().count())
            + 1
    }
}

impl fmt::Display for MatcherError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}, at column {} of `{}`",
            self.reason,
            self.column(),
            crate::text::clean_line(&self.input)
        )
    }
}

impl std::error::Error for MatcherError {}

/// A value Alertmanager would not compile as a regex.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegexError {
    /// A `{n,m}` count above Go's limit, which the regex crate would take.
    #[error(
        "`{value}` is not a regular expression: invalid repeat count {{{count}}} (at most 1000)"
    )]
    RepeatCount { value: String, count: String },
    /// `why` is the regex crate's own last line about it.
    #[error("`{value}` is not a regular expression: {why}")]
    Invalid { value: String, why: String },
}

/// Why [`Matcher::any_of`] cannot build its matcher.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnyOfError {
    #[error("`{name}` is not a label name")]
    NotALabelName { name: String },
    #[error("give `{name}` at least one value")]
    NoValues { name: String },
    #[error(transparent)]
    Regex(#[from] RegexError),
}

/// Characters that make text read as matchers rather than words to search for.
pub const SYNTAX: &[char] = &['=', '!', '~', '{', '}', ',', '"'];

impl Matcher {
    /// A matcher from its parts, as Alertmanager builds one: regexes are compiled
    /// anchored, and a bad one is refused.
    pub fn new(name: &str, op: MatchOp, value: &str) -> Result<Matcher, RegexError> {
        let regex = if op.is_regex() {
            Some(go_regex(value)?)
        } else {
            None
        };
        Ok(Matcher {
            name: name.to_string(),
            op,
            value: value.to_string(),
            regex,
        })
    }

    /// Parses one matcher, as Alertmanager's `ParseMatcher`.
    pub fn parse(s: &str) -> Result<Matcher, MatcherError> {
        parse_one(s, s, 0)
    }

    /// `name="value"`, exactly.
    pub fn equal(name: &str, value: &str) -> Matcher {
        Matcher {
            name: name.to_string(),
            op: MatchOp::Equal,
            value: value.to_string(),
            regex: None,
        }
    }

    /// `name` equal to one of `values`: one value is an equality, several an anchored
    /// alternation of the literal values.
    pub fn any_of(name: &str, values: &[String]) -> Result<Matcher, AnyOfError> {
        if !is_label_name(name) {
            return Err(AnyOfError::NotALabelName {
                name: name.to_string(),
            });
        }
        match values {
            [] => Err(AnyOfError::NoValues {
                name: name.to_string(),
            }),
            [one] => Ok(Matcher::equal(name, one)),
            many => {
                let value = many
                    .iter()
                    .map(|v| regex::escape(v))
                    .collect::<Vec<_>>()
                    .join("|");
                Ok(Matcher::new(name, MatchOp::Regex, &value)?)
            }
        }
    }

    /// Parses a comma-separated list, optionally in braces, as Alertmanager's
    /// `ParseMatchers`: `{a="x", b=~"y.*"}`. `{}` and the empty text are no matchers.
    pub fn parse_list(s: &str) -> Result<Vec<Matcher>, MatcherError> {
        // One leading `{` and one trailing `}` go, whatever else the text holds.
        let start = usize::from(s.starts_with('{'));
        let mut end = s.len();
        if s[start..].ends_with('}') {
            end -= 1;
        }
        let body = &s[start..end];
        let mut tokens: Vec<(usize, usize)> = Vec::new();
        let (mut quoted, mut escaped) = (false, false);
        let mut token_start = start;
        for (i, c) in body.char_indices() {
            let at = start + i;
            match c {
                ',' if !quoted => {
                    tokens.push((token_start, at));
                    token_start = at + 1;
                    continue;
                }
                // A comma inside quotes leaves a pending escape pending, as in
                // Alertmanager.
                ',' => {}
                '"' if !escaped => quoted = !quoted,
                '"' => escaped = false,
                '\\' => escaped = !escaped,
                _ => escaped = false,
            }
        }
        // The last piece counts only when it holds more than white space, and it is
        // trimmed of any Unicode white space first (Go's TrimSpace), unlike the others.
        let last = &s[token_start..end];
        let trimmed = last.trim();
        if !trimmed.is_empty() {
            let from = token_start + (last.len() - last.trim_start().len());
            tokens.push((from, from + trimmed.len()));
        }
        tokens
            .into_iter()
            .map(|(from, to)| parse_one(s, &s[from..to], from))
            .collect()
    }

    /// True when `labels` satisfy the matcher (an absent label is the empty value).
    pub fn matches(&self, labels: &LabelSet) -> bool {
        self.matches_value(labels.get(&self.name).unwrap_or(""))
    }

    /// True when a label whose value is `v` satisfies the matcher.
    pub fn matches_value(&self, v: &str) -> bool {
        match self.op {
            MatchOp::Equal => v == self.value,
            MatchOp::NotEqual => v != self.value,
            MatchOp::Regex => self.regex.as_ref().is_some_and(|r| r.is_match(v)),
            MatchOp::NotRegex => !self.regex.as_ref().is_some_and(|r| r.is_match(v)),
        }
    }

    /// True when `s` holds matcher syntax (`= ! ~ { } , "`): such text is read as
    /// matchers, and refused if it is not valid, never taken for words to search.
    pub fn is_matcher_syntax(s: &str) -> bool {
        s.contains(SYNTAX)
    }
}

/// Alertmanager's own form: `name="value"` with `\\`, `\n` and `\"` escaped, which
/// reads back to the same matcher.
impl fmt::Display for Matcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}\"", self.name, self.op.as_str())?;
        for c in self.value.chars() {
            match c {
                '\\' => f.write_str("\\\\")?,
                '\n' => f.write_str("\\n")?,
                '"' => f.write_str("\\\"")?,
                c => write!(f, "{c}")?,
            }
        }
        f.write_str("\"")
    }
}

/// Alertmanager's label names: a letter or `_`, then letters, digits and `_`.
pub fn is_label_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// White space as Go's regexp `\s` knows it; Alertmanager trims it around each part.
fn is_go_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// One matcher: `token` is `input[base..]`'s piece, so errors point into `input`.
/// Mirrors `^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(=~|=|!=|!~)\s*((?s).*?)\s*$`, then
/// unescapes the value the way Alertmanager does.
fn parse_one(input: &str, token: &str, base: usize) -> Result<Matcher, MatcherError> {
    let bytes = token.as_bytes();
    let skip_space = |mut i: usize| {
        while i < bytes.len() && is_go_space(bytes[i]) {
            i += 1;
        }
        i
    };
    let name_start = skip_space(0);
    let name_char = |b: u8, first: bool| {
        b.is_ascii_alphabetic() || b == b'_' || b == b':' || (!first && b.is_ascii_digit())
    };
    if name_start == bytes.len() {
        let reason = if token.is_empty() {
            "nothing between these commas: a matcher is name=value"
        } else {
            "a matcher is missing here: write name=value"
        };
        return Err(MatcherError::new(input, base + name_start, reason));
    }
    if !name_char(bytes[name_start], true) {
        return Err(MatcherError::new(
            input,
            base + name_start,
            "a matcher starts with a label name (a letter, `_` or `:`): write name=value, name!=value, name=~regex or name!~regex",
        ));
    }
    let mut name_end = name_start + 1;
    while name_end < bytes.len() && name_char(bytes[name_end], false) {
        name_end += 1;
    }
    let name = &token[name_start..name_end];
    let op_start = skip_space(name_end);
    let rest = &token[op_start..];
    let op = if rest.starts_with("=~") {
        MatchOp::Regex
    } else if rest.starts_with('=') {
        MatchOp::Equal
    } else if rest.starts_with("!=") {
        MatchOp::NotEqual
    } else if rest.starts_with("!~") {
        MatchOp::NotRegex
    } else {
        return Err(MatcherError::new(
            input,
            base + op_start,
            format!("`{name}` must be followed by =, !=, =~ or !~"),
        ));
    };
    let value_start = skip_space(op_start + op.as_str().len());
    let mut value_end = bytes.len();
    while value_end > value_start && is_go_space(bytes[value_end - 1]) {
        value_end -= 1;
    }
    let value = unescape(input, &token[value_start..value_end], base + value_start)?;
    Matcher::new(name, op, &value)
        .map_err(|e| MatcherError::new(input, base + value_start, e.to_string()))
}

/// The value's escapes, as Alertmanager reads them: `\n`, `\"` and `\\`; any other
/// backslash is itself. A leading quote must be closed by the last character and no
/// other quote may stand unescaped. `at` is where `raw` starts in `input`.
fn unescape(input: &str, raw: &str, at: usize) -> Result<String, MatcherError> {
    let (body, quoted, body_at) = match raw.strip_prefix('"') {
        Some(rest) => (rest, true, at + 1),
        None => (raw, false, at),
    };
    let mut value = String::with_capacity(body.len());
    let mut escaped = false;
    let mut closed = !quoted;
    for (i, c) in body.char_indices() {
        let last = i + c.len_utf8() == body.len();
        if escaped {
            escaped = false;
            match c {
                'n' => value.push('\n'),
                '"' | '\\' => value.push(c),
                c => {
                    value.push('\\');
                    value.push(c);
                }
            }
            continue;
        }
        match c {
            '\\' if !last => escaped = true,
            '"' if quoted && last => closed = true,
            '"' => {
                return Err(MatcherError::new(
                    input,
                    body_at + i,
                    "unescaped double quote in the value: write \\\" for a quote inside it",
                ));
            }
            c => value.push(c),
        }
    }
    if !closed {
        return Err(MatcherError::new(
            input,
            at,
            "this quote opens a value that is never closed",
        ));
    }
    Ok(value)
}

/// Compiles an Alertmanager regex, anchored: `\d \w \s \b` and their negations mean
/// what they mean in Go (ASCII), and `[`, `&`, `~` inside a class are literal there.
fn go_regex(value: &str) -> Result<Regex, RegexError> {
    const DIGIT: &str = "0-9";
    const WORD: &str = "0-9A-Za-z_";
    const SPACE: &str = r"\t\n\f\r ";
    let mut out = String::with_capacity(value.len() + 8);
    let mut chars = value.chars().peekable();
    let mut in_class = false;
    let mut class_start = false;
    while let Some(c) = chars.next() {
        let at_class_start = std::mem::take(&mut class_start);
        match c {
            '\\' => {
                let Some(e) = chars.next() else {
                    out.push('\\');
                    break;
                };
                let perl = match e {
                    'd' | 'D' => Some(DIGIT),
                    'w' | 'W' => Some(WORD),
                    's' | 'S' => Some(SPACE),
                    _ => None,
                };
                match (perl, in_class) {
                    (Some(set), true) if e.is_ascii_lowercase() => out.push_str(set),
                    (Some(set), _) if e.is_ascii_uppercase() => {
                        out.push_str("[^");
                        out.push_str(set);
                        out.push(']');
                    }
                    (Some(set), _) => {
                        out.push('[');
                        out.push_str(set);
                        out.push(']');
                    }
                    // Go reads an escaped punctuation mark as itself; the regex
                    // crate reads these two as word boundaries.
                    (None, _) if e == '<' || e == '>' => out.push(e),
                    (None, false) if e == 'b' || e == 'B' => {
                        out.push_str("(?-u:\\");
                        out.push(e);
                        out.push(')');
                    }
                    (None, _) if e == 'Q' => {
                        // Literal text up to `\E`.
                        let mut literal = String::new();
                        while let Some(l) = chars.next() {
                            if l == '\\' && chars.peek() == Some(&'E') {
                                chars.next();
                                break;
                            }
                            literal.push(l);
                        }
                        out.push_str(&regex::escape(&literal));
                    }
                    (None, _) => {
                        out.push('\\');
                        out.push(e);
                    }
                }
            }
            '[' if !in_class => {
                in_class = true;
                class_start = true;
                out.push('[');
                if chars.peek() == Some(&'^') {
                    chars.next();
                    out.push('^');
                }
                // A `]` first in a class is a literal.
                if chars.peek() == Some(&']') {
                    chars.next();
                    out.push_str("\\]");
                }
            }
            '[' if chars.peek() == Some(&':') => {
                // A POSIX class such as [:alpha:], copied whole.
                out.push('[');
                for p in chars.by_ref() {
                    out.push(p);
                    if p == ']' {
                        break;
                    }
                }
            }
            '[' | '&' | '~' if in_class => {
                out.push('\\');
                out.push(c);
            }
            ']' if in_class && !at_class_start => {
                in_class = false;
                out.push(']');
            }
            '{' if !in_class => {
                // Go refuses a repeat count over 1000; the regex crate takes it.
                let rest: String = chars.clone().take_while(|&c| c != '}').collect();
                let counts: Vec<&str> = rest.split(',').collect();
                let is_count = !rest.is_empty()
                    && counts.len() <= 2
                    && counts[0].chars().all(|c| c.is_ascii_digit())
                    && !counts[0].is_empty()
                    && counts.iter().all(|n| n.chars().all(|c| c.is_ascii_digit()));
                if is_count
                    && counts
                        .iter()
                        .any(|n| n.parse::<u64>().map_or(!n.is_empty(), |n| n > 1000))
                {
                    return Err(RegexError::RepeatCount {
                        value: value.to_string(),
                        count: rest,
                    });
                }
                // Go reads a brace that starts no count as itself.
                out.push_str(if is_count { "{" } else { "\\{" });
            }
            c => out.push(c),
        }
    }
    Regex::new(&format!("^(?:{out})$")).map_err(|e| {
        let said = e.to_string();
        // The regex crate's message draws the pattern over several lines; the last
        // line says what is wrong.
        let why = said
            .lines()
            .rev()
            .find(|l| l.trim_start().starts_with("error:"))
            .map(|l| {
                l.trim_start()
                    .trim_start_matches("error:")
                    .trim()
                    .to_string()
            })
            .unwrap_or(said);
        RegexError::Invalid {
            value: value.to_string(),
            why,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels() -> LabelSet {
        [
            ("alertname", "HighErrorRate"),
            ("cluster", "prod-eu"),
            ("severity", "critical"),
        ]
        .into_iter()
        .collect()
    }

    fn one(s: &str) -> (String, MatchOp, String) {
        let m = Matcher::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
        (m.name, m.op, m.value)
    }

    #[test]
    fn the_four_operators() {
        let l = labels();
        assert!(Matcher::parse("severity=critical").unwrap().matches(&l));
        assert!(Matcher::parse("cluster!=prod-us").unwrap().matches(&l));
        assert!(Matcher::parse("cluster=~prod-.*").unwrap().matches(&l));
        assert!(
            !Matcher::parse("cluster=~prod").unwrap().matches(&l),
            "anchored"
        );
        assert!(Matcher::parse("alertname!~Low.*").unwrap().matches(&l));
        assert!(
            Matcher::parse("team=").unwrap().matches(&l),
            "absent is empty"
        );
    }

    #[test]
    fn quoted_values_unescape_as_alertmanager_does() {
        use MatchOp::*;
        let s = |v: &str| v.to_string();
        assert_eq!(one(r#"a="x\"y""#), (s("a"), Equal, s("x\"y")));
        assert_eq!(one(r#"a="x\\y""#), (s("a"), Equal, s("x\\y")));
        assert_eq!(one(r#"a="x\ny""#), (s("a"), Equal, s("x\ny")));
        assert_eq!(
            one(r#"a="x\ty""#),
            (s("a"), Equal, s("x\\ty")),
            "other escapes stay"
        );
        assert_eq!(
            one(r"a=bar\"),
            (s("a"), Equal, s("bar\\")),
            "a last backslash"
        );
        assert_eq!(
            one(r#"a=bar\""#),
            (s("a"), Equal, s("bar\"")),
            "unquoted escapes"
        );
        assert_eq!(one("tricky=~~~"), (s("tricky"), Regex, s("~~")));
        assert_eq!(one("a==b"), (s("a"), Equal, s("=b")));
        assert_eq!(one(" a: =  x y \t"), (s("a:"), Equal, s("x y")));
        assert_eq!(
            one("a=\" x \""),
            (s("a"), Equal, s(" x ")),
            "quotes keep spaces"
        );
    }

    #[test]
    fn refused_where_alertmanager_refuses_with_the_column() {
        let err = Matcher::parse(r#"job="value"#).unwrap_err();
        assert_eq!(err.column(), 5, "{err}");
        assert!(err.reason.contains("never closed"));
        let err = Matcher::parse(r#"job=value""#).unwrap_err();
        assert_eq!(err.column(), 10, "{err}");
        assert!(err.reason.contains("unescaped double quote"));
        let err = Matcher::parse_list("a=b, 9c=d").unwrap_err();
        assert_eq!(err.column(), 6, "{err}");
        let err = Matcher::parse_list("a=b,,c=d").unwrap_err();
        assert_eq!(err.column(), 5, "{err}");
        let err = Matcher::parse_list(r#"{foo=~"invalid[regexp"}"#).unwrap_err();
        assert!(err.reason.contains("not a regular expression"), "{err}");
    }

    #[test]
    fn lists_with_quotes_braces_and_trailing_commas() {
        let m = Matcher::parse_list(r#"{severity="critical", alertname=~"High.*,Err"}"#).unwrap();
        assert_eq!(m.len(), 2);
        assert_eq!(m[1].value, "High.*,Err");
        assert_eq!(Matcher::parse_list("{}").unwrap(), vec![]);
        assert_eq!(Matcher::parse_list("").unwrap(), vec![]);
        assert_eq!(
            Matcher::parse_list(r#"{foo = "bar", dings != "bums", }"#)
                .unwrap()
                .len(),
            2
        );
        // One brace at each end goes; the rest is the value.
        assert_eq!(Matcher::parse_list("foo=bar}").unwrap()[0].value, "bar");
        assert_eq!(Matcher::parse_list("{foo=bar}}").unwrap()[0].value, "bar}");
        assert!(Matcher::parse_list("payments eu").is_err());
        assert!(Matcher::parse("a=~(").is_err());
    }

    #[test]
    fn only_the_last_piece_of_a_list_is_trimmed_of_unicode_space() {
        let m = Matcher::parse_list("a=b\u{a0},c=d\u{a0}\u{b}").unwrap();
        assert_eq!(m[0].value, "b\u{a0}");
        assert_eq!(m[1].value, "d");
        assert_eq!(Matcher::parse("a=d\u{b}").unwrap().value, "d\u{b}");
    }

    #[test]
    fn display_reads_back_to_the_same_matcher() {
        for value in [
            "plain",
            "a\"b",
            "back\\slash",
            "two\nlines",
            " spaced ",
            "日本,{}",
        ] {
            let m = Matcher::new("x", MatchOp::NotEqual, value).unwrap();
            let back = Matcher::parse(&m.to_string()).unwrap();
            assert_eq!(back, m, "{m}");
        }
    }

    #[test]
    fn perl_classes_are_ascii_as_in_go() {
        let m = Matcher::parse(r"code=~\d+").unwrap();
        assert!(m.matches_value("503"));
        assert!(
            !m.matches_value("٣"),
            "an Arabic-Indic digit is not \\d in Go"
        );
        assert!(Matcher::parse(r"a=~[[]").unwrap().matches_value("["));
        assert!(Matcher::parse(r"a=~[a&&b]").unwrap().matches_value("&"));
        assert!(Matcher::parse(r"a=~[^\d]x").unwrap().matches_value("ax"));
        assert!(Matcher::parse(r"a=~\Qa.b\E").unwrap().matches_value("a.b"));
        assert!(!Matcher::parse(r"a=~\Qa.b\E").unwrap().matches_value("axb"));
        assert!(Matcher::parse(r"a=~[]x]+").unwrap().matches_value("]x"));
        assert!(
            Matcher::parse(r"a=~[[:alpha:]]+")
                .unwrap()
                .matches_value("abc")
        );
    }
}
