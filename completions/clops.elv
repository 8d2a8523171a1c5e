
use builtin;
use str;

set edit:completion:arg-completer[clops] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'clops'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'clops'= {
            cand --config 'Config file to read instead of the default (see `clops config path`)'
            cand --data-dir 'Where clops keeps its data (incidents, run logs)'
            cand --theme 'Console theme: default, light, high-contrast, mono, or one of your own'
            cand --no-color 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
            cand --read-only 'Refuse every change: silences, acks, runbook steps'
            cand -v 'Log more (repeat for more); logs go to a file, never the terminal'
            cand --verbose 'Log more (repeat for more); logs go to a file, never the terminal'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand demo 'Open the console on the built-in simulated environment; no config needed'
            cand alerts 'Fetch, deduplicate and group alerts once, and print them'
            cand silence 'Alertmanager silences'
            cand slo 'SLO burn rates and error budgets'
            cand deploys 'Recent deploys'
            cand deps 'The service dependency map'
            cand incident 'Declare and run incidents; export postmortems'
            cand runbook 'Find and run runbooks'
            cand config 'Write, check or locate the config file'
            cand auth 'Store and inspect source credentials'
            cand completions 'Print a shell completion script'
            cand man 'Print the man page (roff)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'clops;demo'= {
            cand --scenario 'Which scripted incident to play'
            cand --seed 'Seed of the simulated environment; the same seed plays the same story'
            cand --speed 'Run the simulation this many times faster than real time'
            cand --config 'Config file to read instead of the default (see `clops config path`)'
            cand --data-dir 'Where clops keeps its data (incidents, run logs)'
            cand --theme 'Console theme: default, light, high-contrast, mono, or one of your own'
            cand --no-color 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
            cand --read-only 'Refuse every change: silences, acks, runbook steps'
            cand -v 'Log more (repeat for more); logs go to a file, never the terminal'
            cand --verbose 'Log more (repeat for more); logs go to a file, never the terminal'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'clops;alerts'= {
            cand -o 'Output format'
            cand --output 'Output format'
            cand --filter 'Keep only matching alerts: label matchers (`severity=critical,cluster=~prod-.*`, also `!=` and `!~`), or words matched fuzzily like the console''s `/`'
            cand --config 'Config file to read instead of the default (see `clops config path`)'
            cand --data-dir 'Where clops keeps its data (incidents, run logs)'
            cand --theme 'Console theme: default, light, high-contrast, mono, or one of your own'
            cand --demo 'Read the built-in simulated environment instead of the configured sources'
            cand --no-color 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
            cand --read-only 'Refuse every change: silences, acks, runbook steps'
            cand -v 'Log more (repeat for more); logs go to a file, never the terminal'
            cand --verbose 'Log more (repeat for more); logs go to a file, never the terminal'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'clops;silence'= {
            cand --config 'Config file to read instead of the default (see `clops config path`)'
            cand --data-dir 'Where clops keeps its data (incidents, run logs)'
            cand --theme 'Console theme: default, light, high-contrast, mono, or one of your own'
            cand --no-color 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
            cand --read-only 'Refuse every change: silences, acks, runbook steps'
            cand -v 'Log more (repeat for more); logs go to a file, never the terminal'
            cand --verbose 'Log more (repeat for more); logs go to a file, never the terminal'
            cand -h 'Print help'
            cand --help 'Print help'
            cand add 'Create a silence, read it back from every peer, and print its id'
            cand extend 'Make a silence end later, and read it back from every peer'
            cand list 'List silences'
            cand expire 'Expire a silence now'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'clops;silence;add'= {
            cand --source 'The Alertmanager source to silence in'
            cand -m 'Label matchers as Alertmanager reads them: alertname=HighErrorRate, ''service=~"api|web"'', ''{cluster="eu",job!="node"}'' (repeatable)'
            cand --matcher 'Label matchers as Alertmanager reads them: alertname=HighErrorRate, ''service=~"api|web"'', ''{cluster="eu",job!="node"}'' (repeatable)'
            cand --duration 'How long the silence lasts'
            cand --comment 'Why'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --config 'Config file to read instead of the default (see `clops config path`)'
            cand --data-dir 'Where clops keeps its data (incidents, run logs)'
            cand --theme 'Console theme: default, light, high-contrast, mono, or one of your own'
            cand --dry-run 'Create nothing: show the matchers as Alertmanager will store them and the alerts they cover now'
            cand --no-color 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
            cand --read-only 'Refuse every change: silences, acks, runbook steps'
            cand -v 'Log more (repeat for more); logs go to a file, never the terminal'
            cand --verbose 'Log more (repeat for more); logs go to a file, never the terminal'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'clops;silence;extend'= {
            cand --source 'The Alertmanager source the silence lives in'
            cand --config 'Config file to read instead of the default (see `clops config path`)'
            cand --data-dir 'Where clops keeps its data (incidents, run logs)'
            cand --theme 'Console theme: default, light, high-contrast, mono, or one of your own'
            cand --no-color 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
            cand --read-only 'Refuse every change: silences, acks, runbook steps'
            cand -v 'Log more (repeat for more); logs go to a file, never the terminal'
            cand --verbose 'Log more (repeat for more); logs go to a file, never the terminal'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'clops;silence;list'= {
            cand -o 'Output format'
            cand --output 'Output format'
            cand --config 'Config file to read instead of the default (see `clops config path`)'
            cand --data-dir 'Where clops keeps its data (incidents, run logs)'
            cand --theme 'Console theme: default, light, high-contrast, mono, or one of your own'
            cand --no-color 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
            cand --read-only 'Refuse every change: silences, acks, runbook steps'
            cand -v 'Log more (repeat for more); logs go to a file, never the terminal'
            cand --verbose 'Log more (repeat for more); logs go to a file, never the terminal'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'clops;silence;expire'= {
            cand --source 'The Alertmanager source the silence lives in'
            cand --config 'Config file to read instead of the default (see `clops config path`)'
            cand --data-dir 'Where clops keeps its data (incidents, run logs)'
            cand --theme 'Console theme: default, light, high-contrast, mono, or one of your own'
            cand --no-color 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
            cand --read-only 'Refuse every change: silences, acks, runbook steps'
            cand -v 'Log more (repeat for more); logs go to a file, never the terminal'
            cand --verbose 'Log more (repeat for more); logs go to a file, never the terminal'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'clops;silence;help'= {
            cand add 'Create a silence, read it back from every peer, and print its id'
            cand extend 'Make a silence end later, and read it back from every peer'
            cand list 'List silences'
            cand expire 'Expire a silence now'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'clops;silence;help;add'= {
        }
        &'clops;silence;help;extend'= {
        }
        &'clops;silence;help;list'= {
        }
        &'clops;silence;help;expire'= {
        }
        &'clops;silence;help;help'= {
        }
        &'clops;slo'= {
            cand -o 'Output format'
            cand --output 'Output format'
            cand --config 'Config file to read instead of the default (see `clops config path`)'
            cand --data-dir 'Where clops keeps its data (incidents, run logs)'
            cand --theme 'Console theme: default, light, high-contrast, mono, or one of your own'
            cand --demo 'Read the built-in simulated environment'
            cand --no-color 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
            cand --read-only 'Refuse every change: silences, acks, runbook steps'
            cand -v 'Log more (repeat for more); logs go to a file, never the terminal'
            cand --verbose 'Log more (repeat for more); logs go to a file, never the terminal'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'clops;deploys'= {
            cand --since 'How far back to look: 30m, 6h, 2d…'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --config 'Config file to read instead of the default (see `clops config path`)'
            cand --data-dir 'Where clops keeps its data (incidents, run logs)'
            cand --theme 'Console theme: default, light, high-contrast, mono, or one of your own'
            cand --demo 'Read the built-in simulated environment'
            cand --no-color 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
            cand --read-only 'Refuse every change: silences, acks, runbook steps'
            cand -v 'Log more (repeat for more); logs go to a file, never the terminal'
            cand --verbose 'Log more (repeat for more); logs go to a file, never the terminal'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'clops;deps'= {
            cand -o 'Output format'
            cand --output 'Output format'
            cand --config 'Config file to read instead of the default (see `clops config path`)'
            cand --data-dir 'Where clops keeps its data (incidents, run logs)'
            cand --theme 'Console theme: default, light, high-contrast, mono, or one of your own'
            cand --demo 'Read the built-in simulated environment'
            cand --no-color 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
            cand --read-only 'Refuse every change: silences, acks, runbook steps'
            cand -v 'Log more (repeat for more); logs go to a file, never the terminal'
            cand --verbose 'Log more (repeat for more); logs go to a file, never the terminal'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'clops;incident'= {
            cand --config 'Config file to read instead of the default (see `clops config path`)'
            cand --data-dir 'Where clops keeps its data (incidents, run logs)'
            cand --theme 'Console theme: default, light, high-contrast, mono, or one of your own'
            cand --no-color 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
            cand --read-only 'Refuse every change: silences, acks, runbook steps'
            cand -v 'Log more (repeat for more); logs go to a file, never the terminal'
            cand --verbose 'Log more (repeat for more); logs go to a file, never the terminal'
            cand -h 'Print help'
            cand --help 'Print help'
            cand declare 'Declare an incident; prints its id'
            cand list 'List incidents'
            cand show 'Show one incident and its timeline'
            cand note 'Add a note to the timeline'
            cand status 'Change the status'
            cand assign 'Give someone a role (commander, scribe, comms, ops)'
            cand attach 'Attach an alert to the incident'
            cand action 'Record an action item'
            cand export 'Export the postmortem draft or the timeline'
            cand stats 'Incident counts, time to acknowledge and to resolve'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'clops;incident;declare'= {
            cand --title 'What is happening, in a few words'
            cand --severity 'How bad it is'
            cand --commander 'Who runs the incident (default: you)'
            cand --started 'When the impact began, if known: an RFC 3339 time or how long ago (45m)'
            cand --config 'Config file to read instead of the default (see `clops config path`)'
            cand --data-dir 'Where clops keeps its data (incidents, run logs)'
            cand --theme 'Console theme: default, light, high-contrast, mono, or one of your own'
            cand --no-color 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
            cand --read-only 'Refuse every change: silences, acks, runbook steps'
            cand -v 'Log more (repeat for more); logs go to a file, never the terminal'
            cand --verbose 'Log more (repeat for more); logs go to a file, never the terminal'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'clops;incident;list'= {
            cand -o 'Output format'
            cand --output 'Output format'
            cand --config 'Config file to read instead of the default (see `clops config path`)'
            cand --data-dir 'Where clops keeps its data (incidents, run logs)'
            cand --theme 'Console theme: default, light, high-contrast, mono, or one of your own'
            cand --no-color 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
            cand --read-only 'Refuse every change: silences, acks, runbook steps'
            cand -v 'Log more (repeat for more); logs go to a file, never the terminal'
            cand --verbose 'Log more (repeat for more); logs go to a file, never the terminal'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'clops;incident;show'= {
            cand -o 'Output format'
            cand --output 'Output format'
            cand --config 'Config file to read instead of the default (see `clops config path`)'
            cand --data-dir 'Where clops keeps its data (incidents, run logs)'
            cand --theme 'Console theme: default, light, high-contrast, mono, or one of your own'
            cand --no-color 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
            cand --read-only 'Refuse every change: silences, acks, runbook steps'
            cand -v 'Log more (repeat for more); logs go to a file, never the terminal'
            cand --verbose 'Log more (repeat for more); logs go to a file, never the terminal'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'clops;incident;note'= {
            cand --config 'Config file to read instead of the default (see `clops config path`)'
            cand --data-dir 'Where clops keeps its data (incidents, run logs)'
            cand --theme 'Console theme: default, light, high-contrast, mono, or one of your own'
            cand --no-color 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
            cand --read-only 'Refuse every change: silences, acks, runbook steps'
            cand -v 'Log more (repeat for more); logs go to a file, never the terminal'
            cand --verbose 'Log more (repeat for more); logs go to a file, never the terminal'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'clops;incident;status'= {
            cand --config 'Config file to read instead of the default (see `clops config path`)'
            cand --data-dir 'Where clops keeps its data (incidents, run logs)'
            cand --theme 'Console theme: default, light, high-contrast, mono, or one of your own'
            cand --no-color 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
            cand --read-only 'Refuse every change: silences, acks, runbook steps'
            cand -v 'Log more (repeat for more); logs go to a file, never the terminal'
            cand --verbose 'Log more (repeat for more); logs go to a file, never the terminal'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'clops;incident;assign'= {
            cand --config 'Config file to read instead of the default (see `clops config path`)'
            cand --data-dir 'Where clops keeps its data (incidents, run logs)'
            cand --theme 'Console theme: default, light, high-contrast, mono, or one of your own'
            cand --no-color 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
            cand --read-only 'Refuse every change: silences, acks, runbook steps'
            cand -v 'Log more (repeat for more); logs go to a file, never the terminal'
            cand --verbose 'Log more (repeat for more); logs go to a file, never the terminal'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'clops;incident;attach'= {
            cand --alert 'Fingerprint of the alert'
            cand --config 'Config file to read instead of the default (see `clops config path`)'
            cand --data-dir 'Where clops keeps its data (incidents, run logs)'
            cand --theme 'Console theme: default, light, high-contrast, mono, or one of your own'
            cand --no-color 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
            cand --read-only 'Refuse every change: silences, acks, runbook steps'
            cand -v 'Log more (repeat for more); logs go to a file, never the terminal'
            cand --verbose 'Log more (repeat for more); logs go to a file, never the terminal'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'clops;incident;action'= {
            cand --owner 'Who owns it'
            cand --type 'Kind of action'
            cand --config 'Config file to read instead of the default (see `clops config path`)'
            cand --data-dir 'Where clops keeps its data (incidents, run logs)'
            cand --theme 'Console theme: default, light, high-contrast, mono, or one of your own'
            cand --no-color 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
            cand --read-only 'Refuse every change: silences, acks, runbook steps'
            cand -v 'Log more (repeat for more); logs go to a file, never the terminal'
            cand --verbose 'Log more (repeat for more); logs go to a file, never the terminal'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'clops;incident;export'= {
            cand --format 'md: postmortem draft; json: the timeline'
            cand -o 'Write to this file instead of stdout'
            cand --output 'Write to this file instead of stdout'
            cand --config 'Config file to read instead of the default (see `clops config path`)'
            cand --data-dir 'Where clops keeps its data (incidents, run logs)'
            cand --theme 'Console theme: default, light, high-contrast, mono, or one of your own'
            cand --no-color 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
            cand --read-only 'Refuse every change: silences, acks, runbook steps'
            cand -v 'Log more (repeat for more); logs go to a file, never the terminal'
            cand --verbose 'Log more (repeat for more); logs go to a file, never the terminal'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'clops;incident;stats'= {
            cand --since 'How far back to look'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --config 'Config file to read instead of the default (see `clops config path`)'
            cand --data-dir 'Where clops keeps its data (incidents, run logs)'
            cand --theme 'Console theme: default, light, high-contrast, mono, or one of your own'
            cand --no-color 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
            cand --read-only 'Refuse every change: silences, acks, runbook steps'
            cand -v 'Log more (repeat for more); logs go to a file, never the terminal'
            cand --verbose 'Log more (repeat for more); logs go to a file, never the terminal'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'clops;incident;help'= {
            cand declare 'Declare an incident; prints its id'
            cand list 'List incidents'
            cand show 'Show one incident and its timeline'
            cand note 'Add a note to the timeline'
            cand status 'Change the status'
            cand assign 'Give someone a role (commander, scribe, comms, ops)'
            cand attach 'Attach an alert to the incident'
            cand action 'Record an action item'
            cand export 'Export the postmortem draft or the timeline'
            cand stats 'Incident counts, time to acknowledge and to resolve'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'clops;incident;help;declare'= {
        }
        &'clops;incident;help;list'= {
        }
        &'clops;incident;help;show'= {
        }
        &'clops;incident;help;note'= {
        }
        &'clops;incident;help;status'= {
        }
        &'clops;incident;help;assign'= {
        }
        &'clops;incident;help;attach'= {
        }
        &'clops;incident;help;action'= {
        }
        &'clops;incident;help;export'= {
        }
        &'clops;incident;help;stats'= {
        }
        &'clops;incident;help;help'= {
        }
        &'clops;runbook'= {
            cand --config 'Config file to read instead of the default (see `clops config path`)'
            cand --data-dir 'Where clops keeps its data (incidents, run logs)'
            cand --theme 'Console theme: default, light, high-contrast, mono, or one of your own'
            cand --no-color 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
            cand --read-only 'Refuse every change: silences, acks, runbook steps'
            cand -v 'Log more (repeat for more); logs go to a file, never the terminal'
            cand --verbose 'Log more (repeat for more); logs go to a file, never the terminal'
            cand -h 'Print help'
            cand --help 'Print help'
            cand list 'List runbooks: name, title, the alerts they serve, steps'
            cand show 'Show a runbook''s steps and the commands they run'
            cand run 'Run a runbook''s steps in order, stopping at the first that fails'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'clops;runbook;list'= {
            cand -o 'Output format'
            cand --output 'Output format'
            cand --config 'Config file to read instead of the default (see `clops config path`)'
            cand --data-dir 'Where clops keeps its data (incidents, run logs)'
            cand --theme 'Console theme: default, light, high-contrast, mono, or one of your own'
            cand --no-color 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
            cand --read-only 'Refuse every change: silences, acks, runbook steps'
            cand -v 'Log more (repeat for more); logs go to a file, never the terminal'
            cand --verbose 'Log more (repeat for more); logs go to a file, never the terminal'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'clops;runbook;show'= {
            cand --config 'Config file to read instead of the default (see `clops config path`)'
            cand --data-dir 'Where clops keeps its data (incidents, run logs)'
            cand --theme 'Console theme: default, light, high-contrast, mono, or one of your own'
            cand --no-color 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
            cand --read-only 'Refuse every change: silences, acks, runbook steps'
            cand -v 'Log more (repeat for more); logs go to a file, never the terminal'
            cand --verbose 'Log more (repeat for more); logs go to a file, never the terminal'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'clops;runbook;run'= {
            cand --incident 'Record the steps in this incident''s timeline'
            cand --label 'Alert label handed to the steps as CLOPS_LABEL_<K> (repeatable; wins over the same label of --alert)'
            cand --alert 'Hand the steps the labels of this alert, as the configured sources report it now (its fingerprint, as `clops alerts -o json` shows it)'
            cand --config 'Config file to read instead of the default (see `clops config path`)'
            cand --data-dir 'Where clops keeps its data (incidents, run logs)'
            cand --theme 'Console theme: default, light, high-contrast, mono, or one of your own'
            cand --yes 'Run every step without asking (needed when stdin is not a terminal)'
            cand --dry-run 'Show what would run and run nothing'
            cand --no-color 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
            cand --read-only 'Refuse every change: silences, acks, runbook steps'
            cand -v 'Log more (repeat for more); logs go to a file, never the terminal'
            cand --verbose 'Log more (repeat for more); logs go to a file, never the terminal'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'clops;runbook;help'= {
            cand list 'List runbooks: name, title, the alerts they serve, steps'
            cand show 'Show a runbook''s steps and the commands they run'
            cand run 'Run a runbook''s steps in order, stopping at the first that fails'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'clops;runbook;help;list'= {
        }
        &'clops;runbook;help;show'= {
        }
        &'clops;runbook;help;run'= {
        }
        &'clops;runbook;help;help'= {
        }
        &'clops;config'= {
            cand --config 'Config file to read instead of the default (see `clops config path`)'
            cand --data-dir 'Where clops keeps its data (incidents, run logs)'
            cand --theme 'Console theme: default, light, high-contrast, mono, or one of your own'
            cand --no-color 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
            cand --read-only 'Refuse every change: silences, acks, runbook steps'
            cand -v 'Log more (repeat for more); logs go to a file, never the terminal'
            cand --verbose 'Log more (repeat for more); logs go to a file, never the terminal'
            cand -h 'Print help'
            cand --help 'Print help'
            cand init 'Write a commented example config to the config path'
            cand check 'Validate the config file'
            cand path 'Print where the config file is looked for'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'clops;config;init'= {
            cand --config 'Config file to read instead of the default (see `clops config path`)'
            cand --data-dir 'Where clops keeps its data (incidents, run logs)'
            cand --theme 'Console theme: default, light, high-contrast, mono, or one of your own'
            cand --stdout 'Print it instead of writing it'
            cand --force 'Overwrite an existing file'
            cand --no-color 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
            cand --read-only 'Refuse every change: silences, acks, runbook steps'
            cand -v 'Log more (repeat for more); logs go to a file, never the terminal'
            cand --verbose 'Log more (repeat for more); logs go to a file, never the terminal'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'clops;config;check'= {
            cand --config 'Config file to read instead of the default (see `clops config path`)'
            cand --data-dir 'Where clops keeps its data (incidents, run logs)'
            cand --theme 'Console theme: default, light, high-contrast, mono, or one of your own'
            cand --no-color 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
            cand --read-only 'Refuse every change: silences, acks, runbook steps'
            cand -v 'Log more (repeat for more); logs go to a file, never the terminal'
            cand --verbose 'Log more (repeat for more); logs go to a file, never the terminal'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'clops;config;path'= {
            cand --config 'Config file to read instead of the default (see `clops config path`)'
            cand --data-dir 'Where clops keeps its data (incidents, run logs)'
            cand --theme 'Console theme: default, light, high-contrast, mono, or one of your own'
            cand --no-color 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
            cand --read-only 'Refuse every change: silences, acks, runbook steps'
            cand -v 'Log more (repeat for more); logs go to a file, never the terminal'
            cand --verbose 'Log more (repeat for more); logs go to a file, never the terminal'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'clops;config;help'= {
            cand init 'Write a commented example config to the config path'
            cand check 'Validate the config file'
            cand path 'Print where the config file is looked for'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'clops;config;help;init'= {
        }
        &'clops;config;help;check'= {
        }
        &'clops;config;help;path'= {
        }
        &'clops;config;help;help'= {
        }
        &'clops;auth'= {
            cand --config 'Config file to read instead of the default (see `clops config path`)'
            cand --data-dir 'Where clops keeps its data (incidents, run logs)'
            cand --theme 'Console theme: default, light, high-contrast, mono, or one of your own'
            cand --no-color 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
            cand --read-only 'Refuse every change: silences, acks, runbook steps'
            cand -v 'Log more (repeat for more); logs go to a file, never the terminal'
            cand --verbose 'Log more (repeat for more); logs go to a file, never the terminal'
            cand -h 'Print help'
            cand --help 'Print help'
            cand set 'Store a source''s token (read from stdin)'
            cand status 'Show which credential provider each source uses (never the token)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'clops;auth;set'= {
            cand --config 'Config file to read instead of the default (see `clops config path`)'
            cand --data-dir 'Where clops keeps its data (incidents, run logs)'
            cand --theme 'Console theme: default, light, high-contrast, mono, or one of your own'
            cand --no-color 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
            cand --read-only 'Refuse every change: silences, acks, runbook steps'
            cand -v 'Log more (repeat for more); logs go to a file, never the terminal'
            cand --verbose 'Log more (repeat for more); logs go to a file, never the terminal'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'clops;auth;status'= {
            cand --config 'Config file to read instead of the default (see `clops config path`)'
            cand --data-dir 'Where clops keeps its data (incidents, run logs)'
            cand --theme 'Console theme: default, light, high-contrast, mono, or one of your own'
            cand --no-color 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
            cand --read-only 'Refuse every change: silences, acks, runbook steps'
            cand -v 'Log more (repeat for more); logs go to a file, never the terminal'
            cand --verbose 'Log more (repeat for more); logs go to a file, never the terminal'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'clops;auth;help'= {
            cand set 'Store a source''s token (read from stdin)'
            cand status 'Show which credential provider each source uses (never the token)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'clops;auth;help;set'= {
        }
        &'clops;auth;help;status'= {
        }
        &'clops;auth;help;help'= {
        }
        &'clops;completions'= {
            cand --config 'Config file to read instead of the default (see `clops config path`)'
            cand --data-dir 'Where clops keeps its data (incidents, run logs)'
            cand --theme 'Console theme: default, light, high-contrast, mono, or one of your own'
            cand --no-color 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
            cand --read-only 'Refuse every change: silences, acks, runbook steps'
            cand -v 'Log more (repeat for more); logs go to a file, never the terminal'
            cand --verbose 'Log more (repeat for more); logs go to a file, never the terminal'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'clops;man'= {
            cand --config 'Config file to read instead of the default (see `clops config path`)'
            cand --data-dir 'Where clops keeps its data (incidents, run logs)'
            cand --theme 'Console theme: default, light, high-contrast, mono, or one of your own'
            cand --no-color 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
            cand --read-only 'Refuse every change: silences, acks, runbook steps'
            cand -v 'Log more (repeat for more); logs go to a file, never the terminal'
            cand --verbose 'Log more (repeat for more); logs go to a file, never the terminal'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'clops;help'= {
            cand demo 'Open the console on the built-in simulated environment; no config needed'
            cand alerts 'Fetch, deduplicate and group alerts once, and print them'
            cand silence 'Alertmanager silences'
            cand slo 'SLO burn rates and error budgets'
            cand deploys 'Recent deploys'
            cand deps 'The service dependency map'
            cand incident 'Declare and run incidents; export postmortems'
            cand runbook 'Find and run runbooks'
            cand config 'Write, check or locate the config file'
            cand auth 'Store and inspect source credentials'
            cand completions 'Print a shell completion script'
            cand man 'Print the man page (roff)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'clops;help;demo'= {
        }
        &'clops;help;alerts'= {
        }
        &'clops;help;silence'= {
            cand add 'Create a silence, read it back from every peer, and print its id'
            cand extend 'Make a silence end later, and read it back from every peer'
            cand list 'List silences'
            cand expire 'Expire a silence now'
        }
        &'clops;help;silence;add'= {
        }
        &'clops;help;silence;extend'= {
        }
        &'clops;help;silence;list'= {
        }
        &'clops;help;silence;expire'= {
        }
        &'clops;help;slo'= {
        }
        &'clops;help;deploys'= {
        }
        &'clops;help;deps'= {
        }
        &'clops;help;incident'= {
            cand declare 'Declare an incident; prints its id'
            cand list 'List incidents'
            cand show 'Show one incident and its timeline'
            cand note 'Add a note to the timeline'
            cand status 'Change the status'
            cand assign 'Give someone a role (commander, scribe, comms, ops)'
            cand attach 'Attach an alert to the incident'
            cand action 'Record an action item'
            cand export 'Export the postmortem draft or the timeline'
            cand stats 'Incident counts, time to acknowledge and to resolve'
        }
        &'clops;help;incident;declare'= {
        }
        &'clops;help;incident;list'= {
        }
        &'clops;help;incident;show'= {
        }
        &'clops;help;incident;note'= {
        }
        &'clops;help;incident;status'= {
        }
        &'clops;help;incident;assign'= {
        }
        &'clops;help;incident;attach'= {
        }
        &'clops;help;incident;action'= {
        }
        &'clops;help;incident;export'= {
        }
        &'clops;help;incident;stats'= {
        }
        &'clops;help;runbook'= {
            cand list 'List runbooks: name, title, the alerts they serve, steps'
            cand show 'Show a runbook''s steps and the commands they run'
            cand run 'Run a runbook''s steps in order, stopping at the first that fails'
        }
        &'clops;help;runbook;list'= {
        }
        &'clops;help;runbook;show'= {
        }
        &'clops;help;runbook;run'= {
        }
        &'clops;help;config'= {
            cand init 'Write a commented example config to the config path'
            cand check 'Validate the config file'
            cand path 'Print where the config file is looked for'
        }
        &'clops;help;config;init'= {
        }
        &'clops;help;config;check'= {
        }
        &'clops;help;config;path'= {
        }
        &'clops;help;auth'= {
            cand set 'Store a source''s token (read from stdin)'
            cand status 'Show which credential provider each source uses (never the token)'
        }
        &'clops;help;auth;set'= {
        }
        &'clops;help;auth;status'= {
        }
        &'clops;help;completions'= {
        }
        &'clops;help;man'= {
        }
        &'clops;help;help'= {
        }
    ]
    $completions[$command]
}
