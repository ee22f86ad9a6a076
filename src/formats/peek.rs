//! Column names of a file without reading its rows: the CSV header or the Parquet schema.

use crate::error::Result;
use crate::formats::csv_reader::open_csv;
use crate::formats::parquet_reader::inspect;
use crate::io::open::{open_text, sniff, Container};
use std::path::Path;

pub fn column_names(path: &Path) -> Result<Vec<String>> {
    match sniff(path)? {
        Container::Parquet => Ok(inspect(path)?.columns),
        _ => Ok(open_csv(open_text(path)?, &path.display().to_string())?.1),
    }
}
