
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'clops' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'clops'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'clops' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default (see `clops config path`)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Where clops keeps its data (incidents, run logs)')
            [CompletionResult]::new('--theme', '--theme', [CompletionResultType]::ParameterName, 'Console theme: default, light, high-contrast, mono, or one of your own')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour at all (as NO_COLOR does): the mono theme, attributes only')
            [CompletionResult]::new('--read-only', '--read-only', [CompletionResultType]::ParameterName, 'Refuse every change: silences, acks, runbook steps')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Open the console on the built-in simulated environment; no config needed')
            [CompletionResult]::new('alerts', 'alerts', [CompletionResultType]::ParameterValue, 'Fetch, deduplicate and group alerts once, and print them')
            [CompletionResult]::new('silence', 'silence', [CompletionResultType]::ParameterValue, 'Alertmanager silences')
            [CompletionResult]::new('slo', 'slo', [CompletionResultType]::ParameterValue, 'SLO burn rates and error budgets')
            [CompletionResult]::new('deploys', 'deploys', [CompletionResultType]::ParameterValue, 'Recent deploys')
            [CompletionResult]::new('deps', 'deps', [CompletionResultType]::ParameterValue, 'The service dependency map')
            [CompletionResult]::new('incident', 'incident', [CompletionResultType]::ParameterValue, 'Declare and run incidents; export postmortems')
            [CompletionResult]::new('runbook', 'runbook', [CompletionResultType]::ParameterValue, 'Find and run runbooks')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Write, check or locate the config file')
            [CompletionResult]::new('auth', 'auth', [CompletionResultType]::ParameterValue, 'Store and inspect source credentials')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'clops;demo' {
            [CompletionResult]::new('--scenario', '--scenario', [CompletionResultType]::ParameterName, 'Which scripted incident to play')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed of the simulated environment; the same seed plays the same story')
            [CompletionResult]::new('--speed', '--speed', [CompletionResultType]::ParameterName, 'Run the simulation this many times faster than real time')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default (see `clops config path`)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Where clops keeps its data (incidents, run logs)')
            [CompletionResult]::new('--theme', '--theme', [CompletionResultType]::ParameterName, 'Console theme: default, light, high-contrast, mono, or one of your own')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour at all (as NO_COLOR does): the mono theme, attributes only')
            [CompletionResult]::new('--read-only', '--read-only', [CompletionResultType]::ParameterName, 'Refuse every change: silences, acks, runbook steps')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'clops;alerts' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'Keep only matching alerts: label matchers (`severity=critical,cluster=~prod-.*`, also `!=` and `!~`), or words matched fuzzily like the console''s `/`')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default (see `clops config path`)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Where clops keeps its data (incidents, run logs)')
            [CompletionResult]::new('--theme', '--theme', [CompletionResultType]::ParameterName, 'Console theme: default, light, high-contrast, mono, or one of your own')
            [CompletionResult]::new('--demo', '--demo', [CompletionResultType]::ParameterName, 'Read the built-in simulated environment instead of the configured sources')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour at all (as NO_COLOR does): the mono theme, attributes only')
            [CompletionResult]::new('--read-only', '--read-only', [CompletionResultType]::ParameterName, 'Refuse every change: silences, acks, runbook steps')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'clops;silence' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default (see `clops config path`)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Where clops keeps its data (incidents, run logs)')
            [CompletionResult]::new('--theme', '--theme', [CompletionResultType]::ParameterName, 'Console theme: default, light, high-contrast, mono, or one of your own')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour at all (as NO_COLOR does): the mono theme, attributes only')
            [CompletionResult]::new('--read-only', '--read-only', [CompletionResultType]::ParameterName, 'Refuse every change: silences, acks, runbook steps')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Create a silence, read it back from every peer, and print its id')
            [CompletionResult]::new('extend', 'extend', [CompletionResultType]::ParameterValue, 'Make a silence end later, and read it back from every peer')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List silences')
            [CompletionResult]::new('expire', 'expire', [CompletionResultType]::ParameterValue, 'Expire a silence now')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'clops;silence;add' {
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'The Alertmanager source to silence in')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Label matchers as Alertmanager reads them: alertname=HighErrorRate, ''service=~"api|web"'', ''{cluster="eu",job!="node"}'' (repeatable)')
            [CompletionResult]::new('--matcher', '--matcher', [CompletionResultType]::ParameterName, 'Label matchers as Alertmanager reads them: alertname=HighErrorRate, ''service=~"api|web"'', ''{cluster="eu",job!="node"}'' (repeatable)')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'How long the silence lasts')
            [CompletionResult]::new('--comment', '--comment', [CompletionResultType]::ParameterName, 'Why')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default (see `clops config path`)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Where clops keeps its data (incidents, run logs)')
            [CompletionResult]::new('--theme', '--theme', [CompletionResultType]::ParameterName, 'Console theme: default, light, high-contrast, mono, or one of your own')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Create nothing: show the matchers as Alertmanager will store them and the alerts they cover now')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour at all (as NO_COLOR does): the mono theme, attributes only')
            [CompletionResult]::new('--read-only', '--read-only', [CompletionResultType]::ParameterName, 'Refuse every change: silences, acks, runbook steps')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'clops;silence;extend' {
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'The Alertmanager source the silence lives in')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default (see `clops config path`)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Where clops keeps its data (incidents, run logs)')
            [CompletionResult]::new('--theme', '--theme', [CompletionResultType]::ParameterName, 'Console theme: default, light, high-contrast, mono, or one of your own')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour at all (as NO_COLOR does): the mono theme, attributes only')
            [CompletionResult]::new('--read-only', '--read-only', [CompletionResultType]::ParameterName, 'Refuse every change: silences, acks, runbook steps')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'clops;silence;list' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default (see `clops config path`)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Where clops keeps its data (incidents, run logs)')
            [CompletionResult]::new('--theme', '--theme', [CompletionResultType]::ParameterName, 'Console theme: default, light, high-contrast, mono, or one of your own')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour at all (as NO_COLOR does): the mono theme, attributes only')
            [CompletionResult]::new('--read-only', '--read-only', [CompletionResultType]::ParameterName, 'Refuse every change: silences, acks, runbook steps')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'clops;silence;expire' {
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'The Alertmanager source the silence lives in')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default (see `clops config path`)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Where clops keeps its data (incidents, run logs)')
            [CompletionResult]::new('--theme', '--theme', [CompletionResultType]::ParameterName, 'Console theme: default, light, high-contrast, mono, or one of your own')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour at all (as NO_COLOR does): the mono theme, attributes only')
            [CompletionResult]::new('--read-only', '--read-only', [CompletionResultType]::ParameterName, 'Refuse every change: silences, acks, runbook steps')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'clops;silence;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Create a silence, read it back from every peer, and print its id')
            [CompletionResult]::new('extend', 'extend', [CompletionResultType]::ParameterValue, 'Make a silence end later, and read it back from every peer')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List silences')
            [CompletionResult]::new('expire', 'expire', [CompletionResultType]::ParameterValue, 'Expire a silence now')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'clops;silence;help;add' {
            break
        }
        'clops;silence;help;extend' {
            break
        }
        'clops;silence;help;list' {
            break
        }
        'clops;silence;help;expire' {
            break
        }
        'clops;silence;help;help' {
            break
        }
        'clops;slo' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default (see `clops config path`)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Where clops keeps its data (incidents, run logs)')
            [CompletionResult]::new('--theme', '--theme', [CompletionResultType]::ParameterName, 'Console theme: default, light, high-contrast, mono, or one of your own')
            [CompletionResult]::new('--demo', '--demo', [CompletionResultType]::ParameterName, 'Read the built-in simulated environment')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour at all (as NO_COLOR does): the mono theme, attributes only')
            [CompletionResult]::new('--read-only', '--read-only', [CompletionResultType]::ParameterName, 'Refuse every change: silences, acks, runbook steps')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'clops;deploys' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'How far back to look: 30m, 6h, 2d…')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default (see `clops config path`)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Where clops keeps its data (incidents, run logs)')
            [CompletionResult]::new('--theme', '--theme', [CompletionResultType]::ParameterName, 'Console theme: default, light, high-contrast, mono, or one of your own')
            [CompletionResult]::new('--demo', '--demo', [CompletionResultType]::ParameterName, 'Read the built-in simulated environment')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour at all (as NO_COLOR does): the mono theme, attributes only')
            [CompletionResult]::new('--read-only', '--read-only', [CompletionResultType]::ParameterName, 'Refuse every change: silences, acks, runbook steps')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'clops;deps' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default (see `clops config path`)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Where clops keeps its data (incidents, run logs)')
            [CompletionResult]::new('--theme', '--theme', [CompletionResultType]::ParameterName, 'Console theme: default, light, high-contrast, mono, or one of your own')
            [CompletionResult]::new('--demo', '--demo', [CompletionResultType]::ParameterName, 'Read the built-in simulated environment')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour at all (as NO_COLOR does): the mono theme, attributes only')
            [CompletionResult]::new('--read-only', '--read-only', [CompletionResultType]::ParameterName, 'Refuse every change: silences, acks, runbook steps')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'clops;incident' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default (see `clops config path`)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Where clops keeps its data (incidents, run logs)')
            [CompletionResult]::new('--theme', '--theme', [CompletionResultType]::ParameterName, 'Console theme: default, light, high-contrast, mono, or one of your own')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour at all (as NO_COLOR does): the mono theme, attributes only')
            [CompletionResult]::new('--read-only', '--read-only', [CompletionResultType]::ParameterName, 'Refuse every change: silences, acks, runbook steps')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('declare', 'declare', [CompletionResultType]::ParameterValue, 'Declare an incident; prints its id')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List incidents')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one incident and its timeline')
            [CompletionResult]::new('note', 'note', [CompletionResultType]::ParameterValue, 'Add a note to the timeline')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Change the status')
            [CompletionResult]::new('assign', 'assign', [CompletionResultType]::ParameterValue, 'Give someone a role (commander, scribe, comms, ops)')
            [CompletionResult]::new('attach', 'attach', [CompletionResultType]::ParameterValue, 'Attach an alert to the incident')
            [CompletionResult]::new('action', 'action', [CompletionResultType]::ParameterValue, 'Record an action item')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export the postmortem draft or the timeline')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Incident counts, time to acknowledge and to resolve')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'clops;incident;declare' {
            [CompletionResult]::new('--title', '--title', [CompletionResultType]::ParameterName, 'What is happening, in a few words')
            [CompletionResult]::new('--severity', '--severity', [CompletionResultType]::ParameterName, 'How bad it is')
            [CompletionResult]::new('--commander', '--commander', [CompletionResultType]::ParameterName, 'Who runs the incident (default: you)')
            [CompletionResult]::new('--started', '--started', [CompletionResultType]::ParameterName, 'When the impact began, if known: an RFC 3339 time or how long ago (45m)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default (see `clops config path`)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Where clops keeps its data (incidents, run logs)')
            [CompletionResult]::new('--theme', '--theme', [CompletionResultType]::ParameterName, 'Console theme: default, light, high-contrast, mono, or one of your own')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour at all (as NO_COLOR does): the mono theme, attributes only')
            [CompletionResult]::new('--read-only', '--read-only', [CompletionResultType]::ParameterName, 'Refuse every change: silences, acks, runbook steps')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'clops;incident;list' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default (see `clops config path`)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Where clops keeps its data (incidents, run logs)')
            [CompletionResult]::new('--theme', '--theme', [CompletionResultType]::ParameterName, 'Console theme: default, light, high-contrast, mono, or one of your own')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour at all (as NO_COLOR does): the mono theme, attributes only')
            [CompletionResult]::new('--read-only', '--read-only', [CompletionResultType]::ParameterName, 'Refuse every change: silences, acks, runbook steps')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'clops;incident;show' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default (see `clops config path`)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Where clops keeps its data (incidents, run logs)')
            [CompletionResult]::new('--theme', '--theme', [CompletionResultType]::ParameterName, 'Console theme: default, light, high-contrast, mono, or one of your own')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour at all (as NO_COLOR does): the mono theme, attributes only')
            [CompletionResult]::new('--read-only', '--read-only', [CompletionResultType]::ParameterName, 'Refuse every change: silences, acks, runbook steps')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'clops;incident;note' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default (see `clops config path`)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Where clops keeps its data (incidents, run logs)')
            [CompletionResult]::new('--theme', '--theme', [CompletionResultType]::ParameterName, 'Console theme: default, light, high-contrast, mono, or one of your own')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour at all (as NO_COLOR does): the mono theme, attributes only')
            [CompletionResult]::new('--read-only', '--read-only', [CompletionResultType]::ParameterName, 'Refuse every change: silences, acks, runbook steps')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'clops;incident;status' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default (see `clops config path`)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Where clops keeps its data (incidents, run logs)')
            [CompletionResult]::new('--theme', '--theme', [CompletionResultType]::ParameterName, 'Console theme: default, light, high-contrast, mono, or one of your own')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour at all (as NO_COLOR does): the mono theme, attributes only')
            [CompletionResult]::new('--read-only', '--read-only', [CompletionResultType]::ParameterName, 'Refuse every change: silences, acks, runbook steps')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'clops;incident;assign' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default (see `clops config path`)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Where clops keeps its data (incidents, run logs)')
            [CompletionResult]::new('--theme', '--theme', [CompletionResultType]::ParameterName, 'Console theme: default, light, high-contrast, mono, or one of your own')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour at all (as NO_COLOR does): the mono theme, attributes only')
            [CompletionResult]::new('--read-only', '--read-only', [CompletionResultType]::ParameterName, 'Refuse every change: silences, acks, runbook steps')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'clops;incident;attach' {
            [CompletionResult]::new('--alert', '--alert', [CompletionResultType]::ParameterName, 'Fingerprint of the alert')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default (see `clops config path`)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Where clops keeps its data (incidents, run logs)')
            [CompletionResult]::new('--theme', '--theme', [CompletionResultType]::ParameterName, 'Console theme: default, light, high-contrast, mono, or one of your own')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour at all (as NO_COLOR does): the mono theme, attributes only')
            [CompletionResult]::new('--read-only', '--read-only', [CompletionResultType]::ParameterName, 'Refuse every change: silences, acks, runbook steps')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'clops;incident;action' {
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'Who owns it')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Kind of action')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default (see `clops config path`)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Where clops keeps its data (incidents, run logs)')
            [CompletionResult]::new('--theme', '--theme', [CompletionResultType]::ParameterName, 'Console theme: default, light, high-contrast, mono, or one of your own')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour at all (as NO_COLOR does): the mono theme, attributes only')
            [CompletionResult]::new('--read-only', '--read-only', [CompletionResultType]::ParameterName, 'Refuse every change: silences, acks, runbook steps')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'clops;incident;export' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'md: postmortem draft; json: the timeline')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write to this file instead of stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write to this file instead of stdout')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default (see `clops config path`)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Where clops keeps its data (incidents, run logs)')
            [CompletionResult]::new('--theme', '--theme', [CompletionResultType]::ParameterName, 'Console theme: default, light, high-contrast, mono, or one of your own')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour at all (as NO_COLOR does): the mono theme, attributes only')
            [CompletionResult]::new('--read-only', '--read-only', [CompletionResultType]::ParameterName, 'Refuse every change: silences, acks, runbook steps')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'clops;incident;stats' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'How far back to look')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default (see `clops config path`)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Where clops keeps its data (incidents, run logs)')
            [CompletionResult]::new('--theme', '--theme', [CompletionResultType]::ParameterName, 'Console theme: default, light, high-contrast, mono, or one of your own')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour at all (as NO_COLOR does): the mono theme, attributes only')
            [CompletionResult]::new('--read-only', '--read-only', [CompletionResultType]::ParameterName, 'Refuse every change: silences, acks, runbook steps')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'clops;incident;help' {
            [CompletionResult]::new('declare', 'declare', [CompletionResultType]::ParameterValue, 'Declare an incident; prints its id')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List incidents')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one incident and its timeline')
            [CompletionResult]::new('note', 'note', [CompletionResultType]::ParameterValue, 'Add a note to the timeline')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Change the status')
            [CompletionResult]::new('assign', 'assign', [CompletionResultType]::ParameterValue, 'Give someone a role (commander, scribe, comms, ops)')
            [CompletionResult]::new('attach', 'attach', [CompletionResultType]::ParameterValue, 'Attach an alert to the incident')
            [CompletionResult]::new('action', 'action', [CompletionResultType]::ParameterValue, 'Record an action item')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export the postmortem draft or the timeline')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Incident counts, time to acknowledge and to resolve')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'clops;incident;help;declare' {
            break
        }
        'clops;incident;help;list' {
            break
        }
        'clops;incident;help;show' {
            break
        }
        'clops;incident;help;note' {
            break
        }
        'clops;incident;help;status' {
            break
        }
        'clops;incident;help;assign' {
            break
        }
        'clops;incident;help;attach' {
            break
        }
        'clops;incident;help;action' {
            break
        }
        'clops;incident;help;export' {
            break
        }
        'clops;incident;help;stats' {
            break
        }
        'clops;incident;help;help' {
            break
        }
        'clops;runbook' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default (see `clops config path`)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Where clops keeps its data (incidents, run logs)')
            [CompletionResult]::new('--theme', '--theme', [CompletionResultType]::ParameterName, 'Console theme: default, light, high-contrast, mono, or one of your own')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour at all (as NO_COLOR does): the mono theme, attributes only')
            [CompletionResult]::new('--read-only', '--read-only', [CompletionResultType]::ParameterName, 'Refuse every change: silences, acks, runbook steps')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List runbooks: name, title, the alerts they serve, steps')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a runbook''s steps and the commands they run')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a runbook''s steps in order, stopping at the first that fails')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'clops;runbook;list' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default (see `clops config path`)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Where clops keeps its data (incidents, run logs)')
            [CompletionResult]::new('--theme', '--theme', [CompletionResultType]::ParameterName, 'Console theme: default, light, high-contrast, mono, or one of your own')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour at all (as NO_COLOR does): the mono theme, attributes only')
            [CompletionResult]::new('--read-only', '--read-only', [CompletionResultType]::ParameterName, 'Refuse every change: silences, acks, runbook steps')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'clops;runbook;show' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default (see `clops config path`)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Where clops keeps its data (incidents, run logs)')
            [CompletionResult]::new('--theme', '--theme', [CompletionResultType]::ParameterName, 'Console theme: default, light, high-contrast, mono, or one of your own')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour at all (as NO_COLOR does): the mono theme, attributes only')
            [CompletionResult]::new('--read-only', '--read-only', [CompletionResultType]::ParameterName, 'Refuse every change: silences, acks, runbook steps')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'clops;runbook;run' {
            [CompletionResult]::new('--incident', '--incident', [CompletionResultType]::ParameterName, 'Record the steps in this incident''s timeline')
            [CompletionResult]::new('--label', '--label', [CompletionResultType]::ParameterName, 'Alert label handed to the steps as CLOPS_LABEL_<K> (repeatable; wins over the same label of --alert)')
            [CompletionResult]::new('--alert', '--alert', [CompletionResultType]::ParameterName, 'Hand the steps the labels of this alert, as the configured sources report it now (its fingerprint, as `clops alerts -o json` shows it)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default (see `clops config path`)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Where clops keeps its data (incidents, run logs)')
            [CompletionResult]::new('--theme', '--theme', [CompletionResultType]::ParameterName, 'Console theme: default, light, high-contrast, mono, or one of your own')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Run every step without asking (needed when stdin is not a terminal)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would run and run nothing')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour at all (as NO_COLOR does): the mono theme, attributes only')
            [CompletionResult]::new('--read-only', '--read-only', [CompletionResultType]::ParameterName, 'Refuse every change: silences, acks, runbook steps')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'clops;runbook;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List runbooks: name, title, the alerts they serve, steps')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a runbook''s steps and the commands they run')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a runbook''s steps in order, stopping at the first that fails')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'clops;runbook;help;list' {
            break
        }
        'clops;runbook;help;show' {
            break
        }
        'clops;runbook;help;run' {
            break
        }
        'clops;runbook;help;help' {
            break
        }
        'clops;config' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default (see `clops config path`)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Where clops keeps its data (incidents, run logs)')
            [CompletionResult]::new('--theme', '--theme', [CompletionResultType]::ParameterName, 'Console theme: default, light, high-contrast, mono, or one of your own')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour at all (as NO_COLOR does): the mono theme, attributes only')
            [CompletionResult]::new('--read-only', '--read-only', [CompletionResultType]::ParameterName, 'Refuse every change: silences, acks, runbook steps')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a commented example config to the config path')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Validate the config file')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print where the config file is looked for')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'clops;config;init' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default (see `clops config path`)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Where clops keeps its data (incidents, run logs)')
            [CompletionResult]::new('--theme', '--theme', [CompletionResultType]::ParameterName, 'Console theme: default, light, high-contrast, mono, or one of your own')
            [CompletionResult]::new('--stdout', '--stdout', [CompletionResultType]::ParameterName, 'Print it instead of writing it')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Overwrite an existing file')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour at all (as NO_COLOR does): the mono theme, attributes only')
            [CompletionResult]::new('--read-only', '--read-only', [CompletionResultType]::ParameterName, 'Refuse every change: silences, acks, runbook steps')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'clops;config;check' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default (see `clops config path`)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Where clops keeps its data (incidents, run logs)')
            [CompletionResult]::new('--theme', '--theme', [CompletionResultType]::ParameterName, 'Console theme: default, light, high-contrast, mono, or one of your own')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour at all (as NO_COLOR does): the mono theme, attributes only')
            [CompletionResult]::new('--read-only', '--read-only', [CompletionResultType]::ParameterName, 'Refuse every change: silences, acks, runbook steps')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'clops;config;path' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default (see `clops config path`)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Where clops keeps its data (incidents, run logs)')
            [CompletionResult]::new('--theme', '--theme', [CompletionResultType]::ParameterName, 'Console theme: default, light, high-contrast, mono, or one of your own')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour at all (as NO_COLOR does): the mono theme, attributes only')
            [CompletionResult]::new('--read-only', '--read-only', [CompletionResultType]::ParameterName, 'Refuse every change: silences, acks, runbook steps')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'clops;config;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a commented example config to the config path')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Validate the config file')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print where the config file is looked for')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'clops;config;help;init' {
            break
        }
        'clops;config;help;check' {
            break
        }
        'clops;config;help;path' {
            break
        }
        'clops;config;help;help' {
            break
        }
        'clops;auth' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default (see `clops config path`)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Where clops keeps its data (incidents, run logs)')
            [CompletionResult]::new('--theme', '--theme', [CompletionResultType]::ParameterName, 'Console theme: default, light, high-contrast, mono, or one of your own')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour at all (as NO_COLOR does): the mono theme, attributes only')
            [CompletionResult]::new('--read-only', '--read-only', [CompletionResultType]::ParameterName, 'Refuse every change: silences, acks, runbook steps')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Store a source''s token (read from stdin)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show which credential provider each source uses (never the token)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'clops;auth;set' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default (see `clops config path`)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Where clops keeps its data (incidents, run logs)')
            [CompletionResult]::new('--theme', '--theme', [CompletionResultType]::ParameterName, 'Console theme: default, light, high-contrast, mono, or one of your own')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour at all (as NO_COLOR does): the mono theme, attributes only')
            [CompletionResult]::new('--read-only', '--read-only', [CompletionResultType]::ParameterName, 'Refuse every change: silences, acks, runbook steps')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'clops;auth;status' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default (see `clops config path`)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Where clops keeps its data (incidents, run logs)')
            [CompletionResult]::new('--theme', '--theme', [CompletionResultType]::ParameterName, 'Console theme: default, light, high-contrast, mono, or one of your own')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour at all (as NO_COLOR does): the mono theme, attributes only')
            [CompletionResult]::new('--read-only', '--read-only', [CompletionResultType]::ParameterName, 'Refuse every change: silences, acks, runbook steps')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'clops;auth;help' {
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Store a source''s token (read from stdin)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show which credential provider each source uses (never the token)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'clops;auth;help;set' {
            break
        }
        'clops;auth;help;status' {
            break
        }
        'clops;auth;help;help' {
            break
        }
        'clops;completions' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default (see `clops config path`)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Where clops keeps its data (incidents, run logs)')
            [CompletionResult]::new('--theme', '--theme', [CompletionResultType]::ParameterName, 'Console theme: default, light, high-contrast, mono, or one of your own')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour at all (as NO_COLOR does): the mono theme, attributes only')
            [CompletionResult]::new('--read-only', '--read-only', [CompletionResultType]::ParameterName, 'Refuse every change: silences, acks, runbook steps')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'clops;man' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default (see `clops config path`)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Where clops keeps its data (incidents, run logs)')
            [CompletionResult]::new('--theme', '--theme', [CompletionResultType]::ParameterName, 'Console theme: default, light, high-contrast, mono, or one of your own')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour at all (as NO_COLOR does): the mono theme, attributes only')
            [CompletionResult]::new('--read-only', '--read-only', [CompletionResultType]::ParameterName, 'Refuse every change: silences, acks, runbook steps')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more (repeat for more); logs go to a file, never the terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'clops;help' {
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Open the console on the built-in simulated environment; no config needed')
            [CompletionResult]::new('alerts', 'alerts', [CompletionResultType]::ParameterValue, 'Fetch, deduplicate and group alerts once, and print them')
            [CompletionResult]::new('silence', 'silence', [CompletionResultType]::ParameterValue, 'Alertmanager silences')
            [CompletionResult]::new('slo', 'slo', [CompletionResultType]::ParameterValue, 'SLO burn rates and error budgets')
            [CompletionResult]::new('deploys', 'deploys', [CompletionResultType]::ParameterValue, 'Recent deploys')
            [CompletionResult]::new('deps', 'deps', [CompletionResultType]::ParameterValue, 'The service dependency map')
            [CompletionResult]::new('incident', 'incident', [CompletionResultType]::ParameterValue, 'Declare and run incidents; export postmortems')
            [CompletionResult]::new('runbook', 'runbook', [CompletionResultType]::ParameterValue, 'Find and run runbooks')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Write, check or locate the config file')
            [CompletionResult]::new('auth', 'auth', [CompletionResultType]::ParameterValue, 'Store and inspect source credentials')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'clops;help;demo' {
            break
        }
        'clops;help;alerts' {
            break
        }
        'clops;help;silence' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Create a silence, read it back from every peer, and print its id')
            [CompletionResult]::new('extend', 'extend', [CompletionResultType]::ParameterValue, 'Make a silence end later, and read it back from every peer')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List silences')
            [CompletionResult]::new('expire', 'expire', [CompletionResultType]::ParameterValue, 'Expire a silence now')
            break
        }
        'clops;help;silence;add' {
            break
        }
        'clops;help;silence;extend' {
            break
        }
        'clops;help;silence;list' {
            break
        }
        'clops;help;silence;expire' {
            break
        }
        'clops;help;slo' {
            break
        }
        'clops;help;deploys' {
            break
        }
        'clops;help;deps' {
            break
        }
        'clops;help;incident' {
            [CompletionResult]::new('declare', 'declare', [CompletionResultType]::ParameterValue, 'Declare an incident; prints its id')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List incidents')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one incident and its timeline')
            [CompletionResult]::new('note', 'note', [CompletionResultType]::ParameterValue, 'Add a note to the timeline')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Change the status')
            [CompletionResult]::new('assign', 'assign', [CompletionResultType]::ParameterValue, 'Give someone a role (commander, scribe, comms, ops)')
            [CompletionResult]::new('attach', 'attach', [CompletionResultType]::ParameterValue, 'Attach an alert to the incident')
            [CompletionResult]::new('action', 'action', [CompletionResultType]::ParameterValue, 'Record an action item')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export the postmortem draft or the timeline')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Incident counts, time to acknowledge and to resolve')
            break
        }
        'clops;help;incident;declare' {
            break
        }
        'clops;help;incident;list' {
            break
        }
        'clops;help;incident;show' {
            break
        }
        'clops;help;incident;note' {
            break
        }
        'clops;help;incident;status' {
            break
        }
        'clops;help;incident;assign' {
            break
        }
        'clops;help;incident;attach' {
            break
        }
        'clops;help;incident;action' {
            break
        }
        'clops;help;incident;export' {
            break
        }
        'clops;help;incident;stats' {
            break
        }
        'clops;help;runbook' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List runbooks: name, title, the alerts they serve, steps')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a runbook''s steps and the commands they run')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a runbook''s steps in order, stopping at the first that fails')
            break
        }
        'clops;help;runbook;list' {
            break
        }
        'clops;help;runbook;show' {
            break
        }
        'clops;help;runbook;run' {
            break
        }
        'clops;help;config' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a commented example config to the config path')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Validate the config file')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print where the config file is looked for')
            break
        }
        'clops;help;config;init' {
            break
        }
        'clops;help;config;check' {
            break
        }
        'clops;help;config;path' {
            break
        }
        'clops;help;auth' {
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Store a source''s token (read from stdin)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show which credential provider each source uses (never the token)')
            break
        }
        'clops;help;auth;set' {
            break
        }
        'clops;help;auth;status' {
            break
        }
        'clops;help;completions' {
            break
        }
        'clops;help;man' {
            break
        }
        'clops;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
