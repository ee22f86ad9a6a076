//! `to_focus(path, provider := 'auto', focus_version := '1.2', ...)`: vendor billing data as
//! FOCUS rows. The vendor reader streams canonical batches; the vendor's mapping (data, in
//! `sql/<vendor>/focus.sql`) is evaluated column by column over each batch.

use crate::columnar::Column;
use crate::focus::catalog;
use crate::focus::convert::{output_columns, OutputColumn};
use crate::formats::aws::{self, schema::cur_schema, ScanUnit};
use crate::formats::reader::Schema;
use crate::glue::output::{logical_type, write_column};
use crate::glue::params;
use crate::glue::read_aws_cur::{
    cur_named_parameters, open_unit, paths_param, period_filter, read_cur_options, CurOptions, UnitMeta,
};
use crate::glue::scan::ScanPool;
use crate::mapping::Mapping;
use duckdb::core::{DataChunkHandle, LogicalTypeHandle, LogicalTypeId};
use duckdb::vtab::{BindInfo, InitInfo, TableFunctionInfo, VTab};
use std::error::Error;
use std::sync::Arc;

pub const DESCRIPTION: &str = "Billing data as FOCUS rows of the requested version (default 1.2). Paths may be files, globs, folders or lists; the provider is detected unless given.";
pub const EXAMPLE: &str = "SELECT ServiceCategory, sum(EffectiveCost) FROM to_focus('cur/my-report/') GROUP BY ALL;";

/// Providers this build converts, in the order `provider := 'auto'` tries them.
pub const PROVIDERS: &[&str] = &["aws"];
pub const PLANNED_PROVIDERS: &[&str] = &["azure", "gcp", "oci", "focus"];

pub struct ToFocus;

pub struct Bind {
    units: Vec<ScanUnit>,
    schema: Arc<Schema>,
    mapping: &'static Mapping,
    columns: Vec<OutputColumn>,
    opts: CurOptions,
    period_col: usize,
    filename_col: Option<usize>,
}

pub struct Init {
    pool: ScanPool<ScanUnit, UnitMeta>,
    projection: Vec<usize>,
    wanted: Arc<Vec<bool>>,
}

fn resolve_provider(requested: &str) -> Result<&'static str, Box<dyn Error>> {
    let p = requested.trim().to_ascii_lowercase();
    if p == "auto" || PROVIDERS.contains(&p.as_str()) {
        return Ok(if p == "auto" {
            "auto"
        } else {
            PROVIDERS.iter().copied().find(|x| *x == p).unwrap_or("aws")
        });
    }
    if PLANNED_PROVIDERS.contains(&p.as_str()) {
        return Err(format!(
            "to_focus: provider '{p}' is not supported by this build yet; supported: {}",
            PROVIDERS.join(", ")
        )
        .into());
    }
    Err(format!(
        "to_focus: unknown provider '{requested}'; use 'auto' or one of {}",
        PROVIDERS.join(", ")
    )
    .into())
}

impl VTab for ToFocus {
    type BindData = Bind;
    type InitData = Init;

    fn bind(bind: &BindInfo) -> Result<Bind, Box<dyn Error>> {
        let paths = paths_param(bind, "to_focus")?;
        let provider = resolve_provider(&params::named_str(bind, "provider").unwrap_or_else(|| "auto".into()))?;
        let version = params::named_str(bind, "focus_version").unwrap_or_else(|| catalog::DEFAULT_VERSION.into());
        let version = catalog::resolve_version(&version).map_err(|e| format!("to_focus: {e}"))?;
        let opts = read_cur_options(bind)?;
        // Detection: every provider's discovery checks the files' columns; with one provider so
        // far, 'auto' means AWS and its "not a CUR" error says what the files are not.
        let units = aws::discover(&paths, &opts.discover).map_err(|e| {
            if provider == "auto" {
                format!("to_focus: cannot detect the provider: {e}")
            } else {
                format!("to_focus: {e}")
            }
        })?;
        let mapping = aws::focus::mapping()?;
        let columns = output_columns(mapping, version)?;
        for c in &columns {
            bind.add_result_column(&c.name, logical_type(c.ty));
        }
        let filename_col = opts.filename.then(|| {
            bind.add_result_column("x_SourceFile", logical_type(crate::columnar::ColType::Varchar));
            columns.len()
        });
        if let Some(rows) = units.iter().map(|u| u.rows).sum::<Option<u64>>() {
            bind.set_cardinality(rows, false);
        }
        let s = cur_schema()?;
        let period_col = s
            .index_of("bill_billing_period_start_date")
            .ok_or("catalogue lacks bill_billing_period_start_date")?;
        Ok(Bind {
            units,
            schema: s.schema.clone(),
            mapping,
            columns,
            opts,
            period_col,
            filename_col,
        })
    }

    fn init(info: &InitInfo) -> Result<Init, Box<dyn Error>> {
        let bind = unsafe { &*info.get_bind_data::<Bind>() };
        let projection: Vec<usize> = info.get_column_indices().into_iter().map(|i| i as usize).collect();
        let mut wanted = vec![false; bind.schema.names.len()];
        for &c in &projection {
            if let Some(r) = bind.columns.get(c).and_then(|o| o.rule) {
                for &i in bind.mapping.columns[r].inputs() {
                    wanted[i] = true;
                }
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
            for (k, &c) in init.projection.iter().enumerate() {
                let col = match bind.columns.get(c) {
                    Some(OutputColumn { rule: Some(r), .. }) => bind.mapping.columns[*r]
                        .eval(&batch)
                        .map_err(|e| format!("to_focus: {} (rows of {}): {e}", bind.columns[c].name, meta.file))?,
                    Some(OutputColumn { ty, rule: None, .. }) => Column::nulls(*ty, batch.rows),
                    None if Some(c) == bind.filename_col => {
                        let mut s = crate::columnar::StrCol::with_capacity(batch.rows);
                        for _ in 0..batch.rows {
                            s.push(Some(&meta.file));
                        }
                        Column::Str(s)
                    }
                    None => continue,
                };
                write_column(out, k, &col, 0..batch.rows);
            }
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
        let mut p = vec![
            ("provider".to_string(), LogicalTypeId::Varchar.into()),
            ("focus_version".to_string(), LogicalTypeId::Varchar.into()),
        ];
        p.extend(cur_named_parameters());
        Some(p)
    }
}
