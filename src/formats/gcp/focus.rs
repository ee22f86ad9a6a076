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
