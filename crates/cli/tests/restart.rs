//! Over real UDP a node that starts again does not repeat itself (SRV-14, RFC 7252 §4.4): the
//! device and the server, each started twice on the same port, open with other message ids
//! and tokens, so a peer's message cache cannot answer the new run with the old one's replies.

use std::io::{BufRead, BufReader};
use std::net::UdpSocket;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A node running, and its stdout kept open (never read again, only held): a node whose
/// stdout is closed dies at its next line.
struct Running {
    child: Child,
    _stdout: BufReader<std::process::ChildStdout>,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn cli(args: &[&str]) -> Running {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fota-sandbox"))
        .args(args)
        .args(["--seconds", "30"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("fota-sandbox starts");
    // It prints where it listens once its socket is bound.
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    Running {
        child,
        _stdout: out,
    }
}

/// A port free a moment ago, for a node to listen on twice.
fn free_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn socket() -> UdpSocket {
    let s = UdpSocket::bind("127.0.0.1:0").unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s
}

/// The message id and token of the next datagram `s` receives.
fn next_ids(s: &UdpSocket) -> ((u16, Vec<u8>), std::net::SocketAddr) {
    let mut buf = [0u8; 1500];
    let (n, from) = s
        .recv_from(&mut buf)
        .unwrap_or_else(|e| panic!("a datagram within 10 s at {:?}: {e}", s.local_addr()));
    let p = fota_coap::message::decode(&buf[..n]).unwrap();
    ((p.header.message_id, p.get_token().to_vec()), from)
}

// One test, its steps in turn: a port freed for one node must not be taken by a socket of a
// test running beside it.
#[test]
fn srv14_a_device_and_a_server_started_again_open_with_other_message_ids_and_tokens() {
    a_device_started_again_registers_with_another_message_id_and_token();
    a_server_started_again_asks_with_another_message_id_and_token();
}

fn a_device_started_again_registers_with_another_message_id_and_token() {
    let server = socket();
    let to = format!("coap://127.0.0.1:{}", server.local_addr().unwrap().port());
    let port = free_port().to_string();
    let listen = format!("127.0.0.1:{port}");
    let first = {
        let _device = cli(&["device", "--listen", &listen, "--server", &to]);
        next_ids(&server).0
    };
    let second = {
        let _device = cli(&["device", "--listen", &listen, "--server", &to]);
        next_ids(&server).0
    };
    assert_ne!(first, second, "the same Register ids after a restart");
    assert_ne!(first.1, second.1, "the same token after a restart");
}

fn a_server_started_again_asks_with_another_message_id_and_token() {
    let image = std::env::temp_dir().join(format!("fota-restart-{}.bin", std::process::id()));
    let built = Command::new(env!("CARGO_BIN_EXE_fota-sandbox"))
        .args(["image", "build", "--version", "2.0.0", "-o"])
        .arg(&image)
        .output()
        .unwrap();
    assert!(built.status.success());
    let image = image.to_string_lossy().into_owned();
    let listen = format!("127.0.0.1:{}", free_port());
    // A device of our own making: it registers, and the server's first request follows.
    let first_request = || {
        let _server = cli(&["server", "--listen", &listen, "--image", &image]);
        let device = socket();
        let mut register = fota_coap::message::request(fota_coap::RequestType::Post, "/rd");
        register
            .header
            .set_type(fota_coap::MessageType::Confirmable);
        register.header.message_id = 1;
        register.set_token(vec![1]);
        for q in ["ep=restart", "lt=300", "lwm2m=1.1", "b=U"] {
            register.add_option(fota_coap::CoapOption::UriQuery, q.as_bytes().to_vec());
        }
        register.payload = b"</5/0>,</3/0>".to_vec();
        let bytes = fota_coap::message::encode(&register).unwrap();
        device.send_to(&bytes, &listen).unwrap();
        // The ACK with 2.01 carries our own ids; the request after it, the server's.
        let (ack, _) = next_ids(&device);
        assert_eq!(ack, (1, vec![1]));
        next_ids(&device).0
    };
    let first = first_request();
    let second = first_request();
    assert_ne!(first, second, "the same request ids after a restart");
    assert_ne!(first.1, second.1, "the same token after a restart");
}
