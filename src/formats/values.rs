//! Text and Arrow value conversions shared by every vendor reader: decimals exact to
//! 18 places, timestamps in the dialects billing files use, all to UTC.

use crate::columnar::{DECIMAL_ONE, DECIMAL_SCALE};

/// Parses a decimal literal (`-12.5`, `1.81E-8`, `+3`, `.5`) into a DECIMAL(38,18) raw value.
/// Digits beyond the 18th fractional place are rounded half away from zero (as DuckDB's cast).
pub fn parse_decimal(s: &str) -> Option<i128> {
    let s = s.trim();
    let b = s.as_bytes();
    let (neg, mut i) = match b.first()? {
        b'-' => (true, 1),
        b'+' => (false, 1),
        _ => (false, 0),
    };
    // Collect significant digits and the position of the decimal point.
    let mut digits: Vec<u8> = Vec::with_capacity(40);
    let mut frac_digits: i32 = 0;
    let mut seen_point = false;
    let mut seen_digit = false;
    while i < b.len() {
        match b[i] {
            c @ b'0'..=b'9' => {
                seen_digit = true;
                if !(digits.is_empty() && c == b'0') {
                    digits.push(c - b'0');
                }
                if seen_point {
                    frac_digits += 1;
                }
            }
            b'.' if !seen_point => seen_point = true,
            b'e' | b'E' => break,
            _ => return None,
        }
        i += 1;
    }
    if !seen_digit {
        return None;
    }
    let mut exp: i32 = 0;
    if i < b.len() {
        // exponent part
        let rest = &s[i + 1..];
        exp = rest.parse::<i32>().ok()?;
        if !(-400..=400).contains(&exp) {
            return None;
        }
    }
    // value = digits * 10^(exp - frac_digits); we want value * 10^18.
    let shift = exp - frac_digits + DECIMAL_SCALE as i32;
    let mut v: i128 = 0;
    if shift >= 0 {
        for d in &digits {
            v = v.checked_mul(10)?.checked_add(*d as i128)?;
        }
        for _ in 0..shift {
            v = v.checked_mul(10)?;
        }
    } else {
        let keep = digits.len() as i32 + shift; // digits that stay left of the cut
        if keep < 0 {
            return Some(0);
        }
        let keep = keep as usize;
        for d in &digits[..keep] {
            v = v.checked_mul(10)?.checked_add(*d as i128)?;
        }
        if digits.get(keep).is_some_and(|d| *d >= 5) {
            v = v.checked_add(1)?;
        }
    }
    Some(if neg { -v } else { v })
}

/// Converts a float as the file stored it. The shortest text that round-trips is what the
/// writer meant (0.1, not 0.1000000000000000055511), so that is the value we keep.
pub fn decimal_from_f64(f: f64) -> Option<i128> {
    if !f.is_finite() {
        return None;
    }
    let mut buf = ryu_like(f);
    if buf == "-0" {
        buf = "0".into();
    }
    parse_decimal(&buf)
}

/// As [`decimal_from_f64`], for 32-bit floats.
pub fn decimal_from_f32(f: f32) -> Option<i128> {
    if !f.is_finite() {
        return None;
    }
    parse_decimal(&format!("{f}"))
}

fn ryu_like(f: f64) -> String {
    // Rust's Display for f64 prints the shortest round-trip digits, never in exponent form.
    format!("{f}")
}

/// Rescales an integer with `scale` fractional digits to DECIMAL(38,18).
pub fn decimal_rescale(v: i128, scale: i32) -> Option<i128> {
    let shift = DECIMAL_SCALE as i32 - scale;
    if shift >= 0 {
        v.checked_mul(10i128.checked_pow(shift as u32)?)
    } else {
        let div = 10i128.checked_pow((-shift) as u32)?;
        let q = v / div;
        let r = v % div;
        Some(if r.abs() * 2 >= div { q + r.signum() } else { q })
    }
}

/// Formats a DECIMAL(38,18) without trailing zeros (`1.5`, `-0.000001`, `3`).
pub fn format_decimal(v: i128, out: &mut String) {
    use std::fmt::Write;
    if v < 0 {
        out.push('-');
    }
    let a = v.unsigned_abs();
    let one = DECIMAL_ONE as u128;
    let _ = write!(out, "{}", a / one);
    let frac = a % one;
    if frac != 0 {
        let s = format!("{:018}", frac);
        out.push('.');
        out.push_str(s.trim_end_matches('0'));
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// (year, month, day) of days since the epoch.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719468;
    let era = if z >= 0 { z } else { z - 146096 } / 146097;
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

pub const MICROS_PER_DAY: i64 = 86_400_000_000;

fn num(b: &[u8]) -> Option<u32> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(b).ok()?.parse().ok()
}

/// Parses the timestamp dialects billing files use into microseconds since the epoch, UTC:
/// `2023-11-01T00:00:00.000Z`, `2023-11-01T00:00:00Z`, `2018-06-20 01:00:00`, `2024-06-12T00:00Z`
/// (no seconds), `2020-11-09 23:00:00+00:00`, `2019-09-16T00:00:00-07:00`, `20180801T000000.000Z`
/// (CUR manifests), a bare date `2023-11-01`, and US dates `9/21/2023` or `09/21/2023 00:00:00`.
/// Times without a zone are UTC (every vendor documents its exports in UTC).
pub fn parse_timestamp(s: &str) -> Option<i64> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.is_empty() {
        return None;
    }
    // Date part.
    let (y, m, d, mut rest): (i64, u32, u32, &[u8]) = if b.len() >= 10 && b[4] == b'-' && b[7] == b'-' {
        (num(&b[0..4])? as i64, num(&b[5..7])?, num(&b[8..10])?, &b[10..])
    } else if b.len() >= 8 && b[..8].iter().all(u8::is_ascii_digit) {
        (num(&b[0..4])? as i64, num(&b[4..6])?, num(&b[6..8])?, &b[8..])
    } else if let Some(p1) = b.iter().position(|c| *c == b'/') {
        // M/D/YYYY
        let p2 = p1 + 1 + b[p1 + 1..].iter().position(|c| *c == b'/')?;
        let end = p2
            + 1
            + b[p2 + 1..]
                .iter()
                .position(|c| !c.is_ascii_digit())
                .unwrap_or(b.len() - p2 - 1);
        (
            num(&b[p2 + 1..end])? as i64,
            num(&b[..p1])?,
            num(&b[p1 + 1..p2])?,
            &b[end..],
        )
    } else {
        return None;
    };
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    let mut micros = days_from_civil(y, m, d) * MICROS_PER_DAY;
    if rest.is_empty() {
        return Some(micros);
    }
    if rest[0] != b'T' && rest[0] != b' ' {
        return None;
    }
    rest = &rest[1..];
    // Time part: HH:MM[:SS[.f]] or HHMMSS[.f]
    let (h, mi, sec, frac_us, after): (u32, u32, u32, i64, &[u8]);
    if rest.len() >= 5 && rest[2] == b':' {
        h = num(&rest[0..2])?;
        mi = num(&rest[3..5])?;
        let mut r = &rest[5..];
        let mut sv = 0;
        if r.len() >= 3 && r[0] == b':' {
            sv = num(&r[1..3])?;
            r = &r[3..];
        }
        let (f, r2) = fraction(r)?;
        sec = sv;
        frac_us = f;
        after = r2;
    } else if rest.len() >= 6 && rest[..6].iter().all(u8::is_ascii_digit) {
        h = num(&rest[0..2])?;
        mi = num(&rest[2..4])?;
        sec = num(&rest[4..6])?;
        let (f, r2) = fraction(&rest[6..])?;
        frac_us = f;
        after = r2;
    } else {
        return None;
    }
    if h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    micros += ((h as i64 * 60 + mi as i64) * 60 + sec as i64) * 1_000_000 + frac_us;
    // Zone.
    let zone = after.strip_prefix(b" ").unwrap_or(after);
    let offset_min: i64 = match zone {
        [] | b"Z" | b"z" | b"UTC" => 0,
        [sign @ (b'+' | b'-'), rest @ ..] => {
            let (hh, mm) = match rest {
                [a, b] => (num(&[*a, *b])?, 0),
                [a, b, b':', c, d] => (num(&[*a, *b])?, num(&[*c, *d])?),
                [a, b, c, d] => (num(&[*a, *b])?, num(&[*c, *d])?),
                _ => return None,
            };
            let m = (hh * 60 + mm) as i64;
            if *sign == b'-' {
                -m
            } else {
                m
            }
        }
        _ => return None,
    };
    Some(micros - offset_min * 60_000_000)
}

fn fraction(r: &[u8]) -> Option<(i64, &[u8])> {
    if r.first() != Some(&b'.') {
        return Some((0, r));
    }
    let digits = r[1..].iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 {
        return None;
    }
    let mut us: i64 = 0;
    for (k, c) in r[1..1 + digits].iter().enumerate() {
        if k < 6 {
            us = us * 10 + (c - b'0') as i64;
        }
    }
    for _ in digits..6 {
        us *= 10;
    }
    Some((us, &r[1 + digits..]))
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> i128 {
        parse_decimal(s).unwrap_or_else(|| panic!("{s}"))
    }

    #[test]
    fn decimals_parse_exactly() {
        assert_eq!(dec("1"), DECIMAL_ONE);
        assert_eq!(dec("-12.5"), -12 * DECIMAL_ONE - DECIMAL_ONE / 2);
        assert_eq!(dec("1.81E-8"), 18_100_000_000);
        assert_eq!(dec("0.0300000000"), 30_000_000_000_000_000);
        assert_eq!(dec(".5"), DECIMAL_ONE / 2);
        assert_eq!(dec("+3e2"), 300 * DECIMAL_ONE);
        assert_eq!(dec("0.0000000000000000015"), 2); // rounded half away from zero
        assert_eq!(dec("-0.0000000000000000015"), -2);
        assert_eq!(dec("1e-30"), 0);
        assert_eq!(dec("000123.4500"), 123_450_000_000_000_000_000);
        for bad in ["", "-", ".", "abc", "1.2.3", "1e", "1,5", "$1", "1e999"] {
            assert_eq!(parse_decimal(bad), None, "{bad}");
        }
        assert_eq!(parse_decimal("99999999999999999999999"), None); // > 10^20 overflows 38 digits
    }

    #[test]
    fn floats_keep_their_shortest_text() {
        assert_eq!(decimal_from_f64(0.1), Some(DECIMAL_ONE / 10));
        assert_eq!(decimal_from_f64(1.81e-8), Some(18_100_000_000));
        assert_eq!(decimal_from_f64(-0.0), Some(0));
        assert_eq!(decimal_from_f64(f64::NAN), None);
    }

    #[test]
    fn rescale_and_format() {
        assert_eq!(decimal_rescale(12345, 2), Some(dec("123.45")));
        assert_eq!(decimal_rescale(15, 19), Some(2));
        let mut s = String::new();
        format_decimal(dec("-1.500"), &mut s);
        assert_eq!(s, "-1.5");
        s.clear();
        format_decimal(dec("7"), &mut s);
        assert_eq!(s, "7");
    }

    #[test]
    fn timestamps_in_every_dialect() {
        let t0 = 1_698_796_800_000_000; // 2023-11-01T00:00:00Z
        for s in [
            "2023-11-01T00:00:00.000Z",
            "2023-11-01T00:00:00Z",
            "2023-11-01 00:00:00",
            "2023-11-01T00:00Z",
            "2023-11-01 00:00:00+00:00",
            "2023-11-01",
            "20231101T000000.000Z",
            "11/1/2023",
            "11/01/2023 00:00:00",
            "2023-10-31T17:00:00-07:00",
        ] {
            assert_eq!(parse_timestamp(s), Some(t0), "{s}");
        }
        assert_eq!(parse_timestamp("2023-11-01T00:00:01.5Z"), Some(t0 + 1_500_000));
        for bad in [
            "",
            "2023-13-01",
            "2023-02-30",
            "yesterday",
            "2023-11-01T25:00:00Z",
            "2023-11-01X",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
        assert_eq!(civil_from_days(days_from_civil(2024, 2, 29)), (2024, 2, 29));
    }
}
