//! Overlays drawn over the panes: help, the command palette, the sources list.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::runbook::visible::{self, Shown};
use crate::text::time;
use crate::text::{clean_line, pad};
use crate::tui::actions::{self, Confirm, Field, SilenceForm};
use crate::tui::app::State;
use crate::tui::keymap::{Action, Mode as KeyMode};
use crate::tui::palette::{self, COMMANDS};
use crate::tui::theme::Theme;

use super::status::health_symbol;

/// Draws `body` in a bordered box titled `title`, over whatever lies beneath.
pub(super) fn draw_box(
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    title: &str,
    border: Style,
    body: Paragraph,
) {
    let block = Block::bordered()
        .title(Span::styled(title.to_owned(), theme.title))
        .border_style(border)
        .style(theme.text);
    frame.render_widget(Clear, area);
    frame.render_widget(body.block(block), area);
}

/// Where a full-screen view (map, deploys, SLOs, a runbook) goes in a terminal of
/// `full`: every row between the status bar and the footer.
pub(super) fn between_bars(full: Rect) -> Rect {
    Rect::new(
        full.x,
        full.y + 1,
        full.width,
        full.height.saturating_sub(2),
    )
}

/// A box of at most `w`×`h`, centred horizontally, near the top.
pub(super) fn boxed(area: Rect, w: u16, h: u16, top: bool) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    let x = area.x + (area.width - w) / 2;
    let y = if top {
        area.y + (area.height - h).min(2)
    } else {
        area.y + (area.height - h) / 2
    };
    Rect::new(x, y, w, h)
}

/// The help overlay's box for a terminal of `area`.
pub fn help_area(area: Rect) -> Rect {
    boxed(area, 78, area.height.saturating_sub(2), false)
}

/// Rows of (keys, action name, description), the keys in a column as wide as the
/// widest (up to 16).
fn key_rows<'a>(
    lines: &mut Vec<Line<'a>>,
    theme: &Theme,
    rows: Vec<(String, &'static str, &'static str)>,
) {
    let key_w = rows
        .iter()
        .map(|(k, _, _)| k.len())
        .max()
        .unwrap_or(0)
        .min(16);
    for (keys, _name, description) in rows {
        lines.push(Line::from(vec![
            Span::styled(format!("  {} ", pad(&keys, key_w)), theme.accent),
            Span::styled(description, theme.text),
        ]));
    }
}

/// The help text, all from the keymap table: the keys of the alert list, the palette
/// commands, then the keys inside each mode under the table that changes them.
pub fn help_lines<'a>(state: &State, theme: &Theme) -> Vec<Line<'a>> {
    let mut lines = vec![Line::from(Span::styled("Keys", theme.title))];
    key_rows(&mut lines, theme, state.keymap.help_rows());
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(
        "Commands (press : then type; tab completes)",
        theme.title,
    )));
    for c in COMMANDS {
        let name = match c.arg {
            palette::Arg::None => c.name.to_string(),
            palette::Arg::Theme | palette::Arg::Runbook => format!("{} NAME", c.name),
            palette::Arg::Text => format!("{} TEXT", c.name),
        };
        lines.push(Line::from(vec![
            Span::styled(format!("  :{} ", pad(&name, 14)), theme.accent),
            Span::styled(c.description, theme.text),
        ]));
    }
    for section in state.keymap.help_sections() {
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(section.heading, theme.title)));
        key_rows(&mut lines, theme, section.rows);
    }
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(
        "Keys can be changed in the [keys] table of the config file,",
        theme.muted,
    )));
    lines.push(Line::from(Span::styled(
        "and the keys inside a mode in the table named after its heading.",
        theme.muted,
    )));
    lines
}

/// `?`: the help overlay, scrolled.
pub fn help(state: &State, theme: &Theme, frame: &mut Frame, scroll: u16) {
    let area = help_area(frame.area());
    let lines = help_lines(state, theme);
    let body = Paragraph::new(lines).scroll((scroll, 0));
    let hint = state.keymap.hint(
        KeyMode::Help,
        &[
            (&[Action::Down, Action::Up], "scroll"),
            (&[Action::Back], "closes"),
        ],
    );
    let title = format!(" Help ·{hint} ");
    draw_box(frame, area, theme, &title, theme.border_focus, body);
}

/// `:`: the input line and its completions.
pub fn palette(state: &State, theme: &Theme, frame: &mut Frame, input: &str, selected: usize) {
    let suggestions = palette::suggest(input, &state.palette_names());
    let shown = suggestions.len().min(palette::SHOWN);
    let area = boxed(frame.area(), 60, 3 + shown as u16, true);
    let width = usize::from(area.width.saturating_sub(2));
    let mut lines = vec![Line::from(vec![
        Span::styled(":", theme.accent),
        Span::styled(format!("{}█", clean_line(input)), theme.text),
    ])];
    for (i, s) in suggestions.iter().take(shown).enumerate() {
        let text = format!(" {} {}", pad(&s.line, 18), s.description);
        let style = if i == selected {
            theme.selection
        } else {
            theme.muted
        };
        lines.push(Line::from(Span::styled(pad(&text, width), style)));
    }
    let body = Paragraph::new(lines);
    draw_box(frame, area, theme, " Command ", theme.border_focus, body);
}

/// `S`: each source, its health, the age of its data, and why it failed.
pub fn sources(state: &State, theme: &Theme, frame: &mut Frame) {
    let statuses = &state.board.sources;
    let mut lines = Vec::new();
    if statuses.is_empty() {
        lines.push(Line::from(Span::styled(
            "No sources configured. `clops config init` writes an example config.",
            theme.muted,
        )));
    }
    for s in statuses {
        let data = match s.data_at {
            Some(t) => format!("data from {} ago", time::Style::Age.format(state.now - t)),
            None => "no data yet".into(),
        };
        lines.push(Line::from(vec![
            Span::styled(
                format!("{} ", health_symbol(s.status)),
                theme.health(s.status),
            ),
            Span::styled(format!("{} ", s.name), theme.title),
            Span::styled(format!("({}) ", s.kind), theme.muted),
            Span::styled(format!("{} ", s.status.as_str()), theme.health(s.status)),
            Span::styled(data, theme.muted),
        ]));
        if let Some(e) = &s.error {
            let e = crate::redact::scrub(e);
            lines.push(Line::from(Span::styled(format!("    {e}"), theme.error)));
        }
        if !s.rules.is_empty() {
            let failing: Vec<_> = s.failing_rules().collect();
            lines.push(Line::from(Span::styled(
                format!("    {} rules, {} failing", s.rules.len(), failing.len()),
                if failing.is_empty() {
                    theme.muted
                } else {
                    theme.warning
                },
            )));
            for r in failing {
                lines.push(Line::from(Span::styled(
                    format!(
                        "    ✖ {} ({}): {}",
                        r.name,
                        r.group,
                        r.last_error.as_deref().unwrap_or("no reason given")
                    ),
                    theme.error,
                )));
            }
        }
        lines.push(Line::default());
    }
    // Long errors wrap: give them a few rows more than their count.
    let area = boxed(frame.area(), 100, lines.len() as u16 + 4, false);
    let body = Paragraph::new(lines).wrap(Wrap { trim: false });
    draw_box(frame, area, theme, " Sources ", theme.border_focus, body);
}

/// `s`: the silence form, with how many alerts the matchers select right now.
pub fn silence_form(state: &State, theme: &Theme, frame: &mut Frame, form: &SilenceForm) {
    let area = boxed(frame.area(), 90, 12, true);
    let width = usize::from(area.width.saturating_sub(14));
    let field = |name: &'static str, value: &str, this: Field| {
        // What is typed may be pasted from anywhere.
        let value = &clean_line(value);
        let focused = form.field == this;
        let value = &crate::text::clean_line(value);
        let shown = if focused {
            // Keep the end of what is being typed in view.
            let tail: String = value
                .chars()
                .rev()
                .take(width.saturating_sub(1))
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            format!("{tail}█")
        } else {
            crate::text::fit(value, width)
        };
        Line::from(vec![
            Span::styled(
                format!(" {name:<9}"),
                if focused { theme.accent } else { theme.muted },
            ),
            Span::styled(shown, if focused { theme.selection } else { theme.text }),
        ])
    };
    let count = match actions::matching_count(&state.board, &form.matchers) {
        Some(n) => format!("matches {} on screen now", crate::text::plural(n, "alert")),
        None => "matchers do not parse yet".into(),
    };
    let mut lines = vec![
        Line::from(Span::styled(
            format!(" in {} · as {}", form.sources.join(", "), state.author),
            theme.muted,
        )),
        Line::default(),
        field("matchers", &form.matchers, Field::Matchers),
        Line::from(Span::styled(format!("          {count}"), theme.muted)),
        field("duration", &form.duration, Field::Duration),
        field("comment", &form.comment, Field::Comment),
        Line::default(),
    ];
    if let Some(p) = &form.problem {
        lines.push(Line::from(Span::styled(
            format!(" {}", clean_line(p)),
            theme.error,
        )));
    }
    let hint = state.keymap.hint(
        KeyMode::Silence,
        &[
            (&[Action::NextField], "next field"),
            (&[Action::Submit], "review"),
            (&[Action::Back], "cancel"),
        ],
    );
    lines.push(Line::from(Span::styled(hint, theme.muted)));
    let body = Paragraph::new(lines);
    draw_box(frame, area, theme, " Silence ", theme.border_focus, body);
}

/// Where the confirmation's parts go in a terminal of `full`: its box, the question
/// and the detail rows (wrapped between words, nothing hidden), and how many detail
/// rows show at once.
pub struct ConfirmLayout {
    pub area: Rect,
    pub question: Vec<Shown>,
    pub details: Vec<Shown>,
    pub question_h: u16,
    pub details_h: u16,
}

/// Lays the confirmation out: the answers keep the last row and the question what it
/// needs of the rest, leaving the details at least a row when there are any.
pub fn confirm_layout(full: Rect, confirm: &Confirm) -> ConfirmLayout {
    let width = 90.min(full.width);
    let text_w = usize::from(width.saturating_sub(3)).max(1);
    let rows = |text: &str| -> Vec<Shown> {
        text.lines()
            .flat_map(|l| visible::wrap_words(&visible::line(l), text_w))
            .collect()
    };
    let question = rows(&confirm.question);
    let details: Vec<Shown> = confirm.details.iter().flat_map(|d| rows(d)).collect();
    // Question, a blank row, the details, a blank row, the answers, two borders.
    let wanted = question.len() + details.len() + 5;
    let area = boxed(full, width, wanted.min(usize::from(u16::MAX)) as u16, false);
    let room = area.height.saturating_sub(3);
    let question_h = (question.len() as u16)
        .min(room.saturating_sub(u16::from(!details.is_empty() && room > 1)));
    let gap = u16::from(room > question_h + 1 && !details.is_empty());
    let details_h = room - question_h - gap;
    ConfirmLayout {
        area,
        question,
        details,
        question_h,
        details_h,
    }
}

/// A change waiting for `y`: what exactly will happen, its exact target (scrolled), and
/// the answers, which always keep their row however small the terminal.
pub fn confirm(state: &State, theme: &Theme, frame: &mut Frame, confirm: &Confirm) {
    let layout = confirm_layout(frame.area(), confirm);
    let area = layout.area;
    draw_box(
        frame,
        area,
        theme,
        " Confirm ",
        theme.warning,
        Paragraph::new(""),
    );
    if area.height < 3 {
        return;
    }
    let inner = Rect::new(
        area.x + 1,
        area.y + 1,
        area.width.saturating_sub(2),
        area.height - 2,
    );
    let line =
        |row: &Shown, style: Style| {
            let mut spans = vec![Span::raw(" ")];
            spans.extend(row.iter().map(|p| {
                Span::styled(p.text.clone(), if p.marker { theme.warning } else { style })
            }));
            Line::from(spans)
        };
    let question: Vec<Line> = layout
        .question
        .iter()
        .take(usize::from(layout.question_h))
        .map(|r| line(r, theme.text))
        .collect();
    frame.render_widget(
        Paragraph::new(question),
        Rect::new(inner.x, inner.y, inner.width, layout.question_h),
    );
    let shown = usize::from(layout.details_h);
    let first = confirm
        .scroll
        .min(layout.details.len().saturating_sub(shown));
    let details: Vec<Line> = layout
        .details
        .iter()
        .skip(first)
        .take(shown)
        .map(|r| line(r, theme.muted))
        .collect();
    let details_y = inner.y + inner.height - 1 - layout.details_h;
    frame.render_widget(
        Paragraph::new(details),
        Rect::new(inner.x, details_y, inner.width, layout.details_h),
    );
    let more = layout.details.len() > shown;
    let full = inner.width >= 76;
    let no = match (confirm.form.is_some(), full) {
        (true, true) => " no, back to the form",
        (true, false) => " back to form",
        (false, _) => " no",
    };
    let key = |a: Action| state.keymap.key_in(KeyMode::Confirm, a);
    let mut answers = vec![
        Span::styled(format!(" {}", key(Action::Yes)), theme.accent),
        Span::styled(if full { " yes, do it  " } else { " yes  " }, theme.text),
    ];
    if more {
        answers.push(Span::styled(
            format!("{}/{}", key(Action::Down), key(Action::Up)),
            theme.accent,
        ));
        answers.push(Span::styled(
            format!(
                " {}–{}/{}  ",
                first + 1,
                (first + shown).min(layout.details.len()),
                layout.details.len()
            ),
            theme.text,
        ));
    }
    answers.push(Span::styled(
        if full { "other keys" } else { "else" },
        theme.accent,
    ));
    answers.push(Span::styled(no, theme.text));
    frame.render_widget(
        Paragraph::new(Line::from(answers)),
        Rect::new(inner.x, inner.y + inner.height - 1, inner.width, 1),
    );
}
