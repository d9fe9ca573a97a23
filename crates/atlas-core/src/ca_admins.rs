//! The enroll ids and secrets of a CA's admin and TLS CA admin. A console needs them to use an
//! imported CA (it keeps them in the browser, never on its server), so the guide has the
//! administrator retype them in every region. Fabric Atlas asks once per CA, keeps the secrets in
//! the OS keyring and the enroll ids in `ca-admins.json`, and reuses them for every further region.
//!
//! A CA is known by its API URL and CA name: both survive an export and import, so the copies of
//! one CA in several consoles share one entry.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::artifacts::ROUTE_CA;
use crate::error::AppError;
use crate::import::ImportItem;
use crate::secrets::{Secret, SecretKey, SecretStore};
use crate::storage::{lock_config, read_versioned, write_json};

pub const CA_ADMINS_FILE_VERSION: u32 = 1;
const CA_ADMINS_FILE_NAME: &str = "ca-admins.json";

/// One enroll id and secret, from the UI or the CLI to the core (never the other way).
#[derive(Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EnrollCredentials {
    pub enroll_id: String,
    pub enroll_secret: String,
}

/// What the console asks for when a CA is imported.
#[derive(Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CaAdminCredentials {
    pub ca_admin: EnrollCredentials,
    pub tlsca_admin: EnrollCredentials,
}

/// A CA of a transfer or import and whether its admin credentials are on hand. The views send
/// it back with the credentials they were asked for; only its API URL and CA name count then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CaAdminStatus {
    pub component_id: String,
    pub display_name: String,
    pub api_url: String,
    pub ca_name: String,
    /// The enroll ids kept for this CA (their secrets are in the keyring); `None` until given.
    pub ca_admin_enroll_id: Option<String>,
    pub tlsca_admin_enroll_id: Option<String>,
    /// The region whose console the CA's record was read from (`None` for a CA in a file):
    /// where its certificates are read to reach it when its admins are given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub region_id: Option<String>,
    /// Both admins enrolled with the CA itself when they were given: their identities are kept
    /// for registrations (certificates on file, keys in the keyring).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[ts(as = "Option<bool>", optional)]
    pub verified: bool,
    /// Why the credentials are kept without having been checked with the CA (it could not be
    /// reached from this machine), when that is so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub note: Option<String>,
}

impl CaAdminStatus {
    /// A CA component with no credentials known (`None` when the component is not a CA).
    pub fn unknown(component_id: &str, component: &Value) -> Option<Self> {
        if component.get("type").and_then(Value::as_str) != Some(ROUTE_CA) {
            return None;
        }
        Self::of_ca(component_id, component)
    }

    /// The CA an import would create (`None` for any other item), known by where it came from.
    pub fn of_import(item: &ImportItem) -> Option<Self> {
        if item.route != ROUTE_CA {
            return None;
        }
        Self::of_ca(&item.source.to_string(), &item.body)
    }

    /// A CA document (a console's component or an import body): its API URL and CA name.
    fn of_ca(component_id: &str, ca: &Value) -> Option<Self> {
        let api_url = ca.get("api_url").and_then(Value::as_str)?;
        let ca_name = ca
            .pointer("/msp/ca/name")
            .or_else(|| ca.get("ca_name"))
            .and_then(Value::as_str)
            .unwrap_or("ca");
        Some(Self {
            component_id: component_id.to_owned(),
            display_name: ca
                .get("display_name")
                .and_then(Value::as_str)
                .unwrap_or(component_id)
                .to_owned(),
            api_url: api_url.trim_end_matches('/').to_owned(),
            ca_name: ca_name.to_owned(),
            ca_admin_enroll_id: None,
            tlsca_admin_enroll_id: None,
            region_id: None,
            verified: false,
            note: None,
        })
    }

    /// The CA as region `region_id`'s console holds it.
    pub fn on_region(mut self, region_id: &str) -> Self {
        self.region_id = Some(region_id.to_owned());
        self
    }

    pub fn known(&self) -> bool {
        self.ca_admin_enroll_id.is_some() && self.tlsca_admin_enroll_id.is_some()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CaAdminEntry {
    api_url: String,
    ca_name: String,
    ca_admin_enroll_id: String,
    tlsca_admin_enroll_id: String,
    /// The admins' certificates (PEM) from their enrollment; their keys are in the keyring.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ca_admin_cert: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tlsca_admin_cert: Option<String>,
}

/// The admin identities an enrollment of both admins gave: certificates and their keys.
pub struct EnrolledAdmins {
    pub ca_cert: String,
    pub ca_key: Secret,
    pub tlsca_cert: String,
    pub tlsca_key: Secret,
}

/// One of a CA's two admins: of the enrollment CA or of the TLS CA.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminOf {
    Ca,
    TlsCa,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct CaAdminsFile {
    version: u32,
    cas: Vec<CaAdminEntry>,
}

#[derive(Clone, Copy)]
enum Role {
    CaAdmin,
    TlsCaAdmin,
}

fn secret_key(api_url: &str, ca_name: &str, role: Role) -> SecretKey {
    let role = match role {
        Role::CaAdmin => "ca-admin",
        Role::TlsCaAdmin => "tlsca-admin",
    };
    SecretKey::ca_enroll_secret(&format!("{api_url}#{ca_name}"), role)
}

/// The CA admin credentials in a config directory, with secrets in a [`SecretStore`].
pub struct CaAdmins {
    path: PathBuf,
    entries: Vec<CaAdminEntry>,
}

impl CaAdmins {
    pub fn open(config_dir: impl Into<PathBuf>) -> Result<Self, AppError> {
        let path = config_dir.into().join(CA_ADMINS_FILE_NAME);
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

    /// `ca` with the enroll ids kept for it, when both secrets are in the keyring.
    pub fn with_kept(
        &self,
        mut ca: CaAdminStatus,
        secrets: &dyn SecretStore,
    ) -> Result<CaAdminStatus, AppError> {
        ca.ca_admin_enroll_id = None;
        ca.tlsca_admin_enroll_id = None;
        ca.verified = false;
        if let Some(entry) = self.find(&ca.api_url, &ca.ca_name) {
            let secret = |role| secrets.get(&secret_key(&ca.api_url, &ca.ca_name, role));
            if secret(Role::CaAdmin)?.is_some() && secret(Role::TlsCaAdmin)?.is_some() {
                ca.ca_admin_enroll_id = Some(entry.ca_admin_enroll_id.clone());
                ca.tlsca_admin_enroll_id = Some(entry.tlsca_admin_enroll_id.clone());
                ca.verified = entry.ca_admin_cert.is_some() && entry.tlsca_admin_cert.is_some();
            }
        }
        Ok(ca)
    }

    /// Whether a CA's admin credentials were given (its enroll ids are on file; the secrets went
    /// to the keyring before them). No keyring call: an operation checks this for every CA it
    /// would create.
    pub fn is_kept(&self, ca: &CaAdminStatus) -> bool {
        self.find(&ca.api_url, &ca.ca_name).is_some()
    }

    /// Keeps a CA's admin credentials, and the admin identities their enrollment gave when it
    /// was made: secrets and keys to the keyring first, then the ids and certificates to the
    /// file. Empty fields are refused by name before anything is stored.
    pub fn save(
        &mut self,
        ca: &CaAdminStatus,
        credentials: &CaAdminCredentials,
        enrolled: Option<&EnrolledAdmins>,
        secrets: &dyn SecretStore,
    ) -> Result<(), AppError> {
        let (api_url, ca_name) = (ca.api_url.clone(), ca.ca_name.clone());
        check_credentials(credentials)?;
        // Under the config lock, from the file as it is now: another process may have kept
        // another CA's credentials since this one read it.
        let dir = self.path.parent().unwrap_or(std::path::Path::new("."));
        let _lock = lock_config(dir)?;
        self.entries = read_entries(&self.path)?;
        let mut keys = vec![
            (
                secret_key(&api_url, &ca_name, Role::CaAdmin),
                credentials.ca_admin.enroll_secret.clone(),
            ),
            (
                secret_key(&api_url, &ca_name, Role::TlsCaAdmin),
                credentials.tlsca_admin.enroll_secret.clone(),
            ),
        ];
        if let Some(enrolled) = enrolled {
            keys.push((
                admin_key(&api_url, &ca_name, AdminOf::Ca, &enrolled.ca_cert),
                enrolled.ca_key.expose().to_owned(),
            ));
            keys.push((
                admin_key(&api_url, &ca_name, AdminOf::TlsCa, &enrolled.tlsca_cert),
                enrolled.tlsca_key.expose().to_owned(),
            ));
        }
        let mut previous = Vec::new();
        for (key, secret) in &keys {
            previous.push((key, secrets.get(key)?));
            secrets.put(key, &Secret::new(secret.clone()))?;
        }
        let restore = |previous: Vec<(&SecretKey, Option<Secret>)>| {
            for (key, old) in previous {
                let _ = match old {
                    Some(old) => secrets.put(key, &old),
                    None => secrets.remove(key),
                };
            }
        };
        let entry = CaAdminEntry {
            api_url: api_url.clone(),
            ca_name: ca_name.clone(),
            ca_admin_enroll_id: credentials.ca_admin.enroll_id.trim().to_owned(),
            tlsca_admin_enroll_id: credentials.tlsca_admin.enroll_id.trim().to_owned(),
            ca_admin_cert: enrolled.map(|e| e.ca_cert.clone()),
            tlsca_admin_cert: enrolled.map(|e| e.tlsca_cert.clone()),
        };
        let mut next: Vec<CaAdminEntry> = self
            .entries
            .iter()
            .filter(|e| !(e.api_url == api_url && e.ca_name == ca_name))
            .cloned()
            .collect();
        next.push(entry);
        let file = CaAdminsFile {
            version: CA_ADMINS_FILE_VERSION,
            cas: next,
        };
        if let Err(e) = write_json(&self.path, &file) {
            restore(previous);
            return Err(e);
        }
        self.entries = file.cas;
        Ok(())
    }

    /// The enrolled admin identity of a CA (of its enrollment CA or its TLS CA): its
    /// certificate and key, when its admins were verified. Read from the file as it is now:
    /// another process may have renewed it.
    pub fn admin_identity(
        &mut self,
        api_url: &str,
        ca_name: &str,
        of: AdminOf,
        secrets: &dyn SecretStore,
    ) -> Result<Option<(String, Secret)>, AppError> {
        self.entries = read_entries(&self.path)?;
        let api_url = api_url.trim_end_matches('/');
        let Some(entry) = self.find(api_url, ca_name) else {
            return Ok(None);
        };
        let cert = match of {
            AdminOf::Ca => &entry.ca_admin_cert,
            AdminOf::TlsCa => &entry.tlsca_admin_cert,
        };
        let Some(cert) = cert else {
            return Ok(None);
        };
        Ok(secrets
            .get(&admin_key(api_url, ca_name, of, cert))?
            .map(|key| (cert.clone(), key)))
    }

    /// Replaces an admin identity after a re-enrollment: the new key (filed under its own
    /// certificate, so a reader never pairs a certificate with another's key), then the
    /// certificate, then the old key goes.
    pub fn renew_admin_identity(
        &mut self,
        api_url: &str,
        ca_name: &str,
        of: AdminOf,
        cert: &str,
        key: &Secret,
        secrets: &dyn SecretStore,
    ) -> Result<(), AppError> {
        let api_url = api_url.trim_end_matches('/');
        let dir = self
            .path
            .parent()
            .unwrap_or(std::path::Path::new("."))
            .to_owned();
        let _lock = lock_config(&dir)?;
        self.entries = read_entries(&self.path)?;
        let Some(entry) = self
            .entries
            .iter_mut()
            .find(|e| e.api_url == api_url && e.ca_name == ca_name)
        else {
            return Ok(());
        };
        secrets.put(&admin_key(api_url, ca_name, of, cert), key)?;
        let slot = match of {
            AdminOf::Ca => &mut entry.ca_admin_cert,
            AdminOf::TlsCa => &mut entry.tlsca_admin_cert,
        };
        let old = slot.replace(cert.to_owned());
        write_json(
            &self.path,
            &CaAdminsFile {
                version: CA_ADMINS_FILE_VERSION,
                cas: self.entries.clone(),
            },
        )?;
        if let Some(old) = old.filter(|old| old != cert) {
            let _ = secrets.remove(&admin_key(api_url, ca_name, of, &old));
        }
        Ok(())
    }

    fn find(&self, api_url: &str, ca_name: &str) -> Option<&CaAdminEntry> {
        self.entries
            .iter()
            .find(|e| e.api_url == api_url && e.ca_name == ca_name)
    }
}

/// Where the key of an admin identity with certificate `cert` is kept: named by the certificate,
/// so a renewed identity's key never replaces the one a reader of the old certificate needs.
fn admin_key(api_url: &str, ca_name: &str, of: AdminOf, cert: &str) -> SecretKey {
    use sha2::{Digest, Sha256};
    let digest: String = Sha256::digest(cert.trim().as_bytes())
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect();
    let role = match of {
        AdminOf::Ca => "ca-admin-key",
        AdminOf::TlsCa => "tlsca-admin-key",
    };
    SecretKey::ca_enroll_secret(&format!("{api_url}#{ca_name}"), &format!("{role}:{digest}"))
}

/// Refuses empty fields by name.
pub fn check_credentials(credentials: &CaAdminCredentials) -> Result<(), AppError> {
    for (field, value) in [
        ("caAdmin.enrollId", &credentials.ca_admin.enroll_id),
        ("caAdmin.enrollSecret", &credentials.ca_admin.enroll_secret),
        ("tlscaAdmin.enrollId", &credentials.tlsca_admin.enroll_id),
        (
            "tlscaAdmin.enrollSecret",
            &credentials.tlsca_admin.enroll_secret,
        ),
    ] {
        if value.trim().is_empty() {
            return Err(AppError::invalid_field(field, "required"));
        }
    }
    Ok(())
}

fn read_entries(path: &std::path::Path) -> Result<Vec<CaAdminEntry>, AppError> {
    let file: Option<CaAdminsFile> =
        read_versioned(path, CA_ADMINS_FILE_VERSION, "a CA admin credentials file")?;
    Ok(file.map(|f| f.cas).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use crate::secrets::MemoryStore;
    use serde_json::json;

    fn ca(api_url: &str) -> Value {
        json!({"type": "fabric-ca", "display_name": "Org1 CA", "api_url": api_url,
               "msp": {"ca": {"name": "ca"}, "tlsca": {"name": "tlsca"}}})
    }

    fn status(id: &str, component: &Value) -> CaAdminStatus {
        CaAdminStatus::unknown(id, component).expect("a CA")
    }

    fn creds(secret: &str) -> CaAdminCredentials {
        let one = |id: &str| EnrollCredentials {
            enroll_id: id.into(),
            enroll_secret: secret.into(),
        };
        CaAdminCredentials {
            ca_admin: one("admin"),
            tlsca_admin: one("tlsadmin"),
        }
    }

    #[test]
    fn credentials_given_once_serve_every_copy_of_the_ca_and_secrets_stay_in_the_keyring() {
        let dir = tempfile::tempdir().unwrap();
        let secrets = MemoryStore::default();
        let mut admins = CaAdmins::open(dir.path()).unwrap();
        let source = status("org1ca", &ca("https://org1ca.example.com:7054"));
        let before = admins.with_kept(source.clone(), &secrets).unwrap();
        assert!(!before.known() && !admins.is_kept(&source));

        admins
            .save(&source, &creds("s3cret-enroll"), None, &secrets)
            .unwrap();
        // The copy imported into another console has another id but the same URL and CA name.
        let copy = status("org1ca_0", &ca("https://org1ca.example.com:7054/"));
        let reopened = CaAdmins::open(dir.path()).unwrap();
        let after = reopened.with_kept(copy.clone(), &secrets).unwrap();
        assert!(after.known() && reopened.is_kept(&copy));
        assert_eq!(after.ca_admin_enroll_id.as_deref(), Some("admin"));
        assert_eq!(after.tlsca_admin_enroll_id.as_deref(), Some("tlsadmin"));
        let file = std::fs::read_to_string(dir.path().join(CA_ADMINS_FILE_NAME)).unwrap();
        assert!(file.contains("tlsadmin") && !file.contains("s3cret-enroll"));

        // A secret missing from the keyring means the credentials must be asked for again.
        secrets
            .remove(&secret_key(
                "https://org1ca.example.com:7054",
                "ca",
                Role::TlsCaAdmin,
            ))
            .unwrap();
        assert!(!reopened.with_kept(copy, &secrets).unwrap().known());
    }

    #[test]
    fn empty_fields_are_named_and_nothing_is_stored() {
        let dir = tempfile::tempdir().unwrap();
        let secrets = MemoryStore::default();
        let mut admins = CaAdmins::open(dir.path()).unwrap();
        let err = admins
            .save(
                &status("ca", &ca("https://ca:7054")),
                &creds(" "),
                None,
                &secrets,
            )
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput);
        assert!(err.message.contains("caAdmin.enrollSecret"), "{err:?}");
        assert!(!dir.path().join(CA_ADMINS_FILE_NAME).exists());
        assert!(CaAdminStatus::unknown("peer", &json!({"type": "fabric-peer"})).is_none());
    }
}
