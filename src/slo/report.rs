//! `clops slo` as a table for people (its JSON is `output::SloJson`).

use chrono::{DateTime, Utc};

use crate::model::Health;
use crate::text::time::Style;
use crate::text::{clean_line, fit, pad};

use super::burn::{State, Window};
use super::eval::SloStatus;

/// The windows shown as table columns: the short and long window of each rule.
const COLUMNS: [Window; 7] = Window::ALL;

/// `clops slo` as a table: one line per SLO, the most urgent first.
pub fn slo_table(slos: &[SloStatus], now: DateTime<Utc>) -> String {
    let mut rows: Vec<&SloStatus> = slos.iter().collect();
    let urgency = |s: &SloStatus| match s.state {
        State::Page => 0,
        State::Ticket => 1,
        State::Ok => 2,
    };
    // Within a state, the fastest burn over the last hour first.
    let hour = |s: &SloStatus| s.burn_rates.get(Window::H1).unwrap_or(-1.0);
    rows.sort_by(|a, b| {
        urgency(a)
            .cmp(&urgency(b))
            .then(hour(b).total_cmp(&hour(a)))
            .then(a.name.cmp(&b.name))
    });
    let name_w = rows
        .iter()
        .map(|s| clean_line(&s.name).chars().count())
        .max()
        .unwrap_or(3)
        .clamp(3, 36);
    let mut out = String::new();
    let mut head = format!(
        "{}  {}  {:>7}  {:>6}",
        pad("SLO", name_w),
        pad("STATE", 6),
        "OBJ",
        "WINDOW"
    );
    for w in COLUMNS {
        head.push_str(&format!("  {:>5}", w.label()));
    }
    head.push_str(&format!("  {:>7}  {:>9}\n", "BUDGET", "EXHAUSTS"));
    out.push_str(&head);
    for s in &rows {
        let state = match s.health() {
            Health::Down => "?".to_string(),
            _ => serde_json::to_value(s.state)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
        };
        let mut line = format!(
            "{}  {}  {:>7}  {:>6}",
            // Names can come from files and rules others wrote.
            pad(&fit(&clean_line(&s.name), name_w), name_w),
            pad(&state, 6),
            format!("{}%", s.objective.target()),
            Style::Prom.format(s.objective.window()),
        );
        for w in COLUMNS {
            line.push_str(&format!("  {:>5}", burn(s.burn_rates.get(w))));
        }
        let budget = s
            .budget_remaining
            .map(|r| format!("{:.0}%", r * 100.0))
            .unwrap_or_else(|| "-".into());
        let exhausts = match s.time_to_exhaustion {
            Some(d) if d.is_zero() => "spent".to_string(),
            Some(d) => Style::Budget.format(d),
            None => "-".into(),
        };
        line.push_str(&format!("  {budget:>7}  {exhausts:>9}"));
        match (s.health(), &s.error) {
            (Health::Stale, Some(e)) => {
                let age = s
                    .measured_at
                    .map(|t| Style::Age.format(now - t))
                    .unwrap_or_default();
                line.push_str(&format!("  stale {age}: {e}"));
            }
            (Health::Down, Some(e)) => line.push_str(&format!("  {e}")),
            _ => {}
        }
        // Its alerts need windows nothing records: say so, rather than seem fine.
        if !s.unknown_windows.is_empty() && s.health() != Health::Down {
            line.push_str(&format!("  no data for {}", s.unknown_windows.join(", ")));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    let count = |st: State| slos.iter().filter(|s| s.state == st).count();
    out.push_str(&format!(
        "\n{}: {} page, {} ticket, {} ok; burn rates are multiples of the budget's pace\n",
        crate::text::plural(slos.len(), "SLO"),
        count(State::Page),
        count(State::Ticket),
        count(State::Ok)
    ));
    out
}

/// A burn rate in at most five characters.
pub(crate) fn burn(b: Option<f64>) -> String {
    match b {
        None => "-".into(),
        Some(b) if b >= 1000.0 => format!("{:.0}k", b / 1000.0),
        Some(b) if b >= 100.0 => format!("{b:.0}"),
        Some(b) if b >= 10.0 => format!("{b:.1}"),
        Some(b) => format!("{b:.2}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_fit_their_columns() {
        assert_eq!(burn(Some(0.4)), "0.40");
        assert_eq!(burn(Some(14.4)), "14.4");
        assert_eq!(burn(Some(250.0)), "250");
        assert_eq!(burn(Some(12_345.0)), "12k");
        assert_eq!(burn(None), "-");
    }
}
