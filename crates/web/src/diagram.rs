//! Where the /5 state diagram puts things, computed from the transition table that the device
//! runs (`fota_lwm2m::transitions`): its states, its arrows, their labels and the rule texts of
//! their tooltips all come from the table. Only where things sit on the page is decided here.

use fota_lwm2m::transitions::{self, Edge};
use fota_lwm2m::FwState;

/// Where each state sits in the diagram.
pub fn spot(s: FwState) -> (f64, f64) {
    match s {
        FwState::Idle => (70.0, 34.0),
        FwState::Downloading => (290.0, 34.0),
        FwState::Downloaded => (290.0, 136.0),
        FwState::Updating => (70.0, 136.0),
    }
}

/// How far along its curve an edge's label sits: the diagonal's keeps clear of the top edge.
fn label_at(from: FwState, to: FwState) -> f64 {
    match (from, to) {
        (FwState::Downloaded, FwState::Idle) => 0.3,
        _ => 0.5,
    }
}

/// One arrow as drawn: its curve, its label and where the label goes, and the tooltip that
/// says what each of its rules means.
#[derive(Clone, Debug, PartialEq)]
pub struct DrawnEdge {
    pub from: FwState,
    pub to: FwState,
    pub path: String,
    pub label: String,
    pub label_xy: (f64, f64),
    pub title: String,
}

fn draw(edge: &Edge) -> DrawnEdge {
    let ((x1, y1), (x2, y2)) = (spot(edge.from), spot(edge.to));
    // Two edges join some pairs both ways: bend each to its own side.
    let (dx, dy) = (x2 - x1, y2 - y1);
    let len = (dx * dx + dy * dy).sqrt().max(1.0);
    let (nx, ny) = (-dy / len * 14.0, dx / len * 14.0);
    let (mx, my) = ((x1 + x2) / 2.0 + nx, (y1 + y2) / 2.0 + ny);
    let t = label_at(edge.from, edge.to);
    // The label: a point of the curve, a little off it on the bend's side.
    let at = |p0: f64, c: f64, p2: f64| {
        (1.0 - t) * (1.0 - t) * p0 + 2.0 * (1.0 - t) * t * c + t * t * p2
    };
    let title = edge
        .rules
        .iter()
        .map(|r| {
            let on: Vec<&str> = r.on.iter().map(|k| k.describe()).collect();
            format!("{} (on {}): {}", r.rule, on.join("; "), r.meaning())
        })
        .collect::<Vec<_>>()
        .join("\n");
    DrawnEdge {
        from: edge.from,
        to: edge.to,
        path: format!("M{x1:.0},{y1:.0} Q{mx:.0},{my:.0} {x2:.0},{y2:.0}"),
        label: edge.label(),
        label_xy: (at(x1, mx, x2) + nx * 0.6, at(y1, my, y2) + ny * 0.6 + 3.0),
        title,
    }
}

/// Every arrow of the diagram, one per change of State the table allows.
pub fn drawn_edges() -> Vec<DrawnEdge> {
    transitions::edges().iter().map(draw).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use fota_lwm2m::transitions::TABLE;

    /// Every change of State in the table is one arrow, labelled with exactly the rules of the
    /// table that make it, whose tooltip carries each rule's meaning; no arrow is drawn that
    /// the table does not have.
    #[test]
    fn the_diagram_draws_the_table_and_nothing_else() {
        let drawn = drawn_edges();
        let mut from_table = Vec::new();
        for t in TABLE {
            let Some(to) = t.to else { continue };
            for &from in t.from.iter().filter(|&&f| f != to) {
                from_table.push((from, to, t.rule, t.short()));
            }
        }
        for &(from, to, rule, short) in &from_table {
            let e = drawn
                .iter()
                .find(|e| e.from == from && e.to == to)
                .unwrap_or_else(|| panic!("{rule}: no arrow {from:?} -> {to:?}"));
            assert!(
                e.label.split(' ').any(|l| l == short),
                "{rule} not in {}",
                e.label
            );
            let meaning = fota_lwm2m::rules::meaning(rule).unwrap_or_default();
            assert!(!meaning.is_empty() && e.title.contains(meaning), "{rule}");
        }
        for e in &drawn {
            for l in e.label.split(' ') {
                assert!(
                    from_table
                        .iter()
                        .any(|&(f, t, _, short)| f == e.from && t == e.to && short == l),
                    "{l} on {:?} -> {:?} is not in the table",
                    e.from,
                    e.to
                );
            }
        }
        assert_eq!(drawn.len(), 7, "SPEC §2 has seven changes of State");
    }
}
