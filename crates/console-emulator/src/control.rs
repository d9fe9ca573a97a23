//! The control API: a small JSON API on its own loopback port to inspect regions and inject
//! faults (a region or one of its nodes down/up, latency, forced status) from outside the process, behind a
//! [`ControlGuard`] (loopback Host, bearer token). Documented with curl examples in the crate
//! README.

use axum::body::Body as AxumBody;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;
use tower::ServiceExt;

use crate::control_guard::ControlGuard;
use crate::region::RegionState;
use crate::server::Handler;
use crate::util::json_response;
use crate::{nodes, scenario};

type Regions = Arc<Vec<Arc<RegionState>>>;

fn region_json(r: &RegionState) -> Value {
    json!({
        "index": r.index,
        "name": r.name,
        "location": r.location,
        "console_url": r.console_url,
        "api_key": r.manager_key,
        "api_secret": r.manager_secret,
        "admin_email": r.admin_email,
        "admin_password": r.admin_password,
        "down": r.faults.is_down(),
        "latency_ms": r.faults.latency().as_millis() as u64,
        "fail_status": r.faults.fail_status(),
        "nodes_down": r.faults.nodes_down(),
        "cas": nodes::cas(r),
    })
}

fn find(regions: &Regions, n: usize) -> Result<&Arc<RegionState>, Response> {
    regions
        .iter()
        .find(|r| r.index == n)
        .ok_or_else(|| json_response(404, &json!({"error": format!("no region {n}")})))
}

async fn list(State(regions): State<Regions>) -> Response {
    let list: Vec<Value> = regions.iter().map(|r| region_json(r)).collect();
    json_response(200, &json!({ "regions": list }))
}

async fn one(State(regions): State<Regions>, Path(n): Path<usize>) -> Response {
    match find(&regions, n) {
        Ok(r) => json_response(200, &region_json(r)),
        Err(resp) => resp,
    }
}

async fn set_down(regions: Regions, n: usize, down: bool) -> Response {
    match find(&regions, n) {
        Ok(r) => {
            r.faults.set_down(down);
            json_response(200, &region_json(r))
        }
        Err(resp) => resp,
    }
}

async fn down(State(regions): State<Regions>, Path(n): Path<usize>) -> Response {
    set_down(regions, n, true).await
}

async fn up(State(regions): State<Regions>, Path(n): Path<usize>) -> Response {
    set_down(regions, n, false).await
}

/// One hosted node down or up; the id is the node's component id in region `n`'s console.
async fn set_node_down(regions: Regions, n: usize, id: String, down: bool) -> Response {
    let r = match find(&regions, n) {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    match nodes::set_down(r, &id, down) {
        Ok(true) => json_response(200, &region_json(r)),
        Ok(false) => json_response(
            404,
            &json!({"error": format!("region {n} hosts no node '{id}' (an unknown id, an MSP or an imported copy)")}),
        ),
        Err(e) => json_response(500, &json!({"error": format!("{e:#}")})),
    }
}

async fn node_down(
    State(regions): State<Regions>,
    Path((n, id)): Path<(usize, String)>,
) -> Response {
    set_node_down(regions, n, id, true).await
}

async fn node_up(State(regions): State<Regions>, Path((n, id)): Path<(usize, String)>) -> Response {
    set_node_down(regions, n, id, false).await
}

#[derive(Deserialize)]
struct LatencyBody {
    ms: u64,
}

async fn latency(
    State(regions): State<Regions>,
    Path(n): Path<usize>,
    Json(body): Json<LatencyBody>,
) -> Response {
    match find(&regions, n) {
        Ok(r) => {
            r.faults.set_latency(Duration::from_millis(body.ms));
            json_response(200, &region_json(r))
        }
        Err(resp) => resp,
    }
}

#[derive(Deserialize)]
struct FailBody {
    status: Option<u16>,
    /// Only the next `count` requests fail; absent = until cleared.
    #[serde(default)]
    count: Option<u64>,
}

async fn fail(
    State(regions): State<Regions>,
    Path(n): Path<usize>,
    Json(body): Json<FailBody>,
) -> Response {
    if let Some(s) = body.status.filter(|s| !(100..=599).contains(s)) {
        return json_response(
            400,
            &json!({"error": format!("status {s} is not an HTTP status")}),
        );
    }
    match find(&regions, n) {
        Ok(r) => {
            r.faults.set_fail_next(body.status, body.count.unwrap_or(0));
            json_response(200, &region_json(r))
        }
        Err(resp) => resp,
    }
}

async fn clear_fail(State(regions): State<Regions>, Path(n): Path<usize>) -> Response {
    match find(&regions, n) {
        Ok(r) => {
            r.faults.set_fail_status(None);
            json_response(200, &region_json(r))
        }
        Err(resp) => resp,
    }
}

async fn requests(State(regions): State<Regions>, Path(n): Path<usize>) -> Response {
    match find(&regions, n) {
        Ok(r) => {
            let log: Vec<Value> = r
                .log
                .snapshot()
                .into_iter()
                .map(|e| json!({"method": e.method, "path": e.path, "status": e.status, "time_ms": e.time_ms}))
                .collect();
            json_response(200, &json!({ "requests": log }))
        }
        Err(resp) => resp,
    }
}

async fn clear_requests(State(regions): State<Regions>, Path(n): Path<usize>) -> Response {
    match find(&regions, n) {
        Ok(r) => {
            r.log.clear();
            json_response(200, &json!({ "requests": [] }))
        }
        Err(resp) => resp,
    }
}

async fn identities(State(regions): State<Regions>, Path(n): Path<usize>) -> Response {
    match find(&regions, n) {
        Ok(r) => json_response(200, &json!({ "identities": scenario::identities(r) })),
        Err(resp) => resp,
    }
}

async fn healthz() -> Response {
    json_response(200, &json!({"status": "ok"}))
}

pub(crate) fn handler(regions: Vec<Arc<RegionState>>, guard: ControlGuard) -> Handler {
    let router = Router::new()
        .route("/healthz", get(healthz))
        .route("/regions", get(list))
        .route("/regions/{n}", get(one))
        .route("/regions/{n}/down", post(down))
        .route("/regions/{n}/up", post(up))
        .route("/regions/{n}/components/{id}/down", post(node_down))
        .route("/regions/{n}/components/{id}/up", post(node_up))
        .route("/regions/{n}/latency", post(latency).put(latency))
        .route("/regions/{n}/fail", post(fail).put(fail).delete(clear_fail))
        .route(
            "/regions/{n}/requests",
            get(requests).delete(clear_requests),
        )
        .route("/regions/{n}/identities", get(identities))
        .with_state(Arc::new(regions));
    Arc::new(move |req, _peer| {
        if let Some(refusal) = guard.refusal(&req) {
            return Box::pin(std::future::ready(refusal));
        }
        let router = router.clone();
        Box::pin(async move {
            match router.oneshot(req.map(AxumBody::new)).await {
                Ok(resp) => resp,
                Err(never) => match never {},
            }
        })
    })
}
