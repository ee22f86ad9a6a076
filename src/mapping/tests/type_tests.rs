use super::*;

#[test]
fn type_errors_name_the_problem() {
    let cases = [
        (
            "CASE WHEN b THEN 'a' ELSE 1 END",
            "1:34: CASE branches have different types: VARCHAR and DECIMAL(38,18)",
        ),
        (
            "CASE WHEN s THEN 1 END",
            "1:18: a WHEN condition must be BOOLEAN, not VARCHAR",
        ),
        (
            "CASE s WHEN 1 THEN 1 END",
            "1:20: a WHEN value must be VARCHAR, not DECIMAL(38,18)",
        ),
        ("CASE WHEN b THEN NULL END", "1:8: cannot tell the type of this NULL"),
        (
            "CASE WHEN b THEN m END",
            "1:8: CASE cannot return MAP(VARCHAR, VARCHAR)",
        ),
        ("nosuch", "1:8: unknown column 'nosuch'"),
        ("S", "1:8: unknown column 'S'"),
        ("frobnicate(s)", "1:8: unknown function 'frobnicate'"),
        ("lower(s, t)", "1:8: lower takes 1 argument, got 2"),
        ("replace(s, t)", "1:8: replace takes 3 arguments, got 2"),
        ("coalesce()", "1:8: coalesce takes at least 1 argument(s), got 0"),
        ("regexp_extract(s)", "1:8: regexp_extract takes 2 or 3 arguments, got 1"),
        (
            "lower(d)",
            "1:14: the argument of lower must be VARCHAR, not DECIMAL(38,18)",
        ),
        (
            "lookup('nosuch', s, 'name')",
            "1:15: unknown lookup table 'nosuch' (known: services)",
        ),
        (
            "lookup('services', s, 'price')",
            "1:30: lookup table 'services' has no column 'price' (columns: name, category)",
        ),
        (
            "lookup('services', s, 'code')",
            "1:30: lookup table 'services' has no column 'code'",
        ),
        (
            "lookup(s, s, 'name')",
            "1:15: the lookup table name must be a string literal",
        ),
        ("NULL", "1:8: cannot tell the type of this NULL"),
        ("coalesce(NULL, NULL)", "1:8: cannot tell the type of this NULL"),
        ("NULL = NULL", "1:13: cannot tell the type of this NULL"),
        (
            "s = d",
            "1:12: the two sides of a comparison have different types: VARCHAR and DECIMAL(38,18)",
        ),
        ("m = m", "1:10: MAP(VARCHAR, VARCHAR) cannot be compared"),
        (
            "s + t",
            "1:8: an operand of arithmetic must be DECIMAL(38,18), not VARCHAR",
        ),
        ("d || s", "1:8: an operand of || must be VARCHAR, not DECIMAL(38,18)"),
        ("b AND s", "1:14: an operand of AND/OR must be BOOLEAN, not VARCHAR"),
        ("NOT s", "1:12: the operand of NOT must be BOOLEAN, not VARCHAR"),
        (
            "-s",
            "1:9: the operand of unary minus must be DECIMAL(38,18), not VARCHAR",
        ),
        (
            "s IN ('a', 1)",
            "1:19: IN list item is DECIMAL(38,18), the tested value VARCHAR",
        ),
        ("s IN ('a', t)", "1:19: IN lists hold literals only"),
        ("s LIKE t", "1:15: a LIKE pattern must be a string literal"),
        (
            "d LIKE 'a'",
            "1:8: the left side of LIKE must be VARCHAR, not DECIMAL(38,18)",
        ),
        ("s['k']", "1:9: only a MAP can be subscripted, not VARCHAR"),
        ("m[s]", "1:10: a map key must be a string literal"),
        (
            "CAST(d AS TIMESTAMPTZ)",
            "1:8: CAST from DECIMAL(38,18) to TIMESTAMPTZ is not supported",
        ),
        (
            "CAST(s AS BOOLEAN)",
            "1:8: CAST from VARCHAR to BOOLEAN is not supported",
        ),
        (
            "split_part(s, ',', d)",
            "1:27: the part number of split_part must be an integer literal",
        ),
        (
            "split_part(s, ',', 1.5)",
            "1:27: the part number of split_part must be an integer literal",
        ),
        (
            "split_part(s, ',', 99999999999999999999)",
            "1:27: the part number of split_part is out of range",
        ),
        (
            "regexp_matches(s, t)",
            "1:26: a regular expression must be a string literal",
        ),
        ("regexp_matches(s, '(')", "1:26: invalid regular expression"),
        (
            "regexp_extract(s, 'a(b)', 2)",
            "1:34: group 2 does not exist: the pattern has 1 group(s)",
        ),
        (
            "regexp_extract(s, '(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)', 10)",
            "1:60: group 10 does not exist",
        ),
        ("regexp_matches(s, '(?=a)')", "1:26: unsupported group syntax"),
        ("regexp_matches(s, '\\1')", "1:26: unsupported escape \\1"),
        ("map_json(s)", "1:17: map_json takes maps, not VARCHAR"),
        (
            "map_with_prefix(s, 'p')",
            "1:24: map_with_prefix takes a map, not VARCHAR",
        ),
        ("map_strip_prefix(m, s)", "1:28: the prefix must be a string literal"),
        (
            "greatest(m, m)",
            "1:8: greatest does not apply to MAP(VARCHAR, VARCHAR)",
        ),
        (
            "nullif(s, d)",
            "1:18: arguments of nullif have different types: VARCHAR and DECIMAL(38,18)",
        ),
        (
            "123456789012345678901",
            "1:8: 123456789012345678901 is not a DECIMAL(38,18)",
        ),
        (
            "0.0000000000000000001",
            "1:8: 0.0000000000000000001 is not a DECIMAL(38,18)",
        ),
        ("1e20", "1:8: 1e20 is not a DECIMAL(38,18)"),
    ];
    let mut wrong = Vec::new();
    for (expr, want) in cases {
        let err = compile_err(expr);
        if !err.starts_with(&format!("mapping test: {want}")) {
            wrong.push(format!("{expr}\n   got: {err}\n  want: {want}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn null_takes_its_type_from_context() {
    let ty = |e: &str| compile_expr(e).unwrap().columns[0].ty;
    assert_eq!(ty("CASE WHEN b THEN NULL ELSE 1 END"), ColType::Decimal);
    assert_eq!(ty("CASE WHEN b THEN NULL ELSE s END"), ColType::Varchar);
    assert_eq!(ty("coalesce(NULL, ts)"), ColType::TimestampTz);
    assert_eq!(ty("lower(NULL)"), ColType::Varchar);
    assert_eq!(ty("NULL + 1"), ColType::Decimal);
    assert_eq!(ty("s = NULL"), ColType::Boolean);
    assert_eq!(ty("CAST(NULL AS BOOLEAN)"), ColType::Boolean);
    assert_eq!(ty("NULL IS NULL"), ColType::Boolean);
    assert_eq!(ty("m"), ColType::MapVarchar);
    assert_eq!(ty("md['x']"), ColType::Decimal);
    assert_eq!(ty("length(s)"), ColType::Decimal);
    assert_eq!(ty("map_strip_prefix(md, 'a')"), ColType::MapDecimal);
    assert_eq!(ty("map_json(md)"), ColType::Varchar);
}

#[test]
fn lookup_tables_from_csv() {
    let t = LookupTable::from_csv("svc", "code,name,note\nA,Alpha,\"x, \"\"y\"\"\"\nB,,\n").unwrap();
    assert_eq!(t.key, "code");
    assert_eq!(t.columns, ["name", "note"]);
    assert_eq!(t.rows["A"], ["Alpha", "x, \"y\""]);
    assert_eq!(t.rows["B"], ["", ""]);
    let dup = LookupTable::from_csv("svc", "k,v\nA,1\nA,2\n").unwrap_err().to_string();
    assert_eq!(dup, "mapping lookup table svc: line 3: duplicate key 'A'");
    let ragged = LookupTable::from_csv("svc", "k,v\nA,1,2\n").unwrap_err().to_string();
    assert!(ragged.starts_with("mapping lookup table svc: bad CSV"), "{ragged}");
    assert!(LookupTable::from_csv("svc", "").is_err());
}

#[test]
fn lists_are_inputs_only() {
    let mut cols = inputs();
    cols.push(InputColumn {
        name: "l".into(),
        index: SCHEMA.len(),
        ty: ColType::ListVarchar,
    });
    let err = |expr: &str| {
        compile("test", &format!("SELECT {expr} AS x FROM t"), &cols, &[])
            .unwrap_err()
            .to_string()
    };
    assert_eq!(err("l"), "mapping test: 1:8: a list cannot be an output column");
    assert_eq!(
        err("CASE WHEN b THEN l END"),
        "mapping test: 1:8: CASE cannot return VARCHAR[]"
    );
    assert_eq!(
        err("coalesce(l, l)"),
        "mapping test: 1:8: coalesce does not apply to VARCHAR[]"
    );
    assert!(compile("test", "SELECT l IS NULL AS x FROM t", &cols, &[]).is_ok());
}

#[test]
fn map_key_uses_narrow_maps_read_only_by_key() {
    let uses = |expr: &str| {
        let m = compile("test", &format!("SELECT {expr} AS x FROM t"), &inputs(), &tables()).expect("compiles");
        let mut out = std::collections::HashMap::new();
        m.columns[0].map_key_uses(&mut out);
        let mut v: Vec<(usize, Option<Vec<String>>)> = out
            .into_iter()
            .map(|(k, keys)| {
                (
                    k,
                    keys.map(|s| {
                        let mut v: Vec<String> = s.into_iter().collect();
                        v.sort();
                        v
                    }),
                )
            })
            .collect();
        v.sort();
        v
    };
    let m = 8; // slot of `m` in SCHEMA
    assert_eq!(
        uses("coalesce(m['b'], m['a'], s)"),
        vec![(m, Some(vec!["a".to_string(), "b".to_string()]))]
    );
    // Used whole anywhere: every key is needed.
    assert_eq!(uses("coalesce(m['a'], map_json(m))"), vec![(m, None)]);
    assert_eq!(uses("upper(s)"), vec![]);
}
