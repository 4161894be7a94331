//! The sequence ladder: one arrow per datagram between the three lanes, labelled like
//! Wireshark's info column; the /5 changes marked between the rows where they happened;
//! block-wise transfers foldable into one line. Only the rows in view are drawn, so a run of
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
    let redraw = use_force_update();
    let world = store.world();
    let trace = world.trace();
    let shown = trace.len();

    // The filter's matches over the whole run: once per filter and run, not per step.
    let found = {
        let run = store.run.clone();
        let key = (store.filter.clone(), Rc::as_ptr(&store.run.groups) as usize);
        use_memo(key, move |(text, _)| {
            if text.trim().is_empty() {
                return None;
            }
            crate::filtering::matches(text, &run.end_world()).map(|r| r.map(Rc::new))
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
    let follow = !std::mem::take(&mut *scrolled_by_hand.borrow_mut());
    let top = match current_line.map(|at| at as i32 * LINE_PX) {
        Some(y) if follow && (y < top || y + LINE_PX > top + height) => {
            (y - height + 3 * LINE_PX).max(0)
        }
        _ => top,
    };
    {
        let list = list.clone();
        let scroll = scroll.clone();
        use_effect_with((shown, lines.total, top), move |&(_, _, top)| {
            // Reading the list's geometry forces a layout: do it only on the first draw and
            // on scroll events; a step only writes the new position.
            let known = *scroll.borrow();
            if let Some(el) = list.cast::<web_sys::Element>() {
                if known == (0, 600) {
                    *scroll.borrow_mut() = (el.scroll_top(), el.client_height().max(LINE_PX));
                }
                if known.0 != top {
                    el.set_scroll_top(top);
                    scroll.borrow_mut().0 = top;
                }
            }
        });
    }
    let onscroll = {
        let scroll = scroll.clone();
        let list = list.clone();
        Callback::from(move |_: Event| {
            if let Some(el) = list.cast::<web_sys::Element>() {
                let now = (el.scroll_top(), el.client_height().max(LINE_PX));
                if *scroll.borrow() != now {
                    *scroll.borrow_mut() = now;
                    *scrolled_by_hand.borrow_mut() = true;
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

    html! {
        <section class="ladder" aria-label="Messages">
            <FilterBar found={(*found).clone()} total={store.run.total_rows} {shown} />
            <div class="lanes">
                { for LANES.iter().map(|n| html! {
                    <div class="lane-head"><strong>{ n.name() }</strong><small>{ n.addr().to_string() }</small></div>
                }) }
            </div>
            <ol class="rows" ref={list} {onscroll} data-testid="ladder">
                if trace.is_empty() {
                    <li class="empty">{ "No datagram yet. Press Step or Play (or the space bar): the device boots, then registers." }</li>
                }
                <li class="spacer" aria-hidden="true" style={format!("height:{}px", first as i32 * LINE_PX)}></li>
                { for lines.window(first, last).iter().enumerate().map(|(k, line)| {
                    let current = Some(first + k) == current_line;
                    match *line {
                        Line::Row(i) => row(&store, trace, &trace[i], current, matches.is_some_and(|m| !m.matched(i))),
                        Line::Marker(c) => {
                            let c = &changes[c];
                            html! {
                                <li class="marker" data-testid="state-marker">
                                    <span class="t">{ c.at.to_string() }</span>
                                    <span class="marker-text">
                                        { format!("/5 State {} {} · Result {} · ", c.state.code(), c.state.name(), c.result.code()) }
                                        <span class="rule"><Term text={c.rule} /></span>
                                    </span>
                                </li>
                            }
                        }
                        Line::Group(g, folded) => group_line(&store, &groups[g], folded, shown, current, matches),
                    }
                }) }
                <li class="spacer" aria-hidden="true" style={format!("height:{}px", (lines.total - last) as i32 * LINE_PX)}></li>
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
}

impl Lines {
    /// Rows, the /5 markers after the row they follow, and block runs folded to their
    /// header (the markers inside a folded run still show). With `hide`, only the rows the
    /// filter matches, and the runs that hold one.
    fn of(store: &StoreHandle, hide: Option<&Matches>) -> Lines {
        let world = store.world();
        let shown = world.trace().len();
        let changes = world.firmware_changes();
        let mut segments = Vec::new();
        let mut next_change = 0;
        let mut groups = store.run.groups.iter().enumerate().peekable();
        let mut i = 0;
        while i < shown {
            while groups.next_if(|(_, g)| g.start < i).is_some() {}
            if let Some((g, group)) = groups.next_if(|(_, g)| g.start == i) {
                let folded = store.folded.contains(&group.start);
                let holds_match =
                    hide.is_none_or(|m| m.count_in(group.start, group.end.min(shown)) > 0);
                if holds_match {
                    segments.push(Segment::One(Line::Group(g, folded)));
                }
                if folded {
                    let end = group.end.min(shown);
                    while changes
                        .get(next_change)
                        .is_some_and(|c| c.after_datagrams <= end)
                    {
                        segments.push(Segment::One(Line::Marker(next_change)));
                        next_change += 1;
                    }
                    i = end;
                    continue;
                }
            }
            let next_group = groups.peek().map_or(usize::MAX, |(_, g)| g.start);
            let next_marker = changes
                .get(next_change)
                .map_or(usize::MAX, |c| c.after_datagrams.max(i + 1));
            let stop = shown.min(next_group).min(next_marker).max(i + 1);
            match hide {
                None => segments.push(Segment::Rows(i, stop)),
                Some(m) => push_matching(&mut segments, m, i, stop),
            }
            i = stop;
            while changes
                .get(next_change)
                .is_some_and(|c| c.after_datagrams <= i)
            {
                segments.push(Segment::One(Line::Marker(next_change)));
                next_change += 1;
            }
        }
        let total = segments.iter().map(Segment::len).sum();
        Lines { segments, total }
    }

    /// The line of the newest row (or of the folded run it is in).
    fn current(&self) -> Option<usize> {
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

fn group_line(
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
        <li class={classes!("group", folded.then_some("folded"), current.then_some("current"))} data-testid="block-group">
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
        <li class={classes!("row", selected.then_some("selected"), current.then_some("current"), (!fate_class.is_empty()).then_some(fate_class), dim.then_some("unmatched"))}
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
