//! The device as the ladder has shown it so far: /5 State and Update Result with the state
//! diagram (current state lit, the last transition and its rule), /3/0/3, the /3 and /4 values,
//! and the bootloader's flash: both slots as strips of sectors, their trailers, the wear and
//! the boot log. Stepping through a boot shows the slots as each step left them and the
//! bootloader's checks where it validated; nothing moves by itself.

use super::state_diagram::diagram;
use super::term::Term;
use super::use_store;
use fota_bootloader::view::{SectorKind, SlotView};
use fota_bootloader::{BootEvent, Check, Compared, Slot};
use fota_course::lesson::Anchor;
use fota_lwm2m::{rules, FwState};
use yew::prelude::*;

/// A list of the checks of `validate`, each with what it found; the values a check compared
/// in full in its tooltip.
fn checklist(checks: &[Check], list: &'static str, item: &'static str) -> Html {
    html! {
        <ol class="checks" data-testid={list}>
            { for checks.iter().map(|c| html! {
                <li class={classes!(if c.ok { "pass" } else { "fail" })} data-testid={item}
                    data-check={c.name} title={c.compared.as_ref().map(in_full)}>
                    <span class="mark" aria-hidden="true">{ if c.ok { "✓" } else { "✗" } }</span>
                    <Term text={c.name} term={check_term(c.name).to_string()} />
                    { if c.ok { " passed: " } else { " failed: " } }{ &c.detail }
                </li>
            }) }
        </ol>
    }
}

/// What a check compared, with every digit.
fn in_full(compared: &Compared) -> String {
    match compared {
        Compared::Digests { computed, expected } => format!(
            "computed SHA-256 {}\nSHA256 TLV      {}",
            computed.hex(),
            expected.map_or("(none)".to_string(), |e| e.hex())
        ),
        Compared::KeyHashes { image, trusted } => {
            let keys: Vec<String> = trusted
                .iter()
                .map(|k| format!("trusted {} key {}", k.name, k.hash.hex()))
                .collect();
            format!(
                "KEYHASH of the image {}\n{}",
                image.map_or("(none)".to_string(), |h| h.hex()),
                keys.join("\n")
            )
        }
        Compared::Counters { image, nv } => format!(
            "image's security counter {}, NV counter {nv}",
            image.map_or("(none)".to_string(), |c| c.to_string())
        ),
    }
}

#[derive(Properties, PartialEq)]
struct SlotStripsProps {
    slots: std::rc::Rc<[SlotView; 2]>,
    /// The sector the step shown works on.
    busy: Option<usize>,
    swapping: bool,
    /// What the lesson's step is about.
    lit: bool,
}

/// Both slots as strips of sectors: a component of its own, so that a step that leaves the
/// slots as they were (most steps of a download) does not draw their hundreds of sectors again.
#[function_component(SlotStrips)]
fn slot_strips(props: &SlotStripsProps) -> Html {
    html! {
        <div class={classes!("slots", props.lit.then_some("spotlit"))}>
            { for props.slots.iter().map(|slot| slot_strip(slot, props.busy, props.swapping)) }
        </div>
    }
}

fn slot_strip(slot: &SlotView, busy: Option<usize>, swapping: bool) -> Html {
    let flags = [
        ("magic", slot.magic),
        ("image_ok", slot.image_ok),
        ("copy_done", slot.copy_done),
    ];
    html! {
        <div class="slot" data-testid={format!("slot-{}", slot.name)}>
            <div class="slot-head">
                <strong><Term text={slot.name} term={format!("{} slot", slot.name)} /></strong>
                <span class="slot-image" data-testid={format!("slot-{}-image", slot.name)}>{ match &slot.image {
                    Some(v) => format!("image {v}, {} bytes", slot.image_len),
                    // Half moved: each sector holds a piece of one image or the other.
                    None if swapping => "no whole image: swap under way".to_string(),
                    None => "no valid image".to_string(),
                } }</span>
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
    let at = store.run.at;
    let (state, result, version) = store.values();
    let shown = world.trace().len();
    let changes: Vec<_> = world
        .firmware_changes()
        .iter()
        .filter(|c| c.after_datagrams <= shown && c.moments_before <= at.moments)
        .collect();
    let last = changes.last().map(|c| {
        let from = changes
            .len()
            .checked_sub(2)
            .map_or(FwState::Idle, |i| changes[i].state);
        (from, c.state, c.rule)
    });
    let values = world.device().sample_now();
    let moments = &store.run.moments;
    // The moments shown, newest first.
    let shown_moments = || (0..at.moments).rev().filter_map(|i| moments.get(i));
    // A step of a boot shows the slots as that step left them: the strips come from the
    // flash the step carries (the bootloader the device shows is the one before its work).
    let frame = shown_moments()
        .take_while(|m| m.step == world.steps())
        .enumerate()
        .find_map(|(i, m)| m.flash().map(|f| (at.moments - 1 - i, f.clone())));
    let run_key = std::rc::Rc::as_ptr(&store.run.groups) as usize;
    // Reading both slots validates their images: only again when what they show changes (a
    // step's snapshot, or the flash's operation count within this run).
    let flash_key = (
        run_key,
        frame.as_ref().map(|(i, _)| *i),
        world.device().bootloader().flash().ops(),
    );
    let nv_counter = frame.as_ref().map_or(
        world.device().bootloader().nv_security_counter(),
        |(_, f)| f.nv_security_counter(),
    );
    let slots = {
        // The store, not a copy of the bootloader: the memo reads it only when the key changes.
        let store = store.clone();
        let snapshot = frame.map(|(_, f)| f);
        use_memo(flash_key, move |_| match snapshot {
            Some(f) => f.slots_view(),
            None => store.world().device().bootloader().slots_view(),
        })
    };
    // The sector step shown: its target sector lit, its words under the strips.
    let current = store.run.moment();
    let busy = current.and_then(|m| m.sector());
    let step_line = current.and_then(|m| m.boot_event()).map(|e| e.to_string());
    let swapping = slots[0].magic && !slots[0].copy_done;
    // The device's checks of the download, as of the rows shown: what secure boot looked at,
    // in success as in failure (BOOT-5).
    let checked = world
        .prevalidations()
        .iter()
        .rev()
        .find(|(at, _)| *at <= shown)
        .map(|(_, checks)| checks.clone());
    // The bootloader's latest validation shown, of the secondary before an upgrade or of the
    // primary before the jump (BOOT-5).
    // Every validation of that same boot is kept, so that a refused upgrade's failed check
    // stays in view once the bootloader has gone on to check the primary.
    let mut validated = Vec::new();
    for m in shown_moments() {
        match m.checks() {
            Some((slot, checks)) => {
                validated.push((slot, checks.to_vec(), m.at, Some(m) == current));
            }
            // The boot began at the reset before it: earlier checks belong to another boot.
            None if !validated.is_empty()
                && matches!(m.event, fota_device::DeviceEvent::Reset { .. }) =>
            {
                break
            }
            None => {}
        }
    }
    validated.reverse();
    // The decisions shown, not every flash operation: the strips show those.
    let boot_log: Vec<String> = world
        .boot_events()
        .iter()
        .filter(|r| !matches!(r.event, BootEvent::Flash(_)))
        .filter(|r| {
            let is_moment = !matches!(r.event, BootEvent::FlashCount { .. });
            r.moments_before + usize::from(is_moment) <= at.moments
        })
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
                    <dd><span class="num" data-testid="battery">{ format!("{} %", world.device().battery_percent_at(world.now())) }</span></dd>
                </div>
            </dl>
            { diagram(state, last) }
            if let Some((_, _, rule)) = last {
                <p class="last-change" data-testid="last-rule">
                    { "last change: " }<span class="rule">{ rule }</span>{ " " }{ rules::meaning(rule).unwrap_or_default() }
                </p>
            }
            if let Some(why) = world.device().bricked() {
                <p class="bricked" data-testid="bricked" role="status">
                    <strong><Term text="Bricked" term="bricked" /></strong>{ format!(": {why}. It will never register again.") }
                </p>
            }
            if let Some(checks) = checked {
                <h3>{ "Checks of the download" }<small>{ " · by the device, before Downloaded (BOOT-5)" }</small></h3>
                { checklist(&checks, "boot-checks", "boot-check") }
            }
            { for validated.into_iter().map(|(slot, checks, when, now)| html! {
                <>
                    <h3 class={classes!(now.then_some("now"))} data-testid="bootloader-checks-title">
                        { format!("Checks of the {} slot", slot.name()) }
                        <small>{ format!(" · by the bootloader at {when}, {} (BOOT-5)", match slot {
                            Slot::Primary => "before jumping to it",
                            Slot::Secondary => "before the upgrade",
                        }) }</small>
                    </h3>
                    { checklist(&checks, "bootloader-checks", "bootloader-check") }
                </>
            }) }
            <h3>{ "Bootloader" }<small>{ format!(" · {} · security counter {} in NV flash", world.device().bootloader().strategy().name(), nv_counter) }</small></h3>
            <SlotStrips slots={slots} {busy} {swapping} lit={lit_slots} />
            <p class="slot-legend" data-testid="slot-legend">
                { "Trailer flags are green when set and grey when not; a number on a sector counts its erases." }
            </p>
            if let Some(line) = step_line {
                <p class="swap-op" data-testid="swap-op">{ line }</p>
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
