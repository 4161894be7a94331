//! A wasm panic would leave a blank page: this hook puts the message on screen instead.

use wasm_bindgen::JsCast;

pub fn install() {
    std::panic::set_hook(Box::new(|info| show(&info.to_string())));
}

fn show(message: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = doc.body() else { return };
    let Ok(panel) = doc.create_element("div") else {
        return;
    };
    panel.set_id("panic-panel");
    panel.set_attribute("role", "alert").ok();
    panel.set_attribute("data-testid", "panic-panel").ok();
    let text = format!(
        "The sandbox hit an internal error and stopped. Reload the page to start again.\n\n{message}"
    );
    panel.set_text_content(Some(&text));
    if let Ok(el) = panel.dyn_into::<web_sys::HtmlElement>() {
        body.append_child(&el).ok();
    }
}
