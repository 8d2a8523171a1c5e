//! Incidents on screen: the active incident's pane with its live timeline, the
//! incident list, and the prompts that write to the timeline.

use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::model::incident::{Change, Incident, Sev, Status};
use crate::text::time::{Style, Timestamp};
use crate::text::{clean_line, fit, pad};
use crate::tui::app::State;
use crate::tui::incidents::{Choice, Prompt, Purpose};
use crate::tui::keymap::{Action, Mode as KeyMode};
use crate::tui::theme::Theme;

use super::overlays::{boxed, draw_box};

/// The style of a severity: sev1 and sev2 in the error colour, sev3 a warning.
fn sev_style(theme: &Theme, sev: Sev) -> ratatui::style::Style {
    match sev {
        Sev::Sev1 | Sev::Sev2 => theme.error,
        Sev::Sev3 => theme.warning,
        Sev::Sev4 => theme.muted,
    }
}

/// The active incident and the newest end of its timeline, for the detail pane.
pub fn pane_lines<'a>(state: &'a State, theme: &Theme, rows: usize, width: usize) -> Vec<Line<'a>> {
    let Some(inc) = state.incidents.active() else {
        return vec![Line::from(Span::styled(
            "Reading the incident…",
            theme.muted,
        ))];
    };
    let mut lines = header(state, theme, inc, rows, width);
    // The newest events matter most mid-incident: show the tail that fits, one row
    // each.
    let room = rows.saturating_sub(lines.len()).max(1);
    let events = &state.incidents.timeline;
    let skip = if events.len() > room {
        events.len() - room + 1
    } else {
        0
    };
    if skip > 0 {
        lines.push(Line::from(Span::styled(
            format!("  … {skip} earlier: clops incident show {}", inc.id),
            theme.muted,
        )));
    }
    for e in events.iter().skip(skip) {
        let style = match &e.change {
            Change::Declared { .. } | Change::StatusChanged { .. } => theme.accent,
            Change::SeverityChanged { .. } => theme.warning,
            _ => theme.text,
        };
        let lead = format!("{} {} ", Timestamp::TimeCell.format(e.at), e.author);
        let room = width.saturating_sub(lead.chars().count());
        lines.push(Line::from(vec![
            Span::styled(lead, theme.muted),
            Span::styled(fit(&e.change.describe(), room), style),
        ]));
    }
    lines
}

/// The incident in two or three lines, each cut to the pane's width: on a small
/// terminal the timeline needs every row it can get.
fn header<'a>(
    state: &State,
    theme: &Theme,
    inc: &Incident,
    rows: usize,
    width: usize,
) -> Vec<Line<'a>> {
    let roles: Vec<String> = inc.roles.iter().map(|(r, w)| format!("{r} {w}")).collect();
    let lead = format!("{} {} {} ", inc.id, inc.severity, inc.status);
    let mut lines = vec![
        Line::from(vec![
            Span::styled(format!("{} ", inc.id), theme.title),
            Span::styled(format!("{} ", inc.severity), sev_style(theme, inc.severity)),
            Span::styled(format!("{} ", inc.status), theme.accent),
            Span::styled(
                fit(&inc.title, width.saturating_sub(lead.chars().count())),
                theme.text,
            ),
        ]),
        Line::from(Span::styled(
            fit(
                &format!(
                    "declared {} ago · {}",
                    Style::Age.format(state.now - inc.declared_at),
                    roles.join(" · ")
                ),
                width,
            ),
            theme.muted,
        )),
    ];
    if rows >= 10 && (!inc.services.is_empty() || !inc.alerts.is_empty()) {
        let services = if inc.services.is_empty() {
            "none".to_string()
        } else {
            inc.services.join(", ")
        };
        lines.push(Line::from(Span::styled(
            fit(
                &format!(
                    "services {services} · {}",
                    crate::text::plural(inc.alerts.len(), "alert")
                ),
                width,
            ),
            theme.muted,
        )));
    }
    if rows >= 8 {
        lines.push(Line::from(Span::styled("Timeline (UTC)", theme.title)));
    }
    lines
}

/// `I`: every incident, the active one marked.
pub fn list(state: &State, theme: &Theme, frame: &mut Frame, selected: usize) {
    let incidents = &state.incidents.list;
    let area = boxed(frame.area(), 100, incidents.len().max(1) as u16 + 5, true);
    let width = usize::from(area.width.saturating_sub(2));
    let mut lines = Vec::new();
    if incidents.is_empty() {
        lines.push(Line::from(Span::styled(
            " No incidents yet: D declares one from the selected group.",
            theme.muted,
        )));
    }
    for (i, inc) in incidents.iter().enumerate() {
        let active = state.incidents.active.as_deref() == Some(&inc.id);
        let row = format!(
            "{} {}  {}  {}  {}  {}",
            if active { "▶" } else { " " },
            pad(&inc.id, 16),
            inc.severity,
            pad(inc.status.as_str(), 13),
            pad(
                &format!("{} ago", Style::Age.format(state.now - inc.declared_at)),
                8
            ),
            inc.title
        );
        let style = if i == selected {
            theme.selection
        } else if inc.status == Status::Resolved {
            theme.muted
        } else {
            theme.text
        };
        lines.push(Line::from(Span::styled(fit(&row, width), style)));
    }
    lines.push(Line::default());
    let hint = state.keymap.hint(
        KeyMode::Incidents,
        &[
            (&[Action::Activate], "make active"),
            (&[Action::Down, Action::Up], "move"),
            (&[Action::Back], "close"),
        ],
    );
    lines.push(Line::from(Span::styled(hint, theme.muted)));
    draw_box(
        frame,
        area,
        theme,
        " Incidents ",
        theme.border_focus,
        Paragraph::new(lines),
    );
}

/// A prompt: what is being typed, and what enter will do with it.
pub fn prompt(state: &State, theme: &Theme, frame: &mut Frame, prompt: &Prompt) {
    let area = boxed(frame.area(), 90, 9, true);
    let width = usize::from(area.width.saturating_sub(4));
    let key = |a: Action| state.keymap.key_in(KeyMode::Prompt, a);
    let (submit, cancel) = (key(Action::Submit), key(Action::Back));
    let (title, about, help) = match &prompt.purpose {
        Purpose::Declare {
            severity,
            services,
            alerts,
            ..
        } => (
            " Declare incident ",
            format!(
                " {severity} · commander {} · {} · {}",
                state.author,
                if services.is_empty() {
                    "no services".to_string()
                } else {
                    services.join(", ")
                },
                crate::text::plural(alerts.len(), "alert")
            ),
            format!(
                " {submit} declare · {} severity · {cancel} cancel",
                key(Action::IncidentSeverity)
            ),
        ),
        Purpose::Note => (
            " Note ",
            format!(" to {}", state.incidents.active.as_deref().unwrap_or("?")),
            format!(" {submit} record · {cancel} cancel"),
        ),
        Purpose::Role => (
            " Role ",
            format!(
                " ROLE WHO, in {} · roles: {}",
                state.incidents.active.as_deref().unwrap_or("?"),
                state.incidents.roles.join(", ")
            ),
            format!(" {submit} record · {cancel} cancel"),
        ),
    };
    // Keep the end of what is being typed in view.
    let tail: String = {
        let chars: Vec<char> = clean_line(&prompt.input).chars().collect();
        chars[chars.len().saturating_sub(width.saturating_sub(1))..]
            .iter()
            .collect()
    };
    let mut lines = vec![
        Line::from(Span::styled(fit(&about, width + 2), theme.muted)),
        Line::default(),
        Line::from(Span::styled(format!(" {tail}█"), theme.selection)),
        Line::default(),
    ];
    if let Some(p) = &prompt.problem {
        lines.push(Line::from(Span::styled(
            format!(" {}", clean_line(p)),
            theme.error,
        )));
    }
    lines.push(Line::from(Span::styled(help, theme.muted)));
    let body = Paragraph::new(lines).wrap(Wrap { trim: false });
    draw_box(frame, area, theme, title, theme.border_focus, body);
}

/// A pick of status or severity: the four values by digit, the current one marked.
pub fn choice(state: &State, theme: &Theme, frame: &mut Frame, choice: Choice) {
    let area = boxed(frame.area(), 60, 9, false);
    let inc = state.incidents.active();
    let (title, values, current): (&'static str, Vec<&str>, Option<usize>) = match choice {
        Choice::Status => (
            " Status ",
            Status::ALL.iter().map(|s| s.as_str()).collect(),
            inc.and_then(|i| Status::ALL.iter().position(|s| *s == i.status)),
        ),
        Choice::Severity => (
            " Severity ",
            Sev::ALL.iter().map(|s| s.as_str()).collect(),
            inc.and_then(|i| Sev::ALL.iter().position(|s| *s == i.severity)),
        ),
    };
    let picks = [Action::Pick1, Action::Pick2, Action::Pick3, Action::Pick4]
        .map(|a| state.keymap.keys_text_in(KeyMode::Choice, a));
    let mut lines: Vec<Line> = values
        .iter()
        .zip(&picks)
        .enumerate()
        .map(|(i, (v, key))| {
            let now = if current == Some(i) { "  (now)" } else { "" };
            Line::from(vec![
                Span::styled(format!(" {key} "), theme.accent),
                Span::styled(format!("{v}{now}"), theme.text),
            ])
        })
        .collect();
    let digits = picks
        .iter()
        .all(|k| k.len() == 1 && k.chars().all(|c| c.is_ascii_digit()));
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(
        if digits {
            " a digit picks · any other key cancels"
        } else {
            " the key beside a value picks it · any other key cancels"
        },
        theme.muted,
    )));
    draw_box(
        frame,
        area,
        theme,
        title,
        theme.border_focus,
        Paragraph::new(lines),
    );
}
