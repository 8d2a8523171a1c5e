//! The clops binary: parse the command line, run the command, turn failure into one
//! line on stderr and an exit code.

#![deny(unsafe_code)]

use std::process::ExitCode;

use clap::Parser;

// The console churns through many small allocations as alerts come and go; mimalloc
// keeps that several times cheaper than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = clops::cli::Cli::parse();
    match clops::commands::run(cli) {
        Ok(code) => code,
        // A closed pipe (`clops alerts | head`) is the reader's choice, not a failure.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            let line = clops::text::clean_line(&format!("{e:#}"));
            eprintln!("clops: {}", clops::redact::scrub(&line));
            if e.downcast_ref::<clops::commands::UsageError>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<serde_json::Error>()
                .and_then(|j| j.io_error_kind())
                == Some(std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<clops::tui::ConsoleError>()
                .and_then(|t| t.io_error_kind())
                == Some(std::io::ErrorKind::BrokenPipe)
    })
}
