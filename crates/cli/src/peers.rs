//! `repo`, `device` and `server`: sandbox nodes on real UDP sockets, for real CoAP peers to
//! talk to.

use crate::args::{DeviceArgs, RepoArgs, ServerArgs};
use crate::bad_input;
use crate::udp::{self, to_addr};
use fota_bootloader::{build_image, ImageVersion};
use fota_coap::SimRng;
use fota_device::{Device, DeviceConfig};
use fota_lwm2m::Node;
use fota_server::{CampaignConfig, Delivery, Repository, Server};
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

/// A stop condition: `seconds` after now, or never.
fn deadline(seconds: Option<u64>) -> impl Fn() -> bool {
    let start = Instant::now();
    let limit = seconds.map(Duration::from_secs);
    move || limit.is_some_and(|l| start.elapsed() >= l)
}

fn run_node<N: Node>(node: &mut N, socket: &UdpSocket, seconds: Option<u64>) -> ExitCode {
    let stop = deadline(seconds);
    match udp::serve(node, socket, &|_| stop()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("fota-sandbox: socket error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// A generator seeded by the OS at each start: over real UDP a node that starts again must
/// not repeat the message ids and tokens of its last run, or a peer's message cache would
/// answer it with stale replies (RFC 7252 §4.4, SRV-14). The simulation seeds from the
/// scenario instead, so that its runs repeat.
fn os_rng() -> SimRng {
    let mut seed = [0u8; 8];
    // Without the OS's numbers (no such source here), the process id and the clock differ
    // between two starts all the same.
    if getrandom::getrandom(&mut seed).is_err() {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        seed = (t ^ u64::from(std::process::id())).to_le_bytes();
    }
    SimRng::new(u64::from_le_bytes(seed))
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
    let mut repo = Repository::new(addr, os_rng());
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
    let mut device = Device::new(cfg, os_rng());
    run_node(&mut device, &socket, a.seconds)
}

/// The LwM2M server with one campaign: PULL from a repository on a second socket (served from
/// a thread of its own), or PUSH. Stops when the campaign is over.
pub fn server(a: ServerArgs) -> ExitCode {
    let image = match std::fs::read(&a.image) {
        Ok(b) => b,
        Err(e) => return bad_input(&format!("cannot read {}: {e}", a.image)),
    };
    // Any package goes (SRV-13): one of our images says which version proves the update;
    // another needs --expect-version, or Update Result 1 is the proof.
    let ours = fota_bootloader::validate(&image, 0)
        .info
        .map(|i| i.version.to_string());
    let target_version = a.expect_version.clone().or(ours.clone());
    let method = Delivery::parse(&a.method).unwrap_or_default();
    let (socket, addr) = match bind(a.listen) {
        Ok(s) => s,
        Err(why) => return bad_input(&why),
    };
    let mut package_uri = String::new();
    if method == Delivery::Pull {
        let listen = a
            .repo_listen
            .unwrap_or(std::net::SocketAddrV4::new(*a.listen.ip(), 0));
        let (repo_socket, repo_addr) = match bind(listen) {
            Ok(s) => s,
            Err(why) => return bad_input(&why),
        };
        // A wildcard address is no use in a URI: the device reaches us on loopback then.
        let ip = match repo_addr.ip {
            [0, 0, 0, 0] => [127, 0, 0, 1],
            ip => ip,
        };
        let [i0, i1, i2, i3] = ip;
        package_uri = format!("coap://{i0}.{i1}.{i2}.{i3}:{}/fw/image.bin", repo_addr.port);
        let mut repo = Repository::new(repo_addr, os_rng());
        repo.publish("/fw/image.bin", image.clone());
        std::thread::spawn(move || run_node(&mut repo, &repo_socket, None));
    }
    let package = match &ours {
        Some(v) => format!("image {v}"),
        None => "a package not in our image format".to_string(),
    };
    let proof = match &target_version {
        Some(v) => format!("/3/0/3 = {v} and Update Result 1"),
        None => "Update Result 1 after the new Register".to_string(),
    };
    eprintln!(
        "campaign: {package} ({} bytes) by {}; success is {proof}",
        image.len(),
        a.method
    );
    let campaign = CampaignConfig {
        method,
        image: image.into(),
        target_version,
        ..CampaignConfig::pull(&package_uri, "")
    };
    let mut server = Server::new(addr, os_rng(), campaign);
    let stop = deadline(a.seconds);
    if let Err(e) = udp::serve(&mut server, &socket, &|s: &Server| {
        stop() || s.phase().is_over()
    }) {
        eprintln!("fota-sandbox: socket error: {e}");
        return ExitCode::FAILURE;
    }
    // Let the last acknowledgements leave before the process ends.
    while let Some(d) = server.poll_transmit() {
        let _ = socket.send_to(&d.bytes, udp::to_socket(d.to));
    }
    println!("campaign {}", server.phase());
    if server.phase().is_success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
