//! Typed models of the console's artifact files (§6.2–6.6 of the console reference): the v3
//! fields plus every legacy field old exports carry, all optional so that any console
//! version's file reads. Unknown keys are kept in `extra` (filled by the reader, not by serde).
//! Certificates stay as written (base64 PEM, or raw PEM); the transform normalises them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::Secret;

/// The kind of an artifact; the suffix of its file name (`<name>_<suffix>.json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ArtifactKind {
    Ca,
    Peer,
    Orderer,
    Msp,
    Identity,
}

impl ArtifactKind {
    /// `ca`, `peer`, `orderer`, `msp`, `identity`.
    pub fn suffix(self) -> &'static str {
        match self {
            ArtifactKind::Ca => "ca",
            ArtifactKind::Peer => "peer",
            ArtifactKind::Orderer => "orderer",
            ArtifactKind::Msp => "msp",
            ArtifactKind::Identity => "identity",
        }
    }

    /// For messages: "a CA", "an MSP definition", …
    pub fn described(self) -> &'static str {
        match self {
            ArtifactKind::Ca => "a CA",
            ArtifactKind::Peer => "a peer",
            ArtifactKind::Orderer => "an ordering service",
            ArtifactKind::Msp => "an MSP definition",
            ArtifactKind::Identity => "a wallet identity",
        }
    }

    /// The component `type` the console uses (`fabric-ca`, …, `identity`).
    pub fn type_name(self) -> &'static str {
        match self {
            ArtifactKind::Ca => "fabric-ca",
            ArtifactKind::Peer => "fabric-peer",
            ArtifactKind::Orderer => "fabric-orderer",
            ArtifactKind::Msp => "msp",
            ArtifactKind::Identity => "identity",
        }
    }

    /// The bulk ZIP folder the console exports this kind into.
    pub fn folder(self) -> &'static str {
        match self {
            ArtifactKind::Ca => "Certificate Authorities",
            ArtifactKind::Peer => "Peers",
            ArtifactKind::Orderer => "Ordering Services",
            ArtifactKind::Msp => "Organizations",
            ArtifactKind::Identity => "Wallet",
        }
    }
}

/// `msp.ca` / `msp.tlsca`: a CA name and its root certificates.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NamedRoots {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_certs: Option<Vec<String>>,
}

/// `msp.component`: the component's own certificates.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ComponentCerts {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_cert: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ecert: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_certs: Option<Vec<String>>,
}

/// The v3 `msp` object of CAs, peers and orderer nodes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MspCrypto {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca: Option<NamedRoots>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tlsca: Option<NamedRoots>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component: Option<ComponentCerts>,
    /// Returned by consoles for nodes with intermediate CAs; refused by the v3 import API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intermediate_ca: Option<NamedRoots>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intermediate_tlsca: Option<NamedRoots>,
}

/// Fields every CA, peer and orderer file may carry besides its own.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CommonFields {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Legacy tile name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operations_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub msp: Option<MspCrypto>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imported: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub migrated_from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub console_type: Option<String>,
    /// Bulk ZIP exports: the wallet identity associated with the component.
    #[serde(
        default,
        rename = "associatedIdentityName",
        skip_serializing_if = "Option::is_none"
    )]
    pub associated_identity_name: Option<String>,
    /// Legacy: TLS CA root (`msp.tlsca.root_certs[0]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_ca_root_cert: Option<String>,
    /// Legacy: the component's TLS cert (`msp.component.tls_cert`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_cert: Option<String>,
    /// Legacy: TLS root, else the TLS cert.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pem: Option<String>,
    /// Legacy: `msp.ca.name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_name: Option<String>,
    /// Legacy: `msp.tlsca.name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tlsca_name: Option<String>,
    /// Legacy: a CA's `api_url`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_url: Option<String>,
    /// Very old files: the API URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Very old files: the operations URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operations: Option<String>,
}

/// A certificate authority file (`<name>_ca.json`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CaFile {
    #[serde(flatten)]
    pub common: CommonFields,
    #[serde(skip)]
    pub extra: BTreeMap<String, Value>,
}

/// `node_ou` of a peer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NodeOu {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

/// Fields peers and orderer nodes share.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NodeFields {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub msp_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grpcwp_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_ou: Option<NodeOu>,
}

/// A peer file (`<name>_peer.json`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PeerFile {
    #[serde(flatten)]
    pub common: CommonFields,
    #[serde(flatten)]
    pub node: NodeFields,
    #[serde(skip)]
    pub extra: BTreeMap<String, Value>,
}

/// Fields only orderer nodes have.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OrdererFields {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub osnadmin_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub systemless: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_channel_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consenter_proposal_fin: Option<bool>,
    /// Old exports and Ansible files: the node's TLS certs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_tls_cert: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_tls_cert: Option<String>,
}

/// One node of an ordering service.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OrdererNode {
    #[serde(flatten)]
    pub common: CommonFields,
    #[serde(flatten)]
    pub node: NodeFields,
    #[serde(flatten)]
    pub orderer: OrdererFields,
    #[serde(skip)]
    pub extra: BTreeMap<String, Value>,
}

/// How an ordering service file was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OrdererShape {
    /// A JSON array of nodes (the console's export of an ordering service).
    Array,
    /// One node object (the export of a single node).
    Single,
    /// `{"raft": [ … ]}`.
    Raft,
}

/// An ordering service: its nodes, imported one request each.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrderingService {
    pub shape: OrdererShape,
    pub nodes: Vec<OrdererNode>,
}

/// A Fabric OU identifier (`fabric_node_ous.*_ou_identifier`, `organizational_unit_identifiers[]`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OuIdentifier {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organizational_unit_identifier: Option<String>,
}

/// `fabric_node_ous` of an MSP.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FabricNodeOus {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_ou_identifier: Option<OuIdentifier>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_ou_identifier: Option<OuIdentifier>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peer_ou_identifier: Option<OuIdentifier>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub orderer_ou_identifier: Option<OuIdentifier>,
}

/// An organization (MSP definition) file (`<name>_msp.json`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MspDefinition {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub msp_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_certs: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intermediate_certs: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admins: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_root_certs: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_intermediate_certs: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revocation_list: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organizational_unit_identifiers: Option<Vec<OuIdentifier>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fabric_node_ous: Option<FabricNodeOus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imported: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub migrated_from: Option<String>,
    #[serde(skip)]
    pub extra: BTreeMap<String, Value>,
}

impl MspDefinition {
    /// `display_name`, else the legacy `name` / `short_name`.
    pub fn effective_display_name(&self) -> Option<&str> {
        first_set(&[&self.display_name, &self.name, &self.short_name])
    }
}

/// Which identity file layout was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentityFormat {
    /// The console's `{name, cert, private_key, type:"identity"}`.
    Console,
    /// The Ansible collection's `{name, cert, ca, private_key, hsm}`.
    Ansible,
}

/// A wallet identity. The private key is a [`Secret`]: redacted in `Debug`, never serialized
/// (only [`super::identity_file`] writes it, on purpose).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub name: String,
    /// Enrollment certificate, base64 PEM (as read; raw PEM is normalised when written).
    pub cert: String,
    /// base64 PEM of a PKCS#8 key; `None` only for an Ansible identity whose key is in an HSM.
    pub private_key: Option<Secret>,
    /// Ansible: the CA root certificate.
    pub ca: Option<String>,
    /// Ansible: the key lives in an HSM.
    pub hsm: bool,
    pub format: IdentityFormat,
}

/// One artifact read from a file.
#[derive(Debug, Clone, PartialEq)]
pub enum Artifact {
    Ca(CaFile),
    Peer(PeerFile),
    OrderingService(OrderingService),
    Msp(MspDefinition),
    Identity(Identity),
}

impl Artifact {
    pub fn kind(&self) -> ArtifactKind {
        match self {
            Artifact::Ca(_) => ArtifactKind::Ca,
            Artifact::Peer(_) => ArtifactKind::Peer,
            Artifact::OrderingService(_) => ArtifactKind::Orderer,
            Artifact::Msp(_) => ArtifactKind::Msp,
            Artifact::Identity(_) => ArtifactKind::Identity,
        }
    }

    /// The name a user knows it by (display name, cluster name, identity name).
    pub fn display_name(&self) -> Option<&str> {
        match self {
            Artifact::Ca(c) => c.common.effective_display_name(),
            Artifact::Peer(p) => p.common.effective_display_name(),
            Artifact::OrderingService(os) => os.nodes.first().and_then(|n| {
                n.orderer
                    .cluster_name
                    .as_deref()
                    .or(n.common.effective_display_name())
            }),
            Artifact::Msp(m) => m.effective_display_name(),
            Artifact::Identity(i) => Some(&i.name),
        }
    }
}

impl CommonFields {
    /// `display_name`, else the legacy `name` / `short_name`.
    pub fn effective_display_name(&self) -> Option<&str> {
        first_set(&[&self.display_name, &self.name, &self.short_name])
    }
}

/// The first value that is set and not empty (JS `a || b || c`).
pub(crate) fn first_set<'a>(values: &[&'a Option<String>]) -> Option<&'a str> {
    values
        .iter()
        .find_map(|v| v.as_deref().filter(|s| !s.is_empty()))
}
