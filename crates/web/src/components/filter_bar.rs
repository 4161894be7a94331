//! The filter box over the ladder: Wireshark's display filter syntax with the sandbox's own
//! fields (docs/filters.md). A mistake is marked as it is typed, with its reason and place; a
//! good filter says how many rows it matches, dims or hides the others, and gives the same
//! filter for Wireshark to use on the exported pcap.

use super::use_store;
use crate::filtering::Matches;
use crate::store::Action;
use fota_course::filter::Why;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct FilterBarProps {
    /// What the filter makes of the run, as the ladder computed it.
    pub found: Option<Result<std::rc::Rc<Matches>, Why>>,
    pub total: usize,
    /// Rows on the ladder so far.
    pub shown: usize,
}

#[function_component(FilterBar)]
pub fn filter_bar(props: &FilterBarProps) -> Html {
    let Some(store) = use_store() else {
        return html! {};
    };
    let on_input = {
        let store = store.clone();
        Callback::from(move |e: InputEvent| {
            let text = e.target_unchecked_into::<HtmlInputElement>().value();
            store.dispatch(Action::SetFilter(text));
        })
    };
    let on_hide = {
        let store = store.clone();
        Callback::from(move |e: Event| {
            let hide = e.target_unchecked_into::<HtmlInputElement>().checked();
            store.dispatch(Action::HideUnmatched(hide));
        })
    };
    let copy = |text: String| {
        Callback::from(move |_: MouseEvent| {
            if let Some(w) = web_sys::window() {
                let _ = w.navigator().clipboard().write_text(&text);
            }
        })
    };
    let invalid = matches!(props.found, Some(Err(_)));
    html! {
        <div class="filter-bar">
            <input type="search" data-testid="filter" value={store.filter.clone()} oninput={on_input}
                class={classes!(invalid.then_some("invalid"))} aria-invalid={invalid.to_string()}
                aria-describedby="filter-status" spellcheck="false" autocomplete="off"
                aria-label="Filter the messages (Wireshark display filter syntax)"
                placeholder="Filter: coap.code == 2.31 · uri == \"/5/0/1\" · fate == lost · Block2" />
            <div id="filter-status" class="filter-status" aria-live="polite">
                { match &props.found {
                    None => html! { <span class="muted">{ "Wireshark's filter syntax: fields such as coap.type, coap.code, uri, lwm2m.state, fate, rule; == != < > contains && || !" }</span> },
                    Some(Err(why)) => html! { <span class="filter-error" data-testid="filter-error">{ why.to_string() }</span> },
                    Some(Ok(m)) => html! {
                        <>
                            <span data-testid="filter-count">{ format!("{} of {} messages match", m.count, props.total) }</span>
                            if props.shown < props.total {
                                <span class="muted">{ format!("{} of them shown so far", m.count_in(0, props.shown)) }</span>
                            }
                            <label class="hide-others"><input type="checkbox" checked={store.hide_unmatched} onchange={on_hide} data-testid="filter-hide" />{ " hide the others" }</label>
                            { match &m.wireshark {
                                Ok(ws) => html! {
                                    <span class="wireshark">{ "Wireshark: " }<code data-testid="wireshark-filter">{ ws.clone() }</code>
                                        <button onclick={copy(ws.clone())} data-testid="copy-wireshark" title="Copy the filter for the downloaded pcap">{ "Copy" }</button>
                                    </span>
                                },
                                Err(why) => html! { <span class="wireshark muted" data-testid="wireshark-filter">{ format!("no Wireshark filter: {why}") }</span> },
                            } }
                        </>
                    },
                } }
            </div>
        </div>
    }
}
