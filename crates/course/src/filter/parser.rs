//! The grammar, by recursive descent, with Wireshark's precedence (`!` binds tightest, then
//! `&&`, then `||`):
//!
//! ```text
//! filter  = or
//! or      = and { ("||" | "or") and }
//! and     = unary { ("&&" | "and") unary }
//! unary   = ("!" | "not") unary | primary
//! primary = "(" filter ")" | field [ op value ] | text
//! op      = "==" | "!=" | "<" | ">" | "<=" | ">=" | "contains"  (or eq ne lt gt le ge)
//! value   = number | 0x-hex | word | "quoted string"
//! text    = a word that is no field, or a quoted string standing alone
//! ```

use super::ast::Filter;
use super::fields::Field;
use super::lexer::{lex, Tok, Token};
use super::value::{resolve, Literal};
use super::why::{closest, Why};

/// Parses a filter, or says in plain words what is wrong and where.
pub fn parse(text: &str) -> Result<Filter, Why> {
    let toks = lex(text)?;
    let end = text.chars().count() + 1;
    if toks.is_empty() {
        return Err(Why::new("the filter is empty", 1).hint("try coap.code == 2.31 or Block2"));
    }
    let mut p = Parser { toks, pos: 0, end };
    let f = p.or()?;
    match p.peek() {
        None => Ok(f),
        Some(Token {
            tok: Tok::Close,
            at,
        }) => Err(Why::new("a `)` with no `(` before it", *at)),
        Some(t) => {
            Err(Why::new("two terms with nothing between them", t.at)
                .hint("join them with && or ||"))
        }
    }
}

struct Parser {
    toks: Vec<Token>,
    pos: usize,
    /// The position just past the last character, for "ends too soon" messages.
    end: usize,
}

/// Prefixes of Wireshark field names: a word that starts with one is meant as a field.
const PROTOCOLS: [&str; 6] = ["coap", "lwm2m", "lwm2mtlv", "ip", "udp", "frame"];

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.toks.get(self.pos)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn eat(&mut self, tok: &Tok) -> bool {
        let found = self.peek().is_some_and(|t| &t.tok == tok);
        if found {
            self.pos += 1;
        }
        found
    }

    fn or(&mut self) -> Result<Filter, Why> {
        let mut left = self.and()?;
        while self.eat(&Tok::Or) {
            let right = self.and()?;
            left = Filter::Or {
                left: Box::new(left),
                right: Box::new(right),
            };
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Filter, Why> {
        let mut left = self.unary()?;
        while self.eat(&Tok::And) {
            let right = self.unary()?;
            left = Filter::And {
                left: Box::new(left),
                right: Box::new(right),
            };
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Filter, Why> {
        if self.eat(&Tok::Not) {
            return Ok(Filter::Not {
                inner: Box::new(self.unary()?),
            });
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Filter, Why> {
        let Some(Token { tok, at }) = self.next() else {
            return Err(Why::new(
                "the filter ends where a field or text was expected",
                self.end,
            ));
        };
        match tok {
            Tok::Open => {
                let inner = self.or()?;
                if !self.eat(&Tok::Close) {
                    return Err(Why::new("a `(` that is never closed", at).hint("add a `)`"));
                }
                Ok(inner)
            }
            Tok::Word(word) => self.field_or_text(word, at),
            Tok::Quoted(text) => match self.peek() {
                Some(Token {
                    tok: Tok::Op(op), ..
                }) => Err(
                    Why::new(format!("a quoted string before `{}`", op.symbol()), at)
                        .hint("a field name comes first, as in uri == \"/5/0/1\""),
                ),
                _ => Ok(Filter::Text { text, at }),
            },
            Tok::Op(op) => Err(Why::new(
                format!("`{}` with no field before it", op.symbol()),
                at,
            )),
            Tok::Close => Err(Why::new("a `)` where a field or text was expected", at)),
            Tok::And | Tok::Or => Err(Why::new("`&&` or `||` with nothing before it", at)),
            Tok::Not => Err(Why::new("a `!` where a field or text was expected", at)),
        }
    }

    fn field_or_text(&mut self, word: String, at: usize) -> Result<Filter, Why> {
        let op = match self.peek() {
            Some(Token {
                tok: Tok::Op(op), ..
            }) => Some(*op),
            _ => None,
        };
        let Some(field) = Field::lookup(&word) else {
            let protocol = word
                .split('.')
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase();
            if op.is_none() && !(word.contains('.') && PROTOCOLS.contains(&protocol.as_str())) {
                return Ok(Filter::Text { text: word, at });
            }
            return Err(unknown_field(&word, at));
        };
        let Some(op) = op else {
            return Ok(Filter::Present { field, at });
        };
        let op_at = self.next().map_or(self.end, |t| t.at);
        let value = match self.next() {
            Some(Token {
                tok: Tok::Word(w),
                at,
            }) => resolve(field, op, &Literal::Word(&w), op_at, at)?,
            Some(Token {
                tok: Tok::Quoted(q),
                at,
            }) => resolve(field, op, &Literal::Quoted(&q), op_at, at)?,
            _ => {
                return Err(
                    Why::new(format!("`{}` needs a value after it", op.symbol()), op_at)
                        .hint(format!("as in {} {} ...", field.name(), op.symbol())),
                )
            }
        };
        Ok(Filter::Compare {
            field,
            op,
            value,
            at,
        })
    }
}

fn unknown_field(word: &str, at: usize) -> Why {
    let why = Why::new(format!("unknown field `{word}`"), at);
    let lower = word.to_ascii_lowercase();
    if let Some(c) = closest(word, Field::spellings().map(|(n, _)| n)) {
        return why.hint(format!("did you mean `{c}`?"));
    }
    match lower.as_str() {
        "ip.src" | "ip.addr" => why.hint("write from == server (or device, repository)"),
        "ip.dst" => why.hint("write to == server (or device, repository)"),
        _ => why.hint("docs/filters.md lists the fields"),
    }
}
