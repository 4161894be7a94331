//! What a student changes in a scenario, as a JSON merge patch (RFC 7396): an object whose
//! members replace the scenario's, `null` removes one, and an array (faults, operations)
//! is replaced whole. Each changed path must be one the challenge lets the student change.

use super::format::ChallengeError;
use fota_sim::Scenario;
use serde_json::Value;

/// RFC 7396 §2, MergePatch(target, patch).
fn merge(target: &mut Value, patch: &Value) {
    let Value::Object(members) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Default::default());
    }
    if let Value::Object(t) = target {
        for (name, value) in members {
            if value.is_null() {
                t.remove(name);
            } else {
                merge(t.entry(name.clone()).or_insert(Value::Null), value);
            }
        }
    }
}

/// The dotted paths a patch changes, down to a value or an array: `network.loss_percent`,
/// `faults`.
pub fn touched(patch: &Value) -> Vec<String> {
    fn walk(prefix: &str, v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(members) if !members.is_empty() => {
                for (name, value) in members {
                    let path = if prefix.is_empty() {
                        name.clone()
                    } else {
                        format!("{prefix}.{name}")
                    };
                    walk(&path, value, out);
                }
            }
            _ => out.push(prefix.to_string()),
        }
    }
    let mut out = Vec::new();
    if patch.as_object().is_some_and(|m| !m.is_empty()) {
        walk("", patch, &mut out);
    }
    out
}

/// The scenario with `patch` applied, checked as any scenario file is; `field` names where the
/// patch came from in error messages (`solution`, `start`, or the student's changes).
pub fn apply(scenario: &Scenario, patch: &Value, field: &str) -> Result<Scenario, ChallengeError> {
    let mut doc = serde_json::to_value(scenario).map_err(|e| ChallengeError {
        path: field.to_string(),
        why: e.to_string(),
    })?;
    merge(&mut doc, patch);
    Scenario::from_json(&doc.to_string()).map_err(|e| ChallengeError {
        path: field.to_string(),
        why: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_merge_patch_replaces_members_removes_nulls_and_replaces_arrays_whole() {
        let mut doc = json!({"a": 1, "b": {"c": 2, "d": 3}, "e": [1, 2]});
        merge(
            &mut doc,
            &json!({"b": {"c": null, "x": 5}, "e": [9], "a": 7}),
        );
        assert_eq!(doc, json!({"a": 7, "b": {"d": 3, "x": 5}, "e": [9]}));
    }

    #[test]
    fn touched_paths_go_down_to_values_and_arrays() {
        let mut paths = touched(&json!({"network": {"loss_percent": 30}, "faults": [{}]}));
        paths.sort();
        assert_eq!(paths, ["faults", "network.loss_percent"]);
        assert!(touched(&json!({})).is_empty());
    }

    #[test]
    fn a_patch_that_breaks_the_scenario_names_the_field() {
        let s = Scenario::by_id("pull-success").unwrap();
        let err = apply(&s, &json!({"network": {"loss_percent": 130}}), "solution").unwrap_err();
        assert_eq!(err.path, "solution");
        assert!(err.why.contains("network.loss_percent"), "{}", err.why);
    }
}
