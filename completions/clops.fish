# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_clops_global_optspecs
    string join \n config= data-dir= theme= no-color read-only v/verbose h/help V/version
end

function __fish_clops_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_clops_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_clops_using_subcommand
    set -l cmd (__fish_clops_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c clops -n "__fish_clops_needs_command" -l config -d 'Config file to read instead of the default (see `clops config path`)' -r -F
complete -c clops -n "__fish_clops_needs_command" -l data-dir -d 'Where clops keeps its data (incidents, run logs)' -r -F
complete -c clops -n "__fish_clops_needs_command" -l theme -d 'Console theme: default, light, high-contrast, mono, or one of your own' -r
complete -c clops -n "__fish_clops_needs_command" -l no-color -d 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
complete -c clops -n "__fish_clops_needs_command" -l read-only -d 'Refuse every change: silences, acks, runbook steps'
complete -c clops -n "__fish_clops_needs_command" -s v -l verbose -d 'Log more (repeat for more); logs go to a file, never the terminal'
complete -c clops -n "__fish_clops_needs_command" -s h -l help -d 'Print help'
complete -c clops -n "__fish_clops_needs_command" -s V -l version -d 'Print version'
complete -c clops -n "__fish_clops_needs_command" -f -a "demo" -d 'Open the console on the built-in simulated environment; no config needed'
complete -c clops -n "__fish_clops_needs_command" -f -a "alerts" -d 'Fetch, deduplicate and group alerts once, and print them'
complete -c clops -n "__fish_clops_needs_command" -f -a "silence" -d 'Alertmanager silences'
complete -c clops -n "__fish_clops_needs_command" -f -a "slo" -d 'SLO burn rates and error budgets'
complete -c clops -n "__fish_clops_needs_command" -f -a "deploys" -d 'Recent deploys'
complete -c clops -n "__fish_clops_needs_command" -f -a "deps" -d 'The service dependency map'
complete -c clops -n "__fish_clops_needs_command" -f -a "incident" -d 'Declare and run incidents; export postmortems'
complete -c clops -n "__fish_clops_needs_command" -f -a "runbook" -d 'Find and run runbooks'
complete -c clops -n "__fish_clops_needs_command" -f -a "config" -d 'Write, check or locate the config file'
complete -c clops -n "__fish_clops_needs_command" -f -a "auth" -d 'Store and inspect source credentials'
complete -c clops -n "__fish_clops_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c clops -n "__fish_clops_needs_command" -f -a "man" -d 'Print the man page (roff)'
complete -c clops -n "__fish_clops_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c clops -n "__fish_clops_using_subcommand demo" -l scenario -d 'Which scripted incident to play' -r -f -a "bad-deploy\t''
node-down\t''"
complete -c clops -n "__fish_clops_using_subcommand demo" -l seed -d 'Seed of the simulated environment; the same seed plays the same story' -r
complete -c clops -n "__fish_clops_using_subcommand demo" -l speed -d 'Run the simulation this many times faster than real time' -r
complete -c clops -n "__fish_clops_using_subcommand demo" -l config -d 'Config file to read instead of the default (see `clops config path`)' -r -F
complete -c clops -n "__fish_clops_using_subcommand demo" -l data-dir -d 'Where clops keeps its data (incidents, run logs)' -r -F
complete -c clops -n "__fish_clops_using_subcommand demo" -l theme -d 'Console theme: default, light, high-contrast, mono, or one of your own' -r
complete -c clops -n "__fish_clops_using_subcommand demo" -l no-color -d 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
complete -c clops -n "__fish_clops_using_subcommand demo" -l read-only -d 'Refuse every change: silences, acks, runbook steps'
complete -c clops -n "__fish_clops_using_subcommand demo" -s v -l verbose -d 'Log more (repeat for more); logs go to a file, never the terminal'
complete -c clops -n "__fish_clops_using_subcommand demo" -s h -l help -d 'Print help'
complete -c clops -n "__fish_clops_using_subcommand alerts" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c clops -n "__fish_clops_using_subcommand alerts" -l filter -d 'Keep only matching alerts: label matchers (`severity=critical,cluster=~prod-.*`, also `!=` and `!~`), or words matched fuzzily like the console\'s `/`' -r
complete -c clops -n "__fish_clops_using_subcommand alerts" -l config -d 'Config file to read instead of the default (see `clops config path`)' -r -F
complete -c clops -n "__fish_clops_using_subcommand alerts" -l data-dir -d 'Where clops keeps its data (incidents, run logs)' -r -F
complete -c clops -n "__fish_clops_using_subcommand alerts" -l theme -d 'Console theme: default, light, high-contrast, mono, or one of your own' -r
complete -c clops -n "__fish_clops_using_subcommand alerts" -l demo -d 'Read the built-in simulated environment instead of the configured sources'
complete -c clops -n "__fish_clops_using_subcommand alerts" -l no-color -d 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
complete -c clops -n "__fish_clops_using_subcommand alerts" -l read-only -d 'Refuse every change: silences, acks, runbook steps'
complete -c clops -n "__fish_clops_using_subcommand alerts" -s v -l verbose -d 'Log more (repeat for more); logs go to a file, never the terminal'
complete -c clops -n "__fish_clops_using_subcommand alerts" -s h -l help -d 'Print help'
complete -c clops -n "__fish_clops_using_subcommand silence; and not __fish_seen_subcommand_from add extend list expire help" -l config -d 'Config file to read instead of the default (see `clops config path`)' -r -F
complete -c clops -n "__fish_clops_using_subcommand silence; and not __fish_seen_subcommand_from add extend list expire help" -l data-dir -d 'Where clops keeps its data (incidents, run logs)' -r -F
complete -c clops -n "__fish_clops_using_subcommand silence; and not __fish_seen_subcommand_from add extend list expire help" -l theme -d 'Console theme: default, light, high-contrast, mono, or one of your own' -r
complete -c clops -n "__fish_clops_using_subcommand silence; and not __fish_seen_subcommand_from add extend list expire help" -l no-color -d 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
complete -c clops -n "__fish_clops_using_subcommand silence; and not __fish_seen_subcommand_from add extend list expire help" -l read-only -d 'Refuse every change: silences, acks, runbook steps'
complete -c clops -n "__fish_clops_using_subcommand silence; and not __fish_seen_subcommand_from add extend list expire help" -s v -l verbose -d 'Log more (repeat for more); logs go to a file, never the terminal'
complete -c clops -n "__fish_clops_using_subcommand silence; and not __fish_seen_subcommand_from add extend list expire help" -s h -l help -d 'Print help'
complete -c clops -n "__fish_clops_using_subcommand silence; and not __fish_seen_subcommand_from add extend list expire help" -f -a "add" -d 'Create a silence, read it back from every peer, and print its id'
complete -c clops -n "__fish_clops_using_subcommand silence; and not __fish_seen_subcommand_from add extend list expire help" -f -a "extend" -d 'Make a silence end later, and read it back from every peer'
complete -c clops -n "__fish_clops_using_subcommand silence; and not __fish_seen_subcommand_from add extend list expire help" -f -a "list" -d 'List silences'
complete -c clops -n "__fish_clops_using_subcommand silence; and not __fish_seen_subcommand_from add extend list expire help" -f -a "expire" -d 'Expire a silence now'
complete -c clops -n "__fish_clops_using_subcommand silence; and not __fish_seen_subcommand_from add extend list expire help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c clops -n "__fish_clops_using_subcommand silence; and __fish_seen_subcommand_from add" -l source -d 'The Alertmanager source to silence in' -r
complete -c clops -n "__fish_clops_using_subcommand silence; and __fish_seen_subcommand_from add" -s m -l matcher -d 'Label matchers as Alertmanager reads them: alertname=HighErrorRate, \'service=~"api|web"\', \'{cluster="eu",job!="node"}\' (repeatable)' -r
complete -c clops -n "__fish_clops_using_subcommand silence; and __fish_seen_subcommand_from add" -l duration -d 'How long the silence lasts' -r
complete -c clops -n "__fish_clops_using_subcommand silence; and __fish_seen_subcommand_from add" -l comment -d 'Why' -r
complete -c clops -n "__fish_clops_using_subcommand silence; and __fish_seen_subcommand_from add" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c clops -n "__fish_clops_using_subcommand silence; and __fish_seen_subcommand_from add" -l config -d 'Config file to read instead of the default (see `clops config path`)' -r -F
complete -c clops -n "__fish_clops_using_subcommand silence; and __fish_seen_subcommand_from add" -l data-dir -d 'Where clops keeps its data (incidents, run logs)' -r -F
complete -c clops -n "__fish_clops_using_subcommand silence; and __fish_seen_subcommand_from add" -l theme -d 'Console theme: default, light, high-contrast, mono, or one of your own' -r
complete -c clops -n "__fish_clops_using_subcommand silence; and __fish_seen_subcommand_from add" -l dry-run -d 'Create nothing: show the matchers as Alertmanager will store them and the alerts they cover now'
complete -c clops -n "__fish_clops_using_subcommand silence; and __fish_seen_subcommand_from add" -l no-color -d 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
complete -c clops -n "__fish_clops_using_subcommand silence; and __fish_seen_subcommand_from add" -l read-only -d 'Refuse every change: silences, acks, runbook steps'
complete -c clops -n "__fish_clops_using_subcommand silence; and __fish_seen_subcommand_from add" -s v -l verbose -d 'Log more (repeat for more); logs go to a file, never the terminal'
complete -c clops -n "__fish_clops_using_subcommand silence; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c clops -n "__fish_clops_using_subcommand silence; and __fish_seen_subcommand_from extend" -l source -d 'The Alertmanager source the silence lives in' -r
complete -c clops -n "__fish_clops_using_subcommand silence; and __fish_seen_subcommand_from extend" -l config -d 'Config file to read instead of the default (see `clops config path`)' -r -F
complete -c clops -n "__fish_clops_using_subcommand silence; and __fish_seen_subcommand_from extend" -l data-dir -d 'Where clops keeps its data (incidents, run logs)' -r -F
complete -c clops -n "__fish_clops_using_subcommand silence; and __fish_seen_subcommand_from extend" -l theme -d 'Console theme: default, light, high-contrast, mono, or one of your own' -r
complete -c clops -n "__fish_clops_using_subcommand silence; and __fish_seen_subcommand_from extend" -l no-color -d 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
complete -c clops -n "__fish_clops_using_subcommand silence; and __fish_seen_subcommand_from extend" -l read-only -d 'Refuse every change: silences, acks, runbook steps'
complete -c clops -n "__fish_clops_using_subcommand silence; and __fish_seen_subcommand_from extend" -s v -l verbose -d 'Log more (repeat for more); logs go to a file, never the terminal'
complete -c clops -n "__fish_clops_using_subcommand silence; and __fish_seen_subcommand_from extend" -s h -l help -d 'Print help'
complete -c clops -n "__fish_clops_using_subcommand silence; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c clops -n "__fish_clops_using_subcommand silence; and __fish_seen_subcommand_from list" -l config -d 'Config file to read instead of the default (see `clops config path`)' -r -F
complete -c clops -n "__fish_clops_using_subcommand silence; and __fish_seen_subcommand_from list" -l data-dir -d 'Where clops keeps its data (incidents, run logs)' -r -F
complete -c clops -n "__fish_clops_using_subcommand silence; and __fish_seen_subcommand_from list" -l theme -d 'Console theme: default, light, high-contrast, mono, or one of your own' -r
complete -c clops -n "__fish_clops_using_subcommand silence; and __fish_seen_subcommand_from list" -l no-color -d 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
complete -c clops -n "__fish_clops_using_subcommand silence; and __fish_seen_subcommand_from list" -l read-only -d 'Refuse every change: silences, acks, runbook steps'
complete -c clops -n "__fish_clops_using_subcommand silence; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Log more (repeat for more); logs go to a file, never the terminal'
complete -c clops -n "__fish_clops_using_subcommand silence; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c clops -n "__fish_clops_using_subcommand silence; and __fish_seen_subcommand_from expire" -l source -d 'The Alertmanager source the silence lives in' -r
complete -c clops -n "__fish_clops_using_subcommand silence; and __fish_seen_subcommand_from expire" -l config -d 'Config file to read instead of the default (see `clops config path`)' -r -F
complete -c clops -n "__fish_clops_using_subcommand silence; and __fish_seen_subcommand_from expire" -l data-dir -d 'Where clops keeps its data (incidents, run logs)' -r -F
complete -c clops -n "__fish_clops_using_subcommand silence; and __fish_seen_subcommand_from expire" -l theme -d 'Console theme: default, light, high-contrast, mono, or one of your own' -r
complete -c clops -n "__fish_clops_using_subcommand silence; and __fish_seen_subcommand_from expire" -l no-color -d 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
complete -c clops -n "__fish_clops_using_subcommand silence; and __fish_seen_subcommand_from expire" -l read-only -d 'Refuse every change: silences, acks, runbook steps'
complete -c clops -n "__fish_clops_using_subcommand silence; and __fish_seen_subcommand_from expire" -s v -l verbose -d 'Log more (repeat for more); logs go to a file, never the terminal'
complete -c clops -n "__fish_clops_using_subcommand silence; and __fish_seen_subcommand_from expire" -s h -l help -d 'Print help'
complete -c clops -n "__fish_clops_using_subcommand silence; and __fish_seen_subcommand_from help" -f -a "add" -d 'Create a silence, read it back from every peer, and print its id'
complete -c clops -n "__fish_clops_using_subcommand silence; and __fish_seen_subcommand_from help" -f -a "extend" -d 'Make a silence end later, and read it back from every peer'
complete -c clops -n "__fish_clops_using_subcommand silence; and __fish_seen_subcommand_from help" -f -a "list" -d 'List silences'
complete -c clops -n "__fish_clops_using_subcommand silence; and __fish_seen_subcommand_from help" -f -a "expire" -d 'Expire a silence now'
complete -c clops -n "__fish_clops_using_subcommand silence; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c clops -n "__fish_clops_using_subcommand slo" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c clops -n "__fish_clops_using_subcommand slo" -l config -d 'Config file to read instead of the default (see `clops config path`)' -r -F
complete -c clops -n "__fish_clops_using_subcommand slo" -l data-dir -d 'Where clops keeps its data (incidents, run logs)' -r -F
complete -c clops -n "__fish_clops_using_subcommand slo" -l theme -d 'Console theme: default, light, high-contrast, mono, or one of your own' -r
complete -c clops -n "__fish_clops_using_subcommand slo" -l demo -d 'Read the built-in simulated environment'
complete -c clops -n "__fish_clops_using_subcommand slo" -l no-color -d 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
complete -c clops -n "__fish_clops_using_subcommand slo" -l read-only -d 'Refuse every change: silences, acks, runbook steps'
complete -c clops -n "__fish_clops_using_subcommand slo" -s v -l verbose -d 'Log more (repeat for more); logs go to a file, never the terminal'
complete -c clops -n "__fish_clops_using_subcommand slo" -s h -l help -d 'Print help'
complete -c clops -n "__fish_clops_using_subcommand deploys" -l since -d 'How far back to look: 30m, 6h, 2d…' -r
complete -c clops -n "__fish_clops_using_subcommand deploys" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c clops -n "__fish_clops_using_subcommand deploys" -l config -d 'Config file to read instead of the default (see `clops config path`)' -r -F
complete -c clops -n "__fish_clops_using_subcommand deploys" -l data-dir -d 'Where clops keeps its data (incidents, run logs)' -r -F
complete -c clops -n "__fish_clops_using_subcommand deploys" -l theme -d 'Console theme: default, light, high-contrast, mono, or one of your own' -r
complete -c clops -n "__fish_clops_using_subcommand deploys" -l demo -d 'Read the built-in simulated environment'
complete -c clops -n "__fish_clops_using_subcommand deploys" -l no-color -d 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
complete -c clops -n "__fish_clops_using_subcommand deploys" -l read-only -d 'Refuse every change: silences, acks, runbook steps'
complete -c clops -n "__fish_clops_using_subcommand deploys" -s v -l verbose -d 'Log more (repeat for more); logs go to a file, never the terminal'
complete -c clops -n "__fish_clops_using_subcommand deploys" -s h -l help -d 'Print help'
complete -c clops -n "__fish_clops_using_subcommand deps" -s o -l output -d 'Output format' -r -f -a "text\t''
dot\t''
json\t''"
complete -c clops -n "__fish_clops_using_subcommand deps" -l config -d 'Config file to read instead of the default (see `clops config path`)' -r -F
complete -c clops -n "__fish_clops_using_subcommand deps" -l data-dir -d 'Where clops keeps its data (incidents, run logs)' -r -F
complete -c clops -n "__fish_clops_using_subcommand deps" -l theme -d 'Console theme: default, light, high-contrast, mono, or one of your own' -r
complete -c clops -n "__fish_clops_using_subcommand deps" -l demo -d 'Read the built-in simulated environment'
complete -c clops -n "__fish_clops_using_subcommand deps" -l no-color -d 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
complete -c clops -n "__fish_clops_using_subcommand deps" -l read-only -d 'Refuse every change: silences, acks, runbook steps'
complete -c clops -n "__fish_clops_using_subcommand deps" -s v -l verbose -d 'Log more (repeat for more); logs go to a file, never the terminal'
complete -c clops -n "__fish_clops_using_subcommand deps" -s h -l help -d 'Print help'
complete -c clops -n "__fish_clops_using_subcommand incident; and not __fish_seen_subcommand_from declare list show note status assign attach action export stats help" -l config -d 'Config file to read instead of the default (see `clops config path`)' -r -F
complete -c clops -n "__fish_clops_using_subcommand incident; and not __fish_seen_subcommand_from declare list show note status assign attach action export stats help" -l data-dir -d 'Where clops keeps its data (incidents, run logs)' -r -F
complete -c clops -n "__fish_clops_using_subcommand incident; and not __fish_seen_subcommand_from declare list show note status assign attach action export stats help" -l theme -d 'Console theme: default, light, high-contrast, mono, or one of your own' -r
complete -c clops -n "__fish_clops_using_subcommand incident; and not __fish_seen_subcommand_from declare list show note status assign attach action export stats help" -l no-color -d 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
complete -c clops -n "__fish_clops_using_subcommand incident; and not __fish_seen_subcommand_from declare list show note status assign attach action export stats help" -l read-only -d 'Refuse every change: silences, acks, runbook steps'
complete -c clops -n "__fish_clops_using_subcommand incident; and not __fish_seen_subcommand_from declare list show note status assign attach action export stats help" -s v -l verbose -d 'Log more (repeat for more); logs go to a file, never the terminal'
complete -c clops -n "__fish_clops_using_subcommand incident; and not __fish_seen_subcommand_from declare list show note status assign attach action export stats help" -s h -l help -d 'Print help'
complete -c clops -n "__fish_clops_using_subcommand incident; and not __fish_seen_subcommand_from declare list show note status assign attach action export stats help" -f -a "declare" -d 'Declare an incident; prints its id'
complete -c clops -n "__fish_clops_using_subcommand incident; and not __fish_seen_subcommand_from declare list show note status assign attach action export stats help" -f -a "list" -d 'List incidents'
complete -c clops -n "__fish_clops_using_subcommand incident; and not __fish_seen_subcommand_from declare list show note status assign attach action export stats help" -f -a "show" -d 'Show one incident and its timeline'
complete -c clops -n "__fish_clops_using_subcommand incident; and not __fish_seen_subcommand_from declare list show note status assign attach action export stats help" -f -a "note" -d 'Add a note to the timeline'
complete -c clops -n "__fish_clops_using_subcommand incident; and not __fish_seen_subcommand_from declare list show note status assign attach action export stats help" -f -a "status" -d 'Change the status'
complete -c clops -n "__fish_clops_using_subcommand incident; and not __fish_seen_subcommand_from declare list show note status assign attach action export stats help" -f -a "assign" -d 'Give someone a role (commander, scribe, comms, ops)'
complete -c clops -n "__fish_clops_using_subcommand incident; and not __fish_seen_subcommand_from declare list show note status assign attach action export stats help" -f -a "attach" -d 'Attach an alert to the incident'
complete -c clops -n "__fish_clops_using_subcommand incident; and not __fish_seen_subcommand_from declare list show note status assign attach action export stats help" -f -a "action" -d 'Record an action item'
complete -c clops -n "__fish_clops_using_subcommand incident; and not __fish_seen_subcommand_from declare list show note status assign attach action export stats help" -f -a "export" -d 'Export the postmortem draft or the timeline'
complete -c clops -n "__fish_clops_using_subcommand incident; and not __fish_seen_subcommand_from declare list show note status assign attach action export stats help" -f -a "stats" -d 'Incident counts, time to acknowledge and to resolve'
complete -c clops -n "__fish_clops_using_subcommand incident; and not __fish_seen_subcommand_from declare list show note status assign attach action export stats help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from declare" -l title -d 'What is happening, in a few words' -r
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from declare" -l severity -d 'How bad it is' -r -f -a "sev1\t''
sev2\t''
sev3\t''
sev4\t''"
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from declare" -l commander -d 'Who runs the incident (default: you)' -r
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from declare" -l started -d 'When the impact began, if known: an RFC 3339 time or how long ago (45m)' -r
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from declare" -l config -d 'Config file to read instead of the default (see `clops config path`)' -r -F
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from declare" -l data-dir -d 'Where clops keeps its data (incidents, run logs)' -r -F
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from declare" -l theme -d 'Console theme: default, light, high-contrast, mono, or one of your own' -r
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from declare" -l no-color -d 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from declare" -l read-only -d 'Refuse every change: silences, acks, runbook steps'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from declare" -s v -l verbose -d 'Log more (repeat for more); logs go to a file, never the terminal'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from declare" -s h -l help -d 'Print help'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from list" -l config -d 'Config file to read instead of the default (see `clops config path`)' -r -F
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from list" -l data-dir -d 'Where clops keeps its data (incidents, run logs)' -r -F
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from list" -l theme -d 'Console theme: default, light, high-contrast, mono, or one of your own' -r
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from list" -l no-color -d 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from list" -l read-only -d 'Refuse every change: silences, acks, runbook steps'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Log more (repeat for more); logs go to a file, never the terminal'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from show" -l config -d 'Config file to read instead of the default (see `clops config path`)' -r -F
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from show" -l data-dir -d 'Where clops keeps its data (incidents, run logs)' -r -F
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from show" -l theme -d 'Console theme: default, light, high-contrast, mono, or one of your own' -r
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from show" -l no-color -d 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from show" -l read-only -d 'Refuse every change: silences, acks, runbook steps'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Log more (repeat for more); logs go to a file, never the terminal'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from note" -l config -d 'Config file to read instead of the default (see `clops config path`)' -r -F
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from note" -l data-dir -d 'Where clops keeps its data (incidents, run logs)' -r -F
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from note" -l theme -d 'Console theme: default, light, high-contrast, mono, or one of your own' -r
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from note" -l no-color -d 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from note" -l read-only -d 'Refuse every change: silences, acks, runbook steps'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from note" -s v -l verbose -d 'Log more (repeat for more); logs go to a file, never the terminal'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from note" -s h -l help -d 'Print help'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from status" -l config -d 'Config file to read instead of the default (see `clops config path`)' -r -F
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from status" -l data-dir -d 'Where clops keeps its data (incidents, run logs)' -r -F
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from status" -l theme -d 'Console theme: default, light, high-contrast, mono, or one of your own' -r
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from status" -l no-color -d 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from status" -l read-only -d 'Refuse every change: silences, acks, runbook steps'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from status" -s v -l verbose -d 'Log more (repeat for more); logs go to a file, never the terminal'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from assign" -l config -d 'Config file to read instead of the default (see `clops config path`)' -r -F
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from assign" -l data-dir -d 'Where clops keeps its data (incidents, run logs)' -r -F
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from assign" -l theme -d 'Console theme: default, light, high-contrast, mono, or one of your own' -r
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from assign" -l no-color -d 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from assign" -l read-only -d 'Refuse every change: silences, acks, runbook steps'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from assign" -s v -l verbose -d 'Log more (repeat for more); logs go to a file, never the terminal'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from assign" -s h -l help -d 'Print help'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from attach" -l alert -d 'Fingerprint of the alert' -r
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from attach" -l config -d 'Config file to read instead of the default (see `clops config path`)' -r -F
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from attach" -l data-dir -d 'Where clops keeps its data (incidents, run logs)' -r -F
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from attach" -l theme -d 'Console theme: default, light, high-contrast, mono, or one of your own' -r
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from attach" -l no-color -d 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from attach" -l read-only -d 'Refuse every change: silences, acks, runbook steps'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from attach" -s v -l verbose -d 'Log more (repeat for more); logs go to a file, never the terminal'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from attach" -s h -l help -d 'Print help'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from action" -l owner -d 'Who owns it' -r
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from action" -l type -d 'Kind of action' -r -f -a "mitigate\t''
prevent\t''
process\t''"
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from action" -l config -d 'Config file to read instead of the default (see `clops config path`)' -r -F
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from action" -l data-dir -d 'Where clops keeps its data (incidents, run logs)' -r -F
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from action" -l theme -d 'Console theme: default, light, high-contrast, mono, or one of your own' -r
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from action" -l no-color -d 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from action" -l read-only -d 'Refuse every change: silences, acks, runbook steps'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from action" -s v -l verbose -d 'Log more (repeat for more); logs go to a file, never the terminal'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from action" -s h -l help -d 'Print help'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from export" -l format -d 'md: postmortem draft; json: the timeline' -r -f -a "md\t''
json\t''"
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from export" -s o -l output -d 'Write to this file instead of stdout' -r -F
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from export" -l config -d 'Config file to read instead of the default (see `clops config path`)' -r -F
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from export" -l data-dir -d 'Where clops keeps its data (incidents, run logs)' -r -F
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from export" -l theme -d 'Console theme: default, light, high-contrast, mono, or one of your own' -r
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from export" -l no-color -d 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from export" -l read-only -d 'Refuse every change: silences, acks, runbook steps'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from export" -s v -l verbose -d 'Log more (repeat for more); logs go to a file, never the terminal'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from stats" -l since -d 'How far back to look' -r
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from stats" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from stats" -l config -d 'Config file to read instead of the default (see `clops config path`)' -r -F
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from stats" -l data-dir -d 'Where clops keeps its data (incidents, run logs)' -r -F
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from stats" -l theme -d 'Console theme: default, light, high-contrast, mono, or one of your own' -r
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from stats" -l no-color -d 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from stats" -l read-only -d 'Refuse every change: silences, acks, runbook steps'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from stats" -s v -l verbose -d 'Log more (repeat for more); logs go to a file, never the terminal'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from stats" -s h -l help -d 'Print help'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from help" -f -a "declare" -d 'Declare an incident; prints its id'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from help" -f -a "list" -d 'List incidents'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one incident and its timeline'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from help" -f -a "note" -d 'Add a note to the timeline'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from help" -f -a "status" -d 'Change the status'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from help" -f -a "assign" -d 'Give someone a role (commander, scribe, comms, ops)'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from help" -f -a "attach" -d 'Attach an alert to the incident'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from help" -f -a "action" -d 'Record an action item'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from help" -f -a "export" -d 'Export the postmortem draft or the timeline'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from help" -f -a "stats" -d 'Incident counts, time to acknowledge and to resolve'
complete -c clops -n "__fish_clops_using_subcommand incident; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c clops -n "__fish_clops_using_subcommand runbook; and not __fish_seen_subcommand_from list show run help" -l config -d 'Config file to read instead of the default (see `clops config path`)' -r -F
complete -c clops -n "__fish_clops_using_subcommand runbook; and not __fish_seen_subcommand_from list show run help" -l data-dir -d 'Where clops keeps its data (incidents, run logs)' -r -F
complete -c clops -n "__fish_clops_using_subcommand runbook; and not __fish_seen_subcommand_from list show run help" -l theme -d 'Console theme: default, light, high-contrast, mono, or one of your own' -r
complete -c clops -n "__fish_clops_using_subcommand runbook; and not __fish_seen_subcommand_from list show run help" -l no-color -d 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
complete -c clops -n "__fish_clops_using_subcommand runbook; and not __fish_seen_subcommand_from list show run help" -l read-only -d 'Refuse every change: silences, acks, runbook steps'
complete -c clops -n "__fish_clops_using_subcommand runbook; and not __fish_seen_subcommand_from list show run help" -s v -l verbose -d 'Log more (repeat for more); logs go to a file, never the terminal'
complete -c clops -n "__fish_clops_using_subcommand runbook; and not __fish_seen_subcommand_from list show run help" -s h -l help -d 'Print help'
complete -c clops -n "__fish_clops_using_subcommand runbook; and not __fish_seen_subcommand_from list show run help" -f -a "list" -d 'List runbooks: name, title, the alerts they serve, steps'
complete -c clops -n "__fish_clops_using_subcommand runbook; and not __fish_seen_subcommand_from list show run help" -f -a "show" -d 'Show a runbook\'s steps and the commands they run'
complete -c clops -n "__fish_clops_using_subcommand runbook; and not __fish_seen_subcommand_from list show run help" -f -a "run" -d 'Run a runbook\'s steps in order, stopping at the first that fails'
complete -c clops -n "__fish_clops_using_subcommand runbook; and not __fish_seen_subcommand_from list show run help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c clops -n "__fish_clops_using_subcommand runbook; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c clops -n "__fish_clops_using_subcommand runbook; and __fish_seen_subcommand_from list" -l config -d 'Config file to read instead of the default (see `clops config path`)' -r -F
complete -c clops -n "__fish_clops_using_subcommand runbook; and __fish_seen_subcommand_from list" -l data-dir -d 'Where clops keeps its data (incidents, run logs)' -r -F
complete -c clops -n "__fish_clops_using_subcommand runbook; and __fish_seen_subcommand_from list" -l theme -d 'Console theme: default, light, high-contrast, mono, or one of your own' -r
complete -c clops -n "__fish_clops_using_subcommand runbook; and __fish_seen_subcommand_from list" -l no-color -d 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
complete -c clops -n "__fish_clops_using_subcommand runbook; and __fish_seen_subcommand_from list" -l read-only -d 'Refuse every change: silences, acks, runbook steps'
complete -c clops -n "__fish_clops_using_subcommand runbook; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Log more (repeat for more); logs go to a file, never the terminal'
complete -c clops -n "__fish_clops_using_subcommand runbook; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c clops -n "__fish_clops_using_subcommand runbook; and __fish_seen_subcommand_from show" -l config -d 'Config file to read instead of the default (see `clops config path`)' -r -F
complete -c clops -n "__fish_clops_using_subcommand runbook; and __fish_seen_subcommand_from show" -l data-dir -d 'Where clops keeps its data (incidents, run logs)' -r -F
complete -c clops -n "__fish_clops_using_subcommand runbook; and __fish_seen_subcommand_from show" -l theme -d 'Console theme: default, light, high-contrast, mono, or one of your own' -r
complete -c clops -n "__fish_clops_using_subcommand runbook; and __fish_seen_subcommand_from show" -l no-color -d 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
complete -c clops -n "__fish_clops_using_subcommand runbook; and __fish_seen_subcommand_from show" -l read-only -d 'Refuse every change: silences, acks, runbook steps'
complete -c clops -n "__fish_clops_using_subcommand runbook; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Log more (repeat for more); logs go to a file, never the terminal'
complete -c clops -n "__fish_clops_using_subcommand runbook; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c clops -n "__fish_clops_using_subcommand runbook; and __fish_seen_subcommand_from run" -l incident -d 'Record the steps in this incident\'s timeline' -r
complete -c clops -n "__fish_clops_using_subcommand runbook; and __fish_seen_subcommand_from run" -l label -d 'Alert label handed to the steps as CLOPS_LABEL_<K> (repeatable; wins over the same label of --alert)' -r
complete -c clops -n "__fish_clops_using_subcommand runbook; and __fish_seen_subcommand_from run" -l alert -d 'Hand the steps the labels of this alert, as the configured sources report it now (its fingerprint, as `clops alerts -o json` shows it)' -r
complete -c clops -n "__fish_clops_using_subcommand runbook; and __fish_seen_subcommand_from run" -l config -d 'Config file to read instead of the default (see `clops config path`)' -r -F
complete -c clops -n "__fish_clops_using_subcommand runbook; and __fish_seen_subcommand_from run" -l data-dir -d 'Where clops keeps its data (incidents, run logs)' -r -F
complete -c clops -n "__fish_clops_using_subcommand runbook; and __fish_seen_subcommand_from run" -l theme -d 'Console theme: default, light, high-contrast, mono, or one of your own' -r
complete -c clops -n "__fish_clops_using_subcommand runbook; and __fish_seen_subcommand_from run" -l yes -d 'Run every step without asking (needed when stdin is not a terminal)'
complete -c clops -n "__fish_clops_using_subcommand runbook; and __fish_seen_subcommand_from run" -l dry-run -d 'Show what would run and run nothing'
complete -c clops -n "__fish_clops_using_subcommand runbook; and __fish_seen_subcommand_from run" -l no-color -d 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
complete -c clops -n "__fish_clops_using_subcommand runbook; and __fish_seen_subcommand_from run" -l read-only -d 'Refuse every change: silences, acks, runbook steps'
complete -c clops -n "__fish_clops_using_subcommand runbook; and __fish_seen_subcommand_from run" -s v -l verbose -d 'Log more (repeat for more); logs go to a file, never the terminal'
complete -c clops -n "__fish_clops_using_subcommand runbook; and __fish_seen_subcommand_from run" -s h -l help -d 'Print help'
complete -c clops -n "__fish_clops_using_subcommand runbook; and __fish_seen_subcommand_from help" -f -a "list" -d 'List runbooks: name, title, the alerts they serve, steps'
complete -c clops -n "__fish_clops_using_subcommand runbook; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show a runbook\'s steps and the commands they run'
complete -c clops -n "__fish_clops_using_subcommand runbook; and __fish_seen_subcommand_from help" -f -a "run" -d 'Run a runbook\'s steps in order, stopping at the first that fails'
complete -c clops -n "__fish_clops_using_subcommand runbook; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c clops -n "__fish_clops_using_subcommand config; and not __fish_seen_subcommand_from init check path help" -l config -d 'Config file to read instead of the default (see `clops config path`)' -r -F
complete -c clops -n "__fish_clops_using_subcommand config; and not __fish_seen_subcommand_from init check path help" -l data-dir -d 'Where clops keeps its data (incidents, run logs)' -r -F
complete -c clops -n "__fish_clops_using_subcommand config; and not __fish_seen_subcommand_from init check path help" -l theme -d 'Console theme: default, light, high-contrast, mono, or one of your own' -r
complete -c clops -n "__fish_clops_using_subcommand config; and not __fish_seen_subcommand_from init check path help" -l no-color -d 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
complete -c clops -n "__fish_clops_using_subcommand config; and not __fish_seen_subcommand_from init check path help" -l read-only -d 'Refuse every change: silences, acks, runbook steps'
complete -c clops -n "__fish_clops_using_subcommand config; and not __fish_seen_subcommand_from init check path help" -s v -l verbose -d 'Log more (repeat for more); logs go to a file, never the terminal'
complete -c clops -n "__fish_clops_using_subcommand config; and not __fish_seen_subcommand_from init check path help" -s h -l help -d 'Print help'
complete -c clops -n "__fish_clops_using_subcommand config; and not __fish_seen_subcommand_from init check path help" -f -a "init" -d 'Write a commented example config to the config path'
complete -c clops -n "__fish_clops_using_subcommand config; and not __fish_seen_subcommand_from init check path help" -f -a "check" -d 'Validate the config file'
complete -c clops -n "__fish_clops_using_subcommand config; and not __fish_seen_subcommand_from init check path help" -f -a "path" -d 'Print where the config file is looked for'
complete -c clops -n "__fish_clops_using_subcommand config; and not __fish_seen_subcommand_from init check path help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c clops -n "__fish_clops_using_subcommand config; and __fish_seen_subcommand_from init" -l config -d 'Config file to read instead of the default (see `clops config path`)' -r -F
complete -c clops -n "__fish_clops_using_subcommand config; and __fish_seen_subcommand_from init" -l data-dir -d 'Where clops keeps its data (incidents, run logs)' -r -F
complete -c clops -n "__fish_clops_using_subcommand config; and __fish_seen_subcommand_from init" -l theme -d 'Console theme: default, light, high-contrast, mono, or one of your own' -r
complete -c clops -n "__fish_clops_using_subcommand config; and __fish_seen_subcommand_from init" -l stdout -d 'Print it instead of writing it'
complete -c clops -n "__fish_clops_using_subcommand config; and __fish_seen_subcommand_from init" -l force -d 'Overwrite an existing file'
complete -c clops -n "__fish_clops_using_subcommand config; and __fish_seen_subcommand_from init" -l no-color -d 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
complete -c clops -n "__fish_clops_using_subcommand config; and __fish_seen_subcommand_from init" -l read-only -d 'Refuse every change: silences, acks, runbook steps'
complete -c clops -n "__fish_clops_using_subcommand config; and __fish_seen_subcommand_from init" -s v -l verbose -d 'Log more (repeat for more); logs go to a file, never the terminal'
complete -c clops -n "__fish_clops_using_subcommand config; and __fish_seen_subcommand_from init" -s h -l help -d 'Print help'
complete -c clops -n "__fish_clops_using_subcommand config; and __fish_seen_subcommand_from check" -l config -d 'Config file to read instead of the default (see `clops config path`)' -r -F
complete -c clops -n "__fish_clops_using_subcommand config; and __fish_seen_subcommand_from check" -l data-dir -d 'Where clops keeps its data (incidents, run logs)' -r -F
complete -c clops -n "__fish_clops_using_subcommand config; and __fish_seen_subcommand_from check" -l theme -d 'Console theme: default, light, high-contrast, mono, or one of your own' -r
complete -c clops -n "__fish_clops_using_subcommand config; and __fish_seen_subcommand_from check" -l no-color -d 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
complete -c clops -n "__fish_clops_using_subcommand config; and __fish_seen_subcommand_from check" -l read-only -d 'Refuse every change: silences, acks, runbook steps'
complete -c clops -n "__fish_clops_using_subcommand config; and __fish_seen_subcommand_from check" -s v -l verbose -d 'Log more (repeat for more); logs go to a file, never the terminal'
complete -c clops -n "__fish_clops_using_subcommand config; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help'
complete -c clops -n "__fish_clops_using_subcommand config; and __fish_seen_subcommand_from path" -l config -d 'Config file to read instead of the default (see `clops config path`)' -r -F
complete -c clops -n "__fish_clops_using_subcommand config; and __fish_seen_subcommand_from path" -l data-dir -d 'Where clops keeps its data (incidents, run logs)' -r -F
complete -c clops -n "__fish_clops_using_subcommand config; and __fish_seen_subcommand_from path" -l theme -d 'Console theme: default, light, high-contrast, mono, or one of your own' -r
complete -c clops -n "__fish_clops_using_subcommand config; and __fish_seen_subcommand_from path" -l no-color -d 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
complete -c clops -n "__fish_clops_using_subcommand config; and __fish_seen_subcommand_from path" -l read-only -d 'Refuse every change: silences, acks, runbook steps'
complete -c clops -n "__fish_clops_using_subcommand config; and __fish_seen_subcommand_from path" -s v -l verbose -d 'Log more (repeat for more); logs go to a file, never the terminal'
complete -c clops -n "__fish_clops_using_subcommand config; and __fish_seen_subcommand_from path" -s h -l help -d 'Print help'
complete -c clops -n "__fish_clops_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "init" -d 'Write a commented example config to the config path'
complete -c clops -n "__fish_clops_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "check" -d 'Validate the config file'
complete -c clops -n "__fish_clops_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "path" -d 'Print where the config file is looked for'
complete -c clops -n "__fish_clops_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c clops -n "__fish_clops_using_subcommand auth; and not __fish_seen_subcommand_from set status help" -l config -d 'Config file to read instead of the default (see `clops config path`)' -r -F
complete -c clops -n "__fish_clops_using_subcommand auth; and not __fish_seen_subcommand_from set status help" -l data-dir -d 'Where clops keeps its data (incidents, run logs)' -r -F
complete -c clops -n "__fish_clops_using_subcommand auth; and not __fish_seen_subcommand_from set status help" -l theme -d 'Console theme: default, light, high-contrast, mono, or one of your own' -r
complete -c clops -n "__fish_clops_using_subcommand auth; and not __fish_seen_subcommand_from set status help" -l no-color -d 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
complete -c clops -n "__fish_clops_using_subcommand auth; and not __fish_seen_subcommand_from set status help" -l read-only -d 'Refuse every change: silences, acks, runbook steps'
complete -c clops -n "__fish_clops_using_subcommand auth; and not __fish_seen_subcommand_from set status help" -s v -l verbose -d 'Log more (repeat for more); logs go to a file, never the terminal'
complete -c clops -n "__fish_clops_using_subcommand auth; and not __fish_seen_subcommand_from set status help" -s h -l help -d 'Print help'
complete -c clops -n "__fish_clops_using_subcommand auth; and not __fish_seen_subcommand_from set status help" -f -a "set" -d 'Store a source\'s token (read from stdin)'
complete -c clops -n "__fish_clops_using_subcommand auth; and not __fish_seen_subcommand_from set status help" -f -a "status" -d 'Show which credential provider each source uses (never the token)'
complete -c clops -n "__fish_clops_using_subcommand auth; and not __fish_seen_subcommand_from set status help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c clops -n "__fish_clops_using_subcommand auth; and __fish_seen_subcommand_from set" -l config -d 'Config file to read instead of the default (see `clops config path`)' -r -F
complete -c clops -n "__fish_clops_using_subcommand auth; and __fish_seen_subcommand_from set" -l data-dir -d 'Where clops keeps its data (incidents, run logs)' -r -F
complete -c clops -n "__fish_clops_using_subcommand auth; and __fish_seen_subcommand_from set" -l theme -d 'Console theme: default, light, high-contrast, mono, or one of your own' -r
complete -c clops -n "__fish_clops_using_subcommand auth; and __fish_seen_subcommand_from set" -l no-color -d 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
complete -c clops -n "__fish_clops_using_subcommand auth; and __fish_seen_subcommand_from set" -l read-only -d 'Refuse every change: silences, acks, runbook steps'
complete -c clops -n "__fish_clops_using_subcommand auth; and __fish_seen_subcommand_from set" -s v -l verbose -d 'Log more (repeat for more); logs go to a file, never the terminal'
complete -c clops -n "__fish_clops_using_subcommand auth; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help'
complete -c clops -n "__fish_clops_using_subcommand auth; and __fish_seen_subcommand_from status" -l config -d 'Config file to read instead of the default (see `clops config path`)' -r -F
complete -c clops -n "__fish_clops_using_subcommand auth; and __fish_seen_subcommand_from status" -l data-dir -d 'Where clops keeps its data (incidents, run logs)' -r -F
complete -c clops -n "__fish_clops_using_subcommand auth; and __fish_seen_subcommand_from status" -l theme -d 'Console theme: default, light, high-contrast, mono, or one of your own' -r
complete -c clops -n "__fish_clops_using_subcommand auth; and __fish_seen_subcommand_from status" -l no-color -d 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
complete -c clops -n "__fish_clops_using_subcommand auth; and __fish_seen_subcommand_from status" -l read-only -d 'Refuse every change: silences, acks, runbook steps'
complete -c clops -n "__fish_clops_using_subcommand auth; and __fish_seen_subcommand_from status" -s v -l verbose -d 'Log more (repeat for more); logs go to a file, never the terminal'
complete -c clops -n "__fish_clops_using_subcommand auth; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help'
complete -c clops -n "__fish_clops_using_subcommand auth; and __fish_seen_subcommand_from help" -f -a "set" -d 'Store a source\'s token (read from stdin)'
complete -c clops -n "__fish_clops_using_subcommand auth; and __fish_seen_subcommand_from help" -f -a "status" -d 'Show which credential provider each source uses (never the token)'
complete -c clops -n "__fish_clops_using_subcommand auth; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c clops -n "__fish_clops_using_subcommand completions" -l config -d 'Config file to read instead of the default (see `clops config path`)' -r -F
complete -c clops -n "__fish_clops_using_subcommand completions" -l data-dir -d 'Where clops keeps its data (incidents, run logs)' -r -F
complete -c clops -n "__fish_clops_using_subcommand completions" -l theme -d 'Console theme: default, light, high-contrast, mono, or one of your own' -r
complete -c clops -n "__fish_clops_using_subcommand completions" -l no-color -d 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
complete -c clops -n "__fish_clops_using_subcommand completions" -l read-only -d 'Refuse every change: silences, acks, runbook steps'
complete -c clops -n "__fish_clops_using_subcommand completions" -s v -l verbose -d 'Log more (repeat for more); logs go to a file, never the terminal'
complete -c clops -n "__fish_clops_using_subcommand completions" -s h -l help -d 'Print help'
complete -c clops -n "__fish_clops_using_subcommand man" -l config -d 'Config file to read instead of the default (see `clops config path`)' -r -F
complete -c clops -n "__fish_clops_using_subcommand man" -l data-dir -d 'Where clops keeps its data (incidents, run logs)' -r -F
complete -c clops -n "__fish_clops_using_subcommand man" -l theme -d 'Console theme: default, light, high-contrast, mono, or one of your own' -r
complete -c clops -n "__fish_clops_using_subcommand man" -l no-color -d 'No colour at all (as NO_COLOR does): the mono theme, attributes only'
complete -c clops -n "__fish_clops_using_subcommand man" -l read-only -d 'Refuse every change: silences, acks, runbook steps'
complete -c clops -n "__fish_clops_using_subcommand man" -s v -l verbose -d 'Log more (repeat for more); logs go to a file, never the terminal'
complete -c clops -n "__fish_clops_using_subcommand man" -s h -l help -d 'Print help'
complete -c clops -n "__fish_clops_using_subcommand help; and not __fish_seen_subcommand_from demo alerts silence slo deploys deps incident runbook config auth completions man help" -f -a "demo" -d 'Open the console on the built-in simulated environment; no config needed'
complete -c clops -n "__fish_clops_using_subcommand help; and not __fish_seen_subcommand_from demo alerts silence slo deploys deps incident runbook config auth completions man help" -f -a "alerts" -d 'Fetch, deduplicate and group alerts once, and print them'
complete -c clops -n "__fish_clops_using_subcommand help; and not __fish_seen_subcommand_from demo alerts silence slo deploys deps incident runbook config auth completions man help" -f -a "silence" -d 'Alertmanager silences'
complete -c clops -n "__fish_clops_using_subcommand help; and not __fish_seen_subcommand_from demo alerts silence slo deploys deps incident runbook config auth completions man help" -f -a "slo" -d 'SLO burn rates and error budgets'
complete -c clops -n "__fish_clops_using_subcommand help; and not __fish_seen_subcommand_from demo alerts silence slo deploys deps incident runbook config auth completions man help" -f -a "deploys" -d 'Recent deploys'
complete -c clops -n "__fish_clops_using_subcommand help; and not __fish_seen_subcommand_from demo alerts silence slo deploys deps incident runbook config auth completions man help" -f -a "deps" -d 'The service dependency map'
complete -c clops -n "__fish_clops_using_subcommand help; and not __fish_seen_subcommand_from demo alerts silence slo deploys deps incident runbook config auth completions man help" -f -a "incident" -d 'Declare and run incidents; export postmortems'
complete -c clops -n "__fish_clops_using_subcommand help; and not __fish_seen_subcommand_from demo alerts silence slo deploys deps incident runbook config auth completions man help" -f -a "runbook" -d 'Find and run runbooks'
complete -c clops -n "__fish_clops_using_subcommand help; and not __fish_seen_subcommand_from demo alerts silence slo deploys deps incident runbook config auth completions man help" -f -a "config" -d 'Write, check or locate the config file'
complete -c clops -n "__fish_clops_using_subcommand help; and not __fish_seen_subcommand_from demo alerts silence slo deploys deps incident runbook config auth completions man help" -f -a "auth" -d 'Store and inspect source credentials'
complete -c clops -n "__fish_clops_using_subcommand help; and not __fish_seen_subcommand_from demo alerts silence slo deploys deps incident runbook config auth completions man help" -f -a "completions" -d 'Print a shell completion script'
complete -c clops -n "__fish_clops_using_subcommand help; and not __fish_seen_subcommand_from demo alerts silence slo deploys deps incident runbook config auth completions man help" -f -a "man" -d 'Print the man page (roff)'
complete -c clops -n "__fish_clops_using_subcommand help; and not __fish_seen_subcommand_from demo alerts silence slo deploys deps incident runbook config auth completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c clops -n "__fish_clops_using_subcommand help; and __fish_seen_subcommand_from silence" -f -a "add" -d 'Create a silence, read it back from every peer, and print its id'
complete -c clops -n "__fish_clops_using_subcommand help; and __fish_seen_subcommand_from silence" -f -a "extend" -d 'Make a silence end later, and read it back from every peer'
complete -c clops -n "__fish_clops_using_subcommand help; and __fish_seen_subcommand_from silence" -f -a "list" -d 'List silences'
complete -c clops -n "__fish_clops_using_subcommand help; and __fish_seen_subcommand_from silence" -f -a "expire" -d 'Expire a silence now'
complete -c clops -n "__fish_clops_using_subcommand help; and __fish_seen_subcommand_from incident" -f -a "declare" -d 'Declare an incident; prints its id'
complete -c clops -n "__fish_clops_using_subcommand help; and __fish_seen_subcommand_from incident" -f -a "list" -d 'List incidents'
complete -c clops -n "__fish_clops_using_subcommand help; and __fish_seen_subcommand_from incident" -f -a "show" -d 'Show one incident and its timeline'
complete -c clops -n "__fish_clops_using_subcommand help; and __fish_seen_subcommand_from incident" -f -a "note" -d 'Add a note to the timeline'
complete -c clops -n "__fish_clops_using_subcommand help; and __fish_seen_subcommand_from incident" -f -a "status" -d 'Change the status'
complete -c clops -n "__fish_clops_using_subcommand help; and __fish_seen_subcommand_from incident" -f -a "assign" -d 'Give someone a role (commander, scribe, comms, ops)'
complete -c clops -n "__fish_clops_using_subcommand help; and __fish_seen_subcommand_from incident" -f -a "attach" -d 'Attach an alert to the incident'
complete -c clops -n "__fish_clops_using_subcommand help; and __fish_seen_subcommand_from incident" -f -a "action" -d 'Record an action item'
complete -c clops -n "__fish_clops_using_subcommand help; and __fish_seen_subcommand_from incident" -f -a "export" -d 'Export the postmortem draft or the timeline'
complete -c clops -n "__fish_clops_using_subcommand help; and __fish_seen_subcommand_from incident" -f -a "stats" -d 'Incident counts, time to acknowledge and to resolve'
complete -c clops -n "__fish_clops_using_subcommand help; and __fish_seen_subcommand_from runbook" -f -a "list" -d 'List runbooks: name, title, the alerts they serve, steps'
complete -c clops -n "__fish_clops_using_subcommand help; and __fish_seen_subcommand_from runbook" -f -a "show" -d 'Show a runbook\'s steps and the commands they run'
complete -c clops -n "__fish_clops_using_subcommand help; and __fish_seen_subcommand_from runbook" -f -a "run" -d 'Run a runbook\'s steps in order, stopping at the first that fails'
complete -c clops -n "__fish_clops_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "init" -d 'Write a commented example config to the config path'
complete -c clops -n "__fish_clops_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "check" -d 'Validate the config file'
complete -c clops -n "__fish_clops_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "path" -d 'Print where the config file is looked for'
complete -c clops -n "__fish_clops_using_subcommand help; and __fish_seen_subcommand_from auth" -f -a "set" -d 'Store a source\'s token (read from stdin)'
complete -c clops -n "__fish_clops_using_subcommand help; and __fish_seen_subcommand_from auth" -f -a "status" -d 'Show which credential provider each source uses (never the token)'
