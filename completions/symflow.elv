
use builtin;
use str;

set edit:completion:arg-completer[symflow] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'symflow'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'symflow'= {
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Print more about what symflow is doing (repeat for more)'
            cand --verbose 'Print more about what symflow is doing (repeat for more)'
            cand --no-input 'Never prompt; a value that would be asked for is an error naming its flag'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand init 'Scaffold a new Sym module (main.tf, impl.py, tests) from templates'
            cand validate 'Lint Terraform and impl.py against Sym''s schema and SDK'
            cand test 'Run flow logic locally against tests/*.symtest.hcl scenarios'
            cand deploy 'Plan and push the module''s Sym resources to the Sym API'
            cand login 'Store a Sym API token for deploy (read from standard input)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'symflow;init'= {
            cand --org 'Sym org slug (provider "sym" org)'
            cand --environment 'Environment name'
            cand --slack-workspace-id 'Slack workspace ID, like T0123ABCD'
            cand --flow-name 'Name of the flow to create'
            cand --type 'Kind of flow'
            cand --add-flow 'Add a flow NAME to the existing module in DIR instead of creating one'
            cand --template-dir 'Render your organisation''s own templates from DIR'
            cand --okta-domain 'Okta domain, like acme.okta.com (okta)'
            cand --okta-group-id 'Okta group ID, like 00g1abcd2EFGH3ijk4x7 (okta)'
            cand --aws-account-id 'AWS account ID, 12 digits (every type but approval)'
            cand --aws-role-arn 'ARN of the IAM role Sym''s runtime assumes (every type but approval)'
            cand --iam-group 'IAM group name to grant (aws-iam)'
            cand --sso-instance-arn 'IAM Identity Center instance ARN (aws-sso)'
            cand --sso-permission-set-arn 'Permission set ARN to grant (aws-sso)'
            cand --lambda-arn 'ARN of the Lambda function that escalates and de-escalates (aws-lambda)'
            cand --pagerduty-domain 'PagerDuty domain, like acme.pagerduty.com (pagerduty)'
            cand --pagerduty-schedule 'PagerDuty schedule ID whose on-call users are auto-approved (pagerduty)'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --force 'Replace files that already exist'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Print more about what symflow is doing (repeat for more)'
            cand --verbose 'Print more about what symflow is doing (repeat for more)'
            cand --no-input 'Never prompt; a value that would be asked for is an error naming its flag'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'symflow;validate'= {
            cand --format 'Output format'
            cand --explain 'Print the documentation of one rule (code or name)'
            cand --config 'Project configuration file [default: .symflow.toml found upwards]'
            cand --var 'Set a Terraform variable (repeatable)'
            cand --var-file 'Read Terraform variables from a .tfvars file (repeatable)'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --deny-warnings 'Exit 1 when there are warnings, too'
            cand --list-rules 'List every rule with its code, category and default severity'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Print more about what symflow is doing (repeat for more)'
            cand --verbose 'Print more about what symflow is doing (repeat for more)'
            cand --no-input 'Never prompt; a value that would be asked for is an error naming its flag'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'symflow;test'= {
            cand --filter 'Run only tests whose name contains this text'
            cand --format 'Output format'
            cand --timeout 'Default per-test timeout, like 5s or 500ms'
            cand --python 'Python interpreter to run the flow logic with'
            cand --var 'Set a Terraform variable (repeatable)'
            cand --var-file 'Read Terraform variables from a .tfvars file (repeatable)'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Print more about what symflow is doing (repeat for more)'
            cand --verbose 'Print more about what symflow is doing (repeat for more)'
            cand --no-input 'Never prompt; a value that would be asked for is an error naming its flag'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'symflow;deploy'= {
            cand --parallelism 'How many requests may be in flight at once'
            cand --target 'Limit to these resources (and what they depend on); repeatable'
            cand --format 'Output format'
            cand --emit-imports 'Write Terraform `import {}` blocks for every deployed entity to FILE'
            cand --api-url 'Sym API base URL'
            cand --var 'Set a Terraform variable (repeatable)'
            cand --var-file 'Read Terraform variables from a .tfvars file (repeatable)'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --plan 'Show the plan and stop'
            cand --detailed-exitcode 'With --plan: exit 0 when nothing changes, 2 when something would, 1 on error'
            cand -y 'Apply without asking for confirmation'
            cand --yes 'Apply without asking for confirmation'
            cand --prune 'Also delete entities of this module''s environment it no longer declares'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Print more about what symflow is doing (repeat for more)'
            cand --verbose 'Print more about what symflow is doing (repeat for more)'
            cand --no-input 'Never prompt; a value that would be asked for is an error naming its flag'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'symflow;login'= {
            cand --org 'The Sym org slug the token belongs to'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --with-token 'Read the token from standard input'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Print more about what symflow is doing (repeat for more)'
            cand --verbose 'Print more about what symflow is doing (repeat for more)'
            cand --no-input 'Never prompt; a value that would be asked for is an error naming its flag'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'symflow;help'= {
            cand init 'Scaffold a new Sym module (main.tf, impl.py, tests) from templates'
            cand validate 'Lint Terraform and impl.py against Sym''s schema and SDK'
            cand test 'Run flow logic locally against tests/*.symtest.hcl scenarios'
            cand deploy 'Plan and push the module''s Sym resources to the Sym API'
            cand login 'Store a Sym API token for deploy (read from standard input)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'symflow;help;init'= {
        }
        &'symflow;help;validate'= {
        }
        &'symflow;help;test'= {
        }
        &'symflow;help;deploy'= {
        }
        &'symflow;help;login'= {
        }
        &'symflow;help;help'= {
        }
    ]
    $completions[$command]
}
