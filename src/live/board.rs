//! The board worker: it owns triage and the latest snapshot of every source, and hands
//! the console a finished `Arc<Board>`. Triage of 100k alerts takes tens of
//! milliseconds; on the thread that reads keys it would hold every key pressed while a
//! poll lands.
//!
//! While it builds, updates queue; the next build takes all of them at once, so a
//! burst of polls costs one build (the latest data wins, as in gitui's async jobs).

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::model::silence::resolved_acks;
use crate::model::{Board, LabelSet, SourceStatus};
use crate::sources::{SourceError, SourceSet, SourceUpdate};
use crate::text::time::Style;
use crate::triage::Triage;
use crate::triage::overrides::{self, Override};

/// A board ready to show, and what the console should do about it.
#[derive(Debug, Clone)]
pub struct Built {
    pub board: Arc<Board>,
    /// Every source has answered at least once.
    pub all_answered: bool,
    /// Acks (source, silence id) whose alerts have all resolved: the ack promised to
    /// end with them.
    pub resolved_acks: Vec<(String, String)>,
}

/// What the worker hands the console.
#[derive(Debug, Clone)]
pub enum Published {
    /// A new board.
    Board(Built),
    /// Sources answered with exactly the data they sent last: the board stands, only
    /// when each was last heard from moved (so no one is told fresh data is old).
    Sources(Vec<SourceStatus>),
}

/// What the board is made of: the latest result of each source, triage with its
/// memory (flaps), and the responder's splits and merges.
#[derive(Debug, Clone)]
pub struct BoardInputs {
    sources: SourceSet,
    triage: Triage,
    overrides: Vec<Override>,
    /// How often each source is polled (plus its timeout): longer silence means trouble.
    poll_every: Vec<(String, Duration)>,
    started: DateTime<Utc>,
    /// Sources whose data changed since the last build.
    changed: HashSet<String>,
    /// An input changed since the last build.
    dirty: bool,
    /// A source answered, unchanged, since the last board or statuses published.
    checked: bool,
    /// Where the flap history is kept for one-shot runs, and when it was last kept.
    flaps: Option<(std::path::PathBuf, Option<DateTime<Utc>>)>,
}

/// How often at most the flap history is written while it changes.
const KEEP_FLAPS_EVERY_S: i64 = 30;

impl BoardInputs {
    pub fn new(sources: SourceSet, triage: Triage, started: DateTime<Utc>) -> BoardInputs {
        BoardInputs {
            sources,
            triage,
            overrides: Vec::new(),
            poll_every: Vec::new(),
            started,
            changed: HashSet::new(),
            dirty: true,
            checked: false,
            flaps: None,
        }
    }

    /// Keep the flap history at `path` as it changes (at most every 30 s), so a
    /// one-shot `clops alerts` knows what this console saw.
    pub fn keep_flaps_at(&mut self, path: std::path::PathBuf) {
        self.flaps = Some((path, None));
    }

    /// Watch each source for silence longer than three of its polls.
    pub fn with_poll_every(mut self, poll_every: Vec<(String, Duration)>) -> BoardInputs {
        self.poll_every = poll_every;
        self
    }

    /// Triage with other settings (maintenance windows) from now on.
    pub fn set_triage(&mut self, triage: Triage) {
        // Other settings, same memory of what flapped.
        let flaps = std::mem::take(self.triage.flaps_mut());
        self.triage = triage.with_flaps(flaps);
        self.dirty = true;
    }

    pub fn triage(&self) -> &Triage {
        &self.triage
    }

    pub fn sources(&self) -> &SourceSet {
        &self.sources
    }

    /// Records one poll result; true when what the board shows changed.
    pub fn apply(&mut self, update: SourceUpdate) -> bool {
        let source = update.source.clone();
        let answered = update.result.is_ok();
        let changed = self.sources.apply(update);
        if changed {
            self.changed.insert(source);
            self.dirty = true;
        } else if answered {
            self.checked = true;
        }
        changed
    }

    /// Every source's status, when sources answered unchanged since the last board
    /// (their data is as fresh as that answer) and no board is due.
    pub fn take_checked(&mut self) -> Option<Vec<SourceStatus>> {
        (std::mem::take(&mut self.checked) && !self.dirty).then(|| self.sources.statuses())
    }

    /// A split or merge the responder made, kept for the session.
    pub fn regroup(&mut self, o: Override) {
        self.overrides.push(o);
        self.dirty = true;
    }

    /// Something changed since the last build.
    pub fn dirty(&self) -> bool {
        self.dirty
    }

    /// Sources that stopped answering (a poller died, or a request hangs past its
    /// timeout) are marked down, so old data never looks fresh.
    pub fn silent(&self, now: DateTime<Utc>) -> Vec<SourceUpdate> {
        self.poll_every
            .iter()
            .filter_map(|(name, every)| {
                let entry = self.sources.entries().iter().find(|e| &e.name == name)?;
                // A failing source backs off on purpose and already says why; one
                // finding its token is held to its token_timeout instead.
                if entry.last_error.is_some() || entry.authenticating {
                    return None;
                }
                let last = entry.last_attempt.unwrap_or(self.started);
                let limit =
                    chrono::Duration::from_std(*every * 3).ok()? + chrono::Duration::seconds(10);
                (now - last > limit).then(|| SourceUpdate {
                    source: name.clone(),
                    at: now,
                    result: Err(SourceError::Other(format!(
                        "no answer for {} (see clops.log)",
                        Style::Age.format(now - last)
                    ))),
                })
            })
            .collect()
    }

    /// Triage over the latest data, with the responder's splits and merges applied.
    pub fn build(&mut self, now: DateTime<Utc>) -> Built {
        let mut board = self.triage.board(self.sources.latest(), now);
        if let Some((path, kept)) = &mut self.flaps
            && kept.is_none_or(|k| now - k >= chrono::Duration::seconds(KEEP_FLAPS_EVERY_S))
            && self.triage.flaps_mut().take_changed()
        {
            if let Err(e) = super::flaps::save(path, self.triage.flaps()) {
                tracing::warn!(error = %e, "flap history not kept");
            }
            *kept = Some(now);
        }
        if !self.overrides.is_empty() {
            board.groups = overrides::apply(
                std::mem::take(&mut board.groups),
                &self.overrides,
                &self.triage.config().service_label,
            );
            board.stats.groups = board.groups.len();
            // Splits and merges change what a group holds, and so what it suspects.
            crate::triage::correlate::attach_suspects(&mut board, self.triage.deploy_window());
        }
        let resolved_acks = self.resolved_acks();
        self.dirty = false;
        self.checked = false;
        let entries = self.sources.entries();
        Built {
            board: Arc::new(board),
            all_answered: !entries.is_empty() && entries.iter().all(|e| e.last_attempt.is_some()),
            resolved_acks,
        }
    }

    /// Acks in the sources that changed whose alert has resolved.
    fn resolved_acks(&mut self) -> Vec<(String, String)> {
        let changed = std::mem::take(&mut self.changed);
        self.sources
            .entries()
            .iter()
            .filter(|e| changed.contains(&e.name))
            .filter_map(|e| e.last_good.as_ref())
            .flat_map(|snapshot| {
                let firing: Vec<&LabelSet> =
                    snapshot.alerts.iter().map(|a| a.matched_labels()).collect();
                resolved_acks(&snapshot.silences, &firing)
                    .into_iter()
                    .map(|s| (s.source.clone(), s.id.clone()))
                    .collect::<Vec<_>>()
            })
            .collect()
    }
}

/// Work for the board worker.
pub enum Input {
    Source(SourceUpdate),
    Regroup(Override),
    /// A board the console no longer shows: freed here, not on the thread that draws.
    Retire(Arc<Board>),
}

/// The console's handle on the board worker; the worker stops when every handle is
/// dropped.
#[derive(Debug, Clone)]
pub struct BoardWorker {
    inputs: Sender<Input>,
}

impl BoardWorker {
    /// Sends one input; false once the worker has stopped.
    pub fn send(&self, input: Input) -> bool {
        self.inputs.send(input).is_ok()
    }
}

/// Starts the worker on its own thread. `publish` gets every board built and returns
/// false when nobody listens any more, which stops the worker.
pub fn spawn(
    inputs: BoardInputs,
    publish: impl FnMut(Published) -> bool + Send + 'static,
) -> BoardWorker {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("clops-board".into())
        .spawn(move || {
            crate::process::lower_this_thread();
            work(inputs, rx, publish)
        })
        .expect("cannot start the board worker thread");
    BoardWorker { inputs: tx }
}

/// How often the worker looks for sources that went silent.
const WATCH_EVERY: Duration = Duration::from_secs(1);

fn work(mut inputs: BoardInputs, rx: Receiver<Input>, mut publish: impl FnMut(Published) -> bool) {
    loop {
        let first = match rx.recv_timeout(WATCH_EVERY) {
            Ok(input) => Some(input),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => return,
        };
        // Everything that queued while the last board was built goes into this one.
        for input in first.into_iter().chain(rx.try_iter()) {
            match input {
                Input::Source(update) => {
                    inputs.apply(update);
                }
                Input::Regroup(o) => inputs.regroup(o),
                Input::Retire(board) => drop(board),
            }
        }
        let now = Utc::now();
        for update in inputs.silent(now) {
            inputs.apply(update);
        }
        let published = if inputs.dirty() {
            Some(Published::Board(inputs.build(now)))
        } else {
            inputs.take_checked().map(Published::Sources)
        };
        if let Some(p) = published
            && !publish(p)
        {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::TriageConfig;
    use crate::model::{Alert, Labels};
    use crate::sources::Snapshot;

    fn alert(name: &str, service: &str) -> Alert {
        let mut labels = Labels::new();
        labels.insert("alertname".into(), name.into());
        labels.insert("service".into(), service.into());
        labels.insert("severity".into(), "critical".into());
        let origin = crate::model::Origin::new("am", "am-0");
        Alert::new(
            labels,
            Labels::new(),
            crate::model::AlertState::Active,
            Utc::now(),
            &origin,
        )
    }

    fn update(alerts: Vec<Alert>) -> SourceUpdate {
        SourceUpdate {
            source: "am".into(),
            at: Utc::now(),
            result: Ok(Snapshot {
                taken_at: Utc::now(),
                alerts: Arc::new(alerts),
                ..Snapshot::default()
            }),
        }
    }

    /// Sends on the boards, passing over statuses.
    fn boards_only(tx: &std::sync::mpsc::Sender<Built>, p: Published) -> bool {
        match p {
            Published::Board(b) => tx.send(b).is_ok(),
            Published::Sources(_) => true,
        }
    }

    fn inputs() -> BoardInputs {
        BoardInputs::new(
            SourceSet::new([("am", "alertmanager")]),
            Triage::new(TriageConfig::default(), &[]).unwrap(),
            Utc::now(),
        )
    }

    #[test]
    fn a_burst_of_updates_is_one_board_of_the_latest() {
        let (tx, rx) = std::sync::mpsc::channel();
        let worker = spawn(inputs(), move |p| boards_only(&tx, p));
        // Queued before the worker can build: it takes them all, and the last wins.
        for n in 1..=20 {
            let alerts = (0..n).map(|i| alert("Down", &format!("svc-{i}"))).collect();
            assert!(worker.send(Input::Source(update(alerts))));
        }
        let mut last = None;
        while let Ok(built) = rx.recv_timeout(Duration::from_secs(5)) {
            let n = built.board.alert_count();
            last = Some(n);
            if n == 20 {
                break;
            }
        }
        assert_eq!(last, Some(20), "the board shows the latest update");
        // Nothing changed since: no more boards.
        assert!(rx.recv_timeout(Duration::from_millis(1500)).is_err());
    }

    #[test]
    fn an_unchanged_poll_builds_nothing() {
        let mut inputs = inputs();
        let alerts = vec![alert("Down", "cart")];
        assert!(inputs.apply(update(alerts.clone())));
        inputs.build(Utc::now());
        assert!(!inputs.dirty());
        let later = Utc::now() + chrono::Duration::seconds(15);
        let mut again = update(alerts);
        if let Ok(snapshot) = &mut again.result {
            snapshot.taken_at = later;
        }
        inputs.apply(again);
        assert!(!inputs.dirty(), "the same alerts again change nothing");
        let statuses = inputs.take_checked().expect("an answer is news of its own");
        assert_eq!(
            statuses[0].data_at,
            Some(later),
            "the data is as fresh as the answer that repeated it"
        );
        assert!(inputs.take_checked().is_none(), "told once");
    }

    #[test]
    fn splits_travel_to_the_worker() {
        let (tx, rx) = std::sync::mpsc::channel();
        let worker = spawn(inputs(), move |p| boards_only(&tx, p));
        let alerts = vec![alert("Down", "cart"), alert("Down", "checkout")];
        let fps = alerts.iter().map(|a| a.fingerprint).collect();
        worker.send(Input::Source(update(alerts)));
        rx.recv_timeout(Duration::from_secs(5)).unwrap();
        worker.send(Input::Regroup(Override::Split(fps)));
        let after = rx.recv_timeout(Duration::from_secs(5)).unwrap();
        assert_eq!(after.board.groups.len(), 2, "one group per service");
    }
}
