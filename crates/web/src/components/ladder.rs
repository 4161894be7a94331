//! The sequence ladder: one arrow per datagram between the three lanes, labelled like
//! Wireshark's info column; the /5 changes marked between the rows where they happened; the
//! device's moments (a reset, each step of a boot, an image failing) as unnumbered lines in
//! its lane; block-wise transfers foldable into one line. Only the rows in view are drawn, so a run of
//! 20,000 datagrams scrolls and steps as smoothly as a short one.

use super::filter_bar::FilterBar;
use super::term::Term;
use super::use_store;
use crate::filtering::Matches;
use crate::store::{Action, StoreHandle};
use fota_lwm2m::explain;
use fota_sim::{Fate, NodeId, TraceEntry};
use std::rc::Rc;
use yew::prelude::*;
use yew::virtual_dom::Key;

/// Lanes from left to right: the device sits between the server and the repository so that
/// no arrow crosses a lane.
const LANES: [NodeId; 3] = [NodeId::Server, NodeId::Device, NodeId::Repository];

/// Height of every line of the ladder, in CSS pixels (styles.css says the same).
const LINE_PX: i32 = 30;
/// Lines drawn beyond the visible ones, above and below.
const OVERSCAN: usize = 6;

fn lane_pos(node: Option<NodeId>) -> f64 {
    let i = LANES.iter().position(|&n| Some(n) == node).unwrap_or(1);
    100.0 * (2 * i + 1) as f64 / 6.0
}

/// One line of the ladder.
#[derive(Clone, Copy, PartialEq)]
enum Line {
    Row(usize),
    /// The /5 change with this index.
    Marker(usize),
    /// The device's moment with this index in the run.
    Moment(usize),
    /// The header of the block-wise run with this index, folded or not.
    Group(usize, bool),
}

#[function_component(Ladder)]
pub fn ladder() -> Html {
    let Some(store) = use_store() else {
        return html! {};
    };
    let list = use_node_ref();
    // Where the list is scrolled and how tall it is. Kept outside the component's state: the
    // list follows the current row by itself, and that must not cost a second render.
    let scroll = use_mut_ref(|| (0i32, 600i32));
    // The scroll position the ladder itself last set: the scroll event it causes is not the
    // student's.
    let set_by_us = use_mut_ref(|| None::<i32>);
    let redraw = use_force_update();
    // Which element each line in view is drawn in (see window_keys).
    let keys = use_mut_ref(crate::window_keys::WindowKeys::<Line>::default);
    let world = store.world();
    let trace = world.trace();
    let shown = trace.len();

    // The filter's matches over the whole run: once per filter and run, not per step.
    let found = {
        let store = store.clone();
        let key = (store.filter.clone(), Rc::as_ptr(&store.run.groups) as usize);
        use_memo(key, move |(text, _)| {
            if text.trim().is_empty() {
                return None;
            }
            crate::filtering::matches(text, &store.run.end_world()).map(|r| r.map(Rc::new))
        })
    };
    let matches: Option<&Matches> = match found.as_ref() {
        Some(Ok(m)) => Some(m),
        _ => None,
    };
    let hide = matches.filter(|_| store.hide_unmatched);
    let lines = Lines::of(&store, hide);
    let current_line = lines.current();
    let (top, height) = *scroll.borrow();
    // Follow the current row: when it is out of view, draw the window it will scroll to. A
    // draw that the student's own scrolling asked for is left where they scrolled, so any row,
    // or any match of a filter, can be scrolled back to.
    let scrolled_by_hand = use_mut_ref(|| false);
    // Folding, unfolding or hiding changes every line's place: the current one is found again.
    let lines_before = use_mut_ref(|| 0usize);
    let reflowed = std::mem::replace(&mut *lines_before.borrow_mut(), lines.total) != lines.total;
    let follow = !std::mem::take(&mut *scrolled_by_hand.borrow_mut()) || reflowed;
    let top = match current_line.map(|at| at as i32 * LINE_PX) {
        // Where the browser will put it: no further than the end of the list, so that the
        // position kept is the one the list really has.
        Some(y) if follow && (y < top || y + LINE_PX > top + height) => {
            (y - height + 3 * LINE_PX).clamp(0, (lines.total as i32 * LINE_PX - height).max(0))
        }
        _ => top,
    };
    {
        let list = list.clone();
        let scroll = scroll.clone();
        let set_by_us = set_by_us.clone();
        use_effect_with((shown, lines.total, top), move |&(_, _, top)| {
            // A step only writes the new position: the list's height comes from the observer
            // below (the first draw's included), its position from scroll events.
            if let Some(el) = list.cast::<web_sys::Element>() {
                if scroll.borrow().0 != top {
                    *set_by_us.borrow_mut() = Some(top);
                    el.set_scroll_top(top);
                    scroll.borrow_mut().0 = top;
                }
            }
        });
    }
    {
        // The list's height, first as drawn (the first draw guesses it), then whenever it
        // changes without a scroll (the lesson's text above it grows or shrinks, the window is
        // resized): else the current row it follows would be placed for a list of another
        // height and could end out of view.
        let list = list.clone();
        let scroll = scroll.clone();
        let redraw = redraw.clone();
        use_effect_with((), move |_| {
            let el = list.cast::<web_sys::Element>();
            let on_resize = {
                let el = el.clone();
                wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
                    if let Some(el) = &el {
                        let height = el.client_height().max(LINE_PX);
                        if scroll.borrow().1 != height {
                            scroll.borrow_mut().1 = height;
                            redraw.force_update();
                        }
                    }
                })
            };
            let observer = web_sys::ResizeObserver::new(wasm_bindgen::JsCast::unchecked_ref(
                on_resize.as_ref(),
            ))
            .ok();
            if let (Some(o), Some(el)) = (&observer, &el) {
                o.observe(el);
            }
            move || {
                if let Some(o) = observer {
                    o.disconnect();
                }
                drop(on_resize);
            }
        });
    }
    let onscroll = {
        let scroll = scroll.clone();
        let list = list.clone();
        Callback::from(move |_: Event| {
            if let Some(el) = list.cast::<web_sys::Element>() {
                let now = (el.scroll_top(), el.client_height().max(LINE_PX));
                // The event our own scrolling caused is not the student's (the browser may
                // have clamped the position it was set to).
                let max = (el.scroll_height() - el.client_height()).max(0);
                let ours = set_by_us
                    .borrow_mut()
                    .take()
                    .is_some_and(|set| now.0 == set || (set > max && now.0 == max));
                if *scroll.borrow() != now {
                    *scroll.borrow_mut() = now;
                    if !ours {
                        *scrolled_by_hand.borrow_mut() = true;
                    }
                    redraw.force_update();
                }
            }
        })
    };
    let first = (top / LINE_PX).max(0) as usize;
    let first = first.saturating_sub(OVERSCAN).min(lines.total);
    let last = (first + (height / LINE_PX).max(1) as usize + 2 * OVERSCAN).min(lines.total);
    let changes = world.firmware_changes();
    let groups = store.run.groups.clone();
    let window = lines.window(first, last);
    let window_keys = keys.borrow_mut().assign(&window);

    html! {
        <section class="ladder" aria-label="Messages">
            <FilterBar found={(*found).clone()} total={store.run.total_rows} {shown} />
            <div class="lanes">
                { for LANES.iter().map(|n| html! {
                    <div class="lane-head"><strong>{ n.name() }</strong><small>{ n.addr().to_string() }</small></div>
                }) }
            </div>
            // Reachable by the keyboard, so that it scrolls by Page Up and Page Down even when
            // it holds no message to focus (WCAG 2.1.1; axe's scrollable-region-focusable).
            <ol class="rows" ref={list} {onscroll} data-testid="ladder" tabindex="0" aria-label="The messages of the run">
                // Every line keyed by the element it is drawn in (window_keys): a window that
                // moves by a line moves one element, a line in view stays in its element, and a
                // jump rewrites the elements where they stand. The list's
                // children are flattened into one, so every one of them has a key (an unkeyed
                // `if` among them would make Yew redraw each line that changed place).
                { for (lines.total == 0).then(|| html! {
                    <li key="empty" class="empty">{ "Nothing yet. Press › to step or ▶ Play (or the space bar): the device boots, step by step, then registers." }</li>
                }) }
                <li key="above" class="spacer" aria-hidden="true" style={format!("height:{}px", first as i32 * LINE_PX)}></li>
                { for window.iter().zip(window_keys).enumerate().map(|(k, (line, key))| {
                    let current = Some(first + k) == current_line;
                    let key = Key::from(key);
                    match *line {
                        Line::Row(i) => row(key, &store, trace, &trace[i], current, matches.is_some_and(|m| !m.matched(i))),
                        Line::Marker(c) => {
                            let c = &changes[c];
                            html! {
                                <li {key} class="marker" data-testid="state-marker">
                                    <span class="t">{ c.at.to_string() }</span>
                                    <span class="marker-text">
                                        { format!("/5 State {} {} · Result {} · ", c.state.code(), c.state.name(), c.result.code()) }
                                        <span class="rule"><Term text={c.rule} /></span>
                                    </span>
                                </li>
                            }
                        }
                        Line::Moment(m) => moment_line(key, &store.run.moments[m], current),
                        Line::Group(g, folded) => group_line(key, &store, &groups[g], folded, shown, current, matches),
                    }
                }) }
                <li key="below" class="spacer" aria-hidden="true" style={format!("height:{}px", (lines.total - last) as i32 * LINE_PX)}></li>
            </ol>
        </section>
    }
}

/// A stretch of the ladder: consecutive rows, or one line of another kind.
#[derive(Clone, Copy)]
enum Segment {
    Rows(usize, usize),
    One(Line),
}

/// The ladder's lines for the rows shown, as stretches: a step on a run of 20,000 rows makes
/// a handful of them, not a line each, and only the lines in view are spelt out.
struct Lines {
    segments: Vec<Segment>,
    total: usize,
    /// The line of the moment shown last, when it comes after the last row shown.
    moment: Option<usize>,
}

/// What sits between two rows: a /5 change or a moment of the device, in the order they
/// happened. A change made after `n` moments comes before the moment with index `n`.
#[derive(Clone, Copy)]
struct Between {
    rows: usize,
    order: (usize, u8),
    line: Line,
}

/// The changes and the moments shown, merged in the order they happened.
fn between(store: &StoreHandle) -> Vec<Between> {
    let at = store.run.at;
    let world = store.world();
    let changes = world
        .firmware_changes()
        .iter()
        .enumerate()
        .filter(|(_, c)| c.after_datagrams <= at.rows && c.moments_before <= at.moments)
        .map(|(i, c)| Between {
            rows: c.after_datagrams,
            order: (c.moments_before, 0),
            line: Line::Marker(i),
        });
    let moments = store
        .run
        .moments
        .iter()
        .take(at.moments)
        .enumerate()
        .map(|(i, m)| Between {
            rows: m.rows,
            order: (i, 1),
            line: Line::Moment(i),
        });
    let mut all: Vec<Between> = changes.chain(moments).collect();
    all.sort_by_key(|b| (b.rows, b.order));
    all
}

impl Lines {
    /// Rows, with the /5 markers and the device's moments after the row they follow, and
    /// block runs folded to their header (the markers and moments inside a folded run still
    /// show). With `hide`, only the rows the filter matches, and the runs that hold one.
    fn of(store: &StoreHandle, hide: Option<&Matches>) -> Lines {
        let world = store.world();
        let shown = world.trace().len();
        // Hiding what the filter does not match hides the device's moments too: the filter
        // speaks of datagrams.
        let mut between = between(store);
        if hide.is_some() {
            between.retain(|b| !matches!(b.line, Line::Moment(_)));
        }
        let last_moment = store.run.moment().and(store.run.at.moments.checked_sub(1));
        let mut lines = Lines {
            segments: Vec::new(),
            total: 0,
            moment: None,
        };
        let mut next = 0;
        // Everything that happened once `upto` rows were on the ladder.
        let flush = |lines: &mut Lines, next: &mut usize, upto: usize| {
            while let Some(b) = between.get(*next).filter(|b| b.rows <= upto) {
                if matches!(b.line, Line::Moment(m) if Some(m) == last_moment) {
                    lines.moment = Some(lines.total);
                }
                lines.push(Segment::One(b.line));
                *next += 1;
            }
        };
        flush(&mut lines, &mut next, 0);
        let mut groups = store.run.groups.iter().enumerate().peekable();
        let mut i = 0;
        while i < shown {
            while groups.next_if(|(_, g)| g.start < i).is_some() {}
            if let Some((g, group)) = groups.next_if(|(_, g)| g.start == i) {
                let folded = store.folded.contains(&group.start);
                let holds_match =
                    hide.is_none_or(|m| m.count_in(group.start, group.end.min(shown)) > 0);
                if holds_match {
                    lines.push(Segment::One(Line::Group(g, folded)));
                }
                if folded {
                    let end = group.end.min(shown);
                    flush(&mut lines, &mut next, end);
                    i = end;
                    continue;
                }
            }
            let next_group = groups.peek().map_or(usize::MAX, |(_, g)| g.start);
            let next_between = between.get(next).map_or(usize::MAX, |b| b.rows.max(i + 1));
            let stop = shown.min(next_group).min(next_between).max(i + 1);
            match hide {
                None => lines.push(Segment::Rows(i, stop)),
                Some(m) => {
                    let mut found = Vec::new();
                    push_matching(&mut found, m, i, stop);
                    found.into_iter().for_each(|seg| lines.push(seg));
                }
            }
            i = stop;
            flush(&mut lines, &mut next, i);
        }
        lines
    }

    fn push(&mut self, seg: Segment) {
        self.total += seg.len();
        self.segments.push(seg);
    }

    /// The line of the moment shown last, or else of the newest row (or of the folded run it
    /// is in).
    fn current(&self) -> Option<usize> {
        if self.moment.is_some() {
            return self.moment;
        }
        let mut end = self.total;
        for seg in self.segments.iter().rev() {
            match seg {
                Segment::Rows(..) | Segment::One(Line::Group(_, true)) => {
                    return end.checked_sub(1)
                }
                _ => end -= seg.len(),
            }
        }
        None
    }

    /// Lines `first..last`.
    fn window(&self, first: usize, last: usize) -> Vec<Line> {
        let mut out = Vec::with_capacity(last.saturating_sub(first));
        let mut at = 0;
        for seg in &self.segments {
            let len = seg.len();
            if at + len > first && at < last {
                match *seg {
                    Segment::Rows(a, _) => {
                        let from = first.max(at) - at;
                        let to = last.min(at + len) - at;
                        out.extend((a + from..a + to).map(Line::Row));
                    }
                    Segment::One(line) => out.push(line),
                }
            }
            at += len;
            if at >= last {
                break;
            }
        }
        out
    }
}

/// The stretches of `start..end` that the filter matches.
fn push_matching(segments: &mut Vec<Segment>, m: &Matches, start: usize, end: usize) {
    let mut i = start;
    while i < end {
        if !m.matched(i) {
            i += 1;
            continue;
        }
        let from = i;
        while i < end && m.matched(i) {
            i += 1;
        }
        segments.push(Segment::Rows(from, i));
    }
}

impl Segment {
    fn len(&self) -> usize {
        match self {
            Segment::Rows(a, b) => b - a,
            Segment::One(_) => 1,
        }
    }
}

/// A moment of the device: an unnumbered line in its lane, with its time and its rule; on a
/// narrow screen a shorter wording of the same typed event.
fn moment_line(key: Key, m: &fota_sim::Moment, current: bool) -> Html {
    use fota_bootloader::BootEvent;
    use fota_device::{DeviceEvent, ResetCause};
    // What kind of moment, from the typed event, for styling and for tests.
    let (kind, who, text, short) = match &m.event {
        DeviceEvent::Boot { event, .. } => {
            let (kind, short) = match event {
                BootEvent::Validated { slot, checks } => match checks.iter().find(|c| !c.ok) {
                    None => ("validated", format!("{} valid ✓", slot.name())),
                    Some(c) => ("refused", format!("{}: {} ✗", slot.name(), c.name)),
                },
                BootEvent::SectorCopied {
                    step,
                    of,
                    from_role,
                    to_role,
                    ..
                } => (
                    "sector",
                    format!("{step}/{of} {}", short_copy(from_role, to_role)),
                ),
                BootEvent::JumpToPrimary { version } => ("jump", format!("jump to {version}")),
                BootEvent::Bricked { .. } => ("refused", "primary invalid: halt".to_string()),
                BootEvent::UpgradeRefused { failed, .. } => {
                    ("refused", format!("upgrade refused: {}", failed.name))
                }
                BootEvent::PowerLost { .. } => ("power", "power lost".to_string()),
                BootEvent::SwapStarted { kind } => ("decision", format!("{kind} swap starts")),
                other => ("decision", other.to_string()),
            };
            (kind, "bootloader", event.to_string(), short)
        }
        DeviceEvent::Reset { cause } => {
            let short = match cause {
                ResetCause::ForUpdate { .. } => "reset for the update",
                ResetCause::Watchdog { .. } => "watchdog reset",
                ResetCause::Reset => "reset",
                ResetCause::PowerCut { .. } => "power cut",
            };
            ("reset", "device", m.event.to_string(), short.to_string())
        }
        DeviceEvent::ImageFailed { version, behaviour } => {
            let short = format!("{version}: {}", behaviour.name());
            ("failed", "firmware", m.event.to_string(), short)
        }
        DeviceEvent::BatteryRecovered { percent } => (
            "battery",
            "battery",
            m.event.to_string(),
            format!("{percent} %: update starts"),
        ),
        // Queue mode: the radio off and on again, marks on the device's lifeline.
        DeviceEvent::Radio { asleep: true } => (
            "sleep",
            "radio",
            m.event.to_string(),
            "sleeps, radio off".to_string(),
        ),
        DeviceEvent::Radio { asleep: false } => (
            "wake",
            "radio",
            m.event.to_string(),
            "wakes to send".to_string(),
        ),
        other => ("device", "device", other.to_string(), other.to_string()),
    };
    let rule = m.rule();
    let title = format!("{} · {who}: {text}", m.at);
    html! {
        <li {key} class={classes!("moment", format!("m-{kind}"), current.then_some("current"))} data-testid="moment-row"
            data-kind={kind} title={title} aria-current={current.then_some("step")}>
            <span class="t">{ m.at.to_string() }</span>
            <div class="track">
                <span class="moment-text">
                    <span class="who">{ who }</span>{ " " }
                    <span class="long">{ text }</span><span class="short">{ short }</span>
                    if let Some(rule) = rule { { " · " }<span class="rule"><Term text={rule} /></span> }
                </span>
            </div>
        </li>
    }
}

/// "primary 3 → 4", "secondary 0 → primary 0": a sector step in few words.
fn short_copy(from: &fota_bootloader::SectorRole, to: &fota_bootloader::SectorRole) -> String {
    use fota_bootloader::SectorRole;
    match (from, to) {
        (SectorRole::Image { slot: a, index: i }, SectorRole::Image { slot: b, index: j })
            if a == b =>
        {
            format!("{} {i} → {j}", a.name())
        }
        (SectorRole::Image { slot: a, index: i }, SectorRole::Image { slot: b, index: j }) => {
            format!("{} {i} → {} {j}", a.name(), b.name())
        }
        _ => format!("{from} → {to}"),
    }
}

fn group_line(
    key: Key,
    store: &StoreHandle,
    g: &crate::groups::Group,
    folded: bool,
    shown: usize,
    current: bool,
    matches: Option<&Matches>,
) -> Html {
    let start = g.start;
    let matching = matches.map(|m| format!(" · {} match", m.count_in(g.start, g.end.min(shown))));
    let onclick = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| {
            store.dispatch(if folded {
                Action::Unfold(start)
            } else {
                Action::Fold(start)
            })
        })
    };
    let (a, b) = (lane_pos(g.ends.0), lane_pos(g.ends.1));
    let (left, width) = (a.min(b), (a - b).abs());
    html! {
        <li {key} class={classes!("group", folded.then_some("folded"), current.then_some("current"))} data-testid="block-group">
            <button class="fold" {onclick} aria-expanded={(!folded).to_string()}
                title={if folded { "Show every message of this transfer" } else { "Fold this transfer into one line" }}>
                { if folded { "▸" } else { "▾" } }
            </button>
            <div class="track">
                <div class="bracket" style={format!("left:{left:.3}%;width:{width:.3}%")}>
                    <span class="label">{ g.label(shown) }{ matching.unwrap_or_default() }</span>
                </div>
            </div>
        </li>
    }
}

/// The row's label (Wireshark's info column) and tooltip, from the run's cache.
fn label(
    store: &StoreHandle,
    trace: &fota_sim::cow::CowVec<TraceEntry>,
    e: &TraceEntry,
) -> crate::store::Label {
    if let Some(Some(l)) = store.run.labels.borrow().get(e.id) {
        return l.clone();
    }
    let request = e.answers.map(|i| trace[i].bytes.as_slice());
    let x = explain(&e.bytes, request);
    let (mark, title) = match &e.fate {
        Fate::Dropped { reason } => (" ✕", format!("lost: {reason}")),
        Fate::Duplicated { copy_at, .. } => {
            (" ×2", format!("arrived twice, the copy at {copy_at}"))
        }
        Fate::Corrupted { byte, .. } => (" ⚡", format!("arrived with byte {byte} changed")),
        _ => ("", x.operation.clone().unwrap_or_else(|| x.summary.clone())),
    };
    // The row's words explained under its tooltip, as the glossary has them.
    let words: String = fota_course::glossary::words_in(&x.summary)
        .iter()
        .map(|w| format!("\n{}: {}", w.term, w.meaning))
        .collect();
    let title = if words.is_empty() {
        title
    } else {
        format!("{title}\n{words}")
    };
    let made = std::rc::Rc::new((format!("{}{mark}", x.summary), title));
    if let Some(slot) = store.run.labels.borrow_mut().get_mut(e.id) {
        *slot = Some(made.clone());
    }
    made
}

fn row(
    key: Key,
    store: &StoreHandle,
    trace: &fota_sim::cow::CowVec<TraceEntry>,
    e: &TraceEntry,
    current: bool,
    dim: bool,
) -> Html {
    let text = label(store, trace, e);
    let (a, b) = (lane_pos(e.from_node), lane_pos(e.to_node));
    let (left, width) = (a.min(b), (a - b).abs());
    let dir = if b >= a { "ltr" } else { "rtl" };
    let id = e.id;
    let selected = store.selected == Some(id);
    let onclick = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(Action::Select(id)))
    };
    let onkeydown = {
        let store = store.clone();
        Callback::from(move |k: KeyboardEvent| {
            if k.key() == "Enter" {
                k.prevent_default();
                store.dispatch(Action::Select(id));
            }
        })
    };
    let fate_class = match &e.fate {
        Fate::Dropped { .. } => "dropped",
        Fate::Duplicated { .. } => "duplicated",
        Fate::Corrupted { .. } => "corrupted",
        _ => "",
    };
    html! {
        <li {key} class={classes!("row", selected.then_some("selected"), current.then_some("current"), (!fate_class.is_empty()).then_some(fate_class), dim.then_some("unmatched"))}
            data-testid="message-row" data-row={id.to_string()}
            tabindex="0" aria-current={selected.then_some("true")} {onclick} {onkeydown} title={text.1.clone()}>
            <span class="t">{ e.sent_at.to_string() }</span>
            <div class="track">
                <div class={classes!("arrow", dir)} style={format!("left:{left:.3}%;width:{width:.3}%")}>
                    <span class="label">{ text.0.clone() }</span>
                </div>
            </div>
        </li>
    }
}
