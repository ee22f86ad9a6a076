//! `read_aws_cur(path, ...)`: AWS Cost and Usage Report rows, cleaned and typed, in one
//! canonical schema (CUR 2.0 names) whatever the flavour.

use crate::columnar::{Batch, ColType, Column, StrCol};
use crate::formats::aws::{self, schema::cur_schema, DiscoverOptions, ScanUnit};
use crate::formats::reader::{filter_batch, Schema};
use crate::glue::output::{logical_type, write_column};
use crate::glue::params;
use crate::glue::scan::{Active, ScanPool, BATCH_ROWS};
use duckdb::core::{DataChunkHandle, LogicalTypeHandle, LogicalTypeId};
use duckdb::vtab::{BindInfo, InitInfo, TableFunctionInfo, VTab};
use std::error::Error;
use std::sync::Arc;

pub const DESCRIPTION: &str = "AWS Cost and Usage Report rows (CUR 1.0 CSV/gzip/zip, CUR 1.0 Athena Parquet, CUR 2.0 Parquet/CSV) in one typed schema with CUR 2.0 column names. Folders are read manifest-aware: only the current version of each billing period.";
pub const EXAMPLE: &str =
    "SELECT line_item_product_code, sum(line_item_unblended_cost) FROM read_aws_cur('cur/my-report/') GROUP BY ALL;";

/// Options shared by `read_aws_cur` and `to_focus` on AWS input.
#[derive(Debug, Clone, Default)]
pub struct CurOptions {
    pub discover: DiscoverOptions,
    pub filename: bool,
}

pub fn cur_named_parameters() -> Vec<(String, LogicalTypeHandle)> {
    vec![
        ("billing_period".into(), LogicalTypeId::Varchar.into()),
        ("all_versions".into(), LogicalTypeId::Boolean.into()),
        ("filename".into(), LogicalTypeId::Boolean.into()),
    ]
}

pub fn read_cur_options(bind: &BindInfo) -> Result<CurOptions, Box<dyn Error>> {
    let mut periods = Vec::new();
    if let Some(p) = params::named_str(bind, "billing_period") {
        for part in p.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let ok = part.len() == 7
                && part.as_bytes()[4] == b'-'
                && part[..4].parse::<u16>().is_ok()
                && part[5..].parse::<u8>().is_ok_and(|m| (1..=12).contains(&m));
            if !ok {
                return Err(format!(
                    "billing_period must look like '2024-01' (or a comma-separated list), got '{part}'"
                )
                .into());
            }
            periods.push(part.to_string());
        }
    }
    Ok(CurOptions {
        discover: DiscoverOptions {
            all_versions: params::named_bool(bind, "all_versions", false),
            billing_periods: periods,
        },
        filename: params::named_bool(bind, "filename", false),
    })
}

pub fn paths_param(bind: &BindInfo, func: &str) -> Result<Vec<String>, Box<dyn Error>> {
    let paths = params::positional_strs(bind, 0);
    if paths.is_empty() {
        return Err(format!("{func}: give a file, glob, folder or list of them, e.g. {func}('cur/my-report/')").into());
    }
    Ok(paths)
}

/// Metadata of the unit a batch came from.
#[derive(Clone)]
pub struct UnitMeta {
    pub file: Arc<str>,
    pub assembly: Option<Arc<str>>,
}

pub struct ReadAwsCur;

pub struct Bind {
    units: Vec<ScanUnit>,
    schema: Arc<Schema>,
    opts: CurOptions,
    /// Output columns: canonical ones, then `filename`, then `assembly_id` when asked.
    extra_filename: Option<usize>,
    extra_assembly: Option<usize>,
    period_col: usize,
}

pub struct Init {
    pool: ScanPool<ScanUnit, UnitMeta>,
    /// For each output vector: the column index of the table function's schema.
    projection: Vec<usize>,
    wanted: Arc<Vec<bool>>,
}

/// The `billing_period` filter on rows: AWS's period start, in the requested months.
pub fn period_filter(batch: Batch, period_col: usize, periods: &[String]) -> Batch {
    if periods.is_empty() {
        return batch;
    }
    let keep: Vec<bool> = match &batch.columns[period_col] {
        Some(Column::Ts(ts)) => ts
            .iter()
            .map(|t| {
                t.is_some_and(|t| {
                    let (y, m, _) =
                        crate::formats::values::civil_from_days(t.div_euclid(crate::formats::values::MICROS_PER_DAY));
                    periods.iter().any(|p| *p == format!("{y:04}-{m:02}"))
                })
            })
            .collect(),
        _ => vec![true; batch.rows],
    };
    filter_batch(batch, &keep)
}

pub fn open_unit(u: ScanUnit, schema: &Arc<Schema>, wanted: &Arc<Vec<bool>>) -> crate::error::Result<Active<UnitMeta>> {
    let reader = u.open(schema.clone(), wanted.clone(), BATCH_ROWS)?;
    Ok(Active {
        reader,
        meta: UnitMeta {
            file: u.file.as_str().into(),
            assembly: u.assembly.as_deref().map(Into::into),
        },
    })
}

impl VTab for ReadAwsCur {
    type BindData = Bind;
    type InitData = Init;

    fn bind(bind: &BindInfo) -> Result<Bind, Box<dyn Error>> {
        let paths = paths_param(bind, "read_aws_cur")?;
        let opts = read_cur_options(bind)?;
        let s = cur_schema()?;
        let units = aws::discover(&paths, &opts.discover).map_err(|e| format!("read_aws_cur: {e}"))?;
        for (name, ty) in s.schema.names.iter().zip(&s.schema.types) {
            bind.add_result_column(name, logical_type(*ty));
        }
        let mut next = s.schema.names.len();
        let mut extra = |on: bool, name: &str| {
            on.then(|| {
                bind.add_result_column(name, logical_type(ColType::Varchar));
                next += 1;
                next - 1
            })
        };
        let extra_filename = extra(opts.filename, "filename");
        let extra_assembly = extra(opts.discover.all_versions, "assembly_id");
        if let Some(rows) = units.iter().map(|u| u.rows).sum::<Option<u64>>() {
            bind.set_cardinality(rows, false);
        }
        let period_col = s
            .index_of("bill_billing_period_start_date")
            .ok_or("catalogue lacks bill_billing_period_start_date")?;
        Ok(Bind {
            units,
            schema: s.schema.clone(),
            opts,
            extra_filename,
            extra_assembly,
            period_col,
        })
    }

    fn init(info: &InitInfo) -> Result<Init, Box<dyn Error>> {
        let bind = unsafe { &*info.get_bind_data::<Bind>() };
        let n = bind.schema.names.len();
        let projection: Vec<usize> = info.get_column_indices().into_iter().map(|i| i as usize).collect();
        let mut wanted = vec![false; n];
        for &c in &projection {
            if c < n {
                wanted[c] = true;
            }
        }
        if !bind.opts.discover.billing_periods.is_empty() {
            wanted[bind.period_col] = true;
        }
        info.set_max_threads(bind.units.len().clamp(1, 64) as u64);
        Ok(Init {
            pool: ScanPool::new(bind.units.clone()),
            projection,
            wanted: Arc::new(wanted),
        })
    }

    fn func(info: &TableFunctionInfo<Self>, out: &mut DataChunkHandle) -> Result<(), Box<dyn Error>> {
        let bind = info.get_bind_data();
        let init = info.get_init_data();
        loop {
            let Some((batch, meta)) = init.pool.next(|u| open_unit(u, &bind.schema, &init.wanted))? else {
                out.set_len(0);
                return Ok(());
            };
            let batch = period_filter(batch, bind.period_col, &bind.opts.discover.billing_periods);
            if batch.rows == 0 {
                continue;
            }
            write_projected(out, &batch, &init.projection, bind.schema.names.len(), |c| {
                if Some(c) == bind.extra_filename {
                    Some(Some(meta.file.to_string()))
                } else if Some(c) == bind.extra_assembly {
                    Some(meta.assembly.as_deref().map(str::to_string))
                } else {
                    None
                }
            });
            out.set_len(batch.rows);
            return Ok(());
        }
    }

    fn supports_pushdown() -> bool {
        true
    }

    fn parameters() -> Option<Vec<LogicalTypeHandle>> {
        Some(vec![LogicalTypeId::Any.into()])
    }

    fn named_parameters() -> Option<Vec<(String, LogicalTypeHandle)>> {
        Some(cur_named_parameters())
    }
}

/// Writes the projected columns of `batch`; columns past the schema are constants from `extra`.
pub fn write_projected(
    out: &mut DataChunkHandle,
    batch: &Batch,
    projection: &[usize],
    schema_len: usize,
    extra: impl Fn(usize) -> Option<Option<String>>,
) {
    for (k, &c) in projection.iter().enumerate() {
        if c < schema_len {
            if let Some(col) = &batch.columns[c] {
                write_column(out, k, col, 0..batch.rows);
            }
        } else if let Some(v) = extra(c) {
            let mut s = StrCol::with_capacity(batch.rows);
            for _ in 0..batch.rows {
                s.push(v.as_deref());
            }
            write_column(out, k, &Column::Str(s), 0..batch.rows);
        }
    }
}
