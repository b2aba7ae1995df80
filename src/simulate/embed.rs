//! The Python half of `symflow test`, embedded in the binary: the `sym.sdk`
//! stand-in and the forking runner (sources under `python/`).

/// `(path relative to python/, contents)` for every file of the stand-in.
pub const FILES: &[(&str, &str)] = &[
    ("sym/__init__.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/__init__.py"))),
    ("sym/sdk/__init__.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/__init__.py"))),
    ("sym/sdk/_model.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/_model.py"))),
    ("sym/sdk/_sim.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/_sim.py"))),
    ("sym/sdk/annotations/__init__.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/annotations/__init__.py"))),
    ("sym/sdk/annotations/_handlers.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/annotations/_handlers.py"))),
    ("sym/sdk/errors.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/errors.py"))),
    ("sym/sdk/event.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/event.py"))),
    ("sym/sdk/exceptions/__init__.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/exceptions/__init__.py"))),
    ("sym/sdk/exceptions/access_strategy.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/exceptions/access_strategy.py"))),
    ("sym/sdk/exceptions/aptible.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/exceptions/aptible.py"))),
    ("sym/sdk/exceptions/aws.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/exceptions/aws.py"))),
    ("sym/sdk/exceptions/boundary.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/exceptions/boundary.py"))),
    ("sym/sdk/exceptions/github.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/exceptions/github.py"))),
    ("sym/sdk/exceptions/google.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/exceptions/google.py"))),
    ("sym/sdk/exceptions/http.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/exceptions/http.py"))),
    ("sym/sdk/exceptions/identity.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/exceptions/identity.py"))),
    ("sym/sdk/exceptions/jira.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/exceptions/jira.py"))),
    ("sym/sdk/exceptions/knowbe4.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/exceptions/knowbe4.py"))),
    ("sym/sdk/exceptions/okta.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/exceptions/okta.py"))),
    ("sym/sdk/exceptions/onelogin.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/exceptions/onelogin.py"))),
    ("sym/sdk/exceptions/pagerduty.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/exceptions/pagerduty.py"))),
    ("sym/sdk/exceptions/sdk.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/exceptions/sdk.py"))),
    ("sym/sdk/exceptions/slack.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/exceptions/slack.py"))),
    ("sym/sdk/exceptions/sym_exception.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/exceptions/sym_exception.py"))),
    ("sym/sdk/exceptions/sym_integration.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/exceptions/sym_integration.py"))),
    ("sym/sdk/field_option.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/field_option.py"))),
    ("sym/sdk/flow.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/flow.py"))),
    ("sym/sdk/forms.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/forms.py"))),
    ("sym/sdk/integrations/__init__.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/integrations/__init__.py"))),
    ("sym/sdk/integrations/aws_iam.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/integrations/aws_iam.py"))),
    ("sym/sdk/integrations/aws_lambda.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/integrations/aws_lambda.py"))),
    ("sym/sdk/integrations/aws_sso.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/integrations/aws_sso.py"))),
    ("sym/sdk/integrations/boundary.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/integrations/boundary.py"))),
    ("sym/sdk/integrations/github.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/integrations/github.py"))),
    ("sym/sdk/integrations/google.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/integrations/google.py"))),
    ("sym/sdk/integrations/jira.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/integrations/jira.py"))),
    ("sym/sdk/integrations/knowbe4.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/integrations/knowbe4.py"))),
    ("sym/sdk/integrations/okta.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/integrations/okta.py"))),
    ("sym/sdk/integrations/onelogin.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/integrations/onelogin.py"))),
    ("sym/sdk/integrations/pagerduty.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/integrations/pagerduty.py"))),
    ("sym/sdk/integrations/slack.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/integrations/slack.py"))),
    ("sym/sdk/integrations/store.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/integrations/store.py"))),
    ("sym/sdk/integrations/sym.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/integrations/sym.py"))),
    ("sym/sdk/models.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/models.py"))),
    ("sym/sdk/notifications.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/notifications.py"))),
    ("sym/sdk/request_destination.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/request_destination.py"))),
    ("sym/sdk/request_permission.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/request_permission.py"))),
    ("sym/sdk/resource.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/resource.py"))),
    ("sym/sdk/secret.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/secret.py"))),
    ("sym/sdk/strategies/__init__.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/strategies/__init__.py"))),
    ("sym/sdk/strategies/access_strategy.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/strategies/access_strategy.py"))),
    ("sym/sdk/strategies/integration.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/strategies/integration.py"))),
    ("sym/sdk/strategy.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/strategy.py"))),
    ("sym/sdk/target.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/target.py"))),
    ("sym/sdk/templates/__init__.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/templates/__init__.py"))),
    ("sym/sdk/templates/approval.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/templates/approval.py"))),
    ("sym/sdk/templates/template.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/templates/template.py"))),
    ("sym/sdk/user.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/user.py"))),
    ("sym/sdk/utils/__init__.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/utils/__init__.py"))),
    ("sym/sdk/utils/user.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/sym/sdk/utils/user.py"))),
    ("symflow_runner.py", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/python/symflow_runner.py"))),
];

/// The runner script's path inside the unpacked tree.
pub const RUNNER: &str = "symflow_runner.py";

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// Every `.py` under python/ is embedded (a new file cannot be forgotten).
    #[test]
    fn every_python_file_is_embedded() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("python");
        let mut found = Vec::new();
        let mut stack = vec![root.clone()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("read python/") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "py") {
                    let rel = path.strip_prefix(&root).expect("under root");
                    found.push(rel.to_string_lossy().replace('\\', "/"));
                }
            }
        }
        found.sort();
        let mut embedded: Vec<String> = super::FILES.iter().map(|(p, _)| (*p).to_owned()).collect();
        embedded.sort();
        assert_eq!(found, embedded, "update src/simulate/embed.rs");
    }
}
