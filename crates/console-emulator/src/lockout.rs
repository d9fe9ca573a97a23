//! The console's auth-failure lockout (athena `lockout.js`): every 401/403 adds a failure
//! for the client (IP + User-Agent); once `limit` failures fall inside the rolling window,
//! every request from that client is refused with 402, and each refusal counts as one more
//! failure. A successful (< 400) answer clears the client's count.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::util::{friendly_ms, Ordered};

pub(crate) struct Lockout {
    limit: usize,
    window: Duration,
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl Lockout {
    pub(crate) fn new(limit: u32, window: Duration) -> Lockout {
        Lockout {
            limit: limit as usize,
            window,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// `Some(body)` of a 402 when the client is locked out (and counts this try).
    pub(crate) fn check(&self, client: &str) -> Option<Ordered> {
        if self.limit == 0 {
            return None;
        }
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let list = map.get_mut(client)?;
        let now = Instant::now();
        list.retain(|t| now.duration_since(*t) <= self.window);
        if list.len() < self.limit {
            return None;
        }
        list.push(now);
        Some(
            Ordered::new()
                .with(
                    "error",
                    format!(
                        "too many auth failures. client is locked out. try again in {}",
                        friendly_ms(self.window.as_millis() as f64)
                    ),
                )
                .with("failures", list.len() - 1),
        )
    }

    /// Records the outcome of a request that was not refused.
    pub(crate) fn track(&self, client: &str, status: u16) {
        if self.limit == 0 {
            return;
        }
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if status == 401 || status == 403 {
            map.entry(client.to_string())
                .or_default()
                .push(Instant::now());
        } else if status < 400 {
            map.remove(client);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_lock_the_client_out() {
        let l = Lockout::new(5, Duration::from_secs(120));
        for _ in 0..5 {
            assert!(l.check("a").is_none());
            l.track("a", 401);
        }
        let body = serde_json::to_value(l.check("a").unwrap()).unwrap();
        assert_eq!(body["failures"], 5);
        assert_eq!(
            body["error"],
            "too many auth failures. client is locked out. try again in 2.0 mins"
        );
        let body = serde_json::to_value(l.check("a").unwrap()).unwrap();
        assert_eq!(body["failures"], 6);
        assert!(l.check("b").is_none());
    }

    #[test]
    fn success_resets() {
        let l = Lockout::new(5, Duration::from_secs(120));
        for _ in 0..4 {
            l.track("a", 401);
        }
        l.track("a", 200);
        l.track("a", 401);
        assert!(l.check("a").is_none());
    }
}
