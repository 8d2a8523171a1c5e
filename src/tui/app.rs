//! Console state and the one `update` that changes it. No I/O here: whatever needs the
//! outside world is returned as an [`Effect`] for the event loop to carry out.

use std::collections::HashSet;

use chrono::{DateTime, FixedOffset, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use std::sync::Arc;

use crate::config::TriageConfig;
use crate::live::board::{BoardInputs, BoardWorker, Built, Input, Published};
use crate::model::{Board, Health, NewSilence, SourceStatus};
use crate::sources::{SourceSet, SourceUpdate};
use crate::text::plural;
use crate::triage::Triage;
use crate::triage::overrides::Override;
use crate::triage::search::{self as filter, AlertFilter};

use super::actions::{self, Confirm, SilenceForm, describe_alert};
use super::incidents::{self, Choice, Feed, Incidents, Prompt, Recorded, WriteError};
use super::keymap::{Action, Keymap, Mode as KeyMode};
use super::layout::Areas;
use super::palette::{self, Invocation};
use super::runbooks;
use super::slos;

/// Something that happened: a key, a resize, time passing, a source reporting.
#[derive(Debug, Clone)]
pub enum Event {
    Key(KeyEvent),
    Resize(u16, u16),
    Tick(DateTime<Utc>),
    /// A poll result, for a console that builds its own board ([`Boards::Here`]).
    Source(SourceUpdate),
    /// A board the worker finished.
    Board(Built),
    /// Sources answered unchanged: only when each was last heard from moved.
    Sources(Vec<SourceStatus>),
    /// A change the user confirmed has been carried out (or failed).
    ActionDone {
        text: String,
        ok: bool,
    },
    /// The incident store's latest list and followed timeline.
    Incidents(Feed),
    /// The store carried out (or refused) a write.
    Recorded(Result<Recorded, WriteError>),
    /// A runbook step's output or end, or a fetched runbook.
    Step(runbooks::StepEvent),
    /// The SLO poller's latest round, or why there are no SLOs to measure.
    Slos(slos::SloFeed),
}

impl From<Published> for Event {
    fn from(p: Published) -> Event {
        match p {
            Published::Board(b) => Event::Board(b),
            Published::Sources(s) => Event::Sources(s),
        }
    }
}

impl From<crate::live::incidents::StoreEvent> for Event {
    fn from(e: crate::live::incidents::StoreEvent) -> Event {
        use crate::live::incidents::StoreEvent;
        match e {
            StoreEvent::Recorded(result) => Event::Recorded(result),
            StoreEvent::Feed(feed) => Event::Incidents(feed),
        }
    }
}

impl From<crate::live::actions::ActionDone> for Event {
    fn from(done: crate::live::actions::ActionDone) -> Event {
        Event::ActionDone {
            text: done.text,
            ok: done.ok,
        }
    }
}

impl From<runbooks::StepEvent> for Event {
    fn from(e: runbooks::StepEvent) -> Event {
        Event::Step(e)
    }
}

impl From<slos::SloFeed> for Event {
    fn from(feed: slos::SloFeed) -> Event {
        Event::Slos(feed)
    }
}

/// Work for the event loop, which owns the terminal and the pollers.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Quit,
    /// Poll every source now.
    Refresh,
    /// Hand the terminal back to the shell until `fg`.
    Suspend,
    SetTheme(String),
    /// Create each silence in its source (by name).
    CreateSilences(Vec<(String, NewSilence)>),
    /// Expire each silence (source name, id).
    ExpireSilences(Vec<(String, String)>),
    /// Record a new incident; it becomes the active one.
    Declare(crate::incident::Declaration),
    /// Append to an incident's timeline.
    Record(String, crate::model::incident::Change),
    /// Follow this incident's timeline live.
    Follow(String),
    /// Run a runbook step the responder confirmed.
    RunStep(runbooks::StepJob),
    /// Stop the running step and everything it started.
    CancelStep,
    /// Record a runbook step done by hand: in the incident if one is given, else in
    /// the run log.
    RecordStep(Option<String>, crate::model::incident::Change),
    /// Fetch a Markdown `runbook_url`.
    FetchRunbook(String),
    /// Put text on the terminal's clipboard (OSC 52).
    Copy(String),
}

/// One line of the alerts pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    Group(usize),
    /// (group index, alert index within the group)
    Alert(usize, usize),
}

/// A group id and, for alert rows, the alert's fingerprint.
type RowKey = (String, Option<crate::model::Fingerprint>);

/// The selected row by identity, taken before a new board replaces the old one.
#[derive(Debug, Clone)]
struct Anchor {
    key: RowKey,
    /// Some of the group's alerts, to follow a group whose id changed as it grew.
    members: Vec<crate::model::Fingerprint>,
    /// What it was, in words, for when it is gone.
    what: String,
}

/// How many of a group's alerts an anchor keeps to find the group again.
const ANCHOR_MEMBERS: usize = 32;

/// Which pane keys move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    List,
    Detail,
}

/// What the keyboard is talking to.
#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    Browse,
    /// Typing into the `/` filter.
    Filter,
    Palette {
        input: String,
        selected: usize,
    },
    Help {
        scroll: u16,
    },
    Sources,
    /// Writing a silence.
    Silence(SilenceForm),
    /// A change waiting for `y`.
    Confirm(Confirm),
    /// Typing a title, a note or a role.
    Prompt(Prompt),
    /// Picking a status or severity by digit.
    Choose(Choice),
    /// The incident list.
    Incidents {
        selected: usize,
    },
    /// Picking a runbook for the selected alert or group.
    Runbooks {
        input: String,
        selected: usize,
    },
    /// Walking through the open runbook's steps.
    Runbook,
    /// The dependency map.
    Map(super::map::MapView),
    /// Deploys and alert onsets per service.
    Deploys(super::deploys::DeploysView),
    /// SLOs, their burn and budget.
    Slos(slos::SloView),
}

/// A one-line message in the footer until the next key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub is_error: bool,
}

/// Who builds the board.
#[derive(Debug, Clone)]
pub enum Boards {
    /// The console builds it as updates arrive (tests, benches, one-shot use).
    Here(Box<BoardInputs>),
    /// The board worker builds it on its own thread; the console only shows it.
    Worker(BoardWorker),
}

/// Everything the console shows and remembers.
#[derive(Debug, Clone)]
pub struct State {
    pub title: String,
    /// Triage's settings, for what the console derives from alerts (service label).
    pub triage: TriageConfig,
    /// Where boards come from.
    pub boards: Boards,
    pub board: Arc<Board>,
    /// The rows of the alerts pane after filtering and expansion.
    pub rows: Vec<Row>,
    pub now: DateTime<Utc>,
    /// The local time zone, for the second clock.
    pub local: FixedOffset,
    pub width: u16,
    pub height: u16,
    pub keymap: Keymap,
    pub themes: Vec<String>,
    pub cursor: usize,
    /// First row shown in the alerts pane.
    pub offset: usize,
    /// The cursor holds its row by identity from now on: the user pressed a key, or
    /// every source has answered once. Before that it stays on the most urgent row.
    pinned: bool,
    /// The selected alert or group left the board (resolved, or now elsewhere): what
    /// it was. Nothing is selected until the user moves, so no action key falls on a
    /// neighbour.
    pub lost: Option<String>,
    pub expanded: HashSet<String>,
    pub focus: Focus,
    pub detail_scroll: u16,
    pub filter: String,
    /// The filter text read as matchers or words, or why it is neither.
    filter_parsed: Option<Result<AlertFilter, crate::model::MatcherError>>,
    /// Filter results; None when no filter is set.
    pub hits: Option<filter::Hits>,
    haystacks: Option<Vec<Vec<String>>>,
    pub mode: Mode,
    pub message: Option<Message>,
    pub read_only: bool,
    /// `user@host`, recorded on silences and acks.
    pub author: String,
    /// Names of the sources that can silence.
    pub silencing: HashSet<String>,
    /// Default length of a silence from the form.
    pub silence_duration: std::time::Duration,
    /// Longest life of an ack.
    pub ack_cap: std::time::Duration,
    /// When the console started.
    pub started: DateTime<Utc>,
    /// Groups marked for merging (ids).
    pub marked: HashSet<String>,
    /// Silences (source, id) clops has asked to expire, so it asks once.
    pub expiring: HashSet<(String, String)>,
    /// The incident store as last read, and the active incident.
    pub incidents: Incidents,
    /// The runbook library and the runbook being walked through.
    pub runbooks: runbooks::Runbooks,
    /// The SLOs as last measured, least budget first.
    pub slos: slos::Slos,
    /// Something visible changed since the last frame.
    pub dirty: bool,
}

impl State {
    /// What the palette completes theme and runbook names from.
    pub fn palette_names(&self) -> palette::Names<'_> {
        palette::Names {
            themes: &self.themes,
            runbooks: self
                .runbooks
                .library
                .runbooks
                .iter()
                .map(|r| r.name.as_str())
                .collect(),
        }
    }

    /// A console expecting the given sources, before any of them answered.
    pub fn new(
        title: &str,
        sources: SourceSet,
        triage: Triage,
        keymap: Keymap,
        now: DateTime<Utc>,
        local: FixedOffset,
        (width, height): (u16, u16),
    ) -> State {
        let config = triage.config().clone();
        let mut inputs = BoardInputs::new(sources, triage, now);
        let board = inputs.build(now).board;
        let mut state = State {
            title: title.to_string(),
            triage: config,
            boards: Boards::Here(Box::new(inputs)),
            board,
            rows: Vec::new(),
            now,
            local,
            width,
            height,
            keymap,
            themes: super::theme::BUILTIN_NAMES
                .iter()
                .map(|s| s.to_string())
                .collect(),
            cursor: 0,
            offset: 0,
            pinned: false,
            lost: None,
            expanded: HashSet::new(),
            focus: Focus::List,
            detail_scroll: 0,
            filter: String::new(),
            filter_parsed: None,
            hits: None,
            haystacks: None,
            mode: Mode::Browse,
            message: None,
            read_only: false,
            author: "clops@localhost".into(),
            silencing: HashSet::new(),
            silence_duration: std::time::Duration::from_secs(2 * 3600),
            ack_cap: std::time::Duration::from_secs(12 * 3600),
            expiring: HashSet::new(),
            marked: HashSet::new(),
            started: now,
            incidents: Incidents {
                roles: crate::config::IncidentConfig::default().roles,
                ..Incidents::default()
            },
            runbooks: runbooks::Runbooks::default(),
            slos: slos::Slos::default(),
            dirty: true,
        };
        state.rebuild_rows();
        state
    }

    /// The alerts pane geometry for the current size.
    pub fn areas(&self) -> Areas {
        Areas::new(ratatui::layout::Rect::new(0, 0, self.width, self.height))
    }

    /// The row under the cursor; none while the selection is [`State::lost`].
    pub fn selected(&self) -> Option<Row> {
        if self.lost.is_some() {
            return None;
        }
        self.rows.get(self.cursor).copied()
    }

    /// How many alerts of group `g` pass the filter.
    pub fn visible_in_group(&self, g: usize) -> usize {
        match &self.hits {
            // Hits are in group order, so a binary search finds the group.
            Some(hits) => hits
                .binary_search_by_key(&g, |(gi, _)| *gi)
                .map(|i| hits[i].1.len())
                .unwrap_or(0),
            None => self.board.groups[g].alerts.len(),
        }
    }

    /// How many alerts pass the filter.
    pub fn visible_alert_count(&self) -> usize {
        match &self.hits {
            Some(hits) => hits.iter().map(|(_, a)| a.len()).sum(),
            None => self.board.alert_count(),
        }
    }

    /// Rebuilds the row list after the filter or expansion changed, keeping the cursor
    /// on the same group or alert.
    fn rebuild_rows(&mut self) {
        let anchor = self.selected().map(|r| self.row_key(r));
        self.rebuild_rows_at(anchor);
    }

    /// What a console that builds its own board builds it from.
    pub fn board_inputs(&mut self) -> Option<&mut BoardInputs> {
        match &mut self.boards {
            Boards::Here(inputs) => Some(inputs),
            Boards::Worker(_) => None,
        }
    }

    /// Hands the board over to a worker from now on.
    pub fn move_board_to(&mut self, spawn: impl FnOnce(BoardInputs) -> BoardWorker) {
        if let Boards::Here(inputs) = &mut self.boards {
            let inputs = std::mem::replace(
                inputs.as_mut(),
                BoardInputs::new(SourceSet::default(), Triage::default(), self.now),
            );
            self.boards = Boards::Worker(spawn(inputs));
        }
    }

    /// A split or merge, for the rest of the session: the board is built again with it.
    fn regroup(&mut self, o: Override) {
        match &mut self.boards {
            Boards::Here(inputs) => {
                inputs.regroup(o);
                let built = inputs.build(self.now);
                self.replace_board(built.board, built.all_answered);
            }
            Boards::Worker(worker) => {
                worker.send(Input::Regroup(o));
            }
        }
    }

    /// Shows a new board, keeping the cursor on the same group or alert by identity
    /// (rows index the old board, so the anchor is taken first) — or on the top row
    /// while the console is still filling up. A selected alert or group that left the
    /// board is reported, and nothing is selected until the user moves.
    fn replace_board(&mut self, board: Arc<Board>, all_answered: bool) {
        let anchor = if self.pinned { self.anchor() } else { None };
        let renamed = self.renamed_expansions(&board);
        let old = std::mem::replace(&mut self.board, board);
        // Freeing 100k alerts takes tens of milliseconds: not on the thread that draws.
        match &self.boards {
            Boards::Worker(worker) => {
                worker.send(Input::Retire(old));
            }
            Boards::Here(_) if old.alert_count() > 10_000 => {
                std::thread::spawn(move || drop(old));
            }
            Boards::Here(_) => {}
        }
        self.expanded.extend(renamed);
        self.haystacks = None;
        if self.hits.is_some() {
            self.hits = Some(self.hits_of_filter());
        }
        match anchor {
            Some(anchor) => self.follow(anchor),
            None => self.rebuild_rows_at(None),
        }
        // Once the board holds every source, what the responder sees is theirs.
        self.pinned |= all_answered;
    }

    /// The selected row's identity, with enough of its group to find it again.
    fn anchor(&self) -> Option<Anchor> {
        let row = self.selected()?;
        let (g, alert) = match row {
            Row::Group(g) => (g, None),
            Row::Alert(g, a) => (g, Some(&self.board.groups[g].alerts[a])),
        };
        let group = &self.board.groups[g];
        let service_label = &self.triage.service_label;
        let what = match alert {
            Some(a) => describe_alert(a, service_label),
            None => format!("the group “{}”", group.title),
        };
        Some(Anchor {
            key: self.row_key(row),
            members: group
                .alerts
                .iter()
                .take(ANCHOR_MEMBERS)
                .map(|a| a.fingerprint)
                .collect(),
            what,
        })
    }

    /// Expanded groups whose id changed on the new board (a group's id follows what
    /// joins its alerts, so it changes as the group grows): the new ids, so they stay
    /// open.
    fn renamed_expansions(&self, new: &Board) -> Vec<String> {
        // Most polls find nothing open: no set of every new id for them.
        if self.expanded.is_empty() {
            return Vec::new();
        }
        let new_ids: HashSet<&str> = new.groups.iter().map(|g| g.id.as_str()).collect();
        let wanted: HashSet<crate::model::Fingerprint> = self
            .board
            .groups
            .iter()
            .filter(|g| self.expanded.contains(&g.id) && !new_ids.contains(g.id.as_str()))
            .flat_map(|g| g.alerts.iter().take(ANCHOR_MEMBERS).map(|a| a.fingerprint))
            .collect();
        if wanted.is_empty() {
            return Vec::new();
        }
        new.groups
            .iter()
            .filter(|g| g.alerts.iter().any(|a| wanted.contains(&a.fingerprint)))
            .map(|g| g.id.clone())
            .collect()
    }

    /// Puts the cursor back on `anchor`'s alert or group on the new board, wherever it
    /// went; when it is gone, says so and selects nothing.
    fn follow(&mut self, anchor: Anchor) {
        let (group_id, fingerprint) = anchor.key.clone();
        // Where the alert, or the group's first alert still present, is now.
        let home = |board: &Board| -> Option<(usize, Option<usize>)> {
            if let Some(g) = board.groups.iter().position(|g| g.id == group_id) {
                let a = fingerprint.and_then(|fp| {
                    board.groups[g]
                        .alerts
                        .iter()
                        .position(|a| a.fingerprint == fp)
                });
                if fingerprint.is_none() || a.is_some() {
                    return Some((g, a));
                }
            }
            board
                .groups
                .iter()
                .enumerate()
                .find_map(|(g, group)| match fingerprint {
                    Some(fp) => group
                        .alerts
                        .iter()
                        .position(|a| a.fingerprint == fp)
                        .map(|a| (g, Some(a))),
                    None => group
                        .alerts
                        .iter()
                        .any(|a| anchor.members.contains(&a.fingerprint))
                        .then_some((g, None)),
                })
        };
        let Some((g, a)) = home(&self.board) else {
            self.rebuild_rows_at(None);
            let gone = if fingerprint.is_some() {
                "resolved"
            } else {
                "is gone: its alerts resolved"
            };
            return self.lose(format!("{} {gone}", anchor.what));
        };
        let id = self.board.groups[g].id.clone();
        if a.is_some() {
            // The alert was on screen, so its group was open; keep it open.
            self.expanded.insert(id.clone());
        }
        let key = (
            id.clone(),
            a.map(|a| self.board.groups[g].alerts[a].fingerprint),
        );
        self.rebuild_rows_at(None);
        match self.rows.iter().position(|r| self.row_key(*r) == key) {
            Some(i) => {
                self.cursor = i;
                self.scroll_to_cursor();
                if id != group_id && a.is_none() {
                    let group = &self.board.groups[g];
                    self.info(format!(
                        "the selected group changed as alerts came: now “{}” ({})",
                        group.title,
                        plural(group.alerts.len(), "alert")
                    ));
                }
            }
            None => self.lose(format!("{} no longer passes the filter", anchor.what)),
        }
    }

    /// The selection is gone: nothing is selected, and the footer says what it was.
    fn lose(&mut self, what: String) {
        let hint = self.keymap.keys_text(Action::Down);
        self.error(format!(
            "{what}; nothing is selected now ({hint} picks a row)"
        ));
        self.lost = Some(what);
        self.dirty = true;
    }

    /// Hits of the current filter on the board.
    fn hits_of_filter(&mut self) -> filter::Hits {
        match &self.filter_parsed {
            Some(Ok(AlertFilter::Matchers(ms))) => filter::matching(&self.board, ms),
            Some(Ok(AlertFilter::Words(w))) => {
                let haystacks = self
                    .haystacks
                    .get_or_insert_with(|| filter::haystacks(&self.board));
                filter::matches(&self.board, haystacks, w)
            }
            // Text that does not parse shows nothing rather than a guess.
            Some(Err(_)) | None => Vec::new(),
        }
    }

    fn rebuild_rows_at(&mut self, anchor: Option<RowKey>) {
        let groups: Vec<(usize, Vec<usize>)> = match &self.hits {
            Some(hits) => hits.clone(),
            None => self
                .board
                .groups
                .iter()
                .enumerate()
                .map(|(i, g)| (i, (0..g.alerts.len()).collect()))
                .collect(),
        };
        let mut rows = Vec::with_capacity(groups.len());
        for (g, alerts) in groups {
            rows.push(Row::Group(g));
            if self.expanded.contains(&self.board.groups[g].id) {
                rows.extend(alerts.into_iter().map(|a| Row::Alert(g, a)));
            }
        }
        self.rows = rows;
        if let Some((group_id, fingerprint)) = anchor {
            let found = self
                .rows
                .iter()
                .position(|r| self.row_key(*r) == (group_id.clone(), fingerprint))
                .or_else(|| {
                    self.rows.iter().position(
                        |r| matches!(r, Row::Group(g) if self.board.groups[*g].id == group_id),
                    )
                });
            if let Some(i) = found {
                self.cursor = i;
            }
        }
        self.cursor = self.cursor.min(self.rows.len().saturating_sub(1));
        self.scroll_to_cursor();
        self.dirty = true;
    }

    /// (group id, alert fingerprint) identifying a row across rebuilds.
    fn row_key(&self, row: Row) -> RowKey {
        match row {
            Row::Group(g) => (self.board.groups[g].id.clone(), None),
            Row::Alert(g, a) => {
                let group = &self.board.groups[g];
                (group.id.clone(), Some(group.alerts[a].fingerprint))
            }
        }
    }

    fn list_height(&self) -> usize {
        usize::from(self.areas().list_rows())
    }

    fn scroll_to_cursor(&mut self) {
        let h = self.list_height().max(1);
        if self.cursor < self.offset {
            self.offset = self.cursor;
        } else if self.cursor >= self.offset + h {
            self.offset = self.cursor + 1 - h;
        }
        let max_offset = self.rows.len().saturating_sub(h);
        self.offset = self.offset.min(max_offset);
    }

    fn move_cursor(&mut self, to: usize) {
        let to = to.min(self.rows.len().saturating_sub(1));
        self.pinned = true;
        // Moving picks a row again after the selected one left.
        if self.lost.take().is_some() || to != self.cursor {
            self.cursor = to;
            self.detail_scroll = 0;
        }
        self.scroll_to_cursor();
        self.dirty = true;
    }

    fn set_filter(&mut self, text: String) {
        self.filter = text;
        if self.filter.trim().is_empty() {
            self.filter_parsed = None;
            self.hits = None;
        } else {
            self.filter_parsed = Some(AlertFilter::parse(&self.filter));
            self.hits = Some(self.hits_of_filter());
        }
        self.rebuild_rows();
    }

    /// Why the filter text is not valid matchers, if it is not.
    pub fn filter_error(&self) -> Option<&crate::model::MatcherError> {
        self.filter_parsed.as_ref().and_then(|p| p.as_ref().err())
    }

    /// The words the filter searches for, to highlight them; none for matchers.
    pub fn filter_words(&self) -> Option<&str> {
        match &self.filter_parsed {
            Some(Ok(f)) => f.words(),
            _ => None,
        }
    }

    /// Shows `text` in the footer until the next key.
    pub fn info(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            is_error: false,
        });
    }

    /// Shows `text` as an error in the footer until the next key.
    pub fn error(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            is_error: true,
        });
    }
}

/// Applies one event. Sets `state.dirty` when the screen must be redrawn.
pub fn update(state: &mut State, event: Event) -> Vec<Effect> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => on_key(state, key),
        Event::Key(_) => Vec::new(),
        Event::Resize(w, h) => {
            state.width = w;
            state.height = h;
            state.scroll_to_cursor();
            state.dirty = true;
            Vec::new()
        }
        Event::Tick(now) => {
            // The screen shows minutes: redraw only when one has passed.
            if now.timestamp().div_euclid(60) != state.now.timestamp().div_euclid(60) {
                state.dirty = true;
            }
            state.now = now;
            // A poller that stopped answering must not leave old data looking fresh
            // (the worker watches on its own).
            let silent = match &state.boards {
                Boards::Here(inputs) => inputs.silent(now),
                Boards::Worker(_) => Vec::new(),
            };
            let mut effects = Vec::new();
            for update in silent {
                effects.extend(self::update(state, Event::Source(update)));
            }
            effects
        }
        Event::Source(update) => match &mut state.boards {
            Boards::Here(inputs) => {
                if !inputs.apply(update) {
                    return match inputs.take_checked() {
                        Some(statuses) => self::update(state, Event::Sources(statuses)),
                        None => Vec::new(),
                    };
                }
                let built = inputs.build(state.now);
                self::update(state, Event::Board(built))
            }
            Boards::Worker(worker) => {
                worker.send(Input::Source(update));
                Vec::new()
            }
        },
        Event::Board(built) => {
            state.replace_board(built.board, built.all_answered);
            actions::expire_resolved_acks(state, built.resolved_acks)
        }
        Event::Sources(statuses) => {
            // Only the sources list shows how fresh healthy data is; an idle console
            // elsewhere draws nothing for this.
            fn shown(s: &SourceStatus) -> (Health, Option<&str>) {
                (s.status, s.error.as_deref())
            }
            state.dirty |= matches!(state.mode, Mode::Sources)
                || !state
                    .board
                    .sources
                    .iter()
                    .map(shown)
                    .eq(statuses.iter().map(shown));
            // The console holds the only reference to the board it shows, so this
            // changes it in place rather than copying it.
            Arc::make_mut(&mut state.board).sources = statuses;
            Vec::new()
        }
        Event::ActionDone { text, ok } => {
            if ok {
                state.info(text);
                vec![Effect::Refresh]
            } else {
                state.error(text);
                Vec::new()
            }
        }
        Event::Incidents(feed) => {
            incidents::on_feed(state, feed);
            Vec::new()
        }
        Event::Recorded(result) => {
            state.dirty = true;
            incidents::on_recorded(state, result)
        }
        Event::Step(event) => runbooks::on_step_event(state, event),
        Event::Slos(feed) => {
            state.slos.apply(feed);
            state.dirty = true;
            Vec::new()
        }
    }
}

fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let had_message = state.message.take().is_some();
    state.dirty |= had_message;
    // ctrl-c quits from every mode that does not read it itself, whatever is bound.
    let ctrl_c = key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL);
    match state.mode.clone() {
        Mode::Filter => {
            if ctrl_c {
                return vec![Effect::Quit];
            }
            on_filter_key(state, key);
            Vec::new()
        }
        Mode::Palette { input, selected } => {
            if ctrl_c {
                return vec![Effect::Quit];
            }
            on_palette_key(state, key, input, selected)
        }
        Mode::Help { scroll } => match state.keymap.action_in(KeyMode::Help, &key) {
            Some(Action::Quit) => vec![Effect::Quit],
            Some(Action::Down) => scroll_help(state, scroll.saturating_add(1)),
            Some(Action::Up) => scroll_help(state, scroll.saturating_sub(1)),
            Some(Action::PageDown) => scroll_help(state, scroll.saturating_add(10)),
            Some(Action::PageUp) => scroll_help(state, scroll.saturating_sub(10)),
            Some(Action::Top) => scroll_help(state, 0),
            Some(Action::Bottom) => scroll_help(state, u16::MAX),
            Some(Action::Back | Action::Help) => close_overlay(state),
            _ => Vec::new(),
        },
        Mode::Silence(form) => {
            if ctrl_c {
                return vec![Effect::Quit];
            }
            actions::on_form_key(state, key, form);
            Vec::new()
        }
        Mode::Confirm(confirm) => actions::on_confirm_key(state, key, confirm),
        Mode::Prompt(prompt) => {
            if ctrl_c {
                return vec![Effect::Quit];
            }
            incidents::on_prompt_key(state, key, prompt)
        }
        Mode::Choose(choice) => incidents::on_choice_key(state, key, choice),
        Mode::Incidents { selected } => {
            if ctrl_c {
                return vec![Effect::Quit];
            }
            incidents::on_list_key(state, key, selected)
        }
        Mode::Runbooks { input, selected } => {
            if ctrl_c {
                return vec![Effect::Quit];
            }
            runbooks::on_picker_key(state, key, input, selected)
        }
        Mode::Runbook => runbooks::on_run_key(state, key),
        Mode::Deploys(view) => {
            if ctrl_c {
                return vec![Effect::Quit];
            }
            super::deploys::on_key(state, key, view)
        }
        Mode::Map(view) => {
            if ctrl_c {
                return vec![Effect::Quit];
            }
            super::map::on_key(state, key, view)
        }
        Mode::Slos(view) => {
            if ctrl_c {
                return vec![Effect::Quit];
            }
            slos::on_key(state, key, view)
        }
        Mode::Sources => match state.keymap.action_in(KeyMode::Sources, &key) {
            Some(Action::Quit) => vec![Effect::Quit],
            Some(Action::Back | Action::Sources) => close_overlay(state),
            Some(Action::Refresh) => vec![Effect::Refresh],
            _ => Vec::new(),
        },
        Mode::Browse => match state.keymap.action_for(&key) {
            Some(action) => on_action(state, action),
            None => Vec::new(),
        },
    }
}

fn scroll_help(state: &mut State, scroll: u16) -> Vec<Effect> {
    let scroll = scroll.min(super::views::help_scroll_limit(state));
    state.mode = Mode::Help { scroll };
    state.dirty = true;
    Vec::new()
}

fn close_overlay(state: &mut State) -> Vec<Effect> {
    state.mode = Mode::Browse;
    state.dirty = true;
    Vec::new()
}

/// Carries out a keymap action in browse mode.
pub fn on_action(state: &mut State, action: Action) -> Vec<Effect> {
    let page = state.list_height().max(1);
    if state.focus == Focus::Detail {
        let scrolled = match action {
            Action::Down => Some(state.detail_scroll.saturating_add(1)),
            Action::Up => Some(state.detail_scroll.saturating_sub(1)),
            Action::PageDown => Some(state.detail_scroll.saturating_add(page as u16)),
            Action::PageUp => Some(state.detail_scroll.saturating_sub(page as u16)),
            Action::Top => Some(0),
            Action::Bottom => Some(u16::MAX),
            _ => None,
        };
        if let Some(s) = scrolled {
            state.detail_scroll = s.min(super::views::detail_scroll_limit(state));
            state.dirty = true;
            return Vec::new();
        }
    }
    // The row the responder chose has left the board: an action key must not fall on
    // whatever row took its place.
    if let Some(what) = &state.lost
        && targets_selection(action)
    {
        let hint = state.keymap.keys_text(Action::Down);
        state.error(format!("nothing is selected: {what} ({hint} picks a row)"));
        return Vec::new();
    }
    state.pinned = true;
    match action {
        Action::Up => state.move_cursor(state.cursor.saturating_sub(1)),
        Action::Down => state.move_cursor(state.cursor + 1),
        Action::PageUp => state.move_cursor(state.cursor.saturating_sub(page)),
        Action::PageDown => state.move_cursor(state.cursor + page),
        Action::Top => state.move_cursor(0),
        Action::Bottom => state.move_cursor(usize::MAX),
        Action::Toggle => match state.selected() {
            Some(Row::Group(g)) => toggle_group(state, g, None),
            Some(Row::Alert(..)) => {
                state.focus = Focus::Detail;
                state.dirty = true;
            }
            None => {}
        },
        Action::Expand => {
            if let Some(Row::Group(g)) = state.selected() {
                toggle_group(state, g, Some(true));
            }
        }
        Action::Collapse => match state.selected() {
            Some(Row::Group(g)) => toggle_group(state, g, Some(false)),
            Some(Row::Alert(g, _)) => {
                if let Some(i) = state.rows.iter().position(|r| *r == Row::Group(g)) {
                    state.move_cursor(i);
                }
            }
            None => {}
        },
        Action::ToggleAll => {
            // Decide by what is on screen: ids of resolved groups linger in the set.
            let any_open = state
                .board
                .groups
                .iter()
                .any(|g| state.expanded.contains(&g.id));
            expand_all(state, !any_open);
        }
        Action::Filter => {
            state.mode = Mode::Filter;
            state.focus = Focus::List;
            state.dirty = true;
        }
        Action::Palette => {
            state.mode = Mode::Palette {
                input: String::new(),
                selected: 0,
            };
            state.dirty = true;
        }
        Action::Help => {
            state.mode = Mode::Help { scroll: 0 };
            state.dirty = true;
        }
        Action::Sources => {
            state.mode = Mode::Sources;
            state.dirty = true;
        }
        Action::FocusNext => {
            state.focus = match state.focus {
                Focus::List => Focus::Detail,
                Focus::Detail => Focus::List,
            };
            state.dirty = true;
        }
        Action::Refresh => {
            state.info("polling every source now");
            return vec![Effect::Refresh];
        }
        Action::Back => {
            if state.focus == Focus::Detail {
                state.focus = Focus::List;
                state.dirty = true;
            } else if state.incidents.pane {
                state.incidents.pane = false;
                state.dirty = true;
            } else if state.hits.is_some() {
                state.set_filter(String::new());
            }
        }
        Action::Suspend => return vec![Effect::Suspend],
        Action::Silence => actions::open_silence_form(state),
        Action::Split => split_selected(state),
        Action::Mark => mark_selected(state),
        Action::Merge => merge_marked(state),
        Action::Ack => actions::ack(state),
        Action::Unsilence => actions::unsilence(state),
        Action::Declare => incidents::open_declare(state),
        Action::IncidentPane => incidents::toggle_pane(state),
        Action::Incidents => incidents::open_list(state),
        Action::Note => incidents::open_note(state),
        Action::Attach => return incidents::attach_selected(state),
        Action::IncidentStatus => incidents::open_choice(state, Choice::Status),
        Action::IncidentSeverity => incidents::open_choice(state, Choice::Severity),
        Action::Role => incidents::open_role(state),
        Action::Runbooks => runbooks::open_picker(state),
        Action::Map => super::map::open(state),
        Action::Deploys => super::deploys::open(state),
        Action::Slos => slos::open(state),
        Action::Quit => return vec![Effect::Quit],
        // Keys inside modes: the keymap never gives them to the alert list.
        Action::Keep
        | Action::Erase
        | Action::DeleteWord
        | Action::ClearLine
        | Action::Complete
        | Action::Run
        | Action::Submit
        | Action::NextField
        | Action::PreviousField
        | Action::Yes
        | Action::No
        | Action::Force
        | Action::Pick1
        | Action::Pick2
        | Action::Pick3
        | Action::Pick4
        | Action::Activate
        | Action::Open
        | Action::Choose
        | Action::Tick
        | Action::Target
        | Action::Stop
        | Action::Focus
        | Action::Week => {}
    }
    Vec::new()
}

/// True for actions that act on, or open, the selected row.
fn targets_selection(action: Action) -> bool {
    matches!(
        action,
        Action::Toggle
            | Action::Expand
            | Action::Collapse
            | Action::Silence
            | Action::Ack
            | Action::Unsilence
            | Action::Split
            | Action::Mark
            | Action::Merge
            | Action::Declare
            | Action::Attach
            | Action::Runbooks
    )
}

/// `x`: the selected group falls apart into one group per service, for the session.
fn split_selected(state: &mut State) {
    let Some(g) = selected_group(state) else {
        return;
    };
    let group = &state.board.groups[g];
    if group.alerts.len() < 2 {
        state.info("one alert: nothing to split");
        return;
    }
    let set = group.alerts.iter().map(|a| a.fingerprint).collect();
    state.regroup(Override::Split(set));
    state.info("split: each service has its own group for the rest of the session");
}

/// `m`: marks or unmarks the selected group for merging.
fn mark_selected(state: &mut State) {
    let Some(g) = selected_group(state) else {
        return;
    };
    let id = state.board.groups[g].id.clone();
    if !state.marked.remove(&id) {
        state.marked.insert(id);
    }
    let n = state.marked.len();
    let merge = state.keymap.keys_text(Action::Merge);
    state.info(format!(
        "{n} marked; {merge} merges them with the selected group"
    ));
}

/// `M`: merges the marked groups and the selected one, for the session.
fn merge_marked(state: &mut State) {
    let mut ids = state.marked.clone();
    if let Some(g) = selected_group(state) {
        ids.insert(state.board.groups[g].id.clone());
    }
    let set: HashSet<_> = state
        .board
        .groups
        .iter()
        .filter(|g| ids.contains(&g.id))
        .flat_map(|g| g.alerts.iter().map(|a| a.fingerprint))
        .collect();
    let groups = state
        .board
        .groups
        .iter()
        .filter(|g| ids.contains(&g.id))
        .count();
    if groups < 2 {
        let mark = state.keymap.keys_text(Action::Mark);
        state.error(format!("mark the groups to merge with {mark} first"));
        return;
    }
    state.marked.clear();
    state.regroup(Override::Merge(set));
    state.info(format!(
        "merged {groups} groups for the rest of the session"
    ));
}

fn selected_group(state: &State) -> Option<usize> {
    match state.selected()? {
        Row::Group(g) | Row::Alert(g, _) => Some(g),
    }
}

fn toggle_group(state: &mut State, g: usize, to: Option<bool>) {
    let id = state.board.groups[g].id.clone();
    let open = to.unwrap_or(!state.expanded.contains(&id));
    if open {
        state.expanded.insert(id);
    } else {
        state.expanded.remove(&id);
    }
    state.rebuild_rows();
}

fn expand_all(state: &mut State, expand: bool) {
    state.expanded = if expand {
        state.board.groups.iter().map(|g| g.id.clone()).collect()
    } else {
        HashSet::new()
    };
    state.rebuild_rows();
}

/// The character a text-entry mode types for `key`: one its table does not bind.
pub(super) fn typed(key: &KeyEvent) -> Option<char> {
    match key.code {
        KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => Some(c),
        _ => None,
    }
}

fn on_filter_key(state: &mut State, key: KeyEvent) {
    let mut text = state.filter.clone();
    match state.keymap.action_in(KeyMode::Filter, &key) {
        Some(Action::Back) => {
            state.mode = Mode::Browse;
            state.set_filter(String::new());
            return;
        }
        Some(Action::Keep) => {
            // Matchers that do not parse are not kept: the list would show nothing
            // and look like an answer.
            if let Some(e) = state.filter_error() {
                let e = e.to_string();
                state.error(format!("not a filter: {e}"));
                return;
            }
            state.mode = Mode::Browse;
            state.dirty = true;
            return;
        }
        Some(Action::Up) => return state.move_cursor(state.cursor.saturating_sub(1)),
        Some(Action::Down) => return state.move_cursor(state.cursor + 1),
        Some(Action::Erase) => {
            text.pop();
        }
        Some(Action::ClearLine) => text.clear(),
        Some(Action::DeleteWord) => {
            let keep = text.trim_end().rfind(' ').map(|i| i + 1).unwrap_or(0);
            text.truncate(keep);
        }
        Some(_) => return,
        None => match typed(&key) {
            Some(c) => text.push(c),
            None => return,
        },
    }
    state.set_filter(text);
}

fn on_palette_key(
    state: &mut State,
    key: KeyEvent,
    mut input: String,
    mut selected: usize,
) -> Vec<Effect> {
    let suggestions = palette::suggest(&input, &state.palette_names());
    state.dirty = true;
    match state.keymap.action_in(KeyMode::Palette, &key) {
        Some(Action::Back) => {
            state.mode = Mode::Browse;
            return Vec::new();
        }
        Some(Action::Run) => {
            state.mode = Mode::Browse;
            // A completion picked with the arrows runs as shown; otherwise the typed
            // line is read, its first word completed (never into quit).
            let line = match suggestions.get(selected) {
                Some(s) if selected > 0 && !input.contains(' ') => s.line.trim().to_string(),
                _ => input,
            };
            return run_palette(state, &line);
        }
        Some(Action::Complete) => {
            if let Some(s) = suggestions.get(selected) {
                input = s.line.clone();
                selected = 0;
            }
        }
        Some(Action::Down) => {
            let last = suggestions.len().min(palette::SHOWN).saturating_sub(1);
            selected = (selected + 1).min(last);
        }
        Some(Action::Up) => selected = selected.saturating_sub(1),
        Some(Action::Erase) => {
            if input.pop().is_none() {
                state.mode = Mode::Browse;
                return Vec::new();
            }
            selected = 0;
        }
        Some(Action::ClearLine) => input.clear(),
        Some(_) => {}
        None => {
            if let Some(c) = typed(&key) {
                input.push(c);
                selected = 0;
            }
        }
    }
    state.mode = Mode::Palette { input, selected };
    Vec::new()
}

fn run_palette(state: &mut State, line: &str) -> Vec<Effect> {
    match palette::parse(line, &state.palette_names()) {
        Ok(Invocation::Action(a)) => on_action(state, a),
        Ok(Invocation::Filter(text)) => {
            state.set_filter(text);
            Vec::new()
        }
        Ok(Invocation::ClearFilter) => {
            state.set_filter(String::new());
            Vec::new()
        }
        Ok(Invocation::ExpandAll(expand)) => {
            expand_all(state, expand);
            Vec::new()
        }
        Ok(Invocation::Theme(name)) => {
            state.info(format!("theme {name}"));
            vec![Effect::SetTheme(name)]
        }
        Ok(Invocation::Runbook(name)) => {
            runbooks::open_named(state, &name);
            Vec::new()
        }
        Err(e) => {
            state.error(e.to_string());
            Vec::new()
        }
    }
}
