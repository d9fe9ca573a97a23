//! The application service: what the desktop shell and the CLI call, one function at a time.
//!
//! Split by use case, each an `impl Atlas` of its own: [`regions`] (the fleet, its secrets and
//! "test connection"), [`operations`] (files to and from consoles, transfer, replicate org, full
//! mesh), [`wallet`] (identities, region admins, CA admin credentials), [`certificates`] (the
//! certificate calendar), [`posture`] (the HA posture and placements), [`drift`] (copies that
//! differ, and making them equal), [`details`] (one component in full), [`ca`] (Fabric CA:
//! admins verified, identities registered and enrolled). This file holds the state
//! they share: one [`ConsoleClient`] per region, built once with the secret read once from the
//! keyring and kept (one connection pool per console), and the health monitor.

mod ca;
mod certificates;
mod details;
mod drift;
mod operations;
mod posture;
mod regions;
mod wallet;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use tokio::sync::{broadcast, watch};

pub use ca::{
    CaServerInfo, NamedCaInfo, RegisterOutcome, RegisterReport, RegisterRequest, RegisteredOn,
};
pub use details::{ComponentDetails, Endpoint};

use crate::audit::{AuditLog, AuditRead};
use crate::budget::Budgets;
use crate::ca_admins::CaAdmins;
use crate::client::{http_client, parse_console_url, ClientSettings, ConsoleClient, Credentials};
use crate::console_lock::{ConsoleLocks, DEFAULT_LOCK_WAIT};
use crate::error::{AppError, ErrorCode};
use crate::fleet::{Fleet, FleetStore, Region};
use crate::health::{
    HealthMonitor, HealthSnapshot, HealthState, DEFAULT_POLL_INTERVAL, DEFAULT_SLOW_AFTER,
};
use crate::homes::Homes;
use crate::ipc::{AppInfo, Change};
use crate::machine_state::machine_state_dir;
use crate::profile::ProfileSecrets;
use crate::refusals::Refusals;
use crate::secrets::{MemoryStore, Secret, SecretKey, SecretStore};
use crate::wallet::Wallet;

/// A region of the built-in sandbox, with its throwaway credentials.
#[derive(Debug, Clone)]
pub struct SandboxRegion {
    pub region: Region,
    pub api_secret: Secret,
}

/// How the service talks to consoles. The defaults suit real consoles; tests shorten them.
#[derive(Debug, Clone)]
pub struct AtlasOptions {
    pub poll_interval: Duration,
    pub client: ClientSettings,
    /// Shared by every process of this user (console locks); `None`: the machine's default.
    pub state_dir: Option<PathBuf>,
    /// How long an operation waits for another one on the same console.
    pub console_lock_wait: Duration,
    /// A console answering slower than this is shown as slow.
    pub slow_after: Duration,
    /// A CA admin identity whose certificate expires within this is re-enrolled before it signs.
    pub renew_ca_admins_within: Duration,
}

impl Default for AtlasOptions {
    fn default() -> Self {
        Self {
            poll_interval: DEFAULT_POLL_INTERVAL,
            client: ClientSettings::default(),
            state_dir: None,
            console_lock_wait: DEFAULT_LOCK_WAIT,
            slow_after: DEFAULT_SLOW_AFTER,
            renew_ca_admins_within: Duration::from_secs(30 * 86_400),
        }
    }
}

/// How often the app looks for changes other processes made to its config files.
pub const CONFIG_REFRESH_INTERVAL: Duration = Duration::from_secs(2);

pub struct Atlas {
    fleet: Mutex<Fleet>,
    config_path: String,
    keyring: Arc<dyn SecretStore>,
    /// Simulated regions; their generated secrets never reach the OS keyring or a file.
    sandbox: Vec<Region>,
    sandbox_secrets: Arc<MemoryStore>,
    options: AtlasOptions,
    /// One client per region, kept until the region is edited or removed, all on one HTTP
    /// client (built on first use: it loads the TLS roots).
    clients: Mutex<HashMap<String, ConsoleClient>>,
    http: OnceLock<reqwest::Client>,
    monitor: HealthMonitor,
    /// Set by [`Atlas::start_polling`]: only then do added or edited regions get a poller.
    polling: AtomicBool,
    budgets: Budgets,
    wallet: Mutex<Wallet>,
    ca_admins: Mutex<CaAdmins>,
    /// Homes recorded for copies, and the administrator's placements.
    homes: Mutex<Homes>,
    audit: AuditLog,
    /// The audit log's length when last looked at (see [`Atlas::refresh_config`]).
    audit_len: AtomicU64,
    /// One writer per console across every process of this user.
    locks: ConsoleLocks,
    changes: broadcast::Sender<Change>,
}

impl Atlas {
    pub fn open(
        store: FleetStore,
        keyring: Arc<dyn SecretStore>,
        options: AtlasOptions,
    ) -> Result<Self, AppError> {
        let config_path = store.path().display().to_string();
        // The keyring is the user's; this profile's entries are its own.
        let keyring: Arc<dyn SecretStore> = Arc::new(ProfileSecrets::new(store.dir(), keyring));
        let wallet = Wallet::open(store.dir())?;
        let ca_admins = CaAdmins::open(store.dir())?;
        let homes = Homes::open(store.dir())?;
        let audit = AuditLog::in_dir(store.dir());
        let state_dir = match &options.state_dir {
            Some(dir) => dir.clone(),
            None => machine_state_dir()?,
        };
        let locks = ConsoleLocks::new(&state_dir, options.console_lock_wait);
        let mut options = options;
        options
            .client
            .refusals
            .get_or_insert_with(|| Refusals::new(&state_dir));
        Ok(Self {
            locks,
            wallet: Mutex::new(wallet),
            ca_admins: Mutex::new(ca_admins),
            homes: Mutex::new(homes),
            audit_len: AtomicU64::new(audit.size()),
            audit,
            fleet: Mutex::new(Fleet::open(store)?),
            config_path,
            keyring,
            sandbox: Vec::new(),
            sandbox_secrets: Arc::default(),
            monitor: HealthMonitor::new(options.poll_interval).with_slow_after(options.slow_after),
            polling: AtomicBool::new(false),
            options,
            clients: Mutex::new(HashMap::new()),
            http: OnceLock::new(),
            budgets: Budgets::shared(&state_dir),
            changes: broadcast::channel(64).0,
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
        self.polling.store(true, Ordering::SeqCst);
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
            commit: None,
            log_dir: None,
            keyring_problem: self.keyring.problem(),
        }
    }

    /// The audit log, with the names of the regions it names.
    pub fn audit_entries(&self) -> Result<AuditRead, AppError> {
        let mut read = self.audit.read()?;
        read.regions = read
            .region_ids()
            .iter()
            .map(|id| self.region_name(id))
            .collect();
        Ok(read)
    }

    pub fn health(&self) -> HealthSnapshot {
        self.monitor.snapshot()
    }

    pub fn subscribe_health(&self) -> watch::Receiver<HealthSnapshot> {
        self.monitor.subscribe()
    }

    /// Every [`Change`] a mutation makes, as it happens.
    pub fn subscribe_changes(&self) -> broadcast::Receiver<Change> {
        self.changes.subscribe()
    }

    /// Reads the config files and the audit log again for what other processes (`atlas` runs)
    /// changed, and tells subscribers like the app's own changes; regions added, edited or
    /// removed elsewhere are polled or dropped here too. The app calls it every few seconds.
    pub fn refresh_config(&self) -> Result<Vec<Change>, AppError> {
        let mut changes = Vec::new();
        let before = self.fleet().regions().to_vec();
        if self.fleet().reload()? {
            let after = self.fleet().regions().to_vec();
            for gone in before
                .iter()
                .filter(|r| !after.iter().any(|a| a.id == r.id))
            {
                self.forget_client(&gone.id);
                self.monitor.unwatch(&gone.id);
            }
            for region in after.iter().filter(|r| !before.contains(r)) {
                self.forget_client(&region.id);
                self.watch(region)?;
            }
            changes.push(Change::Regions);
        }
        if self.wallet().reload()? {
            changes.push(Change::Wallet);
        }
        if self.ca_admins().reload()? {
            changes.push(Change::CaAdmins);
        }
        if self.homes().reload()? {
            changes.push(Change::Homes);
        }
        let audit_len = self.audit.size();
        if self.audit_len.swap(audit_len, Ordering::SeqCst) != audit_len {
            changes.push(Change::Audit);
        }
        for change in &changes {
            self.changed(*change);
        }
        Ok(changes)
    }

    /// Tells subscribers (none is fine) that `change` happened.
    fn changed(&self, change: Change) {
        let _ = self.changes.send(change);
    }

    /// Polls a region's health, once polling was started (the app; never the CLI).
    fn watch(&self, region: &Region) -> Result<(), AppError> {
        if !self.is_polling() {
            return Ok(());
        }
        match self.client_for(region) {
            Ok(client) => self.monitor.watch(&region.id, client),
            // The app opens anyway (a synced config on a new machine, a reset keyring): the
            // region says what is missing, and gets polled once its secret is entered.
            Err(e) if e.code == ErrorCode::Keyring => {
                self.monitor
                    .hold(&region.id, HealthState::NoSecret, e.message)
            }
            Err(e) => return Err(e),
        }
        Ok(())
    }

    /// The region's client: built on first use (its secret read once from the keyring), then
    /// reused, so every call to one console shares one connection pool.
    fn client_for(&self, region: &Region) -> Result<ConsoleClient, AppError> {
        if let Some(client) = self.kept_client(&region.id) {
            return Ok(client);
        }
        let secret = self.secret_of(&region.id)?;
        self.keep_client(region, secret)
    }

    /// The clients of regions `ids`, in order. The secrets of those not built yet are read at
    /// once (each keyring read is a D-Bus round trip of its own), while the HTTP client they
    /// share is built (it loads the TLS roots).
    async fn clients_of(&self, ids: &[&str]) -> Result<Vec<(String, ConsoleClient)>, AppError> {
        let regions = ids
            .iter()
            .map(|id| self.region(id))
            .collect::<Result<Vec<_>, _>>()?;
        let missing: Vec<&Region> = regions
            .iter()
            .filter(|r| self.kept_client(&r.id).is_none())
            .collect();
        let reads = missing.iter().map(|region| {
            let store = self.secret_store(&region.id);
            let key = SecretKey::console_api_secret(&region.id);
            async move {
                let read = tokio::task::spawn_blocking(move || store.get(&key)).await;
                read.map_err(|e| AppError::new(ErrorCode::Keyring, e.to_string()))??
                    .ok_or_else(|| missing_secret(&region.id))
            }
        });
        let build_http = async {
            if self.http.get().is_none() && !missing.is_empty() {
                let settings = self.options.client.clone();
                if let Ok(Ok(http)) =
                    tokio::task::spawn_blocking(move || http_client(&settings)).await
                {
                    let _ = self.http.set(http);
                }
            }
        };
        let (secrets, ()) = futures::join!(futures::future::try_join_all(reads), build_http);
        for (region, secret) in missing.iter().zip(secrets?) {
            self.keep_client(region, secret)?;
        }
        regions
            .iter()
            .map(|r| Ok((r.id.clone(), self.client_for(r)?)))
            .collect()
    }

    fn http(&self) -> Result<reqwest::Client, AppError> {
        if let Some(http) = self.http.get() {
            return Ok(http.clone());
        }
        let http = http_client(&self.options.client)?;
        Ok(self.http.get_or_init(|| http).clone())
    }

    fn kept_client(&self, region_id: &str) -> Option<ConsoleClient> {
        let clients = self.clients.lock().unwrap_or_else(|p| p.into_inner());
        clients.get(region_id).cloned()
    }

    fn keep_client(&self, region: &Region, secret: Secret) -> Result<ConsoleClient, AppError> {
        let url = parse_console_url(&region.console_url)?;
        let credentials = Credentials::ApiKey {
            key: region.api_key.clone(),
            secret,
        };
        let budget = self.budgets.for_console(url.as_str());
        // A console whose certificate the user trusts gets a connection pool of its own, with
        // that certificate added to the system's roots; every other console shares one.
        let client = match &region.trusted_certificate {
            Some(pem) => {
                let settings = ClientSettings {
                    trusted_certificate: Some(pem.clone()),
                    ..self.options.client.clone()
                };
                ConsoleClient::new(url, credentials, budget, &settings)?
            }
            None => ConsoleClient::on(self.http()?, url, credentials, budget, &self.options.client),
        };
        let mut clients = self.clients.lock().unwrap_or_else(|p| p.into_inner());
        Ok(clients.entry(region.id.clone()).or_insert(client).clone())
    }

    /// The client of region `id`.
    fn client_of(&self, id: &str) -> Result<ConsoleClient, AppError> {
        self.client_for(&self.region(id)?)
    }

    /// Drops a region's kept client (its console or credentials changed).
    fn forget_client(&self, region_id: &str) {
        self.clients
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(region_id);
    }

    fn secret_of(&self, region_id: &str) -> Result<Secret, AppError> {
        let key = SecretKey::console_api_secret(region_id);
        self.secret_store(region_id)
            .get(&key)?
            .ok_or_else(|| missing_secret(region_id))
    }

    /// Where a region's API secret lives: the OS keyring, or memory for the sandbox.
    fn secret_store(&self, region_id: &str) -> Arc<dyn SecretStore> {
        if self.is_sandbox(region_id) {
            self.sandbox_secrets.clone()
        } else {
            Arc::clone(&self.keyring)
        }
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
            .ok_or_else(|| {
                AppError::new(
                    ErrorCode::NotFound,
                    format!("no region '{id}' is configured"),
                )
            })
    }

    fn is_sandbox(&self, id: &str) -> bool {
        self.sandbox.iter().any(|r| r.id == id)
    }

    fn ca_admins(&self) -> MutexGuard<'_, CaAdmins> {
        self.ca_admins.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn homes(&self) -> MutexGuard<'_, Homes> {
        self.homes.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether the health monitor polls (the app; never the CLI).
    fn is_polling(&self) -> bool {
        self.polling.load(Ordering::SeqCst)
    }

    fn wallet(&self) -> MutexGuard<'_, Wallet> {
        self.wallet.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn fleet(&self) -> MutexGuard<'_, Fleet> {
        self.fleet.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Every region with what its console lists now (or why it could not be read), in the fleet's
/// order: what the views across consoles (certificates, posture, drift, details) are read from.
struct Listed {
    regions: Vec<Region>,
    lists: Vec<Result<Vec<crate::component::Component>, AppError>>,
}

impl Listed {
    /// Each console's components, `None` where it could not be read.
    fn read(&self) -> Vec<Option<&[crate::component::Component]>> {
        self.lists
            .iter()
            .map(|l| l.as_ref().ok().map(Vec::as_slice))
            .collect()
    }

    /// The consoles that could not be read, and why.
    fn unread(&self) -> Vec<crate::ipc::UnreadRegion> {
        self.regions
            .iter()
            .zip(&self.lists)
            .filter_map(|(r, l)| {
                l.as_ref().err().map(|e| crate::ipc::UnreadRegion {
                    region_id: r.id.clone(),
                    name: r.name.clone(),
                    message: e.message.clone(),
                })
            })
            .collect()
    }
}

impl Atlas {
    /// Lists every console at once, one GET each.
    async fn list_every_console(&self) -> Listed {
        let regions: Vec<Region> = self.all_regions().into_iter().map(|(r, _)| r).collect();
        let lists = futures::future::join_all(regions.iter().map(|r| self.components(&r.id))).await;
        Listed { regions, lists }
    }
}

fn missing_secret(region_id: &str) -> AppError {
    AppError::new(
        ErrorCode::Keyring,
        format!(
            "no API secret in this machine's keyring for region '{region_id}': enter it (Edit \
             region in the app, or atlas region set-secret {region_id})"
        ),
    )
}
