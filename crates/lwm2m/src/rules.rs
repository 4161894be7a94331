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
        id: "FU-T2",
        meaning: "Idle + a Package URI whose scheme the device supports: State goes to Downloading at once, Result to 0, answer 2.04.",
    },
    Rule {
        id: "FU-T5",
        meaning: "Downloading + the complete image passes pre-validation: State goes to Downloaded.",
    },
    Rule {
        id: "FU-T9",
        meaning: "Downloaded + Execute Update: answer 2.04, State goes to Updating (Result 0), then the device reboots.",
    },
    Rule {
        id: "FU-T11",
        meaning: "Updating + the new image boots and confirms itself: State Idle, Result 1, new /3/0/3, and a new Register.",
    },
    Rule {
        id: "FU-P1",
        meaning: "State and Result survive a reboot: the device persists them before it reboots.",
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
