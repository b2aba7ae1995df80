//! Adversarial inputs for every command: each gets a clear error (exit 1 or
//! 2, naming the file or request), never a panic, in bounded time. Large
//! inputs are generated here, not committed. Every run has a generous
//! timeout so that a hang fails the test instead of blocking CI.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::support::{Run, Sandbox};

/// A token that must never show up in any output.
const CANARY: &str = "canary-tok-robust-4b1d9e";

/// Generous: a hang fails the test, a slow shared CI machine does not.
const LIMIT: Duration = Duration::from_secs(120);

fn run_limited(sb: &Sandbox, args: &[&str]) -> (Run, Duration) {
    let started = Instant::now();
    let run = sb.run_cmd(sb.cmd().args(args).timeout(LIMIT));
    (run, started.elapsed())
}

/// Exit 0/1/2 as documented, no panic, within the limit.
fn assert_sane(run: &Run, took: Duration, what: &str) {
    assert!(
        took < LIMIT,
        "{what}: took {took:?} (killed?)\n{}",
        run.stderr
    );
    assert!(
        (0..=2).contains(&run.code),
        "{what}: exit {} (killed by a signal or crashed)\n{}",
        run.code,
        run.stderr
    );
    assert!(
        !run.stderr.contains("panicked") && !run.stderr.contains("symflow crashed"),
        "{what}: panicked\n{}",
        run.stderr
    );
    assert!(
        !run.stdout.contains(CANARY) && !run.stderr.contains(CANARY),
        "{what}: the token leaked\n{}\n{}",
        run.stdout,
        run.stderr
    );
}

/// A failure that names `needle` (a file or request) in its output.
fn assert_error_naming(run: &Run, took: Duration, what: &str, code: i32, needle: &str) {
    assert_sane(run, took, what);
    assert_eq!(run.code, code, "{what}:\n{}\n{}", run.stdout, run.stderr);
    let all = format!("{}{}", run.stdout, run.stderr);
    assert!(
        all.contains(needle),
        "{what}: the output does not name `{needle}`:\n{all}"
    );
}

fn validate(sb: &Sandbox, dir: &str) -> (Run, Duration) {
    run_limited(sb, &["validate", dir])
}

const FLOW_TF: &str = r#"resource "sym_flow" "f" {
  name           = "f"
  implementation = file("${path.module}/impl.py")
  environment_id = "e"
}
"#;

#[test]
fn empty_and_comment_only_files_are_fine() {
    let sb = Sandbox::new();
    sb.write("empty/main.tf", "");
    sb.write("comments/main.tf", "# one\n// two\n/* three\n   four */\n");
    for dir in ["empty", "comments"] {
        let (run, took) = validate(&sb, dir);
        assert_sane(&run, took, dir);
        assert_eq!(run.code, 0, "{dir}: {}{}", run.stdout, run.stderr);
    }
    // An empty impl.py is a finding about impl.py, not a crash.
    sb.write("emptypy/main.tf", FLOW_TF);
    sb.write("emptypy/impl.py", "");
    let (run, took) = validate(&sb, "emptypy");
    assert_error_naming(&run, took, "empty impl.py", 1, "impl.py");
}

#[test]
fn bom_crlf_and_tabs_mean_the_same_module() {
    let sb = Sandbox::new();
    let plain = "locals {\n  a = \"x\"\n  b = local.a\n}\n\nresource \"sym_environment\" \"e\" {\n  name = local.b\n  bogus = 1\n}\n";
    sb.write("plain/main.tf", plain);
    let odd = format!(
        "\u{feff}{}",
        plain.replace("  ", "\t").replace('\n', "\r\n")
    );
    sb.write("odd/main.tf", odd);
    let (a, ta) = run_limited(&sb, &["validate", "plain", "--format", "json"]);
    let (b, tb) = run_limited(&sb, &["validate", "odd", "--format", "json"]);
    assert_sane(&a, ta, "plain");
    assert_sane(&b, tb, "bom/crlf/tabs");
    assert_eq!(a.code, 1, "{}", a.stdout);
    let key = |run: &Run| -> Vec<(String, u64, u64)> {
        let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("json report");
        doc["diagnostics"]
            .as_array()
            .expect("list")
            .iter()
            .map(|d| {
                (
                    d["rule"].as_str().unwrap_or_default().to_owned(),
                    d["line"].as_u64().unwrap_or(0),
                    d["end_line"].as_u64().unwrap_or(0),
                )
            })
            .collect()
    };
    // Same findings on the same lines (columns differ: a tab is one column).
    assert_eq!(key(&a), key(&b));
    assert!(!key(&a).is_empty());
}

#[test]
fn deep_nesting_parses_or_is_refused_clearly() {
    let sb = Sandbox::new();
    let nest =
        |open: &str, close: &str, n: usize| format!("{}1{}", open.repeat(n), close.repeat(n));
    sb.write(
        "fifty/main.tf",
        format!(
            "locals {{\n  a = {}\n  b = {}\n  c = {}\n}}\n",
            nest("[", "]", 50),
            nest("{x = ", "}", 50),
            nest("(", ")", 50)
        ),
    );
    let (run, took) = validate(&sb, "fifty");
    assert_sane(&run, took, "50 levels");
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);

    sb.write(
        "deep/main.tf",
        format!("locals {{\n  a = {}\n}}\n", nest("[", "]", 20_000)),
    );
    let (run, took) = validate(&sb, "deep");
    assert_error_naming(&run, took, "20,000 levels", 1, "deep/main.tf:2:");
}

#[test]
fn a_twenty_megabyte_file_is_read_and_a_huge_one_refused() {
    let sb = Sandbox::new();
    // 20 MB: real blocks around a large heredoc (the parser's worst case
    // for memory is many small blocks; this keeps the debug-build test
    // quick while still reading, indexing and reporting on 20 MB).
    let mut text = String::with_capacity(21 << 20);
    text.push_str("resource \"sym_environment\" \"e\" {\n  name = \"prod\"\n  bogus = 1\n}\n");
    text.push_str("locals {\n  blob = <<EOT\n");
    let line = format!("{}\n", "x".repeat(99));
    while text.len() < 20 << 20 {
        text.push_str(&line);
    }
    text.push_str("EOT\n}\n");
    sb.write("big/main.tf", &text);
    let (run, took) = validate(&sb, "big");
    assert_error_naming(&run, took, "20 MB", 1, "big/main.tf:3:");

    // Over the limit: refused without reading it all.
    let f = std::fs::File::create(sb.join("huge/main.tf")).or_else(|_| {
        std::fs::create_dir_all(sb.join("huge"))?;
        std::fs::File::create(sb.join("huge/main.tf"))
    });
    f.expect("create").set_len(64 << 20).expect("sparse file");
    let (run, took) = validate(&sb, "huge");
    assert_error_naming(&run, took, "64 MB", 1, "huge/main.tf");
    assert!(run.stdout.contains("too large"), "{}", run.stdout);
}

#[test]
fn bytes_that_are_not_text() {
    let sb = Sandbox::new();
    sb.write(
        "utf8/main.tf",
        b"locals {\n  a = \"\xff\xfe\"\n}\n".as_slice(),
    );
    let (run, took) = validate(&sb, "utf8");
    assert_error_naming(&run, took, "invalid UTF-8", 1, "utf8/main.tf:2:8");
    assert!(run.stdout.contains("UTF-8"), "{}", run.stdout);

    // A BOM followed by a bad byte at the very end.
    sb.write("bomend/main.tf", b"\xef\xbb\xbflocals {}\n\xc3".as_slice());
    let (run, took) = validate(&sb, "bomend");
    assert_error_naming(&run, took, "BOM + bad last byte", 1, "bomend/main.tf:2:1");

    // Null bytes in impl.py: a Python syntax finding that names the file.
    sb.write("pynul/main.tf", FLOW_TF);
    sb.write(
        "pynul/impl.py",
        b"from sym.sdk.annotations import reducer\n\n@reducer\ndef get_permissions(event):\n    return 1\x00\n".as_slice(),
    );
    let (run, took) = validate(&sb, "pynul");
    assert_error_naming(&run, took, "null byte", 1, "pynul/impl.py:5:");

    // impl.py that is not UTF-8 at all.
    sb.write("pybin/main.tf", FLOW_TF);
    sb.write("pybin/impl.py", b"\x89PNG\r\n\x1a\n\x00\x00\xff".as_slice());
    let (run, took) = validate(&sb, "pybin");
    assert_error_naming(&run, took, "binary impl.py", 1, "impl.py");
}

#[test]
fn unterminated_heredocs() {
    let sb = Sandbox::new();
    sb.write("tf/main.tf", "locals {\n  a = <<EOT\nhello\n");
    let (run, took) = validate(&sb, "tf");
    assert_error_naming(&run, took, "tf heredoc", 1, "tf/main.tf:");
    assert!(run.stdout.contains("heredoc"), "{}", run.stdout);

    sb.write(
        "ind/main.tf",
        "locals {\n  a = <<-EOT\n    hello\n    EOTX\n}\n",
    );
    let (run, took) = validate(&sb, "ind");
    assert_error_naming(&run, took, "indented heredoc", 1, "ind/main.tf:");
}

#[test]
fn paths_that_are_not_files() {
    let sb = Sandbox::new();
    sb.write("dir/main.tf", "locals {}\n");
    std::fs::create_dir_all(sb.join("dir/x.tf")).expect("mkdir");
    let (run, took) = validate(&sb, "dir");
    assert_error_naming(&run, took, "directory x.tf", 1, "dir/x.tf");

    // A path that is a directory where impl.py is expected.
    sb.write("pydir/main.tf", FLOW_TF);
    std::fs::create_dir_all(sb.join("pydir/impl.py")).expect("mkdir");
    let (run, took) = validate(&sb, "pydir");
    assert_error_naming(&run, took, "directory impl.py", 1, "impl.py");

    // Not a directory at all.
    let (run, took) = validate(&sb, "nope");
    assert_error_naming(&run, took, "missing path", 2, "nope");
}

#[cfg(unix)]
#[test]
fn fifos_dangling_links_and_link_loops() {
    use std::os::unix::fs::symlink;
    let sb = Sandbox::new();
    sb.write("m/main.tf", "locals {}\n");
    // A FIFO would block a naive read forever (root can read any file, so
    // this and the links are how "unreadable" is simulated).
    let fifo = sb.join("m/a.tf");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    symlink("nowhere.tf", sb.join("m/b.tf")).expect("symlink");
    symlink("c.tf", sb.join("m/c.tf")).expect("symlink");
    let (run, took) = validate(&sb, "m");
    assert_sane(&run, took, "fifo + links");
    assert_eq!(run.code, 1, "{}", run.stdout);
    for f in ["m/a.tf", "m/b.tf", "m/c.tf"] {
        assert!(run.stdout.contains(f), "{f} not named:\n{}", run.stdout);
    }

    // file() of a FIFO and a directory loop through a child module.
    sb.write(
        "f/main.tf",
        "resource \"sym_flow\" \"f\" {\n  name = \"f\"\n  implementation = file(\"${path.module}/impl.py\")\n  environment_id = \"e\"\n}\nmodule \"again\" {\n  source = \"./loop\"\n}\n",
    );
    let made = std::process::Command::new("mkfifo")
        .arg(sb.join("f/impl.py"))
        .status()
        .expect("mkfifo");
    assert!(made.success());
    symlink(".", sb.join("f/loop")).expect("symlink");
    let (run, took) = validate(&sb, "f");
    assert_error_naming(&run, took, "fifo impl.py + module loop", 1, "impl.py");
}

#[test]
fn ten_thousand_files() {
    let sb = Sandbox::new();
    std::fs::create_dir_all(sb.join("many")).expect("mkdir");
    for i in 0..10_000 {
        std::fs::write(
            sb.join(&format!("many/f{i:05}.tf")),
            format!("locals {{\n  v{i} = {i}\n}}\n"),
        )
        .expect("write");
    }
    // One bad file among them is still found and named.
    std::fs::write(sb.join("many/f04242.tf"), "locals {\n  v = \n}\n").expect("write");
    let (run, took) = validate(&sb, "many");
    assert_error_naming(&run, took, "10,000 files", 1, "many/f04242.tf:");
    assert!(run.stdout.contains("10000 files"), "{}", run.stdout);
}

#[test]
fn deeply_recursive_python() {
    let sb = Sandbox::new();
    sb.write("m/main.tf", FLOW_TF);
    let deep = format!(
        "from sym.sdk.annotations import reducer\n\n@reducer\ndef get_permissions(event):\n    return {}1{}\n\nx = {}\ny = {}1\n",
        "(".repeat(50_000),
        ")".repeat(50_000),
        vec!["1"; 50_000].join(" + "),
        "-".repeat(50_000)
    );
    sb.write("m/impl.py", deep);
    let (run, took) = validate(&sb, "m");
    assert_sane(&run, took, "deep python");
    // Unclosed, too: a syntax error naming the file.
    sb.write("m/impl.py", format!("x = {}\n", "[".repeat(50_000)));
    let (run, took) = validate(&sb, "m");
    assert_error_naming(&run, took, "unclosed deep python", 1, "m/impl.py:");
}

#[test]
fn broken_test_files_name_their_location() {
    let sb = Sandbox::new();
    sb.write("m/main.tf", FLOW_TF);
    sb.write(
        "m/impl.py",
        "from sym.sdk.annotations import reducer\nfrom sym.sdk.integrations import slack\n\n@reducer\ndef get_approvers(event):\n    return slack.channel(\"#x\")\n",
    );
    let cases: [(&str, &[u8]); 5] = [
        ("heredoc", b"flow = \"f\"\nrun \"a\" {\n  event = <<EOT\nrequest\n"),
        ("nul", b"flow = \"f\"\x00\n"),
        ("utf8", b"flow = \"\xff\"\n"),
        ("deep", b"flow = [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n"),
        ("empty-run", b"flow = \"f\"\nrun \"\" {}\nrun \"\" {}\n"),
    ];
    for (name, text) in cases {
        let _ = std::fs::remove_dir_all(sb.join("m/tests"));
        sb.write(&format!("m/tests/{name}.symtest.hcl"), text);
        let (run, took) = run_limited(&sb, &["test", "m"]);
        assert_error_naming(&run, took, name, 2, &format!("{name}.symtest.hcl"));
    }
}

// ---------------------------------------------------------------------------
// The API: a hostile server on 127.0.0.1.

#[derive(Clone, Copy, Debug)]
enum Hostile {
    /// 200 with an HTML page.
    NotJson,
    /// 200 with lists of objects that have no `id`.
    MissingFields,
    /// 200 with JSON of the wrong shapes (an object for a list, numbers
    /// for strings).
    WrongTypes,
    /// 200 with a 100 MB body (streamed; never held by the server).
    Huge,
    /// Reads the request, then never answers.
    Never,
    /// Sends headers and part of the body, then stalls.
    Stall,
    /// 401 whose body echoes the Authorization header.
    EchoToken,
}

struct HostileServer {
    url: String,
    stop: Arc<AtomicBool>,
}

impl Drop for HostileServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

fn hostile(mode: Hostile) -> HostileServer {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.set_nonblocking(true).expect("nonblocking");
    let url = format!("http://{}/api/v1", listener.local_addr().expect("addr"));
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    std::thread::spawn(move || {
        while !flag.load(Ordering::SeqCst) {
            match listener.accept() {
                Ok((conn, _)) => {
                    let flag = Arc::clone(&flag);
                    std::thread::spawn(move || serve(conn, mode, &flag));
                }
                Err(_) => std::thread::sleep(Duration::from_millis(5)),
            }
        }
    });
    HostileServer { url, stop }
}

fn serve(conn: TcpStream, mode: Hostile, stop: &AtomicBool) {
    let _ = conn.set_nonblocking(false);
    let mut reader = BufReader::new(conn.try_clone().expect("clone"));
    let mut auth = String::new();
    let mut len = 0usize;
    let mut first = String::new();
    if reader.read_line(&mut first).is_err() {
        return;
    }
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).is_err() || h.trim().is_empty() {
            break;
        }
        let lower = h.to_ascii_lowercase();
        if lower.starts_with("authorization:") {
            h.trim_end().clone_into(&mut auth);
        }
        if let Some(v) = lower.strip_prefix("content-length:") {
            len = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; len];
    let _ = reader.read_exact(&mut body);
    let mut conn = conn;
    let is_list = first.contains('?') || first.starts_with("GET /api/v1/entities/error-loggers");
    let send = |conn: &mut TcpStream, status: &str, ctype: &str, body: &[u8]| {
        let head = format!(
            "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        let _ = conn.write_all(head.as_bytes());
        let _ = conn.write_all(body);
    };
    match mode {
        Hostile::NotJson => send(
            &mut conn,
            "200 OK",
            "text/html",
            b"<html><body>502 Bad Gateway</body></html>",
        ),
        Hostile::MissingFields => {
            let body: &[u8] = if is_list {
                br#"[{"slug": "prod"}, {"name": "x"}]"#
            } else {
                br#"{"slug": "prod"}"#
            };
            send(&mut conn, "200 OK", "application/json", body);
        }
        Hostile::WrongTypes => {
            let body: &[u8] = if is_list {
                br#"{"results": [{"id": {"nested": true}}]}"#
            } else {
                br#"[1, "two", null]"#
            };
            send(&mut conn, "200 OK", "application/json", body);
        }
        Hostile::Huge => {
            let total: usize = 100 << 20;
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {total}\r\nConnection: close\r\n\r\n["
            );
            let _ = conn.write_all(head.as_bytes());
            let chunk = "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\",".repeat(2048);
            let mut sent = 1;
            while sent + chunk.len() < total && !stop.load(Ordering::SeqCst) {
                if conn.write_all(chunk.as_bytes()).is_err() {
                    return;
                }
                sent += chunk.len();
            }
        }
        Hostile::Never | Hostile::Stall => {
            if let Hostile::Stall = mode {
                let _ = conn.write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n[{\"id\": \"x\"",
                );
            }
            while !stop.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        Hostile::EchoToken => {
            let body = format!(
                r#"{{"error": true, "errors": [{{"field": "auth", "message": "bad header: {auth}"}}], "is_retryable": false}}"#
            );
            send(
                &mut conn,
                "401 Unauthorized",
                "application/json",
                body.as_bytes(),
            );
        }
    }
}

fn deploy_module(sb: &Sandbox) {
    sb.write(
        "mod/main.tf",
        "resource \"sym_environment\" \"prod\" {\n  name = \"prod\"\n}\n",
    );
}

fn deploy_against(sb: &Sandbox, server: &HostileServer, extra: &[&str]) -> (Run, Duration) {
    let started = Instant::now();
    let mut cmd = sb.cmd();
    cmd.env("SYM_JWT", CANARY)
        .env("SYMFLOW_RETRY_BASE_MS", "1")
        .env("SYMFLOW_RETRY_ATTEMPTS", "2")
        .env("SYMFLOW_HTTP_TIMEOUT_MS", "1500")
        .args(["deploy", "mod", "--plan", "-vv", "--api-url", &server.url])
        .args(extra)
        .timeout(LIMIT);
    let run = sb.run_cmd(&mut cmd);
    (run, started.elapsed())
}

#[test]
fn hostile_api_answers_fail_clearly_naming_the_request() {
    let sb = Sandbox::new();
    deploy_module(&sb);
    for (mode, needle) in [
        (Hostile::NotJson, "does not understand"),
        (Hostile::MissingFields, "no `id`"),
        (Hostile::WrongTypes, "expected a list"),
        (Hostile::Huge, "larger than"),
        (Hostile::Never, "timed out"),
        (Hostile::Stall, "timed out"),
        (Hostile::EchoToken, "401"),
    ] {
        let server = hostile(mode);
        let (run, took) = deploy_against(&sb, &server, &[]);
        let what = format!("{mode:?}");
        assert_error_naming(&run, took, &what, 1, "/entities/environments");
        assert!(
            run.stderr.contains(needle),
            "{what}: no `{needle}` in\n{}",
            run.stderr
        );
        // One request with a short timeout and one retry: well under the
        // limit, whatever the server does.
        assert!(took < Duration::from_secs(60), "{what}: took {took:?}");
    }
}

#[test]
fn the_token_never_leaks_on_any_error_path() {
    let sb = Sandbox::new();
    deploy_module(&sb);
    // Refused URLs, a server that is not there, bad modules.
    let cases: Vec<Vec<&str>> = vec![
        vec![
            "deploy",
            "mod",
            "--plan",
            "--api-url",
            "http://example.com/api/v1",
        ],
        vec!["deploy", "mod", "--plan", "--api-url", "not a url"],
        vec![
            "deploy",
            "mod",
            "--plan",
            "--api-url",
            "http://127.0.0.1:9/api/v1",
        ],
        vec![
            "deploy",
            "nope",
            "--plan",
            "--api-url",
            "http://127.0.0.1:9/api/v1",
        ],
        vec!["deploy", "mod", "--prune"],
        vec![
            "deploy",
            "mod",
            "--yes",
            "--api-url",
            "http://127.0.0.1:9/api/v1",
            "-vv",
        ],
    ];
    for args in cases {
        let started = Instant::now();
        let mut cmd = sb.cmd();
        cmd.env("SYM_JWT", CANARY)
            .env("SYMFLOW_RETRY_BASE_MS", "1")
            .env("SYMFLOW_RETRY_ATTEMPTS", "1")
            .args(&args)
            .timeout(LIMIT);
        let run = sb.run_cmd(&mut cmd);
        assert_sane(&run, started.elapsed(), &args.join(" "));
        assert!(run.code == 1 || run.code == 2, "{args:?}: {}", run.stderr);
    }
    // A config file holding the canary, read by deploy with a bad org.
    sb.write(
        "home/.config/symflow/default/config.yml",
        format!("auth_token:\n  access_token: {CANARY}\norg: other\n"),
    );
    sb.write(
        "mod/main.tf",
        "provider \"sym\" {\n  org = \"acme\"\n}\nresource \"sym_environment\" \"prod\" {\n  name = \"prod\"\n}\n",
    );
    let (run, took) = run_limited(
        &sb,
        &[
            "deploy",
            "mod",
            "--plan",
            "-vv",
            "--api-url",
            "http://127.0.0.1:9/api/v1",
        ],
    );
    assert_error_naming(&run, took, "org mismatch", 2, "acme");
}

// ---------------------------------------------------------------------------
// login: never loses an existing config, never prints the token.

fn login(sb: &Sandbox, stdin: impl Into<Vec<u8>>, env: &[(&str, &str)]) -> (Run, Duration) {
    let started = Instant::now();
    let mut cmd = sb.cmd();
    cmd.envs(env.iter().copied())
        .args(["login", "--with-token", "--org", "acme"])
        .write_stdin(stdin.into())
        .timeout(LIMIT);
    let run = sb.run_cmd(&mut cmd);
    (run, started.elapsed())
}

const CONFIG: &str = "home/.config/symflow/default/config.yml";

#[test]
fn login_failures_leave_the_config_untouched() {
    let sb = Sandbox::new();
    let original = "email: me@acme.io\nauth_token:\n  access_token: old-token\n";
    sb.write(CONFIG, original);
    let bad_inputs: [(&str, Vec<u8>); 5] = [
        ("empty", Vec::new()),
        ("two words", format!("{CANARY} {CANARY}\n").into_bytes()),
        ("not utf-8", b"\xff\xfe\x00tok".to_vec()),
        ("nul", format!("{CANARY}\0").into_bytes()),
        // Longer than any token: refused, not cut short and stored.
        ("huge", CANARY.repeat(10_000).into_bytes()),
    ];
    for (what, input) in bad_inputs {
        let (run, took) = login(&sb, input, &[]);
        assert_sane(&run, took, what);
        assert_eq!(run.code, 2, "{what}: {}", run.stderr);
        assert_eq!(sb.read(CONFIG), original, "{what}: the config changed");
    }

    // An existing config that is not YAML is refused, byte for byte kept.
    sb.write(CONFIG, "auth_token: [unclosed\n");
    let (run, took) = login(&sb, CANARY, &[]);
    assert_error_naming(&run, took, "invalid yaml", 2, "config.yml");
    assert_eq!(sb.read(CONFIG), "auth_token: [unclosed\n");
}

#[cfg(unix)]
#[test]
fn login_and_deploy_do_not_hang_on_odd_config_paths() {
    let sb = Sandbox::new();
    // The config path is a FIFO: reading it naively blocks forever.
    std::fs::create_dir_all(sb.join("home/.config/symflow/default")).expect("mkdir");
    let made = std::process::Command::new("mkfifo")
        .arg(sb.join(CONFIG))
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let (run, took) = login(&sb, CANARY, &[]);
    assert_error_naming(&run, took, "fifo config (login)", 2, "config.yml");
    deploy_module(&sb);
    let (run, took) = run_limited(
        &sb,
        &[
            "deploy",
            "mod",
            "--plan",
            "--api-url",
            "http://127.0.0.1:9/api/v1",
        ],
    );
    assert_error_naming(&run, took, "fifo config (deploy)", 2, "config.yml");

    // The config path is a directory.
    let sb = Sandbox::new();
    std::fs::create_dir_all(sb.join(CONFIG)).expect("mkdir");
    let (run, took) = login(&sb, CANARY, &[]);
    assert_error_naming(&run, took, "directory config", 2, "config.yml");
    assert!(sb.join(CONFIG).is_dir());

    // The config directory cannot be created (a file is in the way).
    let sb = Sandbox::new();
    sb.write("xdg", "a file, not a directory\n");
    let xdg = sb.join("xdg").display().to_string();
    let (run, took) = login(&sb, CANARY, &[("XDG_CONFIG_HOME", &xdg)]);
    assert_error_naming(&run, took, "blocked config dir", 2, "config.yml");
    assert_eq!(sb.read("xdg"), "a file, not a directory\n");
}

// ---------------------------------------------------------------------------
// init: an interrupted `--force` loses nothing (the init tests cover a
// simulated failure after every write; this is a real one, in the binary).

fn snapshot(dir: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir").flatten() {
            let p = e.path();
            let rel = p.strip_prefix(dir).expect("inside").display().to_string();
            if p.is_dir() {
                out.insert(format!("{rel}/"), Vec::new());
                stack.push(p);
            } else {
                out.insert(rel, std::fs::read(&p).expect("read"));
            }
        }
    }
    out
}

#[test]
fn a_failed_forced_init_keeps_the_old_files() {
    let sb = Sandbox::new();
    let args = [
        "init",
        "m",
        "--no-input",
        "--org",
        "acme",
        "--slack-workspace-id",
        "T0123ABCD",
        "--flow-name",
        "access",
        "--type",
        "approval",
    ];
    let (run, took) = run_limited(&sb, &args);
    assert_sane(&run, took, "first init");
    assert_eq!(run.code, 0, "{}", run.stderr);
    sb.write("m/main.tf", "# edited by hand\n");
    // Where init must write a directory there is a file: the forced run
    // fails, and every file stays as it was.
    std::fs::remove_dir_all(sb.join("m/tests")).expect("rm tests");
    sb.write("m/tests", "not a directory\n");
    let before = snapshot(&sb.join("m"));
    let mut forced = args.to_vec();
    forced.push("--force");
    let (run, took) = run_limited(&sb, &forced);
    assert_error_naming(&run, took, "forced init over a file", 2, "tests");
    assert_eq!(snapshot(&sb.join("m")), before);
}
