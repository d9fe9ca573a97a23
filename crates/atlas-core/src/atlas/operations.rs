//! Operations that change consoles: files in and out, transfer, replicate org, full mesh. Each
//! console involved is listed once, all at once, then every import is sent at once (see
//! [`crate::transfer`]).

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::SystemTime;

use super::Atlas;
use crate::artifacts::ExportedFile;
use crate::component::{Component, ComponentKind};
use crate::error::{AppError, ErrorCode};
use crate::files::{self, ImportReport};
use crate::identities;
use crate::import::ItemSource;
use crate::ipc::Change;
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

impl Atlas {
    /// Reads, validates and imports files into a region's console (identities go to the
    /// wallet). Any error finding refuses the whole batch before anything is sent or stored.
    pub async fn import_files(
        &self,
        region_id: &str,
        paths: &[PathBuf],
        dry_run: bool,
    ) -> Result<ImportReport, AppError> {
        let client = self.client_of(region_id)?;
        let batch = match files::read_paths(paths, SystemTime::now()) {
            Ok(batch) => batch,
            Err(findings) => return Ok(ImportReport::refused(region_id, dry_run, findings)),
        };
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
            files::import_components(&client, region_id, batch.items, dry_run, &self.audit).await;
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
            findings: batch.warnings,
            items,
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

    /// Copies components from one region's console to others, duplicate-safe, verified by the
    /// console's answers, audited; `progress` sees every step, `cancel` stops what has not been
    /// sent yet.
    pub async fn transfer(
        &self,
        source_region_id: &str,
        component_ids: &[String],
        target_region_ids: &[String],
        dry_run: bool,
        cancel: &AtomicBool,
        progress: &(dyn Fn(TransferEvent) + Sync),
    ) -> Result<TransferReport, AppError> {
        let cx = self.delivery("transfer", dry_run, cancel, progress);
        let selection = Selection::Components(component_ids);
        let (report, _) = self
            .copy(source_region_id, target_region_ids, &selection, &cx)
            .await?;
        Ok(report)
    }

    /// Brings an organization (its MSP definition and CA, and from the wallet its admin
    /// identities) from one region to others: the guide's steps 3 and 4 in one action.
    pub async fn replicate_org(
        &self,
        source_region_id: &str,
        msp_id: &str,
        target_region_ids: &[String],
        dry_run: bool,
        cancel: &AtomicBool,
        progress: &(dyn Fn(TransferEvent) + Sync),
    ) -> Result<TransferReport, AppError> {
        let cx = self.delivery("replicate org", dry_run, cancel, progress);
        let (mut report, holds) = self
            .copy(
                source_region_id,
                target_region_ids,
                &Selection::Org(msp_id),
                &cx,
            )
            .await?;
        self.carry_org_admins(msp_id, &mut report, &holds);
        Ok(report)
    }

    /// The guide's last step: every console learns every other console's peers and ordering
    /// nodes, each exactly once. With `dry_run` it is the plan: what goes where, what is there.
    pub async fn mesh(
        &self,
        dry_run: bool,
        cancel: &AtomicBool,
        progress: &(dyn Fn(TransferEvent) + Sync),
    ) -> Result<Vec<TargetReport>, AppError> {
        let cx = self.delivery("mesh", dry_run, cancel, progress);
        let ids: Vec<String> = self.all_regions().into_iter().map(|(r, _)| r.id).collect();
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let consoles = self.clients_of(&ids).await?;
        let snapshots = transfer::snapshot(consoles).await;
        let mut nodes = Vec::new();
        for snapshot in &snapshots {
            if let Ok(components) = &snapshot.components {
                let items = transfer::items_from(&snapshot.region_id, &org::nodes(components))?;
                nodes.push((snapshot.region_id.as_str(), items));
            }
        }
        let deliveries = snapshots
            .iter()
            .map(|target| {
                let from_others = nodes
                    .iter()
                    .filter(|(source, _)| *source != target.region_id)
                    .flat_map(|(_, items)| items.iter().cloned());
                Delivery::new(target, transfer::distinct(from_others))
            })
            .collect();
        let delivered = transfer::deliver(deliveries, &cx).await;
        self.poll_changed(&snapshots, &cx);
        Ok(delivered.into_iter().map(|d| d.report).collect())
    }

    /// One copy from a source to targets: the source and every target listed at once, the
    /// selected components of the source's list delivered to every target at once. Answers the
    /// report and, per target, what it holds afterwards.
    async fn copy(
        &self,
        source_region_id: &str,
        target_region_ids: &[String],
        selection: &Selection<'_>,
        cx: &DeliveryContext<'_>,
    ) -> Result<(TransferReport, Vec<Vec<Component>>), AppError> {
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
        if !cx.dry_run {
            self.refuse_cas_without_admins(source_region_id, &chosen, &deliveries)?;
        }
        let delivered = transfer::deliver(deliveries, cx).await;
        self.poll_changed(targets, cx);
        let (reports, holds) = delivered.into_iter().map(|d| (d.report, d.holds)).unzip();
        Ok((
            TransferReport {
                source_region_id: source_region_id.to_owned(),
                dry_run: cx.dry_run,
                targets: reports,
            },
            holds,
        ))
    }

    /// A CA is only copied with its admin and TLS CA admin enroll credentials: the console needs
    /// them to use it, and keeps them in the browser, never on its server. Refuses, before
    /// anything is sent, an operation that would create a CA whose credentials are not kept.
    fn refuse_cas_without_admins(
        &self,
        source_region_id: &str,
        chosen: &[&Component],
        deliveries: &[Delivery<'_>],
    ) -> Result<(), AppError> {
        let created = transfer::to_create(deliveries);
        let admins = self.ca_admins();
        let missing: Vec<&&Component> = chosen
            .iter()
            .filter(|c| c.kind == ComponentKind::Ca && !admins.is_kept(&c.document))
            .filter(|c| {
                let source = ItemSource::console(source_region_id, &c.id);
                created.iter().any(|item| item.source == source)
            })
            .collect();
        let Some(first) = missing.first() else {
            return Ok(());
        };
        let names: Vec<String> = missing
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
                first.id
            ),
        ))
    }

    /// How an operation's deliveries run (for real or as a plan) and whom they tell.
    fn delivery<'a>(
        &'a self,
        operation: &'a str,
        dry_run: bool,
        cancel: &'a AtomicBool,
        progress: &'a (dyn Fn(TransferEvent) + Sync),
    ) -> DeliveryContext<'a> {
        DeliveryContext {
            operation,
            dry_run,
            cancel,
            audit: &self.audit,
            progress,
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
