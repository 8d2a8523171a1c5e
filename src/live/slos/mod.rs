//! The SLO poller's start: finding the SLOs (reading rules may take a while, so not
//! before the first frame), then measuring them round after round.

pub mod demo;
pub mod poll;
pub mod prometheus;
pub mod setup;

use std::sync::Arc;

use tokio::sync::{Notify, mpsc};

use crate::slo::eval::SloStatus;

/// What the SLO poller reports.
#[derive(Debug, Clone)]
pub enum SloFeed {
    /// The statuses of every SLO after one round of measuring.
    Statuses(Vec<SloStatus>),
    /// There is nothing to measure, and why (no SLO configured, none usable).
    Missing(String),
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

/// Finds the SLOs (reading rules may take a while, so not before the first frame),
/// then measures them on their own task; every round arrives as an event. A failed
/// measurement keeps the last values, marked stale, so the view never goes blank.
pub fn spawn_slos<E: From<SloFeed> + Send + 'static>(
    setup: SloSetup,
    events: mpsc::Sender<E>,
    refresh: Arc<Notify>,
) -> tokio::task::JoinHandle<()> {
    use poll::{SloPollSettings, spawn_slo_poller};
    tokio::spawn(async move {
        let (plan, none) = match setup {
            SloSetup::Demo(options) => (setup::demo(options), String::new()),
            SloSetup::Configured { file, slos, none } => {
                // The keyring is not Sync: its future runs on a thread of its own.
                let runtime = tokio::runtime::Handle::current();
                let found = tokio::task::spawn_blocking(move || {
                    let keyring = crate::secrets::OsKeyring;
                    runtime.block_on(setup::configured(&file, slos, &keyring))
                })
                .await;
                match found {
                    Ok(plan) => (plan, none),
                    Err(e) => {
                        let why = format!("SLOs not read: {e}");
                        let _ = events.send(SloFeed::Missing(why).into()).await;
                        return;
                    }
                }
            }
            SloSetup::Missing(why) => {
                let _ = events.send(SloFeed::Missing(why).into()).await;
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
            let _ = events.send(SloFeed::Missing(why).into()).await;
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
                .send(SloFeed::Statuses(statuses).into())
                .await
                .is_err()
            {
                break;
            }
        }
        poller.abort();
    })
}
