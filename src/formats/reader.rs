//! What every vendor reader shares: where a source column lands in the canonical schema, how a
//! text value becomes a typed value, and the streaming interface the DuckDB glue pulls from.

use crate::columnar::{Batch, ColType, Column, MapCol};
use crate::error::{Error, Position, Result};
use crate::formats::values::{parse_decimal, parse_timestamp};
use std::collections::HashSet;
use std::sync::Arc;

/// Where one source column goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Canonical column `index`.
    Column(usize),
    /// An entry `key` of the canonical map column `map` (CUR 1.0 `product/*`, tag columns...).
    MapEntry { map: usize, key: String },
    /// Deliberately not read (e.g. Hive partition columns that repeat the folder name).
    Ignore,
}

/// A canonical schema: column names and types, in output order.
#[derive(Debug, Clone)]
pub struct Schema {
    pub names: Vec<String>,
    pub types: Vec<ColType>,
    /// Per map column, the only keys a scan needs (`None` or absent: every key). A mapping that
    /// reads `product['region']` alone should not pay for copying a hundred product attributes
    /// per row; readers skip the other entries (and, for flat CUR 1.0 / Athena columns, never
    /// decode them).
    pub map_keys: Vec<Option<Arc<HashSet<String>>>>,
}

impl Schema {
    pub fn new(names: Vec<String>, types: Vec<ColType>) -> Self {
        Schema {
            names,
            types,
            map_keys: Vec::new(),
        }
    }

    /// Whether entry `key` of map column `map` is read.
    pub fn keeps_key(&self, map: usize, key: &str) -> bool {
        match self.map_keys.get(map) {
            Some(Some(keys)) => keys.contains(key),
            _ => true,
        }
    }

    /// The same schema, with map columns narrowed to the keys given.
    pub fn with_map_keys(&self, keys: Vec<Option<Arc<HashSet<String>>>>) -> Self {
        Schema {
            names: self.names.clone(),
            types: self.types.clone(),
            map_keys: keys,
        }
    }

    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }
}

/// A source of canonical batches. Readers are pulled by whichever DuckDB thread is free, so
/// they must be `Send`; each is used by one thread at a time.
pub trait BatchReader: Send {
    /// The next at most `max_rows` rows; `None` when the input is exhausted.
    fn next_batch(&mut self, max_rows: usize) -> Result<Option<Batch>>;
}

/// Appends the text `value` (empty = NULL) to `col`, typed by the column.
pub fn push_text(col: &mut Column, value: &str, pos: impl Fn() -> Position, name: &str) -> Result<()> {
    if value.is_empty() {
        col.push_null();
        return Ok(());
    }
    let bad = |what: &str| Error::data(pos(), format!("column '{name}': '{}' is not {what}", truncate(value)));
    match col {
        Column::Str(c) => c.push(Some(value)),
        Column::Dec(v) => v.push(Some(parse_decimal(value).ok_or_else(|| bad("a number"))?)),
        Column::Ts(v) => v.push(Some(parse_timestamp(value).ok_or_else(|| bad("a timestamp"))?)),
        Column::Bool(v) => v.push(Some(match value.to_ascii_lowercase().as_str() {
            "true" | "t" | "1" | "yes" => true,
            "false" | "f" | "0" | "no" => false,
            _ => return Err(bad("a boolean")),
        })),
        Column::Map(m) => push_json_map(m, value).map_err(|e| bad(&format!("a JSON object ({e})")))?,
        Column::List(_) => return Err(bad("a list")),
    }
    Ok(())
}

fn truncate(s: &str) -> String {
    if s.chars().count() > 60 {
        format!("{}...", s.chars().take(60).collect::<String>())
    } else {
        s.to_string()
    }
}

/// Map columns arrive as JSON object text in CSV exports (CUR 2.0 `product`, `resource_tags`).
fn push_json_map(m: &mut MapCol, text: &str) -> std::result::Result<(), String> {
    let v: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        // Azure EA/MCA cost details write tags as the members of an object without its braces
        // (`"env": "prod","org": "x"`); wrapped, they are the object they mean.
        Err(e) if text.trim_start().starts_with('"') => {
            serde_json::from_str(&format!("{{{text}}}")).map_err(|_| e.to_string())?
        }
        Err(e) => return Err(e.to_string()),
    };
    let obj = v.as_object().ok_or("not an object")?;
    let start = m.keys.len();
    for (k, v) in obj {
        let text = match v {
            serde_json::Value::Null => None,
            serde_json::Value::String(s) => Some(s.clone()),
            other => Some(other.to_string()),
        };
        m.keys.push(Some(k));
        match (&mut *m.values, text) {
            (vals, None) => vals.push_null(),
            (Column::Dec(d), Some(t)) => d.push(Some(
                parse_decimal(&t).ok_or(format!("value of '{k}' is not a number"))?,
            )),
            (Column::Str(s), Some(t)) => s.push(Some(&t)),
            _ => return Err("unsupported map value type".into()),
        }
    }
    m.bounds.push(Some((start, m.keys.len())));
    Ok(())
}

/// Collects the map entries of one row, then closes the row.
pub struct MapRow {
    start: usize,
}

impl MapRow {
    pub fn begin(m: &MapCol) -> Self {
        MapRow { start: m.keys.len() }
    }
    /// Adds `key => value` unless the value is empty (an absent attribute or tag).
    pub fn entry(m: &mut MapCol, key: &str, value: &str, pos: impl Fn() -> Position) -> Result<()> {
        if value.is_empty() {
            return Ok(());
        }
        m.keys.push(Some(key));
        match &mut *m.values {
            Column::Str(s) => s.push(Some(value)),
            Column::Dec(d) => d
                .push(Some(parse_decimal(value).ok_or_else(|| {
                    Error::data(pos(), format!("'{key}': '{value}' is not a number"))
                })?)),
            _ => {}
        }
        Ok(())
    }
    /// Ends the row: a row with no entries gets an empty map, so "no tags" differs from "unknown".
    pub fn end(self, m: &mut MapCol) {
        m.bounds.push(Some((self.start, m.keys.len())));
    }
}

/// Keeps the rows of `batch` where `keep` is true.
pub fn filter_batch(batch: Batch, keep: &[bool]) -> Batch {
    let rows = keep.iter().filter(|k| **k).count();
    if rows == batch.rows {
        return batch;
    }
    let columns = batch
        .columns
        .into_iter()
        .map(|c| c.map(|c| filter_column(&c, keep)))
        .collect();
    Batch { rows, columns }
}

fn filter_column(c: &Column, keep: &[bool]) -> Column {
    let mut out = Column::new(c.col_type(), keep.len());
    for (i, k) in keep.iter().enumerate() {
        if *k {
            copy_value(c, i, &mut out);
        }
    }
    out
}

/// Appends row `i` of `src` to `dst` (same type).
pub fn copy_value(src: &Column, i: usize, dst: &mut Column) {
    match (src, dst) {
        (Column::Str(s), Column::Str(d)) => d.push(s.get(i)),
        (Column::Dec(s), Column::Dec(d)) => d.push(s[i]),
        (Column::Ts(s), Column::Ts(d)) => d.push(s[i]),
        (Column::Bool(s), Column::Bool(d)) => d.push(s[i]),
        (Column::Map(s), Column::Map(d)) => match s.entries(i) {
            Some(r) => {
                let start = d.keys.len();
                for e in r {
                    d.keys.push(s.keys.get(e));
                    copy_value(&s.values, e, &mut d.values);
                }
                d.bounds.push(Some((start, d.keys.len())));
            }
            None => d.bounds.push(None),
        },
        (Column::List(s), Column::List(d)) => match s.bounds[i] {
            Some((a, b)) => {
                let start = d.items.len();
                for e in a..b {
                    d.items.push(s.items.get(e));
                }
                d.bounds.push(Some((start, d.items.len())));
            }
            None => d.bounds.push(None),
        },
        (_, d) => d.push_null(),
    }
}
