//! Owning the terminal: raw mode and the alternate screen in, everything restored out —
//! on quit, on panic, on SIGTERM/SIGHUP and around ctrl-z.

use std::io::{self, Stdout, Write};
use std::sync::Once;

use crossterm::cursor::{Hide, MoveTo, Show};
use crossterm::style::{Attribute, Print, SetAttribute};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use crossterm::{execute, queue};
use ratatui::Terminal;
use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use ratatui::style::Modifier;

/// The console's terminal.
pub type ConsoleTerminal = Terminal<ConsoleBackend<Stdout>>;

/// Crossterm output that, when colour is off, writes no colour escape codes at all —
/// not even the "default colour" resets other backends emit after every frame.
pub struct ConsoleBackend<W: Write> {
    inner: CrosstermBackend<W>,
    color: bool,
    cursor_hidden: bool,
    /// Where clops last put the cursor. Asking the terminal costs a round trip, slow
    /// over SSH, and a full-screen console never needs the answer.
    cursor: Position,
}

impl<W: Write> ConsoleBackend<W> {
    /// Wraps `writer`; `color` false means attributes only (bold, reverse, …).
    pub fn new(writer: W, color: bool) -> Self {
        ConsoleBackend {
            inner: CrosstermBackend::new(writer),
            color,
            cursor_hidden: false,
            cursor: Position::ORIGIN,
        }
    }

    /// Switches colour output on or off (a theme change).
    pub fn set_color(&mut self, color: bool) {
        self.color = color;
    }

    fn draw_without_color<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        // CrosstermBackend is itself a Write over the terminal.
        let w = &mut self.inner;
        let mut modifier = Modifier::empty();
        let mut last: Option<(u16, u16)> = None;
        for (x, y, cell) in content {
            if last != Some((x.wrapping_sub(1), y)) || x == 0 {
                queue!(w, MoveTo(x, y))?;
            }
            last = Some((x, y));
            if cell.modifier != modifier {
                queue!(w, SetAttribute(Attribute::Reset))?;
                for (m, a) in [
                    (Modifier::BOLD, Attribute::Bold),
                    (Modifier::DIM, Attribute::Dim),
                    (Modifier::ITALIC, Attribute::Italic),
                    (Modifier::UNDERLINED, Attribute::Underlined),
                    (Modifier::REVERSED, Attribute::Reverse),
                    (Modifier::CROSSED_OUT, Attribute::CrossedOut),
                ] {
                    if cell.modifier.contains(m) {
                        queue!(w, SetAttribute(a))?;
                    }
                }
                modifier = cell.modifier;
            }
            queue!(w, Print(cell.symbol()))?;
        }
        if !modifier.is_empty() {
            queue!(w, SetAttribute(Attribute::Reset))?;
        }
        Ok(())
    }
}

impl<W: Write> Backend for ConsoleBackend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        if self.color {
            self.inner.draw(content)
        } else {
            self.draw_without_color(content)
        }
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        // Terminal hides the cursor after every frame; say it once.
        if !self.cursor_hidden {
            self.inner.hide_cursor()?;
            self.cursor_hidden = true;
        }
        Ok(())
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        self.cursor_hidden = false;
        self.inner.show_cursor()
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        Ok(self.cursor)
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        self.cursor = position.into();
        self.inner.set_cursor_position(self.cursor)
    }

    fn clear(&mut self) -> io::Result<()> {
        self.inner.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.inner.clear_region(clear_type)
    }

    fn size(&self) -> io::Result<Size> {
        self.inner.size()
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        self.inner.window_size()
    }

    fn flush(&mut self) -> io::Result<()> {
        Backend::flush(&mut self.inner)
    }
}

/// Takes over the terminal: raw mode, alternate screen, hidden cursor, and a panic
/// hook that gives the terminal back before the panic message prints.
pub fn enter(color: bool) -> io::Result<ConsoleTerminal> {
    install_panic_hook();
    take_over()?;
    let mut terminal = Terminal::new(ConsoleBackend::new(io::stdout(), color))?;
    terminal.clear()?;
    Ok(terminal)
}

/// Raw mode and the alternate screen, again after a suspend.
pub fn take_over() -> io::Result<()> {
    enable_raw_mode()?;
    execute!(io::stdout(), EnterAlternateScreen, Hide)
}

/// Gives the terminal back as it was found. Safe to call more than once.
pub fn restore() -> io::Result<()> {
    let raw = disable_raw_mode();
    execute!(
        io::stdout(),
        SetAttribute(Attribute::Reset),
        LeaveAlternateScreen,
        Show
    )?;
    raw
}

/// On a panic of the thread that draws, give the terminal back before the message
/// prints. A panic elsewhere (a source's task) is logged instead: printing it would
/// scribble over the screen, and the console carries on without that task.
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let ui = std::thread::current().id();
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().id() == ui {
                let _ = restore();
                previous(info);
            } else {
                tracing::error!(%info, "a background task panicked");
            }
        }));
    });
}

/// Stops the process as the shell's ctrl-z would, with the terminal given back first,
/// and takes it over again once the shell resumes us (`fg`).
pub fn suspend(terminal: &mut ConsoleTerminal) -> io::Result<()> {
    restore()?;
    // Raw mode turned ctrl-z into a key; raise the stop signal it would have sent,
    // with its default action for the moment (clops catches an outside SIGTSTP to get
    // here). Where no shell does job control, the kernel ignores it, as it should.
    // (signal-hook's emulation raises SIGSTOP instead, which would stop clops for good
    // where no shell can continue it.)
    stop_as_ctrl_z();
    take_over()?;
    terminal.backend_mut().show_cursor()?;
    terminal.backend_mut().hide_cursor()?;
    terminal.clear()
}

/// Raises SIGTSTP with its default action (stop) for the moment, then puts back the
/// handler that caught it.
// Swapping a signal disposition has no safe API: whatever handler was installed is
// replaced, and nix marks that unsafe.
#[allow(unsafe_code)]
fn stop_as_ctrl_z() {
    use nix::sys::signal::{SaFlags, SigAction, SigHandler, SigSet, Signal, raise, sigaction};
    let default = SigAction::new(SigHandler::SigDfl, SaFlags::empty(), SigSet::empty());
    // SAFETY: SIG_DFL runs no code of ours; the handler swapped out is put back as it
    // was (tokio's, which stays valid for the life of the process), and raise()
    // delivers the signal to this thread before it returns.
    unsafe {
        let Ok(caught) = sigaction(Signal::SIGTSTP, &default) else {
            return;
        };
        let _ = raise(Signal::SIGTSTP);
        let _ = sigaction(Signal::SIGTSTP, &caught);
    }
}

/// Puts `text` on the clipboard of the terminal the user sits at, through OSC 52:
/// it travels over SSH and tmux (with `set-clipboard on`), where no local clipboard
/// tool could reach.
pub fn copy_to_clipboard(text: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(osc52(text).as_bytes())?;
    out.flush()
}

/// The OSC 52 sequence setting the clipboard to `text`.
pub fn osc52(text: &str) -> String {
    format!("\x1b]52;c;{}\x07", base64(text.as_bytes()))
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod clipboard_tests {
    #[test]
    fn osc52_carries_base64_of_the_text() {
        assert_eq!(super::base64(b""), "");
        assert_eq!(super::base64(b"f"), "Zg==");
        assert_eq!(super::base64(b"fo"), "Zm8=");
        assert_eq!(super::base64(b"foo"), "Zm9v");
        assert_eq!(
            super::osc52("https://wiki/x?a=1"),
            "\x1b]52;c;aHR0cHM6Ly93aWtpL3g/YT0x\x07"
        );
    }
}
