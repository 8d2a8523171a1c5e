//! Themes: semantic slots (what a thing means, not which widget it is), loaded from TOML
//! files that may inherit from another theme, and adapted to what the terminal can show.

use std::collections::BTreeMap;
use std::path::Path;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

use crate::config::FileConfig;
use crate::model::{Health, Severity};

/// Themes shipped inside the binary.
pub const BUILTIN_NAMES: &[&str] = &["default", "light", "high-contrast", "mono"];

const BUILTIN_FILES: &[(&str, &str)] = &[
    ("default", include_str!("../../themes/default.toml")),
    ("light", include_str!("../../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.toml"),
    ),
    ("mono", include_str!("../../themes/mono.toml")),
];

/// True when `name` is a shipped theme or a file in `user_dir`.
pub fn is_known(name: &str, user_dir: Option<&Path>) -> bool {
    BUILTIN_NAMES.contains(&name)
        || user_dir.is_some_and(|d| d.join(format!("{name}.toml")).is_file())
}

/// Where user themes live for the config file at `config_file`: `themes/` beside it.
pub fn user_dir(config_file: &Path) -> Option<std::path::PathBuf> {
    config_file.parent().map(|p| p.join("themes"))
}

/// The theme's check of a config file, wherever it is read: `console.theme` names a
/// shipped theme or a file in the user theme directory.
pub fn check_config_name(file: &FileConfig, config_file: &Path) -> Vec<(String, String)> {
    match &file.console.theme {
        Some(name) if !is_known(name, user_dir(config_file).as_deref()) => vec![(
            "console.theme".into(),
            ThemeError::Unknown { name: name.clone() }.to_string(),
        )],
        _ => Vec::new(),
    }
}

/// The theme's check of a config file in `clops config check`: the theme it names
/// loads on this host (a user theme file parses, its parents exist, its colours read).
pub fn check_config_file(file: &FileConfig, config_file: &Path) -> Vec<(String, String)> {
    let dir = user_dir(config_file);
    match &file.console.theme {
        Some(name) if is_known(name, dir.as_deref()) => {
            match Theme::load(name, ColorDepth::TrueColor, dir.as_deref()) {
                Ok(_) => Vec::new(),
                Err(e) => vec![("console.theme".into(), e.to_string())],
            }
        }
        _ => Vec::new(),
    }
}

/// Why a theme cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ThemeError {
    #[error("unknown theme `{name}` (shipped: {})", BUILTIN_NAMES.join(", "))]
    Unknown { name: String },
    #[error("theme `{name}` inherits from itself")]
    InheritsItself { name: String },
    #[error("theme `{name}`: unknown slot `{slot}`")]
    UnknownSlot { name: String, slot: String },
    // Not named `source`: thiserror would make it the cause too, and `{e:#}` would say
    // it twice.
    #[error("{}: cannot read: {error}", path.display())]
    Read {
        path: std::path::PathBuf,
        error: std::io::Error,
    },
    /// `origin` is the file, or `shipped theme `NAME``.
    #[error("{origin}: {message}")]
    Parse { origin: String, message: String },
    #[error("`{0}` is not a colour (use #rrggbb, 0-255 or a name like red)")]
    NotAColour(String),
}

/// How many colours the terminal can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorDepth {
    TrueColor,
    Ansi256,
    Ansi16,
    /// No colour at all (NO_COLOR, --no-color, or the mono theme).
    None,
}

impl ColorDepth {
    /// Reads `COLORTERM` and `TERM` the way most terminal programs do.
    pub fn detect(colorterm: Option<&str>, term: Option<&str>) -> ColorDepth {
        let colorterm = colorterm.unwrap_or("").to_ascii_lowercase();
        let term = term.unwrap_or("").to_ascii_lowercase();
        if colorterm.contains("truecolor") || colorterm.contains("24bit") {
            ColorDepth::TrueColor
        } else if term.contains("256") || term.contains("direct") {
            ColorDepth::Ansi256
        } else if term == "dumb" {
            ColorDepth::None
        } else {
            ColorDepth::Ansi16
        }
    }
}

/// The meanings the console draws with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Theme {
    /// Ordinary text on the screen's background.
    pub text: Style,
    /// Secondary text: labels, ages, hints.
    pub muted: Style,
    /// Headings and the product name.
    pub title: Style,
    /// Things to notice that are not alarms: counts, the filter, keys in hints.
    pub accent: Style,
    pub border: Style,
    /// Border of the focused pane.
    pub border_focus: Style,
    /// The selected row.
    pub selection: Style,
    /// The status bar and footer background.
    pub bar: Style,
    pub critical: Style,
    pub error: Style,
    pub warning: Style,
    pub info: Style,
    /// Healthy sources and resolved things.
    pub ok: Style,
    /// Stale data: shown but old.
    pub stale: Style,
    /// Sources that are down.
    pub down: Style,
    /// Suppressed (silenced, inhibited) alerts.
    pub suppressed: Style,
    /// Characters that matched the filter.
    pub matched: Style,
}

impl Theme {
    /// The shipped theme `name` (or a user theme file in `user_dir`), adapted to `depth`.
    pub fn load(
        name: &str,
        depth: ColorDepth,
        user_dir: Option<&Path>,
    ) -> Result<Theme, ThemeError> {
        let mut chain: Vec<(String, BTreeMap<String, SlotSpec>)> = Vec::new();
        let mut next = Some(name.to_string());
        while let Some(n) = next.take() {
            if chain.iter().any(|(seen, _)| *seen == n) || chain.len() > 8 {
                return Err(ThemeError::InheritsItself {
                    name: name.to_string(),
                });
            }
            let file = parse_theme_file(&n, user_dir)?;
            next = file.inherits.clone();
            chain.push((n, file.slots));
        }
        let mut theme = Theme::default();
        for (_, slots) in chain.iter().rev() {
            for (slot, spec) in slots {
                let target = theme
                    .slot_mut(slot)
                    .ok_or_else(|| ThemeError::UnknownSlot {
                        name: name.to_string(),
                        slot: slot.clone(),
                    })?;
                *target = spec.style()?;
            }
        }
        Ok(theme.adapt(depth))
    }

    /// A shipped theme that is known to parse.
    pub fn builtin(name: &str, depth: ColorDepth) -> Theme {
        Theme::load(name, depth, None).unwrap_or_else(|e| panic!("shipped theme broken: {e}"))
    }

    /// True when the theme uses any colour at all.
    pub fn has_color(&self) -> bool {
        self.slots().iter().any(|s| {
            s.fg.is_some_and(|c| c != Color::Reset) || s.bg.is_some_and(|c| c != Color::Reset)
        })
    }

    /// The style for an alert of this severity.
    pub fn severity(&self, s: Severity) -> Style {
        match s {
            Severity::Critical => self.critical,
            Severity::Error => self.error,
            Severity::Warning => self.warning,
            Severity::Info => self.info,
            Severity::None => self.muted,
        }
    }

    /// The style for a source in this health.
    pub fn health(&self, h: Health) -> Style {
        match h {
            Health::Ok => self.ok,
            Health::Stale => self.stale,
            Health::Down => self.down,
            Health::Waiting | Health::Authenticating => self.muted,
        }
    }

    fn slots(&self) -> [&Style; 17] {
        [
            &self.text,
            &self.muted,
            &self.title,
            &self.accent,
            &self.border,
            &self.border_focus,
            &self.selection,
            &self.bar,
            &self.critical,
            &self.error,
            &self.warning,
            &self.info,
            &self.ok,
            &self.stale,
            &self.down,
            &self.suppressed,
            &self.matched,
        ]
    }

    fn slot_mut(&mut self, name: &str) -> Option<&mut Style> {
        Some(match name {
            "text" => &mut self.text,
            "muted" => &mut self.muted,
            "title" => &mut self.title,
            "accent" => &mut self.accent,
            "border" => &mut self.border,
            "border_focus" => &mut self.border_focus,
            "selection" => &mut self.selection,
            "bar" => &mut self.bar,
            "critical" => &mut self.critical,
            "error" => &mut self.error,
            "warning" => &mut self.warning,
            "info" => &mut self.info,
            "ok" => &mut self.ok,
            "stale" => &mut self.stale,
            "down" => &mut self.down,
            "suppressed" => &mut self.suppressed,
            "matched" => &mut self.matched,
            _ => return None,
        })
    }

    /// Rewrites every colour to what `depth` can show.
    fn adapt(mut self, depth: ColorDepth) -> Theme {
        let fix = |c: Option<Color>| c.map(|c| downsample(c, depth));
        for name in SLOT_NAMES {
            let s = self.slot_mut(name).expect("slot list matches fields");
            s.fg = fix(s.fg);
            s.bg = fix(s.bg);
        }
        self
    }
}

const SLOT_NAMES: [&str; 17] = [
    "text",
    "muted",
    "title",
    "accent",
    "border",
    "border_focus",
    "selection",
    "bar",
    "critical",
    "error",
    "warning",
    "info",
    "ok",
    "stale",
    "down",
    "suppressed",
    "matched",
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    inherits: Option<String>,
    #[serde(default)]
    slots: BTreeMap<String, SlotSpec>,
}

fn parse_theme_file(name: &str, user_dir: Option<&Path>) -> Result<ThemeFile, ThemeError> {
    let (origin, text) = match BUILTIN_FILES.iter().find(|(n, _)| *n == name) {
        Some((_, text)) => (format!("shipped theme `{name}`"), text.to_string()),
        None => {
            let path = user_dir
                .map(|d| d.join(format!("{name}.toml")))
                .filter(|p| p.is_file())
                .ok_or_else(|| ThemeError::Unknown {
                    name: name.to_string(),
                })?;
            let text = std::fs::read_to_string(&path).map_err(|error| ThemeError::Read {
                path: path.clone(),
                error,
            })?;
            (path.display().to_string(), text)
        }
    };
    toml::from_str(&text).map_err(|e| ThemeError::Parse {
        origin,
        message: e.message().to_string(),
    })
}

/// A slot as written in a theme file: `"#ff5555"` or `{ fg = …, bg = …, bold = true }`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum SlotSpec {
    Fg(String),
    Full {
        fg: Option<String>,
        bg: Option<String>,
        #[serde(default)]
        bold: bool,
        #[serde(default)]
        dim: bool,
        #[serde(default)]
        italic: bool,
        #[serde(default)]
        underline: bool,
        #[serde(default)]
        reverse: bool,
    },
}

impl SlotSpec {
    /// The style the slot describes; it replaces whatever the parent theme set.
    fn style(&self) -> Result<Style, ThemeError> {
        match self {
            SlotSpec::Fg(c) => Ok(Style::new().fg(parse_color(c)?)),
            SlotSpec::Full {
                fg,
                bg,
                bold,
                dim,
                italic,
                underline,
                reverse,
            } => {
                let mut s = Style::new();
                if let Some(c) = fg {
                    s = s.fg(parse_color(c)?);
                }
                if let Some(c) = bg {
                    s = s.bg(parse_color(c)?);
                }
                for (on, m) in [
                    (bold, Modifier::BOLD),
                    (dim, Modifier::DIM),
                    (italic, Modifier::ITALIC),
                    (underline, Modifier::UNDERLINED),
                    (reverse, Modifier::REVERSED),
                ] {
                    if *on {
                        s = s.add_modifier(m);
                    }
                }
                Ok(s)
            }
        }
    }
}

/// `#rrggbb`, a 0–255 palette index, or an ANSI colour name.
fn parse_color(s: &str) -> Result<Color, ThemeError> {
    if let Some(hex) = s.strip_prefix('#')
        && hex.len() == 6
        && let Ok(v) = u32::from_str_radix(hex, 16)
    {
        return Ok(Color::Rgb((v >> 16) as u8, (v >> 8) as u8, v as u8));
    }
    if let Ok(i) = s.parse::<u8>() {
        return Ok(Color::Indexed(i));
    }
    Ok(
        match s.to_ascii_lowercase().replace(['-', '_', ' '], "").as_str() {
            "reset" | "default" => Color::Reset,
            "black" => Color::Black,
            "red" => Color::Red,
            "green" => Color::Green,
            "yellow" => Color::Yellow,
            "blue" => Color::Blue,
            "magenta" => Color::Magenta,
            "cyan" => Color::Cyan,
            "gray" | "grey" => Color::Gray,
            "darkgray" | "darkgrey" => Color::DarkGray,
            "lightred" => Color::LightRed,
            "lightgreen" => Color::LightGreen,
            "lightyellow" => Color::LightYellow,
            "lightblue" => Color::LightBlue,
            "lightmagenta" => Color::LightMagenta,
            "lightcyan" => Color::LightCyan,
            "white" => Color::White,
            _ => return Err(ThemeError::NotAColour(s.to_string())),
        },
    )
}

/// The 16 ANSI colours with the RGB values xterm uses for them.
const ANSI16: [(Color, (u8, u8, u8)); 16] = [
    (Color::Black, (0, 0, 0)),
    (Color::Red, (205, 0, 0)),
    (Color::Green, (0, 205, 0)),
    (Color::Yellow, (205, 205, 0)),
    (Color::Blue, (0, 0, 238)),
    (Color::Magenta, (205, 0, 205)),
    (Color::Cyan, (0, 205, 205)),
    (Color::Gray, (229, 229, 229)),
    (Color::DarkGray, (127, 127, 127)),
    (Color::LightRed, (255, 0, 0)),
    (Color::LightGreen, (0, 255, 0)),
    (Color::LightYellow, (255, 255, 0)),
    (Color::LightBlue, (92, 92, 255)),
    (Color::LightMagenta, (255, 0, 255)),
    (Color::LightCyan, (0, 255, 255)),
    (Color::White, (255, 255, 255)),
];

/// The closest colour `depth` can show.
pub fn downsample(c: Color, depth: ColorDepth) -> Color {
    match (depth, c) {
        (ColorDepth::None, _) => Color::Reset,
        (ColorDepth::TrueColor, c) => c,
        (ColorDepth::Ansi256, Color::Rgb(r, g, b)) => Color::Indexed(rgb_to_256(r, g, b)),
        (ColorDepth::Ansi256, c) => c,
        (ColorDepth::Ansi16, Color::Rgb(r, g, b)) => nearest16(r, g, b),
        (ColorDepth::Ansi16, Color::Indexed(i)) => {
            let (r, g, b) = index_to_rgb(i);
            nearest16(r, g, b)
        }
        (ColorDepth::Ansi16, c) => c,
    }
}

fn nearest16(r: u8, g: u8, b: u8) -> Color {
    ANSI16
        .iter()
        .min_by_key(|(_, (cr, cg, cb))| dist((r, g, b), (*cr, *cg, *cb)))
        .map(|(c, _)| *c)
        .unwrap_or(Color::Reset)
}

fn dist(a: (u8, u8, u8), b: (u8, u8, u8)) -> u32 {
    let d = |x: u8, y: u8| (i32::from(x) - i32::from(y)).unsigned_abs();
    // Weighted for how the eye sees green most and blue least.
    3 * d(a.0, b.0).pow(2) + 4 * d(a.1, b.1).pow(2) + 2 * d(a.2, b.2).pow(2)
}

const CUBE: [u8; 6] = [0, 95, 135, 175, 215, 255];

fn rgb_to_256(r: u8, g: u8, b: u8) -> u8 {
    let level = |v: u8| {
        CUBE.iter()
            .enumerate()
            .min_by_key(|(_, c)| (i32::from(**c) - i32::from(v)).abs())
            .map(|(i, _)| i as u8)
            .unwrap_or(0)
    };
    let (ri, gi, bi) = (level(r), level(g), level(b));
    let cube = 16 + 36 * ri + 6 * gi + bi;
    let cube_rgb = (CUBE[ri as usize], CUBE[gi as usize], CUBE[bi as usize]);
    let avg = ((u16::from(r) + u16::from(g) + u16::from(b)) / 3) as u8;
    let gray_i = if avg < 8 { 0 } else { ((avg - 8) / 10).min(23) };
    let gray_v = 8 + 10 * gray_i;
    if dist((r, g, b), (gray_v, gray_v, gray_v)) < dist((r, g, b), cube_rgb) {
        232 + gray_i
    } else {
        cube
    }
}

fn index_to_rgb(i: u8) -> (u8, u8, u8) {
    match i {
        0..=15 => ANSI16[i as usize].1,
        16..=231 => {
            let i = i - 16;
            (
                CUBE[(i / 36) as usize],
                CUBE[(i / 6 % 6) as usize],
                CUBE[(i % 6) as usize],
            )
        }
        _ => {
            let v = 8 + 10 * (i - 232);
            (v, v, v)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreadable_theme_file_is_named_once_in_a_chained_message() {
        let error = ThemeError::Read {
            path: "/etc/clops/themes/dusk.toml".into(),
            error: std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        };
        // main.rs prints errors with their causes; the io error is in the text already.
        let chained = format!("{:#}", anyhow::Error::from(error));
        assert_eq!(
            chained,
            "/etc/clops/themes/dusk.toml: cannot read: permission denied"
        );
    }

    #[test]
    fn every_shipped_theme_loads_at_every_depth() {
        for name in BUILTIN_NAMES {
            for depth in [
                ColorDepth::TrueColor,
                ColorDepth::Ansi256,
                ColorDepth::Ansi16,
                ColorDepth::None,
            ] {
                Theme::load(name, depth, None).unwrap();
            }
        }
    }

    #[test]
    fn mono_has_no_colour_but_still_marks_meaning() {
        let mono = Theme::builtin("mono", ColorDepth::TrueColor);
        assert!(!mono.has_color());
        assert!(mono.critical.add_modifier.contains(Modifier::BOLD));
        assert!(mono.selection.add_modifier.contains(Modifier::REVERSED));
        assert!(Theme::builtin("default", ColorDepth::TrueColor).has_color());
        assert!(!Theme::builtin("default", ColorDepth::None).has_color());
    }

    #[test]
    fn sixteen_colour_terminals_get_only_ansi_colours() {
        let t = Theme::builtin("default", ColorDepth::Ansi16);
        for s in t.slots() {
            for c in [s.fg, s.bg].into_iter().flatten() {
                assert!(!matches!(c, Color::Rgb(..) | Color::Indexed(_)), "{c:?}");
            }
        }
        assert_eq!(
            downsample(Color::Rgb(250, 10, 10), ColorDepth::Ansi16),
            Color::LightRed
        );
        assert_eq!(
            downsample(Color::Rgb(0, 0, 0), ColorDepth::Ansi256),
            Color::Indexed(16)
        );
        assert_eq!(
            downsample(Color::Rgb(128, 128, 128), ColorDepth::Ansi256),
            Color::Indexed(244)
        );
    }

    #[test]
    fn depth_detection() {
        assert_eq!(
            ColorDepth::detect(Some("truecolor"), Some("xterm")),
            ColorDepth::TrueColor
        );
        assert_eq!(
            ColorDepth::detect(None, Some("xterm-256color")),
            ColorDepth::Ansi256
        );
        assert_eq!(ColorDepth::detect(None, Some("linux")), ColorDepth::Ansi16);
        assert_eq!(ColorDepth::detect(None, Some("dumb")), ColorDepth::None);
    }

    #[test]
    fn user_themes_inherit_and_override() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("mine.toml"),
            "inherits = \"default\"\n[slots]\ncritical = { fg = \"#ff00ff\", bold = true }\n",
        )
        .unwrap();
        let mine = Theme::load("mine", ColorDepth::TrueColor, Some(dir.path())).unwrap();
        let base = Theme::builtin("default", ColorDepth::TrueColor);
        assert_eq!(mine.critical.fg, Some(Color::Rgb(255, 0, 255)));
        assert_eq!(mine.warning, base.warning);
        assert!(is_known("mine", Some(dir.path())));
        std::fs::write(dir.path().join("loop.toml"), "inherits = \"loop\"\n").unwrap();
        assert!(Theme::load("loop", ColorDepth::TrueColor, Some(dir.path())).is_err());
        std::fs::write(
            dir.path().join("bad.toml"),
            "[slots]\nwarning = \"chartreuse\"\n",
        )
        .unwrap();
        let e = Theme::load("bad", ColorDepth::TrueColor, Some(dir.path())).unwrap_err();
        assert!(e.to_string().contains("chartreuse"), "{e}");
    }

    #[test]
    fn the_config_names_a_theme_that_exists_and_config_check_loads_it() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("clops.toml");
        let checks = crate::tui::CONFIG_CHECKS;
        let e = crate::config::parse_all_with(&config, "[console]\ntheme = \"neon\"\n", &checks)
            .unwrap_err();
        let e = e.first();
        assert_eq!((e.line, e.key.as_str()), (2, "console.theme"));
        assert_eq!(
            e.message,
            "unknown theme `neon` (shipped: default, light, high-contrast, mono)"
        );
        // A user theme that exists but does not load: only `config check` reads it.
        std::fs::create_dir(dir.path().join("themes")).unwrap();
        std::fs::write(
            dir.path().join("themes/bad.toml"),
            "[slots]\nwarning = \"chartreuse\"\n",
        )
        .unwrap();
        std::fs::write(&config, "[console]\ntheme = \"bad\"\n").unwrap();
        crate::config::load_file(&config, &checks).unwrap();
        let e = crate::config::check(&config, &checks).unwrap_err();
        assert_eq!(
            (e.first().line, e.first().key.as_str()),
            (2, "console.theme")
        );
        assert!(e.first().message.contains("chartreuse"), "{e}");
    }
}
