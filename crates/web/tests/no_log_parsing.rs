//! One source of truth from the engine to the screen: the web app learns facts from typed
//! values (the /5 table, the device's events, the trace), never by reading log text back. Log
//! lines are for people; a component may show one, but not take it apart.

use std::path::Path;

/// Lines of `source` that take a log line's text apart, or look for the wording of one.
fn parses_log_text(source: &str) -> Vec<String> {
    const TAKING_APART: [&str; 9] = [
        ".strip_prefix(",
        ".strip_suffix(",
        ".starts_with(",
        ".ends_with(",
        ".contains(",
        ".split(",
        ".find(",
        ".parse",
        ".trim_start_matches(",
    ];
    const LOG_WORDING: [&str; 4] = [
        "\"bootloader: ",
        "\"flash: ",
        "\"fault: ",
        "\"running firmware",
    ];
    source
        .lines()
        .filter(|line| {
            let on_text = line.contains(".text") && TAKING_APART.iter().any(|m| line.contains(m));
            on_text || LOG_WORDING.iter().any(|w| line.contains(w))
        })
        .map(|l| l.trim().to_string())
        .collect()
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("the web crate's sources are readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_component_takes_log_text_apart() {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    assert!(files.len() > 10, "the web sources were found");
    let found: Vec<String> = files
        .iter()
        .flat_map(|f| {
            let text = std::fs::read_to_string(f).expect("a readable source file");
            parses_log_text(&text)
                .into_iter()
                .map(move |l| format!("{}: {l}", f.display()))
        })
        .collect();
    assert!(
        found.is_empty(),
        "log text read back as facts:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_check_sees_the_log_parsing_the_device_panel_once_did() {
    // How the slot strips used to learn which sector a boot step touched.
    let old = r#"
        .filter_map(|l| l.text.strip_prefix("bootloader: "))
        if let Some(rest) = line.strip_prefix("flash: erase sector ") {
    "#;
    assert_eq!(parses_log_text(old).len(), 2);
}
