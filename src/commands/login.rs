//! `symflow login --with-token [--org SLUG]`: store a token read from
//! standard input in the official CLI's config file.

use std::io::Read;

use super::{Context, Exit};
use crate::api::credentials::{config_path, provider_config_path, store, Token};
use crate::cli::LoginArgs;
use crate::error::UserError;

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// Run `symflow login`.
///
/// # Errors
/// No token on stdin, no home directory, a config file that cannot be written.
pub fn run(args: &LoginArgs, ctx: &mut Context<'_>) -> anyhow::Result<Exit> {
    run_with(args, ctx, &mut std::io::stdin().lock(), &env)
}

/// `run` with its inputs passed in (tests).
///
/// # Errors
/// See [`run`].
pub fn run_with(
    args: &LoginArgs,
    ctx: &mut Context<'_>,
    stdin: &mut dyn Read,
    env: &dyn Fn(&str) -> Option<String>,
) -> anyhow::Result<Exit> {
    if let Some(org) = &args.org {
        if org.trim().is_empty() || org.chars().any(char::is_whitespace) {
            return Err(
                UserError::new("`--org` must be a non-empty org slug without spaces")
                    .hint("pass your Sym org slug, like --org acme")
                    .into(),
            );
        }
    }
    const MAX_TOKEN: u64 = 64 * 1024;
    let mut raw = Vec::new();
    // A token is a few KB at most; refuse to slurp anything huge (and never
    // store a token cut short).
    stdin
        .take(MAX_TOKEN + 1)
        .read_to_end(&mut raw)
        .map_err(|e| {
            UserError::new(format!(
                "could not read the token from standard input: {}",
                e.kind()
            ))
        })?;
    if raw.len() as u64 > MAX_TOKEN {
        return Err(UserError::new(
            "the text on standard input is too long to be a Sym token (over 64 KiB)",
        )
        .hint("pipe only the token")
        .into());
    }
    let text = String::from_utf8(raw).map_err(|_| {
        UserError::new("the token on standard input is not valid UTF-8")
            .hint("pipe the token itself, e.g. `echo \"$SYM_JWT\" | symflow login --with-token`")
    })?;
    let token = text.trim();
    if token.is_empty() {
        return Err(UserError::new("no token on standard input")
            .hint("pipe the token in: `echo \"$TOKEN\" | symflow login --with-token --org ORG`")
            .into());
    }
    if token.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(UserError::new("the text on standard input is not a single token (it contains spaces, several lines or control characters)")
            .hint("pipe only the token")
            .into());
    }
    let Some(path) = config_path(env) else {
        return Err(UserError::new(
            "cannot tell where to store the token: neither $XDG_CONFIG_HOME nor $HOME is set",
        )
        .hint("set HOME, or use $SYM_JWT instead of login")
        .into());
    };
    store(&path, &Token::new(token), args.org.as_deref()).map_err(|e| {
        UserError::new(e.to_string()).hint("fix or move the file, then run login again")
    })?;
    ctx.ui
        .status("Stored", &format!("the Sym token in {}", path.display()));
    if let Some(provider_path) = provider_config_path(env) {
        if provider_path != path {
            ctx.ui.warn(&format!(
                "the Terraform provider reads only {}, not {}: Terraform runs will not see this token",
                provider_path.display(),
                path.display()
            ));
        }
    }
    Ok(0)
}
