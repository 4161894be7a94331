//! Definitions of the LwM2M objects the sandbox knows (OMA LwM2M registry: Security 0 v1.1,
//! Server 1 v1.1, Device 3 v1.1, Connectivity Monitoring 4 v1.2, Firmware Update 5 v1.1): ids,
//! names, operations, types, ranges, units, and a short description of each in our own words.

/// The operations a resource allows, as the registry lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operations {
    None,
    R,
    W,
    RW,
    E,
}

/// The data type of a resource, as the registry names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResourceType {
    None,
    String,
    Integer,
    UnsignedInteger,
    Float,
    Boolean,
    Opaque,
    Time,
    Objlnk,
    CoreLink,
}

/// One resource (Item) of an object definition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResourceDef {
    pub id: u16,
    pub name: &'static str,
    pub operations: Operations,
    pub multiple: bool,
    pub mandatory: bool,
    pub kind: ResourceType,
    /// RangeEnumeration as the registry gives it ("" when none), e.g. "0..3", "1..100".
    pub range: &'static str,
    pub units: &'static str,
    pub description: &'static str,
}

/// One object definition with its resources in id order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ObjectDef {
    pub id: u16,
    pub name: &'static str,
    pub version: &'static str,
    pub multiple: bool,
    pub mandatory: bool,
    pub description: &'static str,
    pub resources: &'static [ResourceDef],
}

/// The definition of an object by id, if the sandbox knows it.
pub fn object(id: u16) -> Option<&'static ObjectDef> {
    OBJECTS.iter().find(|o| o.id == id)
}

/// The definition of a resource by object and resource id, if known.
pub fn resource(object: u16, resource: u16) -> Option<&'static ResourceDef> {
    self::object(object)?
        .resources
        .iter()
        .find(|r| r.id == resource)
}

impl Operations {
    /// "R", "W", "RW", "E" or "" as in the registry.
    pub fn as_str(self) -> &'static str {
        match self {
            Operations::None => "",
            Operations::R => "R",
            Operations::W => "W",
            Operations::RW => "RW",
            Operations::E => "E",
        }
    }

    /// True for R and RW.
    pub fn readable(self) -> bool {
        matches!(self, Operations::R | Operations::RW)
    }

    /// True for W and RW.
    pub fn writable(self) -> bool {
        matches!(self, Operations::W | Operations::RW)
    }

    /// True for E.
    pub fn executable(self) -> bool {
        matches!(self, Operations::E)
    }
}

impl ResourceType {
    /// The type name as the registry spells it ("" for executable resources).
    pub fn name(self) -> &'static str {
        match self {
            ResourceType::None => "",
            ResourceType::String => "String",
            ResourceType::Integer => "Integer",
            ResourceType::UnsignedInteger => "Unsigned Integer",
            ResourceType::Float => "Float",
            ResourceType::Boolean => "Boolean",
            ResourceType::Opaque => "Opaque",
            ResourceType::Time => "Time",
            ResourceType::Objlnk => "Objlnk",
            ResourceType::CoreLink => "Corelnk",
        }
    }
}

pub const OBJECTS: &[ObjectDef] = &[
    ObjectDef {
        id: 0,
        name: "LWM2M Security",
        version: "1.1",
        multiple: true,
        mandatory: true,
        description: "Credentials and addresses the client uses to reach each (bootstrap) server.",
        resources: OBJ0_RESOURCES,
    },
    ObjectDef {
        id: 1,
        name: "LwM2M Server",
        version: "1.1",
        multiple: true,
        mandatory: true,
        description: "Per-server settings: registration, lifetime, binding and notifications.",
        resources: OBJ1_RESOURCES,
    },
    ObjectDef {
        id: 3,
        name: "Device",
        version: "1.1",
        multiple: false,
        mandatory: true,
        description: "Identity, power, memory, clock and reset controls of the device itself.",
        resources: OBJ3_RESOURCES,
    },
    ObjectDef {
        id: 4,
        name: "Connectivity Monitoring",
        version: "1.2",
        multiple: false,
        mandatory: false,
        description: "Read-only view of the network link: bearer, signal, addresses and cell.",
        resources: OBJ4_RESOURCES,
    },
    ObjectDef {
        id: 5,
        name: "Firmware Update",
        version: "1.1",
        multiple: false,
        mandatory: false,
        description: "Delivers a firmware image, pushed or fetched by URI, and installs it.",
        resources: OBJ5_RESOURCES,
    },
];

const OBJ0_RESOURCES: &[ResourceDef] = &[
    ResourceDef {
        id: 0,
        name: "LWM2M Server URI",
        operations: Operations::None,
        multiple: false,
        mandatory: true,
        kind: ResourceType::String,
        range: "0..255 bytes",
        units: "",
        description: "CoAP URI of the server or bootstrap server this instance points at.",
    },
    ResourceDef {
        id: 1,
        name: "Bootstrap-Server",
        operations: Operations::None,
        multiple: false,
        mandatory: true,
        kind: ResourceType::Boolean,
        range: "",
        units: "",
        description: "True when this instance describes a bootstrap server, not a regular one.",
    },
    ResourceDef {
        id: 2,
        name: "Security Mode",
        operations: Operations::None,
        multiple: false,
        mandatory: true,
        kind: ResourceType::Integer,
        range: "0..4",
        units: "",
        description: "Security to use: 0 PSK, 1 raw public key, 2 certificate, 3 none, 4 EST.",
    },
    ResourceDef {
        id: 3,
        name: "Public Key or Identity",
        operations: Operations::None,
        multiple: false,
        mandatory: true,
        kind: ResourceType::Opaque,
        range: "",
        units: "",
        description: "The client's own certificate, raw public key or PSK identity.",
    },
    ResourceDef {
        id: 4,
        name: "Server Public Key",
        operations: Operations::None,
        multiple: false,
        mandatory: true,
        kind: ResourceType::Opaque,
        range: "",
        units: "",
        description: "Certificate, raw public key or trust anchor used to authenticate the server.",
    },
    ResourceDef {
        id: 5,
        name: "Secret Key",
        operations: Operations::None,
        multiple: false,
        mandatory: true,
        kind: ResourceType::Opaque,
        range: "",
        units: "",
        description: "The client's private key or pre-shared secret.",
    },
    ResourceDef {
        id: 6,
        name: "SMS Security Mode",
        operations: Operations::None,
        multiple: false,
        mandatory: false,
        kind: ResourceType::Integer,
        range: "0..255",
        units: "",
        description: "Security applied to the SMS binding, such as DTLS or secure packets.",
    },
    ResourceDef {
        id: 7,
        name: "SMS Binding Key Parameters",
        operations: Operations::None,
        multiple: false,
        mandatory: false,
        kind: ResourceType::Opaque,
        range: "6",
        units: "",
        description: "Key parameters (KIc, KID, SPI, TAR) for securing SMS traffic.",
    },
    ResourceDef {
        id: 8,
        name: "SMS Binding Secret Key(s)",
        operations: Operations::None,
        multiple: false,
        mandatory: false,
        kind: ResourceType::Opaque,
        range: "16,32,48",
        units: "",
        description: "Secret key material that protects the SMS binding.",
    },
    ResourceDef {
        id: 9,
        name: "LwM2M Server SMS Number",
        operations: Operations::None,
        multiple: false,
        mandatory: false,
        kind: ResourceType::String,
        range: "",
        units: "",
        description: "Phone number (MSISDN) the client sends SMS messages to for this server.",
    },
    ResourceDef {
        id: 10,
        name: "Short Server ID",
        operations: Operations::None,
        multiple: false,
        mandatory: false,
        kind: ResourceType::Integer,
        range: "1..65534",
        units: "",
        description: "Numeric handle linking this security instance to its server instance.",
    },
    ResourceDef {
        id: 11,
        name: "Client Hold Off Time",
        operations: Operations::None,
        multiple: false,
        mandatory: false,
        kind: ResourceType::Integer,
        range: "",
        units: "s",
        description: "Seconds to wait before starting a client-initiated bootstrap.",
    },
    ResourceDef {
        id: 12,
        name: "Bootstrap-Server Account Timeout",
        operations: Operations::None,
        multiple: false,
        mandatory: false,
        kind: ResourceType::Integer,
        range: "",
        units: "s",
        description: "Seconds until the bootstrap server account is dropped; 0 keeps it forever.",
    },
    ResourceDef {
        id: 13,
        name: "Matching Type",
        operations: Operations::None,
        multiple: false,
        mandatory: false,
        kind: ResourceType::UnsignedInteger,
        range: "0..3",
        units: "s",
        description: "How the stored server key is matched: exact copy or a SHA hash of it.",
    },
    ResourceDef {
        id: 14,
        name: "SNI",
        operations: Operations::None,
        multiple: false,
        mandatory: false,
        kind: ResourceType::String,
        range: "",
        units: "",
        description: "Server name to send in the TLS handshake when it differs from the URI host.",
    },
    ResourceDef {
        id: 15,
        name: "Certificate Usage",
        operations: Operations::None,
        multiple: false,
        mandatory: false,
        kind: ResourceType::UnsignedInteger,
        range: "0..3",
        units: "s",
        description: "What kind of certificate constraint the stored server key sets, DANE style.",
    },
    ResourceDef {
        id: 16,
        name: "DTLS/TLS Ciphersuite",
        operations: Operations::None,
        multiple: true,
        mandatory: false,
        kind: ResourceType::UnsignedInteger,
        range: "",
        units: "",
        description: "Cipher suites the client should offer in its handshake, as IANA numbers.",
    },
    ResourceDef {
        id: 17,
        name: "OSCORE Security Mode",
        operations: Operations::None,
        multiple: false,
        mandatory: false,
        kind: ResourceType::Objlnk,
        range: "",
        units: "",
        description: "Link to the OSCORE object instance holding this server's OSCORE settings.",
    },
];

const OBJ1_RESOURCES: &[ResourceDef] = &[
    ResourceDef {
        id: 0,
        name: "Short Server ID",
        operations: Operations::R,
        multiple: false,
        mandatory: true,
        kind: ResourceType::Integer,
        range: "1..65534",
        units: "",
        description: "Numeric handle that identifies this server to the client.",
    },
    ResourceDef {
        id: 1,
        name: "Lifetime",
        operations: Operations::RW,
        multiple: false,
        mandatory: true,
        kind: ResourceType::Integer,
        range: "",
        units: "s",
        description: "Seconds a registration stays valid before the client must refresh it.",
    },
    ResourceDef {
        id: 2,
        name: "Default Minimum Period",
        operations: Operations::RW,
        multiple: false,
        mandatory: false,
        kind: ResourceType::Integer,
        range: "",
        units: "s",
        description: "Default shortest gap in seconds between two notifications of an observation.",
    },
    ResourceDef {
        id: 3,
        name: "Default Maximum Period",
        operations: Operations::RW,
        multiple: false,
        mandatory: false,
        kind: ResourceType::Integer,
        range: "",
        units: "s",
        description: "Default longest gap in seconds allowed without sending a notification.",
    },
    ResourceDef {
        id: 4,
        name: "Disable",
        operations: Operations::E,
        multiple: false,
        mandatory: false,
        kind: ResourceType::None,
        range: "",
        units: "",
        description: "Makes the client deregister and keep away from this server for a while.",
    },
    ResourceDef {
        id: 5,
        name: "Disable Timeout",
        operations: Operations::RW,
        multiple: false,
        mandatory: false,
        kind: ResourceType::Integer,
        range: "",
        units: "s",
        description: "Seconds the server stays disabled after a Disable command.",
    },
    ResourceDef {
        id: 6,
        name: "Notification Storing When Disabled or Offline",
        operations: Operations::RW,
        multiple: false,
        mandatory: true,
        kind: ResourceType::Boolean,
        range: "",
        units: "",
        description: "Whether notifications are kept while the server is unreachable or disabled.",
    },
    ResourceDef {
        id: 7,
        name: "Binding",
        operations: Operations::RW,
        multiple: false,
        mandatory: true,
        kind: ResourceType::String,
        range: "The possible values are those listed in the LwM2M Core Specification",
        units: "",
        description: "Transport binding to use with this server, such as U for UDP.",
    },
    ResourceDef {
        id: 8,
        name: "Registration Update Trigger",
        operations: Operations::E,
        multiple: false,
        mandatory: true,
        kind: ResourceType::None,
        range: "",
        units: "",
        description: "Makes the client send a registration update to this server straight away.",
    },
    ResourceDef {
        id: 9,
        name: "Bootstrap-Request Trigger",
        operations: Operations::E,
        multiple: false,
        mandatory: false,
        kind: ResourceType::None,
        range: "",
        units: "",
        description: "Makes the client start a bootstrap request.",
    },
    ResourceDef {
        id: 10,
        name: "APN Link",
        operations: Operations::RW,
        multiple: false,
        mandatory: false,
        kind: ResourceType::Objlnk,
        range: "",
        units: "",
        description: "Link to the APN connection profile used to reach this server.",
    },
    ResourceDef {
        id: 11,
        name: "TLS-DTLS Alert Code",
        operations: Operations::R,
        multiple: false,
        mandatory: false,
        kind: ResourceType::UnsignedInteger,
        range: "0..255",
        units: "",
        description: "Last TLS or DTLS alert code seen on the connection to this server.",
    },
    ResourceDef {
        id: 12,
        name: "Last Bootstrapped",
        operations: Operations::R,
        multiple: false,
        mandatory: false,
        kind: ResourceType::Time,
        range: "",
        units: "",
        description: "Time of the most recent successful bootstrap.",
    },
    ResourceDef {
        id: 13,
        name: "Registration Priority Order",
        operations: Operations::None,
        multiple: false,
        mandatory: false,
        kind: ResourceType::UnsignedInteger,
        range: "",
        units: "",
        description: "Place of this server in the registration order; lower values go first.",
    },
    ResourceDef {
        id: 14,
        name: "Initial Registration Delay Timer",
        operations: Operations::None,
        multiple: false,
        mandatory: false,
        kind: ResourceType::UnsignedInteger,
        range: "",
        units: "s",
        description: "Seconds to wait before the first registration attempt to this server.",
    },
    ResourceDef {
        id: 15,
        name: "Registration Failure Block",
        operations: Operations::None,
        multiple: false,
        mandatory: false,
        kind: ResourceType::Boolean,
        range: "",
        units: "",
        description: "Whether failing to register here blocks registering with other servers.",
    },
    ResourceDef {
        id: 16,
        name: "Bootstrap on Registration Failure",
        operations: Operations::None,
        multiple: false,
        mandatory: false,
        kind: ResourceType::Boolean,
        range: "",
        units: "",
        description: "Whether the client falls back to bootstrap when registering here fails.",
    },
    ResourceDef {
        id: 17,
        name: "Communication Retry Count",
        operations: Operations::None,
        multiple: false,
        mandatory: false,
        kind: ResourceType::UnsignedInteger,
        range: "",
        units: "",
        description: "Attempts in one communication sequence before it counts as failed.",
    },
    ResourceDef {
        id: 18,
        name: "Communication Retry Timer",
        operations: Operations::None,
        multiple: false,
        mandatory: false,
        kind: ResourceType::UnsignedInteger,
        range: "",
        units: "s",
        description: "Base wait in seconds between attempts, doubled after each failed try.",
    },
    ResourceDef {
        id: 19,
        name: "Communication Sequence Delay Timer",
        operations: Operations::None,
        multiple: false,
        mandatory: false,
        kind: ResourceType::UnsignedInteger,
        range: "",
        units: "",
        description: "Pause between one full sequence of attempts and the next one.",
    },
    ResourceDef {
        id: 20,
        name: "Communication Sequence Retry Count",
        operations: Operations::None,
        multiple: false,
        mandatory: false,
        kind: ResourceType::UnsignedInteger,
        range: "",
        units: "",
        description: "How many sequences are run before the registration is given up.",
    },
    ResourceDef {
        id: 21,
        name: "Trigger",
        operations: Operations::RW,
        multiple: false,
        mandatory: false,
        kind: ResourceType::Boolean,
        range: "",
        units: "",
        description: "Whether the client can be woken over SMS to act on this server's behalf.",
    },
    ResourceDef {
        id: 22,
        name: "Preferred Transport",
        operations: Operations::RW,
        multiple: false,
        mandatory: false,
        kind: ResourceType::String,
        range: "The possible values are those listed in the LwM2M Core Specification",
        units: "",
        description: "Transport the client should favour when connecting to this server.",
    },
    ResourceDef {
        id: 23,
        name: "Mute Send",
        operations: Operations::RW,
        multiple: false,
        mandatory: false,
        kind: ResourceType::Boolean,
        range: "",
        units: "",
        description: "When true, the client must not use the Send operation towards this server.",
    },
];

const OBJ3_RESOURCES: &[ResourceDef] = &[
    ResourceDef {
        id: 0,
        name: "Manufacturer",
        operations: Operations::R,
        multiple: false,
        mandatory: false,
        kind: ResourceType::String,
        range: "",
        units: "",
        description: "Name of the device maker.",
    },
    ResourceDef {
        id: 1,
        name: "Model Number",
        operations: Operations::R,
        multiple: false,
        mandatory: false,
        kind: ResourceType::String,
        range: "",
        units: "",
        description: "Model identifier of the device.",
    },
    ResourceDef {
        id: 2,
        name: "Serial Number",
        operations: Operations::R,
        multiple: false,
        mandatory: false,
        kind: ResourceType::String,
        range: "",
        units: "",
        description: "Serial number of this particular device.",
    },
    ResourceDef {
        id: 3,
        name: "Firmware Version",
        operations: Operations::R,
        multiple: false,
        mandatory: false,
        kind: ResourceType::String,
        range: "",
        units: "",
        description: "Version string of the firmware currently running.",
    },
    ResourceDef {
        id: 4,
        name: "Reboot",
        operations: Operations::E,
        multiple: false,
        mandatory: true,
        kind: ResourceType::None,
        range: "",
        units: "",
        description: "Restarts the device.",
    },
    ResourceDef {
        id: 5,
        name: "Factory Reset",
        operations: Operations::E,
        multiple: false,
        mandatory: false,
        kind: ResourceType::None,
        range: "",
        units: "",
        description: "Returns the device to its factory configuration.",
    },
    ResourceDef {
        id: 6,
        name: "Available Power Sources",
        operations: Operations::R,
        multiple: true,
        mandatory: false,
        kind: ResourceType::Integer,
        range: "0..7",
        units: "",
        description: "Kinds of power source present, such as DC, battery, USB or solar.",
    },
    ResourceDef {
        id: 7,
        name: "Power Source Voltage",
        operations: Operations::R,
        multiple: true,
        mandatory: false,
        kind: ResourceType::Integer,
        range: "",
        units: "",
        description: "Voltage of each power source, in millivolts.",
    },
    ResourceDef {
        id: 8,
        name: "Power Source Current",
        operations: Operations::R,
        multiple: true,
        mandatory: false,
        kind: ResourceType::Integer,
        range: "",
        units: "",
        description: "Current drawn from each power source, in milliamperes.",
    },
    ResourceDef {
        id: 9,
        name: "Battery Level",
        operations: Operations::R,
        multiple: false,
        mandatory: false,
        kind: ResourceType::Integer,
        range: "0..100",
        units: "%",
        description: "Remaining battery charge as a percentage.",
    },
    ResourceDef {
        id: 10,
        name: "Memory Free",
        operations: Operations::R,
        multiple: false,
        mandatory: false,
        kind: ResourceType::Integer,
        range: "",
        units: "",
        description: "Free storage left on the device, in kilobytes.",
    },
    ResourceDef {
        id: 11,
        name: "Error Code",
        operations: Operations::R,
        multiple: true,
        mandatory: true,
        kind: ResourceType::Integer,
        range: "0..8",
        units: "",
        description: "Active error conditions, such as low battery; 0 means no error.",
    },
    ResourceDef {
        id: 12,
        name: "Reset Error Code",
        operations: Operations::E,
        multiple: false,
        mandatory: false,
        kind: ResourceType::None,
        range: "",
        units: "",
        description: "Clears all error codes back to 0.",
    },
    ResourceDef {
        id: 13,
        name: "Current Time",
        operations: Operations::RW,
        multiple: false,
        mandatory: false,
        kind: ResourceType::Time,
        range: "",
        units: "",
        description: "The device clock, as a Unix timestamp.",
    },
    ResourceDef {
        id: 14,
        name: "UTC Offset",
        operations: Operations::RW,
        multiple: false,
        mandatory: false,
        kind: ResourceType::String,
        range: "",
        units: "",
        description: "Offset of local time from UTC, such as +02:00.",
    },
    ResourceDef {
        id: 15,
        name: "Timezone",
        operations: Operations::RW,
        multiple: false,
        mandatory: false,
        kind: ResourceType::String,
        range: "",
        units: "",
        description: "Time zone name for where the device sits, such as Europe/Berlin.",
    },
    ResourceDef {
        id: 16,
        name: "Supported Binding and Modes",
        operations: Operations::R,
        multiple: false,
        mandatory: true,
        kind: ResourceType::String,
        range: "",
        units: "",
        description: "Transport bindings and modes the client is able to use.",
    },
    ResourceDef {
        id: 17,
        name: "Device Type",
        operations: Operations::R,
        multiple: false,
        mandatory: false,
        kind: ResourceType::String,
        range: "",
        units: "",
        description: "Kind of device, such as a meter or a sensor.",
    },
    ResourceDef {
        id: 18,
        name: "Hardware Version",
        operations: Operations::R,
        multiple: false,
        mandatory: false,
        kind: ResourceType::String,
        range: "",
        units: "",
        description: "Revision of the device hardware.",
    },
    ResourceDef {
        id: 19,
        name: "Software Version",
        operations: Operations::R,
        multiple: false,
        mandatory: false,
        kind: ResourceType::String,
        range: "",
        units: "",
        description: "Version of the software running on the device.",
    },
    ResourceDef {
        id: 20,
        name: "Battery Status",
        operations: Operations::R,
        multiple: false,
        mandatory: false,
        kind: ResourceType::Integer,
        range: "0..6",
        units: "",
        description: "Condition of the battery, such as normal, charging, low or not installed.",
    },
    ResourceDef {
        id: 21,
        name: "Memory Total",
        operations: Operations::R,
        multiple: false,
        mandatory: false,
        kind: ResourceType::Integer,
        range: "",
        units: "",
        description: "Total storage capacity of the device, in kilobytes.",
    },
    ResourceDef {
        id: 22,
        name: "ExtDevInfo",
        operations: Operations::R,
        multiple: true,
        mandatory: false,
        kind: ResourceType::Objlnk,
        range: "",
        units: "",
        description: "Links to other Device instances, such as a host this device is built into.",
    },
];

const OBJ4_RESOURCES: &[ResourceDef] = &[
    ResourceDef {
        id: 0,
        name: "Network Bearer",
        operations: Operations::R,
        multiple: false,
        mandatory: true,
        kind: ResourceType::Integer,
        range: "0..50",
        units: "",
        description: "Bearer used for the current session: a cellular, wireless or wired code.",
    },
    ResourceDef {
        id: 1,
        name: "Available Network Bearer",
        operations: Operations::R,
        multiple: true,
        mandatory: true,
        kind: ResourceType::Integer,
        range: "0..50",
        units: "",
        description: "Bearers the device could use right now.",
    },
    ResourceDef {
        id: 2,
        name: "Radio Signal Strength",
        operations: Operations::R,
        multiple: false,
        mandatory: true,
        kind: ResourceType::Integer,
        range: "",
        units: "",
        description: "Average received signal strength on the current bearer, in dBm.",
    },
    ResourceDef {
        id: 3,
        name: "Link Quality",
        operations: Operations::R,
        multiple: false,
        mandatory: false,
        kind: ResourceType::Integer,
        range: "",
        units: "",
        description: "Bearer-specific link quality figure, such as LQI or RSRQ.",
    },
    ResourceDef {
        id: 4,
        name: "IP Addresses",
        operations: Operations::R,
        multiple: true,
        mandatory: true,
        kind: ResourceType::String,
        range: "",
        units: "",
        description: "Addresses assigned to the network interface.",
    },
    ResourceDef {
        id: 5,
        name: "Router IP Addresses",
        operations: Operations::R,
        multiple: true,
        mandatory: false,
        kind: ResourceType::String,
        range: "",
        units: "",
        description: "Next-hop router address for each interface.",
    },
    ResourceDef {
        id: 6,
        name: "Link Utilization",
        operations: Operations::R,
        multiple: false,
        mandatory: false,
        kind: ResourceType::Integer,
        range: "0..100",
        units: "%",
        description: "Average load on the link to the next-hop router, as a percentage.",
    },
    ResourceDef {
        id: 7,
        name: "APN",
        operations: Operations::R,
        multiple: true,
        mandatory: false,
        kind: ResourceType::String,
        range: "",
        units: "",
        description: "Access point names in use on a cellular bearer.",
    },
    ResourceDef {
        id: 8,
        name: "Cell ID",
        operations: Operations::R,
        multiple: false,
        mandatory: false,
        kind: ResourceType::Integer,
        range: "",
        units: "",
        description: "Identifier of the serving cell on a cellular bearer.",
    },
    ResourceDef {
        id: 9,
        name: "SMNC",
        operations: Operations::R,
        multiple: false,
        mandatory: false,
        kind: ResourceType::Integer,
        range: "0..999",
        units: "",
        description: "Mobile network code of the serving operator.",
    },
    ResourceDef {
        id: 10,
        name: "SMCC",
        operations: Operations::R,
        multiple: false,
        mandatory: false,
        kind: ResourceType::Integer,
        range: "0..999",
        units: "",
        description: "Mobile country code of the serving network.",
    },
    ResourceDef {
        id: 11,
        name: "SignalSNR",
        operations: Operations::R,
        multiple: false,
        mandatory: false,
        kind: ResourceType::Integer,
        range: "",
        units: "dB",
        description: "Signal to interference plus noise ratio of the current link.",
    },
    ResourceDef {
        id: 12,
        name: "LAC",
        operations: Operations::R,
        multiple: false,
        mandatory: false,
        kind: ResourceType::Integer,
        range: "",
        units: "",
        description: "Location area code of the serving cell.",
    },
];

const OBJ5_RESOURCES: &[ResourceDef] = &[
    ResourceDef {
        id: 0,
        name: "Package",
        operations: Operations::W,
        multiple: false,
        mandatory: true,
        kind: ResourceType::Opaque,
        range: "",
        units: "",
        description: "Firmware image written straight to the device in one push.",
    },
    ResourceDef {
        id: 1,
        name: "Package URI",
        operations: Operations::RW,
        multiple: false,
        mandatory: true,
        kind: ResourceType::String,
        range: "0..255",
        units: "",
        description: "Address the device fetches the firmware image from; empty resets it.",
    },
    ResourceDef {
        id: 2,
        name: "Update",
        operations: Operations::E,
        multiple: false,
        mandatory: true,
        kind: ResourceType::None,
        range: "",
        units: "",
        description: "Starts installing the downloaded firmware image.",
    },
    ResourceDef {
        id: 3,
        name: "State",
        operations: Operations::R,
        multiple: false,
        mandatory: true,
        kind: ResourceType::Integer,
        range: "0..3",
        units: "",
        description: "Progress of the update: 0 idle, 1 downloading, 2 downloaded, 3 updating.",
    },
    ResourceDef {
        id: 5,
        name: "Update Result",
        operations: Operations::R,
        multiple: false,
        mandatory: true,
        kind: ResourceType::Integer,
        range: "0..11",
        units: "",
        description: "Outcome of the last download or update: 0 initial, 1 success, else failure.",
    },
    ResourceDef {
        id: 6,
        name: "PkgName",
        operations: Operations::R,
        multiple: false,
        mandatory: false,
        kind: ResourceType::String,
        range: "0..255",
        units: "",
        description: "Name of the firmware package, when known.",
    },
    ResourceDef {
        id: 7,
        name: "PkgVersion",
        operations: Operations::R,
        multiple: false,
        mandatory: false,
        kind: ResourceType::String,
        range: "0..255",
        units: "",
        description: "Version of the firmware package, when known.",
    },
    ResourceDef {
        id: 8,
        name: "Firmware Update Protocol Support",
        operations: Operations::R,
        multiple: true,
        mandatory: false,
        kind: ResourceType::Integer,
        range: "0..5",
        units: "",
        description: "Protocols the device can fetch an image with, such as CoAP, CoAPS or HTTPS.",
    },
    ResourceDef {
        id: 9,
        name: "Firmware Update Delivery Method",
        operations: Operations::R,
        multiple: false,
        mandatory: true,
        kind: ResourceType::Integer,
        range: "0..2",
        units: "",
        description: "Whether the device accepts pull (0), push (1) or both (2).",
    },
    ResourceDef {
        id: 10,
        name: "Cancel",
        operations: Operations::E,
        multiple: false,
        mandatory: false,
        kind: ResourceType::None,
        range: "",
        units: "",
        description: "Aborts a pending firmware download or update.",
    },
    ResourceDef {
        id: 11,
        name: "Severity",
        operations: Operations::RW,
        multiple: false,
        mandatory: false,
        kind: ResourceType::Integer,
        range: "0..2",
        units: "",
        description: "How urgent the update is: 0 critical, 1 mandatory, 2 optional.",
    },
    ResourceDef {
        id: 12,
        name: "Last State Change Time",
        operations: Operations::R,
        multiple: false,
        mandatory: false,
        kind: ResourceType::Time,
        range: "",
        units: "",
        description: "When the State resource last changed.",
    },
    ResourceDef {
        id: 13,
        name: "Maximum Defer Period",
        operations: Operations::RW,
        multiple: false,
        mandatory: false,
        kind: ResourceType::UnsignedInteger,
        range: "",
        units: "s",
        description: "Seconds the user may postpone the update; 0 means it cannot be deferred.",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_are_the_expected_ones() {
        let ids: Vec<u16> = OBJECTS.iter().map(|o| o.id).collect();
        assert_eq!(ids, vec![0, 1, 3, 4, 5]);
    }

    #[test]
    fn resource_ids_unique_and_ascending() {
        for o in OBJECTS {
            assert!(!o.resources.is_empty(), "object {} has no resources", o.id);
            for pair in o.resources.windows(2) {
                assert!(
                    pair[0].id < pair[1].id,
                    "object {}: resource {} is not before {}",
                    o.id,
                    pair[0].id,
                    pair[1].id
                );
            }
        }
    }

    #[test]
    fn firmware_update_object() {
        let fw = object(5).expect("object 5");
        assert_eq!(fw.version, "1.1");
        let ids: Vec<u16> = fw.resources.iter().map(|r| r.id).collect();
        assert_eq!(ids, vec![0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
        assert_eq!(fw.resources.len(), 13);
    }

    #[test]
    fn firmware_state_resource() {
        let state = resource(5, 3).expect("5/3");
        assert_eq!(state.name, "State");
        assert_eq!(state.operations, Operations::R);
        assert!(state.operations.readable());
        assert!(!state.operations.writable());
        assert_eq!(state.kind, ResourceType::Integer);
        assert_eq!(state.kind.name(), "Integer");
        assert_eq!(state.range, "0..3");
        assert!(state.mandatory);
        assert!(!state.multiple);
    }

    #[test]
    fn firmware_update_is_executable() {
        let update = resource(5, 2).expect("5/2");
        assert_eq!(update.operations, Operations::E);
        assert!(update.operations.executable());
        assert_eq!(update.operations.as_str(), "E");
        assert_eq!(update.kind, ResourceType::None);
        assert_eq!(update.kind.name(), "");
    }

    #[test]
    fn device_firmware_version() {
        assert_eq!(resource(3, 3).expect("3/3").name, "Firmware Version");
    }

    #[test]
    fn descriptions_are_short_and_present() {
        for o in OBJECTS {
            assert!(!o.description.is_empty(), "object {}", o.id);
            assert!(o.description.len() < 160, "object {}", o.id);
            for r in o.resources {
                assert!(!r.description.is_empty(), "{}/{}", o.id, r.id);
                assert!(r.description.len() < 160, "{}/{}", o.id, r.id);
            }
        }
    }

    #[test]
    fn unknown_lookups() {
        assert!(resource(9, 0).is_none());
        assert!(object(9).is_none());
        assert!(resource(5, 4).is_none());
    }
}
