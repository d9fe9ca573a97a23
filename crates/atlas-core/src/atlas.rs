//! The application service: the fleet, its secrets and its health, behind one small API that the
//! desktop shell (and later the CLI) call one function at a time.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use tokio::sync::watch;

use crate::artifacts::{self, Artifact, ExportedFile, Finding, Identity, IdentityFormat};
use crate::audit::{AuditEntry, AuditLog};
use crate::budget::Budgets;
use crate::ca_admins::{CaAdminCredentials, CaAdminStatus, CaAdmins};
use crate::client::{parse_console_url, ConsoleClient, Credentials};
use crate::connection::{self, ConnectionReport, ConnectionTest};
use crate::error::{AppError, ErrorCode};
use crate::files::{self, ImportReport};
use crate::fleet::{Fleet, FleetStore, NewRegion, Region, RegionEdit};
use crate::health::{HealthMonitor, HealthSnapshot};
use crate::identities::{self, IdentityView, RegionAdminReport};
use crate::import::{ItemOutcome, ItemReport};
use crate::ipc::{AppInfo, RegionView};
use crate::org;
use crate::secrets::{MemoryStore, Secret, SecretKey, SecretStore};
use crate::transfer::{self, TargetReport, TransferEvent, TransferReport};
use crate::wallet::{Wallet, WalletEntry};
use futures::future::join_all;

/// A region of the built-in sandbox, with its throwaway credentials.
#[derive(Debug, Clone)]
pub struct SandboxRegion {
    pub region: Region,
    pub api_secret: Secret,
}

pub struct Atlas {
    fleet: Mutex<Fleet>,
    config_path: String,
    keyring: Arc<dyn SecretStore>,
    /// Simulated regions; their generated secrets never reach the OS keyring or a file.
    sandbox: Vec<Region>,
    sandbox_secrets: MemoryStore,
    monitor: HealthMonitor,
    budgets: Budgets,
    wallet: Mutex<Wallet>,
    ca_admins: Mutex<CaAdmins>,
    audit: AuditLog,
}

impl Atlas {
    pub fn open(
        store: FleetStore,
        keyring: Arc<dyn SecretStore>,
        poll_interval: Duration,
    ) -> Result<Self, AppError> {
        let config_path = store.path().display().to_string();
        let wallet = Wallet::open(store.dir())?;
        let ca_admins = CaAdmins::open(store.dir())?;
        let audit = AuditLog::in_dir(store.dir());
        Ok(Self {
            wallet: Mutex::new(wallet),
            ca_admins: Mutex::new(ca_admins),
            audit,
            fleet: Mutex::new(Fleet::open(store)?),
            config_path,
            keyring,
            sandbox: Vec::new(),
            sandbox_secrets: MemoryStore::default(),
            monitor: HealthMonitor::new(poll_interval),
            budgets: Budgets::default(),
        })
    }

    /// True when no console is configured: the app then shows the sandbox.
    pub fn fleet_is_empty(&self) -> bool {
        self.fleet().regions().is_empty()
    }

    /// Adds the sandbox's simulated regions (before [`Atlas::start_polling`]).
    pub fn add_sandbox(&mut self, regions: Vec<SandboxRegion>) -> Result<(), AppError> {
        for SandboxRegion { region, api_secret } in regions {
            let key = SecretKey::console_api_secret(&region.id);
            self.sandbox_secrets.put(&key, &api_secret)?;
            self.sandbox.push(region);
        }
        Ok(())
    }

    /// Starts a health poller for every region. Must be called within a tokio runtime.
    pub fn start_polling(&self) -> Result<(), AppError> {
        let regions: Vec<Region> = self.all_regions().into_iter().map(|(r, _)| r).collect();
        for region in regions {
            self.watch(&region)?;
        }
        Ok(())
    }

    pub fn info(&self) -> AppInfo {
        AppInfo {
            version: env!("CARGO_PKG_VERSION").into(),
            sandbox: !self.sandbox.is_empty(),
            poll_interval_ms: u32::try_from(self.monitor.interval().as_millis())
                .unwrap_or(u32::MAX),
            config_path: self.config_path.clone(),
        }
    }

    pub fn regions(&self) -> Vec<RegionView> {
        self.all_regions()
            .iter()
            .map(|(r, sandbox)| RegionView::new(r, *sandbox))
            .collect()
    }

    pub fn add_region(&self, new: NewRegion) -> Result<RegionView, AppError> {
        let region = self.fleet().add(new, self.keyring.as_ref())?;
        self.watch(&region)?;
        Ok(RegionView::new(&region, false))
    }

    pub fn edit_region(&self, id: &str, edit: RegionEdit) -> Result<RegionView, AppError> {
        self.refuse_sandbox(id)?;
        let region = self.fleet().edit(id, edit, self.keyring.as_ref())?;
        self.watch(&region)?;
        Ok(RegionView::new(&region, false))
    }

    pub fn remove_region(&self, id: &str) -> Result<(), AppError> {
        self.refuse_sandbox(id)?;
        self.fleet().remove(id, self.keyring.as_ref())?;
        self.monitor.unwatch(id);
        Ok(())
    }

    /// Tests a console with the form's values, or with the stored secret of `region_id`.
    pub async fn test_connection(
        &self,
        test: ConnectionTest,
    ) -> Result<ConnectionReport, AppError> {
        let url = parse_console_url(&test.console_url)
            .map_err(|e| AppError::invalid(format!("field 'consoleUrl': {}", e.message)))?;
        let secret = match (test.api_secret.filter(|s| !s.is_empty()), &test.region_id) {
            (Some(secret), _) => Secret::new(secret),
            (None, Some(id)) => self.secret_of(id)?,
            (None, None) => {
                return Err(AppError::invalid(
                    "field 'apiSecret': the API secret is required",
                ))
            }
        };
        if test.api_key.trim().is_empty() {
            return Err(AppError::invalid("field 'apiKey': the API key is required"));
        }
        let client = ConsoleClient::new(
            url.clone(),
            Credentials::ApiKey {
                key: test.api_key.trim().to_owned(),
                secret,
            },
            self.budgets.for_console(url.as_str()),
        )?;
        connection::test_connection(&client).await
    }

    /// Reads, validates and imports files into a region's console (identities go to the
    /// wallet). Any error finding refuses the whole batch before anything is sent or stored.
    pub async fn import_files(
        &self,
        region_id: &str,
        paths: &[PathBuf],
        dry_run: bool,
    ) -> Result<ImportReport, AppError> {
        let region = self.region(region_id)?;
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
        let client = self.client_for(&region)?;
        items.extend(
            files::import_components(&client, region_id, batch.items, dry_run, &self.audit).await?,
        );
        if !dry_run {
            self.monitor.poll_now(region_id);
        }
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
        let client = self.client_for(&self.region(region_id)?)?;
        files::export_component(&client, component_id).await
    }

    /// Copies components from one region's console to others (in parallel), duplicate-safe,
    /// verified by reading back, audited; `progress` sees every step, `cancel` stops between items.
    pub async fn transfer(
        &self,
        source_region_id: &str,
        component_ids: &[String],
        target_region_ids: &[String],
        dry_run: bool,
        cancel: &AtomicBool,
        progress: &(dyn Fn(TransferEvent) + Sync),
    ) -> Result<TransferReport, AppError> {
        if target_region_ids.iter().any(|t| t == source_region_id) {
            return Err(AppError::invalid(
                "a region cannot be its own transfer target",
            ));
        }
        let source = self.client_for(&self.region(source_region_id)?)?;
        let targets = target_region_ids
            .iter()
            .map(|id| Ok((id.clone(), self.client_for(&self.region(id)?)?)))
            .collect::<Result<Vec<_>, AppError>>()?;
        let items = transfer::read_from_source(&source, source_region_id, component_ids).await?;
        progress(TransferEvent::Read {
            items: u32::try_from(items.len()).unwrap_or(u32::MAX),
        });
        let targets =
            transfer::to_targets(&items, &targets, dry_run, cancel, &self.audit, progress).await;
        if !dry_run {
            target_region_ids
                .iter()
                .for_each(|id| self.monitor.poll_now(id));
        }
        Ok(TransferReport {
            source_region_id: source_region_id.to_owned(),
            dry_run,
            targets,
        })
    }

    /// The CAs among `component_ids` on a region, each with the admin enroll ids kept for it (the
    /// UI asks for the missing ones once, before the first transfer of that CA).
    pub async fn ca_admins_for(
        &self,
        region_id: &str,
        component_ids: &[String],
    ) -> Result<Vec<CaAdminStatus>, AppError> {
        let components = self.fresh_components(region_id).await?;
        let admins = self.ca_admins();
        let mut statuses = Vec::new();
        for component in &components {
            let Some(id) = component.get("id").and_then(serde_json::Value::as_str) else {
                continue;
            };
            if component_ids.iter().any(|c| c == id) {
                statuses.extend(admins.status(id, component, self.keyring.as_ref())?);
            }
        }
        Ok(statuses)
    }

    /// Keeps a CA's admin and TLS CA admin enroll credentials (secrets in the keyring) for
    /// every console the CA is copied to.
    pub async fn save_ca_admins(
        &self,
        region_id: &str,
        component_id: &str,
        credentials: &CaAdminCredentials,
    ) -> Result<CaAdminStatus, AppError> {
        let client = self.client_for(&self.region(region_id)?)?;
        let component = client.get_component(component_id).await?;
        let mut admins = self.ca_admins();
        admins.save(&component, credentials, self.keyring.as_ref())?;
        admins
            .status(component_id, &component, self.keyring.as_ref())?
            .ok_or_else(|| AppError::invalid(format!("'{component_id}' is not a CA")))
    }

    /// Brings an organization (its MSP definition and CA) from one region to others: the guide's
    /// steps 3 and 4 in one action. The org's admin identity stays in the wallet (consoles keep
    /// identities in the browser); its file is offered separately.
    pub async fn replicate_org(
        &self,
        source_region_id: &str,
        msp_id: &str,
        target_region_ids: &[String],
        dry_run: bool,
        cancel: &AtomicBool,
        progress: &(dyn Fn(TransferEvent) + Sync),
    ) -> Result<TransferReport, AppError> {
        let components = self.fresh_components(source_region_id).await?;
        let ids = org::org_component_ids(&components, msp_id);
        if ids.is_empty() {
            return Err(AppError::new(
                ErrorCode::NotFound,
                format!("no MSP definition with MSP id '{msp_id}' on region '{source_region_id}'"),
            ));
        }
        let mut report = self
            .transfer(
                source_region_id,
                &ids,
                target_region_ids,
                dry_run,
                cancel,
                progress,
            )
            .await?;
        self.carry_org_admins(msp_id, &mut report).await;
        Ok(report)
    }

    /// The third part of an org: the wallet identities that administer `msp_id` become its admin
    /// identity on every target the replication reached (one `identity` item each per target).
    /// The console never sees them; the wallet records where each one is admin.
    async fn carry_org_admins(&self, msp_id: &str, report: &mut TransferReport) {
        let admins: Vec<WalletEntry> = self
            .wallet()
            .entries()
            .iter()
            .filter(|e| e.msp_id.as_deref() == Some(msp_id))
            .cloned()
            .collect();
        if admins.is_empty() {
            return;
        }
        let dry_run = report.dry_run;
        let work = report
            .targets
            .iter_mut()
            .filter(|t| t.error.is_none())
            .map(|target| async {
                let items = self
                    .org_admin_items(&admins, &target.region_id, dry_run)
                    .await;
                target.items.extend(items);
            });
        join_all(work).await;
    }

    async fn org_admin_items(
        &self,
        admins: &[WalletEntry],
        region_id: &str,
        dry_run: bool,
    ) -> Vec<ItemReport> {
        let already = |entry: &WalletEntry| entry.admin_of.iter().any(|r| r == region_id);
        // A dry run only says what would change: the target may not hold the MSP yet.
        let components = if dry_run {
            None
        } else {
            Some(self.fresh_components(region_id).await)
        };
        let outcome = |entry: &WalletEntry| match &components {
            None if already(entry) => ItemOutcome::AlreadyThere {
                id: entry.name.clone(),
            },
            None => ItemOutcome::WouldCreate,
            Some(Err(e)) => ItemOutcome::Failed {
                reason: e.message.clone(),
            },
            Some(Ok(components)) => match self.admin_against(entry, region_id, components) {
                Ok(RegionAdminReport {
                    msp_component_id: Some(id),
                    ..
                }) if already(entry) => ItemOutcome::AlreadyThere { id },
                Ok(RegionAdminReport {
                    msp_component_id: Some(id),
                    ..
                }) => ItemOutcome::Created { id },
                Ok(refused) => ItemOutcome::Failed {
                    reason: refused
                        .findings
                        .iter()
                        .map(|f| format!("{}: {}", f.field, f.reason))
                        .collect::<Vec<_>>()
                        .join("; "),
                },
                Err(e) => ItemOutcome::Failed { reason: e.message },
            },
        };
        admins
            .iter()
            .map(|entry| ItemReport {
                source: format!("wallet/{}", entry.name),
                display_name: entry.name.clone(),
                kind: "identity".to_owned(),
                outcome: outcome(entry),
            })
            .collect()
    }

    /// A fresh list (`cache=skip`) of the components a region's console holds.
    async fn fresh_components(&self, region_id: &str) -> Result<Vec<serde_json::Value>, AppError> {
        let client = self.client_for(&self.region(region_id)?)?;
        Ok(client.list_components_raw(true).await?)
    }

    /// The guide's last step: every console learns every other console's peers and ordering
    /// nodes, each exactly once. With `dry_run` it is the plan: what goes where, what is there.
    pub async fn mesh(
        &self,
        dry_run: bool,
        cancel: &AtomicBool,
        progress: &(dyn Fn(TransferEvent) + Sync),
    ) -> Result<Vec<TargetReport>, AppError> {
        let regions: Vec<Region> = self.all_regions().into_iter().map(|(r, _)| r).collect();
        let clients = regions
            .iter()
            .map(|r| Ok((r.id.clone(), self.client_for(r)?)))
            .collect::<Result<Vec<_>, AppError>>()?;
        let mut nodes_by_region = Vec::new();
        let mut unreadable = Vec::new();
        for (id, client) in &clients {
            let nodes = match client.list_components_raw(true).await {
                Ok(components) => org::node_ids(&components),
                Err(e) => {
                    unreadable.push(TargetReport {
                        region_id: id.clone(),
                        items: Vec::new(),
                        error: Some(e.to_string()),
                    });
                    continue;
                }
            };
            let items = transfer::read_from_source(client, id, &nodes).await?;
            nodes_by_region.push((id.clone(), client, items));
        }
        let work = nodes_by_region.iter().map(|(target, client, _)| {
            let items = transfer::distinct(
                nodes_by_region
                    .iter()
                    .filter(|(source, _, _)| source != target)
                    .flat_map(|(_, _, items)| items.iter().cloned()),
            );
            let target = [(target.clone(), ConsoleClient::clone(client))];
            async move {
                transfer::to_targets(&items, &target, dry_run, cancel, &self.audit, progress).await
            }
        });
        let mut reports: Vec<TargetReport> = join_all(work).await.into_iter().flatten().collect();
        if !dry_run {
            reports
                .iter()
                .for_each(|r| self.monitor.poll_now(&r.region_id));
        }
        reports.extend(unreadable);
        Ok(reports)
    }

    /// A whole region as the console's bulk ZIP (components; identities stay in the wallet).
    pub async fn export_region_zip(&self, region_id: &str) -> Result<Vec<u8>, AppError> {
        let client = self.client_for(&self.region(region_id)?)?;
        files::export_region_zip(&client).await
    }

    pub fn identities(&self) -> Vec<IdentityView> {
        self.wallet()
            .entries()
            .iter()
            .map(identities::view)
            .collect()
    }

    /// Imports identity files (console or Ansible format, or age-encrypted with `passphrase`)
    /// into the wallet.
    pub fn import_identities(
        &self,
        paths: &[PathBuf],
        passphrase: Option<&Secret>,
    ) -> Result<ImportReport, AppError> {
        let read = files::read_identity_paths(paths, passphrase, SystemTime::now());
        let (batch, warnings) = match read {
            Ok(read) => read,
            Err(findings) => return Ok(ImportReport::refused("wallet", false, findings)),
        };
        let mut wallet = self.wallet();
        let items = batch
            .iter()
            .map(|(source, identity)| {
                identities::add_to_wallet(&mut wallet, self.keyring.as_ref(), source, identity)
            })
            .collect();
        Ok(ImportReport {
            region_id: "wallet".into(),
            dry_run: false,
            refused: false,
            findings: warnings,
            items,
        })
    }

    /// An identity as a file (console format, or age-encrypted).
    pub fn export_identity(
        &self,
        name: &str,
        passphrase: Option<&Secret>,
    ) -> Result<ExportedFile, AppError> {
        identities::export(&self.wallet(), self.keyring.as_ref(), name, passphrase)
    }

    /// Makes a wallet identity an admin identity of an org whose MSP definition is on a region's
    /// console: refused with findings unless its certificate chains to that MSP's roots (the
    /// console only lets such identities manage the org's nodes).
    pub async fn associate_identity(
        &self,
        name: &str,
        region_id: &str,
        msp_component_id: &str,
    ) -> Result<Vec<Finding>, AppError> {
        let client = self.client_for(&self.region(region_id)?)?;
        let component = client.get_component(msp_component_id).await?;
        let entry = self.wallet_entry(name)?;
        let (msp_id, findings) =
            check_identity_against_msp(&entry, msp_component_id, region_id, &component)?;
        if let (false, Some(msp_id)) = (artifacts::has_errors(&findings), msp_id) {
            self.wallet().set_region_admin(name, region_id, &msp_id)?;
        }
        Ok(findings)
    }

    /// An identity dropped on a region becomes the org's admin identity there: the region must
    /// hold the org's MSP definition, and the identity's certificate must chain to its roots.
    /// Recorded in the wallet; the console itself never sees the identity.
    pub async fn make_region_admin(
        &self,
        name: &str,
        region_id: &str,
    ) -> Result<RegionAdminReport, AppError> {
        let entry = self.wallet_entry(name)?;
        let components = self.fresh_components(region_id).await?;
        self.admin_against(&entry, region_id, &components)
    }

    /// Makes `entry` its org's admin identity on `region_id` when one of the region's MSP
    /// definitions (in `components`, a fresh list) of that org accepts its certificate.
    fn admin_against(
        &self,
        entry: &WalletEntry,
        region_id: &str,
        components: &[serde_json::Value],
    ) -> Result<RegionAdminReport, AppError> {
        let name = entry.name.as_str();
        let msps = org::msps(components, entry.msp_id.as_deref());
        if msps.is_empty() {
            let org = entry
                .msp_id
                .as_deref()
                .map(|m| format!(" for org '{m}'"))
                .unwrap_or_default();
            return Err(AppError::new(
                ErrorCode::NotFound,
                format!(
                    "region '{region_id}' has no MSP definition{org}: copy the org's MSP there first"
                ),
            ));
        }
        let mut refusals = Vec::new();
        for (msp_component_id, msp) in msps {
            let (msp_id, findings) =
                check_identity_against_msp(entry, &msp_component_id, region_id, msp)?;
            match msp_id {
                Some(msp_id) if !artifacts::has_errors(&findings) => {
                    self.wallet().set_region_admin(name, region_id, &msp_id)?;
                    return Ok(RegionAdminReport {
                        identity: name.to_owned(),
                        region_id: region_id.to_owned(),
                        msp_id: Some(msp_id),
                        msp_component_id: Some(msp_component_id),
                        findings,
                    });
                }
                _ => refusals.extend(findings),
            }
        }
        Ok(RegionAdminReport {
            identity: name.to_owned(),
            region_id: region_id.to_owned(),
            msp_id: None,
            msp_component_id: None,
            findings: refusals,
        })
    }

    fn wallet_entry(&self, name: &str) -> Result<WalletEntry, AppError> {
        self.wallet().get(name).cloned().ok_or_else(|| {
            AppError::new(
                ErrorCode::NotFound,
                format!("no identity named '{name}' in the wallet"),
            )
        })
    }

    pub fn remove_identity(&self, name: &str) -> Result<(), AppError> {
        self.wallet().remove(name, self.keyring.as_ref())
    }

    pub fn audit_entries(&self) -> Result<Vec<AuditEntry>, AppError> {
        self.audit.read()
    }

    pub fn health(&self) -> HealthSnapshot {
        self.monitor.snapshot()
    }

    pub fn subscribe_health(&self) -> watch::Receiver<HealthSnapshot> {
        self.monitor.subscribe()
    }

    fn watch(&self, region: &Region) -> Result<(), AppError> {
        let client = self.client_for(region)?;
        self.monitor.watch(&region.id, client);
        Ok(())
    }

    fn client_for(&self, region: &Region) -> Result<ConsoleClient, AppError> {
        client_for(region, self.secret_of(&region.id)?, &self.budgets)
    }

    fn secret_of(&self, region_id: &str) -> Result<Secret, AppError> {
        let key = SecretKey::console_api_secret(region_id);
        let store: &dyn SecretStore = if self.is_sandbox(region_id) {
            &self.sandbox_secrets
        } else {
            self.keyring.as_ref()
        };
        store.get(&key)?.ok_or_else(|| {
            AppError::new(
                ErrorCode::Keyring,
                format!("no API secret in the OS keyring for region '{region_id}'; edit the region to enter it"),
            )
        })
    }

    fn all_regions(&self) -> Vec<(Region, bool)> {
        let sandbox = self.sandbox.iter().map(|r| (r.clone(), true));
        let configured = self
            .fleet()
            .regions()
            .iter()
            .map(|r| (r.clone(), false))
            .collect::<Vec<_>>();
        sandbox.chain(configured).collect()
    }

    fn region(&self, id: &str) -> Result<Region, AppError> {
        self.all_regions()
            .into_iter()
            .map(|(r, _)| r)
            .find(|r| r.id == id)
            .ok_or_else(|| AppError::new(ErrorCode::NotFound, format!("no region with id '{id}'")))
    }

    fn ca_admins(&self) -> MutexGuard<'_, CaAdmins> {
        self.ca_admins.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn wallet(&self) -> MutexGuard<'_, Wallet> {
        self.wallet.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn is_sandbox(&self, id: &str) -> bool {
        self.sandbox.iter().any(|r| r.id == id)
    }

    fn refuse_sandbox(&self, id: &str) -> Result<(), AppError> {
        if self.is_sandbox(id) {
            return Err(AppError::invalid(format!(
                "'{id}' is a simulated sandbox region; it cannot be edited or removed"
            )));
        }
        Ok(())
    }

    fn fleet(&self) -> MutexGuard<'_, Fleet> {
        self.fleet.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Checks a wallet identity against an MSP definition read from a console: its MSP id, and the
/// findings (errors when the identity does not chain to the MSP's roots).
fn check_identity_against_msp(
    entry: &WalletEntry,
    msp_component_id: &str,
    region_id: &str,
    component: &serde_json::Value,
) -> Result<(Option<String>, Vec<Finding>), AppError> {
    let msp_file = format!("{msp_component_id} on {region_id}");
    let msp = match artifacts::read_file(
        &msp_file,
        component.to_string().as_bytes(),
        SystemTime::now(),
    ) {
        Ok(parsed) => parsed.items.into_iter().find_map(|i| match i.artifact {
            Artifact::Msp(msp) => Some(msp),
            _ => None,
        }),
        Err(findings) => return Ok((None, findings)),
    }
    .ok_or_else(|| {
        AppError::invalid(format!(
            "'{msp_component_id}' on {region_id} is not an MSP definition"
        ))
    })?;
    let identity = Identity {
        name: entry.name.clone(),
        cert: entry.cert.clone(),
        private_key: None,
        ca: entry.ca.clone(),
        hsm: false,
        format: IdentityFormat::Console,
    };
    let findings = artifacts::validate_identity_for_msp(
        &format!("identity '{}'", entry.name),
        &identity,
        &msp,
        SystemTime::now(),
    );
    Ok((msp.msp_id, findings))
}

/// A client for a region's console with its API key and `secret`, on the console's shared budget.
pub fn client_for(
    region: &Region,
    secret: Secret,
    budgets: &Budgets,
) -> Result<ConsoleClient, AppError> {
    let url = parse_console_url(&region.console_url)?;
    let budget = budgets.for_console(url.as_str());
    let credentials = Credentials::ApiKey {
        key: region.api_key.clone(),
        secret,
    };
    ConsoleClient::new(url, credentials, budget)
}
