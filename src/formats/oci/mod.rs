//! Oracle Cloud Infrastructure cost reports and usage reports: CSV (plain or gzip, as Oracle
//! delivers them under `reports/cost-csv/` and `reports/usage-csv/`) with `lineItem/`,
//! `product/`, `usage/`, `cost/` and `tags/` headers.

pub mod focus;
pub mod schema;

use crate::columnar::{Batch, Column, StrCol};
use crate::error::{Error, Position, Result};
use crate::formats::csv_reader::{csv_error, open_csv, CsvBatchReader};
use crate::formats::provider::{Provider, ReadOptions};
use crate::formats::reader::{BatchReader, Schema, Target};
use crate::formats::scan::{ScanUnit, UnitKind};
use crate::io::listing::data_files;
use crate::io::open::open_text;
use crate::mapping::Mapping;
use schema::{oci_schema, OciSchema};
use std::sync::Arc;

/// OCI as a billing source: `read_oci_cost`, `to_focus(provider := 'oci')`.
pub struct Oci;

impl Provider for Oci {
    fn name(&self) -> &'static str {
        "oci"
    }
    fn reader_function(&self) -> &'static str {
        "read_oci_cost"
    }
    fn schema(&self) -> Result<Arc<Schema>> {
        Ok(oci_schema()?.schema.clone())
    }
    fn discover(&self, paths: &[String], opts: &ReadOptions) -> Result<Vec<ScanUnit>> {
        discover(paths, opts)
    }
    fn recognises(&self, columns: &[String]) -> bool {
        columns.iter().any(|c| is_oci_header(c))
    }
    fn mapping(&self) -> Result<&'static Mapping> {
        focus::mapping()
    }
    fn billing_period_column(&self) -> Option<&'static str> {
        // OCI bills by calendar month of usage: the interval start decides the month.
        Some("line_item_interval_usage_start")
    }
}

/// OCI writes `lineItem/` in lowerCamel (`lineItem/referenceNo`); AWS CUR 1.0 writes the same
/// category with UpperCamel names (`lineItem/UnblendedCost`), which is how the two differ.
pub fn is_oci_header(h: &str) -> bool {
    h.strip_prefix("lineItem/")
        .and_then(|n| n.chars().next())
        .is_some_and(|c| c.is_ascii_lowercase())
}

fn is_data_file(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    k.ends_with(".csv") || k.ends_with(".csv.gz") || k.ends_with(".gz")
}

/// Expands the user's paths into one scan unit per report file, reading each header.
pub fn discover(paths: &[String], _opts: &ReadOptions) -> Result<Vec<ScanUnit>> {
    let s = oci_schema()?;
    let files = data_files(paths, is_data_file, ".csv or .csv.gz report")?;
    // OCI writes many small report files: their headers are read several at a time on S3.
    let remote = files.iter().any(|f| crate::io::location::Location::is_remote(f));
    crate::io::parallel_map(&files, remote, |path| {
        let file = path.display().to_string();
        let (_, headers) = open_csv(open_text(path)?, &file)?;
        if !headers.iter().any(|h| is_oci_header(h)) {
            let sample: Vec<&str> = headers.iter().take(5).map(String::as_str).collect();
            return Err(Error::data(
                Position::file(&file),
                format!(
                    "not an OCI cost or usage report: no lineItem/referenceNo-style columns (found {}{})",
                    sample.join(", "),
                    if headers.len() > 5 { ", ..." } else { "" }
                ),
            ));
        }
        let targets: Vec<Target> = headers.iter().map(|h| s.resolve(h)).collect();
        let opener: crate::formats::scan::CustomOpener = Arc::new(open_report);
        Ok(ScanUnit::new(path.clone(), UnitKind::Custom(opener), Arc::new(targets)))
    })
}

/// Opens a report as CSV; where the currency is wanted, also finds the file's currency first.
fn open_report(
    u: &ScanUnit,
    schema: Arc<Schema>,
    wanted: Arc<Vec<bool>>,
    _rows: usize,
) -> Result<Box<dyn BatchReader>> {
    let s = oci_schema()?;
    let (rdr, headers) = open_csv(open_text(&u.path)?, &u.file)?;
    let inner = Box::new(CsvBatchReader::new(
        rdr,
        &headers,
        &u.targets,
        &u.file,
        schema,
        wanted.clone(),
    ));
    if !wanted[s.currency] {
        return Ok(inner);
    }
    let fill = file_currency(u, s)?;
    Ok(Box::new(FillCurrency {
        inner,
        column: s.currency,
        fill,
    }))
}

/// Oracle leaves `cost/currencyCode` empty on some zero-cost rows (seen in real reports). A
/// report is written for one subscription, so one currency: when the file names exactly one,
/// the empty cells take it; with none or several they stay NULL (nothing is guessed).
fn file_currency(u: &ScanUnit, s: &OciSchema) -> Result<Option<String>> {
    let Some(field) = u.targets.iter().position(|t| *t == Target::Column(s.currency)) else {
        return Ok(None);
    };
    let (mut rdr, _) = open_csv(open_text(&u.path)?, &u.file)?;
    let mut record = csv::ByteRecord::new();
    let mut seen: Option<Vec<u8>> = None;
    while rdr.read_byte_record(&mut record).map_err(|e| csv_error(&u.file, e))? {
        let v = record.get(field).unwrap_or_default();
        if v.is_empty() {
            continue;
        }
        match &seen {
            None => seen = Some(v.to_vec()),
            Some(c) if c.as_slice() == v => {}
            Some(_) => return Ok(None),
        }
    }
    Ok(seen.and_then(|c| String::from_utf8(c).ok()))
}

struct FillCurrency {
    inner: Box<dyn BatchReader>,
    column: usize,
    fill: Option<String>,
}

impl BatchReader for FillCurrency {
    fn next_batch(&mut self, max_rows: usize) -> Result<Option<Batch>> {
        let Some(mut batch) = self.inner.next_batch(max_rows)? else {
            return Ok(None);
        };
        let Some(fill) = self.fill.as_deref() else {
            return Ok(Some(batch));
        };
        if let Some(Some(Column::Str(c))) = batch.columns.get(self.column) {
            if c.iter().any(|v| v.is_none()) {
                let mut out = StrCol::with_capacity(c.len());
                for v in c.iter() {
                    out.push(Some(v.unwrap_or(fill)));
                }
                batch.columns[self.column] = Some(Column::Str(out));
            }
        }
        Ok(Some(batch))
    }
}
