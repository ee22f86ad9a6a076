//! The canonical schema of the Cloud Billing BigQuery export (`sql/gcp/billing_columns.csv`):
//! nested records flattened into scalar columns (`service.id` -> `service_id`), key/value arrays
//! as maps, arrays of records as canonical JSON text, and the credits also summed. This flat
//! batch is what the readers fill and the mapping reads; [`GcpSchema::view`] puts the columns
//! back in BigQuery's nested shape for `read_gcp_billing`, following each column's path.

use crate::columnar::ColType;
use crate::error::{Error, Result};
use crate::formats::reader::Schema;
use crate::formats::view::{Node, View};
use std::collections::HashSet;
use std::sync::{Arc, OnceLock};

const COLUMNS_CSV: &str = include_str!("../../../sql/gcp/billing_columns.csv");

/// Fields this build does not know, by their dotted path, as text (JSON for records/arrays).
pub const OTHER_COLUMNS: &str = "other_columns";

/// How a canonical column is filled from the field at its path.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// The value itself, typed by the column.
    Scalar,
    /// `ARRAY<STRUCT<key, value>>` as a map.
    Labels,
    /// The sum of `amount` over an array of records (internal: the mapping reads it, the
    /// nested view leaves it out).
    CreditsSum,
    /// An array of records as canonical JSON text (`view::records_json`), with these fields.
    Records(&'static [(String, ColType)]),
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
    pub view: View,
}

/// `name VARCHAR;amount DECIMAL`: the fields of an array of records.
fn parse_fields(spec: &str) -> Option<Vec<(String, ColType)>> {
    spec.split(';')
        .map(|f| {
            let (name, ty) = f.trim().split_once(' ')?;
            let ty = ColType::from_catalogue(ty.trim())
                .filter(|t| matches!(t, ColType::Varchar | ColType::Decimal | ColType::Boolean))?;
            Some((name.to_string(), ty))
        })
        .collect()
}

/// Puts `node` at `path` in `fields`, creating the records on the way (first appearance order).
fn place(fields: &mut Vec<(String, Node)>, path: &[String], node: Node) -> std::result::Result<(), String> {
    let Some((first, rest)) = path.split_first() else {
        return Err("empty path".into());
    };
    let pos = fields.iter().position(|(n, _)| n == first);
    if rest.is_empty() {
        return match pos {
            Some(_) => Err(format!("two columns at path '{first}'")),
            None => {
                fields.push((first.clone(), node));
                Ok(())
            }
        };
    }
    let i = match pos {
        Some(i) => i,
        None => {
            fields.push((first.clone(), Node::Struct(Vec::new())));
            fields.len() - 1
        }
    };
    match &mut fields[i].1 {
        Node::Struct(children) => place(children, rest, node),
        _ => Err(format!("'{first}' is both a field and a record")),
    }
}

fn build() -> Result<GcpSchema> {
    let bad = |m: String| Error::Mapping {
        mapping: "sql/gcp/billing_columns.csv".into(),
        message: m,
    };
    let mut rdr = csv::Reader::from_reader(COLUMNS_CSV.as_bytes());
    let (mut names, mut types, mut fields) = (Vec::new(), Vec::new(), Vec::new());
    let (mut known, mut records) = (HashSet::new(), HashSet::new());
    let mut view: Vec<(String, Node)> = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| bad(e.to_string()))?;
        let row = i + 2;
        let ty = ColType::from_catalogue(rec.get(1).unwrap_or_default())
            .ok_or_else(|| bad(format!("row {row}: unknown type")))?;
        let path = rec.get(2).unwrap_or_default().to_string();
        let kind = match rec.get(3).unwrap_or_default() {
            "scalar" => Kind::Scalar,
            "labels" => Kind::Labels,
            "credits_sum" => Kind::CreditsSum,
            "records" => {
                let f = parse_fields(rec.get(4).unwrap_or_default()).ok_or_else(|| {
                    bad(format!(
                        "row {row}: fields must look like 'name VARCHAR;amount DECIMAL'"
                    ))
                })?;
                // Built once per process (the schema is a static): leaking gives the kind a
                // 'static slice without a lifetime on every Field.
                Kind::Records(Box::leak(f.into_boxed_slice()))
            }
            k => return Err(bad(format!("row {row}: unknown kind '{k}'"))),
        };
        let parts: Vec<String> = path.split('.').map(str::to_string).collect();
        let node = match kind {
            Kind::CreditsSum => None,
            Kind::Records(f) => Some(Node::Records {
                index: names.len(),
                fields: f.to_vec(),
            }),
            _ => Some(Node::Column { index: names.len(), ty }),
        };
        if let Some(node) = node {
            place(&mut view, &parts, node).map_err(|m| bad(format!("row {row}: {m}")))?;
        }
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
    view.push((
        OTHER_COLUMNS.to_string(),
        Node::Column {
            index: names.len(),
            ty: ColType::MapVarchar,
        },
    ));
    names.push(OTHER_COLUMNS.to_string());
    types.push(ColType::MapVarchar);
    Ok(GcpSchema {
        view: View { columns: view },
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

    /// The flat canonical columns as one SQL subquery over `source`, a table of
    /// `read_gcp_billing` rows (the nested view): what `focus_sql('gcp')` runs its rules on.
    pub fn flat_sql(&self, source: &str) -> String {
        let q = crate::mapping::quote_ident;
        let mut items = Vec::new();
        for f in &self.fields {
            // struct_extract, not "a"."b": a dotted name could also be read as table.column.
            let mut e = q(&f.path[0]);
            for p in &f.path[1..] {
                e = format!("struct_extract({e}, {})", crate::mapping::quote_str(p));
            }
            let e = match f.kind {
                Kind::Scalar | Kind::Labels => e,
                Kind::Records(_) => format!("CAST(to_json({e}) AS VARCHAR)"),
                // An empty list sums to 0 (list_sum gives NULL), a NULL list to NULL.
                Kind::CreditsSum => format!(
                    "CASE WHEN {e} IS NOT NULL THEN coalesce(list_sum(list_transform({e}, lambda c: c.amount)), CAST(0 AS DECIMAL(38,18))) END"
                ),
            };
            items.push(format!("{e} AS {}", q(&self.schema.names[f.column])));
        }
        items.push(q(OTHER_COLUMNS));
        format!("(SELECT\n      {}\n    FROM {source})", items.join(",\n      "))
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

    #[test]
    fn view_nests_by_path() {
        let s = gcp_schema().unwrap();
        let col = |name: &str| {
            s.view
                .columns
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, t)| t.sql_type())
        };
        assert_eq!(
            col("service").as_deref(),
            Some("STRUCT(id VARCHAR, description VARCHAR)")
        );
        assert_eq!(
            col("credits").as_deref(),
            Some("STRUCT(name VARCHAR, amount DECIMAL(38,18), full_name VARCHAR, id VARCHAR, type VARCHAR)[]")
        );
        assert!(col("project").is_some_and(|t| t.contains("labels MAP(VARCHAR, VARCHAR)")));
        assert!(col("service_id").is_none() && col("credits_total").is_none());
        // every flat column but credits_total is in the view once
        let mut inputs = Vec::new();
        s.view.columns.iter().for_each(|(_, n)| n.inputs(&mut inputs));
        assert_eq!(inputs.len(), s.schema.names.len() - 1);
        assert!(s
            .flat_sql("raw")
            .contains("struct_extract(\"service\", 'id') AS \"service_id\""));
    }
}
