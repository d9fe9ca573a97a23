//! Live health of every region's console and of the components it manages.
//!
//! One task per region polls its console: one `GET /components` per tick (reachability, latency,
//! auth validity, the component list) and a `POST /components/status` (the console probes each
//! node's `/healthz` or `/cainfo`) every [`STATUS_EVERY_POLLS`] ticks or after a change: at the 5 s
//! tick 12 GETs and 4 POSTs a minute, leaving most of the console's 100 GET / 25 non-GET to the
//! operator. A throttled poll (429, or the machine's budget for the console spent) keeps what the
//! console last said. Subscribers see a new snapshot only when something significant changed, so
//! the UI is not woken every tick.
//!
//! Safety: after a 401 the poller stops sending credentials (five failures lock the client out) and
//! only watches the public healthcheck until the region is re-watched with new credentials; after a
//! 402 it stays silent for the whole lockout, since every refused request extends it.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::Serialize;
use tokio::sync::{watch, Notify};
use tokio::task::JoinHandle;
use ts_rs::TS;

mod history;

pub use history::{HealthHistory, HealthRun};

use crate::client::{ConsoleClient, ConsoleError, FailureKind, StatusEntry};
use crate::component::Component;
pub use crate::component::ComponentKind;
use crate::org::{self, OrderingService, OrgOnConsole};

/// A console answering slower than this is shown as slow.
pub const DEFAULT_SLOW_AFTER: Duration = Duration::from_secs(1);

/// The default time between two polls of one console.
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(5);

/// The component status call is a POST, and a console allows only 25 of those a minute per
/// client: the poller asks it every this many polls (every 15 s by default, so at most 4 of the
/// 25 a minute), and at once when the components changed or the app changed the console. The
/// list between them is a GET, of which a console allows 100.
pub const STATUS_EVERY_POLLS: u32 = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum HealthState {
    /// Not polled yet.
    Unknown,
    /// Reachable, credentials accepted, every component reports ok.
    Healthy,
    /// Reachable, but at least one component is not ok or could not be checked.
    Degraded,
    /// No answer: connection refused or reset, DNS, TLS, timeout.
    Unreachable,
    /// Reachable, but the API key or secret is refused.
    Unauthorized,
    /// The console locked this client out after repeated auth failures.
    LockedOut,
    RateLimited,
    /// Answers, but slower than the threshold (1 s by default): operations will crawl.
    Slow,
    /// The region's API secret is not in this machine's keyring (a config synced from another
    /// machine, a keyring reset): nothing is sent until it is entered.
    NoSecret,
    /// Reachable, but the console answers with errors (5xx).
    Failing,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ComponentStatus {
    Ok,
    NotOk,
    /// The console could not tell (or the status call failed).
    Unknown,
    /// Nothing to probe (an MSP definition).
    NotApplicable,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ComponentHealth {
    pub id: String,
    pub display_name: String,
    pub kind: ComponentKind,
    pub msp_id: Option<String>,
    pub status: ComponentStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RegionHealth {
    pub region_id: String,
    pub state: HealthState,
    /// Round trip of the last authenticated (or public) call, in milliseconds.
    pub latency_ms: Option<u32>,
    /// Why the state is not healthy, for a human.
    pub message: Option<String>,
    pub components: Vec<ComponentHealth>,
    /// The orgs whose MSP definitions the console holds (what "replicate org" offers).
    pub orgs: Vec<OrgOnConsole>,
    /// The ordering services its ordering nodes form (a drag of one copies its nodes).
    pub ordering_services: Vec<OrderingService>,
    /// Set when the console did not answer this time: the components shown are those it listed
    /// when it last did, at this moment (milliseconds since the epoch), with their statuses
    /// unknown.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub last_seen_ms: Option<u64>,
}

impl RegionHealth {
    pub fn unknown(region_id: &str) -> Self {
        Self {
            region_id: region_id.to_owned(),
            state: HealthState::Unknown,
            latency_ms: None,
            message: None,
            components: Vec::new(),
            orgs: Vec::new(),
            ordering_services: Vec::new(),
            last_seen_ms: None,
        }
    }

    /// Whether `next` is worth telling subscribers about: anything but small latency jitter.
    fn differs_significantly(&self, next: &Self) -> bool {
        if self.state != next.state
            || self.message != next.message
            || self.components != next.components
            || self.orgs != next.orgs
            || self.ordering_services != next.ordering_services
        {
            return true;
        }
        match (self.latency_ms, next.latency_ms) {
            (Some(a), Some(b)) => a.abs_diff(b) >= 10.max(a / 4),
            (a, b) => a.is_some() != b.is_some(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HealthSnapshot {
    pub regions: Vec<RegionHealth>,
}

/// Polls every watched console and publishes snapshots on significant change.
pub struct HealthMonitor {
    interval: Duration,
    /// A console answering slower than this is shown as slow.
    slow_after: Duration,
    snapshot: watch::Sender<HealthSnapshot>,
    pollers: Mutex<HashMap<String, Watched>>,
    /// Every poll's component statuses, as runs (for a component's details).
    history: Arc<Mutex<HealthHistory>>,
}

/// A region's polling task and the bell that makes it poll before its next tick.
struct Watched {
    task: JoinHandle<()>,
    poll_now: Arc<Notify>,
}

impl HealthMonitor {
    pub fn new(interval: Duration) -> Self {
        Self {
            interval,
            slow_after: DEFAULT_SLOW_AFTER,
            snapshot: watch::Sender::new(HealthSnapshot::default()),
            pollers: Mutex::new(HashMap::new()),
            history: Arc::default(),
        }
    }

    /// Shows consoles answering slower than `slow_after` as slow.
    pub fn with_slow_after(mut self, slow_after: Duration) -> Self {
        self.slow_after = slow_after;
        self
    }

    pub fn interval(&self) -> Duration {
        self.interval
    }

    pub fn snapshot(&self) -> HealthSnapshot {
        self.snapshot.borrow().clone()
    }

    /// A receiver that wakes on every published change.
    pub fn subscribe(&self) -> watch::Receiver<HealthSnapshot> {
        self.snapshot.subscribe()
    }

    /// Starts (or restarts, with fresh credentials and a clean auth state) polling a region.
    /// Must be called within a tokio runtime.
    pub fn watch(&self, region_id: &str, client: ConsoleClient) {
        self.unwatch(region_id);
        self.publish(RegionHealth::unknown(region_id));
        let sender = self.snapshot.clone();
        let interval = self.interval;
        let slow_after = self.slow_after;
        let id = region_id.to_owned();
        let poll_now = Arc::new(Notify::new());
        let bell = Arc::clone(&poll_now);
        let history = Arc::clone(&self.history);
        let task = tokio::spawn(async move {
            let mut poller = Poller::new(id, client, slow_after);
            let mut rung = true;
            loop {
                let (health, pause) = poller.tick(rung).await;
                history
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .record(&health, crate::clock::unix_ms_now());
                publish(&sender, health);
                rung = match pause {
                    // A pause the console asked for (lockout, Retry-After) is never cut short.
                    Some(pause) => {
                        tokio::time::sleep(pause).await;
                        false
                    }
                    None => {
                        tokio::select! {
                            () = tokio::time::sleep(interval) => false,
                            () = bell.notified() => true,
                        }
                    }
                };
            }
        });
        self.lock()
            .insert(region_id.to_owned(), Watched { task, poll_now });
    }

    /// A component's recent health results, latest first (none when its region is not polled).
    pub fn history(&self, region_id: &str, component_id: &str) -> Vec<HealthRun> {
        self.history
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .of(region_id, component_id)
    }

    /// Polls a region now instead of at its next tick (after the app changed its console), unless
    /// the console asked the poller to pause.
    pub fn poll_now(&self, region_id: &str) {
        if let Some(watched) = self.lock().get(region_id) {
            watched.poll_now.notify_one();
        }
    }

    /// Shows a region that cannot be polled (its secret is missing), with why, until it is
    /// watched again.
    pub fn hold(&self, region_id: &str, state: HealthState, message: String) {
        self.unwatch(region_id);
        self.publish(RegionHealth {
            state,
            message: Some(message),
            ..RegionHealth::unknown(region_id)
        });
    }

    /// Stops polling a region and drops it from the snapshot.
    pub fn unwatch(&self, region_id: &str) {
        if let Some(watched) = self.lock().remove(region_id) {
            watched.task.abort();
        }
        self.history
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .forget(region_id);
        self.snapshot.send_if_modified(|snap| {
            let before = snap.regions.len();
            snap.regions.retain(|r| r.region_id != region_id);
            snap.regions.len() != before
        });
    }

    fn publish(&self, health: RegionHealth) {
        publish(&self.snapshot, health);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Watched>> {
        self.pollers.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Drop for HealthMonitor {
    fn drop(&mut self) {
        for (_, watched) in self.lock().drain() {
            watched.task.abort();
        }
    }
}

fn publish(sender: &watch::Sender<HealthSnapshot>, health: RegionHealth) {
    sender.send_if_modified(|snap| {
        match snap
            .regions
            .iter_mut()
            .find(|r| r.region_id == health.region_id)
        {
            Some(current) if !current.differs_significantly(&health) => false,
            Some(current) => {
                *current = health;
                true
            }
            None => {
                snap.regions.push(health);
                true
            }
        }
    });
}

/// The polling state of one region.
struct Poller {
    region_id: String,
    client: ConsoleClient,
    /// Set after a 401/402: credentials are not sent again until the region is re-watched.
    credentials_refused: Option<HealthState>,
    /// The last status answer, for the components it covered, and how many polls ago it came.
    statuses: BTreeMap<String, StatusEntry>,
    statuses_age: u32,
    /// The last health the console answered for, and when: what a throttled poll keeps
    /// showing, and an outage shows greyed.
    answered: Option<(RegionHealth, u64)>,
    slow_after: Duration,
}

impl Poller {
    fn new(region_id: String, client: ConsoleClient, slow_after: Duration) -> Self {
        Self {
            region_id,
            client: client.with_max_rate_limit_wait(Duration::ZERO),
            credentials_refused: None,
            statuses: BTreeMap::new(),
            statuses_age: u32::MAX,
            answered: None,
            slow_after,
        }
    }

    /// One poll (`rung`: asked for now, after the app changed the console). Returns the health
    /// and, when the console asked for it, a longer pause.
    async fn tick(&mut self, rung: bool) -> (RegionHealth, Option<Duration>) {
        let mut health = RegionHealth::unknown(&self.region_id);
        if let Some(state) = self.credentials_refused {
            let started = Instant::now();
            let public = self.client.healthcheck().await;
            health.latency_ms = public.is_ok().then(|| millis(started.elapsed()));
            health.state = if public.is_ok() {
                state
            } else {
                HealthState::Unreachable
            };
            health.message = Some(match public {
                Ok(()) => {
                    "the console refuses the API key or secret; edit the region to enter new ones"
                        .into()
                }
                Err(e) => e.to_string(),
            });
            return (health, None);
        }

        let started = Instant::now();
        let components = match self.client.list_components(true).await {
            Ok(list) => list,
            Err(e) => return self.failed(health, e),
        };
        health.latency_ms = Some(millis(started.elapsed()));

        let probed: Vec<String> = components
            .iter()
            .filter(|c| c.kind.has_health())
            .map(|c| c.id.clone())
            .collect();
        let covered = probed.iter().all(|id| self.statuses.contains_key(id));
        let due = rung || !covered || self.statuses_age.saturating_add(1) >= STATUS_EVERY_POLLS;
        let mut pause = None;
        let mut throttled = false;
        if probed.is_empty() {
            self.statuses.clear();
        } else if due {
            match self.client.component_status(&probed).await {
                Ok(map) => {
                    self.statuses = map;
                    self.statuses_age = 0;
                }
                // Throttled: the statuses known stay shown; the console answered, so it is
                // neither down nor degraded, and the poller waits as long as it asks.
                Err(ConsoleError::RateLimited { retry_after }) => {
                    pause = Some(retry_after);
                    throttled = true;
                }
                Err(e) => {
                    health.message = Some(format!("component status unavailable: {e}"));
                    self.statuses.clear();
                    self.statuses_age = u32::MAX;
                }
            }
        } else {
            self.statuses_age += 1;
        }
        let statuses = &self.statuses;
        health.components = components
            .iter()
            .map(|c| component_health(c, statuses.get(&c.id)))
            .collect();
        health.orgs = org::orgs(&components);
        health.ordering_services = org::ordering_services(&components);
        let all_ok = health.components.iter().all(|c| {
            matches!(
                c.status,
                ComponentStatus::Ok | ComponentStatus::NotApplicable
            )
        });
        health.state = if all_ok && health.message.is_none() {
            HealthState::Healthy
        } else {
            HealthState::Degraded
        };
        if health.message.is_none() && !all_ok {
            let down = health
                .components
                .iter()
                .filter(|c| {
                    !matches!(
                        c.status,
                        ComponentStatus::Ok | ComponentStatus::NotApplicable
                    )
                })
                .count();
            health.message = Some(format!("{down} component(s) not ok"));
        }
        if throttled {
            health.state = HealthState::RateLimited;
            health.message = Some(throttled_message(pause.unwrap_or_default()));
        } else if health.state == HealthState::Healthy
            && health
                .latency_ms
                .is_some_and(|ms| u128::from(ms) > self.slow_after.as_millis())
        {
            health.state = HealthState::Slow;
            health.message = Some(format!(
                "answers in {} ms, slower than {} ms: operations on it will be slow",
                health.latency_ms.unwrap_or_default(),
                self.slow_after.as_millis()
            ));
        }
        self.answered = Some((health.clone(), crate::clock::unix_ms_now()));
        (health, pause)
    }

    fn failed(
        &mut self,
        mut health: RegionHealth,
        e: ConsoleError,
    ) -> (RegionHealth, Option<Duration>) {
        let mut pause = None;
        health.state = match e.kind() {
            FailureKind::Unreachable => HealthState::Unreachable,
            FailureKind::Unauthorized => {
                self.credentials_refused = Some(HealthState::Unauthorized);
                HealthState::Unauthorized
            }
            FailureKind::LockedOut => {
                self.credentials_refused = Some(HealthState::LockedOut);
                // Keeps quiet as long as the lockout lasts (the console's window is 2 minutes).
                pause = Some(crate::refusals::LOCKOUT_WAIT);
                HealthState::LockedOut
            }
            // Throttled (by the console, or by the budget this machine shares): the console
            // is fine, so what it last said stays shown.
            FailureKind::RateLimited => {
                let retry_after = match e {
                    ConsoleError::RateLimited { retry_after } => retry_after,
                    _ => Duration::ZERO,
                };
                if let Some((answered, _)) = &self.answered {
                    health = RegionHealth {
                        region_id: health.region_id,
                        ..answered.clone()
                    };
                }
                health.state = HealthState::RateLimited;
                health.message = Some(throttled_message(retry_after));
                return (health, Some(retry_after.max(Duration::from_secs(1))));
            }
            FailureKind::Failing => HealthState::Failing,
        };
        health.message = Some(e.to_string());
        // What it held when it last answered stays in view, marked as such: an outage must not
        // look like an empty console.
        if let Some((answered, at)) = &self.answered {
            health.components = answered
                .components
                .iter()
                .map(|c| ComponentHealth {
                    status: if c.status == ComponentStatus::NotApplicable {
                        ComponentStatus::NotApplicable
                    } else {
                        ComponentStatus::Unknown
                    },
                    ..c.clone()
                })
                .collect();
            health.orgs = answered.orgs.clone();
            health.ordering_services = answered.ordering_services.clone();
            health.last_seen_ms = Some(*at);
        }
        (health, pause)
    }
}

fn throttled_message(pause: Duration) -> String {
    format!(
        "throttled: the console's rate limit asks for a pause of {} s; statuses as last known",
        pause.as_secs().max(1)
    )
}

fn component_health(c: &Component, status: Option<&StatusEntry>) -> ComponentHealth {
    let kind = c.kind;
    let status = if !kind.has_health() {
        ComponentStatus::NotApplicable
    } else {
        match status.and_then(|s| s.status.as_deref()) {
            Some("ok") => ComponentStatus::Ok,
            Some("not ok") => ComponentStatus::NotOk,
            _ => ComponentStatus::Unknown,
        }
    };
    ComponentHealth {
        id: c.id.clone(),
        display_name: c.display_name.clone(),
        kind,
        msp_id: c.msp_id.clone(),
        status,
    }
}

fn millis(d: Duration) -> u32 {
    u32::try_from(d.as_millis()).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn health(state: HealthState, latency: Option<u32>) -> RegionHealth {
        RegionHealth {
            latency_ms: latency,
            state,
            ..RegionHealth::unknown("r1")
        }
    }

    #[test]
    fn latency_jitter_is_not_a_change_but_state_and_big_moves_are() {
        let base = health(HealthState::Healthy, Some(40));
        assert!(!base.differs_significantly(&health(HealthState::Healthy, Some(45))));
        assert!(base.differs_significantly(&health(HealthState::Healthy, Some(52))));
        assert!(base.differs_significantly(&health(HealthState::Degraded, Some(40))));
        assert!(base.differs_significantly(&health(HealthState::Healthy, None)));
        let slow = health(HealthState::Healthy, Some(400));
        assert!(!slow.differs_significantly(&health(HealthState::Healthy, Some(480))));
        assert!(slow.differs_significantly(&health(HealthState::Healthy, Some(520))));
    }

    #[test]
    fn publish_only_wakes_subscribers_on_change() {
        let sender = watch::Sender::new(HealthSnapshot::default());
        let mut rx = sender.subscribe();
        rx.mark_unchanged();
        publish(&sender, health(HealthState::Healthy, Some(3)));
        assert!(rx.has_changed().unwrap());
        rx.mark_unchanged();
        publish(&sender, health(HealthState::Healthy, Some(5)));
        assert!(!rx.has_changed().unwrap());
        publish(&sender, health(HealthState::Unreachable, None));
        assert!(rx.has_changed().unwrap());
        assert_eq!(rx.borrow().regions[0].state, HealthState::Unreachable);
    }

    #[test]
    fn msps_have_no_health_and_unknown_statuses_stay_unknown() {
        let record = |t: &str| {
            Component::from_document(serde_json::json!({ "id": "x", "type": t })).unwrap()
        };
        let entry = |s: Option<&str>| StatusEntry {
            status: s.map(str::to_owned),
            status_url: None,
            error: None,
        };
        let ok = entry(Some("ok"));
        assert_eq!(
            component_health(&record("msp"), None).status,
            ComponentStatus::NotApplicable
        );
        assert_eq!(
            component_health(&record("fabric-peer"), Some(&ok)).status,
            ComponentStatus::Ok
        );
        assert_eq!(
            component_health(&record("fabric-ca"), Some(&entry(Some("not ok")))).status,
            ComponentStatus::NotOk
        );
        assert_eq!(
            component_health(&record("fabric-orderer"), Some(&entry(None))).status,
            ComponentStatus::Unknown
        );
        assert_eq!(
            component_health(&record("fabric-peer"), None).status,
            ComponentStatus::Unknown
        );
    }
}
