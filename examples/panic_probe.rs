//! Used by tests/e2e.rs: takes over the terminal as the console does, draws, then
//! panics, so the test can check the terminal is given back before the message prints.

fn main() {
    let mut terminal = clops::tui::terminal::enter(true).expect("a terminal");
    terminal
        .draw(|f| {
            f.render_widget(ratatui::widgets::Paragraph::new("console up"), f.area());
        })
        .expect("draw");
    std::thread::sleep(std::time::Duration::from_millis(300));
    panic!("probe panic: something went badly wrong");
}
