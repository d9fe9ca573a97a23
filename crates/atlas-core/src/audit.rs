//! The audit log: every change Fabric Atlas makes to a console, appended as one JSON line, written
//! durably (fsync per entry), never rewritten. It names what changed where, never a secret.

use std::fs::OpenOptions;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::AppError;
use crate::storage::config_error;

const AUDIT_FILE_NAME: &str = "audit.jsonl";

/// One change to a console.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    /// Milliseconds since the Unix epoch.
    #[ts(type = "number")]
    pub at_ms: u64,
    /// `import`, `transfer`, `delete`, …
    pub operation: String,
    /// The artifact: its kind and display name (e.g. `msp Org1 MSP`).
    pub artifact: String,
    /// Where it came from: a file name or a region id.
    pub source: String,
    /// The region whose console was changed (or would have been).
    pub target: String,
    /// `created org1msp`, `already there as org1msp`, `failed: …`.
    pub outcome: String,
}

impl AuditEntry {
    pub fn now(
        operation: &str,
        artifact: impl Into<String>,
        source: impl Into<String>,
        target: impl Into<String>,
        outcome: impl Into<String>,
    ) -> Self {
        let at_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
            .unwrap_or_default();
        Self {
            at_ms,
            operation: operation.into(),
            artifact: artifact.into(),
            source: source.into(),
            target: target.into(),
            outcome: outcome.into(),
        }
    }
}

pub struct AuditLog {
    path: PathBuf,
    // Serialises appends from concurrent operations so lines never interleave.
    writer: Mutex<()>,
}

impl AuditLog {
    pub fn in_dir(dir: impl AsRef<Path>) -> Self {
        Self {
            path: dir.as_ref().join(AUDIT_FILE_NAME),
            writer: Mutex::new(()),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one entry and syncs it to disk before returning.
    pub fn append(&self, entry: &AuditEntry) -> Result<(), AppError> {
        let _guard = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| config_error(dir, &e.to_string()))?;
        }
        let mut line = serde_json::to_string(entry).expect("an audit entry always serializes");
        line.push('\n');
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .map_err(|e| config_error(&self.path, &e.to_string()))?;
        file.write_all(line.as_bytes())
            .and_then(|()| file.sync_data())
            .map_err(|e| config_error(&self.path, &e.to_string()))
    }

    /// Every entry, oldest first. A line that does not parse (e.g. a torn write after a power
    /// cut) is skipped rather than hiding the rest of the log.
    pub fn read(&self) -> Result<Vec<AuditEntry>, AppError> {
        let file = match std::fs::File::open(&self.path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(config_error(&self.path, &e.to_string())),
        };
        let mut entries = Vec::new();
        for line in BufReader::new(file).lines() {
            let line = line.map_err(|e| config_error(&self.path, &e.to_string()))?;
            if let Ok(entry) = serde_json::from_str(&line) {
                entries.push(entry);
            }
        }
        Ok(entries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_appended_and_read_back_in_order_surviving_a_torn_line() {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::in_dir(dir.path());
        assert!(log.read().unwrap().is_empty());
        let first = AuditEntry::now(
            "import",
            "msp Org1 MSP",
            "Org1 MSP_msp.json",
            "us-west",
            "created org1msp",
        );
        log.append(&first).unwrap();
        // A torn write from a crash must not hide what came before or after.
        std::fs::OpenOptions::new()
            .append(true)
            .open(log.path())
            .unwrap()
            .write_all(b"{\"atMs\":12,\"oper")
            .unwrap();
        std::fs::OpenOptions::new()
            .append(true)
            .open(log.path())
            .unwrap()
            .write_all(b"\n")
            .unwrap();
        let second = AuditEntry::now(
            "import",
            "fabric-peer Org1 Peer1",
            "sandbox-1",
            "us-west",
            "already there as org1peer1",
        );
        log.append(&second).unwrap();
        assert_eq!(log.read().unwrap(), vec![first, second]);
    }
}
