//! AWS Cost and Usage Reports: CUR 1.0 CSV (plain, gzip, zip), CUR 1.0 Athena Parquet, CUR 2.0
//! (Data Exports) Parquet and CSV, and the S3 delivery layouts with their manifests.

pub mod focus;
pub mod layout;
pub mod schema;

use crate::error::{Error, Position, Result};
use crate::formats::csv_reader::open_csv;
use crate::formats::parquet_reader::inspect;
use crate::formats::provider::{Provider, ReadOptions};
use crate::formats::reader::{Schema, Target};
use crate::formats::scan::{ScanUnit, UnitKind};
use crate::io::listing::{expand, walk, Expanded};
use crate::io::location::{folder_name, folder_parent, Location};
use crate::io::open::{open_text, read_all, sniff, Container};
use crate::mapping::Mapping;
use schema::{cur_schema, CurSchema};
use std::path::PathBuf;
use std::sync::Arc;

/// AWS as a billing source: `read_aws_cur`, `to_focus(provider := 'aws')`.
pub struct Aws;

impl Provider for Aws {
    fn name(&self) -> &'static str {
        "aws"
    }
    fn reader_function(&self) -> &'static str {
        "read_aws_cur"
    }
    fn schema(&self) -> Result<Arc<Schema>> {
        Ok(cur_schema()?.schema.clone())
    }
    fn discover(&self, paths: &[String], opts: &ReadOptions) -> Result<Vec<ScanUnit>> {
        discover(paths, opts)
    }
    fn recognises(&self, columns: &[String]) -> bool {
        // OCI reports also have `lineItem/` headers, but lowerCamel (`lineItem/referenceNo`).
        // AWS's own FOCUS export carries x_ columns, never lineItem/*, but a FOCUS file that
        // kept a raw CUR column next to BilledCost is still FOCUS: leave it to read_focus.
        columns.iter().any(|c| {
            c.starts_with("line_item_")
                || c.strip_prefix("lineItem/")
                    .and_then(|n| n.chars().next())
                    .is_some_and(|ch| ch.is_ascii_uppercase())
        }) && !columns.iter().any(|c| c == "BilledCost")
    }
    fn mapping(&self) -> Result<&'static Mapping> {
        focus::mapping()
    }
    fn billing_period_column(&self) -> Option<&'static str> {
        Some("bill_billing_period_start_date")
    }
}

fn is_cur_column(target: &Target, s: &CurSchema, name: &str) -> bool {
    let _ = s;
    matches!(target, Target::Column(_)) && (name.starts_with("lineItem/") || name.starts_with("line_item_"))
}

/// A data file to read, with its assembly (version) and billing period when the layout says.
type Planned = (PathBuf, Option<String>, Option<String>);

/// Expands the user's paths into scan units, reading manifests, CSV headers and Parquet footers.
pub fn discover(paths: &[String], opts: &ReadOptions) -> Result<Vec<ScanUnit>> {
    let s = cur_schema()?;
    let mut planned: Vec<Planned> = Vec::new();
    for p in paths {
        match expand(p)? {
            Expanded::Files(files) => planned.extend(files.into_iter().map(|f| {
                let bp = layout::plan(&[f.to_string_lossy().into_owned()], &|_| Ok(vec![]), false, "")
                    .ok()
                    .and_then(|v| v.into_iter().next())
                    .and_then(|pf| pf.billing_period);
                (f, None, bp)
            })),
            Expanded::Directory(dir) => {
                // Keys start with the folder's own name, so a billing-period folder given
                // directly is still recognised as one (its manifest decides what is read).
                let (name, shown) = folder_name_and_parent(&dir);
                let listing: Vec<String> = walk(&dir)?
                    .into_iter()
                    .map(|k| if name.is_empty() { k } else { format!("{name}/{k}") })
                    .collect();
                let path_of = |k: &str| {
                    let rel = if name.is_empty() {
                        k
                    } else {
                        k.strip_prefix(&format!("{name}/")).unwrap_or(k)
                    };
                    dir.join(rel)
                };
                let read = |k: &str| read_all(&path_of(k));
                let plan = layout::plan(&listing, &read, opts.all_versions, &shown)?;
                if plan.is_empty() {
                    return Err(Error::NoFiles {
                        pattern: p.clone(),
                        hint: " (the folder holds no .csv, .csv.gz, .zip or .parquet files)".into(),
                    });
                }
                planned.extend(
                    plan.into_iter()
                        .map(|f| (path_of(&f.key), f.assembly, f.billing_period)),
                );
            }
        }
    }
    planned.retain(|(_, _, bp)| match bp {
        Some(bp) => opts.billing_periods.is_empty() || opts.billing_periods.contains(bp),
        None => true,
    });
    // Headers and footers of many objects: fetched several at a time (bounded), order kept.
    let remote = planned.iter().any(|p| Location::is_remote(&p.0));
    let units = crate::io::parallel_map(&planned, remote, |p| units_of(s, p))?;
    Ok(units.into_iter().flatten().collect())
}

/// The scan units of one data file: one per Parquet row group, or the whole CSV.
fn units_of(s: &CurSchema, (path, assembly, billing_period): &Planned) -> Result<Vec<ScanUnit>> {
    let mut units = Vec::new();
    let file = path.display().to_string();
    match sniff(path)? {
        Container::Parquet => {
            let info = inspect(path)?;
            let targets =
                s.route_flat_map_columns(&info.columns, info.columns.iter().map(|c| s.resolve_snake(c)).collect());
            check_is_cur(&file, &info.columns, &targets, s)?;
            let targets = Arc::new(targets);
            // Row groups are the unit of parallelism within a file.
            for rg in 0..info.row_groups.max(1) {
                let row_groups = if info.row_groups == 0 { vec![] } else { vec![rg] };
                let mut u = ScanUnit::new(path.clone(), UnitKind::Parquet { row_groups }, targets.clone());
                u.assembly = assembly.clone();
                u.billing_period = billing_period.clone();
                u.rows = (info.row_groups <= 1).then_some(info.rows);
                units.push(u);
            }
        }
        _ => {
            let (_, headers) = open_csv(open_text(path)?, &file)?;
            let cur1 = headers.iter().any(|h| h.contains('/'));
            let resolved = headers.iter().map(|h| {
                if cur1 {
                    s.resolve_cur1_header(h)
                } else {
                    s.resolve_snake(h)
                }
            });
            let targets = s.route_flat_map_columns(&headers, resolved.collect());
            check_is_cur(&file, &headers, &targets, s)?;
            let mut u = ScanUnit::new(path.clone(), UnitKind::Csv, Arc::new(targets));
            u.assembly = assembly.clone();
            u.billing_period = billing_period.clone();
            units.push(u);
        }
    }
    Ok(units)
}

/// A delivery folder's own name and its parent as the user would write it (errors show keys
/// under the parent). Local folders are canonicalised first, so `.` has a name too.
fn folder_name_and_parent(dir: &std::path::Path) -> (String, String) {
    if Location::is_remote(dir) {
        let t = dir.to_string_lossy();
        return (folder_name(&t).to_string(), folder_parent(&t).to_string());
    }
    let name = std::fs::canonicalize(dir)
        .ok()
        .and_then(|c| c.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    let shown = match dir.components().next_back() {
        Some(std::path::Component::Normal(_)) => dir.parent().map(|p| p.to_string_lossy().into_owned()),
        _ => std::fs::canonicalize(dir)
            .ok()
            .and_then(|c| c.parent().map(|p| p.to_string_lossy().into_owned())),
    }
    .unwrap_or_default();
    (name, shown)
}

fn check_is_cur(file: &str, columns: &[String], targets: &[Target], s: &CurSchema) -> Result<()> {
    if columns.iter().zip(targets).any(|(c, t)| is_cur_column(t, s, c)) {
        return Ok(());
    }
    let sample: Vec<&str> = columns.iter().take(5).map(String::as_str).collect();
    Err(Error::data(
        Position::file(file),
        format!(
            "not an AWS Cost and Usage Report: no lineItem/* or line_item_* columns (found {}{}). For FOCUS files use read_focus(); for other clouds their read_ function",
            sample.join(", "),
            if columns.len() > 5 { ", ..." } else { "" }
        ),
    ))
}
