//! Duplicate-safe import into a console.
//!
//! The console itself accepts the same component twice and makes a second copy (`org1peer1`,
//! `org1msp_0`), so the plan is computed here, against what the target console already holds:
//! a CA, peer or orderer with the same API URL, or an MSP with the same MSP id and root certs, is
//! *already there* and skipped; a component of the same type and name that is not the same thing is
//! a *conflict*, shown and never imported; everything else is created, and the console's answer
//! (the document it stored) is the verification.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use futures::future::join_all;
use serde::Serialize;
use serde_json::Value;
use tokio::sync::Semaphore;
use ts_rs::TS;

use crate::audit::{AuditEntry, AuditLog};
use crate::client::{ConsoleClient, ConsoleError, FailureKind};
use crate::component::{url_key, Component};
use crate::error::AppError;

/// Where an item came from, for reports and the audit log. Views read its fields; nothing parses
/// its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "from", rename_all = "camelCase")]
pub enum ItemSource {
    /// A file, or an entry of a bulk ZIP (`bulk.zip[2]`), by the name it was given.
    File { name: String },
    /// A component read from a region's console.
    Console {
        #[serde(rename = "regionId")]
        region_id: String,
        #[serde(rename = "componentId")]
        component_id: String,
        /// The console holds it as an import, and other regions hold it too: which one it is
        /// from is not known, so views name the console it is read from, not its origin.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        copy: bool,
    },
    /// An identity of the wallet.
    Wallet { identity: String },
}

impl ItemSource {
    pub fn file(name: impl Into<String>) -> Self {
        Self::File { name: name.into() }
    }

    pub fn console(region_id: &str, component_id: &str) -> Self {
        Self::Console {
            region_id: region_id.to_owned(),
            component_id: component_id.to_owned(),
            copy: false,
        }
    }
}

impl std::fmt::Display for ItemSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::File { name } => f.write_str(name),
            Self::Console {
                region_id,
                component_id,
                ..
            } => write!(f, "{component_id} on {region_id}"),
            Self::Wallet { identity } => write!(f, "{identity} in the wallet"),
        }
    }
}

/// One component to import: the console route and the v3 import body.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportItem {
    pub source: ItemSource,
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
    pub source: ItemSource,
    pub display_name: String,
    pub kind: String,
    #[serde(flatten)]
    pub outcome: ItemOutcome,
}

/// Plans `items` against the components `existing` on the target (and against earlier items of the
/// same batch, so a batch never creates a duplicate of itself).
pub fn plan(items: Vec<ImportItem>, existing: &[Component]) -> Vec<PlannedItem> {
    let mut seen: Vec<(String, Value)> = existing
        .iter()
        .map(|c| (c.console_type().to_owned(), c.document.clone()))
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

/// How [`apply`] runs.
#[derive(Default)]
pub struct ApplyOptions<'a> {
    pub dry_run: bool,
    /// Checked before each item is sent: once set, the items not sent yet are reported cancelled.
    pub cancel: Option<&'a AtomicBool>,
    /// Where the changes are recorded (none: they are not, as in a dry run).
    pub audit: Option<AuditTrail<'a>>,
}

/// The audit log an operation writes its intents and outcomes to, and what it calls them.
#[derive(Clone, Copy)]
pub struct AuditTrail<'a> {
    pub log: &'a AuditLog,
    pub operation: &'a str,
    /// The region whose console is changed.
    pub target: &'a str,
}

impl AuditTrail<'_> {
    fn entry(&self, report: &ItemReport, outcome: String) -> AuditEntry {
        let source_region = match &report.source {
            ItemSource::Console { region_id, .. } => Some(region_id.as_str()),
            _ => None,
        };
        AuditEntry::now(
            self.operation,
            format!("{} {}", report.kind, report.display_name),
            report.source.to_string(),
            self.target,
            outcome,
        )
        .from_region(source_region)
    }
}

/// What applying a plan to one console did.
#[derive(Debug, Default)]
pub struct Applied {
    /// One report per planned item, in the plan's order.
    pub reports: Vec<ItemReport>,
    /// The documents the console stored for the items it created (its answers to the imports).
    pub created: Vec<Component>,
    /// An outcome that could not be written to the audit log (the change itself was made).
    pub audit_failed: Option<AppError>,
}

/// Carries out a plan: every item to create is sent at once (the console's request budget and the
/// [`WriteGate`] pace them), and the console's answer, which carries the stored document, is the
/// verification. Items fail one by one; after a refused credential nothing more is sent to this
/// console. `on_item` sees each report as it is known. With `dry_run` nothing is sent.
///
/// Audited: the intent of every change is written before anything is sent (when it cannot be,
/// nothing is sent and the error is returned), each outcome when it is known.
pub async fn apply(
    client: &ConsoleClient,
    plan: Vec<PlannedItem>,
    options: &ApplyOptions<'_>,
    on_item: &(dyn Fn(&ItemReport) + Sync),
) -> Result<Applied, AppError> {
    let audit = options.audit.filter(|_| !options.dry_run);
    if let Some(trail) = audit {
        let intents: Vec<AuditEntry> = plan
            .iter()
            .filter(|p| p.planned == Planned::Create)
            .map(|p| {
                let report = ItemReport {
                    source: p.item.source.clone(),
                    display_name: display_name(&p.item.body),
                    kind: p.item.route.clone(),
                    outcome: ItemOutcome::WouldCreate,
                };
                trail.entry(&report, "sending".to_owned())
            })
            .collect();
        trail.log.append_all(&intents)?;
    }
    let audit_failed: Mutex<Option<AppError>> = Mutex::new(None);
    let gate = WriteGate::new(client.writes_accepted());
    let work = plan.into_iter().map(|PlannedItem { item, planned }| {
        let gate = &gate;
        let audit_failed = &audit_failed;
        async move {
            let (outcome, stored) = match planned {
                Planned::AlreadyThere { id } => (ItemOutcome::AlreadyThere { id }, None),
                Planned::Conflict { id, existing } => (
                    ItemOutcome::Conflict {
                        id,
                        existing: side_by_side(&existing),
                        incoming: side_by_side(&item.body),
                    },
                    None,
                ),
                Planned::Create if options.dry_run => (ItemOutcome::WouldCreate, None),
                Planned::Create => gate.create(client, &item, options.cancel).await,
            };
            let report = ItemReport {
                source: item.source.clone(),
                display_name: display_name(&item.body),
                kind: item.route.clone(),
                outcome,
            };
            if let Some((trail, outcome)) = audit.zip(audited_outcome(&report.outcome)) {
                if let Err(e) = trail.log.append(&trail.entry(&report, outcome)) {
                    *audit_failed.lock().unwrap_or_else(|p| p.into_inner()) = Some(e);
                }
            }
            on_item(&report);
            (report, stored)
        }
    });
    let mut applied = Applied::default();
    for (report, stored) in join_all(work).await {
        applied.reports.push(report);
        applied.created.extend(stored);
    }
    applied.audit_failed = audit_failed.into_inner().unwrap_or_else(|p| p.into_inner());
    Ok(applied)
}

/// What the audit log says of an outcome (nothing for a plan's `would_create`).
fn audited_outcome(outcome: &ItemOutcome) -> Option<String> {
    Some(match outcome {
        ItemOutcome::Created { id } => format!("created {id}"),
        ItemOutcome::AlreadyThere { id } => format!("already there as {id}; skipped"),
        ItemOutcome::Conflict { id, .. } => format!("conflict with {id}; not imported"),
        ItemOutcome::WouldCreate => return None,
        ItemOutcome::Failed { reason } => format!("failed: {reason}"),
    })
}

/// Paces the writes to one console. A key without the writer role is accepted for reads and
/// refused (401) on every write, and 5 refusals lock this machine out of the console: so until
/// one write has been accepted (in this operation, or earlier by the same kept client), at most
/// [`UNPROVEN_WRITES`] are in flight, and after a refusal none is sent.
struct WriteGate {
    unproven: Semaphore,
    proven: AtomicBool,
    refused: Mutex<Option<String>>,
}

/// Writes in flight before the first accepted one. The successful list that precedes them resets
/// the console's failure count, so even a key refused on every write stays under the console's
/// 5-failure lockout, with room for a second Fabric Atlas process on this machine.
pub const UNPROVEN_WRITES: usize = 2;

impl WriteGate {
    fn new(proven: bool) -> Self {
        Self {
            unproven: Semaphore::new(UNPROVEN_WRITES),
            proven: AtomicBool::new(proven),
            refused: Mutex::new(None),
        }
    }

    async fn create(
        &self,
        client: &ConsoleClient,
        item: &ImportItem,
        cancel: Option<&AtomicBool>,
    ) -> (ItemOutcome, Option<Component>) {
        let _permit = if self.proven.load(Ordering::SeqCst) {
            None
        } else {
            self.unproven.acquire().await.ok()
        };
        if cancel.is_some_and(|c| c.load(Ordering::SeqCst)) {
            return (not_attempted("cancelled"), None);
        }
        if let Some(refusal) = self.refusal() {
            return (not_attempted(&refusal), None);
        }
        match create(client, item).await {
            Ok(done) => {
                if !self.proven.swap(true, Ordering::SeqCst) {
                    // Lets every waiting write go: the console accepts this key's writes.
                    self.unproven.add_permits(Semaphore::MAX_PERMITS / 2);
                }
                done
            }
            Err(e) => {
                if matches!(e.kind(), FailureKind::Unauthorized | FailureKind::LockedOut) {
                    *self.refused.lock().unwrap_or_else(|p| p.into_inner()) = Some(e.to_string());
                }
                (
                    ItemOutcome::Failed {
                        reason: e.to_string(),
                    },
                    None,
                )
            }
        }
    }

    fn refusal(&self) -> Option<String> {
        self.refused
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

fn not_attempted(why: &str) -> ItemOutcome {
    ItemOutcome::Failed {
        reason: format!("not attempted: {why}"),
    }
}

/// Imports one item. The console's answer carries the document it stored, which is checked
/// against what was sent; only when the answer never came (a timeout) is the console asked
/// whether the item is there. A console error is returned as such (the caller decides whether the
/// console may be asked again).
async fn create(
    client: &ConsoleClient,
    item: &ImportItem,
) -> Result<(ItemOutcome, Option<Component>), ConsoleError> {
    let answer = match client.import_component(&item.route, &item.body).await {
        Ok(answer) => answer,
        Err(ConsoleError::Timeout { url }) => return Ok(after_timeout(client, item, &url).await),
        Err(e) => return Err(e),
    };
    let Some(stored) = Component::from_document(answer) else {
        return Ok((
            ItemOutcome::Failed {
                reason: "the console answered without the stored component's id".into(),
            },
            None,
        ));
    };
    if !same_component(&item.route, &stored.document, &item.body) {
        return Ok((
            ItemOutcome::Failed {
                reason: format!(
                    "'{}' was created but the console stored something other than what was sent",
                    stored.id
                ),
            },
            None,
        ));
    }
    Ok((
        ItemOutcome::Created {
            id: stored.id.clone(),
        },
        Some(stored),
    ))
}

/// An import whose answer never came may or may not have been stored: one fresh list tells.
async fn after_timeout(
    client: &ConsoleClient,
    item: &ImportItem,
    url: &str,
) -> (ItemOutcome, Option<Component>) {
    let unknown = |why: String| {
        ItemOutcome::Failed {
        reason: format!(
            "the console at {url} did not answer in time and {why}; a re-run checks before it creates"
        ),
    }
    };
    match client.list_components(true).await {
        Ok(components) => match components.into_iter().find(|c| {
            c.console_type() == item.route && same_component(&item.route, &c.document, &item.body)
        }) {
            Some(stored) => (
                ItemOutcome::Created {
                    id: stored.id.clone(),
                },
                Some(stored),
            ),
            None => (unknown("did not store it".into()), None),
        },
        Err(e) => (
            unknown(format!("whether it was stored is unknown ({e})")),
            None,
        ),
    }
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
            (Some(x), Some(y)) => url_key(x) == url_key(y),
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn components(docs: Vec<Value>) -> Vec<Component> {
        docs.into_iter()
            .filter_map(Component::from_document)
            .collect()
    }

    fn peer(name: &str, url: &str) -> ImportItem {
        ImportItem {
            source: ItemSource::file("test"),
            route: "fabric-peer".into(),
            body: json!({ "display_name": name, "api_url": url, "msp_id": "Org1MSP" }),
        }
    }

    #[test]
    fn same_url_is_already_there_same_name_is_a_conflict_else_create() {
        let existing = components(vec![
            json!({ "id": "org1peer1", "type": "fabric-peer", "display_name": "Org1 Peer1", "api_url": "grpcs://p1.org1:7051" }),
            json!({ "id": "org1msp", "type": "msp", "display_name": "Org1 MSP", "msp_id": "Org1MSP", "root_certs": ["QUJD"] }),
        ]);
        let items = vec![
            peer("Renamed but same node", "GRPCS://p1.org1:7051/"),
            peer("org1 peer1", "grpcs://p9.org1:7051"),
            peer("Org1 Peer2", "grpcs://p2.org1:7051"),
            ImportItem {
                source: ItemSource::file("test"),
                route: "msp".into(),
                body: json!({ "display_name": "Org1 MSP", "msp_id": "Org1MSP", "root_certs": ["Q UJD"] }),
            },
            ImportItem {
                source: ItemSource::file("test"),
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
        let existing = components(vec![
            json!({ "id": "ca", "type": "fabric-ca", "api_url": "https://h:7054" }),
        ]);
        let item = ImportItem {
            source: ItemSource::file("test"),
            route: "fabric-peer".into(),
            body: json!({ "display_name": "P", "api_url": "https://h:7054" }),
        };
        assert_eq!(plan(vec![item], &existing)[0].planned, Planned::Create);
    }
}
