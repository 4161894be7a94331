//! The server: its campaign as of the ladder's position, its log, and the operator's requests.
//! A request becomes an input of the run at the current moment: the run goes on from here as
//! a branch, and the run before it stays to compare.

use super::use_store;
use crate::store::Action;
use fota_lwm2m::Path;
use fota_server::{OperatorOp, OperatorRequest};
use fota_sim::scenario::Operation;
use fota_sim::NodeId;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Ready-made requests: label, op, path, value.
const QUICK: [(&str, OperatorOp, &str, &str); 6] = [
    ("Read State", OperatorOp::Read, "/5/0/3", ""),
    ("Read Result", OperatorOp::Read, "/5/0/5", ""),
    ("Execute Update", OperatorOp::Execute, "/5/0/2", ""),
    ("Cancel", OperatorOp::Execute, "/5/0/10", ""),
    ("Reset /5/0/1", OperatorOp::Write, "/5/0/1", ""),
    ("Push the image", OperatorOp::Push, "/5/0/0", ""),
];

#[function_component(ServerPanel)]
pub fn server_panel() -> Html {
    let Some(store) = use_store() else {
        return html! {};
    };
    let op = use_state(|| OperatorOp::Read);
    let path = use_state(|| "/3/0/9".to_string());
    let value = use_state(String::new);
    let world = store.world();
    let now = store.run.timeline.branch_at_ms();
    let send = |label: String, op: OperatorOp, path: &str, value: &str| {
        let store = store.clone();
        // A path typed by hand may not be one: say so rather than send nothing.
        let action = match Path::parse(path.trim()) {
            Some(path) => Action::Operate(
                Operation {
                    at_ms: now,
                    request: OperatorRequest {
                        op,
                        path,
                        value: value.to_string(),
                    },
                    unknown: Default::default(),
                },
                label,
            ),
            None => Action::Notice(format!(
                "\"{path}\" is not a path: write /object, /object/instance or /object/instance/resource, such as /5/0/3"
            )),
        };
        Callback::from(move |_: MouseEvent| store.dispatch(action.clone()))
    };
    let on_op = {
        let op = op.clone();
        Callback::from(move |e: Event| {
            let name = e.target_unchecked_into::<HtmlSelectElement>().value();
            op.set(OperatorOp::parse(&name).unwrap_or(OperatorOp::Read))
        })
    };
    let on_path = {
        let path = path.clone();
        Callback::from(move |e: InputEvent| {
            path.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_value = {
        let value = value.clone();
        Callback::from(move |e: InputEvent| {
            value.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let custom = send(
        format!("operator: {} {} {}", op.name(), *path, *value)
            .trim()
            .to_string(),
        *op,
        &path,
        &value,
    );
    let registered = world.server().registration().map(|r| {
        format!(
            "{} at {} (lifetime {} s{})",
            r.endpoint,
            r.location,
            r.lifetime_s,
            if r.queue_mode { ", queue mode" } else { "" }
        )
    });
    let log: Vec<_> = world
        .log()
        .iter()
        .filter(|l| l.node == NodeId::Server)
        .collect();
    html! {
        <section class="panel server" aria-label="Server" id="server-panel">
            <h2>{ "Server" }</h2>
            <p class="campaign">{ "Campaign: " }<span data-testid="campaign">{ world.visible_phase().to_string() }</span></p>
            <p class="registration">{ registered.unwrap_or_else(|| "no device registered".into()) }</p>
            if let Some(since) = world.server().holding_since() {
                <p class="held" data-testid="server-holding">{ format!(
                    "Holding a request since {since}: the device sleeps (queue mode), and the server sends it when the device next speaks (Q-3)."
                ) }</p>
            }
            <h3>{ "Operator" }</h3>
            <p class="hint">{ format!("Sent at t = {}: the run goes on from here as a branch.", world.now()) }</p>
            <div class="quick">
                { for QUICK.iter().map(|&(label, o, p, v)| html! {
                    <button data-testid={format!("op-{}", label.to_lowercase().replace(' ', "-").replace('/', ""))}
                        onclick={send(format!("operator: {label}"), o, p, v)}>{ label }</button>
                }) }
            </div>
            <div class="custom">
                <select onchange={on_op} aria-label="Operation">
                    { for OperatorOp::ALL.into_iter().filter(|o| *o != OperatorOp::Push).map(|o| html! {
                        <option value={o.name()} selected={o == *op}>{ o.name() }</option>
                    }) }
                </select>
                <input value={(*path).clone()} oninput={on_path} aria-label="Path" size="8" />
                <input value={(*value).clone()} oninput={on_value} aria-label="Value" placeholder="value" size="10" />
                <button onclick={custom}>{ "Send" }</button>
            </div>
            <details class="log">
                <summary>{ format!("Server log · {} lines", log.len()) }</summary>
                <ol>
                    { for log.iter().rev().take(30).rev().map(|l| html! {
                        <li><span class="t">{ l.at.to_string() }</span>{ " " }{ l.text() }
                            if let Some(r) = l.rule { { " " }<span class="rule">{ r }</span> }</li>
                    }) }
                </ol>
            </details>
        </section>
    }
}
