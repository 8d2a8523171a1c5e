//! Runbooks on screen: the picker, and the open runbook with its steps, the selected
//! step's command and the output of what ran.

use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::format::{fit, pad};
use crate::model::text::clean_line;
use crate::tui::app::State;
use crate::tui::runbooks::{Entry, Run, StepStatus, entries};
use crate::tui::theme::Theme;

use super::overlays::{between_bars, boxed, draw_box};

/// The picker: runbooks serving the selection first, the alert's `runbook_url`, the
/// rest; narrowed by what is typed.
pub fn picker(state: &State, theme: &Theme, frame: &mut Frame, input: &str, selected: usize) {
    let found = entries(state, input);
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
            Entry::Serving(name, n) => (
                format!("{}  {}", pad(name, name_w), title_of(state, name)),
                format!("serves {}", crate::format::plural(*n, "alert")),
            ),
            Entry::Url(url) => {
                let what = if crate::runbook::remote::is_markdown_url(url) {
                    "runbook_url: enter fetches it"
                } else {
                    "runbook_url: enter copies it"
                };
                (url.clone(), what.to_string())
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
        } else if matches!(entry, Entry::Serving(..)) {
            theme.text
        } else {
            theme.muted
        };
        lines.push(Line::from(Span::styled(fit(&row, width), style)));
    }
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(
        " enter open · ↑/↓ move · type to search · esc close",
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
    let lines = run_lines(state, run, theme, width, rows);
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
    let subject = run
        .subject
        .as_ref()
        .map(|s| format!(" · for {s}"))
        .unwrap_or_default();
    let mut lines = vec![Line::from(vec![Span::styled(
        fit(&format!(" {} ", clean_line(&rb.title)), width),
        theme.title,
    )])];
    lines.push(Line::from(Span::styled(
        fit(&format!(" {}{subject} · {recording}", rb.name), width),
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
                crate::config::format_duration(rb.timeout_of(step))
            ));
        }
        lines.push(Line::from(Span::styled(fit(&head, width), theme.title)));
        for text in step.text.iter().filter(|t| !t.trim().is_empty()).take(3) {
            lines.push(Line::from(Span::styled(
                fit(&format!(" {}", clean_line(text)), width),
                theme.muted,
            )));
        }
        // The command is shown whole, wrapped, never cut: it is what `y` agrees to.
        if let Some(command) = &step.command {
            let room = width.saturating_sub(3).max(1);
            for line in crate::model::text::clean_text(command).lines() {
                for (n, piece) in wrap(line, room).into_iter().enumerate() {
                    let lead = if n == 0 { " $ " } else { "   " };
                    lines.push(Line::from(vec![
                        Span::styled(lead, theme.accent),
                        Span::styled(piece, theme.text),
                    ]));
                }
            }
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
    if run.confirming {
        let step = &rb.steps[run.selected];
        lines.push(Line::from(Span::styled(
            fit(
                &format!(
                    " Run step {} \"{}\"? y runs it · n does not",
                    run.selected + 1,
                    clean_line(&step.title)
                ),
                width,
            ),
            theme.warning,
        )));
    } else {
        lines.push(Line::default());
    }
    let hints = if run.running.is_some() {
        " ctrl-c stop the running step (and all it started) · j/k move · esc hide"
    } else {
        " enter run or tick · space tick · j/k move · esc close"
    };
    lines.push(Line::from(Span::styled(fit(hints, width), theme.muted)));
    lines
}

/// `line` in pieces of at most `width` columns, cut between graphemes so an emoji
/// sequence or a wide character is never split.
fn wrap(line: &str, width: usize) -> Vec<String> {
    use unicode_segmentation::UnicodeSegmentation;
    let mut pieces = vec![String::new()];
    let mut used = 0;
    for g in line.graphemes(true) {
        let w = crate::format::columns(g);
        if used + w > width && used > 0 {
            pieces.push(String::new());
            used = 0;
        }
        pieces.last_mut().expect("never empty").push_str(g);
        used += w;
    }
    pieces
}
