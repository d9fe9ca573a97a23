//! What kind of artifact a file holds: from its content (`type`, else the fields it has),
//! with the file name (`<name>_<kind>.json`) or bulk ZIP folder as a hint. When content and
//! name disagree the reader reports it; it never guesses.

use serde_json::{Map, Value};

use super::model::ArtifactKind;

/// The kind a file name announces: `Org1 CA_ca.json` → CA. `None` when it announces none.
pub fn kind_from_file_name(name: &str) -> Option<ArtifactKind> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let stem = base
        .strip_suffix(".json")
        .or_else(|| base.strip_suffix(".JSON"))
        .unwrap_or(base);
    let (_, suffix) = stem.rsplit_once('_')?;
    match suffix.to_ascii_lowercase().as_str() {
        "ca" => Some(ArtifactKind::Ca),
        "peer" => Some(ArtifactKind::Peer),
        "orderer" => Some(ArtifactKind::Orderer),
        "msp" => Some(ArtifactKind::Msp),
        "identity" => Some(ArtifactKind::Identity),
        _ => None,
    }
}

/// The kind a bulk ZIP folder holds (the console's spelling and the templates' underscores).
pub fn kind_from_folder(folder: &str) -> Option<ArtifactKind> {
    match folder.replace('_', " ").to_ascii_lowercase().as_str() {
        "certificate authorities" => Some(ArtifactKind::Ca),
        "peers" => Some(ArtifactKind::Peer),
        "ordering services" => Some(ArtifactKind::Orderer),
        "organizations" => Some(ArtifactKind::Msp),
        "wallet" => Some(ArtifactKind::Identity),
        _ => None,
    }
}

/// The kind a `type` value names (athena's `fmt_type`, plus `identity`).
pub fn kind_from_type(type_name: &str) -> Option<ArtifactKind> {
    match type_name.trim().to_ascii_lowercase().as_str() {
        "fabric-ca" | "ca" => Some(ArtifactKind::Ca),
        "fabric-peer" | "peer" => Some(ArtifactKind::Peer),
        "fabric-orderer" | "orderer" => Some(ArtifactKind::Orderer),
        "msp" | "msp-external" => Some(ArtifactKind::Msp),
        "identity" => Some(ArtifactKind::Identity),
        _ => None,
    }
}

/// What an object's content says it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ContentKind {
    /// Its `type` names this kind.
    Declared(ArtifactKind),
    /// Its `type` names no kind we know.
    UnknownType(String),
    /// No `type`: the kinds its fields are compatible with (empty = no clue).
    Plausible(Vec<ArtifactKind>),
}

fn has(obj: &Map<String, Value>, key: &str) -> bool {
    obj.get(key).is_some_and(|v| !v.is_null())
}

fn has_path(obj: &Map<String, Value>, a: &str, b: &str) -> bool {
    obj.get(a)
        .and_then(Value::as_object)
        .and_then(|o| o.get(b))
        .and_then(Value::as_object)
        .is_some_and(|o| has(o, "name"))
}

pub(crate) fn content_kind(obj: &Map<String, Value>) -> ContentKind {
    if let Some(t) = obj.get("type").and_then(Value::as_str) {
        if !t.trim().is_empty() {
            return match kind_from_type(t) {
                Some(k) => ContentKind::Declared(k),
                None => ContentKind::UnknownType(t.to_string()),
            };
        }
    }
    use ArtifactKind::*;
    let kinds = if has(obj, "private_key") || (has(obj, "cert") && !has(obj, "msp")) {
        vec![Identity]
    } else if has(obj, "root_certs") && !has(obj, "msp") && !has(obj, "api_url") {
        vec![Msp]
    } else if [
        "cluster_id",
        "cluster_name",
        "osnadmin_url",
        "system_channel_id",
        "systemless",
    ]
    .iter()
    .any(|k| has(obj, k))
    {
        vec![Orderer]
    } else if has(obj, "ca_url")
        || ((has(obj, "ca_name") || has(obj, "tlsca_name") || has_path(obj, "msp", "tlsca"))
            && !has(obj, "msp_id")
            && !has(obj, "grpcwp_url"))
    {
        vec![Ca]
    } else if has(obj, "grpcwp_url") || has(obj, "msp_id") {
        vec![Peer, Orderer]
    } else {
        Vec::new()
    };
    ContentKind::Plausible(kinds)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_and_folders() {
        assert_eq!(
            kind_from_file_name("Org1 CA_ca.json"),
            Some(ArtifactKind::Ca)
        );
        assert_eq!(
            kind_from_file_name("Peers/org1_peer1-local_peer.json"),
            Some(ArtifactKind::Peer)
        );
        assert_eq!(
            kind_from_file_name("org1admin_identity.json"),
            Some(ArtifactKind::Identity)
        );
        assert_eq!(kind_from_file_name("export.json"), None);
        assert_eq!(kind_from_file_name("my_stuff.json"), None);
        assert_eq!(
            kind_from_folder("Ordering_Services"),
            Some(ArtifactKind::Orderer)
        );
        assert_eq!(
            kind_from_folder("Certificate Authorities"),
            Some(ArtifactKind::Ca)
        );
        assert_eq!(kind_from_folder("Misc"), None);
    }

    #[test]
    fn content_declares_or_hints() {
        let o = |v: Value| v.as_object().unwrap().clone();
        assert_eq!(
            content_kind(&o(json!({"type": "fabric-peer"}))),
            ContentKind::Declared(ArtifactKind::Peer)
        );
        assert_eq!(
            content_kind(&o(json!({"type": "fabric-foo"}))),
            ContentKind::UnknownType("fabric-foo".into())
        );
        assert_eq!(
            content_kind(&o(json!({"msp_id": "a", "root_certs": []}))),
            ContentKind::Plausible(vec![ArtifactKind::Msp])
        );
        assert_eq!(
            content_kind(&o(json!({"name": "x", "cert": "c", "private_key": "k"}))),
            ContentKind::Plausible(vec![ArtifactKind::Identity])
        );
        assert_eq!(
            content_kind(&o(json!({"msp_id": "a", "grpcwp_url": "https://x:1"}))),
            ContentKind::Plausible(vec![ArtifactKind::Peer, ArtifactKind::Orderer])
        );
        assert_eq!(
            content_kind(&o(json!({"display_name": "x"}))),
            ContentKind::Plausible(vec![])
        );
    }
}
