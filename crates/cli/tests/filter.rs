//! The display filter from the terminal, and the same filter in Wireshark: `run --filter`
//! prints and reports only the matching rows, and for filters that exist in both worlds the
//! rows the sandbox matches are the frames tshark matches in the exported pcap (frame = row + 1).

use fota_course::{evaluate, parse, to_wireshark};
use fota_sim::{Scenario, World};
use std::process::Command;

mod common;

use common::cli;

#[test]
fn filter_prints_only_the_matching_rows_with_their_ladder_numbers() {
    let out = cli(&[
        "run",
        "push-success",
        "--explain",
        "--filter",
        "coap.code == 2.31",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let ladder: Vec<&str> = text.lines().filter(|l| l.contains(" -> ")).collect();
    assert!(ladder.len() > 10, "{text}");
    assert!(
        ladder.iter().all(|l| l.contains("ACK 2.31 Continue")),
        "{text}"
    );
    assert!(
        !text.contains(" · "),
        "no log lines between the rows: {text}"
    );
    // The numbers are those of the whole ladder.
    let full = String::from_utf8(cli(&["run", "push-success", "--explain"]).stdout).unwrap();
    for l in &ladder {
        assert!(
            full.lines().any(|f| f == *l),
            "{l} is a line of the whole ladder"
        );
    }
}

#[test]
fn json_with_a_filter_has_the_matching_rows_and_without_one_does_not() {
    let out = cli(&["run", "lossy-link", "--json", "--filter", "fate == lost"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = v["matching_rows"].as_array().expect("matching_rows");
    assert_eq!(rows.len() as u64, v["dropped"].as_u64().unwrap());
    let out = cli(&["run", "lossy-link", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.get("matching_rows").is_none());
}

#[test]
fn a_bad_filter_exits_2_with_the_reason() {
    let out = cli(&[
        "run",
        "pull-success",
        "--explain",
        "--filter",
        "coap.tpye == 0",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("unknown field `coap.tpye` at 1: did you mean `coap.type`?"),
        "{err}"
    );
    let out = cli(&["run", "pull-success", "--filter"]);
    assert_eq!(out.status.code(), Some(2));
}

/// The frames tshark matches, or None when tshark is not installed.
fn tshark(pcap: &std::path::Path, filter: &str) -> Option<Vec<usize>> {
    let out = match Command::new("tshark")
        .arg("-r")
        .arg(pcap)
        .args(["-Y", filter, "-T", "fields", "-e", "frame.number"])
        .output()
    {
        Ok(out) => out,
        Err(_) => return None,
    };
    assert!(
        out.status.success(),
        "tshark refused {filter}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| l.trim().parse().unwrap())
            .collect(),
    )
}

#[test]
fn the_sandbox_and_tshark_match_the_same_frames() {
    let dir = std::env::temp_dir().join(format!("fota-filter-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let filters = [
        "coap.type == CON",
        "coap.type == ACK && coap.code == Content",
        "coap.code == 2.31",
        "coap.code >= BadRequest || coap.type == RST",
        "coap.mid < 30000",
        "coap.token",
        "uri == \"/5/0/1\"",
        "uri contains \"/fw/\" && !(coap.opt.block_mflag == 1)",
        "lwm2m.path == \"/5/0\"",
        "coap.opt.uri_query == \"lt=300\"",
        "coap.opt.block_number == 3",
        "coap.opt.block_number != 0",
        "coap.opt.block_size == 512",
        "coap.opt.observe >= 1",
        "coap.opt.observe",
        "coap.opt.ctype == tlv",
        "coap.opt.ctype contains \"text\"",
        "coap.opt.etag",
        "coap.payload_length > 100",
        "from == device && to == repository",
        "to == server or from == repository",
    ];
    let mut compared = 0;
    for id in ["pull-success", "push-success", "lossy-link"] {
        let mut w = World::new(Scenario::by_id(id).unwrap(), 1);
        w.run_to_end();
        let pcap = dir.join(format!("{id}.pcap"));
        std::fs::write(&pcap, fota_sim::pcap::write(&w)).unwrap();
        // A token of the run, so that one filter names bytes.
        let token = fota_coap::message::decode(&w.trace()[0].bytes)
            .unwrap()
            .get_token()
            .to_vec();
        let hex: String = token.iter().map(|b| format!("{b:02x}")).collect();
        let by_token = format!("coap.token == {hex}");
        for text in filters.iter().copied().chain([by_token.as_str()]) {
            let f = parse(text).unwrap();
            let ours: Vec<usize> = evaluate(&f, &w).into_iter().map(|r| r + 1).collect();
            let theirs_filter = to_wireshark(&f).unwrap();
            let Some(theirs) = tshark(&pcap, &theirs_filter) else {
                eprintln!("SKIPPED: tshark is not installed (Debian's tshark); the agreement is not checked");
                return;
            };
            assert_eq!(ours, theirs, "{id}: {text} (tshark: {theirs_filter})");
            compared += usize::from(!ours.is_empty());
        }
    }
    assert!(
        compared >= 3 * 8,
        "most filters match something: {compared}"
    );
}
