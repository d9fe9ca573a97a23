//! Secrets (console API secrets, CA enroll secrets and identity keys) live in the OS keyring.
//!
//! [`Secret`] has no `Serialize` and a redacted `Debug`, so it cannot leak into IPC, logs or files by
//! accident. [`SecretStore`] is the seam: [`KeyringStore`] in the app, [`MemoryStore`] in unit tests
//! and for the throwaway credentials of the built-in sandbox.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::error::{AppError, ErrorCode};

/// The keyring service name every Fabric Atlas entry is filed under.
pub const KEYRING_SERVICE: &str = "fabric-atlas";

/// A secret value, redacted in `Debug` (it lives in `atlas_artifacts`, whose private keys are
/// secrets too).
pub use atlas_artifacts::Secret;

/// Where a secret is filed: the keyring "user" under [`KEYRING_SERVICE`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SecretKey(String);

impl SecretKey {
    /// The API secret of the console of region `region_id`.
    pub fn console_api_secret(region_id: &str) -> Self {
        Self(format!("console-api-secret:{region_id}"))
    }

    /// The private key of the wallet identity `name`.
    pub fn identity_private_key(name: &str) -> Self {
        Self(format!("identity-private-key:{name}"))
    }

    /// The enroll secret of a CA's admin (`role`: ca-admin or tlsca-admin); `ca` names the CA.
    pub fn ca_enroll_secret(ca: &str, role: &str) -> Self {
        Self(format!("ca-enroll-secret:{role}:{ca}"))
    }

    /// The enroll secret an identity was registered with on CA `ca`, kept for the node's (or
    /// the identity's) enrollment.
    pub fn registered_secret(ca: &str, enroll_id: &str) -> Self {
        Self(format!("ca-registered-secret:{ca}:{enroll_id}"))
    }

    /// This key as profile `profile` files it (see [`crate::profile`]).
    pub fn in_profile(&self, profile: &str) -> Self {
        Self(format!("profile:{profile}:{}", self.0))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

pub trait SecretStore: Send + Sync {
    /// Why this store cannot keep secrets, if it cannot (checked once; see `KeyringStore::probe`).
    fn problem(&self) -> Option<String> {
        None
    }
    fn put(&self, key: &SecretKey, secret: &Secret) -> Result<(), AppError>;
    fn get(&self, key: &SecretKey) -> Result<Option<Secret>, AppError>;
    /// Removing an absent entry is not an error.
    fn remove(&self, key: &SecretKey) -> Result<(), AppError>;
}

/// The OS keyring (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows).
/// Before its first write it proves the store keeps what it is given (see [`KeyringStore::probe`]):
/// without a platform store, the keyring crate falls back to an in-memory mock whose writes
/// succeed and vanish, and a secret "stored" there would be lost without a word.
pub struct KeyringStore {
    service: String,
    probed: std::sync::OnceLock<Result<(), String>>,
}

impl KeyringStore {
    pub fn new() -> Self {
        Self::with_service(KEYRING_SERVICE)
    }

    /// A store under another service name, so tests never touch a user's real entries.
    pub fn with_service(service: impl Into<String>) -> Self {
        Self {
            service: service.into(),
            probed: std::sync::OnceLock::new(),
        }
    }

    /// Writes a throwaway entry, reads it back through a fresh handle and removes it: the store
    /// really keeps secrets, or why not. Done once per store (at start in the app and before a
    /// first write anywhere).
    pub fn probe(&self) -> Result<(), AppError> {
        self.probed
            .get_or_init(|| self.try_probe())
            .clone()
            .map_err(|reason| {
                AppError::new(
                    ErrorCode::Keyring,
                    format!(
                        "the OS keyring does not keep secrets here ({reason}); nothing is stored \
                         until it does: start the system's keyring (the Secret Service, e.g. \
                         gnome-keyring, on Linux) and try again"
                    ),
                )
            })
    }

    fn try_probe(&self) -> Result<(), String> {
        let nonce = format!(
            "{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        );
        let key = SecretKey(format!("keyring-probe:{nonce}"));
        let entry = |k: &SecretKey| keyring::Entry::new(&self.service, k.as_str());
        entry(&key)
            .and_then(|e| e.set_password(&nonce))
            .map_err(|e| format!("a test entry could not be written: {e}"))?;
        // A new handle: a mock store keeps values in the handle that wrote them only.
        let read = entry(&key).and_then(|e| e.get_password());
        let _ = entry(&key).and_then(|e| e.delete_credential());
        match read {
            Ok(value) if value == nonce => Ok(()),
            Ok(_) => Err("a test entry came back changed".into()),
            Err(keyring::Error::NoEntry) => Err("a test entry was gone when read back".into()),
            Err(e) => Err(format!("a test entry could not be read back: {e}")),
        }
    }

    fn entry(&self, key: &SecretKey) -> Result<keyring::Entry, AppError> {
        keyring::Entry::new(&self.service, key.as_str()).map_err(keyring_error)
    }
}

impl Default for KeyringStore {
    fn default() -> Self {
        Self::new()
    }
}

impl SecretStore for KeyringStore {
    fn problem(&self) -> Option<String> {
        self.probe().err().map(|e| e.message)
    }

    fn put(&self, key: &SecretKey, secret: &Secret) -> Result<(), AppError> {
        self.probe()?;
        self.entry(key)?
            .set_password(secret.expose())
            .map_err(keyring_error)
    }

    fn get(&self, key: &SecretKey) -> Result<Option<Secret>, AppError> {
        match self.entry(key)?.get_password() {
            Ok(value) => Ok(Some(Secret::new(value))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keyring_error(e)),
        }
    }

    fn remove(&self, key: &SecretKey) -> Result<(), AppError> {
        match self.entry(key)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(keyring_error(e)),
        }
    }
}

// keyring's errors never include the secret itself, so their text is safe to show.
fn keyring_error(e: keyring::Error) -> AppError {
    AppError::new(ErrorCode::Keyring, format!("OS keyring: {e}"))
}

/// A process-local store: unit tests, and the sandbox's throwaway credentials.
#[derive(Default)]
pub struct MemoryStore {
    entries: Mutex<HashMap<SecretKey, Secret>>,
}

impl SecretStore for MemoryStore {
    fn put(&self, key: &SecretKey, secret: &Secret) -> Result<(), AppError> {
        self.lock().insert(key.clone(), secret.clone());
        Ok(())
    }

    fn get(&self, key: &SecretKey) -> Result<Option<Secret>, AppError> {
        Ok(self.lock().get(key).cloned())
    }

    fn remove(&self, key: &SecretKey) -> Result<(), AppError> {
        self.lock().remove(key);
        Ok(())
    }
}

impl MemoryStore {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<SecretKey, Secret>> {
        self.entries
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_store_round_trip() {
        let store = MemoryStore::default();
        let key = SecretKey::console_api_secret("us-east");
        assert_eq!(store.get(&key).unwrap(), None);
        store.put(&key, &Secret::new("s3")).unwrap();
        assert_eq!(store.get(&key).unwrap().unwrap().expose(), "s3");
        store.remove(&key).unwrap();
        store.remove(&key).unwrap();
        assert_eq!(store.get(&key).unwrap(), None);
    }

    /// The real OS keyring: runs in CI under a D-Bus session with an unlocked gnome-keyring.
    #[test]
    fn keyring_store_round_trip_through_a_new_entry() {
        let store = KeyringStore::with_service("fabric-atlas-test");
        let key = SecretKey::console_api_secret(&format!("t{}", std::process::id()));
        store.put(&key, &Secret::new("k-secret")).unwrap();
        // A second store object sees it: it really is persisted, not an in-process mock.
        let again = KeyringStore::with_service("fabric-atlas-test");
        assert_eq!(again.get(&key).unwrap().unwrap().expose(), "k-secret");
        again.remove(&key).unwrap();
        assert_eq!(store.get(&key).unwrap(), None);
    }
}
