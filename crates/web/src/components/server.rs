//! The server: its campaign as of the ladder's position, its log, and the operator's requests.
//! A request becomes an input of the run at the current moment: the run goes on from here as
//! a branch, and the run before it stays to compare.

use super::use_store;
use crate::store::Action;
use fota_sim::scenario::Operation;
use fota_sim::NodeId;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Ready-made requests: label, op, path, value.
const QUICK: [(&str, &str, &str, &str); 6] = [
    ("Read State", "read", "/5/0/3", ""),
    ("Read Result", "read", "/5/0/5", ""),
    ("Execute Update", "execute", "/5/0/2", ""),
    ("Cancel", "execute", "/5/0/10", ""),
    ("Reset /5/0/1", "write", "/5/0/1", ""),
    ("Push the image", "push", "/5/0/0", ""),
];

#[function_component(ServerPanel)]
pub fn server_panel() -> Html {
    let Some(store) = use_store() else {
        return html! {};
    };
    let op = use_state(|| "read".to_string());
    let path = use_state(|| "/3/0/9".to_string());
    let value = use_state(String::new);
    let world = store.world();
    let now = world.now().millis();
    let send = |label: String, o: &str, p: &str, v: &str| {
        let store = store.clone();
        let operation = Operation {
            at_ms: now,
            op: o.to_string(),
            path: p.to_string(),
            value: v.to_string(),
        };
        Callback::from(move |_: MouseEvent| {
            store.dispatch(Action::Operate(operation.clone(), label.clone()))
        })
    };
    let on_op = {
        let op = op.clone();
        Callback::from(move |e: Event| {
            op.set(e.target_unchecked_into::<HtmlSelectElement>().value())
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
        format!("operator: {} {} {}", *op, *path, *value)
            .trim()
            .to_string(),
        &op,
        &path,
        &value,
    );
    let registered = world.server().registration().map(|r| {
        format!(
            "{} at {} (lifetime {} s)",
            r.endpoint, r.location, r.lifetime_s
        )
    });
    let log: Vec<_> = world
        .log()
        .iter()
        .filter(|l| l.node == NodeId::Server)
        .collect();
    html! {
        <section class="panel server" aria-label="Server">
            <h2>{ "Server" }</h2>
            <p class="campaign">{ "Campaign: " }<span data-testid="campaign">{ world.visible_phase().to_string() }</span></p>
            <p class="registration">{ registered.unwrap_or_else(|| "no device registered".into()) }</p>
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
                    { for ["read", "write", "execute", "observe", "write-attributes"].iter().map(|o| html! {
                        <option value={*o} selected={*o == op.as_str()}>{ *o }</option>
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
                        <li><span class="t">{ l.at.to_string() }</span>{ " " }{ &l.text }
                            if let Some(r) = l.rule { { " " }<span class="rule">{ r }</span> }</li>
                    }) }
                </ol>
            </details>
        </section>
    }
}
