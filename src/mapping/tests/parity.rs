//! The Rust half of `duckdb_parity.py`: evaluates a generated mapping over generated rows and
//! writes the values (and each column's SQL) for the script to compare with DuckDB's. Ignored
//! unless `FOCUS_PARITY_DIR` names the directory the script prepared.

use super::*;
use serde_json::{json, Value};

fn str_field(row: &Value, name: &str) -> Option<String> {
    row.get(name).and_then(Value::as_str).map(str::to_string)
}

fn build_column(rows: &[Value], name: &str, ty: ColType) -> Column {
    match ty {
        ColType::Varchar => {
            let v: Vec<Option<String>> = rows.iter().map(|r| str_field(r, name)).collect();
            strs(&v.iter().map(|x| x.as_deref()).collect::<Vec<_>>())
        }
        ColType::Decimal => {
            let v: Vec<Option<String>> = rows.iter().map(|r| str_field(r, name)).collect();
            decs(&v.iter().map(|x| x.as_deref()).collect::<Vec<_>>())
        }
        ColType::TimestampTz => tss(&rows
            .iter()
            .map(|r| r.get(name).and_then(Value::as_i64))
            .collect::<Vec<_>>()),
        ColType::Boolean => bools(
            &rows
                .iter()
                .map(|r| r.get(name).and_then(Value::as_bool))
                .collect::<Vec<_>>(),
        ),
        ColType::MapVarchar | ColType::MapDecimal => {
            let mut m = MapCol::new(
                if ty == ColType::MapDecimal {
                    ColType::Decimal
                } else {
                    ColType::Varchar
                },
                rows.len(),
            );
            for r in rows {
                let Some(entries) = r.get(name).and_then(Value::as_array) else {
                    m.bounds.push(None);
                    continue;
                };
                let start = m.keys.len();
                for e in entries {
                    m.keys.push(e.get("key").and_then(Value::as_str));
                    let v = e.get("value").and_then(Value::as_str);
                    match &mut *m.values {
                        Column::Str(c) => c.push(v),
                        Column::Dec(d) => d.push(v.map(|x| decimal::parse_literal(x).expect("generated decimal"))),
                        _ => {}
                    }
                }
                m.bounds.push(Some((start, m.keys.len())));
            }
            Column::Map(m)
        }
        ColType::ListVarchar => Column::nulls(ty, rows.len()),
    }
}

#[test]
#[ignore = "run by src/mapping/tests/duckdb_parity.py"]
fn duckdb_parity() {
    let Ok(dir) = std::env::var("FOCUS_PARITY_DIR") else {
        eprintln!("FOCUS_PARITY_DIR not set: nothing to do");
        return;
    };
    let dir = std::path::Path::new(&dir);
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"));
    let rows: Vec<Value> = read("data.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("data row"))
        .collect();
    let mut tables = tables();
    tables.push(LookupTable::from_csv("lk", &read("lookup.csv")).expect("lookup.csv"));
    let mapping = compile("parity", &read("mapping.sql"), &inputs(), &tables).unwrap_or_else(|e| panic!("{e}"));
    let batch_size: usize = std::env::var("FOCUS_PARITY_BATCH")
        .ok()
        .and_then(|b| b.parse().ok())
        .unwrap_or(777);

    let mut columns = Vec::new();
    for col in &mapping.columns {
        let mut values: Vec<Option<String>> = Vec::with_capacity(rows.len());
        let mut error = None;
        for chunk in rows.chunks(batch_size) {
            let b = batch(
                SCHEMA
                    .iter()
                    .filter(|(name, _)| col.inputs().iter().any(|i| SCHEMA[*i].0 == *name))
                    .map(|(name, ty)| (*name, build_column(chunk, name, *ty)))
                    .collect(),
            );
            let b = Batch { rows: chunk.len(), ..b };
            match col.eval(&b) {
                Ok(c) => values.extend(show(&c)),
                Err(e) => {
                    error = Some(e.to_string());
                    break;
                }
            }
        }
        columns.push(json!({
            "name": col.name,
            "type": col.ty.sql_name(),
            "sql": col.sql(),
            "values": if error.is_some() { Value::Null } else { json!(values) },
            "error": error,
        }));
    }
    let casts: Vec<String> = serde_json::from_str(&read("casts.json")).expect("casts.json");
    let cast_results: Vec<Option<String>> = casts
        .iter()
        .map(|c| {
            decimal::parse_duckdb(c).map(|v| {
                let mut t = String::new();
                decimal::format(v, &mut t);
                t
            })
        })
        .collect();
    let out = json!({ "columns": columns, "casts": cast_results, "to_sql": mapping.to_sql("src") });
    std::fs::write(dir.join("rust.json"), out.to_string()).expect("write rust.json");
}
