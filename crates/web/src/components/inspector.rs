//! The message inspector: every header field, option and payload byte of the selected
//! datagram, as `explain` decodes it, and the bytes themselves; choosing a field lights its
//! bytes in the dump. "What if" buttons re-run the world with this message dropped,
//! corrupted, delayed or duplicated.

use super::term::Term;
use super::use_store;
use crate::hexdump::{ascii, header_span, option_spans, regions, spotlight};
use crate::store::Action;
use fota_lwm2m::{explain, rules};
use fota_sim::scenario::Fault;
use fota_sim::Fate;
use std::ops::Range;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[function_component(Inspector)]
pub fn inspector() -> Html {
    let Some(store) = use_store() else {
        return html! {};
    };
    let lit = use_state(|| None::<Range<usize>>);
    {
        // A field chosen on one message is not lit on the next.
        let lit = lit.clone();
        use_effect_with(store.selected, move |_| lit.set(None));
    }
    // A chosen message opens where the student looks: the details come into view and take
    // the focus, on a wide screen (the side column scrolls) as at 360 px (below the ladder).
    let panel = use_node_ref();
    {
        let panel = panel.clone();
        use_effect_with(store.selected, move |chosen| {
            if chosen.is_some() {
                if let Some(el) = panel.cast::<web_sys::HtmlElement>() {
                    // As little scrolling as brings the details into view.
                    let how = web_sys::ScrollIntoViewOptions::new();
                    how.set_block(web_sys::ScrollLogicalPosition::Nearest);
                    el.scroll_into_view_with_scroll_into_view_options(&how);
                    let _ = el.focus_with_options(&{
                        let o = web_sys::FocusOptions::new();
                        o.set_prevent_scroll(true);
                        o
                    });
                }
            }
        });
    }
    let trace = store.world().trace();
    let Some(e) = store.selected.and_then(|i| trace.get(i)) else {
        return html! {
            <section class="panel inspector empty" aria-label="Message detail" id="message-panel">
                <h2>{ "Message" }</h2>
                <p>{ "Click a message in the ladder to open it down to the byte." }</p>
            </section>
        };
    };
    let request = e.answers.map(|i| trace[i].bytes.as_slice());
    let x = explain(&e.bytes, request);
    let from = e.from_node.map_or("?", |n| n.name());
    let to = e.to_node.map_or("?", |n| n.name());
    let light = |span: Option<Range<usize>>| {
        let lit = lit.clone();
        Callback::from(move |_: MouseEvent| lit.set(span.clone()))
    };
    let spans = option_spans(&e.bytes);
    // The field the lesson's step talks about, when this is the step's message; a field the
    // student chooses lights instead.
    let numbers: Vec<u16> = x.options.iter().map(|o| o.number).collect();
    let told = store.tour.as_ref().and_then(|t| {
        let at = t.current()?.moment?.message?;
        let field = t.lesson.steps.get(t.step)?.lit_field()?;
        (at == e.id).then_some(field)
    });
    let shown = (*lit)
        .clone()
        .or_else(|| told.and_then(|f| spotlight(f, &e.bytes, &numbers, x.payload.len)));
    let row_class = |span: &Option<Range<usize>>| {
        let on = span.is_some() && *span == shown;
        classes!("pick", on.then_some("lit-row"))
    };
    // An option is lit when its bytes are among those lit (a path lights all its segments).
    let option_class = |span: Option<&Range<usize>>| {
        let on = span
            .zip(shown.as_ref())
            .is_some_and(|(s, l)| l.start <= s.start && s.end <= l.end);
        classes!("pick", on.then_some("lit-row"))
    };
    let row = e.id;
    let what_if = |fault: Fault, what: String| {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| {
            store.dispatch(Action::BranchAtRow(row, fault.clone(), what.clone()))
        })
    };
    // Back where the message was chosen: its row in the ladder (the page scrolls far on a phone).
    let back = Callback::from(move |_: MouseEvent| {
        let document = web_sys::window().and_then(|w| w.document());
        let Some(d) = document else { return };
        let row = d
            .query_selector(&format!(
                "[data-testid=\"message-row\"][data-row=\"{row}\"]"
            ))
            .ok()
            .flatten();
        let target = row.or_else(|| d.query_selector(".ladder").ok().flatten());
        if let Some(el) = target.and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok()) {
            el.scroll_into_view_with_bool(false);
            let _ = el.focus();
        }
    });
    let fate = match &e.fate {
        Fate::Dropped { reason } => Some(format!("Lost on the way: {reason}. The receiver never saw it.")),
        Fate::Duplicated { at, copy_at } => Some(format!("Arrived twice: at {at} and again at {copy_at}.")),
        Fate::Corrupted { at, byte, mask } => Some(format!(
            "Arrived at {at} with byte {byte} XOR 0x{mask:02x}: the receiver saw other bytes than these."
        )),
        Fate::Delivered { at } if *at > store.world().now() => Some(format!("On its way: it arrives at {at}.")),
        Fate::Delivered { at } => Some(format!("Arrived at {at}.")),
        Fate::Undeliverable => None,
    };
    // The rules this message met: what its receiver applied, or what its shape shows.
    let met = store.world().rules_met(row, || x.rule);
    // A challenge's question about a message can be answered from the message itself, which
    // on a phone is far below the challenge.
    let run = store.run.id();
    let picks: Vec<(usize, String, Option<String>)> = store
        .working
        .as_ref()
        .map(|w| {
            // What the grade said of this message, once it is the one picked.
            let told = |i: usize| {
                let (of, g) = w.graded.as_ref()?;
                (*of == run && w.picks.get(&i) == Some(&row))
                    .then(|| g.goals.get(i))
                    .flatten()
                    .map(|g| format!("{} {}", if g.passed() { "✓" } else { "✗" }, g.told))
            };
            w.challenge
                .goals
                .iter()
                .enumerate()
                .filter_map(|(i, g)| match g {
                    fota_course::challenge::Goal::Pick { question, .. } => {
                        Some((i, question.clone(), told(i)))
                    }
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    html! {
        <section class="panel inspector" aria-label="Message detail" data-testid="inspector" ref={panel} tabindex="-1" id="message-panel">
            <button class="back-to-ladder" onclick={back} data-testid="back-to-ladder">{ "↑ Back to the messages" }</button>
            <h2>{ format!("#{} · {} → {} · {}", e.id, from, to, e.sent_at) }</h2>
            { for picks.into_iter().map(|(i, question, told)| {
                let store = store.clone();
                let pick = Callback::from(move |_: MouseEvent| store.dispatch(Action::Pick(i)));
                html! {
                    <p class="pick-here">
                        <button onclick={pick} data-testid={format!("pick-here-{i}")}>{ format!("Pick #{row} as the answer") }</button>
                        { format!(" to: {question}") }
                        if let Some(t) = told { <span class="goal-told" data-testid="pick-here-told">{ t }</span> }
                    </p>
                }
            }) }
            <p class="summary" data-testid="inspector-summary">{ &x.summary }</p>
            if let Some(op) = &x.operation {
                <p class="operation">{ op }</p>
            }
            { for met.iter().map(|rule| html! {
                <p class="rule-line" data-testid="row-rule"><span class="rule">{ *rule }</span>{ " " }{ rules::meaning(rule).unwrap_or_default() }</p>
            }) }
            if let Some(f) = fate {
                <p class={classes!("fate", e.fate.is_lost().then_some("decode-error"))} data-testid="fate">{ f }</p>
            }
            if let Some(err) = &x.error {
                <p class="decode-error">{ err }</p>
            }
            if let Some(i) = e.answers {
                <p class="answers">{ format!("answers message #{i}") }</p>
            }
            <div class="what-if" role="group" aria-label="What if this message">
                <span>{ "What if it" }</span>
                <button data-testid="drop-this" onclick={what_if(Fault::Drop { row }, format!("message #{row} dropped"))}>{ "was lost" }</button>
                <button data-testid="corrupt-this" onclick={what_if(Fault::Corrupt { row, byte: 1 }, format!("message #{row} corrupted (its Code byte)"))}>{ "was corrupted" }</button>
                <button data-testid="delay-this" onclick={what_if(Fault::Delay { row, delay_ms: 3000 }, format!("message #{row} delayed by 3 s"))}>{ "came 3 s late" }</button>
                <button data-testid="duplicate-this" onclick={what_if(Fault::Duplicate { row }, format!("message #{row} duplicated"))}>{ "came twice" }</button>
            </div>
            <h3>{ "Header" }</h3>
            <table class="fields">
                { for x.header.iter().map(|f| {
                    let span = header_span(f.name, &e.bytes);
                    // The type and the code explain themselves by their first word (CON, 2.04).
                    let value = match f.name {
                        "Type" | "Code" => html! { <Term text={f.value.clone()} term={f.value.split(' ').next().unwrap_or_default().to_string()} /> },
                        _ => html! { { &f.value } },
                    };
                    html! { <tr class={row_class(&span)} onclick={light(span)}><th><Term text={f.name} /></th><td>{ value }</td></tr> }
                }) }
            </table>
            if !x.options.is_empty() {
                <h3>{ "Options" }</h3>
                <table class="fields options">
                    <tr><th>{ "#" }</th><th>{ "name" }</th><th>{ "value" }</th><th>{ "raw" }</th></tr>
                    { for x.options.iter().enumerate().map(|(k, o)| html! {
                        <tr class={option_class(spans.get(k))} onclick={light(spans.get(k).cloned())} data-testid="option-row">
                            <td>{ o.number }</td><td><Term text={o.name} /></td>
                            <td>{ &o.value }
                                if o.name.starts_with("Block") {
                                    <span class="block-terms">{ for ["NUM", "M", "SZX"].iter().map(|t| html! { <Term text={*t} /> }) }</span>
                                }
                            </td>
                            <td class="raw">{ &o.raw_hex }</td>
                        </tr>
                    }) }
                </table>
            }
            <h3>{ format!("Payload · {} bytes", x.payload.len) }
                if let Some(f) = &x.payload.format {
                    { " · " }<Term text={f.clone()} term={f.split(['(', ')']).nth(1).unwrap_or_default().to_string()} />
                }
            </h3>
            if let Some(text) = &x.payload.text {
                <pre class="payload-text">{ text }</pre>
            }
            <h3>{ format!("Bytes · {}", e.bytes.len()) }</h3>
            { hex_dump(&e.bytes, x.payload.len, shown.clone()) }
        </section>
    }
}

fn hex_dump(bytes: &[u8], payload_len: usize, lit: Option<Range<usize>>) -> Html {
    let kinds = regions(bytes, payload_len);
    html! {
        <div class="hexdump" data-testid="hex-dump">
            <div class="legend">
                <span class="hx-header">{ "header" }</span><span class="hx-token">{ "token" }</span>
                <span class="hx-options">{ "options" }</span><span class="hx-marker">{ "ff marker" }</span>
                <span class="hx-payload">{ "payload" }</span><span class="hx-lit">{ "chosen field" }</span>
            </div>
            { for bytes.chunks(16).enumerate().map(|(line, chunk)| html! {
                <div class="hx-line">
                    <span class="hx-off">{ format!("{:04x}", line * 16) }</span>
                    <span class="hx-bytes">
                        { for chunk.iter().enumerate().map(|(j, b)| {
                            let at = line * 16 + j;
                            let k = kinds.get(at).map_or("", |r| r.class());
                            let on = lit.as_ref().is_some_and(|r| r.contains(&at));
                            html! { <span class={classes!(k, on.then_some("hx-lit"))}>{ format!("{b:02x}") }</span> }
                        }) }
                    </span>
                    <span class="hx-ascii">{ ascii(chunk) }</span>
                </div>
            }) }
        </div>
    }
}
