//! The incident exports as a reader of the postmortem and a script reading the JSON see
//! them, and the promise that nothing in a timeline can put escape sequences or broken
//! tables into either.

use chrono::{DateTime, TimeZone, Utc};
use proptest::prelude::*;
use serde_json::Value;

use clops::incident::export;
use clops::model::incident::{ActionKind, AttachedAlert, Change, Event, Incident, Sev, Status};
use clops::text::is_clean;

const ID: &str = "INC-20261121-3";

fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 21, h, m, s).unwrap()
}

fn alert(
    name: &str,
    service: &str,
    severity: &str,
    starts: DateTime<Utc>,
    summary: &str,
) -> AttachedAlert {
    AttachedAlert {
        fingerprint: format!("{:016x}", name.len() * 7919 + service.len()),
        name: name.into(),
        service: Some(service.into()),
        severity: Some(severity.into()),
        starts_at: Some(starts),
        summary: summary.into(),
    }
}

/// A checkout outage from the first alert to the action items, as the console records
/// it: alerts that started before anyone declared, a second on-caller joining, a
/// silence, a runbook step, a rollback, and the wrap-up.
fn checkout_outage() -> Vec<Event> {
    let alice = "alice@jump-1";
    let bob = "bob@jump-2";
    let changes = [
        (
            at(20, 7, 30),
            alice,
            Change::Declared {
                title: "Checkout 5xx above 2%".into(),
                severity: Sev::Sev2,
                commander: alice.into(),
                services: vec!["checkout".into()],
                alerts: vec![
                    alert(
                        "HighErrorRate",
                        "checkout",
                        "critical",
                        at(19, 58, 12),
                        "5xx ratio above 2% for 5m",
                    ),
                    alert(
                        "CheckoutLatencyP99",
                        "checkout",
                        "warning",
                        at(20, 1, 0),
                        "p99 latency above 1.5s",
                    ),
                ],
                group: Some("checkout".into()),
                // The deploy at 19:55 broke checkout a little after it finished.
                started: Some(at(19, 56, 0)),
            },
        ),
        (
            at(20, 8, 10),
            alice,
            Change::RoleAssigned {
                role: "comms".into(),
                who: bob.into(),
            },
        ),
        (
            at(20, 9, 0),
            alice,
            Change::Note {
                text: "Errors began right after the 19:55 deploy?\nChecking payments-db connections."
                    .into(),
            },
        ),
        (
            at(20, 9, 30),
            bob,
            Change::Ack {
                id: "PD-Q2X7".into(),
                source: "pagerduty".into(),
                matchers: "{service=\"checkout\"}".into(),
                ends_at: at(21, 9, 30),
            },
        ),
        (
            at(20, 10, 5),
            bob,
            Change::AlertAttached {
                alerts: vec![alert(
                    "PostgresTooManyConnections",
                    "payments-db",
                    "critical",
                    at(19, 57, 40),
                    "498 of 500 connections in use",
                )],
                group: None,
            },
        ),
        (
            at(20, 11, 0),
            alice,
            Change::SilenceCreated {
                id: "3f2c9a1e".into(),
                source: "alertmanager-eu".into(),
                matchers: "{alertname=\"CheckoutLatencyP99\"}".into(),
                ends_at: at(22, 11, 0),
                comment: "follows from the DB; noise while we work on it".into(),
            },
        ),
        (
            at(20, 12, 30),
            bob,
            Change::RunbookStepStarted {
                runbook: "payments-db-connections".into(),
                step: "Check connection count".into(),
                command: "psql -h \"$CLOPS_LABEL_INSTANCE\" -c 'select count(*) from pg_stat_activity'"
                    .into(),
            },
        ),
        (
            at(20, 12, 33),
            bob,
            Change::RunbookStepFinished {
                runbook: "payments-db-connections".into(),
                step: "Check connection count".into(),
                exit_code: Some(0),
                duration_ms: 3120,
                output: " count\n-------\n   498\n(1 row)\n".into(),
            },
        ),
        (
            at(20, 13, 0),
            alice,
            Change::DeployCorrelated {
                service: "checkout".into(),
                version: "v2.41.0".into(),
                at: at(19, 55, 2),
                source: "argocd".into(),
            },
        ),
        (
            at(20, 15, 20),
            alice,
            Change::StatusChanged {
                from: Status::Investigating,
                to: Status::Identified,
            },
        ),
        (
            at(20, 16, 0),
            bob,
            Change::Note {
                text: "Pool exhausted: checkout v2.41.0 opens a connection per request | rolling back."
                    .into(),
            },
        ),
        (
            at(20, 24, 40),
            bob,
            Change::Note {
                text: "Rollback to v2.40.3 done, connections back to 120.".into(),
            },
        ),
        (
            at(20, 25, 0),
            alice,
            Change::StatusChanged {
                from: Status::Identified,
                to: Status::Monitoring,
            },
        ),
        (
            at(20, 55, 0),
            alice,
            Change::StatusChanged {
                from: Status::Monitoring,
                to: Status::Resolved,
            },
        ),
        (
            at(20, 56, 0),
            alice,
            Change::ActionItem {
                text: "Cap checkout's connection pool per pod".into(),
                owner: Some(bob.into()),
                kind: ActionKind::Prevent,
            },
        ),
        (
            at(20, 56, 30),
            alice,
            Change::ActionItem {
                text: "Alert on pool saturation before 5xx start".into(),
                owner: None,
                kind: ActionKind::Process,
            },
        ),
        (
            at(20, 57, 0),
            alice,
            Change::RoleAssigned {
                role: "scribe".into(),
                who: "carol@jump-3".into(),
            },
        ),
        (
            at(21, 0, 0),
            alice,
            Change::Exported {
                format: "markdown".into(),
            },
        ),
    ];
    changes
        .into_iter()
        .enumerate()
        .map(|(i, (t, author, change))| Event {
            seq: i as u64 + 1,
            at: t,
            author: author.into(),
            change,
        })
        .collect()
}

fn outage() -> (Incident, Vec<Event>) {
    let events = checkout_outage();
    let incident = Incident::from_events(ID, &events).expect("starts with a declaration");
    (incident, events)
}

#[test]
fn the_postmortem_draft_reads_like_one() {
    let (incident, events) = outage();
    let md = export::markdown(&incident, &events, at(21, 0, 0));
    insta::assert_snapshot!("checkout_outage_markdown", md);
}

#[test]
fn the_json_export_reads_back_the_whole_timeline() {
    let (incident, events) = outage();
    let v = export::json(&incident, &events);
    let pretty = serde_json::to_string_pretty(&v).unwrap();
    insta::assert_snapshot!("checkout_outage_json", pretty);
}

#[test]
fn the_json_export_keeps_the_timeline_contract() {
    let (incident, events) = outage();
    let v = export::json(&incident, &events);
    let inc = &v["incident"];
    for key in [
        "id",
        "title",
        "severity",
        "status",
        "commander",
        "roles",
        "declared_at",
    ] {
        assert!(inc.get(key).is_some(), "incident.{key} missing: {inc}");
    }
    assert_eq!(inc["id"], ID);
    assert_eq!(inc["title"], "Checkout 5xx above 2%");
    assert_eq!(inc["severity"], "sev2");
    assert_eq!(inc["status"], "resolved");
    assert_eq!(inc["commander"], "alice@jump-1");
    assert_eq!(inc["roles"]["comms"], "bob@jump-2");
    assert_eq!(inc["declared_at"], "2026-11-21T20:07:30Z");
    // Detection moved to the database alert that was attached later but started first.
    assert_eq!(inc["moments"]["detected"], "2026-11-21T19:57:40Z");

    let events = v["events"].as_array().expect("events is an array");
    assert_eq!(events.len(), 18);
    let mut last_seq = 0;
    for e in events {
        let keys: Vec<&str> = e.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["seq", "at", "author", "kind", "data"]);
        let seq = e["seq"].as_u64().expect("seq is a number");
        assert!(seq > last_seq, "seq {seq} after {last_seq}");
        last_seq = seq;
        let when = e["at"].as_str().expect("at is a string");
        let parsed = DateTime::parse_from_rfc3339(when).expect("at is RFC 3339");
        assert_eq!(parsed.offset().local_minus_utc(), 0, "at is UTC: {when}");
        assert!(e["author"].is_string());
        assert!(e["data"].is_object());
    }
    let kinds: Vec<&str> = events.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds[0], "declared");
    assert!(kinds.contains(&"runbook_step_finished"));
    assert_eq!(events[7]["data"]["exit_code"], 0);
}

/// Text an attacker or a noisy program could put into a timeline: printable words
/// mixed with terminal escapes, raw control characters, bidi overrides and Markdown
/// that would break a table or a code block.
fn hostile_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => "[a-zA-Z0-9 .:#*_<>-]{0,8}",
        1 => Just("\u{1b}[31m".to_string()),
        1 => Just("\u{1b}]52;c;ZWNobyBoaQ==\u{7}".to_string()),
        1 => Just("\u{1b}]0;title".to_string()),
        1 => Just("\u{1b}P1$qm\u{1b}\\".to_string()),
        1 => Just("\r".to_string()),
        1 => Just("\r\n".to_string()),
        1 => Just("\n".to_string()),
        1 => Just("\t".to_string()),
        1 => Just("\u{9b}2J".to_string()),
        1 => Just("\u{85}\u{9c}".to_string()),
        1 => Just("\u{202e}".to_string()),
        1 => Just("\u{2066}\u{200b}".to_string()),
        1 => Just("|".to_string()),
        1 => Just("\\|".to_string()),
        1 => Just("```".to_string()),
        1 => Just("````\n".to_string()),
        1 => Just("\u{7}\u{8}\u{0}\u{7f}".to_string()),
        1 => any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..10).prop_map(|v| v.concat())
}

/// Every event kind that carries text, its strings taken from `t`.
fn hostile_timeline(t: &[String], sanitize: &[bool]) -> Vec<Event> {
    let s = |i: usize| t[i % t.len()].clone();
    let hostile_alert = AttachedAlert {
        fingerprint: s(10),
        name: s(11),
        service: Some(s(12)),
        severity: Some(s(13)),
        starts_at: Some(at(19, 50, 0)),
        summary: s(14),
    };
    let changes = vec![
        Change::Declared {
            title: s(0),
            severity: Sev::Sev1,
            commander: s(1),
            services: vec![s(2)],
            alerts: vec![hostile_alert],
            group: Some(s(3)),
            started: None,
        },
        Change::RoleAssigned {
            role: s(4),
            who: s(5),
        },
        Change::Note { text: s(6) },
        Change::SilenceCreated {
            id: s(7),
            source: s(8),
            matchers: s(9),
            ends_at: at(22, 0, 0),
            comment: s(15),
        },
        Change::Ack {
            id: s(16),
            source: s(17),
            matchers: s(18),
            ends_at: at(22, 0, 0),
        },
        Change::RunbookStepStarted {
            runbook: s(19),
            step: s(20),
            command: s(21),
        },
        Change::RunbookStepFinished {
            runbook: s(19),
            step: s(20),
            exit_code: Some(1),
            duration_ms: 1500,
            output: s(22),
        },
        Change::DeployCorrelated {
            service: s(23),
            version: s(24),
            at: at(19, 45, 0),
            source: s(25),
        },
        Change::StatusChanged {
            from: Status::Investigating,
            to: Status::Identified,
        },
        Change::Note { text: s(26) },
        Change::StatusChanged {
            from: Status::Identified,
            to: Status::Resolved,
        },
        Change::ActionItem {
            text: s(27),
            owner: Some(s(28)),
            kind: ActionKind::Mitigate,
        },
        Change::Exported { format: s(29) },
    ];
    changes
        .into_iter()
        .enumerate()
        .map(|(i, change)| Event {
            seq: i as u64 + 1,
            at: at(20, i as u32, 0),
            author: s(30 + i),
            // Some changes go through the store's cleaning, others reach the exporter
            // raw: the exporter must be safe on its own.
            change: if sanitize[i % sanitize.len()] {
                change.sanitized()
            } else {
                change
            },
        })
        .collect()
}

/// The strings in a JSON value, keys included, as a reader decodes them.
fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|i| strings(i, out)),
        Value::Object(map) => {
            for (k, item) in map {
                out.push(k.clone());
                strings(item, out);
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

fn has_control(s: &str) -> bool {
    s.chars().any(|c| c.is_control() && c != '\n')
}

/// Counts the `|` that separate cells (a `|` after an odd run of `\` is text).
fn cell_separators(line: &str) -> usize {
    let mut n = 0;
    let mut backslashes = 0;
    for c in line.chars() {
        match c {
            '\\' => backslashes += 1,
            '|' if backslashes % 2 == 0 => {
                n += 1;
                backslashes = 0;
            }
            _ => backslashes = 0,
        }
    }
    n
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn no_timeline_text_can_reach_a_terminal_or_break_a_table(
        texts in prop::collection::vec(hostile_text(), 8..32),
        sanitize in prop::collection::vec(any::<bool>(), 1..6),
    ) {
        let events = hostile_timeline(&texts, &sanitize);
        let incident = Incident::from_events(ID, &events).expect("starts with a declaration");

        let md = export::markdown(&incident, &events, at(21, 0, 0));
        prop_assert!(!has_control(&md), "control character in markdown: {:?}", md);
        prop_assert!(is_clean(&md), "invisible formatting in markdown: {:?}", md);

        // Every row of a table has as many cells as its header (code blocks aside).
        let mut header_cells = None;
        let mut fence: Option<String> = None;
        for line in md.lines() {
            if let Some(f) = &fence {
                if line == f {
                    fence = None;
                }
                continue;
            }
            if line.starts_with("```") {
                fence = Some(line.chars().take_while(|c| *c == '`').collect());
                header_cells = None;
            } else if line.starts_with('|') {
                let n = cell_separators(line);
                let expected = *header_cells.get_or_insert(n);
                prop_assert_eq!(n, expected, "row breaks its table: {:?}", line);
            } else {
                header_cells = None;
            }
        }

        let v = export::json(&incident, &events);
        let text = serde_json::to_string(&v).unwrap();
        prop_assert!(!has_control(&text));
        prop_assert!(fence.is_none(), "a code block was left open");
        let mut all = Vec::new();
        strings(&v, &mut all);
        for s in &all {
            prop_assert!(!has_control(s), "control character in JSON string {:?}", s);
            prop_assert!(is_clean(s), "invisible formatting in JSON string {:?}", s);
        }
    }
}
