//! The deploys view: one lane per service on a shared time axis, deploys as `◆`,
//! alert onsets as `▲`, and the selected service's deploys listed underneath.

use chrono::Duration;
use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::text::time::Style;
use crate::text::{fit, pad};
use crate::tui::app::State;
use crate::tui::deploys::{DeploysView, SPANS_H, lanes};
use crate::tui::keymap::{Action, Mode as KeyMode};
use crate::tui::theme::Theme;

use super::overlays::{between_bars, draw_box};

pub fn render(state: &State, theme: &Theme, frame: &mut Frame, view: &DeploysView) {
    let area = between_bars(frame.area());
    let width = usize::from(area.width.saturating_sub(2));
    let rows = usize::from(area.height.saturating_sub(2));
    let hours = SPANS_H[view.span];
    let span = Duration::hours(hours);
    let lanes = lanes(&state.board, &state.triage.service_label, state.now, span);
    let name_w = lanes
        .iter()
        .map(|l| l.service.chars().count())
        .max()
        .unwrap_or(8)
        .clamp(8, 20);
    let axis_w = width.saturating_sub(name_w + 2).max(10);
    // Column of a moment: the span maps onto the axis, now at its right end.
    let column = |t: chrono::DateTime<chrono::Utc>| -> usize {
        let from_start = (t - (state.now - span)).num_seconds().max(0) as f64;
        ((from_start / span.num_seconds() as f64) * (axis_w - 1) as f64).round() as usize
    };
    let mut lines = vec![Line::from(vec![
        Span::styled(format!(" last {hours}h "), theme.title),
        Span::styled("◆ deploy  ", theme.ok),
        Span::styled("◆ failed  ", theme.error),
        Span::styled("▲ alert started", theme.error),
    ])];
    // The axis: a tick per hour (per 10 minutes for the last hour), labelled where
    // there is room.
    let tick = if hours == 1 {
        Duration::minutes(10)
    } else {
        Duration::hours((hours / 6).max(1))
    };
    let mut axis: Vec<char> = vec!['─'; axis_w];
    let mut labels: Vec<char> = vec![' '; axis_w];
    let mut t = state.now;
    while t >= state.now - span {
        let c = column(t).min(axis_w - 1);
        axis[c] = '┴';
        let back = state.now - t;
        let text = if back.num_seconds() == 0 {
            "now".to_string()
        } else if back.num_hours() >= 1 && back.num_minutes() % 60 == 0 {
            format!("-{}h", back.num_hours())
        } else {
            format!("-{}m", back.num_minutes())
        };
        let start = c.saturating_sub(text.chars().count() - 1);
        if labels[start..=c].iter().all(|ch| *ch == ' ') {
            for (k, ch) in text.chars().enumerate() {
                labels[start + k] = ch;
            }
        }
        t -= tick;
    }
    let lead = " ".repeat(name_w + 2);
    lines.push(Line::from(Span::styled(
        format!("{lead}{}", labels.iter().collect::<String>()),
        theme.muted,
    )));
    lines.push(Line::from(Span::styled(
        format!("{lead}{}", axis.iter().collect::<String>()),
        theme.muted,
    )));
    if lanes.is_empty() {
        lines.push(Line::from(Span::styled(
            format!(" No deploys or alerts in the last {hours}h (h zooms out)."),
            theme.muted,
        )));
    }
    let selected = lanes.get(view.selected);
    let panel_rows = 1 + selected.map_or(0, |l| l.deploys.len().min(4));
    let room = rows.saturating_sub(lines.len() + panel_rows + 1);
    let top = view.selected.saturating_sub(room.saturating_sub(1));
    for (i, lane) in lanes.iter().enumerate().skip(top).take(room) {
        let mut cells: Vec<(char, ratatui::style::Style)> = vec![('·', theme.muted); axis_w];
        for d in &lane.deploys {
            let failed = !matches!(
                d.status.as_str(),
                "success" | "succeeded" | "healthy" | "synced"
            );
            cells[column(d.at).min(axis_w - 1)] =
                ('◆', if failed { theme.error } else { theme.ok });
        }
        for t in &lane.onsets {
            let c = column(*t).min(axis_w - 1);
            // A deploy and an onset in one cell: the deploy, in the alarm colour.
            cells[c] = if cells[c].0 == '◆' {
                ('◆', theme.error)
            } else {
                ('▲', theme.error)
            };
        }
        let name_style = if i == view.selected {
            theme.selection
        } else if lane.onsets.is_empty() {
            theme.text
        } else {
            theme.error
        };
        let mut spans = vec![Span::styled(
            format!(" {} ", pad(&fit(&lane.service, name_w), name_w)),
            name_style,
        )];
        spans.extend(
            cells
                .into_iter()
                .map(|(c, s)| Span::styled(c.to_string(), s)),
        );
        lines.push(Line::from(spans));
    }
    while lines.len() + panel_rows + 1 < rows {
        lines.push(Line::default());
    }
    if let Some(lane) = selected {
        let onsets = match lane.onsets.first() {
            Some(t) => format!(" · first alert {} ago", Style::Age.format(state.now - *t)),
            None => String::new(),
        };
        lines.push(Line::from(Span::styled(
            fit(
                &format!(
                    " {}: {} deploys in {hours}h{onsets}",
                    lane.service,
                    lane.deploys.len()
                ),
                width,
            ),
            theme.title,
        )));
        for d in lane.deploys.iter().take(4) {
            lines.push(Line::from(Span::styled(
                fit(
                    &format!(
                        "   {} · {} ago · {} · {}{}",
                        d.version,
                        Style::Age.format(state.now - d.at),
                        d.status,
                        d.source,
                        d.author
                            .as_ref()
                            .map(|a| format!(" · {a}"))
                            .unwrap_or_default()
                    ),
                    width,
                ),
                theme.text,
            )));
        }
    }
    let hint = state.keymap.hint(
        KeyMode::Deploys,
        &[
            (&[Action::Down, Action::Up], "select"),
            (&[Action::Expand], "zoom in"),
            (&[Action::Collapse], "zoom out"),
            (&[Action::Back], "close"),
        ],
    );
    lines.push(Line::from(Span::styled(fit(&hint, width), theme.muted)));
    draw_box(
        frame,
        area,
        theme,
        " Deploys ",
        theme.border_focus,
        Paragraph::new(lines),
    );
}
