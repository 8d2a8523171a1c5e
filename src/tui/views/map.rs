//! The dependency map view: the layered drawing, scrolled to keep the selected service
//! in sight, and a panel with that service's calls, rates and error ratios.

use ratatui::Frame;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::deps::{Ink, draw, edge_label, status_word};
use crate::model::ServiceStatus;
use crate::text::fit;
use crate::tui::app::State;
use crate::tui::keymap::{Action, Mode as KeyMode};
use crate::tui::map::{MapView, hot, shown};
use crate::tui::theme::Theme;

use super::overlays::{between_bars, draw_box};

fn status_style(theme: &Theme, status: ServiceStatus) -> Style {
    match status {
        ServiceStatus::Failing => theme.error,
        ServiceStatus::Degraded => theme.warning,
        ServiceStatus::Ok => theme.text,
        ServiceStatus::Unknown => theme.muted,
    }
}

pub fn render(state: &State, theme: &Theme, frame: &mut Frame, view: &MapView) {
    let area = between_bars(frame.area());
    let width = usize::from(area.width.saturating_sub(2));
    let rows = usize::from(area.height.saturating_sub(2));
    let map = shown(state, view);
    let hot = hot(state, view);
    let drawing = draw(&map, &hot);
    let status_of = |name: &str| {
        map.services
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, s)| *s)
            .unwrap_or(ServiceStatus::Unknown)
    };
    let mut lines: Vec<Line> = Vec::new();
    let scope = match &view.focus {
        Some(s) => format!(" around {s} · "),
        None => " ".into(),
    };
    lines.push(Line::from(vec![
        Span::styled(scope.clone(), theme.title),
        Span::styled("failing ", theme.error),
        Span::styled("degraded ", theme.warning),
        Span::styled("ok", theme.text),
        Span::styled(
            fit(
                &format!(
                    " · red lines: {}",
                    if view.group.is_empty() {
                        "errors ≥5%".to_string()
                    } else {
                        format!("errors ≥5%, blast radius of {}", view.group.join(", "))
                    }
                ),
                width.saturating_sub(20 + scope.chars().count()),
            ),
            theme.muted,
        ),
    ]));
    if drawing.services.is_empty() {
        lines.push(Line::from(Span::styled(
            " No dependency map: configure a catalog, jaeger or prometheus service_graph source.",
            theme.muted,
        )));
    }
    // The panel under the drawing: the selected service's edges.
    let selected = view.selected.as_deref();
    let mut panel: Vec<Line> = Vec::new();
    if let Some(name) = selected.filter(|n| drawing.services.iter().any(|s| s == *n)) {
        panel.push(Line::from(vec![
            Span::styled(format!(" {name} "), theme.title),
            Span::styled(
                status_word(status_of(name)),
                status_style(theme, status_of(name)),
            ),
        ]));
        for (arrow, edges) in [
            (
                "called by",
                map.edges
                    .iter()
                    .filter(|e| e.to == name)
                    .collect::<Vec<_>>(),
            ),
            (
                "calls",
                map.edges.iter().filter(|e| e.from == name).collect(),
            ),
        ] {
            if edges.is_empty() {
                continue;
            }
            let text = edges
                .iter()
                .map(|e| {
                    let other = if e.to == name { &e.from } else { &e.to };
                    match edge_label(e) {
                        l if l.is_empty() => other.clone(),
                        l => format!("{other} ({l})"),
                    }
                })
                .collect::<Vec<_>>()
                .join(", ");
            panel.push(Line::from(vec![
                Span::styled(format!(" {arrow:<9} "), theme.muted),
                Span::styled(fit(&text, width.saturating_sub(11)), theme.text),
            ]));
        }
    }
    let hint = state.keymap.hint(
        KeyMode::Map,
        &[
            (&[Action::Down, Action::Up], "select"),
            (&[Action::Collapse, Action::Expand], "scroll"),
            (&[Action::Focus], "focus"),
            (&[Action::Back], "close"),
        ],
    );
    panel.push(Line::from(Span::styled(fit(&hint, width), theme.muted)));
    // The drawing, scrolled so the selected row shows.
    let room = rows.saturating_sub(lines.len() + panel.len());
    let at = selected
        .and_then(|s| drawing.services.iter().position(|n| n == s))
        .unwrap_or(0);
    let top = at.saturating_sub(room.saturating_sub(1));
    for (r, row) in drawing.rows.iter().enumerate().skip(top).take(room) {
        let is_selected = r == at && selected.is_some();
        let mut spans: Vec<Span> = Vec::new();
        let mut run = String::new();
        let mut run_style = theme.text;
        for (ch, ink) in row.iter().skip(view.left).take(width) {
            let style = match ink {
                Ink::Blank => theme.text,
                Ink::Edge { hot: true } => theme.error,
                Ink::Edge { hot: false } => theme.muted,
                Ink::Service(i) => {
                    let name = &drawing.services[*i];
                    if is_selected {
                        theme.selection
                    } else {
                        status_style(theme, status_of(name))
                    }
                }
            };
            if style != run_style && !run.is_empty() {
                spans.push(Span::styled(std::mem::take(&mut run), run_style));
            }
            run_style = style;
            run.push(*ch);
        }
        if !run.is_empty() {
            spans.push(Span::styled(run, run_style));
        }
        lines.push(Line::from(spans));
    }
    while lines.len() + panel.len() < rows {
        lines.push(Line::default());
    }
    lines.extend(panel);
    draw_box(
        frame,
        area,
        theme,
        " Dependency map ",
        theme.border_focus,
        Paragraph::new(lines),
    );
}
