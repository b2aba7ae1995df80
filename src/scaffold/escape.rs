//! Escaping of template values for the languages `init` writes. Every value
//! that reaches a generated file goes through one of these, so a label with a
//! quote, a backslash, `${` or a newline can neither break the file nor inject
//! code into it.

use std::fmt::Write as _;

/// The content of an HCL quoted string (without the quotes): backslashes,
/// quotes and control characters are escaped, and the template sequences `${`
/// and `%{` become their literal forms `$${` and `%%{`.
#[must_use]
pub fn hcl_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if needs_unicode_escape(c) => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// A complete HCL string literal, quotes included.
#[must_use]
pub fn hcl_quoted(value: &str) -> String {
    format!("\"{}\"", hcl_string(value))
}

/// The content of a Python string literal in single or double quotes (also
/// safe inside triple quotes and comments: it never contains a line break).
#[must_use]
pub fn python_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs_unicode_escape(c) => {
                let code = u32::from(c);
                if code <= 0xFF {
                    let _ = write!(out, "\\x{code:02x}");
                } else {
                    let _ = write!(out, "\\u{code:04x}");
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// A complete Python string literal, double quotes included.
#[must_use]
pub fn python_quoted(value: &str) -> String {
    format!("\"{}\"", python_string(value))
}

/// Text for a Markdown paragraph or table cell: one line, with the characters
/// Markdown gives a meaning to escaped.
#[must_use]
pub fn markdown(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '{' | '}' | '!' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() || needs_unicode_escape(c) => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The content of a YAML double-quoted scalar.
#[must_use]
pub fn yaml_string(value: &str) -> String {
    // JSON string escapes are valid in YAML double-quoted scalars.
    let quoted = serde_json::Value::String(value.to_owned()).to_string();
    quoted[1..quoted.len() - 1].to_owned()
}

/// A Terraform identifier (a block label usable in a reference such as
/// `sym_flow.NAME.id`): letters, digits, `_` and `-`, not starting with a
/// digit or `-`. Other characters become `_`.
#[must_use]
pub fn identifier(value: &str) -> String {
    let mut out: String = value
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !out.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        out.insert(0, '_');
    }
    out
}

/// Characters escaped numerically everywhere: control characters and the
/// Unicode line and paragraph separators (some tools treat them as newlines).
fn needs_unicode_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{85}' | '\u{feff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hcl_escapes_quotes_backslashes_and_templates() {
        assert_eq!(hcl_string(r#"a"b\c"#), r#"a\"b\\c"#);
        assert_eq!(hcl_string("${x} %{if}"), "$${x} %%{if}");
        assert_eq!(hcl_string("$$ 100%"), "$$ 100%");
        assert_eq!(hcl_string("a\nb\u{1}"), "a\\nb\\u0001");
        assert_eq!(hcl_quoted("x"), "\"x\"");
    }

    #[test]
    fn hcl_escapes_parse_back_to_the_value() {
        for value in [
            "plain",
            "q\"uote",
            "back\\slash",
            "${var.x}",
            "%{ if true }",
            "new\nline",
            "tab\tand\r",
            "$${x}",
            "\u{0}\u{7f}\u{2028}",
        ] {
            let src = format!("x = {}\n", hcl_quoted(value));
            let body: hcl::Body = hcl::parse(&src).expect("parses");
            let attr = body.attributes().next().expect("one attribute");
            assert_eq!(
                attr.expr,
                hcl::Expression::String(value.to_owned()),
                "{src}"
            );
        }
    }

    #[test]
    fn python_escapes_quotes_and_newlines() {
        assert_eq!(python_string("it's \"x\"\n"), "it\\'s \\\"x\\\"\\n");
        assert_eq!(python_string("\u{0}\u{2028}"), "\\x00\\u2028");
        assert_eq!(python_quoted("a"), "\"a\"");
    }

    #[test]
    fn identifiers_are_valid_terraform_names() {
        assert_eq!(identifier("prod-access"), "prod-access");
        assert_eq!(identifier("9lives"), "_9lives");
        assert_eq!(identifier("a b\"c"), "a_b_c");
        assert_eq!(identifier(""), "_");
        assert_eq!(identifier("-x"), "_-x");
    }

    #[test]
    fn markdown_and_yaml_are_single_line() {
        assert_eq!(markdown("a_b\n*c*"), "a\\_b \\*c\\*");
        assert_eq!(yaml_string("a\"b\n"), "a\\\"b\\n");
    }
}
