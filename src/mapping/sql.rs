//! Renders a typed [`Expr`] as DuckDB SQL that computes the same values as the evaluator.
//! Every operator is parenthesised, every literal typed, so the text does not depend on DuckDB's
//! precedence or literal typing rules (in DuckDB `1e-3` is a DOUBLE and `2` an INTEGER).

use super::decimal;
use super::expr::{ArithOp, Expr, Func, Kind, Lit};
use crate::columnar::ColType;

pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

pub fn quote_str(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn type_sql(ty: ColType) -> &'static str {
    match ty {
        ColType::Decimal => "DECIMAL(38,18)",
        other => other.sql_name(),
    }
}

fn lit(l: &Lit) -> String {
    match l {
        Lit::Str(s) => quote_str(s),
        Lit::Dec(d) => {
            let mut t = String::new();
            decimal::format_json(*d, &mut t);
            format!("CAST({t} AS DECIMAL(38,18))")
        }
        Lit::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
        Lit::Ts(us) => format!("(TIMESTAMPTZ '1970-01-01 00:00:00+00' + to_microseconds({us}))"),
    }
}

pub fn render(e: &Expr) -> String {
    let r = |x: &Expr| render(x);
    match &e.kind {
        Kind::Const(None) => format!("CAST(NULL AS {})", type_sql(e.ty)),
        Kind::Const(Some(l)) => lit(l),
        Kind::Column { name, .. } => quote_ident(name),
        // map_extract_value returns the value itself in DuckDB 1.5 and 2.0 (m['k'] binds to it);
        // element_at/map_extract return a one-element list.
        Kind::MapGet { map, key } => format!("map_extract_value({}, {})", r(map), quote_str(key)),
        Kind::Case { whens, otherwise } => case(None, whens, otherwise.as_deref()),
        Kind::SimpleCase {
            operand,
            whens,
            otherwise,
        } => case(Some(operand), whens, otherwise.as_deref()),
        Kind::Compare(op, a, b) => format!("({} {} {})", r(a), op.sql(), r(b)),
        Kind::IsNull { expr, negated } => {
            format!("({} IS {}NULL)", r(expr), if *negated { "NOT " } else { "" })
        }
        Kind::InList { expr, list, negated } => {
            let items: Vec<String> = list
                .iter()
                .map(|i| match i {
                    Some(l) => lit(l),
                    None => format!("CAST(NULL AS {})", type_sql(expr.ty)),
                })
                .collect();
            format!(
                "({} {}IN ({}))",
                r(expr),
                if *negated { "NOT " } else { "" },
                items.join(", ")
            )
        }
        Kind::Like {
            expr, pattern, negated, ..
        } => format!(
            "({} {}LIKE {})",
            r(expr),
            if *negated { "NOT " } else { "" },
            quote_str(pattern)
        ),
        Kind::And(a, b) => format!("({} AND {})", r(a), r(b)),
        Kind::Or(a, b) => format!("({} OR {})", r(a), r(b)),
        Kind::Not(a) => format!("(NOT {})", r(a)),
        Kind::Arith(ArithOp::Add, a, b) => format!("({} + {})", r(a), r(b)),
        Kind::Arith(ArithOp::Sub, a, b) => format!("({} - {})", r(a), r(b)),
        Kind::Arith(ArithOp::Mul, a, b) => mul(&r(a), &r(b)),
        Kind::Neg(a) => format!("(- {})", r(a)),
        Kind::Concat(a, b) => format!("({} || {})", r(a), r(b)),
        Kind::CastToDecimal(a) => format!("CAST({} AS DECIMAL(38,18))", r(a)),
        Kind::CastToVarchar(a) => format!("CAST({} AS VARCHAR)", r(a)),
        Kind::Func(f, args) => func(f, args),
    }
}

fn case(operand: Option<&Expr>, whens: &[(Expr, Expr)], otherwise: Option<&Expr>) -> String {
    let mut s = String::from("CASE");
    if let Some(op) = operand {
        s.push(' ');
        s.push_str(&render(op));
    }
    for (w, t) in whens {
        s.push_str(&format!(" WHEN {} THEN {}", render(w), render(t)));
    }
    if let Some(o) = otherwise {
        s.push_str(&format!(" ELSE {}", render(o)));
    }
    s.push_str(" END");
    s
}

/// DECIMAL(38,18) * DECIMAL(38,18) in DuckDB is DECIMAL(38,36), which overflows from 100 on. The
/// exact product rounded to 18 decimals is, with t = trunc and f = x - trunc(x):
/// a*t(b) + t(a)*f(b) + round(f(a)*f(b)). The first two terms are exact at scale 18; the last is
/// a DECIMAL(36,36) that the cast rounds half away from zero. All terms share the product's sign,
/// so no partial sum overflows unless the result does.
fn mul(a: &str, b: &str) -> String {
    let frac = |x: &str| format!("CAST(({x} - trunc({x})) AS DECIMAL(18,18))");
    format!(
        "(({a} * trunc({b})) + (trunc({a}) * {fb}) + CAST(({fa} * {fb}) AS DECIMAL(38,18)))",
        fa = frac(a),
        fb = frac(b)
    )
}

fn call(name: &str, args: &[Expr]) -> String {
    let args: Vec<String> = args.iter().map(render).collect();
    format!("{name}({})", args.join(", "))
}

fn func(f: &Func, args: &[Expr]) -> String {
    let arg = |k: usize| args.get(k).map(render).unwrap_or_default();
    match f {
        Func::Coalesce => call("coalesce", args),
        Func::NullIf => call("nullif", args),
        Func::Lower => call("lower", args),
        Func::Upper => call("upper", args),
        Func::Trim => call("trim", args),
        Func::Length => format!("CAST(length({}) AS DECIMAL(38,18))", arg(0)),
        Func::Concat => call("concat", args),
        Func::StartsWith => call("starts_with", args),
        Func::EndsWith => call("ends_with", args),
        Func::Contains => call("contains", args),
        Func::Replace => call("replace", args),
        Func::SplitPart(n) => format!("split_part({}, {}, {n})", arg(0), arg(1)),
        Func::RegexpExtract { pattern, group, .. } => {
            format!("regexp_extract({}, {}, {group})", arg(0), quote_str(pattern))
        }
        Func::RegexpMatches { pattern, .. } => format!("regexp_matches({}, {})", arg(0), quote_str(pattern)),
        // Exact 24-hour days as the evaluator adds them (an INTERVAL of days would follow the
        // session time zone's calendar).
        Func::AddDays(d) => format!("({} + to_microseconds(CAST({d} AS BIGINT) * 86400000000))", arg(0)),
        // In UTC whatever the session time zone, as the evaluator does.
        Func::TruncMonth => format!(
            "(date_trunc('month', {} AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')",
            arg(0)
        ),
        Func::Abs => call("abs", args),
        // Months are UTC months whatever the session's TimeZone: truncate the UTC wall clock.
        Func::MonthStart { end } => {
            let a = args.first();
            let wall = if a.is_some_and(|a| a.ty == ColType::Varchar) {
                // strptime also takes ' 202208' and '20228'; the evaluator only six digits.
                let x = arg(0);
                format!("CASE WHEN regexp_matches({x}, '^[0-9]{{6}}$') THEN try_strptime({x}, '%Y%m') END")
            } else {
                format!("({} AT TIME ZONE 'UTC')", arg(0))
            };
            let add = if *end { " + INTERVAL 1 MONTH" } else { "" };
            format!("timezone('UTC', date_trunc('month', {wall}){add})")
        }
        Func::Greatest => call("greatest", args),
        Func::Least => call("least", args),
        Func::Lookup { table, column, .. } => lookup(&arg(0), table, *column),
        Func::MapJson => map_json(args),
        Func::MapWithPrefix(p) => format!(
            "map_from_entries(list_transform(map_entries({}), lambda focus_e: {{'key': {} || focus_e.key, 'value': \
             focus_e.value}}))",
            arg(0),
            quote_str(p)
        ),
        Func::MapStripPrefix(p) => strip_prefix(&arg(0), p, args.first().map_or(ColType::MapVarchar, |a| a.ty)),
    }
}

/// The table inlined as a CASE, so the SQL needs nothing but the raw rows.
fn lookup(key: &str, table: &super::LookupTable, column: usize) -> String {
    // Empty cells are NULL, which the ELSE already gives.
    let mut pairs: Vec<(&String, &String)> = table
        .rows
        .iter()
        .filter_map(|(k, r)| r.get(column).filter(|v| !v.is_empty()).map(|v| (k, v)))
        .collect();
    pairs.sort();
    if pairs.is_empty() {
        // Still evaluates the key, as the evaluator does (it could fail).
        return format!("CASE {key} WHEN NULL THEN CAST(NULL AS VARCHAR) ELSE CAST(NULL AS VARCHAR) END");
    }
    let mut s = format!("CASE {key}");
    for (k, v) in pairs {
        s.push_str(&format!(" WHEN {} THEN {}", quote_str(k), quote_str(v)));
    }
    s.push_str(" ELSE CAST(NULL AS VARCHAR) END");
    s
}

/// Keys losing the prefix can collide with existing ones: merging entry by entry with map_concat
/// keeps the first position and the last value, as the evaluator does.
fn strip_prefix(m: &str, prefix: &str, ty: ColType) -> String {
    let n = prefix.chars().count();
    let value = if ty == ColType::MapDecimal {
        "DECIMAL(38,18)"
    } else {
        "VARCHAR"
    };
    format!(
        "list_reduce(list_transform(map_entries({m}), lambda focus_e: MAP {{CASE WHEN starts_with(focus_e.key, {p}) \
         THEN substr(focus_e.key, {start}) ELSE focus_e.key END: focus_e.value}}), lambda focus_a, focus_b: \
         map_concat(focus_a, focus_b), MAP {{}}::MAP(VARCHAR, {value}))",
        p = quote_str(prefix),
        start = n + 1
    )
}

/// Each map's values become JSON text first (maps of VARCHAR and DECIMAL can then be merged),
/// map_concat merges them (later maps win, first position kept, NULL maps skipped), and the
/// object is assembled as text: to_json on a MAP would re-parse the numbers as doubles.
fn map_json(args: &[Expr]) -> String {
    let converted: Vec<String> = args
        .iter()
        .map(|a| {
            let value = if a.ty == ColType::MapDecimal {
                "coalesce(rtrim(rtrim(CAST(focus_v.value AS VARCHAR), '0'), '.'), 'true')"
            } else {
                "coalesce(CAST(to_json(nullif(focus_v.value, '')) AS VARCHAR), 'true')"
            };
            format!(
                "map_from_entries(list_transform(map_entries({}), lambda focus_v: {{'key': focus_v.key, 'value': \
                 {value}}}))",
                render(a)
            )
        })
        .collect();
    let merged = if converted.len() == 1 {
        converted.into_iter().next().unwrap_or_default()
    } else {
        format!("map_concat({})", converted.join(", "))
    };
    format!(
        "nullif('{{' || array_to_string(list_transform(map_entries({merged}), lambda focus_j: \
         CAST(to_json(focus_j.key) AS VARCHAR) || ':' || focus_j.value), ',') || '}}', '{{}}')"
    )
}
