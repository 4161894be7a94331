//! The sequence ladder: one row per datagram between the three lanes, with the /5 changes
//! marked between the rows where they happened.

use super::use_store;
use crate::store::Action;
use fota_lwm2m::explain;
use fota_sim::{NodeId, TraceEntry};
use yew::prelude::*;

/// Lanes from left to right: the device sits between the server and the repository so that
/// no arrow crosses a lane.
const LANES: [NodeId; 3] = [NodeId::Server, NodeId::Device, NodeId::Repository];

fn lane_pos(node: Option<NodeId>) -> f64 {
    let i = LANES.iter().position(|&n| Some(n) == node).unwrap_or(1);
    100.0 * (2 * i + 1) as f64 / 6.0
}

#[function_component(Ladder)]
pub fn ladder() -> Html {
    let Some(store) = use_store() else {
        return html! {};
    };
    let list = use_node_ref();
    let trace = store.world.trace();
    {
        // Keep the newest row in view while the run advances.
        let list = list.clone();
        use_effect_with(trace.len(), move |_| {
            if let Some(el) = list.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }
    let changes = store.world.firmware_changes();
    let mut rows = Vec::with_capacity(trace.len() + changes.len());
    for (i, entry) in trace.iter().enumerate() {
        rows.push(row(&store, trace, entry, store.selected == Some(i)));
        for c in changes.iter().filter(|c| c.after_datagrams == i + 1) {
            rows.push(html! {
                <li class="marker" data-testid="state-marker">
                    <span class="t">{ c.at.to_string() }</span>
                    <span class="marker-text">
                        { format!("/5 State {} {} · Result {} · ", c.state.code(), c.state.name(), c.result.code()) }
                        <span class="rule">{ c.rule }</span>
                    </span>
                </li>
            });
        }
    }
    html! {
        <section class="ladder" aria-label="Messages">
            <div class="lanes">
                { for LANES.iter().map(|n| html! {
                    <div class="lane-head"><strong>{ n.name() }</strong><small>{ n.addr().to_string() }</small></div>
                }) }
            </div>
            <ol class="rows" ref={list}>
                if trace.is_empty() {
                    <li class="empty">{ "No datagram yet. Press Step or Play: the device boots, then registers." }</li>
                }
                { for rows }
            </ol>
        </section>
    }
}

fn row(
    store: &crate::store::StoreHandle,
    trace: &fota_sim::cow::CowVec<TraceEntry>,
    e: &TraceEntry,
    selected: bool,
) -> Html {
    let request = e.answers.map(|i| trace[i].bytes.as_slice());
    let x = explain(&e.bytes, request);
    let (a, b) = (lane_pos(e.from_node), lane_pos(e.to_node));
    let (left, width) = (a.min(b), (a - b).abs());
    let dir = if b >= a { "ltr" } else { "rtl" };
    let id = e.id;
    let onclick = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(Action::Select(id)))
    };
    let onkeydown = {
        let store = store.clone();
        Callback::from(move |k: KeyboardEvent| {
            if k.key() == "Enter" || k.key() == " " {
                k.prevent_default();
                store.dispatch(Action::Select(id));
            }
        })
    };
    let dropped = matches!(e.fate, fota_sim::Fate::Dropped { .. });
    let title = match &e.fate {
        fota_sim::Fate::Dropped { reason } => format!("lost: {reason}"),
        _ => x.operation.clone().unwrap_or_else(|| x.summary.clone()),
    };
    let label = if dropped {
        format!("{} ✕", x.summary)
    } else {
        x.summary.clone()
    };
    html! {
        <li class={classes!("row", selected.then_some("selected"), dropped.then_some("dropped"))} data-testid="message-row"
            tabindex="0" role="button" aria-pressed={selected.to_string()} {onclick} {onkeydown} title={title}>
            <span class="t">{ e.sent_at.to_string() }</span>
            <div class="track">
                <div class={classes!("arrow", dir)} style={format!("left:{left:.3}%;width:{width:.3}%")}>
                    <span class="label">{ label }</span>
                </div>
            </div>
        </li>
    }
}
