//! Events for a page that embeds the sandbox in an iframe: `ready`, `state-changed`,
//! `scenario-finished` and `challenge-solved`, posted to the parent window (docs/embedding.md). Each is an object
//! with `source: "fota-sandbox"` and `type`, so the parent can tell them from other messages.

use fota_lwm2m::{FwState, UpdateResult};
use fota_sim::{RunReport, World};
use serde_json::{json, Value};

fn post(mut message: Value) {
    let Some(window) = web_sys::window() else {
        return;
    };
    // Only inside a frame: a page on its own has no parent to tell.
    let Ok(Some(parent)) = window.parent() else {
        return;
    };
    if parent == window {
        return;
    }
    message["source"] = json!("fota-sandbox");
    if let Ok(value) = js_sys::JSON::parse(&message.to_string()) {
        // Any origin may embed the sandbox; the events say nothing private.
        let _ = parent.post_message(&value, "*");
    }
}

pub fn ready(world: &World) {
    post(json!({
        "type": "ready",
        "scenario": world.scenario().id,
        "seed": world.seed(),
    }));
}

pub fn state_changed(state: FwState, result: UpdateResult, rows: usize) {
    post(json!({
        "type": "state-changed",
        "state": state.code(),
        "state_name": state.name(),
        "result": result.code(),
        "result_name": result.name(),
        "rows": rows,
    }));
}

pub fn finished(report: &RunReport) {
    post(json!({
        "type": "scenario-finished",
        "scenario": report.scenario,
        "outcome": if report.expectations.met { "expectations-met" } else { "expectations-failed" },
        "campaign": report.campaign,
        "state": report.final_values.state,
        "result": report.final_values.result,
        "firmware_version": report.final_values.firmware_version,
        "failed": report.expectations.failed,
    }));
}

/// A challenge is solved: `best` is the fewest changes it took, `attempts` how many graded
/// tries so far, `first` whether this is the first time it is solved in this browser.
pub fn challenge_solved(id: &str, best: Option<u32>, attempts: u32, first: bool) {
    post(json!({
        "type": "challenge-solved",
        "id": id,
        "best": best,
        "attempts": attempts,
        "first": first,
    }));
}
