//! Translation of the RE2 patterns DuckDB's `regexp_*` functions accept into `regex` crate syntax
//! with the same meaning. Both engines are leftmost-first and UTF-8; they differ in details a
//! rule could hit: RE2's `\d \s \w \b` are ASCII-only, `{` that does not start a valid repetition
//! is a literal, `[` and `&&` inside a class are literals, `\<` is a literal '<', and `\Q...\E`
//! quotes. Anything outside the common subset is rejected rather than guessed.

use regex::Regex;

const DIGIT: &str = "0-9";
const SPACE: &str = "\\t\\n\\x0C\\r ";
const WORD: &str = "0-9A-Za-z_";

pub fn compile(pattern: &str) -> Result<Regex, String> {
    let translated = translate(pattern)?;
    Regex::new(&translated).map_err(|e| format!("invalid regular expression {pattern:?}: {e}"))
}

#[derive(Clone, Copy, PartialEq)]
enum Last {
    Other,
    Repeat,
    Lazy,
}

pub fn translate(pattern: &str) -> Result<String, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut i = 0;
    // RE2 allows one lazy `?` right after a repetition and rejects any other stacking (`a**`).
    let mut last = Last::Other;
    while i < chars.len() {
        let c = chars[i];
        let rep_end = match c {
            '*' | '+' | '?' => Some(i + 1),
            '{' => repetition(&chars, i),
            _ => None,
        };
        if let Some(end) = rep_end {
            last = match (last, c) {
                (Last::Other, _) => Last::Repeat,
                (Last::Repeat, '?') => Last::Lazy,
                _ => return Err(format!("bad repetition operator in {}", show(&chars))),
            };
            out.extend(&chars[i..end]);
            i = end;
            continue;
        }
        last = Last::Other;
        match c {
            '\\' => {
                i = escape(&chars, i + 1, &mut out, false)?;
                continue;
            }
            '[' => {
                i = class(&chars, i + 1, &mut out)?;
                continue;
            }
            '(' if chars.get(i + 1) == Some(&'?') => {
                i = group_head(&chars, i + 2, &mut out)?;
                continue;
            }
            '(' | ')' | '|' | '.' | '^' | '$' => out.push(c),
            _ => push_literal(c, &mut out),
        }
        i += 1;
    }
    Ok(out)
}

fn show(chars: &[char]) -> String {
    format!("{:?}", chars.iter().collect::<String>())
}

/// `{n}`, `{n,}` or `{n,m}` at `start`: returns the index after `}`. Anything else (`{,3}`,
/// `{a}`, an unclosed brace) is a literal brace in RE2.
fn repetition(chars: &[char], start: usize) -> Option<usize> {
    let mut i = start + 1;
    let digits = |i: &mut usize| {
        let from = *i;
        while chars.get(*i).is_some_and(|c| c.is_ascii_digit()) {
            *i += 1;
        }
        *i > from
    };
    if !digits(&mut i) {
        return None;
    }
    if chars.get(i) == Some(&',') {
        i += 1;
        digits(&mut i);
    }
    (chars.get(i) == Some(&'}')).then_some(i + 1)
}

/// Characters with a meaning in `regex` syntax (outside or inside classes). Escaping anything
/// else would be wrong: `\\<` is a word-start assertion there, a literal '<' in RE2.
const META: &str = "\\.+*?()|[]{}^$#&-~";

fn push_literal(c: char, out: &mut String) {
    if META.contains(c) {
        out.push('\\');
    }
    out.push(c);
}

fn literal(c: char) -> String {
    let mut s = String::new();
    push_literal(c, &mut s);
    s
}

/// After `(?`: named groups and flag groups with RE2's flags (i, m, s, U).
fn group_head(chars: &[char], mut i: usize, out: &mut String) -> Result<usize, String> {
    let named = match (chars.get(i), chars.get(i + 1)) {
        (Some('P'), Some('<')) => Some(i + 2),
        (Some('<'), _) => Some(i + 1),
        _ => None,
    };
    if let Some(start) = named {
        let mut j = start;
        while chars.get(j).is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_') {
            j += 1;
        }
        if j == start || chars.get(j) != Some(&'>') {
            return Err(format!("invalid named group in {}", show(chars)));
        }
        out.push_str("(?P<");
        out.extend(&chars[start..j]);
        out.push('>');
        return Ok(j + 1);
    }
    let start = i;
    while chars.get(i).is_some_and(|c| matches!(c, 'i' | 'm' | 's' | 'U' | '-')) {
        i += 1;
    }
    match chars.get(i) {
        Some(')') | Some(':') if i > start => {
            out.push_str("(?");
            out.extend(&chars[start..=i]);
            Ok(i + 1)
        }
        _ => Err(format!(
            "unsupported group syntax in {}: only (?P<name>...), (?<name>...) and the flags i, m, s, U are allowed",
            show(chars)
        )),
    }
}

/// What an escape sequence stands for.
enum Escaped {
    /// One character (usable as a range endpoint), already written in regex syntax.
    Char(String),
    /// A set of characters: the text to use outside and inside a bracket class.
    Set(String, String),
    /// An assertion or quoted text, valid only outside classes.
    Other(String),
}

/// Parses the escape whose letter is at `i`; returns the text and the index after it.
fn parse_escape(chars: &[char], i: usize) -> Result<(Escaped, usize), String> {
    let Some(&c) = chars.get(i) else {
        return Err(format!("trailing backslash in {}", show(chars)));
    };
    let set = |neg: bool, body: &str| {
        let outside = if neg { format!("[^{body}]") } else { format!("[{body}]") };
        let inside = if neg { format!("[^{body}]") } else { body.to_string() };
        Escaped::Set(outside, inside)
    };
    Ok(match c {
        'd' => (set(false, DIGIT), i + 1),
        'D' => (set(true, DIGIT), i + 1),
        's' => (set(false, SPACE), i + 1),
        'S' => (set(true, SPACE), i + 1),
        'w' => (set(false, WORD), i + 1),
        'W' => (set(true, WORD), i + 1),
        'b' => (Escaped::Other("(?-u:\\b)".into()), i + 1),
        'B' => (Escaped::Other("(?-u:\\B)".into()), i + 1),
        'A' => (Escaped::Other("\\A".into()), i + 1),
        'z' => (Escaped::Other("\\z".into()), i + 1),
        'n' | 't' | 'r' | 'f' | 'v' | 'a' => (Escaped::Char(format!("\\{c}")), i + 1),
        'p' | 'P' => {
            let end = if chars.get(i + 1) == Some(&'{') {
                let close = (i + 2..chars.len()).find(|&k| chars[k] == '}');
                close.ok_or_else(|| format!("unclosed \\{c}{{ in {}", show(chars)))? + 1
            } else if i + 1 < chars.len() {
                i + 2
            } else {
                return Err(format!("incomplete \\{c} in {}", show(chars)));
            };
            let text: String = chars[i - 1..end].iter().collect();
            (Escaped::Set(text.clone(), text), end)
        }
        'x' => {
            let end = if chars.get(i + 1) == Some(&'{') {
                let close = (i + 2..chars.len()).find(|&k| chars[k] == '}');
                close.ok_or_else(|| format!("unclosed \\x{{ in {}", show(chars)))? + 1
            } else {
                if !(i + 1..i + 3).all(|k| chars.get(k).is_some_and(|h| h.is_ascii_hexdigit())) {
                    return Err(format!("bad \\x escape in {}", show(chars)));
                }
                i + 3
            };
            let text: String = chars[i - 1..end].iter().collect();
            (Escaped::Char(text), end)
        }
        'Q' => {
            let mut j = i + 1;
            let mut text = String::new();
            while j < chars.len() && !(chars[j] == '\\' && chars.get(j + 1) == Some(&'E')) {
                push_literal(chars[j], &mut text);
                j += 1;
            }
            let end = if j < chars.len() { j + 2 } else { j };
            // `(?:...)` keeps a following repetition applying to the whole quoted text, as in RE2.
            (Escaped::Other(format!("(?:{text})")), end)
        }
        _ if c.is_ascii_punctuation() && c != '_' => (Escaped::Char(literal(c)), i + 1),
        _ => return Err(format!("unsupported escape \\{c} in {}", show(chars))),
    })
}

fn escape(chars: &[char], i: usize, out: &mut String, in_class: bool) -> Result<usize, String> {
    let (e, end) = parse_escape(chars, i)?;
    match e {
        Escaped::Char(t) => out.push_str(&t),
        Escaped::Set(outside, inside) => out.push_str(if in_class { &inside } else { &outside }),
        Escaped::Other(t) => {
            if in_class {
                return Err(format!("escape not allowed in a character class in {}", show(chars)));
            }
            out.push_str(&t)
        }
    }
    Ok(end)
}

/// A bracket class starting after `[`; returns the index after the closing `]`.
fn class(chars: &[char], mut i: usize, out: &mut String) -> Result<usize, String> {
    out.push('[');
    if chars.get(i) == Some(&'^') {
        out.push('^');
        i += 1;
    }
    let mut first = true;
    loop {
        let Some(&c) = chars.get(i) else {
            return Err(format!("missing ] in {}", show(chars)));
        };
        if c == ']' && !first {
            out.push(']');
            return Ok(i + 1);
        }
        first = false;
        if c == '[' && chars.get(i + 1) == Some(&':') {
            let close = (i + 2..chars.len().saturating_sub(1)).find(|&k| chars[k] == ':' && chars[k + 1] == ']');
            if let Some(k) = close {
                out.extend(&chars[i..k + 2]);
                i = k + 2;
                continue;
            }
        }
        // One class item: a character (possibly a range start) or a set.
        let (lo, next) = class_char(chars, i)?;
        let Some(lo) = lo else {
            i = escape(chars, i + 1, out, true)?;
            continue;
        };
        if chars.get(next) == Some(&'-') && chars.get(next + 1).is_some_and(|&n| n != ']') {
            let (hi, after) = class_char(chars, next + 1)?;
            let Some(hi) = hi else {
                return Err(format!("bad character class range in {}", show(chars)));
            };
            out.push_str(&lo);
            out.push('-');
            out.push_str(&hi);
            i = after;
        } else {
            out.push_str(&lo);
            i = next;
        }
    }
}

/// A single character inside a class at `i`, written for a Rust class; `None` for an escape that
/// is a set (`\d`, `\pL`), which the caller writes itself.
fn class_char(chars: &[char], i: usize) -> Result<(Option<String>, usize), String> {
    let c = chars[i];
    if c == '\\' {
        let (e, end) = parse_escape(chars, i + 1)?;
        return match e {
            Escaped::Char(t) => Ok((Some(t), end)),
            Escaped::Set(..) => Ok((None, i)),
            Escaped::Other(_) => Err(format!("escape not allowed in a character class in {}", show(chars))),
        };
    }
    let text = if matches!(c, '[' | ']' | '\\' | '-' | '^' | '&' | '~') {
        format!("\\{c}")
    } else {
        c.to_string()
    };
    Ok((Some(text), i + 1))
}
