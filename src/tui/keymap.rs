//! Key bindings as data: one table drives both dispatch and the `?` help overlay, and
//! users replace any action's keys in `[keys]` of the config.

use std::collections::BTreeMap;
use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::config::KeyList;

/// Something the user can ask the console to do with a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Toggle,
    Expand,
    Collapse,
    ToggleAll,
    Filter,
    Palette,
    Help,
    Sources,
    Silence,
    Ack,
    Unsilence,
    Split,
    Mark,
    Merge,
    Declare,
    IncidentPane,
    Incidents,
    Note,
    Attach,
    IncidentStatus,
    IncidentSeverity,
    Role,
    Runbooks,
    Map,
    Deploys,
    Slos,
    FocusNext,
    Refresh,
    Back,
    Suspend,
    Quit,
}

impl Action {
    /// Every action, in the order the help overlay lists them.
    pub const ALL: [Action; 37] = [
        Action::Up,
        Action::Down,
        Action::PageUp,
        Action::PageDown,
        Action::Top,
        Action::Bottom,
        Action::Toggle,
        Action::Expand,
        Action::Collapse,
        Action::ToggleAll,
        Action::FocusNext,
        Action::Silence,
        Action::Ack,
        Action::Unsilence,
        Action::Split,
        Action::Mark,
        Action::Merge,
        Action::Declare,
        Action::IncidentPane,
        Action::Incidents,
        Action::Note,
        Action::Attach,
        Action::IncidentStatus,
        Action::IncidentSeverity,
        Action::Role,
        Action::Runbooks,
        Action::Map,
        Action::Deploys,
        Action::Slos,
        Action::Filter,
        Action::Palette,
        Action::Sources,
        Action::Refresh,
        Action::Help,
        Action::Back,
        Action::Suspend,
        Action::Quit,
    ];

    /// The name used in `[keys]` and the palette.
    pub fn name(self) -> &'static str {
        match self {
            Action::Up => "up",
            Action::Down => "down",
            Action::PageUp => "page-up",
            Action::PageDown => "page-down",
            Action::Top => "top",
            Action::Bottom => "bottom",
            Action::Toggle => "toggle",
            Action::Expand => "expand",
            Action::Collapse => "collapse",
            Action::ToggleAll => "toggle-all",
            Action::Filter => "filter",
            Action::Palette => "palette",
            Action::Help => "help",
            Action::Sources => "sources",
            Action::Silence => "silence",
            Action::Ack => "ack",
            Action::Unsilence => "unsilence",
            Action::Split => "split",
            Action::Mark => "mark",
            Action::Merge => "merge",
            Action::Declare => "declare",
            Action::IncidentPane => "incident",
            Action::Incidents => "incidents",
            Action::Note => "note",
            Action::Attach => "attach",
            Action::IncidentStatus => "status",
            Action::IncidentSeverity => "severity",
            Action::Role => "role",
            Action::Runbooks => "runbooks",
            Action::Map => "map",
            Action::Deploys => "deploys",
            Action::Slos => "slos",
            Action::FocusNext => "focus-next",
            Action::Refresh => "refresh",
            Action::Back => "back",
            Action::Suspend => "suspend",
            Action::Quit => "quit",
        }
    }

    /// The action called `name` in config (`page-up` and `page_up` both work).
    pub fn from_name(name: &str) -> Option<Action> {
        let name = name.replace('_', "-");
        Action::ALL.into_iter().find(|a| a.name() == name)
    }

    /// One line for the help overlay.
    pub fn description(self) -> &'static str {
        match self {
            Action::Up => "move up",
            Action::Down => "move down",
            Action::PageUp => "page up",
            Action::PageDown => "page down",
            Action::Top => "go to the first row",
            Action::Bottom => "go to the last row",
            Action::Toggle => "expand or collapse the selected group",
            Action::Expand => "expand the selected group",
            Action::Collapse => "collapse the selected group (or go to its header)",
            Action::ToggleAll => "expand or collapse every group",
            Action::Filter => "filter alerts by labels and annotations (fuzzy)",
            Action::Palette => "command palette",
            Action::Help => "this help",
            Action::Sources => "sources and their health",
            Action::Silence => "silence the selected alert or group (asks first)",
            Action::Ack => "ack: silence until it resolves (asks first)",
            Action::Unsilence => "expire the silences of the selected alerts (asks first)",
            Action::Split => "split the selected group: one group per service",
            Action::Mark => "mark the selected group for merging",
            Action::Merge => "merge the marked groups with the selected one",
            Action::Declare => "declare an incident from the selected group",
            Action::IncidentPane => "show the active incident and its live timeline",
            Action::Incidents => "list incidents; enter makes one active",
            Action::Note => "add a note to the active incident's timeline",
            Action::Attach => "attach the selected alerts to the active incident",
            Action::IncidentStatus => "change the active incident's status",
            Action::IncidentSeverity => "change the active incident's severity",
            Action::Role => "give someone a role in the active incident",
            Action::Runbooks => "runbooks for the selected alert or group, then run their steps",
            Action::Map => "the service dependency map, the selected group's blast radius lit",
            Action::Deploys => "recent deploys per service, with alert onsets on the same axis",
            Action::Slos => "SLOs by budget left: burn rates, budgets and a burn chart",
            Action::FocusNext => "switch between the alert list and the detail pane",
            Action::Refresh => "poll every source now",
            Action::Back => "close, clear the filter, or go back",
            Action::Suspend => "suspend to the shell (fg to return)",
            Action::Quit => "quit",
        }
    }

    fn default_combos(self) -> impl Iterator<Item = KeyCombo> {
        self.default_keys()
            .iter()
            .map(|k| parse_key(k).expect("default keys parse"))
    }

    fn default_keys(self) -> &'static [&'static str] {
        match self {
            Action::Up => &["k", "up"],
            Action::Down => &["j", "down"],
            Action::PageUp => &["pgup", "ctrl-b"],
            Action::PageDown => &["pgdn", "ctrl-f"],
            Action::Top => &["g", "home"],
            Action::Bottom => &["G", "end"],
            Action::Toggle => &["enter", "space"],
            Action::Expand => &["l", "right"],
            Action::Collapse => &["h", "left"],
            Action::ToggleAll => &["z"],
            Action::Filter => &["/"],
            Action::Palette => &[":"],
            Action::Help => &["?"],
            Action::Sources => &["S"],
            Action::Silence => &["s"],
            Action::Ack => &["a"],
            Action::Unsilence => &["u"],
            Action::Split => &["x"],
            Action::Mark => &["m"],
            Action::Merge => &["M"],
            Action::Declare => &["D"],
            Action::IncidentPane => &["i"],
            Action::Incidents => &["I"],
            Action::Note => &["n"],
            Action::Attach => &["A"],
            Action::IncidentStatus => &["t"],
            Action::IncidentSeverity => &["V"],
            Action::Role => &["R"],
            Action::Runbooks => &["r"],
            Action::Map => &["b"],
            Action::Deploys => &["d"],
            Action::Slos => &["o"],
            Action::FocusNext => &["tab"],
            Action::Refresh => &["ctrl-r"],
            Action::Back => &["esc"],
            Action::Suspend => &["ctrl-z"],
            Action::Quit => &["q", "ctrl-c"],
        }
    }
}

/// A key with its modifiers, as bound in the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyCombo {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

impl KeyCombo {
    /// The combo of a terminal key event; shift is part of the character already.
    pub fn from_event(ev: &KeyEvent) -> KeyCombo {
        let code = match ev.code {
            KeyCode::Char(c) if ev.modifiers.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            // Some terminals report shift-tab as Tab with SHIFT.
            KeyCode::Tab if ev.modifiers.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
            c => c,
        };
        KeyCombo {
            code,
            ctrl: ev.modifiers.contains(KeyModifiers::CONTROL),
            alt: ev.modifiers.contains(KeyModifiers::ALT),
        }
    }
}

impl fmt::Display for KeyCombo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("ctrl-")?;
        }
        if self.alt {
            f.write_str("alt-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::F(n) => write!(f, "f{n}"),
            other => f.write_str(
                NAMED
                    .iter()
                    .find(|(_, c)| *c == other)
                    .map(|(n, _)| *n)
                    .unwrap_or("?"),
            ),
        }
    }
}

const NAMED: &[(&str, KeyCode)] = &[
    ("enter", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("backtab", KeyCode::BackTab),
    ("backspace", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
    ("insert", KeyCode::Insert),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("pgup", KeyCode::PageUp),
    ("pgdn", KeyCode::PageDown),
];

/// Parses `q`, `G`, `?`, `ctrl-c`, `alt-x`, `shift-tab`, `pgdn`, `f5`, `space`.
pub fn parse_key(s: &str) -> Result<KeyCombo, String> {
    let bad = || format!("`{s}` is not a key (examples: q, G, ctrl-c, pgdn, f5, space)");
    let mut rest = s;
    let (mut ctrl, mut alt, mut shift) = (false, false, false);
    loop {
        if let Some(r) = rest.strip_prefix("ctrl-").filter(|r| !r.is_empty()) {
            ctrl = true;
            rest = r;
        } else if let Some(r) = rest.strip_prefix("alt-").filter(|r| !r.is_empty()) {
            alt = true;
            rest = r;
        } else if let Some(r) = rest.strip_prefix("shift-").filter(|r| !r.is_empty()) {
            shift = true;
            rest = r;
        } else {
            break;
        }
    }
    let lower = rest.to_ascii_lowercase();
    let mut chars = rest.chars();
    let code = match (chars.next(), chars.next()) {
        (Some(c), None) if !c.is_control() => KeyCode::Char(if ctrl {
            c.to_ascii_lowercase()
        } else if shift {
            c.to_ascii_uppercase()
        } else {
            c
        }),
        _ if lower == "space" => KeyCode::Char(' '),
        _ if lower == "pageup" => KeyCode::PageUp,
        _ if lower == "pagedown" => KeyCode::PageDown,
        _ if lower == "escape" => KeyCode::Esc,
        _ if lower == "tab" && shift => KeyCode::BackTab,
        _ if lower.starts_with('f') && lower.len() > 1 => {
            let n: u8 = lower[1..].parse().map_err(|_| bad())?;
            if !(1..=24).contains(&n) {
                return Err(bad());
            }
            KeyCode::F(n)
        }
        _ => NAMED
            .iter()
            .find(|(n, _)| *n == lower)
            .map(|(_, c)| *c)
            .ok_or_else(bad)?,
    };
    Ok(KeyCombo { code, ctrl, alt })
}

/// A key some view reads itself, whatever the keymap says, and the actions that view
/// also obeys: one of them bound to the key would lose to the view or win over it, and
/// either way the key would not do what the view says it does.
struct ViewKey {
    key: &'static str,
    does: &'static str,
    actions: &'static [Action],
}

const RUNBOOK_VIEW: &[Action] = &[
    Action::Up,
    Action::Down,
    Action::Top,
    Action::Bottom,
    Action::Back,
    Action::Quit,
];
const MAP_VIEW: &[Action] = &[
    Action::Up,
    Action::Down,
    Action::Top,
    Action::Bottom,
    Action::Expand,
    Action::Collapse,
    Action::Back,
    Action::Map,
    Action::Quit,
];
const SLO_VIEW: &[Action] = &[
    Action::Up,
    Action::Down,
    Action::Top,
    Action::Bottom,
    Action::FocusNext,
    Action::Back,
    Action::Slos,
    Action::Quit,
    Action::Refresh,
];
/// Actions that ask first: their key pressed twice must not be the answer.
const ASKS_FIRST: &[Action] = &[Action::Ack, Action::Unsilence];
const CHOOSES: &[Action] = &[Action::IncidentStatus, Action::IncidentSeverity];

const VIEW_KEYS: &[ViewKey] = &[
    ViewKey {
        key: "enter",
        does: "runs or ticks the selected step in the runbook view",
        actions: RUNBOOK_VIEW,
    },
    ViewKey {
        key: "space",
        does: "ticks the selected step in the runbook view",
        actions: RUNBOOK_VIEW,
    },
    ViewKey {
        key: "enter",
        does: "focuses the selected service in the map",
        actions: MAP_VIEW,
    },
    ViewKey {
        key: "w",
        does: "switches the SLO chart between a day and a week",
        actions: SLO_VIEW,
    },
    ViewKey {
        key: "y",
        does: "answers yes to a change that asks first",
        actions: ASKS_FIRST,
    },
    ViewKey {
        key: "Y",
        does: "answers yes to a change that asks first",
        actions: ASKS_FIRST,
    },
    ViewKey {
        key: "1",
        does: "picks the first status or severity",
        actions: CHOOSES,
    },
    ViewKey {
        key: "2",
        does: "picks the second status or severity",
        actions: CHOOSES,
    },
    ViewKey {
        key: "3",
        does: "picks the third status or severity",
        actions: CHOOSES,
    },
    ViewKey {
        key: "4",
        does: "picks the fourth status or severity",
        actions: CHOOSES,
    },
];

/// ctrl-c quits from everywhere (and stops a running runbook step), bound or not.
const CTRL_C: KeyCombo = KeyCombo {
    code: KeyCode::Char('c'),
    ctrl: true,
    alt: false,
};

/// Every problem with a `[keys]` table, as (the action as written there, what is
/// wrong). A key does one thing: two actions never share one, a key the user binds
/// never takes a default of an action they left alone, and no binding shadows a key a
/// view reads itself.
pub fn problems(overrides: &BTreeMap<String, KeyList>) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    // (the action as written, the action, its keys as written and parsed)
    type Chosen<'a> = (&'a str, Action, Vec<(&'a str, KeyCombo)>);
    let mut chosen: Vec<Chosen> = Vec::new();
    for (name, list) in overrides {
        let Some(action) = Action::from_name(name) else {
            problems.push((
                name.clone(),
                format!("unknown action `{name}` (see `?` in the console for the list)"),
            ));
            continue;
        };
        if let Some((other, ..)) = chosen.iter().find(|(_, a, _)| *a == action) {
            problems.push((
                name.clone(),
                format!("`{other}` and `{name}` name the same action: keep one"),
            ));
            continue;
        }
        if list.as_slice().is_empty() {
            problems.push((name.clone(), "give at least one key".into()));
        }
        let mut keys = Vec::new();
        for k in list.as_slice() {
            match parse_key(k) {
                Ok(combo) => keys.push((k.as_str(), combo)),
                Err(e) => problems.push((name.clone(), e)),
            }
        }
        chosen.push((name, action, keys));
    }
    for (i, (name, action, keys)) in chosen.iter().enumerate() {
        for (k, combo) in keys {
            if *combo == CTRL_C && *action != Action::Quit {
                problems.push((
                    name.to_string(),
                    format!(
                        "ctrl-c always quits (and stops a running runbook step); it cannot be `{}`",
                        action.name()
                    ),
                ));
                continue;
            }
            // Another binding of the user's: the later one in the table is named.
            if let Some((other, ..)) = chosen[..i]
                .iter()
                .find(|(_, a, ks)| a != action && ks.iter().any(|(_, c)| c == combo))
            {
                problems.push((
                    name.to_string(),
                    format!("`{k}` is already bound to `{other}`"),
                ));
                continue;
            }
            // A default of an action the user left alone.
            if let Some(other) = Action::ALL.into_iter().find(|a| {
                a != action
                    && !chosen.iter().any(|(_, c, _)| c == a)
                    && a.default_combos().any(|c| c == *combo)
            }) {
                let rest: Vec<String> = other
                    .default_keys()
                    .iter()
                    .filter(|d| parse_key(d).ok() != Some(*combo))
                    .map(|d| format!("\"{d}\""))
                    .collect();
                let example = if rest.is_empty() {
                    String::new()
                } else {
                    format!(", e.g. {} = [{}]", other.name(), rest.join(", "))
                };
                problems.push((
                    name.to_string(),
                    format!(
                        "`{k}` is already bound to `{}` by default: give `{}` other keys too{example}",
                        other.name(),
                        other.name()
                    ),
                ));
                continue;
            }
            if let Some(view) = VIEW_KEYS
                .iter()
                .find(|v| v.actions.contains(action) && parse_key(v.key).ok() == Some(*combo))
            {
                problems.push((
                    name.to_string(),
                    format!(
                        "`{k}` {}, so it cannot also be `{}`",
                        view.does,
                        action.name()
                    ),
                ));
            }
        }
    }
    problems
}

/// The bindings in force: defaults with the user's replacements.
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Vec<(Action, Vec<KeyCombo>)>,
}

impl Keymap {
    /// Defaults, with each action named in `overrides` given exactly the keys listed
    /// (quit keeps ctrl-c). Refuses a table with any of the [`problems`], so no key
    /// does something other than the footer and help say.
    pub fn new(overrides: &BTreeMap<String, KeyList>) -> Result<Keymap, String> {
        if let Some((action, problem)) = problems(overrides).into_iter().next() {
            return Err(format!("keys.{action}: {problem}"));
        }
        let bindings = Action::ALL
            .into_iter()
            .map(|action| {
                let chosen = overrides
                    .iter()
                    .find(|(name, _)| Action::from_name(name) == Some(action));
                let mut keys: Vec<KeyCombo> = match chosen {
                    Some((_, list)) => list
                        .as_slice()
                        .iter()
                        .filter_map(|k| parse_key(k).ok())
                        .collect(),
                    None => action.default_combos().collect(),
                };
                if action == Action::Quit && !keys.contains(&CTRL_C) {
                    keys.push(CTRL_C);
                }
                (action, keys)
            })
            .collect();
        Ok(Keymap { bindings })
    }

    /// The action bound to a key event.
    pub fn action_for(&self, ev: &KeyEvent) -> Option<Action> {
        if ev.kind == KeyEventKind::Release {
            return None;
        }
        let combo = KeyCombo::from_event(ev);
        self.bindings
            .iter()
            .find(|(_, keys)| keys.contains(&combo))
            .map(|(a, _)| *a)
    }

    /// The keys of `action`, for hints and help.
    pub fn keys(&self, action: Action) -> &[KeyCombo] {
        self.bindings
            .iter()
            .find(|(a, _)| *a == action)
            .map(|(_, k)| k.as_slice())
            .unwrap_or(&[])
    }

    /// "j/down" style text for an action's keys.
    pub fn keys_text(&self, action: Action) -> String {
        let keys: Vec<String> = self.keys(action).iter().map(ToString::to_string).collect();
        if keys.is_empty() {
            "(unbound)".into()
        } else {
            keys.join("/")
        }
    }

    /// (keys, action name, description) for every action: the help overlay's rows.
    pub fn help_rows(&self) -> Vec<(String, &'static str, &'static str)> {
        Action::ALL
            .iter()
            .map(|a| (self.keys_text(*a), a.name(), a.description()))
            .collect()
    }
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap::new(&BTreeMap::new()).expect("defaults are valid")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn defaults_dispatch_vim_and_arrow_keys() {
        let k = Keymap::default();
        assert_eq!(
            k.action_for(&ev(KeyCode::Char('j'), KeyModifiers::NONE)),
            Some(Action::Down)
        );
        assert_eq!(
            k.action_for(&ev(KeyCode::Down, KeyModifiers::NONE)),
            Some(Action::Down)
        );
        assert_eq!(
            k.action_for(&ev(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(Action::Bottom)
        );
        assert_eq!(
            k.action_for(&ev(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Action::Quit)
        );
        assert_eq!(
            k.action_for(&ev(KeyCode::Char('?'), KeyModifiers::NONE)),
            Some(Action::Help)
        );
        assert_eq!(
            k.action_for(&ev(KeyCode::Char('y'), KeyModifiers::NONE)),
            None
        );
    }

    #[test]
    fn overrides_replace_an_actions_keys() {
        let mut o = BTreeMap::new();
        o.insert("quit".to_string(), KeyList::One("ctrl-q".into()));
        o.insert(
            "down".to_string(),
            KeyList::Many(vec!["q".into(), "down".into()]),
        );
        let k = Keymap::new(&o).unwrap();
        assert_eq!(
            k.action_for(&ev(KeyCode::Char('q'), KeyModifiers::NONE)),
            Some(Action::Down)
        );
        assert_eq!(
            k.action_for(&ev(KeyCode::Char('q'), KeyModifiers::CONTROL)),
            Some(Action::Quit)
        );
        assert_eq!(
            k.action_for(&ev(KeyCode::Char('j'), KeyModifiers::NONE)),
            None
        );
        assert_eq!(
            k.keys_text(Action::Quit),
            "ctrl-q/ctrl-c",
            "ctrl-c always quits"
        );
        assert_eq!(k.keys_text(Action::Down), "q/down");
    }

    fn problems_of(pairs: &[(&str, &[&str])]) -> Vec<(String, String)> {
        let o: BTreeMap<String, KeyList> = pairs
            .iter()
            .map(|(a, ks)| {
                (
                    a.to_string(),
                    KeyList::Many(ks.iter().map(|k| k.to_string()).collect()),
                )
            })
            .collect();
        problems(&o)
    }

    #[test]
    fn a_key_taken_from_a_default_names_both_actions() {
        let p = problems_of(&[("down", &["q"])]);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].0, "down");
        assert!(
            p[0].1.contains("`q` is already bound to `quit` by default"),
            "{p:?}"
        );
        assert!(p[0].1.contains("quit = [\"ctrl-c\"]"), "{p:?}");
        assert!(
            Keymap::new(&BTreeMap::from([(
                "down".to_string(),
                KeyList::One("q".into())
            )]))
            .is_err()
        );
        // Moving quit elsewhere first frees q.
        assert!(problems_of(&[("down", &["q"]), ("quit", &["ctrl-q"])]).is_empty());
    }

    #[test]
    fn keys_bound_twice_or_shadowing_a_view_are_refused() {
        let p = problems_of(&[("up", &["x"]), ("down", &["x"])]);
        assert_eq!(p.len(), 2, "x is split's default too: {p:?}");
        assert!(
            p.iter()
                .any(|(a, m)| a == "up" && m.contains("already bound to `down`")),
            "{p:?}"
        );
        let p = problems_of(&[("refresh", &["ctrl-c"])]);
        assert!(p[0].1.contains("ctrl-c always quits"), "{p:?}");
        let p = problems_of(&[("ack", &["y"])]);
        assert!(p[0].1.contains("answers yes"), "{p:?}");
        let p = problems_of(&[("down", &["w"])]);
        assert!(p[0].1.contains("SLO chart"), "{p:?}");
        assert!(
            problems_of(&[("map", &["w"])]).is_empty(),
            "the SLO view ignores map"
        );
        let p = problems_of(&[
            ("toggle", &["t"]),
            ("status", &["T"]),
            ("down", &["space", "j"]),
        ]);
        assert!(p.iter().any(|(_, m)| m.contains("runbook view")), "{p:?}");
        let p = problems_of(&[("page-up", &["K"]), ("page_up", &["U"])]);
        assert!(p[0].1.contains("name the same action"), "{p:?}");
        let p = problems_of(&[("dance", &["d"]), ("down", &[])]);
        assert_eq!(p.len(), 2, "{p:?}");
    }

    #[test]
    fn key_names_round_trip() {
        for s in [
            "q", "G", "?", "ctrl-c", "alt-x", "pgdn", "f5", "space", "enter", "backtab",
        ] {
            assert_eq!(parse_key(s).unwrap().to_string(), s);
        }
        assert_eq!(parse_key("shift-tab").unwrap().code, KeyCode::BackTab);
        assert_eq!(parse_key("ctrl-R").unwrap(), parse_key("ctrl-r").unwrap());
        for bad in ["", "ctrl-", "f99", "hyper-x", "enterr"] {
            assert!(parse_key(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn help_lists_every_action_with_its_keys() {
        let rows = Keymap::default().help_rows();
        assert_eq!(rows.len(), Action::ALL.len());
        assert!(rows.contains(&("q/ctrl-c".to_string(), "quit", "quit")));
        for a in Action::ALL {
            assert_eq!(Action::from_name(a.name()), Some(a));
        }
    }
}
