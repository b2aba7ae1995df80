
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'symflow' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'symflow'
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
        'symflow' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what symflow is doing (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what symflow is doing (repeat for more)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a value that would be asked for is an error naming its flag')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Scaffold a new Sym module (main.tf, impl.py, tests) from templates')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Lint Terraform and impl.py against Sym''s schema and SDK')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Run flow logic locally against tests/*.symtest.hcl scenarios')
            [CompletionResult]::new('deploy', 'deploy', [CompletionResultType]::ParameterValue, 'Plan and push the module''s Sym resources to the Sym API')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Store a Sym API token for deploy (read from standard input)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'symflow;init' {
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Sym org slug (provider "sym" org)')
            [CompletionResult]::new('--environment', '--environment', [CompletionResultType]::ParameterName, 'Environment name')
            [CompletionResult]::new('--slack-workspace-id', '--slack-workspace-id', [CompletionResultType]::ParameterName, 'Slack workspace ID, like T0123ABCD')
            [CompletionResult]::new('--flow-name', '--flow-name', [CompletionResultType]::ParameterName, 'Name of the flow to create')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Kind of flow')
            [CompletionResult]::new('--add-flow', '--add-flow', [CompletionResultType]::ParameterName, 'Add a flow NAME to the existing module in DIR instead of creating one')
            [CompletionResult]::new('--template-dir', '--template-dir', [CompletionResultType]::ParameterName, 'Render your organisation''s own templates from DIR')
            [CompletionResult]::new('--okta-domain', '--okta-domain', [CompletionResultType]::ParameterName, 'Okta domain, like acme.okta.com (okta)')
            [CompletionResult]::new('--okta-group-id', '--okta-group-id', [CompletionResultType]::ParameterName, 'Okta group ID, like 00g1abcd2EFGH3ijk4x7 (okta)')
            [CompletionResult]::new('--aws-account-id', '--aws-account-id', [CompletionResultType]::ParameterName, 'AWS account ID, 12 digits (every type but approval)')
            [CompletionResult]::new('--aws-role-arn', '--aws-role-arn', [CompletionResultType]::ParameterName, 'ARN of the IAM role Sym''s runtime assumes (every type but approval)')
            [CompletionResult]::new('--iam-group', '--iam-group', [CompletionResultType]::ParameterName, 'IAM group name to grant (aws-iam)')
            [CompletionResult]::new('--sso-instance-arn', '--sso-instance-arn', [CompletionResultType]::ParameterName, 'IAM Identity Center instance ARN (aws-sso)')
            [CompletionResult]::new('--sso-permission-set-arn', '--sso-permission-set-arn', [CompletionResultType]::ParameterName, 'Permission set ARN to grant (aws-sso)')
            [CompletionResult]::new('--lambda-arn', '--lambda-arn', [CompletionResultType]::ParameterName, 'ARN of the Lambda function that escalates and de-escalates (aws-lambda)')
            [CompletionResult]::new('--pagerduty-domain', '--pagerduty-domain', [CompletionResultType]::ParameterName, 'PagerDuty domain, like acme.pagerduty.com (pagerduty)')
            [CompletionResult]::new('--pagerduty-schedule', '--pagerduty-schedule', [CompletionResultType]::ParameterName, 'PagerDuty schedule ID whose on-call users are auto-approved (pagerduty)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace files that already exist')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what symflow is doing (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what symflow is doing (repeat for more)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a value that would be asked for is an error naming its flag')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'symflow;validate' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Print the documentation of one rule (code or name)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Project configuration file [default: .symflow.toml found upwards]')
            [CompletionResult]::new('--var', '--var', [CompletionResultType]::ParameterName, 'Set a Terraform variable (repeatable)')
            [CompletionResult]::new('--var-file', '--var-file', [CompletionResultType]::ParameterName, 'Read Terraform variables from a .tfvars file (repeatable)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--deny-warnings', '--deny-warnings', [CompletionResultType]::ParameterName, 'Exit 1 when there are warnings, too')
            [CompletionResult]::new('--list-rules', '--list-rules', [CompletionResultType]::ParameterName, 'List every rule with its code, category and default severity')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what symflow is doing (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what symflow is doing (repeat for more)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a value that would be asked for is an error naming its flag')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'symflow;test' {
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'Run only tests whose name contains this text')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Default per-test timeout, like 5s or 500ms')
            [CompletionResult]::new('--python', '--python', [CompletionResultType]::ParameterName, 'Python interpreter to run the flow logic with')
            [CompletionResult]::new('--var', '--var', [CompletionResultType]::ParameterName, 'Set a Terraform variable (repeatable)')
            [CompletionResult]::new('--var-file', '--var-file', [CompletionResultType]::ParameterName, 'Read Terraform variables from a .tfvars file (repeatable)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what symflow is doing (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what symflow is doing (repeat for more)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a value that would be asked for is an error naming its flag')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'symflow;deploy' {
            [CompletionResult]::new('--parallelism', '--parallelism', [CompletionResultType]::ParameterName, 'How many requests may be in flight at once')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Limit to these resources (and what they depend on); repeatable')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--emit-imports', '--emit-imports', [CompletionResultType]::ParameterName, 'Write Terraform `import {}` blocks for every deployed entity to FILE')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'Sym API base URL')
            [CompletionResult]::new('--var', '--var', [CompletionResultType]::ParameterName, 'Set a Terraform variable (repeatable)')
            [CompletionResult]::new('--var-file', '--var-file', [CompletionResultType]::ParameterName, 'Read Terraform variables from a .tfvars file (repeatable)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--plan', '--plan', [CompletionResultType]::ParameterName, 'Show the plan and stop')
            [CompletionResult]::new('--detailed-exitcode', '--detailed-exitcode', [CompletionResultType]::ParameterName, 'With --plan: exit 0 when nothing changes, 2 when something would, 1 on error')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Apply without asking for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Apply without asking for confirmation')
            [CompletionResult]::new('--prune', '--prune', [CompletionResultType]::ParameterName, 'Also delete entities of this module''s environment it no longer declares')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what symflow is doing (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what symflow is doing (repeat for more)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a value that would be asked for is an error naming its flag')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'symflow;login' {
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'The Sym org slug the token belongs to')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--with-token', '--with-token', [CompletionResultType]::ParameterName, 'Read the token from standard input')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what symflow is doing (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what symflow is doing (repeat for more)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a value that would be asked for is an error naming its flag')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'symflow;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Scaffold a new Sym module (main.tf, impl.py, tests) from templates')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Lint Terraform and impl.py against Sym''s schema and SDK')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Run flow logic locally against tests/*.symtest.hcl scenarios')
            [CompletionResult]::new('deploy', 'deploy', [CompletionResultType]::ParameterValue, 'Plan and push the module''s Sym resources to the Sym API')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Store a Sym API token for deploy (read from standard input)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'symflow;help;init' {
            break
        }
        'symflow;help;validate' {
            break
        }
        'symflow;help;test' {
            break
        }
        'symflow;help;deploy' {
            break
        }
        'symflow;help;login' {
            break
        }
        'symflow;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
