//! `clops auth set|status`: storing tokens, and saying where each source's comes from.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{anyhow, bail};
use nix::sys::termios::{self, LocalFlags, SetArg, Termios};

use crate::cli::{AuthCommand, Global};
use crate::secrets::{self, Keyring, OsKeyring};

use super::{Outcome, Settings, init_logging};

pub fn run(global: &Global, command: AuthCommand) -> Outcome {
    let settings = Settings::resolve(global, true)?;
    init_logging(&settings);
    let http_sources: Vec<_> = settings
        .file
        .sources
        .iter()
        .filter(|s| s.kind.is_http())
        .collect();
    match command {
        AuthCommand::Set { source } => {
            let Some(config) = http_sources.iter().find(|s| s.name == source) else {
                let names: Vec<&str> = http_sources.iter().map(|s| s.name.as_str()).collect();
                bail!(
                    "no HTTP source named `{source}` in {} (configured: {})",
                    settings.dirs.config_file.display(),
                    if names.is_empty() {
                        "none".to_string()
                    } else {
                        names.join(", ")
                    }
                );
            };
            // Say the keyring is missing before anyone types a token into the void.
            let unavailable = |reason: secrets::KeyringError| {
                anyhow!(
                    "cannot store the token in the OS keyring: {reason}; use {}, token_command or token_file instead",
                    secrets::env_var(&config.name)
                )
            };
            OsKeyring::reachable().map_err(unavailable)?;
            let token = read_token(&config.name)?;
            OsKeyring.set(&config.name, &token).map_err(unavailable)?;
            println!("stored the token for {} in the OS keyring", config.name);
            Ok(ExitCode::SUCCESS)
        }
        AuthCommand::Status => {
            if http_sources.is_empty() {
                println!("no sources need credentials");
                return Ok(ExitCode::SUCCESS);
            }
            let env = |v: &str| std::env::var(v).ok();
            let mut failed = false;
            for s in http_sources {
                match secrets::lookup(s, &env, &OsKeyring) {
                    Ok(l) => match &l.token {
                        Some(t) => {
                            let how = if s.username.is_some() {
                                "basic auth password"
                            } else {
                                "bearer token"
                            };
                            let short = if t.secret.chars().count() < crate::redact::MIN_LEN {
                                format!(
                                    " (shorter than {} characters: clops cannot scrub it from text a backend echoes back)",
                                    crate::redact::MIN_LEN
                                )
                            } else {
                                String::new()
                            };
                            println!("{}: {how} from {}{short}", s.name, t.provider);
                        }
                        None => println!("{}: no credentials ({})", s.name, l.steps.join("; ")),
                    },
                    Err(e) => {
                        failed = true;
                        println!("{}: {e}", s.name);
                    }
                }
            }
            Ok(if failed {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}

/// The token from stdin: typed without echo at a terminal, or piped in.
fn read_token(source: &str) -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    let line = if stdin.is_terminal() {
        eprint!("token for {source} (not shown): ");
        std::io::stderr().flush()?;
        let _echo = EchoOff::new();
        let mut line = String::new();
        stdin.lock().read_line(&mut line)?;
        eprintln!();
        line
    } else {
        let mut line = String::new();
        stdin.lock().read_line(&mut line)?;
        line
    };
    let token = line.trim().to_string();
    if token.is_empty() {
        bail!("no token given on stdin");
    }
    Ok(token)
}

/// Turns terminal echo off until dropped.
struct EchoOff(Option<Termios>);

impl EchoOff {
    fn new() -> EchoOff {
        let stdin = std::io::stdin();
        let Ok(saved) = termios::tcgetattr(&stdin) else {
            return EchoOff(None);
        };
        let mut quiet = saved.clone();
        quiet.local_flags.remove(LocalFlags::ECHO);
        let _ = termios::tcsetattr(&stdin, SetArg::TCSANOW, &quiet);
        EchoOff(Some(saved))
    }
}

impl Drop for EchoOff {
    fn drop(&mut self) {
        if let Some(saved) = &self.0 {
            let _ = termios::tcsetattr(std::io::stdin(), SetArg::TCSANOW, saved);
        }
    }
}
