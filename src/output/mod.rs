//! The JSON contracts of DESIGN.md ("Contracts"), one typed `Serialize` struct each,
//! and the one way they are written.
//!
//! Each contract borrows from the board or the model types it reports and is
//! serialized straight to the output: no JSON value tree is built in between, and
//! long lists (alerts, events) are serialized item by item rather than collected
//! first. Field names and order are the contract: scripts read them.

pub mod alerts;
pub mod deploys;
pub mod deps;
pub mod incident;
pub mod runbooks;
pub mod silences;
pub mod slo;

use std::io::{self, BufWriter, Write};

use chrono::{DateTime, Utc};
use serde::{Serialize, Serializer};

use crate::text::time::Timestamp;

pub use alerts::AlertsJson;
pub use deploys::DeploysJson;
pub use deps::DepsJson;
pub use incident::{IncidentList, Summary, Timeline};
pub use runbooks::{RunbookLine, RunbookList};
pub use silences::{CreatedSilence, DryRun, SilenceList};
pub use slo::SloJson;

/// How much output is gathered before each write to stdout. Stdout is line-buffered:
/// written through it directly, pretty JSON costs a system call a line (290k at 10k
/// alerts). Bounded, so a large answer is not held twice in memory.
const BUFFER: usize = 256 * 1024;

/// Prints `contract` to stdout as pretty JSON and a newline, in large writes. A reader
/// that goes away (`| head`) ends it with a `BrokenPipe` error, which `main` keeps quiet.
pub fn print_json(contract: &impl Serialize) -> io::Result<()> {
    let mut out = BufWriter::with_capacity(BUFFER, io::stdout().lock());
    write_json(&mut out, contract)?;
    out.flush()
}

/// Writes `contract` to `out` as pretty JSON and a newline.
pub fn write_json(out: &mut impl Write, contract: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, contract)?;
    out.write_all(b"\n")
}

/// `contract` as pretty JSON text and a newline, for output that is scrubbed of
/// secrets or written to a file whole.
pub fn json_text(contract: &impl Serialize) -> io::Result<String> {
    let mut text = serde_json::to_string_pretty(contract)?;
    text.push('\n');
    Ok(text)
}

/// A moment as every contract writes it: RFC 3339 in UTC with a `Z`, to the
/// millisecond when there are any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp(pub DateTime<Utc>);

impl Serialize for Stamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&Timestamp::Rfc3339.format(self.0))
    }
}

/// Items of a list serialized one by one through `view`, never collected: a list of
/// 100k alerts is written without a second list of 100k views beside it.
pub struct ListOf<'a, T, V>(pub &'a [T], pub fn(&'a T) -> V);

impl<'a, T, V: Serialize> Serialize for ListOf<'a, T, V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(self.1))
    }
}

/// Name → value pairs of outside text, each cleaned to one line. Where two names clean
/// to the same one, the later value is kept at the earlier place, as a JSON object
/// can hold each name only once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CleanPairs(Vec<(String, String)>);

impl<K: AsRef<str>, V: AsRef<str>> FromIterator<(K, V)> for CleanPairs {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(pairs: I) -> Self {
        use crate::text::clean_line;
        let mut kept: Vec<(String, String)> = Vec::new();
        for (k, v) in pairs {
            let (k, v) = (clean_line(k.as_ref()), clean_line(v.as_ref()));
            match kept.iter_mut().find(|(name, _)| *name == k) {
                Some(pair) => pair.1 = v,
                None => kept.push((k, v)),
            }
        }
        CleanPairs(kept)
    }
}

impl Serialize for CleanPairs {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}
