//! The help panel (the `?` key or button): the keyboard, the glossary and the rules, each
//! read from the table that holds it.

use super::gallery::ResultsGallery;
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
    // Hooks first: the panel's search is kept while it is closed.
    let search = use_state(String::new);
    // The built-in lessons, read once: the panel draws again at every step of the run.
    let lessons = use_memo((), |_| {
        let tours: Vec<_> = fota_course::lesson::builtin()
            .into_iter()
            .filter(|l| l.part.is_none())
            .collect();
        (fota_course::lesson::path(), tours)
    });
    let Some(store) = use_store() else {
        return html! {};
    };
    if !store.help {
        return html! {};
    }
    let on_search = {
        let search = search.clone();
        Callback::from(move |e: InputEvent| {
            search.set(
                e.target_unchecked_into::<web_sys::HtmlInputElement>()
                    .value(),
            )
        })
    };
    // The glossary and the rules narrowed to what the student looks for, in any case.
    let wanted = search.trim().to_lowercase();
    let hit = |texts: &[&str]| {
        wanted.is_empty() || texts.iter().any(|t| t.to_lowercase().contains(&wanted))
    };
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
            <h3>{ "Lessons, in order" }</h3>
            <ol class="lessons" data-testid="lesson-list">
                { for lessons.0.iter().map(|l| html! {
                    <li><a href={format!("?lesson={}", l.id)}>{ &l.title }</a>{ format!(" · {} steps", l.steps.len()) }</li>
                }) }
            </ol>
            <details class="tours">
                <summary>{ "Every scenario has a tour: it starts when you open the scenario" }</summary>
                <ul data-testid="tour-list">
                    { for lessons.1.iter().map(|l| html! {
                        <li><a href={format!("?lesson={}", l.id)}>{ &l.title }</a>{ format!(" · {} steps", l.steps.len()) }</li>
                    }) }
                </ul>
            </details>
            <h3>{ "Update Results, and where each happens" }</h3>
            <ResultsGallery />
            <p class="hint">{ "Teachers can write lessons of their own (the project's docs/lessons.md says how); one opens with \"Open a scenario, trace or lesson file\"." }</p>
            <h3>{ "Keyboard" }</h3>
            <dl class="keys">
                { for KEYS.iter().map(|(k, what)| html! { <><dt><kbd>{ *k }</kbd></dt><dd>{ *what }</dd></> }) }
            </dl>
            <input type="search" class="help-search" data-testid="help-search" placeholder="Look up a term or a rule: SZX, image_ok, FU-T9 ..."
                aria-label="Look up a term or a rule" value={(*search).clone()} oninput={on_search} />
            <h3>{ format!("Glossary · {} terms", TERMS.len()) }</h3>
            <dl class="glossary">
                { for TERMS.iter().filter(|t| hit(&[t.term, t.meaning]) || t.also.iter().any(|a| hit(&[a]))).map(|t| html! {
                    <>
                        <dt>{ t.term }{ if t.also.is_empty() { String::new() } else { format!(" ({})", t.also.join(", ")) } }</dt>
                        <dd>{ t.meaning }<small>{ t.source }</small></dd>
                    </>
                }) }
            </dl>
            <h3>{ format!("Rules · {}", RULES.len()) }</h3>
            <p class="hint">{ "The rules the sandbox follows, each in a sentence: messages, /5 changes and log lines cite them by id." }</p>
            <dl class="glossary">
                { for RULES.iter().filter(|r| hit(&[r.id, r.meaning])).map(|r| html! { <><dt>{ r.id }</dt><dd>{ r.meaning }</dd></> }) }
            </dl>
        </section>
    }
}
