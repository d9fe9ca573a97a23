//! JSON value → typed model, reporting wrong types (with their path) and keys the console
//! would refuse or that would be lost.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::finding::{join, Sink};
use super::model::{
    ArtifactKind, CaFile, Identity, IdentityFormat, MspDefinition, OrdererNode, PeerFile,
};
use crate::Secret;

/// Keys of CA, peer and orderer files that the transform reads.
const COMMON_KEYS: &[&str] = &[
    "display_name",
    "name",
    "short_name",
    "id",
    "type",
    "api_url",
    "operations_url",
    "location",
    "tags",
    "msp",
    "scheme_version",
    "imported",
    "migrated_from",
    "cluster_type",
    "console_type",
    "associatedIdentityName",
    "tls_ca_root_cert",
    "tls_cert",
    "pem",
    "ca_name",
    "tlsca_name",
    "ca_url",
    "url",
    "operations",
];
const NODE_KEYS: &[&str] = &["msp_id", "grpcwp_url", "node_ou"];
const ORDERER_KEYS: &[&str] = &[
    "cluster_id",
    "cluster_name",
    "osnadmin_url",
    "systemless",
    "system_channel_id",
    "consenter_proposal_fin",
    "server_tls_cert",
    "client_tls_cert",
];
/// What a console response or deployment adds; dropped without a word.
const METADATA_KEYS: &[&str] = &[
    "timestamp",
    "edited_timestamp",
    "message",
    "_id",
    "_rev",
    "dep_component_id",
    "resources",
    "storage",
    "version",
    "zone",
    "region",
    "state_db",
    "config_override",
    "resource_warnings",
    "last_k8s_sync_ts",
    "preferred_url",
    "disable_ca_proxy",
    "root_cert",
    "fabric_version",
    "issuer_public_key",
    "issued_known_msps",
    "issued_by_ca_id",
    "status",
    "tls_ca_root_certs",
];
const MSP_KEYS: &[&str] = &[
    "msp_id",
    "display_name",
    "name",
    "short_name",
    "id",
    "type",
    "root_certs",
    "intermediate_certs",
    "admins",
    "tls_root_certs",
    "tls_intermediate_certs",
    "revocation_list",
    "organizational_unit_identifiers",
    "fabric_node_ous",
    "host_url",
    "tags",
    "location",
    "scheme_version",
    "imported",
    "migrated_from",
];
const IDENTITY_KEYS: &[&str] = &["name", "cert", "private_key", "type", "ca", "hsm"];

/// Deserializes `value` into `T`; a wrong type becomes an error naming its path.
pub(crate) fn typed<T: DeserializeOwned>(value: &Value, sink: &mut Sink) -> Option<T> {
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(t) => Some(t),
        Err(e) => {
            let mut path = String::new();
            for seg in e.path().iter() {
                let part = match seg {
                    serde_path_to_error::Segment::Seq { index } => format!("[{index}]"),
                    serde_path_to_error::Segment::Map { key } => key.clone(),
                    serde_path_to_error::Segment::Enum { variant } => variant.clone(),
                    serde_path_to_error::Segment::Unknown => "?".into(),
                };
                path = join(&path, &part);
            }
            sink.error(&path, e.into_inner().to_string());
            None
        }
    }
}

fn is_parsed_copy(key: &str) -> bool {
    key.ends_with("_parsed")
}

/// Top-level keys outside `known`: kept in the returned map, reported as `how` says.
fn unknown_top_level(
    obj: &Map<String, Value>,
    known: &[&[&str]],
    sink: &mut Sink,
    how: &str,
) -> BTreeMap<String, Value> {
    let mut extra = BTreeMap::new();
    for (key, value) in obj {
        if known.iter().any(|k| k.contains(&key.as_str()))
            || METADATA_KEYS.contains(&key.as_str())
            || is_parsed_copy(key)
        {
            continue;
        }
        sink.warn(key, format!("unknown field: {how}"));
        extra.insert(key.clone(), value.clone());
    }
    extra
}

/// Keys inside `msp`: the console refuses unknown ones; known-but-refused ones are dropped.
fn msp_keys(obj: &Map<String, Value>, kind: ArtifactKind, sink: &mut Sink) {
    let Some(msp) = obj.get("msp").and_then(Value::as_object) else {
        return;
    };
    let refuse = |sink: &mut Sink, path: &str| {
        sink.error(
            path,
            "unknown key: the console's import API refuses unknown keys inside msp",
        )
    };
    for (key, value) in msp {
        let path = format!("msp.{key}");
        match key.as_str() {
            "ca" | "tlsca" => {
                for k in value.as_object().map(Map::keys).into_iter().flatten() {
                    if !matches!(k.as_str(), "name" | "root_certs") && !is_parsed_copy(k) {
                        refuse(sink, &format!("{path}.{k}"));
                    }
                }
            }
            "component" => {
                for k in value.as_object().map(Map::keys).into_iter().flatten() {
                    match (k.as_str(), kind) {
                        ("tls_cert", _) => {}
                        ("ecert" | "admin_certs", ArtifactKind::Peer | ArtifactKind::Orderer) => {}
                        ("ecert" | "admin_certs", _) => sink.warn(
                            &format!("{path}.{k}"),
                            "a CA has no enrollment or admin certificates here; left out on import",
                        ),
                        (k, _) if is_parsed_copy(k) => {}
                        _ => refuse(sink, &format!("{path}.{k}")),
                    }
                }
            }
            // refused by the v3 import API: the transform sends them after the roots
            "intermediate_ca" | "intermediate_tlsca" => {
                for k in value.as_object().map(Map::keys).into_iter().flatten() {
                    if k != "root_certs" && !is_parsed_copy(k) {
                        sink.warn(
                            &format!("{path}.{k}"),
                            "unknown key: only root_certs is read here; it is left out",
                        );
                    }
                }
            }
            k if is_parsed_copy(k) => {}
            _ => refuse(sink, &path),
        }
    }
}

pub(crate) fn ca(value: &Value, sink: &mut Sink) -> Option<CaFile> {
    let obj = value.as_object()?;
    msp_keys(obj, ArtifactKind::Ca, sink);
    let extra = unknown_top_level(obj, &[COMMON_KEYS], sink, "it is not imported");
    let common = typed(value, sink)?;
    Some(CaFile { common, extra })
}

pub(crate) fn peer(value: &Value, sink: &mut Sink) -> Option<PeerFile> {
    let obj = value.as_object()?;
    msp_keys(obj, ArtifactKind::Peer, sink);
    let extra = unknown_top_level(obj, &[COMMON_KEYS, NODE_KEYS], sink, "it is not imported");
    let common = typed(value, sink)?;
    let node = typed(value, sink)?;
    Some(PeerFile {
        common,
        node,
        extra,
    })
}

pub(crate) fn orderer_node(value: &Value, sink: &mut Sink) -> Option<OrdererNode> {
    let obj = value.as_object()?;
    msp_keys(obj, ArtifactKind::Orderer, sink);
    let extra = unknown_top_level(
        obj,
        &[COMMON_KEYS, NODE_KEYS, ORDERER_KEYS],
        sink,
        "it is not imported",
    );
    let common = typed(value, sink)?;
    let node = typed(value, sink)?;
    let orderer = typed(value, sink)?;
    Some(OrdererNode {
        common,
        node,
        orderer,
        extra,
    })
}

pub(crate) fn msp(value: &Value, sink: &mut Sink) -> Option<MspDefinition> {
    let obj = value.as_object()?;
    let extra = unknown_top_level(obj, &[MSP_KEYS], sink, "the console stores it as it is");
    let mut msp: MspDefinition = typed(value, sink)?;
    msp.extra = extra;
    Some(msp)
}

fn string_field(obj: &Map<String, Value>, key: &str, sink: &mut Sink) -> Option<String> {
    match obj.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => {
            sink.error(key, format!("must be a string, not {}", json_type(other)));
            None
        }
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A wallet identity, console or Ansible layout. A missing `name`/`cert` comes back empty for
/// validation to report; the private key goes straight into a [`Secret`].
pub(crate) fn identity(value: &Value, sink: &mut Sink) -> Option<Identity> {
    let obj = value.as_object()?;
    unknown_top_level(obj, &[IDENTITY_KEYS], sink, "the console ignores it");
    let before = sink.findings.len();
    let name = string_field(obj, "name", sink);
    let cert = string_field(obj, "cert", sink);
    let ca = string_field(obj, "ca", sink);
    let kind = string_field(obj, "type", sink);
    let private_key = match obj.get("private_key") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(Secret::new(s.clone())),
        Some(other) => {
            sink.error(
                "private_key",
                format!("must be a string, not {}", json_type(other)),
            );
            None
        }
    };
    let hsm = match obj.get("hsm") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            sink.error(
                "hsm",
                format!("must be a boolean, not {}", json_type(other)),
            );
            false
        }
    };
    if let Some(t) = kind.as_deref().filter(|t| *t != "identity") {
        sink.error(
            "type",
            format!("is '{t}'; an identity file has type 'identity'"),
        );
    }
    if sink.findings[before..].iter().any(|f| f.is_error()) {
        return None;
    }
    let format = if obj.contains_key("ca") || obj.contains_key("hsm") {
        IdentityFormat::Ansible
    } else {
        IdentityFormat::Console
    };
    Some(Identity {
        name: name.unwrap_or_default(),
        cert: cert.unwrap_or_default(),
        private_key,
        ca,
        hsm,
        format,
    })
}
