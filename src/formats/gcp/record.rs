//! One export row as a JSON object, whatever the input form, and how it lands in canonical
//! columns. NDJSON rows are objects already; Parquet rows are converted from Arrow; flattened
//! CSV rows (`service.id` headers, repeated fields as Python-repr lists) are rebuilt into the
//! nested shape first, so every form goes through the same [`RowSink::push`].

use crate::columnar::{Batch, Column};
use crate::error::{Error, Position, Result};
use crate::formats::gcp::schema::{GcpSchema, Kind, OTHER_COLUMNS};
use crate::formats::reader::{push_text, MapRow, Schema};
use crate::formats::values::parse_decimal;
use crate::formats::view::records_json;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::Arc;

/// Parses a Python literal as `repr()` / pandas writes it: lists, dicts, 'single' or "double"
/// quoted strings with backslash escapes, None, True, False, ints and floats.
pub fn parse_py_literal(s: &str) -> std::result::Result<Value, String> {
    let mut p = Py {
        b: s.as_bytes(),
        i: 0,
        s,
    };
    let v = p.value()?;
    p.ws();
    if p.i != p.b.len() {
        return Err(format!("unexpected text at offset {}", p.i));
    }
    Ok(v)
}

struct Py<'a> {
    b: &'a [u8],
    i: usize,
    s: &'a str,
}

impl Py<'_> {
    fn ws(&mut self) {
        while self.i < self.b.len() && self.b[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }
    fn eat(&mut self, c: u8) -> bool {
        self.ws();
        if self.b.get(self.i) == Some(&c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn value(&mut self) -> std::result::Result<Value, String> {
        self.ws();
        match self.b.get(self.i) {
            None => Err("unexpected end".into()),
            Some(b'[') => {
                self.i += 1;
                let mut items = Vec::new();
                if self.eat(b']') {
                    return Ok(Value::Array(items));
                }
                loop {
                    items.push(self.value()?);
                    if self.eat(b']') {
                        return Ok(Value::Array(items));
                    }
                    if !self.eat(b',') {
                        return Err(format!("expected , or ] at offset {}", self.i));
                    }
                    // A trailing comma before the bracket is valid Python.
                    if self.eat(b']') {
                        return Ok(Value::Array(items));
                    }
                }
            }
            Some(b'{') => {
                self.i += 1;
                let mut obj = Map::new();
                if self.eat(b'}') {
                    return Ok(Value::Object(obj));
                }
                loop {
                    let key = match self.value()? {
                        Value::String(k) => k,
                        other => other.to_string(),
                    };
                    if !self.eat(b':') {
                        return Err(format!("expected : at offset {}", self.i));
                    }
                    let v = self.value()?;
                    obj.insert(key, v);
                    if self.eat(b'}') {
                        return Ok(Value::Object(obj));
                    }
                    if !self.eat(b',') {
                        return Err(format!("expected , or }} at offset {}", self.i));
                    }
                    if self.eat(b'}') {
                        return Ok(Value::Object(obj));
                    }
                }
            }
            Some(&q @ (b'\'' | b'"')) => {
                self.i += 1;
                let mut out = String::new();
                let mut start = self.i;
                loop {
                    match self.b.get(self.i) {
                        None => return Err("unterminated string".into()),
                        Some(&c) if c == q => {
                            out.push_str(&self.s[start..self.i]);
                            self.i += 1;
                            return Ok(Value::String(out));
                        }
                        Some(b'\\') => {
                            out.push_str(&self.s[start..self.i]);
                            let e = *self.b.get(self.i + 1).ok_or("unterminated escape")?;
                            self.i += 2;
                            match e {
                                b'n' => out.push('\n'),
                                b't' => out.push('\t'),
                                b'r' => out.push('\r'),
                                b'\\' | b'\'' | b'"' => out.push(e as char),
                                b'x' | b'u' => {
                                    let len = if e == b'x' { 2 } else { 4 };
                                    let hex = self.s.get(self.i..self.i + len).ok_or("bad escape")?;
                                    let cp = u32::from_str_radix(hex, 16).map_err(|_| "bad escape")?;
                                    out.push(char::from_u32(cp).ok_or("bad escape")?);
                                    self.i += len;
                                }
                                other => {
                                    out.push('\\');
                                    out.push(other as char);
                                }
                            }
                            start = self.i;
                        }
                        Some(_) => self.i += 1,
                    }
                }
            }
            Some(_) => {
                let start = self.i;
                while self.i < self.b.len() && !matches!(self.b[self.i], b',' | b']' | b'}' | b':') {
                    self.i += 1;
                }
                let word = self.s[start..self.i].trim();
                match word {
                    "None" => Ok(Value::Null),
                    "True" => Ok(Value::Bool(true)),
                    "False" => Ok(Value::Bool(false)),
                    _ => number(word).ok_or_else(|| format!("'{word}' is not a Python literal")),
                }
            }
        }
    }
}

/// A number as JSON keeps it: integers exactly, other numbers as the nearest double (which
/// prints back as the shortest text, as Python's repr wrote it).
fn number(w: &str) -> Option<Value> {
    if let Ok(i) = w.parse::<i64>() {
        return Some(Value::from(i));
    }
    let f: f64 = w.parse().ok()?;
    serde_json::Number::from_f64(f).map(Value::Number)
}

/// Text of a scalar JSON value for [`push_text`]; NULL for null; records and arrays as JSON.
fn text(v: &Value) -> Option<Cow<'_, str>> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(Cow::Borrowed(s)),
        Value::Bool(b) => Some(Cow::Borrowed(if *b { "true" } else { "false" })),
        Value::Number(n) => Some(Cow::Owned(n.to_string())),
        other => Some(Cow::Owned(other.to_string())),
    }
}

fn at<'v>(row: &'v Map<String, Value>, path: &[String]) -> Option<&'v Value> {
    let (first, rest) = path.split_first()?;
    let mut v = row.get(first)?;
    for p in rest {
        v = v.as_object()?.get(p)?;
    }
    Some(v)
}

/// Accumulates rows into the wanted canonical columns.
pub struct RowSink {
    schema: Arc<Schema>,
    s: &'static GcpSchema,
    wanted: Arc<Vec<bool>>,
    columns: Vec<Option<Column>>,
    rows: usize,
}

impl RowSink {
    pub fn new(s: &'static GcpSchema, wanted: Arc<Vec<bool>>, capacity: usize) -> Self {
        let schema = s.schema.clone();
        let columns = (0..schema.names.len())
            .map(|c| wanted[c].then(|| Column::new(schema.types[c], capacity)))
            .collect();
        RowSink {
            schema,
            s,
            wanted,
            columns,
            rows: 0,
        }
    }

    pub fn rows(&self) -> usize {
        self.rows
    }

    /// The top-level fields the wanted columns read; `None` when every field is needed
    /// (`other_columns` collects whatever the catalogue does not know).
    pub fn top_level_fields(&self) -> Option<HashSet<&'static str>> {
        if self.wanted[self.s.other] {
            return None;
        }
        Some(
            self.s
                .fields
                .iter()
                .filter(|f| self.wanted[f.column])
                .filter_map(|f| f.path.first().map(String::as_str))
                .collect(),
        )
    }

    /// Appends one row. `pos` names the file and line (or row) for errors.
    pub fn push(&mut self, row: &Map<String, Value>, pos: &dyn Fn() -> Position) -> Result<()> {
        for f in &self.s.fields {
            let c = f.column;
            let Some(col) = self.columns[c].as_mut() else { continue };
            let v = at(row, &f.path).filter(|v| !v.is_null());
            let name = &self.schema.names[c];
            match f.kind {
                Kind::Scalar => match v.and_then(text) {
                    Some(t) => push_text(col, &t, pos, name)?,
                    None => col.push_null(),
                },
                Kind::Records(fields) => match v {
                    Some(v) => {
                        let t =
                            records_json(v, fields).map_err(|m| Error::data(pos(), format!("column '{name}': {m}")))?;
                        push_text(col, &t, pos, name)?
                    }
                    None => col.push_null(),
                },
                Kind::CreditsSum => match v {
                    None => col.push_null(),
                    Some(v) => {
                        let total =
                            credits_total(v).map_err(|m| Error::data(pos(), format!("column '{name}': {m}")))?;
                        let Column::Dec(d) = col else {
                            return Err(Error::data(pos(), "credits_total is not DECIMAL"));
                        };
                        d.push(Some(total));
                    }
                },
                Kind::Labels => {
                    let Column::Map(m) = col else {
                        return Err(Error::data(pos(), format!("{name} is not a map")));
                    };
                    match v {
                        None => m.bounds.push(None),
                        Some(v) => {
                            let r = MapRow::begin(m);
                            for (k, val) in
                                labels(v).map_err(|e| Error::data(pos(), format!("column '{name}': {e}")))?
                            {
                                // A label with an empty value is still a label: keep it.
                                m.keys.push(Some(k.as_str()));
                                match &mut *m.values {
                                    Column::Str(sv) => sv.push(val.as_deref()),
                                    other => other.push_null(),
                                }
                            }
                            r.end(m);
                        }
                    }
                }
            }
        }
        if self.wanted[self.s.other] {
            let Some(Column::Map(m)) = self.columns[self.s.other].as_mut() else {
                return Err(Error::data(pos(), "other_columns is not a map"));
            };
            let r = MapRow::begin(m);
            for (k, v) in row {
                match v.as_object() {
                    Some(obj) if self.s.is_record(k) => {
                        for (sub, sv) in obj {
                            let dotted = format!("{k}.{sub}");
                            if !self.s.is_known(&dotted) {
                                MapRow::entry(m, &dotted, text(sv).as_deref().unwrap_or(""), pos)?;
                            }
                        }
                    }
                    _ if self.s.is_known(k) => {}
                    // Our own other_columns, in a file read_gcp_billing's output was written to
                    // (COPY ... TO 'x.parquet'): its entries, not a key named other_columns.
                    _ if k == OTHER_COLUMNS && !v.is_null() => {
                        for (ek, ev) in labels(v).map_err(|e| Error::data(pos(), format!("column '{k}': {e}")))? {
                            MapRow::entry(m, &ek, ev.as_deref().unwrap_or(""), pos)?;
                        }
                    }
                    _ => MapRow::entry(m, k, text(v).as_deref().unwrap_or(""), pos)?,
                }
            }
            r.end(m);
        }
        self.rows += 1;
        Ok(())
    }

    /// The rows so far as a batch; the sink starts over.
    pub fn take(&mut self) -> Batch {
        let fresh = RowSink::new(self.s, self.wanted.clone(), 0);
        let columns = std::mem::replace(&mut self.columns, fresh.columns);
        let rows = std::mem::replace(&mut self.rows, 0);
        Batch { rows, columns }
    }
}

/// `[{key, value}, ...]` (BigQuery) or `{key: value}` as (key, value) pairs.
fn labels(v: &Value) -> std::result::Result<Vec<(String, Option<String>)>, String> {
    match v {
        Value::Array(items) => items
            .iter()
            .map(|it| -> std::result::Result<(String, Option<String>), String> {
                let o = it.as_object().ok_or("a label is not a {key, value} record")?;
                let k = o.get("key").and_then(text).ok_or("a label has no key")?;
                Ok((k.into_owned(), o.get("value").and_then(text).map(Cow::into_owned)))
            })
            .collect(),
        Value::Object(o) => Ok(o
            .iter()
            .map(|(k, v)| (k.clone(), text(v).map(Cow::into_owned)))
            .collect()),
        _ => Err("not a list of {key, value} records".into()),
    }
}

/// The exact sum of `amount` over the credits (an empty list sums to 0).
fn credits_total(v: &Value) -> std::result::Result<i128, String> {
    let items = v.as_array().ok_or("credits are not a list")?;
    let mut total: i128 = 0;
    for it in items {
        let amount = it
            .as_object()
            .and_then(|o| o.get("amount"))
            .ok_or("a credit has no amount")?;
        let t = text(amount).ok_or("a credit has a null amount")?;
        let d = parse_decimal(&t).ok_or_else(|| format!("credit amount '{t}' is not a number"))?;
        total = total.checked_add(d).ok_or("credit amounts overflow DECIMAL(38,18)")?;
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_reprs_parse() {
        let v = parse_py_literal(
            "[{'name': 'FreeTrial:Credit-123', 'amount': -5e-06, 'full_name': None, 'id': 'x', 'type': 'PROMOTION'}]",
        )
        .unwrap();
        assert_eq!(v[0]["amount"].as_f64(), Some(-5e-06));
        assert!(v[0]["full_name"].is_null());
        assert_eq!(parse_py_literal("[]").unwrap(), Value::Array(vec![]));
        let v = parse_py_literal(r#"[{'key': "it's", 'value': 'a\'b\\c'}, ]"#).unwrap();
        assert_eq!(v[0]["key"], "it's");
        assert_eq!(v[0]["value"], "a'b\\c");
        assert_eq!(parse_py_literal("{'a': True, 'b': 3}").unwrap()["b"], 3);
        assert!(parse_py_literal("[{'a': 1}").is_err());
        assert!(parse_py_literal("[nonsense]").is_err());
    }

    #[test]
    fn credits_sum_exactly() {
        let v: Value = serde_json::from_str(r#"[{"amount": -0.1}, {"amount": -0.2}, {"amount": "-1e-6"}]"#).unwrap();
        assert_eq!(credits_total(&v).unwrap(), -300_001_000_000_000_000);
        assert_eq!(credits_total(&Value::Array(vec![])).unwrap(), 0);
        assert!(credits_total(&serde_json::json!([{"name": "x"}])).is_err());
    }
}
