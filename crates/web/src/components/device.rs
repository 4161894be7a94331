//! The device as the ladder has shown it so far: /5 State and Update Result with the state
//! diagram (current state lit, the last transition and its rule), /3/0/3, the /3 and /4 values,
//! and the bootloader's flash: both slots as strips of sectors, their trailers, the wear and
//! the boot log.

use super::use_store;
use fota_bootloader::view::{SectorKind, SlotView};
use fota_lwm2m::{rules, FwState};
use yew::prelude::*;

/// Where each state sits in the diagram.
fn spot(s: FwState) -> (f64, f64) {
    match s {
        FwState::Idle => (70.0, 34.0),
        FwState::Downloading => (290.0, 34.0),
        FwState::Downloaded => (290.0, 136.0),
        FwState::Updating => (70.0, 136.0),
    }
}

/// The transitions of SPEC §2 drawn in the diagram: from, to, the rules that take it, and
/// how far along the edge its label sits (the diagonal's label keeps clear of the top edge).
const EDGES: [(FwState, FwState, &str, f64); 7] = [
    (FwState::Idle, FwState::Downloading, "T1 T2", 0.5),
    (FwState::Downloading, FwState::Downloaded, "T5", 0.5),
    (FwState::Downloaded, FwState::Updating, "T9", 0.5),
    (FwState::Updating, FwState::Idle, "T11 T13 T14", 0.5),
    (FwState::Downloading, FwState::Idle, "T6 T7 T8", 0.5),
    (FwState::Downloaded, FwState::Idle, "T7 T8", 0.3),
    (FwState::Updating, FwState::Downloaded, "T12", 0.5),
];

fn diagram(current: FwState, last: Option<(FwState, FwState, &'static str)>) -> Html {
    let edge = |&(from, to, label, t): &(FwState, FwState, &str, f64)| {
        let ((x1, y1), (x2, y2)) = (spot(from), spot(to));
        // Two edges join some pairs both ways: bend each to its own side.
        let (dx, dy) = (x2 - x1, y2 - y1);
        let len = (dx * dx + dy * dy).sqrt().max(1.0);
        let (nx, ny) = (-dy / len * 14.0, dx / len * 14.0);
        let (mx, my) = ((x1 + x2) / 2.0 + nx, (y1 + y2) / 2.0 + ny);
        let lit = last.is_some_and(|(f, l, _)| f == from && l == to);
        // The label: a point of the curve, a little off it on the bend's side.
        let at = |p0: f64, c: f64, p2: f64| {
            (1.0 - t) * (1.0 - t) * p0 + 2.0 * (1.0 - t) * t * c + t * t * p2
        };
        let (lx, ly) = (at(x1, mx, x2) + nx * 0.6, at(y1, my, y2) + ny * 0.6 + 3.0);
        html! {
            <g class={classes!("edge", lit.then_some("lit"))}>
                <path d={format!("M{x1:.0},{y1:.0} Q{mx:.0},{my:.0} {x2:.0},{y2:.0}")} marker-end="url(#arrowhead)" />
                <text x={format!("{lx:.0}")} y={format!("{ly:.0}")}>{ label }</text>
            </g>
        }
    };
    let node = |s: FwState| {
        let (x, y) = spot(s);
        html! {
            <g class={classes!("state", (s == current).then_some("current"))}>
                <rect x={format!("{:.0}", x - 52.0)} y={format!("{:.0}", y - 15.0)} width="104" height="30" rx="15" />
                <text x={format!("{x:.0}")} y={format!("{:.0}", y + 4.0)}>{ format!("{} {}", s.code(), s.name()) }</text>
            </g>
        }
    };
    html! {
        <svg class="state-diagram" viewBox="0 0 360 170" role="img" data-testid="state-diagram"
            aria-label={format!("Firmware Update state machine; the device is in state {} {}", current.code(), current.name())}>
            <defs>
                <marker id="arrowhead" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
                    <path d="M0,0 L10,5 L0,10 z" />
                </marker>
            </defs>
            { for EDGES.iter().map(edge) }
            { for [FwState::Idle, FwState::Downloading, FwState::Downloaded, FwState::Updating].into_iter().map(node) }
        </svg>
    }
}

/// The sector a boot-log line of a flash operation touches.
fn op_sector(line: &str, sector_size: usize) -> Option<usize> {
    if let Some(rest) = line.strip_prefix("flash: erase sector ") {
        return rest.split(' ').next()?.parse().ok();
    }
    let rest = line.strip_prefix("flash: write ")?;
    let hex = rest.split(" at 0x").nth(1)?.split(' ').next()?;
    usize::from_str_radix(hex, 16).ok().map(|o| o / sector_size)
}

fn slot_strip(slot: &SlotView, busy: Option<usize>) -> Html {
    let flags = [
        ("magic", slot.magic),
        ("image_ok", slot.image_ok),
        ("copy_done", slot.copy_done),
    ];
    html! {
        <div class="slot" data-testid={format!("slot-{}", slot.name)}>
            <div class="slot-head">
                <strong>{ slot.name }</strong>
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
                    <span class={classes!("flag", set.then_some("set"))}>{ *name }</span>
                }) }
                if let Some(t) = slot.swap_type { <span class="flag set">{ format!("swap {t}") }</span> }
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
    let last_boot = world
        .log()
        .iter()
        .rev()
        .find(|l| l.text.starts_with("bootloader: "))
        .map(|l| l.at);
    let sector_size = world.device().bootloader().flash().geometry().sector_size;
    let ops: Vec<(usize, String)> = last_boot
        .map(|at| {
            world
                .log()
                .iter()
                .filter(|l| l.at == at)
                .filter_map(|l| l.text.strip_prefix("bootloader: "))
                .filter_map(|t| op_sector(t, sector_size).map(|s| (s, t.to_string())))
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
    let boot_log: Vec<String> = world
        .log()
        .iter()
        .filter_map(|l| {
            l.text
                .strip_prefix("bootloader: ")
                .map(|t| format!("{} {t}", l.at))
        })
        .filter(|l| !l.contains(" flash: write ") && !l.contains(" flash: erase "))
        .collect();
    html! {
        <section class="panel device" aria-label="Device">
            <h2>{ "Device" }</h2>
            <dl class="values">
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
            <h3>{ "Bootloader" }<small>{ format!(" · {} · security counter {} in NV flash", world.device().bootloader().strategy().name(), world.device().bootloader().nv_security_counter()) }</small></h3>
            <div class="slots">
                { for slots.iter().map(|slot| slot_strip(slot, busy.map(|(s, _)| *s))) }
            </div>
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
