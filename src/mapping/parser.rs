//! Recursive-descent parser for mapping files. Operator precedence follows DuckDB's grammar
//! (loosest first): OR, AND, NOT, IS, comparison, IN/LIKE, `||`, `+ -`, `*`, unary minus,
//! subscript. A rule therefore means what a reader who knows DuckDB expects, even though the
//! rendered SQL is fully parenthesised and does not depend on it.

use super::lexer::{lex, Comment, Pos, Tok, Token};

#[derive(Debug, Clone)]
pub struct Ast {
    pub kind: AstKind,
    pub pos: Pos,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    And,
    Or,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Concat,
}

/// A type name in `CAST(... AS type)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeName {
    Varchar,
    Decimal,
    TimestampTz,
    Boolean,
}

#[derive(Debug, Clone)]
pub enum AstKind {
    Str(String),
    /// The literal's text, with a leading `-` when a unary minus was folded into it.
    Num(String),
    Null,
    Bool(bool),
    Column(String),
    Subscript(Box<Ast>, Box<Ast>),
    Case {
        operand: Option<Box<Ast>>,
        whens: Vec<(Ast, Ast)>,
        otherwise: Option<Box<Ast>>,
    },
    Binary(BinOp, Box<Ast>, Box<Ast>),
    Not(Box<Ast>),
    Neg(Box<Ast>),
    IsNull {
        expr: Box<Ast>,
        negated: bool,
    },
    In {
        expr: Box<Ast>,
        list: Vec<Ast>,
        negated: bool,
    },
    Like {
        expr: Box<Ast>,
        pattern: Box<Ast>,
        negated: bool,
    },
    Cast(Box<Ast>, TypeName),
    Call(String, Vec<Ast>),
}

#[derive(Debug)]
pub struct Item {
    pub expr: Ast,
    pub name: String,
    pub name_pos: Pos,
    pub doc: String,
}

#[derive(Debug)]
pub struct File {
    pub doc: String,
    pub items: Vec<Item>,
    /// `WHERE cond` after `FROM <name>`: the rows the mapping keeps.
    pub filter: Option<Ast>,
}

pub type ParseError = (Pos, String);

const KEYWORDS: &[&str] = &[
    "SELECT", "FROM", "AS", "CASE", "WHEN", "THEN", "ELSE", "END", "AND", "OR", "NOT", "IS", "NULL", "IN", "LIKE",
    "TRUE", "FALSE", "CAST", "WHERE",
];

pub fn is_keyword(word: &str) -> bool {
    KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(word))
}

pub fn parse(text: &str) -> Result<File, ParseError> {
    let lexed = lex(text)?;
    let mut p = Parser {
        tokens: lexed.tokens,
        at: 0,
    };
    let comments = lexed.comments;

    let select_pos = p.pos();
    p.expect_keyword("SELECT")?;
    let doc = doc_between(&comments, Pos::default(), select_pos);
    let mut items: Vec<Item> = Vec::new();
    let mut sep_pos = select_pos;
    loop {
        if p.peek_keyword("FROM") && !items.is_empty() {
            break;
        }
        let first = p.pos();
        let expr = p.expr()?;
        p.expect_keyword("AS")?;
        let name_pos = p.pos();
        let name = p.name("an output column name after AS")?;
        items.push(Item {
            expr,
            name,
            name_pos,
            doc: doc_between(&comments, sep_pos, first),
        });
        if p.eat_sym(",") {
            sep_pos = p.tokens[p.at - 1].pos;
            continue;
        }
        if !p.peek_keyword("FROM") {
            return Err(p.unexpected("',' or FROM"));
        }
    }
    p.expect_keyword("FROM")?;
    p.name("a relation name after FROM")?;
    let filter = if p.peek_keyword("WHERE") {
        p.expect_keyword("WHERE")?;
        Some(p.expr()?)
    } else {
        None
    };
    if p.peek() != &Tok::Eof {
        return Err(p.unexpected(if filter.is_some() {
            "end of file after WHERE <condition>"
        } else {
            "WHERE or end of file after FROM <name>"
        }));
    }
    Ok(File { doc, items, filter })
}

/// Comment lines that stand alone on their line strictly between two positions.
fn doc_between(comments: &[Comment], after: Pos, before: Pos) -> String {
    let key = |p: Pos| (p.line, p.col);
    comments
        .iter()
        .filter(|c| c.own_line && key(c.pos) > key(after) && key(c.pos) < key(before))
        .map(|c| c.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> &Tok {
        &self.tokens[self.at].tok
    }
    fn peek_at(&self, k: usize) -> &Tok {
        let i = (self.at + k).min(self.tokens.len() - 1);
        &self.tokens[i].tok
    }
    fn pos(&self) -> Pos {
        self.tokens[self.at].pos
    }
    fn bump(&mut self) -> Token {
        let t = self.tokens[self.at].clone();
        if self.at + 1 < self.tokens.len() {
            self.at += 1;
        }
        t
    }
    fn unexpected(&self, wanted: &str) -> ParseError {
        (self.pos(), format!("expected {wanted}, found {}", self.peek()))
    }
    fn peek_keyword(&self, kw: &str) -> bool {
        matches!(self.peek(), Tok::Word(w) if w.eq_ignore_ascii_case(kw))
    }
    fn peek_keyword_at(&self, k: usize, kw: &str) -> bool {
        matches!(self.peek_at(k), Tok::Word(w) if w.eq_ignore_ascii_case(kw))
    }
    fn eat_keyword(&mut self, kw: &str) -> bool {
        if self.peek_keyword(kw) {
            self.bump();
            true
        } else {
            false
        }
    }
    fn expect_keyword(&mut self, kw: &str) -> Result<(), ParseError> {
        if self.eat_keyword(kw) {
            Ok(())
        } else {
            Err(self.unexpected(kw))
        }
    }
    fn peek_sym(&self, s: &str) -> bool {
        matches!(self.peek(), Tok::Sym(x) if *x == s)
    }
    fn eat_sym(&mut self, s: &str) -> bool {
        if self.peek_sym(s) {
            self.bump();
            true
        } else {
            false
        }
    }
    fn expect_sym(&mut self, s: &str) -> Result<(), ParseError> {
        if self.eat_sym(s) {
            Ok(())
        } else {
            Err(self.unexpected(&format!("'{s}'")))
        }
    }
    fn name(&mut self, wanted: &str) -> Result<String, ParseError> {
        match self.peek().clone() {
            Tok::Word(w) if !is_keyword(&w) => {
                self.bump();
                Ok(w)
            }
            Tok::Quoted(w) => {
                self.bump();
                Ok(w)
            }
            _ => Err(self.unexpected(wanted)),
        }
    }

    fn expr(&mut self) -> Result<Ast, ParseError> {
        self.or_expr()
    }

    fn or_expr(&mut self) -> Result<Ast, ParseError> {
        let mut left = self.and_expr()?;
        while self.peek_keyword("OR") {
            let pos = self.bump().pos;
            let right = self.and_expr()?;
            left = binary(BinOp::Or, left, right, pos);
        }
        Ok(left)
    }

    fn and_expr(&mut self) -> Result<Ast, ParseError> {
        let mut left = self.not_expr()?;
        while self.peek_keyword("AND") {
            let pos = self.bump().pos;
            let right = self.not_expr()?;
            left = binary(BinOp::And, left, right, pos);
        }
        Ok(left)
    }

    fn not_expr(&mut self) -> Result<Ast, ParseError> {
        if self.peek_keyword("NOT") {
            let pos = self.bump().pos;
            let inner = self.not_expr()?;
            return Ok(Ast {
                kind: AstKind::Not(Box::new(inner)),
                pos,
            });
        }
        self.is_expr()
    }

    fn is_expr(&mut self) -> Result<Ast, ParseError> {
        let mut expr = self.cmp_expr()?;
        while self.peek_keyword("IS") {
            let pos = self.bump().pos;
            let negated = self.eat_keyword("NOT");
            if !self.eat_keyword("NULL") {
                return Err(self.unexpected("NULL after IS (only IS [NOT] NULL is supported)"));
            }
            expr = Ast {
                kind: AstKind::IsNull {
                    expr: Box::new(expr),
                    negated,
                },
                pos,
            };
        }
        Ok(expr)
    }

    fn cmp_op(&self) -> Option<BinOp> {
        Some(match self.peek() {
            Tok::Sym("=") => BinOp::Eq,
            Tok::Sym("<>") | Tok::Sym("!=") => BinOp::Ne,
            Tok::Sym("<") => BinOp::Lt,
            Tok::Sym("<=") => BinOp::Le,
            Tok::Sym(">") => BinOp::Gt,
            Tok::Sym(">=") => BinOp::Ge,
            _ => return None,
        })
    }

    fn cmp_expr(&mut self) -> Result<Ast, ParseError> {
        let left = self.pred_expr()?;
        let Some(op) = self.cmp_op() else {
            return Ok(left);
        };
        let pos = self.bump().pos;
        let right = self.pred_expr()?;
        if self.cmp_op().is_some() {
            return Err((self.pos(), "comparisons do not chain; add parentheses".into()));
        }
        Ok(binary(op, left, right, pos))
    }

    fn pred_expr(&mut self) -> Result<Ast, ParseError> {
        let expr = self.concat_expr()?;
        let negated = self.peek_keyword("NOT") && (self.peek_keyword_at(1, "IN") || self.peek_keyword_at(1, "LIKE"));
        if negated {
            self.bump();
        }
        if self.peek_keyword("IN") {
            let pos = self.bump().pos;
            self.expect_sym("(")?;
            let mut list = vec![self.expr()?];
            while self.eat_sym(",") {
                list.push(self.expr()?);
            }
            self.expect_sym(")")?;
            return Ok(Ast {
                kind: AstKind::In {
                    expr: Box::new(expr),
                    list,
                    negated,
                },
                pos,
            });
        }
        if self.peek_keyword("LIKE") {
            let pos = self.bump().pos;
            let pattern = self.concat_expr()?;
            return Ok(Ast {
                kind: AstKind::Like {
                    expr: Box::new(expr),
                    pattern: Box::new(pattern),
                    negated,
                },
                pos,
            });
        }
        Ok(expr)
    }

    fn concat_expr(&mut self) -> Result<Ast, ParseError> {
        let mut left = self.add_expr()?;
        while self.peek_sym("||") {
            let pos = self.bump().pos;
            let right = self.add_expr()?;
            left = binary(BinOp::Concat, left, right, pos);
        }
        Ok(left)
    }

    fn add_expr(&mut self) -> Result<Ast, ParseError> {
        let mut left = self.mul_expr()?;
        loop {
            let op = match self.peek() {
                Tok::Sym("+") => BinOp::Add,
                Tok::Sym("-") => BinOp::Sub,
                _ => return Ok(left),
            };
            let pos = self.bump().pos;
            let right = self.mul_expr()?;
            left = binary(op, left, right, pos);
        }
    }

    fn mul_expr(&mut self) -> Result<Ast, ParseError> {
        let mut left = self.unary()?;
        loop {
            if self.peek_sym("/") {
                return Err((
                    self.pos(),
                    "division is not supported: DuckDB's DECIMAL division has no exact equivalent here".into(),
                ));
            }
            if !self.peek_sym("*") {
                return Ok(left);
            }
            let pos = self.bump().pos;
            let right = self.unary()?;
            left = binary(BinOp::Mul, left, right, pos);
        }
    }

    fn unary(&mut self) -> Result<Ast, ParseError> {
        if self.peek_sym("-") {
            let pos = self.bump().pos;
            if let Tok::Num(n) = self.peek().clone() {
                // A negative literal is one value, so `-3.5` renders as a literal, not a negation.
                if !self.peek_sym_at(1, "[") {
                    self.bump();
                    return Ok(Ast {
                        kind: AstKind::Num(format!("-{n}")),
                        pos,
                    });
                }
            }
            let inner = self.unary()?;
            return Ok(Ast {
                kind: AstKind::Neg(Box::new(inner)),
                pos,
            });
        }
        self.postfix()
    }

    fn peek_sym_at(&self, k: usize, s: &str) -> bool {
        matches!(self.peek_at(k), Tok::Sym(x) if *x == s)
    }

    fn postfix(&mut self) -> Result<Ast, ParseError> {
        let mut expr = self.primary()?;
        while self.peek_sym("[") {
            let pos = self.bump().pos;
            let key = self.expr()?;
            self.expect_sym("]")?;
            expr = Ast {
                kind: AstKind::Subscript(Box::new(expr), Box::new(key)),
                pos,
            };
        }
        Ok(expr)
    }

    fn primary(&mut self) -> Result<Ast, ParseError> {
        let pos = self.pos();
        let kind = match self.peek().clone() {
            Tok::Str(s) => {
                self.bump();
                AstKind::Str(s)
            }
            Tok::Num(n) => {
                self.bump();
                AstKind::Num(n)
            }
            Tok::Quoted(name) => {
                self.bump();
                AstKind::Column(name)
            }
            Tok::Sym("(") => {
                self.bump();
                let inner = self.expr()?;
                self.expect_sym(")")?;
                return Ok(inner);
            }
            Tok::Word(w) => {
                let upper = w.to_ascii_uppercase();
                match upper.as_str() {
                    "NULL" => {
                        self.bump();
                        AstKind::Null
                    }
                    "TRUE" | "FALSE" => {
                        self.bump();
                        AstKind::Bool(upper == "TRUE")
                    }
                    "CASE" => return self.case(),
                    "CAST" => return self.cast(),
                    _ if is_keyword(&w) => return Err(self.unexpected("an expression")),
                    _ => {
                        self.bump();
                        if self.eat_sym("(") {
                            let mut args = Vec::new();
                            if !self.eat_sym(")") {
                                args.push(self.expr()?);
                                while self.eat_sym(",") {
                                    args.push(self.expr()?);
                                }
                                self.expect_sym(")")?;
                            }
                            AstKind::Call(w, args)
                        } else {
                            AstKind::Column(w)
                        }
                    }
                }
            }
            _ => return Err(self.unexpected("an expression")),
        };
        Ok(Ast { kind, pos })
    }

    fn case(&mut self) -> Result<Ast, ParseError> {
        let pos = self.bump().pos;
        let operand = if self.peek_keyword("WHEN") {
            None
        } else {
            Some(Box::new(self.expr()?))
        };
        let mut whens = Vec::new();
        while self.eat_keyword("WHEN") {
            let cond = self.expr()?;
            self.expect_keyword("THEN")?;
            let then = self.expr()?;
            whens.push((cond, then));
        }
        if whens.is_empty() {
            return Err(self.unexpected("WHEN"));
        }
        let otherwise = if self.eat_keyword("ELSE") {
            Some(Box::new(self.expr()?))
        } else {
            None
        };
        self.expect_keyword("END")?;
        Ok(Ast {
            kind: AstKind::Case {
                operand,
                whens,
                otherwise,
            },
            pos,
        })
    }

    fn cast(&mut self) -> Result<Ast, ParseError> {
        let pos = self.bump().pos;
        self.expect_sym("(")?;
        let inner = self.expr()?;
        self.expect_keyword("AS")?;
        let type_pos = self.pos();
        let ty = match self.peek().clone() {
            Tok::Word(w) => match w.to_ascii_uppercase().as_str() {
                "VARCHAR" => TypeName::Varchar,
                "DECIMAL" => TypeName::Decimal,
                "TIMESTAMPTZ" => TypeName::TimestampTz,
                "BOOLEAN" => TypeName::Boolean,
                _ => {
                    return Err((
                        type_pos,
                        format!("unsupported type {w}: use VARCHAR, DECIMAL, TIMESTAMPTZ or BOOLEAN"),
                    ))
                }
            },
            _ => return Err(self.unexpected("a type name")),
        };
        self.bump();
        if ty == TypeName::Decimal && self.eat_sym("(") {
            // DECIMAL means DECIMAL(38,18) here; spelling it out is allowed, other precisions are not.
            let width = self.bump();
            self.expect_sym(",")?;
            let scale = self.bump();
            self.expect_sym(")")?;
            if width.tok != Tok::Num("38".into()) || scale.tok != Tok::Num("18".into()) {
                return Err((width.pos, "only DECIMAL(38,18) is supported".into()));
            }
        }
        self.expect_sym(")")?;
        Ok(Ast {
            kind: AstKind::Cast(Box::new(inner), ty),
            pos,
        })
    }
}

fn binary(op: BinOp, left: Ast, right: Ast, pos: Pos) -> Ast {
    Ast {
        kind: AstKind::Binary(op, Box::new(left), Box::new(right)),
        pos,
    }
}
