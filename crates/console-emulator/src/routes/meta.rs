//! Settings, health, the deployer-only routes and unknown routes.

use axum::extract::State;
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;

use super::AppState;
use crate::auth::{authorize, Action};
use crate::settings;
use crate::util::{json_response, route_not_found, text_response, Ordered};

/// `GET /api/v3/settings` and `GET /ak/api/v3/settings` (public).
pub(super) async fn settings(State(state): State<AppState>) -> Response {
    json_response(200, &settings::settings(&state))
}

/// `GET /api/v3/healthcheck` and `/ak/api/v3/healthcheck` (public).
pub(super) async fn healthcheck(State(state): State<AppState>) -> Response {
    json_response(
        200,
        &Ordered::new()
            .with("message", "ok")
            .with("id", state.instance_id.clone()),
    )
}

/// `GET /ak/api/v3/health` (manager: it needs the `optools.logs` action).
pub(super) async fn health(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Err(resp) = authorize(&state, &headers, Action::Logs) {
        return resp;
    }
    json_response(200, &settings::health(&state))
}

/// `/ak/api/v3/kubernetes/...`: these need a deployer, which an import-only console lacks.
pub(super) async fn deployer_only(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
) -> Response {
    let action = if method == Method::GET {
        Action::View
    } else {
        Action::Delete
    };
    if let Err(resp) = authorize(&state, &headers, action) {
        return resp;
    }
    json_response(
        503,
        &Ordered::new()
            .with("statusCode", 503)
            .with("error", "api is not available")
            .with(
                "msg",
                "this api is not available to Console's without the \"deployer\" counterpart",
            ),
    )
}

/// Unknown API routes get the console's JSON 404, anything else its text 404.
pub(super) async fn fallback(uri: Uri) -> Response {
    let path = uri.path();
    if path.starts_with("/ak/api") || path.starts_with("/api") {
        route_not_found()
    } else {
        text_response(404, "404 Route Not Found :(")
    }
}
