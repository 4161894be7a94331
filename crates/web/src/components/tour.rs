//! The lesson or tour being followed: its step's text as told on the run shown (quoting that
//! run), Back and Next. Each step goes to its moment of the run shown (found again on a
//! branch) and opens its message; as the run plays, the step follows it. A moment the run
//! shown does not have is said in plain words, with a way back to the original run.

use super::gallery::ResultsGallery;
use super::use_store;
use crate::store::Action;
use yew::prelude::*;

#[function_component(Tour)]
pub fn tour() -> Html {
    let Some(store) = use_store() else {
        return html! {};
    };
    let Some(t) = store.tour.clone() else {
        return html! {};
    };
    let (Some(step), Some(told)) = (t.lesson.steps.get(t.step), t.current()) else {
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
    let count = t.lesson.steps.len();
    let last = count - 1;
    let kind = match t.lesson.part {
        Some(p) => format!("Lesson {p}"),
        None => "Tour".to_string(),
    };
    html! {
        <section class="tour" aria-label="Lesson" data-testid="tour">
            <div class="tour-head">
                <strong><span class="tour-kind">{ kind }</span>{ " · " }{ &t.lesson.title }</strong>
                <span class="tour-count">{ format!("step {} of {count}", t.step + 1) }</span>
            </div>
            <p class="tour-text" data-testid="tour-step" aria-live="polite">{ &told.text }</p>
            if told.missing {
                <p class="tour-missing" data-testid="tour-missing">
                    { step.missing.clone().unwrap_or_else(|| "In the run shown, this moment never happens.".into()) }
                    if store.showing_branch {
                        { " " }<button onclick={swap}>{ "Show the original run" }</button>
                    }
                </p>
            }
            if step.gallery { <ResultsGallery /> }
            <div class="tour-buttons">
                <button onclick={go(t.step.saturating_sub(1))} disabled={t.step == 0} data-testid="tour-back">{ "‹ Back" }</button>
                <button class="primary" onclick={go(t.step + 1)} disabled={t.step == last} data-testid="tour-next">{ "Next ›" }</button>
            </div>
        </section>
    }
}
