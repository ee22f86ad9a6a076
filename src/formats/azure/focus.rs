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
