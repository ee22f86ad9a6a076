//! `focus_version()`: which build this is and which FOCUS versions it can emit.

use crate::columnar::{ColType, Column, ListCol, StrCol};
use crate::focus::catalog;
use crate::glue::static_table::StaticRows;
use duckdb::core::DataChunkHandle;
use duckdb::vtab::{BindInfo, InitInfo, TableFunctionInfo, VTab};
use std::error::Error;
use std::sync::atomic::AtomicUsize;

pub const DESCRIPTION: &str =
    "The extension's version, the DuckDB C API it targets, and the FOCUS versions it can emit.";
pub const EXAMPLE: &str = "SELECT * FROM focus_version();";

/// The C API version in the extension footer and entrypoint: the oldest that has every
/// function duckdb-rs calls (see README, "Compatibility").
pub const C_API_VERSION: &str = "v1.5.6";

pub struct FocusVersion;

impl VTab for FocusVersion {
    type BindData = StaticRows;
    type InitData = AtomicUsize;

    fn bind(bind: &BindInfo) -> Result<StaticRows, Box<dyn Error>> {
        let one = |v: &str| {
            let mut c = StrCol::with_capacity(1);
            c.push(Some(v));
            Column::Str(c)
        };
        let mut versions = ListCol::default();
        versions.push(Some(catalog::VERSIONS));
        Ok(StaticRows::declare(
            bind,
            &[
                ("extension_version", ColType::Varchar),
                ("duckdb_c_api", ColType::Varchar),
                ("focus_versions", ColType::ListVarchar),
                ("default_focus_version", ColType::Varchar),
            ],
            vec![
                one(env!("CARGO_PKG_VERSION")),
                one(C_API_VERSION),
                Column::List(versions),
                one(catalog::DEFAULT_VERSION),
            ],
        ))
    }

    fn init(_: &InitInfo) -> Result<AtomicUsize, Box<dyn Error>> {
        Ok(AtomicUsize::new(0))
    }

    fn func(info: &TableFunctionInfo<Self>, out: &mut DataChunkHandle) -> Result<(), Box<dyn Error>> {
        info.get_bind_data().emit(info.get_init_data(), out);
        Ok(())
    }
}
