//! `focus_mapping(provider, focus_version := '1.2')` lists the conversion rules, and
//! `focus_sql(provider, source := 'source', focus_version := '1.2')` gives them as one SQL
//! statement, for reviewers and for engines without the extension (Spark, dbt over raw tables).

use crate::columnar::{ColType, Column, StrCol};
use crate::focus::catalog;
use crate::focus::convert::{output_columns, render_sql};
use crate::formats::provider::Provider;
use crate::glue::params;
use crate::glue::static_table::{StaticFunction, StaticRows};
use crate::mapping::Mapping;
use duckdb::core::{LogicalTypeHandle, LogicalTypeId};
use duckdb::vtab::BindInfo;
use std::error::Error;

pub const MAPPING_DESCRIPTION: &str = "The rules that turn a provider's rows into FOCUS: one row per output column with its type, source expression (DuckDB SQL over the provider's canonical columns) and the reasoning.";
pub const SQL_DESCRIPTION: &str = "The whole conversion as one SQL statement over a table of canonical rows (the output of read_aws_cur, read_azure_cost, ...), for engines without the extension.";

type Resolved = (&'static dyn Provider, &'static Mapping, &'static str);

fn provider_mapping(bind: &BindInfo, func: &str) -> Result<Resolved, Box<dyn Error>> {
    let provider = params::positional_strs(bind, 0)
        .into_iter()
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let version = params::named_str(bind, "focus_version").unwrap_or_else(|| catalog::DEFAULT_VERSION.into());
    let version = catalog::resolve_version(&version).map_err(|e| format!("{func}: {e}"))?;
    let prov = crate::formats::provider::by_name(&provider).map_err(|e| format!("{func}: {e}"))?;
    Ok((prov, prov.mapping()?, version))
}

fn str_col<'a>(values: impl Iterator<Item = Option<&'a str>>) -> Column {
    let mut c = StrCol::default();
    for v in values {
        c.push(v);
    }
    Column::Str(c)
}

pub struct FocusMapping;

impl StaticFunction for FocusMapping {
    fn bind(bind: &BindInfo) -> Result<StaticRows, Box<dyn Error>> {
        let (_, m, version) = provider_mapping(bind, "focus_mapping")?;
        let cols = output_columns(m, version)?;
        let exprs: Vec<Option<String>> = cols.iter().map(|c| c.rule.map(|r| m.columns[r].sql())).collect();
        let docs: Vec<Option<&str>> = cols
            .iter()
            .map(|c| c.rule.map(|r| m.columns[r].doc.as_str()).filter(|d| !d.is_empty()))
            .collect();
        let inputs: Vec<Option<String>> = cols
            .iter()
            .map(|c| {
                c.rule.map(|r| {
                    let mut names: Vec<&str> = m.columns[r].inputs().iter().filter_map(|i| m.input_name(*i)).collect();
                    names.sort();
                    names.dedup();
                    names.join(", ")
                })
            })
            .collect();
        Ok(StaticRows::declare(
            bind,
            &[
                ("column_name", ColType::Varchar),
                ("data_type", ColType::Varchar),
                ("expression", ColType::Varchar),
                ("source_columns", ColType::Varchar),
                ("notes", ColType::Varchar),
            ],
            vec![
                str_col(cols.iter().map(|c| Some(c.name.as_str()))),
                str_col(cols.iter().map(|c| Some(c.ty.sql_name()))),
                str_col(exprs.iter().map(|e| e.as_deref())),
                str_col(inputs.iter().map(|e| e.as_deref())),
                str_col(docs.into_iter()),
            ],
        ))
    }

    fn parameters() -> Option<Vec<LogicalTypeHandle>> {
        Some(vec![LogicalTypeId::Varchar.into()])
    }

    fn named_parameters() -> Option<Vec<(String, LogicalTypeHandle)>> {
        Some(vec![("focus_version".into(), LogicalTypeId::Varchar.into())])
    }
}

pub struct FocusSql;

impl StaticFunction for FocusSql {
    fn bind(bind: &BindInfo) -> Result<StaticRows, Box<dyn Error>> {
        let (prov, m, version) = provider_mapping(bind, "focus_sql")?;
        let source = params::named_str(bind, "source").unwrap_or_else(|| "source".into());
        // Nested readers (read_gcp_billing): the rules read the flat canonical columns, which
        // the provider derives from the nested ones in a subquery.
        let sql = render_sql(m, version, &prov.sql_source(&source)?)?;
        Ok(StaticRows::declare(
            bind,
            &[("sql", ColType::Varchar)],
            vec![str_col(std::iter::once(Some(sql.as_str())))],
        ))
    }

    fn parameters() -> Option<Vec<LogicalTypeHandle>> {
        Some(vec![LogicalTypeId::Varchar.into()])
    }

    fn named_parameters() -> Option<Vec<(String, LogicalTypeHandle)>> {
        Some(vec![
            ("focus_version".into(), LogicalTypeId::Varchar.into()),
            ("source".into(), LogicalTypeId::Varchar.into()),
        ])
    }
}
