//! Splits a filter into tokens, each with the character position it starts at (from 1).

use super::why::Why;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tok {
    /// A field name, a bare value (`CON`, `2.31`, `0x5f`, `ca:fe`) or plain text.
    Word(String),
    /// A quoted string, escapes resolved.
    Quoted(String),
    Op(CmpOp),
    And,
    Or,
    Not,
    Open,
    Close,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
    Contains,
}

impl CmpOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Gt => ">",
            CmpOp::Le => "<=",
            CmpOp::Ge => ">=",
            CmpOp::Contains => "contains",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub tok: Tok,
    pub at: usize,
}

/// Characters that end a bare word.
fn ends_word(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | '!' | '=' | '<' | '>' | '&' | '|' | '"')
}

/// Words that are operators, as in Wireshark (`and`, `eq`, `contains`, ...), in any case.
fn keyword(word: &str) -> Option<Tok> {
    Some(match word.to_ascii_lowercase().as_str() {
        "and" => Tok::And,
        "or" => Tok::Or,
        "not" => Tok::Not,
        "contains" => Tok::Op(CmpOp::Contains),
        "eq" => Tok::Op(CmpOp::Eq),
        "ne" => Tok::Op(CmpOp::Ne),
        "lt" => Tok::Op(CmpOp::Lt),
        "gt" => Tok::Op(CmpOp::Gt),
        "le" => Tok::Op(CmpOp::Le),
        "ge" => Tok::Op(CmpOp::Ge),
        _ => return None,
    })
}

pub fn lex(text: &str) -> Result<Vec<Token>, Why> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let at = i + 1;
        let next = chars.get(i + 1).copied();
        let (tok, len) = match (c, next) {
            (c, _) if c.is_whitespace() => {
                i += 1;
                continue;
            }
            ('(', _) => (Tok::Open, 1),
            (')', _) => (Tok::Close, 1),
            ('=', Some('=')) => (Tok::Op(CmpOp::Eq), 2),
            ('!', Some('=')) => (Tok::Op(CmpOp::Ne), 2),
            ('<', Some('=')) => (Tok::Op(CmpOp::Le), 2),
            ('>', Some('=')) => (Tok::Op(CmpOp::Ge), 2),
            ('<', _) => (Tok::Op(CmpOp::Lt), 1),
            ('>', _) => (Tok::Op(CmpOp::Gt), 1),
            ('!', _) => (Tok::Not, 1),
            ('&', Some('&')) => (Tok::And, 2),
            ('|', Some('|')) => (Tok::Or, 2),
            ('=', _) => return Err(Why::new("a single `=`", at).hint("compare with `==`")),
            ('&', _) => return Err(Why::new("a single `&`", at).hint("write `&&` or `and`")),
            ('|', _) => return Err(Why::new("a single `|`", at).hint("write `||` or `or`")),
            ('"', _) => {
                let (s, len) = quoted(&chars[i..], at)?;
                (Tok::Quoted(s), len)
            }
            _ => {
                let len = chars[i..].iter().take_while(|c| !ends_word(**c)).count();
                let word: String = chars[i..i + len].iter().collect();
                (keyword(&word).unwrap_or(Tok::Word(word)), len)
            }
        };
        out.push(Token { tok, at });
        i += len;
    }
    Ok(out)
}

/// A string from its opening quote: returns its text and how many characters it took.
fn quoted(chars: &[char], at: usize) -> Result<(String, usize), Why> {
    let mut s = String::new();
    let mut i = 1;
    while let Some(&c) = chars.get(i) {
        match c {
            '"' => return Ok((s, i + 1)),
            '\\' => {
                let Some(&e) = chars.get(i + 1) else { break };
                s.push(match e {
                    'n' => '\n',
                    't' => '\t',
                    other => other,
                });
                i += 2;
            }
            c => {
                s.push(c);
                i += 1;
            }
        }
    }
    Err(Why::new("a string that is never closed", at).hint("end it with `\"`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        lex(s).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn splits_symbols_words_and_strings() {
        assert_eq!(
            toks("!(coap.code==2.31)&&uri contains \"a\\\"b\""),
            vec![
                Tok::Not,
                Tok::Open,
                Tok::Word("coap.code".into()),
                Tok::Op(CmpOp::Eq),
                Tok::Word("2.31".into()),
                Tok::Close,
                Tok::And,
                Tok::Word("uri".into()),
                Tok::Op(CmpOp::Contains),
                Tok::Quoted("a\"b".into()),
            ]
        );
        assert_eq!(
            toks("a OR not b"),
            vec![
                Tok::Word("a".into()),
                Tok::Or,
                Tok::Not,
                Tok::Word("b".into())
            ]
        );
    }

    #[test]
    fn positions_count_characters_from_one() {
        let t = lex("é == 1").unwrap();
        assert_eq!(t.iter().map(|t| t.at).collect::<Vec<_>>(), vec![1, 3, 6]);
    }

    #[test]
    fn single_symbols_and_open_strings_are_errors_with_positions() {
        assert_eq!(lex("a = 1").unwrap_err().at, 3);
        assert_eq!(lex("a & b").unwrap_err().at, 3);
        assert_eq!(lex("a | b").unwrap_err().at, 3);
        let e = lex("uri == \"/5/0").unwrap_err();
        assert_eq!(
            (e.at, e.what.as_str()),
            (8, "a string that is never closed")
        );
    }
}
