//! Pure rendering: `render(&State, &Theme, &mut Frame)` draws one frame from the state.
//! No I/O, no awaits, and only the rows that fit on screen are built.

mod alerts;
mod detail;
mod overlays;
mod status;

use ratatui::Frame;
use ratatui::widgets::Block;

use super::app::{Mode, State};
use super::layout::Areas;
use super::theme::Theme;

/// Draws the whole console.
pub fn render(state: &State, theme: &Theme, frame: &mut Frame) {
    let area = frame.area();
    frame.render_widget(Block::new().style(theme.text), area);
    let areas = Areas::new(area);
    status::render_status(state, theme, frame, areas.status);
    alerts::render(state, theme, frame, areas.list);
    if areas.detail.height > 0 {
        detail::render(state, theme, frame, areas.detail);
    }
    status::render_footer(state, theme, frame, areas.footer);
    match &state.mode {
        Mode::Help { scroll } => overlays::help(state, theme, frame, *scroll),
        Mode::Palette { input, selected } => {
            overlays::palette(state, theme, frame, input, *selected)
        }
        Mode::Sources => overlays::sources(state, theme, frame),
        Mode::Silence(form) => overlays::silence_form(state, theme, frame, form),
        Mode::Confirm(c) => overlays::confirm(theme, frame, c),
        Mode::Browse | Mode::Filter => {}
    }
}

/// Why an alert is not paging, in a few words: `ack alice@jump-1 5m`, `silenced by
/// bob@h until 22:40`, `inhibited`; None when it pages.
pub fn suppression(state: &State, alert: &crate::model::Alert) -> Option<String> {
    let silences: Vec<&crate::model::Silence> = alert
        .silenced_by
        .iter()
        .filter_map(|id| state.board.silence(id))
        .collect();
    if let Some(ack) = silences.iter().find(|s| s.is_ack()) {
        return Some(format!(
            "ack {} {}",
            ack.created_by,
            super::format::age(state.now, ack.starts_at)
        ));
    }
    if let Some(s) = silences.first() {
        return Some(format!(
            "silenced by {} until {}",
            s.created_by,
            s.ends_at.format("%H:%M UTC")
        ));
    }
    if !alert.silenced_by.is_empty() {
        return Some("silenced".into());
    }
    if !alert.inhibited_by.is_empty() {
        return Some("inhibited".into());
    }
    (alert.state == crate::model::AlertState::Suppressed).then(|| "suppressed".into())
}

/// The short tag shown before an alert or group, readable without colour.
pub fn severity_tag(s: crate::model::Severity) -> &'static str {
    use crate::model::Severity;
    match s {
        Severity::Critical => "CRIT",
        Severity::Error => "ERR ",
        Severity::Warning => "WARN",
        Severity::Info => "INFO",
        Severity::None => "NONE",
    }
}
