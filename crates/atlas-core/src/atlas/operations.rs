//! Operations that change consoles: files in and out, transfer, replicate org, full mesh. Each
//! console involved is listed once, all at once, then every import is sent at once (see
//! [`crate::transfer`]).

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::SystemTime;

use super::Atlas;
use crate::artifacts::{ExportedFile, Finding};
use crate::ca_admins::CaAdminStatus;
use crate::client::ConsoleClient;
use crate::component::Component;
use crate::console_lock::{Console, Held};
use crate::error::{AppError, ErrorCode};
use crate::files::{self, ImportReport};
use crate::identities;
use crate::import::{ItemSource, Planned, PlannedItem};
use crate::ipc::Change;
use crate::mesh;
use crate::operation::{Operation, Plan};
use crate::org;
use crate::transfer::{
    self, Delivery, DeliveryContext, Snapshot, TargetReport, TransferEvent, TransferReport,
};

/// What a copy takes from the source console.
enum Selection<'a> {
    /// These components, by id.
    Components(&'a [String]),
    /// An org: its MSP definitions and the CAs sharing their roots.
    Org(&'a str),
}

impl Selection<'_> {
    fn pick<'c>(
        &self,
        components: &'c [Component],
        region_id: &str,
    ) -> Result<Vec<&'c Component>, AppError> {
        match self {
            Self::Components(ids) => transfer::pick(components, ids, region_id),
            Self::Org(msp_id) => {
                let org = org::org_components(components, msp_id);
                if org.is_empty() {
                    return Err(AppError::new(
                        ErrorCode::NotFound,
                        format!("no MSP definition with MSP id '{msp_id}' on region '{region_id}'"),
                    ));
                }
                Ok(org)
            }
        }
    }
}

/// What an operation did (or, as a dry run, would do).
struct Ran {
    report: TransferReport,
    /// Per target, what it holds afterwards.
    holds: Vec<Vec<Component>>,
    /// The CAs it creates whose admin credentials are not kept (a real run refuses them).
    cas_lacking_admins: Vec<CaAdminStatus>,
}

impl Atlas {
    /// What `operation` would do, from one fresh list of every console involved; nothing is
    /// sent. The views render it; applying the operation re-plans against fresh state.
    pub async fn plan(&self, operation: &Operation) -> Result<Plan, AppError> {
        let ran = self
            .run(operation, true, &AtomicBool::new(false), &|_| {})
            .await?;
        Ok(Plan {
            operation: operation.clone(),
            targets: ran.report.targets,
            cas_lacking_admins: ran.cas_lacking_admins,
        })
    }

    /// Runs `operation`: plans it against fresh lists and sends what the plan creates, every
    /// console at once; `progress` sees every step, `cancel` stops what has not been sent yet.
    pub async fn apply(
        &self,
        operation: &Operation,
        cancel: &AtomicBool,
        progress: &(dyn Fn(TransferEvent) + Sync),
    ) -> Result<TransferReport, AppError> {
        Ok(self.run(operation, false, cancel, progress).await?.report)
    }

    /// Reads, validates and imports files into a region's console (identities go to the
    /// wallet). Any error finding, or a CA to create whose admin credentials are not kept,
    /// refuses the whole batch before anything is sent or stored. `on_wait` hears when another
    /// operation holds the console (this one then waits for it).
    pub async fn import_files(
        &self,
        region_id: &str,
        paths: &[PathBuf],
        dry_run: bool,
        on_wait: &(dyn Fn(&str) + Sync),
    ) -> Result<ImportReport, AppError> {
        let client = self.client_of(region_id)?;
        // Reading files blocks: off the async runtime.
        let to_read = paths.to_vec();
        let read =
            tokio::task::spawn_blocking(move || files::read_paths(&to_read, SystemTime::now()))
                .await
                .map_err(|e| {
                    AppError::new(
                        ErrorCode::Internal,
                        format!("reading the files stopped: {e}"),
                    )
                })?;
        let batch = match read {
            Ok(batch) => batch,
            Err(findings) => return Ok(ImportReport::refused(region_id, dry_run, findings)),
        };
        let target = [(region_id.to_owned(), client.clone())];
        let _held = self.hold_for_writes(&target, dry_run, on_wait).await?;
        let plan = files::plan_components(&client, batch.items).await?;
        let cas_lacking_admins = self.cas_lacking_admins_in(&plan);
        let mut findings = batch.warnings;
        findings.extend(cas_lacking_admins.iter().map(|ca| {
            Finding::error(
                ca.component_id.clone(),
                "caAdmins",
                format!(
                    "the consoles need the CA admin and TLS CA admin enroll credentials of '{}' \
                     to use it. Give them once (the app asks; on the command line: atlas \
                     ca-admin set --file {} --ca-admin ID --tlsca-admin ID)",
                    ca.display_name, ca.component_id
                ),
            )
        }));
        if !dry_run && !cas_lacking_admins.is_empty() {
            return Ok(ImportReport {
                cas_lacking_admins,
                ..ImportReport::refused(region_id, dry_run, findings)
            });
        }
        let mut items = Vec::new();
        if !dry_run {
            let mut wallet = self.wallet();
            for (source, identity) in &batch.identities {
                items.push(identities::add_to_wallet(
                    &mut wallet,
                    self.keyring.as_ref(),
                    source,
                    identity,
                ));
            }
        }
        let imported =
            files::apply_components(&client, region_id, plan, dry_run, &self.audit).await;
        if !dry_run {
            if !items.is_empty() {
                self.changed(Change::Wallet);
            }
            self.changed(Change::Audit);
            self.monitor.poll_now(region_id);
        }
        items.extend(imported?);
        Ok(ImportReport {
            region_id: region_id.to_owned(),
            dry_run,
            refused: false,
            findings,
            items,
            cas_lacking_admins,
        })
    }

    /// A component of a region as the console UI would export it (fresh from the console).
    pub async fn export_component(
        &self,
        region_id: &str,
        component_id: &str,
    ) -> Result<ExportedFile, AppError> {
        files::export_component(&self.client_of(region_id)?, component_id).await
    }

    /// A whole region as the console's bulk ZIP (components; identities stay in the wallet).
    pub async fn export_region_zip(&self, region_id: &str) -> Result<Vec<u8>, AppError> {
        files::export_region_zip(&self.client_of(region_id)?).await
    }

    /// Copies components from one region's console to others (an [`Operation::Copy`]).
    pub async fn transfer(
        &self,
        source_region_id: &str,
        component_ids: &[String],
        target_region_ids: &[String],
        dry_run: bool,
        cancel: &AtomicBool,
        progress: &(dyn Fn(TransferEvent) + Sync),
    ) -> Result<TransferReport, AppError> {
        let operation = Operation::Copy {
            source_region_id: source_region_id.to_owned(),
            component_ids: component_ids.to_vec(),
            target_region_ids: target_region_ids.to_vec(),
        };
        Ok(self
            .run(&operation, dry_run, cancel, progress)
            .await?
            .report)
    }

    /// Brings an organization to other regions (an [`Operation::ReplicateOrg`]).
    pub async fn replicate_org(
        &self,
        source_region_id: &str,
        msp_id: &str,
        target_region_ids: &[String],
        dry_run: bool,
        cancel: &AtomicBool,
        progress: &(dyn Fn(TransferEvent) + Sync),
    ) -> Result<TransferReport, AppError> {
        let operation = Operation::ReplicateOrg {
            source_region_id: source_region_id.to_owned(),
            msp_id: msp_id.to_owned(),
            target_region_ids: target_region_ids.to_vec(),
        };
        Ok(self
            .run(&operation, dry_run, cancel, progress)
            .await?
            .report)
    }

    /// The full mesh (an [`Operation::Mesh`]): one report per region.
    pub async fn mesh(
        &self,
        dry_run: bool,
        cancel: &AtomicBool,
        progress: &(dyn Fn(TransferEvent) + Sync),
    ) -> Result<Vec<TargetReport>, AppError> {
        let ran = self
            .run(&Operation::Mesh, dry_run, cancel, progress)
            .await?;
        Ok(ran.report.targets)
    }

    /// Runs (or, with `dry_run`, plans) an operation.
    async fn run(
        &self,
        operation: &Operation,
        dry_run: bool,
        cancel: &AtomicBool,
        progress: &(dyn Fn(TransferEvent) + Sync),
    ) -> Result<Ran, AppError> {
        let cx = DeliveryContext {
            operation: operation.name(),
            dry_run,
            cancel,
            audit: &self.audit,
            progress,
        };
        match operation {
            Operation::Copy {
                source_region_id,
                component_ids,
                target_region_ids,
            } => {
                let selection = Selection::Components(component_ids);
                self.copy(source_region_id, target_region_ids, &selection, &cx)
                    .await
            }
            Operation::ReplicateOrg {
                source_region_id,
                msp_id,
                target_region_ids,
            } => {
                let selection = Selection::Org(msp_id);
                let mut ran = self
                    .copy(source_region_id, target_region_ids, &selection, &cx)
                    .await?;
                // The third part of an org: its admin identities in the wallet.
                self.carry_org_admins(msp_id, &mut ran.report, &ran.holds);
                Ok(ran)
            }
            Operation::Mesh => Ok(Ran {
                report: TransferReport {
                    source_region_id: String::new(),
                    dry_run,
                    targets: self.mesh_all(&cx).await?,
                },
                holds: Vec::new(),
                cas_lacking_admins: Vec::new(),
            }),
        }
    }

    /// The guide's last step: every console learns every other console's peers and ordering
    /// nodes, each exactly once. As a dry run it is the plan: what goes where, what is there.
    async fn mesh_all(&self, cx: &DeliveryContext<'_>) -> Result<Vec<TargetReport>, AppError> {
        let ids: Vec<String> = self.all_regions().into_iter().map(|(r, _)| r.id).collect();
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let consoles = self.clients_of(&ids).await?;
        let _held = self.hold(&consoles, cx).await?;
        let snapshots = transfer::snapshot(consoles).await;
        let mut holders = Vec::new();
        for snapshot in &snapshots {
            if let Ok(components) = &snapshot.components {
                holders.push(mesh::Holder::of(&snapshot.region_id, components)?);
            }
        }
        let deliveries = snapshots
            .iter()
            .map(|target| Delivery::new(target, mesh::items_for(&target.region_id, &holders)))
            .collect();
        let delivered = transfer::deliver(deliveries, cx).await;
        self.poll_changed(&snapshots, cx);
        let homes = snapshots.iter().flat_map(|s| match &s.components {
            Ok(components) => super::posture::own_homes(&s.region_id, components),
            Err(_) => Vec::new(),
        });
        self.record_homes(homes.collect(), cx);
        Ok(delivered.into_iter().map(|d| d.report).collect())
    }

    /// One copy from a source to targets: the source and every target listed at once, the
    /// selected components of the source's list delivered to every target at once. A real run
    /// that would create a CA whose admin credentials are not kept is refused before anything
    /// is sent.
    async fn copy(
        &self,
        source_region_id: &str,
        target_region_ids: &[String],
        selection: &Selection<'_>,
        cx: &DeliveryContext<'_>,
    ) -> Result<Ran, AppError> {
        if target_region_ids.iter().any(|t| t == source_region_id) {
            return Err(AppError::invalid(
                "a region cannot be its own transfer target",
            ));
        }
        let mut targets: Vec<&String> = Vec::new();
        for id in target_region_ids {
            if !targets.contains(&id) {
                targets.push(id);
            }
        }
        let ids: Vec<&str> = std::iter::once(source_region_id)
            .chain(targets.iter().map(|t| t.as_str()))
            .collect();
        let consoles = self.clients_of(&ids).await?;
        let _held = self.hold(&consoles[1..], cx).await?;
        let snapshots = transfer::snapshot(consoles).await;
        let (source, targets) = snapshots
            .split_first()
            .expect("the source is always listed");
        let components = source
            .components
            .as_ref()
            .map_err(|e| AppError::from(e.clone()))?;
        let chosen = selection.pick(components, source_region_id)?;
        let items = transfer::items_from(source_region_id, &chosen)?;
        (cx.progress)(TransferEvent::Read {
            items: u32::try_from(items.len()).unwrap_or(u32::MAX),
        });
        let deliveries: Vec<Delivery> = targets
            .iter()
            .map(|target| Delivery::new(target, items.clone()))
            .collect();
        let cas_lacking_admins = self.cas_lacking_admins(source_region_id, &chosen, &deliveries);
        if !cx.dry_run {
            refuse_cas_lacking_admins(source_region_id, &cas_lacking_admins)?;
        }
        let delivered = transfer::deliver(deliveries, cx).await;
        self.poll_changed(targets, cx);
        self.record_homes(
            super::posture::own_homes(source_region_id, chosen.iter().copied()),
            cx,
        );
        let (reports, holds) = delivered.into_iter().map(|d| (d.report, d.holds)).unzip();
        Ok(Ran {
            report: TransferReport {
                source_region_id: source_region_id.to_owned(),
                dry_run: cx.dry_run,
                targets: reports,
            },
            holds,
            cas_lacking_admins,
        })
    }

    /// The chosen CAs some delivery creates whose admin credentials are not kept (no keyring
    /// call: the enroll ids on file say it).
    fn cas_lacking_admins(
        &self,
        source_region_id: &str,
        chosen: &[&Component],
        deliveries: &[Delivery<'_>],
    ) -> Vec<CaAdminStatus> {
        let created = transfer::to_create(deliveries);
        let admins = self.ca_admins();
        chosen
            .iter()
            .filter(|c| {
                let source = ItemSource::console(source_region_id, &c.id);
                created.iter().any(|item| item.source == source)
            })
            .filter_map(|c| CaAdminStatus::unknown(&c.id, &c.document))
            .map(|ca| ca.on_region(source_region_id))
            .filter(|ca| !admins.is_kept(ca))
            .collect()
    }

    /// The CAs a file import would create whose admin credentials are not kept.
    fn cas_lacking_admins_in(&self, plan: &[PlannedItem]) -> Vec<CaAdminStatus> {
        let admins = self.ca_admins();
        plan.iter()
            .filter(|p| p.planned == Planned::Create)
            .filter_map(|p| CaAdminStatus::of_import(&p.item))
            .filter(|ca| !admins.is_kept(ca))
            .collect()
    }

    /// Before an operation writes to consoles: the audit log must take its intents (with no
    /// audit log, nothing is sent), and the consoles are held, across every process of this
    /// user, from before it plans until it has verified. A dry run only reads: it needs neither.
    pub(super) async fn hold_for_writes(
        &self,
        targets: &[(String, ConsoleClient)],
        dry_run: bool,
        on_wait: &(dyn Fn(&str) + Sync),
    ) -> Result<Option<Held>, AppError> {
        if dry_run {
            return Ok(None);
        }
        self.audit.check_writable()?;
        let urls: Vec<(&str, String)> = targets
            .iter()
            .map(|(id, client)| (id.as_str(), client.base_url().to_string()))
            .collect();
        let consoles: Vec<Console<'_>> = urls
            .iter()
            .map(|(name, url)| Console { name, url })
            .collect();
        self.locks.hold(&consoles, on_wait).await.map(Some)
    }

    /// An operation's consoles held for its writes; whoever waits for one is told through its
    /// progress.
    async fn hold(
        &self,
        targets: &[(String, ConsoleClient)],
        cx: &DeliveryContext<'_>,
    ) -> Result<Option<Held>, AppError> {
        let on_wait = |target: &str| {
            (cx.progress)(TransferEvent::Waiting {
                target: target.to_owned(),
            })
        };
        self.hold_for_writes(targets, cx.dry_run, &on_wait).await
    }

    /// A copy keeps its source's home: the nodes and CAs a real run copied from a console
    /// holding them as their own are recorded as living there (the posture's second rule). The
    /// copies are made whatever this record does, so a failure to write it is only logged.
    fn record_homes(&self, homes: Vec<(String, String)>, cx: &DeliveryContext<'_>) {
        if cx.dry_run || homes.is_empty() {
            return;
        }
        match self.homes().record_copies(&homes) {
            Ok(true) => self.changed(Change::Homes),
            Ok(false) => {}
            Err(e) => tracing::warn!("the homes of copied nodes were not recorded: {e}"),
        }
    }

    /// Re-polls the health of the consoles an operation changed; its audit entries are new.
    fn poll_changed(&self, targets: &[Snapshot], cx: &DeliveryContext<'_>) {
        if !cx.dry_run {
            self.changed(Change::Audit);
            targets
                .iter()
                .for_each(|t| self.monitor.poll_now(&t.region_id));
        }
    }
}

/// A CA is only copied with its admin and TLS CA admin enroll credentials: the console needs
/// them to use it, and keeps them in the browser, never on its server.
fn refuse_cas_lacking_admins(
    source_region_id: &str,
    lacking: &[CaAdminStatus],
) -> Result<(), AppError> {
    let Some(first) = lacking.first() else {
        return Ok(());
    };
    let names: Vec<String> = lacking
        .iter()
        .map(|c| format!("'{}'", c.display_name))
        .collect();
    Err(AppError::invalid_field(
        "caAdmins",
        format!(
            "the consoles need the CA admin and TLS CA admin enroll credentials of {} to use it; \
             nothing was copied. Give them once (the app asks; on the command line: \
             atlas ca-admin set {source_region_id} {} --ca-admin ID --tlsca-admin ID)",
            names.join(", "),
            first.component_id
        ),
    ))
}
