//! Vendor-to-FOCUS conversion rules as data.
//!
//! A mapping file is a DuckDB `SELECT` list over the raw rows of one vendor export:
//!
//! ```sql
//! -- header comment (kept as Mapping::doc)
//! SELECT
//!     -- documentation of the next item (kept as MappedColumn::doc)
//!     coalesce(line_item_net_unblended_cost, line_item_unblended_cost) AS BilledCost,
//!     'AWS' AS ProviderName
//! FROM source
//! ```
//!
//! The same rules run two ways that must agree value for value: [`MappedColumn::eval`] computes
//! them over column batches inside the extension (no SQL can run inside a table function), and
//! [`Mapping::to_sql`] renders them as self-contained DuckDB SQL for users who transform raw rows
//! themselves. The expression language is a closed, typed subset of DuckDB: only constructs
//! whose DuckDB semantics are reproduced exactly are accepted; anything else fails to compile
//! with its line and column.
//!
//! Types: VARCHAR, DECIMAL (always DECIMAL(38,18)), TIMESTAMPTZ, BOOLEAN, and the two MAP types
//! of the input. Constructs: literals, column references, `map['key']`, searched and simple
//! CASE, comparisons, IS [NOT] NULL, [NOT] IN (literals), [NOT] LIKE 'pattern', AND/OR/NOT,
//! `+ - *` and unary minus on DECIMAL, `||`, CAST (NULL to any type, VARCHAR to DECIMAL, DECIMAL
//! to VARCHAR), and the functions coalesce, nullif, lower, upper, trim, length, concat,
//! starts_with, ends_with, contains, replace, split_part, regexp_extract, regexp_matches, abs,
//! greatest, least, lookup, map_json, map_with_prefix, map_strip_prefix, month_start /
//! month_end (the first instant, UTC, of a TIMESTAMPTZ's or a `YYYYMM` text's month, or of the
//! month after: billing periods with exclusive ends), add_days (`add_days(ts, 1)`: exactly 24 h
//! per day, for exclusive period ends) and `date_trunc('month', ts)` (in UTC).
//!
//! An optional `WHERE cond` after `FROM source` (BOOLEAN; NULL counts as false) keeps only some
//! rows: a vendor that ships one charge in two datasets (Azure actual and amortized) keeps one
//! copy. It is evaluated as a mask over each batch before the columns.
//!
//! Details a rule author meets:
//! * Column names match the input schema exactly (case included); a column named like a keyword
//!   (`end`, `case`...) is written `"end"`. Output names must differ even ignoring case.
//! * NULL takes its type from the context (CASE branches, the other side of a comparison, a
//!   function's parameter); where there is none, write `CAST(NULL AS VARCHAR)`.
//! * Numbers are exact DECIMAL(38,18) literals; `*` rounds half away from zero to 18 decimals
//!   and overflow (|x| >= 10^20) is an evaluation error. There is no `/`.
//! * Patterns (LIKE, regexp_*), part numbers, prefixes, map keys and lookup names are literals.
//!   Regular expressions are RE2, as in DuckDB.
//! * `lookup('table', key, 'column')` reads a CSV given to [`compile`]; empty cells are NULL.
//! * `map_json(m1, m2, ...)`: a JSON object of all entries, later maps winning on duplicate
//!   keys, keys in order of first appearance, NULL or '' values as `true`, NULL if no entries.
//!   `map_strip_prefix` merges the keys it makes collide the same way.
//! * CASE evaluates a branch only for the rows that reach it, coalesce an argument only for the
//!   rows still NULL (as DuckDB), so a guarded `CAST(x AS DECIMAL)` fails only on rows it reads.

mod case_tables;
mod check;
pub(crate) mod decimal;
mod eval;
mod expr;
mod lexer;
mod parser;
mod re2;
mod sql;
pub use sql::{quote_ident, quote_str};
mod text;

#[cfg(test)]
mod tests;

use crate::columnar::{Batch, ColType, Column};
use crate::error::{Error, Result};
use std::collections::HashMap;
use std::sync::Mutex;

/// A column of the raw rows a mapping reads: its name in rules, its slot in [`Batch::columns`].
#[derive(Debug, Clone)]
pub struct InputColumn {
    pub name: String,
    pub index: usize,
    pub ty: ColType,
}

/// A small reference table for `lookup('name', key, 'column')`, from a CSV file whose first
/// column is the key. `columns` are the other columns; `rows[key][i]` is the value of
/// `columns[i]`. An empty cell is NULL: CSV cannot tell NULL from '', and a lookup table has no
/// use for ''.
#[derive(Debug, Clone)]
pub struct LookupTable {
    pub name: String,
    pub key: String,
    pub columns: Vec<String>,
    pub rows: HashMap<String, Vec<String>>,
}

impl LookupTable {
    pub fn from_csv(name: &str, text: &str) -> Result<Self> {
        let bad = |message: String| Error::Mapping {
            mapping: format!("lookup table {name}"),
            message,
        };
        let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
        let header = reader
            .headers()
            .map_err(|e| bad(format!("bad CSV header: {e}")))?
            .clone();
        let mut names = header.iter().map(str::to_string);
        let Some(key) = names.next() else {
            return Err(bad("the CSV has no columns".into()));
        };
        let columns: Vec<String> = names.collect();
        let mut rows = HashMap::new();
        for record in reader.records() {
            let record = record.map_err(|e| bad(format!("bad CSV: {e}")))?;
            let line = record.position().map_or(0, |p| p.line());
            let mut fields = record.iter().map(str::to_string);
            let k = fields.next().unwrap_or_default();
            let values: Vec<String> = fields.collect();
            if rows.insert(k.clone(), values).is_some() {
                return Err(bad(format!("line {line}: duplicate key '{k}'")));
            }
        }
        Ok(LookupTable {
            name: name.to_string(),
            key,
            columns,
            rows,
        })
    }
}

/// A compiled mapping file.
#[derive(Debug)]
pub struct Mapping {
    pub name: String,
    pub doc: String,
    pub columns: Vec<MappedColumn>,
    /// The `WHERE` condition: rows where it is not TRUE produce no output row (a vendor that
    /// ships the same charge in two datasets keeps one copy).
    pub filter: Option<MappedColumn>,
    input_names: HashMap<usize, String>,
}

/// One output column of a mapping.
#[derive(Debug)]
pub struct MappedColumn {
    pub name: String,
    pub doc: String,
    pub ty: ColType,
    /// The expression as written, for rendering SQL.
    expr: expr::Expr,
    /// The same with constant subtrees precomputed, for evaluation.
    plan: expr::Expr,
    inputs: Vec<usize>,
    /// Declared types of the inputs, checked against each batch.
    input_types: Vec<(usize, ColType, String)>,
    mapping: String,
    /// A constant rule's column for the last batch size: copying it beats rebuilding it.
    const_cache: Mutex<Option<Column>>,
}

impl MappedColumn {
    /// Input column indexes this expression reads (for projection pushdown), sorted.
    pub fn inputs(&self) -> &[usize] {
        &self.inputs
    }

    /// Adds the map keys this rule reads to `out` (see [`expr::Expr::map_key_uses`]).
    pub fn map_key_uses(&self, out: &mut HashMap<usize, Option<std::collections::HashSet<String>>>) {
        self.plan.map_key_uses(out);
    }

    /// For the `WHERE` condition: which rows to keep (NULL counts as false, as in SQL).
    pub fn keep_mask(&self, batch: &Batch) -> Result<Vec<bool>> {
        match self.eval(batch)? {
            Column::Bool(v) => Ok(v.iter().map(|b| b.unwrap_or(false)).collect()),
            other => Err(Error::usage(format!(
                "mapping {}: the WHERE condition gave {}, not BOOLEAN",
                self.mapping,
                other.col_type().sql_name()
            ))),
        }
    }

    /// Computes the column for every row of `batch`; `batch.columns[i]` must be present for each
    /// `i` in [`inputs`](Self::inputs).
    pub fn eval(&self, batch: &Batch) -> Result<Column> {
        self.check_batch(batch)?;
        let cx = eval::Ctx {
            batch,
            mapping: &self.mapping,
            column: &self.name,
        };
        let constant = matches!(self.plan.kind, expr::Kind::Const(_));
        if constant {
            if let Ok(cache) = self.const_cache.lock() {
                if let Some(c) = cache.as_ref().filter(|c| c.len() == batch.rows) {
                    return Ok(c.clone());
                }
            }
        }
        let v = eval::eval(&self.plan, &cx, eval::Rows::All(batch.rows))?;
        let column = eval::materialize(v, self.ty, batch.rows)?;
        if constant {
            if let Ok(mut cache) = self.const_cache.lock() {
                *cache = Some(column.clone());
            }
        }
        Ok(column)
    }

    /// The expression as DuckDB SQL over the input columns (identifiers double-quoted).
    pub fn sql(&self) -> String {
        sql::render(&self.expr)
    }

    fn check_batch(&self, batch: &Batch) -> Result<()> {
        for (index, ty, name) in &self.input_types {
            let bad = |what: String| {
                Error::usage(format!(
                    "mapping {} column {}: input column {name} (slot {index}) {what}",
                    self.mapping, self.name
                ))
            };
            let Some(Some(col)) = batch.columns.get(*index) else {
                return Err(bad("is missing from the batch".into()));
            };
            if col.len() != batch.rows {
                return Err(bad(format!("has {} rows, the batch {}", col.len(), batch.rows)));
            }
            if col.col_type() != *ty {
                return Err(bad(format!(
                    "is {}, expected {}",
                    col.col_type().sql_name(),
                    ty.sql_name()
                )));
            }
            if let Column::Map(m) = col {
                let (keys, values) = (m.keys.len(), m.values.len());
                let ok = keys == values && m.bounds.iter().flatten().all(|&(s, e)| s <= e && e <= keys);
                if !ok {
                    return Err(bad("has inconsistent map entries".into()));
                }
            }
        }
        Ok(())
    }
}

impl Mapping {
    /// The mapping as one DuckDB query over `source` (inserted verbatim).
    pub fn to_sql(&self, source: &str) -> String {
        let items: Vec<String> = self
            .columns
            .iter()
            .map(|c| format!("  {} AS {}", c.sql(), sql::quote_ident(&c.name)))
            .collect();
        match &self.filter {
            Some(f) => format!("SELECT\n{}\nFROM {source}\nWHERE {}", items.join(",\n"), f.sql()),
            None => format!("SELECT\n{}\nFROM {source}", items.join(",\n")),
        }
    }

    /// The name rules use for input column `index`.
    pub fn input_name(&self, index: usize) -> Option<&str> {
        self.input_names.get(&index).map(String::as_str)
    }

    /// The union of the columns' inputs, sorted.
    pub fn inputs(&self) -> Vec<usize> {
        let mut all: Vec<usize> = self
            .columns
            .iter()
            .chain(&self.filter)
            .flat_map(|c| c.inputs.iter().copied())
            .collect();
        all.sort_unstable();
        all.dedup();
        all
    }
}

/// Parses and type-checks a mapping file against the input schema and lookup tables.
pub fn compile(name: &str, text: &str, inputs: &[InputColumn], tables: &[LookupTable]) -> Result<Mapping> {
    let name_of_mapping = name;
    let err = |(pos, message): (lexer::Pos, String)| Error::Mapping {
        mapping: name.to_string(),
        message: format!("{pos}: {message}"),
    };
    let file = parser::parse(text).map_err(err)?;
    let mut checker = check::Checker::new(inputs, tables);
    let mut columns: Vec<MappedColumn> = Vec::with_capacity(file.items.len());
    let typed = |name: &str, e: expr::Expr, doc: String| {
        let mut plan = e.clone();
        eval::fold(&mut plan);
        let used = e.inputs();
        let input_types = used
            .iter()
            .filter_map(|i| inputs.iter().find(|c| c.index == *i))
            .map(|c| (c.index, c.ty, c.name.clone()))
            .collect();
        MappedColumn {
            name: name.to_string(),
            doc,
            ty: e.ty,
            inputs: used,
            input_types,
            expr: e,
            plan,
            mapping: name_of_mapping.to_string(),
            const_cache: Mutex::new(None),
        }
    };
    let mut seen: HashMap<String, &str> = HashMap::new();
    for item in &file.items {
        // DuckDB resolves names case-insensitively, so two names differing only in case would
        // collide in the rendered SQL.
        if let Some(prev) = seen.get(&item.name.to_lowercase()) {
            return Err(err((
                item.name_pos,
                format!("duplicate output column {} (see {prev})", item.name),
            )));
        }
        seen.insert(item.name.to_lowercase(), &item.name);
        let e = checker.output(&item.expr).map_err(err)?;
        columns.push(typed(&item.name, e, item.doc.clone()));
    }
    let filter = match &file.filter {
        Some(ast) => Some(typed("WHERE", checker.condition(ast).map_err(err)?, String::new())),
        None => None,
    };
    Ok(Mapping {
        name: name.to_string(),
        doc: file.doc,
        columns,
        filter,
        input_names: inputs.iter().map(|c| (c.index, c.name.clone())).collect(),
    })
}
