//! The OCI → FOCUS mapping: `sql/oci/focus.sql` compiled against the canonical OCI schema with
//! the OCI lookup tables. Compiled once per process.

use crate::error::Result;
use crate::formats::oci::schema::oci_schema;
use crate::formats::provider::{compile_embedded, compiled_once};
use crate::mapping::Mapping;
use std::sync::OnceLock;

pub const MAPPING_SQL: &str = include_str!("../../../sql/oci/focus.sql");
const TABLES: &[(&str, &str)] = &[
    ("services", include_str!("../../../sql/oci/services.csv")),
    ("units", include_str!("../../../sql/oci/units.csv")),
    ("regions", include_str!("../../../sql/oci/regions.csv")),
];

fn build() -> Result<Mapping> {
    compile_embedded("oci", MAPPING_SQL, &oci_schema()?.schema, TABLES, vec![])
}

pub fn mapping() -> Result<&'static Mapping> {
    static M: OnceLock<std::result::Result<Mapping, String>> = OnceLock::new();
    compiled_once(&M, build)
}
