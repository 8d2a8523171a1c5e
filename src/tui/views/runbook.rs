//! Runbooks on screen: the picker, and the open runbook with its steps, the selected
//! step's command and the output of what ran.

use ratatui::Frame;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::process;
use crate::runbook::alert_words;
use crate::runbook::visible::{self, Piece};
use crate::text::time;
use crate::text::{clean_line, fit, pad};
use crate::tui::app::State;
use crate::tui::keymap::{Action, KeyCombo, Mode as KeyMode};
use crate::tui::runbooks::{Entry, Run, StepStatus, entries, selected_root};
use crate::tui::theme::Theme;

use super::overlays::{between_bars, boxed, draw_box};

/// The picker: runbooks serving the selection first, the alert's `runbook_url`, the
/// rest; narrowed by what is typed.
pub fn picker(state: &State, theme: &Theme, frame: &mut Frame, input: &str, selected: usize) {
    let found = entries(state, input);
    let root_name = selected_root(state);
    let shown = found.len().clamp(1, 12);
    let area = boxed(frame.area(), 96, shown as u16 + 6, true);
    let width = usize::from(area.width.saturating_sub(2));
    let mut lines = vec![Line::from(vec![
        Span::styled(" > ", theme.accent),
        Span::styled(format!("{}▏", clean_line(input)), theme.text),
    ])];
    if found.is_empty() {
        let why = if state.runbooks.library.runbooks.is_empty() {
            " No runbooks: add Markdown files to the [runbooks] dirs (clops runbook list)"
        } else {
            " Nothing matches"
        };
        lines.push(Line::from(Span::styled(why, theme.muted)));
    }
    // Keep the selection in view.
    let skip = selected.saturating_sub(shown - 1);
    let name_w = state
        .runbooks
        .library
        .runbooks
        .iter()
        .map(|r| r.name.chars().count())
        .max()
        .unwrap_or(0)
        .min(28);
    for (i, entry) in found.iter().enumerate().skip(skip).take(shown) {
        let (text, note) = match entry {
            Entry::Serving { name, alerts, root } => (
                format!("{}  {}", pad(name, name_w), title_of(state, name)),
                match (root, &root_name) {
                    (true, Some(r)) => format!(
                        "for the root {} · serves {}",
                        clean_line(r),
                        crate::text::plural(*alerts, "alert")
                    ),
                    _ => format!("serves {}", crate::text::plural(*alerts, "alert")),
                },
            ),
            Entry::Url(url) => {
                let open = state.keymap.key_in(KeyMode::Runbooks, Action::Open);
                let what = if crate::runbook::remote::is_markdown_url(url) {
                    format!("runbook_url: {open} fetches it")
                } else {
                    format!("runbook_url: {open} copies it")
                };
                (url.clone(), what)
            }
            Entry::Other(name) => (
                format!("{}  {}", pad(name, name_w), title_of(state, name)),
                String::new(),
            ),
        };
        let note_w = note.chars().count();
        let row = format!(
            " {} {}  {note}",
            if i == selected { "▸" } else { " " },
            pad(
                &fit(&text, width.saturating_sub(note_w + 5)),
                width.saturating_sub(note_w + 5)
            ),
        );
        let style = if i == selected {
            theme.selection
        } else if matches!(entry, Entry::Serving { .. }) {
            theme.text
        } else {
            theme.muted
        };
        lines.push(Line::from(Span::styled(fit(&row, width), style)));
    }
    lines.push(Line::default());
    let key = |a: Action| state.keymap.key_in(KeyMode::Runbooks, a);
    lines.push(Line::from(Span::styled(
        format!(
            " {} open · {}/{} move · type to search · {} close",
            key(Action::Open),
            arrow(state, KeyMode::Runbooks, Action::Up),
            arrow(state, KeyMode::Runbooks, Action::Down),
            key(Action::Back)
        ),
        theme.muted,
    )));
    draw_box(
        frame,
        area,
        theme,
        " Runbooks ",
        theme.border_focus,
        Paragraph::new(lines),
    );
}

/// The first key of `action`, an arrow drawn as one.
fn arrow(state: &State, mode: KeyMode, action: Action) -> String {
    match state.keymap.keys_in(mode, action).first() {
        Some(KeyCombo {
            code: crossterm::event::KeyCode::Up,
            ctrl: false,
            alt: false,
        }) => "↑".into(),
        Some(KeyCombo {
            code: crossterm::event::KeyCode::Down,
            ctrl: false,
            alt: false,
        }) => "↓".into(),
        _ => state.keymap.key_in(mode, action),
    }
}

fn title_of(state: &State, name: &str) -> String {
    state
        .runbooks
        .library
        .get(name)
        .map(|r| clean_line(&r.title))
        .unwrap_or_default()
}

/// The open runbook over the panes, between the status bar and the footer.
pub fn run(state: &State, theme: &Theme, frame: &mut Frame) {
    let Some(run) = &state.runbooks.run else {
        return;
    };
    let area = between_bars(frame.area());
    let width = usize::from(area.width.saturating_sub(2));
    let rows = usize::from(area.height.saturating_sub(2));
    let lines = if let Some(at) = run.picking {
        picking_lines(state, run, theme, width, at)
    } else if run.confirming.is_some() {
        confirm_lines(state, run, theme, width, rows)
    } else {
        run_lines(state, run, theme, width, rows)
    };
    draw_box(
        frame,
        area,
        theme,
        " Runbook ",
        theme.border_focus,
        Paragraph::new(lines),
    );
}

fn run_lines<'a>(
    state: &State,
    run: &'a Run,
    theme: &Theme,
    width: usize,
    rows: usize,
) -> Vec<Line<'a>> {
    let rb = &run.runbook;
    let recording = match &state.incidents.active {
        Some(id) => format!("recording to {id}"),
        None => "recording to the run log".into(),
    };
    let mut lines = header(state, run, theme, width);
    lines.push(Line::from(Span::styled(
        fit(&format!(" {recording}"), width),
        theme.muted,
    )));
    // The steps: a window around the selection when they do not all fit.
    let room = (rows / 3).max(3).min(rb.steps.len());
    let first = run.selected.saturating_sub(room.saturating_sub(1));
    let title_w = rb
        .steps
        .iter()
        .map(|s| s.title.chars().count())
        .max()
        .unwrap_or(0)
        .min(width / 2);
    for (i, step) in rb.steps.iter().enumerate().skip(first).take(room) {
        let (mark, state_text, style) = match &run.steps[i] {
            StepStatus::Pending if step.command.is_some() => {
                ("○", "runs a command".to_string(), theme.text)
            }
            StepStatus::Pending => ("☐", "by hand".to_string(), theme.text),
            StepStatus::Running => ("▶", "running…".to_string(), theme.accent),
            // A summary can quote the system's reason a command could not start.
            StepStatus::Done { ok: true, summary } => ("✓", clean_line(summary), theme.ok),
            StepStatus::Done { ok: false, summary } => ("✗", clean_line(summary), theme.error),
            StepStatus::Ticked => ("☑", "ticked".to_string(), theme.ok),
        };
        let row = format!(
            "{} {mark} {:>2} {}  {state_text}",
            if i == run.selected { "▸" } else { " " },
            i + 1,
            pad(&fit(&clean_line(&step.title), title_w), title_w),
        );
        let style = if i == run.selected {
            theme.selection
        } else {
            style
        };
        lines.push(Line::from(Span::styled(fit(&row, width), style)));
    }
    lines.push(Line::from(Span::styled("─".repeat(width), theme.border)));
    if let Some(step) = rb.steps.get(run.selected) {
        let mut head = format!(" Step {} · {}", run.selected + 1, clean_line(&step.title));
        if step.command.is_some() {
            head.push_str(&format!(
                " · timeout {}",
                time::Style::Config.format(rb.timeout_of(step))
            ));
        }
        lines.push(Line::from(Span::styled(fit(&head, width), theme.title)));
        for text in step.text.iter().filter(|t| !t.trim().is_empty()).take(3) {
            lines.push(Line::from(Span::styled(
                fit(&format!(" {}", clean_line(text)), width),
                theme.muted,
            )));
        }
        // The command is shown whole, wrapped, never cut, nothing hidden.
        if let Some(command) = &step.command {
            lines.extend(command_lines(command, theme, width));
        }
        let ticked = run.steps[run.selected] == StepStatus::Ticked;
        for item in &step.checklist {
            let mark = if ticked { "[x]" } else { "[ ]" };
            lines.push(Line::from(Span::styled(
                fit(&format!(" {mark} {}", clean_line(item)), width),
                theme.text,
            )));
        }
    }
    // What the step printed: the newest lines that fit above the prompt and hints.
    let output = run
        .output
        .get(run.selected)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let tail_rows = rows.saturating_sub(lines.len() + 3);
    if !output.is_empty() && tail_rows > 0 {
        lines.push(Line::from(Span::styled("─".repeat(width), theme.border)));
        let skip = output.len().saturating_sub(tail_rows.saturating_sub(1));
        for line in &output[skip..] {
            lines.push(Line::from(Span::styled(
                fit(&format!(" {}", clean_line(line)), width),
                theme.text,
            )));
        }
    }
    while lines.len() + 2 < rows {
        lines.push(Line::default());
    }
    lines.push(Line::default());
    let key = |a: Action| state.keymap.key_in(KeyMode::Runbook, a);
    let moves = format!("{}/{} move", key(Action::Down), key(Action::Up));
    let hints = if run.running.is_some() {
        format!(
            " {} stop the running step (and all it started) · {moves} · {} hide",
            key(Action::Stop),
            key(Action::Back)
        )
    } else {
        let target = if run.candidates.len() > 1 {
            format!("{} target · ", key(Action::Target))
        } else {
            String::new()
        };
        format!(
            " {} run or tick · {} tick · {target}{moves} · {} close",
            key(Action::Run),
            key(Action::Tick),
            key(Action::Back)
        )
    };
    lines.push(Line::from(Span::styled(fit(&hints, width), theme.muted)));
    lines
}

/// The runbook's title, name and source, and its target.
fn header<'a>(state: &State, run: &Run, theme: &Theme, width: usize) -> Vec<Line<'a>> {
    let rb = &run.runbook;
    let service_label = &state.triage.service_label;
    let target = match &run.target {
        Some(t) => format!(
            " for {}{} · {}",
            alert_words(&t.alert, service_label),
            if t.resolved { " (resolved)" } else { "" },
            t.why
        ),
        None if run.picking.is_some() => " for: pick the alert below".to_string(),
        None => " for no alert: the steps get no labels".to_string(),
    };
    vec![
        Line::from(Span::styled(
            fit(&format!(" {} ", clean_line(&rb.title)), width),
            theme.title,
        )),
        Line::from(Span::styled(
            fit(
                &format!(" {} · {}", rb.name, visible::plain_line(&rb.source())),
                width,
            ),
            theme.muted,
        )),
        Line::from(Span::styled(fit(&target, width), theme.text)),
    ]
}

/// `$ command`, each line wrapped to `width`, markers in the warning style.
fn command_lines<'a>(command: &str, theme: &Theme, width: usize) -> Vec<Line<'a>> {
    let mut out = Vec::new();
    for line in visible::lines(command) {
        for (n, row) in visible::wrap(&line, width.saturating_sub(3))
            .into_iter()
            .enumerate()
        {
            let lead = if n == 0 { " $ " } else { "   " };
            out.push(pieces_line(
                lead,
                row,
                theme.accent,
                theme.text,
                theme.warning,
            ));
        }
    }
    out
}

fn pieces_line<'a>(
    lead: &str,
    pieces: Vec<Piece>,
    lead_style: Style,
    text: Style,
    marker: Style,
) -> Line<'a> {
    let mut spans = vec![Span::styled(lead.to_string(), lead_style)];
    spans.extend(pieces.into_iter().map(|p| {
        let style = if p.marker { marker } else { text };
        Span::styled(p.text, style)
    }));
    Line::from(spans)
}

/// `text` wrapped between words to `width` with `lead` before the first row and as
/// many spaces before the others; nothing hidden.
fn wrapped<'a>(lead: &str, text: &str, style: Style, theme: &Theme, width: usize) -> Vec<Line<'a>> {
    let indent = " ".repeat(lead.chars().count());
    visible::wrap_words(&visible::line(text), width.saturating_sub(indent.len()))
        .into_iter()
        .enumerate()
        .map(|(n, row)| {
            let lead = if n == 0 { lead } else { indent.as_str() };
            pieces_line(lead, row, style, style, theme.warning)
        })
        .collect()
}

/// Picking the target: the candidate alerts, with the values of theirs that differ.
fn picking_lines<'a>(
    state: &State,
    run: &Run,
    theme: &Theme,
    width: usize,
    at: usize,
) -> Vec<Line<'a>> {
    let mut lines = header(state, run, theme, width);
    lines.push(Line::from(Span::styled("─".repeat(width), theme.border)));
    lines.push(Line::from(Span::styled(
        fit(
            " Which alert is this run for? These differ in what the steps read:",
            width,
        ),
        theme.title,
    )));
    let service_label = &state.triage.service_label;
    let vars = run.runbook.label_vars();
    let value = |a: &crate::model::Alert, var: &str| {
        crate::runbook::step_env(a.matched_labels().iter(), None)
            .into_iter()
            .find(|(k, _)| k == var)
            .map(|(_, v)| v)
    };
    let differing: Vec<&String> = vars
        .iter()
        .filter(|v| {
            let first = run.candidates.first().map(|a| value(a, v));
            run.candidates.iter().any(|a| Some(value(a, v)) != first)
        })
        .collect();
    let values: Vec<String> = run
        .candidates
        .iter()
        .map(|alert| {
            differing
                .iter()
                .map(|v| {
                    let label = crate::runbook::vars::label_of(v).unwrap_or_default();
                    match value(alert, v) {
                        Some(x) if !x.is_empty() => {
                            format!("{label}={}", visible::plain_line(&x))
                        }
                        _ => format!("{label} not set"),
                    }
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    let values_w = values.iter().map(|v| v.chars().count()).max().unwrap_or(0);
    for (i, (alert, values)) in run.candidates.iter().zip(&values).enumerate() {
        let mark = if i == at { "▸" } else { " " };
        let row = format!(
            " {mark} {}  {}",
            pad(values, values_w),
            alert_words(alert, service_label)
        );
        let style = if i == at { theme.selection } else { theme.text };
        lines.extend(wrapped("", &row, style, theme, width));
    }
    lines.push(Line::default());
    let key = |a: Action| state.keymap.key_in(KeyMode::RunbookTarget, a);
    lines.push(Line::from(Span::styled(
        fit(
            &format!(
                " {} picks · {}/{} move · {} closes",
                key(Action::Choose),
                key(Action::Down),
                key(Action::Up),
                key(Action::Back)
            ),
            width,
        ),
        theme.muted,
    )));
    lines
}

/// The confirmation's scrolled part, whole: target, source, warnings, the command and
/// every value the step gets.
fn confirm_body<'a>(state: &State, run: &Run, theme: &Theme, width: usize) -> Vec<Line<'a>> {
    let rb = &run.runbook;
    let Some(confirm) = &run.confirming else {
        return Vec::new();
    };
    let Some(step) = rb.steps.get(confirm.step) else {
        return Vec::new();
    };
    let incident = state.incidents.active.as_deref();
    let service_label = &state.triage.service_label;
    let mut out: Vec<Line<'a>> = Vec::new();
    match &run.target {
        Some(t) => {
            let state_word = if t.resolved {
                "resolved".to_string()
            } else {
                t.alert.state.as_str().to_string()
            };
            out.extend(wrapped(
                " target  ",
                &format!("{} ({state_word})", alert_words(&t.alert, service_label)),
                theme.text,
                theme,
                width,
            ));
            out.extend(wrapped(
                "         ",
                &format!(
                    "1 alert of the {} selected: {} · fingerprint {}",
                    run.selected_alerts.max(1),
                    t.why,
                    t.alert.fingerprint
                ),
                theme.muted,
                theme,
                width,
            ));
            if !rb.matchers.is_empty() && !rb.serves(t.alert.matched_labels()) {
                out.extend(wrapped(
                    "         ",
                    &format!("this runbook serves {}: not this alert", rb.match_text()),
                    theme.warning,
                    theme,
                    width,
                ));
            }
        }
        None => out.extend(wrapped(
            " target  ",
            "no alert: the step gets no labels",
            theme.warning,
            theme,
            width,
        )),
    }
    out.extend(wrapped(" from    ", &rb.source(), theme.text, theme, width));
    if let Some(news) = &confirm.news {
        out.extend(wrapped(" ⚠ changed: ", news, theme.warning, theme, width));
    }
    // What the news said already is not said twice.
    for warning in run.warnings(confirm.step, incident) {
        if confirm
            .news
            .as_deref()
            .is_some_and(|n| n.contains(&warning))
        {
            continue;
        }
        out.extend(wrapped(" ⚠ ", &warning, theme.warning, theme, width));
    }
    if let Some(command) = &step.command {
        let n = command.split('\n').count();
        out.push(Line::from(Span::styled(
            fit(
                &format!(
                    " runs with sh -c, exactly this ({}):",
                    crate::text::plural(n, "line")
                ),
                width,
            ),
            theme.title,
        )));
        out.extend(command_lines(command, theme, width));
    }
    out.push(Line::from(Span::styled(
        fit(" with this environment, nothing else of yours:", width),
        theme.title,
    )));
    let env = run.env(incident);
    for (k, v) in &env {
        out.extend(wrapped(&format!("   {k}="), v, theme.text, theme, width));
    }
    if incident.is_none() {
        out.extend(wrapped(
            "   ",
            "CLOPS_INCIDENT not set: no active incident",
            theme.muted,
            theme,
            width,
        ));
    }
    match &rb.dir {
        Some(dir) => out.extend(wrapped(
            "   CLOPS_RUNBOOK_DIR=",
            &dir.display().to_string(),
            theme.text,
            theme,
            width,
        )),
        None => out.extend(wrapped(
            "   ",
            "CLOPS_RUNBOOK_DIR not set: the runbook is not a file here",
            theme.muted,
            theme,
            width,
        )),
    }
    let mut passed = process::INHERITED.join(", ");
    if !rb.env.is_empty() {
        passed.push_str(&format!(
            "; {} (declared by the runbook)",
            rb.env.join(", ")
        ));
    }
    out.extend(wrapped(
        "   from yours, where set: ",
        &passed,
        theme.muted,
        theme,
        width,
    ));
    out
}

/// Rows the confirmation's scrolled part has on screen at the console's size.
fn confirm_room(state: &State) -> usize {
    let area = between_bars(ratatui::layout::Rect::new(0, 0, state.width, state.height));
    // Inside the border: the title row above, the prompt and hints below.
    usize::from(area.height.saturating_sub(2)).saturating_sub(3)
}

/// How far the open confirmation can scroll before its last line leaves the screen.
pub fn confirm_scroll_limit(state: &State) -> u16 {
    let Some(run) = &state.runbooks.run else {
        return 0;
    };
    let width = usize::from(state.width.saturating_sub(2));
    let total = confirm_body(state, run, &Theme::default(), width).len();
    total.saturating_sub(confirm_room(state)) as u16
}

/// A step's confirmation: its title, the scrolled body, the question.
fn confirm_lines<'a>(
    state: &State,
    run: &Run,
    theme: &Theme,
    width: usize,
    rows: usize,
) -> Vec<Line<'a>> {
    let Some(confirm) = &run.confirming else {
        return Vec::new();
    };
    let step = &run.runbook.steps[confirm.step];
    let n = confirm.step + 1;
    let title = clean_line(&step.title);
    let mut lines = vec![Line::from(Span::styled(
        fit(
            &format!(
                " Run step {n} of {} \"{title}\" of {} · timeout {}",
                run.runbook.steps.len(),
                run.runbook.name,
                time::Style::Config.format(run.runbook.timeout_of(step))
            ),
            width,
        ),
        theme.title,
    ))];
    let body = confirm_body(state, run, theme, width);
    let room = rows.saturating_sub(3);
    let total = body.len();
    let first = usize::from(confirm.scroll).min(total.saturating_sub(room));
    lines.extend(body.into_iter().skip(first).take(room));
    while lines.len() + 2 < rows {
        lines.push(Line::default());
    }
    let warnings = run.warnings(confirm.step, state.incidents.active.as_deref());
    let key = |a: Action| state.keymap.key_in(KeyMode::RunbookConfirm, a);
    let (yes, force, no) = (key(Action::Yes), key(Action::Force), key(Action::No));
    let (question, style) = if confirm.news.is_some() {
        (
            format!(" ⚠ The target changed: read it again. {yes} runs it · {no} does not"),
            theme.warning,
        )
    } else if confirm.warned {
        (
            format!(
                " ⚠ {} — {force} runs it anyway · {no} does not",
                warnings.join("; ")
            ),
            theme.warning,
        )
    } else if !warnings.is_empty() {
        (
            format!(
                " Run step {n}? It has {}: {yes}, then {force} runs it · {no} does not",
                crate::text::plural(warnings.len(), "warning")
            ),
            theme.warning,
        )
    } else {
        (
            format!(" Run step {n} \"{title}\"? {yes} runs it · {no} does not"),
            theme.warning,
        )
    };
    lines.push(Line::from(Span::styled(fit(&question, width), style)));
    let position = if total > room {
        format!(
            " lines {}–{} of {total}{} · {}/{} {}/{} scroll",
            first + 1,
            (first + room).min(total),
            if first + room < total {
                " ↓ more"
            } else {
                ""
            },
            key(Action::Down),
            key(Action::Up),
            key(Action::PageUp),
            key(Action::PageDown)
        )
    } else {
        " all shown".to_string()
    };
    lines.push(Line::from(Span::styled(fit(&position, width), theme.muted)));
    lines
}
