//! The device's readable resources (SPEC OBJ-3, OBJ-4) and how a read is rendered: in the
//! format the Accept names, or 4.06 (OBJ-7); with no Accept, text/plain for a single value and
//! TLV for instances, objects and multiple resources, or SenML CBOR for all of them when the
//! device is an LwM2M 1.2 client (SRV-12).

use crate::Device;
use fota_coap::ResponseType;
use fota_lwm2m::register::Lwm2mVersion;
use fota_lwm2m::tlv::{self, Tlv};
use fota_lwm2m::{content, firmware, senml, Path};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Int(i64),
    Str(String),
    /// A multiple-instance resource of integers, instances numbered from 0.
    Ints(Vec<i64>),
    /// A multiple-instance resource of strings, instances numbered from 0.
    Strs(Vec<String>),
}

impl Value {
    fn text(&self) -> Option<String> {
        match self {
            Value::Int(i) => Some(i.to_string()),
            Value::Str(s) => Some(s.clone()),
            Value::Ints(_) | Value::Strs(_) => None,
        }
    }

    fn tlv(&self, id: u16) -> Tlv {
        match self {
            Value::Int(i) => Tlv::resource(id, tlv::int(*i)),
            Value::Str(s) => Tlv::resource(id, s.clone().into_bytes()),
            Value::Ints(v) => Tlv::multiple(
                id,
                v.iter()
                    .enumerate()
                    .map(|(i, x)| (i as u16, tlv::int(*x)))
                    .collect(),
            ),
            Value::Strs(v) => Tlv::multiple(
                id,
                v.iter()
                    .enumerate()
                    .map(|(i, x)| (i as u16, x.clone().into_bytes()))
                    .collect(),
            ),
        }
    }
}

/// Readable resources of each object's instance 0, in id order.
fn readable(object: u16) -> &'static [u16] {
    match object {
        3 => &[0, 1, 2, 3, 9, 10, 11, 13, 16, 21],
        4 => &[0, 1, 2, 3, 4, 6],
        5 => &[1, 3, 5, 6, 7, 8, 9, 12, 13],
        _ => &[],
    }
}

/// /4/0/0: the bearer is LTE FDD (OMA's code 6), the only one the board has.
const NETWORK_BEARER: i64 = 6;

impl Device {
    /// The /3 and /4 sample in force: the first one holds from the start.
    pub(crate) fn sample(&self) -> crate::config::Sample {
        self.cfg
            .samples
            .get(self.samples_applied.max(1) - 1)
            .copied()
            .unwrap_or_default()
    }

    pub(crate) fn value(&self, object: u16, resource: u16) -> Option<Value> {
        let slot_kib = (self.boot.capacity() / 1024) as i64;
        Some(match (object, resource) {
            (3, 0) => Value::Str(self.cfg.manufacturer.clone()),
            (3, 1) => Value::Str(self.cfg.model.clone()),
            (3, 2) => Value::Str(self.cfg.serial.clone()),
            (3, 3) => Value::Str(self.firmware_version()),
            (3, 9) => Value::Int(self.battery_percent()),
            (3, 10) => Value::Int(self.sample().memory_free_kib.unwrap_or(slot_kib)),
            (3, 11) => Value::Ints(vec![0]),
            (3, 13) => Value::Int((self.clock.millis() / 1000) as i64),
            (3, 16) => Value::Str("U".into()),
            (3, 21) => Value::Int(2 * slot_kib),
            (4, 0) => Value::Int(NETWORK_BEARER),
            (4, 1) => Value::Ints(vec![NETWORK_BEARER]),
            (4, 2) => Value::Int(self.sample().signal_dbm),
            (4, 3) => Value::Int(self.sample().link_quality),
            (4, 4) => Value::Strs(vec![{
                let [a, b, c, d] = self.cfg.addr.ip;
                format!("{a}.{b}.{c}.{d}")
            }]),
            (4, 6) => Value::Int(self.sample().link_utilization),
            (5, firmware::PACKAGE_URI) => Value::Str(self.package_uri.clone()),
            (5, firmware::STATE) => Value::Int(i64::from(self.state.code())),
            (5, firmware::UPDATE_RESULT) => Value::Int(i64::from(self.result.code())),
            (5, firmware::PKG_NAME) | (5, firmware::PKG_VERSION) => Value::Str(String::new()),
            (5, firmware::PROTOCOL_SUPPORT) => {
                Value::Ints(vec![i64::from(firmware::PROTOCOL_COAP)])
            }
            (5, firmware::DELIVERY_METHOD) => Value::Int(i64::from(self.cfg.delivery)),
            (5, 12) => Value::Int((self.last_state_change.millis() / 1000) as i64),
            (5, 13) => Value::Int(i64::from(self.cfg.defer_s)),
            _ => return None,
        })
    }

    /// Whether `path` names something the device has (for 4.04 against 4.05).
    pub(crate) fn exists(&self, path: &Path) -> bool {
        let has_object = !readable(path.object).is_empty();
        match (path.instance, path.resource) {
            (None, _) => has_object,
            (Some(i), None) => has_object && i == 0,
            (Some(i), Some(r)) => {
                i == 0
                    && (readable(path.object).contains(&r)
                        || self.write_or_execute_only(path.object, r))
            }
        }
    }

    /// Resources the device has that can only be written (/5/0/0) or executed.
    pub(crate) fn write_or_execute_only(&self, object: u16, resource: u16) -> bool {
        matches!(
            (object, resource),
            (3, 4) | (5, firmware::PACKAGE) | (5, firmware::UPDATE) | (5, firmware::CANCEL)
        )
    }

    /// The payload and Content-Format for a read of `path` with the request's Accept, or the
    /// error code: 4.04 for what does not exist, 4.05 for what cannot be read, 4.06 for a
    /// format the device cannot produce.
    pub(crate) fn render(
        &self,
        path: &Path,
        accept: Option<u32>,
    ) -> Result<(u16, Vec<u8>), ResponseType> {
        if !self.exists(path) {
            return Err(ResponseType::NotFound);
        }
        let format = match accept.and_then(|a| u16::try_from(a).ok()) {
            None if accept.is_some() => return Err(ResponseType::NotAcceptable),
            None => None,
            Some(
                f @ (content::TEXT_PLAIN
                | content::LWM2M_TLV
                | content::SENML_JSON
                | content::SENML_CBOR),
            ) => Some(f),
            Some(_) => return Err(ResponseType::NotAcceptable),
        };
        // A 1.2 client answers SenML CBOR when no Accept says otherwise, as Anjay does.
        let format = match self.cfg.lwm2m_version {
            Lwm2mVersion::V1_1 => format,
            Lwm2mVersion::V1_2 => format.or(Some(content::SENML_CBOR)),
        };
        // (resource id, value) pairs under `path`.
        let values: Vec<(u16, Value)> = match path.resource {
            None => readable(path.object)
                .iter()
                .filter_map(|&r| self.value(path.object, r).map(|v| (r, v)))
                .collect(),
            Some(r) => vec![(
                r,
                self.value(path.object, r)
                    .ok_or(ResponseType::MethodNotAllowed)?,
            )],
        };
        let single_text = match (path.resource, &values[..]) {
            (Some(_), [(_, v)]) => v.text(),
            _ => None,
        };
        match format {
            Some(content::TEXT_PLAIN) | None if single_text.is_some() => Ok((
                content::TEXT_PLAIN,
                single_text.unwrap_or_default().into_bytes(),
            )),
            Some(content::TEXT_PLAIN) => Err(ResponseType::NotAcceptable),
            Some(f @ (content::SENML_JSON | content::SENML_CBOR)) => {
                let records = senml_records(path.object, &values);
                Ok(match f {
                    content::SENML_JSON => (f, senml::encode_json(&records).into_bytes()),
                    _ => (f, senml::encode_cbor(&records)),
                })
            }
            _ => {
                let resources: Vec<Tlv> = values.iter().map(|(r, v)| v.tlv(*r)).collect();
                let tlvs = match path.instance {
                    None => vec![Tlv::instance(0, resources)],
                    Some(_) => resources,
                };
                tlv::encode(&tlvs)
                    .map(|bytes| (content::LWM2M_TLV, bytes))
                    .map_err(|_| ResponseType::InternalServerError)
            }
        }
    }
}

/// One SenML record per resource, or per instance of a multiple resource.
fn senml_records(object: u16, values: &[(u16, Value)]) -> Vec<senml::Record> {
    let mut out = Vec::new();
    for (r, v) in values {
        let name = format!("/{object}/0/{r}");
        match v {
            Value::Int(i) => out.push(senml::Record {
                name,
                value: Some(senml::Value::Int(*i)),
            }),
            Value::Str(s) => out.push(senml::Record {
                name,
                value: Some(senml::Value::Str(s.clone())),
            }),
            Value::Ints(list) => out.extend(list.iter().enumerate().map(|(i, x)| senml::Record {
                name: format!("{name}/{i}"),
                value: Some(senml::Value::Int(*x)),
            })),
            Value::Strs(list) => out.extend(list.iter().enumerate().map(|(i, x)| senml::Record {
                name: format!("{name}/{i}"),
                value: Some(senml::Value::Str(x.clone())),
            })),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DeviceConfig;
    use fota_coap::{Addr, SimRng};
    use fota_lwm2m::definitions::{self, ResourceType};

    #[test]
    fn every_resource_the_device_reads_matches_its_oma_definition() {
        let addr = Addr::new([192, 0, 2, 10], 5683);
        let device = Device::new(
            DeviceConfig {
                slot_size: 4096,
                ..DeviceConfig::new(addr, "t", Vec::new())
            },
            SimRng::new(1),
        );
        for object in [3, 4, 5] {
            for &r in readable(object) {
                let def = definitions::resource(object, r)
                    .unwrap_or_else(|| panic!("/{object}/0/{r} undefined"));
                assert!(
                    def.operations.readable(),
                    "/{object}/0/{r} {} is not readable",
                    def.name
                );
                let value = device
                    .value(object, r)
                    .unwrap_or_else(|| panic!("/{object}/0/{r} has no value"));
                let fits = match value {
                    Value::Int(_) => {
                        !def.multiple
                            && matches!(
                                def.kind,
                                ResourceType::Integer
                                    | ResourceType::UnsignedInteger
                                    | ResourceType::Time
                            )
                    }
                    Value::Str(_) => !def.multiple && def.kind == ResourceType::String,
                    Value::Ints(_) => def.multiple && def.kind == ResourceType::Integer,
                    Value::Strs(_) => def.multiple && def.kind == ResourceType::String,
                };
                assert!(
                    fits,
                    "/{object}/0/{r} {}: {value:?} against {:?}",
                    def.name, def.kind
                );
            }
        }
        for (object, r) in [(3, 4), (5, 0), (5, 2), (5, 10)] {
            let def = definitions::resource(object, r).unwrap();
            assert!(
                device.write_or_execute_only(object, r) && !def.operations.readable(),
                "/{object}/0/{r}"
            );
        }
    }
}
