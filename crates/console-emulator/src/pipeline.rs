//! What happens to every console request before and after its route, in the console's
//! order: injected latency and faults, body parsing (a malformed JSON body is answered
//! right there, like Express's body-parser error path), the `/ak/` rate limit, the lockout
//! check, the route itself, then lockout bookkeeping, rate-limit headers and the request log.

use axum::body::Body as AxumBody;
use axum::http::{header, HeaderValue, Method, Request, Uri};
use axum::response::Response;
use axum::Router;
use hyper::body::Incoming;
use std::net::SocketAddr;
use std::sync::Arc;
use tower::ServiceExt;

use crate::bodyparse::{parse_body, Body};
use crate::region::RegionState;
use crate::util::{json_response, Ordered};

/// athena's body size limit.
const MAX_BODY: usize = 25 * 1024 * 1024;

/// Per-request data the routes read.
#[derive(Debug, Clone)]
pub(crate) struct Ctx {
    pub body: Body,
}

pub(crate) async fn handle(
    state: Arc<RegionState>,
    router: Router,
    req: Request<Incoming>,
    peer: SocketAddr,
) -> Response {
    let method = req.method().to_string();
    let logged_path = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".to_string());
    let user_agent = req
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let latency = state.faults.latency();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let resp = process(&state, router, req, peer).await;
    state
        .log
        .record(&method, &logged_path, &user_agent, resp.status().as_u16());
    resp
}

async fn process(
    state: &RegionState,
    router: Router,
    req: Request<Incoming>,
    peer: SocketAddr,
) -> Response {
    let is_ak = req.uri().path().starts_with("/ak/");
    if let Some(status) = is_ak.then(|| state.faults.take_failure()).flatten() {
        return injected_failure(status);
    }
    let user_agent = req
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("undefined")
        .to_string();
    let client = format!("{}{user_agent}", peer.ip());

    let (mut parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(AxumBody::new(body), MAX_BODY).await {
        Ok(b) => b,
        Err(_) => {
            return json_response(
                413,
                &Ordered::new()
                    .with("statusCode", 413)
                    .with("msg", "request entity too large"),
            )
        }
    };
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let body = match parse_body(content_type, &bytes) {
        Ok(b) => b,
        Err(failure) => {
            return json_response(
                400,
                &Ordered::new()
                    .with("statusCode", 400)
                    .with("msg", failure.msg)
                    .with("details", failure.details),
            )
        }
    };

    let decision = is_ak.then(|| {
        let limiter = state.rate.for_method(parts.method == Method::GET);
        (limiter, limiter.hit(&client))
    });
    if let Some((limiter, d)) = &decision {
        if d.exceeded {
            let mut resp = json_response(429, &limiter.exceeded_body());
            d.apply(resp.headers_mut());
            return resp;
        }
    }

    let mut resp = match state.lockout.check(&client) {
        Some(body) => json_response(402, &body),
        None => {
            parts.uri = without_trailing_slash(&parts.uri);
            parts.extensions.insert(Ctx { body });
            let req = Request::from_parts(parts, AxumBody::empty());
            let resp = match router.oneshot(req).await {
                Ok(r) => r,
                Err(never) => match never {},
            };
            state.lockout.track(&client, resp.status().as_u16());
            resp
        }
    };
    if let Some((_, d)) = decision {
        d.apply(resp.headers_mut());
    }
    add_common_headers(&mut resp, is_ak);
    resp
}

/// Express routes match with or without a trailing slash.
fn without_trailing_slash(uri: &Uri) -> Uri {
    let path = uri.path();
    if path.len() <= 1 || !path.ends_with('/') {
        return uri.clone();
    }
    let trimmed = path.trim_end_matches('/');
    let trimmed = if trimmed.is_empty() { "/" } else { trimmed };
    let rebuilt = match uri.query() {
        Some(q) => format!("{trimmed}?{q}"),
        None => trimmed.to_string(),
    };
    rebuilt.parse().unwrap_or_else(|_| uri.clone())
}

fn add_common_headers(resp: &mut Response, is_ak: bool) {
    let h = resp.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if is_ak {
        h.insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        );
    }
}

/// The answer of a region whose console is forced to fail.
fn injected_failure(status: u16) -> Response {
    let mut response = json_response(
        status,
        &Ordered::new()
            .with("statusCode", status)
            .with("msg", "failure injected by the console emulator"),
    );
    if status == 429 {
        // The console always says when to come back; an injected 429 asks for a short wait.
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    }
    response
}
