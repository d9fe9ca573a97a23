//! Keeps our calls to one console inside its rate limits — all of our calls, from every process.
//!
//! A console counts requests per client (IP + User-Agent) in fixed 60 s windows: by default 100
//! GETs and 25 other requests on `/ak`, and it says its limits on every answer
//! (`x-ratelimit-limit`), which the budget learns. The app and every `atlas` run on this machine
//! draw on one budget per console: a small ledger in the machine's state dir
//! (`budgets/console-<digest>.json`), read and written under an advisory lock for each request. A
//! sliding window of at most 90 % of the limit per 60 s can never exceed the limit in any fixed
//! window, so waiting for a slot here means the console never has to answer 429; and when it
//! does anyway (another tool on this address), the pause it asks for is written in the ledger and
//! every process keeps it.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::clock::Clock;
use crate::machine_state::{console_key, digest};

const WINDOW_SECS: u64 = 60;

/// The console's per-minute limits (its defaults, until it says otherwise).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub get_per_min: u32,
    pub non_get_per_min: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            get_per_min: 100,
            non_get_per_min: 25,
        }
    }
}

/// Which of the console's two counters a request draws on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestClass {
    Get,
    NonGet,
}

/// The request budget of one console, shared by every client talking to it.
#[derive(Debug)]
pub struct RequestBudget {
    defaults: Limits,
    store: Store,
}

#[derive(Debug)]
enum Store {
    /// This process alone (tests, and a client that shares nothing).
    Memory(Mutex<Ledger>),
    /// The machine's ledger file; the memory one only while the file cannot be used.
    Shared {
        path: PathBuf,
        fallback: Mutex<Ledger>,
    },
}

impl RequestBudget {
    /// A budget this process keeps to itself.
    pub fn new(limits: Limits) -> Self {
        Self {
            defaults: limits,
            store: Store::Memory(Mutex::default()),
        }
    }

    /// A budget kept in the ledger file at `path`, shared with every process that uses it.
    pub fn shared(path: PathBuf, limits: Limits) -> Self {
        Self {
            defaults: limits,
            store: Store::Shared {
                path,
                fallback: Mutex::default(),
            },
        }
    }

    /// Takes a slot, waiting (on `clock`) until one is free; or, when that would be later than
    /// `deadline`, answers how long it would have taken, having taken nothing.
    pub async fn acquire(
        &self,
        class: RequestClass,
        clock: &dyn Clock,
        deadline: Instant,
    ) -> Result<(), Duration> {
        loop {
            match self.try_acquire_at(class, clock.unix_ms()) {
                Ok(()) => return Ok(()),
                Err(wait) if clock.now() + wait > deadline => return Err(wait),
                Err(wait) => clock.sleep(wait).await,
            }
        }
    }

    /// Takes a slot at `now_ms` (milliseconds since the epoch), or says how long until one is free.
    pub fn try_acquire_at(&self, class: RequestClass, now_ms: u64) -> Result<(), Duration> {
        let default = match class {
            RequestClass::Get => self.defaults.get_per_min,
            RequestClass::NonGet => self.defaults.non_get_per_min,
        };
        self.update(|ledger| ledger.class(class).take(default, now_ms))
    }

    /// The console said its limit for `class` (`x-ratelimit-limit`).
    pub fn learn(&self, class: RequestClass, limit: u32) {
        self.update(|ledger| ledger.class(class).limit = Some(limit.max(1)));
    }

    /// The console answered 429: nothing of `class` goes to it before `retry_after` from `now_ms`.
    pub fn pause(&self, class: RequestClass, retry_after: Duration, now_ms: u64) {
        let until = now_ms + retry_after.as_millis() as u64;
        self.update(|ledger| {
            let entry = ledger.class(class);
            entry.paused_until_ms = entry.paused_until_ms.max(until);
        });
    }

    fn update<R>(&self, change: impl FnOnce(&mut Ledger) -> R) -> R {
        match &self.store {
            Store::Memory(ledger) => change(&mut lock(ledger)),
            Store::Shared { path, fallback } => match LedgerFile::open(path) {
                Ok(mut file) => {
                    let mut ledger = file.read();
                    let before = ledger.clone();
                    let answer = change(&mut ledger);
                    if ledger != before {
                        file.write(&ledger);
                    }
                    answer
                }
                // The budget is a courtesy to the console: a state dir we cannot use must not
                // stop the work, only its sharing.
                Err(e) => {
                    tracing::warn!(path = %path.display(), "request budget not shared: {e}");
                    change(&mut lock(fallback))
                }
            },
        }
    }
}

impl Default for RequestBudget {
    fn default() -> Self {
        Self::new(Limits::default())
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

/// One budget per console, keyed by its URL: the console counts per client, not per caller.
#[derive(Debug, Default)]
pub struct Budgets {
    /// The machine's state dir, when the budgets are shared with other processes.
    shared_in: Option<PathBuf>,
    by_console: Mutex<HashMap<String, Arc<RequestBudget>>>,
}

impl Budgets {
    /// Budgets every process using `state_dir` shares.
    pub fn shared(state_dir: &Path) -> Self {
        Self {
            shared_in: Some(state_dir.join("budgets")),
            by_console: Mutex::default(),
        }
    }

    pub fn for_console(&self, console_url: &str) -> Arc<RequestBudget> {
        let key = console_key(console_url);
        let mut map = lock(&self.by_console);
        let budget = map.entry(key).or_insert_with_key(|key| {
            Arc::new(match &self.shared_in {
                Some(dir) => RequestBudget::shared(
                    dir.join(format!("console-{}.json", digest(&[key]))),
                    Limits::default(),
                ),
                None => RequestBudget::default(),
            })
        });
        Arc::clone(budget)
    }
}

/// What one console's budget remembers, per class of request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Ledger {
    #[serde(default)]
    get: ClassLedger,
    #[serde(default)]
    non_get: ClassLedger,
}

impl Ledger {
    fn class(&mut self, class: RequestClass) -> &mut ClassLedger {
        match class {
            RequestClass::Get => &mut self.get,
            RequestClass::NonGet => &mut self.non_get,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct ClassLedger {
    /// The console's limit, as its last answer said.
    #[serde(default)]
    limit: Option<u32>,
    /// Requests sent in the last minute, as (second since the epoch, how many).
    #[serde(default)]
    sent: Vec<(u64, u32)>,
    /// Nothing is sent before this (ms since the epoch): the pause a 429 asked for.
    #[serde(default)]
    paused_until_ms: u64,
}

impl ClassLedger {
    fn take(&mut self, default_limit: u32, now_ms: u64) -> Result<(), Duration> {
        if self.paused_until_ms > now_ms {
            return Err(Duration::from_millis(self.paused_until_ms - now_ms));
        }
        // A request counted in second `s` went out before `s + 1`, so its slot frees at
        // `s + 61`: at least a whole minute after it was sent.
        let now_s = now_ms / 1000;
        let frees_at = |s: u64| s + WINDOW_SECS + 1;
        self.sent.retain(|&(s, _)| frees_at(s) > now_s);
        let used: u32 = self.sent.iter().map(|&(_, n)| n).sum();
        // 10 % under the limit: other tools may share the address, and clocks drift.
        let budget = (self.limit.unwrap_or(default_limit) * 9 / 10).max(1);
        if used < budget {
            match self.sent.last_mut() {
                Some((s, n)) if *s == now_s => *n += 1,
                _ => self.sent.push((now_s, 1)),
            }
            return Ok(());
        }
        let oldest = self.sent.first().map_or(now_s, |&(s, _)| s);
        Err(Duration::from_millis(
            (frees_at(oldest) * 1000).saturating_sub(now_ms).max(1),
        ))
    }
}

/// The ledger file of one console, locked while open.
struct LedgerFile(File);

impl LedgerFile {
    fn open(path: &Path) -> std::io::Result<Self> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)?;
        // Held for one read and one write: microseconds. Dropping the file releases it, and so
        // does the death of the process holding it.
        file.lock()?;
        Ok(Self(file))
    }

    /// The ledger; an unreadable one (a write torn by a crash) is a fresh start.
    fn read(&mut self) -> Ledger {
        let mut text = String::new();
        if self.0.read_to_string(&mut text).is_err() {
            return Ledger::default();
        }
        serde_json::from_str(&text).unwrap_or_default()
    }

    fn write(&mut self, ledger: &Ledger) {
        let written = serde_json::to_vec(ledger)
            .map_err(std::io::Error::other)
            .and_then(|bytes| {
                self.0.set_len(0)?;
                self.0.rewind()?;
                self.0.write_all(&bytes)
            });
        if let Err(e) = written {
            tracing::warn!("request budget not saved: {e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: u64 = 1_800_000_000_000;

    #[test]
    fn non_get_budget_stops_below_the_console_limit_and_frees_after_a_minute() {
        let budget = RequestBudget::new(Limits::default());
        for i in 0..22 {
            assert!(
                budget.try_acquire_at(RequestClass::NonGet, T0).is_ok(),
                "call {i}"
            );
        }
        let wait = budget
            .try_acquire_at(RequestClass::NonGet, T0 + 10_000)
            .unwrap_err();
        assert_eq!(wait, Duration::from_secs(51));
        // GETs have their own counter, like the console's.
        assert!(budget.try_acquire_at(RequestClass::Get, T0).is_ok());
        assert!(budget
            .try_acquire_at(RequestClass::NonGet, T0 + 61_000)
            .is_ok());
    }

    #[test]
    fn any_sixty_seconds_hold_at_most_the_budget() {
        let budget = RequestBudget::new(Limits {
            get_per_min: 10,
            non_get_per_min: 10,
        });
        let mut granted = Vec::new();
        for step in 0..600u64 {
            let at = T0 + step * 500 + step % 7 * 71;
            if budget.try_acquire_at(RequestClass::Get, at).is_ok() {
                granted.push(at);
            }
        }
        for (i, &start) in granted.iter().enumerate() {
            let in_window = granted[i..]
                .iter()
                .take_while(|&&t| t - start < WINDOW_SECS * 1000)
                .count();
            assert!(in_window <= 9, "{in_window} calls within a minute");
        }
        assert!(granted.len() >= 40, "budget too strict: {}", granted.len());
    }

    #[test]
    fn the_limit_the_console_states_replaces_the_default() {
        let budget = RequestBudget::new(Limits::default());
        budget.learn(RequestClass::NonGet, 4);
        let sent = (0..10)
            .filter(|_| budget.try_acquire_at(RequestClass::NonGet, T0).is_ok())
            .count();
        assert_eq!(sent, 3, "90 % of 4, rounded down");
        budget.learn(RequestClass::Get, 1000);
        let sent = (0..1000)
            .filter(|_| budget.try_acquire_at(RequestClass::Get, T0).is_ok())
            .count();
        assert_eq!(sent, 900);
    }

    #[test]
    fn a_pause_stops_its_class_until_it_ends() {
        let budget = RequestBudget::new(Limits::default());
        budget.pause(RequestClass::NonGet, Duration::from_secs(60), T0);
        assert_eq!(
            budget.try_acquire_at(RequestClass::NonGet, T0 + 15_000),
            Err(Duration::from_secs(45))
        );
        assert!(budget.try_acquire_at(RequestClass::Get, T0).is_ok());
        assert!(budget
            .try_acquire_at(RequestClass::NonGet, T0 + 60_000)
            .is_ok());
    }

    #[test]
    fn budgets_on_one_state_dir_share_their_slots_pauses_and_limits() {
        let dir = tempfile::tempdir().unwrap();
        let url = "https://console.us-east.example.org";
        // Two processes are two `Budgets` on one dir; a spelling of the same console is the same.
        let first = Budgets::shared(dir.path()).for_console(url);
        let second = Budgets::shared(dir.path()).for_console(&format!("{url}:443/"));
        let elsewhere = Budgets::shared(dir.path()).for_console("https://console.eu.example.org");
        first.learn(RequestClass::NonGet, 10);
        for _ in 0..5 {
            first.try_acquire_at(RequestClass::NonGet, T0).unwrap();
        }
        let mut second_sent = 0;
        while second.try_acquire_at(RequestClass::NonGet, T0 + 1).is_ok() {
            second_sent += 1;
        }
        assert_eq!(
            second_sent, 4,
            "9 slots of the learned 10, 5 taken by the first"
        );
        assert!(elsewhere.try_acquire_at(RequestClass::NonGet, T0).is_ok());

        second.pause(RequestClass::Get, Duration::from_secs(30), T0);
        assert_eq!(
            first.try_acquire_at(RequestClass::Get, T0 + 10_000),
            Err(Duration::from_secs(20))
        );
    }

    #[test]
    fn a_torn_ledger_is_a_fresh_start_and_an_unusable_dir_still_paces() {
        let dir = tempfile::tempdir().unwrap();
        let budgets = Budgets::shared(dir.path());
        let budget = budgets.for_console("https://c.example.org");
        budget.try_acquire_at(RequestClass::Get, T0).unwrap();
        let ledger = std::fs::read_dir(dir.path().join("budgets"))
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        std::fs::write(&ledger, "{\"get\":{\"sent\":[[1").unwrap();
        assert!(budget.try_acquire_at(RequestClass::Get, T0).is_ok());

        let file = dir.path().join("not-a-dir");
        std::fs::write(&file, "").unwrap();
        let budget = Budgets::shared(&file).for_console("https://c.example.org");
        budget.learn(RequestClass::NonGet, 2);
        assert!(budget.try_acquire_at(RequestClass::NonGet, T0).is_ok());
        assert!(budget.try_acquire_at(RequestClass::NonGet, T0).is_err());
    }
}
