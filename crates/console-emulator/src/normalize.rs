//! Turning an import or edit body into the stored document, as athena's
//! `format_input_to_doc` does: ids from display names, the v3 `msp` object flattened into
//! internal certificate fields, the type added to the (lower-cased, sorted) tags, defaults.

use serde_json::{Map, Value};
use std::collections::HashSet;

use crate::ids::build_id;
use crate::store::Doc;
use crate::util::truthy;

pub(crate) const CA: &str = "fabric-ca";
pub(crate) const PEER: &str = "fabric-peer";
pub(crate) const ORDERER: &str = "fabric-orderer";
pub(crate) const MSP: &str = "msp";
pub(crate) const MSP_EXTERNAL: &str = "msp-external";

/// athena's `fmt_type`: the canonical type for a (case-insensitive, possibly legacy) name.
pub(crate) fn fmt_type(value: Option<&Value>) -> Option<&'static str> {
    let name = value?.as_str()?.to_ascii_uppercase();
    Some(match name.as_str() {
        "FABRIC-CA" | "CA" => CA,
        "FABRIC-PEER" | "PEER" => PEER,
        "FABRIC-ORDERER" | "ORDERER" => ORDERER,
        "MSP" => MSP,
        "MSP-EXTERNAL" => MSP_EXTERNAL,
        _ => return None,
    })
}

/// The component type of a document or body (`type`, or the legacy `node_type`).
pub(crate) fn type_of(doc: &Map<String, Value>) -> Option<&'static str> {
    let t = doc.get("type").filter(|v| truthy(v));
    fmt_type(t.or_else(|| doc.get("node_type")))
}

/// Lower-case, strip odd characters, cap at 32 characters, de-duplicate and sort.
pub(crate) fn fmt_tags(tags: &[Value]) -> Vec<String> {
    let mut out: Vec<String> = tags
        .iter()
        .filter_map(Value::as_str)
        .map(|t| {
            t.to_lowercase()
                .chars()
                .filter(|c| {
                    c.is_ascii_lowercase() || c.is_ascii_digit() || "-_+!@#$*?:,'".contains(*c)
                })
                .take(32)
                .collect::<String>()
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Removes `<`, `>` and backticks, which the console strips from names it displays.
fn strip_markup(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '<' | '>' | '`'))
        .collect()
}

/// The first of `paths` (dotted) that holds a non-null value.
fn first_of(doc: &Map<String, Value>, paths: &[&str]) -> Option<Value> {
    paths.iter().find_map(|path| {
        let mut parts = path.split('.');
        let mut cur = doc.get(parts.next()?)?;
        for p in parts {
            cur = cur.as_object()?.get(p)?;
        }
        (!cur.is_null()).then(|| cur.clone())
    })
}

/// Sets `key` when the value is truthy, removes it otherwise (JS `x || undefined`).
fn set_or_remove(doc: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    match value.filter(truthy) {
        Some(v) => {
            doc.insert(key.to_string(), v);
        }
        None => {
            doc.remove(key);
        }
    }
}

/// athena's `format_input_to_doc`. `taken` is the set of existing ids for a new document;
/// `None` for an edit (the caller puts the id back). Returns `None` for a non-object.
pub(crate) fn input_to_doc(
    input: &Value,
    taken: Option<&HashSet<String>>,
    now_ms: u64,
) -> Option<Doc> {
    let mut doc = input.as_object()?.clone();

    if let Some(loc) = doc
        .get("location")
        .and_then(Value::as_str)
        .map(strip_markup)
    {
        if !loc.is_empty() {
            doc.insert("location".into(), Value::String(loc));
        }
    }

    let display = first_truthy(&doc, &["display_name", "name", "short_name"]);
    let display = display.map(|v| match v {
        Value::String(s) => Value::String(strip_markup(&s)),
        other => other,
    });
    set_or_remove(&mut doc, "display_name", display);

    match doc.remove("id").filter(truthy) {
        Some(Value::String(id)) => {
            doc.insert("_id".into(), Value::String(id));
        }
        _ => {
            let name = doc.get("display_name").and_then(Value::as_str);
            doc.insert("_id".into(), Value::String(build_id(name, taken)));
        }
    }

    let doc_type = type_of(&doc);
    doc.insert(
        "type".into(),
        doc_type.map_or(Value::Null, |t| Value::String(t.into())),
    );

    let tls_cert = first_of(&doc, &["msp.component.tls_cert", "tls_cert", "pem"]);
    set_or_remove(&mut doc, "tls_cert", tls_cert);
    doc.remove("pem");

    if doc_type != Some(MSP) {
        let ca_roots = first_of(&doc, &["msp.ca.root_certs", "ca_root_certs"]);
        set_or_remove(&mut doc, "ca_root_certs", ca_roots);
        let tls_roots = first_of(
            &doc,
            &[
                "msp.tlsca.root_certs",
                "tls_ca_root_cert",
                "tls_ca_root_certs",
            ],
        )
        .map(forced_array);
        set_or_remove(&mut doc, "tls_ca_root_certs", tls_roots);
        let ecert = first_of(&doc, &["msp.component.ecert", "ecert.cert", "ecert"]);
        set_or_remove(&mut doc, "ecert", ecert);
        let admins = first_of(&doc, &["msp.component.admin_certs", "admin_certs"]);
        set_or_remove(&mut doc, "admin_certs", admins);
        doc.remove("tls_ca_root_cert");
        let tlsca_name = first_of(&doc, &["msp.tlsca.name", "tlsca_name"]);
        set_or_remove(&mut doc, "tlsca_name", tlsca_name);
        let ca_name = first_of(&doc, &["msp.ca.name", "ca_name"]);
        set_or_remove(&mut doc, "ca_name", ca_name);
    }

    let overrides = first_truthy(&doc, &["config_override", "configoverride"]);
    set_or_remove(&mut doc, "config_override", overrides);
    doc.remove("configoverride");

    let mut tags = match doc.get("tags") {
        Some(Value::Array(a)) => a.clone(),
        _ => Vec::new(),
    };
    if !doc.get("scheme_version").is_some_and(truthy) {
        doc.insert("scheme_version".into(), Value::String("v1".into()));
    }
    if !doc.get("timestamp").is_some_and(truthy) {
        doc.insert("timestamp".into(), Value::from(now_ms));
    }
    for legacy in ["node_type", "name", "short_name", "node_id"] {
        doc.remove(legacy);
    }

    match doc_type {
        Some(CA) => {
            let url = first_truthy(&doc, &["api_url", "ca_url", "url"]);
            set_or_remove(&mut doc, "api_url", url);
            tags.push(Value::String(CA.into()));
        }
        Some(PEER) => {
            let url = first_truthy(&doc, &["grpcwp_url", "url"]);
            set_or_remove(&mut doc, "grpcwp_url", url);
            tags.push(Value::String(PEER.into()));
        }
        Some(ORDERER) => {
            let cluster_name = doc
                .get("cluster_name")
                .and_then(Value::as_str)
                .map(strip_markup)
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "My OS".to_string());
            doc.insert("cluster_name".into(), Value::String(cluster_name));
            if let Some(cluster) = doc.get("cluster_id").filter(|v| truthy(v)).cloned() {
                let id = build_id(cluster.as_str(), None);
                doc.insert("cluster_id".into(), Value::String(id));
            }
            let url = first_truthy(&doc, &["grpcwp_url", "url"]);
            set_or_remove(&mut doc, "grpcwp_url", url);
            tags.push(Value::String(ORDERER.into()));
            let fin = doc.get("consenter_proposal_fin") != Some(&Value::Bool(false));
            doc.insert("consenter_proposal_fin".into(), Value::Bool(fin));
        }
        Some(t @ (MSP | MSP_EXTERNAL)) => {
            tags.push(Value::String(t.into()));
            for key in ["admins", "tls_root_certs"] {
                if !doc.get(key).is_some_and(truthy) {
                    doc.insert(key.into(), Value::Array(Vec::new()));
                }
            }
        }
        _ => {}
    }
    let tags = fmt_tags(&tags).into_iter().map(Value::String).collect();
    doc.insert("tags".into(), Value::Array(tags));

    for key in [
        "url",
        "ca_url",
        "msp",
        "url2use",
        "upgradable_versions",
        "isUpgradeAvailable",
        "backend_addr",
        "resource_warnings",
        "cr_status",
        "crstatus",
    ] {
        doc.remove(key);
    }
    Some(doc)
}

fn first_truthy(doc: &Map<String, Value>, keys: &[&str]) -> Option<Value> {
    keys.iter()
        .find_map(|k| doc.get(*k).filter(|v| truthy(v)).cloned())
}

/// athena's `forced_array`: a single value becomes a one-element array.
fn forced_array(v: Value) -> Value {
    match v {
        Value::Array(_) => v,
        other if truthy(&other) => Value::Array(vec![other]),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn peer_body_is_flattened() {
        let body = json!({
            "display_name": "Org1 Peer0", "msp_id": "Org1MSP", "type": "fabric-peer",
            "api_url": "grpcs://127.0.0.1:7051", "grpcwp_url": "https://127.0.0.1:7443",
            "msp": {"ca": {"root_certs": ["A"]}, "tlsca": {"root_certs": ["B"]},
                    "component": {"tls_cert": "C"}},
            "tags": ["Org1"]
        });
        let doc = input_to_doc(&body, Some(&HashSet::new()), 7).unwrap();
        assert_eq!(doc["_id"], "org1peer0");
        assert_eq!(doc["ca_root_certs"], json!(["A"]));
        assert_eq!(doc["tls_ca_root_certs"], json!(["B"]));
        assert_eq!(doc["tls_cert"], "C");
        assert_eq!(doc["tags"], json!(["fabric-peer", "org1"]));
        assert_eq!(doc["timestamp"], 7);
        assert_eq!(doc["scheme_version"], "v1");
        assert!(doc.get("msp").is_none());
    }

    #[test]
    fn msp_defaults() {
        let doc =
            input_to_doc(&json!({"type": "msp", "display_name": "Bulk bad"}), None, 1).unwrap();
        assert_eq!(doc["admins"], json!([]));
        assert_eq!(doc["tls_root_certs"], json!([]));
        assert!(doc.get("root_certs").is_none());
        assert_eq!(doc["tags"], json!(["msp"]));
    }

    #[test]
    fn orderer_defaults() {
        let doc = input_to_doc(
            &json!({"type": "fabric-orderer", "display_name": "O", "cluster_id": "Raft 1"}),
            None,
            1,
        )
        .unwrap();
        assert_eq!(doc["cluster_id"], "raft1");
        assert_eq!(doc["cluster_name"], "My OS");
        assert_eq!(doc["consenter_proposal_fin"], true);
    }

    #[test]
    fn tags_are_normalised() {
        let tags = fmt_tags(&[json!("B"), json!("a b"), json!("b"), json!(3)]);
        assert_eq!(tags, vec!["ab", "b"]);
    }
}
