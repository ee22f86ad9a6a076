//! DECIMAL(38,18) arithmetic, parsing and printing with DuckDB's exact results. Values are
//! `i128` scaled by 10^18; DuckDB's DECIMAL(38,18) holds |value| < 10^20, i.e. |scaled| < 10^38.

use crate::columnar::DECIMAL_ONE;

/// Exclusive bound on the scaled value of a DECIMAL(38,18).
pub const LIMIT: i128 = 100_000_000_000_000_000_000_000_000_000_000_000_000;
const SCALE: u32 = 18;
const WIDTH: u32 = 38;
const INT_DIGITS: u32 = WIDTH - SCALE;

pub fn in_range(v: i128) -> bool {
    -LIMIT < v && v < LIMIT
}

pub fn add(a: i128, b: i128) -> Option<i128> {
    a.checked_add(b).filter(|v| in_range(*v))
}

pub fn sub(a: i128, b: i128) -> Option<i128> {
    a.checked_sub(b).filter(|v| in_range(*v))
}

/// `a * b` rounded half away from zero to 18 decimals: what DuckDB returns for the product of two
/// DECIMAL(38,18) cast back to DECIMAL(38,18), as rendered by `sql::render_mul`. The product of
/// the integer parts and the cross terms are exact at scale 18; only the product of the two
/// fractional parts needs rounding.
pub fn mul(a: i128, b: i128) -> Option<i128> {
    let one = DECIMAL_ONE as u128;
    let (ua, ub) = (a.unsigned_abs(), b.unsigned_abs());
    let (a_int, a_frac) = (ua / one, ua % one);
    let (b_int, b_frac) = (ub / one, ub % one);
    let ints = a_int.checked_mul(b_int)?.checked_mul(one)?;
    let frac = a_frac * b_frac;
    let rounded = frac / one + u128::from(frac % one >= one / 2);
    let magnitude = ints
        .checked_add(a_int * b_frac)?
        .checked_add(a_frac * b_int)?
        .checked_add(rounded)?;
    if magnitude >= LIMIT as u128 {
        return None;
    }
    let m = magnitude as i128;
    Some(if (a < 0) != (b < 0) { -m } else { m })
}

/// DuckDB's text form of a DECIMAL(38,18): always 18 decimals, e.g. `-1.500000000000000000`.
pub fn format(v: i128, out: &mut String) {
    use std::fmt::Write;
    let one = DECIMAL_ONE as u128;
    let m = v.unsigned_abs();
    if v < 0 {
        out.push('-');
    }
    let _ = write!(out, "{}.{:018}", m / one, m % one);
}

/// The value as a JSON number: DuckDB's text without trailing fractional zeros (and without the
/// point when nothing is left after it), as `rtrim(rtrim(CAST(v AS VARCHAR), '0'), '.')` gives.
pub fn format_json(v: i128, out: &mut String) {
    let start = out.len();
    format(v, out);
    let trimmed = out[start..].trim_end_matches('0').trim_end_matches('.').len();
    out.truncate(start + trimmed);
}

/// Exact value of a literal in a mapping file (`12`, `-3.5`, `1e-3`); `None` when it is not a
/// DECIMAL(38,18) without rounding.
pub fn parse_literal(text: &str) -> Option<i128> {
    let (neg, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exp) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], body[i + 1..].parse::<i32>().ok()?),
        None => (body, 0),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits: String = format!("{int_part}{frac_part}");
    let digits = digits.trim_start_matches('0');
    // value = digits * 10^(exp - frac_len); scaled = digits * 10^(exp - frac_len + 18)
    let shift = exp as i64 - frac_part.len() as i64 + SCALE as i64;
    let mut v: i128 = 0;
    let (kept, dropped) = if shift >= 0 {
        (digits, "")
    } else {
        let cut = digits.len().saturating_sub((-shift) as usize);
        digits.split_at(cut)
    };
    if dropped.bytes().any(|d| d != b'0') {
        return None;
    }
    for d in kept.bytes() {
        v = v.checked_mul(10)?.checked_add(i128::from(d - b'0'))?;
    }
    if shift > 0 && v != 0 {
        for _ in 0..shift {
            v = v.checked_mul(10)?;
            if v >= LIMIT {
                return None;
            }
        }
    }
    if v >= LIMIT {
        return None;
    }
    Some(if neg { -v } else { v })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Exponent {
    None,
    Positive,
    Negative,
}

/// State of DuckDB's `DecimalCastOperation` (decimal_cast_operators.hpp), ported field by field
/// because its rounding rules with exponents are its own and we must reproduce them exactly.
struct Cast {
    result: i128,
    digit_count: u32,
    decimal_count: u32,
    round_set: bool,
    should_round: bool,
    excessive_decimals: u32,
    exponent: Exponent,
    negative: bool,
}

impl Cast {
    fn handle_digit(&mut self, digit: u8) -> bool {
        if self.result == 0 && digit == 0 {
            return true;
        }
        if self.digit_count == INT_DIGITS {
            return false;
        }
        self.digit_count += 1;
        let d = i128::from(digit);
        if self.negative {
            if self.result < i128::MIN / 10 {
                return false;
            }
            self.result = self.result * 10 - d;
        } else {
            if self.result > i128::MAX / 10 {
                return false;
            }
            self.result = self.result * 10 + d;
        }
        true
    }

    fn handle_decimal(&mut self, digit: u8) {
        if self.decimal_count == SCALE && !self.round_set {
            self.round_set = true;
            self.should_round = digit >= 5;
        }
        if self.digit_count + self.decimal_count >= WIDTH {
            return;
        }
        self.decimal_count += 1;
        let d = i128::from(digit);
        self.result = if self.negative {
            self.result * 10 - d
        } else {
            self.result * 10 + d
        };
    }

    fn round_up(&mut self) {
        self.result += if self.negative { -1 } else { 1 };
    }

    fn finalize(&mut self) -> bool {
        if self.exponent != Exponent::Positive && self.decimal_count > SCALE {
            self.excessive_decimals = self.decimal_count - SCALE;
        }
        if self.excessive_decimals > 0 {
            let mut round_up = false;
            for _ in 0..self.excessive_decimals {
                let m = self.result % 10;
                round_up = if self.negative { m <= -5 } else { m >= 5 };
                self.result /= 10;
            }
            if self.exponent == Exponent::Positive && round_up {
                self.round_up();
            }
            self.decimal_count = SCALE;
        }
        if self.exponent == Exponent::None && self.round_set && self.should_round {
            self.round_up();
        }
        for _ in self.decimal_count..SCALE {
            self.result *= 10;
        }
        if self.negative {
            self.result > -LIMIT
        } else {
            self.result < LIMIT
        }
    }

    fn handle_exponent(&mut self, mut exponent: i32) -> bool {
        let excess = self.decimal_count.saturating_sub(SCALE) as i32;
        if exponent > 0 {
            self.exponent = Exponent::Positive;
            if excess > exponent {
                self.excessive_decimals = (excess - exponent) as u32;
                exponent = 0;
            } else {
                exponent -= excess;
            }
        } else if exponent < 0 {
            self.exponent = Exponent::Negative;
        }
        if !self.finalize() {
            return false;
        }
        if exponent < 0 {
            let mut round_up = false;
            for _ in 0..-(exponent as i64) {
                let m = self.result % 10;
                round_up = if self.negative { m <= -5 } else { m >= 5 };
                self.result /= 10;
                // DuckDB >= 1.5.6/2.0 stops only once nothing is left to round (#20046 era fix).
                if self.result == 0 && m == 0 {
                    break;
                }
            }
            if round_up {
                self.round_up();
            }
            true
        } else {
            (0..exponent).all(|_| self.handle_digit(0))
        }
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// DuckDB's `IntegerCastLoop` for the int16 exponent after `e`: optional sign, digits with single
/// underscores between them, an optional bare `.`, trailing whitespace.
fn parse_exponent(buf: &[u8]) -> Option<i32> {
    let negative = buf.first() == Some(&b'-');
    let start = usize::from(negative || buf.first() == Some(&b'+'));
    let mut pos = start;
    let mut result: i32 = 0;
    while pos < buf.len() {
        let c = buf[pos];
        if !c.is_ascii_digit() {
            if c == b'.' {
                let before = pos > start;
                pos += 1;
                // Any digit after the point fails: an integer exponent has no decimals.
                if pos < buf.len() && buf[pos].is_ascii_digit() {
                    return None;
                }
                if !before {
                    return None;
                }
                if pos >= buf.len() {
                    break;
                }
            }
            if is_space(buf[pos]) {
                let rest_blank = buf[pos + 1..].iter().all(|b| is_space(*b));
                return (pos > start && rest_blank).then_some(result);
            }
            return None;
        }
        let d = i32::from(c - b'0');
        if negative {
            if result < (i32::from(i16::MIN) + d) / 10 {
                return None;
            }
            result = result * 10 - d;
        } else {
            if result > (i32::from(i16::MAX) - d) / 10 {
                return None;
            }
            result = result * 10 + d;
        }
        pos += 1;
        if pos < buf.len() && buf[pos] == b'_' {
            pos += 1;
            if pos == buf.len() || !buf[pos].is_ascii_digit() {
                return None;
            }
        }
    }
    (pos > start).then_some(result)
}

/// `CAST(text AS DECIMAL(38,18))` exactly as DuckDB does it (`TryDecimalStringCast`), including
/// surrounding whitespace, `+`, `_` digit separators, exponents and its rounding; `None` where
/// DuckDB raises a conversion error.
pub fn parse_duckdb(text: &str) -> Option<i128> {
    let mut buf = text.as_bytes();
    while let Some((&b, rest)) = buf.split_first() {
        if !is_space(b) {
            break;
        }
        buf = rest;
    }
    if buf.is_empty() {
        return None;
    }
    let negative = buf[0] == b'-';
    if !negative && buf.len() > 1 && buf[0] == b'0' && matches!(buf[1], b'x' | b'X' | b'b' | b'B') {
        // Hex and binary notations parse as integers only, never as DECIMAL.
        return None;
    }
    let mut st = Cast {
        result: 0,
        digit_count: 0,
        decimal_count: 0,
        round_set: false,
        should_round: false,
        excessive_decimals: 0,
        exponent: Exponent::None,
        negative,
    };
    let start = usize::from(negative || buf[0] == b'+');
    let mut pos = start;
    while pos < buf.len() {
        if !buf[pos].is_ascii_digit() {
            if buf[pos] == b'.' {
                let number_before = pos > start;
                pos += 1;
                let first = pos;
                while pos < buf.len() && buf[pos].is_ascii_digit() {
                    st.handle_decimal(buf[pos] - b'0');
                    pos += 1;
                    if pos < buf.len() && buf[pos] == b'_' {
                        pos += 1;
                        if pos == buf.len() || !buf[pos].is_ascii_digit() {
                            return None;
                        }
                    }
                }
                if !(number_before || pos > first) {
                    return None;
                }
                if pos >= buf.len() {
                    break;
                }
            }
            if is_space(buf[pos]) {
                // DuckDB 2.0.1 rejects a bare sign followed by spaces ("- "), which its
                // published source would accept: we follow the binary.
                if pos == start || !buf[pos + 1..].iter().all(|b| is_space(*b)) {
                    return None;
                }
                pos = buf.len();
                break;
            }
            if matches!(buf[pos], b'e' | b'E') {
                if pos == start {
                    return None;
                }
                pos += 1;
                if pos >= buf.len() {
                    return None;
                }
                let exponent = parse_exponent(&buf[pos..])?;
                return st.handle_exponent(exponent).then_some(st.result);
            }
            return None;
        }
        if !st.handle_digit(buf[pos] - b'0') {
            return None;
        }
        pos += 1;
        if pos < buf.len() && buf[pos] == b'_' {
            pos += 1;
            if pos == buf.len() || !buf[pos].is_ascii_digit() {
                return None;
            }
        }
    }
    if !st.finalize() {
        return None;
    }
    (pos > start).then_some(st.result)
}
