//! The challenge list: every built-in challenge grouped by the lesson it belongs to, what is
//! solved and the best against par; the progress code to copy and to paste; a challenge file
//! to open.

use super::use_store;
use crate::store::Action;
use fota_course::challenge::{builtin, Challenge, Progress};
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

/// Reads a challenge file the student or a workshop leader picked.
pub fn open_file(text: &str) -> Result<Action, String> {
    Challenge::from_json(text)
        .map(|c| Action::OpenChallenge(Rc::new(c)))
        .map_err(|e| e.to_string())
}

#[function_component(ChallengeList)]
pub fn challenge_list() -> Html {
    let name = use_state(String::new);
    let code = use_state(|| None::<String>);
    let pasted = use_state(String::new);
    let store = use_store();
    // Read when the list is first opened, not at the page's first draw.
    let open = store.as_ref().is_some_and(|s| s.challenges_open);
    let groups = use_memo(open, |&open| {
        let all = if open { builtin() } else { Vec::new() };
        let mut groups: Vec<(String, String, Vec<Challenge>)> = Vec::new();
        for c in all {
            let lesson = c.lesson.clone().unwrap_or_default();
            match groups.iter_mut().find(|g| g.0 == lesson) {
                Some(g) => g.2.push(c),
                None => {
                    let title = fota_course::lesson::by_id(&lesson)
                        .map_or_else(|| "Other".to_string(), |l| l.title);
                    groups.push((lesson, title, vec![c]));
                }
            }
        }
        groups
    });
    let Some(store) = store else {
        return html! {};
    };
    if !open {
        return html! {};
    }
    let total: usize = groups.iter().map(|g| g.2.len()).sum();
    let solved = groups
        .iter()
        .flat_map(|g| g.2.iter())
        .filter(|c| {
            store
                .progress
                .challenges
                .get(&c.id)
                .is_some_and(|r| r.solved)
        })
        .count();
    let close = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(Action::ToggleChallenges))
    };
    let on_name = {
        let name = name.clone();
        Callback::from(move |e: InputEvent| {
            name.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let copy = {
        let (name, code, progress) = (name.clone(), code.clone(), store.progress.clone());
        Callback::from(move |_: MouseEvent| {
            let text = progress.code(&name);
            if let Some(w) = web_sys::window() {
                // The code is also shown, to select by hand where the clipboard is refused.
                let _ = w.navigator().clipboard().write_text(&text);
            }
            code.set(Some(text));
        })
    };
    let on_paste = {
        let pasted = pasted.clone();
        Callback::from(move |e: InputEvent| {
            pasted.set(e.target_unchecked_into::<HtmlTextAreaElement>().value())
        })
    };
    let take = {
        let (pasted, store) = (pasted.clone(), store.clone());
        Callback::from(move |_: MouseEvent| match Progress::from_code(&pasted) {
            Ok((who, p)) => {
                pasted.set(String::new());
                store.dispatch(Action::ImportProgress(p, who))
            }
            Err(e) => store.dispatch(Action::Notice(format!("Progress code: {e}"))),
        })
    };
    let on_file = crate::files::on_file_picked(store.clone(), open_file);
    html! {
        <section class="help challenges" role="dialog" aria-label="Challenges" data-testid="challenge-list">
            <header>
                <h2>{ format!("Challenges · {solved} of {total} solved") }</h2>
                <button onclick={close} aria-label="Close the challenges" data-testid="challenges-close">{ "✕" }</button>
            </header>
            <p class="hint">{ "Each challenge gives you a task on a run. The page checks it by itself: change what the task lets you change, run it, press Check. Par is the fewest changes that solve it." }</p>
            if let Some(problem) = &store.storage_problem {
                <p class="challenge-error" role="alert" data-testid="storage-problem">{ problem }</p>
            }
            { for groups.iter().map(|(_, title, list)| html! {
                <>
                    <h3>{ title }</h3>
                    <ul class="challenge-items">
                        { for list.iter().map(|c| {
                            let r = store.progress.challenges.get(&c.id);
                            let mark = match r {
                                Some(r) if r.solved => format!("✓ best {} · par {}", r.best.map_or("-".into(), |b| b.to_string()), c.par),
                                Some(r) if r.attempts > 0 => format!("tried {} time{} · par {}", r.attempts, if r.attempts == 1 { "" } else { "s" }, c.par),
                                _ => format!("par {}", c.par),
                            };
                            let seeds = c.seeds.map(|s| format!(" · {} seeds", s.count)).unwrap_or_default();
                            let open = {
                                let (store, c) = (store.clone(), Rc::new(c.clone()));
                                Callback::from(move |_: MouseEvent| {
                                    crate::address::set_query(&format!("?challenge={}", c.id));
                                    store.dispatch(Action::OpenChallenge(c.clone()))
                                })
                            };
                            html! {
                                <li data-testid="challenge-item" class={classes!(r.is_some_and(|r| r.solved).then_some("solved"))}>
                                    <button class="link" onclick={open} data-testid={format!("challenge-{}", c.id)}>{ &c.title }</button>
                                    <span class="challenge-mark">{ format!("{mark}{seeds}") }</span>
                                </li>
                            }
                        }) }
                    </ul>
                </>
            }) }
            <h3>{ "Your progress on another machine" }</h3>
            <p class="hint">{ "Progress stays in this browser. A code carries it elsewhere, or to your workshop leader." }</p>
            <label class="setting">{ "Your name (in the code)" }
                <input type="text" value={(*name).clone()} oninput={on_name} data-testid="progress-name" />
            </label>
            <button onclick={copy} data-testid="copy-code">{ "Copy my progress code" }</button>
            if let Some(c) = &*code {
                <textarea readonly=true class="code" data-testid="progress-code" value={c.clone()} />
            }
            <label class="setting">{ "Paste a code" }
                <textarea value={(*pasted).clone()} oninput={on_paste} data-testid="paste-code" />
            </label>
            <button onclick={take} data-testid="load-code">{ "Take in this code" }</button>
            <h3>{ "A challenge file" }</h3>
            <label class="file">{ "Open a challenge file " }
                <input type="file" accept=".json,application/json" onchange={on_file} data-testid="challenge-file" />
            </label>
        </section>
    }
}
