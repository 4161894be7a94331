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
        id: "FU-D2",
        meaning: "An image larger than the secondary slot, or a failed flash write, ends the download with Result 2.",
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
];

pub fn meaning(id: &str) -> Option<&'static str> {
    RULES.iter().find(|r| r.id == id).map(|r| r.meaning)
}

#[cfg(test)]
mod tests {
    use super::*;

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
