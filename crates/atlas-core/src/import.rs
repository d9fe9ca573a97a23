//! Duplicate-safe import into a console.
//!
//! The console itself accepts the same component twice and makes a second copy (`org1peer1`,
//! `org1msp_0`), so the plan is computed here, against what the target console already holds:
//! a CA, peer or orderer with the same API URL, or an MSP with the same MSP id and root certs, is
//! *already there* and skipped; a component of the same type and name that is not the same thing is
//! a *conflict*, shown and never imported; everything else is created, then read back to verify.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use crate::audit::{AuditEntry, AuditLog};
use crate::client::{ConsoleClient, ConsoleError, FailureKind};
use crate::error::AppError;

/// One component to import: the console route and the v3 import body.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportItem {
    /// Where it came from (a file name, a ZIP entry, a region), for reports and the audit log.
    pub source: String,
    /// `fabric-ca`, `fabric-peer`, `fabric-orderer` or `msp`.
    pub route: String,
    pub body: Value,
}

/// What importing an item would do on the target console.
#[derive(Debug, Clone, PartialEq)]
pub enum Planned {
    Create,
    /// The same component is there already, under this id.
    AlreadyThere {
        id: String,
    },
    /// A different component of the same type and name exists: shown side by side, not imported.
    Conflict {
        id: String,
        existing: Value,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlannedItem {
    pub item: ImportItem,
    pub planned: Planned,
}

/// The outcome of one item, for reports (UI, CLI, audit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum ItemOutcome {
    Created {
        id: String,
    },
    AlreadyThere {
        id: String,
    },
    /// Shown side by side: what the console holds and what would have been imported.
    Conflict {
        id: String,
        existing: String,
        incoming: String,
    },
    /// `--dry-run`: would be created.
    WouldCreate,
    Failed {
        reason: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ItemReport {
    pub source: String,
    pub display_name: String,
    pub kind: String,
    #[serde(flatten)]
    pub outcome: ItemOutcome,
}

/// Plans `items` against the components `existing` on the target (and against earlier items of the
/// same batch, so a batch never creates a duplicate of itself).
pub fn plan(items: Vec<ImportItem>, existing: &[Value]) -> Vec<PlannedItem> {
    let mut seen: Vec<(String, Value)> = existing
        .iter()
        .filter_map(|c| Some((c.get("type")?.as_str()?.to_owned(), c.clone())))
        .collect();
    let mut planned = Vec::with_capacity(items.len());
    for item in items {
        let same = seen
            .iter()
            .find(|(kind, c)| *kind == item.route && same_component(&item.route, c, &item.body));
        let outcome = match same {
            Some((_, c)) => Planned::AlreadyThere {
                id: str_field(c, "id").unwrap_or("(this batch)").to_owned(),
            },
            None => match seen
                .iter()
                .find(|(kind, c)| *kind == item.route && same_name(c, &item.body))
            {
                Some((_, c)) => Planned::Conflict {
                    id: str_field(c, "id").unwrap_or("(this batch)").to_owned(),
                    existing: c.clone(),
                },
                None => Planned::Create,
            },
        };
        if outcome == Planned::Create {
            seen.push((item.route.clone(), item.body.clone()));
        }
        planned.push(PlannedItem {
            item,
            planned: outcome,
        });
    }
    planned
}

/// Carries out a plan. Items fail one by one; a failure never stops the others (except a refused
/// credential, see below). With `dry_run` nothing is sent.
pub async fn apply(
    client: &ConsoleClient,
    plan: Vec<PlannedItem>,
    dry_run: bool,
) -> Vec<ItemReport> {
    let options = ApplyOptions {
        dry_run,
        cancel: None,
    };
    apply_with(client, plan, &options, |_| {}).await
}

/// How [`apply_with`] runs.
#[derive(Default)]
pub struct ApplyOptions<'a> {
    pub dry_run: bool,
    /// Checked before each item: once set, the remaining items are reported as cancelled.
    pub cancel: Option<&'a AtomicBool>,
}

/// [`apply`] with cancellation and a callback after each item (for progress).
pub async fn apply_with(
    client: &ConsoleClient,
    plan: Vec<PlannedItem>,
    options: &ApplyOptions<'_>,
    mut on_item: impl FnMut(&ItemReport),
) -> Vec<ItemReport> {
    let mut reports = Vec::with_capacity(plan.len());
    // After a 401/402 nothing more is sent to this console: every refused request counts
    // towards (or extends) its lockout.
    let mut refused: Option<String> = None;
    for PlannedItem { item, planned } in plan {
        let cancelled = options.cancel.is_some_and(|c| c.load(Ordering::SeqCst));
        let outcome = match planned {
            Planned::Create if cancelled => ItemOutcome::Failed {
                reason: "not attempted: cancelled".into(),
            },
            Planned::Create if refused.is_some() => ItemOutcome::Failed {
                reason: format!("not attempted: {}", refused.as_deref().unwrap_or_default()),
            },
            Planned::AlreadyThere { id } => ItemOutcome::AlreadyThere { id },
            Planned::Conflict { id, existing } => ItemOutcome::Conflict {
                id,
                existing: side_by_side(&existing),
                incoming: side_by_side(&item.body),
            },
            Planned::Create if options.dry_run => ItemOutcome::WouldCreate,
            Planned::Create => match create(client, &item).await {
                Ok(outcome) => outcome,
                Err(e) => {
                    if matches!(e.kind(), FailureKind::Unauthorized | FailureKind::LockedOut) {
                        refused = Some(e.to_string());
                    }
                    ItemOutcome::Failed {
                        reason: e.to_string(),
                    }
                }
            },
        };
        let report = ItemReport {
            source: item.source.clone(),
            display_name: display_name(&item.body),
            kind: item.route.clone(),
            outcome,
        };
        on_item(&report);
        reports.push(report);
    }
    reports
}

/// Appends one audit entry per item that changed (or tried to change) the target console.
pub fn audit_reports(
    audit: &AuditLog,
    operation: &str,
    target: &str,
    reports: &[ItemReport],
) -> Result<(), AppError> {
    for report in reports {
        let outcome = match &report.outcome {
            ItemOutcome::Created { id } => format!("created {id}"),
            ItemOutcome::AlreadyThere { id } => format!("already there as {id}; skipped"),
            ItemOutcome::Conflict { id, .. } => format!("conflict with {id}; not imported"),
            ItemOutcome::WouldCreate => continue,
            ItemOutcome::Failed { reason } => format!("failed: {reason}"),
        };
        audit.append(&AuditEntry::now(
            operation,
            format!("{} {}", report.kind, report.display_name),
            &report.source,
            target,
            outcome,
        ))?;
    }
    Ok(())
}

/// Imports one item and reads it back. A console error is returned as such (the caller decides
/// whether the console may be asked again); a bad answer is a failed outcome.
async fn create(client: &ConsoleClient, item: &ImportItem) -> Result<ItemOutcome, ConsoleError> {
    let created = client.import_component(&item.route, &item.body).await?;
    let Some(id) = str_field(&created, "id").map(str::to_owned) else {
        return Ok(ItemOutcome::Failed {
            reason: "the console answered without an id".into(),
        });
    };
    // Read it back from the store (not the cache) to be sure it is really there.
    Ok(match client.get_component(&id).await {
        Ok(stored) if same_component(&item.route, &stored, &item.body) => {
            ItemOutcome::Created { id }
        }
        Ok(_) => ItemOutcome::Failed {
            reason: format!("'{id}' was created but reads back different from what was sent"),
        },
        Err(e) => ItemOutcome::Failed {
            reason: format!("'{id}' was created but could not be read back: {e}"),
        },
    })
}

/// The identity rule: nodes by API URL, MSPs by MSP id and root certificates.
fn same_component(route: &str, a: &Value, b: &Value) -> bool {
    match route {
        "msp" => {
            str_field(a, "msp_id").is_some()
                && str_field(a, "msp_id") == str_field(b, "msp_id")
                && cert_set(a, "root_certs") == cert_set(b, "root_certs")
        }
        _ => match (str_field(a, "api_url"), str_field(b, "api_url")) {
            (Some(x), Some(y)) => normalize_url(x) == normalize_url(y),
            _ => false,
        },
    }
}

/// A component as pretty JSON with the console's bookkeeping left out, for comparing by eye.
fn side_by_side(component: &Value) -> String {
    let mut shown = component.clone();
    if let Some(map) = shown.as_object_mut() {
        for noise in [
            "timestamp",
            "edited_timestamp",
            "scheme_version",
            "imported",
            "tags",
            "id",
        ] {
            map.remove(noise);
        }
    }
    crate::artifacts::to_console_json(&shown)
}

fn same_name(a: &Value, b: &Value) -> bool {
    let name = |v: &Value| display_name(v).trim().to_lowercase();
    !name(b).is_empty() && name(a) == name(b)
}

pub fn display_name(v: &Value) -> String {
    str_field(v, "display_name")
        .or_else(|| str_field(v, "name"))
        .unwrap_or_default()
        .to_owned()
}

fn str_field<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key)?.as_str()
}

fn cert_set(v: &Value, key: &str) -> BTreeSet<String> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|certs| {
            certs
                .iter()
                .filter_map(Value::as_str)
                .map(|c| c.split_whitespace().collect::<String>())
                .collect()
        })
        .unwrap_or_default()
}

fn normalize_url(url: &str) -> String {
    url.trim().trim_end_matches('/').to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn peer(name: &str, url: &str) -> ImportItem {
        ImportItem {
            source: "test".into(),
            route: "fabric-peer".into(),
            body: json!({ "display_name": name, "api_url": url, "msp_id": "Org1MSP" }),
        }
    }

    #[test]
    fn same_url_is_already_there_same_name_is_a_conflict_else_create() {
        let existing = vec![
            json!({ "id": "org1peer1", "type": "fabric-peer", "display_name": "Org1 Peer1", "api_url": "grpcs://p1.org1:7051" }),
            json!({ "id": "org1msp", "type": "msp", "display_name": "Org1 MSP", "msp_id": "Org1MSP", "root_certs": ["QUJD"] }),
        ];
        let items = vec![
            peer("Renamed but same node", "GRPCS://p1.org1:7051/"),
            peer("org1 peer1", "grpcs://p9.org1:7051"),
            peer("Org1 Peer2", "grpcs://p2.org1:7051"),
            ImportItem {
                source: "test".into(),
                route: "msp".into(),
                body: json!({ "display_name": "Org1 MSP", "msp_id": "Org1MSP", "root_certs": ["Q UJD"] }),
            },
            ImportItem {
                source: "test".into(),
                route: "msp".into(),
                body: json!({ "display_name": "Org1 MSP", "msp_id": "Org1MSP", "root_certs": ["REVG"] }),
            },
        ];
        let planned: Vec<Planned> = plan(items, &existing)
            .into_iter()
            .map(|p| p.planned)
            .collect();
        assert_eq!(
            planned[0],
            Planned::AlreadyThere {
                id: "org1peer1".into()
            }
        );
        assert!(matches!(&planned[1], Planned::Conflict { id, .. } if id == "org1peer1"));
        assert_eq!(planned[2], Planned::Create);
        assert_eq!(
            planned[3],
            Planned::AlreadyThere {
                id: "org1msp".into()
            }
        );
        assert!(matches!(&planned[4], Planned::Conflict { id, .. } if id == "org1msp"));
    }

    #[test]
    fn a_batch_never_duplicates_itself() {
        let items = vec![
            peer("Org1 Peer2", "grpcs://p2.org1:7051"),
            peer("Org1 Peer2", "grpcs://p2.org1:7051"),
        ];
        let planned: Vec<Planned> = plan(items, &[]).into_iter().map(|p| p.planned).collect();
        assert_eq!(planned[0], Planned::Create);
        assert_eq!(
            planned[1],
            Planned::AlreadyThere {
                id: "(this batch)".into()
            }
        );
    }

    #[test]
    fn nodes_of_another_type_at_the_same_url_do_not_match() {
        let existing =
            vec![json!({ "id": "ca", "type": "fabric-ca", "api_url": "https://h:7054" })];
        let item = ImportItem {
            source: "test".into(),
            route: "fabric-peer".into(),
            body: json!({ "display_name": "P", "api_url": "https://h:7054" }),
        };
        assert_eq!(plan(vec![item], &existing)[0].planned, Planned::Create);
    }
}
