//! The canonical Azure cost-details schema (current EA/MCA PascalCase names, from
//! `sql/azure/cost_columns.csv`) and how the headers of every export variant land in it.

use crate::columnar::ColType;
use crate::error::{Error, Result};
use crate::formats::reader::{Schema, Target};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

const COLUMNS_CSV: &str = include_str!("../../../sql/azure/cost_columns.csv");

/// Columns this build does not know, by their original header: nothing is dropped.
pub const OTHER_COLUMNS: &str = "other_columns";
/// Which dataset (actual / amortized) a file is: a per-file constant, not a CSV column.
pub const DATASET: &str = "x_dataset";
/// Which datasets the whole call read: a per-call constant the mapping merges by.
pub const CALL_DATASETS: &str = "x_call_datasets";

pub struct AzureSchema {
    pub schema: Arc<Schema>,
    /// Lower-cased canonical names and aliases → column.
    by_header: HashMap<String, usize>,
    pub other: usize,
    pub dataset: usize,
    pub call_datasets: usize,
}

fn build() -> Result<AzureSchema> {
    let bad = |m: String| Error::Mapping {
        mapping: "sql/azure/cost_columns.csv".into(),
        message: m,
    };
    let mut rdr = csv::Reader::from_reader(COLUMNS_CSV.as_bytes());
    let mut names = Vec::new();
    let mut types = Vec::new();
    let mut by_header = HashMap::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| bad(e.to_string()))?;
        let name = rec.get(0).unwrap_or_default().to_string();
        let ty = ColType::from_catalogue(rec.get(1).unwrap_or_default())
            .ok_or_else(|| bad(format!("row {}: unknown type", i + 2)))?;
        let aliases = rec.get(2).unwrap_or_default();
        for h in std::iter::once(name.as_str()).chain(aliases.split('|').filter(|a| !a.is_empty())) {
            if by_header.insert(h.to_ascii_lowercase(), names.len()).is_some() {
                return Err(bad(format!("row {}: header '{h}' is listed twice", i + 2)));
            }
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
    Ok(AzureSchema {
        other: idx(OTHER_COLUMNS)?,
        dataset: idx(DATASET)?,
        call_datasets: idx(CALL_DATASETS)?,
        schema: Arc::new(Schema::new(names, types)),
        by_header,
    })
}

/// The schema, built once from the embedded catalogue (checked by unit tests).
pub fn azure_schema() -> Result<&'static AzureSchema> {
    static S: OnceLock<std::result::Result<AzureSchema, String>> = OnceLock::new();
    S.get_or_init(|| build().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| Error::usage(e.clone()))
}

/// The English column name of a header: localised exports write `Name (EnglishName)`
/// (`Abonnement-GUID (SubscriptionGuid)`); others are the name itself.
pub fn english_name(header: &str) -> &str {
    let h = header.trim();
    if let Some(inner) = h.strip_suffix(')') {
        if let Some(open) = inner.rfind(" (") {
            let name = &inner[open + 2..];
            if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return name;
            }
        }
    }
    h
}

impl AzureSchema {
    /// The canonical column a header names, whatever its case or localisation.
    pub fn column_of(&self, header: &str) -> Option<usize> {
        let c = *self.by_header.get(&english_name(header).to_ascii_lowercase())?;
        // The two call-level columns are never read from a file.
        (c != self.dataset && c != self.call_datasets).then_some(c)
    }

    /// Where a CSV header goes: its canonical column, or `other_columns` under the header as
    /// written (a column this build does not know is kept, not dropped).
    pub fn resolve(&self, header: &str) -> Target {
        match self.column_of(header) {
            Some(c) => Target::Column(c),
            None => Target::MapEntry {
                map: self.other,
                key: header.to_string(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_loads_and_variants_meet() {
        let s = azure_schema().unwrap();
        let col = |n: &str| s.schema.index_of(n).unwrap();
        assert_eq!(s.schema.types[col("CostInBillingCurrency")], ColType::Decimal);
        assert_eq!(s.column_of("costInBillingCurrency"), Some(col("CostInBillingCurrency")));
        assert_eq!(s.column_of("Cost"), Some(col("CostInBillingCurrency")));
        assert_eq!(
            s.column_of("PreTaxCost (PreTaxCost)"),
            Some(col("CostInBillingCurrency"))
        );
        assert_eq!(
            s.column_of("Abonnement-GUID (SubscriptionGuid)"),
            Some(col("SubscriptionId"))
        );
        assert_eq!(s.column_of("MeterSubcategory"), Some(col("MeterSubCategory")));
        assert_eq!(s.column_of("benefitId"), Some(col("BenefitId")));
        assert_eq!(s.column_of("InstanceName"), Some(col("ResourceId")));
        assert_eq!(s.column_of("x_dataset"), None);
        assert_eq!(
            s.resolve("NewColumn"),
            Target::MapEntry {
                map: s.other,
                key: "NewColumn".into()
            }
        );
    }

    #[test]
    fn english_names() {
        assert_eq!(english_name("Maßeinheit (UnitOfMeasure)"), "UnitOfMeasure");
        assert_eq!(english_name("Cost"), "Cost");
        assert_eq!(english_name("Odd (two words)"), "Odd (two words)");
    }
}
