//! FOCUS itself as a billing source: any vendor's FOCUS export (CSV, gzip, Parquet), any
//! version from 1.0-preview to 1.4, read into one canonical schema (the union of all FOCUS
//! columns) so that `to_focus(provider := 'focus')` can emit any version from it.

pub mod rules;
pub mod schema;

use crate::columnar::{Batch, Column, StrCol};
use crate::error::{Error, Position, Result};
use crate::formats::csv_reader::{open_csv, CsvBatchReader};
use crate::formats::parquet_reader::{inspect, ParquetBatchReader};
use crate::formats::provider::{Provider, ReadOptions};
use crate::formats::reader::{BatchReader, Schema, Target};
use crate::formats::scan::{CustomOpener, ScanUnit, UnitKind};
use crate::io::listing::data_files;
use crate::io::open::{open_text, sniff, Container};
use crate::mapping::Mapping;
use schema::{focus_schema, FocusSchema};
use std::sync::Arc;

/// FOCUS files as a source: `read_focus`, `to_focus(provider := 'focus')`.
pub struct Focus;

impl Provider for Focus {
    fn name(&self) -> &'static str {
        "focus"
    }
    fn reader_function(&self) -> &'static str {
        "read_focus"
    }
    fn schema(&self) -> Result<Arc<Schema>> {
        Ok(focus_schema()?.schema.clone())
    }
    fn discover(&self, paths: &[String], _opts: &ReadOptions) -> Result<Vec<ScanUnit>> {
        discover(paths)
    }
    fn recognises(&self, columns: &[String]) -> bool {
        focus_schema().is_ok_and(|s| s.is_focus(&s.resolve(columns).targets))
    }
    fn mapping(&self) -> Result<&'static Mapping> {
        rules::mapping()
    }
    fn billing_period_column(&self) -> Option<&'static str> {
        Some("BillingPeriodStart")
    }
}

/// Data files of a FOCUS export: CSV (plain, gzip, zip) and Parquet. Metadata (`*.json`) and
/// other files next to them are skipped.
fn is_data_file(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    [".csv", ".csv.gz", ".gz", ".zip", ".parquet"]
        .iter()
        .any(|e| k.ends_with(e))
}

pub fn discover(paths: &[String]) -> Result<Vec<ScanUnit>> {
    let s = focus_schema()?;
    let files = data_files(paths, is_data_file, ".csv, .csv.gz, .zip or .parquet")?;
    let mut units = Vec::new();
    for path in files {
        let file = path.display().to_string();
        let (columns, parquet) = match sniff(&path)? {
            Container::Parquet => (Some(inspect(&path)?), true),
            _ => (None, false),
        };
        let names = match &columns {
            Some(info) => info.columns.clone(),
            None => open_csv(open_text(&path)?, &file)?.1,
        };
        let resolved = s.resolve(&names);
        check_is_focus(&file, &names, &resolved.targets, s)?;
        let constants = Arc::new(vec![(s.focus_version, resolved.version.clone())]);
        let targets = Arc::new(resolved.targets);
        let opener = opener(parquet, resolved.provider_hint);
        let mut push = |kind: UnitKind, rows: Option<u64>| {
            let mut u = ScanUnit::new(path.clone(), kind, targets.clone());
            u.constants = constants.clone();
            u.rows = rows;
            units.push(u);
        };
        match columns {
            // Row groups are the unit of parallelism within a Parquet file.
            Some(info) if info.row_groups > 1 => {
                for rg in 0..info.row_groups {
                    push(UnitKind::Custom(opener_for_row_groups(&opener, vec![rg])), None);
                }
            }
            // An empty row-group list reads nothing, so a one-group file names its group.
            Some(info) => {
                let groups = (0..info.row_groups).collect();
                push(
                    UnitKind::Custom(opener_for_row_groups(&opener, groups)),
                    Some(info.rows),
                )
            }
            None => push(UnitKind::Custom(opener_for_row_groups(&opener, vec![])), None),
        }
    }
    Ok(units)
}

fn check_is_focus(file: &str, columns: &[String], targets: &[Target], s: &FocusSchema) -> Result<()> {
    let cur = columns
        .iter()
        .any(|c| c.starts_with("lineItem/") || c.starts_with("line_item_"));
    if !cur && s.is_focus(targets) {
        return Ok(());
    }
    let sample: Vec<&str> = columns.iter().take(5).map(String::as_str).collect();
    Err(Error::data(
        Position::file(file),
        format!(
            "not a FOCUS file: no BilledCost and ChargePeriodStart columns (found {}{}){}",
            sample.join(", "),
            if columns.len() > 5 { ", ..." } else { "" },
            if cur {
                ". It is an AWS Cost and Usage Report: use read_aws_cur() or to_focus(provider := 'aws')"
            } else {
                ""
            }
        ),
    ))
}

/// How a FOCUS unit opens: the format's reader, then the per-row provider detection.
struct FocusOpener {
    parquet: bool,
    provider_hint: Option<String>,
}

fn opener(parquet: bool, provider_hint: Option<String>) -> Arc<FocusOpener> {
    Arc::new(FocusOpener { parquet, provider_hint })
}

fn opener_for_row_groups(o: &Arc<FocusOpener>, row_groups: Vec<usize>) -> CustomOpener {
    let o = o.clone();
    Arc::new(
        move |unit: &ScanUnit, schema: Arc<Schema>, wanted: Arc<Vec<bool>>, batch_rows: usize| {
            let s = focus_schema()?;
            // x_SourceProvider is computed from the provider name columns, so read those too.
            let need_names = wanted[s.source_provider];
            let name_cols: Vec<usize> = ["ServiceProviderName", "ProviderName"]
                .iter()
                .filter_map(|n| schema.index_of(n))
                .collect();
            let inner_wanted = if need_names {
                let mut w = (*wanted).clone();
                for c in &name_cols {
                    w[*c] = true;
                }
                Arc::new(w)
            } else {
                wanted.clone()
            };
            let inner: Box<dyn BatchReader> = if o.parquet {
                Box::new(ParquetBatchReader::open(
                    &unit.path,
                    row_groups.clone(),
                    &unit.targets,
                    schema.clone(),
                    inner_wanted,
                    batch_rows,
                )?)
            } else {
                let (rdr, headers) = open_csv(open_text(&unit.path)?, &unit.file)?;
                Box::new(
                    CsvBatchReader::new(rdr, &headers, &unit.targets, &unit.file, schema.clone(), inner_wanted)
                        .with_null_literal(true),
                )
            };
            Ok(Box::new(FocusRows {
                inner,
                hint: o.provider_hint.clone(),
                target: need_names.then_some(s.source_provider),
                name_cols,
            }) as Box<dyn BatchReader>)
        },
    )
}

/// Fills `x_SourceProvider` row by row: one FOCUS file may hold several providers (the FOCUS
/// sample data does), so the provider name of the row decides; the file's tell-tale extension
/// columns are the fallback for names this build does not know.
struct FocusRows {
    inner: Box<dyn BatchReader>,
    hint: Option<String>,
    target: Option<usize>,
    /// ServiceProviderName, then ProviderName: the newest name wins.
    name_cols: Vec<usize>,
}

impl BatchReader for FocusRows {
    fn next_batch(&mut self, max_rows: usize) -> Result<Option<Batch>> {
        let Some(mut batch) = self.inner.next_batch(max_rows)? else {
            return Ok(None);
        };
        let Some(target) = self.target else {
            return Ok(Some(batch));
        };
        let s = focus_schema()?;
        let mut out = StrCol::with_capacity(batch.rows);
        for row in 0..batch.rows {
            let by_name = self.name_cols.iter().find_map(|c| match &batch.columns[*c] {
                Some(Column::Str(names)) => names.get(row).and_then(|n| s.provider_of_name(n)),
                _ => None,
            });
            out.push(by_name.or(self.hint.as_deref()));
        }
        batch.columns[target] = Some(Column::Str(out));
        Ok(Some(batch))
    }
}
