//! Column names of a file without reading its rows: the CSV header or the Parquet schema.

use crate::error::Result;
use crate::formats::parquet_reader::inspect;
use crate::io::open::{sniff, Container};
use std::path::Path;

pub fn column_names(path: &Path) -> Result<Vec<String>> {
    match sniff(path)? {
        Container::Parquet => Ok(inspect(path)?.columns),
        // CSV headers, or the keys of the first line of newline-delimited JSON.
        _ => crate::formats::gcp::column_names(path),
    }
}
