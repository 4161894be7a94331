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

/// What the student changed: the merge patch that turns `started` into `shown` (the
/// scenario of the run on screen, with the settings changed and the faults and operator
/// requests its branches added). The seed is the challenge's, not a change.
pub fn changes_between(started: &Scenario, shown: &Scenario) -> Value {
    fn diff(a: &Value, b: &Value) -> Option<Value> {
        match (a, b) {
            (Value::Object(a), Value::Object(b)) => {
                let mut out = serde_json::Map::new();
                for (name, bv) in b {
                    match a.get(name) {
                        Some(av) => {
                            if let Some(d) = diff(av, bv) {
                                out.insert(name.clone(), d);
                            }
                        }
                        None if !bv.is_null() => {
                            out.insert(name.clone(), bv.clone());
                        }
                        None => {}
                    }
                }
                for (name, av) in a {
                    if !b.contains_key(name) && !av.is_null() {
                        out.insert(name.clone(), Value::Null);
                    }
                }
                (!out.is_empty()).then_some(Value::Object(out))
            }
            (a, b) if a == b => None,
            (_, b) => Some(b.clone()),
        }
    }
    let as_value = |s: &Scenario| {
        let mut v = serde_json::to_value(s).unwrap_or(Value::Null);
        if let Value::Object(m) = &mut v {
            m.remove("seed");
        }
        v
    };
    diff(&as_value(started), &as_value(shown)).unwrap_or_else(|| Value::Object(Default::default()))
}

/// How many changes `patch` makes to `started`: each setting it changes counts one; in an
/// array (faults, operator requests) each element added or taken away counts one.
pub fn count_changes(started: &Scenario, patch: &Value) -> u32 {
    let before = serde_json::to_value(started).unwrap_or(Value::Null);
    let at = |v: &Value, path: &str| -> Value {
        path.split('.')
            .try_fold(v, |v, name| v.get(name))
            .cloned()
            .unwrap_or(Value::Null)
    };
    touched(patch)
        .iter()
        .map(|path| match (at(&before, path), at(patch, path)) {
            (Value::Array(old), Value::Array(new)) => {
                let added = new.iter().filter(|e| !old.contains(e)).count();
                let removed = old.iter().filter(|e| !new.contains(e)).count();
                (added + removed) as u32
            }
            (Value::Null, Value::Array(new)) => new.len() as u32,
            (Value::Array(old), Value::Null) => old.len() as u32,
            (old, new) => u32::from(old != new),
        })
        .sum()
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
    fn changes_between_two_scenarios_apply_back_and_are_counted() {
        let started = Scenario::by_id("pull-success").unwrap();
        let mut shown = started.clone();
        shown.device.block_size = 256;
        shown.package_uri = Some("coap://repo.sandbox/fw/missing.bin".into());
        shown
            .faults
            .push(fota_sim::scenario::Fault::Reboot { at_ms: 5000 });
        shown.seed = 99;
        let patch = changes_between(&started, &shown);
        let mut paths = touched(&patch);
        paths.sort();
        assert_eq!(paths, ["device.block_size", "faults", "package_uri"]);
        let mut again = apply(&started, &patch, "changes").unwrap();
        again.seed = shown.seed;
        assert_eq!(again, shown);
        assert_eq!(count_changes(&started, &patch), 3);
        assert_eq!(
            count_changes(&started, &json!({"device": {"block_size": 512}})),
            0
        );
    }

    #[test]
    fn a_patch_that_breaks_the_scenario_names_the_field() {
        let s = Scenario::by_id("pull-success").unwrap();
        let err = apply(&s, &json!({"network": {"loss_percent": 130}}), "solution").unwrap_err();
        assert_eq!(err.path, "solution");
        assert!(err.why.contains("network.loss_percent"), "{}", err.why);
    }
}
