//! Google Cloud Billing export to BigQuery (standard and detailed), as it leaves BigQuery:
//! Parquet and newline-delimited JSON with the nested records and arrays, and the flattened CSV
//! form (`service.id` headers, repeated fields as Python-repr lists) that tools such as Koku
//! write. All three land in one canonical flat schema (`sql/gcp/billing_columns.csv`), which
//! `read_gcp_billing` returns nested again, in BigQuery's own shape (`schema::GcpSchema::view`).

pub mod focus;
pub mod record;
pub mod schema;

use crate::columnar::Batch;
use crate::error::{Error, Position, Result};
use crate::formats::csv_reader::{csv_error, open_csv, TextCsv};
use crate::formats::provider::{Provider, ReadOptions};
use crate::formats::reader::{BatchReader, Schema};
use crate::formats::scan::{CustomOpener, ScanUnit, UnitKind};
use crate::formats::values::{civil_from_days, MICROS_PER_DAY};
use crate::formats::view::View;
use crate::io::listing::data_files;
use crate::io::open::{open_text, sniff, Container};
use crate::mapping::Mapping;
use arrow::array::{Array, ArrayRef, AsArray};
use arrow::datatypes::{DataType, TimeUnit};
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use record::{parse_py_literal, RowSink};
use schema::gcp_schema;
use serde_json::{Map, Value};
use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::sync::Arc;

/// Google Cloud as a billing source: `read_gcp_billing`, `to_focus(provider := 'gcp')`.
pub struct Gcp;

impl Provider for Gcp {
    fn name(&self) -> &'static str {
        "gcp"
    }
    fn reader_function(&self) -> &'static str {
        "read_gcp_billing"
    }
    fn schema(&self) -> Result<Arc<Schema>> {
        Ok(gcp_schema()?.schema.clone())
    }
    fn discover(&self, paths: &[String], opts: &ReadOptions) -> Result<Vec<ScanUnit>> {
        discover(paths, opts)
    }
    fn recognises(&self, columns: &[String]) -> bool {
        columns.iter().any(|c| c == "billing_account_id")
            && columns
                .iter()
                .any(|c| c == "cost" || c == "service" || c == "service.id")
    }
    fn mapping(&self) -> Result<&'static Mapping> {
        focus::mapping()
    }
    fn view(&self) -> Result<Option<&'static View>> {
        Ok(Some(&gcp_schema()?.view))
    }
    fn sql_source(&self, source: &str) -> Result<String> {
        Ok(gcp_schema()?.flat_sql(source))
    }
    fn billing_period_column(&self) -> Option<&'static str> {
        // The invoice month is text (YYYYMM); usage_start_time is the month a row's usage is
        // in, which is the invoice month except for late-arriving rows.
        Some("usage_start_time")
    }
}

/// The three input forms, told apart by their bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Parquet,
    NdJson,
    Csv,
}

fn is_data_file(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    [".csv", ".gz", ".parquet", ".json", ".jsonl", ".ndjson"]
        .iter()
        .any(|e| k.ends_with(e))
}

/// The first non-whitespace byte of the (decompressed) text.
fn first_byte(path: &Path) -> Result<Option<u8>> {
    let mut r = BufReader::new(open_text(path)?);
    loop {
        let buf = r.fill_buf().map_err(|e| Error::io(path, "cannot read", e))?;
        if buf.is_empty() {
            return Ok(None);
        }
        if let Some(b) = buf
            .iter()
            .find(|b| !b.is_ascii_whitespace() && **b != 0xEF && **b != 0xBB && **b != 0xBF)
        {
            return Ok(Some(*b));
        }
        let n = buf.len();
        r.consume(n);
    }
}

fn form_of(path: &Path, file: &str) -> Result<Form> {
    if sniff(path)? == Container::Parquet {
        return Ok(Form::Parquet);
    }
    match first_byte(path)? {
        Some(b'{') => Ok(Form::NdJson),
        Some(b'[') => Err(Error::data(
            Position::file(file),
            "a JSON array: this looks like the legacy Cloud Storage file export (retired in 2019), not the BigQuery \
             billing export; export the BigQuery table as newline-delimited JSON, Parquet or CSV",
        )),
        _ => Ok(Form::Csv),
    }
}

/// Top-level column names of a file: CSV header, Parquet schema, keys of the first JSON line.
pub fn column_names(path: &Path) -> Result<Vec<String>> {
    let file = path.display().to_string();
    match form_of(path, &file)? {
        Form::Parquet => Ok(crate::formats::parquet_reader::inspect(path)?.columns),
        Form::Csv => Ok(open_csv(open_text(path)?, &file)?.1),
        Form::NdJson => {
            let mut lines = JsonLines::open(path, &file)?;
            match lines.next_row()? {
                Some((_, row)) => Ok(row.keys().cloned().collect()),
                None => Ok(vec![]),
            }
        }
    }
}

/// Expands the user's paths into one scan unit per file, checking each is a billing export.
pub fn discover(paths: &[String], _opts: &ReadOptions) -> Result<Vec<ScanUnit>> {
    let files = data_files(paths, is_data_file, ".parquet, .json, .jsonl, .ndjson, .csv or .gz")?;
    let mut units = Vec::new();
    for path in files {
        let file = path.display().to_string();
        let form = form_of(&path, &file)?;
        let columns = column_names(&path)?;
        // Dotted CSV headers name nested fields; their record is the top-level column.
        let roots: Vec<&str> = columns.iter().map(|c| c.split('.').next().unwrap_or(c)).collect();
        if !roots.contains(&"cost") || !roots.contains(&"billing_account_id") {
            let missing = if roots.contains(&"cost") {
                "billing_account_id"
            } else {
                "cost"
            };
            let sample: Vec<&str> = columns.iter().take(5).map(String::as_str).collect();
            return Err(Error::data(
                Position::file(&file),
                format!(
                    "not a Cloud Billing BigQuery export: no '{missing}' column (found {}{})",
                    sample.join(", "),
                    if columns.len() > 5 { ", ..." } else { "" }
                ),
            ));
        }
        let opener: CustomOpener = Arc::new(
            move |u: &ScanUnit, _schema: Arc<Schema>, wanted: Arc<Vec<bool>>, rows: usize| {
                open_unit(u, form, wanted, rows)
            },
        );
        units.push(ScanUnit::new(path, UnitKind::Custom(opener), Arc::new(vec![])));
    }
    Ok(units)
}

fn open_unit(u: &ScanUnit, form: Form, wanted: Arc<Vec<bool>>, rows: usize) -> Result<Box<dyn BatchReader>> {
    let sink = RowSink::new(gcp_schema()?, wanted, rows);
    let source: Box<dyn RowSource> = match form {
        Form::NdJson => Box::new(JsonLines::open(&u.path, &u.file)?),
        Form::Csv => Box::new(FlatCsv::open(&u.path, &u.file)?),
        Form::Parquet => Box::new(ParquetRows::open(&u.path, &u.file, rows, sink.top_level_fields())?),
    };
    Ok(Box::new(GcpReader {
        source,
        sink,
        file: u.file.clone(),
    }))
}

/// Rows of one file as JSON objects, with the line (or row) number for errors.
trait RowSource: Send {
    fn next_row(&mut self) -> Result<Option<(u64, Map<String, Value>)>>;
    /// `file:line` for text forms; Parquet has rows, not lines.
    fn position(&self, file: &str, n: u64) -> Position {
        Position::at_line(file, n)
    }
}

struct GcpReader {
    source: Box<dyn RowSource>,
    sink: RowSink,
    file: String,
}

impl BatchReader for GcpReader {
    fn next_batch(&mut self, max_rows: usize) -> Result<Option<Batch>> {
        while self.sink.rows() < max_rows {
            let Some((n, row)) = self.source.next_row()? else { break };
            let (source, file) = (&self.source, &self.file);
            self.sink.push(&row, &|| source.position(file, n))?;
        }
        if self.sink.rows() == 0 {
            return Ok(None);
        }
        Ok(Some(self.sink.take()))
    }
}

/// Newline-delimited JSON (`bq extract --destination_format NEWLINE_DELIMITED_JSON`).
struct JsonLines {
    lines: BufReader<Box<dyn Read + Send>>,
    file: String,
    line: u64,
    buf: String,
}

impl JsonLines {
    fn open(path: &Path, file: &str) -> Result<Self> {
        Ok(JsonLines {
            lines: BufReader::new(open_text(path)?),
            file: file.to_string(),
            line: 0,
            buf: String::new(),
        })
    }
}

impl RowSource for JsonLines {
    fn next_row(&mut self) -> Result<Option<(u64, Map<String, Value>)>> {
        loop {
            self.buf.clear();
            self.line += 1;
            let n = self.lines.read_line(&mut self.buf).map_err(|e| {
                let message = if e.kind() == std::io::ErrorKind::ConnectionAborted {
                    e.to_string() // a broken transfer, not a damaged file
                } else {
                    format!("cannot read ({e}); is the file truncated or not UTF-8?")
                };
                Error::data(Position::at_line(&self.file, self.line), message)
            })?;
            if n == 0 {
                return Ok(None);
            }
            let text = self.buf.trim();
            if text.is_empty() {
                continue;
            }
            let pos = || Position::at_line(&self.file, self.line);
            let v: Value = serde_json::from_str(text)
                .map_err(|e| Error::data(pos(), format!("the line is not valid JSON ({e})")))?;
            return match v {
                Value::Object(o) => Ok(Some((self.line, o))),
                _ => Err(Error::data(
                    pos(),
                    "the line is JSON but not an object (one export row per line)",
                )),
            };
        }
    }
}

/// The flattened CSV form: `service.id` headers; repeated fields as Python-repr (or JSON) lists.
struct FlatCsv {
    rdr: TextCsv,
    headers: Vec<(String, Option<String>, bool)>,
    file: String,
    record: csv::StringRecord,
}

impl FlatCsv {
    fn open(path: &Path, file: &str) -> Result<Self> {
        let s = gcp_schema()?;
        let (rdr, headers) = open_csv(open_text(path)?, file)?;
        let headers = headers
            .into_iter()
            .map(|h| {
                let repeated = s.is_repeated(&h);
                match h.split_once('.').map(|(root, sub)| (root.to_string(), sub.to_string())) {
                    Some((root, sub)) => (root, Some(sub), repeated),
                    None => (h, None, repeated),
                }
            })
            .collect();
        Ok(FlatCsv {
            rdr,
            headers,
            file: file.to_string(),
            record: csv::StringRecord::new(),
        })
    }
}

impl RowSource for FlatCsv {
    fn next_row(&mut self) -> Result<Option<(u64, Map<String, Value>)>> {
        if !self
            .rdr
            .read_record(&mut self.record)
            .map_err(|e| csv_error(&self.file, e))?
        {
            return Ok(None);
        }
        let line = self.record.position().map_or(0, |p| p.line());
        let mut row = Map::new();
        for ((root, sub, repeated), cell) in self.headers.iter().zip(self.record.iter()) {
            let v = if cell.is_empty() {
                Value::Null
            } else if *repeated {
                serde_json::from_str(cell)
                    .or_else(|_| parse_py_literal(cell))
                    .map_err(|e| {
                        let name = sub.as_ref().map_or(root.clone(), |s| format!("{root}.{s}"));
                        Error::data(
                            Position::at_line(&self.file, line),
                            format!("column '{name}': not a list ({e})"),
                        )
                    })?
            } else {
                Value::String(cell.to_string())
            };
            match sub {
                None => {
                    row.insert(root.clone(), v);
                }
                Some(sub) => {
                    let rec = row.entry(root.clone()).or_insert_with(|| Value::Object(Map::new()));
                    if let Value::Object(o) = rec {
                        o.insert(sub.clone(), v);
                    }
                }
            }
        }
        Ok(Some((line, row)))
    }
}

/// Parquet with BigQuery's nested schema (STRUCT, LIST of STRUCT), converted row by row.
struct ParquetRows {
    inner: ParquetRecordBatchReader,
    file: String,
    pending: std::vec::IntoIter<Map<String, Value>>,
    row: u64,
}

impl ParquetRows {
    /// `fields`: the top-level fields to read (a projection), `None` for all.
    fn open(path: &Path, file: &str, batch_rows: usize, fields: Option<HashSet<&str>>) -> Result<Self> {
        let f = crate::io::open::ParquetSource::open(path)?;
        let perr = |what: &str, e: parquet::errors::ParquetError| Error::Parquet {
            pos: Position::file(file),
            message: what.to_string(),
            source: Some(e),
        };
        let md = parquet::arrow::arrow_reader::ArrowReaderMetadata::load(&f, Default::default())
            .map_err(|e| perr("cannot read the Parquet footer", e))?;
        // Only the fields the query reads are decoded and turned into JSON (a to_focus or a
        // count(*) needs a fraction of BigQuery's columns).
        let descr = md.metadata().file_metadata().schema_descr_ptr();
        let roots: Vec<usize> = (0..descr.root_schema().get_fields().len())
            .filter(|&i| {
                let name = descr.root_schema().get_fields()[i].name();
                fields.as_ref().is_none_or(|f| f.contains(name))
            })
            .collect();
        let keep_root: HashSet<usize> = roots.iter().copied().collect();
        // On object storage each projected column chunk is fetched whole when first touched,
        // one row group at a time, rather than page by page.
        f.set_chunks(
            md.metadata()
                .row_groups()
                .iter()
                .flat_map(|rg| rg.columns().iter().enumerate())
                .filter(|(leaf, _)| keep_root.contains(&descr.get_column_root_idx(*leaf)))
                .map(|(_, c)| c.byte_range())
                .map(|(start, len)| start..start + len)
                .collect(),
        );
        let mask = parquet::arrow::ProjectionMask::roots(&descr, roots);
        let inner = ParquetRecordBatchReaderBuilder::new_with_metadata(f, md)
            .with_projection(mask)
            .with_batch_size(batch_rows.max(1))
            .build()
            .map_err(|e| perr("cannot read", e))?;
        Ok(ParquetRows {
            inner,
            file: file.to_string(),
            pending: Vec::new().into_iter(),
            row: 0,
        })
    }
}

impl RowSource for ParquetRows {
    fn next_row(&mut self) -> Result<Option<(u64, Map<String, Value>)>> {
        loop {
            if let Some(r) = self.pending.next() {
                self.row += 1;
                return Ok(Some((self.row, r)));
            }
            let Some(rb) = self.inner.next() else { return Ok(None) };
            let rb =
                rb.map_err(|e| Error::data(Position::file(&self.file), format!("cannot read a row group ({e})")))?;
            let schema = rb.schema();
            let mut rows: Vec<Map<String, Value>> = (0..rb.num_rows()).map(|_| Map::new()).collect();
            for (field, col) in schema.fields().iter().zip(rb.columns()) {
                let values = arrow_to_json(col)
                    .map_err(|m| Error::data(Position::file(&self.file), format!("column '{}': {m}", field.name())))?;
                for (r, v) in rows.iter_mut().zip(values) {
                    r.insert(field.name().clone(), v);
                }
            }
            self.pending = rows.into_iter();
        }
    }
    fn position(&self, file: &str, n: u64) -> Position {
        Position::file(format!("{file} (row {n})"))
    }
}

/// One JSON value per row of an Arrow array, recursing into structs and lists. Decimals and
/// timestamps become text the canonical parsers read exactly.
fn arrow_to_json(arr: &ArrayRef) -> std::result::Result<Vec<Value>, String> {
    let n = arr.len();
    let cast =
        |to: &DataType| arrow::compute::cast(arr, to).map_err(|e| format!("cannot read {} ({e})", arr.data_type()));
    let nullable = |i: usize, v: Value| if arr.is_null(i) { Value::Null } else { v };
    Ok(match arr.data_type() {
        DataType::Null => vec![Value::Null; n],
        DataType::Struct(fields) => {
            let s = arr.as_struct();
            let children = s
                .columns()
                .iter()
                .map(arrow_to_json)
                .collect::<std::result::Result<Vec<_>, _>>()?;
            (0..n)
                .map(|i| {
                    let mut o = Map::new();
                    for (f, c) in fields.iter().zip(&children) {
                        o.insert(f.name().clone(), c[i].clone());
                    }
                    nullable(i, Value::Object(o))
                })
                .collect()
        }
        DataType::List(_) | DataType::LargeList(_) => {
            let (values, offsets): (ArrayRef, Vec<usize>) = match arr.data_type() {
                DataType::List(_) => {
                    let l = arr.as_list::<i32>();
                    (l.values().clone(), l.offsets().iter().map(|o| *o as usize).collect())
                }
                _ => {
                    let l = arr.as_list::<i64>();
                    (l.values().clone(), l.offsets().iter().map(|o| *o as usize).collect())
                }
            };
            let items = arrow_to_json(&values)?;
            (0..n)
                .map(|i| nullable(i, Value::Array(items[offsets[i]..offsets[i + 1]].to_vec())))
                .collect()
        }
        // A MAP (read_gcp_billing's own labels, written back to Parquet by DuckDB) as the
        // [{key, value}] records BigQuery has for labels.
        DataType::Map(_, _) => {
            let m = arr.as_map();
            let (keys, values) = (arrow_to_json(m.keys())?, arrow_to_json(m.values())?);
            let offsets: Vec<usize> = m.offsets().iter().map(|o| *o as usize).collect();
            (0..n)
                .map(|i| {
                    let entries = (offsets[i]..offsets[i + 1])
                        .map(|j| {
                            let mut o = Map::new();
                            o.insert("key".into(), keys[j].clone());
                            o.insert("value".into(), values[j].clone());
                            Value::Object(o)
                        })
                        .collect();
                    nullable(i, Value::Array(entries))
                })
                .collect()
        }
        DataType::Boolean => {
            let b = arr.as_boolean();
            (0..n).map(|i| nullable(i, Value::Bool(b.value(i)))).collect()
        }
        DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32 => {
            let c = cast(&DataType::Int64)?;
            let a = c.as_primitive::<arrow::datatypes::Int64Type>();
            (0..n).map(|i| nullable(i, Value::from(a.value(i)))).collect()
        }
        DataType::Float16 | DataType::Float32 | DataType::Float64 => {
            let c = cast(&DataType::Float64)?;
            let a = c.as_primitive::<arrow::datatypes::Float64Type>();
            (0..n)
                .map(|i| {
                    nullable(
                        i,
                        serde_json::Number::from_f64(a.value(i)).map_or(Value::Null, Value::Number),
                    )
                })
                .collect()
        }
        DataType::Timestamp(unit, _) => {
            let c = cast(&DataType::Int64)?;
            let a = c.as_primitive::<arrow::datatypes::Int64Type>();
            let to_us = |v: i64| match unit {
                TimeUnit::Second => v.checked_mul(1_000_000),
                TimeUnit::Millisecond => v.checked_mul(1_000),
                TimeUnit::Microsecond => Some(v),
                TimeUnit::Nanosecond => Some(v.div_euclid(1_000)),
            };
            (0..n)
                .map(|i| {
                    nullable(
                        i,
                        to_us(a.value(i)).map_or(Value::Null, |us| Value::String(iso_utc(us))),
                    )
                })
                .collect()
        }
        _ => {
            // Strings, decimals (exact text), dates and anything else arrow can print.
            let c = cast(&DataType::Utf8)?;
            let a = c.as_string::<i32>();
            (0..n)
                .map(|i| nullable(i, Value::String(a.value(i).to_string())))
                .collect()
        }
    })
}

/// `2024-01-31T23:00:00.000000Z`.
fn iso_utc(us: i64) -> String {
    let days = us.div_euclid(MICROS_PER_DAY);
    let rem = us.rem_euclid(MICROS_PER_DAY);
    let (y, m, d) = civil_from_days(days);
    let secs = rem / 1_000_000;
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:06}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60,
        rem % 1_000_000
    )
}
