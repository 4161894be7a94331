//! The timeline: play, pause, step either way, the ends, speed, a scrubber over every
//! datagram of the run, and the virtual clock. The keyboard does the same (see app.rs).

use super::term::Term;
use super::use_store;
use crate::store::{Action, SPEEDS};
use fota_sim::RunReport;
use web_sys::{HtmlInputElement, HtmlSelectElement};
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
    let on_scrub = {
        let store = store.clone();
        Callback::from(move |e: InputEvent| {
            let value = e.target_unchecked_into::<HtmlInputElement>().value();
            if let Ok(rows) = value.parse() {
                store.dispatch(Action::SeekRows(rows));
            }
        })
    };
    let rows = store.run.rows();
    let at_start = store.run.at == fota_sim::Position::default();
    let total = store.run.total_rows;
    let finished = store.finished();
    let report = finished.then(|| RunReport::of(store.world()));
    // In a challenge its goals judge the run, not the scenario's own expectations.
    let challenge = store.working.is_some();
    let status = match &report {
        Some(r) if challenge => r.outcome_in_words(),
        Some(r) => r.in_words(),
        None if store.playing => "playing".into(),
        None => "paused".into(),
    };
    html! {
        <section class="controls" aria-label="Timeline">
            <div class="buttons">
                <button data-testid="home" onclick={act(|| Action::Home)} disabled={at_start} title="To the start (Home)" aria-label="To the start">{ "«" }</button>
                <button data-testid="step-back" onclick={act(|| Action::StepBack)} disabled={at_start} title="One step back: a datagram or a moment of the device (←)" aria-label="One step back">{ "‹" }</button>
                if store.playing {
                    <button data-testid="pause" class="primary" onclick={act(|| Action::Pause)} title="Pause (space)">{ "❚❚ Pause" }</button>
                } else {
                    <button data-testid="play" class="primary" onclick={act(|| Action::Play)} disabled={finished} title="Play (space)">{ "▶ Play" }</button>
                }
                <button data-testid="step" onclick={act(|| Action::Step)} disabled={finished} title="One step forward: a datagram or a moment of the device, such as a step of a boot (→)" aria-label="One step forward">{ "›" }</button>
                <button data-testid="run-to-end" onclick={act(|| Action::End)} disabled={finished} title="To the end (End)" aria-label="To the end">{ "»" }</button>
                <button data-testid="reset" onclick={act(|| Action::Home)} title="Back to the start">{ "↺" }</button>
                <label class="speed">{ "Speed " }
                    <select onchange={on_speed} aria-label="Playback speed">
                        { for SPEEDS.iter().map(|&(ms, label)| html! {
                            <option value={ms.to_string()} selected={ms == store.speed_ms}>{ label }</option>
                        }) }
                    </select>
                </label>
            </div>
            <label class="scrub">
                <span class="visually-hidden">{ "Position in the run" }</span>
                <input type="range" min="0" max={total.to_string()} value={rows.to_string()}
                    oninput={on_scrub} data-testid="scrubber" aria-label="Position in the run, in datagrams"
                    aria-valuetext={format!("{rows} of {total} datagrams")} />
                <span class="position" data-testid="position" data-moments={store.run.at.moments.to_string()}
                    title={if rows == 0 { "No datagram on the ladder yet".to_string() } else { format!("{rows} datagrams of {total} on the ladder; the latest is #{} (rows are numbered from #0)", rows - 1) }}>{ format!("{rows} / {total}") }</span>
                if rows > 0 { <span class="latest" data-testid="latest-row" title="The number of the latest datagram on the ladder: rows are numbered from #0, as the message details and filters name them">{ format!("latest #{}", rows - 1) }</span> }
            </label>
            <div class="readout">
                <span class="clock" data-testid="virtual-time" title="Virtual time of the simulation">{ format!("t = {}", store.world().now()) }</span>
                <span class="seed"><Term text={format!("seed {}", store.world().seed())} term="seed" /></span>
            </div>
            // A line of its own, there from the start, so the toolbar keeps its shape when the
            // run finishes and the sentence about it arrives.
            <div class="run-line">
                <span class={classes!("status", report.as_ref().map(|r| outcome_class(r, challenge)))} data-testid="run-status" aria-live="polite">{ status }</span>
                if let Some(r) = report {
                    <span class="digest" title="SHA-256 of every datagram of the run: the same seed gives the same digest natively and in the browser">
                        { "trace " }<code data-testid="trace-digest">{ r.trace_sha256 }</code>
                    </span>
                }
            </div>
        </section>
    }
}

/// How the end of the run is coloured: green when the update succeeded, amber when it failed
/// as the scenario sets out to show, red when the run is not what the scenario expects (in a
/// challenge, whose goals judge the run, never red).
fn outcome_class(r: &RunReport, challenge: bool) -> &'static str {
    match (r.expectations.met || challenge, r.final_values.result) {
        (false, _) => "bad",
        (true, 1) => "ok",
        (true, _) => "failed",
    }
}
