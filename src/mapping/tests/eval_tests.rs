use super::*;

fn three_valued() -> Batch {
    // Every pair of (true, false, NULL).
    let v = [Some(true), Some(false), None];
    let (mut a, mut c) = (Vec::new(), Vec::new());
    for x in v {
        for y in v {
            a.push(x);
            c.push(y);
        }
    }
    // `b` holds the left operand; the right one comes from `s` = 'y' / 'n' / NULL.
    let right: Vec<Option<&str>> = c.iter().map(|y| y.map(|y| if y { "y" } else { "n" })).collect();
    batch(vec![("b", bools(&a)), ("s", strs(&right))])
}

#[test]
fn three_valued_logic() {
    let b = three_valued();
    let and = run("b AND s = 'y'", &b);
    let or = run("b OR s = 'y'", &b);
    let not = run("NOT b", &b);
    let (t, f, n) = (s("true"), s("false"), None);
    assert_eq!(
        and,
        [
            t.clone(),
            f.clone(),
            n.clone(),
            f.clone(),
            f.clone(),
            f.clone(),
            n.clone(),
            f.clone(),
            n.clone()
        ]
    );
    assert_eq!(
        or,
        [
            t.clone(),
            t.clone(),
            t.clone(),
            t.clone(),
            f.clone(),
            n.clone(),
            t.clone(),
            n.clone(),
            n.clone()
        ]
    );
    assert_eq!(
        not,
        [
            f.clone(),
            f.clone(),
            f.clone(),
            t.clone(),
            t.clone(),
            t.clone(),
            n.clone(),
            n.clone(),
            n
        ]
    );
    // A NULL condition takes the ELSE branch.
    let case = run("CASE WHEN b AND s = 'y' THEN 'T' ELSE 'E' END", &b);
    assert_eq!(
        case,
        vals(&[
            Some("T"),
            Some("E"),
            Some("E"),
            Some("E"),
            Some("E"),
            Some("E"),
            Some("E"),
            Some("E"),
            Some("E")
        ])
    );
}

#[test]
fn comparisons_and_null() {
    let b = batch(vec![
        ("s", strs(&[Some("a"), Some("B"), Some("é"), None, Some("")])),
        ("t", strs(&[Some("b"), Some("a"), Some("z"), Some("a"), Some("")])),
    ]);
    assert_eq!(
        run("s < t", &b),
        vals(&[Some("true"), Some("true"), Some("false"), None, Some("false")])
    );
    assert_eq!(
        run("s = t", &b),
        vals(&[Some("false"), Some("false"), Some("false"), None, Some("true")])
    );
    assert_eq!(
        run("s <> t", &b),
        vals(&[Some("true"), Some("true"), Some("true"), None, Some("false")])
    );
    assert_eq!(
        run("s >= t", &b),
        vals(&[Some("false"), Some("false"), Some("true"), None, Some("true")])
    );
    assert_eq!(run("s = NULL", &b), vals(&[None, None, None, None, None]));
    assert_eq!(
        run("s IS NULL", &b),
        vals(&[Some("false"), Some("false"), Some("false"), Some("true"), Some("false")])
    );
    assert_eq!(
        run("s IS NOT NULL", &b),
        vals(&[Some("true"), Some("true"), Some("true"), Some("false"), Some("true")])
    );
    let d = batch(vec![
        ("d", decs(&[Some("1.5"), Some("-2"), None])),
        ("e", decs(&[Some("1.50"), Some("-1"), Some("0")])),
        ("ts", tss(&[Some(1), Some(-5), Some(7)])),
        ("ts2", tss(&[Some(2), Some(-5), None])),
    ]);
    assert_eq!(run("d = e", &d), vals(&[Some("true"), Some("false"), None]));
    assert_eq!(run("d <= e", &d), vals(&[Some("true"), Some("true"), None]));
    assert_eq!(run("ts < ts2", &d), vals(&[Some("true"), Some("false"), None]));
    assert_eq!(run("ts >= ts2", &d), vals(&[Some("false"), Some("true"), None]));
    assert_eq!(run("NULL IS NULL", &d), vals(&[Some("true"); 3]));
    assert_eq!(
        run("d IS NULL", &d),
        vals(&[Some("false"), Some("false"), Some("true")])
    );
}

#[test]
fn in_lists_with_null() {
    let b = batch(vec![("s", strs(&[Some("a"), Some("c"), None]))]);
    assert_eq!(run("s IN ('a', 'b')", &b), vals(&[Some("true"), Some("false"), None]));
    assert_eq!(run("s IN ('a', NULL)", &b), vals(&[Some("true"), None, None]));
    assert_eq!(
        run("s NOT IN ('a', 'b')", &b),
        vals(&[Some("false"), Some("true"), None])
    );
    assert_eq!(run("s NOT IN ('b', NULL)", &b), vals(&[None, None, None]));
    let d = batch(vec![("d", decs(&[Some("1"), Some("-2.5"), None]))]);
    assert_eq!(run("d IN (1.0, -2.50)", &d), vals(&[Some("true"), Some("true"), None]));
}

#[test]
fn like() {
    let b = batch(vec![(
        "s",
        strs(&[
            Some("abc"),
            Some("ABC"),
            Some("a_c"),
            Some("é"),
            Some("a\nc"),
            Some(""),
            None,
            Some("a\\b"),
            Some("aXbXc"),
        ]),
    )]);
    assert_eq!(
        run("s LIKE 'a%'", &b),
        vals(&[
            Some("true"),
            Some("false"),
            Some("true"),
            Some("false"),
            Some("true"),
            Some("false"),
            None,
            Some("true"),
            Some("true")
        ])
    );
    assert_eq!(
        run("s LIKE '_'", &b),
        vals(&[
            Some("false"),
            Some("false"),
            Some("false"),
            Some("true"),
            Some("false"),
            Some("false"),
            None,
            Some("false"),
            Some("false")
        ])
    );
    assert_eq!(
        run("s LIKE '%'", &b),
        vals(&[
            Some("true"),
            Some("true"),
            Some("true"),
            Some("true"),
            Some("true"),
            Some("true"),
            None,
            Some("true"),
            Some("true")
        ])
    );
    // No escape character: a backslash is an ordinary character.
    assert_eq!(run("s LIKE 'a\\b'", &b)[7], s("true"));
    assert_eq!(run("s LIKE 'a\\_c'", &b)[2], s("false"));
    assert_eq!(run("s LIKE '%b_c'", &b)[8], s("true"));
    assert_eq!(run("s LIKE '%X_c'", &b)[8], s("false"));
    assert_eq!(run("s LIKE 'a%b%c'", &b)[8], s("true"));
    assert_eq!(run("s LIKE 'a%%c'", &b)[0], s("true"));
    assert_eq!(run("s LIKE '%c%c'", &b)[0], s("false"));
    assert_eq!(run("s NOT LIKE 'a%'", &b)[1], s("true"));
    assert_eq!(run("s LIKE 'a_c'", &b)[4], s("true"));
}

#[test]
fn case_forms() {
    let b = batch(vec![
        ("s", strs(&[Some("Tax"), Some("Credit"), Some("Usage"), None])),
        ("t", strs(&[Some("x"), Some("Usage"), Some("Usage"), None])),
    ]);
    let r = run("CASE s WHEN 'Tax' THEN 'T' WHEN 'Credit' THEN 'C' ELSE 'U' END", &b);
    assert_eq!(r, vals(&[Some("T"), Some("C"), Some("U"), Some("U")]));
    let r = run("CASE s WHEN 'Tax' THEN 'T' END", &b);
    assert_eq!(r, vals(&[Some("T"), None, None, None]));
    // WHEN values can be expressions; NULL never matches.
    let r = run("CASE s WHEN t THEN 'same' WHEN NULL THEN 'null' ELSE 'other' END", &b);
    assert_eq!(r, vals(&[Some("other"), Some("other"), Some("same"), Some("other")]));
    let r = run("CASE WHEN s = 'Tax' THEN t WHEN s IS NULL THEN 'none' END", &b);
    assert_eq!(r, vals(&[Some("x"), None, None, Some("none")]));
    let r = run("CASE WHEN s IS NOT NULL THEN 1 ELSE 2 END", &b);
    assert_eq!(
        r,
        vals(&[
            Some("1.000000000000000000"),
            Some("1.000000000000000000"),
            Some("1.000000000000000000"),
            Some("2.000000000000000000")
        ])
    );
    // All rows take one branch, or none does.
    assert_eq!(
        run("CASE WHEN TRUE THEN s END", &b),
        vals(&[Some("Tax"), Some("Credit"), Some("Usage"), None])
    );
    assert_eq!(run("CASE WHEN FALSE THEN s END", &b), vals(&[None, None, None, None]));
    assert_eq!(
        run("CASE WHEN FALSE THEN s ELSE t END", &b),
        vals(&[Some("x"), Some("Usage"), Some("Usage"), None])
    );
    // Nested CASE on a subset of rows.
    let r = run(
        "CASE WHEN s IS NULL THEN 'n' ELSE CASE WHEN t = 'Usage' THEN s || '!' ELSE 'x' END END",
        &b,
    );
    assert_eq!(r, vals(&[Some("x"), Some("Credit!"), Some("Usage!"), Some("n")]));
}

#[test]
fn case_and_coalesce_only_evaluate_rows_that_reach_them() {
    let b = batch(vec![("n", strs(&[Some("1.5"), Some("oops"), None, Some(" -2e1 ")]))]);
    let r = run("CASE WHEN n <> 'oops' THEN CAST(n AS DECIMAL) END", &b);
    assert_eq!(
        r,
        vals(&[Some("1.500000000000000000"), None, None, Some("-20.000000000000000000")])
    );
    let r = run("coalesce(CASE WHEN n = 'oops' THEN 0 END, CAST(n AS DECIMAL), -1)", &b);
    assert_eq!(
        r,
        vals(&[
            Some("1.500000000000000000"),
            Some("0.000000000000000000"),
            Some("-1.000000000000000000"),
            Some("-20.000000000000000000")
        ])
    );
    let err = eval_err("CAST(n AS DECIMAL)", &b);
    assert_eq!(err, "test: x: could not convert string \"oops\" to DECIMAL(38,18)");
    // A failing constant is not an error while no row reaches it.
    let r = run("CASE WHEN n = 'never' THEN CAST('bad' AS DECIMAL) ELSE 1 END", &b);
    assert_eq!(r[0], s("1.000000000000000000"));
    let err = eval_err("CASE WHEN n = 'oops' THEN CAST('bad' AS DECIMAL) ELSE 1 END", &b);
    assert!(err.contains("could not convert string \"bad\""), "{err}");
}

#[test]
fn coalesce_nullif_greatest_least() {
    let b = batch(vec![
        ("s", strs(&[Some("a"), None, None, Some("b")])),
        ("t", strs(&[Some("z"), Some("y"), None, Some("b")])),
        ("d", decs(&[Some("1"), None, Some("3"), None])),
        ("e", decs(&[Some("2"), Some("-1"), None, None])),
    ]);
    assert_eq!(
        run("coalesce(s, t)", &b),
        vals(&[Some("a"), Some("y"), None, Some("b")])
    );
    assert_eq!(
        run("coalesce(s, t, 'q')", &b),
        vals(&[Some("a"), Some("y"), Some("q"), Some("b")])
    );
    assert_eq!(run("coalesce(s)", &b), vals(&[Some("a"), None, None, Some("b")]));
    assert_eq!(run("nullif(s, t)", &b), vals(&[Some("a"), None, None, None]));
    assert_eq!(run("nullif(t, 'y')", &b), vals(&[Some("z"), None, None, Some("b")]));
    assert_eq!(
        run("greatest(s, t)", &b),
        vals(&[Some("z"), Some("y"), None, Some("b")])
    );
    assert_eq!(run("least(s, t)", &b), vals(&[Some("a"), Some("y"), None, Some("b")]));
    assert_eq!(
        run("greatest(d, e)", &b),
        vals(&[
            Some("2.000000000000000000"),
            Some("-1.000000000000000000"),
            Some("3.000000000000000000"),
            None
        ])
    );
    assert_eq!(
        run("least(d, e, 0)", &b),
        vals(&[
            Some("0.000000000000000000"),
            Some("-1.000000000000000000"),
            Some("0.000000000000000000"),
            Some("0.000000000000000000")
        ])
    );
}

#[test]
fn string_functions() {
    let b = batch(vec![(
        "s",
        strs(&[
            Some("  Hello, World  "),
            Some("straße İ ǅ"),
            Some("\ta b\n"),
            Some(""),
            None,
            Some("\u{a0}x\u{3000}"),
        ]),
    )]);
    assert_eq!(
        run("lower(s)", &b),
        vals(&[
            Some("  hello, world  "),
            Some("straße i ǆ"),
            Some("\ta b\n"),
            Some(""),
            None,
            Some("\u{a0}x\u{3000}")
        ])
    );
    assert_eq!(
        run("upper(s)", &b),
        vals(&[
            Some("  HELLO, WORLD  "),
            Some("STRAẞE İ Ǆ"),
            Some("\tA B\n"),
            Some(""),
            None,
            Some("\u{a0}X\u{3000}")
        ])
    );
    // trim removes Unicode space separators only: not tabs or newlines.
    assert_eq!(
        run("trim(s)", &b),
        vals(&[
            Some("Hello, World"),
            Some("straße İ ǅ"),
            Some("\ta b\n"),
            Some(""),
            None,
            Some("x")
        ])
    );
    assert_eq!(
        run("length(s)", &b),
        vals(&[
            Some("16.000000000000000000"),
            Some("10.000000000000000000"),
            Some("5.000000000000000000"),
            Some("0.000000000000000000"),
            None,
            Some("3.000000000000000000")
        ])
    );
    assert_eq!(run1("length('👍🏽e\u{301}')"), s("4.000000000000000000"));
    assert_eq!(run1("concat('a', NULL, 'b')"), s("ab"));
    assert_eq!(run1("concat(CAST(NULL AS VARCHAR), NULL)"), s(""));
    assert_eq!(run1("'a' || NULL"), None);
    assert_eq!(run1("'a' || 'b' || 'c'"), s("abc"));
    assert_eq!(run1("replace('aaa', 'aa', 'b')"), s("ba"));
    assert_eq!(run1("replace('abc', '', 'x')"), s("abc"));
    assert_eq!(run1("replace('abc', 'b', '')"), s("ac"));
    assert_eq!(run1("replace(NULL, 'a', 'b')"), None);
    assert_eq!(run1("replace('abc', 'a', NULL)"), None);
    assert_eq!(run1("starts_with('abc', '')"), s("true"));
    assert_eq!(run1("starts_with('abc', 'b')"), s("false"));
    assert_eq!(run1("ends_with('abc', 'bc')"), s("true"));
    assert_eq!(run1("contains('abc', '')"), s("true"));
    assert_eq!(run1("contains('abc', 'bd')"), s("false"));
    assert_eq!(run1("contains(NULL, 'a')"), None);
}

#[test]
fn split_part_matches_duckdb() {
    let cases = [
        ("'a,b,c', ',', 1", "a"),
        ("'a,b,c', ',', 0", ""),
        ("'a,b,c', ',', -1", "c"),
        ("'a,b,c', ',', -3", "a"),
        ("'a,b,c', ',', -4", ""),
        ("'a,b,c', ',', 4", ""),
        ("'a,,b', ',', 2", ""),
        ("'', ',', 1", ""),
        ("'a---b', '--', 2", "-b"),
        ("'aaa', 'aa', -1", "a"),
        ("'aaa', 'aa', -2", ""),
        ("'abc', 'abc', 2", ""),
        ("'héllo', '', 2", "é"),
        ("'abc', '', -1", "c"),
        ("'abc', '', 4", ""),
        ("'', '', 1", ""),
        ("'a,b', ',', 9223372036854775807", ""),
        ("'a,b', ',', -9223372036854775807", ""),
    ];
    for (args, want) in cases {
        assert_eq!(run1(&format!("split_part({args})")), s(want), "{args}");
    }
    assert_eq!(run1("split_part(NULL, ',', 1)"), None);
    assert_eq!(run1("split_part('a', NULL, 1)"), None);
}

#[test]
fn regexp_functions() {
    let b = batch(vec![(
        "s",
        strs(&[
            Some("arn:aws:ec2:us-east-1:123:instance/i-0abc"),
            Some("plain"),
            None,
            Some(""),
        ]),
    )]);
    assert_eq!(
        run("regexp_extract(s, '([^:/]+)$', 1)", &b),
        vals(&[Some("i-0abc"), Some("plain"), None, Some("")])
    );
    assert_eq!(
        run("regexp_extract(s, 'x(y)?')", &b),
        vals(&[Some(""), Some(""), None, Some("")])
    );
    assert_eq!(
        run("regexp_extract(s, '^arn:[^:]*:([^:]*)(:)?', 1)", &b),
        vals(&[Some("ec2"), Some(""), None, Some("")])
    );
    // A group that does not take part in the match gives ''.
    assert_eq!(run1("regexp_extract('ab', 'a(x)?b', 1)"), s(""));
    assert_eq!(
        run("regexp_matches(s, '\\d+')", &b),
        vals(&[Some("true"), Some("false"), None, Some("false")])
    );
    assert_eq!(
        run("regexp_matches(s, '')", &b),
        vals(&[Some("true"), Some("true"), None, Some("true")])
    );
}

#[test]
fn lookup_tables() {
    let b = batch(vec![(
        "s",
        strs(&[Some("EC2"), Some("S3"), Some("nope"), None, Some("X"), Some("ec2")]),
    )]);
    assert_eq!(
        run("lookup('services', s, 'name')", &b),
        vals(&[
            Some("Amazon EC2"),
            Some("Amazon S3, \"simple\""),
            None,
            None,
            None,
            None
        ])
    );
    assert_eq!(
        run("lookup('services', s, 'category')", &b),
        vals(&[Some("Compute"), Some("Storage"), None, None, Some("Other"), None])
    );
    assert_eq!(
        run("coalesce(lookup('services', s, 'name'), s)", &b),
        vals(&[
            Some("Amazon EC2"),
            Some("Amazon S3, \"simple\""),
            Some("nope"),
            None,
            Some("X"),
            Some("ec2")
        ])
    );
}

#[test]
fn map_subscript_and_prefixes() {
    let b = batch(vec![
        (
            "m",
            maps(&[
                Some(&[("user:Team", Some("a")), ("k", None), ("Team", Some("b"))]),
                Some(&[]),
                None,
                Some(&[("user:k", Some("1")), ("user:", Some("2"))]),
            ]),
        ),
        (
            "md",
            dec_maps(&[Some(&[("k", Some("1.5"))]), None, Some(&[("k", None)]), Some(&[])]),
        ),
    ]);
    assert_eq!(run("m['Team']", &b), vals(&[Some("b"), None, None, None]));
    assert_eq!(run("m['k']", &b), vals(&[None, None, None, None]));
    assert_eq!(
        run("md['k']", &b),
        vals(&[Some("1.500000000000000000"), None, None, None])
    );
    assert_eq!(
        run("map_with_prefix(m, 'x/')", &b),
        vals(&[
            Some("{x/user:Team=a,x/k=NULL,x/Team=b}"),
            Some("{}"),
            None,
            Some("{x/user:k=1,x/user:=2}")
        ])
    );
    // A stripped key that already exists keeps its first position and takes the later value.
    assert_eq!(
        run("map_strip_prefix(m, 'user:')", &b),
        vals(&[Some("{Team=b,k=NULL}"), Some("{}"), None, Some("{k=1,=2}")])
    );
    assert_eq!(
        run("map_strip_prefix(m, 'user:')['Team']", &b),
        vals(&[Some("b"), None, None, None])
    );
    assert_eq!(
        run("map_strip_prefix(md, 'k')", &b),
        vals(&[Some("{=1.500000000000000000}"), None, Some("{=NULL}"), Some("{}")])
    );
}

#[test]
fn constant_outputs_fill_every_row() {
    let b = batch(vec![("s", strs(&[Some("a"), None, Some("c")]))]);
    assert_eq!(run("'AWS'", &b), vals(&[Some("AWS"); 3]));
    assert_eq!(run("CAST(NULL AS DECIMAL)", &b), vals(&[None; 3]));
    assert_eq!(run("1 + 2 * 3", &b), vals(&[Some("7.000000000000000000"); 3]));
    assert_eq!(run("s", &b), vals(&[Some("a"), None, Some("c")]));
    let empty = batch(vec![("s", strs(&[]))]);
    assert_eq!(run("upper(s)", &empty), Vec::<Option<String>>::new());
    assert_eq!(run("'x'", &empty), Vec::<Option<String>>::new());
}

#[test]
fn batch_problems_are_errors_not_panics() {
    let m = compile_expr("upper(s)").unwrap();
    let missing = batch(vec![("t", strs(&[Some("a")]))]);
    let err = m.columns[0].eval(&missing).unwrap_err().to_string();
    assert!(err.contains("input column s (slot 0) is missing"), "{err}");
    let mut short = batch(vec![("s", strs(&[Some("a")]))]);
    short.rows = 2;
    let err = m.columns[0].eval(&short).unwrap_err().to_string();
    assert!(err.contains("has 1 rows, the batch 2"), "{err}");
    let wrong = batch(vec![("s", decs(&[Some("1")]))]);
    let err = m.columns[0].eval(&wrong).unwrap_err().to_string();
    assert!(err.contains("is DECIMAL(38,18), expected VARCHAR"), "{err}");
    let m = compile_expr("m['k']").unwrap();
    let mut bad = MapCol::new(ColType::Varchar, 1);
    bad.bounds.push(Some((0, 3)));
    let err = m.columns[0]
        .eval(&batch(vec![("m", Column::Map(bad))]))
        .unwrap_err()
        .to_string();
    assert!(err.contains("inconsistent map entries"), "{err}");
}

#[test]
fn many_rows_and_branches() {
    // Large enough to exercise selections across several CASE and coalesce levels.
    let n = 2048;
    let sv: Vec<Option<String>> = (0..n).map(|i| (i % 7 != 0).then(|| format!("v{}", i % 5))).collect();
    let dv: Vec<Option<String>> = (0..n).map(|i| (i % 3 != 0).then(|| format!("{}.25", i))).collect();
    let b = batch(vec![
        ("s", strs(&sv.iter().map(|x| x.as_deref()).collect::<Vec<_>>())),
        ("d", decs(&dv.iter().map(|x| x.as_deref()).collect::<Vec<_>>())),
    ]);
    let r = run(
        "CASE s WHEN 'v0' THEN coalesce(d, -1) WHEN 'v1' THEN d * 2 WHEN 'v2' THEN CASE WHEN d > 1000 THEN d END ELSE 0 END",
        &b,
    );
    for i in 0..n {
        let d = dv[i].as_deref().map(|x| decimal::parse_literal(x).unwrap());
        let want = match sv[i].as_deref() {
            Some("v0") => Some(d.unwrap_or(-DECIMAL_ONE)),
            Some("v1") => d.map(|x| x * 2),
            Some("v2") => d.filter(|x| *x > 1000 * DECIMAL_ONE),
            _ => Some(0),
        };
        let want = want.map(|v| {
            let mut t = String::new();
            decimal::format(v, &mut t);
            t
        });
        assert_eq!(r[i], want, "row {i}");
    }
}

use crate::columnar::DECIMAL_ONE;

#[test]
fn month_start_and_end_are_utc_months() {
    // 2023-11-13T10:00Z, 2023-12-31T23:59:59Z, 1969-12-31T12:00Z (negative micros).
    let day = crate::formats::values::MICROS_PER_DAY;
    let nov13 = crate::formats::values::days_from_civil(2023, 11, 13) * day + 10 * 3_600_000_000;
    let dec31 = crate::formats::values::days_from_civil(2024, 1, 1) * day - 1_000_000;
    let b = batch(vec![("ts", tss(&[Some(nov13), Some(dec31), Some(-day / 2), None]))]);
    let at = |y, m| Some((crate::formats::values::days_from_civil(y, m, 1) * day).to_string());
    assert_eq!(
        run("month_start(ts)", &b),
        [at(2023, 11), at(2023, 12), at(1969, 12), None]
    );
    assert_eq!(run("month_end(ts)", &b), [at(2023, 12), at(2024, 1), at(1970, 1), None]);
    let b = batch(vec![(
        "s",
        strs(&[Some("202208"), Some("202212"), Some("2022-08"), Some("202213"), None]),
    )]);
    assert_eq!(run("month_start(s)", &b), [at(2022, 8), at(2022, 12), None, None, None]);
    assert_eq!(run("month_end(s)", &b), [at(2022, 9), at(2023, 1), None, None, None]);
    assert!(compile_err("month_start(1.5)").contains("TIMESTAMPTZ"));
}

#[test]
fn add_days_adds_exact_days() {
    let day = crate::formats::values::MICROS_PER_DAY;
    let b = batch(vec![("ts", tss(&[Some(0), Some(5), None]))]);
    assert_eq!(
        run("add_days(ts, 1)", &b),
        [Some(day.to_string()), Some((day + 5).to_string()), None]
    );
    assert_eq!(run("add_days(ts, -2)", &b)[0], Some((-2 * day).to_string()));
    let e = compile_expr("add_days(ts, d)").unwrap_err().to_string();
    assert!(
        e.contains("the day count of add_days must be an integer literal"),
        "{e}"
    );
    let e = compile_expr("add_days(s, 1)").unwrap_err().to_string();
    assert!(e.contains("the first argument of add_days must be TIMESTAMPTZ"), "{e}");
}

#[test]
fn date_trunc_month_in_utc() {
    let day = crate::formats::values::MICROS_PER_DAY;
    // 2024-02-29 12:00 UTC -> 2024-02-01; 1969-12-31 -> 1969-12-01
    let leap = crate::formats::values::days_from_civil(2024, 2, 29) * day + day / 2;
    let b = batch(vec![("ts", tss(&[Some(leap), Some(-1), None]))]);
    let feb1 = crate::formats::values::days_from_civil(2024, 2, 1) * day;
    let dec1 = crate::formats::values::days_from_civil(1969, 12, 1) * day;
    assert_eq!(
        run("date_trunc('month', ts)", &b),
        [Some(feb1.to_string()), Some(dec1.to_string()), None]
    );
    let mar1 = crate::formats::values::days_from_civil(2024, 3, 1) * day;
    assert_eq!(
        run("date_trunc('month', add_days(date_trunc('month', ts), 32))", &b)[0],
        Some(mar1.to_string())
    );
    let e = compile_expr("date_trunc('day', ts)").unwrap_err().to_string();
    assert!(e.contains("date_trunc supports only 'month'"), "{e}");
}

#[test]
fn where_keeps_rows_where_true() {
    let text = "SELECT s AS a FROM source WHERE s = 'y' OR b";
    let m = compile("t", text, &inputs(), &tables()).unwrap();
    let b = batch(vec![
        ("s", strs(&[Some("y"), Some("n"), None, None])),
        ("b", bools(&[Some(false), Some(false), Some(true), None])),
    ]);
    let f = m.filter.as_ref().expect("a WHERE");
    // NULL counts as false, as in SQL.
    assert_eq!(f.keep_mask(&b).unwrap(), [true, false, true, false]);
    assert_eq!(m.inputs(), vec![0, 7]);
    assert!(
        m.to_sql("x").ends_with("FROM x\nWHERE ((\"s\" = 'y') OR \"b\")"),
        "{}",
        m.to_sql("x")
    );
    let e = compile("t", "SELECT s AS a FROM source WHERE s", &inputs(), &tables())
        .unwrap_err()
        .to_string();
    assert!(e.contains("the WHERE condition must be BOOLEAN, not VARCHAR"), "{e}");
    assert!(compile("t", "SELECT s AS a FROM source", &inputs(), &tables())
        .unwrap()
        .filter
        .is_none());
}
