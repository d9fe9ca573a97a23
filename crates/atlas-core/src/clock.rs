//! Time as a seam: the client's waits (a console's `Retry-After`, the request budget) go through a
//! [`Clock`], so tests check what was waited for without waiting on the wall clock.

use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

pub type Sleep = Pin<Box<dyn Future<Output = ()> + Send>>;

pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now(&self) -> Instant;
    /// Milliseconds since the Unix epoch: the time other processes understand (the request
    /// budgets they share count in it).
    fn unix_ms(&self) -> u64;
    fn sleep(&self, duration: Duration) -> Sleep;
}

/// The real clock (tokio's timers).
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }

    fn unix_ms(&self) -> u64 {
        unix_ms(SystemTime::now())
    }

    fn sleep(&self, duration: Duration) -> Sleep {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// A clock that moves only when slept on: every sleep returns at once, advances `now` and is
/// recorded, so a test sees exactly what the code under test waited for.
#[derive(Debug)]
pub struct ManualClock {
    started: (Instant, SystemTime),
    state: Mutex<(Instant, Vec<Duration>)>,
}

impl Default for ManualClock {
    fn default() -> Self {
        let started = (Instant::now(), SystemTime::now());
        Self {
            started,
            state: Mutex::new((started.0, Vec::new())),
        }
    }
}

impl ManualClock {
    /// Every sleep so far, in order.
    pub fn slept(&self) -> Vec<Duration> {
        self.lock().1.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, (Instant, Vec<Duration>)> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Instant {
        self.lock().0
    }

    fn unix_ms(&self) -> u64 {
        let (instant, wall) = self.started;
        unix_ms(wall + self.now().duration_since(instant))
    }

    fn sleep(&self, duration: Duration) -> Sleep {
        let mut state = self.lock();
        state.0 += duration;
        state.1.push(duration);
        Box::pin(std::future::ready(()))
    }
}

fn unix_ms(at: SystemTime) -> u64 {
    at.duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// Milliseconds since the Unix epoch, now (for records other processes and the web view read).
pub fn unix_ms_now() -> u64 {
    unix_ms(SystemTime::now())
}

/// Seconds since the Unix epoch, now: what the records in the state dir count in.
pub fn unix_now() -> u64 {
    unix_ms_now() / 1000
}
