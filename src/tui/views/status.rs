//! The status bar (sources, counts, clocks) and the footer (key hints, filter, messages).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use crate::model::Health;
use crate::redact::{self, scrub};
use crate::text::time::{self, Style, Timestamp};
use crate::text::{clean_line, fit, pad, plural};
use crate::tui::app::{Mode, State};
use crate::tui::keymap::{Action, Mode as KeyMode};
use crate::tui::theme::Theme;

/// A symbol per health, so the state reads without colour too.
pub fn health_symbol(h: Health) -> &'static str {
    match h {
        Health::Ok => "●",
        Health::Stale => "◐",
        Health::Down => "✖",
        Health::Waiting | Health::Authenticating => "…",
    }
}

/// Top line: product, each source with its health, counts, and the clocks.
pub fn render_status(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    if area.height == 0 {
        return;
    }
    let width = usize::from(area.width);
    let clock = format!(" {} ", time::clock(state.now, state.local));
    let utc_only = format!(" {} ", Timestamp::Minute.format(state.now));
    let stats = state.board.stats;
    let pages = state
        .board
        .groups
        .iter()
        .filter(|g| g.class == crate::model::Class::Page)
        .count();
    let long = if pages > 0 {
        format!(" {} · {} ", stats.describe(), plural(pages, "page"))
    } else {
        format!(" {} ", stats.describe())
    };
    let medium = format!(
        " {} → {} ",
        plural(stats.unique, "alert"),
        plural(stats.groups, "group")
    );
    let short = format!(" {}→{} ", stats.unique, stats.groups);
    let sources = &state.board.sources;
    // Try the roomiest layout first, then shed detail until it fits.
    for (verbose_sources, counts, clock) in [
        (true, &long, &clock),
        (false, &long, &clock),
        (false, &medium, &clock),
        (false, &medium, &utc_only),
        (false, &short, &utc_only),
    ] {
        let mut spans = vec![Span::styled(
            format!(" {} ", state.title),
            theme.title.patch(theme.bar),
        )];
        if state.read_only {
            spans.push(Span::styled(" read-only ", theme.bar.patch(theme.warning)));
        }
        if let Some(inc) = state.incidents.active() {
            // The incident everyone is working: its id and where it stands.
            let text = if verbose_sources {
                format!(" {} {} {} ", inc.id, inc.severity, inc.status)
            } else {
                format!(" {} ", inc.id)
            };
            spans.push(Span::styled(text, theme.bar.patch(theme.warning)));
        }
        for s in sources {
            // A stale source says how old its data is; compact layouts keep the symbol.
            let label = if s.status == Health::Stale
                && let Some(at) = s.data_at
            {
                let age = Style::Age.format(state.now - at);
                if verbose_sources {
                    format!(" {} {} stale {age} ", health_symbol(s.status), s.name)
                } else {
                    format!(" {} {} {age} ", health_symbol(s.status), s.name)
                }
            } else if verbose_sources && s.status != Health::Ok {
                format!(
                    " {} {} {} ",
                    health_symbol(s.status),
                    s.name,
                    s.status.as_str()
                )
            } else {
                format!(" {} {} ", health_symbol(s.status), s.name)
            };
            spans.push(Span::styled(label, theme.bar.patch(theme.health(s.status))));
        }
        if sources.is_empty() {
            spans.push(Span::styled(" no sources ", theme.bar.patch(theme.muted)));
        }
        spans.push(Span::styled(
            counts.to_string(),
            theme.bar.patch(theme.accent),
        ));
        let used: usize = spans.iter().map(|s| s.content.width()).sum();
        if used + clock.width() <= width {
            spans.push(Span::styled(
                " ".repeat(width - used - clock.width()),
                theme.bar,
            ));
            spans.push(Span::styled(clock.to_string(), theme.bar));
            frame.render_widget(Paragraph::new(Line::from(spans)), area);
            return;
        }
    }
    let text = pad(&format!(" {} {}", state.title, short), width);
    frame.render_widget(Paragraph::new(Span::styled(text, theme.bar)), area);
}

/// The filter being typed. Matchers that do not parse show where they go wrong: the
/// character at fault is marked, and the reason follows.
fn filter_line<'a>(state: &State, theme: &Theme, width: usize) -> Line<'a> {
    let text = clean_line(&state.filter);
    let Some(e) = state.filter_error().filter(|_| text == state.filter) else {
        let key = |a: Action| state.keymap.key_in(KeyMode::Filter, a);
        let mut hint = format!("  {} keep · {} clear", key(Action::Keep), key(Action::Back));
        if state.filter_words().is_some() || state.filter.trim().is_empty() {
            hint.push_str(" · name=value filters by label");
        }
        let text = format!(" /{text}█");
        return Line::from(vec![
            Span::styled(text.clone(), theme.bar.patch(theme.accent)),
            Span::styled(
                pad(&hint, width.saturating_sub(text.width())),
                theme.bar.patch(theme.muted),
            ),
        ]);
    };
    let at = e.at.min(text.len());
    let (before, rest) = text.split_at(at);
    let mut chars = rest.chars();
    let fault = chars.next().map(String::from).unwrap_or_else(|| " ".into());
    let after: String = chars.collect();
    let reason = format!("  ✗ column {}: {}", e.column(), e.reason);
    let used = 2 + before.width() + fault.width() + after.width() + 1;
    Line::from(vec![
        Span::styled(format!(" /{before}"), theme.bar.patch(theme.accent)),
        Span::styled(
            fault,
            theme
                .bar
                .patch(theme.error)
                .add_modifier(Modifier::REVERSED),
        ),
        Span::styled(format!("{after}█"), theme.bar.patch(theme.accent)),
        Span::styled(
            pad(&reason, width.saturating_sub(used)),
            theme.bar.patch(theme.error),
        ),
    ])
}

/// Bottom line: what keys do now, the filter being typed, or the last message.
pub fn render_footer(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    if area.height == 0 {
        return;
    }
    let width = usize::from(area.width);
    let line = if let Some(m) = &state.message {
        let style = if m.is_error {
            theme.error
        } else {
            theme.accent
        };
        // Messages quote what backends, the store and commands answered: no secret
        // and nothing hidden reaches the screen through them.
        Line::from(Span::styled(
            pad(&format!(" {}", scrub(&clean_line(&m.text))), width),
            theme.bar.patch(style),
        ))
    } else if state.mode == Mode::Filter {
        filter_line(state, theme, width)
    } else {
        let hints = hints(state);
        let mut spans = Vec::new();
        let mut used = 0;
        // A source in trouble comes first, with its reason, before any hint: the one
        // thing a responder must not miss is that part of the picture is missing.
        let trouble = state
            .board
            .sources
            .iter()
            .find(|s| matches!(s.status, Health::Down | Health::Stale))
            .map(|s| {
                (
                    s.status,
                    s.name.as_str(),
                    s.error
                        .as_deref()
                        .map_or_else(|| s.status.as_str().into(), redact::scrubbed),
                )
            })
            .or_else(|| {
                // Next worst: a rule that fails to evaluate pages nobody.
                state.board.sources.iter().find_map(|s| {
                    let r = s.failing_rules().next()?;
                    Some((
                        Health::Stale,
                        s.name.as_str(),
                        format!(
                            "rule {} fails: {}",
                            r.name,
                            r.last_error.as_deref().unwrap_or("no reason given")
                        ),
                    ))
                })
            });
        if matches!(state.mode, Mode::Browse)
            && let Some((health, name, why)) = trouble
        {
            let key = state
                .keymap
                .keys(Action::Sources)
                .first()
                .map(ToString::to_string)
                .unwrap_or_else(|| ":sources".into());
            let more = format!(" {key} why ");
            let room = width.saturating_sub(more.width() + 1);
            let text = fit(&format!(" {} {name}: {why}", health_symbol(health)), room);
            used += text.width() + more.width();
            spans.push(Span::styled(text, theme.bar.patch(theme.health(health))));
            spans.push(Span::styled(more, theme.bar.patch(theme.accent)));
        }
        for (keys, what) in hints {
            let piece = format!(" {keys} {what} ");
            if used + piece.width() > width {
                break;
            }
            used += piece.width();
            spans.push(Span::styled(
                format!(" {keys}"),
                theme.bar.patch(theme.accent),
            ));
            spans.push(Span::styled(format!(" {what} "), theme.bar));
        }
        spans.push(Span::styled(
            " ".repeat(width.saturating_sub(used)),
            theme.bar,
        ));
        Line::from(spans)
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// The hints worth a footer slot, in order of how much a newcomer needs them.
fn hints(state: &State) -> Vec<(String, &'static str)> {
    let k_in = |m: KeyMode, a: Action| {
        state
            .keymap
            .keys_in(m, a)
            .first()
            .map(ToString::to_string)
            .unwrap_or_else(|| format!(":{}", a.name()))
    };
    let k = |a: Action| k_in(KeyMode::Global, a);
    match state.mode {
        Mode::Help { .. } => {
            let k = |a: Action| k_in(KeyMode::Help, a);
            vec![
                (format!("{}/{}", k(Action::Down), k(Action::Up)), "scroll"),
                (k(Action::Back), "close"),
                (k(Action::Quit), "quit"),
            ]
        }
        Mode::Sources => vec![
            (k_in(KeyMode::Sources, Action::Back), "close"),
            (k_in(KeyMode::Sources, Action::Quit), "quit"),
        ],
        Mode::Palette { .. } => {
            let key = |a: Action| state.keymap.key_in(KeyMode::Palette, a);
            vec![
                (key(Action::Complete), "complete"),
                (key(Action::Run), "run"),
                (key(Action::Back), "close"),
            ]
        }
        _ => {
            let mut v = vec![
                (format!("{}/{}", k(Action::Down), k(Action::Up)), "move"),
                (k(Action::Toggle), "expand"),
                (k(Action::Filter), "filter"),
                (k(Action::Palette), "command"),
                (k(Action::Help), "help"),
                (k(Action::Quit), "quit"),
                (k(Action::FocusNext), "detail"),
                (k(Action::Sources), "sources"),
            ];
            if state.hits.is_some() {
                v.insert(0, (k(Action::Back), "clear filter"));
            }
            v
        }
    }
}
