//! The canonical FOCUS schema (the union of every column of FOCUS 1.0–1.4, typed per the
//! catalogue, plus what `read_focus` adds) and how a file's column names land in it.

use crate::columnar::ColType;
use crate::error::{Error, Result};
use crate::focus::catalog::{self, VERSIONS};
use crate::focus::convert::col_type;
use crate::formats::reader::{Schema, Target};
use crate::mapping::LookupTable;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

const ALIASES_CSV: &str = include_str!("../../../sql/focus/column_aliases.csv");
pub const PROVIDERS_CSV: &str = include_str!("../../../sql/focus/providers.csv");
const EXTENSION_COLUMNS_CSV: &str = include_str!("../../../sql/focus/extension_columns.csv");
const VERSION_MARKERS_CSV: &str = include_str!("../../../sql/focus/version_markers.csv");

/// The detected FOCUS version of each row's file.
pub const FOCUS_VERSION: &str = "x_FocusVersion";
/// The detected provider (`aws`, `azure`, `gcp`, `oci`) of each row.
pub const SOURCE_PROVIDER: &str = "x_SourceProvider";
/// Every column that is not FOCUS (x_*, oci_*, ...), by its original name, as text.
pub const EXTENSIONS: &str = "x_columns";
/// Columns our own output carries that describe the input rather than being data; they are
/// detected again on every read, so a file written by `to_focus` reads back the same.
const DERIVED: &[&str] = &[FOCUS_VERSION, SOURCE_PROVIDER, "x_SourceFocusVersion"];

pub struct FocusSchema {
    pub schema: Arc<Schema>,
    /// Lower-cased column name (FOCUS id or pre-1.0 alias) -> (canonical index, is an alias).
    by_name: HashMap<String, (usize, bool)>,
    pub focus_version: usize,
    pub source_provider: usize,
    pub extensions: usize,
    /// (column, version): columns whose presence proves a file is at least that version.
    markers: Vec<(String, String)>,
    /// Lower-cased provider names (ProviderName values) -> provider.
    pub provider_names: HashMap<String, String>,
    /// (column name or `prefix*`, provider) of tell-tale extension columns.
    tell_tales: Vec<(String, String)>,
}

/// How the columns of one file map onto the canonical schema.
pub struct Resolved {
    pub targets: Vec<Target>,
    /// `1.0` ... `1.4`, or `1.0-preview` for pre-1.0 column names.
    pub version: String,
    /// The provider the extension columns give away, if any.
    pub provider_hint: Option<String>,
}

fn build() -> Result<FocusSchema> {
    let mut names: Vec<String> = Vec::new();
    let mut types: Vec<ColType> = Vec::new();
    for v in VERSIONS {
        for c in catalog::columns(v)? {
            if !names.iter().any(|n| n == c.column_id) {
                names.push(c.column_id.to_string());
                types.push(col_type(c.data_type));
            }
        }
    }
    // Alphabetical, like the catalogue lists each version.
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by(|a, b| names[*a].cmp(&names[*b]));
    let names: Vec<String> = order.iter().map(|i| names[*i].clone()).collect();
    let types: Vec<ColType> = order.iter().map(|i| types[*i]).collect();
    let mut by_name: HashMap<String, (usize, bool)> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.to_ascii_lowercase(), (i, false)))
        .collect();
    let aliases = LookupTable::from_csv("column_aliases", ALIASES_CSV)?;
    for (old, row) in &aliases.rows {
        let target = row.first().map(String::as_str).unwrap_or_default();
        let (index, _) = *by_name
            .get(&target.to_ascii_lowercase())
            .ok_or_else(|| Error::Mapping {
                mapping: "sql/focus/column_aliases.csv".into(),
                message: format!("alias {old} names {target}, which is no FOCUS column"),
            })?;
        by_name.insert(old.to_ascii_lowercase(), (index, true));
    }
    let mut names = names;
    let mut types = types;
    let mut extra = |name: &str, ty: ColType| {
        names.push(name.to_string());
        types.push(ty);
        names.len() - 1
    };
    let focus_version = extra(FOCUS_VERSION, ColType::Varchar);
    let source_provider = extra(SOURCE_PROVIDER, ColType::Varchar);
    let extensions = extra(EXTENSIONS, ColType::MapVarchar);
    let provider_names = LookupTable::from_csv("providers", PROVIDERS_CSV)?
        .rows
        .into_iter()
        .filter_map(|(k, v)| v.into_iter().next().map(|p| (k, p)))
        .collect();
    let tell_tales = LookupTable::from_csv("extension_columns", EXTENSION_COLUMNS_CSV)?
        .rows
        .into_iter()
        .filter_map(|(k, v)| v.into_iter().next().map(|p| (k, p)))
        .collect();
    Ok(FocusSchema {
        schema: Arc::new(Schema::new(names, types)),
        by_name,
        focus_version,
        source_provider,
        extensions,
        markers: LookupTable::from_csv("version_markers", VERSION_MARKERS_CSV)?
            .rows
            .into_iter()
            .filter_map(|(k, v)| v.into_iter().next().map(|ver| (k, ver)))
            .collect(),
        provider_names,
        tell_tales,
    })
}

pub fn focus_schema() -> Result<&'static FocusSchema> {
    static S: OnceLock<std::result::Result<FocusSchema, String>> = OnceLock::new();
    S.get_or_init(|| build().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| Error::usage(e.clone()))
}

impl FocusSchema {
    /// Where each of a file's columns goes, and what the columns say about version and provider.
    pub fn resolve(&self, columns: &[String]) -> Resolved {
        let mut targets = Vec::with_capacity(columns.len());
        let mut present = vec![false; self.schema.names.len()];
        let mut preview = false;
        for c in columns {
            let t = if DERIVED.iter().any(|d| d.eq_ignore_ascii_case(c)) {
                Target::Ignore
            } else if c.eq_ignore_ascii_case(EXTENSIONS) {
                // Our own output read back: the map column itself.
                Target::Column(self.extensions)
            } else {
                match self.by_name.get(&c.to_ascii_lowercase()) {
                    // A column seen twice (a 1.0 name next to its preview alias) is read once.
                    Some((i, alias)) if !present[*i] => {
                        present[*i] = true;
                        preview |= *alias;
                        Target::Column(*i)
                    }
                    _ => Target::MapEntry {
                        map: self.extensions,
                        key: c.clone(),
                    },
                }
            };
            targets.push(t);
        }
        let has = |id: &str| self.schema.index_of(id).is_some_and(|i| present[i]);
        let mut version = if preview {
            "1.0-preview".to_string()
        } else {
            "1.0".to_string()
        };
        // The newest version one of whose marker columns is present. Markers, not every column a
        // version added: Microsoft's FocusCost 1.0 already carries 1.2's BillingAccountType.
        for (column, v) in &self.markers {
            if has(column) && *v > version {
                version = v.clone();
            }
        }
        // 1.4 added only Conditional columns, so a 1.4 file may lack them; what always tells it
        // from 1.3 is that ProviderName is gone while its successor is there.
        if has("ServiceProviderName") && !has("ProviderName") {
            version = "1.4".to_string();
        }
        let provider_hint = columns.iter().find_map(|c| {
            self.tell_tales.iter().find_map(|(pattern, provider)| {
                let hit = match pattern.strip_suffix('*') {
                    Some(prefix) => c.starts_with(prefix),
                    None => c == pattern,
                };
                hit.then(|| provider.clone())
            })
        });
        Resolved {
            targets,
            version,
            provider_hint,
        }
    }

    /// Whether the resolved columns are FOCUS cost and usage data: the cost every version has and
    /// the charge period every row has.
    pub fn is_focus(&self, targets: &[Target]) -> bool {
        ["BilledCost", "ChargePeriodStart"].iter().all(|id| {
            self.schema
                .index_of(id)
                .is_some_and(|i| targets.contains(&Target::Column(i)))
        })
    }

    /// The provider of a ProviderName / ServiceProviderName value, if it is one of the big clouds.
    pub fn provider_of_name(&self, name: &str) -> Option<&str> {
        self.provider_names.get(&name.trim().to_lowercase()).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn union_schema_has_every_column_once() {
        let s = focus_schema().unwrap();
        assert_eq!(s.schema.names.len(), 67 + 3);
        assert_eq!(
            s.schema.types[s.schema.index_of("BilledCost").unwrap()],
            ColType::Decimal
        );
        assert_eq!(
            s.schema.types[s.schema.index_of("ChargePeriodStart").unwrap()],
            ColType::TimestampTz
        );
        assert_eq!(s.schema.types[s.schema.index_of("Tags").unwrap()], ColType::Varchar);
    }

    #[test]
    fn versions_are_detected_from_columns() {
        let s = focus_schema().unwrap();
        let base = ["BilledCost", "ChargePeriodStart", "ProviderName"];
        let v = |extra: &[&str]| {
            let mut c = names(&base);
            c.extend(names(extra));
            s.resolve(&c).version
        };
        assert_eq!(v(&[]), "1.0");
        assert_eq!(v(&["SkuMeter"]), "1.1");
        assert_eq!(v(&["ServiceSubcategory", "InvoiceId"]), "1.2");
        assert_eq!(v(&["ServiceProviderName"]), "1.3");
        assert_eq!(
            s.resolve(&names(&["BilledCost", "ChargePeriodStart", "ServiceProviderName"]))
                .version,
            "1.4"
        );
        assert_eq!(
            s.resolve(&names(&["BilledCost", "ChargePeriodStart", "Provider"]))
                .version,
            "1.0-preview"
        );
    }

    #[test]
    fn extension_columns_go_to_the_map_and_hint_the_provider() {
        let s = focus_schema().unwrap();
        let r = s.resolve(&names(&["BilledCost", "ChargePeriodStart", "x_SkuMeterCategory", "Id"]));
        assert_eq!(r.provider_hint.as_deref(), Some("azure"));
        assert_eq!(
            r.targets[2],
            Target::MapEntry {
                map: s.extensions,
                key: "x_SkuMeterCategory".into()
            }
        );
        assert_eq!(
            r.targets[3],
            Target::MapEntry {
                map: s.extensions,
                key: "Id".into()
            }
        );
        assert!(s.is_focus(&r.targets));
        let r = s.resolve(&names(&["BilledCost", "oci_ReferenceNumber", "x_FocusVersion"]));
        assert_eq!(r.provider_hint.as_deref(), Some("oci"));
        assert_eq!(r.targets[2], Target::Ignore);
        assert!(!s.is_focus(&r.targets));
        assert_eq!(s.provider_of_name("Amazon Web Services, Inc."), Some("aws"));
    }
}
