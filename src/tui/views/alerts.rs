//! The alerts pane: one row per group, its alerts beneath when expanded.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use unicode_width::UnicodeWidthStr;

use crate::model::{AlertState, Health};
use crate::text::time;
use crate::text::{clean_line, fit, pad, pad_left};
use crate::triage;
use crate::tui::app::{Focus, Mode, Row, State};
use crate::tui::theme::Theme;

/// Draws the visible window of rows.
pub fn render(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let focused = state.focus == Focus::List;
    let mut title = vec![Span::styled(" Alerts ", theme.title)];
    let groups_shown = state
        .hits
        .as_ref()
        .map_or(state.board.groups.len(), Vec::len);
    let alerts_shown = state.visible_alert_count();
    title.push(Span::styled(
        format!("{} groups · {} alerts ", groups_shown, alerts_shown),
        theme.muted,
    ));
    if state.hits.is_some() || state.mode == Mode::Filter {
        title.push(Span::styled(
            format!("/{} ", clean_line(&state.filter)),
            theme.accent,
        ));
    }
    let block = Block::bordered()
        .title(Line::from(title))
        .border_style(if focused {
            theme.border_focus
        } else {
            theme.border
        });
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    if state.rows.is_empty() {
        let msg = empty_message(state);
        frame.render_widget(Paragraph::new(Span::styled(msg, theme.muted)), inner);
        return;
    }
    let width = usize::from(inner.width);
    let lines: Vec<Line> = state
        .rows
        .iter()
        .enumerate()
        .skip(state.offset)
        .take(usize::from(inner.height))
        .map(|(i, row)| {
            let line = match *row {
                Row::Group(g) => group_line(state, theme, g, width),
                Row::Alert(g, a) => alert_line(state, theme, g, a, width),
            };
            if i == state.cursor && state.lost.is_none() {
                line.patch_style(if focused {
                    theme.selection
                } else {
                    theme
                        .selection
                        .remove_modifier(ratatui::style::Modifier::BOLD)
                })
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// `text` in `base`, with what the filter's words match in the `matched` style.
fn highlighted<'a>(state: &State, theme: &Theme, text: String, base: Style) -> Vec<Span<'a>> {
    let Some(words) = state.filter_words().filter(|_| !text.is_empty()) else {
        return vec![Span::styled(text, base)];
    };
    let lower = text.to_lowercase();
    // Byte ranges of every term, only where lowercasing kept the text's byte layout.
    let mut marks = vec![false; text.len()];
    if lower.len() == text.len() {
        for term in words.split_whitespace().map(str::to_lowercase) {
            for (at, _) in lower.match_indices(&term) {
                marks[at..at + term.len()]
                    .iter_mut()
                    .for_each(|m| *m = true);
            }
        }
    }
    let mut spans = Vec::new();
    let mut start = 0;
    for (i, _) in text.char_indices().skip(1).chain([(text.len(), ' ')]) {
        if i == text.len() || marks[i] != marks[start] {
            let style = if marks[start] {
                base.patch(theme.matched)
            } else {
                base
            };
            spans.push(Span::styled(text[start..i].to_string(), style));
            start = i;
        }
    }
    spans
}

/// Data from a stale source is marked as such wherever it shows.
fn source_style<S: AsRef<str>>(state: &State, theme: &Theme, names: &[S]) -> Style {
    let stale = names.iter().any(|n| {
        state
            .board
            .sources
            .iter()
            .any(|s| s.name == n.as_ref() && s.status == Health::Stale)
    });
    if stale { theme.stale } else { theme.muted }
}

fn empty_message(state: &State) -> String {
    if let Some(e) = state.filter_error() {
        return format!(
            " Not a filter, at column {}: {} (esc clears it)",
            e.column(),
            e.reason
        );
    }
    if state.hits.is_some() {
        return format!(
            " Nothing matches `{}` (esc clears the filter)",
            clean_line(&state.filter)
        );
    }
    let sources = &state.board.sources;
    if sources.is_empty() {
        return " No sources configured: run `clops config init`, or try `clops demo`.".into();
    }
    if sources
        .iter()
        .all(|s| matches!(s.status, Health::Waiting | Health::Authenticating))
    {
        return " Waiting for the first answer from each source…".into();
    }
    if sources.iter().all(|s| s.status == Health::Down) {
        return " Every source is down: press S to see why.".into();
    }
    " No alerts firing.".into()
}

/// Column widths after the title: count, age, source.
const COUNT_W: usize = 5;
const AGE_W: usize = 7;

fn source_width(width: usize) -> usize {
    if width >= 100 { 16 } else { 10 }
}

fn group_line<'a>(state: &State, theme: &Theme, g: usize, width: usize) -> Line<'a> {
    let group = &state.board.groups[g];
    let expanded = state.expanded.contains(&group.id);
    let marker = match (state.marked.contains(&group.id), expanded) {
        (true, _) => "+ ",
        (false, true) => "▾ ",
        (false, false) => "▸ ",
    };
    let shown = state.visible_in_group(g);
    let count = if shown == group.alerts.len() {
        format!("×{shown}")
    } else {
        format!("{shown}/{}", group.alerts.len())
    };
    let src_w = source_width(width);
    let title_w = width.saturating_sub(2 + 5 + COUNT_W + AGE_W + src_w + 1);
    let ago = group
        .first_started
        .map(|t| time::Style::Age.format(state.now - t))
        .unwrap_or_default();
    let sources = group.sources.join(",");
    let sev = theme.severity(group.severity);
    // Nothing in it pages (silenced, in maintenance, flapping, mild): shown quieter.
    let title_style = if group.alerts.iter().all(|a| !a.pages()) {
        theme.suppressed
    } else {
        theme.text
    };
    let mut spans = vec![
        Span::styled(marker, theme.muted),
        Span::styled(format!("{} ", group.severity.tag()), sev),
    ];
    // The reason follows the title where there is room for both.
    let title_width = group.title.width();
    if title_width + 8 < title_w && group.alerts.len() > 1 {
        spans.extend(highlighted(state, theme, group.title.clone(), title_style));
        let rest = title_w - title_width;
        // A deploy just before it is the first thing a responder wants to know.
        match crate::triage::correlate::headline(group) {
            Some(suspect) => {
                let suspect = format!(" · ⚑ {suspect}");
                let room = rest.saturating_sub(suspect.width());
                spans.push(Span::styled(fit(&suspect, rest), theme.warning));
                if room > 0 {
                    spans.push(Span::styled(
                        pad(&format!(" · {}", group.reason), room),
                        theme.muted,
                    ));
                }
            }
            None => spans.push(Span::styled(
                pad(&format!(" · {}", group.reason), rest),
                theme.muted,
            )),
        }
    } else {
        spans.extend(highlighted(
            state,
            theme,
            pad(&group.title, title_w),
            title_style,
        ));
    }
    spans.extend([
        Span::styled(pad_left(&count, COUNT_W), theme.accent),
        Span::styled(pad_left(&ago, AGE_W), theme.muted),
        Span::styled(
            format!(" {}", pad(&sources, src_w)),
            source_style(state, theme, &group.sources),
        ),
    ]);
    Line::from(spans)
}

fn alert_line<'a>(state: &State, theme: &Theme, g: usize, a: usize, width: usize) -> Line<'a> {
    let alerts = &state.board.groups[g].alerts;
    let alert = &alerts[a];
    let quiet = alert.state == AlertState::Suppressed || alert.quiet.is_some();
    let style = |s: Style| if quiet { theme.suppressed } else { s };
    // An inhibited alert sits under the alert that inhibits it, indented.
    let inhibitor = triage::inhibitor(alerts, a);
    let indent = if inhibitor.is_some() {
        "      ↳ "
    } else {
        "    "
    };
    let src_w = source_width(width);
    let text_w = width.saturating_sub(indent.width() + 5 + AGE_W + src_w + 1);
    let name = alert.name();
    let summary = alert.headline();
    let mut text = if summary == name {
        name.to_string()
    } else {
        format!("{name}  {summary}")
    };
    let why = match inhibitor {
        Some(p) if alert.silenced_by.is_empty() => {
            Some(format!("inhibited by {}", alerts[p].name()))
        }
        _ => super::suppression(state, alert),
    };
    if let Some(why) = why {
        text = format!("[{why}] {text}");
    }
    let mut spans = vec![
        Span::styled(indent, theme.muted),
        Span::styled(
            format!("{} ", alert.severity().tag()),
            style(theme.severity(alert.severity())),
        ),
    ];
    spans.extend(highlighted(
        state,
        theme,
        pad(&text, text_w),
        style(theme.text),
    ));
    spans.extend([
        Span::styled(
            pad_left(&time::Style::Age.format(state.now - alert.starts_at), AGE_W),
            theme.muted,
        ),
        Span::styled(
            format!(" {}", pad(&fit(&alert.sources.join(","), src_w), src_w)),
            source_style(state, theme, &alert.sources),
        ),
    ]);
    Line::from(spans)
}
