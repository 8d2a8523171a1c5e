//! The effect executor: changes the responder confirmed (silences, acks), carried out
//! in the background so a slow Alertmanager never holds the screen.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::mpsc;

use crate::model::NewSilence;
use crate::model::incident::Change as TimelineChange;
use crate::model::silence::ACK_MARKER;
use crate::sources::Source;

use super::incidents::Job;

/// What a confirmed change does.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Create these silences, each in its source.
    Create(Vec<(String, NewSilence)>),
    /// Expire these silences (source, id).
    Expire(Vec<(String, String)>),
}

/// A change carried out, or why not.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionDone {
    pub text: String,
    pub ok: bool,
}

/// Carries out a confirmed change in the background and reports back as an event, so
/// a slow Alertmanager never holds the screen.
pub fn spawn_change<E: From<ActionDone> + Send + 'static>(
    sources: &HashMap<String, Arc<dyn Source>>,
    done: mpsc::Sender<E>,
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
        let _ = done.send(ActionDone { text, ok }.into()).await;
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
