use crate::components::{controls::Controls, inspector::Inspector, ladder::Ladder, values::Values};
use crate::params::{self, Params};
use crate::store::{Action, Store, StoreHandle};
use fota_sim::{Scenario, World};
use yew::prelude::*;

/// Reads the URL parameters once: the scenario and seed they ask for, and whether to autoplay.
fn from_url() -> Result<(Scenario, u64, bool), String> {
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let params = web_sys::UrlSearchParams::new_with_str(&search)
        .map_err(|_| "the page address has a query string the browser cannot read".to_string())?;
    let mut pairs = Vec::new();
    for name in ["scenario", "seed", "autoplay"] {
        if let Some(v) = params.get(name) {
            pairs.push((name, v));
        }
    }
    let Params {
        scenario,
        seed,
        autoplay,
    } = params::parse(pairs.iter().map(|(n, v)| (*n, v.as_str())))?;
    let scenario = Scenario::by_id(&scenario).map_err(|e| e.to_string())?;
    let seed = seed.unwrap_or(scenario.seed);
    Ok((scenario, seed, autoplay))
}

#[function_component(App)]
pub fn app() -> Html {
    match from_url() {
        Ok((scenario, seed, autoplay)) => html! {
            <Sandbox scenario={scenario} seed={seed} autoplay={autoplay} />
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
    autoplay: bool,
}

#[function_component(Sandbox)]
fn sandbox(props: &SandboxProps) -> Html {
    let (scenario, seed) = (props.scenario.clone(), props.seed);
    let store = use_reducer(move || Store::new(World::new(scenario, seed)));
    {
        let store = store.clone();
        use_effect_with(props.autoplay, move |&autoplay| {
            if autoplay {
                store.dispatch(Action::RunToEnd);
            }
        });
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
    let scenario = store.world.scenario().clone();
    html! {
        <ContextProvider<StoreHandle> context={store}>
            <main class="app">
                <header class="top">
                    <h1>{ "FOTA Sandbox" }</h1>
                    <div class="scenario">
                        <span class="scenario-title" data-testid="scenario-title">{ scenario.title }</span>
                        <p class="scenario-description">{ scenario.description }</p>
                    </div>
                </header>
                <Controls />
                <div class="panes">
                    <Ladder />
                    <aside class="side">
                        <Values />
                        <Inspector />
                    </aside>
                </div>
            </main>
        </ContextProvider<StoreHandle>>
    }
}
