//! Simulated Fabric nodes hosted by a region: each serves, over HTTPS with its own TLS
//! certificate, on ports kept in the region's store, what the console and clients reach —
//! `/healthz` and `/version` like a peer's, orderer's or CA's operations service, and on a
//! CA's API port a Fabric CA (`fabric_ca`: its enrollment CA and TLS CA by name). A node is
//! down whenever its region is, and when it was taken down by itself.

use anyhow::{Context, Result};
use axum::body::Body as AxumBody;
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use serde_json::json;
use std::sync::Arc;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

use crate::fabric_ca::{self, CaServer};
use crate::normalize::CA;
use crate::options::RegionCa;
use crate::region::RegionState;
use crate::server::{bind_loopback, serve, DownWhen, Handler};
use crate::store::NodeRecord;
use crate::util::json_response;

const FABRIC_VERSION: &str = "2.5.12";

/// `2026-01-01T00:00:00.123456789Z`, as Fabric's operations service prints it (Go's
/// RFC 3339 with nanoseconds, trailing zeros dropped).
fn utc_now() -> String {
    let t = time::OffsetDateTime::now_utc();
    let nanos = format!("{:09}", t.nanosecond());
    let nanos = nanos.trim_end_matches('0');
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}{nanos}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        if nanos.is_empty() { "" } else { "." }
    )
}

fn pem_der(pem: &str) -> Result<Vec<u8>> {
    let (_, parsed) = x509_parser::pem::parse_x509_pem(pem.as_bytes())
        .map_err(|e| anyhow::anyhow!("bad PEM: {e:?}"))?;
    Ok(parsed.contents)
}

/// A TLS server identity from a PEM certificate and its PKCS#8 key (HTTP/1.1 only, as
/// Fabric's servers negotiate no ALPN).
pub(crate) fn tls_acceptor(cert_pem: &str, key_pem: &str) -> Result<TlsAcceptor> {
    let cert = CertificateDer::from(pem_der(cert_pem)?);
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(pem_der(key_pem)?));
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .context("node TLS configuration")?;
    Ok(TlsAcceptor::from(Arc::new(config)))
}

async fn healthz() -> Response {
    let mut resp = json_response(200, &json!({"status": "OK", "time": utc_now()}));
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    resp
}

async fn version(State(node): State<Arc<NodeRecord>>) -> Response {
    if node.kind == CA {
        // fabric-ca-server's operations service (recording 09): bare version, as text
        let mut resp = Response::new(AxumBody::from(format!(
            "{{\"Version\":\"{}\"}}",
            fabric_ca::VERSION
        )));
        resp.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        return resp;
    }
    json_response(
        200,
        &json!({"Version": FABRIC_VERSION, "CommitSHA": "emulated"}),
    )
}

/// The operations service: `/healthz`, `/version`, else Go's plain-text 404.
fn ops_handler(record: Arc<NodeRecord>) -> Handler {
    let router = Router::new()
        .route("/healthz", get(healthz))
        .route("/version", get(version))
        .fallback(|| async { fabric_ca::page_not_found() })
        .with_state(record);
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

/// What a node's API port serves: a CA's Fabric CA, else (peers, orderers, which speak no
/// gRPC here) the operations endpoints.
fn api_handler(
    state: &RegionState,
    component_id: &str,
    record: &Arc<NodeRecord>,
) -> Result<Handler> {
    if record.kind != CA {
        return Ok(ops_handler(record.clone()));
    }
    let server = CaServer::for_node(&state.store, component_id, record, &state.ca_admin)?;
    Ok(fabric_ca::handler(Arc::new(server)))
}

/// The CA nodes the region hosts, as clients reach them.
pub(crate) fn cas(state: &RegionState) -> Vec<RegionCa> {
    let nodes = match state.store.nodes() {
        Ok(nodes) => nodes,
        Err(e) => {
            tracing::warn!("region {}: {e:#}", state.index);
            return Vec::new();
        }
    };
    nodes
        .into_iter()
        .filter(|(_, node)| node.kind == CA)
        .map(|(id, node)| {
            let doc = state
                .store
                .component(&id)
                .ok()
                .flatten()
                .unwrap_or_default();
            let text = |key: &str| doc.get(key).and_then(|v| v.as_str()).map(str::to_string);
            RegionCa {
                display_name: text("display_name").unwrap_or_else(|| id.clone()),
                api_url: text("api_url")
                    .unwrap_or_else(|| format!("https://127.0.0.1:{}", node.api_port)),
                operations_url: text("operations_url")
                    .unwrap_or_else(|| format!("https://127.0.0.1:{}", node.ops_port)),
                component_id: id,
                ca_name: node.ca_name.unwrap_or_default(),
                tlsca_name: node.tlsca_name.unwrap_or_default(),
                ca_admin: state.ca_admin.clone(),
                tlsca_admin: state.ca_admin.clone(),
            }
        })
        .collect()
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
        let acceptor = match tls_acceptor(&record.tls_cert_pem, &record.tls_key_pem) {
            Ok(a) => a,
            Err(e) => {
                tracing::warn!("node {component_id} of region {}: {e:#}", state.index);
                continue;
            }
        };
        let record = Arc::new(record);
        let mut ports = Vec::new();
        match api_handler(state, &component_id, &record) {
            Ok(api) => ports.push((record.api_port, api)),
            // its operations port still answers: the node is up, its API broken
            Err(e) => tracing::warn!(
                "node {component_id} of region {}: its API stays down: {e:#}",
                state.index
            ),
        }
        if record.ops_port != record.api_port {
            ports.push((record.ops_port, ops_handler(record.clone())));
        }
        for (port, handler) in ports {
            match bind_loopback(port).await {
                Ok(listener) => tasks.push(tokio::spawn(serve(
                    listener,
                    handler,
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
