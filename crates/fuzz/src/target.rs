//! The targets: every decoder of the project and the three nodes, each with the corpus list
//! its inputs start from and the shape of those inputs (which decides the mutators).

use crate::corpus::Corpus;
use crate::mutate::Shape;
use fota_sim::NodeId;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    CoapMessage,
    BlockOption,
    Tlv,
    SenmlJson,
    SenmlCbor,
    LinkFormat,
    UriQueries,
    Path,
    ExecuteArgs,
    Explain,
    Image,
    Boot,
    ScenarioFile,
    TraceFile,
    Lesson,
    Filter,
    Node(NodeId),
}

impl Target {
    pub const ALL: [Target; 19] = [
        Target::CoapMessage,
        Target::BlockOption,
        Target::Tlv,
        Target::SenmlJson,
        Target::SenmlCbor,
        Target::LinkFormat,
        Target::UriQueries,
        Target::Path,
        Target::ExecuteArgs,
        Target::Explain,
        Target::Image,
        Target::Boot,
        Target::ScenarioFile,
        Target::TraceFile,
        Target::Lesson,
        Target::Filter,
        Target::Node(NodeId::Device),
        Target::Node(NodeId::Server),
        Target::Node(NodeId::Repository),
    ];

    pub fn name(self) -> &'static str {
        match self {
            Target::CoapMessage => "coap message",
            Target::BlockOption => "block option",
            Target::Tlv => "lwm2m tlv",
            Target::SenmlJson => "senml json",
            Target::SenmlCbor => "senml cbor",
            Target::LinkFormat => "link format",
            Target::UriQueries => "register/attribute queries",
            Target::Path => "lwm2m path",
            Target::ExecuteArgs => "execute arguments",
            Target::Explain => "explain",
            Target::Image => "image validate/inspect",
            Target::Boot => "bootloader boot",
            Target::ScenarioFile => "scenario file",
            Target::TraceFile => "trace file",
            Target::Lesson => "lesson file",
            Target::Filter => "display filter",
            Target::Node(NodeId::Device) => "device",
            Target::Node(NodeId::Server) => "server",
            Target::Node(NodeId::Repository) => "repository",
        }
    }

    pub fn shape(self) -> Shape {
        match self {
            Target::CoapMessage | Target::Explain | Target::Node(_) => Shape::Datagram,
            Target::BlockOption
            | Target::Tlv
            | Target::SenmlCbor
            | Target::ExecuteArgs
            | Target::Image
            | Target::Boot => Shape::Bytes,
            Target::SenmlJson
            | Target::LinkFormat
            | Target::UriQueries
            | Target::Path
            | Target::ScenarioFile
            | Target::TraceFile
            | Target::Lesson
            | Target::Filter => Shape::Text,
        }
    }

    /// The corpus list the target's inputs start from (the node targets draw datagrams to
    /// their node instead, and this list only for splicing).
    pub fn seeds(self, c: &Corpus) -> &[Vec<u8>] {
        match self {
            Target::CoapMessage | Target::Explain | Target::Node(_) => &c.messages,
            Target::BlockOption => &c.block_values,
            Target::Tlv => &c.tlv,
            Target::SenmlJson => &c.senml_json,
            Target::SenmlCbor => &c.senml_cbor,
            Target::LinkFormat => &c.links,
            Target::UriQueries => &c.queries,
            Target::Path => &c.paths,
            Target::ExecuteArgs => &c.execute_args,
            Target::Image | Target::Boot => &c.images,
            Target::ScenarioFile => &c.scenarios,
            Target::TraceFile => &c.trace_files,
            Target::Lesson => &c.lessons,
            Target::Filter => &c.filters,
        }
    }
}
