//! A profile is one config dir (`--config-dir`, `FABRIC_ATLAS_CONFIG_DIR`, or the default). The OS
//! keyring is one per user, so every entry a profile files there carries the profile's id (made
//! once, kept in `profile.json`): two profiles with a region of the same name never read, replace
//! or delete each other's secrets.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::secrets::{Secret, SecretKey, SecretStore};
use crate::storage::{config_error, create_new, read_versioned};

const PROFILE_FILE_NAME: &str = "profile.json";
const PROFILE_FILE_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct ProfileFile {
    version: u32,
    id: String,
}

/// The id of the profile in `config_dir`, made and kept on first use. Two processes making it
/// at once agree on one: the file is only ever created, never replaced (no lock needed, so this
/// may run while the config lock is held).
pub fn profile_id(config_dir: &Path) -> Result<String, AppError> {
    let path = config_dir.join(PROFILE_FILE_NAME);
    if let Some(file) =
        read_versioned::<ProfileFile>(&path, PROFILE_FILE_VERSION, "a profile file")?
    {
        return Ok(file.id);
    }
    let id: String = rand::random::<[u8; 8]>()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let file = ProfileFile {
        version: PROFILE_FILE_VERSION,
        id,
    };
    let mut text = serde_json::to_string_pretty(&file).expect("a profile file serializes");
    text.push('\n');
    create_new(&path, text.as_bytes())?;
    read_versioned::<ProfileFile>(&path, PROFILE_FILE_VERSION, "a profile file")?
        .map(|f| f.id)
        .ok_or_else(|| config_error(&path, "vanished right after it was made"))
}

/// A profile's view of a secret store: its keys carry the profile id (read, or made, on the
/// first use of the keyring, so a command that never needs it writes nothing).
pub struct ProfileSecrets {
    inner: Arc<dyn SecretStore>,
    config_dir: PathBuf,
    profile: OnceLock<String>,
}

impl ProfileSecrets {
    /// The secrets of the profile in `config_dir`, filed in `inner`.
    pub fn new(config_dir: &Path, inner: Arc<dyn SecretStore>) -> Self {
        Self {
            inner,
            config_dir: config_dir.to_path_buf(),
            profile: OnceLock::new(),
        }
    }

    fn profile(&self) -> Result<&str, AppError> {
        if let Some(profile) = self.profile.get() {
            return Ok(profile);
        }
        let id = profile_id(&self.config_dir)?;
        Ok(self.profile.get_or_init(|| id))
    }

    fn scoped(&self, key: &SecretKey) -> Result<SecretKey, AppError> {
        Ok(key.in_profile(self.profile()?))
    }
}

impl SecretStore for ProfileSecrets {
    fn problem(&self) -> Option<String> {
        self.inner.problem()
    }

    fn put(&self, key: &SecretKey, secret: &Secret) -> Result<(), AppError> {
        self.inner.put(&self.scoped(key)?, secret)
    }

    /// An entry filed before profiles existed (no profile id) is found too, and copied into the
    /// profile: it was this user's, and only this profile reads it from now on.
    fn get(&self, key: &SecretKey) -> Result<Option<Secret>, AppError> {
        let scoped = self.scoped(key)?;
        if let Some(secret) = self.inner.get(&scoped)? {
            return Ok(Some(secret));
        }
        let legacy = self.inner.get(key)?;
        if let Some(secret) = &legacy {
            self.inner.put(&scoped, secret)?;
        }
        Ok(legacy)
    }

    fn remove(&self, key: &SecretKey) -> Result<(), AppError> {
        self.inner.remove(&self.scoped(key)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::MemoryStore;

    #[test]
    fn two_profiles_never_share_an_entry_and_each_keeps_its_id() {
        let keyring: Arc<MemoryStore> = Arc::default();
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let in_a = ProfileSecrets::new(a.path(), keyring.clone());
        let in_b = ProfileSecrets::new(b.path(), keyring.clone());
        let key = SecretKey::console_api_secret("east");
        in_a.put(&key, &Secret::new("a-secret")).unwrap();
        in_b.put(&key, &Secret::new("b-secret")).unwrap();
        in_b.remove(&key).unwrap();
        assert_eq!(in_a.get(&key).unwrap().unwrap().expose(), "a-secret");
        assert_eq!(in_b.get(&key).unwrap(), None);
        assert_eq!(keyring.get(&key).unwrap(), None, "nothing filed unscoped");
        // Reopened, a profile is the same profile.
        let again = ProfileSecrets::new(a.path(), keyring);
        assert_eq!(again.get(&key).unwrap().unwrap().expose(), "a-secret");
        assert_ne!(profile_id(a.path()).unwrap(), profile_id(b.path()).unwrap());
    }

    #[test]
    fn an_entry_from_before_profiles_is_found_and_copied_in() {
        let keyring: Arc<MemoryStore> = Arc::default();
        let key = SecretKey::console_api_secret("east");
        keyring.put(&key, &Secret::new("old")).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let profile = ProfileSecrets::new(dir.path(), keyring.clone());
        assert_eq!(profile.get(&key).unwrap().unwrap().expose(), "old");
        let scoped = key.in_profile(&profile_id(dir.path()).unwrap());
        assert_eq!(keyring.get(&scoped).unwrap().unwrap().expose(), "old");
    }
}
