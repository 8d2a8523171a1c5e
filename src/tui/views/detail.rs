//! The detail pane: everything about the selected group or alert.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use crate::model::{Alert, Group};
use crate::text::time::{Style, Timestamp};
use crate::text::{pad, plural};
use crate::tui::app::{Focus, Row, State};
use crate::tui::theme::Theme;

/// Draws the detail of the row under the cursor.
/// The detail of the selected row, before wrapping.
pub fn lines<'a>(state: &'a State, theme: &Theme) -> Vec<Line<'a>> {
    if state.incidents.pane {
        let area = state.areas().detail;
        let rows = usize::from(area.height.saturating_sub(2));
        let width = usize::from(area.width.saturating_sub(2));
        return super::incident::pane_lines(state, theme, rows, width);
    }
    match state.selected() {
        Some(Row::Group(g)) => group_lines(state, theme, &state.board.groups[g]),
        Some(Row::Alert(g, a)) => alert_lines(state, theme, &state.board.groups[g].alerts[a]),
        None => match &state.lost {
            Some(what) => vec![
                Line::from(Span::styled(format!("{what}."), theme.warning)),
                Line::from(Span::styled(
                    "Nothing is selected: move the cursor to pick a row.",
                    theme.muted,
                )),
            ],
            None => vec![Line::from(Span::styled("Nothing selected.", theme.muted))],
        },
    }
}

/// Draws the detail pane.
pub fn render(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let focused = state.focus == Focus::Detail;
    let block = Block::bordered()
        .title(Span::styled(
            if state.incidents.pane {
                " Incident "
            } else {
                " Detail "
            },
            theme.title,
        ))
        .border_style(if focused {
            theme.border_focus
        } else {
            theme.border
        });
    frame.render_widget(
        Paragraph::new(lines(state, theme))
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((state.detail_scroll, 0)),
        area,
    );
}

fn group_lines<'a>(state: &State, theme: &Theme, group: &'a Group) -> Vec<Line<'a>> {
    let mut lines = vec![Line::from(vec![
        Span::styled(
            format!("{} ", group.severity.tag()),
            theme.severity(group.severity),
        ),
        Span::styled(group.title.clone(), theme.title),
    ])];
    let first = group
        .first_started
        .map(|t| Style::Age.format(state.now - t))
        .unwrap_or_default();
    let last = group
        .last_started
        .map(|t| Style::Age.format(state.now - t))
        .unwrap_or_default();
    lines.push(Line::from(Span::styled(
        format!(
            "{} · first {first} ago · latest {last} ago",
            plural(group.alerts.len(), "alert")
        ),
        theme.muted,
    )));
    lines.push(field(theme, "grouped", &group.reason, 9));
    if let Some(root) = &group.root {
        lines.push(field(theme, "root", root, 9));
    }
    for (i, d) in group.suspect_deploys.iter().take(5).enumerate() {
        let label = if i == 0 { "suspect" } else { "" };
        let text = format!(
            "{} · {} · {}",
            crate::triage::correlate::describe(d, group),
            d.source,
            d.status
        );
        lines.push(field(theme, label, &text, 9));
    }
    lines.push(field(
        theme,
        "wakes",
        match group.class {
            crate::model::Class::Page => "someone now (a page)",
            crate::model::Class::Ticket => "nobody (a ticket for working hours)",
        },
        9,
    ));
    if !group.services.is_empty() {
        lines.push(field(theme, "services", &group.services.join(", "), 9));
    }
    let burning = state.slos.burning_for(&group.services, &group.clusters);
    if !burning.is_empty() {
        lines.push(burning_line(theme, &burning));
    }
    if !group.clusters.is_empty() {
        lines.push(field(theme, "clusters", &group.clusters.join(", "), 9));
    }
    lines.push(field(theme, "sources", &group.sources.join(", "), 9));
    lines.push(Line::default());
    for alert in group.alerts.iter().take(50) {
        lines.push(Line::from(vec![
            Span::styled(
                format!("{} ", alert.severity().tag()),
                theme.severity(alert.severity()),
            ),
            Span::styled(format!("{} ", alert.name()), theme.accent),
            Span::styled(alert.headline().to_string(), theme.text),
        ]));
    }
    if group.alerts.len() > 50 {
        lines.push(Line::from(Span::styled(
            format!(
                "… and {} more (expand the group to see them)",
                group.alerts.len() - 50
            ),
            theme.muted,
        )));
    }
    lines
}

fn alert_lines<'a>(state: &State, theme: &Theme, alert: &'a Alert) -> Vec<Line<'a>> {
    let mut lines = vec![Line::from(vec![
        Span::styled(
            format!("{} ", alert.severity().tag()),
            theme.severity(alert.severity()),
        ),
        Span::styled(alert.name().to_string(), theme.title),
        Span::styled(format!("  {}", alert.state.as_str()), theme.muted),
    ])];
    for l in alert.summary().lines() {
        lines.push(Line::from(Span::styled(l.to_string(), theme.text)));
    }
    lines.push(field(
        theme,
        "started",
        &format!(
            "{} ({} ago)",
            Timestamp::Utc.format(alert.starts_at),
            Style::Age.format(state.now - alert.starts_at)
        ),
        8,
    ));
    lines.push(field(theme, "seen by", &alert.seen_by.join(", "), 8));
    if let Some(why) = super::suppression(state, alert) {
        lines.push(field(theme, "quiet", &why, 8));
    }
    for s in alert
        .silenced_by
        .iter()
        .filter_map(|id| state.board.silence(id))
    {
        lines.push(field(
            theme,
            "silence",
            &format!("{} · {} · {}", s.id, s.comment, s.source),
            8,
        ));
    }
    if !alert.receivers.is_empty() {
        lines.push(field(theme, "routed", &alert.receivers.join(", "), 8));
    }
    if let Some(url) = &alert.generator_url {
        lines.push(field(theme, "source", url, 8));
    }
    lines.push(Line::from(Span::styled("Labels", theme.title)));
    let label_w = alert
        .labels
        .keys()
        .map(|k| k.width())
        .max()
        .unwrap_or(0)
        .min(24);
    for (k, v) in alert.labels.iter() {
        lines.push(field(theme, k, v, label_w));
    }
    let annotations: Vec<_> = alert
        .annotations
        .iter()
        .filter(|(k, _)| *k != "summary")
        .collect();
    if !annotations.is_empty() {
        lines.push(Line::from(Span::styled("Annotations", theme.title)));
        let w = annotations
            .iter()
            .map(|(k, _)| k.width())
            .max()
            .unwrap_or(0)
            .min(24);
        for (k, v) in annotations {
            let mut value_lines = v.lines();
            lines.push(field(theme, k, value_lines.next().unwrap_or(""), w));
            for more in value_lines {
                lines.push(field(theme, "", more, w));
            }
        }
    }
    lines
}

/// `burning  checkout-availability 26× (1h), …`: the SLOs in page or ticket state
/// whose service is one of the group's, fastest first.
fn burning_line<'a>(theme: &Theme, burning: &[&crate::tui::slos::Burning]) -> Line<'a> {
    const SHOWN: usize = 4;
    let mut parts: Vec<String> = burning
        .iter()
        .take(SHOWN)
        .map(|b| {
            let name = crate::text::clean_line(&b.slo);
            match b.hour {
                Some(h) => format!("{name} {} (1h)", crate::tui::slos::times(h)),
                None => name,
            }
        })
        .collect();
    if burning.len() > SHOWN {
        parts.push(format!("{} more", burning.len() - SHOWN));
    }
    Line::from(vec![
        Span::styled(format!("{} ", pad("burning", 9)), theme.muted),
        Span::styled(parts.join(", "), theme.error),
    ])
}

fn field<'a>(theme: &Theme, name: &str, value: &str, width: usize) -> Line<'a> {
    Line::from(vec![
        Span::styled(format!("{} ", pad(name, width)), theme.muted),
        Span::styled(value.to_string(), theme.text),
    ])
}
