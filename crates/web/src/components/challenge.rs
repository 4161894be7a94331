//! The challenge being worked on, always in view above the run: the task, each goal with how
//! it stands in plain words, the settings the student may change, Check, a pick for each
//! question, hints one at a time, the solution after asking twice, and once solved, why.

use super::use_store;
use crate::store::{Action, StoreHandle};
use fota_course::challenge::{field_help, patch_of, settings, touched, value_of, Goal, Setting};
use serde_json::Value;
use std::collections::BTreeMap;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// What a goal asks, before it is graded.
fn wants(goal: &Goal) -> String {
    match goal {
        Goal::Outcome {
            state,
            result,
            firmware_version,
            campaign,
        } => {
            let mut parts = Vec::new();
            if let Some(s) = state {
                parts.push(format!("State {s}"));
            }
            if let Some(r) = result {
                parts.push(format!("Update Result {r}"));
            }
            if let Some(v) = firmware_version {
                parts.push(format!("firmware {v}"));
            }
            if let Some(c) = campaign {
                parts.push(format!("the campaign {c}"));
            }
            format!("The run ends with {}", parts.join(", "))
        }
        Goal::Trace { says, never, .. } | Goal::Moment { says, never, .. } => {
            if *never {
                format!("Never: {says}")
            } else {
                format!("In the run: {says}")
            }
        }
        Goal::Pick { question, .. } => question.clone(),
        Goal::Budget {
            max_datagrams,
            max_bytes_sent,
            max_bytes_fetched,
            max_virtual_s,
            max_energy_mj,
        } => {
            let mut parts = Vec::new();
            if let Some(n) = max_datagrams {
                parts.push(format!("{n} datagrams"));
            }
            if let Some(n) = max_bytes_sent {
                parts.push(format!("{n} bytes sent in all"));
            }
            if let Some(n) = max_bytes_fetched {
                parts.push(format!("{n} bytes from the repository"));
            }
            if let Some(n) = max_virtual_s {
                parts.push(format!("{n} virtual seconds"));
            }
            if let Some(n) = max_energy_mj {
                parts.push(format!(
                    "{n} mJ of the device's energy (see the Cost panel)"
                ));
            }
            format!("At most {}", parts.join(", "))
        }
    }
}

/// The form of the settings the challenge lets the student change; Apply starts the run again.
#[derive(Properties, PartialEq)]
struct SettingsProps {
    fields: Vec<Setting>,
    arrays: Vec<String>,
    /// Which run the form shows (its values reset when the run changes).
    run: usize,
}

#[function_component(SettingsForm)]
fn settings_form(props: &SettingsProps) -> Html {
    let typed = use_state(BTreeMap::<String, String>::new);
    {
        let typed = typed.clone();
        use_effect_with(props.run, move |_| typed.set(BTreeMap::new()));
    }
    let Some(store) = use_store() else {
        return html! {};
    };
    let Some(w) = store.working.clone() else {
        return html! {};
    };
    let apply = {
        let (typed, fields, store) = (typed.clone(), props.fields.clone(), store.clone());
        let started = w.started.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let values: Vec<(String, Value)> = fields
                .iter()
                .map(|f| {
                    let v = match typed.get(&f.path) {
                        Some(text) => value_of(text, &f.value),
                        None => f.value.clone(),
                    };
                    (f.path.clone(), v)
                })
                .collect();
            store.dispatch(Action::ApplySettings(patch_of(&started, &values)));
        })
    };
    let restart = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| {
            store.dispatch(Action::ApplySettings(Value::Object(Default::default())))
        })
    };
    html! {
        <form class="challenge-settings" onsubmit={apply} data-testid="challenge-settings">
            if props.fields.is_empty() && props.arrays.is_empty() {
                <p class="hint">{ "Nothing to change here: the task is on the run as it is." }</p>
            }
            { for props.fields.iter().map(|f| {
                let path = f.path.clone();
                let typed2 = typed.clone();
                let oninput = Callback::from(move |e: InputEvent| {
                    let mut t = (*typed2).clone();
                    let text = match e.target_dyn_into::<HtmlInputElement>() {
                        Some(input) => input.value(),
                        None => e.target_unchecked_into::<web_sys::HtmlTextAreaElement>().value(),
                    };
                    t.insert(path.clone(), text);
                    typed2.set(t);
                });
                let value = typed.get(&f.path).cloned().unwrap_or_else(|| f.text());
                let testid = format!("setting-{}", f.path);
                // What the field means and the values it takes, from the scenario format.
                let help = field_help(&f.path);
                let meaning = help.meaning.clone().map(|m| html! { <small class="meaning">{ m }</small> });
                if !help.choices.is_empty() {
                    let path = f.path.clone();
                    let typed3 = typed.clone();
                    let onchange = Callback::from(move |e: Event| {
                        let mut t = (*typed3).clone();
                        t.insert(path.clone(), e.target_unchecked_into::<web_sys::HtmlSelectElement>().value());
                        typed3.set(t);
                    });
                    return html! {
                        <label class="setting">
                            <code>{ &f.path }</code>
                            <select {onchange} data-testid={testid}>
                                { for help.choices.iter().map(|(v, what)| html! {
                                    <option value={v.clone()} selected={*v == value} title={what.clone().unwrap_or_default()}>
                                        { match what { Some(w) => format!("{v}: {w}"), None => v.clone() } }
                                    </option>
                                }) }
                            </select>
                            { meaning.unwrap_or_default() }
                        </label>
                    };
                }
                if f.is_list() {
                    // A list (per-direction links, outages) is edited as its JSON.
                    return html! {
                        <label class="setting list">
                            <span><code>{ &f.path }</code>{ " (JSON, see the scenario format)" }</span>
                            <textarea {value} {oninput} data-testid={testid} spellcheck="false" />
                            { meaning.unwrap_or_default() }
                        </label>
                    };
                }
                html! {
                    <label class="setting">
                        <code>{ &f.path }</code>
                        <input type="text" {value} oninput={oninput} data-testid={testid}
                            placeholder={if f.value.is_null() { "unset: the scenario's default" } else { "" }} spellcheck="false" />
                        { meaning.unwrap_or_default() }
                    </label>
                }
            }) }
            if !props.fields.is_empty() {
                <div class="challenge-buttons">
                    <button type="submit" data-testid="apply-settings">{ "Apply and run again" }</button>
                    <button type="button" onclick={restart} data-testid="restart-challenge">{ "Start again" }</button>
                </div>
                <p class="hint">{ "Applying starts the run again from the beginning with these settings; branches made before are dropped." }</p>
            }
            { for props.arrays.iter().map(|a| {
                let how = match a.as_str() {
                    "faults" => "add them with Break it, or with \"What if it\" on a message",
                    "operations" => "send them from the Server panel at the moment shown",
                    _ => "add them by branching the run",
                };
                html! { <p class="hint"><code>{ a }</code>{ format!(": {how}.") }</p> }
            }) }
        </form>
    }
}

fn press(store: &StoreHandle, action: Action) -> Callback<MouseEvent> {
    let store = store.clone();
    Callback::from(move |_: MouseEvent| store.dispatch(action.clone()))
}

/// A change in words: `device.block_size = 256`, `faults: 1 added`.
fn change_words(patch: &Value) -> Vec<String> {
    touched(patch)
        .into_iter()
        .map(|path| {
            let v = path
                .split('.')
                .try_fold(patch, |v, n| v.get(n))
                .cloned()
                .unwrap_or(Value::Null);
            match v {
                Value::Array(items) => format!(
                    "{path}: {}",
                    items
                        .iter()
                        .map(Value::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                Value::Null => format!("{path}: unset"),
                other => format!("{path} = {other}"),
            }
        })
        .collect()
}

#[function_component(ChallengePanel)]
pub fn challenge_panel() -> Html {
    let Some(store) = use_store() else {
        return html! {};
    };
    let Some(w) = store.working.clone() else {
        return html! {};
    };
    let c = &w.challenge;
    let shown = store.world().scenario().clone();
    let (fields, arrays) = settings(c, &shown);
    let run = store.run.id();
    // The grade of the run shown; one of an earlier run is said to be so.
    let graded = w.graded.as_ref().map(|(of, g)| (*of == run, g.clone()));
    let under_way = w.under_way();
    let solved = graded
        .as_ref()
        .is_some_and(|(this_run, g)| *this_run && g.solved());
    let record = store.progress.challenges.get(&c.id).cloned();
    let goals = c.goals.iter().enumerate().map(|(i, goal)| {
        let verdict = graded.as_ref().and_then(|(this_run, g)| {
            let gg = g.goals.get(i)?;
            Some((*this_run, gg.clone()))
        });
        let unpicked = matches!(goal, Goal::Pick { .. }) && !w.picks.contains_key(&i);
        let (class, mark) = match &verdict {
            _ if unpicked => ("goal", "○ to pick"),
            Some((true, g)) if g.passed() => ("goal passed", "✓ passed"),
            Some((true, _)) => ("goal failed", "✗ not yet"),
            _ => ("goal", "○ to do"),
        };
        let pick = matches!(goal, Goal::Pick { .. }).then(|| {
            let label = match store.selected {
                Some(row) => format!("Pick message #{row}"),
                None => "Select a message on the ladder to pick it".to_string(),
            };
            let picked = w.picks.get(&i).map(|r| format!(" (picked: #{r})"));
            html! {
                <span class="pick">
                    <button data-testid={format!("pick-{i}")} disabled={store.selected.is_none()}
                        onclick={press(&store, Action::Pick(i))}>{ label }</button>
                    { picked.unwrap_or_default() }
                </span>
            }
        });
        let told = verdict.as_ref().map(|(this_run, g)| {
            let seeds = if g.seeds > 1 {
                format!("{} of {} seeds. ", g.held, g.seeds)
            } else {
                String::new()
            };
            let earlier = if *this_run { "" } else { "(an earlier run) " };
            format!("{earlier}{seeds}{}", g.told)
        });
        // A seed a goal failed on can be shown, to see why.
        let failed_seed = verdict
            .as_ref()
            .filter(|(this_run, g)| *this_run && g.seeds > 1)
            .and_then(|(_, g)| g.failed_on)
            .filter(|&seed| seed != w.seed);
        html! {
            <li class={class} data-testid="goal">
                <span class="goal-mark" data-testid="goal-mark">{ mark }</span>
                <span class="goal-wants">{ wants(goal) }</span>
                { pick.unwrap_or_default() }
                if let Some(t) = told.filter(|_| !unpicked) {
                    <span class="goal-told" data-testid="goal-told">{ t }
                        if let Some(seed) = failed_seed {
                            { " " }<button class="link" data-testid="show-seed" onclick={press(&store, Action::ShowSeed(seed))}>{ format!("Show seed {seed}") }</button>
                        }
                    </span>
                }
            </li>
        }
    });
    let seeds = c.seed_list(w.started.seed);
    let seeds_words = if seeds.len() > 1 {
        format!(
            "Every goal must hold on {} seeds ({} to {}): the page shows seed {}.",
            seeds.len(),
            seeds[0],
            seeds[seeds.len() - 1],
            w.seed
        )
    } else {
        String::new()
    };
    let status = match (&under_way, &graded, &w.error) {
        (_, _, Some(e)) => {
            html! { <p class="challenge-error" role="alert" data-testid="challenge-error">{ e }</p> }
        }
        (Some((done, all)), _, _) => html! {
            <p class="challenge-status" data-testid="challenge-status" aria-live="polite">
                { if *all > 1 { format!("Checking… {done} of {all} seeds") } else { "Checking…".to_string() } }
                <progress max={all.to_string()} value={done.to_string()}></progress>
            </p>
        },
        (None, Some((true, g)), _) if g.solved() => html! {
            <p class="challenge-status solved" data-testid="challenge-status" aria-live="polite">
                { format!("Solved with {} change{} (par {}).", g.changes, if g.changes == 1 { "" } else { "s" }, c.par) }
                { if g.seeds > 1 { format!(" Every goal held on all {} seeds.", g.seeds) } else { String::new() } }
            </p>
        },
        (None, Some((true, g)), _) => html! {
            <p class="challenge-status" data-testid="challenge-status" aria-live="polite">
                { if g.seeds > 1 { format!("Not yet: every goal held on {} of {} seeds.", g.seeds_held, g.seeds) } else { "Not yet.".to_string() } }
            </p>
        },
        _ => {
            html! { <p class="challenge-status" data-testid="challenge-status">{ "Not checked yet: press Check, or run to the end." }</p> }
        }
    };
    let hints = &c.hints[..w.hints_shown.min(c.hints.len())];
    let more_hints = w.hints_shown < c.hints.len();
    let solution = match w.solution_asks {
        0 => {
            html! { <button data-testid="ask-solution" onclick={press(&store, Action::AskSolution)}>{ "Show the solution" }</button> }
        }
        1 => {
            html! { <button data-testid="ask-solution" onclick={press(&store, Action::AskSolution)}>{ "Sure? Trying again is how it sticks. Press again to see it" }</button> }
        }
        _ => html! {},
    };
    html! {
        <section class="challenge" aria-label="Challenge" data-testid="challenge">
            <header class="challenge-head">
                <h2>{ "Challenge: " }{ &c.title }</h2>
                if record.as_ref().is_some_and(|r| r.solved) {
                    <span class="badge" data-testid="challenge-solved-badge">{ format!("✓ solved · best {} (par {})", record.as_ref().and_then(|r| r.best).map_or("-".into(), |b| b.to_string()), c.par) }</span>
                }
                if let Some(l) = c.lesson.as_ref().and_then(|l| fota_course::lesson::by_id(l)) {
                    <a class="link" href={format!("?lesson={}", l.id)} data-testid="challenge-lesson">{ format!("Lesson: {}", l.title) }</a>
                }
                <button class="link" onclick={press(&store, Action::ToggleChallenges)} data-testid="open-challenge-list">{ "All challenges" }</button>
                <button class="link" onclick={press(&store, Action::LeaveChallenge)} data-testid="leave-challenge">{ "Leave" }</button>
            </header>
            <p class="challenge-task" data-testid="challenge-task">{ &c.task }</p>
            if !seeds_words.is_empty() { <p class="hint">{ seeds_words }</p> }
            <ol class="goals" data-testid="goals">{ for goals }</ol>
            <div class="challenge-buttons">
                <button class="primary" data-testid="check" disabled={under_way.is_some()} onclick={press(&store, Action::Check)}>{ "Check" }</button>
                if more_hints {
                    <button data-testid="show-hint" onclick={press(&store, Action::ShowHint)}>{ format!("Show a hint ({} of {})", w.hints_shown + 1, c.hints.len()) }</button>
                }
                { solution }
            </div>
            { status }
            if !hints.is_empty() {
                <ol class="hints" data-testid="hints">{ for hints.iter().map(|h| html! { <li data-testid="hint">{ h }</li> }) }</ol>
            }
            if w.solution_asks >= 2 {
                <div class="solution" data-testid="solution">
                    <strong>{ "A solution: " }</strong>
                    if touched(&c.solution).is_empty() { { "no changes; the goals are about the run as it is." } }
                    <ul>{ for change_words(&c.solution).into_iter().map(|t| html! { <li><code>{ t }</code></li> }) }</ul>
                </div>
            }
            if solved {
                <p class="explanation" data-testid="explanation"><strong>{ "Why it works: " }</strong>{ &c.explanation }</p>
            }
            <details class="your-changes" open={!fields.is_empty()}>
                <summary>{ "What you may change" }</summary>
                <SettingsForm fields={fields} arrays={arrays} run={run} />
            </details>
        </section>
    }
}
