pub mod challenge;
pub mod challenges;
pub mod controls;
pub mod cost;
pub mod device;
pub mod faults;
pub mod filter_bar;
pub mod gallery;
pub mod help;
pub mod inspector;
pub mod ladder;
pub mod picker;
pub mod server;
pub mod state_diagram;
pub mod term;
pub mod tour;

use crate::store::StoreHandle;
use yew::prelude::*;

/// The store, from the context the app provides above every component.
#[hook]
pub fn use_store() -> Option<StoreHandle> {
    use_context::<StoreHandle>()
}
