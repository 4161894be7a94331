//! The /5 state diagram as SVG, from the layout of `crate::diagram`: the current state lit, and
//! the last change with its rule.

use crate::diagram::{drawn_edges, spot, DrawnEdge};
use fota_lwm2m::FwState;
use yew::prelude::*;

/// The diagram with `current` lit and, when known, the last change (from, to, rule) lit.
pub fn diagram(current: FwState, last: Option<(FwState, FwState, &'static str)>) -> Html {
    let edge = |e: DrawnEdge| {
        let lit = last.is_some_and(|(f, t, _)| f == e.from && t == e.to);
        let (lx, ly) = e.label_xy;
        html! {
            <g class={classes!("edge", lit.then_some("lit"))} data-testid="diagram-edge">
                <title>{ e.title }</title>
                <path d={e.path} marker-end="url(#arrowhead)" />
                <text x={format!("{lx:.0}")} y={format!("{ly:.0}")}>{ e.label }</text>
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
            { for drawn_edges().into_iter().map(edge) }
            { for FwState::ALL.into_iter().map(node) }
        </svg>
    }
}
