//! The filter language as a student types it: what each filter means, and the message and
//! position a mistyped one gets.

use fota_course::filter::{parse, CmpOp, Field, Filter, Value};

fn cmp(field: Field, op: CmpOp, value: Value, at: usize) -> Filter {
    Filter::Compare {
        field,
        op,
        value,
        at,
    }
}

fn and(l: Filter, r: Filter) -> Filter {
    Filter::And {
        left: Box::new(l),
        right: Box::new(r),
    }
}

fn or(l: Filter, r: Filter) -> Filter {
    Filter::Or {
        left: Box::new(l),
        right: Box::new(r),
    }
}

fn not(f: Filter) -> Filter {
    Filter::Not { inner: Box::new(f) }
}

fn present(field: Field, at: usize) -> Filter {
    Filter::Present { field, at }
}

/// The error text for a filter that must be refused.
fn refused(text: &str) -> String {
    match parse(text) {
        Ok(f) => panic!("{text} was accepted as {f:?}"),
        Err(why) => why.to_string(),
    }
}

#[test]
fn and_binds_tighter_than_or_and_not_tightest_as_in_wireshark() {
    let a = || present(Field::CoapMid, 1);
    assert_eq!(
        parse("coap.mid || uri && fate").unwrap(),
        or(a(), and(present(Field::Uri, 13), present(Field::Fate, 20)))
    );
    assert_eq!(
        parse("coap.mid && uri || fate").unwrap(),
        or(and(a(), present(Field::Uri, 13)), present(Field::Fate, 20))
    );
    assert_eq!(
        parse("!coap.mid && uri").unwrap(),
        and(not(present(Field::CoapMid, 2)), present(Field::Uri, 14))
    );
    assert_eq!(
        parse("not coap.mid or uri").unwrap(),
        or(not(present(Field::CoapMid, 5)), present(Field::Uri, 17))
    );
}

#[test]
fn parentheses_group() {
    assert_eq!(
        parse("coap.mid && (uri || fate)").unwrap(),
        and(
            present(Field::CoapMid, 1),
            or(present(Field::Uri, 14), present(Field::Fate, 21))
        )
    );
    assert_eq!(
        parse("!(uri and fate)").unwrap(),
        not(and(present(Field::Uri, 3), present(Field::Fate, 11)))
    );
}

#[test]
fn every_operator_in_symbols_and_words() {
    let n = |op| cmp(Field::CoapMid, op, Value::Number(7), 1);
    for (text, op) in [
        ("coap.mid == 7", CmpOp::Eq),
        ("coap.mid != 7", CmpOp::Ne),
        ("coap.mid < 7", CmpOp::Lt),
        ("coap.mid > 7", CmpOp::Gt),
        ("coap.mid <= 7", CmpOp::Le),
        ("coap.mid >= 7", CmpOp::Ge),
        ("coap.mid eq 7", CmpOp::Eq),
        ("coap.mid ne 7", CmpOp::Ne),
        ("coap.mid lt 7", CmpOp::Lt),
        ("coap.mid ge 0x7", CmpOp::Ge),
        ("coap.mid==7", CmpOp::Eq),
    ] {
        assert_eq!(parse(text).unwrap(), n(op), "{text}");
    }
    assert_eq!(
        parse("uri contains \"/5/\"").unwrap(),
        cmp(Field::Uri, CmpOp::Contains, Value::Text("/5/".into()), 1)
    );
    assert_eq!(
        parse("coap.mid == 1 and coap.mid == 2 or coap.mid == 3").unwrap(),
        or(
            and(
                cmp(Field::CoapMid, CmpOp::Eq, Value::Number(1), 1),
                cmp(Field::CoapMid, CmpOp::Eq, Value::Number(2), 19)
            ),
            cmp(Field::CoapMid, CmpOp::Eq, Value::Number(3), 36)
        )
    );
}

/// Each field with a value written as a student would, and the value it stands for.
#[test]
fn every_field_reads_its_values() {
    use Value::*;
    let cases: Vec<(&str, Field, Value)> = vec![
        ("coap.type == ACK", Field::CoapType, Number(2)),
        ("coap.type == 0", Field::CoapType, Number(0)),
        ("coap.type == confirmable", Field::CoapType, Number(0)),
        ("coap.code == 2.31", Field::CoapCode, Number(95)),
        ("coap.code == 95", Field::CoapCode, Number(95)),
        ("coap.code == continue", Field::CoapCode, Number(95)),
        ("coap.code == \"Not Found\"", Field::CoapCode, Number(132)),
        ("coap.code == PUT", Field::CoapCode, Number(3)),
        ("coap.mid == 0xffff", Field::CoapMid, Number(65535)),
        (
            "coap.token == ca:fe",
            Field::CoapToken,
            Bytes(vec![0xca, 0xfe]),
        ),
        (
            "coap.token == CAFE",
            Field::CoapToken,
            Bytes(vec![0xca, 0xfe]),
        ),
        ("uri == \"/5/0/1\"", Field::Uri, Text("/5/0/1".into())),
        (
            "coap.opt.uri_path_recon == /5/0/1",
            Field::Uri,
            Text("/5/0/1".into()),
        ),
        (
            "coap.opt.uri_query == \"lt=300\"",
            Field::UriQuery,
            Text("lt=300".into()),
        ),
        ("coap.opt.block_number == 3", Field::BlockNumber, Number(3)),
        ("coap.opt.block_mflag == 1", Field::BlockMflag, Number(1)),
        ("coap.opt.block_size == 512", Field::BlockSize, Number(5)),
        ("coap.opt.block_size == 5", Field::BlockSize, Number(5)),
        ("coap.opt.observe == 1", Field::Observe, Number(1)),
        ("coap.opt.ctype == 11542", Field::Ctype, Number(11542)),
        ("coap.opt.ctype == tlv", Field::Ctype, Number(11542)),
        ("coap.opt.ctype == \"text/plain\"", Field::Ctype, Number(0)),
        (
            "coap.opt.ctype contains \"TLV\"",
            Field::Ctype,
            Text("tlv".into()),
        ),
        (
            "coap.opt.etag == 83e3660c4b836642",
            Field::Etag,
            Bytes(vec![0x83, 0xe3, 0x66, 0x0c, 0x4b, 0x83, 0x66, 0x42]),
        ),
        (
            "coap.payload_length > 100",
            Field::PayloadLength,
            Number(100),
        ),
        (
            "lwm2m.path == \"/5/0/3\"",
            Field::Lwm2mPath,
            Text("/5/0/3".into()),
        ),
        ("lwm2m.state == 2", Field::Lwm2mState, Number(2)),
        ("lwm2m.state == Downloaded", Field::Lwm2mState, Number(2)),
        (
            "lwm2m.result == IntegrityFailure",
            Field::Lwm2mResult,
            Number(5),
        ),
        (
            "lwm2m.result == \"Integrity check failure\"",
            Field::Lwm2mResult,
            Number(5),
        ),
        ("fate == LOST", Field::Fate, Text("lost".into())),
        ("from == Server", Field::From, Text("server".into())),
        ("to == repository", Field::To, Text("repository".into())),
        ("rule == \"fu-t10\"", Field::Rule, Text("FU-T10".into())),
    ];
    let mut seen = std::collections::HashSet::new();
    for (text, field, value) in cases {
        let f = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        let Filter::Compare {
            field: got,
            value: v,
            ..
        } = &f
        else {
            panic!("{text}: {f:?}")
        };
        assert_eq!((*got, v), (field, &value), "{text}");
        seen.insert(field);
    }
    assert_eq!(seen.len(), Field::ALL.len(), "every field is tried");
    for field in Field::ALL {
        assert_eq!(
            parse(field.name()).unwrap(),
            present(field, 1),
            "{}",
            field.name()
        );
    }
}

#[test]
fn plain_text_is_a_word_that_is_no_field_or_a_lone_string() {
    assert_eq!(
        parse("Block2").unwrap(),
        Filter::Text {
            text: "Block2".into(),
            at: 1
        }
    );
    assert_eq!(
        parse("\"/fw/app\" && !Obs").unwrap(),
        and(
            Filter::Text {
                text: "/fw/app".into(),
                at: 1
            },
            not(Filter::Text {
                text: "Obs".into(),
                at: 15
            })
        )
    );
}

#[test]
fn mistakes_get_a_reason_a_position_and_a_hint() {
    for (text, message) in [
        ("coap.tpye == 0", "unknown field `coap.tpye` at 1: did you mean `coap.type`?"),
        ("fate == lost && coap.cod == 69", "unknown field `coap.cod` at 17: did you mean `coap.code`?"),
        ("fat == lost", "unknown field `fat` at 1: did you mean `fate`?"),
        ("ip.src == 192.0.2.1", "unknown field `ip.src` at 1: write from == server (or device, repository)"),
        ("fate == lots", "`lots` is not a fate at 9: did you mean `lost`?"),
        ("to == cloud", "`cloud` is not a node at 7: one of server, repository, device"),
        ("coap.code == Contnue", "`Contnue` is not a value of coap.code at 14: did you mean `Continue`?"),
        ("coap.code == 2.5", "`2.5` is not a value of coap.code at 14: write 2.31, 95 or a name such as Continue"),
        ("coap.type == 4", "coap.type is at most 3, not 4 at 14"),
        ("coap.opt.block_size == 100", "100 is not a block size at 24: write the size (16, 32, ... 1024) or Wireshark's SZX (0 to 6)"),
        ("coap.token == xyz", "`xyz` is not bytes in hex for coap.token at 15: write them as ca:fe or cafe"),
        ("uri < 3", "`<` compares numbers, and coap.opt.uri_path_recon is text at 5: use ==, != or contains"),
        ("coap.mid contains 3", "`contains` needs text, and coap.mid is a number at 10: compare it with == != < > <= >="),
        ("fate > lost", "fate takes only == or !=, not `>` at 6"),
        ("rule == FU-T99", "no rule is called `FU-T99` at 9: did you mean `FU-T9`?"),
        ("coap.mid = 3", "a single `=` at 10: compare with `==`"),
        ("uri & fate", "a single `&` at 5: write `&&` or `and`"),
        ("uri | fate", "a single `|` at 5: write `||` or `or`"),
        ("(uri || fate", "a `(` that is never closed at 1: add a `)`"),
        ("uri)", "a `)` with no `(` before it at 4"),
        ("uri fate", "two terms with nothing between them at 5: join them with && or ||"),
        ("uri &&", "the filter ends where a field or text was expected at 7"),
        ("coap.mid ==", "`==` needs a value after it at 10: as in coap.mid == ..."),
        ("== 3", "`==` with no field before it at 1"),
        ("\"x\" == 3", "a quoted string before `==` at 1: a field name comes first, as in uri == \"/5/0/1\""),
        ("uri == \"/5", "a string that is never closed at 8: end it with `\"`"),
        ("", "the filter is empty at 1: try coap.code == 2.31 or Block2"),
        ("   ", "the filter is empty at 1: try coap.code == 2.31 or Block2"),
    ] {
        assert_eq!(refused(text), message, "{text}");
    }
}

#[test]
fn the_tree_is_plain_data_for_the_browser() {
    let f = parse("coap.code == 2.31 && !fate").unwrap();
    let json = serde_json_text(&f);
    assert!(json.contains("\"kind\":\"and\""), "{json}");
    assert!(json.contains("\"field\":\"coap_code\""), "{json}");
}

fn serde_json_text(f: &Filter) -> String {
    serde_json::to_string(f).unwrap()
}

/// Whatever a student types, the answer is a filter or a reason, never a panic.
#[test]
fn no_input_panics() {
    let bits = [
        "coap.code",
        "==",
        "!=",
        "<",
        "contains",
        "2.31",
        "\"",
        "\"x\"",
        "(",
        ")",
        "!",
        "&&",
        "||",
        "=",
        "&",
        "é",
        "0x",
        "ca:f",
        "lwm2m.state",
        "fate",
        "lost",
        "uri",
        "\\",
        "coap.",
        " ",
    ];
    for a in bits {
        for b in bits {
            for c in bits {
                let text = format!("{a}{b} {c}");
                if let Ok(f) = parse(&text) {
                    let _ = fota_course::to_wireshark(&f);
                }
            }
        }
    }
}
