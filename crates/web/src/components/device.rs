//! The device as the ladder has shown it so far: /5 State and Update Result with the state
//! diagram (current state lit, the last transition and its rule), /3/0/3, the /3 and /4 values,
//! and the bootloader's flash: both slots as strips of sectors, their trailers, the wear and
//! the boot log.

use super::state_diagram::diagram;
use super::term::Term;
use super::use_store;
use fota_bootloader::view::{SectorKind, SlotView};
use fota_bootloader::{BootEvent, FlashEvent};
use fota_course::lesson::Anchor;
use fota_lwm2m::{rules, FwState};
use yew::prelude::*;

fn slot_strip(slot: &SlotView, busy: Option<usize>) -> Html {
    let flags = [
        ("magic", slot.magic),
        ("image_ok", slot.image_ok),
        ("copy_done", slot.copy_done),
    ];
    html! {
        <div class="slot" data-testid={format!("slot-{}", slot.name)}>
            <div class="slot-head">
                <strong><Term text={slot.name} term={format!("{} slot", slot.name)} /></strong>
                <span class="slot-image">{ slot.image.as_ref().map_or("no valid image".to_string(), |v| format!("image {v}, {} bytes", slot.image_len)) }</span>
            </div>
            <div class="sectors" role="img" aria-label={format!("{} slot: {} sectors", slot.name, slot.sectors.len())}>
                { for slot.sectors.iter().map(|s| {
                    let kind = match s.kind {
                        SectorKind::Erased => "erased",
                        SectorKind::Data => "data",
                        SectorKind::Trailer => "trailer",
                    };
                    html! {
                        <span class={classes!("sector", kind, (busy == Some(s.index)).then_some("busy"))}
                            title={format!("sector {} · {kind} · erased {} times", s.index, s.erase_count)}>
                            if s.erase_count > 0 { <small>{ s.erase_count }</small> }
                        </span>
                    }
                }) }
            </div>
            <div class="trailer">
                { for flags.iter().map(|(name, set)| html! {
                    <span class={classes!("flag", set.then_some("set"))}><Term text={*name} /></span>
                }) }
                if let Some(t) = slot.swap_type { <span class="flag set"><Term text={format!("swap {t}")} term={t.to_string()} /></span> }
            </div>
        </div>
    }
}

#[function_component(DevicePanel)]
pub fn device_panel() -> Html {
    let Some(store) = use_store() else {
        return html! {};
    };
    let world = store.world();
    let (state, result, version) = world.visible_values();
    let shown = world.trace().len();
    let changes: Vec<_> = world
        .firmware_changes()
        .iter()
        .filter(|c| c.after_datagrams <= shown)
        .collect();
    let last = changes.last().map(|c| {
        let from = changes
            .len()
            .checked_sub(2)
            .map_or(FwState::Idle, |i| changes[i].state);
        (from, c.state, c.rule)
    });
    let values = world.device().sample_now();
    // Reading both slots hashes their images: only again when the flash has changed (its
    // operation count within this run).
    let flash_key = (
        std::rc::Rc::as_ptr(&store.run.groups) as usize,
        world.device().bootloader().flash().ops(),
    );
    let slots = {
        let boot = world.device().bootloader().clone();
        use_memo(flash_key, move |_| boot.slots_view())
    };
    // The flash operations of the latest boot, replayed one by one on the strips when the
    // ladder steps across it: the swap, the revert or the overwrite as it happened.
    let boot = world.boot_events();
    let last_boot = boot.last().map(|r| r.at);
    let ops: Vec<(usize, String)> = last_boot
        .map(|at| {
            boot.iter()
                .filter(|r| r.at == at)
                .filter_map(|r| match &r.event {
                    BootEvent::Flash(
                        op @ (FlashEvent::Erase { sector, .. } | FlashEvent::Write { sector, .. }),
                    ) => Some((*sector, op.to_string())),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let step = use_state_eq(|| None::<usize>);
    {
        let step = step.clone();
        let n = ops.len();
        let key = (
            std::rc::Rc::as_ptr(&store.run.groups) as usize,
            last_boot.map(|t| t.millis()),
            n,
        );
        // Only a boot that did flash work, and only when it is the moment shown.
        let fresh = last_boot.is_some_and(|t| t == world.now()) && n > 1;
        use_effect_with(key, move |_| {
            let timer = fresh.then(|| {
                step.set(Some(0));
                let shown = std::rc::Rc::new(std::cell::Cell::new(0usize));
                let step = step.clone();
                gloo_timers::callback::Interval::new(30, move || {
                    let i = shown.get() + 1;
                    shown.set(i);
                    step.set((i < n).then_some(i));
                })
            });
            move || drop(timer)
        });
    }
    let busy = (*step).and_then(|i| ops.get(i));
    // The device's checks of the download, as of the rows shown: what secure boot looked at,
    // in success as in failure (BOOT-5).
    let checked = world
        .prevalidations()
        .iter()
        .rev()
        .find(|(at, _)| *at <= shown)
        .map(|(_, checks)| checks.clone());
    // The decisions, not every flash operation: the strips show those.
    let boot_log: Vec<String> = boot
        .iter()
        .filter(|r| !matches!(r.event, BootEvent::Flash(_)))
        .map(|r| format!("{} {}", r.at, r.event))
        .collect();
    // What the lesson's step is about, lit: the values a /5 change set, the slots at a boot.
    let about = store
        .tour
        .as_ref()
        .filter(|t| t.current().is_some_and(|s| s.moment.is_some()))
        .and_then(|t| t.lesson.steps.get(t.step)?.anchor.clone());
    let (lit_state, lit_result) = match &about {
        Some(Anchor::Change { state, result }) => (state.is_some(), result.is_some()),
        _ => (false, false),
    };
    let lit_slots = matches!(about, Some(Anchor::Boot { .. }));
    html! {
        <section class="panel device" aria-label="Device" id="device-panel">
            <h2>{ "Device" }</h2>
            <dl class="values">
                <div class={classes!("value", lit_state.then_some("spotlit"))}>
                    <dt><Term text="/5/0/3 State" /></dt>
                    <dd><span class="num" data-testid="fw-state">{ state.code() }</span>
                        <span class={classes!("name", format!("state-{}", state.code()))}>{ state.name() }</span></dd>
                </div>
                <div class={classes!("value", lit_result.then_some("spotlit"))}>
                    <dt><Term text="/5/0/5 Update Result" /></dt>
                    <dd><span class="num" data-testid="update-result">{ result.code() }</span>
                        <span class="name">{ result.name() }</span></dd>
                </div>
                <div class="value">
                    <dt><Term text="/3/0/3 Firmware Version" /></dt>
                    <dd><span class="num" data-testid="fw-version">{ version }</span></dd>
                </div>
                <div class="value">
                    <dt>{ "/4/0/2 Signal · /4/0/3 Link quality" }</dt>
                    <dd><span class="num" data-testid="signal">{ format!("{} dBm", values.signal_dbm) }</span>
                        <span class="name">{ format!("quality {}", values.link_quality) }</span></dd>
                </div>
                <div class="value">
                    <dt>{ "/3/0/9 Battery" }</dt>
                    <dd><span class="num" data-testid="battery">{ format!("{} %", values.battery_level) }</span></dd>
                </div>
            </dl>
            { diagram(state, last) }
            if let Some((_, _, rule)) = last {
                <p class="last-change" data-testid="last-rule">
                    { "last change: " }<span class="rule">{ rule }</span>{ " " }{ rules::meaning(rule).unwrap_or_default() }
                </p>
            }
            if let Some(checks) = checked {
                <h3>{ "Checks of the download" }<small>{ " · by the device, before Downloaded (BOOT-5)" }</small></h3>
                <ol class="checks" data-testid="boot-checks">
                    { for checks.iter().map(|c| html! {
                        <li class={classes!(if c.ok { "pass" } else { "fail" })} data-testid="boot-check">
                            <span class="mark" aria-hidden="true">{ if c.ok { "✓" } else { "✗" } }</span>
                            <Term text={c.name} term={check_term(c.name).to_string()} />
                            { if c.ok { " passed: " } else { " failed: " } }{ &c.detail }
                        </li>
                    }) }
                </ol>
            }
            <h3>{ "Bootloader" }<small>{ format!(" · {} · security counter {} in NV flash", world.device().bootloader().strategy().name(), world.device().bootloader().nv_security_counter()) }</small></h3>
            <div class={classes!("slots", lit_slots.then_some("spotlit"))}>
                { for slots.iter().map(|slot| slot_strip(slot, busy.map(|(s, _)| *s))) }
            </div>
            <p class="slot-legend" data-testid="slot-legend">
                { "Trailer flags are green when set and grey when not; a number on a sector counts its erases." }
            </p>
            if let (Some((_, line)), Some(i)) = (busy, *step) {
                <p class="swap-op" data-testid="swap-op" aria-live="off">{ format!("{} · {} of {}", line, i + 1, ops.len()) }</p>
            }
            <details class="boot-log" data-testid="boot-log">
                <summary>{ format!("Boot log · {} lines", boot_log.len()) }</summary>
                <ol>
                    { for boot_log.iter().rev().take(40).rev().map(|l| html! { <li>{ l }</li> }) }
                </ol>
            </details>
        </section>
    }
}

/// The glossary entry that explains a check of the image.
fn check_term(name: &str) -> &str {
    match name {
        "header" => "image header",
        "hash" => "SHA-256",
        "key" => "KEYHASH",
        "sizes" => "image header",
        other => other,
    }
}
