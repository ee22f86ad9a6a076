//! The canonical OCI cost/usage report schema (`sql/oci/cost_columns.csv`) and where each CSV
//! header of a report lands in it.

use crate::columnar::ColType;
use crate::error::{Error, Result};
use crate::formats::reader::{Schema, Target};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

const COLUMNS_CSV: &str = include_str!("../../../sql/oci/cost_columns.csv");

/// Anything a report carries that this build does not know, by its original header, so no
/// value is dropped when Oracle adds a column.
pub const OTHER_COLUMNS: &str = "other_columns";

pub struct OciSchema {
    pub schema: Arc<Schema>,
    /// Lower-cased report header (`cost/mycost`) -> canonical column.
    by_header: HashMap<String, usize>,
    pub tags: usize,
    pub other: usize,
    pub currency: usize,
}

fn build() -> Result<OciSchema> {
    let bad = |m: String| Error::Mapping {
        mapping: "sql/oci/cost_columns.csv".into(),
        message: m,
    };
    let mut rdr = csv::Reader::from_reader(COLUMNS_CSV.as_bytes());
    let (mut names, mut types, mut by_header) = (Vec::new(), Vec::new(), HashMap::new());
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| bad(e.to_string()))?;
        let name = rec.get(0).unwrap_or_default().to_string();
        let ty = ColType::from_catalogue(rec.get(1).unwrap_or_default())
            .ok_or_else(|| bad(format!("row {}: unknown type", i + 2)))?;
        if let Some(h) = rec.get(2).filter(|h| !h.is_empty()) {
            by_header.insert(h.to_ascii_lowercase(), names.len());
        }
        names.push(name);
        types.push(ty);
    }
    names.push(OTHER_COLUMNS.to_string());
    types.push(ColType::MapVarchar);
    let idx = |n: &str| {
        names
            .iter()
            .position(|x| x == n)
            .ok_or_else(|| bad(format!("missing column {n}")))
    };
    Ok(OciSchema {
        tags: idx("tags")?,
        other: idx(OTHER_COLUMNS)?,
        currency: idx("cost_currency_code")?,
        schema: Arc::new(Schema::new(names, types)),
        by_header,
    })
}

/// The schema, built once from the embedded catalogue (checked by unit tests).
pub fn oci_schema() -> Result<&'static OciSchema> {
    static S: OnceLock<std::result::Result<OciSchema, String>> = OnceLock::new();
    S.get_or_init(|| build().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| Error::usage(e.clone()))
}

impl OciSchema {
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.schema.index_of(name)
    }

    /// Where a report header goes. Headers match case-insensitively (Oracle writes
    /// `product/Description` next to `product/service`); `tags/<Namespace>.<key>` becomes the
    /// tag `<Namespace>.<key>` exactly as written (free-form tags have no namespace).
    pub fn resolve(&self, header: &str) -> Target {
        if let Some(c) = self.by_header.get(&header.to_ascii_lowercase()) {
            return Target::Column(*c);
        }
        if let Some(key) = header.strip_prefix("tags/") {
            return Target::MapEntry {
                map: self.tags,
                key: key.to_string(),
            };
        }
        Target::MapEntry {
            map: self.other,
            key: header.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_loads_and_headers_resolve() {
        let s = oci_schema().unwrap();
        let col = |n: &str| Target::Column(s.index_of(n).unwrap());
        assert_eq!(s.resolve("cost/myCostOverage"), col("cost_my_cost_overage"));
        assert_eq!(s.resolve("product/Description"), col("product_description"));
        assert_eq!(s.resolve("lineItem/isCorrection"), col("line_item_is_correction"));
        assert_eq!(
            s.schema.types[s.index_of("line_item_is_correction").unwrap()],
            ColType::Boolean
        );
        assert_eq!(
            s.resolve("tags/DevRel\\redbull-analytics-hol-4cb4.release"),
            Target::MapEntry {
                map: s.tags,
                key: "DevRel\\redbull-analytics-hol-4cb4.release".into()
            }
        );
        assert_eq!(
            s.resolve("cost/newThing"),
            Target::MapEntry {
                map: s.other,
                key: "cost/newThing".into()
            }
        );
    }
}
