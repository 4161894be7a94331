//! The Wireshark filter a student can paste into Wireshark for the exported pcap, and the
//! reason when there is none.

use fota_course::{parse, to_wireshark};

fn ws(text: &str) -> String {
    to_wireshark(&parse(text).unwrap()).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn refused(text: &str) -> String {
    to_wireshark(&parse(text).unwrap()).unwrap_err().to_string()
}

#[test]
fn names_and_nodes_become_what_wireshark_reads() {
    assert_eq!(ws("coap.code == 2.31"), "coap.code == 95");
    assert_eq!(ws("coap.code == NotFound"), "coap.code == 132");
    assert_eq!(ws("coap.type == ACK"), "coap.type == 2");
    assert_eq!(
        ws("uri == \"/5/0/1\""),
        "coap.opt.uri_path_recon == \"/5/0/1\""
    );
    assert_eq!(
        ws("from == server && to != device"),
        "ip.src == 192.0.2.1 && ip.dst != 192.0.2.10"
    );
    assert_eq!(ws("to == repository"), "ip.dst == 192.0.2.2");
    assert_eq!(ws("coap.token == CAFE"), "coap.token == ca:fe");
    assert_eq!(ws("coap.opt.block_size == 512"), "coap.opt.block_size == 5");
    assert_eq!(
        ws("coap.opt.ctype == tlv"),
        "coap.opt.ctype == \"application/vnd.oma.lwm2m+tlv\""
    );
    assert_eq!(
        ws("coap.opt.ctype == 0"),
        "coap.opt.ctype == \"text/plain; charset=utf-8\""
    );
    assert_eq!(
        ws("coap.opt.uri_query contains \"a\\\"b\""),
        "coap.opt.uri_query contains \"a\\\"b\""
    );
    assert_eq!(ws("coap.opt.observe"), "coap.opt.observe");
}

#[test]
fn precedence_survives_the_translation() {
    assert_eq!(
        ws("(coap.mid || uri) && coap.token"),
        "(coap.mid || coap.opt.uri_path_recon) && coap.token"
    );
    assert_eq!(
        ws("coap.mid || uri && coap.token"),
        "coap.mid || coap.opt.uri_path_recon && coap.token"
    );
    assert_eq!(
        ws("!(coap.mid && uri)"),
        "!(coap.mid && coap.opt.uri_path_recon)"
    );
    assert_eq!(ws("not coap.mid"), "!coap.mid");
}

#[test]
fn fields_with_no_wireshark_equivalent_say_so_where_they_are() {
    assert_eq!(
        refused("coap.type == 0 && fate == lost"),
        "fate has no Wireshark equivalent at 19: a pcap holds each datagram as it was sent, not what became of it"
    );
    assert!(refused("rule == FU-T10").starts_with("rule has no Wireshark equivalent at 1"));
    assert!(refused("lwm2m.state == 2").starts_with("lwm2m.state has no Wireshark equivalent at 1"));
    assert!(refused("lwm2m.result").starts_with("lwm2m.result has no Wireshark equivalent at 1"));
    assert!(
        refused("Block2").starts_with("plain text (\"Block2\") has no Wireshark equivalent at 1")
    );
    assert!(refused("coap.opt.ctype > 0")
        .starts_with("`>` on coap.opt.ctype has no Wireshark equivalent"));
}
