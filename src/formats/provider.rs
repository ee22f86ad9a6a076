//! What a billing source must provide so that `read_<vendor>()` and `to_focus()` work for it:
//! its canonical schema, how to find and open its files, how to recognise them, and its FOCUS
//! mapping. Adding a vendor is implementing this trait and listing it in [`all`].

use crate::error::{Error, Result};
use crate::formats::reader::Schema;
use crate::formats::scan::ScanUnit;
use crate::formats::view::View;
use crate::mapping::Mapping;
use std::collections::HashMap;
use std::sync::Arc;

/// Options every reader understands, plus vendor-specific named parameters by name.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Read every restated version of a billing period, not only the current one.
    pub all_versions: bool,
    /// Only these billing periods (`YYYY-MM`); empty means all.
    pub billing_periods: Vec<String>,
    /// Vendor-specific named parameters (declared by [`Provider::parameters`]), as text.
    pub extra: HashMap<String, String>,
}

/// The type of a vendor-specific named parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    Varchar,
    Boolean,
}

pub trait Provider: Sync + Send {
    /// `aws`, `azure`, ...: the value of `to_focus(provider := ...)`.
    fn name(&self) -> &'static str;
    /// The reader function, `read_aws_cur`.
    fn reader_function(&self) -> &'static str;
    /// The canonical schema `read_<vendor>` returns and the mapping reads.
    fn schema(&self) -> Result<Arc<Schema>>;
    /// Files (and their layout) to scan for the user's paths.
    fn discover(&self, paths: &[String], opts: &ReadOptions) -> Result<Vec<ScanUnit>>;
    /// Whether a file with these column names (CSV header, Parquet schema, JSON keys) is this
    /// vendor's data; used by `provider := 'auto'`.
    fn recognises(&self, columns: &[String]) -> bool;
    /// The vendor → FOCUS rules.
    fn mapping(&self) -> Result<&'static Mapping>;
    /// The canonical column whose month `billing_period` filters on.
    fn billing_period_column(&self) -> Option<&'static str>;
    /// How `read_<vendor>` nests the canonical columns, for vendors whose own schema is nested
    /// (None: it returns the canonical columns as they are).
    fn view(&self) -> Result<Option<&'static View>> {
        Ok(None)
    }
    /// The canonical columns as SQL over a table of `read_<vendor>` rows named `source`: what
    /// `focus_sql` runs the rules on. Without a view that is the table itself.
    fn sql_source(&self, source: &str) -> Result<String> {
        Ok(source.to_string())
    }
    /// Vendor-specific named parameters of `read_<vendor>` and `to_focus`.
    fn parameters(&self) -> Vec<(&'static str, ParamType)> {
        vec![]
    }
}

/// Every provider this build knows, in the order `auto` detection tries them. Their tests
/// exclude each other (a raw format never has FOCUS's BilledCost), so the order is for display.
pub fn all() -> Vec<&'static dyn Provider> {
    vec![
        &crate::formats::aws::Aws,
        &crate::formats::azure::Azure,
        &crate::formats::gcp::Gcp,
        &crate::formats::oci::Oci,
        &crate::formats::focus::Focus,
    ]
}

pub fn by_name(name: &str) -> Result<&'static dyn Provider> {
    let n = name.trim().to_ascii_lowercase();
    all().into_iter().find(|p| p.name() == n).ok_or_else(|| {
        let names: Vec<&str> = all().iter().map(|p| p.name()).collect();
        Error::usage(format!(
            "unknown provider '{name}'; known providers: {}",
            names.join(", ")
        ))
    })
}

/// Finds the provider of the first file the paths name, from its column names.
pub fn detect(paths: &[String]) -> Result<&'static dyn Provider> {
    let first = crate::io::listing::first_data_file(paths)?;
    let columns = crate::formats::peek::column_names(&first)?;
    all().into_iter().find(|p| p.recognises(&columns)).ok_or_else(|| {
        let sample: Vec<&str> = columns.iter().take(6).map(String::as_str).collect();
        let names: Vec<&str> = all().iter().map(|p| p.name()).collect();
        Error::usage(format!(
            "cannot detect the provider of {}: its columns ({}{}) match none of {}; pass provider := '...' if it is one of them",
            first.display(),
            sample.join(", "),
            if columns.len() > 6 { ", ..." } else { "" },
            names.join(", ")
        ))
    })
}

/// Compiles a provider's embedded rules (`sql/<provider>/focus.sql`) against its canonical
/// schema, with its lookup tables given as `(name, csv text)`.
pub fn compile_embedded(
    name: &str,
    sql: &str,
    schema: &crate::formats::reader::Schema,
    tables: &[(&str, &str)],
    extra: Vec<crate::mapping::LookupTable>,
) -> Result<Mapping> {
    let inputs: Vec<crate::mapping::InputColumn> = schema
        .names
        .iter()
        .zip(&schema.types)
        .enumerate()
        .map(|(index, (name, ty))| crate::mapping::InputColumn {
            name: name.clone(),
            index,
            ty: *ty,
        })
        .collect();
    let mut lookups = tables
        .iter()
        .map(|(n, t)| crate::mapping::LookupTable::from_csv(n, t))
        .collect::<Result<Vec<_>>>()?;
    lookups.extend(extra);
    crate::mapping::compile(name, sql, &inputs, &lookups)
}

/// A compiled mapping kept for the process: compiled on first use, its error (a bug in the
/// embedded rules) returned to every caller.
pub fn compiled_once(
    cell: &'static std::sync::OnceLock<std::result::Result<Mapping, String>>,
    build: impl FnOnce() -> Result<Mapping>,
) -> Result<&'static Mapping> {
    cell.get_or_init(|| build().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| Error::usage(e.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::focus::{catalog, convert};

    #[test]
    fn every_mapping_fits_every_focus_version_and_covers_mandatory_columns() {
        for p in all() {
            let m = p.mapping().unwrap();
            for v in catalog::VERSIONS {
                let cols = convert::output_columns(m, v).unwrap();
                let focus_cols = cols.iter().filter(|c| !c.name.starts_with("x_")).count();
                assert_eq!(focus_cols, catalog::columns(v).unwrap().len(), "{} {v}", p.name());
            }
            let cols = convert::output_columns(m, "1.2").unwrap();
            for c in catalog::columns("1.2").unwrap() {
                if c.feature_level == "Mandatory" {
                    assert!(
                        cols.iter().any(|o| o.name == c.column_id && o.rule.is_some()),
                        "{}: {} has no rule",
                        p.name(),
                        c.column_id
                    );
                }
            }
        }
    }

    /// The service tables' categories are values FOCUS 1.2 allows (found by header name: each
    /// table keys on its vendor's own service identifier).
    #[test]
    fn service_tables_use_focus_1_2_categories() {
        let allowed = |id: &str| {
            catalog::columns("1.2")
                .unwrap()
                .iter()
                .find(|c| c.column_id == id)
                .map(|c| c.allowed_values.clone())
                .unwrap()
        };
        let (cats, subs) = (allowed("ServiceCategory"), allowed("ServiceSubcategory"));
        let tables = [
            ("aws", include_str!("../../sql/aws/services.csv")),
            ("azure", include_str!("../../sql/azure/services.csv")),
            ("gcp", include_str!("../../sql/gcp/services.csv")),
            ("oci", include_str!("../../sql/oci/services.csv")),
        ];
        for (vendor, text) in tables {
            let mut r = csv::Reader::from_reader(text.as_bytes());
            let h = r.headers().unwrap().clone();
            let at = |name: &str| h.iter().position(|c| c == name).unwrap();
            let (cat, sub) = (at("service_category"), at("service_subcategory"));
            for row in r.records() {
                let row = row.unwrap();
                assert!(cats.contains(&&row[cat]), "{vendor}: category {}", &row[cat]);
                assert!(subs.contains(&&row[sub]), "{vendor}: subcategory {}", &row[sub]);
            }
        }
    }
}
