use core::fmt;
use serde::{Deserialize, Serialize};

/// How the image reaches the device: the device fetches it from the Package URI (PULL), or the
/// server writes it to /5/0/0 in Block1 blocks (PUSH).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Delivery {
    #[default]
    Pull,
    Push,
}

impl Delivery {
    pub fn parse(text: &str) -> Option<Delivery> {
        match text {
            "pull" => Some(Delivery::Pull),
            "push" => Some(Delivery::Push),
            _ => None,
        }
    }
}

/// What the operator asked for: which image to deliver and how, and which version proves
/// success.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignConfig {
    pub package_uri: String,
    /// The version /3/0/3 must show after the update: the image's own when the server can
    /// read it, the operator's otherwise; None when neither is known, and Update Result 1
    /// after the new Register proves the update (SRV-13).
    pub target_version: Option<String>,
    /// The delivery the operator prefers; the device's /5/0/9 may force the other (SRV-3).
    pub method: Delivery,
    /// The image a PUSH writes to /5/0/0 (shared: clones of a world do not copy it).
    #[serde(skip)]
    pub image: std::sync::Arc<Vec<u8>>,
    pub push_block_size: usize,
    /// Keep `push_block_size` when the device asks for smaller blocks (a server that does not
    /// renegotiate: the device ends with Result 3).
    pub push_insists_on_block_size: bool,
    /// PUSH only while /4/0/2 is above this (dBm) ...
    pub push_min_signal_dbm: Option<i64>,
    /// ... and /4/0/3 at least this (SRV-3).
    pub push_min_link_quality: Option<i64>,
    /// With no news from the device for this long, the server polls it with a Read (SRV-4).
    pub phase_timeout_s: u64,
    /// After Execute Update, how long the server waits for the device to register again
    /// before the campaign fails (SRV-8).
    pub update_timeout_s: u64,
    /// How long a queue-mode client stays awake after its last datagram: the server sends to
    /// it only within that time and holds its requests otherwise.
    pub queue_awake_ms: u64,
}

impl CampaignConfig {
    /// A PULL campaign with the defaults.
    pub fn pull(package_uri: &str, target_version: &str) -> CampaignConfig {
        CampaignConfig {
            package_uri: package_uri.to_string(),
            target_version: Some(target_version.to_string()),
            method: Delivery::Pull,
            image: Default::default(),
            push_block_size: 1024,
            push_insists_on_block_size: false,
            push_min_signal_dbm: None,
            push_min_link_quality: None,
            phase_timeout_s: 60,
            update_timeout_s: 300,
            queue_awake_ms: fota_coap::params::MAX_TRANSMIT_WAIT_MS,
        }
    }

    /// Whether /4 values this good allow a PUSH.
    pub fn radio_allows_push(&self, signal_dbm: Option<i64>, link_quality: Option<i64>) -> bool {
        let meets = |min: Option<i64>, v: Option<i64>, enough: fn(i64, i64) -> bool| match (min, v)
        {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(m), Some(v)) => enough(v, m),
        };
        // The signal above its floor, the quality at least its minimum: compared as they
        // are, since a scenario file may set any i64 (a minimum of i64::MIN has no `- 1`).
        meets(self.push_min_signal_dbm, signal_dbm, |v, m| v > m)
            && meets(self.push_min_link_quality, link_quality, |v, m| v >= m)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CampaignPhase {
    WaitingForDevice,
    /// Reading the device's version and subscribing to its firmware state.
    Preparing,
    /// PUSH is chosen but the radio is too weak: watching /4/0/2 until it is good (SRV-3).
    WaitingForSignal,
    /// The server writes the image to /5/0/0.
    Pushing,
    /// The device fetches the image from the Package URI.
    Downloading,
    Updating,
    /// The device registered again after the update; checking Result and version.
    Verifying,
    Succeeded,
    /// The device proved the update after the campaign had said it failed, and why it had
    /// (SRV-9).
    SucceededLate(String),
    Failed(String),
}

impl CampaignPhase {
    pub fn is_over(&self) -> bool {
        matches!(
            self,
            CampaignPhase::Succeeded | CampaignPhase::SucceededLate(_) | CampaignPhase::Failed(_)
        )
    }

    /// The verdict is success, on time or late.
    pub fn is_success(&self) -> bool {
        matches!(
            self,
            CampaignPhase::Succeeded | CampaignPhase::SucceededLate(_)
        )
    }

    /// A short name for scenario files and the UI.
    pub fn name(&self) -> &'static str {
        match self {
            CampaignPhase::WaitingForDevice => "waiting-for-device",
            CampaignPhase::Preparing => "preparing",
            CampaignPhase::WaitingForSignal => "waiting-for-signal",
            CampaignPhase::Pushing => "pushing",
            CampaignPhase::Downloading => "downloading",
            CampaignPhase::Updating => "updating",
            CampaignPhase::Verifying => "verifying",
            CampaignPhase::Succeeded => "succeeded",
            CampaignPhase::SucceededLate(_) => "succeeded-late",
            CampaignPhase::Failed(_) => "failed",
        }
    }

    /// The image is on its way to the device, by either delivery.
    pub fn is_delivering(&self) -> bool {
        matches!(self, CampaignPhase::Pushing | CampaignPhase::Downloading)
    }
}

impl fmt::Display for CampaignPhase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CampaignPhase::WaitingForDevice => write!(f, "waiting for the device to register"),
            CampaignPhase::Preparing => write!(f, "reading the device"),
            CampaignPhase::WaitingForSignal => write!(f, "waiting for a good enough signal"),
            CampaignPhase::Pushing => write!(f, "pushing the image"),
            CampaignPhase::Downloading => write!(f, "device downloading"),
            CampaignPhase::Updating => write!(f, "device updating"),
            CampaignPhase::Verifying => write!(f, "verifying the new firmware"),
            CampaignPhase::Succeeded => write!(f, "succeeded"),
            CampaignPhase::SucceededLate(why) => {
                write!(f, "succeeded (late): it had said \"failed: {why}\"")
            }
            CampaignPhase::Failed(why) => write!(f, "failed: {why}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn srv3_push_needs_the_signal_above_and_the_quality_at_least_the_minimum() {
        let mut c = CampaignConfig::pull("coap://r/fw", "2.0.0");
        assert!(c.radio_allows_push(None, None), "no thresholds, no gate");
        c.push_min_signal_dbm = Some(-90);
        c.push_min_link_quality = Some(40);
        assert!(!c.radio_allows_push(None, Some(50)), "unknown signal");
        assert!(!c.radio_allows_push(Some(-90), Some(50)), "not above");
        assert!(
            c.radio_allows_push(Some(-89), Some(40)),
            "quality at the minimum"
        );
        assert!(!c.radio_allows_push(Some(-60), Some(39)));
    }

    #[test]
    fn srv3_thresholds_at_the_ends_of_i64_compare_without_overflow() {
        // From the fuzz harness: a scenario file with `push_min_link_quality` of i64::MIN
        // panicked the server ("attempt to subtract with overflow") once /4 was read.
        let mut c = CampaignConfig::pull("coap://r/fw", "2.0.0");
        c.push_min_link_quality = Some(i64::MIN);
        c.push_min_signal_dbm = Some(i64::MIN);
        assert!(c.radio_allows_push(Some(-89), Some(i64::MIN)));
        c.push_min_signal_dbm = Some(i64::MAX);
        assert!(
            !c.radio_allows_push(Some(i64::MAX), Some(0)),
            "nothing is above"
        );
    }
}
