//! A unit of scan work (a CSV file, some row groups of a Parquet file, or anything a vendor
//! module knows how to open) and how it becomes a [`BatchReader`].

use crate::error::Result;
use crate::formats::csv_reader::{open_csv, CsvBatchReader};
use crate::formats::parquet_reader::ParquetBatchReader;
use crate::formats::reader::{BatchReader, Schema, Target};
use crate::io::open::open_text;
use std::path::PathBuf;
use std::sync::Arc;

/// Opens a unit whose format only its vendor module knows (e.g. newline-delimited JSON).
pub type CustomOpener =
    Arc<dyn Fn(&ScanUnit, Arc<Schema>, Arc<Vec<bool>>, usize) -> Result<Box<dyn BatchReader>> + Send + Sync>;

#[derive(Clone)]
pub enum UnitKind {
    Csv,
    Parquet { row_groups: Vec<usize> },
    Custom(CustomOpener),
}

impl std::fmt::Debug for UnitKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UnitKind::Csv => write!(f, "Csv"),
            UnitKind::Parquet { row_groups } => write!(f, "Parquet {row_groups:?}"),
            UnitKind::Custom(_) => write!(f, "Custom"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct ScanUnit {
    pub path: PathBuf,
    /// The file as shown in errors and the filename column.
    pub file: String,
    pub kind: UnitKind,
    /// Where each source column (CSV field, Parquet root column) lands in the canonical schema.
    pub targets: Arc<Vec<Target>>,
    /// Version of a restated delivery (CUR assembly id, Data Exports execution id...).
    pub assembly: Option<String>,
    /// `YYYY-MM`, when the delivery layout tells it.
    pub billing_period: Option<String>,
    /// Rows in this unit when the format says so (Parquet footers), for cardinality hints.
    pub rows: Option<u64>,
    /// Canonical columns that hold one value for the whole unit (e.g. which dataset a file is).
    pub constants: Arc<Vec<(usize, String)>>,
}

impl ScanUnit {
    pub fn new(path: PathBuf, kind: UnitKind, targets: Arc<Vec<Target>>) -> Self {
        ScanUnit {
            file: path.display().to_string(),
            path,
            kind,
            targets,
            assembly: None,
            billing_period: None,
            rows: None,
            constants: Arc::new(Vec::new()),
        }
    }

    pub fn open(&self, schema: Arc<Schema>, wanted: Arc<Vec<bool>>, batch_rows: usize) -> Result<Box<dyn BatchReader>> {
        let reader: Box<dyn BatchReader> = match &self.kind {
            UnitKind::Parquet { row_groups } => Box::new(ParquetBatchReader::open(
                &self.path,
                row_groups.clone(),
                &self.targets,
                schema.clone(),
                wanted.clone(),
                batch_rows,
            )?),
            UnitKind::Csv => {
                let (rdr, headers) = open_csv(open_text(&self.path)?, &self.file)?;
                Box::new(CsvBatchReader::new(
                    rdr,
                    &headers,
                    &self.targets,
                    &self.file,
                    schema.clone(),
                    wanted.clone(),
                ))
            }
            UnitKind::Custom(open) => open(self, schema.clone(), wanted.clone(), batch_rows)?,
        };
        if self.constants.is_empty() {
            return Ok(reader);
        }
        Ok(Box::new(WithConstants {
            inner: reader,
            constants: self.constants.clone(),
            schema,
            wanted,
        }))
    }
}

/// Fills the unit's constant columns into every batch.
struct WithConstants {
    inner: Box<dyn BatchReader>,
    constants: Arc<Vec<(usize, String)>>,
    schema: Arc<Schema>,
    wanted: Arc<Vec<bool>>,
}

impl BatchReader for WithConstants {
    fn next_batch(&mut self, max_rows: usize) -> Result<Option<crate::columnar::Batch>> {
        let Some(mut batch) = self.inner.next_batch(max_rows)? else {
            return Ok(None);
        };
        for (c, value) in self.constants.iter() {
            if !self.wanted[*c] {
                continue;
            }
            let mut col = crate::columnar::Column::new(self.schema.types[*c], batch.rows);
            for _ in 0..batch.rows {
                crate::formats::reader::push_text(
                    &mut col,
                    value,
                    || crate::error::Position::file(""),
                    &self.schema.names[*c],
                )?;
            }
            batch.columns[*c] = Some(col);
        }
        Ok(Some(batch))
    }
}
