//! Console-to-console transfer: what the HA guide makes an administrator do with downloads and
//! uploads across browser tabs, as one operation.
//!
//! Each component is read fresh from the source console (`cache=skip`), transformed into the v3
//! import body, planned against each target's own fresh list (already there → skipped, same name
//! with other content → conflict), imported and read back. Targets run in parallel and fail
//! independently; a retry re-plans, so it never creates a duplicate.

use std::sync::atomic::AtomicBool;
use std::time::SystemTime;

use futures::future::join_all;
use serde::Serialize;
use ts_rs::TS;

use crate::artifacts::{self, import_requests, Artifact, TransformOptions};
use crate::audit::AuditLog;
use crate::client::ConsoleClient;
use crate::error::{AppError, ErrorCode};
use crate::import::{self, ApplyOptions, ImportItem, ItemReport};

/// Progress of a transfer, streamed to the UI as it happens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase", tag = "event")]
pub enum TransferEvent {
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

/// Reads components from the source console and turns them into import items.
pub async fn read_from_source(
    source: &ConsoleClient,
    source_region_id: &str,
    component_ids: &[String],
) -> Result<Vec<ImportItem>, AppError> {
    let mut items = Vec::new();
    for id in component_ids {
        let component = source.get_component(id).await?;
        let label = format!("{source_region_id}/{id}");
        let parsed =
            artifacts::read_file(&label, component.to_string().as_bytes(), SystemTime::now())
                .map_err(|findings| {
                    let reasons: Vec<String> = findings.iter().map(ToString::to_string).collect();
                    AppError::new(
                        ErrorCode::Console,
                        format!("cannot transfer {label}: {}", reasons.join("; ")),
                    )
                })?;
        for artifact in parsed.artifacts() {
            if let Artifact::Identity(_) = artifact {
                continue;
            }
            for request in import_requests(artifact, &TransformOptions::default()) {
                items.push(ImportItem {
                    source: label.clone(),
                    route: request.route.to_owned(),
                    body: request.body,
                });
            }
        }
    }
    Ok(items)
}

/// Imports `items` into every target in parallel, each planned against its own fresh list.
pub async fn to_targets(
    items: &[ImportItem],
    targets: &[(String, ConsoleClient)],
    dry_run: bool,
    cancel: &AtomicBool,
    audit: &AuditLog,
    progress: &(dyn Fn(TransferEvent) + Sync),
) -> Vec<TargetReport> {
    let work = targets.iter().map(|(region_id, client)| async move {
        let report = to_target(items, region_id, client, dry_run, cancel, progress).await;
        if !dry_run {
            if let Err(e) = import::audit_reports(audit, "transfer", region_id, &report.items) {
                tracing::error!("audit log: {}", e.message);
            }
        }
        match &report.error {
            Some(reason) => progress(TransferEvent::TargetFailed {
                target: region_id.clone(),
                reason: reason.clone(),
            }),
            None => progress(TransferEvent::TargetDone {
                target: region_id.clone(),
            }),
        }
        report
    });
    join_all(work).await
}

async fn to_target(
    items: &[ImportItem],
    region_id: &str,
    client: &ConsoleClient,
    dry_run: bool,
    cancel: &AtomicBool,
    progress: &(dyn Fn(TransferEvent) + Sync),
) -> TargetReport {
    let existing = match client.list_components_raw(true).await {
        Ok(existing) => existing,
        Err(e) => {
            return TargetReport {
                region_id: region_id.to_owned(),
                items: Vec::new(),
                error: Some(e.to_string()),
            }
        }
    };
    let plan = import::plan(items.to_vec(), &existing);
    let to_create = plan
        .iter()
        .filter(|p| p.planned == import::Planned::Create)
        .count();
    progress(TransferEvent::Planned {
        target: region_id.to_owned(),
        to_create: u32::try_from(to_create).unwrap_or(u32::MAX),
    });
    let options = ApplyOptions {
        dry_run,
        cancel: Some(cancel),
    };
    let reports = import::apply_with(client, plan, &options, |report| {
        progress(TransferEvent::Item {
            target: region_id.to_owned(),
            report: report.clone(),
        })
    })
    .await;
    TargetReport {
        region_id: region_id.to_owned(),
        items: reports,
        error: None,
    }
}

/// The items with duplicates (same route and API URL, or same MSP id) left out: the same node
/// known to several consoles is sent once.
pub fn distinct(items: impl IntoIterator<Item = ImportItem>) -> Vec<ImportItem> {
    let mut seen = std::collections::BTreeSet::new();
    items
        .into_iter()
        .filter(|item| {
            let key = item
                .body
                .get("api_url")
                .or_else(|| item.body.get("msp_id"))
                .and_then(serde_json::Value::as_str)
                .map(|k| k.trim().trim_end_matches('/').to_ascii_lowercase());
            match key {
                Some(key) => seen.insert((item.route.clone(), key)),
                None => true,
            }
        })
        .collect()
}
