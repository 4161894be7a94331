//! Breaking things on purpose: the network's settings from now on, a link down, a power cut,
//! another image in the repository. Each becomes an input at the current moment and the run
//! goes on from here as a branch; the banner compares it with the run it came from.

use super::use_store;
use crate::store::{Action, StoreHandle};
use fota_sim::link::LinkSettings;
use fota_sim::scenario::Fault;
use fota_sim::NodeId;
use web_sys::HtmlInputElement;
use yew::prelude::*;

fn number_input(state: &UseStateHandle<String>, label: &str, testid: &str) -> Html {
    let on_input = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            state.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    html! {
        <label>{ label }
            <input type="number" min="0" value={(**state).clone()} oninput={on_input} data-testid={testid.to_string()} />
        </label>
    }
}

#[function_component(FaultsPanel)]
pub fn faults_panel() -> Html {
    let Some(store) = use_store() else {
        return html! {};
    };
    // The form starts from the link the run has (server to device), not from made-up values
    // a student could take for the scenario's own.
    let link = store
        .world()
        .scenario()
        .network
        .params(fota_sim::NodeId::Server, fota_sim::NodeId::Device);
    let loss = use_state(|| link.loss_percent.to_string());
    let latency = use_state(|| link.latency_ms.to_string());
    let dup = use_state(|| link.duplicate_percent.to_string());
    // When a fault added now takes effect (the branch rule: just after this instant).
    let now = store.run.timeline.branch_at_ms();
    // Boot steps the bootloader did at the same virtual instant happen in one event of the
    // world: at the first of them, the next is already done in the world shown, so a cut
    // "now" would come after it too. Steps apart in time (a sector step takes an erase and a
    // sector's writes) can be cut between.
    let mid_boot = store.run.moment().is_some_and(|m| {
        store
            .run
            .moments
            .get(store.run.at.moments)
            .is_some_and(|next| next.step == m.step)
    });
    let branch = |fault: Fault, what: String| {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| {
            store.dispatch(Action::BranchNow(fault.clone(), what.clone()))
        })
    };
    let network = {
        let (loss, latency, dup) = (loss.clone(), latency.clone(), dup.clone());
        let store = store.clone();
        Callback::from(move |_: MouseEvent| {
            let parse = |s: &str| s.trim().parse::<u64>().ok();
            let (Some(l), Some(t), Some(d)) = (parse(&loss), parse(&latency), parse(&dup)) else {
                store.dispatch(Action::Notice(
                    "Loss, latency and duplication must be whole numbers.".into(),
                ));
                return;
            };
            let (l, d) = (l.min(100) as u8, d.min(100) as u8);
            store.dispatch(Action::BranchNow(
                Fault::SetNetwork {
                    at_ms: now,
                    settings: LinkSettings {
                        latency_ms: Some(t.min(60_000)),
                        loss_percent: Some(l),
                        duplicate_percent: Some(d),
                        ..LinkSettings::default()
                    },
                    unknown: Default::default(),
                },
                format!(
                    "network from t = {} ms: {l} % loss, {t} ms latency, {d} % duplication",
                    now
                ),
            ))
        })
    };
    html! {
        <section class="panel faults" aria-label="Faults" id="break-it">
            <h2>{ "Break it" }</h2>
            <p class="hint">{ "From this moment on; the run before stays to compare." }</p>
            <div class="network">
                { number_input(&loss, "loss %", "set-loss") }
                { number_input(&latency, "latency ms", "set-latency") }
                { number_input(&dup, "duplication %", "set-duplication") }
                <button data-testid="apply-network" onclick={network}>{ "Apply" }</button>
            </div>
            <div class="quick">
                <button data-testid="power-cut" disabled={mid_boot} onclick={branch(Fault::PowerCut { at_ms: now, off_ms: 3000 }, format!("power cut for 3 s at t = {now} ms"))}>{ "Power cut now (3 s)" }</button>
                <button data-testid="reboot" disabled={mid_boot} onclick={branch(Fault::Reboot { at_ms: now }, format!("reboot at t = {now} ms"))}>{ "Reboot now" }</button>
                <button data-testid="repo-down" onclick={branch(Fault::LinkDown { at_ms: now, node: NodeId::Repository, up_at_ms: Some(now + 120_000) }, format!("repository link down for 120 s at t = {now} ms"))}>{ "Repository link down (120 s)" }</button>
                <button data-testid="device-down" onclick={branch(Fault::LinkDown { at_ms: now, node: NodeId::Device, up_at_ms: Some(now + 60_000) }, format!("device link down for 60 s at t = {now} ms"))}>{ "Device link down (60 s)" }</button>
                <button data-testid="replace-image" onclick={branch(Fault::ReplaceImage { at_ms: now }, format!("another image published at t = {now} ms"))}>{ "New image in the repository" }</button>
            </div>
            if mid_boot {
                <p class="hint" data-testid="mid-boot-hint">{ "The bootloader did this step and the next one at the same instant, so a power cut or a reboot now would come after the next one too. Step on: each sector step of a swap takes its own time (an erase and a sector's writes), and a cut there lands between two steps." }</p>
            }
        </section>
    }
}

fn outcome(run: &crate::store::Run) -> String {
    let r = &run.report;
    format!(
        "State {}, Result {}, firmware {}, campaign {}, {} datagrams, {:.1} s",
        r.final_values.state,
        r.final_values.result,
        r.final_values.firmware_version,
        r.campaign,
        r.datagrams,
        r.virtual_ms as f64 / 1000.0
    )
}

/// Which run is shown, what the branch changed, and how both end.
#[function_component(BranchBanner)]
pub fn branch_banner() -> Html {
    let Some(store) = use_store() else {
        return html! {};
    };
    let Some((other, what)) = &store.other else {
        return html! {};
    };
    let (branch, original) = if store.showing_branch {
        (&store.run, other)
    } else {
        (other, &store.run)
    };
    let act = |a: fn() -> Action, store: &StoreHandle| {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(a()))
    };
    let shown = if store.showing_branch {
        "the branch"
    } else {
        "the original run"
    };
    html! {
        <section class="branch-banner" data-testid="branch-banner" aria-live="polite">
            <p><strong>{ format!("Showing {shown}.") }</strong>{ format!(" The branch: {what}.") }</p>
            <p class="compare">
                <span data-testid="outcome-original">{ format!("Original: {}", outcome(original)) }</span>
                <span data-testid="outcome-branch">{ format!("Branch: {}", outcome(branch)) }</span>
            </p>
            <button data-testid="swap-runs" onclick={act(|| Action::SwapRuns, &store)}>
                { if store.showing_branch { "Show the original" } else { "Show the branch" } }
            </button>
            <button onclick={act(|| Action::KeepShown, &store)}>{ "Keep this run only" }</button>
        </section>
    }
}
