//! Streaming Parquet into canonical batches: only the columns asked for are decoded (projection
//! mask), one row group range at a time, 2048 rows per batch.

use crate::columnar::{Batch, ColType, Column, MapCol};
use crate::error::{Error, Position, Result};
use crate::formats::reader::{BatchReader, MapRow, Schema, Target};
use crate::formats::values::{decimal_from_f64, decimal_rescale, parse_decimal, parse_timestamp, MICROS_PER_DAY};
use crate::io::open::ParquetSource;
use arrow::array::{Array, ArrayRef, AsArray, MapArray};
use arrow::datatypes::{DataType, TimeUnit};
use parquet::arrow::arrow_reader::{ArrowReaderMetadata, ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use parquet::arrow::ProjectionMask;
use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

/// The columns of a Parquet file and how many row groups it has, read from its footer.
pub struct ParquetInfo {
    pub columns: Vec<String>,
    pub row_groups: usize,
    pub rows: u64,
}

fn perr(file: &str, what: &str, e: parquet::errors::ParquetError) -> Error {
    Error::Parquet {
        pos: Position::file(file),
        message: what.to_string(),
        source: Some(e),
    }
}

pub fn inspect(path: &Path) -> Result<ParquetInfo> {
    let file = path.display().to_string();
    let f = ParquetSource::open(path)?;
    let b =
        ParquetRecordBatchReaderBuilder::try_new(f).map_err(|e| perr(&file, "cannot read the Parquet footer", e))?;
    let md = b.metadata();
    Ok(ParquetInfo {
        columns: b.schema().fields().iter().map(|f| f.name().clone()).collect(),
        row_groups: md.num_row_groups(),
        rows: md.file_metadata().num_rows().max(0) as u64,
    })
}

pub struct ParquetBatchReader {
    inner: ParquetRecordBatchReader,
    file: String,
    schema: Arc<Schema>,
    wanted: Arc<Vec<bool>>,
    /// (position in the projected batch, target) for each decoded column.
    plan: Vec<(usize, String, Target)>,
    pending: Option<(arrow::record_batch::RecordBatch, usize)>,
}

impl ParquetBatchReader {
    /// Opens `row_groups` of `path`; `targets[i]` says where file column `i` goes.
    pub fn open(
        path: &Path,
        row_groups: Vec<usize>,
        targets: &[Target],
        schema: Arc<Schema>,
        wanted: Arc<Vec<bool>>,
        batch_rows: usize,
    ) -> Result<Self> {
        let file = path.display().to_string();
        let f = ParquetSource::open(path)?;
        let md = ArrowReaderMetadata::load(&f, Default::default())
            .map_err(|e| perr(&file, "cannot read the Parquet footer", e))?;
        let names: Vec<String> = md.schema().fields().iter().map(|f| f.name().clone()).collect();
        let mut roots = Vec::new();
        for (i, t) in targets.iter().enumerate() {
            let needed = match t {
                Target::Column(c) => wanted[*c],
                Target::MapEntry { map, key } => wanted[*map] && schema.keeps_key(*map, key),
                Target::Ignore => false,
            };
            if needed {
                roots.push(i);
            }
        }
        // On object storage: the projected column chunks of these row groups, fetched
        // concurrently up front (one ranged GET each) instead of page by page.
        let leaves: Vec<usize> = (0..md.parquet_schema().num_columns())
            .filter(|l| roots.contains(&md.parquet_schema().get_column_root_idx(*l)))
            .collect();
        let ranges: Vec<std::ops::Range<u64>> = row_groups
            .iter()
            .filter_map(|rg| md.metadata().row_groups().get(*rg))
            .flat_map(|rg| {
                leaves
                    .iter()
                    .filter_map(|l| rg.columns().get(*l))
                    .map(|c| c.byte_range())
            })
            .map(|(start, len)| start..start + len)
            .collect();
        f.prefetch(ranges)?;
        let b = ParquetRecordBatchReaderBuilder::new_with_metadata(f, md);
        let mask = ProjectionMask::roots(b.parquet_schema(), roots.clone());
        let inner = b
            .with_projection(mask)
            .with_row_groups(row_groups)
            .with_batch_size(batch_rows)
            .build()
            .map_err(|e| perr(&file, "cannot read", e))?;
        let plan = roots
            .iter()
            .enumerate()
            .map(|(k, i)| (k, names[*i].clone(), targets[*i].clone()))
            .collect();
        Ok(ParquetBatchReader {
            inner,
            file,
            schema,
            wanted,
            plan,
            pending: None,
        })
    }

    fn convert(&self, rb: &arrow::record_batch::RecordBatch, start: usize, len: usize) -> Result<Batch> {
        let n = self.schema.names.len();
        let mut columns: Vec<Option<Column>> = vec![None; n];
        // Map columns assembled from several flat columns (Athena `product_*`, `resource_tags_*`).
        let mut entry_sources: Vec<(usize, String, ArrayRef)> = Vec::new();
        for (k, name, t) in &self.plan {
            let arr = rb.column(*k).slice(start, len);
            match t {
                Target::Column(c) => {
                    let arr = match self.schema.map_keys.get(*c) {
                        Some(Some(keys)) => only_keys(&arr, keys),
                        _ => arr,
                    };
                    columns[*c] = Some(convert_array(&arr, self.schema.types[*c], &self.file, name)?);
                }
                Target::MapEntry { map, key } => entry_sources.push((*map, key.clone(), arr)),
                Target::Ignore => {}
            }
        }
        let maps: Vec<usize> = {
            let mut m: Vec<usize> = entry_sources.iter().map(|e| e.0).collect();
            m.dedup();
            m.sort();
            m.dedup();
            m
        };
        for m in maps {
            if columns[m].is_some() {
                continue; // the file has the real map column; flat leftovers are ignored
            }
            let mut mc = MapCol::new(
                if self.schema.types[m] == ColType::MapDecimal {
                    ColType::Decimal
                } else {
                    ColType::Varchar
                },
                len,
            );
            let sources: Vec<(String, Column)> = entry_sources
                .iter()
                .filter(|e| e.0 == m)
                .map(|(_, key, arr)| Ok((key.clone(), convert_array(arr, ColType::Varchar, &self.file, key)?)))
                .collect::<Result<_>>()?;
            for row in 0..len {
                let r = MapRow::begin(&mc);
                for (key, col) in &sources {
                    if let Column::Str(s) = col {
                        if let Some(v) = s.get(row) {
                            MapRow::entry(&mut mc, key, v, || Position::file(self.file.as_str()))?;
                        }
                    }
                }
                r.end(&mut mc);
            }
            columns[m] = Some(Column::Map(mc));
        }
        for (c, col) in columns.iter_mut().enumerate() {
            if self.wanted[c] && col.is_none() {
                *col = Some(Column::nulls(self.schema.types[c], len));
            }
        }
        Ok(Batch { rows: len, columns })
    }
}

impl BatchReader for ParquetBatchReader {
    fn next_batch(&mut self, max_rows: usize) -> Result<Option<Batch>> {
        loop {
            if let Some((rb, off)) = self.pending.take() {
                if off < rb.num_rows() {
                    let len = (rb.num_rows() - off).min(max_rows);
                    let batch = self.convert(&rb, off, len)?;
                    self.pending = Some((rb, off + len));
                    return Ok(Some(batch));
                }
            }
            match self.inner.next() {
                None => return Ok(None),
                Some(Err(e)) => {
                    return Err(Error::Parquet {
                        pos: Position::file(self.file.as_str()),
                        message: format!("cannot decode ({e})"),
                        source: None,
                    })
                }
                Some(Ok(rb)) => self.pending = Some((rb, 0)),
            }
        }
    }
}

/// A map array without the entries whose key is not in `keys` (other arrays unchanged): the
/// entries are dropped before any value is converted.
fn only_keys(arr: &ArrayRef, keys: &HashSet<String>) -> ArrayRef {
    let Some(m) = arr.as_map_opt() else {
        return arr.clone();
    };
    let Some(k) = m.keys().as_string_opt::<i32>() else {
        return arr.clone();
    };
    let offsets = m.value_offsets();
    let first = offsets[0] as usize;
    let last = offsets[m.len()] as usize;
    let keep: Vec<bool> = (first..last)
        .map(|e| k.is_valid(e) && keys.contains(k.value(e)))
        .collect();
    let mut new_offsets = Vec::with_capacity(m.len() + 1);
    let mut n = 0i32;
    new_offsets.push(0i32);
    for row in 0..m.len() {
        for e in offsets[row] as usize..offsets[row + 1] as usize {
            n += keep[e - first] as i32;
        }
        new_offsets.push(n);
    }
    let DataType::Map(field, sorted) = m.data_type().clone() else {
        return arr.clone();
    };
    let mask = arrow::array::BooleanArray::from(keep);
    let entries: ArrayRef = Arc::new(m.entries().slice(first, last - first));
    let Ok(kept) = arrow::compute::filter(&entries, &mask) else {
        return arr.clone();
    };
    let offsets = arrow::buffer::OffsetBuffer::new(new_offsets.into());
    match MapArray::try_new(field, offsets, kept.as_struct().clone(), m.nulls().cloned(), sorted) {
        Ok(narrowed) => Arc::new(narrowed),
        // Narrowing is only a saving: the full map gives the same lookups.
        Err(_) => arr.clone(),
    }
}

/// Converts an Arrow array to a column of type `ty`, the way the canonical schema wants it:
/// empty strings are NULL (Athena writes '' for missing), floats keep their shortest text,
/// timestamps become UTC microseconds.
pub fn convert_array(arr: &ArrayRef, ty: ColType, file: &str, name: &str) -> Result<Column> {
    let len = arr.len();
    let mut out = Column::new(ty, len);
    let bad = |v: &str, what: &str| Error::data(Position::file(file), format!("column '{name}': '{v}' is not {what}"));
    let unsupported = || {
        Error::data(
            Position::file(file),
            format!(
                "column '{name}' has Parquet type {} which cannot be read as {}",
                arr.data_type(),
                ty.sql_name()
            ),
        )
    };
    match (ty, arr.data_type()) {
        (ColType::MapVarchar | ColType::MapDecimal, DataType::Map(_, _)) => {
            let m: &MapArray = arr.as_map();
            let value_ty = if ty == ColType::MapDecimal {
                ColType::Decimal
            } else {
                ColType::Varchar
            };
            let keys = convert_array(m.keys(), ColType::Varchar, file, name)?;
            let values = convert_array(m.values(), value_ty, file, name)?;
            let Column::Map(mc) = &mut out else {
                return Err(unsupported());
            };
            let offsets = m.value_offsets();
            for row in 0..len {
                if m.is_null(row) {
                    mc.bounds.push(None);
                    continue;
                }
                let start = mc.keys.len();
                for e in offsets[row] as usize..offsets[row + 1] as usize {
                    if let Column::Str(k) = &keys {
                        mc.keys.push(k.get(e));
                    }
                    crate::formats::reader::copy_value(&values, e, &mut mc.values);
                }
                mc.bounds.push(Some((start, mc.keys.len())));
            }
        }
        (ColType::MapVarchar | ColType::MapDecimal, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View) => {
            let strings = convert_array(arr, ColType::Varchar, file, name)?;
            if let Column::Str(s) = strings {
                for v in s.iter() {
                    match v {
                        Some(t) => crate::formats::reader::push_text(&mut out, t, || Position::file(file), name)?,
                        None => out.push_null(),
                    }
                }
            }
        }
        (_, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View) => {
            let push = |out: &mut Column, v: Option<&str>| -> Result<()> {
                match v {
                    None | Some("") => out.push_null(),
                    Some(s) => match out {
                        Column::Str(c) => c.push(Some(s)),
                        Column::Dec(d) => d.push(Some(parse_decimal(s).ok_or_else(|| bad(s, "a number"))?)),
                        Column::Ts(t) => t.push(Some(parse_timestamp(s).ok_or_else(|| bad(s, "a timestamp"))?)),
                        // Exports written as all-text Parquet ('True'/'False' flags): the same
                        // spellings a CSV of the export accepts.
                        Column::Bool(_) => crate::formats::reader::push_text(out, s, || Position::file(file), name)?,
                        _ => return Err(unsupported()),
                    },
                }
                Ok(())
            };
            match arr.data_type() {
                DataType::Utf8 => {
                    for v in arr.as_string::<i32>().iter() {
                        push(&mut out, v)?;
                    }
                }
                DataType::LargeUtf8 => {
                    for v in arr.as_string::<i64>().iter() {
                        push(&mut out, v)?;
                    }
                }
                _ => {
                    for v in arr.as_string_view().iter() {
                        push(&mut out, v)?;
                    }
                }
            }
        }
        (
            ColType::Decimal,
            DataType::Float64
            | DataType::Float32
            | DataType::Int64
            | DataType::Int32
            | DataType::Int16
            | DataType::Int8,
        ) => {
            let f = arrow::compute::cast(arr, &DataType::Float64).map_err(|_| unsupported())?;
            let Column::Dec(d) = &mut out else {
                return Err(unsupported());
            };
            if matches!(
                arr.data_type(),
                DataType::Int64 | DataType::Int32 | DataType::Int16 | DataType::Int8
            ) {
                let i = arrow::compute::cast(arr, &DataType::Int64).map_err(|_| unsupported())?;
                for v in i.as_primitive::<arrow::datatypes::Int64Type>().iter() {
                    d.push(v.and_then(|x| decimal_rescale(x as i128, 0)));
                }
            } else if matches!(arr.data_type(), DataType::Float32) {
                // A REAL's own shortest text (0.1), not that of its widened double (0.10000000149).
                for v in arr.as_primitive::<arrow::datatypes::Float32Type>().iter() {
                    d.push(match v {
                        None => None,
                        Some(x) => Some(
                            crate::formats::values::decimal_from_f32(x)
                                .ok_or_else(|| bad(&x.to_string(), "a finite number"))?,
                        ),
                    });
                }
            } else {
                for v in f.as_primitive::<arrow::datatypes::Float64Type>().iter() {
                    d.push(match v {
                        None => None,
                        Some(x) => Some(decimal_from_f64(x).ok_or_else(|| bad(&x.to_string(), "a finite number"))?),
                    });
                }
            }
        }
        (ColType::Decimal, DataType::Decimal128(_, s)) => {
            let Column::Dec(d) = &mut out else {
                return Err(unsupported());
            };
            for v in arr.as_primitive::<arrow::datatypes::Decimal128Type>().iter() {
                d.push(match v {
                    None => None,
                    Some(x) => Some(
                        decimal_rescale(x, *s as i32).ok_or_else(|| bad(&x.to_string(), "within DECIMAL(38,18)"))?,
                    ),
                });
            }
        }
        (ColType::TimestampTz, DataType::Timestamp(unit, _)) => {
            let Column::Ts(t) = &mut out else {
                return Err(unsupported());
            };
            let i = arrow::compute::cast(arr, &DataType::Int64).map_err(|_| unsupported())?;
            let scale = |x: i64| match unit {
                TimeUnit::Second => x * 1_000_000,
                TimeUnit::Millisecond => x * 1_000,
                TimeUnit::Microsecond => x,
                TimeUnit::Nanosecond => x.div_euclid(1_000),
            };
            for v in i.as_primitive::<arrow::datatypes::Int64Type>().iter() {
                t.push(v.map(scale));
            }
        }
        (ColType::TimestampTz, DataType::Date32) => {
            let Column::Ts(t) = &mut out else {
                return Err(unsupported());
            };
            for v in arr.as_primitive::<arrow::datatypes::Date32Type>().iter() {
                t.push(v.map(|d| d as i64 * MICROS_PER_DAY));
            }
        }
        (ColType::Varchar, DataType::Null) | (_, DataType::Null) => {
            for _ in 0..len {
                out.push_null();
            }
        }
        (ColType::Varchar, _) => {
            // Numbers or booleans where text is expected (an account id written as INT64):
            // keep the text Arrow prints, which for integers is exact.
            let s = arrow::compute::cast(arr, &DataType::Utf8).map_err(|_| unsupported())?;
            let Column::Str(c) = &mut out else {
                return Err(unsupported());
            };
            for v in s.as_string::<i32>().iter() {
                c.push(v.filter(|v| !v.is_empty()));
            }
        }
        _ => return Err(unsupported()),
    }
    Ok(out)
}
