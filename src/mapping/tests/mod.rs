//! Unit tests of the mapping module. Expected values that encode DuckDB behaviour were taken from
//! DuckDB 2.0.1 (see `duckdb_parity.py` in this folder, which checks the evaluator against DuckDB
//! on generated data).

mod decimal_tests;
mod eval_tests;
mod json_tests;
mod parity;
mod parse_tests;
mod regex_tests;
mod sql_tests;
mod type_tests;

use super::*;
use crate::columnar::{Batch, ColType, Column, MapCol, StrCol};

/// The test schema: name, slot, type.
pub const SCHEMA: &[(&str, ColType)] = &[
    ("s", ColType::Varchar),
    ("t", ColType::Varchar),
    ("u", ColType::Varchar),
    ("d", ColType::Decimal),
    ("e", ColType::Decimal),
    ("ts", ColType::TimestampTz),
    ("ts2", ColType::TimestampTz),
    ("b", ColType::Boolean),
    ("m", ColType::MapVarchar),
    ("md", ColType::MapDecimal),
    ("n", ColType::Varchar),
];

pub fn inputs() -> Vec<InputColumn> {
    SCHEMA
        .iter()
        .enumerate()
        .map(|(index, (name, ty))| InputColumn {
            name: name.to_string(),
            index,
            ty: *ty,
        })
        .collect()
}

pub fn tables() -> Vec<LookupTable> {
    let services = "code,name,category\nEC2,Amazon EC2,Compute\nS3,\"Amazon S3, \"\"simple\"\"\",Storage\nX,,Other\n";
    vec![LookupTable::from_csv("services", services).expect("test table")]
}

pub fn strs(v: &[Option<&str>]) -> Column {
    let mut c = StrCol::default();
    for s in v {
        c.push(*s);
    }
    Column::Str(c)
}

pub fn decs(v: &[Option<&str>]) -> Column {
    Column::Dec(
        v.iter()
            .map(|s| s.map(|s| decimal::parse_literal(s).expect("test decimal")))
            .collect(),
    )
}

pub fn tss(v: &[Option<i64>]) -> Column {
    Column::Ts(v.to_vec())
}

pub fn bools(v: &[Option<bool>]) -> Column {
    Column::Bool(v.to_vec())
}

pub type Entries<'a> = Option<&'a [(&'a str, Option<&'a str>)]>;

pub fn maps(v: &[Entries<'_>]) -> Column {
    map_col(v, ColType::Varchar, |c, x| {
        if let Column::Str(s) = c {
            s.push(x)
        }
    })
}

pub fn dec_maps(v: &[Entries<'_>]) -> Column {
    map_col(v, ColType::Decimal, |c, x| {
        if let Column::Dec(d) = c {
            d.push(x.map(|s| decimal::parse_literal(s).expect("test decimal")))
        }
    })
}

fn map_col(v: &[Entries<'_>], ty: ColType, push: impl Fn(&mut Column, Option<&str>)) -> Column {
    let mut m = MapCol::new(ty, v.len());
    for row in v {
        match row {
            None => m.bounds.push(None),
            Some(entries) => {
                let start = m.keys.len();
                for (k, val) in entries.iter() {
                    m.keys.push(Some(k));
                    push(&mut m.values, *val);
                }
                m.bounds.push(Some((start, m.keys.len())));
            }
        }
    }
    Column::Map(m)
}

/// A batch with the named columns in their schema slots; the others absent.
pub fn batch(cols: Vec<(&str, Column)>) -> Batch {
    let rows = cols.first().map_or(0, |(_, c)| c.len());
    let mut columns: Vec<Option<Column>> = (0..SCHEMA.len()).map(|_| None).collect();
    for (name, c) in cols {
        let slot = SCHEMA.iter().position(|(n, _)| *n == name).expect("test column");
        columns[slot] = Some(c);
    }
    Batch { rows, columns }
}

/// Values as text: DECIMAL as DuckDB prints it, BOOLEAN as true/false, TIMESTAMPTZ as micros.
pub fn show(c: &Column) -> Vec<Option<String>> {
    (0..c.len())
        .map(|i| match c {
            Column::Str(s) => s.get(i).map(str::to_string),
            Column::Dec(d) => d[i].map(|v| {
                let mut t = String::new();
                decimal::format(v, &mut t);
                t
            }),
            Column::Ts(t) => t[i].map(|v| v.to_string()),
            Column::Bool(b) => b[i].map(|v| v.to_string()),
            Column::Map(m) => m.entries(i).map(|r| {
                let vals = show(&m.values);
                let items: Vec<String> = r
                    .map(|j| {
                        format!(
                            "{}={}",
                            m.keys.get(j).unwrap_or("?"),
                            vals[j].as_deref().unwrap_or("NULL")
                        )
                    })
                    .collect();
                format!("{{{}}}", items.join(","))
            }),
            Column::List(_) => None,
        })
        .collect()
}

pub fn compile_expr(expr: &str) -> Result<Mapping> {
    compile("test", &format!("SELECT {expr} AS x FROM t"), &inputs(), &tables())
}

/// Evaluates one expression over `b`.
pub fn run(expr: &str, b: &Batch) -> Vec<Option<String>> {
    let m = compile_expr(expr).unwrap_or_else(|e| panic!("{expr}: {e}"));
    let c = m.columns[0].eval(b).unwrap_or_else(|e| panic!("{expr}: {e}"));
    assert_eq!(c.len(), b.rows, "{expr}: row count");
    show(&c)
}

/// Evaluates an expression without inputs on a one-row batch.
pub fn run1(expr: &str) -> Option<String> {
    let b = Batch {
        rows: 1,
        columns: (0..SCHEMA.len()).map(|_| None).collect(),
    };
    run(expr, &b).pop().flatten()
}

pub fn eval_err(expr: &str, b: &Batch) -> String {
    let m = compile_expr(expr).unwrap_or_else(|e| panic!("{expr}: {e}"));
    match m.columns[0].eval(b) {
        Ok(c) => panic!("{expr}: expected an error, got {:?}", show(&c)),
        Err(e) => e.to_string(),
    }
}

pub fn compile_err(expr: &str) -> String {
    match compile_expr(expr) {
        Ok(_) => panic!("{expr}: expected a compile error"),
        Err(e) => e.to_string(),
    }
}

pub fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}

pub fn vals(v: &[Option<&str>]) -> Vec<Option<String>> {
    v.iter().map(|x| x.map(str::to_string)).collect()
}
