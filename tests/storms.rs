//! Triage quality on alert storms with ground truth: a responder should see the few
//! incidents, not the many alerts.

mod common;

use std::collections::BTreeMap;

use clops::config::TriageConfig;
use clops::triage;
use common::storms;

fn grouped(name: &str) -> (storms::Storm, Vec<clops::model::Group>) {
    let storm = storms::load(name);
    let groups = triage::group(storm.alerts(), &TriageConfig::default(), &storm.graph);
    (storm, groups)
}

fn label_sets(groups: &[clops::model::Group]) -> Vec<Vec<BTreeMap<String, String>>> {
    groups
        .iter()
        .map(|g| g.alerts.iter().map(|a| a.labels.to_map()).collect())
        .collect()
}

#[test]
fn storms_are_grouped_into_their_incidents() {
    for name in ["storm-1", "storm-2", "storm-3"] {
        let (storm, groups) = grouped(name);
        let (p, r, f1) = storms::score(&storm, &label_sets(&groups));
        // What plain label grouping makes of the same storm, for comparison.
        let by_labels = TriageConfig {
            grouping: clops::config::Grouping::Labels,
            group_by: ["alertname", "cluster", "service"]
                .map(String::from)
                .to_vec(),
            ..TriageConfig::default()
        };
        let plain = triage::group(storm.alerts(), &by_labels, &storm.graph);
        let (_, _, plain_f1) = storms::score(&storm, &label_sets(&plain));
        println!(
            "{name}: {} alerts → {} groups, precision {p:.3} recall {r:.3} F1 {f1:.3}; \
             plain label grouping F1 {plain_f1:.3}",
            storm.alerts.len(),
            groups.len()
        );
        assert!(f1 > plain_f1, "{name}: {f1:.3} vs {plain_f1:.3}");
        assert!(
            p >= 0.9 && r >= 0.85,
            "{name}: precision {p:.3}, recall {r:.3}"
        );
    }
}

#[test]
fn storms_never_seen_before_are_grouped_just_as_well() {
    // Fifty storms with made-up services, topologies, timings and noise.
    let mut worst = (1.0f64, 1.0f64);
    let (mut sum_p, mut sum_r) = (0.0, 0.0);
    let runs = 50;
    for seed in 0..runs {
        let storm = common::storm_gen::storm(seed, 2, 4);
        let groups = triage::group(storm.alerts.clone(), &TriageConfig::default(), &storm.graph);
        let (p, r, _) = storm.score(&groups);
        assert!(
            p >= 0.9 && r >= 0.85,
            "seed {seed}: precision {p:.3}, recall {r:.3}"
        );
        worst = (worst.0.min(p), worst.1.min(r));
        sum_p += p;
        sum_r += r;
    }
    println!(
        "{runs} generated storms of about 55 alerts: mean precision {:.3}, recall {:.3}; worst {:.3} / {:.3}",
        sum_p / runs as f64,
        sum_r / runs as f64,
        worst.0,
        worst.1
    );
}
