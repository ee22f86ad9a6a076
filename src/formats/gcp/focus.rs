//! The GCP → FOCUS mapping: `sql/gcp/focus.sql` compiled against the canonical GCP schema with
//! the GCP lookup tables. Compiled once per process.

use crate::error::Result;
use crate::formats::gcp::schema::gcp_schema;
use crate::formats::provider::{compile_embedded, compiled_once};
use crate::mapping::Mapping;
use std::sync::OnceLock;

pub const MAPPING_SQL: &str = include_str!("../../../sql/gcp/focus.sql");
const TABLES: &[(&str, &str)] = &[
    ("services", include_str!("../../../sql/gcp/services.csv")),
    ("units", include_str!("../../../sql/gcp/units.csv")),
];

fn build() -> Result<Mapping> {
    compile_embedded("gcp", MAPPING_SQL, &gcp_schema()?.schema, TABLES, vec![])
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
    fn mapping_compiles_and_covers_mandatory_columns() {
        let m = mapping().unwrap();
        for v in catalog::VERSIONS {
            convert::output_columns(m, v).unwrap();
        }
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

    #[test]
    fn service_categories_are_focus_1_2_values() {
        let t = crate::mapping::LookupTable::from_csv("services", TABLES[0].1).unwrap();
        let allowed = catalog::columns("1.2").unwrap();
        let col = |id: &str| {
            allowed
                .iter()
                .find(|c| c.column_id == id)
                .map(|c| c.allowed_values.clone())
                .unwrap()
        };
        let (cats, subs) = (col("ServiceCategory"), col("ServiceSubcategory"));
        for row in t.rows.values() {
            assert!(cats.contains(&row[0].as_str()), "{}", row[0]);
            assert!(subs.contains(&row[1].as_str()), "{}", row[1]);
        }
    }
}
