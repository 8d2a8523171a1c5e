//! The event loop: terminal keys, source updates and a slow clock tick are merged into
//! one stream; all queued events are applied, then one frame is drawn if anything
//! changed, at most 30 times a second. Nothing here waits on the network or the disk.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{FixedOffset, Local, Utc};
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::{Notify, mpsc};

use crate::live::board::{self, Published};
use crate::sources::registry::Configured;
use crate::sources::{Source, SourceSet, SourceUpdate, spawn_poller};
use crate::triage::Triage;
use std::collections::HashMap;

use crate::incident::{Store, StoreError};
use crate::live::actions::{Change, spawn_change};
use crate::live::incidents::{Job, send_job};
use crate::live::slos::{SloSetup, spawn_slos};
use crate::live::steps::{StepRecorder, fetch_runbook, spawn_step};

use super::app::{self, Effect, Event, State};
use super::keymap::Keymap;
use super::terminal::{self, ConsoleTerminal};
use super::theme::{ColorDepth, Theme, ThemeError};
use super::views;
use crate::runbook::journal::Journal;
use std::sync::atomic::{AtomicBool, Ordering};

/// Shortest time between two frames (30 frames a second).
const FRAME: Duration = Duration::from_millis(33);

/// Why the console stopped, or could not start. Each message is whole: main prints the
/// error with its causes, and a `source` would say the inner error twice.
#[derive(Debug, thiserror::Error)]
pub enum ConsoleError {
    #[error("{0}")]
    Theme(ThemeError),
    #[error("cannot take over the terminal: {0}")]
    TakeOver(std::io::Error),
    #[error("cannot restore the terminal: {0}")]
    Restore(std::io::Error),
    /// Drawing a frame, clearing the screen or reading its size failed.
    #[error("{0}")]
    Draw(std::io::Error),
    /// Giving the terminal back for a ctrl-z, or taking it over again, failed.
    #[error("{0}")]
    Suspend(std::io::Error),
    #[error("{0}")]
    Clipboard(std::io::Error),
    /// The handlers of the signals that end or suspend the console cannot be set up.
    #[error("{0}")]
    Signal(std::io::Error),
}

impl ConsoleError {
    /// The kind of the terminal's I/O error, if it is one: a closed pipe is the reader's
    /// choice, not a failure, to main as to serde_json's errors.
    pub fn io_error_kind(&self) -> Option<std::io::ErrorKind> {
        match self {
            ConsoleError::Theme(_) => None,
            ConsoleError::TakeOver(e)
            | ConsoleError::Restore(e)
            | ConsoleError::Draw(e)
            | ConsoleError::Suspend(e)
            | ConsoleError::Clipboard(e)
            | ConsoleError::Signal(e) => Some(e.kind()),
        }
    }
}

/// Everything the console needs to start.
pub struct Console {
    pub title: String,
    pub sources: Vec<Configured>,
    pub triage: Triage,
    pub keymap: Keymap,
    pub theme: String,
    pub depth: ColorDepth,
    pub user_themes: Option<PathBuf>,
    pub read_only: bool,
    /// Shown in the footer at start: a config problem the console worked around.
    pub warning: Option<String>,
    /// Default length of a silence made in the console.
    pub silence_duration: Duration,
    /// Longest life of an ack.
    pub ack_cap: Duration,
    /// Where incidents are kept, or why they cannot be.
    pub store: Result<Arc<dyn Store>, StoreError>,
    /// Roles people can be given in an incident.
    pub roles: Vec<String>,
    /// Runbooks read at start.
    pub runbooks: Arc<crate::runbook::Library>,
    /// Where the run log of steps run outside an incident goes.
    pub data_dir: PathBuf,
    /// Where the flap history is kept for one-shot runs (none for the demo).
    pub flaps_file: Option<PathBuf>,
    /// Which SLOs the console measures.
    pub slos: SloSetup,
}

/// Runs the console until the user quits; the terminal is restored whatever happens.
pub async fn run(console: Console) -> Result<(), ConsoleError> {
    let theme = Theme::load(
        &console.theme,
        console.depth,
        console.user_themes.as_deref(),
    )
    .map_err(ConsoleError::Theme)?;
    let mut terminal = terminal::enter(theme.has_color()).map_err(ConsoleError::TakeOver)?;
    let result = event_loop(&mut terminal, console, theme).await;
    let restored = terminal::restore();
    result?;
    restored.map_err(ConsoleError::Restore)
}

async fn event_loop(
    terminal: &mut ConsoleTerminal,
    console: Console,
    mut theme: Theme,
) -> Result<(), ConsoleError> {
    let size = terminal.size().map_err(ConsoleError::Draw)?;
    let names: Vec<(String, String)> = console
        .sources
        .iter()
        .map(|c| (c.source.name().to_string(), c.source.kind().to_string()))
        .collect();
    let mut source_set = SourceSet::new(names.iter().map(|(n, k)| (n.as_str(), k.as_str())));
    // Their pollers find the tokens; the first frame does not wait for them.
    for c in console.sources.iter().filter(|c| c.source.authenticating()) {
        source_set.authenticating(c.source.name());
    }
    let local = FixedOffset::east_opt(Local::now().offset().local_minus_utc())
        .unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero offset"));
    let mut state = State::new(
        &console.title,
        source_set,
        console.triage,
        console.keymap,
        Utc::now(),
        local,
        (size.width, size.height),
    );
    state.read_only = console.read_only;
    state.author = crate::author::author();
    state.silence_duration = console.silence_duration;
    state.ack_cap = console.ack_cap;
    let poll_every: Vec<(String, Duration)> = console
        .sources
        .iter()
        .map(|c| {
            (
                c.source.name().to_string(),
                c.poll.interval + c.poll.timeout,
            )
        })
        .collect();
    state.silencing = console
        .sources
        .iter()
        .filter(|c| c.source.silencer().is_some())
        .map(|c| c.source.name().to_string())
        .collect();
    let by_name: HashMap<String, Arc<dyn Source>> = console
        .sources
        .iter()
        .map(|c| (c.source.name().to_string(), c.source.clone()))
        .collect();
    state.message = console.warning.map(|text| app::Message {
        text,
        is_error: true,
    });
    if let Some(dir) = &console.user_themes {
        state.themes.extend(user_theme_names(dir));
    }

    let (updates_tx, mut updates) = mpsc::channel::<SourceUpdate>(256);
    let refresh = Arc::new(Notify::new());
    let pollers: Vec<_> = console
        .sources
        .into_iter()
        .map(|c| spawn_poller(c.source, c.poll, updates_tx.clone(), refresh.clone()))
        .collect();
    drop(updates_tx);

    let (keys_tx, mut keys) = mpsc::channel::<Event>(256);
    let done_tx = keys_tx.clone();
    // Boards come from the worker; the loop only shows them.
    let (boards_tx, mut boards) = mpsc::channel::<Published>(4);
    if let (Some(inputs), Some(path)) = (state.board_inputs(), console.flaps_file.clone()) {
        inputs.keep_flaps_at(path);
    }
    state.move_board_to(|inputs| {
        board::spawn(inputs.with_poll_every(poll_every), move |built| {
            boards_tx.blocking_send(built).is_ok()
        })
    });
    state.incidents.roles = console.roles.clone();
    let journal = match console.store {
        Ok(store) => Some(crate::live::incidents::spawn(
            store,
            state.author.clone(),
            keys_tx.clone(),
        )),
        Err(why) => {
            state.incidents.unavailable = Some(why.to_string());
            None
        }
    };
    let slo_task = spawn_slos(console.slos, keys_tx.clone(), refresh.clone());
    spawn_terminal_reader(keys_tx);
    state.runbooks.library = console.runbooks.clone();
    let run_log = Journal::run_log(&console.data_dir);
    // The kill switch of the step running now (a fresh one per step).
    let mut step_cancel = Arc::new(AtomicBool::new(false));
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let listen = |kind| signal(kind).map_err(ConsoleError::Signal);
    let mut term = listen(SignalKind::terminate())?;
    let mut hup = listen(SignalKind::hangup())?;
    let mut int = listen(SignalKind::interrupt())?;
    let mut quit_signal = listen(SignalKind::quit())?;
    // An outside `kill -TSTP` suspends as ctrl-z does, terminal restored first.
    let mut tstp = listen(SignalKind::from_raw(
        nix::sys::signal::Signal::SIGTSTP as i32,
    ))?;

    draw(terminal, &mut state, &theme)?;
    let mut last_frame = Instant::now();
    let outcome = loop {
        let pending_frame = state.dirty.then(|| last_frame + FRAME);
        let first = tokio::select! {
            Some(ev) = keys.recv() => ev,
            Some(u) = updates.recv() => Event::Source(u),
            Some(b) = boards.recv() => Event::from(b),
            _ = tick.tick() => Event::Tick(Utc::now()),
            _ = term.recv() => break Ok(()),
            _ = hup.recv() => break Ok(()),
            _ = int.recv() => break Ok(()),
            _ = quit_signal.recv() => break Ok(()),
            _ = tstp.recv() => {
                terminal::suspend(terminal).map_err(ConsoleError::Suspend)?;
                state.dirty = true;
                continue;
            }
            _ = sleep_until(pending_frame) => {
                draw(terminal, &mut state, &theme)?;
                last_frame = Instant::now();
                continue;
            }
        };
        // Apply everything already queued before drawing once.
        let mut batch = vec![first];
        while let Ok(ev) = keys.try_recv() {
            batch.push(ev);
        }
        while let Ok(u) = updates.try_recv() {
            batch.push(Event::Source(u));
        }
        // Only the newest finished board is worth showing, with any statuses newer
        // than it.
        let (mut board, mut statuses) = (None, None);
        while let Ok(p) = boards.try_recv() {
            match p {
                Published::Board(b) => (board, statuses) = (Some(b), None),
                Published::Sources(s) => statuses = Some(s),
            }
        }
        batch.extend(board.map(Event::Board));
        batch.extend(statuses.map(Event::Sources));
        // A key is answered at once; only data that arrives on its own waits for the
        // frame cap.
        let answers_user = batch
            .iter()
            .any(|e| matches!(e, Event::Key(_) | Event::Resize(..)));
        let mut quit = false;
        for ev in batch {
            for effect in app::update(&mut state, ev) {
                match effect {
                    Effect::Quit => quit = true,
                    Effect::Refresh => refresh.notify_waiters(),
                    Effect::Suspend => {
                        terminal::suspend(terminal).map_err(ConsoleError::Suspend)?;
                        state.dirty = true;
                    }
                    Effect::SetTheme(name) => {
                        match Theme::load(&name, console.depth, console.user_themes.as_deref()) {
                            Ok(t) => {
                                theme = t;
                                terminal.backend_mut().set_color(theme.has_color());
                                terminal.clear().map_err(ConsoleError::Draw)?;
                            }
                            Err(e) => {
                                state.message = Some(app::Message {
                                    text: e.to_string(),
                                    is_error: true,
                                })
                            }
                        }
                        state.dirty = true;
                    }
                    Effect::CreateSilences(silences) => {
                        // Silences and acks made while an incident is active are part
                        // of its record.
                        let record = journal.clone().zip(state.incidents.active.clone());
                        spawn_change(&by_name, done_tx.clone(), Change::Create(silences), record);
                    }
                    Effect::ExpireSilences(ids) => {
                        spawn_change(&by_name, done_tx.clone(), Change::Expire(ids), None);
                    }
                    Effect::Declare(d) => send_job(&journal, Job::Declare(d)),
                    Effect::Record(id, change) => send_job(&journal, Job::Record(id, change)),
                    Effect::Follow(id) => send_job(&journal, Job::Follow(id)),
                    Effect::RunStep(job) => {
                        let recorder = StepRecorder {
                            journal: journal.clone(),
                            run_log: run_log.clone(),
                            author: state.author.clone(),
                        };
                        step_cancel = spawn_step(job, recorder, done_tx.clone());
                    }
                    Effect::CancelStep => step_cancel.store(true, Ordering::SeqCst),
                    Effect::RecordStep(incident, change) => {
                        let recorder = StepRecorder {
                            journal: journal.clone(),
                            run_log: run_log.clone(),
                            author: state.author.clone(),
                        };
                        if let Err(e) = recorder.record(incident.as_deref(), change) {
                            state.error(e.to_string());
                        }
                    }
                    Effect::FetchRunbook(url) => fetch_runbook(url, done_tx.clone()),
                    Effect::Copy(text) => {
                        terminal::copy_to_clipboard(&text).map_err(ConsoleError::Clipboard)?
                    }
                }
            }
        }
        if quit {
            break Ok(());
        }
        if state.dirty && (answers_user || last_frame.elapsed() >= FRAME) {
            draw(terminal, &mut state, &theme)?;
            last_frame = Instant::now();
        }
    };
    for p in pollers {
        p.abort();
    }
    slo_task.abort();
    outcome
}

fn draw(
    terminal: &mut ConsoleTerminal,
    state: &mut State,
    theme: &Theme,
) -> Result<(), ConsoleError> {
    terminal
        .draw(|frame| views::render(state, theme, frame))
        .map_err(ConsoleError::Draw)?;
    state.dirty = false;
    Ok(())
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(d) => tokio::time::sleep_until(d.into()).await,
        None => std::future::pending().await,
    }
}

/// Reads terminal input on its own thread (reads block) and forwards what matters.
fn spawn_terminal_reader(tx: mpsc::Sender<Event>) {
    std::thread::spawn(move || {
        loop {
            let ev = match crossterm::event::read() {
                Ok(crossterm::event::Event::Key(k)) => Event::Key(k),
                Ok(crossterm::event::Event::Resize(w, h)) => Event::Resize(w, h),
                Ok(_) => continue,
                Err(e) => {
                    tracing::error!(error = %e, "cannot read the terminal");
                    return;
                }
            };
            if tx.blocking_send(ev).is_err() {
                return;
            }
        }
    });
}

fn user_theme_names(dir: &std::path::Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let p = e.path();
            (p.extension()? == "toml").then(|| p.file_stem()?.to_str().map(str::to_string))?
        })
        .collect();
    names.sort();
    names
}
