//! Arguments of an LwM2M Execute (TS Core §5.4.5): a comma-separated list of single digits,
//! each with an optional value in single quotes, such as `0='fw',1`.

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Argument {
    pub digit: u8,
    pub value: Option<String>,
}

pub fn parse_args(payload: &[u8]) -> Result<Vec<Argument>, String> {
    let text =
        std::str::from_utf8(payload).map_err(|_| "Execute arguments are not UTF-8".to_string())?;
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    let mut rest = text;
    loop {
        let mut chars = rest.chars();
        let digit = chars
            .next()
            .and_then(|c| c.to_digit(10))
            .ok_or_else(|| format!("argument `{rest}` does not start with a digit 0-9"))?
            as u8;
        rest = chars.as_str();
        let value = if let Some(after) = rest.strip_prefix("='") {
            let end = after
                .find('\'')
                .ok_or("an argument value misses its closing quote")?;
            let value = &after[..end];
            if !value
                .chars()
                .all(|c| matches!(c, '!' | '#'..='&' | '('..='[' | ']'..='~'))
            {
                return Err(format!(
                    "argument value `{value}` holds a character Execute does not allow"
                ));
            }
            rest = &after[end + 1..];
            Some(value.to_string())
        } else {
            None
        };
        if out.iter().any(|a: &Argument| a.digit == digit) {
            return Err(format!("argument {digit} given twice"));
        }
        out.push(Argument { digit, value });
        match rest.strip_prefix(',') {
            Some(r) => rest = r,
            None if rest.is_empty() => return Ok(out),
            None => return Err(format!("unexpected `{rest}` after argument {digit}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_spec_forms() {
        assert_eq!(parse_args(b"").unwrap(), vec![]);
        assert_eq!(
            parse_args(b"0='fw.bin',1").unwrap(),
            vec![
                Argument {
                    digit: 0,
                    value: Some("fw.bin".into())
                },
                Argument {
                    digit: 1,
                    value: None
                }
            ]
        );
        for bad in [
            &b"x"[..],
            b"0='open",
            b"0,0",
            b"12",
            b"0;1",
            b"0='a'b",
            b"\xff",
        ] {
            assert!(
                parse_args(bad).is_err(),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }
}
