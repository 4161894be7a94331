//! The page's address: the scenario, seed and view it asks for, read once at start, and the
//! query string replaced without a reload so the address names what is shown.

use crate::params::{self, Params};
use fota_course::challenge::{self, Challenge};
use fota_course::lesson::{self, Lesson};
use fota_sim::Scenario;

/// What the address opens: the scenario and seed, the lesson told on it, the view.
pub struct Opened {
    pub scenario: Scenario,
    pub seed: u64,
    pub lesson: Option<Lesson>,
    /// The challenge the address asks for; `scenario` and `seed` are then its start.
    pub challenge: Option<Challenge>,
    pub params: Params,
}

/// Reads the URL parameters once.
pub fn from_url() -> Result<Opened, String> {
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let query = web_sys::UrlSearchParams::new_with_str(&search)
        .map_err(|_| "the page address has a query string the browser cannot read".to_string())?;
    let mut pairs = Vec::new();
    for name in [
        "scenario",
        "lesson",
        "challenge",
        "seed",
        "theme",
        "at",
        "autoplay",
        "view",
        "panels",
    ] {
        if let Some(v) = query.get(name) {
            pairs.push((name, v));
        }
    }
    let p = params::parse(pairs.iter().map(|(n, v)| (*n, v.as_str())))?;
    let lesson = match &p.lesson {
        Some(id) => Some(lesson::by_id(id).ok_or_else(|| {
            let known: Vec<String> = lesson::builtin().into_iter().map(|l| l.id).collect();
            format!(
                "lesson=\"{id}\": no lesson has that name (known: {})",
                known.join(", ")
            )
        })?),
        None => None,
    };
    if let Some(id) = &p.challenge {
        let c = challenge::by_id(id).ok_or_else(|| {
            let known: Vec<String> = challenge::builtin().into_iter().map(|c| c.id).collect();
            format!(
                "challenge=\"{id}\": no challenge has that name (known: {})",
                known.join(", ")
            )
        })?;
        let scenario = challenge::started(&c).map_err(|e| e.to_string())?;
        let seed = c.seed_list(scenario.seed)[0];
        return Ok(Opened {
            scenario,
            seed,
            lesson: None,
            challenge: Some(c),
            params: p,
        });
    }
    // A lesson is told on its own scenario.
    let id = lesson
        .as_ref()
        .map_or(p.scenario.as_str(), |l| l.scenario.as_str());
    let scenario = Scenario::by_id(id).map_err(|e| e.to_string())?;
    let seed = p
        .seed
        .or(lesson.as_ref().and_then(|l| l.seed))
        .unwrap_or(scenario.seed);
    Ok(Opened {
        scenario,
        seed,
        lesson,
        challenge: None,
        params: p,
    })
}

/// Replaces the page's query string without reloading, so the address names what is shown.
pub fn set_query(query: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(query));
    }
}
