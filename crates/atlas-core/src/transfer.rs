//! Console-to-console transfer: what the HA guide makes an administrator do with downloads and
//! uploads across browser tabs, as one operation, at the floor of its dependency graph.
//!
//! Two round trips: every console involved is listed once, all at once ([`snapshot`]: the full
//! list carries every field an import body needs, and it is also the target's duplicate check);
//! then every import to every target is sent at once ([`deliver`]), paced only by the console's
//! request budget, and the console's answer is the verification. Targets fail independently; a
//! retry re-plans against a fresh list, so it never creates a duplicate.

use std::sync::atomic::AtomicBool;
use std::time::SystemTime;

use futures::future::join_all;
use serde::Serialize;
use ts_rs::TS;

use crate::artifacts::{self, import_requests, Artifact, TransformOptions};
use crate::audit::AuditLog;
use crate::client::{ConsoleClient, ConsoleError};
use crate::component::{url_key, Component};
use crate::error::{AppError, ErrorCode};
use crate::import::{
    self, ApplyOptions, AuditTrail, ImportItem, ItemReport, ItemSource, Planned, PlannedItem,
};

/// Progress of a transfer, streamed to the UI as it happens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase", tag = "event")]
pub enum TransferEvent {
    /// Another Fabric Atlas operation (this app's or any `atlas` run's) is working on a target's
    /// console: this one waits for it, then plans against what it left.
    Waiting {
        target: String,
    },
    /// The components were read from the source and transformed.
    Read {
        items: u32,
    },
    /// A target's plan is known: how many items it will create.
    Planned {
        target: String,
        to_create: u32,
    },
    /// One item on one target is done.
    Item {
        target: String,
        report: ItemReport,
    },
    /// A target could not be worked on at all (unreachable, refused, …).
    TargetFailed {
        target: String,
        reason: String,
    },
    TargetDone {
        target: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TargetReport {
    pub region_id: String,
    pub items: Vec<ItemReport>,
    /// Why the target as a whole failed (its items were then not attempted).
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TransferReport {
    pub source_region_id: String,
    pub dry_run: bool,
    pub targets: Vec<TargetReport>,
}

/// What one console held when an operation began: one fresh list (`cache=skip`).
pub struct Snapshot {
    pub region_id: String,
    pub client: ConsoleClient,
    pub components: Result<Vec<Component>, ConsoleError>,
}

/// Lists every console once, all at once.
pub async fn snapshot(consoles: Vec<(String, ConsoleClient)>) -> Vec<Snapshot> {
    join_all(consoles.into_iter().map(|(region_id, client)| async move {
        let components = client.list_components(true).await;
        Snapshot {
            region_id,
            client,
            components,
        }
    }))
    .await
}

/// Turns components read from a console into import items (identities never go to a console).
pub fn items_from(
    source_region_id: &str,
    components: &[&Component],
) -> Result<Vec<ImportItem>, AppError> {
    let mut items = Vec::new();
    for component in components {
        let label = format!("{} on {source_region_id}", component.id);
        let bytes = component.document.to_string();
        let parsed = artifacts::read_file(&label, bytes.as_bytes(), SystemTime::now()).map_err(
            |findings| {
                let reasons: Vec<String> = findings.iter().map(ToString::to_string).collect();
                AppError::new(
                    ErrorCode::Console,
                    format!("cannot transfer {label}: {}", reasons.join("; ")),
                )
            },
        )?;
        for artifact in parsed.artifacts() {
            if let Artifact::Identity(_) = artifact {
                continue;
            }
            for request in import_requests(artifact, &TransformOptions::default()) {
                items.push(ImportItem {
                    source: ItemSource::console(source_region_id, &component.id),
                    route: request.route.to_owned(),
                    body: request.body,
                });
            }
        }
    }
    Ok(items)
}

/// The components of `components` with the given ids, in the order asked; a missing id is an
/// error naming it and the region.
pub fn pick<'a>(
    components: &'a [Component],
    ids: &[String],
    region_id: &str,
) -> Result<Vec<&'a Component>, AppError> {
    ids.iter()
        .map(|id| {
            components.iter().find(|c| &c.id == id).ok_or_else(|| {
                AppError::new(
                    ErrorCode::NotFound,
                    format!("no component '{id}' on region '{region_id}'"),
                )
            })
        })
        .collect()
}

/// One target of a delivery: its snapshot and the items meant for it, planned against it.
pub struct Delivery<'a> {
    pub target: &'a Snapshot,
    plan: Vec<PlannedItem>,
}

impl<'a> Delivery<'a> {
    /// Plans `items` against what the target holds (nothing, when it could not be listed).
    pub fn new(target: &'a Snapshot, items: Vec<ImportItem>) -> Self {
        let plan = match &target.components {
            Ok(existing) => import::plan(items, existing),
            Err(_) => Vec::new(),
        };
        Self { target, plan }
    }
}

/// The items some target would create, each once.
pub fn to_create<'a>(deliveries: &'a [Delivery<'_>]) -> Vec<&'a ImportItem> {
    let mut items: Vec<&ImportItem> = Vec::new();
    let planned = deliveries.iter().flat_map(|d| &d.plan);
    for PlannedItem { item, planned } in planned {
        if *planned == Planned::Create && !items.contains(&item) {
            items.push(item);
        }
    }
    items
}

/// What a delivery did on one target.
pub struct Delivered {
    pub report: TargetReport,
    /// What the target holds now: its snapshot plus what was created.
    pub holds: Vec<Component>,
}

/// How a delivery runs and whom it tells.
pub struct DeliveryContext<'a> {
    /// The audit log's name for the operation (`transfer`, `replicate org`, `mesh`).
    pub operation: &'a str,
    pub dry_run: bool,
    pub cancel: &'a AtomicBool,
    pub audit: &'a AuditLog,
    pub progress: &'a (dyn Fn(TransferEvent) + Sync),
}

/// Imports into every target at once, each as planned.
pub async fn deliver(deliveries: Vec<Delivery<'_>>, cx: &DeliveryContext<'_>) -> Vec<Delivered> {
    join_all(deliveries.into_iter().map(|d| to_target(d, cx))).await
}

async fn to_target(delivery: Delivery<'_>, cx: &DeliveryContext<'_>) -> Delivered {
    let Delivery { target, plan } = delivery;
    let region_id = target.region_id.clone();
    let existing = match &target.components {
        Ok(existing) => existing,
        Err(e) => return failed(region_id, e.to_string(), cx),
    };
    let to_create = plan.iter().filter(|p| p.planned == Planned::Create).count();
    (cx.progress)(TransferEvent::Planned {
        target: region_id.clone(),
        to_create: u32::try_from(to_create).unwrap_or(u32::MAX),
    });
    let options = ApplyOptions {
        dry_run: cx.dry_run,
        cancel: Some(cx.cancel),
        audit: Some(AuditTrail {
            log: cx.audit,
            operation: cx.operation,
            target: &region_id,
        }),
    };
    let on_item = |report: &ItemReport| {
        (cx.progress)(TransferEvent::Item {
            target: region_id.clone(),
            report: report.clone(),
        })
    };
    let applied = match import::apply(&target.client, plan, &options, &on_item).await {
        Ok(applied) => applied,
        // The intents could not be recorded: nothing was sent to this console.
        Err(e) => return failed(region_id, format!("nothing sent: {}", e.message), cx),
    };
    if let Some(e) = &applied.audit_failed {
        tracing::error!("audit log: {}", e.message);
    }
    (cx.progress)(TransferEvent::TargetDone {
        target: region_id.clone(),
    });
    let mut holds = existing.clone();
    holds.extend(applied.created);
    Delivered {
        report: TargetReport {
            region_id,
            items: applied.reports,
            error: None,
        },
        holds,
    }
}

/// A target that could not be worked on at all.
fn failed(region_id: String, reason: String, cx: &DeliveryContext<'_>) -> Delivered {
    (cx.progress)(TransferEvent::TargetFailed {
        target: region_id.clone(),
        reason: reason.clone(),
    });
    Delivered {
        report: TargetReport {
            region_id,
            items: Vec::new(),
            error: Some(reason),
        },
        holds: Vec::new(),
    }
}

/// What makes two items the same node or MSP: the route and the API URL (else the MSP id).
pub fn node_key(item: &ImportItem) -> Option<(String, String)> {
    item.body
        .get("api_url")
        .or_else(|| item.body.get("msp_id"))
        .and_then(serde_json::Value::as_str)
        .map(|key| (item.route.clone(), url_key(key)))
}
