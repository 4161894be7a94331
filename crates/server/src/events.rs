//! What the server reports besides datagrams, as typed facts: each change of the campaign's
//! phase with the rule that made it, and lines for its log.

use crate::campaign::CampaignPhase;
use core::fmt;
use fota_lwm2m::Fact;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum ServerEvent {
    /// The campaign moved to `phase`. `sent_before` counts the datagrams this same input
    /// emitted before the change, so the trace can place it between two messages.
    Phase {
        phase: CampaignPhase,
        rule: Option<&'static str>,
        sent_before: usize,
    },
    /// A line for the log, with the rule it follows.
    Log {
        text: String,
        rule: Option<&'static str>,
    },
}

impl Fact for ServerEvent {
    fn rule(&self) -> Option<&'static str> {
        match self {
            ServerEvent::Phase { rule, .. } | ServerEvent::Log { rule, .. } => *rule,
        }
    }
}

impl fmt::Display for ServerEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServerEvent::Phase { phase, .. } => write!(f, "campaign: {phase}"),
            ServerEvent::Log { text, .. } => f.write_str(text),
        }
    }
}
