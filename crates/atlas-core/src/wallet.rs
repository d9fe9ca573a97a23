//! The identity wallet. The console keeps wallet identities in the browser only, so Fabric Atlas
//! keeps its own: each identity's private key in the OS keyring, the rest (name, certificate,
//! which org it administers) as metadata in `wallet.json` next to the fleet file.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::error::{AppError, ErrorCode};
use crate::secrets::{Secret, SecretKey, SecretStore};
use crate::storage::{lock_config, read_versioned, write_json, ConfigLock};

pub const WALLET_FILE_VERSION: u32 = 1;
const WALLET_FILE_NAME: &str = "wallet.json";

/// An identity's public part. Never holds the private key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WalletEntry {
    /// Unique in the wallet, as in the console's wallet.
    pub name: String,
    /// Base64 PEM enrollment certificate, as in the console's identity file.
    pub cert: String,
    /// Base64 PEM CA root, when the file carried one (the Ansible format does).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca: Option<String>,
    /// The org (MSP id) this identity administers, once known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub msp_id: Option<String>,
    /// Regions whose console holds that org's MSP and for which this is the org's admin identity.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub admin_of: Vec<String>,
    /// The sandbox's own identity: it leaves the wallet when the app leaves the sandbox.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sandbox: bool,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct WalletFile {
    version: u32,
    identities: Vec<WalletEntry>,
}

/// The wallet in a config directory, with keys in `secrets`.
pub struct Wallet {
    path: PathBuf,
    entries: Vec<WalletEntry>,
}

impl Wallet {
    pub fn open(config_dir: impl Into<PathBuf>) -> Result<Self, AppError> {
        let path = config_dir.into().join(WALLET_FILE_NAME);
        let entries = read_entries(&path)?;
        Ok(Self { path, entries })
    }

    /// Reads the file again (another process may have changed it); true when it changed.
    pub fn reload(&mut self) -> Result<bool, AppError> {
        let entries = read_entries(&self.path)?;
        let changed = entries != self.entries;
        self.entries = entries;
        Ok(changed)
    }

    /// Takes the config lock and reads the file again: what a change must start from (another
    /// process may have changed it since it was read).
    fn reload_locked(&mut self) -> Result<ConfigLock, AppError> {
        let dir = self.path.parent().unwrap_or(std::path::Path::new("."));
        let lock = lock_config(dir)?;
        self.entries = read_entries(&self.path)?;
        Ok(lock)
    }

    pub fn entries(&self) -> &[WalletEntry] {
        &self.entries
    }

    pub fn get(&self, name: &str) -> Option<&WalletEntry> {
        self.entries.iter().find(|e| e.name == name)
    }

    /// Adds an identity: the key to the keyring first, then the metadata. A name already in the
    /// wallet is a conflict (as in the console's wallet), never silently replaced.
    pub fn add(
        &mut self,
        entry: WalletEntry,
        private_key: &Secret,
        secrets: &dyn SecretStore,
    ) -> Result<(), AppError> {
        let _lock = self.reload_locked()?;
        if self.get(&entry.name).is_some() {
            return Err(AppError::new(
                ErrorCode::Conflict,
                format!(
                    "field 'name': the wallet already has an identity named '{}'",
                    entry.name
                ),
            )
            .with_field("name"));
        }
        let key = SecretKey::identity_private_key(&entry.name);
        secrets.put(&key, private_key)?;
        let mut next = self.entries.clone();
        next.push(entry);
        if let Err(e) = self.save(&next) {
            let _ = secrets.remove(&key);
            return Err(e);
        }
        self.entries = next;
        Ok(())
    }

    /// The identity's private key, from the keyring.
    pub fn private_key(&self, name: &str, secrets: &dyn SecretStore) -> Result<Secret, AppError> {
        self.index_of(name)?;
        secrets
            .get(&SecretKey::identity_private_key(name))?
            .ok_or_else(|| {
                AppError::new(
                    ErrorCode::Keyring,
                    format!("the private key of '{name}' is not in the OS keyring"),
                )
            })
    }

    /// Records which org (MSP id) the identity administers.
    pub fn set_msp_id(&mut self, name: &str, msp_id: &str) -> Result<(), AppError> {
        let _lock = self.reload_locked()?;
        let index = self.index_of(name)?;
        let mut next = self.entries.clone();
        next[index].msp_id = Some(msp_id.to_owned());
        self.save(&next)?;
        self.entries = next;
        Ok(())
    }

    /// Marks an identity as the sandbox's own.
    pub fn set_sandbox(&mut self, name: &str) -> Result<(), AppError> {
        let _lock = self.reload_locked()?;
        let index = self.index_of(name)?;
        let mut next = self.entries.clone();
        next[index].sandbox = true;
        self.save(&next)?;
        self.entries = next;
        Ok(())
    }

    /// Records that the identity is org `msp_id`'s admin identity on region `region_id`.
    pub fn set_region_admin(
        &mut self,
        name: &str,
        region_id: &str,
        msp_id: &str,
    ) -> Result<(), AppError> {
        let _lock = self.reload_locked()?;
        let index = self.index_of(name)?;
        let mut next = self.entries.clone();
        let entry = &mut next[index];
        entry.msp_id = Some(msp_id.to_owned());
        if !entry.admin_of.iter().any(|r| r == region_id) {
            entry.admin_of.push(region_id.to_owned());
        }
        self.save(&next)?;
        self.entries = next;
        Ok(())
    }

    pub fn remove(&mut self, name: &str, secrets: &dyn SecretStore) -> Result<(), AppError> {
        let _lock = self.reload_locked()?;
        let index = self.index_of(name)?;
        let mut next = self.entries.clone();
        next.remove(index);
        self.save(&next)?;
        if let Err(e) = secrets.remove(&SecretKey::identity_private_key(name)) {
            // The key could not go: the identity stays listed, so it is not left behind unseen.
            let _ = self.save(&self.entries);
            return Err(e);
        }
        self.entries = next;
        Ok(())
    }

    fn index_of(&self, name: &str) -> Result<usize, AppError> {
        self.entries
            .iter()
            .position(|e| e.name == name)
            .ok_or_else(|| {
                AppError::new(
                    ErrorCode::NotFound,
                    format!("no identity named '{name}' in the wallet"),
                )
            })
    }

    fn save(&self, entries: &[WalletEntry]) -> Result<(), AppError> {
        let file = WalletFile {
            version: WALLET_FILE_VERSION,
            identities: entries.to_vec(),
        };
        write_json(&self.path, &file)
    }
}

fn read_entries(path: &std::path::Path) -> Result<Vec<WalletEntry>, AppError> {
    let file: Option<WalletFile> = read_versioned(path, WALLET_FILE_VERSION, "a wallet file")?;
    Ok(file.map(|f| f.identities).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::MemoryStore;

    fn entry(name: &str) -> WalletEntry {
        WalletEntry {
            name: name.into(),
            cert: "TFMwdExTMUNSVWRKVGlCRFJWSlU=".into(),
            ca: None,
            msp_id: Some("Org1MSP".into()),
            admin_of: Vec::new(),
            sandbox: false,
        }
    }

    #[test]
    fn region_admin_roles_are_recorded_once_per_region_and_survive_a_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let secrets = MemoryStore::default();
        let mut wallet = Wallet::open(dir.path()).unwrap();
        let key = Secret::new("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        wallet.add(entry("org1admin"), &key, &secrets).unwrap();
        wallet
            .set_region_admin("org1admin", "r2", "Org1MSP")
            .unwrap();
        wallet
            .set_region_admin("org1admin", "r3", "Org1MSP")
            .unwrap();
        wallet
            .set_region_admin("org1admin", "r2", "Org1MSP")
            .unwrap();

        let reopened = Wallet::open(dir.path()).unwrap();
        assert_eq!(reopened.get("org1admin").unwrap().admin_of, ["r2", "r3"]);
        assert_eq!(
            wallet
                .set_region_admin("nobody", "r2", "Org1MSP")
                .unwrap_err()
                .code,
            ErrorCode::NotFound
        );
    }

    #[test]
    fn keys_go_to_the_secret_store_and_metadata_to_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let secrets = MemoryStore::default();
        let mut wallet = Wallet::open(dir.path()).unwrap();
        let key = Secret::new("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        wallet.add(entry("org1admin"), &key, &secrets).unwrap();

        let text = std::fs::read_to_string(dir.path().join("wallet.json")).unwrap();
        assert!(text.contains("org1admin") && !text.contains("PRIVATE KEY"));
        let reopened = Wallet::open(dir.path()).unwrap();
        assert_eq!(reopened.entries(), &[entry("org1admin")]);
        assert_eq!(reopened.private_key("org1admin", &secrets).unwrap(), key);

        let dup = wallet.add(entry("org1admin"), &key, &secrets).unwrap_err();
        assert_eq!(dup.code, ErrorCode::Conflict);

        wallet.remove("org1admin", &secrets).unwrap();
        assert!(wallet.private_key("org1admin", &secrets).is_err());
        assert!(secrets
            .get(&SecretKey::identity_private_key("org1admin"))
            .unwrap()
            .is_none());
    }
}
