//! What the CLI's test files share: running the built binary.

use std::process::{Command, Output};

pub fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fota-sandbox"))
        .args(args)
        .output()
        .expect("the binary runs")
}
