//! Package URI parsing for PULL (/5/0/1), with the device's small host table.

use fota_coap::Addr;
use fota_lwm2m::transitions::UriKind;

pub const COAP_PORT: u16 = 5683;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackageUri {
    pub host: Addr,
    pub path: String,
}

/// Splits `coap://host[:port]/path` and resolves the host through `hosts` or as an IPv4
/// literal. The classification is what the /5 state machine needs (FU-T2/T3/T4).
pub fn classify(uri: &str, hosts: &[(String, Addr)]) -> (UriKind, Option<PackageUri>) {
    if uri.is_empty() {
        return (UriKind::Empty, None);
    }
    let Some((scheme, rest)) = uri.split_once("://") else {
        return (UriKind::Invalid, None);
    };
    let scheme_ok = !scheme.is_empty()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    if !scheme_ok {
        return (UriKind::Invalid, None);
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) => match p.parse::<u16>() {
            Ok(p) => (h, Some(p)),
            Err(_) => return (UriKind::Invalid, None),
        },
        None => (authority, None),
    };
    if host.is_empty() || path.contains(char::is_whitespace) {
        return (UriKind::Invalid, None);
    }
    if !scheme.eq_ignore_ascii_case("coap") {
        return (UriKind::UnsupportedScheme, None);
    }
    let resolved = hosts
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(host))
        .map(|(_, a)| Addr::new(a.ip, port.unwrap_or(a.port)))
        .or_else(|| Addr::parse(host, port, COAP_PORT));
    match resolved {
        Some(host) => (
            UriKind::Supported,
            Some(PackageUri {
                host,
                path: path.to_string(),
            }),
        ),
        // The scheme is fine; an unknown host is found out when the download starts.
        None => (UriKind::Supported, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_schemes_and_hosts() {
        let hosts = vec![("repo.sandbox".to_string(), Addr::new([192, 0, 2, 20], 5683))];
        let (kind, uri) = classify("coap://repo.sandbox/fw/app.bin", &hosts);
        assert_eq!(kind, UriKind::Supported);
        assert_eq!(
            uri.unwrap(),
            PackageUri {
                host: hosts[0].1,
                path: "/fw/app.bin".into()
            }
        );
        let (_, uri) = classify("coap://10.0.0.1:6000/x", &hosts);
        assert_eq!(uri.unwrap().host, Addr::new([10, 0, 0, 1], 6000));
        assert_eq!(
            classify("coaps://repo.sandbox/x", &hosts).0,
            UriKind::UnsupportedScheme
        );
        assert_eq!(
            classify("http://repo.sandbox/x", &hosts).0,
            UriKind::UnsupportedScheme
        );
        assert_eq!(classify("not a uri", &hosts).0, UriKind::Invalid);
        assert_eq!(classify("coap://:5683/x", &hosts).0, UriKind::Invalid);
        assert_eq!(classify("coap://host:99999/x", &hosts).0, UriKind::Invalid);
        assert_eq!(classify("", &hosts).0, UriKind::Empty);
        assert_eq!(
            classify("coap://nowhere.example/x", &hosts),
            (UriKind::Supported, None)
        );
    }
}
