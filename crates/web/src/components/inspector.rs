//! The message inspector: every header field, option and payload byte of the selected
//! datagram, as `explain` decodes it, and the bytes themselves.

use super::use_store;
use crate::hexdump::{ascii, regions};
use fota_lwm2m::{explain, rules};
use yew::prelude::*;

#[function_component(Inspector)]
pub fn inspector() -> Html {
    let Some(store) = use_store() else {
        return html! {};
    };
    let trace = store.world.trace();
    let Some(e) = store.selected.and_then(|i| trace.get(i)) else {
        return html! {
            <section class="inspector empty" aria-label="Message detail">
                <h2>{ "Message" }</h2>
                <p>{ "Click a message in the ladder to open it down to the byte." }</p>
            </section>
        };
    };
    let request = e.answers.map(|i| trace[i].bytes.as_slice());
    let x = explain(&e.bytes, request);
    let from = e.from_node.map_or("?", |n| n.name());
    let to = e.to_node.map_or("?", |n| n.name());
    html! {
        <section class="inspector" aria-label="Message detail" data-testid="inspector">
            <h2>{ format!("#{} · {} → {} · {}", e.id, from, to, e.sent_at) }</h2>
            <p class="summary" data-testid="inspector-summary">{ &x.summary }</p>
            if let Some(op) = &x.operation {
                <p class="operation">{ op }</p>
            }
            if let Some(rule) = x.rule {
                <p class="rule-line"><span class="rule">{ rule }</span>{ " " }{ rules::meaning(rule).unwrap_or_default() }</p>
            }
            if let fota_sim::Fate::Dropped { reason } = &e.fate {
                <p class="decode-error" data-testid="fate">{ format!("Lost on the way: {reason}. The receiver never saw it.") }</p>
            }
            if let Some(err) = &x.error {
                <p class="decode-error">{ err }</p>
            }
            if let Some(i) = e.answers {
                <p class="answers">{ format!("answers message #{i}") }</p>
            }
            <h3>{ "Header" }</h3>
            <table class="fields">
                { for x.header.iter().map(|f| html! { <tr><th>{ f.name }</th><td>{ &f.value }</td></tr> }) }
            </table>
            if !x.options.is_empty() {
                <h3>{ "Options" }</h3>
                <table class="fields options">
                    <tr><th>{ "#" }</th><th>{ "name" }</th><th>{ "value" }</th><th>{ "raw" }</th></tr>
                    { for x.options.iter().map(|o| html! {
                        <tr><td>{ o.number }</td><td>{ o.name }</td><td>{ &o.value }</td><td class="raw">{ &o.raw_hex }</td></tr>
                    }) }
                </table>
            }
            <h3>{ format!("Payload · {} bytes{}", x.payload.len, x.payload.format.as_ref().map(|f| format!(" · {f}")).unwrap_or_default()) }</h3>
            if let Some(text) = &x.payload.text {
                <pre class="payload-text">{ text }</pre>
            }
            <h3>{ format!("Bytes · {}", e.bytes.len()) }</h3>
            { hex_dump(&e.bytes, x.payload.len) }
        </section>
    }
}

fn hex_dump(bytes: &[u8], payload_len: usize) -> Html {
    let kinds = regions(bytes, payload_len);
    html! {
        <div class="hexdump" data-testid="hex-dump">
            <div class="legend">
                <span class="hx-header">{ "header" }</span><span class="hx-token">{ "token" }</span>
                <span class="hx-options">{ "options" }</span><span class="hx-marker">{ "ff marker" }</span>
                <span class="hx-payload">{ "payload" }</span>
            </div>
            { for bytes.chunks(16).enumerate().map(|(line, chunk)| html! {
                <div class="hx-line">
                    <span class="hx-off">{ format!("{:04x}", line * 16) }</span>
                    <span class="hx-bytes">
                        { for chunk.iter().enumerate().map(|(j, b)| {
                            let k = kinds.get(line * 16 + j).map_or("", |r| r.class());
                            html! { <span class={k}>{ format!("{b:02x}") }</span> }
                        }) }
                    </span>
                    <span class="hx-ascii">{ ascii(chunk) }</span>
                </div>
            }) }
        </div>
    }
}
