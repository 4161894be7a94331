//! What a scenario field means and which values it takes, for the page's form: read from the
//! JSON Schema made from the scenario types (docs/scenario.schema.json, which a test keeps
//! equal to the types), so the form's help and the file format have one source.

use serde_json::Value;
use std::sync::OnceLock;

const SCENARIO_SCHEMA: &str = include_str!("../../../../docs/scenario.schema.json");

/// A field's meaning and, for a field with a fixed set of values, each value and what it means.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldHelp {
    pub meaning: Option<String>,
    pub choices: Vec<(String, Option<String>)>,
}

fn schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| serde_json::from_str(SCENARIO_SCHEMA).unwrap_or(Value::Null))
}

/// The definition a `$ref` (directly, or inside `allOf` / `anyOf` with null) points to.
fn resolved(node: &Value) -> &Value {
    let reference = node.get("$ref").or_else(|| {
        ["allOf", "anyOf"]
            .iter()
            .find_map(|k| node.get(*k)?.as_array()?.iter().find_map(|v| v.get("$ref")))
    });
    reference
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/$defs/"))
        .and_then(|name| schema().get("$defs")?.get(name))
        .unwrap_or(node)
}

/// The help for a dotted scenario path (`device.boot_strategy`); empty for a path the schema
/// does not have.
pub fn field_help(path: &str) -> FieldHelp {
    let mut node = schema();
    for name in path.split('.') {
        match resolved(node).get("properties").and_then(|p| p.get(name)) {
            Some(next) => node = next,
            None => return FieldHelp::default(),
        }
    }
    let def = resolved(node);
    let text = |v: &Value| {
        v.get("description")
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    // A field's own words first (they are about this use of the type), then its type's.
    let meaning = text(node)
        .or_else(|| text(def))
        .map(|m| m.replace('\n', " "));
    let strings = |v: &Value| v.as_str().map(str::to_string);
    let choices = match (def.get("enum"), def.get("oneOf")) {
        (Some(Value::Array(values)), _) => values
            .iter()
            .filter_map(strings)
            .map(|v| (v, None))
            .collect(),
        (_, Some(Value::Array(options))) => options
            .iter()
            .filter_map(|o| Some((strings(o.get("const")?)?, text(o))))
            .collect(),
        // A yes-or-no field is a choice of two too.
        _ if def.get("type").and_then(Value::as_str) == Some("boolean") => {
            vec![("false".to_string(), None), ("true".to_string(), None)]
        }
        _ => Vec::new(),
    };
    FieldHelp { meaning, choices }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::challenge::{builtin, settings, started};

    #[test]
    fn a_field_with_fixed_values_lists_them_with_their_meaning() {
        let h = field_help("device.boot_strategy");
        assert!(h.meaning.unwrap().contains("How the bootloader upgrades"));
        let names: Vec<&str> = h.choices.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["swap-move", "overwrite"]);
        assert!(h.choices[0]
            .1
            .as_deref()
            .unwrap()
            .contains("sector by sector"));
        assert_eq!(field_help("server.method").choices.len(), 2);
        let switch: Vec<String> = field_help("device.queue_mode")
            .choices
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(switch, ["false", "true"]);
        assert!(field_help("network.loss_percent").meaning.is_some());
        assert_eq!(field_help("device.no_such_field"), FieldHelp::default());
    }

    #[test]
    fn every_setting_a_built_in_challenge_offers_says_what_it_means() {
        for c in builtin() {
            let (fields, _) = settings(&c, &started(&c).unwrap());
            for f in fields {
                assert!(
                    field_help(&f.path).meaning.is_some(),
                    "{}: `{}` has no doc comment in the scenario types",
                    c.id,
                    f.path
                );
            }
        }
    }
}
