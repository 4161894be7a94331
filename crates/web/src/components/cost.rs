//! The cost of the update: the battery level and the energy spent over the whole run, drawn
//! as a chart with the campaign's phases marked and the ladder's position as a cursor; the
//! energy by part so far and for the whole run; and, beside a branch, both runs' cost. Every
//! figure is the device's own meter (`fota_device::energy`), as the run report has it.

use super::use_store;
use crate::store::Run;
use fota_sim::energy_report::{EnergyParts, EnergyReport};
use fota_sim::history::EnergyPoint;
use yew::prelude::*;

const WIDTH: f64 = 320.0;
const HEIGHT: f64 = 120.0;
/// The chart keeps at most this many points of a long run: more would not show.
const MAX_POINTS: usize = 240;

/// Millijoules with three significant figures, for a person.
fn mj(uj: u64) -> String {
    let mj = uj as f64 / 1000.0;
    if mj >= 1000.0 {
        format!("{:.2} J", mj / 1000.0)
    } else if mj >= 10.0 {
        format!("{mj:.0} mJ")
    } else {
        format!("{mj:.2} mJ")
    }
}

fn percent(centi: u64) -> String {
    format!("{:.2} %", centi as f64 / 100.0)
}

/// Air time in ms, or in seconds from ten seconds on.
fn airtime(ms: u64) -> String {
    if ms >= 10_000 {
        format!("{:.1} s", ms as f64 / 1000.0)
    } else {
        format!("{ms} ms")
    }
}

/// `b` against `a`, signed, in the unit `show` writes.
fn signed(a: u64, b: u64, show: impl Fn(u64) -> String) -> String {
    match b.cmp(&a) {
        std::cmp::Ordering::Equal => "same".to_string(),
        std::cmp::Ordering::Greater => format!("+{}", show(b - a)),
        std::cmp::Ordering::Less => format!("−{}", show(a - b)),
    }
}

/// Every `n`th point of the run, and its last, so that the line ends where the run does.
fn thinned(points: &[EnergyPoint]) -> Vec<EnergyPoint> {
    let step = points.len().div_ceil(MAX_POINTS).max(1);
    let mut out: Vec<EnergyPoint> = points.iter().step_by(step).copied().collect();
    if let Some(last) = points.last() {
        if out.last() != Some(last) {
            out.push(*last);
        }
    }
    out
}

/// The chart's lines and marks for one run, made once per run.
#[derive(PartialEq)]
struct Chart {
    battery: String,
    energy: String,
    /// Phase name and x of its start.
    phases: Vec<(String, f64)>,
    end_ms: u64,
    /// The battery's lowest and highest level over the run, in hundredths of a percent.
    battery_range: (u64, u64),
    total_uj: u64,
}

fn chart(run: &Run) -> Chart {
    let report = &run.report.energy;
    // The run begins at the level it starts with, before the device's first input.
    let start = EnergyPoint {
        at: fota_coap::SimTime::ZERO,
        spent: Default::default(),
        battery_centi: report.battery_start_centi,
    };
    let all: Vec<EnergyPoint> = std::iter::once(start)
        .chain(run.energy.iter().copied().filter(|p| p.at.millis() > 0))
        .collect();
    let points = thinned(&all);
    let end_ms = run.report.virtual_ms.max(1);
    let x = |ms: u64| ms as f64 / end_ms as f64 * WIDTH;
    let (lo, hi) = points.iter().fold((u64::MAX, 0), |(lo, hi), p| {
        (lo.min(p.battery_centi), hi.max(p.battery_centi))
    });
    let battery_range = (lo, hi);
    // The line's own scale: a flat one gets a tenth of a percent either side (within 0 to
    // 100 %), so that it sits in the middle; the legend gives the real range.
    let (lo, hi) = if hi - lo < 10 {
        // A flat line: a tenth of a percent either side, within 0 to 100 %.
        let lo = lo.saturating_sub(10);
        (lo.min(9_980), (lo + 20).max(hi).min(10_000))
    } else {
        (lo, hi)
    };
    let total_nj = points.last().map_or(1, |p| p.spent.total_nj().max(1));
    let line = |y: &dyn Fn(&EnergyPoint) -> f64| {
        points
            .iter()
            .map(|p| format!("{:.1},{:.1}", x(p.at.millis()), y(p)))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let battery =
        line(&|p| HEIGHT - (p.battery_centi - lo) as f64 / (hi - lo) as f64 * (HEIGHT - 8.0) - 4.0);
    let energy =
        line(&|p| HEIGHT - p.spent.total_nj() as f64 / total_nj as f64 * (HEIGHT - 8.0) - 4.0);
    Chart {
        battery,
        energy,
        phases: report
            .phases
            .iter()
            .map(|p| (p.phase.clone(), x(p.from_ms)))
            .collect(),
        end_ms,
        battery_range,
        total_uj: report.spent.total_uj,
    }
}

fn parts_rows(now: &EnergyParts, whole: &EnergyParts) -> Html {
    let rows = [
        ("Radio, sending", now.radio_tx_uj, whole.radio_tx_uj),
        ("Radio, receiving", now.radio_rx_uj, whole.radio_rx_uj),
        ("Listening between messages", now.listen_uj, whole.listen_uj),
        ("Flash erase and write", now.flash_uj, whole.flash_uj),
        ("CPU, hashing and signatures", now.cpu_uj, whole.cpu_uj),
        ("Asleep, off or booting", now.sleep_uj, whole.sleep_uj),
    ];
    html! {
        <>
            { for rows.iter().map(|(what, n, w)| html! {
                <tr><th scope="row">{ *what }</th><td>{ mj(*n) }</td><td>{ mj(*w) }</td></tr>
            }) }
            <tr class="total"><th scope="row">{ "Total" }</th>
                <td data-testid="energy-so-far">{ mj(now.total_uj) }</td>
                <td data-testid="energy-total">{ mj(whole.total_uj) }</td></tr>
            <tr><th scope="row">{ "Radio air time" }</th>
                <td>{ airtime(now.airtime_ms) }</td><td>{ airtime(whole.airtime_ms) }</td></tr>
        </>
    }
}

/// Both runs' cost side by side, the branch's difference last.
fn comparison(original: &EnergyReport, branch: &EnergyReport, what: &str) -> Html {
    let erased = |r: &EnergyReport| {
        r.flash_erases.primary + r.flash_erases.secondary + r.flash_erases.nv_counter
    };
    // Each row: both runs' figures and the branch's difference, in one unit.
    let row = |name: &'static str, a: u64, b: u64, show: fn(u64) -> String| {
        (name, show(a), show(b), signed(a, b, show))
    };
    let points = |c: u64| format!("{:.2} points", c as f64 / 100.0);
    let (o, b) = (&original.spent, &branch.spent);
    let rows = [
        row("Energy", o.total_uj, b.total_uj, mj),
        row("Radio", o.radio_uj, b.radio_uj, mj),
        row("Listening", o.listen_uj, b.listen_uj, mj),
        row("Air time", o.airtime_ms, b.airtime_ms, airtime),
        (
            "Battery at the end",
            percent(original.battery_end_centi),
            percent(branch.battery_end_centi),
            signed(original.battery_end_centi, branch.battery_end_centi, points),
        ),
        row("Sectors erased", erased(original), erased(branch), |n| {
            n.to_string()
        }),
    ];
    html! {
        <div class="cost-compare" data-testid="cost-compare">
            <h3>{ "Against the other run" }</h3>
            <p class="hint">{ format!("The branch: {what}.") }</p>
            <table>
                <thead><tr><th></th><th>{ "Original" }</th><th>{ "Branch" }</th><th>{ "Difference" }</th></tr></thead>
                <tbody>
                    { for rows.into_iter().enumerate().map(|(i, (name, a, b, d))| html! {
                        <tr><th scope="row">{ name }</th><td>{ a }</td><td>{ b }</td>
                            <td data-testid={(i == 0).then_some("cost-difference")}>{ d }</td></tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}

#[function_component(CostPanel)]
pub fn cost_panel() -> Html {
    let Some(store) = use_store() else {
        return html! {};
    };
    let run = &store.run;
    let drawn = {
        let run = run.clone();
        use_memo(run.id(), move |_| chart(&run))
    };
    let world = store.world();
    let now_ms = world.now().millis();
    let (spent, battery_now) = world.device().energy_at(world.now());
    let now: EnergyParts = spent.into();
    let report = &run.report.energy;
    let cursor = now_ms.min(drawn.end_ms) as f64 / drawn.end_ms as f64 * WIDTH;
    let (lo, hi) = drawn.battery_range;
    let summary = format!(
        "Battery from {} to {}; {} spent over {:.1} s of virtual time",
        percent(report.battery_start_centi),
        percent(report.battery_end_centi),
        mj(drawn.total_uj),
        drawn.end_ms as f64 / 1000.0
    );
    let compared = store.other.as_ref().map(|(other, what)| {
        let (original, branch) = if store.showing_branch {
            (&other.report.energy, report)
        } else {
            (report, &other.report.energy)
        };
        comparison(original, branch, what)
    });
    let erases = &report.flash_erases;
    html! {
        <section class="panel cost" aria-label="Cost" id="cost-panel" data-testid="cost-panel">
            <h2>{ "Cost" }</h2>
            <p class="battery-now">{ "Battery now: " }<strong data-testid="battery-now">{ percent(battery_now) }</strong>
                { format!(" (/3/0/9 reads {} %)", world.device().battery_percent_at(world.now())) }</p>
            <figure class="cost-chart">
                <svg viewBox={format!("0 0 {WIDTH} {HEIGHT}")} role="img" aria-label={summary.clone()} data-testid="cost-chart">
                    <title>{ summary.clone() }</title>
                    { for drawn.phases.iter().map(|(name, x)| html! {
                        <g class="phase-mark">
                            <line x1={format!("{x:.1}")} x2={format!("{x:.1}")} y1="0" y2={HEIGHT.to_string()} />
                            <title>{ format!("campaign: {name}") }</title>
                        </g>
                    }) }
                    <polyline class="energy-line" points={drawn.energy.clone()} />
                    <polyline class="battery-line" points={drawn.battery.clone()} />
                    <line class="cursor" x1={format!("{cursor:.1}")} x2={format!("{cursor:.1}")} y1="0" y2={HEIGHT.to_string()} />
                </svg>
                <div class="cost-axis" aria-hidden="true"><span>{ "0 s" }</span>
                    <span>{ format!("{:.1} s", drawn.end_ms as f64 / 1000.0) }</span></div>
                <figcaption>
                    <span class="key battery-key">{ format!("battery, {} to {}", percent(lo), percent(hi)) }</span>
                    <span class="key energy-key">{ format!("energy spent, 0 to {}", mj(drawn.total_uj)) }</span>
                    <span class="key phase-key">{ "campaign phases" }</span>
                </figcaption>
            </figure>
            <ol class="phase-names">
                { for report.phases.iter().map(|p| html! {
                    <li><span class="t">{ format!("{:.1} s", p.from_ms as f64 / 1000.0) }</span>{ " " }{ &p.phase }
                        { " · " }{ mj(p.spent.total_uj) }</li>
                }) }
            </ol>
            <table class="cost-parts">
                <thead><tr><th></th><th>{ "So far" }</th><th>{ "Whole run" }</th></tr></thead>
                <tbody>{ parts_rows(&now, &report.spent) }</tbody>
            </table>
            <p class="hint">{ format!(
                "Sectors erased in the whole run: {} of the primary slot, {} of the secondary, {} of the NV counter. Figures: {}.",
                erases.primary, erases.secondary, erases.nv_counter, report.model
            ) }</p>
            if let Some(q) = &report.queue_mode {
                <p class="queue-saving" data-testid="queue-saving">{ format!(
                    "Queue mode: the device slept {:.0} s in all. The same update with the device always listening costs {}; this one {}: {} {}.",
                    q.asleep_ms as f64 / 1000.0,
                    mj(q.without_uj),
                    mj(q.with_uj),
                    mj(q.saved_uj.unsigned_abs()),
                    if q.saved_uj >= 0 { "saved" } else { "more" }
                ) }</p>
            }
            { compared.unwrap_or_default() }
        </section>
    }
}
