//! Label matchers as Alertmanager writes them: `name=value`, `name!=value`,
//! `name=~regex`, `name!~regex`. Regexes are anchored, as in Alertmanager.

use std::fmt;

use regex::Regex;

use super::LabelSet;

/// How a matcher compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchOp {
    Equal,
    NotEqual,
    Regex,
    NotRegex,
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

impl Matcher {
    /// Parses `name=value`, `name!=value`, `name=~re` or `name!~re`; values may be
    /// double-quoted.
    pub fn parse(s: &str) -> Result<Matcher, String> {
        let s = s.trim();
        let (name, op, value) = [
            ("!~", MatchOp::NotRegex),
            ("=~", MatchOp::Regex),
            ("!=", MatchOp::NotEqual),
            ("=", MatchOp::Equal),
        ]
        .iter()
        .find_map(|(tok, op)| s.find(tok).map(|i| (&s[..i], *op, &s[i + tok.len()..])))
        .ok_or_else(|| {
            format!(
                "`{s}` is not a matcher (write name=value, name!=value, name=~regex or name!~regex)"
            )
        })?;
        let name = name.trim();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!("`{name}` is not a label name"));
        }
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(value)
            .to_string();
        let regex = match op {
            MatchOp::Regex | MatchOp::NotRegex => Some(
                Regex::new(&format!("^(?:{value})$"))
                    .map_err(|e| format!("`{value}` is not a regular expression: {e}"))?,
            ),
            _ => None,
        };
        Ok(Matcher {
            name: name.to_string(),
            op,
            value,
            regex,
        })
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
    pub fn any_of(name: &str, values: &[String]) -> Result<Matcher, String> {
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!("`{name}` is not a label name"));
        }
        match values {
            [] => Err(format!("give `{name}` at least one value")),
            [one] => Ok(Matcher::equal(name, one)),
            many => {
                let value = many
                    .iter()
                    .map(|v| regex::escape(v))
                    .collect::<Vec<_>>()
                    .join("|");
                let regex = Regex::new(&format!("^(?:{value})$")).map_err(|e| e.to_string())?;
                Ok(Matcher {
                    name: name.to_string(),
                    op: MatchOp::Regex,
                    value,
                    regex: Some(regex),
                })
            }
        }
    }

    /// Parses a comma-separated list, optionally in braces: `{a="x", b=~"y.*"}`.
    pub fn parse_list(s: &str) -> Result<Vec<Matcher>, String> {
        let s = s.trim();
        let s = s
            .strip_prefix('{')
            .and_then(|x| x.strip_suffix('}'))
            .unwrap_or(s);
        split_outside_quotes(s)
            .into_iter()
            .filter(|p| !p.trim().is_empty())
            .map(|p| Matcher::parse(&p))
            .collect()
    }

    /// True when `labels` satisfy the matcher (an absent label is the empty value).
    pub fn matches(&self, labels: &LabelSet) -> bool {
        let v = labels.get(&self.name).unwrap_or("");
        match self.op {
            MatchOp::Equal => v == self.value,
            MatchOp::NotEqual => v != self.value,
            MatchOp::Regex => self.regex.as_ref().is_some_and(|r| r.is_match(v)),
            MatchOp::NotRegex => !self.regex.as_ref().is_some_and(|r| r.is_match(v)),
        }
    }

    /// True when `s` looks like matchers rather than free text.
    pub fn looks_like_matchers(s: &str) -> bool {
        Matcher::parse_list(s).is_ok_and(|m| !m.is_empty())
    }
}

impl fmt::Display for Matcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let op = match self.op {
            MatchOp::Equal => "=",
            MatchOp::NotEqual => "!=",
            MatchOp::Regex => "=~",
            MatchOp::NotRegex => "!~",
        };
        write!(f, "{}{op}{:?}", self.name, self.value)
    }
}

fn split_outside_quotes(s: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut quoted = false;
    for c in s.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                parts.last_mut().expect("non-empty").push(c);
            }
            ',' if !quoted => parts.push(String::new()),
            c => parts.last_mut().expect("non-empty").push(c),
        }
    }
    parts
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
    fn lists_with_quotes_and_braces() {
        let m = Matcher::parse_list(r#"{severity="critical", alertname=~"High.*,Err"}"#).unwrap();
        assert_eq!(m.len(), 2);
        assert_eq!(m[1].value, "High.*,Err");
        assert!(Matcher::parse_list("payments eu").is_err());
        assert!(Matcher::parse("a=~(").is_err());
        assert!(!Matcher::looks_like_matchers("payments"));
        assert!(Matcher::looks_like_matchers("service=payments"));
    }
}
