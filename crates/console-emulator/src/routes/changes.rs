//! Changing components: imports (typed, generic, bulk), edits and deletes.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde_json::{json, Value};

use super::components::has_tag;
use super::{query_map, AppState};
use crate::auth::{authorize, Action};
use crate::bodyparse::Body;
use crate::catalog::{self, none_found, Failure};
use crate::format::{component_response, delete_response, View};
use crate::normalize::{fmt_type, type_of, CA, MSP, MSP_EXTERNAL, ORDERER, PEER};
use crate::pipeline::Ctx;
use crate::schemas::{edit_schema, import_schema};
use crate::util::{json_response, now_ms, Ordered};
use crate::validate::{message, validate};

fn view_of(uri: &Uri) -> View {
    let q = query_map(uri);
    View {
        deployment_attrs: q.get("deployment_attrs").is_some_and(|v| v == "included"),
        parsed_certs: q.get("parsed_certs").is_some_and(|v| v == "included"),
    }
}

fn validation_failed(msgs: Vec<String>) -> Response {
    json_response(
        400,
        &Ordered::new().with("statusCode", 400).with("msgs", msgs),
    )
}

fn missing_type() -> Response {
    validation_failed(vec![message("missing_type", &[])])
}

/// Validation unless the body sets the console's `_ignore_validation_errors` escape hatch.
fn check(
    body: &Value,
    schema: Option<crate::validate::Schema>,
    editing: bool,
) -> Result<(), Response> {
    let Some(schema) = schema else { return Ok(()) };
    let msgs = validate(body, &schema, editing);
    let ignored = body.get("_ignore_validation_errors") == Some(&Value::Bool(true));
    if msgs.is_empty() || ignored {
        Ok(())
    } else {
        Err(validation_failed(msgs))
    }
}

/// `POST /ak/api/v3/components` (type from the body).
pub(crate) async fn import_generic(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    import(&state, None, ctx, &headers, &uri).await
}

/// `POST /ak/api/v3/components/{fabric-ca|fabric-peer|fabric-orderer|msp|msp-external}`
pub(crate) async fn import_typed(
    State(state): State<AppState>,
    Path(kind): Path<String>,
    Extension(ctx): Extension<Ctx>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let route_type = match kind.to_ascii_lowercase().as_str() {
        CA => CA,
        PEER => PEER,
        ORDERER => ORDERER,
        MSP => MSP,
        MSP_EXTERNAL => MSP_EXTERNAL,
        _ => return crate::util::route_not_found(),
    };
    import(&state, Some(route_type), ctx, &headers, &uri).await
}

async fn import(
    state: &AppState,
    route_type: Option<&'static str>,
    ctx: Ctx,
    headers: &HeaderMap,
    uri: &Uri,
) -> Response {
    if let Err(resp) = authorize(state, headers, Action::Import) {
        return resp;
    }
    // a text body is a string in Express: setting `type` on it does nothing
    let Body::Json(mut body) = ctx.body else {
        return missing_type();
    };
    let body_type = body.as_object().and_then(type_of);
    let Some(kind) = route_type.or(body_type) else {
        return missing_type();
    };
    if let Some(obj) = body.as_object_mut() {
        obj.insert("type".into(), Value::String(kind.into()));
    }
    if let Err(resp) = check(&body, import_schema(kind), false) {
        return resp;
    }
    match catalog::onboard(state, &body) {
        Ok(doc) => json_response(200, &component_response(&doc, view_of(uri), now_ms())),
        Err(f) => f.into_response(),
    }
}

/// `POST /ak/api/v3/components/bulk`: no validation, one import at a time.
pub(crate) async fn bulk(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    if let Err(resp) = authorize(&state, &headers, Action::Import) {
        return resp;
    }
    let items: Vec<Value> = match ctx.body {
        Body::Json(Value::Array(items)) => items,
        Body::Json(Value::Object(map)) => map.into_iter().map(|(_, v)| v).collect(),
        _ => Vec::new(),
    };
    let view = view_of(&uri);
    let mut errors = Vec::new();
    let mut successes = Vec::new();
    for item in &items {
        match catalog::onboard(&state, item) {
            Ok(doc) => successes.push(component_response(&doc, view, now_ms())),
            Err(f) => errors.push(f.body),
        }
    }
    let status = if errors.is_empty() { 200 } else { 207 };
    json_response(status, &json!({ "errors": errors, "successes": successes }))
}

/// `PUT /ak/api/v3/components/{id}`
pub(crate) async fn edit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Extension(ctx): Extension<Ctx>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    apply_edit(&state, &id, ctx, &headers, &uri).await
}

/// `PUT /ak/api/v3/components/{type}/{id}` (the type in the path is not used, as in athena).
pub(crate) async fn edit_typed(
    State(state): State<AppState>,
    Path((kind, id)): Path<(String, String)>,
    Extension(ctx): Extension<Ctx>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let known =
        fmt_type(Some(&Value::String(kind.clone()))).is_some_and(|t| t.eq_ignore_ascii_case(&kind));
    if !known {
        return crate::util::route_not_found();
    }
    apply_edit(&state, &id, ctx, &headers, &uri).await
}

async fn apply_edit(
    state: &AppState,
    id: &str,
    ctx: Ctx,
    headers: &HeaderMap,
    uri: &Uri,
) -> Response {
    if let Err(resp) = authorize(state, headers, Action::Import) {
        return resp;
    }
    let stored = match state.store.component(id) {
        Ok(Some(doc)) => doc,
        Ok(None) => return catalog::missing_id().into_response(),
        Err(e) => return Failure::store(e).into_response(),
    };
    let body = match ctx.body {
        Body::Json(v) => v,
        Body::Text(t) => Value::String(t),
    };
    if let Err(resp) = check(&body, type_of(&stored).and_then(edit_schema), true) {
        return resp;
    }
    match catalog::edit(state, id, &body) {
        Ok(doc) => {
            // an edit answers with the deployment fields included, plus `message: ok`
            let view = View {
                deployment_attrs: true,
                parsed_certs: view_of(uri).parsed_certs,
            };
            let mut answer = component_response(&doc, view, now_ms());
            if let Some(obj) = answer.as_object_mut() {
                obj.insert("message".into(), Value::String("ok".into()));
            }
            json_response(200, &answer)
        }
        Err(f) => f.into_response(),
    }
}

/// `DELETE /ak/api/v3/components/{id}`
pub(crate) async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(resp) = authorize(&state, &headers, Action::Remove) {
        return resp;
    }
    match catalog::delete(&state, &id) {
        Ok(doc) => json_response(200, &delete_response(&doc)),
        Err(f) => f.into_response(),
    }
}

/// `DELETE /ak/api/v3/components/tags/{tag}`: no match is a 404 here (a GET would say 222).
pub(crate) async fn delete_by_tag(
    State(state): State<AppState>,
    Path(tag): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(resp) = authorize(&state, &headers, Action::Delete) {
        return resp;
    }
    let tag = tag.to_lowercase();
    let docs = match state.store.components() {
        Ok(d) => d,
        Err(e) => return Failure::store(e).into_response(),
    };
    let store_empty = docs.is_empty();
    let matching: Vec<_> = docs.into_iter().filter(|d| has_tag(d, &tag)).collect();
    if matching.is_empty() {
        return json_response(404, &none_found(Some(404), "tag", store_empty));
    }
    let mut removed = Vec::new();
    let mut failed = false;
    for doc in &matching {
        let id = doc.get("_id").and_then(Value::as_str).unwrap_or_default();
        match catalog::delete(&state, id) {
            Ok(deleted) => {
                removed.push(serde_json::to_value(delete_response(&deleted)).unwrap_or_default())
            }
            Err(f) => {
                failed = true;
                removed.push(json!({
                    "statusCode": f.status,
                    "message": f.body.get("msg").cloned().unwrap_or(Value::Null),
                    "id": id,
                    "tx_id": crate::util::random_lower(6),
                    "type": type_of(doc).unwrap_or("???"),
                }));
            }
        }
    }
    json_response(
        if failed { 207 } else { 200 },
        &json!({ "removed": removed }),
    )
}
