//! The options this implementation understands (RFC 7252, 7641, 7959, 7967), and the test a
//! request must pass: no critical option it does not (RFC 7252 §5.4.1).

use coap_lite::Packet;

const KNOWN_OPTIONS: [u16; 16] = [1, 3, 4, 5, 6, 7, 8, 11, 12, 14, 15, 17, 20, 23, 27, 28];
const KNOWN_OPTIONS_HIGH: [u16; 4] = [35, 39, 60, 258];

/// The first critical (odd-numbered) option of `packet` that is not understood.
pub(crate) fn unknown_critical_option(packet: &Packet) -> Option<u16> {
    packet
        .options()
        .map(|(&n, _)| n)
        .find(|n| n % 2 == 1 && !KNOWN_OPTIONS.contains(n) && !KNOWN_OPTIONS_HIGH.contains(n))
}
