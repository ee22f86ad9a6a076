//! The AWS → FOCUS mapping: `sql/aws/focus.sql` compiled against the canonical CUR schema with
//! the AWS lookup tables. Compiled once per process.

use crate::error::Result;
use crate::formats::aws::schema::cur_schema;
use crate::formats::provider::{compile_embedded, compiled_once};
use crate::mapping::{LookupTable, Mapping};
use std::sync::OnceLock;

pub const MAPPING_SQL: &str = include_str!("../../../sql/aws/focus.sql");
const REGIONS_CSV: &str = include_str!("../../../sql/aws/regions.csv");
const TABLES: &[(&str, &str)] = &[
    ("services", include_str!("../../../sql/aws/services.csv")),
    ("regions", REGIONS_CSV),
    ("line_item_types", include_str!("../../../sql/aws/line_item_types.csv")),
    ("units", include_str!("../../../sql/aws/units.csv")),
    (
        "resource_id_prefixes",
        include_str!("../../../sql/aws/resource_id_prefixes.csv"),
    ),
];

fn build() -> Result<Mapping> {
    // The same regions keyed by display name, for reports that only carry `product/location`.
    let region_names = LookupTable::from_csv("region_names", &swap_columns(REGIONS_CSV))?;
    compile_embedded("aws", MAPPING_SQL, &cur_schema()?.schema, TABLES, vec![region_names])
}

/// `a,b` lines to `b,a` (regions.csv has no quoted fields).
fn swap_columns(csv: &str) -> String {
    csv.lines()
        .filter_map(|l| l.split_once(',').map(|(a, b)| format!("{b},{a}\n")))
        .collect()
}

pub fn mapping() -> Result<&'static Mapping> {
    static M: OnceLock<std::result::Result<Mapping, String>> = OnceLock::new();
    compiled_once(&M, build)
}
