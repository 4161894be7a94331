pub mod controls;
pub mod inspector;
pub mod ladder;
pub mod values;

use crate::store::StoreHandle;
use yew::prelude::*;

/// The store, from the context the app provides above every component.
#[hook]
pub fn use_store() -> Option<StoreHandle> {
    use_context::<StoreHandle>()
}
