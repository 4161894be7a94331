use super::use_store;
use crate::store::{Action, SPEEDS};
use fota_sim::RunReport;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[function_component(Controls)]
pub fn controls() -> Html {
    let Some(store) = use_store() else {
        return html! {};
    };
    let act = |make: fn() -> Action| {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(make()))
    };
    let on_speed = {
        let store = store.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Ok(ms) = value.parse() {
                store.dispatch(Action::SetSpeed(ms));
            }
        })
    };
    let finished = store.finished();
    let report = finished.then(|| RunReport::of(&store.world));
    let status = match &report {
        Some(r) if r.expectations.met => "finished: expectations met".to_string(),
        Some(r) => format!("finished: {}", r.expectations.failed.join("; ")),
        None if store.playing => "playing".into(),
        None => "paused".into(),
    };
    html! {
        <section class="controls" aria-label="Run controls">
            if store.playing {
                <button data-testid="pause" onclick={act(|| Action::Pause)} title="Pause">{ "❚❚ Pause" }</button>
            } else {
                <button data-testid="play" onclick={act(|| Action::Play)} disabled={finished} title="Play">{ "▶ Play" }</button>
            }
            <button data-testid="step" onclick={act(|| Action::Step)} disabled={finished} title="One datagram forward">{ "Step ›" }</button>
            <button data-testid="run-to-end" onclick={act(|| Action::RunToEnd)} disabled={finished}>{ "To the end »" }</button>
            <button data-testid="reset" onclick={act(|| Action::Reset)}>{ "↺ Reset" }</button>
            <label class="speed">{ "Speed " }
                <select onchange={on_speed} aria-label="Playback speed">
                    { for SPEEDS.iter().map(|&(ms, label)| html! {
                        <option value={ms.to_string()} selected={ms == store.speed_ms}>{ label }</option>
                    }) }
                </select>
            </label>
            <span class="clock" data-testid="virtual-time" title="Virtual time of the simulation">{ format!("t = {}", store.world.now()) }</span>
            <span class="seed">{ format!("seed {}", store.world.seed()) }</span>
            <span class={classes!("status", report.as_ref().map(|r| if r.expectations.met { "ok" } else { "bad" }))} data-testid="run-status">{ status }</span>
            if let Some(r) = report {
                <span class="digest" title="SHA-256 of every datagram of the run: the same seed gives the same digest natively and in the browser">
                    { "trace " }<code data-testid="trace-digest">{ r.trace_sha256 }</code>
                </span>
            }
        </section>
    }
}
