use super::*;

const FILE: &str = "-- AWS to FOCUS.
--
-- Second paragraph.
SELECT
    -- The billed cost.
    -- Second line.
    coalesce(d, e) AS BilledCost, -- trailing remark, not documentation
    CASE s
        WHEN 'Tax' THEN 'Tax'   -- inside an expression: ignored
        ELSE 'Usage'
    END AS ChargeCategory,

    'AWS' AS \"Provider Name\",
    CAST(NULL AS VARCHAR) AS CapacityReservationStatus,
FROM source
";

#[test]
fn file_structure_and_docs() {
    let m = compile("aws", FILE, &inputs(), &tables()).unwrap();
    assert_eq!(m.name, "aws");
    assert_eq!(m.doc, "AWS to FOCUS.\n\nSecond paragraph.");
    let names: Vec<&str> = m.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "BilledCost",
            "ChargeCategory",
            "Provider Name",
            "CapacityReservationStatus"
        ]
    );
    assert_eq!(m.columns[0].doc, "The billed cost.\nSecond line.");
    assert_eq!(m.columns[1].doc, "");
    assert_eq!(m.columns[2].doc, "");
    let types: Vec<ColType> = m.columns.iter().map(|c| c.ty).collect();
    assert_eq!(
        types,
        [ColType::Decimal, ColType::Varchar, ColType::Varchar, ColType::Varchar]
    );
    assert_eq!(m.columns[0].inputs(), &[3, 4]);
    assert_eq!(m.columns[2].inputs(), &[] as &[usize]);
    assert_eq!(m.input_name(3), Some("d"));
    assert_eq!(m.inputs(), vec![0, 3, 4]);
}

#[test]
fn keywords_and_functions_are_case_insensitive() {
    let m = compile(
        "t",
        "select Coalesce(s, 'x') as A, case when s is not null then true else FALSE end As B from t",
        &inputs(),
        &tables(),
    )
    .unwrap();
    assert_eq!(m.columns.len(), 2);
    assert_eq!(m.columns[1].ty, ColType::Boolean);
}

#[test]
fn every_construct_parses() {
    for expr in [
        "'it''s'",
        "12",
        "-3.5",
        "1e-3",
        ".5",
        "5.",
        "1E+2",
        "NULL = s",
        "TRUE",
        "FALSE",
        "s",
        "\"s\"",
        "m['k']",
        "md['k']",
        "CASE WHEN b THEN 1 WHEN NOT b THEN 2 ELSE 3 END",
        "CASE WHEN b THEN 1 END",
        "CASE s WHEN 'a' THEN 1 WHEN t THEN 2 END",
        "s = t",
        "s <> t",
        "s != t",
        "d < e",
        "d <= e",
        "ts > ts2",
        "ts >= ts2",
        "s IS NULL",
        "s IS NOT NULL",
        "s IN ('a', 'b', NULL)",
        "s NOT IN ('a')",
        "d IN (1, -2.5)",
        "s LIKE 'a%'",
        "s NOT LIKE '_b'",
        "b AND s = t OR NOT b",
        "d + e - d * e",
        "-d",
        "- -d",
        "s || t || 'x'",
        "CAST(n AS DECIMAL)",
        "CAST(n AS DECIMAL(38, 18))",
        "CAST(d AS VARCHAR)",
        "CAST(NULL AS TIMESTAMPTZ)",
        "CAST(NULL AS BOOLEAN)",
        "CAST(s AS VARCHAR)",
        "coalesce(s, t, 'x')",
        "nullif(s, t)",
        "lower(s)",
        "upper(s)",
        "trim(s)",
        "length(s)",
        "concat(s, NULL, t)",
        "starts_with(s, 'a')",
        "ends_with(s, 'a')",
        "contains(s, 'a')",
        "replace(s, 'a', 'b')",
        "split_part(s, ',', -1)",
        "regexp_extract(s, '(a)(b)?', 2)",
        "regexp_extract(s, 'a+')",
        "regexp_matches(s, '^\\d+$')",
        "abs(d)",
        "greatest(d, e, 0)",
        "least(ts, ts2)",
        "lookup('services', s, 'name')",
        "map_json(m, md)",
        "map_with_prefix(m, 'p:')",
        "map_strip_prefix(md, 'p:')['k']",
        "(((s)))",
    ] {
        if let Err(e) = compile_expr(expr) {
            panic!("{expr}: {e}");
        }
    }
}

#[test]
fn precedence_follows_duckdb() {
    let sql = |e: &str| compile_expr(e).unwrap().columns[0].sql();
    assert_eq!(sql("d + d * e"), sql("d + (d * e)"));
    assert_eq!(sql("d - e - d"), sql("(d - e) - d"));
    assert_eq!(sql("NOT b AND b"), "((NOT \"b\") AND \"b\")");
    assert_eq!(sql("b OR b AND b"), "(\"b\" OR (\"b\" AND \"b\"))");
    assert_eq!(sql("NOT s = t"), "(NOT (\"s\" = \"t\"))");
    assert_eq!(sql("s = t IS NULL"), "((\"s\" = \"t\") IS NULL)");
    assert_eq!(sql("s || t = 'ab'"), "((\"s\" || \"t\") = 'ab')");
    assert_eq!(sql("s || t LIKE 'a%'"), "((\"s\" || \"t\") LIKE 'a%')");
    assert_eq!(sql("-d"), "(- \"d\")");
    assert_eq!(sql("-2"), "CAST(-2 AS DECIMAL(38,18))");
}

#[test]
fn parse_errors_point_at_the_problem() {
    let cases = [
        ("SELECT s FROM t", "1:10: expected AS, found 'FROM'"),
        (
            "SELECT s AS FROM t",
            "1:13: expected an output column name after AS, found 'FROM'",
        ),
        ("SELECT FROM t", "1:8: expected an expression, found 'FROM'"),
        ("SELECT s AS a b FROM t", "1:15: expected ',' or FROM, found 'b'"),
        (
            "SELECT s AS a FROM t x",
            "1:22: expected WHERE or end of file after FROM <name>, found 'x'",
        ),
        ("SELECT s AS a", "1:14: expected ',' or FROM, found end of file"),
        ("FROM t", "1:1: expected SELECT, found 'FROM'"),
        ("SELECT 'abc AS a FROM t", "1:8: unterminated string literal"),
        ("SELECT\n  s ; AS a FROM t", "2:5: unexpected character ';'"),
        ("SELECT d / e AS a FROM t", "1:10: division is not supported"),
        ("SELECT s = t = s AS a FROM t", "1:14: comparisons do not chain"),
        ("SELECT s IS TRUE AS a FROM t", "1:13: expected NULL after IS"),
        (
            "SELECT CASE END AS a FROM t",
            "1:13: expected an expression, found 'END'",
        ),
        (
            "SELECT CASE WHEN b THEN 1 AS a FROM t",
            "1:27: expected END, found 'AS'",
        ),
        (
            "SELECT CAST(s AS INTEGER) AS a FROM t",
            "1:18: unsupported type INTEGER",
        ),
        (
            "SELECT CAST(s AS DECIMAL(10, 2)) AS a FROM t",
            "1:26: only DECIMAL(38,18) is supported",
        ),
        ("SELECT 1e AS a FROM t", "1:9: malformed exponent in number"),
        ("SELECT 12abc AS a FROM t", "1:10: malformed number"),
        ("SELECT lower(s AS a FROM t", "1:16: expected ')', found 'AS'"),
        ("SELECT m['k' AS a FROM t", "1:14: expected ']', found 'AS'"),
        ("SELECT \"\" AS a FROM t", "1:8: empty quoted identifier"),
        (
            "SELECT s AS a, t AS A FROM t",
            "1:21: duplicate output column A (see a)",
        ),
    ];
    let mut wrong = Vec::new();
    for (text, want) in cases {
        let err = compile("test", text, &inputs(), &tables()).unwrap_err().to_string();
        if !err.starts_with(&format!("mapping test: {want}")) {
            wrong.push(format!("{text}\n   got: {err}\n  want: {want}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn comments_anywhere() {
    let text = "-- head\nSELECT -- after select\n  s -- in expr\n  AS -- before name\n  a -- after\n  -- doc b\n  , t AS b FROM -- x\n t -- end";
    let m = compile("t", text, &inputs(), &tables()).unwrap();
    assert_eq!(m.doc, "head");
    assert_eq!(m.columns[0].doc, "");
    // Documentation must come after the separator: a comment line before the comma is nobody's.
    assert_eq!(m.columns[1].doc, "");
    let m = compile(
        "t",
        "SELECT\n  -- one\n  s AS a,\n  -- two\n  --\n  -- three\n  t AS b FROM t",
        &inputs(),
        &tables(),
    )
    .unwrap();
    assert_eq!(m.columns[0].doc, "one");
    assert_eq!(m.columns[1].doc, "two\n\nthree");
}

#[test]
fn unary_minus_folds_into_literals() {
    assert_eq!(run1("-3.5"), s("-3.500000000000000000"));
    assert_eq!(run1("- 3.5"), s("-3.500000000000000000"));
    assert_eq!(run1("-(3.5)"), s("-3.500000000000000000"));
    assert_eq!(run1("2 - -3"), s("5.000000000000000000"));
}
