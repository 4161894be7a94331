//! A device that answers as an LwM2M 1.2 client, in SenML CBOR when no Accept is named, and
//! the server that reads it (SRV-12): the campaign runs as it does in TLV.

use fota_coap::message::{content_format, decode, uint_option, uri_path, uri_queries};
use fota_coap::{CoapOption, MessageClass, ResponseType};
use fota_lwm2m::{content, senml};
use fota_sim::{NodeId, RunReport, Scenario, World};

fn run(seed: u64) -> World {
    let mut w = World::new(Scenario::by_id("pull-senml-cbor").unwrap(), seed);
    w.run_to_end();
    w
}

#[test]
fn srv12_pull_senml_cbor_meets_its_expectations() {
    for seed in [1, 2] {
        let w = run(seed);
        let r = RunReport::of(&w);
        assert!(
            r.expectations.met,
            "seed {seed}: {:?}",
            r.expectations.failed
        );
        assert_eq!(r.result_history, vec![[1, 0], [2, 0], [3, 0], [0, 1]]);
        assert!(
            !w.log().iter().any(|l| l.rule == Some("SRV-12")),
            "every answer decoded, none asked again"
        );
    }
}

#[test]
fn srv12_the_device_answers_every_read_and_notification_in_senml_cbor() {
    let w = run(1);
    let register = decode(&w.trace()[0].bytes).unwrap();
    assert!(uri_queries(&register).contains(&"lwm2m=1.2".to_string()));
    let mut notified_downloaded = false;
    let mut contents = 0;
    for e in w.trace().iter() {
        let p = decode(&e.bytes).unwrap();
        match (e.from_node, e.to_node) {
            (Some(NodeId::Server), Some(NodeId::Device)) => {
                assert_eq!(uint_option(&p, CoapOption::Accept), None, "row {}", e.id);
            }
            (Some(NodeId::Device), Some(NodeId::Server))
                if p.header.code == MessageClass::Response(ResponseType::Content) =>
            {
                contents += 1;
                assert_eq!(
                    content_format(&p),
                    Some(content::SENML_CBOR),
                    "row {}",
                    e.id
                );
                let records = senml::decode_cbor(&p.payload).unwrap();
                notified_downloaded |= records
                    .iter()
                    .any(|r| r.name == "/5/0/3" && r.value == Some(senml::Value::Int(2)));
            }
            _ => {}
        }
    }
    assert!(contents >= 6, "{contents} answers");
    assert!(notified_downloaded, "State 2 came in SenML CBOR");
    let reads: Vec<String> = w
        .trace()
        .iter()
        .filter(|e| e.to_node == Some(NodeId::Device))
        .filter_map(|e| decode(&e.bytes).ok())
        .map(|p| uri_path(&p))
        .collect();
    assert!(
        reads.contains(&"/5/0/1".to_string()),
        "the Package URI was written"
    );
}
