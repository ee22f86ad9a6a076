//! `focus_columns('1.2')`: the FOCUS column catalogue of one specification version.

use crate::columnar::{ColType, Column, ListCol, StrCol};
use crate::focus::catalog;
use crate::glue::params;
use crate::glue::static_table::{StaticFunction, StaticRows};
use duckdb::core::{LogicalTypeHandle, LogicalTypeId};
use duckdb::vtab::BindInfo;
use std::error::Error;

pub const DESCRIPTION: &str =
    "One row per column of the FOCUS Cost and Usage dataset in the given specification version (1.0 to 1.4).";
pub const EXAMPLE: &str = "SELECT column_id, feature_level, data_type FROM focus_columns('1.2');";

pub struct FocusColumns;

impl StaticFunction for FocusColumns {
    fn bind(bind: &BindInfo) -> Result<StaticRows, Box<dyn Error>> {
        // The C API registers one signature per name (no overloads, no optional positionals),
        // so the version is a required positional argument.
        let requested = params::positional_strs(bind, 0).into_iter().next().ok_or_else(|| {
            format!(
                "focus_columns: give a FOCUS version, one of {}",
                catalog::VERSIONS.join(", ")
            )
        })?;
        let cols = catalog::columns(&requested).map_err(|e| format!("focus_columns: {e}"))?;

        let mut text: Vec<StrCol> = (0..7).map(|_| StrCol::with_capacity(cols.len())).collect();
        let mut nullable = Vec::with_capacity(cols.len());
        let mut allowed = ListCol::default();
        for c in &cols {
            let fields = [
                c.column_id,
                c.display_name,
                c.category,
                c.feature_level,
                c.data_type.spec_name(),
                c.introduced_in,
                c.version,
            ];
            for (t, f) in text.iter_mut().zip(fields) {
                t.push(Some(f));
            }
            nullable.push(Some(c.nullable));
            allowed.push(if c.allowed_values.is_empty() {
                None
            } else {
                Some(&c.allowed_values)
            });
        }
        let mut text = text.into_iter().map(Column::Str);
        let mut next = || text.next().unwrap_or(Column::Str(StrCol::default()));
        let (id, display, category, level, dtype, introduced, version) =
            (next(), next(), next(), next(), next(), next(), next());
        Ok(StaticRows::declare(
            bind,
            &[
                ("column_id", ColType::Varchar),
                ("display_name", ColType::Varchar),
                ("category", ColType::Varchar),
                ("feature_level", ColType::Varchar),
                ("data_type", ColType::Varchar),
                ("nullable", ColType::Boolean),
                ("allowed_values", ColType::ListVarchar),
                ("introduced_in", ColType::Varchar),
                ("version", ColType::Varchar),
            ],
            vec![
                id,
                display,
                category,
                level,
                dtype,
                Column::Bool(nullable),
                Column::List(allowed),
                introduced,
                version,
            ],
        ))
    }

    fn parameters() -> Option<Vec<LogicalTypeHandle>> {
        Some(vec![LogicalTypeId::Varchar.into()])
    }
}
