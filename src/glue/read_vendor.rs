//! `read_<vendor>(path, ...)` for every provider (`read_aws_cur`, ...): the vendor's rows,
//! cleaned and typed, in its canonical schema. Also the options and scan plumbing `to_focus`
//! shares with the readers.

use crate::columnar::{Batch, ColType, Column, StrCol};
use crate::formats::provider::{ParamType, Provider, ReadOptions};
use crate::formats::reader::{filter_batch, Schema};
use crate::formats::scan::ScanUnit;
use crate::formats::view::View;
use crate::glue::output::{logical_type, node_type, write_column, write_node};
use crate::glue::params;
use crate::glue::scan::{Active, ScanPool, BATCH_ROWS};
use duckdb::core::{DataChunkHandle, LogicalTypeHandle, LogicalTypeId};
use duckdb::vtab::{BindInfo, InitInfo, TableFunctionInfo, VTab};
use std::error::Error;
use std::marker::PhantomData;
use std::sync::Arc;

/// Names a provider at compile time, so one generic table function serves every vendor.
pub trait StaticProvider: Send + Sync + 'static {
    fn get() -> &'static dyn Provider;
}

pub struct FocusFiles;
impl StaticProvider for FocusFiles {
    fn get() -> &'static dyn Provider {
        &crate::formats::focus::Focus
    }
}

pub struct AwsCur;
impl StaticProvider for AwsCur {
    fn get() -> &'static dyn Provider {
        &crate::formats::aws::Aws
    }
}

pub struct AzureCost;
impl StaticProvider for AzureCost {
    fn get() -> &'static dyn Provider {
        &crate::formats::azure::Azure
    }
}

pub struct GcpBilling;
impl StaticProvider for GcpBilling {
    fn get() -> &'static dyn Provider {
        &crate::formats::gcp::Gcp
    }
}

pub struct OciCost;
impl StaticProvider for OciCost {
    fn get() -> &'static dyn Provider {
        &crate::formats::oci::Oci
    }
}

/// Named parameters every reader takes, plus the provider's own.
pub fn reader_named_parameters(providers: &[&dyn Provider]) -> Vec<(String, LogicalTypeHandle)> {
    let mut p: Vec<(String, LogicalTypeHandle)> = vec![
        ("billing_period".into(), LogicalTypeId::Varchar.into()),
        ("all_versions".into(), LogicalTypeId::Boolean.into()),
        ("filename".into(), LogicalTypeId::Boolean.into()),
        // Object storage (s3://): override the AWS chain's region, a custom S3-compatible
        // endpoint (path-style), the named profile of ~/.aws/config.
        ("region".into(), LogicalTypeId::Varchar.into()),
        ("endpoint".into(), LogicalTypeId::Varchar.into()),
        ("profile".into(), LogicalTypeId::Varchar.into()),
    ];
    for prov in providers {
        for (name, ty) in prov.parameters() {
            if p.iter().any(|(n, _)| n == name) {
                continue;
            }
            let t = match ty {
                ParamType::Varchar => LogicalTypeId::Varchar,
                ParamType::Boolean => LogicalTypeId::Boolean,
            };
            p.push((name.to_string(), t.into()));
        }
    }
    p
}

/// Reads the shared options (and every declared vendor parameter that was given).
pub fn read_options(bind: &BindInfo, providers: &[&dyn Provider]) -> Result<(ReadOptions, bool), Box<dyn Error>> {
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
    let mut extra = std::collections::HashMap::new();
    for prov in providers {
        for (name, _) in prov.parameters() {
            if let Some(v) = bind.get_named_parameter(name).filter(|v| !v.is_null()) {
                extra.insert(name.to_string(), v.to_string());
            }
        }
    }
    let opts = ReadOptions {
        all_versions: params::named_bool(bind, "all_versions", false),
        billing_periods: periods,
        extra,
    };
    Ok((opts, params::named_bool(bind, "filename", false)))
}

pub fn paths_param(bind: &BindInfo, func: &str) -> Result<Vec<String>, Box<dyn Error>> {
    let paths = params::positional_strs(bind, 0);
    if paths.is_empty() {
        return Err(format!("{func}: give a file, glob, folder or list of them, e.g. {func}('exports/')").into());
    }
    configure_object_storage(bind, &paths, func)?;
    Ok(paths)
}

/// Hands `region`, `endpoint` and `profile` to the object-store layer for every bucket or
/// container the paths name. Given where they cannot apply they are an error: silently ignoring
/// them would hide a typo.
fn configure_object_storage(bind: &BindInfo, paths: &[String], func: &str) -> Result<(), Box<dyn Error>> {
    use crate::io::location::{Location, Scheme};
    let region = params::named_str(bind, "region");
    let endpoint = params::named_str(bind, "endpoint");
    let profile = params::named_str(bind, "profile");
    let mut objects = Vec::new();
    for p in paths {
        if let Location::Object(o) = Location::of(std::path::Path::new(p))? {
            objects.push(o);
        }
    }
    let any_s3 = objects.iter().any(|o| o.scheme == Scheme::S3);
    if (region.is_some() || profile.is_some()) && !any_s3 {
        return Err(format!("{func}: region and profile apply to s3:// paths only").into());
    }
    if endpoint.is_some() && objects.is_empty() {
        return Err(format!("{func}: endpoint applies to s3:// and az:// paths only").into());
    }
    if let Some(e) = &endpoint {
        if !(e.starts_with("http://") || e.starts_with("https://")) {
            return Err(format!("{func}: endpoint must be a URL such as 'http://127.0.0.1:9000', got '{e}'").into());
        }
    }
    for o in &objects {
        match o.scheme {
            #[cfg(feature = "s3")]
            Scheme::S3 => crate::io::s3::configure(
                o.bucket,
                crate::io::s3::Settings {
                    region: region.clone(),
                    endpoint: endpoint.clone(),
                    profile: profile.clone(),
                },
            ),
            #[cfg(feature = "cloud")]
            Scheme::Azure | Scheme::Gcs => crate::io::cloud::configure(
                o.root,
                crate::io::cloud::Settings {
                    endpoint: endpoint.clone(),
                },
            ),
            #[allow(unreachable_patterns)]
            _ => {}
        }
    }
    Ok(())
}

/// Where a batch came from.
#[derive(Clone)]
pub struct UnitMeta {
    pub file: Arc<str>,
    pub assembly: Option<Arc<str>>,
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

/// The `billing_period` filter on rows: the provider's period column in the requested months.
pub fn period_filter(batch: Batch, period_col: Option<usize>, periods: &[String]) -> Batch {
    let Some(period_col) = period_col.filter(|_| !periods.is_empty()) else {
        return batch;
    };
    let keep: Vec<bool> = match &batch.columns[period_col] {
        Some(Column::Ts(ts)) => ts
            .iter()
            .map(|t| {
                t.is_some_and(|t| {
                    let days = t.div_euclid(crate::formats::values::MICROS_PER_DAY);
                    let (y, m, _) = crate::formats::values::civil_from_days(days);
                    let month = format!("{y:04}-{m:02}");
                    periods.contains(&month)
                })
            })
            .collect(),
        _ => vec![true; batch.rows],
    };
    filter_batch(batch, &keep)
}

pub struct ReadVendor<P>(PhantomData<P>);

pub struct Bind {
    units: Vec<ScanUnit>,
    schema: Arc<Schema>,
    /// The nested shape of the output (read_gcp_billing); None: the canonical columns as such.
    view: Option<&'static View>,
    /// Output columns before the extras (filename, assembly_id).
    outputs: usize,
    opts: ReadOptions,
    extra_filename: Option<usize>,
    extra_assembly: Option<usize>,
    period_col: Option<usize>,
}

pub struct Init {
    pool: ScanPool<ScanUnit, UnitMeta>,
    projection: Vec<usize>,
    /// Canonical columns the readers must produce (projection pushdown).
    wanted: Arc<Vec<bool>>,
}

impl<P: StaticProvider> VTab for ReadVendor<P> {
    type BindData = Bind;
    type InitData = Init;

    fn bind(bind: &BindInfo) -> Result<Bind, Box<dyn Error>> {
        let prov = P::get();
        let func = prov.reader_function();
        let paths = paths_param(bind, func)?;
        let (opts, filename) = read_options(bind, &[prov])?;
        let schema = prov.schema()?;
        let units = prov.discover(&paths, &opts).map_err(|e| format!("{func}: {e}"))?;
        let view = prov.view()?;
        match view {
            Some(v) => v
                .columns
                .iter()
                .for_each(|(name, node)| bind.add_result_column(name, node_type(node))),
            None => {
                for (name, ty) in schema.names.iter().zip(&schema.types) {
                    bind.add_result_column(name, logical_type(*ty));
                }
            }
        }
        let outputs = view.map_or(schema.names.len(), |v| v.columns.len());
        let mut next = outputs;
        let mut extra = |on: bool, name: &str| {
            on.then(|| {
                bind.add_result_column(name, logical_type(ColType::Varchar));
                next += 1;
                next - 1
            })
        };
        let extra_filename = extra(filename, "filename");
        let extra_assembly = extra(opts.all_versions, "assembly_id");
        if let Some(rows) = units.iter().map(|u| u.rows).sum::<Option<u64>>() {
            bind.set_cardinality(rows, false);
        }
        let period_col = prov.billing_period_column().and_then(|c| schema.index_of(c));
        Ok(Bind {
            units,
            schema,
            view,
            outputs,
            opts,
            extra_filename,
            extra_assembly,
            period_col,
        })
    }

    fn init(info: &InitInfo) -> Result<Init, Box<dyn Error>> {
        let bind = unsafe { &*info.get_bind_data::<Bind>() };
        let projection: Vec<usize> = info.get_column_indices().into_iter().map(|i| i as usize).collect();
        let mut wanted = vec![false; bind.schema.names.len()];
        for &c in projection.iter().filter(|&&c| c < bind.outputs) {
            match bind.view {
                Some(v) => {
                    let mut inputs = Vec::new();
                    v.columns[c].1.inputs(&mut inputs);
                    inputs.into_iter().for_each(|i| wanted[i] = true);
                }
                None => wanted[c] = true,
            }
        }
        if let Some(p) = bind.period_col.filter(|_| !bind.opts.billing_periods.is_empty()) {
            wanted[p] = true;
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
        let n = bind.outputs;
        loop {
            let Some((batch, meta)) = init.pool.next(|u| open_unit(u, &bind.schema, &init.wanted))? else {
                out.set_len(0);
                return Ok(());
            };
            let batch = period_filter(batch, bind.period_col, &bind.opts.billing_periods);
            if batch.rows == 0 {
                continue;
            }
            for (k, &c) in init.projection.iter().enumerate() {
                if c < n {
                    match bind.view {
                        Some(v) => write_node(out, k, &v.columns[c].1, &batch, 0..batch.rows)?,
                        None => {
                            if let Some(col) = &batch.columns[c] {
                                write_column(out, k, col, 0..batch.rows);
                            }
                        }
                    }
                } else {
                    let v = if Some(c) == bind.extra_filename {
                        Some(meta.file.to_string())
                    } else if Some(c) == bind.extra_assembly {
                        meta.assembly.as_deref().map(str::to_string)
                    } else {
                        None
                    };
                    write_column(out, k, &constant(v.as_deref(), batch.rows), 0..batch.rows);
                }
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
        Some(reader_named_parameters(&[P::get()]))
    }
}

pub fn constant(v: Option<&str>, rows: usize) -> Column {
    let mut s = StrCol::with_capacity(rows);
    for _ in 0..rows {
        s.push(v);
    }
    Column::Str(s)
}
