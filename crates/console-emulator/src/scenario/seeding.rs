//! The pieces every scenario is built from: an org's certificates, and a CA, MSP, peer or
//! ordering node put in a region's console — as its own (the region deployed it: a
//! simulated node on fresh ports, no `imported` mark) or as an imported copy of another
//! region's (marked `imported`, pointing at the original's node).

use anyhow::{Context, Result};
use serde_json::{json, Value};
use tokio::net::TcpListener;

use crate::catalog;
use crate::normalize::{CA, ORDERER, PEER};
use crate::options::IdentityFile;
use crate::pki::{Issued, OrgPki, Subject, LEAF_DAYS};
use crate::region::RegionState;
use crate::server::bind_loopback;
use crate::store::NodeRecord;

const IDENTITIES: &str = "identities";

/// How a region holds a component.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Holding {
    /// The region deployed it: no `imported` mark.
    Own,
    /// Imported from another region's console: `"imported": true`.
    Imported,
}

/// Stores `body` in the region's console; returns the component's id.
pub(super) fn put(state: &RegionState, body: &Value, holding: Holding) -> Result<String> {
    let doc = match holding {
        Holding::Own => catalog::create_own(state, body),
        Holding::Imported => catalog::onboard(state, body),
    }
    .map_err(|f| anyhow::anyhow!("seeding failed: {} {}", f.status, f.body))?;
    doc.get("_id")
        .and_then(Value::as_str)
        .map(str::to_string)
        .context("seeded component without id")
}

/// An organisation: its domain (`org1.example.com`), MSP id and PKI (enrollment CA and TLS
/// CA, roots `ca.<domain>` and `tlsca.<domain>`). Its components are tagged `tag`.
pub(super) struct Org {
    pub domain: &'static str,
    pub msp_id: &'static str,
    pub tag: &'static str,
    pki: OrgPki,
}

impl Org {
    pub(super) fn new(
        domain: &'static str,
        msp_id: &'static str,
        tag: &'static str,
    ) -> Result<Org> {
        Ok(Org {
            domain,
            msp_id,
            tag,
            pki: OrgPki::new(domain)?,
        })
    }

    pub(super) fn root(&self) -> String {
        self.pki.ca.issued.cert_b64()
    }

    pub(super) fn tls_root(&self) -> String {
        self.pki.tlsca.issued.cert_b64()
    }

    fn subject<'a>(&'a self, unit: &'a str, common_name: &'a str) -> Subject<'a> {
        Subject {
            org: self.domain,
            unit,
            common_name,
        }
    }

    /// An enrollment certificate (one year).
    pub(super) fn ecert(&self, unit: &str, common_name: &str) -> Result<Issued> {
        self.pki.ca.issue(self.subject(unit, common_name), false)
    }

    /// A TLS certificate valid for `days`.
    pub(super) fn tls(&self, unit: &str, common_name: &str, days: i64) -> Result<Issued> {
        self.pki
            .tlsca
            .issue_for_days(self.subject(unit, common_name), true, days)
    }

    /// The org admin's enrollment certificate and key (`Admin@<domain>`).
    pub(super) fn admin(&self) -> Result<Issued> {
        self.ecert("admin", &format!("Admin@{}", self.domain))
    }

    /// The org's MSP definition (NodeOUs on), hosted by the console at `host_url`.
    pub(super) fn msp_body(&self, display_name: &str, admin: &Issued, host_url: &str) -> Value {
        let root = self.root();
        let ou = |name: &str| json!({"certificate": root, "organizational_unit_identifier": name});
        json!({
            "type": "msp",
            "display_name": display_name,
            "msp_id": self.msp_id,
            "root_certs": [root],
            "intermediate_certs": [],
            "admins": [admin.cert_b64()],
            "tls_root_certs": [self.tls_root()],
            "tls_intermediate_certs": [],
            "revocation_list": [],
            "organizational_unit_identifiers": [],
            "fabric_node_ous": {
                "enable": true,
                "admin_ou_identifier": ou("admin"),
                "client_ou_identifier": ou("client"),
                "orderer_ou_identifier": ou("orderer"),
                "peer_ou_identifier": ou("peer"),
            },
            "host_url": host_url,
            "tags": [self.tag],
        })
    }
}

/// The guide's orgs, each with a PKI of its own: Org1 (`Org1MSP`, `org1.example.com`) and
/// the ordering org (`OrdererMSP`, `example.com`).
pub(super) fn guide_orgs() -> Result<(Org, Org)> {
    Ok((
        Org::new("org1.example.com", "Org1MSP", "org1")?,
        Org::new("example.com", "OrdererMSP", "orderingservice")?,
    ))
}

/// The guide's one ordering service.
pub(super) const ORDERING_SERVICE: Cluster = Cluster {
    id: "orderingservice",
    name: "Ordering Service",
};

/// A peer or ordering node to deploy: its tile name, its host name (the certificates'
/// common name) and how long its TLS certificate lasts.
pub(super) struct NodeSpec<'a> {
    pub display_name: &'a str,
    pub host: &'a str,
    pub tls_days: i64,
}

impl<'a> NodeSpec<'a> {
    /// A node with the usual one-year TLS certificate.
    pub(super) fn new(display_name: &'a str, host: &'a str) -> NodeSpec<'a> {
        NodeSpec {
            display_name,
            host,
            tls_days: LEAF_DAYS,
        }
    }
}

/// The ordering service an ordering node belongs to.
pub(super) struct Cluster {
    pub id: &'static str,
    pub name: &'static str,
}

/// Puts the nodes a region deploys. It keeps every port it picked bound until it is dropped,
/// so no two nodes of one seeding get the same port; the node servers bind them afterwards.
#[derive(Default)]
pub(super) struct Deployer {
    reserved: Vec<TcpListener>,
}

/// A node's two loopback ports: API and operations.
struct Ports {
    api: u16,
    ops: u16,
}

fn url(scheme: &str, port: u16) -> String {
    format!("{scheme}://127.0.0.1:{port}")
}

impl Deployer {
    async fn ports(&mut self) -> Result<Ports> {
        let api = bind_loopback(0).await?;
        let ops = bind_loopback(0).await?;
        let ports = Ports {
            api: api.local_addr()?.port(),
            ops: ops.local_addr()?.port(),
        };
        self.reserved.extend([api, ops]);
        Ok(ports)
    }

    /// Stores the region's own component made by `body` from fresh ports, and the simulated
    /// node serving them with the `tls` identity; returns the id and the body (a copy's body).
    async fn own_node(
        &mut self,
        state: &RegionState,
        kind: &str,
        tls: &Issued,
        body: impl FnOnce(&Ports) -> Value,
        record: impl FnOnce(&mut NodeRecord),
    ) -> Result<(String, Value)> {
        let ports = self.ports().await?;
        let body = body(&ports);
        let id = put(state, &body, Holding::Own)?;
        let mut node = NodeRecord {
            kind: kind.to_string(),
            api_port: ports.api,
            ops_port: ports.ops,
            tls_cert_pem: tls.cert_pem.clone(),
            tls_key_pem: tls.key_pem.clone(),
            ca_name: None,
            ca_chain: None,
            tlsca_name: None,
            tlsca_chain: None,
            ca_key_pem: None,
            tlsca_key_pem: None,
        };
        record(&mut node);
        state.store.put_node(&id, &node)?;
        Ok((id, body))
    }

    /// The org's CA, deployed in this region: enrollment CA `ca`, TLS CA `tlsca`, with their
    /// signing keys (so it enrolls, after restarts too, under the org's roots). Returns the
    /// body, from which other regions import their copies.
    pub(super) async fn own_ca(
        &mut self,
        state: &RegionState,
        org: &Org,
        display_name: &str,
    ) -> Result<Value> {
        let tls = org.tls("client", &format!("ca.{}", org.domain), LEAF_DAYS)?;
        let (root, tls_root) = (org.root(), org.tls_root());
        let (_, body) = self
            .own_node(
                state,
                CA,
                &tls,
                |p| {
                    json!({
                        "type": "fabric-ca",
                        "display_name": display_name,
                        "api_url": url("https", p.api),
                        "operations_url": url("https", p.ops),
                        "location": state.location,
                        "msp": {
                            "ca": {"name": "ca", "root_certs": [root]},
                            "tlsca": {"name": "tlsca", "root_certs": [tls_root]},
                            "component": {"tls_cert": tls.cert_b64()},
                        },
                        "tags": [org.tag],
                    })
                },
                |node| {
                    node.ca_name = Some("ca".into());
                    node.ca_chain = Some(root.clone());
                    node.ca_key_pem = Some(org.pki.ca.issued.key_pem.clone());
                    node.tlsca_name = Some("tlsca".into());
                    node.tlsca_chain = Some(tls_root.clone());
                    node.tlsca_key_pem = Some(org.pki.tlsca.issued.key_pem.clone());
                },
            )
            .await?;
        Ok(body)
    }

    /// A peer of `org`, deployed in this region, with `admin` as its admin certificate.
    pub(super) async fn own_peer(
        &mut self,
        state: &RegionState,
        org: &Org,
        admin: &Issued,
        spec: NodeSpec<'_>,
    ) -> Result<String> {
        let ecert = org.ecert("peer", spec.host)?;
        let tls = org.tls("peer", spec.host, spec.tls_days)?;
        let (id, _) = self
            .own_node(
                state,
                PEER,
                &tls,
                |p| {
                    json!({
                        "type": "fabric-peer",
                        "display_name": spec.display_name,
                        "msp_id": org.msp_id,
                        "api_url": url("grpcs", p.api),
                        "grpcwp_url": url("https", p.api),
                        "operations_url": url("https", p.ops),
                        "location": state.location,
                        "msp": {
                            "ca": {"root_certs": [org.root()]},
                            "tlsca": {"root_certs": [org.tls_root()]},
                            "component": {
                                "tls_cert": tls.cert_b64(),
                                "ecert": ecert.cert_b64(),
                                "admin_certs": [admin.cert_b64()],
                            },
                        },
                        "tags": [org.tag],
                    })
                },
                |_| {},
            )
            .await?;
        Ok(id)
    }

    /// An ordering node of `cluster` (run by `org`), deployed in this region.
    pub(super) async fn own_orderer(
        &mut self,
        state: &RegionState,
        org: &Org,
        cluster: &Cluster,
        spec: NodeSpec<'_>,
    ) -> Result<String> {
        let ecert = org.ecert("orderer", spec.host)?;
        let tls = org.tls("orderer", spec.host, spec.tls_days)?;
        let (id, _) = self
            .own_node(
                state,
                ORDERER,
                &tls,
                |p| {
                    json!({
                        "type": "fabric-orderer",
                        "display_name": spec.display_name,
                        "cluster_name": cluster.name,
                        "cluster_id": cluster.id,
                        "msp_id": org.msp_id,
                        "api_url": url("grpcs", p.api),
                        "grpcwp_url": url("https", p.api),
                        "osnadmin_url": url("https", p.api),
                        "operations_url": url("https", p.ops),
                        "systemless": true,
                        "system_channel_id": "",
                        "location": state.location,
                        "msp": {
                            "ca": {"root_certs": [org.root()]},
                            "tlsca": {"root_certs": [org.tls_root()]},
                            "component": {"tls_cert": tls.cert_b64(), "ecert": ecert.cert_b64()},
                        },
                        "tags": [org.tag],
                    })
                },
                |_| {},
            )
            .await?;
        Ok(id)
    }
}

/// Keeps the org admin's identity as the region's wallet identity file.
pub(super) fn save_admin_identity(state: &RegionState, name: &str, admin: &Issued) -> Result<()> {
    let identities = vec![IdentityFile {
        name: name.into(),
        cert: admin.cert_b64(),
        private_key: admin.key_b64(),
        kind: "identity".into(),
    }];
    state
        .store
        .set_meta(IDENTITIES, &serde_json::to_string(&identities)?)
}

/// The wallet identities the scenario made for this region.
pub(super) fn identities(state: &RegionState) -> Vec<IdentityFile> {
    state
        .store
        .meta(IDENTITIES)
        .ok()
        .flatten()
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default()
}
