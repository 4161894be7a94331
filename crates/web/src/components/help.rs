//! The help panel (the `?` key or button): the keyboard, the glossary and the rules, each
//! read from the table that holds it.

use super::use_store;
use crate::store::Action;
use fota_course::glossary::TERMS;
use fota_lwm2m::rules::RULES;
use yew::prelude::*;

/// The keys the page answers to, as `app.rs` handles them.
const KEYS: [(&str, &str); 6] = [
    ("space", "play or pause"),
    ("→", "one datagram forward"),
    ("←", "one datagram back"),
    ("Home / End", "to the start / to the end"),
    ("Enter on a message", "open it down to the byte"),
    ("?", "open or close this help"),
];

#[function_component(HelpPanel)]
pub fn help_panel() -> Html {
    let Some(store) = use_store() else {
        return html! {};
    };
    if !store.help {
        return html! {};
    }
    let close = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(Action::ToggleHelp))
    };
    html! {
        <section class="help" role="dialog" aria-label="Help" data-testid="help">
            <header>
                <h2>{ "Help" }</h2>
                <button onclick={close} aria-label="Close the help" data-testid="help-close">{ "✕" }</button>
            </header>
            <h3>{ "Lessons" }</h3>
            <ul class="lessons" data-testid="lesson-list">
                { for fota_course::lesson::builtin().into_iter().map(|l| html! {
                    <li><a href={format!("?lesson={}", l.id)}>{ &l.title }</a>{ format!(" · {} steps, on {}", l.steps.len(), l.scenario) }</li>
                }) }
            </ul>
            <h3>{ "Keyboard" }</h3>
            <dl class="keys">
                { for KEYS.iter().map(|(k, what)| html! { <><dt><kbd>{ *k }</kbd></dt><dd>{ *what }</dd></> }) }
            </dl>
            <h3>{ format!("Glossary · {} terms", TERMS.len()) }</h3>
            <dl class="glossary">
                { for TERMS.iter().map(|t| html! {
                    <>
                        <dt>{ t.term }{ if t.also.is_empty() { String::new() } else { format!(" ({})", t.also.join(", ")) } }</dt>
                        <dd>{ t.meaning }<small>{ t.source }</small></dd>
                    </>
                }) }
            </dl>
            <h3>{ format!("Rules · {}", RULES.len()) }</h3>
            <p class="hint">{ "The rules the sandbox follows, from its specification (docs/RULES.md lists them too): messages, /5 changes and log lines cite them by id." }</p>
            <dl class="glossary">
                { for RULES.iter().map(|r| html! { <><dt>{ r.id }</dt><dd>{ r.meaning }</dd></> }) }
            </dl>
        </section>
    }
}
