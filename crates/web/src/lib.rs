//! The FOTA Sandbox web app. The pure parts (URL parameters, hex dump and diagram layout) build and test
//! natively; the Yew app itself builds for wasm32 only.

pub mod diagram;
pub mod filtering;
pub mod groups;
pub mod hexdump;
pub mod params;
pub mod window_keys;

#[cfg(target_arch = "wasm32")]
mod address;
#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod components;
#[cfg(target_arch = "wasm32")]
mod embed;
#[cfg(target_arch = "wasm32")]
mod files;
#[cfg(target_arch = "wasm32")]
mod following;
#[cfg(target_arch = "wasm32")]
mod panic_panel;
#[cfg(target_arch = "wasm32")]
mod progress_storage;
#[cfg(target_arch = "wasm32")]
mod store;
#[cfg(target_arch = "wasm32")]
mod working;

/// Mounts the app on the page's body.
#[cfg(target_arch = "wasm32")]
pub fn start() {
    panic_panel::install();
    yew::Renderer::<app::App>::new().render();
}
