//! What consoles refused, remembered by every process of this user across restarts. A console
//! locks a client out (402) after a few refused logins (401) and counts them per IP + User-Agent,
//! so one process stopping after its 401 is not enough: ten `atlas` runs with a revoked key would
//! lock out every region of this machine that uses that console. A 401 is recorded for the
//! console and the credentials (by a one-way digest of key and secret: never the secret), and no
//! process sends those credentials again; changed credentials are other credentials. A 402 is
//! recorded with its end, and nothing is sent to the console until then.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use url::Url;

use crate::clock::unix_now;
use crate::machine_state::{console_key, digest};
use crate::secrets::Secret;
use crate::storage::{read_optional, write_json};

/// How long a console's lockout lasts when it does not say (the console's default is 2 minutes;
/// a little more, so the first request after it is not refused again).
pub const LOCKOUT_WAIT: Duration = Duration::from_secs(150);

/// The remembered refusals in a state dir shared by every process of this user.
#[derive(Debug, Clone)]
pub struct Refusals {
    dir: PathBuf,
}

/// Why a request is not sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// The console refused these credentials (at `since`, seconds since the epoch).
    Credentials { since: u64 },
    /// The console locked this machine out until `until` (seconds since the epoch).
    LockedOut { until: u64 },
}

#[derive(Serialize, Deserialize)]
struct Record {
    console: String,
    /// The API key refused (none for a lockout, which is the whole console's).
    api_key: Option<String>,
    at: u64,
    until: Option<u64>,
}

impl Refusals {
    pub fn new(state_dir: &Path) -> Self {
        Self {
            dir: state_dir.join("refusals"),
        }
    }

    /// Whether a request to `console` may be sent (with `credentials` when authenticated).
    pub fn check(&self, console: &Url, credentials: Option<&Fingerprint>) -> Option<Refused> {
        if let Some(record) = self.read(&self.lockout_path(console)) {
            match record.until {
                Some(until) if until > unix_now() => return Some(Refused::LockedOut { until }),
                _ => self.remove(&self.lockout_path(console)),
            }
        }
        let credentials = credentials?;
        self.read(&self.credentials_path(console, credentials))
            .map(|r| Refused::Credentials { since: r.at })
    }

    /// The console answered 401 to `credentials`.
    pub fn credentials_refused(&self, console: &Url, credentials: &Fingerprint) {
        self.write(
            &self.credentials_path(console, credentials),
            console,
            Some(&credentials.api_key),
            None,
        );
    }

    /// Waits until no other request (of any process) is trying `credentials` on `console` for the
    /// first time, and holds that turn until the guard is dropped: credentials not yet proven go
    /// out one request at a time, so a revoked key is refused once, not once per process.
    pub async fn first_try(&self, console: &Url, credentials: &Fingerprint) -> Option<FirstTry> {
        let path = self.dir.join(format!(
            "trying-{}.lock",
            digest(&[&key_of(console), &credentials.digest])
        ));
        let file = std::fs::create_dir_all(&self.dir)
            .and_then(|()| {
                std::fs::OpenOptions::new()
                    .create(true)
                    .truncate(false)
                    .write(true)
                    .open(&path)
            })
            .inspect_err(|e| tracing::warn!("first tries not serialised: {e}"))
            .ok()?;
        loop {
            match file.try_lock() {
                Ok(()) => return Some(FirstTry { _turn: file }),
                Err(std::fs::TryLockError::WouldBlock) => {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
                Err(std::fs::TryLockError::Error(e)) => {
                    tracing::warn!("first tries not serialised: {e}");
                    return None;
                }
            }
        }
    }

    /// The console answered 402: this machine is locked out for `wait`.
    pub fn locked_out(&self, console: &Url, wait: Duration) {
        let until = unix_now() + wait.as_secs();
        self.write(&self.lockout_path(console), console, None, Some(until));
    }

    fn credentials_path(&self, console: &Url, credentials: &Fingerprint) -> PathBuf {
        self.dir.join(format!(
            "refused-{}.json",
            digest(&[&key_of(console), &credentials.digest])
        ))
    }

    fn lockout_path(&self, console: &Url) -> PathBuf {
        self.dir
            .join(format!("lockout-{}.json", digest(&[&key_of(console)])))
    }

    fn read(&self, path: &Path) -> Option<Record> {
        let text = read_optional(path).ok()??;
        serde_json::from_str(&text).ok()
    }

    fn write(&self, path: &Path, console: &Url, api_key: Option<&str>, until: Option<u64>) {
        let record = Record {
            console: console.to_string(),
            api_key: api_key.map(str::to_owned),
            at: unix_now(),
            until,
        };
        // Remembering is a courtesy to the console: failing to write it must not fail the call.
        if let Err(e) = write_json(path, &record) {
            tracing::warn!("could not remember a console's refusal: {}", e.message);
        }
    }

    fn remove(&self, path: &Path) {
        let _ = std::fs::remove_file(path);
    }
}

/// The turn of one first try (see [`Refusals::first_try`]); dropping it ends the turn.
#[derive(Debug)]
pub struct FirstTry {
    _turn: std::fs::File,
}

/// Which credentials a request carries: the API key, and a one-way digest of key and secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    api_key: String,
    digest: String,
}

impl Fingerprint {
    pub fn of(api_key: &str, secret: &Secret) -> Self {
        Self {
            api_key: api_key.to_owned(),
            digest: digest(&[api_key, secret.expose()]),
        }
    }
}

fn key_of(console: &Url) -> String {
    console_key(console.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refused_credentials_are_remembered_and_changed_ones_go_and_a_lockout_lasts_until_it_ends() {
        let dir = tempfile::tempdir().unwrap();
        let refusals = Refusals::new(dir.path());
        let console = Url::parse("https://console.example.com").unwrap();
        let revoked = Fingerprint::of("key1", &Secret::new("old-secret"));
        assert_eq!(refusals.check(&console, Some(&revoked)), None);

        refusals.credentials_refused(&console, &revoked);
        // Another process (another `Refusals` on the same dir) sees it.
        let other = Refusals::new(dir.path());
        assert!(matches!(
            other.check(&console, Some(&revoked)),
            Some(Refused::Credentials { .. })
        ));
        let changed = Fingerprint::of("key1", &Secret::new("new-secret"));
        assert_eq!(other.check(&console, Some(&changed)), None, "a new secret");
        assert_eq!(other.check(&console, None), None, "public calls go");

        refusals.locked_out(&console, Duration::from_secs(60));
        assert!(matches!(
            other.check(&console, None),
            Some(Refused::LockedOut { .. })
        ));
        refusals.locked_out(&console, Duration::ZERO);
        assert_eq!(other.check(&console, Some(&changed)), None, "ended");
        // The secret is in no file.
        for entry in std::fs::read_dir(dir.path().join("refusals")).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            assert!(!text.contains("old-secret"), "{text}");
        }
    }
}
