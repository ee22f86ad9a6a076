//! map_json output, byte for byte as DuckDB 2.0.1 renders the SQL of `sql::map_json` (checked
//! with `duckdb_parity.py`).

use super::*;

const TRICKY: &[(&str, Option<&str>)] = &[
    ("quote\"", Some("a\"b")),
    ("back\\slash", Some("c:\\dir\\")),
    ("ctl\u{1}\u{1f}\u{7f}", Some("tab\tnl\nbs\u{8}ff\u{c}cr\r")),
    ("ü€😀", Some("ßé\u{2028}\u{2029}")),
    ("", Some("empty key")),
    ("null", None),
    ("blank", Some("")),
    ("slash/", Some("</script>")),
    ("apos'", Some("it's")),
];

#[test]
fn escaping_matches_duckdb_to_json() {
    let b = batch(vec![("m", maps(&[Some(TRICKY)]))]);
    let want = format!(
        r#"{{"quote\"":"a\"b","back\\slash":"c:\\dir\\","ctl\u0001\u001F{del}":"tab\tnl\nbs\bff\fcr\r","ü€😀":"ßé{ls}{ps}","":"empty key","null":true,"blank":true,"slash/":"</script>","apos'":"it's"}}"#,
        del = '\u{7f}',
        ls = '\u{2028}',
        ps = '\u{2029}'
    );
    assert_eq!(run("map_json(m)", &b), vec![Some(want)]);
}

#[test]
fn every_control_character() {
    let mut out = String::new();
    for c in 0u8..0x20 {
        out.clear();
        text::json_string(&char::from(c).to_string(), &mut out);
        let want = match c {
            8 => "\"\\b\"".to_string(),
            9 => "\"\\t\"".to_string(),
            10 => "\"\\n\"".to_string(),
            12 => "\"\\f\"".to_string(),
            13 => "\"\\r\"".to_string(),
            _ => format!("\"\\u{c:04X}\""),
        };
        assert_eq!(out, want, "{c}");
    }
}

#[test]
fn decimal_values_are_plain_numbers() {
    let entries: &[(&str, Option<&str>)] = &[
        ("a", Some("1.5")),
        ("b", Some("2")),
        ("c", Some("-0.000000000000000001")),
        ("d", None),
        ("e", Some("0")),
        ("f", Some("12345678901234567890.123456789012345678")),
    ];
    let b = batch(vec![("md", dec_maps(&[Some(entries)]))]);
    assert_eq!(
        run("map_json(md)", &b),
        vals(&[Some(
            r#"{"a":1.5,"b":2,"c":-0.000000000000000001,"d":true,"e":0,"f":12345678901234567890.123456789012345678}"#
        )])
    );
}

#[test]
fn merging_and_nulls() {
    let b = batch(vec![
        (
            "m",
            maps(&[
                Some(&[("k", Some("1")), ("x", Some("first")), ("z", Some(""))]),
                None,
                None,
                Some(&[("a", Some("b"))]),
                Some(&[]),
            ]),
        ),
        (
            "md",
            dec_maps(&[
                Some(&[("y", Some("2.50")), ("k", Some("3"))]),
                Some(&[]),
                None,
                None,
                Some(&[]),
            ]),
        ),
    ]);
    assert_eq!(
        run("map_json(m, md)", &b),
        vals(&[
            Some(r#"{"k":3,"x":"first","z":true,"y":2.5}"#),
            None,
            None,
            Some(r#"{"a":"b"}"#),
            None
        ])
    );
    assert_eq!(
        run("map_json(md, m)", &b),
        vals(&[
            Some(r#"{"y":2.5,"k":"1","x":"first","z":true}"#),
            None,
            None,
            Some(r#"{"a":"b"}"#),
            None
        ])
    );
    assert_eq!(
        run("map_json(map_strip_prefix(m, 'k'), map_with_prefix(md, 'cc/'))", &b),
        vals(&[
            Some(r#"{"":"1","x":"first","z":true,"cc/y":2.5,"cc/k":3}"#),
            None,
            None,
            Some(r#"{"a":"b"}"#),
            None
        ])
    );
}

#[test]
fn a_second_strip_sees_the_values_the_first_moved() {
    // The first strip merges user:Team into Team (position 0, value d); the second then merges
    // user_Team into that, so Team ends with c, not with the last entry's d.
    let entries: &[(&str, Option<&str>)] = &[
        ("Team", Some("a")),
        ("x", Some("b")),
        ("user_Team", Some("c")),
        ("user:Team", Some("d")),
    ];
    let b = batch(vec![("m", maps(&[Some(entries)]))]);
    let nested = "map_strip_prefix(map_strip_prefix(m, 'user:'), 'user_')";
    assert_eq!(run(nested, &b), vals(&[Some("{Team=c,x=b}")]));
    assert_eq!(
        run(&format!("map_json({nested})"), &b),
        vals(&[Some(r#"{"Team":"c","x":"b"}"#)])
    );
    let prefixed =
        format!("map_json(map_with_prefix({nested}, 'p:'), map_strip_prefix(map_with_prefix(m, 'user'), 'user'))");
    assert_eq!(
        run(&prefixed, &b),
        vals(&[Some(
            r#"{"p:Team":"c","p:x":"b","Team":"a","x":"b","user_Team":"c","user:Team":"d"}"#
        )])
    );
}

#[test]
fn escape_detection_is_exact() {
    let special = |b: u8| b < 0x20 || b == b'"' || b == b'\\';
    for b in 0u8..=255 {
        for len in 1..20 {
            for pos in 0..len {
                let mut bytes = vec![b'a'; len];
                bytes[pos] = b;
                assert_eq!(text::needs_escape(&bytes), special(b), "byte {b:#x} at {pos} of {len}");
            }
        }
    }
}
