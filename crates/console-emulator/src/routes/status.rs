//! `POST /ak/api/v3/components/status`: always a 207 with one entry per requested id, each
//! from a real probe of the component's `/healthz` (peers, orderers) or `/cainfo` (CAs).

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use futures::future::join_all;
use serde_json::{json, Map, Value};
use std::time::Duration;

use super::AppState;
use crate::auth::{authorize, Action};
use crate::bodyparse::Body;
use crate::catalog::Failure;
use crate::normalize::{type_of, CA, ORDERER, PEER};
use crate::pipeline::Ctx;
use crate::region::RegionState;
use crate::store::Doc;
use crate::util::{friendly_ms, json_response, Ordered};

/// Default probe timeout.
const PROBE_TIMEOUT: Duration = Duration::from_millis(2000);

pub(crate) async fn bulk_status(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    headers: HeaderMap,
) -> Response {
    if let Err(resp) = authorize(&state, &headers, Action::View) {
        return resp;
    }
    let requested = match &ctx.body {
        Body::Json(body) => body.get("components").and_then(Value::as_object).cloned(),
        Body::Text(_) => None,
    };
    let Some(requested) = requested.filter(|r| !r.is_empty()) else {
        return json_response(
            400,
            &Ordered::new()
                .with("statusCode", 400)
                .with("msg", "missing or empty \"components\" field"),
        );
    };
    let docs = match state.store.components() {
        Ok(d) => d,
        Err(e) => return Failure::store(e).into_response(),
    };
    let checks = requested.iter().map(|(id, opts)| {
        let doc = docs.iter().find(|d| {
            d.get("_id").and_then(Value::as_str) == Some(id.as_str())
                && matches!(type_of(d), Some(CA | PEER | ORDERER))
        });
        let state = &state;
        async move { (id.clone(), status_of(state, doc, opts).await) }
    });
    let results: Map<String, Value> = join_all(checks).await.into_iter().collect();
    json_response(207, &Value::Object(results))
}

/// athena's `build_status_url`.
fn status_url(doc: &Doc) -> Option<String> {
    let get = |k: &str| doc.get(k).and_then(Value::as_str).filter(|s| !s.is_empty());
    match type_of(doc) {
        Some(CA) => get("api_url").map(|u| format!("{u}/cainfo")),
        Some(PEER | ORDERER) => get("operations_url").map(|u| format!("{u}/healthz")),
        _ => None,
    }
}

async fn status_of(state: &RegionState, doc: Option<&Doc>, opts: &Value) -> Value {
    let with_resp = opts.get("include_status_resp") == Some(&Value::Bool(true));
    let Some(doc) = doc else {
        let mut entry = json!({"status_url": "?", "status": null, "error": "unknown component id"});
        if with_resp {
            entry["status_resp"] = Value::Null;
        }
        return entry;
    };
    let Some(url) = status_url(doc) else {
        let mut entry = json!({"status_url": null, "status": "not ok"});
        if with_resp {
            entry["status_resp"] =
                json!("unable to get component status b/c url to use in doc is missing");
        }
        return entry;
    };
    let timeout = opts
        .get("timeout_ms")
        .and_then(Value::as_f64)
        .filter(|t| *t > 0.0)
        .map(|t| Duration::from_millis(t as u64))
        .unwrap_or(PROBE_TIMEOUT);
    let skip_cache = opts.get("skip_cache") == Some(&Value::Bool(true));
    let result = state.prober.probe(&url, timeout, skip_cache).await;
    let mut entry = json!({
        "status_url": url,
        "status": if result.code >= 400 { "not ok" } else { "ok" },
    });
    if with_resp {
        entry["status_resp"] = result.body;
    }
    if let Some(left) = result.cached_for {
        entry["_cache_expires_in"] = json!(friendly_ms(left.as_millis() as f64));
    }
    entry
}
