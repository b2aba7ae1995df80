//! Terraform's `format()`: Go's `fmt` verbs as Terraform's function library
//! applies them to Terraform values.
//!
//! Grammar: `%` flags (`-+ #0`), width, `.precision`, an optional `[n]`
//! (one-based argument index) right before the verb, then the verb. Verbs:
//! `%v` (`%#v` is JSON), `%t`, `%b %d %o %x %X` (whole numbers only),
//! `%e %E %f %g %G`, `%s`, `%q` (a JSON string) and `%%`. Strings are
//! measured and cut in grapheme clusters; numbers are formatted as Go
//! formats them (`%e` writes `1.5e+03`, `%v` of a number is Go's shortest
//! `%g`). Anything this module does not know is an unknown value, never an
//! error: Terraform may accept it.

use unicode_segmentation::UnicodeSegmentation as _;

use super::eval::{err, to_bool, to_number};
use super::funcs::json_like_go;
use super::value::{format_number, UnknownReason, Value};
use crate::source::Span;

/// Widths and precisions beyond this are clamped (`%01000000000d` would
/// otherwise allocate gigabytes).
const MAX_WIDTH: usize = 1024;

/// One `%...` sequence.
#[derive(Default)]
struct Verb {
    minus: bool,
    plus: bool,
    space: bool,
    zero: bool,
    sharp: bool,
    width: Option<usize>,
    prec: Option<usize>,
    /// One-based, from `[n]`.
    index: Option<usize>,
    mode: char,
}

/// What stops a format: an error Terraform reports too, or something this
/// module does not evaluate.
enum Stop {
    Error(String),
    Unsupported(String),
}

pub(crate) fn format(args: &[Value], sp: Span) -> Value {
    let Some((fmt, rest)) = args.split_first() else {
        return err("format() needs a format string", Some(sp));
    };
    let Some(fmt) = fmt.as_str() else {
        return err("format() needs a string format", Some(sp));
    };
    match render(fmt, rest) {
        Ok(s) => Value::String(s),
        Err(Stop::Error(m)) => err(format!("format(): {m}"), Some(sp)),
        Err(Stop::Unsupported(what)) => Value::unknown(
            UnknownReason::Unsupported {
                what: format!("format() with {what}"),
            },
            Some(sp),
        ),
    }
}

fn render(fmt: &str, args: &[Value]) -> Result<String, Stop> {
    let mut out = String::with_capacity(fmt.len());
    let mut next = 0usize;
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        if chars.peek() == Some(&'%') {
            chars.next();
            out.push('%');
            continue;
        }
        let verb = parse_verb(&mut chars)?;
        let idx = verb.index.map_or(next, |n| n - 1);
        let Some(arg) = args.get(idx) else {
            return Err(Stop::Error(format!(
                "not enough arguments: %{} needs argument {} of {}",
                verb.mode,
                idx + 1,
                args.len()
            )));
        };
        next = idx + 1;
        one(&verb, arg, &mut out)?;
    }
    Ok(out)
}

fn parse_verb(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Result<Verb, Stop> {
    let mut v = Verb::default();
    while let Some(&c) = chars.peek() {
        match c {
            '-' => v.minus = true,
            '+' => v.plus = true,
            ' ' => v.space = true,
            '0' => v.zero = true,
            '#' => v.sharp = true,
            _ => break,
        }
        chars.next();
    }
    v.width = digits(chars);
    if chars.peek() == Some(&'.') {
        chars.next();
        v.prec = Some(digits(chars).unwrap_or(0));
    }
    if chars.peek() == Some(&'[') {
        chars.next();
        let n = digits(chars);
        if chars.next() != Some(']') || n.is_none_or(|n| n == 0) {
            return Err(Stop::Error(
                "an argument index is `[n]`, n from 1, right before the verb".to_owned(),
            ));
        }
        v.index = n;
    }
    match chars.next() {
        Some(c) => v.mode = c,
        None => {
            return Err(Stop::Error(
                "the format string ends inside a `%` sequence".to_owned(),
            ))
        }
    }
    Ok(v)
}

/// A run of decimal digits, clamped to [`MAX_WIDTH`].
fn digits(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Option<usize> {
    let mut n: Option<usize> = None;
    while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
        chars.next();
        n = Some((n.unwrap_or(0) * 10 + d as usize).min(MAX_WIDTH));
    }
    n
}

fn one(v: &Verb, arg: &Value, out: &mut String) -> Result<(), Stop> {
    if v.mode != 'v' && matches!(arg, Value::Null) {
        return Err(Stop::Error(format!(
            "%{} cannot format null (only %v can)",
            v.mode
        )));
    }
    match v.mode {
        'v' => {
            let text = match arg {
                Value::String(s) if !v.sharp => s.clone(),
                Value::Number(n) if !v.sharp => float(*n, 'g', None)?,
                other => json_like_go(other),
            };
            pad_text(v, &text, out);
        }
        't' => match to_bool(arg) {
            // Terraform writes booleans without width or padding.
            Some(b) => out.push_str(if b { "true" } else { "false" }),
            None => {
                return Err(Stop::Error(format!(
                    "%t needs a bool, not a {}",
                    arg.type_name()
                )))
            }
        },
        'b' | 'd' | 'o' | 'x' | 'X' => {
            let n = number(v, arg)?;
            integer(v, n, out)?;
        }
        'e' | 'E' | 'f' | 'g' | 'G' => {
            let n = number(v, arg)?;
            if v.sharp {
                return Err(Stop::Unsupported(format!("the `#` flag on %{}", v.mode)));
            }
            let body = float(n.abs(), v.mode, v.prec)?;
            pad_number(v, n.is_sign_negative() && n != 0.0, "", &body, out);
        }
        's' | 'q' => {
            let Some(s) = arg.to_tf_string() else {
                return Err(Stop::Error(format!(
                    "%{} needs a string, not a {}",
                    v.mode,
                    arg.type_name()
                )));
            };
            let s = match v.prec {
                Some(p) if p > 0 => s.graphemes(true).take(p).collect(),
                _ => s,
            };
            let text = if v.mode == 'q' {
                json_like_go(&Value::String(s))
            } else {
                s
            };
            pad_text(v, &text, out);
        }
        other => return Err(Stop::Unsupported(format!("the verb %{other}"))),
    }
    Ok(())
}

fn number(v: &Verb, arg: &Value) -> Result<f64, Stop> {
    to_number(arg).ok_or_else(|| {
        Stop::Error(format!(
            "%{} needs a number, not a {}",
            v.mode,
            arg.type_name()
        ))
    })
}

/// Width for `%v`, `%s` and `%q`: in grapheme clusters, with zeros when the
/// `0` flag is set, on the right with `-`.
fn pad_text(v: &Verb, text: &str, out: &mut String) {
    let len = text.graphemes(true).count();
    let fill = v.width.unwrap_or(0).saturating_sub(len);
    let c = if v.zero { '0' } else { ' ' };
    if v.minus {
        out.push_str(text);
        out.extend(std::iter::repeat_n(c, fill));
    } else {
        out.extend(std::iter::repeat_n(c, fill));
        out.push_str(text);
    }
}

/// Width for numbers, as Go pads them: zeros go between the sign (and
/// prefix) and the digits, spaces outside; `-` pads on the right with
/// spaces.
fn pad_number(v: &Verb, negative: bool, prefix: &str, digits: &str, out: &mut String) {
    let sign = if negative {
        "-"
    } else if v.plus {
        "+"
    } else if v.space {
        " "
    } else {
        ""
    };
    let len = sign.len() + prefix.len() + digits.len();
    let fill = v.width.unwrap_or(0).saturating_sub(len);
    // Go ignores `0` when a precision is given for integers.
    let zeros = v.zero && !v.minus && !(v.prec.is_some() && "bdoxX".contains(v.mode));
    if !v.minus && !zeros {
        out.extend(std::iter::repeat_n(' ', fill));
    }
    out.push_str(sign);
    out.push_str(prefix);
    if zeros {
        out.extend(std::iter::repeat_n('0', fill));
    }
    out.push_str(digits);
    if v.minus {
        out.extend(std::iter::repeat_n(' ', fill));
    }
}

/// `%b %d %o %x %X`: the number must be whole.
fn integer(v: &Verb, n: f64, out: &mut String) -> Result<(), Stop> {
    if n.fract() != 0.0 || !n.is_finite() {
        return Err(Stop::Error(format!(
            "%{} needs a whole number, not {}",
            v.mode,
            format_number(n)
        )));
    }
    // Whole f64 values below 2^127 fit; larger ones are beyond what a
    // configuration writes.
    if n.abs() >= 2f64.powi(127) {
        return Err(Stop::Unsupported(format!(
            "%{} of a number this large",
            v.mode
        )));
    }
    let mag = n.abs() as u128;
    let mut digits = match v.mode {
        'b' => format!("{mag:b}"),
        'o' => format!("{mag:o}"),
        'x' => format!("{mag:x}"),
        'X' => format!("{mag:X}"),
        _ => mag.to_string(),
    };
    if let Some(p) = v.prec {
        if p == 0 && mag == 0 {
            digits.clear();
        } else if digits.len() < p {
            digits.insert_str(0, &"0".repeat(p - digits.len()));
        }
    }
    let prefix = match (v.sharp, v.mode) {
        (true, 'b') => "0b",
        (true, 'o') if !digits.starts_with('0') => "0",
        (true, 'x') => "0x",
        (true, 'X') => "0X",
        _ => "",
    };
    pad_number(v, n < 0.0, prefix, &digits, out);
    Ok(())
}

/// `%e %E %f %g %G` of a non-negative number, without sign or padding, as
/// Go writes them (`%e`: at least two exponent digits; `%g` without a
/// precision: the shortest digits, in `%e` form from an exponent of 6 or
/// below -4).
fn float(n: f64, mode: char, prec: Option<usize>) -> Result<String, Stop> {
    if !n.is_finite() {
        return Err(Stop::Unsupported("a number that is not finite".to_owned()));
    }
    let upper = mode.is_ascii_uppercase();
    let text = match mode.to_ascii_lowercase() {
        'f' => format!("{:.*}", prec.unwrap_or(6), n),
        'e' => go_exponent(&format!("{:.*e}", prec.unwrap_or(6), n)),
        _ => {
            // Significant digits (trailing zeros dropped) and the position
            // of the decimal point, as Go's conversion produces them.
            let sci = match prec {
                Some(p) => format!("{:.*e}", p.max(1) - 1, n),
                None => format!("{n:e}"),
            };
            let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
            let exp: i32 = exp.parse().unwrap_or(0);
            let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
            let digits = digits.trim_end_matches('0');
            let digits = if digits.is_empty() { "0" } else { digits };
            let nd = digits.len() as i32;
            let dp = if n == 0.0 { 1 } else { exp + 1 };
            let (eprec, shown) = match prec {
                None => (6, nd),
                Some(p) => {
                    let p = p.max(1) as i32;
                    let eprec = if p > nd && nd >= dp { nd } else { p };
                    (eprec, p)
                }
            };
            let e = dp - 1;
            if e < -4 || e >= eprec {
                let decimals = (shown.min(nd) - 1).max(0) as usize;
                go_exponent(&format!("{n:.decimals$e}"))
            } else {
                let keep = if shown > dp { nd } else { shown };
                format!("{:.*}", (keep - dp).max(0) as usize, n)
            }
        }
    };
    Ok(if upper {
        text.to_ascii_uppercase()
    } else {
        text
    })
}

/// Rust's `1.5e3` as Go's `1.5e+03`.
fn go_exponent(rust: &str) -> String {
    let Some((mantissa, exp)) = rust.split_once('e') else {
        return rust.to_owned();
    };
    let (sign, digits) = match exp.strip_prefix('-') {
        Some(d) => ('-', d),
        None => ('+', exp),
    };
    format!("{mantissa}e{sign}{digits:0>2}")
}

#[cfg(test)]
mod tests {
    use super::render;
    use crate::module::value::Value;

    fn fmt(f: &str, args: &[Value]) -> String {
        match render(f, args) {
            Ok(s) => s,
            Err(super::Stop::Error(m)) => format!("error: {m}"),
            Err(super::Stop::Unsupported(m)) => format!("unsupported: {m}"),
        }
    }

    fn n(x: f64) -> Value {
        Value::Number(x)
    }

    fn s(x: &str) -> Value {
        Value::String(x.to_owned())
    }

    #[test]
    fn integers_as_go_formats_them() {
        assert_eq!(
            fmt(
                "%d|%+d|% d|%5d|%-5d|%05d",
                &[n(42.0), n(5.0), n(5.0), n(-42.0), n(7.0), n(-42.0)]
            ),
            "42|+5| 5|  -42|7    |-0042"
        );
        assert_eq!(
            fmt(
                "%x|%X|%o|%b|%#x|%#o|%#b|%.3d",
                &[
                    n(255.0),
                    n(255.0),
                    n(8.0),
                    n(5.0),
                    n(255.0),
                    n(8.0),
                    n(5.0),
                    n(7.0)
                ]
            ),
            "ff|FF|10|101|0xff|010|0b101|007"
        );
        assert_eq!(fmt("%d", &[s("12")]), "12");
        assert_eq!(
            fmt("%d", &[n(1.5)]),
            "error: %d needs a whole number, not 1.5"
        );
    }

    #[test]
    fn floats_as_go_formats_them() {
        assert_eq!(
            fmt("%e|%E|%.2e", &[n(1234.5678), n(0.000_12), n(0.0)]),
            "1.234568e+03|1.200000E-04|0.00e+00"
        );
        assert_eq!(
            fmt(
                "%f|%.2f|%8.3f|%-8.1f|%+.1f|%08.2f",
                &[n(3.5), n(1.23456), n(1.23456), n(2.0), n(2.0), n(-1.23456)]
            ),
            "3.500000|1.23|   1.235|2.0     |+2.0|-0001.23"
        );
        assert_eq!(
            fmt(
                "%g|%g|%g|%g|%g",
                &[n(1234.5678), n(100_000.0), n(1e21), n(0.0001), n(0.000_01)]
            ),
            "1234.5678|100000|1e+21|0.0001|1e-05"
        );
        assert_eq!(
            fmt(
                "%.3g|%.3g|%.3g|%.10g|%G",
                &[n(1.0), n(1234.5678), n(0.000_123_45), n(2.5), n(1e-7)]
            ),
            "1|1.23e+03|0.000123|2.5|1E-07"
        );
    }

    #[test]
    fn v_of_a_number_is_the_shortest_g() {
        assert_eq!(
            fmt(
                "%v|%v|%v|%v",
                &[n(1_234_567.0), n(1e6), n(100_000.0), n(2.5)]
            ),
            "1.234567e+06|1e+06|100000|2.5"
        );
    }

    #[test]
    fn strings_values_and_bools() {
        assert_eq!(
            fmt(
                "%s|%5s|%-4s|%.3s|%05s",
                &[s("ab"), s("ab"), s("ab"), s("abcdef"), s("ab")]
            ),
            "ab|   ab|ab  |abc|000ab"
        );
        // Precision and width count grapheme clusters.
        assert_eq!(
            fmt("%.1s|%3s", &[s("e\u{301}x"), s("e\u{301}")]),
            "e\u{301}|  e\u{301}"
        );
        assert_eq!(
            fmt("%q|%q", &[s("a\"b\t"), s("<&>")]),
            r#""a\"b\t"|"\u003c\u0026\u003e""#
        );
        assert_eq!(
            fmt(
                "%v|%#v|%v|%v|%t|%5t",
                &[
                    s("x"),
                    s("x"),
                    Value::List(vec![n(1.0), s("a")]),
                    Value::Null,
                    Value::Bool(true),
                    s("false")
                ]
            ),
            r#"x|"x"|[1,"a"]|null|true|false"#
        );
        assert_eq!(fmt("%s", &[n(1.5)]), "1.5");
        assert_eq!(
            fmt("%s", &[Value::Null]),
            "error: %s cannot format null (only %v can)"
        );
    }

    #[test]
    fn argument_indexes_and_percent() {
        assert_eq!(fmt("%[2]s %[1]s %s", &[s("a"), s("b")]), "b a b");
        assert_eq!(fmt("%d%%", &[n(50.0)]), "50%");
        assert_eq!(
            fmt("%[3]s", &[s("a")]),
            "error: not enough arguments: %s needs argument 3 of 1"
        );
        assert_eq!(
            fmt("%[0]s", &[s("a")]),
            "error: an argument index is `[n]`, n from 1, right before the verb"
        );
        assert_eq!(
            fmt("%", &[]),
            "error: the format string ends inside a `%` sequence"
        );
        assert_eq!(fmt("%y", &[s("a")]), "unsupported: the verb %y");
    }
}
