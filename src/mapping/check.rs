//! Type checker: turns the parsed tree into a typed [`Expr`], resolving columns, functions and
//! lookup tables, and typing NULL literals from their context. Every error carries the position
//! of the construct at fault.

use super::decimal;
use super::expr::{ArithOp, CmpOp, Expr, Func, Kind, Lit};
use super::lexer::Pos;
use super::parser::{Ast, AstKind, BinOp, TypeName};
use super::re2;
use super::text::LikePattern;
use super::{InputColumn, LookupTable};
use crate::columnar::ColType;
use std::collections::HashMap;
use std::sync::Arc;

pub type CheckError = (Pos, String);
type CResult<T> = Result<T, CheckError>;

/// A checked expression, or a NULL literal still waiting for a type from its context.
enum Checked {
    Typed(Expr),
    Null(Pos),
}

pub struct Checker<'a> {
    inputs: HashMap<&'a str, &'a InputColumn>,
    tables: &'a [LookupTable],
    shared_tables: HashMap<String, Arc<LookupTable>>,
}

fn is_map(ty: ColType) -> bool {
    matches!(ty, ColType::MapVarchar | ColType::MapDecimal)
}

fn comparable(ty: ColType) -> bool {
    matches!(
        ty,
        ColType::Varchar | ColType::Decimal | ColType::TimestampTz | ColType::Boolean
    )
}

fn name(ty: ColType) -> &'static str {
    ty.sql_name()
}

fn untyped_null(pos: Pos) -> CheckError {
    (
        pos,
        "cannot tell the type of this NULL: write CAST(NULL AS VARCHAR|DECIMAL|TIMESTAMPTZ|BOOLEAN)".into(),
    )
}

impl<'a> Checker<'a> {
    pub fn new(inputs: &'a [InputColumn], tables: &'a [LookupTable]) -> Self {
        Checker {
            inputs: inputs.iter().map(|c| (c.name.as_str(), c)).collect(),
            tables,
            shared_tables: HashMap::new(),
        }
    }

    /// Checks an output column's expression.
    pub fn output(&mut self, ast: &Ast) -> CResult<Expr> {
        let e = self.typed(ast)?;
        if e.ty == ColType::ListVarchar {
            return Err((ast.pos, "a list cannot be an output column".into()));
        }
        Ok(e)
    }

    /// Checks the mapping's `WHERE` condition, which must be BOOLEAN.
    pub fn condition(&mut self, ast: &Ast) -> CResult<Expr> {
        self.expect(ast, ColType::Boolean, "the WHERE condition")
    }

    fn typed(&mut self, ast: &Ast) -> CResult<Expr> {
        match self.check(ast)? {
            Checked::Typed(e) => Ok(e),
            Checked::Null(pos) => Err(untyped_null(pos)),
        }
    }

    /// Checks `ast` where a value of type `ty` is required; a NULL literal takes that type.
    fn expect(&mut self, ast: &Ast, ty: ColType, what: &str) -> CResult<Expr> {
        match self.check(ast)? {
            Checked::Null(_) => Ok(null(ty)),
            Checked::Typed(e) if e.ty == ty => Ok(e),
            Checked::Typed(e) => Err((ast.pos, format!("{what} must be {}, not {}", name(ty), name(e.ty)))),
        }
    }

    /// Checks expressions that must share one type (CASE branches, coalesce arguments...).
    fn unify(&mut self, asts: &[&Ast], what: &str, pos: Pos) -> CResult<(Vec<Expr>, ColType)> {
        let checked = asts.iter().map(|a| self.check(a)).collect::<CResult<Vec<_>>>()?;
        let mut ty = None;
        for (c, a) in checked.iter().zip(asts) {
            if let Checked::Typed(e) = c {
                match ty {
                    None => ty = Some(e.ty),
                    Some(t) if t != e.ty => {
                        return Err((
                            a.pos,
                            format!("{what} have different types: {} and {}", name(t), name(e.ty)),
                        ))
                    }
                    Some(_) => {}
                }
            }
        }
        let Some(ty) = ty else {
            return Err(untyped_null(pos));
        };
        let exprs = checked
            .into_iter()
            .map(|c| match c {
                Checked::Typed(e) => e,
                Checked::Null(_) => null(ty),
            })
            .collect();
        Ok((exprs, ty))
    }

    fn check(&mut self, ast: &Ast) -> CResult<Checked> {
        let pos = ast.pos;
        let e = match &ast.kind {
            AstKind::Null => return Ok(Checked::Null(pos)),
            AstKind::Str(s) => Expr::new(Kind::Const(Some(Lit::Str(s.clone()))), ColType::Varchar),
            AstKind::Num(text) => Expr::new(Kind::Const(Some(Lit::Dec(number(text, pos)?))), ColType::Decimal),
            AstKind::Bool(b) => Expr::new(Kind::Const(Some(Lit::Bool(*b))), ColType::Boolean),
            AstKind::Column(col) => {
                let Some(input) = self.inputs.get(col.as_str()) else {
                    return Err((pos, format!("unknown column '{col}'")));
                };
                Expr::new(
                    Kind::Column {
                        index: input.index,
                        name: col.clone(),
                    },
                    input.ty,
                )
            }
            AstKind::Subscript(base, key) => {
                let map = self.typed(base)?;
                let ty = match map.ty {
                    ColType::MapVarchar => ColType::Varchar,
                    ColType::MapDecimal => ColType::Decimal,
                    other => return Err((pos, format!("only a MAP can be subscripted, not {}", name(other)))),
                };
                let key = str_lit(key, "a map key")?;
                Expr::new(
                    Kind::MapGet {
                        map: Box::new(map),
                        key,
                    },
                    ty,
                )
            }
            AstKind::Case {
                operand,
                whens,
                otherwise,
            } => self.case(operand.as_deref(), whens, otherwise.as_deref(), pos)?,
            AstKind::Binary(op, l, r) => self.binary(*op, l, r, pos)?,
            AstKind::Not(inner) => {
                let e = self.expect(inner, ColType::Boolean, "the operand of NOT")?;
                Expr::new(Kind::Not(Box::new(e)), ColType::Boolean)
            }
            AstKind::Neg(inner) => {
                let e = self.expect(inner, ColType::Decimal, "the operand of unary minus")?;
                Expr::new(Kind::Neg(Box::new(e)), ColType::Decimal)
            }
            AstKind::IsNull { expr, negated } => {
                let e = match self.check(expr)? {
                    Checked::Typed(e) => e,
                    // `NULL IS NULL` holds whatever the type; VARCHAR keeps the rendering valid.
                    Checked::Null(_) => null(ColType::Varchar),
                };
                Expr::new(
                    Kind::IsNull {
                        expr: Box::new(e),
                        negated: *negated,
                    },
                    ColType::Boolean,
                )
            }
            AstKind::In { expr, list, negated } => {
                let e = self.typed(expr)?;
                if !comparable(e.ty) {
                    return Err((expr.pos, format!("IN does not apply to {}", name(e.ty))));
                }
                let items = list
                    .iter()
                    .map(|item| literal(item, e.ty))
                    .collect::<CResult<Vec<_>>>()?;
                Expr::new(
                    Kind::InList {
                        expr: Box::new(e),
                        list: items,
                        negated: *negated,
                    },
                    ColType::Boolean,
                )
            }
            AstKind::Like { expr, pattern, negated } => {
                let e = self.expect(expr, ColType::Varchar, "the left side of LIKE")?;
                let pattern = str_lit(pattern, "a LIKE pattern")?;
                Expr::new(
                    Kind::Like {
                        expr: Box::new(e),
                        matcher: LikePattern::new(&pattern),
                        pattern,
                        negated: *negated,
                    },
                    ColType::Boolean,
                )
            }
            AstKind::Cast(inner, to) => {
                let to_ty = match to {
                    TypeName::Varchar => ColType::Varchar,
                    TypeName::Decimal => ColType::Decimal,
                    TypeName::TimestampTz => ColType::TimestampTz,
                    TypeName::Boolean => ColType::Boolean,
                };
                match self.check(inner)? {
                    Checked::Null(_) => null(to_ty),
                    Checked::Typed(e) if e.ty == to_ty => e,
                    Checked::Typed(e) => match (e.ty, to_ty) {
                        (ColType::Varchar, ColType::Decimal) => Expr::new(Kind::CastToDecimal(Box::new(e)), to_ty),
                        (ColType::Decimal, ColType::Varchar) => Expr::new(Kind::CastToVarchar(Box::new(e)), to_ty),
                        (from, _) => {
                            return Err((
                                pos,
                                format!(
                                    "CAST from {} to {} is not supported (only VARCHAR to DECIMAL, DECIMAL to \
                                     VARCHAR and CAST(NULL AS type))",
                                    name(from),
                                    name(to_ty)
                                ),
                            ))
                        }
                    },
                }
            }
            AstKind::Call(fname, args) => self.call(fname, args, pos)?,
        };
        Ok(Checked::Typed(e))
    }

    fn case(
        &mut self,
        operand: Option<&Ast>,
        whens: &[(Ast, Ast)],
        otherwise: Option<&Ast>,
        pos: Pos,
    ) -> CResult<Expr> {
        let mut results: Vec<&Ast> = whens.iter().map(|(_, t)| t).collect();
        results.extend(otherwise);
        let (mut values, ty) = self.unify(&results, "CASE branches", pos)?;
        if !comparable(ty) {
            return Err((pos, format!("CASE cannot return {}", name(ty))));
        }
        let otherwise = otherwise.map(|_| Box::new(values.remove(whens.len())));
        let kind = match operand {
            None => {
                let mut checked = Vec::with_capacity(whens.len());
                for ((cond, _), value) in whens.iter().zip(values) {
                    checked.push((self.expect(cond, ColType::Boolean, "a WHEN condition")?, value));
                }
                Kind::Case {
                    whens: checked,
                    otherwise,
                }
            }
            Some(op_ast) => {
                let op = self.typed(op_ast)?;
                if !comparable(op.ty) {
                    return Err((op_ast.pos, format!("CASE cannot compare {}", name(op.ty))));
                }
                let mut checked = Vec::with_capacity(whens.len());
                for ((when, _), value) in whens.iter().zip(values) {
                    checked.push((self.expect(when, op.ty, "a WHEN value")?, value));
                }
                Kind::SimpleCase {
                    operand: Box::new(op),
                    whens: checked,
                    otherwise,
                }
            }
        };
        Ok(Expr::new(kind, ty))
    }

    fn binary(&mut self, op: BinOp, l: &Ast, r: &Ast, pos: Pos) -> CResult<Expr> {
        let cmp_op = match op {
            BinOp::Eq => Some(CmpOp::Eq),
            BinOp::Ne => Some(CmpOp::Ne),
            BinOp::Lt => Some(CmpOp::Lt),
            BinOp::Le => Some(CmpOp::Le),
            BinOp::Gt => Some(CmpOp::Gt),
            BinOp::Ge => Some(CmpOp::Ge),
            _ => None,
        };
        if let Some(c) = cmp_op {
            let (mut sides, ty) = self.unify(&[l, r], "the two sides of a comparison", pos)?;
            if !comparable(ty) {
                return Err((pos, format!("{} cannot be compared", name(ty))));
            }
            let right = sides.pop();
            let left = sides.pop();
            let (Some(left), Some(right)) = (left, right) else {
                return Err((pos, "internal error: comparison operands".into()));
            };
            return Ok(Expr::new(
                Kind::Compare(c, Box::new(left), Box::new(right)),
                ColType::Boolean,
            ));
        }
        let (ty, what) = match op {
            BinOp::And | BinOp::Or => (ColType::Boolean, "an operand of AND/OR"),
            BinOp::Add | BinOp::Sub | BinOp::Mul => (ColType::Decimal, "an operand of arithmetic"),
            _ => (ColType::Varchar, "an operand of ||"),
        };
        let left = Box::new(self.expect(l, ty, what)?);
        let right = Box::new(self.expect(r, ty, what)?);
        let kind = match op {
            BinOp::And => Kind::And(left, right),
            BinOp::Or => Kind::Or(left, right),
            BinOp::Add => Kind::Arith(ArithOp::Add, left, right),
            BinOp::Sub => Kind::Arith(ArithOp::Sub, left, right),
            BinOp::Mul => Kind::Arith(ArithOp::Mul, left, right),
            _ => Kind::Concat(left, right),
        };
        Ok(Expr::new(kind, ty))
    }

    fn table(&mut self, table_name: &str, pos: Pos) -> CResult<Arc<LookupTable>> {
        if let Some(t) = self.shared_tables.get(table_name) {
            return Ok(t.clone());
        }
        let Some(t) = self.tables.iter().find(|t| t.name == table_name) else {
            let known: Vec<&str> = self.tables.iter().map(|t| t.name.as_str()).collect();
            return Err((
                pos,
                format!("unknown lookup table '{table_name}' (known: {})", known.join(", ")),
            ));
        };
        let shared = Arc::new(t.clone());
        self.shared_tables.insert(table_name.to_string(), shared.clone());
        Ok(shared)
    }

    fn call(&mut self, fname: &str, args: &[Ast], pos: Pos) -> CResult<Expr> {
        let lname = fname.to_ascii_lowercase();
        let arity = |n: usize| -> CResult<()> {
            if args.len() == n {
                Ok(())
            } else {
                let s = if n == 1 { "" } else { "s" };
                Err((pos, format!("{lname} takes {n} argument{s}, got {}", args.len())))
            }
        };
        let at_least = |n: usize| -> CResult<()> {
            if args.len() >= n {
                Ok(())
            } else {
                Err((
                    pos,
                    format!("{lname} takes at least {n} argument(s), got {}", args.len()),
                ))
            }
        };
        use ColType::{Boolean as B, Decimal as D, Varchar as V};
        let (func, exprs, ty) = match lname.as_str() {
            "coalesce" | "greatest" | "least" => {
                at_least(1)?;
                let refs: Vec<&Ast> = args.iter().collect();
                let (exprs, ty) = self.unify(&refs, &format!("arguments of {lname}"), pos)?;
                if !comparable(ty) {
                    return Err((pos, format!("{lname} does not apply to {}", name(ty))));
                }
                let func = match lname.as_str() {
                    "coalesce" => Func::Coalesce,
                    "greatest" => Func::Greatest,
                    _ => Func::Least,
                };
                (func, exprs, ty)
            }
            "nullif" => {
                arity(2)?;
                let (exprs, ty) = self.unify(&[&args[0], &args[1]], "arguments of nullif", pos)?;
                if !comparable(ty) {
                    return Err((pos, format!("nullif does not apply to {}", name(ty))));
                }
                (Func::NullIf, exprs, ty)
            }
            "lower" | "upper" | "trim" | "length" => {
                arity(1)?;
                let e = self.expect(&args[0], V, &format!("the argument of {lname}"))?;
                let (func, ty) = match lname.as_str() {
                    "lower" => (Func::Lower, V),
                    "upper" => (Func::Upper, V),
                    "trim" => (Func::Trim, V),
                    _ => (Func::Length, D),
                };
                (func, vec![e], ty)
            }
            "concat" => {
                at_least(1)?;
                let exprs = self.all(args, V, "arguments of concat")?;
                (Func::Concat, exprs, V)
            }
            "starts_with" | "ends_with" | "contains" => {
                arity(2)?;
                let exprs = self.all(args, V, &format!("arguments of {lname}"))?;
                let func = match lname.as_str() {
                    "starts_with" => Func::StartsWith,
                    "ends_with" => Func::EndsWith,
                    _ => Func::Contains,
                };
                (func, exprs, B)
            }
            "replace" => {
                arity(3)?;
                (Func::Replace, self.all(args, V, "arguments of replace")?, V)
            }
            "split_part" => {
                arity(3)?;
                let exprs = self.all(&args[..2], V, "the first two arguments of split_part")?;
                let n = int_lit(&args[2], "the part number of split_part")?;
                (Func::SplitPart(n), exprs, V)
            }
            "regexp_extract" | "regexp_matches" => {
                let extract = lname == "regexp_extract";
                if extract && !(2..=3).contains(&args.len()) {
                    return Err((
                        pos,
                        format!("regexp_extract takes 2 or 3 arguments, got {}", args.len()),
                    ));
                }
                if !extract {
                    arity(2)?;
                }
                let s = self.expect(&args[0], V, &format!("the first argument of {lname}"))?;
                let pattern = str_lit(&args[1], "a regular expression")?;
                let re = Arc::new(re2::compile(&pattern).map_err(|m| (args[1].pos, m))?);
                if extract {
                    let group = match args.get(2) {
                        Some(g) => int_lit(g, "the group of regexp_extract")?,
                        None => 0,
                    };
                    let groups = re.captures_len() as i64 - 1;
                    // DuckDB accepts 0..=9 and returns '' for a group the pattern lacks; a rule
                    // asking for a missing group is a mistake, so it does not compile.
                    if !(0..=9).contains(&group) || group > groups {
                        let g = args.get(2).map_or(pos, |g| g.pos);
                        return Err((
                            g,
                            format!("group {group} does not exist: the pattern has {groups} group(s)"),
                        ));
                    }
                    (
                        Func::RegexpExtract {
                            pattern,
                            re,
                            group: group as usize,
                        },
                        vec![s],
                        V,
                    )
                } else {
                    (Func::RegexpMatches { pattern, re }, vec![s], B)
                }
            }
            "add_days" => {
                arity(2)?;
                let t = self.expect(&args[0], ColType::TimestampTz, "the first argument of add_days")?;
                let n = int_lit(&args[1], "the day count of add_days")?;
                (Func::AddDays(n), vec![t], ColType::TimestampTz)
            }
            "date_trunc" => {
                arity(2)?;
                if !str_lit(&args[0], "the date part of date_trunc")?.eq_ignore_ascii_case("month") {
                    return Err((args[0].pos, "date_trunc supports only 'month'".into()));
                }
                let t = self.expect(&args[1], ColType::TimestampTz, "the second argument of date_trunc")?;
                (Func::TruncMonth, vec![t], ColType::TimestampTz)
            }
            "abs" => {
                arity(1)?;
                (Func::Abs, vec![self.expect(&args[0], D, "the argument of abs")?], D)
            }
            "month_start" | "month_end" => {
                arity(1)?;
                let a = match self.check(&args[0])? {
                    Checked::Null(_) => null(ColType::TimestampTz),
                    Checked::Typed(e) if matches!(e.ty, ColType::TimestampTz | V) => e,
                    Checked::Typed(_) => {
                        return Err((
                            args[0].pos,
                            format!("{lname} takes a TIMESTAMPTZ or a 'YYYYMM' VARCHAR"),
                        ))
                    }
                };
                (
                    Func::MonthStart {
                        end: lname == "month_end",
                    },
                    vec![a],
                    ColType::TimestampTz,
                )
            }
            "lookup" => {
                arity(3)?;
                let table_name = str_lit(&args[0], "the lookup table name")?;
                let table = self.table(&table_name, args[0].pos)?;
                let key = self.expect(&args[1], V, "the lookup key")?;
                let col_name = str_lit(&args[2], "the lookup column name")?;
                let Some(column) = table.columns.iter().position(|c| *c == col_name) else {
                    return Err((
                        args[2].pos,
                        format!(
                            "lookup table '{table_name}' has no column '{col_name}' (columns: {})",
                            table.columns.join(", ")
                        ),
                    ));
                };
                let index = table
                    .rows
                    .iter()
                    .filter_map(|(k, r)| r.get(column).filter(|v| !v.is_empty()).map(|v| (k.clone(), v.clone())))
                    .collect();
                (
                    Func::Lookup {
                        table,
                        column,
                        index: Arc::new(index),
                    },
                    vec![key],
                    V,
                )
            }
            "map_json" => {
                at_least(1)?;
                let mut exprs = Vec::with_capacity(args.len());
                for a in args {
                    let e = self.typed(a)?;
                    if !is_map(e.ty) {
                        return Err((a.pos, format!("map_json takes maps, not {}", name(e.ty))));
                    }
                    exprs.push(e);
                }
                (Func::MapJson, exprs, V)
            }
            "map_with_prefix" | "map_strip_prefix" => {
                arity(2)?;
                let m = self.typed(&args[0])?;
                if !is_map(m.ty) {
                    return Err((args[0].pos, format!("{lname} takes a map, not {}", name(m.ty))));
                }
                let prefix = str_lit(&args[1], "the prefix")?;
                let ty = m.ty;
                let func = if lname == "map_with_prefix" {
                    Func::MapWithPrefix(prefix)
                } else {
                    Func::MapStripPrefix(prefix)
                };
                (func, vec![m], ty)
            }
            _ => return Err((pos, format!("unknown function '{fname}'"))),
        };
        Ok(Expr::new(Kind::Func(func, exprs), ty))
    }

    fn all(&mut self, args: &[Ast], ty: ColType, what: &str) -> CResult<Vec<Expr>> {
        args.iter().map(|a| self.expect(a, ty, what)).collect()
    }
}

fn null(ty: ColType) -> Expr {
    Expr::new(Kind::Const(None), ty)
}

fn number(text: &str, pos: Pos) -> CResult<i128> {
    decimal::parse_literal(text).ok_or_else(|| {
        (
            pos,
            format!("{text} is not a DECIMAL(38,18): at most 20 integer digits and 18 decimals"),
        )
    })
}

fn str_lit(ast: &Ast, what: &str) -> CResult<String> {
    match &ast.kind {
        AstKind::Str(s) => Ok(s.clone()),
        _ => Err((ast.pos, format!("{what} must be a string literal"))),
    }
}

fn int_lit(ast: &Ast, what: &str) -> CResult<i64> {
    match &ast.kind {
        AstKind::Num(t) if t.trim_start_matches('-').bytes().all(|b| b.is_ascii_digit()) => {
            t.parse().map_err(|_| (ast.pos, format!("{what} is out of range")))
        }
        _ => Err((ast.pos, format!("{what} must be an integer literal"))),
    }
}

/// An item of an IN list: a literal of the tested value's type, or NULL.
fn literal(ast: &Ast, ty: ColType) -> CResult<Option<Lit>> {
    let (lit, lit_ty) = match &ast.kind {
        AstKind::Null => return Ok(None),
        AstKind::Str(s) => (Lit::Str(s.clone()), ColType::Varchar),
        AstKind::Num(t) => (Lit::Dec(number(t, ast.pos)?), ColType::Decimal),
        AstKind::Bool(b) => (Lit::Bool(*b), ColType::Boolean),
        _ => return Err((ast.pos, "IN lists hold literals only".into())),
    };
    if lit_ty != ty {
        return Err((
            ast.pos,
            format!("IN list item is {}, the tested value {}", name(lit_ty), name(ty)),
        ));
    }
    Ok(Some(lit))
}
