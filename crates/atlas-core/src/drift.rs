//! Drift: the same node (same API URL) or MSP (same MSP id) held by several consoles with
//! different content — certificates, URLs, admins, TLS roots. Pure: console lists in, each
//! drifting artifact out with its fields side by side; and the edit body that makes a copy equal
//! to a chosen one, limited to what the console's edit route takes.

use serde::Serialize;
use serde_json::{Map, Value};
use ts_rs::TS;

use crate::artifacts::{pem, x509};
use crate::component::{Component, ComponentKind};
use crate::fleet::Region;
use crate::ipc::UnreadRegion;
use crate::posture::nodes::node_key;
use crate::posture::HeldBy;

/// How the console's edit route (`PUT /components/{id}`) takes a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edit {
    /// As the top-level key of the same name.
    Top,
    /// Only inside the whole `msp` object (peers and ordering nodes).
    Msp,
    /// Not at all (a CA's certificates): the copy must be imported again.
    No,
}

struct Field {
    /// JSON pointer into the console's record.
    path: &'static str,
    label: &'static str,
    edit: Edit,
    certs: bool,
}

const fn field(path: &'static str, label: &'static str, edit: Edit, certs: bool) -> Field {
    Field {
        path,
        label,
        edit,
        certs,
    }
}

const NODE_MSP: [Field; 7] = [
    field(
        "/msp/ca/root_certs",
        "CA root certificates",
        Edit::Msp,
        true,
    ),
    field(
        "/msp/ca/intermediate_certs",
        "CA intermediate certificates",
        Edit::Msp,
        true,
    ),
    field(
        "/msp/tlsca/root_certs",
        "TLS CA root certificates",
        Edit::Msp,
        true,
    ),
    field(
        "/msp/tlsca/intermediate_certs",
        "TLS CA intermediate certificates",
        Edit::Msp,
        true,
    ),
    field(
        "/msp/component/tls_cert",
        "TLS certificate",
        Edit::Msp,
        true,
    ),
    field(
        "/msp/component/ecert",
        "Enrollment certificate",
        Edit::Msp,
        true,
    ),
    field(
        "/msp/component/admin_certs",
        "Admin certificates",
        Edit::Msp,
        true,
    ),
];

const PEER: [Field; 3] = [
    field("/msp_id", "MSP id", Edit::Top, false),
    field("/operations_url", "Operations URL", Edit::Top, false),
    field("/grpcwp_url", "gRPC-web proxy URL", Edit::Top, false),
];

const ORDERER_EXTRA: [Field; 2] = [
    field("/osnadmin_url", "OSN admin URL", Edit::Top, false),
    field("/cluster_name", "Ordering service name", Edit::Top, false),
];

const CA: [Field; 6] = [
    field("/operations_url", "Operations URL", Edit::Top, false),
    field("/msp/ca/name", "CA name", Edit::No, false),
    field("/msp/tlsca/name", "TLS CA name", Edit::No, false),
    field("/msp/ca/root_certs", "CA root certificates", Edit::No, true),
    field(
        "/msp/tlsca/root_certs",
        "TLS CA root certificates",
        Edit::No,
        true,
    ),
    field("/msp/component/tls_cert", "TLS certificate", Edit::No, true),
];

const MSP: [Field; 8] = [
    field("/root_certs", "Root certificates", Edit::Top, true),
    field(
        "/intermediate_certs",
        "Intermediate certificates",
        Edit::Top,
        true,
    ),
    field("/admins", "Admins", Edit::Top, true),
    field("/tls_root_certs", "TLS root certificates", Edit::Top, true),
    field(
        "/tls_intermediate_certs",
        "TLS intermediate certificates",
        Edit::Top,
        true,
    ),
    field("/revocation_list", "Revocation list", Edit::Top, false),
    field(
        "/organizational_unit_identifiers",
        "Organizational units",
        Edit::Top,
        false,
    ),
    field("/fabric_node_ous", "Node OUs", Edit::Top, false),
];

fn fields_of(kind: ComponentKind) -> Vec<&'static Field> {
    match kind {
        ComponentKind::Peer => PEER.iter().chain(&NODE_MSP).collect(),
        ComponentKind::Orderer => PEER.iter().chain(&ORDERER_EXTRA).chain(&NODE_MSP).collect(),
        ComponentKind::Ca => CA.iter().collect(),
        ComponentKind::Msp => MSP.iter().collect(),
        ComponentKind::Other => Vec::new(),
    }
}

/// A node or MSP whose copies on several consoles differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Drift {
    /// A node's normalised API URL, or `msp:<MSP id>`: what "make equal" names it by.
    pub key: String,
    pub kind: ComponentKind,
    pub display_name: String,
    /// Every copy, in the fleet's order.
    pub copies: Vec<HeldBy>,
    /// The fields that differ, each with every copy's value.
    pub fields: Vec<FieldDrift>,
}

/// One field that differs between copies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FieldDrift {
    /// Where it is in the console's record (`msp.component.tls_cert`).
    pub field: String,
    pub label: String,
    /// Per copy (the order of `copies`): the value as a person compares it (a certificate by
    /// subject, fingerprint and expiry); `None` when the copy has none.
    pub values: Vec<Option<String>>,
    /// Whether the console's edit route can make the copies equal in it (a CA's certificates
    /// cannot be edited: the copy must be imported again).
    pub editable: bool,
}

/// Every drifting artifact, and the consoles that could not be read (their copies are missing).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DriftReport {
    pub drifts: Vec<Drift>,
    pub unread: Vec<UnreadRegion>,
}

/// What "make equal" did to one copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EqualizedCopy {
    pub region_id: String,
    pub component_id: String,
    /// The fields sent (by label); empty when the copy was equal already.
    pub edited: Vec<String>,
    /// The fields still different afterwards (the console does not blank a field, and a CA's
    /// certificates are not editable: import that copy again).
    pub left: Vec<String>,
    /// Why the edit failed; nothing changed on that console then.
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MakeEqualReport {
    pub key: String,
    pub display_name: String,
    /// The region whose copy the others were made equal to.
    pub from_region_id: String,
    pub copies: Vec<EqualizedCopy>,
}

/// The drifting nodes, CAs and MSPs across the consoles that answered (`lists[i]` is
/// `regions[i]`'s).
pub fn find(regions: &[Region], lists: &[Option<&[Component]>]) -> Vec<Drift> {
    let mut groups: Vec<(String, Vec<(&Region, &Component)>)> = Vec::new();
    for (region, list) in regions.iter().zip(lists) {
        for component in list.iter().flat_map(|l| l.iter()) {
            let Some(key) = drift_key(&region.id, component) else {
                continue;
            };
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, copies)) => copies.push((region, component)),
                None => groups.push((key, vec![(region, component)])),
            }
        }
    }
    groups
        .into_iter()
        .filter(|(_, copies)| copies.len() > 1)
        .filter_map(|(key, copies)| {
            let kind = copies[0].1.kind;
            let fields: Vec<FieldDrift> = fields_of(kind)
                .into_iter()
                .filter(|f| {
                    let first = normal(copies[0].1, f);
                    copies[1..].iter().any(|(_, c)| normal(c, f) != first)
                })
                .map(|f| FieldDrift {
                    field: f.path.trim_start_matches('/').replace('/', "."),
                    label: f.label.to_owned(),
                    values: copies.iter().map(|(_, c)| shown(c, f)).collect(),
                    editable: f.edit != Edit::No,
                })
                .collect();
            if fields.is_empty() {
                return None;
            }
            let named = copies
                .iter()
                .find(|(_, c)| !c.imported)
                .unwrap_or(&copies[0]);
            Some(Drift {
                key,
                kind,
                display_name: named.1.display_name.clone(),
                copies: copies
                    .iter()
                    .map(|(r, c)| HeldBy {
                        region_id: r.id.clone(),
                        component_id: c.id.clone(),
                        imported: c.imported,
                    })
                    .collect(),
                fields,
            })
        })
        .collect()
}

/// What identifies one artifact across consoles: a node's or CA's API URL, an MSP's id.
pub fn drift_key(region_id: &str, component: &Component) -> Option<String> {
    match component.kind {
        ComponentKind::Peer | ComponentKind::Orderer | ComponentKind::Ca => {
            component.api_url.as_ref()?;
            Some(node_key(region_id, component))
        }
        ComponentKind::Msp => component.msp_id.as_ref().map(|id| format!("msp:{id}")),
        ComponentKind::Other => None,
    }
}

/// The body of `PUT /components/{id}` that makes `copy` equal to `reference` in every field
/// the edit route takes (peers and ordering nodes take their certificates only as the whole
/// `msp` object), and the labels of the differing fields it cannot change.
pub fn edit_body(reference: &Component, copy: &Component) -> (Map<String, Value>, Vec<String>) {
    let mut body = Map::new();
    let mut not_editable = Vec::new();
    for f in fields_of(reference.kind) {
        if normal(reference, f) == normal(copy, f) {
            continue;
        }
        let value = reference.document.pointer(f.path).cloned();
        match (f.edit, value) {
            (Edit::Top, Some(value)) if !is_blank(&value) => {
                body.insert(f.path.trim_start_matches('/').to_owned(), value);
            }
            (Edit::Msp, _) => {
                if let Some(msp) = reference.document.get("msp") {
                    body.insert("msp".to_owned(), msp.clone());
                }
            }
            // The console ignores empty values (it never blanks a field), and a CA's
            // certificates are not editable at all.
            _ => not_editable.push(f.label.to_owned()),
        }
    }
    (body, not_editable)
}

/// The labels of the fields in which `a` and `b` differ.
pub fn differing(a: &Component, b: &Component) -> Vec<String> {
    fields_of(a.kind)
        .into_iter()
        .filter(|f| normal(a, f) != normal(b, f))
        .map(|f| f.label.to_owned())
        .collect()
}

fn is_blank(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// A field's value in the form copies are compared in: certificates without blanks, as a set;
/// strings trimmed; absent and empty alike.
fn normal(component: &Component, f: &Field) -> Option<Value> {
    let value = component.document.pointer(f.path)?;
    if is_blank(value) {
        return None;
    }
    if f.certs {
        let mut certs: Vec<String> = match value {
            Value::String(s) => vec![compact(s)],
            Value::Array(items) => items
                .iter()
                .filter_map(Value::as_str)
                .map(compact)
                .collect(),
            _ => return Some(value.clone()),
        };
        certs.sort();
        certs.dedup();
        return Some(Value::from(certs));
    }
    match value {
        Value::String(s) => Some(Value::String(s.trim().to_owned())),
        other => Some(other.clone()),
    }
}

fn compact(text: &str) -> String {
    text.split_whitespace().collect()
}

/// A field's value as a person compares it.
fn shown(component: &Component, f: &Field) -> Option<String> {
    let value = component.document.pointer(f.path)?;
    if is_blank(value) {
        return None;
    }
    if f.certs {
        let items: Vec<&str> = match value {
            Value::String(s) => vec![s.as_str()],
            Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        return Some(
            items
                .iter()
                .map(|c| certificate(c))
                .collect::<Vec<_>>()
                .join("; "),
        );
    }
    Some(match value {
        Value::String(s) => s.trim().to_owned(),
        other => other.to_string(),
    })
}

/// A certificate value (base64 of PEM, or PEM) by subject, fingerprint and expiry.
fn certificate(value: &str) -> String {
    let described = pem::decode(value).ok().and_then(|decoded| {
        let block = decoded
            .blocks
            .into_iter()
            .find(|b| b.label == "CERTIFICATE")?;
        let cert = x509::Cert::from_der(&block.der).ok()?;
        let sha: String = {
            use sha2::{Digest, Sha256};
            Sha256::digest(&block.der)
                .iter()
                .take(4)
                .map(|b| format!("{b:02X}"))
                .collect::<Vec<_>>()
                .join(":")
        };
        Some(format!(
            "{} (SHA-256 {sha}…, until {})",
            cert.subject,
            cert.not_after_date()
        ))
    });
    described.unwrap_or_else(|| {
        let text = compact(value);
        let short: String = text.chars().take(16).collect();
        format!("not a certificate: {short}…")
    })
}

#[cfg(test)]
mod tests;
