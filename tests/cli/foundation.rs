use crate::support::Sandbox;

#[test]
fn version_prints_name_and_version() {
    let sb = Sandbox::new();
    let r = sb.run(&["--version"]);
    assert_eq!(r.code, 0);
    assert_eq!(r.stdout.trim(), "symflow [VERSION]");
}

#[test]
fn help_lists_every_subcommand_and_examples() {
    let sb = Sandbox::new();
    let r = sb.run(&["--help"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for cmd in ["init", "validate", "test", "deploy", "login", "Examples:"] {
        assert!(r.stdout.contains(cmd), "--help lacks {cmd}:\n{}", r.stdout);
    }
    for cmd in ["init", "validate", "test", "deploy", "login"] {
        let r = sb.run(&[cmd, "--help"]);
        assert_eq!(r.code, 0, "{cmd} --help: {}", r.stderr);
        assert!(
            r.stdout.contains("Usage: symflow"),
            "{cmd} --help:\n{}",
            r.stdout
        );
    }
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let sb = Sandbox::new();
    let r = sb.run(&["validate", "--no-such-flag"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("unexpected argument '--no-such-flag'"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty());
}

#[test]
fn no_subcommand_is_a_usage_error() {
    let sb = Sandbox::new();
    let r = sb.run(&[]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("Usage: symflow"), "{}", r.stderr);
}

#[test]
fn bad_color_value_is_rejected() {
    let sb = Sandbox::new();
    let r = sb.run(&["--color", "sometimes", "validate"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("possible values: auto, always, never"),
        "{}",
        r.stderr
    );
}
