//! Every way clops reads and writes lengths of time and instants.
//!
//! Durations: [`parse`] reads what people write (`15s`, `1h30m`), [`parse_window`] an
//! SLO window, and a [`Style`] writes one for each kind of reader. Instants: a
//! [`Timestamp`] for each place a time is printed, and the console's [`clock`].
//!
//! Every style is a contract with someone (a JSON field, a PromQL range, a report a
//! person reads, a snapshot): a style keeps its output, a new need gets a new style.

use std::borrow::Cow;
use std::time::Duration;

use chrono::{DateTime, FixedOffset, SecondsFormat, TimeDelta, Utc};

use super::Digits;

/// Why text is not the duration it was meant to be.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DurationError {
    /// Not written like `15s` or `1h30m`; holds the text as given.
    #[error("`{0}` is not a duration (write it like 15s, 5m, 1h30m or 500ms)")]
    Malformed(String),
    /// A duration of zero where only a longer one makes sense.
    #[error("give a duration longer than zero")]
    Zero,
    /// Not written like an SLO window (`30d`, `4w`); holds the text as given.
    #[error("`{0}` is not a window (write it like 30d, 28d or 4w)")]
    NotAWindow(String),
    /// A window past what a chrono duration holds.
    #[error("`{0}` is too long a window")]
    WindowTooLong(String),
}

/// Reads a duration as config, flags and PromQL write it: numbers each followed by a
/// unit of `ms`, `s`, `m`, `h`, `d` or `w`, summed: `15s`, `5m`, `1h30m`, `500ms`,
/// `2d`, `1w`. Surrounding spaces are ignored.
pub fn parse(s: &str) -> Result<Duration, DurationError> {
    let err = || DurationError::Malformed(s.to_string());
    let s = s.trim();
    if s.is_empty() {
        return Err(err());
    }
    let mut total = Duration::ZERO;
    let mut rest = s;
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit()).ok_or_else(err)?;
        if digits == 0 {
            return Err(err());
        }
        let n: u64 = rest[..digits].parse().map_err(|_| err())?;
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let unit = match &rest[..unit_len] {
            "ms" => Duration::from_millis(1),
            "s" => Duration::from_secs(1),
            "m" => Duration::from_secs(60),
            "h" => Duration::from_secs(3600),
            "d" => Duration::from_secs(86_400),
            "w" => Duration::from_secs(7 * 86_400),
            _ => return Err(err()),
        };
        total += unit * u32::try_from(n).map_err(|_| err())?;
        rest = &rest[unit_len..];
    }
    Ok(total)
}

/// Reads an SLO window as Prometheus writes it (`30d`, `4w`, `1h30m`) into the chrono
/// duration the SLO math works in.
pub fn parse_window(s: &str) -> Result<TimeDelta, DurationError> {
    let d = parse(s).map_err(|_| DurationError::NotAWindow(s.to_string()))?;
    TimeDelta::from_std(d).map_err(|_| DurationError::WindowTooLong(s.to_string()))
}

/// A length of time as either clock library measures it: std's (timeouts, config) or
/// chrono's (between two instants). Every style writes a negative length, which only
/// clock skew between hosts makes, as zero.
pub trait Length {
    /// The length, zero when negative.
    fn length(self) -> Duration;
}

impl Length for Duration {
    fn length(self) -> Duration {
        self
    }
}

impl Length for TimeDelta {
    fn length(self) -> Duration {
        self.to_std().unwrap_or_default()
    }
}

/// How a duration is written, one style for each kind of reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// As config and flags write it, so [`parse`] reads it back: milliseconds under a
    /// second, then every unit that is not zero, seconds the smallest.
    /// `250ms`, `15s`, `2m30s`, `1h`, `1d2h`.
    Config,
    /// A PromQL range such as `[5m]`: `5m`, `1h30m`, `30d`. The same units as
    /// [`Style::Config`]; a name of its own because queries and rule names hang on it.
    Prom,
    /// How long ago, to the minute, for narrow columns: `<1m`, `42m`, `3h05m`, `2d`.
    Age,
    /// Incident reports and their statistics: `45s`, `12m`, `12m30s`, `1h05m`,
    /// `2d03h`.
    Report,
    /// How long a runbook step took: tenths of a second under a minute, `0.4s`; then as
    /// [`Style::Report`], `2m05s`.
    Step,
    /// Seconds to the tenth, however long, as the timeline's lines say it: `0.4s`,
    /// `125.3s`.
    Tenths,
    /// What an error budget lasts, in its two largest units: `42m`, `5h12m`, `3d4h`.
    Budget,
    /// How close together an incident's alerts started: `40s`, `6m`, `2h10m`.
    Within,
    /// Seconds as a bare number, as Prometheus' API takes a query step: `15`, `0.5`.
    Seconds,
}

impl Style {
    /// `d` written in this style.
    pub fn format(self, d: impl Length) -> String {
        let d = d.length();
        let s = d.as_secs();
        match self {
            Style::Config | Style::Prom => config(d),
            Style::Age => match s {
                s if s < 60 => "<1m".into(),
                s if s < 3600 => format!("{}m", s / 60),
                s if s < 86_400 => format!("{}h{:02}m", s / 3600, s % 3600 / 60),
                s => format!("{}d", s / 86_400),
            },
            Style::Report => report(s),
            Style::Step if s < 60 => tenths(d),
            Style::Step => report(s),
            Style::Tenths => tenths(d),
            Style::Budget => {
                let mins = s / 60;
                let (days, hours, minutes) = (mins / 1440, mins / 60 % 24, mins % 60);
                match (days, hours) {
                    (0, 0) => format!("{minutes}m"),
                    (0, h) => format!("{h}h{minutes:02}m"),
                    (d, h) => format!("{d}d{h}h"),
                }
            }
            Style::Within => within(d, &mut Digits::default()).into_owned(),
            Style::Seconds => format!("{}", d.as_secs_f64()),
        }
    }
}

/// [`Style::Within`] for a caller that writes many: under an hour it is written into
/// `room` rather than allocated.
pub fn within(d: impl Length, room: &mut Digits) -> Cow<'_, str> {
    let s = d.length().as_secs();
    match s {
        s if s < 60 => room.with(s, "s").into(),
        s if s < 3600 => room.with(s / 60, "m").into(),
        s => format!("{}h{:02}m", s / 3600, s % 3600 / 60).into(),
    }
}

fn config(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let mut secs = d.as_secs();
    let mut out = String::new();
    for (unit, len) in [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)] {
        if secs >= len {
            out.push_str(&format!("{}{unit}", secs / len));
            secs %= len;
        }
    }
    out
}

fn report(s: u64) -> String {
    match s {
        s if s < 60 => format!("{s}s"),
        s if s < 3600 && s % 60 == 0 => format!("{}m", s / 60),
        s if s < 3600 => format!("{}m{:02}s", s / 60, s % 60),
        s if s < 86_400 => format!("{}h{:02}m", s / 3600, s % 3600 / 60),
        s => format!("{}d{:02}h", s / 86_400, s % 86_400 / 3600),
    }
}

fn tenths(d: Duration) -> String {
    format!("{:.1}s", d.as_secs_f64())
}

/// How a moment is written, one way for each place a time is printed. All are in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timestamp {
    /// RFC 3339 with a `Z`, to the millisecond when there are any, as the JSON
    /// contracts give times: `2026-11-21T20:15:00Z`, `2026-11-21T20:15:00.250Z`.
    Rfc3339,
    /// RFC 3339 always to the millisecond, `2026-11-21T20:15:00.000Z`: every one the
    /// same length, so they sort as text in time order (the incident store, the
    /// runbook journal).
    Rfc3339Millis,
    /// RFC 3339 to the second, `2026-11-21T20:15:00Z`, for programs that may not read
    /// fractions (a deploy command's `CLOPS_DEPLOYS_SINCE`).
    Rfc3339Secs,
    /// Seconds since the epoch to the millisecond, as Prometheus' API takes a time:
    /// `1700000000.250`.
    Unix,
    /// To the second, with its zone, for reading: `2026-11-21 20:15:07 UTC`.
    Utc,
    /// To the minute, with its zone: `2026-11-21 20:15 UTC`.
    UtcMinute,
    /// The time of day to the minute, with its zone: `20:15 UTC`.
    Minute,
    /// To the second in a table or timeline that says UTC once: `2026-11-21 20:15:07`.
    UtcCell,
    /// The time of day to the second, where the day and zone are said nearby:
    /// `20:15:07`.
    TimeCell,
    /// The time of day to the minute, in a column headed UTC: `20:15`.
    MinuteCell,
}

impl Timestamp {
    /// `t` written this way.
    pub fn format(self, t: DateTime<Utc>) -> String {
        let strftime = match self {
            Timestamp::Rfc3339 if t.timestamp_subsec_millis() == 0 => {
                return t.to_rfc3339_opts(SecondsFormat::Secs, true);
            }
            Timestamp::Rfc3339 | Timestamp::Rfc3339Millis => {
                return t.to_rfc3339_opts(SecondsFormat::Millis, true);
            }
            Timestamp::Rfc3339Secs => return t.to_rfc3339_opts(SecondsFormat::Secs, true),
            Timestamp::Unix => return format!("{:.3}", t.timestamp_millis() as f64 / 1000.0),
            Timestamp::Utc => "%Y-%m-%d %H:%M:%S UTC",
            Timestamp::UtcMinute => "%Y-%m-%d %H:%M UTC",
            Timestamp::Minute => "%H:%M UTC",
            Timestamp::UtcCell => "%Y-%m-%d %H:%M:%S",
            Timestamp::TimeCell => "%H:%M:%S",
            Timestamp::MinuteCell => "%H:%M",
        };
        t.format(strftime).to_string()
    }
}

/// The console's clock: `20:15 UTC`, plus the local time and its offset when the local
/// zone is not UTC: `20:15 UTC · 21:15 +01`.
pub fn clock(now: DateTime<Utc>, local: FixedOffset) -> String {
    let utc = Timestamp::Minute.format(now);
    let offset = local.local_minus_utc();
    if offset == 0 {
        return utc;
    }
    let sign = if offset < 0 { '-' } else { '+' };
    let (h, m) = (offset.abs() / 3600, offset.abs() % 3600 / 60);
    let zone = if m == 0 {
        format!("{sign}{h:02}")
    } else {
        format!("{sign}{h:02}:{m:02}")
    };
    format!(
        "{utc} · {} {zone}",
        now.with_timezone(&local).format("%H:%M")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn secs(n: i64) -> TimeDelta {
        TimeDelta::seconds(n)
    }

    #[test]
    fn durations_parse_as_written() {
        assert_eq!(parse("15s"), Ok(Duration::from_secs(15)));
        assert_eq!(parse("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse(" 2w "), Ok(Duration::from_secs(14 * 86_400)));
        assert!(parse("15").is_err());
        assert!(parse("s").is_err());
        assert!(parse("5 minutes").is_err());
        assert_eq!(
            parse(" soon").unwrap_err().to_string(),
            "` soon` is not a duration (write it like 15s, 5m, 1h30m or 500ms)",
            "the message quotes the text as given"
        );
    }

    #[test]
    fn windows_parse_as_prometheus_writes_them() {
        assert_eq!(parse_window("30d"), Ok(TimeDelta::days(30)));
        assert_eq!(parse_window("4w"), Ok(TimeDelta::days(28)));
        assert_eq!(
            parse_window("a month").unwrap_err().to_string(),
            "`a month` is not a window (write it like 30d, 28d or 4w)"
        );
    }

    #[test]
    fn config_and_prom_write_what_parse_reads() {
        assert_eq!(Style::Config.format(Duration::from_secs(150)), "2m30s");
        assert_eq!(Style::Config.format(Duration::from_millis(250)), "250ms");
        assert_eq!(Style::Config.format(Duration::from_secs(93_600)), "1d2h");
        assert_eq!(Style::Prom.format(TimeDelta::minutes(90)), "1h30m");
        assert_eq!(Style::Prom.format(TimeDelta::days(30)), "30d");
        assert_eq!(Style::Prom.format(secs(-5)), "0ms");
    }

    #[test]
    fn ages_read_at_a_glance() {
        let ago = |s| Style::Age.format(secs(s));
        assert_eq!(ago(5), "<1m");
        assert_eq!(ago(125), "2m");
        assert_eq!(ago(3 * 3600 + 5 * 60), "3h05m");
        assert_eq!(ago(3 * 86_400), "3d");
        assert_eq!(ago(-30), "<1m", "clock skew never shows a negative age");
    }

    #[test]
    fn durations_read_like_an_incident_report() {
        let s = |n| Style::Report.format(secs(n));
        assert_eq!(s(0), "0s");
        assert_eq!(s(45), "45s");
        assert_eq!(s(720), "12m");
        assert_eq!(s(750), "12m30s");
        assert_eq!(s(3900), "1h05m");
        assert_eq!(s(3600), "1h00m");
        assert_eq!(s(86_400 + 3 * 3600 + 59), "1d03h");
        assert_eq!(s(-30), "0s", "clock skew does not print negative time");
    }

    #[test]
    fn steps_take_tenths_then_minutes() {
        assert_eq!(Style::Step.format(Duration::from_millis(412)), "0.4s");
        assert_eq!(Style::Step.format(Duration::from_millis(59_940)), "59.9s");
        assert_eq!(Style::Step.format(Duration::from_secs(125)), "2m05s");
        assert_eq!(
            Style::Tenths.format(Duration::from_millis(125_340)),
            "125.3s"
        );
    }

    #[test]
    fn budgets_take_the_two_largest_units() {
        assert_eq!(Style::Budget.format(TimeDelta::minutes(42)), "42m");
        assert_eq!(Style::Budget.format(TimeDelta::minutes(312)), "5h12m");
        assert_eq!(Style::Budget.format(TimeDelta::hours(76)), "3d4h");
    }

    #[test]
    fn within_is_the_same_written_or_allocated() {
        for (n, text) in [(40, "40s"), (360, "6m"), (7800, "2h10m"), (-3, "0s")] {
            assert_eq!(Style::Within.format(secs(n)), text);
            assert_eq!(within(secs(n), &mut Digits::default()), text);
        }
    }

    #[test]
    fn steps_for_prometheus_are_bare_seconds() {
        assert_eq!(Style::Seconds.format(Duration::from_secs(15)), "15");
        assert_eq!(Style::Seconds.format(Duration::from_millis(500)), "0.5");
    }

    #[test]
    fn moments_as_each_place_prints_them() {
        let t = Utc.with_ymd_and_hms(2026, 11, 21, 20, 15, 7).unwrap();
        let ms = t + TimeDelta::milliseconds(250);
        assert_eq!(Timestamp::Rfc3339.format(t), "2026-11-21T20:15:07Z");
        assert_eq!(Timestamp::Rfc3339.format(ms), "2026-11-21T20:15:07.250Z");
        assert_eq!(
            Timestamp::Rfc3339Millis.format(t),
            "2026-11-21T20:15:07.000Z"
        );
        assert_eq!(Timestamp::Rfc3339Secs.format(ms), "2026-11-21T20:15:07Z");
        assert_eq!(Timestamp::Unix.format(ms), "1795292107.250");
        assert_eq!(Timestamp::Utc.format(t), "2026-11-21 20:15:07 UTC");
        assert_eq!(Timestamp::UtcMinute.format(t), "2026-11-21 20:15 UTC");
        assert_eq!(Timestamp::Minute.format(t), "20:15 UTC");
        assert_eq!(Timestamp::UtcCell.format(t), "2026-11-21 20:15:07");
        assert_eq!(Timestamp::TimeCell.format(t), "20:15:07");
        assert_eq!(Timestamp::MinuteCell.format(t), "20:15");
    }

    #[test]
    fn clock_shows_local_time_only_when_it_differs() {
        let now = Utc.with_ymd_and_hms(2026, 11, 21, 20, 15, 0).unwrap();
        assert_eq!(clock(now, FixedOffset::east_opt(0).unwrap()), "20:15 UTC");
        assert_eq!(
            clock(now, FixedOffset::east_opt(3600).unwrap()),
            "20:15 UTC · 21:15 +01"
        );
        assert_eq!(
            clock(now, FixedOffset::west_opt(16_200).unwrap()),
            "20:15 UTC · 15:45 -04:30"
        );
    }
}
