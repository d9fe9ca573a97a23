//! A Fabric CA server as fabric-ca-server v1.5.21 answers (written from the 79 recordings
//! in `tests/fixtures/fabric-ca-1.5.21`, fabric-ca's source where they are silent): one
//! HTTPS port, one or more CAs selected by name, each with its own registry and bootstrap
//! identity. Every simulated CA node serves one (enrollment CA and TLS CA behind one port);
//! [`FabricCaServer`] serves one on its own for tests.
//!
//! This file routes: `/api/v1/<endpoint>` and the legacy `/<endpoint>` alike, each endpoint
//! with the methods fabric-ca allows (others: 405 code 1), unknown paths gorilla/mux's
//! plain-text 404.

mod affiliations;
mod auth;
mod authority;
mod certificates;
mod csr;
mod enroll;
mod envelope;
mod gojson;
mod identities;
mod register;
mod request;
mod revoke;
mod server;
mod signing;
mod store;
mod token;

use anyhow::{Context, Result};
use axum::body::Body as AxumBody;
use axum::response::Response;
use hyper::body::Incoming;
use hyper::Request;
use serde::Serialize;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::options::CaAdmin;
use crate::server::Handler;
use crate::store::{NodeRecord, Store};
use authority::Ca;
use envelope::{respond, CaError, Success};
use request::Ctx;

pub(crate) use envelope::page_not_found;
pub use server::{FabricCaOptions, FabricCaServer};

/// What `cainfo` (and the CA's operations `/version`) report as the server's version.
pub(crate) const VERSION: &str = "v1.5.21";
/// Bodies past this are not read (fabric-ca reads any size; nothing real comes close).
const BODY_LIMIT: usize = 4 * 1024 * 1024;

/// The CAs behind one port. The first is the default (no `?ca=`, no `caname`).
pub(crate) struct CaServer {
    cas: Vec<Arc<Ca>>,
    /// fabric-ca's shared-endpoint bug: a POST to `identities` (or `affiliations`) sets the
    /// success status of that endpoint object to 201 for good, so every later successful
    /// GET of it on this server answers 201 (recordings 94→96/97, 98→99b, 86→87). The
    /// object belongs to the server, not to one CA, and lives as long as the process.
    identities_posted: AtomicBool,
    affiliations_posted: AtomicBool,
}

/// `cainfo`'s result (and, with an empty version, enroll's `ServerInfo`).
#[derive(Serialize)]
struct CaInfo<'a> {
    #[serde(rename = "CAName")]
    ca_name: &'a str,
    #[serde(rename = "CAChain")]
    ca_chain: &'a str,
    /// Idemix is not emulated: its keys are empty.
    #[serde(rename = "IssuerPublicKey")]
    issuer_public_key: &'a str,
    #[serde(rename = "IssuerRevocationPublicKey")]
    issuer_revocation_public_key: &'a str,
    #[serde(rename = "Version")]
    version: &'a str,
}

impl<'a> CaInfo<'a> {
    fn of(ca: &'a Ca, version: &'a str) -> CaInfo<'a> {
        CaInfo {
            ca_name: &ca.name,
            ca_chain: &ca.chain_b64,
            issuer_public_key: "",
            issuer_revocation_public_key: "",
            version,
        }
    }
}

impl CaServer {
    pub(crate) fn new(cas: Vec<Ca>) -> CaServer {
        CaServer {
            cas: cas.into_iter().map(Arc::new).collect(),
            identities_posted: AtomicBool::new(false),
            affiliations_posted: AtomicBool::new(false),
        }
    }

    /// The CAs of a simulated CA node: its enrollment CA (default) and its TLS CA, with
    /// their registries in the region's store under the node's component id.
    pub(crate) fn for_node(
        store: &Arc<Store>,
        component_id: &str,
        node: &NodeRecord,
        admin: &CaAdmin,
    ) -> Result<CaServer> {
        let mut cas = Vec::new();
        for (name, chain, key) in [
            (&node.ca_name, &node.ca_chain, &node.ca_key_pem),
            (&node.tlsca_name, &node.tlsca_chain, &node.tlsca_key_pem),
        ] {
            let (Some(name), Some(chain)) = (name, chain) else {
                continue;
            };
            cas.push(
                Ca::open(
                    store.clone(),
                    format!("{component_id}/{name}"),
                    name,
                    chain,
                    key.as_deref(),
                    admin,
                )
                .with_context(|| format!("CA '{name}' of {component_id}"))?,
            );
        }
        anyhow::ensure!(!cas.is_empty(), "CA node {component_id} names no CA");
        Ok(CaServer::new(cas))
    }

    fn default_ca(&self) -> &Arc<Ca> {
        &self.cas[0]
    }

    fn ca_named(&self, name: &str) -> Option<Arc<Ca>> {
        self.cas.iter().find(|c| c.name == name).cloned()
    }
}

/// The endpoints of fabric-ca-server (idemix's are not emulated).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Endpoint {
    CaInfo,
    Enroll,
    Reenroll,
    Register,
    Revoke,
    GenCrl,
    Identities,
    Identity(String),
    Affiliations,
    Affiliation(String),
    Certificates,
}

impl Endpoint {
    /// The endpoint a (decoded) path names: `/api/v1/x` or `/x`.
    fn of(path: &str) -> Option<Endpoint> {
        let rest = path
            .strip_prefix("/api/v1/")
            .or_else(|| path.strip_prefix('/'))?;
        let one = |prefix: &str| {
            rest.strip_prefix(prefix)
                .filter(|v| !v.is_empty() && !v.contains('/'))
                .map(str::to_string)
        };
        Some(match rest {
            "cainfo" => Endpoint::CaInfo,
            "enroll" => Endpoint::Enroll,
            "reenroll" => Endpoint::Reenroll,
            "register" => Endpoint::Register,
            "revoke" => Endpoint::Revoke,
            "gencrl" => Endpoint::GenCrl,
            "identities" => Endpoint::Identities,
            "affiliations" => Endpoint::Affiliations,
            "certificates" => Endpoint::Certificates,
            _ => {
                if let Some(id) = one("identities/") {
                    Endpoint::Identity(id)
                } else {
                    Endpoint::Affiliation(one("affiliations/")?)
                }
            }
        })
    }

    fn methods(&self) -> &'static [&'static str] {
        match self {
            Endpoint::CaInfo => &["GET", "POST", "HEAD"],
            Endpoint::Enroll
            | Endpoint::Reenroll
            | Endpoint::Register
            | Endpoint::Revoke
            | Endpoint::GenCrl => &["POST"],
            Endpoint::Identities | Endpoint::Affiliations => &["GET", "POST"],
            Endpoint::Identity(_) | Endpoint::Affiliation(_) => &["GET", "DELETE", "PUT"],
            Endpoint::Certificates => &["GET", "DELETE"],
        }
    }
}

fn cainfo(ctx: &Ctx<'_>) -> Result<Success, CaError> {
    let ca = ctx.ca()?;
    Ok(Success::ok(&CaInfo::of(&ca, VERSION)))
}

/// A GET of an endpoint a POST made answer 201 (see [`CaServer::identities_posted`]).
fn after_post(posted: &AtomicBool, outcome: Result<Success, CaError>) -> Result<Success, CaError> {
    outcome.map(|mut s| {
        if posted.load(Ordering::SeqCst) {
            s.status = 201;
        }
        s
    })
}

fn dispatch(endpoint: &Endpoint, ctx: &Ctx<'_>) -> Result<Success, CaError> {
    let server = ctx.server;
    let get = ctx.method == "GET";
    match endpoint {
        Endpoint::CaInfo => cainfo(ctx),
        Endpoint::Enroll => enroll::enroll(ctx),
        Endpoint::Reenroll => enroll::reenroll(ctx),
        Endpoint::Register => register::register(ctx),
        Endpoint::Revoke => revoke::revoke(ctx),
        Endpoint::GenCrl => revoke::gencrl(ctx),
        Endpoint::Identities if get => after_post(&server.identities_posted, identities::list(ctx)),
        Endpoint::Identities => identities::add(ctx, &server.identities_posted),
        Endpoint::Identity(id) => identities::one(ctx, id),
        Endpoint::Affiliations if get => {
            after_post(&server.affiliations_posted, affiliations::list(ctx))
        }
        Endpoint::Affiliations => affiliations::add(ctx, &server.affiliations_posted),
        Endpoint::Affiliation(name) => affiliations::one(ctx, name),
        Endpoint::Certificates => certificates::handle(ctx),
    }
}

async fn handle(server: Arc<CaServer>, req: Request<Incoming>) -> Response {
    let method = req.method().as_str().to_string();
    let head = method == "HEAD";
    let uri = req
        .uri()
        .path_and_query()
        .map(|pq| pq.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    let Some(endpoint) = Endpoint::of(&request::decode_path(req.uri().path())) else {
        return envelope::page_not_found();
    };
    if !endpoint.methods().contains(&method.as_str()) {
        let refusal = CaError::new(405, 1, format!("Method {method} is not allowed"));
        return respond(head, Err(refusal));
    }
    let authorization = req
        .headers()
        .get(hyper::header::AUTHORIZATION)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let body = match axum::body::to_bytes(AxumBody::new(req.into_body()), BODY_LIMIT).await {
        Ok(b) => b,
        Err(e) => {
            let refusal = CaError::new(400, 3, format!("Failed reading request body: {e}"));
            return respond(head, Err(refusal));
        }
    };
    let ctx = Ctx::new(&server, &method, &uri, body, authorization);
    let outcome = dispatch(&endpoint, &ctx);
    drop(ctx);
    respond(head, outcome)
}

/// The HTTP handler of a CA server (served over TLS by `server::serve`).
pub(crate) fn handler(server: Arc<CaServer>) -> Handler {
    Arc::new(move |req, _peer| Box::pin(handle(server.clone(), req)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_endpoints_with_or_without_the_api_prefix() {
        assert_eq!(Endpoint::of("/api/v1/cainfo"), Some(Endpoint::CaInfo));
        assert_eq!(Endpoint::of("/cainfo"), Some(Endpoint::CaInfo));
        assert_eq!(
            Endpoint::of("/api/v1/identities/peer1"),
            Some(Endpoint::Identity("peer1".into()))
        );
        assert_eq!(
            Endpoint::of("/affiliations/org1.department1"),
            Some(Endpoint::Affiliation("org1.department1".into()))
        );
        for unknown in [
            "/api/v1/nosuch",
            "/api/v1/identities/",
            "/api/v1/identities/a/b",
            "/api/v2/cainfo",
            "/api/v1/cainfo/",
            "",
        ] {
            assert_eq!(Endpoint::of(unknown), None, "{unknown}");
        }
    }
}
