//! Step text that quotes the run: `{uri}`, `{coap.opt.block_number}`, `{state}` ... are filled
//! from what the step's anchor found, on the run shown, so the text says what happened in
//! this run and not in the one the author watched. `{{` and `}}` are literal braces.

use super::anchor::Subject;
use super::format::Anchor;
use crate::filter::{Field, Rows};
use fota_sim::World;

/// A piece of step text: words as written, or a placeholder's name.
#[derive(Debug, PartialEq, Eq)]
enum Piece<'a> {
    Words(String),
    Slot(&'a str),
}

fn pieces(text: &str) -> Result<Vec<Piece<'_>>, String> {
    let mut out = Vec::new();
    let mut words = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(['{', '}']) {
        words.push_str(&rest[..i]);
        let tail = &rest[i..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            words.push_str(&tail[..1]);
            rest = &tail[2..];
        } else if tail.starts_with('}') {
            return Err("a lone `}`: write `}}` for a brace".into());
        } else {
            let end = tail
                .find('}')
                .ok_or_else(|| format!("`{}` is not closed with `}}`", clip(tail)))?;
            if !words.is_empty() {
                out.push(Piece::Words(std::mem::take(&mut words)));
            }
            out.push(Piece::Slot(tail[1..end].trim()));
            rest = &tail[end + 1..];
        }
    }
    words.push_str(rest);
    if !words.is_empty() {
        out.push(Piece::Words(words));
    }
    Ok(out)
}

fn clip(s: &str) -> &str {
    s.char_indices().nth(20).map_or(s, |(i, _)| &s[..i])
}

/// Whether `name` can be filled for a step with `anchor`; the reason when not.
fn known(name: &str, anchor: Option<&Anchor>) -> Result<(), String> {
    let Some(anchor) = anchor else {
        return Err(format!(
            "{{{name}}} needs an anchor: a step without one has nothing to quote"
        ));
    };
    if matches!(name, "time" | "row")
        && (name == "time" || matches!(anchor, Anchor::Message { .. }))
    {
        return Ok(());
    }
    let fits = match anchor {
        Anchor::Message { .. } => Field::lookup(name).is_some(),
        Anchor::Change { .. } => matches!(name, "state" | "result" | "rule"),
        Anchor::Boot { .. } => name == "rule" || name.starts_with("boot."),
        Anchor::Phase { .. } => name == "phase",
    };
    if fits {
        Ok(())
    } else {
        let offer = match anchor {
            Anchor::Message { .. } => {
                "a filter field (uri, coap.mid, coap.opt.block_number, ...), row or time"
            }
            Anchor::Change { .. } => "state, result, rule or time",
            Anchor::Boot { .. } => "boot.<field of the boot event>, rule or time",
            Anchor::Phase { .. } => "phase or time",
        };
        Err(format!(
            "{{{name}}} is not something this step's anchor finds: it offers {offer}"
        ))
    }
}

/// The filter fields `text` quotes, in order.
pub fn quoted_fields(text: &str) -> Vec<Field> {
    pieces(text)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|p| match p {
            Piece::Slot(name) => Field::lookup(name),
            Piece::Words(_) => None,
        })
        .collect()
}

/// Checks every placeholder of `text` against the step's anchor.
pub fn check(text: &str, anchor: Option<&Anchor>) -> Result<(), String> {
    for piece in pieces(text)? {
        if let Piece::Slot(name) = piece {
            known(name, anchor)?;
        }
    }
    Ok(())
}

/// What a placeholder says about what the anchor found, or `None` when the run has nothing
/// for it (a message without that option).
fn value(
    name: &str,
    subject: &Subject,
    at: fota_coap::SimTime,
    world: &World,
    rows: &Rows,
) -> Option<String> {
    if name == "time" {
        return Some(at.to_string());
    }
    match subject {
        Subject::Message(row) => match name {
            "row" => Some(row.to_string()),
            _ => rows.show(*row, Field::lookup(name)?, world),
        },
        Subject::Change(c) => match name {
            "state" => Some(format!("{} ({})", c.state.code(), c.state.name())),
            "result" => Some(format!("{} ({})", c.result.code(), c.result.name())),
            "rule" => Some(c.rule.to_string()),
            _ => None,
        },
        Subject::Boot(r) => match name {
            "rule" => r.event.rule().map(str::to_string),
            _ => {
                let mut v = serde_json::to_value(&r.event).ok()?;
                // Fields by name, list items by number from 0: `boot.checks.2.detail`.
                for key in name.strip_prefix("boot.")?.split('.') {
                    v = match key.parse::<usize>() {
                        Ok(i) if v.is_array() => v.get(i)?.clone(),
                        _ => v.get(key)?.clone(),
                    };
                }
                match v {
                    serde_json::Value::String(s) => Some(s),
                    // An image version, as people write it.
                    serde_json::Value::Object(o) if o.contains_key("major") => {
                        let n = |k: &str| o.get(k).and_then(|v| v.as_u64()).unwrap_or(0);
                        let build = match n("build") {
                            0 => String::new(),
                            b => format!("+{b}"),
                        };
                        Some(format!(
                            "{}.{}.{}{build}",
                            n("major"),
                            n("minor"),
                            n("revision")
                        ))
                    }
                    serde_json::Value::Null => None,
                    other => Some(other.to_string()),
                }
            }
        },
        Subject::Phase(p) => (name == "phase").then(|| p.clone()),
    }
}

/// The text with its placeholders filled, and the names of those the run has no value for
/// (shown as `…`).
pub fn fill(
    text: &str,
    subject: Option<&Subject>,
    at: fota_coap::SimTime,
    world: &World,
    rows: &Rows,
) -> (String, Vec<String>) {
    let Ok(pieces) = pieces(text) else {
        // A lesson that reads has passed `check`; text that does not parse is shown as it is.
        return (text.to_string(), Vec::new());
    };
    let mut out = String::new();
    let mut unfilled = Vec::new();
    for piece in pieces {
        match piece {
            Piece::Words(w) => out.push_str(&w),
            Piece::Slot(name) => match subject.and_then(|s| value(name, s, at, world, rows)) {
                Some(v) => out.push_str(&v),
                None => {
                    out.push('…');
                    unfilled.push(name.to_string());
                }
            },
        }
    }
    (out, unfilled)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn braces_doubled_are_braces_and_names_are_trimmed() {
        assert_eq!(
            pieces("a {{b}} { uri } c").unwrap(),
            vec![
                Piece::Words("a {b} ".into()),
                Piece::Slot("uri"),
                Piece::Words(" c".into())
            ]
        );
        assert!(pieces("open {uri").unwrap_err().contains("not closed"));
        assert!(pieces("lone } here").unwrap_err().contains("lone"));
    }

    #[test]
    fn a_placeholder_must_be_one_the_anchor_finds() {
        let message = Anchor::Message {
            filter: "uri".into(),
            nth: 1,
        };
        let change = Anchor::Change {
            state: Some(2),
            result: None,
        };
        assert!(check(
            "block {coap.opt.block_number} at {time}, row {row}",
            Some(&message)
        )
        .is_ok());
        assert!(check("{state} because {rule}", Some(&change)).is_ok());
        assert!(check("{coap.mid}", Some(&change))
            .unwrap_err()
            .contains("state, result"));
        assert!(check("{coap.nope}", Some(&message)).is_err());
        assert!(check("{uri}", None)
            .unwrap_err()
            .contains("needs an anchor"));
    }
}
