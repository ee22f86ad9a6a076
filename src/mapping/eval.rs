//! Vectorised evaluation of a typed [`Expr`] over a [`Batch`].
//!
//! Every node is evaluated for a set of rows at once: all rows of the batch, or a selection
//! (absolute row numbers) when CASE or coalesce only needs some of them. Like DuckDB, CASE
//! evaluates a branch only for the rows that reach it and coalesce an argument only for the rows
//! still NULL, so a CAST or an overflow in an untaken branch is not an error. Results stay
//! constants or borrowed input columns where possible; only computed values are allocated, one
//! buffer per column.

use super::decimal;
use super::expr::{ArithOp, CmpOp, Expr, Func, Kind, Lit};
use super::text;
use crate::columnar::{Batch, ColType, Column, MapCol, StrCol, DECIMAL_ONE};
use crate::error::{Error, Position, Result};
use crate::formats::values::{civil_from_days, days_from_civil, MICROS_PER_DAY};
use std::cmp::Ordering;
use std::collections::HashMap;

/// What errors name: the mapping and the output column being computed.
pub struct Ctx<'a> {
    pub batch: &'a Batch,
    pub mapping: &'a str,
    pub column: &'a str,
}

impl Ctx<'_> {
    fn error(&self, message: impl std::fmt::Display) -> Error {
        Error::data(Position::file(self.mapping), format!("{}: {message}", self.column))
    }
}

fn internal(what: &str) -> Error {
    Error::usage(format!("internal error in mapping evaluation: {what}"))
}

/// The rows a node is evaluated for. Results hold one value per row, in this order.
#[derive(Clone, Copy)]
pub enum Rows<'s> {
    All(usize),
    Sel(&'s [u32]),
}

impl Rows<'_> {
    pub fn len(&self) -> usize {
        match self {
            Rows::All(n) => *n,
            Rows::Sel(s) => s.len(),
        }
    }
    fn to_vec(self) -> Vec<u32> {
        match self {
            Rows::All(n) => (0..n as u32).collect(),
            Rows::Sel(s) => s.to_vec(),
        }
    }
}

pub enum Val<'a> {
    /// NULL in every row.
    Null,
    /// The same non-NULL value in every row.
    Lit(&'a Lit),
    /// An input column, unchanged (only when evaluating all rows).
    Ref(&'a Column),
    Own(Column),
}

impl Val<'_> {
    fn column(&self) -> Option<&Column> {
        match self {
            Val::Ref(c) => Some(c),
            Val::Own(c) => Some(c),
            _ => None,
        }
    }
}

#[derive(Clone, Copy)]
pub enum StrV<'v> {
    Null,
    Const(&'v str),
    Col(&'v StrCol),
}

impl<'v> StrV<'v> {
    #[inline]
    fn get(self, i: usize) -> Option<&'v str> {
        match self {
            StrV::Null => None,
            StrV::Const(s) => Some(s),
            StrV::Col(c) => c.get(i),
        }
    }
}

#[derive(Clone, Copy)]
pub enum NumV<'v, T: Copy> {
    Null,
    Const(T),
    Col(&'v [Option<T>]),
}

impl<T: Copy> NumV<'_, T> {
    #[inline]
    fn get(self, i: usize) -> Option<T> {
        match self {
            NumV::Null => None,
            NumV::Const(v) => Some(v),
            NumV::Col(c) => c[i],
        }
    }
}

#[derive(Clone, Copy)]
enum AnyV<'v> {
    Str(StrV<'v>),
    Dec(NumV<'v, i128>),
    Ts(NumV<'v, i64>),
    Bool(NumV<'v, bool>),
}

impl AnyV<'_> {
    fn is_null(self, i: usize) -> bool {
        match self {
            AnyV::Str(v) => v.get(i).is_none(),
            AnyV::Dec(v) => v.get(i).is_none(),
            AnyV::Ts(v) => v.get(i).is_none(),
            AnyV::Bool(v) => v.get(i).is_none(),
        }
    }
}

fn str_v<'v>(v: &'v Val<'_>) -> Result<StrV<'v>> {
    Ok(match v {
        Val::Null => StrV::Null,
        Val::Lit(Lit::Str(s)) => StrV::Const(s),
        _ => match v.column() {
            Some(Column::Str(c)) => StrV::Col(c),
            _ => return Err(internal("expected VARCHAR")),
        },
    })
}

fn dec_v<'v>(v: &'v Val<'_>) -> Result<NumV<'v, i128>> {
    Ok(match v {
        Val::Null => NumV::Null,
        Val::Lit(Lit::Dec(d)) => NumV::Const(*d),
        _ => match v.column() {
            Some(Column::Dec(c)) => NumV::Col(c),
            _ => return Err(internal("expected DECIMAL")),
        },
    })
}

fn ts_v<'v>(v: &'v Val<'_>) -> Result<NumV<'v, i64>> {
    Ok(match v {
        Val::Null => NumV::Null,
        Val::Lit(Lit::Ts(t)) => NumV::Const(*t),
        _ => match v.column() {
            Some(Column::Ts(c)) => NumV::Col(c),
            _ => return Err(internal("expected TIMESTAMPTZ")),
        },
    })
}

fn bool_v<'v>(v: &'v Val<'_>) -> Result<NumV<'v, bool>> {
    Ok(match v {
        Val::Null => NumV::Null,
        Val::Lit(Lit::Bool(b)) => NumV::Const(*b),
        _ => match v.column() {
            Some(Column::Bool(c)) => NumV::Col(c),
            _ => return Err(internal("expected BOOLEAN")),
        },
    })
}

fn map_v<'v>(v: &'v Val<'_>) -> Result<Option<&'v MapCol>> {
    match v {
        Val::Null => Ok(None),
        _ => match v.column() {
            Some(Column::Map(m)) => Ok(Some(m)),
            _ => Err(internal("expected MAP")),
        },
    }
}

fn any_v<'v>(v: &'v Val<'_>, ty: ColType) -> Result<AnyV<'v>> {
    Ok(match ty {
        ColType::Varchar => AnyV::Str(str_v(v)?),
        ColType::Decimal => AnyV::Dec(dec_v(v)?),
        ColType::TimestampTz => AnyV::Ts(ts_v(v)?),
        ColType::Boolean => AnyV::Bool(bool_v(v)?),
        _ => return Err(internal("expected a scalar type")),
    })
}

/// Column-at-a-time output for the scalar types, filled from views.
enum Builder {
    Str(StrCol),
    Dec(Vec<Option<i128>>),
    Ts(Vec<Option<i64>>),
    Bool(Vec<Option<bool>>),
}

impl Builder {
    fn new(ty: ColType, n: usize) -> Result<Self> {
        Ok(match ty {
            ColType::Varchar => Builder::Str(StrCol::with_capacity(n)),
            ColType::Decimal => Builder::Dec(Vec::with_capacity(n)),
            ColType::TimestampTz => Builder::Ts(Vec::with_capacity(n)),
            ColType::Boolean => Builder::Bool(Vec::with_capacity(n)),
            _ => return Err(internal("builder for a non-scalar type")),
        })
    }
    fn push_null(&mut self) {
        match self {
            Builder::Str(c) => c.push(None),
            Builder::Dec(v) => v.push(None),
            Builder::Ts(v) => v.push(None),
            Builder::Bool(v) => v.push(None),
        }
    }
    #[inline]
    fn push_from(&mut self, v: AnyV<'_>, i: usize) {
        match (self, v) {
            (Builder::Str(c), AnyV::Str(s)) => c.push(s.get(i)),
            (Builder::Dec(c), AnyV::Dec(s)) => c.push(s.get(i)),
            (Builder::Ts(c), AnyV::Ts(s)) => c.push(s.get(i)),
            (Builder::Bool(c), AnyV::Bool(s)) => c.push(s.get(i)),
            (b, _) => b.push_null(),
        }
    }
    fn finish(self) -> Column {
        match self {
            Builder::Str(c) => Column::Str(c),
            Builder::Dec(v) => Column::Dec(v),
            Builder::Ts(v) => Column::Ts(v),
            Builder::Bool(v) => Column::Bool(v),
        }
    }
}

/// Turns a node's result into a full column of `n` rows.
pub fn materialize(v: Val<'_>, ty: ColType, n: usize) -> Result<Column> {
    Ok(match v {
        Val::Null => Column::nulls(ty, n),
        Val::Ref(c) => c.clone(),
        Val::Own(c) => c,
        Val::Lit(l) => {
            let mut b = Builder::new(ty, n)?;
            let one = Val::Lit(l);
            let view = any_v(&one, ty)?;
            for _ in 0..n {
                b.push_from(view, 0);
            }
            b.finish()
        }
    })
}

/// Copies the selected rows of a column.
fn gather(col: &Column, sel: &[u32]) -> Column {
    match col {
        Column::Str(c) => {
            let mut out = StrCol::with_capacity(sel.len());
            for &i in sel {
                out.push(c.get(i as usize));
            }
            Column::Str(out)
        }
        Column::Dec(v) => Column::Dec(sel.iter().map(|&i| v[i as usize]).collect()),
        Column::Ts(v) => Column::Ts(sel.iter().map(|&i| v[i as usize]).collect()),
        Column::Bool(v) => Column::Bool(sel.iter().map(|&i| v[i as usize]).collect()),
        Column::Map(m) => {
            let mut out = MapCol::new(value_type(m), sel.len());
            for &i in sel {
                match m.entries(i as usize) {
                    Some(r) => {
                        let start = out.keys.len();
                        for j in r {
                            out.keys.push(m.keys.get(j));
                            push_value(&mut out.values, &m.values, j);
                        }
                        out.bounds.push(Some((start, out.keys.len())));
                    }
                    None => out.bounds.push(None),
                }
            }
            Column::Map(out)
        }
        Column::List(l) => {
            let mut out = crate::columnar::ListCol::default();
            for &i in sel {
                match l.bounds[i as usize] {
                    Some((s, e)) => {
                        let items: Vec<&str> = (s..e).map(|j| l.items.get(j).unwrap_or_default()).collect();
                        out.push(Some(&items));
                    }
                    None => out.push(None),
                }
            }
            Column::List(out)
        }
    }
}

fn value_type(m: &MapCol) -> ColType {
    match *m.values {
        Column::Dec(_) => ColType::Decimal,
        _ => ColType::Varchar,
    }
}

fn push_value(dst: &mut Column, src: &Column, j: usize) {
    match (dst, src) {
        (Column::Str(d), Column::Str(s)) => d.push(s.get(j)),
        (Column::Dec(d), Column::Dec(s)) => d.push(s[j]),
        (d, _) => d.push_null(),
    }
}

fn bools(out: Vec<Option<bool>>) -> Val<'static> {
    Val::Own(Column::Bool(out))
}

pub fn eval<'a>(e: &'a Expr, cx: &Ctx<'a>, rows: Rows<'_>) -> Result<Val<'a>> {
    let n = rows.len();
    Ok(match &e.kind {
        Kind::Const(None) => Val::Null,
        Kind::Const(Some(l)) => Val::Lit(l),
        Kind::Column { index, name } => {
            let Some(Some(col)) = cx.batch.columns.get(*index) else {
                return Err(internal(&format!("input column {name} is missing from the batch")));
            };
            match rows {
                Rows::All(_) => Val::Ref(col),
                Rows::Sel(sel) => Val::Own(gather(col, sel)),
            }
        }
        Kind::MapGet { map, key } => {
            let m = eval(map, cx, rows)?;
            map_get(map_v(&m)?, key, e.ty, n)?
        }
        Kind::Case { whens, otherwise } => case(e.ty, None, whens, otherwise.as_deref(), cx, rows)?,
        Kind::SimpleCase {
            operand,
            whens,
            otherwise,
        } => case(e.ty, Some(operand), whens, otherwise.as_deref(), cx, rows)?,
        Kind::Compare(op, l, r) => {
            let (a, b) = (eval(l, cx, rows)?, eval(r, cx, rows)?);
            bools(compare(*op, any_v(&a, l.ty)?, any_v(&b, r.ty)?, n))
        }
        Kind::IsNull { expr, negated } => {
            let v = eval(expr, cx, rows)?;
            let out: Vec<Option<bool>> = match &v {
                Val::Null => vec![Some(!negated); n],
                Val::Lit(_) => vec![Some(*negated); n],
                _ => {
                    let col = v.column().ok_or_else(|| internal("IS NULL operand"))?;
                    (0..n).map(|i| Some(col.is_null(i) != *negated)).collect()
                }
            };
            bools(out)
        }
        Kind::InList { expr, list, negated } => {
            let v = eval(expr, cx, rows)?;
            bools(in_list(any_v(&v, expr.ty)?, list, *negated, n))
        }
        Kind::Like {
            expr, matcher, negated, ..
        } => {
            let v = eval(expr, cx, rows)?;
            let s = str_v(&v)?;
            bools(
                (0..n)
                    .map(|i| s.get(i).map(|x| matcher.matches(x) != *negated))
                    .collect(),
            )
        }
        Kind::And(l, r) | Kind::Or(l, r) => {
            let is_and = matches!(e.kind, Kind::And(..));
            let (a, b) = (eval(l, cx, rows)?, eval(r, cx, rows)?);
            let (a, b) = (bool_v(&a)?, bool_v(&b)?);
            bools((0..n).map(|i| logic(is_and, a.get(i), b.get(i))).collect())
        }
        Kind::Not(inner) => {
            let v = eval(inner, cx, rows)?;
            let b = bool_v(&v)?;
            bools((0..n).map(|i| b.get(i).map(|x| !x)).collect())
        }
        Kind::Arith(op, l, r) => {
            let (a, b) = (eval(l, cx, rows)?, eval(r, cx, rows)?);
            arith(*op, dec_v(&a)?, dec_v(&b)?, n, cx)?
        }
        Kind::Neg(inner) => {
            let v = eval(inner, cx, rows)?;
            let d = dec_v(&v)?;
            Val::Own(Column::Dec((0..n).map(|i| d.get(i).map(|x| -x)).collect()))
        }
        Kind::Concat(l, r) => {
            let (a, b) = (eval(l, cx, rows)?, eval(r, cx, rows)?);
            let (a, b) = (str_v(&a)?, str_v(&b)?);
            let mut out = StrCol::with_capacity(n);
            for i in 0..n {
                match (a.get(i), b.get(i)) {
                    (Some(x), Some(y)) => out.push_with(|buf| {
                        buf.push_str(x);
                        buf.push_str(y);
                    }),
                    _ => out.push(None),
                }
            }
            Val::Own(Column::Str(out))
        }
        Kind::CastToDecimal(inner) => {
            let v = eval(inner, cx, rows)?;
            let s = str_v(&v)?;
            let mut out = Vec::with_capacity(n);
            for i in 0..n {
                out.push(match s.get(i) {
                    None => None,
                    Some(text) => Some(decimal::parse_duckdb(text).ok_or_else(|| {
                        cx.error(format_args!("could not convert string \"{text}\" to DECIMAL(38,18)"))
                    })?),
                });
            }
            Val::Own(Column::Dec(out))
        }
        Kind::CastToVarchar(inner) => {
            let v = eval(inner, cx, rows)?;
            let d = dec_v(&v)?;
            let mut out = StrCol::with_capacity(n);
            for i in 0..n {
                match d.get(i) {
                    Some(x) => out.push_with(|buf| decimal::format(x, buf)),
                    None => out.push(None),
                }
            }
            Val::Own(Column::Str(out))
        }
        Kind::Func(f, args) => func(f, args, e.ty, cx, rows)?,
    })
}

fn logic(is_and: bool, a: Option<bool>, b: Option<bool>) -> Option<bool> {
    if is_and {
        match (a, b) {
            (Some(false), _) | (_, Some(false)) => Some(false),
            (Some(true), Some(true)) => Some(true),
            _ => None,
        }
    } else {
        match (a, b) {
            (Some(true), _) | (_, Some(true)) => Some(true),
            (Some(false), Some(false)) => Some(false),
            _ => None,
        }
    }
}

fn order_at(a: AnyV<'_>, i: usize, b: AnyV<'_>, j: usize) -> Option<Ordering> {
    Some(match (a, b) {
        (AnyV::Str(x), AnyV::Str(y)) => x.get(i)?.as_bytes().cmp(y.get(j)?.as_bytes()),
        (AnyV::Dec(x), AnyV::Dec(y)) => x.get(i)?.cmp(&y.get(j)?),
        (AnyV::Ts(x), AnyV::Ts(y)) => x.get(i)?.cmp(&y.get(j)?),
        (AnyV::Bool(x), AnyV::Bool(y)) => x.get(i)?.cmp(&y.get(j)?),
        _ => return None,
    })
}

/// `a[i] = b[j]`, NULL when either is.
fn eq_at(a: AnyV<'_>, i: usize, b: AnyV<'_>, j: usize) -> Option<bool> {
    match (a, b) {
        (AnyV::Str(x), AnyV::Str(y)) => Some(text::same(x.get(i)?, y.get(j)?)),
        _ => order_at(a, i, b, j).map(|o| o == Ordering::Equal),
    }
}

fn compare(op: CmpOp, a: AnyV<'_>, b: AnyV<'_>, n: usize) -> Vec<Option<bool>> {
    match (a, b) {
        // Equality needs no ordering, and `same` avoids a libc call per short string.
        (AnyV::Str(x), AnyV::Str(y)) if matches!(op, CmpOp::Eq | CmpOp::Ne) => {
            let want = op == CmpOp::Eq;
            (0..n).map(|i| Some(text::same(x.get(i)?, y.get(i)?) == want)).collect()
        }
        (AnyV::Str(x), AnyV::Str(y)) => (0..n)
            .map(|i| Some(op.test(x.get(i)?.as_bytes().cmp(y.get(i)?.as_bytes()))))
            .collect(),
        (AnyV::Dec(x), AnyV::Dec(y)) => (0..n).map(|i| Some(op.test(x.get(i)?.cmp(&y.get(i)?)))).collect(),
        _ => (0..n).map(|i| order_at(a, i, b, i).map(|o| op.test(o))).collect(),
    }
}

fn lit_matches(v: AnyV<'_>, i: usize, lit: &Lit) -> Option<bool> {
    Some(match (v, lit) {
        (AnyV::Str(s), Lit::Str(l)) => text::same(s.get(i)?, l),
        (AnyV::Dec(s), Lit::Dec(l)) => s.get(i)? == *l,
        (AnyV::Ts(s), Lit::Ts(l)) => s.get(i)? == *l,
        (AnyV::Bool(s), Lit::Bool(l)) => s.get(i)? == *l,
        _ => return None,
    })
}

fn in_list(v: AnyV<'_>, list: &[Option<Lit>], negated: bool, n: usize) -> Vec<Option<bool>> {
    let has_null = list.iter().any(Option::is_none);
    (0..n)
        .map(|i| {
            if v.is_null(i) {
                return None;
            }
            if list.iter().flatten().any(|l| lit_matches(v, i, l) == Some(true)) {
                return Some(!negated);
            }
            // SQL: x IN (..., NULL) is NULL, not false, when nothing matches.
            if has_null {
                None
            } else {
                Some(negated)
            }
        })
        .collect()
}

fn arith<'a>(op: ArithOp, a: NumV<'_, i128>, b: NumV<'_, i128>, n: usize, cx: &Ctx<'_>) -> Result<Val<'a>> {
    let f = match op {
        ArithOp::Add => decimal::add,
        ArithOp::Sub => decimal::sub,
        ArithOp::Mul => decimal::mul,
    };
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        out.push(match (a.get(i), b.get(i)) {
            (Some(x), Some(y)) => Some(f(x, y).ok_or_else(|| {
                let (what, sym) = match op {
                    ArithOp::Add => ("addition", "+"),
                    ArithOp::Sub => ("subtraction", "-"),
                    ArithOp::Mul => ("multiplication", "*"),
                };
                let (mut l, mut r) = (String::new(), String::new());
                decimal::format(x, &mut l);
                decimal::format(y, &mut r);
                cx.error(format_args!("overflow in {what} of DECIMAL(38,18) ({l} {sym} {r})"))
            })?),
            _ => None,
        });
    }
    Ok(Val::Own(Column::Dec(out)))
}

fn map_get<'a>(m: Option<&MapCol>, key: &str, ty: ColType, n: usize) -> Result<Val<'a>> {
    let Some(m) = m else { return Ok(Val::Null) };
    let mut out = Builder::new(ty, n)?;
    let values = any_v_col(&m.values)?;
    for i in 0..n {
        // Maps from DuckDB have unique keys; should a reader produce duplicates, the last wins,
        // as in map_json.
        let hit = m
            .entries(i)
            .and_then(|r| r.rev().find(|&j| m.keys.get(j).is_some_and(|k| text::same(k, key))));
        match hit {
            Some(j) => out.push_from(values, j),
            None => out.push_null(),
        }
    }
    Ok(Val::Own(out.finish()))
}

fn any_v_col(c: &Column) -> Result<AnyV<'_>> {
    Ok(match c {
        Column::Str(s) => AnyV::Str(StrV::Col(s)),
        Column::Dec(d) => AnyV::Dec(NumV::Col(d)),
        _ => return Err(internal("map values must be VARCHAR or DECIMAL")),
    })
}

/// Where each output row's value comes from: (branch, index in that branch's result).
const NO_BRANCH: u32 = u32::MAX;

fn assemble(ty: ColType, picks: &[(u32, u32)], vals: &[Val<'_>]) -> Result<Column> {
    fn pick<T: Copy>(picks: &[(u32, u32)], views: &[NumV<'_, T>]) -> Vec<Option<T>> {
        picks
            .iter()
            .map(|&(k, j)| {
                if k == NO_BRANCH {
                    None
                } else {
                    views[k as usize].get(j as usize)
                }
            })
            .collect()
    }
    // One loop per type: this runs for every row of every CASE and coalesce.
    Ok(match ty {
        ColType::Varchar => {
            let views = vals.iter().map(str_v).collect::<Result<Vec<_>>>()?;
            let mut out = StrCol::with_capacity(picks.len());
            for &(k, j) in picks {
                out.push(if k == NO_BRANCH {
                    None
                } else {
                    views[k as usize].get(j as usize)
                });
            }
            Column::Str(out)
        }
        ColType::Decimal => Column::Dec(pick(picks, &vals.iter().map(dec_v).collect::<Result<Vec<_>>>()?)),
        ColType::TimestampTz => Column::Ts(pick(picks, &vals.iter().map(ts_v).collect::<Result<Vec<_>>>()?)),
        ColType::Boolean => Column::Bool(pick(picks, &vals.iter().map(bool_v).collect::<Result<Vec<_>>>()?)),
        _ => return Err(internal("CASE of a non-scalar type")),
    })
}

/// Column references and constants cost nothing to evaluate for all rows and cannot fail, so
/// CASE and coalesce take them whole instead of copying out the rows they need.
fn cheap(e: &Expr) -> bool {
    matches!(e.kind, Kind::Column { .. } | Kind::Const(_))
}

/// Rows still undecided: absolute row numbers and their positions in the node's result.
struct Pending {
    abs: Vec<u32>,
    pos: Vec<u32>,
    /// Still every row of `rows`, in order (so `rows` itself can be passed down).
    whole: bool,
}

impl Pending {
    fn new(rows: Rows<'_>) -> Self {
        Pending {
            abs: rows.to_vec(),
            pos: (0..rows.len() as u32).collect(),
            whole: true,
        }
    }
    fn rows<'s>(&'s self, all: Rows<'s>) -> Rows<'s> {
        if self.whole {
            all
        } else {
            Rows::Sel(&self.abs)
        }
    }
    /// Splits off the rows where `take(j)` holds (j indexes the pending rows).
    fn split(&mut self, mut take: impl FnMut(usize) -> bool) -> (Vec<u32>, Vec<u32>) {
        let (mut t_abs, mut t_pos) = (Vec::new(), Vec::new());
        let (mut f_abs, mut f_pos) = (Vec::with_capacity(self.abs.len()), Vec::with_capacity(self.abs.len()));
        for j in 0..self.abs.len() {
            if take(j) {
                t_abs.push(self.abs[j]);
                t_pos.push(self.pos[j]);
            } else {
                f_abs.push(self.abs[j]);
                f_pos.push(self.pos[j]);
            }
        }
        if !t_abs.is_empty() {
            self.whole = false;
        }
        self.abs = f_abs;
        self.pos = f_pos;
        (t_abs, t_pos)
    }
}

/// Evaluates a branch for the rows at `abs` (positions `pos` in the result) and records where
/// each of those rows finds its value.
fn take_branch<'a>(
    e: &'a Expr,
    cx: &Ctx<'a>,
    rows: Rows<'_>,
    abs: &[u32],
    pos: &[u32],
    picks: &mut [(u32, u32)],
    vals: &mut Vec<Val<'a>>,
) -> Result<()> {
    let k = vals.len() as u32;
    if cheap(e) {
        vals.push(eval(e, cx, rows)?);
        for &p in pos {
            picks[p as usize] = (k, p);
        }
    } else {
        vals.push(eval(e, cx, Rows::Sel(abs))?);
        for (j, &p) in pos.iter().enumerate() {
            picks[p as usize] = (k, j as u32);
        }
    }
    Ok(())
}

fn case<'a>(
    ty: ColType,
    operand: Option<&'a Expr>,
    whens: &'a [(Expr, Expr)],
    otherwise: Option<&'a Expr>,
    cx: &Ctx<'a>,
    rows: Rows<'_>,
) -> Result<Val<'a>> {
    let n = rows.len();
    let op_val = match operand {
        Some(op) => Some((eval(op, cx, rows)?, op.ty)),
        None => None,
    };
    let op_view = match &op_val {
        Some((v, t)) => Some(any_v(v, *t)?),
        None => None,
    };
    let mut pending = Pending::new(rows);
    let mut picks = vec![(NO_BRANCH, 0u32); n];
    let mut vals: Vec<Val<'a>> = Vec::new();
    for (when, then) in whens {
        if pending.abs.is_empty() {
            break;
        }
        let sub = pending.rows(rows);
        let w = eval(when, cx, sub)?;
        let (t_abs, t_pos) = match op_view {
            // CASE x WHEN v: x = v, where NULL never matches.
            Some(op) => {
                let wv = any_v(&w, when.ty)?;
                let positions = pending.pos.clone();
                pending.split(|j| eq_at(op, positions[j] as usize, wv, j) == Some(true))
            }
            // A NULL condition counts as false.
            None => {
                let c = bool_v(&w)?;
                pending.split(|j| c.get(j) == Some(true))
            }
        };
        if t_abs.is_empty() {
            continue;
        }
        if vals.is_empty() && pending.abs.is_empty() {
            // Every row takes this branch: its result is the answer, no copy needed.
            return eval(then, cx, rows);
        }
        take_branch(then, cx, rows, &t_abs, &t_pos, &mut picks, &mut vals)?;
    }
    if let (Some(e), false) = (otherwise, pending.abs.is_empty()) {
        if vals.is_empty() {
            return eval(e, cx, rows);
        }
        take_branch(e, cx, rows, &pending.abs, &pending.pos, &mut picks, &mut vals)?;
    }
    if vals.is_empty() {
        return Ok(Val::Null);
    }
    Ok(Val::Own(assemble(ty, &picks, &vals)?))
}

fn coalesce<'a>(ty: ColType, args: &'a [Expr], cx: &Ctx<'a>, rows: Rows<'_>) -> Result<Val<'a>> {
    let n = rows.len();
    if args.iter().all(cheap) {
        // Nothing can fail: one pass picking the first non-NULL argument.
        let vals = args.iter().map(|a| eval(a, cx, rows)).collect::<Result<Vec<_>>>()?;
        let views = vals.iter().map(|v| any_v(v, ty)).collect::<Result<Vec<_>>>()?;
        let picks: Vec<(u32, u32)> = (0..n)
            .map(|i| match views.iter().position(|v| !v.is_null(i)) {
                Some(k) => (k as u32, i as u32),
                None => (NO_BRANCH, 0),
            })
            .collect();
        return Ok(Val::Own(assemble(ty, &picks, &vals)?));
    }
    let mut pending = Pending::new(rows);
    let mut picks = vec![(NO_BRANCH, 0u32); n];
    let mut vals: Vec<Val<'a>> = Vec::new();
    for arg in args {
        if pending.abs.is_empty() {
            break;
        }
        let first = vals.is_empty() && pending.whole;
        let v = eval(arg, cx, pending.rows(rows))?;
        let view = any_v(&v, ty)?;
        let positions = pending.pos.clone();
        // Rows where this argument is NULL stay pending for the next one.
        let (_, t_pos) = pending.split(|j| !view.is_null(j));
        if first && pending.abs.is_empty() {
            return Ok(v);
        }
        if t_pos.is_empty() {
            continue;
        }
        let k = vals.len() as u32;
        for (j, &p) in positions.iter().enumerate() {
            if !view.is_null(j) {
                picks[p as usize] = (k, j as u32);
            }
        }
        vals.push(v);
    }
    if vals.is_empty() {
        return Ok(Val::Null);
    }
    Ok(Val::Own(assemble(ty, &picks, &vals)?))
}

fn str_map<'a>(n: usize, s: StrV<'_>, mut f: impl FnMut(&str, &mut String)) -> Val<'a> {
    let mut out = StrCol::with_capacity(n);
    for i in 0..n {
        match s.get(i) {
            Some(x) => out.push_with(|buf| f(x, buf)),
            None => out.push(None),
        }
    }
    Val::Own(Column::Str(out))
}

fn str_pred<'a>(n: usize, a: StrV<'_>, b: StrV<'_>, f: impl Fn(&str, &str) -> bool) -> Val<'a> {
    bools((0..n).map(|i| Some(f(a.get(i)?, b.get(i)?))).collect())
}

fn func<'a>(f: &'a Func, args: &'a [Expr], ty: ColType, cx: &Ctx<'a>, rows: Rows<'_>) -> Result<Val<'a>> {
    let n = rows.len();
    match f {
        Func::Coalesce => return coalesce(ty, args, cx, rows),
        Func::Greatest | Func::Least => return extreme(matches!(f, Func::Greatest), ty, args, cx, rows),
        Func::MapJson => return map_json(args, cx, rows),
        _ => {}
    }
    let vals = args.iter().map(|a| eval(a, cx, rows)).collect::<Result<Vec<_>>>()?;
    let arg = |k: usize| vals.get(k).ok_or_else(|| internal("missing argument"));
    Ok(match f {
        Func::Coalesce | Func::Greatest | Func::Least => return Err(internal("dispatched above")),
        Func::NullIf => {
            let (a, b) = (any_v(arg(0)?, ty)?, any_v(arg(1)?, ty)?);
            let mut out = Builder::new(ty, n)?;
            for i in 0..n {
                if eq_at(a, i, b, i) == Some(true) {
                    out.push_null();
                } else {
                    out.push_from(a, i);
                }
            }
            Val::Own(out.finish())
        }
        Func::Lower => str_map(n, str_v(arg(0)?)?, text::lower),
        Func::Upper => str_map(n, str_v(arg(0)?)?, text::upper),
        Func::Trim => str_map(n, str_v(arg(0)?)?, |s, buf| buf.push_str(text::trim(s))),
        Func::Length => {
            let s = str_v(arg(0)?)?;
            Val::Own(Column::Dec(
                (0..n)
                    .map(|i| s.get(i).map(|x| text::length(x) as i128 * DECIMAL_ONE))
                    .collect(),
            ))
        }
        Func::Concat => {
            let views = vals.iter().map(str_v).collect::<Result<Vec<_>>>()?;
            let mut out = StrCol::with_capacity(n);
            for i in 0..n {
                // DuckDB's concat skips NULLs and is '' (not NULL) when all are NULL.
                out.push_with(|buf| views.iter().filter_map(|v| v.get(i)).for_each(|s| buf.push_str(s)));
            }
            Val::Own(Column::Str(out))
        }
        Func::StartsWith => str_pred(n, str_v(arg(0)?)?, str_v(arg(1)?)?, |s, p| {
            text::after_prefix(s, p).is_some()
        }),
        Func::EndsWith => str_pred(n, str_v(arg(0)?)?, str_v(arg(1)?)?, text::has_suffix),
        Func::Contains => str_pred(n, str_v(arg(0)?)?, str_v(arg(1)?)?, |s, p| s.contains(p)),
        Func::Replace => {
            let (s, from, to) = (str_v(arg(0)?)?, str_v(arg(1)?)?, str_v(arg(2)?)?);
            let mut out = StrCol::with_capacity(n);
            for i in 0..n {
                match (s.get(i), from.get(i), to.get(i)) {
                    (Some(s), Some(f), Some(t)) => out.push_with(|buf| text::replace(s, f, t, buf)),
                    _ => out.push(None),
                }
            }
            Val::Own(Column::Str(out))
        }
        Func::SplitPart(k) => {
            let (s, sep) = (str_v(arg(0)?)?, str_v(arg(1)?)?);
            let mut out = StrCol::with_capacity(n);
            for i in 0..n {
                match (s.get(i), sep.get(i)) {
                    (Some(s), Some(sep)) => out.push(Some(text::split_part(s, sep, *k))),
                    _ => out.push(None),
                }
            }
            Val::Own(Column::Str(out))
        }
        Func::RegexpExtract { re, group, .. } => {
            let s = str_v(arg(0)?)?;
            let mut locs = re.capture_locations();
            let mut out = StrCol::with_capacity(n);
            for i in 0..n {
                match s.get(i) {
                    None => out.push(None),
                    Some(x) => {
                        // No match, or a group that did not take part, gives '' as in DuckDB.
                        let found = if *group == 0 {
                            re.find(x).map(|m| m.as_str())
                        } else {
                            re.captures_read(&mut locs, x)
                                .and_then(|_| locs.get(*group))
                                .map(|(a, b)| &x[a..b])
                        };
                        out.push(Some(found.unwrap_or("")));
                    }
                }
            }
            Val::Own(Column::Str(out))
        }
        Func::RegexpMatches { re, .. } => {
            let s = str_v(arg(0)?)?;
            bools((0..n).map(|i| s.get(i).map(|x| re.is_match(x))).collect())
        }
        Func::AddDays(days) => {
            let t = ts_v(arg(0)?)?;
            let delta = days.saturating_mul(crate::formats::values::MICROS_PER_DAY);
            Val::Own(Column::Ts(
                (0..n).map(|i| t.get(i).map(|x| x.saturating_add(delta))).collect(),
            ))
        }
        Func::TruncMonth => {
            use crate::formats::values::{civil_from_days, days_from_civil, MICROS_PER_DAY};
            let t = ts_v(arg(0)?)?;
            let month = |x: i64| {
                let (y, m, _) = civil_from_days(x.div_euclid(MICROS_PER_DAY));
                days_from_civil(y, m, 1) * MICROS_PER_DAY
            };
            Val::Own(Column::Ts((0..n).map(|i| t.get(i).map(month)).collect()))
        }
        Func::Abs => {
            let d = dec_v(arg(0)?)?;
            Val::Own(Column::Dec((0..n).map(|i| d.get(i).map(i128::abs)).collect()))
        }
        Func::MonthStart { end } => {
            let a = arg(0)?;
            let out: Vec<Option<i64>> = if args.first().is_some_and(|a| a.ty == ColType::Varchar) {
                let s = str_v(a)?;
                (0..n)
                    .map(|i| s.get(i).and_then(yyyymm).map(|(y, m)| month_micros(y, m, *end)))
                    .collect()
            } else {
                let t = ts_v(a)?;
                (0..n)
                    .map(|i| {
                        t.get(i).map(|t| {
                            let (y, m, _) = civil_from_days(t.div_euclid(MICROS_PER_DAY));
                            month_micros(y, m, *end)
                        })
                    })
                    .collect()
            };
            Val::Own(Column::Ts(out))
        }
        Func::Lookup { index, .. } => {
            let key = str_v(arg(0)?)?;
            let mut out = StrCol::with_capacity(n);
            for i in 0..n {
                // Empty cells were left out of the index: they are NULL.
                out.push(key.get(i).and_then(|k| index.get(k)).map(String::as_str));
            }
            Val::Own(Column::Str(out))
        }
        Func::MapJson => return Err(internal("dispatched above")),
        Func::MapWithPrefix(prefix) => match map_v(arg(0)?)? {
            None => Val::Null,
            Some(m) => Val::Own(Column::Map(with_prefix(m, prefix, n))),
        },
        Func::MapStripPrefix(prefix) => match map_v(arg(0)?)? {
            None => Val::Null,
            Some(m) => Val::Own(Column::Map(strip_prefix(m, prefix, n))),
        },
    })
}

/// greatest/least: NULL arguments are ignored; NULL only when all are NULL.
fn extreme<'a>(greatest: bool, ty: ColType, args: &'a [Expr], cx: &Ctx<'a>, rows: Rows<'_>) -> Result<Val<'a>> {
    let n = rows.len();
    let vals = args.iter().map(|a| eval(a, cx, rows)).collect::<Result<Vec<_>>>()?;
    let views = vals.iter().map(|v| any_v(v, ty)).collect::<Result<Vec<_>>>()?;
    let want = if greatest { Ordering::Greater } else { Ordering::Less };
    let mut out = Builder::new(ty, n)?;
    for i in 0..n {
        let mut best: Option<usize> = None;
        for (k, v) in views.iter().enumerate() {
            if v.is_null(i) {
                continue;
            }
            match best {
                Some(b) if order_at(*v, i, views[b], i) != Some(want) => {}
                _ => best = Some(k),
            }
        }
        match best {
            Some(k) => out.push_from(views[k], i),
            None => out.push_null(),
        }
    }
    Ok(Val::Own(out.finish()))
}

fn with_prefix(m: &MapCol, prefix: &str, n: usize) -> MapCol {
    let mut out = MapCol::new(value_type(m), n);
    for i in 0..n {
        let Some(r) = m.entries(i) else {
            out.bounds.push(None);
            continue;
        };
        let start = out.keys.len();
        for j in r {
            // A prefix keeps distinct keys distinct, so no merging is needed.
            let Some(k) = m.keys.get(j) else { continue };
            out.keys.push_with(|b| {
                b.push_str(prefix);
                b.push_str(k);
            });
            push_value(&mut out.values, &m.values, j);
        }
        out.bounds.push(Some((start, out.keys.len())));
    }
    out
}

/// Distinct keys in order of first appearance, each with the position of its last value: the
/// semantics of DuckDB's `map_concat` applied entry by entry.
struct Merge<K> {
    keys: Vec<K>,
    picks: Vec<(usize, usize)>,
    index: HashMap<K, usize>,
}

impl<K: Copy + Eq + std::hash::Hash> Merge<K> {
    fn new() -> Self {
        Merge {
            keys: Vec::new(),
            picks: Vec::new(),
            index: HashMap::new(),
        }
    }
    fn clear(&mut self) {
        self.keys.clear();
        self.picks.clear();
        if !self.index.is_empty() {
            self.index.clear();
        }
    }
    fn add(&mut self, key: K, pick: (usize, usize)) {
        // Tag maps are small: a scan beats hashing until they are not.
        const SCAN: usize = 16;
        let slot = if self.keys.len() <= SCAN {
            self.keys.iter().position(|k| *k == key)
        } else {
            if self.index.is_empty() {
                self.index.extend(self.keys.iter().enumerate().map(|(i, k)| (*k, i)));
            }
            self.index.get(&key).copied()
        };
        match slot {
            Some(s) => self.picks[s] = pick,
            None => {
                if !self.index.is_empty() || self.keys.len() > SCAN {
                    self.index.insert(key, self.keys.len());
                }
                self.keys.push(key);
                self.picks.push(pick);
            }
        }
    }
}

fn strip_prefix(m: &MapCol, prefix: &str, n: usize) -> MapCol {
    let mut out = MapCol::new(value_type(m), n);
    let mut merge = Merge::new();
    for i in 0..n {
        let Some(r) = m.entries(i) else {
            out.bounds.push(None);
            continue;
        };
        merge.clear();
        for j in r {
            if let Some(k) = m.keys.get(j) {
                let rest = text::after_prefix(k, prefix).unwrap_or(k);
                merge.add(Key2 { pre: "", rest }, (0, j));
            }
        }
        let start = out.keys.len();
        for (k, &(_, j)) in merge.keys.iter().zip(&merge.picks) {
            out.keys.push(Some(k.rest));
            push_value(&mut out.values, &m.values, j);
        }
        out.bounds.push(Some((start, out.keys.len())));
    }
    out
}

/// A map key as two pieces (a literal prefix and the rest of the original key), so that
/// map_json can rename keys without building them.
#[derive(Clone, Copy)]
struct Key2<'v> {
    pre: &'v str,
    rest: &'v str,
}

impl PartialEq for Key2<'_> {
    #[inline]
    fn eq(&self, o: &Self) -> bool {
        if self.pre.len() + self.rest.len() != o.pre.len() + o.rest.len() {
            return false;
        }
        if text::same(self.pre, o.pre) {
            return text::same(self.rest, o.rest);
        }
        let a = self.pre.bytes().chain(self.rest.bytes());
        a.eq(o.pre.bytes().chain(o.rest.bytes()))
    }
}

impl Eq for Key2<'_> {}

impl std::hash::Hash for Key2<'_> {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        // Equal concatenations must hash alike, however they are split.
        for b in self.pre.bytes().chain(self.rest.bytes()) {
            h.write_u8(b);
        }
    }
}

#[derive(Clone, Copy)]
enum KeyOp<'a> {
    Strip(&'a str),
    Prefix(&'a str),
}

/// Splits `map_with_prefix`/`map_strip_prefix` wrappers off a map_json argument: the map to
/// evaluate and the key renames to apply while merging, innermost first. Keys are two pieces,
/// so peeling stops before a second prefix (the rest is evaluated as written).
fn peel(e: &Expr) -> (&Expr, Vec<KeyOp<'_>>) {
    let mut ops = Vec::new();
    let mut cur = e;
    let mut prefixes = 0;
    loop {
        let (op, inner) = match &cur.kind {
            Kind::Func(Func::MapStripPrefix(p), args) => (KeyOp::Strip(p), args.first()),
            Kind::Func(Func::MapWithPrefix(p), args) if prefixes == 0 => {
                prefixes += 1;
                (KeyOp::Prefix(p), args.first())
            }
            _ => break,
        };
        let Some(inner) = inner else { break };
        ops.push(op);
        cur = inner;
    }
    ops.reverse();
    (cur, ops)
}

fn rename<'v>(op: KeyOp<'v>, k: Key2<'v>) -> Key2<'v> {
    match op {
        KeyOp::Strip(s) => {
            if k.pre.len() >= s.len() {
                if let Some(p) = text::after_prefix(k.pre, s) {
                    return Key2 { pre: p, rest: k.rest };
                }
            } else if let Some(r) = text::after_prefix(s, k.pre).and_then(|tail| text::after_prefix(k.rest, tail)) {
                return Key2 { pre: "", rest: r };
            }
            k
        }
        // peel() takes one prefix at most, so nothing was prefixed before.
        KeyOp::Prefix(p) => Key2 { pre: p, rest: k.rest },
    }
}

/// One map_json argument's entries for one row, renamed as its peeled wrappers would. A strip
/// merges the entries it makes collide (first position, last value) before the next wrapper
/// sees them; after the last strip that merge is map_json's own.
struct Renamer<'v> {
    stage: Vec<(Key2<'v>, usize)>,
    merge: Merge<Key2<'v>>,
}

impl<'v> Renamer<'v> {
    fn entries(&mut self, m: &'v MapCol, r: std::ops::Range<usize>, ops: &[KeyOp<'v>]) -> &[(Key2<'v>, usize)] {
        self.stage.clear();
        self.stage
            .extend(r.filter_map(|j| m.keys.get(j).map(|k| (Key2 { pre: "", rest: k }, j))));
        let last_strip = ops.iter().rposition(|o| matches!(o, KeyOp::Strip(_)));
        for (idx, op) in ops.iter().enumerate() {
            for e in self.stage.iter_mut() {
                e.0 = rename(*op, e.0);
            }
            if matches!(op, KeyOp::Strip(_)) && Some(idx) != last_strip {
                self.merge.clear();
                for &(k, j) in &self.stage {
                    self.merge.add(k, (0, j));
                }
                self.stage.clear();
                self.stage
                    .extend(self.merge.keys.iter().zip(&self.merge.picks).map(|(k, p)| (*k, p.1)));
            }
        }
        &self.stage
    }
}

/// JSON object text from maps: later maps win on duplicate keys, keys in order of first
/// appearance, a NULL or '' value is `true`, decimals are plain numbers; NULL with no entries.
fn map_json<'a>(args: &'a [Expr], cx: &Ctx<'a>, rows: Rows<'_>) -> Result<Val<'a>> {
    let n = rows.len();
    let peeled: Vec<(&Expr, Vec<KeyOp<'a>>)> = args.iter().map(peel).collect();
    let vals = peeled
        .iter()
        .map(|(e, _)| eval(e, cx, rows))
        .collect::<Result<Vec<_>>>()?;
    let maps = vals.iter().map(map_v).collect::<Result<Vec<_>>>()?;
    let values = maps
        .iter()
        .map(|m| m.map(|m| any_v_col(&m.values)).transpose())
        .collect::<Result<Vec<_>>>()?;
    let mut out = StrCol::with_capacity(n);
    let mut merge: Merge<Key2<'_>> = Merge::new();
    let mut renamer = Renamer {
        stage: Vec::new(),
        merge: Merge::new(),
    };
    for i in 0..n {
        merge.clear();
        for (k, m) in maps.iter().enumerate() {
            let Some(m) = m else { continue };
            let Some(r) = m.entries(i) else { continue };
            for &(key, j) in renamer.entries(m, r, &peeled[k].1) {
                merge.add(key, (k, j));
            }
        }
        if merge.keys.is_empty() {
            out.push(None);
            continue;
        }
        out.push_with(|buf| {
            buf.push('{');
            for (idx, (key, &(k, j))) in merge.keys.iter().zip(&merge.picks).enumerate() {
                if idx > 0 {
                    buf.push(',');
                }
                buf.push('"');
                text::json_escape(key.pre, buf);
                text::json_escape(key.rest, buf);
                buf.push_str("\":");
                match values[k] {
                    Some(AnyV::Str(v)) => match v.get(j) {
                        Some(s) if !s.is_empty() => text::json_string(s, buf),
                        _ => buf.push_str("true"),
                    },
                    Some(AnyV::Dec(v)) => match v.get(j) {
                        Some(d) => decimal::format_json(d, buf),
                        None => buf.push_str("true"),
                    },
                    _ => buf.push_str("true"),
                }
            }
            buf.push('}');
        });
    }
    Ok(Val::Own(Column::Str(out)))
}

/// Replaces constant subtrees by their value, computed once at compile time. A subtree whose
/// evaluation fails stays as it is: like DuckDB, it must fail only if a row actually reaches it.
pub fn fold(e: &mut Expr) {
    for c in e.children_mut() {
        fold(c);
    }
    let foldable = !matches!(e.kind, Kind::Const(_) | Kind::Column { .. })
        && !matches!(e.ty, ColType::MapVarchar | ColType::MapDecimal | ColType::ListVarchar)
        && e.children().iter().all(|c| matches!(c.kind, Kind::Const(_)));
    if !foldable {
        return;
    }
    let batch = Batch {
        rows: 1,
        columns: vec![],
    };
    let cx = Ctx {
        batch: &batch,
        mapping: "",
        column: "",
    };
    let value = match eval(e, &cx, Rows::All(1)) {
        Ok(v) => scalar(&v, e.ty),
        Err(_) => return,
    };
    if let Some(v) = value {
        e.kind = Kind::Const(v);
    }
}

fn scalar(v: &Val<'_>, ty: ColType) -> Option<Option<Lit>> {
    let view = any_v(v, ty).ok()?;
    Some(match view {
        AnyV::Str(s) => s.get(0).map(|x| Lit::Str(x.to_string())),
        AnyV::Dec(d) => d.get(0).map(Lit::Dec),
        AnyV::Ts(t) => t.get(0).map(Lit::Ts),
        AnyV::Bool(b) => b.get(0).map(Lit::Bool),
    })
}

/// `YYYYMM` (as `try_strptime(x, '%Y%m')` accepts it: six digits, month 1-12).
fn yyyymm(s: &str) -> Option<(i64, u32)> {
    if s.len() != 6 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y: i64 = s[..4].parse().ok()?;
    let m: u32 = s[4..].parse().ok()?;
    (1..=12).contains(&m).then_some((y, m))
}

/// Micros of the first instant (UTC) of month `m` of year `y`, or of the month after.
fn month_micros(y: i64, m: u32, next: bool) -> i64 {
    let (y, m) = if !next {
        (y, m)
    } else if m == 12 {
        (y + 1, 1)
    } else {
        (y, m + 1)
    };
    days_from_civil(y, m, 1) * MICROS_PER_DAY
}
