//! Where nodes live, as far as this app knows beyond the consoles' own records: the home a copy
//! keeps from its source (recorded when this app copies a node or CA), and the administrator's
//! placements (`atlas place`, "Place…" in the app). Both are keyed by the node's normalised API
//! URL ([`crate::component::url_key`]), which every copy of a node shares, in `homes.json`.
//!
//! The posture decides a node's home from the consoles first ([`crate::posture`]); these two
//! records are its second and fourth rule.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::storage::{lock_config, read_versioned, write_json};

pub const HOMES_FILE_VERSION: u32 = 1;
const HOMES_FILE_NAME: &str = "homes.json";

/// The homes on file, by node key (region ids as values).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HomeRecords {
    /// The home a copy keeps: its source's, when this app copied it from a console holding it as
    /// its own.
    #[serde(default)]
    pub copied: BTreeMap<String, String>,
    /// The administrator's placements.
    #[serde(default)]
    pub placed: BTreeMap<String, String>,
}

#[derive(Serialize, Deserialize)]
struct HomesFile {
    version: u32,
    #[serde(flatten)]
    records: HomeRecords,
}

/// `homes.json` of a config dir, shared by the app and every `atlas` run.
pub struct Homes {
    path: PathBuf,
    records: HomeRecords,
}

impl Homes {
    pub fn open(config_dir: impl Into<PathBuf>) -> Result<Self, AppError> {
        let path = config_dir.into().join(HOMES_FILE_NAME);
        let records = read_records(&path)?;
        Ok(Self { path, records })
    }

    pub fn records(&self) -> &HomeRecords {
        &self.records
    }

    /// Reads the file again (another process may have changed it); true when it changed.
    pub fn reload(&mut self) -> Result<bool, AppError> {
        let records = read_records(&self.path)?;
        let changed = records != self.records;
        self.records = records;
        Ok(changed)
    }

    /// Records the homes copies keep (node key, source region), replacing older records of the
    /// same nodes; false when every one was on file already.
    pub fn record_copies(&mut self, copies: &[(String, String)]) -> Result<bool, AppError> {
        if copies
            .iter()
            .all(|(key, home)| self.records.copied.get(key) == Some(home))
        {
            return Ok(false);
        }
        self.update(|records| {
            for (key, home) in copies {
                records.copied.insert(key.clone(), home.clone());
            }
        })?;
        Ok(true)
    }

    /// The administrator places node `key` in region `region_id`.
    pub fn place(&mut self, key: &str, region_id: &str) -> Result<(), AppError> {
        self.update(|records| {
            records.placed.insert(key.to_owned(), region_id.to_owned());
        })
    }

    /// Under the config lock, from the file as it is now: another process may have recorded
    /// other homes since this one read it.
    fn update(&mut self, change: impl FnOnce(&mut HomeRecords)) -> Result<(), AppError> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        let _lock = lock_config(dir)?;
        let mut records = read_records(&self.path)?;
        change(&mut records);
        write_json(
            &self.path,
            &HomesFile {
                version: HOMES_FILE_VERSION,
                records: records.clone(),
            },
        )?;
        self.records = records;
        Ok(())
    }
}

fn read_records(path: &Path) -> Result<HomeRecords, AppError> {
    Ok(
        read_versioned::<HomesFile>(path, HOMES_FILE_VERSION, "a homes file")?
            .map(|f| f.records)
            .unwrap_or_default(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_survive_a_reopen_and_two_writers_keep_each_others_records() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = Homes::open(dir.path()).unwrap();
        let mut cli = Homes::open(dir.path()).unwrap();
        let copy = [("grpcs://p1:7051".to_owned(), "us-east".to_owned())];
        assert!(app.record_copies(&copy).unwrap());
        assert!(!app.record_copies(&copy).unwrap(), "on file already");
        // The second writer read the file before the first wrote: its change keeps the first's.
        cli.place("grpcs://osn5:7050", "canada").unwrap();
        let reopened = Homes::open(dir.path()).unwrap();
        assert_eq!(
            reopened.records().copied.get("grpcs://p1:7051").unwrap(),
            "us-east"
        );
        assert_eq!(
            reopened.records().placed.get("grpcs://osn5:7050").unwrap(),
            "canada"
        );
        assert!(app.reload().unwrap(), "the placement is new to the app");
        assert!(!app.reload().unwrap());
    }

    #[test]
    fn a_file_of_another_version_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(HOMES_FILE_NAME), r#"{"version": 9}"#).unwrap();
        let err = Homes::open(dir.path()).err().unwrap();
        assert!(err.message.contains("homes.json"), "{}", err.message);
        assert!(err.message.contains("field 'version'"), "{}", err.message);
    }
}
