//! What each region is called and what it holds at first start.
//!
//! The sandbox follows IBM's multi-region HA guide: three regions close together, and in
//! region 1 what the guide's step 1 leaves behind — an org CA, the org MSP, a peer and an
//! ordering service node, all with real certificates, hosted as simulated nodes.

use anyhow::{Context, Result};
use serde_json::{json, Value};

use crate::catalog;
use crate::options::{IdentityFile, Scenario};
use crate::pki::{Issued, OrgPki, Subject};
use crate::region::RegionState;
use crate::server::bind_loopback;
use crate::store::NodeRecord;

/// Name and location id of region `index` (1-based).
pub(crate) fn region_identity(scenario: Scenario, index: usize) -> (String, String) {
    match (scenario, index) {
        (Scenario::Sandbox, 1) => ("US East".into(), "us-east-1".into()),
        (Scenario::Sandbox, 2) => ("US West".into(), "us-west-2".into()),
        (Scenario::Sandbox, 3) => ("Canada".into(), "ca-central-1".into()),
        (_, n) => (format!("Region {n}"), format!("region-{n}")),
    }
}

const SEEDED: &str = "seeded";
const IDENTITIES: &str = "identities";

/// Fills the region's store on first start. Later starts find it seeded and do nothing.
pub(crate) async fn seed(state: &RegionState, scenario: Scenario) -> Result<()> {
    if state.store.meta(SEEDED)?.is_some() {
        return Ok(());
    }
    if scenario == Scenario::Sandbox && state.index == 1 {
        seed_sandbox_region(state).await?;
    }
    state.store.set_meta(SEEDED, &scenario.to_string())?;
    Ok(())
}

/// The wallet identities the scenario made for this region (the org admin in region 1).
pub(crate) fn identities(state: &RegionState) -> Vec<IdentityFile> {
    state
        .store
        .meta(IDENTITIES)
        .ok()
        .flatten()
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default()
}

/// Two free loopback ports (API and operations) for a node; the node server binds them.
async fn free_ports() -> Result<(u16, u16)> {
    let a = bind_loopback(0).await?;
    let b = bind_loopback(0).await?;
    Ok((a.local_addr()?.port(), b.local_addr()?.port()))
}

fn subject<'a>(org: &'a str, unit: &'a str, cn: &'a str) -> Subject<'a> {
    Subject {
        org,
        unit,
        common_name: cn,
    }
}

fn node_record(kind: &str, ports: (u16, u16), tls: &Issued) -> NodeRecord {
    NodeRecord {
        kind: kind.to_string(),
        api_port: ports.0,
        ops_port: ports.1,
        tls_cert_pem: tls.cert_pem.clone(),
        tls_key_pem: tls.key_pem.clone(),
        ca_name: None,
        ca_chain: None,
        tlsca_name: None,
        tlsca_chain: None,
    }
}

fn import(state: &RegionState, body: Value) -> Result<String> {
    let doc = catalog::onboard(state, &body)
        .map_err(|f| anyhow::anyhow!("seeding failed: {} {}", f.status, f.body))?;
    doc.get("_id")
        .and_then(Value::as_str)
        .map(str::to_string)
        .context("seeded component without id")
}

async fn seed_sandbox_region(state: &RegionState) -> Result<()> {
    let org1 = OrgPki::new("org1.example.com")?;
    let ord = OrgPki::new("example.com")?;
    let o1 = "org1.example.com";

    let ca_tls = org1
        .tlsca
        .issue(subject(o1, "client", "ca.org1.example.com"), true)?;
    let admin = org1
        .ca
        .issue(subject(o1, "admin", "Admin@org1.example.com"), false)?;
    let peer_ecert = org1
        .ca
        .issue(subject(o1, "peer", "peer1.org1.example.com"), false)?;
    let peer_tls = org1
        .tlsca
        .issue(subject(o1, "peer", "peer1.org1.example.com"), true)?;
    let ord_ecert = ord.ca.issue(
        subject("example.com", "orderer", "orderer1.example.com"),
        false,
    )?;
    let ord_tls = ord.tlsca.issue(
        subject("example.com", "orderer", "orderer1.example.com"),
        true,
    )?;

    let org1_root = org1.ca.issued.cert_b64();
    let org1_tls_root = org1.tlsca.issued.cert_b64();
    let location = state.location.clone();
    let url = |scheme: &str, port: u16| format!("{scheme}://127.0.0.1:{port}");

    let ca_ports = free_ports().await?;
    let ca_id = import(
        state,
        json!({
            "type": "fabric-ca",
            "display_name": "Org1 CA",
            "api_url": url("https", ca_ports.0),
            "operations_url": url("https", ca_ports.1),
            "location": location,
            "msp": {
                "ca": {"name": "ca", "root_certs": [org1_root]},
                "tlsca": {"name": "tlsca", "root_certs": [org1_tls_root]},
                "component": {"tls_cert": ca_tls.cert_b64()},
            },
            "tags": ["org1"],
        }),
    )?;
    let mut ca_node = node_record(crate::normalize::CA, ca_ports, &ca_tls);
    ca_node.ca_name = Some("ca".into());
    ca_node.ca_chain = Some(org1_root.clone());
    ca_node.tlsca_name = Some("tlsca".into());
    ca_node.tlsca_chain = Some(org1_tls_root.clone());
    state.store.put_node(&ca_id, &ca_node)?;

    let ou = |name: &str| json!({"certificate": org1_root, "organizational_unit_identifier": name});
    import(
        state,
        json!({
            "type": "msp",
            "display_name": "Org1 MSP",
            "msp_id": "Org1MSP",
            "root_certs": [org1_root],
            "intermediate_certs": [],
            "admins": [admin.cert_b64()],
            "tls_root_certs": [org1_tls_root],
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
            "host_url": state.console_url,
            "tags": ["org1"],
        }),
    )?;

    let peer_ports = free_ports().await?;
    let peer_id = import(
        state,
        json!({
            "type": "fabric-peer",
            "display_name": "Org1 Peer1",
            "msp_id": "Org1MSP",
            "api_url": url("grpcs", peer_ports.0),
            "grpcwp_url": url("https", peer_ports.0),
            "operations_url": url("https", peer_ports.1),
            "location": location,
            "msp": {
                "ca": {"root_certs": [org1_root]},
                "tlsca": {"root_certs": [org1_tls_root]},
                "component": {
                    "tls_cert": peer_tls.cert_b64(),
                    "ecert": peer_ecert.cert_b64(),
                    "admin_certs": [admin.cert_b64()],
                },
            },
            "tags": ["org1"],
        }),
    )?;
    state.store.put_node(
        &peer_id,
        &node_record(crate::normalize::PEER, peer_ports, &peer_tls),
    )?;

    let ord_ports = free_ports().await?;
    let ord_id = import(
        state,
        json!({
            "type": "fabric-orderer",
            "display_name": "Ordering Service Node 1",
            "cluster_name": "Ordering Service",
            "cluster_id": "orderingservice",
            "msp_id": "OrdererMSP",
            "api_url": url("grpcs", ord_ports.0),
            "grpcwp_url": url("https", ord_ports.0),
            "osnadmin_url": url("https", ord_ports.0),
            "operations_url": url("https", ord_ports.1),
            "systemless": true,
            "system_channel_id": "",
            "location": location,
            "msp": {
                "ca": {"root_certs": [ord.ca.issued.cert_b64()]},
                "tlsca": {"root_certs": [ord.tlsca.issued.cert_b64()]},
                "component": {"tls_cert": ord_tls.cert_b64(), "ecert": ord_ecert.cert_b64()},
            },
            "tags": ["orderingservice"],
        }),
    )?;
    state.store.put_node(
        &ord_id,
        &node_record(crate::normalize::ORDERER, ord_ports, &ord_tls),
    )?;

    let identities = vec![IdentityFile {
        name: "org1admin".into(),
        cert: admin.cert_b64(),
        private_key: admin.key_b64(),
        kind: "identity".into(),
    }];
    state
        .store
        .set_meta(IDENTITIES, &serde_json::to_string(&identities)?)?;
    Ok(())
}
