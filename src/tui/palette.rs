//! The `:` command palette: a small table of commands with aliases, fuzzily completed.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use super::keymap::Action;

/// What a palette command takes after its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg {
    None,
    /// A theme name, completed from the known themes.
    Theme,
    /// A runbook name, completed from the library.
    Runbook,
    /// Free text.
    Text,
}

/// One palette command.
#[derive(Debug, Clone, Copy)]
pub struct Command {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub arg: Arg,
    pub description: &'static str,
}

/// Every palette command.
pub const COMMANDS: &[Command] = &[
    cmd("help", &["h"], Arg::None, "show the keys and commands"),
    cmd("quit", &["q", "exit", "q!"], Arg::None, "leave clops"),
    cmd("filter", &["f"], Arg::Text, "filter alerts: filter TEXT"),
    cmd("clear", &["nofilter"], Arg::None, "clear the filter"),
    cmd("expand-all", &["ea"], Arg::None, "expand every group"),
    cmd("collapse-all", &["ca"], Arg::None, "collapse every group"),
    cmd("sources", &["src"], Arg::None, "sources and their health"),
    cmd("refresh", &["r"], Arg::None, "poll every source now"),
    cmd(
        "incidents",
        &["inc"],
        Arg::None,
        "open and recent incidents",
    ),
    cmd("slos", &["slo"], Arg::None, "SLOs, least budget left first"),
    cmd("map", &["deps"], Arg::None, "the service dependency map"),
    cmd(
        "deploys",
        &[],
        Arg::None,
        "deploys per service, with alert onsets",
    ),
    cmd("theme", &["skin"], Arg::Theme, "switch theme: theme NAME"),
    cmd(
        "runbook",
        &["rb"],
        Arg::Runbook,
        "open a runbook: runbook NAME",
    ),
    cmd("top", &[], Arg::None, "go to the first row"),
    cmd("bottom", &[], Arg::None, "go to the last row"),
];

const fn cmd(
    name: &'static str,
    aliases: &'static [&'static str],
    arg: Arg,
    description: &'static str,
) -> Command {
    Command {
        name,
        aliases,
        arg,
        description,
    }
}

/// What running a palette line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invocation {
    Action(Action),
    Filter(String),
    ClearFilter,
    ExpandAll(bool),
    Theme(String),
    Runbook(String),
}

/// Why a palette line cannot run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PaletteError {
    #[error("type a command; tab completes")]
    Empty,
    #[error("unknown command `{0}`")]
    UnknownCommand(String),
    #[error("filter needs text: filter TEXT")]
    NoFilter,
    #[error("{command} needs a name: {}", names.join(", "))]
    NoName { command: String, names: Vec<String> },
    /// (command, the name given)
    #[error("unknown {0} `{1}`")]
    UnknownName(String, String),
}

/// What the palette completes arguments from.
#[derive(Debug, Clone, Default)]
pub struct Names<'a> {
    pub themes: &'a [String],
    pub runbooks: Vec<&'a str>,
}

/// How many completions the palette shows (and lets the cursor reach).
pub const SHOWN: usize = 8;

/// A completion shown under the palette input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// The input line this suggestion completes to.
    pub line: String,
    pub description: String,
}

/// Completions for what has been typed: command names first, then arguments.
pub fn suggest(input: &str, names: &Names<'_>) -> Vec<Suggestion> {
    let matcher = SkimMatcherV2::default().ignore_case();
    let (word, rest) = match input.trim_start().split_once(' ') {
        Some((w, r)) => (w, Some(r.trim_start())),
        None => (input.trim(), None),
    };
    match rest {
        None => {
            // Exact names and aliases first, then names starting with what was typed,
            // then fuzzy matches of names. Aliases only count when typed in full, so
            // `e` means expand-all, never exit.
            let mut scored: Vec<(i64, &Command)> = COMMANDS
                .iter()
                .filter_map(|c| {
                    let score = if word.is_empty() {
                        0
                    } else if c.name == word || c.aliases.contains(&word) {
                        i64::MAX / 2
                    } else if c.name.starts_with(word) {
                        i64::MAX / 4
                    } else {
                        matcher.fuzzy_match(c.name, word)?
                    };
                    Some((score, c))
                })
                .collect();
            scored.sort_by_key(|s| std::cmp::Reverse(s.0));
            scored
                .into_iter()
                .map(|(_, c)| Suggestion {
                    line: if c.arg == Arg::None {
                        c.name.to_string()
                    } else {
                        format!("{} ", c.name)
                    },
                    description: c.description.to_string(),
                })
                .collect()
        }
        Some(arg) => {
            let (command, candidates): (&str, Vec<&str>) = match find(word).map(|c| c.arg) {
                Some(Arg::Theme) => ("theme", names.themes.iter().map(String::as_str).collect()),
                Some(Arg::Runbook) => ("runbook", names.runbooks.clone()),
                _ => return Vec::new(),
            };
            let mut scored: Vec<(i64, &str)> = candidates
                .into_iter()
                .filter_map(|t| {
                    if arg.is_empty() {
                        Some((0, t))
                    } else {
                        matcher.fuzzy_match(t, arg).map(|s| (s, t))
                    }
                })
                .collect();
            scored.sort_by_key(|s| std::cmp::Reverse(s.0));
            scored
                .into_iter()
                .map(|(_, t)| Suggestion {
                    line: format!("{command} {t}"),
                    description: command.into(),
                })
                .collect()
        }
    }
}

/// The command called `word` by name or alias.
pub fn find(word: &str) -> Option<&'static Command> {
    COMMANDS
        .iter()
        .find(|c| c.name == word || c.aliases.contains(&word))
}

/// Interprets a finished palette line. An unknown first word runs the best fuzzy
/// match, as k9s does; nothing matching at all is an error in words.
pub fn parse(line: &str, names: &Names<'_>) -> Result<Invocation, PaletteError> {
    let line = line.trim();
    let (word, arg) = match line.split_once(' ') {
        Some((w, a)) => (w, a.trim()),
        None => (line, ""),
    };
    if word.is_empty() {
        return Err(PaletteError::Empty);
    }
    let command = match find(word) {
        Some(c) => c,
        None => {
            // A near miss runs its best match, but never quits: leaving the console
            // mid-incident takes the word itself.
            let best = suggest(word, names)
                .into_iter()
                .filter_map(|s| find(s.line.trim()))
                .find(|c| c.name != "quit");
            match best {
                Some(c) => c,
                None => return Err(PaletteError::UnknownCommand(word.to_string())),
            }
        }
    };
    Ok(match command.name {
        "help" => Invocation::Action(Action::Help),
        "quit" => Invocation::Action(Action::Quit),
        "sources" => Invocation::Action(Action::Sources),
        "refresh" => Invocation::Action(Action::Refresh),
        "incidents" => Invocation::Action(Action::Incidents),
        "slos" => Invocation::Action(Action::Slos),
        "map" => Invocation::Action(Action::Map),
        "deploys" => Invocation::Action(Action::Deploys),
        "top" => Invocation::Action(Action::Top),
        "bottom" => Invocation::Action(Action::Bottom),
        "clear" => Invocation::ClearFilter,
        "expand-all" => Invocation::ExpandAll(true),
        "collapse-all" => Invocation::ExpandAll(false),
        "filter" if arg.is_empty() => return Err(PaletteError::NoFilter),
        "filter" => Invocation::Filter(arg.to_string()),
        "theme" => Invocation::Theme(complete_arg(
            "theme",
            arg,
            names.themes.iter().map(String::as_str),
            names,
        )?),
        "runbook" => Invocation::Runbook(complete_arg(
            "runbook",
            arg,
            names.runbooks.iter().copied(),
            names,
        )?),
        other => unreachable!("palette command {other} has no meaning"),
    })
}

/// `arg` if it is one of `known`, else its best fuzzy completion.
fn complete_arg<'a>(
    command: &str,
    arg: &str,
    mut known: impl Iterator<Item = &'a str>,
    names: &Names<'_>,
) -> Result<String, PaletteError> {
    let listed: Vec<&str> = known.by_ref().collect();
    if arg.is_empty() {
        return Err(PaletteError::NoName {
            command: command.to_string(),
            names: listed.iter().map(|s| s.to_string()).collect(),
        });
    }
    if listed.contains(&arg) {
        return Ok(arg.to_string());
    }
    suggest(&format!("{command} {arg}"), names)
        .into_iter()
        .next()
        .map(|s| s.line[command.len() + 1..].to_string())
        .ok_or_else(|| PaletteError::UnknownName(command.to_string(), arg.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn themes() -> Names<'static> {
        let themes = vec!["default".into(), "light".into(), "mono".into()];
        Names {
            themes: Box::leak(Box::new(themes)),
            runbooks: vec!["payments-db", "disk-full"],
        }
    }

    #[test]
    fn completes_command_names_fuzzily() {
        let s = suggest("thm", &themes());
        assert_eq!(s[0].line, "theme ");
        let s = suggest("q", &themes());
        assert_eq!(s[0].line, "quit");
        assert_eq!(suggest("", &themes()).len(), COMMANDS.len());
    }

    #[test]
    fn completes_theme_names() {
        let s = suggest("theme mn", &themes());
        assert_eq!(s[0].line, "theme mono");
    }

    #[test]
    fn parses_commands_aliases_and_near_misses() {
        assert_eq!(parse("q", &themes()), Ok(Invocation::Action(Action::Quit)));
        assert_eq!(
            parse("refrsh", &themes()),
            Ok(Invocation::Action(Action::Refresh))
        );
        assert_eq!(
            parse("e", &themes()),
            Ok(Invocation::ExpandAll(true)),
            "e is not exit"
        );
        assert_eq!(parse("ex", &themes()), Ok(Invocation::ExpandAll(true)));
        assert_eq!(
            parse("exit", &themes()),
            Ok(Invocation::Action(Action::Quit))
        );
        assert_ne!(
            parse("qui", &themes()),
            Ok(Invocation::Action(Action::Quit)),
            "no fuzzy quit"
        );
        assert_eq!(
            parse("filter payments eu", &themes()),
            Ok(Invocation::Filter("payments eu".into()))
        );
        assert_eq!(
            parse("theme lght", &themes()),
            Ok(Invocation::Theme("light".into()))
        );
        assert_eq!(
            parse("slo", &themes()),
            Ok(Invocation::Action(Action::Slos))
        );
        assert_eq!(
            parse("deps", &themes()),
            Ok(Invocation::Action(Action::Map))
        );
        assert_eq!(
            parse("deploys", &themes()),
            Ok(Invocation::Action(Action::Deploys))
        );
        assert!(parse("xyzzy", &themes()).is_err());
        assert!(parse("theme", &themes()).is_err());
    }

    #[test]
    fn runbooks_complete_and_open_by_near_name() {
        let s = suggest("runbook dsk", &themes());
        assert_eq!(s[0].line, "runbook disk-full");
        assert_eq!(
            parse("runbook paydb", &themes()),
            Ok(Invocation::Runbook("payments-db".into()))
        );
        assert_eq!(
            parse("rb disk-full", &themes()),
            Ok(Invocation::Runbook("disk-full".into()))
        );
        assert!(parse("runbook zzz", &themes()).is_err());
    }
}
