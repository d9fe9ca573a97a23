//! One region's console: its state, and opening it from its data folder (initial admin user
//! and manager API key made at first start and kept).

use anyhow::{Context, Result};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;

use crate::accounts::{all_roles, create_api_key, create_user};
use crate::faults::{Faults, RequestLog};
use crate::lockout::Lockout;
use crate::options::{CaAdmin, Limits, RegionInfo};
use crate::probe::Prober;
use crate::ratelimit::RateLimits;
use crate::server::bind_loopback;
use crate::store::{already_open, Doc, Store};
use crate::util::{now_ms, random_alnum, random_lower};

/// How long a deleted component is still served by a plain GET (athena's cache TTL).
pub(crate) const STALE_TTL: Duration = Duration::from_secs(30);

/// How long athena caches a by-type view (`get_components_by_type`, `expires: 2 min`).
/// Writes do not evict it, so a type listing can miss recent imports (recordings 73, 78).
pub(crate) const TYPE_VIEW_TTL: Duration = Duration::from_secs(120);

/// A cached by-type view: the documents, whether the store was empty, and the expiry.
type TypeView = (Vec<Doc>, bool, Instant);

pub(crate) struct RegionState {
    pub index: usize,
    pub name: String,
    pub location: String,
    pub console_url: String,
    pub port: u16,
    /// Shared with the region's simulated CAs, whose registries live in it too.
    pub store: Arc<Store>,
    /// athena's `ATHENA_ID`, new at every start.
    pub instance_id: String,
    pub born_ms: u64,
    pub limits: Limits,
    pub faults: Faults,
    pub log: RequestLog,
    pub lockout: Lockout,
    pub rate: RateLimits,
    pub prober: Prober,
    /// Deleted documents still answered by a plain GET: id -> (answer, until).
    pub stale: Mutex<HashMap<String, (Value, Instant)>>,
    /// By-type views: type -> cached result.
    pub type_views: Mutex<HashMap<String, TypeView>>,
    pub cache_hits: AtomicU64,
    pub cache_misses: AtomicU64,
    pub admin_email: String,
    pub admin_password: String,
    pub manager_key: String,
    pub manager_secret: String,
    /// The bootstrap identity of every CA the region hosts (both CAs of each).
    pub ca_admin: CaAdmin,
}

impl RegionState {
    pub(crate) fn info(&self) -> RegionInfo {
        RegionInfo {
            index: self.index,
            name: self.name.clone(),
            location: self.location.clone(),
            console_url: self.console_url.clone(),
            api_key: self.manager_key.clone(),
            api_secret: self.manager_secret.clone(),
        }
    }

    /// The stale answer for `id`, if the cache still holds one.
    pub(crate) fn stale_answer(&self, id: &str) -> Option<Value> {
        let mut stale = self.stale.lock().unwrap_or_else(|e| e.into_inner());
        match stale.get(id) {
            Some((answer, until)) if Instant::now() < *until => Some(answer.clone()),
            Some(_) => {
                stale.remove(id);
                None
            }
            None => None,
        }
    }

    pub(crate) fn remember_stale(&self, id: &str, answer: Value) {
        let mut stale = self.stale.lock().unwrap_or_else(|e| e.into_inner());
        stale.insert(id.to_string(), (answer, Instant::now() + STALE_TTL));
    }

    /// The cached by-type view for `kind` (documents, store was empty), if still fresh.
    pub(crate) fn cached_type_view(&self, kind: &str) -> Option<(Vec<Doc>, bool)> {
        let views = self.type_views.lock().unwrap_or_else(|e| e.into_inner());
        views
            .get(kind)
            .filter(|(_, _, until)| Instant::now() < *until)
            .map(|(docs, empty, _)| (docs.clone(), *empty))
    }

    pub(crate) fn cache_type_view(&self, kind: &str, docs: Vec<Doc>, store_empty: bool) {
        let mut views = self.type_views.lock().unwrap_or_else(|e| e.into_inner());
        views.insert(
            kind.to_string(),
            (docs, store_empty, Instant::now() + TYPE_VIEW_TTL),
        );
    }

    /// A write to `id` replaces whatever the cache held for it.
    pub(crate) fn forget_stale(&self, id: &str) {
        let mut stale = self.stale.lock().unwrap_or_else(|e| e.into_inner());
        stale.remove(id);
    }
}

/// Where and how to open one region.
pub(crate) struct RegionSetup<'a> {
    pub index: usize,
    pub name: String,
    pub location: String,
    pub data_dir: &'a Path,
    /// 0 = reuse the last port if free, else any.
    pub port: u16,
    pub limits: Limits,
    pub ca_admin: CaAdmin,
}

/// Opens the region's store, makes its first-start credentials, binds its console port.
pub(crate) async fn open_region(setup: RegionSetup<'_>) -> Result<(RegionState, TcpListener)> {
    let path = setup.data_dir.join(format!("region-{}.redb", setup.index));
    let store = open_store(&path).await?;

    let (admin_email, admin_password) =
        match (store.meta("admin_email")?, store.meta("admin_password")?) {
            (Some(e), Some(p)) => (e, p),
            _ => {
                let email = format!("admin@{}.example", setup.location);
                let password = random_alnum(20);
                create_user(&store, &email, &password, &all_roles())?;
                store.set_meta("admin_email", &email)?;
                store.set_meta("admin_password", &password)?;
                (email, password)
            }
        };

    // the manager key is reported to callers, so its secret is kept (this is a test console);
    // if someone deleted it through the API, a new one is made
    let existing = match (store.meta("manager_key")?, store.meta("manager_secret")?) {
        (Some(k), Some(s)) if store.api_key(&k)?.is_some() => Some((k, s)),
        _ => None,
    };
    let (manager_key, manager_secret) = match existing {
        Some(pair) => pair,
        None => {
            let (k, s) = create_api_key(&store, &all_roles(), "emulator manager key")?;
            store.set_meta("manager_key", &k)?;
            store.set_meta("manager_secret", &s)?;
            (k, s)
        }
    };

    let listener = bind_console(&store, setup.port).await?;
    let port = listener.local_addr()?.port();
    store.set_meta("console_port", &port.to_string())?;

    let limits = setup.limits;
    let state = RegionState {
        index: setup.index,
        name: setup.name,
        location: setup.location,
        console_url: format!("http://127.0.0.1:{port}"),
        port,
        store: Arc::new(store),
        instance_id: random_lower(5),
        born_ms: now_ms(),
        faults: Faults::new(),
        log: RequestLog::new(),
        lockout: Lockout::new(limits.lockout_failures, limits.lockout_window),
        rate: RateLimits::new(limits.get_per_min, limits.non_get_per_min),
        prober: Prober::new()?,
        stale: Mutex::new(HashMap::new()),
        type_views: Mutex::new(HashMap::new()),
        cache_hits: AtomicU64::new(0),
        cache_misses: AtomicU64::new(0),
        admin_email,
        admin_password,
        manager_key,
        manager_secret,
        limits,
        ca_admin: setup.ca_admin,
    };
    Ok((state, listener))
}

/// Opens the store, waiting a little if a previous emulator on the same folder is still
/// letting go of it (a dropped, not shut down, emulator stops its tasks asynchronously).
pub(crate) async fn open_store(path: &Path) -> Result<Store> {
    for _ in 0..50 {
        match Store::open(path) {
            Err(e) if already_open(&e) => tokio::time::sleep(Duration::from_millis(100)).await,
            other => return other,
        }
    }
    Store::open(path)
}

async fn bind_console(store: &Store, port: u16) -> Result<TcpListener> {
    if port != 0 {
        return bind_loopback(port)
            .await
            .with_context(|| format!("binding console port {port}"));
    }
    if let Some(last) = store
        .meta("console_port")?
        .and_then(|p| p.parse::<u16>().ok())
    {
        if let Ok(listener) = bind_loopback(last).await {
            return Ok(listener);
        }
    }
    Ok(bind_loopback(0).await?)
}
