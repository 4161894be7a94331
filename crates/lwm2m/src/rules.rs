//! The SPEC.md rules that the code implements, each with its meaning in one line. The explainer,
//! the CLI and the UI cite rules by id and read their meaning from here.

pub struct Rule {
    pub id: &'static str,
    pub meaning: &'static str,
}

pub const RULES: &[Rule] = &[
    Rule {
        id: "OBJ-1",
        meaning: "The device registers with lwm2m=1.1, b=U, its lifetime, and a link-format list of its instances with </5>;ver=1.1.",
    },
    Rule {
        id: "OBJ-2",
        meaning: "The Security object /0 is never listed in a Register.",
    },
    Rule {
        id: "FU-T1",
        meaning: "Idle + the first block of an image written to /5/0/0: State goes to Downloading, Result to 0.",
    },
    Rule {
        id: "FU-T2",
        meaning: "Idle + a Package URI whose scheme the device supports: State goes to Downloading at once, Result to 0, answer 2.04.",
    },
    Rule {
        id: "FU-T3",
        meaning: "Idle + a Package URI with a scheme the device does not list in /5/0/8: stays Idle, Result 9, answer 4.00.",
    },
    Rule {
        id: "FU-T4",
        meaning: "Idle + a Package URI that does not parse: stays Idle, Result 7, answer 4.00.",
    },
    Rule {
        id: "FU-T5",
        meaning: "Downloading + the complete image passes pre-validation: State goes to Downloaded.",
    },
    Rule {
        id: "FU-T6",
        meaning: "Downloading + the download fails: State goes back to Idle with the failure's Result (2 to 7).",
    },
    Rule {
        id: "FU-T7",
        meaning: "Downloading or Downloaded + an empty URI or a single 0x00 byte written: back to Idle, image deleted, Result 0.",
    },
    Rule {
        id: "FU-T8",
        meaning: "Downloading or Downloaded + Execute Cancel: back to Idle, image deleted, Result 10.",
    },
    Rule {
        id: "FU-T9",
        meaning: "Downloaded + Execute Update: answer 2.04, State goes to Updating (Result 0), then the device reboots.",
    },
    Rule {
        id: "FU-T10",
        meaning: "Downloaded + Execute Update while the user defers: stays Downloaded with Result 11; the update starts when the defer period ends.",
    },
    Rule {
        id: "BAT-1",
        meaning: "Downloaded + Execute Update while the battery is below the level the device needs for an update: stays Downloaded with Result 11 (deferred), and the update starts by itself once the battery is back at that level.",
    },
    Rule {
        id: "BAT-2",
        meaning: "Idle + a Package URI or the first PUSH block while the battery is below the level the device needs for a download: refused with 5.03 Service Unavailable and a Max-Age saying when to ask again; State stays Idle and Update Result does not change, since no download began.",
    },
    Rule {
        id: "BAT-3",
        meaning: "The server answered 5.03 with Max-Age when it asked for a download waits that many seconds (60 without Max-Age) and delivers again; the campaign's own deadline still bounds the wait.",
    },
    Rule {
        id: "Q-1",
        meaning: "A client in queue mode says so when it registers: the Q parameter from LwM2M 1.1 on, a Q in the binding (b=UQ) in 1.0.",
    },
    Rule {
        id: "Q-2",
        meaning: "A queue-mode client stays awake for MAX_TRANSMIT_WAIT (93 s) after the last datagram it sent or received, then sleeps with its radio off; whatever it has to send wakes it, and a download keeps it awake.",
    },
    Rule {
        id: "Q-3",
        meaning: "The server sends to a queue-mode client only while it is awake, and holds its requests until the client next sends a datagram (its registration Update, a notification).",
    },
    Rule {
        id: "FU-T11",
        meaning: "Updating + the new image boots and confirms itself: State Idle, Result 1, new /3/0/3, and a new Register.",
    },
    Rule {
        id: "FU-T12",
        meaning: "Updating + the upgrade request cannot be written to flash: back to Downloaded with Result 8.",
    },
    Rule {
        id: "FU-T13",
        meaning: "Updating + the bootloader rejects the new image: Idle on the old version, Result 5.",
    },
    Rule {
        id: "FU-T14",
        meaning: "Updating + the new image never confirms and the bootloader reverts it: Idle on the old version, Result 8.",
    },
    Rule {
        id: "FU-T15",
        meaning: "Idle + an empty URI or a single 0x00 byte written: stays Idle, Result 0, answer 2.04.",
    },
    Rule {
        id: "FU-R1",
        meaning: "Execute Update is refused with 4.05 in Idle, Downloading and Updating; nothing changes.",
    },
    Rule {
        id: "FU-R2",
        meaning: "Execute Cancel is refused with 4.05 in Idle and Updating; nothing changes.",
    },
    Rule {
        id: "FU-R3",
        meaning: "Any write to /5/0/0 or /5/0/1 is refused with 4.05 while Updating.",
    },
    Rule {
        id: "FU-R4",
        meaning: "A new image or a non-empty URI is refused with 4.00 while Downloading or Downloaded.",
    },
    Rule {
        id: "FU-R5",
        meaning: "Reading /5/0/0 Package is refused with 4.05 in every state.",
    },
    Rule {
        id: "FU-P1",
        meaning: "State and Result survive a reboot: the device persists them before it reboots.",
    },
    Rule {
        id: "FU-P2",
        meaning: "After a reboot mid-download a PULL resumes from the block kept in NV flash if the ETag is unchanged, else restarts from 0; a PUSH cut by a reboot ends Idle with Result 4.",
    },
    Rule {
        id: "FU-D2",
        meaning: "An image larger than the secondary slot, or a failed flash write, ends the download with Result 2.",
    },
    Rule {
        id: "FU-D3",
        meaning: "A server that insists on blocks larger than the device's download buffer ends the download with Result 3.",
    },
    Rule {
        id: "FU-D4",
        meaning: "Retransmissions exhausted or the link down past the timeout ends the download with Result 4.",
    },
    Rule {
        id: "FU-D5",
        meaning: "A complete image whose hash or signature is wrong ends the download with Result 5.",
    },
    Rule {
        id: "FU-D6",
        meaning: "Bytes that are not one of our images, or an image not newer than the running one, end the download with Result 6.",
    },
    Rule {
        id: "FU-D7",
        meaning: "The repository answers 4.04 or its host does not resolve: the download ends with Result 7.",
    },
    Rule {
        id: "BW-1",
        meaning: "PUSH blocks are put together by resource path and peer, not by token: a new token per block is legal.",
    },
    Rule {
        id: "BW-2",
        meaning: "A block that arrives twice is acknowledged again and written once.",
    },
    Rule {
        id: "BW-3",
        meaning: "A block out of order gets 4.08 Request Entity Incomplete.",
    },
    Rule {
        id: "BW-4",
        meaning: "Block number 0 restarts a PUSH in progress.",
    },
    Rule {
        id: "BW-6",
        meaning: "The PULL downloader checks that ETag and Size2 stay the same on every block.",
    },
    Rule {
        id: "BW-7",
        meaning: "Block numbers use all 20 bits of the Block option.",
    },
    Rule {
        id: "BW-8",
        meaning: "A GET without Block2 for a body larger than one block gets block 0 with a Block2 option.",
    },
    Rule {
        id: "SRV-1",
        meaning: "After a Register the server reads the firmware version and observes the firmware state.",
    },
    Rule {
        id: "SRV-2",
        meaning: "After every new Register of the same endpoint the server observes again.",
    },
    Rule {
        id: "SRV-3",
        meaning: "PUSH only while /4/0/2 is above the threshold and /4/0/3 at least its minimum; otherwise the server observes /4/0/2 with gt and waits, and uses PULL when the device cannot take a PUSH.",
    },
    Rule {
        id: "SRV-4",
        meaning: "Every phase has a timeout: with no news the server polls the device with a Read, and sends an unanswered request again as a new exchange.",
    },
    Rule {
        id: "SRV-5",
        meaning: "A campaign succeeds only when /5/0/5 is 1 and /3/0/3 is the new version.",
    },
    Rule {
        id: "SRV-6",
        meaning: "The repository serves each image with Block2, ETag and Size2, and 4.04 for unknown paths.",
    },
    Rule {
        id: "SRV-7",
        meaning: "The server takes Registers from LwM2M 1.0, 1.1 and 1.2 clients; another version gets 4.12.",
    },
    Rule {
        id: "SRV-8",
        meaning: "Every campaign ends with a verdict: each phase has a deadline, and after Execute Update a device that does not register again within update_timeout_s fails the campaign as \"did not come back\".",
    },
    Rule {
        id: "SRV-9",
        meaning: "The verdict follows the device: Update Result 1 and the expected version after a failure turn it into \"succeeded (late)\"; a device seen in Downloaded is told to update again.",
    },
    Rule {
        id: "SRV-10",
        meaning: "A server that gives up leaves the device Idle: Cancel in Downloading or Downloaded, the reset write of FU-T7 otherwise, and it logs why.",
    },
    Rule {
        id: "SRV-11",
        meaning: "Operator requests never end a campaign: their answers and timeouts go to the log.",
    },
    Rule {
        id: "SRV-12",
        meaning: "The server reads TLV, SenML JSON, SenML CBOR, plain CBOR and plain text answers; an answer it cannot decode, or a 4.06, is logged and asked again with an Accept of the format the client is surest to have.",
    },
    Rule {
        id: "SRV-13",
        meaning: "Any package can be delivered: success is proved by the image's version, the operator's expected version, or else Update Result 1 after the new Register.",
    },
    Rule {
        id: "SRV-14",
        meaning: "Over real UDP, every start opens with random message ids and tokens (RFC 7252 §4.4), so no peer's cache replays an old run.",
    },
    Rule {
        id: "REG-1",
        meaning: "A registration Update that fails is followed by a new Register; a failed Register is tried again with backoff, for ever, so the device never goes silent.",
    },
    Rule {
        id: "OBJ-7",
        meaning: "A read asking for a Content-Format the device cannot produce gets 4.06 Not Acceptable.",
    },
    Rule {
        id: "BW-5",
        meaning: "When the receiver answers the first block with a smaller block size, the sender goes on at that size.",
    },
    Rule {
        id: "BOOT-1",
        meaning: "Images use MCUboot's format byte for byte: header, protected SEC_CNT, SHA-256, key hash and an Ed25519 signature over the digest.",
    },
    Rule {
        id: "BOOT-2",
        meaning: "The payload starts with a signed manifest saying how the firmware behaves when booted, so a signed image can still be broken.",
    },
    Rule {
        id: "BOOT-3",
        meaning: "Flash has sectors, a write alignment and an erased value; a byte must be erased before it is written; power can be cut before any operation.",
    },
    Rule {
        id: "BOOT-5",
        meaning: "The device checks the complete download before Downloaded; the bootloader checks the new image again before every upgrade and the primary before every boot.",
    },
    Rule {
        id: "BOOT-7",
        meaning: "The security counter in NV flash only moves up, and only when an image is confirmed.",
    },
    Rule {
        id: "BOOT-8",
        meaning: "Every write alignment the format accepts (1 to 16) and both erased values work: trailer fields are padded to the alignment, as MCUboot pads them.",
    },
    Rule {
        id: "BOOT-I1",
        meaning: "A power cut before any flash operation of an upgrade, then clean boots: a correctly signed image boots, the old or the new one.",
    },
    Rule {
        id: "BOOT-I2",
        meaning: "One clean boot after a cut finishes the work; the boot after it does no flash operation.",
    },
    Rule {
        id: "BOOT-I3",
        meaning: "After an upgrade the primary slot holds the new image byte for byte.",
    },
    Rule {
        id: "BOOT-4",
        meaning: "Two strategies: swap-move with revert (the default) and overwrite-only, which cannot go back.",
    },
    Rule {
        id: "BOOT-6",
        meaning: "Execute Update asks for a TEST upgrade; the new image confirms itself only after registering; a reset before that swaps the old image back.",
    },
    Rule {
        id: "BOOT-I4",
        meaning: "An unconfirmed TEST image is swapped back, also when the power is cut during the swap or the revert.",
    },
    Rule {
        id: "BOOT-I5",
        meaning: "Every tampered image (bit flips in header, TLVs, hash, signature, payload; unknown key; downgrade) is refused and the primary stays untouched.",
    },
    Rule {
        id: "BOOT-I6",
        meaning: "The boot decision depends on the flash contents alone.",
    },
];

/// The table as Markdown, for docs/RULES.md.
pub fn markdown() -> String {
    let mut out = String::from("# Rules the sandbox implements\n\n");
    out.push_str(
        "Each id is a rule of SPEC.md; the meaning is ours. The UI and the CLI's trace cite\n",
    );
    out.push_str("these ids. Generated by `fota-sandbox rules > docs/RULES.md`.\n\n");
    out.push_str("| id | meaning |\n|---|---|\n");
    for r in RULES {
        out.push_str(&format!("| {} | {} |\n", r.id, r.meaning));
    }
    out
}

pub fn meaning(id: &str) -> Option<&'static str> {
    RULES.iter().find(|r| r.id == id).map(|r| r.meaning)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every Rust source of the workspace's crates: (path, text).
    fn sources() -> Vec<(std::path::PathBuf, String)> {
        let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut files = vec![crates];
        let mut out = Vec::new();
        while let Some(path) = files.pop() {
            if path.is_dir() {
                for entry in std::fs::read_dir(&path).unwrap().flatten() {
                    files.push(entry.path());
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                out.push((path, text));
            }
        }
        out
    }

    /// The test code of a source: all of a file under `tests/`, else what follows
    /// `#[cfg(test)]`.
    fn test_code(path: &std::path::Path, text: &str) -> String {
        let in_tests_dir = path.components().any(|c| c.as_os_str() == "tests");
        match text.find("#[cfg(test)]") {
            _ if in_tests_dir => text.to_string(),
            Some(at) => text[at..].to_string(),
            None => String::new(),
        }
    }

    /// Letters and digits only, lower case: "FU-T13" and `fu_t13_...` both become "fut13".
    fn squash(text: &str) -> String {
        text.chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect()
    }

    /// Every /5 transition and refusal, block-wise and server rule is named by a test, in its
    /// name, a comment or a string, so that each has at least one check on record.
    #[test]
    fn every_fu_bw_and_srv_rule_is_named_by_a_test() {
        let tests: String = sources()
            .iter()
            .map(|(p, t)| squash(&test_code(p, t)))
            .collect();
        let named = |id: &str| {
            let want = squash(id);
            tests.match_indices(&want).any(|(at, _)| {
                // "fut1" must not be found inside "fut13".
                !tests[at + want.len()..].starts_with(|c: char| c.is_ascii_digit())
            })
        };
        let missing: Vec<&str> = RULES
            .iter()
            .map(|r| r.id)
            .filter(|id| matches!(id.split('-').next(), Some("FU" | "BW" | "SRV" | "REG")))
            .filter(|id| !named(id))
            .collect();
        assert!(missing.is_empty(), "no test names {missing:?}");
    }

    /// Every rule id the code cites (a string literal such as "FU-T9") has its meaning here.
    #[test]
    fn every_rule_cited_in_the_code_is_in_the_table() {
        let mut cited = Vec::new();
        for (path, text) in sources() {
            {
                for piece in text.split('"').skip(1).step_by(2) {
                    let is_id = ["OBJ-", "FU-", "BW-", "SRV-", "BOOT-", "REG-"]
                        .iter()
                        .any(|p| piece.starts_with(p) && piece.len() <= 8 && !piece.contains(' '));
                    if is_id {
                        cited.push((piece.to_string(), path.display().to_string()));
                    }
                }
            }
        }
        assert!(cited.len() > 20);
        for (id, file) in cited {
            assert!(
                meaning(&id).is_some(),
                "{id} is cited in {file} but has no meaning in RULES"
            );
        }
    }

    #[test]
    fn ids_are_unique_and_meanings_present() {
        for (i, r) in RULES.iter().enumerate() {
            assert!(!r.meaning.is_empty());
            assert!(
                RULES[i + 1..].iter().all(|o| o.id != r.id),
                "{} twice",
                r.id
            );
        }
        assert!(meaning("FU-T9").is_some());
    }
}
