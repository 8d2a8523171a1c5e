//! Key bindings as data: one table of (mode, keys, action, description) drives the keys
//! of every mode and the `?` help overlay. Users replace the keys of an action of the
//! whole console in `[keys]`, and of an action inside one mode in `[keys.MODE]`; a table
//! where a key would do something other than the help says is refused, with the line.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::config::{FileConfig, KeyList, KeysConfig};

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
    // Inside modes.
    /// Keep what was typed and close.
    Keep,
    /// Delete the last character typed.
    Erase,
    /// Delete the last word typed.
    DeleteWord,
    /// Delete everything typed.
    ClearLine,
    /// Complete to the selected suggestion.
    Complete,
    /// Run the command, or the runbook step.
    Run,
    /// Send what was typed on: review a silence, record a note.
    Submit,
    NextField,
    PreviousField,
    /// Yes to a change that asks first.
    Yes,
    /// No to a runbook step that asks first.
    No,
    /// Run a runbook step despite its warnings.
    Force,
    Pick1,
    Pick2,
    Pick3,
    Pick4,
    /// Make the selected incident the active one.
    Activate,
    /// Open the selected runbook.
    Open,
    /// Make the selected alert a runbook's target.
    Choose,
    /// Tick a runbook checklist step.
    Tick,
    /// Pick another target alert for a runbook.
    Target,
    /// Stop the running runbook step.
    Stop,
    /// Show only the selected service of the map.
    Focus,
    /// Switch the SLO chart between a day and a week.
    Week,
}

impl Action {
    /// Every action of the whole console, in the order the help overlay lists them.
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
            Action::Keep => "keep",
            Action::Erase => "erase",
            Action::DeleteWord => "delete-word",
            Action::ClearLine => "clear-line",
            Action::Complete => "complete",
            Action::Run => "run",
            Action::Submit => "submit",
            Action::NextField => "next-field",
            Action::PreviousField => "previous-field",
            Action::Yes => "yes",
            Action::No => "no",
            Action::Force => "force",
            Action::Pick1 => "pick-1",
            Action::Pick2 => "pick-2",
            Action::Pick3 => "pick-3",
            Action::Pick4 => "pick-4",
            Action::Activate => "activate",
            Action::Open => "open",
            Action::Choose => "choose",
            Action::Tick => "tick",
            Action::Target => "target",
            Action::Stop => "stop",
            Action::Focus => "focus",
            Action::Week => "week",
        }
    }

    /// The action of the whole console called `name` in config (`page-up` and `page_up`
    /// both work).
    pub fn from_name(name: &str) -> Option<Action> {
        Mode::Global.action_named(name)
    }
}

/// Where the keyboard is: each mode has its own rows in the table. Text-entry modes
/// keep typed characters as text; only their other keys are actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// The alert list, and every action of the whole console: `[keys]`.
    Global,
    Help,
    Sources,
    Filter,
    Palette,
    Silence,
    Confirm,
    Prompt,
    Choice,
    Incidents,
    Runbooks,
    Runbook,
    RunbookTarget,
    RunbookConfirm,
    Map,
    Deploys,
    Slos,
}

impl Mode {
    /// Every mode, in the order the help overlay lists them.
    pub const ALL: [Mode; 17] = [
        Mode::Global,
        Mode::Help,
        Mode::Sources,
        Mode::Filter,
        Mode::Palette,
        Mode::Silence,
        Mode::Confirm,
        Mode::Prompt,
        Mode::Choice,
        Mode::Incidents,
        Mode::Runbooks,
        Mode::Runbook,
        Mode::RunbookTarget,
        Mode::RunbookConfirm,
        Mode::Map,
        Mode::Deploys,
        Mode::Slos,
    ];

    /// The name of its table in config: `[keys.NAME]`; empty for the global one.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Global => "",
            Mode::Help => "help",
            Mode::Sources => "sources",
            Mode::Filter => "filter",
            Mode::Palette => "palette",
            Mode::Silence => "silence",
            Mode::Confirm => "confirm",
            Mode::Prompt => "prompt",
            Mode::Choice => "choice",
            Mode::Incidents => "incidents",
            Mode::Runbooks => "runbooks",
            Mode::Runbook => "runbook",
            Mode::RunbookTarget => "runbook-target",
            Mode::RunbookConfirm => "runbook-confirm",
            Mode::Map => "map",
            Mode::Deploys => "deploys",
            Mode::Slos => "slos",
        }
    }

    /// Where the mode is, in words that follow a key: "`w` … in the SLO view".
    pub fn place(self) -> &'static str {
        match self {
            Mode::Global => "in the alert list",
            Mode::Help => "in the help",
            Mode::Sources => "in the sources list",
            Mode::Filter => "while typing a filter",
            Mode::Palette => "in the command palette",
            Mode::Silence => "in the silence form",
            Mode::Confirm => "when a change asks first",
            Mode::Prompt => "in a prompt (declare, note, role)",
            Mode::Choice => "when picking a status or severity",
            Mode::Incidents => "in the incident list",
            Mode::Runbooks => "in the runbook picker",
            Mode::Runbook => "in the runbook view",
            Mode::RunbookTarget => "when picking a runbook's target alert",
            Mode::RunbookConfirm => "when a runbook step asks first",
            Mode::Map => "in the map",
            Mode::Deploys => "in the deploys view",
            Mode::Slos => "in the SLO view",
        }
    }

    /// What happens to a key the mode's table does not list, when it is not nothing.
    fn other_keys(self) -> Option<&'static str> {
        match self {
            Mode::Confirm => Some("any other key is no"),
            Mode::Choice => Some("any other key cancels"),
            m if m.is_text() => Some("other keys type"),
            _ => None,
        }
    }

    /// Typing text: characters are the text, never actions.
    pub fn is_text(self) -> bool {
        matches!(
            self,
            Mode::Filter | Mode::Palette | Mode::Silence | Mode::Prompt | Mode::Runbooks
        )
    }

    /// The mode whose table is `[keys.NAME]` (`runbook_target` works too).
    pub fn from_name(name: &str) -> Option<Mode> {
        let name = name.replace('_', "-");
        Mode::ALL
            .into_iter()
            .find(|m| *m != Mode::Global && m.name() == name)
    }

    /// The action of this mode called `name` in config.
    pub fn action_named(self, name: &str) -> Option<Action> {
        let name = name.replace('_', "-");
        rows(self).map(|r| r.action).find(|a| a.name() == name)
    }
}

/// Where a row's default keys come from.
#[derive(Debug, Clone, Copy)]
enum Keys {
    /// The mode's own.
    Own(&'static [&'static str]),
    /// Whatever the action has in the whole console, the user's keys included: the
    /// views that move with j/k move with whatever moves the alert list.
    Global,
}

/// One row of the table: in `mode`, `keys` do `action`.
#[derive(Debug, Clone, Copy)]
struct Row {
    mode: Mode,
    action: Action,
    keys: Keys,
    description: &'static str,
}

const fn own(
    mode: Mode,
    action: Action,
    keys: &'static [&'static str],
    description: &'static str,
) -> Row {
    Row {
        mode,
        action,
        keys: Keys::Own(keys),
        description,
    }
}

const fn global(mode: Mode, action: Action, description: &'static str) -> Row {
    Row {
        mode,
        action,
        keys: Keys::Global,
        description,
    }
}

use Action as A;
use Mode as M;

/// The keymap: every key of every mode, what it does, and what help says it does.
const TABLE: &[Row] = &[
    own(M::Global, A::Up, &["k", "up"], "move up"),
    own(M::Global, A::Down, &["j", "down"], "move down"),
    own(M::Global, A::PageUp, &["pgup", "ctrl-b"], "page up"),
    own(M::Global, A::PageDown, &["pgdn", "ctrl-f"], "page down"),
    own(M::Global, A::Top, &["g", "home"], "go to the first row"),
    own(M::Global, A::Bottom, &["G", "end"], "go to the last row"),
    own(
        M::Global,
        A::Toggle,
        &["enter", "space"],
        "expand or collapse the selected group",
    ),
    own(
        M::Global,
        A::Expand,
        &["l", "right"],
        "expand the selected group",
    ),
    own(
        M::Global,
        A::Collapse,
        &["h", "left"],
        "collapse the selected group (or go to its header)",
    ),
    own(
        M::Global,
        A::ToggleAll,
        &["z"],
        "expand or collapse every group",
    ),
    own(
        M::Global,
        A::FocusNext,
        &["tab"],
        "switch between the alert list and the detail pane",
    ),
    own(
        M::Global,
        A::Silence,
        &["s"],
        "silence the selected alert or group (asks first)",
    ),
    own(
        M::Global,
        A::Ack,
        &["a"],
        "ack: silence until it resolves (asks first)",
    ),
    own(
        M::Global,
        A::Unsilence,
        &["u"],
        "expire the silences of the selected alerts (asks first)",
    ),
    own(
        M::Global,
        A::Split,
        &["x"],
        "split the selected group: one group per service",
    ),
    own(
        M::Global,
        A::Mark,
        &["m"],
        "mark the selected group for merging",
    ),
    own(
        M::Global,
        A::Merge,
        &["M"],
        "merge the marked groups with the selected one",
    ),
    own(
        M::Global,
        A::Declare,
        &["D"],
        "declare an incident from the selected group",
    ),
    own(
        M::Global,
        A::IncidentPane,
        &["i"],
        "show the active incident and its live timeline",
    ),
    own(
        M::Global,
        A::Incidents,
        &["I"],
        "list incidents; enter makes one active",
    ),
    own(
        M::Global,
        A::Note,
        &["n"],
        "add a note to the active incident's timeline",
    ),
    own(
        M::Global,
        A::Attach,
        &["A"],
        "attach the selected alerts to the active incident",
    ),
    own(
        M::Global,
        A::IncidentStatus,
        &["t"],
        "change the active incident's status",
    ),
    own(
        M::Global,
        A::IncidentSeverity,
        &["V"],
        "change the active incident's severity",
    ),
    own(
        M::Global,
        A::Role,
        &["R"],
        "give someone a role in the active incident",
    ),
    own(
        M::Global,
        A::Runbooks,
        &["r"],
        "runbooks for the selected alert or group, then run their steps",
    ),
    own(
        M::Global,
        A::Map,
        &["b"],
        "the service dependency map, the selected group's blast radius lit",
    ),
    own(
        M::Global,
        A::Deploys,
        &["d"],
        "recent deploys per service, with alert onsets on the same axis",
    ),
    own(
        M::Global,
        A::Slos,
        &["o"],
        "SLOs by budget left: burn rates, budgets and a burn chart",
    ),
    own(
        M::Global,
        A::Filter,
        &["/"],
        "filter alerts by labels and annotations (fuzzy)",
    ),
    own(M::Global, A::Palette, &[":"], "command palette"),
    own(M::Global, A::Sources, &["S"], "sources and their health"),
    own(M::Global, A::Refresh, &["ctrl-r"], "poll every source now"),
    own(M::Global, A::Help, &["?"], "this help"),
    own(
        M::Global,
        A::Back,
        &["esc"],
        "close, clear the filter, or go back",
    ),
    own(
        M::Global,
        A::Suspend,
        &["ctrl-z"],
        "suspend to the shell (fg to return)",
    ),
    own(M::Global, A::Quit, &["q", "ctrl-c"], "quit"),
    // The help overlay.
    global(M::Help, A::Down, "scroll down"),
    global(M::Help, A::Up, "scroll up"),
    global(M::Help, A::PageDown, "scroll a page down"),
    global(M::Help, A::PageUp, "scroll a page up"),
    global(M::Help, A::Top, "go to the top"),
    global(M::Help, A::Bottom, "go to the end"),
    global(M::Help, A::Back, "close"),
    global(M::Help, A::Help, "close"),
    global(M::Help, A::Quit, "quit"),
    // The sources list.
    global(M::Sources, A::Back, "close"),
    global(M::Sources, A::Sources, "close"),
    global(M::Sources, A::Refresh, "poll every source now"),
    global(M::Sources, A::Quit, "quit"),
    // Typing a filter.
    own(
        M::Filter,
        A::Keep,
        &["enter"],
        "keep the filter and go back to the list",
    ),
    own(
        M::Filter,
        A::Back,
        &["esc"],
        "clear the filter and go back to the list",
    ),
    own(M::Filter, A::Down, &["down"], "move down the list"),
    own(M::Filter, A::Up, &["up"], "move up the list"),
    own(
        M::Filter,
        A::Erase,
        &["backspace"],
        "delete the last character",
    ),
    own(
        M::Filter,
        A::DeleteWord,
        &["ctrl-w"],
        "delete the last word",
    ),
    own(
        M::Filter,
        A::ClearLine,
        &["ctrl-u"],
        "delete everything typed",
    ),
    // The command palette.
    own(
        M::Palette,
        A::Run,
        &["enter"],
        "run the command (or the suggestion picked with the arrows)",
    ),
    own(
        M::Palette,
        A::Complete,
        &["tab"],
        "complete to the selected suggestion",
    ),
    own(M::Palette, A::Down, &["down"], "next suggestion"),
    own(M::Palette, A::Up, &["up"], "previous suggestion"),
    own(
        M::Palette,
        A::Erase,
        &["backspace"],
        "delete the last character (on an empty line: close)",
    ),
    own(
        M::Palette,
        A::ClearLine,
        &["ctrl-u"],
        "delete everything typed",
    ),
    own(M::Palette, A::Back, &["esc"], "close"),
    // The silence form.
    own(
        M::Silence,
        A::Submit,
        &["enter"],
        "review the silence before it is sent",
    ),
    own(M::Silence, A::NextField, &["tab", "down"], "next field"),
    own(
        M::Silence,
        A::PreviousField,
        &["backtab", "up"],
        "previous field",
    ),
    own(
        M::Silence,
        A::Erase,
        &["backspace"],
        "delete the last character",
    ),
    own(M::Silence, A::ClearLine, &["ctrl-u"], "empty the field"),
    own(M::Silence, A::Back, &["esc"], "cancel the silence"),
    // A change that asks first.
    own(
        M::Confirm,
        A::Yes,
        &["y", "Y"],
        "yes: check the target again, then carry the change out",
    ),
    own(
        M::Confirm,
        A::Down,
        &["j", "down"],
        "scroll the details down",
    ),
    own(M::Confirm, A::Up, &["k", "up"], "scroll the details up"),
    own(
        M::Confirm,
        A::PageDown,
        &["pgdn", "space"],
        "scroll the details a page down",
    ),
    own(
        M::Confirm,
        A::PageUp,
        &["pgup"],
        "scroll the details a page up",
    ),
    // A prompt: a title, a note, a role.
    own(
        M::Prompt,
        A::Submit,
        &["enter"],
        "declare, or record the note or role",
    ),
    own(
        M::Prompt,
        A::IncidentSeverity,
        &["tab"],
        "cycle the severity of a declaration",
    ),
    own(
        M::Prompt,
        A::Erase,
        &["backspace"],
        "delete the last character",
    ),
    own(
        M::Prompt,
        A::ClearLine,
        &["ctrl-u"],
        "delete everything typed",
    ),
    own(M::Prompt, A::Back, &["esc"], "cancel: nothing is recorded"),
    // Picking a status or severity.
    own(
        M::Choice,
        A::Pick1,
        &["1"],
        "pick the first status or severity",
    ),
    own(
        M::Choice,
        A::Pick2,
        &["2"],
        "pick the second status or severity",
    ),
    own(
        M::Choice,
        A::Pick3,
        &["3"],
        "pick the third status or severity",
    ),
    own(
        M::Choice,
        A::Pick4,
        &["4"],
        "pick the fourth status or severity",
    ),
    // The incident list.
    own(
        M::Incidents,
        A::Activate,
        &["enter"],
        "make the selected incident the active one",
    ),
    own(M::Incidents, A::Down, &["j", "down"], "move down"),
    own(M::Incidents, A::Up, &["k", "up"], "move up"),
    own(M::Incidents, A::Back, &["esc", "q", "I"], "close"),
    // The runbook picker.
    own(
        M::Runbooks,
        A::Open,
        &["enter"],
        "open the selected runbook (a runbook_url is fetched or copied)",
    ),
    own(M::Runbooks, A::Down, &["down"], "move down"),
    own(M::Runbooks, A::Up, &["up"], "move up"),
    own(
        M::Runbooks,
        A::Erase,
        &["backspace"],
        "delete the last character",
    ),
    own(M::Runbooks, A::Back, &["esc"], "close"),
    // A runbook's steps. Stop comes first: ctrl-c stops a step here, never quits.
    own(
        M::Runbook,
        A::Stop,
        &["ctrl-c"],
        "stop the running step and everything it started",
    ),
    own(
        M::Runbook,
        A::Run,
        &["enter"],
        "run the selected step (asks first), or tick a checklist",
    ),
    own(
        M::Runbook,
        A::Tick,
        &["space"],
        "tick the selected checklist step",
    ),
    own(M::Runbook, A::Target, &["t"], "pick another target alert"),
    global(M::Runbook, A::Down, "next step"),
    global(M::Runbook, A::Up, "previous step"),
    global(M::Runbook, A::Top, "first step"),
    global(M::Runbook, A::Bottom, "last step"),
    global(M::Runbook, A::Back, "close (a running step keeps running)"),
    global(M::Runbook, A::Quit, "close (a running step keeps running)"),
    // Picking the alert a runbook's steps are for.
    own(
        M::RunbookTarget,
        A::Choose,
        &["enter"],
        "make the selected alert the target",
    ),
    global(M::RunbookTarget, A::Down, "next alert"),
    global(M::RunbookTarget, A::Up, "previous alert"),
    global(
        M::RunbookTarget,
        A::Back,
        "keep the target (no target yet: close the runbook)",
    ),
    global(
        M::RunbookTarget,
        A::Quit,
        "keep the target (no target yet: close the runbook)",
    ),
    // A runbook step that asks first.
    own(
        M::RunbookConfirm,
        A::Yes,
        &["y"],
        "run the step (one with warnings asks again)",
    ),
    own(
        M::RunbookConfirm,
        A::Force,
        &["!"],
        "run a step with warnings anyway, after yes",
    ),
    own(M::RunbookConfirm, A::No, &["n", "esc"], "do not run it"),
    global(M::RunbookConfirm, A::Down, "scroll down"),
    global(M::RunbookConfirm, A::Up, "scroll up"),
    global(M::RunbookConfirm, A::PageDown, "scroll a page down"),
    global(M::RunbookConfirm, A::PageUp, "scroll a page up"),
    global(M::RunbookConfirm, A::Top, "go to the top"),
    global(M::RunbookConfirm, A::Bottom, "go to the end"),
    // The dependency map.
    own(
        M::Map,
        A::Focus,
        &["enter"],
        "only the selected service, its callers and dependencies (again: all)",
    ),
    global(M::Map, A::Down, "select the next service"),
    global(M::Map, A::Up, "select the previous service"),
    global(M::Map, A::Top, "select the first service"),
    global(M::Map, A::Bottom, "select the last service"),
    global(M::Map, A::Expand, "scroll right"),
    global(M::Map, A::Collapse, "scroll left"),
    global(M::Map, A::Back, "close"),
    global(M::Map, A::Map, "close"),
    global(M::Map, A::Quit, "quit"),
    // Deploys.
    global(M::Deploys, A::Down, "next service"),
    global(M::Deploys, A::Up, "previous service"),
    global(M::Deploys, A::Top, "first service"),
    global(M::Deploys, A::Bottom, "last service"),
    global(M::Deploys, A::Expand, "zoom in: a shorter span"),
    global(M::Deploys, A::Collapse, "zoom out: a longer span"),
    global(M::Deploys, A::Back, "close"),
    global(M::Deploys, A::Deploys, "close"),
    global(M::Deploys, A::Quit, "quit"),
    // SLOs.
    own(
        M::Slos,
        A::Week,
        &["w"],
        "switch the chart between a day and a week",
    ),
    global(
        M::Slos,
        A::FocusNext,
        "switch the chart between a day and a week",
    ),
    global(M::Slos, A::Down, "next SLO"),
    global(M::Slos, A::Up, "previous SLO"),
    global(M::Slos, A::Top, "first SLO"),
    global(M::Slos, A::Bottom, "last SLO"),
    global(M::Slos, A::Refresh, "measure now"),
    global(M::Slos, A::Back, "close"),
    global(M::Slos, A::Slos, "close"),
    global(M::Slos, A::Quit, "quit"),
];

/// The rows of one mode, in table order.
fn rows(mode: Mode) -> impl Iterator<Item = &'static Row> {
    TABLE.iter().filter(move |r| r.mode == mode)
}

/// An action that asks first, and the answers of the mode it opens: one key for both
/// would answer the question when pressed twice.
const ASKS_FIRST: &[(Mode, Action, Mode, &[Action])] = &[
    (M::Global, A::Ack, M::Confirm, &[A::Yes]),
    (M::Global, A::Unsilence, M::Confirm, &[A::Yes]),
    (M::Silence, A::Submit, M::Confirm, &[A::Yes]),
    (
        M::Global,
        A::IncidentStatus,
        M::Choice,
        &[A::Pick1, A::Pick2, A::Pick3, A::Pick4],
    ),
    (
        M::Global,
        A::IncidentSeverity,
        M::Choice,
        &[A::Pick1, A::Pick2, A::Pick3, A::Pick4],
    ),
    (M::Runbook, A::Run, M::RunbookConfirm, &[A::Yes, A::Force]),
];

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

    /// A character that a text-entry mode types.
    fn is_text(self) -> bool {
        matches!(self.code, KeyCode::Char(_)) && !self.ctrl && !self.alt
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

/// Text in `[keys]` that names no key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a key (examples: q, G, ctrl-c, pgdn, f5, space)")]
pub struct NotAKey(pub String);

/// Parses `q`, `G`, `?`, `ctrl-c`, `alt-x`, `shift-tab`, `pgdn`, `f5`, `space`.
pub fn parse_key(s: &str) -> Result<KeyCombo, NotAKey> {
    let bad = || NotAKey(s.to_string());
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

/// ctrl-c quits from everywhere and stops a running runbook step, bound or not.
const CTRL_C: KeyCombo = KeyCombo {
    code: KeyCode::Char('c'),
    ctrl: true,
    alt: false,
};

/// The rows that keep ctrl-c whatever keys the user gives them.
fn keeps_ctrl_c(mode: Mode, action: Action) -> bool {
    matches!(
        (mode, action),
        (Mode::Global, Action::Quit) | (_, Action::Stop)
    )
}

/// A problem with one entry of `[keys]`: the entry (`down`, `confirm.yes`), and what is
/// wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("keys.{key}: {message}")]
pub struct KeyProblem {
    /// The entry as written, below `keys.`.
    pub key: String,
    pub message: String,
}

/// An entry of `[keys]` or `[keys.MODE]` the user wrote, with its keys that parse.
struct Written<'a> {
    mode: Mode,
    /// The mode's table as written (`runbook_target`); empty for `[keys]`.
    table: &'a str,
    /// The action as written.
    name: &'a str,
    action: Action,
    keys: Vec<(&'a str, KeyCombo)>,
    /// Where it comes in the file's sorted order: of two entries with one key, the
    /// later one is named.
    order: usize,
}

impl Written<'_> {
    fn key(&self) -> String {
        if self.table.is_empty() {
            self.name.to_string()
        } else {
            format!("{}.{}", self.table, self.name)
        }
    }
}

/// The keys a row has in force, and who chose them.
struct InForce<'w, 'a> {
    row: &'static Row,
    keys: Vec<KeyCombo>,
    /// The user's entry the keys come from; None for the defaults.
    written: Option<&'w Written<'a>>,
    /// The keys are the action's in the whole console (from `[keys]` or its defaults).
    from_global: bool,
    /// Keys of the action's in the whole console that a row of the mode's own takes.
    shadowed: Vec<KeyCombo>,
}

/// The keys of a row as the table gives them, the global ones from `global`.
fn default_combos(row: &Row) -> Vec<KeyCombo> {
    match row.keys {
        Keys::Own(keys) => keys
            .iter()
            .map(|k| parse_key(k).expect("the table's keys parse"))
            .collect(),
        Keys::Global => rows(Mode::Global)
            .find(|g| g.action == row.action)
            .map(default_combos)
            .unwrap_or_default(),
    }
}

/// Reads `[keys]`: every entry the user wrote that names an action, and every problem
/// with the names and keys themselves.
fn read<'a>(config: &'a KeysConfig, problems: &mut Vec<KeyProblem>) -> Vec<Written<'a>> {
    let mut tables: Vec<(Mode, &'a str, &'a BTreeMap<String, KeyList>)> =
        vec![(Mode::Global, "", &config.global)];
    for (name, table) in &config.modes {
        let Some(mode) = Mode::from_name(name) else {
            let modes: Vec<&str> = Mode::ALL[1..].iter().map(|m| m.name()).collect();
            problems.push(KeyProblem {
                key: name.clone(),
                message: format!("unknown mode `{name}` (modes: {})", modes.join(", ")),
            });
            continue;
        };
        if let Some((_, other, _)) = tables.iter().find(|(m, ..)| *m == mode) {
            problems.push(KeyProblem {
                key: name.clone(),
                message: format!("`{other}` and `{name}` name the same mode: keep one"),
            });
            continue;
        }
        tables.push((mode, name, table));
    }
    let mut written: Vec<Written<'a>> = Vec::new();
    for (mode, table, entries) in tables {
        let key = |name: &str| {
            if table.is_empty() {
                name.to_string()
            } else {
                format!("{table}.{name}")
            }
        };
        for (name, list) in entries {
            let mut problem = |message: String| {
                problems.push(KeyProblem {
                    key: key(name),
                    message,
                })
            };
            let Some(action) = mode.action_named(name) else {
                problem(unknown_action(mode, table, name));
                continue;
            };
            if let Some(other) = written
                .iter()
                .find(|w| w.mode == mode && w.action == action)
            {
                problem(format!(
                    "`{}` and `{name}` name the same action: keep one",
                    other.name
                ));
                continue;
            }
            if list.as_slice().is_empty() {
                problem("give at least one key".into());
            }
            let mut keys = Vec::new();
            for k in list.as_slice() {
                match parse_key(k) {
                    Ok(combo) if combo == CTRL_C && !keeps_ctrl_c(mode, action) => {
                        problem(format!(
                            "ctrl-c always quits (and stops a running runbook step); it cannot be `{}`",
                            action.name()
                        ));
                    }
                    Ok(combo) if mode.is_text() && combo.is_text() => problem(format!(
                        "`{k}` is typed as text {}: give `{}` a key that types nothing \
                         (enter, esc, tab, arrows, backspace, ctrl-…, alt-…, f1…)",
                        mode.place(),
                        action.name()
                    )),
                    Ok(combo) => keys.push((k.as_str(), combo)),
                    Err(e) => problem(e.to_string()),
                }
            }
            let order = written.len();
            written.push(Written {
                mode,
                table,
                name,
                action,
                keys,
                order,
            });
        }
    }
    written
}

fn unknown_action(mode: Mode, table: &str, name: &str) -> String {
    if mode == Mode::Global {
        if let Some(m) = Mode::from_name(name) {
            return format!(
                "`{name}` is a mode: give its keys as a table, [keys.{}]",
                m.name()
            );
        }
        return format!("unknown action `{name}` (see `?` in the console for the list)");
    }
    let actions: Vec<&str> = rows(mode).map(|r| r.action.name()).collect();
    format!(
        "unknown action `{name}` in [keys.{table}] (its actions: {})",
        actions.join(", ")
    )
}

/// Every row of `mode` with the keys in force, given what the user wrote. A mode's own
/// keys come first: a key of the whole console that the mode also uses for one of its
/// own is that one there (the runbook view's `t` picks a target even when `t` moves
/// the list), and the action keeps its other keys.
fn in_force<'w, 'a>(mode: Mode, written: &'w [Written<'a>]) -> Vec<InForce<'w, 'a>> {
    let chosen = |m: Mode, a: Action| written.iter().find(|w| w.mode == m && w.action == a);
    let mut rows: Vec<InForce> = rows(mode)
        .map(|row| {
            let (written, from_global) = match (chosen(mode, row.action), row.keys) {
                (Some(w), _) => (Some(w), false),
                (None, Keys::Global) => (chosen(Mode::Global, row.action), true),
                (None, Keys::Own(_)) => (None, false),
            };
            let mut keys: Vec<KeyCombo> = match written {
                Some(w) => w.keys.iter().map(|(_, c)| *c).collect(),
                None => default_combos(row),
            };
            if (keeps_ctrl_c(mode, row.action)
                || (from_global && keeps_ctrl_c(Mode::Global, row.action)))
                && !keys.contains(&CTRL_C)
            {
                keys.push(CTRL_C);
            }
            InForce {
                row,
                keys,
                written,
                from_global,
                shadowed: Vec::new(),
            }
        })
        .collect();
    let own: Vec<KeyCombo> = rows
        .iter()
        .filter(|r| !r.from_global)
        .flat_map(|r| r.keys.iter().copied())
        .collect();
    for r in rows.iter_mut().filter(|r| r.from_global) {
        let (kept, shadowed) = r.keys.iter().partition(|k| !own.contains(k));
        r.keys = kept;
        r.shadowed = shadowed;
    }
    rows
}

/// One key for two things in one mode: the problem is the user's entry's.
fn clashes(mode: Mode, rows: &[InForce], problems: &mut Vec<KeyProblem>) {
    for (i, this) in rows.iter().enumerate() {
        let Some(w) = this.written else { continue };
        // ctrl-c is never the user's to give (see `read`); a key the mode's own row
        // takes is that row's here, not a clash.
        let keys = w
            .keys
            .iter()
            .filter(|(_, c)| *c != CTRL_C && this.keys.contains(c));
        for (k, combo) in keys {
            let other = rows
                .iter()
                .enumerate()
                .filter(|(j, o)| *j != i && o.keys.contains(combo))
                // Two keys of the whole console clash there, and are reported there.
                .filter(|(_, o)| mode == Mode::Global || !(this.from_global && o.from_global))
                // Of two entries of the user's, the later one is named.
                .find(|(_, o)| o.written.is_none_or(|ow| ow.order < w.order));
            let Some((_, other)) = other else { continue };
            let name = other.row.action.name();
            let message = match (other.written, mode) {
                (Some(_), Mode::Global) => format!("`{k}` is already bound to `{name}`"),
                (Some(_), _) => format!("`{k}` is already bound to `{name}` {}", mode.place()),
                (None, _) => {
                    let rest: Vec<String> = default_combos(other.row)
                        .iter()
                        .filter(|c| *c != combo)
                        .map(|c| format!("\"{c}\""))
                        .collect();
                    let example = match (rest.is_empty(), mode) {
                        (true, _) => String::new(),
                        (false, Mode::Global) => format!(", e.g. {name} = [{}]", rest.join(", ")),
                        (false, _) => format!(
                            ", e.g. {name} = [{}] in [keys.{}]",
                            rest.join(", "),
                            w.table
                        ),
                    };
                    let place = match mode {
                        Mode::Global => String::new(),
                        m => format!(" {}", m.place()),
                    };
                    format!(
                        "`{k}` is already bound to `{name}` by default{place}: give `{name}` other keys too{example}"
                    )
                }
            };
            problems.push(KeyProblem {
                key: w.key(),
                message,
            });
        }
    }
}

/// The actions that leave a mode.
fn closes(action: Action) -> bool {
    matches!(
        action,
        Action::Back
            | Action::Quit
            | Action::No
            | Action::Help
            | Action::Sources
            | Action::Map
            | Action::Deploys
            | Action::Slos
    )
}

/// A mode's own keys may take the keys of the whole console that leave it, but not all
/// of them: something must still close the view (ctrl-c stops a runbook step there).
fn stuck(mode: Mode, rows: &[InForce], problems: &mut Vec<KeyProblem>) {
    let closers: Vec<&InForce> = rows.iter().filter(|r| closes(r.row.action)).collect();
    // ctrl-c quits the console, or stops a runbook step: it closes no view.
    let open = |r: &&InForce| r.keys.iter().any(|k| *k != CTRL_C);
    if closers.is_empty() || closers.iter().any(open) {
        return;
    }
    let taken: Vec<String> = closers
        .iter()
        .flat_map(|r| r.shadowed.iter())
        .filter(|k| **k != CTRL_C)
        .map(|k| format!("`{k}`"))
        .collect();
    // The user's entry that moved a closing action onto the mode's keys, or the
    // mode's own entry that took them.
    let blamed = closers
        .iter()
        .filter_map(|r| r.written)
        .chain(
            rows.iter()
                .filter(|r| !r.from_global)
                .filter_map(|r| r.written),
        )
        .next();
    let Some(w) = blamed else { return };
    let names: Vec<String> = closers
        .iter()
        .map(|r| format!("`{}`", r.row.action.name()))
        .collect();
    problems.push(KeyProblem {
        key: w.key(),
        message: format!(
            "{}, {} {} its own, so nothing would close it: give {} another key",
            mode.place()[..1].to_uppercase() + &mode.place()[1..],
            taken.join(" and "),
            if taken.len() == 1 { "is" } else { "are" },
            names.join(" or ")
        ),
    });
}

/// An action that asks first must not share a key with the answer it asks for.
fn answers_twice(written: &[Written], problems: &mut Vec<KeyProblem>) {
    for (asks_in, asks, answers_in, answers) in ASKS_FIRST {
        let find = |mode: Mode, action: Action| {
            in_force(mode, written)
                .into_iter()
                .find(|f| f.row.action == action)
        };
        let Some(opener) = find(*asks_in, *asks) else {
            continue;
        };
        for answer in *answers {
            let Some(reply) = find(*answers_in, *answer) else {
                continue;
            };
            for combo in opener.keys.iter().filter(|c| reply.keys.contains(c)) {
                if *combo == CTRL_C {
                    continue;
                }
                let twice = "pressed twice, it would answer";
                let (key, message) = match (opener.written, reply.written) {
                    (Some(w), _) => (
                        w.key(),
                        format!(
                            "`{combo}` is `{}` {} ({}), so it cannot also be `{}`: {twice}",
                            answer.name(),
                            answers_in.place(),
                            reply.row.description,
                            asks.name()
                        ),
                    ),
                    (None, Some(w)) => (
                        w.key(),
                        format!(
                            "`{combo}` is `{}` {}, which asks first: {twice}",
                            asks.name(),
                            asks_in.place()
                        ),
                    ),
                    (None, None) => continue,
                };
                problems.push(KeyProblem { key, message });
            }
        }
    }
}

/// Every problem with a `[keys]` table: unknown actions and modes, keys that do not
/// parse, and any key that would not do what the help says: two actions on one key in
/// one mode (a key the user binds never takes a default of an action they left alone),
/// an action that asks first on the key that answers it, a view whose own keys leave
/// nothing to close it, ctrl-c taken from quit, a character in a mode that types.
pub fn problems(config: &KeysConfig) -> Vec<KeyProblem> {
    let mut problems = Vec::new();
    let written = read(config, &mut problems);
    for mode in Mode::ALL {
        let rows = in_force(mode, &written);
        clashes(mode, &rows, &mut problems);
        stuck(mode, &rows, &mut problems);
    }
    answers_twice(&written, &mut problems);
    problems.dedup();
    problems
}

/// The keymap's check of a config file, for `config check` and start-up: each problem
/// as (dotted key, message), put on its line by config.
pub fn check_config(file: &FileConfig, _path: &Path) -> Vec<(String, String)> {
    problems(&file.keys)
        .into_iter()
        .map(|p| (format!("keys.{}", p.key), p.message))
        .collect()
}

/// A keymap refused for its first problem (`clops config check` lists every one).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(transparent)]
pub struct KeymapError(#[from] pub KeyProblem);

/// One binding in force.
#[derive(Debug, Clone)]
struct Binding {
    mode: Mode,
    action: Action,
    keys: Vec<KeyCombo>,
    description: &'static str,
}

/// A mode's part of the help: its heading and (keys, action name, description) rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpSection {
    pub mode: Mode,
    pub heading: String,
    pub rows: Vec<(String, &'static str, &'static str)>,
}

/// The bindings in force: the table's defaults with the user's replacements.
#[derive(Debug, Clone)]
pub struct Keymap {
    /// One per row of the table, in its order.
    bindings: Vec<Binding>,
}

impl Keymap {
    /// Defaults, with each action of the whole console named in `overrides` given
    /// exactly the keys listed (quit keeps ctrl-c).
    pub fn new(overrides: &BTreeMap<String, KeyList>) -> Result<Keymap, KeymapError> {
        Keymap::from_config(&KeysConfig {
            global: overrides.clone(),
            modes: BTreeMap::new(),
        })
    }

    /// Defaults, with each action named in `[keys]` or `[keys.MODE]` given exactly the
    /// keys listed. Refuses a table with any of the [`problems`], so no key does
    /// something other than the footer and help say.
    pub fn from_config(config: &KeysConfig) -> Result<Keymap, KeymapError> {
        if let Some(problem) = problems(config).into_iter().next() {
            return Err(problem.into());
        }
        let written = read(config, &mut Vec::new());
        let bindings = Mode::ALL
            .into_iter()
            .flat_map(|mode| in_force(mode, &written))
            .map(|f| Binding {
                mode: f.row.mode,
                action: f.row.action,
                keys: f.keys,
                description: f.row.description,
            })
            .collect();
        Ok(Keymap { bindings })
    }

    fn in_mode(&self, mode: Mode) -> impl Iterator<Item = &Binding> {
        self.bindings.iter().filter(move |b| b.mode == mode)
    }

    /// The action bound to a key event in the alert list.
    pub fn action_for(&self, ev: &KeyEvent) -> Option<Action> {
        self.action_in(Mode::Global, ev)
    }

    /// The action bound to a key event in `mode`.
    pub fn action_in(&self, mode: Mode, ev: &KeyEvent) -> Option<Action> {
        if ev.kind == KeyEventKind::Release {
            return None;
        }
        let combo = KeyCombo::from_event(ev);
        self.in_mode(mode)
            .find(|b| b.keys.contains(&combo))
            .map(|b| b.action)
    }

    /// The keys of an action of the whole console, for hints and help.
    pub fn keys(&self, action: Action) -> &[KeyCombo] {
        self.keys_in(Mode::Global, action)
    }

    /// The keys of `action` in `mode`.
    pub fn keys_in(&self, mode: Mode, action: Action) -> &[KeyCombo] {
        self.in_mode(mode)
            .find(|b| b.action == action)
            .map(|b| b.keys.as_slice())
            .unwrap_or(&[])
    }

    /// "j/down" style text for an action's keys in the alert list.
    pub fn keys_text(&self, action: Action) -> String {
        self.keys_text_in(Mode::Global, action)
    }

    /// "j/down" style text for an action's keys in `mode`.
    pub fn keys_text_in(&self, mode: Mode, action: Action) -> String {
        let keys: Vec<String> = self
            .keys_in(mode, action)
            .iter()
            .map(ToString::to_string)
            .collect();
        if keys.is_empty() {
            "(unbound)".into()
        } else {
            keys.join("/")
        }
    }

    /// A footer hint from the keys in force: each part is the first key of each of its
    /// actions (joined by `/`) and what they do, parts joined by ` · `, with a leading
    /// space: ` j/k select · esc close`.
    pub fn hint(&self, mode: Mode, parts: &[(&[Action], &str)]) -> String {
        let mut out = String::new();
        for (i, (actions, what)) in parts.iter().enumerate() {
            out.push_str(if i == 0 { " " } else { " · " });
            let keys: Vec<String> = actions.iter().map(|&a| self.key_in(mode, a)).collect();
            out.push_str(&keys.join("/"));
            out.push(' ');
            out.push_str(what);
        }
        out
    }

    /// The first key of `action` in `mode`, for a hint: `esc`.
    pub fn key_in(&self, mode: Mode, action: Action) -> String {
        self.keys_in(mode, action)
            .first()
            .map(ToString::to_string)
            .unwrap_or_else(|| "(unbound)".into())
    }

    /// (keys, action name, description) for every action of the whole console: the
    /// help overlay's first rows.
    pub fn help_rows(&self) -> Vec<(String, &'static str, &'static str)> {
        self.section_rows(Mode::Global)
    }

    fn section_rows(&self, mode: Mode) -> Vec<(String, &'static str, &'static str)> {
        self.in_mode(mode)
            .map(|b| {
                (
                    self.keys_text_in(mode, b.action),
                    b.action.name(),
                    b.description,
                )
            })
            .collect()
    }

    /// The help of every mode but the alert list's, in order: where it is, the table
    /// that changes its keys, and its rows.
    pub fn help_sections(&self) -> Vec<HelpSection> {
        Mode::ALL[1..]
            .iter()
            .map(|&mode| {
                let place = mode.place();
                let mut heading = format!(
                    "{}{}  [keys.{}]",
                    place[..1].to_uppercase(),
                    &place[1..],
                    mode.name()
                );
                if let Some(other) = mode.other_keys() {
                    heading.push_str(&format!(" · {other}"));
                }
                HelpSection {
                    mode,
                    heading,
                    rows: self.section_rows(mode),
                }
            })
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

    fn ch(c: char) -> KeyEvent {
        ev(KeyCode::Char(c), KeyModifiers::NONE)
    }

    #[test]
    fn defaults_dispatch_vim_and_arrow_keys() {
        let k = Keymap::default();
        assert_eq!(k.action_for(&ch('j')), Some(Action::Down));
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
        assert_eq!(k.action_for(&ch('?')), Some(Action::Help));
        assert_eq!(k.action_for(&ch('y')), None);
    }

    #[test]
    fn each_mode_reads_its_own_rows() {
        let k = Keymap::default();
        assert_eq!(k.action_in(Mode::Confirm, &ch('y')), Some(Action::Yes));
        assert_eq!(k.action_in(Mode::Confirm, &ch('q')), None, "q is not there");
        assert_eq!(k.action_in(Mode::Choice, &ch('3')), Some(Action::Pick3));
        assert_eq!(k.action_in(Mode::Incidents, &ch('I')), Some(Action::Back));
        assert_eq!(k.action_in(Mode::Filter, &ch('j')), None, "j types a j");
        assert_eq!(
            k.action_in(Mode::Filter, &ev(KeyCode::Char('w'), KeyModifiers::CONTROL)),
            Some(Action::DeleteWord)
        );
        assert_eq!(
            k.action_in(Mode::Silence, &ev(KeyCode::Tab, KeyModifiers::SHIFT)),
            Some(Action::PreviousField),
            "shift-tab reported as tab with shift"
        );
        assert_eq!(k.action_in(Mode::Map, &ch('j')), Some(Action::Down));
        assert_eq!(k.action_in(Mode::Slos, &ch('w')), Some(Action::Week));
        assert_eq!(
            k.action_in(
                Mode::Runbook,
                &ev(KeyCode::Char('c'), KeyModifiers::CONTROL)
            ),
            Some(Action::Stop),
            "ctrl-c stops a step in the runbook view"
        );
    }

    /// `action = [keys]` entries of one table.
    type Table<'a> = &'a [(&'a str, &'a [&'a str])];

    fn config(global: Table, modes: &[(&str, Table)]) -> KeysConfig {
        let table = |pairs: Table| -> BTreeMap<String, KeyList> {
            pairs
                .iter()
                .map(|(a, ks)| {
                    (
                        a.to_string(),
                        KeyList::Many(ks.iter().map(|k| k.to_string()).collect()),
                    )
                })
                .collect()
        };
        KeysConfig {
            global: table(global),
            modes: modes
                .iter()
                .map(|(m, pairs)| (m.to_string(), table(pairs)))
                .collect(),
        }
    }

    fn problems_of(pairs: &[(&str, &[&str])]) -> Vec<(String, String)> {
        problems(&config(pairs, &[]))
            .into_iter()
            .map(|p| (p.key, p.message))
            .collect()
    }

    fn mode_problems(modes: &[(&str, Table)]) -> Vec<(String, String)> {
        problems(&config(&[], modes))
            .into_iter()
            .map(|p| (p.key, p.message))
            .collect()
    }

    #[test]
    fn the_defaults_give_no_key_two_meanings_anywhere() {
        assert_eq!(problems(&KeysConfig::default()), []);
        for mode in Mode::ALL {
            let rows: Vec<&Row> = rows(mode).collect();
            assert!(!rows.is_empty(), "{mode:?} has rows");
            for (i, a) in rows.iter().enumerate() {
                for b in &rows[i + 1..] {
                    assert_ne!(a.action, b.action, "{mode:?} lists {:?} twice", a.action);
                }
            }
            if mode.is_text() {
                for r in &rows {
                    assert!(
                        default_combos(r).iter().all(|c| !c.is_text()),
                        "{mode:?} {:?} takes a typed character",
                        r.action
                    );
                }
            }
        }
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
        assert_eq!(k.action_for(&ch('q')), Some(Action::Down));
        assert_eq!(
            k.action_for(&ev(KeyCode::Char('q'), KeyModifiers::CONTROL)),
            Some(Action::Quit)
        );
        assert_eq!(k.action_for(&ch('j')), None);
        assert_eq!(
            k.keys_text(Action::Quit),
            "ctrl-q/ctrl-c",
            "ctrl-c always quits"
        );
        assert_eq!(k.keys_text(Action::Down), "q/down");
        // Views that move like the list move with the list's keys.
        assert_eq!(k.action_in(Mode::Map, &ch('q')), Some(Action::Down));
        assert_eq!(k.action_in(Mode::Help, &ch('j')), None);
        // Modes with keys of their own keep them.
        assert_eq!(k.action_in(Mode::Confirm, &ch('j')), Some(Action::Down));
    }

    #[test]
    fn a_modes_table_replaces_its_keys_there_only() {
        let k = Keymap::from_config(&config(
            &[],
            &[
                ("confirm", &[("yes", &["ctrl-y"])]),
                ("incidents", &[("activate", &["o", "enter"])]),
                ("map", &[("down", &["J"])]),
            ],
        ))
        .unwrap();
        let ctrl_y = ev(KeyCode::Char('y'), KeyModifiers::CONTROL);
        assert_eq!(k.action_in(Mode::Confirm, &ctrl_y), Some(Action::Yes));
        assert_eq!(k.action_in(Mode::Confirm, &ch('y')), None, "y is no now");
        assert_eq!(
            k.action_in(Mode::Incidents, &ch('o')),
            Some(Action::Activate)
        );
        assert_eq!(k.action_in(Mode::Map, &ch('J')), Some(Action::Down));
        assert_eq!(k.action_in(Mode::Map, &ch('j')), None);
        assert_eq!(
            k.action_for(&ch('j')),
            Some(Action::Down),
            "the list keeps j"
        );
        assert_eq!(k.keys_text_in(Mode::Confirm, Action::Yes), "ctrl-y");
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
        // The same inside a mode, with the mode's table named.
        let p = mode_problems(&[("confirm", &[("yes", &["j"])])]);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].0, "confirm.yes");
        assert!(
            p[0].1
                .contains("`j` is already bound to `down` by default when a change asks first"),
            "{p:?}"
        );
        assert!(
            p[0].1.contains("down = [\"down\"] in [keys.confirm]"),
            "{p:?}"
        );
    }

    #[test]
    fn keys_bound_twice_or_leaving_a_view_shut_are_refused() {
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
        assert!(
            p[0].1.contains("`y` is `yes` when a change asks first")
                && p[0].1.contains("cannot also be `ack`"),
            "{p:?}"
        );
        // A view's own key stays the view's: the action keeps its other keys there.
        let config_of = |pairs: &[(&str, &[&str])]| config(pairs, &[]);
        let k = Keymap::from_config(&config_of(&[("down", &["w", "j"])])).unwrap();
        assert_eq!(k.action_in(Mode::Slos, &ch('w')), Some(Action::Week));
        assert_eq!(k.action_in(Mode::Slos, &ch('j')), Some(Action::Down));
        assert_eq!(
            k.keys_text_in(Mode::Slos, Action::Down),
            "j",
            "help says so"
        );
        assert_eq!(k.action_for(&ch('w')), Some(Action::Down));
        let k = Keymap::from_config(&config_of(&[
            ("toggle", &["t"]),
            ("status", &["T"]),
            ("down", &["space", "j"]),
        ]))
        .unwrap();
        assert_eq!(k.action_in(Mode::Runbook, &ch(' ')), Some(Action::Tick));
        assert_eq!(k.action_in(Mode::Runbook, &ch('t')), Some(Action::Target));
        // Unless nothing would close the view any more.
        let p = problems_of(&[
            ("back", &["t"]),
            ("quit", &["enter"]),
            ("toggle", &["ctrl-t"]),
            ("status", &["T"]),
        ]);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].0, "back");
        assert_eq!(
            p[0].1,
            "In the runbook view, `t` and `enter` are its own, so nothing would close it: \
             give `back` or `quit` another key"
        );
        let p = problems_of(&[("page-up", &["K"]), ("page_up", &["U"])]);
        assert!(p[0].1.contains("name the same action"), "{p:?}");
        let p = problems_of(&[("dance", &["d"]), ("down", &[])]);
        assert_eq!(p.len(), 2, "{p:?}");
        let p = problems_of(&[("status", &["2"])]);
        assert!(p[0].1.contains("pressed twice"), "{p:?}");
    }

    #[test]
    fn mode_tables_are_checked_like_the_global_one() {
        let p = mode_problems(&[("bogus", &[("yes", &["y"])])]);
        assert!(p[0].1.contains("unknown mode `bogus`"), "{p:?}");
        let p = mode_problems(&[("confirm", &[("dance", &["d"])])]);
        assert_eq!(p[0].0, "confirm.dance");
        assert!(p[0].1.contains("its actions: yes, down"), "{p:?}");
        // Typing modes keep characters for the text.
        let p = mode_problems(&[("prompt", &[("submit", &["s"])])]);
        assert!(p[0].1.contains("`s` is typed as text in a prompt"), "{p:?}");
        assert!(mode_problems(&[("prompt", &[("submit", &["ctrl-s"])])]).is_empty());
        // Two actions on one key in one mode.
        let p = mode_problems(&[("incidents", &[("activate", &["o"]), ("down", &["o"])])]);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].0, "incidents.down");
        assert!(
            p[0].1
                .contains("`o` is already bound to `activate` in the incident list"),
            "{p:?}"
        );
        // Enter twice must not send a silence.
        let p = mode_problems(&[("confirm", &[("yes", &["enter"])])]);
        assert_eq!(p[0].0, "confirm.yes");
        assert!(
            p[0].1
                .contains("`enter` is `submit` in the silence form, which asks first"),
            "{p:?}"
        );
        let p = mode_problems(&[("runbook", &[("stop", &["ctrl-c"]), ("tick", &["ctrl-c"])])]);
        assert_eq!(
            p.len(),
            1,
            "stop keeps ctrl-c, nothing else takes it: {p:?}"
        );
        assert_eq!(p[0].0, "runbook.tick");
        // A [keys] entry that names a mode says how to write it.
        let p = problems_of(&[("confirm", &["y"])]);
        assert!(p[0].1.contains("[keys.confirm]"), "{p:?}");
        // A mode's own key takes a key of the whole console there, which keeps its others.
        let k = Keymap::from_config(&config(&[], &[("runbook", &[("tick", &["j"])])])).unwrap();
        assert_eq!(k.action_in(Mode::Runbook, &ch('j')), Some(Action::Tick));
        assert_eq!(k.keys_text_in(Mode::Runbook, Action::Down), "down");
        assert_eq!(k.action_in(Mode::Map, &ch('j')), Some(Action::Down));
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
            assert_eq!(parse_key(bad), Err(NotAKey(bad.to_string())));
        }
    }

    #[test]
    fn help_lists_every_action_of_every_mode_with_its_keys() {
        let k = Keymap::default();
        let rows = k.help_rows();
        assert_eq!(rows.len(), Action::ALL.len());
        assert!(rows.contains(&("q/ctrl-c".to_string(), "quit", "quit")));
        for a in Action::ALL {
            assert_eq!(Action::from_name(a.name()), Some(a));
        }
        let sections = k.help_sections();
        assert_eq!(sections.len(), Mode::ALL.len() - 1);
        let confirm = sections.iter().find(|s| s.mode == Mode::Confirm).unwrap();
        assert_eq!(
            confirm.heading,
            "When a change asks first  [keys.confirm] · any other key is no"
        );
        assert_eq!(confirm.rows[0].0, "y/Y");
        for mode in &Mode::ALL[1..] {
            assert_eq!(Mode::from_name(mode.name()), Some(*mode));
            for r in rows_of(*mode) {
                assert_eq!(mode.action_named(r.action.name()), Some(r.action));
            }
        }
    }

    fn rows_of(mode: Mode) -> Vec<&'static Row> {
        rows(mode).collect()
    }

    #[test]
    fn the_config_check_names_each_entry_under_keys() {
        let path = Path::new("clops.toml");
        let text = "[keys]\nup = \"j\"\ndown = [\"J\", \"j\"]\n\n[keys.confirm]\nyes = \"enter\"\n";
        let e = crate::config::parse_all_with(path, text, &crate::tui::CONFIG_CHECKS).unwrap_err();
        let at: Vec<(usize, &str)> = e.0.iter().map(|e| (e.line, e.key.as_str())).collect();
        assert_eq!(at, [(2, "keys.up"), (6, "keys.confirm.yes")], "{e:?}");
        assert!(e.0[0].message.contains("already bound to `down`"), "{e:?}");
        let e = crate::config::parse_all_with(
            path,
            "[keys]\nquit = \"ctrl-\"\n",
            &crate::tui::CONFIG_CHECKS,
        )
        .unwrap_err();
        assert_eq!((e.first().line, e.first().key.as_str()), (2, "keys.quit"));
    }
}
