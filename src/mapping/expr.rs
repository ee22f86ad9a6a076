//! The typed expression tree the checker produces and both the evaluator and the SQL renderer
//! walk. Arguments that must be literals (patterns, prefixes, part numbers, lookup names) live in
//! the node, not among the evaluated arguments.

use super::text::LikePattern;
use super::LookupTable;
use crate::columnar::ColType;
use regex::Regex;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq)]
pub enum Lit {
    Str(String),
    Dec(i128),
    Bool(bool),
    Ts(i64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    pub fn sql(self) -> &'static str {
        match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "<>",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
    pub fn test(self, ord: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::*;
        match self {
            CmpOp::Eq => ord == Equal,
            CmpOp::Ne => ord != Equal,
            CmpOp::Lt => ord == Less,
            CmpOp::Le => ord != Greater,
            CmpOp::Gt => ord == Greater,
            CmpOp::Ge => ord != Less,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArithOp {
    Add,
    Sub,
    Mul,
}

#[derive(Debug, Clone)]
pub struct Expr {
    pub kind: Kind,
    pub ty: ColType,
}

#[derive(Debug, Clone)]
pub enum Kind {
    /// `None` is a NULL of type `ty`.
    Const(Option<Lit>),
    Column {
        index: usize,
        name: String,
    },
    MapGet {
        map: Box<Expr>,
        key: String,
    },
    Case {
        whens: Vec<(Expr, Expr)>,
        otherwise: Option<Box<Expr>>,
    },
    SimpleCase {
        operand: Box<Expr>,
        whens: Vec<(Expr, Expr)>,
        otherwise: Option<Box<Expr>>,
    },
    Compare(CmpOp, Box<Expr>, Box<Expr>),
    IsNull {
        expr: Box<Expr>,
        negated: bool,
    },
    InList {
        expr: Box<Expr>,
        list: Vec<Option<Lit>>,
        negated: bool,
    },
    Like {
        expr: Box<Expr>,
        pattern: String,
        matcher: LikePattern,
        negated: bool,
    },
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Arith(ArithOp, Box<Expr>, Box<Expr>),
    Neg(Box<Expr>),
    /// `a || b`
    Concat(Box<Expr>, Box<Expr>),
    /// VARCHAR to DECIMAL(38,18)
    CastToDecimal(Box<Expr>),
    /// DECIMAL(38,18) to VARCHAR
    CastToVarchar(Box<Expr>),
    Func(Func, Vec<Expr>),
}

#[derive(Debug, Clone)]
pub enum Func {
    Coalesce,
    NullIf,
    Lower,
    Upper,
    Trim,
    Length,
    Concat,
    StartsWith,
    EndsWith,
    Contains,
    Replace,
    SplitPart(i64),
    RegexpExtract {
        pattern: String,
        re: Arc<Regex>,
        group: usize,
    },
    RegexpMatches {
        pattern: String,
        re: Arc<Regex>,
    },
    Abs,
    /// First instant (UTC) of the month of a TIMESTAMPTZ, or of a `YYYYMM` text (GCP invoice
    /// months); `end` gives the first instant of the next month (an exclusive end).
    MonthStart {
        end: bool,
    },
    /// `add_days(ts, n)`: the timestamp plus `n` days of exactly 24 hours (UTC).
    AddDays(i64),
    /// `date_trunc('month', ts)`: midnight UTC of the first day of the timestamp's month.
    TruncMonth,
    Greatest,
    Least,
    Lookup {
        table: Arc<LookupTable>,
        column: usize,
        /// Key to the column's non-empty value, hashed for speed (keys are trusted data).
        index: Arc<LookupIndex>,
    },
    MapJson,
    MapWithPrefix(String),
    MapStripPrefix(String),
}

pub type LookupIndex = std::collections::HashMap<String, String, std::hash::BuildHasherDefault<FastHasher>>;

/// FxHash (rustc's hasher): a multiply and a rotate per word. Lookup keys are short codes from
/// our own CSV files, so there is no adversary to defend against with SipHash.
#[derive(Default, Clone, Copy)]
pub struct FastHasher(u64);

impl std::hash::Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut add = |w: u64| self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(K);
        let chunks = bytes.chunks_exact(8);
        let rest = chunks.remainder();
        for c in chunks {
            add(u64::from_le_bytes(c.try_into().unwrap_or_default()));
        }
        for &b in rest {
            add(u64::from(b));
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

impl Expr {
    pub fn new(kind: Kind, ty: ColType) -> Self {
        Expr { kind, ty }
    }

    pub fn children(&self) -> Vec<&Expr> {
        match &self.kind {
            Kind::Const(_) | Kind::Column { .. } => vec![],
            Kind::MapGet { map, .. } => vec![map],
            Kind::Case { whens, otherwise } => {
                let mut v: Vec<&Expr> = whens.iter().flat_map(|(c, t)| [c, t]).collect();
                v.extend(otherwise.as_deref());
                v
            }
            Kind::SimpleCase {
                operand,
                whens,
                otherwise,
            } => {
                let mut v: Vec<&Expr> = vec![operand];
                v.extend(whens.iter().flat_map(|(c, t)| [c, t]));
                v.extend(otherwise.as_deref());
                v
            }
            Kind::Compare(_, a, b) | Kind::And(a, b) | Kind::Or(a, b) | Kind::Arith(_, a, b) | Kind::Concat(a, b) => {
                vec![a, b]
            }
            Kind::IsNull { expr, .. } | Kind::InList { expr, .. } | Kind::Like { expr, .. } => vec![expr],
            Kind::Not(a) | Kind::Neg(a) | Kind::CastToDecimal(a) | Kind::CastToVarchar(a) => vec![a],
            Kind::Func(_, args) => args.iter().collect(),
        }
    }

    pub fn children_mut(&mut self) -> Vec<&mut Expr> {
        match &mut self.kind {
            Kind::Const(_) | Kind::Column { .. } => vec![],
            Kind::MapGet { map, .. } => vec![map],
            Kind::Case { whens, otherwise } => {
                let mut v: Vec<&mut Expr> = whens.iter_mut().flat_map(|(c, t)| [c, t]).collect();
                v.extend(otherwise.as_deref_mut());
                v
            }
            Kind::SimpleCase {
                operand,
                whens,
                otherwise,
            } => {
                let mut v: Vec<&mut Expr> = vec![operand];
                v.extend(whens.iter_mut().flat_map(|(c, t)| [c, t]));
                v.extend(otherwise.as_deref_mut());
                v
            }
            Kind::Compare(_, a, b) | Kind::And(a, b) | Kind::Or(a, b) | Kind::Arith(_, a, b) | Kind::Concat(a, b) => {
                vec![a, b]
            }
            Kind::IsNull { expr, .. } | Kind::InList { expr, .. } | Kind::Like { expr, .. } => vec![expr],
            Kind::Not(a) | Kind::Neg(a) | Kind::CastToDecimal(a) | Kind::CastToVarchar(a) => vec![a],
            Kind::Func(_, args) => args.iter_mut().collect(),
        }
    }

    /// Input column indexes read anywhere in the tree, sorted and unique.
    /// For every map column this expression reads: the keys it looks up with `m['key']`, or
    /// `None` when it uses the map as a whole (map_json, map_strip_prefix...).
    pub fn map_key_uses(&self, out: &mut HashMap<usize, Option<HashSet<String>>>) {
        let mut stack = vec![self];
        while let Some(e) = stack.pop() {
            match &e.kind {
                Kind::MapGet { map, key } => {
                    if let Kind::Column { index, .. } = map.kind {
                        if let Some(keys) = out.entry(index).or_insert_with(|| Some(HashSet::new())) {
                            keys.insert(key.clone());
                        }
                        continue;
                    }
                }
                Kind::Column { index, .. } if matches!(e.ty, ColType::MapVarchar | ColType::MapDecimal) => {
                    out.insert(*index, None);
                }
                _ => {}
            }
            stack.extend(e.children());
        }
    }

    pub fn inputs(&self) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(e) = stack.pop() {
            if let Kind::Column { index, .. } = e.kind {
                out.push(index);
            }
            stack.extend(e.children());
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}
