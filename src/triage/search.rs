//! The console's `/` filter and `clops alerts --filter`: label matchers read exactly as
//! Alertmanager reads them, or words searched fuzzily over labels and annotations.
//!
//! Text holding matcher syntax (`= ! ~ { } , "`) is matchers, and refused when it is not
//! valid; it never falls back to a word search that quietly finds nothing.
//!
//! Words: whitespace separates terms; an alert matches when every term matches one of its
//! fields (`name=value` of a label, or an annotation). A term matches a field when the
//! field contains it, or holds its characters in order close together — close enough
//! to forgive a typo like `paymnts`, not so loose that `pay` finds "pipeline is alive".

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use crate::model::{Alert, Board, Matcher, MatcherError};

/// What a filter asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum AlertFilter {
    /// Label matchers, all of which must hold (`{}` is none: every alert).
    Matchers(Vec<Matcher>),
    /// Words matched fuzzily against labels and annotations.
    Words(String),
}

impl AlertFilter {
    /// Matchers when the text holds matcher syntax, words otherwise.
    pub fn parse(expr: &str) -> Result<AlertFilter, MatcherError> {
        if Matcher::is_matcher_syntax(expr) {
            Matcher::parse_list(expr).map(AlertFilter::Matchers)
        } else {
            Ok(AlertFilter::Words(expr.to_string()))
        }
    }

    /// True when `alert` passes.
    pub fn keeps(&self, alert: &Alert) -> bool {
        match self {
            AlertFilter::Matchers(ms) => ms.iter().all(|m| m.matches(alert.matched_labels())),
            AlertFilter::Words(w) => matches_text(&haystack(alert), w),
        }
    }

    /// The words searched for, when the filter is words.
    pub fn words(&self) -> Option<&str> {
        match self {
            AlertFilter::Words(w) => Some(w),
            AlertFilter::Matchers(_) => None,
        }
    }
}

/// Which alerts of which groups match: (group index, alert indices).
pub type Hits = Vec<(usize, Vec<usize>)>;

/// Separates fields inside a haystack; never appears in sanitized text.
const FIELD_SEP: char = '\u{1f}';

/// The searchable fields of an alert, joined: `name=value` per label, then annotations.
pub fn haystack(alert: &Alert) -> String {
    let mut s = String::with_capacity(256);
    for (k, v) in alert.labels.iter() {
        s.push_str(k);
        s.push('=');
        s.push_str(v);
        s.push(FIELD_SEP);
    }
    for v in alert.annotations.values() {
        s.push_str(v);
        s.push(FIELD_SEP);
    }
    s
}

/// A compiled query.
pub struct Query {
    terms: Vec<(String, usize)>,
    matcher: SkimMatcherV2,
}

impl Query {
    /// Splits `query` into terms.
    pub fn new(query: &str) -> Query {
        Query {
            terms: query
                .split_whitespace()
                .map(|t| (t.to_lowercase(), t.chars().count()))
                .collect(),
            matcher: SkimMatcherV2::default().ignore_case(),
        }
    }

    /// True when the query has no terms.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// True when every term matches some field of `haystack`.
    pub fn matches(&self, haystack: &str) -> bool {
        self.terms.iter().all(|(term, len)| {
            haystack
                .split(FIELD_SEP)
                .any(|field| self.term_matches(field, term, *len))
        })
    }

    fn term_matches(&self, field: &str, term: &str, len: usize) -> bool {
        if field.to_lowercase().contains(term) {
            return true;
        }
        match self.matcher.fuzzy_indices(field, term) {
            Some((_, idx)) => match (idx.first(), idx.last()) {
                (Some(first), Some(last)) => last - first < 2 * len,
                _ => false,
            },
            None => false,
        }
    }
}

/// True when every term of `query` matches `text` (a [`haystack`] or plain text).
pub fn matches_text(text: &str, query: &str) -> bool {
    Query::new(query).matches(text)
}

/// Matches `query` against every alert on the board. `haystacks[g][a]` is [`haystack`] of alert a of
/// group g, computed once per board rather than per keystroke.
pub fn matches(board: &Board, haystacks: &[Vec<String>], query: &str) -> Hits {
    let q = Query::new(query);
    hits(board, |gi, ai, _| q.matches(&haystacks[gi][ai]))
}

/// The alerts on the board whose labels satisfy every matcher.
pub fn matching(board: &Board, matchers: &[Matcher]) -> Hits {
    hits(board, |_, _, alert| {
        matchers.iter().all(|m| m.matches(alert.matched_labels()))
    })
}

fn hits(board: &Board, keep: impl Fn(usize, usize, &Alert) -> bool) -> Hits {
    board
        .groups
        .iter()
        .enumerate()
        .filter_map(|(gi, g)| {
            let alerts: Vec<usize> = g
                .alerts
                .iter()
                .enumerate()
                .filter(|(ai, a)| keep(gi, *ai, a))
                .map(|(ai, _)| ai)
                .collect();
            (!alerts.is_empty()).then_some((gi, alerts))
        })
        .collect()
}

/// [`haystack`] of every alert on the board.
pub fn haystacks(board: &Board) -> Vec<Vec<String>> {
    board
        .groups
        .iter()
        .map(|g| g.alerts.iter().map(haystack).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AlertState, Labels, Origin};

    fn alert(labels: &[(&str, &str)], summary: &str) -> Alert {
        let l: Labels = labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let a: Labels = [("summary".to_string(), summary.to_string())].into();
        Alert::new(
            l,
            a,
            AlertState::Active,
            chrono::Utc::now(),
            &Origin::new("s", "e"),
        )
    }

    #[test]
    fn words_match_within_one_field_and_forgive_typos() {
        let pay = haystack(&alert(
            &[("service", "payments"), ("cluster", "prod-eu")],
            "errors",
        ));
        let watchdog = haystack(&alert(
            &[("alertname", "Watchdog")],
            "Alerting pipeline is alive: always fires",
        ));
        assert!(matches_text(&pay, "pay"));
        assert!(matches_text(&pay, "paymnts"), "a typo still finds it");
        assert!(matches_text(&pay, "eu PAY"), "order and case do not matter");
        assert!(
            !matches_text(&watchdog, "pay"),
            "scattered letters are not a match"
        );
        assert!(!matches_text(&pay, "pay west"), "every term must match");
        assert!(matches_text(&watchdog, "alive"));
    }
}
