//! The student's progress in the browser's localStorage, under a versioned key. A browser that
//! refuses storage (blocked by settings, private mode, full) is told on screen and the page
//! goes on with progress kept for this visit only.

use fota_course::challenge::{Progress, STORAGE_KEY};

fn storage() -> Result<web_sys::Storage, String> {
    let refused = "This browser does not let the page keep your progress (its storage is blocked), so it lasts only until you leave the page. \"Copy my progress code\" keeps it.";
    web_sys::window()
        .ok_or_else(|| refused.to_string())?
        .local_storage()
        .map_err(|_| refused.to_string())?
        .ok_or_else(|| refused.to_string())
}

/// What was kept, or why nothing could be read (the progress then starts empty).
pub fn load() -> (Progress, Option<String>) {
    let store = match storage() {
        Ok(s) => s,
        Err(why) => return (Progress::default(), Some(why)),
    };
    match store.get_item(STORAGE_KEY) {
        Ok(None) => (Progress::default(), None),
        Ok(Some(text)) => match Progress::from_json(&text) {
            Ok(p) => (p, None),
            Err(why) => (
                Progress::default(),
                Some(format!(
                    "The progress kept in this browser cannot be read ({why}); your progress starts again empty here."
                )),
            ),
        },
        Err(_) => (
            Progress::default(),
            Some("This browser refused to read the progress it keeps; it lasts only until you leave the page.".into()),
        ),
    }
}

/// Keeps `progress`; why not, when the browser refuses.
pub fn save(progress: &Progress) -> Result<(), String> {
    storage()?
        .set_item(STORAGE_KEY, &progress.to_json())
        .map_err(|_| "This browser refused to keep your progress (its storage is full or blocked), so it lasts only until you leave the page. \"Copy my progress code\" keeps it.".into())
}
