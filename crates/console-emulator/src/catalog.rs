//! Component operations on a region's store, independent of HTTP: onboarding (import), a
//! scenario's own components, editing and deleting, with athena's rules (ids, duplicates, limits, raft cluster edits).

use serde_json::{json, Map, Value};

use crate::format::stale_response;
use crate::normalize::{input_to_doc, type_of, CA, ORDERER, PEER};
use crate::region::RegionState;
use crate::store::Doc;
use crate::util::{new_rev, now_ms, truthy, Ordered};

/// athena's `max_components` setting (CAs, peers and orderers count).
pub(crate) const MAX_COMPONENTS: usize = 75;

/// A failed operation: HTTP status and JSON body.
#[derive(Debug)]
pub(crate) struct Failure {
    pub status: u16,
    pub body: Value,
}

impl Failure {
    fn new(status: u16, body: Value) -> Failure {
        Failure { status, body }
    }

    pub(crate) fn store(err: anyhow::Error) -> Failure {
        tracing::error!("store error: {err:#}");
        Failure::new(
            500,
            json!({"statusCode": 500, "msg": "unable to reach the component database"}),
        )
    }
}

/// `{"msg":"no components by this id exist","reason":"missing","statusCode":404}`.
pub(crate) fn missing_id() -> Failure {
    Failure::new(
        404,
        json!({"msg": "no components by this id exist", "reason": "missing", "statusCode": 404}),
    )
}

fn runnable(doc: &Doc) -> bool {
    matches!(type_of(doc), Some(CA | PEER | ORDERER))
}

/// Imports one component (athena's `onboard_component`); no validation happens here. Every
/// import is marked `"imported": true`, whatever the body said.
pub(crate) fn onboard(state: &RegionState, body: &Value) -> Result<Doc, Failure> {
    create(state, body, true)
}

/// Stores a component the console deployed itself (a scenario's own CA, MSP or node): the
/// same document as an import but without the `imported` mark, which only the import routes
/// set (every import in the recordings carries it).
pub(crate) fn create_own(state: &RegionState, body: &Value) -> Result<Doc, Failure> {
    create(state, body, false)
}

fn create(state: &RegionState, body: &Value, imported: bool) -> Result<Doc, Failure> {
    let mut input = body.clone();
    if let Some(obj) = input.as_object_mut() {
        if imported {
            obj.insert("imported".into(), Value::Bool(true));
        } else {
            obj.remove("imported");
        }
    }
    let explicit_id = input
        .get("id")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    let runnable_count = state
        .store
        .components()
        .map_err(Failure::store)?
        .iter()
        .filter(|d| runnable(d))
        .count();

    let created = state
        .store
        .create_component(|taken| {
            if runnable_count > MAX_COMPONENTS {
                return Err(Failure::new(
                    500,
                    json!({"statusCode": 500, "msg": ["total component limit reached. delete a component to make space for this one."]}),
                ));
            }
            let Some(doc) = input_to_doc(&input, Some(taken), now_ms()) else {
                return Err(invalid_type("undefined"));
            };
            if doc.get("type").is_none_or(Value::is_null) {
                return Err(invalid_type("null"));
            }
            if let Some(id) = &explicit_id {
                if taken.contains(id) {
                    return Err(Failure::new(
                        409,
                        json!({"statusCode": 409, "msg": "unable to onboard component b/c of id conflict. use a different component id."}),
                    ));
                }
            }
            Ok(doc)
        })
        .map_err(Failure::store)??;
    if let Some(id) = created.get("_id").and_then(Value::as_str) {
        state.forget_stale(id);
    }
    Ok(created)
}

fn invalid_type(shown: &str) -> Failure {
    Failure::new(
        500,
        json!({"statusCode": 500, "msg": [format!("invalid component type or missing component data in body. type: {shown}")]}),
    )
}

/// Applies an (already validated) edit body to the stored document (athena's
/// `edit_component`) and returns the written document.
pub(crate) fn edit(state: &RegionState, id: &str, body: &Value) -> Result<Doc, Failure> {
    let mut doc = state
        .store
        .component(id)
        .map_err(Failure::store)?
        .ok_or_else(missing_id)?;
    let mut changes: Map<String, Value> = body.as_object().cloned().unwrap_or_default();

    let name = ["name", "display_name", "short_name"]
        .iter()
        .find_map(|k| changes.get(*k).filter(|v| truthy(v)).cloned());
    if let Some(name) = name {
        changes.insert("display_name".into(), name);
    }
    for key in [
        "display_name",
        "version",
        "storage",
        "resources",
        "state_db",
        "tags",
        "region",
        "zone",
        "arch",
        "replicas",
        "resource_warnings",
        "config_override",
        "tls_cert",
        "ca_root_certs",
        "tls_ca_root_certs",
        "ecert",
        "admin_certs",
        "tlsca_name",
        "ca_name",
    ] {
        if matches!(changes.get(key), Some(Value::Null)) || changes.get(key) == Some(&json!("")) {
            changes.remove(key);
        }
    }
    for key in [
        "type",
        "cluster_id",
        "_id",
        "_rev",
        "id",
        "timestamp",
        "edited_timestamp",
    ] {
        changes.remove(key);
    }
    for (k, v) in changes {
        doc.insert(k, v);
    }
    let rev = doc.get("_rev").cloned();
    let mut fmt = input_to_doc(&Value::Object(doc), None, now_ms()).ok_or_else(missing_id)?;
    fmt.insert("_id".into(), Value::String(id.to_string()));
    if let Some(rev) = rev {
        fmt.insert("_rev".into(), rev);
    }
    fmt.insert("edited_timestamp".into(), Value::from(now_ms()));
    let written = state.store.update_component(fmt).map_err(Failure::store)?;
    state.forget_stale(id);
    edit_cluster_siblings(state, &written)?;
    Ok(written)
}

/// Cluster-wide orderer fields are copied to every node with the same `cluster_id`.
fn edit_cluster_siblings(state: &RegionState, edited: &Doc) -> Result<(), Failure> {
    const SHARED: [&str; 3] = ["cluster_name", "system_channel_id", "system_channel_data"];
    let Some(cluster) = edited.get("cluster_id").filter(|v| truthy(v)) else {
        return Ok(());
    };
    if !SHARED.iter().any(|k| edited.get(*k).is_some_and(truthy)) {
        return Ok(());
    }
    let docs = state.store.components().map_err(Failure::store)?;
    for mut sibling in docs {
        if sibling.get("cluster_id") != Some(cluster) || sibling.get("_id") == edited.get("_id") {
            continue;
        }
        let mut changed = false;
        for key in SHARED {
            let value = edited.get(key).cloned().unwrap_or(Value::Null);
            if sibling.get(key).cloned().unwrap_or(Value::Null) != value {
                sibling.insert(key.to_string(), value);
                changed = true;
            }
        }
        if changed {
            state
                .store
                .update_component(sibling)
                .map_err(Failure::store)?;
        }
    }
    Ok(())
}

/// Deletes a component; a plain GET keeps answering from the stale cache for a while.
pub(crate) fn delete(state: &RegionState, id: &str) -> Result<Doc, Failure> {
    let doc = state
        .store
        .delete_component(id)
        .map_err(Failure::store)?
        .ok_or_else(missing_id)?;
    let generation = doc
        .get("_rev")
        .and_then(Value::as_str)
        .and_then(|r| r.split('-').next())
        .and_then(|g| g.parse::<u64>().ok())
        .unwrap_or(1);
    state.remember_stale(id, stale_response(&doc, &new_rev(generation + 1)));
    Ok(doc)
}

/// The body of "nothing found" answers for tag/type lookups.
pub(crate) fn none_found(status_code: Option<u16>, what: &str, store_empty: bool) -> Ordered {
    let msg = if store_empty {
        "no components exist".to_string()
    } else {
        format!("no components by {what} exist")
    };
    let mut body = Ordered::new();
    if let Some(code) = status_code {
        body.push("statusCode", code);
    }
    body.with("msg", msg)
        .with("reason", "missing")
        .with("components", Vec::<Value>::new())
}
