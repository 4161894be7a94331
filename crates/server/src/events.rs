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
    /// The server sent a request because `rule` says so; `sent_before` as for `Phase` places
    /// it on its row.
    Sent {
        rule: &'static str,
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
            ServerEvent::Sent { rule, .. } => Some(rule),
        }
    }

    /// A request sent says nothing of its own in the log: the ladder shows it.
    fn is_quiet(&self) -> bool {
        matches!(self, ServerEvent::Sent { .. })
    }
}

impl fmt::Display for ServerEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServerEvent::Phase { phase, .. } => write!(f, "campaign: {phase}"),
            ServerEvent::Log { text, .. } => f.write_str(text),
            ServerEvent::Sent { rule, .. } => write!(f, "request sent by {rule}"),
        }
    }
}
