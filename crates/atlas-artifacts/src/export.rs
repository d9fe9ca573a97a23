//! Components → the files the console UI downloads (apollo `Helper.getExportedNode` /
//! `exportNode`): the same fields, legacy keys synthesised, keys sorted, four-space JSON,
//! named `<display name>_<type>.json`. Input is a component as `GET /ak/api/v3/components/{id}`
//! returns it (without `parsed_certs`; `*_parsed` copies are dropped anyway).

use std::fmt;

use serde_json::{Map, Value};

use super::finding::{Finding, WHOLE_FILE};
use super::json::to_console_json;

/// A file ready to be written: its name and bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct ExportedFile {
    pub file_name: String,
    pub contents: Vec<u8>,
}

impl fmt::Debug for ExportedFile {
    // an identity file holds a private key: never print the contents
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExportedFile")
            .field("file_name", &self.file_name)
            .field("contents", &format_args!("<{} bytes>", self.contents.len()))
            .finish()
    }
}

/// Export choices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportOptions {
    /// Replaces `location: "ibm_saas"` (the console writes its `INFRASTRUCTURE` setting there;
    /// the Ansible collection writes `kubernetes`).
    pub platform: String,
}

impl Default for ExportOptions {
    fn default() -> Self {
        Self {
            platform: "kubernetes".into(),
        }
    }
}

fn get<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    let mut cur = v;
    for p in path {
        cur = cur.as_object()?.get(*p)?;
    }
    (!cur.is_null()).then_some(cur)
}

fn truthy(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
        Some(_) => true,
    }
}

fn set(out: &mut Map<String, Value>, key: &str, value: Option<&Value>) {
    if let Some(v) = value.filter(|v| !v.is_null()) {
        out.insert(key.into(), v.clone());
    }
}

/// apollo's `normalizeClusterId`: everything from the first `_` on is cut.
fn normalize_cluster_id(id: &str) -> String {
    id.split('_').next().unwrap_or(id).to_string()
}

/// Removes the `*_parsed` copies `parsed_certs=included` adds.
fn without_parsed(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| !k.ends_with("_parsed"))
                .map(|(k, v)| (k.clone(), without_parsed(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn type_of(component: &Value) -> Option<&str> {
    component.get("type").and_then(Value::as_str)
}

/// The exported object of one component (`getExportedNode`), `None` for an unknown type.
pub(crate) fn export_value(component: &Value, opts: &ExportOptions) -> Option<Value> {
    let t = type_of(component)?;
    let mut out = Map::new();
    let c = component;
    match t {
        "msp" | "msp-external" => {
            set(&mut out, "display_name", get(c, &["display_name"]));
            set(&mut out, "msp_id", get(c, &["msp_id"]));
            out.insert("type".into(), Value::String("msp".into()));
            for key in [
                "admins",
                "root_certs",
                "intermediate_certs",
                "tls_root_certs",
                "tls_intermediate_certs",
                "revocation_list",
                "organizational_unit_identifiers",
                "fabric_node_ous",
                "host_url",
                "id",
                "scheme_version",
            ] {
                set(&mut out, key, get(c, &[key]));
            }
            if truthy(get(c, &["migrated_from"])) {
                set(&mut out, "migrated_from", get(c, &["migrated_from"]));
            }
            set(&mut out, "name", get(c, &["display_name"]));
        }
        "fabric-ca" | "fabric-peer" | "fabric-orderer" => {
            for key in [
                "display_name",
                "grpcwp_url",
                "api_url",
                "operations_url",
                "osnadmin_url",
                "type",
                "msp_id",
                "systemless",
                "cluster_name",
                "id",
                "scheme_version",
            ] {
                set(&mut out, key, get(c, &[key]));
            }
            if get(c, &["systemless"]).is_some() || get(c, &["system_channel_id"]).is_some() {
                let id = if truthy(get(c, &["systemless"])) {
                    Some(Value::String(String::new()))
                } else {
                    get(c, &["system_channel_id"]).cloned()
                };
                set(&mut out, "system_channel_id", id.as_ref());
            }
            if let Some(msp) = get(c, &["msp"]) {
                out.insert("msp".into(), without_parsed(msp));
            }
            if let Some(id) = get(c, &["cluster_id"]).and_then(Value::as_str) {
                out.insert("cluster_id".into(), Value::String(normalize_cluster_id(id)));
            }
            let has_tls = get(c, &["msp", "component", "tls_cert"]).is_some();
            if !(t == "fabric-orderer" && has_tls) {
                set(&mut out, "client_tls_cert", get(c, &["client_tls_cert"]));
                set(&mut out, "server_tls_cert", get(c, &["server_tls_cert"]));
            }
            match get(c, &["location"]).and_then(Value::as_str) {
                Some("ibm_saas") => {
                    out.insert("location".into(), Value::String(opts.platform.clone()));
                }
                _ => set(&mut out, "location", get(c, &["location"])),
            }
            if truthy(get(c, &["migrated_from"])) {
                set(&mut out, "migrated_from", get(c, &["migrated_from"]));
            }
            // legacy fields "needed for import on older systems"
            set(&mut out, "name", get(c, &["display_name"]));
            let pem = get(c, &["tls_ca_root_cert"])
                .filter(|v| truthy(Some(v)))
                .or(get(c, &["msp", "component", "tls_cert"]));
            set(&mut out, "pem", pem);
            // `/ak/` responses drop a CA's `ca_url`; the session routes the UI uses keep it
            let ca_url = get(c, &["ca_url"]).or(if t == "fabric-ca" {
                get(c, &["api_url"])
            } else {
                None
            });
            set(&mut out, "ca_url", ca_url);
            set(&mut out, "ca_name", get(c, &["msp", "ca", "name"]));
            set(&mut out, "tlsca_name", get(c, &["msp", "tlsca", "name"]));
            set(
                &mut out,
                "tls_cert",
                get(c, &["msp", "component", "tls_cert"]),
            );
            set(
                &mut out,
                "tls_ca_root_cert",
                get(c, &["msp", "tlsca", "root_certs"])
                    .and_then(Value::as_array)
                    .and_then(|a| a.first()),
            );
        }
        _ => return None,
    }
    Some(Value::Object(out))
}

/// `fabric-peer` → `peer`, as in the console's file names.
pub(crate) fn type_suffix(t: &str) -> String {
    t.replacen("fabric-", "", 1)
}

fn refuse(file: &str, reason: impl Into<String>) -> Finding {
    Finding::error(file, WHOLE_FILE, reason)
}

/// The console's file for one component: `<display_name>_<type>.json`.
pub fn export_component(component: &Value, opts: &ExportOptions) -> Result<ExportedFile, Finding> {
    let t = type_of(component).unwrap_or_default().to_string();
    let name = ["display_name", "cluster_name", "name"]
        .iter()
        .find_map(|k| get(component, &[k]).and_then(Value::as_str))
        .filter(|n| !n.is_empty())
        .unwrap_or("component");
    let file_name = format!("{name}_{}.json", type_suffix(&t));
    let Some(value) = export_value(component, opts) else {
        return Err(refuse(
            &file_name,
            format!("cannot export a component of type '{t}' (expected fabric-ca, fabric-peer, fabric-orderer or msp)"),
        ));
    };
    Ok(ExportedFile {
        file_name,
        contents: to_console_json(&value).into_bytes(),
    })
}

/// The console's file for an ordering service: `<cluster_name>_orderer.json`, a JSON array
/// with one object per node.
pub fn export_ordering_service(
    nodes: &[Value],
    opts: &ExportOptions,
) -> Result<ExportedFile, Finding> {
    let cluster = nodes
        .iter()
        .find_map(|n| get(n, &["cluster_name"]).and_then(Value::as_str))
        .unwrap_or("Ordering Service");
    let file_name = format!("{cluster}_orderer.json");
    if nodes.is_empty() {
        return Err(refuse(
            &file_name,
            "an ordering service export needs at least one node",
        ));
    }
    let mut list = Vec::new();
    for (i, node) in nodes.iter().enumerate() {
        if type_of(node) != Some("fabric-orderer") {
            return Err(Finding::error(
                &file_name,
                format!("[{i}].type"),
                "is not an orderer node (type fabric-orderer)",
            ));
        }
        list.extend(export_value(node, opts));
    }
    Ok(ExportedFile {
        file_name,
        contents: to_console_json(&Value::Array(list)).into_bytes(),
    })
}
