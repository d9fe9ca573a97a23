//! Reading components: list, one by id, by type, by tag, and the public MSP lookup.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::time::Duration;

use super::{query_map, AppState};
use crate::auth::{authorize, Action};
use crate::catalog::{missing_id, none_found, Failure};
use crate::certs::first_der;
use crate::format::{component_response, sort_components, View};
use crate::normalize::{type_of, CA, MSP, MSP_EXTERNAL, ORDERER, PEER};
use crate::region::RegionState;
use crate::schemas::QUERY_ENUMS;
use crate::store::Doc;
use crate::util::{json_response, now_ms, Ordered};
use crate::validate::message;

/// Parsed query flags of the read routes.
struct ReadQuery {
    view: View,
    skip_cache: bool,
    ca_attrs: bool,
}

/// Validates the query like the console (`invalid_value`, `unsupported_query`).
fn read_query(uri: &Uri, ca_attrs_allowed: bool) -> Result<ReadQuery, Response> {
    let q = query_map(uri);
    let mut msgs = Vec::new();
    for (name, allowed) in QUERY_ENUMS {
        if name == "ca_attrs" && !ca_attrs_allowed {
            continue;
        }
        if let Some(value) = q.get(name) {
            if !allowed.contains(&value.as_str()) {
                let values = allowed.iter().map(|v| format!("'{v}'")).collect::<Vec<_>>();
                msgs.push(message(
                    "invalid_value",
                    &[
                        ("$PROPERTY_NAME", name.to_string()),
                        ("$VALUES", values.join(", ")),
                    ],
                ));
            }
        }
    }
    if !ca_attrs_allowed && q.contains_key("ca_attrs") {
        msgs.push(message(
            "unsupported_query",
            &[("$PROPERTY_NAME", "ca_attrs".into())],
        ));
    }
    if !msgs.is_empty() {
        return Err(json_response(
            400,
            &Ordered::new().with("statusCode", 400).with("msgs", msgs),
        ));
    }
    let is = |k: &str, v: &str| q.get(k).is_some_and(|x| x == v);
    Ok(ReadQuery {
        view: View {
            deployment_attrs: is("deployment_attrs", "included"),
            parsed_certs: is("parsed_certs", "included"),
        },
        skip_cache: is("cache", "skip") || is("skip_cache", "yes"),
        ca_attrs: is("ca_attrs", "included"),
    })
}

fn all_docs(state: &RegionState) -> Result<Vec<Doc>, Response> {
    state
        .store
        .components()
        .map_err(|e| Failure::store(e).into_response())
}

fn respond_list(docs: &[Doc], view: View) -> Vec<Value> {
    let now = now_ms();
    let mut list: Vec<Value> = docs
        .iter()
        .map(|d| component_response(d, view, now))
        .collect();
    sort_components(&mut list);
    list
}

/// `GET /ak/api/v3/components`
pub(super) async fn list(State(state): State<AppState>, headers: HeaderMap, uri: Uri) -> Response {
    if let Err(resp) = authorize(&state, &headers, Action::View) {
        return resp;
    }
    let q = match read_query(&uri, true) {
        Ok(q) => q,
        Err(resp) => return resp,
    };
    let docs = match all_docs(&state) {
        Ok(d) => d,
        Err(resp) => return resp,
    };
    let mut list = respond_list(&docs, q.view);
    if q.ca_attrs {
        add_ca_attrs(&state, &docs, &mut list).await;
    }
    json_response(200, &json!({ "components": list }))
}

/// `GET /ak/api/v3/components/{id}`
pub(super) async fn get_one(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    if let Err(resp) = authorize(&state, &headers, Action::View) {
        return resp;
    }
    let q = match read_query(&uri, true) {
        Ok(q) => q,
        Err(resp) => return resp,
    };
    if q.skip_cache {
        state.cache_misses.fetch_add(1, Ordering::Relaxed);
    } else {
        state.cache_hits.fetch_add(1, Ordering::Relaxed);
        if let Some(stale) = state.stale_answer(&id) {
            return json_response(200, &stale);
        }
    }
    let doc = match state.store.component(&id) {
        Ok(Some(doc)) => doc,
        Ok(None) => return missing_id().into_response(),
        Err(e) => return Failure::store(e).into_response(),
    };
    let mut answer = vec![component_response(&doc, q.view, now_ms())];
    if q.ca_attrs {
        match all_docs(&state) {
            Ok(docs) => add_ca_attrs(&state, &docs, &mut answer).await,
            Err(resp) => return resp,
        }
    }
    json_response(200, &answer[0])
}

/// `GET /ak/api/v3/components/types/{type}`. athena answers these from a view cached for
/// two minutes that imports and deletes do not refresh; `cache=skip` reads the store.
pub(super) async fn by_type(
    State(state): State<AppState>,
    Path(kind): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    if let Err(resp) = authorize(&state, &headers, Action::View) {
        return resp;
    }
    if ![CA, PEER, ORDERER, MSP].contains(&kind.as_str()) {
        return crate::util::route_not_found();
    }
    let q = match read_query(&uri, false) {
        Ok(q) => q,
        Err(resp) => return resp,
    };
    let cached = if q.skip_cache {
        None
    } else {
        state.cached_type_view(&kind)
    };
    let (matching, store_empty) = match cached {
        Some(view) => view,
        None => {
            let docs = match all_docs(&state) {
                Ok(d) => d,
                Err(resp) => return resp,
            };
            let store_empty = docs.is_empty();
            let matching: Vec<Doc> = docs
                .into_iter()
                .filter(|d| type_of(d) == Some(kind.as_str()))
                .collect();
            state.cache_type_view(&kind, matching.clone(), store_empty);
            (matching, store_empty)
        }
    };
    listing(matching, store_empty, "type", q.view)
}

/// `GET /ak/api/v3/components/tags/{tag}`
pub(super) async fn by_tag(
    State(state): State<AppState>,
    Path(tag): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    if let Err(resp) = authorize(&state, &headers, Action::View) {
        return resp;
    }
    let tag = tag.to_lowercase();
    filtered(&state, &uri, "tag", |d| has_tag(d, &tag))
}

pub(crate) fn has_tag(doc: &Doc, tag: &str) -> bool {
    doc.get("tags")
        .and_then(Value::as_array)
        .is_some_and(|tags| tags.iter().any(|t| t.as_str() == Some(tag)))
}

/// A tag listing.
fn filtered(state: &RegionState, uri: &Uri, what: &str, keep: impl Fn(&Doc) -> bool) -> Response {
    let q = match read_query(uri, false) {
        Ok(q) => q,
        Err(resp) => return resp,
    };
    let docs = match all_docs(state) {
        Ok(d) => d,
        Err(resp) => return resp,
    };
    let store_empty = docs.is_empty();
    let matching: Vec<Doc> = docs.into_iter().filter(|d| keep(d)).collect();
    listing(matching, store_empty, what, q.view)
}

/// A type or tag listing; no match is the console's non-standard 222.
fn listing(matching: Vec<Doc>, store_empty: bool, what: &str, view: View) -> Response {
    if matching.is_empty() {
        return json_response(222, &none_found(None, what, store_empty));
    }
    json_response(200, &json!({ "components": respond_list(&matching, view) }))
}

/// `GET /ak/api/v3/components/msps/{msp_id}` (no auth: other consoles call it).
pub(super) async fn msps(State(state): State<AppState>, Path(msp_id): Path<String>) -> Response {
    let docs = match all_docs(&state) {
        Ok(d) => d,
        Err(resp) => return resp,
    };
    let found: Vec<Ordered> = docs
        .iter()
        .filter(|d| matches!(type_of(d), Some(MSP | MSP_EXTERNAL)))
        .filter(|d| d.get("msp_id").and_then(Value::as_str) == Some(msp_id.as_str()))
        .map(|d| {
            let mut entry = Ordered::new();
            for key in [
                "msp_id",
                "root_certs",
                "admins",
                "tls_root_certs",
                "intermediate_certs",
            ] {
                if let Some(v) = d.get(key) {
                    entry.push(key, v.clone());
                }
            }
            entry
        })
        .collect();
    if found.is_empty() {
        return json_response(
            400,
            &Ordered::new()
                .with("statusCode", 400)
                .with("msg", format!("MSP {msp_id} not found")),
        );
    }
    json_response(
        200,
        &Ordered::new().with("msps", serde_json::to_value(found).unwrap_or_default()),
    )
}

/// `ca_attrs=included`: live `/cainfo` data for CAs, and which CA issued each MSP.
async fn add_ca_attrs(state: &RegionState, docs: &[Doc], list: &mut [Value]) {
    let mut infos: HashMap<String, Map<String, Value>> = HashMap::new();
    for doc in docs.iter().filter(|d| type_of(d) == Some(CA)) {
        let (Some(id), Some(url), Some(name)) = (
            doc.get("_id").and_then(Value::as_str),
            doc.get("api_url").and_then(Value::as_str),
            doc.get("ca_name").and_then(Value::as_str),
        ) else {
            continue;
        };
        let probe = state
            .prober
            .probe(
                &format!("{url}/cainfo?ca={name}"),
                Duration::from_secs(2),
                true,
            )
            .await;
        if let Some(result) = probe.body.get("result").and_then(Value::as_object) {
            infos.insert(id.to_string(), result.clone());
        }
    }
    let first_subject = |b64: &Value| b64.as_str().and_then(first_der);
    let mut issued: HashMap<String, Vec<Value>> = HashMap::new();
    let mut issuer_of: HashMap<String, String> = HashMap::new();
    for msp in docs.iter().filter(|d| type_of(d) == Some(MSP)) {
        let root = msp
            .get("root_certs")
            .and_then(|r| r.get(0))
            .and_then(first_subject);
        for (ca_id, info) in &infos {
            let chain = info.get("CAChain").and_then(first_subject);
            if root.is_some() && root == chain {
                let msp_id = msp.get("_id").cloned().unwrap_or(Value::Null);
                issued.entry(ca_id.clone()).or_default().push(json!({
                    "id": msp_id,
                    "display_name": msp.get("display_name"),
                    "msp_id": msp.get("msp_id"),
                }));
                if let Some(m) = msp_id.as_str() {
                    issuer_of.insert(m.to_string(), ca_id.clone());
                }
            }
        }
    }
    for item in list.iter_mut() {
        let Some(obj) = item.as_object_mut() else {
            continue;
        };
        let id = obj
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        match obj.get("type").and_then(Value::as_str) {
            Some(CA) => {
                if let Some(info) = infos.get(&id) {
                    obj.insert(
                        "ca_name".into(),
                        info.get("CAName").cloned().unwrap_or(Value::Null),
                    );
                    obj.insert(
                        "root_cert".into(),
                        info.get("CAChain").cloned().unwrap_or(Value::Null),
                    );
                    obj.insert(
                        "fabric_version".into(),
                        info.get("Version").cloned().unwrap_or(Value::Null),
                    );
                    obj.insert(
                        "issuer_public_key".into(),
                        info.get("IssuerPublicKey").cloned().unwrap_or(Value::Null),
                    );
                    obj.insert(
                        "issued_known_msps".into(),
                        Value::Array(issued.get(&id).cloned().unwrap_or_default()),
                    );
                }
            }
            Some(MSP) => {
                let ca = issuer_of
                    .get(&id)
                    .cloned()
                    .unwrap_or_else(|| "unknown".into());
                obj.insert("issued_by_ca_id".into(), Value::String(ca));
            }
            _ => {}
        }
    }
}
