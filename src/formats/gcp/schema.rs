//! The canonical schema of the Cloud Billing BigQuery export (`sql/gcp/billing_columns.csv`):
//! nested records flattened into scalar columns (`service.id` -> `service_id`), key/value arrays
//! as maps, and the credits array both summed and kept whole as JSON text.

use crate::columnar::ColType;
use crate::error::{Error, Result};
use crate::formats::reader::Schema;
use std::collections::HashSet;
use std::sync::{Arc, OnceLock};

const COLUMNS_CSV: &str = include_str!("../../../sql/gcp/billing_columns.csv");

/// Fields this build does not know, by their dotted path, as text (JSON for records/arrays).
pub const OTHER_COLUMNS: &str = "other_columns";

/// How a canonical column is filled from the field at its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The value itself, typed by the column.
    Scalar,
    /// `ARRAY<STRUCT<key, value>>` as a map.
    Labels,
    /// The sum of `amount` over an array of records.
    CreditsSum,
    /// The field as JSON text (arrays of records kept whole).
    Json,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub column: usize,
    /// `["service", "id"]`.
    pub path: Vec<String>,
    pub kind: Kind,
}

pub struct GcpSchema {
    pub schema: Arc<Schema>,
    pub fields: Vec<Field>,
    /// Every known dotted path, and the records that contain known fields (`service`).
    known: HashSet<String>,
    records: HashSet<String>,
    pub other: usize,
}

fn parse_type(t: &str) -> Option<ColType> {
    Some(match t {
        "VARCHAR" => ColType::Varchar,
        "DECIMAL" => ColType::Decimal,
        "TIMESTAMPTZ" => ColType::TimestampTz,
        "MAP_VARCHAR" => ColType::MapVarchar,
        _ => return None,
    })
}

fn build() -> Result<GcpSchema> {
    let bad = |m: String| Error::Mapping {
        mapping: "sql/gcp/billing_columns.csv".into(),
        message: m,
    };
    let mut rdr = csv::Reader::from_reader(COLUMNS_CSV.as_bytes());
    let (mut names, mut types, mut fields) = (Vec::new(), Vec::new(), Vec::new());
    let (mut known, mut records) = (HashSet::new(), HashSet::new());
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| bad(e.to_string()))?;
        let row = i + 2;
        let ty = parse_type(rec.get(1).unwrap_or_default()).ok_or_else(|| bad(format!("row {row}: unknown type")))?;
        let path = rec.get(2).unwrap_or_default().to_string();
        let kind = match rec.get(3).unwrap_or_default() {
            "scalar" => Kind::Scalar,
            "labels" => Kind::Labels,
            "credits_sum" => Kind::CreditsSum,
            "json" => Kind::Json,
            k => return Err(bad(format!("row {row}: unknown kind '{k}'"))),
        };
        let parts: Vec<String> = path.split('.').map(str::to_string).collect();
        if parts.len() > 1 {
            records.insert(parts[0].clone());
        }
        known.insert(path);
        fields.push(Field {
            column: names.len(),
            path: parts,
            kind,
        });
        names.push(rec.get(0).unwrap_or_default().to_string());
        types.push(ty);
    }
    names.push(OTHER_COLUMNS.to_string());
    types.push(ColType::MapVarchar);
    Ok(GcpSchema {
        other: names.len() - 1,
        schema: Arc::new(Schema::new(names, types)),
        fields,
        known,
        records,
    })
}

/// The schema, built once from the embedded catalogue (checked by unit tests).
pub fn gcp_schema() -> Result<&'static GcpSchema> {
    static S: OnceLock<std::result::Result<GcpSchema, String>> = OnceLock::new();
    S.get_or_init(|| build().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| Error::usage(e.clone()))
}

impl GcpSchema {
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.schema.index_of(name)
    }
    pub fn is_known(&self, dotted: &str) -> bool {
        self.known.contains(dotted)
    }
    /// A record some known fields live in (`project`): its other fields go to other_columns.
    pub fn is_record(&self, name: &str) -> bool {
        self.records.contains(name)
    }
    /// Whether the field at `dotted` is an array in BigQuery (flattened CSVs write it as a
    /// Python-repr list).
    pub fn is_repeated(&self, dotted: &str) -> bool {
        self.fields
            .iter()
            .any(|f| f.kind != Kind::Scalar && f.path.join(".") == dotted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_loads() {
        let s = gcp_schema().unwrap();
        assert_eq!(s.schema.types[s.index_of("cost").unwrap()], ColType::Decimal);
        assert_eq!(s.schema.types[s.index_of("labels").unwrap()], ColType::MapVarchar);
        assert!(s.is_known("service.id") && s.is_record("project") && !s.is_record("cost"));
        assert!(s.is_repeated("credits") && s.is_repeated("project.labels") && !s.is_repeated("cost"));
        assert_eq!(s.schema.names.last().map(String::as_str), Some(OTHER_COLUMNS));
    }
}
