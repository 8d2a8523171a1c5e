//! The SLO view: a summary line, the SLOs least budget first (each row in the colour
//! of its state, with a sparkline of the last day's burn), and a braille chart of the
//! selected SLO's burn over 24h or 7d with the 1× and 14.4× lines.

use chrono::Duration;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::canvas::{Canvas, Line as Segment};
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::slo::SloStatus;
use crate::slo::burn::{State as BurnState, Window};
use crate::slo::report::burn;
use crate::text::time;
use crate::text::{clean_line, fit, pad, pad_left};
use crate::tui::app::State;
use crate::tui::keymap::{Action, Mode as KeyMode};
use crate::tui::slos::{SloView, selected_index, sparkline, state_word, summary, times};
use crate::tui::theme::Theme;

use super::overlays::between_bars;

/// The page line of the workbook's fastest rule (1h and 5m).
const PAGE_BURN: f64 = 14.4;
/// Rows the chart keeps however many SLOs there are.
const CHART_MIN: usize = 6;
const BURN_WINDOWS: [Window; 4] = [Window::M5, Window::H1, Window::H6, Window::D3];

pub fn render(state: &State, theme: &Theme, frame: &mut Frame, view: &SloView) {
    let area = between_bars(frame.area());
    let block = Block::bordered()
        .title(Span::styled(" SLOs ", theme.title))
        .border_style(theme.border_focus)
        .style(theme.text);
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    let height = usize::from(inner.height);
    let key = |a: Action| state.keymap.key_in(KeyMode::Slos, a);
    let hint = format!(
        " {}/{} select · {} or {} 24h/7d · {} measure now · {} close",
        key(Action::Down),
        key(Action::Up),
        key(Action::FocusNext),
        key(Action::Week),
        key(Action::Refresh),
        key(Action::Back)
    );
    let help = Line::from(Span::styled(fit(&hint, width), theme.muted));
    let slos = &state.slos;
    if slos.statuses.is_empty() {
        let text = match (&slos.missing, slos.measured) {
            (Some(why), _) => why.clone(),
            (None, false) => "Measuring SLOs…".to_string(),
            (None, true) => "No SLOs.".to_string(),
        };
        let mut lines = vec![Line::from(Span::styled(format!(" {text}"), theme.muted))];
        while lines.len() + 1 < height {
            lines.push(Line::default());
        }
        lines.push(help);
        frame.render_widget(
            Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: false }),
            inner,
        );
        return;
    }
    let selected = selected_index(state, view);
    let mut top = vec![summary_line(state, theme, width)];
    let columns = Columns::fit(&slos.statuses, width);
    top.push(Line::from(Span::styled(
        fit(&columns.header(), width),
        theme.muted,
    )));
    // Table, detail, chart title, chart, axis, help.
    let room = height
        .saturating_sub(top.len() + 4 + CHART_MIN)
        .clamp(1, slos.statuses.len());
    let first = selected.saturating_sub(room - 1);
    for (i, s) in slos.statuses.iter().enumerate().skip(first).take(room) {
        top.push(columns.row(s, i == selected, theme, width));
    }
    let chosen = &slos.statuses[selected];
    top.push(detail_line(state, chosen, theme, width));
    let (span, span_name) = if view.week {
        (crate::slo::eval::WEEK.back, "7d")
    } else {
        (crate::slo::eval::DAY.back, "24h")
    };
    let points: &[(chrono::DateTime<chrono::Utc>, f64)] = match &chosen.history {
        Some(h) if view.week => &h.week,
        Some(h) => &h.day,
        None => &[],
    };
    let from = state.now - span;
    let visible: Vec<(f64, f64)> = points
        .iter()
        .filter(|(t, _)| *t >= from)
        .map(|(t, b)| ((*t - state.now).num_seconds() as f64, *b))
        .collect();
    let peak = visible.iter().map(|p| p.1).fold(0.0, f64::max);
    let y_max = peak.max(1.0) * 1.15;
    let mut title = format!(" burn of {}, last {span_name}", clean_line(&chosen.name));
    if let Some(last) = visible.last() {
        title.push_str(&format!(" · now {} · peak {}", times(last.1), times(peak)));
    }
    if !visible.is_empty() && y_max < PAGE_BURN {
        title.push_str(" · 14.4× page line above");
    }
    top.push(Line::from(Span::styled(fit(&title, width), theme.title)));
    let top_h = top.len() as u16;
    frame.render_widget(
        Paragraph::new(top),
        Rect::new(inner.x, inner.y, inner.width, top_h.min(inner.height)),
    );
    let chart_h = inner.height.saturating_sub(top_h + 2);
    let chart = Rect::new(inner.x, inner.y + top_h, inner.width, chart_h);
    let bottom = Rect::new(inner.x, inner.y + top_h + chart_h, inner.width, 2);
    let axis = axis_line(width, span, theme);
    if visible.is_empty() {
        let why = match (&chosen.history, &chosen.history_error) {
            (_, Some(e)) => format!(" No burn history: {}", clean_line(e)),
            (None, None) => " No burn history yet: it is measured every 5 minutes.".to_string(),
            (Some(_), None) => format!(" No data in the last {span_name}."),
        };
        frame.render_widget(
            Paragraph::new(Span::styled(fit(&why, width), theme.muted)),
            chart,
        );
    } else {
        draw_chart(frame, chart, theme, &visible, span, y_max);
    }
    frame.render_widget(Paragraph::new(vec![axis, help]), bottom);
}

/// `in objective 8 · out 2 · budget consumed 41% (mean) · open incidents 1`
fn summary_line<'a>(state: &State, theme: &Theme, width: usize) -> Line<'a> {
    let s = summary(state);
    let consumed = s
        .consumed_mean
        .map(|c| format!("{:.0}%", c * 100.0))
        .unwrap_or_else(|| "-".into());
    let parts = vec![
        Span::styled(" in objective ", theme.muted),
        Span::styled(s.in_objective.to_string(), theme.ok),
        Span::styled(" · out ", theme.muted),
        Span::styled(
            s.out.to_string(),
            if s.out > 0 { theme.error } else { theme.ok },
        ),
        Span::styled(" · budget consumed ", theme.muted),
        Span::styled(consumed, theme.text),
        Span::styled(" (mean)", theme.muted),
        Span::styled(" · open incidents ", theme.muted),
        Span::styled(
            s.open_incidents.to_string(),
            if s.open_incidents > 0 {
                theme.warning
            } else {
                theme.text
            },
        ),
    ];
    let line = Line::from(parts);
    if line.width() <= width {
        line
    } else {
        // Too narrow for the words: the same numbers, shorter.
        Line::from(Span::styled(
            fit(
                &format!(
                    " in {} · out {} · spent {} · incidents {}",
                    s.in_objective,
                    s.out,
                    s.consumed_mean
                        .map(|c| format!("{:.0}%", c * 100.0))
                        .unwrap_or_else(|| "-".into()),
                    s.open_incidents
                ),
                width,
            ),
            theme.text,
        ))
    }
}

/// Which columns fit, and how wide the flexible ones are.
struct Columns {
    name: usize,
    /// 0 when the service is left out (it is on the detail line).
    service: usize,
    objective: bool,
    spark: usize,
}

// Widths with the space before: burn rates and durations are at most five and six
// characters (`12.3`, `14h23m`), budgets five (`-100%`); headers are wider.
const BURN_W: usize = 6;
const STATE_W: usize = 7;
const BUDGET_W: usize = 7;
const EXHAUST_W: usize = 9;
const OBJ_W: usize = 8;
/// The marker before a row, and the spaces before its sparkline.
const MARK_W: usize = 2;
const SPARK_GAP: usize = 2;

impl Columns {
    fn fit(statuses: &[SloStatus], width: usize) -> Columns {
        let longest = |f: &dyn Fn(&SloStatus) -> usize| statuses.iter().map(f).max().unwrap_or(0);
        let name_want = longest(&|s| clean_line(&s.name).chars().count()).clamp(4, 36) + 1;
        let service_want = longest(&|s| clean_line(&s.service).chars().count()).clamp(7, 20) + 1;
        let fixed =
            MARK_W + STATE_W + BURN_W * BURN_WINDOWS.len() + BUDGET_W + EXHAUST_W + SPARK_GAP;
        let mut c = Columns {
            name: name_want,
            service: service_want,
            objective: true,
            spark: 24,
        };
        let total = |c: &Columns| {
            fixed + c.name + c.service + if c.objective { OBJ_W } else { 0 } + c.spark
        };
        if total(&c) > width {
            c.spark = 12;
        }
        if total(&c) > width {
            c.service = 0;
        }
        if total(&c) > width {
            c.objective = false;
        }
        if total(&c) > width {
            c.spark = 8;
        }
        if total(&c) > width {
            c.name = (c.name + width).saturating_sub(total(&c)).max(10);
        }
        // What is left goes to the sparkline, up to a day's worth of 5-minute cells.
        c.spark += width.saturating_sub(total(&c)).min(72);
        c
    }

    fn header(&self) -> String {
        let mut h = format!("  {}", pad("SLO", self.name));
        if self.service > 0 {
            h.push_str(&pad("SERVICE", self.service));
        }
        if self.objective {
            h.push_str(&pad_left("OBJ", OBJ_W - 1));
            h.push(' ');
        }
        h.push_str(&pad(" STATE", STATE_W));
        for w in BURN_WINDOWS {
            h.push_str(&pad_left(w.label(), BURN_W));
        }
        h.push_str(&pad_left("BUDGET", BUDGET_W));
        h.push_str(&pad_left("EXHAUSTS", EXHAUST_W));
        h.push_str(&" ".repeat(SPARK_GAP));
        h.push_str(&fit("BURN 24h", self.spark));
        h
    }

    fn row<'a>(&self, s: &SloStatus, selected: bool, theme: &Theme, width: usize) -> Line<'a> {
        let mut style = match (s.health(), s.state) {
            (crate::model::Health::Stale, _) => theme.stale,
            (crate::model::Health::Down, _) => theme.down,
            (_, BurnState::Page) => theme.error,
            (_, BurnState::Ticket) => theme.warning,
            (_, BurnState::Ok) => theme.text,
        };
        if selected {
            // The state's colour stays; the selection shows as its background.
            style = style.patch(Style {
                fg: None,
                ..theme.selection
            });
        }
        let mut text = format!(
            "{}{}",
            if selected { "▶ " } else { "  " },
            pad(&clean_line(&s.name), self.name.saturating_sub(1))
        );
        text.push(' ');
        if self.service > 0 {
            text.push_str(&pad(&clean_line(&s.service), self.service));
        }
        if self.objective {
            text.push_str(&pad_left(&format!("{}%", s.objective.target()), OBJ_W - 1));
            text.push(' ');
        }
        text.push_str(&pad(&format!(" {}", state_word(s)), STATE_W));
        for w in BURN_WINDOWS {
            text.push_str(&pad_left(&burn(s.burn_rates.get(w)), BURN_W));
        }
        let budget = s
            .budget_remaining
            .map(|r| format!("{:.0}%", r * 100.0))
            .unwrap_or_else(|| "-".into());
        text.push_str(&pad_left(&budget, BUDGET_W));
        let exhausts = match s.time_to_exhaustion {
            Some(d) if d.is_zero() => "spent".to_string(),
            Some(d) => time::Style::Budget.format(d),
            None => "-".into(),
        };
        text.push_str(&pad_left(&exhausts, EXHAUST_W));
        text.push_str("  ");
        let spark = s
            .history
            .as_ref()
            .map(|h| sparkline(&h.day, self.spark))
            .unwrap_or_default();
        let line = fit(&format!("{text}{spark}"), width);
        Line::from(Span::styled(pad(&line, width), style))
    }
}

/// The selected SLO's particulars: service, objective, source, and why it is stale.
fn detail_line<'a>(state: &State, s: &SloStatus, theme: &Theme, width: usize) -> Line<'a> {
    let mut text = format!(
        " {} · {} · {}% over {} · source {}",
        clean_line(&s.name),
        clean_line(&s.service),
        s.objective.target(),
        time::Style::Prom.format(s.objective.window()),
        clean_line(&s.source),
    );
    if let Some(left) = s.budget_remaining_time() {
        text.push_str(&format!(
            " · {} of outage left",
            time::Style::Budget.format(left)
        ));
    }
    let style = match (&s.error, s.measured_at) {
        (Some(e), Some(at)) => {
            text.push_str(&format!(
                " · stale {}: {}",
                time::Style::Age.format(state.now - at),
                clean_line(e)
            ));
            theme.stale
        }
        (Some(e), None) => {
            text.push_str(&format!(" · {}", clean_line(e)));
            theme.down
        }
        _ => theme.text,
    };
    Line::from(Span::styled(fit(&text, width), style))
}

/// `-24h`, `-12h` … `now` under the chart.
fn axis_line<'a>(width: usize, span: Duration, theme: &Theme) -> Line<'a> {
    let mut cells = vec![' '; width];
    // Every 6 hours of a day, every day of a week.
    let ticks: i32 = if span > Duration::days(1) { 7 } else { 4 };
    for k in 0..=ticks {
        let back = span * (ticks - k) / ticks;
        let text = if k == ticks {
            "now".to_string()
        } else if span > Duration::days(1) {
            format!("-{}d", back.num_days())
        } else {
            format!("-{}h", back.num_hours())
        };
        let col = (width.saturating_sub(1)) * k as usize / ticks as usize;
        let n = text.chars().count();
        let start = col
            .saturating_sub(if k == 0 { 0 } else { n - 1 })
            .min(width.saturating_sub(n));
        for (i, c) in text.chars().enumerate() {
            if let Some(cell) = cells.get_mut(start + i) {
                *cell = c;
            }
        }
    }
    Line::from(Span::styled(
        cells.into_iter().collect::<String>(),
        theme.muted,
    ))
}

fn colour(style: Style) -> Color {
    style.fg.unwrap_or(Color::Reset)
}

/// The burn as a braille line, the 1× and (when in view) 14.4× lines across, labelled
/// at the left; the top of the y axis labelled with its value.
fn draw_chart(
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    points: &[(f64, f64)],
    span: Duration,
    y_max: f64,
) {
    let x_min = -(span.num_seconds() as f64);
    let (accent, muted, error) = (
        colour(theme.accent),
        colour(theme.muted),
        colour(theme.error),
    );
    let canvas = Canvas::default()
        .marker(Marker::Braille)
        .x_bounds([x_min, 0.0])
        .y_bounds([0.0, y_max])
        .paint(|ctx| {
            for (y, c) in [(1.0, muted), (PAGE_BURN, error)] {
                if y <= y_max {
                    ctx.draw(&Segment::new(x_min, y, 0.0, y, c));
                }
            }
            ctx.layer();
            for pair in points.windows(2) {
                ctx.draw(&Segment::new(
                    pair[0].0, pair[0].1, pair[1].0, pair[1].1, accent,
                ));
            }
            if let [only] = points {
                ctx.draw(&Segment::new(only.0, only.1, only.0, only.1, accent));
            }
            ctx.layer();
            if area.height < 2 {
                return;
            }
            let row = |v: f64| label_row(v, y_max, area.height);
            let at = |r: u16| label_y(r, y_max, area.height);
            ctx.print(
                x_min,
                y_max,
                Line::from(Span::styled(times(y_max), theme.muted)),
            );
            let page_row = (PAGE_BURN <= y_max).then(|| row(PAGE_BURN));
            if let Some(r) = page_row.filter(|r| *r > 0) {
                ctx.print(
                    x_min,
                    at(r),
                    Line::from(Span::styled("14.4× page", theme.error)),
                );
            }
            // On a short chart of a fast burn both lines share a row: the page line
            // keeps its name.
            let pace_row = row(1.0);
            if pace_row > 0 && Some(pace_row) != page_row {
                ctx.print(
                    x_min,
                    at(pace_row),
                    Line::from(Span::styled("1× budget pace", theme.muted)),
                );
            }
        });
    frame.render_widget(canvas, area);
}

/// The row of the chart the braille line at `v` is drawn in, as the canvas places dots.
fn label_row(v: f64, y_max: f64, rows: u16) -> u16 {
    let dots = f64::from(rows) * 4.0 - 1.0;
    let dot = ((y_max - v) * dots / y_max).round();
    (dot / 4.0) as u16
}

/// A value the canvas prints in `row` (it floors where it rounds dots).
fn label_y(row: u16, y_max: f64, rows: u16) -> f64 {
    let step = y_max / f64::from(rows - 1);
    (y_max - (f64::from(row) + 1e-6) * step).max(0.0)
}
