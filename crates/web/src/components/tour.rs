//! The lesson being followed: its step's text, Back and Next. Each step goes to its moment of
//! the run shown (found again on a branch) and opens its message; a moment the run shown
//! does not have is said in plain words, with a way back to the original run.

use super::use_store;
use crate::store::Action;
use fota_course::lesson::resolve;
use std::rc::Rc;
use yew::prelude::*;

#[function_component(Tour)]
pub fn tour() -> Html {
    let Some(store) = use_store() else {
        return html! {};
    };
    // Whether the step's moment is in the run shown: once per run and step.
    let key = (
        Rc::as_ptr(&store.run.groups) as usize,
        store.tour.as_ref().map(|(_, step)| *step),
    );
    let found = {
        let store = store.clone();
        use_memo(key, move |_| {
            let (lesson, step) = store.tour.as_ref()?;
            let anchor = lesson.steps.get(*step)?.anchor.as_ref()?;
            Some(resolve(anchor, &store.run.end_world()).is_some())
        })
    };
    let Some((lesson, step)) = store.tour.clone() else {
        return html! {};
    };
    let Some(s) = lesson.steps.get(step) else {
        return html! {};
    };
    let go = |to: usize| {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(Action::TourStep(to)))
    };
    let swap = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(Action::SwapRuns))
    };
    let last = lesson.steps.len() - 1;
    let missing = *found == Some(false);
    html! {
        <section class="tour" aria-label="Lesson" data-testid="tour">
            <div class="tour-head">
                <strong>{ &lesson.title }</strong>
                <span class="tour-count">{ format!("step {} of {}", step + 1, lesson.steps.len()) }</span>
            </div>
            <p class="tour-text" data-testid="tour-step" aria-live="polite">{ &s.text }</p>
            if missing {
                <p class="tour-missing" data-testid="tour-missing">
                    { s.missing.clone().unwrap_or_else(|| "In the run shown, this moment never happens.".into()) }
                    if store.showing_branch {
                        { " " }<button onclick={swap}>{ "Show the original run" }</button>
                    }
                </p>
            }
            <div class="tour-buttons">
                <button onclick={go(step.saturating_sub(1))} disabled={step == 0} data-testid="tour-back">{ "‹ Back" }</button>
                <button class="primary" onclick={go(step + 1)} disabled={step == last} data-testid="tour-next">{ "Next ›" }</button>
            </div>
        </section>
    }
}
