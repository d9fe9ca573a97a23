//! One writer per console on this machine. The console accepts duplicates, so two operations that
//! plan against the same console at once would both create the same component; every plan →
//! create → verify against a console therefore runs while holding an advisory lock on a file
//! named after the console's URL, in a directory every process of this user shares (the app and
//! any number of `atlas` runs, whatever their config dir). A second operation waits, says so,
//! and plans only once it holds the lock, against what the first one left.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::{AppError, ErrorCode};
use crate::machine_state::{console_key, digest};

/// How long an operation waits for another one on the same console before giving up.
pub const DEFAULT_LOCK_WAIT: Duration = Duration::from_secs(120);

/// How often a waiting operation tries again.
const RETRY: Duration = Duration::from_millis(25);

/// The console locks of one machine.
#[derive(Debug, Clone)]
pub struct ConsoleLocks {
    dir: PathBuf,
    max_wait: Duration,
}

/// Consoles held by one operation; dropping it lets the next one in.
#[derive(Debug)]
pub struct Held {
    _files: Vec<File>,
}

/// A console to hold: how the operation names it, and its URL (what identifies it).
pub struct Console<'a> {
    pub name: &'a str,
    pub url: &'a str,
}

impl ConsoleLocks {
    pub fn new(state_dir: &Path, max_wait: Duration) -> Self {
        Self {
            dir: state_dir.join("locks"),
            max_wait,
        }
    }

    /// Holds every console of `consoles`, in the order of their keys (so two operations never
    /// wait on each other in a circle). `on_wait` hears of each console another operation holds,
    /// once, before this one waits for it. Gives up after the configured wait.
    pub async fn hold(
        &self,
        consoles: &[Console<'_>],
        on_wait: &(dyn Fn(&str) + Sync),
    ) -> Result<Held, AppError> {
        let mut keyed: Vec<(String, &Console<'_>)> =
            consoles.iter().map(|c| (lock_name(c.url), c)).collect();
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
        keyed.dedup_by(|a, b| a.0 == b.0);
        fs::create_dir_all(&self.dir).map_err(|e| self.error(&e.to_string()))?;
        let mut files = Vec::with_capacity(keyed.len());
        for (name, console) in keyed {
            files.push(self.hold_one(&name, console, on_wait).await?);
        }
        Ok(Held { _files: files })
    }

    async fn hold_one(
        &self,
        name: &str,
        console: &Console<'_>,
        on_wait: &(dyn Fn(&str) + Sync),
    ) -> Result<File, AppError> {
        let path = self.dir.join(name);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| self.error(&format!("{}: {e}", path.display())))?;
        let deadline = tokio::time::Instant::now() + self.max_wait;
        let mut told = false;
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(file),
                Err(TryLockError::WouldBlock) => {}
                Err(TryLockError::Error(e)) => {
                    return Err(self.error(&format!("{}: {e}", path.display())))
                }
            }
            if !told {
                on_wait(console.name);
                told = true;
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(AppError::new(
                    ErrorCode::Conflict,
                    format!(
                        "another Fabric Atlas operation on {} ({}) has been running for more than \
                         {} s; nothing was sent. Try again when it has finished",
                        console.name,
                        console.url,
                        self.max_wait.as_secs().max(1)
                    ),
                ));
            }
            tokio::time::sleep(RETRY).await;
        }
    }

    fn error(&self, reason: &str) -> AppError {
        AppError::new(
            ErrorCode::Config,
            format!("cannot lock a console for this operation: {reason}"),
        )
    }
}

/// The lock file of a console (the same console under two spellings gets one lock).
fn lock_name(url: &str) -> String {
    format!("console-{}.lock", digest(&[&console_key(url)]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    fn console(url: &str) -> Console<'_> {
        Console {
            name: "US West",
            url,
        }
    }

    #[tokio::test]
    async fn a_second_holder_of_a_console_waits_until_the_first_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let locks = ConsoleLocks::new(dir.path(), Duration::from_secs(5));
        let first = locks
            .hold(&[console("https://west.example.com:443/")], &|_| {})
            .await
            .unwrap();
        let waited = Arc::new(AtomicUsize::new(0));
        let second = {
            let locks = locks.clone();
            let waited = Arc::clone(&waited);
            tokio::spawn(async move {
                // The same console, spelled another way.
                locks
                    .hold(&[console("HTTPS://west.example.com")], &|name| {
                        assert_eq!(name, "US West");
                        waited.fetch_add(1, Ordering::SeqCst);
                    })
                    .await
                    .map(drop)
            })
        };
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert!(!second.is_finished(), "the second holder waits");
        assert_eq!(waited.load(Ordering::SeqCst), 1, "and says so once");
        drop(first);
        second.await.unwrap().unwrap();
    }

    #[tokio::test]
    async fn a_holder_gives_up_after_the_wait_naming_the_console_and_other_consoles_stay_free() {
        let dir = tempfile::tempdir().unwrap();
        let locks = ConsoleLocks::new(dir.path(), Duration::from_millis(60));
        let _west = locks
            .hold(&[console("https://west:7443")], &|_| {})
            .await
            .unwrap();
        let err = locks
            .hold(
                &[console("https://east:7443"), console("https://west:7443")],
                &|_| {},
            )
            .await
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::Conflict);
        assert!(
            err.message.contains("US West (https://west:7443)"),
            "{err:?}"
        );
        // Giving up let go of what it held: east is free.
        locks
            .hold(&[console("https://east:7443")], &|_| panic!("east is free"))
            .await
            .unwrap();
    }
}
