//! The one model of "a component a console holds", from the client up: the fields the app decides
//! on, typed, next to the whole document the console answered (every field an export or an import
//! body needs, kept as the console wrote it).

use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ComponentKind {
    Ca,
    Peer,
    Orderer,
    Msp,
    Other,
}

impl ComponentKind {
    pub fn from_console_type(t: &str) -> Self {
        match t {
            "fabric-ca" => Self::Ca,
            "fabric-peer" => Self::Peer,
            "fabric-orderer" => Self::Orderer,
            "msp" => Self::Msp,
            _ => Self::Other,
        }
    }

    /// MSP definitions are data, not running nodes: the console has nothing to probe.
    pub fn has_health(self) -> bool {
        !matches!(self, Self::Msp)
    }

    /// Peers and ordering nodes: what the guide's last step makes every console know.
    pub fn is_node(self) -> bool {
        matches!(self, Self::Peer | Self::Orderer)
    }
}

/// A component as one console holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Component {
    pub id: String,
    pub display_name: String,
    pub kind: ComponentKind,
    pub msp_id: Option<String>,
    pub api_url: Option<String>,
    pub operations_url: Option<String>,
    pub location: Option<String>,
    /// Ordering nodes: the ordering service (cluster) they belong to.
    pub cluster_id: Option<String>,
    pub cluster_name: Option<String>,
    /// The console's record marks it `imported: true`, as the console does for every import
    /// (a node the console deployed itself has no such mark).
    pub imported: bool,
    /// The whole document, as the console answered it.
    pub document: Value,
}

impl Component {
    /// Reads a console document; `None` when it lacks an id or a type (not a component).
    pub fn from_document(document: Value) -> Option<Self> {
        let text = |key: &str| document.get(key).and_then(Value::as_str).map(str::to_owned);
        let id = text("id")?;
        let kind = ComponentKind::from_console_type(document.get("type")?.as_str()?);
        Some(Self {
            display_name: text("display_name").unwrap_or_else(|| id.clone()),
            msp_id: text("msp_id"),
            api_url: text("api_url"),
            operations_url: text("operations_url"),
            location: text("location"),
            cluster_id: text("cluster_id"),
            cluster_name: text("cluster_name"),
            imported: document.get("imported") == Some(&Value::Bool(true)),
            id,
            kind,
            document,
        })
    }

    /// The console's type string (`fabric-ca`, `fabric-peer`, `fabric-orderer`, `msp`, …), which
    /// is also the import route of its kind.
    pub fn console_type(&self) -> &str {
        self.document
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }
}

/// The one normal form of a URL used as an identity (a node's API URL, a console's address):
/// trimmed, without a trailing slash, case-folded.
pub fn url_key(url: &str) -> String {
    url.trim().trim_end_matches('/').to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_console_document_keeps_every_field_and_types_the_ones_decided_on() {
        let doc = json!({ "id": "org1peer1", "type": "fabric-peer", "display_name": "Org1 Peer1",
            "msp_id": "Org1MSP", "api_url": "grpcs://p:7051", "msp": { "ca": { "root_certs": ["R"] } } });
        let c = Component::from_document(doc.clone()).unwrap();
        assert_eq!(c.kind, ComponentKind::Peer);
        assert_eq!(c.console_type(), "fabric-peer");
        assert_eq!(c.msp_id.as_deref(), Some("Org1MSP"));
        assert_eq!(c.document, doc);
        assert!(!c.imported);
        let imported = json!({ "id": "p", "type": "fabric-peer", "imported": true });
        assert!(Component::from_document(imported).unwrap().imported);
        assert!(Component::from_document(json!({ "type": "msp" })).is_none());
        assert!(Component::from_document(json!({ "id": "x" })).is_none());
    }

    #[test]
    fn url_keys_ignore_case_blanks_and_a_trailing_slash() {
        assert_eq!(
            url_key(" GRPCS://P1.org1:7051/ "),
            url_key("grpcs://p1.org1:7051")
        );
        assert_ne!(url_key("grpcs://p1:7051"), url_key("grpcs://p2:7051"));
    }
}
