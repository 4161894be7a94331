use super::use_store;
use fota_lwm2m::rules;
use yew::prelude::*;

/// /5/0/3, /5/0/5 and /3/0/3 as the ladder has shown them so far, and the campaign.
#[function_component(Values)]
pub fn values() -> Html {
    let Some(store) = use_store() else {
        return html! {};
    };
    let (state, result, version) = store.world.visible_values();
    let shown = store.world.trace().len();
    let last = store
        .world
        .firmware_changes()
        .iter()
        .rev()
        .find(|c| c.after_datagrams <= shown);
    html! {
        <section class="values" aria-label="Device resources">
            <h2>{ "Device" }</h2>
            <dl>
                <div class="value">
                    <dt>{ "/5/0/3 State" }</dt>
                    <dd><span class="num" data-testid="fw-state">{ state.code() }</span>
                        <span class={classes!("name", format!("state-{}", state.code()))}>{ state.name() }</span></dd>
                </div>
                <div class="value">
                    <dt>{ "/5/0/5 Update Result" }</dt>
                    <dd><span class="num" data-testid="update-result">{ result.code() }</span>
                        <span class="name">{ result.name() }</span></dd>
                </div>
                <div class="value">
                    <dt>{ "/3/0/3 Firmware Version" }</dt>
                    <dd><span class="num" data-testid="fw-version">{ version }</span></dd>
                </div>
            </dl>
            if let Some(c) = last {
                <p class="last-change" title={rules::meaning(c.rule).unwrap_or_default()}>
                    { "last change: " }<span class="rule">{ c.rule }</span>{ " " }{ rules::meaning(c.rule).unwrap_or_default() }
                </p>
            }
            <p class="campaign">{ "Server campaign: " }<span data-testid="campaign">{ store.world.server().phase().to_string() }</span></p>
        </section>
    }
}
