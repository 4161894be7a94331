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
        "The sandbox hit an internal error and stopped. Reload the page to start again.\n\n{message}\n\n"
    );
    panel.set_text_content(Some(&text));
    // A way out: the same page again, or the default scenario.
    for (href, label) in [
        ("", "Reload this scenario"),
        ("?", "Start with the default scenario"),
    ] {
        if let Ok(a) = doc.create_element("a") {
            let href = if href.is_empty() {
                web_sys::window()
                    .and_then(|w| w.location().href().ok())
                    .unwrap_or_else(|| "?".into())
            } else {
                href.to_string()
            };
            a.set_attribute("href", &href).ok();
            a.set_text_content(Some(label));
            a.set_attribute("style", "margin-right:1.5rem").ok();
            panel.append_child(&a).ok();
        }
    }
    if let Ok(el) = panel.dyn_into::<web_sys::HtmlElement>() {
        body.append_child(&el).ok();
    }
}
