//! Azure Cost Management cost details: EA and MCA exports (actual and amortized), the EA portal
//! download, legacy pay-as-you-go usage details, CSP camelCase and localised headers, and the
//! export folder layout with its `manifest.json` per run.

pub mod focus;
pub mod layout;
pub mod schema;

use crate::error::{Error, Position, Result};
use crate::formats::csv_reader::open_csv;
use crate::formats::parquet_reader::inspect;
use crate::formats::provider::{ParamType, Provider, ReadOptions};
use crate::formats::reader::{Schema, Target};
use crate::formats::scan::{ScanUnit, UnitKind};
use crate::io::listing::{expand, Expanded};
use crate::io::open::{open_text, sniff, Container};
use crate::mapping::Mapping;
use schema::{azure_schema, english_name, AzureSchema};
use std::sync::Arc;

/// Azure as a billing source: `read_azure_cost`, `to_focus(provider := 'azure')`.
pub struct Azure;

impl Provider for Azure {
    fn name(&self) -> &'static str {
        "azure"
    }
    fn reader_function(&self) -> &'static str {
        "read_azure_cost"
    }
    fn schema(&self) -> Result<Arc<Schema>> {
        Ok(azure_schema()?.schema.clone())
    }
    fn discover(&self, paths: &[String], opts: &ReadOptions) -> Result<Vec<ScanUnit>> {
        discover(paths, opts)
    }
    fn recognises(&self, columns: &[String]) -> bool {
        azure_schema().is_ok_and(|s| is_cost_details(s, columns))
    }
    fn mapping(&self) -> Result<&'static Mapping> {
        focus::mapping()
    }
    fn billing_period_column(&self) -> Option<&'static str> {
        Some("BillingPeriodStartDate")
    }
    fn parameters(&self) -> Vec<(&'static str, ParamType)> {
        vec![("dataset", ParamType::Varchar)]
    }
}

/// Which Cost Management dataset a file holds. Both carry the same columns; they differ in how
/// commitment (reservation, savings plan) costs are spread, so the FOCUS mapping must know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Dataset {
    Actual,
    Amortized,
}

impl Dataset {
    pub fn as_str(self) -> &'static str {
        match self {
            Dataset::Actual => "actual",
            Dataset::Amortized => "amortized",
        }
    }

    /// `dataset := '...'` as the user wrote it.
    pub fn parse_param(v: &str) -> Result<Dataset> {
        match v.trim().to_ascii_lowercase().as_str() {
            "actual" | "actualcost" => Ok(Dataset::Actual),
            "amortized" | "amortizedcost" => Ok(Dataset::Amortized),
            _ => Err(Error::usage(format!(
                "dataset must be 'actual' or 'amortized' (or left out to detect it from the manifest or the file name), got '{v}'"
            ))),
        }
    }

    /// From a manifest's `exportConfig.type` or a path, as Cost Management names them
    /// (`ActualCost`, `AmortizedCost`; export and file names usually carry them).
    pub fn from_name(name: &str) -> Option<Dataset> {
        let n = name.to_ascii_lowercase();
        if n.contains("amortized") || n.contains("amortised") {
            Some(Dataset::Amortized)
        } else if n.contains("actual") {
            Some(Dataset::Actual)
        } else {
            None
        }
    }
}

/// Columns of a Cost Management cost-details file: a cost column and meter or service columns.
/// Microsoft's FocusCost export has none of the meter columns (they are `x_SkuMeter*` there).
fn is_cost_details(s: &AzureSchema, columns: &[String]) -> bool {
    let has = |name: &str| {
        let Some(want) = s.schema.index_of(name) else {
            return false;
        };
        columns.iter().any(|c| s.column_of(c) == Some(want))
    };
    has("CostInBillingCurrency") && (has("MeterId") || has("MeterCategory") || has("ConsumedService"))
}

fn is_focus(columns: &[String]) -> bool {
    let has = |n: &str| columns.iter().any(|c| english_name(c).eq_ignore_ascii_case(n));
    has("BilledCost") && has("EffectiveCost") && has("ChargeCategory")
}

fn check_is_azure(file: &str, columns: &[String], s: &AzureSchema) -> Result<()> {
    if is_cost_details(s, columns) {
        return Ok(());
    }
    if is_focus(columns) {
        return Err(Error::data(
            Position::file(file),
            "this is a FOCUS file (such as Microsoft's FocusCost export), not Azure cost details; read it with provider := 'focus'",
        ));
    }
    let sample: Vec<&str> = columns.iter().take(5).map(String::as_str).collect();
    Err(Error::data(
        Position::file(file),
        format!(
            "not an Azure cost details export: no cost column (CostInBillingCurrency, Cost or PreTaxCost) with meter columns (found {}{}); known header variants: {}",
            sample.join(", "),
            if columns.len() > 5 { ", ..." } else { "" },
            KNOWN_VARIANTS.join("; ")
        ),
    ))
}

/// The header sets `read_azure_cost` recognises, named for the error a foreign file gets (the
/// column aliases themselves are data: sql/azure/cost_columns.csv).
const KNOWN_VARIANTS: &[&str] = &[
    "EA/MCA cost details, actual or amortized (CostInBillingCurrency, MeterId, ...)",
    "older MCA camelCase (costInBillingCurrency, meterId, ...)",
    "EA portal download (Cost, BillingCurrency, ...)",
    "legacy pay-as-you-go usage details (SubscriptionGuid, PreTaxCost, UsageDateTime, ...) and their camelCase twin",
    "CSP camelCase (partnerName, customerName, ...)",
    "localised headers 'Name (EnglishName)' of any of these",
];

/// Expands the user's paths into scan units, reading manifests and CSV headers; tags each unit
/// with its dataset and the call with the set of datasets it read.
pub fn discover(paths: &[String], opts: &ReadOptions) -> Result<Vec<ScanUnit>> {
    let s = azure_schema()?;
    let forced = opts.extra.get("dataset").map(|v| Dataset::parse_param(v)).transpose()?;
    let mut planned: Vec<layout::PlannedFile> = Vec::new();
    for p in paths {
        match expand(p)? {
            Expanded::Files(files) => planned.extend(files.into_iter().map(|path| layout::PlannedFile {
                path,
                run: None,
                dataset: None,
            })),
            Expanded::Directory(dir) => {
                let plan = layout::plan(&dir, opts.all_versions)?;
                if plan.is_empty() {
                    return Err(Error::NoFiles {
                        pattern: p.clone(),
                        hint: " (the folder holds no .csv, .csv.gz or .parquet files)".into(),
                    });
                }
                planned.extend(plan);
            }
        }
    }
    let mut units = Vec::new();
    let mut datasets: Vec<Option<Dataset>> = Vec::new();
    for f in planned {
        let file = f.path.display().to_string();
        // Cost Management writes CSV (plain or gzip) or Parquet; both carry the same column
        // names, so one header resolution serves both.
        let (headers, kinds) = if sniff(&f.path)? == Container::Parquet {
            let info = inspect(&f.path)?;
            // Row groups are the unit of parallelism within a Parquet file.
            let kinds: Vec<UnitKind> = if info.row_groups == 0 {
                vec![UnitKind::Parquet { row_groups: vec![] }]
            } else {
                (0..info.row_groups)
                    .map(|rg| UnitKind::Parquet { row_groups: vec![rg] })
                    .collect()
            };
            (info.columns, kinds)
        } else {
            let (_, headers) = open_csv(open_text(&f.path)?, &file)?;
            (headers, vec![UnitKind::Csv])
        };
        check_is_azure(&file, &headers, s)?;
        let targets: Arc<Vec<Target>> = Arc::new(headers.iter().map(|h| s.resolve(h)).collect());
        let dataset = forced.or(f.dataset).or_else(|| Dataset::from_name(&file));
        let mut constants = Vec::new();
        if let Some(d) = dataset {
            constants.push((s.dataset, d.as_str().to_string()));
        }
        let constants = Arc::new(constants);
        for kind in kinds {
            datasets.push(dataset);
            let mut u = ScanUnit::new(f.path.clone(), kind, targets.clone());
            u.assembly = f.run.clone();
            u.constants = constants.clone();
            units.push(u);
        }
    }
    let call = call_datasets(&datasets, &units)?;
    for u in &mut units {
        let mut c = (*u.constants).clone();
        c.push((s.call_datasets, call.clone()));
        u.constants = Arc::new(c);
    }
    Ok(units)
}

/// `actual`, `amortized`, `actual+amortized` or `unknown`. A call that mixes an amortized file
/// with one whose dataset is unknown cannot be merged without double counting, so it is refused.
fn call_datasets(datasets: &[Option<Dataset>], units: &[ScanUnit]) -> Result<String> {
    let has = |d: Dataset| datasets.contains(&Some(d));
    if let Some(i) = datasets.iter().position(Option::is_none) {
        if has(Dataset::Amortized) {
            return Err(Error::usage(format!(
                "{}: cannot tell whether this file is the actual or the amortized dataset, and the call also reads amortized data; name the files ...ActualCost... / ...AmortizedCost..., or read each dataset with its own dataset := '...'",
                units[i].file
            )));
        }
        return Ok(if has(Dataset::Actual) {
            "actual".into()
        } else {
            "unknown".into()
        });
    }
    Ok(match (has(Dataset::Actual), has(Dataset::Amortized)) {
        (true, true) => "actual+amortized",
        (false, true) => "amortized",
        (true, false) => "actual",
        (false, false) => "unknown",
    }
    .into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dataset_from_names_and_parameter() {
        assert_eq!(
            Dataset::from_name("exports/daily/EA_AmortizedCost_Small.csv"),
            Some(Dataset::Amortized)
        );
        assert_eq!(Dataset::from_name("ActualCost"), Some(Dataset::Actual));
        assert_eq!(Dataset::from_name("part_0_0001.csv"), None);
        assert_eq!(Dataset::parse_param(" Amortized ").unwrap(), Dataset::Amortized);
        assert!(Dataset::parse_param("both").is_err());
    }

    #[test]
    fn call_datasets_refuse_an_unmergeable_mix() {
        let unit = |f: &str| ScanUnit::new(f.into(), UnitKind::Csv, Arc::new(vec![]));
        let units = [unit("a.csv"), unit("b.csv")];
        let (a, m) = (Some(Dataset::Actual), Some(Dataset::Amortized));
        assert_eq!(call_datasets(&[a, m], &units).unwrap(), "actual+amortized");
        assert_eq!(call_datasets(&[a, None], &units).unwrap(), "actual");
        assert_eq!(call_datasets(&[None, None], &units).unwrap(), "unknown");
        let e = call_datasets(&[m, None], &units).unwrap_err().to_string();
        assert!(e.starts_with("b.csv: cannot tell"), "{e}");
    }

    #[test]
    fn focus_files_are_not_cost_details() {
        let s = azure_schema().unwrap();
        let cols = |v: &[&str]| v.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        assert!(is_cost_details(
            s,
            &cols(&["SubscriptionGuid", "MeterId", "PreTaxCost"])
        ));
        assert!(!is_cost_details(
            s,
            &cols(&["BilledCost", "EffectiveCost", "ChargeCategory", "x_SkuMeterId"])
        ));
        let e = check_is_azure("f.csv", &cols(&["BilledCost", "EffectiveCost", "ChargeCategory"]), s).unwrap_err();
        assert!(e.to_string().contains("provider := 'focus'"));
    }
}
