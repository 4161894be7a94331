//! The settings a student may change, as the page's form shows them: each value under the
//! challenge's `may_change` paths with its value in the scenario shown (a list, such as
//! `network.links`, as its JSON), and the merge patch the form's text makes. The faults and
//! the operator requests are not settings: the page adds to them by branching the run.

use super::format::Challenge;
use fota_sim::Scenario;
use serde_json::Value;

/// One field of the form.
#[derive(Clone, Debug, PartialEq)]
pub struct Setting {
    /// Dotted, as in `may_change`: `device.block_size`.
    pub path: String,
    /// Its value in the scenario shown (`null` when unset).
    pub value: Value,
}

impl Setting {
    /// Whether the value is a list, edited as JSON.
    pub fn is_list(&self) -> bool {
        self.value.is_array()
    }

    /// The value as the form's text: a string without its quotes, nothing for unset, a list as
    /// its JSON.
    pub fn text(&self) -> String {
        match &self.value {
            Value::Null => String::new(),
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }
}

fn at<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(v, |v, name| v.get(name))
}

/// The settings of `shown` the challenge lets the student change, in `may_change`'s order;
/// and the array paths it allows (added to by branching).
pub fn settings(challenge: &Challenge, shown: &Scenario) -> (Vec<Setting>, Vec<String>) {
    fn leaves(path: &str, v: &Value, out: &mut Vec<Setting>, arrays: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                for (name, v) in m {
                    leaves(&format!("{path}.{name}"), v, out, arrays);
                }
            }
            // Made by branching the run, on the run's own moments and messages.
            Value::Array(_) if path == "faults" || path == "operations" => {
                arrays.push(path.to_string())
            }
            scalar => out.push(Setting {
                path: path.to_string(),
                value: scalar.clone(),
            }),
        }
    }
    let doc = serde_json::to_value(shown).unwrap_or(Value::Null);
    let (mut out, mut arrays) = (Vec::new(), Vec::new());
    for path in &challenge.may_change {
        match at(&doc, path) {
            Some(v) => leaves(path, v, &mut out, &mut arrays),
            // A field the scenario leaves out is unset.
            None => out.push(Setting {
                path: path.clone(),
                value: Value::Null,
            }),
        }
    }
    (out, arrays)
}

/// The form's text read back: a number or `true`/`false` as such, nothing as unset, any other
/// text as a string, by the type the field had.
pub fn value_of(text: &str, was: &Value) -> Value {
    let t = text.trim();
    if t.is_empty() {
        return Value::Null;
    }
    if was.is_string() {
        return Value::String(t.to_string());
    }
    if was.is_array() {
        // Text that is not JSON stays text, and loading the scenario names the field.
        return serde_json::from_str(t).unwrap_or_else(|_| Value::String(t.to_string()));
    }
    serde_json::from_str::<Value>(t)
        .ok()
        .filter(|v| v.is_number() || v.is_boolean())
        .unwrap_or_else(|| Value::String(t.to_string()))
}

/// The merge patch of `base` that gives each path its value; a value equal to `base`'s is no
/// change and is left out.
pub fn patch_of(base: &Scenario, values: &[(String, Value)]) -> Value {
    let doc = serde_json::to_value(base).unwrap_or(Value::Null);
    let mut patch = Value::Object(Default::default());
    for (path, value) in values {
        let before = at(&doc, path).cloned().unwrap_or(Value::Null);
        if &before == value {
            continue;
        }
        let mut slot = &mut patch;
        for name in path.split('.') {
            if !slot.is_object() {
                *slot = Value::Object(Default::default());
            }
            slot = slot
                .as_object_mut()
                .map(|m| m.entry(name.to_string()).or_insert(Value::Null))
                .expect("an object was just put here");
        }
        *slot = value.clone();
    }
    patch
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::challenge::{apply, builtin};
    use serde_json::json;

    #[test]
    fn the_form_lists_the_allowed_scalars_and_reads_back_a_patch() {
        let c = builtin().into_iter().find(|c| c.id == "result-7").unwrap();
        let shown = crate::challenge::started(&c).unwrap();
        let (fields, arrays) = settings(&c, &shown);
        assert_eq!(fields.len(), 1);
        assert_eq!(fields[0].path, "package_uri");
        assert!(arrays.is_empty());
        let v = value_of("coap://repo.sandbox/fw/missing.bin", &fields[0].value);
        let patch = patch_of(&shown, &[(fields[0].path.clone(), v)]);
        assert_eq!(patch, c.solution);
        assert!(apply(&shown, &patch, "changes").is_ok());
    }

    #[test]
    fn numbers_stay_numbers_strings_stay_strings_and_nothing_is_unset() {
        assert_eq!(value_of(" 256 ", &json!(512)), json!(256));
        assert_eq!(value_of("2", &json!("1.0.0")), json!("2"));
        assert_eq!(value_of("", &json!(40)), Value::Null);
        assert_eq!(value_of("40", &Value::Null), json!(40));
        assert_eq!(value_of("push", &json!("pull")), json!("push"));
        assert_eq!(value_of(r#"[{"a": 1}]"#, &json!([])), json!([{"a": 1}]));
        assert_eq!(value_of("[oops", &json!([])), json!("[oops"));
        let s = Scenario::by_id("pull-success").unwrap();
        let patch = patch_of(
            &s,
            &[
                ("device.block_size".into(), json!(512)),
                ("device.download_retries".into(), json!(9)),
            ],
        );
        assert_eq!(patch, json!({"device": {"download_retries": 9}}));
    }

    #[test]
    fn a_list_setting_is_edited_as_json_and_a_bad_one_names_its_field() {
        let mut c = builtin().into_iter().find(|c| c.id == "result-7").unwrap();
        c.may_change = vec!["network".into(), "faults".into()];
        let shown = crate::challenge::started(&c).unwrap();
        let (fields, arrays) = settings(&c, &shown);
        assert_eq!(arrays, ["faults"]);
        let links = fields.iter().find(|f| f.path == "network.links").unwrap();
        assert!(links.is_list());
        assert_eq!(links.text(), "[]");
        let one = r#"[{"from": "repository", "to": "device", "loss_percent": 50}]"#;
        let patch = patch_of(&shown, &[(links.path.clone(), value_of(one, &links.value))]);
        let s = apply(&shown, &patch, "changes").unwrap();
        assert_eq!(s.network.links.len(), 1);
        let bad = patch_of(
            &shown,
            &[(links.path.clone(), value_of("[oops", &links.value))],
        );
        let err = apply(&shown, &bad, "changes").unwrap_err();
        assert!(err.why.contains("network.links"), "{}", err.why);
    }
}
