//! `image build` and `image inspect`: signed images in MCUboot's format, from the terminal.

use crate::args::ImageBuildArgs;
use crate::bad_input;
use fota_bootloader::inspect::layout;
use fota_bootloader::{validate, Behaviour, ImageBuilder, ImageVersion, KeyChoice};
use std::process::ExitCode;

/// A fixed filler for the image body, so the same arguments give the same file.
fn filler(len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u32).wrapping_mul(2_654_435_761).to_be_bytes()[0])
        .collect()
}

pub fn build(a: ImageBuildArgs) -> ExitCode {
    let Some(version) = ImageVersion::parse(&a.version) else {
        return bad_input(&format!(
            "--version {} is not major.minor.revision",
            a.version
        ));
    };
    let Some(behaviour) = Behaviour::parse(&a.behaviour) else {
        return bad_input(&format!(
            "--behaviour {} is not one of healthy, crash-at-boot, hang, fail-health-check",
            a.behaviour
        ));
    };
    let Some(key) = KeyChoice::parse(&a.key) else {
        return bad_input(&format!("--key {} is not sandbox or unknown", a.key));
    };
    let builder = ImageBuilder::new(version)
        .security_counter(a.security_counter)
        .behaviour(behaviour)
        .key(key);
    let body_len = match a.size {
        None => 0,
        Some(size) if size >= builder.overhead() => size - builder.overhead(),
        Some(size) => {
            return bad_input(&format!(
                "--size {size} is below the {} bytes of header, manifest and signature",
                builder.overhead()
            ))
        }
    };
    let image = builder.body(&filler(body_len)).build();
    match std::fs::write(&a.out, &image) {
        Ok(()) => {
            eprintln!(
                "wrote {} ({} bytes, version {version}, {} key)",
                a.out,
                image.len(),
                key.name()
            );
            ExitCode::SUCCESS
        }
        Err(e) => bad_input(&format!("cannot write {}: {e}", a.out)),
    }
}

pub fn inspect(file: &str, json: bool) -> ExitCode {
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => return bad_input(&format!("cannot read {file}: {e}")),
    };
    let verdict = validate(&bytes, 0);
    let l = layout(&bytes);
    if json {
        let value = serde_json::json!({
            "file": file,
            "bytes": bytes.len(),
            "valid": verdict.valid(),
            "checks": verdict.checks,
            "header": l.header,
            "tlvs": l.tlvs,
        });
        println!("{value}");
    } else {
        println!("{file}: {} bytes", bytes.len());
        for f in &l.header {
            println!("  {:<22} {}", f.name, f.value);
        }
        for t in &l.tlvs {
            println!(
                "  TLV {:<11} 0x{:02x} {:<8} {:>3} B  {}",
                t.block, t.kind, t.name, t.len, t.value_hex
            );
        }
        for c in &verdict.checks {
            println!(
                "  check {:<17} {}  {}",
                c.name,
                if c.ok { "ok  " } else { "FAIL" },
                c.detail
            );
        }
        println!("  verdict: {verdict}");
    }
    if verdict.valid() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
