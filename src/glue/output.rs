//! Writing [`Column`]s into DuckDB output vectors, and the DuckDB types that go with them.

use crate::columnar::{ColType, Column, ListCol, MapCol, StrCol, DECIMAL_SCALE, DECIMAL_WIDTH};
use duckdb::core::{DataChunkHandle, FlatVector, Inserter, LogicalTypeHandle, LogicalTypeId};
use libduckdb_sys::duckdb_hugeint;

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

/// Writes rows `range` of `col` into output column `idx` of `out`, from output row 0.
pub fn write_column(out: &mut DataChunkHandle, idx: usize, col: &Column, range: std::ops::Range<usize>) {
    match col {
        Column::Map(m) => write_map(out, idx, m, range),
        Column::List(l) => write_list(out, idx, l, range),
        _ => {
            let mut v = out.flat_vector(idx);
            write_flat(&mut v, col, range);
        }
    }
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

fn write_map(out: &mut DataChunkHandle, idx: usize, m: &MapCol, range: std::ops::Range<usize>) {
    let (first, last) = child_span(&m.bounds, &range);
    let total = last - first;
    let mut list = out.list_vector(idx);
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
    list: &mut duckdb::core::ListVector,
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

fn write_list(out: &mut DataChunkHandle, idx: usize, l: &ListCol, range: std::ops::Range<usize>) {
    let (first, last) = child_span(&l.bounds, &range);
    let total = last - first;
    let mut list = out.list_vector(idx);
    let mut items = list.child(total.max(1));
    write_str(&mut items, &l.items, first..last);
    set_list_entries(&mut list, &l.bounds, range, first);
    list.set_len(total);
}
