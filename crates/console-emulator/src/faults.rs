//! Injected faults of one region (down, its nodes down one by one, latency, forced status) and
//! its request log.

use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::{AtomicU16, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;
use tokio::sync::watch;

use crate::options::LoggedRequest;
use crate::util::now_ms;

/// Oldest entries are dropped past this many.
const LOG_CAPACITY: usize = 10_000;

pub(crate) struct Faults {
    down: watch::Sender<bool>,
    latency_ms: AtomicU64,
    /// 0 = no forced status.
    fail_status: AtomicU16,
    /// How many more requests get the forced status; 0 = every request until cleared.
    fail_remaining: AtomicU64,
    /// Hosted nodes taken down by themselves, by component id (the region's flag also downs
    /// them; a node server follows both).
    nodes_down: Mutex<BTreeMap<String, watch::Sender<bool>>>,
}

impl Faults {
    pub(crate) fn new() -> Faults {
        Faults {
            down: watch::Sender::new(false),
            latency_ms: AtomicU64::new(0),
            fail_status: AtomicU16::new(0),
            fail_remaining: AtomicU64::new(0),
            nodes_down: Mutex::new(BTreeMap::new()),
        }
    }

    /// Follows the node's own down flag (made on first use, up).
    pub(crate) fn watch_node_down(&self, component_id: &str) -> watch::Receiver<bool> {
        let mut nodes = self.nodes_down.lock().unwrap_or_else(|e| e.into_inner());
        nodes
            .entry(component_id.to_string())
            .or_insert_with(|| watch::Sender::new(false))
            .subscribe()
    }

    /// Takes one hosted node down or brings it back; its servers close their connections at
    /// once, like a downed region's. Whether the id is a hosted node is the caller's check.
    pub(crate) fn set_node_down(&self, component_id: &str, down: bool) {
        let mut nodes = self.nodes_down.lock().unwrap_or_else(|e| e.into_inner());
        nodes
            .entry(component_id.to_string())
            .or_insert_with(|| watch::Sender::new(false))
            .send_replace(down);
    }

    /// The ids of the nodes down by themselves, sorted.
    pub(crate) fn nodes_down(&self) -> Vec<String> {
        let nodes = self.nodes_down.lock().unwrap_or_else(|e| e.into_inner());
        nodes
            .iter()
            .filter(|(_, flag)| *flag.borrow())
            .map(|(id, _)| id.clone())
            .collect()
    }

    pub(crate) fn set_down(&self, down: bool) {
        self.down.send_replace(down);
    }

    pub(crate) fn is_down(&self) -> bool {
        *self.down.borrow()
    }

    /// Follows the down flag; servers close their connections when it turns true.
    pub(crate) fn watch_down(&self) -> watch::Receiver<bool> {
        self.down.subscribe()
    }

    pub(crate) fn set_latency(&self, latency: Duration) {
        self.latency_ms
            .store(latency.as_millis() as u64, Ordering::Relaxed);
    }

    pub(crate) fn latency(&self) -> Duration {
        Duration::from_millis(self.latency_ms.load(Ordering::Relaxed))
    }

    pub(crate) fn set_fail_status(&self, status: Option<u16>) {
        self.set_fail_next(status, 0);
    }

    /// Forces `status` on the next `count` requests only (0 = until cleared).
    pub(crate) fn set_fail_next(&self, status: Option<u16>, count: u64) {
        self.fail_remaining.store(count, Ordering::SeqCst);
        self.fail_status
            .store(status.unwrap_or(0), Ordering::SeqCst);
    }

    /// The forced status for the request being answered now, counting it against a limit.
    pub(crate) fn take_failure(&self) -> Option<u16> {
        let status = self.fail_status()?;
        let limited = self
            .fail_remaining
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| match n {
                0 => None,
                n => Some(n - 1),
            });
        match limited {
            // The last limited failure: later requests are answered normally.
            Ok(1) => {
                self.fail_status.store(0, Ordering::SeqCst);
                Some(status)
            }
            Ok(_) => Some(status),
            // Unlimited (nothing to count), or the limit was just used up by another request.
            Err(_) => self.fail_status(),
        }
    }

    pub(crate) fn fail_status(&self) -> Option<u16> {
        match self.fail_status.load(Ordering::Relaxed) {
            0 => None,
            s => Some(s),
        }
    }
}

/// The requests one console answered, newest last.
pub(crate) struct RequestLog {
    entries: Mutex<VecDeque<LoggedRequest>>,
}

impl RequestLog {
    pub(crate) fn new() -> RequestLog {
        RequestLog {
            entries: Mutex::new(VecDeque::new()),
        }
    }

    pub(crate) fn record(&self, method: &str, path: &str, user_agent: &str, status: u16) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= LOG_CAPACITY {
            entries.pop_front();
        }
        entries.push_back(LoggedRequest {
            method: method.to_string(),
            path: path.to_string(),
            user_agent: user_agent.to_string(),
            status,
            time_ms: now_ms(),
        });
    }

    pub(crate) fn snapshot(&self) -> Vec<LoggedRequest> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.iter().cloned().collect()
    }

    pub(crate) fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_node_goes_down_by_itself_and_comes_back() {
        let faults = Faults::new();
        let watched = faults.watch_node_down("org1peer1");
        faults.set_node_down("org1peer2", true);
        faults.set_node_down("org1ca", true);
        assert_eq!(faults.nodes_down(), ["org1ca", "org1peer2"]);
        assert!(!*watched.borrow(), "another node's flag");
        faults.set_node_down("org1peer1", true);
        assert!(*watched.borrow(), "a watcher made before sees the change");
        faults.set_node_down("org1peer1", false);
        faults.set_node_down("org1ca", false);
        assert_eq!(faults.nodes_down(), ["org1peer2"]);
        assert!(!faults.is_down(), "the region stays up");
    }
}
