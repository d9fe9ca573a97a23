//! API keys (`/permissions/keys`) and bearer tokens (`/identity/token`).

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Value};

use super::AppState;
use crate::accounts::{create_api_key, create_token as issue_token};
use crate::auth::{authorize, Action, ROLES};
use crate::bodyparse::Body;
use crate::catalog::Failure;
use crate::pipeline::Ctx;
use crate::schemas;
use crate::util::{friendly_ms, json_response, now_ms, Ordered};
use crate::validate::validate;

const MAX_EXPIRATION_SECS: f64 = 60.0 * 60.0 * 24.0 * 15.0;

fn body_value(ctx: &Ctx) -> Value {
    match &ctx.body {
        Body::Json(v) => v.clone(),
        Body::Text(t) => Value::String(t.clone()),
    }
}

fn bad_request_msgs(msgs: Vec<String>) -> Response {
    json_response(
        400,
        &Ordered::new().with("statusCode", 400).with("msgs", msgs),
    )
}

/// athena's `validate_roles`: lower-cased roles, `None` if one is unknown.
fn valid_roles(value: Option<&Value>) -> Option<Vec<String>> {
    let list = value.and_then(Value::as_array).cloned().unwrap_or_default();
    list.iter()
        .map(|r| {
            let role = r.as_str()?.to_lowercase();
            ROLES.contains(&role.as_str()).then_some(role)
        })
        .collect()
}

fn role_error(msg: String) -> Response {
    json_response(
        400,
        &Ordered::new()
            .with("statusCode", 400)
            .with("msg", vec![msg]),
    )
}

fn invalid_roles_msg(separator: &str) -> String {
    format!(
        "invalid roles for api key. valid roles:{separator}{}",
        serde_json::to_string(&ROLES).unwrap_or_default()
    )
}

/// `POST /ak/api/v3/permissions/keys`
pub(super) async fn create_key(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    headers: HeaderMap,
) -> Response {
    if let Err(resp) = authorize(&state, &headers, Action::ApiKeys) {
        return resp;
    }
    let body = body_value(&ctx);
    let msgs = validate(&body, &schemas::create_api_key(), false);
    if !msgs.is_empty() {
        return bad_request_msgs(msgs);
    }
    let roles = match valid_roles(body.get("roles")) {
        None => return role_error(invalid_roles_msg(" ")),
        Some(r) if r.is_empty() => return role_error("must have at least 1 role for key.".into()),
        Some(r) => r,
    };
    let description = body
        .get("description")
        .and_then(Value::as_str)
        .filter(|d| !d.is_empty())
        .unwrap_or("-");
    match create_api_key(&state.store, &roles, description) {
        Ok((key, secret)) => json_response(
            200,
            &Ordered::new()
                .with("api_key", key)
                .with("api_secret", secret)
                .with("roles", roles)
                .with("message", "ok"),
        ),
        Err(e) => Failure::store(e).into_response(),
    }
}

/// `GET /ak/api/v3/permissions/keys`, newest first.
pub(super) async fn list_keys(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Err(resp) = authorize(&state, &headers, Action::ApiKeys) {
        return resp;
    }
    let mut keys = match state.store.api_keys() {
        Ok(k) => k,
        Err(e) => return Failure::store(e).into_response(),
    };
    keys.sort_by(|a, b| b.1.timestamp.cmp(&a.1.timestamp).then(a.0.cmp(&b.0)));
    let keys: Vec<Ordered> = keys
        .into_iter()
        .map(|(key, rec)| {
            Ordered::new()
                .with("api_key", key)
                .with("roles", rec.roles)
                .with("ts_created", rec.timestamp)
                .with("description", rec.description)
        })
        .collect();
    json_response(
        200,
        &Ordered::new()
            .with("message", "ok")
            .with("keys", serde_json::to_value(keys).unwrap_or_default()),
    )
}

/// `DELETE /ak/api/v3/permissions/keys/{key}`
pub(super) async fn delete_key(
    State(state): State<AppState>,
    Path(key): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(resp) = authorize(&state, &headers, Action::ApiKeys) {
        return resp;
    }
    match state.store.delete_api_key(&key) {
        Ok(true) => json_response(
            200,
            &Ordered::new().with("message", "ok").with("deleted", key),
        ),
        Ok(false) => not_found("no api key by this id exists"),
        Err(e) => Failure::store(e).into_response(),
    }
}

fn not_found(msg: &str) -> Response {
    json_response(
        404,
        &Ordered::new()
            .with("statusCode", 404)
            .with("msg", msg)
            .with("reason", "missing"),
    )
}

/// The IAM-style form body `apikey=<key>:<secret>` stands in for a missing header.
fn headers_with_form_key(headers: &HeaderMap, body: &Value) -> HeaderMap {
    let mut headers = headers.clone();
    if headers.contains_key(header::AUTHORIZATION) {
        return headers;
    }
    if let Some(apikey) = body.get("apikey").and_then(Value::as_str) {
        let basic = format!("Basic {}", STANDARD.encode(apikey));
        if let Ok(v) = HeaderValue::from_str(&basic) {
            headers.insert(header::AUTHORIZATION, v);
        }
    }
    headers
}

/// `POST /ak/api/v3/identity/token`
pub(super) async fn create_token(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    headers: HeaderMap,
) -> Response {
    let body = body_value(&ctx);
    let headers = headers_with_form_key(&headers, &body);
    let principal = match authorize(&state, &headers, Action::View) {
        Ok(p) => p,
        Err(resp) => return resp,
    };
    let msgs = validate(&body, &schemas::create_access_token(), false);
    if !msgs.is_empty() {
        return bad_request_msgs(msgs);
    }
    let asked = body
        .get("roles")
        .and_then(Value::as_array)
        .filter(|r| !r.is_empty());
    let roles = match asked {
        Some(list) => valid_roles(Some(&Value::Array(list.clone()))),
        None => Some(principal.roles.clone()),
    };
    let roles = match roles {
        None => return role_error(invalid_roles_msg("")),
        Some(r) if r.is_empty() => return role_error("must have at least 1 role for key.".into()),
        Some(r) => r,
    };
    if roles.iter().any(|r| !principal.roles.contains(r)) {
        return role_error(
            "invalid roles, cannot set a role that the creating user does not have.".into(),
        );
    }
    let secs = match body.get("expiration_secs") {
        Some(Value::Number(n)) => n.as_f64().unwrap_or(3600.0),
        Some(Value::String(s)) => s.trim().parse().unwrap_or(3600.0),
        _ => 3600.0,
    };
    if !(0.0..=MAX_EXPIRATION_SECS).contains(&secs) {
        return role_error(format!(
            "invalid expiration. must be between 0 and {MAX_EXPIRATION_SECS} seconds."
        ));
    }
    let created_by = principal.name.to_lowercase();
    match issue_token(&state.store, &created_by, &roles, secs as u64) {
        Ok((token, rec)) => json_response(
            200,
            &Ordered::new()
                .with("access_token", token)
                .with("refresh_token", "not_supported")
                .with("token_type", "Bearer")
                .with("expires_in", rec.expires_in)
                .with("expiration", rec.expiration)
                .with("scope", "foc bearer")
                .with("roles", rec.roles)
                .with("message", "ok"),
        ),
        Err(e) => Failure::store(e).into_response(),
    }
}

/// `GET /ak/api/v3/identity/token/{token}`
pub(super) async fn token_details(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(resp) = authorize(&state, &headers, Action::View) {
        return resp;
    }
    match state.store.token(&token) {
        Ok(Some(rec)) => json_response(
            200,
            &Ordered::new()
                .with("access_token", token)
                .with("roles", rec.roles)
                .with("creation", rec.timestamp)
                .with("expiration", rec.expiration)
                .with(
                    "time_left",
                    friendly_ms(rec.expiration as f64 - now_ms() as f64),
                )
                .with("created_by", rec.created_by),
        ),
        Ok(None) => not_found("no access token by this id exists"),
        Err(e) => Failure::store(e).into_response(),
    }
}

/// `DELETE /ak/api/v3/identity/token/{token}`
pub(super) async fn delete_token(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(resp) = authorize(&state, &headers, Action::ApiKeys) {
        return resp;
    }
    match state.store.delete_token(&token) {
        Ok(true) => json_response(200, &json!({"message": "ok", "deleted": token})),
        Ok(false) => not_found("no access token by this id exists"),
        Err(e) => Failure::store(e).into_response(),
    }
}
