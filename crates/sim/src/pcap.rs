//! The trace as a libpcap capture: one IPv4/UDP frame per datagram, as the sender put it on
//! the wire, stamped with its virtual send time. The nodes' fixed addresses and CoAP's port
//! 5683 make Wireshark and tshark decode every frame as CoAP.

use crate::world::World;

/// LINKTYPE_RAW: each record starts with an IP header.
const LINKTYPE_RAW: u32 = 101;
const SNAPLEN: u32 = 65_535;
const IPV4_HEADER: usize = 20;
const UDP_HEADER: usize = 8;

/// The one's-complement sum of 16-bit words that IPv4 and UDP checksums use.
fn ones_complement_sum(chunks: &[&[u8]]) -> u16 {
    let mut sum: u32 = 0;
    for chunk in chunks {
        let mut words = chunk.chunks(2);
        for w in &mut words {
            let word = match w {
                [hi, lo] => u16::from_be_bytes([*hi, *lo]),
                [hi] => u16::from_be_bytes([*hi, 0]),
                _ => 0,
            };
            sum += u32::from(word);
        }
    }
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// One IPv4 packet carrying one UDP datagram.
fn frame(id: u16, from: fota_coap::Addr, to: fota_coap::Addr, payload: &[u8]) -> Vec<u8> {
    let udp_len = (UDP_HEADER + payload.len()) as u16;
    let total = IPV4_HEADER as u16 + udp_len;
    let mut ip = vec![
        0x45, // version 4, 5 words of header
        0,
    ];
    ip.extend(total.to_be_bytes());
    ip.extend(id.to_be_bytes());
    ip.extend([0x40, 0x00]); // don't fragment
    ip.extend([64, 17]); // TTL, UDP
    ip.extend([0, 0]); // checksum, below
    ip.extend(from.ip);
    ip.extend(to.ip);
    let sum = ones_complement_sum(&[&ip]);
    ip[10..12].copy_from_slice(&sum.to_be_bytes());

    let mut udp = Vec::with_capacity(udp_len as usize);
    udp.extend(from.port.to_be_bytes());
    udp.extend(to.port.to_be_bytes());
    udp.extend(udp_len.to_be_bytes());
    udp.extend([0, 0]);
    udp.extend_from_slice(payload);
    let mut pseudo = Vec::with_capacity(12);
    pseudo.extend(from.ip);
    pseudo.extend(to.ip);
    pseudo.extend([0, 17]);
    pseudo.extend(udp_len.to_be_bytes());
    let sum = match ones_complement_sum(&[&pseudo, &udp]) {
        // A computed 0 is sent as all ones (RFC 768).
        0 => 0xffff,
        s => s,
    };
    udp[6..8].copy_from_slice(&sum.to_be_bytes());
    ip.extend(udp);
    ip
}

/// The whole trace of `world` as a pcap file.
pub fn write(world: &World) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend(0xa1b2_c3d4u32.to_le_bytes()); // microsecond timestamps
    out.extend(2u16.to_le_bytes());
    out.extend(4u16.to_le_bytes());
    out.extend(0i32.to_le_bytes()); // GMT
    out.extend(0u32.to_le_bytes()); // accuracy
    out.extend(SNAPLEN.to_le_bytes());
    out.extend(LINKTYPE_RAW.to_le_bytes());
    for e in world.trace() {
        let f = frame(e.id as u16, e.from, e.to, &e.bytes);
        let ms = e.sent_at.millis();
        out.extend(((ms / 1000) as u32).to_le_bytes());
        out.extend((((ms % 1000) * 1000) as u32).to_le_bytes());
        out.extend((f.len() as u32).to_le_bytes());
        out.extend((f.len() as u32).to_le_bytes());
        out.extend(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use fota_coap::Addr;

    #[test]
    fn an_ipv4_header_checksums_to_zero_and_udp_carries_the_payload() {
        let f = frame(
            7,
            Addr::new([192, 0, 2, 10], 56830),
            Addr::new([192, 0, 2, 1], 5683),
            b"\x40\x01\x00\x01",
        );
        assert_eq!(f.len(), 20 + 8 + 4);
        assert_eq!(ones_complement_sum(&[&f[..20]]), 0, "header sum verifies");
        assert_eq!(&f[22..24], &5683u16.to_be_bytes());
        assert_eq!(&f[28..], b"\x40\x01\x00\x01");
        let mut pseudo = vec![192, 0, 2, 10, 192, 0, 2, 1, 0, 17];
        pseudo.extend(12u16.to_be_bytes());
        assert_eq!(
            ones_complement_sum(&[&pseudo, &f[20..]]),
            0,
            "UDP sum verifies"
        );
    }

    #[test]
    fn one_record_per_datagram_at_its_virtual_time() {
        let mut w = World::new(crate::Scenario::by_id("pull-success").unwrap(), 1);
        w.run_to_end();
        let pcap = write(&w);
        let mut at = 24;
        let mut records = 0;
        while at < pcap.len() {
            let ts = u32::from_le_bytes(pcap[at..at + 4].try_into().unwrap());
            let len = u32::from_le_bytes(pcap[at + 8..at + 12].try_into().unwrap()) as usize;
            assert_eq!(u64::from(ts), w.trace()[records].sent_at.millis() / 1000);
            at += 16 + len;
            records += 1;
        }
        assert_eq!(records, w.trace().len());
    }
}
