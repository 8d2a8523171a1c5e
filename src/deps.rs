//! The service dependency map as the shell prints it — an indented tree, Graphviz
//! `dot` (the JSON contract is `output::DepsJson`) — with each service lit by the groups
//! that name it.
//! Pure: it reads a board and returns text.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Board, Edge, ServiceStatus};
use crate::text::clean_line;
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
    let clean = crate::text::clean_text(s);
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
}

/// What a cell of the drawn map shows, for the view to colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ink {
    Blank,
    /// A line of an edge; `hot` when its error ratio is high or it is in the blast
    /// radius.
    Edge {
        hot: bool,
    },
    /// A service's name (index into [`Drawing::services`]).
    Service(usize),
}

/// The map laid out in layers, callers left of what they call, each service on a
/// row of its own so no line crosses a name.
#[derive(Debug, Clone, PartialEq)]
pub struct Drawing {
    /// Row by row: the text and what each character is.
    pub rows: Vec<Vec<(char, Ink)>>,
    /// Services in row order.
    pub services: Vec<String>,
}

/// An edge is drawn hot from this error ratio up.
pub const HOT_ERROR_RATIO: f64 = 0.05;

/// Lays `map` out: layer = the longest chain of callers above a service; rows ordered
/// by layer, then near the callers; edges routed in the gap before their callee's
/// layer, one vertical track per callee. `hot` edges (their callee in `hot`, or their
/// errors high) are marked.
pub fn draw(map: &Map, hot: &BTreeSet<String>) -> Drawing {
    let names: Vec<&str> = map.services.iter().map(|(n, _)| n.as_str()).collect();
    let index: BTreeMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let edges: Vec<(usize, usize, &Edge)> = map
        .edges
        .iter()
        .filter_map(|e| Some((*index.get(e.from.as_str())?, *index.get(e.to.as_str())?, e)))
        .filter(|(a, b, _)| a != b)
        .collect();
    // Longest-path layers; a cycle stops growing after as many rounds as services.
    let mut layer = vec![0usize; names.len()];
    for _ in 0..names.len() {
        let mut changed = false;
        for &(a, b, _) in &edges {
            if layer[b] < layer[a] + 1 && layer[a] + 1 < names.len() {
                layer[b] = layer[a] + 1;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    // Edges that go back up (cycles) are drawn as if reversed: still one line.
    let layers = layer.iter().max().map_or(0, |m| m + 1);
    // Rows: by layer, then by the mean row of callers (barycentre), then name.
    let mut row_of = vec![0usize; names.len()];
    let mut order: Vec<usize> = Vec::new();
    for l in 0..layers {
        let mut members: Vec<(f64, usize)> = (0..names.len())
            .filter(|&i| layer[i] == l)
            .map(|i| {
                let callers: Vec<usize> = edges
                    .iter()
                    .filter(|(_, b, _)| *b == i)
                    .filter(|(a, _, _)| layer[*a] < l)
                    .map(|(a, _, _)| row_of[*a])
                    .collect();
                let centre = if callers.is_empty() {
                    f64::MAX
                } else {
                    callers.iter().sum::<usize>() as f64 / callers.len() as f64
                };
                (centre, i)
            })
            .collect();
        members.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| names[a.1].cmp(names[b.1])));
        for (_, i) in members {
            row_of[i] = order.len();
            order.push(i);
        }
    }
    // Columns: each layer as wide as its longest label, then a gap holding one track
    // per callee of the next layer.
    let label = |i: usize| format!("{} ", names[i]);
    let mut col = vec![0usize; layers + 1];
    let mut tracks: BTreeMap<usize, usize> = BTreeMap::new(); // callee → x of its track
    for l in 0..layers {
        let width = (0..names.len())
            .filter(|&i| layer[i] == l)
            .map(|i| label(i).chars().count())
            .max()
            .unwrap_or(0);
        let callees: BTreeSet<usize> = edges
            .iter()
            .map(|(a, b, _)| if layer[*b] > layer[*a] { *b } else { *a })
            .filter(|&b| layer[b] == l + 1)
            .collect();
        let gap_start = col[l] + width;
        // Callees in row order get tracks left to right.
        let mut sorted: Vec<usize> = callees.into_iter().collect();
        sorted.sort_by_key(|&b| row_of[b]);
        for (k, b) in sorted.iter().enumerate() {
            tracks.insert(*b, gap_start + 1 + k);
        }
        col[l + 1] = gap_start + sorted.len() + 3;
    }
    let width = col[layers].max(1);
    let height = names.len();
    const U: u8 = 1;
    const D: u8 = 2;
    const L: u8 = 4;
    const R: u8 = 8;
    let mut bits = vec![vec![0u8; width]; height];
    let mut heat = vec![vec![false; width]; height];
    let mut arrows: Vec<(usize, usize, bool)> = Vec::new();
    for &(a, b, e) in &edges {
        // Drawn downwards in layers: from the caller, or the callee of a back edge.
        let (a, b) = if layer[b] > layer[a] { (a, b) } else { (b, a) };
        let is_hot = hot.contains(names[b]) && hot.contains(names[a])
            || e.error_ratio.is_some_and(|r| r >= HOT_ERROR_RATIO);
        let (ra, rb) = (row_of[a], row_of[b]);
        let x0 = col[layer[a]] + label(a).chars().count();
        let x = tracks[&b];
        let x1 = col[layer[b]].saturating_sub(1);
        let mut mark = |r: usize, c: usize, m: u8| {
            bits[r][c] |= m;
            heat[r][c] |= is_hot;
        };
        // Along the caller's row to the track.
        for c in x0..x {
            mark(ra, c, L | R);
        }
        mark(ra, x, L);
        // Down (or up) the track to the callee's row.
        let (top, bottom) = (ra.min(rb), ra.max(rb));
        mark(top, x, D);
        for r in top + 1..bottom {
            mark(r, x, U | D);
        }
        mark(bottom, x, U);
        // Along the callee's row to its name.
        mark(rb, x, R);
        for c in x + 1..x1 {
            mark(rb, c, L | R);
        }
        arrows.push((rb, x1, is_hot));
    }
    let mut rows: Vec<Vec<(char, Ink)>> = (0..height)
        .map(|r| {
            (0..width)
                .map(|c| match bits[r][c] {
                    0 => (' ', Ink::Blank),
                    m => (box_char(m), Ink::Edge { hot: heat[r][c] }),
                })
                .collect()
        })
        .collect();
    for (r, c, is_hot) in arrows {
        rows[r][c] = ('▶', Ink::Edge { hot: is_hot });
    }
    for (i, &r) in row_of.iter().enumerate() {
        for (k, ch) in names[i].chars().enumerate() {
            if let Some(cell) = rows[r].get_mut(col[layer[i]] + k) {
                *cell = (ch, Ink::Service(r));
            }
        }
    }
    for row in &mut rows {
        while row.last().is_some_and(|(c, _)| *c == ' ') {
            row.pop();
        }
    }
    Drawing {
        rows,
        services: order.iter().map(|&i| names[i].to_string()).collect(),
    }
}

fn box_char(m: u8) -> char {
    const U: u8 = 1;
    const D: u8 = 2;
    const L: u8 = 4;
    const R: u8 = 8;
    match m {
        x if x == L | R || x == L || x == R => '─',
        x if x == U | D || x == U || x == D => '│',
        x if x == D | R => '┌',
        x if x == D | L => '┐',
        x if x == U | R => '└',
        x if x == U | L => '┘',
        x if x == U | D | R => '├',
        x if x == U | D | L => '┤',
        x if x == L | R | D => '┬',
        x if x == L | R | U => '┴',
        _ => '┼',
    }
}

/// `service`, every service that calls it (directly or further up) and everything it
/// depends on: the part of the map a responder looking at it needs.
pub fn around(map: &Map, service: &str) -> Map {
    let mut keep: BTreeSet<&str> = BTreeSet::new();
    for (up, down) in [(true, false), (false, true)] {
        let mut todo = vec![service];
        while let Some(s) = todo.pop() {
            if !keep.insert(s) && s != service {
                continue;
            }
            for e in &map.edges {
                if up && e.to == s && !keep.contains(e.from.as_str()) {
                    todo.push(&e.from);
                }
                if down && e.from == s && !keep.contains(e.to.as_str()) {
                    todo.push(&e.to);
                }
            }
        }
    }
    Map {
        services: map
            .services
            .iter()
            .filter(|(n, _)| keep.contains(n.as_str()))
            .cloned()
            .collect(),
        edges: map
            .edges
            .iter()
            .filter(|e| keep.contains(e.from.as_str()) && keep.contains(e.to.as_str()))
            .cloned()
            .collect(),
    }
}

/// What breaks when `services` fail: they and everything that calls them, directly
/// or further up.
pub fn blast_radius(map: &Map, services: &[String]) -> BTreeSet<String> {
    let mut hit: BTreeSet<String> = BTreeSet::new();
    let mut todo: Vec<&str> = services.iter().map(String::as_str).collect();
    while let Some(s) = todo.pop() {
        if hit.insert(s.to_string()) {
            todo.extend(
                map.edges
                    .iter()
                    .filter(|e| e.to == s)
                    .map(|e| e.from.as_str()),
            );
        }
    }
    hit
}

#[cfg(test)]
mod drawing_tests {
    use super::*;

    fn small() -> Map {
        let edge = |from: &str, to: &str, err: Option<f64>| Edge {
            from: from.into(),
            to: to.into(),
            calls_per_s: None,
            error_ratio: err,
        };
        Map {
            services: ["cart", "checkout", "frontend", "payments"]
                .iter()
                .map(|n| (n.to_string(), ServiceStatus::Ok))
                .collect(),
            edges: vec![
                edge("frontend", "checkout", None),
                edge("frontend", "cart", None),
                edge("checkout", "payments", Some(0.2)),
                edge("checkout", "cart", None),
            ],
        }
    }

    fn text_of(d: &Drawing) -> String {
        d.rows
            .iter()
            .map(|r| r.iter().map(|(c, _)| *c).collect::<String>() + "\n")
            .collect()
    }

    #[test]
    fn layers_run_left_to_right_with_one_service_per_row() {
        let d = draw(&small(), &BTreeSet::new());
        assert_eq!(
            text_of(&d),
            concat!(
                "frontend ─┬────────────┐\n",
                "          └─▶checkout ─┼┐\n",
                "                       └┼─▶cart\n",
                "                        └─▶payments\n",
            )
        );
        assert_eq!(d.services, ["frontend", "checkout", "cart", "payments"]);
        // The line into payments carries 20% errors: hot all the way.
        let arrow = d.rows[3].iter().position(|(c, _)| *c == '▶').unwrap();
        assert_eq!(d.rows[3][arrow].1, Ink::Edge { hot: true });
        assert_eq!(d.rows[2][27].1, Ink::Service(2));
        let cold = d.rows[1].iter().position(|(c, _)| *c == '▶').unwrap();
        assert_eq!(d.rows[1][cold].1, Ink::Edge { hot: false });
    }

    #[test]
    fn focusing_keeps_callers_above_and_dependencies_below() {
        let m = around(&small(), "checkout");
        let names: Vec<&str> = m.services.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["cart", "checkout", "frontend", "payments"]);
        let m = around(&small(), "payments");
        let names: Vec<&str> = m.services.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            ["checkout", "frontend", "payments"],
            "cart is a sibling, not on the path"
        );
        assert_eq!(
            blast_radius(&small(), &["payments".into()]),
            ["checkout", "frontend", "payments"]
                .iter()
                .map(|s| s.to_string())
                .collect()
        );
    }

    #[test]
    fn cycles_and_unknown_ends_still_draw() {
        let mut m = small();
        m.edges.push(Edge {
            from: "payments".into(),
            to: "frontend".into(),
            calls_per_s: None,
            error_ratio: None,
        });
        m.edges.push(Edge {
            from: "cart".into(),
            to: "not-on-the-map".into(),
            calls_per_s: None,
            error_ratio: None,
        });
        let d = draw(&m, &BTreeSet::new());
        assert_eq!(d.services.len(), 4);
        assert!(d.rows.iter().all(|r| !r.is_empty()));
    }
}
