//! Interoperability with libcoap's `coap-client` (Debian's libcoap3-bin, which names it
//! `coap-client-notls`), a CoAP implementation nobody here wrote. Everything stays on 127.0.0.1.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

const COAP_CLIENT: &str = "coap-client-notls";

struct Peer {
    child: Child,
    port: u16,
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `fota-sandbox <args>` on a free port and reads the port it prints.
fn start(args: &[&str]) -> Peer {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fota-sandbox"))
        .args(args)
        .args(["--listen", "127.0.0.1:0", "--seconds", "60"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("fota-sandbox starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .trim()
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in {line:?}"));
    Peer { child, port }
}

fn coap_client(args: &[&str]) -> String {
    let out = Command::new(COAP_CLIENT)
        .args(["-B", "20"])
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{COAP_CLIENT} must be installed (Debian libcoap3-bin; scripts/test.sh installs it): {e}"));
    assert!(
        out.status.success(),
        "{COAP_CLIENT} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("fota-interop-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Bytes that no image format would take for anything: a fixed pseudo-random sequence.
fn noise(len: usize) -> Vec<u8> {
    let mut x = 0x2545_f491_4f6c_dd1du64;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

fn get_file(port: u16, block: usize, out: &Path) {
    coap_client(&[
        "-m",
        "get",
        "-b",
        &block.to_string(),
        "-o",
        out.to_str().unwrap(),
        &format!("coap://127.0.0.1:{port}/fw/app.bin"),
    ]);
}

#[test]
fn srv6_libcoap_fetches_a_multi_block_file_byte_identical_at_16_and_1024() {
    let image = noise(5000);
    let src = scratch("served.bin");
    std::fs::write(&src, &image).unwrap();
    let repo = start(&["repo", "--file", &format!("fw/app.bin={}", src.display())]);
    for block in [16, 1024] {
        let out = scratch(&format!("got-{block}.bin"));
        get_file(repo.port, block, &out);
        let got = std::fs::read(&out).unwrap();
        assert_eq!(got.len(), image.len(), "block size {block}");
        assert!(got == image, "block size {block}: the file differs");
    }
}

#[test]
fn fu_t1_libcoap_pushes_random_bytes_with_block1_and_the_device_judges_them() {
    let device = start(&["device"]);
    let url = |path: &str| format!("coap://127.0.0.1:{}{path}", device.port);
    let payload = scratch("push.bin");
    std::fs::write(&payload, noise(3000)).unwrap();
    coap_client(&[
        "-m",
        "put",
        "-b",
        "512",
        "-t",
        "42",
        "-f",
        payload.to_str().unwrap(),
        &url("/5/0/0"),
    ]);
    let state = coap_client(&["-m", "get", &url("/5/0/3")]);
    let result = coap_client(&["-m", "get", &url("/5/0/5")]);
    assert_eq!(state.trim(), "0", "State back to Idle");
    // Random bytes are not one of our images (FU-D6), or fail their hash (FU-D5).
    assert!(
        matches!(result.trim(), "6" | "5"),
        "Update Result {result:?}"
    );
    let version = coap_client(&["-m", "get", &url("/3/0/3")]);
    assert_eq!(version.trim(), "1.0.0");
}

#[test]
fn obj1_a_device_on_udp_registers_with_a_server_it_is_pointed_at() {
    use std::net::UdpSocket;
    use std::time::Duration;
    let server = UdpSocket::bind("127.0.0.1:0").unwrap();
    server
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let server_port = server.local_addr().unwrap().port();
    let _device = start(&[
        "device",
        "--server",
        &format!("coap://127.0.0.1:{server_port}"),
    ]);
    let mut buf = [0u8; 1500];
    let (n, from) = server.recv_from(&mut buf).expect("a Register within 10 s");
    let register = fota_coap::message::decode(&buf[..n]).unwrap();
    assert_eq!(fota_coap::message::uri_path(&register), "/rd");
    let queries = fota_coap::message::uri_queries(&register);
    assert!(
        queries.contains(&"lwm2m=1.1".to_string()) && queries.contains(&"b=U".to_string()),
        "{queries:?}"
    );
    assert!(String::from_utf8_lossy(&register.payload).contains("</5>;ver=1.1"));
    // Answer 2.01 as a server would, then read State over the same UDP path.
    let mut created = fota_coap::message::response(fota_coap::ResponseType::Created);
    created
        .header
        .set_type(fota_coap::MessageType::Acknowledgement);
    created.header.message_id = register.header.message_id;
    created.set_token(register.get_token().to_vec());
    created.add_option(fota_coap::CoapOption::LocationPath, b"rd".to_vec());
    created.add_option(fota_coap::CoapOption::LocationPath, b"1".to_vec());
    server
        .send_to(&fota_coap::message::encode(&created).unwrap(), from)
        .unwrap();
    let mut read = fota_coap::message::request(fota_coap::RequestType::Get, "/5/0/3");
    read.header.set_type(fota_coap::MessageType::Confirmable);
    read.header.message_id = 7;
    read.set_token(vec![7]);
    server
        .send_to(&fota_coap::message::encode(&read).unwrap(), from)
        .unwrap();
    let (n, _) = server.recv_from(&mut buf).expect("an answer to the read");
    let answer = fota_coap::message::decode(&buf[..n]).unwrap();
    assert_eq!(
        (answer.header.message_id, answer.payload.as_slice()),
        (7, &b"0"[..])
    );
}

#[test]
fn obj7_libcoap_reads_the_firmware_instance_as_tlv() {
    let device = start(&["device"]);
    let out = scratch("instance.tlv");
    coap_client(&[
        "-m",
        "get",
        "-A",
        "11542",
        "-o",
        out.to_str().unwrap(),
        &format!("coap://127.0.0.1:{}/5/0", device.port),
    ]);
    let tlvs = fota_lwm2m::tlv::decode(&std::fs::read(&out).unwrap()).unwrap();
    let state = tlvs
        .iter()
        .find(|t| t.id == 3)
        .expect("State in the instance");
    assert_eq!(state.body, fota_lwm2m::tlv::Body::Value(vec![0]));
}

/// `fota-sandbox server` and `fota-sandbox device` over loopback UDP: the server updates the
/// device that registers with it, by `method`.
fn server_updates_a_device_over_udp(method: &str) {
    let image = scratch(&format!("server-{method}.bin"));
    let built = Command::new(env!("CARGO_BIN_EXE_fota-sandbox"))
        .args([
            "image",
            "build",
            "--version",
            "2.0.0",
            "--size",
            "20000",
            "-o",
        ])
        .arg(&image)
        .output()
        .unwrap();
    assert!(built.status.success());
    let mut server = Command::new(env!("CARGO_BIN_EXE_fota-sandbox"))
        .args(["server", "--listen", "127.0.0.1:0", "--seconds", "60"])
        .args(["--method", method, "--image"])
        .arg(&image)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("fota-sandbox server starts");
    let mut out = BufReader::new(server.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    let port = line.trim().rsplit(':').next().unwrap().to_string();
    let _device = start(&["device", "--server", &format!("coap://127.0.0.1:{port}")]);
    let rest: Vec<String> = out.lines().map_while(Result::ok).collect();
    let status = server.wait().unwrap();
    assert_eq!(
        rest.last().map(String::as_str),
        Some("campaign succeeded"),
        "{rest:?}"
    );
    assert!(status.success());
}

#[test]
fn srv1_srv5_the_cli_server_updates_a_cli_device_by_pull() {
    server_updates_a_device_over_udp("pull");
}

#[test]
fn fu_t1_the_cli_server_updates_a_cli_device_by_push() {
    server_updates_a_device_over_udp("push");
}
