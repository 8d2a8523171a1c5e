//! The event loop: terminal keys, source updates and a slow clock tick are merged into
//! one stream; all queued events are applied, then one frame is drawn if anything
//! changed, at most 30 times a second. Nothing here waits on the network or the disk.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::{FixedOffset, Local, Utc};
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::{Notify, mpsc};

use crate::sources::registry::Configured;
use crate::sources::{Source, SourceSet, SourceUpdate, spawn_poller};
use crate::triage::Triage;
use std::collections::HashMap;

use super::actions::Change;
use super::incidents::{Feed, Recorded};
use crate::incident::{Declaration, Store};
use crate::model::incident::Change as TimelineChange;
use crate::model::silence::ACK_MARKER;

use super::app::{self, Effect, Event, State};
use super::keymap::Keymap;
use super::runbooks::{StepEvent, StepJob};
use super::terminal::{self, ConsoleTerminal};
use super::theme::{ColorDepth, Theme};
use super::views;
use crate::runbook::exec;
use crate::runbook::journal::Journal;
use std::sync::atomic::{AtomicBool, Ordering};

/// Shortest time between two frames (30 frames a second).
const FRAME: Duration = Duration::from_millis(33);

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
    pub store: Result<Arc<dyn Store>, String>,
    /// Roles people can be given in an incident.
    pub roles: Vec<String>,
    /// Runbooks read at start.
    pub runbooks: Arc<crate::runbook::Library>,
    /// Where the run log of steps run outside an incident goes.
    pub data_dir: PathBuf,
    /// Which SLOs the console measures.
    pub slos: SloSetup,
}

/// Where the console's SLOs come from.
pub enum SloSetup {
    /// The demo world's SLOs.
    Demo(crate::sources::demo::DemoOptions),
    /// The config's SLOs plus those discovered in its sources' rules; `none` says
    /// what to do when that makes none.
    Configured {
        file: Box<crate::config::FileConfig>,
        slos: Vec<crate::slo::SloDef>,
        none: String,
    },
    /// No SLOs, and why (the view says it).
    Missing(String),
}

/// Runs the console until the user quits; the terminal is restored whatever happens.
pub async fn run(console: Console) -> anyhow::Result<()> {
    let theme = Theme::load(
        &console.theme,
        console.depth,
        console.user_themes.as_deref(),
    )
    .map_err(anyhow::Error::msg)?;
    let mut terminal =
        terminal::enter(theme.has_color()).context("cannot take over the terminal")?;
    let result = event_loop(&mut terminal, console, theme).await;
    let restored = terminal::restore();
    result?;
    restored.context("cannot restore the terminal")
}

async fn event_loop(
    terminal: &mut ConsoleTerminal,
    console: Console,
    mut theme: Theme,
) -> anyhow::Result<()> {
    let size = terminal.size()?;
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
    state.poll_every = console
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
    state.incidents.roles = console.roles.clone();
    let journal = match console.store {
        Ok(store) => Some(spawn_incident_worker(
            store,
            state.author.clone(),
            keys_tx.clone(),
        )),
        Err(why) => {
            state.incidents.unavailable = Some(why);
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
    let mut term = signal(SignalKind::terminate())?;
    let mut hup = signal(SignalKind::hangup())?;
    let mut int = signal(SignalKind::interrupt())?;
    let mut quit_signal = signal(SignalKind::quit())?;
    // An outside `kill -TSTP` suspends as ctrl-z does, terminal restored first.
    let mut tstp = signal(SignalKind::from_raw(libc::SIGTSTP))?;

    draw(terminal, &mut state, &theme)?;
    let mut last_frame = Instant::now();
    let outcome = loop {
        let pending_frame = state.dirty.then(|| last_frame + FRAME);
        let first = tokio::select! {
            Some(ev) = keys.recv() => ev,
            Some(u) = updates.recv() => Event::Source(u),
            _ = tick.tick() => Event::Tick(Utc::now()),
            _ = term.recv() => break Ok(()),
            _ = hup.recv() => break Ok(()),
            _ = int.recv() => break Ok(()),
            _ = quit_signal.recv() => break Ok(()),
            _ = tstp.recv() => {
                terminal::suspend(terminal)?;
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
        let mut quit = false;
        for ev in batch {
            for effect in app::update(&mut state, ev) {
                match effect {
                    Effect::Quit => quit = true,
                    Effect::Refresh => refresh.notify_waiters(),
                    Effect::Suspend => {
                        terminal::suspend(terminal)?;
                        state.dirty = true;
                    }
                    Effect::SetTheme(name) => {
                        match Theme::load(&name, console.depth, console.user_themes.as_deref()) {
                            Ok(t) => {
                                theme = t;
                                terminal.backend_mut().set_color(theme.has_color());
                                terminal.clear()?;
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
                            state.error(e);
                        }
                    }
                    Effect::FetchRunbook(url) => {
                        let done = done_tx.clone();
                        tokio::spawn(async move {
                            let fetched =
                                crate::runbook::remote::fetch(&url, Duration::from_secs(10)).await;
                            let _ = done.send(Event::Step(StepEvent::Fetched(fetched))).await;
                        });
                    }
                    Effect::Copy(text) => terminal::copy_to_clipboard(&text)?,
                }
            }
        }
        if quit {
            break Ok(());
        }
        if state.dirty && last_frame.elapsed() >= FRAME {
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

/// Finds the SLOs (reading rules may take a while, so not before the first frame),
/// then measures them on their own task; every round arrives as an event. A failed
/// measurement keeps the last values, marked stale, so the view never goes blank.
fn spawn_slos(
    setup: SloSetup,
    events: mpsc::Sender<Event>,
    refresh: Arc<Notify>,
) -> tokio::task::JoinHandle<()> {
    use crate::slo::poll::{SloPollSettings, spawn_slo_poller};
    use crate::tui::slos::SloFeed;
    tokio::spawn(async move {
        let (plan, none) = match setup {
            SloSetup::Demo(options) => (crate::slo::setup::demo(options), String::new()),
            SloSetup::Configured { file, slos, none } => {
                // The keyring is not Sync: its future runs on a thread of its own.
                let runtime = tokio::runtime::Handle::current();
                let found = tokio::task::spawn_blocking(move || {
                    let keyring = crate::secrets::OsKeyring;
                    runtime.block_on(crate::slo::setup::configured(&file, slos, &keyring))
                })
                .await;
                match found {
                    Ok(plan) => (plan, none),
                    Err(e) => {
                        let why = format!("SLOs not read: {e}");
                        let _ = events.send(Event::Slos(SloFeed::Missing(why))).await;
                        return;
                    }
                }
            }
            SloSetup::Missing(why) => {
                let _ = events.send(Event::Slos(SloFeed::Missing(why))).await;
                return;
            }
        };
        if plan.slos.is_empty() {
            let mut why = none;
            let problems: Vec<String> = plan
                .notes
                .iter()
                .cloned()
                .chain(
                    plan.sources
                        .iter()
                        .filter_map(|(name, (_, e))| Some(format!("{name}: {}", e.as_ref()?))),
                )
                .collect();
            if !problems.is_empty() {
                why = format!("No usable SLO: {}", problems.join("; "));
            }
            let _ = events.send(Event::Slos(SloFeed::Missing(why))).await;
            return;
        }
        let (tx, mut rounds) = mpsc::channel(1);
        let poller = spawn_slo_poller(
            plan.slos,
            plan.backends,
            SloPollSettings::default(),
            tx,
            refresh,
        );
        while let Some(statuses) = rounds.recv().await {
            if events
                .send(Event::Slos(SloFeed::Statuses(statuses)))
                .await
                .is_err()
            {
                break;
            }
        }
        poller.abort();
    })
}

/// Carries out a confirmed change in the background and reports back as an event, so
/// a slow Alertmanager never holds the screen.
fn spawn_change(
    sources: &HashMap<String, Arc<dyn Source>>,
    done: mpsc::Sender<Event>,
    change: Change,
    record: Option<(std::sync::mpsc::Sender<Job>, String)>,
) {
    let sources = sources.clone();
    tokio::spawn(async move {
        let mut done_ok = Vec::new();
        let mut failures = Vec::new();
        let mut notes: Vec<String> = Vec::new();
        let silencer = |name: &str| {
            sources
                .get(name)
                .filter(|s| s.silencer().is_some())
                .cloned()
                .ok_or_else(|| format!("{name}: cannot silence"))
        };
        match change {
            Change::Create(items) => {
                for (name, silence) in items {
                    let result = match silencer(&name) {
                        Ok(s) => s
                            .silencer()
                            .expect("checked")
                            .create(silence.clone())
                            .await
                            .map_err(|e| format!("{name}: {e}")),
                        Err(e) => Err(e),
                    };
                    match result {
                        Ok(created) => {
                            if let Some((journal, incident)) = &record {
                                let _ = journal.send(Job::Record(
                                    incident.clone(),
                                    silence_event(&created.id, &name, &silence),
                                ));
                            }
                            // A peer that could not be asked gets it by gossip later;
                            // the responder should still know.
                            notes.extend(created.unchecked.iter().map(|u| format!("{name}: {u}")));
                            done_ok.push(created.id)
                        }
                        Err(e) => failures.push(e),
                    }
                }
            }
            Change::Expire(items) => {
                for (name, id) in items {
                    let result = match silencer(&name) {
                        Ok(s) => s
                            .silencer()
                            .expect("checked")
                            .expire(&id)
                            .await
                            .map_err(|e| format!("{name}: {e}")),
                        Err(e) => Err(e),
                    };
                    match result {
                        Ok(()) => done_ok.push(id),
                        Err(e) => failures.push(e),
                    }
                }
            }
        }
        let (text, ok) = if failures.is_empty() {
            let mut text = format!("done: {}", done_ok.join(", "));
            if !notes.is_empty() {
                text.push_str(&format!(
                    " (read back from the peers but: {})",
                    notes.join("; ")
                ));
            }
            (text, true)
        } else {
            (format!("failed: {}", failures.join("; ")), false)
        };
        tracing::info!(%text, "change carried out");
        let _ = done.send(Event::ActionDone { text, ok }).await;
    });
}

/// The timeline entry for a silence or ack that was created.
fn silence_event(id: &str, source: &str, s: &crate::model::NewSilence) -> TimelineChange {
    let matchers: Vec<String> = s.matchers.iter().map(ToString::to_string).collect();
    let matchers = matchers.join(", ");
    if s.comment.contains(ACK_MARKER) {
        TimelineChange::Ack {
            id: id.to_string(),
            source: source.to_string(),
            matchers,
            ends_at: s.ends_at,
        }
    } else {
        TimelineChange::SilenceCreated {
            id: id.to_string(),
            source: source.to_string(),
            matchers,
            ends_at: s.ends_at,
            comment: s.comment.clone(),
        }
    }
}

/// Where a runbook step is remembered: the incident's timeline through the store's
/// thread (so the incident pane shows it at once), or the run log.
struct StepRecorder {
    journal: Option<std::sync::mpsc::Sender<Job>>,
    run_log: Journal,
    author: String,
}

impl StepRecorder {
    fn record(&self, incident: Option<&str>, change: TimelineChange) -> Result<(), String> {
        match (incident, &self.journal) {
            (Some(id), Some(journal)) => journal
                .send(Job::Record(id.to_string(), change.sanitized()))
                .map_err(|_| "the incident store has stopped".to_string()),
            _ => self
                .run_log
                .record(change, &self.author)
                .map_err(|e| format!("not recorded: {e:#}")),
        }
    }
}

/// Runs a confirmed step on its own thread: output lines and the end come back as
/// events, the start and finish are recorded. Returns the step's kill switch.
fn spawn_step(
    job: StepJob,
    recorder: StepRecorder,
    events: mpsc::Sender<Event>,
) -> Arc<AtomicBool> {
    let cancel = Arc::new(AtomicBool::new(false));
    let kill_switch = cancel.clone();
    std::thread::spawn(move || {
        let incident = job.incident.as_deref();
        let started = recorder.record(
            incident,
            TimelineChange::RunbookStepStarted {
                runbook: job.runbook.clone(),
                step: job.step.clone(),
                command: job.command.command.clone(),
            },
        );
        // A step that cannot be recorded does not run: the record is the point.
        if let Err(e) = started {
            let _ = events.blocking_send(Event::Step(StepEvent::Finished {
                step: job.index,
                ok: false,
                summary: format!("not run: {e}"),
            }));
            return;
        }
        let index = job.index;
        let done = exec::run(&job.command, &cancel, |_, line| {
            let _ = events.blocking_send(Event::Step(StepEvent::Output {
                step: index,
                line: line.to_string(),
            }));
        });
        let mut summary = done.summary(job.command.timeout);
        if let Err(e) = recorder.record(
            incident,
            TimelineChange::RunbookStepFinished {
                runbook: job.runbook.clone(),
                step: job.step.clone(),
                exit_code: done.exit_code(),
                duration_ms: done.duration.as_millis() as u64,
                output: done.tail.join("\n"),
            },
        ) {
            summary.push_str(&format!(" ({e})"));
        }
        let _ = events.blocking_send(Event::Step(StepEvent::Finished {
            step: index,
            ok: done.succeeded(),
            summary,
        }));
    });
    kill_switch
}

/// Work for the incident store's thread.
pub enum Job {
    Declare(Declaration),
    Record(String, TimelineChange),
    Follow(String),
}

fn send_job(journal: &Option<std::sync::mpsc::Sender<Job>>, job: Job) {
    if let Some(j) = journal {
        let _ = j.send(job);
    }
}

/// The incident store lives on its own thread: writes and reads touch the disk, and
/// the screen must not wait for them. Every second (and after each write) it reads
/// the incident list and the followed timeline, and reports only what changed — so
/// notes written by other clops processes appear within a second.
fn spawn_incident_worker(
    store: Arc<dyn Store>,
    author: String,
    events: mpsc::Sender<Event>,
) -> std::sync::mpsc::Sender<Job> {
    use std::sync::mpsc::RecvTimeoutError;
    let (jobs_tx, jobs) = std::sync::mpsc::channel::<Job>();
    std::thread::spawn(move || {
        let mut followed: Option<String> = None;
        let mut last: Option<Feed> = None;
        let mut seen: Option<u64> = None;
        loop {
            let job = match jobs.recv_timeout(Duration::from_secs(1)) {
                Ok(job) => Some(job),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => return,
            };
            let wrote_or_followed = job.is_some();
            let done = match job {
                // The console follows what it declared by asking, as for any other.
                Some(Job::Declare(d)) => Some(
                    store
                        .declare(d, &author, Utc::now())
                        .map(Recorded::Declared)
                        .map_err(|e| format!("{e:#}")),
                ),
                Some(Job::Record(id, change)) => Some(
                    store
                        .append(&id, change, &author, Utc::now())
                        .map(|e| Recorded::Appended(id, e.change.describe()))
                        .map_err(|e| format!("{e:#}")),
                ),
                Some(Job::Follow(id)) => {
                    followed = Some(id);
                    None
                }
                None => None,
            };
            if let Some(result) = done {
                if let Err(e) = &result {
                    tracing::warn!(error = %e, "incident store write failed");
                }
                if events.blocking_send(Event::Recorded(result)).is_err() {
                    return;
                }
            }
            // Idle is idle: read the store only when someone may have changed it.
            let version = store.version();
            let last_ok = last.as_ref().is_some_and(|f| f.error.is_none());
            if !wrote_or_followed && last_ok && version.is_some() && version == seen {
                continue;
            }
            seen = version;
            let feed = read_feed(&*store, followed.as_deref());
            if last.as_ref() != Some(&feed) {
                last = Some(feed.clone());
                if events.blocking_send(Event::Incidents(feed)).is_err() {
                    return;
                }
            }
        }
    });
    jobs_tx
}

fn read_feed(store: &dyn Store, followed: Option<&str>) -> Feed {
    let list = store.incidents();
    let timeline = followed.map(|id| (id, store.events(id, 0)));
    let error = match (&list, &timeline) {
        (Err(e), _) | (_, Some((_, Err(e)))) => Some(format!("{e:#}")),
        _ => None,
    };
    Feed {
        list: list.unwrap_or_default(),
        timeline: timeline.and_then(|(id, t)| Some((id.to_string(), t.ok()?))),
        error,
    }
}

fn draw(terminal: &mut ConsoleTerminal, state: &mut State, theme: &Theme) -> anyhow::Result<()> {
    terminal.draw(|frame| views::render(state, theme, frame))?;
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
