//! `to_focus(path, provider := 'auto', focus_version := '1.2', ...)`: billing data as FOCUS
//! rows. The provider's reader streams canonical batches; its mapping (data, in
//! `sql/<vendor>/focus.sql`) is evaluated column by column over each batch.

use crate::columnar::Column;
use crate::focus::catalog;
use crate::focus::convert::{output_columns, OutputColumn};
use crate::formats::provider::{self, Provider, ReadOptions};
use crate::formats::reader::{filter_batch, Schema};
use crate::formats::scan::ScanUnit;
use crate::glue::output::{logical_type, write_column};
use crate::glue::params;
use crate::glue::read_vendor::{
    constant, open_unit, paths_param, period_filter, read_options, reader_named_parameters, UnitMeta,
};
use crate::glue::scan::ScanPool;
use crate::mapping::Mapping;
use duckdb::core::{DataChunkHandle, LogicalTypeHandle, LogicalTypeId};
use duckdb::vtab::{BindInfo, InitInfo, TableFunctionInfo, VTab};
use std::error::Error;
use std::sync::Arc;

pub const DESCRIPTION: &str = "Billing data as FOCUS rows of the requested version (default 1.2). Paths may be files, globs, folders or lists; the provider is detected unless given.";
pub const EXAMPLE: &str = "SELECT ServiceCategory, sum(EffectiveCost) FROM to_focus('cur/my-report/') GROUP BY ALL;";

pub struct ToFocus;

pub struct Bind {
    units: Vec<ScanUnit>,
    schema: Arc<Schema>,
    mapping: &'static Mapping,
    columns: Vec<OutputColumn>,
    opts: ReadOptions,
    period_col: Option<usize>,
    filename_col: Option<usize>,
}

pub struct Init {
    pool: ScanPool<ScanUnit, UnitMeta>,
    projection: Vec<usize>,
    wanted: Arc<Vec<bool>>,
    /// The bind's schema with map columns narrowed to the keys the projected rules read.
    schema: Arc<Schema>,
}

fn choose_provider(requested: &str, paths: &[String]) -> Result<&'static dyn Provider, Box<dyn Error>> {
    let p = requested.trim().to_ascii_lowercase();
    if p == "auto" {
        return Ok(provider::detect(paths).map_err(|e| format!("to_focus: {e}"))?);
    }
    Ok(provider::by_name(&p).map_err(|e| format!("to_focus: {e} (or 'auto' to detect)"))?)
}

impl VTab for ToFocus {
    type BindData = Bind;
    type InitData = Init;

    fn bind(bind: &BindInfo) -> Result<Bind, Box<dyn Error>> {
        let paths = paths_param(bind, "to_focus")?;
        let requested = params::named_str(bind, "provider").unwrap_or_else(|| "auto".into());
        let version = params::named_str(bind, "focus_version").unwrap_or_else(|| catalog::DEFAULT_VERSION.into());
        let version = catalog::resolve_version(&version).map_err(|e| format!("to_focus: {e}"))?;
        let prov = choose_provider(&requested, &paths)?;
        let (opts, filename) = read_options(bind, &provider::all())?;
        let units = prov.discover(&paths, &opts).map_err(|e| format!("to_focus: {e}"))?;
        let mapping = prov.mapping()?;
        let schema = prov.schema()?;
        let columns = output_columns(mapping, version)?;
        for c in &columns {
            bind.add_result_column(&c.name, logical_type(c.ty));
        }
        let filename_col = filename.then(|| {
            bind.add_result_column("x_SourceFile", logical_type(crate::columnar::ColType::Varchar));
            columns.len()
        });
        if let Some(rows) = units.iter().map(|u| u.rows).sum::<Option<u64>>() {
            bind.set_cardinality(rows, false);
        }
        let period_col = prov.billing_period_column().and_then(|c| schema.index_of(c));
        Ok(Bind {
            units,
            schema,
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
        let mut key_uses = std::collections::HashMap::new();
        for &c in &projection {
            if let Some(r) = bind.columns.get(c).and_then(|o| o.rule) {
                for &i in bind.mapping.columns[r].inputs() {
                    wanted[i] = true;
                }
                bind.mapping.columns[r].map_key_uses(&mut key_uses);
            }
        }
        if let Some(p) = bind.period_col.filter(|_| !bind.opts.billing_periods.is_empty()) {
            wanted[p] = true;
        }
        if let Some(f) = &bind.mapping.filter {
            for &i in f.inputs() {
                wanted[i] = true;
            }
            f.map_key_uses(&mut key_uses);
        }
        // Maps the rules (and the WHERE) only look into by key are read narrowed to those keys.
        let mut map_keys = vec![None; bind.schema.names.len()];
        for (i, keys) in key_uses {
            map_keys[i] = keys.map(Arc::new);
        }
        let schema = Arc::new(bind.schema.with_map_keys(map_keys));
        info.set_max_threads(bind.units.len().clamp(1, 64) as u64);
        Ok(Init {
            pool: ScanPool::new(bind.units.clone()),
            projection,
            wanted: Arc::new(wanted),
            schema,
        })
    }

    fn func(info: &TableFunctionInfo<Self>, out: &mut DataChunkHandle) -> Result<(), Box<dyn Error>> {
        let bind = info.get_bind_data();
        let init = info.get_init_data();
        loop {
            let Some((batch, meta)) = init.pool.next(|u| open_unit(u, &init.schema, &init.wanted))? else {
                out.set_len(0);
                return Ok(());
            };
            let mut batch = period_filter(batch, bind.period_col, &bind.opts.billing_periods);
            // The mapping's WHERE (e.g. Azure keeps one copy of a charge present in both its
            // actual and amortized datasets).
            if let Some(f) = &bind.mapping.filter {
                let keep = f
                    .keep_mask(&batch)
                    .map_err(|e| format!("to_focus: WHERE (rows of {}): {e}", meta.file))?;
                batch = filter_batch(batch, &keep);
            }
            if batch.rows == 0 {
                continue;
            }
            for (k, &c) in init.projection.iter().enumerate() {
                let col = match bind.columns.get(c) {
                    Some(OutputColumn {
                        rule: Some(r), name, ..
                    }) => bind.mapping.columns[*r]
                        .eval(&batch)
                        .map_err(|e| format!("to_focus: {name} (rows of {}): {e}", meta.file))?,
                    Some(OutputColumn { ty, rule: None, .. }) => Column::nulls(*ty, batch.rows),
                    None if Some(c) == bind.filename_col => constant(Some(&meta.file), batch.rows),
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
        p.extend(reader_named_parameters(&provider::all()));
        Some(p)
    }
}
