//! The service dependency map as the shell prints it — an indented tree, Graphviz
//! `dot`, the JSON contract — with each service lit by the groups that name it.
//! Pure: it reads a board and returns text.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use crate::model::text::clean_line;
use crate::model::{Board, Edge, ServiceStatus};
use crate::triage::correlate::service_statuses;

/// The map with statuses: what every output is made from.
#[derive(Debug, Clone, PartialEq)]
pub struct Map {
    /// Sorted by name.
    pub services: Vec<(String, ServiceStatus)>,
    /// Sorted by caller, then callee.
    pub edges: Vec<Edge>,
}

impl Map {
    pub fn from_board(board: &Board) -> Map {
        let mut edges = board.graph.edges.clone();
        edges.sort_by(|a, b| a.from.cmp(&b.from).then_with(|| a.to.cmp(&b.to)));
        Map {
            services: service_statuses(board),
            edges,
        }
    }

    fn status(&self, name: &str) -> ServiceStatus {
        self.services
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, s)| *s)
            .unwrap_or(ServiceStatus::Unknown)
    }

    fn calls(&self) -> BTreeMap<&str, Vec<&Edge>> {
        let mut calls: BTreeMap<&str, Vec<&Edge>> = BTreeMap::new();
        for e in &self.edges {
            calls.entry(&e.from).or_default().push(e);
        }
        calls
    }

    /// Services nobody calls (the entry points), or, where every service is called
    /// (a cycle), the first by name.
    fn entry_points(&self) -> Vec<&str> {
        let called: BTreeSet<&str> = self.edges.iter().map(|e| e.to.as_str()).collect();
        let mut roots: Vec<&str> = self
            .services
            .iter()
            .map(|(n, _)| n.as_str())
            .filter(|n| !called.contains(n))
            .collect();
        if roots.is_empty() {
            roots.extend(self.services.first().map(|(n, _)| n.as_str()));
        }
        roots
    }
}

/// `{"services": [{name, status}], "edges": [{from, to, calls_per_s, error_ratio}]}`.
pub fn json(map: &Map) -> Value {
    json!({
        "services": map.services.iter().map(|(name, status)| json!({
            "name": name,
            "status": status,
        })).collect::<Vec<_>>(),
        "edges": map.edges.iter().map(|e| json!({
            "from": e.from,
            "to": e.to,
            "calls_per_s": e.calls_per_s,
            "error_ratio": e.error_ratio,
        })).collect::<Vec<_>>(),
    })
}

/// Graphviz: failing services red, degraded orange; edges labelled with their rate and
/// error ratio when known. `clops deps -o dot | dot -Tsvg > map.svg`.
pub fn dot(map: &Map) -> String {
    let mut out =
        String::from("digraph clops {\n  rankdir=TB;\n  node [shape=box, style=rounded];\n");
    for (name, status) in &map.services {
        let colour = match status {
            ServiceStatus::Failing => ", color=red, fontcolor=red, penwidth=2",
            ServiceStatus::Degraded => ", color=orange, fontcolor=orange",
            _ => "",
        };
        out.push_str(&format!(
            "  {} [label={}{colour}];\n",
            quote(name),
            quote(&format!("{name}\n{}", status_word(*status)))
        ));
    }
    for e in &map.edges {
        let label = edge_label(e);
        let attrs = if label.is_empty() {
            String::new()
        } else {
            format!(" [label={}]", quote(&label))
        };
        out.push_str(&format!(
            "  {} -> {}{attrs};\n",
            quote(&e.from),
            quote(&e.to)
        ));
    }
    out.push_str("}\n");
    out
}

/// The map as an indented tree from the entry points down, as `cargo tree` draws
/// one: a service already shown is marked `(*)` instead of repeated.
pub fn text(map: &Map) -> String {
    if map.services.is_empty() {
        return "no dependency map: configure a catalog, jaeger or prometheus service_graph source\n"
            .into();
    }
    let calls = map.calls();
    let mut out = String::new();
    let mut shown: BTreeSet<&str> = BTreeSet::new();
    let mut roots = map.entry_points();
    // Services only reachable through a cycle still get listed.
    loop {
        for root in std::mem::take(&mut roots) {
            if shown.contains(root) {
                continue;
            }
            out.push_str(&format!("{}\n", node(map, root, None)));
            shown.insert(root);
            tree(map, &calls, root, "", &mut shown, &mut out);
        }
        match map
            .services
            .iter()
            .map(|(n, _)| n.as_str())
            .find(|n| !shown.contains(n))
        {
            Some(left) => roots.push(left),
            None => break,
        }
    }
    out
}

fn tree<'a>(
    map: &'a Map,
    calls: &BTreeMap<&'a str, Vec<&'a Edge>>,
    from: &'a str,
    indent: &str,
    shown: &mut BTreeSet<&'a str>,
    out: &mut String,
) {
    let children = calls.get(from).cloned().unwrap_or_default();
    for (i, e) in children.iter().enumerate() {
        let last = i + 1 == children.len();
        let (branch, next) = if last {
            ("└── ", "    ")
        } else {
            ("├── ", "│   ")
        };
        let seen = !shown.insert(e.to.as_str());
        let mut line = node(map, &e.to, Some(e));
        if seen && calls.contains_key(e.to.as_str()) {
            line.push_str(" (*)");
        }
        out.push_str(&format!("{indent}{branch}{line}\n"));
        if !seen {
            tree(map, calls, &e.to, &format!("{indent}{next}"), shown, out);
        }
    }
}

/// `payments [failing] 12.0/s, 3.1% errors`
fn node(map: &Map, name: &str, via: Option<&Edge>) -> String {
    let status = map.status(name);
    let mut s = format!("{} [{}]", clean_line(name), status_word(status));
    if let Some(e) = via {
        let label = edge_label(e);
        if !label.is_empty() {
            s.push_str(&format!("  {label}"));
        }
    }
    s
}

/// "12.0/s, 3.1% errors", or what of it is known.
pub fn edge_label(e: &Edge) -> String {
    let mut parts = Vec::new();
    if let Some(rate) = e.calls_per_s {
        parts.push(format!("{rate:.1}/s"));
    }
    if let Some(ratio) = e.error_ratio {
        parts.push(format!("{:.1}% errors", ratio * 100.0));
    }
    parts.join(", ")
}

pub fn status_word(status: ServiceStatus) -> &'static str {
    match status {
        ServiceStatus::Failing => "failing",
        ServiceStatus::Degraded => "degraded",
        ServiceStatus::Ok => "ok",
        ServiceStatus::Unknown => "unknown",
    }
}

/// A Graphviz string: quotes and backslashes escaped, control characters gone.
fn quote(s: &str) -> String {
    let clean = crate::model::text::clean_text(s);
    format!(
        "\"{}\"",
        clean
            .replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\n', "\\n")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map() -> Map {
        let edge = |from: &str, to: &str, rate: Option<f64>, err: Option<f64>| Edge {
            from: from.into(),
            to: to.into(),
            calls_per_s: rate,
            error_ratio: err,
        };
        Map {
            services: vec![
                ("cart".into(), ServiceStatus::Ok),
                ("checkout".into(), ServiceStatus::Failing),
                ("frontend".into(), ServiceStatus::Degraded),
                ("payments".into(), ServiceStatus::Failing),
                ("payments-db".into(), ServiceStatus::Ok),
            ],
            edges: vec![
                edge("cart", "payments-db", None, None),
                edge("checkout", "cart", Some(4.0), Some(0.0)),
                edge("checkout", "payments", Some(10.0), Some(0.125)),
                edge("frontend", "cart", None, None),
                edge("frontend", "checkout", Some(12.5), None),
                edge("payments", "payments-db", None, None),
            ],
        }
    }

    #[test]
    fn text_is_a_tree_from_the_entry_points_with_repeats_marked() {
        assert_eq!(
            text(&map()),
            "frontend [degraded]\n\
             ├── cart [ok]\n\
             │   └── payments-db [ok]\n\
             └── checkout [failing]  12.5/s\n    \
                 ├── cart [ok]  4.0/s, 0.0% errors (*)\n    \
                 └── payments [failing]  10.0/s, 12.5% errors\n        \
                     └── payments-db [ok]\n"
        );
    }

    #[test]
    fn cycles_are_listed_once() {
        let m = Map {
            services: vec![
                ("a".into(), ServiceStatus::Ok),
                ("b".into(), ServiceStatus::Ok),
            ],
            edges: vec![
                Edge {
                    from: "a".into(),
                    to: "b".into(),
                    calls_per_s: None,
                    error_ratio: None,
                },
                Edge {
                    from: "b".into(),
                    to: "a".into(),
                    calls_per_s: None,
                    error_ratio: None,
                },
            ],
        };
        assert_eq!(text(&m), "a [ok]\n└── b [ok]\n    └── a [ok] (*)\n");
    }

    #[test]
    fn dot_colours_failing_services_and_escapes_names() {
        let d = dot(&map());
        assert!(d.starts_with("digraph clops {"));
        assert!(
            d.contains("\"payments\" [label=\"payments\\nfailing\", color=red"),
            "{d}"
        );
        assert!(
            d.contains("\"checkout\" -> \"payments\" [label=\"10.0/s, 12.5% errors\"];"),
            "{d}"
        );
        assert!(d.contains("\"cart\" -> \"payments-db\";"), "{d}");
        let odd = Map {
            services: vec![("a\"b\\c\u{1b}[31m".into(), ServiceStatus::Ok)],
            edges: vec![],
        };
        assert!(dot(&odd).contains("\"a\\\"b\\\\c\\nok\""), "{}", dot(&odd));
    }

    #[test]
    fn json_follows_the_contract() {
        let v = json(&map());
        assert_eq!(
            v["services"][1],
            json!({"name": "checkout", "status": "failing"})
        );
        assert_eq!(
            v["edges"][2],
            json!({"from": "checkout", "to": "payments", "calls_per_s": 10.0, "error_ratio": 0.125})
        );
        assert_eq!(v["edges"][0]["calls_per_s"], Value::Null);
    }
}
