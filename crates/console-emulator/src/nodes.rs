//! Simulated Fabric nodes hosted by a region: each serves, over HTTPS with its own TLS
//! certificate, what the console probes — `/healthz` like a peer's or orderer's operations
//! service and `/cainfo` like a Fabric CA — on ports kept in the region's store. A node is
//! down whenever its region is, and when it was taken down by itself.

use anyhow::{Context, Result};
use axum::body::Body as AxumBody;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

use crate::normalize::CA;
use crate::region::RegionState;
use crate::server::{bind_loopback, serve, DownWhen, Handler};
use crate::store::NodeRecord;
use crate::util::json_response;

const FABRIC_VERSION: &str = "2.5.12";
const FABRIC_CA_VERSION: &str = "1.5.15";

/// `2026-01-01T00:00:00Z`, as Fabric's operations service prints it.
fn utc_now() -> String {
    let t = time::OffsetDateTime::now_utc();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

fn pem_der(pem: &str) -> Result<Vec<u8>> {
    let (_, parsed) = x509_parser::pem::parse_x509_pem(pem.as_bytes())
        .map_err(|e| anyhow::anyhow!("bad PEM: {e:?}"))?;
    Ok(parsed.contents)
}

fn tls_acceptor(record: &NodeRecord) -> Result<TlsAcceptor> {
    let cert = CertificateDer::from(pem_der(&record.tls_cert_pem)?);
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(pem_der(&record.tls_key_pem)?));
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .context("node TLS configuration")?;
    Ok(TlsAcceptor::from(Arc::new(config)))
}

async fn healthz() -> Response {
    json_response(200, &json!({"status": "OK", "time": utc_now()}))
}

async fn version(State(node): State<Arc<NodeRecord>>) -> Response {
    let v = if node.kind == CA {
        FABRIC_CA_VERSION
    } else {
        FABRIC_VERSION
    };
    json_response(200, &json!({"Version": v, "CommitSHA": "emulated"}))
}

/// Fabric CA's `GET /cainfo[?ca=name]`; no name means the default (enrollment) CA.
async fn cainfo(
    State(node): State<Arc<NodeRecord>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let wanted = q.get("ca").map(String::as_str).filter(|s| !s.is_empty());
    let pick = match wanted {
        None => Some((&node.ca_name, &node.ca_chain)),
        Some(w) if node.ca_name.as_deref() == Some(w) => Some((&node.ca_name, &node.ca_chain)),
        Some(w) if node.tlsca_name.as_deref() == Some(w) => {
            Some((&node.tlsca_name, &node.tlsca_chain))
        }
        Some(_) => None,
    };
    match pick {
        Some((name, chain)) => json_response(
            200,
            &json!({
                "result": {
                    "CAName": name.clone().unwrap_or_default(),
                    "CAChain": chain.clone().unwrap_or_default(),
                    "IssuerPublicKey": "",
                    "IssuerRevocationPublicKey": "",
                    "Version": FABRIC_CA_VERSION,
                },
                "errors": [],
                "messages": [],
                "success": true,
            }),
        ),
        None => json_response(
            404,
            &json!({
                "result": "",
                "errors": [{"code": 19, "message": format!("CA '{}' does not exist", wanted.unwrap_or_default())}],
                "messages": [],
                "success": false,
            }),
        ),
    }
}

async fn not_found() -> Response {
    json_response(404, &Value::String("404 page not found".into()))
}

fn node_handler(record: Arc<NodeRecord>) -> Handler {
    let mut router = Router::new()
        .route("/healthz", get(healthz))
        .route("/version", get(version));
    if record.kind == CA {
        router = router
            .route("/cainfo", get(cainfo))
            .route("/api/v1/cainfo", get(cainfo));
    }
    let router = router.fallback(not_found).with_state(record);
    Arc::new(move |req, _peer| {
        let router = router.clone();
        Box::pin(async move {
            match router.oneshot(req.map(AxumBody::new)).await {
                Ok(resp) => resp,
                Err(never) => match never {},
            }
        })
    })
}

/// Whether the region hosts a simulated node under this component id (its own node, not an
/// imported copy pointing at another region's).
pub(crate) fn hosts(state: &RegionState, component_id: &str) -> Result<bool> {
    Ok(state
        .store
        .nodes()?
        .iter()
        .any(|(id, _)| id == component_id))
}

/// Takes one hosted node down (or back up). `Ok(false)`: the region hosts no such node.
pub(crate) fn set_down(state: &RegionState, component_id: &str, down: bool) -> Result<bool> {
    if !hosts(state, component_id)? {
        return Ok(false);
    }
    state.faults.set_node_down(component_id, down);
    Ok(true)
}

/// Starts every node the region's store lists. A port that cannot be bound again leaves
/// that endpoint down (with a warning) rather than failing the region.
pub(crate) async fn start_nodes(
    state: &Arc<RegionState>,
    shutdown: &watch::Receiver<bool>,
) -> Result<Vec<JoinHandle<()>>> {
    let mut tasks = Vec::new();
    for (component_id, record) in state.store.nodes()? {
        let acceptor = match tls_acceptor(&record) {
            Ok(a) => a,
            Err(e) => {
                tracing::warn!("node {component_id} of region {}: {e:#}", state.index);
                continue;
            }
        };
        let record = Arc::new(record);
        let mut ports = vec![record.api_port];
        if record.ops_port != record.api_port {
            ports.push(record.ops_port);
        }
        for port in ports {
            match bind_loopback(port).await {
                Ok(listener) => tasks.push(tokio::spawn(serve(
                    listener,
                    node_handler(record.clone()),
                    DownWhen::new(state.faults.watch_down())
                        .or(state.faults.watch_node_down(&component_id)),
                    shutdown.clone(),
                    Some(acceptor.clone()),
                ))),
                Err(e) => tracing::warn!(
                    "node {component_id} of region {}: cannot bind 127.0.0.1:{port} ({e}); it stays down",
                    state.index
                ),
            }
        }
    }
    Ok(tasks)
}
