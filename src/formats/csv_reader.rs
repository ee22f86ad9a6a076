//! Streaming CSV into canonical batches. The header decides, once per file, where each field
//! goes ([`Target`]); rows are then parsed field by field, only for the columns asked for.

use crate::columnar::{Batch, Column};
use crate::error::{Error, Position, Result};
use crate::formats::reader::{push_text, BatchReader, MapRow, Schema, Target};
use std::io::Read;
use std::sync::Arc;

pub struct CsvBatchReader {
    rdr: csv::Reader<Box<dyn Read + Send>>,
    file: String,
    schema: Arc<Schema>,
    wanted: Arc<Vec<bool>>,
    /// (field index, source header, canonical column) for every wanted plain column.
    fields: Vec<(usize, String, usize)>,
    /// (field index, map column, key) for every wanted map entry.
    entries: Vec<(usize, usize, String)>,
    /// Map columns that get a value per row (wanted and fed by at least one field).
    maps: Vec<usize>,
    record: csv::ByteRecord,
    done: bool,
    /// Whether an unquoted-or-quoted `NULL` field means NULL (FOCUS exports write it so).
    null_literal: bool,
}

/// Reads the header of a CSV stream (BOM stripped) and returns it with the reader positioned
/// at the first record.
/// A CSV reader over a decompressed byte stream.
pub type TextCsv = csv::Reader<Box<dyn Read + Send>>;

pub fn open_csv(text: Box<dyn Read + Send>, file: &str) -> Result<(TextCsv, Vec<String>)> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text);
    let headers = rdr.byte_headers().map_err(|e| csv_error(file, e))?.clone();
    let mut names = Vec::with_capacity(headers.len());
    for (i, h) in headers.iter().enumerate() {
        let h = std::str::from_utf8(h).map_err(|_| {
            Error::data(
                Position::at_line(file, 1),
                format!("header field {} is not UTF-8", i + 1),
            )
        })?;
        let h = if i == 0 { h.trim_start_matches('\u{feff}') } else { h };
        names.push(h.trim().to_string());
    }
    if names.is_empty() || (names.len() == 1 && names[0].is_empty()) {
        return Err(Error::data(Position::file(file), "the file is empty (no header row)"));
    }
    Ok((rdr, names))
}

pub fn csv_error(file: &str, e: csv::Error) -> Error {
    let line = e.position().map(|p| p.line());
    let pos = match line {
        Some(l) => Position::at_line(file, l),
        None => Position::file(file),
    };
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("row has {len} fields but the header has {expected_len}; the file is malformed or truncated")
        }
        csv::ErrorKind::Io(io)
            if io.kind() == std::io::ErrorKind::UnexpectedEof || io.to_string().contains("corrupt") =>
        {
            format!("the file ends unexpectedly ({io}); is the download or gzip file truncated?")
        }
        // An object-store transfer that broke off: the message says so; the file is fine.
        csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::ConnectionAborted => io.to_string(),
        csv::ErrorKind::Io(io) => {
            format!("cannot read ({io}); is the file truncated or not really compressed as its bytes claim?")
        }
        csv::ErrorKind::Utf8 { .. } => "a field is not valid UTF-8".to_string(),
        _ => e.to_string(),
    };
    Error::data(pos, message)
}

impl CsvBatchReader {
    /// `targets[i]` says where header field `i` goes.
    pub fn new(
        rdr: csv::Reader<Box<dyn Read + Send>>,
        headers: &[String],
        targets: &[Target],
        file: &str,
        schema: Arc<Schema>,
        wanted: Arc<Vec<bool>>,
    ) -> Self {
        let mut fields = Vec::new();
        let mut entries = Vec::new();
        let mut maps = Vec::new();
        let mut taken = vec![false; schema.names.len()];
        for (i, t) in targets.iter().enumerate() {
            match t {
                Target::Column(c) if wanted[*c] && !taken[*c] => {
                    taken[*c] = true;
                    fields.push((i, headers[i].clone(), *c));
                }
                Target::MapEntry { map, key } if wanted[*map] && schema.keeps_key(*map, key) => {
                    entries.push((i, *map, key.clone()));
                    if !maps.contains(map) {
                        maps.push(*map);
                    }
                }
                _ => {}
            }
        }
        CsvBatchReader {
            rdr,
            file: file.to_string(),
            schema,
            wanted,
            fields,
            entries,
            maps,
            record: csv::ByteRecord::new(),
            done: false,
            null_literal: false,
        }
    }

    /// Reads the text `NULL` as a missing value. Off by default: in a CUR a `NULL` could be a
    /// real value (a resource named so); FOCUS exports use it for null and FOCUS forbids
    /// placeholder strings, so the FOCUS reader turns it on.
    pub fn with_null_literal(mut self, on: bool) -> Self {
        self.null_literal = on;
        self
    }
}

impl BatchReader for CsvBatchReader {
    fn next_batch(&mut self, max_rows: usize) -> Result<Option<Batch>> {
        if self.done {
            return Ok(None);
        }
        let n = self.schema.names.len();
        let mut columns: Vec<Option<Column>> = (0..n)
            .map(|c| self.wanted[c].then(|| Column::new(self.schema.types[c], max_rows)))
            .collect();
        let mut rows = 0;
        while rows < max_rows {
            let more = self
                .rdr
                .read_byte_record(&mut self.record)
                .map_err(|e| csv_error(&self.file, e))?;
            if !more {
                self.done = true;
                break;
            }
            let line = self.record.position().map(|p| p.line()).unwrap_or(0);
            let file = &self.file;
            let pos = || Position::at_line(file.as_str(), line);
            for (i, header, c) in &self.fields {
                let raw = self.record.get(*i).unwrap_or_default();
                let v = std::str::from_utf8(raw)
                    .map_err(|_| Error::data(pos(), format!("column '{header}' is not valid UTF-8")))?;
                let v = if self.null_literal && v == "NULL" { "" } else { v };
                if let Some(col) = columns[*c].as_mut() {
                    push_text(col, v, pos, header)?;
                }
            }
            if !self.maps.is_empty() {
                for m in &self.maps {
                    // A map column that is also fed whole (CUR 2.0 JSON) was filled above.
                    let Some(Column::Map(mc)) = columns[*m].as_mut() else {
                        continue;
                    };
                    if self.fields.iter().any(|(_, _, c)| c == m) {
                        continue;
                    }
                    let row = MapRow::begin(mc);
                    for (i, map, key) in &self.entries {
                        if map != m {
                            continue;
                        }
                        let raw = self.record.get(*i).unwrap_or_default();
                        let v = std::str::from_utf8(raw)
                            .map_err(|_| Error::data(pos(), format!("column '{key}' is not valid UTF-8")))?;
                        let v = if self.null_literal && v == "NULL" { "" } else { v };
                        MapRow::entry(mc, key, v, pos)?;
                    }
                    row.end(mc);
                }
            }
            rows += 1;
        }
        // Wanted columns this file does not have stay NULL (a month without the column).
        for col in columns.iter_mut().flatten() {
            while col.len() < rows {
                col.push_null();
            }
        }
        if rows == 0 {
            return Ok(None);
        }
        Ok(Some(Batch { rows, columns }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Yields `ok` bytes, then fails with `kind`.
    struct Failing(&'static [u8], std::io::ErrorKind);
    impl Read for Failing {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.0.is_empty() {
                return Err(std::io::Error::new(self.1, "the transfer broke off (reset)"));
            }
            let n = buf.len().min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    fn first_error(kind: std::io::ErrorKind) -> String {
        let mut rdr = csv::Reader::from_reader(Failing(b"a,b\n1,2\n", kind));
        let err = rdr.records().find_map(|r| r.err()).expect("an error");
        csv_error("s3://b/x.csv", err).to_string()
    }

    #[test]
    fn broken_transfer_is_not_blamed_on_the_file() {
        let e = first_error(std::io::ErrorKind::ConnectionAborted);
        assert!(
            e.starts_with("s3://b/x.csv") && e.contains("the transfer broke off"),
            "{e}"
        );
        assert!(!e.contains("truncated"), "{e}");
        let e = first_error(std::io::ErrorKind::Other);
        assert!(e.contains("truncated"), "{e}");
    }
}
