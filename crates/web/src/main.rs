//! The FOTA Sandbox web app. On wasm32 it mounts the Yew app; natively it only exists so that
//! `cargo test --workspace` checks the pure parts (URL parameters, hex dump).

mod hexdump;
mod params;

#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod components;
#[cfg(target_arch = "wasm32")]
mod panic_panel;
#[cfg(target_arch = "wasm32")]
mod store;

#[cfg(target_arch = "wasm32")]
fn main() {
    panic_panel::install();
    yew::Renderer::<app::App>::new().render();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("fota-web runs in the browser: build it with trunk (see README.md)");
}
