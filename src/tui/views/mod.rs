//! Pure rendering: `render(&State, &Theme, &mut Frame)` draws one frame from the state.
//! No I/O, no awaits, and only the rows that fit on screen are built.

mod alerts;
mod deploys;
mod detail;
mod incident;
mod map;
mod overlays;
mod runbook;
mod slos;
mod status;

use ratatui::layout::Rect;

use ratatui::Frame;
use ratatui::widgets::Block;

use super::app::{Mode, State};
use super::layout::Areas;
use super::theme::Theme;

use crate::text::time::{Style, Timestamp};

pub use runbook::confirm_scroll_limit as runbook_confirm_scroll_limit;

/// How far the help overlay can scroll before its last line leaves the screen.
pub fn help_scroll_limit(state: &State) -> u16 {
    let inner = overlays::help_area(Rect::new(0, 0, state.width, state.height))
        .height
        .saturating_sub(2);
    let total = overlays::help_lines(state, &Theme::default()).len();
    total.saturating_sub(usize::from(inner)) as u16
}

/// How far a confirmation's details can scroll before their last row leaves the box.
pub fn confirm_scroll_limit(state: &State, confirm: &crate::tui::actions::Confirm) -> usize {
    let layout = overlays::confirm_layout(Rect::new(0, 0, state.width, state.height), confirm);
    layout
        .details
        .len()
        .saturating_sub(usize::from(layout.details_h))
}

/// How far the detail pane can scroll before its last line leaves the pane.
pub fn detail_scroll_limit(state: &State) -> u16 {
    let area = Areas::new(Rect::new(0, 0, state.width, state.height)).detail;
    let (w, h) = (
        usize::from(area.width.saturating_sub(2)).max(1),
        usize::from(area.height.saturating_sub(2)),
    );
    // Rows after wrapping: each line takes its width in rows, at least one.
    let rows: usize = detail::lines(state, &Theme::default())
        .iter()
        .map(|l| l.width().div_ceil(w).max(1))
        .sum();
    rows.saturating_sub(h) as u16
}

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
        Mode::Confirm(c) => overlays::confirm(state, theme, frame, c),
        Mode::Prompt(p) => incident::prompt(state, theme, frame, p),
        Mode::Choose(c) => incident::choice(state, theme, frame, *c),
        Mode::Incidents { selected } => incident::list(state, theme, frame, *selected),
        Mode::Runbooks { input, selected } => {
            runbook::picker(state, theme, frame, input, *selected)
        }
        Mode::Runbook => runbook::run(state, theme, frame),
        Mode::Map(view) => map::render(state, theme, frame, view),
        Mode::Deploys(view) => deploys::render(state, theme, frame, view),
        Mode::Slos(view) => slos::render(state, theme, frame, view),
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
            Style::Age.format(state.now - ack.starts_at)
        ));
    }
    if let Some(s) = silences.first() {
        return Some(format!(
            "silenced by {} until {}",
            s.created_by,
            Timestamp::Minute.format(s.ends_at)
        ));
    }
    if !alert.silenced_by.is_empty() {
        return Some("silenced".into());
    }
    if !alert.inhibited_by.is_empty() {
        return Some("inhibited".into());
    }
    match alert.quiet.as_deref() {
        Some(crate::model::Quiet::Maintenance(name)) => return Some(format!("maintenance {name}")),
        Some(crate::model::Quiet::Flapping(n)) => {
            return Some(format!("flapping: started {n} times lately"));
        }
        None => {}
    }
    (alert.state == crate::model::AlertState::Suppressed).then(|| "suppressed".into())
}
