//! The glossary: every term the sandbox shows, with its meaning in one line in our own words and
//! where it comes from (an RFC or OMA section, MCUboot's design, or a SPEC rule). The page, the
//! lessons and the CLI read it from here; a rule id or a label of the state diagram is explained
//! by the rule table and the /5 transition table, so those are looked up, not copied.

use fota_lwm2m::rules;
use fota_lwm2m::transitions::TABLE;
use serde::Serialize;

/// One entry of the glossary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Term {
    /// The term as the page shows it (`CON`, `2.31`, `SZX`, `image_ok`).
    pub term: &'static str,
    /// Other spellings that mean the same (`Confirmable`, `Continue`).
    pub also: &'static [&'static str],
    pub meaning: &'static str,
    /// Where the term is defined.
    pub source: &'static str,
}

const fn t(
    term: &'static str,
    also: &'static [&'static str],
    meaning: &'static str,
    source: &'static str,
) -> Term {
    Term {
        term,
        also,
        meaning,
        source,
    }
}

/// The terms, grouped as a reader meets them: CoAP messages, codes, options, formats, LwM2M,
/// the firmware update object, and the bootloader.
pub const TERMS: &[Term] = &[
    // CoAP messages (RFC 7252 §4).
    t("CoAP", &[], "The Constrained Application Protocol: HTTP-like requests and responses over UDP, small enough for a microcontroller.", "RFC 7252"),
    t("CON", &["Confirmable"], "A message the receiver must acknowledge; the sender sends it again, waiting twice as long each time, until an ACK or RST comes.", "RFC 7252 §4.2"),
    t("NON", &["Non-confirmable"], "A message sent once, with no acknowledgement asked for.", "RFC 7252 §4.3"),
    t("ACK", &["Acknowledgement"], "The answer that says a CON arrived; it often carries the response itself (a piggybacked response).", "RFC 7252 §4.2"),
    t("RST", &["Reset"], "The answer to a message the receiver cannot make sense of, or to a notification it no longer wants.", "RFC 7252 §4.2"),
    t("Empty", &["empty ACK"], "A message with code 0.00 and no request or response: an ACK that only says \"received\", a RST, or a ping.", "RFC 7252 §4.1"),
    t("MID", &["Message ID"], "A 16-bit number that pairs a CON with its ACK and lets the receiver spot a duplicate.", "RFC 7252 §3, §4.5"),
    t("Token", &[], "Up to 8 bytes chosen by the requester that pair a response (or a notification) with its request, whatever the message ids.", "RFC 7252 §5.3.1"),
    t("piggybacked", &["piggybacked response"], "A response carried in the ACK of its request, rather than in a CON of its own later.", "RFC 7252 §5.2.1"),
    t("retransmission", &["ACK_TIMEOUT", "MAX_RETRANSMIT"], "A CON sent again because no ACK came: after 2 to 3 s, then twice as long each time, at most 4 times.", "RFC 7252 §4.2, §4.8"),
    // Methods and response codes (RFC 7252 §5.8, §5.9; RFC 7959 §2.9).
    t("GET", &[], "Read a resource. In LwM2M: Read, Discover (with Accept link-format) or Observe (with the Observe option).", "RFC 7252 §5.8.1"),
    t("POST", &[], "Ask a resource to act. In LwM2M: Register, a registration Update, or Execute.", "RFC 7252 §5.8.2"),
    t("PUT", &[], "Replace a resource's value. In LwM2M: Write, or Write-Attributes when only query options are sent.", "RFC 7252 §5.8.3"),
    t("DELETE", &[], "Remove a resource. In LwM2M: De-register.", "RFC 7252 §5.8.4"),
    t("2.01 Created", &["2.01", "Created"], "A new resource was made; after a Register, the Location-Path says where the registration lives.", "RFC 7252 §5.9.1.1"),
    t("2.02 Deleted", &["2.02", "Deleted"], "The resource is gone; after a De-register, the device is no longer registered.", "RFC 7252 §5.9.1.2"),
    t("2.04 Changed", &["2.04", "Changed"], "The request changed what it asked to: a Write, an Execute or a registration Update was accepted.", "RFC 7252 §5.9.1.4"),
    t("2.05 Content", &["2.05", "Content"], "The answer to a GET, with the value in the payload.", "RFC 7252 §5.9.1.5"),
    t("2.31 Continue", &["2.31", "Continue"], "A Block1 block was taken; send the next one.", "RFC 7959 §2.9.1"),
    t("4.00 Bad Request", &["4.00", "Bad Request"], "The request cannot be used as it is (a URI that does not parse, a bad attribute).", "RFC 7252 §5.9.2.1"),
    t("4.02 Bad Option", &["4.02", "Bad Option"], "The request carries a critical option the receiver does not understand.", "RFC 7252 §5.9.2.3"),
    t("4.04 Not Found", &["4.04", "Not Found"], "No such resource: a path the device does not have, a file the repository does not serve.", "RFC 7252 §5.9.2.5"),
    t("5.03 Service Unavailable", &["5.03", "Service Unavailable"], "Not now: the answerer cannot do it at the moment, and its Max-Age says after how many seconds to ask again. A device on a low battery refuses a download this way.", "RFC 7252 §5.9.3.4; SPEC BAT-2"),
    t("Max-Age", &[], "An option holding a number of seconds: how long a response stays fresh, and on a 5.03 how long to wait before asking again (60 when absent).", "RFC 7252 §5.10.5"),
    t("4.05 Method Not Allowed", &["4.05", "Method Not Allowed"], "The resource exists, but not for this operation, or not in this state (Execute Update while Idle).", "RFC 7252 §5.9.2.6"),
    t("4.06 Not Acceptable", &["4.06", "Not Acceptable"], "The receiver cannot answer in the content format the Accept option asks for.", "RFC 7252 §5.9.2.7"),
    t("4.08 Request Entity Incomplete", &["4.08", "Request Entity Incomplete"], "A Block1 block came out of order, or without the ones before it.", "RFC 7959 §2.9.2"),
    t("4.13 Request Entity Too Large", &["4.13", "Request Entity Too Large"], "The body or block is bigger than the receiver takes; Size1 or Block1 says what it can.", "RFC 7252 §5.9.2.9; RFC 7959 §2.9.3"),
    t("4.15 Unsupported Content-Format", &["4.15", "Unsupported Content-Format"], "The payload is in a format the receiver does not read.", "RFC 7252 §5.9.2.10"),
    t("5.00 Internal Server Error", &["5.00", "Internal Server Error"], "The receiver failed while handling a request it understood.", "RFC 7252 §5.9.3.1"),
    // Options.
    t("Uri-Host", &[], "The host a request is meant for, when one address serves several.", "RFC 7252 §5.10.1"),
    t("Uri-Path", &["uri", "path"], "The path of the resource, one option per segment: /5/0/1 is three options.", "RFC 7252 §5.10.1"),
    t("Uri-Query", &["query"], "Query parameters such as ep=sbx-001 in a Register or pmin=5 in a Write-Attributes.", "RFC 7252 §5.10.1"),
    t("Location-Path", &[], "Where a created resource lives: the registration's path /rd/2 in the answer to a Register.", "RFC 7252 §5.10.7"),
    t("Content-Format", &["ctype", "CF"], "The format of the payload, as a number: 0 text/plain, 40 link-format, 42 octet-stream, 112 SenML CBOR, 11542 TLV.", "RFC 7252 §5.10.3, §12.3"),
    t("Accept", &[], "The content format the requester wants the answer in.", "RFC 7252 §5.10.4"),
    t("Observe", &["Obs"], "In a GET, 0 asks to be told of every change and 1 stops that; in a notification, a sequence number.", "RFC 7641 §2"),
    t("notification", &[], "A response the server keeps sending after an Observe, each time the observed value changes.", "RFC 7641 §3.2"),
    t("Block1", &[], "The option that carries a request body in blocks: the server's PUSH of an image to /5/0/0.", "RFC 7959 §2.1"),
    t("Block2", &[], "The option that carries a response body in blocks: the device's PULL of an image from the repository.", "RFC 7959 §2.1"),
    t("NUM", &["block number"], "The number of a block, from 0; the block starts at NUM × its size. The sandbox uses all 20 bits.", "RFC 7959 §2.2"),
    t("M", &["more", "block_mflag"], "The \"more\" flag of a Block option: 1 while more blocks follow, 0 on the last.", "RFC 7959 §2.2"),
    t("SZX", &["block size"], "The block size exponent: a block holds 2^(SZX+4) bytes, so SZX 5 is 512 bytes and 6 is 1024.", "RFC 7959 §2.2"),
    t("ETag", &[], "A tag for one version of a resource: the device checks it on every block so it never joins two different images.", "RFC 7252 §5.10.6"),
    t("Size1", &[], "The size of a request body; in a 4.13, the largest the receiver takes.", "RFC 7959 §4"),
    t("Size2", &[], "The size of the whole response body, so the downloader knows how much is coming.", "RFC 7959 §4"),
    // Payload formats.
    t("text/plain", &[], "A value as text: \"2\" for State 2.", "RFC 7252 §12.3; OMA LwM2M TS Core §7.4.1"),
    t("link-format", &["CoRE Link Format", "application/link-format"], "A list of links such as </5>;ver=1.1,</5/0>: what objects a device has, in a Register or a Discover.", "RFC 6690"),
    t("TLV", &["LwM2M TLV", "application/vnd.oma.lwm2m+tlv"], "OMA's compact binary format: each resource as type, identifier, length and value, nested for instances.", "OMA LwM2M TS Core §7.4.3"),
    t("SenML", &["SenML JSON", "SenML CBOR", "application/senml+json", "application/senml+cbor"], "Sensor Measurement Lists: records of name and value, in JSON (110) or CBOR (112); LwM2M 1.1 and 1.2 clients answer in it.", "RFC 8428; OMA LwM2M TS Core §7.4.5"),
    t("opaque", &["octet-stream", "application/octet-stream"], "Raw bytes, such as the image written to /5/0/0.", "OMA LwM2M TS Core §7.4.2"),
    // LwM2M.
    t("LwM2M", &["Lightweight M2M"], "OMA's device management protocol over CoAP: a server reads, writes and executes a device's objects.", "OMA LwM2M TS Core"),
    t("Object", &[], "A group of resources with a number: /3 Device, /4 Connectivity Monitoring, /5 Firmware Update.", "OMA LwM2M TS Core §5.1"),
    t("Instance", &[], "One copy of an object: /5/0 is the first (and only) Firmware Update instance.", "OMA LwM2M TS Core §5.1"),
    t("Resource", &[], "One value of an instance, such as /5/0/3 State.", "OMA LwM2M TS Core §5.1"),
    t("Register", &[], "The device's first message: its endpoint name, lifetime and objects, sent to /rd.", "OMA LwM2M TS Core §6.2.1"),
    t("Registration Update", &[], "A POST to the registration's path that tells the server the device is still there, before its lifetime runs out.", "OMA LwM2M TS Core §6.2.2"),
    t("De-register", &[], "A DELETE of the registration: the device leaves.", "OMA LwM2M TS Core §6.2.3"),
    t("lifetime", &["lt"], "How long a registration lasts without an Update; then the server forgets the device.", "OMA LwM2M TS Core §6.2.1"),
    t("endpoint", &["ep"], "The device's name in its registration.", "OMA LwM2M TS Core §6.2.1"),
    t("Read", &[], "A GET of a path: the server asks for a value.", "OMA LwM2M TS Core §6.3.1"),
    t("Write", &[], "A PUT (or POST) of a value to a resource or instance.", "OMA LwM2M TS Core §6.3.3"),
    t("Execute", &[], "A POST to a resource that starts an action, such as /5/0/2 Update.", "OMA LwM2M TS Core §6.3.5"),
    t("Discover", &[], "A GET with Accept link-format: which resources and attributes a path has.", "OMA LwM2M TS Core §6.3.2"),
    t("Write-Attributes", &["pmin", "pmax", "gt", "st"], "A PUT with only query options that says when to notify: pmin/pmax seconds between notifications, gt/lt/st thresholds.", "OMA LwM2M TS Core §5.1.2, §6.3.4"),
    // Object 5.
    t("/5/0/0 Package", &["Package"], "The resource a PUSH writes the image to, in Block1 blocks.", "OMA Object 5, resource 0"),
    t("/5/0/1 Package URI", &["Package URI"], "The address the device fetches the image from (PULL); an empty write cancels.", "OMA Object 5, resource 1"),
    t("/5/0/2 Update", &[], "Execute it to install the downloaded image.", "OMA Object 5, resource 2"),
    t("/5/0/3 State", &["State"], "Where the update is: 0 Idle, 1 Downloading, 2 Downloaded, 3 Updating.", "OMA Object 5, resource 3"),
    t("/5/0/5 Update Result", &["Update Result", "Result"], "How the last update attempt went: 0 initial, 1 success, 2 to 11 a reason it did not.", "OMA Object 5, resource 5"),
    t("/5/0/8 Protocol Support", &[], "Which download protocols the device has (0 is CoAP).", "OMA Object 5, resource 8"),
    t("/5/0/9 Delivery Method", &[], "Whether the device takes PULL (0), PUSH (1) or both (2).", "OMA Object 5, resource 9"),
    t("/5/0/10 Cancel", &["Cancel"], "Execute it to stop a download or drop a downloaded image (Result 10).", "OMA Object 5 (1.1), resource 10"),
    t("PULL", &[], "The device fetches the image itself from the Package URI.", "OMA Object 5; SPEC FU-T2"),
    t("PUSH", &[], "The server writes the image to /5/0/0.", "OMA Object 5; SPEC FU-T1"),
    t("/4/0/2 Radio Signal Strength", &["signal"], "The signal in dBm; the server waits for a good one before a PUSH.", "OMA Object 4, resource 2; SPEC SRV-3"),
    t("/4/0/3 Link Quality", &["link quality"], "A measure of the link from the device's radio; also gates a PUSH.", "OMA Object 4, resource 3; SPEC SRV-3"),
    t("/3/0/3 Firmware Version", &["Firmware Version"], "The version of the image that is running; after a good update, the new one.", "OMA Object 3, resource 3"),
    // The bootloader (MCUboot's design).
    t("bootloader", &["MCUboot"], "The first code that runs at power-on: it checks the images in flash and decides which one to start.", "MCUboot docs/design.md"),
    t("primary slot", &["primary"], "The flash area the device runs its image from.", "MCUboot docs/design.md, Image slots"),
    t("secondary slot", &["secondary"], "The flash area a new image is downloaded into before it is installed.", "MCUboot docs/design.md, Image slots"),
    t("sector", &[], "The smallest part of flash that can be erased (4 KiB here); a byte must be erased before it is written again.", "MCUboot docs/design.md; SPEC BOOT-3"),
    t("swap-move", &[], "Install by swapping the two images sector by sector, so an image that does not confirm itself can be swapped back.", "MCUboot docs/design.md, Swap using offset / move"),
    t("overwrite", &["overwrite-only"], "Install by copying the new image over the old one: quicker, but there is no way back.", "MCUboot docs/design.md, Overwrite-only"),
    t("TEST", &["test swap"], "A swap for one boot only: unless the new image confirms itself, the next boot swaps back.", "MCUboot docs/design.md, Swap types"),
    t("PERMANENT", &["PERM"], "A swap that stays: the new image is already confirmed.", "MCUboot docs/design.md, Swap types"),
    t("REVERT", &[], "The swap back to the old image, because the new one never confirmed itself.", "MCUboot docs/design.md, Swap types"),
    t("trailer", &["image trailer"], "The last part of a slot, where the bootloader records what it is doing: magic, swap state, image_ok, copy_done.", "MCUboot docs/design.md, Image trailer"),
    t("magic", &["boot magic"], "16 fixed bytes that make a slot's trailer count: in the secondary they ask for an upgrade, in the primary they record the swap the bootloader did there. Written last, so a half-written trailer does not count.", "MCUboot docs/design.md, Image trailer"),
    t("image_ok", &[], "The trailer flag the running image sets to confirm itself; without it, a TEST image is reverted at the next boot.", "MCUboot docs/design.md, Image trailer"),
    t("copy_done", &[], "The trailer flag that says the swap finished copying.", "MCUboot docs/design.md, Image trailer"),
    t("swap status", &[], "Records in the trailer of each sector the swap has moved, so a power cut in the middle resumes where it stopped.", "MCUboot docs/design.md, Swap status"),
    t("confirm", &[], "The new image, once it runs well (here: after it registers), marks itself good by setting image_ok.", "MCUboot docs/design.md; SPEC BOOT-6"),
    t("bricked", &[], "A device that can never run an image for good again: nothing bootable, or an image that fails at every boot with no other to go back to (an overwrite-only bootloader keeps none). Only a visit with a cable saves it.", "SPEC SRV-8; MCUboot docs/design.md, Overwrite-only"),
    t("succeeded (late)", &["late success"], "The server had said the campaign failed, then the device proved the update (Update Result 1 and the new version): the verdict follows the device.", "SPEC SRV-9"),
    t("watchdog", &[], "A timer that resets the device when the firmware hangs or crashes; for a TEST image, the reset leads to the revert.", "SPEC BOOT-2"),
    t("image header", &[], "The first 32 bytes of an image: magic, sizes and the version.", "MCUboot docs/design.md, Image format"),
    t("manifest", &[], "A small signed record at the start of the sandbox's image body that says how the firmware behaves once booted: healthy, crashing, hanging or failing its health check.", "SPEC BOOT-2"),
    t("image TLVs", &["protected TLVs"], "The records after the image body: the hash, the key hash, the signature, and (protected by the signature) the security counter.", "MCUboot docs/design.md, Image format"),
    t("SHA-256", &["hash", "integrity"], "The digest of header and body: any changed bit gives another one, so the check shows the image is intact.", "FIPS 180-4; MCUboot image TLV 0x10"),
    t("KEYHASH", &["key hash"], "The hash of the public key that signed the image: the bootloader checks it is a key it trusts.", "MCUboot image TLV 0x01"),
    t("signature", &["Ed25519", "authenticity"], "The vendor's Ed25519 signature over the image's digest: it shows who made the image.", "RFC 8032; MCUboot image TLV 0x24"),
    t("security counter", &["SEC_CNT"], "A number in the image that may only go up, kept in NV flash once an image is confirmed, so an old, vulnerable image cannot be installed again.", "MCUboot docs/design.md, Downgrade prevention; SPEC BOOT-7"),
    t("NV flash", &["non-volatile"], "Storage that keeps its contents without power: the slots and the security counter.", "SPEC FU-P1"),
    // The sandbox itself.
    t("seed", &[], "The number every random choice of a run is drawn from (which datagrams a lossy link loses, the first message ID): the same scenario and seed give the same run, byte for byte.", "the sandbox's specification"),
    t("queue mode", &["Q", "sleeping device"], "An LwM2M client that sleeps with its radio off between its messages: it says so when it registers, stays awake for a while after each datagram, and the server holds its requests until it next speaks.", "OMA LwM2M 1.1 Core, Queue Mode; SPEC Q-1, Q-2, Q-3"),
    t("PSM", &["Power Saving Mode"], "LTE's deep sleep: the modem is off and cannot be reached, drawing a few µA, until the device has something to send.", "3GPP TS 24.301; nRF9160 Product Specification"),
    t("air time", &["airtime"], "How long the radio sends or receives: a datagram's bytes at the link's rate, plus a fixed time per datagram for the radio's own signalling. It is what the radio's energy follows.", "the sandbox's energy model (docs/energy.md)"),
    t("Battery Level", &["/3/0/9"], "The device's charge in percent. Here it falls as the device spends energy and rises on a charger, and below a threshold the device puts off a download or an update.", "OMA object 3, resource 9; SPEC BAT-1, BAT-2"),
    t("moment", &["boot step"], "A step of the run between two datagrams: a reset, a decision or sector step of the bootloader, an image crashing. The ladder shows it in the device's lane, without a number.", "the sandbox's specification, BOOT-4"),
];

/// What a term means, found by its name or another spelling, in any case; a rule id (`FU-T9`)
/// or a state diagram label (`T9`) reads from the rule table.
pub fn lookup(term: &str) -> Option<Explained> {
    let wanted = term.trim();
    if let Some(t) = TERMS.iter().find(|t| {
        t.term.eq_ignore_ascii_case(wanted) || t.also.iter().any(|a| a.eq_ignore_ascii_case(wanted))
    }) {
        return Some(Explained {
            term: t.term,
            meaning: t.meaning,
            source: t.source,
        });
    }
    let rule = rule_id(wanted)?;
    Some(Explained {
        term: rule,
        meaning: rules::meaning(rule)?,
        source: "the sandbox's specification",
    })
}

/// The terms a ladder label uses (its type, code, options such as Block2 or Obs, rule ids),
/// each once, in the order they appear: what the row's tooltip explains.
pub fn words_in(label: &str) -> Vec<Explained> {
    let mut found: Vec<Explained> = Vec::new();
    // The label's words, without the punctuation around them ("[FU-T2]", "Block2:").
    let words = label
        .split(|c: char| c.is_whitespace() || matches!(c, '[' | ']' | '(' | ')' | ',' | ';' | ':'))
        .filter(|w| !w.is_empty());
    for w in words {
        // Paths, values and numbers of blocks are no terms; codes (2.05) and ids are.
        if w.starts_with('/') || w.starts_with('"') || w.parse::<u64>().is_ok() {
            continue;
        }
        if let Some(e) = lookup(w) {
            if !found.iter().any(|f| f.term == e.term) {
                found.push(e);
            }
        }
    }
    found
}

/// A rule id as written, or the id behind a label of the state diagram ("T9" is FU-T9).
fn rule_id(text: &str) -> Option<&'static str> {
    if let Some(r) = rules::RULES
        .iter()
        .find(|r| r.id.eq_ignore_ascii_case(text))
    {
        return Some(r.id);
    }
    TABLE
        .iter()
        .find(|t| t.short().eq_ignore_ascii_case(text))
        .map(|t| t.rule)
}

/// A term with its meaning and source, whichever table it came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Explained {
    pub term: &'static str,
    pub meaning: &'static str,
    pub source: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;
    use fota_lwm2m::transitions::edges;

    #[test]
    fn every_rule_a_term_cites_is_one_the_sandbox_has() {
        for t in TERMS {
            for id in t.source.split([' ', ';', ',']) {
                if id.contains('-')
                    && id.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                    && id.chars().last().is_some_and(|c| c.is_ascii_digit())
                {
                    assert!(rules::meaning(id).is_some(), "{} cites {id}", t.term);
                }
            }
        }
    }

    #[test]
    fn a_ladder_label_has_its_words_explained_once_each() {
        let words = words_in("ACK 2.05 Content  Block2 3/1/512 — firmware block 3 [SRV-6]");
        let terms: Vec<&str> = words.iter().map(|e| e.term).collect();
        assert_eq!(
            terms,
            ["ACK", "2.05 Content", "Block2", "SRV-6"],
            "{words:?}"
        );
        assert!(words_in("CON PUT /5/0/1").iter().any(|e| e.term == "CON"));
    }

    #[test]
    fn every_term_has_a_meaning_and_a_source_and_no_spelling_is_taken_twice() {
        let mut seen = Vec::new();
        for t in TERMS {
            assert!(
                t.meaning.len() > 20 && t.meaning.ends_with('.'),
                "{}",
                t.term
            );
            assert!(!t.source.is_empty(), "{}", t.term);
            for name in std::iter::once(&t.term).chain(t.also) {
                let key = name.to_ascii_lowercase();
                assert!(!seen.contains(&key), "{name} is in the glossary twice");
                seen.push(key);
            }
        }
    }

    #[test]
    fn the_terms_the_issue_lists_are_all_explained() {
        for term in [
            "CON",
            "ACK",
            "2.04",
            "Obs",
            "Token",
            "Block2",
            "SZX",
            "TLV",
            "swap-move",
            "magic",
            "image_ok",
            "copy_done",
            "NUM",
            "M",
            "ETag",
            "Size2",
            "SenML",
            "link-format",
            "Package URI",
            "overwrite",
            "TEST",
            "REVERT",
            "PERMANENT",
            "trailer",
            "security counter",
            "SEC_CNT",
            "KEYHASH",
            "MID",
            "2.31",
            "4.13",
            "Continue",
        ] {
            assert!(lookup(term).is_some(), "{term} is not explained");
        }
    }

    #[test]
    fn every_rule_and_every_label_of_the_state_diagram_explains_itself() {
        for r in rules::RULES {
            assert_eq!(lookup(r.id).map(|e| e.meaning), Some(r.meaning));
        }
        for e in edges() {
            for label in e.label().split(' ') {
                let explained = lookup(label).unwrap_or_else(|| panic!("{label}"));
                assert!(
                    explained.term.ends_with(label),
                    "{label} -> {}",
                    explained.term
                );
            }
        }
    }

    #[test]
    fn every_response_code_and_option_the_explainer_names_is_a_term() {
        use fota_coap::message::option_name;
        for number in [3u16, 4, 6, 8, 11, 12, 14, 15, 17, 23, 27, 28, 60] {
            let name = option_name(number);
            assert!(lookup(name).is_some(), "option {name}");
        }
        for code in [
            "2.01", "2.02", "2.04", "2.05", "2.31", "4.00", "4.04", "4.05", "4.08", "4.13", "5.03",
        ] {
            assert!(lookup(code).is_some(), "code {code}");
        }
    }
}
