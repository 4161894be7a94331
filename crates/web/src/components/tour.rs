//! The lesson or tour being followed: its step's text as told on the run shown (quoting that
//! run), Back and Next. Each step goes to its moment of the run shown (found again on a
//! branch) and opens its message; as the run plays, the step follows it. A moment the run
//! shown does not have is said in plain words, with a way back to the original run.

use super::gallery::ResultsGallery;
use super::use_store;
use crate::store::Action;
use fota_course::lesson::Anchor;
use yew::prelude::*;

/// On a wide screen, a step about a /5 change or a boot brings the device panel into view
/// (the side column may have scrolled to the message details); on a phone the page stays
/// where it is, with the lesson at its foot.
fn show_device_panel() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let wide = window
        .inner_width()
        .ok()
        .and_then(|w| w.as_f64())
        .is_some_and(|w| w > 600.0);
    let panel = window
        .document()
        .and_then(|d| d.get_element_by_id("device-panel"));
    if let (true, Some(panel)) = (wide, panel) {
        let how = web_sys::ScrollIntoViewOptions::new();
        how.set_block(web_sys::ScrollLogicalPosition::Nearest);
        panel.scroll_into_view_with_scroll_into_view_options(&how);
    }
}

#[function_component(Tour)]
pub fn tour() -> Html {
    let Some(store) = use_store() else {
        return html! {};
    };
    {
        let about_device = store.tour.as_ref().is_some_and(|t| {
            t.current().is_some_and(|s| s.moment.is_some())
                && matches!(
                    t.lesson.steps.get(t.step).and_then(|s| s.anchor.as_ref()),
                    Some(Anchor::Change { .. } | Anchor::Boot { .. })
                )
        });
        let key = store.tour.as_ref().map(|t| (t.step, store.run.id()));
        use_effect_with(key, move |_| {
            if about_device {
                show_device_panel();
            }
        });
    }
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
            if told.missing {
                // What the step says needs its moment: in the run shown there is none, so
                // the step says that, and what it said on the other run, quoting that run.
                <p class="tour-missing" data-testid="tour-missing">
                    { step.missing.clone().unwrap_or_else(|| "In the run shown, this moment never happens.".into()) }
                    if store.showing_branch {
                        { " " }<button onclick={swap}>{ "Show the original run" }</button>
                    }
                </p>
                if let Some(there) = t.in_other_run() {
                    <p class="tour-text tour-elsewhere" data-testid="tour-step" aria-live="polite">
                        <span class="tour-where">{ if store.showing_branch { "In the original run: " } else { "In your branch: " } }</span>
                        { &there.text }
                    </p>
                } else {
                    <p class="tour-text tour-elsewhere" data-testid="tour-step" aria-live="polite">{ &told.text }</p>
                }
            } else {
                <p class="tour-text" data-testid="tour-step" aria-live="polite">{ &told.text }</p>
            }
            if step.gallery { <ResultsGallery /> }
            <div class="tour-buttons">
                <button onclick={go(t.step.saturating_sub(1))} disabled={t.step == 0} data-testid="tour-back">{ "‹ Back" }</button>
                <button class="primary" onclick={go(t.step + 1)} disabled={t.step == last} data-testid="tour-next">{ "Next ›" }</button>
            </div>
        </section>
    }
}
