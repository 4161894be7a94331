//! The fields a filter can name: their spellings, what kind of value each holds, and the
//! Wireshark field each one is, when there is one.

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    CoapType,
    CoapCode,
    CoapMid,
    CoapToken,
    Uri,
    UriQuery,
    BlockNumber,
    BlockMflag,
    BlockSize,
    Observe,
    Ctype,
    Etag,
    PayloadLength,
    Lwm2mPath,
    Lwm2mState,
    Lwm2mResult,
    Fate,
    From,
    To,
    Rule,
}

/// What a field's values are, which decides the values and operators it takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// An unsigned integer; names (CON, Content, Downloaded, ...) stand for numbers.
    Number,
    /// Bytes, written in hex (`ca:fe` or `cafe`).
    Bytes,
    /// Free text such as a path.
    Text,
    /// One of a fixed set of words (a fate, a node).
    Word,
}

impl Field {
    pub const ALL: [Field; 20] = [
        Field::CoapType,
        Field::CoapCode,
        Field::CoapMid,
        Field::CoapToken,
        Field::Uri,
        Field::UriQuery,
        Field::BlockNumber,
        Field::BlockMflag,
        Field::BlockSize,
        Field::Observe,
        Field::Ctype,
        Field::Etag,
        Field::PayloadLength,
        Field::Lwm2mPath,
        Field::Lwm2mState,
        Field::Lwm2mResult,
        Field::Fate,
        Field::From,
        Field::To,
        Field::Rule,
    ];

    /// The name a filter writes (the Wireshark one where there is one).
    pub fn name(self) -> &'static str {
        match self {
            Field::CoapType => "coap.type",
            Field::CoapCode => "coap.code",
            Field::CoapMid => "coap.mid",
            Field::CoapToken => "coap.token",
            Field::Uri => "coap.opt.uri_path_recon",
            Field::UriQuery => "coap.opt.uri_query",
            Field::BlockNumber => "coap.opt.block_number",
            Field::BlockMflag => "coap.opt.block_mflag",
            Field::BlockSize => "coap.opt.block_size",
            Field::Observe => "coap.opt.observe",
            Field::Ctype => "coap.opt.ctype",
            Field::Etag => "coap.opt.etag",
            Field::PayloadLength => "coap.payload_length",
            Field::Lwm2mPath => "lwm2m.path",
            Field::Lwm2mState => "lwm2m.state",
            Field::Lwm2mResult => "lwm2m.result",
            Field::Fate => "fate",
            Field::From => "from",
            Field::To => "to",
            Field::Rule => "rule",
        }
    }

    /// Shorter spellings a student may type.
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Field::Uri => &["uri"],
            _ => &[],
        }
    }

    /// Every spelling, for lookups and suggestions.
    pub fn spellings() -> impl Iterator<Item = (&'static str, Field)> {
        Field::ALL.into_iter().flat_map(|f| {
            core::iter::once(f.name())
                .chain(f.aliases().iter().copied())
                .map(move |n| (n, f))
        })
    }

    /// The field spelled `name` (field names are lowercase, as in Wireshark; any case is read).
    pub fn lookup(name: &str) -> Option<Field> {
        Field::spellings()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, f)| f)
    }

    pub fn kind(self) -> Kind {
        match self {
            Field::CoapToken | Field::Etag => Kind::Bytes,
            Field::Uri | Field::UriQuery | Field::Lwm2mPath | Field::Rule => Kind::Text,
            Field::Fate | Field::From | Field::To => Kind::Word,
            _ => Kind::Number,
        }
    }

    /// The Wireshark display-filter field with the same values, when there is one.
    pub fn wireshark(self) -> Option<&'static str> {
        match self {
            Field::Lwm2mPath | Field::Lwm2mState | Field::Lwm2mResult | Field::Fate => None,
            Field::Rule => None,
            Field::From => Some("ip.src"),
            Field::To => Some("ip.dst"),
            f => Some(f.name()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_is_found_by_its_name_and_uri_by_its_alias() {
        for f in Field::ALL {
            assert_eq!(Field::lookup(f.name()), Some(f));
        }
        assert_eq!(Field::lookup("uri"), Some(Field::Uri));
        assert_eq!(Field::lookup("COAP.TYPE"), Some(Field::CoapType));
        assert_eq!(Field::lookup("coap.tpye"), None);
    }
}
