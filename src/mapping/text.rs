//! String functions with DuckDB's exact semantics. Each function notes the DuckDB behaviour it
//! reproduces where Rust's standard library would differ.

use super::case_tables::{LOWER, UPPER};

/// Byte equality without calling libc's `memcmp`, whose fixed cost dominated profiles of rules
/// comparing the short strings billing data is made of (codes, tag keys).
#[inline]
pub fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    if a.len() > 64 {
        return a == b;
    }
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    let word = |c: &[u8]| u64::from_ne_bytes(c.try_into().unwrap_or_default());
    ca.zip(cb).all(|(x, y)| word(x) == word(y)) && ra.iter().zip(rb).all(|(x, y)| x == y)
}

/// `s.strip_prefix(p)` with [`same`].
#[inline]
pub fn after_prefix<'s>(s: &'s str, p: &str) -> Option<&'s str> {
    let head = s.get(..p.len())?;
    same(head, p).then(|| &s[p.len()..])
}

#[inline]
pub fn has_suffix(s: &str, p: &str) -> bool {
    s.len() >= p.len() && s.get(s.len() - p.len()..).is_some_and(|t| same(t, p))
}

fn map_char(table: &[(u32, u32)], c: char) -> char {
    match table.binary_search_by_key(&(c as u32), |&(from, _)| from) {
        Ok(i) => char::from_u32(table[i].1).unwrap_or(c),
        Err(_) => c,
    }
}

/// DuckDB `lower`: one code point to one code point (utf8proc simple mapping).
pub fn lower(s: &str, out: &mut String) {
    if s.is_ascii() {
        let start = out.len();
        out.push_str(s);
        out[start..].make_ascii_lowercase();
        return;
    }
    out.extend(s.chars().map(|c| {
        if c.is_ascii() {
            c.to_ascii_lowercase()
        } else {
            map_char(&LOWER, c)
        }
    }));
}

/// DuckDB `upper`: one code point to one code point ('ß' becomes 'ẞ', not "SS").
pub fn upper(s: &str, out: &mut String) {
    if s.is_ascii() {
        let start = out.len();
        out.push_str(s);
        out[start..].make_ascii_uppercase();
        return;
    }
    out.extend(s.chars().map(|c| {
        if c.is_ascii() {
            c.to_ascii_uppercase()
        } else {
            map_char(&UPPER, c)
        }
    }));
}

/// The characters DuckDB's `trim(s)` removes: Unicode category Zs only, so tabs and newlines stay.
pub fn is_trim_space(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{A0}' | '\u{1680}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}'
    )
}

pub fn trim(s: &str) -> &str {
    s.trim_matches(is_trim_space)
}

/// DuckDB `length`: code points, not bytes and not grapheme clusters.
pub fn length(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

/// DuckDB `replace`: an empty search string leaves the input unchanged.
pub fn replace(s: &str, from: &str, to: &str, out: &mut String) {
    if from.is_empty() {
        out.push_str(s);
        return;
    }
    let mut last = 0;
    for (i, _) in s.match_indices(from) {
        out.push_str(&s[last..i]);
        out.push_str(to);
        last = i + from.len();
    }
    out.push_str(&s[last..]);
}

/// DuckDB `split_part(s, sep, n)`, a macro for `coalesce(string_split(s, sep)[n], '')`: parts are
/// 1-based, negative `n` counts from the end, 0 and out-of-range give '', an empty separator
/// splits into code points.
pub fn split_part<'s>(s: &'s str, sep: &str, n: i64) -> &'s str {
    if sep.is_empty() {
        let count = length(s) as i64;
        let Some(k) = part_index(n, count) else { return "" };
        return s
            .char_indices()
            .nth(k)
            .map(|(i, c)| &s[i..i + c.len_utf8()])
            .unwrap_or("");
    }
    // Counting from the end must reuse the left-to-right split: `rsplit` finds different
    // separators when they overlap ("aaa" split on "aa").
    let count = if n < 0 { s.matches(sep).count() as i64 + 1 } else { 0 };
    match part_index(n, if n < 0 { count } else { i64::MAX }) {
        Some(k) => s.split(sep).nth(k).unwrap_or(""),
        None => "",
    }
}

fn part_index(n: i64, count: i64) -> Option<usize> {
    let k = if n > 0 { n - 1 } else { count.checked_add(n)? };
    (n != 0 && (0..count).contains(&k)).then_some(k as usize)
}

/// SQL LIKE without an escape character: `%` any run, `_` one code point, case-sensitive. DuckDB
/// matches bytes but steps `_` over a whole UTF-8 sequence, which is the same as matching code
/// points on valid UTF-8.
#[derive(Debug, Clone)]
pub struct LikePattern {
    parts: Vec<LikePart>,
    /// Without `_`: the literal pieces between `%`s, and whether `%` starts and ends the pattern.
    /// Matched like DuckDB's `LikeMatcher`: prefix, pieces found left to right, suffix.
    pieces: Option<(bool, Vec<String>, bool)>,
}

#[derive(Debug, Clone, PartialEq)]
enum LikePart {
    Lit(String),
    One,
    Any,
}

impl LikePattern {
    pub fn new(pattern: &str) -> Self {
        let mut parts: Vec<LikePart> = Vec::new();
        for c in pattern.chars() {
            match c {
                '%' => {
                    if parts.last() != Some(&LikePart::Any) {
                        parts.push(LikePart::Any);
                    }
                }
                '_' => parts.push(LikePart::One),
                _ => match parts.last_mut() {
                    Some(LikePart::Lit(s)) => s.push(c),
                    _ => parts.push(LikePart::Lit(c.to_string())),
                },
            }
        }
        let pieces = (!parts.contains(&LikePart::One)).then(|| {
            let lits = parts
                .iter()
                .filter_map(|p| match p {
                    LikePart::Lit(l) => Some(l.clone()),
                    _ => None,
                })
                .collect();
            (
                parts.first() == Some(&LikePart::Any),
                lits,
                parts.last() == Some(&LikePart::Any),
            )
        });
        LikePattern { parts, pieces }
    }

    pub fn matches(&self, s: &str) -> bool {
        match &self.pieces {
            Some((any_start, lits, any_end)) => Self::match_pieces(*any_start, lits, *any_end, s),
            None => self.match_general(s),
        }
    }

    fn match_pieces(any_start: bool, lits: &[String], any_end: bool, s: &str) -> bool {
        let Some((last, middle)) = lits.split_last() else {
            // Only `%`s, or the empty pattern.
            return any_start || s.is_empty();
        };
        let mut rest = s;
        let mut middle = middle;
        if !any_start {
            let Some((first, others)) = lits.split_first() else {
                return false;
            };
            let Some(after) = after_prefix(rest, first) else {
                return false;
            };
            if lits.len() == 1 {
                return any_end || after.is_empty();
            }
            rest = after;
            middle = &others[..others.len() - 1];
        }
        for lit in middle {
            match rest.find(lit.as_str()) {
                Some(i) => rest = &rest[i + lit.len()..],
                None => return false,
            }
        }
        if any_end {
            rest.contains(last.as_str())
        } else {
            has_suffix(rest, last)
        }
    }

    fn match_general(&self, s: &str) -> bool {
        // Greedy matching with backtracking to the last `%` is exact for patterns whose only
        // wildcards are `%` and `_`.
        let parts = &self.parts;
        let (mut pi, mut si) = (0usize, 0usize);
        let mut star: Option<(usize, usize)> = None;
        loop {
            if pi < parts.len() {
                match &parts[pi] {
                    LikePart::Any => {
                        star = Some((pi + 1, si));
                        pi += 1;
                        continue;
                    }
                    LikePart::One => {
                        if let Some(c) = s[si..].chars().next() {
                            si += c.len_utf8();
                            pi += 1;
                            continue;
                        }
                    }
                    LikePart::Lit(lit) => {
                        if after_prefix(&s[si..], lit).is_some() {
                            si += lit.len();
                            pi += 1;
                            continue;
                        }
                    }
                }
            } else if si == s.len() {
                return true;
            }
            // Mismatch: let the last `%` swallow one more code point and retry after it.
            match star {
                Some((after, from)) => match s[from..].chars().next() {
                    Some(c) => {
                        let next = from + c.len_utf8();
                        star = Some((after, next));
                        pi = after;
                        si = next;
                    }
                    None => return false,
                },
                None => return false,
            }
        }
    }
}

/// Appends `s` as a JSON string the way DuckDB's `to_json(VARCHAR)` writes it: `"` and `\`
/// escaped, control characters as `\b \t \n \f \r` or `\u00XX` (upper-case hex), everything else
/// (including DEL, U+2028 and non-ASCII) verbatim.
pub fn json_string(s: &str, out: &mut String) {
    out.push('"');
    json_escape(s, out);
    out.push('"');
}

/// Whether any byte of `s` needs escaping in JSON, eight bytes at a time: tag keys and values
/// almost never do.
pub(super) fn needs_escape(s: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Bit 7 of a byte is set where the byte is zero (exact for bytes < 0x80 only, hence `& !w`).
    let zero = |w: u64| w.wrapping_sub(ONES) & !w & HIGH;
    let chunks = s.chunks_exact(8);
    let rest = chunks.remainder();
    for c in chunks {
        let w = u64::from_ne_bytes(c.try_into().unwrap_or_default());
        let below_space = w.wrapping_sub(ONES * 0x20) & !w & HIGH;
        if below_space | zero(w ^ (ONES * u64::from(b'"'))) | zero(w ^ (ONES * u64::from(b'\\'))) != 0 {
            return true;
        }
    }
    rest.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\')
}

/// The inside of [`json_string`], without the quotes.
pub fn json_escape(s: &str, out: &mut String) {
    if !needs_escape(s.as_bytes()) {
        out.push_str(s);
        return;
    }
    let mut last = 0;
    for (i, b) in s.bytes().enumerate() {
        let esc: &str = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            0x08 => "\\b",
            b'\t' => "\\t",
            b'\n' => "\\n",
            0x0c => "\\f",
            b'\r' => "\\r",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[last..i]);
        if esc.is_empty() {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        } else {
            out.push_str(esc);
        }
        last = i + 1;
    }
    out.push_str(&s[last..]);
}
