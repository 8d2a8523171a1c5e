//! `clops runbook …`: list, show and run runbooks from the shell.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, LazyLock};

use anyhow::{anyhow, bail};

use crate::cli::{Format, Global, RunbookCommand};
use crate::incident::open_store;
use crate::process::{self, Stream};
use crate::runbook::journal::Journal;
use crate::runbook::vars::{self, Missing};
use crate::runbook::{self, Library, Runbook, Step, visible};
use crate::text::time::Style;
use crate::text::{clean_line, clean_text};

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
            match output {
                Format::Json => crate::output::print_json(&list_json(&library))?,
                Format::Table => super::print_text(&list_table(&library, &dirs))?,
            }
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
            alert,
            yes,
            dry_run,
        } => {
            let rb = find(&library, &name)?;
            let given = parse_labels(&labels)?;
            let target = match &alert {
                Some(fingerprint) => Some(alert_to_run_for(&settings, fingerprint)?),
                None => None,
            };
            let labels = merged(target.as_ref(), &given);
            let env = runbook::step_env(
                labels.iter().map(|(k, v)| (k.as_str(), v.as_str())),
                incident.as_deref(),
            );
            let intro = intro_text(
                rb,
                target.as_ref(),
                &settings.file.triage.service_label,
                &env,
            );
            // Values given on the command line, even empty ones, were meant.
            let given_names: Vec<String> =
                runbook::step_env(given.iter().map(|(k, v)| (k.as_str(), v.as_str())), None)
                    .into_iter()
                    .map(|(k, _)| k)
                    .collect();
            let unset = unset_values(rb, &env, &given_names);
            if dry_run {
                print!("{}", dry_run_text(rb, &intro, &unset));
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
            // Every step is checked before the first runs: a runbook stopped halfway
            // for a missing value is worse than one not started.
            if !unset.is_empty() {
                for (i, missing) in &unset {
                    eprintln!("clops: {}", unset_line(rb, *i, missing));
                }
                eprintln!(
                    "clops: nothing ran: give the values the steps read (or --dry-run to see \
                     what would run)"
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
            println!("runbook {} — {}", rb.name, clean_line(&rb.title));
            print!("{intro}");
            let ask = !yes;
            run_steps(rb, &env, &journal, ask)
        }
    }
}

/// The alert `--alert` names, as the sources report it now.
fn alert_to_run_for(
    settings: &super::Settings,
    fingerprint: &str,
) -> anyhow::Result<crate::model::Alert> {
    let fingerprint: crate::model::Fingerprint = fingerprint
        .trim()
        .parse()
        .map_err(|e| anyhow!("--alert: {e}"))?;
    super::alert_now(settings, &fingerprint.to_string()).map_err(|e| anyhow!("--alert: {e}"))
}

/// The alert's labels, with those given by `--label` in their place or added.
fn merged(
    target: Option<&crate::model::Alert>,
    given: &[(String, String)],
) -> Vec<(String, String)> {
    let mut labels: Vec<(String, String)> = target
        .map(|a| {
            a.matched_labels()
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        })
        .unwrap_or_default();
    for (k, v) in given {
        match labels.iter_mut().find(|(name, _)| name == k) {
            Some(slot) => slot.1 = v.clone(),
            None => labels.push((k.clone(), v.clone())),
        }
    }
    labels
}

/// What the steps read that would be unset or empty (and was not given as such), by
/// step index.
fn unset_values(rb: &Runbook, env: &[(String, String)], given: &[String]) -> Vec<(usize, Missing)> {
    rb.steps
        .iter()
        .enumerate()
        .flat_map(|(i, step)| {
            rb.missing(step, env)
                .into_iter()
                .filter(|m| !given.contains(&m.name))
                .map(move |m| (i, m))
        })
        .collect()
}

/// `step 2/3 "Drain" reads $CLOPS_LABEL_NODE, which is not set: give --label node=…`
fn unset_line(rb: &Runbook, i: usize, missing: &Missing) -> String {
    let what = if missing.empty { "empty" } else { "not set" };
    let hint = match vars::label_of(&missing.name) {
        Some(label) => format!(": give --label {label}=… (or --alert FINGERPRINT)"),
        None if missing.name == "CLOPS_INCIDENT" => ": give --incident ID".into(),
        None => String::new(),
    };
    format!(
        "step {}/{} \"{}\" reads ${}, which is {what}{hint}",
        i + 1,
        rb.steps.len(),
        clean_line(&rb.steps[i].title),
        missing.name
    )
}

/// Where the runbook comes from, the alert it runs for, and the environment every step
/// gets.
fn intro_text(
    rb: &Runbook,
    target: Option<&crate::model::Alert>,
    service_label: &str,
    env: &[(String, String)],
) -> String {
    let mut out = format!("from {}\n", visible::plain_line(&rb.source()));
    if let Some(alert) = target {
        out.push_str(&format!(
            "for alert {} · fingerprint {}\n",
            runbook::alert_words(alert, service_label),
            alert.fingerprint
        ));
        if !rb.matchers.is_empty() && !rb.serves(alert.matched_labels()) {
            out.push_str(&format!(
                "note: this runbook serves {}, which this alert does not match\n",
                clean_line(&rb.match_text())
            ));
        }
    }
    out.push_str("environment of every step:\n");
    for (k, v) in env {
        out.push_str(&format!("  {k}={}\n", visible::plain_line(v)));
    }
    if let Some(dir) = &rb.dir {
        out.push_str(&format!("  CLOPS_RUNBOOK_DIR={}\n", dir.display()));
    }
    out.push_str(&format!(
        "  and from your environment, where set: {}\n",
        passed_names(rb)
    ));
    out
}

/// `PATH, HOME, USER, LANG, TERM, TZ and KUBECONFIG (declared by the runbook)`
pub(crate) fn passed_names(rb: &Runbook) -> String {
    let mut out = process::INHERITED.join(", ");
    if !rb.env.is_empty() {
        out.push_str(&format!(
            "; {} (declared by the runbook)",
            rb.env.join(", ")
        ));
    }
    out
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
            if !crate::model::matcher::is_label_name(name) {
                bail!("--label `{name}` is not a label name (letters, digits and _)");
            }
            Ok((name.to_string(), value.to_string()))
        })
        .collect()
}

/// `clops runbook list -o json`: titles on one line, matchers as typed.
fn list_json(library: &Library) -> crate::output::RunbookList<'_> {
    crate::output::RunbookList {
        runbooks: library
            .runbooks
            .iter()
            .map(|r| crate::output::RunbookLine {
                name: &r.name,
                title: clean_line(&r.title),
                matchers: r.matchers.iter().map(ToString::to_string).collect(),
                steps: r.steps.len(),
                path: &r.path,
            })
            .collect(),
        problems: library.problems.iter().map(ToString::to_string).collect(),
    }
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
                crate::text::pad(&r[0], widths[0]),
                crate::text::pad(&r[1], widths[1]),
                crate::text::pad(&r[2], widths[2]),
                r[3]
            )
        })
        .collect()
}

fn show_text(rb: &Runbook) -> String {
    let mut out = format!("{} — {}\n", rb.name, clean_line(&rb.title));
    out.push_str(&format!("file: {}\n", rb.path.display()));
    if !rb.env.is_empty() {
        out.push_str(&format!(
            "passes from your environment: {}\n",
            rb.env.join(", ")
        ));
    }
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
            for line in visible::plain(command).lines() {
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
            Style::Config.format(rb.timeout_of(step))
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

fn dry_run_text(rb: &Runbook, intro: &str, unset: &[(usize, Missing)]) -> String {
    let mut out = format!(
        "dry run of {} — {}: nothing runs, nothing is recorded\n",
        rb.name,
        clean_line(&rb.title)
    );
    out.push_str(intro);
    for (i, step) in rb.steps.iter().enumerate() {
        out.push_str(&format!("── {}\n", step_heading(rb, step, i)));
        match &step.command {
            Some(command) => {
                for line in visible::plain(command).lines() {
                    out.push_str(&format!("would run: {line}\n"));
                }
                for (_, missing) in unset.iter().filter(|(s, _)| *s == i) {
                    out.push_str(&format!("⚠ {}\n", unset_line(rb, i, missing)));
                }
            }
            None => {
                for item in &step.checklist {
                    out.push_str(&format!("to tick: {}\n", clean_line(item)));
                }
            }
        }
    }
    if !unset.is_empty() {
        out.push_str("a run would be refused: the steps above read values that are not set\n");
    }
    out
}

/// Set by SIGINT while a step runs: the kill switch.
static CANCEL: LazyLock<Arc<AtomicBool>> = LazyLock::new(Arc::default);

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

fn run_steps(rb: &Runbook, env: &[(String, String)], journal: &Journal, ask_each: bool) -> Outcome {
    let author = crate::author::author();
    eprintln!("clops: recording to {}", journal.describe());
    // The step's process group does not get the terminal's ctrl-c; we pass it on.
    if let Err(e) = signal_hook::flag::register(signal_hook::consts::SIGINT, Arc::clone(&CANCEL)) {
        eprintln!("clops: ctrl-c cannot stop a step here: {e}");
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
        for line in visible::plain(command).lines() {
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
        let Some(step_command) = rb.step_command(step, env.to_vec()) else {
            continue;
        };
        let done = process::run(&step_command, &CANCEL, |stream, line| match stream {
            Stream::Stdout => println!("{line}"),
            Stream::Stderr => eprintln!("{line}"),
        });
        journal.finished(&rb.name, &step.title, &done, &author)?;
        let result = done.summary(timeout);
        if done.succeeded() {
            println!("✓ {result}");
            continue;
        }
        println!("✗ {result}");
        if done.ending == process::Ending::Cancelled {
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
