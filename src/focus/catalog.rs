//! The FOCUS column catalogue (Cost and Usage dataset, versions 1.0–1.4), embedded at compile
//! time from `sql/focus/columns.csv`, so the extension knows the specification without any file
//! at run time.

use crate::error::{Error, Result};
use std::sync::OnceLock;

const CATALOG_CSV: &str = include_str!("../../sql/focus/columns.csv");

/// The versions this build can emit, oldest first. The last one released is the default target
/// of nothing: `to_focus` defaults to [`DEFAULT_VERSION`], which the mappings are proven against.
pub const VERSIONS: &[&str] = &["1.0", "1.1", "1.2", "1.3", "1.4"];
pub const DEFAULT_VERSION: &str = "1.2";

/// FOCUS data types, as the specification names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataType {
    String,
    Decimal,
    DateTime,
    Json,
}

impl DataType {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "String" => DataType::String,
            "Decimal" => DataType::Decimal,
            "Date/Time" => DataType::DateTime,
            "JSON" => DataType::Json,
            _ => return None,
        })
    }
    pub fn spec_name(self) -> &'static str {
        match self {
            DataType::String => "String",
            DataType::Decimal => "Decimal",
            DataType::DateTime => "Date/Time",
            DataType::Json => "JSON",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Column {
    pub version: &'static str,
    pub column_id: &'static str,
    pub display_name: &'static str,
    pub category: &'static str,
    pub feature_level: &'static str,
    pub data_type: DataType,
    pub nullable: bool,
    /// Empty when the specification does not restrict values.
    pub allowed_values: Vec<&'static str>,
    pub introduced_in: &'static str,
}

fn parse_catalog() -> Result<Vec<Column>> {
    let bad = |line: usize, what: &str| Error::Mapping {
        mapping: "sql/focus/columns.csv".into(),
        message: format!("line {line}: {what}"),
    };
    let mut out = Vec::new();
    let mut lines = CATALOG_CSV.lines().enumerate();
    let header = lines.next().map(|(_, h)| h).unwrap_or_default();
    if header != "version,column_id,display_name,category,feature_level,data_type,nullable,allowed_values,introduced_in"
    {
        return Err(bad(1, "unexpected header"));
    }
    for (i, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        // The catalogue holds no quoted fields (values are separated by '|'), so a plain split is exact.
        let f: Vec<&'static str> = line.split(',').collect();
        if f.len() != 9 {
            return Err(bad(i + 1, "expected 9 fields"));
        }
        out.push(Column {
            version: f[0],
            column_id: f[1],
            display_name: f[2],
            category: f[3],
            feature_level: f[4],
            data_type: DataType::parse(f[5]).ok_or_else(|| bad(i + 1, "unknown data type"))?,
            nullable: f[6] == "True",
            allowed_values: if f[7].is_empty() {
                vec![]
            } else {
                f[7].split('|').collect()
            },
            introduced_in: f[8],
        });
    }
    Ok(out)
}

fn all() -> &'static [Column] {
    static CATALOG: OnceLock<Vec<Column>> = OnceLock::new();
    // The CSV is compiled in and checked by unit tests, so a parse failure here is a build defect;
    // fall back to an empty catalogue rather than panicking inside the host process.
    CATALOG.get_or_init(|| parse_catalog().unwrap_or_default())
}

/// Accepts `1.2`, `v1.2` and `1.2.0`; returns the canonical version string.
pub fn resolve_version(requested: &str) -> Result<&'static str> {
    let v = requested.trim().trim_start_matches(['v', 'V']);
    let v = v.strip_suffix(".0").filter(|s| s.contains('.')).unwrap_or(v);
    VERSIONS.iter().copied().find(|known| *known == v).ok_or_else(|| {
        Error::usage(format!(
            "unknown FOCUS version '{requested}'; valid versions are {}",
            VERSIONS.join(", ")
        ))
    })
}

/// The columns of one version, in catalogue order (alphabetical by column id, as the spec lists them).
pub fn columns(version: &str) -> Result<Vec<&'static Column>> {
    let v = resolve_version(version)?;
    Ok(all().iter().filter(|c| c.version == v).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_parses_with_the_documented_column_counts() {
        assert!(parse_catalog().is_ok());
        let counts: Vec<usize> = VERSIONS.iter().map(|v| columns(v).unwrap().len()).collect();
        assert_eq!(counts, vec![43, 50, 57, 65, 65]);
    }

    #[test]
    fn version_spellings_resolve() {
        assert_eq!(resolve_version("1.2").unwrap(), "1.2");
        assert_eq!(resolve_version("v1.3").unwrap(), "1.3");
        assert_eq!(resolve_version("1.4.0").unwrap(), "1.4");
        let err = resolve_version("0.5").unwrap_err().to_string();
        assert!(err.contains("1.0, 1.1, 1.2, 1.3, 1.4"), "{err}");
    }

    #[test]
    fn allowed_values_are_split() {
        let cols = columns("1.2").unwrap();
        let cat = cols.iter().find(|c| c.column_id == "ChargeCategory").unwrap();
        assert_eq!(
            cat.allowed_values,
            vec!["Usage", "Purchase", "Tax", "Credit", "Adjustment"]
        );
        assert_eq!(cat.data_type, DataType::String);
        assert!(!cat.nullable);
    }
}
