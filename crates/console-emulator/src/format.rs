//! Stored document -> v3 `/ak/` response, following athena's `fmt_component_resp`: the flat
//! certificate fields go back under `msp.{ca,tlsca,component}`, legacy fields are dropped,
//! deployment-only fields appear with `deployment_attrs=included`, parsed certificates with
//! `parsed_certs=included`. Keys come out sorted (serde_json maps are ordered).

use serde_json::{json, Map, Value};

use crate::certs::parse_certificate;
use crate::normalize::{fmt_type, CA, MSP, ORDERER, PEER};
use crate::store::Doc;
use crate::util::{truthy, Ordered};

/// The query flags that change a component's representation.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct View {
    pub deployment_attrs: bool,
    pub parsed_certs: bool,
}

/// athena's `SYSTEM_CHANNEL_ID` setting.
const SYSTEM_CHANNEL_ID: &str = "testchainid";

fn take(doc: &mut Map<String, Value>, key: &str) -> Option<Value> {
    doc.remove(key).filter(|v| !v.is_null())
}

fn parsed(value: Option<&Value>, now_ms: u64) -> Value {
    value
        .and_then(Value::as_str)
        .and_then(|c| parse_certificate(c, now_ms))
        .unwrap_or(Value::Null)
}

fn parsed_list(value: &Value, now_ms: u64) -> Value {
    match value {
        Value::Array(list) => list.iter().map(|c| parsed(Some(c), now_ms)).collect(),
        other => Value::Array(vec![parsed(Some(other), now_ms)]),
    }
}

/// One component as the v3 API returns it.
pub(crate) fn component_response(doc: &Doc, view: View, now_ms: u64) -> Value {
    let mut d = doc.clone();
    d.remove("_rev");
    if let Some(id) = d.remove("_id") {
        d.insert("id".into(), id);
    }
    let doc_type = fmt_type(d.get("type").or_else(|| d.get("node_type")));
    d.insert(
        "type".into(),
        doc_type.map_or(Value::Null, |t| Value::String(t.into())),
    );
    if !d.get("display_name").is_some_and(truthy) {
        if let Some(name) = d.get("name").or_else(|| d.get("short_name")).cloned() {
            d.insert("display_name".into(), name);
        }
    }
    if !d.get("tls_cert").is_some_and(truthy) {
        if let Some(pem) = d.get("pem").cloned() {
            d.insert("tls_cert".into(), pem);
        }
    }
    for key in [
        "z_debug",
        "debug",
        "prefix",
        "url2use",
        "short_name",
        "node_type",
        "node_id",
        "backend_addr",
        "ca_url",
        "pem",
        "name",
        "db_type",
        "system_channel_data",
        "crypto",
        "enroll_id",
        "enroll_secret",
        "tls_enroll_id",
        "tls_enroll_secret",
    ] {
        d.remove(key);
    }
    if let Some(co) = d.remove("configoverride") {
        d.insert("config_override".into(), co);
    }
    if !d.get("scheme_version").is_some_and(truthy) {
        d.insert("scheme_version".into(), Value::String("v0".into()));
    }
    if !d.get("location").is_some_and(truthy) {
        d.insert("location".into(), Value::String("-".into()));
    }
    if doc_type == Some(ORDERER) {
        let fin = d.get("consenter_proposal_fin") != Some(&Value::Bool(false));
        d.insert("consenter_proposal_fin".into(), Value::Bool(fin));
        if !d.get("system_channel_id").is_some_and(Value::is_string) {
            d.insert("system_channel_id".into(), SYSTEM_CHANNEL_ID.into());
        }
    }
    let tls_roots = take(&mut d, "tls_ca_root_certs")
        .or_else(|| take(&mut d, "tls_ca_root_cert"))
        .map(|v| {
            if v.is_array() {
                v
            } else {
                Value::Array(vec![v])
            }
        });
    d.remove("tls_ca_root_cert");
    if let Some(roots) = &tls_roots {
        d.insert("tls_ca_root_certs".into(), roots.clone());
    }

    if view.parsed_certs {
        let tls = parsed(d.get("tls_cert"), now_ms);
        d.insert("tls_cert_parsed".into(), tls);
        for field in ["admin_certs", "ca_root_certs", "tls_ca_root_certs"] {
            if let Some(v) = d.get(field).filter(|v| truthy(v)) {
                let p = parsed_list(v, now_ms);
                d.insert(format!("{field}_parsed"), p);
            }
        }
    }
    if let Some(cert) = d.get("ecert").and_then(|e| e.get("cert")).cloned() {
        d.insert("ecert".into(), cert);
    }

    if doc_type != Some(MSP) {
        nest_msp(&mut d, doc_type, view);
    }

    if !view.deployment_attrs {
        for key in [
            "resources",
            "resource_warnings",
            "storage",
            "version",
            "zone",
            "state_db",
            "region",
            "dep_component_id",
            "certs",
            "last_k8s_sync_ts",
            "node_ou",
            "crypto",
        ] {
            d.remove(key);
        }
    }
    Value::Object(d)
}

/// athena's `fmt_v3`: the internal certificate fields move under `msp`.
fn nest_msp(d: &mut Map<String, Value>, doc_type: Option<&str>, view: View) {
    let mut ca = Map::new();
    if let Some(v) = take(d, "ca_root_certs") {
        ca.insert("root_certs".into(), v);
    }
    if let Some(v) = take(d, "ca_name").filter(truthy) {
        ca.insert("name".into(), v);
    }
    let mut tlsca = Map::new();
    if let Some(v) = take(d, "tls_ca_root_certs") {
        tlsca.insert("root_certs".into(), v);
    }
    if let Some(v) = take(d, "tlsca_name").filter(truthy) {
        tlsca.insert("name".into(), v);
    }
    let mut component = Map::new();
    for (from, to) in [
        ("tls_cert", "tls_cert"),
        ("ecert", "ecert"),
        ("admin_certs", "admin_certs"),
    ] {
        if let Some(v) = take(d, from) {
            component.insert(to.into(), v);
        }
    }

    if view.parsed_certs {
        // athena writes these into `msp.ca`/`msp.tlsca` even when it has just removed them
        // (and then fails); the emulator only fills the sections that exist
        if let Some(v) = take(d, "ca_root_certs_parsed") {
            if !ca.is_empty() {
                ca.insert("root_certs_parsed".into(), v);
            }
        }
        if let Some(v) = take(d, "tls_ca_root_certs_parsed") {
            if !tlsca.is_empty() {
                tlsca.insert("root_certs_parsed".into(), v);
            }
        }
        if let Some(v) = take(d, "admin_certs_parsed") {
            component.insert("admin_certs_parsed".into(), v);
        }
        if let Some(v) = d.remove("tls_cert_parsed") {
            component.insert("tls_cert_parsed".into(), v);
        }
    }
    for key in [
        "ca_root_certs_parsed",
        "tls_ca_root_certs_parsed",
        "admin_certs_parsed",
        "tls_cert_parsed",
    ] {
        d.remove(key);
    }

    let node = matches!(doc_type, Some(PEER) | Some(ORDERER));
    if !node {
        component.remove("ecert");
    }
    if doc_type == Some(CA) {
        component.remove("admin_certs");
    }
    if view.deployment_attrs {
        if node && !component.get("admin_certs").is_some_and(Value::is_array) {
            component.insert("admin_certs".into(), json!([]));
        }
    } else {
        component.remove("admin_certs");
        component.remove("admin_certs_parsed");
        component.remove("ecert");
    }

    let mut msp = Map::new();
    if !ca.is_empty() {
        msp.insert("ca".into(), Value::Object(ca));
    }
    if !tlsca.is_empty() {
        msp.insert("tlsca".into(), Value::Object(tlsca));
    }
    msp.insert("component".into(), Value::Object(component));
    for (field, section) in [
        ("intermediate_certs", "intermediate_ca"),
        ("tls_intermediate_certs", "intermediate_tlsca"),
    ] {
        if let Some(list) = d
            .get(field)
            .and_then(Value::as_array)
            .filter(|l| !l.is_empty())
        {
            msp.insert(section.into(), json!({ "root_certs": list }));
        }
    }
    d.insert("msp".into(), Value::Object(msp));
}

/// Lists are sorted by upper-cased `display_name + id`, like the console's `sortComponents`.
pub(crate) fn sort_components(list: &mut [Value]) {
    let key = |c: &Value| {
        let name = c
            .get("display_name")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .unwrap_or("?");
        let id = c.get("id").and_then(Value::as_str).unwrap_or("undefined");
        format!("{name}{id}").to_uppercase()
    };
    list.sort_by_key(key);
}

/// `{"message":"deleted","id","display_name","type"}`.
pub(crate) fn delete_response(doc: &Doc) -> Ordered {
    let display = doc
        .get("display_name")
        .or_else(|| doc.get("short_name"))
        .filter(|v| truthy(v))
        .cloned()
        .unwrap_or_else(|| "???".into());
    Ordered::new()
        .with("message", "deleted")
        .with(
            "id",
            doc.get("_id").cloned().unwrap_or_else(|| "???".into()),
        )
        .with("display_name", display)
        .with(
            "type",
            fmt_type(doc.get("type").or_else(|| doc.get("node_type"))).unwrap_or("???"),
        )
}

/// What a plain GET returns for a while after a DELETE (athena's cache holds the CouchDB
/// delete result wrapped around the old document, recordings 47 and 49).
pub(crate) fn stale_response(old: &Doc, new_rev: &str) -> Value {
    json!({
        "doc": old,
        "id": old.get("_id").cloned().unwrap_or(Value::Null),
        "location": "-",
        "msp": { "component": {} },
        "ok": true,
        "rev": new_rev,
        "scheme_version": "v0",
        "type": null,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(v: Value) -> Doc {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn peer_response_nests_certificates() {
        let d = doc(json!({
            "_id": "p", "_rev": "1-x", "type": "fabric-peer", "display_name": "P",
            "ca_root_certs": ["A"], "tls_ca_root_certs": ["B"], "tls_cert": "C",
            "admin_certs": ["D"], "ecert": "E", "scheme_version": "v1"
        }));
        let r = component_response(&d, View::default(), 0);
        assert_eq!(
            r["msp"],
            json!({"ca": {"root_certs": ["A"]}, "tlsca": {"root_certs": ["B"]},
                   "component": {"tls_cert": "C"}})
        );
        assert_eq!(r["id"], "p");
        assert_eq!(r["location"], "-");
        assert!(r.get("_rev").is_none());
        let r = component_response(
            &d,
            View {
                deployment_attrs: true,
                parsed_certs: false,
            },
            0,
        );
        assert_eq!(r["msp"]["component"]["admin_certs"], json!(["D"]));
        assert_eq!(r["msp"]["component"]["ecert"], "E");
    }

    #[test]
    fn msp_response_is_flat() {
        let d = doc(json!({"_id": "m", "type": "msp", "root_certs": ["A"], "admins": []}));
        let r = component_response(
            &d,
            View {
                deployment_attrs: false,
                parsed_certs: true,
            },
            0,
        );
        assert!(r.get("msp").is_none());
        assert_eq!(r["tls_cert_parsed"], Value::Null);
    }

    #[test]
    fn sort_order_is_display_name_then_id() {
        let mut list = vec![
            json!({"display_name": "Org1 MSP", "id": "org1msp"}),
            json!({"display_name": "Org1 MSP Full", "id": "org1mspfull"}),
        ];
        sort_components(&mut list);
        assert_eq!(list[0]["id"], "org1mspfull");
    }
}
