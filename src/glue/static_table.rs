//! Table functions whose whole (small) result is known at bind time: catalogue listings,
//! version information. Bind computes the columns; the scan hands them out 2048 rows at a time.

use crate::columnar::{ColType, Column};
use crate::glue::output::{logical_type, write_column};
use duckdb::core::{DataChunkHandle, LogicalTypeHandle};
use duckdb::vtab::{BindInfo, InitInfo, TableFunctionInfo, VTab};
use std::sync::atomic::{AtomicUsize, Ordering};

pub struct StaticRows {
    pub columns: Vec<Column>,
    pub rows: usize,
}

impl StaticRows {
    /// Declares the result columns on `bind` and keeps their values.
    pub fn declare(bind: &BindInfo, schema: &[(&str, ColType)], columns: Vec<Column>) -> Self {
        for (name, ty) in schema {
            bind.add_result_column(name, logical_type(*ty));
        }
        let rows = columns.first().map(Column::len).unwrap_or(0);
        bind.set_cardinality(rows as u64, true);
        StaticRows { columns, rows }
    }

    /// Emits the next slice into `out`; an empty chunk ends the scan.
    pub fn emit(&self, cursor: &AtomicUsize, out: &mut DataChunkHandle) {
        const CHUNK: usize = 2048;
        let start = cursor.fetch_add(CHUNK, Ordering::Relaxed).min(self.rows);
        let end = (start + CHUNK).min(self.rows);
        for (k, col) in self.columns.iter().enumerate() {
            write_column(out, k, col, start..end);
        }
        out.set_len(end - start);
    }
}

/// A table function whose result is computed whole at bind time; [`Static`] supplies the scan.
pub trait StaticFunction: Send + Sync + 'static {
    fn bind(bind: &BindInfo) -> Result<StaticRows, Box<dyn std::error::Error>>;
    fn parameters() -> Option<Vec<LogicalTypeHandle>> {
        None
    }
    fn named_parameters() -> Option<Vec<(String, LogicalTypeHandle)>> {
        None
    }
}

pub struct Static<F>(std::marker::PhantomData<F>);

impl<F: StaticFunction> VTab for Static<F> {
    type BindData = StaticRows;
    type InitData = AtomicUsize;

    fn bind(bind: &BindInfo) -> Result<StaticRows, Box<dyn std::error::Error>> {
        F::bind(bind)
    }

    fn init(_: &InitInfo) -> Result<AtomicUsize, Box<dyn std::error::Error>> {
        Ok(AtomicUsize::new(0))
    }

    fn func(info: &TableFunctionInfo<Self>, out: &mut DataChunkHandle) -> Result<(), Box<dyn std::error::Error>> {
        info.get_bind_data().emit(info.get_init_data(), out);
        Ok(())
    }

    fn parameters() -> Option<Vec<LogicalTypeHandle>> {
        F::parameters()
    }

    fn named_parameters() -> Option<Vec<(String, LogicalTypeHandle)>> {
        F::named_parameters()
    }
}
