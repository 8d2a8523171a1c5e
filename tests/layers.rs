//! The floors of the house: each top-level module imports only from floors below its
//! own (DESIGN.md, "Layers"). This reads every `crate::` path in `src/` and fails on one
//! that points sideways or up, so the shape survives the next change.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Bottom first. Modules on one floor do not import each other.
const FLOORS: &[&[&str]] = &[
    // text and time: sanitizing, widths, durations
    &["text"],
    // plain domain types; scrubbing tokens from text
    &["model", "redact"],
    // layered config
    &["config"],
    // what the environment says and does: tokens, who is typing, where logs go, commands
    // run in their own process group
    &["secrets", "author", "logging", "process"],
    // backends behind small traits; pure triage; pure SLO math, specs and imports
    &["sources", "triage", "slo"],
    // tables for people: the one-shot alerts table, the dependency map drawn from
    // triage's view
    &["report", "deps"],
    // typed JSON contracts
    &["output"],
    // the incident store and export
    &["incident"],
    // runbooks: parse, match, run (steps are recorded in incidents)
    &["runbook"],
    // tasks and threads that keep data fresh and carry out what the console asks:
    // the board worker, the SLO poller, the incident store's worker, the effect
    // executor, the step runner
    &["live"],
    // the CLI's words, the console, and the one-shot commands (which start the console)
    &["cli"],
    &["tui"],
    &["commands"],
];

fn floor(module: &str) -> Option<usize> {
    FLOORS.iter().position(|f| f.contains(&module))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to (`src/tui/app.rs` → `tui`).
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

/// The code of a line, without its comment (good enough for `use` lines and paths).
fn code(line: &str) -> &str {
    let t = line.trim_start();
    if t.starts_with("//") {
        return "";
    }
    match line.find("//") {
        Some(i) if !line[..i].contains('"') => &line[..i],
        _ => line,
    }
}

fn ident(s: &str) -> String {
    s.chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// Top-level modules named by `crate::…` paths in `text`, including grouped uses
/// (`use crate::{a::{B, C}, d}` across lines), each with the line it is on.
fn imports(text: &str) -> Vec<(usize, String)> {
    // The code without comments, and the line each byte is on.
    let mut body = String::new();
    let mut lines = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let c = code(line);
        body.push_str(c);
        body.push('\n');
        lines.extend(std::iter::repeat_n(n + 1, c.len() + 1));
    }
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = body[from..].find("crate::").map(|i| i + from) {
        from = i + "crate::".len();
        let before = &body[..i];
        // `$crate::` in macros and `other_crate::` are not ours.
        if before.ends_with('$') || before.ends_with(|c: char| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let after = &body[from..];
        if !after.starts_with('{') {
            out.push((lines[i], ident(after)));
            continue;
        }
        // A group: the first segment of every item at the group's own depth.
        let mut depth = 0;
        let mut item_start = true;
        for (k, c) in after.char_indices() {
            match c {
                '{' => {
                    depth += 1;
                    item_start = depth == 1;
                }
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                ',' if depth == 1 => item_start = true,
                c if item_start && (c.is_alphanumeric() || c == '_') => {
                    let seg = ident(&after[k..]);
                    if seg != "self" {
                        out.push((lines[from + k], seg));
                    }
                    item_start = false;
                }
                _ => {}
            }
        }
    }
    out
}

#[test]
fn every_import_points_down() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut wrong: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut unplaced = Vec::new();
    for file in &files {
        let module = module_of(&src, file);
        // The binary's entry point and the crate root stand above every floor.
        if module == "main" || module == "lib" {
            continue;
        }
        let Some(own) = floor(&module) else {
            unplaced.push(module);
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        for (line, target) in imports(&text) {
            if target == module {
                continue;
            }
            let rel = file.strip_prefix(&src).unwrap().display().to_string();
            match floor(&target) {
                Some(f) if f < own => {}
                Some(_) => wrong
                    .entry(format!("{module} → {target}"))
                    .or_default()
                    .push(format!("src/{rel}:{line}")),
                None => unplaced.push(target),
            }
        }
    }
    unplaced.sort();
    unplaced.dedup();
    assert!(
        unplaced.is_empty(),
        "modules on no floor (add them to FLOORS in tests/layers.rs and DESIGN.md): {unplaced:?}"
    );
    let report: Vec<String> = wrong
        .iter()
        .map(|(edge, at)| format!("{edge}: {}", at.join(", ")))
        .collect();
    assert!(
        report.is_empty(),
        "imports against the floors (each module imports only from floors below it):\n{}",
        report.join("\n")
    );
}

#[test]
fn the_reader_sees_grouped_and_inline_paths() {
    let text = "use crate::{model::{Alert, Board}, text};\nfn f() { crate::config::load(); }\n\
                // crate::tui in a comment\nuse crate::{\n    sources::Source,\n    triage,\n};\n\
                macro_rules! m { () => { $crate::x } }\n";
    let found: Vec<String> = imports(text).into_iter().map(|(_, m)| m).collect();
    assert_eq!(
        found,
        ["model", "text", "config", "sources", "triage"],
        "{found:?}"
    );
}
