//! `focus_version()`: which build this is and which FOCUS versions it can emit.

use crate::columnar::{ColType, Column, ListCol, StrCol};
use crate::focus::catalog;
use crate::glue::static_table::{StaticFunction, StaticRows};
use duckdb::vtab::BindInfo;
use std::error::Error;

pub const DESCRIPTION: &str =
    "The extension's version, the DuckDB C API it targets, and the FOCUS versions it can emit.";
pub const EXAMPLE: &str = "SELECT * FROM focus_version();";

/// The C API version in the extension footer and entrypoint: the oldest that has every
/// function duckdb-rs calls (see README, "Compatibility").
pub const C_API_VERSION: &str = "v1.5.6";

pub struct FocusVersion;

impl StaticFunction for FocusVersion {
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
}
