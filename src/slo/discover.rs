//! SLOs that already exist as recording rules in a Prometheus: Sloth's
//! (`slo:sli_error:ratio_rate5m`, `slo:objective:ratio`, `slo:time_period:days`, all
//! labelled `sloth_id`) and Pyrra's (`<metric>:burnrate5m` labelled `slo`, with the
//! generic `pyrra_objective` and `pyrra_window` rules).
//!
//! The rules are read, not re-evaluated: clops queries the series they record, so what
//! it shows agrees with the alerts those tools generate.

use std::collections::BTreeMap;

use chrono::Duration;

use crate::model::rule::RecordingRule;
use crate::text::time::{Style, parse_window};

use super::burn::Objective;
use super::config::DEFAULT_WINDOW;
use super::spec::{Indicator, SloDef};

/// What discovery found in one Prometheus's rules.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Discovered {
    pub slos: Vec<SloDef>,
    /// SLOs recognised but unusable, and why (e.g. no objective recorded).
    pub problems: Vec<String>,
}

const SLOTH_RATIO: &str = "slo:sli_error:ratio_rate";

/// The SLOs recorded by `rules` of the Prometheus source `source`.
pub fn from_rules(rules: &[RecordingRule], source: &str) -> Discovered {
    let mut found = Discovered::default();
    sloth(rules, source, &mut found);
    pyrra(rules, source, &mut found);
    found
}

/// Rules grouped by the value of `label`, in order.
fn by_label<'a>(
    rules: &'a [RecordingRule],
    label: &str,
    keep: impl Fn(&RecordingRule) -> bool,
) -> BTreeMap<&'a str, Vec<&'a RecordingRule>> {
    let mut groups: BTreeMap<&str, Vec<&RecordingRule>> = BTreeMap::new();
    for r in rules.iter().filter(|r| keep(r)) {
        if let Some(v) = r.labels.get(label) {
            groups.entry(v).or_default().push(r);
        }
    }
    groups
}

/// The number in a rule that records a constant: `vector(0.999)`, `0.999`.
fn constant(query: &str) -> Option<f64> {
    let q = query.trim();
    let inner = q
        .strip_prefix("vector(")
        .and_then(|r| r.strip_suffix(')'))
        .unwrap_or(q);
    inner.trim().parse::<f64>().ok().filter(|v| v.is_finite())
}

/// `0.9990000000000001` → 99.9: a ratio as the percentage people wrote.
fn percent(ratio: f64) -> f64 {
    (ratio * 1e8).round() / 1e6
}

fn selector(metric: &str, label: &str, value: &str) -> String {
    // Values come from the server's rules; quote them as PromQL strings.
    let escaped = value.replace('\\', "\\\\").replace('"', "\\\"");
    format!("{metric}{{{label}=\"{escaped}\"}}")
}

/// The Sloth SLO a rule belongs to: its `sloth_id` label or, for the rules Sloth labels
/// only with their window (`slo:sli_error:ratio_rate30d`), the id its query selects.
fn sloth_id(rule: &RecordingRule) -> Option<&str> {
    if let Some(id) = rule.labels.get("sloth_id") {
        return Some(id);
    }
    let (_, rest) = rule.query.split_once("sloth_id=\"")?;
    rest.split_once('"').map(|(id, _)| id)
}

fn sloth(rules: &[RecordingRule], source: &str, found: &mut Discovered) {
    let mut groups: BTreeMap<&str, Vec<&RecordingRule>> = BTreeMap::new();
    for r in rules.iter().filter(|r| r.name.starts_with("slo:")) {
        if let Some(id) = sloth_id(r) {
            groups.entry(id).or_default().push(r);
        }
    }
    for (id, rules) in groups {
        let mut ratios = BTreeMap::new();
        let mut longest = None;
        for r in &rules {
            let Some(window) = r.name.strip_prefix(SLOTH_RATIO) else {
                continue;
            };
            let Ok(d) = parse_window(window) else {
                continue;
            };
            ratios.insert(Style::Prom.format(d), selector(&r.name, "sloth_id", id));
            longest = longest.max(Some(d));
        }
        if ratios.is_empty() {
            continue;
        }
        let constant_of = |name: &str| {
            rules
                .iter()
                .find(|r| r.name == name)
                .and_then(|r| constant(&r.query))
        };
        let Some(objective) = constant_of("slo:objective:ratio") else {
            found.problems.push(format!(
                "Sloth SLO {id}: no slo:objective:ratio rule recording a constant"
            ));
            continue;
        };
        let window = constant_of("slo:time_period:days")
            .and_then(|days| Duration::try_milliseconds((days * 86_400_000.0).round() as i64))
            .or(longest.filter(|d| *d >= Duration::days(7)))
            .unwrap_or(DEFAULT_WINDOW);
        let objective = match Objective::new(percent(objective), window) {
            Ok(o) => o,
            Err(e) => {
                found.problems.push(format!("Sloth SLO {id}: {e}"));
                continue;
            }
        };
        let service = rules
            .iter()
            .find_map(|r| r.labels.get("sloth_service"))
            .unwrap_or("");
        found.slos.push(SloDef {
            name: id.to_string(),
            service: service.to_string(),
            objective,
            source: source.to_string(),
            indicator: Indicator::Recorded(ratios),
            labels: BTreeMap::new(),
            origin: "rules".into(),
            alerting: None,
        });
    }
}

fn pyrra(rules: &[RecordingRule], source: &str, found: &mut Discovered) {
    let burnrates = by_label(rules, "slo", |r| r.name.contains(":burnrate"));
    for (slo, burns) in burnrates {
        let mut ratios = BTreeMap::new();
        for r in &burns {
            let Some((_, window)) = r.name.rsplit_once(":burnrate") else {
                continue;
            };
            if let Ok(d) = parse_window(window) {
                // Pyrra's "burnrate" rules record the error ratio over their window.
                ratios.insert(Style::Prom.format(d), selector(&r.name, "slo", slo));
            }
        }
        let generic = |name: &str| {
            rules
                .iter()
                .find(|r| r.name == name && r.labels.get("slo") == Some(slo))
                .and_then(|r| constant(&r.query))
        };
        let Some(objective) = generic("pyrra_objective") else {
            found.problems.push(format!(
                "Pyrra SLO {slo}: no pyrra_objective rule (run Pyrra with --generic-rules)"
            ));
            continue;
        };
        let window = generic("pyrra_window")
            .and_then(|secs| Duration::try_milliseconds((secs * 1000.0).round() as i64))
            .unwrap_or(DEFAULT_WINDOW);
        let objective = match Objective::new(percent(objective), window) {
            Ok(o) => o,
            Err(e) => {
                found.problems.push(format!("Pyrra SLO {slo}: {e}"));
                continue;
            }
        };
        // The availability over the whole window gives the budget.
        if rules
            .iter()
            .any(|r| r.name == "pyrra_availability" && r.labels.get("slo") == Some(slo))
        {
            ratios.insert(
                Style::Prom.format(objective.window()),
                format!("1 - {}", selector("pyrra_availability", "slo", slo)),
            );
        }
        let labels = &burns[0].labels;
        let service = ["service", "job", "namespace"]
            .iter()
            .find_map(|l| labels.get(l))
            .unwrap_or(slo);
        found.slos.push(SloDef {
            name: slo.to_string(),
            service: service.to_string(),
            objective,
            source: source.to_string(),
            indicator: Indicator::Recorded(ratios),
            labels: BTreeMap::new(),
            origin: "rules".into(),
            // Pyrra's alerts, over the windows it derives for this SLO's window.
            alerting: Some(super::burn::pyrra_windows(objective.window())),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LabelSet;

    fn rule(name: &str, query: &str, labels: &[(&str, &str)]) -> RecordingRule {
        RecordingRule {
            name: name.into(),
            query: query.into(),
            labels: labels
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<LabelSet>(),
        }
    }

    fn sloth_rules(id: &str) -> Vec<RecordingRule> {
        let l = [
            ("sloth_id", id),
            ("sloth_service", "checkout"),
            ("sloth_slo", "requests-availability"),
        ];
        let mut rules: Vec<RecordingRule> = ["5m", "30m", "1h", "2h", "6h", "1d", "3d"]
            .iter()
            .map(|w| rule(&format!("{SLOTH_RATIO}{w}"), "sum(rate(x[5m]))", &l))
            .collect();
        // Sloth labels its period rule with the window only; the id is in its query.
        let period = format!(
            "sum_over_time(slo:sli_error:ratio_rate5m{{sloth_id=\"{id}\", sloth_service=\"checkout\"}}[30d])"
        );
        rules.push(rule(
            "slo:sli_error:ratio_rate30d",
            &period,
            &[("sloth_window", "30d")],
        ));
        rules.push(rule(
            "slo:objective:ratio",
            "vector(0.9990000000000001)",
            &l,
        ));
        rules.push(rule("slo:error_budget:ratio", "vector(1 - 0.999)", &l));
        rules.push(rule("slo:time_period:days", "vector(30)", &l));
        rules
    }

    #[test]
    fn sloth_rules_become_an_slo_measured_on_what_they_record() {
        let found = from_rules(&sloth_rules("checkout-requests-availability"), "prom");
        assert_eq!(found.problems, Vec::<String>::new());
        let [slo] = found.slos.as_slice() else {
            panic!("{found:?}")
        };
        assert_eq!(slo.name, "checkout-requests-availability");
        assert_eq!(slo.service, "checkout");
        assert_eq!(slo.objective.target(), 99.9);
        assert_eq!(slo.objective.window(), Duration::days(30));
        assert_eq!(
            slo.indicator.ratio_query(Duration::hours(1)).unwrap(),
            r#"slo:sli_error:ratio_rate1h{sloth_id="checkout-requests-availability"}"#
        );
        assert!(slo.indicator.ratio_query(Duration::days(30)).is_some());
    }

    #[test]
    fn an_slo_without_its_objective_is_named_as_a_problem() {
        let mut rules = sloth_rules("a");
        rules.retain(|r| r.name != "slo:objective:ratio");
        rules.extend(sloth_rules("b"));
        let found = from_rules(&rules, "prom");
        assert_eq!(found.slos.len(), 1);
        assert_eq!(found.slos[0].name, "b");
        assert_eq!(found.problems.len(), 1, "{:?}", found.problems);
        assert!(found.problems[0].contains("Sloth SLO a"));
    }

    #[test]
    fn pyrra_generic_rules_give_objective_and_window() {
        let l = [("slo", "api-errors"), ("job", "api")];
        let rules = vec![
            rule(
                "http_requests:burnrate5m",
                "sum(rate(e[5m]))/sum(rate(t[5m]))",
                &l,
            ),
            rule("http_requests:burnrate1h", "…", &l),
            // Pyrra records its generic constants as plain numbers.
            rule("pyrra_objective", "0.99", &[("slo", "api-errors")]),
            rule("pyrra_window", "2419200", &[("slo", "api-errors")]),
            rule(
                "pyrra_availability",
                "1 - sum(…) / sum(…)",
                &[("slo", "api-errors")],
            ),
            rule("unrelated:sum", "sum(up)", &[]),
        ];
        let found = from_rules(&rules, "prom");
        let [slo] = found.slos.as_slice() else {
            panic!("{found:?}")
        };
        assert_eq!(slo.service, "api");
        assert_eq!(slo.objective.target(), 99.0);
        assert_eq!(slo.objective.window(), Duration::days(28));
        assert_eq!(
            slo.indicator.ratio_query(Duration::minutes(5)).unwrap(),
            r#"http_requests:burnrate5m{slo="api-errors"}"#
        );
        assert_eq!(
            slo.indicator.ratio_query(Duration::days(28)).unwrap(),
            r#"1 - pyrra_availability{slo="api-errors"}"#
        );
        let alerts = slo.alerting.as_deref().unwrap();
        assert_eq!(
            (alerts[3].long, alerts[3].short),
            (Duration::days(4), Duration::hours(6))
        );
    }

    #[test]
    fn constants_are_read_from_simple_rules_only() {
        assert_eq!(constant("vector(0.999)"), Some(0.999));
        assert_eq!(constant(" 30 "), Some(30.0));
        assert_eq!(constant("sum(up)"), None);
        assert_eq!(percent(0.9990000000000001), 99.9);
    }
}
