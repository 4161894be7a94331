//! Choosing what to run and taking it away: the built-in scenarios grouped by what they teach,
//! a scenario or trace file opened from disk, the run saved as a scenario, a trace or a pcap,
//! and a link that reopens the same scenario, seed and position.

use super::use_store;
use crate::files::download;
use crate::params::share_query;
use crate::store::Action;
use fota_course::lesson::Lesson;
use fota_sim::{Scenario, TraceFile};
use std::rc::Rc;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// Topics in the order a course would take them.
const TOPICS: [(&str, &str); 8] = [
    ("basics", "The update, start to finish"),
    ("download", "When the download fails"),
    ("security", "Images the device refuses"),
    ("boot", "Boot, rollback and power cuts"),
    ("network", "Bad links and radios"),
    ("operator", "The operator and the user"),
    ("push", "PUSH delivery"),
    ("energy", "Battery, energy and sleep"),
];

/// Opens a picked file: a trace file replays its run, a lesson (an object with `steps`) is
/// told on its scenario, a challenge (with `goals`) is worked on, anything else is read as a
/// scenario.
fn open(text: &str) -> Result<Action, String> {
    if text.contains("\"fota-sandbox-trace\"") {
        let file = TraceFile::from_json(text)?;
        let world = file.replay()?;
        return Ok(Action::Load(
            Box::new(world.scenario().clone()),
            file.seed,
            None,
        ));
    }
    let is_challenge =
        serde_json::from_str::<serde_json::Value>(text).is_ok_and(|v| v.get("goals").is_some());
    if is_challenge {
        return super::challenges::open_file(text);
    }
    let is_lesson =
        serde_json::from_str::<serde_json::Value>(text).is_ok_and(|v| v.get("steps").is_some());
    if is_lesson {
        let lesson = Lesson::from_json(text).map_err(|e| e.to_string())?;
        let s = Scenario::by_id(&lesson.scenario).map_err(|e| e.to_string())?;
        let seed = lesson.seed.unwrap_or(s.seed);
        return Ok(Action::Load(Box::new(s), seed, Some(Rc::new(lesson))));
    }
    let s = Scenario::from_json(text).map_err(|e| e.to_string())?;
    let seed = s.seed;
    Ok(Action::Load(Box::new(s), seed, None))
}

#[function_component(Picker)]
pub fn picker() -> Html {
    // The built-in scenarios, read from their files once: the picker draws at every step.
    let builtins = use_memo((), |_| Scenario::builtin());
    let Some(store) = use_store() else {
        return html! {};
    };
    let world = store.world();
    let current = world.scenario().id.clone();
    let seed = world.seed();
    let on_pick = {
        let store = store.clone();
        Callback::from(move |e: Event| {
            let select = e.target_unchecked_into::<HtmlSelectElement>();
            // The arrow keys step the run once a scenario is chosen, not the list.
            let _ = select.blur();
            let id = select.value();
            if let Ok(s) = Scenario::by_id(&id) {
                let seed = s.seed;
                crate::address::set_query(&share_query(&id, seed, 0));
                store.dispatch(Action::Load(Box::new(s), seed, None));
            }
        })
    };
    let on_file = crate::files::on_file_picked(store.clone(), open);
    // The run as it ends, made when a button asks for it: a copy of the run at every draw
    // would cost a step more than drawing it.
    let end_world = {
        let store = store.clone();
        move || {
            let mut t = store.run.timeline.clone();
            t.run_to_end();
            t.world().clone()
        }
    };
    let save = |what: &'static str| {
        let store = store.clone();
        let end_world = end_world.clone();
        Callback::from(move |_: MouseEvent| {
            let world = store.world();
            let id = world.scenario().id.clone();
            let result = match what {
                "scenario" => download(
                    &format!("{id}.json"),
                    "application/json",
                    world.scenario().to_json().as_bytes(),
                ),
                "trace" => download(
                    &format!("{id}-seed{}.trace.json", world.seed()),
                    "application/json",
                    TraceFile::of(&end_world()).to_json().as_bytes(),
                ),
                _ => download(
                    &format!("{id}-seed{}.pcap", world.seed()),
                    "application/vnd.tcpdump.pcap",
                    &fota_sim::pcap::write(&end_world()),
                ),
            };
            if let Err(why) = result {
                store.dispatch(Action::Notice(why));
            }
        })
    };
    // Author mode: the run shown, against the built-in scenario it came from, as a challenge.
    let save_challenge = |base: Scenario| {
        let store = store.clone();
        let end_world = end_world.clone();
        Callback::from(move |_: MouseEvent| {
            let end = end_world();
            let report = fota_sim::RunReport::of(&end);
            let text = fota_course::challenge::draft(&base, end.scenario(), &report);
            let changed = base != *end.scenario();
            match download(&format!("my-{}.challenge.json", base.id), "application/json", text.as_bytes()) {
                Err(why) => store.dispatch(Action::Notice(why)),
                Ok(()) if !changed => store.dispatch(Action::Notice(
                    "Saved, but this run has no changes: its challenge is solved before it starts. Branch the run (Break it, What if, an operator request) and save again.".into(),
                )),
                Ok(()) => {}
            }
        })
    };
    let shipped = builtins.iter().find(|s| s.id == current);
    let builtin = shipped.is_some();
    // A branch adds faults or requests of the student's own: a link would lose them.
    let pristine = shipped.is_some_and(|s| s == world.scenario());
    let link = share_query(&current, seed, store.run.rows());
    html! {
        <section class="picker" aria-label="Scenario">
            <label class="pick">{ "Scenario " }
                <select onchange={on_pick} data-testid="scenario-picker" aria-label="Built-in scenario">
                    if !builtin {
                        <option selected=true value="">{ format!("{} (from a file)", world.scenario().title) }</option>
                    }
                    { for TOPICS.iter().map(|(topic, heading)| {
                        let items: Vec<_> = builtins.iter().filter(|s| s.topic == *topic).collect();
                        html! {
                            if !items.is_empty() {
                                <optgroup label={*heading}>
                                    { for items.into_iter().map(|s| html! {
                                        <option value={s.id.clone()} selected={builtin && s.id == current}>{ &s.title }</option>
                                    }) }
                                </optgroup>
                            }
                        }
                    }) }
                </select>
            </label>
            <label class="file">{ "Open a scenario, trace, lesson or challenge file " }
                <input type="file" accept=".json,application/json" onchange={on_file} data-testid="open-file" />
            </label>
            <span class="save">
                <button onclick={save("scenario")} data-testid="save-scenario">{ "Save scenario" }</button>
                <button onclick={save("trace")} data-testid="save-trace">{ "Save trace" }</button>
                <button onclick={save("pcap")} data-testid="save-pcap">{ "Download pcap" }</button>
                if let Some(base) = shipped {
                    <button onclick={save_challenge(base.clone())} data-testid="save-challenge"
                        title="A challenge file from this run: its changes become the solution, how it ends the goal">{ "Save as challenge" }</button>
                }
            </span>
            if pristine {
                <a class="share" href={link.clone()} data-testid="share-link" title="Reopens this scenario and seed at this position">{ "Link to this moment" }</a>
            } else if builtin {
                <span class="share muted">{ "This run has changes of your own: Save scenario keeps them (a link would not)." }</span>
            } else {
                <span class="share muted">{ "A link can only reopen built-in scenarios: save the file to share this one." }</span>
            }
        </section>
    }
}
