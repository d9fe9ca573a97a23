//! The fleet: which regions exist and how to reach each region's console.
//!
//! Persisted as a versioned JSON file in the user's config dir, written atomically (temp file +
//! rename) so a crash never leaves half a file. The file holds no secret: each console's API secret
//! is in the OS keyring under [`SecretKey::console_api_secret`].

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::client::{check_plain_http, parse_console_url};
use crate::component::url_key;
use crate::error::{AppError, ErrorCode};
use crate::geo;
use crate::secrets::{Secret, SecretKey, SecretStore};
use crate::storage::{lock_config, read_versioned, write_json, ConfigLock};

/// The file format version this build reads and writes.
pub const FLEET_FILE_VERSION: u32 = 1;
const FLEET_FILE_NAME: &str = "fleet.json";
/// Overrides the config directory (scripts, tests, a second profile).
pub const CONFIG_DIR_ENV: &str = "FABRIC_ATLAS_CONFIG_DIR";

/// One region: a console and where it runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Region {
    /// Stable id derived from the name at creation.
    pub id: String,
    pub name: String,
    /// A [`geo::Location`] id.
    pub location: String,
    pub console_url: String,
    /// The API key id (not secret; the secret is in the keyring).
    pub api_key: String,
    /// A certificate (PEM) the user trusts for this console, on top of the system's roots.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub trusted_certificate: Option<String>,
}

/// What the user fills in to add a console.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NewRegion {
    pub name: String,
    pub location: String,
    pub console_url: String,
    pub api_key: String,
    /// Goes straight to the keyring; never stored elsewhere, never sent back.
    pub api_secret: String,
    /// The user insists on plain `http://` to another machine (the secret crosses unencrypted).
    #[serde(default)]
    #[ts(optional)]
    pub allow_insecure_http: Option<bool>,
    /// A certificate (PEM) to trust for this console: its own, or its CA.
    #[serde(default)]
    #[ts(optional)]
    pub trusted_certificate: Option<String>,
}

/// An edit of an existing region; `api_secret: None` keeps the stored secret.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RegionEdit {
    pub name: String,
    pub location: String,
    pub console_url: String,
    pub api_key: String,
    #[ts(optional)]
    pub api_secret: Option<String>,
    /// As in [`NewRegion`]; not needed when the console URL stays what it was.
    #[serde(default)]
    #[ts(optional)]
    pub allow_insecure_http: Option<bool>,
    /// Absent: the trusted certificate stays; empty: none is trusted any more; else the new one.
    #[serde(default)]
    #[ts(optional)]
    pub trusted_certificate: Option<String>,
}

/// A region that was removed, by the name it had then: records that keep its id (the wallet's
/// admin regions, the audit log) are shown by this name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RemovedRegion {
    pub id: String,
    pub name: String,
}

/// What the fleet file holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FleetFile {
    pub version: u32,
    pub regions: Vec<Region>,
    /// Absent from files written before removed regions were remembered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<RemovedRegion>,
}

/// The fleet file on disk.
#[derive(Debug, Clone)]
pub struct FleetStore {
    dir: PathBuf,
}

impl FleetStore {
    /// The store in `dir` (created on first save).
    pub fn in_dir(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// `$FABRIC_ATLAS_CONFIG_DIR`, else the platform's config dir for Fabric Atlas.
    pub fn default_location() -> Result<Self, AppError> {
        if let Some(dir) = std::env::var_os(CONFIG_DIR_ENV).filter(|d| !d.is_empty()) {
            return Ok(Self::in_dir(dir));
        }
        directories::ProjectDirs::from("org", "Fabric Atlas", "fabric-atlas")
            .map(|dirs| Self::in_dir(dirs.config_dir()))
            .ok_or_else(|| {
                AppError::new(
                    ErrorCode::Config,
                    "no home directory to keep the configuration in",
                )
            })
    }

    pub fn path(&self) -> PathBuf {
        self.dir.join(FLEET_FILE_NAME)
    }

    /// The configuration directory (the wallet and the audit log live here too).
    pub fn dir(&self) -> &std::path::Path {
        &self.dir
    }

    /// The saved regions and removed regions; none when the file does not exist yet.
    pub fn load(&self) -> Result<FleetFile, AppError> {
        let file: Option<FleetFile> =
            read_versioned(&self.path(), FLEET_FILE_VERSION, "a fleet file")?;
        Ok(file.unwrap_or_default())
    }

    /// Replaces the file atomically.
    pub fn save(&self, regions: &[Region], removed: &[RemovedRegion]) -> Result<(), AppError> {
        let file = FleetFile {
            version: FLEET_FILE_VERSION,
            regions: regions.to_vec(),
            removed: removed.to_vec(),
        };
        write_json(&self.path(), &file)
    }
}

/// The fleet's regions plus the rules for changing them. Secrets go to `secrets`, never to the file.
pub struct Fleet {
    store: FleetStore,
    regions: Vec<Region>,
    removed: Vec<RemovedRegion>,
}

impl Fleet {
    pub fn open(store: FleetStore) -> Result<Self, AppError> {
        let FleetFile {
            regions, removed, ..
        } = store.load()?;
        Ok(Self {
            store,
            regions,
            removed,
        })
    }

    pub fn regions(&self) -> &[Region] {
        &self.regions
    }

    /// The name a removed region had (none when it was removed before names were kept).
    pub fn removed_name(&self, id: &str) -> Option<&str> {
        self.removed
            .iter()
            .find(|r| r.id == id)
            .map(|r| r.name.as_str())
    }

    /// Reads the file again (another process may have changed it); true when its regions changed.
    pub fn reload(&mut self) -> Result<bool, AppError> {
        let FleetFile {
            regions, removed, ..
        } = self.store.load()?;
        let changed = regions != self.regions;
        self.regions = regions;
        self.removed = removed;
        Ok(changed)
    }

    pub fn get(&self, id: &str) -> Option<&Region> {
        self.regions.iter().find(|r| r.id == id)
    }

    /// Validates, stores the secret in the keyring, then saves the file; under the config lock,
    /// against the file as it is now (another process may have changed it since it was read).
    pub fn add(&mut self, new: NewRegion, secrets: &dyn SecretStore) -> Result<Region, AppError> {
        let fields = validate(&new.name, &new.location, &new.console_url, &new.api_key)?;
        check_transport(
            &fields.console_url,
            new.allow_insecure_http.unwrap_or(false),
        )?;
        let trusted_certificate = checked_trust(new.trusted_certificate)?;
        if new.api_secret.is_empty() {
            return Err(AppError::invalid_field(
                "apiSecret",
                "the API secret is required",
            ));
        }
        let _lock = self.reload_locked()?;
        if self
            .regions
            .iter()
            .any(|r| r.name.eq_ignore_ascii_case(&fields.name))
        {
            return Err(AppError::new(
                ErrorCode::Conflict,
                format!(
                    "field 'name': a region named '{}' already exists",
                    fields.name
                ),
            )
            .with_field("name"));
        }
        self.refuse_console_twice(None, &fields.console_url)?;
        let region = Region {
            id: unique_id(&fields.name, &self.regions),
            name: fields.name,
            location: fields.location,
            console_url: fields.console_url,
            api_key: fields.api_key,
            trusted_certificate,
        };
        let key = SecretKey::console_api_secret(&region.id);
        secrets.put(&key, &Secret::new(new.api_secret))?;
        let mut next = self.regions.clone();
        next.push(region.clone());
        // A new region under a removed one's id is that id's name from now on.
        let mut removed = self.removed.clone();
        removed.retain(|r| r.id != region.id);
        if let Err(e) = self.store.save(&next, &removed) {
            // Leave no orphan secret behind when the region could not be saved.
            let _ = secrets.remove(&key);
            return Err(e);
        }
        self.regions = next;
        self.removed = removed;
        Ok(region)
    }

    pub fn edit(
        &mut self,
        id: &str,
        edit: RegionEdit,
        secrets: &dyn SecretStore,
    ) -> Result<Region, AppError> {
        let fields = validate(&edit.name, &edit.location, &edit.console_url, &edit.api_key)?;
        let _lock = self.reload_locked()?;
        let index = self.index_of(id)?;
        // A console kept at the address it had was accepted (or insisted on) then.
        let unchanged = self.regions[index].console_url == fields.console_url;
        check_transport(
            &fields.console_url,
            unchanged || edit.allow_insecure_http.unwrap_or(false),
        )?;
        if self
            .regions
            .iter()
            .any(|r| r.id != id && r.name.eq_ignore_ascii_case(&fields.name))
        {
            return Err(AppError::new(
                ErrorCode::Conflict,
                format!(
                    "field 'name': a region named '{}' already exists",
                    fields.name
                ),
            )
            .with_field("name"));
        }
        self.refuse_console_twice(Some(id), &fields.console_url)?;
        let mut next = self.regions.clone();
        let region = &mut next[index];
        region.name = fields.name;
        region.location = fields.location;
        region.console_url = fields.console_url;
        region.api_key = fields.api_key;
        match edit.trusted_certificate {
            Some(pem) if pem.trim().is_empty() => region.trusted_certificate = None,
            Some(pem) => region.trusted_certificate = checked_trust(Some(pem))?,
            None => {}
        }
        let region = region.clone();
        let key = SecretKey::console_api_secret(id);
        let previous = match edit.api_secret.filter(|s| !s.is_empty()) {
            Some(secret) => {
                let previous = secrets.get(&key)?;
                secrets.put(&key, &Secret::new(secret))?;
                Some(previous)
            }
            None => None,
        };
        if let Err(e) = self.store.save(&next, &self.removed) {
            // The region keeps the secret it had, as it keeps the rest of its settings.
            match previous {
                Some(Some(old)) => drop(secrets.put(&key, &old)),
                Some(None) => drop(secrets.remove(&key)),
                None => {}
            }
            return Err(e);
        }
        self.regions = next;
        Ok(region)
    }

    /// Removes the region and its secret; its name is kept for the records that name it.
    pub fn remove(&mut self, id: &str, secrets: &dyn SecretStore) -> Result<(), AppError> {
        let _lock = self.reload_locked()?;
        let index = self.index_of(id)?;
        let mut next = self.regions.clone();
        let gone = next.remove(index);
        let mut removed = self.removed.clone();
        removed.retain(|r| r.id != id);
        removed.push(RemovedRegion {
            id: gone.id,
            name: gone.name,
        });
        self.store.save(&next, &removed)?;
        if let Err(e) = secrets.remove(&SecretKey::console_api_secret(id)) {
            // The secret could not go: the region stays, so it is not left behind unseen.
            let _ = self.store.save(&self.regions, &self.removed);
            return Err(e);
        }
        self.regions = next;
        self.removed = removed;
        Ok(())
    }

    /// One region per console: a second would poll it twice and show its nodes twice.
    fn refuse_console_twice(
        &self,
        except: Option<&str>,
        console_url: &str,
    ) -> Result<(), AppError> {
        let same = self.regions.iter().find(|r| {
            Some(r.id.as_str()) != except && url_key(&r.console_url) == url_key(console_url)
        });
        match same {
            Some(other) => Err(AppError::new(
                ErrorCode::Conflict,
                format!(
                    "field 'consoleUrl': region '{}' already uses this console",
                    other.name
                ),
            )
            .with_field("consoleUrl")),
            None => Ok(()),
        }
    }

    /// Takes the config lock and reads the file again: what a change must start from.
    fn reload_locked(&mut self) -> Result<ConfigLock, AppError> {
        let lock = lock_config(self.store.dir())?;
        self.reload()?;
        Ok(lock)
    }

    fn index_of(&self, id: &str) -> Result<usize, AppError> {
        self.regions
            .iter()
            .position(|r| r.id == id)
            .ok_or_else(|| AppError::new(ErrorCode::NotFound, format!("no region with id '{id}'")))
    }
}

struct ValidFields {
    name: String,
    location: String,
    console_url: String,
    api_key: String,
}

fn validate(name: &str, location: &str, url: &str, api_key: &str) -> Result<ValidFields, AppError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 64 {
        return Err(AppError::invalid_field("name", "1 to 64 characters"));
    }
    if geo::location(location).is_none() {
        return Err(AppError::invalid_field(
            "location",
            format!("'{location}' is not a known cloud region"),
        ));
    }
    let url =
        parse_console_url(url).map_err(|e| AppError::invalid_field("consoleUrl", e.message))?;
    let api_key = api_key.trim();
    if api_key.is_empty() || api_key.contains(':') {
        return Err(AppError::invalid_field(
            "apiKey",
            "required, and must not contain ':'",
        ));
    }
    Ok(ValidFields {
        name: name.to_owned(),
        location: location.to_owned(),
        console_url: url.as_str().trim_end_matches('/').to_owned(),
        api_key: api_key.to_owned(),
    })
}

/// A certificate to trust, checked to be one (see `tls_trust::summarize_trusted`).
fn checked_trust(pem: Option<String>) -> Result<Option<String>, AppError> {
    match pem.filter(|p| !p.trim().is_empty()) {
        Some(pem) => {
            crate::tls_trust::summarize_trusted(&pem)?;
            Ok(Some(pem.trim().to_owned() + "\n"))
        }
        None => Ok(None),
    }
}

/// Refuses plain http to another machine unless the user insists (see `check_plain_http`).
fn check_transport(console_url: &str, allow_http: bool) -> Result<(), AppError> {
    let url = parse_console_url(console_url)
        .map_err(|e| AppError::invalid_field("consoleUrl", e.message))?;
    check_plain_http(&url, allow_http).map_err(|e| AppError::invalid_field("consoleUrl", e.message))
}

/// A lower-case slug of the name, made unique among `existing`.
fn unique_id(name: &str, existing: &[Region]) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    let base = if slug.is_empty() { "region" } else { slug };
    let taken = |id: &str| existing.iter().any(|r| r.id == id);
    if !taken(base) {
        return base.to_owned();
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|id| !taken(id))
        .expect("an unbounded range always yields a free id")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::MemoryStore;
    use std::fs;

    fn new_region(name: &str) -> NewRegion {
        NewRegion {
            name: name.into(),
            location: "us-east-1".into(),
            console_url: "https://console.us-east.example.org:443/".into(),
            api_key: "kAbCdEfGhIjKlMnO".into(),
            api_secret: "very-secret-value".into(),
            allow_insecure_http: None,
            trusted_certificate: None,
        }
    }

    #[test]
    fn a_url_with_credentials_in_it_is_refused_without_repeating_them() {
        let dir = tempfile::tempdir().unwrap();
        let mut fleet = Fleet::open(FleetStore::in_dir(dir.path())).unwrap();
        let e = fleet
            .add(
                NewRegion {
                    console_url: "https://key:pa55word@console.example.org".into(),
                    ..new_region("East")
                },
                &MemoryStore::default(),
            )
            .unwrap_err();
        assert_eq!(e.field.as_deref(), Some("consoleUrl"));
        assert!(
            e.message.contains("must not carry a user name or password"),
            "{}",
            e.message
        );
        assert!(!e.message.contains("pa55word"), "{}", e.message);
        assert!(!dir.path().join("fleet.json").exists());
    }

    #[test]
    fn plain_http_to_another_machine_needs_the_users_insistence() {
        let dir = tempfile::tempdir().unwrap();
        let secrets = MemoryStore::default();
        let mut fleet = Fleet::open(FleetStore::in_dir(dir.path())).unwrap();
        let http = |name: &str, url: &str, allow: Option<bool>| NewRegion {
            console_url: url.into(),
            allow_insecure_http: allow,
            ..new_region(name)
        };
        let e = fleet
            .add(http("East", "http://console.example.org", None), &secrets)
            .unwrap_err();
        assert_eq!(e.field.as_deref(), Some("consoleUrl"));
        assert!(e.message.contains("unencrypted"), "{}", e.message);
        assert!(fleet.regions().is_empty());
        // This machine needs no insisting; another one does.
        fleet
            .add(http("Local", "http://127.0.0.1:3000", None), &secrets)
            .unwrap();
        let east = fleet
            .add(
                http("East", "http://console.example.org", Some(true)),
                &secrets,
            )
            .unwrap();
        // An edit that keeps the address keeps what was accepted; a new address asks again.
        let edit = |url: &str| RegionEdit {
            name: "East".into(),
            location: "us-east-1".into(),
            console_url: url.into(),
            api_key: "k".into(),
            api_secret: None,
            allow_insecure_http: None,
            trusted_certificate: None,
        };
        fleet
            .edit(&east.id, edit("http://console.example.org"), &secrets)
            .unwrap();
        let e = fleet
            .edit(&east.id, edit("http://other.example.org"), &secrets)
            .unwrap_err();
        assert_eq!(e.field.as_deref(), Some("consoleUrl"));
    }

    #[test]
    fn add_saves_the_region_and_keeps_the_secret_out_of_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let secrets = MemoryStore::default();
        let mut fleet = Fleet::open(FleetStore::in_dir(dir.path())).unwrap();
        let region = fleet.add(new_region("US East (prod)"), &secrets).unwrap();
        assert_eq!(region.id, "us-east-prod");
        assert_eq!(region.console_url, "https://console.us-east.example.org");

        let text = fs::read_to_string(dir.path().join("fleet.json")).unwrap();
        assert!(text.contains("\"version\": 1"));
        assert!(!text.contains("very-secret-value"));
        let stored = secrets
            .get(&SecretKey::console_api_secret("us-east-prod"))
            .unwrap()
            .unwrap();
        assert_eq!(stored.expose(), "very-secret-value");

        let reopened = Fleet::open(FleetStore::in_dir(dir.path())).unwrap();
        assert_eq!(reopened.regions(), &[region]);
    }

    #[test]
    fn bad_fields_are_named_and_nothing_is_saved() {
        let dir = tempfile::tempdir().unwrap();
        let secrets = MemoryStore::default();
        let mut fleet = Fleet::open(FleetStore::in_dir(dir.path())).unwrap();
        type Spoil = fn(&mut NewRegion);
        let cases: [(Spoil, &str); 5] = [
            (|r| r.name = " ".into(), "'name'"),
            (|r| r.location = "mars-1".into(), "'location'"),
            (
                |r| r.console_url = "console.example.org".into(),
                "'consoleUrl'",
            ),
            (|r| r.api_key = "a:b".into(), "'apiKey'"),
            (|r| r.api_secret = String::new(), "'apiSecret'"),
        ];
        for (spoil, field) in cases {
            let mut input = new_region("West");
            spoil(&mut input);
            let e = fleet.add(input, &secrets).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidInput);
            assert!(e.message.contains(field), "{} lacks {field}", e.message);
        }
        assert!(!dir.path().join("fleet.json").exists());
        assert!(secrets
            .get(&SecretKey::console_api_secret("west"))
            .unwrap()
            .is_none());
    }

    #[test]
    fn names_are_unique_and_ids_stay_unique_after_renames() {
        let dir = tempfile::tempdir().unwrap();
        let secrets = MemoryStore::default();
        let mut fleet = Fleet::open(FleetStore::in_dir(dir.path())).unwrap();
        let first = fleet.add(new_region("East"), &secrets).unwrap();
        let dup = fleet.add(new_region("east"), &secrets).unwrap_err();
        assert_eq!(dup.code, ErrorCode::Conflict);
        // The same console under another name and spelling is the same console.
        let mut again = new_region("Another");
        again.console_url = "HTTPS://console.us-east.example.org".into();
        let twice = fleet.add(again, &secrets).unwrap_err();
        assert_eq!(
            (twice.code, twice.field.as_deref()),
            (ErrorCode::Conflict, Some("consoleUrl"))
        );
        assert!(twice.message.contains("region 'East'"), "{twice:?}");
        let edit = RegionEdit {
            name: "Renamed".into(),
            location: "ca-central-1".into(),
            console_url: "http://127.0.0.1:3000".into(),
            api_key: "k2".into(),
            api_secret: None,
            allow_insecure_http: None,
            trusted_certificate: None,
        };
        fleet.edit(&first.id, edit, &secrets).unwrap();
        let second = fleet.add(new_region("East"), &secrets).unwrap();
        assert_eq!(second.id, "east-2");
        // The edit kept the secret it had.
        let kept = secrets.get(&SecretKey::console_api_secret("east")).unwrap();
        assert_eq!(kept.unwrap().expose(), "very-secret-value");

        fleet.remove("east", &secrets).unwrap();
        assert!(secrets
            .get(&SecretKey::console_api_secret("east"))
            .unwrap()
            .is_none());
        let reopened = Fleet::open(FleetStore::in_dir(dir.path())).unwrap();
        assert_eq!(reopened.regions().len(), 1);
        assert_eq!(reopened.regions()[0].id, "east-2");
    }

    #[test]
    fn a_removed_region_keeps_its_name_until_its_id_is_used_again() {
        let dir = tempfile::tempdir().unwrap();
        // A file written before removed regions were remembered.
        fs::write(
            dir.path().join("fleet.json"),
            r#"{"version": 1, "regions": []}"#,
        )
        .unwrap();
        let secrets = MemoryStore::default();
        let mut fleet = Fleet::open(FleetStore::in_dir(dir.path())).unwrap();
        let east = fleet.add(new_region("East"), &secrets).unwrap();
        assert_eq!(fleet.removed_name(&east.id), None);

        fleet.remove(&east.id, &secrets).unwrap();
        let reopened = Fleet::open(FleetStore::in_dir(dir.path())).unwrap();
        assert!(reopened.regions().is_empty());
        assert_eq!(reopened.removed_name("east"), Some("East"));

        // Another "East" takes the id: the live region names it now.
        fleet.add(new_region("east"), &secrets).unwrap();
        assert_eq!(fleet.get("east").unwrap().name, "east");
        assert_eq!(fleet.removed_name("east"), None);
        let reopened = Fleet::open(FleetStore::in_dir(dir.path())).unwrap();
        assert_eq!(reopened.removed_name("east"), None);
    }

    #[test]
    fn a_file_from_a_newer_build_is_refused_with_the_field_named() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join("fleet.json"),
            r#"{"version": 7, "regions": []}"#,
        )
        .unwrap();
        let e = Fleet::open(FleetStore::in_dir(dir.path())).err().unwrap();
        assert_eq!(e.code, ErrorCode::Config);
        assert!(e.message.contains("fleet.json") && e.message.contains("'version'"));
    }
}
