//! Files in and out of the page: a download made from bytes in memory, and the text of a file
//! the student picks. Nothing leaves the browser.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, File, FileReader, HtmlAnchorElement, Url};

/// Offers `bytes` as a file named `name`.
pub fn download(name: &str, mime: &str, bytes: &[u8]) -> Result<(), String> {
    let fail = |what: &str| format!("the browser refused to {what}");
    let parts = js_sys::Array::new();
    parts.push(&js_sys::Uint8Array::from(bytes));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(|_| fail("make the file"))?;
    let url = Url::create_object_url_with_blob(&blob).map_err(|_| fail("make a link"))?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| fail("reach the page"))?;
    let a: HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| fail("make a link"))?
        .unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.click();
    let _ = Url::revoke_object_url(&url);
    Ok(())
}

/// Reads `file` as text and hands it to `done` (or why it could not be read).
pub fn read_text(file: File, done: impl FnOnce(Result<String, String>) + 'static) {
    let Ok(reader) = FileReader::new() else {
        return done(Err("this browser cannot read files".into()));
    };
    let done = std::cell::RefCell::new(Some(done));
    let r = reader.clone();
    let onload = Closure::<dyn FnMut(JsValue)>::new(move |_| {
        let text = r
            .result()
            .ok()
            .and_then(|v| v.as_string())
            .ok_or_else(|| "the file is not text".to_string());
        if let Some(done) = done.borrow_mut().take() {
            done(text);
        }
    });
    reader.set_onload(Some(onload.as_ref().unchecked_ref()));
    // The reader calls back once; the closure lives as long as the page.
    onload.forget();
    if reader.read_as_text(&file).is_err() {
        web_sys::console::error_1(&"the file could not be read".into());
    }
}

/// What a file input does when the student picks a file: its text is read and `open` turns it
/// into what the page does with it; a file that cannot be used is told on screen, by name.
pub fn on_file_picked(
    store: crate::store::StoreHandle,
    open: fn(&str) -> Result<crate::store::Action, String>,
) -> yew::Callback<web_sys::Event> {
    yew::Callback::from(move |e: web_sys::Event| {
        let Some(input) = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        let name = file.name();
        let store = store.clone();
        read_text(file, move |text| match text.and_then(|t| open(&t)) {
            Ok(action) => store.dispatch(action),
            Err(why) => store.dispatch(crate::store::Action::Notice(format!("{name}: {why}"))),
        });
        // The same file can be picked again after an edit.
        input.set_value("");
    })
}
