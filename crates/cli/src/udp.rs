//! Runs one sans-IO node over a real UDP socket: wall-clock time since start becomes the node's
//! `SimTime`, datagrams go to and come from the socket. This is how real CoAP peers (libcoap,
//! Anjay, Leshan) talk to the sandbox's nodes.

use fota_coap::{Addr, SimTime};
use fota_lwm2m::{Fact, Node};
use std::io::ErrorKind;
use std::net::{SocketAddr, SocketAddrV4, UdpSocket};
use std::time::{Duration, Instant};

pub fn to_addr(a: SocketAddr) -> Option<Addr> {
    match a {
        SocketAddr::V4(v4) => Some(Addr::new(v4.ip().octets(), v4.port())),
        SocketAddr::V6(_) => None,
    }
}

pub fn to_socket(a: Addr) -> SocketAddr {
    SocketAddr::V4(SocketAddrV4::new(a.ip.into(), a.port))
}

/// Serves `node` on `socket` until `stop` says so (checked at least every 100 ms); prints the
/// node's log lines to stderr.
pub fn serve<N: Node>(
    node: &mut N,
    socket: &UdpSocket,
    stop: &dyn Fn(&N) -> bool,
) -> std::io::Result<()> {
    let start = Instant::now();
    let now = || SimTime(start.elapsed().as_millis() as u64);
    let mut buf = vec![0u8; 65_536];
    while !stop(node) {
        let wait = node
            .poll_timeout()
            .map(|t| Duration::from_millis(t.millis().saturating_sub(now().millis())))
            .unwrap_or(Duration::from_millis(100))
            .clamp(Duration::from_millis(1), Duration::from_millis(100));
        socket.set_read_timeout(Some(wait))?;
        match socket.recv_from(&mut buf) {
            Ok((n, from)) => {
                if let Some(from) = to_addr(from) {
                    node.handle_datagram(now(), from, &buf[..n]);
                }
            }
            // An ICMP port-unreachable from an earlier send surfaces here on Linux: a peer
            // went away, which is no reason to stop serving the others.
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::WouldBlock
                        | ErrorKind::TimedOut
                        | ErrorKind::ConnectionRefused
                        | ErrorKind::ConnectionReset
                ) => {}
            Err(e) => return Err(e),
        }
        if node.poll_timeout().is_some_and(|t| t <= now()) {
            node.handle_timeout(now());
        }
        while let Some(d) = node.poll_transmit() {
            socket.send_to(&d.bytes, to_socket(d.to))?;
        }
        while let Some(ev) = node.poll_event() {
            report(&ev);
        }
    }
    Ok(())
}

fn report(ev: &impl Fact) {
    match (ev.is_quiet(), ev.rule()) {
        (true, _) => {}
        (false, Some(r)) => eprintln!("{ev} [{r}]"),
        (false, None) => eprintln!("{ev}"),
    }
}
