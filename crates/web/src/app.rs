use crate::address::from_url;
use crate::components::{
    challenge::ChallengePanel, challenges::ChallengeList, controls::Controls, cost::CostPanel,
    device::DevicePanel, faults::BranchBanner, faults::FaultsPanel, help::HelpPanel,
    inspector::Inspector, ladder::Ladder, picker::Picker, server::ServerPanel, tour::Tour,
};
use crate::embed;
use crate::params::{Panels, Params};
use crate::store::{Action, Store, StoreHandle};
use fota_sim::{Scenario, World};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The theme the address asks for, on <html>, where the style sheet reads it.
fn apply_theme(theme: &str) {
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element());
    if let Some(root) = root {
        let _ = root.set_attribute("data-theme", theme);
    }
}

#[function_component(App)]
pub fn app() -> Html {
    let opened = from_url();
    let theme = opened.as_ref().ok().and_then(|o| o.params.theme);
    use_effect_with(theme, |theme| {
        if let Some(t) = theme {
            apply_theme(t)
        }
    });
    match opened {
        Ok(opened) => html! {
            <Sandbox scenario={opened.scenario} seed={opened.seed} lesson={opened.lesson.map(std::rc::Rc::new)}
                challenge={opened.challenge.map(std::rc::Rc::new)} params={opened.params} />
        },
        Err(message) => html! {
            <main class="app">
                <header class="top"><h1>{ "FOTA Sandbox" }</h1></header>
                <section class="error-panel" role="alert" data-testid="error-panel">
                    <h2>{ "This link does not open a scenario" }</h2>
                    <p>{ message }</p>
                    <p><a href="?">{ "Open the default scenario" }</a></p>
                </section>
            </main>
        },
    }
}

#[derive(Properties, PartialEq)]
struct SandboxProps {
    scenario: Scenario,
    seed: u64,
    /// The lesson the address asks for, told on `scenario`.
    lesson: Option<std::rc::Rc<fota_course::lesson::Lesson>>,
    /// The challenge the address asks for; `scenario` is its start.
    challenge: Option<std::rc::Rc<fota_course::challenge::Challenge>>,
    params: Params,
}

/// Space plays or pauses, the arrows step, Home and End go to the ends; not while typing.
fn keyboard(store: StoreHandle) -> impl FnOnce() {
    let handler =
        Closure::<dyn FnMut(web_sys::KeyboardEvent)>::new(move |k: web_sys::KeyboardEvent| {
            let tag = k
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .map(|el| el.tag_name())
                .unwrap_or_default();
            // Fields keep their own keys; a focused button keeps the space bar, which presses it.
            let typing = matches!(tag.as_str(), "INPUT" | "SELECT" | "TEXTAREA");
            let pressing = k.key() == " " && matches!(tag.as_str(), "BUTTON" | "SUMMARY");
            if typing || pressing || k.ctrl_key() || k.meta_key() || k.alt_key() {
                return;
            }
            let action = match k.key().as_str() {
                " " => Action::Toggle,
                "ArrowRight" => Action::Step,
                "ArrowLeft" => Action::StepBack,
                "Home" => Action::Home,
                "End" => Action::End,
                "?" => Action::ToggleHelp,
                "Escape" => Action::CloseHelp,
                _ => return,
            };
            k.prevent_default();
            store.dispatch(action);
        });
    let document = web_sys::window().and_then(|w| w.document());
    if let Some(d) = &document {
        let _ = d.add_event_listener_with_callback("keydown", handler.as_ref().unchecked_ref());
    }
    move || {
        if let Some(d) = document {
            let _ =
                d.remove_event_listener_with_callback("keydown", handler.as_ref().unchecked_ref());
        }
    }
}

/// A link to a panel of the side column that scrolls it into view and moves focus there (the
/// page's `<base>` would turn a bare `#id` into another address).
fn to_panel(id: &'static str, name: &'static str) -> Html {
    let onclick = Callback::from(move |e: MouseEvent| {
        e.prevent_default();
        let panel = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(id));
        if let Some(panel) = panel {
            panel.scroll_into_view();
            if let Some(h) = panel.query_selector("h2").ok().flatten() {
                let _ = h.set_attribute("tabindex", "-1");
                if let Ok(h) = h.dyn_into::<web_sys::HtmlElement>() {
                    let _ = h.focus();
                }
            }
        }
    });
    html! { <a href={format!("#{id}")} {onclick} data-testid={format!("to-{id}")}>{ name }</a> }
}

#[function_component(Sandbox)]
fn sandbox(props: &SandboxProps) -> Html {
    let (scenario, seed) = (props.scenario.clone(), props.seed);
    let at = props.params.at.unwrap_or(0);
    let lesson = props.lesson.clone();
    let challenge = props.challenge.clone();
    let store = use_reducer(move || {
        let mut s = Store::opened(World::new(scenario, seed), at, lesson);
        let (progress, problem) = crate::progress_storage::load();
        s.progress = std::rc::Rc::new(progress);
        s.storage_problem = problem;
        s.working = challenge.and_then(|c| crate::working::Working::new(c).ok());
        if s.working.is_some() {
            s.tour = None;
        }
        s
    });
    {
        // Grading goes on a slice at a time between frames, so the page keeps answering.
        let store = store.clone();
        let grading = store.working.as_ref().is_some_and(|w| w.grading.is_some());
        use_effect_with(grading, move |&grading| {
            let interval = grading.then(|| {
                let store = store.clone();
                gloo_timers::callback::Interval::new(1, move || store.dispatch(Action::GradeSlice))
            });
            move || drop(interval)
        });
    }
    {
        let store = store.clone();
        use_effect_with(props.params.autoplay, move |&autoplay| {
            embed::ready(store.world());
            if autoplay {
                store.dispatch(Action::End);
            }
        });
    }
    {
        let store = store.clone();
        use_effect_with((), move |_| keyboard(store));
    }
    {
        let store = store.clone();
        let deps = (store.playing, store.speed_ms);
        use_effect_with(deps, move |&(playing, speed)| {
            let interval = playing.then(|| {
                let store = store.clone();
                gloo_timers::callback::Interval::new(speed, move || store.dispatch(Action::Tick))
            });
            move || drop(interval)
        });
    }
    {
        let (state, result, _) = store.values();
        let finished = store.finished();
        let store2 = store.clone();
        use_effect_with((state, result), move |&(state, result)| {
            embed::state_changed(state, result, store2.run.rows());
        });
        let store3 = store.clone();
        use_effect_with(finished, move |&finished| {
            if finished {
                embed::finished(&store3.run.report);
            }
        });
    }
    // A run that is not its built-in scenario as shipped (a challenge's changes, a branch) is
    // described by what changed, not by the description of the scenario it came from.
    let changed = {
        let scenario = store.world().scenario().clone();
        use_memo(store.run.id(), move |_| {
            let builtin = fota_sim::Scenario::by_id(&scenario.id).ok()?;
            let paths = fota_course::challenge::touched(&fota_course::challenge::changes_between(
                &builtin, &scenario,
            ));
            (!paths.is_empty()).then(|| paths.join(", "))
        })
    };
    let panels = props.params.panels;
    let compact = props.params.compact;
    let world = store.world();
    let scenario = world.scenario();
    let narration = scenario
        .narration
        .iter()
        .rev()
        .find(|n| n.at_ms <= world.now().millis())
        .map(|n| n.text.clone());
    let dismiss = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(Action::DismissNotice))
    };
    let toggle_challenges = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(Action::ToggleChallenges))
    };
    let toggle_help = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(Action::ToggleHelp))
    };
    let Panels {
        ladder,
        inspector,
        device,
        server,
        faults,
        cost,
    } = panels;
    html! {
        <ContextProvider<StoreHandle> context={store.clone()}>
            <main class={classes!("app", compact.then_some("compact"))}>
                <header class="top">
                    <h1>{ "FOTA Sandbox" }</h1>
                    <div class="scenario">
                        <span class="scenario-title" data-testid="scenario-title">{ &scenario.title }</span>
                        if !compact {
                            if let Some(paths) = changed.as_ref() {
                                <p class="scenario-description" data-testid="scenario-changed">{ format!("Changed from the built-in scenario: {paths}. The description of the scenario it came from may no longer hold.") }</p>
                            } else {
                                <p class="scenario-description">{ &scenario.description }</p>
                            }
                        }
                    </div>
                    <button class="challenges-button" onclick={toggle_challenges} data-testid="challenges-button"
                        aria-expanded={store.challenges_open.to_string()}>{ format!("Challenges · {} solved", store.progress.solved()) }</button>
                    <button class="help-button" onclick={toggle_help} data-testid="help-button"
                        aria-expanded={store.help.to_string()} title="Help: keyboard, glossary, rules (?)">{ "?" }</button>
                </header>
                <HelpPanel />
                <ChallengeList />
                if !compact { <Picker /> }
                if let Some(text) = &store.notice {
                    <section class="notice" role="alert" data-testid="notice">
                        <p>{ text }</p>
                        <button onclick={dismiss} aria-label="Dismiss">{ "✕" }</button>
                    </section>
                }
                <BranchBanner />
                <Controls />
                <ChallengePanel />
                <Tour />
                if let Some(text) = narration.filter(|_| store.tour.is_none()) {
                    <p class="narration" data-testid="narration" aria-live="polite">{ text }</p>
                }
                <div class="panes">
                    if ladder { <Ladder /> }
                    <aside class="side">
                        // Every panel one click away, however long the ones above it are.
                        <nav class="side-nav" aria-label="Panels" data-testid="side-nav">
                            if device { { to_panel("device-panel", "Device") } }
                            if inspector { { to_panel("message-panel", "Message") } }
                            if server { { to_panel("server-panel", "Server") } }
                            if cost { { to_panel("cost-panel", "Cost") } }
                            if faults { { to_panel("break-it", "Break it") } }
                        </nav>
                        if device { <DevicePanel /> }
                        if inspector { <Inspector /> }
                        if server { <ServerPanel /> }
                        if cost { <CostPanel /> }
                        if faults { <FaultsPanel key={scenario.id.clone()} /> }
                    </aside>
                </div>
            </main>
        </ContextProvider<StoreHandle>>
    }
}
