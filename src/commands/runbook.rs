//! `clops runbook …`: list, show and run runbooks from the shell.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{anyhow, bail};
use serde_json::json;

use crate::cli::{Format, Global, RunbookCommand};
use crate::incident::open_store;
use crate::model::text::{clean_line, clean_text};
use crate::runbook::exec::{self, StepCommand, Stream};
use crate::runbook::journal::Journal;
use crate::runbook::{self, Library, Runbook, Step};

use super::{EXIT_PARTIAL, Outcome, Settings, init_logging, refuse_if_read_only};

/// Exit code of a run the user stopped with ctrl-c, as a shell reports it.
const EXIT_CANCELLED: u8 = 130;

pub fn run(global: &Global, command: RunbookCommand) -> Outcome {
    let settings = Settings::resolve(global, true)?;
    init_logging(&settings);
    let dirs = runbook::dirs(&settings.file.runbooks.dirs, &settings.dirs.config_file);
    let library = Library::load(&dirs);
    for problem in &library.problems {
        eprintln!("clops: {problem}");
    }
    match command {
        RunbookCommand::List { output } => {
            let text = match output {
                Format::Json => {
                    serde_json::to_string_pretty(&json!({
                        "runbooks": library.runbooks.iter().map(|r| json!({
                            "name": r.name,
                            "title": clean_line(&r.title),
                            "match": r.matchers.iter().map(ToString::to_string).collect::<Vec<_>>(),
                            "steps": r.steps.len(),
                            "path": r.path,
                        })).collect::<Vec<_>>(),
                        "problems": library.problems.iter().map(ToString::to_string).collect::<Vec<_>>(),
                    }))? + "\n"
                }
                Format::Table => list_table(&library, &dirs),
            };
            std::io::stdout().lock().write_all(text.as_bytes())?;
            Ok(if library.problems.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(EXIT_PARTIAL)
            })
        }
        RunbookCommand::Show { name } => {
            let rb = find(&library, &name)?;
            std::io::stdout()
                .lock()
                .write_all(show_text(rb).as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        RunbookCommand::Run {
            name,
            incident,
            labels,
            yes,
            dry_run,
        } => {
            let rb = find(&library, &name)?;
            let labels = parse_labels(&labels)?;
            if dry_run {
                print!("{}", dry_run_text(rb, &labels, incident.as_deref()));
                return Ok(ExitCode::SUCCESS);
            }
            refuse_if_read_only(&settings, "run runbook steps")?;
            let interactive = std::io::stdin().is_terminal();
            if !yes && !interactive {
                eprintln!(
                    "clops: stdin is not a terminal: add --yes to run every step without asking \
                     (or --dry-run to see what would run)"
                );
                return Ok(ExitCode::from(2));
            }
            let journal = match &incident {
                Some(id) => {
                    let store: Arc<dyn crate::incident::Store> =
                        open_store(&settings.file.incident, &settings.dirs.data_dir)?.into();
                    store.incident(id)?;
                    Journal::Incident {
                        store,
                        id: id.clone(),
                    }
                }
                None => Journal::run_log(&settings.dirs.data_dir),
            };
            let ask = !yes;
            run_steps(rb, &labels, &journal, ask)
        }
    }
}

fn find<'a>(library: &'a Library, name: &str) -> anyhow::Result<&'a Runbook> {
    library.get(name).ok_or_else(|| {
        let known: Vec<&str> = library.runbooks.iter().map(|r| r.name.as_str()).collect();
        if known.is_empty() {
            anyhow!("no runbook `{name}`: no runbooks found (see `clops runbook list`)")
        } else {
            anyhow!("no runbook `{name}` (runbooks: {})", known.join(", "))
        }
    })
}

/// `--label k=v` pairs, names checked as Prometheus label names.
fn parse_labels(raw: &[String]) -> anyhow::Result<Vec<(String, String)>> {
    raw.iter()
        .map(|pair| {
            let (name, value) = pair
                .split_once('=')
                .ok_or_else(|| anyhow!("--label `{pair}`: write it as name=value"))?;
            let valid = name
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !valid {
                bail!("--label `{name}` is not a label name (letters, digits and _)");
            }
            Ok((name.to_string(), value.to_string()))
        })
        .collect()
}

fn list_table(library: &Library, dirs: &[std::path::PathBuf]) -> String {
    if library.runbooks.is_empty() {
        let dirs: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
        return format!("no runbooks in {}\n", dirs.join(", "));
    }
    let rows: Vec<[String; 4]> = library
        .runbooks
        .iter()
        .map(|r| {
            let serves = r.match_text();
            [
                r.name.clone(),
                clean_line(&r.title),
                if serves.is_empty() {
                    "(by name)".into()
                } else {
                    clean_line(&serves)
                },
                r.steps.len().to_string(),
            ]
        })
        .collect();
    let header = ["NAME", "TITLE", "SERVES", "STEPS"].map(String::from);
    let width = |c: usize| {
        std::iter::once(&header)
            .chain(&rows)
            .map(|r| unicode_width::UnicodeWidthStr::width(r[c].as_str()))
            .max()
            .unwrap_or(0)
    };
    let widths = [width(0), width(1), width(2)];
    std::iter::once(&header)
        .chain(&rows)
        .map(|r| {
            format!(
                "{}  {}  {}  {}\n",
                crate::format::pad(&r[0], widths[0]),
                crate::format::pad(&r[1], widths[1]),
                crate::format::pad(&r[2], widths[2]),
                r[3]
            )
        })
        .collect()
}

fn show_text(rb: &Runbook) -> String {
    let mut out = format!("{} — {}\n", rb.name, clean_line(&rb.title));
    out.push_str(&format!("file: {}\n", rb.path.display()));
    let serves = rb.match_text();
    if !serves.is_empty() {
        out.push_str(&format!("serves: {}\n", clean_line(&serves)));
    }
    if !rb.intro.is_empty() {
        out.push_str(&format!("\n{}\n", clean_text(&rb.intro)));
    }
    for (i, step) in rb.steps.iter().enumerate() {
        out.push('\n');
        out.push_str(&step_heading(rb, step, i));
        out.push('\n');
        for line in &step.text {
            out.push_str(&format!("   {}\n", clean_line(line)));
        }
        if let Some(command) = &step.command {
            for line in clean_text(command).lines() {
                out.push_str(&format!("   $ {line}\n"));
            }
        }
        for item in &step.checklist {
            out.push_str(&format!("   - [ ] {}\n", clean_line(item)));
        }
    }
    out
}

/// "2/3 Check connection count (runs, timeout 2m)"
fn step_heading(rb: &Runbook, step: &Step, i: usize) -> String {
    let what = match &step.command {
        Some(_) => format!(
            "runs, timeout {}",
            crate::config::format_duration(rb.timeout_of(step))
        ),
        None => "by hand".into(),
    };
    format!(
        "{}/{} {} ({what})",
        i + 1,
        rb.steps.len(),
        clean_line(&step.title)
    )
}

fn dry_run_text(rb: &Runbook, labels: &[(String, String)], incident: Option<&str>) -> String {
    let env = runbook::step_env(
        labels.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        incident,
    );
    let mut out = format!(
        "dry run of {} — {}: nothing runs, nothing is recorded\n",
        rb.name,
        clean_line(&rb.title)
    );
    if !env.is_empty() {
        out.push_str("environment of every step:\n");
        for (k, v) in &env {
            out.push_str(&format!("  {k}={}\n", clean_line(v)));
        }
    }
    for (i, step) in rb.steps.iter().enumerate() {
        out.push_str(&format!("── {}\n", step_heading(rb, step, i)));
        match &step.command {
            Some(command) => {
                for line in clean_text(command).lines() {
                    out.push_str(&format!("would run: {line}\n"));
                }
            }
            None => {
                for item in &step.checklist {
                    out.push_str(&format!("to tick: {}\n", clean_line(item)));
                }
            }
        }
    }
    out
}

/// Set by SIGINT while a step runs: the kill switch.
static CANCEL: AtomicBool = AtomicBool::new(false);

extern "C" fn on_sigint(_: libc::c_int) {
    CANCEL.store(true, Ordering::SeqCst);
}

/// What the user said to one step.
enum Answer {
    Run,
    Skip,
    Stop,
}

fn ask(prompt: &str) -> Answer {
    loop {
        print!("{prompt} [y]es / [s]kip / [q]uit: ");
        let _ = std::io::stdout().flush();
        let mut line = String::new();
        match std::io::stdin().lock().read_line(&mut line) {
            Ok(0) | Err(_) => return Answer::Stop,
            Ok(_) => {}
        }
        match line.trim() {
            "y" | "yes" => return Answer::Run,
            "s" | "skip" => return Answer::Skip,
            "q" | "quit" | "n" | "no" => return Answer::Stop,
            _ => {}
        }
    }
}

fn run_steps(
    rb: &Runbook,
    labels: &[(String, String)],
    journal: &Journal,
    ask_each: bool,
) -> Outcome {
    let author = crate::author::author();
    let env = runbook::step_env(
        labels.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        journal.incident(),
    );
    eprintln!("clops: recording to {}", journal.describe());
    // The step's process group does not get the terminal's ctrl-c; we pass it on.
    // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
    unsafe {
        libc::signal(
            libc::SIGINT,
            on_sigint as extern "C" fn(libc::c_int) as libc::sighandler_t,
        );
    }
    for (i, step) in rb.steps.iter().enumerate() {
        let heading = step_heading(rb, step, i);
        println!("── {heading}");
        let Some(command) = &step.command else {
            for item in &step.checklist {
                println!("   - [ ] {}", clean_line(item));
            }
            if ask_each {
                match ask("done?") {
                    Answer::Run => {
                        journal.ticked(&rb.name, &step.title, &step.checklist, &author)?
                    }
                    Answer::Skip => {}
                    Answer::Stop => bail!("stopped before step {}", i + 1),
                }
            } else {
                println!("   (by hand: not ticked)");
            }
            continue;
        };
        for line in clean_text(command).lines() {
            println!("$ {line}");
        }
        if ask_each {
            match ask("run it?") {
                Answer::Run => {}
                Answer::Skip => continue,
                Answer::Stop => bail!("stopped before step {}", i + 1),
            }
        }
        journal.started(&rb.name, &step.title, command, &author)?;
        CANCEL.store(false, Ordering::SeqCst);
        let timeout = rb.timeout_of(step);
        let done = exec::run(
            &StepCommand {
                command: command.clone(),
                env: env.clone(),
                timeout,
                runbook_dir: rb.path.parent().map(Into::into),
            },
            &CANCEL,
            |stream, line| match stream {
                Stream::Stdout => println!("{line}"),
                Stream::Stderr => eprintln!("{line}"),
            },
        );
        journal.finished(&rb.name, &step.title, &done, &author)?;
        let result = done.summary(timeout);
        if done.succeeded() {
            println!("✓ {result}");
            continue;
        }
        println!("✗ {result}");
        if done.ending == exec::Ending::Cancelled {
            eprintln!("clops: step {} cancelled; later steps not run", i + 1);
            return Ok(ExitCode::from(EXIT_CANCELLED));
        }
        bail!(
            "step {}/{} \"{}\" failed ({}); later steps not run",
            i + 1,
            rb.steps.len(),
            clean_line(&step.title),
            result
        );
    }
    Ok(ExitCode::SUCCESS)
}
