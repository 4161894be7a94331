//! `repo` and `device`: sandbox nodes on real UDP sockets, for real CoAP peers to talk to.

use crate::args::{DeviceArgs, RepoArgs};
use crate::bad_input;
use crate::udp::{self, to_addr};
use fota_bootloader::{build_image, ImageVersion};
use fota_coap::SimRng;
use fota_device::{Device, DeviceConfig};
use fota_lwm2m::Node;
use fota_server::Repository;
use std::net::{SocketAddr, UdpSocket};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Slot size of a device run from the command line: room for images up to 256 KiB.
const SLOT_SIZE: usize = 256 * 1024;

fn bind(listen: std::net::SocketAddrV4) -> Result<(UdpSocket, fota_coap::Addr), String> {
    let socket = UdpSocket::bind(listen).map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    let local = socket
        .local_addr()
        .map_err(|e| format!("cannot read the bound address: {e}"))?;
    let addr = to_addr(local).ok_or("only IPv4 is supported")?;
    // The first line on stdout says where we listen (port 0 picks a free one).
    println!("listening on {local}");
    Ok((socket, addr))
}

fn run_node(node: &mut dyn Node, socket: &UdpSocket, seconds: Option<u64>) -> ExitCode {
    let start = Instant::now();
    let limit = seconds.map(Duration::from_secs);
    let stop = || limit.is_some_and(|l| start.elapsed() >= l);
    match udp::serve(node, socket, &stop) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("fota-sandbox: socket error: {e}");
            ExitCode::FAILURE
        }
    }
}

pub fn repo(a: RepoArgs) -> ExitCode {
    let mut bodies = Vec::new();
    for (path, file) in &a.files {
        match std::fs::read(file) {
            Ok(body) => bodies.push((path.clone(), body)),
            Err(e) => return bad_input(&format!("cannot read {file}: {e}")),
        }
    }
    let (socket, addr) = match bind(a.listen) {
        Ok(s) => s,
        Err(why) => return bad_input(&why),
    };
    let mut repo = Repository::new(addr, SimRng::new(1));
    for (path, body) in bodies {
        eprintln!("serving {path} ({} bytes)", body.len());
        repo.publish(&path, body);
    }
    run_node(&mut repo, &socket, a.seconds)
}

pub fn device(a: DeviceArgs) -> ExitCode {
    let Some(version) = ImageVersion::parse(&a.version) else {
        return bad_input(&format!(
            "--version {} is not major.minor.revision",
            a.version
        ));
    };
    let (socket, addr) = match bind(a.listen) {
        Ok(s) => s,
        Err(why) => return bad_input(&why),
    };
    let server = a.server.map(SocketAddr::V4).and_then(to_addr);
    let cfg = DeviceConfig {
        server,
        slot_size: SLOT_SIZE,
        ..DeviceConfig::new(
            addr,
            &format!("sbx-{}", addr.port),
            build_image(version, &[0x5a; 4096]),
        )
    };
    let mut device = Device::new(cfg, SimRng::new(u64::from(addr.port)));
    run_node(&mut device, &socket, a.seconds)
}
