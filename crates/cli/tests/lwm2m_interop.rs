//! Interoperability with an LwM2M 1.2 client on aiocoap, a CoAP stack nobody here wrote
//! (`aiocoap_client.py` beside this file): `fota-sandbox server` updates it with a package
//! that is not one of our images. The client registers as Anjay does (lwm2m=1.2, no `b`),
//! answers in SenML CBOR when no Accept is named (SRV-12), downloads with aiocoap's own Block2
//! client and comes back from its reboot on a new port with a version of its own choosing
//! (SRV-13). Everything stays on 127.0.0.1, on ports the system picks.

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};

/// The venv python that scripts/test.sh makes (scripts/tools.sh, `need_aiocoap`) and names in
/// FOTA_AIOCOAP_PYTHON; without the variable, where that venv is made.
fn python() -> PathBuf {
    let default =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/venv-interop/bin/python");
    let py = std::env::var_os("FOTA_AIOCOAP_PYTHON").map_or(default, PathBuf::from);
    let works = Command::new(&py)
        .args(["-c", "import aiocoap, cbor2"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    // Failing, not skipping: the suite installs the client, so its absence is a broken setup.
    assert!(
        works,
        "no python with aiocoap and cbor2 at {} (FOTA_AIOCOAP_PYTHON): scripts/test.sh installs \
         it, or run: bash -c 'source scripts/tools.sh && need_aiocoap'",
        py.display()
    );
    py
}

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A package no image format would take for one of ours: a fixed pseudo-random sequence.
fn noise(len: usize) -> Vec<u8> {
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What one campaign run showed: the server's exit, and what each side printed.
struct Run {
    status: ExitStatus,
    server_out: String,
    server_log: String,
    client_out: String,
    client_log: String,
    package_sha256: String,
    package_len: usize,
}

/// `fota-sandbox server <server_args>` with a package of random bytes, and the aiocoap client
/// pointed at it with `client_args`, until the server ends its campaign.
fn campaign(name: &str, server_args: &[&str], client_args: &[&str]) -> Run {
    let python = python();
    let package = noise(20_000);
    let file = std::env::temp_dir().join(format!(
        "fota-lwm2m-interop-{}-{name}.bin",
        std::process::id()
    ));
    std::fs::write(&file, &package).unwrap();
    let mut server = Killed(
        Command::new(env!("CARGO_BIN_EXE_fota-sandbox"))
            .args([
                "server",
                "--listen",
                "127.0.0.1:0",
                "--seconds",
                "60",
                "--image",
            ])
            .arg(&file)
            .args(server_args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("fota-sandbox server starts"),
    );
    let mut out = BufReader::new(server.0.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    let port: u16 = line
        .trim()
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in {line:?}"));
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/aiocoap_client.py");
    let mut client = Killed(
        Command::new(python)
            .arg(script)
            .args(["--server", &format!("coap://127.0.0.1:{port}")])
            .args(["--endpoint", &format!("aiocoap-{name}"), "--seconds", "60"])
            .args(client_args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the aiocoap client starts"),
    );
    let mut server_log = String::new();
    let mut err = server.0.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut rest = String::new();
        out.read_to_string(&mut rest).unwrap();
        rest
    });
    err.read_to_string(&mut server_log).unwrap();
    let server_out = reader.join().unwrap();
    let status = server.0.wait().unwrap();
    // The client runs until it is stopped; what it printed is in its pipe.
    let _ = client.0.kill();
    let _ = client.0.wait();
    let mut client_out = String::new();
    client
        .0
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut client_out)
        .unwrap();
    let mut client_log = String::new();
    client
        .0
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut client_log)
        .unwrap();
    let _ = std::fs::remove_file(&file);
    assert!(
        client_out.contains("registered at"),
        "the client never registered:\n{client_out}\n{client_log}\n{server_log}"
    );
    Run {
        status,
        server_out,
        server_log,
        client_out,
        client_log,
        package_sha256: sha256_hex(&package),
        package_len: package.len(),
    }
}

impl Run {
    fn succeeded(&self) -> bool {
        self.server_out.lines().last() == Some("campaign succeeded") && self.status.success()
    }

    fn received_the_package(&self) -> bool {
        let line = format!(
            "package sha256={} bytes={}",
            self.package_sha256, self.package_len
        );
        self.client_out.lines().any(|l| l == line)
    }

    fn dump(&self) -> String {
        format!(
            "exit {:?}\nserver stdout:\n{}\nserver log:\n{}\nclient stdout:\n{}\nclient log:\n{}",
            self.status, self.server_out, self.server_log, self.client_out, self.client_log
        )
    }
}

#[test]
fn srv13_the_server_updates_an_aiocoap_client_that_reports_a_version_of_its_own() {
    let run = campaign(
        "pull",
        &["--method", "pull"],
        &["--version-after", "thirdparty-2"],
    );
    assert!(run.succeeded(), "{}", run.dump());
    assert!(
        run.server_log
            .contains("success is Update Result 1 after the new Register"),
        "{}",
        run.dump()
    );
    assert!(
        run.server_log.contains("campaign: succeeded [SRV-13]"),
        "{}",
        run.dump()
    );
    assert!(run.received_the_package(), "{}", run.dump());
    // It came back through a new Register, with Update Result 1.
    let client: Vec<&str> = run.client_out.lines().collect();
    let after_reboot = client
        .iter()
        .position(|l| *l == "rebooting")
        .map(|i| &client[i..])
        .unwrap_or_default();
    assert!(
        after_reboot.contains(&"state 0 result 1")
            && after_reboot
                .iter()
                .any(|l| l.starts_with("registered at") && l.ends_with("version thirdparty-2")),
        "{}",
        run.dump()
    );
    // Nothing the client said was lost on the server's decoders (SRV-12).
    assert!(!run.server_log.contains("[SRV-12]"), "{}", run.dump());
}

#[test]
fn srv13_with_expect_version_the_version_the_aiocoap_client_reports_decides() {
    let run = campaign(
        "expected",
        &["--expect-version", "7.1.0"],
        &["--version-after", "7.1.0"],
    );
    assert!(run.succeeded(), "{}", run.dump());
    assert!(
        run.server_log.contains("success is /3/0/3 = 7.1.0"),
        "{}",
        run.dump()
    );
    assert!(run.received_the_package(), "{}", run.dump());
    let run = campaign(
        "other",
        &["--expect-version", "7.1.0"],
        &["--version-after", "7.0.9"],
    );
    assert_eq!(run.status.code(), Some(1), "{}", run.dump());
    assert!(
        run.server_out
            .lines()
            .last()
            .is_some_and(|l| l.starts_with("campaign failed") && l.contains("7.0.9")),
        "{}",
        run.dump()
    );
    assert!(run.received_the_package(), "{}", run.dump());
}

#[test]
fn fu_t1_the_server_pushes_to_an_aiocoap_client_with_block1_and_notifications_unconfirmed() {
    let run = campaign("push", &["--method", "push"], &["--notify", "non"]);
    assert!(run.succeeded(), "{}", run.dump());
    assert!(
        run.server_log.contains("pushing the image"),
        "{}",
        run.dump()
    );
    assert!(run.received_the_package(), "{}", run.dump());
}

#[test]
fn srv12_the_server_updates_an_aiocoap_client_built_without_text_plain() {
    // Single resources in plain CBOR, and 4.06 to text/plain, as Anjay with
    // ANJAY_WITHOUT_PLAINTEXT answers.
    let run = campaign("no-text", &[], &["--single-format", "60", "--no-text"]);
    assert!(run.succeeded(), "{}", run.dump());
    assert!(run.received_the_package(), "{}", run.dump());
    assert!(!run.server_log.contains("[SRV-12]"), "{}", run.dump());
}

#[test]
fn srv6_the_repository_serves_aiocoap_s_block2_client_at_the_block_size_it_asks_for() {
    // Early negotiation (RFC 7959 §2.4): 64-byte blocks from the first request on.
    let run = campaign("blocks", &[], &["--block-size", "64"]);
    assert!(run.succeeded(), "{}", run.dump());
    assert!(run.received_the_package(), "{}", run.dump());
}

#[test]
fn srv2_an_aiocoap_client_that_de_registers_and_comes_back_on_the_same_port_is_updated() {
    // A port free a moment ago, which the client keeps across its reboot.
    let port = std::net::UdpSocket::bind("127.0.0.1:0")
        .and_then(|s| s.local_addr())
        .unwrap()
        .port()
        .to_string();
    let run = campaign("same-port", &[], &["--deregister", "--port", &port]);
    assert!(run.succeeded(), "{}", run.dump());
    assert!(
        run.server_log.contains("/rd/1 de-registered"),
        "{}",
        run.dump()
    );
    let registers = run
        .client_out
        .lines()
        .filter(|l| l.starts_with("registered at"))
        .count();
    assert_eq!(registers, 2, "{}", run.dump());
}
