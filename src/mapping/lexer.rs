//! Tokens of the mapping language, each with the line and column where it starts, so every
//! parse and type error can point at the exact spot in a file humans review.

use std::fmt;

/// 1-based line and column (in characters) of a token in the mapping text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok {
    /// A bare word: keyword, function name, column, or output name. Case preserved.
    Word(String),
    /// `"..."`: never a keyword.
    Quoted(String),
    Str(String),
    /// Digits as written (`12`, `-` is a separate token), decoded by the type checker.
    Num(String),
    Sym(&'static str),
    Eof,
}

impl fmt::Display for Tok {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tok::Word(w) => write!(f, "'{w}'"),
            Tok::Quoted(w) => write!(f, "\"{w}\""),
            Tok::Str(_) => write!(f, "a string literal"),
            Tok::Num(n) => write!(f, "number {n}"),
            Tok::Sym(s) => write!(f, "'{s}'"),
            Tok::Eof => write!(f, "end of file"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Token {
    pub tok: Tok,
    pub pos: Pos,
}

/// A `--` comment. Only comments alone on their line become documentation.
#[derive(Debug, Clone)]
pub struct Comment {
    pub pos: Pos,
    pub text: String,
    pub own_line: bool,
}

pub struct Lexed {
    pub tokens: Vec<Token>,
    pub comments: Vec<Comment>,
}

const SYMBOLS: &[&str] = &[
    "||", "<>", "!=", "<=", ">=", "(", ")", ",", "[", "]", "+", "-", "*", "/", "=", "<", ">",
];

pub fn lex(text: &str) -> Result<Lexed, (Pos, String)> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut comments = Vec::new();
    let (mut i, mut line, mut col) = (0usize, 1u32, 1u32);
    // Whether only whitespace precedes `i` on the current line.
    let mut line_blank = true;
    let advance = |i: &mut usize, line: &mut u32, col: &mut u32, n: usize| {
        for _ in 0..n {
            if chars[*i] == '\n' {
                *line += 1;
                *col = 1;
            } else {
                *col += 1;
            }
            *i += 1;
        }
    };
    while i < chars.len() {
        let c = chars[i];
        let pos = Pos { line, col };
        if c == '\n' {
            advance(&mut i, &mut line, &mut col, 1);
            line_blank = true;
            continue;
        }
        if c.is_whitespace() {
            advance(&mut i, &mut line, &mut col, 1);
            continue;
        }
        if c == '-' && chars.get(i + 1) == Some(&'-') {
            let start = i + 2;
            let mut end = start;
            while end < chars.len() && chars[end] != '\n' {
                end += 1;
            }
            let body: String = chars[start..end].iter().collect();
            let body = body.strip_prefix(' ').unwrap_or(&body).trim_end().to_string();
            comments.push(Comment {
                pos,
                text: body,
                own_line: line_blank,
            });
            let n = end - i;
            advance(&mut i, &mut line, &mut col, n);
            continue;
        }
        line_blank = false;
        if c == '\'' || c == '"' {
            let mut s = String::new();
            let mut j = i + 1;
            loop {
                match chars.get(j) {
                    None => {
                        let what = if c == '\'' {
                            "string literal"
                        } else {
                            "quoted identifier"
                        };
                        return Err((pos, format!("unterminated {what}")));
                    }
                    Some(&q) if q == c => {
                        if chars.get(j + 1) == Some(&c) {
                            s.push(c);
                            j += 2;
                        } else {
                            j += 1;
                            break;
                        }
                    }
                    Some('\0') => return Err((pos, "NUL character in literal".into())),
                    Some(&other) => {
                        s.push(other);
                        j += 1;
                    }
                }
            }
            if c == '"' && s.is_empty() {
                return Err((pos, "empty quoted identifier".into()));
            }
            tokens.push(Token {
                tok: if c == '\'' { Tok::Str(s) } else { Tok::Quoted(s) },
                pos,
            });
            let n = j - i;
            advance(&mut i, &mut line, &mut col, n);
            continue;
        }
        let digit_at = |k: usize| chars.get(k).is_some_and(|d| d.is_ascii_digit());
        if c.is_ascii_digit() || (c == '.' && digit_at(i + 1)) {
            let mut j = i;
            while digit_at(j) {
                j += 1;
            }
            if chars.get(j) == Some(&'.') {
                j += 1;
                while digit_at(j) {
                    j += 1;
                }
            }
            if matches!(chars.get(j), Some('e' | 'E')) {
                let sign = usize::from(matches!(chars.get(j + 1), Some('+' | '-')));
                if !digit_at(j + 1 + sign) {
                    return Err((
                        Pos {
                            line,
                            col: col + (j - i) as u32,
                        },
                        "malformed exponent in number".into(),
                    ));
                }
                j += 1 + sign;
                while digit_at(j) {
                    j += 1;
                }
            }
            if chars
                .get(j)
                .is_some_and(|d| d.is_alphanumeric() || *d == '_' || *d == '.')
            {
                return Err((
                    Pos {
                        line,
                        col: col + (j - i) as u32,
                    },
                    "malformed number".into(),
                ));
            }
            tokens.push(Token {
                tok: Tok::Num(chars[i..j].iter().collect()),
                pos,
            });
            let n = j - i;
            advance(&mut i, &mut line, &mut col, n);
            continue;
        }
        if c.is_alphabetic() || c == '_' {
            let mut j = i;
            while chars.get(j).is_some_and(|d| d.is_alphanumeric() || *d == '_') {
                j += 1;
            }
            tokens.push(Token {
                tok: Tok::Word(chars[i..j].iter().collect()),
                pos,
            });
            let n = j - i;
            advance(&mut i, &mut line, &mut col, n);
            continue;
        }
        let sym = SYMBOLS.iter().find(|s| {
            let mut k = i;
            s.chars().all(|sc| {
                let ok = chars.get(k) == Some(&sc);
                k += 1;
                ok
            })
        });
        match sym {
            Some(s) => {
                tokens.push(Token { tok: Tok::Sym(s), pos });
                advance(&mut i, &mut line, &mut col, s.len());
            }
            None => return Err((pos, format!("unexpected character '{c}'"))),
        }
    }
    tokens.push(Token {
        tok: Tok::Eof,
        pos: Pos { line, col },
    });
    Ok(Lexed { tokens, comments })
}
