# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_symflow_global_optspecs
    string join \n color= q/quiet v/verbose no-input h/help V/version
end

function __fish_symflow_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_symflow_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_symflow_using_subcommand
    set -l cmd (__fish_symflow_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c symflow -n "__fish_symflow_needs_command" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c symflow -n "__fish_symflow_needs_command" -s q -l quiet -d 'Print only results and errors'
complete -c symflow -n "__fish_symflow_needs_command" -s v -l verbose -d 'Print more about what symflow is doing (repeat for more)'
complete -c symflow -n "__fish_symflow_needs_command" -l no-input -d 'Never prompt; a value that would be asked for is an error naming its flag'
complete -c symflow -n "__fish_symflow_needs_command" -s h -l help -d 'Print help'
complete -c symflow -n "__fish_symflow_needs_command" -s V -l version -d 'Print version'
complete -c symflow -n "__fish_symflow_needs_command" -f -a "init" -d 'Scaffold a new Sym module (main.tf, impl.py, tests) from templates'
complete -c symflow -n "__fish_symflow_needs_command" -f -a "validate" -d 'Lint Terraform and impl.py against Sym\'s schema and SDK'
complete -c symflow -n "__fish_symflow_needs_command" -f -a "test" -d 'Run flow logic locally against tests/*.symtest.hcl scenarios'
complete -c symflow -n "__fish_symflow_needs_command" -f -a "deploy" -d 'Plan and push the module\'s Sym resources to the Sym API'
complete -c symflow -n "__fish_symflow_needs_command" -f -a "login" -d 'Store a Sym API token for deploy (read from standard input)'
complete -c symflow -n "__fish_symflow_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c symflow -n "__fish_symflow_using_subcommand init" -l org -d 'Sym org slug (provider "sym" org)' -r
complete -c symflow -n "__fish_symflow_using_subcommand init" -l environment -d 'Environment name' -r
complete -c symflow -n "__fish_symflow_using_subcommand init" -l slack-workspace-id -d 'Slack workspace ID, like T0123ABCD' -r
complete -c symflow -n "__fish_symflow_using_subcommand init" -l flow-name -d 'Name of the flow to create' -r
complete -c symflow -n "__fish_symflow_using_subcommand init" -l type -d 'Kind of flow' -r -f -a "approval\t'Approval only: no access is granted automatically'
okta\t'Temporary membership in an Okta group'
aws-iam\t'Temporary membership in an AWS IAM group'
aws-sso\t'A temporary AWS IAM Identity Center (SSO) permission set'
aws-lambda\t'Escalation handled by your own AWS Lambda function'
pagerduty\t'Approval flow that auto-approves requesters who are on call in PagerDuty'"
complete -c symflow -n "__fish_symflow_using_subcommand init" -l add-flow -d 'Add a flow NAME to the existing module in DIR instead of creating one' -r
complete -c symflow -n "__fish_symflow_using_subcommand init" -l template-dir -d 'Render your organisation\'s own templates from DIR' -r -f -a "(__fish_complete_directories)"
complete -c symflow -n "__fish_symflow_using_subcommand init" -l okta-domain -d 'Okta domain, like acme.okta.com (okta)' -r
complete -c symflow -n "__fish_symflow_using_subcommand init" -l okta-group-id -d 'Okta group ID, like 00g1abcd2EFGH3ijk4x7 (okta)' -r
complete -c symflow -n "__fish_symflow_using_subcommand init" -l aws-account-id -d 'AWS account ID, 12 digits (every type but approval)' -r
complete -c symflow -n "__fish_symflow_using_subcommand init" -l aws-role-arn -d 'ARN of the IAM role Sym\'s runtime assumes (every type but approval)' -r
complete -c symflow -n "__fish_symflow_using_subcommand init" -l iam-group -d 'IAM group name to grant (aws-iam)' -r
complete -c symflow -n "__fish_symflow_using_subcommand init" -l sso-instance-arn -d 'IAM Identity Center instance ARN (aws-sso)' -r
complete -c symflow -n "__fish_symflow_using_subcommand init" -l sso-permission-set-arn -d 'Permission set ARN to grant (aws-sso)' -r
complete -c symflow -n "__fish_symflow_using_subcommand init" -l lambda-arn -d 'ARN of the Lambda function that escalates and de-escalates (aws-lambda)' -r
complete -c symflow -n "__fish_symflow_using_subcommand init" -l pagerduty-domain -d 'PagerDuty domain, like acme.pagerduty.com (pagerduty)' -r
complete -c symflow -n "__fish_symflow_using_subcommand init" -l pagerduty-schedule -d 'PagerDuty schedule ID whose on-call users are auto-approved (pagerduty)' -r
complete -c symflow -n "__fish_symflow_using_subcommand init" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c symflow -n "__fish_symflow_using_subcommand init" -l force -d 'Replace files that already exist'
complete -c symflow -n "__fish_symflow_using_subcommand init" -s q -l quiet -d 'Print only results and errors'
complete -c symflow -n "__fish_symflow_using_subcommand init" -s v -l verbose -d 'Print more about what symflow is doing (repeat for more)'
complete -c symflow -n "__fish_symflow_using_subcommand init" -l no-input -d 'Never prompt; a value that would be asked for is an error naming its flag'
complete -c symflow -n "__fish_symflow_using_subcommand init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c symflow -n "__fish_symflow_using_subcommand init" -s V -l version -d 'Print version'
complete -c symflow -n "__fish_symflow_using_subcommand validate" -l format -d 'Output format' -r -f -a "human\t''
json\t''
sarif\t''
github\t''"
complete -c symflow -n "__fish_symflow_using_subcommand validate" -l explain -d 'Print the documentation of one rule (code or name)' -r
complete -c symflow -n "__fish_symflow_using_subcommand validate" -l config -d 'Project configuration file [default: .symflow.toml found upwards]' -r -F
complete -c symflow -n "__fish_symflow_using_subcommand validate" -l var -d 'Set a Terraform variable (repeatable)' -r
complete -c symflow -n "__fish_symflow_using_subcommand validate" -l var-file -d 'Read Terraform variables from a .tfvars file (repeatable)' -r -F
complete -c symflow -n "__fish_symflow_using_subcommand validate" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c symflow -n "__fish_symflow_using_subcommand validate" -l deny-warnings -d 'Exit 1 when there are warnings, too'
complete -c symflow -n "__fish_symflow_using_subcommand validate" -l list-rules -d 'List every rule with its code, category and default severity'
complete -c symflow -n "__fish_symflow_using_subcommand validate" -s q -l quiet -d 'Print only results and errors'
complete -c symflow -n "__fish_symflow_using_subcommand validate" -s v -l verbose -d 'Print more about what symflow is doing (repeat for more)'
complete -c symflow -n "__fish_symflow_using_subcommand validate" -l no-input -d 'Never prompt; a value that would be asked for is an error naming its flag'
complete -c symflow -n "__fish_symflow_using_subcommand validate" -s h -l help -d 'Print help'
complete -c symflow -n "__fish_symflow_using_subcommand validate" -s V -l version -d 'Print version'
complete -c symflow -n "__fish_symflow_using_subcommand test" -l filter -d 'Run only tests whose name contains this text' -r
complete -c symflow -n "__fish_symflow_using_subcommand test" -l format -d 'Output format' -r -f -a "human\t''
json\t''
junit\t''"
complete -c symflow -n "__fish_symflow_using_subcommand test" -l timeout -d 'Default per-test timeout, like 5s or 500ms' -r
complete -c symflow -n "__fish_symflow_using_subcommand test" -l python -d 'Python interpreter to run the flow logic with' -r -f -a "(__fish_complete_command)"
complete -c symflow -n "__fish_symflow_using_subcommand test" -l var -d 'Set a Terraform variable (repeatable)' -r
complete -c symflow -n "__fish_symflow_using_subcommand test" -l var-file -d 'Read Terraform variables from a .tfvars file (repeatable)' -r -F
complete -c symflow -n "__fish_symflow_using_subcommand test" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c symflow -n "__fish_symflow_using_subcommand test" -s q -l quiet -d 'Print only results and errors'
complete -c symflow -n "__fish_symflow_using_subcommand test" -s v -l verbose -d 'Print more about what symflow is doing (repeat for more)'
complete -c symflow -n "__fish_symflow_using_subcommand test" -l no-input -d 'Never prompt; a value that would be asked for is an error naming its flag'
complete -c symflow -n "__fish_symflow_using_subcommand test" -s h -l help -d 'Print help'
complete -c symflow -n "__fish_symflow_using_subcommand test" -s V -l version -d 'Print version'
complete -c symflow -n "__fish_symflow_using_subcommand deploy" -l parallelism -d 'How many requests may be in flight at once' -r
complete -c symflow -n "__fish_symflow_using_subcommand deploy" -l target -d 'Limit to these resources (and what they depend on); repeatable' -r
complete -c symflow -n "__fish_symflow_using_subcommand deploy" -l format -d 'Output format' -r -f -a "human\t''
json\t''"
complete -c symflow -n "__fish_symflow_using_subcommand deploy" -l emit-imports -d 'Write Terraform `import {}` blocks for every deployed entity to FILE' -r -F
complete -c symflow -n "__fish_symflow_using_subcommand deploy" -l api-url -d 'Sym API base URL' -r
complete -c symflow -n "__fish_symflow_using_subcommand deploy" -l var -d 'Set a Terraform variable (repeatable)' -r
complete -c symflow -n "__fish_symflow_using_subcommand deploy" -l var-file -d 'Read Terraform variables from a .tfvars file (repeatable)' -r -F
complete -c symflow -n "__fish_symflow_using_subcommand deploy" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c symflow -n "__fish_symflow_using_subcommand deploy" -l plan -d 'Show the plan and stop'
complete -c symflow -n "__fish_symflow_using_subcommand deploy" -l detailed-exitcode -d 'With --plan: exit 0 when nothing changes, 2 when something would, 1 on error'
complete -c symflow -n "__fish_symflow_using_subcommand deploy" -s y -l yes -d 'Apply without asking for confirmation'
complete -c symflow -n "__fish_symflow_using_subcommand deploy" -l prune -d 'Also delete entities of this module\'s environment it no longer declares'
complete -c symflow -n "__fish_symflow_using_subcommand deploy" -s q -l quiet -d 'Print only results and errors'
complete -c symflow -n "__fish_symflow_using_subcommand deploy" -s v -l verbose -d 'Print more about what symflow is doing (repeat for more)'
complete -c symflow -n "__fish_symflow_using_subcommand deploy" -l no-input -d 'Never prompt; a value that would be asked for is an error naming its flag'
complete -c symflow -n "__fish_symflow_using_subcommand deploy" -s h -l help -d 'Print help'
complete -c symflow -n "__fish_symflow_using_subcommand deploy" -s V -l version -d 'Print version'
complete -c symflow -n "__fish_symflow_using_subcommand login" -l org -d 'The Sym org slug the token belongs to' -r
complete -c symflow -n "__fish_symflow_using_subcommand login" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c symflow -n "__fish_symflow_using_subcommand login" -l with-token -d 'Read the token from standard input'
complete -c symflow -n "__fish_symflow_using_subcommand login" -s q -l quiet -d 'Print only results and errors'
complete -c symflow -n "__fish_symflow_using_subcommand login" -s v -l verbose -d 'Print more about what symflow is doing (repeat for more)'
complete -c symflow -n "__fish_symflow_using_subcommand login" -l no-input -d 'Never prompt; a value that would be asked for is an error naming its flag'
complete -c symflow -n "__fish_symflow_using_subcommand login" -s h -l help -d 'Print help'
complete -c symflow -n "__fish_symflow_using_subcommand login" -s V -l version -d 'Print version'
complete -c symflow -n "__fish_symflow_using_subcommand help; and not __fish_seen_subcommand_from init validate test deploy login help" -f -a "init" -d 'Scaffold a new Sym module (main.tf, impl.py, tests) from templates'
complete -c symflow -n "__fish_symflow_using_subcommand help; and not __fish_seen_subcommand_from init validate test deploy login help" -f -a "validate" -d 'Lint Terraform and impl.py against Sym\'s schema and SDK'
complete -c symflow -n "__fish_symflow_using_subcommand help; and not __fish_seen_subcommand_from init validate test deploy login help" -f -a "test" -d 'Run flow logic locally against tests/*.symtest.hcl scenarios'
complete -c symflow -n "__fish_symflow_using_subcommand help; and not __fish_seen_subcommand_from init validate test deploy login help" -f -a "deploy" -d 'Plan and push the module\'s Sym resources to the Sym API'
complete -c symflow -n "__fish_symflow_using_subcommand help; and not __fish_seen_subcommand_from init validate test deploy login help" -f -a "login" -d 'Store a Sym API token for deploy (read from standard input)'
complete -c symflow -n "__fish_symflow_using_subcommand help; and not __fish_seen_subcommand_from init validate test deploy login help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
