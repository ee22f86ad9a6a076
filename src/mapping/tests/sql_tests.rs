use super::*;

#[test]
fn to_sql_of_a_small_mapping() {
    let text = "-- header\nSELECT\n  -- doc\n  coalesce(d, e) AS BilledCost,\n  CASE s WHEN 'Tax' THEN 'Tax' ELSE 'Usage' END AS ChargeCategory,\n  'AWS' AS ProviderName,\n  CAST(NULL AS VARCHAR) AS \"Odd \"\"Name\"\"\"\nFROM source";
    let m = compile("aws", text, &inputs(), &tables()).unwrap();
    assert_eq!(
        m.to_sql("raw_rows"),
        "SELECT\n  coalesce(\"d\", \"e\") AS \"BilledCost\",\n  CASE \"s\" WHEN 'Tax' THEN 'Tax' ELSE 'Usage' END AS \
         \"ChargeCategory\",\n  'AWS' AS \"ProviderName\",\n  CAST(NULL AS VARCHAR) AS \"Odd \"\"Name\"\"\"\nFROM raw_rows"
    );
}

#[test]
fn expression_renderings() {
    let sql = |e: &str| compile_expr(e).unwrap_or_else(|err| panic!("{e}: {err}")).columns[0].sql();
    let cases = [
        ("'it''s'", "'it''s'"),
        ("1.50", "CAST(1.5 AS DECIMAL(38,18))"),
        ("1e-3", "CAST(0.001 AS DECIMAL(38,18))"),
        ("-12", "CAST(-12 AS DECIMAL(38,18))"),
        ("TRUE", "TRUE"),
        ("CAST(NULL AS DECIMAL)", "CAST(NULL AS DECIMAL(38,18))"),
        ("CAST(NULL AS TIMESTAMPTZ)", "CAST(NULL AS TIMESTAMPTZ)"),
        ("s = NULL", "(\"s\" = CAST(NULL AS VARCHAR))"),
        ("m['k''s']", "map_extract_value(\"m\", 'k''s')"),
        ("CASE WHEN b THEN d END", "CASE WHEN \"b\" THEN \"d\" END"),
        ("s NOT IN ('a', NULL)", "(\"s\" NOT IN ('a', CAST(NULL AS VARCHAR)))"),
        ("s NOT LIKE 'a%'", "(\"s\" NOT LIKE 'a%')"),
        ("s IS NOT NULL", "(\"s\" IS NOT NULL)"),
        ("d - e", "(\"d\" - \"e\")"),
        ("CAST(n AS DECIMAL)", "CAST(\"n\" AS DECIMAL(38,18))"),
        ("CAST(d AS VARCHAR)", "CAST(\"d\" AS VARCHAR)"),
        ("length(s)", "CAST(length(\"s\") AS DECIMAL(38,18))"),
        ("split_part(s, ',', -1)", "split_part(\"s\", ',', -1)"),
        ("regexp_extract(s, '(a)''', 1)", "regexp_extract(\"s\", '(a)''', 1)"),
        ("regexp_extract(s, 'a')", "regexp_extract(\"s\", 'a', 0)"),
        ("greatest(d, e, 0)", "greatest(\"d\", \"e\", CAST(0 AS DECIMAL(38,18)))"),
        (
            "d * e",
            "((\"d\" * trunc(\"e\")) + (trunc(\"d\") * CAST((\"e\" - trunc(\"e\")) AS DECIMAL(18,18))) + \
             CAST((CAST((\"d\" - trunc(\"d\")) AS DECIMAL(18,18)) * CAST((\"e\" - trunc(\"e\")) AS DECIMAL(18,18))) AS \
             DECIMAL(38,18)))",
        ),
        (
            "lookup('services', s, 'name')",
            "CASE \"s\" WHEN 'EC2' THEN 'Amazon EC2' WHEN 'S3' THEN 'Amazon S3, \"simple\"' ELSE CAST(NULL AS VARCHAR) \
             END",
        ),
        (
            "map_with_prefix(m, 'p')",
            "map_from_entries(list_transform(map_entries(\"m\"), lambda focus_e: {'key': 'p' || focus_e.key, 'value': \
             focus_e.value}))",
        ),
        (
            "map_strip_prefix(md, 'pé')",
            "list_reduce(list_transform(map_entries(\"md\"), lambda focus_e: MAP {CASE WHEN starts_with(focus_e.key, \
             'pé') THEN substr(focus_e.key, 3) ELSE focus_e.key END: focus_e.value}), lambda focus_a, focus_b: \
             map_concat(focus_a, focus_b), MAP {}::MAP(VARCHAR, DECIMAL(38,18)))",
        ),
        (
            "map_json(m)",
            "nullif('{' || array_to_string(list_transform(map_entries(map_from_entries(list_transform(map_entries(\"m\"), \
             lambda focus_v: {'key': focus_v.key, 'value': coalesce(CAST(to_json(nullif(focus_v.value, '')) AS VARCHAR), \
             'true')}))), lambda focus_j: CAST(to_json(focus_j.key) AS VARCHAR) || ':' || focus_j.value), ',') || '}', \
             '{}')",
        ),
    ];
    let mut wrong = Vec::new();
    for (expr, want) in cases {
        let got = sql(expr);
        if got != want {
            wrong.push(format!("{expr}\n   got: {got}\n  want: {want}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // Several maps are merged with map_concat, DECIMAL values printed as JSON numbers.
    let j = sql("map_json(m, md)");
    assert!(j.contains("map_concat(map_from_entries("), "{j}");
    assert!(
        j.contains("coalesce(rtrim(rtrim(CAST(focus_v.value AS VARCHAR), '0'), '.'), 'true')"),
        "{j}"
    );
}

#[test]
fn empty_lookup_columns_render_as_null() {
    let t = LookupTable::from_csv("t", "k,v\na,\n").unwrap();
    let m = compile("x", "SELECT lookup('t', s, 'v') AS a FROM t", &inputs(), &[t]).unwrap();
    assert_eq!(
        m.columns[0].sql(),
        "CASE \"s\" WHEN NULL THEN CAST(NULL AS VARCHAR) ELSE CAST(NULL AS VARCHAR) END"
    );
}
