//! Writing [`Column`]s into DuckDB output vectors, and the DuckDB types that go with them;
//! also nested views ([`Node`]): STRUCTs of canonical columns and LIST(STRUCT)s decoded from
//! their JSON text.

use crate::columnar::{Batch, ColType, Column, ListCol, MapCol, StrCol, DECIMAL_SCALE, DECIMAL_WIDTH};
use crate::formats::view::{decode_records, Node};
use duckdb::core::{DataChunkHandle, FlatVector, Inserter, ListVector, LogicalTypeHandle, LogicalTypeId, StructVector};
use libduckdb_sys::duckdb_hugeint;

/// Where a column goes: a top-level output column, or a field of a STRUCT vector.
#[derive(Clone, Copy)]
enum Slot<'a> {
    Top(&'a DataChunkHandle, usize),
    Field(&'a StructVector<'a>, usize),
}

impl<'a> Slot<'a> {
    /// A flat vector for `rows` values.
    fn flat(self, rows: usize) -> FlatVector<'a> {
        match self {
            Slot::Top(out, i) => out.flat_vector(i),
            Slot::Field(s, i) => s.child(i, rows),
        }
    }
    fn list(self) -> ListVector<'a> {
        match self {
            Slot::Top(out, i) => out.list_vector(i),
            Slot::Field(s, i) => s.list_vector_child(i),
        }
    }
    fn strukt(self) -> StructVector<'a> {
        match self {
            Slot::Top(out, i) => out.struct_vector(i),
            Slot::Field(s, i) => s.struct_vector_child(i),
        }
    }
}

pub fn logical_type(ty: ColType) -> LogicalTypeHandle {
    let varchar = || LogicalTypeHandle::from(LogicalTypeId::Varchar);
    let decimal = || LogicalTypeHandle::decimal(DECIMAL_WIDTH, DECIMAL_SCALE);
    match ty {
        ColType::Varchar => varchar(),
        ColType::Decimal => decimal(),
        ColType::TimestampTz => LogicalTypeId::TimestampTZ.into(),
        ColType::Boolean => LogicalTypeId::Boolean.into(),
        ColType::MapVarchar => LogicalTypeHandle::map(&varchar(), &varchar()),
        ColType::MapDecimal => LogicalTypeHandle::map(&varchar(), &decimal()),
        ColType::ListVarchar => LogicalTypeHandle::list(&varchar()),
    }
}

/// The DuckDB type of a view node.
pub fn node_type(node: &Node) -> LogicalTypeHandle {
    let strukt = |fields: Vec<(&str, LogicalTypeHandle)>| LogicalTypeHandle::struct_type(&fields);
    match node {
        Node::Column { ty, .. } => logical_type(*ty),
        Node::Struct(fields) => strukt(fields.iter().map(|(n, t)| (n.as_str(), node_type(t))).collect()),
        Node::Records { fields, .. } => LogicalTypeHandle::list(&strukt(
            fields.iter().map(|(n, t)| (n.as_str(), logical_type(*t))).collect(),
        )),
    }
}

/// Writes rows `range` of `col` into output column `idx` of `out`, from output row 0.
pub fn write_column(out: &mut DataChunkHandle, idx: usize, col: &Column, range: std::ops::Range<usize>) {
    write_slot(Slot::Top(out, idx), col, range);
}

fn write_slot(slot: Slot, col: &Column, range: std::ops::Range<usize>) {
    match col {
        Column::Map(m) => write_map(slot.list(), m, range),
        Column::List(l) => write_list(slot.list(), l, range),
        _ => {
            let mut v = slot.flat(range.len());
            write_flat(&mut v, col, range);
        }
    }
}

/// Writes rows `range` of the batch, as view node `node`, into output column `idx`.
/// Errors only on a batch that lacks a column the node reads, or records text that is not
/// what the reader wrote (both bugs, reported rather than panicking).
pub fn write_node(
    out: &mut DataChunkHandle,
    idx: usize,
    node: &Node,
    batch: &Batch,
    range: std::ops::Range<usize>,
) -> Result<(), String> {
    write_node_at(Slot::Top(out, idx), node, batch, range)
}

fn column(batch: &Batch, index: usize) -> Result<&Column, String> {
    batch
        .columns
        .get(index)
        .and_then(Option::as_ref)
        .ok_or_else(|| format!("internal error: canonical column {index} was not read"))
}

fn write_node_at(slot: Slot, node: &Node, batch: &Batch, range: std::ops::Range<usize>) -> Result<(), String> {
    match node {
        Node::Column { index, .. } => write_slot(slot, column(batch, *index)?, range),
        Node::Struct(fields) => {
            let mut s = slot.strukt();
            for (i, (_, child)) in fields.iter().enumerate() {
                write_node_at(Slot::Field(&s, i), child, batch, range.clone())?;
            }
            for (o, row) in range.enumerate() {
                if is_null(node, batch, row)? {
                    s.set_null(o);
                }
            }
        }
        Node::Records { index, fields } => {
            let Column::Str(text) = column(batch, *index)? else {
                return Err(format!("internal error: canonical column {index} is not text"));
            };
            let rec = decode_records(text, range, fields)?;
            let total = rec.bounds.iter().flatten().last().map_or(0, |b| b.1);
            let mut list = slot.list();
            let items = list.struct_child(total.max(1));
            for (i, col) in rec.fields.iter().enumerate() {
                let mut v = items.child(i, total.max(1));
                write_flat(&mut v, col, 0..total);
            }
            for (o, b) in rec.bounds.iter().enumerate() {
                match b {
                    Some((s, e)) => list.set_entry(o, *s, e - s),
                    None => {
                        list.set_entry(o, 0, 0);
                        list.set_null(o);
                    }
                }
            }
            list.set_len(total);
        }
    }
    Ok(())
}

/// A record is NULL where every field is NULL.
fn is_null(node: &Node, batch: &Batch, row: usize) -> Result<bool, String> {
    Ok(match node {
        Node::Column { index, .. } | Node::Records { index, .. } => column(batch, *index)?.is_null(row),
        Node::Struct(fields) => {
            for (_, child) in fields {
                if !is_null(child, batch, row)? {
                    return Ok(false);
                }
            }
            true
        }
    })
}

/// Writes rows `range` of a non-map column to `v`, starting at position 0.
fn write_flat(v: &mut FlatVector, col: &Column, range: std::ops::Range<usize>) {
    match col {
        Column::Str(s) => write_str(v, s, range),
        Column::Dec(d) => {
            // DuckDB stores DECIMAL(38, s) as a hugeint: (lower u64, upper i64).
            let slice = unsafe { v.as_mut_slice_with_len::<duckdb_hugeint>(range.len()) };
            let mut nulls = Vec::new();
            for (o, i) in range.enumerate() {
                match d[i] {
                    Some(x) => {
                        slice[o] = duckdb_hugeint {
                            lower: x as u64,
                            upper: (x >> 64) as i64,
                        }
                    }
                    None => nulls.push(o),
                }
            }
            for o in nulls {
                v.set_null(o);
            }
        }
        Column::Ts(t) => {
            let slice = unsafe { v.as_mut_slice_with_len::<i64>(range.len()) };
            let mut nulls = Vec::new();
            for (o, i) in range.enumerate() {
                match t[i] {
                    Some(x) => slice[o] = x,
                    None => nulls.push(o),
                }
            }
            for o in nulls {
                v.set_null(o);
            }
        }
        Column::Bool(b) => {
            let slice = unsafe { v.as_mut_slice_with_len::<bool>(range.len()) };
            let mut nulls = Vec::new();
            for (o, i) in range.enumerate() {
                match b[i] {
                    Some(x) => slice[o] = x,
                    None => nulls.push(o),
                }
            }
            for o in nulls {
                v.set_null(o);
            }
        }
        // Nested types never nest further in our schemas; they are written by their own writers.
        Column::Map(_) | Column::List(_) => {}
    }
}

fn write_str(v: &mut FlatVector, s: &StrCol, range: std::ops::Range<usize>) {
    for (o, i) in range.enumerate() {
        match s.get(i) {
            Some(x) => v.insert(o, x),
            None => v.set_null(o),
        }
    }
}

fn write_map(mut list: ListVector, m: &MapCol, range: std::ops::Range<usize>) {
    let (first, last) = child_span(&m.bounds, &range);
    let total = last - first;
    let entries = list.struct_child(total.max(1));
    let mut keys = entries.child(0, total.max(1));
    let mut values = entries.child(1, total.max(1));
    write_str(&mut keys, &m.keys, first..last);
    write_flat(&mut values, &m.values, first..last);
    set_list_entries(&mut list, &m.bounds, range, first);
    list.set_len(total);
}

/// The child range that rows `range` of a list-shaped column occupy (rows push children in order).
fn child_span(bounds: &[Option<(usize, usize)>], range: &std::ops::Range<usize>) -> (usize, usize) {
    let first = range.clone().find_map(|r| bounds[r].map(|b| b.0)).unwrap_or(0);
    let last = range
        .clone()
        .rev()
        .find_map(|r| bounds[r].map(|b| b.1))
        .unwrap_or(first);
    (first, last)
}

fn set_list_entries(
    list: &mut ListVector,
    bounds: &[Option<(usize, usize)>],
    range: std::ops::Range<usize>,
    first: usize,
) {
    for (o, row) in range.enumerate() {
        match bounds[row] {
            Some((s, e)) => list.set_entry(o, s - first, e - s),
            None => {
                list.set_entry(o, 0, 0);
                list.set_null(o);
            }
        }
    }
}

fn write_list(mut list: ListVector, l: &ListCol, range: std::ops::Range<usize>) {
    let (first, last) = child_span(&l.bounds, &range);
    let total = last - first;
    let mut items = list.child(total.max(1));
    write_str(&mut items, &l.items, first..last);
    set_list_entries(&mut list, &l.bounds, range, first);
    list.set_len(total);
}
