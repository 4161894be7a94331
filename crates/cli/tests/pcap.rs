//! The pcap export as Wireshark's command-line twin reads it: every datagram one CoAP frame,
//! none malformed. Debian's tshark must be installed (scripts/test.sh installs it).

use std::process::Command;

fn tshark(pcap: &std::path::Path, filter: &str) -> usize {
    let out = Command::new("tshark")
        .arg("-r")
        .arg(pcap)
        .args(["-Y", filter])
        .output()
        .unwrap_or_else(|e| panic!("tshark must be installed (Debian's tshark): {e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).lines().count()
}

#[test]
fn tshark_decodes_every_datagram_as_coap_with_no_malformed_frame() {
    let dir = std::env::temp_dir().join(format!("fota-pcap-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for id in [
        "pull-success",
        "push-success",
        "lossy-link",
        "push-waits-for-signal",
    ] {
        let pcap = dir.join(format!("{id}.pcap"));
        let out = Command::new(env!("CARGO_BIN_EXE_fota-sandbox"))
            .args(["run", id, "--json", "--pcap"])
            .arg(&pcap)
            .output()
            .unwrap();
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let datagrams = report["datagrams"].as_u64().unwrap() as usize;
        assert_eq!(tshark(&pcap, ""), datagrams, "{id}: one frame per datagram");
        assert_eq!(
            tshark(&pcap, "coap"),
            datagrams,
            "{id}: every frame is CoAP"
        );
        assert_eq!(
            tshark(&pcap, "_ws.malformed || _ws.expert.severity >= warning"),
            0,
            "{id}: no malformed frame"
        );
        assert_eq!(
            tshark(&pcap, "udp.port == 5683 && ip.addr == 192.0.2.2"),
            report["datagrams"].as_u64().unwrap() as usize
                - tshark(&pcap, "!(ip.addr == 192.0.2.2)"),
            "{id}: the repository on its own address"
        );
    }
}
