//! Per-client request limits on `/ak/` (athena uses express-rate-limit 3.x): a fixed
//! one-minute window shared by all clients, a counter per client (IP + User-Agent), GETs and
//! other methods counted separately. Every answer carries the `x-ratelimit-*` headers; past
//! the limit the answer is 429 with `Retry-After: 60`.

use axum::http::{HeaderMap, HeaderValue};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::util::{now_ms, Ordered};

const WINDOW: Duration = Duration::from_secs(60);

pub(crate) struct Limiter {
    max: u32,
    label: &'static str,
    started: Instant,
    started_epoch_ms: u64,
    counts: Mutex<(u64, HashMap<String, u32>)>,
}

/// The outcome of counting one request.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Decision {
    pub limit: u32,
    pub remaining: u32,
    /// End of the current window, epoch seconds.
    pub reset: u64,
    pub exceeded: bool,
}

impl Limiter {
    pub(crate) fn new(max: u32, label: &'static str) -> Limiter {
        Limiter {
            max,
            label,
            started: Instant::now(),
            started_epoch_ms: now_ms(),
            counts: Mutex::new((0, HashMap::new())),
        }
    }

    /// Counts a request from `client`.
    pub(crate) fn hit(&self, client: &str) -> Decision {
        let window = (self.started.elapsed().as_millis() / WINDOW.as_millis()) as u64;
        let mut guard = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        if guard.0 != window {
            *guard = (window, HashMap::new());
        }
        let count = guard.1.entry(client.to_string()).or_insert(0);
        *count = count.saturating_add(1);
        let reset_ms = self.started_epoch_ms + (window + 1) * WINDOW.as_millis() as u64;
        Decision {
            limit: self.max,
            remaining: self.max.saturating_sub(*count),
            reset: reset_ms.div_ceil(1000),
            exceeded: *count > self.max,
        }
    }

    /// The 429 body.
    pub(crate) fn exceeded_body(&self) -> Ordered {
        Ordered::new()
            .with(
                "error",
                format!("{} - too many requests, try again later", self.label),
            )
            .with("rate_limit", format!("{}/min", self.max))
            .with(
                "tips",
                vec![
                    "monitor the header \"X-RateLimit-Remaining\" for your current rate",
                    "check the header \"X-RateLimit-Reset\" for when to resume",
                ],
            )
    }
}

impl Decision {
    pub(crate) fn apply(&self, headers: &mut HeaderMap) {
        headers.insert("x-ratelimit-limit", HeaderValue::from(self.limit));
        headers.insert("x-ratelimit-remaining", HeaderValue::from(self.remaining));
        headers.insert("x-ratelimit-reset", HeaderValue::from(self.reset));
        if self.exceeded {
            headers.insert("retry-after", HeaderValue::from(WINDOW.as_secs()));
        }
    }
}

/// The two `/ak/` limiters of one console.
pub(crate) struct RateLimits {
    pub get: Limiter,
    pub other: Limiter,
}

impl RateLimits {
    pub(crate) fn new(get_per_min: u32, non_get_per_min: u32) -> RateLimits {
        RateLimits {
            get: Limiter::new(
                get_per_min,
                "[AK Requests] exceeded the high volume rate limit",
            ),
            other: Limiter::new(
                non_get_per_min,
                "[AK Requests] exceeded the low volume rate limit",
            ),
        }
    }

    pub(crate) fn for_method(&self, is_get: bool) -> &Limiter {
        if is_get {
            &self.get
        } else {
            &self.other
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_client() {
        let l = Limiter::new(2, "x");
        assert_eq!(l.hit("a").remaining, 1);
        assert!(!l.hit("a").exceeded);
        let d = l.hit("a");
        assert!(d.exceeded);
        assert_eq!(d.remaining, 0);
        assert_eq!(l.hit("b").remaining, 1);
        assert!(d.reset * 1000 >= now_ms());
    }

    #[test]
    fn body_wording() {
        let l = Limiter::new(10, "[AK Requests] exceeded the low volume rate limit");
        let v = serde_json::to_value(l.exceeded_body()).unwrap();
        assert_eq!(v["rate_limit"], "10/min");
        assert_eq!(
            v["error"],
            "[AK Requests] exceeded the low volume rate limit - too many requests, try again later"
        );
    }
}
