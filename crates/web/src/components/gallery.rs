//! The Results gallery: each Update Result from 1 to 11 in words, and a button that opens the
//! built-in scenario producing it at the moment the device reports it.

use super::use_store;
use crate::store::Action;
use fota_course::lesson::results_gallery;
use fota_sim::Scenario;
use yew::prelude::*;

#[function_component(ResultsGallery)]
pub fn gallery() -> Html {
    // The scenarios are read from their files once, not at every step of the run shown.
    let entries = use_memo((), |_| {
        let all = Scenario::builtin();
        results_gallery()
            .into_iter()
            .filter_map(|e| {
                let scenario = all.iter().find(|s| s.id == e.scenario)?.clone();
                Some((e, scenario))
            })
            .collect::<Vec<_>>()
    });
    let Some(store) = use_store() else {
        return html! {};
    };
    html! {
        <ol class="gallery" data-testid="results-gallery" aria-label="Update Results, each opening the scenario where it happens">
            { for entries.iter().cloned().map(|(e, scenario)| {
                let title = scenario.title.clone();
                let code = e.result.code();
                let onclick = {
                    let store = store.clone();
                    let anchor = e.anchor();
                    Callback::from(move |_: MouseEvent| {
                        crate::address::set_query(&crate::params::share_query(&scenario.id, scenario.seed, 0));
                        store.dispatch(Action::LoadAt(Box::new(scenario.clone()), anchor.clone()))
                    })
                };
                html! {
                    <li data-testid="gallery-result">
                        <button {onclick} title={format!("{}: {}. Opens \"{title}\" where the device reports it.", e.result.name(), e.result.in_words())}>
                            <strong>{ format!("Result {code}") }</strong>{ format!(" · {}", e.result.name()) }
                        </button>
                    </li>
                }
            }) }
        </ol>
    }
}
