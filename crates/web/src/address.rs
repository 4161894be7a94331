//! The page's address: the scenario, seed and view it asks for, read once at start, and the
//! query string replaced without a reload so the address names what is shown.

use crate::params::{self, Params};
use fota_sim::Scenario;

/// Reads the URL parameters once.
pub fn from_url() -> Result<(Scenario, u64, Params), String> {
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let query = web_sys::UrlSearchParams::new_with_str(&search)
        .map_err(|_| "the page address has a query string the browser cannot read".to_string())?;
    let mut pairs = Vec::new();
    for name in ["scenario", "seed", "at", "autoplay", "view", "panels"] {
        if let Some(v) = query.get(name) {
            pairs.push((name, v));
        }
    }
    let p = params::parse(pairs.iter().map(|(n, v)| (*n, v.as_str())))?;
    let scenario = Scenario::by_id(&p.scenario).map_err(|e| e.to_string())?;
    let seed = p.seed.unwrap_or(scenario.seed);
    Ok((scenario, seed, p))
}

/// Replaces the page's query string without reloading, so the address names what is shown.
pub fn set_query(query: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(query));
    }
}
