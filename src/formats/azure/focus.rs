//! The Azure → FOCUS mapping: `sql/azure/focus.sql` compiled against the canonical cost-details schema with
//! the Azure lookup tables. Compiled once per process.

use crate::error::Result;
use crate::formats::azure::schema::azure_schema;
use crate::formats::provider::{compile_embedded, compiled_once};
use crate::mapping::Mapping;
use std::sync::OnceLock;

pub const MAPPING_SQL: &str = include_str!("../../../sql/azure/focus.sql");
const TABLES: &[(&str, &str)] = &[
    ("services", include_str!("../../../sql/azure/services.csv")),
    ("regions", include_str!("../../../sql/azure/regions.csv")),
    ("units", include_str!("../../../sql/azure/units.csv")),
];

fn build() -> Result<Mapping> {
    compile_embedded("azure", MAPPING_SQL, &azure_schema()?.schema, TABLES, vec![])
}

pub fn mapping() -> Result<&'static Mapping> {
    static M: OnceLock<std::result::Result<Mapping, String>> = OnceLock::new();
    compiled_once(&M, build)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::focus::{catalog, convert};

    #[test]
    fn mapping_compiles_and_fits_every_focus_version() {
        let m = mapping().unwrap();
        for v in catalog::VERSIONS {
            let cols = convert::output_columns(m, v).unwrap();
            assert!(cols.iter().filter(|c| !c.name.starts_with("x_")).count() == catalog::columns(v).unwrap().len());
        }
        // Every mandatory 1.2 column has a rule.
        let cols = convert::output_columns(m, "1.2").unwrap();
        for c in catalog::columns("1.2").unwrap() {
            if c.feature_level == "Mandatory" {
                assert!(
                    cols.iter().any(|o| o.name == c.column_id && o.rule.is_some()),
                    "{} has no rule",
                    c.column_id
                );
            }
        }
    }
}
