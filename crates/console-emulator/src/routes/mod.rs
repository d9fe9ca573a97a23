//! The console's routes (`/ak/api/v3/...` and the public `/api/v3/...` ones).

mod changes;
mod components;
mod keys;
mod meta;
mod status;

use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::Router;
use std::collections::HashMap;
use std::sync::Arc;

use crate::bodyparse::form_decode;
use crate::catalog::Failure;
use crate::region::RegionState;
use crate::util::json_response;

pub(crate) type AppState = Arc<RegionState>;

pub(crate) fn router(state: AppState) -> Router {
    let ak = "/ak/api/v3";
    Router::new()
        .route("/api/v3/settings", get(meta::settings))
        .route("/api/v3/healthcheck", get(meta::healthcheck))
        .route(&format!("{ak}/settings"), get(meta::settings))
        .route(&format!("{ak}/healthcheck"), get(meta::healthcheck))
        .route(&format!("{ak}/health"), get(meta::health))
        .route(
            &format!("{ak}/permissions/keys"),
            get(keys::list_keys).post(keys::create_key),
        )
        .route(
            &format!("{ak}/permissions/keys/{{key}}"),
            axum::routing::delete(keys::delete_key),
        )
        .route(&format!("{ak}/identity/token"), post(keys::create_token))
        .route(
            &format!("{ak}/identity/token/{{token}}"),
            get(keys::token_details).delete(keys::delete_token),
        )
        .route(
            &format!("{ak}/components"),
            get(components::list).post(changes::import_generic),
        )
        .route(
            &format!("{ak}/components/{{id}}"),
            get(components::get_one)
                .post(post_on_segment)
                .put(changes::edit)
                .delete(changes::delete),
        )
        .route(
            &format!("{ak}/components/{{kind}}/{{id}}"),
            axum::routing::put(changes::edit_typed),
        )
        .route(
            &format!("{ak}/components/types/{{kind}}"),
            get(components::by_type),
        )
        .route(
            &format!("{ak}/components/tags/{{tag}}"),
            get(components::by_tag).delete(changes::delete_by_tag),
        )
        .route(
            &format!("{ak}/components/msps/{{msp_id}}"),
            get(components::msps),
        )
        .route(&format!("{ak}/kubernetes"), any(meta::deployer_only))
        .route(
            &format!("{ak}/kubernetes/{{*rest}}"),
            any(meta::deployer_only),
        )
        .fallback(meta::fallback)
        .method_not_allowed_fallback(meta::fallback)
        .with_state(state)
}

/// `POST /components/{segment}`: bulk import, bulk status, or an import by type.
async fn post_on_segment(
    state: axum::extract::State<AppState>,
    path: axum::extract::Path<String>,
    ctx: axum::Extension<crate::pipeline::Ctx>,
    headers: axum::http::HeaderMap,
    uri: Uri,
) -> Response {
    match path.0.as_str() {
        "bulk" => changes::bulk(state, ctx, headers, uri).await,
        "status" => status::bulk_status(state, ctx, headers).await,
        _ => changes::import_typed(state, path, ctx, headers, uri).await,
    }
}

/// Query parameters, first value wins.
pub(crate) fn query_map(uri: &Uri) -> HashMap<String, String> {
    let mut map = HashMap::new();
    for pair in uri
        .query()
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
    {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        map.entry(form_decode(k)).or_insert_with(|| form_decode(v));
    }
    map
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        json_response(self.status, &self.body)
    }
}
