//! A Yew hello world: what any Yew app weighs and how fast it first renders, built the way the
//! sandbox is (release, wasm-opt -Oz, Trunk). The measure script prints the sandbox against it.

#[cfg(target_arch = "wasm32")]
#[yew::function_component(Hello)]
fn hello() -> yew::Html {
    yew::html! { <main><h1 data-testid="ready">{ "Hello, world" }</h1></main> }
}

#[cfg(target_arch = "wasm32")]
fn main() {
    yew::Renderer::<Hello>::new().render();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("fota-floor runs in the browser: tests/e2e/measure.mjs builds it with trunk");
}
