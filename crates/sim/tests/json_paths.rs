//! The path a scenario error names is that of the value that is wrong. Every built-in scenario
//! is damaged one place at a time (a value of the wrong kind, an unknown field, a field taken
//! away), compact and pretty-printed; `json_read` must name the place that
//! serde_path_to_error names (a deserialiser that tracks the path as it goes, too heavy for the
//! browser's download), or an object or array that holds it.

use fota_sim::Scenario;
use serde_json::Value;

/// One damaged document: the scenario's JSON with one change.
fn damaged(original: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    let mut pointers = Vec::new();
    collect(original, String::new(), &mut pointers);
    for (pointer, value) in pointers {
        let wrong_kinds: Vec<Value> = match value {
            Value::String(_) => vec![Value::from(12345), Value::from("no-such-choice")],
            Value::Number(_) => vec![Value::from("x"), Value::from(-1), Value::from(1e300)],
            Value::Bool(_) => vec![Value::from("yes")],
            Value::Null => vec![Value::from(true)],
            Value::Array(_) => vec![Value::from(7), Value::Array(vec![Value::from(true)])],
            Value::Object(_) => vec![Value::from(7), Value::Array(Vec::new())],
        };
        for wrong in wrong_kinds {
            let mut doc = original.clone();
            if let Some(slot) = doc.pointer_mut(&pointer) {
                *slot = wrong;
                out.push(doc);
            }
        }
        if let Value::Object(fields) = value {
            let mut doc = original.clone();
            if let Some(Value::Object(map)) = doc.pointer_mut(&pointer) {
                map.insert("not_a_field".into(), Value::from(1));
                out.push(doc);
            }
            for key in fields.keys() {
                let mut doc = original.clone();
                if let Some(Value::Object(map)) = doc.pointer_mut(&pointer) {
                    map.remove(key);
                    out.push(doc);
                }
            }
        }
    }
    out
}

/// Every value of the document with its JSON pointer.
fn collect<'a>(value: &'a Value, pointer: String, out: &mut Vec<(String, &'a Value)>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let escaped = k.replace('~', "~0").replace('/', "~1");
                collect(v, format!("{pointer}/{escaped}"), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                collect(v, format!("{pointer}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push((pointer, value));
}

/// The reference path, in json_read's spelling (the whole document is "").
fn reference_path(text: &str) -> Option<String> {
    let de = &mut serde_json::Deserializer::from_str(text);
    match serde_path_to_error::deserialize::<_, Scenario>(de) {
        Ok(_) => None,
        Err(e) => {
            let path = e.path().to_string();
            Some(if path == "." { String::new() } else { path })
        }
    }
}

/// `outer` names `inner` or a value that holds it.
fn holds(outer: &str, inner: &str) -> bool {
    outer.is_empty()
        || inner == outer
        || (inner.starts_with(outer) && matches!(inner.as_bytes()[outer.len()], b'.' | b'['))
}

#[test]
fn a_damaged_scenario_is_named_at_the_value_or_at_what_holds_it() {
    let (mut same, mut coarser, mut documents) = (0usize, 0usize, 0usize);
    let mut wrong = Vec::new();
    for scenario in Scenario::builtins() {
        let original: Value = serde_json::from_str(&scenario.to_json()).unwrap();
        for doc in damaged(&original) {
            for text in [doc.to_string(), serde_json::to_string_pretty(&doc).unwrap()] {
                documents += 1;
                let Some(want) = reference_path(&text) else {
                    continue;
                };
                let got = match fota_sim::json_read::read::<Scenario>(&text) {
                    Ok(_) => {
                        wrong.push(format!(
                            "{}: read, reference fails at `{want}`",
                            scenario.id
                        ));
                        continue;
                    }
                    Err(e) => e.path,
                };
                if got == want {
                    same += 1;
                } else if holds(&got, &want) {
                    coarser += 1;
                } else {
                    wrong.push(format!("{}: `{got}` for `{want}`", scenario.id));
                }
            }
        }
    }
    println!(
        "{documents} damaged documents: {same} named as the reference names them, {coarser} by a value that holds it, {} wrongly",
        wrong.len()
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // Coarser names are the exception (an internally tagged value buffered before it is read).
    assert!(same > 20 * coarser, "{same} same, {coarser} coarser");
}
