//! Keeps our calls to one console inside its rate limits.
//!
//! A console counts requests per client (IP + User-Agent) in fixed 60 s windows: by default 100 GETs
//! and 25 other requests on `/ak`. Everything this app sends to one console shares one budget. A
//! sliding window of at most `limit` calls per 60 s can never exceed `limit` in any fixed window, so
//! waiting for a slot here means the console never has to answer 429.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::clock::Clock;
use crate::component::url_key;

const WINDOW: Duration = Duration::from_secs(60);

/// The console's per-minute limits (its defaults unless the console was reconfigured).
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
    get: Mutex<Window>,
    non_get: Mutex<Window>,
}

impl RequestBudget {
    /// Keeps a margin of 10 % under the limits for other tools sharing the address (and clock skew).
    pub fn new(limits: Limits) -> Self {
        let with_margin = |n: u32| ((n as usize) * 9 / 10).max(1);
        Self {
            get: Mutex::new(Window::new(with_margin(limits.get_per_min))),
            non_get: Mutex::new(Window::new(with_margin(limits.non_get_per_min))),
        }
    }

    /// Takes a slot, waiting (asynchronously, on `clock`) until one is free.
    pub async fn acquire(&self, class: RequestClass, clock: &dyn Clock) {
        loop {
            match self.try_acquire_at(class, clock.now()) {
                Ok(()) => return,
                Err(wait) => clock.sleep(wait).await,
            }
        }
    }

    /// Takes a slot now, or says how long until one is free.
    pub fn try_acquire_at(&self, class: RequestClass, now: Instant) -> Result<(), Duration> {
        let window = match class {
            RequestClass::Get => &self.get,
            RequestClass::NonGet => &self.non_get,
        };
        window.lock().unwrap_or_else(|p| p.into_inner()).take(now)
    }
}

impl Default for RequestBudget {
    fn default() -> Self {
        Self::new(Limits::default())
    }
}

/// One budget per console, keyed by its URL: the console counts per client, not per caller.
#[derive(Debug, Default)]
pub struct Budgets {
    by_console: Mutex<HashMap<String, Arc<RequestBudget>>>,
}

impl Budgets {
    pub fn for_console(&self, console_url: &str) -> Arc<RequestBudget> {
        let key = url_key(console_url);
        let mut map = self.by_console.lock().unwrap_or_else(|p| p.into_inner());
        Arc::clone(map.entry(key).or_default())
    }
}

#[derive(Debug)]
struct Window {
    limit: usize,
    sent: VecDeque<Instant>,
}

impl Window {
    fn new(limit: usize) -> Self {
        Self {
            limit,
            sent: VecDeque::with_capacity(limit),
        }
    }

    fn take(&mut self, now: Instant) -> Result<(), Duration> {
        while let Some(&oldest) = self.sent.front() {
            if now.duration_since(oldest) >= WINDOW {
                self.sent.pop_front();
            } else {
                break;
            }
        }
        if self.sent.len() < self.limit {
            self.sent.push_back(now);
            return Ok(());
        }
        let oldest = *self.sent.front().expect("a full window is not empty");
        Err(WINDOW - now.duration_since(oldest))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_get_budget_stops_below_the_console_limit_and_frees_after_a_minute() {
        let budget = RequestBudget::new(Limits::default());
        let t0 = Instant::now();
        for i in 0..22 {
            assert!(
                budget.try_acquire_at(RequestClass::NonGet, t0).is_ok(),
                "call {i}"
            );
        }
        let wait = budget
            .try_acquire_at(RequestClass::NonGet, t0 + Duration::from_secs(10))
            .unwrap_err();
        assert_eq!(wait, Duration::from_secs(50));
        // GETs have their own counter, like the console's.
        assert!(budget.try_acquire_at(RequestClass::Get, t0).is_ok());
        assert!(budget
            .try_acquire_at(RequestClass::NonGet, t0 + WINDOW)
            .is_ok());
    }

    #[test]
    fn any_sixty_seconds_hold_at_most_the_limit() {
        let budget = RequestBudget::new(Limits {
            get_per_min: 10,
            non_get_per_min: 10,
        });
        let t0 = Instant::now();
        let mut granted = Vec::new();
        for step in 0..600u64 {
            let at = t0 + Duration::from_millis(step * 500);
            if budget.try_acquire_at(RequestClass::Get, at).is_ok() {
                granted.push(at);
            }
        }
        for (i, &start) in granted.iter().enumerate() {
            let in_window = granted[i..]
                .iter()
                .take_while(|&&t| t.duration_since(start) < WINDOW)
                .count();
            assert!(in_window <= 9, "{in_window} calls within a minute");
        }
        assert!(granted.len() >= 40, "budget too strict: {}", granted.len());
    }
}
